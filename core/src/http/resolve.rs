//! Host names to addresses without a thread per call.
//!
//! ureq's own resolver starts a thread for every request that has a
//! timeout, even for `127.0.0.1` and even on a pooled connection. This one:
//! - an IP literal is its own address, and `localhost` is loopback
//!   (`127.0.0.1`, `::1`) without asking anyone, so plain http to
//!   loopback, which the endpoint check allows, cannot be sent elsewhere
//!   by `/etc/hosts`;
//! - a host name resolved in the last [`TTL`] is answered from a cache;
//! - any other name is looked up by a thread of its own, started on a
//!   miss, while callers of that name wait for it at most their connect
//!   timeout: a name whose lookup hangs holds up no other name. A lookup
//!   that outlives its caller still fills the cache for the next one.
//!
//! So a process that only calls IP literals or loopback starts no thread
//! at all, and one that calls a named host starts one a [`TTL`] at most.

use super::few::Few;
use super::fork::ForkLock;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender};
use std::sync::{MutexGuard, OnceLock};
use std::time::{Duration, Instant};
use ureq::config::Config;
use ureq::http::uri::Authority;
use ureq::http::Uri;
use ureq::unversioned::resolver::{ResolvedSocketAddrs, Resolver as UreqResolver};
use ureq::unversioned::transport::NextTimeout;

/// How long a looked-up address is used without asking again. Short: the
/// addresses of an API's load balancer change.
pub(crate) const TTL: Duration = Duration::from_secs(30);
/// Names kept at most; a full cache is emptied (these APIs use a handful).
const MAX_NAMES: usize = 64;

/// The resolver of every agent the transport builds.
#[derive(Debug, Default)]
pub(crate) struct Resolver {
    /// The last endpoint that needed no lookup (ureq asks before every
    /// call, pooled connection or not, and an agent calls one endpoint):
    /// https or not, its authority, its addresses.
    last_direct: ForkLock<Option<(bool, Authority, ResolvedSocketAddrs)>>,
}

impl UreqResolver for Resolver {
    fn resolve(
        &self,
        uri: &Uri,
        _config: &Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let authority = uri
            .authority()
            .ok_or_else(|| ureq::Error::BadUri("the URL has no host".into()))?;
        let https = uri.scheme_str() == Some("https");
        // (None, in a forked child whose parent held it: no memory then.)
        let last = || self.last_direct.lock();
        let remembered = last().and_then(|last| {
            let (_, _, addrs) = last
                .as_ref()
                .filter(|(was_https, was, _)| *was_https == https && was == authority)?;
            Some(addrs.clone())
        });
        if let Some(addrs) = remembered {
            return Ok(addrs);
        }
        let port = authority
            .port_u16()
            .or_else(|| match uri.scheme_str() {
                Some("https") => Some(443),
                Some("http") => Some(80),
                _ => None,
            })
            .ok_or_else(|| ureq::Error::BadUri("the URL has no port".into()))?;
        let host = authority.host();
        let mut addrs = self.empty();
        match direct(host) {
            Some(ips) => {
                for ip in ips.into_iter().flatten() {
                    addrs.push(SocketAddr::new(ip, port));
                }
                if let Some(mut last) = last() {
                    *last = Some((https, authority.clone(), addrs.clone()));
                }
            }
            None => {
                for addr in lookup(host, port, *timeout.after)? {
                    // Past the capacity (16), the rest are not tried.
                    if addrs.try_push(addr).is_err() {
                        break;
                    }
                }
            }
        }
        if addrs.is_empty() {
            return Err(ureq::Error::HostNotFound);
        }
        Ok(addrs)
    }
}

/// The addresses of a host that needs no lookup: an IP literal (IPv6 in
/// brackets) or `localhost`.
fn direct(host: &str) -> Option<[Option<IpAddr>; 2]> {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if let Ok(ip) = bare.parse::<IpAddr>() {
        return Some([Some(ip), None]);
    }
    if host.eq_ignore_ascii_case("localhost") {
        return Some([
            Some(IpAddr::V4(Ipv4Addr::LOCALHOST)),
            Some(IpAddr::V6(Ipv6Addr::LOCALHOST)),
        ]);
    }
    None
}

struct Cached {
    at: Instant,
    addrs: Vec<SocketAddr>,
}

/// The cache; `None` in a forked child whose parent held it at the fork
/// (the child then looks every name up).
fn cache() -> Option<MutexGuard<'static, Few<String, Cached>>> {
    static CACHE: OnceLock<ForkLock<Few<String, Cached>>> = OnceLock::new();
    CACHE.get_or_init(Default::default).lock()
}

