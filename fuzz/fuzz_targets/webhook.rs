//! checkout.com webhook verification and Paysera's request MAC, with fixed
//! secrets: never a panic, bounded errors without the secret; the real
//! secret's signature of the input body is accepted (its event read or
//! refused as InvalidInput), any one changed byte of the body is refused.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sequra::checkout_com::webhooks::{Event, Verifier};
use sequra::paysera::MacSigner;
use sequra::ErrorKind;
use sequra_fuzz::{assert_error, assert_no_secret, Clock};

const SECRET: &str = "whsec-fuzz-S3CR3T";
const MAC_SECRET: &str = "IrdTc8uQodU7PRpLzzLTW6wqZAO6tAMU";

fuzz_target!(|data: &[u8]| {
    let _clock = Clock::start("webhook", data);
    let [mode, at, flip, body @ ..] = data else {
        return;
    };
    let verifier = Verifier::new(SECRET).expect("a good secret");
    assert_no_secret("Verifier's Debug", &format!("{verifier:?}"), SECRET, b"");

    // checkout.com: the real signature is accepted.
    let signature = verifier.sign(body);
    match verifier.verify_and_parse(body, Some(&signature)) {
        Ok(event) => {
            assert_no_secret("Event's Debug", &format!("{event:?}"), SECRET, body);
            assert_eq!(Event::parse(body).ok(), Some(event));
        }
        Err(error) => {
            assert_eq!(error.kind(), ErrorKind::InvalidInput, "{error:?}");
            assert_error(&error, SECRET, body);
        }
    }
    let upper = signature.to_ascii_uppercase();
    verifier
        .verify(body, Some(&upper))
        .expect("upper-case hex verifies");
    verifier
        .verify(body, Some(&format!(" {signature}\t")))
        .expect("a header value's spaces are trimmed");
    // Any one byte of the body changed: refused.
    if !body.is_empty() {
        let mut tampered = body.to_vec();
        let i = usize::from(*at) * 257 % tampered.len();
        tampered[i] ^= flip.max(&1);
        let error = verifier.verify(&tampered, Some(&signature)).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::BadSignature);
        assert_error(&error, SECRET, body);
    }
    // A signature from the input: never a panic, refused as a signature.
    let claimed = String::from_utf8_lossy(&body[..body.len().min(usize::from(*at))]);
    if let Err(error) = verifier.verify(body, Some(&claimed)) {
        assert_eq!(error.kind(), ErrorKind::BadSignature);
        assert_error(&error, SECRET, body);
    }

    // Paysera: a request signed over the input's method, URL, body, time
    // and nonce; deterministic, the secret never in it, and a changed
    // byte of the body changes the MAC.
    let signer = MacSigner::new("wkVd93h2uS", MAC_SECRET).expect("a good id and secret");
    assert_no_secret("MacSigner's Debug", &format!("{signer:?}"), MAC_SECRET, b"");
    let text = String::from_utf8_lossy(body);
    let mut parts = text.splitn(4, '\n');
    let method = parts.next().unwrap_or_default();
    let url = parts.next().unwrap_or_default();
    let nonce = parts.next().unwrap_or_default();
    let payload = parts.next().unwrap_or_default().as_bytes();
    let ts = u64::from(*mode) << 24 | u64::from(*at) << 8 | u64::from(*flip);
    let url = match url.parse::<ureq::http::Uri>() {
        Ok(url) => url,
        Err(_) => "https://checkout-eu-a.paysera.com/checkout/rest/v1/payment-requests"
            .parse()
            .unwrap(),
    };
    match signer.sign(method, &url, payload, ts, nonce) {
        Ok(signed) => {
            let again = signer.sign(method, &url, payload, ts, nonce).unwrap();
            assert_eq!(signed, again, "signing is deterministic");
            assert_no_secret("the header", &signed.header, MAC_SECRET, body);
            if !payload.is_empty() {
                let mut tampered = payload.to_vec();
                let i = usize::from(*at) % tampered.len();
                tampered[i] ^= flip.max(&1);
                let other = signer.sign(method, &url, &tampered, ts, nonce).unwrap();
                assert_ne!(other.mac, signed.mac, "a changed body keeps its MAC");
            }
        }
        Err(error) => assert_error(&error, MAC_SECRET, body),
    }
});
