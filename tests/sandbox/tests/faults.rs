//! The fault queue as a client sees it: each fault kind on the wire,
//! `before` faults that leave the API untouched, `after` faults that
//! change its state and lose the answer, and the per-route count.
//!
//! checkout.com's setups are the probe: a POST creates one, and
//! `GET /sandbox/checkout_com/setups` counts them.

mod common;

use common::{raw, sandbox, tls_sandbox, Answer, Wire};
use sequra_sandbox::{
    Fault, FaultKind, PathMatch, Sandbox, When, CHECKOUT_COM_PROCESSING_CHANNEL_ID,
    CHECKOUT_COM_SECRET_KEY,
};
use serde_json::{json, Value};
use std::io::ErrorKind;
use std::time::{Duration, Instant};

const SETUPS: &str = "/payments/setups";

fn bearer() -> String {
    format!("Bearer {CHECKOUT_COM_SECRET_KEY}")
}

fn setup() -> String {
    json!({
        "amount": 20000, "currency": "EUR", "reference": "ORD-1",
        "processing_channel_id": CHECKOUT_COM_PROCESSING_CHANNEL_ID,
        "billing": {"address": {"address_line1": "C/ Aragó 383", "city": "Barcelona",
            "zip": "08013", "country": "ES"}},
        "settings": {"success_url": "https://shop.example/ok", "failure_url": "https://shop.example/ko"}
    })
    .to_string()
}

/// `POST /payments/setups` on a connection of its own, as bytes.
fn create_on_the_wire(sandbox: &Sandbox, key: Option<&str>) -> Wire {
    let mut wire = Wire::connect(sandbox);
    let bearer = bearer();
    let mut headers = vec![
        ("Authorization", bearer.as_str()),
        ("Content-Type", "application/json"),
    ];
    if let Some(key) = key {
        headers.push(("Cko-Idempotency-Key", key));
    }
    wire.send("POST", SETUPS, &headers, setup().as_bytes());
    wire
}

/// `POST /payments/setups` through a client library.
fn create(sandbox: &Sandbox) -> Answer {
    raw(
        "POST",
        &format!("{}{SETUPS}", sandbox.url()),
        &[
            ("Authorization", &bearer()),
            ("Content-Type", "application/json"),
        ],
        setup().as_bytes(),
    )
}

fn setups_created(sandbox: &Sandbox) -> u64 {
    let answer = raw(
        "GET",
        &format!("{}/sandbox/checkout_com/setups", sandbox.url()),
        &[],
        b"",
    );
    answer.json()["count"].as_u64().unwrap()
}

/// `POST /sandbox/faults` with `fault` → the answer.
fn queue(sandbox: &Sandbox, fault: Value) -> Answer {
    raw(
        "POST",
        &format!("{}/sandbox/faults", sandbox.url()),
        &[("Content-Type", "application/json")],
        fault.to_string().as_bytes(),
    )
}

fn queued(sandbox: &Sandbox, fault: Value) {
    let answer = queue(sandbox, fault);
    assert_eq!(answer.status, 200, "{}", answer.body);
}

/// `GET /sandbox/requests?{query}` → the count.
fn reached(sandbox: &Sandbox, query: &str) -> u64 {
    let answer = raw(
        "GET",
        &format!("{}/sandbox/requests?{query}", sandbox.url()),
        &[],
        b"",
    );
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.json()["count"].as_u64().unwrap()
}

#[test]
fn a_stall_before_holds_the_connection_then_closes_it_with_nothing_done() {
    let sandbox = sandbox();
    queued(
        &sandbox,
        json!({"method": "POST", "path": SETUPS, "fault": "stall", "ms": 400}),
    );
    let started = Instant::now();
    let mut wire = create_on_the_wire(&sandbox, None);
    assert!(wire.read_to_end().unwrap().is_empty(), "no answer at all");
    assert!(
        started.elapsed() >= Duration::from_millis(380),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(setups_created(&sandbox), 0);
    assert_eq!(reached(&sandbox, "method=POST&path=/payments/setups"), 0);
    // Used once: the next POST is served.
    assert_eq!(create(&sandbox).status, 201);
    assert_eq!(sandbox.requests("POST", SETUPS), 1);
}

#[test]
fn a_stall_after_times_out_a_client_that_has_acted() {
    let sandbox = sandbox();
    sandbox
        .queue_fault(Fault::new("POST", SETUPS, FaultKind::Stall { ms: 2000 }).after())
        .unwrap();
    let impatient: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_millis(300)))
        .build()
        .into();
    let err = impatient
        .post(format!("{}{SETUPS}", sandbox.url()))
        .header("Authorization", &bearer())
        .header("Content-Type", "application/json")
        .send(setup().as_bytes())
        .unwrap_err();
    assert!(matches!(err, ureq::Error::Timeout(_)), "{err}");
    assert_eq!(setups_created(&sandbox), 1, "the server acted");
    assert_eq!(sandbox.requests("POST", SETUPS), 1);
}

