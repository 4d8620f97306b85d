//! The one transport: every HTTP call of every flow goes through
//! [`Transport::send`].
//!
//! It owns the client's agent ([`pool`]: per client, or shared by the
//! process for persistent clients), the authentication and identity
//! headers ([`auth`]), the call's deadline ([`deadline`]) and the retry
//! rules ([`retry`]), and
//! says of every failure whether the request can have reached the server
//! ([`failure`]). It returns every status to the caller as a
//! [`Response`]; a flow decides which statuses mean success and hands the
//! rest to [`Response::into_error`], the one place statuses become error
//! kinds (checkout.com's token endpoint reads its OAuth 400 first). Each
//! exchange is recorded ([`log`]).

mod agent;
mod answer_size;
mod auth;
pub(crate) mod deadline;
mod endpoint;
mod failure;
pub(crate) mod few;
pub(crate) mod fork;
pub mod log;
pub(crate) mod pool;
mod reference;
mod request;
mod resolve;
mod response;
mod retry;
mod sessions;
mod socket;
mod tls;
mod unclean_end;

pub(crate) use auth::{feed, Auth, SignRequest};
use request::Label;
pub(crate) use request::{Method, Request};
#[cfg(fuzzing)]
pub(crate) use response::fuzz_answer;
pub(crate) use response::{after_earlier, rails_errors, text_of, ErrorBody, ErrorFormat, Response};

use crate::connection::Connection;
use crate::error::{may_have, Error, Result};
use crate::redact::Masks;
use auth::sensitive;
use failure::{Failure, Reach};
use log::{Level, Logger};
use response::status_may_have_acted;
use serde_json::{Map, Value};
use std::io::Read as _;
use std::time::{Duration, Instant};
use ureq::http::{self, header, HeaderMap, HeaderName, HeaderValue};

/// The largest body read: far more than any answer of these APIs (the
/// identification form included). A bigger one is refused unread.
pub(crate) const MAX_BODY: u64 = 4 * 1024 * 1024;

/// A try that starts within this of the call takes the agent's timeouts
/// (the whole `timeout`) instead of the time left.
const FRESH: Duration = Duration::from_millis(10);

