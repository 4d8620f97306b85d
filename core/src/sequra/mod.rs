//! The seQura Orders API: the client and its resources.

pub mod notifications;
mod orders;

pub use orders::{FormOptions, OrderUri, Orders};

use crate::config::Config;
use crate::error::Result;
use crate::http::{Auth, Transport};
use crate::order::ValidateOptions;

/// A client of one merchant's seQura account. Cheap to share by reference;
/// it keeps one connection pool.
#[derive(Debug)]
pub struct Client {
    transport: Transport,
    merchant: String,
    validation: ValidateOptions,
}

impl Client {
    /// Checks the configuration and builds the client; nothing is sent.
    pub fn new(config: Config) -> Result<Client> {
        let auth = Auth::Basic {
            username: config.username.clone(),
            password: config.password.clone(),
        };
        config.check()?;
        let transport = Transport::new(
            config.endpoint.base_url(),
            &config.connection,
            auth,
            &[("sequra-merchant-id", &config.merchant)],
        )?;
        Ok(Client {
            transport,
            merchant: config.merchant,
            validation: config.validation,
        })
    }

    /// The merchant id this client acts for.
    pub fn merchant(&self) -> &str {
        &self.merchant
    }

    /// The endpoint's base URL, e.g. `https://sandbox.sequrapi.com`.
    pub fn base_url(&self) -> &str {
        self.transport.base_url()
    }

    /// The orders resource: solicitations, identification form, confirmation.
    pub fn orders(&self) -> Orders<'_> {
        Orders::new(&self.transport, &self.validation)
    }
}
