//! Small loopback servers for the transport's tests: HTTP/1.1 over plain
//! TCP or TLS, answering each request as a script says, and counting what
//! they accepted and read.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One request as the server read it.
#[derive(Debug, Clone)]
pub struct Seen {
    /// Which accepted connection carried it, from 0.
    pub connection: usize,
    pub method: String,
    /// The request target, query included.
    pub target: String,
    /// The header lines, as sent.
    pub head: String,
    pub body: Vec<u8>,
}

/// What the server does with a request.
pub enum Reply {
    /// Writes these bytes (a whole response) and keeps the connection.
    Send(Vec<u8>),
    /// Writes these bytes, then closes the connection.
    SendThenClose(Vec<u8>),
    /// Closes the connection without answering.
    Close,
    /// Writes `head`, then up to `body` bytes of garbage, as long as the
    /// client reads them; then closes.
    Flood { head: Vec<u8>, body: usize },
    /// Writes these bytes and, over TLS, a close_notify, leaving the TCP
    /// connection open (as some servers do) until the client closes it.
    SendThenCloseNotify(Vec<u8>),
}

/// A stream the server can end its TLS session on.
trait Notify: Read + Write {
    /// Writes `bytes` and a TLS close_notify in one go, as a server that
    /// ends the session with its answer does (over plain TCP, `bytes`).
    fn send_then_close_notify(&mut self, bytes: &[u8]) {
        let _ = self.write_all(bytes).and_then(|_| self.flush());
    }
}

impl Notify for std::net::TcpStream {}

impl Notify for rustls::StreamOwned<rustls::ServerConnection, std::net::TcpStream> {
    fn send_then_close_notify(&mut self, bytes: &[u8]) {
        let _ = self.conn.writer().write_all(bytes);
        self.conn.send_close_notify();
        let _ = self.flush();
    }
}

type Script = dyn Fn(&Seen, usize) -> Reply + Send + Sync;

#[derive(Default)]
struct Log {
    connections: usize,
    requests: Vec<Seen>,
    flooded: usize,
}

/// A server on `127.0.0.1`, running until the test process ends.
pub struct Server {
    port: u16,
    scheme: &'static str,
    log: Arc<Mutex<Log>>,
}

impl Server {
    /// Plain HTTP; `script` gets each request and the number of requests
    /// before it.
    pub fn start(script: impl Fn(&Seen, usize) -> Reply + Send + Sync + 'static) -> Server {
        Server::spawn(None, Arc::new(script))
    }

    /// HTTPS with `config`.
    pub fn start_tls(
        config: Arc<rustls::ServerConfig>,
        script: impl Fn(&Seen, usize) -> Reply + Send + Sync + 'static,
    ) -> Server {
        Server::spawn(Some(config), Arc::new(script))
    }

    fn spawn(tls: Option<Arc<rustls::ServerConfig>>, script: Arc<Script>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let log = Arc::new(Mutex::new(Log::default()));
        let scheme = if tls.is_some() { "https" } else { "http" };
        let shared = Arc::clone(&log);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let connection = {
                    let mut log = shared.lock().unwrap();
                    log.connections += 1;
                    log.connections - 1
                };
                let (log, script, tls) = (Arc::clone(&shared), Arc::clone(&script), tls.clone());
                std::thread::spawn(move || {
                    let _ = stream.set_read_timeout(Some(Duration::from_secs(20)));
                    match tls {
                        None => serve(stream, connection, &log, &*script),
                        Some(config) => {
                            let Ok(session) = rustls::ServerConnection::new(config) else {
                                return;
                            };
                            let stream = rustls::StreamOwned::new(session, stream);
                            serve(stream, connection, &log, &*script)
                        }
                    }
                });
            }
        });
        Server { port, scheme, log }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// `http://127.0.0.1:port` (or https).
    pub fn url(&self) -> String {
        format!("{}://127.0.0.1:{}", self.scheme, self.port)
    }

    /// Connections accepted so far.
    pub fn connections(&self) -> usize {
        self.log.lock().unwrap().connections
    }

    /// Requests read so far.
    pub fn requests(&self) -> Vec<Seen> {
        self.log.lock().unwrap().requests.clone()
    }

    /// Body bytes written by [`Reply::Flood`] so far.
    pub fn flooded(&self) -> usize {
        self.log.lock().unwrap().flooded
    }
}

