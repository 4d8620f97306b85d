//! The exception classes, and the one function that turns a
//! [`sequra::Error`] into the matching one.
//!
//! The classes are ordinary PHP exceptions: PHP's own exception constructor
//! creates them, so they carry the file, line and trace of the call that
//! failed. (A Rust-backed `#[php_class]` exception has none of these, which
//! is why these classes are built with `ClassBuilder`.) What an error says
//! beyond its message sits in protected properties of `Sequra\Exception`,
//! which `var_dump()` shows and the getters return.

use crate::logger;
use ext_php_rs::args::ArgInfoTables;
use ext_php_rs::boxed::ZBox;
use ext_php_rs::builders::{ClassBuilder, ClassProperty, FunctionBuilder};
use ext_php_rs::convert::IntoZval;
use ext_php_rs::error::Result as PhpResult;
use ext_php_rs::exception::PhpException;
use ext_php_rs::ffi::zend_read_property;
use ext_php_rs::flags::{DataType, MethodFlags, PropertyFlags};
use ext_php_rs::types::{ZendEmptyArray, ZendHashTable, ZendObject, Zval};
use ext_php_rs::zend::{ce, run_handler, ClassEntry, ExecuteData};
use ext_php_rs::zend_fastcall;
use sequra::orders::payload::MAX_PROBLEMS;
use sequra::{Error, ErrorKind};
use std::ffi::c_char;
use std::panic::AssertUnwindSafe;
use std::ptr;
use std::sync::atomic::{AtomicPtr, Ordering};
use std::sync::{Mutex, PoisonError};

extern "C" {
    /// `RuntimeException`, from PHP's SPL (always compiled in).
    static spl_ce_RuntimeException: *mut ClassEntry;

    /// Writes a property as code in `scope` would (so a protected property
    /// can be written from outside the class).
    fn zend_update_property(
        scope: *mut ClassEntry,
        object: *mut ZendObject,
        name: *const c_char,
        name_length: usize,
        value: *mut Zval,
    );
}

/// One exception class.
struct Class {
    name: &'static str,
    /// The error kind the class stands for; `None` for the base class.
    kind: Option<ErrorKind>,
    /// The getters the class adds to those it inherits.
    getters: &'static [Getter],
    docs: &'static [&'static str],
}

/// The one table: every error kind, its class and the getters the class
/// adds. The base class comes first; the others extend it.
const CLASSES: [Class; 14] = [
    Class {
        name: "Sequra\\Exception",
        kind: None,
        getters: &[
            Getter::KIND,
            Getter::HTTP_STATUS,
            Getter::MAY_HAVE_ACTED,
            Getter::ERRORS,
            Getter::REQUEST_ID,
            Getter::IDEMPOTENCY_KEY,
        ],
        docs: &["Every error of the sequra extension; the subclass says which kind."],
    },
    Class {
        name: "Sequra\\ValidationException",
        kind: Some(ErrorKind::InvalidInput),
        getters: &[Getter::PROBLEMS],
        docs: &["The input has problems (see getProblems()); nothing was sent."],
    },
    Class {
        name: "Sequra\\ConfigException",
        kind: Some(ErrorKind::Config),
        getters: &[],
        docs: &["The client's options are unusable; nothing was sent."],
    },
    Class {
        name: "Sequra\\AuthenticationException",
        kind: Some(ErrorKind::Authentication),
        getters: &[],
        docs: &["401: the credentials were refused."],
    },
    Class {
        name: "Sequra\\ForbiddenException",
        kind: Some(ErrorKind::Forbidden),
        getters: &[],
        docs: &["403: the credentials may not do this (check the merchant id)."],
    },
    Class {
        name: "Sequra\\NotFoundException",
        kind: Some(ErrorKind::NotFound),
        getters: &[],
        docs: &["404: the order does not exist."],
    },
    Class {
        name: "Sequra\\ConflictException",
        kind: Some(ErrorKind::Conflict),
        getters: &[],
        docs: &["409: refused in the order's current state; getErrors() says why."],
    },
    Class {
        name: "Sequra\\UnprocessableException",
        kind: Some(ErrorKind::Unprocessable),
        getters: &[],
        docs: &["422: the server could not process the request; getErrors() says why."],
    },
    Class {
        name: "Sequra\\RateLimitedException",
        kind: Some(ErrorKind::RateLimited),
        getters: &[Getter::RETRY_AFTER],
        docs: &["429: too many requests; retry after getRetryAfter() seconds."],
    },
    Class {
        name: "Sequra\\ServerException",
        kind: Some(ErrorKind::Server),
        getters: &[],
        docs: &["5xx: the server failed and may have acted: the message says whether sending the call again is safe (a PUT or PATCH) or may act twice (a POST)."],
    },
    Class {
        name: "Sequra\\TransportException",
        kind: Some(ErrorKind::Transport),
        getters: &[],
        docs: &["The request did not complete: connection refused, lost, or timed out."],
    },
    // After TransportException, which it extends (a caller that catches
    // that catches this too).
    Class {
        name: "Sequra\\TlsException",
        kind: Some(ErrorKind::Tls),
        getters: &[],
        docs: &[
            "The server's certificate was refused (a CA not trusted, another host name, \
             expired) or no TLS connection could be agreed on; nothing was sent. Check the \
             endpoint and the ca_file option.",
        ],
    },
    Class {
        name: "Sequra\\UnexpectedResponseException",
        kind: Some(ErrorKind::UnexpectedResponse),
        getters: &[],
        docs: &["The server answered something the API does not document."],
    },
    Class {
        name: "Sequra\\SignatureException",
        kind: Some(ErrorKind::BadSignature),
        getters: &[],
        docs: &["A notification's signature did not match."],
    },
];

