//! What a part-payment order must be before it is sent: every problem at
//! once, each at its path (`cart_items[1].price_with_tax`) with a sentence
//! that says what to send instead.
//!
//! The rules come from `seeds/002`: the documented fields are required;
//! `price_with_tax` is integer cents (`25000`; the API answers totals as
//! strings like `"250.00"`, but takes cents, and a string is never
//! converted here); quantities are positive integers; the items are
//! standard products, never subscription items; the customer's mobile
//! phone and national id (a Spanish DNI or NIE, whose check letter is
//! verified) are plausible, so that the SMS reaches someone who can sign.

use crate::error::Problem;
use crate::orders::payload::syntax::is_date;
use serde_json::{Map, Value};
use std::borrow::Cow;

/// The fields of the order, as `seeds/002` names them (`email` is the one
/// optional field: the answer's `customer_data` carries it).
const ORDER_FIELDS: [&str; 13] = [
    "merchant",
    "operator_ref",
    "reference",
    "mobile_phone",
    "given_names",
    "surnames",
    "date_of_birth",
    "nin",
    "address",
    "postal_code",
    "city",
    "email",
    "cart_items",
];
/// The required text fields at the top of the order.
const REQUIRED_TEXT: [&str; 9] = [
    "operator_ref",
    "reference",
    "given_names",
    "surnames",
    "address",
    "postal_code",
    "city",
    "mobile_phone",
    "nin",
];
const MERCHANT_FIELDS: [&str; 2] = ["id", "store_ref"];
/// `type` is read only to refuse subscription items.
const ITEM_FIELDS: [&str; 5] = ["reference", "name", "price_with_tax", "quantity", "type"];
/// Keys only subscription items have (`seeds`' subscriptions API).
const SUBSCRIPTION_KEYS: [&str; 2] = ["subscription_vat_rate", "items"];

/// Every problem of `order`; empty when it can be sent. Keys the document
/// does not name are reported (they are usually typos) unless
/// `allow_unknown_keys`.
pub fn validate(order: &Value, allow_unknown_keys: bool) -> Vec<Problem> {
    let mut check = Check {
        problems: Vec::new(),
        allow_unknown_keys,
    };
    match as_object(order) {
        Some(order) => check.order(&order),
        None => check.problem(
            "order",
            format!("must be an object, not {}", describe(order)),
        ),
    }
    check.problems
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
            "{text:?} is not a phone number: write digits only, with an optional leading + ({example}); no spaces, dashes or brackets"
        ));
    }
    let spanish = match (international, digits.strip_prefix("34")) {
        (false, _) => Some(digits),
        (true, Some(national)) => Some(national),
        (true, None) => None,
    };
    match spanish {
        Some(national) => {
            let mobile = national.len() == 9 && matches!(national.as_bytes()[0], b'6' | b'7');
            (!mobile).then(|| {
                format!(
                    "{text:?} is not a Spanish mobile number: it needs 9 digits starting with 6 or 7 ({example}); for another country, start with + and its prefix"
                )
            })
        }
        None => (!(8..=15).contains(&digits.len())).then(|| {
            format!("{text:?} is not a mobile number: with its country prefix it has 8 to 15 digits ({example})")
        }),
    }
}

/// Why `text` is not a Spanish national id, or `None` when it is a DNI
/// (8 digits and a letter) or NIE (X, Y or Z, 7 digits and a letter) whose
/// check letter is right. The letter may be in either case.
pub fn nin_problem(text: &str) -> Option<String> {
    const LETTERS: &[u8; 23] = b"TRWAGMYFPDXBNJZSQVHLCKE";
    let shape = "a DNI (8 digits and a letter, e.g. 12345678Z) or an NIE (X, Y or Z, 7 digits and a letter, e.g. X1234567L)";
    let bytes = text.as_bytes();
    if !text.is_ascii() {
        return Some(format!("{text:?} is not {shape}"));
    }
    let (number, kind) = match bytes.first().map(u8::to_ascii_uppercase) {
        Some(prefix @ (b'X' | b'Y' | b'Z')) if bytes.len() == 9 => {
            let digit = (prefix - b'X' + b'0') as char;
            (format!("{digit}{}", &text[1..8]), "NIE")
        }
        _ if bytes.len() == 9 => (text[..8].to_string(), "DNI"),
        _ => return Some(format!("{text:?} is not {shape}")),
    };
    let letter = bytes[8].to_ascii_uppercase();
    let Ok(value) = number.parse::<u32>() else {
        return Some(format!("{text:?} is not {shape}"));
    };
    if !number.bytes().all(|b| b.is_ascii_digit()) || !letter.is_ascii_alphabetic() {
        return Some(format!("{text:?} is not {shape}"));
    }
    let expected = LETTERS[(value % 23) as usize];
    (letter != expected).then(|| {
        format!(
            "{text:?} is not a valid {kind}: its check letter is {} but the digits need {}; check the document",
            letter as char, expected as char
        )
    })
}

