//! The seQura checkout against the sandbox: start, form, approval and IPN,
//! confirm, and every way it can fail.

#[allow(dead_code)]
mod common;

use common::{approve, client, config, inspect, order, sandbox};
use sequra::orders::{Client, FormOptions};
use sequra::ErrorKind;
use serde_json::json;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

#[test]
fn checkout_is_started_approved_and_confirmed() {
    let sandbox = sandbox();
    let client = client(&sandbox);
    let uri = client.orders().start(&order()).unwrap();
    assert!(uri
        .as_str()
        .starts_with(&format!("{}/orders/", sandbox.url())));

    let html = client
        .orders()
        .form(uri.as_str(), &FormOptions::default())
        .unwrap();
    assert!(html.contains("sq-identification"), "{html}");

    approve(&sandbox, uri.uuid());
    client.orders().confirm(uri.as_str(), &order()).unwrap();
    assert_eq!(inspect(&sandbox, uri.uuid())["state"], "confirmed");
}

/// A form that is no HTML to show (a NUL byte, which no text of the API
/// holds and a C string cannot carry; an empty body; JSON, an error object
/// say) is refused naming the request; a read is safe to send again.
#[test]
fn a_form_that_is_no_html_to_show_is_an_unexpected_response() {
    use sequra_sandbox::{Fault, FaultKind};
    let sandbox = sandbox();
    let client = client(&sandbox);
    let uri = client.orders().start(&order()).unwrap();
    let path = format!("/orders/{}/form_v2", uri.uuid());
    for (body, why) in [
        ("<p>a\0b</p>", "the body holds a NUL byte at offset 4"),
        (
            "",
            "the body is empty, where the identification form (HTML) should be",
        ),
        (
            " \r\n",
            "the body is empty, where the identification form (HTML) should be",
        ),
        (
            r#"{"errors": ["nope"]}"#,
            r#"the body is JSON (Content-Type), where the identification form (HTML) should be: {"errors":["nope"]}"#,
        ),
    ] {
        let answer = FaultKind::Status {
            status: 200,
            body: Some(body.into()),
        };
        sandbox
            .queue_fault(Fault::new("GET", &path, answer))
            .unwrap();
        let err = client
            .orders()
            .form(uri.as_str(), &FormOptions::default())
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UnexpectedResponse, "{err}");
        let message = err.to_string();
        assert!(
            message.starts_with(&format!("GET {path} answered 200: {why}"))
                && message.ends_with("sending it again is safe"),
            "{message}"
        );
    }
    // An answer labelled otherwise is the form, as ever.
    let form = client.orders().form(uri.as_str(), &FormOptions::default());
    assert!(form.unwrap().contains("<"));
}

#[test]
fn confirm_sends_state_confirmed_and_the_order_as_given() {
    let sandbox = sandbox();
    let client = client(&sandbox);
    let uri = client.orders().start(&order()).unwrap();
    approve(&sandbox, uri.uuid());
    client.orders().confirm(uri.as_str(), &order()).unwrap();
    let stored = &inspect(&sandbox, uri.uuid())["order"];
    assert_eq!(stored["state"], "confirmed");
    assert_eq!(stored["cart"], order()["cart"]);
    assert_eq!(stored["customer"], order()["customer"]);
}

