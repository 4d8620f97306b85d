//! PHP values → JSON values: the one conversion of the extension's input.
//!
//! [`to_json`] (for orders and options) follows `json_encode`,
//! except where `json_encode` would quietly send something else than what
//! the shop meant; those cases are refused with the path of the value:
//!
//! - `null`, `bool`, `int` and `string` become null, a boolean, a number and
//!   a string. Strings must be UTF-8. A `float` becomes a number; `NAN` and
//!   `INF` are refused.
//! - An array whose keys are exactly `0..n-1` in order (`array_is_list()`)
//!   becomes a JSON array. The empty array becomes `[]`, as with
//!   `json_encode`: pass `new stdClass` (or `(object) []`) for an empty
//!   JSON object.
//! - An array with at least one string key becomes a JSON object, its keys in
//!   order (integer keys become their decimal text).
//! - An array whose keys are all integers but not `0..n-1` in order (a gap
//!   left by `unset()`, or `$items[9]` after `$items[5]`) is refused:
//!   `json_encode` would send an object where the API wants a list.
//!   `array_values()` makes it a list; `(object)` makes it a mapping.
//! - A `stdClass` object becomes a JSON object. Other objects, resources
//!   and closures are refused.

pub mod json_buffer;
pub mod php_node;
pub mod writer;

use ext_php_rs::types::{ZendHashTable, ZendObject, Zval};
use ext_php_rs::zend::ce;
use sequra::{Error, Problem};
use serde_json::{Map, Number, Value};
use std::ptr;

/// Deeper than any order.
pub(crate) const MAX_DEPTH: usize = 64;

/// Converts a PHP array to JSON. `root` names the whole array in problems
/// about the array itself (`order`, `options`); problems inside it have
/// paths like `cart.items[3].price_with_tax`. Every problem is reported,
/// as [`Error::InvalidInput`].
pub fn to_json(array: &ZendHashTable, root: &str) -> Result<Value, Error> {
    convert(array, root, false)
}

/// Converts like [`to_json`], except that an array with integer keys that
/// are not `0..n-1` becomes an object with those keys, as `json_encode`
/// makes it: for the validate methods (`Sequra\PosClient::validateOrder`),
/// whose validator then names that list among every other problem of the
/// order instead of stopping there.
pub fn to_json_as_json_encode(array: &ZendHashTable, root: &str) -> Result<Value, Error> {
    convert(array, root, true)
}

fn convert(array: &ZendHashTable, root: &str, gaps_as_objects: bool) -> Result<Value, Error> {
    let mut walk = Walk {
        root,
        problems: Vec::new(),
        open: Vec::new(),
        gaps_as_objects,
    };
    let value = walk.array(array, "", 0);
    if walk.problems.is_empty() {
        Ok(value)
    } else {
        Err(Error::InvalidInput(walk.problems))
    }
}

/// One conversion: the problems found so far.
struct Walk<'a> {
    root: &'a str,
    problems: Vec<Problem>,
    /// The arrays being converted, outermost first: one met again inside
    /// itself (through a reference) would never end.
    open: Vec<*const ZendHashTable>,
    /// Whether an integer-keyed array that is not a list becomes an object
    /// (as `json_encode` does) rather than a problem.
    gaps_as_objects: bool,
}

