//! The part-payment (POS) orders API against the sandbox: create, send the
//! SMS, the customer signs, cancel; and every documented refusal (401, 404,
//! 422 not cancellable, 422 subscription) as its typed kind with the
//! server's message.

#[allow(dead_code)]
mod common;

use common::documents::pos_order as order;
use sequra::orders::Endpoint;
use sequra::pos::{CancelOutcome, Client, Config, Status};
use sequra::ErrorKind;
use sequra_sandbox::{Sandbox, DEFAULT_MERCHANT, DEFAULT_PASSWORD, DEFAULT_USERNAME};
use serde_json::{json, Value};
use std::time::Duration;

fn sandbox() -> Sandbox {
    common::sandbox()
}

fn config_with(sandbox: &Sandbox, password: &str) -> Config {
    let mut config = Config::new(
        Endpoint::Url(sandbox.url().to_string()),
        DEFAULT_MERCHANT,
        DEFAULT_USERNAME,
        password,
    );
    config.connection = common::connection(sandbox.url());
    config
}

fn client_with(sandbox: &Sandbox, password: &str) -> Client {
    Client::new(config_with(sandbox, password)).expect("a valid config")
}

fn client(sandbox: &Sandbox) -> Client {
    client_with(sandbox, DEFAULT_PASSWORD)
}

fn control(sandbox: &Sandbox, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
    let url = format!("{}/sandbox/pos{path}", sandbox.url());
    let agent = common::control_agent(&url);
    let mut response = match (method, body) {
        ("GET", _) => agent.get(&url).call(),
        (_, Some(body)) => agent
            .post(&url)
            .header("content-type", "application/json")
            .send(body.to_string()),
        (_, None) => agent.post(&url).send_empty(),
    }
    .expect("the control endpoint answers");
    let text = response.body_mut().read_to_string().expect("a body");
    (
        response.status().as_u16(),
        serde_json::from_str(&text).expect("JSON"),
    )
}

/// What the sandbox knows of an order: cart, account, SMS, cancellation.
fn inspect(sandbox: &Sandbox, id: u64) -> Value {
    control(sandbox, "GET", &format!("/orders/{id}"), None).1
}

/// The customer signs the agreement on their phone.
fn sign(sandbox: &Sandbox, id: u64) {
    let (status, answer) = control(sandbox, "POST", &format!("/orders/{id}/sign"), None);
    assert_eq!(status, 200, "{answer}");
}

/// An order made elsewhere in seQura (`status`, `subscription_id`,
/// `api_account`); its id.
fn seed_order(sandbox: &Sandbox, how: Value) -> u64 {
    let (status, cart) = control(sandbox, "POST", "/orders", Some(how));
    assert_eq!(status, 201, "{cart}");
    cart["id"].as_u64().expect("an id")
}

#[test]
fn pending_order_is_created_texted_and_cancelled_at_once() {
    let sandbox = sandbox();
    let client = client(&sandbox);
    let cart = client.orders().create(&order()).unwrap();
    assert_eq!(cart.status, Status::Pending);
    assert_eq!(cart.total_with_tax, "250.00");
    assert_eq!(cart.total_with_tax_cents(), Some(25000));
    assert_eq!(cart.currency, "EUR");
    assert_eq!(cart.sms_mobile_phone.as_deref(), Some("+34666123456"));
    assert_eq!(cart.cart_items[0].total_with_tax, Some(25000));
    assert_eq!(cart.customer_data.nin.as_deref(), Some("12345678Z"));
    assert_eq!(
        (cart.order_uuid.clone(), cart.subscription_id.clone()),
        (None, None)
    );
    assert!(cart.can_resend_sms);

    let sent = client.orders().send_sms(cart.id, None).unwrap();
    assert_eq!(sent.message, "SMS sent successfully");
    assert_eq!(inspect(&sandbox, cart.id)["sms"], json!(["+34666123456"]));

    let cancellation = client.orders().cancel(cart.id).unwrap();
    assert_eq!(cancellation.outcome, CancelOutcome::Cancelled);
    assert_eq!(cancellation.message, "Order cancelled successfully");
    assert_eq!(cancellation.order.unwrap().status, Status::Cancelled);
}

