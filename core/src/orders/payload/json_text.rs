//! JSON text, written piece by piece: strings, integers and floats exactly
//! as `serde_json` writes them (what the core sends), for a writer that
//! serialises an order straight from where it lives (the PHP extension
//! writes PHP arrays with these, without building a `serde_json::Value`).
//!
//! Strings are checked for UTF-8 as they are written, in the same pass.

/// Appends `text` as a JSON string (quoted and escaped as `serde_json`
/// escapes it: `"`, `\` and control characters; `/` and non-ASCII
/// characters as they are). Returns `false`, having written a part of it,
/// when `text` is not UTF-8.
pub fn string(out: &mut Vec<u8>, text: &[u8]) -> bool {
    if is_plain(text) {
        // The usual case: printable ASCII, copied as it is.
        out.reserve(text.len() + 2);
        out.push(b'"');
        out.extend_from_slice(text);
        out.push(b'"');
        return true;
    }
    out.reserve(text.len() + 8);
    out.push(b'"');
    // Until a byte above 0x7f shows up the text is ASCII; from the first
    // one on, the rest is checked once and then copied like ASCII.
    let mut checked = false;
    let mut rest = text;
    while !rest.is_empty() {
        let plain = rest
            .iter()
            .position(|&b| b < 0x20 || b == b'"' || b == b'\\' || (b >= 0x80 && !checked))
            .unwrap_or(rest.len());
        out.extend_from_slice(&rest[..plain]);
        rest = &rest[plain..];
        let Some(&byte) = rest.first() else {
            break;
        };
        if byte >= 0x80 {
            if std::str::from_utf8(rest).is_err() {
                return false;
            }
            checked = true;
        } else {
            escape(out, byte);
            rest = &rest[1..];
        }
    }
    out.push(b'"');
    true
}

/// Whether `text` is UTF-8, as `std::str::from_utf8` tells, faster for
/// short ASCII text (most of an order): eight bytes at a time.
#[inline]
pub fn is_utf8(text: &[u8]) -> bool {
    is_ascii(text) || std::str::from_utf8(text).is_ok()
}

/// Whether `text` is ASCII, eight bytes at a time.
#[inline]
pub fn is_ascii(text: &[u8]) -> bool {
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let mut chunks = text.chunks_exact(8);
    chunks.by_ref().all(|chunk| word(chunk) & HIGHS == 0)
        && chunks.remainder().iter().all(|&b| b < 0x80)
}

/// An object's key known when the crate is compiled (a field of the order
/// document) as JSON, ready to copy: `,"name":` after another member and
/// `"name":` first (the same bytes from the second on), padded, so that a
/// writer copies a fixed number of bytes whatever the name's length.
#[derive(Debug)]
pub struct FieldKey {
    name: &'static str,
    /// `,"name":` and zeros, one more than [`FieldKey::PADDED`].
    json: [u8; FieldKey::PADDED + 1],
}

impl FieldKey {
    /// The bytes of each padded key: a name of 32 bytes fits, and its
    /// quotes, colon and comma.
    pub const PADDED: usize = 40;

    /// The key `name`: printable ASCII without a quote or backslash, 32
    /// bytes at most (a build error otherwise).
    pub const fn new(name: &'static str) -> FieldKey {
        let bytes = name.as_bytes();
        assert!(bytes.len() <= 32, "a key longer than 32 bytes");
        let mut json = [0u8; FieldKey::PADDED + 1];
        json[0] = b',';
        json[1] = b'"';
        let mut at = 0;
        while at < bytes.len() {
            let c = bytes[at];
            assert!(
                c >= 0x20 && c < 0x7f && c != b'"' && c != b'\\',
                "a key to escape"
            );
            json[2 + at] = c;
            at += 1;
        }
        json[2 + at] = b'"';
        json[3 + at] = b':';
        FieldKey { name, json }
    }

