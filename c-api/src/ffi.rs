//! The boring parts of the C boundary, once: running a call under
//! `catch_unwind`, reading C strings and JSON arguments, writing outputs,
//! and recording each call's outcome as the thread's last error.

use crate::last_error::{self, LastError};
use crate::SqStatus;
use sequra::fork::ForkLock;
use sequra::strict::JsonRefusal;
use serde::Serialize;
use serde_json::{json, Value};
use std::any::TypeId;
use std::collections::BTreeSet;
use std::ffi::{c_char, CStr, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Why a call failed: the core's error, a bad argument at the boundary, an
/// answer a C string cannot carry, or a panic caught at the boundary.
pub(crate) enum Failure {
    Core(sequra::Error),
    Argument(String),
    /// The call succeeded remotely but its answer holds a NUL byte.
    Output(String),
    /// A bug: a panic caught at the boundary, or a broken invariant.
    Internal(String),
}

impl From<sequra::Error> for Failure {
    fn from(error: sequra::Error) -> Self {
        Failure::Core(error)
    }
}

impl Failure {
    pub fn status(&self) -> SqStatus {
        match self {
            Failure::Argument(_) => SqStatus::SqErrInvalidArgument,
            Failure::Output(_) => SqStatus::SqErrUnexpectedResponse,
            Failure::Internal(_) => SqStatus::SqErrInternal,
            Failure::Core(error) => status_of(error.kind()),
        }
    }

    pub fn message(&self) -> String {
        match self {
            Failure::Core(error) => error.to_string(),
            Failure::Argument(message) | Failure::Output(message) => message.clone(),
            Failure::Internal(message) => format!("internal error: {message}; please report it"),
        }
    }

    /// Whether the server may have acted on the call.
    pub fn may_have_acted(&self) -> bool {
        match self {
            Failure::Core(error) => error.may_have_acted(),
            // Refused before anything was sent.
            Failure::Argument(_) => false,
            // The server did what was asked; only its answer is lost.
            Failure::Output(_) => true,
            // A panic may have struck after the request went out.
            Failure::Internal(_) => true,
        }
    }

    /// The details document of `sq_last_error_json`.
    pub fn details(&self) -> Value {
        let kind = match self {
            Failure::Core(error) => return error.details(),
            Failure::Argument(_) => "invalid_argument",
            Failure::Output(_) => "unexpected_response",
            Failure::Internal(_) => "internal",
        };
        json!({
            "kind": kind, "message": self.message(), "may_have_acted": self.may_have_acted(),
        })
    }
}

/// The status of an error of the library's `kind`: its name is the kind's
/// (`SQ_ERR_CONFLICT`, "conflict"), as sq_last_error_json's `kind` says.
fn status_of(kind: sequra::ErrorKind) -> SqStatus {
    use sequra::ErrorKind as K;
    match kind {
        K::InvalidInput => SqStatus::SqErrInvalidInput,
        K::Config => SqStatus::SqErrConfig,
        K::Authentication => SqStatus::SqErrAuthentication,
        K::Forbidden => SqStatus::SqErrForbidden,
        K::NotFound => SqStatus::SqErrNotFound,
        K::Conflict => SqStatus::SqErrConflict,
        K::Unprocessable => SqStatus::SqErrUnprocessable,
        K::RateLimited => SqStatus::SqErrRateLimited,
        K::Server => SqStatus::SqErrServer,
        K::Transport => SqStatus::SqErrTransport,
        K::Tls => SqStatus::SqErrTls,
        K::UnexpectedResponse => SqStatus::SqErrUnexpectedResponse,
        K::BadSignature => SqStatus::SqErrBadSignature,
    }
}

/// Every function that returns a status ends here: the outcome becomes the
/// calling thread's last error (a success clears it) and its status.
fn record(outcome: Result<(), Failure>) -> SqStatus {
    let (status, error) = match outcome {
        Ok(()) => (SqStatus::SqOk, None),
        Err(failure) => (failure.status(), Some(LastError::of(&failure))),
    };
    last_error::set(error);
    status
}

/// The message of the calling thread's last error, "" when there is none.
/// Borrowed until the thread's next [`record`].
pub(crate) fn last_error_message() -> *const c_char {
    last_error::read(|error| error.message.as_ptr(), c"".as_ptr())
}

/// The details JSON of the calling thread's last error, "{}" when there is
/// none; borrowed as [`last_error_message`].
pub(crate) fn last_error_json() -> *const c_char {
    last_error::read(|error| error.json.as_ptr(), c"{}".as_ptr())
}

/// Whether the calling thread's last error says the server may have
/// acted; false when there is none.
pub(crate) fn last_error_may_have_acted() -> bool {
    last_error::read(|error| error.may_have_acted, false)
}

/// `value` as JSON text. The core's answer types always serialise (their
/// keys are strings); if one ever did not, it is a bug, reported as
/// internal with `what` it was.
pub(crate) fn json_text(value: &impl Serialize, what: &str) -> Result<String, Failure> {
    serde_json::to_string(value)
        .map_err(|e| Failure::Internal(format!("{what} did not serialise: {e}")))
}

/// Writes `value` as JSON text to `out` (see [`write_string`]).
pub(crate) fn write_json(
    out: *mut *mut c_char,
    name: &str,
    value: &impl Serialize,
) -> Result<(), Failure> {
    write_string(out, name, &json_text(value, name)?)
}

/// A C string of `text`; an interior NUL (never in our own messages, but
/// possible in a server's text) becomes U+FFFD rather than cutting it short.
pub(crate) fn c_string_lossy(text: &str) -> CString {
    CString::new(without_nul(text)).unwrap_or_default()
}

pub(crate) fn without_nul(text: &str) -> String {
    text.replace('\0', "\u{FFFD}")
}

/// Runs `call` under `catch_unwind`, turning errors and panics into a status.
pub(crate) fn guard(call: impl FnOnce() -> Result<(), Failure>) -> Result<(), Failure> {
    match catch_unwind(AssertUnwindSafe(call)) {
        Ok(result) => result,
        Err(panic) => {
            let text = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic without a message".into());
            Err(Failure::Internal(text))
        }
    }
}

/// An opaque handle the C side holds: one client of one API. Every handle
/// type (`SqClient`, and one per partner API) implements this, so that
/// creating, freeing and calling work the same way for all of them.
///
/// `Send + Sync` is the static check that a handle may be shared by many
/// threads and freed on another than made it, as the header promises: a
/// core client that stopped being `Sync` fails to compile where its handle
/// implements this.
pub(crate) trait Handle: Sized + Send + Sync + 'static {
    type Client;
    /// The type's name in the header, for messages.
    const NAME: &'static str;
    fn new(client: Self::Client) -> Self;
    fn client(&self) -> &Self::Client;
}

