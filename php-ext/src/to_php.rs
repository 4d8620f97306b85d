//! JSON values → PHP values: the one conversion of the extension's output
//! (carts, payment requests, payment methods, parsed notifications), as
//! `json_decode($json, true)` makes them: objects become associative arrays
//! (a key such as `"42"` becomes the integer key PHP would make of it),
//! lists become lists, integers beyond PHP's (`i64`) become floats.
//!
//! An answer that cannot be handed over is an exception, never a null or
//! an empty array in its place.

use crate::errors::exception;
use ext_php_rs::boxed::ZBox;
use ext_php_rs::exception::PhpException;
use ext_php_rs::prelude::PhpResult;
use ext_php_rs::types::{ArrayKey, ZendHashTable, Zval};
use serde::Serialize;
use serde_json::{Map, Number, Value};
use std::fmt::Display;

/// A core call's answer (a cart, a payment request, a notification) as a
/// PHP array.
pub fn answer(value: &impl Serialize) -> PhpResult<ZBox<ZendHashTable>> {
    let json = serde_json::to_value(value).map_err(|e| not_handed_over(&e))?;
    array_of(&json)
}

/// A JSON object or list as a PHP array. The core hands the skins only
/// objects and lists here; any other value becomes a one-element list
/// rather than being lost.
pub fn array_of(value: &Value) -> PhpResult<ZBox<ZendHashTable>> {
    table(value).map_err(|e| not_handed_over(&e))
}

/// The call succeeded (remotely, for most answers), so an answer that
/// cannot be handed over (a bug: the core's types always serialise, and
/// PHP takes any JSON) says that the server may have acted.
fn not_handed_over(reason: &dyn Display) -> PhpException {
    exception(&sequra::Error::UnexpectedResponse {
        request: "the call".into(),
        status: 200,
        message: format!("its answer cannot be handed to PHP ({reason}); please report it"),
        may_have_acted: true,
        request_id: None,
    })
}

/// A JSON object (a log record's context) as a PHP array.
pub fn object_of(map: &Map<String, Value>) -> Result<ZBox<ZendHashTable>, String> {
    let mut array = ZendHashTable::new();
    for (key, value) in map {
        let value = to_php(value)?;
        array
            .insert(array_key(key), value)
            .map_err(|e| e.to_string())?;
    }
    Ok(array)
}

fn table(value: &Value) -> Result<ZBox<ZendHashTable>, String> {
    let mut array = ZendHashTable::new();
    match value {
        Value::Object(map) => return object_of(map),
        Value::Array(list) => {
            for value in list {
                array.push(to_php(value)?).map_err(|e| e.to_string())?;
            }
        }
        scalar => array.push(to_php(scalar)?).map_err(|e| e.to_string())?,
    }
    Ok(array)
}

/// The key PHP makes of an object's member: a decimal integer in PHP's
/// range, written as PHP writes it (no sign `+`, no leading zero, not
/// `-0`), becomes that integer; anything else stays a string.
fn array_key(key: &str) -> ArrayKey<'_> {
    match key.parse::<i64>() {
        Ok(index) if index.to_string() == key => ArrayKey::Long(index),
        _ => ArrayKey::Str(key),
    }
}

fn to_php(value: &Value) -> Result<Zval, String> {
    let mut zval = Zval::new();
    match value {
        Value::Null => zval.set_null(),
        Value::Bool(b) => zval.set_bool(*b),
        Value::Number(n) => number(&mut zval, n)?,
        Value::String(s) => zval.set_string(s, false).map_err(|e| e.to_string())?,
        Value::Array(_) | Value::Object(_) => zval.set_hashtable(table(value)?),
    }
    Ok(zval)
}

/// An integer that fits PHP's int as an int; any other number (a fraction,
/// an exponent, an integer beyond `i64`) as the float `json_decode` makes.
fn number(zval: &mut Zval, n: &Number) -> Result<(), String> {
    match (n.as_i64(), n.as_f64()) {
        (Some(i), _) => zval.set_long(i),
        (None, Some(f)) => zval.set_double(f),
        (None, None) => return Err(format!("the number {n} is not one PHP holds")),
    }
    Ok(())
}
