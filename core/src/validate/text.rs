//! Text fields, and how a value reads in a problem.

use crate::orders::payload::node::{Node, Shape};
use crate::redact::{quote, PathKey};

/// What is wrong with `text` as one short line of at most `max` bytes: too
/// long, or a control character (a NUL, or a newline or an escape that
/// could forge a line of a log). `None` when it is fine.
pub(crate) fn line_problem(text: &str, max: usize) -> Option<String> {
    if text.len() > max {
        Some(format!("{} is longer than {max} bytes", quote(text)))
    } else if has_control(text) {
        Some(format!("{} has a control character", quote(text)))
    } else {
        None
    }
}

/// The problem of a string that holds a NUL (docs/decisions.md).
pub(crate) use crate::orders::payload::json_text::HOLDS_NUL;

/// A problem at the path of each string in `document` (at `root`, "" for
/// a whole document) that holds a NUL, but where a problem is already at
/// that path or above it (a key refused as unknown): for the validators
/// that read a document's fields one by one (the seQura order's walker
/// checks as it walks). Keys are written as paths write them (`PathKey`),
/// and past [`NUL_DEPTH`] levels the container holding the NUL is named,
/// so that a path stays short however deep the document.
pub(crate) fn nul_problems(
    document: &serde_json::Value,
    root: &str,
    problems: &mut super::Problems,
) {
    use serde_json::Value;
    fn any(value: &Value) -> bool {
        match value {
            Value::String(text) => text.contains('\0'),
            Value::Array(list) => list.iter().any(any),
            Value::Object(members) => members.values().any(any),
            _ => false,
        }
    }
    fn at(value: &Value, path: &str, depth: usize, problems: &mut super::Problems) {
        if problems.has_one_at_or_above(path) {
            return;
        }
        match value {
            Value::String(_) => problems.push(path, HOLDS_NUL),
            _ if depth == NUL_DEPTH => problems.push(path, HOLDS_NUL),
            Value::Array(list) => {
                for (index, element) in list.iter().enumerate().filter(|(_, e)| any(e)) {
                    at(element, &format!("{path}[{index}]"), depth + 1, problems);
                }
            }
            Value::Object(members) => {
                for (key, value) in members.iter().filter(|(_, v)| any(v)) {
                    let key = PathKey(key.as_bytes());
                    let path = match path {
                        "" => key.to_string(),
                        _ => format!("{path}.{key}"),
                    };
                    at(value, &path, depth + 1, problems);
                }
            }
            _ => {}
        }
    }
    if any(document) {
        at(document, root, 0, problems);
    }
}

/// How deep [`nul_problems`] names a NUL's place; deeper than any field of
/// the documents it checks.
const NUL_DEPTH: usize = 8;

/// Whether `text` has a control character (C0, DEL or C1). Printable
/// ASCII, the usual text, is read byte by byte; the rest by character.
pub(crate) fn has_control(text: &str) -> bool {
    !text.bytes().all(|b| (0x20..0x7f).contains(&b)) && text.chars().any(char::is_control)
}

/// How the value of a personal field (a name, a phone, an id number: the
/// keys logs mask, `log::is_personal`) reads in a message: its type, and a
/// string's length, never what it holds. Shops log their problems.
pub(crate) fn describe_personal<'a, N: Node<'a>>(value: N) -> String {
    match value.shape() {
        Shape::String => match value.as_str() {
            Some(text) => format!("a string of {} characters", text.chars().count()),
            None => "a string that is not UTF-8".into(),
        },
        Shape::Integer => "an integer".into(),
        Shape::Float => "a decimal number".into(),
        _ => describe(value),
    }
}

/// How a JSON value reads in a message: its type and, for a scalar, itself
/// (a string quoted, at most an excerpt of it: see [`quote`]).
pub(crate) fn describe<'a, N: Node<'a>>(value: N) -> String {
    let kind = match value.shape() {
        Shape::Null => return "null".into(),
        Shape::Bool => "a boolean",
        Shape::Integer => "an integer",
        Shape::Float => "a decimal number",
        Shape::String => {
            return match value.as_str() {
                Some(text) => format!("a string ({})", quote(text)),
                None => "a string that is not UTF-8".into(),
            }
        }
        Shape::List => return "a list".into(),
        Shape::Object => return "an object".into(),
    };
    // A number or a boolean: short.
    let text = value.json_text();
    if text == "-0.0" {
        // JSON's `-0`, which a parser reads as a decimal number.
        return "-0, which JSON readers take as the decimal number -0.0 (write 0)".into();
    }
    format!("{kind} ({text})")
}

