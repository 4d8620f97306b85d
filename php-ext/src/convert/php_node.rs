//! PHP values read in place: the entries of PHP arrays straight from the
//! engine's hash tables, and [`PhpNode`], the view through which the core
//! validates a PHP array without converting it to a `serde_json::Value`.
//!
//! What is a list and what an object follows `json_encode`: an array whose
//! keys are `0..n-1` in order (`array_is_list()`, the empty array too) is a
//! list; any other array, and a `stdClass`, is an object.

use ext_php_rs::ffi::{
    Bucket, IS_ARRAY, IS_DOUBLE, IS_FALSE, IS_INDIRECT, IS_LONG, IS_NULL, IS_OBJECT, IS_REFERENCE,
    IS_STRING, IS_TRUE, IS_UNDEF,
};
use ext_php_rs::types::{ZendHashTable, ZendObject, ZendStr, Zval};
use ext_php_rs::zend::ce;
use sequra::orders::payload::json_text;
use sequra::orders::payload::node::{Key, Node, Shape};
use std::slice;

/// `HASH_FLAG_PACKED` (`Zend/zend_hash.h`): the table holds bare zvals,
/// each at the index that is its key, rather than buckets with keys.
const HASH_FLAG_PACKED: u32 = 1 << 2;

/// The type byte of a zval (`Z_TYPE`).
#[inline]
pub fn type_of(zval: &Zval) -> u32 {
    // SAFETY: every zval has its type byte set; it is plain data.
    u32::from(unsafe { zval.u1.v.type_ })
}

/// The value a zval stands for: through an indirection (the slot of an
/// object's property table) and a PHP reference (`&$x`).
#[inline]
pub fn resolve(zval: &Zval) -> &Zval {
    let mut zval = zval;
    if type_of(zval) == IS_INDIRECT {
        // SAFETY: an IS_INDIRECT zval points to a live zval of its table.
        zval = unsafe { &*zval.value.zv };
    }
    if type_of(zval) == IS_REFERENCE {
        // SAFETY: an IS_REFERENCE zval points to a live zend_reference.
        zval = unsafe { &(*zval.value.ref_).val };
    }
    zval
}

/// The array a zval of type IS_ARRAY holds.
#[inline]
pub fn array_of(zval: &Zval) -> Option<&ZendHashTable> {
    if type_of(zval) == IS_ARRAY {
        // SAFETY: an IS_ARRAY zval points to a live array.
        unsafe { zval.value.arr.as_ref() }
    } else {
        None
    }
}

/// The object a zval of type IS_OBJECT holds.
#[inline]
pub fn object_of(zval: &Zval) -> Option<&ZendObject> {
    if type_of(zval) == IS_OBJECT {
        // SAFETY: an IS_OBJECT zval points to a live object.
        unsafe { zval.value.obj.as_ref() }
    } else {
        None
    }
}

/// The bytes of a zval of type IS_STRING.
#[inline]
pub fn bytes_of(zval: &Zval) -> Option<&[u8]> {
    if type_of(zval) == IS_STRING {
        // SAFETY: an IS_STRING zval points to a live zend_string.
        unsafe { zval.value.str_.as_ref() }.map(ZendStr::as_bytes)
    } else {
        None
    }
}

/// The integer of a zval of type IS_LONG.
#[inline]
pub fn long_of(zval: &Zval) -> Option<i64> {
    if type_of(zval) == IS_LONG {
        // SAFETY: an IS_LONG zval holds its integer.
        Some(unsafe { zval.value.lval })
    } else {
        None
    }
}

/// The float of a zval of type IS_DOUBLE.
#[inline]
pub fn double_of(zval: &Zval) -> Option<f64> {
    if type_of(zval) == IS_DOUBLE {
        // SAFETY: an IS_DOUBLE zval holds its float.
        Some(unsafe { zval.value.dval })
    } else {
        None
    }
}

