//! Dates and durations as ISO 8601 writes them, read digit by digit
//! without parsing (the order validator reads many of them): the fixed
//! part of a date or a timestamp eight bytes at a time.
//!
//! Each takes the text's bytes: what they accept is ASCII, so text that is
//! not UTF-8 fails them without a UTF-8 check of its own.

/// `YYYY-MM-DD`, a real calendar day.
pub(crate) fn is_date(text: &(impl AsRef<[u8]> + ?Sized)) -> bool {
    let b = text.as_ref();
    if b.len() != 10 {
        return false;
    }
    // `YYYY-MM-` and `YY-MM-DD`.
    let (Some(head), Some(tail)) = (
        digits(word(b, 0), const { Pattern::new(b"dddd-dd-") }),
        digits(word(b, 2), const { Pattern::new(b"dd-dd-dd") }),
    ) else {
        return false;
    };
    is_day(year(head), number(head, 5), number(tail, 6))
}

/// `YYYY-MM-DDThh:mm[:ss[.fraction]]` and an offset: `Z`, `±hh:mm`, or
/// ISO 8601's shorter `±hhmm` (PHP's `DATE_ISO8601`, common in older
/// plugins) and `±hh`.
pub(crate) fn is_date_time(text: &(impl AsRef<[u8]> + ?Sized)) -> bool {
    let b = text.as_ref();
    // The shortest is `YYYY-MM-DDThh:mmZ`.
    if b.len() < 17 {
        return false;
    }
    // `YYYY-MM-` and `DDThh:mm`.
    let (Some(date), Some(time)) = (
        digits(word(b, 0), const { Pattern::new(b"dddd-dd-") }),
        digits(word(b, 8), const { Pattern::new(b"ddTdd:dd") }),
    ) else {
        return false;
    };
    if !is_day(year(date), number(date, 5), number(time, 0))
        || number(time, 3) > 23
        || number(time, 6) > 59
    {
        return false;
    }
    // Then :ss (60: a leap second), then a fraction, then the offset; read
    // from the rest's bytes, without an index to check.
    let within = |high: &u8, low: &u8, max: u32| pair(*high, *low).is_some_and(|n| n <= max);
    let mut rest = b.get(16..).unwrap_or_default();
    match rest {
        [b':', high, low, tail @ ..] if within(high, low, 60) => rest = tail,
        [b':', ..] => return false,
        _ => {}
    }
    if let [b'.', tail @ ..] = rest {
        let digits = tail.iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return false;
        }
        rest = tail.get(digits..).unwrap_or_default();
    }
    match rest {
        b"Z" => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] | [b'+' | b'-', h1, h2, m1, m2] => {
            within(h1, h2, 23) && within(m1, m2, 59)
        }
        [b'+' | b'-', h1, h2] => within(h1, h2, 23),
        _ => false,
    }
}

/// The number of two ASCII digits, if they are.
#[inline(always)]
fn pair(high: u8, low: u8) -> Option<u32> {
    let (high, low) = (high.wrapping_sub(b'0'), low.wrapping_sub(b'0'));
    (high < 10 && low < 10).then_some(u32::from(high) * 10 + u32::from(low))
}

