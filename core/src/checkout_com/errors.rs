//! How checkout.com words its refusals: `{"request_id", "error_type",
//! "error_codes": [...]}`, and the `Cko-Request-Id` header on every answer.

use crate::http::{text_of, ErrorBody, ErrorFormat};
use serde_json::Value;

/// The error format of the checkout.com API. The request id comes from the
/// `Cko-Request-Id` header (present on every answer, also on a 401 with an
/// empty body), else from the body.
pub(crate) const CHECKOUT_COM: ErrorFormat = ErrorFormat {
    parse,
    request_id_header: Some("cko-request-id"),
    credentials: crate::error::Credentials::CheckoutCom,
};

/// The server's reasons are its `error_codes` (e.g. `amount_required`),
/// which a caller can match on; the `error_type` (e.g. `request_invalid`)
/// only stands in when there are no codes.
fn parse(body: &Value) -> Option<ErrorBody> {
    let object = body.as_object()?;
    let error_type = object.get("error_type").and_then(Value::as_str);
    let codes = object.get("error_codes").and_then(Value::as_array);
    if error_type.is_none() && codes.is_none() {
        return None;
    }
    let mut errors: Vec<String> = codes.into_iter().flatten().map(text_of).collect();
    if errors.is_empty() {
        errors.extend(error_type.map(str::to_string));
    }
    Some(ErrorBody {
        errors,
        request_id: object
            .get("request_id")
            .and_then(Value::as_str)
            .map(str::to_string),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn error_codes_are_the_errors_and_the_request_id_is_kept() {
        let body = parse(
            &json!({"request_id": "0HL80RJLS76I7", "error_type": "request_invalid",
            "error_codes": ["amount_required", "currency_invalid"]}),
        )
        .unwrap();
        assert_eq!(body.errors, ["amount_required", "currency_invalid"]);
        assert_eq!(body.request_id.as_deref(), Some("0HL80RJLS76I7"));
    }

    #[test]
    fn the_type_stands_in_for_missing_codes() {
        let body = parse(&json!({"request_id": "r", "error_type": "conflict"})).unwrap();
        assert_eq!(body.errors, ["conflict"]);
        assert!(parse(&json!({"errors": ["x"]})).is_none());
        assert!(parse(&json!("text")).is_none());
    }
}
