//! The validators of the other documents on any JSON: the POS order
//! (pos::validate), checkout.com's payment setup (create and update) and
//! Paysera's payment request: never a panic, every problem with a path
//! and a message under 1000 bytes, at most MAX_PROBLEMS + 1 of them.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sequra::checkout_com::validate::{problems, Purpose};
use sequra_fuzz::{assert_bounded, Clock};
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let _clock = Clock::start("documents", data);
    let Some((&which, json)) = data.split_first() else {
        return;
    };
    let Ok(document) = serde_json::from_slice::<Value>(json) else {
        return;
    };
    match which % 4 {
        0 => assert_bounded(&sequra::pos::validate::validate(&document, which & 4 != 0, None)),
        1 => assert_bounded(&problems(&document, Purpose::Create, None)),
        2 => assert_bounded(&problems(
            &document,
            Purpose::Update,
            Some("pc_wzjki6hw5puepb5fnvqlizj2e4"),
        )),
        _ => assert_bounded(&sequra::paysera::validate::payment_request(&document)),
    }
});
