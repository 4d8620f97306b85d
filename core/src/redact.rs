//! Secrets that must never reach a log, a `Debug` print or an error message,
//! and how a message shows what a caller sent ([`quote`], [`PathKey`]): as
//! one bounded line, so that a value can neither flood nor forge a log.

use std::fmt::{self, Write as _};

/// A password, API key or signing secret.
///
/// `Debug` and `Display` print `***`; the value is read only through
/// [`Secret::expose`], so every place that uses it is easy to find. No
/// `PartialEq`: `==` on a secret stops at the first byte that differs, and
/// its time tells how much of a guess was right (signatures are checked by
/// `hmac`'s constant-time `verify_slice`).
#[derive(Clone)]
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
/// error message: what could break or disguise a line of the shop's log
/// (control characters, line separators, bidirectional overrides) becomes a
/// space, and long text is cut, ending in `…` and the whole text's length.
/// Reads only the start of the body, whatever its size.
pub fn excerpt(body: &[u8]) -> String {
    let body = body.trim_ascii();
    excerpt_of(body, body.len(), false)
}

/// The excerpt of `text`, cut when it is long or when there is `more` than
/// `text`; a cut one ends in `…` and `total`, the whole text's length.
fn excerpt_of(text: &[u8], total: usize, more: bool) -> String {
    let (head, cut) = head(text.trim_ascii(), EXCERPT_CHARS);
    let mut out = shown(&head).trim_end().to_string();
    if cut || more {
        out.push_str(&format!("… ({total} bytes)"));
    }
    out
}

/// `text` as an excerpt shows it: each character that [`breaks_a_line`]
/// a space.
fn shown(text: &str) -> String {
    text.chars()
        .map(|c| if breaks_a_line(c) { ' ' } else { c })
        .collect()
}

/// Whether `c` could forge or disguise a line where a log shows it: a
/// control character, a line or paragraph separator, a character that
/// reorders text (bidirectional marks, embeddings, overrides, isolates)
/// or an invisible one.
fn breaks_a_line(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' // line and paragraph separators
                | '\u{200B}'..='\u{200F}' // zero widths, LRM, RLM
                | '\u{202A}'..='\u{202E}' // embeddings and overrides
                | '\u{2066}'..='\u{2069}' // isolates
                | '\u{061C}' | '\u{FEFF}'
        )
}

/// The credentials a request carried, masked as `***` wherever an error
/// quotes the server's words: a server, or a gateway's error page, may echo
/// them. The caller's own password or token, and the credential of the
/// `Authorization` header as it was sent (a Basic pair in base64, an OAuth
/// access token).
///
/// A secret is found however a server may have written it back (see
/// [`Masks::with`] and `matched`): in any letter case, with any of its
/// bytes percent-encoded, or cut short after at least half of it.
#[derive(Clone, Default)]
pub struct Masks(std::sync::Arc<Forms>);

/// Every form of every secret, ASCII lower-cased, and the bytes a match
/// may start with (a form's first byte, and `%`), to skip the rest of a
/// text quickly.
#[derive(Default)]
struct Forms {
    forms: Vec<String>,
    first: [u64; 4],
}

impl Forms {
    fn starts(&self, byte: u8) -> bool {
        self.first[usize::from(byte >> 6)] & (1 << (byte & 63)) != 0
    }
}

impl Masks {
    /// Secrets shorter than 4 bytes are not masked: they would mask
    /// ordinary words, and are no secret.
    pub fn new(secrets: impl IntoIterator<Item = Secret>) -> Masks {
        Masks::default().with(secrets)
    }

    /// These masks and the credential of `authorization` (a header value,
    /// `Scheme credential`).
    pub fn with_authorization(&self, authorization: &Secret) -> Masks {
        let credential = authorization.expose();
        let credential = credential.split_once(' ').map_or(credential, |(_, c)| c);
        self.with([Secret::new(credential.trim())])
    }

