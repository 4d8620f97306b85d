//! PHP values read in place, straight from the engine's structures: the
//! extension's one module that reads zvals, hash tables and objects with
//! `unsafe`. The rest of the extension reads PHP input only through
//! [`PhpValue`], [`Table`] and [`Object`], whose reads cannot fail, panic or
//! outlive the value they read (ext-php-rs's iterators panic on a key that
//! is not UTF-8, and allocate a zval for every key).
//!
//! # What this assumes of PHP (8.1 to 8.5)
//!
//! The structs' layouts and the `IS_*` type codes come from ext-php-rs's
//! bindings, generated from the headers of the PHP being built for. What
//! the bindings do not carry, and this module relies on, is the same in
//! PHP 8.1 to 8.5 (`Zend/zend_types.h`, `Zend/zend_hash.h`; checked
//! against the headers of 8.1, 8.2, 8.4 and 8.5, and run on 8.1 to 8.5):
//!
//! - From 8.2 a packed array (`HASH_FLAG_PACKED`, bit 2 of `u.flags`) holds
//!   bare zvals in `arPacked`, the key of each being its index; any other
//!   table holds buckets in `arData`. In 8.1 every table holds buckets,
//!   a packed one's keys being integers (`key` null, `h` the index).
//! - The values of the first `nNumUsed` slots are initialised; a deleted
//!   entry, or a hole in a packed array, is IS_UNDEF, and its bucket's key
//!   is not read: a deleted one's is released (before 8.2 left dangling),
//!   and 8.1 never writes a hole's (`[1 => $x]` is packed there). A table
//!   with no slot used may have no data to read.
//! - The key of a bucket in use is null for an integer key, which is then
//!   `h`.
//! - A value may be an IS_REFERENCE (`&$x`) to a `zend_reference`, or, in an
//!   object's property table, an IS_INDIRECT to the property's slot
//!   (IS_UNDEF when the property is unset).
//! - A case of a backed enum (`ZEND_ACC_ENUM` in its class's `ce_flags`,
//!   `enum_backing_type` not IS_UNDEF) holds its value in its second
//!   property slot, set when the case is made (`zend_enum_fetch_case_value`:
//!   `OBJ_PROP_NUM(obj, 1)`).
//! - From 8.4 an object may be lazy, and reading its properties would run
//!   its initializer, PHP code that could change the arrays being read; but
//!   a lazy `stdClass`, the one object read here, declares no property and
//!   so is initialised as it is made, without its initializer (run on 8.4:
//!   `tests/php/lazy_stdclass_is_read_without_running_its_initializer.phpt`).
//!
//! The build stops on any other PHP version (see `build.rs`): check these
//! against its headers before adding it.
//!
//! # Why the borrows are sound
//!
//! Every value read here belongs to an argument of the method being called,
//! which PHP keeps alive for the call; and no PHP code runs while the
//! extension reads it (of objects it reads only the properties of a
//! `stdClass`, through the engine's standard handler, and the value of a
//! backed enum's case, a property slot), so nothing changes or frees it
//! meanwhile.

#[cfg(not(php81))]
compile_error!("the sequra extension needs PHP 8.1 or newer");
#[cfg(php86)]
compile_error!(
    "the sequra extension reads PHP's arrays as PHP 8.1 to 8.5 lay them out; \
     check the assumptions listed in src/convert/zval.rs against this PHP's headers"
);

use ext_php_rs::ffi::{
    zend_hash_str_find, Bucket, IS_ARRAY, IS_DOUBLE, IS_FALSE, IS_INDIRECT, IS_LONG, IS_OBJECT,
    IS_REFERENCE, IS_RESOURCE, IS_STRING, IS_TRUE, IS_UNDEF, ZEND_ACC_ENUM,
};
use ext_php_rs::types::{ZendHashTable, ZendObject, ZendStr, Zval};
use ext_php_rs::zend::{ce, ClassEntry};
pub use sequra::orders::payload::node::Key;
use sequra::orders::payload::node::Shape;
use std::slice;

/// `HASH_FLAG_PACKED` (`Zend/zend_hash.h`).
const HASH_FLAG_PACKED: u32 = 1 << 2;

/// A PHP value, read in place (through a reference or an indirection).
/// Its accessors each test the type once, which the processor predicts
/// well as it walks an order field by field; [`PhpValue::kind`] decodes
/// it whole.
#[derive(Clone, Copy)]
pub struct PhpValue<'a>(pub(super) &'a Zval);

