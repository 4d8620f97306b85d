//! How many JSON values an answer holds, counted before it is parsed.
//!
//! [`super::MAX_BODY`] bounds an answer's bytes, not what they become:
//! four megabytes of `{"a":0},` are half a million objects, which
//! `serde_json::Value` (and a `#[serde(flatten)]` map of unknown fields,
//! buffered by serde first) makes into about a gigabyte, outside PHP's
//! memory_limit. Every answer is counted first, without building anything,
//! and one with more values than any answer of these APIs holds is not
//! parsed.

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::cell::Cell;
use std::fmt;

/// The most values an answer may hold (each object, list and scalar counts
/// one): twice the bound of the largest document an answer echoes (a
/// checkout.com payment setup, a POS order: `validate::size::SMALL_DOCUMENT`);
/// a merchant's payment methods are a few thousand at most.
pub(crate) const MAX_VALUES: usize = 20_000;

/// Whether `body`, read as JSON, holds more than [`MAX_VALUES`] values.
/// Text that is not JSON is not too large: its parse says what is wrong.
pub(crate) fn too_large(body: &[u8]) -> bool {
    let left = Cell::new(MAX_VALUES);
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let counted = Count { left: &left }.deserialize(&mut deserializer);
    counted.is_err() && left.get() == 0
}

/// Counts one value and those inside it, building nothing.
#[derive(Clone, Copy)]
struct Count<'a> {
    left: &'a Cell<usize>,
}

impl<'de> DeserializeSeed<'de> for Count<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        match self.left.get().checked_sub(1) {
            Some(left) => self.left.set(left),
            None => return Err(de::Error::custom("too many values")),
        }
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Count<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(self)?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_key::<IgnoredAny>()?.is_some() {
            map.next_value_seed(self)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_counted_value_by_value_up_to_the_bound() {
        let list = |n: usize| format!("[{}]", vec!["0"; n].join(","));
        // The list itself and its elements.
        assert!(!too_large(list(MAX_VALUES - 1).as_bytes()));
        assert!(too_large(list(MAX_VALUES).as_bytes()));
        let objects = format!("{{\"x\":[{}]}}", vec![r#"{"a":0}"#; 600_000].join(","));
        assert!(too_large(objects.as_bytes()));
        assert!(!too_large(br#"{"payment_options": [{"methods": []}]}"#));
        // Not JSON, or not whole: for the parse to say.
        assert!(!too_large(b"<html>"));
        assert!(!too_large(b"[0,"));
    }
}
