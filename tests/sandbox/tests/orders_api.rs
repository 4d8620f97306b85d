//! The sandbox answers like the seQura Orders API: paths, statuses,
//! headers and error bodies.

mod common;

use common::{call, confirm, inspect, order, raw, sandbox, start, uuid_of, AUTH};
use serde_json::json;

const JSON: &str = "application/json; charset=utf-8";

#[test]
fn wrong_password_gets_the_basic_auth_refusal() {
    let sandbox = sandbox();
    for headers in [
        &[("Authorization", "Basic ZGVtbzp3cm9uZw==")][..], // demo:wrong
        &[("Authorization", "Bearer ZGVtbzpkZW1vLXBhc3N3b3Jk")][..],
        &[("Authorization", "Basic !!!")][..],
        &[][..],
    ] {
        let answer = raw("POST", &format!("{}/orders", sandbox.url()), headers, b"{}");
        assert_eq!(answer.status, 401);
        assert_eq!(answer.body, "HTTP Basic: Access denied.");
        assert_eq!(
            answer.header("content-type"),
            Some("text/plain; charset=utf-8")
        );
        assert_eq!(
            answer.header("www-authenticate"),
            Some("Basic realm=\"Application\"")
        );
    }
}

#[test]
fn paths_under_merchants_need_credentials_too() {
    let sandbox = sandbox();
    let url = format!("{}/merchants/demo/payment_methods", sandbox.url());
    assert_eq!(raw("GET", &url, &[], b"").status, 401);
}

#[test]
fn start_answers_204_with_the_order_location() {
    let sandbox = sandbox();
    let answer = call(
        "POST",
        &format!("{}/orders", sandbox.url()),
        Some(&json!({"order": order()})),
    );
    assert_eq!(answer.status, 204, "{}", answer.body);
    assert_eq!(answer.body, "");
    let location = answer.header("location").unwrap();
    assert!(location.starts_with(&format!("{}/orders/", sandbox.url())));
    let uuid = uuid_of(location);
    assert_eq!(uuid.len(), 36);
    assert_eq!(&uuid[14..15], "4", "a version 4 uuid: {uuid}");
    let held = inspect(&sandbox, location);
    assert_eq!(held["state"], "pending");
    assert_eq!(held["order"], order(), "the order is stored as received");
}

#[test]
fn start_with_totals_that_do_not_add_up_is_a_conflict_naming_both_sums() {
    let sandbox = sandbox();
    let mut bad = order();
    bad["cart"]["order_total_with_tax"] = json!(1);
    let answer = call(
        "POST",
        &format!("{}/orders", sandbox.url()),
        Some(&json!({"order": bad})),
    );
    assert_eq!(answer.status, 409);
    assert_eq!(answer.header("content-type"), Some(JSON));
    assert_eq!(
        answer.errors(),
        json!([
            "cart.order_total_with_tax is 1 but the items add up to 6302; \
                send the sum of cart.items[].total_with_tax"
        ])
    );
}

#[test]
fn start_reports_every_problem_at_once() {
    let sandbox = sandbox();
    let mut bad = order();
    bad["state"] = json!("confirmed");
    bad.as_object_mut().unwrap().remove("gui");
    bad["cart"]["items"][1]["total_with_tax"] = json!("2.42");
    let answer = call(
        "POST",
        &format!("{}/orders", sandbox.url()),
        Some(&json!({"order": bad})),
    );
    assert_eq!(answer.status, 409);
    assert_eq!(
        answer.errors(),
        json!([
            "order.gui is required (an object)",
            "order.state must be empty when starting a solicitation",
            "cart.items[1].total_with_tax must be an integer number of cents",
        ])
    );
}

#[test]
fn start_for_another_merchant_is_forbidden() {
    let sandbox = sandbox();
    let mut other = order();
    other["merchant"]["id"] = json!(1234);
    let answer = call(
        "POST",
        &format!("{}/orders", sandbox.url()),
        Some(&json!({"order": other})),
    );
    assert_eq!(answer.status, 403);
    assert!(answer.errors()[0].as_str().unwrap().contains("\"1234\""));
}

#[test]
fn start_without_an_order_object_is_a_conflict() {
    let sandbox = sandbox();
    let answer = call(
        "POST",
        &format!("{}/orders", sandbox.url()),
        Some(&json!({"cart": {}})),
    );
    assert_eq!(answer.status, 409);
    assert_eq!(answer.errors().as_array().unwrap().len(), 1);
}