/// The class entries, in the order of [`CLASSES`], set at registration.
static ENTRIES: [AtomicPtr<ClassEntry>; CLASSES.len()] =
    [const { AtomicPtr::new(ptr::null_mut()) }; CLASSES.len()];

/// Turns a core error into the matching `Sequra\...Exception`, carrying the
/// error's details. This is the one place errors cross into PHP.
pub fn exception(error: &Error) -> PhpException {
    let index = CLASSES
        .iter()
        .position(|class| class.kind == Some(error.kind()))
        .unwrap_or(0);
    let message = shown(&error.to_string(), MAX_MESSAGE);
    let Some(class) = entry(index) else {
        // Only if the extension failed to start, which PHP reports itself.
        return PhpException::new(message, 0, runtime_exception());
    };
    let code = error.status().map_or(0, i32::from);
    match instance(class, error, &message, code) {
        Ok(object) => PhpException::new(message, code, class).with_object(object),
        // Never silently without its details: the message says so.
        Err(e) => PhpException::new(
            format!("{message} (its details could not be attached: {e}; please report it)"),
            code,
            class,
        ),
    }
}

/// Runs `call` and turns its error into the matching exception: the shape
/// of every method of the extension. If the client's logger hit a fatal
/// error during the call, the script ends here instead, as PHP would have
/// ended it at the error (`logger::resume_fatal_error`).
pub fn boundary<T>(call: impl FnOnce() -> sequra::error::Result<T>) -> Result<T, PhpException> {
    let result = call();
    if logger::fatal_error_pending() {
        drop(result);
        logger::resume_fatal_error();
    }
    result.map_err(|error| exception(&error))
}

/// A new exception object of `class` holding what `error` says.
fn instance(
    class: &'static ClassEntry,
    error: &Error,
    message: &str,
    code: i32,
) -> PhpResult<Zval> {
    // PHP's exception constructor runs here and records file, line and trace.
    let mut object = ZendObject::new(class);
    let problems = problems_array(error.problems())?;
    let retry_after = error.retry_after().and_then(|s| i64::try_from(s).ok());
    let (exception, base) = (ce::exception(), entry(0).unwrap_or(class));
    set(&mut object, exception, "message", message)?;
    set(&mut object, exception, "code", i64::from(code))?;
    set(&mut object, base, "kind", error.kind().as_str())?;
    set(
        &mut object,
        base,
        "httpStatus",
        error.status().map(i64::from),
    )?;
    set(&mut object, base, "mayHaveActed", error.may_have_acted())?;
    set(&mut object, base, "problems", problems)?;
    set(&mut object, base, "errors", error.remote_errors().to_vec())?;
    set(&mut object, base, "retryAfter", retry_after)?;
    let request_id = error.request_id().map(str::to_string);
    set(&mut object, base, "requestId", request_id)?;
    set(
        &mut object,
        base,
        "idempotencyKey",
        error.idempotency_key().map(str::to_string),
    )?;
    object.into_zval(false)
}