/// The problem of an object whose keys are all integers where a list is
/// wanted: what PHP's `json_encode` makes of an array with gaps, or of an
/// object (a `stdClass`) whose keys are 0, 1, 2, ... in order. `len` is
/// the object's length.
pub(crate) fn integer_keys_problem(keys: impl Iterator<Item = String>, len: usize) -> String {
    let mut shown = Vec::with_capacity(SHOWN_KEYS);
    let mut in_order = true;
    for (i, key) in keys.enumerate() {
        in_order &= key == i.to_string();
        if shown.len() < SHOWN_KEYS {
            shown.push(key);
        } else if !in_order {
            break;
        }
    }
    if in_order {
        return "must be a list, not an object whose keys are 0, 1, 2, ... (in PHP, a stdClass or an (object) cast of a list: pass the array itself)".into();
    }
    format!(
        "must be a list, but {}; in PHP, pass it through array_values()",
        keys_not_in_order(shown.into_iter(), len)
    )
}

/// The problem of `value`, which is not a list where one is wanted (an
/// object with keys, all integers, has [`integer_keys_problem`]).
pub(crate) fn not_a_list_problem<'a, N: Node<'a>>(value: N) -> String {
    match value.shape() {
        Shape::Object if value.is_empty() => {
            "must be a list, not an empty object (in PHP, new stdClass or (object) []: pass [])".into()
        }
        Shape::Object => {
            "must be a list, not an object (in PHP, an array with string keys: pass array_values() of it)".into()
        }
        _ => format!("must be a list, not {}", describe(value)),
    }
}

/// How many keys [`keys_not_in_order`] names.
const SHOWN_KEYS: usize = 12;

/// How the keys of an array differ from a list's (`its keys (0, 1, 9) are
/// not 0 to 2 in order`), naming the first few; `len` is its length. The
/// order walker says it where a list is wanted, the PHP extension's
/// converter wherever it refuses such an array.
pub fn keys_not_in_order(keys: impl Iterator<Item = String>, len: usize) -> String {
    let mut shown: Vec<String> = keys.take(SHOWN_KEYS).collect();
    if len > SHOWN_KEYS {
        shown.push(format!("... ({len} keys)"));
    }
    let list = match len {
        1 => "0".to_string(),
        2 => "0 and 1".to_string(),
        n => format!("0 to {}", n.saturating_sub(1)),
    };
    format!("its keys ({}) are not {list} in order", shown.join(", "))
}

/// Whether `text` is only whitespace (or nothing).
pub(crate) fn is_blank(text: &str) -> bool {
    text.trim().is_empty()
}

/// [`is_blank`] for bytes as a document holds them (text that is not UTF-8
/// is not blank: it is refused for that). A first byte that is ASCII and
/// not a space, as a reference's mostly is, answers at once.
#[inline(always)]
pub(crate) fn is_blank_bytes(text: &[u8]) -> bool {
    !text.first().is_some_and(|&b| is_ascii_non_space(b)) && is_blank_read_whole(text)
}

/// [`is_blank_bytes`] when the first byte did not answer, out of line (a
/// walker's loop calls the other).
#[inline(never)]
fn is_blank_read_whole(text: &[u8]) -> bool {
    !text.iter().any(|&b| is_ascii_non_space(b)) && std::str::from_utf8(text).is_ok_and(is_blank)
}

/// An ASCII byte that is not whitespace: text that has one is not blank.
#[inline(always)]
fn is_ascii_non_space(b: u8) -> bool {
    b.is_ascii() && !char::from(b).is_whitespace()
}

/// A plausible e-mail address: `local@domain.tld`, one `@`, a domain of
/// two or more non-empty labels, no space or control character.
/// Read by bytes (every order has one); only text that is not ASCII is
/// read by character, for Unicode's spaces and controls.
pub(crate) fn is_email(text: &str) -> bool {
    let bytes = text.as_bytes();
    let Some(at) = bytes.iter().position(|&c| c == b'@') else {
        return false;
    };
    // The domain's labels: none empty, two or more.
    let (mut labels, mut after_dot) = (1, true);
    for &c in &bytes[at + 1..] {
        match c {
            b'@' => return false,
            b'.' if after_dot => return false,
            b'.' => (labels, after_dot) = (labels + 1, true),
            _ => after_dot = false,
        }
    }
    let spaced = |c: char| c.is_whitespace() || c.is_control();
    at > 0
        && !after_dot
        && labels >= 2
        && if text.is_ascii() {
            !bytes.iter().any(|&c| c <= b' ' || c == 0x7f)
        } else {
            !text.chars().any(spaced)
        }
}

