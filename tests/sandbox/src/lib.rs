//! `sequra-sandbox`: the seQura Orders API on 127.0.0.1, for tests and the
//! demo.
//!
//! It is the other side of the wire, written from the API documents: it
//! never imports the client library, reads requests as JSON values and
//! applies the server's rules itself, so a mistake in the client cannot
//! hide behind the same mistake here. State lives in memory, one sandbox
//! per test.

mod http;
mod notify;
mod orders;

use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

pub const DEFAULT_MERCHANT: &str = "demo";
pub const DEFAULT_USERNAME: &str = "demo";
pub const DEFAULT_PASSWORD: &str = "demo-password";

/// The account the sandbox accepts.
#[derive(Debug, Clone)]
pub struct SandboxOptions {
    pub merchant: String,
    pub username: String,
    pub password: String,
    /// Log one line per request (method, path, status) to stderr; never
    /// headers or bodies.
    pub log_requests: bool,
}

impl Default for SandboxOptions {
    fn default() -> Self {
        SandboxOptions {
            merchant: DEFAULT_MERCHANT.into(),
            username: DEFAULT_USERNAME.into(),
            password: DEFAULT_PASSWORD.into(),
            log_requests: false,
        }
    }
}

/// Requests are served by this many threads, so a slow request or an
/// outgoing notification never blocks the others.
const WORKERS: usize = 4;

/// A running sandbox; it stops when dropped.
pub struct Sandbox {
    url: String,
    port: u16,
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
            .map(|a| a.port())
            .ok_or_else(|| std::io::Error::other("the sandbox is not listening on TCP"))?;
        let url = format!("http://127.0.0.1:{port}");
        let log = options.log_requests;
        let server = Arc::new(server);
        let state = Arc::new(Mutex::new(orders::State::new(options, url.clone())));
        let workers = (0..WORKERS)
            .map(|_| {
                let server = Arc::clone(&server);
                let state = Arc::clone(&state);
                std::thread::spawn(move || {
                    while let Ok(request) = server.recv() {
                        http::serve(request, &state, log);
                    }
                })
            })
            .collect();
        Ok(Sandbox {
            url,
            port,
            server,
            workers,
        })
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Stops serving and waits for the workers; dropping does the same.
    pub fn stop(self) {}
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        for _ in &self.workers {
            self.server.unblock();
        }
        for worker in self.workers.drain(..) {
            let _ = worker.join();
        }
    }
}
