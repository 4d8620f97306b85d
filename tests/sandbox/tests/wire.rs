//! The sandbox on the wire: keep-alive, answers without delayed-ACK
//! stalls, the counters, the limits, and a stop that never hangs.

mod common;

use common::{raw, sandbox, stats, Wire, AUTH};
use sequra_sandbox::MAX_BODY;
use std::io::{Read, Write};
use std::time::{Duration, Instant};

#[test]
fn keep_alive_serves_many_requests_on_one_connection() {
    let sandbox = sandbox();
    let mut wire = Wire::connect(&sandbox);
    for _ in 0..3 {
        wire.send(
            "GET",
            "/merchants/demo/payment_methods",
            &[("Authorization", AUTH)],
            b"",
        );
        let answer = wire.read_answer().unwrap();
        assert_eq!(answer.status, 200);
        assert!(answer.header("connection").is_none(), "{}", answer.head);
        let methods: serde_json::Value = serde_json::from_slice(&answer.body).unwrap();
        assert!(methods["payment_options"].is_array(), "{methods}");
    }
    let counted = sandbox.stats();
    assert_eq!(
        (counted.connections, counted.requests),
        (1, 3),
        "{counted:?}"
    );
    assert_eq!(
        counted.tls_full_handshakes + counted.tls_resumed_handshakes,
        0
    );
}

#[test]
fn a_pooling_client_uses_one_connection() {
    let sandbox = sandbox();
    for _ in 0..3 {
        let answer = common::call(
            "GET",
            &format!("{}/merchants/demo/payment_methods", sandbox.url()),
            None,
        );
        assert_eq!(answer.status, 200);
    }
    // `call` makes an agent per request: three connections.
    assert_eq!(sandbox.stats().connections, 3);
    let agent: ureq::Agent = ureq::Agent::config_builder().build().into();
    for _ in 0..3 {
        agent
            .get(format!("{}/sandbox/tls", sandbox.url()))
            .call()
            .unwrap()
            .body_mut()
            .read_to_string()
            .unwrap();
    }
    let counted = stats(&sandbox);
    assert_eq!(counted["connections"], 5, "{counted}"); // and one for `stats`
    assert_eq!(counted["requests"], 7, "{counted}");
}

/// 40 answers with a body, in turn on one connection, take well under
/// 40 × 40 ms: none waits for a delayed ACK (TCP_NODELAY, and each answer
/// in one write: a head written apart from its body holds the body back
/// until the client ACKs the head).
#[test]
fn keep_alive_answers_never_wait_for_a_delayed_ack() {
    let sandbox = sandbox();
    let mut wire = Wire::connect(&sandbox);
    // Warm up: the first request pays for thread start and allocations.
    wire.send("GET", "/sandbox/stats", &[], b"");
    wire.read_answer().unwrap();
    let started = Instant::now();
    for _ in 0..40 {
        wire.send(
            "GET",
            "/merchants/demo/payment_methods",
            &[("Authorization", AUTH)],
            b"",
        );
        let answer = wire.read_answer().unwrap();
        assert_eq!(answer.status, 200, "{}", answer.head);
    }
    let took = started.elapsed();
    assert!(took < Duration::from_millis(800), "{took:?}");
}

#[test]
fn connection_close_and_http_1_0_end_the_connection() {
    let sandbox = sandbox();
    let mut wire = Wire::connect(&sandbox);
    wire.send("GET", "/sandbox/stats", &[("Connection", "close")], b"");
    let answer = wire.read_answer().unwrap();
    assert_eq!(answer.header("connection"), Some("close"));
    assert!(wire.read_to_end().unwrap().is_empty());

    let mut wire = Wire::connect(&sandbox);
    wire.stream
        .write_all(b"GET /sandbox/stats HTTP/1.0\r\n\r\n")
        .unwrap();
    let answer = wire.read_answer().unwrap();
    assert!(
        answer.head.starts_with("HTTP/1.1 200 OK\r\n"),
        "{}",
        answer.head
    );
    assert!(wire.read_to_end().unwrap().is_empty());
}

