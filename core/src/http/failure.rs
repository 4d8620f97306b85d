//! Whether a failed try can have reached the server.
//!
//! ureq's errors do not say it (a TLS handshake failure and a connection
//! reset after the request are both `Io`), so the transport watches each
//! try: the connector notes a connection it opened, the connection notes
//! the first byte of the request it writes and the first byte of an
//! answer it reads ([`Trace`]). Before the request's first byte, nothing
//! was sent, whatever the error.

use crate::error::{may_have, Error};
use crate::redact::excerpt;
use std::borrow::Cow;
use std::cell::Cell;
use std::io::ErrorKind as Io;

/// What one try did so far. A try runs on one thread from start to the
/// end of its body, so the trace is the thread's.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Trace {
    /// A new connection was opened for it (otherwise it took a pooled one).
    pub connected: bool,
    /// The request was handed to the connection to send.
    pub sending: bool,
    /// Bytes of the request reached the socket: a write that failed before
    /// the socket took any byte sent nothing, whatever the connection.
    pub wrote: bool,
    /// Bytes of an answer arrived.
    pub read: bool,
}

thread_local! {
    static TRACE: Cell<Trace> = const {
        Cell::new(Trace { connected: false, sending: false, wrote: false, read: false })
    };
}

fn update(f: impl FnOnce(&mut Trace)) {
    TRACE.with(|cell| {
        let mut trace = cell.get();
        f(&mut trace);
        cell.set(trace);
    });
}

/// Starts the trace of a new try.
pub(crate) fn begin() {
    TRACE.with(|cell| cell.set(Trace::default()));
}

pub(crate) fn current() -> Trace {
    TRACE.with(Cell::get)
}

pub(crate) fn connected() {
    update(|t| t.connected = true);
}

/// The request is being handed to the connection (`pool::Traced`).
pub(crate) fn sending() {
    update(|t| t.sending = true);
}

/// The socket took bytes (`socket::Socket`): the request's, once it is
/// being sent (a TLS handshake's before it are not the request).
pub(crate) fn wrote() {
    update(|t| t.wrote |= t.sending);
}

pub(crate) fn read() {
    update(|t| t.read = true);
}

/// How far a failed try went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reach {
    /// Not a byte of the request was written: the server saw nothing.
    NotSent,
    /// The request went out on a pooled connection that then closed with
    /// no answer at all: the server had most likely closed it while idle,
    /// but it may have read the request.
    Stale,
    /// The request went out on a pooled connection whose answer is not
    /// HTTP at all: most likely what an earlier exchange left on it (a
    /// second answer that came late), but the server may have read the
    /// request.
    Garbled,
    /// The request may have reached the server.
    MayHaveArrived,
}

/// A try that failed before a complete answer.
#[derive(Debug)]
pub(crate) struct Failure {
    pub error: Error,
    pub reach: Reach,
    /// Worth another try once nothing was sent (a refused or timed-out
    /// connection), unlike a refused certificate.
    pub transient: bool,
}

impl Failure {
    /// A request refused before anything was sent (a bad header value).
    pub fn refused(error: Error) -> Failure {
        Failure {
            error,
            reach: Reach::NotSent,
            transient: false,
        }
    }
}

