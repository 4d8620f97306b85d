//! What every emulated service hands out: random ids (from the system's
//! random source, as the real services' are unguessable), v4 UUIDs, and
//! UTC times in ISO 8601. The calendar is `time`'s; nothing here counts
//! days.

use std::time::{Duration, SystemTime, UNIX_EPOCH};
use time::OffsetDateTime;

/// `N` random bytes.
pub(crate) fn random<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).expect("the system's random source works");
    bytes
}

/// `length` random characters of `alphabet` (at most 256 characters).
pub(crate) fn random_text(alphabet: &[u8], length: usize) -> String {
    let mut bytes = vec![0u8; length];
    getrandom::fill(&mut bytes).expect("the system's random source works");
    bytes
        .iter()
        .map(|b| alphabet[usize::from(*b) % alphabet.len()] as char)
        .collect()
}

/// A random (version 4) UUID, lower case, as seQura names orders.
pub(crate) fn new_uuid() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// The time since 1970.
pub(crate) fn since_epoch() -> Duration {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
}

/// `2026-04-30T10:00:00Z`, or with milliseconds `2026-04-30T10:00:00.000Z`.
pub(crate) fn timestamp(since_epoch: Duration, milliseconds: bool) -> String {
    let at = i128::try_from(since_epoch.as_nanos())
        .ok()
        .and_then(|nanos| OffsetDateTime::from_unix_timestamp_nanos(nanos).ok())
        .unwrap_or(OffsetDateTime::UNIX_EPOCH);
    let fraction = if milliseconds {
        format!(".{:03}", at.millisecond())
    } else {
        String::new()
    };
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{fraction}Z",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_random_version_4() {
        let uuid = new_uuid();
        assert_eq!(uuid.len(), 36);
        assert_eq!(&uuid[14..15], "4");
        assert!("89ab".contains(&uuid[19..20]), "{uuid}");
        assert_eq!(uuid, uuid.to_ascii_lowercase());
        assert_ne!(uuid, new_uuid());
    }

    #[test]
    fn times_are_iso_8601_utc() {
        let at = |seconds| timestamp(Duration::from_secs(seconds), false);
        assert_eq!(at(0), "1970-01-01T00:00:00Z");
        assert_eq!(at(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(at(1_777_543_261), "2026-04-30T10:01:01Z");
        let moment = Duration::from_millis(1_705_312_800_123);
        assert_eq!(timestamp(moment, false), "2024-01-15T10:00:00Z");
        assert_eq!(timestamp(moment, true), "2024-01-15T10:00:00.123Z");
        assert_eq!(
            timestamp(Duration::from_millis(1_705_312_800_007), true),
            "2024-01-15T10:00:00.007Z"
        );
    }
}
