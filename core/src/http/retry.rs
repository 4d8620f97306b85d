//! When a try is worth another, and how long to wait first.
//!
//! A call has one deadline (the connection's `timeout`); every try and
//! every pause fits in it. A request that never reached the server may
//! always be sent again; one that may have reached it only when it is
//! safe to repeat ([`super::Request::retry_safe`]).

use super::failure::{Failure, Reach};
use super::response::Response;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use ureq::http::header;

/// At most this many tries of one request.
pub(crate) const MAX_ATTEMPTS: u32 = 3;
/// The first pause between tries; it doubles each time.
pub(crate) const FIRST_BACKOFF: Duration = Duration::from_millis(200);
/// A try is not started with less time than this left: it could not
/// finish.
pub(crate) const MIN_TRY: Duration = Duration::from_millis(100);
/// The longest Retry-After believed (and reported); more is garbage or a
/// unit mistake.
pub(crate) const MAX_RETRY_AFTER: Duration = Duration::from_secs(24 * 60 * 60);

/// Why a try is repeated, for the warning record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Why {
    /// 429, after its Retry-After (or the backoff).
    RateLimited,
    /// 502, 503 or 504.
    Unavailable,
    /// Nothing reached the server (connection refused, timed out...).
    NotSent,
    /// A pooled connection the server had closed; nothing was answered.
    StaleConnection,
    /// A pooled connection whose answer was not HTTP.
    GarbledConnection,
    /// The connection failed once the request was sent (reset, closed,
    /// the answer cut short).
    ConnectionLost,
}

impl Why {
    pub fn as_str(self) -> &'static str {
        match self {
            Why::RateLimited => "rate limited",
            Why::Unavailable => "server unavailable",
            Why::NotSent => "the request was not sent",
            Why::StaleConnection => "the server had closed the pooled connection",
            Why::GarbledConnection => "the pooled connection answered with bytes that are not HTTP",
            Why::ConnectionLost => "the connection failed before the whole answer came",
        }
    }
}

/// The pause `response` asks for before another try, if one may be made;
/// `pooled`: the try went out on a connection taken from the pool.
pub(crate) fn after_response(
    response: &Response,
    retry_safe: bool,
    pooled: bool,
    backoff: Duration,
) -> Option<(Duration, Why)> {
    // A 408 on a pooled connection: the server timed the idle connection
    // out as the request went out on it, and says it did not take the
    // request (RFC 9110, 15.5.9: the client may repeat it). A new
    // connection at once, as for one found closed; for a request that is
    // not safe to repeat, only when the server closes the connection with
    // it, as a server that timed it out does (15.5.9: it "SHOULD send the
    // close connection option"): a 408 on a connection kept open came from
    // a server that was not waiting for a request, and may have acted.
    if response.status == 408 && pooled && (retry_safe || closes(response)) {
        return Some((Duration::ZERO, Why::StaleConnection));
    }
    if !retry_safe {
        return None;
    }
    let why = match response.status {
        429 => Why::RateLimited,
        502..=504 => Why::Unavailable,
        _ => return None,
    };
    // What the server asks for, when it asks (a 503 may, as a 429 does),
    // but never less than the backoff: a date in the past or a 0 is no
    // reason to send again at once. A pause past the deadline is not
    // taken: the caller gets the answer at once.
    let asked = response
        .header("retry-after")
        .and_then(|v| retry_after(v, SystemTime::now()))
        .map(Duration::from_secs);
    Some((asked.map_or(backoff, |asked| asked.max(backoff)), why))
}

/// Whether the server closes the connection after `response`
/// (`Connection: close`).
pub(super) fn closes(response: &Response) -> bool {
    super::has_token(&response.headers, header::CONNECTION, "close")
}

/// The pause before another try after `failure`, if one may be made.
pub(crate) fn after_failure(
    failure: &Failure,
    retry_safe: bool,
    backoff: Duration,
) -> Option<(Duration, Why)> {
    match failure.reach {
        Reach::NotSent if failure.transient => Some((backoff, Why::NotSent)),
        // The server closed the connection while it sat in the pool: a new
        // one costs no wait.
        Reach::Stale if retry_safe => Some((Duration::ZERO, Why::StaleConnection)),
        // Bytes on a pooled connection that are no answer to this request
        // (a late second answer to an earlier one): a new connection at
        // once, as for one found closed.
        Reach::Garbled if retry_safe => Some((Duration::ZERO, Why::GarbledConnection)),
        // A request safe to repeat, after its connection failed once it
        // was sent: the server may have acted, and acting again is safe.
        Reach::MayHaveArrived if retry_safe && failure.transient => {
            Some((backoff, Why::ConnectionLost))
        }
        _ => None,
    }
}

/// Whether a pause and one more try fit before the deadline.
pub(crate) fn fits(pause: Duration, remaining: Duration) -> bool {
    pause
        .checked_add(MIN_TRY)
        .is_some_and(|needed| needed <= remaining)
}