#[test]
fn head_answers_have_no_body() {
    let sandbox = sandbox();
    let mut wire = Wire::connect(&sandbox);
    wire.send("HEAD", "/sandbox/stats", &[], b"");
    let (status, head) = wire.read_head().unwrap();
    assert_eq!(status, 405, "{head}");
    // The next answer follows at once: nothing was sent for the HEAD body.
    wire.send("GET", "/sandbox/stats", &[], b"");
    assert_eq!(wire.read_answer().unwrap().status, 200);
}

#[test]
fn a_body_over_the_limit_is_refused_unread() {
    let sandbox = sandbox();
    let mut wire = Wire::connect(&sandbox);
    wire.stream
        .write_all(
            format!(
                "POST /orders HTTP/1.1\r\nContent-Length: {}\r\nExpect: 100-continue\r\n\r\n",
                MAX_BODY + 1
            )
            .as_bytes(),
        )
        .unwrap();
    let answer = wire.read_answer().unwrap();
    assert_eq!(answer.status, 413);
    assert_eq!(answer.header("connection"), Some("close"));

    let answer = raw(
        "POST",
        &format!("{}/orders", sandbox.url()),
        &[
            ("Authorization", AUTH),
            ("Content-Type", "application/json"),
        ],
        &vec![b' '; MAX_BODY],
    );
    // Read whole (1 MiB of spaces), then found to be no JSON.
    assert_eq!(answer.status, 400, "{}", answer.body);
    assert!(answer.body.contains("not valid JSON"), "{}", answer.body);
}

#[test]
fn garbage_is_a_bad_request_and_the_sandbox_goes_on() {
    let sandbox = sandbox();
    for garbage in [
        &b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 a TLS hello to a plain port\r\n\r\n"[..],
        b"GET / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
        b"GET / HTTP/1.1\r\nBad Header\r\n\r\n",
    ] {
        let mut wire = Wire::connect(&sandbox);
        wire.stream.write_all(garbage).unwrap();
        let answer = wire.read_answer().unwrap();
        assert_eq!(
            answer.status,
            400,
            "{}",
            String::from_utf8_lossy(&answer.body)
        );
        assert!(wire.read_to_end().unwrap().is_empty());
    }
    let mut wire = Wire::connect(&sandbox);
    wire.stream.write_all(b"GET / HTTP/1.1\r\nHost: x").unwrap();
    drop(wire); // cut mid-head
    assert_eq!(stats(&sandbox)["requests"], 1, "only the stats request");
}

#[test]
fn chunked_bodies_are_read() {
    let sandbox = sandbox();
    let body = serde_json::json!({"order": common::order()}).to_string();
    let (first, second) = body.split_at(body.len() / 2);
    let mut wire = Wire::connect(&sandbox);
    let request = format!(
        "POST /orders HTTP/1.1\r\nAuthorization: {AUTH}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n{first}\r\n{:x}\r\n{second}\r\n0\r\n\r\n",
        first.len(),
        second.len()
    );
    wire.stream.write_all(request.as_bytes()).unwrap();
    let answer = wire.read_answer().unwrap();
    assert_eq!(
        answer.status,
        204,
        "{}",
        String::from_utf8_lossy(&answer.body)
    );
}

#[test]
fn stopping_never_waits_for_idle_or_held_connections() {
    let sandbox = sandbox();
    let mut idle = Wire::connect(&sandbox);
    idle.send("GET", "/sandbox/stats", &[], b"");
    idle.read_answer().unwrap();
    sandbox
        .queue_fault(sequra_sandbox::Fault::new(
            "GET",
            "/held",
            sequra_sandbox::FaultKind::Stall { ms: 60_000 },
        ))
        .unwrap();
    let mut held = Wire::connect(&sandbox);
    held.send("GET", "/held", &[], b"");
    std::thread::sleep(Duration::from_millis(100));
    let started = Instant::now();
    sandbox.stop();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    let mut rest = Vec::new();
    let _ = held.stream.read_to_end(&mut rest);
    assert!(rest.is_empty());
}
