//! A client whose constructor never ran (`ReflectionClass::
//! newInstanceWithoutConstructor()`, or a subclass whose constructor does not
//! call `parent::__construct($options)`) has no Rust object behind it. Its
//! methods throw a `Sequra\ConfigException` saying so, instead of
//! ext-php-rs's bare `\Exception` ("Failed to retrieve reference to
//! `$this`").
//!
//! Once the classes are registered (with the `#[\SensitiveParameter]`
//! marks, [`crate::sensitive`]), each instance method's handler is wrapped
//! by [`guard`] ([`crate::handlers`]), which checks `$this` and then calls
//! the method's own handler.

use crate::checkout_com::CheckoutComClient;
use crate::client::Client;
use crate::errors::{class_shown, exception};
use crate::handlers::{self, class_name};
use crate::paysera::PayseraClient;
use crate::pos::PosClient;
use ext_php_rs::class::RegisteredClass;
use ext_php_rs::ffi::{zend_execute_data, zend_function, ZEND_ACC_STATIC};
use ext_php_rs::types::{ZendClassObject, ZendObject, Zval};
use sequra::Error;

/// The classes whose methods need a constructed object.
const CLASSES: &[fn()] = &[
    guard_class::<Client>,
    guard_class::<PosClient>,
    guard_class::<PayseraClient>,
    guard_class::<CheckoutComClient>,
];

/// Guards the instance methods of every class (see the module's comment).
pub fn guard_all() {
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
    for method in class.function_table.values() {
        // SAFETY: a class's function table holds pointers to its functions,
        // ours to change before any request runs; ours are internal.
        unsafe {
            let Some(function) = method.value.ptr.cast::<zend_function>().as_mut() else {
                continue;
            };
            let internal = &function.internal_function;
            let name = internal.function_name;
            if internal.fn_flags & ZEND_ACC_STATIC != 0
                || name.is_null()
                || (*name).as_bytes() == b"__construct"
            {
                continue;
            }
            handlers::wrap(function, guard::<T>);
        }
    }
}

/// The handler of every guarded method of `T`: the method's own, once
/// `$this` is constructed.
unsafe extern "C" fn guard<T: RegisteredClass>(frame: *mut zend_execute_data, value: *mut Zval) {
    // SAFETY: PHP calls a method's handler with its live frame, whose
    // function is this internal method and whose `This` is the object.
    unsafe {
        let Some(handler) = handlers::wrapped(frame, guard::<T>) else {
            return;
        };
        let call = &mut *frame;
        if let Some(this) = call.This.object_mut() {
            if ZendClassObject::<T>::from_zend_obj_mut(this).is_none() {
                not_constructed(class_name((*call.func).common.scope), this);
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
