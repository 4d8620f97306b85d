//! HTTPS: the sandbox's own CA, a leaf for the loopback names, the URLs it
//! hands out, what a client that trusts another CA or checks names sees,
//! and the handshake counters.

mod common;

use common::{agent_trusting, get_with, order, shop, tls_sandbox, AUTH};
use sequra_sandbox::{unrelated_ca_pem, Sandbox, SandboxOptions, Tls};
use serde_json::json;

#[test]
fn a_client_that_trusts_the_sandbox_ca_gets_answers_over_https() {
    let sandbox = tls_sandbox();
    assert!(
        sandbox.url().starts_with("https://127.0.0.1:"),
        "{}",
        sandbox.url()
    );
    let pem = sandbox.ca_pem().expect("a CA");
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"), "{pem}");
    let agent = agent_trusting(pem, true);
    let answer = get_with(&agent, &format!("{}/sandbox/tls", sandbox.url())).unwrap();
    assert_eq!(answer.status, 200);
    let tls = answer.json();
    assert_eq!(tls["tls"], "on");
    assert_eq!(tls["ca_pem"], pem);
    assert_eq!(tls["unrelated_ca_pem"], unrelated_ca_pem());

    // The leaf names every loopback spelling (the sandbox listens on
    // 127.0.0.1, so each name is tried there).
    for name in ["127.0.0.1", "::1", "localhost"] {
        assert_eq!(handshake_as(&sandbox, name), Ok(()), "{name}");
    }
    assert!(handshake_as(&sandbox, "example.com").is_err());
}

/// A TLS handshake with the sandbox that expects the certificate to name
/// `name`, trusting the sandbox's CA.
fn handshake_as(sandbox: &Sandbox, name: &str) -> Result<(), String> {
    use rustls::pki_types::{pem::PemObject, CertificateDer, ServerName};
    use std::sync::Arc;
    let ca = CertificateDer::from_pem_slice(sandbox.ca_pem().unwrap().as_bytes()).unwrap();
    let mut roots = rustls::RootCertStore::empty();
    roots.add(ca).unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let name = ServerName::try_from(name.to_string()).unwrap();
    let mut tls = rustls::ClientConnection::new(Arc::new(config), name).unwrap();
    let mut tcp = std::net::TcpStream::connect(("127.0.0.1", sandbox.port())).unwrap();
    while tls.is_handshaking() {
        tls.complete_io(&mut tcp).map_err(|e| e.to_string())?;
    }
    Ok(())
}

#[test]
fn every_url_the_sandbox_hands_out_says_https() {
    let sandbox = tls_sandbox();
    let agent = agent_trusting(sandbox.ca_pem().unwrap(), true);
    let mut response = agent
        .post(format!("{}/orders", sandbox.url()))
        .header("Authorization", AUTH)
        .header("Content-Type", "application/json")
        .send(json!({"order": order()}).to_string().as_bytes())
        .unwrap();
    assert_eq!(response.status(), 204);
    let location = response.headers()["location"].to_str().unwrap().to_string();
    assert!(
        location.starts_with(&format!("{}/orders/", sandbox.url())),
        "{location}"
    );
    let _ = response.body_mut().read_to_string();
    let html = agent
        .get(format!("{location}/form_v2"))
        .header("Authorization", AUTH)
        .call()
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    assert!(html.contains(sandbox.url()), "{html}");
    assert!(!html.contains("http://127.0.0.1"), "{html}");
}

#[test]
fn a_client_that_trusts_another_ca_is_refused() {
    let sandbox = tls_sandbox();
    let agent = agent_trusting(unrelated_ca_pem(), true);
    let err = get_with(&agent, &format!("{}/sandbox/stats", sandbox.url())).unwrap_err();
    assert!(err.to_string().contains("UnknownIssuer"), "{err}");
    assert_ne!(unrelated_ca_pem(), sandbox.ca_pem().unwrap());
    assert_eq!(sandbox.stats().tls_full_handshakes, 0);
    assert_eq!(sandbox.stats().requests, 0);
}

#[test]
fn a_leaf_with_the_wrong_name_is_refused_by_a_client_that_checks_names() {
    let sandbox = Sandbox::start(SandboxOptions {
        tls: Tls::BadName,
        ..SandboxOptions::default()
    })
    .unwrap();
    assert!(sandbox.url().starts_with("https://"));
    let agent = agent_trusting(sandbox.ca_pem().unwrap(), true);
    let err = get_with(&agent, &format!("{}/sandbox/stats", sandbox.url())).unwrap_err();
    assert!(
        err.to_string().contains("not valid for name \"127.0.0.1\""),
        "{err}"
    );
    assert_eq!(sandbox.stats().tls_full_handshakes, 0);
}

#[test]
fn a_plain_http_client_gets_no_answer_from_https() {
    let sandbox = tls_sandbox();
    let url = sandbox.url().replace("https://", "http://");
    let plain: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(std::time::Duration::from_secs(5)))
        .build()
        .into();
    assert!(plain.get(format!("{url}/sandbox/stats")).call().is_err());
    // And the sandbox goes on serving.
    let agent = agent_trusting(sandbox.ca_pem().unwrap(), true);
    assert_eq!(
        get_with(&agent, &format!("{}/sandbox/stats", sandbox.url()))
            .unwrap()
            .status,
        200
    );
}