#[test]
fn headers_then_stall_sends_the_head_and_never_the_body() {
    let sandbox = sandbox();
    queued(
        &sandbox,
        json!({"method": "POST", "path": SETUPS, "fault": "headers_then_stall", "ms": 300, "when": "after"}),
    );
    let mut wire = create_on_the_wire(&sandbox, None);
    let (status, head) = wire.read_head().unwrap();
    assert_eq!(status, 201, "the API's own head: {head}");
    assert!(head.contains("Cko-Request-Id: "), "{head}");
    assert!(wire.read_to_end().unwrap().is_empty(), "and no body");
    assert_eq!(setups_created(&sandbox), 1);

    queued(
        &sandbox,
        json!({"method": "POST", "path": SETUPS, "fault": "headers_then_stall", "ms": 300}),
    );
    let mut wire = create_on_the_wire(&sandbox, None);
    let (status, head) = wire.read_head().unwrap();
    assert_eq!(status, 200, "{head}");
    assert!(wire.read_to_end().unwrap().is_empty());
    assert_eq!(setups_created(&sandbox), 1, "before: nothing created");
}

#[test]
fn a_reset_is_a_connection_reset_and_after_it_the_server_has_acted() {
    let sandbox = sandbox();
    sandbox
        .queue_fault(Fault::new("POST", SETUPS, FaultKind::Reset))
        .unwrap();
    sandbox
        .queue_fault(Fault::new("POST", SETUPS, FaultKind::Reset).after())
        .unwrap();
    let err = create_on_the_wire(&sandbox, None)
        .read_to_end()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ConnectionReset, "{err}");
    assert_eq!(setups_created(&sandbox), 0, "before: nothing acted");
    let err = create_on_the_wire(&sandbox, None)
        .read_to_end()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ConnectionReset, "{err}");
    assert_eq!(setups_created(&sandbox), 1, "after: the setup exists");
    assert_eq!(sandbox.requests("POST", SETUPS), 1);
}

#[test]
fn a_truncated_body_promises_more_than_it_sends() {
    let sandbox = sandbox();
    queued(
        &sandbox,
        json!({"method": "POST", "path": SETUPS, "fault": "truncated_body", "when": "after"}),
    );
    let mut wire = create_on_the_wire(&sandbox, None);
    let (status, head) = wire.read_head().unwrap();
    assert_eq!(status, 201);
    let promised: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("Content-Length: "))
        .unwrap()
        .parse()
        .unwrap();
    let sent = wire.read_to_end().unwrap();
    assert_eq!(sent.len(), promised / 2, "{head}");
    assert_eq!(setups_created(&sandbox), 1);

    // A client library sees a body cut short.
    queued(
        &sandbox,
        json!({"method": "GET", "path_prefix": "/sandbox/checkout_com", "fault": "truncated_body"}),
    );
    let agent: ureq::Agent = ureq::Agent::config_builder().build().into();
    let mut response = agent
        .get(format!("{}/sandbox/checkout_com/setups", sandbox.url()))
        .call()
        .unwrap();
    assert!(response.body_mut().read_to_string().is_err());
}