/// Every live handle, by address and type. A handle pointer that is not
/// one (another kind of handle cast to this one, one already freed, a
/// stray non-NULL pointer) is then refused where it is looked up, never
/// read, and a second `_free` of one is nothing.
///
/// (A `BTreeSet`: its nodes are pointed to at their start, so valgrind
/// counts the set of handles alive at exit as reachable; a hash table's
/// pointer into the middle of its block reads as "possibly lost".)
///
/// A fork waits for it (`ForkLock::hold_across_forks`, from the first
/// handle on): a child of a process whose other threads make and free
/// handles gets the set whole and free, never one left held or mid-update.
static LIVE: ForkLock<BTreeSet<(usize, TypeId)>> = ForkLock::new_static(BTreeSet::new());

/// Whether `handle` is a live handle of type `H`. (Were the set ever found
/// held since before a fork, which `hold_across_forks` prevents, it could
/// not be told: taken as live, as it was before the set existed.)
fn is_live<H: Handle>(handle: *const H) -> bool {
    let key = (handle as usize, TypeId::of::<H>());
    LIVE.lock().is_none_or(|live| live.contains(&key))
}

fn register<H: Handle>(handle: *const H) {
    LIVE.hold_across_forks();
    if let Some(mut live) = LIVE.lock() {
        live.insert((handle as usize, TypeId::of::<H>()));
    }
}

/// Whether `handle` was a live handle of type `H`, which it no longer is.
fn unregister<H: Handle>(handle: *const H) -> bool {
    let key = (handle as usize, TypeId::of::<H>());
    LIVE.lock().is_none_or(|mut live| live.remove(&key))
}