/// Whether `day` is a day of `month` in `year`.
#[inline]
fn is_day(year: u32, month: u32, day: u32) -> bool {
    // (Whether the year is a leap year only for February.)
    let leap = || (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap() => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// The eight bytes of `b` from `at` (it has them), little-endian.
#[inline(always)]
fn word(b: &[u8], at: usize) -> u64 {
    b.get(at..)
        .and_then(<[u8]>::first_chunk::<8>)
        .map_or(u64::MAX, |chunk| u64::from_le_bytes(*chunk))
}

/// Eight bytes of a fixed form: `d` a digit, any other byte itself.
struct Pattern {
    /// 0xff in the bytes of digits.
    mask: u64,
    /// The other bytes.
    others: u64,
}

impl Pattern {
    const fn new(pattern: &[u8; 8]) -> Pattern {
        let mut mask = [0u8; 8];
        let mut others = [0u8; 8];
        let mut at = 0;
        while at < 8 {
            if pattern[at] == b'd' {
                mask[at] = 0xff;
            } else {
                others[at] = pattern[at];
            }
            at += 1;
        }
        Pattern {
            mask: u64::from_le_bytes(mask),
            others: u64::from_le_bytes(others),
        }
    }
}

/// `word` read against `pattern`: the digits' values in their bytes (0
/// elsewhere), or `None`.
#[inline(always)]
fn digits(word: u64, pattern: Pattern) -> Option<u64> {
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let Pattern { mask, others } = pattern;
    // A digit's byte becomes its value, 0 to 9; any other byte 10 or more.
    let values = word ^ (0x3030_3030_3030_3030 & mask);
    // A carry out of a byte only follows a byte that is itself wrong.
    let not_digits = (values.wrapping_add(0x7676_7676_7676_7676) | values) & HIGHS & mask;
    let not_others = (word ^ others) & !mask;
    (not_digits | not_others == 0).then_some(values & mask)
}

/// The two-digit number at byte `at` of `digits`.
#[inline(always)]
fn number(digits: u64, at: u32) -> u32 {
    let byte = |i: u32| ((digits >> (8 * i)) & 0xff) as u32;
    byte(at) * 10 + byte(at + 1)
}

/// The year, the first four digits.
#[inline(always)]
fn year(digits: u64) -> u32 {
    number(digits, 0) * 100 + number(digits, 2)
}

/// An ISO 8601 duration: `P[nY][nM][nW][nD][T[nH][nM][nS]]`, at least one part.
pub(crate) fn is_period(text: &(impl AsRef<[u8]> + ?Sized)) -> bool {
    let Some(rest) = text.as_ref().strip_prefix(b"P") else {
        return false;
    };
    if rest.ends_with(b"T") {
        return false;
    }
    let (date, time) = match rest.iter().position(|&c| c == b'T') {
        Some(t) => (&rest[..t], &rest[t + 1..]),
        None => (rest, &b""[..]),
    };
    let parts_ok = |part: &[u8], units: &[u8]| {
        let mut digits = 0;
        let mut last_unit = None;
        for &c in part {
            if c.is_ascii_digit() {
                digits += 1;
                continue;
            }
            let position = units.iter().position(|&u| u == c)?;
            if digits == 0 || last_unit.is_some_and(|l| position <= l) {
                return None;
            }
            last_unit = Some(position);
            digits = 0;
        }
        (digits == 0).then_some(last_unit.is_some())
    };
    match (parts_ok(date, b"YMWD"), parts_ok(time, b"HMS")) {
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
        assert!(is_date(b"2017-06-30"));
        assert!(is_date(b"2024-02-29"));
        assert!(!is_date(b"2023-02-29"));
        assert!(!is_date(b"2017-13-01"));
        assert!(!is_date(b"2017-6-30"));
        assert!(!is_date(b"30/06/2017"));
        assert!(is_date(b"2000-02-29"));
        assert!(!is_date(b"1900-02-29"));
        assert!(!is_date(b"2017-00-10"));
        assert!(!is_date(b"2017-06-00"));
        assert!(!is_date(b"2017-06-31"));
        assert!(!is_date(b"2017-06-3a"));
        assert!(!is_date("2017-0é-30".as_bytes()));
        assert!(!is_date(b"+017-06-30"));
    }

    #[test]
    fn timestamps_need_an_offset() {
        assert!(is_date_time(b"2017-06-30T13:50:00+02:00"));
        assert!(is_date_time(b"2013-10-18T12:25:20Z"));
        assert!(is_date_time(b"2013-10-18T12:25:20.123-05:00"));
        assert!(is_date_time(b"2013-10-18T12:25+01:00"));
        assert!(!is_date_time(b"2013-10-18T12:25:20"));
        assert!(!is_date_time(b"2013-10-18 12:25:20+01:00"));
        assert!(!is_date_time(b"2013-10-18T25:00:00Z"));
        assert!(is_date_time(b"2016-12-31T23:59:60Z"));
        assert!(!is_date_time(b"2013-10-18T12:25:20.Z"));
        assert!(!is_date_time(b"2013-10-18T12:25:20:00Z"));
        assert!(!is_date_time(b"2013-10-18T12:2Z"));
        assert!(!is_date_time(b"2013-10-18T12:25+1:00"));
        assert!(!is_date_time(b"2013-10-18T12:25+01:60"));
        assert!(!is_date_time(b"2013-10-18T12:25+01:00 "));
        assert!(!is_date_time(b"2013-10-18T12:25:61Z"));
        // ISO 8601's shorter offsets: PHP's DATE_ISO8601, and hours only.
        assert!(is_date_time(b"2013-10-18T12:25:20+0200"));
        assert!(is_date_time(b"2013-10-18T12:25:20-0530"));
        assert!(is_date_time(b"2013-10-18T12:25:20+02"));
        assert!(!is_date_time(b"2013-10-18T12:25:20+2400"));
        assert!(!is_date_time(b"2013-10-18T12:25:20+0260"));
        assert!(!is_date_time(b"2013-10-18T12:25:20+020"));
        assert!(!is_date_time(b"2013-10-18T12:25:20+2"));
        assert!(!is_date_time("2013-10-18Té2:25Z".as_bytes()));
    }

    #[test]
    fn every_byte_out_of_place_is_refused() {
        let date = *b"2016-02-29";
        let time = *b"2016-12-31T23:59:60.5+01:00";
        assert!(is_date(&date) && is_date_time(&time));
        for at in 0..date.len() {
            for c in 0..=255u8 {
                let mut text = date;
                text[at] = c;
                let digit_place = ![4, 7].contains(&at);
                let expected = if c == date[at] {
                    true
                } else if digit_place && c.is_ascii_digit() {
                    // Another digit: still a date when the day exists.
                    let s = std::str::from_utf8(&text).unwrap();
                    let (y, m, d) = (&s[..4], &s[5..7], &s[8..]);
                    let (y, m, d): (u32, u32, u32) =
                        (y.parse().unwrap(), m.parse().unwrap(), d.parse().unwrap());
                    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
                    let days = [
                        31,
                        if leap { 29 } else { 28 },
                        31,
                        30,
                        31,
                        30,
                        31,
                        31,
                        30,
                        31,
                        30,
                        31,
                    ];
                    (1..=12).contains(&m) && (1..=days[m as usize - 1]).contains(&d)
                } else {
                    false
                };
                assert_eq!(
                    is_date(&text),
                    expected,
                    "{:?}",
                    text.escape_ascii().to_string()
                );
            }
        }
        for at in 0..16 {
            for c in [b'/', b':', b'T', b' ', b'a', 0, 0x80, 0xff, b'-', b'9' + 1] {
                let mut text = time;
                if text[at] == c {
                    continue;
                }
                text[at] = c;
                assert!(
                    !is_date_time(&text),
                    "{:?}",
                    text.escape_ascii().to_string()
                );
            }
        }
    }

    #[test]
    fn periods_follow_iso_8601() {
        for ok in ["P3M15D", "P1Y", "PT36H", "P1DT12H", "P2W"] {
            assert!(is_period(ok.as_bytes()), "{ok}");
        }
        for bad in ["P", "PT", "3M", "P15D3M", "PM", "P1H", "P1DT"] {
            assert!(!is_period(bad.as_bytes()), "{bad}");
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
