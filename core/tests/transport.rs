//! The transport under faults, against small loopback servers: Retry-After
//! of every shape and the call's deadline, timeout options, TLS failures,
//! the environment's proxies and CAs, the proxy option, URLs with
//! credentials, huge bodies, the per-process pool (credentials, reuse,
//! fork, connections the server closed), name resolution and the log
//! records.
//!
//! Tests that change the process (its environment, fork) run in a child
//! process of this binary: `in_child` starts the `#[ignore]`d test of that
//! name with [`CHILD`] set.

#[allow(dead_code)]
mod common;
#[path = "common/servers.rs"]
mod servers;

use sequra::connection::{pool_stats, PoolStats};
use sequra::log::{Level, Sink};
use sequra::orders::{Client, Config, FormOptions};
use sequra::{ErrorKind, Secret};
use serde_json::{json, Map, Value};
use servers::{response, Ca, Reply, Seen, Server};
use std::io::Write;
use std::net::TcpListener;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const ORDER: &str = "00000000-0000-4000-8000-000000000000";
const PASSWORD: &str = "s3cr3t-pa55word";
/// Set in the environment of a child process started by [`in_child`].
const CHILD: &str = "SEQURA_TRANSPORT_CHILD";

fn config(url: &str, password: &str) -> Config {
    common::config(url, password)
}

fn client(server: &Server) -> Client {
    Client::new(config(&server.url(), PASSWORD)).unwrap()
}

/// A GET: `GET /orders/{uuid}/form_v2?...`, any 200 body.
fn get(client: &Client) -> sequra::error::Result<String> {
    client.orders().form(ORDER, &FormOptions::default())
}

/// A POST that is not idempotent: `POST /orders/{uuid}/form_deliveries`.
fn post(client: &Client) -> sequra::error::Result<()> {
    client.orders().send_form(ORDER, "pp3")
}

fn ok() -> Reply {
    Reply::Send(response(200, &[], b"<form>"))
}

fn status(code: u16, headers: &[(&str, &str)]) -> Reply {
    Reply::Send(response(code, headers, b"{\"errors\":[\"busy\"]}"))
}

/// Runs the ignored test `name` of this binary alone in a child process,
/// with `env` added, and fails if it fails.
fn in_child(name: &str, env: &[(&str, &str)]) {
    let output = Command::new(std::env::current_exe().unwrap())
        .args([
            name,
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD, "1")
        .envs(env.iter().copied())
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "{name} failed:\n{text}");
    assert!(text.contains("1 passed"), "{name} did not run:\n{text}");
}

fn is_child() -> bool {
    std::env::var_os(CHILD).is_some()
}

// --- Retry-After and the deadline -----------------------------------

#[test]
fn a_huge_retry_after_is_capped_and_returned_without_waiting() {
    for value in [
        "18446744073709551615",
        "99999999999999999999999999999",
        "Fri, 31 Dec 9999 23:59:59 GMT",
    ] {
        let server = Server::start(move |_, _| status(429, &[("retry-after", value)]));
        let started = Instant::now();
        let err = get(&client(&server)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::RateLimited, "{value}: {err}");
        assert_eq!(err.retry_after(), Some(24 * 60 * 60), "{value}");
        assert!(started.elapsed() < Duration::from_secs(1), "{value}");
        assert_eq!(server.requests().len(), 1, "{value}");
    }
}

#[test]
fn a_retry_after_that_is_not_a_number_falls_back_to_the_backoff() {
    for value in ["-5", "soon", "1e3", "Sunday, 06-Nov-94 08:49:37 GMT", ""] {
        let server = Server::start(move |_, _| status(429, &[("retry-after", value)]));
        let err = get(&client(&server)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::RateLimited, "{value:?}");
        assert_eq!(err.retry_after(), None, "{value:?}");
        assert_eq!(server.requests().len(), 3, "{value:?}: three tries");
    }
}

#[test]
fn a_fractional_retry_after_rounds_up_and_is_waited_when_it_fits() {
    let server = Server::start(|_, before| match before {
        0 => status(429, &[("retry-after", "0.4")]),
        _ => ok(),
    });
    let started = Instant::now();
    get(&client(&server)).unwrap();
    assert!(started.elapsed() >= Duration::from_secs(1));
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn a_retry_after_past_the_deadline_is_returned_not_slept() {
    let server = Server::start(|_, _| status(429, &[("retry-after", "3")]));
    let mut config = config(&server.url(), PASSWORD);
    config.connection.timeout = Duration::from_secs(2);
    let started = Instant::now();
    let err = get(&Client::new(config).unwrap()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    assert_eq!(err.retry_after(), Some(3));
    assert!(started.elapsed() < Duration::from_millis(500));
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn retries_happen_when_the_timeout_is_below_the_connect_timeout() {
    let server = Server::start(|_, before| match before {
        0 => status(503, &[]),
        _ => ok(),
    });
    let mut config = config(&server.url(), PASSWORD);
    config.connection.connect_timeout = Duration::from_secs(5);
    config.connection.timeout = Duration::from_secs(2);
    get(&Client::new(config).unwrap()).unwrap();
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn a_refused_connection_is_tried_again_even_for_a_post() {
    let mut config = config(&common::url_of_nothing(), PASSWORD);
    config.connection.timeout = Duration::from_secs(2);
    let sink = Records::new();
    config.connection.logger = Some(sink.clone());
    let err = post(&Client::new(config).unwrap()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport);
    assert!(!err.may_have_acted(), "{err}");
    assert_eq!(sink.at(Level::Warning).len(), 2, "two more tries");
}

/// A read the server answered 503, whose later tries find the server
/// gone, reached the server: the call says so and keeps the 503, never
/// "the request was not sent".
#[test]
fn a_read_that_reached_the_server_is_never_said_not_sent_when_a_retry_finds_it_gone() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let server = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        servers::read_head(&mut stream);
        let busy = response(503, &[("Connection", "close")], b"{\"errors\":[\"busy\"]}");
        stream.write_all(&busy).unwrap();
        // The listener closes with the thread: every later try is refused.
    });
    let mut config = config(&url, PASSWORD);
    config.connection.timeout = Duration::from_secs(3);
    let client = Client::new(config).unwrap();
    let err = get(&client).unwrap_err();
    server.join().unwrap();
    assert_eq!(err.kind(), ErrorKind::Server, "{err}");
    assert!(err.may_have_acted(), "{err}");
    assert!(!err.to_string().contains("not sent"), "{err}");
}

/// A chunked body that runs past the bound says where reading stopped,
/// never that it was not read.
#[test]
fn a_chunked_body_past_the_bound_says_where_reading_stopped() {
    let mut answer = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
    let chunk = vec![b'a'; 64 * 1024];
    for _ in 0..65 {
        answer.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        answer.extend_from_slice(&chunk);
        answer.extend_from_slice(b"\r\n");
    }
    answer.extend_from_slice(b"0\r\n\r\n");
    let server = Server::start(move |_, _| Reply::Send(answer.clone()));
    let err = get(&client(&server)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnexpectedResponse, "{err}");
    let message = err.to_string();
    assert!(
        message.contains("reading stopped at 4194304 bytes") && !message.contains("not read"),
        "{message}"
    );
}

// --- Timeout options -------------------------------------------------

#[test]
fn huge_timeouts_are_config_errors_naming_the_option() {
    for key in ["timeout", "connect_timeout"] {
        for value in [json!(1e300), json!(18446744073709551615u64), json!(-1)] {
            let options = json!({
                "endpoint": "sandbox", "merchant": "m", "username": "u", "password": "p",
                key: value
            });
            let err = Client::from_json(&options).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Config, "{key}={value}");
            let text = err.to_string();
            assert!(
                text.contains(&format!("option {key} ")) && text.contains("from 0.001 to 600"),
                "{text}"
            );
        }
    }
}

// --- TLS: a refused certificate means nothing was sent -----------------

/// Calls a TLS server whose certificate names `names`, trusting its CA
/// through `ca_file` or not, and checks the failure says nothing was sent.
fn assert_refused_before_sending(names: &[&str], trust_the_ca: bool, why: &str) {
    let ca = Ca::new();
    let server = Server::start_tls(ca.server_config(names), |_, _| ok());
    let mut config = config(&server.url(), PASSWORD);
    if trust_the_ca {
        config.connection.ca_file = Some(ca.file(&format!("refused-{}", server.port())));
    }
    let err = get(&Client::new(config).unwrap()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Tls, "{err}");
    assert!(!err.may_have_acted(), "{err}");
    let text = err.to_string();
    assert!(text.contains("not sent") && text.contains(why), "{text}");
    assert!(server.requests().is_empty());
}

#[test]
fn an_unknown_issuer_is_a_failure_before_anything_is_sent() {
    assert_refused_before_sending(&["localhost", "127.0.0.1"], false, "UnknownIssuer");
}

#[test]
fn a_certificate_for_another_name_is_a_failure_before_anything_is_sent() {
    assert_refused_before_sending(&["example.com"], true, "not valid for name");
}

