//! The seQura order payload: its validation, before anything is sent.
//!
//! [`validate`] returns every problem of an order at once, each with the
//! path of the field (`cart.items[2].price_with_tax`) and a sentence a shop
//! developer understands. It never changes the order: what is valid is sent
//! exactly as the shop gave it.

pub mod encode;
pub mod json_text;

pub mod node;
#[cfg(test)]
mod properties;
mod rules;
mod schema;
mod walk;

use crate::error::{Error, Problem, Result};

pub use encode::{Encode, EncodedOrder, JsonWriter, OrderCall};
use node::{Key, NoVisit, Node, Visit};
use serde_json::Value;
use walk::Path;

/// The contract options a merchant has with seQura; they decide which
/// fields an order must, may or must not have.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Contract {
    /// Sells services, with `ends_on` or `ends_in` (`service` items).
    pub services: bool,
    /// Has physical stores: `merchant.store_ref`, `merchant.operator_ref` and
    /// `customer.nin_control` are required.
    pub multistore: bool,
    /// A garage: multistore, plus `customer.vehicle`; `garage_chain` allowed.
    pub garage: bool,
    /// Tracks partial shipments: every product names its `tracking_reference`.
    pub shipment_ref: bool,
    /// An in-store integration: the `instore` section.
    pub instore: bool,
}

/// Which flow the order is for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Flow {
    /// The online checkout, with IPN.
    #[default]
    Online,
    /// The legacy POS confirm, which has no notify, return or approved URL.
    PosLegacy,
}

/// How to validate.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidateOptions {
    pub contract: Contract,
    pub flow: Flow,
    /// Let keys the document does not name through instead of reporting
    /// them (they are usually typos, so they are reported by default).
    pub allow_unknown_keys: bool,
    /// The merchant the order is sent for, whose `merchant.id` it must
    /// name: a client's own (it sends it as `Sequra-Merchant-Id`), set by
    /// the client; `None` for an order checked on its own.
    pub merchant: Option<String>,
    /// The order goes to a seQura on the internet (the client's endpoint
    /// is a public host), set by the client: the URLs seQura posts to
    /// (`merchant.notify_url`, `merchant.events_webhook.url`) must be ones
    /// the internet reaches. `false` for an order checked on its own, and
    /// against the bundled sandbox or a stand-in on a private network.
    pub endpoint_is_public: bool,
}

impl ValidateOptions {
    /// Reads the options object of the C and PHP skins: `contract` (a list
    /// of `"services"`, `"multistore"`, `"garage"`, `"shipment_ref"`,
    /// `"instore"`), `flow` (`"online"` or `"pos_legacy"`) and
    /// `allow_unknown_keys` (boolean). Every key is optional.
    pub fn from_json(options: &Value) -> Result<ValidateOptions> {
        ValidateOptions::from_node(options)
    }

    /// [`ValidateOptions::from_json`], for options read in place through [`Node`].
    pub fn from_node<'a, N: Node<'a>>(options: N) -> Result<ValidateOptions> {
        let mut result = ValidateOptions::default();
        let Some(object) = walk::as_object(options) else {
            return Err(Error::invalid("options", "must be an object"));
        };
        // Every problem of the options at once, as of an order.
        let mut problems = Problems::new();
        for (key, value) in object {
            match key {
                Key::Name(b"contract") => {
                    let names = value.elements();
                    let mut known = names.is_some();
                    for name in names.into_iter().flatten() {
                        let flag = match name.as_str() {
                            Some("services") => &mut result.contract.services,
                            Some("multistore") => &mut result.contract.multistore,
                            Some("garage") => &mut result.contract.garage,
                            Some("shipment_ref") => &mut result.contract.shipment_ref,
                            Some("instore") => &mut result.contract.instore,
                            _ => {
                                known = false;
                                continue;
                            }
                        };
                        *flag = true;
                    }
                    if !known {
                        problems.push(
                            "options.contract",
                            "must be a list of \"services\", \"multistore\", \"garage\", \"shipment_ref\", \"instore\"",
                        );
                    }
                }
                Key::Name(b"flow") => match value.as_str() {
                    Some("online") => result.flow = Flow::Online,
                    Some("pos_legacy") => result.flow = Flow::PosLegacy,
                    _ => problems.push("options.flow", "must be \"online\" or \"pos_legacy\""),
                },
                Key::Name(b"allow_unknown_keys") => match value.as_bool() {
                    Some(allow) => result.allow_unknown_keys = allow,
                    None => problems.push("options.allow_unknown_keys", "must be true or false"),
                },
                other => problems.push(
                    format_args!("options.{other}"),
                    "is not an option; the options are contract, flow and allow_unknown_keys",
                ),
            }
        }
        problems.into_result("options")?;
        Ok(result)
    }
}

