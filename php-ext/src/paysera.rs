//! `Sequra\PayseraClient`: Paysera Checkout payment requests and the
//! notifications their callbacks name, as plain PHP arrays shaped like
//! Paysera's JSON.
//!
//! Every method has one shape: convert the PHP array to JSON
//! ([`convert::to_json`]), call the core, and hand back the answer as an
//! array ([`to_php_array`]), or the matching exception ([`boundary`]).

// PHP parameter names are camelCase (`$notificationId`), and ext-php-rs
// takes them from the Rust names.
#![allow(non_snake_case)]

use crate::convert;
use crate::errors::{boundary, problems_array};
use ext_php_rs::boxed::ZBox;
use ext_php_rs::class::RegisteredClass;
use ext_php_rs::convert::IntoZval;
use ext_php_rs::ffi::{zend_function, zend_hash_str_find_ptr_lc};
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendHashTable, ZendStr, Zval};
use sequra::paysera::{Callback, Client, Config, NewPaymentRequest};
use sequra::Error;
use serde_json::Value;
use std::sync::Once;

/// Adds this flow's classes to the module.
pub fn register(module: ModuleBuilder) -> ModuleBuilder {
    module.class::<PayseraClient>()
}

/// A client of one Paysera project (Paysera Checkout). It keeps one
/// connection pool; build it once and reuse it.
#[php_class]
#[php(name = "Sequra\\PayseraClient")]
pub struct PayseraClient {
    client: Client,
}

#[php_impl]
impl PayseraClient {
    /// Checks the options and builds the client; nothing is sent.
    ///
    /// The options are `mac_id`, `mac_secret`, and optionally `endpoint`
    /// (Paysera's by default, or the sandbox's URL),
    /// `notification_endpoint`, `connect_timeout`, `timeout`, `ca_file`
    /// and `user_agent`.
    pub fn __construct(options: &ZendHashTable) -> PhpResult<Self> {
        MARK_SENSITIVE.call_once(mark_options_sensitive);
        boundary(|| {
            let options = convert::to_json(options, "options").map_err(as_config_error)?;
            let client = Client::new(Config::from_json(&options)?)?;
            Ok(PayseraClient { client })
        })
    }

    /// Every problem of a payment request, each `['path' => ...,
    /// 'message' => ...]`; an empty array when it can be sent.
    pub fn validate_payment_request(request: &ZendHashTable) -> PhpResult<ZBox<ZendHashTable>> {
        let problems = match convert::to_json(request, "payment_request") {
            Ok(request) => sequra::paysera::validate::payment_request(&request),
            Err(error) => error.problems().to_vec(),
        };
        Ok(problems_array(&problems)?)
    }

    /// Creates a payment request (`POST /checkout/rest/v1/payment-requests`)
    /// and returns it as Paysera answered (`id`, `status` "new",
    /// `authorization_url`, ...).
    pub fn create_payment_request(
        &self,
        request: &ZendHashTable,
    ) -> PhpResult<ZBox<ZendHashTable>> {
        let created = boundary(|| {
            let request = convert::to_json(request, "payment_request")?;
            let request = NewPaymentRequest::from_json(&request)?;
            self.client.payment_requests().create(&request)
        })?;
        answer(serde_json::to_value(created))
    }

    /// Reads a payment request (`GET .../payment-requests/{id}`).
    pub fn get_payment_request(&self, id: &str) -> PhpResult<ZBox<ZendHashTable>> {
        let request = boundary(|| self.client.payment_requests().get(id))?;
        answer(serde_json::to_value(request))
    }

    /// Authorizes a new payment request with the shopper's issued token
    /// (`PUT .../payment-requests/{id}/authorize`).
    pub fn authorize_payment_request(
        &self,
        id: &str,
        token: &str,
    ) -> PhpResult<ZBox<ZendHashTable>> {
        let request = boundary(|| self.client.payment_requests().authorize(id, token))?;
        answer(serde_json::to_value(request))
    }

    /// Captures an authorized payment request (`PUT .../{id}/capture`).
    pub fn capture_payment_request(&self, id: &str) -> PhpResult<ZBox<ZendHashTable>> {
        let request = boundary(|| self.client.payment_requests().capture(id))?;
        answer(serde_json::to_value(request))
    }

