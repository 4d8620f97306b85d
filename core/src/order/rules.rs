//! The rules of the order document that involve more than one field:
//! totals, item types, addresses, contract options, subscriptions.

use super::walk::{as_object, elements, join, Label, Path};
use super::{Contract, Flow, ValidateOptions};
use crate::error::Problem;
use serde_json::Value;

pub(crate) fn check(order: &Value, options: &ValidateOptions, problems: &mut Vec<Problem>) {
    // Several rules read the cart's items: list them once.
    let items = list(order, "/cart/items");
    let mut rules = Rules {
        order,
        items: &items,
        contract: &options.contract,
        problems,
    };
    rules.state();
    rules.totals();
    rules.item_types();
    rules.addresses();
    rules.stores();
    rules.garage();
    rules.trackings();
    rules.previous_orders();
    rules.subscription();
    if options.flow == Flow::PosLegacy {
        rules.no_urls_in_pos_legacy();
    }
}

struct Rules<'a> {
    order: &'a Value,
    /// The elements of `cart.items`, with their paths.
    items: &'a [(Element<'a>, &'a Value)],
    contract: &'a Contract,
    problems: &'a mut Vec<Problem>,
}

impl<'a> Rules<'a> {
    fn problem(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem::new(path, message));
    }

    fn at(&self, pointer: &str) -> Option<&'a Value> {
        self.order.pointer(pointer)
    }

    fn has(&self, pointer: &str) -> bool {
        self.at(pointer).is_some_and(|v| !v.is_null())
    }

    fn list(&self, pointer: &'static str) -> Vec<(Element<'a>, &'a Value)> {
        list(self.order, pointer)
    }

    fn state(&mut self) {
        if let Some(state) = self.at("/state").and_then(Value::as_str) {
            if !["", "confirmed"].contains(&state) {
                self.problem(
                    "state",
                    format!("must be empty (\"\" or null) or \"confirmed\", not \"{state}\""),
                );
            }
        }
    }

    fn totals(&mut self) {
        let Some(total) = self
            .at("/cart/order_total_with_tax")
            .and_then(Value::as_i64)
        else {
            return;
        };
        let amounts: Option<Vec<i64>> = self
            .items
            .iter()
            .map(|(_, item)| item.get("total_with_tax").and_then(Value::as_i64))
            .collect();
        // A missing or mistyped amount is already a problem of its own.
        let Some(sum) = amounts.map(|a| a.iter().sum::<i64>()) else {
            return;
        };
        if sum != total {
            self.problem(
                "cart.order_total_with_tax",
                format!("is {total} but the items add up to {sum}; send the sum of cart.items[].total_with_tax"),
            );
        }
    }

    fn item_types(&mut self) {
        let services = self.contract.services;
        for &(path, item) in self.items {
            let kind = item
                .get("type")
                .and_then(Value::as_str)
                .unwrap_or("product");
            if kind != "service" {
                continue;
            }
            if !services {
                self.problem(
                    path.to_string(),
                    "is a service, which needs the services contract option; ask seQura to enable it or sell it as a product",
                );
            }
            match (item.get("ends_on").is_some(), item.get("ends_in").is_some()) {
                (true, true) => self.problem(
                    path.field("ends_on"),
                    "and ends_in are both set; a service has exactly one of them",
                ),
                (false, false) => self.problem(
                    path.field("ends_on"),
                    "or ends_in is required: a service has exactly one of them",
                ),
                _ => {}
            }
        }
        for &(path, item) in self.items {
            let per_item = item
                .get("subscription_price_per_item")
                .and_then(Value::as_i64);
            let quantity = item.get("quantity").and_then(Value::as_i64);
            let price = item.get("subscription_price").and_then(Value::as_i64);
            if let (Some(per_item), Some(quantity), Some(price)) = (per_item, quantity, price) {
                if per_item * quantity != price {
                    self.problem(
                        path.field("subscription_price"),
                        format!(
                            "is {price} but subscription_price_per_item × quantity is {}",
                            per_item * quantity
                        ),
                    );
                }
            }
            if let Some(rate) = item.get("subscription_vat_rate").and_then(Value::as_i64) {
                if rate > 10_000 {
                    self.problem(
                        path.field("subscription_vat_rate"),
                        format!(
                            "is {rate}, over 100%; the rate is multiplied by 100 (2100 for 21%)"
                        ),
                    );
                }
            }
        }
    }

    fn addresses(&mut self) {
        let may_be_missing = self
            .at("/merchant/options/addresses_may_be_missing")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        for name in ["delivery_address", "invoice_address"] {
            if !may_be_missing && !self.has(&format!("/{name}")) {
                self.problem(
                    name,
                    "is required unless merchant.options.addresses_may_be_missing is true",
                );
            }
        }
    }

    /// Multistore merchants name the store, the operator and the customer's
    /// DNI control code; physical stores may; online shops may not.
    fn stores(&mut self) {
        let multistore = self.contract.multistore || self.contract.garage;
        let physical = multistore || self.contract.instore;
        if multistore {
            for (pointer, path) in [
                ("/merchant/store_ref", "merchant.store_ref"),
                ("/merchant/operator_ref", "merchant.operator_ref"),
                ("/customer/nin_control", "customer.nin_control"),
            ] {
                if !self.has(pointer) {
                    self.problem(path, "is required for multistore merchants");
                }
            }
        }
        if self.contract.instore && !self.has("/customer/nin_control") && !multistore {
            self.problem("customer.nin_control", "is required for physical stores");
        }
        if !physical {
            for (pointer, path) in [
                ("/merchant/store_ref", "merchant.store_ref"),
                ("/merchant/operator_ref", "merchant.operator_ref"),
                ("/merchant/tag_ref", "merchant.tag_ref"),
            ] {
                if self.has(pointer) {
                    self.problem(
                        path,
                        "is only for multistore merchants and physical stores; remove it, or set the multistore or instore contract option",
                    );
                }
            }
        }
        if self.has("/instore") && !self.contract.instore {
            self.problem(
                "instore",
                "is only for in-store integrations; remove it, or set the instore contract option",
            );
        }
        if self.contract.instore && !self.has("/instore") {
            self.problem("instore", "is required for in-store integrations");
        }
    }

    fn garage(&mut self) {
        if self.contract.garage {
            if !self.has("/customer/vehicle") {
                self.problem(
                    "customer.vehicle",
                    "is required for garages (at least its plaque)",
                );
            }
            return;
        }
        for (pointer, path) in [
            ("/customer/vehicle", "customer.vehicle"),
            ("/merchant/garage_chain", "merchant.garage_chain"),
        ] {
            if self.has(pointer) {
                self.problem(
                    path,
                    "is only for garages; remove it, or set the garage contract option",
                );
            }
        }
    }

    /// Items name the tracking they ship in; with the shipment_ref option
    /// every product does.
    fn trackings(&mut self) {
        let references: Vec<String> = self
            .list("/trackings")
            .iter()
            .filter_map(|(_, t)| t.get("reference").and_then(Value::as_str).map(String::from))
            .collect();
        for (i, reference) in references.iter().enumerate() {
            if references[..i].contains(reference) {
                self.problem(
                    format!("trackings[{i}].reference"),
                    format!("\"{reference}\" is used by an earlier tracking; each tracking needs its own reference"),
                );
            }
        }
        for &(path, item) in self.items {
            let is_product = item
                .get("type")
                .and_then(Value::as_str)
                .unwrap_or("product")
                == "product";
            match item.get("tracking_reference").and_then(Value::as_str) {
                Some(reference) if !references.iter().any(|r| r == reference) => self.problem(
                    path.field("tracking_reference"),
                    format!("\"{reference}\" is not the reference of any of trackings[]"),
                ),
                None if is_product && self.contract.shipment_ref => self.problem(
                    path.field("tracking_reference"),
                    "is required with the shipment_ref contract option: name the tracking this item ships in",
                ),
                _ => {}
            }
        }
    }

    fn previous_orders(&mut self) {
        for (path, order) in self.list("/customer/previous_orders") {
            if let Some(method) = order.get("payment_method").and_then(Value::as_str) {
                let known = ["CC", "PP", "TR", "COD", "SQ"].contains(&method)
                    || method
                        .strip_prefix("O/")
                        .is_some_and(|name| !name.is_empty());
                if !known {
                    self.problem(
                        path.field("payment_method"),
                        format!("is \"{method}\"; use CC, PP, TR, COD, SQ, or O/ and a name such as \"O/postal_giro\""),
                    );
                }
            }
        }
    }

    fn subscription(&mut self) {
        for (path, discount) in self.list("/subscription/discounts") {
            let percent = discount.get("type").is_some_and(|t| t == "percent");
            if let Some(amount) = discount.get("amount").and_then(Value::as_i64) {
                if percent && amount > 10_000 {
                    self.problem(
                        path.field("amount"),
                        format!("is {amount}, over 100%; a percent discount is in 1/100 of a percent (5000 for 50%)"),
                    );
                }
            }
        }
        for (path, item) in self.list("/subscription/cart/items") {
            let start = item.get("start_on").and_then(Value::as_str);
            let end = item.get("end_on").and_then(Value::as_str);
            if let (Some(start), Some(end)) = (start, end) {
                // ISO dates compare as text; their format is checked elsewhere.
                if end <= start {
                    self.problem(
                        path.field("end_on"),
                        format!("is {end}, not after start_on {start}"),
                    );
                }
            }
        }
        let subscribes = self.has("/subscription")
            || self.has("/cart/subscription_period")
            || self.has("/cart/subscription_total_price");
        if subscribes {
            let priced: Option<Vec<i64>> = self
                .items
                .iter()
                .filter(|(_, item)| item.get("subscription_price").is_some())
                .map(|(_, item)| item.get("subscription_price").and_then(Value::as_i64))
                .collect();
            let total = self
                .at("/cart/subscription_total_price")
                .and_then(Value::as_i64);
            if let (Some(total), Some(prices)) = (total, priced) {
                let sum: i64 = prices.iter().sum();
                if !prices.is_empty() && sum != total {
                    self.problem(
                        "cart.subscription_total_price",
                        format!("is {total} but the items' subscription_price add up to {sum}"),
                    );
                }
            }
        }
        if self.has("/merchant_reference/subscription_ref_1") && !self.has("/subscription") {
            self.problem(
                "merchant_reference.subscription_ref_1",
                "is set but the order has no subscription",
            );
        }
        if let Some(cart) = self.at("/subscription/cart").and_then(as_object) {
            let empty = cart
                .get("items")
                .and_then(Value::as_array)
                .is_some_and(Vec::is_empty);
            if empty {
                self.problem(
                    "subscription.cart.items",
                    "is empty; a subscription has at least one item",
                );
            }
        }
    }

    /// The legacy POS flow confirms by hand: seQura has nowhere to post.
    fn no_urls_in_pos_legacy(&mut self) {
        for name in ["notify_url", "return_url", "approved_url"] {
            if self.has(&format!("/merchant/{name}")) {
                self.problem(
                    format!("merchant.{name}"),
                    "must be left out in the legacy POS flow, which confirms the order by hand",
                );
            }
        }
    }
}

/// The elements of the list at `pointer` in `order`, each with its path
/// (built only when a problem names it). A list that is not one was already
/// reported by the walker.
fn list<'a>(order: &'a Value, pointer: &'static str) -> Vec<(Element<'a>, &'a Value)> {
    let Some(value) = order.pointer(pointer) else {
        return Vec::new();
    };
    let base = &pointer[1..];
    elements(value, &Path::Root, &mut Vec::new())
        .into_iter()
        .map(|(label, v)| (Element { base, label }, v))
        .collect()
}

/// An element of a list in the order, named only when a problem needs it:
/// `base` is the list's path with `/` for `.` (a JSON pointer minus its `/`).
#[derive(Clone, Copy)]
struct Element<'a> {
    base: &'a str,
    label: Label<'a>,
}

impl Element<'_> {
    /// The path of `name` inside this element, e.g. `cart.items[3].ends_on`.
    fn field(&self, name: &str) -> String {
        join(&self.to_string(), name)
    }
}

impl std::fmt::Display for Element<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}{}", self.base.replace('/', "."), self.label)
    }
}