#[test]
fn keep_alive_requests_share_one_connection_and_one_handshake() {
    let sandbox = tls_sandbox();
    let agent = agent_trusting(sandbox.ca_pem().unwrap(), true);
    for _ in 0..2 {
        let answer = get_with(
            &agent,
            &format!("{}/merchants/demo/payment_methods", sandbox.url()),
        )
        .unwrap();
        assert_eq!(answer.status, 401);
    }
    let counted = sandbox.stats();
    assert_eq!(counted.connections, 1, "{counted:?}");
    assert_eq!(counted.tls_full_handshakes, 1, "{counted:?}");
    assert_eq!(counted.tls_resumed_handshakes, 0, "{counted:?}");
    assert_eq!(counted.requests, 2, "{counted:?}");
}

#[test]
fn a_second_connection_resumes_the_first_session() {
    let sandbox = tls_sandbox();
    let agent = agent_trusting(sandbox.ca_pem().unwrap(), false);
    for _ in 0..2 {
        let answer = get_with(&agent, &format!("{}/sandbox/tls", sandbox.url())).unwrap();
        assert_eq!(answer.status, 200);
    }
    // Read over HTTPS too: the control endpoint counts what it is asked on.
    let counted = get_with(&agent, &format!("{}/sandbox/stats", sandbox.url()))
        .unwrap()
        .json();
    assert_eq!(counted["connections"], 3, "{counted}");
    assert_eq!(counted["tls_full_handshakes"], 1, "{counted}");
    assert_eq!(counted["tls_resumed_handshakes"], 2, "{counted}");
    assert_eq!(counted["requests"], 3, "{counted}");
}

#[test]
fn the_ca_file_holds_the_ca_and_goes_when_the_sandbox_does() {
    let sandbox = tls_sandbox();
    let path = sandbox.ca_file().unwrap().to_path_buf();
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        sandbox.ca_pem().unwrap()
    );
    drop(sandbox);
    assert!(!path.exists(), "{}", path.display());

    let chosen = std::env::temp_dir().join(format!("sandbox-ca-test-{}.pem", std::process::id()));
    let sandbox = Sandbox::start_tls(SandboxOptions {
        ca_file: Some(chosen.clone()),
        ..SandboxOptions::default()
    })
    .unwrap();
    assert_eq!(sandbox.ca_file(), Some(chosen.as_path()));
    let pem = sandbox.ca_pem().unwrap().to_string();
    drop(sandbox);
    assert_eq!(
        std::fs::read_to_string(&chosen).unwrap(),
        pem,
        "a chosen file stays"
    );
    std::fs::remove_file(&chosen).unwrap();

    let plain = common::sandbox();
    assert_eq!((plain.ca_pem(), plain.ca_file()), (None, None));
}

#[test]
fn the_ipn_still_goes_to_a_plain_http_shop() {
    let sandbox = tls_sandbox();
    let agent = agent_trusting(sandbox.ca_pem().unwrap(), true);
    let (notify_url, shop) = shop("HTTP/1.1 200 OK");
    let mut order = order();
    order["merchant"]["notify_url"] = json!(notify_url);
    let mut response = agent
        .post(format!("{}/orders", sandbox.url()))
        .header("Authorization", AUTH)
        .header("Content-Type", "application/json")
        .send(json!({"order": order}).to_string().as_bytes())
        .unwrap();
    let location = response.headers()["location"].to_str().unwrap().to_string();
    let _ = response.body_mut().read_to_string();
    let approved = agent
        .post(format!(
            "{}/sandbox/orders/{}/approve?wait=true",
            sandbox.url(),
            common::uuid_of(&location)
        ))
        .send_empty()
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    let approved: serde_json::Value = serde_json::from_str(&approved).unwrap();
    assert_eq!(approved["ipn"]["status"], 200, "{approved}");
    assert!(shop.join().unwrap().starts_with("POST /ipn HTTP/1.1"));
}

/// As over plain HTTP: answers on a kept TLS connection never wait for a
/// delayed ACK (a TLS answer too leaves in one write).
#[test]
fn keep_alive_https_answers_never_wait_for_a_delayed_ack() {
    let sandbox = tls_sandbox();
    let agent = agent_trusting(sandbox.ca_pem().unwrap(), true);
    let url = format!("{}/merchants/demo/payment_methods", sandbox.url());
    let call = || {
        let mut response = agent
            .get(&url)
            .header("Authorization", AUTH)
            .call()
            .unwrap();
        assert_eq!(response.status(), 200);
        response.body_mut().read_to_string().unwrap();
    };
    call();
    let started = std::time::Instant::now();
    for _ in 0..40 {
        call();
    }
    let took = started.elapsed();
    assert!(took < std::time::Duration::from_millis(800), "{took:?}");
    assert_eq!(sandbox.stats().connections, 1);
}