    /// The name.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The key's JSON, padded, and how many of its bytes count: after
    /// another member of the object, or `first`.
    #[inline(always)]
    pub fn json(&self, first: bool) -> (&[u8; FieldKey::PADDED], usize) {
        let skip = usize::from(first);
        // (Always there: the array has one byte more than that.)
        let padded = self.json[skip..]
            .first_chunk::<{ FieldKey::PADDED }>()
            .unwrap_or(&[0; FieldKey::PADDED]);
        (padded, self.name.len() + 4 - skip)
    }
}

/// Appends a key of a PHP array that is an integer, as JSON writes an
/// object's key: its decimal text, quoted.
pub fn integer_key(out: &mut Vec<u8>, value: i64) {
    out.push(b'"');
    integer(out, value);
    out.push(b'"');
}

/// Appends `value` in decimal.
#[inline]
pub fn integer(out: &mut Vec<u8>, value: i64) {
    out.extend_from_slice(decimal(value, &mut [0; 20]));
}

/// `value` in decimal, written at the end of `buffer` (wide enough for
/// `i64::MIN`).
#[inline]
pub fn decimal(value: i64, buffer: &mut [u8; 20]) -> &[u8] {
    // Two digits at a time, from the end.
    const PAIRS: &[u8; 200] = b"0001020304050607080910111213141516171819\
        2021222324252627282930313233343536373839\
        4041424344454647484950515253545556575859\
        6061626364656667686970717273747576777879\
        8081828384858687888990919293949596979899";
    let mut at = buffer.len();
    let mut n = value.unsigned_abs();
    while n >= 100 {
        let pair = (n % 100) as usize * 2;
        n /= 100;
        at -= 2;
        buffer[at..at + 2].copy_from_slice(&PAIRS[pair..pair + 2]);
    }
    if n >= 10 {
        let pair = n as usize * 2;
        at -= 2;
        buffer[at..at + 2].copy_from_slice(&PAIRS[pair..pair + 2]);
    } else {
        at -= 1;
        buffer[at] = b'0' + n as u8;
    }
    if value < 0 {
        at -= 1;
        buffer[at] = b'-';
    }
    &buffer[at..]
}

/// Appends a finite `value` as `serde_json` writes an `f64` (`1.5`,
/// `100.0`, `1e25`). Returns `false`, writing nothing, for NaN and the
/// infinities, which JSON cannot carry.
pub fn float(out: &mut Vec<u8>, value: f64) -> bool {
    value.is_finite() && serde_json::to_writer(out, &value).is_ok()
}

/// Whether all of `text` goes out as it is: no quote, backslash or
/// control character, nothing above 0x7f.
#[inline]
pub fn is_plain(text: &[u8]) -> bool {
    no_word_flagged(text, special)
}

/// The problem of a string that holds a NUL, in any field of any document
/// sent (docs/decisions.md): no name, address or description holds one,
/// and the systems text passes through on its way (C strings, databases,
/// SMS and PDF makers) cut it short there or refuse it.
pub const HOLDS_NUL: &str =
    "holds a NUL character (U+0000), which no text field takes: a system it passes through would cut it short there or refuse it; remove it";

