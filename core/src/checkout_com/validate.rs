//! What is checked of a payment setup before it is sent: every problem at
//! once, each with its path, so that a shop fixes them in one go instead
//! of one 422 at a time.
//!
//! The rules are the Payment Setup API's (`amount` in minor units,
//! `processing_channel_id` `pc_...`, `reference` at most 80 characters,
//! ...) and seQura's (EUR only), plus the client's own: redirect URLs are
//! absolute http(s) URLs without a user name or password, countries
//! ISO 3166 alpha-2, the money fields of `order.items` integer cents with
//! every sum checked. Keys the rules do not name pass through untouched
//! (the API has many more fields than this flow needs), except a top-level
//! `items`, which the API would drop (the items go in `order.items`), and,
//! in the objects the rules read, a key that cannot be the API's (not
//! lower-case letters, digits and '_') or is a typo of one they know
//! (`refrence`, `sucess_url`), which the API would drop too.

use crate::checkout_com::config::is_processing_channel_id;
use crate::error::Problem;
use crate::redact::{quote, PathKey};
use crate::validate::money::{self, Sum};
use crate::validate::text::{describe, suggestion};
use crate::validate::{codes, size, url, Problems};
use serde_json::{Map, Value};

/// The largest amount the API takes: at most nine digits.
pub const MAX_AMOUNT: u64 = 999_999_999;

/// The longest `reference` the API takes, in characters.
const MAX_REFERENCE: usize = 80;

/// What the payment setup is for: a create needs the required fields, an
/// update only sends what changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Create,
    Update,
}

/// The payment types the API names.
const PAYMENT_TYPES: [&str; 6] = [
    "Regular",
    "Recurring",
    "MOTO",
    "Installment",
    "PayLater",
    "Unscheduled",
];

/// The address fields of `billing.address`, each a string when present.
const ADDRESS_TEXT: [&str; 5] = ["address_line1", "address_line2", "city", "state", "zip"];

/// The fields of the objects the rules read: the document's, and the
/// API's others there, which pass as given. A key that is a typo of one of
/// them is refused ([`Check::typos`]).
const SETUP_FIELDS: &[&str] = &[
    "amount",
    "currency",
    "processing_channel_id",
    "reference",
    "description",
    "payment_type",
    "billing",
    "settings",
    "order",
    "customer",
    "industry",
    "payment_methods",
    "items",
];
const BILLING_FIELDS: &[&str] = &["address", "phone"];
const ADDRESS_FIELDS: &[&str] = &[
    "address_line1",
    "address_line2",
    "city",
    "state",
    "zip",
    "country",
];
const SETTINGS_FIELDS: &[&str] = &["success_url", "failure_url"];