#[test]
fn a_self_signed_ca_certificate_is_refused_with_what_to_make_instead() {
    // What `openssl req -x509` makes unless told otherwise: the server's
    // own certificate is a CA's (CA:TRUE). webpki refuses it; the message
    // says why and how to make one it takes, not to check the host name.
    let (refused, pem) = servers::self_signed(&["127.0.0.1"], true);
    let server = Server::start_tls(refused, |_, _| ok());
    let ca_file = |name: &str, pem: String| {
        let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("sequra-{}-{name}.pem", std::process::id()));
        std::fs::write(&path, pem).unwrap();
        Some(path)
    };
    let mut refusing = config(&server.url(), PASSWORD);
    refusing.connection.ca_file = ca_file("self-signed-ca", pem);
    let err = get(&Client::new(refusing).unwrap()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Tls, "{err}");
    assert!(!err.may_have_acted(), "{err}");
    let text = err.to_string();
    for says in ["not sent", "is a CA certificate", "CA:FALSE", "ca_file"] {
        assert!(text.contains(says), "{says}: {text}");
    }
    assert!(
        !text.contains("host name") && !text.contains("OtherError"),
        "{text}"
    );
    assert!(server.requests().is_empty());

    // The fix it gives works: the same, self-signed with CA:FALSE.
    let (taken, pem) = servers::self_signed(&["127.0.0.1"], false);
    let server = Server::start_tls(taken, |_, _| ok());
    let mut taking = config(&server.url(), PASSWORD);
    taking.connection.ca_file = ca_file("self-signed", pem);
    get(&Client::new(taking).unwrap()).unwrap();
}

#[test]
fn documents_of_megabytes_go_whole_both_ways_over_tls() {
    // A connection's buffers are a few dozen kilobytes: an order of
    // megabytes is written through them in many pieces, an answer of
    // megabytes read so, and both arrive whole.
    const BIG: usize = 3 * 1024 * 1024;
    let ca = Ca::new();
    let server = Server::start_tls(ca.server_config(&["127.0.0.1"]), |seen, _| {
        if seen.method == "POST" {
            let location = format!("/orders/{ORDER}");
            return Reply::Send(response(204, &[("location", &location)], b""));
        }
        let answer = serde_json::to_vec(&json!({"payment_options": [], "note": "n".repeat(BIG)}));
        Reply::Send(response(
            200,
            &[("content-type", "application/json")],
            &answer.unwrap(),
        ))
    });
    let mut config = config(&server.url(), PASSWORD);
    config.connection.ca_file = Some(ca.file("megabytes"));
    let client = Client::new(config).unwrap();
    let mut order = common::order();
    order["delivery_address"]["extra"] = json!("e".repeat(BIG));
    client.orders().start(&order).unwrap();
    let sent: Value = serde_json::from_slice(&server.requests()[0].body).unwrap();
    assert_eq!(sent["order"], order);
    let methods = client.orders().payment_methods(ORDER).unwrap();
    assert_eq!(methods.other["note"].as_str().map(str::len), Some(BIG));
}

#[test]
fn the_ca_file_is_trusted() {
    let ca = Ca::new();
    let server = Server::start_tls(ca.server_config(&["127.0.0.1"]), |_, _| ok());
    let mut config = config(&server.url(), PASSWORD);
    config.connection.ca_file = Some(ca.file("trusted"));
    assert_eq!(get(&Client::new(config).unwrap()).unwrap(), "<form>");
}

/// A forwarder to `port` that flips one byte of what the server sends on
/// its first connection, `at` bytes in (a flaky network, a meddling
/// middlebox); later connections pass as they are. Its port, and how many
/// bytes the server sent on that first connection.
fn damaging_forwarder(port: u16, at: usize) -> (u16, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let own = listener.local_addr().unwrap().port();
    let first = Arc::new(AtomicUsize::new(0));
    let counted = first.clone();
    std::thread::spawn(move || {
        for (n, client) in listener.incoming().enumerate() {
            let Ok(client) = client else { return };
            let server = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
            let (mut up_from, mut up_to) =
                (client.try_clone().unwrap(), server.try_clone().unwrap());
            std::thread::spawn(move || std::io::copy(&mut up_from, &mut up_to));
            let (mut down_from, mut down_to) = (server, client);
            let counted = counted.clone();
            std::thread::spawn(move || {
                let mut seen = 0;
                let mut buffer = [0u8; 4096];
                while let Ok(read @ 1..) = std::io::Read::read(&mut down_from, &mut buffer) {
                    if n == 0 && (seen..seen + read).contains(&at) {
                        buffer[at - seen] ^= 0x55;
                    }
                    seen += read;
                    if n == 0 {
                        counted.store(seen, Ordering::SeqCst);
                    }
                    if down_to.write_all(&buffer[..read]).is_err() {
                        return;
                    }
                }
                let _ = down_to.shutdown(std::net::Shutdown::Write);
            });
        }
    });
    (own, first)
}

#[test]
fn tls_data_damaged_on_the_way_is_the_connections_fault_and_a_read_goes_again() {
    let ca = Ca::new();
    let server = Server::start_tls(ca.server_config(&["127.0.0.1"]), |_, _| ok());
    let client_through = |port: u16, name: &str| {
        let mut config = config(&format!("https://127.0.0.1:{port}"), PASSWORD);
        config.connection.ca_file = Some(ca.file(name));
        Client::new(config).unwrap()
    };
    // How much a whole exchange sends, its answer last.
    let (port, sent) = damaging_forwarder(server.port(), usize::MAX);
    get(&client_through(port, "clean")).unwrap();
    let answer = sent.load(Ordering::SeqCst) - 5;
    // In the server's first flight (its certificate), then in the answer:
    // a read goes again on a new connection and succeeds.
    for (at, tries) in [(300, 1), (answer, 2)] {
        let (port, _) = damaging_forwarder(server.port(), at);
        let before = server.requests().len();
        assert_eq!(
            get(&client_through(port, &format!("damaged-{at}"))).unwrap(),
            "<form>"
        );
        assert_eq!(server.requests().len(), before + tries, "damaged at {at}");
    }
    // A POST whose answer arrives damaged is not sent again, and says so.
    let (port, _) = damaging_forwarder(server.port(), answer);
    let before = server.requests().len();
    let err = post(&client_through(port, "damaged-post")).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport, "{err}");
    assert!(err.may_have_acted(), "{err}");
    assert!(err.to_string().contains("data arrived damaged"), "{err}");
    assert_eq!(server.requests().len(), before + 1, "the POST went once");
}

// --- An answer without a length ends only cleanly ---------------------

/// A close-delimited answer (no Content-Length, not chunked) over TLS
/// whose connection ends without TLS's closing alert may be cut short: an
/// error, never a short form handed back as whole (RFC 9112, 9.8).
/// Answers that carry their length are whole however the connection
/// ends, and over plain HTTP a FIN is such an answer's end.
#[test]
fn an_answer_without_a_length_cut_without_tls_closing_alert_is_an_error() {
    let ca = Ca::new();
    let cut = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<form>half".to_vec();
    let tls_client = |server: &Server| {
        let mut config = config(&server.url(), PASSWORD);
        config.connection.ca_file = Some(ca.file("unclean-end"));
        Client::new(config).unwrap()
    };
    // The test server's TLS sends no close_notify when it closes.
    let server = Server::start_tls(ca.server_config(&["127.0.0.1"]), {
        let cut = cut.clone();
        move |_, _| Reply::SendThenClose(cut.clone())
    });
    let err = get(&tls_client(&server)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport, "{err}");
    assert!(err.to_string().contains("may be cut short"), "{err}");
    let err = post(&tls_client(&server)).unwrap_err();
    assert!(err.may_have_acted(), "{err}");
    // With its length, the same cut is a whole answer.
    let whole = Server::start_tls(ca.server_config(&["127.0.0.1"]), |_, _| {
        Reply::SendThenClose(response(200, &[("Connection", "close")], b"<form>"))
    });
    assert_eq!(get(&tls_client(&whole)).unwrap(), "<form>");
    // Plain HTTP: the server's FIN ends it.
    let plain = Server::start(move |_, _| Reply::SendThenClose(cut.clone()));
    assert_eq!(get(&client(&plain)).unwrap(), "<form>half");
}

/// A refusal whose body is cut short is still the refusal its status
/// says (a 409 a conflict, a 404 not found): the status line came whole,
/// and only the server's reasons are lost, which the error says.
#[test]
fn a_refusal_whose_body_is_cut_short_keeps_its_statuss_kind() {
    let ca = Ca::new();
    let cut = |status: &str| {
        format!("HTTP/1.1 {status}\r\nContent-Type: application/json\r\n\r\n{{\"errors\": [\"cart")
            .into_bytes()
    };
    let server = Server::start_tls(ca.server_config(&["127.0.0.1"]), move |_, before| {
        Reply::SendThenClose(cut(if before == 0 {
            "409 Conflict"
        } else {
            "404 Not Found"
        }))
    });
    let mut config = config(&server.url(), PASSWORD);
    config.connection.ca_file = Some(ca.file("cut-refusal"));
    let tls = Client::new(config).unwrap();
    let err = post(&tls).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict, "{err}");
    assert!(!err.may_have_acted(), "{err}");
    assert!(err.to_string().contains("could not be read whole"), "{err}");
    let err = get(&tls).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");
    // Over plain HTTP, a Content-Length the connection ends before.
    let server = Server::start(|_, _| {
        Reply::SendThenClose(
            b"HTTP/1.1 409 Conflict\r\nContent-Length: 100\r\n\r\n{\"errors\"".to_vec(),
        )
    });
    let err = post(&client(&server)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict, "{err}");
    assert_eq!(server.requests().len(), 1);
    // The headers describe the server's bytes, not the words said in
    // their place: a gzip body cut short is one that was not read whole.
    let server = Server::start(|_, _| {
        Reply::SendThenClose(
            b"HTTP/1.1 409 Conflict\r\nContent-Encoding: gzip\r\nContent-Length: 100\r\n\r\n\x1f\x8b\x08".to_vec(),
        )
    });
    let err = post(&client(&server)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict, "{err}");
    let text = err.to_string();
    assert!(
        text.contains("could not be read whole") && !text.contains("content coding"),
        "{text}"
    );
}