pub(crate) struct Transport {
    agents: pool::Agents,
    base_url: String,
    /// Whether the endpoint is on the internet: see [`Transport::is_public`].
    public: bool,
    /// Sent with every request; the authorization value is marked sensitive.
    headers: HeaderMap,
    /// Computes the authorization of each request, for signing schemes.
    signer: Option<Box<dyn SignRequest>>,
    errors: ErrorFormat,
    connect_timeout: Duration,
    timeout: Duration,
    log: Logger,
    /// What the server's words may echo of the credentials, masked where
    /// they are quoted (see `Response::masks`).
    masks: Masks,
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
        let endpoint::BaseUrl {
            text: base_url,
            uri,
            public,
        } = endpoint::checked_base_url(base_url)?;
        let user_agent = agent::user_agent(connection);
        let agents = agent::agents(&uri, connection, &auth, &user_agent)?;
        let mut headers = HeaderMap::new();
        // Here rather than left to ureq, which would check and copy both
        // values on every call.
        let user_agent = HeaderValue::from_str(&user_agent).map_err(|_| {
            Error::Config("user_agent has a character not allowed in a header".into())
        })?;
        headers.insert(header::USER_AGENT, user_agent);
        headers.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_static("identity"),
        );
        if let Some(value) = auth.fixed_value() {
            headers.insert(header::AUTHORIZATION, value);
        }
        for (name, value) in extra {
            let value = HeaderValue::from_str(value).map_err(|_| {
                Error::Config(format!("{name} has a character not allowed in a header"))
            })?;
            headers.insert(*name, value);
        }
        let masks = auth.masks();
        Ok(Transport {
            agents,
            base_url,
            public,
            headers,
            masks,
            signer: match auth {
                Auth::Signed(signer) => Some(signer),
                _ => None,
            },
            errors: ErrorFormat::SEQURA,
            connect_timeout: connection.connect_timeout,
            timeout: connection.timeout,
            log: Logger::new(connection.logger.clone(), connection.log_bodies),
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

    /// Whether the endpoint is on the internet (a public host, as
    /// [`crate::validate::url::is_public_host`] says): an API there can
    /// post back to the shop only at a URL the internet reaches. One on
    /// this machine or its network (the bundled sandbox, a stand-in on a
    /// private address) may reach a local one.
    pub fn is_public(&self) -> bool {
        self.public
    }

    /// A reference the server gave (a `Location`) in its answer to
    /// `request_url`, as an absolute URL: resolved as RFC 3986 (5.2)
    /// resolves it against the request's URL (`/path` on the endpoint's
    /// host, not under its path; `orders/x` after `POST {base}/orders` is
    /// `{base}/orders/x`, and `x` alone `{base}/x`; dot segments removed),
    /// to be checked by the caller.
    pub fn resolve(&self, request_url: &str, reference: &str) -> String {
        reference::resolve(request_url, reference)
    }

    /// `path` under the base URL.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }

    /// Sends `request` and reads the whole answer.
    ///
    /// A request that never reached the server is tried again after a
    /// connection failure; one that is safe to repeat
    /// ([`Request::retry_safe`]) also after 429 (after its Retry-After),
    /// 502/503/504, a connection that failed once it was sent (reset,
    /// closed, a success cut short), and at once when a pooled connection
    /// turns out closed or answers with bytes that are not HTTP. After a 408 on a pooled connection (the server did
    /// not take it), a request is sent again at once on a new connection:
    /// one not safe to repeat only when the 408 closed the connection.
    /// At most [`retry::MAX_ATTEMPTS`] tries, all within the configured
    /// timeout: a pause that does not leave time for a try is not taken,
    /// and the last answer (e.g. the 429 and its Retry-After) is returned.
    ///
    /// Once a try may have reached the server, the call never says that
    /// the request was not sent: a later try's refusal or failure to
    /// connect gives way to that try's error (see
    /// [`Response::into_error`]); a read's says sending it again is safe.
    ///
    /// The call ends by its `timeout`, or by the deadline of the call it is
    /// part of if that comes first ([`deadline`], [`Transport::one_call`]).
    pub fn send(&self, request: Request) -> Result<Response> {
        deadline::within(self.timeout, |deadline| self.send_by(request, deadline))
    }

    /// Runs `call`, which may send several requests through this transport
    /// (or another, as an OAuth token's), as one call of `timeout`: every
    /// request ends by the deadline of the first.
    pub fn one_call<R>(&self, call: impl FnOnce() -> R) -> R {
        deadline::within(self.timeout, |_| call())
    }

    fn send_by(&self, request: Request, deadline: Instant) -> Result<Response> {
        let target = match request.target() {
            Ok(target) => target,
            Err(e) => {
                let error = Error::invalid(
                    "url",
                    // Quoted as every URL is: without a user name,
                    // password, query or fragment, which may hold a secret.
                    format!(
                        "{} is not a valid URL: {e}",
                        crate::validate::url::quote_url(&request.url)
                    ),
                );
                self.log_failure(&Label::unparsed(request.method), &error);
                return Err(error);
            }
        };
        let mut backoff = retry::FIRST_BACKOFF;
        let mut attempt = 1;
        // The error of the last try that may have reached the server.
        let mut earlier: Option<Error> = None;
        loop {
            let tried = Instant::now();
            let mut outcome = self.send_once(&request, &target, deadline);
            if let Ok(response) = &mut outcome {
                response.attempt = attempt;
            }
            let pooled = !failure::current().connected;
            self.log_exchange(&request, &target, &outcome, attempt, tried.elapsed());
            let next = match &outcome {
                Ok(response) => {
                    retry::after_response(response, request.retry_safe, pooled, backoff)
                }
                Err(failure) => retry::after_failure(failure, request.retry_safe, backoff),
            };
            let remaining = deadline.saturating_duration_since(Instant::now());
            match next {
                Some((pause, why))
                    if attempt < retry::MAX_ATTEMPTS && retry::fits(pause, remaining) =>
                {
                    self.log_retry(&target, &outcome, attempt, pause, why);
                    earlier = may_have_acted(outcome).or(earlier);
                    std::thread::sleep(pause);
                    backoff = backoff.saturating_mul(2);
                    attempt += 1;
                }
                _ => {
                    let outcome = outcome.map_err(|failure| failure.error);
                    let result = response::after_earlier(outcome, earlier.map(Box::new));
                    if let Err(error) = &result {
                        self.log_failure(&target, error);
                    }
                    return result;
                }
            }
        }
    }

    fn send_once(
        &self,
        request: &Request,
        target: &Label,
        deadline: Instant,
    ) -> Result<Response, Box<Failure>> {
        let (mut head, ()) = http::Request::new(()).into_parts();
        head.method = request.method.http();
        head.uri = target.uri.clone();
        head.headers = self.headers.clone();
        head.headers
            .insert(header::ACCEPT, static_value("accept", request.accept)?);
        for (name, value) in &request.headers {
            let value = HeaderValue::from_str(value).map_err(|_| {
                Failure::refused(Error::invalid(
                    *name,
                    "has a character not allowed in an HTTP header",
                ))
            })?;
            head.headers.insert(*name, value);
        }
        let mut masks = request.masks(&self.masks);
        if let Some(signer) = &self.signer {
            let body = request.body.as_ref().map(|(_, b)| b.as_slice());
            let proof = signer
                .authorization(request.method.as_str(), &target.uri, body.unwrap_or(&[]))
                .map_err(Failure::refused)?;
            head.headers
                .insert(header::AUTHORIZATION, sensitive(proof.expose()));
            // The server may echo this try's credential (an access token).
            masks = masks.with_authorization(&proof);
        }
        // The trace of this try starts now: the signer may have made a
        // call of its own (an OAuth token).
        failure::begin();
        let answer = match &request.body {
            Some((content_type, bytes)) => {
                head.headers.insert(
                    header::CONTENT_TYPE,
                    static_value("content type", content_type)?,
                );
                self.run(http::Request::from_parts(head, bytes.as_slice()), deadline)
            }
            // An empty body is sent as one (`Content-Length: 0`), not
            // chunked: some proxies and firewalls refuse a chunked POST.
            None if request.method.acts() => {
                self.run(http::Request::from_parts(head, &[][..]), deadline)
            }
            None => self.run(http::Request::from_parts(head, ()), deadline),
        }
        .map_err(|e| {
            failure::classify(
                &target.to_string(),
                &self.base_url,
                self.agents.proxied(),
                e,
                failure::current(),
            )
        })?;
        let status = answer.status().as_u16();
        let (parts, body) = answer.into_parts();
        // What the server's words may quote of the customer is masked too,
        // where they are shown: in a refusal, and in a logged body.
        if !(200..300).contains(&status) || self.log.bodies {
            if let Some((_, bytes)) = &request.body {
                masks = masks.with(log::personal_values(bytes));
            }
        }
        let (body, body_unread) = match read_body(body, status, parts.version, &parts.headers) {
            Ok(body) => (body, false),
            // A refusal's kind is its status's, whatever its body: only
            // what the body was is said in its place.
            Err(error) if status >= 400 => (in_place_of_body(error).into_bytes(), true),
            Err(error) => {
                let request_id = response::request_id(&parts.headers, &self.errors, &masks);
                return Err(Box::new(self.unread(target, status, request_id, error)));
            }
        };
        Ok(Response {
            label: target.clone(),
            attempt: 1,
            status,
            headers: parts.headers,
            body,
            body_unread,
            errors: self.errors,
            log: self.log.clone(),
            earlier: None,
            masks,
        })
    }

    /// The failure of an answer whose body could not be read.
    fn unread(
        &self,
        target: &Label,
        status: u16,
        request_id: Option<String>,
        error: BodyError,
    ) -> Failure {
        let may_have_acted = status_may_have_acted(status);
        let transient = matches!(&error, BodyError::Io(e) if failure::body_read_is_transient(e));
        let label = target.to_string();
        // What was seen and refused (an answer this API does not
        // document), or the read that failed: a body cut short.
        let refused = match error {
            BodyError::Misframed(what) => Ok(format!("the answer has {what}, faulty framing that may be an attempt to smuggle another answer into the connection (RFC 9112, 6.1); it was not read, and its connection was closed")),
            BodyError::Coded(coding) => Ok(format!("the body is in {coding}, which the request did not accept (RFC 9112, 6.1: only chunked needs no asking); it was not read")),
            BodyError::TooLarge(Some(length)) => Ok(format!(
                "the body is larger than any answer of this API (Content-Length {length}, at most {MAX_BODY} bytes are read); it was not read"
            )),
            BodyError::TooLarge(None) => Ok(format!(
                "the body is larger than any answer of this API: reading stopped at {MAX_BODY} bytes, the most that are read, and what came was dropped"
            )),
            BodyError::Io(e) => Err(e),
        };
        let error = match refused {
            Ok(what) => {
                response::unexpected_response(label, status, &what, may_have_acted, request_id)
            }
            Err(e) => {
                let advice = if may_have_acted {
                    may_have("acted on", &label)
                } else {
                    String::new()
                };
                let id = crate::error::request_id_note(&request_id);
                Error::Transport {
                    message: format!(
                        "{label} answered {status}{id} but reading the body failed ({}){advice}",
                        failure::what_failed_reading(&e),
                    ),
                    may_have_acted,
                    status: Some(status),
                    request_id,
                }
            }
        };
        Failure {
            error,
            reach: Reach::MayHaveArrived,
            transient,
        }
    }

    fn run<B: ureq::AsSendBody>(
        &self,
        request: http::Request<B>,
        deadline: Instant,
    ) -> Result<http::Response<ureq::Body>, ureq::Error> {
        // Measured now: signing may have taken time (an OAuth token).
        let remaining = deadline.saturating_duration_since(Instant::now());
        let agent = self.agents.get();
        // A first try started at once runs with the agent's own timeouts:
        // a request-level configuration would make ureq set up TLS anew
        // for each new connection instead of once per agent.
        if self.timeout.saturating_sub(remaining) < FRESH {
            return agent.run(request);
        }
        let request = agent
            .configure_request(request)
            .timeout_global(Some(remaining))
            .timeout_resolve(Some(self.connect_timeout.min(remaining)))
            .timeout_connect(Some(self.connect_timeout.min(remaining)))
            .build();
        agent.run(request)
    }

    /// The debug record of one try.
    fn log_exchange(
        &self,
        request: &Request,
        label: &Label,
        outcome: &Result<Response, Box<Failure>>,
        attempt: u32,
        took: Duration,
    ) {
        if !self.log.enabled(Level::Debug) {
            return;
        }
        let mut context = self.context(label, attempt);
        context.insert("ms".into(), (took.as_millis() as u64).into());
        let message = match outcome {
            Ok(response) => {
                context.insert("status".into(), response.status.into());
                if let Some(id) = response.request_id() {
                    context.insert("request_id".into(), id.into());
                }
                if self.log.bodies {
                    let body = if answer_size::too_large(&response.body) {
                        let size = response.body.len();
                        format!("({size} bytes of JSON, more values than any answer holds)").into()
                    } else {
                        log::masked_body(&response.body, &response.masks)
                    };
                    context.insert("response_body".into(), body);
                }
                format!(
                    "{label} answered {} in {} ms",
                    response.status,
                    took.as_millis()
                )
            }
            Err(failure) => {
                context.insert("error".into(), failure.error.kind().as_str().into());
                answered(&mut context, &failure.error);
                format!("{label} failed in {} ms", took.as_millis())
            }
        };
        if self.log.bodies {
            if let Some((_, body)) = &request.body {
                let masks = request.masks(&self.masks);
                context.insert("request_body".into(), log::masked_body(body, &masks));
            }
        }
        self.log.record(Level::Debug, &message, &context);
    }

    /// The warning record of a try about to be repeated.
    fn log_retry(
        &self,
        label: &Label,
        outcome: &Result<Response, Box<Failure>>,
        attempt: u32,
        pause: Duration,
        why: retry::Why,
    ) {
        if !self.log.enabled(Level::Warning) {
            return;
        }
        let answer = match outcome {
            Ok(response) => ("status", response.status.into()),
            Err(failure) => ("error", failure.error.kind().as_str().into()),
        };
        self.log_again(label, attempt, pause, why.as_str(), answer);
    }

    /// The warning record of a request an API's client sends again at once
    /// after `response` (checkout.com's, with a new access token after a
    /// 401 to a cached one): the fields of any retry's.
    pub(crate) fn log_resend(&self, response: &Response, reason: &str) {
        if self.log.enabled(Level::Warning) {
            let answer = ("status", response.status.into());
            self.log_again(
                &response.label,
                response.attempt,
                Duration::ZERO,
                reason,
                answer,
            );
        }
    }

    /// A try of `label` is repeated after `pause`, for `reason`, after
    /// `answer` (its `status`, or the `error` that came instead).
    fn log_again(
        &self,
        label: &Label,
        attempt: u32,
        pause: Duration,
        reason: &str,
        (field, value): (&str, Value),
    ) {
        let mut context = self.context(label, attempt);
        context.insert("reason".into(), reason.into());
        context.insert("wait_ms".into(), (pause.as_millis() as u64).into());
        context.insert(field.into(), value);
        let message = format!(
            "{label} is tried again in {} ms: {reason}",
            pause.as_millis()
        );
        self.log.record(Level::Warning, &message, &context);
    }

    /// The error record of a call that failed without an answer (an
    /// answer's error is recorded by [`Response::into_error`]): what
    /// happened, without the message's advice on sending it again, which
    /// is the caller's to give (a request with an idempotency key is safe
    /// to send again with it, which only its flow knows); `may_have_acted`
    /// says whether the server may have acted.
    fn log_failure(&self, label: &Label, error: &Error) {
        if !self.log.enabled(Level::Error) {
            return;
        }
        let mut context = Map::new();
        context.insert("method".into(), label.method.as_str().into());
        context.insert("path".into(), label.path().into());
        context.insert("kind".into(), error.kind().as_str().into());
        context.insert("may_have_acted".into(), error.may_have_acted().into());
        answered(&mut context, error);
        let message = error.to_string();
        let message = crate::error::without_advice(&message);
        self.log.record(Level::Error, message, &context);
    }

    fn context(&self, label: &Label, attempt: u32) -> Map<String, Value> {
        let mut context = Map::new();
        context.insert("method".into(), label.method.as_str().into());
        context.insert("path".into(), label.path().into());
        context.insert("attempt".into(), attempt.into());
        context
    }
}

/// A header value the code names (a media type), checked rather than
/// trusted: a bad one refuses the request instead of panicking.
fn static_value(name: &str, value: &'static str) -> Result<HeaderValue, Box<Failure>> {
    if value
        .bytes()
        .all(|b| b == b'\t' || (0x20..0x7f).contains(&b))
    {
        return Ok(HeaderValue::from_static(value));
    }
    Err(Box::new(Failure::refused(Error::invalid(
        name,
        "has a character not allowed in an HTTP header",
    ))))
}

/// The error of a try that may have reached the server (an answer whose
/// status says the server may have acted, or a failure once the request
/// was sent), if it may have.
fn may_have_acted(outcome: Result<Response, Box<Failure>>) -> Option<Error> {
    match outcome {
        Ok(response) if response.may_have_acted() => Some(response.error_of_status()),
        Ok(_) => None,
        Err(failure) => (failure.reach != Reach::NotSent).then_some(failure.error),
    }
}

enum BodyError {
    /// Larger than [`MAX_BODY`]: by its Content-Length (`Some`, nothing
    /// read), or found reading it (`None`: reading stopped there).
    TooLarge(Option<u64>),
    /// Framing a server must not send, named ([`FRAMED_TWICE`],
    /// [`CHUNKED_HTTP_1_0`]).
    Misframed(&'static str),
    /// A transfer coding other than chunked (gzip, say), named: ureq would
    /// pass its coded bytes on as the body.
    Coded(String),
    Io(std::io::Error),
}

const FRAMED_TWICE: &str = "both Content-Length and Transfer-Encoding";
/// ureq reads an HTTP/1.0 answer to its connection's end whatever its
/// Transfer-Encoding says: the chunks' framing would be the body, and a
/// body cut short over TLS would go unnoticed.
const CHUNKED_HTTP_1_0: &str = "a chunked Transfer-Encoding in HTTP/1.0";

/// Whether a body with these headers ends where its connection does:
/// neither a `Content-Length` nor a chunked `Transfer-Encoding`.
fn ends_with_connection(headers: &HeaderMap) -> bool {
    !has_token(headers, header::TRANSFER_ENCODING, "chunked")
        && !headers.contains_key(header::CONTENT_LENGTH)
}

/// The transfer coding of an answer other than chunked, named for a
/// message (a coding's name is a short token; anything else is not
/// quoted), if it has one. `identity`, which older servers send for no
/// coding, changes no byte.
fn other_transfer_coding(headers: &HeaderMap) -> Option<String> {
    let other = listed_other_than(headers, header::TRANSFER_ENCODING, &["chunked", "identity"])?;
    let is_token = other.len() <= 32
        && other
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'-');
    Some(match std::str::from_utf8(other) {
        Ok(name) if is_token => format!("the transfer coding {name} (Transfer-Encoding)"),
        _ => "a transfer coding other than chunked (Transfer-Encoding)".to_string(),
    })
}

/// Whether the header `name` lists `token` (a comma-separated list, in
/// any case, over however many lines it came in; a value that is not
/// visible ASCII lists nothing).
fn has_token(headers: &HeaderMap, name: HeaderName, token: &str) -> bool {
    (headers.get_all(name).iter())
        .filter(|value| value.to_str().is_ok())
        .flat_map(tokens)
        .any(|item| item.eq_ignore_ascii_case(token.as_bytes()))
}

/// The first item the header `name` lists, over however many lines it
/// came in, that is none of `known` (in any case).
fn listed_other_than<'h>(
    headers: &'h HeaderMap,
    name: impl header::AsHeaderName,
    known: &[&str],
) -> Option<&'h [u8]> {
    (headers.get_all(name).iter())
        .flat_map(tokens)
        .find(|item| {
            !known
                .iter()
                .any(|k| item.eq_ignore_ascii_case(k.as_bytes()))
        })
}

