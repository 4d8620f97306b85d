//! HTTP plumbing: reading a request, routing it to an API, writing the
//! reply, and the checks the APIs share (Basic auth, JSON bodies).

use crate::codec::{basic_credentials, decode_form, field};
use crate::{checkout_com, paysera, pos, sequra_orders, Context, SandboxOptions};
use serde_json::{json, Value};
use std::io::Read;
use std::sync::atomic::Ordering;
use std::sync::Arc;

/// The largest body the sandbox reads; the real APIs accept far less.
const MAX_BODY: u64 = 1 << 20;

/// A request, read whole.
pub(crate) struct Incoming {
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    /// `path?query` exactly as sent.
    pub target: String,
    headers: Vec<(String, String)>,
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
        field(&self.query, name)
    }

    /// The body as JSON: 415 unless the Content-Type says JSON, 400 when
    /// it does not parse.
    pub fn json(&self) -> Result<Value, Reply> {
        let content_type = self.header("content-type").unwrap_or_default();
        let media_type = content_type.split(';').next().unwrap_or_default().trim();
        if !media_type.eq_ignore_ascii_case("application/json") {
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

    /// The body's form fields (`a=1&b=2`); an empty body has none.
    pub fn form(&self) -> Vec<(String, String)> {
        decode_form(&String::from_utf8_lossy(&self.body))
    }
}

/// A reply to write.
pub(crate) struct Reply {
    pub status: u16,
    content_type: Option<&'static str>,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
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

    /// A status with no body (204).
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

    /// The real service's refusal, word for word (a Rails app's).
    pub fn access_denied() -> Reply {
        Reply {
            status: 401,
            content_type: Some("text/plain; charset=utf-8"),
            headers: vec![("WWW-Authenticate", "Basic realm=\"Application\"".into())],
            body: b"HTTP Basic: Access denied.".to_vec(),
        }
    }
}

/// 404 for a path no API serves.
pub(crate) fn no_route(request: &Incoming) -> Reply {
    Reply::errors(
        404,
        [format!("No route for {} {}", request.method, request.path)],
    )
}

/// 405 for a known path asked with another method.
pub(crate) fn wrong_method(request: &Incoming, allowed: &str) -> Reply {
    Reply::errors(
        405,
        [format!(
            "{} is not allowed on {}; use {allowed}",
            request.method, request.path
        )],
    )
    .with_header("Allow", allowed.into())
}

/// Reads, routes and answers one request; logs one line to stderr when
/// asked (method, path, status: never headers, query or body).
pub(crate) fn serve(mut request: tiny_http::Request, context: &Arc<Context>) {
    let reply = match read(&mut request) {
        Ok(incoming) => route(&incoming, context),
        Err(reply) => reply,
    };
    if context.log_requests.load(Ordering::Relaxed) {
        let path = request.url().split('?').next().unwrap_or_default();
        eprintln!("{} {path} -> {}", request.method(), reply.status);
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
    let url = request.url();
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    Ok(Incoming {
        method: request.method().as_str().to_ascii_uppercase(),
        path: path.to_string(),
        query: decode_form(query),
        target: url.to_string(),
        headers: request
            .headers()
            .iter()
            .map(|h| (h.field.as_str().to_string(), h.value.as_str().to_string()))
            .collect(),
        body,
    })
}

/// Dispatches on the first path segment: each API owns its prefixes.
fn route(request: &Incoming, context: &Arc<Context>) -> Reply {
    let path = request.path.strip_suffix('/').unwrap_or(&request.path);
    let segments: Vec<&str> = path.strip_prefix('/').unwrap_or(path).split('/').collect();
    let reply = match segments.as_slice() {
        // The sandbox's own control endpoints: no auth, not the real API.
        ["sandbox", "pos", rest @ ..] => pos::control(rest, request, context),
        ["sandbox", "checkout_com", rest @ ..] => checkout_com::control(rest, request, context),
        ["sandbox", "paysera", rest @ ..] => paysera::control(rest, request, context),
        ["sandbox", rest @ ..] => sequra_orders::control(rest, request, context),
        // Each API checks its own credentials, as the real servers do.
        ["api", ..] => pos::api(&segments, request, context),
        ["payments", ..] | ["connect", ..] => checkout_com::api(&segments, request, context),
        ["checkout", ..] | ["notification", ..] => paysera::api(&segments, request, context),
        ["orders", ..] | ["merchants", ..] => {
            if !authorized(request, &context.options) {
                return Reply::access_denied();
            }
            sequra_orders::api(&segments, request, context)
        }
        _ => None,
    };
    reply.unwrap_or_else(|| no_route(request))
}

/// HTTP Basic with the sandbox's username and password.
pub(crate) fn authorized(request: &Incoming, options: &SandboxOptions) -> bool {
    request
        .header("authorization")
        .and_then(basic_credentials)
        .is_some_and(|(user, password)| user == options.username && password == options.password)
}
