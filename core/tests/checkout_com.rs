//! seQura through checkout.com against the sandbox: create a payment setup,
//! confirm it with seQura, send the customer to the redirect URL; retries
//! with idempotency keys; every documented error; OAuth; signed webhooks.

#[allow(dead_code)]
mod common;
#[allow(dead_code)]
#[path = "common/servers.rs"]
mod servers;

use common::documents::payment_setup as setup;
use sequra::checkout_com::{
    Client, Config, Environment, EventType, PaymentSetup, Posted, Verifier,
};
use sequra::ErrorKind;
use sequra_sandbox::{
    Sandbox, CHECKOUT_COM_CLIENT_ID, CHECKOUT_COM_CLIENT_SECRET,
    CHECKOUT_COM_PROCESSING_CHANNEL_ID, CHECKOUT_COM_SECRET_KEY, CHECKOUT_COM_WEBHOOK_SECRET,
};
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::Duration;

fn sandbox() -> Sandbox {
    common::sandbox()
}

/// A secret-key config of the sandbox's account.
fn config(sandbox: &Sandbox, key: &str) -> Config {
    let mut config = Config::with_secret_key(key, "sandboxx");
    config.endpoint = Some(sandbox.url().to_string());
    config.processing_channel_id = Some(CHECKOUT_COM_PROCESSING_CHANNEL_ID.into());
    config.connection = common::connection(sandbox.url());
    config.connection.timeout = Duration::from_secs(10);
    config
}

fn client(sandbox: &Sandbox) -> Client {
    Client::new(config(sandbox, CHECKOUT_COM_SECRET_KEY)).expect("a valid config")
}

/// A client of the sandbox's account with OAuth.
fn oauth_client(sandbox: &Sandbox, client_secret: &str) -> Client {
    Client::new(oauth_config(sandbox, client_secret)).expect("a valid config")
}

/// An OAuth config of the sandbox's account's credentials for a server of
/// a test's own at `url` (its API and token endpoint), no CA needed.
fn oauth_config_at(url: &str) -> Config {
    let mut config = Config::with_oauth(
        CHECKOUT_COM_CLIENT_ID,
        CHECKOUT_COM_CLIENT_SECRET,
        Environment::Sandbox,
        "sandboxx",
    );
    config.endpoint = Some(url.to_string());
    config.access_url = Some(format!("{url}/connect/token"));
    config.processing_channel_id = Some(CHECKOUT_COM_PROCESSING_CHANNEL_ID.into());
    config
}

/// An OAuth config of the sandbox's account.
fn oauth_config(sandbox: &Sandbox, client_secret: &str) -> Config {
    let mut config = Config::with_oauth(
        CHECKOUT_COM_CLIENT_ID,
        client_secret,
        Environment::Sandbox,
        "sandboxx",
    );
    config.endpoint = Some(sandbox.url().to_string());
    config.access_url = Some(format!("{}/connect/token", sandbox.url()));
    config.connection = common::connection(sandbox.url());
    config.processing_channel_id = Some(CHECKOUT_COM_PROCESSING_CHANNEL_ID.into());
    config
}

fn agent(url: &str) -> ureq::Agent {
    common::control_agent(url)
}

/// Calls a control endpoint of the sandbox; returns its JSON answer.
fn control(sandbox: &Sandbox, method: &str, path: &str, body: Option<Value>) -> Value {
    let url = format!("{}/sandbox/checkout_com/{path}", sandbox.url());
    let json = |request: ureq::RequestBuilder<ureq::typestate::WithBody>, body: Value| {
        request
            .header("Content-Type", "application/json")
            .send(body.to_string().as_bytes())
    };
    let mut response = match (method, body) {
        ("GET", _) => agent(&url).get(&url).call(),
        ("PUT", Some(body)) => json(agent(&url).put(&url), body),
        (_, Some(body)) => json(agent(&url).post(&url), body),
        (_, None) => agent(&url).post(&url).send_empty(),
    }
    .expect("the sandbox answers");
    let text = response.body_mut().read_to_string().unwrap_or_default();
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

fn queue_fault(sandbox: &Sandbox, fault: Value) {
    let url = format!("{}/sandbox/checkout_com/faults", sandbox.url());
    let response = agent(&url)
        .post(&url)
        .header("Content-Type", "application/json")
        .send(fault.to_string().as_bytes())
        .unwrap();
    assert_eq!(response.status(), 200);
}

/// The id of a new setup of the documents' payment setup.
fn new_setup(client: &Client) -> String {
    client
        .payment_setups()
        .create(&setup(), None)
        .unwrap()
        .value
        .id
}

fn setups_in_sandbox(sandbox: &Sandbox) -> u64 {
    control(sandbox, "GET", "setups", None)["count"]
        .as_u64()
        .unwrap()
}

fn is_id(kind: &str, id: &str) -> bool {
    id.strip_prefix(kind).is_some_and(|tail| {
        tail.len() == 26
            && tail
                .bytes()
                .all(|c| c.is_ascii_lowercase() || (b'2'..=b'7').contains(&c))
    })
}

#[test]
fn setup_is_created_confirmed_and_gives_the_redirect_url() {
    let sandbox = sandbox();
    let client = client(&sandbox);
    let created = client.payment_setups().create(&setup(), None).unwrap();
    let setup = &created.value;
    assert!(is_id("set_", &setup.id), "{}", setup.id);
    assert!(setup.is_ready_for_sequra(), "{setup:?}");
    assert_eq!(setup.amount, Some(20000));
    assert_eq!(
        setup.processing_channel_id.as_deref(),
        Some(CHECKOUT_COM_PROCESSING_CHANNEL_ID)
    );
    assert_eq!(setup.available_payment_methods, ["sequra"]);
    assert_eq!(created.idempotency_key.len(), 36);
    assert!(created.request_id.is_some());

    let confirmed = client.payment_setups().confirm(&setup.id, None).unwrap();
    let payment = &confirmed.value;
    assert!(is_id("pay_", &payment.id), "{}", payment.id);
    assert_eq!(payment.status, "Pending");
    assert_eq!(payment.reference.as_deref(), Some("ORD-5023-4E89"));
    let processing = payment.processing.as_ref().unwrap();
    assert_eq!(processing.product_type.as_deref(), Some("pay_later"));
    let partner = processing.partner_payment_id.as_deref().unwrap();
    let redirect = payment.redirect_url().unwrap();
    assert!(redirect.starts_with(sandbox.url()), "{redirect}");
    assert!(redirect.ends_with(partner), "{redirect}");
    assert_ne!(confirmed.idempotency_key, created.idempotency_key);

    let mut page = agent(redirect).get(redirect).call().unwrap();
    assert_eq!(page.status(), 200);
    let html = page.body_mut().read_to_string().unwrap();
    assert!(html.contains("sq-checkout"), "{html}");
}

#[test]
fn setup_is_read_and_updated_until_sequra_is_ready() {
    let sandbox = sandbox();
    let client = client(&sandbox);
    let mut partial = setup();
    partial.as_object_mut().unwrap().remove("billing");
    let created = client
        .payment_setups()
        .create(&partial, None)
        .unwrap()
        .value;
    assert_eq!(created.sequra_status(), Some("pending"));
    assert!(created.payment_methods["sequra"]
        .flags
        .contains(&"billing_address_city_required".to_string()));

    let err = client
        .payment_setups()
        .confirm(&created.id, None)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unprocessable);
    assert!(err
        .remote_errors()
        .contains(&"billing_address_city_required".to_string()));

    let updated = client
        .payment_setups()
        .update(
            &created.id,
            &json!({"billing": setup()["billing"], "amount": 25000}),
        )
        .unwrap();
    assert!(updated.is_ready_for_sequra());
    assert_eq!(updated.amount, Some(25000));
    let read = client.payment_setups().get(&created.id).unwrap();
    assert_eq!(read, updated);
    assert_eq!(read.other["billing"]["address"]["country"], "ES");
    client.payment_setups().confirm(&created.id, None).unwrap();
}

