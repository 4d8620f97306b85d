//! Strict reading of what the library takes from its caller or from a
//! signed notification: JSON whose objects never hold a key twice and that
//! is no larger than an order may be, form bodies that never repeat a
//! parameter, and the returned text fields that a signature does not
//! cover, bounded and free of control characters.
//!
//! A repeated key is ambiguous: serde_json keeps the last value, another
//! reader (a shop's own PHP, a log viewer) may keep the first, so the two
//! would act on different documents. It is refused, never resolved.

use crate::error::{Error, Problem};
use crate::redact::quote;
use crate::redact::PathKey;
use crate::validate::size::{Budget, ORDER};
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::cell::RefCell;
use std::fmt;

/// Why [`parse_json`] refused a text.
#[derive(Debug)]
pub enum JsonRefusal {
    /// Not JSON (or nested deeper than serde_json's recursion limit):
    /// serde_json's own error, whose text says where.
    Syntax(serde_json::Error),
    /// JSON, but refused, as [`Error::InvalidInput`] with one problem: an
    /// object holds a key twice (the problem names the object's path and
    /// the key), or the text holds more than an order's bound of values or
    /// text (the problem is at `root`).
    Refused(Error),
}

/// Parses `text` as one JSON value, as `serde_json::from_slice` does (the
/// same syntax errors, the same recursion limit, nothing after the value),
/// but refuses an object with the same key twice, at any depth, and a
/// document over the bound of an order, the largest any of these APIs
/// takes ([`ORDER`]: values and bytes of text, counted as they are read,
/// so the parse stops there and what it builds stays within the bound
/// whatever the text's length). `root` names the document in the problem
/// of a top-level object or of its size (e.g. `body`, `order_json`); a
/// nested object is named by its path (`cart.items[0]`).
pub fn parse_json(text: &[u8], root: &str) -> Result<Value, JsonRefusal> {
    if text.len() > MAX_JSON_TEXT {
        return Err(JsonRefusal::Refused(too_long(root)));
    }
    let parse = Parse {
        root,
        budget: RefCell::new(Budget::new(&ORDER)),
        refused: RefCell::new(None),
    };
    let seed = Node {
        place: &Place::Root,
        parse: &parse,
    };
    let mut deserializer = serde_json::Deserializer::from_slice(text);
    let parsed = seed
        .deserialize(&mut deserializer)
        .and_then(|value| deserializer.end().map(|()| value));
    match (parsed, parse.refused.into_inner()) {
        (_, Some(problem)) => Err(JsonRefusal::Refused(Error::InvalidInput(vec![problem]))),
        (Ok(value), None) => Ok(value),
        (Err(error), None) => Err(JsonRefusal::Syntax(error)),
    }
}

/// The longest JSON text [`parse_json`] reads. A document within the
/// bound on values and text ([`ORDER`]) is far shorter even pretty-printed;
/// what else makes a text longer (blanks, long numbers) is not read past
/// this (a C caller's string is measured only up to it).
pub const MAX_JSON_TEXT: usize = 16 << 20;

/// The problem of a text longer than [`MAX_JSON_TEXT`], at `root`.
pub fn too_long(root: &str) -> Error {
    Error::invalid(
        root,
        format!(
            "is more than {MAX_JSON_TEXT} bytes of JSON text, more than any document of these APIs needs; it was not read"
        ),
    )
}

/// What one parse shares across its values: the document's name, its
/// size so far, and the problem that stopped it (the parse then stops with
/// a placeholder error that is never shown).
struct Parse<'a> {
    root: &'a str,
    budget: RefCell<Budget>,
    refused: RefCell<Option<Problem>>,
}

impl Parse<'_> {
    /// Stops the parse with `problem`.
    fn refuse<E: de::Error>(&self, problem: Problem) -> E {
        *self.refused.borrow_mut() = Some(problem);
        E::custom("refused")
    }

    /// One more value, refused past the bound.
    fn value<E: de::Error>(&self) -> Result<(), E> {
        let counted = self.budget.borrow_mut().one_more();
        counted.map_err(|too_large| self.refuse(too_large.problem(&ORDER, self.root)))
    }

    /// `bytes` more of text (a key, a string), refused past the bound.
    fn text<E: de::Error>(&self, bytes: usize) -> Result<(), E> {
        let counted = self.budget.borrow_mut().text(bytes);
        counted.map_err(|too_large| self.refuse(too_large.problem(&ORDER, self.root)))
    }
}

/// The longest path a duplicate's problem writes: the end of a longer one
/// (the innermost objects, where the key is) after `…`.
const MAX_PATH: usize = 256;

/// Where a value sits, built on the stack as the parser descends and
/// written out only for a duplicate.
enum Place<'a> {
    Root,
    Key(&'a Place<'a>, &'a str),
    Index(&'a Place<'a>, usize),
}

impl fmt::Display for Place<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Root => Ok(()),
            Place::Key(Place::Root, key) => write!(f, "{}", PathKey(key.as_bytes())),
            Place::Key(parent, key) => write!(f, "{parent}.{}", PathKey(key.as_bytes())),
            Place::Index(parent, i) => write!(f, "{parent}[{i}]"),
        }
    }
}

