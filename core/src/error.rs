//! The one error type of the library.
//!
//! Each variant is a kind a caller acts on differently. Every message says
//! what went wrong and what to do next, and never holds a secret. Every
//! error also says whether the remote side may have acted on the request
//! ([`Error::may_have_acted`]), so that nothing is lost after a failure.

use crate::validate::Problems;
use serde::Serialize;
use serde_json::{json, Value};
use std::fmt;

/// One problem found in the caller's input, at a path inside the payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Where the problem is, e.g. `cart.items[2].price_with_tax`.
    pub path: String,
    /// A sentence a shop developer understands.
    pub message: String,
    /// How many problems this one stands for, unlisted: more than 0 only
    /// in the last problem of a list cut at [`crate::validate::MAX_PROBLEMS`]
    /// ([`Problems::finish`]), whose message says the same in words.
    #[serde(skip)]
    pub(crate) unlisted: usize,
}

impl Problem {
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            path: path.into(),
            message: message.into(),
            unlisted: 0,
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// What the remote API answered when it refused a request. Only the
/// library makes one (`non_exhaustive`: a field added later, such as
/// advice of its own, breaks no caller).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Remote {
    /// The request, as `METHOD /path` (no query string, no host).
    pub request: String,
    /// The HTTP status code.
    pub status: u16,
    /// The server's own list of errors (`{"errors": [...]}`), if it sent one.
    pub errors: Vec<String>,
    /// The server's text when it sent no error list (an excerpt).
    pub text: String,
    /// The id the server gave this request, for its support (e.g.
    /// checkout.com's `Cko-Request-Id`).
    pub request_id: Option<String>,
    /// The API's credentials, as a 401's message names them.
    pub credentials: Credentials,
}

/// An API's credentials, as a refusal of them (401) names them and a
/// refusal of a call (403) says what to check. (One byte: an [`Error`]
/// stays small.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Credentials {
    /// seQura's and the POS API's HTTP Basic.
    UsernameAndPassword,
    /// Paysera's MAC authentication.
    Mac,
    /// checkout.com's secret key, or its OAuth client.
    CheckoutCom,
    /// checkout.com's OAuth token endpoint.
    OAuthClient,
}

impl fmt::Display for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Credentials::UsernameAndPassword => "username and password",
            Credentials::Mac => "MAC id and MAC secret",
            Credentials::CheckoutCom => "secret key, or OAuth client id and secret",
            Credentials::OAuthClient => "OAuth client id and secret",
        })
    }
}

impl Credentials {
    /// What a 403 (valid credentials that may not do this) asks to check.
    fn forbidden_hint(self) -> &'static str {
        match self {
            Credentials::UsernameAndPassword => "check that the merchant id matches the credentials",
            Credentials::Mac => {
                "check that the payment request belongs to the project of the MAC id, and that the project may use Paysera Checkout"
            }
            Credentials::CheckoutCom => {
                "check that the secret key, or the OAuth client's scope, allows this call, and that the processing channel belongs to the account"
            }
            Credentials::OAuthClient => "check that the OAuth client may have the scope asked for",
        }
    }
}

impl Remote {
    /// The server's words: its error list, or else its text.
    pub(crate) fn said(&self) -> String {
        let mut said = if !self.errors.is_empty() {
            self.errors.join("; ")
        } else if !self.text.is_empty() {
            self.text.clone()
        } else {
            "no details".to_string()
        };
        // It ends a clause of the message ("...: Access denied; check..."),
        // so not with a full stop of its own.
        if said.ends_with('.') && !said.ends_with("..") {
            said.pop();
        }
        said.push_str(&request_id_note(&self.request_id));
        said
    }
}

/// ` (request id ...)` after what the server said, or after the status
/// of an answer that made no sense, when the server sent one.
pub(crate) fn request_id_note(request_id: &Option<String>) -> String {
    request_id
        .as_ref()
        .map(|id| format!(" (request id {id})"))
        .unwrap_or_default()
}

/// The kinds of error, with stable names used by the C and PHP skins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    InvalidInput,
    Config,
    Authentication,
    Forbidden,
    NotFound,
    Conflict,
    Unprocessable,
    RateLimited,
    Server,
    Transport,
    Tls,
    UnexpectedResponse,
    BadSignature,
}

