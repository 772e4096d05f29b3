//! The terminal for the full-screen view: raw mode on the keyboard's
//! descriptor, the alternate screen, the size. Restored on drop, on panic
//! (a hook), and on the stop signals (which end the loop, so drop runs).

use std::os::fd::{AsRawFd, RawFd};
use std::sync::Mutex;

/// The terminal state to put back: descriptor and settings before raw mode.
static SAVED: Mutex<Option<(RawFd, libc::termios)>> = Mutex::new(None);

/// Leave the alternate screen, show the cursor, reset attributes.
const LEAVE: &str = "\x1b[0m\x1b[?25h\x1b[?1049l";
/// Enter the alternate screen, hide the cursor, clear.
const ENTER: &str = "\x1b[?1049h\x1b[?25l\x1b[2J\x1b[H";

/// The terminal in raw mode; dropping it restores everything.
pub struct Tty {
    /// Where keys come from (stdin when it is the terminal, else /dev/tty).
    keys: Option<std::fs::File>,
    fd: RawFd,
}

/// Restore the terminal (safe to call more than once).
pub fn leave() {
    // Only once: leaving the alternate screen twice would move the cursor
    // back over what was printed after the first time.
    if let Ok(mut s) = SAVED.lock()
        && let Some((fd, t)) = s.take()
    {
        use std::io::Write;
        let mut out = std::io::stdout();
        let _ = out.write_all(LEAVE.as_bytes());
        let _ = out.flush();
        // SAFETY: fd was a terminal when saved; t its settings.
        unsafe { libc::tcsetattr(fd, libc::TCSANOW, &t) };
    }
}

impl Tty {
    /// Raw mode on the keyboard and the alternate screen on stdout.
    pub fn open() -> std::io::Result<Tty> {
        use std::io::IsTerminal;
        let keys = if std::io::stdin().is_terminal() {
            None
        } else {
            Some(std::fs::OpenOptions::new().read(true).open("/dev/tty")?)
        };
        let fd = keys.as_ref().map_or(libc::STDIN_FILENO, |f| f.as_raw_fd());
        // SAFETY: termios is plain data, filled by tcgetattr.
        let mut t: libc::termios = unsafe { std::mem::zeroed() };
        // SAFETY: fd is open; t is valid for writes.
        if unsafe { libc::tcgetattr(fd, &mut t) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
        *SAVED.lock().map_err(|_| std::io::Error::other("terminal state lock"))? = Some((fd, t));
        let prev = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            leave();
            prev(info);
        }));
        let mut raw = t;
        // Keys one at a time, no echo; output processing kept (\n → \r\n).
        raw.c_lflag &= !(libc::ICANON | libc::ECHO | libc::ISIG | libc::IEXTEN);
        raw.c_iflag &= !(libc::IXON | libc::ICRNL);
        raw.c_cc[libc::VMIN] = 0;
        raw.c_cc[libc::VTIME] = 0;
        // SAFETY: as above.
        if unsafe { libc::tcsetattr(fd, libc::TCSANOW, &raw) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
        use std::io::Write;
        let mut out = std::io::stdout();
        out.write_all(ENTER.as_bytes())?;
        out.flush()?;
        Ok(Tty { keys, fd })
    }

    /// The descriptor keys arrive on.
    pub fn fd(&self) -> RawFd {
        self.fd
    }

    /// Keys typed since the last call.
    pub fn read_keys(&mut self) -> Vec<u8> {
        let mut buf = [0u8; 64];
        let _ = &self.keys;
        // SAFETY: reading into a buffer of the given length (non-blocking: VMIN 0).
        let n = unsafe { libc::read(self.fd, buf.as_mut_ptr().cast(), buf.len()) };
        if n > 0 { buf[..n as usize].to_vec() } else { Vec::new() }
    }

    /// Columns and rows of stdout's terminal (80×24 when unknown).
    pub fn size() -> (usize, usize) {
        // SAFETY: winsize is plain data filled by the ioctl.
        let mut w: libc::winsize = unsafe { std::mem::zeroed() };
        // SAFETY: stdout's descriptor; w valid for writes.
        let ok = unsafe { libc::ioctl(libc::STDOUT_FILENO, libc::TIOCGWINSZ, &mut w) } == 0;
        if ok && w.ws_col > 0 && w.ws_row > 0 { (w.ws_col as usize, w.ws_row as usize) } else { (80, 24) }
    }
}

impl Drop for Tty {
    fn drop(&mut self) {
        leave();
    }
}