#[test]
fn retried_create_with_the_same_key_creates_nothing_new() {
    let sandbox = sandbox();
    let client = client(&sandbox);
    let key = sequra::checkout_com::new_idempotency_key().unwrap();
    let first = client
        .payment_setups()
        .create(&setup(), Some(&key))
        .unwrap();
    let again = client
        .payment_setups()
        .create(&setup(), Some(&key))
        .unwrap();
    assert_eq!(first.value, again.value);
    assert_eq!(again.idempotency_key, key);
    assert_eq!(setups_in_sandbox(&sandbox), 1);

    let confirmed = client
        .payment_setups()
        .confirm(&first.value.id, Some("confirm-1"))
        .unwrap();
    let again = client
        .payment_setups()
        .confirm(&first.value.id, Some("confirm-1"))
        .unwrap();
    assert_eq!(confirmed.value, again.value);
    assert_eq!(control(&sandbox, "GET", "setups", None)["payments"], 1);
}

#[test]
fn a_lost_answer_is_retried_with_the_same_key_and_creates_nothing_new() {
    let sandbox = sandbox();
    let client = client(&sandbox);
    // The sandbox creates the setup, then a gateway loses its answer: 502.
    queue_fault(&sandbox, json!({"answer_status": 502}));
    let created = client.payment_setups().create(&setup(), None).unwrap();
    assert!(is_id("set_", &created.value.id));
    assert_eq!(setups_in_sandbox(&sandbox), 1);
    assert_eq!(
        client.payment_setups().get(&created.value.id).unwrap(),
        created.value
    );
}

#[test]
fn a_retry_after_a_timeout_with_the_key_given_back_creates_nothing_new() {
    let sandbox = sandbox();
    let mut config = config(&sandbox, CHECKOUT_COM_SECRET_KEY);
    config.connection.timeout = Duration::from_millis(700);
    let impatient = Client::new(config).unwrap();
    queue_fault(&sandbox, json!({"delay_ms": 1500}));
    let key = "order-77-setup";
    let err = impatient
        .payment_setups()
        .create(&setup(), Some(key))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport);
    assert!(err.may_have_acted());
    assert!(
        err.to_string()
            .contains("send the same Cko-Idempotency-Key \"order-77-setup\""),
        "{err}"
    );
    std::thread::sleep(Duration::from_millis(1500));
    let created = client(&sandbox)
        .payment_setups()
        .create(&setup(), Some(key))
        .unwrap();
    assert_eq!(setups_in_sandbox(&sandbox), 1);
    assert_eq!(
        control(&sandbox, "GET", "setups", None)["ids"][0],
        created.value.id.as_str()
    );
}

/// The log record of a keyed POST's lost answer says only what happened:
/// a bare POST's "sending it again may act twice" would contradict the
/// error's advice to send the same key again.
#[test]
fn a_keyed_posts_lost_answer_is_logged_without_a_bare_posts_advice() {
    let sandbox = sandbox();
    let mut config = config(&sandbox, CHECKOUT_COM_SECRET_KEY);
    config.connection.timeout = Duration::from_millis(700);
    let records = std::sync::Arc::new(Recorded::default());
    config.connection.logger = Some(records.clone());
    queue_fault(&sandbox, json!({"delay_ms": 1500}));
    let err = Client::new(config)
        .unwrap()
        .payment_setups()
        .create(&setup(), Some("order-78-setup"))
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("send the same Cko-Idempotency-Key"),
        "{err}"
    );
    let records = records.0.lock().unwrap();
    let error = records
        .iter()
        .find(|r| r.starts_with("Error"))
        .expect("an error record");
    assert!(error.contains("\"may_have_acted\":true"), "{error}");
    assert!(!error.contains("may act twice"), "{error}");
    assert!(!error.contains("the server may have"), "{error}");
    std::thread::sleep(Duration::from_millis(900));
}

#[test]
fn the_same_key_with_another_body_is_unprocessable_with_the_request_id() {
    let sandbox = sandbox();
    let client = client(&sandbox);
    client
        .payment_setups()
        .create(&setup(), Some("k-1"))
        .unwrap();
    let mut other = setup();
    other["amount"] = json!(30000);
    let err = client
        .payment_setups()
        .create(&other, Some("k-1"))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unprocessable);
    assert_eq!(err.status(), Some(422));
    assert_eq!(err.remote_errors(), ["idempotency_key_reused"]);
    let request_id = err.remote().unwrap().request_id.clone().unwrap();
    assert!(err.to_string().contains(&request_id), "{err}");
    assert_eq!(err.details()["request_id"], request_id.as_str());
    assert!(!err.may_have_acted());
    assert_eq!(setups_in_sandbox(&sandbox), 1);
}

#[test]
fn a_duplicate_while_the_first_is_in_flight_is_rate_limited() {
    let sandbox = sandbox();
    let client = client(&sandbox);
    queue_fault(&sandbox, json!({"delay_ms": 2500}));
    std::thread::scope(|scope| {
        let first = scope.spawn(|| client.payment_setups().create(&setup(), Some("k-busy")));
        std::thread::sleep(Duration::from_millis(300));
        let err = client
            .payment_setups()
            .create(&setup(), Some("k-busy"))
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::RateLimited, "{err}");
        assert_eq!(err.status(), Some(429));
        assert!(err.remote().unwrap().request_id.is_some());
        assert_eq!(err.remote_errors(), ["duplicate_request_in_progress"]);
        let first = first.join().unwrap().unwrap();
        let again = client
            .payment_setups()
            .create(&setup(), Some("k-busy"))
            .unwrap();
        assert_eq!(again.value.id, first.value.id);
    });
    assert_eq!(setups_in_sandbox(&sandbox), 1);
}

#[test]
fn a_wrong_secret_key_is_an_authentication_error_with_the_request_id() {
    let sandbox = sandbox();
    let wrong = "sk_sbox_aaaaaaaaaaaaaaaaaaaaaaaaaaa";
    let client = Client::new(config(&sandbox, wrong)).unwrap();
    let err = client.payment_setups().create(&setup(), None).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Authentication);
    assert_eq!(err.status(), Some(401));
    assert!(!err.may_have_acted());
    assert!(
        err.to_string()
            .contains("check the credentials (secret key, or OAuth client id and secret)"),
        "{err}"
    );
    let remote = err.remote().unwrap();
    assert!(remote.request_id.is_some(), "{remote:?}");
    assert!(
        remote.errors.is_empty() && remote.text.is_empty(),
        "{remote:?}"
    );
    assert!(!err.to_string().contains(wrong));
    assert!(!format!("{err:?}").contains(wrong));
    assert_eq!(setups_in_sandbox(&sandbox), 0);
}

