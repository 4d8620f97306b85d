//! `sq_set_log_callback`: the library's log records handed to a C function.
//!
//! One C callback for the process, wrapped in a core [`Sink`] set with
//! [`sequra::log::set_global_sink`]. Each record is delivered on the
//! thread whose call made it, inside that call. Replacing the callback
//! waits until the previous one has returned on every thread, so that
//! its `user_data` may be freed as soon as `sq_set_log_callback` returns.

use crate::ffi::{c_string_lossy, detached, Failure};
use crate::SqStatus;
use sequra::fork::{self, ForkLock};
use sequra::log::{Level, Sink};
use serde_json::{Map, Value};
use std::cell::Cell;
use std::ffi::{c_char, c_void, CStr};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, MutexGuard};

/// How much a log record matters, in PSR-3's order from debug to
/// emergency, so that `level >= SQ_LOG_WARNING` keeps warnings and worse.
/// The numbers are fixed forever. The library emits SQ_LOG_DEBUG,
/// SQ_LOG_WARNING and SQ_LOG_ERROR; the other five are PSR-3's, numbered
/// now so that no number ever changes.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
// The prefix is the C constants' (SQ_LOG_DEBUG, ...): cbindgen names them
// from the variants.
#[allow(clippy::enum_variant_names)]
pub enum SqLogLevel {
    SqLogDebug = 0,
    SqLogInfo = 1,
    SqLogNotice = 2,
    SqLogWarning = 3,
    SqLogError = 4,
    SqLogCritical = 5,
    SqLogAlert = 6,
    SqLogEmergency = 7,
}

impl SqLogLevel {
    const ALL: [SqLogLevel; 8] = [
        SqLogLevel::SqLogDebug,
        SqLogLevel::SqLogInfo,
        SqLogLevel::SqLogNotice,
        SqLogLevel::SqLogWarning,
        SqLogLevel::SqLogError,
        SqLogLevel::SqLogCritical,
        SqLogLevel::SqLogAlert,
        SqLogLevel::SqLogEmergency,
    ];

    fn of(level: Level) -> SqLogLevel {
        match level {
            Level::Debug => SqLogLevel::SqLogDebug,
            Level::Info => SqLogLevel::SqLogInfo,
            Level::Warning => SqLogLevel::SqLogWarning,
            Level::Error => SqLogLevel::SqLogError,
        }
    }

    /// PSR-3's name of the level.
    fn name(self) -> &'static CStr {
        match self {
            SqLogLevel::SqLogDebug => c"debug",
            SqLogLevel::SqLogInfo => c"info",
            SqLogLevel::SqLogNotice => c"notice",
            SqLogLevel::SqLogWarning => c"warning",
            SqLogLevel::SqLogError => c"error",
            SqLogLevel::SqLogCritical => c"critical",
            SqLogLevel::SqLogAlert => c"alert",
            SqLogLevel::SqLogEmergency => c"emergency",
        }
    }
}

/// Receives one log record: `user_data` as given to sq_set_log_callback,
/// the record's `level`, its `message` (one line of text, e.g. "POST
/// /orders answered 201 in 12 ms") and `context_json`, a JSON object with
/// the record's fields (see the header's opening comment). Both strings
/// are UTF-8, borrowed for the duration of the callback only: copy what
/// you keep.
pub type SqLogCallback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        level: SqLogLevel,
        message: *const c_char,
        context_json: *const c_char,
    ),
>;

/// The callback C set, with its user data.
struct Registration {
    callback: unsafe extern "C" fn(*mut c_void, SqLogLevel, *const c_char, *const c_char),
    user_data: *mut c_void,
    /// How many threads of this process run the callback now. Changed and
    /// read only with [`STATE`] locked, so that a replacing thread that
    /// reads 0 also sees everything the callback did.
    running: Running,
}

/// A count of the threads running a callback, in the fork generation that
/// counted them: a forked child starts from 0, as the parent's threads
/// that were running it do not exist there (and would never count down).
#[derive(Default)]
struct Running {
    /// Read and changed with [`STATE`] locked, so relaxed.
    generation: AtomicU64,
    count: AtomicUsize,
}

impl Running {
    fn now(&self) -> usize {
        if self.generation.load(Ordering::Relaxed) == fork::generation() {
            self.count.load(Ordering::Relaxed)
        } else {
            0
        }
    }

