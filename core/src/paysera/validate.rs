//! What is checked of a payment request before it is sent: every problem
//! at once, each with its path (`price.amount`, `payer.email`) and what to
//! send instead. Fields this module does not name pass through untouched:
//! Paysera's payment requests have more of them than the Paysera document lists.

use crate::error::Problem;
use crate::redact::quote;
use crate::validate::text::{describe, is_blank, is_email};
use crate::validate::{codes, size, url, Problems};
use serde_json::{Map, Value};

/// The one value of `token_strategy` Paysera documents: issue a token for
/// recurring payments once the shopper paid.
pub const TOKEN_STRATEGIES: [&str; 1] = ["required"];

/// Longest `order_id` accepted.
const MAX_ORDER_ID: usize = 255;
/// More digits than any amount, and than an `i64` holds.
const MAX_AMOUNT_DIGITS: usize = 18;

/// Every problem of a new payment request (`POST
/// /checkout/rest/v1/payment-requests`); empty when it can be sent. A
/// request over the bound of a small document (10 000 values, 1 MiB of
/// text, 64 levels: `size::SMALL_DOCUMENT`) gets one problem and is not
/// checked.
pub fn payment_request(request: &Value) -> Vec<Problem> {
    if let Err(too_large) = size::check(request, &size::SMALL_DOCUMENT, "payment_request") {
        return vec![too_large];
    }
    let mut problems = Fields(Problems::new());
    let Some(object) = request.as_object() else {
        problems.add("payment_request", "must be a JSON object");
        return problems.0.finish("payment_request");
    };
    for field in ["business_id", "order_id", "description"] {
        problems.text(object, field, field, true);
    }
    if let Some(order_id) = object.get("order_id").and_then(Value::as_str) {
        if order_id.chars().count() > MAX_ORDER_ID {
            problems.add(
                "order_id",
                format!("is longer than {MAX_ORDER_ID} characters; use the shop's order reference"),
            );
        }
    }
    match object.get("price") {
        None | Some(Value::Null) => problems.add(
            "price",
            "is required: {\"amount\": 999, \"currency\": \"EUR\"}",
        ),
        Some(Value::Object(price)) => money(&mut problems, price, "price"),
        Some(_) => problems.add("price", "must be an object {\"amount\", \"currency\"}"),
    }
    match object.get("payer") {
        None | Some(Value::Null) => {
            problems.add("payer", "is required: {\"email\": \"shopper@example.com\"}")
        }
        Some(Value::Object(payer)) => {
            if let Some(email) = problems.text(payer, "email", "payer.email", true) {
                if !is_email(email) {
                    problems.add("payer.email", "is not an e-mail address");
                }
            }
        }
        Some(_) => problems.add("payer", "must be an object with the shopper's email"),
    }
    // The document asks https of the callback only (Paysera posts to it);
    // the redirect URLs are pages of the shop the shopper's browser goes
    // back to, and may be any absolute http(s) URL.
    for (field, need) in [
        ("accept_url", url::Need::AnyHttp),
        ("cancel_url", url::Need::AnyHttp),
        ("callback_url", url::Need::Https),
    ] {
        if let Some(text) = problems.text(object, field, field, true) {
            if let Err(why) = url::check(text, need) {
                problems.add(field, why.message(text));
            }
        }
    }
    // The document lists no languages: which the page speaks is Paysera's
    // to say. The form is the example's, a language code.
    if let Some(locale) = problems.text(object, "locale", "locale", false) {
        if !(locale.len() == 2 && locale.bytes().all(|b| b.is_ascii_lowercase())) {
            problems.add(
                "locale",
                format!(
                    "{} is not a language code of two lower-case letters (ISO 639-1) such as \"en\"; of a locale such as \"es_ES\", send its language, \"es\"",
                    quote(locale)
                ),
            );
        }
    }
    problems.text(object, "method_key", "method_key", false);
    if let Some(strategy) = problems.text(object, "token_strategy", "token_strategy", false) {
        if !TOKEN_STRATEGIES.contains(&strategy) {
            problems.add(
                "token_strategy",
                format!("{} is not a token strategy; use \"required\" to get a token for recurring payments, or leave it out", quote(strategy)),
            );
        }
    }
    crate::validate::text::nul_problems(request, "", &mut problems.0);
    problems.0.finish("payment_request")
}

