//! What the validator reads an order through: a small read-only view of a
//! JSON-like tree, so that an order is checked where it already lives
//! (a `serde_json::Value`, or a PHP array in the extension) without first
//! being copied into another tree.

use super::json_text::FieldKey;
use crate::redact::PathKey;
use serde_json::Value;

/// What a value is, as JSON would carry it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Null,
    Bool,
    /// A number without a fraction or exponent (`i64` or `u64`).
    Integer,
    /// Any other number.
    Float,
    String,
    List,
    Object,
}

/// The key of an object's member. A name is bytes, not `&str`, so that a
/// tree whose keys are not known to be UTF-8 (PHP strings) need not check
/// every key: names are compared with the order document's ASCII names,
/// and written out (lossily) only in a problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key<'a> {
    Name(&'a [u8]),
    /// An integer key (PHP arrays have them; JSON writes it as its decimal text).
    Index(i64),
}

impl Key<'_> {
    /// Whether this key is `name`.
    #[inline]
    pub fn is(&self, name: &str) -> bool {
        matches!(self, Key::Name(key) if same(key, name.as_bytes()))
    }

    /// Whether the key is a non-negative integer, as in a list whose keys
    /// have a gap (see `walk::elements`).
    pub fn is_index(&self) -> bool {
        match self {
            Key::Index(i) => *i >= 0,
            Key::Name(name) => std::str::from_utf8(name).is_ok_and(|n| n.parse::<u64>().is_ok()),
        }
    }
}

/// Whether two short byte strings (keys and field names) are the same:
/// as `a == b`, without a call to `memcmp` for names of 32 bytes or fewer.
#[inline]
pub fn same(a: &[u8], b: &[u8]) -> bool {
    match (Name::of(a), Name::of(b)) {
        (Some(a), Some(b)) => a == b,
        _ => a == b,
    }
}

/// A name of up to 32 bytes (a key, a field's name) as four words that
/// cover its bytes (the first and the last ones, overlapping) and its
/// length: two names are the same when their words are, and the words
/// hash without the bytes being read again (`schema::Fields`). Made when
/// the crate is compiled for the field names, once per key for the keys.
#[derive(Debug, Clone, Copy)]
pub struct Name {
    len: usize,
    words: [u64; 4],
}

impl Name {
    /// The words of `bytes`; `None` past 32 bytes (no field name is longer).
    #[inline(always)]
    pub const fn of(bytes: &[u8]) -> Option<Name> {
        let b = bytes;
        let n = b.len();
        let words = match n {
            0 => [0; 4],
            1..=3 => [
                b[0] as u64 | (b[n / 2] as u64) << 8 | (b[n - 1] as u64) << 16,
                0,
                0,
                0,
            ],
            4..=7 => [half(b, 0) | half(b, n - 4) << 32, 0, 0, 0],
            8..=16 => [word(b, 0), word(b, n - 8), 0, 0],
            17..=32 => [word(b, 0), word(b, 8), word(b, n - 16), word(b, n - 8)],
            _ => return None,
        };
        Some(Name { len: n, words })
    }

    /// `of`, for a name known to be short (a field's, when compiled).
    pub const fn of_field(name: &str) -> Name {
        match Name::of(name.as_bytes()) {
            Some(words) => words,
            None => panic!("a field name longer than 32 bytes"),
        }
    }

    /// A hash of the name, its top `bits` bits, under `seed`.
    #[inline(always)]
    pub const fn hash(&self, seed: u64, bits: u32) -> usize {
        let [w0, w1, _, w3] = self.words;
        let mixed = w0 ^ w1.rotate_left(21) ^ w3.rotate_left(43) ^ self.len as u64;
        (mixed.wrapping_mul(seed) >> (64 - bits)) as usize
    }
}

impl PartialEq for Name {
    #[inline(always)]
    fn eq(&self, other: &Name) -> bool {
        let [a0, a1, a2, a3] = self.words;
        let [b0, b1, b2, b3] = other.words;
        ((self.len ^ other.len) as u64 | (a0 ^ b0) | (a1 ^ b1) | (a2 ^ b2) | (a3 ^ b3)) == 0
    }
}

impl Eq for Name {}

/// The eight bytes of `b` from `at` (which has them), little-endian.
#[inline(always)]
const fn word(b: &[u8], at: usize) -> u64 {
    match b.split_at(at).1.first_chunk::<8>() {
        Some(chunk) => u64::from_le_bytes(*chunk),
        None => 0,
    }
}

/// The four bytes of `b` from `at` (which has them), little-endian.
#[inline(always)]
const fn half(b: &[u8], at: usize) -> u64 {
    match b.split_at(at).1.first_chunk::<4>() {
        Some(chunk) => u32::from_le_bytes(*chunk) as u64,
        None => 0,
    }
}

