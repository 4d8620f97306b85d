//! How the part-payment API words its refusals.
//!
//! The seed documents the statuses (401, 404, 422) and the success bodies
//! (`{"success": true, "message": "..."}`), not the error body. The API
//! answers in that same envelope with `success` false: a `message`, and
//! for a refused body possibly a list (or a Rails-style map) of `errors`.
//! `{"error": "..."}` is read too. A body in none of these shapes (such as
//! the `HTTP Basic: Access denied.` text of a wrong password) is kept as
//! text by the transport.

use crate::http::{text_of, ErrorBody, ErrorFormat};
use serde_json::Value;

pub(super) const FORMAT: ErrorFormat = ErrorFormat {
    parse,
    // Rails answers every request with one; support asks for it.
    request_id_header: Some("x-request-id"),
};

fn parse(body: &Value) -> Option<ErrorBody> {
    let object = body.as_object()?;
    let mut errors = Vec::new();
    for key in ["message", "error"] {
        match object.get(key) {
            Some(Value::String(text)) if !text.trim().is_empty() => errors.push(text.clone()),
            _ => {}
        }
    }
    match object.get("errors") {
        Some(Value::Array(list)) => errors.extend(list.iter().map(text_of)),
        // `{"errors": {"nin": ["is invalid"]}}`: one line per message.
        Some(Value::Object(fields)) => {
            for (field, messages) in fields {
                match messages {
                    Value::Array(list) => errors.extend(
                        list.iter()
                            .map(|message| format!("{field} {}", text_of(message))),
                    ),
                    other => errors.push(format!("{field} {}", text_of(other))),
                }
            }
        }
        Some(Value::String(text)) => errors.push(text.clone()),
        _ => {}
    }
    if errors.is_empty() {
        return None;
    }
    Some(ErrorBody {
        errors,
        request_id: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_message_and_every_error_are_read() {
        let body = json!({"success": false, "message": "Invalid order",
                          "errors": ["nin is invalid", {"code": 7}]});
        assert_eq!(
            parse(&body).unwrap().errors,
            vec!["Invalid order", "nin is invalid", r#"{"code":7}"#]
        );
        let rails = json!({"errors": {"nin": ["is invalid", "is too short"]}});
        assert_eq!(
            parse(&rails).unwrap().errors,
            vec!["nin is invalid", "nin is too short"]
        );
        assert_eq!(
            parse(&json!({"error": "Order not found"})).unwrap().errors,
            vec!["Order not found"]
        );
    }

    #[test]
    fn bodies_of_another_shape_are_not_errors_of_this_api() {
        assert!(parse(&json!("HTTP Basic: Access denied.")).is_none());
        assert!(parse(&json!({"success": false})).is_none());
        assert!(parse(&json!({"message": "  "})).is_none());
    }
}
