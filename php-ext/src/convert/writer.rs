//! PHP arrays → JSON text, written straight from the zvals into the PHP
//! string returned (no `serde_json::Value` in between), with the rules of
//! [`super::to_json`]: what `json_encode` would send differently from what
//! the shop meant is refused, every problem at once, with the same messages
//! and paths.
//!
//! Keys keep the order of the PHP array, as `json_encode` keeps it.
//! Strings, integers and floats are written as `serde_json` writes them
//! (`sequra::order::json_text`): `/` and non-ASCII characters as they are.
//!
//! For an order ([`encode_order`], [`validate_order`]) the writer is told
//! each value by the core's validator as it walks the order in place
//! (`sequra::order::validate_visiting`): one pass validates and writes.
//! [`check`] walks an array alone, writing nothing (the options).

use super::json_buffer::{JsonBuffer, JsonString};
use super::php_node::{
    array_of, bytes_of, double_of, long_of, object_of, resolve, std_class_properties, type_of,
    Entries, PhpNode,
};
use super::{not_a_list, Key as ListKey, MAX_DEPTH};
use ext_php_rs::ffi::{IS_FALSE, IS_NULL, IS_TRUE};
use ext_php_rs::types::{ZendHashTable, ZendObject, Zval};
use sequra::orders::payload::json_text;
use sequra::orders::payload::node::{Key, Visit};
use sequra::orders::payload::{self as order, ValidateOptions};
use sequra::{Error, Problem};
use std::fmt::{Display, Write as _};
use std::ptr;
use std::sync::atomic::{AtomicUsize, Ordering};

/// `order` validated and written as JSON in one pass: the problems that
/// stop [`super::to_json`] converting it if there are any, else those of
/// the order (`sequra::order::validate`), as [`Error::InvalidInput`]; else
/// its JSON.
pub fn encode_order(order: &ZendHashTable, options: &ValidateOptions) -> Result<JsonString, Error> {
    // The last answer's length, so that the string is seldom grown.
    static LAST_LENGTH: AtomicUsize = AtomicUsize::new(4096);
    let capacity = LAST_LENGTH.load(Ordering::Relaxed);
    let out = Json {
        out: JsonBuffer::with_capacity(capacity + capacity / 8),
        scratch: Vec::new(),
    };
    let mut writer = Writer::new("order", false, out);
    let problems = order::validate_visiting(PhpNode::array(order), options, &mut writer);
    if !writer.problems.is_empty() {
        return Err(Error::InvalidInput(writer.problems));
    }
    if !problems.is_empty() {
        return Err(Error::InvalidInput(problems));
    }
    LAST_LENGTH.store(writer.out.out.len(), Ordering::Relaxed);
    Ok(writer.out.out.finish())
}

/// Every problem of `order`: those that stop
/// [`super::to_json_as_json_encode`] converting it if there are any (an
/// array with gaps is an object there, which the validator names among the
/// others), else those of the order. One pass, nothing written.
pub fn validate_order(order: &ZendHashTable, options: &ValidateOptions) -> Vec<Problem> {
    let mut writer = Writer::new("order", true, Discard);
    let problems = order::validate_visiting(PhpNode::array(order), options, &mut writer);
    if writer.problems.is_empty() {
        problems
    } else {
        writer.problems
    }
}

/// What to make of an array whose integer keys are not `0..n-1`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Gaps {
    /// A problem, as [`super::to_json`] has it.
    Refuse,
    /// An object, as `json_encode` (and [`super::to_json_as_json_encode`]) makes it.
    AsObject,
}

/// The problems that stop [`super::to_json`] (or, with [`Gaps::AsObject`],
/// [`super::to_json_as_json_encode`]) converting `array`, found without
/// writing anything.
pub fn check(array: &ZendHashTable, root: &str, gaps: Gaps) -> Result<(), Vec<Problem>> {
    let mut writer = Writer::new(root, gaps == Gaps::AsObject, Discard);
    writer.array(array, &Place::Root, 0);
    if writer.problems.is_empty() {
        Ok(())
    } else {
        Err(writer.problems)
    }
}

