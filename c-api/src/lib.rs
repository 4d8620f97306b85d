//! The C ABI of the sequra library (`libsequra.so`, `libsequra.a`,
//! `include/sequra.h`).
//!
//! Every function is a thin wrapper with one shape: check the pointers,
//! decode the strings, call the core, encode the answer, write the output
//! only on success. The mechanics live in the module `ffi`.

// These functions are called from C, where Rust's `unsafe` marker means
// nothing: each documents its pointer contract in the header instead, and
// checks every pointer it can (NULL) before use.
#![allow(clippy::not_unsafe_ptr_arg_deref)]

mod checkout_com;
mod ffi;
#[cfg(test)]
mod hostile;
mod last_error;
mod logging;
mod notifications;
mod orders;
mod paysera;
mod pos;

use sequra::orders::Client;
use std::ffi::{c_char, CString};

/// The outcome of a call: 0 is success, anything else an error whose
/// details the calling thread's sq_last_error and sq_last_error_json give.
/// The numbers are fixed forever: new statuses are added at the end, none
/// is ever renumbered or reused, so a caller should treat an unknown
/// number as an error.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SqStatus {
    /// The call succeeded; its outputs are written.
    SqOk = 0,
    /// A pointer argument was NULL or not a live handle of the function's
    /// kind, a string was not UTF-8, a JSON argument did not parse, a
    /// length was more than any buffer can hold, or two outputs were the
    /// same pointer. Nothing was sent.
    SqErrInvalidArgument = 1,
    /// The payload has problems (a document, options of a call, a
    /// notification or callback received), listed in the last error's JSON
    /// under `problems` (each with `path` and `message`). Nothing was sent.
    SqErrInvalidInput = 2,
    /// The client options are unusable, or a secret or setting a function
    /// without a handle takes (a notification or webhook secret, an
    /// `identity_parameter`), or the system's random source failed.
    /// Nothing was sent (but for a checkout.com OAuth client's token
    /// request, whose endpoint refused its `scope`: the call's own request
    /// was not sent).
    SqErrConfig = 3,
    /// HTTP 401: the credentials were refused (a username or password, a
    /// Paysera MAC, a checkout.com key).
    SqErrAuthentication = 4,
    /// HTTP 403: the credentials may not do this (e.g. another merchant's
    /// order).
    SqErrForbidden = 5,
    /// HTTP 404: no such thing (an order, a setup, a payment request, a
    /// notification).
    SqErrNotFound = 6,
    /// HTTP 409: refused in the current state; the server's reasons are in
    /// the last error's JSON under `errors`. (The POS API answers a state
    /// it refuses with 422: SQ_ERR_UNPROCESSABLE.)
    SqErrConflict = 7,
    /// HTTP 422, or a 400 with the server's reasons: the request was refused
    /// as sent, or in its state for the POS API; `errors` in the JSON name
    /// what to fix.
    SqErrUnprocessable = 8,
    /// HTTP 429: too many requests; `retry_after` in the JSON says when.
    SqErrRateLimited = 9,
    /// HTTP 5xx: the server failed and may have acted; the message says
    /// what sending the call again would do (see sq_last_error_json).
    SqErrServer = 10,
    /// The request did not complete (connection, timeout); `may_have_acted`
    /// in the JSON says whether it can have arrived. (A refused TLS
    /// connection is SQ_ERR_TLS.)
    SqErrTransport = 11,
    /// The server answered something the API does not document.
    SqErrUnexpectedResponse = 12,
    /// A notification's signature did not match.
    SqErrBadSignature = 13,
    /// A bug inside the library was caught at the boundary; please report it.
    SqErrInternal = 14,
    /// The server's certificate was refused (a CA the client does not trust,
    /// another host name, expired) or no TLS connection could be agreed on;
    /// nothing was sent. Check the endpoint and the `ca_file` option. Any
    /// call documented to return SQ_ERR_TRANSPORT may return it.
    SqErrTls = 15,
}

