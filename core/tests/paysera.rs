//! Paysera Checkout against the sandbox: payment requests from creation to
//! capture or cancel, the callback turned into its notification, every
//! error Paysera documents as its typed kind, and every MAC refusal.
//!
//! The MAC tests that need a replayed, stale or altered request drive raw
//! HTTP with `ureq` here, as a hostile client would: the library never
//! sends such requests.

#[allow(dead_code)]
mod common;

use common::documents::payment_request as request_json;
use sequra::paysera::{Callback, Client, Config, Handling, MacSigner, PaymentRequest, Status};
use sequra::ErrorKind;
use sequra_sandbox::{Sandbox, PAYSERA_MAC_ID, PAYSERA_MAC_SECRET, PAYSERA_MAC_WINDOW_SECONDS};
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

fn sandbox() -> Sandbox {
    common::sandbox()
}

fn config(sandbox: &Sandbox, mac_id: &str, secret: &str) -> Config {
    let mut config = Config::new(mac_id, secret);
    config.endpoint = sandbox.url().to_string();
    config.connection = common::connection(sandbox.url());
    config
}

fn client(sandbox: &Sandbox) -> Client {
    Client::new(config(sandbox, PAYSERA_MAC_ID, PAYSERA_MAC_SECRET)).expect("a valid config")
}

fn new_request(order_id: &str) -> Value {
    request_json(order_id, "https://yoursite.com/payment/callback")
}

fn control_agent(url: &str) -> ureq::Agent {
    common::control_agent(url)
}

/// Calls a sandbox control endpoint; returns the status and the JSON body.
fn control(method: &str, url: &str) -> (u16, Value) {
    let agent = control_agent(url);
    let response = match method {
        "POST" => agent.post(url).send_empty(),
        _ => agent.get(url).call(),
    };
    let mut response = response.expect("the sandbox answers");
    let text = response.body_mut().read_to_string().expect("a body");
    (
        response.status().as_u16(),
        serde_json::from_str(&text).unwrap_or(Value::Null),
    )
}

/// The shopper pays on the payment page; waits for the callback.
fn pay(sandbox: &Sandbox, id: &str) -> Value {
    let (status, body) = control(
        "POST",
        &format!(
            "{}/sandbox/paysera/payment-requests/{id}/pay?wait=true",
            sandbox.url()
        ),
    );
    assert_eq!(status, 200, "pay answered {status}: {body}");
    body
}

fn inspect(sandbox: &Sandbox, id: &str) -> Value {
    control(
        "GET",
        &format!("{}/sandbox/paysera/payment-requests/{id}", sandbox.url()),
    )
    .1
}

/// A shop on loopback that answers every callback 200 and hands over the
/// bodies it got.
fn shop() -> (String, mpsc::Receiver<Vec<u8>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/paysera-callback", listener.local_addr().unwrap());
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            let mut request = Vec::new();
            let mut buf = [0u8; 4096];
            while !complete(&request) {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => request.extend_from_slice(&buf[..n]),
                }
            }
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nOK");
            let body = match request.windows(4).position(|w| w == b"\r\n\r\n") {
                Some(at) => request[at + 4..].to_vec(),
                None => Vec::new(),
            };
            if sender.send(body).is_err() {
                return;
            }
        }
    });
    (url, receiver)
}

/// True once the buffer holds the headers and `content-length` bytes of body.
fn complete(request: &[u8]) -> bool {
    let Some(at) = request.windows(4).position(|w| w == b"\r\n\r\n") else {
        return false;
    };
    let head = String::from_utf8_lossy(&request[..at]).to_ascii_lowercase();
    let length = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(0);
    request.len() - at - 4 >= length
}

fn status_of(request: &PaymentRequest) -> &str {
    request.status.as_str()
}

