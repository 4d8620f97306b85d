//! The order's life after the checkout, against the sandbox: payment
//! methods, the form by SMS, hold and cancel, references, post-sale
//! updates, the legacy POS confirm, and what seQura posts back.

#[allow(dead_code)]
mod common;

use common::{approve, client, config, inspect, order, sandbox};
use sequra::orders::notifications::{Event, Ipn, IpnState};
use sequra::orders::{Client, OrderUri};
use sequra::ErrorKind;
use sequra_sandbox::{Sandbox, DEFAULT_PASSWORD};
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::TcpListener;

/// Starts `order` and approves it as the shopper would.
fn approved(sandbox: &Sandbox, client: &Client, order: &Value) -> OrderUri {
    let uri = client.orders().start(order).expect("the order starts");
    approve(sandbox, uri.uuid());
    uri
}

/// Starts, approves and confirms `order`.
fn confirmed(sandbox: &Sandbox, client: &Client, order: &Value) -> OrderUri {
    let uri = approved(sandbox, client, order);
    client
        .orders()
        .confirm(uri.as_str(), order)
        .expect("the order confirms");
    uri
}

fn cart(items: &[Value]) -> Value {
    let total: i64 = items
        .iter()
        .map(|i| i["total_with_tax"].as_i64().unwrap())
        .sum();
    json!({"currency": "EUR", "order_total_with_tax": total, "items": items})
}

fn case(quantity: i64) -> Value {
    json!({"reference": "12-123-1234", "name": "Leather Case", "price_with_tax": 3030,
           "quantity": quantity, "total_with_tax": 3030 * quantity})
}

fn shipping() -> Value {
    json!({"type": "handling", "reference": "seur24", "name": "SEUR 24h", "total_with_tax": 242})
}

fn update(shipped: &[Value], unshipped: &[Value]) -> Value {
    json!({"shipped_cart": cart(shipped), "unshipped_cart": cart(unshipped)})
}

#[test]
fn an_orders_payment_methods_are_typed_products_with_costs() {
    let sandbox = sandbox();
    let client = client(&sandbox);
    let uri = client.orders().start(&order()).unwrap();
    let methods = client.orders().payment_methods(uri.as_str()).unwrap();
    let codes: Vec<&str> = methods.methods().map(|m| m.product.as_str()).collect();
    assert_eq!(codes, ["i1", "pp3", "sp1"]);
    let pp3 = methods.find("pp3", None).unwrap();
    assert_eq!(
        pp3.cost.as_ref().unwrap().instalment_total,
        Some(2101 + 300)
    );
    assert_eq!(
        methods.find("sp1", Some("permanente")).unwrap().min_amount,
        Some(5000)
    );
}

#[test]
fn the_merchant_catalogue_lists_every_product() {
    let sandbox = sandbox();
    let methods = client(&sandbox).merchant().payment_methods().unwrap();
    assert_eq!(methods.payment_options.len(), 2);
    assert_eq!(methods.methods().count(), 3);
}

#[test]
fn credentials_check_says_what_is_wrong() {
    let sandbox = sandbox();
    assert!(client(&sandbox).merchant().check_credentials().is_ok());

    let wrong_password = Client::new(config(sandbox.url(), "nope")).unwrap();
    let err = wrong_password.merchant().check_credentials().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Authentication);

    let mut other = config(sandbox.url(), DEFAULT_PASSWORD);
    other.merchant = "someone-else".into();
    let err = Client::new(other)
        .unwrap()
        .merchant()
        .check_credentials()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Forbidden, "{err}");

    let nowhere = Client::new(config(&common::url_of_nothing(), "x")).unwrap();
    let err = nowhere.merchant().check_credentials().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport);
    assert!(!err.may_have_acted());
}