/// The integer a float without a fraction is, below 1e17 in magnitude:
/// `json_encode` writes such a float as an integer (3030.0, what `round()`
/// returns, as `3030`), so it is one here too, in the JSON written and for
/// the checks of amounts and counts. Others (1.5, 1e17) stay floats.
#[inline]
fn json_integer(f: f64) -> Option<i64> {
    // (Whole floats below 2^53 are the integers they show; -0.0 is 0.)
    if f.fract() != 0.0 || f.abs() >= 1e17 {
        None
    } else if f.abs() < 9_007_199_254_740_992.0 {
        Some(f as i64)
    } else {
        shortest_integer(f)
    }
}

/// A whole float from 2^53 to 1e17, as `json_encode` writes it: the
/// shortest digits that read back as it, then zeros (99999999999999990.0
/// as 99999999999999980, where its exact value is ...984), as Rust's
/// `Display` writes it too.
#[cold]
fn shortest_integer(f: f64) -> Option<i64> {
    f.to_string().parse().ok()
}

/// What a [`PhpValue`] is.
pub enum Kind<'a> {
    Null,
    Bool(bool),
    Long(i64),
    Double(f64),
    /// A string (`ZendStr::as_bytes`: PHP strings need not be UTF-8).
    String(&'a ZendStr),
    Array(Table<'a>),
    Object(Object<'a>),
    /// A resource (`fopen()`).
    Resource,
}

impl<'a> PhpValue<'a> {
    /// The value of `zval`, through a reference or an indirection.
    #[inline(always)]
    pub fn of(zval: &'a Zval) -> Self {
        PhpValue(resolve(zval))
    }

    /// What it is, whole.
    pub fn kind(self) -> Kind<'a> {
        if let Some(text) = self.string() {
            return Kind::String(text);
        }
        if let Some(i) = self.long() {
            return Kind::Long(i);
        }
        if let Some(table) = self.array() {
            return Kind::Array(table);
        }
        if let Some(object) = self.object() {
            return Kind::Object(object);
        }
        if let Some(b) = self.boolean() {
            return Kind::Bool(b);
        }
        if let Some(f) = self.double() {
            return match json_integer(f) {
                Some(i) => Kind::Long(i),
                None => Kind::Double(f),
            };
        }
        if type_of(self.0) == IS_RESOURCE {
            return Kind::Resource;
        }
        // IS_NULL, and IS_UNDEF (which reads as null in PHP); the engine's
        // internal types never reach a PHP variable.
        Kind::Null
    }

    /// How JSON would carry it if it is a scalar; anything else (an array,
    /// an object, a resource) reads as null.
    #[inline(always)]
    pub fn scalar_shape(self) -> Shape {
        match type_of(self.0) {
            IS_STRING => Shape::String,
            IS_LONG => Shape::Integer,
            IS_FALSE | IS_TRUE => Shape::Bool,
            IS_DOUBLE if self.whole_double().is_some() => Shape::Integer,
            IS_DOUBLE => Shape::Float,
            _ => Shape::Null,
        }
    }

    /// An integer, or a float that `json_encode` writes as one (see
    /// [`json_integer`]).
    #[inline(always)]
    pub fn integral(self) -> Option<i64> {
        if let Some(i) = self.long() {
            return Some(i);
        }
        self.whole_double()
    }

    /// [`json_integer`] of a float; apart, as floats are rare in an order.
    #[cold]
    #[inline(never)]
    fn whole_double(self) -> Option<i64> {
        self.double().and_then(json_integer)
    }

    #[inline(always)]
    pub fn string(self) -> Option<&'a ZendStr> {
        // SAFETY: an IS_STRING zval points to a live zend_string.
        if type_of(self.0) == IS_STRING {
            Some(unsafe { &*self.0.value.str_ })
        } else {
            None
        }
    }

    #[inline(always)]
    pub fn long(self) -> Option<i64> {
        // SAFETY: an IS_LONG zval holds its integer.
        if type_of(self.0) == IS_LONG {
            Some(unsafe { self.0.value.lval })
        } else {
            None
        }
    }

    #[inline(always)]
    pub fn double(self) -> Option<f64> {
        // SAFETY: an IS_DOUBLE zval holds its float.
        if type_of(self.0) == IS_DOUBLE {
            Some(unsafe { self.0.value.dval })
        } else {
            None
        }
    }

    #[inline(always)]
    pub fn boolean(self) -> Option<bool> {
        match type_of(self.0) {
            IS_TRUE => Some(true),
            IS_FALSE => Some(false),
            _ => None,
        }
    }

    #[inline(always)]
    pub fn array(self) -> Option<Table<'a>> {
        // SAFETY: an IS_ARRAY zval points to a live array.
        if type_of(self.0) == IS_ARRAY {
            Some(Table(unsafe { &*self.0.value.arr }))
        } else {
            None
        }
    }

    #[inline(always)]
    pub fn object(self) -> Option<Object<'a>> {
        // SAFETY: an IS_OBJECT zval points to a live object.
        if type_of(self.0) == IS_OBJECT {
            Some(Object(unsafe { &*self.0.value.obj }))
        } else {
            None
        }
    }
}

