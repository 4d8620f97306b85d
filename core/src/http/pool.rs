//! Connections: each transport's ureq agent (which keeps its own pool of
//! idle connections), and the per-process registry of shared agents that
//! persistent clients take theirs from.
//!
//! The registry is keyed by everything that must never be shared (see
//! `agent::pool_key`): a persistent client built with the same endpoint,
//! credentials, CA file, proxy, timeouts and user agent as an earlier one
//! gets the same agent, and so its idle connections, as PDO's persistent
//! connections outlive a PHP request. Idle connections close after
//! [`MAX_IDLE_AGE`] (checked when the agent is next used).
//!
//! A forked child never touches its parent's sockets: every agent
//! remembers the process that made it, and in a child the registry and
//! each transport forget the parent's agents (leaked on purpose: nothing
//! is closed and no TLS close_notify is written on a socket the parent
//! still uses) and make their own.

use super::failure;
use super::resolve::Resolver;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use ureq::unversioned::transport::{
    Buffers, ConnectProxyConnector, ConnectionDetails, Connector, NextTimeout, RustlsConnector,
    TcpConnector, Transport,
};

/// An idle connection older than this is closed rather than reused:
/// shorter than the usual server keep-alive (60 s and more), so the server
/// rarely closes one first.
pub(crate) const MAX_IDLE_AGE: Duration = Duration::from_secs(30);
/// Idle connections kept per agent (an agent serves one endpoint).
pub(crate) const MAX_IDLE_CONNECTIONS: usize = 4;
/// Shared agents kept at most; past this the least recently used is
/// dropped, closing its idle connections.
const MAX_SHARED_AGENTS: usize = 16;

/// What the per-process pool holds now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct PoolStats {
    /// Shared agents: distinct (endpoint, credentials, options) in use by
    /// persistent clients.
    pub agents: usize,
    /// Open connections of those agents, idle or in use.
    pub connections: usize,
}

/// Open connections of shared agents made by this process.
static OPEN: AtomicUsize = AtomicUsize::new(0);

/// The key of a shared agent: a SHA-256, never a secret itself.
pub(crate) type PoolKey = [u8; 32];

/// How to make a transport's agent.
struct Spec {
    config: ureq::config::Config,
    /// Whether the agent goes through a proxy (its connector tells the
    /// proxy's own connection from the endpoint's).
    proxied: bool,
    /// The registry key, for a persistent client.
    key: Option<PoolKey>,
}

impl Spec {
    fn agent(&self) -> ureq::Agent {
        match self.key {
            Some(key) => shared(key, || self.build(true)),
            None => self.build(false),
        }
    }

    fn build(&self, shared: bool) -> ureq::Agent {
        let connector =
            ().chain(ConnectProxyConnector::default())
                .chain(TcpConnector::default())
                .chain(RustlsConnector::default())
                .chain(Tracked {
                    shared,
                    proxied: self.proxied,
                });
        ureq::Agent::with_parts(self.config.clone(), connector, Resolver)
    }
}

/// A transport's agent: the one made in this process.
pub(crate) struct Agents {
    spec: Spec,
    current: Mutex<Current>,
}

struct Current {
    pid: u32,
    agent: ureq::Agent,
}

impl Agents {
    pub fn new(config: ureq::config::Config, proxied: bool, key: Option<PoolKey>) -> Agents {
        let spec = Spec {
            config,
            proxied,
            key,
        };
        let agent = spec.agent();
        Agents {
            spec,
            current: Mutex::new(Current {
                pid: std::process::id(),
                agent,
            }),
        }
    }

    /// The agent for this call; in a forked child, a new one.
    pub fn get(&self) -> ureq::Agent {
        let pid = std::process::id();
        // An agent is replaced whole, so a poisoned lock holds nothing torn.
        let mut current = self.current.lock().unwrap_or_else(|e| e.into_inner());
        if current.pid != pid {
            let parents = std::mem::replace(&mut current.agent, self.spec.agent());
            std::mem::forget(parents);
            current.pid = pid;
        }
        current.agent.clone()
    }
}

