//! Which request paths a fault or a count applies to.

/// A path, matched exactly or as a prefix of whole segments. Both ignore
/// the query string and one trailing slash, as routing does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathMatch {
    /// This path only: `/orders` matches `/orders` and `/orders/`.
    Exact(String),
    /// This path and every path below it: `/payments/setups` matches
    /// `/payments/setups` and `/payments/setups/set_x/confirm/sequra`, not
    /// `/payments/setupsx`; `/` matches every path.
    Prefix(String),
}

impl PathMatch {
    pub fn matches(&self, path: &str) -> bool {
        let path = normalize(path);
        match self {
            PathMatch::Exact(exact) => normalize(exact) == path,
            PathMatch::Prefix(prefix) => {
                let prefix = normalize(prefix);
                prefix == "/"
                    || path
                        .strip_prefix(prefix)
                        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
            }
        }
    }

    /// The path as given, exact or prefix.
    pub fn path(&self) -> &str {
        match self {
            PathMatch::Exact(path) | PathMatch::Prefix(path) => path,
        }
    }
}

/// `path` without its query string and one trailing slash (`/` stays).
pub(crate) fn normalize(path: &str) -> &str {
    let path = path.split('?').next().unwrap_or_default();
    match path.strip_suffix('/') {
        Some(shorter) if !shorter.is_empty() => shorter,
        _ => path,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_paths_ignore_a_trailing_slash_and_the_query() {
        let orders = PathMatch::Exact("/orders".into());
        assert!(orders.matches("/orders") && orders.matches("/orders/"));
        assert!(orders.matches("/orders?x=1"));
        assert!(!orders.matches("/orders/abc") && !orders.matches("/order"));
        assert!(PathMatch::Exact("/orders/".into()).matches("/orders"));
    }

    #[test]
    fn prefixes_match_whole_segments() {
        let setups = PathMatch::Prefix("/payments/setups".into());
        assert!(setups.matches("/payments/setups"));
        assert!(setups.matches("/payments/setups/set_x/confirm/sequra"));
        assert!(!setups.matches("/payments/setupsx") && !setups.matches("/payments"));
        let all = PathMatch::Prefix("/".into());
        assert!(all.matches("/") && all.matches("/anything/at/all"));
    }
}