#[test]
fn signed_order_cancellation_is_a_request_to_the_financing_provider() {
    let sandbox = sandbox();
    let client = client(&sandbox);
    let id = client.orders().create(&order()).unwrap().id;
    client.orders().send_sms(id, None).unwrap();
    sign(&sandbox, id);
    let signed = client.orders().get(id).unwrap();
    assert_eq!(signed.status, Status::Confirmed);
    assert!(signed.order_uuid.is_some() && !signed.can_resend_sms);

    let cancellation = client.orders().cancel(id).unwrap();
    assert_eq!(cancellation.outcome, CancelOutcome::Requested);
    let written = serde_json::to_value(&cancellation).unwrap();
    assert_eq!(written["outcome"], "cancellation_requested");
    assert_eq!(written["status"], "confirmed");
    assert_eq!(inspect(&sandbox, id)["cancellation_requested"], true);

    let (status, _) = control(
        &sandbox,
        "POST",
        &format!("/orders/{id}/provider_cancels"),
        None,
    );
    assert_eq!(status, 200);
    assert_eq!(client.orders().get(id).unwrap().status, Status::Cancelled);
}

#[test]
fn an_order_with_every_field_is_sent_as_the_document_writes_it() {
    let sandbox = sandbox();
    let order = json!({
        "merchant": {"id": DEFAULT_MERCHANT, "store_ref": "store_1"},
        "operator_ref": "operator@example.com",
        "reference": "pos_9",
        "mobile_phone": "666123456",
        "given_names": "Ana",
        "surnames": "Ruiz",
        "date_of_birth": "1985-06-30",
        "nin": "X1234567L",
        "address": "Calle Mayor 1",
        "postal_code": "08001",
        "city": "Barcelona",
        "email": "ana@example.com",
        "cart_items": [
            {"reference": "FRAME-001", "name": "Designer Frame", "price_with_tax": 12050, "quantity": 2},
            {"reference": "CASE-1", "name": "Case", "price_with_tax": 999, "quantity": 1}
        ]
    });
    let cart = client(&sandbox).orders().create(&order).unwrap();
    assert_eq!(cart.total_with_tax, "250.99");
    assert_eq!(cart.reference.as_deref(), Some("pos_9"));
    assert_eq!(cart.customer_data.email.as_deref(), Some("ana@example.com"));
}

#[test]
fn sms_goes_to_the_override_number_which_is_checked_before_sending() {
    let sandbox = sandbox();
    let client = client(&sandbox);
    let id = client.orders().create(&order()).unwrap().id;
    client.orders().send_sms(id, Some("+34699000111")).unwrap();
    assert_eq!(
        client.orders().get(id).unwrap().sms_mobile_phone.as_deref(),
        Some("+34699000111")
    );

    let err = client.orders().send_sms(id, Some("+34 699")).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert_eq!(err.problems()[0].path, "mobile_phone");
    assert!(!err.may_have_acted());
    assert_eq!(inspect(&sandbox, id)["sms"], json!(["+34699000111"]));
}

#[test]
fn sms_is_refused_with_the_servers_message_once_it_may_not_be_resent() {
    let sandbox = sandbox();
    let client = client(&sandbox);
    let id = client.orders().create(&order()).unwrap().id;
    for _ in 0..3 {
        client.orders().send_sms(id, None).unwrap();
    }
    assert!(!client.orders().get(id).unwrap().can_resend_sms);
    let err = client.orders().send_sms(id, None).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unprocessable);
    assert_eq!(err.status(), Some(422));
    assert!(
        err.to_string().contains("SMS can't be sent for this order"),
        "{err}"
    );

    let signed = client.orders().create(&order()).unwrap().id;
    sign(&sandbox, signed);
    let err = client.orders().send_sms(signed, None).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unprocessable);
    assert!(err.to_string().contains("the order is confirmed"), "{err}");
}