/// Classifies a failed exchange by how far its try went and words the
/// error: whether the request was sent, and what to do. Through a proxy
/// (`proxied`), a connection that failed is the proxy's or one it would
/// not open, never the endpoint's own.
pub(crate) fn classify(
    label: &str,
    base_url: &str,
    proxied: bool,
    error: ureq::Error,
    trace: Trace,
) -> Failure {
    let disconnected = matches!(
        &error,
        ureq::Error::Io(e) if matches!(
            e.kind(),
            Io::UnexpectedEof | Io::ConnectionReset | Io::ConnectionAborted | Io::BrokenPipe
        )
    );
    let reach = if !trace.wrote {
        Reach::NotSent
    } else if disconnected && !trace.connected && !trace.read {
        Reach::Stale
    } else if matches!(error, ureq::Error::Protocol(_)) && !trace.connected {
        Reach::Garbled
    } else {
        Reach::MayHaveArrived
    };
    let transient = is_transient(&error);
    // A TLS failure of the server's certificate or settings, not of bytes
    // damaged on the way (which is the connection's, as a reset is).
    let certificate = !is_damaged(&error)
        && (matches!(
            &error,
            ureq::Error::Tls(_) | ureq::Error::Rustls(_) | ureq::Error::Pem(_)
        ) || matches!(&error, ureq::Error::Io(e) if e.kind() == Io::InvalidData));
    let advice: Cow<str> = match reach {
        Reach::NotSent if certificate => match certificate_fault(&error) {
            Some(fault) => format!(
                "; the request was not sent: the TLS connection was refused; {}",
                fault.fix
            )
            .into(),
            None => "; the request was not sent: the TLS connection was refused; check the endpoint's host name, and the ca_file option if the server uses a private CA".into(),
        },
        Reach::NotSent if proxied => {
            // (Once the tunnel is open, a cut is the proxy's or the
            // endpoint's: the client cannot tell which.)
            "; the request was not sent; check the proxy option: the proxy must be reachable and open the connection to the endpoint, and the endpoint must answer through it".into()
        }
        Reach::NotSent => {
            "; the request was not sent; check that the endpoint is right and reachable".into()
        }
        Reach::Stale | Reach::Garbled | Reach::MayHaveArrived => {
            may_have("received", label).into()
        }
    };
    let message = format!(
        "{label} to {base_url} failed: {}{advice}",
        what_failed(&error)
    );
    Failure {
        error: if reach == Reach::NotSent && certificate {
            Error::Tls { message }
        } else {
            Error::Transport {
                message,
                may_have_acted: reach != Reach::NotSent,
                status: None,
                request_id: None,
            }
        },
        reach,
        transient,
    }
}

/// What went wrong, for a message: ureq's own words, or for a timeout
/// which of the connection's options ran out (ureq's words, `timeout:
/// global`, mean nothing to a shop).
fn what_failed(error: &ureq::Error) -> String {
    use ureq::Timeout as T;
    // ureq's words for chunk framing it could not finish (a size line,
    // the line end after a chunk, a trailer): the connection ended inside
    // it, or a line ran on past the input buffer.
    if matches!(error, ureq::Error::BodyStalled) {
        return "the body broke off inside its chunks' framing (a size line, a line end or a trailer): the connection ended there, or a line ran on past any real one's length".into();
    }
    // (ureq's "io: " before the system's words says nothing more.)
    let said = || match error {
        ureq::Error::Io(e) => words_of(&e.to_string()),
        _ => words_of(&error.to_string()),
    };
    if is_damaged(error) {
        return format!("{DAMAGED} ({})", said());
    }
    if let Some(fault) = certificate_fault(error) {
        return fault.what.into();
    }
    if let ureq::Error::ConnectProxyFailed(reason) = error {
        return proxy_refused(reason).unwrap_or_else(said);
    }
    let ureq::Error::Timeout(timeout) = error else {
        return said();
    };
    let what = match timeout {
        T::Resolve => {
            "the host's name was not resolved in time (the connect_timeout option, or what was left of timeout): the system's DNS resolver did not answer"
        }
        T::Connect => {
            "the connection did not open in time (the connect_timeout option, or what was left of timeout)"
        }
        T::SendRequest | T::SendBody | T::Await100 => {
            "the request could not be written within the timeout option"
        }
        T::RecvResponse | T::RecvBody => "no whole answer came within the timeout option",
        _ => "the call took longer than the timeout option allows, its retries included",
    };
    what.to_string()
}

