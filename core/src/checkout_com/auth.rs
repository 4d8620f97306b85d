//! OAuth 2.0 client credentials: the access token, fetched from the token
//! endpoint and cached until shortly before it expires.
//!
//! The API transport asks for `Bearer <token>` on every try through
//! [`SignRequest`], so a token that expired between two tries is renewed
//! without the caller noticing.

use crate::connection::Connection;
use crate::error::{request_id_note, without_advice, Error, Result};
use crate::http::fork::ForkLock;
use crate::http::{text_of, Auth, ErrorBody, ErrorFormat, Method, Request, SignRequest, Transport};
use crate::redact::Secret;
use serde::Deserialize;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, MutexGuard, OnceLock};
use std::thread::{self, ThreadId};
use std::time::{Duration, Instant};
use ureq::http::Uri;

/// A token is renewed this long before it expires, so that it never
/// expires on its way to the server.
const RENEW_MARGIN: Duration = Duration::from_secs(60);
/// Assumed when the token endpoint does not say how long a token lives.
const DEFAULT_LIFETIME: Duration = Duration::from_secs(300);
/// The longest a token is kept, whatever `expires_in` says (a huge one is
/// garbage, and would overflow the clock).
const MAX_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);

/// The longest access token taken: it is sent in a header line of every
/// API request (checkout.com's are JWTs of a kilobyte or two).
const MAX_TOKEN: usize = 8 * 1024;

/// The token endpoint's refusals: RFC 6749's `{"error", "error_description"}`.
const OAUTH_ERRORS: ErrorFormat = ErrorFormat {
    parse: oauth_errors,
    request_id_header: Some("cko-request-id"),
    credentials: crate::error::Credentials::OAuthClient,
};

fn oauth_errors(body: &Value) -> Option<ErrorBody> {
    let error = body.get("error")?;
    let mut line = text_of(error);
    if let Some(description) = body.get("error_description").and_then(Value::as_str) {
        line = format!("{line}: {description}");
    }
    Some(ErrorBody {
        errors: vec![line],
        request_id: None,
    })
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
    #[serde(default)]
    token_type: Option<String>,
    /// Seconds; a server may write `"3600"` or `3600.0`, and a value of
    /// no use is the default lifetime.
    #[serde(default, deserialize_with = "crate::lenient::optional_integer")]
    expires_in: Option<i64>,
}

struct Token {
    value: Secret,
    renew_at: Instant,
}

/// The token, and the thread fetching a new one, if one is.
#[derive(Default)]
struct Cached {
    token: Option<Token>,
    fetching: Option<ThreadId>,
}

/// The token of one set of client credentials and the fetch under way: a
/// client's own, or, with the `persistent` connection option, shared by
/// every client of the process with the same credentials ([`shared`]), as
/// the connections are: a PHP-FPM worker, which builds a client for each
/// PHP request, then fetches a token an hour rather than one a request.
#[derive(Default)]
struct TokenCache {
    /// A forked child whose parent's thread held it at the fork fetches
    /// a token for each call, caching none.
    cached: ForkLock<Cached>,
    /// Told when a fetch ends, to the calls waiting for its token.
    fetched: Condvar,
}

/// How many sets of credentials a process keeps a shared token for: past
/// them, the one least recently asked for is dropped (its clients keep
/// it). As many as the pool's agents: a marketplace's worker building a
/// client for each of a few dozen merchants in turn fetches each one's
/// token once an hour, not once a request.
const SHARED_TOKENS: usize = 64;

/// The shared cache of the credentials `identity` stands for (a hash:
/// never the secret itself).
fn shared(identity: [u8; 32]) -> Arc<TokenCache> {
    type Caches = Vec<([u8; 32], Arc<TokenCache>)>;
    static CACHES: OnceLock<ForkLock<Caches>> = OnceLock::new();
    // A forked child whose parent held the list at the fork: its own.
    let Some(mut caches) = CACHES.get_or_init(Default::default).lock() else {
        return Arc::default();
    };
    // Least recently asked for first: a client built is a client used
    // (a PHP request builds one for each call it makes).
    let cache = match caches.iter().position(|(id, _)| *id == identity) {
        Some(at) => caches.remove(at).1,
        None => {
            if caches.len() >= SHARED_TOKENS {
                caches.remove(0);
            }
            Arc::default()
        }
    };
    caches.push((identity, Arc::clone(&cache)));
    cache
}

