//! In-store seQura: the part-payment (POS) orders API (the POS document, docs/apis.md).
//!
//! A shop's counter terminal creates an order for the customer in front of
//! it (`POST /api/public/v1/orders`), has seQura text them the link to sign
//! the instalment agreement (`send_sms`), and cancels it when the sale does
//! not go ahead (`cancel`). The API lives on the same hosts as the seQura
//! Orders API and takes the same Basic credentials, so a [`Client`] is built
//! from the same [`Config`].

mod cart;
mod errors;
mod orders;
pub mod validate;

pub use cart::{Cart, CartItem, CustomerData, Status};
pub use orders::{CancelOutcome, Cancellation, Orders, SmsSent};

use crate::error::Result;
use crate::http::Transport;
pub use crate::orders::Config;
use serde_json::Value;

/// A client of one merchant's part-payment orders. Cheap to share by
/// reference; it keeps one connection pool.
#[derive(Debug)]
pub struct Client {
    transport: Transport,
    merchant: String,
    /// Let order keys the document does not name through (the
    /// `allow_unknown_keys` option), instead of reporting them as typos.
    allow_unknown_keys: bool,
}

impl Client {
    /// Checks the configuration and builds the client; nothing is sent.
    /// The endpoint, credentials and merchant are those of the seQura
    /// Orders API: the part-payment API answers on the same hosts.
    pub fn new(config: Config) -> Result<Client> {
        let transport = config.transport()?.errors(errors::FORMAT);
        Ok(Client {
            transport,
            merchant: config.merchant,
            allow_unknown_keys: config.validation.allow_unknown_keys,
        })
    }

    /// Builds the client from the options object of the C and PHP skins,
    /// the same one the seQura client takes ([`Config::from_json`]).
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

    /// The part-payment orders: create, read, send the SMS, cancel.
    pub fn orders(&self) -> Orders<'_> {
        Orders::new(&self.transport, &self.merchant, self.allow_unknown_keys)
    }
}
