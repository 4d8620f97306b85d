//! The identification form submitted from a browser: seQura sends the
//! shopper back to the shop's `return_url` once the shop answered the IPN
//! (`approved_url` is for shops without the IPN).

mod common;

use common::{inspect, order, raw, shop, start, uuid_of};
use sequra_sandbox::Sandbox;
use serde_json::json;

/// What Chromium sends with a form navigation.
const BROWSER_ACCEPT: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

/// The form's submit: `POST /sandbox/orders/{uuid}/approve`, no `wait`.
fn submit_form(sandbox: &Sandbox, location: &str, accept: &str) -> common::Answer {
    raw(
        "POST",
        &format!(
            "{}/sandbox/orders/{}/approve",
            sandbox.url(),
            uuid_of(location)
        ),
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Accept", accept),
        ],
        b"product=i1",
    )
}

#[test]
fn a_browser_is_sent_to_the_return_url_once_the_shop_answered_the_ipn() {
    let (sandbox, location, shop) =
        sandbox_with_order_approved_at("https://shop.example/thanks?order=7");

    let answer = submit_form(&sandbox, &location, BROWSER_ACCEPT);

    assert_eq!(answer.status, 303, "{}", answer.body);
    assert_eq!(
        answer.header("location"),
        Some("https://shop.example/thanks?order=7")
    );
    // The IPN's outcome is on record before the browser is sent back.
    assert_eq!(
        inspect(&sandbox, &location)["notifications"][0]["status"],
        json!(200)
    );
    assert!(shop.join().unwrap().contains("sq_state=approved"));
}

#[test]
fn a_browser_approval_without_return_url_gets_the_json_answer() {
    let sandbox = common::sandbox();
    let location = start(&sandbox, &order());
    let answer = submit_form(&sandbox, &location, BROWSER_ACCEPT);
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.json()["sq_state"], "approved");
}

#[test]
fn a_return_url_that_cannot_be_a_location_gets_the_json_answer() {
    let (sandbox, location, shop) = sandbox_with_order_approved_at("/thanks");
    let answer = submit_form(&sandbox, &location, BROWSER_ACCEPT);
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.json()["ipn"], json!({"status": 200, "error": null}));
    shop.join().unwrap();
}

#[test]
fn a_program_approving_without_accepting_html_gets_json_not_a_redirect() {
    let (sandbox, location, shop) = sandbox_with_order_approved_at("https://shop.example/thanks");
    let answer = submit_form(&sandbox, &location, "application/json");
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.json()["sq_state"], "approved");
    assert_eq!(answer.header("location"), None);
    shop.join().unwrap();
}

#[test]
fn approved_url_is_for_shops_without_the_ipn() {
    // With the IPN, approved_url is not used (the order document).
    let (sandbox, location, shop) = sandbox_with_order_approved_at("");
    let mut order = order();
    order["merchant"]["approved_url"] = json!("https://shop.example/approved");
    let answer = submit_form(&sandbox, &location, BROWSER_ACCEPT);
    assert_eq!(answer.status, 200, "{}", answer.body);
    shop.join().unwrap();
    // Without it, the browser goes there.
    let location = start(&sandbox, &order);
    let answer = submit_form(&sandbox, &location, BROWSER_ACCEPT);
    assert_eq!(answer.status, 303, "{}", answer.body);
    assert_eq!(
        answer.header("location"),
        Some("https://shop.example/approved")
    );
}

/// A sandbox holding a started order whose shop takes the IPN (200) and
/// whose `merchant.return_url` is `return_url` (none when empty), and
/// whose `approved_url` is another, not used with the IPN.
fn sandbox_with_order_approved_at(
    return_url: &str,
) -> (Sandbox, String, std::thread::JoinHandle<String>) {
    let sandbox = common::sandbox();
    let (notify_url, shop) = shop("HTTP/1.1 200 OK");
    let mut order = order();
    order["merchant"]["notify_url"] = json!(notify_url);
    order["merchant"]["approved_url"] = json!("https://shop.example/not-with-the-ipn");
    if !return_url.is_empty() {
        order["merchant"]["return_url"] = json!(return_url);
    }
    let location = start(&sandbox, &order);
    (sandbox, location, shop)
}