#[test]
fn form_takes_product_campaign_and_ajax() {
    let sandbox = sandbox();
    let client = client(&sandbox);
    let uri = client.orders().start(&order()).unwrap();
    let options = FormOptions {
        product: "pp3".into(),
        campaign: Some("spring & summer".into()),
        ajax: true,
    };
    let html = client.orders().form(uri.uuid(), &options).unwrap();
    assert!(html.contains(r#"value="pp3""#), "{html}");
    assert!(
        !html.contains("<html"),
        "an ajax form is a fragment: {html}"
    );
}

#[test]
fn approval_posts_the_ipn_to_notify_url() {
    let sandbox = sandbox();
    let client = client(&sandbox);
    let shop = TcpListener::bind("127.0.0.1:0").unwrap();
    let mut order = order();
    order["merchant"]["notify_url"] = json!(format!("http://{}/ipn", shop.local_addr().unwrap()));
    let uri = client.orders().start(&order).unwrap();

    let ipn = std::thread::spawn(move || {
        let (mut stream, _) = shop.accept().unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let mut request = Vec::new();
        let mut buf = [0u8; 4096];
        while !request_complete(&request) {
            let n = stream.read(&mut buf).unwrap();
            assert!(n > 0, "the IPN request ended early");
            request.extend_from_slice(&buf[..n]);
        }
        stream
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
            .unwrap();
        String::from_utf8(request).unwrap()
    });
    let answer = approve(&sandbox, uri.uuid());
    let request = ipn.join().unwrap();

    assert!(request.starts_with("POST /ipn "), "{request}");
    let body = request.split("\r\n\r\n").nth(1).unwrap();
    let fields = sequra::form::decode_pairs(body).unwrap();
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(field("order_ref"), Some(uri.uuid()));
    assert_eq!(field("sq_state"), Some("approved"));
    assert_eq!(field("order_ref_1"), Some("ORDER-1"));
    assert_eq!(field("cart"), Some("1234"));
    assert_eq!(answer["ipn"]["status"], 200);
}

/// True once the buffer holds the headers and `content-length` bytes of body.
fn request_complete(request: &[u8]) -> bool {
    let text = String::from_utf8_lossy(request);
    let Some((head, body)) = text.split_once("\r\n\r\n") else {
        return false;
    };
    let length = head
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0);
    body.len() >= length
}

#[test]
fn wrong_password_is_an_authentication_error() {
    let sandbox = sandbox();
    let client = Client::new(config(sandbox.url(), "not-the-password")).unwrap();
    let err = client.orders().start(&order()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Authentication);
    assert_eq!(err.status(), Some(401));
    assert!(!err.may_have_acted());
    let message = err.to_string();
    assert!(
        message.contains("HTTP Basic: Access denied") && !message.contains("denied."),
        "{message}"
    );
    assert!(!message.contains("not-the-password"), "{message}");
    assert!(!format!("{err:?}").contains("not-the-password"));
    assert!(
        message.contains("check the credentials (username and password)"),
        "{message}"
    );
}

#[test]
fn confirm_of_changed_cart_is_a_conflict_with_the_server_errors() {
    let sandbox = sandbox();
    let client = client(&sandbox);
    let uri = client.orders().start(&order()).unwrap();
    approve(&sandbox, uri.uuid());

    let mut changed = order();
    changed["cart"]["items"][0]["quantity"] = json!(3);
    changed["cart"]["items"][0]["total_with_tax"] = json!(9090);
    changed["cart"]["order_total_with_tax"] = json!(9332);
    let err = client.orders().confirm(uri.as_str(), &changed).unwrap_err();

    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert!(!err.may_have_acted());
    let errors = err.remote_errors();
    assert!(
        errors.iter().any(|e| e.contains("cart.items[0].quantity")),
        "{errors:?}"
    );
    assert_eq!(inspect(&sandbox, uri.uuid())["state"], "approved");
}

#[test]
fn a_refusal_that_quotes_the_customer_is_shown_without_them() {
    use sequra_sandbox::{Fault, FaultKind};
    let sandbox = sandbox();
    let client = client(&sandbox);
    // The order's customer: Maria José Barroso Rajoy, nisse@example.com.
    let said = json!({"errors": [
        "customer.email nisse@example.com is taken by Maria José",
        "cart.items[0].quantity is 1",
        "Rajoy has an open order"
    ]});
    let fault = FaultKind::Status {
        status: 409,
        body: Some(said.to_string()),
    };
    sandbox
        .queue_fault(Fault::new("POST", "/orders", fault))
        .unwrap();
    let err = client.orders().start(&order()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict, "{err}");
    assert_eq!(
        err.remote_errors(),
        [
            "customer.email *** is taken by ***",
            "cart.items[0].quantity is 1",
            "*** has an open order"
        ]
    );
    let shown = format!("{err} {} {err:?}", err.details());
    // A surname quoted alone is one word of the customer's surnames.
    for personal in ["nisse@example.com", "Maria José", "Rajoy"] {
        assert!(!shown.contains(personal), "{shown}");
    }
}

#[test]
fn confirm_before_approval_is_a_conflict() {
    let sandbox = sandbox();
    let client = client(&sandbox);
    let uri = client.orders().start(&order()).unwrap();
    let err = client.orders().confirm(uri.as_str(), &order()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert!(!err.remote_errors().is_empty());
}

/// A client of a port where nothing listens: any error other than a
/// transport error proves the call refused before sending anything.
fn client_of_nothing() -> Client {
    Client::new(config(&common::url_of_nothing(), "pw")).unwrap()
}

#[test]
fn start_with_totals_that_do_not_add_up_is_refused_before_sending() {
    let mut bad = order();
    bad["cart"]["order_total_with_tax"] = json!(5097);
    let err = client_of_nothing().orders().start(&bad).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert_eq!(err.problems()[0].path, "cart.order_total_with_tax");
    assert_eq!(
        err.problems()[0].message,
        "is 5097 but cart.items[].total_with_tax add up to 6302: make the items add up to what the shopper pays (a rounding difference may go on an item's total_with_tax, which may differ from quantity × price_with_tax by a cent a unit)"
    );
}

/// seQura posts the IPN and events from the internet: against seQura
/// itself (not the sandbox on loopback), a URL it cannot reach is refused
/// before anything is sent. Nothing here reaches the network.
#[test]
fn urls_sequra_cannot_post_to_are_refused_against_sequra_itself() {
    let mut local = order();
    local["merchant"]["notify_url"] = json!("http://localhost:8080/ipn?token=S3CR3T");
    local["merchant"]["events_webhook"] = json!({"url": "https://192.168.1.10/events"});
    let remote = Client::new(common::config("https://sandbox.sequrapi.com", "pw")).unwrap();
    let said: Vec<String> = remote
        .orders()
        .validate(&local)
        .iter()
        .map(|p| format!("{}: {}", p.path, p.message))
        .collect();
    assert_eq!(said, [
        "merchant.notify_url: \"http://localhost:8080/ipn?***\" is a local address, which seQura cannot reach to post to it; use the shop's public https URL (a local one works only against the bundled sandbox)",
        "merchant.events_webhook.url: \"https://192.168.1.10/events\" is a local address, which seQura cannot reach to post to it; use the shop's public https URL (a local one works only against the bundled sandbox)",
    ]);
    let err = remote.orders().start(&local).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
    // On this machine, as the bundled sandbox is, or on a private network
    // (a stand-in), the same order passes, and so it does checked on its
    // own.
    assert_eq!(client_of_nothing().orders().validate(&local), []);
    let private = Client::new(common::config("https://10.0.0.5:8443", "pw")).unwrap();
    assert_eq!(private.orders().validate(&local), []);
    let options = sequra::orders::payload::ValidateOptions::default();
    assert_eq!(sequra::orders::payload::validate(&local, &options), []);
}

#[test]
fn confirm_of_an_invalid_order_is_refused_before_sending() {
    let mut bad = order();
    bad["cart"]["items"][0]["quantity"] = json!(-1);
    bad["customer"]["emial"] = json!("typo@example.com");
    let err = client_of_nothing()
        .orders()
        .confirm("00000000-0000-4000-8000-000000000000", &bad)
        .unwrap_err();
    let paths: Vec<&str> = err.problems().iter().map(|p| p.path.as_str()).collect();
    assert_eq!(paths, ["cart.items[0].quantity", "customer.emial"]);
}

/// A client of `merchant`, with the sandbox account's credentials.
fn client_of_merchant(url: &str, merchant: &str) -> Client {
    let mut config = config(url, sequra_sandbox::DEFAULT_PASSWORD);
    config.merchant = merchant.into();
    Client::new(config).unwrap()
}

#[test]
fn start_for_another_merchant_is_forbidden_by_the_server() {
    let sandbox = sandbox();
    let mut other = order();
    other["merchant"]["id"] = json!("someone-else");
    // A client of that merchant, with credentials that are not its own.
    let client = client_of_merchant(sandbox.url(), "someone-else");
    let err = client.orders().start(&other).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Forbidden);
    assert_eq!(err.status(), Some(403));
}

/// The request says whose order it is (`Sequra-Merchant-Id`, the
/// client's merchant): an order naming another merchant is refused before
/// it is sent, by every call that sends one, as an order update's is.
#[test]
fn an_order_of_another_merchant_than_the_clients_is_refused_before_sending() {
    let mut other = order();
    other["merchant"]["id"] = json!("someone-else");
    let orders = client_of_nothing();
    let uri = "00000000-0000-4000-8000-000000000000";
    for err in [
        orders.orders().start(&other).unwrap_err(),
        orders.orders().confirm(uri, &other).unwrap_err(),
        orders.orders().hold(uri, &other).unwrap_err(),
        orders.orders().cancel(uri, &other).unwrap_err(),
    ] {
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
        assert_eq!(err.problems()[0].path, "merchant.id", "{err}");
        assert!(
            err.problems()[0]
                .message
                .contains("(\"someone-else\") but the client is for merchant \"demo\""),
            "{err}"
        );
    }
    // The same merchant as an integer is the same merchant.
    let mut numbered = order();
    numbered["merchant"]["id"] = json!(1234);
    let client = client_of_merchant(&common::url_of_nothing(), "1234");
    let err = client.orders().start(&numbered).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport, "{err}");
}

