//! Telling a forked child from its parent, for the state that must not
//! cross a fork: agents and their sockets ([`super::pool`]), the resolver's
//! cache and lookups in flight ([`super::resolve`]), and the locks another thread may
//! have held at the fork ([`ForkLock`]: the process-wide state of the
//! transport, its TLS sessions and CA files, an OAuth token, the log sink,
//! and the C API's handles and log callback). A child does without what
//! such a lock guards, except for the two it cannot do without, the C
//! API's: a fork waits for those ([`ForkLock::hold_across_forks`]).
//!
//! The child also lets go of its parent's sockets at once: the same
//! `pthread_atfork` handler puts, in place of each socket this library
//! opened ([`track`]), a socket connected to nothing. The parent's
//! connections are then the parent's alone (when it closes one, the server
//! sees it close, rather than wait on a child that keeps a copy for its
//! life), and whatever in the child might still use one (a call the child
//! was forked in the middle of, from a logger) fails instead of writing
//! into the parent's stream. The Rust objects that held them are still
//! never dropped in the child: they are parked ([`park`]).
//!
//! Asking for the process id on every call costs a system call
//! (`getpid`: glibc no longer caches it). Instead a `pthread_atfork` child
//! handler, registered the first time the generation is read, counts the
//! forks this process descends from; reading it is one atomic load. State
//! made before the registration cannot exist: every holder reads the
//! generation when it is made.

use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError, TryLockError};
use std::time::{Duration, Instant};

#[cfg(unix)]
mod imp {
    use std::any::Any;
    use std::cell::RefCell;
    use std::os::fd::RawFd;
    use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU64, Ordering};
    use std::sync::{Once, OnceLock};

    static GENERATION: AtomicU64 = AtomicU64::new(0);
    /// Set if the handler could not be registered (out of memory).
    static UNREGISTERED: AtomicBool = AtomicBool::new(false);

    extern "C" fn in_child() {
        // Async-signal-safe: atomics and system calls, no lock, no
        // allocation (the child has one thread, and any lock another
        // thread held at the fork stays held).
        GENERATION.fetch_add(1, Ordering::Relaxed);
        let_go_of_inherited_sockets();
    }

    /// Sockets this library holds open, so that a forked child can let go
    /// of them; -1 is a free slot. Past its size a socket is not tracked,
    /// and a child keeps it as it keeps any other inherited descriptor.
    static TRACKED: [AtomicI32; 256] = [const { AtomicI32::new(-1) }; 256];

    pub fn track(fd: RawFd) {
        for slot in &TRACKED {
            if slot
                .compare_exchange(-1, fd, Ordering::AcqRel, Ordering::Relaxed)
                .is_ok()
            {
                return;
            }
        }
    }

    pub fn untrack(fd: RawFd) {
        for slot in &TRACKED {
            if slot
                .compare_exchange(fd, -1, Ordering::AcqRel, Ordering::Relaxed)
                .is_ok()
            {
                return;
            }
        }
    }

    /// In a forked child: each tracked descriptor is made a socket that is
    /// connected to nothing (close-on-exec), so the number stays taken (a
    /// parked object still names it) and the parent's socket is no
    /// longer shared.
    fn let_go_of_inherited_sockets() {
        // SAFETY: system calls on descriptors this library opened; the
        // placeholder is closed once copied.
        unsafe {
            let placeholder = libc::socket(libc::AF_UNIX, libc::SOCK_STREAM, 0);
            if placeholder < 0 {
                // Out of descriptors: the child keeps them, as before.
                return;
            }
            for slot in &TRACKED {
                let fd = slot.swap(-1, Ordering::AcqRel);
                if fd >= 0 && libc::dup2(placeholder, fd) >= 0 {
                    // (dup2 clears close-on-exec; the socket had it.)
                    libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC);
                }
            }
            libc::close(placeholder);
        }
    }

    /// The locks every fork waits for, in the order they were first held
    /// across (the prepare handler takes them in that order).
    static ACROSS: [OnceLock<&'static dyn super::Across>; super::ACROSS_SLOTS] =
        [const { OnceLock::new() }; super::ACROSS_SLOTS];

    thread_local! {
        /// The guards the forking thread took in the prepare handler.
        static TAKEN: RefCell<Vec<Box<dyn Any>>> = const { RefCell::new(Vec::new()) };
    }

    pub(super) fn hold_across_forks(lock: &'static dyn super::Across) {
        static REGISTER: Once = Once::new();
        REGISTER.call_once(|| {
            // SAFETY: registers handlers that take and drop the locks'
            // guards on the forking thread; glibc runs the child's after
            // it has made malloc usable again in the child.
            unsafe { libc::pthread_atfork(Some(take_all), Some(let_go), Some(let_go)) };
        });
        let _ = ACROSS.iter().any(|slot| slot.set(lock).is_ok());
    }

    extern "C" fn take_all() {
        let taken: Vec<Box<dyn Any>> = ACROSS
            .iter()
            .map_while(OnceLock::get)
            .map(|lock| lock.take())
            .collect();
        let _ = TAKEN.try_with(|held| held.borrow_mut().extend(taken));
    }

    extern "C" fn let_go() {
        let _ = TAKEN.try_with(|held| held.borrow_mut().clear());
    }

    pub fn generation() -> u64 {
        static REGISTER: Once = Once::new();
        REGISTER.call_once(|| {
            // SAFETY: registers a handler that only touches atomics and
            // makes async-signal-safe system calls (`in_child`). glibc
            // removes it when the library holding it is unloaded.
            let failed = unsafe { libc::pthread_atfork(None, None, Some(in_child)) } != 0;
            if failed {
                // Without the handler the counter never moves: fall back
                // to the process id, a system call each time.
                UNREGISTERED.store(true, Ordering::Relaxed);
            }
        });
        if UNREGISTERED.load(Ordering::Relaxed) {
            return u64::from(std::process::id());
        }
        GENERATION.load(Ordering::Relaxed)
    }
}

