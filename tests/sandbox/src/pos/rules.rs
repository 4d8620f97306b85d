//! What the server checks of a part-payment order (the POS document, docs/apis.md), written
//! here on its own, from the document, in the server's words: each
//! problem as one sentence of the 422's `errors`.

use serde_json::Value;

/// The fields the POS document shows at the top of the order; all required.
const REQUIRED: [&str; 11] = [
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
    "cart_items",
];

/// Every problem of `order` for an account of `merchant`.
pub(super) fn order_problems(order: &Value, merchant: &str) -> Vec<String> {
    let mut problems = Vec::new();
    if !order.is_object() {
        problems.push("The body must be a JSON object".to_string());
        return problems;
    }
    match order.pointer("/merchant/id").and_then(Value::as_str) {
        None => problems.push("merchant.id can't be blank".into()),
        Some(id) if id != merchant => problems.push(format!(
            "merchant.id {id} is not a merchant of this API account"
        )),
        Some(_) => {}
    }
    if !filled(order.pointer("/merchant/store_ref")) {
        problems.push("merchant.store_ref can't be blank".into());
    }
    for field in REQUIRED {
        if field != "cart_items" && !filled(order.get(field)) {
            problems.push(format!("{field} can't be blank"));
        }
    }
    if let Some(phone) = order.get("mobile_phone").and_then(Value::as_str) {
        if !phone.is_empty() && !is_mobile(phone) {
            problems.push(format!("mobile_phone {phone} is not a valid mobile number"));
        }
    }
    if let Some(nin) = order.get("nin").and_then(Value::as_str) {
        if !nin.is_empty() && !is_document_number(nin) {
            problems.push(format!("nin {nin} is not a valid NIF/NIE"));
        }
    }
    if let Some(date) = order.get("date_of_birth").and_then(Value::as_str) {
        if !date.is_empty() && !is_iso_date(date) {
            problems.push(format!("date_of_birth {date} is not a date (YYYY-MM-DD)"));
        }
    }
    match order.get("cart_items").and_then(Value::as_array) {
        None => problems.push("cart_items must be a list of items".into()),
        Some(items) if items.is_empty() => problems.push("cart_items can't be empty".into()),
        Some(items) => {
            for (i, item) in items.iter().enumerate() {
                item_problems(i, item, &mut problems);
            }
        }
    }
    problems
}

fn item_problems(i: usize, item: &Value, problems: &mut Vec<String>) {
    let at = format!("cart_items[{i}]");
    let kind = item.get("type").and_then(Value::as_str).unwrap_or("");
    if kind.contains("subscription") || item.get("subscription_vat_rate").is_some() {
        problems.push(format!(
            "{at} is a subscription item; part payment orders accept standard products only"
        ));
    }
    for field in ["reference", "name"] {
        if !filled(item.get(field)) {
            problems.push(format!("{at}.{field} can't be blank"));
        }
    }
    match item.get("price_with_tax") {
        Some(Value::Number(n)) if n.as_i64().is_some_and(|c| c >= 0) => {}
        _ => problems.push(format!(
            "{at}.price_with_tax must be a non-negative integer (cents)"
        )),
    }
    match item.get("quantity") {
        Some(Value::Number(n)) if n.as_i64().is_some_and(|q| q > 0) => {}
        _ => problems.push(format!("{at}.quantity must be greater than 0")),
    }
}

fn filled(value: Option<&Value>) -> bool {
    value
        .and_then(Value::as_str)
        .is_some_and(|s| !s.trim().is_empty())
}

/// `+34`/`0034` and 9 digits from 6 or 7, the same without the prefix, or
/// another country's `+` number of 8 to 15 digits.
pub(super) fn is_mobile(phone: &str) -> bool {
    let national = phone
        .strip_prefix("+34")
        .or_else(|| phone.strip_prefix("0034"))
        .unwrap_or(phone);
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if national.len() == 9 && digits(national) {
        return national.starts_with('6') || national.starts_with('7');
    }
    match phone.strip_prefix('+') {
        Some(rest) if !rest.starts_with("34") => digits(rest) && (8..=15).contains(&rest.len()),
        _ => false,
    }
}

/// An identity document number as the POS document's own order writes it:
/// letters and digits (`12345678A`, whose check letter the answer takes as
/// it is; an NIE; a passport's), 5 to 20 of them, at least one a digit.
fn is_document_number(nin: &str) -> bool {
    (5..=20).contains(&nin.len())
        && nin.chars().all(|c| c.is_ascii_alphanumeric())
        && nin.chars().any(|c| c.is_ascii_digit())
}

/// `YYYY-MM-DD` naming a day of the calendar (`time`'s, leap years and
/// all).
fn is_iso_date(date: &str) -> bool {
    let parts: Vec<&str> = date.split('-').collect();
    let [year, month, day] = parts.as_slice() else {
        return false;
    };
    let digits = |text: &str, length: usize| {
        text.len() == length && text.bytes().all(|b| b.is_ascii_digit())
    };
    if !(digits(year, 4) && digits(month, 2) && digits(day, 2)) {
        return false;
    }
    let (Ok(year), Ok(month), Ok(day)) = (year.parse(), month.parse::<u8>(), day.parse()) else {
        return false;
    };
    time::Month::try_from(month)
        .and_then(|month| time::Date::from_calendar_date(year, month, day))
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn order() -> Value {
        json!({
            "merchant": {"id": "demo", "store_ref": "store_1"},
            "operator_ref": "operator@example.com", "reference": "pos_1234",
            "mobile_phone": "+34666123456", "given_names": "María",
            "surnames": "García López", "date_of_birth": "1990-01-01", "nin": "12345678Z",
            "address": "Calle Mayor 1", "postal_code": "08001", "city": "Barcelona",
            "cart_items": [{"reference": "FRAME-001", "name": "Designer Frame",
                            "price_with_tax": 25000, "quantity": 1}]
        })
    }

    #[test]
    fn a_documented_order_passes() {
        assert_eq!(order_problems(&order(), "demo"), Vec::<String>::new());
    }

    #[test]
    fn another_merchant_and_bad_fields_are_named() {
        let mut order = order();
        order["merchant"]["id"] = json!("someone_else");
        order["nin"] = json!("12-345");
        order["cart_items"][0]["quantity"] = json!(0);
        order["cart_items"][0]["type"] = json!("material_subscription");
        assert_eq!(
            order_problems(&order, "demo"),
            [
                "merchant.id someone_else is not a merchant of this API account",
                "nin 12-345 is not a valid NIF/NIE",
                "cart_items[0] is a subscription item; part payment orders accept standard products only",
                "cart_items[0].quantity must be greater than 0",
            ]
        );
    }

    #[test]
    fn phones_national_ids_and_dates() {
        assert!(is_mobile("666123456") && is_mobile("+447700900123"));
        assert!(!is_mobile("+34912345678") && !is_mobile("+34 666 123 456"));
        assert!(is_document_number("12345678A") && is_document_number("AB1234567"));
        assert!(!is_document_number("12-345") && !is_document_number("ABCDEF"));
        assert!(is_iso_date("2000-02-29") && !is_iso_date("1900-02-29"));
        assert!(is_iso_date("1890-12-31") && is_iso_date("2024-02-29"));
        for bad in [
            "2023-02-29",
            "2024-13-01",
            "2024-04-31",
            "+999-01-01",
            "2024-1-01",
            "0000-00-00",
        ] {
            assert!(!is_iso_date(bad), "{bad}");
        }
    }
}
