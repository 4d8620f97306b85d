//! Where the converter's output goes ([`Sink`]): JSON text in the PHP
//! string returned ([`Json`]), a `serde_json::Value` for the core
//! ([`Tree`]), or nowhere, for a check ([`Discard`]). The sinks only write;
//! what is written, and what refused, is the writer's (`super::writer`).

use super::json_buffer::{JsonBuffer, Storage};
use sequra::orders::payload::json_text::{self, FieldKey};
use serde_json::{Map, Number, Value};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Receives a value piece by piece, in document order. Each method that
/// returns `false` wrote nothing: the writer reports it.
pub trait Sink {
    fn null(&mut self);
    fn boolean(&mut self, value: bool);
    fn integer(&mut self, value: i64);
    /// `false` for NaN and the infinities, which JSON cannot carry.
    fn float(&mut self, value: f64) -> bool;
    /// `false` when the text is not UTF-8.
    fn string(&mut self, text: &[u8]) -> bool;
    /// The start of a list, or of an object.
    fn open(&mut self, list: bool);
    fn close(&mut self, list: bool);
    /// Before each element of a list.
    fn element(&mut self, first: bool);
    /// The key of an object's next member; `false` when it is not UTF-8.
    fn key(&mut self, first: bool, name: &[u8]) -> bool;
    /// [`Sink::key`] for a name known to be plain ASCII.
    fn plain_key(&mut self, first: bool, name: &[u8]);
    /// An integer key, as the key of an object's member.
    fn index_key(&mut self, first: bool, index: i64);
    /// The key of a field of the order document, its JSON ready to copy.
    #[inline(always)]
    fn field_key(&mut self, first: bool, key: &FieldKey) {
        self.plain_key(first, key.name().as_bytes());
    }
    /// [`Sink::string`] for a string the order's walker passed (the value
    /// of a field, `Visit::CHECKS_NUL`): `false` also when it holds a NUL.
    #[inline(always)]
    fn text(&mut self, text: &[u8]) -> bool {
        !json_text::has_nul(text) && self.string(text)
    }
    /// [`Sink::field_key`] and [`Sink::text`]: `false` when the text is not
    /// UTF-8 or holds a NUL (the key written or not: what is written is
    /// dropped then).
    #[inline(always)]
    fn field_string(&mut self, first: bool, key: &FieldKey, text: &[u8]) -> bool {
        self.field_key(first, key);
        self.text(text)
    }
    /// [`Sink::field_key`] and [`Sink::integer`].
    #[inline(always)]
    fn field_integer(&mut self, first: bool, key: &FieldKey, value: i64) {
        self.field_key(first, key);
        self.integer(value);
    }
    /// JSON text written as it is (see `Visit::raw`).
    fn raw(&mut self, json: &[u8]);
}

/// Writes JSON text where it goes (the PHP string it is returned in, or
/// the body of a request: see [`Storage`]), as `serde_json` writes it
/// (`json_text`): `/` and non-ASCII characters as they are.
pub struct Json<S: Storage> {
    out: JsonBuffer<S>,
    /// For the rare pieces written piece by piece (escapes, floats).
    scratch: Vec<u8>,
    /// How long the last text of this kind was.
    hint: &'static LengthHint,
}

/// How long the last JSON of one kind was (an order, a request), so that
/// the next one is given room for it at once and seldom grows; at most
/// [`LengthHint::MAX`], so that one huge order does not make every later
/// one, in later PHP requests too, ask for that much memory.
pub struct LengthHint(AtomicUsize);

impl LengthHint {
    /// Far above an order's usual few kilobytes.
    const MAX: usize = 64 * 1024;

    pub const fn new() -> Self {
        LengthHint(AtomicUsize::new(4096))
    }
}

impl<S: Storage> Json<S> {
    /// Room for the last text of `hint`'s kind and an eighth more.
    pub fn sized(hint: &'static LengthHint) -> Self {
        let last = hint.0.load(Ordering::Relaxed);
        Json {
            out: JsonBuffer::with_capacity(last + last / 8),
            scratch: Vec::new(),
            hint,
        }
    }

