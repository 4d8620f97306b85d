//! `Sequra\PosClient`: one merchant's part-payment (in-store) orders.
//!
//! It takes the same options array as `Sequra\Client` (the API answers on
//! the same seQura hosts with the same credentials) and has the one shape
//! of every method: PHP arrays to JSON ([`convert::to_json`]), the core
//! call, JSON back to PHP arrays, errors as `Sequra\...Exception`
//! ([`boundary`]).

// PHP parameter names are camelCase (`$mobilePhone`), and ext-php-rs takes
// them from the Rust names.
#![allow(non_snake_case)]

use crate::convert;
use crate::errors::{boundary, problems_array};
use ext_php_rs::boxed::ZBox;
use ext_php_rs::class::RegisteredClass;
use ext_php_rs::ffi::{zend_function, zend_hash_str_find_ptr_lc};
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ArrayKey, ZendHashTable, ZendStr, Zval};
use sequra::pos::Client;
use sequra::{Config, Error};
use serde_json::Value;
use std::sync::Mutex;

/// Adds this flow's classes to the module.
pub fn register(module: ModuleBuilder) -> ModuleBuilder {
    module.class::<PosClient>()
}

/// A client of one merchant's part-payment orders. It keeps one connection
/// pool; build it once and reuse it.
#[php_class]
#[php(name = "Sequra\\PosClient")]
pub struct PosClient {
    client: Client,
}

#[php_impl]
impl PosClient {
    /// Checks the options and builds the client; nothing is sent. The
    /// options are those of `Sequra\Client`.
    pub fn __construct(options: &ZendHashTable) -> PhpResult<Self> {
        // Before anything can throw: traces never show the password.
        mark_options_sensitive();
        boundary(|| {
            let mut options = convert::to_json(options, "options").map_err(as_config_error)?;
            add_php_to_user_agent(&mut options);
            let client = Client::new(Config::from_json(&options)?)?;
            Ok(PosClient { client })
        })
    }

    /// The merchant id this client acts for.
    pub fn get_merchant(&self) -> String {
        self.client.merchant().to_owned()
    }

    /// Every problem of `$order`, each `['path' => ..., 'message' => ...]`;
    /// an empty array when it can be sent.
    pub fn validate_order(&self, order: &ZendHashTable) -> PhpResult<ZBox<ZendHashTable>> {
        let problems = match convert::to_json_as_json_encode(order, "order") {
            Ok(order) => self.client.orders().validate(&order),
            // Values JSON cannot carry (NAN, non-UTF-8, objects) are problems too.
            Err(error) => error.problems().to_vec(),
        };
        Ok(problems_array(&problems)?)
    }

    /// Creates an order (`POST /api/public/v1/orders`) and returns the cart.
    pub fn create_order(&self, order: &ZendHashTable) -> PhpResult<ZBox<ZendHashTable>> {
        let cart = boundary(|| {
            let order = convert::to_json(order, "order")?;
            let cart = self.client.orders().create(&order)?;
            // A cart always serialises: its keys are strings.
            Ok(serde_json::to_value(&cart).unwrap_or_default())
        })?;
        Ok(array_of(&cart)?)
    }

    /// Reads an order (`GET /api/public/v1/orders/:id`): the cart.
    pub fn get_order(&self, id: i64) -> PhpResult<ZBox<ZendHashTable>> {
        let cart = boundary(|| {
            let cart = self.client.orders().get(order_id(id)?)?;
            Ok(serde_json::to_value(&cart).unwrap_or_default())
        })?;
        Ok(array_of(&cart)?)
    }

    /// Texts the customer the link to sign (`POST .../:id/send_sms`), to
    /// `$mobilePhone` when given; returns the server's message.
    #[php(optional = mobilePhone)]
    pub fn send_sms(&self, id: i64, mobilePhone: Option<String>) -> PhpResult<String> {
        boundary(|| {
            let sent = self
                .client
                .orders()
                .send_sms(order_id(id)?, mobilePhone.as_deref())?;
            Ok(sent.message)
        })
    }

    /// Cancels an order (`POST .../:id/cancel`): `['outcome' => 'cancelled'
    /// | 'cancellation_requested' | 'unknown', 'message' => ..., 'status' => ...]`.
    pub fn cancel_order(&self, id: i64) -> PhpResult<ZBox<ZendHashTable>> {
        let result = boundary(|| Ok(self.client.orders().cancel(order_id(id)?)?.to_json()))?;
        Ok(array_of(&result)?)
    }
}

