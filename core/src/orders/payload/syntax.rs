//! The text formats the order document uses: ISO 8601 dates, timestamps
//! and durations, currency and country codes, URLs.

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

/// Three capital letters, e.g. `EUR`.
pub(crate) fn is_currency(text: &str) -> bool {
    text.len() == 3 && text.bytes().all(|c| c.is_ascii_uppercase())
}

/// ISO 3166 alpha-2 or alpha-3, e.g. `ES` or `ESP`.
pub(crate) fn is_country(text: &str) -> bool {
    (2..=3).contains(&text.len()) && text.bytes().all(|c| c.is_ascii_uppercase())
}

/// An absolute http(s) URL with a host. Plain http is accepted only to a
/// loopback host (tests and the sandbox), and only http and https at all;
/// `https_only` is the document's "an HTTPS URL string".
pub(crate) fn is_url(text: &str, https_only: bool) -> bool {
    // The scheme is http or https, so the first "://" is right after it.
    let b = text.as_bytes();
    let (https, start) = if b.starts_with(b"https://") {
        (true, 8)
    } else if b.starts_with(b"http://") {
        (false, 7)
    } else {
        return false;
    };
    let rest = &b[start..];
    let end = start
        + rest
            .iter()
            .position(|c| matches!(c, b'/' | b'?' | b'#'))
            .unwrap_or(rest.len());
    // The host, without a port (digits after the last colon, maybe none).
    let authority = &b[start..end];
    let host_end = match authority.iter().rposition(|&c| c == b':') {
        Some(colon) if authority[colon + 1..].iter().all(u8::is_ascii_digit) => start + colon,
        _ => end,
    };
    // Whitespace: none among bytes from '!' up (most URLs), else ASCII
    // whitespace byte by byte and the rest (rare in a URL) by character.
    let ascii_space = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r');
    let space =
        !above_space(b) && (b.iter().any(ascii_space) || text.chars().any(char::is_whitespace));
    if host_end == start || space {
        return false;
    }
    // (The bounds are at ASCII bytes, so at characters.)
    https
        || !https_only
        || text
            .get(start..host_end)
            .is_some_and(crate::validate::url::is_loopback)
}

/// Whether every byte of `b` is from `!` to `~`: printable ASCII, no space.
/// Eight bytes at a time.
fn above_space(b: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let mut chunks = b.chunks_exact(8);
    let words_ok = chunks.by_ref().all(|chunk| {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(chunk);
        let w = u64::from_le_bytes(bytes);
        // A byte below 0x21, or above 0x7e (0x7f and up); a carry or borrow
        // only flags bytes above one that is itself flagged.
        let low = w.wrapping_sub(ONES * 0x21) & !w;
        let high = w.wrapping_add(ONES) | w;
        (low | high) & HIGHS == 0
    });
    words_ok
        && chunks
            .remainder()
            .iter()
            .all(|&c| (0x21..=0x7e).contains(&c))
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
    fn printable_ascii_is_told_from_everything_else() {
        assert!(above_space(b"https://my.shop.tld/a?b=c#d~!"));
        for at in 0..17 {
            for c in [b' ', b'\t', 0x0b, 0x7f, 0x80, 0xc3, 0xff, 0] {
                let mut text = b"https://my.shop.tl".to_vec();
                text[at] = c;
                assert!(!above_space(&text), "{c:#x} at {at}");
            }
        }
    }

    #[test]
    fn urls_are_https_or_loopback_http() {
        assert!(is_url("https://my.shop.tld/ipn", true));
        assert!(is_url("http://127.0.0.1:8080/ipn", true));
        assert!(!is_url("http://my.shop.tld/ipn", true));
        assert!(is_url("http://my.shop.tld/timeout", false));
        assert!(!is_url("my.shop.tld/ipn", false));
        assert!(!is_url("ftp://my.shop.tld", false));
        assert!(is_url("https://my.shop.tld:8443/ipn?x=1#y", true));
        assert!(is_url("http://localhost:8080", true));
        assert!(is_url("http://[::1]:8080/", true));
        assert!(!is_url("https:///path", false));
        assert!(!is_url("https://:443/path", false));
        assert!(!is_url("https://my shop.tld", false));
        assert!(!is_url("https://my.shop.tld/\u{a0}", false));
        assert!(!is_url("HTTPS://my.shop.tld", false));
    }
}