#[cfg(not(unix))]
mod imp {
    /// No fork here: the process id stands in.
    pub fn generation() -> u64 {
        u64::from(std::process::id())
    }

    pub fn track(_: i32) {}

    pub fn untrack(_: i32) {}

    pub(super) fn hold_across_forks(_: &'static dyn super::Across) {}
}

/// A number that changes in a forked child (and in its children) and
/// nowhere else: compare the one read when some state was made with the
/// one read now.
pub fn generation() -> u64 {
    imp::generation()
}

/// Keeps what a forked child inherited and must neither use nor drop (its
/// parent's agents: dropping one could write a TLS close_notify into a
/// socket the parent still uses, or wait on a lock a thread of the parent
/// held) for the life of the process. Parked rather than forgotten, so
/// that leak checkers (valgrind, LeakSanitizer) find it still reachable,
/// not lost. A push-only list: lock-free, so a child never waits on it.
pub(crate) fn park<T: Send + 'static>(inherited: T) {
    struct Parked {
        _inherited: Box<dyn Send>,
        next: *mut Parked,
    }
    static PARKED: AtomicPtr<Parked> = AtomicPtr::new(std::ptr::null_mut());
    let node = Box::into_raw(Box::new(Parked {
        _inherited: Box::new(inherited),
        next: std::ptr::null_mut(),
    }));
    let mut head = PARKED.load(Ordering::Acquire);
    loop {
        // SAFETY: `node` is this call's own until the exchange publishes it.
        unsafe { (*node).next = head };
        match PARKED.compare_exchange_weak(head, node, Ordering::AcqRel, Ordering::Acquire) {
            Ok(_) => return,
            Err(now) => head = now,
        }
    }
}

/// A mutex that a forked child never waits on forever: a lock another
/// thread held at the fork stays held in the child, where that thread does
/// not exist. [`ForkLock::lock`] gives `None` then, and the caller does
/// without what it guards for that call (a fresh agent, no cache).
pub struct ForkLock<T> {
    mutex: Mutex<T>,
    /// Whether a fork waits for it ([`ForkLock::hold_across_forks`]).
    across: AtomicBool,
    /// The fork generation its last holder took it in.
    held_in: AtomicU64,
    /// A generation in which it was found held since before the fork (its
    /// holder does not exist there, so it stays held): `u64::MAX`, none.
    abandoned_in: AtomicU64,
}

