//! `sequra-sandbox`: the seQura Orders API on 127.0.0.1, for tests and the
//! demo.
//!
//! It is the other side of the wire, written from the API documents: it
//! never imports the client library, reads requests as JSON values and
//! applies the server's rules itself, so a mistake in the client cannot
//! hide behind the same mistake here. State lives in memory, one sandbox
//! per test.
//!
//! Layout: `server` is the HTTP plumbing and routing, one module per
//! remote API holds its endpoints and state (`sequra_orders`, `pos`,
//! `checkout_com`, `paysera`), `notify`
//! sends what the services POST back to the shop; `codec` and `diff` are
//! small helpers they share.

mod checkout_com;
mod codec;
mod diff;
mod ids;
mod notify;
mod paysera;
mod pos;
mod sequra_orders;
mod server;

pub use checkout_com::{
    CHECKOUT_COM_CLIENT_ID, CHECKOUT_COM_CLIENT_SECRET, CHECKOUT_COM_PROCESSING_CHANNEL_ID,
    CHECKOUT_COM_SECRET_KEY, CHECKOUT_COM_WEBHOOK_SECRET,
};
use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;

pub use paysera::{
    PAYSERA_BUSINESS_ID, PAYSERA_MAC_ID, PAYSERA_MAC_SECRET, PAYSERA_MAC_WINDOW_SECONDS,
};

pub const DEFAULT_MERCHANT: &str = "demo";
pub const DEFAULT_USERNAME: &str = "demo";
pub const DEFAULT_PASSWORD: &str = "demo-password";

/// The account the sandbox accepts.
#[derive(Clone)]
pub struct SandboxOptions {
    pub merchant: String,
    pub username: String,
    pub password: String,
}

impl Default for SandboxOptions {
    fn default() -> Self {
        SandboxOptions {
            merchant: DEFAULT_MERCHANT.into(),
            username: DEFAULT_USERNAME.into(),
            password: DEFAULT_PASSWORD.into(),
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
            .finish()
    }
}

/// Requests are served by this many threads, so a slow request (an
/// approval waiting for the shop) never blocks the others.
const WORKERS: usize = 4;

/// What every request handler shares: the configuration, which never
/// changes, and each API's state, which locks itself.
pub(crate) struct Context {
    options: SandboxOptions,
    /// `http://127.0.0.1:PORT`, the base of every URL the sandbox hands out.
    url: String,
    log_requests: AtomicBool,
    sequra_orders: sequra_orders::Orders,
    pos: pos::State,
    checkout_com: checkout_com::State,
    paysera: paysera::State,
}

/// A running sandbox; it stops when dropped.
pub struct Sandbox {
    port: u16,
    context: Arc<Context>,
    server: Arc<tiny_http::Server>,
    workers: Vec<JoinHandle<()>>,
}

impl Sandbox {
    /// Starts on a free port of 127.0.0.1.
    pub fn start(options: SandboxOptions) -> std::io::Result<Sandbox> {
        Sandbox::start_on(0, options)
    }

    /// Starts on `port` of 127.0.0.1 (0 for a free one).
    pub fn start_on(port: u16, options: SandboxOptions) -> std::io::Result<Sandbox> {
        let server = tiny_http::Server::http(("127.0.0.1", port)).map_err(std::io::Error::other)?;
        let port = server
            .server_addr()
            .to_ip()
            .map(|address| address.port())
            .ok_or_else(|| std::io::Error::other("the sandbox is not listening on TCP"))?;
        let server = Arc::new(server);
        let context = Arc::new(Context {
            options,
            url: format!("http://127.0.0.1:{port}"),
            log_requests: AtomicBool::new(false),
            sequra_orders: Default::default(),
            pos: Default::default(),
            checkout_com: Default::default(),
            paysera: Default::default(),
        });
        let workers = (0..WORKERS)
            .map(|_| {
                let server = Arc::clone(&server);
                let context = Arc::clone(&context);
                // recv() fails once stop() unblocks it (or the listener
                // died, when there is nothing left to serve either).
                std::thread::spawn(move || {
                    while let Ok(request) = server.recv() {
                        server::serve(request, &context);
                    }
                })
            })
            .collect();
        Ok(Sandbox {
            port,
            context,
            server,
            workers,
        })
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn url(&self) -> &str {
        &self.context.url
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Logs one line per request to stderr (method, path, status; never
    /// headers, query strings or bodies). Off by default; the binary turns
    /// it on.
    pub fn log_requests(&self, on: bool) {
        self.context.log_requests.store(on, Ordering::Relaxed);
    }

    /// Stops serving and waits for the workers; dropping does the same.
    pub fn stop(self) {}
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        // Each unblock() wakes one recv(), now or the next time it is
        // called, so one per worker ends them all.
        for _ in &self.workers {
            self.server.unblock();
        }
        for worker in self.workers.drain(..) {
            let _ = worker.join();
        }
    }
}