/// A known name for an unknown `key`: the document's name for what shops
/// usually call it (`postcode` for `postal_code`, see [`ALIASES`]), else a
/// name close to it, a typo being the usual cause: two edits away at most,
/// one for a key of three bytes, none for a shorter one (`ip` is not a typo
/// of `nin`). Bounded: only names
/// within two bytes of the key's length are compared (two edits change the
/// length by two at most), each in a fixed row.
pub(crate) fn suggestion<'n>(
    key: &[u8],
    names: impl Iterator<Item = &'n str> + Clone,
) -> Option<&'n str> {
    let lower = key.to_ascii_lowercase();
    if let Some((_, meant)) = ALIASES.iter().find(|(alias, _)| alias.as_bytes() == lower) {
        if let Some(name) = names.clone().find(|name| name == meant) {
            return Some(name);
        }
    }
    let most = match key.len() {
        0..=2 => 0,
        3 => 1,
        _ => 2,
    };
    names
        .filter(|name| name.len().abs_diff(key.len()) <= most)
        .filter_map(|name| edit_distance(key, name.as_bytes()).map(|d| (name, d)))
        .filter(|(_, d)| (1..=most).contains(d))
        .min_by_key(|(_, d)| *d)
        .map(|(name, _)| name)
}

/// What shops (WooCommerce, PrestaShop, Magento) call a field, and the
/// field of the seQura documents it is: suggested when the object has it.
const ALIASES: &[(&str, &str)] = &[
    ("address", "address_line_1"),
    ("address1", "address_line_1"),
    ("address_1", "address_line_1"),
    ("address2", "address_line_2"),
    ("address_2", "address_line_2"),
    ("birth_date", "date_of_birth"),
    ("birthdate", "date_of_birth"),
    ("birthday", "date_of_birth"),
    ("country", "country_code"),
    ("country_id", "country_code"),
    ("dni", "nin"),
    ("dob", "date_of_birth"),
    ("email_address", "email"),
    ("first_name", "given_names"),
    ("firstname", "given_names"),
    ("ip", "ip_number"),
    ("ip_address", "ip_number"),
    ("lang", "language_code"),
    ("language", "language_code"),
    ("last_name", "surnames"),
    ("lastname", "surnames"),
    ("locale", "language_code"),
    ("mobile", "mobile_phone"),
    ("phone_mobile", "mobile_phone"),
    ("postcode", "postal_code"),
    ("price", "price_with_tax"),
    ("qty", "quantity"),
    ("sku", "reference"),
    ("street", "address_line_1"),
    ("telephone", "phone"),
    ("total", "total_with_tax"),
    ("zip", "postal_code"),
    ("zip_code", "postal_code"),
    ("zipcode", "postal_code"),
];