#[test]
fn payment_request_is_created_paid_captured_and_its_token_pays_the_next() {
    let sandbox = sandbox();
    let client = client(&sandbox);
    let (callback_url, callbacks) = shop();

    let first = request_json("SUB_1", &callback_url);
    let created = client.payment_requests().create(&first).unwrap();
    assert_eq!(created.status, Status::New);
    assert_eq!(created.order_id.as_deref(), Some("SUB_1"));
    assert!(created
        .authorization_url
        .as_deref()
        .unwrap_or_default()
        .contains(&created.id));
    assert_eq!(
        created.price.as_ref().and_then(|p| p.amount.minor_units()),
        Some(999)
    );

    // The shopper pays; Paysera calls back; the shop fetches the
    // notification the callback names and marks it read.
    pay(&sandbox, &created.id);
    let body = callbacks
        .recv_timeout(Duration::from_secs(5))
        .expect("a callback");
    let mut seen = None;
    let read = client
        .notifications()
        .handle(&body, |notification| {
            seen = Some(notification.clone());
            Ok::<(), String>(())
        })
        .unwrap();
    let seen = seen.expect("the shop saw the notification");
    assert_eq!(seen.event, "payment_request.authorized");
    assert_eq!(seen.status.as_deref(), Some("new"));
    assert_eq!(read.status.as_deref(), Some("read"));
    let paid = seen.payment_request().expect("the payment request");
    assert_eq!(paid.id, created.id);
    let token = paid.issued_token.clone().expect("a token to store");

    let fetched = client.payment_requests().get(&created.id).unwrap();
    assert_eq!(fetched.status, Status::Authorized);
    assert_eq!(fetched.issued_token.as_ref(), Some(&token));
    assert!(
        !format!("{fetched:?}").contains(token.expose()),
        "Debug shows no token"
    );
    let captured = client.payment_requests().capture(&created.id).unwrap();
    assert_eq!(captured.status, Status::Captured);
    assert_eq!(captured.price_paid, captured.price);

    // A recurring payment: the stored token authorizes it, then capture.
    let second = client
        .payment_requests()
        .create(&new_request("SUB_1_MONTH_2"))
        .unwrap();
    let authorized = client
        .payment_requests()
        .authorize(&second.id, token.expose())
        .unwrap();
    assert_eq!(status_of(&authorized), "authorized");
    let captured = client.payment_requests().capture(&second.id).unwrap();
    assert_eq!(status_of(&captured), "captured");
}

/// Paysera posts its notification from the internet: against Paysera
/// itself (not the sandbox on loopback), a local callback_url is refused
/// before anything is sent, by validate and create alike.
#[test]
fn a_callback_paysera_cannot_reach_is_refused_against_paysera_itself() {
    let remote = Client::new(Config::new(PAYSERA_MAC_ID, PAYSERA_MAC_SECRET)).unwrap();
    let local = request_json("LOCAL_1", "http://localhost:8080/paysera/callback");
    let problems = remote.payment_requests().validate(&local);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].path, "callback_url");
    assert!(
        problems[0].message.contains("is a local address"),
        "{problems:?}"
    );
    let err = remote.payment_requests().create(&local).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
    assert!(!err.may_have_acted());
    // The bundled sandbox, on this machine, reaches it.
    let sandbox = sandbox();
    assert_eq!(client(&sandbox).payment_requests().validate(&local), []);
}

/// The MAC signs the host in lower case, and the server reads it so from
/// a Host header in any case: an endpoint written in capitals works.
#[test]
fn an_endpoint_in_capitals_is_signed_as_the_server_reads_it() {
    let sandbox = sandbox();
    let port = sandbox.port();
    let scheme = sandbox
        .url()
        .split("://")
        .next()
        .unwrap()
        .to_ascii_uppercase();
    let mut config = config(&sandbox, PAYSERA_MAC_ID, PAYSERA_MAC_SECRET);
    config.endpoint = format!("{scheme}://LOCALHOST:{port}");
    let client = Client::new(config).unwrap();
    let created = client
        .payment_requests()
        .create(&new_request("CAPITALS_1"))
        .unwrap();
    assert_eq!(created.order_id.as_deref(), Some("CAPITALS_1"));
}

#[test]
fn payment_request_is_canceled_new_or_authorized() {
    let sandbox = sandbox();
    let client = client(&sandbox);
    let fresh = client
        .payment_requests()
        .create(&new_request("C-1"))
        .unwrap();
    let canceled = client.payment_requests().cancel(&fresh.id).unwrap();
    assert_eq!(canceled.status, Status::Canceled);
    assert_eq!(
        inspect(&sandbox, &fresh.id)["payment_request"]["status"],
        "canceled"
    );

    let paid = client
        .payment_requests()
        .create(&new_request("C-2"))
        .unwrap();
    pay(&sandbox, &paid.id);
    let canceled = client.payment_requests().cancel(&paid.id).unwrap();
    assert_eq!(canceled.status, Status::Canceled);
}

