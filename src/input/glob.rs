//! Expanding quoted globs (`'access.log*'`) in logstat itself, so cron lines
//! and shells without globbing read a rotated set the same way.
//!
//! `*`, `?` and `[…]` are supported in any path component, `**` for any
//! depth of directories; matches are ordered naturally (`access.log.2.gz` before `access.log.10.gz`). Hidden
//! files match only a pattern that starts with `.`.

use std::path::{Path, PathBuf};

/// Whether an argument holds glob characters (`*`, `?`, `[`).
pub fn has_magic(s: &str) -> bool {
    s.contains(['*', '?', '['])
}

/// The paths matching `pattern`, in natural order (empty when none do).
/// Any component may hold `*`, `?` or `[…]`; a `**` component matches any
/// number of directories (`'logs/**/*.gz'`, as ALB and CloudFront deliver
/// their objects). Symbolic links to directories are not descended by `**`
/// (no loops), nor hidden directories unless the pattern names them.
pub fn expand(pattern: &str) -> std::io::Result<Vec<PathBuf>> {
    let p = Path::new(pattern);
    let mut base = PathBuf::new();
    let mut comps: Vec<String> = Vec::new();
    for c in p.components() {
        let text = c.as_os_str().to_string_lossy().into_owned();
        if comps.is_empty() && !has_magic(&text) {
            base.push(c.as_os_str());
        } else {
            comps.push(text);
        }
    }
    let mut out = Vec::new();
    if comps.is_empty() {
        return Ok(out);
    }
    walk(&base, &comps, 0, &mut out)?;
    out.sort_by(|a, b| natural(&a.to_string_lossy(), &b.to_string_lossy()));
    out.dedup();
    Ok(out)
}

/// Deepest `**` descent.
const MAX_DEPTH: usize = 64;

/// Match `comps` below `dir` (empty: the current directory).
fn walk(dir: &Path, comps: &[String], depth: usize, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let Some((first, rest)) = comps.split_first() else { return Ok(()) };
    let read = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
    if first == "**" {
        // Zero directories, then each subdirectory with `**` still ahead.
        walk(dir, rest, depth, out)?;
        if depth >= MAX_DEPTH {
            return Ok(());
        }
        let Ok(entries) = std::fs::read_dir(read) else { return Ok(()) };
        for e in entries.flatten() {
            let name = e.file_name();
            let is_dir = e.file_type().is_ok_and(|t| t.is_dir());
            if is_dir && !name.as_encoded_bytes().starts_with(b".") {
                walk(&dir.join(&name), comps, depth + 1, out)?;
            }
        }
        return Ok(());
    }
    if !has_magic(first) {
        let next = dir.join(first);
        if rest.is_empty() {
            if next.exists() {
                out.push(next);
            }
            return Ok(());
        }
        return walk(&next, rest, depth, out);
    }
    // A directory that is missing or unreadable matches nothing (no match
    // at all is reported by the caller, naming the pattern).
    let Ok(entries) = std::fs::read_dir(read) else { return Ok(()) };
    for entry in entries {
        let entry = entry?;
        // Names are OS strings, not always UTF-8: match their bytes and
        // keep them as they are, so every matched file can be opened.
        let file = entry.file_name();
        let bytes = file.as_encoded_bytes();
        if bytes.starts_with(b".") && !first.starts_with('.') {
            continue;
        }
        if !matches(first.as_bytes(), bytes) {
            continue;
        }
        let path = dir.join(&file);
        if rest.is_empty() {
            out.push(path);
        } else if entry.file_type().is_ok_and(|t| t.is_dir()) {
            walk(&path, rest, depth, out)?;
        }
    }
    Ok(())
}

/// Shell-style match of a whole name: `*` (any bytes, `/` included), `?`,
/// `[a-z]`, `[!0-9]`. Iterative, with one backtrack point, so time stays
/// linear-ish in the input whatever the pattern (also used on every record
/// by `--route`/`--path`/`--host`).
pub fn matches(pat: &[u8], s: &[u8]) -> bool {
    let (mut i, mut j) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while j < s.len() {
        let step = match pat.get(i) {
            Some(b'*') => {
                star = Some((i, j));
                i += 1;
                continue;
            }
            Some(b'?') => Some(1),
            Some(b'[') => class(&pat[i..], s[j]),
            Some(c) => (*c == s[j]).then_some(1),
            None => None,
        };
        match step {
            Some(len) => {
                i += len;
                j += 1;
            }
            None => match star {
                Some((si, sj)) => {
                    i = si + 1;
                    j = sj + 1;
                    star = Some((si, sj + 1));
                }
                None => return false,
            },
        }
    }
    pat[i..].iter().all(|&c| c == b'*')
}

/// Whether `c` matches the `[...]` class at the start of `pat`; the class's
/// length in the pattern when it does. A `[` without a closing `]` is a
/// literal.
fn class(pat: &[u8], c: u8) -> Option<usize> {
    let Some(end) = pat.iter().skip(2).position(|&b| b == b']').map(|p| p + 2) else {
        return (c == b'[').then_some(1);
    };
    let set = &pat[1..end];
    let (negate, set) = match set.first() {
        Some(b'!' | b'^') => (true, &set[1..]),
        _ => (false, set),
    };
    let mut hit = false;
    let mut k = 0;
    while k < set.len() {
        if k + 2 < set.len() && set[k + 1] == b'-' {
            hit |= (set[k]..=set[k + 2]).contains(&c);
            k += 3;
        } else {
            hit |= set[k] == c;
            k += 1;
        }
    }
    (hit != negate).then_some(end + 1)
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
    fn components_and_double_star() {
        let d = tempfile::tempdir().unwrap();
        for f in ["logs/2024/10/10/a.gz", "logs/2024/10/11/b.gz", "logs/c.gz", "logs/x.txt", "logs/.hidden/d.gz"] {
            let p = d.path().join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "").unwrap();
        }
        let root = d.path().to_str().unwrap();
        let rel = |v: Vec<PathBuf>| -> Vec<String> {
            v.iter().map(|p| p.strip_prefix(d.path()).unwrap().to_string_lossy().into_owned()).collect()
        };
        assert_eq!(
            rel(expand(&format!("{root}/logs/**/*.gz")).unwrap()),
            ["logs/2024/10/10/a.gz", "logs/2024/10/11/b.gz", "logs/c.gz"]
        );
        assert_eq!(
            rel(expand(&format!("{root}/logs/2024/*/1?/*.gz")).unwrap()),
            ["logs/2024/10/10/a.gz", "logs/2024/10/11/b.gz"]
        );
        assert!(expand(&format!("{root}/nothing/**/*.gz")).unwrap().is_empty());
    }

    #[test]
    fn natural_order() {
        let mut v = vec!["access.log.10.gz", "access.log.2.gz", "access.log", "access.log.1"];
        v.sort_by(|a, b| natural(a, b));
        assert_eq!(v, ["access.log", "access.log.1", "access.log.2.gz", "access.log.10.gz"]);
    }
}
