//! The control endpoints every API shares (no auth, not part of any real
//! API): the per-route request count, the counters and the TLS material. The crate docs describe each with an example.

use crate::paths::{normalize, PathMatch};
use crate::server::{wrong_method, Incoming, Reply};
use crate::tls::{unrelated_ca_pem, Tls};
use crate::Context;
use serde_json::json;

const GENERAL: [&str; 3] = ["/sandbox/requests", "/sandbox/stats", "/sandbox/tls"];

/// Whether `path` is one of these endpoints.
pub(crate) fn is_general(path: &str) -> bool {
    GENERAL.contains(&normalize(path))
}

/// `/sandbox/...` (segments after `sandbox`).
pub(crate) fn general(segments: &[&str], request: &Incoming, context: &Context) -> Option<Reply> {
    let method = request.method.as_str();
    Some(match segments {
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