#[test]
fn moves_the_status_does_not_allow_are_conflicts() {
    let sandbox = sandbox();
    let client = client(&sandbox);
    let requests = client.payment_requests();
    let created = requests.create(&new_request("S-1")).unwrap();

    let err = requests.capture(&created.id).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert_eq!(err.status(), Some(409));
    assert!(!err.may_have_acted());
    assert!(
        err.remote_errors()[0]
            .contains("is new; only an authorized payment request can be captured"),
        "{err}"
    );

    pay(&sandbox, &created.id);
    requests.capture(&created.id).unwrap();
    for err in [
        requests.capture(&created.id).unwrap_err(),
        requests.cancel(&created.id).unwrap_err(),
        requests.authorize(&created.id, "any-token").unwrap_err(),
    ] {
        assert_eq!(err.kind(), ErrorKind::Conflict, "{err}");
        assert!(err.remote_errors()[0].ends_with("(invalid_state)"), "{err}");
    }
    let canceled = requests.create(&new_request("S-2")).unwrap();
    requests.cancel(&canceled.id).unwrap();
    assert_eq!(
        requests.cancel(&canceled.id).unwrap_err().kind(),
        ErrorKind::Conflict
    );
    assert_eq!(
        inspect(&sandbox, &created.id)["payment_request"]["status"],
        "captured"
    );
}

#[test]
fn an_order_id_used_twice_is_a_conflict_naming_order_id() {
    let sandbox = sandbox();
    let client = client(&sandbox);
    client
        .payment_requests()
        .create(&new_request("DUP"))
        .unwrap();
    let err = client
        .payment_requests()
        .create(&new_request("DUP"))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert!(
        err.remote_errors()[0].starts_with("order_id: is already used by payment request "),
        "{:?}",
        err.remote_errors()
    );
    assert!(err.remote_errors()[0].ends_with("(duplicate)"));
}

#[test]
fn fields_only_paysera_can_judge_are_unprocessable_with_their_paths() {
    let sandbox = sandbox();
    let client = client(&sandbox);
    let mut body = request_json("F-1", "https://yoursite.com/payment/callback");
    body["business_id"] = json!("someone-elses-business");
    body["method_key"] = json!("cash");
    body["price"]["currency"] = json!("XAU");
    assert!(client.payment_requests().validate(&body).is_empty());
    let err = client.payment_requests().create(&body).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unprocessable);
    assert_eq!(err.status(), Some(400));
    assert!(!err.may_have_acted());
    assert_eq!(
        err.remote_errors(),
        [
            "business_id: is not a business of this client (invalid_parameter)",
            "price.currency: XAU is not accepted; use one of EUR, USD, GBP, PLN, CZK, SEK, DKK, BGN (invalid_parameter)",
            "method_key: \"cash\" is not one of card, wallet, bank_transfer (invalid_parameter)",
        ]
    );
    assert_eq!(err.details()["errors"][0], err.remote_errors()[0]);
}

#[test]
fn a_token_paysera_did_not_issue_is_unprocessable() {
    let sandbox = sandbox();
    let client = client(&sandbox);
    let created = client
        .payment_requests()
        .create(&new_request("T-1"))
        .unwrap();
    let err = client
        .payment_requests()
        .authorize(&created.id, "not-a-token")
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unprocessable);
    assert_eq!(err.status(), Some(422));
    assert_eq!(
        err.remote_errors(),
        ["token: is not a token issued to this business (invalid_token)"]
    );
    let err = client
        .payment_requests()
        .authorize(&created.id, " ")
        .unwrap_err();
    assert_eq!(err.problems()[0].path, "token");
}

