//! seQura's IPN and events-webhook readers (and Paysera's callback) on a
//! raw form body or on decoded fields from the input, with a fixed secret:
//! they never panic, their errors are bounded, the secret shows in no error
//! or Debug, and a signature made with the secret verifies while any one
//! changed byte of it, or of the identity, is refused.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sequra::orders::notifications::{Event, Ipn, Outcome, Signer};
use sequra::paysera::Callback;
use sequra::ErrorKind;
use sequra_fuzz::{assert_error, assert_no_secret, Clock};

const SECRET: &str = "a-long-random-shop-secret";

/// Fields from the input: pairs separated by 0x01, name and value by 0x00
/// (lossy UTF-8, as PHP's `$_POST` may hold anything).
fn pairs(bytes: &[u8]) -> Vec<(String, String)> {
    bytes
        .split(|b| *b == 1)
        .map(|pair| {
            let mut parts = pair.splitn(2, |b| *b == 0);
            let name = String::from_utf8_lossy(parts.next().unwrap_or_default()).into_owned();
            let value = String::from_utf8_lossy(parts.next().unwrap_or_default()).into_owned();
            (name, value)
        })
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let _clock = Clock::start("notify", data);
    let Some((&mode, input)) = data.split_first() else {
        return;
    };
    let signer = Signer::new(SECRET).expect("a good secret");
    assert_no_secret("Signer's Debug", &format!("{signer:?}"), SECRET, b"");

    let (ipn, event, callback) = if mode & 1 == 0 {
        (
            Ipn::from_form(input),
            Event::from_form(input),
            Callback::from_form(input),
        )
    } else {
        let pairs = pairs(input);
        (
            Ipn::from_pairs(pairs.clone()),
            Event::from_pairs(pairs.clone()),
            Callback::from_pairs(pairs),
        )
    };
    match &ipn {
        Ok(ipn) => {
            assert_no_secret("Ipn's Debug", &format!("{ipn:?}"), SECRET, input);
            if let Err(error) = signer.verify_ipn(ipn, "cart") {
                assert_eq!(error.kind(), ErrorKind::BadSignature);
                assert_eq!(Outcome::for_error(&error), Outcome::UnknownOrder);
                assert_error(&error, SECRET, input);
            }
        }
        Err(error) => {
            assert_eq!(error.kind(), ErrorKind::InvalidInput, "{error:?}");
            assert_error(error, SECRET, input);
        }
    }
    match &event {
        Ok(event) => {
            assert_no_secret("Event's Debug", &format!("{event:?}"), SECRET, input);
            if let Err(error) = signer.verify_event(event, "cart") {
                assert_eq!(error.kind(), ErrorKind::BadSignature);
                assert_error(&error, SECRET, input);
            }
        }
        Err(error) => {
            assert_eq!(error.kind(), ErrorKind::InvalidInput, "{error:?}");
            assert_error(error, SECRET, input);
        }
    }
    if let Err(error) = &callback {
        assert_error(error, SECRET, input);
    }

    // Signatures: the identity is the input (lossy); one the readers would
    // refuse is refused, without the secret; a made one verifies, a changed
    // byte of it or of the identity does not.
    let identity = String::from_utf8_lossy(input);
    match signer.sign(&identity) {
        Ok(signature) => signed(&signer, &identity, &signature, input, mode),
        Err(error) => {
            assert_eq!(error.kind(), ErrorKind::InvalidInput, "{error:?}");
            assert_error(&error, SECRET, input);
        }
    }
    // A signature from the input: refused or not, never a panic.
    let _ = signer.verify(&identity, &identity);
    if let Err(error) = Outcome::parse(&identity) {
        assert_error(&error, SECRET, input);
    }
});

/// What a signature the signer made must do.
fn signed(signer: &Signer, identity: &str, signature: &str, input: &[u8], mode: u8) {
    assert_no_secret("a signature", signature, SECRET, input);
    signer
        .verify(identity, signature)
        .expect("its own signature verifies");
    if !signature.is_empty() {
        let at = usize::from(mode >> 1) % signature.len();
        let mut forged = signature.as_bytes().to_vec();
        forged[at] = if forged[at] == b'A' { b'B' } else { b'A' };
        let forged = String::from_utf8(forged).unwrap();
        assert!(
            signer.verify(identity, &forged).is_err(),
            "one changed byte verifies"
        );
    }
    if !input.is_empty() {
        let mut other = input.to_vec();
        let at = usize::from(mode >> 1) % other.len();
        other[at] ^= 0x20;
        let other = String::from_utf8_lossy(&other);
        if other != identity {
            assert!(
                signer.verify(&other, signature).is_err(),
                "another identity verifies"
            );
        }
    }
}
