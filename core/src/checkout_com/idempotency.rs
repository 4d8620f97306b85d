//! `Cko-Idempotency-Key`: every POST carries one, so that checkout.com
//! answers a retry (after a timeout, a lost answer, a 502) with the first
//! answer instead of creating a second payment setup or payment.

use crate::error::{Error, Result};

/// The header checkout.com deduplicates POSTs by.
pub const HEADER: &str = "Cko-Idempotency-Key";

/// The longest key accepted; a UUID is 36 characters.
const MAX_LEN: usize = 255;

/// A fresh key: a random (version 4) UUID, as checkout.com recommends.
///
/// Generate it before the call and store it with the order when a retry
/// may come from another process (after a crash): sending the same key
/// again is what makes the retry safe.
pub fn new_idempotency_key() -> Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| {
        Error::Config(format!(
            "the system's random source failed ({e}); pass an idempotency key of your own"
        ))
    })?;
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    ))
}

/// The caller's key, checked, or a new one.
pub(crate) fn key_or_new(given: Option<&str>) -> Result<String> {
    let Some(key) = given else {
        return new_idempotency_key();
    };
    let well_formed =
        !key.is_empty() && key.len() <= MAX_LEN && key.bytes().all(|c| c.is_ascii_graphic());
    if !well_formed {
        return Err(Error::invalid(
            "idempotency_key",
            format!(
                "must be 1 to {MAX_LEN} visible ASCII characters without spaces (a UUID is best); leave it out to get a new one"
            ),
        ));
    }
    Ok(key.to_string())
}

/// An error after which the server may have acted, with the key that makes
/// the retry safe (the caller's, or the one made for the call, which the
/// caller has no other way to learn).
pub(crate) fn retry_hint(error: Error, key: &str) -> Error {
    if error.may_have_acted() {
        Error::Keyed {
            error: Box::new(error),
            header: HEADER,
            key: key.to_string(),
        }
    } else {
        error
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_keys_are_random_version_4_uuids() {
        let key = new_idempotency_key().unwrap();
        assert_eq!(key.len(), 36);
        assert_eq!(&key[14..15], "4");
        assert_ne!(key, new_idempotency_key().unwrap());
    }

    #[test]
    fn a_given_key_is_kept_and_a_bad_one_refused() {
        assert_eq!(key_or_new(Some("order-42-try")).unwrap(), "order-42-try");
        for bad in ["", "with space", "tab\there", "é"] {
            let err = key_or_new(Some(bad)).unwrap_err();
            assert_eq!(err.problems()[0].path, "idempotency_key", "{bad:?}");
        }
        assert!(key_or_new(Some(&"k".repeat(256))).is_err());
    }

    #[test]
    fn a_failure_that_may_have_acted_says_which_key_to_retry_with() {
        let lost = Error::Transport {
            message: "POST /payments/setups failed: timeout".into(),
            may_have_acted: true,
            status: None,
            request_id: None,
        };
        let keyed = retry_hint(lost, "k-1");
        assert_eq!(keyed.kind(), crate::ErrorKind::Transport);
        assert!(keyed.may_have_acted());
        assert_eq!(keyed.idempotency_key(), Some("k-1"));
        assert_eq!(keyed.details()["idempotency_key"], "k-1");
        let text = keyed.to_string();
        assert!(
            text.starts_with("POST /payments/setups failed: timeout; ")
                && text.contains("send the same Cko-Idempotency-Key \"k-1\""),
            "{text}"
        );
        let refused = Error::Transport {
            message: "refused".into(),
            may_have_acted: false,
            status: None,
            request_id: None,
        };
        let refused = retry_hint(refused, "k-1");
        assert_eq!(refused.to_string(), "refused");
        assert_eq!(refused.idempotency_key(), None);
    }
}