/// The token charges the shopper again: a server that echoes it in its
/// refusal is quoted with `***` in its place, as the MAC secret is.
#[test]
fn a_token_the_server_echoes_never_reaches_the_error() {
    use sequra_sandbox::{Fault, FaultKind};
    let sandbox = sandbox();
    let client = client(&sandbox);
    let created = client
        .payment_requests()
        .create(&new_request("T-echo"))
        .unwrap();
    let token = "tok_RECURRING_secret_99";
    let path = format!(
        "/checkout/rest/v1/payment-requests/{}/authorize",
        created.id
    );
    let body = json!({
        "error": "invalid_token",
        "error_description": format!("token {token} is expired"),
    });
    let fault = FaultKind::Status {
        status: 422,
        body: Some(body.to_string()),
    };
    sandbox
        .queue_fault(Fault::new("PUT", &path, fault))
        .unwrap();
    let err = client
        .payment_requests()
        .authorize(&created.id, token)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unprocessable, "{err}");
    let shown = format!("{err} {} {err:?}", err.details());
    assert!(shown.contains("token *** is expired"), "{shown}");
    assert!(!shown.contains(token), "{shown}");
}

/// No error must mean the call did what it says: a 200 whose payment
/// request is still authorized after a capture, or is another request, is
/// an unexpected answer, never handed back as done.
#[test]
fn an_answer_that_contradicts_the_call_is_unexpected() {
    use sequra_sandbox::{Fault, FaultKind};
    let sandbox = sandbox();
    let client = client(&sandbox);
    let created = client
        .payment_requests()
        .create(&new_request("T-contradicts"))
        .unwrap();
    let id = created.id.clone();
    let path = format!("/checkout/rest/v1/payment-requests/{id}");
    let answer = |body: Value| FaultKind::Status {
        status: 200,
        body: Some(body.to_string()),
    };
    let still_authorized = answer(json!({"id": id, "status": "authorized"}));
    sandbox
        .queue_fault(Fault::new(
            "PUT",
            &format!("{path}/capture"),
            still_authorized,
        ))
        .unwrap();
    let err = client.payment_requests().capture(&id).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnexpectedResponse, "{err}");
    assert!(err.may_have_acted(), "{err}");
    assert!(
        err.to_string()
            .contains("is \"authorized\" after the call, not captured"),
        "{err}"
    );
    let another = answer(json!({"id": "other999", "status": "new"}));
    sandbox
        .queue_fault(Fault::new("GET", &path, another))
        .unwrap();
    let err = client.payment_requests().get(&id).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnexpectedResponse, "{err}");
    assert!(
        err.to_string()
            .contains("is payment request \"other999\", not"),
        "{err}"
    );
}

/// A creation's answer is what the shop acts on: it sends the shopper to
/// its authorization_url. One that is not a new request for the order,
/// amount and currency sent, or has no https page (or one of another
/// scheme), is unexpected and may have acted; the document's own answer
/// (the amount as a number where "999" was sent), and one that leaves out
/// what it need not give back, are taken.
#[test]
fn a_creation_answered_for_another_sum_or_without_a_page_to_pay_on_is_unexpected() {
    use sequra_sandbox::{Fault, FaultKind};
    let sandbox = sandbox();
    let client = client(&sandbox);
    let page = "https://checkout-eu-a.paysera.com/pay/abc123payment";
    let good = json!({
        "id": "abc123payment",
        "status": "new",
        "authorization_url": page,
        "order_id": "T-echo",
        "price": {"amount": 999, "currency": "EUR"},
        "token_strategy": "required"
    });
    let with = |pointer: &str, value: Value| {
        let mut body = good.clone();
        *body.pointer_mut(pointer).unwrap() = value;
        body
    };
    let without = |key: &str| {
        let mut body = good.clone();
        body.as_object_mut().unwrap().remove(key);
        body
    };
    let answer = |body: &Value| FaultKind::Status {
        status: 200,
        body: Some(body.to_string()),
    };
    for (body, says) in [
        (
            with("/price/amount", json!(9990)),
            "its price.amount is \"9990\", not the \"999\" sent",
        ),
        (
            with("/price/amount", json!("99")),
            "its price.amount is \"99\", not the \"999\" sent",
        ),
        (
            with("/price/currency", json!("USD")),
            "its price.currency is \"USD\", not the \"EUR\" sent",
        ),
        (
            with("/order_id", json!("OTHER")),
            "its order_id is \"OTHER\", not the \"T-echo\" sent",
        ),
        (
            with("/token_strategy", json!("none")),
            "its token_strategy is \"none\", not the \"required\" sent",
        ),
        (
            with("/status", json!("captured")),
            "it is \"captured\", not new",
        ),
        (
            with("/id", json!("../x y")),
            "its id \"../x y\" is not a Paysera id",
        ),
        (
            with("/authorization_url", json!("javascript:alert(1)")),
            "its authorization_url is not a page to send a shopper to: \"javascript:alert(1)\"",
        ),
        (
            with("/authorization_url", json!("http://evil.example/pay")),
            "plain http to a remote host",
        ),
        (
            without("authorization_url"),
            "it has no authorization_url to send the shopper to",
        ),
    ] {
        sandbox
            .queue_fault(Fault::new(
                "POST",
                "/checkout/rest/v1/payment-requests",
                answer(&body),
            ))
            .unwrap();
        let err = client
            .payment_requests()
            .create(&new_request("T-echo"))
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UnexpectedResponse, "{err}");
        assert!(err.may_have_acted(), "{err}");
        let message = err.to_string();
        assert!(
            message.contains("a payment request was created, but ") && message.contains(says),
            "{says}: {message}"
        );
    }
    for body in [good.clone(), without("price"), without("order_id")] {
        sandbox
            .queue_fault(Fault::new(
                "POST",
                "/checkout/rest/v1/payment-requests",
                answer(&body),
            ))
            .unwrap();
        let made = client
            .payment_requests()
            .create(&new_request("T-echo"))
            .unwrap();
        assert_eq!(made.authorization_url.as_deref(), Some(page), "{body}");
    }
}

