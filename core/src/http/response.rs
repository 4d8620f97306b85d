//! A complete answer, whatever its status, and the one table from statuses
//! to error kinds.

use super::answer_size;
use super::log::{Level, Logger};
use super::request::Label;
use super::retry;
use crate::error::{may_have, Credentials, Error, Remote, Result};
use crate::redact::{excerpt_masked, Masks};
use serde_json::{Map, Value};
#[cfg(test)]
use std::time::Duration;
use std::time::SystemTime;
use ureq::http::HeaderMap;

/// A complete answer, whatever its status.
#[derive(Debug)]
pub(crate) struct Response {
    /// The request, for messages.
    pub(super) label: Label,
    /// Which try of the request this answers (1, 2, ...), as logged.
    pub(super) attempt: u32,
    pub status: u16,
    pub(super) headers: HeaderMap,
    pub body: Vec<u8>,
    /// Whether `body` holds the library's words in place of a refusal's
    /// body that could not be read (see `in_place_of_body`): quoted as
    /// they are, whatever the headers say of the server's bytes.
    pub(super) body_unread: bool,
    /// How this API words its refusals.
    pub(super) errors: ErrorFormat,
    /// Where the error record of a refused call goes.
    pub(super) log: Logger,
    /// The error of an earlier try of this request that may have acted (a
    /// request that acts only): a refusal now may be that try's doing.
    pub(super) earlier: Option<Box<Error>>,
    /// The credentials the request carried, masked where the server's
    /// words are quoted (a server may echo them).
    pub(super) masks: Masks,
}

/// Whether the server may have acted, from the status of its answer: a 4xx
/// refuses the request; on a 2xx it acted, and on anything else it may have
/// (a 5xx failed partway; a 303 is how HTTP says a POST was done, and a
/// redirect or a 1xx from a proxy or a balancer in front of the API says
/// nothing of what the API did).
pub(crate) fn status_may_have_acted(status: u16) -> bool {
    !(400..500).contains(&status)
}

