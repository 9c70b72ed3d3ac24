//! Hard limits on the shape of a webhook body, enforced before anything
//! looks at its structure (and again, identically, once it is proven: a
//! leaked token must not be a way to crash us either). Real provider bodies
//! stay far below every one of them.

/// The limits one body is held to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Containers inside containers (JSON) or bracket segments of one key (forms).
    pub max_depth: usize,
    /// Object members, array items and form pairs, all counted together.
    pub max_entries: usize,
    /// Bytes of one key (JSON member name or decoded form key).
    pub max_key_len: usize,
    /// Characters of one JSON number.
    pub max_number_len: usize,
}

impl Limits {
    /// What every webhook route applies. The largest documented bodies
    /// (Eduzz's registration test: 120 keys, 3 levels) fit many times over.
    pub const WEBHOOK: Limits = Limits {
        max_depth: 32,
        max_entries: 10_000,
        max_key_len: 256,
        max_number_len: 64,
    };
}

/// A limit a body passed; each names the limit, so the sender can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LimitError {
    /// Nested deeper than allowed.
    #[error("nested deeper than {0} levels")]
    TooDeep(usize),
    /// More members, items or pairs than allowed.
    #[error("more than {0} keys and items")]
    TooManyEntries(usize),
    /// A key longer than allowed.
    #[error("a key longer than {0} bytes")]
    KeyTooLong(usize),
    /// A number longer than allowed.
    #[error("a number longer than {0} characters")]
    NumberTooLong(usize),
    /// A NUL character (raw, escaped or percent-encoded): never in a real
    /// body, and PostgreSQL text cannot hold it.
    #[error("a NUL character")]
    Nul,
}