/// Every problem of `setup` for `purpose`. `default_channel` is the
/// client's `processing_channel_id`, which a create without one gets. A
/// setup over the bound of a small document (10 000 values, 1 MiB of text,
/// 64 levels: `size::SMALL_DOCUMENT`) gets one problem and is not checked.
pub fn problems(setup: &Value, purpose: Purpose, default_channel: Option<&str>) -> Vec<Problem> {
    if let Err(too_large) = size::check(setup, &size::SMALL_DOCUMENT, "payment_setup") {
        return vec![too_large];
    }
    let mut check = Check::default();
    let document = setup;
    let Some(setup) = setup.as_object() else {
        check.problem("payment_setup", "must be a JSON object");
        return check.problems.finish("payment_setup");
    };
    let create = purpose == Purpose::Create;
    check.typos(setup, "", SETUP_FIELDS);
    check.amount(setup, create);
    check.currency(setup, create);
    match setup.get("processing_channel_id") {
        None | Some(Value::Null) if create && default_channel.is_none() => check.problem(
            "processing_channel_id",
            "is required: give it here or as the client's processing_channel_id option",
        ),
        None | Some(Value::Null) => {}
        Some(Value::String(id)) if is_processing_channel_id(id) => {}
        Some(_) => check.problem(
            "processing_channel_id",
            "must be the processing channel's id: pc_ followed by 26 letters and digits",
        ),
    }
    if let Some(reference) = check.text(setup, "reference", "reference", Some(MAX_REFERENCE)) {
        // checkout.com sends the reference back in its webhooks, whose
        // reader (`webhooks`) refuses what a shop's log should not hold
        // (a control character; more than 255 bytes, which 80 characters
        // outside ASCII can be): such a reference would make the payment's
        // events unreadable.
        if let Some(why) = crate::strict::text_problem(reference) {
            check.problem(
                "reference",
                format!("{why}; checkout.com sends it back in its webhooks, which this library's webhook reader refuses"),
            );
        }
    }
    check.text(setup, "description", "description", Some(100));
    if let Some(kind) = setup.get("payment_type").filter(|v| !v.is_null()) {
        if !kind.as_str().is_some_and(|k| PAYMENT_TYPES.contains(&k)) {
            check.problem(
                "payment_type",
                format!("must be one of {}", PAYMENT_TYPES.join(", ")),
            );
        }
    }
    if let Some(billing) = check.object(setup, "billing", "billing") {
        check.typos(billing, "billing.", BILLING_FIELDS);
        if let Some(address) = check.object(billing, "address", "billing.address") {
            check.typos(address, "billing.address.", ADDRESS_FIELDS);
            for field in ADDRESS_TEXT {
                check.text(address, field, &format!("billing.address.{field}"), None);
            }
            check.country(address, "billing.address.country");
        }
    }
    if let Some(settings) = check.object(setup, "settings", "settings") {
        check.typos(settings, "settings.", SETTINGS_FIELDS);
        for field in SETTINGS_FIELDS {
            check.url(settings, field, &format!("settings.{field}"));
        }
    }
    if let Some(order) = check.object(setup, "order", "order") {
        check.items(order);
    }
    if setup.get("items").is_some_and(|items| !items.is_null()) {
        // Not a field of a setup: the API would drop the items unread.
        check.problem(
            "items",
            "is not a field of a payment setup; the items go in order.items",
        );
    }
    crate::validate::text::nul_problems(document, "", &mut check.problems);
    check.problems.finish("payment_setup")
}

/// The money fields of an item of `order.items`, each an integer amount
/// in minor units (cents), never negative.
const ITEM_AMOUNTS: [&str; 4] = [
    "unit_price",
    "total_amount",
    "tax_amount",
    "discount_amount",
];

#[derive(Default)]
struct Check {
    problems: Problems,
}

impl Check {
    fn problem(&mut self, path: &str, message: impl Into<String>) {
        self.problems.push(path, message);
    }

    fn amount(&mut self, setup: &Map<String, Value>, required: bool) {
        let too_large = |amount: &dyn std::fmt::Display| {
            format!("is {amount}, more than the API takes (at most {MAX_AMOUNT} minor units, nine digits)")
        };
        let message = match setup.get("amount") {
            None | Some(Value::Null) if required => {
                "is required: the amount in minor units (cents), e.g. 20000 for 200.00 EUR".into()
            }
            None | Some(Value::Null) => return,
            Some(Value::Number(n)) => match (n.as_i64(), n.as_u64()) {
                (_, Some(1..=MAX_AMOUNT)) => return,
                (_, Some(amount)) if amount > 0 => too_large(&amount),
                (Some(_), _) | (_, Some(_)) => "must be more than 0".into(),
                (None, None) => match money::past_i64(n) {
                    money::PastI64::Above => too_large(n),
                    money::PastI64::Below => "must be more than 0".into(),
                    money::PastI64::Fraction => format!(
                        "must be a whole number of minor units (cents), e.g. 20000 for 200.00 EUR, not the decimal number {n}; {}",
                        money::ROUND_TO_CENTS
                    ),
                },
            },
            Some(other) => format!(
                "must be a number: the amount in minor units (cents), e.g. 20000, not {}",
                describe(other)
            ),
        };
        self.problem("amount", message);
    }

