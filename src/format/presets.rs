//! Built-in formats, by name.

use super::{Field, Item, LogFormat};
use Field::*;

fn lit(s: &str) -> Item {
    Item::Lit(s.as_bytes().to_vec())
}

fn f(x: Field) -> Item {
    Item::Field(x)
}

/// `[%t] "%r" %>s %b` — the part every preset shares after the client fields.
fn clf_body() -> Vec<Item> {
    vec![lit("["), f(TimeLocal), lit("] \""), f(Request), lit("\" "), f(Status), lit(" "), f(Bytes)]
}

fn combined_body() -> Vec<Item> {
    let mut b = clf_body();
    b.extend([lit(" \""), f(Referer), lit("\" \""), f(UserAgent), lit("\"")]);
    b
}

/// Envoy's default access-log format; with `istio`, the three fields Istio
/// adds after `%RESPONSE_FLAGS%`.
fn envoy_body(istio: bool) -> Vec<Item> {
    let mut b = vec![lit("["), f(TimeIso8601), lit("] \""), f(Request), lit("\" "), f(Status), lit(" "), f(Flags)];
    if istio {
        b.extend([lit(" "), f(Opaque), lit(" "), f(Opaque), lit(" \""), f(Opaque), lit("\" ")]);
    } else {
        b.push(lit(" "));
    }
    b.extend([f(RequestLength), lit(" "), f(Bytes), lit(" "), f(Duration(super::Unit::Millis)), lit(" "), f(Opaque)]);
    for (i, field) in [Opaque, UserAgent, Opaque, Host, Opaque].into_iter().enumerate() {
        b.extend([lit(if i == 0 { " \"" } else { "\" \"" }), f(field)]);
    }
    b.push(lit("\""));
    b
}

/// `combined` followed by more nginx variables.
fn combined_plus(tail: &str) -> Vec<Item> {
    let mut b = combined_body();
    b.extend(super::nginx::items(tail).expect("preset tail compiles"));
    b
}

/// Names accepted by `--log-format`, most specific first (detection order).
pub const NAMES: [&str; 16] = [
    "upstreaminfo",
    "nginx_timed",
    "main",
    "vcombined",
    "traefik",
    "combined",
    "common_with_vhost",
    "common",
    "istio",
    "envoy",
    "json",
    "alb",
    "elb",
    "haproxy",
    "w3c",
    "iis",
];

/// The preset called `name`, if there is one. `w3c` has no columns until a
/// file's `#Fields:` header gives them (see [`super::w3c::Columns::find`]).
pub fn preset(name: &str) -> Option<LogFormat> {
    use super::Syntax;
    let special = |syntax, fields| Some(LogFormat::special(name, syntax, fields));
    let (head, body) = match name {
        "json" => return special(Syntax::Json(super::json::Keys::default_keys()), 12),
        "alb" => return special(Syntax::Alb, 12),
        "elb" => return special(Syntax::Elb, 11),
        "haproxy" => return special(Syntax::Haproxy, 9),
        "w3c" => return special(Syntax::W3c(super::w3c::Columns { layouts: Vec::new() }), 12),
        // Headerless IIS logs: the default field set (never detected: a W3C
        // file names its columns, and guessing them would be silent).
        "iis" => {
            let cols = super::w3c::Columns::find(super::w3c::IIS_DEFAULT.as_bytes()).expect("IIS header");
            return special(Syntax::W3c(cols), 12);
        }
        // Envoy's default: `[%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%"
        // %RESPONSE_CODE% %RESPONSE_FLAGS% %BYTES_RECEIVED% %BYTES_SENT% %DURATION%
        // %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% "%REQ(X-FORWARDED-FOR)%" "%REQ(USER-AGENT)%"
        // "%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%"`.
        "envoy" => (vec![], envoy_body(false)),
        // Istio's default: Envoy's with response details, termination
        // details and the transport failure after the flags, and upstream
        // cluster, addresses, SNI and route name after the upstream host
        // (accepted as trailing fields).
        "istio" => (vec![], envoy_body(true)),
        // Traefik's CLF: combined + ` <requests> "<router>" "<backend URL>" <duration>ms`.
        "traefik" => {
            let mut b = combined_body();
            b.extend([
                lit(" "),
                f(Opaque),
                lit(" \""),
                f(Opaque),
                lit("\" \""),
                f(Opaque),
                lit("\" "),
                f(Duration(super::Unit::Millis)),
                lit("ms"),
            ]);
            (vec![Client, Ident, User], b)
        }
        // Kubernetes ingress-nginx `upstreaminfo`.
        "upstreaminfo" => (
            vec![Client, Ident, User],
            combined_plus(
                " $request_length $request_time [$proxy_upstream_name] [$proxy_alternative_upstream_name] \
                 $upstream_addr $upstream_response_length $upstream_response_time $upstream_status $req_id",
            ),
        ),
        // combined + ` $request_time $upstream_response_time`.
        "nginx_timed" => (vec![Client, Ident, User], combined_plus(" $request_time $upstream_response_time")),
        // nginx's documented `main`: combined + ` "$http_x_forwarded_for"`.
        "main" => (vec![Client, Ident, User], combined_plus(" \"$http_x_forwarded_for\"")),
        // Apache vhost_combined: `%v:%p %h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i"`
        "vcombined" => (vec![VhostPort, Client, Ident, User], combined_body()),
        // nginx default `combined` and Apache `combined`.
        "combined" => (vec![Client, Ident, User], combined_body()),
        // Apache `common_with_vhost`: `%v %h %l %u %t "%r" %>s %b`.
        "common_with_vhost" => (vec![Host, Client, Ident, User], clf_body()),
        // Common Log Format: `%h %l %u %t "%r" %>s %b`.
        "common" => (vec![Client, Ident, User], clf_body()),
        _ => return None,
    };
    Some(LogFormat::new(name, head, body))
}

#[cfg(test)]
mod tests {
    #[test]
    fn main_reads_the_forwarded_for_field() {
        let f = super::preset("main").unwrap();
        let line = br#"54.36.149.41 - - [22/Jan/2019:03:56:14 +0330] "GET /a HTTP/1.1" 200 30577 "-" "AhrefsBot" "-""#;
        let r = crate::parse::parse_line(&f, line).unwrap();
        assert_eq!((r.status, r.rest), (Some(200), &b""[..]));
        let f = super::preset("nginx_timed").unwrap();
        let r = crate::parse::parse_line(
            &f,
            br#"192.0.2.1 - - [22/Jan/2019:03:56:14 +0330] "GET /a HTTP/1.1" 200 1 "-" "b" 0.250 0.249"#,
        )
        .unwrap();
        assert_eq!(r.request_time_us, Some(250_000));
    }

    #[test]
    fn every_name_has_a_preset() {
        for n in super::NAMES {
            assert_eq!(super::preset(n).unwrap().name, n);
        }
        assert!(super::preset("nope").is_none());
    }
}
