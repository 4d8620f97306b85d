//! The sandbox answers like the seQura Orders API: raw HTTP, no client
//! library, so these tests pin the server's side of the contract.

use sequra_sandbox::{Sandbox, SandboxOptions};
use serde_json::{json, Value};

/// `demo:demo-password`, base64.
const AUTH: &str = "Basic ZGVtbzpkZW1vLXBhc3N3b3Jk";

struct Answer {
    status: u16,
    location: Option<String>,
    headers: Vec<(String, String)>,
    body: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap()
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

fn call(method: &str, url: &str, auth: Option<&str>, body: Option<&Value>) -> Answer {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    let mut request = ureq::http::Request::builder().method(method).uri(url);
    if let Some(auth) = auth {
        request = request.header("Authorization", auth);
    }
    let response = match body {
        Some(body) => agent.run(
            request
                .header("Content-Type", "application/json")
                .body(body.to_string())
                .unwrap(),
        ),
        None => agent.run(request.body(()).unwrap()),
    };
    let mut response = response.unwrap();
    Answer {
        status: response.status().as_u16(),
        location: response
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_string()),
        headers: response
            .headers()
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_str().unwrap_or_default().to_string()))
            .collect(),
        body: response.body_mut().read_to_string().unwrap_or_default(),
    }
}

fn order() -> Value {
    json!({
        "state": "",
        "merchant": {"id": "demo"},
        "merchant_reference": {"order_ref_1": "R-1"},
        "cart": {"currency": "EUR", "gift": false, "order_total_with_tax": 6302, "items": [
            {"reference": "A", "name": "Case", "price_with_tax": 3030, "quantity": 2,
             "total_with_tax": 6060, "downloadable": false},
            {"type": "handling", "reference": "seur", "name": "SEUR", "total_with_tax": 242}
        ]},
        "customer": {"given_names": "Ana", "surnames": "Ruiz", "email": "ana@example.com"},
        "gui": {"layout": "desktop"},
        "platform": {"name": "t", "version": "1"}
    })
}

fn start(sandbox: &Sandbox, order: &Value) -> String {
    let answer = call(
        "POST",
        &format!("{}/orders", sandbox.url()),
        Some(AUTH),
        Some(&json!({"order": order})),
    );
    assert_eq!(answer.status, 204, "{}", answer.body);
    answer.location.unwrap()
}

fn approve(location: &str, sandbox: &Sandbox) -> Answer {
    let uuid = location.rsplit('/').next().unwrap();
    call(
        "POST",
        &format!("{}/sandbox/orders/{uuid}/approve?wait=true", sandbox.url()),
        None,
        None,
    )
}

fn confirm(location: &str, order: &Value) -> Answer {
    let mut confirmed = order.clone();
    confirmed["state"] = json!("confirmed");
    call(
        "PUT",
        location,
        Some(AUTH),
        Some(&json!({"order": confirmed})),
    )
}

fn sandbox() -> Sandbox {
    Sandbox::start(SandboxOptions::default()).unwrap()
}

#[test]
fn wrong_password_gets_the_basic_auth_refusal() {
    let sandbox = sandbox();
    let answer = call(
        "POST",
        &format!("{}/orders", sandbox.url()),
        Some("Basic ZGVtbzp3cm9uZw=="),
        Some(&json!({"order": order()})),
    );
    assert_eq!(answer.status, 401);
    assert_eq!(answer.body, "HTTP Basic: Access denied.");
    assert_eq!(
        answer.header("www-authenticate"),
        Some("Basic realm=\"Application\"")
    );
}

#[test]
fn start_answers_204_with_the_order_location() {
    let sandbox = sandbox();
    let location = start(&sandbox, &order());
    assert!(location.starts_with(&format!("{}/orders/", sandbox.url())));
    let uuid = location.rsplit('/').next().unwrap();
    assert_eq!(uuid.len(), 36);
    assert_eq!(&uuid[14..15], "4", "a version 4 uuid: {uuid}");
}

#[test]
fn start_with_totals_that_do_not_add_up_is_a_conflict() {
    let sandbox = sandbox();
    let mut bad = order();
    bad["cart"]["order_total_with_tax"] = json!(1);
    let answer = call(
        "POST",
        &format!("{}/orders", sandbox.url()),
        Some(AUTH),
        Some(&json!({"order": bad})),
    );
    assert_eq!(answer.status, 409);
    assert_eq!(
        answer.json()["errors"][0],
        "cart.order_total_with_tax 1 does not match the sum of the items 6302"
    );
}

#[test]
fn start_for_another_merchant_is_forbidden() {
    let sandbox = sandbox();
    let mut other = order();
    other["merchant"]["id"] = json!("someone-else");
    let answer = call(
        "POST",
        &format!("{}/orders", sandbox.url()),
        Some(AUTH),
        Some(&json!({"order": other})),
    );
    assert_eq!(answer.status, 403);
}