/// A server that sends `cut` and closes, then answers [`ok`].
fn cut_then_ok(cut: Vec<u8>) -> Server {
    Server::start(move |_, before| {
        if before == 0 {
            Reply::SendThenClose(cut.clone())
        } else {
            ok()
        }
    })
}

/// A 503 cut short is the 503 it is: a read goes again and gets its
/// answer, a POST is not sent again and says the server failed.
#[test]
fn a_503_whose_body_is_cut_short_is_retried_as_a_503_is() {
    let cut =
        b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 100\r\n\r\n{\"errors\"".to_vec();
    let server = cut_then_ok(cut.clone());
    assert_eq!(get(&client(&server)).unwrap(), "<form>");
    assert_eq!(server.requests().len(), 2, "the 503's read, then again");
    let server = Server::start(move |_, _| Reply::SendThenClose(cut.clone()));
    let err = post(&client(&server)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Server, "{err}");
    assert!(err.may_have_acted(), "{err}");
    assert!(err.to_string().contains("could not be read whole"), "{err}");
    assert_eq!(server.requests().len(), 1, "the POST went once");
}

/// A chunked answer whose connection ends inside a chunk's size line is
/// cut short as much as one that ends inside its data: a read is sent
/// again (ureq calls that end "body stalled"; nothing stalled), and the
/// message says what happened, as for a size line that never ends.
#[test]
fn a_chunked_answer_cut_inside_a_size_line_is_a_cut_answer_a_read_tries_again() {
    let cut = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\n<form>\r\n1".to_vec();
    let server = cut_then_ok(cut);
    assert_eq!(get(&client(&server)).unwrap(), "<form>");
    assert_eq!(server.requests().len(), 2);
    // Sent once, a POST that acts says so, and what ended.
    let cut = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n1".to_vec();
    let server = Server::start(move |_, _| Reply::SendThenClose(cut.clone()));
    let err = post(&client(&server)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport, "{err}");
    assert!(err.may_have_acted(), "{err}");
    assert!(
        err.to_string()
            .contains("the body broke off inside its chunks' framing"),
        "{err}"
    );
    assert_eq!(server.requests().len(), 1);
    // The same for the line end after a chunk's data.
    let cut = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r".to_vec();
    let server = Server::start(move |_, _| Reply::SendThenClose(cut.clone()));
    let err = post(&client(&server)).unwrap_err();
    assert!(
        err.to_string()
            .contains("the body broke off inside its chunks' framing"),
        "{err}"
    );
    // A size line longer than the input buffer, on a connection kept
    // open: the same, at once, not at the timeout.
    let mut endless = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6;".to_vec();
    endless.resize(endless.len() + 40 * 1024, b'a');
    let server = Server::start(move |_, _| Reply::Send(endless.clone()));
    let started = Instant::now();
    let err = post(&client(&server)).unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5), "{err}");
    assert!(
        err.to_string()
            .contains("the body broke off inside its chunks' framing"),
        "{err}"
    );
    assert_eq!(server.requests().len(), 1);
}

// --- An answer framed two ways ---------------------------------------

/// An answer with both `Content-Length` and `Transfer-Encoding` may be an
/// attempt to smuggle a response into the connection (RFC 9112, 6.1: "ought
/// to be handled as an error"): it is refused unread, and its connection
/// is not used again, so what follows the chunked body on it is never
/// taken for the next call's answer. A refusal keeps its status's kind.
#[test]
fn an_answer_with_both_content_length_and_transfer_encoding_is_refused_and_its_connection_dropped()
{
    let smuggled = response(200, &[], b"<form>smuggled");
    let mut framed_twice =
        b"HTTP/1.1 200 OK\r\ncontent-length: 17\r\ntransfer-encoding: chunked\r\n\r\n6\r\n<form>\r\n0\r\n\r\n"
            .to_vec();
    framed_twice.extend_from_slice(&smuggled);
    let server = Server::start(move |_, before| match before {
        0 => Reply::Send(framed_twice.clone()),
        1 => Reply::Send(response(404, &[("transfer-encoding", "chunked")], b"")),
        _ => ok(),
    });
    let client = client(&server);
    let err = get(&client).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnexpectedResponse, "{err}");
    assert!(
        err.to_string()
            .contains("both Content-Length and Transfer-Encoding"),
        "{err}"
    );
    let err = get(&client).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");
    assert_eq!(get(&client).unwrap(), "<form>");
    let connections: Vec<usize> = server.requests().iter().map(|r| r.connection).collect();
    assert_eq!(connections, [0, 1, 2]);
}

/// HTTP/1.0 has no transfer codings: ureq reads such an answer to its
/// connection's end, which would return the chunks' framing as the body
/// (or wait for the timeout on a connection kept open), and over TLS let a
/// cut body through. It is refused unread, its connection dropped; a
/// refusal keeps its status's kind.
#[test]
fn an_http_1_0_answer_with_a_transfer_encoding_is_refused_and_its_connection_dropped() {
    let chunked_1_0 = |status: &str, keep_alive: bool, body: &str| {
        let connection = if keep_alive {
            "connection: keep-alive\r\n"
        } else {
            ""
        };
        format!("HTTP/1.0 {status}\r\ntransfer-encoding: chunked\r\n{connection}\r\n{body}")
            .into_bytes()
    };
    let whole = "6\r\n<form>\r\n0\r\n\r\n";
    let server = Server::start(move |_, before| match before {
        0 => Reply::SendThenClose(chunked_1_0("200 OK", false, whole)),
        1 => Reply::Send(chunked_1_0("200 OK", true, whole)),
        2 => Reply::Send(chunked_1_0("404 Not Found", true, "2\r\n{}\r\n0\r\n\r\n")),
        _ => ok(),
    });
    let mut impatient = config(&server.url(), PASSWORD);
    impatient.connection.timeout = Duration::from_secs(5);
    let client = Client::new(impatient).unwrap();
    for _ in 0..2 {
        let started = Instant::now();
        let err = get(&client).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UnexpectedResponse, "{err}");
        assert!(
            err.to_string()
                .contains("a chunked Transfer-Encoding in HTTP/1.0"),
            "{err}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "no wait for the end"
        );
    }
    let err = get(&client).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");
    assert_eq!(get(&client).unwrap(), "<form>");
    let connections: Vec<usize> = server.requests().iter().map(|r| r.connection).collect();
    assert_eq!(connections, [0, 1, 2, 3]);
    // `identity`, which older servers send, is no framing: such an answer
    // ends with its connection; a 204 has no body to misframe.
    let plain = Server::start(|_, before| match before {
        0 => Reply::SendThenClose(
            b"HTTP/1.0 200 OK\r\ntransfer-encoding: identity\r\n\r\n<form>".to_vec(),
        ),
        _ => Reply::Send(
            b"HTTP/1.0 204 No Content\r\ntransfer-encoding: chunked\r\ncontent-length: 5\r\n\r\n"
                .to_vec(),
        ),
    });
    let fresh = Client::new(config(&plain.url(), PASSWORD)).unwrap();
    assert_eq!(get(&fresh).unwrap(), "<form>");
    post(&fresh).unwrap();
    // Over TLS, a cut one is not taken for a whole body either.
    let ca = Ca::new();
    let cut = Server::start_tls(ca.server_config(&["127.0.0.1"]), move |_, _| {
        Reply::SendThenClose(chunked_1_0("200 OK", false, "6\r\n<fo"))
    });
    let mut tls = config(&cut.url(), PASSWORD);
    tls.connection.ca_file = Some(ca.file("chunked-1-0"));
    let err = get(&Client::new(tls).unwrap()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnexpectedResponse, "{err}");
}

/// An answer in a transfer coding other than chunked (which no request
/// asks for, RFC 9112, 6.1) is refused unread, naming the coding: ureq
/// would pass its coded bytes on as the body. A coding's name is quoted
/// only when it is a short token. A refusal keeps its status's kind.
#[test]
fn an_answer_in_a_transfer_coding_the_request_did_not_accept_is_refused_naming_it() {
    let coded = |coding: &str| {
        format!("HTTP/1.1 200 OK\r\ntransfer-encoding: {coding}\r\n\r\n6\r\n<form>\r\n0\r\n\r\n")
            .into_bytes()
    };
    let long = "x".repeat(2000);
    let not_found = b"HTTP/1.1 404 Not Found\r\ntransfer-encoding: deflate, chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n";
    let replies = [
        coded("gzip, chunked"),
        coded(&format!("{long}, chunked")),
        not_found.to_vec(),
        coded("identity, chunked"),
    ];
    let server = Server::start(move |_, before| match replies.get(before) {
        Some(reply) => Reply::Send(reply.clone()),
        None => ok(),
    });
    let client = client(&server);
    let err = get(&client).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnexpectedResponse, "{err}");
    assert!(
        err.to_string()
            .contains("the body is in the transfer coding gzip (Transfer-Encoding), which the request did not accept"),
        "{err}"
    );
    let err = get(&client).unwrap_err().to_string();
    assert!(
        err.contains("a transfer coding other than chunked"),
        "{err}"
    );
    assert!(!err.contains("xxxx"), "{err}");
    let err = get(&client).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");
    assert_eq!(get(&client).unwrap(), "<form>");
    assert_eq!(get(&client).unwrap(), "<form>");
}

// --- The environment's proxies and CAs change nothing -----------------

