//! Connections: each transport's ureq agent (which keeps its own pool of
//! idle connections), and the per-process registry of shared agents that
//! persistent clients take theirs from.
//!
//! The registry is keyed by everything that must never be shared (see
//! `agent::pool_key`): a persistent client built with the same endpoint,
//! credentials, CA file, proxy, timeouts and user agent as an earlier one
//! gets the same agent, and so its idle connections, as PDO's persistent
//! connections outlive a PHP request. Idle connections close after
//! [`MAX_IDLE_AGE`] (checked when the agent is next used), and the
//! registry lets go of an agent no client has asked for in that time
//! (checked whenever it is read), so that the idle connections of an
//! endpoint no longer used do not wait, half closed, for the process to
//! end.
//!
//! A forked child never touches its parent's sockets: every agent
//! remembers the fork generation that made it ([`fork`]), and in a child
//! the registry and each transport park the parent's agents, never to be
//! dropped (no TLS close_notify is written on a connection the parent
//! still uses: [`fork::park`]), and make their own. The child's copies of the sockets
//! themselves were let go of as it was forked ([`fork`]), so the parent's
//! connections close when the parent closes them.
//!
//! Every agent connects with the same chain: a CONNECT proxy's tunnel if
//! one is set, else a TCP connection ([`socket`]), TLS for https
//! ([`tls`]), and the [`Traced`] wrapper.

use super::failure;
use super::few::Few;
use super::fork::{self, ForkLock};
use super::resolve::Resolver;
use super::socket::Tcp;
use super::tls::Tls;
use rustls::ClientConfig;
use serde::Serialize;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use ureq::unversioned::transport::{
    Buffers, ConnectProxyConnector, ConnectionDetails, Connector, NextTimeout, Transport,
};

/// An idle connection older than this is closed rather than reused:
/// shorter than the usual server keep-alive (60 s and more), so the server
/// rarely closes one first.
pub(crate) const MAX_IDLE_AGE: Duration = Duration::from_secs(30);
/// Idle connections kept per agent (an agent serves one endpoint).
pub(crate) const MAX_IDLE_CONNECTIONS: usize = 4;
/// Shared agents kept at most; past this the least recently used is
/// dropped, closing its idle connections. An agent is one set of
/// credentials at one endpoint: a marketplace's worker serving a few dozen
/// merchants in turn keeps each one's connection (16 were too few: every
/// merchant of 17 served in turn connected anew each time). An idle
/// connection holds about 120 KB (its buffers and TLS state), and agents
/// unused for [`MAX_IDLE_AGE`] are let go of anyway.
const MAX_SHARED_AGENTS: usize = 64;

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
    /// What TLS trusts.
    tls: Arc<ClientConfig>,
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
        let connector = ()
            .chain(ConnectProxyConnector::default())
            .chain(Tcp)
            .chain(Tls {
                config: self.tls.clone(),
            })
            .chain(Tracked {
                shared,
                proxied: self.proxied,
            });
        ureq::Agent::with_parts(self.config.clone(), connector, Resolver::default())
    }
}

/// A transport's agent: the one made in this process.
pub(crate) struct Agents {
    spec: Spec,
    current: ForkLock<Current>,
}

struct Current {
    /// The fork generation that made the agent.
    generation: u64,
    agent: ureq::Agent,
}

impl Agents {
    /// Whether the agent goes through a proxy.
    pub fn proxied(&self) -> bool {
        self.spec.proxied
    }

    pub fn new(
        config: ureq::config::Config,
        proxied: bool,
        tls: Arc<ClientConfig>,
        key: Option<PoolKey>,
    ) -> Agents {
        let spec = Spec {
            config,
            proxied,
            tls,
            key,
        };
        let generation = fork::generation();
        let agent = spec.agent();
        Agents {
            spec,
            current: ForkLock::new(Current { generation, agent }),
        }
    }

    /// The agent for this call; in a forked child, a new one.
    pub fn get(&self) -> ureq::Agent {
        let generation = fork::generation();
        let Some(mut current) = self.current.lock() else {
            // Held at the fork by a thread of the parent: an agent of this
            // call's own.
            return self.spec.agent();
        };
        if current.generation != generation {
            let parents = std::mem::replace(&mut current.agent, self.spec.agent());
            fork::park(parents);
            current.generation = generation;
        }
        current.agent.clone()
    }
}

