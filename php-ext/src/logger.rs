//! The `logger` option of every client class: a PSR-3 logger (any object
//! with a public `log($level, $message, array $context = [])`, so
//! `Psr\Log\LoggerInterface` as it is, without depending on psr/log) or a
//! callable taking the same arguments, made the client's core
//! [`Sink`] (`Connection::logger`).
//!
//! The core emits the records (each exchange at `debug`, each retry at
//! `warning`, each failed call at `error`; see `sequra::log`); this module
//! hands each one to PHP as `(string $level, string $message, array
//! $context)`, the context as `json_decode($json, true)` would make it.
//!
//! A logger cannot break a payment call: an exception it throws is cleared
//! from `EG(exception)` and dropped; a fatal error in it (`E_USER_ERROR`, the
//! memory limit, the time limit) is caught where it happens, the call goes
//! on without logging to PHP, and the fatal error resumes once the call has
//! returned ([`resume_fatal_error`], from `errors::boundary`), as PHP would
//! have ended the script. `exit()` in a logger (and, in PHP builds that
//! report the memory limit that way, that fatal error) is no exception but
//! PHP unwinding the script: it is left pending, so the call finishes
//! without logging to PHP and the script then ends as `exit()` ends it. A
//! record the logger did not take is counted ([`dropped_records`]); so is
//! one made while the logger runs (a logger that itself calls the
//! extension), which would otherwise recurse.

use crate::to_php;
use ext_php_rs::ffi::_call_user_function_impl;
use ext_php_rs::flags::DataType;
use ext_php_rs::types::{ZendHashTable, ZendObject, Zval};
use ext_php_rs::zend::{try_catch, ExecutorGlobals};
use sequra::log::{Level, Sink};
use sequra::Error;
use serde_json::{Map, Value};
use std::cell::{Cell, RefCell};
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::thread::{self, ThreadId};

extern "C" {
    /// Clears `EG(exception)` (and `EG(prev_exception)`) and releases it.
    fn zend_clear_exception();
    /// Whether an `EG(exception)` is the one `exit()` throws to unwind the
    /// script (PHP 8.0+).
    fn zend_is_unwind_exit(ex: *const ZendObject) -> bool;
    /// Whether it is the one PHP throws into a fiber or generator it
    /// destroys (PHP 8.1+).
    fn zend_is_graceful_exit(ex: *const ZendObject) -> bool;
}

/// Records PHP loggers did not take (they threw, hit a fatal error, or
/// were busy), in this process.
static DROPPED: AtomicU64 = AtomicU64::new(0);

thread_local! {
    /// The fibers (by address; 0 for the script's own) in which a PHP
    /// logger is running on this thread. A record from one of them would
    /// recurse; one from another fiber would not: a logger that suspended
    /// its fiber mid-call (an async logger) leaves the script running
    /// elsewhere, and its records are taken.
    static LOGGING: RefCell<Vec<usize>> = const { RefCell::new(Vec::new()) };
    /// A logger hit a fatal error (a bailout) during the current call: the
    /// script must end once the call returns, and until then no PHP runs.
    static FATAL: Cell<bool> = const { Cell::new(false) };
}

/// Every record lost in this process: those the PHP loggers did not take,
/// and those the core lost to a panicking sink.
pub fn dropped_records() -> u64 {
    DROPPED
        .load(Ordering::Relaxed)
        .saturating_add(sequra::log::dropped_records())
}

fn drop_record() {
    DROPPED.fetch_add(1, Ordering::Relaxed);
}

/// The value of the `logger` option as a sink, or `None` for null. The
/// value is kept (its refcount taken) as long as the client.
pub fn sink(logger: &Zval) -> Result<Option<Arc<dyn Sink>>, Error> {
    let logger = logger.dereference();
    if logger.is_null() {
        return Ok(None);
    }
    let target = match log_method(logger) {
        Some(method) => method,
        None if logger.is_callable() => logger.shallow_clone(),
        None => {
            return Err(Error::Config(format!(
                "option logger is {}; use a PSR-3 logger (an object with a public \
                 log($level, $message, array $context) method) or a callable taking those \
                 arguments",
                described(logger)
            )))
        }
    };
    Ok(Some(Arc::new(PhpLogger {
        target: closure_made_here(target)?,
        thread: thread::current().id(),
    })))
}

