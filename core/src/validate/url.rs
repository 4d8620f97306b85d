//! URLs and hosts: one reader of absolute http(s) URLs ([`parse`]) and one
//! rule for each use of them: a URL a shop gives ([`check`]), the base URL
//! of an API ([`endpoint`]), and whether two URLs reach the same server
//! ([`Url::same_origin`]).
//!
//! Everywhere, a URL is absolute, `http` or `https` (in any case), has a
//! host, holds no user name or password and no space or control character;
//! plain http reaches only a loopback host unless the field says otherwise
//! ([`Need::AnyHttp`]). Nothing is allocated unless there is a problem.

use crate::redact::quote;

/// `localhost`, `127.0.0.0/8` or `[::1]`: the hosts plain http may reach.
pub(crate) fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .map(|ip| ip.is_loopback())
            .unwrap_or(false)
}

/// Whether a server on the internet could reach `host` (as a URL writes
/// it, IPv6 in brackets): not a loopback, private, link-local, shared or
/// unspecified address, nor a name only this machine or its network
/// resolves (`localhost`, `*.localhost`, `*.local`, `*.internal`, a name
/// without a dot). What an API that posts back to the shop needs of the
/// URL it posts to, when the API is on the internet.
pub(crate) fn is_public_host(host: &str) -> bool {
    use std::net::{IpAddr, Ipv4Addr};
    fn public_v4(ip: Ipv4Addr) -> bool {
        let shared = ip.octets()[0] == 100 && (ip.octets()[1] & 0xc0) == 64;
        !(ip.is_loopback()
            || ip.is_private()
            || ip.is_link_local()
            || ip.is_unspecified()
            || ip.is_broadcast()
            || shared)
    }
    let host = host.trim_start_matches('[').trim_end_matches(']');
    match host.parse::<IpAddr>() {
        Ok(IpAddr::V4(ip)) => public_v4(ip),
        Ok(IpAddr::V6(ip)) => match ip.to_ipv4_mapped() {
            Some(v4) => public_v4(v4),
            None => {
                !(ip.is_loopback()
                    || ip.is_unspecified()
                    || ip.is_unique_local()
                    || ip.is_unicast_link_local())
            }
        },
        Err(_) => {
            let name = host.trim_end_matches('.').to_ascii_lowercase();
            let local = [".localhost", ".local", ".internal"]
                .iter()
                .any(|suffix| name.ends_with(suffix));
            name.contains('.') && !local
        }
    }
}

/// The problem of a URL `text` that `api` (on the internet) posts to,
/// when its host is not one the internet reaches ([`is_public_host`]);
/// `None` when it is, or when the URL has a problem of its own (named
/// where its field is checked). Never quotes a password or query.
pub(crate) fn unreachable_by(text: &str, api: &str) -> Option<String> {
    let target = check(text, Need::AnyHttp).ok()?;
    (!is_public_host(target.host)).then(|| {
        format!(
            "{} is a local address, which {api} cannot reach to post to it; use the shop's public https URL (a local one works only against the bundled sandbox)",
            quote_url(text)
        )
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scheme {
    Http,
    Https,
}

/// The parts of an absolute http(s) URL, borrowed from its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Url<'a> {
    pub scheme: Scheme,
    /// As written (brackets included for IPv6); compare it without case.
    pub host: &'a str,
    /// The port, the scheme's default when none is written.
    pub port: u16,
    /// From the first `/` after the host, up to `?` or `#`; may be empty.
    pub path: &'a str,
    pub query: Option<&'a str>,
    pub fragment: Option<&'a str>,
    /// Whether a user name (or password) comes before the host.
    pub userinfo: bool,
}

impl Url<'_> {
    /// Whether `other` reaches the same server: scheme, host (in any case)
    /// and port (the default one filled in).
    pub fn same_origin(&self, other: &Url<'_>) -> bool {
        self.scheme == other.scheme
            && self.port == other.port
            && self.host.eq_ignore_ascii_case(other.host)
    }
}

/// Why a text is not a URL a rule accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Why {
    Space,
    NotAbsolute,
    NotHttp,
    NoHost,
    BadHost,
    BadPort,
    Userinfo,
    PlainHttp,
    Query,
    Fragment,
}