    /// `order.items`: each item's `quantity` a whole number above 0, its
    /// money fields ([`ITEM_AMOUNTS`]) integer cents from 0 up, its
    /// `quantity × unit_price` and the sum of the items' `total_amount`
    /// within what an amount in cents can be (every sum checked). The API
    /// documents no rule that the items add up to `amount` (its own
    /// examples do not), so none is made up here.
    fn items(&mut self, order: &Map<String, Value>) {
        let items = match order.get("items") {
            None | Some(Value::Null) => return,
            Some(Value::Array(items)) => items,
            Some(other) => {
                self.problem(
                    "order.items",
                    format!("must be a list of items, not {}", describe(other)),
                );
                return;
            }
        };
        let mut total = Sum::ZERO;
        for (i, item) in items.iter().enumerate() {
            let path = |field: &str| format!("order.items[{i}].{field}");
            let Some(item) = item.as_object() else {
                self.problem(
                    &format!("order.items[{i}]"),
                    format!("must be an object, not {}", describe(item)),
                );
                let _ = total.add(None);
                continue;
            };
            let quantity = self.quantity(item, &path("quantity"));
            let mut amounts = [None; ITEM_AMOUNTS.len()];
            for (amount, field) in amounts.iter_mut().zip(ITEM_AMOUNTS) {
                *amount = self.cents(item, field, &path(field));
            }
            let [unit_price, total_amount, ..] = amounts;
            if let (Some(quantity), Some(Some(price))) = (quantity, unit_price) {
                if quantity.checked_mul(price).is_none() {
                    self.problem(
                        &path("unit_price"),
                        format!("cannot be right: quantity × unit_price ({quantity} × {price}) is beyond what an amount in cents can be; check them"),
                    );
                }
            }
            // An item without a total adds nothing; a malformed one has
            // its own problem and leaves the sum unknown.
            if total.add(total_amount.map(|amount| amount.unwrap_or(0))) {
                self.problem(
                    &path("total_amount"),
                    money::overflow_message("order.items[].total_amount"),
                );
            }
        }
    }

    /// An item's `quantity`, when present: a whole number above 0.
    fn quantity(&mut self, item: &Map<String, Value>, path: &str) -> Option<i64> {
        let message = match item.get("quantity") {
            None | Some(Value::Null) => return None,
            Some(Value::Number(n)) => match n.as_i64() {
                Some(quantity) if quantity > 0 => return Some(quantity),
                None if n.as_u64().is_some() => format!(
                    "is {n}, beyond what a quantity can be (at most {})",
                    i64::MAX
                ),
                _ => format!("must be a whole number greater than 0, not {n}"),
            },
            Some(other) => format!(
                "must be a whole number greater than 0, not {}",
                describe(other)
            ),
        };
        self.problem(path, message);
        None
    }

    /// An item's money field `key`, when present: `Some(None)` when absent,
    /// `Some(Some(cents))` when well formed, `None` (and a problem) when not.
    fn cents(&mut self, item: &Map<String, Value>, key: &str, path: &str) -> Option<Option<i64>> {
        let message = match item.get(key) {
            None | Some(Value::Null) => return Some(None),
            Some(Value::Number(n)) => match n.as_i64() {
                Some(cents) if cents >= 0 => return Some(Some(cents)),
                Some(_) => "must not be negative: an amount in minor units (cents)".into(),
                None => money::not_cents_message(n),
            },
            Some(other) => format!(
                "must be a number: an amount in minor units (cents), e.g. 20000, not {}",
                describe(other)
            ),
        };
        self.problem(path, message);
        None
    }