#[test]
fn the_sandbox_answers_401_with_an_empty_body_as_the_real_api_does() {
    let sandbox = sandbox();
    let mut response = agent(sandbox.url())
        .post(format!("{}/payments/setups", sandbox.url()))
        .header("Content-Type", "application/json")
        .header("Authorization", format!("Basic {CHECKOUT_COM_SECRET_KEY}"))
        .send(setup().to_string().as_bytes())
        .unwrap();
    assert_eq!(response.status(), 401);
    assert!(response.headers().contains_key("cko-request-id"));
    assert_eq!(response.body_mut().read_to_string().unwrap(), "");
}

#[test]
fn an_unknown_setup_is_not_found_with_the_request_id() {
    let sandbox = sandbox();
    let client = client(&sandbox);
    let unknown = "set_aaaaaaaaaaaaaaaaaaaaaaaaaa";
    for err in [
        client.payment_setups().get(unknown).unwrap_err(),
        client.payment_setups().confirm(unknown, None).unwrap_err(),
        client
            .payment_setups()
            .update(unknown, &json!({"amount": 1}))
            .unwrap_err(),
    ] {
        assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");
        assert!(err.remote().unwrap().request_id.is_some());
    }
}

#[test]
fn confirming_or_updating_a_confirmed_setup_is_a_conflict() {
    let sandbox = sandbox();
    let client = client(&sandbox);
    let id = new_setup(&client);
    client.payment_setups().confirm(&id, None).unwrap();
    let err = client.payment_setups().confirm(&id, None).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert_eq!(err.remote_errors(), ["payment_setup_already_confirmed"]);
    assert!(err.remote().unwrap().request_id.is_some());
    let err = client
        .payment_setups()
        .update(&id, &json!({"amount": 100}))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
}

#[test]
fn what_only_the_server_knows_is_unprocessable_with_every_code() {
    let sandbox = sandbox();
    let client = client(&sandbox);
    let mut other_channel = setup();
    other_channel["processing_channel_id"] = json!("pc_wzjki6hw5puepb5fnvqlizj2e4");
    let err = client
        .payment_setups()
        .create(&other_channel, None)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unprocessable);
    assert_eq!(err.remote_errors(), ["processing_channel_id_invalid"]);
    assert!(
        err.to_string().contains("processing_channel_id_invalid"),
        "{err}"
    );
    assert!(err.remote().unwrap().request_id.is_some());
}

#[test]
fn an_invalid_setup_is_refused_with_every_problem_before_sending() {
    let sandbox = sandbox();
    let client = client(&sandbox);
    let mut bad = setup();
    bad["amount"] = json!(199.99);
    bad["currency"] = json!("USD");
    bad["billing"]["address"]["country"] = json!("Spain");
    bad["settings"]["success_url"] = json!("shop.example/ok");
    let err = client
        .payment_setups()
        .create(&bad, Some("has space"))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    let paths: Vec<&str> = err.problems().iter().map(|p| p.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "amount",
            "currency",
            "billing.address.country",
            "settings.success_url",
            "idempotency_key"
        ]
    );
    assert_eq!(client.payment_setups().validate(&bad).len(), 4);
    let err = client.payment_setups().get("set_../../x").unwrap_err();
    assert_eq!(err.problems()[0].path, "id");
    assert_eq!(setups_in_sandbox(&sandbox), 0);
}

#[test]
fn an_oauth_token_is_fetched_once_and_reused() {
    let sandbox = sandbox();
    let client = oauth_client(&sandbox, CHECKOUT_COM_CLIENT_SECRET);
    let id = new_setup(&client);
    client.payment_setups().get(&id).unwrap();
    client.payment_setups().confirm(&id, None).unwrap();
    assert_eq!(control(&sandbox, "GET", "oauth", None)["tokens_issued"], 1);
}

/// As a PHP-FPM worker builds a client for each PHP request: with the
/// `persistent` option the clients of one set of credentials share the
/// process's token; other credentials never get it.
#[test]
fn persistent_clients_of_the_same_credentials_share_one_token() {
    let sandbox = sandbox();
    let persistent = |secret: &str| {
        let mut config = oauth_config(&sandbox, secret);
        config.connection.persistent = true;
        Client::new(config).unwrap()
    };
    for _ in 0..3 {
        new_setup(&persistent(CHECKOUT_COM_CLIENT_SECRET));
    }
    assert_eq!(control(&sandbox, "GET", "oauth", None)["tokens_issued"], 1);
    // Without the option, a client fetches its own.
    new_setup(&oauth_client(&sandbox, CHECKOUT_COM_CLIENT_SECRET));
    assert_eq!(control(&sandbox, "GET", "oauth", None)["tokens_issued"], 2);
    // Another secret is refused by the token endpoint, shared token or not.
    let wrong = persistent("not-the-secret")
        .payment_setups()
        .get("set_nosuchsetupnosuchsetupnosu")
        .unwrap_err();
    assert_eq!(wrong.kind(), ErrorKind::Authentication, "{wrong}");
    // A token the API refuses is dropped for every client sharing it.
    control(&sandbox, "POST", "oauth/expire", None);
    new_setup(&persistent(CHECKOUT_COM_CLIENT_SECRET));
    new_setup(&persistent(CHECKOUT_COM_CLIENT_SECRET));
    assert_eq!(control(&sandbox, "GET", "oauth", None)["tokens_issued"], 3);
}

#[test]
fn threads_that_need_a_token_at_once_share_one_fetch() {
    let sandbox = sandbox();
    let client = oauth_client(&sandbox, CHECKOUT_COM_CLIENT_SECRET);
    std::thread::scope(|scope| {
        for _ in 0..8 {
            scope.spawn(|| {
                let missing = client
                    .payment_setups()
                    .get("set_nosuchsetupnosuchsetupnosu");
                assert_eq!(missing.unwrap_err().kind(), ErrorKind::NotFound);
            });
        }
    });
    assert_eq!(control(&sandbox, "GET", "oauth", None)["tokens_issued"], 1);
}

/// A logger that, on its first record, calls the client it logs for: as
/// a PHP logger may call the extension from its callback.
struct CallsBack {
    client: std::sync::OnceLock<std::sync::Arc<Client>>,
    called: std::sync::atomic::AtomicBool,
    nested: std::sync::Mutex<Option<Result<(), sequra::Error>>>,
}

impl sequra::log::Sink for CallsBack {
    fn log(&self, _: sequra::log::Level, _: &str, _: &serde_json::Map<String, Value>) {
        if self.called.swap(true, std::sync::atomic::Ordering::SeqCst) {
            return;
        }
        let client = self.client.get().expect("set before the call");
        let nested = client
            .payment_setups()
            .get("set_nosuchsetupnosuchsetupnosu");
        *self.nested.lock().unwrap() = Some(nested.map(|_| ()));
    }
}

