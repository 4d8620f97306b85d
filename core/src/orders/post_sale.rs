//! Changing a confirmed order after the checkout:
//! `PUT /merchants/{merchant}/orders/{order_ref_1}` with what is shipped
//! and what is not yet.
//!
//! The two carts together are the order as it now stands. Shipping moves
//! items from `unshipped_cart` to `shipped_cart`; a refund removes shipped
//! items; cancelling removes unshipped ones; both carts empty cancel the
//! whole order. seQura refuses (409) an update that adds items or moves a
//! shipped item back.

use crate::error::{Error, Problem, Result};
use serde_json::{Map, Value};

/// The carts of an update, as the caller gives them: every problem at
/// once, each with its path.
pub(crate) fn check_update(update: &Value) -> Result<()> {
    let Some(object) = update.as_object() else {
        return Err(Error::invalid("update", "must be an object"));
    };
    let mut problems = Vec::new();
    let mut currencies = Vec::new();
    for name in ["shipped_cart", "unshipped_cart"] {
        match object.get(name) {
            Some(Value::Object(cart)) => {
                if let Some(currency) = check_cart(name, cart, &mut problems) {
                    currencies.push(currency);
                }
            }
            Some(_) => problems.push(Problem::new(name, "must be an object")),
            None => problems.push(Problem::new(
                name,
                "is required: send both carts, an empty one as {\"currency\": \"EUR\", \"order_total_with_tax\": 0, \"items\": []}",
            )),
        }
    }
    if let [first, second] = currencies.as_slice() {
        if first != second {
            problems.push(Problem::new(
                "unshipped_cart.currency",
                format!("is {second:?} but shipped_cart.currency is {first:?}; both carts use the order's currency"),
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::InvalidInput(problems))
    }
}

/// One cart's problems; its currency when it has one.
fn check_cart(
    name: &str,
    cart: &Map<String, Value>,
    problems: &mut Vec<Problem>,
) -> Option<String> {
    let currency = match cart.get("currency") {
        Some(Value::String(c)) if c.len() == 3 && c.chars().all(|c| c.is_ascii_uppercase()) => {
            Some(c.clone())
        }
        _ => {
            problems.push(Problem::new(
                format!("{name}.currency"),
                "must be an ISO 4217 code such as \"EUR\"",
            ));
            None
        }
    };
    let total = cart.get("order_total_with_tax").and_then(Value::as_i64);
    if total.is_none() {
        problems.push(Problem::new(
            format!("{name}.order_total_with_tax"),
            "must be an integer number of cents",
        ));
    }
    let Some(items) = cart.get("items").and_then(Value::as_array) else {
        problems.push(Problem::new(format!("{name}.items"), "must be a list"));
        return currency;
    };
    let mut sum = Some(0i64);
    for (i, item) in items.iter().enumerate() {
        let at = |field: &str| format!("{name}.items[{i}].{field}");
        if !item.is_object() {
            problems.push(Problem::new(
                format!("{name}.items[{i}]"),
                "must be an object",
            ));
            sum = None;
            continue;
        }
        match item.get("reference") {
            Some(Value::String(s)) if !s.is_empty() => {}
            Some(Value::Number(_)) => {}
            _ => problems.push(Problem::new(
                at("reference"),
                "is required: the reference of the confirmed item",
            )),
        }
        if item
            .get("quantity")
            .and_then(Value::as_i64)
            .is_some_and(|q| q < 0)
        {
            problems.push(Problem::new(at("quantity"), "must not be negative"));
        }
        match item.get("total_with_tax").and_then(Value::as_i64) {
            Some(amount) => sum = sum.and_then(|s| s.checked_add(amount)),
            None => {
                problems.push(Problem::new(
                    at("total_with_tax"),
                    "must be an integer number of cents",
                ));
                sum = None;
            }
        }
    }
    if let (Some(total), Some(sum)) = (total, sum) {
        if total != sum {
            problems.push(Problem::new(
                format!("{name}.order_total_with_tax"),
                format!("is {total} but the items add up to {sum}; send the sum of {name}.items[].total_with_tax"),
            ));
        }
    }
    currency
}

#[cfg(test)]
mod tests {
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
        assert!(check_update(&update).is_ok());
        let cancel_all =
            json!({"shipped_cart": cart(json!([]), 0), "unshipped_cart": cart(json!([]), 0)});
        assert!(check_update(&cancel_all).is_ok());
    }

    #[test]
    fn every_cart_problem_is_named() {
        let update = json!({
            "shipped_cart": {"currency": "USD", "order_total_with_tax": 10,
                             "items": [{"quantity": -1, "total_with_tax": 4}]},
        });
        let problems: Vec<String> = check_update(&update)
            .unwrap_err()
            .problems()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            problems,
            [
                "shipped_cart.items[0].reference: is required: the reference of the confirmed item",
                "shipped_cart.items[0].quantity: must not be negative",
                "shipped_cart.order_total_with_tax: is 10 but the items add up to 4; send the sum of shipped_cart.items[].total_with_tax",
                "unshipped_cart: is required: send both carts, an empty one as {\"currency\": \"EUR\", \"order_total_with_tax\": 0, \"items\": []}",
            ]
        );
    }
}
