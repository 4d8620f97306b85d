//! The small encodings HTTP needs: form-urlencoding (query strings, form
//! bodies, the IPN) and base64 (Basic credentials). Written here rather
//! than pulled in, so the sandbox stays a few dependencies deep.

/// Percent-encodes everything but RFC 3986's unreserved characters, so
/// the result is safe in a query string and in a form body alike.
pub(crate) fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// `a=1&b=2` from `fields`, in their order.
pub(crate) fn encode_form(fields: &[(String, String)]) -> String {
    fields
        .iter()
        .map(|(name, value)| format!("{}={}", encode(name), encode(value)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Decodes `a=b&c=d` (a query string or a form body) in order. `+` is a
/// space; a malformed escape is kept as written rather than refused, as
/// servers commonly do.
pub(crate) fn decode_form(text: &str) -> Vec<(String, String)> {
    text.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(name), decode(value))
        })
        .collect()
}

/// The first value of `name` in decoded form fields.
pub(crate) fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

pub(crate) fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => match bytes.get(i + 1..i + 3).and_then(hex_byte) {
                Some(byte) => {
                    out.push(byte);
                    i += 2;
                }
                None => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            other => out.push(other),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_byte(pair: &[u8]) -> Option<u8> {
    let digit = |c: u8| (c as char).to_digit(16);
    Some((digit(pair[0])? * 16 + digit(pair[1])?) as u8)
}

/// Standard base64 (padding optional); `None` for any other character.
pub(crate) fn base64_decode(text: &str) -> Option<Vec<u8>> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut buffer = 0u32;
    let mut bits = 0;
    for c in text.bytes() {
        let value = ALPHABET.iter().position(|&a| a == c)? as u32;
        buffer = (buffer << 6) | value;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    Some(out)
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
    fn encoding_escapes_all_but_unreserved_characters() {
        assert_eq!(encode("aZ09-_.~"), "aZ09-_.~");
        assert_eq!(encode("a b&c=d/é+%"), "a%20b%26c%3Dd%2F%C3%A9%2B%25");
    }

    #[test]
    fn form_round_trips_through_encoding() {
        let fields = pairs(&[("k y", "a b&c=d/é"), ("x", ""), ("sig", "a+b/c==")]);
        assert_eq!(decode_form(&encode_form(&fields)), fields);
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
    fn basic_credentials_decode() {
        assert_eq!(
            base64_decode("ZGVtbzpkZW1vLXBhc3N3b3Jk").unwrap(),
            b"demo:demo-password"
        );
        assert_eq!(base64_decode("YQ==").unwrap(), b"a");
        assert_eq!(base64_decode("YWI").unwrap(), b"ab");
        assert!(base64_decode("not*base64").is_none());
    }
}
