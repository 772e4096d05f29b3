use super::*;
use crate::format::presets::preset;

fn combined() -> LogFormat {
    preset("combined").unwrap()
}

fn ok(line: &str) -> Record<'_> {
    parse_line(&combined(), line.as_bytes()).unwrap_or_else(|e| panic!("{line}: {e:?}"))
}

fn reason(fmt: &str, line: &[u8]) -> Reason {
    parse_line(&preset(fmt).unwrap(), line).unwrap_err().reason
}

#[test]
fn standard_combined() {
    let r = ok(
        r#"83.149.9.216 - - [17/May/2015:10:05:03 +0000] "GET /a.png HTTP/1.1" 200 203023 "http://x/" "Mozilla/5.0""#,
    );
    assert_eq!(r.client, b"83.149.9.216");
    assert_eq!(r.method, Some(&b"GET"[..]));
    assert_eq!(r.target, b"/a.png");
    assert_eq!(r.status, Some(200));
    assert_eq!(r.bytes, 203_023);
    assert_eq!(r.referrer, b"http://x/");
    assert_eq!(r.user_agent, b"Mozilla/5.0");
}

#[test]
fn odd_but_valid() {
    let r = ok(r#"0.0.0.0 - - [04/Oct/2022:03:07:27 +0000] "\x16\x03\x01\x00" 400 150 "-" "-""#);
    assert_eq!((r.method, r.status), (None, Some(400)));
    let r = ok(r#"::1 - - [26/Dec/2016:16:16:48 +0200] "-" 408 - "-" "-""#);
    assert_eq!((r.status, r.bytes, r.client), (Some(408), 0, &b"::1"[..]));
    let r = ok(r#"h.example - - [04/Oct/2022:04:34:49 +0000] "" 400 0 "" """#);
    assert_eq!((r.request, r.referrer), (&b""[..], &b""[..]));
    let r = ok(r#"1.2.3.4 - - [11/Jan/2020:23:05:27 +0100] "OPTIONS /remote.php/ HTTP/1.1" - 7908 "-" "m""#);
    assert_eq!(r.status, None);
    let r = ok("1.2.3.4 - - [11/Jan/2020:23:05:27 +0100] \"GET /x HTTP/1.1\" 444 0 \"-\" \"m\"\r");
    assert_eq!((r.status, r.user_agent), (Some(444), &b"m"[..]));
    let r = ok(r#"1.2.3.4 - - [11/Jan/2020:23:05:27 +0100] "GET /x HTTP/1.1" 0 0 "-" "m" "10.0.0.1, 10.0.0.2" 0.123"#);
    assert_eq!(r.status, Some(0));
}

#[test]
fn apache_escapes_in_quoted_fields() {
    let r = ok(
        r#"192.168.0.1 - - [28/Feb/2013:12:00:00 +0900] "GET /\" HTTP/1.1" 200 777 "referer \\ \"" "user agent \\ \"""#,
    );
    assert_eq!(r.target, br#"/\""#);
    assert_eq!(r.referrer, br#"referer \\ \""#);
    assert_eq!(r.user_agent, br#"user agent \\ \""#);
}

#[test]
fn raw_quote_inside_request_is_recovered() {
    let r = ok(r#"1.2.3.4 - - [11/Jan/2020:23:05:27 +0100] "GET /a"b HTTP/1.1" 200 1 "-" "m""#);
    assert_eq!(r.target, br#"/a"b"#);
}

#[test]
fn leading_tokens_before_client() {
    // Honeypot: empty $http_host, then $remote_addr; trailing $server_port.
    let r = ok(r#" 218.92.0.208 - - [01/Apr/2019:06:25:09 +0000] "SSH-2.0-PUTTY" 400 182 "-" "-" 22"#);
    assert_eq!((r.client, r.status, r.method), (&b"218.92.0.208"[..], Some(400), None));
    let r =
        ok(r#"10.0.0.2, 10.0.0.1, 127.0.0.1 - - [07/Dec/2016:11:05:07 +0100] "GET /ocelot HTTP/1.1" 200 571 "-" "M""#);
    assert_eq!(r.client, b"127.0.0.1");
}

#[test]
fn vhost_needs_a_port() {
    let f = preset("vcombined").unwrap();
    let r =
        parse_line(&f, br#"example.com:443 1.2.3.4 - - [11/Jan/2020:23:05:27 +0100] "GET / HTTP/1.1" 200 1 "-" "m""#)
            .unwrap();
    assert_eq!((r.vhost, r.client), (&b"example.com:443"[..], &b"1.2.3.4"[..]));
    assert!(parse_line(&f, br#" 1.2.3.4 - - [11/Jan/2020:23:05:27 +0100] "GET / HTTP/1.1" 200 1 "-" "m""#).is_err());
}

#[test]
fn malformed_reasons() {
    use Reason::*;
    let t = "[10/Oct/2000:13:55:36 -0700]";
    assert_eq!(reason("combined", b""), Blank);
    assert_eq!(reason("combined", b"  \t\r"), Blank);
    assert_eq!(
        reason("combined", format!(r#"1.2.3.4 - - {t} "GET / HTTP/1.1" 200 1 "-" "Googlebot"#).as_bytes()),
        UnclosedQuote
    );
    assert_eq!(reason("combined", b"\x00\x01\xff garbage"), MissingTimestamp);
    assert_eq!(reason("combined", b"not a common log line"), MissingTimestamp);
    assert_eq!(
        reason("combined", br#"1.2.3.4 - - [10/Foo/2000:13:55:36 -0700] "GET / HTTP/1.1" 200 1 "-" "m""#),
        BadTimestamp
    );
    assert_eq!(
        reason("combined", br#"1.2.3.4 - - [10/Oct/2000:13:55:36] "GET / HTTP/1.1" 200 1 "-" "m""#),
        BadTimestamp
    );
    assert_eq!(reason("combined", format!(r#"1.2.3.4 - - {t} "GET / HTTP/1.1" 2x0 1 "-" "m""#).as_bytes()), BadStatus);
    assert_eq!(reason("combined", format!(r#"1.2.3.4 - - {t} "GET / HTTP/1.1" 200 1k "-" "m""#).as_bytes()), BadBytes);
    assert_eq!(reason("combined", format!(r#"1.2.3.4 - - {t} "GET / HTTP/1.1" 200 1"#).as_bytes()), Mismatch);
    assert_eq!(reason("common", b"GET /api/foo/bar HTTP/1.1"), MissingTimestamp);
    assert_eq!(reason("common", b"- - - [1234] - - -"), BadTimestamp);
}

#[test]
fn common_accepts_combined_tail() {
    let f = preset("common").unwrap();
    let r =
        parse_line(&f, br#"127.0.0.1 bob frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326"#)
            .unwrap();
    assert_eq!((r.ident, r.user, r.bytes), (&b"bob"[..], &b"frank"[..], 2326));
    assert!(parse_line(&f, br#"127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" 200 2326 "-" "x""#).is_ok());
}

#[test]
fn durations_in_every_unit() {
    use crate::format::Unit;
    assert_eq!(parse_duration(b"0.123", Unit::Seconds), Some(Some(123_000)));
    assert_eq!(parse_duration(b"12", Unit::Seconds), Some(Some(12_000_000)));
    assert_eq!(parse_duration(b"1.2345678", Unit::Seconds), Some(Some(1_234_567)));
    assert_eq!(parse_duration(b"1.5", Unit::Millis), Some(Some(1_500)));
    assert_eq!(parse_duration(b"250", Unit::Micros), Some(Some(250)));
    assert_eq!(parse_duration(b"-", Unit::Seconds), Some(None));
    for bad in [&b""[..], b".5", b"1.2.3", b"1x", b"-1", b"1234567890123"] {
        assert_eq!(parse_duration(bad, Unit::Seconds), None, "{:?}", String::from_utf8_lossy(bad));
    }
    assert_eq!(parse_upstream(b"0.002, 0.118 : 0.010"), Some(Some(130_000)));
    assert_eq!(parse_upstream(b"-, 0.5"), Some(Some(500_000)));
    assert_eq!(parse_upstream(b"- : -"), Some(None));
    assert_eq!(parse_upstream(b"0.679"), Some(Some(679_000)));
    assert_eq!(parse_upstream(b"-"), Some(None));
    assert_eq!(parse_upstream(b"0.679x"), None);
}

#[test]
fn bytes_saturate_only_past_u64() {
    assert_eq!(parse_bytes(b"9999999999999999999"), Some(9_999_999_999_999_999_999));
    assert_eq!(parse_bytes(b"18446744073709551615"), Some(u64::MAX));
    assert_eq!(parse_bytes(b"99999999999999999999"), Some(u64::MAX));
    // The CLF start reads the size by a loop of its own: same values.
    for (size, want) in [
        ("9999999999999999999", 9_999_999_999_999_999_999),
        ("18446744073709551615", u64::MAX),
        ("18446744073709551616", u64::MAX),
        ("000000000000000000000000042", 42),
        ("99999999999999999999", u64::MAX),
    ] {
        let line = format!(r#"1.2.3.4 - - [11/Jan/2020:23:05:27 +0100] "GET / HTTP/1.1" 200 {size} "-" "curl""#);
        for (fast, slow) in clf_prefix_agrees::formats() {
            let (a, b) = (parse_line(&fast, line.as_bytes()), parse_line(&slow, line.as_bytes()));
            assert_eq!(a, b, "{}: {size}", fast.name);
            if fast.name == "combined" {
                assert_eq!(a.map(|r| r.bytes), Ok(want), "{size}");
            }
        }
    }
}

proptest::proptest! {
    /// The three-decimal shortcut agrees with the general reader.
    #[test]
    fn three_decimals_agree(
        whole in "[0-9]{0,14}",
        frac in proptest::option::of("[0-9]{0,7}"),
        edit in proptest::option::of((0usize..8, proptest::sample::select(b"0123456789.-x/".to_vec()))),
    ) {
        use crate::format::Unit;
        let mut v = whole.into_bytes();
        if let Some(f) = frac {
            v.push(b'.');
            v.extend(f.bytes());
        }
        // An edit counted from the end: the shortcut reads the last bytes.
        if let Some((back, b)) = edit.filter(|(back, _)| *back < v.len()) {
            let at = v.len() - 1 - back;
            v[at] = b;
        }
        for unit in [Unit::Seconds, Unit::Millis, Unit::Micros] {
            proptest::prop_assert_eq!(parse_duration(&v, unit), parse_duration_any(&v, unit));
        }
    }
}

/// The straight-line CLF start (`clf::prefix`) and the template
/// interpreter agree on every line: same record or same refusal. Lines are
/// real-shaped lines with structural bytes inserted, replaced or cut.
mod clf_prefix_agrees {
    use proptest::prelude::*;

    use super::*;

    pub(super) const BASE: &[&str] = &[
        r#"83.149.9.216 - - [17/May/2015:10:05:03 +0000] "GET /a.png?x=1 HTTP/1.1" 200 203023 "http://x/" "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36""#,
        r#"2001:db8::1 - frank [10/Oct/2000:13:55:36 -0700] "POST /api/v1/users/77/orders HTTP/2.0" 499 - "-" "curl/8.0""#,
        r#"::1 - - [26/Dec/2016:16:16:48 +0200] "-" 408 - "-" "-""#,
        r#"1.2.3.4 - - [11/Jan/2020:23:05:27 +0100] "GET /q\"x HTTP/1.1" 404 12 "-" "a \"b\" c" 0.120 0.118"#,
        r#"1.2.3.4 - - [11/Jan/2020:23:05:27 +0100] "GET / HTTP/1.1" 502 0 "-" "curl" 1.5 0.002, 0.118 : 0.010"#,
        r#"1.2.3.4 - - [11/Jan/2020:23:05:27 +0100] "GET / HTTP/1.1" 499 0 "-" "curl" 0.000 -"#,
        r#"1.2.3.4 - - [11/Jan/2020:23:05:27 +0100] "GET / HTTP/1.1" 200 1 "a" "b" "c"x" 5 "r" "b" 7ms"#,
        r#"1.2.3.4 - - [11/Jan/2020:23:05:27 +0100] "GET / HTTP/1.1" 200 1 "" "" 0.1 - "-""#,
    ];
    const BYTES: &[u8] = b" []\"\\-09aZ:/+\t.\"\" ";

    /// `base` with each edit `(at, byte, kind)` applied: insert `bytes[byte]`
    /// at `at`, replace the byte there, or cut the line at `at`.
    pub(super) fn edited(base: &str, edits: &[(usize, usize, u8)], bytes: &[u8]) -> Vec<u8> {
        let mut line = base.as_bytes().to_vec();
        for &(at, b, kind) in edits {
            let at = at % (line.len() + 1);
            match kind {
                0 => line.insert(at, bytes[b]),
                1 if at < line.len() => line[at] = bytes[b],
                _ => line.truncate(at),
            }
        }
        line
    }

    pub(super) fn formats() -> Vec<(LogFormat, LogFormat)> {
        ["combined", "common", "main", "nginx_timed", "upstreaminfo", "traefik"]
            .iter()
            .map(|n| {
                let fast = preset(n).unwrap();
                assert!(fast.clf_start, "{n} takes the CLF start");
                assert_eq!(fast.combined_start, *n != "common", "{n}");
                assert_eq!(fast.timed_tail, *n == "nginx_timed", "{n}");
                let mut slow = fast.clone();
                slow.clf_start = false;
                (fast, slow)
            })
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2048, ..ProptestConfig::default() })]
        #[test]
        fn same_result(base in 0..BASE.len(), edits in proptest::collection::vec((0usize..400, 0usize..BYTES.len(), 0u8..3), 0..4)) {
            let line = edited(BASE[base], &edits, BYTES);
            for (fast, slow) in formats() {
                prop_assert_eq!(parse_line(&fast, &line), parse_line(&slow, &line), "{}: {}", fast.name, String::from_utf8_lossy(&line));
            }
        }
    }
}

/// [`parse_next`], reading a line out of the rest of a chunk and finding its
/// end on the way, agrees with finding the end first and parsing that line
/// with the template interpreter: same length, same record or refusal.
/// Lines are edited as above, with `\n` and `\r` among the bytes put in,
/// and followed by nothing, `\n`, `\r\n` or more lines.
mod parse_next_agrees {
    use proptest::prelude::*;

    use super::*;
    use crate::parse::parse_next;

    const BYTES: &[u8] = b" []\"\\-09aZ:/+\t.\"\" \n\r\n\\,";
    const TAILS: &[&str] = &["", "\n", "\r\n", "\r", "\rx\" \n", "\n1.2.3.4 - - [x", "\r\n\"\\\n", " \"\\\n\"\n"];

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2048, ..ProptestConfig::default() })]
        #[test]
        fn same_line_same_result(
            base in 0..super::clf_prefix_agrees::BASE.len(),
            tail in 0..TAILS.len(),
            edits in proptest::collection::vec((0usize..400, 0usize..BYTES.len(), 0u8..3), 0..4),
        ) {
            let mut data = super::clf_prefix_agrees::edited(super::clf_prefix_agrees::BASE[base], &edits, BYTES);
            data.extend_from_slice(TAILS[tail].as_bytes());
            let end = memchr::memchr(b'\n', &data).unwrap_or(data.len());
            for (fast, slow) in super::clf_prefix_agrees::formats() {
                let mut rec = Record::empty();
                let (len, res) = parse_next(&fast, &data, &mut rec);
                prop_assert_eq!(len, end);
                prop_assert_eq!(res.map(|()| rec), parse_line(&slow, &data[..end]), "{}: {:?}", fast.name, String::from_utf8_lossy(&data));
            }
        }
    }
}