/// The success envelope with `success` false, answered 200, is a refusal:
/// "SMS sent" is never said of it, nor "cancelled".
#[test]
fn a_200_that_says_success_false_is_no_sms_sent_and_no_cancel() {
    use sequra_sandbox::{Fault, FaultKind};
    let sandbox = sandbox();
    let client = client(&sandbox);
    let id = client.orders().create(&order()).unwrap().id;
    let refusal = FaultKind::Status {
        status: 200,
        body: Some(r#"{"success": false, "message": "SMS provider down"}"#.into()),
    };
    for action in ["send_sms", "cancel"] {
        let path = format!("/api/public/v1/orders/{id}/{action}");
        sandbox
            .queue_fault(Fault::new("POST", &path, refusal.clone()))
            .unwrap();
        let err = match action {
            "send_sms" => client.orders().send_sms(id, None).map(|_| ()),
            _ => client.orders().cancel(id).map(|_| ()),
        }
        .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UnexpectedResponse, "{action}: {err}");
        // The server said it did nothing: sending again is safe, and says
        // no more than that it may act twice.
        assert!(!err.may_have_acted(), "{action}: {err}");
        let message = err.to_string();
        assert!(
            message.contains("success false") && message.contains("SMS provider down"),
            "{action}: {message}"
        );
        assert!(!message.contains("may act twice"), "{action}: {message}");
    }
    assert_eq!(client.orders().get(id).unwrap().status, Status::Pending);
}

/// A message with a NUL byte is no message of the API (and no C string):
/// refused naming the request, and saying the SMS may have gone out.
#[test]
fn a_message_with_a_nul_byte_is_an_unexpected_response_that_may_have_acted() {
    use sequra_sandbox::{Fault, FaultKind};
    let sandbox = sandbox();
    let client = client(&sandbox);
    let id = client.orders().create(&order()).unwrap().id;
    let path = format!("/api/public/v1/orders/{id}/send_sms");
    let answer = FaultKind::Status {
        status: 200,
        body: Some(r#"{"message": "SMS\u0000sent"}"#.into()),
    };
    sandbox
        .queue_fault(Fault::new("POST", &path, answer))
        .unwrap();
    let err = client.orders().send_sms(id, None).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnexpectedResponse, "{err}");
    assert!(err.may_have_acted(), "{err}");
    let message = err.to_string();
    assert!(
        message.starts_with(&format!(
            "POST {path} answered 200: the message holds a NUL byte at offset 3"
        )) && message.ends_with("sending it again may act twice"),
        "{message}"
    );
}

