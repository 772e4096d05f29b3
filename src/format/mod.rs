//! Log formats: a compiled list of literals and fields.
//!
//! Presets are written in the same form that user-supplied nginx `log_format`
//! and Apache `LogFormat` strings compile to, so the parser has one engine.

pub mod apache;
pub mod json;
pub mod nginx;
pub mod presets;
pub mod w3c;

/// What a field of the line holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// `%v:%p` — virtual host and port as one token.
    VhostPort,
    /// `$remote_addr` / `%h`: client address or host name.
    Client,
    /// `%l`: identd user (almost always `-`).
    Ident,
    /// `$remote_user` / `%u`.
    User,
    /// `$time_local` / `%t` without its brackets.
    TimeLocal,
    /// `$request` / `%r`.
    Request,
    /// `$status` / `%>s`.
    Status,
    /// `$body_bytes_sent` / `%b` (`-` means 0).
    Bytes,
    /// `$http_referer`.
    Referer,
    /// `$http_user_agent`.
    UserAgent,
    /// `$host`, `$server_name`, `%v`, `%V`: the virtual host.
    Host,
    /// `$request_method`, `%m`.
    Method,
    /// `$request_uri`, `%U%q`, `$uri`, `%U`: the target (with or without query).
    Target,
    /// `$server_protocol`, `%H`.
    Protocol,
    /// `$time_iso8601`: `2024-01-31T00:00:02+05:00`.
    TimeIso8601,
    /// `$msec`: Unix seconds with milliseconds, `1706641202.123`.
    Msec,
    /// A request duration in the given unit (`$request_time`, `%D`, `%T`, `%{ms}T`).
    Duration(Unit),
    /// `$request_length` / `%I`: bytes of the request (line, headers, body).
    RequestLength,
    /// `$upstream_response_time`: a list like `0.002, 0.118 : 0.010` (summed) or `-`.
    UpstreamTime,
    /// A proxy's flags for how the request ended (Envoy `%RESPONSE_FLAGS%`,
    /// HAProxy's termination state): kept in records.
    Flags,
    /// Any other variable: matched and skipped.
    Opaque,
    /// Any other list-valued variable (`$upstream_addr`, `$upstream_status`): skipped.
    OpaqueList,
}

/// The unit a logged duration is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Seconds with a fraction (`0.123`), as nginx and `%T` write them.
    Seconds,
    /// Milliseconds (`%{ms}T`).
    Millis,
    /// Microseconds (`%D`, `%{us}T`).
    Micros,
}

impl Field {
    /// The field's name in messages.
    pub fn name(self) -> &'static str {
        match self {
            Field::VhostPort => "vhost",
            Field::Client => "client",
            Field::Ident => "ident",
            Field::User => "user",
            Field::TimeLocal => "time",
            Field::Request => "request",
            Field::Status => "status",
            Field::Bytes => "bytes",
            Field::RequestLength => "request_length",
            Field::Referer => "referrer",
            Field::UserAgent => "user_agent",
            Field::Host => "host",
            Field::Method => "method",
            Field::Target => "target",
            Field::Protocol => "protocol",
            Field::TimeIso8601 => "time_iso8601",
            Field::Msec => "msec",
            Field::Duration(_) => "request_time",
            Field::UpstreamTime => "upstream_time",
            Field::Flags => "flags",
            Field::Opaque | Field::OpaqueList => "field",
        }
    }
}

/// One piece of a format: bytes that must appear as written, or a field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    /// Literal text between fields.
    Lit(Vec<u8>),
    /// A field.
    Field(Field),
}

/// Why a custom format (`nginx:…`, `apache:…`, nginx.conf) cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    /// Two fields with nothing between them (names as written: `$a`, `%h`).
    #[error("fields {0} and {1} follow each other with nothing between them, so a line cannot be split")]
    Adjacent(String, String),
    /// Only literal text.
    #[error("the format has no fields")]
    NoFields,
    /// Text that is not a variable where one must start.
    #[error("unexpected text at '{}' (a '$' must start a variable name)", crate::text::escape(.0.as_bytes()))]
    Unexpected(String),
    /// An Apache `%` directive logstat does not know.
    #[error("unknown LogFormat directive %{}", crate::text::escape(.0.to_string().as_bytes()))]
    UnknownDirective(char),
    /// An Apache format ending with `%`.
    #[error("the format ends with a lone %")]
    LonePercent,
}

/// How a field's extent is found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum End {
    /// A quoted field: up to the closing quote after which the line goes on
    /// with this literal (or space / end of line when `None`).
    Quote(Option<Vec<u8>>),
    /// `[time]`: up to the `]`.
    Bracket,
    /// Up to the first occurrence of this byte, or the end of the line.
    Byte(u8),
    /// A list of values separated by `, ` or ` : ` (nginx upstream variables).
    List,
}