/// Problems as PHP arrays `['path' => ..., 'message' => ...]`, in order.
/// A validator's list is passed as it is: at most [`MAX_PROBLEMS`], and a
/// last one that counts the rest (`and 250 more problems not listed`).
/// A longer list is cut to as many, and the last says how many more.
pub fn problems_array(problems: &[sequra::Problem]) -> PhpResult<ZBox<ZendHashTable>> {
    let mut list = ZendHashTable::new();
    let listed = if problems.len() > MAX_PROBLEMS + 1 {
        MAX_PROBLEMS
    } else {
        problems.len()
    };
    for problem in &problems[..listed] {
        let mut entry = ZendHashTable::new();
        entry.insert("path", shown(&problem.path, MAX_TEXT))?;
        entry.insert("message", shown(&problem.message, MAX_TEXT))?;
        list.push(entry)?;
    }
    if listed < problems.len() {
        let mut entry = ZendHashTable::new();
        entry.insert("path", "…")?;
        let more = problems.len() - listed;
        entry.insert("message", format!("{more} more problems are not listed"))?;
        list.push(entry)?;
    }
    Ok(list)
}

/// What reaches PHP of a caller's bad input is bounded, however large the
/// input (a million `NAN`s, a key of a megabyte): at most [`MAX_PROBLEMS`]
/// problems and one that counts the rest, each path and message at most
/// this many characters, ...
const MAX_TEXT: usize = 300;
/// ... and an exception's message at most this many.
const MAX_MESSAGE: usize = 4000;

/// A class name as PHP's own messages show it: an anonymous class's name
/// goes on after a NUL with the file and line it was declared at, which a
/// message does not show.
pub fn class_shown(name: &[u8]) -> &[u8] {
    name.split(|&b| b == 0).next().unwrap_or(name)
}

/// `text` for a message: all of it if it is at most `chars` characters,
/// else its start and its length.
pub fn shown(text: &str, chars: usize) -> String {
    match text.char_indices().nth(chars) {
        None => text.to_owned(),
        Some((end, _)) => format!("{}… ({} bytes)", &text[..end], text.len()),
    }
}

/// Sets a property as code of `scope` would (so also a protected one).
fn set(
    object: &mut ZendObject,
    scope: &ClassEntry,
    name: &str,
    value: impl IntoZval,
) -> PhpResult<()> {
    let mut value = value.into_zval(false)?;
    // SAFETY: the object and the scope are live; the name is valid for its
    // length; the engine copies the value (adding a reference), and ours is
    // released when `value` drops.
    unsafe {
        zend_update_property(
            ptr::from_ref(scope).cast_mut(),
            object,
            name.as_ptr().cast(),
            name.len(),
            &mut value,
        );
    }
    Ok(())
}

/// A getter method: returns one protected property of `Sequra\Exception`.
struct Getter {
    method: &'static str,
    property: &'static str,
    returns: DataType,
    nullable: bool,
    /// The property's default, declared on the base class.
    default: fn() -> PhpResult<Zval>,
    docs: &'static [&'static str],
}

