//! How large a document a validator walks. Each API's documents have a
//! documented bound ([`Limits`]); a document over it is refused with one
//! problem before any of it is checked, so that validation stays linear
//! in what the API could accept and no larger input costs more than the
//! bound. The bound is counted through [`Node`], so the PHP extension's
//! arrays are bounded the same way, without converting them.

use crate::error::Problem;
use crate::orders::payload::node::{Key, Node};

/// The bound of a document: how many values (each object, list, member
/// and element counts one) and how many bytes of text (strings and keys
/// together). Values nested deeper than `depth` are not counted: the
/// walkers refuse such nesting themselves (the order walker follows only
/// the document's fields; the PHP extension refuses more than 64 levels,
/// and names an array that contains itself), and the count stays bounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub values: usize,
    pub text_bytes: usize,
    pub depth: usize,
}

/// A seQura order, or a post-sale update of one (an order of a thousand
/// items has some 20 000 values and 200 KiB of text).
pub const ORDER: Limits = Limits {
    values: 100_000,
    text_bytes: 4 << 20,
    depth: 64,
};

/// A part-payment order (a counter's cart), a checkout.com payment setup,
/// a Paysera payment request: a few dozen fields each.
pub const SMALL_DOCUMENT: Limits = Limits {
    values: 10_000,
    text_bytes: 1 << 20,
    depth: 64,
};

/// Which bound a document passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Exceeded {
    Values,
    Text,
}

/// `Ok` when `document` is within `limits`, else the one problem at `root`
/// (the document's name) to report instead of walking it. Stops as soon as
/// a bound is passed: it reads at most `limits.values` values.
pub(crate) fn check<'a, N: Node<'a>>(
    document: N,
    limits: &Limits,
    root: &str,
) -> Result<(), Problem> {
    let mut count = Count {
        values: 0,
        text: 0,
        limits,
    };
    match count.value(document, 0) {
        Ok(()) => Ok(()),
        Err(exceeded) => {
            let what = match exceeded {
                Exceeded::Values => format!(
                    "has more than {} values (objects, lists and scalars)",
                    limits.values
                ),
                Exceeded::Text => format!(
                    "has more than {} bytes of text in its strings and keys",
                    limits.text_bytes
                ),
            };
            Err(Problem::new(
                root,
                format!("is larger than the API accepts: it {what}; nothing of it was checked. Send only what the document names"),
            ))
        }
    }
}

struct Count<'l> {
    values: usize,
    text: usize,
    limits: &'l Limits,
}

impl Count<'_> {
    fn value<'a, N: Node<'a>>(&mut self, value: N, depth: usize) -> Result<(), Exceeded> {
        self.values += 1;
        if depth >= self.limits.depth {
            return Ok(());
        }
        if let Some(members) = value.members() {
            self.container(value)?;
            for (key, member) in members {
                if let Key::Name(name) = key {
                    self.text(name.len())?;
                }
                self.value(member, depth + 1)?;
            }
        } else if let Some(elements) = value.elements() {
            self.container(value)?;
            for element in elements {
                self.value(element, depth + 1)?;
            }
        } else {
            self.text(value.text_len())?;
        }
        Ok(())
    }

    /// Whether a container may be read: its length is known at once, and
    /// one that cannot fit is refused without reading it.
    #[inline]
    fn container<'a, N: Node<'a>>(&self, value: N) -> Result<(), Exceeded> {
        if self.values.saturating_add(value.len()) > self.limits.values {
            Err(Exceeded::Values)
        } else {
            Ok(())
        }
    }

    #[inline]
    fn text(&mut self, bytes: usize) -> Result<(), Exceeded> {
        self.text += bytes;
        if self.text > self.limits.text_bytes {
            Err(Exceeded::Text)
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    const TINY: Limits = Limits {
        values: 10,
        text_bytes: 20,
        depth: 3,
    };

    #[test]
    fn documents_within_the_bound_pass() {
        assert!(check(&json!({"a": [1, 2, {"b": "xyz"}]}), &TINY, "doc").is_ok());
    }

    #[test]
    fn what_is_nested_too_deep_is_left_to_the_walkers() {
        // (The PHP extension names a deep or recursive array itself.)
        let deep = json!({"a": {"b": {"c": ["x".repeat(100), 1, 2, 3, 4, 5, 6, 7, 8, 9]}}});
        assert!(check(&deep, &TINY, "doc").is_ok());
    }

    #[test]
    fn each_bound_is_named() {
        let message = |value: Value| check(&value, &TINY, "doc").unwrap_err().message;
        assert!(message(json!([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).contains("more than 10 values"));
        assert!(message(json!({"k": "x".repeat(21)})).contains("more than 20 bytes"));
        assert_eq!(
            check(&Value::Array(vec![json!(1); 11]), &TINY, "doc")
                .unwrap_err()
                .path,
            "doc"
        );
    }
}