impl SqStatus {
    const ALL: [SqStatus; 16] = [
        SqStatus::SqOk,
        SqStatus::SqErrInvalidArgument,
        SqStatus::SqErrInvalidInput,
        SqStatus::SqErrConfig,
        SqStatus::SqErrAuthentication,
        SqStatus::SqErrForbidden,
        SqStatus::SqErrNotFound,
        SqStatus::SqErrConflict,
        SqStatus::SqErrUnprocessable,
        SqStatus::SqErrRateLimited,
        SqStatus::SqErrServer,
        SqStatus::SqErrTransport,
        SqStatus::SqErrUnexpectedResponse,
        SqStatus::SqErrBadSignature,
        SqStatus::SqErrInternal,
        SqStatus::SqErrTls,
    ];

    fn from_number(number: u32) -> Option<SqStatus> {
        SqStatus::ALL.into_iter().find(|s| *s as u32 == number)
    }
}

/// A client of one merchant's seQura account. Opaque: create it with
/// sq_client_new and release it with sq_client_free. Any number of threads
/// may call functions with one handle at once.
pub struct SqClient {
    client: Client,
}

ffi::impl_handle!(SqClient, Client);

/// Creates a client from the options JSON object in `options_json`:
/// `endpoint` ("sandbox", "live" or a URL; plain http only to loopback),
/// `merchant`, `username`, `password`; optionally `contract` (the
/// merchant's contract options, which the order checks follow: a list of
/// "services", "multistore", "garage", "shipment_ref", "instore"), `flow`
/// ("online", the default, or "pos_legacy" for in-store orders confirmed
/// without IPN) and `allow_unknown_keys` (true lets order keys the API
/// does not name through); and the connection options (the top of
/// sequra.h). Unknown keys are refused: they are usually typos. Nothing is
/// sent.
///
/// `options_json` is borrowed for the call. On SQ_OK, `*out_client`
/// receives the handle, owned by the caller: release it with
/// sq_client_free. On failure `*out_client` is untouched.
///
/// Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT (`options_json` or `out_client`
/// NULL, not UTF-8, not JSON); SQ_ERR_CONFIG (a missing, unknown or bad
/// option, an unreadable `ca_file`, a bad `proxy`); SQ_ERR_INTERNAL.
/// Details via sq_last_error().
#[no_mangle]
pub extern "C" fn sq_client_new(
    options_json: *const c_char,
    out_client: *mut *mut SqClient,
) -> SqStatus {
    ffi::create(options_json, out_client, |options| {
        Ok(Client::from_json(options)?)
    })
}

/// Releases a client made by sq_client_new. NULL is allowed and ignored.
/// Call it once, when no other call with the handle is running or will
/// follow: freeing a handle twice, or while another thread uses it, is a
/// bug the library catches only when it can (see the top of sequra.h): do
/// not rely on it.
#[no_mangle]
pub extern "C" fn sq_client_free(client: *mut SqClient) {
    ffi::free(client)
}

/// Releases a string the library handed out through an `out_` parameter.
/// NULL is allowed and ignored. Never pass it a borrowed or static string
/// (sq_last_error, sq_last_error_json, sq_version, sq_status_name,
/// sq_log_level_name, a log callback's `message` and `context_json`), nor
/// free twice.
#[no_mangle]
pub extern "C" fn sq_string_free(s: *mut c_char) {
    if !s.is_null() {
        // SAFETY: every string the library hands out comes from
        // CString::into_raw and is freed once, as documented.
        drop(unsafe { CString::from_raw(s) });
    }
}

/// The message of the calling thread's last call that returned a status:
/// "" when it succeeded (or the thread made none), else what went wrong
/// and what to do. Never holds a password, key or secret. Borrowed from
/// the library: valid until this thread's next call of a function that
/// returns an SqStatus, or until the thread exits (other threads' calls
/// never touch it); copy it to keep it or hand it to another thread; do
/// not free it. Calls from an atexit handler or a pthread key destructor
/// keep their last error too.
#[no_mangle]
pub extern "C" fn sq_last_error() -> *const c_char {
    ffi::last_error_message()
}