/// The type byte of a zval (`Z_TYPE`).
#[inline(always)]
pub(crate) fn type_of(zval: &Zval) -> u32 {
    // SAFETY: every zval has its type byte set; it is plain data.
    u32::from(unsafe { zval.u1.v.type_ })
}

/// The zval a zval stands for: through an indirection (a slot of an
/// object's property table), then a PHP reference (`&$x`).
#[inline(always)]
fn resolve(zval: &Zval) -> &Zval {
    // The usual value is neither: one test for both (IS_REFERENCE 10 and
    // IS_INDIRECT 12 are above every type a value holds itself).
    if type_of(zval) < IS_REFERENCE {
        return zval;
    }
    let mut zval = zval;
    if type_of(zval) == IS_INDIRECT {
        // SAFETY: an IS_INDIRECT zval points to a live zval of its object.
        zval = unsafe { &*zval.value.zv };
    }
    if type_of(zval) == IS_REFERENCE {
        // SAFETY: an IS_REFERENCE zval points to a live zend_reference.
        zval = unsafe { &(*zval.value.ref_).val };
    }
    zval
}

/// The buckets of a table that holds buckets (see `Table::entries`).
///
/// # Safety
///
/// `table` is not packed, or the PHP is 8.1, where packed tables hold
/// buckets too.
#[inline(always)]
unsafe fn buckets(table: &ZendHashTable) -> *const Bucket {
    #[cfg(php82)]
    // SAFETY: the caller's: this table's data is buckets.
    return unsafe { table.__bindgen_anon_1.arData };
    #[cfg(not(php82))]
    return table.arData;
}

/// A PHP array, or the properties of an object.
#[derive(Clone, Copy)]
pub struct Table<'a>(pub(super) &'a ZendHashTable);

impl<'a> Table<'a> {
    /// An array PHP handed the extension (an argument).
    #[inline]
    pub fn new(table: &'a ZendHashTable) -> Self {
        Table(table)
    }

    /// How many entries it has.
    #[inline]
    pub fn len(self) -> usize {
        self.0.nNumOfElements as usize
    }

    #[inline]
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    /// Which table this is (not an equal one: the same), to find a table
    /// met again inside itself.
    #[inline]
    pub fn id(self) -> usize {
        std::ptr::from_ref(self.0) as usize
    }

