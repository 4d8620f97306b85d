//! seQura through checkout.com: Payment Setups with the `sequra` method
//! (the checkout.com document, docs/apis.md), and the webhooks checkout.com sends.
//!
//! ```no_run
//! use sequra::checkout_com::{Client, Config};
//! use serde_json::json;
//! # fn main() -> Result<(), sequra::Error> {
//! let mut config = Config::with_secret_key("sk_sbox_m73dzbpy7cf3gfd46xr4yj5xo4e", "vkuhvk4v");
//! config.processing_channel_id = Some("pc_wzjki6hw5puepb5fnvqlizj2e4".into());
//! let client = Client::new(config)?;
//! let setup = client.payment_setups().create(&json!({
//!     "amount": 20000, "currency": "EUR", "reference": "ORD-5023-4E89",
//!     "billing": {"address": {"address_line1": "C/ Aragó 383", "city": "Barcelona",
//!         "state": "Barcelona", "zip": "08013", "country": "ES"}},
//!     "settings": {"success_url": "https://shop.example/ok", "failure_url": "https://shop.example/ko"}
//! }), None)?;
//! let payment = client.payment_setups().confirm(&setup.value.id, None)?;
//! let send_the_customer_to = payment.value.redirect_url();
//! # Ok(()) }
//! ```

mod auth;
pub mod config;
pub(crate) mod errors;
mod idempotency;
mod payment_setups;
pub mod validate;
pub mod webhooks;

pub use config::{Config, Credentials, Environment};
/// checkout.com's error format, for the fuzzing hook ([`crate::fuzz_hooks`]).
#[cfg(fuzzing)]
pub(crate) use errors::CHECKOUT_COM;
pub use idempotency::{new_idempotency_key, HEADER as IDEMPOTENCY_HEADER};
pub use payment_setups::{
    Link, Payment, PaymentMethodStatus, PaymentSetup, PaymentSetups, Posted, Processing,
};
pub use webhooks::{Event, EventType, Verifier};

use crate::error::Result;
use crate::http::{Auth, Request, Response, Transport};
use auth::{BearerToken, TokenSource};
use std::sync::Arc;

/// A client of one checkout.com account. Cheap to share by reference; it
/// keeps one connection pool and, with OAuth, one cached access token.
#[derive(Debug)]
pub struct Client {
    transport: Transport,
    /// The OAuth token source, to drop a token the API refused.
    token: Option<Arc<TokenSource>>,
    processing_channel_id: Option<String>,
}

impl Client {
    /// Checks the configuration and builds the client; nothing is sent
    /// (with OAuth, the first call fetches the token).
    pub fn new(config: Config) -> Result<Client> {
        config.check()?;
        let (auth, token) = match &config.credentials {
            Credentials::SecretKey(key) => (Auth::Bearer(key.clone()), None),
            Credentials::OAuth {
                client_id,
                client_secret,
                scope,
            } => {
                let source = Arc::new(TokenSource::new(
                    &config.access_url()?,
                    &config.connection,
                    client_id,
                    client_secret,
                    scope,
                )?);
                let signer = Box::new(BearerToken(Arc::clone(&source)));
                (Auth::Signed(signer), Some(source))
            }
        };
        let transport = Transport::new(&config.base_url()?, &config.connection, auth, &[])?
            .errors(errors::CHECKOUT_COM);
        Ok(Client {
            transport,
            token,
            processing_channel_id: config.processing_channel_id,
        })
    }

    /// Builds the client from the options object of the C and PHP skins
    /// ([`Config::from_json`]).
    pub fn from_json(options: &serde_json::Value) -> Result<Client> {
        Client::new(Config::from_json(options)?)
    }

    /// The API's base URL, e.g. `https://vkuhvk4v.api.sandbox.checkout.com`.
    pub fn base_url(&self) -> &str {
        self.transport.base_url()
    }

    /// The payment setups: create, get, update, confirm with seQura.
    pub fn payment_setups(&self) -> PaymentSetups<'_> {
        PaymentSetups::new(self)
    }

    /// Sends the request `make` builds. With OAuth, a 401 to a request
    /// that went with a cached token drops that token (it was revoked or
    /// expired early) and sends the request once more with a fresh one: a
    /// 401 means the server did nothing, so this is safe for every method;
    /// but a try before the 401 may have acted (its answer lost), and the
    /// second send keeps that (`http::after_earlier`). The token's fetch,
    /// the request and its second send are one call, within the client's
    /// `timeout`.
    fn send(&self, make: impl Fn() -> Request) -> Result<Response> {
        self.transport.one_call(|| self.send_with_token(make))
    }

    fn send_with_token(&self, make: impl Fn() -> Request) -> Result<Response> {
        let fetched_before = self.token.as_ref().map(|t| t.fetches());
        let mut response = self.transport.send(make())?;
        let Some(token) = self.token.as_ref().filter(|_| response.status == 401) else {
            return Ok(response);
        };
        token.invalidate();
        if fetched_before == Some(token.fetches()) {
            let request = make();
            self.transport
                .log_resend(&response, "the cached access token was refused");
            let earlier = response.take_earlier();
            return crate::http::after_earlier(self.transport.send(request), earlier);
        }
        Ok(response)
    }
}