    /// These masks and `secrets`, each as a server may echo it: as sent,
    /// escaped in a JSON string (as serde writes it, and as PHP's
    /// `json_encode` and other ASCII-only writers do: `\/`, `\u00e4`) or
    /// in a quoted one (serde's messages quote with Rust's escapes),
    /// escaped for HTML (an error page), or as an excerpt shows it
    /// ([`excerpt_masked`] masks what it shows). Percent-encoding and
    /// letter case need no form of their own: `matched` reads through
    /// them.
    pub fn with(&self, secrets: impl IntoIterator<Item = Secret>) -> Masks {
        let mut forms = self.0.forms.clone();
        for secret in secrets.into_iter().filter(|s| s.0.len() >= 4) {
            let text = secret.expose();
            let inside = |quoted: String| {
                let inner = quoted.strip_prefix('"').and_then(|q| q.strip_suffix('"'));
                inner.map(str::to_string).unwrap_or(quoted)
            };
            let all = [
                text.to_string(),
                inside(serde_json::to_string(text).unwrap_or_default()),
                json_ascii(text, false),
                json_ascii(text, true),
                inside(format!("{text:?}")),
                html(text, "&#39;"),
                html(text, "&#039;"),
                // As an excerpt shows it (a U+2028 in it, a space there).
                shown(text),
            ];
            for form in all {
                let form = form.to_ascii_lowercase();
                if !forms.contains(&form) {
                    forms.push(form);
                }
            }
        }
        let mut first = [0u64; 4];
        for byte in forms.iter().filter_map(|f| f.bytes().next()).chain([b'%']) {
            first[usize::from(byte >> 6)] |= 1 << (byte & 63);
        }
        Masks(std::sync::Arc::new(Forms { forms, first }))
    }

    /// `text` with every secret in it replaced by `***`; `None` when it
    /// holds none (the usual case: nothing is copied).
    pub fn mask(&self, text: &str) -> Option<String> {
        let bytes = text.as_bytes();
        let mut next = Some(self.next_secret(bytes, 0)?);
        let mut masked = String::with_capacity(text.len());
        let mut kept = 0;
        while let Some((start, len)) = next {
            // A match starts and ends on characters of the text: see `matched`.
            masked.push_str(&text[kept..start]);
            masked.push_str("***");
            kept = start + len;
            next = self.next_secret(bytes, kept);
        }
        masked.push_str(&text[kept..]);
        Some(masked)
    }

    /// Where the first secret in `text` at or after `from` starts, and
    /// its length in `text`: the longest match there.
    fn next_secret(&self, text: &[u8], from: usize) -> Option<(usize, usize)> {
        let forms = &self.0;
        if forms.forms.is_empty() {
            return None;
        }
        (from..text.len())
            .filter(|&at| forms.starts(text[at].to_ascii_lowercase()))
            .find_map(|at| {
                let rest = &text[at..];
                let longest = forms
                    .forms
                    .iter()
                    .filter_map(|form| {
                        let (of_form, of_text) = matched(form, rest);
                        let enough = of_form == form.len() || of_form >= long_prefix(form.len());
                        (enough && of_text > 0).then_some(of_text)
                    })
                    .max()?;
                Some((at, longest))
            })
    }

    /// The most bytes of a text a secret may cover: its longest form,
    /// every byte percent-encoded.
    fn longest(&self) -> usize {
        self.0.forms.iter().map(|f| f.len() * 3).max().unwrap_or(0)
    }
}

/// How long a start of a secret must be to be masked by itself: a server
/// that cuts what it echoes (`demo-passwor…`) shows most of it. At least
/// half of it and 8 bytes, so that a key's public start (`sk_sbox_`) and
/// ordinary words are left alone.
fn long_prefix(len: usize) -> usize {
    len.div_ceil(2).max(8)
}