fn serve(mut stream: impl Notify, connection: usize, log: &Mutex<Log>, script: &Script) {
    let mut buffer = Vec::new();
    loop {
        let Some(seen) = read_request(&mut stream, &mut buffer, connection) else {
            return;
        };
        let before = {
            let mut log = log.lock().unwrap();
            log.requests.push(seen.clone());
            log.requests.len() - 1
        };
        match script(&seen, before) {
            Reply::Send(bytes) => {
                if stream
                    .write_all(&bytes)
                    .and_then(|_| stream.flush())
                    .is_err()
                {
                    return;
                }
            }
            Reply::SendThenClose(bytes) => {
                let _ = stream.write_all(&bytes).and_then(|_| stream.flush());
                return;
            }
            Reply::Close => return,
            Reply::SendThenCloseNotify(bytes) => {
                stream.send_then_close_notify(&bytes);
                // Open until the client closes it (or sends on it, which
                // TLS refuses after a close_notify).
                let _ = stream.read(&mut [0; 1]);
                return;
            }
            Reply::Flood { head, body } => {
                if stream.write_all(&head).is_err() {
                    return;
                }
                let chunk = vec![b'x'; 64 * 1024];
                let mut written = 0;
                while written < body {
                    let n = chunk.len().min(body - written);
                    if stream.write_all(&chunk[..n]).is_err() {
                        break;
                    }
                    written += n;
                    log.lock().unwrap().flooded = written;
                }
                return;
            }
        }
    }
}

/// Reads one request (head and Content-Length body); `None` at the end of
/// the connection.
fn read_request(stream: &mut impl Read, buffer: &mut Vec<u8>, connection: usize) -> Option<Seen> {
    let head_end = loop {
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).ok().filter(|n| *n > 0)?;
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).to_string();
    let mut words = head.split_whitespace();
    let method = words.next()?.to_string();
    let target = words.next()?.to_string();
    let length = head
        .lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse::<usize>().ok())
        .unwrap_or(0);
    while buffer.len() < head_end + length {
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).ok().filter(|n| *n > 0)?;
        buffer.extend_from_slice(&chunk[..n]);
    }
    let body = buffer[head_end..head_end + length].to_vec();
    buffer.drain(..head_end + length);
    Some(Seen {
        connection,
        method,
        target,
        head,
        body,
    })
}

/// A whole response with a Content-Length, keeping the connection.
pub fn response(status: u16, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut text = format!(
        "HTTP/1.1 {status} Status\r\ncontent-length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    text.push_str("\r\n");
    let mut bytes = text.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

/// A test CA and what it signs.
pub struct Ca {
    issuer: rcgen::Issuer<'static, rcgen::KeyPair>,
    /// The CA certificate, PEM.
    pub pem: String,
    /// Its private key, PEM, for a child process to sign with the same CA
    /// ([`Ca::of_key`]).
    pub key_pem: String,
}

impl Ca {
    pub fn new() -> Ca {
        Ca::with_key(rcgen::KeyPair::generate().unwrap())
    }

    /// The CA whose key is `key_pem`: its name and key are the same, so
    /// what it signs is trusted by whoever trusts the first one's PEM.
    pub fn of_key(key_pem: &str) -> Ca {
        Ca::with_key(rcgen::KeyPair::from_pem(key_pem).unwrap())
    }

    fn with_key(key: rcgen::KeyPair) -> Ca {
        let key_pem = key.serialize_pem();
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "sequra test CA");
        let pem = params.self_signed(&key).unwrap().pem();
        Ca {
            issuer: rcgen::Issuer::new(params, key),
            pem,
            key_pem,
        }
    }

    /// The CA certificate in a file, for the `ca_file` option.
    pub fn file(&self, name: &str) -> std::path::PathBuf {
        // Under target/ (cargo's directory for tests' files), not left in
        // the system's temporary directory by every run.
        let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("sequra-{}-{name}.pem", std::process::id()));
        std::fs::write(&path, &self.pem).unwrap();
        path
    }

    /// A server configuration whose certificate names `names`.
    pub fn server_config(&self, names: &[&str]) -> Arc<rustls::ServerConfig> {
        let key = rcgen::KeyPair::generate().unwrap();
        let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        let cert = rcgen::CertificateParams::new(names)
            .unwrap()
            .signed_by(&key, &self.issuer)
            .unwrap();
        server_config(&cert, &key)
    }
}

/// A server configuration with a self-signed certificate that names
/// `names`, a CA certificate or not (basicConstraints CA:TRUE, as `openssl
/// req -x509` makes by default), and its PEM for `ca_file`.
pub fn self_signed(names: &[&str], is_ca: bool) -> (Arc<rustls::ServerConfig>, String) {
    let key = rcgen::KeyPair::generate().unwrap();
    let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    let mut params = rcgen::CertificateParams::new(names).unwrap();
    if is_ca {
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    }
    let cert = params.self_signed(&key).unwrap();
    (server_config(&cert, &key), cert.pem())
}

fn server_config(cert: &rcgen::Certificate, key: &rcgen::KeyPair) -> Arc<rustls::ServerConfig> {
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into());
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![cert.der().clone()], key)
        .unwrap();
    Arc::new(config)
}

/// Reads a whole request from a raw socket, for a server that is not
/// HTTP (a proxy).
pub fn read_head(stream: &mut TcpStream) -> String {
    let mut buffer = Vec::new();
    read_request(stream, &mut buffer, 0)
        .map(|seen| seen.head)
        .unwrap_or_default()
}