impl Why {
    /// A sentence about `url`, quoting at most an excerpt of it and never
    /// its user name or password ([`quote_url`]).
    pub fn message(self, url: &str) -> String {
        let url = quote_url(url);
        match self {
            Why::Space => format!("{url} has a space or a control character; write the URL percent-encoded"),
            Why::NotAbsolute => format!("{url} is not an absolute URL; write it whole, e.g. \"https://shop.example/payments/success\""),
            Why::NotHttp => format!("{url} is not an http(s) URL"),
            Why::NoHost => format!("{url} has no host"),
            Why::BadHost => format!("{url} has a host that is neither a name (labels of letters, digits, '-', '_' or '~', between dots, none empty) nor an address in brackets"),
            Why::BadPort => format!("{url} has a port that is not a number from 1 to 65535"),
            Why::Userinfo => format!("{url} holds a user name or password; leave them out of the URL"),
            Why::PlainHttp => format!("{url} is plain http to a remote host; use https (plain http is allowed only to loopback, for tests)"),
            Why::Query => format!("{url} has a query string; leave it out"),
            Why::Fragment => format!("{url} has a fragment (#...); leave it out"),
        }
    }
}

/// `url` for a message: [`masked_url`], as a bounded excerpt ([`quote`]).
pub(crate) fn quote_url(url: &str) -> String {
    quote(&masked_url(url)).to_string()
}

/// `url` with `***` for whatever stands between the scheme and its last
/// `@` (a password, even in a URL too broken to parse: one with a `/`, `?`
/// or `#` in it, not percent-encoded, would end the authority early) and
/// for its query string and fragment (which may carry a key or a token:
/// `#access_token=...`). An `@` in a path or query hides more than the
/// password: a message shows less, never a secret.
pub(crate) fn masked_url(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let separator = if scheme.is_empty() { "" } else { "://" };
    let (userinfo, rest) = match rest.rfind('@') {
        Some(at) => ("***@", &rest[at + 1..]),
        None => ("", rest),
    };
    let (rest, query) = match rest.find(['?', '#']) {
        Some(at) if rest[at..].starts_with('?') => (&rest[..at], "?***"),
        Some(at) => (&rest[..at], "#***"),
        None => (rest, ""),
    };
    format!("{scheme}{separator}{userinfo}{rest}{query}")
}

/// A URL in a `Debug` print, as [`masked_url`] shows it: a config's
/// endpoint may carry a password until the client refuses it.
pub(crate) struct DebugUrl<'a>(pub &'a str);

impl std::fmt::Debug for DebugUrl<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", masked_url(self.0))
    }
}

/// Reads an absolute http(s) URL. Only its shape: what a use allows is
/// [`check`]'s and [`endpoint`]'s.
pub(crate) fn parse(text: &str) -> Result<Url<'_>, Why> {
    let b = text.as_bytes();
    if !above_space(b) && has_space(text) {
        return Err(Why::Space);
    }
    let authority = authority(b)?;
    // The path, query and fragment: up to the first '#', the first '?'
    // before it. (Every bound is at an ASCII byte, so at a character.)
    let after = authority.end;
    let fragment = b[after..]
        .iter()
        .position(|&c| c == b'#')
        .map(|f| after + f);
    let before_fragment = fragment.unwrap_or(b.len());
    let query = b[after..before_fragment]
        .iter()
        .position(|&c| c == b'?')
        .map(|q| after + q);
    Ok(Url {
        scheme: authority.scheme,
        host: &text[authority.host.clone()],
        port: authority.port,
        path: &text[after..query.unwrap_or(before_fragment)],
        query: query.map(|q| &text[q + 1..before_fragment]),
        fragment: fragment.map(|f| &text[f + 1..]),
        userinfo: authority.userinfo,
    })
}