/// Where the JSON goes.
trait Sink {
    fn byte(&mut self, byte: u8);
    fn bytes(&mut self, bytes: &[u8]);
    /// A string; `false` when it is not UTF-8.
    fn string(&mut self, text: &[u8]) -> bool;
    /// The key of an object's member, after a comma unless it is the first,
    /// and its colon; `false` when it is not UTF-8.
    fn key(&mut self, first: bool, name: &[u8]) -> bool;
    /// [`Sink::key`] for a name known to be plain ASCII.
    fn plain_key(&mut self, first: bool, name: &[u8]);
    /// An integer key, as the key of an object's member.
    fn index_key(&mut self, first: bool, index: i64);
    fn integer(&mut self, value: i64);
    /// A float; `false` when JSON cannot carry it.
    fn float(&mut self, value: f64) -> bool;
}

/// Writes JSON into the PHP string it is returned in.
struct Json {
    out: JsonBuffer,
    /// For the rare pieces written piece by piece (escapes, floats).
    scratch: Vec<u8>,
}

impl Json {
    /// Appends what `write` writes into the scratch buffer.
    #[cold]
    fn through_scratch<T>(&mut self, write: impl FnOnce(&mut Vec<u8>) -> T) -> T {
        self.scratch.clear();
        let result = write(&mut self.scratch);
        self.out.put(b"", &self.scratch, b"");
        result
    }
}

impl Sink for Json {
    #[inline]
    fn byte(&mut self, byte: u8) {
        self.out.push(byte);
    }

    #[inline]
    fn bytes(&mut self, bytes: &[u8]) {
        self.out.put(b"", bytes, b"");
    }

    #[inline(always)]
    fn string(&mut self, text: &[u8]) -> bool {
        if json_text::is_plain(text) || json_text::is_plain_utf8(text) {
            self.out.put(b"\"", text, b"\"");
            true
        } else {
            self.through_scratch(|scratch| json_text::string(scratch, text))
        }
    }

    #[inline(always)]
    fn plain_key(&mut self, first: bool, name: &[u8]) {
        // (Two calls, so that each copies constant punctuation inline.)
        if first {
            self.out.put(b"\"", name, b"\":");
        } else {
            self.out.put(b",\"", name, b"\":");
        }
    }

    #[inline(always)]
    fn key(&mut self, first: bool, name: &[u8]) -> bool {
        if json_text::is_plain(name) {
            self.plain_key(first, name);
            return true;
        }
        if !first {
            self.out.push(b',');
        }
        let utf8 = self.through_scratch(|scratch| json_text::string(scratch, name));
        self.out.push(b':');
        utf8
    }

    #[inline]
    fn index_key(&mut self, first: bool, index: i64) {
        let mut buffer = [0; 20];
        let digits = json_text::decimal(index, &mut buffer);
        if first {
            self.out.put(b"\"", digits, b"\":");
        } else {
            self.out.put(b",\"", digits, b"\":");
        }
    }

    #[inline]
    fn integer(&mut self, value: i64) {
        self.out
            .put(b"", json_text::decimal(value, &mut [0; 20]), b"");
    }

    #[inline]
    fn float(&mut self, value: f64) -> bool {
        self.through_scratch(|scratch| json_text::float(scratch, value))
    }
}

/// Checks without writing.
struct Discard;

impl Sink for Discard {
    #[inline]
    fn byte(&mut self, _: u8) {}

    #[inline]
    fn bytes(&mut self, _: &[u8]) {}

    #[inline]
    fn string(&mut self, text: &[u8]) -> bool {
        json_text::is_utf8(text)
    }

    #[inline]
    fn key(&mut self, _: bool, name: &[u8]) -> bool {
        json_text::is_utf8(name)
    }

    #[inline]
    fn plain_key(&mut self, _: bool, _: &[u8]) {}

    #[inline]
    fn index_key(&mut self, _: bool, _: i64) {}

    #[inline]
    fn integer(&mut self, _: i64) {}