/// A PHP int as an order id; ids are positive.
fn order_id(id: i64) -> sequra::error::Result<u64> {
    u64::try_from(id)
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| Error::invalid("id", format!("is {id}; an order id is a positive integer")))
}

/// A JSON object as a PHP array, as `json_decode($json, true)` makes it.
fn array_of(value: &Value) -> ext_php_rs::error::Result<ZBox<ZendHashTable>> {
    let mut array = ZendHashTable::new();
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                // PHP keeps integer-like keys as integers.
                let key = match key.parse::<i64>() {
                    Ok(index) if index.to_string() == *key => ArrayKey::Long(index),
                    _ => ArrayKey::Str(key),
                };
                array.insert(key, zval_of(value)?)?;
            }
        }
        Value::Array(list) => {
            for value in list {
                array.push(zval_of(value)?)?;
            }
        }
        // The core hands out objects only; anything else is an empty array.
        _ => {}
    }
    Ok(array)
}

fn zval_of(value: &Value) -> ext_php_rs::error::Result<Zval> {
    let mut zval = Zval::new();
    match value {
        Value::Null => zval.set_null(),
        Value::Bool(b) => zval.set_bool(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => zval.set_long(i),
            None => zval.set_double(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => zval.set_string(s, false)?,
        Value::Array(_) | Value::Object(_) => zval.set_hashtable(array_of(value)?),
    }
    Ok(zval)
}

/// The options array is the configuration: its problems are configuration
/// errors (`Sequra\ConfigException`), as for `Sequra\Client`.
fn as_config_error(error: Error) -> Error {
    let problems: Vec<String> = error
        .problems()
        .iter()
        .map(|p| format!("option {}: {}", p.path, p.message))
        .collect();
    Error::Config(problems.join("; "))
}

/// `user_agent` gains ` PHP/8.2.x`, as for `Sequra\Client`.
fn add_php_to_user_agent(options: &mut Value) {
    let Some(options) = options.as_object_mut() else {
        return; // Config::from_json says what is wrong
    };
    let Some(version) = ZendCallable::try_from_name("phpversion")
        .and_then(|phpversion| phpversion.try_call(vec![]))
        .ok()
        .and_then(|version| version.string())
    else {
        return;
    };
    let agent = match options.get("user_agent") {
        None | Some(Value::Null) => format!("PHP/{version}"),
        Some(Value::String(agent)) => format!("{agent} PHP/{version}"),
        Some(_) => return, // Config::from_json says what is wrong
    };
    options.insert("user_agent".into(), Value::String(agent));
}

/// Marks `$options` of `Sequra\PosClient::__construct`
/// `#[\SensitiveParameter]`, so that stack traces (in logs, error
/// trackers) never show the password. The extension's request startup
/// marks `Sequra\Client`'s; this class marks its own on its first
/// construction, before anything in it can throw, and does nothing once
/// the mark is there.
fn mark_options_sensitive() {
    extern "C" {
        fn zend_add_attribute(
            attributes: *mut *mut ext_php_rs::ffi::HashTable,
            name: *mut ext_php_rs::ffi::zend_string,
            argc: u32,
            flags: u32,
            offset: u32,
            lineno: u32,
        ) -> *mut std::ffi::c_void;
    }
    const ZEND_ATTRIBUTE_PERSISTENT: u32 = 1;
    const FIRST_PARAMETER: u32 = 1; // offset 0 is the function itself
    static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
    let _guard = ONE_AT_A_TIME.lock();
    let class = PosClient::get_metadata().ce();
    let name = "__construct";
    // SAFETY: the class's function table is live; the name is valid for its
    // length; the attribute keeps its own reference to the persistent name.
    unsafe {
        let function =
            zend_hash_str_find_ptr_lc(&class.function_table, name.as_ptr().cast(), name.len())
                .cast::<zend_function>();
        if let Some(function) = function.as_mut().filter(|f| f.common.attributes.is_null()) {
            let attribute = ZendStr::new("SensitiveParameter", true);
            zend_add_attribute(
                &mut function.common.attributes,
                attribute.as_ptr().cast_mut(),
                0,
                ZEND_ATTRIBUTE_PERSISTENT,
                FIRST_PARAMETER,
                0,
            );
        }
    }
}
