//! `sequra::strict::parse_json`, the strict reader of JSON the C API and the
//! webhooks take, on arbitrary bytes: it never panics, reads what serde_json
//! reads (or refuses it), and refuses a repeated key or an oversized
//! document with one bounded problem. A first byte of 1 repeats the rest
//! of the input in a large array, to reach the size bound.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sequra::strict::{parse_json, JsonRefusal};
use sequra_fuzz::{assert_bounded, assert_error, Clock};
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let text = if mode == 1 && rest.len() >= 2 {
        // `[x,x,...]` with up to 65535 copies of x, at most 5 MiB: past
        // the bound of 100000 values or of 4 MiB of text.
        let one = &rest[2..];
        let copies =
            (u16::from_le_bytes([rest[0], rest[1]]) as usize).min((5 << 20) / (one.len() + 1));
        let mut text = Vec::with_capacity((one.len() + 1) * copies + 2);
        text.push(b'[');
        for i in 0..copies {
            if i > 0 {
                text.push(b',');
            }
            text.extend_from_slice(one);
        }
        text.push(b']');
        text
    } else {
        rest.to_vec()
    };
    let plain = serde_json::from_slice::<Value>(&text);
    let clock = Clock::start("strict_json", data);
    let parsed = parse_json(&text, "body");
    drop(clock);
    match parsed {
        Ok(value) => match plain {
            Ok(plain) => assert_eq!(value, plain, "strict and serde_json read it apart"),
            Err(e) => panic!("strict read what serde_json refuses ({e})"),
        },
        Err(JsonRefusal::Syntax(e)) => {
            assert!(
                plain.is_err(),
                "a syntax error serde_json does not see: {e}"
            );
            assert!(e.to_string().len() <= sequra_fuzz::MAX_MESSAGE);
        }
        Err(JsonRefusal::Refused(error)) => {
            assert_eq!(error.problems().len(), 1, "{error:?}");
            assert_bounded(error.problems());
            assert_error(&error, "\u{0}no secret here\u{0}", &text);
        }
    }
});