/// How long a lock found held, whose last holder took it before the fork,
/// is watched before it is taken for held at the fork: a thread of the
/// child that has just taken it notes its generation right after, unless
/// it is descheduled in between.
const GRACE: Duration = Duration::from_millis(50);

impl<T> ForkLock<T> {
    pub fn new(value: T) -> Self {
        ForkLock {
            mutex: Mutex::new(value),
            across: AtomicBool::new(false),
            held_in: AtomicU64::new(generation()),
            abandoned_in: AtomicU64::new(u64::MAX),
        }
    }

    /// A static's, made before anything runs: generation 0 is the process
    /// that was never forked.
    pub const fn new_static(value: T) -> Self {
        ForkLock {
            mutex: Mutex::new(value),
            across: AtomicBool::new(false),
            held_in: AtomicU64::new(0),
            abandoned_in: AtomicU64::new(u64::MAX),
        }
    }

    /// The lock, waited for when a thread of this process holds it; `None`
    /// when it has been held since before this process was forked. What it
    /// guards is replaced whole by every holder, so a poisoned lock holds
    /// nothing torn.
    pub fn lock(&self) -> Option<MutexGuard<'_, T>> {
        let generation = generation();
        let guard = match self.mutex.try_lock() {
            Ok(guard) => guard,
            Err(TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
            Err(TryLockError::WouldBlock) => self.held(generation)?,
        };
        self.held_in.store(generation, Ordering::Release);
        Some(guard)
    }

    /// The lock another holder has: waited for when that holder is a
    /// thread of this process, `None` when it has been held since before
    /// the fork. A holder whose generation is not this one's either took
    /// it before the fork or has just taken it here and is about to note
    /// that: it is watched for [`GRACE`] (once per generation).
    fn held(&self, generation: u64) -> Option<MutexGuard<'_, T>> {
        let wait = || Some(self.mutex.lock().unwrap_or_else(PoisonError::into_inner));
        if cfg!(not(unix)) || self.held_in.load(Ordering::Acquire) == generation {
            return wait();
        }
        if self.abandoned_in.load(Ordering::Relaxed) == generation {
            return None;
        }
        let until = Instant::now() + GRACE;
        while Instant::now() < until {
            std::thread::yield_now();
            match self.mutex.try_lock() {
                Ok(guard) => return Some(guard),
                Err(TryLockError::Poisoned(poisoned)) => return Some(poisoned.into_inner()),
                Err(TryLockError::WouldBlock) => {}
            }
            if self.held_in.load(Ordering::Acquire) == generation {
                return wait();
            }
        }
        self.abandoned_in.store(generation, Ordering::Relaxed);
        None
    }
}

impl<T: Send + 'static> ForkLock<T> {
    /// Has every fork wait for this lock and hand it to the child free:
    /// `pthread_atfork`'s prepare handler takes it, and the parent's and
    /// the child's let it go. The child then finds what it guards as the
    /// parent left it between two holders, never mid-update, and never
    /// held by a thread it does not have. For state a child cannot do
    /// without (the C API's live handles and its log callback); its
    /// holders must never run the caller's code or wait for another such
    /// lock while they hold it (a fork from there would wait for itself).
    /// At most [`ACROSS_SLOTS`] locks; past them, a lock is done without
    /// in a child, as any other.
    pub fn hold_across_forks(&'static self) {
        if self.across.load(Ordering::Acquire) || self.across.swap(true, Ordering::AcqRel) {
            return;
        }
        imp::hold_across_forks(self);
    }
}