    /// Cancels a new or authorized payment request (`PUT .../{id}/cancel`).
    pub fn cancel_payment_request(&self, id: &str) -> PhpResult<ZBox<ZendHashTable>> {
        let request = boundary(|| self.client.payment_requests().cancel(id))?;
        answer(serde_json::to_value(request))
    }

    /// Turns a callback (`$_POST`) into the notification it names, fetched
    /// from Paysera (`GET /notification/rest/v1/notifications/{id}`); only
    /// `notification_id` is read from the callback.
    pub fn receive_callback(&self, fields: &ZendHashTable) -> PhpResult<ZBox<ZendHashTable>> {
        let notification = boundary(|| {
            let fields = convert::to_json(fields, "callback")?;
            let pairs = fields
                .as_object()
                .into_iter()
                .flatten()
                .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string())));
            let callback = Callback::from_pairs(pairs)?;
            self.client.notifications().receive(&callback)
        })?;
        answer(serde_json::to_value(notification))
    }

    /// Fetches a notification (`GET /notification/rest/v1/notifications/{id}`).
    pub fn get_notification(&self, notificationId: &str) -> PhpResult<ZBox<ZendHashTable>> {
        let notification = boundary(|| self.client.notifications().get(notificationId))?;
        answer(serde_json::to_value(notification))
    }

    /// Marks a notification read, so that Paysera stops calling back
    /// (`PUT /notification/rest/v1/notifications/{id}/read`).
    pub fn mark_notification_read(&self, notificationId: &str) -> PhpResult<ZBox<ZendHashTable>> {
        let notification = boundary(|| self.client.notifications().mark_read(notificationId))?;
        answer(serde_json::to_value(notification))
    }
}

/// The options array is the configuration: its problems are configuration
/// errors (`Sequra\ConfigException`).
fn as_config_error(error: Error) -> Error {
    let problems: Vec<String> = error
        .problems()
        .iter()
        .map(|p| format!("option {}: {}", p.path, p.message))
        .collect();
    Error::Config(problems.join("; "))
}

/// A core answer (`serde_json::to_value(answer)`) as a PHP array. The call
/// succeeded remotely, so a failure here says so.
fn answer(json: serde_json::Result<Value>) -> PhpResult<ZBox<ZendHashTable>> {
    let value = boundary(|| {
        json.map_err(|e| Error::UnexpectedResponse {
            request: String::new(),
            status: 200,
            message: format!("the answer does not serialise: {e}"),
            may_have_acted: true,
        })
    })?;
    to_php_array(&value)
}

/// A JSON object as the PHP array `json_decode($json, true)` makes of it.
fn to_php_array(value: &Value) -> PhpResult<ZBox<ZendHashTable>> {
    let mut array = ZendHashTable::new();
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                array.insert(key.as_str(), to_zval(value)?)?;
            }
        }
        Value::Array(items) => {
            for item in items {
                array.push(to_zval(item)?)?;
            }
        }
        other => array.push(to_zval(other)?)?,
    }
    Ok(array)
}

fn to_zval(value: &Value) -> PhpResult<Zval> {
    Ok(match value {
        Value::Null => Zval::null(),
        Value::Bool(b) => b.into_zval(false)?,
        Value::Number(n) => match n.as_i64() {
            Some(i) => i.into_zval(false)?,
            // Beyond i64, PHP too makes a float of it.
            None => n.as_f64().unwrap_or(f64::NAN).into_zval(false)?,
        },
        Value::String(s) => s.as_str().into_zval(false)?,
        Value::Array(_) | Value::Object(_) => to_php_array(value)?.into_zval(false)?,
    })
}

static MARK_SENSITIVE: Once = Once::new();

/// Marks `$options` of `Sequra\PayseraClient::__construct`
/// `#[\SensitiveParameter]`, so that stack traces never show the MAC
/// secret. It runs on the first construction, before anything can throw:
/// every trace with that frame is made after it.
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
    let class = PayseraClient::get_metadata().ce();
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
