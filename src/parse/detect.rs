//! Picking a preset from the first lines of an input.

use super::parse_line;
use crate::format::LogFormat;
use crate::format::presets::{NAMES, preset};

/// Lines examined.
pub const SAMPLE_LINES: usize = 200;
/// Bytes examined at most.
pub const SAMPLE_BYTES: usize = 256 << 10;

#[derive(Clone, Debug)]
/// What detection found for one input.
pub struct Detection {
    /// The format chosen (or scored, when fixed).
    pub format: LogFormat,
    /// Non-blank sample lines the format parsed.
    pub matched: usize,
    /// Non-blank sample lines looked at.
    pub sampled: usize,
    /// UTC offset of the first parsed line (the default display zone).
    pub offset: Option<i32>,
    /// How much of the sample the format captured (see [`detect`]).
    pub fit: usize,
    /// The first sample line that did not fit: its number in the sample
    /// (1-based, blank lines skipped), why, and its first bytes.
    pub first_miss: Option<(usize, crate::parse::Malformed, Vec<u8>)>,
}

/// The complete lines at the start of `head` (a final piece without newline
/// counts only when `head` is the whole input).
fn sample_lines(head: &[u8], whole: bool) -> impl Iterator<Item = &[u8]> {
    let head = &head[..head.len().min(SAMPLE_BYTES)];
    let complete = match memchr::memrchr(b'\n', head) {
        _ if whole && head.len() < SAMPLE_BYTES => head,
        Some(i) => &head[..i],
        None => head,
    };
    complete
        .split(|&b| b == b'\n')
        .filter(|l| !crate::parse::trim_cr(l).iter().all(|&b| b == b' ' || b == b'\t'))
        .take(SAMPLE_LINES)
}

/// Try each preset, most specific first. The winner captures the most: each
/// parsed sample line scores the format's field count, doubled when nothing
/// was left over after the last field. So a combined log with truncated
/// lines stays combined even though `common`, which ignores trailing fields,
/// parses those lines too. Ties go to the more specific format; when nothing
/// fits at all, `combined` (the most common format) is used.
pub fn detect(head: &[u8], whole: bool) -> Detection {
    let mut best: Option<Detection> = None;
    for name in NAMES.iter().filter(|n| **n != "iis") {
        // W3C columns from the sample's header only: `head` may be a whole
        // mapped file (the caller fills in every header once W3C is chosen).
        let sample = &head[..head.len().min(SAMPLE_BYTES)];
        let Some(format) = with_columns(preset(name).expect("preset"), sample) else { continue };
        let d = score(format, head, whole);
        if best.as_ref().is_none_or(|b| d.fit > b.fit) {
            best = Some(d);
        }
    }
    match best {
        Some(b) if b.fit > 0 => b,
        _ => score(preset("combined").expect("preset"), head, whole),
    }
}

/// A W3C format takes its columns from the `#Fields:` headers in `data`
/// (`None` when there is none); other formats are as given.
pub fn with_columns(mut format: LogFormat, data: &[u8]) -> Option<LogFormat> {
    if let crate::format::Syntax::W3c(cols) = &mut format.syntax {
        match crate::format::w3c::Columns::find(data) {
            Some(found) => *cols = found,
            // `iis` keeps its default columns for headerless files.
            None if !cols.layouts.is_empty() => {}
            None => return None,
        }
    }
    Some(format)
}

/// How well `format` fits the start of an input.
pub fn score(format: LogFormat, head: &[u8], whole: bool) -> Detection {
    let (mut matched, mut sampled, mut offset, mut fit) = (0, 0, None, 0);
    let mut first_miss = None;
    let fields = format.field_count();
    let sample = &head[..head.len().min(SAMPLE_BYTES)];
    if !sample.is_empty() && memchr::memchr(b'\n', sample).is_none() && !(whole && head.len() < SAMPLE_BYTES) {
        // One line longer than the whole sample: nothing to score, and
        // what does not fit is its length, not its content.
        let miss = super::Malformed { reason: super::Reason::TooLong, field: None };
        let first_miss = Some((1, miss, sample[..200].to_vec()));
        return Detection { format, matched: 0, sampled: 1, offset: None, fit: 0, first_miss };
    }
    for line in sample_lines(head, whole) {
        let parsed = parse_line(&format, line);
        if matches!(&parsed, Err(m) if m.reason == super::Reason::Directive) {
            // A W3C header line: neither a fit nor a miss.
            continue;
        }
        sampled += 1;
        if let (Err(m), None) = (&parsed, &first_miss) {
            first_miss = Some((sampled, *m, line[..line.len().min(200)].to_vec()));
        }
        if let Ok(r) = parsed {
            matched += 1;
            fit += if r.rest.trim_ascii().is_empty() { 2 * fields } else { fields };
            if offset.is_none() {
                offset = r.time.map(|t| t.offset);
            }
        }
    }
    Detection { format, matched, sampled, offset, fit, first_miss }
}

#[cfg(test)]
mod tests {
    use super::*;

    const COMBINED: &str = "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.0\" 200 2326 \"-\" \"curl\"\n";
    const COMMON: &str = "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.0\" 200 2326\n";
    const VHOST: &str =
        "example.com:80 1.2.3.4 - - [10/Oct/2000:13:55:36 +0100] \"GET / HTTP/1.0\" 200 2326 \"-\" \"curl\"\n";

    #[test]
    fn picks_each_preset() {
        assert_eq!(detect(COMBINED.repeat(3).as_bytes(), true).format.name, "combined");
        assert_eq!(detect(COMMON.repeat(3).as_bytes(), true).format.name, "common");
        let d = detect(VHOST.repeat(3).as_bytes(), true);
        assert_eq!((d.format.name.as_str(), d.matched, d.offset), ("vcombined", 3, Some(3600)));
    }

    #[test]
    fn truncated_lines_do_not_demote_combined() {
        let truncated = &COMBINED[..COMBINED.len() - 3];
        let mix = format!("{}{truncated}\n{truncated}\n", COMBINED.repeat(4));
        let d = detect(mix.as_bytes(), true);
        assert_eq!((d.format.name.as_str(), d.matched, d.sampled), ("combined", 4, 6));
    }

    #[test]
    fn nothing_fits_means_combined() {
        assert_eq!(detect(b"garbage\nmore garbage\n", true).format.name, "combined");
        assert_eq!(detect(b"", true).format.name, "combined");
    }

    #[test]
    fn majority_wins_and_partial_last_line_is_ignored() {
        let mix = format!("{}{}{}", COMMON.repeat(5), COMBINED, &COMBINED[..30]);
        let d = detect(mix.as_bytes(), false);
        assert_eq!((d.format.name.as_str(), d.matched, d.sampled), ("common", 6, 6));
    }
}
