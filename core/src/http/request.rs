//! One request as a flow describes it.

use crate::redact::{Masks, Secret};
use serde_json::Value;
use ureq::http::Uri;

pub(crate) const JSON: &str = "application/json";
pub(crate) const FORM: &str = "application/x-www-form-urlencoded";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Method {
    Get,
    Post,
    Put,
    Patch,
}

impl Method {
    pub fn http(self) -> ureq::http::Method {
        match self {
            Method::Get => ureq::http::Method::GET,
            Method::Post => ureq::http::Method::POST,
            Method::Put => ureq::http::Method::PUT,
            Method::Patch => ureq::http::Method::PATCH,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
        }
    }

    /// Whether the request can change something on the server (all but
    /// GET).
    pub fn acts(self) -> bool {
        !matches!(self, Method::Get)
    }

    /// Methods the server treats as idempotent, so a retry cannot act twice.
    fn is_idempotent(self) -> bool {
        matches!(self, Method::Get | Method::Put)
    }
}

/// One request, as a flow describes it: method, absolute URL, body, and
/// what it accepts back. The transport adds everything else.
pub(crate) struct Request {
    pub(super) method: Method,
    pub(super) url: String,
    pub(super) body: Option<(&'static str, Vec<u8>)>,
    pub(super) accept: &'static str,
    /// Headers of this request only (e.g. an idempotency key).
    pub(super) headers: Vec<(&'static str, String)>,
    /// Safe to send again after it may have reached the server: idempotent,
    /// a POST the server deduplicates (it carries an idempotency key), or
    /// one whose repeat does no harm (an OAuth token request).
    pub(super) retry_safe: bool,
    /// Secrets its body carries (a payment token), masked as the
    /// transport's credentials are wherever the answer is quoted or logged.
    pub(super) secrets: Vec<Secret>,
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
            secrets: Vec::new(),
        }
    }

    pub fn json(self, body: &Value) -> Self {
        // Serialising a Value cannot fail: its keys are strings.
        let bytes = serde_json::to_vec(body).unwrap_or_default();
        self.json_bytes(bytes)
    }

    /// A JSON body already encoded (e.g. by the walker that validated it),
    /// sent as given: nothing is parsed or encoded again.
    pub fn json_bytes(self, bytes: Vec<u8>) -> Self {
        self.body(JSON, bytes)
    }

    /// An `application/x-www-form-urlencoded` body.
    pub fn form(self, pairs: &[(&str, &str)]) -> Self {
        let text = crate::form::encode_pairs(pairs.iter().copied());
        self.body(FORM, text.into_bytes())
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

    /// A secret the body carries: a server that echoes it (in an error's
    /// words, say) is quoted and logged with `***` in its place.
    pub fn secret(mut self, secret: Secret) -> Self {
        self.secrets.push(secret);
        self
    }

    /// The masks of this request's exchange: `masks` (the transport's),
    /// and the secrets its body carries.
    pub(super) fn masks(&self, masks: &Masks) -> Masks {
        if self.secrets.is_empty() {
            masks.clone()
        } else {
            masks.with(self.secrets.iter().cloned())
        }
    }

    /// Marks a POST as safe to retry: the server deduplicates it (it
    /// carries an idempotency key), or a repeat does no harm (an OAuth
    /// token request only issues another token). No other POST may.
    pub fn retry_safe(mut self) -> Self {
        self.retry_safe = true;
        self
    }

    /// The request's [`Label`]; its URL is parsed once, here.
    pub(super) fn target(&self) -> Result<Label, ureq::http::uri::InvalidUri> {
        Ok(Label {
            method: self.method,
            uri: self.url.parse()?,
        })
    }
}

/// The method and the parsed URL of a request: the URL sent, and
/// `METHOD /path` for messages and logs, written only when one needs it
/// (no host, no query string: its values may be personal data).
#[derive(Debug, Clone)]
pub(crate) struct Label {
    pub method: Method,
    pub uri: Uri,
}

impl Label {
    /// The label of a request whose URL is not a URL: its path is `/`.
    pub(super) fn unparsed(method: Method) -> Label {
        Label {
            method,
            uri: Uri::from_static("/"),
        }
    }

    pub fn path(&self) -> &str {
        self.uri.path()
    }
}

impl std::fmt::Display for Label {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.method.as_str(), self.path())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_label_has_neither_host_nor_query() {
        let request = Request::new(
            Method::Get,
            "https://example.com/orders/1?email=a@b.c".into(),
        );
        assert_eq!(request.target().unwrap().to_string(), "GET /orders/1");
    }

    #[test]
    fn encoded_json_is_sent_as_given() {
        let request = Request::new(Method::Post, "https://example.com/x".into())
            .json_bytes(br#"{"a":1}"#.to_vec());
        assert_eq!(request.body, Some((JSON, br#"{"a":1}"#.to_vec())));
        assert!(!request.retry_safe);
    }
}