/// A creation answered with a cart the document does not describe (here
/// without its currency) is an unexpected response that may have acted,
/// and names the order's id when the answer has one: the order exists, and
/// the shop can read or cancel it instead of losing it.
#[test]
fn a_creation_whose_answer_is_no_cart_names_the_created_order() {
    use sequra_sandbox::{Fault, FaultKind};
    let sandbox = sandbox();
    let client = client(&sandbox);
    for (body, named) in [
        (r#"{"id": 4242, "status": "pending"}"#, true),
        (r#"{"id": "4242", "status": "pending"}"#, true),
        (r#"{"id": 4242.0, "status": "pending"}"#, true),
        (r#"{"id": "-4242", "status": "pending"}"#, false),
        (r#"{"status": "pending"}"#, false),
    ] {
        let answer = FaultKind::Status {
            status: 200,
            body: Some(body.into()),
        };
        sandbox
            .queue_fault(Fault::new("POST", "/api/public/v1/orders", answer))
            .unwrap();
        let err = client.orders().create(&order()).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UnexpectedResponse, "{err}");
        assert!(err.may_have_acted(), "{err}");
        let message = err.to_string();
        let says = "answered 200: the order was created with id 4242 (read it with the get call, or cancel it), but the body is not the documented JSON";
        assert_eq!(message.contains(says), named, "{message}");
    }
}

/// A created cart that is not pending, or for other items, another
/// reference, or a total other than the items add up to, is unexpected
/// and names the order that exists; the total written as a number, or a
/// cart without a reference or items, is taken.
#[test]
fn a_creation_answered_with_another_status_items_reference_or_total_is_unexpected() {
    use sequra_sandbox::Fault;
    let sandbox = sandbox();
    let client = client(&sandbox);
    let created = client.orders().create(&order()).unwrap();
    let cart = serde_json::to_value(&created).unwrap();
    let with = |key: &str, value: Value| common::answered_with(&cart, key, value);
    for (answer, says) in [
        (
            with("reference", json!("OTHER")),
            "its reference is \"OTHER\", not the \"pos_1234\" sent",
        ),
        (
            with("total_with_tax", json!("2.50")),
            "its total_with_tax is \"2.50\", not the \"250.00\" sent",
        ),
        (
            with("status", json!("confirmed")),
            "it is \"confirmed\", not pending",
        ),
        (
            with(
                "cart_items",
                json!([{"reference": "OTHER-1", "name": "Frame", "price_with_tax": 12500, "quantity": 2}]),
            ),
            "its cart_items is \"OTHER-1 12500 x 2\", not the \"FRAME-001 25000 x 1\" sent",
        ),
        (
            with("total_with_tax", json!(999)),
            "its total_with_tax is \"999.00\", not the \"250.00\" sent",
        ),
        (
            with("total_with_tax", json!("+250.00")),
            "the body is not the documented JSON (expected the total in euros",
        ),
        (
            with("total_with_tax", json!("250.00 ")),
            "the body is not the documented JSON (expected the total in euros",
        ),
    ] {
        sandbox
            .queue_fault(Fault::new("POST", "/api/public/v1/orders", answer))
            .unwrap();
        let err = client.orders().create(&order()).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UnexpectedResponse, "{err}");
        assert!(err.may_have_acted(), "{err}");
        let message = err.to_string();
        let created_as = format!("the order was created with id {} (read it with the get call, or cancel it), but {says}", created.id);
        assert!(message.contains(&created_as), "{message}");
    }
    for answer in [
        with("reference", Value::Null),
        with("total_with_tax", json!(250)),
        with("total_with_tax", json!(250.0)),
        with("total_with_tax", json!("250.000")),
        with("cart_items", json!([])),
    ] {
        sandbox
            .queue_fault(Fault::new("POST", "/api/public/v1/orders", answer))
            .unwrap();
        client.orders().create(&order()).unwrap();
    }
}

/// A cart whose personal field has the wrong type is an unexpected
/// response whose message names the type and place, never the value: the
/// body's excerpt masks the customer's data by its key, and serde's own
/// words would quote it bare.
#[test]
fn a_cart_refused_for_a_personal_fields_type_never_quotes_its_value() {
    use sequra_sandbox::{Fault, FaultKind};
    let sandbox = sandbox();
    let client = client(&sandbox);
    for (field, value) in [
        ("nin", "87654321"),
        ("phone", "34666123456"),
        ("given_names", "-7.25"),
    ] {
        let body = format!(
            r#"{{"id": 4242, "status": "pending", "total_with_tax": "250.00", "currency": "EUR", "can_resend_sms": true, "customer_data": {{"{field}": {value}}}}}"#
        );
        let answer = FaultKind::Status {
            status: 200,
            body: Some(body),
        };
        sandbox
            .queue_fault(Fault::new("POST", "/api/public/v1/orders", answer))
            .unwrap();
        let err = client.orders().create(&order()).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UnexpectedResponse, "{err}");
        let message = err.to_string();
        assert!(message.contains("invalid type:"), "{message}");
        assert!(!message.contains(value), "{field}: {message}");
    }
}

/// A 200 whose body is neither the documented success nor the refusal
/// `"success": false` says nothing of what happened: unexpected, and the
/// SMS may have gone out, never "sent" (nor a cancel "done").
#[test]
fn a_200_that_is_neither_success_nor_refusal_is_unexpected_and_may_have_acted() {
    use sequra_sandbox::{Fault, FaultKind};
    let sandbox = sandbox();
    let client = client(&sandbox);
    let id = client.orders().create(&order()).unwrap().id;
    let path = format!("/api/public/v1/orders/{id}/send_sms");
    for body in [
        r#"{"success": "false", "message": "SMS not sent: blocked"}"#,
        r#"{"success": 0, "message": "failed"}"#,
        r#"{"error": "SMS provider down"}"#,
        r#"{"errors": ["SMS provider down"]}"#,
        r#""SMS sent successfully""#,
        "[]",
        "null",
        r#"{"message": 123}"#,
        r#"{"message": ["SMS sent"]}"#,
    ] {
        let answer = FaultKind::Status {
            status: 200,
            body: Some(body.into()),
        };
        sandbox
            .queue_fault(Fault::new("POST", &path, answer))
            .unwrap();
        let err = client.orders().send_sms(id, None).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UnexpectedResponse, "{body}: {err}");
        assert!(err.may_have_acted(), "{body}: {err}");
        assert!(
            err.to_string()
                .contains("neither the documented success nor its refusal"),
            "{body}: {err}"
        );
    }
}

/// The server's words on a success are shown as they are everywhere: on
/// one line (no escape or line break to forge a log line) and bounded.
#[test]
fn a_success_message_is_one_bounded_line() {
    use sequra_sandbox::{Fault, FaultKind};
    let sandbox = sandbox();
    let client = client(&sandbox);
    let id = client.orders().create(&order()).unwrap().id;
    let path = format!("/api/public/v1/orders/{id}/send_sms");
    let words = format!("sent\n\u{1b}[2J{}", "x".repeat(100_000));
    let answer = FaultKind::Status {
        status: 200,
        body: Some(json!({ "message": words }).to_string()),
    };
    sandbox
        .queue_fault(Fault::new("POST", &path, answer))
        .unwrap();
    let sent = client.orders().send_sms(id, None).unwrap();
    assert!(sent.message.starts_with("sent  [2Jxxx"), "{}", sent.message);
    assert!(sent.message.chars().count() < 250, "{}", sent.message.len());
    assert!(!sent.message.chars().any(char::is_control));
    assert!(
        sent.message.ends_with("… (100009 bytes)"),
        "{}",
        sent.message
    );
}

/// A success without the document's message (no body, `{"success":
/// true}`, a null message) is done all the same: its message is "".
#[test]
fn a_success_without_a_message_is_done() {
    use sequra_sandbox::{Fault, FaultKind};
    let sandbox = sandbox();
    let client = client(&sandbox);
    let id = client.orders().create(&order()).unwrap().id;
    for body in ["", r#"{"success": true}"#, r#"{"message": null}"#] {
        let answer = FaultKind::Status {
            status: 200,
            body: Some(body.into()),
        };
        let path = format!("/api/public/v1/orders/{id}/send_sms");
        sandbox
            .queue_fault(Fault::new("POST", &path, answer))
            .unwrap();
        let sent = client.orders().send_sms(id, None).unwrap();
        assert_eq!(sent.message, "", "{body}");
    }
    let path = format!("/api/public/v1/orders/{id}/cancel");
    let answer = FaultKind::Status {
        status: 200,
        body: Some(String::new()),
    };
    sandbox
        .queue_fault(Fault::new("POST", &path, answer))
        .unwrap();
    let cancellation = client.orders().cancel(id).unwrap();
    assert_eq!(cancellation.message, "");
    // The answer came before the sandbox acted: the order is still
    // pending, which a cancellation does not leave, so neither
    // "cancelled" nor "asked the provider" is said.
    assert_eq!(cancellation.outcome, CancelOutcome::Unknown);
    assert_eq!(cancellation.order.unwrap().status, Status::Pending);
}

#[test]
fn wrong_password_is_an_authentication_error_with_the_servers_text() {
    let sandbox = sandbox();
    let err = client_with(&sandbox, "not-the-password")
        .orders()
        .create(&order())
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Authentication);
    assert_eq!(err.status(), Some(401));
    let message = err.to_string();
    assert!(
        message.contains("HTTP Basic: Access denied") && !message.contains("denied."),
        "{message}"
    );
    assert!(!message.contains("not-the-password"), "{message}");
    assert!(!err.may_have_acted());
}

