//! `sequra-sandbox`: the seQura Orders API, seQura POS, checkout.com and
//! Paysera on 127.0.0.1, for tests and the demo.
//!
//! It is the other side of the wire, written from the API documents: it
//! never imports the client library, reads requests as JSON values and
//! applies the server's rules itself, so a mistake in the client cannot
//! hide behind the same mistake here. State lives in memory, one sandbox
//! per test.
//!
//! Layout: `connections` accepts and serves connections (TLS by `tls`),
//! `http1` reads requests and lays out answers, `server` takes a request
//! through the fault queue (`faults`) to the API that routes it; one
//! module per remote API holds its endpoints and state (`sequra_orders`,
//! `pos`, `checkout_com`, `paysera`); `control` has the control endpoints
//! they share and `stats` the counters; `notify` sends what the services
//! POST back to the shop; `codec`, `ids`, `paths` and `diff` are small
//! helpers.
//!
//! # HTTP and HTTPS
//!
//! Plain HTTP by default. With [`Tls::On`] ([`Sandbox::start_tls`], or
//! `sequra-sandbox --tls`) the sandbox makes a CA at start, serves a leaf
//! it signed for `127.0.0.1`, `::1` and `localhost`, and writes the CA's
//! PEM to a file ([`Sandbox::ca_file`], [`Sandbox::ca_pem`]).
//! [`Sandbox::url`] and every URL the sandbox hands out (Location headers,
//! redirect links, form URLs) then say `https`. The notifications it POSTs
//! to the shop go wherever the shop said, usually plain loopback HTTP.
//!
//! For a client's TLS failures: [`unrelated_ca_pem`] is a CA that signed
//! nothing the sandbox serves, and [`Tls::BadName`] (`--tls-bad-name`)
//! serves a leaf, signed by the sandbox's CA, that names only
//! `not-the-sandbox.invalid`.
//!
//! On the wire: every socket has TCP_NODELAY, every answer (status line,
//! headers, body) leaves in one write, connections are kept alive (HTTP
//! and HTTPS), each served by a thread of its own. Bodies over 1 MiB are
//! refused with 413.
//!
//! # Control API
//!
//! The control endpoints every API shares (faults, request counts,
//! counters, TLS material) are described, with an example per fault, in
//! `docs/sandbox.md` ("Faults and counters"), where a PHP or C developer
//! finds them.
//!
//! # From Rust
//!
//! ```no_run
//! use sequra_sandbox::{Fault, FaultKind, Sandbox, SandboxOptions};
//!
//! let sandbox = Sandbox::start_tls(SandboxOptions::default()).unwrap();
//! // The next POST /orders is handled, then its answer is lost.
//! sandbox
//!     .queue_fault(Fault::new("POST", "/orders", FaultKind::Reset).after())
//!     .unwrap();
//! // ... the client under test POSTs /orders with sandbox.ca_pem() ...
//! assert_eq!(sandbox.requests("POST", "/orders"), 1);
//! assert_eq!(sandbox.stats().tls_full_handshakes, 1);
//! ```

mod checkout_com;
mod codec;
mod connections;
mod control;
mod diff;
mod faults;
mod http1;
mod ids;
mod notify;
mod paths;
mod paysera;
mod pos;
mod sequra_orders;
mod server;
mod stats;
mod tls;

pub use checkout_com::{
    CHECKOUT_COM_CLIENT_ID, CHECKOUT_COM_CLIENT_SECRET, CHECKOUT_COM_PROCESSING_CHANNEL_ID,
    CHECKOUT_COM_SECRET_KEY, CHECKOUT_COM_WEBHOOK_SECRET,
};
pub use faults::{Fault, FaultKind, InvalidFault, When, MAX_COUNT, MAX_HOLD_MS, MAX_HUGE_BODY};
pub use http1::MAX_BODY;
pub use paths::PathMatch;
pub use paysera::{
    PAYSERA_BUSINESS_ID, PAYSERA_MAC_ID, PAYSERA_MAC_SECRET, PAYSERA_MAC_WINDOW_SECONDS,
};
pub use stats::Stats;
pub use tls::{unrelated_ca_pem, Tls};