/// An amount written with more digits than a double keeps, which it
/// would round to a whole number, is refused, never read as that number.
#[test]
fn an_amount_a_double_would_round_to_whole_is_refused() {
    use sequra_sandbox::{Fault, FaultKind};
    let sandbox = sandbox();
    let client = client(&sandbox);
    let id = client
        .payment_requests()
        .create(&new_request("T-rounded"))
        .unwrap()
        .id;
    let body = format!(
        r#"{{"id": "{id}", "status": "new", "price": {{"amount": 998.99999999999999999, "currency": "EUR"}}}}"#
    );
    let path = format!("/checkout/rest/v1/payment-requests/{id}");
    sandbox
        .queue_fault(Fault::new(
            "GET",
            &path,
            FaultKind::Status {
                status: 200,
                body: Some(body),
            },
        ))
        .unwrap();
    let err = client.payment_requests().get(&id).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnexpectedResponse, "{err}");
    assert!(
        err.to_string()
            .contains("holds the number \"998.99999999999999999\", which is no whole number"),
        "{err}"
    );
}

/// Paysera's reference answers an authorize with the request captured at
/// once, and a server may spell canceled the British way: both are what
/// the call asked for.
#[test]
fn an_authorize_answered_captured_and_a_cancel_answered_cancelled_are_done() {
    use sequra_sandbox::{Fault, FaultKind};
    let sandbox = sandbox();
    let client = client(&sandbox);
    let id = client
        .payment_requests()
        .create(&new_request("T-captured"))
        .unwrap()
        .id;
    let path = format!("/checkout/rest/v1/payment-requests/{id}");
    let answer = |status: &str| FaultKind::Status {
        status: 200,
        body: Some(json!({"id": id, "status": status}).to_string()),
    };
    sandbox
        .queue_fault(Fault::new(
            "PUT",
            &format!("{path}/authorize"),
            answer("captured"),
        ))
        .unwrap();
    let now = client
        .payment_requests()
        .authorize(&id, "tok_recurring_1")
        .unwrap();
    assert_eq!(now.status, Status::Captured);
    sandbox
        .queue_fault(Fault::new(
            "PUT",
            &format!("{path}/cancel"),
            answer("cancelled"),
        ))
        .unwrap();
    let now = client.payment_requests().cancel(&id).unwrap();
    assert_eq!(now.status, Status::Canceled);
}

#[test]
fn a_token_of_another_payer_is_unprocessable() {
    let sandbox = sandbox();
    let client = client(&sandbox);
    let first = client
        .payment_requests()
        .create(&new_request("P-1"))
        .unwrap();
    pay(&sandbox, &first.id);
    let token = client
        .payment_requests()
        .get(&first.id)
        .unwrap()
        .issued_token
        .unwrap();
    let mut other = request_json("P-2", "https://yoursite.com/payment/callback");
    other["payer"]["email"] = json!("someone@example.com");
    let second = client.payment_requests().create(&other).unwrap();
    let err = client
        .payment_requests()
        .authorize(&second.id, token.expose())
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unprocessable);
    assert!(err.remote_errors()[0].starts_with("token: was issued to another payer"));
}