#[test]
fn another_api_accounts_order_is_an_authentication_error_with_the_servers_message() {
    let sandbox = sandbox();
    let client = client(&sandbox);
    let id = seed_order(&sandbox, json!({"api_account": "another-store"}));
    let calls: [(&str, sequra::Error); 3] = [
        ("get", client.orders().get(id).unwrap_err()),
        ("send_sms", client.orders().send_sms(id, None).unwrap_err()),
        ("cancel", client.orders().cancel(id).unwrap_err()),
    ];
    for (call, err) in calls {
        assert_eq!(err.kind(), ErrorKind::Authentication, "{call}");
        assert_eq!(
            err.remote_errors(),
            ["API account not authorised for this order"],
            "{call}"
        );
    }
    assert_eq!(inspect(&sandbox, id)["cart"]["status"], "pending");
}

/// Ids start at 1: a 0 (a C caller's unset id) is refused before sending.
#[test]
fn order_id_0_is_refused_before_sending() {
    let config = Config::new(
        Endpoint::Url(common::url_of_nothing()),
        DEFAULT_MERCHANT,
        DEFAULT_USERNAME,
        DEFAULT_PASSWORD,
    );
    let client = Client::new(config).unwrap();
    let orders = client.orders();
    for err in [
        orders.get(0).unwrap_err(),
        orders.send_sms(0, None).unwrap_err(),
        orders.cancel(0).unwrap_err(),
    ] {
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
        assert_eq!(err.problems()[0].path, "id", "{err}");
    }
}

