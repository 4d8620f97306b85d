//! TLS against the sandbox's HTTPS, for the calls of every API: the
//! flows' tests run over verified TLS, and a certificate the client must
//! refuse - signed by a CA it does not trust, with no CA file (the
//! built-in roots do not know the sandbox's), or for another name - is a
//! Tls error that says the request was not sent, before a byte of it
//! reached the server.
//!
//! `transport.rs` proves the same against a raw TLS server; this file
//! proves every client (each API's, and Paysera's two endpoints) takes
//! its trust from the `ca_file` option.

#[allow(dead_code)]
mod common;
#[allow(dead_code)]
#[path = "common/flows.rs"]
mod flows;

use flows::{Call, Clients, CALLS};
use sequra::{Connection, ErrorKind};
use sequra_sandbox::{unrelated_ca_pem, Sandbox, SandboxOptions, Tls};
use std::path::PathBuf;

/// A file holding a CA that signed nothing the sandbox serves. Written
/// once: tests run at once, and a rewrite truncates the file another test
/// is reading (which then read it empty).
fn unrelated_ca_file() -> PathBuf {
    static FILE: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    FILE.get_or_init(|| {
        let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
            "sequra-tls-test-unrelated-ca-{}.pem",
            std::process::id()
        ));
        std::fs::write(&path, unrelated_ca_pem()).expect("the CA is written");
        path
    })
    .clone()
}

/// Runs `call` against `sandbox` with `connection` and checks it was
/// refused before sending: a Tls error, `may_have_acted` false, a
/// message that says so, and nothing read by the sandbox.
fn refused_before_sending(
    sandbox: &Sandbox,
    call: &Call,
    target: &flows::Target,
    connection: Connection,
) -> Result<(), String> {
    let clients = Clients::new(sandbox, connection);
    let read_before = sandbox.stats().requests;
    let err = call
        .run(&clients, target)
        .err()
        .ok_or("the call succeeded")?;
    let text = err.to_string();
    if err.kind() != ErrorKind::Tls || err.may_have_acted() {
        return Err(format!(
            "{:?}, may_have_acted {}: {text}",
            err.kind(),
            err.may_have_acted()
        ));
    }
    if !text.contains("the request was not sent") || !text.contains("TLS") {
        return Err(format!(
            "the message does not say why nothing was sent: {text}"
        ));
    }
    let read = sandbox.stats().requests - read_before;
    if read != 0 {
        return Err(format!("the sandbox read {read} requests: {text}"));
    }
    Ok(())
}

#[test]
fn the_sandbox_serves_https_and_every_api_verifies_it_with_the_ca_file() {
    flows::each(flows::one_per_api().into_iter(), "over TLS", |call| {
        let sandbox = common::sandbox();
        if !sandbox.url().starts_with("https://") {
            return Err(format!("the sandbox serves {}", sandbox.url()));
        }
        let clients = Clients::of(&sandbox);
        let target = call.prepare(&sandbox, &clients);
        call.run(&clients, &target).map_err(|e| e.to_string())?;
        match sandbox.stats().tls_full_handshakes {
            0 => Err("no TLS handshake".into()),
            _ => Ok(()),
        }
    });
}

#[test]
fn a_certificate_from_an_unknown_ca_is_refused_before_anything_is_sent() {
    let unrelated = unrelated_ca_file();
    flows::each(CALLS.iter(), "a CA file of another CA", |call| {
        let sandbox = common::sandbox();
        let target = call.prepare(&sandbox, &Clients::of(&sandbox));
        let connection = Connection {
            ca_file: Some(unrelated.clone()),
            ..common::connection(sandbox.url())
        };
        refused_before_sending(&sandbox, call, &target, connection)
    });
}

#[test]
fn a_pooled_connection_is_never_lent_to_a_client_that_trusts_another_ca() {
    let unrelated = unrelated_ca_file();
    flows::each(
        flows::one_per_api().into_iter(),
        "pooled, then another CA",
        |call| {
            let sandbox = common::sandbox();
            let pooled = Connection {
                persistent: true,
                ..common::connection(sandbox.url())
            };
            let clients = Clients::new(&sandbox, pooled.clone());
            let target = call.prepare(&sandbox, &clients);
            // A connection verified with the sandbox's CA, left in the pool.
            call.run(&clients, &target).map_err(|e| e.to_string())?;
            let another_ca = Connection {
                ca_file: Some(unrelated.clone()),
                ..pooled
            };
            refused_before_sending(&sandbox, call, &target, another_ca)
        },
    );
}

#[test]
fn without_a_ca_file_the_built_in_roots_refuse_the_sandbox_before_anything_is_sent() {
    flows::each(CALLS.iter(), "no CA file", |call| {
        let sandbox = common::sandbox();
        let target = call.prepare(&sandbox, &Clients::of(&sandbox));
        let connection = Connection {
            ca_file: None,
            ..common::connection(sandbox.url())
        };
        refused_before_sending(&sandbox, call, &target, connection)
    });
}

#[test]
fn a_certificate_for_another_name_is_refused_before_anything_is_sent() {
    // A sandbox whose certificate names another host cannot serve what a
    // call acts on: one call per API that needs nothing made first.
    flows::each(flows::one_per_api().into_iter(), "another name", |call| {
        let sandbox = common::sandbox_with(SandboxOptions {
            tls: Tls::BadName,
            ..SandboxOptions::default()
        });
        let target = call.prepare(&sandbox, &Clients::of(&sandbox));
        // Its own CA, trusted: only the name is wrong.
        refused_before_sending(&sandbox, call, &target, common::connection(sandbox.url()))
    });
}
