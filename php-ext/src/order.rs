//! `Sequra\Order`: the order payload checked without a client, as a shop's
//! settings page or a test would.
//!
//! `validate` and `encode` read the PHP array in place, in one walk: the
//! core's validator reads it and tells each value to the converter's
//! writer, which finds what JSON cannot carry and, for `encode`, writes the
//! JSON into the string returned (`convert::encode_order`). No
//! `serde_json::Value` is built. `platform` makes the order's `platform`
//! block from what PHP knows and what the plugin says.

use crate::args::{Array, Nullable};
use crate::convert::{self, json_buffer::JsonString};
use crate::errors::{boundary, problems_array};
use crate::options::php_version;
use ext_php_rs::boxed::ZBox;
use ext_php_rs::ffi::zend_string;
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendHashTable, ZendStr};
use sequra::orders::payload::{self as payload, Problems, ValidateOptions};
use sequra::redact::PathKey;
use sequra::{Error, Problem};
use serde_json::{json, Map, Value};
use std::ffi::c_char;

/// The seQura order payload, checked before it leaves the shop.
#[php_class]
#[php(name = "Sequra\\Order", flags = ext_php_rs::flags::ClassFlags::Final)]
pub struct Order;

#[php_impl]
impl Order {
    /// Every problem of `$order`, each `['path' => ..., 'message' => ...]`;
    /// an empty array when it is valid. Options: `contract` (a list of
    /// "services", "multistore", "garage", "shipment_ref", "instore"),
    /// `flow` ("online" or "pos_legacy"), `allow_unknown_keys` (bool).
    #[php(optional = options)]
    pub fn validate(order: Array, options: Nullable<Array>) -> PhpResult<ZBox<ZendHashTable>> {
        let options = boundary(|| convert::order_options(options.get()))?;
        // Values JSON cannot carry (NAN, non-UTF-8, objects) are the
        // problems, if there are any; an array with gaps is an object, as
        // json_encode makes it, which the validator names among the others.
        Ok(problems_array(&convert::validate_order(&order, &options))?)
    }

    /// The order as the JSON seQura receives, after validating it: throws
    /// Sequra\ValidationException with every problem when it has any.
    #[php(optional = options)]
    pub fn encode(order: Array, options: Nullable<Array>) -> PhpResult<JsonString> {
        boundary(|| {
            let options = convert::order_options(options.get())?;
            convert::encode_order(&order, &options)
        })
    }

    /// The order's `platform` block: the plugin's `name`, `version`,
    /// `plugin_version` (optional), `db_name` and `db_version`, with PHP's
    /// own `php_version` and `uname` added; validated as the order's, so a
    /// missing, wrong or unknown field is a Sequra\ValidationException whose
    /// path is `platform.<field>`.
    pub fn platform(shop: Array) -> PhpResult<ZBox<ZendHashTable>> {
        let block = boundary(|| platform_block(&shop))?;
        let mut array = ZendHashTable::new();
        for (key, value) in &block {
            array.insert(key.as_str(), value.as_str())?;
        }
        Ok(array)
    }
}

/// The fields of the `platform` block in the order the API documents them;
/// those PHP knows are set here, never by the plugin.
const PLATFORM_FIELDS: [(&str, Source); 7] = [
    ("name", Source::Shop),
    ("version", Source::Shop),
    ("plugin_version", Source::Shop),
    ("uname", Source::Php),
    ("db_name", Source::Shop),
    ("db_version", Source::Shop),
    ("php_version", Source::Php),
];

#[derive(PartialEq)]
enum Source {
    Shop,
    Php,
}

extern "C" {
    /// What `php_uname($mode)` returns (ext/standard/info.c), read here
    /// even where `disable_functions` hides php_uname() from scripts.
    fn php_get_uname(mode: c_char) -> *mut zend_string;
}

/// `php_uname()`: the system's name, release, version and machine.
fn uname() -> String {
    // SAFETY: PHP's own function, called on the request's thread; it
    // returns a new string that the ZBox releases.
    let name = unsafe { php_get_uname(b'a' as c_char) };
    // SAFETY: a new, non-null zend_string owned by the caller.
    match unsafe { name.as_mut() } {
        Some(name) => {
            let name: ZBox<ZendStr> = unsafe { ZBox::from_raw(name) };
            String::from_utf8_lossy(name.as_bytes()).into_owned()
        }
        None => String::new(),
    }
}

/// The block as a list of (field, text) in [`PLATFORM_FIELDS`]' order, or
/// every problem of it.
fn platform_block(shop: &ZendHashTable) -> Result<Vec<(String, String)>, Error> {
    let converted = convert::to_json(shop, "platform").map_err(|error| match error {
        // The converter's paths start below the array it reads.
        Error::InvalidInput(problems) => Error::InvalidInput(
            problems
                .into_iter()
                .map(|p| match p.path.as_str() {
                    "platform" => p,
                    path => Problem::new(format!("platform.{path}"), p.message),
                })
                .collect(),
        ),
        other => other,
    })?;
    let mut block = match converted {
        Value::Object(block) => block,
        // An empty PHP array is a list to JSON: no field given.
        Value::Array(list) if list.is_empty() => Map::new(),
        _ => {
            return Err(Error::invalid(
                "platform",
                "must be an array with the keys name, version, db_name, db_version \
                 and optionally plugin_version",
            ))
        }
    };
    // What the plugin may not say: PHP's own fields, and unknown keys
    // (usually typos), which the validator does not see.
    let mut problems = Problems::new();
    block.retain(|key, _| {
        let message = match PLATFORM_FIELDS.iter().find(|(field, _)| field == key) {
            Some((_, Source::Shop)) => return true,
            Some((_, Source::Php)) => "is PHP's own and set by Order::platform(); leave it out",
            None => {
                "is not a field of the platform block; its fields are name, version, \
                 plugin_version, db_name and db_version"
            }
        };
        problems.push(
            format_args!("platform.{}", PathKey(key.as_bytes())),
            message,
        );
        false
    });
    block.insert(
        "php_version".into(),
        php_version().unwrap_or_default().into(),
    );
    block.insert("uname".into(), uname().into());
    let order = json!({ "platform": block });
    let of_the_block = payload::validate(&order, &ValidateOptions::default())
        .into_iter()
        .filter(|p| p.path == "platform" || p.path.starts_with("platform."));
    for problem in of_the_block {
        problems.push(problem.path, problem.message);
    }
    problems.into_result("platform")?;
    Ok(PLATFORM_FIELDS
        .iter()
        .filter_map(|(field, _)| {
            let value = order["platform"].get(*field)?.as_str()?;
            Some((field.to_string(), value.to_owned()))
        })
        .collect())
}
