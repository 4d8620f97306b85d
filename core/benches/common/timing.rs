//! How the benchmarks time a call: the best of several batches, so that
//! what a shared machine adds now and then does not count.

use std::time::{Duration, Instant};

/// The time of one call of `f`: the fastest of 7 batches of `batch` calls,
/// divided by `batch`.
pub fn per_call(batch: u32, mut f: impl FnMut()) -> Duration {
    (0..7)
        .map(|_| {
            let started = Instant::now();
            for _ in 0..batch {
                f();
            }
            started.elapsed()
        })
        .min()
        .unwrap_or_default()
        / batch.max(1)
}