#[test]
fn unknown_ids_are_not_found() {
    let sandbox = sandbox();
    let client = client(&sandbox);
    let err = client
        .payment_requests()
        .get("no-such-request")
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert_eq!(
        err.remote_errors(),
        ["Payment request no-such-request not found (not_found)"]
    );
    assert_eq!(
        client
            .payment_requests()
            .capture("no-such-request")
            .unwrap_err()
            .kind(),
        ErrorKind::NotFound
    );
    let err = client
        .notifications()
        .get("no-such-notification")
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    let err = client
        .payment_requests()
        .get("../notification/rest/v1/notifications/x")
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
}

#[test]
fn a_forged_callback_is_not_trusted() {
    let sandbox = sandbox();
    let client = client(&sandbox);
    // Whatever a forged callback says, only the id is read, and Paysera
    // does not know it.
    let forged = b"notification_id=forged&event=payment_request.captured&status=captured";
    let err = client
        .notifications()
        .handle(forged, |_| Ok::<(), String>(()))
        .unwrap_err();
    match err {
        Handling::Paysera(err) => assert_eq!(err.kind(), ErrorKind::NotFound),
        Handling::Shop(e) => panic!("the shop was asked to act on a forged callback: {e}"),
    }
    let err = Callback::from_form(b"event=payment_request.captured").unwrap_err();
    assert_eq!(err.problems()[0].path, "notification_id");
}

#[test]
fn a_notification_the_shop_failed_to_take_stays_unread_and_is_sent_again() {
    let sandbox = sandbox();
    let client = client(&sandbox);
    let (callback_url, callbacks) = shop();
    let created = client
        .payment_requests()
        .create(&request_json("N-1", &callback_url))
        .unwrap();
    let note_id = pay(&sandbox, &created.id)["notification"]["notification_id"]
        .as_str()
        .unwrap()
        .to_string();
    let body = callbacks.recv_timeout(Duration::from_secs(5)).unwrap();
    let err = client
        .notifications()
        .handle(&body, |_| Err("the database is locked"))
        .unwrap_err();
    assert!(matches!(err, Handling::Shop("the database is locked")));
    let resend = format!(
        "{}/sandbox/paysera/notifications/{note_id}/resend?wait=true",
        sandbox.url()
    );
    let (status, answer) = control("POST", &resend);
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["callback"]["status"], 200);

    let body = callbacks.recv_timeout(Duration::from_secs(5)).unwrap();
    let read = client
        .notifications()
        .handle(&body, |_| Ok::<(), String>(()))
        .unwrap();
    assert_eq!(read.id, note_id);
    assert_eq!(read.status.as_deref(), Some("read"));
    let (status, _) = control("POST", &resend);
    assert_eq!(status, 409, "a read notification is not sent again");
    let inspected = inspect(&sandbox, &created.id);
    assert_eq!(
        inspected["notifications"][0]["deliveries"][1]["status"],
        200
    );
}

#[test]
fn invalid_requests_are_refused_with_every_problem_before_sending() {
    // Nothing listens there: any error but a transport one proves nothing
    // was sent.
    let mut config = Config::new("id", "secret");
    config.endpoint = common::url_of_nothing();
    let client = Client::new(config).unwrap();
    let mut body = request_json("V-1", "http://shop.example/callback");
    body["price"]["amount"] = json!("9.99");
    body["locale"] = json!("es_ES");
    body.as_object_mut().unwrap().remove("order_id");
    let err = client.payment_requests().create(&body).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    let paths: Vec<&str> = err.problems().iter().map(|p| p.path.as_str()).collect();
    assert_eq!(
        paths,
        ["order_id", "price.amount", "callback_url", "locale"]
    );

    let mut request = new_request("V-2");
    request["price"]["amount"] = json!("0");
    let err = client.payment_requests().create(&request).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert_eq!(
        err.problems()[0].to_string(),
        "price.amount: must be positive"
    );
    assert!(!err.may_have_acted());
}

