//! The validation toolkit every API's validator uses: the problem
//! collector ([`Problems`]), the bound on what a validator walks
//! ([`size`]), and one check per kind of field, each with one rule: URLs
//! and hosts ([`url`]), dates ([`date`]), country and currency codes
//! ([`codes`]), amounts in cents ([`money`]), text ([`text`]) and the ids
//! that go into a URL path ([`id`]); and what an answer gives back of
//! its request ([`echo`]).

pub(crate) mod codes;
pub(crate) mod date;
pub(crate) mod echo;
pub(crate) mod id;
pub(crate) mod ip;
pub(crate) mod money;
pub(crate) mod size;
pub(crate) mod text;
pub(crate) mod url;

use crate::error::{Error, Problem, Result};
use std::fmt::Display;

/// At most this many problems are listed; the others are counted in a
/// last one, so that a payload with a million bad keys gets a short answer.
pub const MAX_PROBLEMS: usize = 100;

/// The problems a validator found so far: the first [`MAX_PROBLEMS`]
/// listed, the others only counted. (Public for the PHP extension's
/// converter, which finds problems of its own in the same walk.)
#[derive(Debug, Default)]
pub struct Problems {
    list: Vec<Problem>,
    unlisted: usize,
}

impl Problems {
    pub fn new() -> Self {
        Problems::default()
    }

    /// A problem at `path`. Once the list is full, only counted: the path
    /// is not even written.
    pub fn push(&mut self, path: impl Display, message: impl Into<String>) {
        if self.is_full() {
            self.unlisted = self.unlisted.saturating_add(1);
        } else {
            self.list.push(Problem::new(path.to_string(), message));
        }
    }

    /// Whether another problem would only be counted: a validator skips the
    /// costly part of a message (a did-you-mean search) then.
    #[inline]
    pub fn is_full(&self) -> bool {
        self.list.len() >= MAX_PROBLEMS
    }

    /// Whether one of the listed problems is at `path` or at a path it is
    /// under (a key refused as unknown, say).
    pub(crate) fn has_one_at_or_above(&self, path: &str) -> bool {
        self.list
            .iter()
            .any(|problem| is_under(path, &problem.path))
    }

    #[inline]
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Moves the problems of `other` after these.
    pub fn append(&mut self, other: &mut Problems) {
        for problem in other.list.drain(..) {
            if self.is_full() {
                self.unlisted = self.unlisted.saturating_add(1);
            } else {
                self.list.push(problem);
            }
        }
        self.unlisted = self
            .unlisted
            .saturating_add(std::mem::take(&mut other.unlisted));
    }

    /// The list, and at its end, when some were only counted, one more at
    /// `root` (the document's name) that says how many.
    pub fn finish(mut self, root: &str) -> Vec<Problem> {
        if self.unlisted > 0 {
            let n = self.unlisted;
            let problems = if n == 1 { "problem" } else { "problems" };
            let mut last = Problem::new(
                root,
                format!("and {n} more {problems} not listed; fix those above and validate again"),
            );
            last.unlisted = n;
            self.list.push(last);
        }
        self.list
    }

    /// How many problems a list made by [`Problems::finish`] stands for:
    /// those listed, and those its last one counts.
    pub fn total(list: &[Problem]) -> usize {
        match counted(list) {
            Some(n) => (list.len() - 1).saturating_add(n),
            None => list.len(),
        }
    }

    /// Two finished lists of one document as one ([`Problems::finish`]):
    /// `refused`, the values a converter could not carry at all (a NaN, a
    /// resource), then the validator's `found`, but for those at or under a
    /// refused value's path, which say no more than its refusal. So every
    /// problem comes back at once, whichever found it.
    pub fn merged(refused: Vec<Problem>, found: Vec<Problem>, root: &str) -> Vec<Problem> {
        let mut all = Problems::unfinished(refused);
        let mut more = Problems::unfinished(found);
        more.list
            .retain(|problem| !all.list.iter().any(|r| is_under(&problem.path, &r.path)));
        all.append(&mut more);
        all.finish(root)
    }

    /// A list made by [`Problems::finish`] as it was before: its last
    /// problem, when it counts the unlisted, back into the count.
    fn unfinished(mut list: Vec<Problem>) -> Problems {
        let unlisted = counted(&list).unwrap_or(0);
        if unlisted > 0 {
            list.pop();
        }
        Problems { list, unlisted }
    }

