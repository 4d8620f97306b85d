//! A method's handler replaced by a wrapper that runs around it: the check
//! that `$this` was constructed ([`crate::constructed`]), and, on PHP 8.1,
//! the arguments left out of traces ([`crate::sensitive`]).
//!
//! The handlers are replaced once the classes are registered, before the
//! first request (or in `dl()`'s). PHP copies an internal method into each
//! subclass as it is (its `scope` and `function_name` too), so a wrapper
//! finds the handler it replaced by the names of those two and by itself,
//! in [`WRAPPED`]: by the names, not by the strings' addresses, because
//! opcache (built into PHP 8.5, on in its built-in web server) moves the
//! interned strings into shared memory after startup. A method may have
//! two wrappers, the second around the first.
//!
//! What this assumes of PHP (8.1 to 8.5, as `convert::zval`): an internal
//! function's `handler` is called with its frame and return value, and may
//! be replaced before the first request; a method's copy in a subclass keeps
//! the `scope` and `function_name` of the class that declares it.

use ext_php_rs::exception::PhpException;
use ext_php_rs::ffi::{zend_class_entry, zend_execute_data, zend_function};
use ext_php_rs::types::{ZendStr, Zval};
use ext_php_rs::zend::ce;
use std::sync::RwLock;

pub type Handler = unsafe extern "C" fn(*mut zend_execute_data, *mut Zval);

/// One wrapped handler: the names of its method's class and of the method,
/// the wrapper, and the handler it runs around.
struct Wrapped {
    class: Box<[u8]>,
    name: Box<[u8]>,
    wrapper: Handler,
    handler: Handler,
}

/// Every wrapped handler; written before the first request (or in
/// `dl()`'s), read by every call of a wrapped method.
static WRAPPED: RwLock<Vec<Wrapped>> = RwLock::new(Vec::new());

/// Forgets every wrapped handler: the classes are registered anew (a module
/// `dl()` loads again in a later request has new functions).
pub fn forget_all() {
    WRAPPED.write().unwrap_or_else(|e| e.into_inner()).clear();
}

/// Has `wrapper` run in place of `function`'s handler, unless it does
/// already.
///
/// # Safety
///
/// `function` is an internal function of one of the extension's classes,
/// and no request runs yet (or only `dl()`'s, which loaded the extension).
pub unsafe fn wrap(function: &mut zend_function, wrapper: Handler) {
    // SAFETY: the caller's; an internal function's name and scope are live.
    unsafe {
        let internal = &mut function.internal_function;
        let Some(handler) = internal.handler else {
            return;
        };
        if std::ptr::fn_addr_eq(handler, wrapper) {
            return;
        }
        let Some(name) = internal.function_name.as_ref() else {
            return;
        };
        WRAPPED
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .push(Wrapped {
                class: name_of(internal.scope).into(),
                name: name.as_bytes().into(),
                wrapper,
                handler,
            });
        internal.handler = Some(wrapper);
    }
}

/// The handler `wrapper` runs around for the method of `frame`; `None`, with
/// an `\Error` thrown, if there is none, which never happens: only wrapped
/// methods have a wrapper as their handler.
///
/// # Safety
///
/// `frame` is the live frame PHP called `wrapper` with.
pub unsafe fn wrapped(frame: *mut zend_execute_data, wrapper: Handler) -> Option<Handler> {
    // SAFETY: the caller's: the frame's function is the wrapped method.
    let function = unsafe { frame.as_ref()?.func.as_ref()? };
    // SAFETY: a live function's scope and name.
    let (scope, name) = unsafe {
        (
            function.common.scope.cast_const(),
            function
                .common
                .function_name
                .as_ref()
                .map_or(&b""[..], ZendStr::as_bytes),
        )
    };
    let class = name_of(scope);
    let handler = WRAPPED
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
        .find(|m| {
            std::ptr::fn_addr_eq(m.wrapper, wrapper) && *m.name == *name && *m.class == *class
        })
        .map(|m| m.handler);
    if handler.is_none() {
        let message = format!(
            "sequra: {}'s method has lost its handler; please report it",
            class_name(scope)
        );
        PhpException::new(message, 0, ce::error()).throw();
    }
    handler
}

pub fn class_name(class: *const zend_class_entry) -> String {
    String::from_utf8_lossy(name_of(class)).into_owned()
}

/// A class's name.
fn name_of<'a>(class: *const zend_class_entry) -> &'a [u8] {
    // SAFETY: a function's scope is a live class entry, its name a live
    // zend_string, both as long as the class.
    unsafe {
        class
            .as_ref()
            .and_then(|class| class.name.cast_const().as_ref())
            .map_or(&b""[..], ZendStr::as_bytes)
    }
}
