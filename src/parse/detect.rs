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
///
/// The presets are scored in the order of their fit on the first
/// [`PEEK_LINES`] lines, and a preset's scoring stops as soon as it can no
/// longer win: the same winner as scoring every preset on every sample
/// line (detection had been half of a small log's user time; a 600-line
/// log end to end: 3.35 → 2.83 ms).
pub fn detect(head: &[u8], whole: bool) -> Detection {
    // W3C columns from the sample's header only: `head` may be a whole
    // mapped file (the caller fills in every header once W3C is chosen).
    let sample = &head[..head.len().min(SAMPLE_BYTES)];
    let formats: Vec<LogFormat> = NAMES
        .iter()
        .filter(|n| **n != "iis")
        .filter_map(|name| with_columns(preset(name).expect("preset"), sample))
        .collect();
    let mut order: Vec<(usize, usize)> = formats.iter().enumerate().map(|(i, f)| (peek(f, head, whole), i)).collect();
    order.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    // The best so far and its place in the list (ties go to the earlier).
    let mut best: Option<(Detection, usize)> = None;
    for (_, i) in order {
        // Only a greater fit beats a preset earlier in the list; an equal
        // one beats a later one. What comes back has beaten the bar.
        let bar = best.as_ref().map(|(b, j)| (b.fit, i > *j));
        if let Some(d) = score_to_beat(formats[i].clone(), head, whole, bar) {
            best = Some((d, i));
        }
    }
    match best {
        Some((b, _)) if b.fit > 0 => b,
        _ => score(preset("combined").expect("preset"), head, whole),
    }
}

/// Sample lines [`detect`] orders the presets by.
pub const PEEK_LINES: usize = 8;

/// How well `format` fits the first [`PEEK_LINES`] sample lines.
fn peek(format: &LogFormat, head: &[u8], whole: bool) -> usize {
    let fields = format.field_count();
    sample_lines(head, whole)
        .take(PEEK_LINES)
        .filter_map(|line| parse_line(format, line).ok())
        .map(|r| if r.rest.trim_ascii().is_empty() { 2 * fields } else { fields })
        .sum()
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
    score_to_beat(format, head, whole, None).expect("no bar to beat")
}