#[test]
fn a_logger_that_calls_its_client_during_the_token_fetch_gets_an_answer() {
    let sandbox = sandbox();
    let mut config = oauth_config(&sandbox, CHECKOUT_COM_CLIENT_SECRET);
    let sink = std::sync::Arc::new(CallsBack {
        client: std::sync::OnceLock::new(),
        called: false.into(),
        nested: std::sync::Mutex::new(None),
    });
    config.connection.logger = Some(sink.clone());
    let client = std::sync::Arc::new(Client::new(config).unwrap());
    sink.client.set(client.clone()).ok().unwrap();
    // The first record is the token fetch's: the logger's call came while
    // the fetch was under way, on its thread (it waited for itself before).
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        done.send(new_setup(&client)).unwrap();
    });
    let id = finished
        .recv_timeout(Duration::from_secs(30))
        .expect("the call and its logger's call ended");
    assert!(id.starts_with("set_"), "{id}");
    let nested = sink
        .nested
        .lock()
        .unwrap()
        .take()
        .expect("the logger called");
    assert_eq!(nested.unwrap_err().kind(), ErrorKind::NotFound);
}

#[test]
fn an_oauth_token_the_api_refuses_is_renewed_once() {
    let sandbox = sandbox();
    let mut config = oauth_config(&sandbox, CHECKOUT_COM_CLIENT_SECRET);
    let records = std::sync::Arc::new(Recorded::default());
    config.connection.logger = Some(records.clone());
    let client = Client::new(config).unwrap();
    let id = new_setup(&client);
    control(&sandbox, "POST", "oauth/expire", None);
    records.0.lock().unwrap().clear();
    client.payment_setups().get(&id).unwrap();
    assert_eq!(control(&sandbox, "GET", "oauth", None)["tokens_issued"], 2);
    // Sent again as any retry is logged: the fields of a retry's warning.
    let records = records.0.lock().unwrap();
    let warning = records
        .iter()
        .find(|r| r.starts_with("Warning"))
        .expect("a warning");
    for field in [
        "\"method\":\"GET\"",
        "\"path\":\"/payments/setups/",
        "\"attempt\":1",
        "\"wait_ms\":0",
        "\"status\":401",
        "\"reason\":\"the cached access token was refused\"",
    ] {
        assert!(warning.contains(field), "{field} in {warning}");
    }
}

/// The API's own answer may echo the OAuth client secret as well as the
/// access token: both are masked wherever the answer is quoted.
#[test]
fn the_client_secret_the_api_echoes_never_reaches_the_error() {
    let sandbox = sandbox();
    let client = oauth_client(&sandbox, CHECKOUT_COM_CLIENT_SECRET);
    let body = format!("bad client secret {CHECKOUT_COM_CLIENT_SECRET}");
    let shown = shown_after_a_500_saying(&sandbox, &client, body);
    assert!(shown.contains("bad client secret ***"), "{shown}");
    assert!(!shown.contains(CHECKOUT_COM_CLIENT_SECRET), "{shown}");
}

/// A server may echo the secret key upper-cased, percent-encoded (each
/// byte, in either case of hex) or cut short: it is masked all the same.
#[test]
fn the_secret_key_the_api_echoes_in_another_form_is_masked() {
    let sandbox = sandbox();
    let client = client(&sandbox);
    let key = CHECKOUT_COM_SECRET_KEY;
    let percent: String = key.bytes().map(|b| format!("%{b:02x}")).collect();
    let echoes = [
        key.to_uppercase(),
        key.replace('_', "%5F"),
        percent,
        key[..key.len() * 3 / 4].to_string(),
    ];
    for echoed in echoes {
        let shown = shown_after_a_500_saying(&sandbox, &client, format!("bad key {echoed}."));
        assert!(shown.contains("bad key ***."), "{echoed}: {shown}");
        assert!(!shown.contains(&echoed), "{shown}");
    }
}

/// Everything a create's error shows (message, details, Debug) when the
/// API answers 500 with `body`.
fn shown_after_a_500_saying(sandbox: &Sandbox, client: &Client, body: String) -> String {
    use sequra_sandbox::{Fault, FaultKind};
    let fault = FaultKind::Status {
        status: 500,
        body: Some(body),
    };
    sandbox
        .queue_fault(Fault::new("POST", "/payments/setups", fault))
        .unwrap();
    let err = client.payment_setups().create(&setup(), None).unwrap_err();
    assert_eq!(err.status(), Some(500), "{err}");
    format!("{err} {} {err:?}", err.details())
}

/// Every record a client logs, as one line of text each.
#[derive(Default)]
struct Recorded(std::sync::Mutex<Vec<String>>);

impl sequra::log::Sink for Recorded {
    fn log(
        &self,
        level: sequra::log::Level,
        message: &str,
        context: &serde_json::Map<String, Value>,
    ) {
        let line = format!("{level:?} {message} {}", Value::Object(context.clone()));
        self.0.lock().unwrap().push(line);
    }
}

#[test]
fn a_token_endpoint_that_echoes_the_client_secret_shows_it_nowhere() {
    use servers::{response, Reply, Server};
    for (error, kind) in [
        ("invalid_client", ErrorKind::Authentication),
        ("invalid_scope", ErrorKind::Config),
    ] {
        let server = Server::start(move |_, _| {
            let said = format!("no client with the secret {CHECKOUT_COM_CLIENT_SECRET}");
            let body = json!({"error": error, "error_description": said});
            let id = format!("req-{CHECKOUT_COM_CLIENT_SECRET}");
            let headers = [("cko-request-id", id.as_str())];
            Reply::Send(response(400, &headers, body.to_string().as_bytes()))
        });
        let mut config = oauth_config_at(&server.url());
        let records = std::sync::Arc::new(Recorded::default());
        config.connection.logger = Some(records.clone());
        let client = Client::new(config).unwrap();
        let err = client.payment_setups().create(&setup(), None).unwrap_err();
        assert_eq!(err.kind(), kind, "{err}");
        let shown = format!("{err} {} {err:?}", err.details());
        assert!(shown.contains("the secret ***"), "{shown}");
        let logged = records.0.lock().unwrap().join("\n");
        assert!(logged.contains("req-***"), "{logged}");
        for text in [shown, logged] {
            assert!(!text.contains(CHECKOUT_COM_CLIENT_SECRET), "{text}");
        }
    }
}

#[test]
fn a_token_endpoint_that_fails_stops_the_call_which_did_not_act() {
    use sequra_sandbox::{Fault, FaultKind, When};
    let sandbox = sandbox();
    let client = oauth_client(&sandbox, CHECKOUT_COM_CLIENT_SECRET);
    let failures = [
        FaultKind::Status {
            status: 500,
            body: Some("{\"error\":\"server_error\"}".into()),
        },
        FaultKind::InvalidJson,
        FaultKind::Reset,
    ];
    for kind in failures {
        let name = format!("{kind:?}");
        // Every try fails (a lost answer of the token endpoint is retried).
        let mut fault = Fault::new("POST", "/connect/token", kind).when(When::After);
        fault.count = 10;
        sandbox.clear_faults();
        sandbox.queue_fault(fault).unwrap();
        let err = client.payment_setups().create(&setup(), None).unwrap_err();
        assert!(!err.may_have_acted(), "{name}: {err}");
        let text = err.to_string();
        assert!(
            text.contains("no access token") && text.contains("the request was not sent"),
            "{name}: {text}"
        );
        assert!(!text.contains("may have"), "{name}: {text}");
        // The API was not asked: no id of its is there to quote.
        assert_eq!(err.request_id(), None, "{name}: {text}");
    }
    assert_eq!(setups_in_sandbox(&sandbox), 0);
    sandbox.clear_faults();
}