#[test]
fn proxy_and_ca_variables_in_the_environment_change_nothing() {
    let proxy = TcpListener::bind("127.0.0.1:0").unwrap();
    let proxy_url = format!("http://127.0.0.1:{}", proxy.local_addr().unwrap().port());
    proxy.set_nonblocking(true).unwrap();
    let ca = Ca::new();
    let ca_file = ca.file("environment");
    let ca_file = ca_file.to_str().unwrap();
    let ca_dir = std::env::temp_dir();
    let mut env = vec![
        ("SSL_CERT_FILE", ca_file),
        ("SSL_CERT_DIR", ca_dir.to_str().unwrap()),
    ];
    for name in [
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ] {
        env.push((name, &proxy_url));
    }
    env.push(("TRANSPORT_TEST_CA_KEY", &ca.key_pem));
    in_child("child_ignores_the_environment", &env);
    assert!(proxy.accept().is_err(), "the proxy was called");
}

#[test]
#[ignore = "run in a child process by proxy_and_ca_variables_in_the_environment_change_nothing"]
fn child_ignores_the_environment() {
    if !is_child() {
        return;
    }
    // Plain http to loopback: what HTTP_PROXY reroutes (httpoxy).
    let plain = Server::start(|_, _| ok());
    get(&client(&plain)).unwrap();
    // https to a server signed by the CA of SSL_CERT_FILE: that file is
    // trusted through the option, and not through the environment.
    let ca = Ca::of_key(&std::env::var("TRANSPORT_TEST_CA_KEY").unwrap());
    let tls = Server::start_tls(ca.server_config(&["127.0.0.1"]), |_, _| ok());
    let mut config = config(&tls.url(), PASSWORD);
    config.connection.ca_file = Some(std::env::var("SSL_CERT_FILE").unwrap().into());
    get(&Client::new(config).unwrap()).unwrap();
    let err = get(&client(&tls)).unwrap_err();
    assert!(err.to_string().contains("UnknownIssuer"), "{err}");
    assert_eq!(plain.connections() + tls.connections(), 3);
}

// --- The proxy option -----------------------------------------------

/// A CONNECT proxy that records what it was asked and either refuses or
/// tunnels to the target.
fn proxy(tunnel: bool) -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let heads = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&heads);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut client) = stream else { continue };
            let head = servers::read_head(&mut client);
            seen.lock().unwrap().push(head.clone());
            if !tunnel {
                let _ = client.write_all(b"HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n");
                continue;
            }
            let target = head
                .split_whitespace()
                .nth(1)
                .unwrap_or_default()
                .to_string();
            let Ok(mut server) = std::net::TcpStream::connect(target) else {
                continue;
            };
            let _ = client.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n");
            let (mut client_in, mut server_out) =
                (client.try_clone().unwrap(), server.try_clone().unwrap());
            std::thread::spawn(move || std::io::copy(&mut client_in, &mut server_out));
            std::thread::spawn(move || std::io::copy(&mut server, &mut client));
        }
    });
    (port, heads)
}

#[test]
fn the_proxy_option_tunnels_https_and_sends_its_credentials_to_the_proxy_only() {
    let ca = Ca::new();
    let server = Server::start_tls(ca.server_config(&["127.0.0.1"]), |_, _| ok());
    let (port, heads) = proxy(true);
    let mut config = config(&server.url(), PASSWORD);
    config.connection.ca_file = Some(ca.file("proxied"));
    config.connection.proxy = Some(Secret::new(format!(
        "http://puser:hunter2@127.0.0.1:{port}"
    )));
    get(&Client::new(config).unwrap()).unwrap();
    let heads = heads.lock().unwrap();
    assert_eq!(heads.len(), 1);
    assert!(
        heads[0].starts_with(&format!("CONNECT 127.0.0.1:{} ", server.port())),
        "{}",
        heads[0]
    );
    assert!(heads[0]
        .to_ascii_lowercase()
        .contains("proxy-authorization: basic"));
    assert!(!server.requests()[0]
        .head
        .to_ascii_lowercase()
        .contains("proxy-"));
}

#[test]
fn a_refusing_proxy_is_a_failure_before_anything_is_sent_and_its_password_is_never_echoed() {
    let (port, heads) = proxy(false);
    let mut config = config("https://127.0.0.1:9", PASSWORD);
    config.connection.proxy = Some(Secret::new(format!(
        "http://puser:hunter2@127.0.0.1:{port}"
    )));
    let err = get(&Client::new(config).unwrap()).unwrap_err();
    assert!(!err.may_have_acted(), "{err}");
    assert!(!format!("{err} {err:?}").contains("hunter2"));
    assert!(err.to_string().contains("check the proxy option"), "{err}");
    assert!(heads.lock().unwrap()[0].starts_with("CONNECT 127.0.0.1:9 "));
}

#[test]
fn refusals_keep_their_reasons_in_the_shapes_sequras_rails_apis_answer_in() {
    for (status, body, kind, reasons) in [
        (
            409,
            &br#"{"errors": {"cart": ["changed"], "order_ref_1": "taken"}}"#[..],
            ErrorKind::Conflict,
            &["cart changed", "order_ref_1 taken"][..],
        ),
        (
            409,
            br#"{"error": "bad state"}"#,
            ErrorKind::Conflict,
            &["bad state"],
        ),
        (
            422,
            br#"{"message": "no"}"#,
            ErrorKind::Unprocessable,
            &["no"],
        ),
        // A 400 is a request refused as sent, whatever its body says.
        (400, b"Bad Request", ErrorKind::Unprocessable, &[]),
    ] {
        let server = Server::start(move |_, _| {
            Reply::Send(response(
                status,
                &[("content-type", "application/json")],
                body,
            ))
        });
        let err = post(&client(&server)).unwrap_err();
        assert_eq!(err.kind(), kind, "{err}");
        assert_eq!(err.remote_errors(), reasons, "{err}");
    }
}

#[test]
fn a_proxy_that_trickles_its_answer_ends_the_call_at_its_timeout() {
    // ureq reads a CONNECT answer in a loop, each read with the whole
    // connect budget again: without the call's deadline on every read,
    // a byte each 0.2 s kept the call for many times its timeout.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut client) = stream else { continue };
            servers::read_head(&mut client);
            std::thread::spawn(move || {
                for byte in b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n" {
                    std::thread::sleep(Duration::from_millis(200));
                    if client.write_all(&[*byte]).is_err() {
                        return;
                    }
                }
            });
        }
    });
    let mut config = config("https://127.0.0.1:9", PASSWORD);
    config.connection.proxy = Some(Secret::new(format!("http://127.0.0.1:{port}")));
    config.connection.timeout = Duration::from_secs(1);
    config.connection.connect_timeout = Duration::from_secs(1);
    let started = Instant::now();
    let err = get(&Client::new(config).unwrap()).unwrap_err();
    assert!(!err.may_have_acted(), "{err}");
    // The answer takes over 9 s; the call ends at its 1 s (slack for a slow
    // machine, far below the answer's time).
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}: {err}",
        started.elapsed()
    );
}

#[test]
fn a_proxy_that_cannot_be_reached_is_named_as_the_proxy_not_the_endpoint() {
    let closed = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let mut config = config("https://127.0.0.1:9", PASSWORD);
    config.connection.proxy = Some(Secret::new(format!(
        "http://puser:hunter2@127.0.0.1:{port}"
    )));
    let err = get(&Client::new(config).unwrap()).unwrap_err();
    assert!(!err.may_have_acted(), "{err}");
    let text = format!("{err} {err:?}");
    assert!(text.contains("check the proxy option"), "{text}");
    assert!(
        !text.contains("endpoint is right") && !text.contains("hunter2"),
        "{text}"
    );
}

#[test]
fn a_proxy_is_refused_for_plain_http_and_for_what_is_not_a_connect_proxy() {
    let cases = [
        (
            "http://127.0.0.1:1",
            "http://u:hunter2@127.0.0.1:3128",
            "https endpoints only",
        ),
        (
            "https://127.0.0.1:1",
            "socks5://u:hunter2@127.0.0.1:1080",
            "http:// or https://",
        ),
        (
            "https://127.0.0.1:1",
            "u:hunter2@127.0.0.1:3128",
            "http:// or https://",
        ),
        (
            "https://127.0.0.1:1",
            "http://u:hunter2@[bad",
            "not a valid URL",
        ),
    ];
    for (endpoint, proxy, why) in cases {
        let mut config = config(endpoint, PASSWORD);
        config.connection.proxy = Some(Secret::new(proxy));
        let err = Client::new(config).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Config, "{proxy}");
        let text = err.to_string();
        assert!(
            text.contains(why) && !text.contains("hunter2"),
            "{proxy}: {text}"
        );
    }
    let options = json!({
        "endpoint": "https://127.0.0.1:1", "merchant": "m", "username": "u", "password": "p",
        "proxy": "http://127.0.0.1:3128"
    });
    Client::from_json(&options).unwrap();
}

// --- Empty bodies ------------------------------------------------------

#[test]
fn a_post_without_a_body_says_content_length_0_and_is_not_chunked() {
    let server = Server::start(|_, _| Reply::Send(response(500, &[], b"{}")));
    let mut config = sequra::checkout_com::Config::with_secret_key(
        "sk_sbox_m3hqlzaqr4pvk25jzz2hyrtq6ah",
        "sandboxx",
    );
    config.endpoint = Some(server.url());
    let client = sequra::checkout_com::Client::new(config).unwrap();
    let _ = client
        .payment_setups()
        .confirm("set_aaaaaaaaaaaaaaaaaaaaaaaaaa", Some("k-1"));
    let head = server.requests()[0].head.to_ascii_lowercase();
    assert!(head.starts_with("post /payments/setups/"), "{head}");
    assert!(head.contains("\r\ncontent-length: 0\r\n"), "{head}");
    assert!(!head.contains("transfer-encoding"), "{head}");
}