    #[inline]
    fn float(&mut self, value: f64) -> bool {
        value.is_finite()
    }
}

/// Where a value sits, built on the stack as the writer descends and
/// written out only for a problem.
enum Place<'p> {
    Root,
    /// Where the validator is (see `Visit`), as it writes it.
    At(&'p dyn Display),
    Member(&'p Place<'p>, Key<'p>),
    Element(&'p Place<'p>, usize),
}

impl Place<'_> {
    /// The path in a problem: `cart.items[3].name`; `root` for the whole
    /// array, and before an index at the top (`order[2]`).
    fn path(&self, root: &str) -> String {
        let mut path = String::new();
        self.write(root, &mut path);
        if path.is_empty() {
            root.to_owned()
        } else {
            path
        }
    }

    fn write(&self, root: &str, path: &mut String) {
        match self {
            Place::Root => {}
            Place::At(at) => {
                let _ = write!(path, "{at}");
            }
            Place::Member(parent, key) => {
                parent.write(root, path);
                if !path.is_empty() {
                    path.push('.');
                }
                let _ = write!(path, "{key}");
            }
            Place::Element(parent, index) => {
                parent.write(root, path);
                if path.is_empty() {
                    path.push_str(root);
                }
                let _ = write!(path, "[{index}]");
            }
        }
    }
}

struct Writer<'r, S: Sink> {
    root: &'r str,
    problems: Vec<Problem>,
    /// The tables being written, outermost first: one met again inside
    /// itself (through a reference) would never end.
    open: [*const ZendHashTable; MAX_DEPTH + 1],
    depth: usize,
    /// Whether an integer-keyed array that is not a list becomes an object
    /// (as `json_encode` does) rather than a problem.
    gaps_as_objects: bool,
    out: S,
    /// For each open table, where its problems start and how many of them
    /// are keys that are not UTF-8 (which come first, as in `to_json`).
    starts: [(usize, usize); MAX_DEPTH + 1],
    /// While the validator is inside a container that is not written (it
    /// is recursive, too deep or refused), how deep: nothing inside it is.
    muted: usize,
    /// Whether the muted container was entered (is on `open`).
    muted_entered: bool,
    /// The value after a key that is not UTF-8 is skipped, as in `to_json`.
    skip_value: bool,
}

impl<'r, S: Sink> Writer<'r, S> {
    fn new(root: &'r str, gaps_as_objects: bool, out: S) -> Self {
        Writer {
            root,
            problems: Vec::new(),
            open: [ptr::null(); MAX_DEPTH + 1],
            depth: 0,
            gaps_as_objects,
            out,
            starts: [(0, 0); MAX_DEPTH + 1],
            muted: 0,
            muted_entered: false,
            skip_value: false,
        }
    }

    fn problem(&mut self, place: &Place<'_>, message: impl Into<String>) {
        self.problems
            .push(Problem::new(place.path(self.root), message));
    }

    /// `Visit::value` for all but a string written without a problem.
    #[inline(never)]
    fn other_value(&mut self, value: PhpNode<'_>, at: &dyn Display) {
        if self.muted > 0 {
            return;
        }
        if self.skip_value {
            self.skip_value = false;
            return;
        }
        let place = Place::At(at);
        match value {
            PhpNode::Array(table, _) => self.array(table, &place, self.depth),
            PhpNode::Object(properties) => {
                if self.enter(properties, &place, self.depth) {
                    self.members(properties, &place, self.depth);
                    self.depth -= 1;
                }
            }
            PhpNode::Scalar(zval) => self.value(zval, &place, self.depth),
        }
    }

    #[cold]
    fn not_utf8(&mut self, place: &Place<'_>) {
        self.problem(
            place,
            "is not valid UTF-8; convert the text to UTF-8 (e.g. with mb_convert_encoding)",
        );
    }