/// The edit distance of two field-sized names (byte by byte: the field
/// names are ASCII); `None` for a name longer than any field's.
fn edit_distance(a: &[u8], b: &[u8]) -> Option<usize> {
    const MAX: usize = 64;
    if a.len() > MAX || b.len() > MAX {
        return None;
    }
    let mut row = [0usize; MAX + 1];
    for (j, cell) in row.iter_mut().enumerate().take(b.len() + 1) {
        *cell = j;
    }
    for (i, ca) in a.iter().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = (previous + usize::from(ca != cb))
                .min(row[j] + 1)
                .min(current + 1);
            previous = current;
        }
    }
    Some(row[b.len()])
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn nul_paths(document: &Value, before: &[&str]) -> Vec<String> {
        let mut problems = super::super::Problems::new();
        for path in before {
            problems.push(path, "is not a field");
        }
        nul_problems(document, "", &mut problems);
        let found = problems.finish("document");
        assert!(found[before.len()..].iter().all(|p| p.message == HOLDS_NUL));
        found[before.len()..]
            .iter()
            .map(|p| p.path.clone())
            .collect()
    }

    #[test]
    fn a_nul_is_named_by_a_short_path_where_nothing_else_is_wrong() {
        let long = "k".repeat(300);
        let mut deep = json!("\u{0}");
        for _ in 0..20 {
            deep = json!({"a": deep});
        }
        let document = json!({
            "name": "x\u{0}", "fine": "y", "list": [1, "z", "\u{0}"],
            long.clone(): ["\u{0}"], "deep": deep, "typo": {"b": "\u{0}"}
        });
        let paths = nul_paths(&document, &["typo"]);
        let long_key = format!("{}", PathKey(long.as_bytes()));
        assert!(long_key.len() < 100, "{long_key}");
        assert_eq!(
            paths,
            [
                "deep.a.a.a.a.a.a.a".to_string(),
                format!("{long_key}[0]"),
                "list[2]".into(),
                "name".into()
            ]
        );
    }

    #[test]
    fn blank_bytes_are_blank_text() {
        for text in ["", " ", "\t\n\x0B\x0C\r", "\u{A0}\u{2003} ", "\u{3000}"] {
            assert!(is_blank_bytes(text.as_bytes()), "{text:?}");
            assert_eq!(is_blank_bytes(text.as_bytes()), is_blank(text));
        }
        for text in ["x", " x ", "\u{A0}é", "日本", "\u{A0}1"] {
            assert!(!is_blank_bytes(text.as_bytes()), "{text:?}");
        }
        // Not UTF-8: refused for that, not called blank.
        assert!(!is_blank_bytes(b" \xFF"));
    }

    #[test]
    fn values_read_as_their_type_and_a_bounded_quote() {
        assert_eq!(describe(&json!("no")), "a string (\"no\")");
        assert_eq!(describe(&json!(1.5)), "a decimal number (1.5)");
        let minus_zero: serde_json::Value = serde_json::from_str("-0").unwrap();
        assert_eq!(
            describe(&minus_zero),
            "-0, which JSON readers take as the decimal number -0.0 (write 0)"
        );
        assert_eq!(
            describe(&json!(u64::MAX)),
            "an integer (18446744073709551615)"
        );
        assert_eq!(describe(&json!([1])), "a list");
        assert_eq!(describe(&Value::Null), "null");
        let long = Value::String("x".repeat(50 << 20));
        assert!(describe(&long).len() < 100);
    }

    #[test]
    fn e_mail_addresses_are_plausible() {
        for ok in [
            "maria@example.com",
            "a.b+c@mail.example.es",
            "jöns@ñandú.example",
        ] {
            assert!(is_email(ok), "{ok}");
        }
        for bad in [
            "maria",
            "maria@example",
            "@example.com",
            "a@b@example.com",
            "a b@example.com",
            "a@example..com",
            "a@.example.com",
            "a@example.com.",
            "a@",
            "a@.",
            "a@b.\u{7f}c",
            "a\tb@example.com",
            "a@exam\u{a0}ple.com",
            "a@exam\u{85}ple.com",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
    }

    #[test]
    fn integer_keys_are_named_a_stdclass_or_keys_out_of_order() {
        let keys = |keys: &[usize]| keys.iter().map(|k| k.to_string()).collect::<Vec<_>>();
        let problem = |k: &[usize]| integer_keys_problem(keys(k).into_iter(), k.len());
        let long: Vec<usize> = (0..15).collect();
        for in_order in [&[0][..], &[0, 1, 2], &long] {
            assert!(problem(in_order).contains("not an object whose keys are 0, 1, 2"));
        }
        assert_eq!(
            problem(&[1]),
            "must be a list, but its keys (1) are not 0 in order; in PHP, pass it through array_values()"
        );
        assert_eq!(
            keys_not_in_order(keys(&[0, 2]).into_iter(), 2),
            "its keys (0, 2) are not 0 and 1 in order"
        );
        let mut gap = long.clone();
        gap[14] = 20;
        assert_eq!(
            problem(&gap),
            "must be a list, but its keys (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, ... (15 keys)) \
             are not 0 to 14 in order; in PHP, pass it through array_values()"
        );
    }

    #[test]
    fn a_suggestion_is_the_documents_name_for_a_shops_or_a_typo() {
        let customer = [
            "given_names",
            "surnames",
            "email",
            "ip_number",
            "nin",
            "phone",
        ];
        let suggest = |key: &str| suggestion(key.as_bytes(), customer.iter().copied());
        assert_eq!(suggest("ip"), Some("ip_number"));
        assert_eq!(suggest("First_Name"), Some("given_names"));
        assert_eq!(suggest("emial"), Some("email"));
        assert_eq!(suggest("surname"), Some("surnames"));
        // A short key is a typo of a name one edit away, or of none.
        assert_eq!(suggest("ni"), None);
        assert_eq!(suggest("nim"), Some("nin"));
        assert_eq!(suggest("xy"), None);
        // An alias whose field this object does not have suggests nothing.
        assert_eq!(suggest("zip"), None);
    }
}
