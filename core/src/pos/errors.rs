//! How the part-payment API words its refusals.
//!
//! The seed documents the statuses (401, 404, 422) and the success bodies
//! (`{"success": true, "message": "..."}`), not the error body. The API
//! answers in that same envelope with `success` false: a `message`, and
//! for a refused body possibly a list (or a Rails-style map) of `errors`.
//! `{"error": "..."}` is read too. A body in none of these shapes (such as
//! the `HTTP Basic: Access denied.` text of a wrong password) is kept as
//! text by the transport.

use crate::http::{rails_errors, ErrorFormat};

pub(super) const FORMAT: ErrorFormat = ErrorFormat {
    parse: rails_errors,
    // Rails answers every request with one; support asks for it.
    request_id_header: Some("x-request-id"),
    credentials: crate::error::Credentials::UsernameAndPassword,
};

#[cfg(test)]
mod tests {
    use crate::http::rails_errors as parse;
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
