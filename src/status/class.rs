//! Status classes: 1xx–5xx, and `other` for anything outside 100–599
//! (including a logged `-`).

/// A status class. Its discriminant is its index into per-class arrays
/// (`[u64; 6]` counters, histograms), in report order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Class {
    /// 1xx.
    Informational = 0,
    /// 2xx.
    Success = 1,
    /// 3xx.
    Redirection = 2,
    /// 4xx.
    ClientError = 3,
    /// 5xx.
    ServerError = 4,
    /// Outside 100–599, or no status at all.
    Other = 5,
}

/// Class names in report order (indexed by [`Class::index`]).
pub const CLASS_NAMES: [&str; 6] = ["1xx", "2xx", "3xx", "4xx", "5xx", "other"];

/// Index of the class of a status (`None` is a logged `-`): what
/// [`Class::of`] gives, as a plain index for per-class arrays.
#[inline]
pub fn class_index(status: Option<u32>) -> usize {
    match status {
        Some(s @ 100..=599) => (s / 100 - 1) as usize,
        _ => 5,
    }
}

impl Class {
    /// Every class in report order.
    pub const ALL: [Class; 6] = [
        Class::Informational,
        Class::Success,
        Class::Redirection,
        Class::ClientError,
        Class::ServerError,
        Class::Other,
    ];

    /// The class of a status (`None` is a logged `-`).
    #[inline]
    pub fn of(status: Option<u32>) -> Class {
        Class::ALL[class_index(status)]
    }

    /// The class of its first digit, 1–5.
    pub fn from_digit(d: u32) -> Option<Class> {
        (1..=5).contains(&d).then(|| Class::ALL[d as usize - 1])
    }

    /// Index into per-class arrays.
    #[inline]
    pub fn index(self) -> usize {
        self as usize
    }

    /// `1xx` … `5xx`, `other`.
    pub fn name(self) -> &'static str {
        CLASS_NAMES[self.index()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes() {
        assert_eq!(Class::of(Some(499)), Class::ClientError);
        assert_eq!(Class::of(Some(600)), Class::Other);
        assert_eq!(Class::of(Some(99)), Class::Other);
        assert_eq!(Class::of(None), Class::Other);
        assert_eq!(Class::ServerError.name(), "5xx");
        assert_eq!(Class::from_digit(2), Some(Class::Success));
        assert_eq!(Class::from_digit(6), None);
        for (i, c) in Class::ALL.iter().enumerate() {
            assert_eq!(c.index(), i);
        }
    }
}