/// How much of `text`'s start matches `form` (lower-case): in the form's
/// bytes and in the text's, both ending where a character of the form
/// ends. ASCII letter case is ignored, a `%XX` escape is read as its byte
/// (a server may percent-encode any of them, in either case of hex) and
/// `+` as a space (a form's encoding). A match in a `&str` so starts and
/// ends on characters of it: its first byte is a form's first, and it
/// ends after a whole character of the form, or after an escape.
fn matched(form: &str, text: &[u8]) -> (usize, usize) {
    let want = form.as_bytes();
    let (mut i, mut j) = (0, 0);
    let mut kept = (0, 0);
    while i < want.len() && j < text.len() {
        let byte = text[j].to_ascii_lowercase();
        let step = if byte == want[i] || (byte == b'+' && want[i] == b' ') {
            1
        } else if byte == b'%' && escaped(&text[j + 1..]) == Some(want[i]) {
            3
        } else {
            break;
        };
        i += 1;
        j += step;
        if form.is_char_boundary(i) {
            kept = (i, j);
        }
    }
    kept
}

/// The byte a `%XX` escape's `XX` stands for, lower-cased as forms are.
fn escaped(hex: &[u8]) -> Option<u8> {
    crate::form::hex_byte(hex).map(|b| b.to_ascii_lowercase())
}

/// `text` inside a JSON string as an ASCII-only writer escapes it: every
/// other character as `\uXXXX` (lower-case hex, UTF-16), and `/` as `\/`
/// too with `slash` (PHP's `json_encode` by default).
fn json_ascii(text: &str, slash: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '/' if slash => out.push_str("\\/"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            ' '..='~' => out.push(c),
            _ => {
                for unit in c.encode_utf16(&mut [0; 2]) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
    out
}

/// `text` escaped for HTML, the apostrophe as `apostrophe` (`&#39;`, or
/// PHP's `&#039;`).
fn html(text: &str, apostrophe: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str(apostrophe),
            _ => out.push(c),
        }
    }
    out
}

impl fmt::Debug for Masks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Masks({} forms)", self.0.forms.len())
    }
}

/// [`excerpt`] of a text the server sent, with every secret of `masks`
/// masked as `***`. Reads only the start of `body`, as [`excerpt`] does,
/// and a secret that straddles where the excerpt ends is masked too.
pub fn excerpt_masked(body: &[u8], masks: &Masks) -> String {
    if masks.0.forms.is_empty() {
        return excerpt(body);
    }
    let window = &body[..body.len().min(EXCERPT_CHARS * 4 + masks.longest())];
    // Masked as the excerpt shows it, each character that breaks a line a
    // space: a password with a space, echoed with a tab or a NUL in its
    // place, would show as itself once the excerpt is made.
    let shown = shown(&String::from_utf8_lossy(window));
    let masked = masks.mask(&shown).unwrap_or(shown);
    // What follows the window is not shown: the excerpt says it is cut.
    excerpt_of(
        masked.as_bytes(),
        body.trim_ascii().len(),
        window.len() < body.len(),
    )
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
        // As `{:?}` writes it, but a NUL as `\u{0}`: its `\0` before a
        // digit ("\01") would read as an octal escape.
        f.write_char('"')?;
        for (i, part) in head.split('\0').enumerate() {
            if i > 0 {
                f.write_str("\\u{0}")?;
            }
            let debug = format!("{part:?}");
            f.write_str(&debug[1..debug.len() - 1])?;
        }
        f.write_char('"')?;
        if cut {
            write!(f, "… ({} bytes)", self.0.len())?;
        }
        Ok(())
    }
}

/// A key as a problem's path writes it: as it is, or quoted when it is
/// empty (so that a path is never empty), long (an excerpt: a path never
/// holds more than an excerpt of what was sent), or not plain text (not
/// UTF-8, or with a control character: a message is one line, and a
/// newline or an escape sequence in a key could forge a line of the
/// shop's log).
#[derive(Clone, Copy)]
pub struct PathKey<'a>(pub &'a [u8]);

