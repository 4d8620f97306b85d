//! `Sequra\PosClient`: one merchant's part-payment (in-store) orders.
//!
//! It takes the same options array as `Sequra\Client` (the API answers on
//! the same seQura hosts with the same credentials) and has the one shape
//! of every method: PHP arrays to JSON (the order with its validator's
//! problems, [`convert::to_document`]; the options, [`convert::to_json`]),
//! the core call, JSON back to PHP arrays, errors as
//! `Sequra\...Exception` ([`boundary`]).

// PHP parameter names are camelCase (`$mobilePhone`), and ext-php-rs takes
// them from the Rust names.
#![allow(non_snake_case)]

use crate::args::{Array, Int, Nullable, Text};
use crate::convert;
use crate::errors::{boundary, problems_array};
use crate::options::{self, ClientOptions};
use crate::to_php::answer;
use ext_php_rs::boxed::ZBox;
use ext_php_rs::prelude::*;
use ext_php_rs::types::ZendHashTable;
use sequra::pos::Client;
use sequra::Error;

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
    pub fn __construct(options: Array) -> PhpResult<Self> {
        boundary(|| {
            let options = ClientOptions::read::<Self>(&options)?;
            let mut config = sequra::orders::Config::from_json(&options.json)
                .map_err(options::with_logger_listed)?;
            options.apply(&mut config.connection);
            Ok(PosClient {
                client: Client::new(config)?,
            })
        })
    }

    /// The merchant id this client acts for.
    pub fn get_merchant(&self) -> String {
        self.client.merchant_id().to_owned()
    }

    /// Every problem of `$order`, each `['path' => ..., 'message' => ...]`;
    /// an empty array when it can be sent.
    pub fn validate_order(&self, order: Array) -> PhpResult<ZBox<ZendHashTable>> {
        let orders = self.client.orders();
        let problems = convert::document_problems(&order, "order", |o| orders.validate(o));
        Ok(problems_array(&problems)?)
    }

    /// Creates an order (`POST /api/public/v1/orders`) and returns the cart.
    pub fn create_order(&self, order: Array) -> PhpResult<ZBox<ZendHashTable>> {
        let cart = boundary(|| {
            let orders = self.client.orders();
            let order = convert::to_document(&order, "order", |o| orders.validate(o))?;
            orders.create(&order)
        })?;
        answer(&cart)
    }

    /// Reads an order (`GET /api/public/v1/orders/:id`): the cart.
    pub fn get_order(&self, id: Int) -> PhpResult<ZBox<ZendHashTable>> {
        let cart = boundary(|| self.client.orders().get(order_id(id.get())?))?;
        answer(&cart)
    }

    /// Texts the customer the link to sign (`POST .../:id/send_sms`), to
    /// `$mobilePhone` when given; returns the server's message.
    #[php(optional = mobilePhone)]
    pub fn send_sms(&self, id: Int, mobilePhone: Nullable<Text>) -> PhpResult<String> {
        boundary(|| {
            let sent = self
                .client
                .orders()
                .send_sms(order_id(id.get())?, mobilePhone.as_str())?;
            Ok(sent.message)
        })
    }

    /// Cancels an order (`POST .../:id/cancel`): `['outcome' => 'cancelled'
    /// | 'cancellation_requested' | 'unknown', 'message' => ..., 'status' => ...]`.
    pub fn cancel_order(&self, id: Int) -> PhpResult<ZBox<ZendHashTable>> {
        let cancellation = boundary(|| self.client.orders().cancel(order_id(id.get())?))?;
        answer(&cancellation)
    }
}

/// A PHP int as an order id; ids are positive.
fn order_id(id: i64) -> sequra::error::Result<u64> {
    u64::try_from(id)
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| Error::invalid("id", format!("is {id}; an order id is a positive integer")))
}
