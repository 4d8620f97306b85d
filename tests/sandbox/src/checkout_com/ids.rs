//! The identifiers and timestamps checkout.com hands out, in their real
//! forms: `set_`/`pay_`/`evt_`... followed by 26 lower-case base32
//! characters, v4 UUIDs for request ids and seQura's payment ids, ISO 8601
//! UTC times.

pub(crate) use crate::ids::new_uuid;
use crate::ids::random;

const BASE32: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";

/// `{kind}_` and 26 random base32 characters, e.g. `set_rcmepwrchqab2wsergcafvijfy`.
pub(crate) fn new_id(kind: &str) -> String {
    let tail: String = random::<26>()
        .iter()
        .map(|b| BASE32[usize::from(b % 32)] as char)
        .collect();
    format!("{kind}_{tail}")
}

/// A random access token (43 characters, base32).
pub(crate) fn new_token() -> String {
    random::<43>()
        .iter()
        .map(|b| BASE32[usize::from(b % 32)] as char)
        .collect()
}

/// Whether `id` is `{kind}_` and 26 base32 characters.
#[cfg(test)]
pub(crate) fn is_id(kind: &str, id: &str) -> bool {
    id.strip_prefix(kind)
        .and_then(|rest| rest.strip_prefix('_'))
        .is_some_and(|tail| tail.len() == 26 && tail.bytes().all(|c| BASE32.contains(&c)))
}

/// Now, as `2026-04-30T10:00:00Z`.
pub(crate) fn now() -> String {
    crate::ids::timestamp(crate::ids::since_epoch(), false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_have_the_real_form() {
        let id = new_id("set");
        assert!(is_id("set", &id), "{id}");
        assert!(!is_id("pay", &id));
        assert!(!is_id("set", "set_ABCDEFGHIJKLMNOPQRSTUVWXYZ"));
        assert_ne!(new_id("pay"), new_id("pay"));
    }
}