/// The calling thread's last error as a JSON object: `kind` (the
/// status's name in lower case without SQ_ERR_: "conflict" for
/// SQ_ERR_CONFLICT, "invalid_argument", "internal", ...), `message` (as
/// sq_last_error), `may_have_acted` (false: the request certainly had no
/// effect and can be corrected and sent again; true: it may have, and the
/// message ends with what sending it again would do, by the request's
/// method: a GET, PUT or PATCH (reads, confirm, hold, cancel, reference
/// and post-sale updates, Paysera's capture and cancel) acts only once
/// however often it is sent, so sending it again is safe; a POST (a
/// solicitation, the form by SMS, a POS order and its SMS and cancel, a
/// Paysera request) may act twice; checkout.com's POSTs are safe again
/// with their `idempotency_key`), and where they apply
/// `status` (HTTP), `errors` (the server's own list: seQura's messages,
/// Paysera's "field: message (code)" or, from its `error_properties`,
/// "field: message (error)"; checkout.com's `error_codes`),
/// `problems` (of the payload, each with `path` and `message`),
/// `request_id` (the server's id of the request, for its support),
/// `retry_after` (seconds, a day at most) and `idempotency_key` (the key a failed
/// checkout.com POST that may have acted carried: send it again to retry
/// safely). "{}" when the last call succeeded. Borrowed
/// like sq_last_error; do not free it.
#[no_mangle]
pub extern "C" fn sq_last_error_json() -> *const c_char {
    ffi::last_error_json()
}

/// sq_last_error_json's `may_have_acted`, without reading JSON: true when
/// the calling thread's last call that returned a status failed after the
/// server may have acted on it (sq_last_error says what sending it again
/// would do); false when it certainly had no effect, or succeeded.
#[no_mangle]
pub extern "C" fn sq_last_error_may_have_acted() -> bool {
    ffi::last_error_may_have_acted()
}

/// The library's version, e.g. "0.1.0". Static: never free it.
#[no_mangle]
pub extern "C" fn sq_version() -> *const c_char {
    static VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");
    VERSION.as_ptr().cast()
}

/// The name of a status, e.g. "SQ_ERR_CONFLICT", or "SQ_UNKNOWN" for a
/// number that is no status (it takes any uint32_t, so a stray number is
/// safe to pass). Static: never free it.
#[no_mangle]
pub extern "C" fn sq_status_name(status: u32) -> *const c_char {
    // A u32, not SqStatus: any number C passes must be safe to look up.
    let Some(status) = SqStatus::from_number(status) else {
        return c"SQ_UNKNOWN".as_ptr();
    };
    let name = match status {
        SqStatus::SqOk => c"SQ_OK",
        SqStatus::SqErrInvalidArgument => c"SQ_ERR_INVALID_ARGUMENT",
        SqStatus::SqErrInvalidInput => c"SQ_ERR_INVALID_INPUT",
        SqStatus::SqErrConfig => c"SQ_ERR_CONFIG",
        SqStatus::SqErrAuthentication => c"SQ_ERR_AUTHENTICATION",
        SqStatus::SqErrForbidden => c"SQ_ERR_FORBIDDEN",
        SqStatus::SqErrNotFound => c"SQ_ERR_NOT_FOUND",
        SqStatus::SqErrConflict => c"SQ_ERR_CONFLICT",
        SqStatus::SqErrUnprocessable => c"SQ_ERR_UNPROCESSABLE",
        SqStatus::SqErrRateLimited => c"SQ_ERR_RATE_LIMITED",
        SqStatus::SqErrServer => c"SQ_ERR_SERVER",
        SqStatus::SqErrTransport => c"SQ_ERR_TRANSPORT",
        SqStatus::SqErrUnexpectedResponse => c"SQ_ERR_UNEXPECTED_RESPONSE",
        SqStatus::SqErrBadSignature => c"SQ_ERR_BAD_SIGNATURE",
        SqStatus::SqErrInternal => c"SQ_ERR_INTERNAL",
        SqStatus::SqErrTls => c"SQ_ERR_TLS",
    };
    name.as_ptr()
}

/// What the unit tests of every module share: reading the library's C
/// strings and the calling thread's last error.
#[cfg(test)]
mod testing {
    use std::ffi::{c_char, CStr};

    /// A C string the library handed out or lent, copied.
    pub fn text(s: *const c_char) -> String {
        // SAFETY: the library's strings are NUL-terminated UTF-8.
        unsafe { CStr::from_ptr(s) }.to_str().unwrap().to_owned()
    }

    /// The calling thread's sq_last_error.
    pub fn last_error() -> String {
        text(crate::sq_last_error())
    }

    /// The calling thread's sq_last_error_json, parsed.
    pub fn last_error_json() -> serde_json::Value {
        serde_json::from_str(&text(crate::sq_last_error_json())).unwrap()
    }
}

