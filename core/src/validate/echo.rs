//! What an answer gives back of its request. A created or changed
//! object's amount, currency and the shop's reference must be those sent:
//! an answer that says otherwise (a proxy's mix-up, a server that read
//! the amount in another unit, another shop's object) is no success, as
//! the shop would book and show a sum or an order nobody asked for.

use crate::redact::quote;
use serde_json::Value;

/// One field as the answer writes it and as the request did, each in one
/// form (an amount as its digits); `None` on either side is not compared:
/// an answer need not give back every field.
pub(crate) struct Echo {
    pub name: &'static str,
    pub answered: Option<String>,
    pub sent: Option<String>,
}

impl Echo {
    /// A text field, found in `sent` by its `name` (keys between dots).
    pub fn text(name: &'static str, answered: Option<String>, sent: &Value) -> Echo {
        let sent = text(at(sent, name));
        Echo {
            name,
            answered,
            sent,
        }
    }

    /// An amount ([`units`]), found in `sent` by its `name`.
    pub fn units(name: &'static str, answered: Option<String>, sent: &Value) -> Echo {
        let sent = units(at(sent, name));
        Echo {
            name,
            answered,
            sent,
        }
    }
}

/// The value at `name`'s keys (`price.amount`) in `sent`.
fn at<'a>(sent: &'a Value, name: &str) -> Option<&'a Value> {
    name.split('.').try_fold(sent, |value, key| value.get(key))
}

/// What the first field the answer gives back otherwise says, for a
/// message: "its amount is "1", not the "20000" sent".
pub(crate) fn differs(fields: impl IntoIterator<Item = Echo>) -> Option<String> {
    fields
        .into_iter()
        .find_map(|field| match (field.answered, field.sent) {
            (Some(answered), Some(sent)) if answered != sent => Some(format!(
                "its {} is {}, not the {} sent",
                field.name,
                quote(&answered),
                quote(&sent)
            )),
            _ => None,
        })
}

/// An amount of a request (`999` or `"999"`) as its digits, or `None`
/// for anything else (which its validator refused before sending).
fn units(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::Number(n) if n.is_u64() || n.is_i64() => Some(n.to_string()),
        Value::String(text) if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) => {
            Some(text.trim_start_matches('0').to_string()).filter(|t| !t.is_empty())
        }
        _ => None,
    }
}

/// A text field of a request, as sent.
fn text(value: Option<&Value>) -> Option<String> {
    value?.as_str().map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_first_field_given_back_otherwise_is_named_and_absent_ones_are_not_compared() {
        let echo = |name, answered: Option<&str>, sent: Option<&str>| Echo {
            name,
            answered: answered.map(str::to_string),
            sent: sent.map(str::to_string),
        };
        assert_eq!(
            differs([
                echo("amount", Some("20000"), Some("20000")),
                echo("currency", None, Some("EUR")),
                echo("reference", Some("ORD-2"), None),
                echo("order_id", Some("B"), Some("A")),
                echo("currency", Some("USD"), Some("EUR")),
            ]),
            Some("its order_id is \"B\", not the \"A\" sent".into())
        );
        assert_eq!(differs([echo("amount", Some("1"), Some("1"))]), None);
    }

    #[test]
    fn an_amount_sent_as_a_number_or_digits_is_its_digits() {
        assert_eq!(units(Some(&json!(999))), Some("999".into()));
        assert_eq!(units(Some(&json!("999"))), Some("999".into()));
        assert_eq!(units(Some(&json!("0999"))), Some("999".into()));
        for other in [
            json!(9.99),
            json!("9.99"),
            json!(""),
            json!("000"),
            json!(null),
        ] {
            assert_eq!(units(Some(&other)), None, "{other}");
        }
        assert_eq!(units(None), None);
        assert_eq!(text(Some(&json!("EUR"))), Some("EUR".into()));
        let sent = json!({"price": {"amount": "999", "currency": "EUR"}});
        let amount = Echo::units("price.amount", None, &sent);
        assert_eq!(
            (amount.name, amount.sent),
            ("price.amount", Some("999".into()))
        );
        assert_eq!(
            Echo::text("price.currency", None, &sent).sent,
            Some("EUR".into())
        );
        assert_eq!(Echo::text("order_id", None, &sent).sent, None);
        assert_eq!(text(Some(&json!(1))), None);
    }
}