#[test]
fn an_amount_goes_out_as_the_shop_wrote_it_a_number_as_in_the_document_or_digits() {
    // The Paysera document's example writes the amount as a number;
    // Paysera's Checkout reference as a string of digits. Both are taken
    // by the sandbox, and each is sent as written: captured on the wire.
    let sandbox = sandbox();
    let mut seed = new_request("AMOUNT-1");
    seed["price"]["amount"] = json!(999);
    let created = client(&sandbox).payment_requests().create(&seed).unwrap();
    assert_eq!(created.status, Status::New);
    assert_eq!(
        created.price.as_ref().and_then(|p| p.amount.minor_units()),
        Some(999)
    );

    let (url, bodies) = shop();
    let mut config = Config::new(PAYSERA_MAC_ID, PAYSERA_MAC_SECRET);
    config.endpoint = url.trim_end_matches("/paysera-callback").to_string();
    let capturing = Client::new(config).unwrap();
    for (amount, wire) in [
        (json!(999), r#""price":{"amount":999,"#),
        (json!("999"), r#""price":{"amount":"999","#),
    ] {
        let mut request = new_request("AMOUNT-2");
        request["price"]["amount"] = amount;
        // The capture answers "OK", not a payment request: the call fails
        // after sending, which is all this needs.
        let _ = capturing.payment_requests().create(&request);
        let body = bodies.recv_timeout(Duration::from_secs(5)).unwrap();
        let body = String::from_utf8(body).unwrap();
        assert!(body.contains(wire), "{body}");
    }
}

#[test]
fn a_wrong_secret_is_an_authentication_error_that_never_shows_it() {
    let sandbox = sandbox();
    let client = Client::new(config(&sandbox, PAYSERA_MAC_ID, "not-the-secret")).unwrap();
    let err = client
        .payment_requests()
        .create(&new_request("A-1"))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Authentication);
    assert_eq!(err.status(), Some(401));
    assert!(!err.may_have_acted());
    assert!(
        err.remote_errors()[0].starts_with("MAC signature does not match"),
        "{err}"
    );
    assert!(!err.to_string().contains("not-the-secret"));
    assert!(!format!("{err:?}").contains("not-the-secret"));
    // Its advice names Paysera's credentials, not another API's.
    assert!(
        err.to_string()
            .contains("check the credentials (MAC id and MAC secret)"),
        "{err}"
    );
}

#[test]
fn an_unknown_mac_id_is_an_authentication_error() {
    let sandbox = sandbox();
    let client = Client::new(config(&sandbox, "someone-else", PAYSERA_MAC_SECRET)).unwrap();
    let err = client.payment_requests().get("any").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Authentication);
    assert_eq!(
        err.remote_errors(),
        ["Unknown MAC id \"someone-else\" (unauthorized)"]
    );
}

// A hostile client, to reach what the library never sends.

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// One raw request with this Authorization header and body.
fn raw(method: &str, url: &str, authorization: &str, body: &[u8]) -> (u16, Value) {
    let mut request = ureq::http::Request::builder()
        .method(method)
        .uri(url)
        .header("Authorization", authorization);
    if !body.is_empty() {
        request = request.header("Content-Type", "application/json");
    }
    let mut response = control_agent(url)
        .run(request.body(body.to_vec()).unwrap())
        .expect("the sandbox answers");
    let text = response.body_mut().read_to_string().unwrap();
    (
        response.status().as_u16(),
        serde_json::from_str(&text).unwrap_or(Value::Null),
    )
}

fn signed(method: &str, url: &str, body: &[u8], ts: u64, nonce: &str) -> String {
    let signer = MacSigner::new(PAYSERA_MAC_ID, PAYSERA_MAC_SECRET).unwrap();
    signer
        .sign(method, &url.parse().unwrap(), body, ts, nonce)
        .unwrap()
        .header
}

fn create_url(sandbox: &Sandbox) -> String {
    format!("{}/checkout/rest/v1/payment-requests", sandbox.url())
}

/// Paysera's 401 body, and its reason.
fn refused(answer: (u16, Value)) -> String {
    let (status, body) = answer;
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["error"], "unauthorized");
    assert!(body["errors"].is_array(), "{body}");
    body["error_description"].as_str().unwrap().to_string()
}

#[test]
fn a_replayed_nonce_is_refused() {
    let sandbox = sandbox();
    let url = create_url(&sandbox);
    let body = request_json("R-1", "https://yoursite.com/cb").to_string();
    let header = signed(
        "POST",
        &url,
        body.as_bytes(),
        now(),
        "replayed-nonce-0123456789abcdefgh",
    );
    let (status, created) = raw("POST", &url, &header, body.as_bytes());
    assert_eq!(status, 201, "{created}");
    let reason = refused(raw("POST", &url, &header, body.as_bytes()));
    assert!(reason.starts_with("Nonce was already used"), "{reason}");
}

