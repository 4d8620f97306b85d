//! The seQura Orders API: a merchant's client and its resources, `/orders`
//! (the checkout of one order: [`Orders`]) and `/merchants/{merchant}`
//! (the merchant's catalogue and post-sale updates: [`Merchant`]); the order
//! payload and its validation ([`payload`]); what seQura posts back to the
//! shop ([`notifications`]).

mod checkout;
mod config;
mod merchant;
pub mod notifications;
pub mod payload;
pub mod payment_methods;
mod post_sale;

pub use checkout::{FormOptions, OrderUri, Orders};
pub use config::{Config, Endpoint};
pub use merchant::Merchant;
pub use payment_methods::PaymentMethods;

use crate::error::Result;
use crate::http::Transport;
use payload::ValidateOptions;
use serde_json::Value;

/// A client of one merchant's seQura account. Cheap to share by reference
/// (also across threads); it keeps one connection pool.
#[derive(Debug)]
pub struct Client {
    transport: Transport,
    merchant: String,
    validation: ValidateOptions,
}

impl Client {
    /// Checks the configuration and builds the client; nothing is sent.
    pub fn new(config: Config) -> Result<Client> {
        let transport = config.transport()?;
        // Its orders must name its merchant, and give URLs its seQura can
        // post to.
        let validation = ValidateOptions {
            merchant: Some(config.merchant.clone()),
            endpoint_is_public: transport.is_public(),
            ..config.validation
        };
        Ok(Client {
            transport,
            merchant: config.merchant,
            validation,
        })
    }

    /// Builds the client from the options object of the C and PHP skins
    /// ([`Config::from_json`]).
    pub fn from_json(options: &Value) -> Result<Client> {
        Client::new(Config::from_json(options)?)
    }

    /// The merchant id this client acts for.
    pub fn merchant_id(&self) -> &str {
        &self.merchant
    }

    /// The endpoint's base URL, e.g. `https://sandbox.sequrapi.com`.
    pub fn base_url(&self) -> &str {
        self.transport.base_url()
    }

    /// `/orders`: solicitations, the identification form, the order's
    /// payment methods, confirmation, hold, cancellation, references.
    pub fn orders(&self) -> Orders<'_> {
        Orders::new(&self.transport, &self.validation)
    }

    /// `/merchants/{merchant}`: the merchant's catalogue, the post-sale
    /// updates of confirmed orders, and a credentials check.
    pub fn merchant(&self) -> Merchant<'_> {
        Merchant::new(
            &self.transport,
            &self.merchant,
            self.validation.allow_unknown_keys,
        )
    }
}