/// The access token of one set of client credentials, shared by the
/// client (which drops it when the API refuses it) and its transport.
pub(crate) struct TokenSource {
    transport: Transport,
    /// Masked in the API's answers too (see `BearerToken::secrets`).
    client_secret: Secret,
    scope: String,
    cache: Arc<TokenCache>,
    /// The longest a call waits for another's fetch (the transport's
    /// `timeout`, which bounds a fetch) before it fetches its own.
    wait_at_most: Duration,
    /// How many tokens were fetched, to tell a cached token from a fresh one.
    fetches: AtomicU64,
    /// A hash of the access URL, the client credentials and the scope: the
    /// API transport's identity in the per-process pool.
    identity: [u8; 32],
}

impl std::fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenSource")
            .field("access_url", &self.transport.base_url())
            .finish_non_exhaustive()
    }
}

impl TokenSource {
    /// A source of tokens from `access_url` for these client credentials,
    /// sent with HTTP Basic as OAuth does (form-encoded first); its cache is shared
    /// in the process when the connection is `persistent`.
    pub fn new(
        access_url: &str,
        connection: &Connection,
        client_id: &str,
        client_secret: &Secret,
        scope: &str,
    ) -> Result<TokenSource> {
        let auth = Auth::ClientCredentials {
            id: client_id.to_string(),
            secret: client_secret.clone(),
        };
        // Never from the pool: the token is what is shared (fetched once an
        // hour, its connection idle long past the pool's 30 s), and a pooled
        // agent would take a second of the pool's slots for each merchant.
        let unpooled = Connection {
            persistent: false,
            ..connection.clone()
        };
        let transport = Transport::new(access_url, &unpooled, auth, &[])?.errors(OAUTH_ERRORS);
        let mut identity = Sha256::new();
        for field in [access_url, client_id, client_secret.expose(), scope] {
            crate::http::feed(&mut identity, field.as_bytes());
        }
        let identity: [u8; 32] = identity.finalize().into();
        Ok(TokenSource {
            transport,
            client_secret: client_secret.clone(),
            scope: scope.to_string(),
            cache: if connection.persistent {
                shared(identity)
            } else {
                Arc::default()
            },
            wait_at_most: connection.timeout,
            fetches: AtomicU64::new(0),
            identity,
        })
    }