/// Implements [`Handle`] for an opaque handle struct whose one field is
/// `client`. The struct itself stays written out where it is exported, so
/// that cbindgen sees it.
macro_rules! impl_handle {
    ($handle:ident, $client:ty) => {
        impl $crate::ffi::Handle for $handle {
            type Client = $client;
            const NAME: &'static str = stringify!($handle);
            fn new(client: $client) -> Self {
                $handle { client }
            }
            fn client(&self) -> &$client {
                &self.client
            }
        }
    };
}
pub(crate) use impl_handle;

/// The shape of every function that takes a handle: borrow it (shared: a
/// handle holds nothing a call changes), run `call` as [`detached`] does.
/// Every handle parameter is named `client`, as the message says.
pub(crate) fn boundary<H: Handle>(
    handle: *const H,
    call: impl FnOnce(&H::Client) -> Result<(), Failure>,
) -> SqStatus {
    detached(|| {
        if handle.is_null() {
            return Err(Failure::Argument("client is NULL".into()));
        }
        if !is_live(handle) {
            return Err(Failure::Argument(format!(
                "client is not a live {} (another kind of handle, or one already freed)",
                H::NAME
            )));
        }
        // SAFETY: a live handle came from its _new function and is not
        // freed while a call on it runs, as the header documents; `H: Sync`,
        // so many threads may hold this shared reference at once.
        let handle = unsafe { &*handle };
        call(handle.client())
    })
}

/// The shape of every `_new` function: reads the options JSON, builds the
/// client with `make`, writes the handle to `*out` (untouched on failure),
/// as [`detached`] does.
pub(crate) fn create<H: Handle>(
    options_json: *const c_char,
    out: *mut *mut H,
    make: impl FnOnce(&Value) -> Result<H::Client, Failure>,
) -> SqStatus {
    detached(|| {
        let out = out_arg(out, "out_client")?;
        // A key given twice is a bad option, as any other (SQ_ERR_CONFIG).
        let options = json_arg(options_json, "options_json").map_err(|failure| match failure {
            Failure::Core(sequra::Error::InvalidInput(problems)) => Failure::Core(
                sequra::Error::Config(sequra::error::problems_sentence(&problems)),
            ),
            other => other,
        })?;
        let handle = Box::into_raw(Box::new(H::new(make(&options)?)));
        register(handle);
        // SAFETY: out_arg checked that `out` is not NULL.
        unsafe { *out = handle };
        Ok(())
    })
}

/// The shape of every function that returns a status, and by itself of
/// those that need no handle (the notification and webhook helpers): runs
/// `call` under [`guard`] and records the outcome as the thread's last
/// error.
pub(crate) fn detached(call: impl FnOnce() -> Result<(), Failure>) -> SqStatus {
    record(guard(call))
}

/// A byte buffer argument (`pointer`, `length`); NULL is allowed only with
/// length 0.
pub(crate) fn bytes_arg<'a>(
    value: *const u8,
    length: usize,
    name: &str,
) -> Result<&'a [u8], Failure> {
    if value.is_null() {
        return if length == 0 {
            Ok(&[])
        } else {
            Err(Failure::Argument(format!("{name} is NULL")))
        };
    }
    // No buffer is longer than isize::MAX bytes or ends past the address
    // space: such a length is a caller's error (a (size_t)-1 from a failed
    // read()), and `from_raw_parts` may not be given it.
    if isize::try_from(length).is_err() || (value as usize).checked_add(length).is_none() {
        return Err(Failure::Argument(format!(
            "{name}_length is {length}, longer than any buffer can be"
        )));
    }
    // SAFETY: the caller passes `length` readable bytes at `value`, as the
    // header documents; they are only read during the call.
    Ok(unsafe { std::slice::from_raw_parts(value, length) })
}

/// The shape of every `_free` function; NULL is ignored.
pub(crate) fn free<H: Handle>(handle: *mut H) {
    // A pointer that is no live handle of this type (freed already, or
    // another kind) is left alone: freeing it again would corrupt memory.
    if !handle.is_null() && unregister(handle) {
        // SAFETY: a live handle came from Box::into_raw in `create`, and
        // is freed once (it is live no more), after every call on it
        // returned, as documented.
        let _ = guard(|| {
            drop(unsafe { Box::from_raw(handle) });
            Ok(())
        });
    }
}

