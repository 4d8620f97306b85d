//! [`PhpNode`]: a PHP value as the core's order validator reads it
//! (`sequra::orders::payload::node::Node`), so that an order is validated
//! where it lives, without being converted first.
//!
//! What is a list and what an object follows `json_encode`: an array whose
//! keys are `0..n-1` in order (the empty array too) is a list; any other
//! array, and a `stdClass`, is an object.

use super::zval::{Entries, Key, Kind, PhpValue, Table, Written};
use ext_php_rs::types::{ZendHashTable, ZendStr, Zval};
use sequra::orders::payload::json_text;
use sequra::orders::payload::node::{Node, Shape};
use std::marker::PhantomData;
use std::num::NonZeroUsize;
use std::ptr::NonNull;

/// A PHP value as the order validator reads it. Values JSON cannot carry
/// (resources, objects other than `stdClass`, ...) read as null: the
/// writer that walks alongside the validator refuses them.
///
/// One word: the address of the value's zval (a scalar) or of its table
/// (an array, or a `stdClass`'s properties), with which of the four it is
/// in the two low bits (both are 8-aligned). The walker keeps nodes across
/// its member loop and notes some in slots; a word stays in a register,
/// where a two-word enum was spilled byte by byte and read back whole, a
/// read the processor cannot forward from the smaller writes.
#[derive(Clone, Copy)]
pub struct PhpNode<'a> {
    word: NonNull<u8>,
    _value: PhantomData<PhpValue<'a>>,
}

/// What a [`PhpNode`] is, to match on.
pub enum View<'a> {
    /// Anything but an array or a readable `stdClass`.
    Scalar(PhpValue<'a>),
    /// A PHP array and whether it is a list.
    Array(Table<'a>, bool),
    /// The properties of a `stdClass`.
    Object(Table<'a>),
}

/// The low bits of a [`PhpNode`]'s word.
const SCALAR: usize = 0;
const LIST: usize = 1;
const MAP: usize = 2;
const OBJECT: usize = 3;
const TAG: usize = 3;

const _: () = assert!(align_of::<Zval>() > TAG && align_of::<ZendHashTable>() > TAG);

impl<'a> PhpNode<'a> {
    #[inline(always)]
    pub fn of(value: PhpValue<'a>) -> Self {
        if let Some(table) = value.array() {
            PhpNode::array(table)
        } else if let Some(Ok(written)) = value.object().map(|o| o.written()) {
            match written {
                Written::Members(properties) => {
                    Self::tagged(NonNull::from(properties.0).cast(), OBJECT)
                }
                Written::Value(value) => Self::tagged(NonNull::from(value.0).cast(), SCALAR),
            }
        } else {
            Self::tagged(NonNull::from(value.0).cast(), SCALAR)
        }
    }

    /// The node of a PHP array.
    #[inline]
    pub fn array(table: Table<'a>) -> Self {
        let tag = if table.is_list() { LIST } else { MAP };
        Self::tagged(NonNull::from(table.0).cast(), tag)
    }

    #[inline(always)]
    fn tagged(address: NonNull<u8>, tag: usize) -> Self {
        PhpNode {
            word: address.map_addr(|a| a | tag),
            _value: PhantomData,
        }
    }

    #[inline(always)]
    fn tag(self) -> usize {
        self.word.addr().get() & TAG
    }

    /// The table of an array or object node.
    #[inline(always)]
    fn table_unchecked(self) -> Table<'a> {
        // SAFETY: the word was made from a `&'a ZendHashTable` (the tag is
        // not SCALAR), whose address has the tag's bits clear.
        Table(unsafe { self.address().cast::<ZendHashTable>().as_ref() })
    }

    #[inline(always)]
    fn address(self) -> NonNull<u8> {
        // SAFETY (of `new_unchecked`): an 8-aligned address with its tag
        // bits cleared is the address it was made from, not null.
        self.word
            .map_addr(|a| unsafe { NonZeroUsize::new_unchecked(a.get() & !TAG) })
    }

    /// What it is, to match on.
    #[inline(always)]
    pub fn view(self) -> View<'a> {
        match self.tag() {
            SCALAR => View::Scalar(self.scalar_unchecked()),
            LIST => View::Array(self.table_unchecked(), true),
            MAP => View::Array(self.table_unchecked(), false),
            _ => View::Object(self.table_unchecked()),
        }
    }

    #[inline(always)]
    fn scalar_unchecked(self) -> PhpValue<'a> {
        // SAFETY: the word was made from a resolved `&'a Zval` (the tag is
        // SCALAR, 0): it is that address.
        PhpValue(unsafe { self.word.cast::<Zval>().as_ref() })
    }

    #[inline(always)]
    fn scalar(self) -> Option<PhpValue<'a>> {
        (self.tag() == SCALAR).then(|| self.scalar_unchecked())
    }

    /// Whether it is a list.
    #[inline(always)]
    pub fn is_list(self) -> bool {
        self.tag() == LIST
    }

    #[inline(always)]
    fn table(self) -> Option<Table<'a>> {
        (self.tag() != SCALAR).then(|| self.table_unchecked())
    }

    /// The table of an object node (a map-like array or a `stdClass`).
    #[inline(always)]
    fn object_table(self) -> Option<Table<'a>> {
        matches!(self.tag(), MAP | OBJECT).then(|| self.table_unchecked())
    }
}

