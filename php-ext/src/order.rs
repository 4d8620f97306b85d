//! `Sequra\Order`: the order payload checked without a client, as a shop's
//! settings page or a test would.
//!
//! Both methods read the PHP array in place, in one walk: the core's
//! validator reads it and tells each value to the converter's writer,
//! which finds what JSON cannot carry and, for `encode`, writes the JSON
//! into the string returned (`convert::encode_order`). No
//! `serde_json::Value` is built.

use crate::convert::{self, json_buffer::JsonString};
use crate::errors::{boundary, problems_array};
use ext_php_rs::boxed::ZBox;
use ext_php_rs::prelude::*;
use ext_php_rs::types::ZendHashTable;

/// The seQura order payload, checked before it leaves the shop.
#[php_class]
#[php(name = "Sequra\\Order")]
pub struct Order;

#[php_impl]
impl Order {
    /// Every problem of `$order`, each `['path' => ..., 'message' => ...]`;
    /// an empty array when it is valid. Options: `contract` (a list of
    /// "services", "multistore", "garage", "shipment_ref", "instore"),
    /// `flow` ("online" or "pos_legacy"), `allow_unknown_keys` (bool).
    #[php(optional = options)]
    pub fn validate(
        order: &ZendHashTable,
        options: Option<&ZendHashTable>,
    ) -> PhpResult<ZBox<ZendHashTable>> {
        let options = boundary(|| convert::order_options(options))?;
        // Values JSON cannot carry (NAN, non-UTF-8, objects) are the
        // problems, if there are any; an array with gaps is an object, as
        // json_encode makes it, which the validator names among the others.
        Ok(problems_array(&convert::validate_order(order, &options))?)
    }

    /// The order as the JSON seQura receives, after validating it: throws
    /// Sequra\ValidationException with every problem when it has any.
    #[php(optional = options)]
    pub fn encode(order: &ZendHashTable, options: Option<&ZendHashTable>) -> PhpResult<JsonString> {
        boundary(|| {
            let options = convert::order_options(options)?;
            convert::encode_order(order, &options)
        })
    }
}
