//! Endpoints: which base URLs a transport accepts (the rule is the
//! toolkit's, [`url::endpoint`]; a message quotes a URL with
//! [`url::quote_url`], never with its userinfo).

use crate::error::{Error, Result};
use crate::validate::url;
use ureq::http::Uri;

/// Checks `url` as an endpoint with the toolkit's one rule for a base URL
/// ([`url::endpoint`]: https, or plain http to loopback; no credentials,
/// no query, no fragment), and parses it for the agent. Messages quote it
/// without its userinfo.
pub(super) fn checked_base_url(text: &str) -> Result<(String, Uri)> {
    url::endpoint(text).map_err(|why| Error::Config(format!("endpoint {why}")))?;
    let uri: Uri = text.parse().map_err(|e| {
        Error::Config(format!(
            "endpoint {} is not a URL: {e}",
            url::quote_url(text)
        ))
    })?;
    Ok((text.trim_end_matches('/').to_string(), uri))
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
        // The last '@' ends what is hidden: a password may hold a '/'.
        assert_eq!(url::quote_url("https://a:b@h/p@q"), "\"https://***@q\"");
        assert_eq!(url::quote_url("https://h/p"), "\"https://h/p\"");
    }
}
