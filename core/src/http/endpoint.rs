//! Endpoints: which base URLs a transport accepts, and how a URL is quoted
//! in a message (never with its userinfo).

use crate::error::{Error, Result};
use crate::redact::excerpt;
use crate::validate::url::is_loopback;
use ureq::http::Uri;

/// Checks `url` as an endpoint: https, or plain http to loopback; no
/// credentials, no query. Messages quote it without its userinfo.
pub(super) fn checked_base_url(url: &str) -> Result<(String, Uri)> {
    let uri: Uri = url
        .parse()
        .map_err(|e| Error::Config(format!("endpoint {} is not a URL: {e}", quoted(url))))?;
    let host = uri
        .host()
        .ok_or_else(|| Error::Config(format!("endpoint {} has no host", quoted(url))))?;
    let authority = uri.authority().map(|a| a.as_str()).unwrap_or_default();
    if authority.contains('@') {
        return Err(Error::Config(format!(
            "endpoint {} holds credentials; use the username and password options",
            quoted(url)
        )));
    }
    if uri.query().is_some() {
        return Err(Error::Config(format!(
            "endpoint {} has a query string; give the base URL only",
            quoted(url)
        )));
    }
    match uri.scheme_str() {
        Some("https") => {}
        Some("http") if is_loopback(host) => {}
        Some("http") => {
            return Err(Error::Config(format!(
                "endpoint {} is plain http to a remote host; use https (plain http is allowed only to loopback)",
                quoted(url)
            )))
        }
        _ => {
            return Err(Error::Config(format!(
                "endpoint {} is not http(s)",
                quoted(url)
            )))
        }
    }
    Ok((url.trim_end_matches('/').to_string(), uri))
}

/// `url` for a message: a bounded excerpt, and `***` for whatever stands
/// between the scheme and an `@` (a password, even in a URL too broken to
/// parse).
pub(crate) fn quoted(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let shown = match rest[..authority_end].rfind('@') {
        Some(at) => {
            let separator = if scheme.is_empty() { "" } else { "://" };
            format!("{scheme}{separator}***@{}", &rest[at + 1..])
        }
        None => url.to_string(),
    };
    format!("{:?}", excerpt(shown.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_is_only_for_loopback() {
        assert!(checked_base_url("http://127.0.0.1:8080").is_ok());
        assert!(checked_base_url("http://localhost:8080/").is_ok());
        assert!(checked_base_url("http://[::1]:8080").is_ok());
        let err = checked_base_url("http://sandbox.sequrapi.com").unwrap_err();
        assert!(err.to_string().contains("plain http"), "{err}");
        assert!(checked_base_url("ftp://example.com").is_err());
    }

    #[test]
    fn userinfo_is_never_quoted() {
        for url in [
            "https://user:hunter2@example.com",
            "https://user:hunter2@example.com/path?q=1",
            "http://user:hunter2@sandbox.sequrapi.com",
            "https://user:hunter2@exa mple.com",
            "ftp://user:hunter2@example.com",
            "https://user:hunter2@@example.com:99999",
            "user:hunter2@example.com",
        ] {
            let err = checked_base_url(url).unwrap_err().to_string();
            assert!(!err.contains("hunter2"), "{url}: {err}");
            assert!(err.contains("endpoint"), "{url}: {err}");
        }
        assert_eq!(quoted("https://a:b@h/p@q"), "\"https://***@h/p@q\"");
        assert_eq!(quoted("https://h/p"), "\"https://h/p\"");
    }
}
