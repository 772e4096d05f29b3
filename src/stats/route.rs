//! Request target → route template: `/users/8812/orders?x=1` → `/users/:id/orders`.
//!
//! The query string is dropped; each `/`-separated segment that is all digits
//! becomes `:id`, a UUID (8-4-4-4-12 hex) `:uuid`, 8+ hex digits `:hash`;
//! otherwise each `.`-separated part of 8+ hex digits becomes `:hash`
//! (`app.3f9a2c1b.js` → `app.:hash.js`). No percent-decoding.

use memchr::memchr;

/// The route of a request whose method is not a plain `A`–`Z` token.
pub const NO_ROUTE: &[u8] = b"(none)";

/// Write the route of `target` into `out` (cleared first). Reusing `out`
/// keeps the hot path free of allocation.
pub fn normalize(target: &[u8], out: &mut Vec<u8>) {
    out.clear();
    let path = &target[..memchr(b'?', target).unwrap_or(target.len())];
    let mut first = true;
    for seg in path.split(|&b| b == b'/') {
        if !first {
            out.push(b'/');
        }
        first = false;
        segment(seg, out);
    }
}

fn segment(seg: &[u8], out: &mut Vec<u8>) {
    if seg.is_empty() {
        return;
    }
    if seg.iter().all(u8::is_ascii_digit) {
        out.extend_from_slice(b":id");
    } else if is_uuid(seg) {
        out.extend_from_slice(b":uuid");
    } else if is_hash(seg) {
        out.extend_from_slice(b":hash");
    } else if memchr(b'.', seg).is_some() {
        let mut first = true;
        for part in seg.split(|&b| b == b'.') {
            if !first {
                out.push(b'.');
            }
            first = false;
            if is_hash(part) {
                out.extend_from_slice(b":hash");
            } else {
                out.extend_from_slice(part);
            }
        }
    } else {
        out.extend_from_slice(seg);
    }
}

fn is_hash(s: &[u8]) -> bool {
    s.len() >= 8 && s.iter().all(u8::is_ascii_hexdigit)
}

fn is_uuid(s: &[u8]) -> bool {
    s.len() == 36
        && s.iter().enumerate().all(|(i, &b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

#[cfg(test)]
mod tests {
    fn r(t: &str) -> String {
        let mut out = Vec::new();
        super::normalize(t.as_bytes(), &mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn templates() {
        assert_eq!(r("/users/8812"), "/users/:id");
        assert_eq!(r("/users/8812/orders?page=2"), "/users/:id/orders");
        assert_eq!(r("/o/123e4567-e89b-12d3-a456-426614174000/x"), "/o/:uuid/x");
        assert_eq!(r("/blob/deadbeefcafe"), "/blob/:hash");
        assert_eq!(r("/static/app.3f9a2c1b.js"), "/static/app.:hash.js");
        assert_eq!(r("/static/app.3f9a2c.js"), "/static/app.3f9a2c.js");
        assert_eq!(r("/"), "/");
        assert_eq!(r("/a//b/"), "/a//b/");
        assert_eq!(r("*"), "*");
        assert_eq!(r("http://azenv.net/"), "http://azenv.net/");
        assert_eq!(r("/v1/beef"), "/v1/beef");
        assert_eq!(r("/%D9%85/12"), "/%D9%85/:id");
        assert_eq!(r("?only=query"), "");
    }
}