use std::fmt;
use std::fs::OpenOptions;
use std::io::{self, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

pub const DEFAULT_MERCHANT: &str = "demo";
pub const DEFAULT_USERNAME: &str = "demo";
pub const DEFAULT_PASSWORD: &str = "demo-password";

/// The account the sandbox accepts, and how it speaks.
#[derive(Clone)]
pub struct SandboxOptions {
    pub merchant: String,
    pub username: String,
    pub password: String,
    /// Plain HTTP unless asked.
    pub tls: Tls,
    /// Where to write the CA's PEM when serving HTTPS; `None`: a new file
    /// in the temp dir, removed when the sandbox stops (a file named here
    /// stays).
    pub ca_file: Option<PathBuf>,
}

impl Default for SandboxOptions {
    fn default() -> Self {
        SandboxOptions {
            merchant: DEFAULT_MERCHANT.into(),
            username: DEFAULT_USERNAME.into(),
            password: DEFAULT_PASSWORD.into(),
            tls: Tls::Off,
            ca_file: None,
        }
    }
}

/// Never prints the password.
impl fmt::Debug for SandboxOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SandboxOptions")
            .field("merchant", &self.merchant)
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .field("tls", &self.tls)
            .field("ca_file", &self.ca_file)
            .finish()
    }
}

/// What HTTPS serves with.
pub(crate) struct Served {
    mode: Tls,
    ca_pem: String,
    ca_file: PathBuf,
}

/// What every request handler shares: the configuration, which never
/// changes, and each API's state, which locks itself.
pub(crate) struct Context {
    options: SandboxOptions,
    /// `http(s)://127.0.0.1:PORT`, the base of every URL the sandbox hands
    /// out.
    url: String,
    tls: Option<Served>,
    log_requests: AtomicBool,
    faults: faults::Queue,
    counters: stats::Counters,
    stop: connections::Stop,
    sequra_orders: sequra_orders::Orders,
    pos: pos::State,
    checkout_com: checkout_com::State,
    paysera: paysera::State,
}

/// A running sandbox; it stops when dropped.
pub struct Sandbox {
    port: u16,
    context: Arc<Context>,
    /// A CA file the sandbox chose itself, removed when it stops.
    own_ca_file: Option<PathBuf>,
    // Last: dropping it stops the connections.
    _listener: connections::Listener,
}

impl Sandbox {
    /// Starts on a free port of 127.0.0.1.
    pub fn start(options: SandboxOptions) -> io::Result<Sandbox> {
        Sandbox::start_on(0, options)
    }

    /// Starts serving HTTPS ([`Tls::On`], unless `options` say
    /// [`Tls::BadName`]) on a free port of 127.0.0.1.
    pub fn start_tls(options: SandboxOptions) -> io::Result<Sandbox> {
        let tls = match options.tls {
            Tls::Off => Tls::On,
            other => other,
        };
        Sandbox::start(SandboxOptions { tls, ..options })
    }

    /// Starts on `port` of 127.0.0.1 (0 for a free one).
    pub fn start_on(port: u16, options: SandboxOptions) -> io::Result<Sandbox> {
        let listener = TcpListener::bind(("127.0.0.1", port))?;
        let port = listener.local_addr()?.port();
        let (served, config, own_ca_file) = match options.tls {
            Tls::Off => (None, None, None),
            mode => {
                let authority = tls::Authority::new(mode).map_err(io::Error::other)?;
                let (ca_file, own) = write_ca(&authority.ca_pem, options.ca_file.as_deref(), port)?;
                let served = Served {
                    mode,
                    ca_pem: authority.ca_pem,
                    ca_file: ca_file.clone(),
                };
                (Some(served), Some(authority.config), own.then_some(ca_file))
            }
        };
        let scheme = if served.is_some() { "https" } else { "http" };
        let context = Arc::new(Context {
            options,
            url: format!("{scheme}://127.0.0.1:{port}"),
            tls: served,
            log_requests: AtomicBool::new(false),
            faults: Default::default(),
            counters: Default::default(),
            stop: Default::default(),
            sequra_orders: Default::default(),
            pos: Default::default(),
            checkout_com: Default::default(),
            paysera: Default::default(),
        });
        let listener = match connections::Listener::start(listener, Arc::clone(&context), config) {
            Ok(listener) => listener,
            Err(e) => {
                if let Some(path) = &own_ca_file {
                    let _ = std::fs::remove_file(path);
                }
                return Err(e);
            }
        };
        Ok(Sandbox {
            port,
            context,
            own_ca_file,
            _listener: listener,
        })
    }

