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
        &["--verbose"][..],
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
    }
}
