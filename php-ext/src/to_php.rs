//! JSON values → PHP values: the one conversion of the extension's output
//! (payment methods, a parsed notification). Objects become associative
//! arrays and lists become lists, as `json_decode($json, true)` makes them.

use ext_php_rs::convert::IntoZval;
use ext_php_rs::error::Result;
use ext_php_rs::types::{ZendHashTable, Zval};
use serde_json::Value;

/// `value` as a PHP value.
pub fn to_php(value: &Value) -> Result<Zval> {
    match value {
        Value::Null => Ok(Zval::null()),
        Value::Bool(b) => b.into_zval(false),
        Value::Number(n) => match n.as_i64() {
            Some(i) => i.into_zval(false),
            // Beyond i64 (or fractional): a float, as json_decode makes it.
            None => n.as_f64().unwrap_or(f64::NAN).into_zval(false),
        },
        Value::String(s) => s.as_str().into_zval(false),
        Value::Array(items) => {
            let mut list = ZendHashTable::with_capacity(items.len().try_into().unwrap_or(0));
            for item in items {
                list.push(to_php(item)?)?;
            }
            list.into_zval(false)
        }
        Value::Object(members) => {
            let mut map = ZendHashTable::with_capacity(members.len().try_into().unwrap_or(0));
            for (key, member) in members {
                map.insert(key.as_str(), to_php(member)?)?;
            }
            map.into_zval(false)
        }
    }
}