struct Check {
    problems: Vec<Problem>,
    allow_unknown_keys: bool,
}

impl Check {
    fn problem(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem::new(path, message));
    }

    fn order(&mut self, order: &Map<String, Value>) {
        self.unknown_keys(order, "", &ORDER_FIELDS);
        match order.get("merchant") {
            None | Some(Value::Null) => self.problem(
                "merchant",
                "is required: {\"id\": ..., \"store_ref\": ...}, as seQura's onboarding gave them",
            ),
            Some(value) => match as_object(value) {
                Some(merchant) => {
                    self.unknown_keys(&merchant, "merchant", &MERCHANT_FIELDS);
                    for field in MERCHANT_FIELDS {
                        self.text(&merchant, "merchant.", field);
                    }
                }
                None => self.problem(
                    "merchant",
                    format!("must be an object, not {}", describe(value)),
                ),
            },
        }
        for field in REQUIRED_TEXT {
            self.text(order, "", field);
        }
        if let Some(Value::String(phone)) = order.get("mobile_phone") {
            if let Some(problem) = mobile_phone_problem(phone) {
                self.problem("mobile_phone", problem);
            }
        }
        if let Some(Value::String(nin)) = order.get("nin") {
            if let Some(problem) = nin_problem(nin) {
                self.problem("nin", problem);
            }
        }
        self.date_of_birth(order.get("date_of_birth"));
        self.email(order.get("email"));
        self.cart_items(order.get("cart_items"));
    }

    /// A required, non-blank string at `prefix` + `field`.
    fn text(&mut self, object: &Map<String, Value>, prefix: &str, field: &str) {
        let path = format!("{prefix}{field}");
        match object.get(field) {
            None | Some(Value::Null) => self.problem(path, "is required (a string)"),
            Some(Value::String(text)) if text.trim().is_empty() => {
                self.problem(path, "is empty; it is required")
            }
            Some(Value::String(_)) => {}
            Some(other) => self.problem(path, format!("must be a string, not {}", describe(other))),
        }
    }

    fn unknown_keys(&mut self, object: &Map<String, Value>, path: &str, known: &[&str]) {
        if self.allow_unknown_keys {
            return;
        }
        for key in object.keys().filter(|k| !known.contains(&k.as_str())) {
            let at = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            self.problem(
                at,
                format!(
                    "is not a field of a part-payment order (a typo?); the fields here are {}; set the allow_unknown_keys option to send it anyway",
                    known.join(", ")
                ),
            );
        }
    }

    fn date_of_birth(&mut self, value: Option<&Value>) {
        let path = "date_of_birth";
        match value {
            None | Some(Value::Null) => self.problem(path, "is required (YYYY-MM-DD)"),
            Some(Value::String(date)) if !is_date(date) => self.problem(
                path,
                format!("{date:?} is not a date written YYYY-MM-DD, e.g. 1990-01-31"),
            ),
            Some(Value::String(date)) if date.as_str() < "1900-01-01" => {
                self.problem(path, format!("{date:?} is before 1900; check the year"))
            }
            Some(Value::String(date)) if date.as_str() > today().as_str() => {
                self.problem(path, format!("{date:?} is in the future; check the year"))
            }
            Some(Value::String(_)) => {}
            Some(other) => self.problem(
                path,
                format!("must be a string YYYY-MM-DD, not {}", describe(other)),
            ),
        }
    }

    fn email(&mut self, value: Option<&Value>) {
        match value {
            None | Some(Value::Null) => {}
            Some(Value::String(email)) if email.is_empty() => {}
            Some(Value::String(email)) => {
                let plausible = email.split_once('@').is_some_and(|(local, domain)| {
                    !local.is_empty()
                        && !domain.contains('@')
                        && domain.split('.').count() >= 2
                        && domain.split('.').all(|part| !part.is_empty())
                        && !email.contains(char::is_whitespace)
                });
                if !plausible {
                    self.problem(
                        "email",
                        format!("{email:?} is not an email address like name@example.com"),
                    );
                }
            }
            Some(other) => self.problem(
                "email",
                format!("must be a string, not {}", describe(other)),
            ),
        }
    }

    fn cart_items(&mut self, value: Option<&Value>) {
        let Some(value) = value.filter(|v| !v.is_null()) else {
            self.problem(
                "cart_items",
                "is required: a list of {\"reference\", \"name\", \"price_with_tax\", \"quantity\"}",
            );
            return;
        };
        let items = self.elements(value, "cart_items");
        if items.is_empty() && value.is_array() {
            self.problem("cart_items", "is empty; the order needs at least one item");
        }
        // None once an amount is missing or the sum overflows.
        let mut total = Some(0i64);
        for (label, item) in items {
            let path = format!("cart_items{label}");
            let Some(item) = as_object(item) else {
                self.problem(path, format!("must be an object, not {}", describe(item)));
                total = None;
                continue;
            };
            match self.item(&item, &path) {
                Some(line) => total = total.and_then(|t| t.checked_add(line)),
                None => total = None,
            }
        }
        if total == Some(0) && value.as_array().is_some_and(|list| !list.is_empty()) {
            self.problem(
                "cart_items",
                "add up to 0; a part-payment order needs an amount to pay in instalments",
            );
        }
    }

    /// Checks one item; its line total in cents when it has one.
    fn item(&mut self, item: &Map<String, Value>, path: &str) -> Option<i64> {
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
                format!("is {kind:?}, a subscription item; a part-payment order takes standard products from your catalogue only (create subscriptions with the subscriptions API)"),
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
        let mut others = item.clone();
        for key in SUBSCRIPTION_KEYS {
            others.remove(key);
        }
        self.unknown_keys(&others, path, &ITEM_FIELDS);
        self.text(item, &format!("{path}."), "reference");
        self.text(item, &format!("{path}."), "name");
        let price = self.price(
            item.get("price_with_tax"),
            &format!("{path}.price_with_tax"),
        );
        let quantity = self.quantity(item.get("quantity"), &format!("{path}.quantity"));
        let line = price?.checked_mul(quantity?);
        if line.is_none() {
            self.problem(
                path,
                "price_with_tax times quantity is too large a number of cents",
            );
        }
        line
    }

    fn price(&mut self, value: Option<&Value>, path: &str) -> Option<i64> {
        let cents = "an integer number of cents (e.g. 25000 for 250.00)";
        match value {
            None | Some(Value::Null) => self.problem(path, format!("is required: {cents}")),
            Some(Value::Number(n)) => match n.as_i64() {
                Some(amount) if amount >= 0 => return Some(amount),
                Some(_) => self.problem(path, format!("is negative; it must be {cents}")),
                None if n.is_u64() => self.problem(path, "is too large a number of cents"),
                None => self.problem(
                    path,
                    format!("is the decimal number {n}; it must be {cents}"),
                ),
            },
            Some(Value::String(text)) => {
                let hint = match crate::pos::cart::cents_of(text) {
                    Some(cents) => format!(" ({text:?} is {cents} cents: send {cents})"),
                    None => String::new(),
                };
                self.problem(
                    path,
                    format!("is the string {text:?}; it must be {cents}{hint}: the part-payment API takes cents in orders and only answers totals as strings"),
                );
            }
            Some(other) => self.problem(path, format!("must be {cents}, not {}", describe(other))),
        }
        None
    }

    fn quantity(&mut self, value: Option<&Value>, path: &str) -> Option<i64> {
        match value {
            None | Some(Value::Null) => self.problem(path, "is required: a positive integer"),
            Some(Value::Number(n)) => match n.as_i64() {
                Some(quantity) if quantity > 0 => return Some(quantity),
                Some(quantity) => self.problem(
                    path,
                    format!("is {quantity}; it must be a positive integer (remove the item instead of sending 0)"),
                ),
                None => self.problem(
                    path,
                    format!("is {n}; it must be a positive integer"),
                ),
            },
            Some(other) => self.problem(
                path,
                format!("must be a positive integer, not {}", describe(other)),
            ),
        }
        None
    }
}

