//! seQura's rules for changing a confirmed order after the checkout
//! (`PUT /merchants/{merchant}/orders/{order_ref_1}`): the shipped and the
//! unshipped cart together are the order as it now stands. Items can be
//! shipped, refunded (dropped from the shipped cart) or cancelled (dropped
//! from the unshipped cart); nothing can be added, and a shipped item never
//! goes back to the unshipped cart.

use serde_json::Value;
use std::collections::BTreeMap;

/// Quantity (or amount in cents) by item reference.
type Quantities = BTreeMap<String, i64>;

/// The two carts an order is in after confirmation.
#[derive(Debug, Clone)]
pub(crate) struct Carts {
    pub shipped: Value,
    pub unshipped: Value,
}

impl Carts {
    /// Right after confirmation: nothing shipped yet.
    pub fn confirmed(cart: &Value) -> Carts {
        let mut shipped = cart.clone();
        shipped["items"] = Value::Array(Vec::new());
        shipped["order_total_with_tax"] = 0.into();
        Carts {
            shipped,
            unshipped: cart.clone(),
        }
    }

    /// Both carts empty: the order is cancelled.
    pub fn is_empty(&self) -> bool {
        [&self.shipped, &self.unshipped]
            .iter()
            .all(|c| c["items"].as_array().is_none_or(Vec::is_empty))
    }
}

/// Every reason to refuse moving from `before` to `after` (`{"shipped_cart",
/// "unshipped_cart"}` of the request), or the new carts.
pub(crate) fn apply(before: &Carts, order: &Value) -> Result<Carts, Vec<String>> {
    let mut errors = Vec::new();
    let mut carts = Vec::new();
    for name in ["shipped_cart", "unshipped_cart"] {
        match order.get(name) {
            Some(cart) if cart.is_object() => {
                check_cart(name, cart, &before.shipped["currency"], &mut errors);
                check_total(name, cart, &mut errors);
                carts.push(cart.clone());
            }
            _ => errors.push(format!("order.{name} is required (an object)")),
        }
    }
    let [shipped, unshipped] = carts.as_slice() else {
        return Err(errors);
    };
    check_tracking_references(shipped, order, &mut errors);
    let had_shipped = quantities(&before.shipped);
    let had_unshipped = quantities(&before.unshipped);
    let now_shipped = quantities(shipped);
    let now_unshipped = quantities(unshipped);
    let had_amounts = amounts(&[&before.shipped, &before.unshipped]);
    let now_amounts = amounts(&[shipped, unshipped]);
    for (name, cart) in [("shipped_cart", shipped), ("unshipped_cart", unshipped)] {
        for (i, item) in items(cart).iter().enumerate() {
            let quantity = &item["quantity"];
            if !(quantity.is_null() || quantity.as_i64().is_some_and(|q| q >= 0)) {
                errors.push(format!(
                    "{name}.items[{i}].quantity {quantity} must be a whole number of units, 0 or more"
                ));
            }
            let reference = reference(item);
            if !had_shipped.contains_key(&reference) && !had_unshipped.contains_key(&reference) {
                errors.push(format!(
                    "{name}.items[{i}].reference {reference:?} is not an item of the confirmed order"
                ));
            }
        }
    }
    let references: std::collections::BTreeSet<&String> =
        now_shipped.keys().chain(now_unshipped.keys()).collect();
    for reference in references {
        let get = |q: &Quantities| q.get(reference).copied().unwrap_or(0);
        let (had, now) = (
            get(&had_shipped).saturating_add(get(&had_unshipped)),
            get(&now_shipped).saturating_add(get(&now_unshipped)),
        );
        if had > 0 && now > had {
            errors.push(format!(
                "item {reference:?}: {now} in the carts but the order has {had}; items cannot be added after confirmation"
            ));
        }
        let (had_cents, now_cents) = (get(&had_amounts), get(&now_amounts));
        // More units cost more: say only the first reason.
        if had > 0 && now <= had && now_cents > had_cents {
            errors.push(format!(
                "item {reference:?}: {now_cents} cents in the carts but the order has {had_cents}; amounts cannot grow after confirmation"
            ));
        }
        if had > 0 && get(&now_unshipped) > get(&had_unshipped) {
            errors.push(format!(
                "item {reference:?}: {} unshipped but only {} were; a shipped item cannot go back to the unshipped cart",
                get(&now_unshipped),
                get(&had_unshipped)
            ));
        }
    }
    if errors.is_empty() {
        Ok(Carts {
            shipped: shipped.clone(),
            unshipped: unshipped.clone(),
        })
    } else {
        Err(errors)
    }
}