#[test]
fn the_form_is_sent_by_sms_to_the_shoppers_mobile_phone() {
    let sandbox = sandbox();
    let client = client(&sandbox);
    let mut order = order();
    order["delivery_address"]["mobile_phone"] = json!("+34666555444");
    let uri = client.orders().start(&order).unwrap();
    client.orders().send_form(uri.as_str(), "pp3").unwrap();
    assert_eq!(
        inspect(&sandbox, uri.uuid())["form_deliveries"],
        json!([{"channel": "sms", "product_code": "pp3"}])
    );
}

#[test]
fn the_form_by_sms_without_a_mobile_phone_is_a_conflict() {
    let sandbox = sandbox();
    let client = client(&sandbox);
    let uri = client.orders().start(&order()).unwrap();
    let err = client.orders().send_form(uri.as_str(), "pp3").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert!(err.remote_errors()[0].contains("no mobile phone"), "{err}");
    let err = client
        .orders()
        .send_form(uri.as_str(), "PP3&x=1")
        .unwrap_err();
    assert_eq!(err.problems()[0].path, "product_code");
}

#[test]
fn an_approved_order_is_held_then_confirmed() {
    let sandbox = sandbox();
    let client = client(&sandbox);
    let uri = approved(&sandbox, &client, &order());
    client.orders().hold(uri.as_str(), &order()).unwrap();
    assert_eq!(inspect(&sandbox, uri.uuid())["state"], "on_hold");
    assert_eq!(inspect(&sandbox, uri.uuid())["order"]["state"], "on_hold");
    client.orders().confirm(uri.as_str(), &order()).unwrap();
    assert_eq!(inspect(&sandbox, uri.uuid())["state"], "confirmed");
}

