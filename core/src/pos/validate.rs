//! What a part-payment order must be before it is sent: every problem at
//! once, each at its path (`cart_items[1].price_with_tax`) with a sentence
//! that says what to send instead.
//!
//! The rules come from the POS document: the documented fields are required;
//! `price_with_tax` is integer cents (`25000`; the API answers totals as
//! strings like `"250.00"`, but takes cents, and a string is never
//! converted here); quantities are positive integers; the items are
//! standard products, never subscription items; the customer's mobile
//! phone and identity document number (a DNI, an NIE or a passport's) are
//! plausible, so that the SMS reaches someone who can sign.
//!
//! The order is described once, in the tables below: which fields there
//! are, which are required and what each holds.

use crate::error::Problem;
use crate::redact::quote;
use crate::redact::PathKey;
use crate::validate::date::{is_date, today};
use crate::validate::id::other_merchant_problem;
use crate::validate::money::{self, Sum};
use crate::validate::text::{
    describe, describe_personal, integer_keys_problem, is_blank, is_email, not_a_list_problem,
    suggestion,
};
use crate::validate::{size, Problems};
use serde_json::{Map, Value};

/// What a field holds.
#[derive(Clone, Copy)]
enum Kind {
    /// A non-blank string.
    Text,
    /// `merchant.id`: a non-blank string, the client's merchant when a
    /// client checks the order.
    MerchantId,
    /// A mobile phone ([`mobile_phone_problem`]).
    Phone,
    /// A Spanish national id ([`nin_problem`]).
    Nin,
    /// `YYYY-MM-DD`, a past day.
    DateOfBirth,
    /// An e-mail address, or empty.
    Email,
    /// Integer cents, not negative.
    Price,
    /// An integer above 0.
    Quantity,
    /// An item's type: a string, never a subscription's.
    ItemType,
    Object(&'static [Field]),
    /// The cart: a non-empty list of items.
    Items(&'static [Field]),
}

#[derive(Clone, Copy)]
struct Field {
    name: &'static str,
    required: bool,
    kind: Kind,
}

const fn req(name: &'static str, kind: Kind) -> Field {
    Field {
        name,
        required: true,
        kind,
    }
}

const fn opt(name: &'static str, kind: Kind) -> Field {
    Field {
        name,
        required: false,
        kind,
    }
}

/// The order, as the POS document names its fields (`email` is the one optional
/// field: the answer's `customer_data` carries it), in the order problems
/// are reported: who sells, who buys, how to reach them, what they buy.
const ORDER: &[Field] = &[
    req("merchant", Kind::Object(MERCHANT)),
    req("operator_ref", Kind::Text),
    req("reference", Kind::Text),
    req("given_names", Kind::Text),
    req("surnames", Kind::Text),
    req("address", Kind::Text),
    req("postal_code", Kind::Text),
    req("city", Kind::Text),
    req("mobile_phone", Kind::Phone),
    req("nin", Kind::Nin),
    req("date_of_birth", Kind::DateOfBirth),
    opt("email", Kind::Email),
    req("cart_items", Kind::Items(ITEM)),
];

const MERCHANT: &[Field] = &[req("id", Kind::MerchantId), req("store_ref", Kind::Text)];

/// `type` is read only to refuse subscription items.
const ITEM: &[Field] = &[
    req("reference", Kind::Text),
    req("name", Kind::Text),
    req("price_with_tax", Kind::Price),
    req("quantity", Kind::Quantity),
    opt("type", Kind::ItemType),
];

/// Keys only subscription items have (the POS document's subscriptions API).
const SUBSCRIPTION_KEYS: [&str; 2] = ["subscription_vat_rate", "items"];

/// "an integer number of cents", with an example.
const CENTS: &str = "an integer number of cents (e.g. 25000 for 250.00)";

/// Every problem of `order`; empty when it can be sent. Keys the document
/// does not name are reported (they are usually typos) unless
/// `allow_unknown_keys`. `merchant` is the client's, which the request
/// names and `merchant.id` must equal (`None` for an order checked on its
/// own). An order over the bound of a small document (10 000 values,
/// 1 MiB of text, 64 levels: `size::SMALL_DOCUMENT`) gets one problem and
/// is not checked.
pub fn validate(order: &Value, allow_unknown_keys: bool, merchant: Option<&str>) -> Vec<Problem> {
    if let Err(too_large) = size::check(order, &size::SMALL_DOCUMENT, "order") {
        return vec![too_large];
    }
    let mut check = Check {
        problems: Problems::new(),
        allow_unknown_keys,
        merchant,
        total: Sum::ZERO,
    };
    match as_object(order) {
        Some(order) => check.object(&order, "", ORDER, &[]),
        None => check.problem(
            "order",
            format!("must be an object, not {}", describe(order)),
        ),
    }
    crate::validate::text::nul_problems(order, "", &mut check.problems);
    check.problems.finish("order")
}

/// Why `text` is not a plausible mobile phone, or `None` when it is: digits
/// with an optional leading `+` (or `00`); a Spanish number (no prefix,
/// `+34` or `0034`) has 9 digits and starts with 6 or 7; another country's
/// has 8 to 15 digits with its prefix, as E.164 allows.
pub fn mobile_phone_problem(text: &str) -> Option<String> {
    let example = "e.g. +34666123456";
    let (international, digits) = match text.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => match text.strip_prefix("00") {
            Some(rest) => (true, rest),
            None => (false, text),
        },
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Some(format!(
            "is not a phone number: write digits only, with an optional leading + ({example}); no spaces, dashes or brackets"
        ));
    }
    let spanish = match (international, digits.strip_prefix("34")) {
        (false, _) => Some(digits),
        (true, Some(national)) => Some(national),
        (true, None) => None,
    };
    match spanish {
        Some(national) => {
            let mobile = national.len() == 9 && national.starts_with(['6', '7']);
            (!mobile).then(|| {
                format!(
                    "is not a Spanish mobile number: it needs 9 digits starting with 6 or 7 ({example}); for another country, start with + and its prefix"
                )
            })
        }
        None => (!(8..=15).contains(&digits.len())).then(|| {
            format!(
                "is not a mobile number: with its country prefix it has 8 to 15 digits ({example})"
            )
        }),
    }
}

/// Why `text` is not a plausible identity document number, or `None` when
/// it is: 5 to 20 ASCII letters and digits, at least one a digit: a DNI
/// (`12345678Z`), an NIE (`X1234567L`) or a foreign customer's passport
/// (`AB1234567`). The DNI/NIE check letter is not verified: the POS
/// document's own order carries `12345678A` (12345678 needs Z) and the
/// API's answer takes it, so the server does not require it either.
pub fn nin_problem(text: &str) -> Option<String> {
    const SHAPE: &str = "an identity document number: a DNI (8 digits and a letter, e.g. 12345678Z), an NIE (X, Y or Z, 7 digits and a letter) or a passport number, letters and digits only";
    let bytes = text.as_bytes();
    let plausible = (5..=20).contains(&bytes.len())
        && bytes.iter().all(u8::is_ascii_alphanumeric)
        && bytes.iter().any(u8::is_ascii_digit);
    (!plausible).then(|| format!("is not {SHAPE}"))
}

struct Check<'m> {
    problems: Problems,
    allow_unknown_keys: bool,
    /// The client's merchant, which `merchant.id` must be.
    merchant: Option<&'m str>,
    /// The sum of the items' `price_with_tax × quantity`.
    total: Sum,
}

