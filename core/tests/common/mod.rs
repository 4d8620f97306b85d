//! What the integration tests share: a sandbox per test, over HTTPS, a
//! client for it, a small valid order, and the sandbox's control
//! endpoints.
//!
//! Every sandbox started here serves HTTPS with a CA of its own, so that
//! the flows are tested as they run in production: over TLS, verified.
//! Clients trust that CA through the `ca_file` option: [`config`] and
//! [`connection`] find it from the URL.

pub mod documents;

use sequra::orders::Client;
use sequra::orders::{Config, Endpoint};
use sequra::Connection;
use sequra_sandbox::{
    Sandbox, SandboxOptions, DEFAULT_MERCHANT, DEFAULT_PASSWORD, DEFAULT_USERNAME,
};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

/// A 200 answering `body` with its `key` set to `value`, or left out for
/// `null`: a real answer made to say something else.
pub fn answered_with(body: &Value, key: &str, value: Value) -> sequra_sandbox::FaultKind {
    let mut body = body.clone();
    match value {
        Value::Null => body.as_object_mut().unwrap().remove(key),
        value => body.as_object_mut().unwrap().insert(key.into(), value),
    };
    sequra_sandbox::FaultKind::Status {
        status: 200,
        body: Some(body.to_string()),
    }
}

/// A URL of a loopback port where nothing listens: a call that gets as
/// far as connecting fails as a transport error that sent nothing.
///
/// Port 1 (tcpmux), which no machine of ours serves. A port bound and let
/// go refuses connections too, but a server of a test running beside this
/// one can be given it at once: CI once saw a POST there answered 200.
pub fn url_of_nothing() -> String {
    "http://127.0.0.1:1".to_owned()
}

/// A sandbox serving HTTPS.
pub fn sandbox() -> Sandbox {
    sandbox_with(SandboxOptions::default())
}

/// A sandbox serving HTTPS ([`sequra_sandbox::Tls::BadName`] when
/// `options` ask for it), its CA known to [`ca_file`].
pub fn sandbox_with(options: SandboxOptions) -> Sandbox {
    let sandbox = Sandbox::start_tls(options).expect("the sandbox starts");
    let ca = (
        sandbox.ca_file().expect("a CA file").to_path_buf(),
        sandbox.ca_pem().expect("a CA").to_string(),
    );
    cas()
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(sandbox.url().to_string(), ca);
    sandbox
}

/// The CA (file and PEM) of each sandbox started here, by its URL; a port
/// used again is the latest sandbox's.
fn cas() -> &'static Mutex<HashMap<String, (PathBuf, String)>> {
    static CAS: OnceLock<Mutex<HashMap<String, (PathBuf, String)>>> = OnceLock::new();
    CAS.get_or_init(Default::default)
}

/// The CA (file and PEM) of the sandbox serving `url` (its base URL or any
/// URL under it); `None` for any other server.
fn ca_of(url: &str) -> Option<(PathBuf, String)> {
    let cas = cas().lock().unwrap_or_else(|e| e.into_inner());
    cas.iter()
        .find(|(base, _)| url == base.as_str() || url.starts_with(&format!("{base}/")))
        .map(|(_, ca)| ca.clone())
}

/// The CA file of the sandbox serving `url`, for the `ca_file` option.
pub fn ca_file(url: &str) -> Option<PathBuf> {
    ca_of(url).map(|(file, _)| file)
}

/// How the tests' clients connect to `url`: a 5 s deadline, and the
/// sandbox's CA when `url` is a sandbox's.
pub fn connection(url: &str) -> Connection {
    Connection {
        timeout: Duration::from_secs(5),
        ca_file: ca_file(url),
        ..Connection::default()
    }
}

pub fn config(url: &str, password: &str) -> Config {
    let mut config = Config::new(
        Endpoint::Url(url.to_string()),
        DEFAULT_MERCHANT,
        DEFAULT_USERNAME,
        password,
    );
    config.connection = connection(url);
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

/// An agent for the control endpoints (and raw requests) of the sandbox
/// serving `url`: every status is an answer, and its CA is trusted.
pub fn control_agent(url: &str) -> ureq::Agent {
    use ureq::tls::{PemItem, RootCerts, TlsConfig};
    let mut tls = TlsConfig::builder();
    if let Some(pem) = ca_of(url).map(|(_, pem)| pem) {
        let certs: Vec<_> = ureq::tls::parse_pem(pem.as_bytes())
            .filter_map(|item| match item {
                Ok(PemItem::Certificate(cert)) => Some(cert),
                _ => None,
            })
            .collect();
        tls = tls.root_certs(RootCerts::new_with_certs(&certs));
    }
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .tls_config(tls.build())
        .build()
        .into()
}

/// Approves the order as the shopper completing the form would, waiting
/// for the IPN; returns the sandbox's answer.
pub fn approve(sandbox: &Sandbox, uuid: &str) -> Value {
    let url = format!("{}/sandbox/orders/{uuid}/approve?wait=true", sandbox.url());
    let mut response = control_agent(&url)
        .post(&url)
        .send_empty()
        .expect("approve");
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
    let mut response = control_agent(&url).get(&url).call().expect("inspect");
    json_body(&mut response)
}

fn json_body(response: &mut ureq::http::Response<ureq::Body>) -> Value {
    let text = response.body_mut().read_to_string().expect("a body");
    serde_json::from_str(&text).expect("a JSON body")
}
