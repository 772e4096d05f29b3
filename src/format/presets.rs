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

/// Names accepted by `--log-format`, most specific first (detection order).
pub const NAMES: [&str; 3] = ["vcombined", "combined", "common"];

/// The preset called `name`, if there is one.
pub fn preset(name: &str) -> Option<LogFormat> {
    let (head, body) = match name {
        // Apache vhost_combined: `%v:%p %h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i"`
        "vcombined" => (vec![VhostPort, Client, Ident, User], combined_body()),
        // nginx default `combined` and Apache `combined`.
        "combined" => (vec![Client, Ident, User], combined_body()),
        // Common Log Format: `%h %l %u %t "%r" %>s %b`.
        "common" => (vec![Client, Ident, User], clf_body()),
        _ => return None,
    };
    Some(LogFormat::new(name, head, body))
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_name_has_a_preset() {
        for n in super::NAMES {
            assert_eq!(super::preset(n).unwrap().name, n);
        }
        assert!(super::preset("nope").is_none());
    }
}
