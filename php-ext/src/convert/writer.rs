//! PHP arrays → JSON text, written straight from the zvals into one buffer
//! (no `serde_json::Value` in between), with the rules of [`super::to_json`]:
//! what `json_encode` would send differently from what the shop meant is
//! refused, every problem at once, with the same messages and paths.
//!
//! Keys keep the order of the PHP array, as `json_encode` keeps it.
//! Strings, integers and floats are written as `serde_json` writes them
//! (`sequra::order::json_text`): `/` and non-ASCII characters as they are.
//!
//! The same walk without output ([`check`]) tells whether an array converts
//! at all, before it is validated in place.

use super::php_node::{
    array_of, bytes_of, double_of, long_of, object_of, resolve, std_class_properties, type_of,
    Entries,
};
use super::{not_a_list, Key as ListKey, MAX_DEPTH};
use ext_php_rs::ffi::{IS_FALSE, IS_NULL, IS_TRUE};
use ext_php_rs::types::{ZendHashTable, ZendObject, Zval};
use sequra::order::json_text;
use sequra::order::node::Key;
use sequra::{Error, Problem};
use std::fmt::Write as _;
use std::ptr;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The JSON of `array`, as [`super::to_json`] converts it, or every problem
/// that stops it as [`Error::InvalidInput`]. `root` names the whole array
/// in problems about the array itself.
pub fn encode(array: &ZendHashTable, root: &str) -> Result<Vec<u8>, Error> {
    // The last answer's length, so that the buffer is seldom grown.
    static LAST_LENGTH: AtomicUsize = AtomicUsize::new(4096);
    let capacity = LAST_LENGTH.load(Ordering::Relaxed);
    let out = Json(Vec::with_capacity(capacity + capacity / 8));
    let mut writer = Writer::new(root, false, out);
    writer.array(array, &Place::Root, 0);
    if writer.problems.is_empty() {
        LAST_LENGTH.store(writer.out.0.len(), Ordering::Relaxed);
        Ok(writer.out.0)
    } else {
        Err(Error::InvalidInput(writer.problems))
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
    /// An integer key, as the key of an object's member.
    fn index_key(&mut self, first: bool, index: i64);
    fn integer(&mut self, value: i64);
    /// A float; `false` when JSON cannot carry it.
    fn float(&mut self, value: f64) -> bool;
}

/// The JSON text being written. Each piece makes room for itself once and
/// is then copied without further checks; the short ones (most keys and
/// values) without a call to `memcpy`.
pub struct Json(Vec<u8>);

impl Json {
    /// Appends `before`, `text` and `after`, where `before` and `after`
    /// are a few bytes of punctuation known where this is inlined.
    #[inline(always)]
    fn put(&mut self, before: &[u8], text: &[u8], after: &[u8]) {
        let total = before.len() + text.len() + after.len();
        self.0.reserve(total);
        let at = self.0.len();
        // SAFETY: `reserve` made room for `total` bytes after the length,
        // which the three copies fill exactly before the length covers them.
        unsafe {
            let out = self.0.as_mut_ptr().add(at);
            ptr::copy_nonoverlapping(before.as_ptr(), out, before.len());
            copy_short(text.as_ptr(), out.add(before.len()), text.len());
            ptr::copy_nonoverlapping(
                after.as_ptr(),
                out.add(before.len() + text.len()),
                after.len(),
            );
            self.0.set_len(at + total);
        }
    }
}

/// Copies `n` bytes from `src` to `dst` (which do not overlap): up to 32
/// with two overlapping moves of a word, more with `memcpy`.
///
/// # Safety
///
/// `src` must be valid for reading `n` bytes and `dst` for writing them.
#[inline(always)]
unsafe fn copy_short(src: *const u8, dst: *mut u8, n: usize) {
    unsafe {
        match n {
            17..=32 => {
                let head = ptr::read_unaligned(src.cast::<u128>());
                let tail = ptr::read_unaligned(src.add(n - 16).cast::<u128>());
                ptr::write_unaligned(dst.cast::<u128>(), head);
                ptr::write_unaligned(dst.add(n - 16).cast::<u128>(), tail);
            }
            8..=16 => {
                let head = ptr::read_unaligned(src.cast::<u64>());
                let tail = ptr::read_unaligned(src.add(n - 8).cast::<u64>());
                ptr::write_unaligned(dst.cast::<u64>(), head);
                ptr::write_unaligned(dst.add(n - 8).cast::<u64>(), tail);
            }
            4..=7 => {
                let head = ptr::read_unaligned(src.cast::<u32>());
                let tail = ptr::read_unaligned(src.add(n - 4).cast::<u32>());
                ptr::write_unaligned(dst.cast::<u32>(), head);
                ptr::write_unaligned(dst.add(n - 4).cast::<u32>(), tail);
            }
            0..=3 => {
                for i in 0..n {
                    *dst.add(i) = *src.add(i);
                }
            }
            _ => ptr::copy_nonoverlapping(src, dst, n),
        }
    }
}

impl Sink for Json {
    #[inline]
    fn byte(&mut self, byte: u8) {
        self.0.push(byte);
    }

    #[inline]
    fn bytes(&mut self, bytes: &[u8]) {
        self.put(b"", bytes, b"");
    }

    #[inline]
    fn string(&mut self, text: &[u8]) -> bool {
        if json_text::is_plain(text) {
            self.put(b"\"", text, b"\"");
            true
        } else {
            json_text::string(&mut self.0, text)
        }
    }

    #[inline]
    fn key(&mut self, first: bool, name: &[u8]) -> bool {
        if json_text::is_plain(name) {
            // (Two calls, so that each copies constant punctuation inline.)
            if first {
                self.put(b"\"", name, b"\":");
            } else {
                self.put(b",\"", name, b"\":");
            }
            true
        } else {
            if !first {
                self.0.push(b',');
            }
            let utf8 = json_text::string(&mut self.0, name);
            self.0.push(b':');
            utf8
        }
    }

    #[inline]
    fn index_key(&mut self, first: bool, index: i64) {
        if !first {
            self.0.push(b',');
        }
        json_text::integer_key(&mut self.0, index);
        self.0.push(b':');
    }

    #[inline]
    fn integer(&mut self, value: i64) {
        json_text::integer(&mut self.0, value);
    }

    #[inline]
    fn float(&mut self, value: f64) -> bool {
        json_text::float(&mut self.0, value)
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
        }
    }

    fn problem(&mut self, place: &Place<'_>, message: impl Into<String>) {
        self.problems
            .push(Problem::new(place.path(self.root), message));
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
                        self.problem(place, "is not valid UTF-8; convert the text to UTF-8 (e.g. with mb_convert_encoding)");
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
        if self.open(array, place, depth) {
            self.array_of(array, place, depth);
            self.depth -= 1;
        }
    }

    /// Whether to write `table`: not when it contains itself or is too deep.
    fn open(&mut self, table: &ZendHashTable, place: &Place<'_>, depth: usize) -> bool {
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
        if self.open(properties, place, depth) {
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