/// The items of a comma-separated header value, without the spaces
/// around them.
fn tokens(value: &HeaderValue) -> impl Iterator<Item = &[u8]> {
    value
        .as_bytes()
        .split(|b| *b == b',')
        .map(<[u8]>::trim_ascii)
}

/// Why a body with this status, version and headers is refused unread:
/// framed both by length and by transfer coding, chunked in HTTP/1.0, or
/// in a transfer coding other than chunked. A 204 or a 304 has no body,
/// whatever its headers say (ureq reads none): nothing of it is refused.
fn refused_framing(status: u16, version: http::Version, headers: &HeaderMap) -> Option<BodyError> {
    if matches!(status, 204 | 304) {
        return None;
    }
    if headers.contains_key(header::TRANSFER_ENCODING) {
        if headers.contains_key(header::CONTENT_LENGTH) {
            return Some(BodyError::Misframed(FRAMED_TWICE));
        }
        // (`identity`, which older servers send, changes nothing: that
        // answer ends with its connection, as an HTTP/1.0 one does.)
        if version < http::Version::HTTP_11
            && has_token(headers, header::TRANSFER_ENCODING, "chunked")
        {
            return Some(BodyError::Misframed(CHUNKED_HTTP_1_0));
        }
    }
    other_transfer_coding(headers).map(BodyError::Coded)
}