fn items(cart: &Value) -> &[Value] {
    cart["items"].as_array().map(Vec::as_slice).unwrap_or(&[])
}

/// What an item is known by: its reference, or the type of a fee that has
/// none (the document gives an invoice fee no reference, and a subscriber
/// fee's is optional).
fn reference(item: &Value) -> String {
    match &item["reference"] {
        Value::String(s) => s.clone(),
        Value::Null => format!("({})", item["type"].as_str().unwrap_or("product")),
        other => other.to_string(),
    }
}

/// Quantity by reference; items without a quantity (fees, discounts)
/// count as one.
fn quantities(cart: &Value) -> Quantities {
    let mut result = Quantities::new();
    for item in items(cart) {
        let quantity = item["quantity"].as_i64().unwrap_or(1);
        let units = result.entry(reference(item)).or_insert(0);
        *units = units.saturating_add(quantity);
    }
    result
}

/// Amount in cents by reference, over `carts`. Discounts are negative, so
/// only a positive line can "grow".
fn amounts(carts: &[&Value]) -> Quantities {
    let mut result = Quantities::new();
    for cart in carts {
        for item in items(cart) {
            let cents = item["total_with_tax"].as_i64().unwrap_or(0);
            let sum = result.entry(reference(item)).or_insert(0);
            *sum = sum.saturating_add(cents);
        }
    }
    result
}

/// A shipped item's `tracking_reference` names one of the update's
/// `trackings` (or of the order's earlier ones the update repeats).
fn check_tracking_references(shipped: &Value, order: &Value, errors: &mut Vec<String>) {
    let known: Vec<&Value> = order["trackings"]
        .as_array()
        .map(|list| list.iter().map(|t| &t["reference"]).collect())
        .unwrap_or_default();
    for (i, item) in items(shipped).iter().enumerate() {
        let Some(reference) = item.get("tracking_reference").filter(|r| !r.is_null()) else {
            continue;
        };
        if !known.contains(&reference) {
            errors.push(format!(
                "shipped_cart.items[{i}].tracking_reference {reference} is not the reference of any of order.trackings"
            ));
        }
    }
}

/// A cart is the order's cart as it now stands: in the order's currency,
/// with a list of items (an empty one for nothing).
fn check_cart(name: &str, cart: &Value, currency: &Value, errors: &mut Vec<String>) {
    let given = &cart["currency"];
    match given {
        Value::String(_) if given == currency => {}
        Value::String(other) => errors.push(format!(
            "{name}.currency {other:?} is not the order's currency {currency}"
        )),
        _ => errors.push(format!(
            "{name}.currency is required (a string such as \"EUR\")"
        )),
    }
    if !cart["items"].is_array() {
        errors.push(format!("{name}.items must be a list (empty for no items)"));
    }
}

