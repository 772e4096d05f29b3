//! Expanding quoted globs (`'access.log*'`) in logstat itself, so cron lines
//! and shells without globbing read a rotated set the same way.
//!
//! `*`, `?` and `[…]` are supported in the last path component; matches are
//! ordered naturally (`access.log.2.gz` before `access.log.10.gz`). Hidden
//! files match only a pattern that starts with `.`.

use std::path::{Path, PathBuf};

pub fn has_magic(s: &str) -> bool {
    s.contains(['*', '?', '['])
}

/// The paths matching `pattern`, in natural order (empty when none do).
pub fn expand(pattern: &str) -> std::io::Result<Vec<PathBuf>> {
    let p = Path::new(pattern);
    let (dir, name) = match (p.parent(), p.file_name()) {
        (Some(d), Some(n)) if !d.as_os_str().is_empty() => (d.to_path_buf(), n.to_string_lossy().into_owned()),
        (_, Some(n)) => (PathBuf::from("."), n.to_string_lossy().into_owned()),
        _ => return Ok(Vec::new()),
    };
    let mut out: Vec<PathBuf> = Vec::new();
    for entry in std::fs::read_dir(&dir)? {
        let entry = entry?;
        let file = entry.file_name();
        let file = file.to_string_lossy();
        if file.starts_with('.') && !name.starts_with('.') {
            continue;
        }
        if matches(name.as_bytes(), file.as_bytes()) {
            out.push(if p.parent().is_some_and(|d| !d.as_os_str().is_empty()) {
                dir.join(&*file)
            } else {
                PathBuf::from(&*file)
            });
        }
    }
    out.sort_by(|a, b| natural(&a.to_string_lossy(), &b.to_string_lossy()));
    Ok(out)
}

/// Shell-style match of a whole name.
pub fn matches(pat: &[u8], s: &[u8]) -> bool {
    match pat.first() {
        None => s.is_empty(),
        Some(b'*') => (0..=s.len()).any(|i| matches(&pat[1..], &s[i..])),
        Some(b'?') => !s.is_empty() && matches(&pat[1..], &s[1..]),
        Some(b'[') => match pat.iter().position(|&c| c == b']') {
            Some(end) if end > 1 && !s.is_empty() => {
                let set = &pat[1..end];
                let (negate, set) = match set.first() {
                    Some(b'!' | b'^') => (true, &set[1..]),
                    _ => (false, set),
                };
                let mut hit = false;
                let mut i = 0;
                while i < set.len() {
                    if i + 2 < set.len() && set[i + 1] == b'-' {
                        hit |= (set[i]..=set[i + 2]).contains(&s[0]);
                        i += 3;
                    } else {
                        hit |= set[i] == s[0];
                        i += 1;
                    }
                }
                hit != negate && matches(&pat[end + 1..], &s[1..])
            }
            _ => !s.is_empty() && s[0] == b'[' && matches(&pat[1..], &s[1..]),
        },
        Some(c) => !s.is_empty() && s[0] == *c && matches(&pat[1..], &s[1..]),
    }
}

/// Compare with runs of digits as numbers.
pub fn natural(a: &str, b: &str) -> std::cmp::Ordering {
    let (mut x, mut y) = (a.as_bytes(), b.as_bytes());
    loop {
        match (x.first(), y.first()) {
            (None, None) => return std::cmp::Ordering::Equal,
            (None, _) => return std::cmp::Ordering::Less,
            (_, None) => return std::cmp::Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let n = x.iter().take_while(|c| c.is_ascii_digit()).count();
                let m = y.iter().take_while(|c| c.is_ascii_digit()).count();
                let (p, q) = (&x[..n], &y[..m]);
                let strip = |s: &[u8]| s.iter().position(|c| *c != b'0').map_or(&[][..], |i| &s[i..]).to_vec();
                let (p2, q2) = (strip(p), strip(q));
                let o = p2.len().cmp(&q2.len()).then(p2.cmp(&q2));
                if o != std::cmp::Ordering::Equal {
                    return o;
                }
                x = &x[n..];
                y = &y[m..];
            }
            (Some(c), Some(d)) => {
                if c != d {
                    return c.cmp(d);
                }
                x = &x[1..];
                y = &y[1..];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns() {
        assert!(matches(b"access.log*", b"access.log"));
        assert!(matches(b"access.log*", b"access.log.2.gz"));
        assert!(!matches(b"access.log*", b"error.log"));
        assert!(matches(b"a?c", b"abc") && !matches(b"a?c", b"ac"));
        assert!(matches(b"log.[0-9]", b"log.7") && !matches(b"log.[!0-9]", b"log.7"));
    }

    #[test]
    fn natural_order() {
        let mut v = vec!["access.log.10.gz", "access.log.2.gz", "access.log", "access.log.1"];
        v.sort_by(|a, b| natural(a, b));
        assert_eq!(v, ["access.log", "access.log.1", "access.log.2.gz", "access.log.10.gz"]);
    }
}