/// Reads a whole body of at most [`MAX_BODY`] bytes. A bigger one is
/// refused from its Content-Length before reading, or as soon as the
/// limit is passed; one of faulty framing ([`refused_framing`]) unread.
/// The connection of a refused body is dropped, not pooled: ureq pools
/// only a connection whose body was read to its end.
fn read_body(
    mut body: ureq::Body,
    status: u16,
    version: http::Version,
    headers: &HeaderMap,
) -> Result<Vec<u8>, BodyError> {
    if let Some(refused) = refused_framing(status, version, headers) {
        return Err(refused);
    }
    let ends_with_connection = ends_with_connection(headers);
    unclean_end::take(); // what an earlier read noted is not this body's
    if let Some(length) = body.content_length().filter(|n| *n > MAX_BODY) {
        return Err(BodyError::TooLarge(Some(length)));
    }
    // Sized once from the announced length: no growing, no probing reads.
    let announced = body.content_length().unwrap_or(0);
    let mut bytes = Vec::with_capacity(announced as usize + 1);
    body.with_config()
        .limit(u64::MAX)
        .reader()
        .take(MAX_BODY + 1)
        .read_to_end(&mut bytes)
        .map_err(BodyError::Io)?;
    if bytes.len() as u64 > MAX_BODY {
        return Err(BodyError::TooLarge(None));
    }
    if ends_with_connection && unclean_end::take() {
        return Err(BodyError::Io(std::io::Error::new(
            std::io::ErrorKind::UnexpectedEof,
            "the answer has no length and its connection was reset or closed without TLS's closing alert, so it may be cut short",
        )));
    }
    Ok(bytes)
}