#[test]
fn form_holds_the_approval_action() {
    let sandbox = sandbox();
    let location = start(&sandbox, &order());
    let uuid = location.rsplit('/').next().unwrap();
    let answer = call(
        "GET",
        &format!("{location}/form_v2?product=pp3&campaign=&ajax=false"),
        Some(AUTH),
        None,
    );
    assert_eq!(answer.status, 200);
    assert_eq!(
        answer.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let action = format!("<form id=\"sq-identification\" method=\"post\" action=\"{}/sandbox/orders/{uuid}/approve\">", sandbox.url());
    assert!(answer.body.contains(&action), "{}", answer.body);
    assert!(answer.body.contains("63.02"), "{}", answer.body);
    let unknown = call(
        "GET",
        &format!("{location}/form_v2?product=zz9"),
        Some(AUTH),
        None,
    );
    assert_eq!(unknown.status, 404);
}

#[test]
fn confirm_before_approval_is_a_conflict() {
    let sandbox = sandbox();
    let location = start(&sandbox, &order());
    let answer = confirm(&location, &order());
    assert_eq!(answer.status, 409);
    assert!(answer.body.contains("pending"), "{}", answer.body);
}

#[test]
fn approval_posts_the_ipn_and_reports_the_shop_answer() {
    let sandbox = sandbox();
    let shop = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let mut order = order();
    order["merchant"]["notify_url"] = json!(format!("http://{}/ipn", shop.local_addr().unwrap()));
    order["merchant"]["notification_parameters"] = json!({"cart": "C 1", "n": 7});
    let location = start(&sandbox, &order);
    let shop_thread = std::thread::spawn(move || {
        use std::io::{Read, Write};
        let (mut stream, _) = shop.accept().unwrap();
        let mut request = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            let n = stream.read(&mut buf).unwrap();
            request.extend_from_slice(&buf[..n]);
            let text = String::from_utf8_lossy(&request);
            if let Some((head, body)) = text.split_once("\r\n\r\n") {
                let length: usize = head
                    .lines()
                    .find_map(|l| {
                        l.to_ascii_lowercase()
                            .strip_prefix("content-length:")
                            .map(|v| v.trim().parse().unwrap())
                    })
                    .unwrap_or(0);
                if body.len() >= length {
                    break;
                }
            }
        }
        stream
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n")
            .unwrap();
        String::from_utf8(request).unwrap()
    });
    let answer = approve(&location, &sandbox);
    let request = shop_thread.join().unwrap();
    assert_eq!(answer.status, 200);
    assert_eq!(answer.json()["ipn"]["status"], 200);
    let body = request.split("\r\n\r\n").nth(1).unwrap();
    let uuid = location.rsplit('/').next().unwrap();
    assert!(
        body.starts_with(&format!(
            "order_ref={uuid}&product_code=i1&sq_state=approved&order_ref_1=R-1&approved_since="
        )),
        "{body}"
    );
    assert!(body.ends_with("&cart=C%201&n=7"), "{body}");
}

#[test]
fn confirm_of_changed_cart_names_every_difference() {
    let sandbox = sandbox();
    let location = start(&sandbox, &order());
    approve(&location, &sandbox);
    let mut changed = order();
    changed["cart"]["items"][0]["quantity"] = json!(3);
    changed["cart"]["items"].as_array_mut().unwrap().pop();
    let answer = confirm(&location, &changed);
    assert_eq!(answer.status, 409);
    assert_eq!(
        answer.json()["errors"],
        json!([
            "cart.items[0].quantity changed from 2 to 3",
            "cart.items[1] was removed",
        ])
    );
}

#[test]
fn confirm_succeeds_once_and_again_for_the_same_cart() {
    let sandbox = sandbox();
    let location = start(&sandbox, &order());
    approve(&location, &sandbox);
    assert_eq!(confirm(&location, &order()).status, 200);
    assert_eq!(
        confirm(&location, &order()).status,
        200,
        "a retried confirm is answered again"
    );
    let uuid = location.rsplit('/').next().unwrap();
    let state = call(
        "GET",
        &format!("{}/sandbox/orders/{uuid}", sandbox.url()),
        None,
        None,
    );
    assert_eq!(state.json()["state"], "confirmed");
}

#[test]
fn a_taken_order_ref_1_is_a_conflict() {
    let sandbox = sandbox();
    let first = start(&sandbox, &order());
    let second = start(&sandbox, &order());
    approve(&first, &sandbox);
    approve(&second, &sandbox);
    assert_eq!(confirm(&first, &order()).status, 200);
    let answer = confirm(&second, &order());
    assert_eq!(answer.status, 409);
    assert!(answer.body.contains("order_ref_1"), "{}", answer.body);
}

#[test]
fn unknown_orders_and_routes_are_not_found_and_wrong_methods_are_refused() {
    let sandbox = sandbox();
    let unknown = format!(
        "{}/orders/00000000-0000-4000-8000-000000000000",
        sandbox.url()
    );
    assert_eq!(confirm(&unknown, &order()).status, 404);
    assert_eq!(
        call(
            "GET",
            &format!("{}/nowhere", sandbox.url()),
            Some(AUTH),
            None
        )
        .status,
        404
    );
    let answer = call(
        "DELETE",
        &format!("{}/orders", sandbox.url()),
        Some(AUTH),
        None,
    );
    assert_eq!(answer.status, 405);
    assert_eq!(answer.header("allow"), Some("POST"));
}