impl ErrorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::InvalidInput => "invalid_input",
            ErrorKind::Config => "config",
            ErrorKind::Authentication => "authentication",
            ErrorKind::Forbidden => "forbidden",
            ErrorKind::NotFound => "not_found",
            ErrorKind::Conflict => "conflict",
            ErrorKind::Unprocessable => "unprocessable",
            ErrorKind::RateLimited => "rate_limited",
            ErrorKind::Server => "server",
            ErrorKind::Transport => "transport",
            ErrorKind::Tls => "tls",
            ErrorKind::UnexpectedResponse => "unexpected_response",
            ErrorKind::BadSignature => "bad_signature",
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The caller's input has problems; nothing was sent.
    #[error("{}", invalid_input_message(.0))]
    InvalidInput(Vec<Problem>),

    /// The client's configuration is unusable; nothing was sent.
    #[error("configuration: {0}")]
    Config(String),

    /// 401: the credentials were refused.
    #[error("{} answered {}: {}; check the credentials ({}), that they belong to the configured environment (sandbox or live) and, for a call about one order, that the order is this account's", .0.request, .0.status, .0.said(), .0.credentials)]
    Authentication(Remote),

    /// 403: the credentials are valid but may not do this.
    #[error("{} answered {}: {}; {}", .0.request, .0.status, .0.said(), .0.credentials.forbidden_hint())]
    Forbidden(Remote),

    /// 404: the resource does not exist.
    #[error("{} answered {}: {}; check the id, URI or reference the call names", .0.request, .0.status, .0.said())]
    NotFound(Remote),

    /// 409: the server refused the request in the current state; the
    /// server's reasons are in [`Remote::errors`].
    #[error("{} answered {}: {}", .0.request, .0.status, .0.said())]
    Conflict(Remote),

    /// 422 (or a 400 with the server's reasons): the server could not
    /// process the request as sent; fix what [`Remote::errors`] names.
    #[error("{} answered {}: {}", .0.request, .0.status, .0.said())]
    Unprocessable(Remote),

    /// 429: too many requests; retry after the given number of seconds.
    #[error("{} answered {}: {}; retry later{}", .remote.request, .remote.status, .remote.said(),
            .retry_after.map(|s| format!(" (after {s} s)")).unwrap_or_default())]
    RateLimited {
        remote: Remote,
        retry_after: Option<u64>,
    },

    /// 5xx: the server failed; it may or may not have acted.
    #[error("{} answered {}: {}; the server failed and may have acted on the request: {}", .0.request, .0.status, .0.said(), sending_again(&.0.request))]
    Server(Remote),

    /// The request did not complete: connection refused, TLS failure, timeout.
    #[error("{message}")]
    Transport {
        message: String,
        /// False when the request certainly never reached the server.
        may_have_acted: bool,
        /// The status the server answered when the failure came after it,
        /// while the body was read (a 200 cut short: the server acted).
        status: Option<u16>,
        /// The server's id of the request, when an answer came before the
        /// failure and named one: what its support asks for.
        request_id: Option<String>,
    },

    /// The server's certificate was refused (an unknown CA, another
    /// name, expired) or no TLS connection could be agreed on: nothing
    /// was sent. Usually the endpoint or the `ca_file` option is wrong.
    #[error("{message}")]
    Tls { message: String },

    /// The server answered something the API does not document.
    #[error("{request} answered {status}{}: {message}", request_id_note(.request_id))]
    UnexpectedResponse {
        request: String,
        status: u16,
        message: String,
        may_have_acted: bool,
        /// The server's id of the request (checkout.com's
        /// `Cko-Request-Id`), when it sent one: what its support asks for
        /// about an answer that made no sense.
        request_id: Option<String>,
    },

    /// A notification's signature did not match.
    #[error("{0}")]
    BadSignature(String),

    /// `error`, of a request that carried an idempotency key and may have
    /// been acted on: sending the same key again is the safe retry, so the
    /// key goes with the error (it may be one the library made).
    #[error("{}; to retry safely, send the same {header} {key:?}: the server then answers with the first result instead of acting twice", without_retry_advice(error))]
    Keyed {
        error: Box<Error>,
        /// The header that carried it (e.g. `Cko-Idempotency-Key`).
        header: &'static str,
        key: String,
    },
}

/// What sending again a request the server may have acted on would do,
/// from its method (`request` is `METHOD /path`): the end of the message
/// of every error whose `may_have_acted` is true.
pub(crate) fn sending_again(request: &str) -> &'static str {
    match request.split(' ').next() {
        Some("GET" | "HEAD") => "a read changes nothing, so sending it again is safe",
        Some("POST") => "sending it again may act twice",
        _ => {
            "the same request acts only once however often it is sent, so sending it again is safe"
        }
    }
}