/// Every problem of `order`: first those of each field, in the order of
/// the keys, then those of the rules across fields. Empty when it is valid.
pub fn validate(order: &Value, options: &ValidateOptions) -> Vec<Problem> {
    validate_node(order, options)
}

/// Whether any document read through [`Node`] is within a bound, counted
/// as a walker reads it: the PHP extension's guard before it converts an
/// array (an array holding the same array a million times is as large as
/// the JSON it would become).
pub use crate::validate::size::check as check_size;
/// The bound on an order's size: an order larger than this (in values,
/// bytes of text or depth) is refused with one problem before it is
/// walked, as seQura would not take it either.
pub use crate::validate::size::{Limits, ORDER as ORDER_LIMITS};
/// How an array's keys differ from a list's, as the walker says it: the
/// PHP extension's converter says it in the same words.
pub use crate::validate::text::keys_not_in_order;
/// How many problems a validator lists at most (a last one counts the rest),
/// and the list that keeps to it.
pub use crate::validate::{Problems, MAX_PROBLEMS};

/// [`validate`], for an order read in place through [`Node`] (the PHP
/// extension validates PHP arrays this way, without converting them).
pub fn validate_node<'a, N: Node<'a>>(order: N, options: &ValidateOptions) -> Vec<Problem> {
    validate_visiting(order, options, &mut NoVisit)
}

/// [`validate_node`], telling `visit` every value of the order as it is
/// checked (see [`Visit`]): one pass to validate and, say, write the order.
///
/// At most [`MAX_PROBLEMS`] problems are listed, and a last one says how
/// many more there are. An order over [`ORDER_LIMITS`] gets one problem
/// instead, found as the walk counts its size: the walk stops where the
/// order passes the bound, and `visit` is told to drop what it was told
/// ([`Visit::abandon`]).
pub fn validate_visiting<'a, N: Node<'a>, V: Visit<'a, N>>(
    order: N,
    options: &ValidateOptions,
    visit: &mut V,
) -> Vec<Problem> {
    walk_order(order, options, None, visit)
}

/// The one walk of an order: its problems, its size counted as it goes,
/// each value told to `visit`; `set_state` is the state a call sets.
pub(crate) fn walk_order<'a, N: Node<'a>, V: Visit<'a, N>>(
    order: N,
    options: &ValidateOptions,
    set_state: Option<walk::SetState>,
    visit: &mut V,
) -> Vec<Problem> {
    walk_order_within(order, options, &ORDER_LIMITS, set_state, visit)
}

/// [`walk_order`] against `limits` (the tests' small ones).
fn walk_order_within<'a, N: Node<'a>, V: Visit<'a, N>>(
    order: N,
    options: &ValidateOptions,
    limits: &Limits,
    set_state: Option<walk::SetState>,
    visit: &mut V,
) -> Vec<Problem> {
    let mut walker = walk::Walker::new(options, limits, visit, set_state);
    match walker.order(order) {
        Err(exceeded) => {
            walker.visit.abandon();
            return vec![exceeded.problem(limits, "order")];
        }
        // Not an order at all: that is all there is to say.
        Ok(false) => return std::mem::take(&mut walker.problems).finish("order"),
        Ok(true) => {}
    }
    rules::check(
        &walker.noted,
        &mut walker.items,
        options,
        &mut walker.problems,
    );
    std::mem::take(&mut walker.problems).finish("order")
}

/// The problems of a post-sale update that the checks of its carts
/// (`post_sale.rs`) leave: its other sections (trackings, delivery method,
/// addresses, customer) checked as an order's, and a key of the update or
/// of a cart that neither document names (usually a typo: a misspelled
/// `trackings` would drop the trackings), unless `allow_unknown_keys`.
/// An update that is not an object, or is past the bound on an order's
/// size, has its one problem from `post_sale.rs`: nothing here.
pub(crate) fn check_update_sections(update: &Value, allow_unknown_keys: bool) -> Problems {
    let options = ValidateOptions {
        allow_unknown_keys,
        ..ValidateOptions::default()
    };
    let mut visit = NoVisit;
    let mut walker = walk::Walker::new(&options, &ORDER_LIMITS, &mut visit, None);
    let not_in = |apart: &'static [&'static str]| {
        move |(key, _): &(Key<'_>, &Value)| !apart.iter().any(|name| key.is(name))
    };
    let Some(members) = walk::as_object(update) else {
        return Problems::new();
    };
    let members = members.filter(not_in(&schema::UPDATE_APART));
    // `Err` is past the bound, which `post_sale.rs` counted first.
    if walker
        .fields(&Path::Root, update, members, schema::UPDATE, false)
        .is_ok()
    {
        for cart in ["shipped_cart", "unshipped_cart"] {
            let Some(members) = update.get(cart).and_then(walk::as_object) else {
                continue;
            };
            let members = members.filter(not_in(&schema::UPDATE_CART_APART));
            let at = Path::Field(&Path::Root, cart);
            let _ = walker.fields(&at, &update[cart], members, schema::UPDATE_CART, false);
        }
        // Their values are the call's (`Merchant::validate_update`); a
        // misspelled key would reach seQura, which drops it.
        for (section, fields) in [
            ("merchant", schema::MERCHANT),
            ("merchant_reference", schema::MERCHANT_REFERENCE),
        ] {
            if let Some(value) = update.get(section) {
                walker.known_keys(&Path::Field(&Path::Root, section), value, fields);
            }
        }
    }
    std::mem::take(&mut walker.problems)
}