#[test]
fn a_body_that_is_not_json_is_refused() {
    let sandbox = sandbox();
    let url = format!("{}/orders", sandbox.url());
    let unparseable = raw(
        "POST",
        &url,
        &[
            ("Authorization", AUTH),
            ("Content-Type", "application/json"),
        ],
        b"{\"order\": ",
    );
    assert_eq!(unparseable.status, 400);
    assert!(unparseable.errors()[0].is_string());
    let form = raw(
        "POST",
        &url,
        &[
            ("Authorization", AUTH),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ],
        b"order=1",
    );
    assert_eq!(form.status, 415);
    assert_eq!(form.header("content-type"), Some(JSON));
    let with_charset = raw(
        "POST",
        &url,
        &[
            ("Authorization", AUTH),
            ("Content-Type", "Application/JSON; charset=utf-8"),
        ],
        json!({"order": order()}).to_string().as_bytes(),
    );
    assert_eq!(with_charset.status, 204, "{}", with_charset.body);
}

#[test]
fn form_holds_the_approval_action_and_the_total() {
    let sandbox = sandbox();
    let location = start(&sandbox, &order());
    let answer = call(
        "GET",
        &format!("{location}/form_v2?product=pp3&campaign=&ajax=false"),
        None,
    );
    assert_eq!(answer.status, 200);
    assert_eq!(
        answer.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let action = format!(
        "<form id=\"sq-identification\" method=\"post\" action=\"{}/sandbox/orders/{}/approve\">",
        sandbox.url(),
        uuid_of(&location)
    );
    assert!(answer.body.contains(&action), "{}", answer.body);
    assert!(answer
        .body
        .contains("<input type=\"hidden\" name=\"product\" value=\"pp3\">"));
    assert!(answer.body.contains("63.02 €"), "{}", answer.body);
    assert!(answer.body.contains("<html>"), "{}", answer.body);
}

#[test]
fn ajax_form_is_a_fragment_offering_i1_by_default() {
    let sandbox = sandbox();
    let location = start(&sandbox, &order());
    let answer = call("GET", &format!("{location}/form_v2?ajax=true"), None);
    assert_eq!(answer.status, 200);
    assert!(answer.body.starts_with("<form id=\"sq-identification\""));
    assert!(!answer.body.contains("<html"), "{}", answer.body);
    assert!(answer.body.contains("name=\"product\" value=\"i1\""));
}

#[test]
fn form_for_an_unknown_product_or_order_is_not_found() {
    let sandbox = sandbox();
    let location = start(&sandbox, &order());
    let answer = call("GET", &format!("{location}/form_v2?product=zz9"), None);
    assert_eq!(answer.status, 404);
    assert!(answer.errors()[0].as_str().unwrap().contains("zz9"));
    let unknown = format!(
        "{}/orders/00000000-0000-4000-8000-000000000000/form_v2",
        sandbox.url()
    );
    assert_eq!(call("GET", &unknown, None).status, 404);
}

#[test]
fn confirm_before_approval_is_a_conflict() {
    let sandbox = sandbox();
    let location = start(&sandbox, &order());
    let answer = confirm(&location, &order());
    assert_eq!(answer.status, 409);
    assert_eq!(
        answer.errors(),
        json!(["order is pending: it can be confirmed only after seQura approved it"])
    );
    assert_eq!(inspect(&sandbox, &location)["state"], "pending");
}

#[test]
fn confirm_of_changed_cart_names_every_changed_path() {
    let sandbox = sandbox();
    let location = start(&sandbox, &order());
    assert_eq!(common::approve(&sandbox, &location).status, 200);
    let mut changed = order();
    changed["cart"]["order_total_with_tax"] = json!(9090);
    changed["cart"]["items"][0]["quantity"] = json!(3);
    changed["cart"]["items"][0]["total_with_tax"] = json!(9090);
    changed["cart"]["items"].as_array_mut().unwrap().pop();
    let answer = confirm(&location, &changed);
    assert_eq!(answer.status, 409);
    assert_eq!(
        answer.errors(),
        json!([
            "cart.items[0].quantity changed from 2 to 3",
            "cart.items[0].total_with_tax changed from 6060 to 9090",
            "cart.items[1] was removed",
            "cart.order_total_with_tax changed from 6302 to 9090",
        ])
    );
    assert_eq!(inspect(&sandbox, &location)["state"], "approved");
}

#[test]
fn confirm_succeeds_once_and_again_for_the_same_cart() {
    let sandbox = sandbox();
    let location = approved(&sandbox, &order());
    let answer = confirm(&location, &order());
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.header("content-type"), Some(JSON));
    assert_eq!(answer.json(), json!({}));
    let held = inspect(&sandbox, &location);
    assert_eq!(held["state"], "confirmed");
    assert_eq!(held["order"]["state"], "confirmed");
    assert_eq!(
        confirm(&location, &order()).status,
        200,
        "a retried confirm is answered again"
    );
    let mut changed = order();
    changed["cart"]["gift"] = json!(true);
    let answer = confirm(&location, &changed);
    assert_eq!(answer.status, 409, "a confirmed cart does not change");
    assert_eq!(answer.errors()[1], "cart.gift changed from false to true");
}

