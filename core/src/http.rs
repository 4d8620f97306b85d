//! The one transport: every HTTP call of every flow goes through
//! [`Transport::send`].
//!
//! It owns the ureq agent (one per client, so connections are reused), the
//! authentication and identity headers, the timeouts and the retry rules.
//! It returns every status to the caller as a [`Response`]; a flow decides
//! which statuses mean success and hands the rest to
//! [`Response::into_error`], the one place statuses become error kinds.

use crate::connection::Connection;
use crate::error::{Error, Remote, Result};
use crate::redact::{excerpt, Secret};
use crate::validate::url::is_loopback;
use base64::Engine as _;
use serde_json::Value;
use std::time::{Duration, Instant};
use ureq::http::{self, header, HeaderMap, HeaderValue, Uri};
use ureq::tls::{PemItem, RootCerts, TlsConfig};

/// At most this many tries of one request, when retrying is safe.
const MAX_ATTEMPTS: u32 = 3;
/// The first pause between tries; it doubles each time.
const FIRST_BACKOFF: Duration = Duration::from_millis(200);

pub(crate) const JSON: &str = "application/json";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Method {
    Get,
    Post,
    Put,
    Patch,
}

impl Method {
    fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
        }
    }

    /// Methods the server treats as idempotent, so a retry cannot act twice.
    fn is_idempotent(self) -> bool {
        matches!(self, Method::Get | Method::Put)
    }
}

