//! The listener and its connections. Each connection has a thread of its
//! own (up to [`MAX_CONNECTIONS`] at once), so that a held answer (a
//! stall fault, an approval waiting for the shop) or an idle keep-alive
//! connection in a client's pool never keeps another client waiting.
//! Every accepted socket gets TCP_NODELAY and every answer leaves in one
//! write, so a keep-alive client never waits 40 ms on a delayed ACK.

use crate::faults::Outcome;
use crate::http1::{self, ReadError};
use crate::server::{self, Reply};
use crate::Context;
use rustls::{HandshakeKind, ServerConfig, ServerConnection, StreamOwned};
use std::collections::HashMap;
use std::io::{self, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Connections served at once; the next waits in the listen backlog.
const MAX_CONNECTIONS: usize = 256;
/// How long a connection may sit idle, or a read or write take, before
/// the sandbox closes it.
const IO_TIMEOUT: Duration = Duration::from_secs(60);
/// A pause after a failed accept (out of descriptors, say), so the loop
/// does not spin.
const ACCEPT_RETRY: Duration = Duration::from_millis(50);
/// A huge body is written in pieces of this size.
const PIECE: usize = 64 << 10;

/// The sandbox is stopping: waits end early, the acceptor returns.
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

    /// Waits `duration`, or less if the sandbox stops meanwhile.
    pub fn sleep(&self, duration: Duration) {
        let Some(deadline) = Instant::now().checked_add(duration) else {
            return;
        };
        let mut stopped = self.lock();
        while !*stopped {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            stopped = match self.changed.wait_timeout(stopped, left) {
                Ok((guard, _)) => guard,
                Err(poisoned) => poisoned.into_inner().0,
            };
        }
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
                    // A bug that panics (its message goes to stderr) closes
                    // the connection all the same: its handle in `sockets`
                    // kept it open, and the client waited out its timeout.
                    let _ = std::panic::catch_unwind(AssertUnwindSafe(|| serve(tcp, &shared)));
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

impl Stream {
    fn tcp(&self) -> &TcpStream {
        match self {
            Stream::Plain(tcp) => tcp,
            Stream::Tls(tls) => &tls.sock,
        }
    }
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
    /// Close as is: the answer was cut short on purpose or the client is
    /// gone.
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
        let started = Instant::now();
        let outcome = server::serve(request, context);
        context.counters.served(started.elapsed());
        let next = answer(stream.get_mut(), outcome, keep_alive, head_only, context);
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

/// Writes `outcome`: a whole answer in one write, or what a fault does.
fn answer(
    stream: &mut Stream,
    outcome: Outcome,
    keep_alive: bool,
    head_only: bool,
    context: &Context,
) -> Next {
    let wrote = |result: io::Result<()>, then: Next| match result {
        Ok(()) => then,
        Err(_) => Next::Abort,
    };
    let kept = if keep_alive { Next::Keep } else { Next::Close };
    match outcome {
        Outcome::Reply(reply) => {
            let bytes = http1::encode(&reply, keep_alive, head_only);
            wrote(send(stream, &bytes), kept)
        }
        Outcome::Stall(hold) => {
            context.stop.sleep(hold);
            Next::Close
        }
        Outcome::HeadersThenStall(reply, hold) => {
            let head = http1::head(&reply, reply.body.len() as u64, keep_alive);
            if send(stream, &head).is_err() {
                return Next::Abort;
            }
            context.stop.sleep(hold);
            Next::Abort
        }
        Outcome::Reset => {
            // Linger 0: close() sends RST, not FIN.
            let _ = socket2::SockRef::from(stream.tcp()).set_linger(Some(Duration::ZERO));
            Next::Abort
        }
        Outcome::Truncated(reply) => {
            let mut bytes = http1::head(&reply, reply.body.len() as u64, keep_alive);
            if !head_only {
                bytes.extend_from_slice(&reply.body[..reply.body.len() / 2]);
            }
            let _ = send(stream, &bytes);
            Next::Abort
        }
        Outcome::Huge(length) => {
            let reply = Reply::json_text(200, String::new());
            let head = http1::head(&reply, length, keep_alive);
            if head_only {
                return wrote(send(stream, &head), kept);
            }
            wrote(send_huge(stream, head, length), kept)
        }
    }
}

fn send(stream: &mut Stream, bytes: &[u8]) -> io::Result<()> {
    stream.write_all(bytes)?;
    stream.flush()
}

/// `head`, then a JSON string of `length` bytes (`"aaa…"`), a piece at a
/// time: 50 MB never sits in memory.
fn send_huge(stream: &mut Stream, head: Vec<u8>, length: u64) -> io::Result<()> {
    let mut piece = head;
    let mut left = length;
    let mut first = true;
    while left > 0 {
        let room = PIECE.min(usize::try_from(left).unwrap_or(PIECE));
        let start = piece.len();
        piece.resize(start + room, b'a');
        if first {
            piece[start] = b'"';
            first = false;
        }
        left -= room as u64;
        if left == 0 {
            if let Some(last) = piece.last_mut() {
                // One byte in all is a JSON number instead.
                *last = if length == 1 { b'0' } else { b'"' };
            }
        }
        send(stream, &piece)?;
        piece.clear();
    }
    Ok(())
}