/// A body item with its field terminator worked out once, at compile time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Op {
    /// Expect this literal text.
    Lit(Vec<u8>),
    /// Read a field up to where it ends.
    Field(Field, End),
}

/// How a line is read: the compiled items of a template (CLF family,
/// nginx/Apache custom formats, Traefik CLF, Envoy), or a grammar of its own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Syntax {
    /// The format's `ops`.
    Template,
    /// JSON lines: values found by key path (see [`json::Keys`]).
    Json(json::Keys),
    /// W3C extended (IIS, CloudFront): columns named by a `#Fields:` header.
    W3c(w3c::Columns),
    /// AWS Application Load Balancer access log.
    Alb,
    /// AWS Classic Load Balancer access log.
    Elb,
    /// HAProxy's HTTP log (`option httplog`), with or without a syslog prefix.
    Haproxy,
}

/// A compiled log format.
///
/// `head` are space-separated fields written before the `[time]` bracket
/// (`%h %l %u`); they are matched from the right, so extra leading tokens (an
/// empty `$http_host`, an X-Forwarded-For list) do not break the line. `body`
/// starts at the bracket. Bytes after the last item are accepted when they
/// start with a space: setups often append fields to a standard format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogFormat {
    /// The name shown (`combined`, `nginx log_format`).
    pub name: String,
    /// Fields before the body, space-separated (virtual host prefixes).
    pub head: Vec<Field>,
    /// The items of the line, in order.
    pub body: Vec<Item>,
    ops: Vec<Op>,
    /// Whether the format logs the method (`$request` or `$request_method`);
    /// without it, every target gets a route.
    pub method_known: bool,
    /// How lines are read.
    pub syntax: Syntax,
    /// Fields a grammar of its own captures (for detection's scoring).
    special_fields: usize,
    /// Whether the line starts `client ident user [time] "request" status
    /// bytes` (the CLF family), the first [`CLF_START_OPS`] ops: the parser
    /// reads that start by straight-line code.
    pub clf_start: bool,
    /// Whether ` "referrer" "user agent"` follows that start (combined and
    /// the formats that extend it), [`COMBINED_OPS`] ops in all.
    pub combined_start: bool,
    /// Whether the combined start is followed by exactly
    /// ` $request_time $upstream_response_time` (the `nginx_timed` shape):
    /// the parser reads a lone time in each by straight-line code.
    pub timed_tail: bool,
}

/// Ops the CLF-family start covers (see [`LogFormat::clf_start`]).
pub const CLF_START_OPS: usize = 8;
/// Ops the combined start covers (see [`LogFormat::combined_start`]).
pub const COMBINED_OPS: usize = 13;

/// A literal op.
fn lit(s: &str) -> Op {
    Op::Lit(s.as_bytes().to_vec())
}

/// Whether `ops` begin `[%t] "%r" %>s %b` followed by a space or the end.
fn starts_clf(ops: &[Op]) -> bool {
    let start = [
        lit("["),
        Op::Field(Field::TimeLocal, End::Bracket),
        lit("] \""),
        Op::Field(Field::Request, End::Quote(Some(b"\" ".to_vec()))),
        lit("\" "),
        Op::Field(Field::Status, End::Byte(b' ')),
        lit(" "),
        Op::Field(Field::Bytes, End::Byte(b' ')),
    ];
    ops.len() >= CLF_START_OPS
        && ops[..CLF_START_OPS] == start
        && ops.get(CLF_START_OPS).is_none_or(|o| matches!(o, Op::Lit(l) if l[0] == b' '))
}

/// Whether `ops` go on after the CLF start with ` "%{Referer}i"
/// "%{User-Agent}i"`, followed by a space or the end.
fn starts_combined(ops: &[Op]) -> bool {
    let tail = [
        lit(" \""),
        Op::Field(Field::Referer, End::Quote(Some(b"\" \"".to_vec()))),
        lit("\" \""),
        Op::Field(Field::UserAgent, End::Quote(Some(b"\"".to_vec()))),
        lit("\""),
    ];
    ops.len() >= COMBINED_OPS
        && ops[CLF_START_OPS..COMBINED_OPS] == tail
        && ops.get(COMBINED_OPS).is_none_or(|o| matches!(o, Op::Lit(l) if l[0] == b' '))
}

