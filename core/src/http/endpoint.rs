//! Endpoints: which base URLs a transport accepts (the rule is the
//! toolkit's, [`url::endpoint`]; a message quotes a URL with
//! [`url::quote_url`], never with its userinfo).

use crate::error::{Error, Result};
use crate::validate::url;
use ureq::http::Uri;

/// A base URL that passed [`checked_base_url`] (which refuses one with a
/// user name or password, so it can be shown).
#[derive(Debug)]
pub(super) struct BaseUrl {
    /// As given, without a trailing slash.
    pub text: String,
    /// Parsed for the agent.
    pub uri: Uri,
    /// Whether its host is on the internet ([`url::is_public_host`]).
    pub public: bool,
}

/// Checks `url` as an endpoint with the toolkit's one rule for a base URL
/// ([`url::endpoint`]: https, or plain http to loopback; no credentials,
/// no query, no fragment), and parses it for the agent. Messages quote it
/// without its userinfo.
pub(super) fn checked_base_url(text: &str) -> Result<BaseUrl> {
    let endpoint = url::endpoint(text).map_err(|why| Error::Config(format!("endpoint {why}")))?;
    let uri: Uri = text.parse().map_err(|e| {
        Error::Config(format!(
            "endpoint {} is not a URL: {e}",
            url::quote_url(text)
        ))
    })?;
    Ok(BaseUrl {
        text: text.trim_end_matches('/').to_string(),
        uri,
        public: url::is_public_host(endpoint.host),
    })
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
