//! `#[\SensitiveParameter]` on every parameter that carries a secret, so
//! that stack traces (logs, error trackers, `getTraceAsString()`,
//! `var_dump($e)`) show a `SensitiveParameterValue` in its place.
//!
//! PHP marks its own functions' parameters in MINIT, right after it
//! registers them; ext-php-rs registers the `#[php_class]` classes after
//! this extension's startup callback has returned, and calls nothing of the
//! extension after. So the marks go in when every module has started:
//! `zend_post_startup_cb`, chained as opcache chains it, which PHP calls
//! once per process, before any request runs and before threaded PHP (ZTS)
//! shares the class tables with its threads. Nothing changes a function
//! while requests run. A module loaded with `dl()`, after startup and
//! within one request, is marked by its request startup instead, which
//! `dl()` calls right after its MINIT.
//!
//! PHP 8.1 has no `#[\SensitiveParameter]`: there each of these methods
//! runs with `zend.exception_ignore_args` on instead (`hide_arguments`), so
//! that the exceptions made during it record no arguments at all.
//!
//! What this assumes of PHP (8.2 to 8.5, as `convert::zval`): the
//! signatures of `zend_add_attribute` and `zend_get_parameter_attribute_str`
//! (`Zend/zend_attributes.h`); an internal function's argument names are C
//! strings; a parameter's attribute has offset 1 + its position. Of 8.1:
//! `zend_executor_globals.exception_ignore_args` is read when an exception
//! is made (`zend_default_exception_new`), and may change between calls.

use crate::checkout_com::CheckoutComClient;
use crate::client::Client;
use crate::notifications::Notifications;
use crate::paysera::PayseraClient;
use crate::pos::PosClient;
use ext_php_rs::class::RegisteredClass;
use ext_php_rs::ffi::{
    zend_function, zend_hash_str_find_ptr_lc, zend_result, MODULE_PERSISTENT, MODULE_TEMPORARY,
    ZEND_RESULT_CODE_SUCCESS,
};
#[cfg(php82)]
use ext_php_rs::ffi::{zend_string, HashTable};
use ext_php_rs::zend::ClassEntry;
#[cfg(not(php82))]
use ext_php_rs::{ffi::zend_execute_data, types::Zval};
#[cfg(php82)]
use std::ffi::{c_char, c_void};
use std::sync::Mutex;

/// Every parameter that carries a secret (a password, key, secret or
/// token): its class, method and name.
const SENSITIVE: &[(Class, &str, &str)] = &[
    (class::<Client>, "__construct", "options"),
    (class::<PosClient>, "__construct", "options"),
    (class::<PayseraClient>, "__construct", "options"),
    (class::<PayseraClient>, "authorizePaymentRequest", "token"),
    (class::<CheckoutComClient>, "__construct", "options"),
    (class::<CheckoutComClient>, "verifyWebhook", "secret"),
    (class::<Notifications>, "sign", "secret"),
    (class::<Notifications>, "readIpn", "secret"),
    (class::<Notifications>, "readEvent", "secret"),
];

type Class = fn() -> Option<&'static ClassEntry>;

/// The class entry of a registered class.
fn class<T: RegisteredClass>() -> Option<&'static ClassEntry> {
    let metadata = T::get_metadata();
    metadata.has_ce().then(|| metadata.ce())
}

extern "C" {
    /// Called once by `zend_post_startup`, after every module's MINIT.
    static mut zend_post_startup_cb: Option<PostStartup>;

    #[cfg(php82)]
    fn zend_add_attribute(
        attributes: *mut *mut HashTable,
        name: *mut zend_string,
        argc: u32,
        flags: u32,
        offset: u32,
        lineno: u32,
    ) -> *mut c_void;

    #[cfg(php82)]
    fn zend_get_parameter_attribute_str(
        attributes: *mut HashTable,
        name: *const c_char,
        len: usize,
        offset: u32,
    ) -> *mut c_void;
}

type PostStartup = unsafe extern "C" fn() -> zend_result;

/// The callback that was there before ours, called after it.
static PREVIOUS: Mutex<Option<PostStartup>> = Mutex::new(None);

/// From MINIT: has the marks put in once every module has started (see
/// the module's comment).
pub fn mark_after_startup(module_type: i32) {
    if module_type != MODULE_PERSISTENT as i32 {
        return; // `dl()`: marked at request startup
    }
    let mut previous = PREVIOUS.lock().unwrap_or_else(|e| e.into_inner());
    // SAFETY: MINIT runs on one thread, before any request; PHP reads the
    // callback after every MINIT.
    unsafe {
        *previous = std::ptr::addr_of_mut!(zend_post_startup_cb).replace(Some(post_startup));
    }
}

/// From RINIT: the marks of a module loaded by `dl()`, whose MINIT ran
/// just before, in this request (`dl()` is refused in threaded servers).
pub fn mark_if_loaded_by_dl(module_type: i32) {
    if module_type == MODULE_TEMPORARY as i32 {
        crate::classes_registered();
    }
}