// --- The User-Agent ----------------------------------------------------

#[test]
fn the_user_agent_is_sent_once_with_the_callers_suffix() {
    let server = Server::start(|_, _| ok());
    let mut config = config(&server.url(), PASSWORD);
    config.connection.user_agent = Some("woocommerce-sequra/3.1 PHP/8.2".into());
    get(&Client::new(config).unwrap()).unwrap();
    let head = server.requests()[0].head.to_ascii_lowercase();
    let agents: Vec<&str> = head
        .lines()
        .filter(|line| line.starts_with("user-agent:"))
        .collect();
    assert_eq!(agents.len(), 1, "{head}");
    assert!(agents[0].starts_with("user-agent: sequra/"), "{head}");
    assert!(
        agents[0].ends_with(" woocommerce-sequra/3.1 php/8.2"),
        "{head}"
    );
    assert_eq!(
        head.matches("accept-encoding: identity").count(),
        1,
        "{head}"
    );
}

// --- Credentials in URLs ---------------------------------------------

#[test]
fn an_endpoint_with_credentials_is_refused_without_echoing_them() {
    for url in [
        "https://user:hunter2@example.com",
        "http://user:hunter2@sandbox.sequrapi.com",
        "https://user:hunter2@exa mple.com/orders",
        "https://user:hunter2@example.com:99999999",
    ] {
        let err = Client::new(config(url, PASSWORD)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Config, "{url}");
        let text = format!("{err} {err:?} {}", err.details());
        assert!(!text.contains("hunter2"), "{url}: {text}");
    }
}

// --- Bodies bigger than any answer -------------------------------------

#[test]
fn a_huge_body_is_refused_unread_and_a_refusal_keeps_its_status_kind() {
    const HUGE: usize = 50 * 1024 * 1024;
    let announced = format!("HTTP/1.1 200 OK\r\ncontent-length: {HUGE}\r\n\r\n");
    let unannounced = "HTTP/1.1 200 OK\r\nconnection: close\r\n\r\n".to_string();
    let not_found = format!("HTTP/1.1 404 Not Found\r\ncontent-length: {HUGE}\r\n\r\n");
    let conflict = "HTTP/1.1 409 Conflict\r\nconnection: close\r\n\r\n".to_string();
    for (head, kind, may_have_acted) in [
        (announced, ErrorKind::UnexpectedResponse, true),
        (unannounced, ErrorKind::UnexpectedResponse, true),
        (not_found, ErrorKind::NotFound, false),
        (conflict, ErrorKind::Conflict, false),
    ] {
        let reply = head.clone();
        let server = Server::start(move |_, _| Reply::Flood {
            head: reply.clone().into_bytes(),
            body: HUGE,
        });
        let err = get(&client(&server)).unwrap_err();
        assert_eq!(err.kind(), kind, "{head}: {err}");
        assert_eq!(err.may_have_acted(), may_have_acted, "{head}");
        assert!(err.to_string().contains("larger than"), "{err}");
        std::thread::sleep(Duration::from_millis(200));
        assert!(
            server.flooded() < 16 * 1024 * 1024,
            "{head}: {}",
            server.flooded()
        );
    }
}

#[test]
fn an_answers_head_is_read_up_to_24_kib_and_refused_past_it() {
    // A connection keeps small buffers (a marketplace pools dozens), which
    // must still hold a whole head of a size real servers send.
    let padded = |bytes: usize| {
        let padding = "p".repeat(bytes);
        Reply::Send(response(200, &[("X-Padding", padding.as_str())], b"<form>"))
    };
    // The head around the padding: status line, content-length, the
    // padding's name, the line ends.
    let around = response(200, &[("X-Padding", "")], b"").len();
    let exactly = 24 * 1024 - around;
    for bytes in [20 * 1024, exactly] {
        let server = Server::start(move |_, _| padded(bytes));
        assert_eq!(get(&client(&server)).unwrap(), "<form>", "{bytes}");
    }
    for bytes in [exactly + 1, 30 * 1024, 10 * 1024 * 1024] {
        let server = Server::start(move |_, _| padded(bytes));
        let err = get(&client(&server)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Transport, "{bytes}: {err}");
        assert!(err.to_string().contains("too big"), "{bytes}: {err}");
    }
}

#[test]
fn a_body_in_a_content_coding_nobody_asked_for_is_named_not_quoted() {
    // gzip's magic, then bytes that are no text.
    let gzip: &[u8] = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xab\xae\x05\x00";
    for (status, kind) in [
        (200, ErrorKind::UnexpectedResponse),
        (500, ErrorKind::Server),
    ] {
        let answer = response(
            status,
            &[
                ("Content-Type", "application/json"),
                ("Content-Encoding", "gzip"),
            ],
            gzip,
        );
        let server = Server::start(move |_, _| Reply::Send(answer.clone()));
        let err = client(&server).orders().payment_methods(ORDER).unwrap_err();
        assert_eq!(err.kind(), kind, "{err}");
        let message = err.to_string();
        assert!(
            message.contains("14 bytes in the content coding gzip (Content-Encoding)"),
            "{message}"
        );
        assert!(!message.contains('\u{FFFD}'), "no bytes quoted: {message}");
    }
    // The form is text: a coded one is refused even when its bytes happen
    // to be UTF-8, not returned as the form, whichever line names it; an
    // empty item or `identity` is no coding.
    for (headers, coded) in [
        (&[("Content-Encoding", "deflate")][..], true),
        (
            &[
                ("Content-Encoding", "identity"),
                ("Content-Encoding", "gzip"),
            ],
            true,
        ),
        (&[("Content-Encoding", "identity, ")], false),
        (&[("Content-Encoding", "")], false),
    ] {
        let answer = response(200, headers, b"<form>");
        let server = Server::start(move |_, _| Reply::Send(answer.clone()));
        let got = get(&client(&server));
        if !coded {
            assert_eq!(got.unwrap(), "<form>", "{headers:?}");
            continue;
        }
        let err = got.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UnexpectedResponse, "{err}");
        assert!(
            err.to_string()
                .contains("the body is 6 bytes in the content coding "),
            "{err}"
        );
    }
}

#[test]
fn an_html_page_is_named_by_its_title_and_a_reason_ends_no_sentence_early() {
    let page: &[u8] = b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
    let answer = response(502, &[("Content-Type", "text/html")], page);
    let server = Server::start(move |_, _| Reply::Send(answer.clone()));
    let message = post(&client(&server)).unwrap_err().to_string();
    assert!(
        message
            .contains("answered 502: an HTML page titled \"502 Bad Gateway\"; the server failed"),
        "{message}"
    );
    assert!(!message.contains("<"), "no markup: {message}");

    let answer = response(
        401,
        &[("Content-Type", "text/plain")],
        b"HTTP Basic: Access denied.\n",
    );
    let server = Server::start(move |_, _| Reply::Send(answer.clone()));
    let message = get(&client(&server)).unwrap_err().to_string();
    assert!(
        message.contains("answered 401: HTTP Basic: Access denied; check the credentials"),
        "{message}"
    );
}

// --- The per-process pool -----------------------------------------------

fn persistent(server: &Server, password: &str) -> Client {
    let mut config = config(&server.url(), password);
    config.connection.persistent = true;
    Client::new(config).unwrap()
}

#[test]
fn two_passwords_never_share_a_connection() {
    let server = Server::start(|_, _| ok());
    let first = persistent(&server, "password-one");
    let second = persistent(&server, "password-two");
    get(&first).unwrap();
    get(&second).unwrap();
    get(&first).unwrap();
    get(&second).unwrap();
    assert_eq!(server.connections(), 2);
    let by_connection = |c| {
        server
            .requests()
            .iter()
            .filter(|r: &&Seen| r.connection == c)
            .map(|r| r.head.clone())
            .collect::<std::collections::HashSet<_>>()
            .len()
    };
    assert_eq!(by_connection(0), 1, "one Authorization per connection");
    assert_eq!(by_connection(1), 1);
}

#[test]
fn a_marketplaces_merchant_keeps_its_connection_while_dozens_of_others_are_served() {
    // One worker serving many merchants in turn: each has a pooled agent
    // (the pool is keyed by credentials), and a merchant served again
    // after 40 others finds its connection still there. Its 41 agents and
    // the few of this binary's other tests running at once stay within
    // the pool's 64.
    let server = Server::start(|_, _| ok());
    get(&persistent(&server, "merchant-0")).unwrap();
    for merchant in 1..=40 {
        get(&persistent(&server, &format!("merchant-{merchant}"))).unwrap();
    }
    get(&persistent(&server, "merchant-0")).unwrap();
    assert_eq!(server.connections(), 41, "merchant-0 reused its connection");
}

#[test]
fn a_persistent_client_reuses_the_connection_of_an_earlier_one() {
    let server = Server::start(|_, _| ok());
    get(&persistent(&server, PASSWORD)).unwrap();
    get(&persistent(&server, PASSWORD)).unwrap();
    assert_eq!(server.connections(), 1);
    let stats = pool_stats();
    assert!(stats.agents >= 1 && stats.connections >= 1, "{stats:?}");
    // Without the pool, each client opens its own.
    let server = Server::start(|_, _| ok());
    get(&client(&server)).unwrap();
    get(&client(&server)).unwrap();
    assert_eq!(server.connections(), 2);
}

