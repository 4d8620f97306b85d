//! Differences between two JSON documents, one sentence per changed path.
//! seQura refuses a confirmation whose cart is not the cart it approved,
//! and says where they differ.

use serde_json::Value;
use std::collections::BTreeSet;

/// Every difference from `before` to `after`, with `path` naming `before`
/// (e.g. `cart`): `cart.items[0].quantity changed from 2 to 3`,
/// `cart.items[1] was removed`, `cart.gift was added`. Objects are walked
/// in sorted key order and lists by index, so the list is deterministic.
pub(crate) fn diff(path: &str, before: &Value, after: &Value) -> Vec<String> {
    let mut differences = Vec::new();
    walk(path, before, after, &mut differences);
    differences
}

fn walk(path: &str, before: &Value, after: &Value, out: &mut Vec<String>) {
    match (before, after) {
        (Value::Object(a), Value::Object(b)) => {
            // Sorted keys: the same order whether or not serde_json keeps
            // documents in insertion order.
            let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for key in keys {
                let at = format!("{path}.{key}");
                match (a.get(key), b.get(key)) {
                    (Some(x), Some(y)) => walk(&at, x, y, out),
                    (Some(_), None) => out.push(format!("{at} was removed")),
                    _ => out.push(format!("{at} was added")),
                }
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            for (i, value) in a.iter().enumerate() {
                match b.get(i) {
                    Some(other) => walk(&format!("{path}[{i}]"), value, other, out),
                    None => out.push(format!("{path}[{i}] was removed")),
                }
            }
            for i in a.len()..b.len() {
                out.push(format!("{path}[{i}] was added"));
            }
        }
        _ if before != after => out.push(format!(
            "{path} changed from {} to {}",
            describe(before),
            describe(after)
        )),
        _ => {}
    }
}

/// A scalar as JSON; a container by its kind, so a message never carries
/// a whole payload.
fn describe(value: &Value) -> String {
    match value {
        Value::Object(_) => "an object".into(),
        Value::Array(_) => "a list".into(),
        scalar => scalar.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn cart() -> Value {
        json!({"currency": "EUR", "order_total_with_tax": 5097, "items": [
            {"reference": "A", "quantity": 2, "total_with_tax": 4855},
            {"reference": "ship", "total_with_tax": 242}
        ]})
    }

    #[test]
    fn equal_documents_have_no_differences() {
        assert!(diff("cart", &cart(), &cart()).is_empty());
    }

    #[test]
    fn each_changed_path_is_named_once() {
        let mut after = cart();
        after["order_total_with_tax"] = json!(6000);
        after["items"][0]["quantity"] = json!(3);
        after["items"].as_array_mut().unwrap().pop();
        assert_eq!(
            diff("cart", &cart(), &after),
            [
                "cart.items[0].quantity changed from 2 to 3",
                "cart.items[1] was removed",
                "cart.order_total_with_tax changed from 5097 to 6000",
            ]
        );
    }

    #[test]
    fn added_keys_and_items_are_named() {
        let mut after = cart();
        after["gift"] = json!(false);
        after["items"][1]["name"] = json!("SEUR");
        after["items"]
            .as_array_mut()
            .unwrap()
            .push(json!({"reference": "B"}));
        assert_eq!(
            diff("cart", &cart(), &after),
            [
                "cart.gift was added",
                "cart.items[1].name was added",
                "cart.items[2] was added",
            ]
        );
    }

    #[test]
    fn a_changed_kind_is_described_without_the_payload() {
        let mut after = cart();
        after["items"] = json!("none");
        after["currency"] = json!(null);
        assert_eq!(
            diff("cart", &cart(), &after),
            [
                "cart.currency changed from \"EUR\" to null",
                "cart.items changed from a list to \"none\"",
            ]
        );
    }
}
