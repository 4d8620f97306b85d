//! The control endpoints every API shares (no auth, not part of any real
//! API): the fault queue, the per-route request count, the counters and
//! the TLS material. The crate docs describe each with an example.

use crate::faults::Fault;
use crate::paths::{normalize, PathMatch};
use crate::server::{wrong_method, Incoming, Reply};
use crate::tls::{unrelated_ca_pem, Tls};
use crate::Context;
use serde_json::json;

const GENERAL: [&str; 4] = [
    "/sandbox/faults",
    "/sandbox/requests",
    "/sandbox/stats",
    "/sandbox/tls",
];

/// Whether `path` is one of these endpoints (which faults never touch).
pub(crate) fn is_general(path: &str) -> bool {
    GENERAL.contains(&normalize(path))
}

/// `/sandbox/...` (segments after `sandbox`).
pub(crate) fn general(segments: &[&str], request: &Incoming, context: &Context) -> Option<Reply> {
    let method = request.method.as_str();
    Some(match segments {
        ["faults"] => match method {
            "POST" => queue_fault(request, context),
            "GET" => {
                let pending: Vec<_> = context
                    .faults
                    .pending()
                    .iter()
                    .map(Fault::to_json)
                    .collect();
                Reply::json(200, json!({ "pending": pending }))
            }
            "DELETE" => Reply::json(200, json!({ "cleared": context.faults.clear() })),
            _ => wrong_method(request, "GET, POST, DELETE"),
        },
        ["requests"] => match method {
            "GET" => count_requests(request, context),
            _ => wrong_method(request, "GET"),
        },
        ["stats"] => match method {
            "GET" => {
                let stats = context.counters.snapshot();
                Reply::json(
                    200,
                    json!({
                        "connections": stats.connections,
                        "tls_full_handshakes": stats.tls_full_handshakes,
                        "tls_resumed_handshakes": stats.tls_resumed_handshakes,
                        "requests": stats.requests,
                        "serving_us": stats.serving_us,
                    }),
                )
            }
            _ => wrong_method(request, "GET"),
        },
        ["tls"] => match method {
            "GET" => {
                let served = context.tls.as_ref();
                let mode = match served.map(|s| s.mode) {
                    None | Some(Tls::Off) => "off",
                    Some(Tls::On) => "on",
                    Some(Tls::BadName) => "bad_name",
                };
                Reply::json(
                    200,
                    json!({
                        "tls": mode,
                        "ca_pem": served.map(|s| &s.ca_pem),
                        "ca_file": served.map(|s| s.ca_file.display().to_string()),
                        "unrelated_ca_pem": unrelated_ca_pem(),
                    }),
                )
            }
            _ => wrong_method(request, "GET"),
        },
        _ => return None,
    })
}

/// `POST /sandbox/faults` with a fault as JSON → 200 `{"queued": count,
/// "pending": all answers faulted}`, or 422 with the reason.
fn queue_fault(request: &Incoming, context: &Context) -> Reply {
    let body = match request.json() {
        Ok(body) => body,
        Err(reply) => return reply,
    };
    let queued = Fault::from_json(&body).and_then(|fault| {
        let count = fault.count;
        context.faults.push(fault).map(|pending| (count, pending))
    });
    match queued {
        Ok((count, pending)) => Reply::json(200, json!({"queued": count, "pending": pending})),
        Err(why) => Reply::errors(422, [why.0]),
    }
}

/// `GET /sandbox/requests?method=POST&path=/orders` (or `path_prefix=`;
/// no `method`: any) → `{"count": n}`.
fn count_requests(request: &Incoming, context: &Context) -> Reply {
    let path = match (request.query("path"), request.query("path_prefix")) {
        (Some(path), None) => PathMatch::Exact(path.to_string()),
        (None, Some(prefix)) => PathMatch::Prefix(prefix.to_string()),
        _ => {
            return Reply::errors(
                422,
                ["give path (exact) or path_prefix, one of them".to_string()],
            )
        }
    };
    let count = context.counters.reached(request.query("method"), &path);
    Reply::json(200, json!({ "count": count }))
}
