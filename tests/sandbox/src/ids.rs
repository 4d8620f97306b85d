//! What every emulated service hands out: random ids (from the system's
//! random source, as the real services' are unguessable) and UTC times in
//! ISO 8601, without a time zone database.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

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

/// A random (version 4) UUID, as seQura names orders.
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

/// The time since 1970.
pub(crate) fn since_epoch() -> Duration {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
}

/// `2026-04-30T10:00:00Z`, or with milliseconds `2026-04-30T10:00:00.000Z`.
pub(crate) fn timestamp(since_epoch: Duration, milliseconds: bool) -> String {
    let seconds = since_epoch.as_secs();
    let (year, month, day) = civil_from_days((seconds / 86_400) as i64);
    let time = seconds % 86_400;
    let fraction = if milliseconds {
        format!(".{:03}", since_epoch.subsec_millis())
    } else {
        String::new()
    };
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}{fraction}Z",
        time / 3600,
        time / 60 % 60,
        time % 60,
    )
}

/// The calendar date of a day number counted from 1970-01-01 (Howard
/// Hinnant's civil-from-days).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(month <= 2), month, day)
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
        assert_ne!(uuid, new_uuid());
    }

    #[test]
    fn times_are_iso_8601_utc() {
        assert_eq!(civil_from_days(19_737), (2024, 1, 15));
        let at = |seconds| timestamp(Duration::from_secs(seconds), false);
        assert_eq!(at(0), "1970-01-01T00:00:00Z");
        assert_eq!(at(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(at(1_777_543_261), "2026-04-30T10:01:01Z");
        let moment = Duration::from_millis(1_705_312_800_123);
        assert_eq!(timestamp(moment, false), "2024-01-15T10:00:00Z");
        assert_eq!(timestamp(moment, true), "2024-01-15T10:00:00.123Z");
    }
}