    fn add(&self, delta: isize) {
        let count = self.now().saturating_add_signed(delta);
        self.generation.store(fork::generation(), Ordering::Relaxed);
        self.count.store(count, Ordering::Relaxed);
    }
}

// SAFETY: the header requires the callback and its user data to be usable
// from any thread that calls the library; the library only passes the
// pointer back, never reads it.
unsafe impl Send for Registration {}
unsafe impl Sync for Registration {}

struct State {
    /// `Some` while a callback is set.
    current: Option<Arc<Registration>>,
    /// How many sq_set_log_callback calls wait for a replaced callback to
    /// return, so that a delivery wakes them only when someone waits.
    waiting: usize,
}

static STATE: ForkLock<State> = ForkLock::new_static(State {
    current: None,
    waiting: 0,
});
/// Signalled when a delivery ends while someone waits.
static RETURNED: Condvar = Condvar::new();

thread_local! {
    /// How deep this thread is inside callbacks (a callback may call the
    /// library, which may log again).
    static INSIDE: Cell<u32> = const { Cell::new(0) };
}

/// The state; a panic while it was held (there is none to make) must not
/// turn logging off for the rest of the process. A fork waits for it once
/// a callback was ever set (`hold_across_forks`), so a child finds it
/// free; `None` only were it held since before a fork regardless.
fn state() -> Option<MutexGuard<'static, State>> {
    STATE.lock()
}

fn inside_callback() -> bool {
    INSIDE.try_with(Cell::get).unwrap_or(0) > 0
}

/// The core's view of the C callback: every record goes to whichever
/// callback is set when it is made.
struct CallbackSink;

impl Sink for CallbackSink {
    fn log(&self, level: Level, message: &str, context: &Map<String, Value>) {
        // The core guards sinks too; this keeps a panic of ours from ever
        // reaching the caller whatever the core does. A record lost here
        // is not worth a payment call.
        let _ = catch_unwind(AssertUnwindSafe(|| deliver(level, message, context)));
    }
}

fn deliver(level: Level, message: &str, context: &Map<String, Value>) {
    let Some(registration) = state().and_then(|state| {
        let current = state.current.clone()?;
        current.running.add(1);
        Some(current)
    }) else {
        return;
    };
    let message = c_string_lossy(message);
    let context = c_string_lossy(&serde_json::to_string(context).unwrap_or_else(|_| "{}".into()));
    let _ = INSIDE.try_with(|depth| depth.set(depth.get() + 1));
    // SAFETY: the caller of sq_set_log_callback promised a function of
    // this type, callable from any thread; both strings live until it
    // returns.
    unsafe {
        (registration.callback)(
            registration.user_data,
            SqLogLevel::of(level),
            message.as_ptr(),
            context.as_ptr(),
        )
    };
    let _ = INSIDE.try_with(|depth| depth.set(depth.get() - 1));
    if let Some(state) = state() {
        registration.running.add(-1);
        if state.waiting > 0 {
            RETURNED.notify_all();
        }
    }
}

/// Sets the function that receives the library's log records, replacing
/// any set before; a NULL `callback` turns logging off (then the library
/// does not even build records). `user_data` is passed to every call of
/// the callback, untouched; the library never reads or frees it.
///
/// The callback runs on whichever thread made the record, inside the
/// library call that made it, so it may run on several threads at once
/// (it and `user_data` must be safe for that) and must be quick: the call
/// waits for it. It must not unwind (a C++ exception, longjmp) out of the
/// library. It may call the library, even on its own thread (those calls
/// log too: mind the recursion). sq_last_error() read there describes the
/// thread's last finished call, not the one being logged, which sets its
/// own when it returns: a call made from the callback never hides it.
///
/// When this function returns, the previous callback is not running on any
/// thread and will never be called again: its `user_data` may be freed.
/// It waits for the previous callback to return on every other thread, so
/// do not call it while holding a lock that callback takes.
///
/// Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT when called from inside a log
/// callback (it would wait for itself; nothing changes); SQ_ERR_INTERNAL.
/// Details via sq_last_error().
#[no_mangle]
pub extern "C" fn sq_set_log_callback(callback: SqLogCallback, user_data: *mut c_void) -> SqStatus {
    detached(|| {
        if inside_callback() {
            return Err(Failure::Argument(
                "sq_set_log_callback was called from inside a log callback, where it cannot \
                 wait for that callback to return; the callback was not changed"
                    .into(),
            ));
        }
        let registration = callback.map(|callback| {
            Arc::new(Registration {
                callback,
                user_data,
                running: Running::default(),
            })
        });
        // A fork waits for it from now on: a child gets the callback as
        // the parent had it, never a lock held by a thread it lacks.
        STATE.hold_across_forks();
        let Some(mut state) = state() else {
            return Err(Failure::Internal(
                "this process was forked while another thread held the log callback's lock; \
                 it cannot be changed in this process"
                    .into(),
            ));
        };
        let replaced = std::mem::replace(&mut state.current, registration);
        // Under the lock, so that concurrent calls leave the core's sink
        // and `current` agreeing.
        let sink: Option<Arc<dyn Sink>> = match state.current {
            Some(_) => Some(Arc::new(CallbackSink)),
            None => None,
        };
        sequra::log::set_global_sink(sink);
        if let Some(replaced) = replaced {
            state.waiting += 1;
            while replaced.running.now() > 0 {
                state = RETURNED.wait(state).unwrap_or_else(|e| e.into_inner());
            }
            state.waiting -= 1;
        }
        Ok(())
    })
}

