//! The listener and its connections. Each connection has a thread of its
//! own (up to [`MAX_CONNECTIONS`] at once), so that a held answer (an
//! approval waiting for the shop) or an idle keep-alive
//! connection in a client's pool never keeps another client waiting.
//! Every accepted socket gets TCP_NODELAY and every answer leaves in one
//! write, so a keep-alive client never waits 40 ms on a delayed ACK.

use crate::http1::{self, ReadError};
use crate::server::{self, Reply};
use crate::Context;
use rustls::{HandshakeKind, ServerConfig, ServerConnection, StreamOwned};
use std::collections::HashMap;
use std::io::{self, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

/// Connections served at once; the next waits in the listen backlog.
const MAX_CONNECTIONS: usize = 256;
/// How long a connection may sit idle, or a read or write take, before
/// the sandbox closes it.
const IO_TIMEOUT: Duration = Duration::from_secs(60);
/// A pause after a failed accept (out of descriptors, say), so the loop
/// does not spin.
const ACCEPT_RETRY: Duration = Duration::from_millis(50);

/// The sandbox is stopping: the acceptor returns.
#[derive(Default)]
pub(crate) struct Stop {
    stopped: Mutex<bool>,
    changed: Condvar,
}

impl Stop {
    fn lock(&self) -> MutexGuard<'_, bool> {
        self.stopped.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn stop(&self) {
        *self.lock() = true;
        self.changed.notify_all();
    }

    pub fn stopped(&self) -> bool {
        *self.lock()
    }
}

/// The accepting thread and the live connections; dropping it stops them.
pub(crate) struct Listener {
    address: SocketAddr,
    shared: Arc<Shared>,
    acceptor: Option<JoinHandle<()>>,
}

struct Shared {
    context: Arc<Context>,
    tls: Option<Arc<ServerConfig>>,
    live: Mutex<Live>,
    /// Signalled when a connection ends (room for the next) or on stop.
    room: Condvar,
}

#[derive(Default)]
struct Live {
    next_id: u64,
    /// A handle on each live socket, to shut it down on stop.
    sockets: HashMap<u64, TcpStream>,
    threads: Vec<JoinHandle<()>>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Live> {
        self.live.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Listener {
    pub fn start(
        listener: TcpListener,
        context: Arc<Context>,
        tls: Option<Arc<ServerConfig>>,
    ) -> io::Result<Listener> {
        let address = listener.local_addr()?;
        let shared = Arc::new(Shared {
            context,
            tls,
            live: Mutex::default(),
            room: Condvar::new(),
        });
        let acceptor = std::thread::Builder::new()
            .name("sandbox-accept".into())
            .spawn({
                let shared = Arc::clone(&shared);
                move || accept(listener, &shared)
            })?;
        Ok(Listener {
            address,
            shared,
            acceptor: Some(acceptor),
        })
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.shared.context.stop.stop();
        // Under the lock, so an acceptor about to wait for room sees it.
        drop(self.shared.lock());
        self.shared.room.notify_all();
        if let Some(acceptor) = self.acceptor.take() {
            // A connection of our own wakes the blocked accept(); without
            // it the acceptor ends at its next connection, unjoined.
            if TcpStream::connect_timeout(&self.address, Duration::from_secs(1)).is_ok() {
                let _ = acceptor.join();
            }
        }
        let threads = {
            let mut live = self.shared.lock();
            for socket in live.sockets.values() {
                let _ = socket.shutdown(Shutdown::Both);
            }
            std::mem::take(&mut live.threads)
        };
        for thread in threads {
            let _ = thread.join();
        }
    }
}

fn accept(listener: TcpListener, shared: &Arc<Shared>) {
    let stop = &shared.context.stop;
    loop {
        let tcp = match listener.accept() {
            Ok((tcp, _)) => tcp,
            Err(_) if stop.stopped() => return,
            Err(_) => {
                std::thread::sleep(ACCEPT_RETRY);
                continue;
            }
        };
        if stop.stopped() {
            return;
        }
        shared.context.counters.connection();
        let Ok(handle) = tcp.try_clone() else {
            continue;
        };
        let mut live = shared.lock();
        while live.sockets.len() >= MAX_CONNECTIONS && !stop.stopped() {
            live = shared.room.wait(live).unwrap_or_else(|e| e.into_inner());
        }
        if stop.stopped() {
            return;
        }
        live.threads.retain(|thread| !thread.is_finished());
        let id = live.next_id;
        live.next_id += 1;
        live.sockets.insert(id, handle);
        let spawned = std::thread::Builder::new()
            .name("sandbox-connection".into())
            .spawn({
                let shared = Arc::clone(shared);
                move || {
                    serve(tcp, &shared);
                    shared.lock().sockets.remove(&id);
                    shared.room.notify_all();
                }
            });
        match spawned {
            Ok(thread) => live.threads.push(thread),
            // The socket went with the closure: it is closed.
            Err(_) => {
                live.sockets.remove(&id);
            }
        }
    }
}

/// Plain TCP or TLS over it.
enum Stream {
    Plain(TcpStream),
    Tls(Box<StreamOwned<ServerConnection, TcpStream>>),
}

impl Read for Stream {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        match self {
            Stream::Plain(tcp) => tcp.read(buffer),
            Stream::Tls(tls) => tls.read(buffer),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        match self {
            Stream::Plain(tcp) => tcp.write(bytes),
            Stream::Tls(tls) => tls.write(bytes),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Stream::Plain(tcp) => tcp.flush(),
            Stream::Tls(tls) => tls.flush(),
        }
    }
}

/// What the connection does after an answer.
#[derive(PartialEq, Eq)]
enum Next {
    /// Read the next request.
    Keep,
    /// Close politely (TLS: close_notify first).
    Close,
    /// Close as is: the client is gone.
    Abort,
}

/// Serves one connection: requests in turn until either side closes.
fn serve(tcp: TcpStream, shared: &Shared) {
    let context = &shared.context;
    let _ = tcp.set_nodelay(true);
    let _ = tcp.set_read_timeout(Some(IO_TIMEOUT));
    let _ = tcp.set_write_timeout(Some(IO_TIMEOUT));
    let stream = match &shared.tls {
        None => Stream::Plain(tcp),
        Some(config) => match handshake(tcp, config, context) {
            Some(tls) => Stream::Tls(Box::new(tls)),
            None => return,
        },
    };
    let mut stream = BufReader::new(stream);
    let next = loop {
        let request = match http1::read_request(&mut stream) {
            Ok(Some(request)) => request,
            Ok(None) => break Next::Close,
            Err(ReadError::Gone) => break Next::Abort,
            Err(ReadError::Refuse(reply)) => {
                if context
                    .log_requests
                    .load(std::sync::atomic::Ordering::Relaxed)
                {
                    eprintln!("(unreadable request) -> {}", reply.status);
                }
                let bytes = http1::encode(&reply, false, false);
                let _ = stream.get_mut().write_all(&bytes);
                break Next::Close;
            }
        };
        context.counters.request();
        let keep_alive = request.keep_alive;
        let head_only = request.method == "HEAD";
        let reply = server::serve(request, context);
        let next = answer(stream.get_mut(), reply, keep_alive, head_only);
        if next != Next::Keep {
            break next;
        }
    };
    if let (Next::Close, Stream::Tls(tls)) = (next, stream.get_mut()) {
        tls.conn.send_close_notify();
        let _ = tls.conn.complete_io(&mut tls.sock);
    }
}

/// The TLS handshake, counted once complete (full or resumed); `None`
/// when it fails (a client that does not trust the CA, or the name).
fn handshake(
    mut tcp: TcpStream,
    config: &Arc<ServerConfig>,
    context: &Context,
) -> Option<StreamOwned<ServerConnection, TcpStream>> {
    let mut tls = ServerConnection::new(Arc::clone(config)).ok()?;
    while tls.is_handshaking() {
        tls.complete_io(&mut tcp).ok()?;
    }
    context
        .counters
        .handshake(tls.handshake_kind() == Some(HandshakeKind::Resumed));
    Some(StreamOwned::new(tls, tcp))
}

/// Writes `reply`, head and body, in one write.
fn answer(stream: &mut Stream, reply: Reply, keep_alive: bool, head_only: bool) -> Next {
    let bytes = http1::encode(&reply, keep_alive, head_only);
    match send(stream, &bytes) {
        Ok(()) if keep_alive => Next::Keep,
        Ok(()) => Next::Close,
        Err(_) => Next::Abort,
    }
}

fn send(stream: &mut Stream, bytes: &[u8]) -> io::Result<()> {
    stream.write_all(bytes)?;
    stream.flush()
}