    fn currency(&mut self, setup: &Map<String, Value>, required: bool) {
        let message = match setup.get("currency") {
            None | Some(Value::Null) if required => "is required; seQura takes \"EUR\"".into(),
            None | Some(Value::Null) => return,
            Some(Value::String(code)) if code == "EUR" => return,
            Some(Value::String(code)) if codes::is_currency(code) => {
                format!("is {code}, but seQura through checkout.com takes EUR only")
            }
            Some(Value::String(code)) if codes::is_currency(&code.to_ascii_uppercase()) => format!(
                "is {}; write ISO 4217 codes in capitals: \"{}\" (seQura takes EUR)",
                quote(code),
                code.to_ascii_uppercase()
            ),
            Some(Value::String(code)) => format!(
                "{} is not an ISO 4217 currency code; seQura takes \"EUR\"",
                quote(code)
            ),
            Some(_) => "must be a string: the ISO 4217 code \"EUR\"".into(),
        };
        self.problem("currency", message);
    }

    /// A string of at most `max` characters, when present: the string, when
    /// it is one within its bound.
    fn text<'v>(
        &mut self,
        object: &'v Map<String, Value>,
        key: &str,
        path: &str,
        max: Option<usize>,
    ) -> Option<&'v str> {
        match object.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::String(text)) => {
                if let Some(max) = max.filter(|max| text.chars().count() > *max) {
                    self.problem(path, format!("is longer than {max} characters"));
                    return None;
                }
                Some(text)
            }
            Some(_) => {
                self.problem(path, "must be a string");
                None
            }
        }
    }

    /// The keys of `object` (at `prefix`) the API would drop unread: one
    /// that is no field name of this API (its fields are lower-case
    /// letters, digits and '_': an integer key from a PHP list, a NUL, a
    /// camelCase name), or a typo of one of `fields`. Other keys pass as
    /// given: the API has fields this library does not know.
    fn typos(&mut self, object: &Map<String, Value>, prefix: &str, fields: &[&str]) {
        let is_name = |key: &str| {
            key.as_bytes().first().is_some_and(u8::is_ascii_lowercase)
                && key
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        };
        for key in object.keys().filter(|key| !fields.contains(&key.as_str())) {
            let meant = suggestion(key.as_bytes(), fields.iter().copied());
            let why = match meant {
                Some(field) => format!("is not a field of this object (did you mean {field}?); checkout.com would drop it"),
                None if !is_name(key) => "is not a field name of this API (its fields are lower-case letters, digits and '_'); checkout.com would drop it".to_string(),
                None => continue,
            };
            self.problem(&format!("{prefix}{}", PathKey(key.as_bytes())), why);
        }
    }

    /// The object at `key`, when present; a problem when it is no object.
    fn object<'v>(
        &mut self,
        object: &'v Map<String, Value>,
        key: &str,
        path: &str,
    ) -> Option<&'v Map<String, Value>> {
        match object.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::Object(inner)) => Some(inner),
            Some(_) => {
                self.problem(path, "must be an object");
                None
            }
        }
    }

    fn country(&mut self, object: &Map<String, Value>, path: &str) {
        let message = match object.get("country") {
            None | Some(Value::Null) => return,
            Some(Value::String(code)) if codes::is_country_alpha2(code) => return,
            Some(Value::String(code)) if codes::is_country_alpha2(&code.to_ascii_uppercase()) => {
                format!(
                    "is {}; write ISO 3166 codes in capitals: \"{}\"",
                    quote(code),
                    code.to_ascii_uppercase()
                )
            }
            Some(Value::String(code)) => format!(
                "{} is not an ISO 3166-1 alpha-2 country code such as \"ES\" or \"FR\"",
                quote(code)
            ),
            Some(_) => "must be a string: an ISO 3166-1 alpha-2 code such as \"ES\"".into(),
        };
        self.problem(path, message);
    }

    /// A redirect target: the customer's browser goes back there, to the
    /// shop, with the payment's outcome; the document asks for no scheme,
    /// so any absolute http(s) URL without a user name (see [`url::check`]).
    fn url(&mut self, object: &Map<String, Value>, key: &str, path: &str) {
        let message = match object.get(key) {
            None | Some(Value::Null) => return,
            Some(Value::String(text)) => match url::check(text, url::Need::AnyHttp) {
                Ok(_) => return,
                Err(why) => why.message(text),
            },
            Some(_) => "must be a string: an absolute http(s) URL".into(),
        };
        self.problem(path, message);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const CHANNEL: &str = "pc_wzjki6hw5puepb5fnvqlizj2e4";

    fn seed_setup() -> Value {
        json!({
            "amount": 20000, "currency": "EUR", "processing_channel_id": CHANNEL,
            "reference": "ORD-5023-4E89",
            "billing": {"address": {"address_line1": "123 Avenue de l'élégance", "city": "Paris",
                "state": "Île-de-France", "zip": "70123", "country": "FR"}},
            "settings": {"success_url": "https://example.com/payments/success",
                "failure_url": "https://example.com/payments/failure"}
        })
    }

    fn paths(problems: &[Problem]) -> Vec<&str> {
        problems.iter().map(|p| p.path.as_str()).collect()
    }

    #[test]
    fn the_seed_example_is_valid() {
        assert_eq!(problems(&seed_setup(), Purpose::Create, None), []);
    }

    /// One problem a field: a reference's control character is already
    /// one (the webhook reader's), so its NUL adds none.
    #[test]
    fn no_text_may_hold_a_nul() {
        let mut setup = seed_setup();
        setup["billing"]["address"]["city"] = json!("Pa\u{0}ris");
        setup["description"] = json!("\u{0}");
        setup["reference"] = json!("ORD-\u{0}");
        let mut found = problems(&setup, Purpose::Create, None);
        found.sort_by(|a, b| a.path.cmp(&b.path));
        assert_eq!(
            paths(&found),
            ["billing.address.city", "description", "reference"]
        );
        assert!(
            found[0]
                .message
                .starts_with("holds a NUL character (U+0000)"),
            "{found:?}"
        );
        assert!(
            found[1]
                .message
                .starts_with("holds a NUL character (U+0000)"),
            "{found:?}"
        );
        assert!(
            found[2].message.contains("has a control character"),
            "{found:?}"
        );
    }

    #[test]
    fn a_reference_the_webhook_reader_would_refuse_is_refused_before_sending() {
        for (reference, why) in [
            ("ORD-1\tA", "has a control character"),
            ("ORD-1\u{85}", "has a control character"),
            (&"😀".repeat(80), "is longer than 255 bytes"),
        ] {
            let mut setup = seed_setup();
            setup["reference"] = json!(reference);
            let found = problems(&setup, Purpose::Create, None);
            assert_eq!(paths(&found), ["reference"], "{found:?}");
            assert!(
                found[0].message.contains(why)
                    && found[0]
                        .message
                        .ends_with("which this library's webhook reader refuses"),
                "{}",
                found[0].message
            );
        }
        let mut setup = seed_setup();
        setup["reference"] = json!("é".repeat(80));
        assert_eq!(problems(&setup, Purpose::Create, None), []);
    }

    #[test]
    fn a_key_the_api_would_drop_is_refused_and_others_pass_as_given() {
        let mut setup = seed_setup();
        let object = setup.as_object_mut().unwrap();
        let reference = object.remove("reference").unwrap();
        object.insert("refrence".into(), reference);
        object.insert("0".into(), json!("x"));
        object.insert("successUrl".into(), json!("https://example.com/ok"));
        object.insert("metadata".into(), json!({"cart_id": 7, "0": "any key"}));
        object.insert("customer".into(), json!({"email": "ali.farid@example.com"}));
        setup["settings"]["sucess_url"] = json!("https://example.com/ok");
        setup["billing"]["address"]["nul\u{0}key"] = json!("x");
        let found = problems(&setup, Purpose::Create, None);
        let said: Vec<String> = found
            .iter()
            .map(|p| format!("{}: {}", p.path, p.message))
            .collect();
        assert_eq!(
            said,
            [
                "0: is not a field name of this API (its fields are lower-case letters, digits and '_'); checkout.com would drop it",
                "refrence: is not a field of this object (did you mean reference?); checkout.com would drop it",
                "successUrl: is not a field name of this API (its fields are lower-case letters, digits and '_'); checkout.com would drop it",
                "billing.address.\"nul\\u{0}key\": is not a field name of this API (its fields are lower-case letters, digits and '_'); checkout.com would drop it",
                "settings.sucess_url: is not a field of this object (did you mean success_url?); checkout.com would drop it",
            ]
        );
    }

    #[test]
    fn every_problem_is_named_at_once() {
        let setup = json!({
            "amount": 199.99, "currency": "usd", "processing_channel_id": "channel-1",
            "reference": "R".repeat(81), "payment_type": "Later",
            "billing": {"address": {"city": 7, "country": "ESP"}},
            "settings": {"success_url": "ftp://shop.example/ok", "failure_url": "/payments/failure"}
        });
        let found = problems(&setup, Purpose::Create, None);
        assert_eq!(
            paths(&found),
            [
                "amount",
                "currency",
                "processing_channel_id",
                "reference",
                "payment_type",
                "billing.address.city",
                "billing.address.country",
                "settings.success_url",
                "settings.failure_url",
            ],
            "{found:?}"
        );
        assert!(
            found[0].message.contains("whole number"),
            "{}",
            found[0].message
        );
        assert!(found[1].message.contains("\"USD\""), "{}", found[1].message);
        assert!(
            found[7].message.contains("not an http(s) URL"),
            "{}",
            found[7].message
        );
    }

    #[test]
    fn amount_must_be_a_positive_integer() {
        for (amount, says) in [
            (json!(0), "more than 0"),
            (json!(-5), "more than 0"),
            (json!("200"), "must be a number"),
            (json!(1.5), "whole number"),
            (json!(-1e19), "more than 0"),
        ] {
            let mut setup = seed_setup();
            setup["amount"] = amount;
            let found = problems(&setup, Purpose::Create, None);
            assert_eq!(paths(&found), ["amount"]);
            assert!(found[0].message.contains(says), "{}", found[0].message);
        }
    }

    #[test]
    fn sequra_takes_euros_only() {
        let mut setup = seed_setup();
        setup["currency"] = json!("GBP");
        let found = problems(&setup, Purpose::Create, None);
        assert!(
            found[0].message.contains("EUR only"),
            "{}",
            found[0].message
        );
        setup["currency"] = json!("EUX");
        let found = problems(&setup, Purpose::Create, None);
        assert!(
            found[0].message.contains("not an ISO 4217"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn a_create_needs_amount_currency_and_a_channel_an_update_nothing() {
        let found = problems(&json!({}), Purpose::Create, None);
        assert_eq!(
            paths(&found),
            ["amount", "currency", "processing_channel_id"]
        );
        assert_eq!(
            paths(&problems(&json!({}), Purpose::Create, Some(CHANNEL))),
            ["amount", "currency"]
        );
        assert_eq!(problems(&json!({"amount": 100}), Purpose::Update, None), []);
        assert_eq!(
            paths(&problems(&json!({"amount": 0}), Purpose::Update, None)),
            ["amount"]
        );
        assert_eq!(
            paths(&problems(&json!([1]), Purpose::Update, None)),
            ["payment_setup"]
        );
    }

    #[test]
    fn amounts_past_nine_digits_are_refused() {
        let past_u64: Value = serde_json::from_str("18446744073709551616").unwrap();
        for amount in [
            json!(1_000_000_000u64),
            json!(u64::MAX),
            json!(1e19),
            past_u64,
        ] {
            let mut setup = seed_setup();
            setup["amount"] = amount;
            let found = problems(&setup, Purpose::Create, None);
            assert_eq!(paths(&found), ["amount"]);
            assert!(
                found[0].message.contains("at most 999999999"),
                "{}",
                found[0].message
            );
        }
    }

    #[test]
    fn item_money_fields_are_non_negative_integer_cents() {
        let mut setup = seed_setup();
        setup["order"] = json!({"items": [
            {"name": "a", "quantity": 2, "unit_price": 5000, "total_amount": 10000,
             "tax_amount": 1736, "discount_amount": 0, "reference": "A-1"},
            {"name": "b", "quantity": 0, "unit_price": -1, "total_amount": 12.5,
             "tax_amount": "17", "discount_amount": 1e300},
            "not an item"
        ]});
        let found = problems(&setup, Purpose::Create, None);
        assert_eq!(
            paths(&found),
            [
                "order.items[1].quantity",
                "order.items[1].unit_price",
                "order.items[1].total_amount",
                "order.items[1].tax_amount",
                "order.items[1].discount_amount",
                "order.items[2]",
            ],
            "{found:?}"
        );
        assert!(
            found[0]
                .message
                .contains("must be a whole number greater than 0, not 0"),
            "{}",
            found[0].message
        );
        assert!(
            found[1].message.contains("negative"),
            "{}",
            found[1].message
        );
        assert!(
            found[2].message.contains("not whole cents; round it"),
            "{}",
            found[2].message
        );
        setup["order"]["items"] = json!([{"unit_price": 9_223_372_036_854_775_808u64}]);
        let found = problems(&setup, Purpose::Create, None);
        assert!(found[0].message.contains("beyond"), "{}", found[0].message);
    }

    #[test]
    fn item_sums_and_products_are_checked_for_overflow() {
        let mut setup = seed_setup();
        let max = i64::MAX;
        setup["order"] = json!({"items": [
            {"name": "a", "quantity": 1, "unit_price": max, "total_amount": max},
            {"name": "b", "quantity": 1, "unit_price": max, "total_amount": max}
        ]});
        let found = problems(&setup, Purpose::Create, None);
        assert_eq!(paths(&found), ["order.items[1].total_amount"], "{found:?}");
        assert!(
            found[0].message.contains("brings the sum"),
            "{}",
            found[0].message
        );
        setup["order"] = json!({"items": [
            {"name": "a", "quantity": 4, "unit_price": 4_611_686_018_427_387_904i64, "total_amount": 0}
        ]});
        let found = problems(&setup, Purpose::Create, None);
        assert_eq!(paths(&found), ["order.items[0].unit_price"], "{found:?}");
        assert!(found[0].message.contains("4 × 4611686018427387904"));
    }

    #[test]
    fn items_outside_order_are_refused_not_dropped() {
        let mut setup = seed_setup();
        setup["items"] =
            json!([{"name": "a", "quantity": 1, "unit_price": 100, "total_amount": 100}]);
        let found = problems(&setup, Purpose::Create, None);
        assert_eq!(paths(&found), ["items"]);
        assert!(found[0].message.contains("order.items"));
        setup.as_object_mut().unwrap().remove("items");
        setup["order"] = json!({"items": {"a": 1}});
        assert_eq!(
            paths(&problems(&setup, Purpose::Create, None)),
            ["order.items"]
        );
    }

    #[test]
    fn redirect_urls_are_any_absolute_http_or_https_url_without_a_user() {
        let paths_of = |url: &str| {
            let mut setup = seed_setup();
            setup["settings"]["success_url"] = json!(url);
            paths(&problems(&setup, Purpose::Create, None))
                .into_iter()
                .map(str::to_string)
                .collect::<Vec<_>>()
        };
        for ok in [
            "https://shop.example/ok?o=1",
            "http://127.0.0.1:8080/ok",
            "http://[::1]/ok",
            "http://localhost/ok",
            "http://shop.example/ok",
            "HTTP://shop.example:8080/ok",
        ] {
            assert_eq!(paths_of(ok), Vec::<String>::new(), "{ok}");
        }
        for bad in [
            "http://user:pw@shop.example/ok",
            "shop.example/ok",
            "https://user:pw@shop.example/",
            "https:///ok",
            "javascript://x",
            "https://shop.example/a b",
        ] {
            assert_eq!(paths_of(bad), ["settings.success_url"], "{bad}");
        }
    }
}
