//! The fault queue, ahead of routing: tests queue the next answers of a
//! route (method and path) as faults, and each strikes either `before`
//! the API sees the request (nothing acted) or `after` it handled it (it
//! acted, and the client lost its answer). The control API is in the
//! crate docs; this module parses faults, queues them and turns each into
//! the [`Outcome`] the connection writes.

use crate::paths::PathMatch;
use crate::server::Reply;
use serde_json::{json, Map, Value};
use std::fmt;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

/// The longest a fault holds a connection or an answer: 5 minutes.
pub const MAX_HOLD_MS: u64 = 300_000;
/// The largest `huge_body`: 4 GiB.
pub const MAX_HUGE_BODY: u64 = 1 << 32;
/// At most this many answers per queued fault.
pub const MAX_COUNT: u32 = 10_000;

/// One queued fault: which requests it takes, what it does, when, and
/// for how many answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fault {
    /// `None`: any method.
    pub method: Option<String>,
    pub path: PathMatch,
    pub kind: FaultKind,
    pub when: When,
    /// How many answers it takes (1 and up).
    pub count: u32,
}

/// What a fault does to an answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FaultKind {
    /// No answer: the connection is held `ms`, then closed.
    Stall { ms: u64 },
    /// The status line and headers, then nothing for `ms`, then close.
    HeadersThenStall { ms: u64 },
    /// The connection is closed at once with a TCP RST.
    Reset,
    /// Content-Length promises the whole body; half of it comes, then
    /// the connection closes.
    TruncatedBody,
    /// This status (400 to 599, or 200: a success whose body the API does
    /// not document) with `body` (default: a gateway's HTML page; sent as
    /// written, labelled JSON when it parses as JSON, else text).
    Status { status: u16, body: Option<String> },
    /// 429 with `Retry-After` exactly as given (any text), or none.
    RateLimited { retry_after: Option<String> },
    /// 200, `Content-Type: application/json`, a body that is not JSON.
    InvalidJson,
    /// 302 to `location` (default: the same URL on the sandbox).
    Redirect { location: Option<String> },
    /// 200 with a JSON string of `bytes` bytes, streamed.
    HugeBody { bytes: u64 },
    /// The request is answered as usual, `ms` late.
    Delay { ms: u64 },
}

/// When a fault strikes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum When {
    /// The API never sees the request: nothing acted.
    #[default]
    Before,
    /// The API handles the request (its state changes), then the fault
    /// replaces its answer: the server acted, the client lost the answer.
    After,
    /// `delay` only: the API holds the request while handling it.
    /// checkout.com's idempotent POSTs hold with the Cko-Idempotency-Key
    /// in flight (a duplicate meanwhile gets a 429); elsewhere it is
    /// `after`.
    During,
}

impl When {
    pub(crate) fn name(self) -> &'static str {
        match self {
            When::Before => "before",
            When::After => "after",
            When::During => "during",
        }
    }
}

/// Why a fault cannot be queued.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidFault(pub String);

impl fmt::Display for InvalidFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for InvalidFault {}

impl Fault {
    /// `kind` for the next answer to `method` on exactly `path`, before
    /// the API sees it.
    pub fn new(method: &str, path: &str, kind: FaultKind) -> Fault {
        Fault {
            method: Some(method.to_string()),
            path: PathMatch::Exact(path.to_string()),
            kind,
            when: When::Before,
            count: 1,
        }
    }

    /// `kind` for the next answer to `method` on `prefix` or below it.
    pub fn under(method: &str, prefix: &str, kind: FaultKind) -> Fault {
        Fault {
            path: PathMatch::Prefix(prefix.to_string()),
            ..Fault::new(method, prefix, kind)
        }
    }

    /// Strikes after the API handled the request.
    pub fn after(self) -> Fault {
        Fault {
            when: When::After,
            ..self
        }
    }

    pub fn when(self, when: When) -> Fault {
        Fault { when, ..self }
    }

    /// For the next `count` answers.
    pub fn times(self, count: u32) -> Fault {
        Fault { count, ..self }
    }

    /// For every method.
    pub fn any_method(self) -> Fault {
        Fault {
            method: None,
            ..self
        }
    }