/// `target` as a `Closure` made here, in the scope of the PHP code that
/// makes the client, where it was found callable: what it may call there
/// (a private method of that class, `self::log`) it may call wherever the
/// client is used later. Records are passed with no scope, in which such a
/// callable is not callable and every record was dropped.
fn closure_made_here(target: Zval) -> Result<Zval, Error> {
    let mut from_callable = Zval::new();
    from_callable
        .set_string("Closure::fromCallable", false)
        .and_then(|()| from_callable.try_call(vec![&target]))
        .map_err(|_| Error::Config("option logger could not be made a Closure".into()))
}

/// `[$logger, 'log']`, when that is callable from outside the object (a
/// public method, or `__call`).
fn log_method(logger: &Zval) -> Option<Zval> {
    logger.object()?;
    let mut pair = ZendHashTable::new();
    pair.push(logger.shallow_clone()).ok()?;
    pair.push("log").ok()?;
    let mut method = Zval::new();
    method.set_hashtable(pair);
    method.is_callable().then_some(method)
}

/// What a refused logger value is, for the message (never its contents).
fn described(value: &Zval) -> String {
    match value.object() {
        Some(object) => match object.get_class_name() {
            Ok(name) => format!(
                "an object of class {} without a public log() method",
                crate::errors::shown(
                    &String::from_utf8_lossy(crate::errors::class_shown(name.as_bytes())),
                    80
                )
            ),
            Err(_) => "an object without a public log() method".into(),
        },
        None => {
            let kind = match value.get_type() {
                DataType::Long => "an int",
                DataType::Double => "a float",
                DataType::String => "a string that names no function",
                DataType::Array => "an array that is not a callable",
                DataType::True | DataType::False | DataType::Bool => "a bool",
                _ => "not callable",
            };
            kind.into()
        }
    }
}

/// A PHP logger: the callable to call with each record.
struct PhpLogger {
    /// `[$logger, 'log']` or the callable, with its reference counted.
    target: Zval,
    /// The thread of the request that made it.
    thread: ThreadId,
}

// SAFETY: a `PhpLogger` holds a PHP value, which only its request's thread
// may touch; `Sink` must be `Send + Sync` because a core client could be
// shared across threads. Here it never is: the sink lives in the core
// client owned by one PHP object of one request (the process-wide pool
// keeps connections, never a client's sink), and the core calls it on the
// calling thread, inside a method of that object, while PHP waits for the
// method to return. `log` checks the thread anyway and drops a record
// from any other; `drop` runs when PHP frees the object, on that thread
// (and leaks the value rather than touch it from another).
unsafe impl Send for PhpLogger {}
unsafe impl Sync for PhpLogger {}

impl Sink for PhpLogger {
    fn log(&self, level: Level, message: &str, context: &Map<String, Value>) {
        if thread::current().id() != self.thread || FATAL.get() || ExecutorGlobals::has_exception()
        {
            // After a fatal error no PHP may run, and PHP calls nothing
            // while an exception is pending.
            return drop_record();
        }
        let fiber = ExecutorGlobals::get().active_fiber as usize;
        if LOGGING.with_borrow(|logging| logging.contains(&fiber)) {
            // A logger that logs through the extension would recurse.
            return drop_record();
        }
        LOGGING.with_borrow_mut(|logging| logging.push(fiber));
        let taken = self.call(level, message, context);
        LOGGING.with_borrow_mut(|logging| {
            if let Some(at) = logging.iter().rposition(|f| *f == fiber) {
                logging.swap_remove(at);
            }
        });
        if !taken {
            drop_record();
        }
    }
}

