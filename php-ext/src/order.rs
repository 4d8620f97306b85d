//! `Sequra\Order`: the order payload checked without a client, as a shop's
//! settings page or a test would.

use crate::convert;
use crate::errors::{boundary, problems_array};
use ext_php_rs::boxed::ZBox;
use ext_php_rs::prelude::*;
use ext_php_rs::types::ZendHashTable;
use sequra::order::{self, ValidateOptions};

/// The seQura order payload, checked before it leaves the shop.
#[php_class]
#[php(name = "Sequra\\Order")]
pub struct Order;

/// `options` as validation options; `None` and `[]` are the defaults.
fn validate_options(options: Option<&ZendHashTable>) -> sequra::error::Result<ValidateOptions> {
    match options {
        Some(options) if !options.is_empty() => {
            ValidateOptions::from_json(&convert::to_json(options, "options")?)
        }
        _ => Ok(ValidateOptions::default()),
    }
}

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
        let options = boundary(|| validate_options(options))?;
        let problems = match convert::to_json_as_json_encode(order, "order") {
            Ok(order) => order::validate(&order, &options),
            // Values JSON cannot carry (NAN, non-UTF-8, objects) are problems too.
            Err(error) => error.problems().to_vec(),
        };
        Ok(problems_array(&problems)?)
    }

    /// The order as the JSON seQura receives, after validating it: throws
    /// Sequra\ValidationException with every problem when it has any.
    #[php(optional = options)]
    pub fn encode(order: &ZendHashTable, options: Option<&ZendHashTable>) -> PhpResult<String> {
        boundary(|| {
            let options = validate_options(options)?;
            let order = convert::to_json(order, "order")?;
            order::check(&order, &options)?;
            Ok(order.to_string())
        })
    }
}