/// The problem of a request's `callback_url` for a Paysera on the
/// internet (the client's endpoint is a public host): the document
/// asks for a URL "publicly accessible", and Paysera posts to it from the
/// internet, so a local one (plain http to loopback, which
/// [`payment_request`] lets through for the bundled sandbox; a private
/// address; `*.local`) would never get the notification. `None` when it
/// can, or when the URL has a problem of its own.
pub fn unreachable_callback(request: &Value) -> Option<Problem> {
    let text = request.get("callback_url")?.as_str()?;
    url::unreachable_by(text, "Paysera").map(|why| Problem::new("callback_url", why))
}

/// The problems of a `{"amount", "currency"}` object at `path`. The amount
/// is a positive whole number of minor units, either as the Paysera
/// document's example writes it (`999`) or as Paysera's Checkout reference
/// asks for requests (`"999"`); it is sent as the caller wrote it.
fn money(problems: &mut Fields, price: &Map<String, Value>, path: &str) {
    let amount_path = format!("{path}.amount");
    let problem = match price.get("amount") {
        None | Some(Value::Null) => Some(
            "is required: the amount in the currency's minor unit (999 or \"999\" is 9.99 EUR)"
                .to_string(),
        ),
        Some(Value::String(amount)) => check_amount(amount).err(),
        Some(Value::Number(n)) => check_amount_number(n).err(),
        Some(_) => Some(
            "must be a whole number of the currency's minor unit, 999 or \"999\" (9.99 EUR)"
                .to_string(),
        ),
    };
    if let Some(why) = problem {
        problems.add(&amount_path, why);
    }
    let currency_path = format!("{path}.currency");
    if let Some(currency) = problems.text(price, "currency", &currency_path, true) {
        if !codes::is_currency(currency) {
            problems.add(
                &currency_path,
                format!(
                    "{} is not an ISO 4217 code such as \"EUR\"",
                    quote(currency)
                ),
            );
        }
    }
}

/// A positive whole number of minor units, written as digits.
pub fn check_amount(amount: &str) -> Result<(), String> {
    if amount.is_empty() {
        return Err("is empty; send the amount in the currency's minor unit, e.g. \"999\"".into());
    }
    if amount.contains(['.', ',']) {
        return Err(format!(
            "is {}, a decimal; send the minor unit as whole digits (\"999\" is 9.99 EUR)",
            quote(amount)
        ));
    }
    if !amount.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "is {}; it must be digits only, in the currency's minor unit",
            quote(amount)
        ));
    }
    if amount.len() > MAX_AMOUNT_DIGITS {
        return Err(format!("has more than {MAX_AMOUNT_DIGITS} digits"));
    }
    if amount.bytes().all(|b| b == b'0') {
        return Err("must be positive".into());
    }
    if amount.starts_with('0') {
        return Err(format!(
            "is {}; write it without leading zeros",
            quote(amount)
        ));
    }
    Ok(())
}

/// A positive whole number of minor units, written as a JSON number.
pub fn check_amount_number(amount: &serde_json::Number) -> Result<(), String> {
    use crate::validate::money::PastI64;
    match amount.as_i64() {
        Some(units) if units > 0 => check_amount(&units.to_string()),
        Some(_) => Err("must be positive".into()),
        None => match crate::validate::money::past_i64(amount) {
            PastI64::Above => Err(format!("has more than {MAX_AMOUNT_DIGITS} digits")),
            PastI64::Below => Err("must be positive".into()),
            PastI64::Fraction => Err(format!(
                "is {}, not a whole number of the minor unit (999 is 9.99 EUR); {}",
                crate::redact::excerpt(amount.to_string().as_bytes()),
                crate::validate::money::ROUND_TO_CENTS
            )),
        },
    }
}

/// The problems found so far, and how fields are read.
struct Fields(Problems);