/// A key as a problem's path writes it: a short plain name as it is,
/// anything else quoted and cut to an excerpt ([`PathKey`]), so that a
/// path is bounded whatever the keys.
impl std::fmt::Display for Key<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Key::Name(name) => write!(f, "{}", PathKey(name)),
            Key::Index(i) => write!(f, "{i}"),
        }
    }
}

/// A value of an order, read in place. Implemented for `&serde_json::Value`
/// here and for PHP's values in the extension. Every method is cheap: the
/// validator calls them for every field of every order.
pub trait Node<'a>: Copy + 'a {
    /// The members of an object, in their order, each with its key.
    type Members: Iterator<Item = (Key<'a>, Self)>;
    /// The elements of a list, in order.
    type Elements: Iterator<Item = Self>;

    fn shape(self) -> Shape;
    fn as_bool(self) -> Option<bool>;
    /// An integer that fits in `i64`.
    fn as_i64(self) -> Option<i64>;
    /// A string that is UTF-8.
    fn as_str(self) -> Option<&'a str>;
    /// The bytes of a string, UTF-8 or not (not checked): for the checks
    /// that accept ASCII only (dates, codes, URLs), which need no UTF-8
    /// check, and for the bound on a document's size.
    fn as_bytes(self) -> Option<&'a [u8]>;
    /// How many bytes a string has (0 for anything else), for the bound on
    /// a document's size (`validate::size`).
    #[inline]
    fn text_len(self) -> usize {
        self.as_bytes().map_or(0, <[u8]>::len)
    }
    /// The members, if this is an object.
    fn members(self) -> Option<Self::Members>;
    /// The elements, if this is a list.
    fn elements(self) -> Option<Self::Elements>;
    /// How many members or elements an object or list has (0 otherwise).
    fn len(self) -> usize;

    /// Whether [`Node::len`] is 0.
    #[inline]
    fn is_empty(self) -> bool {
        self.len() == 0
    }
    /// The member `name` of an object.
    fn get(self, name: &str) -> Option<Self>;
    /// A scalar as JSON text (`"abc"`, `12`, `1.5`, `true`), for messages.
    fn json_text(self) -> String;

    #[inline]
    fn is_null(self) -> bool {
        self.shape() == Shape::Null
    }

    #[inline]
    fn is_string(self) -> bool {
        self.shape() == Shape::String
    }

    /// An integer, whether or not it fits in `i64`.
    #[inline]
    fn is_integer(self) -> bool {
        self.shape() == Shape::Integer
    }
}

/// What the validator tells, as it checks an order, to one that writes the
/// order in the same pass (the PHP extension writes the JSON of a PHP array
/// this way, while it is validated). Every value is told exactly once, in
/// the order of the order: either whole ([`Visit::value`]), or as a
/// container ([`Visit::open`], then for each member its [`Visit::key`] or
/// for each element [`Visit::element`], each followed by the member or
/// element, then [`Visit::close`]). `at` is where the value is, for
/// messages: `cart.items[2].name`, empty for the whole order.
///
/// The bound on an order's size ([`super::ORDER_LIMITS`]) is counted in the
/// same walk, and the walk stops where an order passes it, before the
/// value that passes it is told. The visitor is then told
/// [`Visit::abandon`] and nothing more: what it was told of that order is
/// to be dropped, as the walk's answer is the one problem that says the
/// order is too large (the extension's writer frees what it wrote and its
/// problems: for the caller, nothing of an over-limit order is written or
/// refused but its size). So an over-limit order costs no more than the
/// bound, however large it is.
pub trait Visit<'a, N: Node<'a>> {
    /// Whether the visitor refuses a string that holds a NUL itself (a
    /// writer that reads every byte anyway): the walker then does not
    /// look for one. Its problem is `json_text::HOLDS_NUL`.
    const CHECKS_NUL: bool = false;
    /// A value told whole.
    fn value(&mut self, value: N, at: &dyn std::fmt::Display);
    /// A string told whole, with its bytes (read once, by the walker).
    #[inline(always)]
    fn string(&mut self, value: N, _text: &'a [u8], at: &dyn std::fmt::Display) {
        self.value(value, at);
    }
    /// An integer told whole, with its value.
    #[inline(always)]
    fn integer(&mut self, value: N, _number: i64, at: &dyn std::fmt::Display) {
        self.value(value, at);
    }
    /// An object or a list (or an empty list read as an empty object), whose
    /// members or elements are told next.
    fn open(&mut self, container: N, at: &dyn std::fmt::Display);
    /// The key of the next member of the open container at `at`; `known`
    /// when it is a name of the order document (ASCII, nothing to escape).
    fn key(&mut self, key: Key<'a>, first: bool, at: &dyn std::fmt::Display, known: bool);
    /// [`Visit::key`] for a key that is a field of the order document,
    /// with its JSON ready to copy.
    #[inline(always)]
    fn field_key(&mut self, key: &'static FieldKey, first: bool, at: &dyn std::fmt::Display) {
        self.key(Key::Name(key.name().as_bytes()), first, at, true);
    }
    /// A field of the order document and its string value, which passed
    /// its check: [`Visit::field_key`] then [`Visit::string`], in one call
    /// (a writer makes room for both at once). `at` is where the value is.
    #[inline(always)]
    fn field_string(
        &mut self,
        key: &'static FieldKey,
        first: bool,
        value: N,
        text: &'a [u8],
        at: &dyn std::fmt::Display,
    ) {
        self.field_key(key, first, at);
        self.string(value, text, at);
    }
    /// [`Visit::field_string`] for an integer value.
    #[inline(always)]
    fn field_integer(
        &mut self,
        key: &'static FieldKey,
        first: bool,
        value: N,
        number: i64,
        at: &dyn std::fmt::Display,
    ) {
        self.field_key(key, first, at);
        self.integer(value, number, at);
    }
    /// The next element of the open list.
    fn element(&mut self, first: bool);
    /// The end of the container opened last.
    fn close(&mut self, container: N);
    /// JSON text the walk writes itself, not read from the order: the
    /// envelope of a request (`{"order":` and `}`) and the `state` a call
    /// sets (see `checkout.rs`). Only a visitor that writes JSON uses it.
    #[inline(always)]
    fn raw(&mut self, _json: &[u8]) {}
    /// The order passed the bound on its size: the walk stops, and what
    /// this visitor was told of it is to be dropped.
    #[inline(always)]
    fn abandon(&mut self) {}
}

/// Visits nothing: plain validation.
pub struct NoVisit;

impl<'a, N: Node<'a>> Visit<'a, N> for NoVisit {
    #[inline(always)]
    fn value(&mut self, _: N, _: &dyn std::fmt::Display) {}
    #[inline(always)]
    fn open(&mut self, _: N, _: &dyn std::fmt::Display) {}
    #[inline(always)]
    fn key(&mut self, _: Key<'a>, _: bool, _: &dyn std::fmt::Display, _: bool) {}
    #[inline(always)]
    fn element(&mut self, _: bool) {}
    #[inline(always)]
    fn close(&mut self, _: N) {}
}

/// The members of a `serde_json` object.
pub struct ValueMembers<'a>(serde_json::map::Iter<'a>);

impl<'a> Iterator for ValueMembers<'a> {
    type Item = (Key<'a>, &'a Value);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(k, v)| (Key::Name(k.as_bytes()), v))
    }
}

