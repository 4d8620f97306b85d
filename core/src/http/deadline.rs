//! One deadline per call, however many requests the call sends.
//!
//! A call of the library waits at most its client's `timeout`. Most calls
//! send one request, which [`super::Transport::send`] bounds; a few send
//! more (a POS cancel reads the order back, a Paysera action reads the
//! request after a lost answer, a checkout.com call fetches an OAuth token
//! and may send again with a new one). Each request's bound is the
//! earliest of its own `timeout` and the deadline of every call it is
//! part of on this thread, so the whole call fits in the first one's.

use std::cell::Cell;
use std::time::{Duration, Instant};

thread_local! {
    /// The deadline of the call this thread is in, if it is in one.
    static CALL: Cell<Option<Instant>> = const { Cell::new(None) };
}

/// Runs `f` as one call that may take `timeout`, with its deadline: the
/// earlier of that and the deadline of any call `f` runs inside, which is
/// also [`current`] while `f` runs.
pub(crate) fn within<R>(timeout: Duration, f: impl FnOnce(Instant) -> R) -> R {
    let now = Instant::now();
    // At most 600 s ahead (`Connection::check`): no overflow.
    let mine = now.checked_add(timeout).unwrap_or(now);
    let outer = CALL.get();
    let deadline = outer.map_or(mine, |outer| outer.min(mine));
    CALL.set(Some(deadline));
    // Put back as `f` ends, even by a panic (caught at a boundary).
    let _restore = Restore(outer);
    f(deadline)
}

/// Runs `f` outside any call: a logger that calls the library (the C
/// callback and a PHP logger may) makes calls of its own, each bounded by
/// its own client's `timeout`, not by the call that logged.
pub(crate) fn outside<R>(f: impl FnOnce() -> R) -> R {
    let _restore = Restore(CALL.replace(None));
    f()
}

/// The deadline of the call this thread is in.
pub(crate) fn current() -> Option<Instant> {
    CALL.get()
}

struct Restore(Option<Instant>);

impl Drop for Restore {
    fn drop(&mut self) {
        CALL.set(self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_call_inside_another_ends_no_later_than_it_and_the_outer_one_comes_back() {
        assert_eq!(current(), None);
        within(Duration::from_secs(1), |outer| {
            assert_eq!(current(), Some(outer));
            within(Duration::from_secs(60), |inner| {
                assert_eq!(inner, outer, "the earlier deadline");
            });
            within(Duration::from_millis(1), |inner| {
                assert!(inner < outer, "a shorter call ends first");
                assert_eq!(current(), Some(inner));
            });
            assert_eq!(current(), Some(outer));
        });
        assert_eq!(current(), None);
        let _ = std::panic::catch_unwind(|| within(Duration::from_secs(1), |_| panic!("cut")));
        assert_eq!(current(), None, "restored after a panic");
    }

    #[test]
    fn what_runs_outside_a_call_has_its_own_deadline_and_the_call_gets_its_back() {
        within(Duration::from_millis(1), |outer| {
            outside(|| {
                assert_eq!(current(), None);
                within(Duration::from_secs(60), |inner| assert!(inner > outer));
            });
            assert_eq!(current(), Some(outer));
        });
    }
}