    /// Its entries in order.
    #[inline]
    pub fn entries(self) -> Entries<'a> {
        self.entries_but(false)
    }

    /// Its entries as an object's members: those of [`Table::entries`]
    /// but a property another class declared protected or private, whose
    /// name starts with NUL (`(object)(array)$entity` keeps them), which
    /// `json_encode` leaves out.
    #[inline]
    pub fn properties(self) -> Entries<'a> {
        self.entries_but(true)
    }

    #[inline(always)]
    fn entries_but(self, non_public: bool) -> Entries<'a> {
        let table = self.0;
        let used = table.nNumUsed as usize;
        if used == 0 {
            // The data of a table with nothing in it may be uninitialised.
            return Entries::Hash(<&[Bucket]>::default().iter(), non_public);
        }
        // SAFETY: a table's data holds `nNumUsed` initialised slots, zvals
        // when it is packed (from 8.2) and buckets otherwise; the flags are
        // plain data.
        unsafe {
            #[cfg(php82)]
            if table.u.flags & HASH_FLAG_PACKED != 0 {
                let zvals = slice::from_raw_parts(table.__bindgen_anon_1.arPacked, used);
                return Entries::Packed(zvals.iter().enumerate());
            }
            Entries::Hash(
                slice::from_raw_parts(buckets(table), used).iter(),
                non_public,
            )
        }
    }

    /// Whether `json_encode` makes it a list: its keys are `0..n-1` in
    /// order (`array_is_list()`; the empty array is one).
    #[inline(always)]
    pub fn is_list(self) -> bool {
        let table = self.0;
        if table.nNumOfElements == 0 {
            return true;
        }
        // SAFETY: the flags are plain data.
        let packed = unsafe { table.u.flags } & HASH_FLAG_PACKED != 0;
        if packed && table.nNumUsed == table.nNumOfElements {
            // Packed without holes: the keys are the indices.
            return true;
        }
        if !packed && self.first_key_is_name() {
            // An object's array, the usual case: no need to read on.
            return false;
        }
        self.keys_are_indices()
    }

    /// Whether the keys are `0..n-1` in order, read one by one.
    #[inline(never)]
    fn keys_are_indices(self) -> bool {
        self.entries()
            .enumerate()
            .all(|(i, (key, _))| key == Key::Index(i as i64))
    }

    /// Whether every key is an integer (a list, or one with gaps). An
    /// object's array is told by its first key, here where it is asked.
    #[inline(always)]
    pub fn has_only_integer_keys(self) -> bool {
        !self.first_key_is_name() && self.all_keys_are_integers()
    }

    #[inline(never)]
    fn all_keys_are_integers(self) -> bool {
        self.entries().all(|(key, _)| matches!(key, Key::Index(_)))
    }

    /// Whether the first entry of a table of buckets has a string key.
    #[inline(always)]
    fn first_key_is_name(self) -> bool {
        let table = self.0;
        // SAFETY: as in `entries`: a table that is not packed and has a
        // slot used holds initialised buckets; the first one used is the
        // first entry unless it was deleted (IS_UNDEF, whose key is not
        // read here: the full read decides then).
        unsafe {
            if table.u.flags & HASH_FLAG_PACKED != 0 || table.nNumUsed == 0 {
                return false;
            }
            let first = &*buckets(table);
            type_of(&first.val) != IS_UNDEF && !first.key.is_null()
        }
    }

    /// The value of the member `name`, looked up in the table's hash (the
    /// engine's own lookup), not by reading every key.
    #[inline]
    pub fn get(self, name: &str) -> Option<PhpValue<'a>> {
        // SAFETY: `zend_hash_str_find` reads the table (packed or not, with
        // or without a hash part yet) and `len` bytes of `name`, and returns
        // null or the member's zval, which lives as long as the table.
        let zval =
            unsafe { zend_hash_str_find(self.0, name.as_ptr().cast(), name.len()).as_ref() }?;
        let zval = resolve(zval);
        (type_of(zval) != IS_UNDEF).then_some(PhpValue(zval))
    }
}

/// The entries of a [`Table`] in order, each value read through its
/// reference or indirection; deleted entries and unset properties are
/// skipped.
pub enum Entries<'a> {
    /// A packed table's zvals (from 8.2): integer keys only.
    #[cfg(php82)]
    Packed(std::iter::Enumerate<slice::Iter<'a, Zval>>),
    /// Buckets, and whether to skip the names that start with NUL (an
    /// object's non-public properties, see [`Table::properties`]).
    Hash(slice::Iter<'a, Bucket>, bool),
}

impl<'a> Iterator for Entries<'a> {
    type Item = (Key<'a>, PhpValue<'a>);

    #[inline(always)]
    fn next(&mut self) -> Option<Self::Item> {
        loop {
            match self {
                #[cfg(php82)]
                Entries::Packed(zvals) => {
                    let (at, zval) = zvals.next()?;
                    let zval = resolve(zval);
                    if type_of(zval) != IS_UNDEF {
                        return Some((Key::Index(at as i64), PhpValue(zval)));
                    }
                }
                Entries::Hash(buckets, non_public) => {
                    let bucket = buckets.next()?;
                    // The value first: the key of a bucket not in use is
                    // never read (see `used_key`).
                    let zval = resolve(&bucket.val);
                    if type_of(zval) != IS_UNDEF {
                        // SAFETY: the bucket holds an entry.
                        let key = unsafe { used_key(bucket) };
                        if *non_public && matches!(key, Key::Name([0, ..])) {
                            continue;
                        }
                        return Some((key, PhpValue(zval)));
                    }
                }
            }
        }
    }
}

/// The key of a bucket that holds an entry.
///
/// # Safety
///
/// The bucket's value is not IS_UNDEF. Such a bucket's key is null (an
/// integer key, in `h`) or a live zend_string. A bucket that holds none may
/// have any key: a deleted entry's is released (and, before PHP 8.2, left
/// dangling), and a hole in an 8.1 packed array (`[1 => $x]`) was never
/// written.
#[inline(always)]
unsafe fn used_key(bucket: &Bucket) -> Key<'_> {
    // SAFETY: the caller's.
    match unsafe { bucket.key.as_ref() } {
        Some(name) => Key::Name(name.as_bytes()),
        None => Key::Index(bucket.h as i64),
    }
}

