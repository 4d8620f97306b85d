//! The cart object: what the part-payment API answers for an order.
//!
//! Field for field as the POS document shows it. Amounts keep the API's own
//! conventions, converted nowhere: the order total is a string with two
//! decimals (`"250.00"`), the items' prices are integer cents (`25000`).
//! Fields the document does not name are kept in `extra`, so nothing the
//! server says is lost when the cart is handed on (to C and PHP as JSON).
//! Only what a flow needs is required (the id, the status, the amounts and
//! their currency, whether the SMS may be sent); a missing display field
//! (a name, the customer's data, a date) is absent in the result.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};
use std::fmt;

/// An order as the part-payment API describes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cart {
    /// The order's id: the `:id` of `send_sms` and `cancel`.
    #[serde(deserialize_with = "crate::lenient::id")]
    pub id: u64,
    /// The shop's own reference, as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    pub status: Status,
    /// The order total as the API writes it, e.g. `"250.00"`; see
    /// [`Cart::total_with_tax_cents`].
    #[serde(deserialize_with = "total")]
    pub total_with_tax: String,
    /// ISO 4217, e.g. `EUR`.
    pub currency: String,
    /// The number the checkout link is texted to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sms_mobile_phone: Option<String>,
    /// Who at the counter created the order, as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator_ref: Option<String>,
    #[serde(default, deserialize_with = "crate::lenient::or_default")]
    pub cart_items: Vec<CartItem>,
    #[serde(default, deserialize_with = "crate::lenient::or_default")]
    pub customer_data: CustomerData,
    /// The seQura solicitation behind the order, once the customer opened
    /// the link; `null` before.
    #[serde(default)]
    pub solicitation: Option<Value>,
    /// The seQura order's uuid, once there is one; `null` before.
    #[serde(default)]
    pub order_uuid: Option<String>,
    /// Set when the order belongs to a subscription: such an order is
    /// cancelled through the subscriptions API, not [`super::Orders::cancel`].
    #[serde(default)]
    pub subscription_id: Option<Value>,
    #[serde(default)]
    pub joint_customer: Option<Value>,
    /// Whether [`super::Orders::send_sms`] may text the link (again).
    pub can_resend_sms: bool,
    /// ISO 8601, e.g. `2024-01-15T10:00:00.000Z`.
    #[serde(
        default,
        deserialize_with = "crate::lenient::or_default",
        skip_serializing_if = "Option::is_none"
    )]
    pub created_at: Option<String>,
    /// Every field the document does not name, as the server sent it.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Cart {
    /// The order total in cents, read from `total_with_tax` when it holds
    /// a whole number of cents as decimal digits and at most one point
    /// (`"250.00"`, as the API documents it, or `"250"`: 25000; no sign,
    /// no space); `None` otherwise (`"250.001"`), never a guess.
    pub fn total_with_tax_cents(&self) -> Option<i64> {
        cents_of(&self.total_with_tax)
    }
}

/// One line of the cart, as the server stored it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "SentItem")]
pub struct CartItem {
    pub reference: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Integer cents, e.g. `25000`.
    pub price_with_tax: i64,
    pub quantity: i64,
    /// `price_with_tax * quantity`, integer cents; `None` when absent, or
    /// when written as no whole number of cents (`250.5`, `"250.00"`):
    /// then the server's value is in `extra`, as it came.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_with_tax: Option<i64>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A cart line as the server wrote it. The order exists once a cart is
/// answered, so an item's total it wrote otherwise than in cents (which
/// no flow reads) must neither make the answer unreadable nor vanish.
#[derive(Deserialize)]
struct SentItem {
    reference: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(deserialize_with = "crate::lenient::integer")]
    price_with_tax: i64,
    #[serde(deserialize_with = "crate::lenient::integer")]
    quantity: i64,
    #[serde(default)]
    total_with_tax: Option<Value>,
    #[serde(flatten)]
    extra: Map<String, Value>,
}

impl From<SentItem> for CartItem {
    fn from(sent: SentItem) -> CartItem {
        let mut extra = sent.extra;
        let total_with_tax = sent.total_with_tax.and_then(|value| {
            let cents = crate::lenient::integer_of(&value);
            if cents.is_none() && !value.is_null() {
                extra.insert("total_with_tax".into(), value);
            }
            cents
        });
        CartItem {
            reference: sent.reference,
            name: sent.name,
            price_with_tax: sent.price_with_tax,
            quantity: sent.quantity,
            total_with_tax,
            extra,
        }
    }
}