impl Walk<'_> {
    fn problem(&mut self, path: &str, message: impl Into<String>) {
        let path = if path.is_empty() { self.root } else { path };
        self.problems.push(Problem::new(path, message));
    }

    fn value(&mut self, zval: &Zval, path: &str, depth: usize) -> Value {
        // A value may sit behind a PHP reference (`&$x`) or, in an object's
        // property table, an indirection.
        let zval = zval.indirect().unwrap_or(zval).dereference();
        if zval.is_null() {
            Value::Null
        } else if let Some(b) = zval.bool() {
            Value::Bool(b)
        } else if let Some(i) = zval.long() {
            Value::from(i)
        } else if let Some(f) = zval.double() {
            Number::from_f64(f).map_or_else(
                || {
                    self.problem(
                        path,
                        format!("is {f}, which JSON cannot carry; send a finite number"),
                    );
                    Value::Null
                },
                Value::Number,
            )
        } else if let Some(s) = zval.zend_str() {
            match s.as_str() {
                Ok(s) => Value::String(s.to_owned()),
                Err(_) => {
                    self.problem(path, "is not valid UTF-8; convert the text to UTF-8 (e.g. with mb_convert_encoding)");
                    Value::Null
                }
            }
        } else if let Some(array) = zval.array() {
            self.array(array, path, depth + 1)
        } else if let Some(object) = zval.object() {
            self.object(object, path, depth + 1)
        } else {
            let kind = format!("{:?}", zval.get_type()).to_lowercase();
            self.problem(
                path,
                format!("is a {kind}; pass arrays, strings, numbers, booleans or null"),
            );
            Value::Null
        }
    }

    fn array(&mut self, array: &ZendHashTable, path: &str, depth: usize) -> Value {
        if !self.open(array, path, depth) {
            return Value::Null;
        }
        let value = self.array_of(array, path, depth);
        self.open.pop();
        value
    }

    /// Whether to convert `table`: not when it contains itself or is too deep.
    fn open(&mut self, table: &ZendHashTable, path: &str, depth: usize) -> bool {
        if self.open.contains(&ptr::from_ref(table)) {
            self.problem(
                path,
                "contains itself (through a reference); JSON cannot carry a recursive array",
            );
            false
        } else if depth > MAX_DEPTH {
            self.problem(path, format!("is nested more than {MAX_DEPTH} levels deep"));
            false
        } else {
            self.open.push(table);
            true
        }
    }

    fn array_of(&mut self, array: &ZendHashTable, path: &str, depth: usize) -> Value {
        let keys = self.keys(array, path);
        let is_list = keys
            .iter()
            .enumerate()
            .all(|(i, key)| matches!(key, Key::Index(k) if usize::try_from(*k) == Ok(i)));
        if is_list {
            let parent = if path.is_empty() { self.root } else { path };
            let mut items = Vec::with_capacity(keys.len());
            let mut entries = array.iter();
            while let Some((_, zval)) = entries.next_zval() {
                let item = self.value(zval, &format!("{parent}[{}]", items.len()), depth);
                items.push(item);
            }
            Value::Array(items)
        } else if !self.gaps_as_objects && keys.iter().all(|key| matches!(key, Key::Index(_))) {
            self.problem(path, not_a_list(&keys));
            Value::Null
        } else {
            self.members(array, keys, path, depth)
        }
    }

    /// A `stdClass` becomes a JSON object; any other object is refused.
    fn object(&mut self, object: &ZendObject, path: &str, depth: usize) -> Value {
        if object.get_class_entry() != ce::stdclass() {
            let class = object.get_class_name().unwrap_or_else(|_| "?".into());
            self.problem(
                path,
                format!(
                    "is an object of class {class}; pass an array, or a stdClass for a JSON object"
                ),
            );
            return Value::Null;
        }
        match object.get_properties() {
            Ok(properties) => {
                if !self.open(properties, path, depth) {
                    return Value::Null;
                }
                let keys = self.keys(properties, path);
                let value = self.members(properties, keys, path, depth);
                self.open.pop();
                value
            }
            Err(_) => {
                self.problem(path, "is an object whose properties cannot be read");
                Value::Null
            }
        }
    }

    /// The entries of an array or object as the members of a JSON object.
    fn members(
        &mut self,
        table: &ZendHashTable,
        keys: Vec<Key>,
        path: &str,
        depth: usize,
    ) -> Value {
        let mut members = Map::new();
        let mut entries = table.iter();
        for key in keys {
            let Some((_, zval)) = entries.next_zval() else {
                break;
            };
            let name = match key {
                Key::Index(i) => i.to_string(),
                Key::Name(name) => name,
                Key::Invalid => continue,
            };
            let member = self.value(zval, &member_path(path, &name), depth);
            members.insert(name, member);
        }
        Value::Object(members)
    }

    /// The keys of `table` in order; a key that is not UTF-8 is a problem.
    fn keys(&mut self, table: &ZendHashTable, path: &str) -> Vec<Key> {
        let mut keys = Vec::with_capacity(table.len());
        let mut entries = table.iter();
        while let Some((key, _)) = entries.next_zval() {
            keys.push(if let Some(i) = key.long() {
                Key::Index(i)
            } else if let Some(name) = key.str() {
                Key::Name(name.to_owned())
            } else {
                self.problem(path, "has a key that is not valid UTF-8; use UTF-8 keys");
                Key::Invalid
            });
        }
        keys
    }
}

pub(crate) enum Key {
    Index(i64),
    Name(String),
    Invalid,
}

/// `cart` + `items` → `cart.items`; at the root, just `items`.
fn member_path(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

/// The message for an array with integer keys that are not `0..n-1`.
pub(crate) fn not_a_list(keys: &[Key]) -> String {
    const SHOWN: usize = 12;
    let mut shown: Vec<String> = keys
        .iter()
        .take(SHOWN)
        .filter_map(|key| match key {
            Key::Index(i) => Some(i.to_string()),
            _ => None,
        })
        .collect();
    if keys.len() > SHOWN {
        shown.push("…".into());
    }
    format!(
        "is not a list: its keys ({}) are not 0 to {} in order, so json_encode would make it \
         an object; pass array_values() of it for a list, or (object) of it for a mapping",
        shown.join(", "),
        keys.len().saturating_sub(1)
    )
}