/// A PHP object.
#[derive(Clone, Copy)]
pub struct Object<'a>(&'a ZendObject);

/// What a refused object is, where that changes what to send instead.
#[derive(Clone, Copy)]
pub enum Known {
    /// A `DateTimeInterface`: its text is meant.
    Date,
    /// A `JsonSerializable`, whose `jsonSerialize()` (PHP code) is not
    /// called while an array is read.
    JsonSerializable,
    /// A `Stringable` (it has `__toString()`): its text is likely meant.
    Stringable,
    Other,
}

impl Known {
    /// Looks the interfaces up by name: all are PHP's own (ext/date,
    /// ext/json and the engine's `Stringable`, always built in), so the
    /// look-up finds them and never autoloads.
    fn of(class: &ClassEntry) -> Known {
        let is = |interface| ClassEntry::try_find(interface).is_some_and(|i| class.instance_of(i));
        if is("DateTimeInterface") {
            Known::Date
        } else if is("JsonSerializable") {
            Known::JsonSerializable
        } else if is("Stringable") {
            Known::Stringable
        } else {
            Known::Other
        }
    }
}

/// What `json_encode` makes of an object that it writes.
pub enum Written<'a> {
    /// A `stdClass`: its properties, as an object's members.
    Members(Table<'a>),
    /// A case of a backed enum: its value (`Suit::Hearts->value`).
    Value(PhpValue<'a>),
}

/// Why an object is not written.
pub enum Unread<'a> {
    /// Of a class other than `stdClass`: its name, and what it is where
    /// that changes what to send instead.
    Class(&'a [u8], Known),
    /// A case of an enum without values: its enum's name.
    PureEnum(&'a [u8]),
    /// A `stdClass` whose handler gave no properties.
    Unreadable,
}

impl<'a> Object<'a> {
    /// What `json_encode` writes of it: a `stdClass`'s properties, or a
    /// backed enum case's value; it refuses any other object, as JSON has
    /// no form for it (`json_encode` writes other objects' public
    /// properties, which are seldom what an API means).
    #[inline]
    pub fn written(self) -> Result<Written<'a>, Unread<'a>> {
        let object = self.0;
        if std::ptr::eq(object.ce, ce::stdclass()) {
            return object
                .get_properties()
                .map(|properties| Written::Members(Table(properties)))
                .map_err(|_| Unread::Unreadable);
        }
        // SAFETY: a live object's class entry is live.
        let Some(class) = (unsafe { object.ce.as_ref() }) else {
            return Err(Unread::Unreadable);
        };
        if class.ce_flags & ZEND_ACC_ENUM == 0 {
            return Err(Unread::Class(self.class_name(), Known::of(class)));
        }
        if class.enum_backing_type == IS_UNDEF {
            return Err(Unread::PureEnum(self.class_name()));
        }
        // SAFETY: a case of a backed enum has its name and its value in
        // its first two property slots, both set as the case is made.
        let value = unsafe { &*object.properties_table.as_ptr().add(1) };
        Ok(Written::Value(PhpValue::of(value)))
    }

    /// The name of its class as a message shows it, as bytes (a class name
    /// need not be UTF-8).
    fn class_name(self) -> &'a [u8] {
        // SAFETY: a live object's class entry and its name are live.
        let name: &[u8] = unsafe {
            self.0
                .ce
                .as_ref()
                .and_then(|class| class.name.as_ref())
                .map_or(b"?", ZendStr::as_bytes)
        };
        crate::errors::class_shown(name)
    }
}
