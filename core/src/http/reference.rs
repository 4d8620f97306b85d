//! A URI reference a server gave (a `Location`) made absolute as RFC 3986
//! (5.2) makes it: against the URL of the request it answers, so that
//! `orders/x` and `./orders/x` after `POST {base}/orders` are
//! `{base}/orders/x`, `x` alone is `{base}/x` (not an order's URI), and
//! dot segments are removed from every path.

/// `reference` resolved against `base`, an absolute URL (the request's).
/// A reference with a scheme is taken as it is but for its dot segments.
pub(crate) fn resolve(base: &str, reference: &str) -> String {
    let base = Parts::of(base);
    let r = Parts::of(reference);
    if r.scheme.is_some() {
        return r.with_path(&remove_dot_segments(r.path));
    }
    let scheme = base.scheme.unwrap_or_default();
    let (authority, path, query) = if r.authority.is_some() {
        (r.authority, remove_dot_segments(r.path), r.query)
    } else if r.path.is_empty() {
        (
            base.authority,
            base.path.to_string(),
            r.query.or(base.query),
        )
    } else if r.path.starts_with('/') {
        (base.authority, remove_dot_segments(r.path), r.query)
    } else {
        let merged = match base.path.rfind('/') {
            Some(at) => format!("{}{}", &base.path[..=at], r.path),
            None => format!("/{}", r.path),
        };
        (base.authority, remove_dot_segments(&merged), r.query)
    };
    Parts {
        scheme: Some(scheme),
        authority,
        path: &path,
        query,
        fragment: r.fragment,
    }
    .with_path(&path)
}

/// The five components of a URI reference (RFC 3986, appendix B).
struct Parts<'a> {
    scheme: Option<&'a str>,
    authority: Option<&'a str>,
    path: &'a str,
    query: Option<&'a str>,
    fragment: Option<&'a str>,
}

impl<'a> Parts<'a> {
    fn of(text: &'a str) -> Parts<'a> {
        let (rest, fragment) = match text.split_once('#') {
            Some((rest, fragment)) => (rest, Some(fragment)),
            None => (text, None),
        };
        let (rest, query) = match rest.split_once('?') {
            Some((rest, query)) => (rest, Some(query)),
            None => (rest, None),
        };
        let (scheme, rest) = match rest.find(':') {
            Some(at) if is_scheme(&rest[..at]) => (Some(&rest[..at]), &rest[at + 1..]),
            _ => (None, rest),
        };
        let (authority, path) = match rest.strip_prefix("//") {
            Some(rest) => {
                let end = rest.find('/').unwrap_or(rest.len());
                (Some(&rest[..end]), &rest[end..])
            }
            None => (None, rest),
        };
        Parts {
            scheme,
            authority,
            path,
            query,
            fragment,
        }
    }

    /// The URI these parts make, with `path` for the path.
    fn with_path(&self, path: &str) -> String {
        let mut out = String::new();
        if let Some(scheme) = self.scheme {
            out.push_str(scheme);
            out.push(':');
        }
        if let Some(authority) = self.authority {
            out.push_str("//");
            out.push_str(authority);
        }
        out.push_str(path);
        if let Some(query) = self.query {
            out.push('?');
            out.push_str(query);
        }
        if let Some(fragment) = self.fragment {
            out.push('#');
            out.push_str(fragment);
        }
        out
    }
}

/// `ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )`, before any `/`.
fn is_scheme(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_alphabetic())
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// RFC 3986, 5.2.4.
fn remove_dot_segments(path: &str) -> String {
    let mut input = path;
    let mut output: Vec<&str> = Vec::new();
    while !input.is_empty() {
        if let Some(rest) = input
            .strip_prefix("../")
            .or_else(|| input.strip_prefix("./"))
        {
            input = rest;
        } else if input.starts_with("/./") {
            input = &input[2..];
        } else if input == "/." {
            input = "/";
        } else if input.starts_with("/../") || input == "/.." {
            input = if input == "/.." { "/" } else { &input[3..] };
            output.pop();
        } else if input == "." || input == ".." {
            input = "";
        } else {
            // The first segment, with its leading '/' if any.
            let start = usize::from(input.starts_with('/'));
            let end = input[start..]
                .find('/')
                .map_or(input.len(), |at| start + at);
            output.push(&input[..end]);
            input = &input[end..];
        }
    }
    output.concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rfcs_own_examples_resolve_as_it_says() {
        // RFC 3986, 5.4.1 and 5.4.2, against its base.
        let base = "http://a/b/c/d;p?q";
        for (reference, target) in [
            ("g:h", "g:h"),
            ("g", "http://a/b/c/g"),
            ("./g", "http://a/b/c/g"),
            ("g/", "http://a/b/c/g/"),
            ("/g", "http://a/g"),
            ("//g", "http://g"),
            ("?y", "http://a/b/c/d;p?y"),
            ("g?y", "http://a/b/c/g?y"),
            ("#s", "http://a/b/c/d;p?q#s"),
            ("g#s", "http://a/b/c/g#s"),
            (";x", "http://a/b/c/;x"),
            ("", "http://a/b/c/d;p?q"),
            (".", "http://a/b/c/"),
            ("./", "http://a/b/c/"),
            ("..", "http://a/b/"),
            ("../", "http://a/b/"),
            ("../g", "http://a/b/g"),
            ("../..", "http://a/"),
            ("../../g", "http://a/g"),
            ("../../../g", "http://a/g"),
            ("/./g", "http://a/g"),
            ("/../g", "http://a/g"),
            ("g.", "http://a/b/c/g."),
            ("..g", "http://a/b/c/..g"),
            ("./../g", "http://a/b/g"),
            ("g/./h", "http://a/b/c/g/h"),
            ("g/../h", "http://a/b/c/h"),
            ("http:g", "http:g"),
        ] {
            assert_eq!(resolve(base, reference), target, "{reference:?}");
        }
    }

    #[test]
    fn an_order_location_resolves_against_the_solicitations_url() {
        let post = "https://gw.example/api/orders";
        assert_eq!(resolve(post, "orders/x"), "https://gw.example/api/orders/x");
        assert_eq!(
            resolve(post, "./orders/x"),
            "https://gw.example/api/orders/x"
        );
        assert_eq!(resolve(post, "x"), "https://gw.example/api/x");
        assert_eq!(
            resolve(post, "/api/orders/x"),
            "https://gw.example/api/orders/x"
        );
        assert_eq!(resolve(post, "/orders/x"), "https://gw.example/orders/x");
        assert_eq!(
            resolve(post, "//other.example/orders/x"),
            "https://other.example/orders/x"
        );
        assert_eq!(
            resolve("http://127.0.0.1:8080/orders", "/x/../orders/y"),
            "http://127.0.0.1:8080/orders/y"
        );
    }
}