/// A proxy's refusal to open the tunnel, by its status (ureq words it
/// "proxy server responded 407/407": the code twice, no name), or `None`
/// for another of ureq's CONNECT failures (no answer, say).
fn proxy_refused(reason: &str) -> Option<String> {
    let code = reason.strip_prefix("proxy server responded ")?;
    let code = code.split_once('/').map_or(code, |(code, _)| code);
    let status = ureq::http::StatusCode::from_bytes(code.as_bytes()).ok()?;
    let name = status
        .canonical_reason()
        .map_or(String::new(), |name| format!(" {name}"));
    let why = match status.as_u16() {
        407 => ": it wants credentials, and the proxy option's URL gave none or ones it refused (its user and password)",
        _ => "",
    };
    Some(format!(
        "the proxy refused to open a connection to the endpoint: it answered {}{name}{why}",
        status.as_u16()
    ))
}

/// A refused server certificate's fault, and its fix.
struct CertificateFault {
    what: &'static str,
    fix: &'static str,
}

/// The fault of a refused server certificate, when it is one of the usual
/// faults of a certificate made by hand with openssl: rustls' words for
/// them (`Other(OtherError(CaUsedAsEndEntity))`) say nothing to a shop,
/// and the general advice (the host name, `ca_file`) misleads when both
/// are right. Other refusals (a name, an expiry) keep rustls' words, which
/// say what is wrong.
fn certificate_fault(error: &ureq::Error) -> Option<CertificateFault> {
    use rustls::CertificateError as C;
    let rustls::Error::InvalidCertificate(refused) = rustls_error(error)? else {
        return None;
    };
    let (what, fix) = match refused {
        C::UnknownIssuer => (
            "the server's certificate is not issued by a CA this client trusts (UnknownIssuer)",
            "the ca_file option must name a PEM file holding the CA certificate that issued it (or, for a self-signed certificate, that certificate itself); without ca_file, only public CAs are trusted",
        ),
        C::Other(other) => match other.0.downcast_ref::<webpki::Error>()? {
            webpki::Error::CaUsedAsEndEntity => (
                "the server's certificate is a CA certificate (basicConstraints CA:TRUE, which `openssl req -x509` sets unless told otherwise), which TLS refuses as a server's own (CaUsedAsEndEntity)",
                "give the server a certificate with CA:FALSE (`openssl req -x509 -addext basicConstraints=critical,CA:FALSE`), or one issued by that CA, and keep the certificate that issued it in the ca_file option",
            ),
            webpki::Error::UnsupportedCertVersion => (
                "the server's certificate is an X.509 version 1 certificate (what `openssl x509 -req` makes without extensions), which TLS refuses (UnsupportedCertVersion)",
                "issue it again as version 3 with a subjectAltName naming the host (`openssl x509 -req` with `-extfile` giving subjectAltName=DNS:<host>)",
            ),
            webpki::Error::EndEntityUsedAsCa => (
                "a certificate that issued the server's is not a CA certificate (it lacks basicConstraints CA:TRUE) (EndEntityUsedAsCa)",
                "the ca_file option, or the chain the server sends, must hold the CA certificate that issued the server's",
            ),
            _ => return None,
        },
        _ => return None,
    };
    Some(CertificateFault { what, fix })
}

/// What failed in reading a body, for a message: [`what_failed`] of the
/// transport's error the reader wraps, else the reader's own words.
pub(crate) fn what_failed_reading(error: &std::io::Error) -> String {
    match error
        .get_ref()
        .and_then(|e| e.downcast_ref::<ureq::Error>())
    {
        Some(inner) => what_failed(inner),
        None if is_damaged_io(error) => format!("{DAMAGED} ({})", words_of(&error.to_string())),
        None => words_of(&error.to_string()),
    }
}

/// A library's words, bounded, without the link to its manual some add
/// (rustls: "...close_notify: https://docs.rs/..."), which means nothing
/// to a shop.
fn words_of(text: &str) -> String {
    let text = text.find(": https://").map_or(text, |at| &text[..at]);
    excerpt(text.as_bytes())
}

