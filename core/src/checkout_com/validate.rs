//! What is checked of a payment setup before it is sent: every problem at
//! once, each with its path, so that a shop fixes them in one go instead
//! of one 422 at a time.
//!
//! The rules are the Payment Setup API's (`amount` in minor units,
//! `processing_channel_id` `pc_...`, `reference` at most 80 characters,
//! ...) and seQura's (EUR only), plus the client's own: redirect URLs are
//! absolute https (plain http only to loopback, for tests), countries
//! ISO 3166 alpha-2. Keys the rules do not name pass through untouched:
//! the API has many more fields than this flow needs.

use crate::checkout_com::config::is_processing_channel_id;
use crate::error::Problem;
use serde_json::{Map, Value};

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

/// Every problem of `setup` for `purpose`. `default_channel` is the
/// client's `processing_channel_id`, which a create without one gets.
pub fn problems(setup: &Value, purpose: Purpose, default_channel: Option<&str>) -> Vec<Problem> {
    let mut check = Check::default();
    let Some(setup) = setup.as_object() else {
        check.problem("payment_setup", "must be a JSON object");
        return check.problems;
    };
    let create = purpose == Purpose::Create;
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
    check.text(setup, "reference", "reference", Some(80));
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
        if let Some(address) = check.object(billing, "address", "billing.address") {
            for field in ADDRESS_TEXT {
                check.text(address, field, &format!("billing.address.{field}"), None);
            }
            check.country(address, "billing.address.country");
        }
    }
    if let Some(settings) = check.object(setup, "settings", "settings") {
        for field in ["success_url", "failure_url"] {
            check.url(settings, field, &format!("settings.{field}"));
        }
    }
    check.problems
}

#[derive(Default)]
struct Check {
    problems: Vec<Problem>,
}

impl Check {
    fn problem(&mut self, path: &str, message: impl Into<String>) {
        self.problems.push(Problem::new(path, message));
    }

    fn amount(&mut self, setup: &Map<String, Value>, required: bool) {
        let message = match setup.get("amount") {
            None | Some(Value::Null) if required => {
                "is required: the amount in minor units (cents), e.g. 20000 for 200.00 EUR"
            }
            None | Some(Value::Null) => return,
            Some(Value::Number(n)) if n.as_u64().is_some_and(|n| n > 0) => return,
            Some(Value::Number(n)) if n.as_i64().is_some() || n.as_u64().is_some() => {
                "must be more than 0"
            }
            Some(Value::Number(_)) => {
                "must be a whole number of minor units (cents), e.g. 20000 for 200.00 EUR, not a decimal amount"
            }
            Some(_) => "must be a number: the amount in minor units (cents), e.g. 20000",
        };
        self.problem("amount", message);
    }

    fn currency(&mut self, setup: &Map<String, Value>, required: bool) {
        let message = match setup.get("currency") {
            None | Some(Value::Null) if required => "is required; seQura takes \"EUR\"".into(),
            None | Some(Value::Null) => return,
            Some(Value::String(code)) if code == "EUR" => return,
            Some(Value::String(code)) if is_currency(code) => {
                format!("is {code}, but seQura through checkout.com takes EUR only")
            }
            Some(Value::String(code)) if is_currency(&code.to_ascii_uppercase()) => format!(
                "is {code:?}; write ISO 4217 codes in capitals: \"{}\" (seQura takes EUR)",
                code.to_ascii_uppercase()
            ),
            Some(Value::String(code)) => {
                format!("{code:?} is not an ISO 4217 currency code; seQura takes \"EUR\"")
            }
            Some(_) => "must be a string: the ISO 4217 code \"EUR\"".into(),
        };
        self.problem("currency", message);
    }

    /// A string of at most `max` characters, when present.
    fn text(&mut self, object: &Map<String, Value>, key: &str, path: &str, max: Option<usize>) {
        match object.get(key) {
            None | Some(Value::Null) => {}
            Some(Value::String(text)) => {
                if let Some(max) = max.filter(|max| text.chars().count() > *max) {
                    self.problem(path, format!("is longer than {max} characters"));
                }
            }
            Some(_) => self.problem(path, "must be a string"),
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
            Some(Value::String(code)) if is_country(code) => return,
            Some(Value::String(code)) if is_country(&code.to_ascii_uppercase()) => format!(
                "is {code:?}; write ISO 3166 codes in capitals: \"{}\"",
                code.to_ascii_uppercase()
            ),
            Some(Value::String(code)) => format!(
                "{code:?} is not an ISO 3166-1 alpha-2 country code such as \"ES\" or \"FR\""
            ),
            Some(_) => "must be a string: an ISO 3166-1 alpha-2 code such as \"ES\"".into(),
        };
        self.problem(path, message);
    }