#[test]
fn unknown_order_is_not_found_with_the_servers_message() {
    let sandbox = sandbox();
    let client = client(&sandbox);
    let calls = [
        client.orders().get(999_999).unwrap_err(),
        client.orders().send_sms(999_999, None).unwrap_err(),
        client.orders().cancel(999_999).unwrap_err(),
    ];
    for err in calls {
        assert_eq!(err.kind(), ErrorKind::NotFound);
        assert_eq!(err.remote_errors(), ["Order not found"]);
        assert!(err.remote().unwrap().request_id.is_some(), "{err}");
    }
}

#[test]
fn cancelling_a_cancelled_order_is_unprocessable_not_cancellable() {
    let sandbox = sandbox();
    let client = client(&sandbox);
    let id = client.orders().create(&order()).unwrap().id;
    client.orders().cancel(id).unwrap();
    let err = client.orders().cancel(id).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unprocessable);
    assert_eq!(
        err.remote_errors(),
        ["Order is not in a cancellable status (cancelled)"]
    );
    assert!(!err.may_have_acted());
    assert!(err.details()["request_id"].is_string());
}

#[test]
fn cancelling_a_completed_order_is_unprocessable_not_cancellable() {
    let sandbox = sandbox();
    let id = seed_order(&sandbox, json!({"status": "completed"}));
    let err = client(&sandbox).orders().cancel(id).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unprocessable);
    assert!(
        err.to_string()
            .contains("not in a cancellable status (completed)"),
        "{err}"
    );
}