impl Fields {
    fn add(&mut self, path: &str, message: impl Into<String>) {
        self.0.push(path, message);
    }

    /// The string at `key`; a problem when it is missing (and `required`),
    /// empty, or not a string.
    fn text<'a>(
        &mut self,
        object: &'a Map<String, Value>,
        key: &str,
        path: &str,
        required: bool,
    ) -> Option<&'a str> {
        match object.get(key) {
            None | Some(Value::Null) => {
                if required {
                    self.add(path, "is required");
                }
                None
            }
            Some(Value::String(s)) if is_blank(s) => {
                self.add(path, "is empty");
                None
            }
            Some(Value::String(s)) => Some(s),
            Some(other) => {
                self.add(path, format!("must be a string, not {}", describe(other)));
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn request() -> Value {
        json!({
            "business_id": "Opb2XVb-gEh4aGcR09Ko5Wb8V_6vueDM",
            "order_id": "SUB_12345",
            "price": {"amount": "999", "currency": "EUR"},
            "description": "Monthly subscription - First payment",
            "method_key": "card",
            "payer": {"email": "customer@example.com"},
            "locale": "en",
            "accept_url": "https://yoursite.com/payment/success",
            "cancel_url": "https://yoursite.com/payment/cancel",
            "callback_url": "https://yoursite.com/payment/callback",
            "token_strategy": "required"
        })
    }

    fn paths(request: &Value) -> Vec<String> {
        payment_request(request)
            .into_iter()
            .map(|p| p.path)
            .collect()
    }

    #[test]
    fn the_seed_request_with_a_string_amount_is_valid() {
        assert_eq!(payment_request(&request()), []);
    }

    #[test]
    fn no_text_may_hold_a_nul() {
        let mut request = request();
        request["description"] = json!("First\u{0}payment");
        request["payer"]["name"] = json!("\u{0}");
        assert_eq!(paths(&request), ["description", "payer.name"]);
        let problems = payment_request(&request);
        assert!(problems
            .iter()
            .all(|p| p.message.starts_with("holds a NUL character (U+0000)")));
    }

    #[test]
    fn a_locale_is_any_language_code_which_paysera_answers_for() {
        for language in ["en", "eu", "uk", "ca"] {
            let mut request = request();
            request["locale"] = json!(language);
            assert_eq!(payment_request(&request), [], "{language}");
        }
        for locale in ["es_ES", "EN", "e", "eng", ""] {
            let mut request = request();
            request["locale"] = json!(locale);
            assert_eq!(paths(&request), ["locale"], "{locale}");
        }
        let mut request = request();
        request["locale"] = json!("es_ES");
        assert!(payment_request(&request)[0]
            .message
            .contains("send its language, \"es\""));
    }

    #[test]
    fn every_problem_is_named_at_once() {
        let mut bad = request();
        bad["price"] = json!({"amount": "9.99", "currency": "eur"});
        bad.as_object_mut().unwrap().remove("order_id");
        bad["payer"]["email"] = json!("nobody");
        bad["callback_url"] = json!("http://yoursite.com/cb");
        bad["locale"] = json!("klingon");
        bad["token_strategy"] = json!("always");
        assert_eq!(
            paths(&bad),
            [
                "order_id",
                "price.amount",
                "price.currency",
                "payer.email",
                "callback_url",
                "locale",
                "token_strategy"
            ]
        );
    }

    #[test]
    fn amounts_are_positive_digit_strings_in_the_minor_unit() {
        assert!(check_amount("1").is_ok());
        assert!(check_amount("250000").is_ok());
        assert_eq!(check_amount("0").unwrap_err(), "must be positive");
        assert!(check_amount("9.99").unwrap_err().contains("decimal"));
        assert!(check_amount("-5").is_err());
        assert!(check_amount("007").is_err());
        assert!(check_amount("").is_err());
        assert!(check_amount(&"9".repeat(19)).is_err());
        assert!(check_amount_number(&999.into()).is_ok());
        for (bad, why) in [
            (json!(0), "must be positive"),
            (json!(-5), "must be positive"),
            (json!(9.99), "not a whole number"),
            (json!(999.0), "not a whole number"),
            (json!(u64::MAX), "digits"),
            (json!(1e19), "digits"),
            (
                serde_json::from_str("18446744073709551616").unwrap(),
                "digits",
            ),
            (json!(-1e19), "must be positive"),
        ] {
            let Value::Number(n) = bad else {
                unreachable!()
            };
            let message = check_amount_number(&n).unwrap_err();
            assert!(message.contains(why), "{n}: {message}");
        }
    }

    #[test]
    fn the_seed_request_with_a_number_amount_is_valid_and_kept_as_written() {
        let mut number = request();
        number["price"]["amount"] = json!(999);
        assert_eq!(paths(&number), Vec::<String>::new());
        let mut text = request();
        text["price"]["amount"] = json!(true);
        assert_eq!(paths(&text), ["price.amount"]);
    }

    #[test]
    fn redirect_urls_may_be_plain_http_but_the_callback_must_be_https() {
        let mut plain = request();
        plain["accept_url"] = json!("http://shop.example/payment/success");
        plain["cancel_url"] = json!("HTTP://shop.example:8080/payment/cancel?order=1");
        assert_eq!(paths(&plain), Vec::<String>::new());
        plain["callback_url"] = json!("http://shop.example/payment/callback");
        assert_eq!(paths(&plain), ["callback_url"]);
        let mut bad = request();
        bad["accept_url"] = json!("http://user:pw@shop.example/ok");
        bad["cancel_url"] = json!("/payment/cancel");
        let problems = payment_request(&bad);
        assert_eq!(paths(&bad), ["accept_url", "cancel_url"]);
        assert!(
            !problems[0].message.contains("pw"),
            "{}",
            problems[0].message
        );
        bad["accept_url"] = json!("ftp://shop.example/ok");
        assert_eq!(paths(&bad), ["accept_url", "cancel_url"]);
    }

    #[test]
    fn the_callback_url_must_be_https_or_loopback_http() {
        let callback = |url: &str| {
            let mut with = request();
            with["callback_url"] = json!(url);
            paths(&with)
        };
        for ok in [
            "https://shop.example/cb",
            "http://127.0.0.1:8080/cb",
            "http://localhost/cb",
        ] {
            assert_eq!(callback(ok), Vec::<String>::new(), "{ok}");
        }
        for bad in ["http://shop.example/cb", "/relative", "ftp://shop.example/"] {
            assert_eq!(callback(bad), ["callback_url"], "{bad}");
        }
    }

    #[test]
    fn a_callback_a_remote_paysera_cannot_reach_is_named() {
        let callback = |url: &str| {
            let mut with = request();
            with["callback_url"] = json!(url);
            unreachable_callback(&with).map(|p| p.message)
        };
        assert_eq!(callback("https://shop.example/cb"), None);
        for local in [
            "http://127.0.0.1:8080/cb",
            "http://localhost/cb",
            "https://192.168.1.10/cb",
            "https://shop.local/cb?token=S3CR3T",
        ] {
            let message = callback(local).unwrap();
            assert!(
                message.contains("is a local address, which Paysera cannot reach to post to it")
                    && !message.contains("S3CR3T"),
                "{message}"
            );
        }
        // A URL with a problem of its own is named by payment_request.
        assert_eq!(callback("/relative"), None);
    }

    #[test]
    fn unknown_fields_pass_and_wrong_types_are_named() {
        let mut extra = request();
        extra["valid_until"] = json!(1_900_000_000);
        extra["parameters"] = json!({"anything": true});
        assert_eq!(payment_request(&extra), []);
        let mut typed = request();
        typed["description"] = json!(5);
        typed["payer"] = json!("customer@example.com");
        let problems = payment_request(&typed);
        assert_eq!(problems[0].path, "description");
        assert_eq!(problems[0].message, "must be a string, not an integer (5)");
        assert_eq!(problems[1].path, "payer");
        assert_eq!(
            payment_request(&json!([]))[0].message,
            "must be a JSON object"
        );
    }
}