const LOWS: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The high bit of each zero byte of `word` (and maybe of bytes above one:
/// it tells whether there is any, all at once).
#[inline(always)]
fn zero_bytes(word: u64) -> u64 {
    word.wrapping_sub(LOWS) & !word & HIGHS
}

/// Whether `text` holds a NUL byte ([`HOLDS_NUL`]).
#[inline]
pub fn has_nul(text: &[u8]) -> bool {
    !no_word_flagged(text, zero_bytes)
}

/// Whether `text` is UTF-8 without a NUL, what a text field takes: ASCII
/// (most of an order) in one pass, eight bytes at a time.
#[inline]
pub fn is_text(text: &[u8]) -> bool {
    if no_word_flagged(text, |word| word & HIGHS | zero_bytes(word)) {
        return true;
    }
    !has_nul(text) && std::str::from_utf8(text).is_ok()
}

/// Whether `flag` finds nothing in `text`, read eight bytes at a time
/// (the last word overlapping the one before), as strings are mostly short;
/// shorter text in one word, whose other bytes are spaces.
#[inline(always)]
fn no_word_flagged(text: &[u8], flag: impl Fn(u64) -> u64) -> bool {
    let n = text.len();
    if n >= 8 {
        let mut chunks = text.chunks_exact(8);
        if chunks.by_ref().any(|chunk| flag(word(chunk)) != 0) {
            return false;
        }
        chunks.remainder().is_empty() || flag(word(&text[n - 8..])) == 0
    } else if n >= 4 {
        // The first four bytes and the last four (overlapping) in one word.
        let low = u64::from(u32::from_le_bytes([text[0], text[1], text[2], text[3]]));
        let high = u64::from(u32::from_le_bytes([
            text[n - 4],
            text[n - 3],
            text[n - 2],
            text[n - 1],
        ]));
        flag(low | high << 32) == 0
    } else if n > 0 {
        // One to three bytes: the first, the middle and the last cover them.
        let bytes = [
            text[0],
            text[n / 2],
            text[n - 1],
            b' ',
            b' ',
            b' ',
            b' ',
            b' ',
        ];
        flag(u64::from_le_bytes(bytes)) == 0
    } else {
        true
    }
}

/// Whether `text` is UTF-8 with nothing to escape: it goes out as it is,
/// non-ASCII characters included. One pass: eight plain ASCII bytes at a
/// time, and each multi-byte character checked where it is (the
/// well-formed sequences of Unicode's table 3-7, as `std::str::from_utf8`
/// checks them).
pub fn is_plain_utf8(text: &[u8]) -> bool {
    let n = text.len();
    let mut at = 0;
    while at < n {
        if let Some(chunk) = text[at..].first_chunk::<8>() {
            let flagged = special(u64::from_le_bytes(*chunk));
            if flagged == 0 {
                at += 8;
                continue;
            }
            // The first flagged byte is one to look at (flags spread only
            // to the bytes above one): the bytes before it are plain ASCII.
            at += (flagged.trailing_zeros() / 8) as usize;
        }
        let lead = text[at];
        if lead < 0x80 {
            if lead < 0x20 || lead == b'"' || lead == b'\\' {
                return false;
            }
            at += 1;
            continue;
        }
        let (width, second) = match lead {
            0xc2..=0xdf => (2, 0x80..=0xbf),
            0xe0 => (3, 0xa0..=0xbf),
            0xe1..=0xec | 0xee..=0xef => (3, 0x80..=0xbf),
            // Not the surrogates, which UTF-8 does not carry.
            0xed => (3, 0x80..=0x9f),
            0xf0 => (4, 0x90..=0xbf),
            0xf1..=0xf3 => (4, 0x80..=0xbf),
            // Up to U+10FFFF.
            0xf4 => (4, 0x80..=0x8f),
            _ => return false,
        };
        let Some(sequence) = text.get(at..at + width) else {
            return false;
        };
        if !second.contains(&sequence[1]) || sequence[2..].iter().any(|&c| c & 0xc0 != 0x80) {
            return false;
        }
        at += width;
    }
    true
}

/// The high bit of each byte of `w` (eight bytes of text, little-endian)
/// that does not go out as it is: a quote, a backslash, a control
/// character, or a byte above 0x7f (and maybe a byte above such a one: a
/// borrow only flags bytes above one that is itself flagged). 0 when all
/// eight are plain: a writer that loads the words of a string to copy it
/// checks them with this on the way.
#[inline(always)]
pub fn specials(w: u64) -> u64 {
    special(w)
}

#[inline]
fn word(chunk: &[u8]) -> u64 {
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&chunk[..8]);
    u64::from_le_bytes(bytes)
}

/// A word with the high bit of a byte set where that byte is a quote, a
/// backslash, a control character or above 0x7f (and maybe above such a
/// byte: a borrow only flags bytes above one that is itself flagged).
#[inline]
fn special(w: u64) -> u64 {
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    (escape_bytes(w) | w) & HIGHS
}