#[test]
fn holding_a_pending_order_is_a_conflict() {
    let sandbox = sandbox();
    let client = client(&sandbox);
    let uri = client.orders().start(&order()).unwrap();
    let err = client.orders().hold(uri.as_str(), &order()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert_eq!(
        err.remote_errors(),
        ["order is pending: it can be put on hold only after seQura approved it"]
    );
}

#[test]
fn a_cancelled_order_cannot_be_confirmed() {
    let sandbox = sandbox();
    let client = client(&sandbox);
    let uri = approved(&sandbox, &client, &order());
    client.orders().cancel(uri.as_str(), &order()).unwrap();
    assert_eq!(inspect(&sandbox, uri.uuid())["state"], "cancelled");
    let err = client.orders().confirm(uri.as_str(), &order()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert_eq!(
        err.remote_errors(),
        ["order is cancelled: it cannot change any more"]
    );
}

#[test]
fn a_confirmed_order_is_not_cancelled_with_a_state() {
    let sandbox = sandbox();
    let client = client(&sandbox);
    let uri = confirmed(&sandbox, &client, &order());
    let err = client.orders().cancel(uri.as_str(), &order()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert!(err.remote_errors()[0].contains("both carts empty"), "{err}");
    let mut wrong = order();
    wrong["state"] = json!("confirmed");
    let err = client.orders().cancel(uri.as_str(), &wrong).unwrap_err();
    assert_eq!(err.problems()[0].path, "state");
}

#[test]
fn references_are_updated_and_a_taken_order_ref_1_is_a_conflict() {
    let sandbox = sandbox();
    let client = client(&sandbox);
    let first = confirmed(&sandbox, &client, &order());
    let mut second_order = order();
    second_order["merchant_reference"] = json!({"order_ref_1": "ORDER-2"});
    let second = confirmed(&sandbox, &client, &second_order);

    client
        .orders()
        .update_references(
            second.as_str(),
            &json!({"order_ref_1": "ORDER-3", "order_ref_2": "inv-9"}),
        )
        .unwrap();
    assert_eq!(
        inspect(&sandbox, second.uuid())["order"]["merchant_reference"],
        json!({"order_ref_1": "ORDER-3", "order_ref_2": "inv-9"})
    );

    let err = client
        .orders()
        .update_references(second.as_str(), &json!({"order_ref_1": "ORDER-1"}))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert_eq!(
        err.remote_errors(),
        ["merchant_reference.order_ref_1 \"ORDER-1\" is already used by another confirmed order"]
    );
    assert!(!err.may_have_acted());
    assert_eq!(inspect(&sandbox, first.uuid())["state"], "confirmed");
}

#[test]
fn references_without_order_ref_1_are_refused_before_sending() {
    let client = Client::new(config("http://127.0.0.1:9", "x")).unwrap();
    let err = client
        .orders()
        .update_references("0000-1111", &json!({"order_ref_2": "x"}))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert_eq!(err.problems()[0].path, "merchant_reference.order_ref_1");
}

/// seQura's own integration library sends the stored order's sections
/// with the carts (the whole merchant, the addresses, the customer, the
/// platform): an update of that shape passes the update's checks.
#[test]
fn an_update_with_every_section_of_the_order_is_taken() {
    let sandbox = sandbox();
    let client = client(&sandbox);
    let order = order();
    confirmed(&sandbox, &client, &order);
    let mut full = order.clone();
    let object = full.as_object_mut().unwrap();
    let cart = object.remove("cart").unwrap();
    object.insert("shipped_cart".into(), cart);
    object.insert(
        "unshipped_cart".into(),
        json!({"currency": "EUR", "order_total_with_tax": 0, "items": []}),
    );
    object.insert("trackings".into(), json!([]));
    client.merchant().update_order("ORDER-1", &full).unwrap();
}

#[test]
fn a_partial_shipment_a_refund_and_cancelling_the_rest() {
    let sandbox = sandbox();
    let client = client(&sandbox);
    let uri = confirmed(&sandbox, &client, &order());
    // One case and the shipping leave in parcel t-1; one case waits.
    let mut shipped_case = case(1);
    shipped_case["tracking_reference"] = json!("t-1");
    let mut partial = update(&[shipped_case, shipping()], &[case(1)]);
    partial["trackings"] = json!([{"type": "postal", "reference": "t-1",
        "carrier": "SEUR", "tracking_number": "AB331"}]);
    client.merchant().update_order("ORDER-1", &partial).unwrap();
    let held = inspect(&sandbox, uri.uuid());
    assert_eq!(held["shipped_cart"]["order_total_with_tax"], 3030 + 242);
    assert_eq!(held["order"]["trackings"][0]["tracking_number"], "AB331");

    // The shipped case comes back: refunded.
    client
        .merchant()
        .update_order("ORDER-1", &update(&[shipping()], &[case(1)]))
        .unwrap();
    // The waiting case is cancelled.
    client
        .merchant()
        .update_order("ORDER-1", &update(&[shipping()], &[]))
        .unwrap();
    let held = inspect(&sandbox, uri.uuid());
    assert_eq!(held["state"], "confirmed");
    assert_eq!(held["shipped_cart"]["order_total_with_tax"], 242);
    assert_eq!(held["unshipped_cart"]["items"], json!([]));
}

#[test]
fn a_full_shipment_then_cancelling_all_with_both_carts_empty() {
    let sandbox = sandbox();
    let client = client(&sandbox);
    let uri = confirmed(&sandbox, &client, &order());
    client
        .merchant()
        .update_order("ORDER-1", &update(&[case(2), shipping()], &[]))
        .unwrap();
    client
        .merchant()
        .update_order("ORDER-1", &update(&[], &[]))
        .unwrap();
    assert_eq!(inspect(&sandbox, uri.uuid())["state"], "cancelled");
    let err = client
        .merchant()
        .update_order("ORDER-1", &update(&[], &[]))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
}

#[test]
fn an_invoice_fee_without_a_reference_is_shipped_with_the_order() {
    let sandbox = sandbox();
    let client = client(&sandbox);
    let fee = json!({"type": "invoice_fee", "total_with_tax": 295});
    let mut order = order();
    order["cart"]["items"]
        .as_array_mut()
        .unwrap()
        .push(fee.clone());
    order["cart"]["order_total_with_tax"] = json!(6302 + 295);
    confirmed(&sandbox, &client, &order);
    client
        .merchant()
        .update_order(
            "ORDER-1",
            &update(&[case(1), fee.clone()], &[case(1), shipping()]),
        )
        .expect("the fee goes with the first shipment");
    let err = client
        .merchant()
        .update_order(
            "ORDER-1",
            &update(&[case(1), fee.clone(), fee], &[case(1), shipping()]),
        )
        .unwrap_err();
    assert_eq!(
        err.kind(),
        ErrorKind::Conflict,
        "a second fee is an added item: {err}"
    );
}

#[test]
fn a_post_sale_update_cannot_add_or_unship_items() {
    let sandbox = sandbox();
    let client = client(&sandbox);
    confirmed(&sandbox, &client, &order());
    let err = client
        .merchant()
        .update_order("ORDER-1", &update(&[case(3), shipping()], &[]))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert_eq!(
        err.remote_errors(),
        ["item \"12-123-1234\": 3 in the carts but the order has 2; items cannot be added after confirmation"]
    );
    client
        .merchant()
        .update_order("ORDER-1", &update(&[case(2), shipping()], &[]))
        .unwrap();
    let err = client
        .merchant()
        .update_order("ORDER-1", &update(&[case(1), shipping()], &[case(1)]))
        .unwrap_err();
    assert!(err.remote_errors()[0].contains("cannot go back"), "{err}");
}

#[test]
fn a_post_sale_update_of_an_unknown_or_unconfirmed_order_is_not_found() {
    let sandbox = sandbox();
    let client = client(&sandbox);
    approved(&sandbox, &client, &order());
    let err = client
        .merchant()
        .update_order("ORDER-1", &update(&[case(2), shipping()], &[]))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
}

#[test]
fn post_sale_carts_that_do_not_add_up_are_refused_before_sending() {
    let client = Client::new(config("http://127.0.0.1:9", "x")).unwrap();
    let mut bad = update(&[case(1)], &[]);
    bad["shipped_cart"]["order_total_with_tax"] = json!(1);
    bad["merchant"] = json!({"id": "another"});
    let err = client.merchant().update_order("ORDER-1", &bad).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert_eq!(
        err.problems()[0].to_string(),
        "shipped_cart.order_total_with_tax: is 1 but shipped_cart.items[].total_with_tax add up to 3030: make the items add up to what the shopper pays (a rounding difference may go on an item's total_with_tax, which may differ from quantity × price_with_tax by a cent a unit)"
    );
    // Every problem at once, the other merchant's id too; the same list
    // without sending.
    assert_eq!(err.problems()[1].path, "merchant.id", "{err}");
    assert_eq!(err.problems().len(), 2, "{err}");
    assert_eq!(
        client.merchant().validate_update("ORDER-1", &bad),
        err.problems()
    );
    let mut not_an_object = update(&[], &[]);
    not_an_object["merchant_reference"] = json!("ORDER-1");
    assert_eq!(
        client.merchant().validate_update("ORDER-1", &not_an_object)[0].to_string(),
        "merchant_reference: must be an object, not a string (\"ORDER-1\")"
    );
    let err = client
        .merchant()
        .update_order("ORDER-1", &update(&[], &[]))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport, "valid carts are sent");
    let mut other_merchant = update(&[], &[]);
    other_merchant["merchant"] = json!({"id": "another"});
    let err = client
        .merchant()
        .update_order("ORDER-1", &other_merchant)
        .unwrap_err();
    assert_eq!(err.problems()[0].path, "merchant.id");
}

/// A legacy POS order: no notify, return or approved URL; the counter's
/// provisional reference, replaced by the ticket's once it is printed.
fn pos_order(reference: &str) -> Value {
    let mut order = order();
    let merchant = order["merchant"].as_object_mut().unwrap();
    merchant.remove("notify_url");
    merchant.remove("return_url");
    merchant.remove("notification_parameters");
    order["merchant_reference"] = json!({ "order_ref_1": reference });
    order
}

fn pos_client(sandbox: &Sandbox) -> Client {
    let mut config = config(sandbox.url(), DEFAULT_PASSWORD);
    config.validation.flow = sequra::orders::payload::Flow::PosLegacy;
    Client::new(config).unwrap()
}

#[test]
fn a_legacy_pos_order_is_confirmed_then_given_its_reference() {
    let sandbox = sandbox();
    let client = pos_client(&sandbox);
    let uri = approved(&sandbox, &client, &pos_order("CART-1"));
    assert_eq!(inspect(&sandbox, uri.uuid())["notifications"], json!([]));
    client
        .orders()
        .confirm(uri.as_str(), &pos_order("CART-1"))
        .unwrap();
    client
        .orders()
        .update_references(uri.as_str(), &json!({"order_ref_1": "TICKET-77"}))
        .unwrap();
    let held = inspect(&sandbox, uri.uuid());
    assert_eq!(held["state"], "confirmed");
    assert_eq!(
        held["order"]["merchant_reference"]["order_ref_1"],
        "TICKET-77"
    );
}

#[test]
fn a_legacy_pos_reference_taken_by_another_order_is_a_conflict() {
    let sandbox = sandbox();
    let client = pos_client(&sandbox);
    let first = approved(&sandbox, &client, &pos_order("CART-1"));
    client
        .orders()
        .confirm(first.as_str(), &pos_order("CART-1"))
        .unwrap();
    client
        .orders()
        .update_references(first.as_str(), &json!({"order_ref_1": "TICKET-77"}))
        .unwrap();
    let second = approved(&sandbox, &client, &pos_order("CART-2"));
    client
        .orders()
        .confirm(second.as_str(), &pos_order("CART-2"))
        .unwrap();
    let err = client
        .orders()
        .update_references(second.as_str(), &json!({"order_ref_1": "TICKET-77"}))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert!(err.to_string().contains("already used"), "{err}");
}

#[test]
fn a_legacy_pos_order_with_a_url_is_refused_before_sending() {
    let sandbox = sandbox();
    let client = pos_client(&sandbox);
    let err = client.orders().start(&order()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    let paths: Vec<&str> = err.problems().iter().map(|p| p.path.as_str()).collect();
    assert!(paths.contains(&"merchant.notify_url"), "{paths:?}");
}

/// A shop on loopback that answers `count` requests with 200 and returns
/// their bodies.
fn shop(count: usize) -> (String, std::thread::JoinHandle<Vec<Vec<u8>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let thread = std::thread::spawn(move || {
        (0..count)
            .map(|_| {
                let (mut stream, _) = listener.accept().unwrap();
                let body = read_request_body(&mut stream);
                stream
                    .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n")
                    .unwrap();
                body
            })
            .collect()
    });
    (url, thread)
}

fn read_request_body(stream: &mut std::net::TcpStream) -> Vec<u8> {
    let mut request = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        let n = stream.read(&mut buffer).unwrap();
        request.extend_from_slice(&buffer[..n]);
        if let Some(end) = request.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&request[..end]).to_ascii_lowercase();
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            if request.len() >= end + 4 + length {
                return request[end + 4..end + 4 + length].to_vec();
            }
        }
        assert!(n > 0, "the request ended early");
    }
}