/// The status and request id of an answer that came before a failure
/// (its body could not be read), for a log record.
fn answered(context: &mut Map<String, Value>, error: &Error) {
    if let Some(status) = error.status() {
        context.insert("status".into(), status.into());
    }
    if let Some(id) = error.request_id() {
        context.insert("request_id".into(), id.into());
    }
}

/// What a refusal's body that could not be read was, said in its place.
fn in_place_of_body(error: BodyError) -> String {
    match error {
        BodyError::TooLarge(Some(length)) => {
            format!(
                "(a body larger than any answer of this API, Content-Length {length}: not read)"
            )
        }
        BodyError::TooLarge(None) => {
            format!(
                "(a body larger than any answer of this API: reading stopped at {MAX_BODY} bytes)"
            )
        }
        BodyError::Misframed(what) => format!("({what}: not read)"),
        BodyError::Coded(coding) => format!("(a body in {coding}: not read)"),
        // Cut short (reset, closed without TLS's closing alert, timed
        // out): the status line came whole, and it says what happened (a
        // 503 is retried as a 503 is).
        BodyError::Io(e) => format!(
            "(a body that could not be read whole: {})",
            failure::what_failed_reading(&e)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orders::{Config, Endpoint};

    #[test]
    fn a_media_type_a_header_cannot_hold_refuses_the_request_without_a_panic() {
        assert!(static_value("accept", "text/html; charset=utf-8").is_ok());
        let refused = static_value("accept", "text/html\r\nx-forged: 1").unwrap_err();
        assert_eq!(refused.reach, Reach::NotSent);
        assert!(
            refused.error.to_string().contains("accept"),
            "{}",
            refused.error
        );
    }

    #[test]
    fn a_location_is_resolved_against_the_endpoints_host_not_its_path() {
        let config = Config::new(Endpoint::Sandbox, "m", "user", "topsecret");
        let transport = |base: &str| {
            let auth = Auth::Bearer(crate::redact::Secret::new("t0ken-t0ken"));
            Transport::new(base, &config.connection, auth, &[]).unwrap()
        };
        let prefixed = transport("https://gw.example/api");
        let post = prefixed.url("/orders");
        assert_eq!(
            prefixed.resolve(&post, "/api/orders/x"),
            "https://gw.example/api/orders/x"
        );
        assert_eq!(
            prefixed.resolve(&post, "/orders/x"),
            "https://gw.example/orders/x"
        );
        assert_eq!(
            prefixed.resolve(&post, "//other.example/orders/x"),
            "https://other.example/orders/x"
        );
        assert_eq!(
            prefixed.resolve(&post, "https://gw.example/api/orders/x"),
            "https://gw.example/api/orders/x"
        );
        let bare = transport("https://gw.example:8443");
        assert_eq!(
            bare.resolve(&bare.url("/orders"), "/orders/x"),
            "https://gw.example:8443/orders/x"
        );
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
        use base64::Engine as _;
        assert!(!text.contains(&base64::engine::general_purpose::STANDARD.encode("user:topsecret")));
    }
}
