//! The identifiers and timestamps checkout.com hands out, in their real
//! forms: `set_`/`pay_`/`evt_`... followed by 26 lower-case base32
//! characters, v4 UUIDs for request ids and seQura's payment ids, ISO 8601
//! UTC times.

use std::time::{SystemTime, UNIX_EPOCH};

const BASE32: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";

fn random<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).expect("the system's random source works");
    bytes
}

/// `{kind}_` and 26 random base32 characters, e.g. `set_rcmepwrchqab2wsergcafvijfy`.
pub(crate) fn new_id(kind: &str) -> String {
    let tail: String = random::<26>()
        .iter()
        .map(|b| BASE32[usize::from(b % 32)] as char)
        .collect();
    format!("{kind}_{tail}")
}

/// A random (version 4) UUID.
pub(crate) fn new_uuid() -> String {
    let mut bytes = random::<16>();
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
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
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    timestamp(seconds)
}

/// Seconds since 1970 as an ISO 8601 UTC time (the civil-from-days
/// algorithm: no time zone database needed for UTC).
fn timestamp(seconds: u64) -> String {
    let days = (seconds / 86_400) as i64;
    let rest = seconds % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest / 60 % 60,
        rest % 60
    )
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

    #[test]
    fn timestamps_are_utc_calendar_times() {
        assert_eq!(timestamp(0), "1970-01-01T00:00:00Z");
        assert_eq!(timestamp(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(timestamp(1_777_543_261), "2026-04-30T10:01:01Z");
    }
}
