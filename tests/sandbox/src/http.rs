//! HTTP plumbing: reading a request, routing it, writing the reply, and
//! the checks every API path shares (Basic auth, JSON bodies).

use crate::orders::{self, State};
use serde_json::{json, Value};
use std::io::Read;
use std::sync::{Arc, Mutex};

/// The largest body the sandbox reads; the real API refuses far less.
const MAX_BODY: u64 = 1 << 20;

/// A request, read whole.
pub(crate) struct Incoming {
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Incoming {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn query(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON, after checking its content type.
    pub fn json(&self) -> Result<Value, Reply> {
        let content_type = self.header("content-type").unwrap_or_default();
        if !content_type
            .trim()
            .to_ascii_lowercase()
            .starts_with("application/json")
        {
            return Err(Reply::errors(
                415,
                [format!(
                    "Content-Type must be application/json, not {content_type:?}"
                )],
            ));
        }
        serde_json::from_slice(&self.body)
            .map_err(|e| Reply::errors(400, [format!("the body is not valid JSON: {e}")]))
    }
}

/// A reply to write.
pub(crate) struct Reply {
    pub status: u16,
    pub content_type: Option<&'static str>,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(status: u16, body: Value) -> Reply {
        Reply {
            status,
            content_type: Some("application/json; charset=utf-8"),
            headers: Vec::new(),
            body: body.to_string().into_bytes(),
        }
    }

    /// `{"errors": [...]}`, the shape of every seQura error body.
    pub fn errors(status: u16, errors: impl IntoIterator<Item = String>) -> Reply {
        let errors: Vec<String> = errors.into_iter().collect();
        Reply::json(status, json!({ "errors": errors }))
    }

    pub fn html(body: String) -> Reply {
        Reply {
            status: 200,
            content_type: Some("text/html; charset=utf-8"),
            headers: Vec::new(),
            body: body.into_bytes(),
        }
    }

    pub fn empty(status: u16) -> Reply {
        Reply {
            status,
            content_type: None,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    pub fn with_header(mut self, name: &'static str, value: String) -> Reply {
        self.headers.push((name, value));
        self
    }
}

/// Reads, routes and answers one request, logging one line to stderr.
pub(crate) fn serve(mut request: tiny_http::Request, state: &Arc<Mutex<State>>, log: bool) {
    let reply = match read(&mut request) {
        Ok(incoming) => route(&incoming, state),
        Err(reply) => reply,
    };
    if log {
        eprintln!(
            "{} {} -> {}",
            request.method(),
            path_of(request.url()),
            reply.status
        );
    }
    let mut response = tiny_http::Response::from_data(reply.body).with_status_code(reply.status);
    let headers = reply
        .content_type
        .map(|ct| ("Content-Type", ct.to_string()))
        .into_iter()
        .chain(reply.headers);
    for (name, value) in headers {
        if let Ok(header) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            response.add_header(header);
        }
    }
    // The client may have gone; there is no one left to tell.
    let _ = request.respond(response);
}

fn path_of(url: &str) -> &str {
    url.split('?').next().unwrap_or_default()
}

fn read(request: &mut tiny_http::Request) -> Result<Incoming, Reply> {
    let mut body = Vec::new();
    request
        .as_reader()
        .take(MAX_BODY + 1)
        .read_to_end(&mut body)
        .map_err(|e| Reply::errors(400, [format!("the body could not be read: {e}")]))?;
    if body.len() as u64 > MAX_BODY {
        return Err(Reply::errors(
            413,
            ["the body is larger than 1 MiB".to_string()],
        ));
    }
    let url = request.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    Ok(Incoming {
        method: request.method().as_str().to_ascii_uppercase(),
        path: path.to_string(),
        query: decode_form(query),
        headers: request
            .headers()
            .iter()
            .map(|h| (h.field.as_str().to_string(), h.value.as_str().to_string()))
            .collect(),
        body,
    })
}

fn route(request: &Incoming, state: &Arc<Mutex<State>>) -> Reply {
    let segments: Vec<&str> = request.path.trim_matches('/').split('/').collect();
    let method = request.method.as_str();
    // The sandbox's own control endpoints: no auth, not part of the API.
    if segments.first() == Some(&"sandbox") {
        return orders::control(method, &segments[1..], request, state);
    }
    if !matches!(segments.first(), Some(&"orders") | Some(&"merchants")) {
        return no_route(request);
    }
    if !authorized(request, state) {
        return Reply {
            status: 401,
            content_type: Some("text/plain; charset=utf-8"),
            headers: vec![("WWW-Authenticate", "Basic realm=\"Application\"".into())],
            body: b"HTTP Basic: Access denied.".to_vec(),
        };
    }
    orders::api(method, &segments, request, state).unwrap_or_else(|| no_route(request))
}

pub(crate) fn no_route(request: &Incoming) -> Reply {
    Reply::errors(
        404,
        [format!("No route for {} {}", request.method, request.path)],
    )
}

pub(crate) fn wrong_method(allowed: &str) -> Reply {
    Reply::errors(405, [format!("Method not allowed; use {allowed}")])
        .with_header("Allow", allowed.into())
}

fn authorized(request: &Incoming, state: &Mutex<State>) -> bool {
    let Some(encoded) = request
        .header("authorization")
        .and_then(|v| v.strip_prefix("Basic "))
    else {
        return false;
    };
    let Some(decoded) = base64_decode(encoded.trim()) else {
        return false;
    };
    let Ok(text) = String::from_utf8(decoded) else {
        return false;
    };
    let Some((user, password)) = text.split_once(':') else {
        return false;
    };
    let state = state.lock().expect("sandbox state");
    user == state.options.username && password == state.options.password
}

fn base64_decode(text: &str) -> Option<Vec<u8>> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut buffer = 0u32;
    let mut bits = 0;
    for c in text.bytes() {
        let value = ALPHABET.iter().position(|&a| a == c)? as u32;
        buffer = (buffer << 6) | value;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    Some(out)
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
pub(crate) fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Decodes `a=b&c=d`; `+` is a space; a bad escape is kept as written.
pub(crate) fn decode_form(text: &str) -> Vec<(String, String)> {
    text.split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 2;
            }
            (b'+', _) => out.push(b' '),
            (b, _) => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_encoding_round_trips() {
        let encoded = encode("a b&c=d/é");
        assert_eq!(encoded, "a%20b%26c%3Dd%2F%C3%A9");
        assert_eq!(
            decode_form(&format!("k={encoded}&x=1+2")),
            [
                ("k".to_string(), "a b&c=d/é".to_string()),
                ("x".to_string(), "1 2".to_string()),
            ]
        );
    }

    #[test]
    fn basic_credentials_decode() {
        assert_eq!(
            base64_decode("ZGVtbzpkZW1vLXBhc3N3b3Jk").unwrap(),
            b"demo:demo-password"
        );
        assert!(base64_decode("not*base64").is_none());
    }
}