    fn check(&self) -> Result<(), InvalidFault> {
        let bad = |why: String| Err(InvalidFault(why));
        if let Some(method) = &self.method {
            if method.is_empty() || !method.bytes().all(|b| b.is_ascii_uppercase()) {
                return bad(format!(
                    "method {method:?} is not an upper-case HTTP method"
                ));
            }
        }
        if !self.path.path().starts_with('/') {
            return bad(format!("path {:?} does not start with /", self.path.path()));
        }
        if !(1..=MAX_COUNT).contains(&self.count) {
            return bad(format!("count must be 1 to {MAX_COUNT}"));
        }
        if self.when == When::During && !matches!(self.kind, FaultKind::Delay { .. }) {
            return bad("when \"during\" is for delay only".into());
        }
        match &self.kind {
            FaultKind::Stall { ms }
            | FaultKind::HeadersThenStall { ms }
            | FaultKind::Delay { ms }
                if *ms > MAX_HOLD_MS =>
            {
                bad(format!("ms must be 0 to {MAX_HOLD_MS}"))
            }
            FaultKind::Status { status, .. } if !matches!(status, 200 | 400..=599) => {
                bad("status must be 200 or 400 to 599".into())
            }
            FaultKind::HugeBody { bytes } if !(1..=MAX_HUGE_BODY).contains(bytes) => {
                bad(format!("bytes must be 1 to {MAX_HUGE_BODY}"))
            }
            FaultKind::RateLimited {
                retry_after: Some(text),
            } => header_value("retry_after", text),
            FaultKind::Redirect {
                location: Some(text),
            } => header_value("location", text),
            _ => Ok(()),
        }
    }

    /// The fault from the control API's JSON (see the crate docs).
    pub(crate) fn from_json(body: &Value) -> Result<Fault, InvalidFault> {
        let bad = |why: String| InvalidFault(why);
        let Some(object) = body.as_object() else {
            return Err(bad("the body must be a JSON object".into()));
        };
        let text = |name: &str| -> Result<Option<String>, InvalidFault> {
            match object.get(name) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(_) => Err(bad(format!("{name} must be a string"))),
            }
        };
        let number = |name: &str, default: u64| -> Result<u64, InvalidFault> {
            match object.get(name) {
                None | Some(Value::Null) => Ok(default),
                Some(value) => value
                    .as_u64()
                    .ok_or_else(|| bad(format!("{name} must be a whole number of 0 or more"))),
            }
        };
        let path = match (text("path")?, text("path_prefix")?) {
            (Some(path), None) => PathMatch::Exact(path),
            (None, Some(prefix)) => PathMatch::Prefix(prefix),
            _ => return Err(bad("give path (exact) or path_prefix, one of them".into())),
        };
        let when = match text("when")?.as_deref() {
            None | Some("before") => When::Before,
            Some("after") => When::After,
            Some("during") => When::During,
            Some(other) => {
                return Err(bad(format!(
                    "when {other:?} is not before, after or during"
                )))
            }
        };
        let Some(name) = text("fault")? else {
            return Err(bad(format!(
                "fault is missing; one of {}",
                KINDS.join(", ")
            )));
        };
        let ms = || number("ms", 0);
        let kind = match name.as_str() {
            "stall" => FaultKind::Stall { ms: ms()? },
            "headers_then_stall" => FaultKind::HeadersThenStall { ms: ms()? },
            "reset" => FaultKind::Reset,
            "truncated_body" => FaultKind::TruncatedBody,
            "status" => FaultKind::Status {
                status: u16::try_from(number("status", 0)?).unwrap_or(0),
                body: text("body")?,
            },
            "rate_limited" => FaultKind::RateLimited {
                // A number too, as its text: 18446744073709551615, -1.
                retry_after: match object.get("retry_after") {
                    Some(Value::Number(n)) => Some(n.to_string()),
                    _ => text("retry_after")?,
                },
            },
            "invalid_json" => FaultKind::InvalidJson,
            "redirect" => FaultKind::Redirect {
                location: text("location")?,
            },
            "huge_body" => FaultKind::HugeBody {
                bytes: number("bytes", 0)?,
            },
            "delay" => FaultKind::Delay { ms: ms()? },
            other => {
                return Err(bad(format!(
                    "fault {other:?} is not one of {}",
                    KINDS.join(", ")
                )))
            }
        };
        let count = u32::try_from(number("count", 1)?).unwrap_or(u32::MAX);
        Ok(Fault {
            method: text("method")?,
            path,
            kind,
            when,
            count,
        })
    }

    /// As the control API lists it (`count` is what is left).
    pub(crate) fn to_json(&self) -> Value {
        let mut object = Map::new();
        object.insert("method".into(), json!(self.method));
        let path_field = match self.path {
            PathMatch::Exact(_) => "path",
            PathMatch::Prefix(_) => "path_prefix",
        };
        object.insert(path_field.into(), json!(self.path.path()));
        object.insert("fault".into(), json!(self.kind.name()));
        object.insert("when".into(), json!(self.when.name()));
        object.insert("count".into(), json!(self.count));
        match &self.kind {
            FaultKind::Stall { ms }
            | FaultKind::HeadersThenStall { ms }
            | FaultKind::Delay { ms } => {
                object.insert("ms".into(), json!(ms));
            }
            FaultKind::Status { status, body } => {
                object.insert("status".into(), json!(status));
                object.insert("body".into(), json!(body));
            }
            FaultKind::RateLimited { retry_after } => {
                object.insert("retry_after".into(), json!(retry_after));
            }
            FaultKind::Redirect { location } => {
                object.insert("location".into(), json!(location));
            }
            FaultKind::HugeBody { bytes } => {
                object.insert("bytes".into(), json!(bytes));
            }
            FaultKind::Reset | FaultKind::TruncatedBody | FaultKind::InvalidJson => {}
        }
        Value::Object(object)
    }
}

