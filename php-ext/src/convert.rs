//! PHP values → JSON: the one conversion of the extension's input, with one
//! set of rules, whatever the JSON becomes (a `serde_json::Value` for the
//! core, the text `Sequra\Order::encode` returns, the body of an order
//! call's request, or nothing, for a check).
//!
//! The rules follow `json_encode`, except where `json_encode` would quietly
//! send something else than what the shop meant; those cases are refused,
//! every one of them at once, each with the path of the value:
//!
//! - `null`, `bool`, `int` and `string` become null, a boolean, a number and
//!   a string. Strings must be UTF-8. A `float` becomes a number; `NAN` and
//!   `INF` are refused.
//! - An array whose keys are exactly `0..n-1` in order (`array_is_list()`)
//!   becomes a JSON array. The empty array becomes `[]`, as with
//!   `json_encode`: pass `new stdClass` (or `(object) []`) for an empty
//!   JSON object.
//! - An array with at least one string key becomes a JSON object (integer
//!   keys become their decimal text). Keys must be UTF-8.
//! - An array whose keys are all integers but not `0..n-1` in order (a gap
//!   left by `unset()`, or `$items[9]` after `$items[5]`) is refused:
//!   `json_encode` would send an object where the API wants a list.
//!   `array_values()` makes it a list; `(object)` makes it a mapping. (An
//!   order's methods take it as the object `json_encode` makes, which the
//!   order's validator names where the document wants a list.)
//! - A `stdClass` object becomes a JSON object, and a case of a backed enum
//!   its value. Other objects, resources and closures are refused, as are
//!   arrays that contain themselves
//!   (through a reference) or are nested more than [`writer::MAX_DEPTH`]
//!   deep.
//!
//! A document's other problems are listed after what was refused
//! ([`to_document`], and for an order `validated`), so that one call names
//! them all.
//!
//! The rules and their messages are in [`writer`], which applies them in
//! one walk; [`zval`] reads the PHP values.

pub mod json_buffer;
mod node;
mod sink;
mod writer;
pub mod zval;

use crate::errors::shown;
use ext_php_rs::types::ZendHashTable;
use json_buffer::{JsonString, VecText, ZendText};
use node::PhpNode;
pub use sequra::orders::payload::OrderCall;
use sequra::orders::payload::{self as order, EncodedOrder, ValidateOptions};
use sequra::orders::Orders;
use sequra::{Error, Problem};
use serde_json::Value;
use sink::{Discard, Json, LengthHint, Sink, Tree};
use writer::{Gaps, Writer};
use zval::Table;

/// Converts a PHP array to JSON. `root` names the whole array in problems
/// about the array itself (`order`, `options`); problems inside it have
/// paths like `cart.items[3].price_with_tax`. Every problem is reported,
/// as [`Error::InvalidInput`].
pub fn to_json(array: &ZendHashTable, root: &str) -> Result<Value, Error> {
    to_document(array, root, |_| Vec::new())
}

/// Converts a document that `check` validates (a part-payment order, a
/// Paysera payment request, a checkout.com setup), as [`to_json`] does;
/// when a value is refused, `check` reads the document with null in each
/// refused value's place, and its problems follow the refusals
/// ([`order::Problems::merged`]): one call names every problem, and the
/// document's validate method and the call that sends it name the same.
pub fn to_document(
    array: &ZendHashTable,
    root: &str,
    check: impl FnOnce(&Value) -> Vec<Problem>,
) -> Result<Value, Error> {
    let table = Table::new(array);
    within_bound(table, root)?;
    let mut writer = Writer::new(root, Gaps::Refuse, Tree::default());
    writer.root(table);
    match writer.written() {
        (tree, None) => Ok(tree.finish()),
        (tree, Some(refused)) => Err(Error::InvalidInput(order::Problems::merged(
            refused,
            check(&tree.finish()),
            root,
        ))),
    }
}

/// Every problem of a document ([`to_document`]), for its validate method;
/// nothing is sent.
pub fn document_problems(
    array: &ZendHashTable,
    root: &str,
    check: impl Fn(&Value) -> Vec<Problem>,
) -> Vec<Problem> {
    match to_document(array, root, &check) {
        Ok(document) => check(&document),
        Err(refused) => refused.problems().to_vec(),
    }
}

/// Refuses, with one problem at `root`, an array larger than the largest
/// document of these APIs (an order, [`order::ORDER_LIMITS`]) before any
/// walk of it that builds or writes something: PHP shares arrays and
/// strings, so a few kilobytes of PHP memory can hold an array that reads
/// as gigabytes (`array_fill(0, 1000, $a)`, twenty levels of `[$x, $x]`).
/// The count reads at most the bound's values and stops. Each API's own,
/// smaller bound is checked on what is converted.
pub(crate) fn within_bound(table: Table<'_>, root: &str) -> Result<(), Error> {
    order::check_size(PhpNode::array(table), &order::ORDER_LIMITS, root)
        .map_err(|too_large| Error::InvalidInput(vec![too_large]))
}