/// `text` as `&str`, if it is UTF-8: as `std::str::from_utf8`, faster for
/// the short ASCII strings that most of an order is.
#[inline]
pub fn as_str(text: &[u8]) -> Option<&str> {
    if json_text::is_ascii(text) {
        // SAFETY: ASCII is UTF-8.
        Some(unsafe { std::str::from_utf8_unchecked(text) })
    } else {
        std::str::from_utf8(text).ok()
    }
}

/// The properties of a `stdClass` (what `json_encode` writes of it), or
/// `None` for any other object.
pub fn std_class_properties(object: &ZendObject) -> Option<&ZendHashTable> {
    if !std::ptr::eq(object.ce, ce::stdclass()) {
        return None;
    }
    object.get_properties().ok()
}

/// The slots of a table: bare zvals of a packed array, or buckets.
enum Slots<'a> {
    Packed(&'a [Zval]),
    Hash(&'a [Bucket]),
}

fn slots(table: &ZendHashTable) -> Slots<'_> {
    let used = table.nNumUsed as usize;
    // SAFETY: the flags are plain data.
    let packed = unsafe { table.u.flags } & HASH_FLAG_PACKED != 0;
    if used == 0 {
        // The data pointer of an empty (maybe uninitialised) table is not one to read.
        return Slots::Hash(&[]);
    }
    // SAFETY: a table's data holds `nNumUsed` initialised slots (deleted
    // ones are IS_UNDEF), zvals when it is packed and buckets otherwise. The
    // table outlives the borrow and nothing changes it meanwhile: the
    // extension holds it for the length of one call, in which no PHP code runs.
    unsafe {
        if packed {
            Slots::Packed(slice::from_raw_parts(table.__bindgen_anon_1.arPacked, used))
        } else {
            Slots::Hash(slice::from_raw_parts(table.__bindgen_anon_1.arData, used))
        }
    }
}

/// The entries of a table in order, each value resolved (see [`resolve`]);
/// deleted slots are skipped, as are unset properties.
pub enum Entries<'a> {
    Packed(std::iter::Enumerate<slice::Iter<'a, Zval>>),
    Hash(slice::Iter<'a, Bucket>),
}

impl<'a> Entries<'a> {
    #[inline]
    pub fn of(table: &'a ZendHashTable) -> Self {
        match slots(table) {
            Slots::Packed(zvals) => Entries::Packed(zvals.iter().enumerate()),
            Slots::Hash(buckets) => Entries::Hash(buckets.iter()),
        }
    }
}

impl<'a> Iterator for Entries<'a> {
    type Item = (Key<'a>, &'a Zval);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let (key, zval) = match self {
                Entries::Packed(zvals) => {
                    let (at, zval) = zvals.next()?;
                    (Key::Index(at as i64), zval)
                }
                Entries::Hash(buckets) => {
                    let bucket = buckets.next()?;
                    // SAFETY: a bucket's key is null (an integer key, in `h`)
                    // or a live zend_string.
                    let key = match unsafe { bucket.key.as_ref() } {
                        Some(name) => Key::Name(name.as_bytes()),
                        None => Key::Index(bucket.h as i64),
                    };
                    (key, &bucket.val)
                }
            };
            if type_of(zval) == IS_UNDEF {
                continue;
            }
            let zval = resolve(zval);
            if type_of(zval) != IS_UNDEF {
                return Some((key, zval));
            }
        }
    }
}

/// The values of a table, in order (for lists).
pub struct Values<'a>(Entries<'a>);

impl<'a> Iterator for Values<'a> {
    type Item = PhpNode<'a>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(_, zval)| PhpNode::of(zval))
    }
}

/// The members of an object, as nodes.
pub struct Members<'a>(Entries<'a>);

impl<'a> Iterator for Members<'a> {
    type Item = (Key<'a>, PhpNode<'a>);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(key, zval)| (key, PhpNode::of(zval)))
    }
}

/// Whether `table` is a list to `json_encode` (`zend_array_is_list`).
pub fn is_list(table: &ZendHashTable) -> bool {
    if table.nNumOfElements == 0 {
        return true;
    }
    match slots(table) {
        Slots::Packed(_) if table.nNumUsed == table.nNumOfElements => true,
        _ => Entries::of(table)
            .enumerate()
            .all(|(i, (key, _))| key == Key::Index(i as i64)),
    }
}

