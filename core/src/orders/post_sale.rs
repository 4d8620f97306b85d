//! Changing a confirmed order after the checkout:
//! `PUT /merchants/{merchant}/orders/{order_ref_1}` with what is shipped
//! and what is not yet.
//!
//! The two carts together are the order as it now stands. Shipping moves
//! items from `unshipped_cart` to `shipped_cart`; a refund removes shipped
//! items; cancelling removes unshipped ones; both carts empty cancel the
//! whole order. seQura refuses (409) an update that adds items or moves a
//! shipped item back.

use crate::error::Result;
use crate::orders::payload::check_update_sections;
use crate::redact::quote;
use crate::validate::money::{self, Sum};
use crate::validate::text::{describe, is_blank};
use crate::validate::{codes, id, size, Problems};
use serde_json::{Map, Value};

/// The order reference of an update, as it goes into the path.
pub(crate) fn order_ref_segment(order_ref_1: &str) -> Result<String> {
    id::path_segment("order_ref_1", order_ref_1)
}

/// An update as the caller gives it: every problem at once, each with its
/// path, added to `problems`: its carts' here, its other sections' and
/// unknown keys' as an order's (`payload::check_update_sections`). An
/// update over [`size::ORDER`] gets one problem and is not checked.
pub(crate) fn check_update(update: &Value, allow_unknown_keys: bool, problems: &mut Problems) {
    if let Err(too_large) = size::check(update, &size::ORDER, "update") {
        problems.push(too_large.path, too_large.message);
        return;
    }
    let Some(object) = update.as_object() else {
        problems.push("update", "must be an object");
        return;
    };
    let mut currencies = Vec::new();
    for name in ["shipped_cart", "unshipped_cart"] {
        match object.get(name) {
            Some(Value::Object(cart)) => {
                if let Some(currency) = check_cart(name, cart, problems) {
                    currencies.push(currency);
                }
                crate::validate::text::nul_problems(&object[name], name, problems);
            }
            Some(other) => problems.push(name, format!("must be an object, not {}", describe(other))),
            None => problems.push(
                name,
                "is required: send both carts, an empty one as {\"currency\": \"EUR\", \"order_total_with_tax\": 0, \"items\": []}",
            ),
        }
    }
    if let [first, second] = currencies.as_slice() {
        if first != second {
            problems.push(
                "unshipped_cart.currency",
                format!(
                    "is {} but shipped_cart.currency is {}; both carts use the order's currency",
                    quote(second),
                    quote(first)
                ),
            );
        }
    }
    problems.append(&mut check_update_sections(update, allow_unknown_keys));
}

/// An amount in cents at `path`: an integer within `i64`, else a problem.
fn cents(
    value: Option<&Value>,
    path: impl std::fmt::Display,
    problems: &mut Problems,
) -> Option<i64> {
    match value {
        Some(Value::Number(n)) if n.as_i64().is_some() => n.as_i64(),
        Some(Value::Number(n)) => {
            problems.push(path, money::not_cents_message(n));
            None
        }
        _ => {
            problems.push(path, "must be an integer number of cents");
            None
        }
    }
}