#[test]
fn a_confirm_that_acted_before_its_token_was_refused_still_says_so_with_its_key() {
    use sequra_sandbox::{Fault, FaultKind, When};
    let status = |status| FaultKind::Status { status, body: None };
    let sandbox = sandbox();
    let client = oauth_client(&sandbox, CHECKOUT_COM_CLIENT_SECRET);
    // The second send (a new token after the 401) is refused, or cannot
    // even get its token: either way the first try had acted.
    let second_sends = [
        ("POST", "/payments/setups/{id}/confirm/sequra", status(422)),
        ("POST", "/connect/token", status(500)),
    ];
    for (method, path, kind) in second_sends {
        let id = new_setup(&client);
        let confirm = format!("/payments/setups/{id}/confirm/sequra");
        sandbox.clear_faults();
        // The API confirms, the answer is lost; the transport's retry (a
        // keyed POST) meets a refused token; the client sends once more.
        let faults = [
            Fault::new("POST", &confirm, FaultKind::Reset).when(When::After),
            Fault::new("POST", &confirm, status(401)),
            Fault::new(method, &path.replace("{id}", &id), kind).times(5),
        ];
        for fault in faults {
            sandbox.queue_fault(fault).unwrap();
        }
        let err = client
            .payment_setups()
            .confirm(&id, Some(&format!("confirm-{id}")))
            .unwrap_err();
        assert!(err.may_have_acted(), "{path}: {err}");
        assert_eq!(
            err.idempotency_key(),
            Some(format!("confirm-{id}").as_str()),
            "{err}"
        );
        assert!(!err.to_string().contains("was not sent"), "{path}: {err}");
        // The advice is the keyed retry's, not a bare POST's.
        let message = err.to_string();
        assert!(!message.contains("may act twice"), "{path}: {message}");
        assert!(
            message.contains("to retry safely, send the same Cko-Idempotency-Key"),
            "{path}: {message}"
        );
        sandbox.clear_faults();
        // The key the error gave makes the retry safe: the redirect comes.
        let again = client.payment_setups().confirm(&id, err.idempotency_key());
        assert!(again.is_ok(), "{path}: {again:?}");
    }
}

/// A marketplace's worker serving many OAuth merchants in turn: each takes
/// one of the pool's slots (its API's), not two, so a merchant served again
/// after 40 others finds its connection; 40 + 1 agents, and the few of
/// this binary's other tests, stay within the pool's 64.
#[test]
fn an_oauth_merchant_keeps_its_connection_while_dozens_of_others_are_served() {
    use servers::{response, Reply, Server};
    let server = Server::start(|seen, _| {
        if seen.target.starts_with("/connect/token") {
            let token = json!({"access_token": "tok", "token_type": "Bearer", "expires_in": 3600});
            return Reply::Send(response(200, &[], token.to_string().as_bytes()));
        }
        Reply::Send(response(404, &[], b"{}"))
    });
    let call = |merchant: usize| {
        let mut config = Config::with_oauth(
            format!("merchant-{merchant}"),
            CHECKOUT_COM_CLIENT_SECRET,
            Environment::Sandbox,
            "sandboxx",
        );
        config.endpoint = Some(server.url());
        config.access_url = Some(format!("{}/connect/token", server.url()));
        config.connection.persistent = true;
        let err = Client::new(config)
            .unwrap()
            .payment_setups()
            .get("set_abcdefghijklmnopqrstuvwxyz")
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");
    };
    for merchant in 0..=40 {
        call(merchant);
    }
    let before = server.connections();
    call(0);
    assert_eq!(
        server.connections(),
        before,
        "merchant 0 reused its connection"
    );
    let tokens = server
        .requests()
        .iter()
        .filter(|r| r.target.starts_with("/connect/token"))
        .count();
    assert_eq!(tokens, 41, "one token each, kept for merchant 0");
}

/// The token goes in a header line of every request: one of 8 KiB is
/// sent; a longer one, or one with a line end, stops the call unsent.
#[test]
fn an_access_token_too_long_or_not_printable_is_refused_before_the_api_is_called() {
    use servers::{response, Reply, Server};
    for (token, works) in [
        ("Z".repeat(8 * 1024), true),
        ("Z".repeat(8 * 1024 + 1), false),
        ("sekret\r\nx-injected: 1".to_string(), false),
        ("sekret en".to_string(), false),
    ] {
        let answer = json!({"access_token": token, "token_type": "Bearer", "expires_in": 3600});
        let server = Server::start(move |seen, _| {
            if seen.target.starts_with("/connect/token") {
                return Reply::Send(response(200, &[], answer.to_string().as_bytes()));
            }
            Reply::Send(response(404, &[], b"{}"))
        });
        let err = Client::new(oauth_config_at(&server.url()))
            .unwrap()
            .payment_setups()
            .get("set_abcdefghijklmnopqrstuvwxyz")
            .unwrap_err();
        let api_calls = server
            .requests()
            .iter()
            .filter(|r| r.target.starts_with("/payments"))
            .count();
        if works {
            assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");
            assert_eq!(api_calls, 1);
            continue;
        }
        assert_eq!(err.kind(), ErrorKind::Transport, "{err}");
        assert!(!err.may_have_acted(), "{err}");
        let message = err.to_string();
        assert!(message.contains("its access_token ("), "{message}");
        assert!(message.contains("the request was not sent"), "{message}");
        for part in ["ZZZZ", "sekret"] {
            assert!(
                !message.contains(part),
                "the token is never shown: {message}"
            );
        }
        assert_eq!(api_calls, 0);
    }
}

#[test]
fn an_access_token_the_server_echoes_is_masked() {
    use servers::{response, Reply, Server};
    const TOKEN: &str = "tok-echoed-0123456789";
    let server = Server::start(|seen, _| {
        if seen.target.starts_with("/connect/token") {
            let token = json!({"access_token": TOKEN, "token_type": "Bearer", "expires_in": 3600});
            return Reply::Send(response(200, &[], token.to_string().as_bytes()));
        }
        let authorization = seen.head.lines().find(|l| l.starts_with("authorization:"));
        let body = json!({"error_type": "conflict", "error_codes": [format!("{authorization:?}")]});
        Reply::Send(response(409, &[], body.to_string().as_bytes()))
    });
    let client = Client::new(oauth_config_at(&server.url())).unwrap();
    let err = client
        .payment_setups()
        .get("set_abcdefghijklmnopqrstuvwxyz")
        .unwrap_err();
    let shown = format!("{err} {}", err.details());
    assert!(shown.contains("Bearer ***"), "{shown}");
    assert!(!shown.contains(TOKEN), "{shown}");
}

#[test]
fn wrong_oauth_credentials_are_an_authentication_error() {
    let sandbox = sandbox();
    let client = oauth_client(&sandbox, "not-the-secret");
    let err = client.payment_setups().create(&setup(), None).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Authentication, "{err}");
    assert_eq!(err.remote_errors(), ["invalid_client"]);
    assert!(!err.to_string().contains("not-the-secret"));
    assert_eq!(setups_in_sandbox(&sandbox), 0);
}

