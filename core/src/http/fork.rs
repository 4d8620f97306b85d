//! Telling a forked child from its parent, for the state that must not
//! cross a fork: agents and their sockets ([`super::pool`]), the resolver's
//! helper thread ([`super::resolve`]).
//!
//! Asking for the process id on every call costs a system call
//! (`getpid`: glibc no longer caches it). Instead a `pthread_atfork` child
//! handler, registered the first time the generation is read, counts the
//! forks this process descends from; reading it is one atomic load. State
//! made before the registration cannot exist: every holder reads the
//! generation when it is made.

#[cfg(unix)]
mod imp {
    use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
    use std::sync::Once;

    static GENERATION: AtomicU64 = AtomicU64::new(0);
    /// Set if the handler could not be registered (out of memory).
    static UNREGISTERED: AtomicBool = AtomicBool::new(false);

    extern "C" fn in_child() {
        // Async-signal-safe: one atomic add, no lock, no allocation.
        GENERATION.fetch_add(1, Ordering::Relaxed);
    }

    pub fn generation() -> u64 {
        static REGISTER: Once = Once::new();
        REGISTER.call_once(|| {
            // SAFETY: registers a handler that only touches an atomic.
            // glibc removes it when the library holding it is unloaded.
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
}

/// A number that changes in a forked child (and in its children) and
/// nowhere else: compare the one read when some state was made with the
/// one read now.
pub(crate) fn generation() -> u64 {
    imp::generation()
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
}