#[test]
fn a_forked_child_opens_its_own_connections() {
    in_child("child_forks", &[]);
}

#[test]
#[ignore = "run in a child process by a_forked_child_opens_its_own_connections"]
fn child_forks() {
    if !is_child() {
        return;
    }
    let server = Server::start(|_, _| ok());
    let mut config = config(&server.url(), PASSWORD);
    config.connection.persistent = true;
    let client = Client::new(config.clone()).unwrap();
    get(&client).unwrap();
    assert_eq!(
        pool_stats(),
        PoolStats {
            agents: 1,
            connections: 1
        }
    );
    // SAFETY: the child only makes calls and _exits; this process runs
    // one test, so no other thread holds the library's locks.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0);
    if pid == 0 {
        let works = Client::new(config)
            .ok()
            .and_then(|fresh| get(&fresh).ok())
            .and_then(|_| get(&client).ok())
            .is_some_and(|_| {
                pool_stats()
                    == PoolStats {
                        agents: 1,
                        connections: 1,
                    }
            });
        // SAFETY: ends the child without running the parent's destructors.
        unsafe { libc::_exit(if works { 0 } else { 1 }) };
    }
    let mut status = 0;
    // SAFETY: waits for the child forked above.
    assert_eq!(unsafe { libc::waitpid(pid, &mut status, 0) }, pid);
    assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0);
    get(&client).unwrap();
    let per_connection = |c| {
        server
            .requests()
            .iter()
            .filter(|r| r.connection == c)
            .count()
    };
    assert_eq!(server.connections(), 2);
    assert_eq!(per_connection(0), 2, "the parent's, before and after");
    assert_eq!(per_connection(1), 2, "the child's two calls");
}

#[test]
fn a_connection_the_server_closed_while_idle_costs_the_caller_nothing() {
    for persistent_pool in [false, true] {
        let server = Server::start(|_, _| Reply::SendThenClose(response(200, &[], b"<form>")));
        let client = if persistent_pool {
            persistent(&server, PASSWORD)
        } else {
            client(&server)
        };
        // After each answer the server closes the connection; the client
        // finds it closed (a moment later) when it takes it from the pool.
        get(&client).unwrap();
        std::thread::sleep(Duration::from_millis(100));
        get(&client).unwrap();
        std::thread::sleep(Duration::from_millis(100));
        post(&client).unwrap();
        assert_eq!(server.connections(), 3);
        assert_eq!(server.requests().len(), 3, "nothing sent twice");
    }
}

#[test]
fn a_tls_connection_the_server_ended_with_close_notify_is_not_used_again() {
    // The close_notify comes with the answer, the TCP connection stays
    // open: rustls has read it, the socket's peek sees nothing. A POST on
    // that connection would be lost ("may have acted").
    let ca = Ca::new();
    let server = Server::start_tls(ca.server_config(&["127.0.0.1"]), |_, _| {
        Reply::SendThenCloseNotify(response(200, &[], b"<form>"))
    });
    let mut config = config(&server.url(), PASSWORD);
    config.connection.ca_file = Some(ca.file("notify"));
    let client = Client::new(config).unwrap();
    get(&client).unwrap();
    post(&client).unwrap();
    get(&client).unwrap();
    assert_eq!(server.connections(), 3);
    assert_eq!(server.requests().len(), 3, "nothing sent twice");
}

/// A server that answers every request but the second with `ok()`, and
/// that one with `reply`.
fn second_request_gets(reply: impl Fn() -> Reply + Send + Sync + 'static) -> Server {
    Server::start(move |_, before| if before == 1 { reply() } else { ok() })
}

/// The server answers the first request, then closes the connection when
/// the next one arrives, unanswered, as if it closed the idle connection
/// just as the request went out; later requests are answered.
fn closes_on_the_second_request() -> Server {
    second_request_gets(|| Reply::Close)
}

#[test]
fn a_get_on_a_connection_closed_under_it_is_sent_again_on_a_new_one() {
    the_second_get_goes_again_at_once_on_a_new_connection(&closes_on_the_second_request());
}

#[test]
fn a_post_that_may_have_reached_the_server_is_never_sent_again() {
    the_second_request_a_post_fails_sent_once(&closes_on_the_second_request());
}

/// A GET, then a GET on the same connection that `server` fails: it goes
/// again at once, on a new connection.
fn the_second_get_goes_again_at_once_on_a_new_connection(server: &Server) {
    let client = client(server);
    get(&client).unwrap();
    let started = Instant::now();
    get(&client).unwrap();
    assert!(started.elapsed() < Duration::from_millis(150), "no backoff");
    assert_eq!(server.connections(), 2);
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    assert_eq!(
        requests[1].target, requests[2].target,
        "the same request again"
    );
}

/// A GET, then a POST on the same connection that `server` fails: the
/// POST is sent once, and its error says the server may have acted.
fn the_second_request_a_post_fails_sent_once(server: &Server) {
    let client = client(server);
    get(&client).unwrap();
    let err = post(&client).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport);
    assert!(err.may_have_acted(), "{err}");
    assert!(err.to_string().contains("may have received"), "{err}");
    let posts = server
        .requests()
        .iter()
        .filter(|r| r.method == "POST")
        .count();
    assert_eq!(posts, 1);
    assert_eq!(server.connections(), 1);
    let sent: Value = serde_json::from_slice(&server.requests()[1].body).unwrap();
    assert_eq!(sent["product_code"], "pp3");
}

/// The server answers the first request, then answers the next one with
/// bytes that are no HTTP answer, as the rest of a late second answer to
/// the first would be; later requests are answered.
fn garbles_the_second_answer() -> Server {
    second_request_gets(|| Reply::Send(b"ly, a late second answer\r\n\r\n".to_vec()))
}

#[test]
fn a_get_answered_with_garbage_on_a_pooled_connection_is_sent_again_on_a_new_one() {
    the_second_get_goes_again_at_once_on_a_new_connection(&garbles_the_second_answer());
}

#[test]
fn a_post_answered_with_garbage_on_a_pooled_connection_is_not_sent_again() {
    the_second_request_a_post_fails_sent_once(&garbles_the_second_answer());
}

/// A server that times idle connections out as a request goes out on one:
/// it answers the second request of a connection 408 and closes it.
fn times_out_the_second_request() -> Server {
    second_request_gets(|| {
        Reply::SendThenClose(response(
            408,
            &[("Connection", "close")],
            b"Request Timeout",
        ))
    })
}

#[test]
fn a_408_on_a_pooled_connection_is_sent_again_on_a_new_one_whatever_the_method() {
    for (name, call) in [
        ("GET", get as fn(&Client) -> _),
        ("POST", |c: &Client| post(c).map(|()| String::new())),
    ] {
        let server = times_out_the_second_request();
        let client = client(&server);
        get(&client).unwrap();
        let started = Instant::now();
        call(&client).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            started.elapsed() < Duration::from_millis(150),
            "{name}: no backoff"
        );
        assert_eq!(server.connections(), 2, "{name}");
        assert_eq!(
            server.requests().len(),
            3,
            "{name}: the 408's request, then again"
        );
    }
    // On a new connection a 408 is the answer: reported, not sent again.
    let server =
        Server::start(|_, _| Reply::SendThenClose(response(408, &[("Connection", "close")], b"")));
    let err = post(&client(&server)).unwrap_err();
    assert_eq!(err.status(), Some(408), "{err}");
    assert!(!err.may_have_acted(), "{err}");
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn a_408_that_keeps_the_connection_open_is_not_a_reason_to_send_a_post_again() {
    // A server that answers 408 and keeps the connection was not timing
    // it out: it may have acted (it may even have acted first).
    let keeps_it = || {
        Server::start(|_, before| {
            if before == 1 {
                Reply::Send(response(408, &[], b"Request Timeout"))
            } else {
                ok()
            }
        })
    };
    let server = keeps_it();
    let c = client(&server);
    get(&c).unwrap();
    let err = post(&c).unwrap_err();
    assert_eq!(err.status(), Some(408), "{err}");
    assert!(err.may_have_acted(), "{err}");
    assert_eq!(server.requests().len(), 2, "the POST sent once");
    // A request safe to repeat goes again at once, as after any 408.
    let server = keeps_it();
    let c = client(&server);
    get(&c).unwrap();
    get(&c).unwrap();
    assert_eq!(server.requests().len(), 3);
}

#[test]
fn clients_without_the_pool_resume_the_tls_session_of_an_earlier_client() {
    // In a process of its own: TLS sessions are kept per process, by
    // server name, and other tests here call other servers on 127.0.0.1.
    in_child("child_resumes", &[]);
}

#[test]
#[ignore = "run in a child process by clients_without_the_pool_resume_the_tls_session_of_an_earlier_client"]
fn child_resumes() {
    if !is_child() {
        return;
    }
    let sandbox = common::sandbox();
    for _ in 0..3 {
        // A new client each time, as each PHP request makes under PHP-FPM.
        common::client(&sandbox)
            .merchant()
            .check_credentials()
            .unwrap();
    }
    let stats = sandbox.stats();
    assert_eq!(stats.connections, 3, "{stats:?}");
    assert_eq!(stats.tls_full_handshakes, 1, "{stats:?}");
    assert_eq!(stats.tls_resumed_handshakes, 2, "{stats:?}");
}

// --- The credentials check ----------------------------------------------