/// [`validate`], as a `Result` for the calls that refuse to send.
pub fn check(order: &Value, options: &ValidateOptions) -> Result<()> {
    check_node(order, options)
}

/// [`check`], for an order read in place through [`Node`].
pub fn check_node<'a, N: Node<'a>>(order: N, options: &ValidateOptions) -> Result<()> {
    let problems = validate_node(order, options);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::InvalidInput(problems))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Counts what the walk tells, and whether it was told to drop it.
    #[derive(Default)]
    struct Told {
        values: usize,
        abandoned: bool,
    }

    impl<'a> Visit<'a, &'a Value> for Told {
        fn value(&mut self, _: &'a Value, _: &dyn std::fmt::Display) {
            assert!(!self.abandoned, "told after abandon");
            self.values += 1;
        }
        fn open(&mut self, _: &'a Value, _: &dyn std::fmt::Display) {
            self.value(&Value::Null, &"");
        }
        fn key(&mut self, _: Key<'a>, _: bool, _: &dyn std::fmt::Display, _: bool) {}
        fn element(&mut self, _: bool) {}
        fn close(&mut self, _: &'a Value) {
            assert!(!self.abandoned, "told after abandon");
        }
        fn abandon(&mut self) {
            self.abandoned = true;
        }
    }

    #[test]
    fn an_order_past_the_bound_stops_the_walk_where_it_passes_it() {
        let mut order = json!({"state": "", "merchant": {"id": "m"}, "customer": {}});
        let huge: serde_json::Map<String, Value> = (0..ORDER_LIMITS.values + 10)
            .map(|i| (format!("x{i}"), Value::Null))
            .collect();
        order["customer"] = Value::Object(huge);
        let mut told = Told::default();
        let problems = validate_visiting(&order, &ValidateOptions::default(), &mut told);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].message.contains("more than 100000 values"));
        // The customer was refused at its door: nothing of it was told.
        assert!(told.abandoned && told.values < 10, "{}", told.values);
        // Within the bound, nothing is abandoned.
        let mut told = Told::default();
        validate_visiting(
            &json!({"state": ""}),
            &ValidateOptions::default(),
            &mut told,
        );
        assert!(!told.abandoned);
    }

    /// A count that passes the bound only in its last scalars, which no
    /// container's length foretells (found by the property test).
    #[test]
    fn an_order_past_the_bound_in_its_last_scalars_is_too_large_for_both_counts() {
        let order = json!({"": {"id": null, "merchant": null, "state": null},
                           "total_with_tax": [null], "trackings": null});
        // Eight values: the order, the object and its three, the list and
        // its one, the last null.
        for (values, too_large) in [(7, true), (8, false)] {
            let limits = Limits {
                values,
                text_bytes: 100,
                depth: 8,
            };
            let counted = crate::validate::size::check(&order, &limits, "order").is_err();
            assert_eq!(counted, too_large, "{values}");
            assert_eq!(too_large_within(&order, &limits), too_large, "{values}");
        }
    }

    #[test]
    fn a_value_that_is_not_an_order_has_that_one_problem() {
        for not_an_object in [json!([1, 2]), json!("order"), json!(null), json!(7)] {
            let problems = validate(&not_an_object, &ValidateOptions::default());
            assert_eq!(problems, [Problem::new("order", "must be an object")]);
        }
    }

    /// The walk's count with `limits` in place of the order's.
    pub(crate) fn too_large_within(order: &Value, limits: &Limits) -> bool {
        let problems = walk_order_within(
            order,
            &ValidateOptions::default(),
            limits,
            None,
            &mut NoVisit,
        );
        problems.len() == 1
            && problems[0]
                .message
                .starts_with("is larger than this library takes")
    }
}