    fn lock(&self) -> Option<MutexGuard<'_, Cached>> {
        self.cache.cached.lock()
    }

    /// The cached token, or a new one when there is none or it is about to
    /// expire. Concurrent calls share one fetch; the lock is not held
    /// during it, as the fetch's log records go to the caller's logger,
    /// which may call this client again (on the fetching thread, such a
    /// call fetches its own token rather than wait for itself).
    pub fn token(&self) -> Result<Secret> {
        let me = thread::current().id();
        // (The timeout is checked to be at most ten minutes: no overflow.)
        // No later than the call this token is fetched for must end.
        let start = Instant::now();
        let mut give_up_at = start.checked_add(self.wait_at_most).unwrap_or(start);
        if let Some(call) = crate::http::deadline::current() {
            give_up_at = give_up_at.min(call);
        }
        let Some(mut cached) = self.lock() else {
            return self.fetch().map(|token| token.value);
        };
        loop {
            let now = Instant::now();
            if let Some(token) = cached.token.as_ref().filter(|t| now < t.renew_at) {
                return Ok(token.value.clone());
            }
            match cached.fetching {
                Some(other) if other != me && now < give_up_at => {
                    cached = self
                        .cache
                        .fetched
                        .wait_timeout(cached, give_up_at - now)
                        .unwrap_or_else(|e| e.into_inner())
                        .0;
                }
                Some(_) => {
                    // This thread's own fetch, re-entered from its logger,
                    // or one that outlived its bound: another token.
                    drop(cached);
                    return self.fetch().map(|token| token.value);
                }
                None => break,
            }
        }
        cached.fetching = Some(me);
        drop(cached);
        // Caches the token, if there is one, and tells the waiting calls,
        // when it drops: after the fetch, or at its error.
        let mut fetching = Fetching(self, None);
        let token = self.fetch()?;
        let value = token.value.clone();
        fetching.1 = Some(token);
        Ok(value)
    }

    /// Drops the cached token (the API refused it: revoked, or expired
    /// early), so that the next call fetches a new one.
    pub fn invalidate(&self) {
        if let Some(mut cached) = self.lock() {
            cached.token = None;
        }
    }

    /// How many tokens were fetched so far.
    pub fn fetches(&self) -> u64 {
        self.fetches.load(Ordering::SeqCst)
    }

    /// `POST {access_url}` with `grant_type=client_credentials&scope=...`
    /// → 200 `{"access_token", "token_type": "Bearer", "expires_in"}`.
    /// 400 or 401 `{"error": "invalid_client"}` → [`Error::Authentication`];
    /// another 400 (`invalid_scope`, ...) → [`Error::Config`].
    fn fetch(&self) -> Result<Token> {
        // Asking twice only issues two tokens, so a retry is harmless.
        let request = Request::new(Method::Post, self.transport.url(""))
            .form(&[("grant_type", "client_credentials"), ("scope", &self.scope)])
            .retry_safe();
        let response = self.transport.send(request)?;
        self.fetches.fetch_add(1, Ordering::SeqCst);
        match response.status {
            200 => {}
            400 => {
                // The reasons as every error keeps them: masked (a token
                // endpoint may echo the client secret), bounded, one line each.
                let remote = response.remote();
                let error = if remote
                    .errors
                    .iter()
                    .any(|e| e.starts_with("invalid_client"))
                {
                    Error::Authentication(remote)
                } else {
                    Error::Config(format!(
                        "the token endpoint refused the request ({}): check the scope option and that these credentials may use it",
                        if remote.errors.is_empty() { "no details".to_string() } else { remote.errors.join("; ") }
                    ))
                };
                return Err(response.logged(error));
            }
            _ => return Err(response.into_error()),
        }
        let answer: TokenAnswer = response.json()?;
        let bearer = answer
            .token_type
            .as_deref()
            .is_none_or(|t| t.eq_ignore_ascii_case("bearer"));
        if answer.access_token.is_empty() || !bearer {
            return Err(response.unexpected("the answer holds no Bearer access_token"));
        }
        // It goes in a header line of every API request.
        if answer.access_token.len() > MAX_TOKEN
            || !answer.access_token.bytes().all(|b| b.is_ascii_graphic())
        {
            return Err(response.unexpected(&format!(
                "its access_token ({} bytes) is not a token of at most {MAX_TOKEN} printable ASCII characters",
                answer.access_token.len()
            )));
        }
        let lifetime = answer
            .expires_in
            .and_then(|seconds| u64::try_from(seconds).ok())
            .map(Duration::from_secs)
            .unwrap_or(DEFAULT_LIFETIME)
            .min(MAX_LIFETIME);
        let margin = RENEW_MARGIN.min(lifetime / 2);
        let now = Instant::now();
        Ok(Token {
            value: Secret::new(answer.access_token),
            renew_at: now.checked_add(lifetime - margin).unwrap_or(now),
        })
    }
}

/// A fetch under way, and the token it fetched: when it ends, however it
/// ends (a panic too), the token is cached, the fetch no longer noted and
/// the waiting calls told.
struct Fetching<'a>(&'a TokenSource, Option<Token>);