#[test]
fn the_credentials_check_wants_the_catalogue_json_but_reads_none_of_it() {
    let check = |headers: &'static [(&'static str, &'static str)], body: &'static [u8]| {
        let server = Server::start(move |_, _| Reply::Send(response(200, headers, body)));
        client(&server).merchant().check_credentials()
    };
    let json = &[("content-type", "application/json; charset=utf-8")];
    check(
        json,
        br#"{"payment_options":[{"methods":[{"title":"no product"}]}]}"#,
    )
    .unwrap();
    // A +json type is JSON (RFC 6839), as getMerchantPaymentMethods reads it.
    check(
        &[("content-type", "application/vnd.api+json")],
        br#"{"payment_options":[]}"#,
    )
    .unwrap();
    // So is a catalogue labelled otherwise, or not at all, as
    // getMerchantPaymentMethods reads it too.
    check(&[], br#"{"payment_options":[]}"#).unwrap();
    check(
        &[("content-type", "text/plain")],
        br#"{"payment_options":[]}"#,
    )
    .unwrap();
    for (headers, body, why) in [
        (
            &[("content-type", "text/html")][..],
            &b"<html>"[..],
            "not JSON",
        ),
        (json, &br#"{"options":[]}"#[..], "payment_options"),
        (json, &br#"{"payment_options":[]"#[..], "EOF"),
    ] {
        let err = check(headers, body).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UnexpectedResponse, "{err}");
        assert!(err.to_string().contains(why), "{why}: {err}");
    }
}

// --- Name resolution --------------------------------------------------

#[test]
fn localhost_and_ip_literals_need_no_lookup_and_work() {
    let server = Server::start(|_, _| ok());
    for host in ["127.0.0.1", "localhost", "LOCALHOST"] {
        let url = format!("http://{host}:{}", server.port());
        get(&Client::new(config(&url, PASSWORD)).unwrap()).unwrap();
    }
    assert_eq!(server.requests().len(), 3);
}

// --- Log records --------------------------------------------------------

type Record = (Level, String, Map<String, Value>);

/// A sink that keeps every record.
#[derive(Default)]
struct Records(Mutex<Vec<Record>>);

impl Records {
    fn new() -> Arc<Records> {
        Arc::new(Records::default())
    }

    fn all(&self) -> Vec<Record> {
        self.0.lock().unwrap().clone()
    }

    fn at(&self, level: Level) -> Vec<Record> {
        self.all().into_iter().filter(|r| r.0 == level).collect()
    }

    /// Every record as text, to search for what must never be there.
    fn text(&self) -> String {
        self.all()
            .iter()
            .map(|(level, message, context)| format!("{level:?} {message} {context:?}\n"))
            .collect()
    }
}

impl Sink for Records {
    fn log(&self, level: Level, message: &str, context: &Map<String, Value>) {
        self.0
            .lock()
            .unwrap()
            .push((level, message.to_string(), context.clone()));
    }
}

fn logged(server: &Server, sink: &Arc<Records>, bodies: bool) -> Client {
    let mut config = config(&server.url(), PASSWORD);
    config.connection.logger = Some(sink.clone());
    config.connection.log_bodies = bodies;
    Client::new(config).unwrap()
}

#[test]
fn each_exchange_is_one_debug_record_and_a_retry_a_warning() {
    let server = Server::start(|_, before| match before {
        0 => status(503, &[]),
        _ => ok(),
    });
    let sink = Records::new();
    get(&logged(&server, &sink, false)).unwrap();
    let debug = sink.at(Level::Debug);
    assert_eq!(debug.len(), 2, "{}", sink.text());
    let path = format!("/orders/{ORDER}/form_v2");
    for (record, (status, attempt)) in debug.iter().zip([(503, 1), (200, 2)]) {
        let context = &record.2;
        assert_eq!(context["method"], "GET");
        assert_eq!(context["path"], path.as_str(), "no query string");
        assert_eq!(context["status"], status);
        assert_eq!(context["attempt"], attempt);
        assert!(context["ms"].is_u64());
    }
    let warnings = sink.at(Level::Warning);
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].2["reason"], "server unavailable");
    assert_eq!(warnings[0].2["status"], 503);
    assert!(sink.at(Level::Error).is_empty());
    assert!(!sink.text().contains("product="), "{}", sink.text());
}

#[test]
fn a_retry_after_a_failed_try_names_its_kind() {
    // A GET whose first try meets a closed connection is tried again.
    let server = Server::start(|_, before| if before == 0 { Reply::Close } else { ok() });
    let sink = Records::new();
    get(&logged(&server, &sink, false)).unwrap();
    let warnings = sink.at(Level::Warning);
    assert_eq!(warnings.len(), 1, "{}", sink.text());
    assert_eq!(warnings[0].2["error"], "transport", "{}", sink.text());
}

