//! The TCP connection under every transport, TLS or not: ureq's own TCP
//! transport, less three costs it pays on every call of a pooled
//! connection.
//!
//! - Liveness: ureq asks a connection whether it is still open when it
//!   takes it from the pool and again when it puts it back, each time with
//!   `ioctl(FIONBIO)`, a 1-byte read and `ioctl(FIONBIO)` again. Here the
//!   check as it is put back, right after its exchange, is free, and the
//!   one as it is taken is one `recv(MSG_PEEK | MSG_DONTWAIT)`: a
//!   connection the server closed while it sat idle is still found (end of
//!   stream, or bytes nobody asked for) before a request is written on it.
//! - Timeouts: the time left before the call's deadline differs on every
//!   call, so ureq sets `SO_RCVTIMEO`/`SO_SNDTIMEO` every time. Here the
//!   socket keeps the timeout it has while that fires no later than the
//!   deadline and not much earlier ([`Timer`]); one that fires early is
//!   followed by another wait for the rest, so a call never gives up
//!   before its deadline, nor after it.

use std::io::{self, Read as _, Write as _};
use std::net::TcpStream;
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};
use ureq::unversioned::resolver::ResolvedSocketAddrs;
use ureq::unversioned::transport::time::Duration as Budget;
use ureq::unversioned::transport::{
    Buffers, ConnectionDetails, Connector, Either, LazyBuffers, NextTimeout, ShutdownHandle,
    Transport,
};
use ureq::Timeout;

/// The shortest connect attempt given to one address of several.
const MIN_PER_ADDRESS: Duration = Duration::from_millis(10);

/// Opens the TCP connection, unless an earlier connector of the chain
/// (the CONNECT proxy's tunnel) already made one.
#[derive(Debug, Default)]
pub(super) struct Tcp;

impl<In: Transport> Connector<In> for Tcp {
    type Out = Either<In, Socket>;

    fn connect(
        &self,
        details: &ConnectionDetails,
        chained: Option<In>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        if let Some(tunnel) = chained {
            return Ok(Some(Either::A(tunnel)));
        }
        let stream = connect(&details.addrs, details.timeout)?;
        if details.config.no_delay() {
            stream.set_nodelay(true)?;
        }
        // A forked child lets go of it (untracked when the socket drops).
        #[cfg(unix)]
        super::fork::track(std::os::fd::AsRawFd::as_raw_fd(&stream));
        let socket = Socket {
            stream: Arc::new(stream),
            buffers: LazyBuffers::new(
                details.config.input_buffer_size(),
                details.config.output_buffer_size(),
            ),
            read_timer: Timer::default(),
            write_timer: Timer::default(),
            used: false,
        };
        let handle = Arc::downgrade(&socket.stream) as Weak<dyn ShutdownHandle>;
        (details.register_shutdown)(handle)?;
        Ok(Some(Either::B(socket)))
    }
}

/// Tries each address in turn within the connect budget: each but the
/// last gets half of what is left (at least [`MIN_PER_ADDRESS`]). An
/// address that refuses or is unreachable gives way to the next; so does
/// one that times out while time is left.
fn connect(addrs: &ResolvedSocketAddrs, timeout: NextTimeout) -> Result<TcpStream, ureq::Error> {
    let deadline = deadline(timeout)?;
    let mut last = None;
    for (i, addr) in addrs.iter().enumerate() {
        let last_address = i + 1 == addrs.len();
        let attempt = match deadline {
            None => TcpStream::connect(addr),
            Some(deadline) => {
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return Err(ureq::Error::Timeout(timeout.reason));
                }
                let share = if last_address { left } else { left / 2 };
                TcpStream::connect_timeout(addr, share.max(MIN_PER_ADDRESS))
            }
        };
        match attempt {
            Ok(stream) => return Ok(stream),
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock
                ) =>
            {
                last = Some(ureq::Error::Timeout(Timeout::Connect));
            }
            Err(e) if concerns_the_address(&e) => last = Some(ureq::Error::Io(e)),
            Err(e) => return Err(e.into()),
        }
    }
    Err(last.unwrap_or_else(|| {
        ureq::Error::Io(io::Error::new(
            io::ErrorKind::ConnectionRefused,
            "no address to connect to",
        ))
    }))
}

/// A failure that says nothing of the host's other addresses (an IPv6
/// address without an IPv6 route, one address refusing).
fn concerns_the_address(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::HostUnreachable
            | io::ErrorKind::NetworkUnreachable
            | io::ErrorKind::NetworkDown
            | io::ErrorKind::AddrNotAvailable
    )
}