#[test]
fn a_stale_timestamp_is_refused_outside_the_five_minute_window() {
    let sandbox = sandbox();
    let url = format!("{}/checkout/rest/v1/payment-requests/x", sandbox.url());
    let window = PAYSERA_MAC_WINDOW_SECONDS;
    assert_eq!(window, 300);
    for ts in [now() - window - 5, now() + window + 5] {
        let header = signed("GET", &url, b"", ts, &format!("stale-{ts}"));
        let reason = refused(raw("GET", &url, &header, b""));
        assert!(reason.contains("more than 300 seconds away"), "{reason}");
    }
    // Inside the window the request is authenticated (and x is unknown).
    let header = signed("GET", &url, b"", now() - window + 30, "inside-the-window");
    assert_eq!(raw("GET", &url, &header, b"").0, 404);
}

#[test]
fn a_body_altered_after_signing_is_refused() {
    let sandbox = sandbox();
    let url = create_url(&sandbox);
    let body = request_json("B-1", "https://yoursite.com/cb").to_string();
    let header = signed("POST", &url, body.as_bytes(), now(), "altered-body-nonce");
    let altered = body.replace("\"999\"", "\"1\"");
    assert_ne!(altered, body);
    let reason = refused(raw("POST", &url, &header, altered.as_bytes()));
    assert!(reason.starts_with("body_hash does not match"), "{reason}");
}

#[test]
fn a_request_signed_for_another_path_or_without_a_mac_is_refused() {
    let sandbox = sandbox();
    let url = format!("{}/checkout/rest/v1/payment-requests/a", sandbox.url());
    let other = format!("{}/checkout/rest/v1/payment-requests/b", sandbox.url());
    let header = signed("GET", &other, b"", now(), "another-path-nonce");
    let reason = refused(raw("GET", &url, &header, b""));
    assert!(
        reason.starts_with("MAC signature does not match"),
        "{reason}"
    );
    let reason = refused(raw("GET", &url, "Basic ZGVtbzpkZW1v", b""));
    assert!(reason.contains("not a MAC header"), "{reason}");
}

#[test]
fn a_body_that_is_not_json_is_an_invalid_request() {
    let sandbox = sandbox();
    let url = create_url(&sandbox);
    let body = b"{\"order_id\": ";
    let header = signed("POST", &url, body, now(), "not-json-nonce");
    let (status, answer) = raw("POST", &url, &header, body);
    assert_eq!(status, 400);
    assert_eq!(answer["error"], "invalid_request");
}

#[test]
fn an_answer_about_another_notification_is_unexpected_never_acted_on() {
    // A proxy's mix-up, or a stray answer left on a kept-alive connection:
    // the shop must not act on, nor mark read, another notification than
    // the callback named.
    use sequra_sandbox::{Fault, FaultKind};
    let sandbox = sandbox();
    let client = client(&sandbox);
    let another = json!({"id": "other-notification", "status": "new",
        "event": "payment_request.captured",
        "data": {"payment_request": {"id": "other999", "status": "captured"}}});
    let path = "/notification/rest/v1/notifications/asked-for";
    for (method, path) in [("GET", path.to_string()), ("PUT", format!("{path}/read"))] {
        let answer = FaultKind::Status {
            status: 200,
            body: Some(another.to_string()),
        };
        sandbox
            .queue_fault(Fault::new(method, &path, answer))
            .unwrap();
        let err = match method {
            "GET" => client
                .notifications()
                .handle(b"notification_id=asked-for", |_| -> Result<(), String> {
                    panic!("the shop was asked to act on another notification")
                })
                .map(|_| ())
                .map_err(|e| match e {
                    Handling::Paysera(err) => err,
                    Handling::Shop(e) => panic!("{e}"),
                }),
            _ => client.notifications().mark_read("asked-for").map(|_| ()),
        }
        .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UnexpectedResponse, "{method}: {err}");
        assert!(
            err.to_string()
                .contains("the answer is notification \"other-notification\", not \"asked-for\""),
            "{method}: {err}"
        );
    }
}
