//! Dates and durations as ISO 8601 writes them, read digit by digit
//! without parsing (the order validator reads many of them).

/// `YYYY-MM-DD`, a real calendar day.
pub(crate) fn is_date(text: &str) -> bool {
    is_date_bytes(text.as_bytes())
}

fn is_date_bytes(b: &[u8]) -> bool {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    // The digits' values; a byte that is not a digit comes out above 9.
    let d = |at: usize| u32::from(b[at].wrapping_sub(b'0'));
    let digits = [0, 1, 2, 3, 5, 6, 8, 9];
    if digits.iter().any(|&at| d(at) > 9) {
        return false;
    }
    let year = d(0) * 1000 + d(1) * 100 + d(2) * 10 + d(3);
    let month = d(5) * 10 + d(6);
    let day = d(8) * 10 + d(9);
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// `YYYY-MM-DDThh:mm[:ss[.fraction]]` and an offset (`Z` or `±hh:mm`).
pub(crate) fn is_date_time(text: &str) -> bool {
    let b = text.as_bytes();
    // The shortest is `YYYY-MM-DDThh:mmZ`.
    if b.len() < 17 || b[10] != b'T' || !is_date_bytes(&b[..10]) {
        return false;
    }
    let two = |at: usize, max: u32| {
        let (high, low) = (b[at].wrapping_sub(b'0'), b[at + 1].wrapping_sub(b'0'));
        high < 10 && low < 10 && u32::from(high) * 10 + u32::from(low) <= max
    };
    // hh:mm, then :ss (60: a leap second), then a fraction.
    if !(two(11, 23) && b[13] == b':' && two(14, 59)) {
        return false;
    }
    let mut at = 16;
    if b.get(at) == Some(&b':') {
        if !(b.len() >= at + 3 && two(at + 1, 60)) {
            return false;
        }
        at += 3;
    }
    if b.get(at) == Some(&b'.') {
        let digits = b[at + 1..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        if digits == 0 {
            return false;
        }
        at += 1 + digits;
    }
    match &b[at..] {
        b"Z" => true,
        [b'+' | b'-', _, _, b':', _, _] => two(at + 1, 23) && two(at + 4, 59),
        _ => false,
    }
}

/// An ISO 8601 duration: `P[nY][nM][nW][nD][T[nH][nM][nS]]`, at least one part.
pub(crate) fn is_period(text: &str) -> bool {
    let Some(rest) = text.strip_prefix('P') else {
        return false;
    };
    let (date, time) = rest.split_once('T').unwrap_or((rest, ""));
    if rest.ends_with('T') {
        return false;
    }
    let parts_ok = |part: &str, units: &str| {
        let mut digits = 0;
        let mut last_unit = None;
        for c in part.chars() {
            if c.is_ascii_digit() {
                digits += 1;
                continue;
            }
            let position = units.find(c)?;
            if digits == 0 || last_unit.is_some_and(|l| position <= l) {
                return None;
            }
            last_unit = Some(position);
            digits = 0;
        }
        (digits == 0).then_some(last_unit.is_some())
    };
    match (parts_ok(date, "YMWD"), parts_ok(time, "HMS")) {
        (Some(d), Some(t)) => d || t,
        _ => false,
    }
}

/// Today (UTC) as `YYYY-MM-DD`.
pub(crate) fn today() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    let (year, month, day) = civil_from_days((seconds / 86_400) as i64);
    format!("{year:04}-{month:02}-{day:02}")
}

/// The calendar date of a day number counted from 1970-01-01 (Howard
/// Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_real_calendar_days() {
        assert!(is_date("2017-06-30"));
        assert!(is_date("2024-02-29"));
        assert!(!is_date("2023-02-29"));
        assert!(!is_date("2017-13-01"));
        assert!(!is_date("2017-6-30"));
        assert!(!is_date("30/06/2017"));
        assert!(is_date("2000-02-29"));
        assert!(!is_date("1900-02-29"));
        assert!(!is_date("2017-00-10"));
        assert!(!is_date("2017-06-00"));
        assert!(!is_date("2017-06-31"));
        assert!(!is_date("2017-06-3a"));
        assert!(!is_date("2017-0é-30"));
        assert!(!is_date("+017-06-30"));
    }

    #[test]
    fn timestamps_need_an_offset() {
        assert!(is_date_time("2017-06-30T13:50:00+02:00"));
        assert!(is_date_time("2013-10-18T12:25:20Z"));
        assert!(is_date_time("2013-10-18T12:25:20.123-05:00"));
        assert!(is_date_time("2013-10-18T12:25+01:00"));
        assert!(!is_date_time("2013-10-18T12:25:20"));
        assert!(!is_date_time("2013-10-18 12:25:20+01:00"));
        assert!(!is_date_time("2013-10-18T25:00:00Z"));
        assert!(is_date_time("2016-12-31T23:59:60Z"));
        assert!(!is_date_time("2013-10-18T12:25:20.Z"));
        assert!(!is_date_time("2013-10-18T12:25:20:00Z"));
        assert!(!is_date_time("2013-10-18T12:2Z"));
        assert!(!is_date_time("2013-10-18T12:25+1:00"));
        assert!(!is_date_time("2013-10-18T12:25+01:60"));
        assert!(!is_date_time("2013-10-18T12:25+01:00 "));
        assert!(!is_date_time("2013-10-18T12:25:61Z"));
        assert!(!is_date_time("2013-10-18Té2:25Z"));
    }

    #[test]
    fn periods_follow_iso_8601() {
        for ok in ["P3M15D", "P1Y", "PT36H", "P1DT12H", "P2W"] {
            assert!(is_period(ok), "{ok}");
        }
        for bad in ["P", "PT", "3M", "P15D3M", "PM", "P1H", "P1DT"] {
            assert!(!is_period(bad), "{bad}");
        }
    }

    #[test]
    fn days_become_calendar_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_737), (2024, 1, 15));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(today().len(), 10);
    }
}
