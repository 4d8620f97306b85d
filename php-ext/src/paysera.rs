//! `Sequra\PayseraClient`: Paysera Checkout payment requests and the
//! notifications their callbacks name, as plain PHP arrays shaped like
//! Paysera's JSON.
//!
//! Every method has one shape: convert the PHP array to JSON (a payment
//! request with its validator's problems, [`convert::to_document`]; the
//! rest, [`convert::to_json`]), call the core, and hand back the answer as
//! an array ([`answer`]), or the matching exception ([`boundary`]).

// PHP parameter names are camelCase (`$notificationId`), and ext-php-rs
// takes them from the Rust names.
#![allow(non_snake_case)]

use crate::args::{Array, Text};
use crate::convert::{self, zval::PhpValue};
use crate::errors::{boundary, problems_array};
use crate::options::{self, ClientOptions};
use crate::to_php::answer;
use ext_php_rs::boxed::ZBox;
use ext_php_rs::prelude::*;
use ext_php_rs::types::ZendHashTable;
use sequra::paysera::validate::payment_request;
use sequra::paysera::{Callback, Client};

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
    pub fn __construct(options: Array) -> PhpResult<Self> {
        boundary(|| {
            let options = ClientOptions::read::<Self>(&options)?;
            let mut config = sequra::paysera::Config::from_json(&options.json)
                .map_err(options::with_logger_listed)?;
            options.apply(&mut config.connection);
            Ok(PayseraClient {
                client: Client::new(config)?,
            })
        })
    }

    /// Every problem of a payment request, each `['path' => ...,
    /// 'message' => ...]`; an empty array when it can be sent.
    pub fn validate_payment_request(request: Array) -> PhpResult<ZBox<ZendHashTable>> {
        let problems = convert::document_problems(&request, "payment_request", payment_request);
        Ok(problems_array(&problems)?)
    }

    /// Creates a payment request (`POST /checkout/rest/v1/payment-requests`)
    /// and returns it as Paysera answered (`id`, `status` "new",
    /// `authorization_url`, ...).
    pub fn create_payment_request(&self, request: Array) -> PhpResult<ZBox<ZendHashTable>> {
        let created = boundary(|| {
            let request = convert::to_document(&request, "payment_request", payment_request)?;
            self.client.payment_requests().create(&request)
        })?;
        answer(&created)
    }

    /// Reads a payment request (`GET .../payment-requests/{id}`).
    pub fn get_payment_request(&self, id: Text) -> PhpResult<ZBox<ZendHashTable>> {
        let request = boundary(|| self.client.payment_requests().get(&id))?;
        answer(&request)
    }

    /// Authorizes a new payment request with the shopper's issued token
    /// (`PUT .../payment-requests/{id}/authorize`).
    pub fn authorize_payment_request(
        &self,
        id: Text,
        token: Text,
    ) -> PhpResult<ZBox<ZendHashTable>> {
        let request = boundary(|| self.client.payment_requests().authorize(&id, &token))?;
        answer(&request)
    }

    /// Captures an authorized payment request (`PUT .../{id}/capture`).
    pub fn capture_payment_request(&self, id: Text) -> PhpResult<ZBox<ZendHashTable>> {
        let request = boundary(|| self.client.payment_requests().capture(&id))?;
        answer(&request)
    }

    /// Cancels a new or authorized payment request (`PUT .../{id}/cancel`).
    pub fn cancel_payment_request(&self, id: Text) -> PhpResult<ZBox<ZendHashTable>> {
        let request = boundary(|| self.client.payment_requests().cancel(&id))?;
        answer(&request)
    }

    /// Turns a callback (`$_POST`) into the notification it names, fetched
    /// from Paysera (`GET /notification/rest/v1/notifications/{id}`); only
    /// `notification_id` is read from the callback.
    pub fn receive_callback(&self, fields: Array) -> PhpResult<ZBox<ZendHashTable>> {
        let notification = boundary(|| {
            // Only the id is read: the other fields may be anything, and
            // are not even looked at.
            let id = match fields.get("notification_id").map(PhpValue::of) {
                None => None,
                Some(value) => {
                    let text = value.string().ok_or_else(|| {
                        sequra::Error::invalid(
                            "notification_id",
                            "must be a string, as Paysera posts it",
                        )
                    })?;
                    let text = std::str::from_utf8(text.as_bytes()).map_err(|_| {
                        sequra::Error::invalid("notification_id", "is not valid UTF-8")
                    })?;
                    Some(("notification_id".to_string(), text.to_string()))
                }
            };
            let callback = Callback::from_pairs(id)?;
            self.client.notifications().receive(&callback)
        })?;
        answer(&notification)
    }

    /// Fetches a notification (`GET /notification/rest/v1/notifications/{id}`).
    pub fn get_notification(&self, notificationId: Text) -> PhpResult<ZBox<ZendHashTable>> {
        let notification = boundary(|| self.client.notifications().get(&notificationId))?;
        answer(&notification)
    }

    /// Marks a notification read, so that Paysera stops calling back
    /// (`PUT /notification/rest/v1/notifications/{id}/read`).
    pub fn mark_notification_read(&self, notificationId: Text) -> PhpResult<ZBox<ZendHashTable>> {
        let notification = boundary(|| self.client.notifications().mark_read(&notificationId))?;
        answer(&notification)
    }
}
