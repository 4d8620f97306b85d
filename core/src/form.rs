//! `application/x-www-form-urlencoded`: query strings and notification bodies.

use crate::redact::quote;

/// Percent-encodes `value` for a query string or form body: everything but
/// the unreserved characters of RFC 3986 is encoded, spaces as `%20`.
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    encode_into(&mut out, value);
    out
}

/// [`encode`], appended to `out`.
fn encode_into(out: &mut String, value: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            _ => {
                out.push('%');
                out.push(HEX[usize::from(byte >> 4)] as char);
                out.push(HEX[usize::from(byte & 0xF)] as char);
            }
        }
    }
}

/// Joins `pairs` as `k1=v1&k2=v2`, each side encoded.
pub fn encode_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut out = String::new();
    append_pairs(&mut out, pairs);
    out
}

/// [`encode_pairs`], appended to `out` (a URL up to its `?`).
pub fn append_pairs<'a>(out: &mut String, pairs: impl IntoIterator<Item = (&'a str, &'a str)>) {
    for (i, (key, value)) in pairs.into_iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        encode_into(out, key);
        out.push('=');
        encode_into(out, value);
    }
}

/// The longest form body read: seQura's notifications and Paysera's
/// callbacks are a few fields of at most 255 bytes each.
pub const MAX_FORM_BODY: usize = 64 * 1024;

/// A form body a caller hands over, as text: at most [`MAX_FORM_BODY`] bytes,
/// checked before any byte is read (a C caller's length may be wrong), and
/// UTF-8.
pub fn body_text(body: &[u8]) -> Result<&str, String> {
    if body.len() > MAX_FORM_BODY {
        return Err(format!(
            "is {} bytes, more than any notification or callback (at most {MAX_FORM_BODY})",
            body.len()
        ));
    }
    std::str::from_utf8(body).map_err(|_| "is not UTF-8".to_string())
}

/// Decodes a form body into its pairs, in order. `+` is a space. A bad
/// percent escape or a result that is not UTF-8 is an error naming it.
pub fn decode_pairs(body: &str) -> Result<Vec<(String, String)>, String> {
    body.split('&')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let (key, value) = part.split_once('=').unwrap_or((part, ""));
            Ok((decode(key)?, decode(value)?))
        })
        .collect()
}

fn decode(text: &str) -> Result<String, String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = hex_byte(&bytes[i + 1..])
                    .ok_or_else(|| format!("bad percent escape in {}", quote(text)))?;
                out.push(hex);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| format!("{} does not decode to UTF-8", quote(text)))
}

/// The byte the two hex digits (of either case) that `hex` starts with
/// stand for: a percent escape's `XX`, or a pair of a hex string. Digits
/// only: `u8::from_str_radix` would also take `+1`.
pub(crate) fn hex_byte(hex: &[u8]) -> Option<u8> {
    let digit = |b: u8| (b as char).to_digit(16);
    match hex {
        [high, low, ..] => Some((digit(*high)? * 16 + digit(*low)?) as u8),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_round_trips() {
        let pairs = [("sq state", "a+b=c&d/é"), ("empty", "")];
        let body = encode_pairs(pairs);
        assert_eq!(body, "sq%20state=a%2Bb%3Dc%26d%2F%C3%A9&empty=");
        let decoded = decode_pairs(&body).unwrap();
        assert_eq!(decoded[0], ("sq state".into(), "a+b=c&d/é".into()));
        assert_eq!(decoded[1], ("empty".into(), "".into()));
    }

    #[test]
    fn plus_is_a_space_and_bad_escapes_are_errors() {
        assert_eq!(decode_pairs("a=b+c").unwrap()[0].1, "b c");
        assert!(decode_pairs("a=%zz").is_err());
        // Two hex digits, nothing else: from_str_radix took "+1" as 1.
        for bad in ["a=%+1", "a=%2", "a=%"] {
            assert!(decode_pairs(bad).is_err(), "{bad}");
        }
        assert_eq!(decode_pairs("a=%2b%2B").unwrap()[0].1, "++");
        assert!(body_text("a".repeat(MAX_FORM_BODY).as_bytes()).is_ok());
        let long = body_text("a".repeat(MAX_FORM_BODY + 1).as_bytes()).unwrap_err();
        assert!(long.contains("65537 bytes"), "{long}");
        assert!(decode_pairs("a=%ff").is_err());
    }
}