fn check_total(name: &str, cart: &Value, errors: &mut Vec<String>) {
    // In i128: amounts of a client that does not check sum past i64.
    let sum: Option<i128> = items(cart)
        .iter()
        .map(|item| item["total_with_tax"].as_i64().map(i128::from))
        .sum();
    match (cart["order_total_with_tax"].as_i64(), sum) {
        (Some(total), Some(sum)) if i128::from(total) != sum => errors.push(format!(
            "{name}.order_total_with_tax is {total} but its items add up to {sum}"
        )),
        (Some(_), Some(_)) => {}
        _ => errors.push(format!(
            "{name}: order_total_with_tax and every items[].total_with_tax must be integers (cents)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn cart(items: &[(&str, i64)]) -> Value {
        let items: Vec<Value> = items
            .iter()
            .map(|(r, q)| json!({"reference": r, "quantity": q, "total_with_tax": q * 100}))
            .collect();
        let total: i64 = items
            .iter()
            .map(|i| i["total_with_tax"].as_i64().unwrap())
            .sum();
        json!({"currency": "EUR", "order_total_with_tax": total, "items": items})
    }

    fn update(shipped: &[(&str, i64)], unshipped: &[(&str, i64)]) -> Value {
        json!({"shipped_cart": cart(shipped), "unshipped_cart": cart(unshipped)})
    }

    #[test]
    fn ship_part_refund_then_cancel_the_rest() {
        let confirmed = Carts::confirmed(&cart(&[("a", 2), ("b", 1)]));
        let partial = apply(&confirmed, &update(&[("a", 2)], &[("b", 1)])).unwrap();
        let refunded = apply(&partial, &update(&[("a", 1)], &[("b", 1)])).unwrap();
        let cancelled = apply(&refunded, &update(&[("a", 1)], &[])).unwrap();
        assert!(!cancelled.is_empty());
        assert!(apply(&cancelled, &update(&[], &[])).unwrap().is_empty());
    }

    #[test]
    fn a_shipped_item_names_a_tracking_of_the_update() {
        let confirmed = Carts::confirmed(&cart(&[("a", 1)]));
        let mut shipped = update(&[("a", 1)], &[]);
        shipped["shipped_cart"]["items"][0]["tracking_reference"] = "parcel-1".into();
        let errors = apply(&confirmed, &shipped).unwrap_err();
        assert_eq!(
            errors,
            ["shipped_cart.items[0].tracking_reference \"parcel-1\" is not the reference of any of order.trackings"]
        );
        shipped["trackings"] = serde_json::json!([{"type": "postal", "reference": "parcel-1"}]);
        assert!(apply(&confirmed, &shipped).is_ok());
    }

    #[test]
    fn a_quantity_that_is_not_a_count_of_units_is_refused() {
        let before = Carts::confirmed(&cart(&[("a", 2)]));
        for bad in [json!(-2), json!(-2.0), json!(1.5), json!("2"), json!([])] {
            let mut order = update(&[("a", 1)], &[("a", 1)]);
            order["shipped_cart"]["items"][0]["quantity"] = bad.clone();
            let errors = apply(&before, &order).unwrap_err();
            assert!(
                errors[0].contains("must be a whole number of units"),
                "{bad}: {errors:?}"
            );
        }
    }

    #[test]
    fn amounts_and_quantities_past_i64_are_refused_not_a_panic() {
        let confirmed = Carts::confirmed(&cart(&[("a", 2)]));
        let mut huge = update(&[("a", 1), ("a", 1)], &[("a", 1)]);
        for i in 0..2 {
            huge["shipped_cart"]["items"][i]["total_with_tax"] = i64::MAX.into();
            huge["shipped_cart"]["items"][i]["quantity"] = i64::MAX.into();
        }
        huge["shipped_cart"]["order_total_with_tax"] = i64::MAX.into();
        huge["unshipped_cart"]["items"][0]["quantity"] = i64::MAX.into();
        let errors = apply(&confirmed, &huge).unwrap_err();
        assert!(
            errors[0].contains("but its items add up to 18446744073709551614"),
            "{errors:?}"
        );
    }

    #[test]
    fn a_cart_is_in_the_orders_currency_with_a_list_of_items() {
        let confirmed = Carts::confirmed(&cart(&[("a", 1)]));
        let mut update = update(&[("a", 1)], &[]);
        update["shipped_cart"]["currency"] = "USD".into();
        update["unshipped_cart"]["currency"] = json!({"code": "EUR"});
        update["unshipped_cart"]
            .as_object_mut()
            .unwrap()
            .remove("items");
        assert_eq!(
            apply(&confirmed, &update).unwrap_err(),
            [
                "shipped_cart.currency \"USD\" is not the order's currency \"EUR\"",
                "unshipped_cart.currency is required (a string such as \"EUR\")",
                "unshipped_cart.items must be a list (empty for no items)",
            ]
        );
    }

    #[test]
    fn adding_or_unshipping_is_refused() {
        let confirmed = Carts::confirmed(&cart(&[("a", 2)]));
        let shipped = apply(&confirmed, &update(&[("a", 2)], &[])).unwrap();
        let errors = apply(&shipped, &update(&[("a", 1)], &[("a", 1), ("z", 1)])).unwrap_err();
        assert_eq!(
            errors,
            [
                "unshipped_cart.items[1].reference \"z\" is not an item of the confirmed order",
                "item \"a\": 1 unshipped but only 0 were; a shipped item cannot go back to the unshipped cart",
            ]
        );
        let errors = apply(&confirmed, &update(&[("a", 3)], &[])).unwrap_err();
        assert!(errors[0].contains("items cannot be added"), "{errors:?}");
        let mut dearer = update(&[("a", 2)], &[]);
        dearer["shipped_cart"]["items"][0]["total_with_tax"] = 999.into();
        dearer["shipped_cart"]["order_total_with_tax"] = 999.into();
        let errors = apply(&confirmed, &dearer).unwrap_err();
        assert_eq!(
            errors,
            ["item \"a\": 999 cents in the carts but the order has 200; amounts cannot grow after confirmation"]
        );
    }
}