impl Place<'_> {
    /// The path of the object at this place: `root` for the top level,
    /// else its path, cut to its last [`MAX_PATH`] bytes.
    fn path(&self, root: &str) -> String {
        if let Place::Root = self {
            return root.to_string();
        }
        let path = self.to_string();
        if path.len() <= MAX_PATH {
            return path;
        }
        let mut start = path.len() - MAX_PATH;
        while !path.is_char_boundary(start) {
            start += 1;
        }
        format!("…{}", &path[start..])
    }
}

/// The seed of one value: its place, and the parse it is part of.
#[derive(Clone, Copy)]
struct Node<'a> {
    place: &'a Place<'a>,
    parse: &'a Parse<'a>,
}

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        self.parse.value()?;
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any valid JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Value, E> {
        // JSON has no NaN or infinity, so this is always a number; `from`
        // would make null of one, never silently here.
        Ok(Value::from(value))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Value, E> {
        self.parse.text(value.len())?;
        Ok(Value::String(value.to_string()))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Value, E> {
        self.parse.text(value.len())?;
        Ok(Value::String(value))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut list = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        loop {
            let place = Place::Index(self.place, list.len());
            match seq.next_element_seed(Node {
                place: &place,
                ..self
            })? {
                Some(value) => list.push(value),
                None => return Ok(Value::Array(list)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            self.parse.text(key.len())?;
            if object.contains_key(&key) {
                return Err(self.parse.refuse(Problem::new(
                    self.place.path(self.parse.root),
                    format!(
                        "has the key {} twice; a key may appear only once (which value is meant would be ambiguous)",
                        quote(&key)
                    ),
                )));
            }
            let place = Place::Key(self.place, &key);
            let value = map.next_value_seed(Node {
                place: &place,
                ..self
            })?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

/// Where the JSON `text` first holds a key twice in one object: that
/// object's path (`root` for the top level) and the key; `None` when no
/// object does, and for text that is not JSON (its reader says why). For
/// an answer, which is read by its type: serde refuses a field twice only
/// at a type's own level, and keeps the last of a key read into a map or
/// a `Value` below it. Nothing is built but each object's set of keys.
pub(crate) fn repeated_key(text: &[u8], root: &str) -> Option<(String, String)> {
    let found = RefCell::new(None);
    let seed = Unique {
        place: &Place::Root,
        root,
        found: &found,
    };
    let mut deserializer = serde_json::Deserializer::from_slice(text);
    let _ = seed.deserialize(&mut deserializer);
    found.into_inner()
}

/// The seed of one value for [`repeated_key`]: its place, and where the
/// repeated key goes once found.
#[derive(Clone, Copy)]
struct Unique<'a> {
    place: &'a Place<'a>,
    root: &'a str,
    found: &'a RefCell<Option<(String, String)>>,
}

impl<'de> DeserializeSeed<'de> for Unique<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Unique<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any valid JSON value")
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
        for i in 0.. {
            let place = Place::Index(self.place, i);
            let next = Unique {
                place: &place,
                ..self
            };
            if seq.next_element_seed(next)?.is_none() {
                break;
            }
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut keys = std::collections::HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if keys.contains(&key) {
                *self.found.borrow_mut() = Some((self.place.path(self.root), key));
                return Err(de::Error::custom("repeated"));
            }
            let place = Place::Key(self.place, &key);
            map.next_value_seed(Unique {
                place: &place,
                ..self
            })?;
            keys.insert(key);
        }
        Ok(())
    }
}

/// Refuses form pairs that repeat a parameter: the first repeated one is
/// named (quoted) in a problem at `body`.
pub(crate) fn refuse_repeated(
    pairs: Vec<(String, String)>,
) -> Result<Vec<(String, String)>, Error> {
    let mut seen = std::collections::HashSet::with_capacity(pairs.len());
    match pairs.iter().find(|(key, _)| !seen.insert(key.as_str())) {
        None => Ok(pairs),
        Some((key, _)) => Err(Error::invalid(
            "body",
            format!(
                "has the parameter {} twice; a parameter may appear only once (which value is meant would be ambiguous)",
                quote(key)
            ),
        )),
    }
}

/// The first number of the JSON `text` that is not a whole number as
/// written but that a double reads as one (`99.99999999999999999` reads
/// as `100.0`, more digits than a double keeps): a reader of whole
/// numbers (an amount, an id) would take another value than the one
/// written. `None` when there is none. Strings are skipped; text that is
/// not JSON is left to its parse.
pub(crate) fn misread_number(text: &[u8]) -> Option<String> {
    let mut at = 0;
    while at < text.len() {
        match text[at] {
            b'"' => {
                at += 1;
                while at < text.len() && text[at] != b'"' {
                    at += if text[at] == b'\\' { 2 } else { 1 };
                }
                at += 1;
            }
            b'-' | b'0'..=b'9' => {
                let start = at;
                while at < text.len()
                    && matches!(text[at], b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
                {
                    at += 1;
                }
                let number = std::str::from_utf8(&text[start..at]).ok()?;
                if reads_whole_but_is_not(number) {
                    return Some(number.to_string());
                }
            }
            _ => at += 1,
        }
    }
    None
}

/// Whether the JSON number `number` has a fraction as written while its
/// nearest double has none.
fn reads_whole_but_is_not(number: &str) -> bool {
    if !number.contains(['.', 'e', 'E']) {
        return false; // an integer: read exactly, or refused as too large
    }
    let Ok(double) = number.parse::<f64>() else {
        return false;
    };
    if !double.is_finite() || double.fract() != 0.0 {
        return false;
    }
    let unsigned = number.trim_start_matches('-');
    let (mantissa, exponent) = match unsigned.split_once(['e', 'E']) {
        // (An exponent past i64 is past any double: saturated.)
        Some((mantissa, exponent)) => (
            mantissa,
            exponent
                .parse::<i64>()
                .unwrap_or(if exponent.starts_with('-') {
                    i64::MIN
                } else {
                    i64::MAX
                }),
        ),
        None => (unsigned, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    // The digits, and how many of them come before the point once the
    // exponent moved it.
    let digits: Vec<u8> = whole.bytes().chain(fraction.bytes()).collect();
    let before_point = (whole.len() as i64).saturating_add(exponent);
    let after = usize::try_from(before_point.max(0)).unwrap_or(usize::MAX);
    digits.iter().skip(after).any(|&d| d != b'0')
}

/// Whether PHP's `$_POST` (and `$_GET`) would file the form parameter
/// `name` under another name: it turns a space or `.` into `_`, drops
/// leading spaces, and reads a `[` as the start of an array's key. A shop
/// reading `$_POST` and a reader of the raw body would see different
/// fields.
pub(crate) fn php_renames(name: &[u8]) -> bool {
    name.iter().any(|b| matches!(b, b' ' | b'.' | b'['))
}

/// The longest text field a notification returns that its signature does
/// not cover (as long as an order reference may be).
pub const MAX_FIELD: usize = 255;

/// What is wrong with `value`, a text field the caller will act on or log:
/// a control character (NUL, a line break, an escape) or more than
/// [`MAX_FIELD`] bytes. `None` when it is fine.
pub(crate) fn text_problem(value: &str) -> Option<String> {
    crate::validate::text::line_problem(value, MAX_FIELD)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_a_double_reads_as_whole_when_it_is_not_is_found() {
        for text in [
            r#"{"amount": 99.99999999999999999}"#,
            r#"{"a": "9.5", "amount": 19999.99999999999999}"#,
            r#"[1, -24999.99999999999999]"#,
            r#"{"id": 4567.0000000000001}"#,
            r#"{"x": 1.00000000000000001e2}"#,
            // Below the smallest double: read as 0.
            r#"{"tiny": 1e-400}"#,
            r#"{"tinier": 5e-99999999999999999999}"#,
        ] {
            assert!(misread_number(text.as_bytes()).is_some(), "{text}");
        }
        for text in [
            r#"{"amount": 100, "b": 2.5, "c": 250.000000000000000000}"#,
            r#"{"big": 18446744073709551615, "e": 1e2, "f": 1.5e1, "g": -0.0}"#,
            r#"{"s": "99.99999999999999999", "t": "a\"99.99999999999999999"}"#,
            r#"{"huge": 1e400, "half": 0.5, "zero": 0.000}"#,
            "not json 99.99999999999999999 [",
        ] {
            let found = misread_number(text.as_bytes());
            assert!(
                found.is_none() || text.starts_with("not"),
                "{text}: {found:?}"
            );
        }
    }

    #[test]
    fn a_key_twice_in_any_object_is_found_with_its_objects_path() {
        let found = |text: &str| repeated_key(text.as_bytes(), "body");
        assert_eq!(found(r#"{"a": 1, "b": [1, {"c": 2}]}"#), None);
        assert_eq!(found("not json"), None);
        assert_eq!(
            found(r#"{"a": 1, "a": 2}"#),
            Some(("body".into(), "a".into()))
        );
        assert_eq!(
            found(r#"{"payment_methods": {"sequra": {"status": "pending"}, "sequra": {}}}"#),
            Some(("payment_methods".into(), "sequra".into()))
        );
        assert_eq!(
            found(r#"{"cart_items": [{"p": 1}, {"q": 1, "p": 100, "p": 999}]}"#),
            Some(("cart_items[1]".into(), "p".into()))
        );
        assert_eq!(
            found(
                r#"{"id":"x","payment_methods":{"sequra":{"status":"pending","flags":["billing_address_missing"]},"sequra":{"status":"ready","flags":[]}},"available_payment_methods":["sequra"]}"#
            ),
            Some(("payment_methods".into(), "sequra".into()))
        );
        // The same key once unescaped.
        assert_eq!(
            found(r#"{"x": {"k": 1, "\u006b": 2}}"#),
            Some(("x".into(), "k".into()))
        );
    }
}