#[test]
fn confirm_with_another_state_is_a_conflict() {
    let sandbox = sandbox();
    let location = approved(&sandbox, &order());
    let mut held = order();
    held["state"] = json!("shipped");
    let answer = call("PUT", &location, Some(&json!({"order": held})));
    assert_eq!(answer.status, 409);
    assert_eq!(
        answer.errors(),
        json!([
            "order.state \"shipped\" is not supported; send \"confirmed\", \"on_hold\" or \"cancelled\""
        ])
    );
}

#[test]
fn a_taken_order_ref_1_is_a_conflict() {
    let sandbox = sandbox();
    let first = approved(&sandbox, &order());
    let second = approved(&sandbox, &order());
    assert_eq!(confirm(&first, &order()).status, 200);
    let answer = confirm(&second, &order());
    assert_eq!(answer.status, 409);
    assert_eq!(
        answer.errors(),
        json!([
            "merchant_reference.order_ref_1 \"R-1\" is already used by another confirmed order"
        ])
    );
    let mut renamed = order();
    renamed["merchant_reference"]["order_ref_1"] = json!("R-2");
    assert_eq!(confirm(&second, &renamed).status, 200);
}

#[test]
fn a_reference_changed_after_confirmation_frees_the_old_one() {
    let sandbox = sandbox();
    let first = approved(&sandbox, &order());
    let second = approved(&sandbox, &order());
    assert_eq!(confirm(&first, &order()).status, 200);
    let renamed = json!({"order": {"merchant_reference": {"order_ref_1": "R-9"}}});
    assert_eq!(call("PATCH", &first, Some(&renamed)).status, 200);
    assert_eq!(
        confirm(&second, &order()).status,
        200,
        "R-1 is no longer the first order's"
    );
    let mut taken = order();
    taken["merchant_reference"]["order_ref_1"] = json!("R-9");
    let third = approved(&sandbox, &taken);
    let answer = confirm(&third, &taken);
    assert_eq!(answer.status, 409, "R-9 is the first order's now");
    assert_eq!(
        answer.errors(),
        json!([
            "merchant_reference.order_ref_1 \"R-9\" is already used by another confirmed order"
        ])
    );
}

#[test]
fn a_reference_used_again_after_a_cancellation_reaches_the_confirmed_order() {
    let sandbox = sandbox();
    let post_sale = format!("{}/merchants/demo/orders/R-1", sandbox.url());
    let first = approved(&sandbox, &order());
    assert_eq!(confirm(&first, &order()).status, 200);
    let empty = json!({"currency": "EUR", "order_total_with_tax": 0, "items": []});
    let cancel = json!({"order": {
        "merchant": {"id": "demo"},
        "shipped_cart": empty,
        "unshipped_cart": empty,
    }});
    let answer = call("PUT", &post_sale, Some(&cancel));
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(inspect(&sandbox, &first)["state"], "cancelled");

    let second = approved(&sandbox, &order());
    assert_eq!(confirm(&second, &order()).status, 200);
    let answer = call("PUT", &post_sale, Some(&cancel));
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(inspect(&sandbox, &second)["state"], "cancelled");
    assert_eq!(
        call("PUT", &post_sale, Some(&cancel)).errors(),
        json!(["order is cancelled: it cannot change any more"])
    );
}

#[test]
fn unknown_orders_are_not_found() {
    let sandbox = sandbox();
    let unknown = format!(
        "{}/orders/00000000-0000-4000-8000-000000000000",
        sandbox.url()
    );
    let answer = confirm(&unknown, &order());
    assert_eq!(answer.status, 404);
    assert_eq!(
        answer.errors(),
        json!(["Order 00000000-0000-4000-8000-000000000000 not found"])
    );
    let control = format!(
        "{}/sandbox/orders/00000000-0000-4000-8000-000000000000",
        sandbox.url()
    );
    assert_eq!(raw("GET", &control, &[], b"").status, 404);
    assert_eq!(
        raw("POST", &format!("{control}/approve"), &[], b"").status,
        404
    );
}

#[test]
fn unknown_routes_are_not_found_and_wrong_methods_are_refused() {
    let sandbox = sandbox();
    let answer = call("GET", &format!("{}/nowhere", sandbox.url()), None);
    assert_eq!(answer.status, 404);
    assert_eq!(answer.errors(), json!(["No route for GET /nowhere"]));
    let answer = call("DELETE", &format!("{}/orders", sandbox.url()), None);
    assert_eq!(answer.status, 405);
    assert_eq!(answer.header("allow"), Some("POST"));
    let location = start(&sandbox, &order());
    let answer = call("GET", &location, None);
    assert_eq!(answer.status, 405);
    assert_eq!(answer.header("allow"), Some("PUT, PATCH"));
}

/// A started order the shopper approved: its `Location`.
fn approved(sandbox: &sequra_sandbox::Sandbox, order: &serde_json::Value) -> String {
    let location = start(sandbox, order);
    common::approve(sandbox, &location);
    location
}