impl Check<'_> {
    fn problem(&mut self, path: impl std::fmt::Display, message: impl Into<String>) {
        self.problems.push(path, message);
    }

    /// Checks `object` against `fields`; `prefix` is its path and a dot.
    /// `read_apart` are keys that are not fields but are read (and
    /// reported) apart.
    fn object(
        &mut self,
        object: &Map<String, Value>,
        prefix: &str,
        fields: &[Field],
        read_apart: &[&str],
    ) {
        self.unknown_keys(object, prefix, fields, read_apart);
        for field in fields {
            let path = format_args!("{prefix}{}", field.name);
            match object.get(field.name).filter(|v| !v.is_null()) {
                None if field.required => {
                    let message = missing(field.kind);
                    self.problem(path, message)
                }
                None => {}
                Some(value) => self.value(value, &path.to_string(), field.kind),
            }
        }
    }

    fn value(&mut self, value: &Value, path: &str, kind: Kind) {
        match kind {
            Kind::Text | Kind::Phone | Kind::Nin => {
                let Some(text) = self.text(value, path) else {
                    return;
                };
                let problem = match kind {
                    Kind::Phone => mobile_phone_problem(text),
                    Kind::Nin => nin_problem(text),
                    _ => None,
                };
                if let Some(problem) = problem {
                    self.problem(path, problem);
                }
            }
            Kind::MerchantId => {
                let Some(id) = self.text(value, path) else {
                    return;
                };
                if let Some(merchant) = self.merchant.filter(|&merchant| merchant != id) {
                    self.problem(path, other_merchant_problem(&describe(value), merchant));
                }
            }
            Kind::DateOfBirth => self.date_of_birth(value, path),
            Kind::Email => match value {
                Value::String(email) if email.is_empty() || is_email(email) => {}
                Value::String(_) => {
                    self.problem(path, "is not an email address like name@example.com")
                }
                other => self.problem(
                    path,
                    format!("must be a string, not {}", shown(other, path)),
                ),
            },
            Kind::Price | Kind::Quantity | Kind::ItemType => {} // read with their item
            Kind::Object(fields) => match as_object(value) {
                Some(object) => self.object(&object, &format!("{path}."), fields, &[]),
                None => self.problem(path, format!("must be an object, not {}", describe(value))),
            },
            Kind::Items(fields) => self.cart_items(value, path, fields),
        }
    }

    /// A non-blank string, or a problem.
    fn text<'v>(&mut self, value: &'v Value, path: &str) -> Option<&'v str> {
        match value {
            Value::String(text) if is_blank(text) => self.problem(path, "is empty; it is required"),
            Value::String(text) => return Some(text),
            other => self.problem(
                path,
                format!("must be a string, not {}", shown(other, path)),
            ),
        }
        None
    }

    /// Reports the keys of `object` that `fields` do not name.
    fn unknown_keys(
        &mut self,
        object: &Map<String, Value>,
        prefix: &str,
        fields: &[Field],
        read_apart: &[&str],
    ) {
        if self.allow_unknown_keys {
            return;
        }
        let known = |key: &str| fields.iter().any(|f| f.name == key) || read_apart.contains(&key);
        for key in object.keys().filter(|k| !known(k)) {
            if self.problems.is_full() {
                self.problem("", "");
                continue;
            }
            let names: Vec<&str> = fields.iter().map(|f| f.name).collect();
            let typo = match suggestion(key.as_bytes(), names.iter().copied()) {
                Some(name) => format!("did you mean {name}?"),
                None => "a typo?".to_string(),
            };
            self.problem(
                format_args!("{prefix}{}", PathKey(key.as_bytes())),
                format!(
                    "is not a field of a part-payment order ({typo}); the fields here are {}; set the allow_unknown_keys option to send it anyway",
                    names.join(", ")
                ),
            );
        }
    }

    fn date_of_birth(&mut self, value: &Value, path: &str) {
        match value {
            Value::String(date) if !is_date(date) => {
                self.problem(path, "is not a date written YYYY-MM-DD, e.g. 1990-01-31")
            }
            Value::String(date) if date.as_str() < "1900-01-01" => {
                self.problem(path, "is before 1900; check the year")
            }
            Value::String(date) if date.as_str() > today().as_str() => {
                self.problem(path, "is in the future; check the year")
            }
            Value::String(_) => {}
            other => self.problem(
                path,
                format!("must be a string YYYY-MM-DD, not {}", shown(other, path)),
            ),
        }
    }

    fn cart_items(&mut self, value: &Value, path: &str, fields: &[Field]) {
        let items = self.elements(value, path);
        if value.as_array().is_some_and(Vec::is_empty) {
            self.problem(path, "is empty; the order needs at least one item");
        }
        for (label, item) in items {
            let at = format!("{path}{label}");
            let Some(item) = as_object(item) else {
                self.problem(&at, format!("must be an object, not {}", describe(item)));
                let _ = self.total.add(None);
                continue;
            };
            self.item(&item, &at, fields);
        }
        if self.total == Sum::ZERO && value.as_array().is_some_and(|list| !list.is_empty()) {
            self.problem(
                path,
                "add up to 0; a part-payment order needs an amount to pay in instalments",
            );
        }
    }

    /// Checks one item, and adds its line to the total.
    fn item(&mut self, item: &Map<String, Value>, path: &str, fields: &[Field]) {
        let subscription_type = match item.get("type") {
            Some(Value::String(kind)) if kind.contains("subscription") => Some(kind.as_str()),
            _ => None,
        };
        let subscription_keys: Vec<&str> = SUBSCRIPTION_KEYS
            .into_iter()
            .filter(|k| item.contains_key(*k))
            .collect();
        if let Some(kind) = subscription_type {
            self.problem(
                format!("{path}.type"),
                format!("is {}, a subscription item; a part-payment order takes standard products from your catalogue only (create subscriptions with the subscriptions API)", quote(kind)),
            );
        } else if !subscription_keys.is_empty() {
            self.problem(
                path,
                format!("has {}, so it is a subscription item; a part-payment order takes standard products from your catalogue only (create subscriptions with the subscriptions API)", subscription_keys.join(" and ")),
            );
        }
        if let Some(kind) = item.get("type").filter(|k| !k.is_string() && !k.is_null()) {
            self.problem(
                format!("{path}.type"),
                format!("must be a string, not {}", describe(kind)),
            );
        }
        self.object(item, &format!("{path}."), fields, &SUBSCRIPTION_KEYS);
        let price = self.price(
            item.get("price_with_tax"),
            &format!("{path}.price_with_tax"),
        );
        let quantity = self.quantity(item.get("quantity"), &format!("{path}.quantity"));
        let line = match (price, quantity) {
            (Some(price), Some(quantity)) => match price.checked_mul(quantity) {
                Some(line) => Some(line),
                None => {
                    self.problem(
                        path,
                        format!("price_with_tax × quantity ({price} × {quantity}) is beyond what an amount in cents can be; check them"),
                    );
                    None
                }
            },
            _ => None,
        };
        if self.total.add(line) {
            self.problem(
                path,
                money::overflow_message("cart_items[] price_with_tax × quantity"),
            );
        }
    }

    /// Integer cents, not negative (a missing one is reported with the
    /// required fields).
    fn price(&mut self, value: Option<&Value>, path: &str) -> Option<i64> {
        match value? {
            Value::Null => {}
            Value::Number(n) => match n.as_i64() {
                Some(amount) if amount >= 0 => return Some(amount),
                Some(_) => self.problem(path, format!("is negative; it must be {CENTS}")),
                None => self.problem(path, money::not_cents_message(n)),
            },
            Value::String(text) => {
                let hint = match crate::pos::cart::cents_of(text) {
                    Some(cents) => format!(" ({} is {cents} cents: send {cents})", quote(text)),
                    None => String::new(),
                };
                self.problem(
                    path,
                    format!("is the string {}; it must be {CENTS}{hint}: the part-payment API takes cents in orders and only answers totals as strings", quote(text)),
                );
            }
            other => self.problem(path, format!("must be {CENTS}, not {}", describe(other))),
        }
        None
    }

    fn quantity(&mut self, value: Option<&Value>, path: &str) -> Option<i64> {
        match value? {
            Value::Null => {}
            Value::Number(n) => match n.as_i64() {
                Some(quantity) if quantity > 0 => return Some(quantity),
                Some(0) => self.problem(
                    path,
                    "is 0; it must be a positive integer (remove the item instead of sending 0)",
                ),
                Some(quantity) => self.problem(
                    path,
                    format!("is {quantity}; it must be a positive integer"),
                ),
                None => self.problem(path, format!("is {n}; it must be a positive integer")),
            },
            other => self.problem(
                path,
                format!("must be a positive integer, not {}", describe(other)),
            ),
        }
        None
    }

    /// The elements of what should be a list, each with its label (`[2]`).
    /// A JSON object whose keys are all integers is what PHP's
    /// `json_encode` makes of an array with gaps: it is reported, and its
    /// elements are still checked under their keys so that every other
    /// problem shows too. Anything else is reported and has no elements.
    fn elements<'v>(&mut self, value: &'v Value, path: &str) -> Vec<(String, &'v Value)> {
        match value {
            Value::Array(list) => list
                .iter()
                .enumerate()
                .map(|(i, v)| (format!("[{i}]"), v))
                .collect(),
            Value::Object(map)
                if !map.is_empty() && map.keys().all(|k| k.parse::<u64>().is_ok()) =>
            {
                let keys = map.keys().map(|k| PathKey(k.as_bytes()).to_string());
                self.problem(path, integer_keys_problem(keys, map.len()));
                map.iter()
                    .map(|(k, v)| (format!("[{}]", PathKey(k.as_bytes())), v))
                    .collect()
            }
            other => {
                self.problem(path, not_a_list_problem(other));
                Vec::new()
            }
        }
    }
}