    fn value(&mut self, zval: &Zval, place: &Place<'_>, depth: usize) {
        let zval = resolve(zval);
        match type_of(zval) {
            IS_NULL => self.out.bytes(b"null"),
            IS_FALSE => self.out.bytes(b"false"),
            IS_TRUE => self.out.bytes(b"true"),
            _ => {
                if let Some(i) = long_of(zval) {
                    self.out.integer(i);
                } else if let Some(f) = double_of(zval) {
                    if !self.out.float(f) {
                        self.problem(
                            place,
                            format!("is {f}, which JSON cannot carry; send a finite number"),
                        );
                    }
                } else if let Some(text) = bytes_of(zval) {
                    if !self.out.string(text) {
                        self.not_utf8(place);
                    }
                } else if let Some(array) = array_of(zval) {
                    self.array(array, place, depth + 1);
                } else if let Some(object) = object_of(zval) {
                    self.object(object, place, depth + 1);
                } else {
                    let kind = format!("{:?}", zval.get_type()).to_lowercase();
                    self.problem(
                        place,
                        format!("is a {kind}; pass arrays, strings, numbers, booleans or null"),
                    );
                }
            }
        }
    }

    fn array(&mut self, array: &ZendHashTable, place: &Place<'_>, depth: usize) {
        if self.enter(array, place, depth) {
            self.array_of(array, place, depth);
            self.depth -= 1;
        }
    }

    /// Whether to write `table`: not when it contains itself or is too deep.
    fn enter(&mut self, table: &ZendHashTable, place: &Place<'_>, depth: usize) -> bool {
        if self.open[..self.depth].contains(&ptr::from_ref(table)) {
            self.problem(
                place,
                "contains itself (through a reference); JSON cannot carry a recursive array",
            );
            false
        } else if let Some(slot) = self.open.get_mut(self.depth).filter(|_| depth <= MAX_DEPTH) {
            *slot = table;
            self.depth += 1;
            true
        } else {
            self.problem(
                place,
                format!("is nested more than {MAX_DEPTH} levels deep"),
            );
            false
        }
    }

    fn array_of(&mut self, array: &ZendHashTable, place: &Place<'_>, depth: usize) {
        if super::php_node::is_list(array) {
            self.out.byte(b'[');
            for (i, (_, zval)) in Entries::of(array).enumerate() {
                if i > 0 {
                    self.out.byte(b',');
                }
                self.value(zval, &Place::Element(place, i), depth);
            }
            self.out.byte(b']');
        } else if !self.gaps_as_objects
            && Entries::of(array).all(|(key, _)| matches!(key, Key::Index(_)))
        {
            let keys: Vec<ListKey> = Entries::of(array)
                .map(|(key, _)| match key {
                    Key::Index(i) => ListKey::Index(i),
                    Key::Name(_) => ListKey::Invalid,
                })
                .collect();
            self.problem(place, not_a_list(&keys));
        } else {
            self.members(array, place, depth);
        }
    }

    /// A `stdClass` becomes a JSON object; any other object is refused.
    fn object(&mut self, object: &ZendObject, place: &Place<'_>, depth: usize) {
        let Some(properties) = std_class_properties(object) else {
            let message = if std::ptr::eq(object.ce, ext_php_rs::zend::ce::stdclass()) {
                "is an object whose properties cannot be read".to_owned()
            } else {
                let class = object.get_class_name().unwrap_or_else(|_| "?".into());
                format!(
                    "is an object of class {class}; pass an array, or a stdClass for a JSON object"
                )
            };
            self.problem(place, message);
            return;
        };
        if self.enter(properties, place, depth) {
            self.members(properties, place, depth);
            self.depth -= 1;
        }
    }

    /// The entries of an array or object as the members of a JSON object.
    fn members(&mut self, table: &ZendHashTable, place: &Place<'_>, depth: usize) {
        // Problems with keys come before those of the values, as the keys
        // are read first in `to_json`.
        let first = self.problems.len();
        let mut bad_keys = 0;
        let mut written = 0;
        self.out.byte(b'{');
        for (key, zval) in Entries::of(table) {
            match key {
                Key::Index(i) => self.out.index_key(written == 0, i),
                Key::Name(name) => {
                    if !self.out.key(written == 0, name) {
                        let problem = Problem::new(
                            place.path(self.root),
                            "has a key that is not valid UTF-8; use UTF-8 keys",
                        );
                        self.problems.insert(first + bad_keys, problem);
                        bad_keys += 1;
                        continue;
                    }
                }
            }
            self.value(zval, &Place::Member(place, key), depth);
            written += 1;
        }
        self.out.byte(b'}');
    }
}