#[test]
fn cancelling_a_subscription_order_is_unprocessable_with_the_servers_message() {
    let sandbox = sandbox();
    let id = seed_order(
        &sandbox,
        json!({"status": "confirmed", "subscription_id": 77}),
    );
    let client = client(&sandbox);
    let cart = client.orders().get(id).unwrap();
    assert_eq!(cart.subscription_id, Some(json!(77)));
    let err = client.orders().cancel(id).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unprocessable);
    assert_eq!(err.status(), Some(422));
    assert!(
        err.remote_errors()[0].contains("Order belongs to a subscription"),
        "{err}"
    );
    assert_eq!(inspect(&sandbox, id)["cancellation_requested"], false);
}

#[test]
fn invalid_order_is_refused_before_sending_with_every_problem() {
    let sandbox = sandbox();
    let client = client(&sandbox);
    let mut order = order();
    order["nin"] = json!("12-345");
    order["mobile_phone"] = json!("912345678");
    order["cart_items"] = json!([
        {"reference": "FRAME-001", "name": "Designer Frame", "price_with_tax": 25000, "quantity": 1},
        {"reference": "LENS-2", "name": "Lens", "price_with_tax": "250.00", "quantity": 0},
        {"reference": "PLAN", "name": "Glasses plan", "type": "subscription_package",
         "price_with_tax": 75000, "quantity": 1}
    ]);
    let err = client.orders().create(&order).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    let paths: Vec<&str> = err.problems().iter().map(|p| p.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "mobile_phone",
            "nin",
            "cart_items[1].price_with_tax",
            "cart_items[1].quantity",
            "cart_items[2].type"
        ]
    );
    assert_eq!(client.orders().validate(&order).len(), 5);
    // Nothing reached the server: the next order gets the first id.
    assert_eq!(client.orders().create(&self::order()).unwrap().id, 4567);
}

#[test]
fn an_order_of_another_merchant_is_refused_before_sending() {
    let sandbox = sandbox();
    let client = client(&sandbox);
    let mut order = order();
    order["merchant"]["id"] = json!("another_merchant");
    let err = client.orders().create(&order).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert_eq!(err.problems().len(), 1);
    assert_eq!(err.problems()[0].path, "merchant.id");
    assert_eq!(
        err.problems()[0].message,
        format!("is a string (\"another_merchant\") but the client is for merchant \"{DEFAULT_MERCHANT}\", which the request names; make them equal")
    );
    assert_eq!(client.orders().validate(&order), err.problems());
    // Checked on its own, with no client, the order is a document like any other.
    assert_eq!(sequra::pos::validate::validate(&order, false, None), []);
    // Nothing reached the server: the next order gets the first id.
    assert_eq!(client.orders().create(&self::order()).unwrap().id, 4567);
}

#[test]
fn order_the_server_refuses_is_unprocessable_with_its_errors() {
    let sandbox = sandbox();
    // A merchant the client and the order agree on, of another API account.
    let mut config = config_with(&sandbox, DEFAULT_PASSWORD);
    config.merchant = "another_merchant".into();
    let mut order = order();
    order["merchant"]["id"] = json!("another_merchant");
    let err = Client::new(config)
        .unwrap()
        .orders()
        .create(&order)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unprocessable);
    assert_eq!(
        err.remote_errors(),
        [
            "The order is not valid",
            "merchant.id another_merchant is not a merchant of this API account"
        ]
    );
    assert!(!err.may_have_acted());
}

#[test]
fn unknown_keys_are_sent_only_when_allowed() {
    let sandbox = sandbox();
    let mut order = order();
    order["nin_control"] = json!("0012201M");
    let err = client(&sandbox).orders().create(&order).unwrap_err();
    assert_eq!(err.problems()[0].path, "nin_control");

    let client = Client::from_json(&json!({
        "endpoint": sandbox.url(), "merchant": DEFAULT_MERCHANT,
        "username": DEFAULT_USERNAME, "password": DEFAULT_PASSWORD,
        "allow_unknown_keys": true, "ca_file": common::ca_file(sandbox.url())
    }))
    .unwrap();
    assert_eq!(client.merchant_id(), DEFAULT_MERCHANT);
    assert_eq!(
        client.orders().create(&order).unwrap().status,
        Status::Pending
    );
}

