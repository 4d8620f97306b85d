//! The `sequra-sandbox` binary, as scripts use it: the URL on the first
//! line of stdout, a log line per request on stderr, exit on stdin EOF.

mod common;

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};

const BINARY: &str = env!("CARGO_BIN_EXE_sequra-sandbox");

#[test]
fn binary_prints_its_url_logs_requests_and_exits_on_stdin_eof() {
    let mut child = Command::new(BINARY)
        .args(["--port", "0", "--password", "s3cret-pass"])
        .arg("--exit-on-stdin-eof")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut url = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut url)
        .unwrap();
    let url = url.trim_end();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");

    let refused = common::call("POST", &format!("{url}/orders"), None);
    assert_eq!(refused.status, 401, "the password is the one given");
    let accepted = common::raw(
        "POST",
        &format!("{url}/orders?x=1"),
        &[
            ("Authorization", "Basic ZGVtbzpzM2NyZXQtcGFzcw=="), // demo:s3cret-pass
            ("Content-Type", "application/json"),
        ],
        serde_json::json!({"order": common::order()})
            .to_string()
            .as_bytes(),
    );
    assert_eq!(accepted.status, 204, "{}", accepted.body);

    drop(child.stdin.take());
    let status = child.wait().unwrap();
    assert!(status.success(), "{status}");
    let mut log = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut log)
        .unwrap();
    assert_eq!(log, "POST /orders -> 401\nPOST /orders -> 204\n");
}

#[test]
fn binary_refuses_bad_arguments_with_status_2() {
    for args in [
        &["--port", "http"][..],
        &["--merchant"][..],
        &["--merchant", "--tls"][..],
        &["--verbose"][..],
        &["--ca-file", "/tmp/ca.pem"][..],
        &["--tls", "--tls-bad-name"][..],
    ] {
        let output = Command::new(BINARY)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .expect("the binary runs");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(output.stdout.is_empty());
        let message = String::from_utf8_lossy(&output.stderr);
        assert!(message.contains("usage: sequra-sandbox"), "{message}");
        assert!(message.starts_with("sequra-sandbox: "), "{message}");
    }
}

#[test]
fn help_describes_every_flag() {
    let output = Command::new(BINARY).arg("--help").output().unwrap();
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).unwrap();
    for flag in [
        "--port",
        "--merchant",
        "--username",
        "--password",
        "--tls ",
        "--tls-bad-name",
        "--ca-file",
        "--exit-on-stdin-eof",
        "/sandbox/faults",
        "/sandbox/stats",
    ] {
        assert!(help.contains(flag), "{flag}: {help}");
    }
}

/// Starts the binary with `args`; answers the child, its URL and (with
/// TLS) its CA file, from the first two lines of stdout.
fn start(args: &[&str]) -> (std::process::Child, String, String) {
    let mut child = Command::new(BINARY)
        .args(args)
        .arg("--exit-on-stdin-eof")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut url = String::new();
    stdout.read_line(&mut url).unwrap();
    let mut ca_file = String::new();
    if url.starts_with("https://") {
        stdout.read_line(&mut ca_file).unwrap();
    }
    (
        child,
        url.trim_end().to_string(),
        ca_file.trim_end().to_string(),
    )
}

#[test]
fn binary_with_tls_prints_the_url_then_the_ca_file_and_removes_it_at_exit() {
    let (mut child, url, ca_file) = start(&["--tls"]);
    assert!(url.starts_with("https://127.0.0.1:"), "{url}");
    let pem = std::fs::read_to_string(&ca_file).unwrap();
    let agent = common::agent_trusting(&pem, true);
    let answer = common::get_with(&agent, &format!("{url}/sandbox/tls")).unwrap();
    assert_eq!(answer.json()["ca_file"], ca_file.as_str());
    drop(child.stdin.take());
    assert!(child.wait().unwrap().success());
    assert!(!std::path::Path::new(&ca_file).exists(), "{ca_file}");
    let mut log = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut log)
        .unwrap();
    assert_eq!(log, "GET /sandbox/tls -> 200\n");
}

#[test]
fn binary_writes_the_ca_where_asked_and_serves_a_bad_name_on_request() {
    let chosen =
        std::env::temp_dir().join(format!("sequra-sandbox-bin-{}.pem", std::process::id()));
    let chosen_text = chosen.display().to_string();
    let (mut child, url, ca_file) = start(&["--tls-bad-name", "--ca-file", &chosen_text]);
    assert_eq!(ca_file, chosen_text);
    let pem = std::fs::read_to_string(&chosen).unwrap();
    let agent = common::agent_trusting(&pem, true);
    let err = common::get_with(&agent, &format!("{url}/sandbox/stats")).unwrap_err();
    assert!(err.to_string().contains("not valid for name"), "{err}");
    drop(child.stdin.take());
    assert!(child.wait().unwrap().success());
    assert!(chosen.exists(), "a file named by the caller stays");
    std::fs::remove_file(&chosen).unwrap();
}

#[test]
fn binary_logs_a_fault_as_a_fault() {
    let (mut child, url, _) = start(&[]);
    let queued = common::raw(
        "POST",
        &format!("{url}/sandbox/faults"),
        &[("Content-Type", "application/json")],
        br#"{"method": "GET", "path": "/x", "fault": "status", "status": 503, "when": "after"}"#,
    );
    assert_eq!(queued.status, 200, "{}", queued.body);
    assert_eq!(
        common::raw("GET", &format!("{url}/x?secret=1"), &[], b"").status,
        503
    );
    drop(child.stdin.take());
    assert!(child.wait().unwrap().success());
    let mut log = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut log)
        .unwrap();
    assert_eq!(
        log,
        "POST /sandbox/faults -> 200\nGET /x -> 503 (fault status after)\n"
    );
}