/// Accepts one webhook on `listener`, answers 200, returns its raw head
/// and body.
fn receive_webhook(listener: TcpListener) -> (String, Vec<u8>) {
    let (mut stream, _) = listener.accept().unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut request = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let text = String::from_utf8_lossy(&request).into_owned();
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length = head
                .lines()
                .find_map(|l| {
                    let (name, value) = l.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse::<usize>().ok())?
                })
                .unwrap_or(0);
            if body.len() >= length {
                let head_len = head.len() + 4;
                stream
                    .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
                    .unwrap();
                return (head.to_string(), request[head_len..].to_vec());
            }
        }
        let n = stream.read(&mut buf).unwrap();
        assert!(n > 0, "the webhook request ended early");
        request.extend_from_slice(&buf[..n]);
    }
}

fn signature_of(head: &str) -> Option<String> {
    head.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.eq_ignore_ascii_case("cko-signature")
            .then(|| value.trim().to_string())
    })
}

#[test]
fn the_customer_finishing_at_sequra_sends_a_signed_webhook_that_verifies() {
    let sandbox = sandbox();
    let client = client(&sandbox);
    let shop = TcpListener::bind("127.0.0.1:0").unwrap();
    let hook = format!("http://{}/checkout-com", shop.local_addr().unwrap());
    control(&sandbox, "PUT", "webhook", Some(json!({"url": hook})));
    let id = new_setup(&client);
    let payment = client.payment_setups().confirm(&id, None).unwrap().value;

    let webhook = std::thread::spawn(move || receive_webhook(shop));
    let answer = control(
        &sandbox,
        "POST",
        &format!("payments/{}/approve?wait=true", payment.id),
        None,
    );
    let (head, body) = webhook.join().unwrap();
    assert_eq!(answer["webhook"]["status"], 200, "{answer}");
    assert_eq!(
        answer["redirect_to"],
        "https://shop.example/payments/success"
    );

    let verifier = Verifier::new(CHECKOUT_COM_WEBHOOK_SECRET).unwrap();
    let event = verifier
        .verify_and_parse(&body, signature_of(&head).as_deref())
        .unwrap();
    assert_eq!(event.event_type, EventType::PaymentApproved);
    assert_eq!(event.payment_id.as_deref(), Some(payment.id.as_str()));
    assert_eq!(event.reference.as_deref(), Some("ORD-5023-4E89"));
    assert_eq!(event.amount, Some(20000));
    assert_eq!(event.currency.as_deref(), Some("EUR"));
    assert!(is_id("evt_", &event.id), "{}", event.id);
}

#[test]
fn a_forged_webhook_is_refused() {
    let sandbox = sandbox();
    let client = client(&sandbox);
    let shop = TcpListener::bind("127.0.0.1:0").unwrap();
    let hook = format!("http://{}/checkout-com", shop.local_addr().unwrap());
    control(&sandbox, "PUT", "webhook", Some(json!({"url": hook})));
    let id = new_setup(&client);
    let payment = client.payment_setups().confirm(&id, None).unwrap().value;
    let webhook = std::thread::spawn(move || receive_webhook(shop));
    control(
        &sandbox,
        "POST",
        &format!("payments/{}/decline?wait=true", payment.id),
        None,
    );
    let (head, body) = webhook.join().unwrap();
    let signature = signature_of(&head);
    let verifier = Verifier::new(CHECKOUT_COM_WEBHOOK_SECRET).unwrap();
    let event = verifier
        .verify_and_parse(&body, signature.as_deref())
        .unwrap();
    assert_eq!(event.event_type, EventType::PaymentDeclined);

    // Someone else's "approval" of the same payment, signed with a guess.
    let forged = String::from_utf8(body.clone())
        .unwrap()
        .replace("payment_declined", "payment_approved");
    for (body, signature) in [
        (forged.as_bytes(), signature.clone()),
        (
            forged.as_bytes(),
            Some(Verifier::new("guess").unwrap().sign(forged.as_bytes())),
        ),
        (body.as_slice(), None),
    ] {
        let err = verifier
            .verify_and_parse(body, signature.as_deref())
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::BadSignature, "{err}");
    }
}

#[test]
fn a_sandbox_not_running_is_a_transport_error_that_sent_nothing() {
    let url = common::url_of_nothing();
    let mut config = Config::with_secret_key(CHECKOUT_COM_SECRET_KEY, "sandboxx");
    config.endpoint = Some(url);
    config.processing_channel_id = Some(CHECKOUT_COM_PROCESSING_CHANNEL_ID.into());
    config.connection.timeout = Duration::from_secs(2);
    let err = Client::new(config)
        .unwrap()
        .payment_setups()
        .create(&setup(), None)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport);
    assert!(!err.may_have_acted());
}

/// Answers one request on a loopback port with `status` and `body`, as a
/// server that misbehaves would; returns its base URL.
fn answer_once(status: u16, body: Value) -> String {
    let body = body.to_string();
    answer_once_with(
        format!(
            "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\ncko-request-id: req_once\r\n\r\n{body}",
            body.len()
        )
        .into_bytes(),
    )
}

/// Answers one request on a loopback port with `answer`'s bytes, then
/// closes; returns its base URL.
fn answer_once_with(answer: Vec<u8>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut request = Vec::new();
        let mut buf = [0u8; 4096];
        while !request.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = stream.read(&mut buf).unwrap();
            if n == 0 {
                return;
            }
            request.extend_from_slice(&buf[..n]);
        }
        stream.write_all(&answer).unwrap();
    });
    url
}

/// A redirect whose body could not be read quotes its request id as any
/// answer but a success is quoted: without the customer's data, which a
/// server may echo anywhere.
#[test]
fn an_unread_redirects_request_id_does_not_quote_the_customer() {
    let mut config = Config::with_secret_key(CHECKOUT_COM_SECRET_KEY, "sandboxx");
    config.endpoint = Some(answer_once_with(
        b"HTTP/1.1 302 Found\r\nlocation: /elsewhere\r\ncko-request-id: Barcelona\r\ncontent-length: 2\r\ntransfer-encoding: chunked\r\n\r\n".to_vec(),
    ));
    config.processing_channel_id = Some(CHECKOUT_COM_PROCESSING_CHANNEL_ID.into());
    let err = Client::new(config)
        .unwrap()
        .payment_setups()
        .create(&setup(), Some("idem-key-0001"))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnexpectedResponse, "{err}");
    assert_eq!(err.request_id(), Some("***"), "{err}");
    assert!(!err.to_string().contains("Barcelona"), "{err}");
}

/// A token endpoint's answer that makes no sense names its request id in
/// the error of the call it stopped, as the token endpoint's: the call
/// itself was never sent, so it has no id of its own.
#[test]
fn a_call_stopped_for_want_of_a_token_quotes_the_token_endpoints_request_id() {
    let url = answer_once_with(
        b"HTTP/1.1 203 X\r\ncko-request-id: req_token\r\ncontent-length: 2\r\n\r\n{}".to_vec(),
    );
    let err = Client::new(oauth_config_at(&url))
        .unwrap()
        .payment_setups()
        .get("set_rcmepwrchqab2wsergcafvijfy")
        .unwrap_err();
    assert!(!err.may_have_acted(), "{err}");
    assert_eq!(err.request_id(), None, "{err}");
    let text = err.to_string();
    assert!(
        text.contains("no access token (POST /connect/token answered 203 (request id req_token): "),
        "{text}"
    );
}