impl Drop for Fetching<'_> {
    fn drop(&mut self) {
        if let Some(mut cached) = self.0.lock() {
            cached.fetching = None;
            if let Some(token) = self.1.take() {
                cached.token = Some(token);
            }
        }
        self.0.cache.fetched.notify_all();
    }
}

/// The API transport's view of a [`TokenSource`]: `Bearer <token>` for
/// every try.
pub(crate) struct BearerToken(pub Arc<TokenSource>);

impl SignRequest for BearerToken {
    fn authorization(&self, _method: &str, _url: &Uri, _body: &[u8]) -> Result<Secret> {
        let token = self.0.token().map_err(not_sent)?;
        Ok(Secret::new(format!("Bearer {}", token.expose())))
    }

    fn identify(&self, key: &mut Sha256) -> bool {
        key.update(self.0.identity);
        true
    }

    /// The API may echo the client secret too, not only the token.
    fn secrets(&self) -> Vec<Secret> {
        vec![self.0.client_secret.clone()]
    }
}

/// A token that could not be had stops the call before it is sent: the
/// token endpoint may have issued one, but the API was asked nothing, so
/// the call is not one that "may have acted" (a 500 or a lost answer of
/// the token endpoint would otherwise say so).
fn not_sent(error: Error) -> Error {
    if !error.may_have_acted() {
        return error;
    }
    let what = match &error {
        Error::Server(remote) => format!(
            "{} answered {}: {}",
            remote.request,
            remote.status,
            remote.said()
        ),
        // Their advice to check what the server did is not this call's.
        Error::Transport { message, .. } => without_advice(message).to_string(),
        Error::UnexpectedResponse {
            request,
            status,
            message,
            request_id,
            ..
        } => format!(
            "{request} answered {status}{}: {}",
            request_id_note(request_id),
            without_advice(message)
        ),
        other => other.to_string(),
    };
    Error::Transport {
        message: format!(
            "no access token ({what}); the request was not sent: send it again as it is, later"
        ),
        may_have_acted: false,
        status: None,
        // The API was not asked: the message names the token endpoint's
        // id of its answer, for checkout.com's support.
        request_id: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_lifetime_written_as_text_or_a_float_is_read() {
        for expires_in in [json!(3600), json!("3600"), json!(3600.0)] {
            let answer: TokenAnswer =
                serde_json::from_value(json!({"access_token": "t", "expires_in": expires_in}))
                    .unwrap();
            assert_eq!(answer.expires_in, Some(3600));
        }
    }

    #[test]
    fn a_shared_token_asked_for_between_many_others_is_kept_and_one_not_asked_for_is_dropped() {
        // Identities of this test alone (other tests share the process).
        let identity = |n: usize| {
            let mut id = [0x5a; 32];
            id[..8].copy_from_slice(&(n as u64).to_le_bytes());
            id
        };
        let kept = shared(identity(0));
        for n in 1..=3 * SHARED_TOKENS {
            shared(identity(n));
            if n % 8 == 0 {
                assert!(
                    Arc::ptr_eq(&kept, &shared(identity(0))),
                    "dropped after {n}"
                );
            }
        }
        for n in 0..SHARED_TOKENS {
            shared(identity(1000 + n));
        }
        assert!(
            !Arc::ptr_eq(&kept, &shared(identity(0))),
            "kept past the bound"
        );
    }

    #[test]
    fn oauth_errors_are_read_with_their_description() {
        let body = oauth_errors(&json!({"error": "invalid_scope", "error_description": "no"}));
        assert_eq!(body.unwrap().errors, ["invalid_scope: no"]);
        assert!(oauth_errors(&json!({})).is_none());
    }

    #[test]
    fn the_client_secret_is_never_in_debug_output() {
        let source = TokenSource::new(
            "https://access.sandbox.checkout.com/connect/token",
            &Connection::default(),
            "ack_x",
            &Secret::new("very-secret"),
            "gateway",
        )
        .unwrap();
        assert!(!format!("{source:?}").contains("very-secret"));
    }
}