/// What a message says of [`is_damaged`] bytes.
const DAMAGED: &str = "the connection's data arrived damaged";

/// Whether `error` is TLS finding the bytes it read damaged (a record
/// that does not decrypt or parse): a flaky network or a meddling
/// middlebox, the connection's fault like a reset, not the certificate's.
fn is_damaged(error: &ureq::Error) -> bool {
    rustls_error(error).is_some_and(is_damaged_tls)
}

/// rustls' error in `error`, if it is one.
fn rustls_error(error: &ureq::Error) -> Option<&rustls::Error> {
    match error {
        ureq::Error::Rustls(e) => Some(e),
        ureq::Error::Io(e) => rustls_error_io(e),
        _ => None,
    }
}

/// rustls' error in an I/O error (rustls' errors come wrapped in one).
fn rustls_error_io(error: &std::io::Error) -> Option<&rustls::Error> {
    error.get_ref()?.downcast_ref::<rustls::Error>()
}

/// [`is_damaged`] of an I/O error.
fn is_damaged_io(error: &std::io::Error) -> bool {
    rustls_error_io(error).is_some_and(is_damaged_tls)
}

fn is_damaged_tls(error: &rustls::Error) -> bool {
    matches!(
        error,
        rustls::Error::DecryptError
            | rustls::Error::InvalidMessage(_)
            | rustls::Error::InappropriateMessage { .. }
            | rustls::Error::InappropriateHandshakeMessage { .. }
            | rustls::Error::PeerSentOversizedRecord
    )
}

/// Whether `error` is the connection's (refused, cut, timed out, damaged
/// on the way), worth another try, rather than the server's or the
/// certificate's.
fn is_transient(error: &ureq::Error) -> bool {
    if is_damaged(error) {
        return true;
    }
    match error {
        ureq::Error::Io(e) => matches!(
            e.kind(),
            Io::ConnectionRefused
                | Io::ConnectionReset
                | Io::ConnectionAborted
                | Io::BrokenPipe
                | Io::UnexpectedEof
                | Io::TimedOut
                | Io::WouldBlock
                | Io::Interrupted
                | Io::AddrNotAvailable
                | Io::HostUnreachable
                | Io::NetworkUnreachable
                | Io::NetworkDown
        ),
        // A body cut short inside a chunk's size line, as UnexpectedEof is
        // one cut inside its data.
        ureq::Error::Timeout(_)
        | ureq::Error::HostNotFound
        | ureq::Error::ConnectionFailed
        | ureq::Error::BodyStalled => true,
        _ => false,
    }
}

