//! JSON values → PHP values: the one conversion of the extension's output
//! (carts, payment requests, payment methods, parsed notifications), as
//! `json_decode($json, true)` makes them: objects become associative arrays
//! (a key such as `"42"` becomes the integer key PHP would make of it),
//! lists become lists.

use crate::errors::exception;
use ext_php_rs::boxed::ZBox;
use ext_php_rs::error::Result;
use ext_php_rs::prelude::PhpResult;
use ext_php_rs::types::{ArrayKey, ZendHashTable, Zval};
use serde::Serialize;
use serde_json::Value;

/// A core call's answer (a cart, a payment request, a notification) as a
/// PHP array. The call succeeded remotely, so an answer that does not
/// serialise (a bug: the core's types always do) says the server acted.
pub fn answer(value: &impl Serialize) -> PhpResult<ZBox<ZendHashTable>> {
    let json = serde_json::to_value(value).map_err(|e| {
        exception(&sequra::Error::UnexpectedResponse {
            request: String::new(),
            status: 200,
            message: format!("the answer does not serialise: {e}; please report it"),
            may_have_acted: true,
        })
    })?;
    Ok(array_of(&json)?)
}

/// A JSON object or list as a PHP array. The core hands the skins only
/// objects and lists here; any other value becomes a one-element list
/// rather than being lost.
pub fn array_of(value: &Value) -> Result<ZBox<ZendHashTable>> {
    let mut array = ZendHashTable::new();
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                let key = match key.parse::<i64>() {
                    Ok(index) if index.to_string() == *key => ArrayKey::Long(index),
                    _ => ArrayKey::Str(key),
                };
                array.insert(key, to_php(value)?)?;
            }
        }
        Value::Array(list) => {
            for value in list {
                array.push(to_php(value)?)?;
            }
        }
        scalar => array.push(to_php(scalar)?)?,
    }
    Ok(array)
}

/// Any JSON value as a PHP value.
pub fn to_php(value: &Value) -> Result<Zval> {
    let mut zval = Zval::new();
    match value {
        Value::Null => zval.set_null(),
        Value::Bool(b) => zval.set_bool(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => zval.set_long(i),
            // Beyond i64, or fractional: a float, as json_decode makes it.
            None => zval.set_double(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => zval.set_string(s, false)?,
        Value::Array(_) | Value::Object(_) => zval.set_hashtable(array_of(value)?),
    }
    Ok(zval)
}
