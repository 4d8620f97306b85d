//! How an answer of the remote APIs becomes an error or a typed value,
//! through sequra::fuzz_hooks::answer (built only under cargo fuzz): any
//! status, header and body give a bounded error on one line that never
//! holds the request's masked credential; typed answers round-trip.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sequra_fuzz::{assert_error, Clock};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// A password with a space, as a shop may have one.
const SECRET: &str = "S3cr3t pass-word";

/// A typed answer read from `body`, written and read again, is the same.
fn round_trip<T: DeserializeOwned + Serialize>(body: &[u8]) {
    if let Ok(typed) = serde_json::from_slice::<T>(body) {
        let written = serde_json::to_value(&typed).expect("an answer writes");
        let again: T = serde_json::from_value(written.clone()).unwrap_or_else(|e| {
            panic!(
                "{} written does not read back ({e}): {written}",
                std::any::type_name::<T>()
            )
        });
        assert_eq!(serde_json::to_value(&again).unwrap(), written);
    }
}

fuzz_target!(|data: &[u8]| {
    let _clock = Clock::start("answer", data);
    let [api, hi, lo, header_len, rest @ ..] = data else {
        return;
    };
    let status = 100 + u16::from_be_bytes([*hi, *lo]) % 500;
    let (header, body) = rest.split_at(rest.len().min(usize::from(*header_len) % 64));
    let (error, json) = sequra::fuzz_hooks::answer(*api, status, header, body, SECRET);
    assert_error(&error, SECRET, b"");
    let text = error.to_string();
    assert!(
        !text.chars().any(char::is_control),
        "a control character: {text:?}"
    );
    for reason in error.remote_errors() {
        assert!(!reason.chars().any(char::is_control), "{reason:?}");
    }
    if let Err(error) = json {
        assert_error(&error, SECRET, b"");
        assert!(
            error.to_string().len() <= 2_000,
            "{}",
            error.to_string().len()
        );
    }
    match api % 4 {
        0 => {
            round_trip::<sequra::orders::PaymentMethods>(body);
            round_trip::<sequra::pos::Cart>(body);
        }
        1 => round_trip::<sequra::paysera::PaymentRequest>(body),
        2 => round_trip::<sequra::paysera::Notification>(body),
        _ => {
            round_trip::<sequra::checkout_com::PaymentSetup>(body);
            round_trip::<sequra::checkout_com::Payment>(body);
        }
    }
    let _ = serde_json::from_slice::<Value>(body);
});