/// [`is_transient`] for a failed read of a body (ureq's own errors come
/// wrapped in the reader's `io::Error`).
pub(crate) fn body_read_is_transient(error: &std::io::Error) -> bool {
    match error
        .get_ref()
        .and_then(|e| e.downcast_ref::<ureq::Error>())
    {
        Some(inner) => is_transient(inner),
        None => {
            is_damaged_io(error)
                || is_transient(&ureq::Error::Io(std::io::Error::from(error.kind())))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_librarys_words_lose_their_manual_link_and_a_body_timeout_names_the_option() {
        let rustls = std::io::Error::new(
            Io::UnexpectedEof,
            "peer closed connection without sending TLS close_notify: https://docs.rs/rustls/latest/rustls/manual/_03_howto/index.html#unexpected-eof",
        );
        let said = what_failed_reading(&rustls);
        assert_eq!(
            said,
            "peer closed connection without sending TLS close_notify"
        );
        let timed_out = std::io::Error::other(ureq::Error::Timeout(ureq::Timeout::RecvBody));
        let said = what_failed_reading(&timed_out);
        assert!(
            said.starts_with("no whole answer came within the timeout option"),
            "{said}"
        );
    }

    #[test]
    fn a_lookup_that_did_not_answer_is_named_apart_from_a_connection_that_did_not_open() {
        let resolve = what_failed(&ureq::Error::Timeout(ureq::Timeout::Resolve));
        assert!(
            resolve.starts_with("the host's name was not resolved in time"),
            "{resolve}"
        );
        assert!(resolve.contains("DNS"), "{resolve}");
        let connect = what_failed(&ureq::Error::Timeout(ureq::Timeout::Connect));
        assert!(
            connect.starts_with("the connection did not open in time"),
            "{connect}"
        );
    }

    fn io(kind: Io) -> ureq::Error {
        ureq::Error::Io(std::io::Error::new(kind, "x"))
    }

    /// [`classify`] of a try to an endpoint reached directly.
    fn tried(label: &str, error: ureq::Error, trace: Trace) -> Failure {
        classify(label, "https://h", false, error, trace)
    }

    fn trace(connected: bool, wrote: bool, read: bool) -> Trace {
        Trace {
            connected,
            sending: wrote,
            wrote,
            read,
        }
    }

    #[test]
    fn nothing_written_is_not_sent_whatever_the_error() {
        for error in [
            io(Io::InvalidData),
            io(Io::ConnectionReset),
            ureq::Error::Tls("bad name"),
        ] {
            let failure = tried("GET /x", error, trace(true, false, false));
            assert_eq!(failure.reach, Reach::NotSent);
            assert!(!failure.error.may_have_acted());
            assert!(failure.error.to_string().contains("was not sent"));
        }
    }

    #[test]
    fn a_pooled_connection_closed_before_any_answer_is_stale() {
        let failure = tried("GET /x", io(Io::UnexpectedEof), trace(false, true, false));
        assert_eq!(failure.reach, Reach::Stale);
        assert!(failure.error.may_have_acted());
        let fresh = tried("GET /x", io(Io::UnexpectedEof), trace(true, true, false));
        assert_eq!(fresh.reach, Reach::MayHaveArrived);
        let answered = tried("GET /x", io(Io::UnexpectedEof), trace(false, true, true));
        assert_eq!(answered.reach, Reach::MayHaveArrived);
    }

    #[test]
    fn tls_records_damaged_on_the_way_are_the_connections_not_the_certificates() {
        let tls = |e: rustls::Error| std::io::Error::new(Io::InvalidData, e);
        let damaged = || ureq::Error::Io(tls(rustls::Error::DecryptError));
        let before = tried("POST /x", damaged(), trace(true, false, false));
        assert_eq!(before.reach, Reach::NotSent);
        assert!(before.transient);
        assert_eq!(
            before.error.kind(),
            crate::ErrorKind::Transport,
            "{}",
            before.error
        );
        let text = before.error.to_string();
        assert!(
            text.contains("data arrived damaged (cannot decrypt"),
            "{text}"
        );
        assert!(
            text.contains("was not sent") && !text.contains("ca_file"),
            "{text}"
        );
        let after = tried("PUT /x", damaged(), trace(true, true, true));
        assert_eq!(after.reach, Reach::MayHaveArrived);
        assert!(after.transient);
        assert!(body_read_is_transient(&tls(rustls::Error::DecryptError)));
        assert!(what_failed_reading(&tls(rustls::Error::DecryptError)).starts_with(DAMAGED));
        // A certificate refused is still a TLS error, and not worth a try.
        let refused = ureq::Error::Io(tls(rustls::Error::InvalidCertificate(
            rustls::CertificateError::UnknownIssuer,
        )));
        let refused = tried("POST /x", refused, trace(true, false, false));
        assert_eq!(refused.error.kind(), crate::ErrorKind::Tls);
        assert!(!refused.transient);
        assert!(!body_read_is_transient(&tls(
            rustls::Error::NoCertificatesPresented
        )));
    }

    #[test]
    fn a_hand_made_certificates_usual_faults_are_named_with_their_fix() {
        let refused = |e: rustls::CertificateError| {
            let e = std::io::Error::new(Io::InvalidData, rustls::Error::InvalidCertificate(e));
            tried("POST /x", ureq::Error::Io(e), Trace::default())
        };
        let by_webpki = |e: webpki::Error| {
            refused(rustls::CertificateError::Other(rustls::OtherError(
                std::sync::Arc::new(e),
            )))
        };
        for (failure, says) in [
            (by_webpki(webpki::Error::CaUsedAsEndEntity), "CA:FALSE"),
            (
                by_webpki(webpki::Error::UnsupportedCertVersion),
                "version 3",
            ),
            (by_webpki(webpki::Error::EndEntityUsedAsCa), "CA:TRUE"),
            (
                refused(rustls::CertificateError::UnknownIssuer),
                "CA certificate that issued it",
            ),
        ] {
            let text = failure.error.to_string();
            assert_eq!(failure.error.kind(), crate::ErrorKind::Tls, "{text}");
            assert!(!failure.error.may_have_acted() && !failure.transient);
            assert!(text.contains("not sent") && text.contains(says), "{text}");
            assert!(!text.contains("host name"), "{text}");
            assert!(!text.contains("invalid peer certificate"), "{text}");
        }
        // Another fault keeps rustls' words and the general advice.
        let other = by_webpki(webpki::Error::MaximumPathDepthExceeded).error;
        let text = other.to_string();
        assert!(text.contains("MaximumPathDepthExceeded"), "{text}");
        assert!(
            text.contains("host name") && text.contains("ca_file"),
            "{text}"
        );
    }

    #[test]
    fn a_refused_certificate_is_not_worth_another_try() {
        let failure = tried("GET /x", io(Io::InvalidData), Trace::default());
        assert!(!failure.transient);
        let refused = tried("GET /x", io(Io::ConnectionRefused), Trace::default());
        assert!(refused.transient);
    }

    #[test]
    fn a_connection_that_failed_through_a_proxy_names_the_proxy() {
        for error in [
            io(Io::ConnectionRefused),
            ureq::Error::ConnectProxyFailed("HTTP/1.1 403 Forbidden".into()),
        ] {
            let failure = classify("GET /x", "https://h", true, error, Trace::default());
            let text = failure.error.to_string();
            assert!(text.contains("check the proxy option"), "{text}");
            assert!(!text.contains("endpoint is right"), "{text}");
            assert!(!failure.error.may_have_acted());
        }
    }

    #[test]
    fn a_proxys_refusal_is_named_by_its_status() {
        for (reason, says) in [
            (
                "proxy server responded 407/407",
                "it answered 407 Proxy Authentication Required: it wants credentials",
            ),
            (
                "proxy server responded 403/403",
                "it answered 403 Forbidden;",
            ),
            ("proxy server responded 499/499", "it answered 499;"),
            (
                "proxy server did not respond",
                "proxy server did not respond",
            ),
        ] {
            let error = ureq::Error::ConnectProxyFailed(reason.into());
            let failure = classify("GET /x", "https://h", true, error, Trace::default());
            let text = failure.error.to_string();
            assert!(text.contains(says), "{text}");
            assert!(!text.contains("/407"), "{text}");
        }
    }

    #[test]
    fn a_timeout_says_which_option_ran_out() {
        use ureq::Timeout as T;
        let sent = trace(true, true, false);
        for (timeout, trace, says) in [
            (T::Connect, Trace::default(), "connect_timeout option"),
            (T::Global, sent, "took longer than the timeout option"),
            (
                T::RecvResponse,
                sent,
                "no whole answer came within the timeout",
            ),
        ] {
            let failure = tried("PUT /x", ureq::Error::Timeout(timeout), trace);
            let text = failure.error.to_string();
            // (Not ureq's own words, "timeout: global", which name no option.)
            assert!(text.contains(says) && !text.contains("timeout: "), "{text}");
        }
    }
}