/// A `Retry-After` value as whole seconds from `now`, capped at
/// [`MAX_RETRY_AFTER`]: delay-seconds (a fraction rounds up), or an
/// HTTP-date (a past one is 0). Anything else (negative, garbage, an
/// obsolete date format) is `None`: the caller waits its own backoff.
pub(crate) fn retry_after(value: &str, now: SystemTime) -> Option<u64> {
    let value = value.trim();
    let cap = MAX_RETRY_AFTER.as_secs();
    if let Some(seconds) = delay_seconds(value) {
        return Some(seconds.min(cap));
    }
    let at = http_date(value)?;
    let now = now.duration_since(UNIX_EPOCH).ok()?.as_secs();
    Some(at.saturating_sub(now).min(cap))
}

/// `120`, or leniently `1.5` (→ 2). Digits beyond any integer saturate.
fn delay_seconds(value: &str) -> Option<u64> {
    let (whole, fraction) = value.split_once('.').unwrap_or((value, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(fraction) {
        return None;
    }
    let seconds = whole.bytes().fold(0u64, |n, b| {
        n.saturating_mul(10).saturating_add(u64::from(b - b'0'))
    });
    let rounds_up = fraction.bytes().any(|b| b != b'0');
    Some(seconds.saturating_add(u64::from(rounds_up)))
}

/// An IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) as seconds since the
/// epoch.
fn http_date(value: &str) -> Option<u64> {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let mut parts = value.split(' ');
    let (_weekday, day, month, year, time, zone) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    if parts.next().is_some() || zone != "GMT" || day.len() != 2 || year.len() != 4 {
        return None;
    }
    let number = |s: &str| {
        s.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| s.parse::<u64>().ok())
            .flatten()
    };
    let day = number(day).filter(|d| (1..=31).contains(d))?;
    let month = MONTHS.iter().position(|m| *m == month)? as u64 + 1;
    let year = number(year).filter(|y| *y >= 1970)?;
    let mut clock = time.split(':');
    let (h, m, s) = (clock.next()?, clock.next()?, clock.next()?);
    if clock.next().is_some() || [h, m, s].iter().any(|p| p.len() != 2) {
        return None;
    }
    let (h, m, s) = (number(h)?, number(m)?, number(s)?);
    if h > 23 || m > 59 || s > 60 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    Some(days * 86_400 + h * 3_600 + m * 60 + s)
}

/// Days from 1970-01-01 to a date of the proleptic Gregorian calendar, for
/// years from 1970 (Howard Hinnant's algorithm).
fn days_from_civil(year: u64, month: u64, day: u64) -> u64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year / 400;
    let year_of_era = year - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(seconds)
    }

    #[test]
    fn retry_after_is_read_leniently_and_capped() {
        let now = at(1_000);
        let cap = MAX_RETRY_AFTER.as_secs();
        assert_eq!(retry_after("0", now), Some(0));
        assert_eq!(retry_after(" 120 ", now), Some(120));
        assert_eq!(retry_after("1.5", now), Some(2));
        assert_eq!(retry_after("2.0", now), Some(2));
        assert_eq!(retry_after("18446744073709551615", now), Some(cap));
        assert_eq!(retry_after(&"9".repeat(400), now), Some(cap));
        for bad in ["-5", "", ".5", "1e3", "soon", "1.5.2", "+3", "٣"] {
            assert_eq!(retry_after(bad, now), None, "{bad:?}");
        }
    }

    #[test]
    fn an_http_date_counts_from_now() {
        // 784111777 is Sun, 06 Nov 1994 08:49:37 GMT.
        let date = "Sun, 06 Nov 1994 08:49:37 GMT";
        assert_eq!(http_date(date), Some(784_111_777));
        assert_eq!(retry_after(date, at(784_111_770)), Some(7));
        assert_eq!(retry_after(date, at(784_111_999)), Some(0));
        assert_eq!(
            retry_after("Fri, 31 Dec 9999 23:59:59 GMT", at(0)),
            Some(MAX_RETRY_AFTER.as_secs())
        );
        assert_eq!(
            http_date("Thu, 29 Feb 2024 00:00:00 GMT"),
            Some(1_709_164_800)
        );
        for bad in [
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
            "Sun, 06 Nov 1994 08:49:37 CET",
            "Sun, 06 Xyz 1994 08:49:37 GMT",
            "Sun, 32 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 24:00:00 GMT",
        ] {
            assert_eq!(retry_after(bad, at(0)), None, "{bad:?}");
        }
    }

    #[test]
    fn a_lost_connection_is_tried_again_only_for_a_request_safe_to_repeat() {
        let failure = |reach, transient| Failure {
            error: crate::Error::Transport {
                message: "x".into(),
                may_have_acted: reach != Reach::NotSent,
                status: None,
                request_id: None,
            },
            reach,
            transient,
        };
        let backoff = FIRST_BACKOFF;
        let lost = failure(Reach::MayHaveArrived, true);
        assert_eq!(
            after_failure(&lost, true, backoff),
            Some((backoff, Why::ConnectionLost))
        );
        assert_eq!(after_failure(&lost, false, backoff), None);
        let refused_answer = failure(Reach::MayHaveArrived, false);
        assert_eq!(after_failure(&refused_answer, true, backoff), None);
    }

    #[test]
    fn a_pause_fits_only_with_time_for_a_try() {
        assert!(fits(Duration::from_millis(200), Duration::from_secs(1)));
        assert!(!fits(Duration::from_millis(950), Duration::from_secs(1)));
        assert!(!fits(Duration::MAX, Duration::from_secs(600)));
    }
}