#[test]
fn customer_signing_later_is_seen_by_polling_the_order() {
    let sandbox = sandbox();
    let client = client(&sandbox);
    let id = client.orders().create(&order()).unwrap().id;
    client.orders().send_sms(id, None).unwrap();
    let (status, _) = control(
        &sandbox,
        "POST",
        &format!("/orders/{id}/sign?after_ms=150"),
        None,
    );
    assert_eq!(status, 202);
    assert_eq!(client.orders().get(id).unwrap().status, Status::Pending);
    let mut polls = 0;
    while client.orders().get(id).unwrap().status == Status::Pending {
        polls += 1;
        assert!(polls < 100, "the customer never signed");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(client.orders().get(id).unwrap().status, Status::Confirmed);
}

#[test]
fn no_server_is_a_transport_error_that_sent_nothing() {
    let mut config = Config::new(
        Endpoint::Url(common::url_of_nothing()),
        DEFAULT_MERCHANT,
        DEFAULT_USERNAME,
        DEFAULT_PASSWORD,
    );
    config.connection.timeout = Duration::from_secs(2);
    let err = Client::new(config)
        .unwrap()
        .orders()
        .send_sms(1, None)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport);
    assert!(!err.may_have_acted());
}

#[test]
fn a_cancel_and_its_read_back_end_within_one_timeout() {
    use sequra_sandbox::{Fault, FaultKind};
    use std::time::Instant;
    let sandbox = sandbox();
    let mut config = config_with(&sandbox, DEFAULT_PASSWORD);
    config.connection.timeout = Duration::from_millis(1500);
    let client = Client::new(config).unwrap();
    let id = client.orders().create(&order()).unwrap().id;
    // The cancel is slow but in time; the read after it would take longer
    // than the whole call may.
    let path = format!("/api/public/v1/orders/{id}");
    let slow = |method: &str, path: &str, ms| {
        let fault = Fault::new(method, path, FaultKind::Delay { ms }).times(5);
        sandbox.queue_fault(fault).unwrap();
    };
    slow("POST", &format!("{path}/cancel"), 1000);
    slow("GET", &path, 5000);
    let started = Instant::now();
    let cancellation = client.orders().cancel(id).unwrap();
    let took = started.elapsed();
    assert_eq!(cancellation.outcome, CancelOutcome::Unknown);
    assert!(took < Duration::from_millis(2200), "took {took:?}");
    sandbox.clear_faults();
}

#[test]
fn an_answer_about_another_order_is_unexpected_never_that_orders_cart() {
    // A proxy's mix-up, or a stray answer left on a kept-alive connection:
    // the cart of another order must not pass for the one asked for, nor
    // decide the outcome of a cancel.
    use sequra_sandbox::{Fault, FaultKind};
    let sandbox = sandbox();
    let client = client(&sandbox);
    let id = client.orders().create(&order()).unwrap().id;
    let other = client.orders().create(&order()).unwrap();
    let path = format!("/api/public/v1/orders/{id}");
    let mut cart = serde_json::to_value(&other).unwrap();
    cart["status"] = json!("cancelled");
    let another = FaultKind::Status {
        status: 200,
        body: Some(cart.to_string()),
    };
    sandbox
        .queue_fault(Fault::new("GET", &path, another.clone()))
        .unwrap();
    let err = client.orders().get(id).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnexpectedResponse, "{err}");
    assert!(
        err.to_string()
            .contains(&format!("the answer is order {}, not {id}", other.id)),
        "{err}"
    );
    sandbox
        .queue_fault(Fault::new("GET", &path, another))
        .unwrap();
    let cancellation = client.orders().cancel(id).unwrap();
    assert_eq!(cancellation.outcome, CancelOutcome::Unknown);
    sandbox.clear_faults();
}
