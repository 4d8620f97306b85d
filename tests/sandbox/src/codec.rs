//! The encodings HTTP needs, one place each and none written here:
//! form-urlencoding (query strings, form bodies, the IPN) by
//! `form_urlencoded`, percent-decoding of a path segment by
//! `percent-encoding`, and base64 (Basic credentials, Paysera's MAC) by
//! `base64`.

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine;

/// Standard base64; decoding takes the padding or leaves it out, as
/// servers commonly do with Basic credentials.
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// `a=1&b=2` from `fields`, in their order (`application/x-www-form-urlencoded`:
/// a space is `+`).
pub(crate) fn encode_form(fields: &[(String, String)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish()
}

/// Decodes `a=b&c=d` (a query string or a form body) in order. `+` is a
/// space; a malformed escape is kept as written rather than refused, as
/// servers commonly do.
pub(crate) fn decode_form(text: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(text.as_bytes())
        .into_owned()
        .collect()
}

/// One form-encoded value decoded (`+` is a space), as an OAuth token
/// endpoint reads each half of Basic client credentials (RFC 6749, 2.3.1).
pub(crate) fn decode_form_value(text: &str) -> String {
    percent_encoding::percent_decode_str(&text.replace('+', " "))
        .decode_utf8_lossy()
        .into_owned()
}

/// The first value of `name` in decoded form fields.
pub(crate) fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// A path segment as the client meant it: `%XX` decoded, `+` kept (it is
/// a space only in forms).
pub(crate) fn decode_path_segment(segment: &str) -> String {
    percent_encoding::percent_decode_str(segment)
        .decode_utf8_lossy()
        .into_owned()
}

pub(crate) fn base64_encode(bytes: &[u8]) -> String {
    BASE64.encode(bytes)
}

/// `None` for anything that is not base64.
pub(crate) fn base64_decode(text: &str) -> Option<Vec<u8>> {
    BASE64.decode(text).ok()
}

/// The user and password of `Authorization: Basic ...`, when it is that.
pub(crate) fn basic_credentials(authorization: &str) -> Option<(String, String)> {
    let (scheme, encoded) = authorization.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let text = String::from_utf8(base64_decode(encoded.trim())?).ok()?;
    let (user, password) = text.split_once(':')?;
    Some((user.to_string(), password.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn forms_encode_as_browsers_do_and_round_trip() {
        let fields = pairs(&[("k y", "a b&c=d/é+%"), ("x", ""), ("sig", "a+b/c==")]);
        let text = encode_form(&fields);
        assert_eq!(
            text,
            "k+y=a+b%26c%3Dd%2F%C3%A9%2B%25&x=&sig=a%2Bb%2Fc%3D%3D"
        );
        assert_eq!(decode_form(&text), fields);
    }

    #[test]
    fn decoding_reads_plus_as_space_and_keeps_bad_escapes() {
        assert_eq!(
            decode_form("x=1+2&y=%zz&z=100%&w&&v=%41"),
            pairs(&[
                ("x", "1 2"),
                ("y", "%zz"),
                ("z", "100%"),
                ("w", ""),
                ("v", "A")
            ])
        );
        assert_eq!(field(&decode_form("a=1&a=2"), "a"), Some("1"));
    }

    #[test]
    fn path_segments_keep_plus() {
        assert_eq!(decode_path_segment("R%201+2%2F%zz"), "R 1+2/%zz");
    }

    #[test]
    fn base64_takes_padding_or_not() {
        assert_eq!(base64_encode(b"a"), "YQ==");
        assert_eq!(base64_decode("YQ==").unwrap(), b"a");
        assert_eq!(base64_decode("YWI").unwrap(), b"ab");
        assert!(base64_decode("not*base64").is_none());
    }

    #[test]
    fn basic_credentials_decode() {
        assert_eq!(
            basic_credentials(" basic ZGVtbzpkZW1vLXBhc3N3b3Jk "),
            Some(("demo".into(), "demo-password".into()))
        );
        assert_eq!(basic_credentials("Bearer ZGVtbzpkZW1v"), None);
        assert_eq!(basic_credentials("Basic bm9jb2xvbg=="), None); // "nocolon"
        assert_eq!(basic_credentials("Basic"), None);
    }
}