fn sequra_cancels(sandbox: &Sandbox, uuid: &str) -> Value {
    let url = format!("{}/sandbox/orders/{uuid}/cancel?wait=true", sandbox.url());
    let mut response = common::control_agent(&url).post(&url).send_empty().unwrap();
    serde_json::from_str(&response.body_mut().read_to_string().unwrap()).unwrap()
}

#[test]
fn sequra_cancelling_a_confirmed_order_posts_the_event_with_its_parameters() {
    let sandbox = sandbox();
    let client = client(&sandbox);
    let (url, shop) = shop(1);
    let mut order = order();
    order["merchant"]["events_webhook"] = json!({"url": url, "parameters": {"signature": "s1"}});
    let uri = confirmed(&sandbox, &client, &order);
    let answer = sequra_cancels(&sandbox, uri.uuid());
    assert_eq!(answer["event"]["status"], 200, "{answer}");
    let event = Event::from_form(&shop.join().unwrap()[0]).unwrap();
    assert_eq!(event.event, "cancelled");
    assert_eq!(event.order_ref, uri.uuid());
    assert_eq!(event.order_ref_1, "ORDER-1");
    assert_eq!(event.parameters["signature"], "s1");
}

#[test]
fn sequra_cancelling_an_approved_order_posts_a_cancelled_ipn() {
    let sandbox = sandbox();
    let client = client(&sandbox);
    let (url, shop) = shop(2);
    let mut order = order();
    order["merchant"]["notify_url"] = json!(url);
    let uri = client.orders().start(&order).unwrap();
    approve(&sandbox, uri.uuid());
    let answer = sequra_cancels(&sandbox, uri.uuid());
    assert_eq!(answer["ipn"]["status"], 200, "{answer}");
    let bodies = shop.join().unwrap();
    let approval = Ipn::from_form(&bodies[0]).unwrap();
    let cancellation = Ipn::from_form(&bodies[1]).unwrap();
    assert_eq!(approval.state, IpnState::Approved);
    assert_eq!(cancellation.state, IpnState::Cancelled);
    assert_eq!(cancellation.order_ref, uri.uuid());
    assert_eq!(cancellation.parameters["cart"], "1234");
    let err = client.orders().confirm(uri.as_str(), &order).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
}