/// When `timeout` runs out, or the call's deadline comes, whichever is
/// first, or `None` for never; an already spent one is a timeout error.
/// (ureq gives some steps their whole budget again on every read, a
/// proxy's CONNECT answer read in a loop: a proxy that trickles its answer
/// kept a call waiting past its `timeout`. The call's deadline bounds
/// every read and write.)
fn deadline(timeout: NextTimeout) -> Result<Option<Instant>, ureq::Error> {
    let now = Instant::now();
    let mine = match timeout.after {
        Budget::NotHappening => None,
        // Past what an Instant can hold is never.
        Budget::Exact(left) => now.checked_add(left),
    };
    let deadline = match (mine, super::deadline::current()) {
        (Some(mine), Some(call)) => Some(mine.min(call)),
        (mine, call) => mine.or(call),
    };
    match deadline {
        Some(deadline) if deadline <= now => Err(ureq::Error::Timeout(timeout.reason)),
        deadline => Ok(deadline),
    }
}

/// One TCP connection.
#[derive(Debug)]
pub(super) struct Socket {
    /// Shared (weakly) with the agent's shutdown handle.
    stream: Arc<TcpStream>,
    buffers: LazyBuffers,
    read_timer: Timer,
    write_timer: Timer,
    /// Bytes went in or out since the last liveness check.
    used: bool,
}

#[cfg(unix)]
impl Drop for Socket {
    fn drop(&mut self) {
        super::fork::untrack(std::os::fd::AsRawFd::as_raw_fd(&*self.stream));
    }
}

impl Socket {
    /// The peer's address, for tests.
    #[cfg(test)]
    fn peer(&self) -> Option<std::net::SocketAddr> {
        self.stream.peer_addr().ok()
    }
}

impl Transport for Socket {
    fn buffers(&mut self) -> &mut dyn Buffers {
        &mut self.buffers
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        let timeout = timeout.for_write();
        let deadline = deadline(timeout)?;
        self.used = true;
        let stream = &*self.stream;
        let mut output = &self.buffers.output()[..amount];
        while !output.is_empty() {
            let sent = self.write_timer.run(
                stream,
                TcpStream::set_write_timeout,
                deadline,
                timeout.reason,
                |mut s| s.write(output),
            )?;
            if sent == 0 {
                return Err(io::Error::from(io::ErrorKind::WriteZero).into());
            }
            super::failure::wrote();
            output = &output[sent..];
        }
        Ok(())
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        let timeout = timeout.for_read();
        let deadline = deadline(timeout)?;
        self.used = true;
        let stream = &*self.stream;
        let input = self.buffers.input_append_buf();
        let read = self
            .read_timer
            .run(
                stream,
                TcpStream::set_read_timeout,
                deadline,
                timeout.reason,
                |mut s| s.read(input),
            )
            .inspect_err(super::unclean_end::note_ureq)?;
        self.buffers.input_appended(read);
        Ok(read > 0)
    }

    fn is_open(&mut self) -> bool {
        // Asked as the pool takes it back, right after its exchange: a
        // server that closed it since is found when it is next taken.
        if std::mem::take(&mut self.used) {
            return true;
        }
        quiet_and_open(&self.stream)
    }
}

/// Whether nothing waits on the connection and the peer has not closed
/// it, without blocking: one `recv(MSG_PEEK | MSG_DONTWAIT)`. End of
/// stream, an error, or bytes nobody asked for (a TLS close_notify, a
/// late answer) all make it unusable.
#[cfg(unix)]
fn quiet_and_open(stream: &TcpStream) -> bool {
    use std::os::fd::AsRawFd;
    let mut byte = 0u8;
    // SAFETY: a socket this transport owns, and a 1-byte buffer.
    let peeked = unsafe {
        libc::recv(
            stream.as_raw_fd(),
            (&mut byte as *mut u8).cast(),
            1,
            libc::MSG_PEEK | libc::MSG_DONTWAIT,
        )
    };
    peeked < 0 && io::Error::last_os_error().kind() == io::ErrorKind::WouldBlock
}

#[cfg(not(unix))]
fn quiet_and_open(stream: &TcpStream) -> bool {
    if stream.set_nonblocking(true).is_err() {
        return false;
    }
    let quiet = matches!(stream.peek(&mut [0u8]), Err(e) if e.kind() == io::ErrorKind::WouldBlock);
    stream.set_nonblocking(false).is_ok() && quiet
}