struct Entry {
    agent: ureq::Agent,
    used: Instant,
}

struct Registry {
    pid: u32,
    agents: HashMap<PoolKey, Entry>,
}

/// Runs `f` on the registry of this process; in a forked child, the
/// parent's agents are forgotten first.
fn with_registry<R>(f: impl FnOnce(&mut Registry) -> R) -> R {
    static REGISTRY: Mutex<Option<Registry>> = Mutex::new(None);
    // Entries are inserted and removed whole: a poisoned lock holds
    // nothing torn.
    let mut registry = REGISTRY.lock().unwrap_or_else(|e| e.into_inner());
    let pid = std::process::id();
    if registry.as_ref().is_some_and(|r| r.pid != pid) {
        std::mem::forget(registry.take());
        OPEN.store(0, Ordering::Relaxed);
    }
    let registry = registry.get_or_insert_with(|| Registry {
        pid,
        agents: HashMap::new(),
    });
    f(registry)
}

/// The shared agent of `key`, made with `build` the first time.
fn shared(key: PoolKey, build: impl FnOnce() -> ureq::Agent) -> ureq::Agent {
    with_registry(|registry| {
        let now = Instant::now();
        if let Some(entry) = registry.agents.get_mut(&key) {
            entry.used = now;
            return entry.agent.clone();
        }
        if registry.agents.len() >= MAX_SHARED_AGENTS {
            let oldest = registry
                .agents
                .iter()
                .min_by_key(|(_, entry)| entry.used)
                .map(|(key, _)| *key);
            if let Some(oldest) = oldest {
                registry.agents.remove(&oldest);
            }
        }
        let agent = build();
        registry.agents.insert(
            key,
            Entry {
                agent: agent.clone(),
                used: now,
            },
        );
        agent
    })
}

pub(crate) fn stats() -> PoolStats {
    with_registry(|registry| PoolStats {
        agents: registry.agents.len(),
        connections: OPEN.load(Ordering::Relaxed),
    })
}

/// The last connector of every chain: wraps the endpoint's connection to
/// trace each try ([`failure::Trace`]) and to count the shared agents'
/// connections.
#[derive(Debug)]
struct Tracked {
    shared: bool,
    proxied: bool,
}

impl<In: Transport> Connector<In> for Tracked {
    type Out = Box<dyn Transport>;

    fn connect(
        &self,
        details: &ConnectionDetails,
        chained: Option<In>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        let Some(transport) = chained else {
            return Ok(None);
        };
        // The connection to the proxy itself is made with the proxy taken
        // out of the configuration; it is traced as part of the tunnel.
        if self.proxied && details.config.proxy().is_none() {
            return Ok(Some(Box::new(transport)));
        }
        failure::connected();
        if self.shared {
            OPEN.fetch_add(1, Ordering::Relaxed);
        }
        Ok(Some(Box::new(Traced {
            inner: Box::new(transport),
            counted: self.shared.then(std::process::id),
        })))
    }
}

/// The endpoint's connection, traced.
#[derive(Debug)]
struct Traced {
    inner: Box<dyn Transport>,
    /// The process that counted it in [`OPEN`], if counted.
    counted: Option<u32>,
}

impl Transport for Traced {
    fn buffers(&mut self) -> &mut dyn Buffers {
        self.inner.buffers()
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        failure::wrote();
        self.inner.transmit_output(amount, timeout)
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        let progress = self.inner.await_input(timeout)?;
        if progress {
            failure::read();
        }
        Ok(progress)
    }

    fn is_open(&mut self) -> bool {
        self.inner.is_open()
    }

    fn is_tls(&self) -> bool {
        self.inner.is_tls()
    }
}

impl Drop for Traced {
    fn drop(&mut self) {
        // A parent's connection never counted in this process's total.
        if self.counted == Some(std::process::id()) {
            let _ = OPEN.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1));
        }
    }
}
