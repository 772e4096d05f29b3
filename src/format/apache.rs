//! Apache `LogFormat` strings, as written in httpd.conf, compiled into a
//! [`LogFormat`].
//!
//! Supported: `%h %a %l %u %t %r %s %>s %<s %b %B %O %I %D %T %{ms}T %{us}T
//! %{s}T %m %U %q %H %v %V %p %P %{X}i %{X}o %{X}e %{X}n %{X}C %{sec}t
//! %{msec}t %%`, with status-condition modifiers (`%!200,304r`) ignored;
//! `%U%q` is read as one target. Other `%{format}t` strftime formats are
//! matched but not read as the time.

use super::{Field, FormatError, Item, LogFormat, Unit};

/// httpd.conf writes quotes inside the format as `\"`.
fn unescape(s: &str) -> String {
    let t = s.trim();
    let t = t.strip_prefix('"').and_then(|x| x.strip_suffix('"')).unwrap_or(t);
    let mut out = String::new();
    let mut chars = t.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('t') => out.push('\t'),
                Some(d) => out.push(d),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn directive(letter: char, arg: Option<&str>) -> Result<Vec<Item>, FormatError> {
    let f = |x| Ok(vec![Item::Field(x)]);
    match (letter, arg) {
        ('h' | 'a', _) => f(Field::Client),
        ('l', _) => f(Field::Ident),
        ('u', _) => f(Field::User),
        ('t', None) => Ok(vec![Item::Lit(b"[".to_vec()), Item::Field(Field::TimeLocal), Item::Lit(b"]".to_vec())]),
        ('t', Some("%d/%b/%Y:%H:%M:%S %z")) => f(Field::TimeLocal),
        ('t', Some("sec" | "msec_frac" | "usec_frac")) => f(Field::Msec),
        ('t', Some(_)) => f(Field::Opaque),
        ('r', _) => f(Field::Request),
        ('s', _) => f(Field::Status),
        ('b' | 'B', _) => f(Field::Bytes),
        ('D', _) => f(Field::Duration(Unit::Micros)),
        ('T', Some("ms")) => f(Field::Duration(Unit::Millis)),
        ('T', Some("us")) => f(Field::Duration(Unit::Micros)),
        ('T', _) => f(Field::Duration(Unit::Seconds)),
        ('m', _) => f(Field::Method),
        ('I', _) => f(Field::RequestLength),
        ('U', _) => f(Field::Target),
        ('H', _) => f(Field::Protocol),
        ('v' | 'V', _) => f(Field::Host),
        ('i', Some(h)) if h.eq_ignore_ascii_case("referer") => f(Field::Referer),
        ('i', Some(h)) if h.eq_ignore_ascii_case("user-agent") => f(Field::UserAgent),
        ('A' | 'q' | 'p' | 'P' | 'O' | 'S' | 'X' | 'k' | 'L' | 'R' | 'f' | 'i' | 'o' | 'e' | 'n' | 'C' | 'x', _) => {
            f(Field::Opaque)
        }
        (c, _) => Err(FormatError::UnknownDirective(c)),
    }
}

/// Compile a `LogFormat` string.
pub fn compile(spec: &str) -> Result<LogFormat, FormatError> {
    let text = unescape(spec);
    let mut body: Vec<Item> = Vec::new();
    let mut lit = String::new();
    let mut chars = text.chars().peekable();
    // The last directive, as written, for messages.
    let mut last: Option<(char, Option<String>)> = None;
    while let Some(c) = chars.next() {
        if c != '%' {
            lit.push(c);
            continue;
        }
        if chars.peek() == Some(&'%') {
            chars.next();
            lit.push('%');
            continue;
        }
        // Modifiers: status conditions (!200,304) and < >.
        while matches!(chars.peek(), Some(d) if d.is_ascii_digit() || matches!(d, '!' | ',' | '<' | '>')) {
            chars.next();
        }
        let arg = if chars.peek() == Some(&'{') {
            chars.next();
            let a: String = chars.by_ref().take_while(|d| *d != '}').collect();
            Some(a)
        } else {
            None
        };
        let letter = chars.next().ok_or(FormatError::LonePercent)?;
        if !lit.is_empty() {
            body.push(Item::Lit(std::mem::take(&mut lit).into_bytes()));
        }
        // %U%q is the target with its query: one field.
        if letter == 'q' && matches!(body.last(), Some(Item::Field(Field::Target))) {
            continue;
        }
        let items = directive(letter, arg.as_deref())?;
        let shown = |l: char, a: &Option<String>| match a {
            Some(a) => format!("%{{{a}}}{l}"),
            None => format!("%{l}"),
        };
        if let (Some(Item::Field(_)), Some(Item::Field(_))) = (body.last(), items.first()) {
            let prev = last.as_ref().map_or_else(String::new, |(l, a)| shown(*l, a));
            return Err(FormatError::Adjacent(
                crate::text::escape(prev.as_bytes()),
                crate::text::escape(shown(letter, &arg).as_bytes()),
            ));
        }
        body.extend(items);
        last = Some((letter, arg));
    }
    if !lit.is_empty() {
        body.push(Item::Lit(lit.into_bytes()));
    }
    // With both %D and %T, keep the finest as the request time.
    let rank = |u: &Unit| match u {
        Unit::Micros => 0,
        Unit::Millis => 1,
        Unit::Seconds => 2,
    };
    let finest = body
        .iter()
        .filter_map(|i| if let Item::Field(Field::Duration(u)) = i { Some(*u) } else { None })
        .min_by_key(rank);
    for i in &mut body {
        if let Item::Field(Field::Duration(u)) = i
            && Some(*u) != finest
        {
            *i = Item::Field(Field::Opaque);
        }
    }
    LogFormat::new("apache LogFormat", Vec::new(), body).check()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_line;

    #[test]
    fn combined_with_duration() {
        let f = compile(r#"%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\" %D"#).unwrap();
        let r = parse_line(&f, br#"192.0.2.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /a.gif HTTP/1.0" 200 2326 "http://x/" "Mozilla" 1234"#).unwrap();
        assert_eq!((r.user, r.status, r.bytes, r.request_time_us), (&b"frank"[..], Some(200), 2326, Some(1234)));
        assert_eq!(r.user_agent, b"Mozilla");
    }

    #[test]
    fn vhost_method_target_and_odd_literals() {
        let f = compile(r#"%v:%p %a %m %U%q %H %>s %{ms}T"#).unwrap();
        let r = parse_line(&f, b"example.com:443 2001:db8::1 GET /x?y=1 HTTP/2.0 404 12").unwrap();
        assert_eq!(
            (r.vhost, r.target, r.status, r.request_time_us),
            (&b"example.com"[..], &b"/x?y=1"[..], Some(404), Some(12_000))
        );
        let f = compile(r#"%h <<%P>> %t %Dus "%r" %>s %b  "%{Referer}i" "%{User-Agent}i" %l %u"#).unwrap();
        let r = parse_line(&f, br#"127.0.0.1 <<6113>> [16/Aug/2013:15:45:34 +0000] 1966093us "GET / HTTP/1.1" 200 3478  "https://example.com/" "Mozilla/5.0 (X11)" - -"#).unwrap();
        assert_eq!((r.request_time_us, r.status), (Some(1_966_093), Some(200)));
    }

    #[test]
    fn errors() {
        assert!(compile("%h %Z").unwrap_err().to_string().contains("%Z"));
        assert_eq!(compile("%h%u").unwrap_err(), FormatError::Adjacent("%h".into(), "%u".into()));
        assert_eq!(compile("%h %{X-Id}i%s").unwrap_err(), FormatError::Adjacent("%{X-Id}i".into(), "%s".into()));
        assert!(compile("%h %").is_err());
    }
}