    /// `Ok` when there is none, else [`Error::InvalidInput`] with them all.
    pub fn into_result(self, root: &str) -> Result<()> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(Error::InvalidInput(self.finish(root)))
        }
    }
}

/// How many problems the last of `list` counts, when it is the one
/// [`Problems::finish`] adds.
fn counted(list: &[Problem]) -> Option<usize> {
    list.last().map(|last| last.unlisted).filter(|&n| n > 0)
}

/// Whether `path` is `of`, or a path inside it (`of.x`, `of[0]`).
fn is_under(path: &str, of: &str) -> bool {
    path.strip_prefix(of)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merged_lists_keep_every_problem_but_those_a_refusal_says_already() {
        let list = |problems: &[(&str, &str)]| -> Vec<Problem> {
            problems.iter().map(|(p, m)| Problem::new(*p, *m)).collect()
        };
        let refused = list(&[("cart.items[0].price", "is NaN"), ("gui", "has a bad key")]);
        let found = list(&[
            ("cart.items", "must be a list"),
            ("cart.items[0].price", "must be an integer"),
            ("cart.items[0].price_with_tax", "must be an integer"),
            ("gui.layout", "is unknown"),
            ("guide", "is unknown"),
        ]);
        let paths: Vec<String> = Problems::merged(refused, found, "order")
            .into_iter()
            .map(|p| format!("{}: {}", p.path, p.message))
            .collect();
        assert_eq!(
            paths,
            [
                "cart.items[0].price: is NaN",
                "gui: has a bad key",
                "cart.items: must be a list",
                "cart.items[0].price_with_tax: must be an integer",
                "guide: is unknown",
            ]
        );
    }

    #[test]
    fn merged_lists_keep_the_cap_and_the_count() {
        let many = |prefix: &str, n: usize| {
            let mut problems = Problems::new();
            for i in 0..n {
                problems.push(format_args!("{prefix}[{i}]"), "is wrong");
            }
            problems.finish("order")
        };
        let merged = Problems::merged(many("a", 60), many("b", MAX_PROBLEMS + 1), "order");
        assert_eq!(merged.len(), MAX_PROBLEMS + 1);
        assert_eq!(Problems::total(&merged), 60 + MAX_PROBLEMS + 1);
        assert_eq!(merged[60].path, "b[0]");
        // One unlisted problem is counted as one, not taken for a problem.
        let merged = Problems::merged(Vec::new(), many("b", MAX_PROBLEMS + 1), "order");
        assert_eq!(Problems::total(&merged), MAX_PROBLEMS + 1);
    }

    #[test]
    fn problems_past_the_cap_are_counted_in_a_last_one() {
        let mut problems = Problems::new();
        for i in 0..MAX_PROBLEMS + 250 {
            problems.push(format_args!("items[{i}]"), "is wrong");
        }
        let list = problems.finish("order");
        assert_eq!(list.len(), MAX_PROBLEMS + 1);
        assert_eq!(
            list[MAX_PROBLEMS - 1].path,
            format!("items[{}]", MAX_PROBLEMS - 1)
        );
        assert_eq!(list[MAX_PROBLEMS].path, "order");
        assert_eq!(
            list[MAX_PROBLEMS].message,
            "and 250 more problems not listed; fix those above and validate again"
        );
        assert_eq!(Problems::total(&list), MAX_PROBLEMS + 250);
        assert_eq!(Problems::total(&list[..3]), 3);
        // A caller's problem that reads alike is not taken for the count.
        let alike = [Problem::new("note", "and 5 more to come")];
        assert_eq!(Problems::total(&alike), 1);
        let same_words = Problem::new("order", list[MAX_PROBLEMS].message.clone());
        assert_eq!(Problems::total(&[same_words]), 1);
    }

    #[test]
    fn appended_problems_keep_their_order_and_the_cap() {
        let mut first = Problems::new();
        first.push("a", "x");
        let mut second = Problems::new();
        for _ in 0..MAX_PROBLEMS {
            second.push("b", "y");
        }
        first.append(&mut second);
        let list = first.finish("order");
        assert_eq!(list[0].path, "a");
        assert_eq!(list.len(), MAX_PROBLEMS + 1);
        assert!(list[MAX_PROBLEMS]
            .message
            .starts_with("and 1 more problem not"));
        assert!(Problems::new().into_result("order").is_ok());
    }
}