fn cached(name: &str) -> Option<Vec<SocketAddr>> {
    let cache = cache()?;
    let entry = cache.get(name)?;
    (entry.at.elapsed() < TTL).then(|| entry.addrs.clone())
}

fn remember(name: String, addrs: Vec<SocketAddr>) {
    let Some(mut cache) = cache() else { return };
    if cache.len() >= MAX_NAMES {
        cache.clear();
    }
    cache.insert(
        name,
        Cached {
            at: Instant::now(),
            addrs,
        },
    );
}

/// A lookup's answer, for every caller that waits for it (an
/// `io::Error` cannot be cloned: its kind and text are kept).
type Answer = Result<Vec<SocketAddr>, (std::io::ErrorKind, String)>;

/// How a name is looked up: the system's resolver (a test gives another).
type Lookup = fn(&str) -> Answer;

fn system_lookup(name: &str) -> Answer {
    name.to_socket_addrs()
        .map(|addrs| addrs.collect())
        .map_err(|e| (e.kind(), e.to_string()))
}

/// A lookup in flight: who waits for it, and the fork generation that
/// started it (a forked child has the entry but not the thread).
struct Flight {
    generation: u64,
    waiters: Vec<SyncSender<Answer>>,
}

/// Names looked up at once, at most: each has a thread of its own while it
/// is looked up (these APIs use a handful of names, each looked up once a
/// [`TTL`]).
const MAX_FLIGHTS: usize = 16;

/// The lookups in flight; `None` in a forked child whose parent held them
/// at the fork (a lookup is then its caller's alone).
fn flights() -> Option<MutexGuard<'static, Few<String, Flight>>> {
    static FLIGHTS: OnceLock<ForkLock<Few<String, Flight>>> = OnceLock::new();
    FLIGHTS.get_or_init(Default::default).lock()
}

/// `host:port` from the cache, or looked up within `timeout`.
fn lookup(host: &str, port: u16, timeout: Duration) -> Result<Vec<SocketAddr>, ureq::Error> {
    lookup_with(format!("{host}:{port}"), timeout, system_lookup)
}

/// A name missing from the cache is looked up by a thread of its own, so a
/// name whose lookup hangs delays no other; callers of a name already being
/// looked up wait for that lookup. A lookup that outlives its callers
/// still fills the cache for the next one.
fn lookup_with(
    name: String,
    timeout: Duration,
    resolve: Lookup,
) -> Result<Vec<SocketAddr>, ureq::Error> {
    if let Some(addrs) = cached(&name) {
        return Ok(addrs);
    }
    let (reply, answer) = mpsc::sync_channel(1);
    {
        let generation = super::fork::generation();
        let Some(mut flights) = flights() else {
            spawn_lookup(move || {
                let _ = reply.try_send(resolve(&name));
            })?;
            return wait_for(&answer, timeout);
        };
        match flights.get_mut(&name) {
            Some(flight) if flight.generation == generation => flight.waiters.push(reply),
            _ => {
                // A parent's flights have no thread here.
                flights.retain(|_, flight| flight.generation == generation);
                if flights.len() >= MAX_FLIGHTS {
                    return Err(ureq::Error::Timeout(ureq::Timeout::Resolve));
                }
                let job = name.clone();
                spawn_lookup(move || fly(job, generation, resolve))?;
                flights.insert(
                    name,
                    Flight {
                        generation,
                        waiters: vec![reply],
                    },
                );
            }
        }
    }
    wait_for(&answer, timeout)
}

/// Starts the thread of a lookup.
fn spawn_lookup(lookup: impl FnOnce() + Send + 'static) -> Result<(), ureq::Error> {
    std::thread::Builder::new()
        .name("sequra-resolver".into())
        .spawn(lookup)
        .map(drop)
        .map_err(ureq::Error::Io)
}

/// A lookup's answer, waited for at most `timeout`.
fn wait_for(answer: &Receiver<Answer>, timeout: Duration) -> Result<Vec<SocketAddr>, ureq::Error> {
    match answer.recv_timeout(timeout) {
        Ok(Ok(addrs)) => Ok(addrs),
        Ok(Err((kind, text))) => Err(ureq::Error::Io(std::io::Error::new(kind, text))),
        Err(RecvTimeoutError::Timeout) => Err(ureq::Error::Timeout(ureq::Timeout::Resolve)),
        Err(RecvTimeoutError::Disconnected) => Err(ureq::Error::HostNotFound),
    }
}