/// One request, as a flow describes it: method, absolute URL, body, and
/// what it accepts back. The transport adds everything else.
pub(crate) struct Request {
    method: Method,
    url: String,
    body: Option<(&'static str, Vec<u8>)>,
    accept: &'static str,
    /// Headers of this request only (e.g. an idempotency key).
    headers: Vec<(&'static str, String)>,
    /// A POST the server deduplicates (it carries an idempotency key), so
    /// retrying it is as safe as retrying a PUT.
    retry_safe: bool,
}

impl Request {
    pub fn new(method: Method, url: String) -> Self {
        Request {
            method,
            url,
            body: None,
            accept: JSON,
            headers: Vec::new(),
            retry_safe: method.is_idempotent(),
        }
    }

    pub fn json(self, body: &Value) -> Self {
        // Serialising a Value cannot fail: its keys are strings.
        let bytes = serde_json::to_vec(body).unwrap_or_default();
        self.body(JSON, bytes)
    }

    /// An `application/x-www-form-urlencoded` body.
    pub fn form(self, pairs: &[(&str, &str)]) -> Self {
        let text = crate::form::encode_pairs(pairs.iter().copied());
        self.body("application/x-www-form-urlencoded", text.into_bytes())
    }

    /// A body of any media type, sent as given.
    pub fn body(mut self, content_type: &'static str, bytes: Vec<u8>) -> Self {
        self.body = Some((content_type, bytes));
        self
    }

    pub fn accept(mut self, media_type: &'static str) -> Self {
        self.accept = media_type;
        self
    }

    /// A header of this request only. A value a header cannot hold is
    /// refused when the request is sent, naming the header.
    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// Marks a POST as safe to retry because the server deduplicates it
    /// (it carries an idempotency key). Only a flow that sends such a key
    /// may call this.
    pub fn retry_safe(mut self) -> Self {
        self.retry_safe = true;
        self
    }

    /// `METHOD /path`, for messages: no host, no query string.
    fn label(&self) -> String {
        let path = self
            .url
            .parse::<Uri>()
            .map(|uri| uri.path().to_string())
            .unwrap_or_default();
        format!("{} {}", self.method.as_str(), path)
    }
}

/// A complete answer, whatever its status.
#[derive(Debug)]
pub(crate) struct Response {
    /// `METHOD /path` of the request, for messages.
    pub request: String,
    pub status: u16,
    headers: HeaderMap,
    pub body: Vec<u8>,
    /// How this API words its refusals.
    errors: ErrorFormat,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body as UTF-8 text, or an unexpected-response error.
    pub fn text(mut self) -> Result<String> {
        // The body moves into the string; the error needs only the status.
        String::from_utf8(std::mem::take(&mut self.body))
            .map_err(|_| self.unexpected("the body is not UTF-8"))
    }

    /// The body as JSON of type `T`, or an unexpected-response error that
    /// says what did not match.
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> Result<T> {
        serde_json::from_slice(&self.body).map_err(|e| {
            self.unexpected(&format!(
                "the body is not the documented JSON ({e}): {}",
                excerpt(&self.body)
            ))
        })
    }

    /// An error for an answer the API does not document. The server did
    /// answer, so a 2xx means it acted.
    pub fn unexpected(&self, what: &str) -> Error {
        Error::UnexpectedResponse {
            request: self.request.clone(),
            status: self.status,
            message: what.to_string(),
            may_have_acted: (200..300).contains(&self.status),
        }
    }

    /// The error kind of a status the flow did not expect: the one table
    /// from HTTP statuses to [`Error`] kinds.
    pub fn into_error(self) -> Error {
        let parsed = serde_json::from_slice::<Value>(&self.body)
            .ok()
            .and_then(|body| (self.errors.parse)(&body));
        let header_id = self
            .errors
            .request_id_header
            .and_then(|name| self.header(name))
            .map(str::to_string);
        let has_errors = parsed.is_some();
        let (errors, body_id) = parsed.map(|p| (p.errors, p.request_id)).unwrap_or_default();
        let remote = Remote {
            request: self.request.clone(),
            status: self.status,
            text: if has_errors {
                String::new()
            } else {
                excerpt(&self.body)
            },
            errors,
            request_id: header_id.or(body_id),
        };
        match self.status {
            // A request refused as sent, with the server's reasons (Paysera
            // names the fields): fix it and send again, as for a 422.
            400 if has_errors => Error::Unprocessable(remote),
            401 => Error::Authentication(remote),
            403 => Error::Forbidden(remote),
            404 => Error::NotFound(remote),
            // The caller needs the server's reasons to act on these two.
            409 | 422 if !has_errors => self.unexpected(&format!(
                "expected {} but got: {}",
                self.errors.shape,
                excerpt(&self.body)
            )),
            409 => Error::Conflict(remote),
            422 => Error::Unprocessable(remote),
            429 => Error::RateLimited {
                retry_after: self
                    .header("retry-after")
                    .and_then(|v| v.trim().parse().ok()),
                remote,
            },
            500..=599 => Error::Server(remote),
            _ => self.unexpected(&format!(
                "this status is not documented for this call; the server said: {}",
                excerpt(&self.body)
            )),
        }
    }
}

/// What an error body says, read by an API's [`ErrorFormat`].
#[derive(Debug, Default)]
pub(crate) struct ErrorBody {
    /// The server's reasons, each as one line of text.
    pub errors: Vec<String>,
    /// The id support asks for, when the body carries one.
    pub request_id: Option<String>,
}

/// How an API words its refusals: a parser of its JSON error body, the
/// body's shape for messages, and the header that carries a request id.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ErrorFormat {
    /// `None` when the body is not this API's error shape.
    pub parse: fn(&Value) -> Option<ErrorBody>,
    /// The documented shape, e.g. `a JSON body {"errors": [...]}`.
    pub shape: &'static str,
    pub request_id_header: Option<&'static str>,
}

impl ErrorFormat {
    /// seQura's `{"errors": [...]}`, each entry as text.
    pub const SEQURA: ErrorFormat = ErrorFormat {
        parse: sequra_errors,
        shape: "a JSON body {\"errors\": [...]}",
        request_id_header: None,
    };
}

fn sequra_errors(body: &Value) -> Option<ErrorBody> {
    let list = body.get("errors")?.as_array()?;
    Some(ErrorBody {
        errors: list.iter().map(text_of).collect(),
        request_id: None,
    })
}

/// A JSON value as one line of text: strings as they are, the rest as JSON.
pub(crate) fn text_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Signs one request, for schemes whose proof depends on the request itself
/// (Paysera's MAC covers the method, URL and body hash). Called for every
/// try, so each try gets a fresh nonce and timestamp.
pub(crate) trait SignRequest: Send + Sync {
    /// The `Authorization` value for this request.
    fn authorization(&self, method: &str, url: &Uri, body: &[u8]) -> Result<Secret>;
}

/// How the transport proves who it is.
pub(crate) enum Auth {
    Basic {
        username: String,
        password: Secret,
    },
    /// `Authorization: Bearer <token>`.
    Bearer(Secret),
    /// A value computed for each request.
    Signed(Box<dyn SignRequest>),
}

impl Auth {
    /// The fixed header value, for the schemes that have one.
    fn fixed_value(&self) -> Option<HeaderValue> {
        let text = match self {
            Auth::Signed(_) => return None,
            Auth::Basic { username, password } => {
                let token = base64::engine::general_purpose::STANDARD
                    .encode(format!("{username}:{}", password.expose()));
                format!("Basic {token}")
            }
            Auth::Bearer(token) => format!("Bearer {}", token.expose()),
        };
        Some(sensitive(&text))
    }
}

/// A header value that never shows in Debug output. A value with bytes a
/// header cannot hold becomes empty, which the server refuses as missing.
fn sensitive(text: &str) -> HeaderValue {
    let mut value = HeaderValue::from_str(text).unwrap_or_else(|_| HeaderValue::from_static(""));
    value.set_sensitive(true);
    value
}

pub(crate) struct Transport {
    agent: ureq::Agent,
    base_url: String,
    /// Sent with every request; the authorization value is marked sensitive.
    headers: HeaderMap,
    /// Computes the authorization of each request, for signing schemes.
    signer: Option<Box<dyn SignRequest>>,
    errors: ErrorFormat,
    connect_timeout: Duration,
    timeout: Duration,
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transport")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl Transport {
    /// A transport to `base_url` (checked: https, or http to loopback).
    /// `extra` headers go on every request (e.g. `Sequra-Merchant-Id`).
    /// Error bodies are read as seQura's until [`Transport::errors`] says
    /// otherwise.
    pub fn new(
        base_url: &str,
        connection: &Connection,
        auth: Auth,
        extra: &[(&'static str, &str)],
    ) -> Result<Self> {
        connection.check()?;
        let base_url = checked_base_url(base_url)?;
        let mut user_agent = format!("sequra/{} (Rust; ureq)", crate::VERSION);
        if let Some(extra) = &connection.user_agent {
            user_agent = format!("{user_agent} {extra}");
        }
        let agent_config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .max_redirects_will_error(false)
            .user_agent(user_agent)
            .accept_encoding("identity")
            .timeout_connect(Some(connection.connect_timeout))
            .timeout_global(Some(connection.timeout))
            .tls_config(tls_config(connection)?)
            .build();

        let mut headers = HeaderMap::new();
        if let Some(value) = auth.fixed_value() {
            headers.insert(header::AUTHORIZATION, value);
        }
        for (name, value) in extra {
            let value = HeaderValue::from_str(value).map_err(|_| {
                Error::Config(format!("{name} has a character not allowed in a header"))
            })?;
            headers.insert(*name, value);
        }
        Ok(Transport {
            agent: ureq::Agent::new_with_config(agent_config),
            base_url,
            headers,
            signer: match auth {
                Auth::Signed(signer) => Some(signer),
                _ => None,
            },
            errors: ErrorFormat::SEQURA,
            connect_timeout: connection.connect_timeout,
            timeout: connection.timeout,
        })
    }

    /// Reads this API's error bodies with `format`.
    pub fn errors(mut self, format: ErrorFormat) -> Self {
        self.errors = format;
        self
    }

    /// The endpoint's base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// `path` under the base URL.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }

    /// Sends `request` and reads the whole answer.
    ///
    /// Idempotent requests (and POSTs marked [`Request::retry_safe`]) are
    /// retried on connection failures, 429 (after its Retry-After) and
    /// 502/503/504, at most [`MAX_ATTEMPTS`] times and never past the
    /// configured timeout. Other requests are sent once.
    pub fn send(&self, request: Request) -> Result<Response> {
        let started = Instant::now();
        let mut backoff = FIRST_BACKOFF;
        let mut attempt = 1;
        loop {
            let remaining = self.timeout.saturating_sub(started.elapsed());
            let outcome = self.send_once(&request, remaining);
            let retry_in = match &outcome {
                Ok(response) => match response.status {
                    429 => response
                        .header("retry-after")
                        .and_then(|v| v.trim().parse().ok())
                        .map(Duration::from_secs)
                        .or(Some(backoff)),
                    502..=504 => Some(backoff),
                    _ => None,
                },
                // A connection that never opened: nothing reached the server.
                Err(error @ Error::Transport { .. }) if !error.may_have_acted() => Some(backoff),
                Err(_) => None,
            };
            let worth_it = |pause: Duration| {
                request.retry_safe
                    && attempt < MAX_ATTEMPTS
                    && started.elapsed() + pause + self.connect_timeout.min(remaining)
                        < self.timeout
            };
            match retry_in {
                Some(pause) if worth_it(pause) => {
                    std::thread::sleep(pause);
                    backoff *= 2;
                    attempt += 1;
                }
                _ => return outcome,
            }
        }
    }

    fn send_once(&self, request: &Request, remaining: Duration) -> Result<Response> {
        let label = request.label();
        let mut builder = http::Request::builder()
            .method(request.method.as_str())
            .uri(&request.url)
            .header(header::ACCEPT, request.accept);
        for (name, value) in &self.headers {
            builder = builder.header(name, value.clone());
        }
        for (name, value) in &request.headers {
            let value = HeaderValue::from_str(value).map_err(|_| {
                Error::invalid(*name, "has a character not allowed in an HTTP header")
            })?;
            builder = builder.header(*name, value);
        }
        if let Some(signer) = &self.signer {
            let uri: Uri = request.url.parse().map_err(|e| {
                Error::invalid("url", format!("{} is not a valid URL: {e}", request.url))
            })?;
            let body = request.body.as_ref().map(|(_, b)| b.as_slice());
            let proof = signer.authorization(request.method.as_str(), &uri, body.unwrap_or(&[]))?;
            builder = builder.header(header::AUTHORIZATION, sensitive(proof.expose()));
        }
        let fail = |e: ureq::Error| transport_error(&label, &self.base_url, e);
        let answer = match &request.body {
            Some((content_type, bytes)) => {
                let built = builder
                    .header(header::CONTENT_TYPE, *content_type)
                    .body(bytes.as_slice())
                    .map_err(|e| {
                        Error::invalid("url", format!("{} is not a valid URL: {e}", request.url))
                    })?;
                self.run(built, remaining).map_err(fail)?
            }
            None => {
                let built = builder.body(()).map_err(|e| {
                    Error::invalid("url", format!("{} is not a valid URL: {e}", request.url))
                })?;
                self.run(built, remaining).map_err(fail)?
            }
        };
        let status = answer.status().as_u16();
        let headers = answer.headers().clone();
        let body = answer
            .into_body()
            .read_to_vec()
            .map_err(|e| Error::Transport {
                message: format!(
                    "{label} answered {status} but reading the body failed ({e}); the server may have acted: check before retrying"
                ),
                may_have_acted: true,
            })?;
        Ok(Response {
            request: label,
            status,
            headers,
            body,
            errors: self.errors,
        })
    }

    fn run<B: ureq::AsSendBody>(
        &self,
        request: http::Request<B>,
        remaining: Duration,
    ) -> Result<http::Response<ureq::Body>, ureq::Error> {
        let request = self
            .agent
            .configure_request(request)
            .timeout_global(Some(remaining))
            .build();
        self.agent.run(request)
    }
}

/// Maps a failed exchange to a transport error that says whether the
/// request can have reached the server.
fn transport_error(label: &str, base_url: &str, error: ureq::Error) -> Error {
    use std::io::ErrorKind as Io;
    use ureq::Timeout;
    let never_sent = match &error {
        ureq::Error::HostNotFound | ureq::Error::ConnectionFailed => true,
        ureq::Error::Timeout(Timeout::Connect | Timeout::Resolve) => true,
        ureq::Error::Tls(_) | ureq::Error::Rustls(_) | ureq::Error::Pem(_) => true,
        ureq::Error::Io(e) => matches!(
            e.kind(),
            Io::ConnectionRefused | Io::AddrNotAvailable | Io::NotFound
        ),
        _ => false,
    };
    let advice = if never_sent {
        "the request was not sent; check that the endpoint is right and reachable"
    } else {
        "the server may have received the request: check the order's state before retrying"
    };
    Error::Transport {
        message: format!("{label} to {base_url} failed: {error}; {advice}"),
        may_have_acted: !never_sent,
    }
}

/// Refuses what must never carry credentials: plain http to a remote host,
/// credentials or a query in the URL.
fn checked_base_url(url: &str) -> Result<String> {
    let uri: Uri = url
        .parse()
        .map_err(|e| Error::Config(format!("endpoint {url:?} is not a URL: {e}")))?;
    let host = uri
        .host()
        .ok_or_else(|| Error::Config(format!("endpoint {url:?} has no host")))?;
    let authority = uri.authority().map(|a| a.as_str()).unwrap_or_default();
    if authority.contains('@') {
        return Err(Error::Config(
            "the endpoint URL must not hold credentials; use the username and password options"
                .into(),
        ));
    }
    if uri.query().is_some() {
        return Err(Error::Config(
            "the endpoint URL must not have a query string".into(),
        ));
    }
    match uri.scheme_str() {
        Some("https") => {}
        Some("http") if is_loopback(host) => {}
        Some("http") => {
            return Err(Error::Config(format!(
                "endpoint {url:?} is plain http to a remote host; use https (plain http is allowed only to loopback)"
            )))
        }
        _ => return Err(Error::Config(format!("endpoint {url:?} is not http(s)"))),
    }
    Ok(url.trim_end_matches('/').to_string())
}

/// Verification is always on: the built-in roots, or the given CA file.
fn tls_config(connection: &Connection) -> Result<TlsConfig> {
    let Some(path) = &connection.ca_file else {
        return Ok(TlsConfig::builder().build());
    };
    let bad = |why: String| Error::Config(format!("ca_file {}: {why}", path.display()));
    let pem = std::fs::read(path).map_err(|e| bad(e.to_string()))?;
    let mut certs = Vec::new();
    for item in ureq::tls::parse_pem(&pem) {
        if let PemItem::Certificate(cert) = item.map_err(|e| bad(e.to_string()))? {
            certs.push(cert);
        }
    }
    if certs.is_empty() {
        return Err(bad("no PEM certificate in the file".into()));
    }
    Ok(TlsConfig::builder()
        .root_certs(RootCerts::new_with_certs(&certs))
        .build())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orders::{Config, Endpoint};

    #[test]
    fn plain_http_is_only_for_loopback() {
        assert!(checked_base_url("http://127.0.0.1:8080").is_ok());
        assert!(checked_base_url("http://localhost:8080/").is_ok());
        assert!(checked_base_url("http://[::1]:8080").is_ok());
        let err = checked_base_url("http://sandbox.sequrapi.com").unwrap_err();
        assert!(err.to_string().contains("plain http"), "{err}");
        assert!(checked_base_url("https://user:pw@example.com").is_err());
        assert!(checked_base_url("ftp://example.com").is_err());
    }

    #[test]
    fn error_lists_are_read_as_text() {
        let body = serde_json::json!({"errors": ["a", {"code": 1}]});
        assert_eq!(
            sequra_errors(&body).unwrap().errors,
            vec!["a".to_string(), r#"{"code":1}"#.to_string()]
        );
        assert!(sequra_errors(&serde_json::json!("HTTP Basic: Access denied.")).is_none());
    }

    fn response(status: u16, body: &[u8]) -> Response {
        Response {
            request: "PUT /orders/x".into(),
            status,
            headers: HeaderMap::new(),
            body: body.to_vec(),
            errors: ErrorFormat::SEQURA,
        }
    }

    #[test]
    fn statuses_map_to_kinds() {
        use crate::ErrorKind::*;
        let kind = |status, body: &[u8]| response(status, body).into_error().kind();
        assert_eq!(kind(401, b"HTTP Basic: Access denied."), Authentication);
        assert_eq!(kind(404, br#"{"errors":[]}"#), NotFound);
        assert_eq!(kind(409, br#"{"errors":["x"]}"#), Conflict);
        assert_eq!(kind(409, b"<html>"), UnexpectedResponse);
        assert_eq!(kind(503, b"down"), Server);
        assert_eq!(kind(418, b""), UnexpectedResponse);
        assert_eq!(kind(400, br#"{"errors":["amount"]}"#), Unprocessable);
        assert_eq!(kind(400, b"<html>bad request</html>"), UnexpectedResponse);
    }

    #[test]
    fn authorization_is_never_in_debug_output() {
        let config = Config::new(Endpoint::Sandbox, "m", "user", "topsecret");
        let auth = Auth::Basic {
            username: "user".into(),
            password: config.password.clone(),
        };
        let transport =
            Transport::new("https://example.com", &config.connection, auth, &[]).unwrap();
        let text = format!("{transport:?} {:?}", transport.headers);
        assert!(!text.contains("topsecret"));
        assert!(!text.contains(&base64::engine::general_purpose::STANDARD.encode("user:topsecret")));
    }
}
