//! Writing YAML by hand, so the output can carry comments: scalars plain where that is safe in
//! both YAML 1.1 (Fides reads manifests with `PyYAML`) and 1.2, double-quoted otherwise.

/// A scalar: plain when it is a simple word or key (`user.contact.email`, `Consent`), double
/// quoted (JSON syntax, valid YAML) when it could read as something else (`NO`, `yes`, `1e3`,
/// `a: b`, `#x`).
pub fn scalar(s: &str) -> String {
    let plain = s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | '/'))
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n"
        );
    if plain {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
    }
}

/// A flow sequence of scalars: `[a, b]`.
pub fn flow<S: AsRef<str>>(items: &[S]) -> String {
    let items: Vec<String> = items.iter().map(|s| scalar(s.as_ref())).collect();
    format!("[{}]", items.join(", "))
}

/// A block of `key: value` lines at one indentation.
pub struct Block<'o> {
    out: &'o mut String,
    indent: usize,
}

impl<'o> Block<'o> {
    pub fn new(out: &'o mut String, indent: usize) -> Self {
        Self { out, indent }
    }

    fn pad(&mut self) {
        for _ in 0..self.indent {
            self.out.push(' ');
        }
    }

    /// `key: value`, with the value written as given.
    pub fn raw(&mut self, key: &str, value: &str) -> &mut Self {
        self.pad();
        self.out.push_str(&scalar(key));
        self.out.push_str(": ");
        self.out.push_str(value);
        self.out.push('\n');
        self
    }

    /// `key: value  # comment`.
    pub fn commented(&mut self, key: &str, value: &str, comment: &str) -> &mut Self {
        self.pad();
        self.out.push_str(&scalar(key));
        self.out.push_str(": ");
        self.out.push_str(value);
        self.out.push_str("  # ");
        self.out.push_str(comment);
        self.out.push('\n');
        self
    }

    /// `key: scalar` when there is a value.
    pub fn opt(&mut self, key: &str, value: Option<&str>) -> &mut Self {
        if let Some(v) = value {
            self.raw(key, &scalar(v));
        }
        self
    }

    /// `key: [a, b]` when the list is not empty.
    pub fn list<S: AsRef<str>>(&mut self, key: &str, items: &[S]) -> &mut Self {
        if !items.is_empty() {
            self.raw(key, &flow(items));
        }
        self
    }

    /// `key:` opening a nested block; the caller writes it with a deeper [`Block`].
    pub fn open(&mut self, key: &str) -> &mut Self {
        self.pad();
        self.out.push_str(&scalar(key));
        self.out.push_str(":\n");
        self
    }

    /// `- key: value` starting a list item at this indentation; its other keys go in a
    /// [`Block`] at `indent + 2`.
    pub fn item(&mut self, key: &str, value: &str) -> &mut Self {
        self.pad();
        self.out.push_str("- ");
        self.out.push_str(&scalar(key));
        self.out.push_str(": ");
        self.out.push_str(&scalar(value));
        self.out.push('\n');
        self
    }

    /// A comment line.
    pub fn comment(&mut self, text: &str) -> &mut Self {
        self.pad();
        self.out.push_str("# ");
        self.out.push_str(text);
        self.out.push('\n');
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_are_plain_only_when_safe() {
        assert_eq!(scalar("user.contact.email"), "user.contact.email");
        assert_eq!(scalar("Consent"), "Consent");
        assert_eq!(scalar("NO"), "\"NO\"");
        assert_eq!(scalar("yes"), "\"yes\"");
        assert_eq!(scalar("P3Y"), "P3Y");
        assert_eq!(scalar("3"), "\"3\"");
        assert_eq!(scalar("Legal obligations"), "\"Legal obligations\"");
        assert_eq!(scalar("a: b # c"), "\"a: b # c\"");
        assert_eq!(scalar(""), "\"\"");
        assert_eq!(flow(&["a", "b c"]), "[a, \"b c\"]");
    }
}