/// Writes the order as the validator walks it (see `Visit`): what it checks
/// member by member is written here member by member, and every other value
/// whole, with the same checks as [`Writer::value`].
impl<'a, S: Sink> Visit<'a, PhpNode<'a>> for Writer<'_, S> {
    #[inline(always)]
    fn value(&mut self, value: PhpNode<'a>, at: &dyn Display) {
        // Strings and integers, here where the validator is: most values
        // are; all else (and any problem) in `other_value`.
        if let PhpNode::Scalar(zval) = value {
            if self.muted == 0 && !self.skip_value {
                if let Some(text) = bytes_of(zval) {
                    if self.out.string(text) {
                        return;
                    }
                } else if let Some(i) = long_of(zval) {
                    self.out.integer(i);
                    return;
                }
            }
        }
        self.other_value(value, at);
    }

    #[inline(always)]
    fn open(&mut self, container: PhpNode<'a>, at: &dyn Display) {
        if self.muted > 0 {
            self.muted += 1;
            return;
        }
        if std::mem::take(&mut self.skip_value) {
            (self.muted, self.muted_entered) = (1, false);
            return;
        }
        let place = Place::At(at);
        let (table, list) = match container {
            PhpNode::Array(table, list) => (table, list),
            PhpNode::Object(properties) => (properties, false),
            // The validator opens only objects and lists.
            PhpNode::Scalar(_) => {
                (self.muted, self.muted_entered) = (1, false);
                return;
            }
        };
        if !self.enter(table, &place, self.depth) {
            (self.muted, self.muted_entered) = (1, false);
            return;
        }
        let gaps = matches!(container, PhpNode::Array(_, false))
            && !self.gaps_as_objects
            && Entries::of(table).all(|(key, _)| matches!(key, Key::Index(_)));
        if gaps {
            let keys: Vec<ListKey> = Entries::of(table)
                .map(|(key, _)| match key {
                    Key::Index(i) => ListKey::Index(i),
                    Key::Name(_) => ListKey::Invalid,
                })
                .collect();
            self.problem(&place, not_a_list(&keys));
            (self.muted, self.muted_entered) = (1, true);
            return;
        }
        self.starts[self.depth - 1] = (self.problems.len(), 0);
        self.out.byte(if list { b'[' } else { b'{' });
    }

    #[inline(always)]
    fn key(&mut self, key: Key<'a>, first: bool, at: &dyn Display, known: bool) {
        if self.muted > 0 {
            return;
        }
        match key {
            Key::Index(i) => self.out.index_key(first, i),
            Key::Name(name) if known => self.out.plain_key(first, name),
            Key::Name(name) => {
                if !self.out.key(first, name) {
                    let problem = Problem::new(
                        Place::At(at).path(self.root),
                        "has a key that is not valid UTF-8; use UTF-8 keys",
                    );
                    let (start, bad) = &mut self.starts[self.depth - 1];
                    self.problems.insert(*start + *bad, problem);
                    *bad += 1;
                    self.skip_value = true;
                }
            }
        }
    }

    #[inline(always)]
    fn element(&mut self, first: bool) {
        if self.muted == 0 && !first {
            self.out.byte(b',');
        }
    }

    #[inline(always)]
    fn close(&mut self, container: PhpNode<'a>) {
        if self.muted > 0 {
            self.muted -= 1;
            if self.muted == 0 && self.muted_entered {
                self.depth -= 1;
            }
            return;
        }
        let list = matches!(container, PhpNode::Array(_, true));
        self.out.byte(if list { b']' } else { b'}' });
        self.depth -= 1;
    }
}