struct Entry {
    agent: ureq::Agent,
    used: Instant,
}

struct Registry {
    generation: u64,
    agents: Few<PoolKey, Entry>,
}

/// Runs `f` on the registry of this process; in a forked child, the
/// parent's agents are parked first ([`fork::park`]).
fn with_registry<R>(f: impl FnOnce(&mut Registry) -> R) -> R {
    static REGISTRY: ForkLock<Option<Registry>> = ForkLock::new_static(None);
    let generation = fork::generation();
    let Some(mut registry) = REGISTRY.lock() else {
        // Held at the fork by a thread of the parent: this call shares
        // nothing.
        return f(&mut Registry {
            generation,
            agents: Few::new(),
        });
    };
    if registry
        .as_ref()
        .is_some_and(|r| r.generation != generation)
    {
        fork::park(registry.take());
        OPEN.store(0, Ordering::Relaxed);
    }
    let registry = registry.get_or_insert_with(|| Registry {
        generation,
        agents: Few::new(),
    });
    registry.sweep(Instant::now());
    f(registry)
}

impl Registry {
    /// Lets go of the agents no client asked for within [`MAX_IDLE_AGE`]
    /// before `now`: their idle connections are too old to be reused, and
    /// close once no client holds the agent either.
    fn sweep(&mut self, now: Instant) {
        self.agents
            .retain(|_, entry| now.saturating_duration_since(entry.used) < MAX_IDLE_AGE);
    }
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
            registry.agents.remove_least(|entry| entry.used);
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
/// trace each try ([`failure::Trace`]), to send a request's head with its
/// body, and to count the shared agents' connections.
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
        Ok(Some(Box::new(Traced::new(
            Box::new(transport),
            self.shared.then(fork::generation),
        ))))
    }
}

/// The endpoint's connection, traced.
///
/// ureq writes a request's head and then its body with two writes: two
/// system calls, and over TLS two records. The head is held back here
/// instead, and goes out with the body's first bytes in one write, or
/// alone just before the answer is awaited (a request without a body).
#[derive(Debug)]
struct Traced {
    inner: Box<dyn Transport>,
    /// The fork generation that counted it in [`OPEN`], if counted.
    counted: Option<u64>,
    /// The head held back, until the body or the wait for the answer.
    held: Vec<u8>,
    /// The next write starts a request: nothing was written since the
    /// last answer was awaited.
    starts_request: bool,
}

impl Traced {
    fn new(inner: Box<dyn Transport>, counted: Option<u64>) -> Traced {
        Traced {
            inner,
            counted,
            held: Vec::new(),
            starts_request: true,
        }
    }

    /// Sends the held head and the `amount` bytes after it in the output
    /// buffer, together when they fit the buffer.
    fn send(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        failure::sending();
        let held = self.held.len();
        if held == 0 {
            return self.inner.transmit_output(amount, timeout);
        }
        let output = self.inner.buffers().output();
        if held + amount <= output.len() {
            output.copy_within(..amount, held);
            output[..held].copy_from_slice(&self.held);
            self.held.clear();
            return self.inner.transmit_output(held + amount, timeout);
        }
        // A body chunk as large as the buffer: the head goes first.
        let chunk = output[..amount].to_vec();
        output[..held].copy_from_slice(&self.held);
        self.held.clear();
        self.inner.transmit_output(held, timeout)?;
        self.inner.buffers().output()[..amount].copy_from_slice(&chunk);
        self.inner.transmit_output(amount, timeout)
    }

    /// An answer is awaited: a head still held goes out now, and the next
    /// write starts another request.
    fn before_input(&mut self, timeout: NextTimeout) -> Result<(), ureq::Error> {
        self.starts_request = true;
        if self.held.is_empty() {
            return Ok(());
        }
        self.send(0, timeout)
    }
}

impl Transport for Traced {
    fn buffers(&mut self) -> &mut dyn Buffers {
        self.inner.buffers()
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        if std::mem::take(&mut self.starts_request) {
            let head = &self.inner.buffers().output()[..amount];
            self.held.clear();
            self.held.extend_from_slice(head);
            return Ok(());
        }
        self.send(amount, timeout)
    }