impl Getter {
    const KIND: Getter = Getter {
        method: "getKind",
        property: "kind",
        returns: DataType::String,
        nullable: false,
        default: || interned(""),
        docs: &["The kind of error, e.g. \"conflict\": one of invalid_input, config, authentication, forbidden, not_found, conflict, unprocessable, rate_limited, server, transport, tls, unexpected_response, bad_signature."],
    };
    const HTTP_STATUS: Getter = Getter {
        method: "getHttpStatus",
        property: "httpStatus",
        returns: DataType::Long,
        nullable: true,
        default: || Ok(Zval::null()),
        docs: &["The HTTP status the server answered, or null when no answer came."],
    };
    const MAY_HAVE_ACTED: Getter = Getter {
        method: "mayHaveActed",
        property: "mayHaveActed",
        returns: DataType::Bool,
        nullable: false,
        default: || false.into_zval(true),
        docs: &["Whether seQura may have acted on the request: false means it certainly did not, so the same request can be corrected and sent again."],
    };
    const PROBLEMS: Getter = Getter {
        method: "getProblems",
        property: "problems",
        returns: DataType::Array,
        nullable: false,
        default: || ZendEmptyArray.into_zval(true),
        docs: &["The problems found in the input: a list of ['path' => 'cart.items[2].price_with_tax', 'message' => '...']."],
    };
    const ERRORS: Getter = Getter {
        method: "getErrors",
        property: "errors",
        returns: DataType::Array,
        nullable: false,
        default: || ZendEmptyArray.into_zval(true),
        docs: &["The server's list of errors (strings), as it sent them; empty when it sent none or did not answer."],
    };
    const RETRY_AFTER: Getter = Getter {
        method: "getRetryAfter",
        property: "retryAfter",
        returns: DataType::Long,
        nullable: true,
        default: || Ok(Zval::null()),
        docs: &["Seconds to wait before retrying, when the server said so (a day at most: a longer wait is read as a day); otherwise null."],
    };
    const REQUEST_ID: Getter = Getter {
        method: "getRequestId",
        property: "requestId",
        returns: DataType::String,
        nullable: true,
        default: || Ok(Zval::null()),
        docs: &["The id the server gave the failed request (e.g. checkout.com's Cko-Request-Id), for its support; otherwise null."],
    };
    const IDEMPOTENCY_KEY: Getter = Getter {
        method: "getIdempotencyKey",
        property: "idempotencyKey",
        returns: DataType::String,
        nullable: true,
        default: || Ok(Zval::null()),
        docs: &["The idempotency key the failed request carried when it may have been acted on (e.g. checkout.com's Cko-Idempotency-Key, also one the library made): send it again to retry safely; otherwise null."],
    };
    /// Whether `value` is of the type the getter declares it returns.
    fn fits(&self, value: &Zval) -> bool {
        (self.nullable && value.is_null())
            || match self.returns {
                DataType::String => value.is_string(),
                DataType::Long => value.is_long(),
                DataType::Bool => value.is_bool(),
                DataType::Array => value.is_array(),
                _ => false,
            }
    }

    /// Every getter; the base class declares their properties.
    const ALL: [Getter; 8] = [
        Self::KIND,
        Self::HTTP_STATUS,
        Self::MAY_HAVE_ACTED,
        Self::PROBLEMS,
        Self::ERRORS,
        Self::RETRY_AFTER,
        Self::REQUEST_ID,
        Self::IDEMPOTENCY_KEY,
    ];
}

zend_fastcall! {
    /// Every getter method: returns the property of the [`Getter`] named
    /// like the method called.
    extern fn getter(ex: &mut ExecuteData, retval: &mut Zval) {
        run_handler(AssertUnwindSafe(|| {
            if ex.parser().parse().is_err() {
                return; // too many arguments: PHP has thrown ArgumentCountError
            }
            // SAFETY: a called function's name is a live zend_string.
            let method = ex
                .function()
                .and_then(|function| unsafe { function.common.function_name.as_ref() })
                .and_then(|name| name.as_str().ok());
            let Some(getter) = Getter::ALL.iter().find(|g| Some(g.method) == method) else {
                return;
            };
            let (Some(this), Some(base)) = (ex.get_self(), entry(0)) else {
                return;
            };
            let class = this.get_class_entry();
            let property = getter.property;
            let mut scratch = Zval::new();
            // SAFETY: `this` and `base` are live; the name is valid for its
            // length; the result points at the property or at `scratch`.
            let value = unsafe {
                zend_read_property(
                    ptr::from_ref(base).cast_mut(),
                    this,
                    property.as_ptr().cast(),
                    property.len(),
                    true,
                    &mut scratch,
                )
                .as_ref()
            };
            // A subclass may have unset or overwritten the property, and
            // unserialize() sets whatever it is given: what does not fit
            // the declared return type reads as the property's default
            // (for the kind, that of the class).
            match value.map(Zval::dereference) {
                Some(value) if getter.fits(value) => *retval = value.shallow_clone(),
                _ => {
                    let default = if getter.property == Getter::KIND.property {
                        interned(kind_of_class(class))
                    } else {
                        (getter.default)()
                    };
                    if let Ok(default) = default {
                        *retval = default;
                    }
                }
            }
        }));
    }
}

/// The argument info of the getters of every class of [`CLASSES`].
static ARG_INFO: Mutex<Vec<Kept>> = Mutex::new(Vec::new());