/// Whether `text` has a space or a control character (ASCII or not).
fn has_space(text: &str) -> bool {
    text.bytes()
        .any(|c| c.is_ascii_whitespace() || c.is_ascii_control())
        || text.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// The scheme and authority of a URL, as places in its text.
struct Authority {
    scheme: Scheme,
    host: std::ops::Range<usize>,
    port: u16,
    userinfo: bool,
    /// Where the authority ends: the path, query or fragment start.
    end: usize,
}

/// Reads the scheme and the authority of `b`, which has no space or
/// control character, in one pass: the authority ends at the first `/`,
/// `?` or `#`; a user name ends at its last `@`; a port is the digits
/// after the last `:` that no `]` follows (an IPv6 host is in brackets).
fn authority(b: &[u8]) -> Result<Authority, Why> {
    let (scheme, start) = if starts_without_case(b, b"https://") {
        (Scheme::Https, 8)
    } else if starts_without_case(b, b"http://") {
        (Scheme::Http, 7)
    } else if b.windows(3).any(|w| w == b"://") {
        return Err(Why::NotHttp);
    } else {
        return Err(Why::NotAbsolute);
    };
    let mut host_start = start;
    let mut colon = None;
    let mut end = start;
    while let Some(&c) = b.get(end) {
        match c {
            b'/' | b'?' | b'#' => break,
            b'@' => {
                host_start = end + 1;
                colon = None;
            }
            b':' => colon = Some(end),
            b']' => colon = None,
            _ => {}
        }
        end += 1;
    }
    let (host_end, port) = match colon {
        Some(colon) => (colon, &b[colon + 1..end]),
        None => (end, &b""[..]),
    };
    let host = &b[host_start..host_end];
    if host.is_empty() || host == b"[]" {
        return Err(Why::NoHost);
    }
    if !is_host(host) {
        return Err(Why::BadHost);
    }
    let port = match port {
        [] => match scheme {
            Scheme::Http => 80,
            Scheme::Https => 443,
        },
        digits if digits.len() <= 5 && digits.iter().all(u8::is_ascii_digit) => {
            let port = digits
                .iter()
                .fold(0u32, |n, &d| n * 10 + u32::from(d - b'0'));
            match u16::try_from(port) {
                Ok(port) if port > 0 => port,
                _ => return Err(Why::BadPort),
            }
        }
        _ => return Err(Why::BadPort),
    };
    Ok(Authority {
        scheme,
        host: host_start..host_end,
        port,
        userinfo: host_start > start,
        end,
    })
}

/// Whether `host` can name a server: an IP literal in brackets, or a
/// name whose labels are not empty (a last `.` allowed) and hold letters,
/// digits, `-`, `_`, `~`, a percent-encoding or non-ASCII text (an
/// internationalised name). A backslash or a `..` would be a host no
/// request reaches: seQura's notifications to it would be lost.
fn is_host(host: &[u8]) -> bool {
    if let [b'[', inner @ .., b']'] = host {
        return inner
            .iter()
            .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b':' | b'.' | b'%'));
    }
    // One pass, a table look-up a byte: every order has a few URLs.
    const LABEL_BYTE: [bool; 256] = {
        let mut table = [false; 256];
        let mut c = 0;
        while c < 256 {
            let b = c as u8;
            table[c] =
                b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'~' | b'%') || b >= 0x80;
            c += 1;
        }
        table
    };
    let name = host.strip_suffix(b".").unwrap_or(host);
    // As if after a dot: a first label that is empty is refused too.
    let mut previous = b'.';
    for &c in name {
        if c == b'.' {
            if previous == b'.' {
                return false;
            }
        } else if !LABEL_BYTE[usize::from(c)] {
            return false;
        }
        previous = c;
    }
    previous != b'.'
}

/// [`check`] for text read as bytes, UTF-8 or not (the order validator's
/// URL fields): whether it is a URL a shop may give. Printable ASCII, as
/// URLs are, is read without a UTF-8 check and without reading its path.
pub(crate) fn is_shop_url(text: &[u8], need: Need) -> bool {
    if !above_space(text) {
        return std::str::from_utf8(text).is_ok_and(|text| check(text, need).is_ok());
    }
    authority(text).is_ok_and(|url| {
        !url.userinfo
            && (need == Need::AnyHttp
                || url.scheme == Scheme::Https
                || std::str::from_utf8(&text[url.host]).is_ok_and(is_loopback))
    })
}

/// What a field's URL may reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Need {
    /// https, or plain http to a loopback host (tests, the sandbox): where
    /// a shopper's browser, credentials or payment details go.
    Https,
    /// Any http(s) URL (the order document's plain "URL" fields).
    AnyHttp,
}

