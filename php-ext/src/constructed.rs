//! A client whose constructor never ran (`ReflectionClass::
//! newInstanceWithoutConstructor()`, or a subclass whose constructor does not
//! call `parent::__construct($options)`) has no Rust object behind it. Its
//! methods throw a `Sequra\ConfigException` saying so, instead of
//! ext-php-rs's bare `\Exception` ("Failed to retrieve reference to
//! `$this`").
//!
//! Once the classes are registered (with the `#[\SensitiveParameter]`
//! marks, [`crate::sensitive`]), each instance method's handler is replaced
//! by [`guard`], which checks `$this` and then calls the method's own
//! handler. PHP copies an internal method into each subclass as it is (its
//! `scope` and `function_name` too), so the guard finds the method's own
//! handler by the names of those two, in [`GUARDED`]. By the names, not by
//! the strings' addresses: opcache (built into PHP 8.5, on in its built-in
//! web server) moves the interned strings into shared memory after startup.
//!
//! What this assumes of PHP (8.2 to 8.5, as `convert::zval`): an internal
//! function's `handler` is called with its frame and return value, and may
//! be replaced before the first request; a method's copy in a subclass keeps
//! the `scope` and `function_name` of the class that declares it.

use crate::checkout_com::CheckoutComClient;
use crate::client::Client;
use crate::errors::{class_shown, exception};
use crate::paysera::PayseraClient;
use crate::pos::PosClient;
use ext_php_rs::class::RegisteredClass;
use ext_php_rs::exception::PhpException;
use ext_php_rs::ffi::{zend_class_entry, zend_execute_data, zend_function, ZEND_ACC_STATIC};
use ext_php_rs::types::{ZendClassObject, ZendObject, ZendStr, Zval};
use ext_php_rs::zend::ce;
use sequra::Error;
use std::sync::RwLock;

/// The classes whose methods need a constructed object.
const CLASSES: &[fn()] = &[
    guard_class::<Client>,
    guard_class::<PosClient>,
    guard_class::<PayseraClient>,
    guard_class::<CheckoutComClient>,
];

type Handler = unsafe extern "C" fn(*mut zend_execute_data, *mut Zval);

/// One guarded method: the names of its class and of itself, and its own
/// handler.
struct Guarded {
    class: Box<[u8]>,
    name: Box<[u8]>,
    handler: Handler,
}

/// Every guarded method; written before the first request (or in `dl()`'s),
/// read by every call.
static GUARDED: RwLock<Vec<Guarded>> = RwLock::new(Vec::new());

/// Guards the instance methods of every class (see the module's comment).
pub fn guard_all() {
    GUARDED.write().unwrap_or_else(|e| e.into_inner()).clear();
    for guard in CLASSES {
        guard();
    }
}

fn guard_class<T: RegisteredClass>() {
    let metadata = T::get_metadata();
    if !metadata.has_ce() {
        return;
    }
    let class = metadata.ce();
    let mut guarded = GUARDED.write().unwrap_or_else(|e| e.into_inner());
    for method in class.function_table.values() {
        // SAFETY: a class's function table holds pointers to its functions,
        // ours to change before any request runs; ours are internal.
        unsafe {
            let Some(function) = method.value.ptr.cast::<zend_function>().as_mut() else {
                continue;
            };
            let internal = &mut function.internal_function;
            let name = internal.function_name;
            if internal.fn_flags & ZEND_ACC_STATIC != 0
                || name.is_null()
                || (*name).as_bytes() == b"__construct"
            {
                continue;
            }
            let Some(handler) = internal.handler else {
                continue;
            };
            let guard: Handler = guard::<T>;
            if std::ptr::fn_addr_eq(handler, guard) {
                continue; // guarded already
            }
            guarded.push(Guarded {
                class: name_of(internal.scope).into(),
                name: (*name).as_bytes().into(),
                handler,
            });
            internal.handler = Some(guard);
        }
    }
}

/// The handler of every guarded method of `T`: the method's own, once
/// `$this` is constructed.
unsafe extern "C" fn guard<T: RegisteredClass>(frame: *mut zend_execute_data, value: *mut Zval) {
    // SAFETY: PHP calls a method's handler with its live frame, whose
    // function is this internal method and whose `This` is the object.
    unsafe {
        let Some(call) = frame.as_mut() else { return };
        let Some(function) = call.func.as_ref() else {
            return;
        };
        let scope = function.common.scope.cast_const();
        let (class, name) = (
            name_of(scope),
            function
                .common
                .function_name
                .as_ref()
                .map_or(&b""[..], ZendStr::as_bytes),
        );
        let handler = GUARDED
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .find(|m| *m.name == *name && *m.class == *class)
            .map(|m| m.handler);
        let Some(handler) = handler else {
            // Never: only guarded methods have this handler.
            let message = format!(
                "sequra: {}'s method has lost its handler; please report it",
                class_name(scope)
            );
            PhpException::new(message, 0, ce::error()).throw();
            return;
        };
        if let Some(this) = call.This.object_mut() {
            if ZendClassObject::<T>::from_zend_obj_mut(this).is_none() {
                not_constructed(class_name(scope), this);
                return;
            }
        }
        handler(frame, value);
    }
}

/// The exception of a method called on an object that was not constructed.
fn not_constructed(class: String, this: &ZendObject) {
    let made = this.get_class_name().ok().unwrap_or_else(|| class.clone());
    let made = String::from_utf8_lossy(class_shown(made.as_bytes())).into_owned();
    let message = if made == class {
        format!(
            "this {class} was not constructed: make it with new {class}($options) \
             (an object made without its constructor cannot be used)"
        )
    } else {
        format!(
            "this {made} was not constructed as a {class}: its constructor must call \
             parent::__construct($options)"
        )
    };
    exception(&Error::Config(message)).throw();
}

fn class_name(class: *const zend_class_entry) -> String {
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
