//! `Sequra\CheckoutComClient`: seQura through checkout.com's Payment Setup
//! API, and the check of the webhooks checkout.com sends.
//!
//! Every method has one shape: convert the PHP arrays to JSON (a setup
//! with its validator's problems, [`convert::to_document`]; the rest,
//! [`convert::to_json`]), call the core, convert the answer back to a PHP
//! array, and turn a core error into the matching exception
//! ([`boundary`]).

// PHP parameter names are camelCase (`$idempotencyKey`), and ext-php-rs
// takes them from the Rust names.
#![allow(non_snake_case)]

use crate::args::{Array, Bytes, Nullable, SecretKey, Text};
use crate::convert;
use crate::errors::{boundary, problems_array};
use crate::options::{self, ClientOptions};
use crate::to_php::{answer, array_of};
use ext_php_rs::boxed::ZBox;
use ext_php_rs::prelude::*;
use ext_php_rs::types::ZendHashTable;
use sequra::checkout_com::{self, Client, Verifier};
use sequra::Error;
use serde_json::json;

/// A client of one checkout.com account: payment setups confirmed with
/// seQura. It keeps one connection pool (and, with OAuth, one access
/// token): build it once and reuse it.
#[php_class]
#[php(name = "Sequra\\CheckoutComClient")]
pub struct CheckoutComClient {
    client: Client,
}

#[php_impl]
impl CheckoutComClient {
    /// Checks the options and builds the client; nothing is sent.
    ///
    /// The options are `secret_key` (or `client_id` and `client_secret`
    /// with `environment`), `prefix` (or `endpoint`), and optionally
    /// `environment`, `scope`, `access_url`, `processing_channel_id`, and
    /// the connection options every client takes (`connect_timeout`,
    /// `timeout`, `ca_file`, `user_agent`, `proxy`, `persistent`,
    /// `log_bodies`, `logger`).
    pub fn __construct(options: Array) -> PhpResult<Self> {
        boundary(|| {
            let options = ClientOptions::read::<Self>(&options)?;
            let mut config = checkout_com::Config::from_json(&options.json)
                .map_err(options::with_logger_listed)?;
            options.apply(&mut config.connection);
            Ok(CheckoutComClient {
                client: Client::new(config)?,
            })
        })
    }

    /// Every problem of `$setup` as createSetup() checks it; nothing is sent.
    pub fn validate_setup(&self, setup: Array) -> PhpResult<ZBox<ZendHashTable>> {
        let setups = self.client.payment_setups();
        let problems = convert::document_problems(&setup, "setup", |s| setups.validate(s));
        Ok(problems_array(&problems)?)
    }

    /// Creates a payment setup (`POST /payments/setups`): returns
    /// `['setup' => [...], 'idempotency_key' => ..., 'request_id' => ...]`.
    #[php(optional = idempotencyKey)]
    pub fn create_setup(
        &self,
        setup: Array,
        idempotencyKey: Nullable<Text>,
    ) -> PhpResult<ZBox<ZendHashTable>> {
        let answer = boundary(|| {
            let setups = self.client.payment_setups();
            let setup = convert::to_document(&setup, "setup", |s| setups.validate(s))?;
            let posted = setups.create(&setup, idempotencyKey.as_str())?;
            Ok(json!({
                "setup": posted.value,
                "idempotency_key": posted.idempotency_key,
                "request_id": posted.request_id,
            }))
        })?;
        array_of(&answer)
    }

    /// Reads a payment setup (`GET /payments/setups/{id}`).
    pub fn get_setup(&self, id: Text) -> PhpResult<ZBox<ZendHashTable>> {
        let setup = boundary(|| self.client.payment_setups().get(&id))?;
        answer(&setup)
    }

    /// Updates a payment setup (`PUT /payments/setups/{id}`) with the fields
    /// that change; returns the setup as it is now.
    pub fn update_setup(&self, id: Text, changes: Array) -> PhpResult<ZBox<ZendHashTable>> {
        let setup = boundary(|| {
            let setups = self.client.payment_setups();
            let changes = convert::to_document(&changes, "changes", |c| setups.validate_update(c))?;
            setups.update(&id, &changes)
        })?;
        answer(&setup)
    }

    /// Confirms a payment setup with seQura
    /// (`POST /payments/setups/{id}/confirm/sequra`): returns
    /// `['payment' => [...], 'redirect_url' => ..., 'idempotency_key' => ...,
    /// 'request_id' => ...]`.
    #[php(optional = idempotencyKey)]
    pub fn confirm_setup(
        &self,
        id: Text,
        idempotencyKey: Nullable<Text>,
    ) -> PhpResult<ZBox<ZendHashTable>> {
        let answer = boundary(|| {
            let posted = self
                .client
                .payment_setups()
                .confirm(&id, idempotencyKey.as_str())?;
            Ok(json!({
                "redirect_url": posted.value.redirect_url(),
                "payment": posted.value,
                "idempotency_key": posted.idempotency_key,
                "request_id": posted.request_id,
            }))
        })?;
        array_of(&answer)
    }

    /// A new idempotency key (a random UUID), to store before a call whose
    /// retry may come from another request.
    pub fn new_idempotency_key() -> PhpResult<String> {
        boundary(checkout_com::new_idempotency_key)
    }

    /// Verifies a webhook from checkout.com (its raw body and its
    /// Cko-Signature header) and returns the event; throws
    /// Sequra\SignatureException when the signature does not match.
    ///
    /// The body and the header are whatever the sender sent, so both are
    /// taken as bytes: a header that is not text is a signature that cannot
    /// match, refused as such (not PHP's TypeError, which a webhook handler
    /// would answer with a 500).
    pub fn verify_webhook(
        secret: SecretKey,
        body: Bytes,
        signature: Nullable<Bytes>,
    ) -> PhpResult<ZBox<ZendHashTable>> {
        let event = boundary(|| {
            let verifier = Verifier::new(&*secret)?;
            let signature = match signature.as_bytes().map(std::str::from_utf8) {
                None => None,
                Some(Ok(text)) => Some(text),
                Some(Err(_)) => return Err(signature_not_text()),
            };
            verifier.verify_and_parse(&body, signature)
        })?;
        answer(&event)
    }
}

/// A Cko-Signature header that is not UTF-8: not the hex checkout.com sends.
fn signature_not_text() -> Error {
    Error::BadSignature(
        "the webhook's Cko-Signature header is not text (not valid UTF-8), so it is not a \
         signature checkout.com made; answer 401 and do not act on it"
            .into(),
    )
}

/// Adds this flow's classes to the module.
pub fn register(module: ModuleBuilder) -> ModuleBuilder {
    module.class::<CheckoutComClient>()
}
