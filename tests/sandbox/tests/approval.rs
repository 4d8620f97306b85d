//! The sandbox's control endpoints: the shopper approves, seQura POSTs the
//! IPN to the shop's notify_url, tests look at what happened.

mod common;

use common::{
    approve, approve_with, inspect, order, raw, request_body, request_header, sandbox, shop,
    shop_answering, start, uuid_of,
};
use serde_json::json;
use std::time::{Duration, Instant};

#[test]
fn approval_posts_the_ipn_and_reports_the_shop_answer() {
    let sandbox = sandbox();
    let (notify_url, shop) = shop("HTTP/1.1 200 OK");
    let mut order = order();
    order["merchant"]["notify_url"] = json!(notify_url);
    order["merchant"]["notification_parameters"] = json!({"cart": "C 1&2", "n": 7});
    let location = start(&sandbox, &order);
    let uuid = uuid_of(&location);

    let answer = approve(&sandbox, &location);
    let request = shop.join().unwrap();

    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(
        answer.json(),
        json!({"order_ref": uuid, "sq_state": "approved", "product_code": "i1",
               "ipn": {"status": 200, "error": null}})
    );
    assert!(request.starts_with("POST /ipn HTTP/1.1\r\n"), "{request}");
    assert_eq!(
        request_header(&request, "content-type"),
        Some("application/x-www-form-urlencoded")
    );
    let held = inspect(&sandbox, &location);
    let since = held["approved_since"].as_str().unwrap();
    assert_eq!(
        request_body(&request),
        format!(
            "order_ref={uuid}&product_code=i1&sq_state=approved&order_ref_1=R-1\
             &approved_since={since}&cart=C+1%262&n=7"
        )
    );
    assert_eq!(held["state"], "approved");
    assert_eq!(
        held["notifications"],
        json!([{"kind": "ipn", "url": notify_url, "status": 200, "error": null}])
    );
}

#[test]
fn approval_with_a_product_tells_the_shop_that_product() {
    let sandbox = sandbox();
    let (notify_url, shop) = shop("HTTP/1.1 200 OK");
    let mut order = order();
    order["merchant"]["notify_url"] = json!(notify_url);
    order["merchant_reference"] = json!({});
    let location = start(&sandbox, &order);
    let answer = approve_with(&sandbox, &location, "?wait=true", b"product=pp3");
    let request = shop.join().unwrap();
    assert_eq!(answer.json()["product_code"], "pp3");
    assert!(
        request_body(&request).contains("&product_code=pp3&sq_state=approved&order_ref_1=&"),
        "{request}"
    );
    assert_eq!(inspect(&sandbox, &location)["product_code"], "pp3");
}

