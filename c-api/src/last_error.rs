//! Each thread's last error: what sq_last_error, sq_last_error_json and
//! sq_last_error_may_have_acted read, and where it is kept.
//!
//! It has to outlive Rust's own thread-locals. A shop's shutdown hook (an
//! atexit handler, a pthread key destructor) may confirm or cancel an order,
//! and it runs after `thread_local!` values are torn down: an error kept
//! there would be dropped, and a call whose POST the server acted on would
//! read "no error, may_have_acted false". So on unix it is kept under a
//! pthread key: glibc runs key destructors after Rust's thread-locals, runs
//! them again when one sets a value, and a thread that calls exit() keeps
//! its keys to the end. (The library is linked `-z nodelete`, build.rs, so
//! dlclose never unmaps the destructor a key still points at.)

use crate::ffi::{c_string_lossy, without_nul, Failure};
use serde_json::Value;
use std::ffi::CString;

/// The last error of a thread, as the C strings sq_last_error and
/// sq_last_error_json lend, and its `may_have_acted` apart for
/// sq_last_error_may_have_acted.
pub(crate) struct LastError {
    pub message: CString,
    pub json: CString,
    pub may_have_acted: bool,
}

impl LastError {
    pub fn of(failure: &Failure) -> LastError {
        let message = without_nul(&failure.message());
        let mut details = failure.details();
        // The same text as sq_last_error, which cannot carry a NUL (a
        // document's key may hold one, and a message may quote the key).
        if let Some(details) = details.as_object_mut() {
            details.insert("message".into(), Value::String(message.clone()));
        }
        LastError {
            message: c_string_lossy(&message),
            json: c_string_lossy(&details.to_string()),
            may_have_acted: failure.may_have_acted(),
        }
    }
}

/// Makes `error` the calling thread's last error (`None`: there is none).
pub(crate) fn set(error: Option<LastError>) {
    #[cfg(unix)]
    if let Some(key) = key::get() {
        return key::set(key, error);
    }
    fallback::set(error)
}

/// `part` of the calling thread's last error, or `none` when there is none.
/// What `part` returns may borrow from the error: it lives until the
/// thread's next [`set`].
pub(crate) fn read<T>(part: fn(&LastError) -> T, none: T) -> T {
    #[cfg(unix)]
    if let Some(key) = key::get() {
        return key::read(key, part, none);
    }
    fallback::read(part, none)
}

#[cfg(unix)]
mod key {
    use super::LastError;
    use std::ffi::c_void;
    use std::sync::OnceLock;

    /// The key, made on first use; `None` if the process has used up its
    /// keys (PTHREAD_KEYS_MAX), when the fallback keeps errors instead.
    static KEY: OnceLock<Option<libc::pthread_key_t>> = OnceLock::new();

    pub fn get() -> Option<libc::pthread_key_t> {
        *KEY.get_or_init(|| {
            let mut key = 0;
            // SAFETY: `key` is a valid out-pointer; `free` matches what
            // `set` stores under the key.
            let made = unsafe { libc::pthread_key_create(&mut key, Some(free)) };
            (made == 0).then_some(key)
        })
    }

    /// The key's destructor: glibc calls it with a non-null value when the
    /// thread ends.
    unsafe extern "C" fn free(error: *mut c_void) {
        // SAFETY: every value under the key is a Box<LastError> that `set`
        // leaked, and glibc clears the value before calling this.
        drop(unsafe { Box::from_raw(error.cast::<LastError>()) });
    }

    pub fn set(key: libc::pthread_key_t, error: Option<LastError>) {
        let new = error.map_or(std::ptr::null_mut(), |error| {
            Box::into_raw(Box::new(error)).cast::<c_void>()
        });
        // SAFETY: `key` was made by pthread_key_create and never deleted.
        let old = unsafe { libc::pthread_getspecific(key) };
        // SAFETY: as above. It fails only when glibc cannot allocate the
        // thread's block for the key, and then no old value exists either.
        if unsafe { libc::pthread_setspecific(key, new) } != 0 && !new.is_null() {
            // SAFETY: `new` came from Box::into_raw just above.
            unsafe { free(new) };
        }
        if !old.is_null() {
            // SAFETY: `old` was this thread's value, no longer under the key.
            unsafe { free(old) };
        }
    }

    pub fn read<T>(key: libc::pthread_key_t, part: fn(&LastError) -> T, none: T) -> T {
        // SAFETY: `key` was made by pthread_key_create and never deleted.
        let error = unsafe { libc::pthread_getspecific(key) }.cast::<LastError>();
        // SAFETY: a non-null value is this thread's live Box<LastError>,
        // freed only by this thread's next `set` or its end.
        unsafe { error.as_ref() }.map_or(none, part)
    }
}

/// Where errors are kept without pthread keys: a thread-local, which a call
/// made while the thread is ending can no longer reach.
mod fallback {
    use super::LastError;
    use std::cell::RefCell;

    thread_local! {
        static LAST_ERROR: RefCell<Option<LastError>> = const { RefCell::new(None) };
    }

    pub fn set(error: Option<LastError>) {
        let _ = LAST_ERROR.try_with(|last| *last.borrow_mut() = error);
    }

    pub fn read<T>(part: fn(&LastError) -> T, none: T) -> T {
        LAST_ERROR
            .try_with(|last| last.borrow().as_ref().map(part))
            .ok()
            .flatten()
            .unwrap_or(none)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    fn an_error(message: &str) -> LastError {
        LastError::of(&Failure::Argument(message.into()))
    }

    fn message() -> String {
        read(
            |error| error.message.to_str().unwrap().to_owned(),
            String::new(),
        )
    }

    #[test]
    fn a_success_clears_the_last_error() {
        set(Some(an_error("first")));
        set(Some(an_error("second")));
        assert_eq!(message(), "second");
        set(None);
        assert_eq!(message(), "");
        assert!(!read(|error| error.may_have_acted, false));
    }

    #[test]
    fn each_thread_has_its_own() {
        set(Some(an_error("here")));
        std::thread::spawn(|| assert_eq!(message(), ""))
            .join()
            .unwrap();
        assert_eq!(message(), "here");
    }

    /// A thread-local whose destructor records an error and reads it back,
    /// as a shop's shutdown hook would: Rust's thread-locals are already
    /// being torn down then.
    struct CallsInWhileEnding(mpsc::Sender<String>);

    impl Drop for CallsInWhileEnding {
        fn drop(&mut self) {
            set(Some(an_error("from a destructor")));
            let _ = self.0.send(message());
        }
    }

    thread_local! {
        static ENDING: std::cell::RefCell<Option<CallsInWhileEnding>> =
            const { std::cell::RefCell::new(None) };
    }

    #[test]
    fn an_error_recorded_while_the_thread_ends_is_kept() {
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            // Thread-locals end in the reverse of the order they were made:
            // ENDING's destructor runs after any the call below makes.
            ENDING.with(|ending| *ending.borrow_mut() = Some(CallsInWhileEnding(sender)));
            set(Some(an_error("before")));
        })
        .join()
        .unwrap();
        assert_eq!(receiver.recv().unwrap(), "from a destructor");
    }
}
