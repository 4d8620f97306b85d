//! `Sequra\Client`: one merchant's client of the seQura Orders API.
//!
//! Every method has one shape: convert the PHP arrays to JSON
//! ([`convert::to_json`]), call the core, and turn a core error into the
//! matching exception ([`boundary`]).

// PHP parameter names are camelCase (`$orderUri`), and ext-php-rs takes them
// from the Rust names.
#![allow(non_snake_case)]

use crate::convert;
use crate::errors::boundary;
use crate::to_php::to_php;
use ext_php_rs::class::RegisteredClass;
use ext_php_rs::ffi::{zend_function, zend_hash_str_find_ptr_lc};
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendHashTable, ZendStr, Zval};
use sequra::sequra::FormOptions;
use sequra::{Config, Error};
use serde_json::Value;

/// A client of one merchant's seQura account. It keeps one connection pool;
/// build it once and reuse it.
#[php_class]
#[php(name = "Sequra\\Client")]
pub struct Client {
    client: sequra::sequra::Client,
}

#[php_impl]
impl Client {
    /// Checks the options and builds the client; nothing is sent.
    ///
    /// The options are `endpoint` (`"sandbox"`, `"live"` or a base URL),
    /// `merchant`, `username`, `password`, and optionally `connect_timeout`
    /// and `timeout` (seconds), `ca_file` and `user_agent`.
    pub fn __construct(options: &ZendHashTable) -> PhpResult<Self> {
        boundary(|| {
            let mut options = convert::to_json(options, "options").map_err(as_config_error)?;
            add_php_to_user_agent(&mut options);
            let client = sequra::sequra::Client::new(Config::from_json(&options)?)?;
            Ok(Client { client })
        })
    }

    /// The merchant id this client acts for.
    pub fn get_merchant(&self) -> String {
        self.client.merchant().to_owned()
    }

    /// Starts a solicitation (`POST /orders`) and returns the order URI.
    pub fn start_solicitation(&self, order: &ZendHashTable) -> PhpResult<String> {
        boundary(|| {
            let uri = self
                .client
                .orders()
                .start(&convert::to_json(order, "order")?)?;
            Ok(uri.as_str().to_owned())
        })
    }

    /// The identification form to show the shopper (`GET {order URI}/form_v2`).
    /// Options: `product` (default `"i1"`), `campaign`, `ajax` (default false).
    #[php(optional = options)]
    pub fn identification_form(
        &self,
        orderUri: &str,
        options: Option<&ZendHashTable>,
    ) -> PhpResult<String> {
        boundary(|| {
            // An empty PHP array is also an empty object here: no options.
            let options = match options {
                Some(options) if !options.is_empty() => {
                    FormOptions::from_json(&convert::to_json(options, "options")?)?
                }
                _ => FormOptions::default(),
            };
            self.client.orders().form(orderUri, &options)
        })
    }

    /// Confirms an approved order (`PUT {order URI}` with state "confirmed").
    pub fn confirm(&self, orderUri: &str, order: &ZendHashTable) -> PhpResult<()> {
        boundary(|| {
            let order = convert::to_json(order, "order")?;
            self.client.orders().confirm(orderUri, &order)
        })
    }

    /// Puts an approved order on hold (`PUT {order URI}` with state "on_hold").
    pub fn hold(&self, orderUri: &str, order: &ZendHashTable) -> PhpResult<()> {
        boundary(|| {
            let order = convert::to_json(order, "order")?;
            self.client.orders().hold(orderUri, &order)
        })
    }

    /// Cancels an order before confirmation (`PUT {order URI}` with state
    /// "cancelled").
    pub fn cancel(&self, orderUri: &str, order: &ZendHashTable) -> PhpResult<()> {
        boundary(|| {
            let order = convert::to_json(order, "order")?;
            self.client.orders().cancel(orderUri, &order)
        })
    }

    /// Sends the identification form by SMS (`POST {order URI}/form_deliveries`).
    pub fn send_identification_form(&self, orderUri: &str, productCode: &str) -> PhpResult<()> {
        boundary(|| self.client.orders().send_form(orderUri, productCode))
    }

    /// The payment methods offered for an order (`GET /orders/{uuid}/payment_methods`).
    pub fn payment_methods(&self, orderUri: &str) -> PhpResult<Zval> {
        let methods = boundary(|| self.client.orders().payment_methods(orderUri))?;
        Ok(to_php(&methods.to_json())?)
    }

    /// The merchant's catalogue (`GET /merchants/{merchant}/payment_methods`).
    pub fn merchant_payment_methods(&self) -> PhpResult<Zval> {
        let methods = boundary(|| self.client.payment_methods())?;
        Ok(to_php(&methods.to_json())?)
    }

    /// Whether the endpoint, merchant and credentials work; throws if not.
    pub fn check_credentials(&self) -> PhpResult<()> {
        boundary(|| self.client.check_credentials())
    }

    /// Updates an order's references (`PATCH {order URI}`).
    pub fn update_references(
        &self,
        orderUri: &str,
        merchantReference: &ZendHashTable,
    ) -> PhpResult<()> {
        boundary(|| {
            let reference = convert::to_json(merchantReference, "merchant_reference")?;
            self.client.orders().update_references(orderUri, &reference)
        })
    }

    /// Changes a confirmed order after the checkout
    /// (`PUT /merchants/{merchant}/orders/{order_ref_1}`).
    pub fn update_order(&self, orderRef1: &str, update: &ZendHashTable) -> PhpResult<()> {
        boundary(|| {
            let update = convert::to_json(update, "update")?;
            self.client.update_order(orderRef1, &update)
        })
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

/// `user_agent` gains ` PHP/8.2.x`, so that seQura sees the PHP version.
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

/// Marks `$options` of `Sequra\Client::__construct` `#[\SensitiveParameter]`,
/// so that stack traces (in logs, error trackers) never show the password.
/// PHP offers no way to do this before the class exists, so it runs at
/// request startup, and does nothing once the mark is there.
pub fn mark_options_sensitive() {
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
    let class = Client::get_metadata().ce();
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