/// What a missing required field of `kind` needs.
fn missing(kind: Kind) -> String {
    match kind {
        Kind::Object(_) => {
            "is required: {\"id\": ..., \"store_ref\": ...}, as seQura's onboarding gave them"
                .into()
        }
        Kind::DateOfBirth => "is required (YYYY-MM-DD)".into(),
        Kind::Items(_) => {
            "is required: a list of {\"reference\", \"name\", \"price_with_tax\", \"quantity\"}"
                .into()
        }
        Kind::Price => format!("is required: {CENTS}"),
        Kind::Quantity => "is required: a positive integer".into(),
        _ => "is required (a string)".into(),
    }
}

/// `value` as a problem at `path` shows it: never what a personal field
/// (the customer's name, phone, id number, birth date) holds.
fn shown(value: &Value, path: &str) -> String {
    let field = path.rsplit('.').next().unwrap_or(path);
    if crate::log::is_personal(field) {
        describe_personal(value)
    } else {
        describe(value)
    }
}

/// The object `value` is. An empty list counts as an empty object: PHP's
/// `array()` cannot tell them apart and `json_encode` writes `[]`.
fn as_object(value: &Value) -> Option<std::borrow::Cow<'_, Map<String, Value>>> {
    match value {
        Value::Object(map) => Some(std::borrow::Cow::Borrowed(map)),
        Value::Array(list) if list.is_empty() => Some(std::borrow::Cow::Owned(Map::new())),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The order of the POS document (with a DNI whose check letter is
    /// right; the document's own `12345678A` is taken too).
    fn order() -> Value {
        json!({
            "merchant": {"id": "merchant_1", "store_ref": "store_1"},
            "operator_ref": "operator@example.com",
            "reference": "pos_1234",
            "mobile_phone": "+34666123456",
            "given_names": "María",
            "surnames": "García López",
            "date_of_birth": "1990-01-01",
            "nin": "12345678Z",
            "address": "Calle Mayor 1",
            "postal_code": "08001",
            "city": "Barcelona",
            "cart_items": [{"reference": "FRAME-001", "name": "Designer Frame",
                            "price_with_tax": 25000, "quantity": 1}]
        })
    }

    fn paths(order: &Value) -> Vec<String> {
        validate(order, false, None)
            .into_iter()
            .map(|p| p.path)
            .collect()
    }

    #[test]
    fn the_seed_order_is_valid() {
        assert_eq!(validate(&order(), false, None), vec![]);
    }

    #[test]
    fn no_text_may_hold_a_nul() {
        let mut order = order();
        order["given_names"] = json!("Ma\u{0}ría");
        order["cart_items"][0]["name"] = json!("\u{0}");
        let problems = validate(&order, false, None);
        assert_eq!(paths(&order), ["cart_items[0].name", "given_names"]);
        assert!(problems
            .iter()
            .all(|p| p.message.starts_with("holds a NUL character (U+0000)")));
    }

    #[test]
    fn a_client_takes_only_its_own_merchants_orders() {
        assert_eq!(validate(&order(), false, Some("merchant_1")), vec![]);
        let problems = validate(&order(), false, Some("merchant_2"));
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].path, "merchant.id");
        assert!(
            problems[0]
                .message
                .contains("\"merchant_2\", which the request names"),
            "{}",
            problems[0].message
        );
    }

    #[test]
    fn the_documents_own_national_id_is_taken_though_its_check_letter_is_wrong() {
        let mut order = order();
        order["nin"] = json!("12345678A");
        assert_eq!(validate(&order, false, None), vec![]);
    }

    #[test]
    fn every_problem_is_reported_at_once_with_its_path() {
        let mut order = order();
        order.as_object_mut().unwrap().remove("surnames");
        order["merchant"] = json!({"id": "merchant_1"});
        order["cart_items"] = json!([
            {"reference": "A", "name": "Frame", "price_with_tax": 100, "quantity": 1},
            {"reference": "B", "name": "Lens", "price_with_tax": "250.00", "quantity": 0},
            {"reference": "C", "name": "Glasses plan", "type": "material_subscription",
             "price_with_tax": 35000, "quantity": 1, "subscription_vat_rate": 2100}
        ]);
        assert_eq!(
            paths(&order),
            [
                "merchant.store_ref",
                "surnames",
                "cart_items[1].price_with_tax",
                "cart_items[1].quantity",
                "cart_items[2].type",
            ]
        );
        let problems = validate(&order, false, None);
        assert!(
            problems[2].message.contains("send 25000"),
            "{}",
            problems[2].message
        );
    }

    #[test]
    fn a_package_is_a_subscription_item_even_without_a_type() {
        let mut order = order();
        order["cart_items"][0]["items"] = json!([]);
        let problems = validate(&order, false, None);
        assert_eq!(problems[0].path, "cart_items[0]");
        assert!(problems[0].message.contains("subscription item"));
    }

    #[test]
    fn unknown_keys_are_typos_unless_allowed() {
        let mut order = order();
        order["given_name"] = json!("María");
        order["cart_items"][0]["colour"] = json!("red");
        assert_eq!(paths(&order), ["given_name", "cart_items[0].colour"]);
        let problems = validate(&order, false, None);
        // A field's name two edits away is suggested, as in the seQura order.
        assert!(problems[0].message.starts_with(
            "is not a field of a part-payment order (did you mean given_names?); the fields here are merchant, "
        ), "{}", problems[0].message);
        assert!(
            problems[1].message.contains("(a typo?)"),
            "{}",
            problems[1].message
        );
        assert_eq!(validate(&order, true, None), vec![]);
    }

    #[test]
    fn amounts_are_integer_cents_and_quantities_positive_integers() {
        let mut order = order();
        order["cart_items"][0]["price_with_tax"] = json!(250.5);
        order["cart_items"][0]["quantity"] = json!("1");
        assert_eq!(
            paths(&order),
            ["cart_items[0].price_with_tax", "cart_items[0].quantity"]
        );
        order["cart_items"][0]["price_with_tax"] = json!(-1);
        order["cart_items"][0]["quantity"] = json!(1.5);
        assert_eq!(
            paths(&order),
            ["cart_items[0].price_with_tax", "cart_items[0].quantity"]
        );
        order["cart_items"][0]["price_with_tax"] = json!(0);
        order["cart_items"][0]["quantity"] = json!(1);
        assert_eq!(paths(&order), ["cart_items"]);
        order["cart_items"][0]["price_with_tax"] = json!(i64::MAX);
        order["cart_items"][0]["quantity"] = json!(2);
        assert_eq!(paths(&order), ["cart_items[0]"]);
    }

    #[test]
    fn lines_that_add_up_past_i64_are_a_problem() {
        let mut order = order();
        order["cart_items"] = json!([
            {"reference": "A", "name": "Frame", "price_with_tax": i64::MAX, "quantity": 1},
            {"reference": "B", "name": "Lens", "price_with_tax": 1, "quantity": 1}
        ]);
        let problems = validate(&order, false, None);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].path, "cart_items[1]");
        assert!(problems[0].message.contains("past 9223372036854775807"));
        order["cart_items"][0]["price_with_tax"] = json!(u64::MAX);
        assert_eq!(paths(&order), ["cart_items[0].price_with_tax"]);
    }

    #[test]
    fn cart_items_must_be_a_non_empty_list() {
        let mut order = order();
        order["cart_items"] = json!([]);
        assert_eq!(paths(&order), ["cart_items"]);
        order["cart_items"] = json!({"0": {}, "2": {}});
        let found = paths(&order);
        assert_eq!(found[0], "cart_items");
        assert!(found.contains(&"cart_items[2].reference".to_string()));
        assert_eq!(paths(&json!("order")), ["order"]);
    }

    #[test]
    fn mobile_phones_are_plausible() {
        for good in [
            "+34666123456",
            "666123456",
            "0034712345678",
            "+447700900123",
            "+4915123456789",
        ] {
            assert_eq!(mobile_phone_problem(good), None, "{good}");
        }
        for bad in [
            "+34 666 123 456",
            "912345678",
            "+3466612345",
            "66612345",
            "+12",
            "",
            "+",
            "phone",
        ] {
            let message = mobile_phone_problem(bad).expect(bad);
            // The customer's number is not repeated: shops log problems.
            assert!(!message.contains(&format!("{bad:?}")), "{message}");
        }
    }

    #[test]
    fn identity_numbers_are_plausible_dnis_nies_or_passports() {
        for good in [
            "12345678Z",
            "12345678A",
            "12345678z",
            "X1234567L",
            "Y0000000Z",
            "AB1234567",
            "P12345",
        ] {
            assert_eq!(nin_problem(good), None, "{good}");
        }
        for bad in [
            "",
            "1234",
            "ABCDEFGHZ",
            "1234567ñ",
            "12 345 678 Z",
            "12345678-Z",
            "123456789012345678901",
        ] {
            let message = nin_problem(bad).expect(bad);
            assert!(message.contains("identity document number"), "{message}");
            assert!(!message.contains(&format!("{bad:?}")), "{message}");
        }
    }

    #[test]
    fn dates_of_birth_are_real_past_days() {
        let mut order = order();
        for bad in ["1990-02-30", "01/01/1990", "1890-01-01", "2999-01-01"] {
            order["date_of_birth"] = json!(bad);
            assert_eq!(paths(&order), ["date_of_birth"], "{bad}");
        }
        order["date_of_birth"] = json!(19900101);
        assert_eq!(paths(&order), ["date_of_birth"]);
        let problems = validate(&order, false, None);
        assert_eq!(
            problems[0].message,
            "must be a string YYYY-MM-DD, not an integer"
        );
    }

    #[test]
    fn email_is_optional_but_plausible() {
        let mut order = order();
        order["email"] = json!("");
        assert_eq!(paths(&order), Vec::<String>::new());
        order["email"] = json!("maria@example.com");
        assert_eq!(paths(&order), Vec::<String>::new());
        order["email"] = json!("maria@example");
        assert_eq!(paths(&order), ["email"]);
    }
}