/// A lock a fork takes in its prepare handler: its guard, for the
/// forking thread to drop once the fork is done.
trait Across: Sync {
    fn take(&'static self) -> Box<dyn std::any::Any>;
}

impl<T: Send + 'static> Across for ForkLock<T> {
    fn take(&'static self) -> Box<dyn std::any::Any> {
        Box::new(self.mutex.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

/// How many locks can be held across forks.
pub const ACROSS_SLOTS: usize = 8;

impl<T> std::fmt::Debug for ForkLock<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ForkLock { .. }")
    }
}

impl<T: Default> Default for ForkLock<T> {
    fn default() -> Self {
        ForkLock::new(T::default())
    }
}

/// Notes a socket this library opened (its descriptor), for a forked child
/// to let go of; [`untrack`] it before it is closed.
pub(crate) fn track(fd: i32) {
    imp::track(fd);
}

pub(crate) fn untrack(fd: i32) {
    imp::untrack(fd);
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_forked_child_sees_a_new_generation_and_its_parent_the_same() {
        let before = generation();
        // SAFETY: the child only reads an atomic and _exits.
        let pid = unsafe { libc::fork() };
        assert!(pid >= 0);
        if pid == 0 {
            let changed = generation() != before;
            // SAFETY: ends the child without running the parent's destructors.
            unsafe { libc::_exit(if changed { 0 } else { 1 }) };
        }
        let mut status = 0;
        // SAFETY: waits for the child forked above.
        assert_eq!(unsafe { libc::waitpid(pid, &mut status, 0) }, pid);
        assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0);
        assert_eq!(generation(), before);
    }

    #[test]
    fn a_lock_another_thread_held_at_the_fork_is_done_without_in_the_child() {
        use std::sync::mpsc;
        static SHARED: ForkLock<u32> = ForkLock::new_static(0);
        generation();
        *SHARED.lock().unwrap() = 1;
        let (held, release) = (mpsc::channel(), mpsc::channel::<()>());
        let holder = std::thread::spawn(move || {
            let guard = SHARED.lock();
            held.0.send(()).unwrap();
            release.1.recv().unwrap();
            drop(guard);
        });
        held.1.recv().unwrap();
        // SAFETY: the child only takes locks through ForkLock (atomics and
        // try_lock, no allocation) and _exits.
        let pid = unsafe { libc::fork() };
        assert!(pid >= 0);
        if pid == 0 {
            // A child that waits forever is ended in 5 s, failing the test.
            // SAFETY: arms this process's alarm; SIGALRM ends it.
            unsafe { libc::alarm(5) };
            // The holder does not exist here: waiting would be forever. A
            // lock of the child's own is taken as usual.
            let skipped = SHARED.lock().is_none();
            let own: ForkLock<u32> = ForkLock::new(0);
            let taken = own.lock().is_some();
            // SAFETY: ends the child without running the parent's destructors.
            unsafe { libc::_exit(if skipped && taken { 0 } else { 1 }) };
        }
        let mut status = 0;
        // SAFETY: waits for the child forked above.
        assert_eq!(unsafe { libc::waitpid(pid, &mut status, 0) }, pid);
        // (Ended by its alarm, it is not WIFEXITED.)
        assert!(
            libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
            "the child waited for a lock its parent's thread held"
        );
        // In the parent, the holder's lock is waited for as ever.
        release.0.send(()).unwrap();
        assert!(SHARED.lock().is_some());
        holder.join().unwrap();
    }

    #[test]
    fn a_lock_held_across_forks_is_waited_for_by_the_fork_and_free_in_the_child() {
        use std::sync::mpsc;
        static SHARED: ForkLock<u32> = ForkLock::new_static(0);
        SHARED.hold_across_forks();
        SHARED.hold_across_forks(); // once is enough; twice changes nothing
        let held = mpsc::channel();
        let holder = std::thread::spawn(move || {
            let mut guard = SHARED.lock().unwrap();
            held.0.send(()).unwrap();
            // Mid-update when the fork is asked for: the fork waits.
            *guard = 1;
            std::thread::sleep(Duration::from_millis(50));
            *guard = 2;
        });
        held.1.recv().unwrap();
        // SAFETY: the child only takes the lock (atomics and a futex) and
        // _exits.
        let pid = unsafe { libc::fork() };
        assert!(pid >= 0);
        if pid == 0 {
            // SAFETY: arms this process's alarm; SIGALRM ends it.
            unsafe { libc::alarm(5) };
            // The holder does not exist here, yet the lock is free and
            // what it guards whole: the fork waited for the holder.
            let whole = SHARED.lock().is_some_and(|value| *value == 2);
            // SAFETY: ends the child without running the parent's destructors.
            unsafe { libc::_exit(if whole { 0 } else { 1 }) };
        }
        let mut status = 0;
        // SAFETY: waits for the child forked above.
        assert_eq!(unsafe { libc::waitpid(pid, &mut status, 0) }, pid);
        assert!(
            libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
            "the child found the lock held or what it guards mid-update"
        );
        holder.join().unwrap();
        assert_eq!(SHARED.lock().map(|value| *value), Some(2));
    }