/// Looks `name` up, remembers it, and tells everyone waiting for it.
fn fly(name: String, generation: u64, resolve: Lookup) {
    let answer = resolve(&name);
    if let Ok(addrs) = &answer {
        if !addrs.is_empty() {
            remember(name.clone(), addrs.clone());
        }
    }
    let flight = flights().and_then(|mut flights| match flights.get(&name) {
        Some(flight) if flight.generation == generation => flights.remove(&name),
        _ => None,
    });
    for waiter in flight.map(|f| f.waiters).unwrap_or_default() {
        // A caller may have stopped waiting.
        let _ = waiter.try_send(answer.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn literals_and_localhost_need_no_lookup() {
        assert_eq!(
            direct("127.0.0.1"),
            Some([Some(IpAddr::V4(Ipv4Addr::LOCALHOST)), None])
        );
        assert_eq!(
            direct("[::1]"),
            Some([Some(IpAddr::V6(Ipv6Addr::LOCALHOST)), None])
        );
        assert_eq!(
            direct("LocalHost").map(|a| a.iter().flatten().count()),
            Some(2)
        );
        assert_eq!(direct("example.com"), None);
        assert_eq!(direct("localhost.example.com"), None);
    }

    #[test]
    fn an_endpoint_asked_again_is_answered_alike_and_never_for_another_scheme_or_port() {
        let resolver = Resolver::default();
        let config = ureq::Agent::config_builder().build();
        let port = |url: &str| {
            let addrs = resolver
                .resolve(&url.parse().unwrap(), &config, NextTimeout::default())
                .unwrap();
            addrs.iter().map(|a| a.port()).collect::<Vec<_>>()
        };
        assert_eq!(port("http://127.0.0.1"), [80]);
        assert_eq!(port("http://127.0.0.1"), [80]);
        assert_eq!(port("https://127.0.0.1"), [443]);
        assert_eq!(port("https://127.0.0.1:8443"), [8443]);
        assert_eq!(port("https://localhost:8443"), [8443, 8443]);
        assert_eq!(port("https://127.0.0.1:8443"), [8443]);
    }

    #[test]
    fn a_name_is_looked_up_by_the_helper_then_cached() {
        // Not through `direct`: `localhost` is in every /etc/hosts.
        let name = "localhost:7";
        assert!(cached(name).is_none());
        let first = lookup("localhost", 7, Duration::from_secs(5)).unwrap();
        assert!(first.iter().all(|a| a.ip().is_loopback() && a.port() == 7));
        assert_eq!(cached(name), Some(first));
    }

    #[test]
    fn a_name_asked_again_within_the_ttl_is_not_looked_up_again() {
        static LOOKUPS: AtomicUsize = AtomicUsize::new(0);
        fn counted(name: &str) -> Answer {
            LOOKUPS.fetch_add(1, Ordering::Relaxed);
            test_dns(name)
        }
        for _ in 0..3 {
            lookup_with("again.test:9".into(), Duration::from_secs(5), counted).unwrap();
        }
        assert_eq!(LOOKUPS.load(Ordering::Relaxed), 1);
    }

    /// Answers `fast.test` at once and `slow.test` after two seconds.
    fn test_dns(name: &str) -> Answer {
        if name.starts_with("slow.test") {
            std::thread::sleep(Duration::from_secs(2));
        }
        Ok(vec![SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 9)])
    }

    #[test]
    fn a_name_whose_lookup_hangs_holds_up_no_other_name() {
        let slow = std::thread::spawn(|| {
            lookup_with("slow.test:9".into(), Duration::from_millis(100), test_dns)
        });
        std::thread::sleep(Duration::from_millis(20));
        let started = Instant::now();
        let fast = lookup_with("fast.test:9".into(), Duration::from_secs(1), test_dns);
        assert!(fast.is_ok(), "{fast:?}");
        assert!(started.elapsed() < Duration::from_millis(900));
        let slow = slow.join().unwrap();
        assert!(
            matches!(slow, Err(ureq::Error::Timeout(ureq::Timeout::Resolve))),
            "{slow:?}"
        );
    }

    #[test]
    fn callers_of_a_name_being_looked_up_wait_for_that_lookup() {
        let name = "slow.test:10";
        let callers: Vec<_> = (0..3)
            .map(|_| {
                std::thread::spawn(move || {
                    lookup_with(name.into(), Duration::from_secs(5), test_dns)
                })
            })
            .collect();
        for caller in callers {
            assert!(caller.join().unwrap().is_ok());
        }
        assert!(cached(name).is_some());
        assert!(flights().unwrap().get(name).is_none(), "the flight ended");
    }
}
