//! Host names to addresses without a thread per call.
//!
//! ureq's own resolver starts a thread for every request that has a
//! timeout, even for `127.0.0.1` and even on a pooled connection. This one:
//! - an IP literal is its own address, and `localhost` is loopback
//!   (`127.0.0.1`, `::1`) without asking anyone, so plain http to
//!   loopback, which the endpoint check allows, cannot be sent elsewhere
//!   by `/etc/hosts`;
//! - a host name resolved in the last [`TTL`] is answered from a cache;
//! - any other name is looked up by one helper thread per process
//!   (started on the first miss, started again in a forked child), and
//!   the caller waits at most its timeout for the answer. A lookup that
//!   outlives its caller still fills the cache for the next one.
//!
//! So a process that only calls IP literals or loopback starts no thread
//! at all, and one that calls a named host starts one, once.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender, SyncSender};
use std::sync::{Mutex, MutexGuard, OnceLock};
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
    last_direct: Mutex<Option<(bool, Authority, ResolvedSocketAddrs)>>,
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
        // Whole entries only: a poisoned lock holds nothing torn.
        let last = || self.last_direct.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, _, addrs)) = last()
            .as_ref()
            .filter(|(was_https, was, _)| *was_https == https && was == authority)
        {
            return Ok(addrs.clone());
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
                *last() = Some((https, authority.clone(), addrs.clone()));
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

fn cache() -> MutexGuard<'static, HashMap<String, Cached>> {
    static CACHE: OnceLock<Mutex<HashMap<String, Cached>>> = OnceLock::new();
    // A map of whole entries: a poisoned lock holds nothing torn.
    CACHE
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner())
}

fn cached(name: &str) -> Option<Vec<SocketAddr>> {
    let cache = cache();
    let entry = cache.get(name)?;
    (entry.at.elapsed() < TTL).then(|| entry.addrs.clone())
}

fn remember(name: String, addrs: Vec<SocketAddr>) {
    let mut cache = cache();
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

type Answer = std::io::Result<Vec<SocketAddr>>;

struct Job {
    name: String,
    reply: SyncSender<Answer>,
}

/// The helper thread's queue, and the fork generation that started it: a
/// forked child has the queue but not the thread.
struct Helper {
    generation: u64,
    jobs: Sender<Job>,
}

/// How many helper threads this process started (one, or none).
#[cfg(test)]
fn helpers_started() -> usize {
    HELPERS.load(std::sync::atomic::Ordering::Relaxed)
}

static HELPERS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

fn helper() -> Result<Sender<Job>, ureq::Error> {
    static HELPER: Mutex<Option<Helper>> = Mutex::new(None);
    let mut helper = HELPER.lock().unwrap_or_else(|e| e.into_inner());
    let generation = super::fork::generation();
    match helper.as_ref() {
        Some(h) if h.generation == generation => return Ok(h.jobs.clone()),
        // The parent's queue leads to no thread here; dropping it is only
        // a channel's memory, but nothing of the parent's is touched.
        Some(_) => std::mem::forget(helper.take()),
        None => {}
    }
    let (jobs, queue) = mpsc::channel::<Job>();
    std::thread::Builder::new()
        .name("sequra-resolver".into())
        .spawn(move || serve(queue))
        .map_err(ureq::Error::Io)?;
    HELPERS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    *helper = Some(Helper {
        generation,
        jobs: jobs.clone(),
    });
    Ok(jobs)
}

fn serve(queue: Receiver<Job>) {
    for job in queue {
        // A name another caller asked for meanwhile is already known.
        let answer = match cached(&job.name) {
            Some(addrs) => Ok(addrs),
            None => job.name.to_socket_addrs().map(|addrs| {
                let addrs: Vec<SocketAddr> = addrs.collect();
                if !addrs.is_empty() {
                    remember(job.name.clone(), addrs.clone());
                }
                addrs
            }),
        };
        // The caller may have stopped waiting.
        let _ = job.reply.send(answer);
    }
}

/// `host:port` from the cache, or from the helper within `timeout`.
fn lookup(host: &str, port: u16, timeout: Duration) -> Result<Vec<SocketAddr>, ureq::Error> {
    let name = format!("{host}:{port}");
    if let Some(addrs) = cached(&name) {
        return Ok(addrs);
    }
    let (reply, answer) = mpsc::sync_channel(1);
    helper()?
        .send(Job { name, reply })
        .map_err(|_| ureq::Error::HostNotFound)?;
    match answer.recv_timeout(timeout) {
        Ok(addrs) => Ok(addrs?),
        Err(RecvTimeoutError::Timeout) => Err(ureq::Error::Timeout(ureq::Timeout::Resolve)),
        Err(RecvTimeoutError::Disconnected) => Err(ureq::Error::HostNotFound),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(helpers_started(), 1);
    }
}