    /// `http://127.0.0.1:PORT` (`https://` with TLS), without a trailing
    /// slash.
    pub fn url(&self) -> &str {
        &self.context.url
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The PEM of the CA that signed the sandbox's certificate; `None`
    /// without TLS.
    pub fn ca_pem(&self) -> Option<&str> {
        self.context.tls.as_ref().map(|s| s.ca_pem.as_str())
    }

    /// The file that holds [`Sandbox::ca_pem`]; `None` without TLS.
    pub fn ca_file(&self) -> Option<&Path> {
        self.context.tls.as_ref().map(|s| s.ca_file.as_path())
    }

    /// The counters since the start (as `GET /sandbox/stats`).
    pub fn stats(&self) -> Stats {
        self.context.counters.snapshot()
    }

    /// Queues `fault` (as `POST /sandbox/faults`).
    pub fn queue_fault(&self, fault: Fault) -> Result<(), InvalidFault> {
        self.context.faults.push(fault).map(|_| ())
    }

    /// The faults still queued, `count` being what is left of each.
    pub fn pending_faults(&self) -> Vec<Fault> {
        self.context.faults.pending()
    }

    /// Forgets every queued fault; answers how many there were.
    pub fn clear_faults(&self) -> usize {
        self.context.faults.clear()
    }

    /// How many `method` requests on exactly `path` reached the API (as
    /// `GET /sandbox/requests`).
    pub fn requests(&self, method: &str, path: &str) -> u64 {
        self.requests_matching(Some(method), &PathMatch::Exact(path.into()))
    }

    /// How many requests reached the API with `method` (`None`: any) on a
    /// path `path` matches.
    pub fn requests_matching(&self, method: Option<&str>, path: &PathMatch) -> u64 {
        self.context.counters.reached(method, path)
    }

    /// Logs one line per request to stderr (method, path, status or
    /// fault; never headers, query strings or bodies). Off by default; the
    /// binary turns it on.
    pub fn log_requests(&self, on: bool) {
        self.context.log_requests.store(on, Ordering::Relaxed);
    }

    /// Stops serving and waits for the connections; dropping does the
    /// same.
    pub fn stop(self) {}
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(path) = &self.own_ca_file {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Writes the CA's PEM to `path`, or to a new file in the temp dir;
/// answers where, and whether the sandbox chose the file.
fn write_ca(pem: &str, path: Option<&Path>, port: u16) -> io::Result<(PathBuf, bool)> {
    let annotate = |path: &Path, e: io::Error| {
        io::Error::new(
            e.kind(),
            format!("cannot write the CA to {}: {e}", path.display()),
        )
    };
    if let Some(path) = path {
        std::fs::write(path, pem).map_err(|e| annotate(path, e))?;
        return Ok((path.to_path_buf(), false));
    }
    let tag: String = ids::random::<6>()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let path = std::env::temp_dir().join(format!(
        "sequra-sandbox-ca-{}-{port}-{tag}.pem",
        std::process::id()
    ));
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .and_then(|mut file| file.write_all(pem.as_bytes()))
        .map_err(|e| annotate(&path, e))?;
    Ok((path, true))
}