/// A PHP value as the order validator reads it. Values JSON cannot carry
/// (resources, objects other than `stdClass`, ...) read as null: the
/// extension refuses them before it validates.
#[derive(Clone, Copy)]
pub enum PhpNode<'a> {
    /// A scalar (or anything that is not an array or an object).
    Scalar(&'a Zval),
    /// A PHP array and whether it is a list.
    Array(&'a ZendHashTable, bool),
    /// The properties of a `stdClass`.
    Object(&'a ZendHashTable),
}

impl<'a> PhpNode<'a> {
    /// The node of a resolved zval.
    #[inline]
    pub fn of(zval: &'a Zval) -> Self {
        if let Some(array) = array_of(zval) {
            PhpNode::array(array)
        } else if let Some(properties) = object_of(zval).and_then(std_class_properties) {
            PhpNode::Object(properties)
        } else {
            PhpNode::Scalar(zval)
        }
    }

    /// The node of a PHP array.
    #[inline]
    pub fn array(array: &'a ZendHashTable) -> Self {
        PhpNode::Array(array, is_list(array))
    }

    fn table(self) -> Option<&'a ZendHashTable> {
        match self {
            PhpNode::Scalar(_) => None,
            PhpNode::Array(table, _) | PhpNode::Object(table) => Some(table),
        }
    }

    fn scalar(self) -> Option<&'a Zval> {
        match self {
            PhpNode::Scalar(zval) => Some(zval),
            _ => None,
        }
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
            PhpNode::Scalar(zval) => match type_of(zval) {
                IS_FALSE | IS_TRUE => Shape::Bool,
                IS_LONG => Shape::Integer,
                IS_DOUBLE => Shape::Float,
                IS_STRING => Shape::String,
                _ => Shape::Null,
            },
        }
    }

    #[inline]
    fn as_bool(self) -> Option<bool> {
        match type_of(self.scalar()?) {
            IS_TRUE => Some(true),
            IS_FALSE => Some(false),
            _ => None,
        }
    }

    #[inline]
    fn as_i64(self) -> Option<i64> {
        long_of(self.scalar()?)
    }

    #[inline]
    fn as_str(self) -> Option<&'a str> {
        as_str(bytes_of(self.scalar()?)?)
    }

    #[inline]
    fn members(self) -> Option<Self::Members> {
        match self {
            PhpNode::Array(table, false) | PhpNode::Object(table) => {
                Some(Members(Entries::of(table)))
            }
            _ => None,
        }
    }

    #[inline]
    fn elements(self) -> Option<Self::Elements> {
        match self {
            PhpNode::Array(table, true) => Some(Values(Entries::of(table))),
            _ => None,
        }
    }

    #[inline]
    fn len(self) -> usize {
        self.table()
            .map_or(0, |table| table.nNumOfElements as usize)
    }

    #[inline]
    fn get(self, name: &str) -> Option<Self> {
        let table = match self {
            PhpNode::Array(table, false) | PhpNode::Object(table) => table,
            _ => return None,
        };
        Entries::of(table)
            .find(|(key, _)| key.is(name))
            .map(|(_, zval)| PhpNode::of(zval))
    }

    fn json_text(self) -> String {
        let Some(zval) = self.scalar() else {
            return String::new();
        };
        match type_of(zval) {
            IS_TRUE => "true".into(),
            IS_FALSE => "false".into(),
            IS_LONG => long_of(zval).unwrap_or_default().to_string(),
            IS_DOUBLE => double_of(zval)
                .and_then(serde_json::Number::from_f64)
                .map_or_else(|| "null".into(), |n| n.to_string()),
            IS_STRING => {
                let text = String::from_utf8_lossy(bytes_of(zval).unwrap_or_default());
                serde_json::Value::from(text.as_ref()).to_string()
            }
            IS_NULL => "null".into(),
            _ => "null".into(),
        }
    }
}