/// PSR-3's name of a log level ("debug", "info", "notice", "warning",
/// "error", "critical", "alert", "emergency"), or "unknown" for a number
/// that is no level (it takes any uint32_t). Static: never free it.
#[no_mangle]
pub extern "C" fn sq_log_level_name(level: u32) -> *const c_char {
    SqLogLevel::ALL
        .into_iter()
        .find(|l| *l as u32 == level)
        .map_or(c"unknown", SqLogLevel::name)
        .as_ptr()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orders::sq_client_check_credentials;
    use crate::testing::{last_error, text};
    use crate::{sq_client_free, sq_client_new, SqClient};
    use serde_json::json;
    use std::ptr;
    use std::sync::atomic::AtomicBool;
    use std::sync::mpsc;
    use std::sync::Mutex;
    use std::thread::{self, ThreadId};
    use std::time::Duration;

    /// The callback is one per process: these tests take turns.
    static TURN: Mutex<()> = Mutex::new(());

    fn turn() -> MutexGuard<'static, ()> {
        TURN.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// One record as the callback got it.
    #[derive(Debug)]
    struct Record {
        level: SqLogLevel,
        message: String,
        context: Value,
    }

    /// What a test's callback collects: the records made on the test's own
    /// thread (other tests' calls log to it too while it is set), and what
    /// the callback did besides.
    struct Collector {
        thread: ThreadId,
        records: Mutex<Vec<Record>>,
        /// The status of sq_set_log_callback called from the callback.
        nested_set: Mutex<Option<SqStatus>>,
    }

    impl Collector {
        fn new() -> Collector {
            Collector {
                thread: thread::current().id(),
                records: Mutex::default(),
                nested_set: Mutex::default(),
            }
        }

        fn user_data(&self) -> *mut c_void {
            self as *const Collector as *mut c_void
        }

        fn take(&self) -> Vec<Record> {
            std::mem::take(&mut self.records.lock().unwrap())
        }
    }

    unsafe extern "C" fn collect(
        user_data: *mut c_void,
        level: SqLogLevel,
        message: *const c_char,
        context_json: *const c_char,
    ) {
        // SAFETY: the tests pass a Collector that outlives the callback.
        let collector = unsafe { &*(user_data as *const Collector) };
        if thread::current().id() != collector.thread {
            return;
        }
        let record = Record {
            level,
            message: text(message),
            context: serde_json::from_str(&text(context_json)).unwrap(),
        };
        collector.records.lock().unwrap().push(record);
    }

    /// A client of a loopback port where nothing listens; with a timeout
    /// of 0.5 s a call makes two tries, 200 ms apart (the second needs 100
    /// ms left after the pause; the third would need 400 + 100 more), and
    /// fails.
    fn unreachable_client() -> *mut SqClient {
        let options = c"{\"endpoint\":\"http://127.0.0.1:9\",\"merchant\":\"demo\",\"username\":\"demo\",\"password\":\"pw-never-logged\",\"timeout\":0.5}";
        let mut client = ptr::null_mut();
        assert_eq!(sq_client_new(options.as_ptr(), &mut client), SqStatus::SqOk);
        client
    }

    #[test]
    fn level_numbers_follow_psr3_and_match_the_header() {
        let header = include_str!("../../include/sequra.h");
        let names = [
            "debug",
            "info",
            "notice",
            "warning",
            "error",
            "critical",
            "alert",
            "emergency",
        ];
        for (number, name) in names.into_iter().enumerate() {
            assert_eq!(SqLogLevel::ALL[number] as u32, number as u32);
            assert_eq!(text(sq_log_level_name(number as u32)), name);
            let constant = format!("  SQ_LOG_{} = {number},", name.to_uppercase());
            assert!(
                header.contains(&constant),
                "{constant} is not in the header"
            );
        }
        assert_eq!(text(sq_log_level_name(8)), "unknown");
        assert_eq!(text(sq_log_level_name(u32::MAX)), "unknown");
        assert!(SqLogLevel::of(Level::Error) > SqLogLevel::of(Level::Warning));
        assert!(SqLogLevel::of(Level::Info) > SqLogLevel::of(Level::Debug));
    }

    #[test]
    fn every_try_retry_and_failure_reaches_the_callback_until_it_is_unset() {
        let _turn = turn();
        let collector = Collector::new();
        let client = unreachable_client();
        assert_eq!(
            sq_set_log_callback(Some(collect), collector.user_data()),
            SqStatus::SqOk
        );
        assert_eq!(
            sq_client_check_credentials(client),
            SqStatus::SqErrTransport
        );
        let records = collector.take();
        let levels: Vec<SqLogLevel> = records.iter().map(|r| r.level).collect();
        assert_eq!(
            levels,
            [
                SqLogLevel::SqLogDebug,
                SqLogLevel::SqLogWarning,
                SqLogLevel::SqLogDebug,
                SqLogLevel::SqLogError
            ],
            "{records:#?}"
        );
        let first = &records[0].context;
        assert_eq!(first["method"], "GET");
        assert_eq!(first["path"], "/merchants/demo/payment_methods");
        assert_eq!(first["attempt"], 1);
        assert!(first["ms"].is_u64(), "{first}");
        assert_eq!(records[2].context["attempt"], 2);
        assert_eq!(
            records[1].context["reason"], "the request was not sent",
            "{records:#?}"
        );
        let failure = &records[3].context;
        assert_eq!(failure["kind"], "transport");
        assert_eq!(failure["may_have_acted"], false);
        for record in &records {
            assert!(!record.message.is_empty());
            assert!(!record.message.contains("pw-never-logged"), "{record:?}");
            assert!(!record.context.to_string().contains("pw-never-logged"));
        }

        assert_eq!(sq_set_log_callback(None, ptr::null_mut()), SqStatus::SqOk);
        assert_eq!(
            sq_client_check_credentials(client),
            SqStatus::SqErrTransport
        );
        assert!(collector.take().is_empty(), "a NULL callback turns it off");
        sq_client_free(client);
    }

    /// Calls the library from the callback: a validation (which does not
    /// log) and sq_set_log_callback (refused), then collects.
    unsafe extern "C" fn reenter(
        user_data: *mut c_void,
        level: SqLogLevel,
        message: *const c_char,
        context_json: *const c_char,
    ) {
        // SAFETY: as for `collect`.
        let collector = unsafe { &*(user_data as *const Collector) };
        if thread::current().id() == collector.thread {
            let status = sq_set_log_callback(None, ptr::null_mut());
            *collector.nested_set.lock().unwrap() = Some(status);
        }
        unsafe { collect(user_data, level, message, context_json) };
    }

    #[test]
    fn the_callback_may_call_the_library_but_not_replace_itself() {
        let _turn = turn();
        let collector = Collector::new();
        let client = unreachable_client();
        assert_eq!(
            sq_set_log_callback(Some(reenter), collector.user_data()),
            SqStatus::SqOk
        );
        assert_eq!(
            sq_client_check_credentials(client),
            SqStatus::SqErrTransport
        );
        assert_eq!(
            *collector.nested_set.lock().unwrap(),
            Some(SqStatus::SqErrInvalidArgument)
        );
        // The call that logged set its own last error when it returned.
        assert!(last_error().contains("127.0.0.1:9"), "{}", last_error());
        assert_eq!(collector.take().len(), 4, "the callback stayed set");
        assert_eq!(sq_set_log_callback(None, ptr::null_mut()), SqStatus::SqOk);
        sq_client_free(client);
    }

    /// What `slow` tells the test: it entered, then (200 ms later) that it
    /// is about to return.
    struct Slow {
        entered: Mutex<Option<mpsc::Sender<()>>>,
        returning: AtomicBool,
    }

    unsafe extern "C" fn slow(
        user_data: *mut c_void,
        _: SqLogLevel,
        _: *const c_char,
        _: *const c_char,
    ) {
        // SAFETY: the test's Slow outlives every call, which is what the
        // test proves.
        let slow = unsafe { &*(user_data as *const Slow) };
        if let Some(entered) = slow.entered.lock().unwrap().take() {
            entered.send(()).unwrap();
            thread::sleep(Duration::from_millis(200));
            slow.returning.store(true, Ordering::SeqCst);
        }
    }

    /// Sets the slow callback and starts a call on another thread that
    /// logs; returns once that thread runs the callback, with the
    /// callback's state (it must outlive the call) and the thread.
    fn a_thread_in_the_slow_callback() -> (Box<Slow>, thread::JoinHandle<()>) {
        let (entered, wait_entered) = mpsc::channel();
        let slow_state = Box::new(Slow {
            entered: Mutex::new(Some(entered)),
            returning: Default::default(),
        });
        let user_data = &*slow_state as *const Slow as usize;
        assert_eq!(
            sq_set_log_callback(Some(slow), user_data as *mut c_void),
            SqStatus::SqOk
        );
        let caller = thread::spawn(|| {
            let client = unreachable_client();
            sq_client_check_credentials(client);
            sq_client_free(client);
        });
        wait_entered.recv().unwrap();
        (slow_state, caller)
    }

    #[test]
    fn replacing_the_callback_waits_until_it_has_returned_on_every_thread() {
        let _turn = turn();
        let (slow_state, caller) = a_thread_in_the_slow_callback();
        assert_eq!(sq_set_log_callback(None, ptr::null_mut()), SqStatus::SqOk);
        assert!(
            slow_state.returning.load(Ordering::SeqCst),
            "sq_set_log_callback returned while the old callback still ran"
        );
        caller.join().unwrap();
    }

    #[test]
    fn a_forked_child_replaces_a_callback_its_parents_thread_was_running() {
        let _turn = turn();
        let (slow_state, caller) = a_thread_in_the_slow_callback();
        // SAFETY: the child sets the callback, takes no lock another thread
        // may hold (those it takes are ForkLocks), and _exits.
        let pid = unsafe { libc::fork() };
        assert!(pid >= 0);
        if pid == 0 {
            // A child that waits forever is ended in 5 s, failing the test.
            // SAFETY: arms this process's alarm; SIGALRM ends it.
            unsafe { libc::alarm(5) };
            // The thread running the callback is the parent's: not waited for.
            let status = sq_set_log_callback(None, ptr::null_mut());
            // SAFETY: ends the child without running the parent's destructors.
            unsafe { libc::_exit(if status == SqStatus::SqOk { 0 } else { 1 }) };
        }
        let mut status = 0;
        // SAFETY: waits for the child forked above.
        assert_eq!(unsafe { libc::waitpid(pid, &mut status, 0) }, pid);
        // (Ended by its alarm, it is not WIFEXITED.)
        assert!(
            libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
            "the child waited for a callback its parent's thread was running"
        );
        assert_eq!(sq_set_log_callback(None, ptr::null_mut()), SqStatus::SqOk);
        assert!(slow_state.returning.load(Ordering::SeqCst));
        caller.join().unwrap();
    }

    #[test]
    fn the_context_is_the_records_fields_as_one_json_object() {
        let _turn = turn();
        let collector = Collector::new();
        assert_eq!(
            sq_set_log_callback(Some(collect), collector.user_data()),
            SqStatus::SqOk
        );
        let mut context = Map::new();
        context.insert("path".into(), json!("/orders"));
        context.insert("note".into(), json!("a\0b"));
        CallbackSink.log(Level::Info, "one\0line", &context);
        assert_eq!(sq_set_log_callback(None, ptr::null_mut()), SqStatus::SqOk);
        let records = collector.take();
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].level, SqLogLevel::SqLogInfo);
        // A NUL byte cannot cut a C string short: it becomes U+FFFD.
        assert_eq!(records[0].message, "one\u{FFFD}line");
        assert_eq!(
            records[0].context,
            json!({"path": "/orders", "note": "a\u{0}b"})
        );
    }
}