unsafe extern "C" fn post_startup() -> zend_result {
    crate::classes_registered();
    let previous = *PREVIOUS.lock().unwrap_or_else(|e| e.into_inner());
    match previous {
        // SAFETY: the engine's callback, called as the engine would have.
        Some(previous) => unsafe { previous() },
        None => ZEND_RESULT_CODE_SUCCESS,
    }
}

/// Marks every parameter of [`SENSITIVE`].
pub fn mark_all() {
    for (class, method, parameter) in SENSITIVE {
        if let Some(class) = class() {
            mark(class, method, parameter);
        }
    }
}

/// Marks the parameter `parameter` of `class::method`.
fn mark(class: &ClassEntry, method: &str, parameter: &str) {
    // SAFETY: the class's function table is live and, before any request,
    // ours to change; its functions are internal.
    unsafe {
        let function =
            zend_hash_str_find_ptr_lc(&class.function_table, method.as_ptr().cast(), method.len())
                .cast::<zend_function>();
        let Some(function) = function.as_mut() else {
            return;
        };
        #[cfg(php82)]
        add_attribute(function, parameter);
        #[cfg(not(php82))]
        {
            let _ = parameter; // every argument is hidden
            crate::handlers::wrap(function, hide_arguments);
        }
    }
}

/// Puts `#[\SensitiveParameter]` on `function`'s parameter `parameter`,
/// unless it is there.
///
/// # Safety
///
/// `function` is an internal function, ours to change.
#[cfg(php82)]
unsafe fn add_attribute(function: &mut zend_function, parameter: &str) {
    use ext_php_rs::types::ZendStr;
    use std::ffi::CStr;
    const LOWERCASE_NAME: &str = "sensitiveparameter";
    const ZEND_ATTRIBUTE_PERSISTENT: u32 = 1;
    // SAFETY: an internal function's `arg_info` holds `num_args` entries,
    // each name a C string; the names are valid for their lengths; the
    // name is interned, which needs no reference kept.
    unsafe {
        let internal = &function.internal_function;
        if internal.arg_info.is_null() {
            return;
        }
        let names = std::slice::from_raw_parts(internal.arg_info, internal.num_args as usize);
        let Some(at) = names.iter().position(|arg| {
            !arg.name.is_null() && CStr::from_ptr(arg.name).to_bytes() == parameter.as_bytes()
        }) else {
            return;
        };
        let attributes = &mut function.common.attributes;
        let marked = !attributes.is_null()
            && !zend_get_parameter_attribute_str(
                *attributes,
                LOWERCASE_NAME.as_ptr().cast(),
                LOWERCASE_NAME.len(),
                at as u32,
            )
            .is_null();
        if !marked {
            // PHP's own interned name, as its own marks use: an interned
            // string counts no references, and this one is read by every
            // thread of a ZTS PHP at once (`ReflectionAttribute::getName`
            // counts references on any other, with no lock). Before the
            // first request, and in `dl()`'s, interning finds the permanent
            // string PHP made at startup.
            let name = ZendStr::new_interned("SensitiveParameter", true);
            zend_add_attribute(
                attributes,
                name.as_ptr().cast_mut(),
                0,
                ZEND_ATTRIBUTE_PERSISTENT,
                at as u32 + 1,
                0,
            );
        }
    }
}

/// A method with a secret parameter on PHP 8.1, which has no
/// `#[\SensitiveParameter]`: it runs with `zend.exception_ignore_args` on,
/// so that no exception made during it (the method's own, or its logger's)
/// records any frame's arguments; the setting is put back after it, also
/// when a fatal error ends the script during it.
#[cfg(not(php82))]
unsafe extern "C" fn hide_arguments(frame: *mut zend_execute_data, value: *mut Zval) {
    use ext_php_rs::ffi::ext_php_rs_executor_globals;
    use ext_php_rs::zend::{bailout, try_catch};
    use std::panic::AssertUnwindSafe;

    // SAFETY: PHP calls a method's handler with its live frame.
    let Some(handler) = (unsafe { crate::handlers::wrapped(frame, hide_arguments) }) else {
        return;
    };
    // The executor's globals, read and written only between the calls
    // that may use them too.
    // SAFETY: this thread's executor globals, live while PHP runs.
    let globals = unsafe { ext_php_rs_executor_globals() };
    if globals.is_null() {
        return;
    }
    // SAFETY: as above.
    let was = unsafe { std::mem::replace(&mut (*globals).exception_ignore_args, true) };
    // SAFETY: the method's own handler, called as PHP called this one.
    let ran = try_catch(AssertUnwindSafe(|| unsafe { handler(frame, value) }));
    // SAFETY: as above.
    unsafe { (*globals).exception_ignore_args = was };
    if ran.is_err() {
        // SAFETY: what the method did, a bailout, goes on once the setting
        // is back; nothing of this frame needs dropping.
        unsafe { bailout() };
    }
}