const KINDS: [&str; 10] = [
    "stall",
    "headers_then_stall",
    "reset",
    "truncated_body",
    "status",
    "rate_limited",
    "invalid_json",
    "redirect",
    "huge_body",
    "delay",
];

impl FaultKind {
    pub(crate) fn name(&self) -> &'static str {
        let index = match self {
            FaultKind::Stall { .. } => 0,
            FaultKind::HeadersThenStall { .. } => 1,
            FaultKind::Reset => 2,
            FaultKind::TruncatedBody => 3,
            FaultKind::Status { .. } => 4,
            FaultKind::RateLimited { .. } => 5,
            FaultKind::InvalidJson => 6,
            FaultKind::Redirect { .. } => 7,
            FaultKind::HugeBody { .. } => 8,
            FaultKind::Delay { .. } => 9,
        };
        KINDS[index]
    }
}

/// Text that goes into a header as is: anything but control characters
/// (a line break would forge headers), at most 1 KiB.
fn header_value(name: &str, text: &str) -> Result<(), InvalidFault> {
    if text.len() > 1024 || text.chars().any(|c| c.is_control() && c != '\t') {
        return Err(InvalidFault(format!(
            "{name} must be at most 1 KiB of text without control characters"
        )));
    }
    Ok(())
}

/// The faults waiting, in the order queued.
#[derive(Default)]
pub(crate) struct Queue(Mutex<Vec<Fault>>);

impl Queue {
    fn lock(&self) -> MutexGuard<'_, Vec<Fault>> {
        // Nothing panics while holding it; recover anyway.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Queues `fault`; answers how many answers are now faulted in all.
    pub fn push(&self, fault: Fault) -> Result<u64, InvalidFault> {
        fault.check()?;
        let mut queue = self.lock();
        queue.push(fault);
        Ok(queue.iter().map(|f| u64::from(f.count)).sum())
    }

    /// The first queued fault for this request, used once.
    pub fn take(&self, method: &str, path: &str) -> Option<(FaultKind, When)> {
        let mut queue = self.lock();
        let index = queue.iter().position(|fault| {
            fault.method.as_deref().is_none_or(|m| m == method) && fault.path.matches(path)
        })?;
        let fault = &mut queue[index];
        let taken = (fault.kind.clone(), fault.when);
        fault.count -= 1;
        if fault.count == 0 {
            queue.remove(index);
        }
        Some(taken)
    }

    pub fn pending(&self) -> Vec<Fault> {
        self.lock().clone()
    }