#[cfg(test)]
mod tests {
    use super::testing::{last_error, last_error_json, text};
    use super::*;
    use crate::ffi::boundary;
    use crate::orders::{sq_orders_confirm, sq_orders_form, sq_orders_start, sq_orders_validate};
    use std::ptr;

    /// A handle on a loopback port where nothing listens: no test here
    /// means to send anything, and a request that went out would fail.
    fn client() -> *mut SqClient {
        let options = c"{\"endpoint\":\"http://127.0.0.1:9\",\"merchant\":\"demo\",\"username\":\"demo\",\"password\":\"pw\",\"timeout\":1}";
        let mut client = ptr::null_mut();
        assert_eq!(sq_client_new(options.as_ptr(), &mut client), SqStatus::SqOk);
        client
    }

    /// A call on `client` that fails at once with a message naming `tag`
    /// (an unknown form option); nothing is sent.
    fn fail_naming(client: *const SqClient, tag: &str) -> SqStatus {
        let options = std::ffi::CString::new(format!("{{\"{tag}\":1}}")).unwrap();
        let mut html = ptr::null_mut();
        sq_orders_form(client, c"3f2a-99".as_ptr(), options.as_ptr(), &mut html)
    }

    #[test]
    fn status_numbers_and_names_match_the_header() {
        let header = include_str!("../../include/sequra.h");
        for (number, status) in SqStatus::ALL.into_iter().enumerate() {
            assert_eq!(status as u32, number as u32);
            let name = text(sq_status_name(number as u32));
            assert!(
                header.contains(&format!("  {name} = {number},")),
                "{name} = {number} is not in include/sequra.h"
            );
        }
        // A status added to the enum but not to ALL would be SQ_UNKNOWN.
        let declared = header
            .lines()
            .filter(|line| line.starts_with("  SQ_OK = ") || line.starts_with("  SQ_ERR_"))
            .count();
        assert_eq!(
            declared,
            SqStatus::ALL.len(),
            "SqStatus::ALL misses a status"
        );
        assert_eq!(
            text(sq_status_name(SqStatus::ALL.len() as u32)),
            "SQ_UNKNOWN"
        );
        assert_eq!(text(sq_status_name(u32::MAX)), "SQ_UNKNOWN");
    }

    #[test]
    fn a_handle_of_another_kind_or_freed_is_an_argument_error_and_its_free_nothing() {
        let mut pos = ptr::null_mut();
        let options = c"{\"endpoint\":\"http://127.0.0.1:9\",\"merchant\":\"demo\",\"username\":\"demo\",\"password\":\"pw\"}";
        assert_eq!(
            pos::sq_pos_client_new(options.as_ptr(), &mut pos),
            SqStatus::SqOk
        );
        let cast = pos as *mut SqClient;
        let mut out = ptr::null_mut();
        let status = sq_orders_validate(cast, c"{}".as_ptr(), &mut out);
        assert_eq!(status, SqStatus::SqErrInvalidArgument);
        assert_eq!(
            last_error(),
            "client is not a live SqClient (another kind of handle, or one already freed)"
        );
        assert!(out.is_null());
        // A _free of another kind frees nothing: the POS client still works.
        sq_client_free(cast);
        let status = pos::sq_pos_orders_validate(pos, c"{}".as_ptr(), &mut out);
        assert_eq!(status, SqStatus::SqOk, "{}", last_error());
        sq_string_free(out);
        pos::sq_pos_client_free(pos);

        let freed = client();
        sq_client_free(freed);
        let mut out = ptr::null_mut();
        let status = sq_orders_validate(freed, c"{}".as_ptr(), &mut out);
        assert_eq!(status, SqStatus::SqErrInvalidArgument);
        assert!(last_error().starts_with("client is not a live SqClient"));
        // Freed twice: nothing.
        sq_client_free(freed);

        // A stray pointer, never a handle: refused, never read or freed.
        let stray = Box::into_raw(Box::new([0u64; 64])) as *mut SqClient;
        let status = sq_orders_validate(stray, c"{}".as_ptr(), &mut out);
        assert_eq!(status, SqStatus::SqErrInvalidArgument);
        sq_client_free(stray);
        // SAFETY: the box made above, still whole.
        drop(unsafe { Box::from_raw(stray as *mut [u64; 64]) });
    }

    #[test]
    fn version_is_the_core_version() {
        assert_eq!(text(sq_version()), sequra::VERSION);
    }

