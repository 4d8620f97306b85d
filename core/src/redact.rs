//! Secrets that must never reach a log, a `Debug` print or an error message.

use std::fmt;

/// A password, API key or signing secret.
///
/// `Debug` and `Display` print `***`; the value is read only through
/// [`Secret::expose`], so every place that uses it is easy to find.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret value, for the one place that must send or key with it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret::new(value)
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// How many characters of a server's answer an error message shows.
const EXCERPT_CHARS: usize = 200;
/// How many characters of a caller's value a message quotes.
const QUOTE_CHARS: usize = 40;

/// A short, single-line excerpt of a server's answer, safe to put in an
/// error message: control characters become spaces and long text is cut
/// (and ends in `…`). Reads only the start of the body, whatever its size.
pub fn excerpt(body: &[u8]) -> String {
    let body = body.trim_ascii();
    let (head, cut) = head(body, EXCERPT_CHARS);
    let mut out: String = head
        .trim_end()
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if cut {
        out.push('…');
    }
    out
}

/// [`excerpt`] of a text the server sent, with `secret` (the caller's own
/// password or token, which a server may echo) masked as `***`. Reads only
/// the start of `body`, as [`excerpt`] does, and a secret that straddles
/// where the excerpt ends is masked too.
pub fn excerpt_masked(body: &[u8], secret: Option<&Secret>) -> String {
    let Some(secret) = secret
        .map(|s| s.expose().as_bytes())
        .filter(|s| s.len() >= 4)
    else {
        return excerpt(body);
    };
    let window = &body[..body.len().min(EXCERPT_CHARS * 4 + secret.len())];
    let mut masked = Vec::with_capacity(window.len());
    let mut rest = window;
    while !rest.is_empty() {
        if rest.starts_with(secret) {
            masked.extend_from_slice(b"***");
            rest = &rest[secret.len()..];
        } else {
            masked.push(rest[0]);
            rest = &rest[1..];
        }
    }
    let mut shown = excerpt(&masked);
    if window.len() < body.len() && !shown.ends_with('…') {
        // What follows the window is not shown: say the text is cut.
        shown.push('…');
    }
    shown
}

/// `text` as a message quotes what it refuses: in double quotes, escaped
/// as Rust's `{:?}` escapes (so on one line); a text longer than 40
/// characters is cut there and its length follows:
/// `"https://shop.example/aaaaaaaaaaaaaaaaaaaa"… (52428800 bytes)`. Reads
/// only the start of `text`, whatever its size: the one way every
/// validator and error quotes a value.
pub fn quote(text: &str) -> Quoted<'_> {
    Quoted(text.as_bytes())
}

/// [`quote`], for text that may not be UTF-8 (a PHP array's key).
pub fn quote_bytes(bytes: &[u8]) -> Quoted<'_> {
    Quoted(bytes)
}

/// A value as a message quotes it (see [`quote`]).
#[derive(Clone, Copy)]
pub struct Quoted<'a>(&'a [u8]);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (head, cut) = head(self.0, QUOTE_CHARS);
        write!(f, "{:?}", head.as_ref())?;
        if cut {
            write!(f, "… ({} bytes)", self.0.len())?;
        }
        Ok(())
    }
}

/// The first `chars` characters of `bytes` (read as UTF-8, lossily), and
/// whether there is more. Looks at no more than `4 × chars` bytes.
fn head(bytes: &[u8], chars: usize) -> (std::borrow::Cow<'_, str>, bool) {
    let window = &bytes[..bytes.len().min(chars.saturating_mul(4))];
    let text = String::from_utf8_lossy(window);
    match text.char_indices().nth(chars) {
        Some((at, _)) => {
            let mut text = text;
            match &mut text {
                std::borrow::Cow::Borrowed(s) => *s = &s[..at],
                std::borrow::Cow::Owned(s) => s.truncate(at),
            }
            (text, true)
        }
        None => (text, window.len() < bytes.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_hide_the_value() {
        let secret = Secret::new("hunter2");
        assert_eq!(format!("{secret:?}"), "Secret(***)");
        assert_eq!(format!("{secret}"), "***");
        assert_eq!(secret.expose(), "hunter2");
    }

    #[test]
    fn an_excerpt_masks_the_callers_secret_wherever_it_shows() {
        let secret = Secret::new("S3CR3T-xyz-pw");
        let masked = |body: &[u8]| excerpt_masked(body, Some(&secret));
        assert_eq!(masked(b"bad password S3CR3T-xyz-pw!"), "bad password ***!");
        // Straddling the excerpt's end.
        let mut long = vec![b'a'; 195];
        long.extend_from_slice(b"S3CR3T-xyz-pw and more");
        assert!(!masked(&long).contains("S3CR"), "{}", masked(&long));
        assert!(masked(&long).ends_with('…'));
        let huge = vec![b'y'; 10 << 20];
        assert_eq!(masked(&huge), excerpt(&huge));
        assert_eq!(excerpt_masked(b"abc", None), "abc");
    }

    #[test]
    fn excerpt_is_single_line_and_bounded() {
        assert_eq!(excerpt(b"  a\nb\r\n"), "a b");
        let long = "x".repeat(500);
        let cut = excerpt(long.as_bytes());
        assert_eq!(cut.chars().count(), 201);
        assert!(cut.ends_with('…'));
        // Only the start of a large body is read.
        let huge = vec![b'y'; 50 << 20];
        assert_eq!(excerpt(&huge).chars().count(), 201);
    }

    #[test]
    fn a_quote_is_escaped_and_bounded_whatever_the_value() {
        assert_eq!(quote("say \"hi\"\n").to_string(), r#""say \"hi\"\n""#);
        let long = "é".repeat(50 << 20);
        let quoted = quote(&long).to_string();
        assert_eq!(
            quoted,
            format!("\"{}\"… ({} bytes)", "é".repeat(40), long.len())
        );
        assert_eq!(quote_bytes(b"bad \xff").to_string(), "\"bad \u{fffd}\"");
        assert_eq!(quote(&"x".repeat(40)).to_string().len(), 42);
    }
}