/// The values of a list, as nodes.
pub struct Values<'a>(Entries<'a>);

impl<'a> Iterator for Values<'a> {
    type Item = PhpNode<'a>;

    #[inline(always)]
    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(_, value)| PhpNode::of(value))
    }
}

/// The members of an object, as nodes.
pub struct Members<'a>(Entries<'a>);

impl<'a> Iterator for Members<'a> {
    type Item = (Key<'a>, PhpNode<'a>);

    #[inline(always)]
    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(key, value)| (key, PhpNode::of(value)))
    }
}

impl<'a> Node<'a> for PhpNode<'a> {
    type Members = Members<'a>;
    type Elements = Values<'a>;

    #[inline]
    fn shape(self) -> Shape {
        match self.tag() {
            SCALAR => self.scalar_unchecked().scalar_shape(),
            LIST => Shape::List,
            _ => Shape::Object,
        }
    }

    #[inline]
    fn as_bool(self) -> Option<bool> {
        self.scalar()?.boolean()
    }

    #[inline]
    fn as_i64(self) -> Option<i64> {
        self.scalar()?.integral()
    }

    #[inline]
    fn as_str(self) -> Option<&'a str> {
        as_str(self.scalar()?.string()?.as_bytes())
    }

    #[inline]
    fn as_bytes(self) -> Option<&'a [u8]> {
        self.scalar()?.string().map(ZendStr::as_bytes)
    }

    #[inline]
    fn members(self) -> Option<Self::Members> {
        let table = self.object_table()?;
        Some(Members(if self.tag() == OBJECT {
            table.properties()
        } else {
            table.entries()
        }))
    }

    #[inline]
    fn elements(self) -> Option<Self::Elements> {
        self.is_list()
            .then(|| Values(self.table_unchecked().entries()))
    }

    #[inline]
    fn len(self) -> usize {
        self.table().map_or(0, Table::len)
    }

    #[inline]
    fn get(self, name: &str) -> Option<Self> {
        self.object_table()?.get(name).map(PhpNode::of)
    }

    fn json_text(self) -> String {
        let Some(value) = self.scalar() else {
            return String::new();
        };
        match value.kind() {
            Kind::Bool(b) => b.to_string(),
            Kind::Long(i) => i.to_string(),
            Kind::Double(f) => {
                serde_json::Number::from_f64(f).map_or_else(|| "null".into(), |n| n.to_string())
            }
            Kind::String(text) => {
                serde_json::Value::from(String::from_utf8_lossy(text.as_bytes())).to_string()
            }
            _ => "null".into(),
        }
    }
}

/// `text` as `&str`, if it is UTF-8: as `std::str::from_utf8`, faster for
/// the short ASCII strings that most of an order is.
#[inline]
fn as_str(text: &[u8]) -> Option<&str> {
    if json_text::is_ascii(text) {
        // SAFETY: ASCII is UTF-8.
        Some(unsafe { std::str::from_utf8_unchecked(text) })
    } else {
        std::str::from_utf8(text).ok()
    }
}