impl PhpLogger {
    /// Calls the logger with one record; whether it took it.
    fn call(&self, level: Level, message: &str, context: &Map<String, Value>) -> bool {
        let mut args = [Zval::new(), Zval::new(), Zval::new()];
        let mut retval = Zval::new();
        let target = std::ptr::from_ref(&self.target).cast_mut();
        // The arguments and the return value live out here, so that they are
        // freed whatever happens inside; they are made inside, where a
        // fatal error (PHP's memory_limit, in a build that stops at the
        // allocation) is caught as the logger's own.
        let called = try_catch(AssertUnwindSafe(|| {
            let made = args[0].set_string(level.as_str(), false).is_ok()
                && args[1].set_string(message, false).is_ok();
            match to_php::object_of(context) {
                Ok(context) if made => args[2].set_hashtable(context),
                _ => return None,
            }
            // SAFETY: the target is a live callable zval; `args` holds 3
            // initialised zvals, which the call only reads; `retval` is
            // written once. On this thread, inside the client's method.
            Some(unsafe {
                _call_user_function_impl(
                    std::ptr::null_mut(),
                    target,
                    &mut retval,
                    args.len() as u32,
                    args.as_mut_ptr(),
                    std::ptr::null_mut(),
                )
            })
        }));
        let taken = match called {
            Ok(None) => false,
            Ok(Some(result)) => match pending() {
                Pending::Nothing => result == 0,
                Pending::Thrown => {
                    clear_thrown();
                    false
                }
                // Left pending: no more PHP runs during the call (`log`
                // drops every record while an exception is pending), and the
                // script ends as `exit()` ends it once the method returns
                // (PHP lets no exception replace this one).
                Pending::Unwinding => false,
            },
            Err(_) => {
                // A fatal error: PHP has reported it and was unwinding to
                // the end of the script. It resumes after the call.
                FATAL.set(true);
                false
            }
        };
        if !FATAL.get() {
            // Freeing what the logger returned or threw runs destructors,
            // which may throw in turn: that is the logger's too, and must
            // not escape the call either.
            drop(args);
            drop(retval);
            clear_thrown();
        }
        taken
    }
}

/// Clears what a logger threw, and what freeing that threw in turn (a
/// destructor may throw); PHP unwinding the script is left to end it. A
/// chain of destructors that throws past 64 exceptions is left pending.
fn clear_thrown() {
    for _ in 0..64 {
        let Pending::Thrown = pending() else { return };
        // SAFETY: on the request's thread, with an exception pending: what
        // `catch` does in PHP.
        unsafe { zend_clear_exception() };
    }
}

/// What a logger left in `EG(exception)`.
enum Pending {
    Nothing,
    /// An exception the logger threw (or did not catch).
    Thrown,
    /// PHP unwinding the script: `exit()`, a fatal error that this PHP
    /// reports by unwinding (the memory limit, in builds that delay it to
    /// the next VM interrupt), or a fiber being destroyed. No `catch` in PHP
    /// can stop it, so no logger call may either.
    Unwinding,
}

fn pending() -> Pending {
    let globals = ExecutorGlobals::get();
    match globals.exception() {
        None => Pending::Nothing,
        // SAFETY: a live object owned by the engine, only read.
        Some(ex) if unsafe { zend_is_unwind_exit(ex) || zend_is_graceful_exit(ex) } => {
            Pending::Unwinding
        }
        Some(_) => Pending::Thrown,
    }
}

impl Drop for PhpLogger {
    fn drop(&mut self) {
        if thread::current().id() != self.thread {
            // Never reached (see the SAFETY comment above); leaking beats
            // touching another thread's value.
            std::mem::forget(std::mem::take(&mut self.target));
        }
    }
}

/// Whether the current call's logger hit a fatal error.
pub fn fatal_error_pending() -> bool {
    FATAL.get()
}

/// After a call whose logger hit a fatal error: ends the script now, as PHP
/// would have at the error (the call itself has finished, so nothing is
/// left half-sent). Call it once the call's Rust values are dropped.
pub fn resume_fatal_error() -> ! {
    FATAL.set(false);
    // SAFETY: the call's own values are gone; what is left between here and
    // the zend_try of ext-php-rs's method handler are the method's borrowed
    // arguments, which need no drop.
    unsafe { ext_php_rs::zend::bailout() }
}

/// At request startup: nothing of an earlier request's calls is pending.
pub fn request_startup() {
    LOGGING.with_borrow_mut(Vec::clear);
    FATAL.set(false);
}