/// The read or write timeout the socket has now, so that it is set only
/// when it must change.
#[derive(Debug, Default)]
struct Timer {
    /// `None`: no timeout (the socket blocks until something happens).
    set: Option<Duration>,
}

impl Timer {
    /// Runs one read or write (`io`), giving up at `deadline`. A timeout
    /// that fires before the deadline is followed by another wait for
    /// exactly the rest; so is a wait interrupted by a signal.
    fn run<T>(
        &mut self,
        stream: &TcpStream,
        set: fn(&TcpStream, Option<Duration>) -> io::Result<()>,
        deadline: Option<Instant>,
        reason: Timeout,
        mut io: impl FnMut(&TcpStream) -> io::Result<T>,
    ) -> Result<T, ureq::Error> {
        let mut again = false;
        loop {
            let left = match deadline {
                None => None,
                Some(deadline) => {
                    let left = deadline.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        return Err(ureq::Error::Timeout(reason));
                    }
                    Some(left)
                }
            };
            self.arm(stream, set, left, again)?;
            match io(stream) {
                Ok(done) => return Ok(done),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e)
                    if deadline.is_some()
                        && matches!(
                            e.kind(),
                            io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                        ) => {}
                Err(e) => return Err(e.into()),
            }
            again = true;
        }
    }

    /// Makes the socket's timeout fire no later than `left` from now.
    /// The one set is kept while it does, and is at least half of `left`
    /// (so it fires early at most once per wait); a new one is set a
    /// sixteenth short of `left`, so that the next calls, whose deadlines
    /// lie a little further or nearer, keep it. After a timeout that fired
    /// early (`exact`), the rest is set as it is.
    fn arm(
        &mut self,
        stream: &TcpStream,
        set: fn(&TcpStream, Option<Duration>) -> io::Result<()>,
        left: Option<Duration>,
        exact: bool,
    ) -> io::Result<()> {
        let wanted = match left {
            None if self.set.is_none() => return Ok(()),
            None => None,
            Some(left) if exact => Some(left),
            Some(left) => {
                if self.set.is_some_and(|set| set <= left && set >= left / 2) {
                    return Ok(());
                }
                Some(left - left / 16)
            }
        };
        if wanted == self.set {
            return Ok(());
        }
        set(stream, wanted)?;
        self.set = wanted;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{SocketAddr, TcpListener};

    /// A socket connected to a listener that accepts it, and the server's end.
    fn pair() -> (Socket, TcpStream) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let stream = TcpStream::connect(addr).unwrap();
        let (server, _) = listener.accept().unwrap();
        let socket = Socket {
            stream: Arc::new(stream),
            buffers: LazyBuffers::new(1024, 1024),
            read_timer: Timer::default(),
            write_timer: Timer::default(),
            used: false,
        };
        assert_eq!(socket.peer(), Some(addr));
        (socket, server)
    }

    fn within(after: Duration) -> NextTimeout {
        NextTimeout {
            after: Budget::Exact(after),
            reason: Timeout::Global,
            ..NextTimeout::default()
        }
    }

    /// Records every timeout set.
    fn recorded(timer: &mut Timer, stream: &TcpStream, lefts: &[Duration]) -> Vec<Duration> {
        use std::cell::RefCell;
        thread_local!(static SET: RefCell<Vec<Duration>> = const { RefCell::new(Vec::new()) });
        fn record(_: &TcpStream, timeout: Option<Duration>) -> io::Result<()> {
            SET.with(|s| s.borrow_mut().extend(timeout));
            Ok(())
        }
        SET.with(|s| s.borrow_mut().clear());
        for left in lefts {
            timer.arm(stream, record, Some(*left), false).unwrap();
        }
        SET.with(|s| s.borrow().clone())
    }

    #[test]
    fn a_timeout_is_set_only_when_the_one_set_would_fire_late_or_far_too_early() {
        let (socket, _server) = pair();
        let mut timer = Timer::default();
        let ms = Duration::from_millis;
        // The deadlines of calls in a row move by microseconds: set once.
        let set = recorded(
            &mut timer,
            &socket.stream,
            &[ms(30_000), ms(29_999), ms(30_000), ms(29_000)],
        );
        assert_eq!(set, [ms(30_000) - ms(30_000) / 16]);
        // Less time left than the timeout set: it would fire late.
        let set = recorded(&mut timer, &socket.stream, &[ms(300)]);
        assert_eq!(set, [ms(300) - ms(300) / 16]);
        // Far more: it would fire early on every wait.
        let set = recorded(&mut timer, &socket.stream, &[ms(30_000)]);
        assert_eq!(set.len(), 1);
    }

    #[test]
    fn a_read_waits_until_its_deadline_not_until_the_timeout_set_fires() {
        let (mut socket, _server) = pair();
        // A timeout far shorter than the deadline, as a short retry leaves.
        socket
            .stream
            .set_read_timeout(Some(Duration::from_millis(20)))
            .unwrap();
        socket.read_timer.set = Some(Duration::from_millis(20));
        let started = Instant::now();
        let err = socket
            .await_input(within(Duration::from_millis(150)))
            .unwrap_err();
        let took = started.elapsed();
        assert!(
            matches!(err, ureq::Error::Timeout(Timeout::Global)),
            "{err}"
        );
        assert!(took >= Duration::from_millis(150), "{took:?}");
        assert!(took < Duration::from_secs(2), "{took:?}");
    }

    #[test]
    fn the_check_after_an_exchange_is_free_and_the_next_finds_a_closed_connection() {
        let (mut socket, mut server) = pair();
        // Taken while open and quiet.
        assert!(socket.is_open());
        socket.buffers.output()[..4].copy_from_slice(b"ping");
        socket
            .transmit_output(4, within(Duration::from_secs(5)))
            .unwrap();
        let mut got = [0u8; 4];
        server.read_exact(&mut got).unwrap();
        // The server closes it just after the exchange.
        drop(server);
        std::thread::sleep(Duration::from_millis(50));
        // Put back right after its exchange: not looked at (a check would
        // have seen the close)...
        assert!(socket.is_open(), "no check as it is put back");
        // ...and found closed when it is next taken.
        assert!(!socket.is_open(), "the server closed it");
    }

    #[test]
    fn only_bytes_the_socket_took_once_the_request_is_sent_count_as_written() {
        use super::super::failure;
        let timeout = within(Duration::from_secs(5));
        let (mut socket, mut server) = pair();
        // Bytes before the request (a TLS handshake's) are not the request's.
        failure::begin();
        socket.buffers.output()[..4].copy_from_slice(b"helo");
        socket.transmit_output(4, timeout).unwrap();
        assert!(!failure::current().wrote);
        failure::sending();
        socket.buffers.output()[..4].copy_from_slice(b"POST");
        socket.transmit_output(4, timeout).unwrap();
        assert!(failure::current().wrote);
        let mut got = [0u8; 8];
        server.read_exact(&mut got).unwrap();
        // The server resets the connection (linger 0, then close): the next
        // request's write fails before the socket takes a byte.
        socket2::SockRef::from(&server)
            .set_linger(Some(Duration::ZERO))
            .unwrap();
        drop(server);
        std::thread::sleep(Duration::from_millis(50));
        failure::begin();
        failure::sending();
        socket.buffers.output()[..4].copy_from_slice(b"POST");
        assert!(socket.transmit_output(4, timeout).is_err());
        assert!(!failure::current().wrote, "nothing was sent");
    }

    #[test]
    fn bytes_nobody_asked_for_make_a_connection_unusable() {
        let (mut socket, mut server) = pair();
        server.write_all(b"late").unwrap();
        std::thread::sleep(Duration::from_millis(50));
        assert!(!socket.is_open());
        // Peeked, not read: the bytes are still there.
        assert!(socket.await_input(within(Duration::from_secs(5))).unwrap());
        assert_eq!(socket.buffers.input(), b"late");
    }

    #[test]
    fn an_unreachable_first_address_gives_way_to_the_next() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let open = listener.local_addr().unwrap();
        // Nothing listens on port 1 (a port bound and let go could be
        // given at once to a server of a test running beside this one).
        let closed = SocketAddr::from(([127, 0, 0, 1], 1));
        let mut addrs = ResolvedSocketAddrs::from_fn(|_| open);
        addrs.push(closed);
        addrs.push(open);
        let stream = connect(&addrs, within(Duration::from_secs(5))).unwrap();
        assert_eq!(stream.peer_addr().unwrap(), open);
        let mut only_closed = ResolvedSocketAddrs::from_fn(|_| closed);
        only_closed.push(closed);
        let err = connect(&only_closed, within(Duration::from_secs(5))).unwrap_err();
        assert!(
            matches!(&err, ureq::Error::Io(e) if e.kind() == io::ErrorKind::ConnectionRefused),
            "{err}"
        );
    }
}
