//! How large a document a validator walks. Each API's documents have a
//! documented bound ([`Limits`]); a document over it is refused with one
//! problem before any of it is checked, so that validation stays linear
//! in what the API could accept and no larger input costs more than the
//! bound. The bound is counted through [`Node`], so the PHP extension's
//! arrays are bounded the same way, without converting them: the count
//! reads what a walker would read, value by value, so an array that holds
//! the same array many times over counts as large as the JSON it would
//! become, not as the little memory it takes in PHP.

use crate::error::Problem;
use crate::orders::payload::node::{Key, Node};

/// The bound of a document: how many values (each object, list, member
/// and element counts one) and how many bytes of text (strings and keys
/// together). A container nested deeper than `depth` (the document itself
/// is at depth 0) counts as one value and is not read: every walker
/// refuses such nesting itself (the order walker follows only the
/// document's fields; the PHP extension refuses an array nested deeper
/// than `depth`, and names one that contains itself), so the count stays
/// bounded and still covers all that any walker reads.
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
pub(crate) enum Exceeded {
    Values,
    Text,
}

impl Exceeded {
    /// The one problem at `root` (the document's name) reported instead
    /// of the document's others.
    pub(crate) fn problem(self, limits: &Limits, root: &str) -> Problem {
        let what = match self {
            Exceeded::Values => format!(
                "has more than {} values (objects, lists and scalars)",
                limits.values
            ),
            Exceeded::Text => format!(
                "has more than {} bytes of text in its strings and keys",
                limits.text_bytes
            ),
        };
        Problem::new(
            root,
            format!("is larger than this library takes: it {what}; nothing of it was checked (a bound against runaway input)"),
        )
    }
}

/// `Ok` when `document` is within `limits`, else the one problem at `root`
/// (the document's name) to report instead of walking it. Stops as soon as
/// a bound is passed: it reads at most `limits.values` values.
pub fn check<'a, N: Node<'a>>(document: N, limits: &Limits, root: &str) -> Result<(), Problem> {
    let mut budget = Budget::new(limits);
    budget
        .whole(document, 0)
        .and_then(|()| budget.finish())
        .map_err(|exceeded| exceeded.problem(limits, root))
}

/// What a walk has counted of a document so far, against its bound: a
/// walker that reads the document anyway counts as it goes
/// ([`Budget::value`], [`Budget::container`], [`Budget::text`], in the
/// document's order) and measures with [`Budget::whole`] only what it does
/// not walk itself, so that the bound costs no walk of its own.
pub(crate) struct Budget {
    values: usize,
    text: usize,
    limits: Limits,
}

impl Budget {
    pub(crate) fn new(limits: &Limits) -> Self {
        Budget {
            values: 0,
            text: 0,
            limits: *limits,
        }
    }

    /// One more value.
    #[inline(always)]
    pub(crate) fn value(&mut self) {
        self.values += 1;
    }

    /// One more value, refused past the bound: for a reader that meets
    /// values one by one, without a container's length first (a parser).
    #[inline(always)]
    pub(crate) fn one_more(&mut self) -> Result<(), Exceeded> {
        self.value();
        self.container(0)
    }

    /// Whether a container of `len` members or elements may be read: its
    /// length is known at once, and one that cannot fit is refused without
    /// reading it.
    #[inline(always)]
    pub(crate) fn container(&self, len: usize) -> Result<(), Exceeded> {
        if self.values.saturating_add(len) > self.limits.values {
            Err(Exceeded::Values)
        } else {
            Ok(())
        }
    }

    /// The verdict on all that was counted: a count past the bound that no
    /// container's length foretold (the last values were scalars) is
    /// refused here, so every reader that counts the same values agrees.
    pub(crate) fn finish(&self) -> Result<(), Exceeded> {
        self.container(0)
    }

    /// `bytes` more of text (a key, a string), refused past the bound.
    #[inline(always)]
    pub(crate) fn text(&mut self, bytes: usize) -> Result<(), Exceeded> {
        // (No overflow: the sum stays below the bound plus one string.)
        self.text += bytes;
        if self.text > self.limits.text_bytes {
            Err(Exceeded::Text)
        } else {
            Ok(())
        }
    }

    /// Counts `value` and all it holds, at `depth` in the document: a
    /// container nested deeper than the bound's depth is counted but not
    /// read (the walkers refuse such nesting themselves).
    pub(crate) fn whole<'a, N: Node<'a>>(
        &mut self,
        value: N,
        depth: usize,
    ) -> Result<(), Exceeded> {
        self.value();
        self.within(value, depth)
    }

    /// [`Budget::whole`] for a value already counted as one: what it holds.
    pub(crate) fn within<'a, N: Node<'a>>(
        &mut self,
        value: N,
        depth: usize,
    ) -> Result<(), Exceeded> {
        let too_deep = depth > self.limits.depth;
        if let Some(members) = value.members() {
            if too_deep {
                return Ok(());
            }
            self.container(value.len())?;
            for (key, member) in members {
                if let Key::Name(name) = key {
                    self.text(name.len())?;
                }
                self.whole(member, depth + 1)?;
            }
        } else if let Some(elements) = value.elements() {
            if too_deep {
                return Ok(());
            }
            self.container(value.len())?;
            for element in elements {
                self.whole(element, depth + 1)?;
            }
        } else {
            self.text(value.text_len())?;
        }
        Ok(())
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
        // (The PHP extension names a deep or recursive array itself.) The
        // list is at depth 4, past TINY's 3: one value, not read.
        let deep = json!({"a": {"b": {"c": {"d": ["x".repeat(100), 1, 2, 3, 4, 5, 6, 7, 8]}}}});
        assert!(check(&deep, &TINY, "doc").is_ok());
    }

    #[test]
    fn a_container_at_the_bounds_depth_is_read_whole() {
        // A walker reads a container at the bound's depth (the PHP
        // extension writes an array nested exactly 64 deep), so its
        // members and their text count: none of it is free.
        let at_depth = |last: Value| json!({"a": {"b": {"c": last}}});
        let many = Value::Array(vec![json!(1); 7]);
        assert!(check(&at_depth(many), &TINY, "doc")
            .unwrap_err()
            .message
            .contains("more than 10 values"));
        let long = json!(["x".repeat(21)]);
        assert!(check(&at_depth(long), &TINY, "doc")
            .unwrap_err()
            .message
            .contains("more than 20 bytes"));
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