    fn url(&mut self, object: &Map<String, Value>, key: &str, path: &str) {
        let message = match object.get(key) {
            None | Some(Value::Null) => return,
            Some(Value::String(url)) => match url_problem(url) {
                None => return,
                Some(problem) => problem,
            },
            Some(_) => "must be a string: an absolute https:// URL".into(),
        };
        self.problem(path, message);
    }
}

/// Why `url` cannot be a redirect target, if it cannot: the customer's
/// browser goes there with the payment's outcome, so it must be absolute,
/// https (plain http only to loopback, for tests) and carry no credentials.
fn url_problem(url: &str) -> Option<String> {
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Some("must not contain spaces or control characters".into());
    }
    let Some((scheme, rest)) = url.split_once("://") else {
        return Some(format!(
            "{url:?} is not an absolute URL; write it whole, e.g. \"https://shop.example/payments/success\""
        ));
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') {
        return Some("must not hold a user name or password".into());
    }
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => authority.split(':').next().unwrap_or_default(),
    };
    if host.is_empty() {
        return Some(format!("{url:?} has no host"));
    }
    match scheme.to_ascii_lowercase().as_str() {
        "https" => None,
        "http" if crate::validate::url::is_loopback(host) => None,
        "http" => Some(format!(
            "{url:?} is plain http; use https (plain http is allowed only to loopback, for tests)"
        )),
        _ => Some(format!("{url:?} is not an https:// URL")),
    }
}

/// An active ISO 4217 code (letters only; the list is short enough to
/// keep here and lets a typo be told from a currency seQura does not take).
fn is_currency(code: &str) -> bool {
    CURRENCIES.binary_search(&code).is_ok()
}

/// An assigned ISO 3166-1 alpha-2 code.
fn is_country(code: &str) -> bool {
    COUNTRIES.binary_search(&code).is_ok()
}

/// ISO 4217 alphabetic codes in use, sorted.
const CURRENCIES: [&str; 179] = [
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT",
    "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BOV", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD",
    "CAD", "CDF", "CHE", "CHF", "CHW", "CLF", "CLP", "CNY", "COP", "COU", "CRC", "CUP", "CVE",
    "CZK", "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL",
    "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR",
    "IQD", "IRR", "ISK", "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD",
    "KYD", "KZT", "LAK", "LBP", "LKR", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK",
    "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN", "MXV", "MYR", "MZN", "NAD", "NGN", "NIO",
    "NOK", "NPR", "NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON",
    "RSD", "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD",
    "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD",
    "TZS", "UAH", "UGX", "USD", "USN", "UYI", "UYU", "UYW", "UZS", "VED", "VES", "VND", "VUV",
    "WST", "XAF", "XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XCD", "XCG", "XDR", "XOF", "XPD",
    "XPF", "XPT", "XSU", "XTS", "XUA", "XXX", "YER", "ZAR", "ZMW", "ZWG",
];

/// ISO 3166-1 alpha-2 codes, sorted.
const COUNTRIES: [&str; 249] = [
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
];

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

    #[test]
    fn the_lists_are_sorted_so_that_lookups_work() {
        assert!(CURRENCIES.windows(2).all(|w| w[0] < w[1]));
        assert!(COUNTRIES.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn every_problem_is_named_at_once() {
        let setup = json!({
            "amount": 199.99, "currency": "usd", "processing_channel_id": "channel-1",
            "reference": "R".repeat(81), "payment_type": "Later",
            "billing": {"address": {"city": 7, "country": "ESP"}},
            "settings": {"success_url": "http://shop.example/ok", "failure_url": "/payments/failure"}
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
            found[7].message.contains("plain http"),
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
    fn redirect_urls_are_absolute_https_or_loopback_http() {
        assert_eq!(url_problem("https://shop.example/ok?o=1"), None);
        assert_eq!(url_problem("http://127.0.0.1:8080/ok"), None);
        assert_eq!(url_problem("http://[::1]/ok"), None);
        assert_eq!(url_problem("http://localhost/ok"), None);
        for bad in [
            "http://shop.example/ok",
            "shop.example/ok",
            "https://user:pw@shop.example/",
            "https:///ok",
            "javascript://x",
            "https://shop.example/a b",
        ] {
            assert!(url_problem(bad).is_some(), "{bad}");
        }
    }
}