impl Response {
    /// `METHOD /path` of the request, for messages.
    pub fn request(&self) -> String {
        self.label.to_string()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The values of the header `name` when the answer gives it more than
    /// once and they differ (which one the server meant cannot be known),
    /// each as text (a byte that is not ASCII text as U+FFFD).
    pub fn differing(&self, name: &str) -> Option<Vec<String>> {
        let values: Vec<_> = self.headers.get_all(name).iter().collect();
        values.windows(2).any(|pair| pair[0] != pair[1]).then(|| {
            values
                .iter()
                .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
                .collect()
        })
    }

    /// Whether the answer has the header `name`, whatever its value (one
    /// that is not ASCII text has no [`Response::header`]).
    pub fn has_header(&self, name: &str) -> bool {
        self.headers.contains_key(name)
    }

    /// The id the server gave this request in the API's header, as a log
    /// record or an error shows it: masked (a server may echo a credential
    /// anywhere), on one line and bounded, as all the server's words are.
    pub(crate) fn request_id(&self) -> Option<String> {
        request_id(&self.headers, &self.errors, &self.masks)
    }

    /// Whether the answer's `Content-Type` says JSON: `application/json`,
    /// or a type with the `+json` suffix (RFC 6839, 3.1:
    /// `application/problem+json` is JSON too), parameters aside.
    pub fn is_labelled_json(&self) -> bool {
        self.header("content-type").is_some_and(|media_type| {
            let essence = media_type
                .split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase();
            essence == "application/json"
                || essence
                    .strip_prefix("application/")
                    .is_some_and(|subtype| subtype.len() > 5 && subtype.ends_with("+json"))
        })
    }

    /// The body as UTF-8 text, or an unexpected-response error.
    pub fn text(mut self) -> Result<String> {
        // A coded body may well be valid UTF-8 (deflate's rarely is, but
        // a server's own coding may be): it is still not the text.
        if let Some(coded) = self.coded() {
            return Err(self.unexpected(&format!("the body is {coded}")));
        }
        // No text of these APIs holds a NUL, and a C string cannot carry
        // one: refused here, where the error can name the request. A u8
        // slice's `contains` reads a word at a time; the offset is looked
        // for only once there is one.
        if self.body.contains(&0) {
            let at = self.body.iter().position(|&b| b == 0).unwrap_or_default();
            return Err(self.unexpected(&format!(
                "the body holds a NUL byte at offset {at}, which no text of this API holds"
            )));
        }
        // The body moves into the string; the error needs only the status.
        String::from_utf8(std::mem::take(&mut self.body))
            .map_err(|_| self.unexpected("the body is not UTF-8"))
    }

    /// The body as JSON of type `T`, or an unexpected-response error that
    /// says what did not match.
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> Result<T> {
        if answer_size::too_large(&self.body) {
            return Err(self.unexpected(&format!(
                "the body holds more than {} JSON values, more than any answer of this API; it was not read",
                answer_size::MAX_VALUES
            )));
        }
        // (serde refuses a field twice only at a type's own level; below
        // it, a map or a `Value` would keep the last one silently.)
        if let Some((object, key)) = crate::strict::repeated_key(&self.body, "the body") {
            return Err(self.unexpected(&format!(
                "{object} has the key {} twice, so which value is meant cannot be known",
                crate::redact::quote(&key)
            )));
        }
        if let Some(number) = crate::strict::misread_number(&self.body) {
            return Err(self.unexpected(&format!(
                "the body holds the number {}, which is no whole number, but a double (as JSON readers read it) holds it as one: an amount or id read from it would be another than written",
                crate::redact::quote(&number)
            )));
        }
        serde_json::from_slice(&self.body).map_err(|e| {
            // serde's text quotes the value it refused: a customer's id
            // number or a new token, which the body's excerpt masks by its
            // key. Its kind and place are enough to find it there.
            self.unexpected(&format!(
                "the body is not the documented JSON ({}): {}",
                self.quoted(without_values(&e.to_string()).as_bytes()),
                self.quoted_answer()
            ))
        })
    }

    /// The body of an answer that was not what the call reads, as an
    /// error quotes it. A success's body holds what a refusal's does not:
    /// a new secret (an OAuth `access_token`, Paysera's `issued_token`) and
    /// the customer's data echoed back (a POS cart's `sms_mobile_phone`),
    /// which the request's own masks do not cover. So JSON is quoted as a
    /// debug record shows it ([`super::log::masked_body`]: credentials and
    /// personal fields masked); text that starts as JSON but does not parse
    /// is not quoted at all, only its size; anything else (a proxy's HTML
    /// page) as it is. A byte order mark before the JSON is named, and so
    /// is a content coding no request asks for (gzip bytes are not text).
    pub(crate) fn quoted_answer(&self) -> String {
        if let Some(described) = self.described() {
            return described;
        }
        let (bom, json) = match self.body.strip_prefix(b"\xef\xbb\xbf") {
            Some(rest) => ("a UTF-8 byte order mark (U+FEFF), then ", rest),
            None => ("", &self.body[..]),
        };
        if let Some(masked) = super::log::masked_json(json, &self.masks) {
            return format!("{bom}{}", self.quoted(masked.to_string().as_bytes()));
        }
        if matches!(json.trim_ascii_start().first(), Some(b'{' | b'[')) {
            return format!(
                "{bom}{} bytes of JSON text that does not parse (not quoted: it may hold a secret)",
                self.body.len()
            );
        }
        self.quoted(&self.body)
    }

    /// A body that quoting would not show as words, described instead: one
    /// in a content coding no request accepts (ureq sends no
    /// `Accept-Encoding`; gzip's bytes are no text), or an HTML page (a
    /// proxy's or a gateway's error page, whose markup would fill the
    /// message), by its title.
    fn described(&self) -> Option<String> {
        if self.body_unread {
            return None;
        }
        if let Some(coded) = self.coded() {
            return Some(coded);
        }
        Some(match html_title(&self.body)? {
            Some(title) => format!("an HTML page titled \"{}\"", self.quoted(title)),
            None => format!("an HTML page of {} bytes, without a title", self.body.len()),
        })
    }

    /// A body in a content coding other than identity, described.
    /// Every line of the header counts; an empty item or `identity`
    /// changes no byte.
    fn coded(&self) -> Option<String> {
        let coding =
            super::listed_other_than(&self.headers, "content-encoding", &["", "identity"])?;
        Some(format!(
            "{} bytes in the content coding {} (Content-Encoding), which the request did not accept (not quoted)",
            self.body.len(),
            self.quoted(coding)
        ))
    }

    /// What the server sent, as an error quotes it (see [`excerpt_masked`]).
    pub(crate) fn quoted(&self, text: &[u8]) -> String {
        excerpt_masked(text, &self.masks)
    }

    /// An error for an answer the API does not document. The server did
    /// answer: whether it may have acted is its status's say.
    pub fn unexpected(&self, what: &str) -> Error {
        self.logged(self.undocumented(what))
    }

    /// An error for an answer about another object than the call asked
    /// for (a proxy's mix-up, or a stray answer left on a kept-alive
    /// connection), never to be returned as the one asked for: `object`
    /// names its kind, `got` and `asked` the two ids as a message shows
    /// them, `done` what the server did first (or "").
    pub(crate) fn about_another(
        &self,
        done: &str,
        object: &str,
        got: impl std::fmt::Display,
        asked: impl std::fmt::Display,
    ) -> Error {
        self.unexpected(&format!("{done}the answer is {object} {got}, not {asked}"))
    }

    /// An error for an answer the API does not document that says the
    /// server refused (a 200 whose body says `"success": false`): it did
    /// not act, unless an earlier try of the request may have.
    pub fn unexpected_refusal(&self, what: &str) -> Error {
        if self.after_a_try_that_may_have_acted() {
            return self.unexpected(what);
        }
        self.logged(unexpected_response(
            self.request(),
            self.status,
            what,
            false,
            self.request_id(),
        ))
    }

    fn undocumented(&self, what: &str) -> Error {
        unexpected_response(
            self.request(),
            self.status,
            what,
            self.may_have_acted(),
            self.request_id(),
        )
    }

    /// Whether the server may have acted, from its answer: its status's
    /// say, but for a 408 that keeps the connection open. A server that
    /// timed out waiting for the request closes it (RFC 9110, 15.5.9);
    /// one that keeps it was not waiting, and may have acted (`retry`
    /// does not send such a request again when it acts).
    pub(super) fn may_have_acted(&self) -> bool {
        status_may_have_acted(self.status) || (self.status == 408 && !retry::closes(self))
    }

    /// Whether an earlier try of this request may have acted: a refusal
    /// now (a 409: "already done") may be that try's doing.
    pub fn after_a_try_that_may_have_acted(&self) -> bool {
        self.earlier.is_some()
    }

    /// The error of an earlier try that may have acted, taken out, for a
    /// request sent once more outside the transport's own retries (see
    /// [`after_earlier`]).
    pub(crate) fn take_earlier(&mut self) -> Option<Box<Error>> {
        self.earlier.take()
    }

    /// The error kind of a status the flow did not expect: the one table
    /// from HTTP statuses to [`Error`] kinds. After an earlier try that may
    /// have acted, an error that says the server did not act gives way to
    /// that try's error: the server may have acted after all.
    pub fn into_error(mut self) -> Error {
        let error = match (self.error_of_status(), self.earlier.take()) {
            (error, Some(earlier)) if !error.may_have_acted() => *earlier,
            (error, _) => error,
        };
        self.logged(error)
    }

    /// What the server said, as an error keeps it: its reasons, read by
    /// the API's error format, or else its body, quoted; its request id;
    /// every credential the request carried masked.
    pub(crate) fn remote(&self) -> Remote {
        // A body too large for an answer is no list of reasons: quoted.
        let parsed = (!answer_size::too_large(&self.body))
            .then(|| serde_json::from_slice::<Value>(&self.body).ok())
            .flatten()
            .and_then(|body| (self.errors.parse)(&body));
        let has_errors = parsed.is_some();
        let (errors, body_id) = parsed.map(|p| (p.errors, p.request_id)).unwrap_or_default();
        Remote {
            request: self.request(),
            status: self.status,
            text: if has_errors {
                String::new()
            } else {
                self.described().unwrap_or_else(|| self.quoted(&self.body))
            },
            errors: reasons(errors, &self.masks),
            request_id: self
                .request_id()
                .or_else(|| body_id.map(|id| self.quoted(id.as_bytes()))),
            credentials: self.errors.credentials,
        }
    }

    pub(super) fn error_of_status(&self) -> Error {
        let remote = self.remote();
        match self.status {
            // A request refused as sent, with the server's reasons where it
            // gives them (Paysera names the fields), else its text: fix it
            // and send again, as for a 422.
            400 => Error::Unprocessable(remote),
            401 => Error::Authentication(remote),
            403 => Error::Forbidden(remote),
            404 => Error::NotFound(remote),
            // The status says what happened; a body without the API's list
            // of reasons (a gateway's page, a bare word) is kept as text.
            409 => Error::Conflict(remote),
            422 => Error::Unprocessable(remote),
            429 => Error::RateLimited {
                retry_after: self
                    .header("retry-after")
                    .and_then(|v| retry::retry_after(v, SystemTime::now())),
                remote,
            },
            500..=599 => Error::Server(remote),
            _ if self.body.is_empty() => {
                self.undocumented("this status is not documented for this call (no body)")
            }
            _ => self.undocumented(&format!(
                "this status is not documented for this call; the server said: {}",
                self.quoted_answer()
            )),
        }
    }

    /// Records the failed call at error level: kind, status and
    /// `may_have_acted`, not the server's words (they may quote the
    /// customer's data). Every error made of an answer goes through here.
    pub(crate) fn logged(&self, error: Error) -> Error {
        if self.log.enabled(Level::Error) {
            let mut context = Map::new();
            context.insert("method".into(), self.label.method.as_str().into());
            context.insert("path".into(), self.label.path().into());
            context.insert("status".into(), self.status.into());
            context.insert("kind".into(), error.kind().as_str().into());
            context.insert("may_have_acted".into(), error.may_have_acted().into());
            if let Some(id) = self.request_id() {
                context.insert("request_id".into(), id.into());
            }
            let message = format!(
                "{} answered {}: {}",
                self.label,
                self.status,
                error.kind().as_str()
            );
            self.log.record(Level::Error, &message, &context);
        }
        error
    }
}

/// The result of a later try of a request, after an `earlier` one that may
/// have acted: the server may have acted after all, so a later answer
/// carries that try's error (for [`Response::into_error`]) and a later
/// error that says it did not act gives way to it. The transport's retries
/// go through here, and so does any resend of the same request by a flow
/// (checkout.com's, with a new access token).
pub(crate) fn after_earlier(
    later: Result<Response>,
    earlier: Option<Box<Error>>,
) -> Result<Response> {
    let Some(earlier) = earlier else {
        return later;
    };
    match later {
        Ok(mut response) => {
            response.earlier.get_or_insert(earlier);
            Ok(response)
        }
        Err(error) if !error.may_have_acted() => Err(*earlier),
        Err(error) => Err(error),
    }
}

/// The id the server gave a request in the API's header (see
/// [`Response::request_id`]), also of an answer whose body was not read.
pub(super) fn request_id(
    headers: &HeaderMap,
    errors: &ErrorFormat,
    masks: &Masks,
) -> Option<String> {
    errors
        .request_id_header
        .and_then(|name| headers.get(name))
        .and_then(|id| id.to_str().ok())
        .filter(|id| !id.trim().is_empty())
        .map(|id| excerpt_masked(id.as_bytes(), masks))
}

/// An answer the API does not document; when the server may have acted
/// the message says so, as the flag does.
pub(super) fn unexpected_response(
    request: String,
    status: u16,
    what: &str,
    may_have_acted: bool,
    request_id: Option<String>,
) -> Error {
    let message = if may_have_acted {
        format!("{what}{}", may_have("acted on", &request))
    } else {
        what.to_string()
    };
    Error::UnexpectedResponse {
        request,
        status,
        message,
        may_have_acted,
        request_id,
    }
}

/// The server's reasons kept in an error, at most.
const MAX_REASONS: usize = 10;

/// The server's reasons as an error keeps them: each an excerpt on one line
/// (no control character: a newline or an escape sequence from the server
/// could forge a line of the shop's log), at most [`MAX_REASONS`], then
/// how many more there were. The server's list is its own: any length.
fn reasons(errors: Vec<String>, masks: &Masks) -> Vec<String> {
    let more = errors.len().saturating_sub(MAX_REASONS);
    let mut kept: Vec<String> = errors
        .iter()
        .take(MAX_REASONS)
        .map(|e| excerpt_masked(e.as_bytes(), masks))
        .collect();
    if more > 0 {
        kept.push(format!("… and {more} more"));
    }
    kept
}

/// What an error body says, read by an API's [`ErrorFormat`].
#[derive(Debug, Default)]
pub(crate) struct ErrorBody {
    /// The server's reasons, each as one line of text.
    pub errors: Vec<String>,
    /// The id support asks for, when the body carries one.
    pub request_id: Option<String>,
}

/// How an API words its refusals: a parser of its JSON error body and the
/// header that carries a request id.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ErrorFormat {
    /// `None` when the body is not this API's error shape.
    pub parse: fn(&Value) -> Option<ErrorBody>,
    pub request_id_header: Option<&'static str>,
    /// The API's credentials, as a refusal of them (401) names them.
    pub credentials: Credentials,
}

