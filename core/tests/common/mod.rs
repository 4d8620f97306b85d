//! What the integration tests share: a sandbox per test, a client for it,
//! a small valid order, and the sandbox's control endpoints.

use sequra::orders::Client;
use sequra::orders::{Config, Endpoint};
use sequra_sandbox::{
    Sandbox, SandboxOptions, DEFAULT_MERCHANT, DEFAULT_PASSWORD, DEFAULT_USERNAME,
};
use serde_json::{json, Value};
use std::time::Duration;

pub fn sandbox() -> Sandbox {
    Sandbox::start(SandboxOptions::default()).expect("the sandbox starts")
}

pub fn config(url: &str, password: &str) -> Config {
    let mut config = Config::new(
        Endpoint::Url(url.to_string()),
        DEFAULT_MERCHANT,
        DEFAULT_USERNAME,
        password,
    );
    config.connection.timeout = Duration::from_secs(5);
    config
}

pub fn client(sandbox: &Sandbox) -> Client {
    Client::new(config(sandbox.url(), DEFAULT_PASSWORD)).expect("a valid config")
}

/// A small order a real shop would send: one product and shipping.
pub fn order() -> Value {
    json!({
        "state": "",
        "merchant": {
            "id": DEFAULT_MERCHANT,
            "notify_url": "https://shop.example/sequra-ipn",
            "notification_parameters": {"cart": "1234"},
            "return_url": "https://shop.example/confirmed"
        },
        "merchant_reference": {"order_ref_1": "ORDER-1"},
        "cart": {
            "currency": "EUR",
            "gift": false,
            "order_total_with_tax": 6302,
            "items": [
                {"reference": "12-123-1234", "name": "Leather Case", "price_with_tax": 3030,
                 "quantity": 2, "total_with_tax": 6060, "downloadable": false},
                {"type": "handling", "reference": "seur24", "name": "SEUR 24h", "total_with_tax": 242}
            ]
        },
        "delivery_method": {"name": "SEUR24"},
        "delivery_address": {
            "given_names": "Maria José", "surnames": "Barroso Rajoy", "company": "",
            "address_line_1": "C/ Aragó 383", "address_line_2": "5º", "postal_code": "08013",
            "city": "Barcelona", "country_code": "ES"
        },
        "invoice_address": {
            "given_names": "Maria José", "surnames": "Barroso Rajoy", "company": "",
            "address_line_1": "C/ Aragó 383", "address_line_2": "5º", "postal_code": "08013",
            "city": "Barcelona", "country_code": "ES"
        },
        "customer": {
            "given_names": "Maria José", "surnames": "Barroso Rajoy", "email": "nisse@example.com",
            "logged_in": true, "language_code": "es-ES", "ip_number": "12.23.34.45",
            "user_agent": "Mozilla/5.0"
        },
        "gui": {"layout": "desktop"},
        "platform": {"name": "tests", "version": "1", "uname": "Linux", "db_name": "none", "db_version": "0"}
    })
}

fn control_agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

/// Approves the order as the shopper completing the form would, waiting
/// for the IPN; returns the sandbox's answer.
pub fn approve(sandbox: &Sandbox, uuid: &str) -> Value {
    let url = format!("{}/sandbox/orders/{uuid}/approve?wait=true", sandbox.url());
    let mut response = control_agent().post(&url).send_empty().expect("approve");
    assert_eq!(
        response.status(),
        200,
        "approve answered {}",
        response.status()
    );
    json_body(&mut response)
}

/// The sandbox's view of an order: state, stored order, notifications.
pub fn inspect(sandbox: &Sandbox, uuid: &str) -> Value {
    let url = format!("{}/sandbox/orders/{uuid}", sandbox.url());
    let mut response = control_agent().get(&url).call().expect("inspect");
    json_body(&mut response)
}

fn json_body(response: &mut ureq::http::Response<ureq::Body>) -> Value {
    let text = response.body_mut().read_to_string().expect("a body");
    serde_json::from_str(&text).expect("a JSON body")
}