    fn maybe_await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        self.before_input(timeout)?;
        if self.inner.buffers().can_use_input() {
            return Ok(true);
        }
        self.await_input(timeout)
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        self.before_input(timeout)?;
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
        if self.counted == Some(fork::generation()) {
            let _ = OPEN.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;
    use ureq::unversioned::transport::LazyBuffers;

    /// A connection that records each write it is asked for.
    #[derive(Debug)]
    struct Writes {
        buffers: LazyBuffers,
        sent: std::sync::Arc<Mutex<Vec<Vec<u8>>>>,
    }

    impl Transport for Writes {
        fn buffers(&mut self) -> &mut dyn Buffers {
            &mut self.buffers
        }

        fn transmit_output(&mut self, amount: usize, _: NextTimeout) -> Result<(), ureq::Error> {
            let bytes = self.buffers.output()[..amount].to_vec();
            self.sent.lock().unwrap().push(bytes);
            Ok(())
        }

        fn await_input(&mut self, _: NextTimeout) -> Result<bool, ureq::Error> {
            let input = self.buffers.input_append_buf();
            input[..4].copy_from_slice(b"HTTP");
            self.buffers.input_appended(4);
            Ok(true)
        }

        fn is_open(&mut self) -> bool {
            true
        }
    }

    /// A traced connection with an output buffer of `size` bytes, and what
    /// it writes.
    fn traced(size: usize) -> (Traced, std::sync::Arc<Mutex<Vec<Vec<u8>>>>) {
        let sent = std::sync::Arc::default();
        let inner = Writes {
            buffers: LazyBuffers::new(64, size),
            sent: std::sync::Arc::clone(&sent),
        };
        (Traced::new(Box::new(inner), None), sent)
    }

    /// Writes `bytes` as ureq does: into the output buffer, then transmits.
    fn write(traced: &mut Traced, bytes: &[u8]) {
        traced.buffers().output()[..bytes.len()].copy_from_slice(bytes);
        traced
            .transmit_output(bytes.len(), NextTimeout::default())
            .unwrap();
    }

    fn writes(sent: &Mutex<Vec<Vec<u8>>>) -> Vec<String> {
        let sent = std::mem::take(&mut *sent.lock().unwrap());
        sent.iter()
            .map(|w| String::from_utf8_lossy(w).into_owned())
            .collect()
    }

    #[test]
    fn the_registry_lets_go_of_agents_no_client_asked_for_within_the_idle_age() {
        let start = Instant::now();
        let entry = |used| Entry {
            agent: ureq::Agent::new_with_defaults(),
            used,
        };
        let mut registry = Registry {
            generation: fork::generation(),
            agents: Few::new(),
        };
        registry.agents.insert([1; 32], entry(start));
        registry.agents.insert([2; 32], entry(start + MAX_IDLE_AGE));
        registry.sweep(start + MAX_IDLE_AGE - Duration::from_millis(1));
        assert_eq!(registry.agents.len(), 2);
        registry.sweep(start + MAX_IDLE_AGE);
        assert_eq!(registry.agents.keys().collect::<Vec<_>>(), [&[2; 32]]);
    }

    #[test]
    fn a_request_head_goes_out_with_its_body_in_one_write() {
        let (mut traced, sent) = traced(1024);
        write(&mut traced, b"POST /x HEAD\r\n\r\n");
        assert!(writes(&sent).is_empty(), "the head waits for the body");
        write(&mut traced, b"{\"body\":1}");
        assert_eq!(writes(&sent), ["POST /x HEAD\r\n\r\n{\"body\":1}"]);
        traced.maybe_await_input(NextTimeout::default()).unwrap();
        assert!(writes(&sent).is_empty());
        traced.buffers().input_consume(4);
        // The next request on the connection: a GET, its head alone, sent
        // when the answer is awaited.
        write(&mut traced, b"GET /y HEAD\r\n\r\n");
        assert!(writes(&sent).is_empty());
        traced.await_input(NextTimeout::default()).unwrap();
        assert_eq!(writes(&sent), ["GET /y HEAD\r\n\r\n"]);
    }

    #[test]
    fn a_body_that_fills_the_buffer_follows_its_head() {
        let (mut traced, sent) = traced(16);
        write(&mut traced, b"HEAD\r\n\r\n");
        write(&mut traced, b"0123456789abcdef");
        write(&mut traced, b"rest");
        assert_eq!(writes(&sent), ["HEAD\r\n\r\n", "0123456789abcdef", "rest"]);
    }
}
