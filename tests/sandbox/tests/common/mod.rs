//! What the sandbox's tests share: raw HTTP calls (no client library, so
//! the tests pin the server's side of the contract), a valid order, the
//! steps of a checkout, and a fake shop that takes one IPN.
#![allow(dead_code)] // each test file uses its own part

use sequra_sandbox::{Sandbox, SandboxOptions};
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::thread::JoinHandle;

/// `demo:demo-password`, base64.
pub const AUTH: &str = "Basic ZGVtbzpkZW1vLXBhc3N3b3Jk";

pub fn sandbox() -> Sandbox {
    Sandbox::start(SandboxOptions::default()).expect("the sandbox starts")
}

/// A response, read whole.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn errors(&self) -> Value {
        self.json()["errors"].clone()
    }
}

/// One request with exactly these headers and body.
pub fn raw(method: &str, url: &str, headers: &[(&str, &str)], body: &[u8]) -> Answer {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    let mut request = ureq::http::Request::builder().method(method).uri(url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let mut response = agent
        .run(request.body(body.to_vec()).expect("a request"))
        .expect("the sandbox answers");
    Answer {
        status: response.status().as_u16(),
        headers: response
            .headers()
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_str().unwrap_or_default().to_string()))
            .collect(),
        body: response.body_mut().read_to_string().unwrap_or_default(),
    }
}

/// A request with the demo credentials and, when given, a JSON body.
pub fn call(method: &str, url: &str, body: Option<&Value>) -> Answer {
    match body {
        Some(body) => raw(
            method,
            url,
            &[
                ("Authorization", AUTH),
                ("Content-Type", "application/json"),
            ],
            body.to_string().as_bytes(),
        ),
        None => raw(method, url, &[("Authorization", AUTH)], b""),
    }
}

/// A small valid order: one product and shipping, 63.02 €.
pub fn order() -> Value {
    json!({
        "state": "",
        "merchant": {"id": "demo"},
        "merchant_reference": {"order_ref_1": "R-1"},
        "cart": {"currency": "EUR", "gift": false, "order_total_with_tax": 6302, "items": [
            {"reference": "A", "name": "Case", "price_with_tax": 3030, "quantity": 2,
             "total_with_tax": 6060, "downloadable": false},
            {"type": "handling", "reference": "seur", "name": "SEUR", "total_with_tax": 242}
        ]},
        "customer": {"given_names": "Ana", "surnames": "Ruiz", "email": "ana@example.com"},
        "gui": {"layout": "desktop"},
        "platform": {"name": "t", "version": "1"}
    })
}

/// `POST /orders` → the 204's `Location`.
pub fn start(sandbox: &Sandbox, order: &Value) -> String {
    let answer = call(
        "POST",
        &format!("{}/orders", sandbox.url()),
        Some(&json!({"order": order})),
    );
    assert_eq!(answer.status, 204, "{}", answer.body);
    answer.header("location").expect("a Location").to_string()
}

pub fn uuid_of(location: &str) -> &str {
    location.rsplit('/').next().expect("a uuid")
}

/// The shopper completes the form; waits for the IPN.
pub fn approve(sandbox: &Sandbox, location: &str) -> Answer {
    approve_with(sandbox, location, "?wait=true", b"")
}

/// `POST /sandbox/orders/{uuid}/approve{query}` with a form `body`.
pub fn approve_with(sandbox: &Sandbox, location: &str, query: &str, body: &[u8]) -> Answer {
    raw(
        "POST",
        &format!(
            "{}/sandbox/orders/{}/approve{query}",
            sandbox.url(),
            uuid_of(location)
        ),
        &[("Content-Type", "application/x-www-form-urlencoded")],
        body,
    )
}

/// `PUT {location}` with `order` in state `confirmed`.
pub fn confirm(location: &str, order: &Value) -> Answer {
    let mut confirmed = order.clone();
    confirmed["state"] = json!("confirmed");
    call("PUT", location, Some(&json!({"order": confirmed})))
}

/// `GET /sandbox/orders/{uuid}`: the sandbox's view of the order.
pub fn inspect(sandbox: &Sandbox, location: &str) -> Value {
    let answer = raw(
        "GET",
        &format!("{}/sandbox/orders/{}", sandbox.url(), uuid_of(location)),
        &[],
        b"",
    );
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.json()
}

/// A one-shot shop on a free loopback port: answers one request with
/// `status_line` and hands back the raw request it received.
pub fn shop(status_line: &'static str) -> (String, JoinHandle<String>) {
    let (url, thread) = shop_answering(&[status_line]);
    let first = std::thread::spawn(move || thread.join().expect("the shop thread ends").remove(0));
    (url, first)
}