/// A URL a shop gives in a document (a callback, a redirect target): see
/// the module's rules. A query and a fragment are allowed.
pub(crate) fn check(text: &str, need: Need) -> Result<Url<'_>, Why> {
    let url = parse(text)?;
    if url.userinfo {
        return Err(Why::Userinfo);
    }
    if need == Need::Https && url.scheme == Scheme::Http && !is_loopback(url.host) {
        return Err(Why::PlainHttp);
    }
    Ok(url)
}

/// The longest base URL of an API: its path starts every request line,
/// which must fit the connection's output buffer with the other headers.
pub(crate) const MAX_ENDPOINT: usize = 2048;

/// The base URL of an API, which every request and its credentials go
/// to: as [`check`] with [`Need::Https`], at most [`MAX_ENDPOINT`] bytes,
/// and neither a query nor a fragment. The error is a sentence that starts
/// with the quoted URL.
pub(crate) fn endpoint(text: &str) -> Result<Url<'_>, String> {
    if text.len() > MAX_ENDPOINT {
        return Err(format!(
            "{} is longer than {MAX_ENDPOINT} bytes; give the API's base URL (scheme, host and a short path)",
            quote_url(text)
        ));
    }
    let url = check(text, Need::Https).map_err(|why| why.message(text))?;
    if url.query.is_some() {
        return Err(Why::Query.message(text));
    }
    if url.fragment.is_some() {
        return Err(Why::Fragment.message(text));
    }
    Ok(url)
}

/// Whether `text` starts as an http(s) URL does, the scheme in any case
/// (a link in a logged body, whose query and fragment are masked).
pub(crate) fn has_http_scheme(text: &str) -> bool {
    let text = text.as_bytes();
    starts_without_case(text, b"https://") || starts_without_case(text, b"http://")
}

/// Whether `text` starts with the lowercase `prefix` (`https://`,
/// `http://`) in any case.
#[inline]
fn starts_without_case(text: &[u8], prefix: &[u8]) -> bool {
    text.get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
}

