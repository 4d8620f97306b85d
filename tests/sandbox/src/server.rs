//! From a request read off the wire to its answer: the fault queue
//! first, then routing to an API, the request log, and the checks the
//! APIs share (Basic auth, JSON bodies). The wire itself is `http1` and
//! `connections`.

use crate::codec::{basic_credentials, decode_form, field};
use crate::faults::{strike, FaultKind, Outcome, When};
use crate::http1;
use crate::{checkout_com, control, paysera, pos, sequra_orders, Context, SandboxOptions};
use serde_json::{json, Value};
use std::cell::Cell;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

/// A request, read whole.
pub(crate) struct Incoming {
    pub method: String,
    /// Without the query string, as sent (not percent-decoded).
    pub path: String,
    pub query: Vec<(String, String)>,
    /// `path?query` exactly as sent.
    pub target: String,
    headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Whether it came over TLS.
    pub tls: bool,
    /// A `delay` fault `during` the API: the API that has a moment for it
    /// takes it ([`Incoming::hold`]); else the answer waits after it.
    hold: Cell<Option<Duration>>,
}

impl Incoming {
    pub fn new(request: http1::Request, tls: bool) -> Incoming {
        let (path, query) = request
            .target
            .split_once('?')
            .unwrap_or((&request.target, ""));
        Incoming {
            method: request.method,
            path: path.to_string(),
            query: decode_form(query),
            target: request.target.clone(),
            headers: request.headers,
            body: request.body,
            tls,
            hold: Cell::new(None),
        }
    }

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

    /// Where an API holds a request that a `delay` fault `during` it
    /// delays; at most once.
    pub fn hold(&self, context: &Context) {
        if let Some(hold) = self.hold.take() {
            context.stop.sleep(hold);
        }
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
    fn bytes(status: u16, content_type: &'static str, body: Vec<u8>) -> Reply {
        Reply {
            status,
            content_type: Some(content_type),
            headers: Vec::new(),
            body,
        }
    }

    pub fn json(status: u16, body: Value) -> Reply {
        Reply::json_text(status, body.to_string())
    }

    /// `text` as a JSON body, whether or not it is JSON.
    pub fn json_text(status: u16, text: String) -> Reply {
        Reply::bytes(status, "application/json; charset=utf-8", text.into_bytes())
    }

    /// `{"errors": [...]}`, the shape of every seQura error body.
    pub fn errors(status: u16, errors: impl IntoIterator<Item = String>) -> Reply {
        let errors: Vec<String> = errors.into_iter().collect();
        Reply::json(status, json!({ "errors": errors }))
    }

    pub fn html(body: String) -> Reply {
        Reply::html_with_status(200, body)
    }

    pub fn html_with_status(status: u16, body: String) -> Reply {
        Reply::bytes(status, "text/html; charset=utf-8", body.into_bytes())
    }

    pub fn text(status: u16, body: String) -> Reply {
        Reply::bytes(status, "text/plain; charset=utf-8", body.into_bytes())
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
        Reply::text(401, "HTTP Basic: Access denied.".into())
            .with_header("WWW-Authenticate", "Basic realm=\"Application\"".into())
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

/// The answer to one request: a queued fault for its route, or the API's
/// answer. Logs one line to stderr when asked (method, path, status or
/// fault: never headers, query or body).
pub(crate) fn serve(request: http1::Request, context: &Arc<Context>) -> Outcome {
    let request = Incoming::new(request, context.tls.is_some());
    // The control endpoints of faults and counts are never faulted, so a
    // test can always see and clear what it queued.
    let fault = if control::is_general(&request.path) {
        None
    } else {
        context.faults.take(&request.method, &request.path)
    };
    let outcome = match &fault {
        None => Outcome::Reply(reach_api(&request, context)),
        Some((FaultKind::Delay { ms }, when)) => {
            let delay = Duration::from_millis(*ms);
            match when {
                When::Before => context.stop.sleep(delay),
                When::During => request.hold.set(Some(delay)),
                When::After => {}
            }
            let reply = reach_api(&request, context);
            if *when == When::After {
                context.stop.sleep(delay);
            } else {
                // `during` an API that had no moment for it: as `after`.
                request.hold(context);
            }
            Outcome::Reply(reply)
        }
        Some((kind, When::Before)) => strike(kind, None, &here(&request, context)),
        Some((kind, _)) => {
            let reply = reach_api(&request, context);
            strike(kind, Some(reply), &here(&request, context))
        }
    };
    if context.log_requests.load(Ordering::Relaxed) {
        let answer = match &outcome {
            Outcome::Reply(reply) => reply.status.to_string(),
            Outcome::HeadersThenStall(reply, _) | Outcome::Truncated(reply) => {
                reply.status.to_string()
            }
            Outcome::Huge(_) => "200".into(),
            Outcome::Stall(_) | Outcome::Reset => "no answer".into(),
        };
        match &fault {
            None => eprintln!("{} {} -> {answer}", request.method, request.path),
            Some((kind, when)) => eprintln!(
                "{} {} -> {answer} (fault {} {})",
                request.method,
                request.path,
                kind.name(),
                when.name()
            ),
        }
    }
    outcome
}

/// The request's URL on the sandbox.
fn here(request: &Incoming, context: &Context) -> String {
    format!("{}{}", context.url, request.target)
}

/// Counts the request for its route, then routes it.
fn reach_api(request: &Incoming, context: &Arc<Context>) -> Reply {
    context.counters.reached_api(&request.method, &request.path);
    route(request, context)
}

/// Dispatches on the first path segment: each API owns its prefixes.
fn route(request: &Incoming, context: &Arc<Context>) -> Reply {
    let path = request.path.strip_suffix('/').unwrap_or(&request.path);
    let segments: Vec<&str> = path.strip_prefix('/').unwrap_or(path).split('/').collect();
    let reply = match segments.as_slice() {
        // The sandbox's own control endpoints: no auth, not the real API.
        ["sandbox", rest @ ..] if control::is_general(&request.path) => {
            control::general(rest, request, context)
        }
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
