//! Request target → route template: `/users/8812/orders?x=1` → `/users/:id/orders`.
//!
//! The query string is dropped; each `/`-separated segment that is all digits
//! becomes `:id`, a UUID (8-4-4-4-12 hex) `:uuid`, 8+ hex digits `:hash`;
//! otherwise each `.`-separated part of 8+ hex digits becomes `:hash`
//! (`app.3f9a2c1b.js` → `app.:hash.js`). No percent-decoding.

/// The route of a request whose method is not a plain `A`–`Z` token.
pub const NO_ROUTE: &[u8] = b"(none)";

const DIGIT: u8 = 1;
const HEX: u8 = 2;
const DOT: u8 = 4;
const SLASH: u8 = 8;
const QUERY: u8 = 16;

/// Byte classes for one pass over the target.
static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = if c.is_ascii_digit() {
            DIGIT | HEX
        } else if matches!(c, b'a'..=b'f' | b'A'..=b'F') {
            HEX
        } else if c == b'.' {
            DOT
        } else if c == b'/' {
            SLASH
        } else if c == b'?' {
            QUERY
        } else {
            0
        };
        b += 1;
    }
    t
};

/// Write the route of `target` into `out` (cleared first). Reusing `out`
/// keeps the hot path free of allocation; each byte is classified once by
/// table lookup and plain segments are copied as they are.
pub fn normalize(target: &[u8], out: &mut Vec<u8>) {
    out.clear();
    let mut start = 0;
    // AND of the classes of the segment's bytes (all digits? all hex?) and
    // OR (any dot?).
    let (mut all, mut any) = (DIGIT | HEX, 0u8);
    for (i, &b) in target.iter().enumerate() {
        let c = CLASS[b as usize];
        if c & (SLASH | QUERY) != 0 {
            segment(&target[start..i], all, any, out);
            if c & QUERY != 0 {
                return;
            }
            out.push(b'/');
            start = i + 1;
            (all, any) = (DIGIT | HEX, 0);
        } else {
            all &= c;
            any |= c;
        }
    }
    segment(&target[start..], all, any, out);
}

#[inline(always)]
fn is_hex(b: u8) -> bool {
    CLASS[b as usize] & HEX != 0
}

#[inline]
fn segment(seg: &[u8], all: u8, any: u8, out: &mut Vec<u8>) {
    if seg.is_empty() {
        return;
    }
    if all & DIGIT != 0 {
        out.extend_from_slice(b":id");
    } else if seg.len() == 36 && is_uuid(seg) {
        out.extend_from_slice(b":uuid");
    } else if all & HEX != 0 && seg.len() >= 8 {
        out.extend_from_slice(b":hash");
    } else if any & DOT != 0 && seg.len() >= 8 {
        let mut first = true;
        for part in seg.split(|&b| b == b'.') {
            if !first {
                out.push(b'.');
            }
            first = false;
            if part.len() >= 8 && part.iter().all(|&b| is_hex(b)) {
                out.extend_from_slice(b":hash");
            } else {
                out.extend_from_slice(part);
            }
        }
    } else {
        out.extend_from_slice(seg);
    }
}

fn is_uuid(s: &[u8]) -> bool {
    s.iter().enumerate().all(|(i, &b)| match i {
        8 | 13 | 18 | 23 => b == b'-',
        _ => is_hex(b),
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