impl<'a> Node<'a> for &'a Value {
    type Members = ValueMembers<'a>;
    type Elements = std::slice::Iter<'a, Value>;

    #[inline]
    fn shape(self) -> Shape {
        match self {
            Value::Null => Shape::Null,
            Value::Bool(_) => Shape::Bool,
            Value::Number(n) if n.is_i64() || n.is_u64() => Shape::Integer,
            Value::Number(_) => Shape::Float,
            Value::String(_) => Shape::String,
            Value::Array(_) => Shape::List,
            Value::Object(_) => Shape::Object,
        }
    }

    #[inline]
    fn as_bool(self) -> Option<bool> {
        Value::as_bool(self)
    }

    #[inline]
    fn as_i64(self) -> Option<i64> {
        Value::as_i64(self)
    }

    #[inline]
    fn as_str(self) -> Option<&'a str> {
        Value::as_str(self)
    }

    #[inline]
    fn as_bytes(self) -> Option<&'a [u8]> {
        Value::as_str(self).map(str::as_bytes)
    }

    #[inline]
    fn members(self) -> Option<Self::Members> {
        self.as_object().map(|map| ValueMembers(map.iter()))
    }

    #[inline]
    fn elements(self) -> Option<Self::Elements> {
        self.as_array().map(|list| list.iter())
    }

    #[inline]
    fn len(self) -> usize {
        match self {
            Value::Array(list) => list.len(),
            Value::Object(map) => map.len(),
            _ => 0,
        }
    }

    #[inline]
    fn get(self, name: &str) -> Option<Self> {
        self.as_object().and_then(|map| map.get(name))
    }

    fn json_text(self) -> String {
        self.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::same;

    #[test]
    fn names_are_the_same_only_byte_for_byte() {
        let names = [
            "",
            "a",
            "ab",
            "abc",
            "abcd",
            "abcde",
            "abcdefg",
            "abcdefgh",
            "abcdefghi",
            "abcdefghijklmnop",
            "abcdefghijklmnopq",
            "order_total_with_tax",
            "partpayment_details_getter",
            "abcdefghijklmnopqrstuvwxyz012345",
            "abcdefghijklmnopqrstuvwxyz0123456",
        ];
        for a in names {
            for b in names {
                assert_eq!(same(a.as_bytes(), b.as_bytes()), a == b, "{a} {b}");
            }
            // One byte different, wherever it is.
            for at in 0..a.len() {
                let mut other = a.as_bytes().to_vec();
                other[at] ^= 1;
                assert!(!same(a.as_bytes(), &other), "{a} at {at}");
            }
        }
    }
}
