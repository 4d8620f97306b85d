//! [`PhpNode`]: a PHP value as the core's order validator reads it
//! (`sequra::orders::payload::node::Node`), so that an order is validated
//! where it lives, without being converted first.
//!
//! What is a list and what an object follows `json_encode`: an array whose
//! keys are `0..n-1` in order (the empty array too) is a list; any other
//! array, and a `stdClass`, is an object.

use super::zval::{Entries, Key, Kind, PhpValue, Table};
use ext_php_rs::types::ZendStr;
use sequra::orders::payload::json_text;
use sequra::orders::payload::node::{Node, Shape};

/// A PHP value as the order validator reads it. Values JSON cannot carry
/// (resources, objects other than `stdClass`, ...) read as null: the
/// writer that walks alongside the validator refuses them.
#[derive(Clone, Copy)]
pub enum PhpNode<'a> {
    /// Anything but an array or a readable `stdClass`.
    Scalar(PhpValue<'a>),
    /// A PHP array and whether it is a list.
    Array(Table<'a>, bool),
    /// The properties of a `stdClass`.
    Object(Table<'a>),
}

impl<'a> PhpNode<'a> {
    #[inline(always)]
    pub fn of(value: PhpValue<'a>) -> Self {
        if let Some(table) = value.array() {
            PhpNode::array(table)
        } else if let Some(Ok(properties)) = value.object().map(|o| o.std_class_properties()) {
            PhpNode::Object(properties)
        } else {
            PhpNode::Scalar(value)
        }
    }

    /// The node of a PHP array.
    #[inline]
    pub fn array(table: Table<'a>) -> Self {
        PhpNode::Array(table, table.is_list())
    }

    fn table(self) -> Option<Table<'a>> {
        match self {
            PhpNode::Scalar(_) => None,
            PhpNode::Array(table, _) | PhpNode::Object(table) => Some(table),
        }
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
        match self {
            PhpNode::Array(_, true) => Shape::List,
            PhpNode::Array(_, false) | PhpNode::Object(_) => Shape::Object,
            PhpNode::Scalar(value) => value.scalar_shape(),
        }
    }

    #[inline]
    fn as_bool(self) -> Option<bool> {
        match self {
            PhpNode::Scalar(value) => value.boolean(),
            _ => None,
        }
    }

    #[inline]
    fn as_i64(self) -> Option<i64> {
        match self {
            PhpNode::Scalar(value) => value.long(),
            _ => None,
        }
    }

    #[inline]
    fn as_str(self) -> Option<&'a str> {
        match self {
            PhpNode::Scalar(value) => as_str(value.string()?.as_bytes()),
            _ => None,
        }
    }

    #[inline]
    fn as_bytes(self) -> Option<&'a [u8]> {
        match self {
            PhpNode::Scalar(value) => value.string().map(ZendStr::as_bytes),
            _ => None,
        }
    }

    #[inline]
    fn members(self) -> Option<Self::Members> {
        match self {
            PhpNode::Array(table, false) | PhpNode::Object(table) => Some(Members(table.entries())),
            _ => None,
        }
    }

    #[inline]
    fn elements(self) -> Option<Self::Elements> {
        match self {
            PhpNode::Array(table, true) => Some(Values(table.entries())),
            _ => None,
        }
    }

    #[inline]
    fn len(self) -> usize {
        self.table().map_or(0, Table::len)
    }

    #[inline]
    fn get(self, name: &str) -> Option<Self> {
        match self {
            PhpNode::Array(table, false) | PhpNode::Object(table) => {
                table.get(name).map(PhpNode::of)
            }
            _ => None,
        }
    }

    fn json_text(self) -> String {
        let PhpNode::Scalar(value) = self else {
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
