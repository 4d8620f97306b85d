//! Who may call: `Authorization: Bearer` with the secret key or an access
//! token, and the OAuth 2.0 token endpoint that issues those tokens for
//! client credentials (HTTP Basic, or `client_id` and `client_secret` in
//! the form, as RFC 6749 allows both).

use super::{
    ids, Answer, CHECKOUT_COM_CLIENT_ID, CHECKOUT_COM_CLIENT_SECRET, CHECKOUT_COM_SECRET_KEY,
};
use crate::codec::{basic_credentials, decode_form_value, field};
use crate::server::{Incoming, Reply};
use crate::Context;
use serde_json::json;

/// How long an access token lives, as the real endpoint says.
const TOKEN_LIFETIME: u64 = 3600;

/// Whether the request carries the secret key or a live access token.
/// The scheme must be `Bearer`, as on the current platform.
pub(super) fn authorized(request: &Incoming, context: &Context) -> bool {
    let Some((scheme, credential)) = request
        .header("authorization")
        .and_then(|v| v.trim().split_once(' '))
    else {
        return false;
    };
    let credential = credential.trim();
    scheme.eq_ignore_ascii_case("bearer")
        && (credential == CHECKOUT_COM_SECRET_KEY
            || context.checkout_com.lock().tokens.contains(credential))
}

/// `POST /connect/token` with `grant_type=client_credentials` and an
/// optional `scope` → 200 and a Bearer token; 401 `invalid_client` for
/// wrong credentials, 400 for another grant type or a scope outside the
/// gateway.
pub(super) fn token(request: &Incoming, context: &Context) -> Answer {
    let form = request.form();
    // Basic client credentials are form-encoded (RFC 6749, 2.3.1).
    let from_header = request
        .header("authorization")
        .and_then(basic_credentials)
        .map(|(id, secret)| (decode_form_value(&id), decode_form_value(&secret)));
    let from_form = match (field(&form, "client_id"), field(&form, "client_secret")) {
        (Some(id), Some(secret)) => Some((id.to_string(), secret.to_string())),
        _ => None,
    };
    let valid = from_header.or(from_form).is_some_and(|(id, secret)| {
        id == CHECKOUT_COM_CLIENT_ID && secret == CHECKOUT_COM_CLIENT_SECRET
    });
    if !valid {
        return Answer::json(401, json!({"error": "invalid_client"}));
    }
    if field(&form, "grant_type") != Some("client_credentials") {
        return Answer::json(400, json!({"error": "unsupported_grant_type"}));
    }
    let scope = field(&form, "scope").unwrap_or("gateway");
    if !scope
        .split(' ')
        .all(|s| s == "gateway" || s.starts_with("gateway:"))
    {
        return Answer::json(
            400,
            json!({"error": "invalid_scope", "error_description": "the sandbox grants gateway scopes only"}),
        );
    }
    let token = ids::new_token();
    let mut state = context.checkout_com.lock();
    state.tokens.insert(token.clone());
    state.tokens_issued += 1;
    Answer::json(
        200,
        json!({"access_token": token, "token_type": "Bearer", "expires_in": TOKEN_LIFETIME, "scope": scope}),
    )
}

/// `GET /sandbox/checkout_com/oauth`: how many tokens were issued, and how
/// many still work.
pub(super) fn inspect(context: &Context) -> Reply {
    let state = context.checkout_com.lock();
    Reply::json(
        200,
        json!({"tokens_issued": state.tokens_issued, "tokens_valid": state.tokens.len()}),
    )
}

/// `POST /sandbox/checkout_com/oauth/expire`: every token issued so far
/// stops working, as when they expire or are revoked.
pub(super) fn expire(context: &Context) -> Reply {
    let mut state = context.checkout_com.lock();
    let revoked = state.tokens.len();
    state.tokens.clear();
    Reply::json(200, json!({"revoked": revoked}))
}