/// A word with the high bit of a byte set where that byte is a quote, a
/// backslash or a control character (and maybe above such a byte: a borrow
/// only flags bytes above one that is itself flagged). Bytes above 0x7f
/// are never flagged.
#[inline]
fn escape_bytes(w: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let control = w.wrapping_sub(ONES * 0x20) & !w;
    let quote = {
        let x = w ^ (ONES * u64::from(b'"'));
        x.wrapping_sub(ONES) & !x
    };
    let backslash = {
        let x = w ^ (ONES * u64::from(b'\\'));
        x.wrapping_sub(ONES) & !x
    };
    (control | quote | backslash) & HIGHS
}

/// Appends the escape of an ASCII quote, backslash or control character.
fn escape(out: &mut Vec<u8>, byte: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let short = match byte {
        b'"' => b'"',
        b'\\' => b'\\',
        0x08 => b'b',
        0x0c => b'f',
        b'\n' => b'n',
        b'\r' => b'r',
        b'\t' => b't',
        _ => {
            let hex = [HEX[usize::from(byte >> 4)], HEX[usize::from(byte & 0xf)]];
            out.extend_from_slice(&[b'\\', b'u', b'0', b'0', hex[0], hex[1]]);
            return;
        }
    };
    out.extend_from_slice(&[b'\\', short]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_utf8_without_a_nul() {
        for (text, is) in [
            (&b""[..], true),
            (b"Barcelona", true),
            ("C/ Aragó 383, 5º".as_bytes(), true),
            ("😀 0123456789abcdef €".as_bytes(), true),
            (b"a\x00", false),
            ("Aragó\0".as_bytes(), false),
            (b"\xff\xfe", false),
            (b"0123456789\xc3", false),
        ] {
            assert_eq!(is_text(text), is, "{text:?}");
            assert_eq!(is_text(text), is_utf8(text) && !has_nul(text), "{text:?}");
        }
    }

    #[test]
    fn a_nul_is_found_wherever_it_is_and_nothing_else_is_one() {
        for n in 0..=20 {
            // Bytes a word-at-a-time test could take for zero: 0x01, 0x80, 0xff.
            let text: Vec<u8> = (0..n).map(|i| [0x01, 0x80, 0xff, b'a'][i % 4]).collect();
            assert!(!has_nul(&text), "{text:?}");
            for at in 0..n {
                let mut with = text.clone();
                with[at] = 0;
                assert!(has_nul(&with), "{with:?}");
            }
        }
    }

    fn written(text: &[u8]) -> Option<String> {
        let mut out = Vec::new();
        string(&mut out, text).then(|| String::from_utf8(out).unwrap())
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let mut samples: Vec<String> = vec![
            String::new(),
            "plain".into(),
            "https://shop.example/a/b?c=d".into(),
            "Maria José, C/ Aragó 383, 5º".into(),
            "quote \" backslash \\ slash /".into(),
            "\u{2028}\u{2029} line separators, 😀 and \u{7f}".into(),
            "exactly8".into(),
            "\"\"\"\"\"\"\"\"\"".into(),
        ];
        // Every control character alone; and each kind of special character
        // at every place of strings of every length up to three words.
        samples.extend((0u8..0x20).map(|c| char::from(c).to_string()));
        for length in 0..24 {
            samples.push("x".repeat(length));
            for at in 0..length {
                for special in ['"', '\\', '\u{1}', '\u{1f}', '\n', 'é', '€', '😀'] {
                    let mut s: Vec<char> = "x".repeat(length).chars().collect();
                    s[at] = special;
                    samples.push(s.into_iter().collect());
                }
            }
        }
        for sample in samples {
            assert_eq!(
                written(sample.as_bytes()),
                Some(serde_json::to_string(&sample).unwrap()),
                "{sample:?}"
            );
        }
    }

    #[test]
    fn plain_utf8_is_text_with_nothing_to_escape() {
        for plain in [
            "",
            "José",
            "C/ Aragó 383, 5º",
            "😀 0123456789abcdef €",
            "\u{7f}",
        ] {
            assert!(is_plain_utf8(plain.as_bytes()), "{plain:?}");
        }
        for escaped in ["Jos\"é", "é\\", "0123456789\n€", "\u{1}é", "abcdefgh\u{1f}"] {
            assert!(!is_plain_utf8(escaped.as_bytes()), "{escaped:?}");
        }
        assert!(!is_plain_utf8(b"Jos\xe9"));
    }

    #[test]
    fn plain_utf8_is_checked_as_from_utf8_checks_it() {
        // Every sequence of one to three bytes (and four with a common
        // start), alone and after eight plain bytes.
        let mut samples: Vec<Vec<u8>> = Vec::new();
        for a in 0..=255u8 {
            samples.push(vec![a]);
            for b in 0..=255u8 {
                samples.push(vec![a, b]);
                if a >= 0xe0 {
                    for c in [0x00, 0x7f, 0x80, 0x9f, 0xa0, 0xbf, 0xc0, 0xff] {
                        samples.push(vec![a, b, c]);
                        if a >= 0xf0 {
                            samples.push(vec![a, b, c, 0x80]);
                            samples.push(vec![a, b, c, 0xc0]);
                        }
                    }
                }
            }
        }
        for sample in samples {
            let plain = !sample.iter().any(|&b| b < 0x20 || b == b'"' || b == b'\\')
                && std::str::from_utf8(&sample).is_ok();
            assert_eq!(is_plain_utf8(&sample), plain, "{sample:x?}");
            let mut longer = b"abcdefgh".to_vec();
            longer.extend_from_slice(&sample);
            longer.extend_from_slice(b"ijklmnopq");
            assert_eq!(is_plain_utf8(&longer), plain, "{longer:x?}");
        }
    }

    #[test]
    fn text_that_is_not_utf8_is_refused_wherever_it_is() {
        for bad in [
            &b"\xff"[..],
            b"Jos\xe9",
            b"0123456789abcdef\xc3",
            b"\xc3\xa9 then \xed\xa0\x80 (a surrogate)",
            b"overlong \xc0\xaf",
        ] {
            assert_eq!(written(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn field_keys_are_their_json_padded() {
        const KEY: FieldKey = FieldKey::new("order_total_with_tax");
        let (after, len) = KEY.json(false);
        assert_eq!(&after[..len], br#","order_total_with_tax":"#);
        assert!(after[len..].iter().all(|&b| b == 0));
        let (first, len) = KEY.json(true);
        assert_eq!(&first[..len], br#""order_total_with_tax":"#);
        const LONGEST: FieldKey = FieldKey::new("abcdefghijklmnopqrstuvwxyz012345");
        let (after, len) = LONGEST.json(false);
        assert_eq!(&after[..len], br#","abcdefghijklmnopqrstuvwxyz012345":"#);
        assert_eq!(LONGEST.name(), "abcdefghijklmnopqrstuvwxyz012345");
    }

    #[test]
    fn numbers_are_written_as_serde_json_writes_them() {
        for n in [0, 7, -7, 10, 99, 100, -100, 86177, i64::MAX, i64::MIN] {
            let mut out = Vec::new();
            integer(&mut out, n);
            assert_eq!(out, n.to_string().into_bytes());
        }
        for f in [
            0.0,
            -0.0,
            1.5,
            100.0,
            0.1,
            1e25,
            1e-7,
            f64::MAX,
            f64::MIN_POSITIVE,
        ] {
            let mut out = Vec::new();
            assert!(float(&mut out, f));
            assert_eq!(out, serde_json::to_vec(&f).unwrap(), "{f}");
        }
        for f in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            let mut out = Vec::new();
            assert!(!float(&mut out, f) && out.is_empty());
        }
    }
}