/// A shop that answers one request per status line, in order, and hands
/// back the raw requests it received (seQura tries again after a 409).
pub fn shop_answering(status_lines: &[&'static str]) -> (String, JoinHandle<Vec<String>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    let url = format!("http://{}/ipn", listener.local_addr().expect("an address"));
    let status_lines = status_lines.to_vec();
    let thread = std::thread::spawn(move || {
        let mut requests = Vec::new();
        for status_line in status_lines {
            let (mut stream, _) = listener.accept().expect("the IPN connects");
            let mut request = Vec::new();
            let mut buffer = [0u8; 4096];
            while !complete(&request) {
                let n = stream.read(&mut buffer).expect("the IPN is readable");
                assert!(n > 0, "the IPN ended early");
                request.extend_from_slice(&buffer[..n]);
            }
            let answer = format!("{status_line}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
            stream.write_all(answer.as_bytes()).expect("the answer");
            requests.push(String::from_utf8(request).expect("a UTF-8 IPN"));
        }
        requests
    });
    (url, thread)
}

/// Has `request` arrived whole (head, and a body of its Content-Length)?
fn complete(request: &[u8]) -> bool {
    let text = String::from_utf8_lossy(request);
    let Some((head, body)) = text.split_once("\r\n\r\n") else {
        return false;
    };
    let length: usize = head
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())?
        })
        .unwrap_or(0);
    body.len() >= length
}

/// The header `name` of a raw request.
pub fn request_header<'a>(request: &'a str, name: &str) -> Option<&'a str> {
    let head = request.split("\r\n\r\n").next()?;
    head.lines().skip(1).find_map(|line| {
        let (n, v) = line.split_once(':')?;
        n.eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

/// The body of a raw request.
pub fn request_body(request: &str) -> &str {
    request.split_once("\r\n\r\n").map_or("", |(_, body)| body)
}

/// A sandbox serving HTTPS.
pub fn tls_sandbox() -> Sandbox {
    Sandbox::start_tls(SandboxOptions::default()).expect("the sandbox starts with TLS")
}

/// An agent that trusts only the CA in `pem`, keeps connections (as
/// clients do) unless `pooled` is false, and follows no redirects.
pub fn agent_trusting(pem: &str, pooled: bool) -> ureq::Agent {
    let ca = ureq::tls::Certificate::from_pem(pem.as_bytes()).expect("a PEM certificate");
    let tls = ureq::tls::TlsConfig::builder()
        .root_certs(ureq::tls::RootCerts::new_with_certs(&[ca]))
        .build();
    let mut config = ureq::Agent::config_builder()
        .tls_config(tls)
        .http_status_as_error(false)
        .max_redirects(0);
    if !pooled {
        config = config
            .max_idle_connections(0)
            .max_idle_connections_per_host(0);
    }
    config.build().into()
}

/// `GET url` with `agent` → status and body.
pub fn get_with(agent: &ureq::Agent, url: &str) -> Result<Answer, ureq::Error> {
    let mut response = agent.get(url).call()?;
    Ok(Answer {
        status: response.status().as_u16(),
        headers: response
            .headers()
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_str().unwrap_or_default().to_string()))
            .collect(),
        body: response.body_mut().read_to_string()?,
    })
}

/// `GET /sandbox/stats` → the counters, as JSON.
pub fn stats(sandbox: &Sandbox) -> Value {
    let answer = raw("GET", &format!("{}/sandbox/stats", sandbox.url()), &[], b"");
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.json()
}

/// A connection to the sandbox spoken to byte by byte: what a client sees
/// of a fault, below any client library.
pub struct Wire {
    pub stream: std::net::TcpStream,
}

/// One answer as read off a `Wire`.
pub struct WireAnswer {
    pub status: u16,
    pub head: String,
    pub body: Vec<u8>,
}

impl WireAnswer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|line| {
            let (n, v) = line.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

impl Wire {
    pub fn connect(sandbox: &Sandbox) -> Wire {
        let stream = std::net::TcpStream::connect(("127.0.0.1", sandbox.port())).expect("connects");
        stream.set_nodelay(true).unwrap();
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .unwrap();
        Wire { stream }
    }

    /// Sends `method path` with `headers` and `body`, all in one write.
    pub fn send(&mut self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) {
        let mut request = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (name, value) in headers {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
        request.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
        let mut bytes = request.into_bytes();
        bytes.extend_from_slice(body);
        self.stream.write_all(&bytes).expect("the request is sent");
    }

    /// The status line and headers, up to the blank line.
    pub fn read_head(&mut self) -> std::io::Result<(u16, String)> {
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") {
            if self.stream.read(&mut byte)? == 0 {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            head.push(byte[0]);
        }
        let head = String::from_utf8(head).expect("a UTF-8 head");
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .expect("a status line");
        Ok((status, head))
    }

    /// A whole answer: head, then the body its Content-Length promises.
    pub fn read_answer(&mut self) -> std::io::Result<WireAnswer> {
        let (status, head) = self.read_head()?;
        let mut answer = WireAnswer {
            status,
            head,
            body: Vec::new(),
        };
        let length: usize = answer
            .header("content-length")
            .map_or(0, |v| v.parse().expect("a length"));
        answer.body = vec![0; length];
        self.stream.read_exact(&mut answer.body)?;
        Ok(answer)
    }

    /// Everything until the sandbox closes the connection.
    pub fn read_to_end(&mut self) -> std::io::Result<Vec<u8>> {
        let mut rest = Vec::new();
        self.stream.read_to_end(&mut rest)?;
        Ok(rest)
    }
}