    /// Forgets every fault; answers how many there were.
    pub fn clear(&self) -> usize {
        std::mem::take(&mut *self.lock()).len()
    }
}

/// How the connection answers one request.
pub(crate) enum Outcome {
    /// This answer, whole; the connection may be kept.
    Reply(Reply),
    /// Nothing: the connection is held this long, then closed.
    Stall(Duration),
    /// The status line and headers of this answer, then nothing for this
    /// long, then close.
    HeadersThenStall(Reply, Duration),
    /// Close at once with a TCP RST.
    Reset,
    /// The head of this answer with its full Content-Length, half of its
    /// body, then close.
    Truncated(Reply),
    /// 200 and a JSON string of this many bytes, written piece by piece.
    Huge(u64),
}

/// What `kind` makes of a request: `answer` is the API's (`after`) or
/// `None` (`before`: the API never saw it). `here` is the request's URL on
/// the sandbox, where a redirect points by default. `delay` is the
/// server's to apply; here it leaves the answer as it is.
pub(crate) fn strike(kind: &FaultKind, answer: Option<Reply>, here: &str) -> Outcome {
    // Before the API answered there is no real answer to cut short.
    let stand_in = || Reply::json(200, json!({"sandbox_fault": kind.name()}));
    match kind {
        FaultKind::Stall { ms } => Outcome::Stall(Duration::from_millis(*ms)),
        FaultKind::HeadersThenStall { ms } => {
            Outcome::HeadersThenStall(answer.unwrap_or_else(stand_in), Duration::from_millis(*ms))
        }
        FaultKind::Reset => Outcome::Reset,
        FaultKind::TruncatedBody => Outcome::Truncated(
            answer
                .filter(|reply| !reply.body.is_empty())
                .unwrap_or_else(stand_in),
        ),
        FaultKind::Status { status, body } => Outcome::Reply(match body {
            None => {
                let reason = http::StatusCode::from_u16(*status)
                    .ok()
                    .and_then(|s| s.canonical_reason())
                    .unwrap_or("Error");
                Reply::html_with_status(
                    *status,
                    format!("<html><head><title>{status} {reason}</title></head><body><h1>{status} {reason}</h1></body></html>"),
                )
            }
            Some(body) if body.is_empty() => Reply::empty(*status),
            // JSON goes byte for byte as written (a key twice, say).
            Some(body) => match serde_json::from_str::<Value>(body) {
                Ok(_) => Reply::json_text(*status, body.clone()),
                Err(_) => Reply::text(*status, body.clone()),
            },
        }),
        FaultKind::RateLimited { retry_after } => {
            let reply = Reply::errors(429, ["Too many requests (a sandbox fault)".to_string()]);
            Outcome::Reply(match retry_after {
                Some(value) => reply.with_header("Retry-After", value.clone()),
                None => reply,
            })
        }
        FaultKind::InvalidJson => Outcome::Reply(Reply::json_text(
            200,
            "{\"this is\": not JSON, but a sandbox fault".into(),
        )),
        FaultKind::Redirect { location } => Outcome::Reply(Reply::empty(302).with_header(
            "Location",
            location.clone().unwrap_or_else(|| here.to_string()),
        )),
        FaultKind::HugeBody { bytes } => Outcome::Huge(*bytes),
        FaultKind::Delay { .. } => Outcome::Reply(answer.unwrap_or_else(stand_in)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(value: Value) -> Result<Fault, InvalidFault> {
        Fault::from_json(&value).and_then(|fault| fault.check().map(|()| fault))
    }

    #[test]
    fn every_kind_parses_and_lists_as_given() {
        let faults = [
            json!({"method": "POST", "path": "/orders", "fault": "stall", "ms": 10, "when": "before", "count": 1}),
            json!({"method": "GET", "path_prefix": "/a", "fault": "headers_then_stall", "ms": 0, "when": "after", "count": 2}),
            json!({"method": null, "path": "/", "fault": "reset", "when": "before", "count": 1}),
            json!({"method": "PUT", "path": "/x", "fault": "truncated_body", "when": "after", "count": 1}),
            json!({"method": "PUT", "path": "/x", "fault": "status", "status": 503, "body": null, "when": "after", "count": 1}),
            json!({"method": "PUT", "path": "/x", "fault": "rate_limited", "retry_after": "-1", "when": "before", "count": 1}),
            json!({"method": "PUT", "path": "/x", "fault": "invalid_json", "when": "before", "count": 1}),
            json!({"method": "PUT", "path": "/x", "fault": "redirect", "location": "/y", "when": "before", "count": 1}),
            json!({"method": "PUT", "path": "/x", "fault": "huge_body", "bytes": 50_000_000, "when": "before", "count": 1}),
            json!({"method": "POST", "path_prefix": "/p", "fault": "delay", "ms": 5, "when": "during", "count": 1}),
        ];
        for fault in faults {
            assert_eq!(parse(fault.clone()).unwrap().to_json(), fault);
        }
    }

    #[test]
    fn defaults_are_one_answer_before_the_api() {
        let fault = parse(json!({"path": "/orders", "fault": "reset"})).unwrap();
        assert_eq!(
            fault,
            Fault::new("X", "/orders", FaultKind::Reset).any_method()
        );
        let number = parse(
            json!({"path": "/", "fault": "rate_limited", "retry_after": 18446744073709551615u64}),
        );
        assert_eq!(
            number.unwrap().kind,
            FaultKind::RateLimited {
                retry_after: Some("18446744073709551615".into())
            }
        );
    }

    #[test]
    fn nonsense_is_refused_with_the_reason() {
        let refusals = [
            (json!([]), "JSON object"),
            (json!({"fault": "reset"}), "path"),
            (
                json!({"path": "/", "path_prefix": "/", "fault": "reset"}),
                "one of them",
            ),
            (json!({"path": "orders", "fault": "reset"}), "start with /"),
            (json!({"path": "/"}), "fault is missing"),
            (json!({"path": "/", "fault": "explode"}), "not one of"),
            (
                json!({"path": "/", "fault": "reset", "when": "later"}),
                "before, after or during",
            ),
            (
                json!({"path": "/", "fault": "reset", "when": "during"}),
                "delay only",
            ),
            (json!({"path": "/", "fault": "reset", "count": 0}), "count"),
            (
                json!({"path": "/", "fault": "reset", "count": -1}),
                "whole number",
            ),
            (
                json!({"path": "/", "fault": "reset", "method": "post"}),
                "upper-case",
            ),
            (
                json!({"path": "/", "fault": "stall", "ms": 300_001}),
                "ms must be",
            ),
            (
                json!({"path": "/", "fault": "status", "status": 201}),
                "200 or 400 to 599",
            ),
            (
                json!({"path": "/", "fault": "status", "status": 70000}),
                "200 or 400 to 599",
            ),
            (json!({"path": "/", "fault": "huge_body"}), "bytes"),
            (
                json!({"path": "/", "fault": "rate_limited", "retry_after": "1\r\nX: y"}),
                "control",
            ),
            (
                json!({"path": "/", "fault": "redirect", "location": "/a\nb"}),
                "control",
            ),
            (
                json!({"path": "/", "fault": "redirect", "location": 3}),
                "string",
            ),
        ];
        for (body, reason) in refusals {
            let why = parse(body.clone()).unwrap_err().0;
            assert!(why.contains(reason), "{body}: {why}");
        }
    }

    #[test]
    fn the_first_matching_fault_is_used_count_times() {
        let queue = Queue::default();
        queue
            .push(Fault::new("POST", "/orders", FaultKind::Reset).times(2))
            .unwrap();
        let pending = queue
            .push(Fault::under("POST", "/", FaultKind::InvalidJson))
            .unwrap();
        assert_eq!(pending, 3);
        assert_eq!(queue.take("GET", "/orders"), None);
        assert_eq!(
            queue.take("POST", "/orders/"),
            Some((FaultKind::Reset, When::Before))
        );
        assert_eq!(
            queue.take("POST", "/x"),
            Some((FaultKind::InvalidJson, When::Before))
        );
        assert_eq!(
            queue.take("POST", "/orders"),
            Some((FaultKind::Reset, When::Before))
        );
        assert_eq!(queue.take("POST", "/orders"), None);
        assert!(queue.pending().is_empty());
    }
}
