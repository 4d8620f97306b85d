//! How the answers' fields that no flow needs are read: leniently, so that
//! a server that writes one another way than its document (an empty object
//! as `[]`, as PHP's `json_encode` writes an empty array; `null` for
//! "none"; a number as text) does not make a whole answer unreadable, after
//! the call it answers may have acted (an order created, a charge taken).
//! What a flow needs (an id, a status) is read strictly, where it is typed.

use serde::de::{DeserializeOwned, Deserializer};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// The field as a `T`, with `null` for "none" and `[]` for an empty
/// object (as PHP writes one): `T::default()` for both. Any other value
/// must be a `T`.
pub(crate) fn or_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned + Default,
{
    match Value::deserialize(deserializer)? {
        Value::Null => Ok(T::default()),
        Value::Array(list) if list.is_empty() => {
            Ok(serde_json::from_value(Value::Array(list)).unwrap_or_default())
        }
        value => serde_json::from_value(value).map_err(serde::de::Error::custom),
    }
}

/// An object of objects read with [`or_default`], each of its values
/// too: `"klarna": null` is an entry with nothing in it, not an answer
/// that cannot be read.
pub(crate) fn entries_or_default<'de, D, T>(
    deserializer: D,
) -> Result<BTreeMap<String, T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned + Default,
{
    let entries: BTreeMap<String, Value> = or_default(deserializer)?;
    entries
        .into_iter()
        .map(|(key, value)| match or_default(value) {
            Ok(value) => Ok((key, value)),
            Err(e) => Err(serde::de::Error::custom(format_args!("{key}: {e}"))),
        })
        .collect()
}

/// A JSON number that is a whole number: an integer, or a float without a
/// fraction that a double holds exactly (below 2^53); else `None`.
pub(crate) fn whole_number(n: &serde_json::Number) -> Option<i64> {
    n.as_i64().or_else(|| {
        n.as_f64()
            .filter(|f| f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0)
            .map(|f| f as i64)
    })
}

/// A whole number, not negative (every count, id and amount of an answer
/// is one), written as a JSON integer, as text of digits alone (`"4567"`:
/// no sign, no space, which a shop's cast would read otherwise), or as a
/// whole float (`3600.0`); else `None`.
pub(crate) fn integer_of(value: &Value) -> Option<i64> {
    let whole = match value {
        Value::Number(n) => whole_number(n),
        Value::String(text) if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) => {
            text.parse().ok()
        }
        _ => None,
    };
    whole.filter(|n| *n >= 0)
}

/// An optional integer field read with [`integer_of`]: `None` when absent
/// or when it is no integer in any of those forms.
pub(crate) fn optional_integer<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<i64>, D::Error> {
    Ok(integer_of(&Value::deserialize(deserializer)?))
}

/// An optional amount in cents read with [`integer_of`]: `None` when
/// absent or `null`; a value that is no whole number in any of those
/// forms (`2.5`: no cents; `"abc"`) is refused, never dropped, as money
/// the shop shows or charges must not vanish from an answer.
pub(crate) fn optional_cents<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<i64>, D::Error> {
    match Value::deserialize(deserializer)? {
        Value::Null => Ok(None),
        value => integer_of(&value).map(Some).ok_or_else(|| {
            serde::de::Error::custom(format_args!(
                "expected a whole number of cents, found {}",
                crate::validate::text::describe(&value)
            ))
        }),
    }
}

/// A required integer field read with [`integer_of`].
pub(crate) fn integer<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    let value = Value::deserialize(deserializer)?;
    integer_of(&value).ok_or_else(|| {
        serde::de::Error::custom(format_args!(
            "expected a whole number, not negative, found {}",
            crate::validate::text::describe(&value)
        ))
    })
}

/// A numeric id read with [`integer_of`] (`4567` or `"4567"`), from 1 up:
/// the calls that take it refuse 0.
pub(crate) fn id<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    let value = integer(deserializer)?;
    u64::try_from(value)
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| serde::de::Error::custom(format_args!("expected an id, found {value}")))
}