impl Check {
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
            Value::Object(map) if map.keys().all(|k| k.parse::<u64>().is_ok()) => {
                let keys: Vec<&str> = map.keys().map(String::as_str).collect();
                self.problem(
                    path,
                    format!("must be a list with keys 0, 1, 2, ... in order, but has keys {}; in PHP, pass it through array_values()", keys.join(", ")),
                );
                map.iter().map(|(k, v)| (format!("[{k}]"), v)).collect()
            }
            other => {
                self.problem(path, format!("must be a list, not {}", describe(other)));
                Vec::new()
            }
        }
    }
}

/// The object `value` is. An empty list counts as an empty object: PHP's
/// `array()` cannot tell them apart and `json_encode` writes `[]`.
fn as_object(value: &Value) -> Option<Cow<'_, Map<String, Value>>> {
    match value {
        Value::Object(map) => Some(Cow::Borrowed(map)),
        Value::Array(list) if list.is_empty() => Some(Cow::Owned(Map::new())),
        _ => None,
    }
}

/// How a JSON value reads in a message: its type and, if short, itself.
fn describe(value: &Value) -> String {
    let kind = match value {
        Value::Null => return "null".into(),
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "an integer",
        Value::Number(_) => "a decimal number",
        Value::String(_) => "a string",
        Value::Array(_) => return "a list".into(),
        Value::Object(_) => return "an object".into(),
    };
    let shown = value.to_string();
    if shown.chars().count() <= 40 {
        format!("{kind} ({shown})")
    } else {
        kind.to_string()
    }
}