    #[test]
    fn a_constructors_failure_is_read_through_sq_last_error() {
        let mut client = ptr::null_mut();
        let status = sq_client_new(c"{\"endpoint\": }".as_ptr(), &mut client);
        assert_eq!(status, SqStatus::SqErrInvalidArgument);
        assert!(client.is_null());
        assert_eq!(
            last_error(),
            "options_json is not valid JSON: expected value at line 1 column 14"
        );
        assert_eq!(last_error_json()["kind"], "invalid_argument");

        let status = sq_client_new(c"{\"endpoint\":\"sandbox\"}".as_ptr(), &mut client);
        assert_eq!(status, SqStatus::SqErrConfig);
        assert!(client.is_null());
        assert!(last_error().contains("merchant"), "{}", last_error());
        assert_eq!(last_error_json()["kind"], "config");

        assert_eq!(
            sq_client_new(c"{}".as_ptr(), ptr::null_mut()),
            SqStatus::SqErrInvalidArgument
        );
        assert_eq!(last_error(), "out_client is NULL");
    }

    #[test]
    fn a_bad_endpoint_is_quoted_short_and_without_its_password() {
        let mut client = ptr::null_mut();
        for endpoint in ["ftp://user:hunter2@example.com", "user:hunter2@example.com"] {
            let options = format!("{{\"endpoint\":\"{endpoint}\",\"merchant\":\"m\",\"username\":\"u\",\"password\":\"p\"}}");
            let options = std::ffi::CString::new(options).unwrap();
            assert_eq!(
                sq_client_new(options.as_ptr(), &mut client),
                SqStatus::SqErrConfig
            );
            assert!(last_error().contains("endpoint"), "{}", last_error());
            assert!(!last_error().contains("hunter2"), "{}", last_error());
            assert!(!text(sq_last_error_json()).contains("hunter2"));
        }
        let long = format!("{{\"endpoint\":\"{}\"}}", "x".repeat(100_000));
        let long = std::ffi::CString::new(long).unwrap();
        assert_eq!(
            sq_client_new(long.as_ptr(), &mut client),
            SqStatus::SqErrConfig
        );
        assert!(last_error().len() < 1_000, "{} bytes", last_error().len());
        assert!(client.is_null());
    }

    #[test]
    fn a_panic_caught_at_the_boundary_is_internal_and_a_success_clears_it() {
        let client = client();
        assert_eq!(last_error(), "");
        assert_eq!(text(sq_last_error_json()), "{}");

        let status = boundary(client, |_| panic!("an invariant broke"));
        assert_eq!(status, SqStatus::SqErrInternal);
        assert_eq!(
            last_error(),
            "internal error: an invariant broke; please report it"
        );
        assert_eq!(last_error_json()["kind"], "internal");
        assert_eq!(last_error_json()["may_have_acted"], true);

        let mut problems = ptr::null_mut();
        let status = sq_orders_validate(client, c"{}".as_ptr(), &mut problems);
        assert_eq!(status, SqStatus::SqOk);
        assert!(
            text(problems).starts_with("[{\"path\":"),
            "{}",
            text(problems)
        );
        assert_eq!(last_error(), "");
        assert_eq!(text(sq_last_error_json()), "{}");
        assert!(!sq_last_error_may_have_acted());
        sq_string_free(problems);
        sq_client_free(client);
    }

    #[test]
    fn functions_without_a_status_leave_the_last_error_alone() {
        let client = client();
        assert_eq!(fail_naming(client, "kept"), SqStatus::SqErrInvalidInput);
        let kept = last_error();
        assert!(kept.contains("options.kept"), "{kept}");
        sq_status_name(0);
        sq_version();
        sq_last_error_json();
        sq_last_error_may_have_acted();
        sq_string_free(ptr::null_mut());
        sq_client_free(client);
        sq_client_free(ptr::null_mut());
        assert_eq!(last_error(), kept);
    }

    #[test]
    fn a_failure_on_one_thread_is_not_visible_on_another() {
        let client = client();
        assert_eq!(fail_naming(client, "main"), SqStatus::SqErrInvalidInput);
        let shared = client as usize;
        std::thread::spawn(move || {
            assert_eq!(last_error(), "", "a new thread starts with no error");
            assert_eq!(text(sq_last_error_json()), "{}");
            let client = shared as *const SqClient;
            assert_eq!(fail_naming(client, "other"), SqStatus::SqErrInvalidInput);
            assert!(last_error().contains("options.other"), "{}", last_error());
        })
        .join()
        .unwrap();
        assert!(last_error().contains("options.main"), "{}", last_error());
        sq_client_free(client);
    }