/// The options of `Sequra\Order::validate` and `encode`; `None` and `[]`
/// are the defaults. Read in place.
pub fn order_options(options: Option<&ZendHashTable>) -> Result<ValidateOptions, Error> {
    let Some(options) = options
        .map(Table::new)
        .filter(|options| !options.is_empty())
    else {
        return Ok(ValidateOptions::default());
    };
    within_bound(options, "options")?;
    // Options it takes hold only the names and booleans it knows, which
    // the converter takes as they are: its walk is for options it
    // refuses, so that a value no JSON carries is refused as every method
    // refuses it. (Every call of encode and validate has options.)
    ValidateOptions::from_node(PhpNode::array(options)).or_else(|refused| {
        let mut writer = Writer::new("options", Gaps::Refuse, Discard);
        writer.root(options);
        writer.result().map_err(Error::InvalidInput)?;
        Err(refused)
    })
}

/// `order` validated and written as JSON in one pass: its JSON, or as
/// [`Error::InvalidInput`] the same problems as [`validate_order`].
pub fn encode_order(order: &ZendHashTable, options: &ValidateOptions) -> Result<JsonString, Error> {
    static ORDERS: LengthHint = LengthHint::new();
    validated(order, options, Json::<ZendText>::sized(&ORDERS))
        .map(Json::finish)
        .map_err(Error::InvalidInput)
}

/// `order` as the body of `call`'s request (`{"order": ...}`), validated
/// and written in one walk straight from the PHP array (`Orders::encode`),
/// for the call's `*_encoded` method to send. `Err` when a value cannot
/// be JSON, with every other problem of the order after it.
pub fn encode_request(
    orders: &Orders<'_>,
    call: OrderCall,
    order: &ZendHashTable,
) -> Result<EncodedOrder, Error> {
    static REQUESTS: LengthHint = LengthHint::new();
    let writer = Writer::new("order", Gaps::AsObject, Json::<VecText>::sized(&REQUESTS));
    orders.encode(call, PhpNode::array(Table::new(order)), writer)
}

/// Every problem of `order`, in one pass, nothing written: the values JSON
/// cannot carry (NAN, text that is not UTF-8, objects), then the order's
/// other problems ([`order::Problems::merged`]). An array with gaps is an
/// object, as `json_encode` makes it, which the validator names where the
/// document wants a list; encode reads it the same way, so that validate
/// and encode find the same problems.
pub fn validate_order(order: &ZendHashTable, options: &ValidateOptions) -> Vec<Problem> {
    validated(order, options, Discard).err().unwrap_or_default()
}

/// The one walk of [`validate_order`] and [`encode_order`]: what `out` was
/// given, or every problem (what the writer refused first).
fn validated<S: Sink>(
    order: &ZendHashTable,
    options: &ValidateOptions,
    out: S,
) -> Result<S, Vec<Problem>> {
    let mut writer = Writer::new("order", Gaps::AsObject, out);
    let problems =
        order::validate_visiting(PhpNode::array(Table::new(order)), options, &mut writer);
    match writer.result() {
        Err(refused) => Err(order::Problems::merged(refused, problems, "order")),
        Ok(_) if !problems.is_empty() => Err(problems),
        Ok(out) => Ok(out),
    }
}

/// The problem with text that is not UTF-8.
pub(crate) const NOT_UTF8: &str =
    "is not valid UTF-8; convert the text to UTF-8 (e.g. with mb_convert_encoding)";

/// The problem with a key that is not UTF-8, showing (the start of) it.
pub(crate) fn key_not_utf8(name: &[u8]) -> String {
    format!(
        "has a key that is not valid UTF-8 (\"{}\"); use UTF-8 keys",
        shown_bytes(name)
    )
}

/// A caller's key or class name for a message: as it is if it is UTF-8,
/// else with its other bytes escaped (`\xff`); cut after 40 characters.
pub(crate) fn shown_bytes(text: &[u8]) -> String {
    const SHOWN: usize = 40;
    if let Ok(text) = std::str::from_utf8(text) {
        return shown(text, SHOWN);
    }
    let start = &text[..text.len().min(SHOWN)];
    if start.len() < text.len() {
        format!("{}… ({} bytes)", start.escape_ascii(), text.len())
    } else {
        start.escape_ascii().to_string()
    }
}