impl ErrorFormat {
    /// seQura's `{"errors": [...]}`, each entry as text, and the other
    /// shapes its Rails APIs answer in ([`rails_errors`]).
    pub const SEQURA: ErrorFormat = ErrorFormat {
        parse: rails_errors,
        request_id_header: None,
        credentials: Credentials::UsernameAndPassword,
    };
}

/// The reasons of an error body as seQura's Rails APIs word them: a
/// `message` and an `error` (text), and `errors`, a list, a map of
/// field to messages (`{"errors": {"nin": ["is invalid"]}}`: one line per
/// message), or text. `None` for a body in none of these shapes.
pub(crate) fn rails_errors(body: &Value) -> Option<ErrorBody> {
    let object = body.as_object()?;
    let mut errors = Vec::new();
    for key in ["message", "error"] {
        match object.get(key) {
            Some(Value::String(text)) if !text.trim().is_empty() => errors.push(text.clone()),
            _ => {}
        }
    }
    match object.get("errors") {
        Some(Value::Array(list)) => errors.extend(list.iter().map(text_of)),
        // `{"errors": {"nin": ["is invalid"]}}`: one line per message.
        Some(Value::Object(fields)) => {
            for (field, messages) in fields {
                match messages {
                    Value::Array(list) => errors.extend(
                        list.iter()
                            .map(|message| format!("{field} {}", text_of(message))),
                    ),
                    other => errors.push(format!("{field} {}", text_of(other))),
                }
            }
        }
        Some(Value::String(text)) => errors.push(text.clone()),
        _ => {}
    }
    if errors.is_empty() {
        return None;
    }
    Some(ErrorBody {
        errors,
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

/// serde's text of a value it refused, without the value: `integer
/// `5``, `string "..."` (as Rust's debug format escapes it) and an
/// unknown variant's name keep only their kind. Field names (`missing
/// field `id``), the expected kinds and the position stay.
fn without_values(message: &str) -> String {
    const KINDS: [&str; 5] = [
        "integer",
        "floating point",
        "boolean",
        "character",
        "variant",
    ];
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(at) = rest.find(' ') {
        out.push_str(&rest[..at]);
        let next = &rest[at + 1..];
        // A value's quote: a backquote after one of the kinds, or a
        // double quote after "string".
        let after = if next.starts_with('`') && KINDS.iter().any(|k| out.ends_with(k)) {
            next[1..].find('`').map(|end| &next[end + 2..])
        } else if next.starts_with('"') && out.ends_with("string") {
            debug_quoted_end(&next[1..]).map(|end| &next[end + 1..])
        } else {
            None
        };
        match after {
            Some(after) => rest = after,
            None => {
                out.push(' ');
                rest = next;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Where the text of a debug-quoted string ends, just past its closing
/// quote: `text` starts after the opening one; a backslash escapes the
/// character after it.
fn debug_quoted_end(text: &str) -> Option<usize> {
    let mut escaped = false;
    for (i, b) in text.bytes().enumerate() {
        match b {
            _ if escaped => escaped = false,
            b'\\' => escaped = true,
            b'"' => return Some(i + 1),
            _ => {}
        }
    }
    None
}

/// The title of `body` when it is an HTML page (`Some(None)`: a page
/// without one), read from its first 8 KiB; `None` when it is no page.
fn html_title(body: &[u8]) -> Option<Option<&[u8]>> {
    let page = &body[..body.len().min(8 << 10)];
    let start = page.trim_ascii_start();
    let starts = |prefix: &[u8]| {
        start
            .get(..prefix.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
    };
    if !starts(b"<!doctype html") && !starts(b"<html") {
        return None;
    }
    let after_tag = find_ascii_case(page, b"<title")
        .map(|at| &page[at..])
        .and_then(|tag| {
            tag.iter()
                .position(|&b| b == b'>')
                .map(|end| &tag[end + 1..])
        });
    Some(after_tag.and_then(|text| {
        let end = find_ascii_case(text, b"</title").unwrap_or(text.len());
        Some(text[..end].trim_ascii()).filter(|title| !title.is_empty())
    }))
}

/// Where `needle` (ASCII, lowercase) first is in `haystack`, in any case.
fn find_ascii_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serdes_text_keeps_kinds_fields_and_places_but_no_value() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Customer {
            nin: String,
            phone: u64,
            vip: bool,
            tier: Tier,
        }
        #[derive(Debug, serde::Deserialize)]
        enum Tier {
            Gold,
        }
        let read = |body: &str| {
            let e = serde_json::from_str::<Customer>(body).unwrap_err();
            without_values(&e.to_string())
        };
        let ok = r#""nin": "x", "phone": 1, "vip": true, "tier": "Gold""#;
        for (body, message) in [
            (
                r#"{"nin": 12345678}"#,
                "invalid type: integer, expected a string",
            ),
            (
                r#"{"nin": 1.5e3}"#,
                "invalid type: floating point, expected a string",
            ),
            (
                r#"{"nin": "x", "phone": "+34 \"666\" 123"}"#,
                "invalid type: string, expected u64",
            ),
            (
                r#"{"nin": "x", "phone": 1, "vip": "yes"}"#,
                "invalid type: string, expected a boolean",
            ),
            (
                r#"{"nin": "x", "phone": 1, "vip": 1}"#,
                "invalid type: integer, expected a boolean",
            ),
            (
                r#"{"nin": "x", "phone": 1, "vip": true, "tier": "Platinum 0042"}"#,
                "unknown variant, expected `Gold`",
            ),
            (r#"{"nin": "x"}"#, "missing field `phone`"),
            (
                &format!("{{{ok}, \"nin\": \"y\"}}"),
                "duplicate field `nin`",
            ),
        ] {
            let read = read(body);
            assert_eq!(
                read.split(" at line 1 column ").next(),
                Some(message),
                "{body}"
            );
            assert!(read.contains(" at line 1 column "), "{read}");
        }
        // A quote never closed keeps the rest as it is.
        assert_eq!(without_values("integer `5"), "integer `5");
        assert_eq!(without_values("string \"a\\\""), "string \"a\\\"");
    }

    #[test]
    fn an_html_page_is_known_by_its_title() {
        let page = b"\n<!DOCTYPE html>\n<html><head><TITLE> 502 Bad Gateway </title></head><body><h1>Bad Gateway</h1></body></html>";
        assert_eq!(html_title(page), Some(Some(&b"502 Bad Gateway"[..])));
        assert_eq!(html_title(b"<html><body>down</body></html>"), Some(None));
        assert_eq!(html_title(b"<html><title></title></html>"), Some(None));
        assert_eq!(html_title(b"<html><title>cut"), Some(Some(&b"cut"[..])));
        assert_eq!(html_title(b"Access denied <html>"), None);
        assert_eq!(html_title(b"{\"errors\": [\"<html>\"]}"), None);
    }

    #[test]
    fn error_lists_are_read_as_text() {
        let body = serde_json::json!({"errors": ["a", {"code": 1}]});
        assert_eq!(
            rails_errors(&body).unwrap().errors,
            vec!["a".to_string(), r#"{"code":1}"#.to_string()]
        );
        assert!(rails_errors(&serde_json::json!("HTTP Basic: Access denied.")).is_none());
    }

    fn response(status: u16, body: &[u8], headers: &[(&'static str, &str)]) -> Response {
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            map.insert(*name, value.parse().unwrap());
        }
        Response {
            attempt: 1,
            label: Label {
                method: super::super::Method::Put,
                uri: "https://h/orders/x?q=1".parse().unwrap(),
            },
            status,
            headers: map,
            body: body.to_vec(),
            body_unread: false,
            errors: ErrorFormat::SEQURA,
            log: Logger::default(),
            earlier: None,
            masks: Masks::default(),
        }
    }

    #[test]
    fn a_request_id_is_one_bounded_line_on_a_success_too() {
        let long = format!("req\tid-{}", "7".repeat(20_000));
        let mut answer = response(200, b"{}", &[("cko-request-id", &long)]);
        answer.errors = crate::checkout_com::errors::CHECKOUT_COM;
        let id = answer.request_id().unwrap();
        assert!(id.starts_with("req id-777"), "{id}");
        assert!(id.ends_with("… (20007 bytes)"), "{id}");
        assert!(id.chars().count() < 250, "{id}");
    }

    #[test]
    fn a_success_that_is_not_the_documented_json_is_quoted_without_its_secrets() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Token {
            access_token: String,
            expires_in: u64,
        }
        // A token answer whose expires_in is a string, a POS cart with the
        // customer's phone: the new token and the phone are not the
        // request's, so its masks do not hide them.
        for (body, secret) in [
            (
                &br#"{"access_token":"tok-fresh-bearer","expires_in":"3600"}"#[..],
                "tok-fresh-bearer",
            ),
            (
                br#"{"sms_mobile_phone":"+34666123456","expires_in":1.5}"#,
                "+34666123456",
            ),
            (
                b"\xef\xbb\xbf{\"issued_token\":\"tk-recurring\",\"x\":1}",
                "tk-recurring",
            ),
            (
                br#"{"access_token":"tok-cut-short","expires_"#,
                "tok-cut-short",
            ),
        ] {
            let error = response(200, body, &[]).json::<Token>().unwrap_err();
            let text = error.to_string();
            assert!(!text.contains(secret), "{text}");
            assert_eq!(error.kind(), crate::ErrorKind::UnexpectedResponse, "{text}");
        }
        let bom = b"\xef\xbb\xbf{\"access_token\":\"t\",\"expires_in\":1}";
        let text = response(200, bom, &[])
            .json::<Token>()
            .unwrap_err()
            .to_string();
        assert!(text.contains("byte order mark"), "{text}");
        // Text that is no JSON is still quoted, for the shop to see; an
        // HTML page by its title.
        let page = response(200, b"Gateway says hi", &[]);
        let text = page.json::<Token>().unwrap_err().to_string();
        assert!(text.contains("Gateway says hi"), "{text}");
        let page = response(200, b"<html><title>Gateway says hi</title></html>", &[]);
        let text = page.json::<Token>().unwrap_err().to_string();
        assert!(
            text.contains("an HTML page titled \"Gateway says hi\""),
            "{text}"
        );
    }

    #[test]
    fn the_servers_reasons_are_kept_short_on_one_line_and_few() {
        // (Past 20 000 values a body is no list of reasons: see below.)
        let many: Vec<String> = (0..15_000).map(|i| format!("reason {i}")).collect();
        let body = serde_json::to_vec(&serde_json::json!({ "errors": many })).unwrap();
        let error = response(409, &body, &[]).into_error();
        let errors = error.remote_errors();
        assert_eq!(errors.len(), MAX_REASONS + 1);
        assert_eq!(errors[MAX_REASONS], "… and 14990 more");
        assert!(
            error.to_string().len() < 1000,
            "{}",
            error.to_string().len()
        );

        let huge = "y".repeat(3 << 20);
        let body = serde_json::to_vec(&serde_json::json!({ "errors": [huge] })).unwrap();
        let error = response(422, &body, &[]).into_error();
        assert!(error.to_string().len() < 400);
        assert!(error.details().to_string().len() < 1000);

        let forged = br#"{"errors": ["first\r\nERROR forged\u001b[31m"]}"#;
        let error = response(409, forged, &[]).into_error();
        assert_eq!(error.remote_errors(), ["first  ERROR forged [31m"]);
        assert!(!error.to_string().chars().any(char::is_control));
    }

    #[test]
    fn a_password_the_server_echoes_is_masked() {
        let masks = Masks::new([crate::redact::Secret::new("S3CR3T-xyz-pw")]);
        let mut plain = response(401, b"bad password S3CR3T-xyz-pw", &[]);
        plain.masks = masks.clone();
        let mut listed = response(409, br#"{"errors": ["S3CR3T-xyz-pw is taken"]}"#, &[]);
        listed.masks = masks;
        for error in [plain.into_error(), listed.into_error()] {
            let details = error.details().to_string();
            assert!(!details.contains("S3CR3T"), "{details}");
            assert!(details.contains("***"), "{details}");
        }
    }

    #[test]
    fn a_password_the_server_echoes_is_masked_however_it_is_quoted() {
        // A password with characters JSON, Rust's quoting and forms escape.
        let password = r#"pa"ss\wo rd/ü"#;
        let masks = Masks::new([crate::redact::Secret::new(password)]);
        let json = serde_json::to_string(password).unwrap();
        let form = crate::form::encode(password);
        let answers = [
            // Where a list was documented: serde's message quotes the value.
            (200, format!(r#"{{"payment_options": {json}}}"#), None),
            (409, format!(r#"{{"errors": ["{form} is taken"]}}"#), None),
            (500, format!("password={form}"), None),
            (503, "down".to_string(), Some(form.clone())),
        ];
        for (status, body, request_id) in answers {
            let mut answer = response(status, body.as_bytes(), &[]);
            answer.masks = masks.clone();
            if let Some(id) = request_id {
                // An id header a gateway filled with what it was sent.
                answer.errors.request_id_header = Some("x-request-id");
                answer.headers.insert("x-request-id", id.parse().unwrap());
            }
            let error = match status {
                200 => answer.json::<crate::orders::PaymentMethods>().unwrap_err(),
                _ => answer.into_error(),
            };
            let shown = format!("{error} {} {error:?}", error.details());
            for form in [
                password,
                &json[1..json.len() - 1],
                &form,
                &format!("{password:?}")[1..],
            ] {
                let form = form.trim_end_matches('"');
                assert!(!shown.contains(form), "{status}: {form} in {shown}");
            }
            assert!(shown.contains("***"), "{status}: {shown}");
        }
    }

    #[test]
    fn an_answer_of_more_values_than_any_answer_holds_is_not_parsed() {
        // 4 MB of small objects: a gigabyte once parsed into values.
        let many = format!("[{}]", vec![r#"{"a":0}"#; 520_000].join(","));
        let body = format!(r#"{{"payment_options": [], "x": {many}}}"#);
        let error = response(200, body.as_bytes(), &[])
            .json::<crate::orders::PaymentMethods>()
            .unwrap_err();
        assert_eq!(error.kind(), crate::ErrorKind::UnexpectedResponse);
        assert!(
            error.to_string().contains("more than 20000 JSON values"),
            "{error}"
        );
        // A refusal so large is no list of reasons: its status, and a quote.
        let refused = response(409, format!(r#"{{"errors": {many}}}"#).as_bytes(), &[]);
        let error = refused.into_error();
        assert_eq!(error.kind(), crate::ErrorKind::Conflict);
        assert!(error.remote_errors().is_empty());
        assert!(error.to_string().len() < 1000);
        // Within the bound, as before.
        let few = format!(
            r#"{{"payment_options": [], "x": [{}]}}"#,
            vec!["0"; 19_000].join(",")
        );
        let methods = response(200, few.as_bytes(), &[]).json::<crate::orders::PaymentMethods>();
        assert!(methods.is_ok());
    }

    #[test]
    fn an_empty_request_id_header_gives_way_to_the_bodys() {
        let mut answer = response(409, br#"{"errors": ["x"]}"#, &[("x-request-id", " ")]);
        answer.errors = ErrorFormat {
            parse: |_| {
                Some(ErrorBody {
                    errors: vec!["taken".into()],
                    request_id: Some("req-1".into()),
                })
            },
            credentials: Credentials::UsernameAndPassword,
            request_id_header: Some("x-request-id"),
        };
        let error = answer.into_error();
        assert!(error.to_string().contains("(request id req-1)"), "{error}");
    }

    #[test]
    fn statuses_map_to_kinds() {
        use crate::ErrorKind::*;
        let kind = |status, body: &[u8]| response(status, body, &[]).into_error().kind();
        assert_eq!(kind(401, b"HTTP Basic: Access denied."), Authentication);
        assert_eq!(kind(404, br#"{"errors":[]}"#), NotFound);
        assert_eq!(kind(409, br#"{"errors":["x"]}"#), Conflict);
        let plain = response(409, b"Conflict", &[]).into_error();
        assert_eq!(plain.kind(), Conflict, "the status says it, not the body");
        assert!(!plain.may_have_acted());
        assert!(plain.to_string().contains("Conflict"), "{plain}");
        assert_eq!(kind(422, br#"{"errors":"x"}"#), Unprocessable);
        assert_eq!(kind(503, b"down"), Server);
        assert_eq!(kind(418, b""), UnexpectedResponse);
        assert_eq!(kind(400, br#"{"errors":["amount"]}"#), Unprocessable);
        // A 400 is a request refused as sent, whatever its body.
        let page = response(400, b"<html>bad request</html>", &[]).into_error();
        assert_eq!(page.kind(), Unprocessable);
        assert!(!page.may_have_acted());
    }

    #[test]
    fn an_unexpected_answer_says_whether_the_server_may_have_acted() {
        let unreadable = response(200, b"<html>", &[]).json::<Value>().unwrap_err();
        assert!(unreadable.may_have_acted());
        assert!(
            unreadable.to_string().contains("may have acted"),
            "{unreadable}"
        );
        let teapot = response(418, b"", &[]).into_error();
        assert!(!teapot.may_have_acted());
        assert!(!teapot.to_string().contains("may have acted"), "{teapot}");
        // A POST answered 303 was done; any redirect or 1xx may have been.
        for status in [101, 301, 302, 303, 307, 308] {
            let redirected = response(status, b"", &[]).into_error();
            assert!(redirected.may_have_acted(), "{status}");
            assert!(
                redirected.to_string().contains("may have acted"),
                "{status}"
            );
        }
    }

    #[test]
    fn a_refusal_after_a_try_that_may_have_acted_is_that_tries_error() {
        use crate::ErrorKind::*;
        let earlier = response(503, b"down", &[]).error_of_status();
        let mut refused = response(409, br#"{"errors":["already done"]}"#, &[]);
        refused.earlier = Some(Box::new(earlier));
        let error = refused.into_error();
        assert_eq!(error.kind(), Server);
        assert!(error.may_have_acted());
        let mut failed = response(500, b"", &[]);
        failed.earlier = Some(Box::new(response(503, b"", &[]).error_of_status()));
        assert_eq!(
            failed.into_error().status(),
            Some(500),
            "the latest that acted"
        );
    }

    #[test]
    fn an_answer_of_the_wrong_shape_is_quoted_short() {
        #[derive(serde::Deserialize, Debug)]
        struct Setup {
            #[allow(dead_code)]
            id: u64,
        }
        let body = serde_json::to_vec(&serde_json::json!({ "id": "x".repeat(1 << 20) })).unwrap();
        let error = response(200, &body, &[]).json::<Setup>().unwrap_err();
        assert!(
            error.to_string().len() < 1000,
            "{}",
            error.to_string().len()
        );
    }

    #[test]
    fn a_503_or_429_waits_what_the_server_asks_but_never_less_than_the_backoff() {
        use retry::Why;
        let backoff = retry::FIRST_BACKOFF;
        let pause = |status, headers: &[(&'static str, &str)]| {
            retry::after_response(&response(status, b"", headers), true, false, backoff)
        };
        let day = Duration::from_secs(86_400);
        assert_eq!(
            pause(503, &[("retry-after", "86400")]),
            Some((day, Why::Unavailable))
        );
        assert_eq!(pause(503, &[]), Some((backoff, Why::Unavailable)));
        let past = "Sun, 06 Nov 1994 08:49:37 GMT";
        assert_eq!(
            pause(429, &[("retry-after", past)]),
            Some((backoff, Why::RateLimited))
        );
        assert_eq!(
            pause(429, &[("retry-after", "0")]),
            Some((backoff, Why::RateLimited))
        );
        assert_eq!(pause(500, &[("retry-after", "1")]), None);
        assert_eq!(
            retry::after_response(&response(503, b"", &[]), false, false, backoff),
            None
        );
    }

    #[test]
    fn a_429_reports_its_retry_after_capped() {
        let retry_after = |value| {
            response(429, b"", &[("retry-after", value)])
                .into_error()
                .retry_after()
        };
        assert_eq!(retry_after("7"), Some(7));
        assert_eq!(
            retry_after("18446744073709551615"),
            Some(retry::MAX_RETRY_AFTER.as_secs())
        );
        assert_eq!(retry_after("soon"), None);
    }
}

/// Fuzzing hook, built only by `cargo fuzz` (which sets `--cfg fuzzing`):
/// what a call makes of an answer, without a network. The answer of a PUT
/// with `status`, `body`, an optional `Retry-After` and request-id header,
/// and `secret` among the credentials masked: its error
/// ([`Response::into_error`]) and its body read as JSON ([`Response::json`]).
#[cfg(fuzzing)]
pub(crate) fn fuzz_answer(
    errors: ErrorFormat,
    status: u16,
    header: &[u8],
    body: &[u8],
    secret: &str,
) -> (Error, Result<Value>) {
    let mut headers = HeaderMap::new();
    if let Ok(value) = ureq::http::HeaderValue::from_bytes(header) {
        headers.insert("retry-after", value.clone());
        headers.insert("cko-request-id", value);
    }
    let response = Response {
        attempt: 1,
        label: Label {
            method: super::Method::Put,
            uri: ureq::http::Uri::from_static("https://h.example/orders/x"),
        },
        status,
        headers,
        body: body.to_vec(),
        body_unread: false,
        errors,
        log: Logger::default(),
        earlier: None,
        masks: Masks::new([crate::redact::Secret::new(secret)]),
    };
    let json = response.json::<Value>();
    (response.into_error(), json)
}
