//! The payment methods seQura offers: for one order
//! (`GET /orders/{uuid}/payment_methods`) or the merchant's whole catalogue
//! (`GET /merchants/{merchant}/payment_methods`), as data a checkout page
//! shows: product codes, titles, costs and campaigns.
//!
//! Fields this model does not name are kept in `other`, so nothing the
//! server adds is lost on the way to the skins. Only what a flow needs is
//! required (the options, each method's product code); a missing display
//! field (a title, a cost) is absent in the result, not an error.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The answer of both calls: the options, each a group of methods.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PaymentMethods {
    pub payment_options: Vec<PaymentOption>,
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// A group of methods shown together (e.g. "Pay later", "Pay in instalments").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PaymentOption {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "crate::lenient::or_default")]
    pub methods: Vec<PaymentMethod>,
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// One product, as `form` and `send_form` take its code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PaymentMethod {
    /// The product code, e.g. `i1` (pay later) or `pp3` (part payment).
    pub product: String,
    /// The campaign, for products sold in campaigns; else `None`.
    #[serde(default)]
    pub campaign: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub long_title: Option<String>,
    /// What the shopper pays on top of the order, in cents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<Cost>,
    /// The order amounts, in cents, the product is offered for.
    #[serde(
        default,
        deserialize_with = "crate::lenient::optional_cents",
        skip_serializing_if = "Option::is_none"
    )]
    pub min_amount: Option<i64>,
    #[serde(
        default,
        deserialize_with = "crate::lenient::optional_cents",
        skip_serializing_if = "Option::is_none"
    )]
    pub max_amount: Option<i64>,
    /// When a campaign starts and ends (ISO 8601).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starts_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends_at: Option<String>,
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// The costs of a product, in cents; a cost the server does not state is
/// absent, never taken as 0.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cost {
    #[serde(
        default,
        deserialize_with = "crate::lenient::optional_cents",
        skip_serializing_if = "Option::is_none"
    )]
    pub setup_fee: Option<i64>,
    #[serde(
        default,
        deserialize_with = "crate::lenient::optional_cents",
        skip_serializing_if = "Option::is_none"
    )]
    pub instalment_fee: Option<i64>,
    #[serde(
        default,
        deserialize_with = "crate::lenient::optional_cents",
        skip_serializing_if = "Option::is_none"
    )]
    pub down_payment_fees: Option<i64>,
    #[serde(
        default,
        deserialize_with = "crate::lenient::optional_cents",
        skip_serializing_if = "Option::is_none"
    )]
    pub instalment_total: Option<i64>,
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

impl PaymentMethods {
    /// Every method of every option, in the server's order.
    pub fn methods(&self) -> impl Iterator<Item = &PaymentMethod> {
        self.payment_options.iter().flat_map(|o| o.methods.iter())
    }

    /// The method with this product code (and campaign, when given).
    pub fn find(&self, product: &str, campaign: Option<&str>) -> Option<&PaymentMethod> {
        self.methods().find(|m| {
            m.product == product && (campaign.is_none() || m.campaign.as_deref() == campaign)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn methods_are_read_and_unknown_fields_kept() {
        let body = json!({"payment_options": [{"title": "Pay later", "methods": [
            {"product": "i1", "campaign": null, "title": "Pay in 7 days",
             "cost": {"setup_fee": 0, "instalment_fee": 0, "down_payment_fees": 0,
                      "instalment_total": 0}, "icon": "<svg/>"}]},
            {"title": "Instalments", "methods": [{"product": "pp3", "title": "3 months",
             "min_amount": 5000, "cost": {"instalment_fee": 300}}]}]});
        let methods: PaymentMethods = serde_json::from_value(body).unwrap();
        let codes: Vec<&str> = methods.methods().map(|m| m.product.as_str()).collect();
        assert_eq!(codes, ["i1", "pp3"]);
        let pp3 = methods.find("pp3", None).unwrap();
        assert_eq!(pp3.cost.as_ref().unwrap().instalment_fee, Some(300));
        assert_eq!(pp3.cost.as_ref().unwrap().setup_fee, None);
        assert_eq!(pp3.min_amount, Some(5000));
        assert_eq!(
            serde_json::to_value(&methods).unwrap()["payment_options"][0]["methods"][0]["icon"],
            "<svg/>"
        );
    }

    #[test]
    fn missing_titles_and_costs_are_absent_not_an_error() {
        let body = json!({"payment_options": [{"methods": [{"product": "i1", "cost": {}}]}, {}]});
        let methods: PaymentMethods = serde_json::from_value(body).unwrap();
        assert_eq!(methods.find("i1", None).unwrap().title, None);
        let again = serde_json::to_value(&methods).unwrap();
        assert_eq!(
            again,
            json!({"payment_options": [
                {"methods": [{"product": "i1", "campaign": null, "cost": {}}]},
                {"methods": []}
            ]})
        );
        // What the flows need stays required.
        let no_code = json!({"payment_options": [{"methods": [{"title": "x"}]}]});
        assert!(serde_json::from_value::<PaymentMethods>(no_code).is_err());
        assert!(serde_json::from_value::<PaymentMethods>(json!({})).is_err());
    }

    #[test]
    fn a_cost_that_is_not_whole_cents_makes_the_answer_unreadable_never_vanishes() {
        let with = |cost: Value| {
            serde_json::from_value::<PaymentMethods>(json!({"payment_options": [{"methods": [
                {"product": "pp3", "cost": cost}]}]}))
        };
        let read = with(json!({"instalment_fee": "300", "setup_fee": 0.0})).unwrap();
        let cost = read.find("pp3", None).unwrap().cost.clone().unwrap();
        assert_eq!((cost.instalment_fee, cost.setup_fee), (Some(300), Some(0)));
        for fee in [json!(2.5), json!("2,50"), json!(true)] {
            let err = with(json!({ "instalment_fee": fee }))
                .unwrap_err()
                .to_string();
            assert!(err.contains("whole number of cents"), "{fee}: {err}");
        }
    }
}