/// The customer as seQura recorded them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CustomerData {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given_names: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub surnames: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nin: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Date of birth, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dob: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Where an order is in its life. `pending` until the customer signs,
/// then `confirmed`; `cancelled` once cancelled. Any other status the
/// server names is kept as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Pending,
    Confirmed,
    Cancelled,
    Other(String),
}

impl Status {
    pub fn as_str(&self) -> &str {
        match self {
            Status::Pending => "pending",
            Status::Confirmed => "confirmed",
            Status::Cancelled => "cancelled",
            Status::Other(other) => other,
        }
    }

    fn parse(text: &str) -> Status {
        match text {
            "pending" => Status::Pending,
            "confirmed" => Status::Confirmed,
            "cancelled" => Status::Cancelled,
            other => Status::Other(other.to_string()),
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Status {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Status {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Status, D::Error> {
        let text = String::deserialize(deserializer)?;
        Ok(Status::parse(&text))
    }
}

/// The order total: text (or a number, as its JSON text) that holds a
/// whole number of cents ([`cents_of`]); anything else (`"-250.00"`,
/// `"abc"`, a fraction of a cent) is refused, as money is never taken
/// unread.
fn total<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let text = crate::lenient::text(deserializer)?;
    match cents_of(&text) {
        Some(_) => Ok(text),
        None => Err(serde::de::Error::custom(format_args!(
            "expected the total in euros, digits with at most two decimals (\"250.00\"), found {}",
            crate::redact::quote(&text)
        ))),
    }
}

/// Cents of a decimal money string that holds a whole number of cents:
/// `"250.00"` as the document writes it, and `"250"`, `"250.0"` or
/// `"250.000"` (a number's JSON text, say), all 25000. Digits and at most
/// one point, nothing else (no sign, no space); `None` for a fraction of
/// a cent (`"250.001"`), never a guess.
pub(crate) fn cents_of(text: &str) -> Option<i64> {
    let (units, decimals) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if units.is_empty() || !digits(units) || !digits(decimals) {
        return None;
    }
    let (cents, rest) = decimals.split_at(decimals.len().min(2));
    if text.ends_with('.') || rest.bytes().any(|b| b != b'0') {
        return None;
    }
    let cents = format!("{cents:0<2}");
    units
        .parse::<i64>()
        .ok()?
        .checked_mul(100)?
        .checked_add(cents.parse().ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The response of the POS document, as written there.
    fn seed_cart() -> Value {
        json!({
            "id": 4567, "reference": "pos_1234", "status": "pending",
            "total_with_tax": "250.00", "currency": "EUR",
            "sms_mobile_phone": "+34666123456", "operator_ref": "operator@example.com",
            "cart_items": [{"reference": "FRAME-001", "name": "Designer Frame",
                            "price_with_tax": 25000, "quantity": 1, "total_with_tax": 25000}],
            "customer_data": {"given_names": "María", "surnames": "García López",
                              "nin": "12345678A", "email": "", "phone": "+34666123456",
                              "dob": "1990-01-01"},
            "solicitation": null, "order_uuid": null, "subscription_id": null,
            "joint_customer": null, "can_resend_sms": true,
            "created_at": "2024-01-15T10:00:00.000Z"
        })
    }

    #[test]
    fn the_seed_cart_reads_as_typed_data_and_back_unchanged() {
        let cart: Cart = serde_json::from_value(seed_cart()).unwrap();
        assert_eq!(cart.id, 4567);
        assert_eq!(cart.status, Status::Pending);
        assert_eq!(cart.total_with_tax_cents(), Some(25000));
        assert_eq!(cart.cart_items[0].price_with_tax, 25000);
        assert_eq!(cart.customer_data.dob.as_deref(), Some("1990-01-01"));
        assert!(cart.can_resend_sms && cart.extra.is_empty());
        assert_eq!(serde_json::to_value(&cart).unwrap(), seed_cart());
    }

    #[test]
    fn unknown_fields_and_statuses_are_kept() {
        let mut body = seed_cart();
        body["status"] = json!("completed");
        body["store_ref"] = json!("store_1");
        let cart: Cart = serde_json::from_value(body.clone()).unwrap();
        assert_eq!(cart.status, Status::Other("completed".into()));
        assert_eq!(cart.extra["store_ref"], "store_1");
        assert_eq!(serde_json::to_value(&cart).unwrap(), body);
    }

    #[test]
    fn display_fields_may_be_missing_from_an_answer() {
        let mut body = seed_cart();
        let object = body.as_object_mut().unwrap();
        for display in [
            "created_at",
            "customer_data",
            "sms_mobile_phone",
            "operator_ref",
        ] {
            object.remove(display);
        }
        body["cart_items"][0]
            .as_object_mut()
            .unwrap()
            .remove("name");
        let cart: Cart = serde_json::from_value(body.clone()).unwrap();
        assert_eq!(cart.created_at, None);
        assert_eq!(cart.cart_items[0].name, None);
        let again = serde_json::to_value(&cart).unwrap();
        assert!(again.get("created_at").is_none());
        assert!(again["cart_items"][0].get("name").is_none());
        // What a flow needs stays required.
        for needed in ["id", "status", "total_with_tax", "can_resend_sms"] {
            let mut body = seed_cart();
            body.as_object_mut().unwrap().remove(needed);
            assert!(serde_json::from_value::<Cart>(body).is_err(), "{needed}");
        }
    }

    #[test]
    fn an_answer_written_another_plausible_way_is_read() {
        // An id or amounts as text, a total as a number, an empty object
        // as PHP writes it ([]) and null for none: the order was created,
        // and its answer must not be lost to its spelling.
        let mut body = seed_cart();
        body["id"] = json!("4567");
        body["total_with_tax"] = json!(250.5);
        body["customer_data"] = json!([]);
        body["cart_items"][0]["price_with_tax"] = json!("25000");
        body["cart_items"][0]["total_with_tax"] = json!("25000");
        let cart: Cart = serde_json::from_value(body).unwrap();
        assert_eq!(cart.id, 4567);
        assert_eq!(cart.total_with_tax, "250.5");
        assert_eq!(cart.total_with_tax_cents(), Some(25050));
        assert_eq!(cart.customer_data, CustomerData::default());
        assert_eq!(cart.cart_items[0].price_with_tax, 25000);
        assert_eq!(cart.cart_items[0].total_with_tax, Some(25000));
        let mut body = seed_cart();
        body["cart_items"] = json!(null);
        body["customer_data"] = json!(null);
        let cart: Cart = serde_json::from_value(body).unwrap();
        assert!(cart.cart_items.is_empty());
    }

    /// An item's total of no whole cents is no total in cents, and no
    /// reason to lose the order's answer either: it is handed on as the
    /// server wrote it.
    #[test]
    fn an_item_total_of_no_whole_cents_is_kept_as_it_came() {
        let mut body = seed_cart();
        body["cart_items"][0]["total_with_tax"] = json!(null);
        let cart: Cart = serde_json::from_value(body).unwrap();
        assert_eq!(cart.cart_items[0].total_with_tax, None);
        assert!(cart.cart_items[0].extra.is_empty());
        for total in [json!(250.5), json!("250.00"), json!(true)] {
            let mut body = seed_cart();
            body["cart_items"][0]["total_with_tax"] = total.clone();
            let cart: Cart = serde_json::from_value(body).unwrap();
            let item = &cart.cart_items[0];
            assert_eq!(item.total_with_tax, None, "{total}");
            assert_eq!(item.extra["total_with_tax"], total);
            let again = serde_json::to_value(&cart).unwrap();
            assert_eq!(again["cart_items"][0]["total_with_tax"], total);
        }
    }

    #[test]
    fn a_total_that_is_no_amount_in_cents_is_refused_never_handed_on() {
        let long = format!("1\n\u{1b}[2J{}", "9".repeat(5000));
        for total in [
            json!("-250.00"),
            json!("abc"),
            json!("99999999999999999999.00"),
            json!(250.505),
            json!(long),
        ] {
            let mut body = seed_cart();
            body["total_with_tax"] = total.clone();
            let err = serde_json::from_value::<Cart>(body)
                .unwrap_err()
                .to_string();
            assert!(
                err.contains("expected the total in euros"),
                "{total}: {err}"
            );
            assert!(err.len() < 300, "{err}");
        }
    }

    #[test]
    fn money_strings_are_read_when_they_hold_whole_cents() {
        for (text, cents) in [
            ("250.00", 25000),
            ("0.05", 5),
            ("250", 25000),
            ("250.0", 25000),
            ("250.000", 25000),
            ("250.5", 25050),
        ] {
            assert_eq!(cents_of(text), Some(cents), "{text}");
        }
        for bad in [
            "250.001", "250.", "-1.00", "+250.00", "250.00 ", " 250.00", "1,00", ".50", "2a.00",
            "1.0.0", "",
        ] {
            assert_eq!(cents_of(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_money_string_past_the_largest_amount_in_cents_is_none() {
        assert_eq!(cents_of("92233720368547758.07"), Some(i64::MAX));
        assert_eq!(cents_of("92233720368547758.08"), None);
        assert_eq!(cents_of("92233720368547759.00"), None);
        assert_eq!(cents_of("99999999999999999999.00"), None);
    }
}