/// Where a message's [`may_have`] advice starts.
const ADVICE: &str = "; the server may have ";

/// The advice that ends the message of a request the server may have
/// `done` something with (`received`, `acted on`): `; the server may have
/// acted on the request: sending it again may act twice`. The one place
/// that writes it, as [`without_advice`] is the one that takes it off.
pub(crate) fn may_have(done: &str, request: &str) -> String {
    format!("{ADVICE}{done} the request: {}", sending_again(request))
}

/// The message of `error` without its advice on sending the request
/// again, where a keyed retry's advice replaces it (a POST's "sending it
/// again may act twice" is not true of a retry with the same key).
fn without_retry_advice(error: &Error) -> String {
    let message = error.to_string();
    let advice = format!(": {}", sending_again("POST"));
    match message.strip_suffix(&advice) {
        Some(kept) => kept.to_string(),
        None => message,
    }
}

/// `message` without its advice on sending the request again.
pub(crate) fn without_advice(message: &str) -> &str {
    message.rfind(ADVICE).map_or(message, |at| &message[..at])
}

/// Problems a message names, at most: the rest are in [`Error::problems`]
/// (and the skins' lists), so that a message stays a few lines long.
const PROBLEMS_IN_MESSAGE: usize = 10;

/// `problems` in one sentence: the first ten of them (`PROBLEMS_IN_MESSAGE`),
/// then how many more, counting those a long list's last one counts. For
/// every message that lists problems, so that each stays a few lines long.
pub fn problems_sentence(problems: &[Problem]) -> String {
    problems_sentence_by(problems, Problem::to_string)
}

/// [`problems_sentence`], each problem written by `line`.
pub fn problems_sentence_by(problems: &[Problem], line: impl Fn(&Problem) -> String) -> String {
    let shown = problems.len().min(PROBLEMS_IN_MESSAGE);
    let list: Vec<String> = problems[..shown].iter().map(line).collect();
    match Problems::total(problems) - shown {
        0 => list.join("; "),
        n => format!("{}; and {n} more", list.join("; ")),
    }
}

fn invalid_input_message(problems: &[Problem]) -> String {
    match problems {
        [only] => format!("invalid input: {only}"),
        _ => format!(
            "invalid input, {} problems: {}",
            Problems::total(problems),
            problems_sentence(problems)
        ),
    }
}