/// A required C string argument, as UTF-8.
pub(crate) fn str_arg<'a>(value: *const c_char, name: &str) -> Result<&'a str, Failure> {
    if value.is_null() {
        return Err(Failure::Argument(format!("{name} is NULL")));
    }
    // SAFETY: the caller passes a NUL-terminated string, as documented.
    unsafe { CStr::from_ptr(value) }
        .to_str()
        .map_err(|e| Failure::Argument(format!("{name} is not valid UTF-8 ({e})")))
}

/// A NUL-terminated body received from the network (a webhook's, a
/// callback's), as bytes: they are the sender's, not the caller's, so bytes
/// that are not UTF-8 are left to the reader, which refuses them as invalid
/// input, never as a bad argument.
pub(crate) fn received_arg<'a>(value: *const c_char, name: &str) -> Result<&'a [u8], Failure> {
    if value.is_null() {
        return Err(Failure::Argument(format!("{name} is NULL")));
    }
    // SAFETY: the caller passes a NUL-terminated string, as documented.
    Ok(unsafe { CStr::from_ptr(value) }.to_bytes())
}

/// A required JSON argument. Text that is not JSON is a bad argument; an
/// object with a key twice is invalid input naming the object and the key
/// (which value was meant is ambiguous, so it is never resolved).
pub(crate) fn json_arg(value: *const c_char, name: &str) -> Result<Value, Failure> {
    use sequra::strict::{parse_json, too_long, MAX_JSON_TEXT};
    if value.is_null() {
        return Err(Failure::Argument(format!("{name} is NULL")));
    }
    // Measured only up to the longest text read: a longer one is refused
    // without reading the rest.
    // SAFETY: the caller passes a NUL-terminated string, as documented;
    // strnlen reads no further than its NUL or the bound.
    let length = unsafe { libc::strnlen(value, MAX_JSON_TEXT + 1) };
    if length > MAX_JSON_TEXT {
        return Err(Failure::Core(too_long(name)));
    }
    // SAFETY: `length` bytes were just read by strnlen.
    let bytes = unsafe { std::slice::from_raw_parts(value.cast::<u8>(), length) };
    let text = std::str::from_utf8(bytes)
        .map_err(|e| Failure::Argument(format!("{name} is not valid UTF-8 ({e})")))?;
    parse_json(text.as_bytes(), name).map_err(|refusal| match refusal {
        JsonRefusal::Syntax(e) => Failure::Argument(format!("{name} is not valid JSON: {e}")),
        JsonRefusal::Refused(error) => Failure::Core(error),
    })
}

/// An optional JSON argument: NULL is `None`.
pub(crate) fn optional_json_arg(
    value: *const c_char,
    name: &str,
) -> Result<Option<Value>, Failure> {
    if value.is_null() {
        Ok(None)
    } else {
        json_arg(value, name).map(Some)
    }
}

/// Checks an output pointer before any work is done, so that a NULL one
/// never costs a request the caller cannot see the answer of.
pub(crate) fn out_arg<T>(out: *mut *mut T, name: &str) -> Result<*mut *mut T, Failure> {
    if out.is_null() {
        Err(Failure::Argument(format!("{name} is NULL")))
    } else {
        Ok(out)
    }
}