/// Whether every byte of `b` is from `!` to `~`: printable ASCII, no space.
/// Eight bytes at a time, as most URLs are plain ASCII.
fn above_space(b: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let mut chunks = b.chunks_exact(8);
    let words_ok = chunks.by_ref().all(|chunk| {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(chunk);
        let w = u64::from_le_bytes(bytes);
        // A byte below 0x21, or above 0x7e (0x7f and up); a carry or borrow
        // only flags bytes above one that is itself flagged.
        let low = w.wrapping_sub(ONES * 0x21) & !w;
        let high = w.wrapping_add(ONES) | w;
        (low | high) & HIGHS == 0
    });
    words_ok
        && chunks
            .remainder()
            .iter()
            .all(|&c| (0x21..=0x7e).contains(&c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_message_quotes_a_password() {
        for text in [
            "https://user:hunter2@shop.example/ok",
            "http://user:hunter2@remote.example",
            "ftp://user:hunter2@host",
            "user:hunter2@shop.example",
            "https://user:hunter2@shop example",
        ] {
            let why = check(text, Need::Https).unwrap_err();
            let message = why.message(text);
            assert!(!message.contains("hunter2"), "{message}");
            assert!(message.contains("***@"), "{message}");
        }
    }

    #[test]
    fn printable_ascii_is_told_from_everything_else() {
        assert!(above_space(b"https://my.shop.tld/a?b=c#d~!"));
        for at in 0..17 {
            for c in [b' ', b'\t', 0x0b, 0x7f, 0x80, 0xc3, 0xff, 0] {
                let mut text = b"https://my.shop.tl".to_vec();
                text[at] = c;
                assert!(!above_space(&text), "{c:#x} at {at}");
            }
        }
    }

    #[test]
    fn urls_are_read_into_their_parts() {
        let url = parse("HTTPS://User@My.Shop.tld:8443/a/b?c=d#e").unwrap();
        assert_eq!(url.scheme, Scheme::Https);
        assert_eq!(url.host, "My.Shop.tld");
        assert_eq!(url.port, 8443);
        assert_eq!(url.path, "/a/b");
        assert_eq!(url.query, Some("c=d"));
        assert_eq!(url.fragment, Some("e"));
        assert!(url.userinfo);
        let url = parse("http://[::1]:8080").unwrap();
        assert_eq!((url.host, url.port, url.path), ("[::1]", 8080, ""));
        assert_eq!(parse("https://h.example").unwrap().port, 443);
        assert_eq!(parse("http://h.example:").unwrap().port, 80);
        assert_eq!(parse("https://h.example:99999"), Err(Why::BadPort));
        assert_eq!(parse("https://h.example:0"), Err(Why::BadPort));
        assert_eq!(parse("https://h.example:8a"), Err(Why::BadPort));
        assert_eq!(parse("https:///path"), Err(Why::NoHost));
        assert_eq!(parse("https://:443/path"), Err(Why::NoHost));
        for bad in [
            "https://my.shop.tld\\ipn",
            "https://a..b/ipn",
            "https://.shop.tld/",
            "https://shop.tld../",
            "https://sh{op}.tld/",
            "https://[::1/",
            "https://[::1]x/",
        ] {
            assert_eq!(parse(bad), Err(Why::BadHost), "{bad}");
        }
        for ok in [
            "https://shop.tld./ipn",
            "https://xn--tiend-gva.es/",
            "https://tiendá.es/",
            "https://my_shop.example/",
            "http://[fe80::1%25eth0]:8080/",
            "http://127.0.0.1/",
        ] {
            assert!(parse(ok).is_ok(), "{ok}");
        }
        assert_eq!(parse("my.shop.tld/ipn"), Err(Why::NotAbsolute));
        assert_eq!(parse("ftp://my.shop.tld"), Err(Why::NotHttp));
        assert_eq!(parse("javascript://x"), Err(Why::NotHttp));
        assert_eq!(parse("https://my shop.tld"), Err(Why::Space));
        assert_eq!(parse("https://my.shop.tld/\u{a0}"), Err(Why::Space));
    }

    #[test]
    fn shop_urls_are_https_or_loopback_http_and_hold_no_credentials() {
        for ok in [
            "https://my.shop.tld/ipn",
            "http://127.0.0.1:8080/ipn",
            "https://my.shop.tld:8443/ipn?x=1#y",
            "http://localhost:8080",
            "http://[::1]:8080/",
            "https://shop.example/ok?o=1",
        ] {
            assert!(check(ok, Need::Https).is_ok(), "{ok}");
        }
        assert_eq!(
            check("http://my.shop.tld/ipn", Need::Https),
            Err(Why::PlainHttp)
        );
        assert!(check("http://my.shop.tld/timeout", Need::AnyHttp).is_ok());
        assert_eq!(
            check("https://user:pw@shop.example/", Need::AnyHttp),
            Err(Why::Userinfo)
        );
    }

    #[test]
    fn a_public_host_is_one_a_server_on_the_internet_can_reach() {
        for public in [
            "my.shop.tld",
            "shop.example.",
            "8.8.8.8",
            "[2001:db8::1]",
            "LOCALHOST.com",
        ] {
            assert!(is_public_host(public), "{public}");
        }
        for local in [
            "localhost",
            "LocalHost",
            "shop.localhost",
            "shop.local",
            "db.internal",
            "myshop",
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.10",
            "169.254.1.1",
            "100.64.0.1",
            "0.0.0.0",
            "[::1]",
            "[::]",
            "[fd00::1]",
            "[fe80::1]",
            "[::ffff:192.168.1.10]",
        ] {
            assert!(!is_public_host(local), "{local}");
        }
    }

    #[test]
    fn shop_urls_read_as_bytes_are_those_check_accepts() {
        let mut samples = vec![
            "https://my.shop.tld/ipn".to_string(),
            "HTTP://127.0.0.1:8080/ipn?x=1#y".into(),
            "http://my.shop.tld/ipn".into(),
            "http://[::1]:8080/".into(),
            "http://[::1]/".into(),
            "http://[fe80::1]:80/".into(),
            "https://user@shop.example/".into(),
            "https://a@b@shop.example:8443/x@y".into(),
            "https://shop.example:0/".into(),
            "https://shop.example:65536/".into(),
            "https://shop.example:065535/".into(),
            "https://shop.example:65535/".into(),
            "https://:8080/".into(),
            "https://[]/".into(),
            "https://shop.example:/".into(),
            "https://shop.example?q#f".into(),
            "https://shop.example#f?q".into(),
            "https://localhost:1".into(),
            "http://LOCALHOST".into(),
            "https://señal.example/ñ".into(),
            "https://shop.example/\u{a0}".into(),
            "ftp://shop.example".into(),
            "shop.example/a://b".into(),
            "https:/shop.example".into(),
            "".into(),
        ];
        samples.push(format!("https://{}.example", "h".repeat(300)));
        for text in &samples {
            for need in [Need::Https, Need::AnyHttp] {
                assert_eq!(
                    is_shop_url(text.as_bytes(), need),
                    check(text, need).is_ok(),
                    "{text} {need:?}"
                );
            }
        }
        assert!(!is_shop_url(b"https://shop.example/\xff", Need::AnyHttp));
    }

    #[test]
    fn an_endpoint_has_no_query_or_fragment() {
        assert!(endpoint("http://127.0.0.1:8080").is_ok());
        assert!(endpoint("https://sandbox.sequrapi.com/").is_ok());
        let err = endpoint("http://sandbox.sequrapi.com").unwrap_err();
        assert!(err.contains("plain http"), "{err}");
        assert!(endpoint("https://user:pw@example.com").is_err());
        assert!(endpoint("https://example.com?x=1").is_err());
        assert!(endpoint("https://example.com#x").is_err());
        assert!(endpoint("ftp://example.com").is_err());
    }

    #[test]
    fn an_endpoint_is_at_most_2048_bytes() {
        let at = |n: usize| format!("https://api.example/{}", "a".repeat(n - 20));
        assert_eq!(at(MAX_ENDPOINT).len(), MAX_ENDPOINT);
        assert!(endpoint(&at(MAX_ENDPOINT)).is_ok());
        let err = endpoint(&at(MAX_ENDPOINT + 1)).unwrap_err();
        assert!(err.contains("longer than 2048 bytes"), "{err}");
        assert!(err.len() < 300, "{err}");
    }

    #[test]
    fn the_same_server_whatever_the_case_and_default_port() {
        let a = parse("https://sandbox.sequrapi.com/orders/x").unwrap();
        for same in [
            "https://SANDBOX.sequrapi.com",
            "https://sandbox.sequrapi.com:443/",
        ] {
            assert!(a.same_origin(&parse(same).unwrap()), "{same}");
        }
        for other in [
            "http://sandbox.sequrapi.com",
            "https://sandbox.sequrapi.com:8443",
            "https://live.sequrapi.com",
        ] {
            assert!(!a.same_origin(&parse(other).unwrap()), "{other}");
        }
    }

    #[test]
    fn a_quoted_url_shows_neither_its_password_nor_its_query() {
        assert_eq!(quote_url("https://h/p"), "\"https://h/p\"");
        assert_eq!(quote_url("https://u:S3CR3T@h/p"), "\"https://***@h/p\"");
        assert_eq!(quote_url("https://h/p?key=S3CR3T#f"), "\"https://h/p?***\"");
        assert_eq!(quote_url("u:S3CR3T@h?t=S3CR3T"), "\"***@h?***\"");
        // A password with a character a URL must encode, sent as it is.
        for broken in [
            "https://shop:Pa55/S3CR3T@shop.example/n",
            "https://shop:Pa55?S3CR3T@shop.example/n",
            "https://shop:Pa55#S3CR3T@shop.example/n",
            "https://shop:Pa@55S3CR3T@shop.example/n",
        ] {
            assert_eq!(quote_url(broken), "\"https://***@shop.example/n\"");
        }
        assert_eq!(
            quote_url("http://h:9/#access_token=S3CR3T"),
            "\"http://h:9/#***\""
        );
    }

    #[test]
    fn messages_quote_an_excerpt_of_a_long_url() {
        let long = format!("http://shop.example/{}", "a".repeat(1 << 20));
        let message = Why::PlainHttp.message(&long);
        assert!(message.len() < 300, "{}", message.len());
        assert!(message.contains("1048596 bytes"), "{message}");
    }
}
