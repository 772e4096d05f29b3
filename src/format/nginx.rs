//! nginx `log_format` strings, pasted as written in nginx.conf, compiled
//! into a [`LogFormat`]; and `log_format` directives read from nginx.conf.

use nom::branch::alt;
use nom::bytes::complete::{is_not, take_while1};
use nom::character::complete::char;
use nom::combinator::map;
use nom::multi::many0;
use nom::sequence::{delimited, preceded};
use nom::{IResult, Parser};

use super::{Field, FormatError, Item, LogFormat, Unit};

enum Tok<'a> {
    Var(&'a str),
    Lit(&'a str),
}

fn var_name(i: &str) -> IResult<&str, &str> {
    take_while1(|c: char| c.is_ascii_alphanumeric() || c == '_').parse(i)
}

fn token(i: &str) -> IResult<&str, Tok<'_>> {
    alt((
        map(preceded(char('$'), alt((delimited(char('{'), var_name, char('}')), var_name))), Tok::Var),
        map(is_not("$"), Tok::Lit),
    ))
    .parse(i)
}

/// The field a variable fills.
fn field(var: &str) -> Field {
    match var {
        "remote_addr" | "realip_remote_addr" => Field::Client,
        "remote_user" => Field::User,
        "time_local" => Field::TimeLocal,
        "time_iso8601" => Field::TimeIso8601,
        "msec" => Field::Msec,
        "request" => Field::Request,
        "status" => Field::Status,
        "body_bytes_sent" => Field::Bytes,
        "http_referer" => Field::Referer,
        "http_user_agent" => Field::UserAgent,
        "host" | "server_name" | "http_host" => Field::Host,
        "request_method" => Field::Method,
        "request_uri" | "uri" | "document_uri" => Field::Target,
        "server_protocol" => Field::Protocol,
        "request_time" => Field::Duration(Unit::Seconds),
        "request_length" => Field::RequestLength,
        "upstream_response_time" => Field::UpstreamTime,
        v if v.starts_with("upstream_") => Field::OpaqueList,
        _ => Field::Opaque,
    }
}

/// Join nginx.conf quoted strings: `'$remote_addr - ' '"$request"'` →
/// `$remote_addr - "$request"` (single or double quotes, `\` escapes).
fn unquote(t: &str) -> String {
    let mut out = String::new();
    let mut chars = t.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\'' || c == '"' {
            let q = c;
            while let Some(d) = chars.next() {
                match d {
                    '\\' => {
                        if let Some(e) = chars.next() {
                            out.push(e);
                        }
                    }
                    d if d == q => break,
                    d => out.push(d),
                }
            }
        }
    }
    out
}

/// Compile a `log_format` string as pasted: the text between the quotes, or
/// the quoted strings themselves when they are single-quoted as nginx.conf
/// usually writes them; `escape=…` may come first.
pub fn compile(spec: &str) -> Result<LogFormat, FormatError> {
    let (s, _) = strip_escape(spec);
    let text = if s.trim_start().starts_with('\'') { unquote(s.trim()) } else { s.to_string() };
    LogFormat::new("nginx log_format", Vec::new(), items(&text)?).check()
}

/// Compile the quoted strings of a `log_format` directive read from nginx.conf.
pub fn compile_conf(args: &str) -> Result<LogFormat, FormatError> {
    let (s, _) = strip_escape(args);
    LogFormat::new("nginx log_format", Vec::new(), items(&unquote(s.trim()))?).check()
}

/// `escape=json` (or default/none) in front of the strings.
fn strip_escape(spec: &str) -> (&str, Option<&str>) {
    let t = spec.trim_start();
    for esc in ["escape=default", "escape=json", "escape=none"] {
        if let Some(rest) = t.strip_prefix(esc) {
            return (rest.trim_start(), Some(esc));
        }
    }
    (spec, None)
}

/// The items of an unquoted `log_format` text, spaces and all.
pub fn items(text: &str) -> Result<Vec<Item>, FormatError> {
    // `many0` over these tokens cannot fail: what it cannot read is left over.
    let (rest, toks) = many0(token).parse_complete(text).unwrap_or((text, Vec::new()));
    if !rest.is_empty() {
        return Err(FormatError::Unexpected(rest.chars().take(20).collect()));
    }
    for w in toks.windows(2) {
        if let (Tok::Var(a), Tok::Var(b)) = (&w[0], &w[1]) {
            return Err(FormatError::Adjacent(format!("${a}"), format!("${b}")));
        }
    }
    let has_body_bytes = toks.iter().any(|t| matches!(t, Tok::Var("body_bytes_sent")));
    let has_request_uri = toks.iter().any(|t| matches!(t, Tok::Var("request_uri")));
    let body: Vec<Item> = toks
        .iter()
        .map(|t| match t {
            Tok::Lit(l) => Item::Lit(l.as_bytes().to_vec()),
            // $bytes_sent stands in for the body size only when that is not logged.
            Tok::Var("bytes_sent") if !has_body_bytes => Item::Field(Field::Bytes),
            Tok::Var("uri" | "document_uri") if has_request_uri => Item::Field(Field::Opaque),
            Tok::Var(v) => Item::Field(field(v)),
        })
        .collect();
    Ok(body)
}