    #[test]
    fn threads_sharing_one_handle_each_read_their_own_last_error() {
        const THREADS: usize = 8;
        let client = client();
        let shared = client as usize;
        // Every thread fails, then every thread reads: a last error kept
        // anywhere but per thread would show all of them the same one.
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(THREADS));
        let threads: Vec<_> = (0..THREADS)
            .map(|thread| {
                let barrier = barrier.clone();
                std::thread::spawn(move || {
                    let client = shared as *const SqClient;
                    for round in 0..50 {
                        let tag = format!("t{thread}r{round}");
                        assert_eq!(fail_naming(client, &tag), SqStatus::SqErrInvalidInput);
                        barrier.wait();
                        let wanted = format!("options.{tag}: is not an option");
                        assert!(last_error().contains(&wanted), "{}", last_error());
                        let details = last_error_json();
                        assert!(details["message"].as_str().unwrap().contains(&wanted));
                        barrier.wait();
                        let mut problems = ptr::null_mut();
                        let status = sq_orders_validate(client, c"{}".as_ptr(), &mut problems);
                        assert_eq!(status, SqStatus::SqOk);
                        sq_string_free(problems);
                        barrier.wait();
                        assert_eq!(last_error(), "", "a success clears only its own thread's");
                    }
                })
            })
            .collect();
        for thread in threads {
            thread.join().unwrap();
        }
        sq_client_free(client);
    }

    #[test]
    fn an_unknown_form_option_is_invalid_input_named_and_nothing_is_sent() {
        let client = client();
        let mut html = ptr::null_mut();
        let status = sq_orders_form(
            client,
            c"3f2a-99".as_ptr(),
            c"{\"prodcut\":\"i1\"}".as_ptr(),
            &mut html,
        );
        // As a document's problems are: the same status, the problem listed.
        assert_eq!(status, SqStatus::SqErrInvalidInput);
        assert!(html.is_null());
        let message = last_error();
        assert!(
            message.contains("options.prodcut: is not an option"),
            "{message}"
        );
        assert_eq!(last_error_json()["problems"][0]["path"], "options.prodcut");
        let status = sq_orders_form(client, c"3f2a-99".as_ptr(), c"[]".as_ptr(), &mut html);
        assert_eq!(status, SqStatus::SqErrInvalidInput);
        sq_client_free(client);
    }

    #[test]
    fn null_pointers_are_refused_everywhere() {
        let mut out = ptr::null_mut();
        let order = c"{}".as_ptr();
        let refused = |status: SqStatus, name: &str| {
            assert_eq!(status, SqStatus::SqErrInvalidArgument, "{name}");
            assert_eq!(last_error(), format!("{name} is NULL"));
            assert_eq!(last_error_json()["kind"], "invalid_argument");
        };
        let null = ptr::null();
        refused(sq_orders_start(null, order, &mut out), "client");
        refused(sq_orders_form(null, order, ptr::null(), &mut out), "client");
        refused(sq_orders_confirm(null, order, order), "client");
        refused(sq_orders_validate(null, order, &mut out), "client");
        assert!(out.is_null());

        let client = client();
        let nowhere = ptr::null_mut();
        refused(sq_orders_start(client, ptr::null(), &mut out), "order_json");
        refused(sq_orders_start(client, order, nowhere), "out_uri");
        refused(
            sq_orders_form(client, ptr::null(), ptr::null(), &mut out),
            "order_uri",
        );
        refused(
            sq_orders_form(client, order, ptr::null(), nowhere),
            "out_html",
        );
        refused(sq_orders_confirm(client, ptr::null(), order), "order_uri");
        refused(sq_orders_confirm(client, order, ptr::null()), "order_json");
        refused(
            sq_orders_validate(client, ptr::null(), &mut out),
            "order_json",
        );
        refused(
            sq_orders_validate(client, order, nowhere),
            "out_problems_json",
        );
        assert!(out.is_null());
        sq_client_free(client);
        sq_client_free(ptr::null_mut());
        sq_string_free(ptr::null_mut());
    }
}