#[test]
fn an_ipn_answered_409_is_sent_again_until_the_shop_takes_it() {
    let sandbox = sandbox();
    let (notify_url, shop) = shop_answering(&["HTTP/1.1 409 Conflict", "HTTP/1.1 200 OK"]);
    let mut order = order();
    order["merchant"]["notify_url"] = json!(notify_url);
    let location = start(&sandbox, &order);
    let answer = approve_with(&sandbox, &location, "?wait=true", b"");
    let requests = shop.join().unwrap();
    assert_eq!(answer.json()["ipn"], json!({"status": 200, "error": null}));
    assert_eq!(request_body(&requests[0]), request_body(&requests[1]));
    let statuses: Vec<_> = inspect(&sandbox, &location)["notifications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["status"].clone())
        .collect();
    assert_eq!(statuses, [json!(409), json!(200)]);
}

#[test]
fn an_ipn_the_shop_keeps_failing_is_given_up_after_four_tries() {
    let sandbox = sandbox();
    let (notify_url, shop) = shop_answering(&["HTTP/1.1 500 Internal Server Error"; 4]);
    let mut order = order();
    order["merchant"]["notify_url"] = json!(notify_url);
    let location = start(&sandbox, &order);
    let answer = approve_with(&sandbox, &location, "?wait=true", b"");
    assert_eq!(shop.join().unwrap().len(), 4);
    assert_eq!(answer.json()["ipn"], json!({"status": 500, "error": null}));
    assert_eq!(
        inspect(&sandbox, &location)["notifications"]
            .as_array()
            .unwrap()
            .len(),
        4
    );
}

#[test]
fn a_410_is_final_and_never_sent_again() {
    let sandbox = sandbox();
    let (notify_url, shop) = shop("HTTP/1.1 410 Gone");
    let mut order = order();
    order["merchant"]["notify_url"] = json!(notify_url);
    let location = start(&sandbox, &order);
    let answer = approve_with(&sandbox, &location, "?wait=true", b"");
    shop.join().unwrap();
    assert_eq!(answer.json()["ipn"], json!({"status": 410, "error": null}));
    std::thread::sleep(Duration::from_millis(300));
    let seen = inspect(&sandbox, &location);
    assert_eq!(seen["notifications"].as_array().unwrap().len(), 1);
    // The shop will never take it: seQura cancels the order (and refunds).
    assert_eq!(seen["state"], "cancelled", "{seen}");
}

#[test]
fn a_notify_url_off_loopback_is_never_contacted() {
    let sandbox = sandbox();
    let mut order = order();
    order["merchant"]["notify_url"] = json!("https://shop.example/ipn");
    let location = start(&sandbox, &order);
    let answer = approve(&sandbox, &location);
    let skipped = "skipped: notify_url is not a loopback address";
    assert_eq!(
        answer.json()["ipn"],
        json!({"status": null, "error": skipped})
    );
    assert_eq!(
        inspect(&sandbox, &location)["notifications"],
        json!([{"kind": "ipn", "url": "https://shop.example/ipn", "status": null, "error": skipped}])
    );
}

#[test]
fn an_unreachable_shop_is_reported_as_an_error() {
    let sandbox = sandbox();
    // Nothing listens on port 1 (a port bound and let go could be given
    // at once to a server of a test running beside this one).
    let mut order = order();
    order["merchant"]["notify_url"] = json!("http://127.0.0.1:1/ipn");
    let location = start(&sandbox, &order);
    let ipn = approve(&sandbox, &location).json()["ipn"].clone();
    assert_eq!(ipn["status"], json!(null));
    assert!(ipn["error"].is_string(), "{ipn}");
}

#[test]
fn approval_without_waiting_sends_the_ipn_in_the_background() {
    let sandbox = sandbox();
    let (notify_url, shop) = shop("HTTP/1.1 200 OK");
    let mut order = order();
    order["merchant"]["notify_url"] = json!(notify_url);
    let location = start(&sandbox, &order);
    let answer = approve_with(&sandbox, &location, "", b"");
    assert_eq!(
        answer.json()["ipn"],
        json!({"status": null, "error": null, "pending": true})
    );
    shop.join().unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while inspect(&sandbox, &location)["notifications"] == json!([]) {
        assert!(
            Instant::now() < deadline,
            "the IPN outcome was not recorded"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(
        inspect(&sandbox, &location)["notifications"][0]["status"],
        200
    );
}

#[test]
fn approval_without_notify_url_sends_nothing() {
    let sandbox = sandbox();
    let location = start(&sandbox, &order());
    let answer = approve(&sandbox, &location);
    assert_eq!(answer.json()["ipn"], json!({"status": null, "error": null}));
    assert_eq!(inspect(&sandbox, &location)["notifications"], json!([]));
}

#[test]
fn only_a_pending_order_can_be_approved() {
    let sandbox = sandbox();
    let location = start(&sandbox, &order());
    assert_eq!(approve(&sandbox, &location).status, 200);
    let again = approve(&sandbox, &location);
    assert_eq!(again.status, 409);
    assert_eq!(
        again.errors(),
        json!(["order is approved; only a pending order (or one under review) can be decided"])
    );
}

#[test]
fn approval_for_an_unknown_product_is_not_found() {
    let sandbox = sandbox();
    let location = start(&sandbox, &order());
    let answer = approve_with(&sandbox, &location, "", b"product=zz9");
    assert_eq!(answer.status, 404);
    assert_eq!(inspect(&sandbox, &location)["state"], "pending");
}

#[test]
fn control_paths_refuse_other_methods() {
    let sandbox = sandbox();
    let location = start(&sandbox, &order());
    let base = format!("{}/sandbox/orders/{}", sandbox.url(), uuid_of(&location));
    let answer = raw("GET", &format!("{base}/approve"), &[], b"");
    assert_eq!(answer.status, 405);
    assert_eq!(answer.header("allow"), Some("POST"));
    assert_eq!(raw("DELETE", &base, &[], b"").status, 405);
    let nowhere = raw(
        "GET",
        &format!("{}/sandbox/nowhere", sandbox.url()),
        &[],
        b"",
    );
    assert_eq!(nowhere.status, 404);
    assert_eq!(
        nowhere.errors(),
        json!(["No route for GET /sandbox/nowhere"])
    );
}