/// The `log_format` directives of an nginx.conf: (name, format string).
/// `include` directives are not followed; their paths are returned so the
/// caller can warn.
pub fn read_conf(text: &str) -> (Vec<(String, String)>, Vec<String>) {
    let mut formats = Vec::new();
    let mut includes = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let mut chars = text.chars().peekable();
    let mut cur = String::new();
    let flush = |cur: &mut String, words: &mut Vec<String>| {
        if !cur.is_empty() {
            words.push(std::mem::take(cur));
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '#' => {
                flush(&mut cur, &mut words);
                for d in chars.by_ref() {
                    if d == '\n' {
                        break;
                    }
                }
            }
            '\'' | '"' => {
                // A quoted string is kept with its quotes so compile() can join them.
                cur.push(c);
                while let Some(d) = chars.next() {
                    cur.push(d);
                    if d == '\\' {
                        if let Some(e) = chars.next() {
                            cur.push(e);
                        }
                    } else if d == c {
                        break;
                    }
                }
                flush(&mut cur, &mut words);
            }
            ';' | '{' | '}' => {
                flush(&mut cur, &mut words);
                match words.first().map(String::as_str) {
                    Some("log_format") if words.len() >= 3 => {
                        let name = words[1].clone();
                        formats.push((name, words[2..].join(" ")));
                    }
                    Some("include") if words.len() >= 2 => includes.push(words[1].clone()),
                    _ => {}
                }
                words.clear();
            }
            c if c.is_whitespace() => flush(&mut cur, &mut words),
            c => cur.push(c),
        }
    }
    (formats, includes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_line;

    #[test]
    fn compiles_and_parses_a_timed_format() {
        let f = compile(r#"$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $request_time $upstream_response_time"#).unwrap();
        let r = parse_line(&f, br#"192.0.2.1 - - [10/Oct/2023:13:55:36 +0000] "GET /a HTTP/1.1" 200 5 "-" "ua x" 0.120 0.002, 0.118 : 0.010"#).unwrap();
        assert_eq!((r.status, r.request_time_us, r.upstream_time_us), (Some(200), Some(120_000), Some(130_000)));
        let r =
            parse_line(&f, br#"192.0.2.1 - - [10/Oct/2023:13:55:36 +0000] "GET /a HTTP/1.1" 499 0 "-" "ua" 0.000 -"#)
                .unwrap();
        assert_eq!(r.upstream_time_us, None);
    }

    #[test]
    fn braces_quotes_iso_time_and_escape_json() {
        let f = compile(r#"escape=json '{"t":"${time_iso8601}","ip":"$remote_addr",' '"req":"$request","s":$status,"ua":"$http_user_agent","host":"$host"}'"#).unwrap();
        let r = parse_line(&f, br#"{"t":"2024-01-31T00:00:02+05:00","ip":"192.0.2.1","req":"GET /x?y=1 HTTP/1.1","s":404,"ua":"a \"q\" b","host":"example.com"}"#).unwrap();
        assert_eq!((r.status, r.vhost, r.user_agent), (Some(404), &b"example.com"[..], &br#"a \"q\" b"#[..]));
        assert_eq!(r.time.unwrap().offset, 5 * 3600);
    }

    #[test]
    fn method_and_uri_without_request() {
        let f = compile("$msec $request_method $request_uri $status $request_time").unwrap();
        let r = parse_line(&f, b"1706641202.123 POST /api/v1/users/7?x=1 201 0.003").unwrap();
        assert_eq!(
            (r.method, r.target, r.request_time_us),
            (Some(&b"POST"[..]), &b"/api/v1/users/7?x=1"[..], Some(3_000))
        );
        let f = compile("$remote_addr $uri $status").unwrap();
        let r = parse_line(&f, b"192.0.2.1 /users/5 200").unwrap();
        assert_eq!(r.method, Some(&b"-"[..]), "no method logged: every target still gets a route");
    }

    #[test]
    fn errors() {
        let e = compile("$remote_addr$status").unwrap_err();
        assert_eq!(
            e.to_string(),
            "fields $remote_addr and $status follow each other with nothing between them, so a line cannot be split"
        );
        assert!(compile("just text").is_err());
    }

    #[test]
    fn reads_nginx_conf() {
        let conf = "http {\n  # comment; log_format fake 'x';\n  include mime.types;\n  log_format main '$remote_addr - $remote_user [$time_local] \"$request\" '\n                  '$status $body_bytes_sent';\n  log_format json escape=json '{\"s\":$status}';\n  access_log /var/log/nginx/access.log main;\n}\n";
        let (f, inc) = read_conf(conf);
        assert_eq!(inc, ["mime.types"]);
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].0, "main");
        let main = compile_conf(&f[0].1).unwrap();
        assert!(parse_line(&main, br#"192.0.2.1 - - [10/Oct/2023:13:55:36 +0000] "GET / HTTP/1.1" 200 5"#).is_ok());
        assert!(compile_conf(&f[1].1).is_ok());
        // A format that starts with a literal quote is not mistaken for conf quoting.
        let q = compile(r#""$request" $status"#).unwrap();
        assert!(parse_line(&q, br#""GET / HTTP/1.1" 200"#).is_ok());
    }
}