impl Error {
    /// One problem at `path`: the usual shape of a bad argument.
    pub fn invalid(path: impl Into<String>, message: impl Into<String>) -> Self {
        Error::InvalidInput(vec![Problem::new(path, message)])
    }

    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::InvalidInput(_) => ErrorKind::InvalidInput,
            Error::Config(_) => ErrorKind::Config,
            Error::Authentication(_) => ErrorKind::Authentication,
            Error::Forbidden(_) => ErrorKind::Forbidden,
            Error::NotFound(_) => ErrorKind::NotFound,
            Error::Conflict(_) => ErrorKind::Conflict,
            Error::Unprocessable(_) => ErrorKind::Unprocessable,
            Error::RateLimited { .. } => ErrorKind::RateLimited,
            Error::Server(_) => ErrorKind::Server,
            Error::Transport { .. } => ErrorKind::Transport,
            Error::Tls { .. } => ErrorKind::Tls,
            Error::UnexpectedResponse { .. } => ErrorKind::UnexpectedResponse,
            Error::BadSignature(_) => ErrorKind::BadSignature,
            Error::Keyed { error, .. } => error.kind(),
        }
    }

    /// Whether the remote side may have acted on the request. False means
    /// it certainly did not (nothing was sent, or the server refused), so
    /// the same request can be corrected and sent again.
    pub fn may_have_acted(&self) -> bool {
        match self {
            Error::Server(_) => true,
            Error::Transport { may_have_acted, .. }
            | Error::UnexpectedResponse { may_have_acted, .. } => *may_have_acted,
            Error::Keyed { error, .. } => error.may_have_acted(),
            _ => false,
        }
    }

    /// What the server answered, for errors that come from an HTTP status.
    pub fn remote(&self) -> Option<&Remote> {
        match self {
            Error::Authentication(r)
            | Error::Forbidden(r)
            | Error::NotFound(r)
            | Error::Conflict(r)
            | Error::Unprocessable(r)
            | Error::Server(r)
            | Error::RateLimited { remote: r, .. } => Some(r),
            Error::Keyed { error, .. } => error.remote(),
            _ => None,
        }
    }

    /// The HTTP status the server answered, if it answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::UnexpectedResponse { status, .. } => Some(*status),
            Error::Transport { status, .. } => *status,
            Error::Keyed { error, .. } => error.status(),
            _ => self.remote().map(|r| r.status),
        }
    }

    /// The server's list of errors (e.g. why a confirm was refused).
    pub fn remote_errors(&self) -> &[String] {
        self.remote().map(|r| r.errors.as_slice()).unwrap_or(&[])
    }

    /// The server's id of the request, for its support, when it sent one:
    /// of a refusal, of an answer the API does not document, or of one
    /// whose body could not be read.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::UnexpectedResponse { request_id, .. } | Error::Transport { request_id, .. } => {
                request_id.as_deref()
            }
            Error::Keyed { error, .. } => error.request_id(),
            other => other.remote().and_then(|r| r.request_id.as_deref()),
        }
    }

    /// The problems found in the caller's input.
    pub fn problems(&self) -> &[Problem] {
        match self {
            Error::InvalidInput(problems) => problems,
            Error::Keyed { error, .. } => error.problems(),
            _ => &[],
        }
    }

    /// Seconds to wait before retrying, when the server said so.
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            Error::RateLimited { retry_after, .. } => *retry_after,
            Error::Keyed { error, .. } => error.retry_after(),
            _ => None,
        }
    }

    /// The idempotency key to send again for a safe retry, when the failed
    /// request carried one and may have been acted on.
    pub fn idempotency_key(&self) -> Option<&str> {
        match self {
            Error::Keyed { key, .. } => Some(key),
            _ => None,
        }
    }

    /// Everything about the error as JSON, for the C and PHP skins:
    /// `kind`, `message`, `may_have_acted`, and where they apply `status`,
    /// `errors`, `request_id`, `problems`, `retry_after`, `idempotency_key`.
    pub fn details(&self) -> Value {
        let mut details = json!({
            "kind": self.kind().as_str(),
            "message": self.to_string(),
            "may_have_acted": self.may_have_acted(),
        });
        if let Some(status) = self.status() {
            details["status"] = json!(status);
        }
        if let Some(remote) = self.remote() {
            details["errors"] = json!(remote.errors);
        }
        if let Some(id) = self.request_id() {
            details["request_id"] = json!(id);
        }
        if let Error::InvalidInput(problems) = self {
            details["problems"] = json!(problems);
        }
        if let Some(key) = self.idempotency_key() {
            details["idempotency_key"] = json!(key);
        }
        if let Some(seconds) = self.retry_after() {
            details["retry_after"] = json!(seconds);
        }
        details
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    fn conflict() -> Error {
        Error::Conflict(Remote {
            request: "PUT /orders/abc".into(),
            status: 409,
            errors: vec!["cart changed".into()],
            text: String::new(),
            request_id: None,
            credentials: Credentials::UsernameAndPassword,
        })
    }

    #[test]
    fn conflict_details_carry_the_server_errors() {
        let details = conflict().details();
        assert_eq!(details["kind"], "conflict");
        assert_eq!(details["status"], 409);
        assert_eq!(details["errors"], json!(["cart changed"]));
        assert_eq!(details["may_have_acted"], false);
        assert_eq!(
            conflict().to_string(),
            "PUT /orders/abc answered 409: cart changed"
        );
    }

    #[test]
    fn invalid_input_lists_every_problem() {
        let err = Error::InvalidInput(vec![
            Problem::new("cart", "is required"),
            Problem::new("customer.email", "must be a string"),
        ]);
        assert_eq!(
            err.to_string(),
            "invalid input, 2 problems: cart: is required; customer.email: must be a string"
        );
        assert_eq!(err.details()["problems"][1]["path"], "customer.email");
    }

    #[test]
    fn a_long_lists_message_counts_the_problems_its_last_one_counts() {
        let mut problems = Problems::new();
        for i in 0..250 {
            problems.push(format_args!("items[{i}]"), "is wrong");
        }
        let message = Error::InvalidInput(problems.finish("order")).to_string();
        assert!(
            message.starts_with("invalid input, 250 problems: items[0]: is wrong;"),
            "{message}"
        );
        assert!(
            message.ends_with("items[9]: is wrong; and 240 more"),
            "{message}"
        );
    }

    #[test]
    fn only_server_failures_and_lost_answers_may_have_acted() {
        assert!(!conflict().may_have_acted());
        let lost = Error::Transport {
            message: "timed out".into(),
            may_have_acted: true,
            status: None,
            request_id: None,
        };
        assert!(lost.may_have_acted());
        assert!(!Error::Config("x".into()).may_have_acted());
    }
}