impl fmt::Display for PathKey<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match std::str::from_utf8(self.0) {
            Ok(key) if !key.is_empty() && key.len() <= 64 && !key.chars().any(char::is_control) => {
                f.write_str(key)
            }
            _ => write!(f, "{}", quote_bytes(self.0)),
        }
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

    /// A NUL before a digit must not read as an octal escape.
    #[test]
    fn a_nul_is_quoted_unambiguously() {
        assert_eq!(quote("\x001befdc7").to_string(), r#""\u{0}1befdc7""#);
        assert_eq!(quote("a\\0\n\"").to_string(), r#""a\\0\n\"""#);
        assert_eq!(quote("\0").to_string(), r#""\u{0}""#);
    }

    #[test]
    fn a_key_in_a_path_is_quoted_unless_it_is_short_plain_text() {
        let key = |k: &[u8]| PathKey(k).to_string();
        assert_eq!(key(b"cart"), "cart");
        assert_eq!(key("año".as_bytes()), "año");
        assert_eq!(key(b""), r#""""#);
        assert_eq!(
            key(b"x\nERROR forged\x1b[2J\r"),
            r#""x\nERROR forged\u{1b}[2J\r""#
        );
        assert_eq!(key(b"\xff"), "\"\u{fffd}\"");
        assert!(key(&[b'k'; 100]).ends_with("(100 bytes)"));
        assert!(!key("a\u{85}b".as_bytes()).contains('\u{85}'));
    }

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
        let masks = Masks::new([secret]);
        let masked = |body: &[u8]| excerpt_masked(body, &masks);
        assert_eq!(masked(b"bad password S3CR3T-xyz-pw!"), "bad password ***!");
        // Straddling the excerpt's end.
        let mut long = vec![b'a'; 195];
        long.extend_from_slice(b"S3CR3T-xyz-pw and more");
        assert!(!masked(&long).contains("S3CR"), "{}", masked(&long));
        assert!(
            masked(&long).ends_with("… (217 bytes)"),
            "{}",
            masked(&long)
        );
        let huge = vec![b'y'; 10 << 20];
        assert_eq!(masked(&huge), excerpt(&huge));
        assert_eq!(excerpt_masked(b"abc", &Masks::default()), "abc");
    }

    #[test]
    fn a_secret_is_masked_as_the_excerpt_shows_it() {
        // A password with a space, echoed with what an excerpt makes a
        // space in its place (found by fuzzing); one with a U+2028 in it.
        let masks = Masks::new([
            Secret::new("S3cr3t pass-word"),
            Secret::new("ab\u{2028}cdef"),
        ]);
        for body in [
            "500: S3cr3t\tpass-word",
            "500: S3cr3t\0pass-word",
            "500: S3cr3t\u{2028}pass-word",
            "500: S3cr3t\u{1b}pass-word",
            "500: ab cdef",
        ] {
            let shown = excerpt_masked(body.as_bytes(), &masks);
            assert_eq!(shown, "500: ***", "{body:?}");
        }
    }

    #[test]
    fn a_secret_is_masked_as_json_writers_and_html_pages_escape_it() {
        let password = "Pä/ss<w>&\"rd'-Ω9😀";
        let masks = Masks::new([Secret::new(password)]);
        for echoed in [
            // PHP's json_encode, and ASCII-only writers that keep '/'.
            r#"{"error":"bad password P\u00e4\/ss<w>&\"rd'-\u03a99\ud83d\ude00"}"#,
            r#"{"error":"bad password P\u00e4/ss<w>&\"rd'-\u03a99\ud83d\ude00"}"#,
            // An error page, Rails's apostrophe and PHP's.
            "<p>bad password Pä/ss&lt;w&gt;&amp;&quot;rd&#39;-Ω9😀</p>",
            "<p>bad password Pä/ss&lt;w&gt;&amp;&quot;rd&#039;-Ω9😀</p>",
        ] {
            let shown = excerpt_masked(echoed.as_bytes(), &masks);
            assert!(shown.contains("bad password ***"), "{echoed}: {shown}");
        }
    }

    /// Found by a hostile-server audit: each of these showed the secret.
    #[test]
    fn a_secret_is_masked_in_any_case_percent_encoded_or_cut_short() {
        let key = "sk_sbox_3f9a7c2e41b8d6f0a5e9c7b3d1f2e8a4";
        let masks = Masks::new([Secret::new(key), Secret::new("demo-password")]);
        for echoed in [
            "bad key SK_SBOX_3F9A7C2E41B8D6F0A5E9C7B3D1F2E8A4!".to_string(),
            "bad key sk%5Fsbox%5F3f9a7c2e41b8d6f0a5e9c7b3d1f2e8a4!".to_string(),
            "bad key sk%5fsbox%5f%33f9a7c2e41b8d6f0a5e9c7b3d1f2e8a4!".to_string(),
            format!("bad key {}!", &key[..22]),
        ] {
            assert_eq!(excerpt_masked(echoed.as_bytes(), &masks), "bad key ***!");
            assert_eq!(masks.mask(&echoed).unwrap(), "bad key ***!");
        }
        for echoed in [
            "user demo-passwor...",
            "user DEMO-PASSWORD",
            "user demo%2dpassword",
        ] {
            let shown = excerpt_masked(echoed.as_bytes(), &masks);
            assert!(shown.starts_with("user ***"), "{echoed}: {shown}");
        }
        // A key's public start, and a start under 8 bytes, are no secret.
        for kept in [&key[..19], "demo-pa"] {
            assert_eq!(masks.mask(&format!("a {kept} b")), None, "{kept}");
        }
    }

    #[test]
    fn a_cut_secret_is_masked_up_to_a_whole_character() {
        let masks = Masks::new([Secret::new("Pä/ss<w>&\"rd'-Ω9😀")]);
        for (echoed, shown) in [
            ("was Pä/ss<w>&\"rd'-Ω9 x", "was *** x"),
            ("was Pä/ss<w>&\"rd'-Ω9😁 x", "was ***😁 x"),
            ("was PÄ/ss<w>&\"rd'-Ω9😀 x", "was PÄ/ss<w>&\"rd'-Ω9😀 x"),
        ] {
            assert_eq!(masks.mask(echoed).as_deref().unwrap_or(echoed), shown);
        }
    }

    #[test]
    fn the_credential_of_the_authorization_sent_is_masked_too() {
        let basic = Secret::new("Basic dXNlcjpTM0NSM1QteHl6LXB3");
        let masks = Masks::new([Secret::new("S3CR3T-xyz-pw")]).with_authorization(&basic);
        let echoed = b"you sent Authorization: Basic dXNlcjpTM0NSM1QteHl6LXB3 with S3CR3T-xyz-pw";
        assert_eq!(
            excerpt_masked(echoed, &masks),
            "you sent Authorization: Basic *** with ***"
        );
        let token = Masks::default().with_authorization(&Secret::new("Bearer eyJ.abc.def"));
        assert_eq!(
            excerpt_masked(b"token eyJ.abc.def expired", &token),
            "token *** expired"
        );
    }

    #[test]
    fn an_excerpt_breaks_no_line_and_reorders_nothing() {
        let forged = "ok\u{2028}ERROR forged \u{202E}desrever\u{2066}x\u{FEFF}";
        assert_eq!(excerpt(forged.as_bytes()), "ok ERROR forged  desrever x");
    }

    #[test]
    fn excerpt_is_single_line_and_bounded() {
        assert_eq!(excerpt(b"  a\nb\r\n"), "a b");
        let long = "x".repeat(500);
        let cut = excerpt(long.as_bytes());
        assert_eq!(cut, format!("{}… (500 bytes)", "x".repeat(200)));
        // Only the start of a large body is read; its length is told.
        let huge = vec![b'y'; 50 << 20];
        assert_eq!(
            excerpt(&huge),
            format!("{}… (52428800 bytes)", "y".repeat(200))
        );
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