#[test]
fn an_order_under_review_is_held_by_the_ipn_then_approved() {
    let sandbox = sandbox();
    let client = client(&sandbox);
    let (url, shop) = shop(2);
    let mut order = order();
    order["merchant"]["notify_url"] = json!(url);
    let uri = client.orders().start(&order).unwrap();
    let review = format!(
        "{}/sandbox/orders/{}/review?wait=true",
        sandbox.url(),
        uri.uuid()
    );
    let agent = common::control_agent(&review);
    assert_eq!(agent.post(&review).send_empty().unwrap().status(), 200);
    let err = client.orders().confirm(uri.as_str(), &order).unwrap_err();
    assert!(err.remote_errors()[0].contains("under review"), "{err}");
    approve(&sandbox, uri.uuid());
    let bodies = shop.join().unwrap();
    assert_eq!(
        Ipn::from_form(&bodies[0]).unwrap().state,
        IpnState::NeedsReview
    );
    assert_eq!(
        Ipn::from_form(&bodies[1]).unwrap().state,
        IpnState::Approved
    );
    client.orders().confirm(uri.as_str(), &order).unwrap();
}

#[test]
fn a_legacy_pos_order_may_start_without_a_reference_and_get_it_after_confirmation() {
    let sandbox = sandbox();
    let client = pos_client(&sandbox);
    let mut order = pos_order("unused");
    order.as_object_mut().unwrap().remove("merchant_reference");
    let uri = approved(&sandbox, &client, &order);
    client.orders().confirm(uri.as_str(), &order).unwrap();
    client
        .orders()
        .update_references(uri.as_str(), &json!({"order_ref_1": "TICKET-9"}))
        .unwrap();
    let held = inspect(&sandbox, uri.uuid());
    assert_eq!(
        held["order"]["merchant_reference"],
        json!({"order_ref_1": "TICKET-9"})
    );
}

#[test]
fn an_order_reference_that_is_a_path_step_is_refused_before_sending() {
    let sandbox = common::sandbox();
    let client = common::client(&sandbox);
    let update = json!({
        "shipped_cart": {"currency": "EUR", "order_total_with_tax": 0, "items": []},
        "unshipped_cart": {"currency": "EUR", "order_total_with_tax": 0, "items": []},
    });
    for bad in ["..", ".", " "] {
        let err = client.merchant().update_order(bad, &update).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{bad:?}");
        assert_eq!(err.problems()[0].path, "order_ref_1");
    }
}