#[test]
fn unknown_order_uri_is_not_found() {
    let sandbox = sandbox();
    let client = client(&sandbox);
    let unknown = format!(
        "{}/orders/00000000-0000-4000-8000-000000000000",
        sandbox.url()
    );
    let err = client
        .orders()
        .form(&unknown, &FormOptions::default())
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    let err = client.orders().confirm(&unknown, &order()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert_eq!(err.status(), Some(404));
}

#[test]
fn order_uri_of_another_host_is_refused_before_sending() {
    let sandbox = sandbox();
    let err = client(&sandbox)
        .orders()
        .confirm("https://attacker.example/orders/abc", &order())
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert_eq!(err.problems()[0].path, "order_uri");
}

#[test]
fn start_with_a_state_is_refused_before_sending() {
    let sandbox = sandbox();
    let mut bad = order();
    bad["state"] = json!("confirmed");
    let err = client(&sandbox).orders().start(&bad).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert_eq!(err.problems()[0].path, "state");
}

#[test]
fn sandbox_not_running_is_a_transport_error_within_the_timeout() {
    // Bind then drop a listener: its port is free and refuses connections.
    let mut config = config(&common::url_of_nothing(), "pw");
    config.connection.timeout = Duration::from_secs(2);
    let client = Client::new(config).unwrap();

    let started = Instant::now();
    let err = client.orders().start(&order()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport);
    assert!(!err.may_have_acted(), "a refused connection sent nothing");
    let err = client
        .orders()
        .form(
            "00000000-0000-4000-8000-000000000000",
            &FormOptions::default(),
        )
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport);
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn plain_http_to_a_remote_host_is_a_config_error() {
    let err = Client::new(config("http://sandbox.sequrapi.com", "pw")).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);
}

#[test]
fn the_forms_product_is_checked_as_the_sms_product_before_anything_is_sent() {
    let client = client_of_nothing();
    let uuid = "00000000-0000-4000-8000-000000000000";
    for product in ["", "PP3", "pp3&x=1", "pp 3", "p\u{e9}3", "pppppppp3"] {
        let options = FormOptions {
            product: product.into(),
            ..FormOptions::default()
        };
        let form = client.orders().form(uuid, &options).unwrap_err();
        let sms = client.orders().send_form(uuid, product).unwrap_err();
        for (err, path) in [(&form, "options.product"), (&sms, "product_code")] {
            assert_eq!(err.kind(), ErrorKind::InvalidInput, "{product:?}: {err}");
            assert_eq!(err.problems()[0].path, path, "{product:?}");
        }
        assert_eq!(form.problems()[0].message, sms.problems()[0].message);
    }
}
