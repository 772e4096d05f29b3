//! Splitting a request line (`GET /path HTTP/1.1`) into method, target and
//! protocol, accepting what real traffic sends: no protocol (`GET /`),
//! targets with spaces, `PRI * HTTP/2.0`, binary probes, `-` and `""`.

use memchr::memrchr;

/// (method, target, protocol). The method is `None` unless the first token
/// is all `A`–`Z`; then target and protocol are `-`.
#[inline(always)]
pub fn split(req: &[u8]) -> (Option<&[u8]>, &[u8], &[u8]) {
    const NONE: (Option<&[u8]>, &[u8], &[u8]) = (None, b"-", b"-");
    let (method, rest) = match crate::parse::find::find1(req, b' ') {
        Some(sp) => (&req[..sp], &req[sp + 1..]),
        None => (req, &req[req.len()..]),
    };
    if method.is_empty() || !method.iter().all(u8::is_ascii_uppercase) {
        return NONE;
    }
    let rest = trim_start(rest);
    if rest.is_empty() {
        return (Some(method), b"-", b"-");
    }
    // Nearly every request ends ` HTTP/x.y`: that space is the last one,
    // found without a search.
    let n = rest.len();
    let sp =
        if n > 9 && rest[n - 9] == b' ' && !rest[n - 8..].contains(&b' ') { Some(n - 9) } else { memrchr(b' ', rest) };
    if let Some(sp) = sp {
        let proto = &rest[sp + 1..];
        if proto.len() >= 5 && proto[..5].iter().zip(b"HTTP/").all(|(a, b)| a == b) {
            let target = trim_end(&rest[..sp]);
            return (Some(method), if target.is_empty() { b"-" } else { target }, proto);
        }
    }
    (Some(method), rest, b"-")
}

fn trim_start(b: &[u8]) -> &[u8] {
    let n = b.iter().take_while(|&&c| c == b' ').count();
    &b[n..]
}

fn trim_end(b: &[u8]) -> &[u8] {
    let n = b.iter().rev().take_while(|&&c| c == b' ').count();
    &b[..b.len() - n]
}

#[cfg(test)]
mod tests {
    use super::split;

    fn s(r: &str) -> (Option<String>, String, String) {
        let (m, t, p) = split(r.as_bytes());
        let st = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        (m.map(st), st(t), st(p))
    }

    #[test]
    fn forms() {
        let g = |m: &str, t: &str, p: &str| (Some(m.to_string()), t.to_string(), p.to_string());
        assert_eq!(s("GET /a?b HTTP/1.1"), g("GET", "/a?b", "HTTP/1.1"));
        assert_eq!(s("GET /"), g("GET", "/", "-"));
        assert_eq!(s("GET /a[ ]b HTTP/1.1"), g("GET", "/a[ ]b", "HTTP/1.1"));
        assert_eq!(s("PRI * HTTP/2.0"), g("PRI", "*", "HTTP/2.0"));
        assert_eq!(s("CONNECT example.com:443 HTTP/1.1"), g("CONNECT", "example.com:443", "HTTP/1.1"));
        assert_eq!(s("GET http://azenv.net/ HTTP/1.1"), g("GET", "http://azenv.net/", "HTTP/1.1"));
        assert_eq!(s("GET /x HTTP/V1.0"), g("GET", "/x", "HTTP/V1.0"));
        assert_eq!(s("OPTIONS"), g("OPTIONS", "-", "-"));
    }

    #[test]
    fn no_method() {
        for r in [
            "-",
            "",
            "\\x16\\x03\\x01",
            "SSH-2.0-PUTTY",
            "get / HTTP/1.1",
            "27;wget%20http HTTP/1.0",
            "SSTP_DUPLEX_POST /x HTTP/1.1",
        ] {
            assert_eq!(s(r).0, None, "{r}");
        }
    }
}