/// An answer whose body could not be read still came: both records name
/// its status, beside the error's kind.
#[test]
fn an_answer_cut_short_is_recorded_with_its_status() {
    let cut = b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{".to_vec();
    let server = Server::start(move |_, _| Reply::SendThenClose(cut.clone()));
    let sink = Records::new();
    let err = post(&logged(&server, &sink, false)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport, "{err}");
    for level in [Level::Debug, Level::Error] {
        let records = sink.at(level);
        assert_eq!(records.len(), 1, "{}", sink.text());
        assert_eq!(records[0].2["status"], 200, "{}", sink.text());
    }
    assert_eq!(sink.at(Level::Debug)[0].2["error"], "transport");
}

#[test]
fn a_failed_call_is_an_error_record_with_its_kind() {
    let server =
        Server::start(|_, _| Reply::Send(response(409, &[], b"{\"errors\":[\"not pending\"]}")));
    let sink = Records::new();
    let err = post(&logged(&server, &sink, false)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    let errors = sink.at(Level::Error);
    assert_eq!(errors.len(), 1, "{}", sink.text());
    assert_eq!(errors[0].2["kind"], "conflict");
    assert_eq!(errors[0].2["may_have_acted"], false);
    assert_eq!(errors[0].2["status"], 409);
    // One shape for every error record, with or without an answer.
    let path = format!("/orders/{ORDER}/form_deliveries");
    assert_eq!(errors[0].2["method"], "POST");
    assert_eq!(errors[0].2["path"], path.as_str());

    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let sink = Records::new();
    let mut config = config(&format!("http://127.0.0.1:{port}"), PASSWORD);
    config.connection.logger = Some(sink.clone());
    config.connection.timeout = Duration::from_millis(300);
    post(&Client::new(config).unwrap()).unwrap_err();
    let errors = sink.at(Level::Error);
    assert_eq!(errors.len(), 1, "{}", sink.text());
    assert_eq!(errors[0].2["kind"], "transport");
    assert_eq!(errors[0].2["may_have_acted"], false);
    assert_eq!(errors[0].2["method"], "POST");
    assert_eq!(errors[0].2["path"], path.as_str());
}

#[test]
fn the_debug_record_carries_the_servers_request_id() {
    // The POS API names its requests in X-Request-Id.
    let server =
        Server::start(|_, _| Reply::Send(response(404, &[("x-request-id", "req-4567")], b"{}")));
    let sink = Records::new();
    let mut config = config(&server.url(), PASSWORD);
    config.connection.logger = Some(sink.clone());
    let err = sequra::pos::Client::new(config)
        .unwrap()
        .orders()
        .get(4567)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    let debug = sink.at(Level::Debug);
    assert_eq!(debug.len(), 1, "{}", sink.text());
    assert_eq!(debug[0].2["request_id"], "req-4567");
    assert_eq!(sink.at(Level::Error)[0].2["request_id"], "req-4567");
}

#[test]
fn records_hold_no_secret_and_bodies_only_masked_with_log_bodies() {
    // JSON labelled text, which the GET (the form) takes: a body is masked
    // for what it is, whatever its label.
    let server = Server::start(|_, _| {
        Reply::Send(response(
            200,
            &[("content-type", "text/plain")],
            br#"{"access_token":"tok-zyx","customer":{"email":"nisse@example.com"},"title":"Pay later"}"#,
        ))
    });
    use base64::Engine as _;
    let basic = base64::engine::general_purpose::STANDARD
        .encode(format!("{}:{PASSWORD}", sequra_sandbox::DEFAULT_USERNAME));
    for bodies in [false, true] {
        let sink = Records::new();
        let client = logged(&server, &sink, bodies);
        get(&client).unwrap();
        client.orders().start(&common::order()).unwrap_err();
        let text = sink.text();
        for secret in [
            PASSWORD,
            basic.as_str(),
            "tok-zyx",
            "nisse@example.com",
            "Barroso",
        ] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
        let with_body = sink
            .at(Level::Debug)
            .iter()
            .any(|r| r.2.contains_key("request_body"));
        assert_eq!(with_body, bodies, "{text}");
        assert_eq!(text.contains("Pay later"), bodies, "{text}");
        assert_eq!(text.contains("Leather Case"), bodies, "{text}");
    }
}

#[test]
fn credentials_a_server_echoes_are_masked_in_the_logged_bodies() {
    // A gateway or a debugging endpoint may answer with the request's own
    // Authorization header, and decode it too.
    let server = Server::start(|seen: &Seen, _| {
        let authorization = seen
            .head
            .lines()
            .find_map(|line| line.strip_prefix("authorization: "))
            .unwrap_or_default()
            .to_string();
        let body = json!({"errors": [format!("raw header: {authorization}")], "echo": PASSWORD});
        Reply::Send(response(409, &[], body.to_string().as_bytes()))
    });
    use base64::Engine as _;
    let basic = base64::engine::general_purpose::STANDARD
        .encode(format!("{}:{PASSWORD}", sequra_sandbox::DEFAULT_USERNAME));
    let sink = Records::new();
    post(&logged(&server, &sink, true)).unwrap_err();
    let text = sink.text();
    assert!(text.contains("raw header: Basic ***"), "{text}");
    for secret in [PASSWORD, basic.as_str()] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
}

/// A sink that panics on every record.
struct Panics(AtomicUsize);

impl Sink for Panics {
    fn log(&self, _: Level, _: &str, _: &Map<String, Value>) {
        self.0.fetch_add(1, Ordering::SeqCst);
        panic!("the sink broke");
    }
}

#[test]
fn a_panicking_sink_loses_its_records_not_the_call() {
    let server = Server::start(|_, _| ok());
    let sink = Arc::new(Panics(AtomicUsize::new(0)));
    let mut config = config(&server.url(), PASSWORD);
    config.connection.logger = Some(sink.clone());
    let before = sequra::log::dropped_records();
    assert_eq!(get(&Client::new(config).unwrap()).unwrap(), "<form>");
    assert_eq!(sink.0.load(Ordering::SeqCst), 1);
    assert!(sequra::log::dropped_records() > before);
}

#[test]
fn the_global_sink_gets_the_records_of_clients_without_their_own() {
    let server = Server::start(|_, _| ok());
    let sink = Records::new();
    sequra::log::set_global_sink(Some(sink.clone()));
    get(&client(&server)).unwrap();
    sequra::log::set_global_sink(None);
    let ours = sink
        .at(Level::Debug)
        .into_iter()
        .filter(|r| r.2["status"] == 200 && r.1.contains(ORDER))
        .count();
    assert!(ours >= 1, "{}", sink.text());
}

#[test]
fn a_slow_sink_only_costs_its_own_time() {
    struct Slow;
    impl Sink for Slow {
        fn log(&self, _: Level, _: &str, _: &Map<String, Value>) {
            std::thread::sleep(Duration::from_millis(300));
        }
    }
    let server = Server::start(|_, _| ok());
    let mut config = config(&server.url(), PASSWORD);
    config.connection.timeout = Duration::from_millis(200);
    config.connection.logger = Some(Arc::new(Slow));
    // The record is written after the exchange: the call still succeeds.
    assert_eq!(get(&Client::new(config).unwrap()).unwrap(), "<form>");
}

#[test]
fn a_solicitation_answered_with_any_success_and_a_location_gives_the_order_uri() {
    // seQura answers 204; a 200, 201 or 202 with the Location still means
    // the order exists, and its URI is what the shop needs to go on.
    for code in [200, 201, 202, 204] {
        let server = Server::start(move |_, _| {
            let location = format!("/orders/{ORDER}");
            Reply::Send(response(code, &[("location", &location)], b""))
        });
        let uri = client(&server).orders().start(&common::order()).unwrap();
        assert_eq!(
            uri.as_str(),
            format!("{}/orders/{ORDER}", server.url()),
            "{code}"
        );
    }
    // A success without it is an answer the shop cannot go on from, and the
    // order may exist.
    let server = Server::start(|_, _| Reply::Send(response(200, &[], b"")));
    let err = client(&server)
        .orders()
        .start(&common::order())
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnexpectedResponse);
    assert!(err.may_have_acted());
}

#[test]
fn a_relative_location_is_resolved_against_the_solicitations_url_as_rfc_3986_says() {
    // RFC 9110 (10.2.2) lets Location be a relative reference, resolved
    // against the URL of the request (`POST {base}/orders`, RFC 3986 5.2).
    for (location, order_uri) in [
        (format!("orders/{ORDER}"), true),
        (format!("./orders/{ORDER}"), true),
        (format!("/x/../orders/{ORDER}"), true),
        // A bare uuid is `{base}/{uuid}`: no order URI of this endpoint,
        // whatever the uuid looks like.
        (ORDER.to_string(), false),
    ] {
        let sent = location.clone();
        let server =
            Server::start(move |_, _| Reply::Send(response(204, &[("location", &sent)], b"")));
        let result = client(&server).orders().start(&common::order());
        if order_uri {
            assert_eq!(
                result.unwrap().as_str(),
                format!("{}/orders/{ORDER}", server.url()),
                "{location}"
            );
        } else {
            let err = result.unwrap_err();
            assert_eq!(err.kind(), ErrorKind::UnexpectedResponse, "{location}");
            assert!(err.may_have_acted(), "{location}");
        }
    }
}

/// The error of a solicitation seQura answered with 204 and `location`,
/// which the client refuses.
fn start_refused_at(location: String) -> sequra::Error {
    let server =
        Server::start(move |_, _| Reply::Send(response(204, &[("location", &location)], b"")));
    client(&server)
        .orders()
        .start(&common::order())
        .unwrap_err()
}

#[test]
fn a_refused_location_is_quoted_whole_for_the_shop_to_find_the_order() {
    // seQura took the order: the message is where the shop finds which
    // one, so the Location is quoted as an answer is (its query masked, as
    // it may carry a token), not cut at a caller value's 40 characters.
    let err = start_refused_at(format!("/carts/{ORDER}/?token=s3cr3t-t0ken"));
    let text = err.to_string();
    assert_eq!(err.kind(), ErrorKind::UnexpectedResponse, "{text}");
    assert!(err.may_have_acted(), "{text}");
    assert!(text.contains(&format!("/carts/{ORDER}/")), "{text}");
    assert!(!text.contains("s3cr3t"), "{text}");
}

#[test]
fn a_location_of_another_origin_or_with_a_slash_after_the_uuid_names_the_endpoints_order() {
    // A server behind a proxy that ends TLS writes http://, or its own
    // host name: the order is the endpoint's, where the credentials go.
    for location in [
        format!("http://127.0.0.1:1/orders/{ORDER}"),
        format!("https://internal.example/v1/orders/{ORDER}"),
        format!("/orders/{ORDER}/"),
    ] {
        let sent = location.clone();
        let server =
            Server::start(move |_, _| Reply::Send(response(204, &[("location", &sent)], b"")));
        let uri = client(&server).orders().start(&common::order()).unwrap();
        assert_eq!(
            uri.as_str(),
            format!("{}/orders/{ORDER}", server.url()),
            "{location}"
        );
    }
}

#[test]
fn a_location_of_another_resource_or_with_a_query_is_no_order_uri() {
    // The API's orders by the shop's reference are another resource; a
    // query or fragment would be dropped, never sent again: both refused,
    // the order said to exist.
    for location in [
        format!("/merchants/demo/orders/{ORDER}"),
        format!("https://internal.example/merchants/demo/orders/{ORDER}/"),
        format!("/orders/{ORDER}?x=1"),
        format!("/orders/{ORDER}#top"),
    ] {
        let err = start_refused_at(location.clone());
        assert_eq!(
            err.kind(),
            ErrorKind::UnexpectedResponse,
            "{location}: {err}"
        );
        assert!(err.may_have_acted(), "{location}: {err}");
        assert!(
            err.to_string()
                .contains("is not an order URI of this endpoint"),
            "{location}: {err}"
        );
    }
}

#[test]
fn two_locations_that_differ_name_no_order_and_are_both_quoted() {
    const OTHER: &str = "11111111-1111-4111-8111-111111111111";
    let server = Server::start(|_, _| {
        Reply::Send(response(
            204,
            &[
                ("location", &format!("/orders/{ORDER}")),
                ("location", &format!("/orders/{OTHER}")),
            ],
            b"",
        ))
    });
    let err = client(&server)
        .orders()
        .start(&common::order())
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnexpectedResponse, "{err}");
    assert!(err.may_have_acted(), "{err}");
    let text = err.to_string();
    assert!(
        text.contains("Location headers that differ")
            && text.contains(ORDER)
            && text.contains(OTHER),
        "{text}"
    );
    // The same one twice is that one.
    let server = Server::start(|_, _| {
        let location = format!("/orders/{ORDER}");
        Reply::Send(response(
            204,
            &[("location", &location), ("location", &location)],
            b"",
        ))
    });
    let uri = client(&server).orders().start(&common::order()).unwrap();
    assert!(uri.as_str().ends_with(ORDER), "{uri}");
}

#[test]
fn a_location_that_is_not_ascii_is_named_so_not_called_missing() {
    let err = start_refused_at(format!("/orders/{ORDER}\u{f1}"));
    assert_eq!(err.kind(), ErrorKind::UnexpectedResponse);
    assert!(err.may_have_acted());
    assert!(err.to_string().contains("not ASCII"), "{err}");
}

#[test]
fn a_server_that_echoes_the_authorization_header_shows_no_credential() {
    // A gateway's error page that quotes the request: the Basic pair in
    // base64 is the password, as good as in clear.
    let server = Server::start(|seen, _| {
        let authorization = seen
            .head
            .lines()
            .find(|l| l.to_ascii_lowercase().starts_with("authorization:"))
            .unwrap_or_default()
            .to_string();
        let body = json!({"errors": [format!("refused; you sent {authorization}")]});
        Reply::Send(response(409, &[], body.to_string().as_bytes()))
    });
    let err = post(&client(&server)).unwrap_err();
    use base64::Engine as _;
    let pair = base64::engine::general_purpose::STANDARD
        .encode(format!("{}:{PASSWORD}", sequra_sandbox::DEFAULT_USERNAME));
    let shown = format!("{err} {}", err.details());
    assert!(shown.contains("Basic ***"), "{shown}");
    assert!(
        !shown.contains(&pair) && !shown.contains(PASSWORD),
        "{shown}"
    );
}
