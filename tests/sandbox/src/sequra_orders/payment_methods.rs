//! The products the sandbox's merchant offers, in the shape of seQura's
//! `payment_methods` answers: options, each with its methods, their costs
//! in cents and the amounts they are offered for.

use serde_json::{json, Value};

/// One product of the catalogue.
struct Product {
    option: &'static str,
    product: &'static str,
    campaign: Option<&'static str>,
    title: &'static str,
    long_title: &'static str,
    /// Per instalment, in cents (0 for pay later).
    instalment_fee: i64,
    instalments: i64,
    min_amount: i64,
    max_amount: i64,
}

const CATALOGUE: [Product; 3] = [
    Product {
        option: "Pay later",
        product: "i1",
        campaign: None,
        title: "Pay in 7 days",
        long_title: "Receive your order first, pay in 7 days at no cost",
        instalment_fee: 0,
        instalments: 1,
        min_amount: 0,
        max_amount: 150_000,
    },
    Product {
        option: "Pay in instalments",
        product: "pp3",
        campaign: None,
        title: "Pay in 3, 6 or 12 months",
        long_title: "Split the payment into monthly instalments",
        instalment_fee: 300,
        instalments: 3,
        min_amount: 5_000,
        max_amount: 300_000,
    },
    Product {
        option: "Pay in instalments",
        product: "sp1",
        campaign: Some("permanente"),
        title: "Pay in 3 at no cost",
        long_title: "Split the payment into 3 instalments at no cost",
        instalment_fee: 0,
        instalments: 3,
        min_amount: 5_000,
        max_amount: 100_000,
    },
];

/// The product codes the sandbox offers.
pub(crate) fn codes() -> impl Iterator<Item = &'static str> {
    CATALOGUE.iter().map(|p| p.product)
}

/// `{"payment_options": [...]}` for an order of `amount` cents (only the
/// products offered for it), or the whole catalogue for `None`.
pub(crate) fn payment_methods(amount: Option<i64>) -> Value {
    let mut options: Vec<(&str, Vec<Value>)> = Vec::new();
    for product in &CATALOGUE {
        if amount.is_some_and(|a| a < product.min_amount || a > product.max_amount) {
            continue;
        }
        let method = method(product, amount);
        match options
            .iter_mut()
            .find(|(title, _)| *title == product.option)
        {
            Some((_, methods)) => methods.push(method),
            None => options.push((product.option, vec![method])),
        }
    }
    let options: Vec<Value> = options
        .into_iter()
        .map(|(title, methods)| json!({"title": title, "methods": methods}))
        .collect();
    json!({ "payment_options": options })
}

fn method(product: &Product, amount: Option<i64>) -> Value {
    // What each instalment costs the shopper, for a known amount.
    let instalment_total = amount
        .map(|a| (a + product.instalments - 1) / product.instalments + product.instalment_fee)
        .unwrap_or(0);
    json!({
        "product": product.product,
        "campaign": product.campaign,
        "title": product.title,
        "long_title": product.long_title,
        "cost": {
            "setup_fee": 0,
            "instalment_fee": product.instalment_fee,
            "down_payment_fees": 0,
            "instalment_total": instalment_total,
        },
        "min_amount": product.min_amount,
        "max_amount": product.max_amount,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes_of(methods: &Value) -> Vec<String> {
        methods["payment_options"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|o| o["methods"].as_array().unwrap().iter())
            .map(|m| m["product"].as_str().unwrap().to_string())
            .collect()
    }

    #[test]
    fn an_order_is_offered_the_products_of_its_amount() {
        assert_eq!(codes_of(&payment_methods(None)), ["i1", "pp3", "sp1"]);
        assert_eq!(codes_of(&payment_methods(Some(3_000))), ["i1"]);
        assert_eq!(codes_of(&payment_methods(Some(200_000))), ["pp3"]);
        let methods = payment_methods(Some(9_000));
        let pp3 = &methods["payment_options"][1]["methods"][0];
        assert_eq!(pp3["cost"]["instalment_total"], 3_300);
    }
}
