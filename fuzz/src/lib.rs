//! What every fuzz target checks of what the library answers: the
//! invariants of core/src/orders/payload/properties.rs and
//! c-api/src/hostile.rs, plus a clock for slow inputs.

use sequra::{Error, Problem};
use std::time::{Duration, Instant};

/// The longest a problem's path or message may be (properties.rs).
pub const MAX_MESSAGE: usize = 1_000;
/// The longest an error's text may be (c-api/src/hostile.rs, the bound of
/// `sq_last_error()`).
pub const MAX_ERROR: usize = 16 * 1024;
/// One input taking longer than this is a finding (quadratic behaviour).
pub const SLOW: Duration = Duration::from_millis(100);

/// Every problem has a path and a message, each bounded, and the list is
/// capped at `MAX_PROBLEMS` plus the one that counts the rest.
pub fn assert_bounded(problems: &[Problem]) {
    assert!(
        problems.len() <= sequra::orders::payload::MAX_PROBLEMS + 1,
        "{} problems",
        problems.len()
    );
    for problem in problems {
        assert!(!problem.path.is_empty(), "{problem:?}");
        assert!(!problem.message.is_empty(), "{problem:?}");
        assert!(
            problem.path.len() <= MAX_MESSAGE,
            "path of {} bytes",
            problem.path.len()
        );
        assert!(
            problem.message.len() <= MAX_MESSAGE,
            "message of {} bytes: {:?}",
            problem.message.len(),
            problem.message
        );
    }
}

/// An error's problems are bounded, and so are its text (which names the
/// first few), its `Debug` and its details (which hold them all); none of
/// them holds `secret` unless `input` already did (a caller's own bytes
/// quoted back are no leak).
pub fn assert_error(error: &Error, secret: &str, input: &[u8]) {
    assert_bounded(error.problems());
    let text = error.to_string();
    assert!(text.len() <= MAX_ERROR, "Display of {} bytes", text.len());
    let all = (sequra::orders::payload::MAX_PROBLEMS + 1) * 2 * MAX_MESSAGE + MAX_ERROR;
    let debug = format!("{error:?}");
    let details = error.details().to_string();
    for (what, shown) in [("Display", &text), ("Debug", &debug), ("details", &details)] {
        assert!(shown.len() <= all, "{what} of {} bytes", shown.len());
        assert_no_secret(what, shown, secret, input);
    }
}

/// `shown` does not hold `secret`, unless `input` does.
pub fn assert_no_secret(what: &str, shown: &str, secret: &str, input: &[u8]) {
    if shown.contains(secret) && !contains(input, secret.as_bytes()) {
        panic!("the secret shows in {what}: {shown}");
    }
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || haystack.windows(needle.len()).any(|w| w == needle)
}

/// Times the library's part of one input: dropped after it, it reports
/// one that took longer than [`SLOW`] on stderr (`SLOW-INPUT`, with the
/// input's length and the hex of its start) and keeps the whole input in
/// `artifacts/<target>/slow-<ms>-<length>`, so that a run lists them all.
pub struct Clock<'a> {
    target: &'static str,
    input: &'a [u8],
    started: Instant,
}

impl<'a> Clock<'a> {
    pub fn start(target: &'static str, input: &'a [u8]) -> Self {
        Clock {
            target,
            input,
            started: Instant::now(),
        }
    }
}

impl Drop for Clock<'_> {
    fn drop(&mut self) {
        let took = self.started.elapsed();
        if took > SLOW && !std::thread::panicking() {
            let head = &self.input[..self.input.len().min(64)];
            let hex: String = head.iter().map(|b| format!("{b:02x}")).collect();
            let ms = took.as_millis();
            let len = self.input.len();
            eprintln!("SLOW-INPUT {} {ms} ms {len} bytes {hex}", self.target);
            let dir = format!("artifacts/{}", self.target);
            let _ = std::fs::create_dir_all(&dir);
            let _ = std::fs::write(format!("{dir}/slow-{ms}-{len}"), self.input);
        }
    }
}