/// The error of a confirm sent to `url`.
fn confirm_error_at(url: String) -> sequra::error::Error {
    let mut config = Config::with_secret_key(CHECKOUT_COM_SECRET_KEY, "sandboxx");
    config.endpoint = Some(url);
    Client::new(config)
        .unwrap()
        .payment_setups()
        .confirm("set_rcmepwrchqab2wsergcafvijfy", None)
        .unwrap_err()
}

/// The error of a confirm that `answer_once_with` answers with `answer`.
fn confirm_answered_with(answer: &str) -> sequra::error::Error {
    confirm_error_at(answer_once_with(answer.as_bytes().to_vec()))
}

/// A payment started whose answer could not be read (cut short, framed
/// two ways) keeps the id checkout.com gave the request: the one thing its
/// support needs to say what happened to it.
#[test]
fn a_started_payment_whose_answer_could_not_be_read_keeps_its_request_id() {
    let cut = confirm_answered_with(
        "HTTP/1.1 202 Accepted\r\ncko-request-id: req_cut\r\ncontent-length: 100\r\n\r\n{\"id\":",
    );
    assert_eq!(cut.kind(), ErrorKind::Transport, "{cut}");
    assert!(cut.may_have_acted(), "{cut}");
    let misframed = confirm_answered_with(
        "HTTP/1.1 202 Accepted\r\ncko-request-id: req_cut\r\ncontent-length: 2\r\ntransfer-encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
    );
    assert_eq!(
        misframed.kind(),
        ErrorKind::UnexpectedResponse,
        "{misframed}"
    );
    for err in [cut, misframed] {
        assert_eq!(err.request_id(), Some("req_cut"), "{err}");
        assert_eq!(err.details()["request_id"], "req_cut", "{err}");
        assert!(err.to_string().contains("(request id req_cut)"), "{err}");
    }
}

/// The error of a confirm that `answer_once` answers with `status` and
/// `body`.
fn confirm_answered(status: u16, body: Value) -> sequra::error::Error {
    confirm_error_at(answer_once(status, body))
}

#[test]
fn a_redirect_that_is_not_https_is_an_unexpected_answer_that_says_the_payment_exists() {
    for href in [
        "http://partner.example/checkout/a62d7832",
        "javascript://alert(1)",
        "https://user:pw@partner.example/checkout",
    ] {
        let err = confirm_answered(
            202,
            json!({"id": "pay_bgmwsoadqdvetnljwg23hetl7q", "status": "Pending",
                   "_links": {"redirect": {"href": href}}}),
        );
        assert_eq!(err.kind(), ErrorKind::UnexpectedResponse, "{href}: {err}");
        assert!(err.may_have_acted(), "{href}");
        assert!(err.to_string().contains("was created"), "{err}");
    }
}

/// Only a `Pending` payment is the documented success ("a 202 ... with a
/// status field set to Pending"): a declined or canceled one has no page
/// to send the customer to, and is never handed back as if it had.
#[test]
fn a_confirm_whose_payment_is_not_pending_is_unexpected_and_names_its_status() {
    for status in ["Declined", "Canceled"] {
        let err = confirm_answered(
            202,
            json!({"id": "pay_bgmwsoadqdvetnljwg23hetl7q", "status": status,
                   "response_summary": "Declined"}),
        );
        assert_eq!(err.kind(), ErrorKind::UnexpectedResponse, "{status}: {err}");
        assert!(err.may_have_acted(), "{status}");
        let text = err.to_string();
        assert!(
            text.contains(&format!("is \"{status}\", not Pending"))
                && text.contains("do not redirect"),
            "{text}"
        );
    }
}

/// A create that a server answers with 201 and `body`.
fn create_answered(body: Value) -> Result<Posted<PaymentSetup>, sequra::Error> {
    let mut config = Config::with_secret_key(CHECKOUT_COM_SECRET_KEY, "sandboxx");
    config.endpoint = Some(answer_once(201, body));
    config.processing_channel_id = Some(CHECKOUT_COM_PROCESSING_CHANNEL_ID.into());
    Client::new(config)
        .unwrap()
        .payment_setups()
        .create(&setup(), Some("idem-key-0001"))
}

/// The document names 202 for a confirm (and nothing for a create); a
/// server that writes 200, 201 or 202 for either has made the setup or
/// started the payment, and its body is read, never refused after acting.
/// An amount written as a whole float (`20000.0`, the document's type is
/// "number") is that amount.
#[test]
fn a_create_or_confirm_answered_200_201_or_202_is_read_and_a_whole_float_amount_too() {
    let setup = json!({"id": "set_rcmepwrchqab2wsergcafvijfy", "amount": 20000.0,
        "payment_methods": {"sequra": {"status": "ready", "flags": []}}});
    let payment = json!({"id": "pay_bgmwsoadqdvetnljwg23hetl7q", "status": "Pending",
        "_links": {"redirect": {"href": "https://partner.example/checkout/a62d7832"}}});
    for status in [200, 201, 202] {
        let mut config = Config::with_secret_key(CHECKOUT_COM_SECRET_KEY, "sandboxx");
        config.endpoint = Some(answer_once(status, setup.clone()));
        config.processing_channel_id = Some(CHECKOUT_COM_PROCESSING_CHANNEL_ID.into());
        let created = Client::new(config)
            .unwrap()
            .payment_setups()
            .create(&self::setup(), None)
            .unwrap_or_else(|e| panic!("create answered {status}: {e}"));
        assert_eq!(created.value.amount, Some(20000), "{status}");

        let mut config = Config::with_secret_key(CHECKOUT_COM_SECRET_KEY, "sandboxx");
        config.endpoint = Some(answer_once(status, payment.clone()));
        let confirmed = Client::new(config)
            .unwrap()
            .payment_setups()
            .confirm("set_rcmepwrchqab2wsergcafvijfy", None)
            .unwrap_or_else(|e| panic!("confirm answered {status}: {e}"));
        assert_eq!(confirmed.value.id, "pay_bgmwsoadqdvetnljwg23hetl7q");
    }
    // 203 is no documented success: refused, saying the server may have
    // acted, with the request id checkout.com's support asks for.
    let err = confirm_answered(203, payment);
    assert_eq!(err.kind(), ErrorKind::UnexpectedResponse, "{err}");
    assert!(err.may_have_acted());
    assert_eq!(err.request_id(), Some("req_once"));
    assert_eq!(err.details()["request_id"], "req_once");
    assert!(
        err.to_string()
            .contains("answered 203 (request id req_once): "),
        "{err}"
    );
}