/// A text field that a server may write as a number (`250.00` for
/// `"250.00"`): the number's JSON text.
pub(crate) fn text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    match Value::deserialize(deserializer)? {
        Value::String(text) => Ok(text),
        Value::Number(n) => Ok(n.to_string()),
        other => Err(serde::de::Error::custom(format_args!(
            "expected text, found {}",
            crate::validate::text::describe(&other)
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::collections::BTreeMap;

    #[derive(Deserialize, Debug, PartialEq)]
    struct Answer {
        #[serde(deserialize_with = "integer")]
        id: i64,
        #[serde(default, deserialize_with = "or_default")]
        items: Vec<String>,
        #[serde(default, deserialize_with = "or_default")]
        methods: BTreeMap<String, String>,
        #[serde(default, deserialize_with = "optional_integer")]
        min: Option<i64>,
        #[serde(deserialize_with = "text")]
        total: String,
    }

    fn read(answer: Value) -> Result<Answer, serde_json::Error> {
        serde_json::from_value(answer)
    }

    #[test]
    fn what_no_flow_needs_is_read_whatever_its_shape_and_an_id_in_any_integer_form() {
        for (items, methods) in [(json!(null), json!(null)), (json!([]), json!([]))] {
            let answer = read(json!({"id": "4567", "items": items, "methods": methods,
                                     "min": "0", "total": 250.0}))
            .unwrap();
            assert_eq!(answer.id, 4567);
            assert!(answer.items.is_empty() && answer.methods.is_empty());
            assert_eq!(answer.min, Some(0));
            assert_eq!(answer.total, "250.0");
        }
        let answer = read(json!({"id": 7, "items": ["a"], "total": "250.00"})).unwrap();
        assert_eq!(
            (answer.id, answer.items, answer.min),
            (7, vec!["a".into()], None)
        );
        assert_eq!(read(json!({"id": 3600.0, "total": "1"})).unwrap().id, 3600);
        // Any other shape is still refused.
        assert!(read(json!({"id": 1, "total": "1", "items": [{"a": 1}]})).is_err());
        assert!(read(json!({"id": 1, "total": "1", "methods": "x"})).is_err());
        for id in [
            json!("x"),
            json!(null),
            json!(1.5),
            json!({}),
            json!(-1),
            json!("-1"),
            json!("+1"),
            json!(" 1"),
            json!("1\n"),
            json!("\u{3000}1"),
            json!(""),
        ] {
            assert!(read(json!({"id": id, "total": "1"})).is_err(), "{id}");
        }
        assert!(read(json!({"id": 1, "total": null})).is_err());
    }

    #[derive(Deserialize, Debug, PartialEq)]
    struct Fee {
        #[serde(default, deserialize_with = "optional_cents")]
        fee: Option<i64>,
    }

    #[test]
    fn cents_are_read_in_any_whole_form_and_a_fraction_is_refused_not_dropped() {
        let fee = |value: Value| serde_json::from_value::<Fee>(json!({ "fee": value }));
        for (value, cents) in [(json!(250), 250), (json!(250.0), 250), (json!("250"), 250)] {
            assert_eq!(fee(value.clone()).unwrap().fee, Some(cents), "{value}");
        }
        assert_eq!(fee(json!(null)).unwrap().fee, None);
        assert_eq!(serde_json::from_value::<Fee>(json!({})).unwrap().fee, None);
        for value in [
            json!(2.5),
            json!("2.5"),
            json!("abc"),
            json!(true),
            json!({}),
            json!(-500),
            json!(-1e15),
            json!("-5000"),
            json!(" +9223372036854775807 "),
            json!("\u{3000}300\n"),
        ] {
            let err = fee(value.clone()).unwrap_err().to_string();
            assert!(
                err.contains("expected a whole number of cents"),
                "{value}: {err}"
            );
        }
    }
}