#[test]
fn a_status_fault_answers_that_status_with_a_body() {
    let sandbox = sandbox();
    queued(
        &sandbox,
        json!({"method": "POST", "path": SETUPS, "fault": "status", "status": 502, "when": "after"}),
    );
    let answer = create(&sandbox);
    assert_eq!(answer.status, 502);
    assert_eq!(
        answer.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(answer.body.contains("502 Bad Gateway"), "{}", answer.body);
    assert_eq!(setups_created(&sandbox), 1, "after: acted, answer lost");

    for (status, body, content_type) in [
        (
            503,
            r#"{"errors": ["down"]}"#,
            "application/json; charset=utf-8",
        ),
        (504, "upstream timed out", "text/plain; charset=utf-8"),
    ] {
        queued(
            &sandbox,
            json!({"method": "POST", "path": SETUPS, "fault": "status", "status": status, "body": body}),
        );
        let answer = create(&sandbox);
        assert_eq!(answer.status, status);
        assert_eq!(answer.header("content-type"), Some(content_type));
        assert_eq!(answer.body.replace(' ', ""), body.replace(' ', ""));
    }
    queued(
        &sandbox,
        json!({"path": SETUPS, "fault": "status", "status": 500, "body": ""}),
    );
    let answer = create(&sandbox);
    assert_eq!((answer.status, answer.body.as_str()), (500, ""));
    assert_eq!(setups_created(&sandbox), 1, "before: nothing more acted");
}

#[test]
fn rate_limited_carries_retry_after_exactly_as_queued() {
    let sandbox = sandbox();
    let values = [
        json!("18446744073709551615"),
        json!(18446744073709551615u64),
        json!("-1"),
        json!(-5),
        json!("soon, maybe"),
        json!("Wed, 21 Oct 2015 07:28:00 GMT"),
    ];
    for value in &values {
        queued(
            &sandbox,
            json!({"method": "POST", "path": SETUPS, "fault": "rate_limited", "retry_after": value}),
        );
    }
    for value in values {
        let answer = create(&sandbox);
        assert_eq!(answer.status, 429);
        let expected = value.as_str().map_or(value.to_string(), str::to_string);
        assert_eq!(answer.header("retry-after"), Some(expected.as_str()));
        assert!(answer.json()["errors"].is_array());
    }
    queued(&sandbox, json!({"path": SETUPS, "fault": "rate_limited"}));
    let answer = create(&sandbox);
    assert_eq!((answer.status, answer.header("retry-after")), (429, None));
    assert_eq!(setups_created(&sandbox), 0);
}

#[test]
fn invalid_json_is_a_200_that_does_not_parse() {
    let sandbox = sandbox();
    queued(
        &sandbox,
        json!({"method": "POST", "path": SETUPS, "fault": "invalid_json", "when": "after"}),
    );
    let answer = create(&sandbox);
    assert_eq!(answer.status, 200);
    assert_eq!(
        answer.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    assert!(
        serde_json::from_str::<Value>(&answer.body).is_err(),
        "{}",
        answer.body
    );
    assert_eq!(setups_created(&sandbox), 1);
}

#[test]
fn a_redirect_points_where_asked_or_back_at_the_same_url() {
    for sandbox in [sandbox(), tls_sandbox()] {
        sandbox
            .queue_fault(Fault::new(
                "GET",
                "/sandbox/checkout_com/setups",
                FaultKind::Redirect { location: None },
            ))
            .unwrap();
        let location = "https://elsewhere.invalid/x?y=1";
        sandbox
            .queue_fault(Fault::new(
                "POST",
                SETUPS,
                FaultKind::Redirect {
                    location: Some(location.into()),
                },
            ))
            .unwrap();
        let agent = match sandbox.ca_pem() {
            Some(pem) => common::agent_trusting(pem, true),
            None => ureq::Agent::config_builder()
                .http_status_as_error(false)
                .max_redirects(0)
                .build()
                .into(),
        };
        let url = format!("{}/sandbox/checkout_com/setups?a=b", sandbox.url());
        let response = agent.get(&url).call().unwrap();
        assert_eq!(response.status(), 302);
        assert_eq!(
            response.headers()["location"],
            url.as_str(),
            "the scheme served"
        );
        let response = agent
            .post(format!("{}{SETUPS}", sandbox.url()))
            .header("Authorization", &bearer())
            .header("Content-Type", "application/json")
            .send(setup().as_bytes())
            .unwrap();
        assert_eq!(response.status(), 302);
        assert_eq!(response.headers()["location"], location);
        assert_eq!(sandbox.requests("POST", SETUPS), 0);
    }
}

#[test]
fn a_huge_body_is_streamed_whole() {
    let sandbox = sandbox();
    let bytes = 50_000_000u64;
    sandbox
        .queue_fault(Fault::new("GET", "/big", FaultKind::HugeBody { bytes }))
        .unwrap();
    let agent: ureq::Agent = ureq::Agent::config_builder().build().into();
    let response = agent.get(format!("{}/big", sandbox.url())).call().unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-length"],
        bytes.to_string().as_str()
    );
    let mut reader = response.into_body().into_reader();
    let mut first = [0u8; 2];
    std::io::Read::read_exact(&mut reader, &mut first).unwrap();
    assert_eq!(&first, b"\"a");
    let rest = std::io::copy(&mut reader, &mut std::io::sink()).unwrap();
    assert_eq!(rest + 2, bytes);
    drop(reader);
    // The connection is kept for the next request.
    agent
        .get(format!("{}/sandbox/stats", sandbox.url()))
        .call()
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    assert_eq!(sandbox.stats().connections, 1);
}

#[test]
fn a_delay_answers_late_acting_before_or_after_the_wait() {
    let sandbox = sandbox();
    sandbox
        .queue_fault(Fault::new("POST", SETUPS, FaultKind::Delay { ms: 500 }))
        .unwrap();
    let mut wire = create_on_the_wire(&sandbox, None);
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(setups_created(&sandbox), 0, "before: not yet seen");
    assert_eq!(wire.read_answer().unwrap().status, 201);
    assert_eq!(setups_created(&sandbox), 1);

    sandbox
        .queue_fault(Fault::new("POST", SETUPS, FaultKind::Delay { ms: 500 }).after())
        .unwrap();
    let started = Instant::now();
    let mut wire = create_on_the_wire(&sandbox, None);
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(setups_created(&sandbox), 2, "after: acted at once");
    assert_eq!(wire.read_answer().unwrap().status, 201);
    assert!(started.elapsed() >= Duration::from_millis(480));
}

#[test]
fn the_serving_time_counts_what_a_route_waits_for() {
    let sandbox = sandbox();
    assert!(sandbox.stats().serving_us < 100_000, "nothing served yet");
    sandbox
        .queue_fault(Fault::new("POST", SETUPS, FaultKind::Delay { ms: 300 }))
        .unwrap();
    let mut wire = create_on_the_wire(&sandbox, None);
    assert_eq!(wire.read_answer().unwrap().status, 201);
    let serving = sandbox.stats().serving_us;
    assert!(serving >= 290_000, "{serving} us");
}

#[test]
fn a_delay_during_holds_the_idempotency_key_in_flight() {
    let sandbox = sandbox();
    sandbox
        .queue_fault(Fault::under("POST", SETUPS, FaultKind::Delay { ms: 800 }).when(When::During))
        .unwrap();
    let mut first = create_on_the_wire(&sandbox, Some("k-1"));
    std::thread::sleep(Duration::from_millis(200));
    let duplicate = create_on_the_wire(&sandbox, Some("k-1"))
        .read_answer()
        .unwrap();
    assert_eq!(duplicate.status, 429);
    let first = first.read_answer().unwrap();
    assert_eq!(first.status, 201);
    assert_eq!(setups_created(&sandbox), 1);
}

#[test]
fn the_checkout_com_shorthand_queues_general_faults() {
    let sandbox = sandbox();
    let shorthand = |body: Value| {
        raw(
            "POST",
            &format!("{}/sandbox/checkout_com/faults", sandbox.url()),
            &[("Content-Type", "application/json")],
            body.to_string().as_bytes(),
        )
    };
    assert_eq!(shorthand(json!({"answer_status": 502})).status, 200);
    assert_eq!(shorthand(json!({"delay_ms": 100})).status, 200);
    let pending = raw(
        "GET",
        &format!("{}/sandbox/faults", sandbox.url()),
        &[],
        b"",
    )
    .json();
    assert_eq!(
        pending["pending"],
        json!([
            {"method": "POST", "path_prefix": SETUPS, "fault": "status", "status": 502, "body": "", "when": "after", "count": 1},
            {"method": "POST", "path_prefix": SETUPS, "fault": "delay", "ms": 100, "when": "during", "count": 1}
        ])
    );
    let lost = create(&sandbox);
    assert_eq!((lost.status, lost.body.as_str()), (502, ""));
    assert_eq!(setups_created(&sandbox), 1);
    for refused in [
        json!({}),
        json!({"delay_ms": 1, "answer_status": 502}),
        json!({"answer_status": 200}),
    ] {
        let answer = shorthand(refused.clone());
        assert_eq!(answer.status, 422, "{refused}: {}", answer.body);
    }
}

#[test]
fn faults_take_only_their_route_count_times_and_can_be_cleared() {
    let sandbox = sandbox();
    queued(
        &sandbox,
        json!({"method": "GET", "path": "/sandbox/checkout_com/setups", "fault": "status", "status": 503, "count": 2}),
    );
    queued(
        &sandbox,
        json!({"path_prefix": "/payments", "fault": "status", "status": 500}),
    );
    // Another method, path or a longer name is not the route.
    assert_eq!(
        raw(
            "POST",
            &format!("{}/sandbox/checkout_com/setups", sandbox.url()),
            &[],
            b""
        )
        .status,
        405
    );
    assert_eq!(
        raw("GET", &format!("{}/paymentsx", sandbox.url()), &[], b"").status,
        404
    );
    for _ in 0..2 {
        let answer = raw(
            "GET",
            &format!("{}/sandbox/checkout_com/setups/", sandbox.url()),
            &[],
            b"",
        );
        assert_eq!(answer.status, 503);
    }
    assert_eq!(setups_created(&sandbox), 0);
    // Any method under the prefix.
    assert_eq!(
        raw(
            "DELETE",
            &format!("{}/payments/x/y", sandbox.url()),
            &[],
            b""
        )
        .status,
        500
    );

    queued(
        &sandbox,
        json!({"path_prefix": "/", "fault": "reset", "count": 5}),
    );
    // The fault endpoints themselves are never faulted.
    let pending = raw(
        "GET",
        &format!("{}/sandbox/faults", sandbox.url()),
        &[],
        b"",
    );
    assert_eq!(pending.json()["pending"][0]["count"], 5);
    assert_eq!(sandbox.pending_faults().len(), 1);
    let cleared = raw(
        "DELETE",
        &format!("{}/sandbox/faults", sandbox.url()),
        &[],
        b"",
    );
    assert_eq!(cleared.json(), json!({"cleared": 1}));
    assert_eq!(create(&sandbox).status, 201);
    assert_eq!(sandbox.clear_faults(), 0);
}

#[test]
fn the_request_count_counts_what_reached_the_api() {
    let sandbox = sandbox();
    sandbox
        .queue_fault(Fault::new("POST", SETUPS, FaultKind::Reset))
        .unwrap();
    sandbox
        .queue_fault(
            Fault::new(
                "POST",
                SETUPS,
                FaultKind::Status {
                    status: 502,
                    body: None,
                },
            )
            .after(),
        )
        .unwrap();
    let _ = create_on_the_wire(&sandbox, None).read_to_end();
    assert_eq!(create(&sandbox).status, 502);
    assert_eq!(create(&sandbox).status, 201);
    assert_eq!(reached(&sandbox, "method=POST&path=/payments/setups"), 2);
    assert_eq!(reached(&sandbox, "method=GET&path=/payments/setups"), 0);
    assert_eq!(reached(&sandbox, "path=/payments/setups/"), 2);
    assert_eq!(reached(&sandbox, "path_prefix=/payments"), 2);
    assert_eq!(reached(&sandbox, "path_prefix=/pay"), 0);
    assert_eq!(
        sandbox.requests_matching(None, &PathMatch::Prefix("/".into())),
        2 + 5,
        "and the requests to /sandbox/requests"
    );
    let missing = raw(
        "GET",
        &format!("{}/sandbox/requests?method=POST", sandbox.url()),
        &[],
        b"",
    );
    assert_eq!(missing.status, 422);
}

#[test]
fn a_fault_that_makes_no_sense_is_refused_with_the_reason() {
    let sandbox = sandbox();
    let answer = queue(
        &sandbox,
        json!({"path": SETUPS, "fault": "stall", "ms": 10_000_000}),
    );
    assert_eq!(answer.status, 422);
    assert!(
        answer.errors()[0].as_str().unwrap().contains("ms must be"),
        "{}",
        answer.body
    );
    let answer = queue(
        &sandbox,
        json!({"path": SETUPS, "fault": "rate_limited", "retry_after": "1\r\nSet-Cookie: x=y"}),
    );
    assert_eq!(answer.status, 422, "{}", answer.body);
    let answer = raw(
        "POST",
        &format!("{}/sandbox/faults", sandbox.url()),
        &[("Content-Type", "text/plain")],
        b"reset",
    );
    assert_eq!(answer.status, 415);
    let refused = sandbox
        .queue_fault(Fault::new("POST", "orders", FaultKind::Reset))
        .unwrap_err();
    assert!(refused.to_string().contains("start with /"), "{refused}");
    assert!(sandbox.pending_faults().is_empty());
}

#[test]
fn faults_strike_over_https_too() {
    let sandbox = tls_sandbox();
    let agent = common::agent_trusting(sandbox.ca_pem().unwrap(), true);
    sandbox
        .queue_fault(Fault::new("POST", SETUPS, FaultKind::Reset).after())
        .unwrap();
    sandbox
        .queue_fault(Fault::new("POST", SETUPS, FaultKind::TruncatedBody).after())
        .unwrap();
    let post = || {
        agent
            .post(format!("{}{SETUPS}", sandbox.url()))
            .header("Authorization", &bearer())
            .header("Content-Type", "application/json")
            .send(setup().as_bytes())
            .and_then(|mut response| response.body_mut().read_to_string())
    };
    assert!(post().is_err(), "reset");
    assert!(post().is_err(), "truncated");
    assert!(post().is_ok());
    assert_eq!(sandbox.requests("POST", SETUPS), 3);
    let listed = agent
        .get(format!("{}/sandbox/checkout_com/setups", sandbox.url()))
        .call()
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    assert_eq!(serde_json::from_str::<Value>(&listed).unwrap()["count"], 3);
}