/// [`score`], or `None` once `format` can no longer beat `bar`: a fit,
/// and whether only a greater fit beats it (else an equal one does too).
/// Every remaining sample line could at most add twice the field count.
fn score_to_beat(format: LogFormat, head: &[u8], whole: bool, bar: Option<(usize, bool)>) -> Option<Detection> {
    // Whether a final fit of `fit` would lose to the bar.
    let loses = |fit: usize| matches!(bar, Some((b, strict)) if fit < b || (fit == b && strict));
    let (mut matched, mut sampled, mut offset, mut fit) = (0, 0, None, 0);
    let mut first_miss = None;
    let fields = format.field_count();
    let sample = &head[..head.len().min(SAMPLE_BYTES)];
    if !sample.is_empty() && memchr::memchr(b'\n', sample).is_none() && !(whole && head.len() < SAMPLE_BYTES) {
        // One line longer than the whole sample: nothing to score, and
        // what does not fit is its length, not its content.
        let miss = super::Malformed { reason: super::Reason::TooLong, field: None };
        let first_miss = Some((1, miss, sample[..200].to_vec()));
        return (!loses(0)).then_some(Detection { format, matched: 0, sampled: 1, offset: None, fit: 0, first_miss });
    }
    for (seen, line) in sample_lines(head, whole).enumerate() {
        if loses(fit + (SAMPLE_LINES - seen) * 2 * fields) {
            return None;
        }
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
    (!loses(fit)).then_some(Detection { format, matched, sampled, offset, fit, first_miss })
}

#[cfg(test)]
mod tests {
    use super::*;

    const COMBINED: &str = "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.0\" 200 2326 \"-\" \"curl\"\n";
    const COMMON: &str = "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.0\" 200 2326\n";
    const VHOST: &str =
        "example.com:80 1.2.3.4 - - [10/Oct/2000:13:55:36 +0100] \"GET / HTTP/1.0\" 200 2326 \"-\" \"curl\"\n";

    /// What [`detect`] did before it ordered and cut short: every preset
    /// scored on every sample line, in list order, the first best kept.
    fn detect_every_line(head: &[u8], whole: bool) -> Detection {
        let mut best: Option<Detection> = None;
        for name in NAMES.iter().filter(|n| **n != "iis") {
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

    fn same(a: &Detection, b: &Detection) -> bool {
        (&a.format.name, a.matched, a.sampled, a.offset, a.fit, &a.first_miss)
            == (&b.format.name, b.matched, b.sampled, b.offset, b.fit, &b.first_miss)
    }

    /// Lines of every format the presets know, by file (the repository's
    /// samples), and a group of odd ones.
    fn pool() -> Vec<Vec<Vec<u8>>> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/sample-logs");
        let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(format!("{dir}/formats"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .chain(["access.log", "timed.log", "odd.log"].map(|f| std::path::Path::new(dir).join(f)))
            .collect();
        files.sort();
        let mut groups: Vec<Vec<Vec<u8>>> = files
            .iter()
            .map(|f| std::fs::read(f).unwrap().split(|&b| b == b'\n').take(60).map(<[u8]>::to_vec).collect())
            .collect();
        groups.push(
            [COMBINED, COMMON, VHOST, "", "garbage", "#Fields: date time cs-uri-stem sc-status"]
                .map(|l| l.trim_end_matches('\n').as_bytes().to_vec())
                .to_vec(),
        );
        groups
    }

    proptest::proptest! {
        /// Ordering the presets and cutting their scoring short picks what
        /// scoring every preset on every line picks, with the same counts:
        /// a few lines of one file first (what the order comes from), then
        /// lines of another, then lines from anywhere; now and then a line
        /// cut short.
        #[test]
        fn detect_agrees_with_scoring_every_line(
            lead in (0usize..100, 0usize..12),
            body in (0usize..100, 0usize..240),
            noise in proptest::collection::vec((0usize..100, 0usize..100, 0usize..4), 0..30),
            whole: bool,
        ) {
            let pool = pool();
            let line = |g: usize, i: usize| {
                let g = &pool[g % pool.len()];
                &g[i % g.len()][..]
            };
            let mut picks: Vec<(&[u8], usize)> = Vec::new();
            picks.extend((0..lead.1).map(|i| (line(lead.0, i), 1)));
            picks.extend((0..body.1).map(|i| (line(body.0, i), 1)));
            picks.extend(noise.iter().map(|&(g, i, cut)| (line(g, i), cut)));
            let mut head = Vec::new();
            for (l, cut) in picks {
                head.extend_from_slice(if cut == 0 { &l[..l.len() / 2] } else { l });
                head.push(b'\n');
            }
            let (new, old) = (detect(&head, whole), detect_every_line(&head, whole));
            proptest::prop_assert!(same(&new, &old), "{} vs {}", new.format.name, old.format.name);
        }
    }

    /// Common lines first (so `common` is scored first), then combined
    /// lines: somewhere in between `combined` wins narrowly, after being
    /// scored second against `common`'s fit as the bar.
    #[test]
    fn a_narrow_winner_scored_second_still_wins() {
        let mut winners = std::collections::BTreeSet::new();
        for c in PEEK_LINES..SAMPLE_LINES {
            let head = format!("{}{}", COMMON.repeat(c), COMBINED.repeat(SAMPLE_LINES - c));
            let (new, old) = (detect(head.as_bytes(), true), detect_every_line(head.as_bytes(), true));
            assert!(same(&new, &old), "{c} common lines: {} vs {}", new.format.name, old.format.name);
            winners.insert(old.format.name.clone());
        }
        assert_eq!(winners.len(), 2, "{winners:?}");
    }

    #[test]
    fn detect_agrees_on_each_sample_file() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/sample-logs");
        let mut n = 0;
        for e in std::fs::read_dir(format!("{dir}/formats")).unwrap().chain(std::fs::read_dir(dir).unwrap()) {
            let path = e.unwrap().path();
            if path.is_file() {
                let text = std::fs::read(&path).unwrap();
                for whole in [true, false] {
                    assert!(same(&detect(&text, whole), &detect_every_line(&text, whole)), "{}", path.display());
                }
                n += 1;
            }
        }
        assert!(n >= 13, "{n} files");
    }

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