/// Argument info the engine reads, kept alive.
struct Kept(#[allow(dead_code)] ArgInfoTables);

// SAFETY: filled in MINIT, before any other thread runs PHP; nothing reads
// it here, and the engine only reads it.
unsafe impl Send for Kept {}

/// Registers the exception classes; runs once, at module startup.
pub fn register() -> PhpResult<()> {
    // A module started again (in the same process) registers new classes.
    ARG_INFO
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clear();
    for class in &CLASSES {
        let mut builder = ClassBuilder::new(class.name)
            .docs(class.docs)
            .registration(remember);
        builder = match class.kind {
            None => {
                let mut builder = builder.extends((runtime_exception, "\\RuntimeException"));
                for getter in &Getter::ALL {
                    builder = builder.property(property(getter.property, getter.default));
                }
                builder
            }
            Some(kind) => builder
                .extends(parent_of(kind))
                // The subclass's kind, for exceptions made with `new`.
                .property(property("kind", move || interned(kind.as_str()))),
        };
        for method in class.getters {
            let function = FunctionBuilder::new(method.method, getter)
                .returns(method.returns, false, method.nullable)
                .docs(method.docs);
            builder = builder.method(function, MethodFlags::Public);
        }
        builder.register()?;
    }
    Ok(())
}

/// A protected property and its default (a value that is not reference
/// counted: PHP refuses others as defaults of an internal class).
fn property(name: &str, default: impl FnOnce() -> PhpResult<Zval> + 'static) -> ClassProperty {
    ClassProperty {
        name: name.into(),
        flags: PropertyFlags::Protected,
        default: Some(Box::new(default)),
        docs: &[],
        ty: None,
        nullable: false,
        readonly: false,
        default_stub: None,
    }
}

fn interned(text: &str) -> PhpResult<Zval> {
    let mut zval = Zval::new();
    zval.set_interned_string(text, true)?;
    Ok(zval)
}

/// Keeps the registered class entry of a class of [`CLASSES`], and the
/// argument info of its methods, which the engine points at until the
/// module shuts down (as ext-php-rs keeps its classes' in their metadata;
/// forgotten, it was a leak at every exit).
fn remember(class: &'static mut ClassEntry, arg_info: ArgInfoTables) {
    ARG_INFO
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(Kept(arg_info));
    let name = class.name().unwrap_or_default();
    if let Some(index) = CLASSES.iter().position(|c| c.name == name) {
        ENTRIES[index].store(class, Ordering::Release);
    }
}

fn entry(index: usize) -> Option<&'static ClassEntry> {
    // SAFETY: set once from a `&'static mut ClassEntry` at registration.
    unsafe { ENTRIES.get(index)?.load(Ordering::Acquire).as_ref() }
}

/// The kind of the nearest class of [`CLASSES`] that `class` is or
/// extends; "" for the base class.
fn kind_of_class(class: &ClassEntry) -> &'static str {
    let mut class = Some(class);
    while let Some(current) = class {
        let ours = (0..CLASSES.len()).find(|&i| entry(i).is_some_and(|e| ptr::eq(e, current)));
        if let Some(index) = ours {
            return CLASSES[index].kind.map_or("", ErrorKind::as_str);
        }
        class = current.parent();
    }
    ""
}

fn base_entry() -> &'static ClassEntry {
    // The base registers first; the fallback is for a failed start only.
    entry(0).unwrap_or_else(runtime_exception)
}

/// The class a kind's class extends: `Sequra\Exception`, but for a TLS
/// failure, which is a transport failure too.
fn parent_of(kind: ErrorKind) -> (fn() -> &'static ClassEntry, &'static str) {
    match kind {
        ErrorKind::Tls => (transport_entry, "Sequra\\TransportException"),
        _ => (base_entry, "Sequra\\Exception"),
    }
}

fn transport_entry() -> &'static ClassEntry {
    CLASSES
        .iter()
        .position(|class| class.kind == Some(ErrorKind::Transport))
        .and_then(entry)
        .unwrap_or_else(base_entry)
}

fn runtime_exception() -> &'static ClassEntry {
    // SAFETY: SPL registers RuntimeException before any extension starts.
    unsafe { &*spl_ce_RuntimeException }
}