#[test]
fn another_payment_method_in_its_own_shape_does_not_make_a_setup_unreadable() {
    // The document shows only `sequra`'s state; the account may have other
    // methods, answered with fields of their own or without a status.
    let body = json!({"id": "set_rcmepwrchqab2wsergcafvijfy",
        "payment_methods": {"sequra": {"status": "ready", "flags": []},
                            "klarna": {"flags": ["x"], "session": {"id": 3}}},
        "available_payment_methods": ["sequra", "klarna"]});
    let created = create_answered(body).unwrap();
    assert!(created.value.is_ready_for_sequra());
    let klarna = &created.value.payment_methods["klarna"];
    assert_eq!(klarna.status, None);
    assert_eq!(klarna.other["session"], json!({"id": 3}));
}

#[test]
fn a_nonsense_setup_answer_is_unexpected_and_says_the_setup_was_created() {
    for body in [
        json!({"payment_options": "x", "id": "42", "status": 7, "cart_items": 5}),
        json!({"id": "set_rcmepwrchqab2wsergcafvijfy", "amount": 20000.5,
               "payment_methods": {"sequra": {"status": "ready", "flags": []}}}),
        json!({"id": "set_rcmepwrchqab2wsergcafvijfy", "payment_methods": {"sequra": {"status": 7}}}),
        json!({"id": "set_rcmepwrchqab2wsergcafvijfy", "payment_methods": {}}),
        json!({"id": "set_rcmepwrchqab2wsergcafvijfy", "payment_methods": {"sequra": {"flags": []}}}),
    ] {
        let err = create_answered(body.clone()).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UnexpectedResponse, "{body}: {err}");
        assert!(err.may_have_acted(), "{body}");
        if body["id"] == "42" {
            let text = err.to_string();
            assert!(
                text.contains("was created") && text.contains("\"42\""),
                "{text}"
            );
        }
    }
}

#[test]
fn a_payment_answer_without_a_payment_id_is_unexpected_and_says_it_exists() {
    let err = confirm_answered(
        202,
        json!({"id": "42", "status": "Pending",
               "_links": {"redirect": {"href": "https://partner.example/checkout/a62d7832"}}}),
    );
    assert_eq!(err.kind(), ErrorKind::UnexpectedResponse, "{err}");
    assert!(err.may_have_acted());
    assert!(err.to_string().contains("was created"), "{err}");
}

/// A setup created or updated for another amount, currency or reference
/// than sent is unexpected, never handed back: the customer would pay a
/// sum, or for an order, nobody asked for. What an answer leaves out is
/// not compared.
#[test]
fn a_setup_answered_for_another_sum_or_order_than_sent_is_unexpected() {
    use sequra_sandbox::Fault;
    let sandbox = sandbox();
    let client = client(&sandbox);
    let id = new_setup(&client);
    let setup_now = serde_json::to_value(client.payment_setups().get(&id).unwrap()).unwrap();
    let with = |key: &str, value: Value| common::answered_with(&setup_now, key, value);
    for (answer, says) in [
        (
            with("amount", json!(1)),
            "its amount is \"1\", not the \"20000\" sent",
        ),
        (
            with("currency", json!("USD")),
            "its currency is \"USD\", not the \"EUR\" sent",
        ),
        (
            with("reference", json!("SOMEONE-ELSES")),
            "its reference is \"SOMEONE-ELSES\", not the \"ORD-5023-4E89\" sent",
        ),
        (
            with("processing_channel_id", json!("pc_other")),
            "its processing_channel_id is \"pc_other\", not the",
        ),
        (
            with(
                "settings",
                json!({"success_url": "https://evil.example/s",
                       "failure_url": "https://shop.example/payments/failure"}),
            ),
            "its settings.success_url is \"https://evil.example/s\", not the \"https://shop.example/payments/success\" sent",
        ),
    ] {
        sandbox
            .queue_fault(Fault::new("POST", "/payments/setups", answer))
            .unwrap();
        let err = client.payment_setups().create(&setup(), None).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UnexpectedResponse, "{err}");
        assert!(err.may_have_acted(), "{err}");
        let message = err.to_string();
        assert!(
            message.contains(&format!("the payment setup was created, but {says}")),
            "{message}"
        );
    }
    // An update answered with the amount it was to change.
    sandbox
        .queue_fault(Fault::new(
            "PUT",
            &format!("/payments/setups/{id}"),
            with("amount", json!(20000)),
        ))
        .unwrap();
    let err = client
        .payment_setups()
        .update(&id, &json!({"amount": 25000}))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnexpectedResponse, "{err}");
    assert!(
        err.to_string().contains(
            "the payment setup was updated, but its amount is \"20000\", not the \"25000\" sent"
        ),
        "{err}"
    );
    // Left out, or as sent: taken.
    for answer in [with("amount", Value::Null), with("reference", Value::Null)] {
        sandbox
            .queue_fault(Fault::new("POST", "/payments/setups", answer))
            .unwrap();
        client.payment_setups().create(&setup(), None).unwrap();
    }
    let updated = client
        .payment_setups()
        .update(&id, &json!({"amount": 25000}))
        .unwrap();
    assert_eq!(updated.amount, Some(25000));
}

/// A key twice in a nested object of an answer is ambiguous (serde
/// would keep the last): refused, whichever object holds it.
#[test]
fn a_key_twice_in_a_nested_object_of_an_answer_is_unexpected() {
    use sequra_sandbox::{Fault, FaultKind};
    let sandbox = sandbox();
    let client = client(&sandbox);
    let id = new_setup(&client);
    let setup_now = serde_json::to_string(&client.payment_setups().get(&id).unwrap()).unwrap();
    let twice = setup_now.replacen(
        "\"payment_methods\":{",
        "\"payment_methods\":{\"sequra\":{\"status\":\"pending\",\"flags\":[\"billing_address_missing\"]},",
        1,
    );
    assert_ne!(twice, setup_now);
    sandbox
        .queue_fault(Fault::new(
            "GET",
            &format!("/payments/setups/{id}"),
            FaultKind::Status {
                status: 200,
                body: Some(twice),
            },
        ))
        .unwrap();
    let err = client.payment_setups().get(&id).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnexpectedResponse, "{err}");
    assert!(
        err.to_string()
            .contains("payment_methods has the key \"sequra\" twice"),
        "{err}"
    );
}

#[test]
fn an_answer_about_another_setup_is_unexpected_never_that_setup() {
    // A proxy's mix-up, or a stray answer left on a kept-alive connection:
    // another setup must not pass for the one asked for.
    use sequra_sandbox::{Fault, FaultKind};
    let sandbox = sandbox();
    let client = client(&sandbox);
    let id = new_setup(&client);
    let other = client.payment_setups().get(&new_setup(&client)).unwrap();
    let body = serde_json::to_value(&other).unwrap().to_string();
    for method in ["GET", "PUT"] {
        let another = FaultKind::Status {
            status: 200,
            body: Some(body.clone()),
        };
        sandbox
            .queue_fault(Fault::new(
                method,
                &format!("/payments/setups/{id}"),
                another,
            ))
            .unwrap();
        let err = match method {
            "GET" => client.payment_setups().get(&id),
            _ => client
                .payment_setups()
                .update(&id, &json!({"amount": 12345})),
        }
        .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UnexpectedResponse, "{method}: {err}");
        assert!(
            err.to_string().contains(&format!(
                "the answer is payment setup \"{}\", not \"{id}\"",
                other.id
            )),
            "{method}: {err}"
        );
    }
}
