//! A reader that runs another reader (a decompressor) on its own thread, a
//! few blocks ahead, so decompression overlaps parsing instead of taking
//! turns with it. Memory stays bounded: at most `DEPTH` blocks in flight.

use std::io::Read;
use std::sync::mpsc::{Receiver, sync_channel};

const BLOCK: usize = 4 << 20;
const DEPTH: usize = 3;

/// A reader that reads ahead on a thread of its own.
pub struct Prefetch {
    rx: Receiver<std::io::Result<Vec<u8>>>,
    cur: Vec<u8>,
    pos: usize,
    done: bool,
}

impl Prefetch {
    /// Start reading `inner` ahead.
    pub fn new(mut inner: Box<dyn Read + Send>) -> Prefetch {
        let (tx, rx) = sync_channel(DEPTH);
        std::thread::spawn(move || {
            loop {
                // read_to_end fills spare capacity without zeroing it first,
                // so a small input costs only what it uses.
                let mut block = Vec::with_capacity(BLOCK);
                match (&mut inner).take(BLOCK as u64).read_to_end(&mut block) {
                    Ok(n) => {
                        if tx.send(Ok(block)).is_err() || n == 0 {
                            return;
                        }
                    }
                    Err(e) => {
                        if !block.is_empty() && tx.send(Ok(block)).is_err() {
                            return;
                        }
                        let _ = tx.send(Err(e));
                        return;
                    }
                }
            }
        });
        Prefetch { rx, cur: Vec::new(), pos: 0, done: false }
    }
}

impl Read for Prefetch {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.pos == self.cur.len() {
            if self.done {
                return Ok(0);
            }
            match self.rx.recv() {
                Ok(Ok(block)) if block.is_empty() => self.done = true,
                Ok(Ok(block)) => {
                    self.cur = block;
                    self.pos = 0;
                }
                Ok(Err(e)) => {
                    self.done = true;
                    return Err(e);
                }
                Err(_) => self.done = true,
            }
        }
        let n = buf.len().min(self.cur.len() - self.pos);
        buf[..n].copy_from_slice(&self.cur[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passes_bytes_and_errors_through() {
        let data: Vec<u8> = (0..10_000_000u32).map(|i| i as u8).collect();
        let mut p = Prefetch::new(Box::new(std::io::Cursor::new(data.clone())));
        let mut out = Vec::new();
        p.read_to_end(&mut out).unwrap();
        assert_eq!(out, data);

        struct Failing(usize);
        impl Read for Failing {
            fn read(&mut self, b: &mut [u8]) -> std::io::Result<usize> {
                if self.0 == 0 {
                    return Err(std::io::Error::other("boom"));
                }
                let n = b.len().min(self.0);
                self.0 -= n;
                Ok(n)
            }
        }
        let mut p = Prefetch::new(Box::new(Failing(100)));
        let mut out = Vec::new();
        assert!(p.read_to_end(&mut out).is_err());
        assert_eq!(out.len(), 100);
    }
}