    #[test]
    fn a_holder_that_has_not_yet_noted_its_generation_is_waited_for() {
        use std::sync::mpsc;
        // What a child's thread looks like to another just after it took a
        // lock whose last holder took it before the fork: held, the old
        // generation still noted, for as long as the holder is descheduled.
        let lock = std::sync::Arc::new(ForkLock::new(0_u32));
        let other = generation().wrapping_add(1);
        let taken = mpsc::channel();
        let holder = {
            let lock = lock.clone();
            std::thread::spawn(move || {
                let mut guard = lock.mutex.lock().unwrap();
                lock.held_in.store(other, Ordering::Release);
                taken.0.send(()).unwrap();
                std::thread::sleep(Duration::from_millis(2));
                lock.held_in.store(generation(), Ordering::Release);
                *guard = 7;
            })
        };
        taken.1.recv().unwrap();
        assert_eq!(lock.lock().map(|g| *g), Some(7), "waited for, not skipped");
        holder.join().unwrap();

        // One held for good (as after a fork) is skipped after the grace,
        // and at once the next time.
        let stuck = std::sync::Arc::new(ForkLock::new(0_u32));
        let (held, release) = (mpsc::channel(), mpsc::channel::<()>());
        let holder = {
            let stuck = stuck.clone();
            std::thread::spawn(move || {
                let _guard = stuck.mutex.lock().unwrap();
                stuck.held_in.store(other, Ordering::Release);
                held.0.send(()).unwrap();
                release.1.recv().unwrap();
            })
        };
        held.1.recv().unwrap();
        assert!(stuck.lock().is_none());
        let again = Instant::now();
        assert!(stuck.lock().is_none());
        assert!(
            again.elapsed() < GRACE,
            "no second grace in this generation"
        );
        release.0.send(()).unwrap();
        holder.join().unwrap();
    }

    #[test]
    fn a_parent_closing_a_socket_closes_it_though_a_child_lives_on() {
        use std::io::{Read, Write};
        use std::net::{TcpListener, TcpStream};
        use std::os::fd::AsRawFd;
        use std::time::Duration;

        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let at = listener.local_addr().unwrap();
        let tracked = TcpStream::connect(at).unwrap();
        let (mut server_side, _) = listener.accept().unwrap();
        let kept = TcpStream::connect(at).unwrap();
        let fd = tracked.as_raw_fd();
        generation();
        track(fd);
        // SAFETY: the child only makes system calls and _exits.
        let pid = unsafe { libc::fork() };
        assert!(pid >= 0);
        if pid == 0 {
            // What stands at the parent's number is connected to nothing and
            // closed on exec; an untracked socket is the child's as before.
            let let_go = tracked.peer_addr().is_err();
            // SAFETY: reads the flags of a descriptor of this process.
            let cloexec = unsafe { libc::fcntl(fd, libc::F_GETFD) } & libc::FD_CLOEXEC != 0;
            let untouched = kept.peer_addr().is_ok();
            // The child lives on while the parent closes its socket.
            std::thread::sleep(Duration::from_secs(3));
            // SAFETY: ends the child without running the parent's destructors.
            unsafe { libc::_exit(if let_go && cloexec && untouched { 0 } else { 1 }) };
        }
        (&tracked).write_all(b"x").unwrap();
        let mut byte = [0; 1];
        server_side.read_exact(&mut byte).unwrap();
        untrack(fd);
        drop(tracked);
        // The server sees the close now, not when the child exits.
        server_side
            .set_read_timeout(Some(Duration::from_secs(2)))
            .unwrap();
        let closed = server_side.read(&mut byte);
        let mut status = 0;
        // SAFETY: waits for the child forked above.
        assert_eq!(unsafe { libc::waitpid(pid, &mut status, 0) }, pid);
        assert_eq!(closed.unwrap(), 0, "the parent's close reached the server");
        assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0);
    }
}