/// One cart's problems; its currency when it has one.
fn check_cart<'c>(
    name: &str,
    cart: &'c Map<String, Value>,
    problems: &mut Problems,
) -> Option<&'c str> {
    let currency = match cart.get("currency") {
        Some(Value::String(c)) if codes::is_currency(c) => Some(c.as_str()),
        _ => {
            problems.push(
                format_args!("{name}.currency"),
                "must be an ISO 4217 code such as \"EUR\"",
            );
            None
        }
    };
    let total = cents(
        cart.get("order_total_with_tax"),
        format_args!("{name}.order_total_with_tax"),
        problems,
    );
    let Some(items) = cart.get("items").and_then(Value::as_array) else {
        problems.push(format_args!("{name}.items"), "must be a list");
        return currency;
    };
    let mut sum = Sum::ZERO;
    for (i, item) in items.iter().enumerate() {
        let at = |field: &str| format!("{name}.items[{i}].{field}");
        if !item.is_object() {
            problems.push(
                format_args!("{name}.items[{i}]"),
                format!("must be an object, not {}", describe(item)),
            );
            let _ = sum.add(None);
            continue;
        }
        // An invoice fee has no reference in the order document, and a
        // subscriber fee's is optional: they are known by their type.
        let fee = matches!(
            item.get("type").and_then(Value::as_str),
            Some("invoice_fee" | "subscriber_fee")
        );
        match item.get("reference") {
            Some(Value::String(s)) if !is_blank(s) => {}
            Some(Value::Number(n)) if n.is_i64() || n.is_u64() => {}
            None | Some(Value::Null) if fee => {}
            None | Some(Value::Null) => problems.push(
                at("reference"),
                "is required: the reference of the confirmed item",
            ),
            Some(other) => problems.push(
                at("reference"),
                format!(
                    "must be the confirmed item's reference (a string that is not blank, or an integer), not {}",
                    describe(other)
                ),
            ),
        }
        // A fee or a discount has none; a unit count is a whole number.
        let quantity = match item.get("quantity") {
            None | Some(Value::Null) => None,
            Some(value) => match value.as_i64() {
                Some(quantity) if quantity < 0 => {
                    problems.push(at("quantity"), "must not be negative");
                    Some(quantity)
                }
                Some(quantity) => Some(quantity),
                None => {
                    problems.push(
                        at("quantity"),
                        format!(
                            "must be a whole number of units (an integer, 0 or more), not {}",
                            describe(value)
                        ),
                    );
                    None
                }
            },
        };
        let amount = cents(item.get("total_with_tax"), at("total_with_tax"), problems);
        if sum.add(amount) {
            problems.push(
                at("total_with_tax"),
                money::overflow_message(&format!("{name}.items[].total_with_tax")),
            );
        }
        let price = match item.get("price_with_tax") {
            None | Some(Value::Null) => None,
            price => cents(price, at("price_with_tax"), problems),
        };
        if let (Some(quantity @ 1..), Some(price), Some(amount)) = (quantity, price, amount) {
            if let Some(problem) = money::line_problem(quantity, price, amount) {
                problems.push(at("total_with_tax"), problem);
            }
        }
    }
    if let (Some(total), Some(sum)) = (total, sum.value()) {
        if total < 0 {
            // What the shopper keeps and pays for; as in the order.
            problems.push(
                format_args!("{name}.order_total_with_tax"),
                format!("must be an integer amount in cents of 0 or more, not {total}"),
            );
        } else if total != sum {
            problems.push(
                format_args!("{name}.order_total_with_tax"),
                money::sum_problem(total, sum, &format!("{name}.items")),
            );
        }
    }
    currency
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use serde_json::json;

    fn cart(items: Value, total: i64) -> Value {
        json!({"currency": "EUR", "order_total_with_tax": total, "items": items})
    }

    #[test]
    fn a_partial_shipment_is_accepted() {
        let item = |r: &str, t: i64| json!({"reference": r, "quantity": 1, "total_with_tax": t});
        let update = json!({
            "shipped_cart": cart(json!([item("a", 1000)]), 1000),
            "unshipped_cart": cart(json!([item("b", 500)]), 500),
        });
        assert!(checked(&update).is_ok());
        let cancel_all =
            json!({"shipped_cart": cart(json!([]), 0), "unshipped_cart": cart(json!([]), 0)});
        assert!(checked(&cancel_all).is_ok());
    }

    #[test]
    fn no_text_in_a_cart_may_hold_a_nul() {
        let item =
            |r: &str, t: i64| json!({"reference": r, "name": "Case\u{0}", "total_with_tax": t});
        let update = json!({
            "shipped_cart": cart(json!([item("a", 1000)]), 1000),
            "unshipped_cart": cart(json!([]), 0),
        });
        assert_eq!(
            paths(&update),
            ["shipped_cart.items[0].name: holds a NUL character (U+0000), which no text field takes: a system it passes through would cut it short there or refuse it; remove it"]
        );
    }

    #[test]
    fn a_cart_total_below_zero_is_refused_even_when_the_items_add_up_to_it() {
        let item = |r: &str, t: i64| json!({"reference": r, "total_with_tax": t});
        let update = json!({
            "shipped_cart": cart(json!([item("a", 1000), item("d", -1500)]), -500),
            "unshipped_cart": cart(json!([]), 0),
        });
        assert_eq!(
            paths(&update),
            ["shipped_cart.order_total_with_tax: must be an integer amount in cents of 0 or more, not -500"]
        );
    }

    #[test]
    fn a_reference_that_is_blank_or_a_fraction_and_an_amount_that_is_a_fraction_are_refused() {
        let update = json!({
            "shipped_cart": cart(json!([{"reference": 1.5, "total_with_tax": 10.5}]), 10),
            "unshipped_cart": cart(json!([{"reference": " ", "total_with_tax": 0}]), 0),
        });
        assert_eq!(paths(&update), [
            "shipped_cart.items[0].reference: must be the confirmed item's reference (a string that is not blank, or an integer), not a decimal number (1.5)",
            "shipped_cart.items[0].total_with_tax: is the decimal number 10.5, not whole cents; round it to whole cents, e.g. (int) round($price * 100) in PHP",
            "unshipped_cart.items[0].reference: must be the confirmed item's reference (a string that is not blank, or an integer), not a string (\" \")",
        ]);
    }

    #[test]
    fn every_cart_problem_is_named() {
        let update = json!({
            "shipped_cart": {"currency": "EUX", "order_total_with_tax": 10,
                             "items": [{"quantity": -1, "total_with_tax": 4}]},
        });
        let problems: Vec<String> = checked(&update)
            .unwrap_err()
            .problems()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            problems,
            [
                "shipped_cart.currency: must be an ISO 4217 code such as \"EUR\"",
                "shipped_cart.items[0].reference: is required: the reference of the confirmed item",
                "shipped_cart.items[0].quantity: must not be negative",
                "shipped_cart.order_total_with_tax: is 10 but shipped_cart.items[].total_with_tax add up to 4: make the items add up to what the shopper pays (a rounding difference may go on an item's total_with_tax, which may differ from quantity × price_with_tax by a cent a unit)",
                "unshipped_cart: is required: send both carts, an empty one as {\"currency\": \"EUR\", \"order_total_with_tax\": 0, \"items\": []}",
            ]
        );
    }

    #[test]
    fn a_quantity_is_a_whole_number_of_units() {
        for bad in [
            json!(-2.0),
            json!(1.5),
            json!("2"),
            json!(true),
            json!([]),
            json!(1e20),
        ] {
            let item = json!({"reference": "a", "quantity": bad, "total_with_tax": 100});
            let update = json!({
                "shipped_cart": cart(json!([item]), 100),
                "unshipped_cart": cart(json!([]), 0),
            });
            let err = checked(&update).unwrap_err();
            let problems = err.problems();
            assert_eq!(problems.len(), 1, "{bad}: {err}");
            assert_eq!(problems[0].path, "shipped_cart.items[0].quantity");
            assert!(
                problems[0].message.starts_with("must be a whole number"),
                "{err}"
            );
        }
    }

    /// The update's problems as [`Merchant::validate_update`] finishes them.
    ///
    /// [`Merchant::validate_update`]: crate::orders::Merchant::validate_update
    pub(crate) fn checked(update: &Value) -> Result<()> {
        let mut problems = Problems::new();
        check_update(update, false, &mut problems);
        problems.into_result("update")
    }

    fn paths(update: &Value) -> Vec<String> {
        match checked(update) {
            Ok(()) => Vec::new(),
            Err(err) => err.problems().iter().map(ToString::to_string).collect(),
        }
    }

    /// An update's trackings, addresses and the like are an order's, and
    /// a misspelled key would be dropped by seQura: both are checked as
    /// an order's before anything is sent.
    #[test]
    fn an_updates_other_sections_and_its_keys_are_checked_as_an_orders() {
        let empty = cart(json!([]), 0);
        let mut update = json!({
            "shipped_cart": empty, "unshipped_cart": empty,
            "trackings": [{"type": "postal", "reference": "p1", "carrier": "SEUR",
                           "tracking_number": "1Z", "delivered_at": "2024-01-02T10:00:00+01:00"}],
            "merchant": {"id": "m"}, "merchant_reference": {"order_ref_1": "r1"},
        });
        update["shipped_cart"]["gift"] = json!(false);
        assert_eq!(paths(&update), Vec::<String>::new());

        update["trackings"] = json!([{"type": 5, "reference": [], "delivered_at": "yesterday"},
                                     {"type": "postal", "reference": "p", "carrier": "c", "tracking_numbr": "1"}]);
        update["trakings"] = json!([]);
        update["shipped_cart"]["colour"] = json!("red");
        update["unshipped_cart"]["gift"] = json!("no");
        update["merchant_reference"]["order_ref2"] = json!("r2");
        update["merchant"]["idd"] = json!("m");
        let found = paths(&update);
        for expected in [
            "trackings[0].type: ",
            "trackings[1].tracking_numbr: is not a field of this object (did you mean tracking_number?)",
            "trakings: is not a field of this object (did you mean trackings?)",
            "shipped_cart.colour: is not a field of this object",
            "unshipped_cart.gift: must be",
            "merchant_reference.order_ref2: is not a field of this object (did you mean order_ref_2?)",
            "merchant.idd: is not a field of this object (did you mean id?)",
        ] {
            assert!(found.iter().any(|p| p.starts_with(expected)), "{expected} in {found:#?}");
        }
        // The carts' own fields are checked once, by the carts' checks.
        update["shipped_cart"]["currency"] = json!(1);
        let currency: Vec<_> = paths(&update)
            .into_iter()
            .filter(|p| p.starts_with("shipped_cart.currency"))
            .collect();
        assert_eq!(currency.len(), 1, "{currency:?}");
        // Unknown keys allowed: only the checks of what is known remain.
        let mut problems = Problems::new();
        check_update(&update, true, &mut problems);
        let allowed: Vec<String> = problems
            .finish("update")
            .iter()
            .map(ToString::to_string)
            .collect();
        assert!(
            !allowed.iter().any(|p| p.contains("not a field")),
            "{allowed:#?}"
        );
        assert!(
            allowed.iter().any(|p| p.starts_with("unshipped_cart.gift")),
            "{allowed:#?}"
        );
    }

    #[test]
    fn sums_past_i64_are_a_problem_not_a_skipped_check() {
        let item = |t: Value| json!({"reference": "a", "quantity": 1, "total_with_tax": t});
        let big = json!({
            "shipped_cart": cart(json!([item(json!(i64::MAX)), item(json!(2))]), 1),
            "unshipped_cart": cart(json!([]), 0),
        });
        assert_eq!(paths(&big), [
            "shipped_cart.items[1].total_with_tax: brings the sum of shipped_cart.items[].total_with_tax past 9223372036854775807 cents, more than any payment; check the amounts",
        ]);
        let beyond = json!({
            "shipped_cart": cart(json!([item(json!(u64::MAX))]), 0),
            "unshipped_cart": {"currency": "EUR", "order_total_with_tax": u64::MAX, "items": []},
        });
        assert_eq!(paths(&beyond), [
            "shipped_cart.items[0].total_with_tax: is 18446744073709551615, beyond what an amount in cents can be (at most 9223372036854775807); send the amount in cents",
            "unshipped_cart.order_total_with_tax: is 18446744073709551615, beyond what an amount in cents can be (at most 9223372036854775807); send the amount in cents",
        ]);
    }

    #[test]
    fn an_item_total_goes_with_its_quantity_and_price() {
        let item = json!({"reference": "a", "quantity": 2, "price_with_tax": 3030, "total_with_tax": 6070});
        let update = json!({
            "shipped_cart": cart(json!([item]), 6070),
            "unshipped_cart": cart(json!([]), 0),
        });
        assert_eq!(paths(&update), [
            "shipped_cart.items[0].total_with_tax: is 6070 but quantity × price_with_tax is 2 × 3030 = 6060; they may differ by rounding only, at most one cent per unit (2 here)",
        ]);
        let rounded =
            json!({"reference": "a", "quantity": 3, "price_with_tax": 333, "total_with_tax": 1000});
        let update = json!({
            "shipped_cart": cart(json!([rounded]), 1000),
            "unshipped_cart": cart(json!([]), 0),
        });
        assert_eq!(paths(&update), Vec::<String>::new());
    }

    #[test]
    fn fees_without_a_reference_are_known_by_their_type() {
        let fee = json!({"type": "invoice_fee", "total_with_tax": 100});
        let subscriber = json!({"type": "subscriber_fee", "quantity": 1, "total_with_tax": 500});
        let update = json!({"shipped_cart": cart(json!([fee, subscriber]), 600), "unshipped_cart": cart(json!([]), 0)});
        assert!(checked(&update).is_ok(), "{:?}", checked(&update));
        let product = json!({"quantity": 1, "total_with_tax": 100});
        let handling = json!({"type": "handling", "reference": "", "total_with_tax": 100});
        let bad_fee = json!({"type": "invoice_fee", "reference": [], "total_with_tax": 100});
        let update = json!({"shipped_cart": cart(json!([product, handling, bad_fee]), 300), "unshipped_cart": cart(json!([]), 0)});
        let problems = paths(&update);
        let at: Vec<&str> = problems
            .iter()
            .filter_map(|p| p.split(':').next())
            .collect();
        assert_eq!(
            at,
            [
                "shipped_cart.items[0].reference",
                "shipped_cart.items[1].reference",
                "shipped_cart.items[2].reference"
            ],
            "{problems:?}"
        );
        assert!(problems[2].contains("not a list"), "{problems:?}");
    }

    #[test]
    fn an_order_reference_cannot_leave_its_path_segment() {
        assert_eq!(order_ref_segment("A/1").unwrap(), "A%2F1");
        for bad in ["", "..", "."] {
            let err = order_ref_segment(bad).unwrap_err();
            assert_eq!(err.problems()[0].path, "order_ref_1");
        }
    }
}