/// Today (UTC) as `YYYY-MM-DD`.
fn today() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    let (year, month, day) = civil_from_days((seconds / 86_400) as i64);
    format!("{year:04}-{month:02}-{day:02}")
}

/// The calendar date of a day number counted from 1970-01-01 (Howard
/// Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The order of `seeds/002`, with a national id whose check letter is
    /// right (the seed's `12345678A` is a placeholder: 12345678 needs Z).
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
        validate(order, false).into_iter().map(|p| p.path).collect()
    }

    #[test]
    fn the_seed_order_is_valid() {
        assert_eq!(validate(&order(), false), vec![]);
    }

    #[test]
    fn the_seed_national_id_has_the_wrong_check_letter() {
        let mut order = order();
        order["nin"] = json!("12345678A");
        let problems = validate(&order, false);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].path, "nin");
        assert!(
            problems[0].message.contains("the digits need Z"),
            "{}",
            problems[0].message
        );
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
        let problems = validate(&order, false);
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
        let problems = validate(&order, false);
        assert_eq!(problems[0].path, "cart_items[0]");
        assert!(problems[0].message.contains("subscription item"));
    }

    #[test]
    fn unknown_keys_are_typos_unless_allowed() {
        let mut order = order();
        order["given_name"] = json!("María");
        order["cart_items"][0]["colour"] = json!("red");
        assert_eq!(paths(&order), ["given_name", "cart_items[0].colour"]);
        assert_eq!(validate(&order, true), vec![]);
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
            assert!(mobile_phone_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn dni_and_nie_check_letters_are_verified() {
        for good in [
            "12345678Z",
            "12345678z",
            "00000000T",
            "X1234567L",
            "Y0000000Z",
            "Z7654321H",
        ] {
            assert_eq!(nin_problem(good), None, "{good}");
        }
        for bad in [
            "12345678A",
            "X1234567A",
            "1234567Z",
            "1234567ñ",
            "X123456ñ",
            "123456789",
            "ABCDEFGHZ",
            "X12345678",
            "",
            "12345678ZZ",
        ] {
            assert!(nin_problem(bad).is_some(), "{bad}");
        }
        assert!(nin_problem("X1234567A").unwrap().contains("valid NIE"));
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

    #[test]
    fn days_become_calendar_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_737), (2024, 1, 15));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(today().len(), 10);
    }
}