/// Hands `value` to the caller as a string it frees with `sq_string_free`.
/// A NUL byte inside `value` is an error rather than a silently cut string.
pub(crate) fn write_string(out: *mut *mut c_char, name: &str, value: &str) -> Result<(), Failure> {
    let text = CString::new(value).map_err(|e| {
        Failure::Output(format!(
            "the answer holds a NUL byte at offset {}, which a C string cannot carry; \
             nothing was written to {name}",
            e.nul_position()
        ))
    })?;
    // SAFETY: `out` was checked non-NULL by out_arg.
    unsafe { *out = text.into_raw() };
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ptr;

    /// A C program tells errors apart by status, or by `kind` in the JSON:
    /// the same name.
    #[test]
    fn an_errors_kind_in_the_json_is_its_status_name() {
        use sequra::ErrorKind as K;
        let name = |status: SqStatus| {
            let name = unsafe { std::ffi::CStr::from_ptr(crate::sq_status_name(status as u32)) };
            let name = name.to_str().unwrap().strip_prefix("SQ_ERR_").unwrap();
            name.to_ascii_lowercase()
        };
        let kinds = [
            K::InvalidInput,
            K::Config,
            K::Authentication,
            K::Forbidden,
            K::NotFound,
            K::Conflict,
            K::Unprocessable,
            K::RateLimited,
            K::Server,
            K::Transport,
            K::Tls,
            K::UnexpectedResponse,
            K::BadSignature,
        ];
        for kind in kinds {
            assert_eq!(kind.as_str(), name(status_of(kind)));
        }
        for failure in [
            Failure::Argument("a".into()),
            Failure::Output("o".into()),
            Failure::Internal("i".into()),
        ] {
            assert_eq!(failure.details()["kind"], name(failure.status()));
        }
    }

    #[test]
    fn null_and_bad_utf8_are_argument_errors() {
        let err = str_arg(ptr::null(), "order_json").err().unwrap();
        assert_eq!(err.message(), "order_json is NULL");
        assert_eq!(err.status(), SqStatus::SqErrInvalidArgument);
        let bad = [b'{', 0xff, 0xfe, b'}', 0];
        let err = str_arg(bad.as_ptr().cast(), "order_json").err().unwrap();
        assert!(err.message().starts_with("order_json is not valid UTF-8"));
        assert_eq!(err.status(), SqStatus::SqErrInvalidArgument);
        assert_eq!(err.details()["kind"], "invalid_argument");
        assert_eq!(err.details()["may_have_acted"], false);
    }

    #[test]
    fn bad_json_names_the_argument_and_the_place() {
        let err = json_arg(c"{\"a\": }".as_ptr(), "order_json").err().unwrap();
        assert_eq!(err.status(), SqStatus::SqErrInvalidArgument);
        assert_eq!(
            err.message(),
            "order_json is not valid JSON: expected value at line 1 column 7"
        );
    }

    #[test]
    fn json_with_a_key_twice_is_invalid_input_naming_the_object_and_key() {
        let text = c"{\"cart\":{\"order_total_with_tax\":1,\"order_total_with_tax\":3272}}";
        let err = json_arg(text.as_ptr(), "order_json").err().unwrap();
        assert_eq!(err.status(), SqStatus::SqErrInvalidInput);
        assert_eq!(err.details()["problems"][0]["path"], "cart");
        assert!(
            err.message()
                .contains("cart: has the key \"order_total_with_tax\" twice"),
            "{}",
            err.message()
        );
        assert_eq!(err.details()["may_have_acted"], false);
        let top = c"{\"password\":\"a\",\"password\":\"b\"}";
        let err = json_arg(top.as_ptr(), "options_json").err().unwrap();
        assert_eq!(err.details()["problems"][0]["path"], "options_json");
    }

    /// Blanks and digits are no values nor text of the bound: a text of
    /// them past the longest JSON read is refused, measured only that far.
    #[test]
    fn json_text_longer_than_any_document_needs_is_refused_unread() {
        use sequra::strict::MAX_JSON_TEXT;
        let padded = |blanks: usize| CString::new(format!("{{{}}}", " ".repeat(blanks))).unwrap();
        let err = json_arg(padded(MAX_JSON_TEXT).as_ptr(), "order_json")
            .err()
            .unwrap();
        assert_eq!(err.status(), SqStatus::SqErrInvalidInput);
        assert_eq!(err.details()["problems"][0]["path"], "order_json");
        assert!(
            err.message().contains("bytes of JSON text"),
            "{}",
            err.message()
        );
        assert!(json_arg(padded(MAX_JSON_TEXT - 2).as_ptr(), "order_json").is_ok());
    }

    #[test]
    fn json_larger_than_any_document_is_invalid_input_as_it_is_read() {
        let million = CString::new(format!("[{}0]", "0,".repeat(999_999))).unwrap();
        let err = json_arg(million.as_ptr(), "order_json").err().unwrap();
        assert_eq!(err.status(), SqStatus::SqErrInvalidInput);
        assert_eq!(err.details()["problems"][0]["path"], "order_json");
        assert!(
            err.message().contains("more than 100000 values"),
            "{}",
            err.message()
        );
        assert_eq!(err.details()["may_have_acted"], false);
    }

    /// tests/c/testing.h's valid order, with `TOTAL` for its cart total.
    const ORDER: &str = r#"{"state": "",
        "merchant": {"id": "demo", "notify_url": "https://shop.example/ipn"},
        "merchant_reference": {"order_ref_1": "C-1"},
        "cart": {"currency": "EUR", "gift": false, TOTAL, "items": [
            {"reference": "12-123", "name": "Leather Case", "price_with_tax": 3030,
             "quantity": 1, "total_with_tax": 3030, "downloadable": false},
            {"type": "handling", "reference": "seur24", "name": "SEUR 24h", "total_with_tax": 242}]},
        "delivery_method": {"name": "SEUR24"},
        "delivery_address": {"given_names": "Ana", "surnames": "Ruiz", "company": "",
            "address_line_1": "C/ Mayor 1", "address_line_2": "", "postal_code": "08001",
            "city": "Barcelona", "country_code": "ES", "mobile_phone": "+34666555444"},
        "invoice_address": {"given_names": "Ana", "surnames": "Ruiz", "company": "",
            "address_line_1": "C/ Mayor 1", "address_line_2": "", "postal_code": "08001",
            "city": "Barcelona", "country_code": "ES"},
        "customer": {"given_names": "Ana", "surnames": "Ruiz", "email": "ana@example.com",
            "logged_in": true, "language_code": "es-ES", "ip_number": "127.0.0.1", "user_agent": "c"},
        "gui": {"layout": "desktop"},
        "platform": {"name": "c-tests", "version": "1", "uname": "linux", "db_name": "none",
            "db_version": "0"}}"#;

    fn order(total: &str) -> CString {
        CString::new(ORDER.replace("TOTAL", total)).unwrap()
    }

    #[test]
    fn an_order_with_a_key_twice_is_refused_by_start_and_validate_and_never_sent() {
        use crate::testing::{last_error, text};
        // Nothing listens on port 9: an order that goes out fails with
        // SQ_ERR_TRANSPORT, as the valid one does.
        let options = c"{\"endpoint\":\"http://127.0.0.1:9\",\"merchant\":\"demo\",\"username\":\"demo\",\"password\":\"pw\",\"timeout\":0.2}";
        let mut client = ptr::null_mut();
        assert_eq!(
            crate::sq_client_new(options.as_ptr(), &mut client),
            SqStatus::SqOk
        );
        let valid = order(r#""order_total_with_tax": 3272"#);
        let mut problems = ptr::null_mut();
        let status = crate::orders::sq_orders_validate(client, valid.as_ptr(), &mut problems);
        assert_eq!(status, SqStatus::SqOk, "{}", last_error());
        assert_eq!(text(problems), "[]");
        crate::sq_string_free(problems);
        let mut uri = ptr::null_mut();
        let status = crate::orders::sq_orders_start(client, valid.as_ptr(), &mut uri);
        assert_eq!(status, SqStatus::SqErrTransport, "{}", last_error());

        // Read last-wins, this one is the valid order.
        let twice = order(r#""order_total_with_tax": 1, "order_total_with_tax": 3272"#);
        let status = crate::orders::sq_orders_start(client, twice.as_ptr(), &mut uri);
        assert_eq!(status, SqStatus::SqErrInvalidInput, "{}", last_error());
        assert!(uri.is_null());
        assert_eq!(
            last_error(),
            "invalid input: cart: has the key \"order_total_with_tax\" twice; a key may appear only once (which value is meant would be ambiguous)"
        );
        let mut problems = ptr::null_mut();
        let status = crate::orders::sq_orders_validate(client, twice.as_ptr(), &mut problems);
        assert_eq!(status, SqStatus::SqErrInvalidInput);
        assert!(problems.is_null());
        crate::sq_client_free(client);
    }

    #[test]
    fn options_with_a_password_twice_make_no_client() {
        use crate::testing::last_error;
        let options = c"{\"endpoint\":\"http://127.0.0.1:9\",\"merchant\":\"demo\",\"username\":\"demo\",\"password\":\"S3CR3T-a\",\"password\":\"S3CR3T-b\"}";
        let mut client = ptr::null_mut();
        let status = crate::sq_client_new(options.as_ptr(), &mut client);
        // A bad option, as any other.
        assert_eq!(status, SqStatus::SqErrConfig);
        assert!(client.is_null());
        assert!(
            last_error().contains("\"password\" twice"),
            "{}",
            last_error()
        );
        assert!(!last_error().contains("S3CR3T"), "{}", last_error());
    }

    #[test]
    fn null_optional_json_is_none() {
        assert!(optional_json_arg(ptr::null(), "options_json")
            .ok()
            .unwrap()
            .is_none());
        let value = optional_json_arg(c"{\"ajax\":true}".as_ptr(), "options_json");
        assert_eq!(value.ok().unwrap().unwrap()["ajax"], true);
    }

    #[test]
    fn a_panic_is_caught_as_an_internal_error() {
        let err = guard(|| panic!("boom")).err().unwrap();
        assert_eq!(err.status(), SqStatus::SqErrInternal);
        assert_eq!(err.message(), "internal error: boom; please report it");
        assert_eq!(err.details()["kind"], "internal");
        let err = guard(|| panic!("{} apples", 3)).err().unwrap();
        assert_eq!(err.message(), "internal error: 3 apples; please report it");
    }

    #[test]
    fn output_is_untouched_on_failure() {
        let mut out: *mut c_char = ptr::null_mut();
        let result = guard(|| {
            out_arg(&mut out, "out")?;
            Err(Failure::Argument("nope".into()))
        });
        assert!(result.is_err());
        assert!(out.is_null());
        let err = out_arg::<c_char>(ptr::null_mut(), "out_uri").err().unwrap();
        assert_eq!(err.message(), "out_uri is NULL");
    }

    #[test]
    fn an_answer_with_a_nul_byte_is_an_error_not_a_truncation() {
        let mut out: *mut c_char = ptr::null_mut();
        let err = write_string(&mut out, "out_html", "<p>a\0b</p>")
            .err()
            .unwrap();
        assert!(out.is_null());
        assert_eq!(err.status(), SqStatus::SqErrUnexpectedResponse);
        assert!(
            err.message().contains("NUL byte at offset 4"),
            "{}",
            err.message()
        );
        assert!(err.message().contains("out_html"), "{}", err.message());
        assert_eq!(err.details()["may_have_acted"], true);
    }

    #[test]
    fn a_written_string_is_the_whole_value() {
        let mut out: *mut c_char = ptr::null_mut();
        assert!(write_string(&mut out, "out_uri", "héllo").is_ok());
        // SAFETY: write_string wrote a CString::into_raw pointer.
        let text = unsafe { CString::from_raw(out) };
        assert_eq!(text.to_str().unwrap(), "héllo");
    }

    #[test]
    fn core_errors_keep_their_kind_and_details() {
        let err = Failure::from(sequra::Error::Config(
            "option timeout must be a number".into(),
        ));
        assert_eq!(err.status(), SqStatus::SqErrConfig);
        assert_eq!(err.details()["kind"], "config");
    }

    #[test]
    fn the_details_message_is_the_same_text_as_the_message() {
        let failure = Failure::from(sequra::Error::invalid("cart.a\0b", "is not a field"));
        let last = LastError::of(&failure);
        let details: Value = serde_json::from_slice(last.json.to_bytes()).unwrap();
        assert_eq!(
            last.message.to_str().unwrap(),
            "invalid input: cart.a\u{FFFD}b: is not a field"
        );
        assert_eq!(details["message"], last.message.to_str().unwrap());
        assert_eq!(
            details["problems"][0]["path"], "cart.a\0b",
            "JSON can carry it"
        );
    }

    #[test]
    fn messages_with_a_nul_byte_are_kept_whole() {
        assert_eq!(c_string_lossy("a\0b").to_str().unwrap(), "a\u{FFFD}b");
    }
}
