//! Log formats: a compiled list of literals and fields.
//!
//! Presets are written in the same form that user-supplied nginx `log_format`
//! and Apache `LogFormat` strings compile to, so the parser has one engine.

pub mod detect;
pub mod presets;

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
}

impl Field {
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
            Field::Referer => "referrer",
            Field::UserAgent => "user_agent",
        }
    }
}

/// One piece of a format: bytes that must appear as written, or a field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    Lit(Vec<u8>),
    Field(Field),
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
    pub name: String,
    pub head: Vec<Field>,
    pub body: Vec<Item>,
}

impl LogFormat {
    /// Number of fields the format captures.
    pub fn field_count(&self) -> usize {
        self.head.len()
            + self
                .body
                .iter()
                .filter(|i| matches!(i, Item::Field(_)))
                .count()
    }

    pub fn has(&self, f: Field) -> bool {
        self.head.contains(&f) || self.body.contains(&Item::Field(f))
    }
}