/// Whether `ops` end, after the combined start, with
/// ` $request_time $upstream_response_time` and nothing more.
fn ends_timed(ops: &[Op]) -> bool {
    let tail = [
        lit(" "),
        Op::Field(Field::Duration(Unit::Seconds), End::Byte(b' ')),
        lit(" "),
        Op::Field(Field::UpstreamTime, End::List),
    ];
    ops.get(COMBINED_OPS..) == Some(&tail[..])
}

impl LogFormat {
    /// A format from its items, compiled into parse operations.
    pub fn new(name: &str, head: Vec<Field>, body: Vec<Item>) -> LogFormat {
        let ops: Vec<Op> = body
            .iter()
            .enumerate()
            .map(|(i, item)| match item {
                Item::Lit(l) => Op::Lit(l.clone()),
                Item::Field(f) => {
                    let next = match body.get(i + 1) {
                        Some(Item::Lit(l)) => Some(l.clone()),
                        _ => None,
                    };
                    let quoted = i > 0 && matches!(&body[i - 1], Item::Lit(l) if l.last() == Some(&b'"'));
                    let end = if quoted {
                        End::Quote(next)
                    } else if matches!(f, Field::UpstreamTime | Field::OpaqueList) {
                        End::List
                    } else if *f == Field::TimeLocal && next.as_ref().is_none_or(|l| l[0] == b']') {
                        End::Bracket
                    } else {
                        match next {
                            Some(l) => End::Byte(l[0]),
                            None => End::Byte(b' '),
                        }
                    };
                    Op::Field(*f, end)
                }
            })
            .collect();
        let method_known = body.iter().any(|i| matches!(i, Item::Field(Field::Request | Field::Method)));
        let clf_start = head == [Field::Client, Field::Ident, Field::User] && starts_clf(&ops);
        let combined_start = clf_start && starts_combined(&ops);
        let timed_tail = combined_start && ends_timed(&ops);
        LogFormat {
            name: name.to_string(),
            head,
            body,
            ops,
            method_known,
            syntax: Syntax::Template,
            special_fields: 0,
            clf_start,
            combined_start,
            timed_tail,
        }
    }

    /// A format with a grammar of its own, capturing about `fields` fields.
    pub fn special(name: &str, syntax: Syntax, fields: usize) -> LogFormat {
        LogFormat {
            name: name.to_string(),
            head: Vec::new(),
            body: Vec::new(),
            ops: Vec::new(),
            method_known: true,
            syntax,
            special_fields: fields,
            clf_start: false,
            combined_start: false,
            timed_tail: false,
        }
    }

    /// The body as parse operations.
    #[inline]
    pub fn ops(&self) -> &[Op] {
        &self.ops
    }

    /// The field a literal op guards: the next field, else the previous one.
    pub fn field_near(&self, op: &Op) -> Option<Field> {
        let i = self.ops.iter().position(|o| std::ptr::eq(o, op))?;
        let field = |o: &Op| match o {
            Op::Field(f, _) => Some(*f),
            Op::Lit(_) => None,
        };
        self.ops[i..].iter().find_map(field).or_else(|| self.ops[..i].iter().rev().find_map(field))
    }

    /// The last field of the body.
    pub fn last_field(&self) -> Option<Field> {
        self.ops.iter().rev().find_map(|o| match o {
            Op::Field(f, _) => Some(*f),
            Op::Lit(_) => None,
        })
    }

    /// Whether the format captures `f` (in its head or body).
    pub fn captures(&self, f: Field) -> bool {
        match &self.syntax {
            Syntax::Template => {}
            Syntax::Json(k) => return k.captures(f),
            Syntax::W3c(c) => return c.captures(f),
            Syntax::Alb | Syntax::Elb => return f != Field::User,
            Syntax::Haproxy => return !matches!(f, Field::Host | Field::Referer | Field::UserAgent),
        }
        self.head.contains(&f) || self.body.iter().any(|i| matches!(i, Item::Field(x) if *x == f))
    }

    /// Number of fields in the format.
    pub fn field_count(&self) -> usize {
        self.special_fields + self.head.len() + self.body.iter().filter(|i| matches!(i, Item::Field(_))).count()
    }

    /// Check a compiled custom format: two fields must be separated by text,
    /// or nothing says where one ends.
    pub fn check(self) -> Result<LogFormat, FormatError> {
        for w in self.body.windows(2) {
            if let (Item::Field(a), Item::Field(b)) = (&w[0], &w[1]) {
                return Err(FormatError::Adjacent(a.name().to_string(), b.name().to_string()));
            }
        }
        if !self.body.iter().any(|i| matches!(i, Item::Field(_))) {
            return Err(FormatError::NoFields);
        }
        Ok(self)
    }
}