    pub fn finish(self) -> S::Text {
        let len = self.out.len().min(LengthHint::MAX);
        self.hint.0.store(len, Ordering::Relaxed);
        self.out.finish()
    }

    /// A string that is not plain ASCII: UTF-8 with nothing to escape is
    /// copied as it is, anything else escaped (or refused: not UTF-8).
    #[inline(never)]
    fn other_string(&mut self, text: &[u8]) -> bool {
        if json_text::is_plain_utf8(text) {
            self.out.put(b"\"", text, b"\"");
            true
        } else {
            self.through_scratch(|scratch| json_text::string(scratch, text))
        }
    }

    /// Appends what `write` writes into the scratch buffer.
    #[cold]
    fn through_scratch<T>(&mut self, write: impl FnOnce(&mut Vec<u8>) -> T) -> T {
        self.scratch.clear();
        let result = write(&mut self.scratch);
        self.out.put(b"", &self.scratch, b"");
        result
    }
}

impl<S: Storage> Sink for Json<S> {
    #[inline]
    fn null(&mut self) {
        self.out.put(b"", b"null", b"");
    }

    #[inline]
    fn boolean(&mut self, value: bool) {
        self.out
            .put(b"", if value { b"true" } else { b"false" }, b"");
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

    #[inline(always)]
    fn string(&mut self, text: &[u8]) -> bool {
        self.out.put_plain_string(text) || self.other_string(text)
    }

    // A NUL is never plain: only text that is not is looked at for one.
    #[inline(always)]
    fn text(&mut self, text: &[u8]) -> bool {
        self.out.put_plain_string(text) || !json_text::has_nul(text) && self.other_string(text)
    }

    #[inline]
    fn open(&mut self, list: bool) {
        self.out.push(if list { b'[' } else { b'{' });
    }

    #[inline]
    fn close(&mut self, list: bool) {
        self.out.push(if list { b']' } else { b'}' });
    }

    #[inline(always)]
    fn element(&mut self, first: bool) {
        if !first {
            self.out.push(b',');
        }
    }

    #[inline(always)]
    fn key(&mut self, first: bool, name: &[u8]) -> bool {
        if json_text::is_plain(name) {
            self.plain_key(first, name);
            return true;
        }
        self.element(first);
        let utf8 = self.through_scratch(|scratch| json_text::string(scratch, name));
        self.out.push(b':');
        utf8
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

    #[inline]
    fn index_key(&mut self, first: bool, index: i64) {
        let mut buffer = [0; 20];
        self.plain_key(first, json_text::decimal(index, &mut buffer));
    }

    #[inline(always)]
    fn field_key(&mut self, first: bool, key: &FieldKey) {
        let (padded, len) = key.json(first);
        self.out.put_padded(padded, len);
    }

    #[inline(always)]
    fn field_string(&mut self, first: bool, key: &FieldKey, text: &[u8]) -> bool {
        let (padded, len) = key.json(first);
        if self.out.put_padded_and_plain_string(padded, len, text) {
            return true;
        }
        self.out.put_padded(padded, len);
        !json_text::has_nul(text) && self.other_string(text)
    }

    #[inline(always)]
    fn field_integer(&mut self, first: bool, key: &FieldKey, value: i64) {
        let (padded, len) = key.json(first);
        self.out
            .put_padded_and(padded, len, json_text::decimal(value, &mut [0; 20]));
    }

    #[inline]
    fn raw(&mut self, json: &[u8]) {
        self.out.put(b"", json, b"");
    }
}

/// Checks without writing.
pub struct Discard;

impl Sink for Discard {
    #[inline]
    fn null(&mut self) {}

    #[inline]
    fn boolean(&mut self, _: bool) {}

    #[inline]
    fn integer(&mut self, _: i64) {}

    #[inline]
    fn float(&mut self, value: f64) -> bool {
        value.is_finite()
    }

    #[inline]
    fn string(&mut self, text: &[u8]) -> bool {
        json_text::is_utf8(text)
    }

    #[inline]
    fn text(&mut self, text: &[u8]) -> bool {
        json_text::is_text(text)
    }

    #[inline]
    fn open(&mut self, _: bool) {}

    #[inline]
    fn close(&mut self, _: bool) {}

    #[inline]
    fn element(&mut self, _: bool) {}

    #[inline]
    fn key(&mut self, _: bool, name: &[u8]) -> bool {
        json_text::is_utf8(name)
    }

    #[inline]
    fn plain_key(&mut self, _: bool, _: &[u8]) {}

    #[inline]
    fn index_key(&mut self, _: bool, _: i64) {}

    #[inline(always)]
    fn field_key(&mut self, _: bool, _: &FieldKey) {}

    #[inline(always)]
    fn field_string(&mut self, _: bool, _: &FieldKey, text: &[u8]) -> bool {
        json_text::is_text(text)
    }

    #[inline(always)]
    fn field_integer(&mut self, _: bool, _: &FieldKey, _: i64) {}

    #[inline]
    fn raw(&mut self, _: &[u8]) {}
}

/// Builds the `serde_json::Value` the core takes.
#[derive(Default)]
pub struct Tree {
    /// The containers being built, outermost first, each with the key its
    /// next member goes under.
    open: Vec<(Container, String)>,
    done: Option<Value>,
}

enum Container {
    List(Vec<Value>),
    Object(Map<String, Value>),
}

impl Tree {
    /// The value built; null if nothing was (the writer refused the root).
    pub fn finish(self) -> Value {
        self.done.unwrap_or(Value::Null)
    }

    fn put(&mut self, value: Value) {
        match self.open.last_mut() {
            Some((Container::List(items), _)) => items.push(value),
            Some((Container::Object(members), key)) => {
                members.insert(std::mem::take(key), value);
            }
            None => self.done = Some(value),
        }
    }

    fn set_key(&mut self, name: &str) {
        if let Some((_, key)) = self.open.last_mut() {
            name.clone_into(key);
        }
    }
}

impl Sink for Tree {
    fn null(&mut self) {
        self.put(Value::Null);
    }

    fn boolean(&mut self, value: bool) {
        self.put(Value::Bool(value));
    }

    fn integer(&mut self, value: i64) {
        self.put(Value::from(value));
    }

    fn float(&mut self, value: f64) -> bool {
        Number::from_f64(value)
            .map(|n| self.put(Value::Number(n)))
            .is_some()
    }

    fn string(&mut self, text: &[u8]) -> bool {
        std::str::from_utf8(text)
            .map(|text| self.put(Value::from(text)))
            .is_ok()
    }

    fn open(&mut self, list: bool) {
        let container = if list {
            Container::List(Vec::new())
        } else {
            Container::Object(Map::new())
        };
        self.open.push((container, String::new()));
    }

    fn close(&mut self, _: bool) {
        if let Some((container, _)) = self.open.pop() {
            self.put(match container {
                Container::List(items) => Value::Array(items),
                Container::Object(members) => Value::Object(members),
            });
        }
    }

    fn element(&mut self, _: bool) {}

    fn key(&mut self, _: bool, name: &[u8]) -> bool {
        std::str::from_utf8(name)
            .map(|name| self.set_key(name))
            .is_ok()
    }

    fn plain_key(&mut self, first: bool, name: &[u8]) {
        self.key(first, name);
    }

    fn index_key(&mut self, _: bool, index: i64) {
        self.set_key(&index.to_string());
    }

    fn raw(&mut self, json: &[u8]) {
        // Only the walk of an order writes raw JSON, never into a tree.
        if let Ok(value) = serde_json::from_slice(json) {
            self.put(value);
        }
    }
}
