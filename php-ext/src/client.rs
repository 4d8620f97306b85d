//! `Sequra\Client`: one merchant's client of the seQura Orders API.
//!
//! Every method has one shape: convert the PHP arrays (an order straight
//! to its request body, [`convert::encode_request`]; an update with its
//! validator's problems, [`convert::to_document`]; anything else to JSON,
//! [`convert::to_json`]), call the core, and turn a core error into the
//! matching exception ([`boundary`]).

// PHP parameter names are camelCase (`$orderUri`), and ext-php-rs takes them
// from the Rust names.
#![allow(non_snake_case)]

use crate::args::{Array, Nullable, Text};
use crate::convert;
use crate::errors::boundary;
use crate::options::{self, ClientOptions};
use crate::to_php::answer;
use ext_php_rs::boxed::ZBox;
use ext_php_rs::prelude::*;
use ext_php_rs::types::ZendHashTable;
use sequra::orders::FormOptions;

/// A client of one merchant's seQura account. It keeps one connection pool;
/// build it once and reuse it.
#[php_class]
#[php(name = "Sequra\\Client")]
pub struct Client {
    client: sequra::orders::Client,
}

#[php_impl]
impl Client {
    /// Checks the options and builds the client; nothing is sent.
    ///
    /// The options are `endpoint` (`"sandbox"`, `"live"` or a base URL),
    /// `merchant`, `username`, `password`, and optionally the connection
    /// options (`connect_timeout` and `timeout` in seconds, `ca_file`,
    /// `user_agent`, `proxy`, `persistent`, `log_bodies`, `logger`) and the
    /// order options (`contract`, `flow`, `allow_unknown_keys`): the stub,
    /// `sequra.stub.php`, describes each.
    pub fn __construct(options: Array) -> PhpResult<Self> {
        boundary(|| {
            let options = ClientOptions::read::<Self>(&options)?;
            let mut config = sequra::orders::Config::from_json(&options.json)
                .map_err(options::with_logger_listed)?;
            options.apply(&mut config.connection);
            let client = sequra::orders::Client::new(config)?;
            Ok(Client { client })
        })
    }

    /// The merchant id this client acts for.
    pub fn get_merchant(&self) -> String {
        self.client.merchant_id().to_owned()
    }

    /// How many log records this PHP process has lost, for every client:
    /// a `logger` threw or hit a fatal error, or was busy (it called the
    /// extension itself). Also shown by `phpinfo()`.
    pub fn dropped_log_records() -> i64 {
        i64::try_from(crate::logger::dropped_records()).unwrap_or(i64::MAX)
    }

    /// Starts a solicitation (`POST /orders`) and returns the order URI.
    pub fn start_solicitation(&self, order: Array) -> PhpResult<String> {
        boundary(|| {
            let orders = self.client.orders();
            let order = convert::encode_request(&orders, convert::OrderCall::Start, &order)?;
            Ok(orders.start_encoded(order)?.as_str().to_owned())
        })
    }

    /// The identification form to show the shopper (`GET {order URI}/form_v2`).
    /// Options: `product` (default `"i1"`), `campaign`, `ajax` (default false).
    #[php(optional = options)]
    pub fn get_identification_form(
        &self,
        orderUri: Text,
        options: Nullable<Array>,
    ) -> PhpResult<String> {
        boundary(|| {
            // An empty PHP array is also an empty object here: no options.
            let options = match options.get() {
                Some(options) if !options.is_empty() => {
                    FormOptions::from_json(&convert::to_json(options, "options")?)?
                }
                _ => FormOptions::default(),
            };
            self.client.orders().form(&orderUri, &options)
        })
    }

    /// Confirms an approved order (`PUT {order URI}` with state "confirmed").
    pub fn confirm(&self, orderUri: Text, order: Array) -> PhpResult<()> {
        boundary(|| {
            let orders = self.client.orders();
            let order = convert::encode_request(&orders, convert::OrderCall::Confirm, &order)?;
            orders.confirm_encoded(&orderUri, order)
        })
    }

    /// Puts an approved order on hold (`PUT {order URI}` with state "on_hold").
    pub fn hold(&self, orderUri: Text, order: Array) -> PhpResult<()> {
        boundary(|| {
            let orders = self.client.orders();
            let order = convert::encode_request(&orders, convert::OrderCall::Hold, &order)?;
            orders.hold_encoded(&orderUri, order)
        })
    }

    /// Cancels an order before confirmation (`PUT {order URI}` with state
    /// "cancelled").
    pub fn cancel(&self, orderUri: Text, order: Array) -> PhpResult<()> {
        boundary(|| {
            let orders = self.client.orders();
            let order = convert::encode_request(&orders, convert::OrderCall::Cancel, &order)?;
            orders.cancel_encoded(&orderUri, order)
        })
    }

    /// Sends the identification form by SMS (`POST {order URI}/form_deliveries`).
    pub fn send_identification_form(&self, orderUri: Text, productCode: Text) -> PhpResult<()> {
        boundary(|| self.client.orders().send_form(&orderUri, &productCode))
    }

    /// The payment methods offered for an order (`GET /orders/{uuid}/payment_methods`).
    pub fn get_payment_methods(&self, orderUri: Text) -> PhpResult<ZBox<ZendHashTable>> {
        let methods = boundary(|| self.client.orders().payment_methods(&orderUri))?;
        answer(&methods)
    }

    /// The merchant's catalogue (`GET /merchants/{merchant}/payment_methods`).
    pub fn get_merchant_payment_methods(&self) -> PhpResult<ZBox<ZendHashTable>> {
        let methods = boundary(|| self.client.merchant().payment_methods())?;
        answer(&methods)
    }

    /// Whether the endpoint, merchant and credentials work; throws if not.
    pub fn check_credentials(&self) -> PhpResult<()> {
        boundary(|| self.client.merchant().check_credentials())
    }

    /// Updates an order's references (`PATCH {order URI}`).
    pub fn update_references(&self, orderUri: Text, merchantReference: Array) -> PhpResult<()> {
        boundary(|| {
            let reference = convert::to_json(&merchantReference, "merchant_reference")?;
            self.client
                .orders()
                .update_references(&orderUri, &reference)
        })
    }

    /// Changes a confirmed order after the checkout
    /// (`PUT /merchants/{merchant}/orders/{order_ref_1}`).
    pub fn order_update(&self, orderRef1: Text, update: Array) -> PhpResult<()> {
        boundary(|| {
            let merchant = self.client.merchant();
            let update = convert::to_document(&update, "update", |u| {
                merchant.validate_update(&orderRef1, u)
            })?;
            merchant.update_order_owned(&orderRef1, update)
        })
    }
}
