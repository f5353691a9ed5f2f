//! Where personal data is kept: readers for store definitions and the operations on them.
//!
//! [`sql`] reads SQL schemas, migrations and query strings (with the `sqlparser` crate) and the
//! Diesel `table!` macro. Readers here are language-neutral: they take text and return plain
//! data with byte spans into that text; tying them to files and functions is the caller's job.

pub mod sql;
