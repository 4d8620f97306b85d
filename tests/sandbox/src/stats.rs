//! What benchmarks and pool tests count: connections accepted, TLS
//! handshakes (full and resumed), requests read, the time spent answering
//! them, and per route (method and path) the requests that reached an API.

use crate::paths::PathMatch;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

/// The sandbox's counters since it started.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// TCP connections accepted.
    pub connections: u64,
    /// TLS handshakes completed in full (no session resumed).
    pub tls_full_handshakes: u64,
    /// TLS handshakes completed by resuming an earlier session.
    pub tls_resumed_handshakes: u64,
    /// Requests read whole, whatever answered them (an API, a control
    /// endpoint, a fault, a refusal such as 413).
    pub requests: u64,
    /// Microseconds spent working out answers: the routes' own work, and
    /// what they wait for (a fault's delay, `approve?wait=true`), not
    /// reading requests or writing answers. A benchmark reports it so that
    /// the server's share of a client's time shows.
    pub serving_us: u64,
}

#[derive(Default)]
pub(crate) struct Counters {
    connections: AtomicU64,
    tls_full_handshakes: AtomicU64,
    tls_resumed_handshakes: AtomicU64,
    requests: AtomicU64,
    serving_ns: AtomicU64,
    /// Requests that reached an API (no `before` fault took them), by
    /// method and path.
    routes: Mutex<HashMap<(String, String), u64>>,
}

impl Counters {
    pub fn connection(&self) {
        self.connections.fetch_add(1, Ordering::Relaxed);
    }

    pub fn handshake(&self, resumed: bool) {
        let counter = if resumed {
            &self.tls_resumed_handshakes
        } else {
            &self.tls_full_handshakes
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    pub fn request(&self) {
        self.requests.fetch_add(1, Ordering::Relaxed);
    }

    /// A request's answer took `took` to work out.
    pub fn served(&self, took: Duration) {
        let nanos = u64::try_from(took.as_nanos()).unwrap_or(u64::MAX);
        self.serving_ns.fetch_add(nanos, Ordering::Relaxed);
    }

    /// `path` is counted as routing sees it: without the query string and
    /// a trailing slash.
    pub fn reached_api(&self, method: &str, path: &str) {
        *self
            .lock_routes()
            .entry((
                method.to_string(),
                crate::paths::normalize(path).to_string(),
            ))
            .or_default() += 1;
    }

    pub fn snapshot(&self) -> Stats {
        Stats {
            connections: self.connections.load(Ordering::Relaxed),
            tls_full_handshakes: self.tls_full_handshakes.load(Ordering::Relaxed),
            tls_resumed_handshakes: self.tls_resumed_handshakes.load(Ordering::Relaxed),
            requests: self.requests.load(Ordering::Relaxed),
            serving_us: self.serving_ns.load(Ordering::Relaxed) / 1000,
        }
    }

    /// Requests that reached an API with `method` (any, when `None`) on a
    /// path that `path` matches.
    pub fn reached(&self, method: Option<&str>, path: &PathMatch) -> u64 {
        self.lock_routes()
            .iter()
            .filter(|((m, p), _)| method.is_none_or(|method| method == m) && path.matches(p))
            .map(|(_, count)| count)
            .sum()
    }

    fn lock_routes(&self) -> MutexGuard<'_, HashMap<(String, String), u64>> {
        // Counting never panics while holding the lock; recover anyway.
        self.routes.lock().unwrap_or_else(|e| e.into_inner())
    }
}
