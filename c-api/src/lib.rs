//! The C ABI of the sequra library (`libsequra.so`, `libsequra.a`,
//! `include/sequra.h`).
//!
//! Every function is a thin wrapper with one shape: check the pointers,
//! decode the strings, call the core, encode the answer, write the output
//! only on success. The mechanics live in [`ffi`].

// These functions are called from C, where Rust's `unsafe` marker means
// nothing: each documents its pointer contract in the header instead, and
// checks every pointer it can (NULL) before use.
#![allow(clippy::not_unsafe_ptr_arg_deref)]

mod checkout_com;
mod ffi;
mod notifications;
mod orders;
mod paysera;
mod pos;

use ffi::{boundary, json_arg, optional_json_arg, out_arg, str_arg, write_string, LastError};
use sequra::orders::{Client, FormOptions};
use std::ffi::{c_char, CString};

/// The outcome of a call: 0 is success, anything else an error whose
/// details the handle keeps (sq_client_last_error). The numbers are fixed
/// forever: new statuses are added at the end, none is ever renumbered or
/// reused, so a caller should treat an unknown number as an error.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SqStatus {
    /// The call succeeded; its outputs are written.
    SqOk = 0,
    /// A pointer argument was NULL, a string was not UTF-8, or a JSON
    /// argument did not parse. Nothing was sent.
    SqErrInvalidArgument = 1,
    /// The payload has problems, listed in the last error's JSON under
    /// `problems` (each with `path` and `message`). Nothing was sent.
    SqErrInvalidInput = 2,
    /// The client options are unusable. Nothing was sent.
    SqErrConfig = 3,
    /// HTTP 401: the username or password was refused.
    SqErrAuthentication = 4,
    /// HTTP 403: the credentials may not do this (e.g. another merchant).
    SqErrForbidden = 5,
    /// HTTP 404: no such order.
    SqErrNotFound = 6,
    /// HTTP 409: refused in the current state; the server's reasons are in
    /// the last error's JSON under `errors`.
    SqErrConflict = 7,
    /// HTTP 422, or a 400 with the server's reasons: the request was refused
    /// as sent; `errors` in the JSON name what to fix.
    SqErrUnprocessable = 8,
    /// HTTP 429: too many requests; `retry_after` in the JSON says when.
    SqErrRateLimited = 9,
    /// HTTP 5xx: the server failed and may have acted; check before retrying.
    SqErrServer = 10,
    /// The request did not complete (connection, TLS, timeout);
    /// `may_have_acted` in the JSON says whether it can have arrived.
    SqErrTransport = 11,
    /// The server answered something the API does not document.
    SqErrUnexpectedResponse = 12,
    /// A notification's signature did not match.
    SqErrBadSignature = 13,
    /// A bug inside the library was caught at the boundary; please report it.
    SqErrInternal = 14,
}

impl SqStatus {
    const ALL: [SqStatus; 15] = [
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
    ];

    fn from_number(number: u32) -> Option<SqStatus> {
        SqStatus::ALL.into_iter().find(|s| *s as u32 == number)
    }
}

/// A client of one merchant's seQura account. Opaque: create it with
/// sq_client_new and release it with sq_client_free. A handle is not
/// thread-safe: use one per thread, or serialise the calls on it.
pub struct SqClient {
    client: Client,
    last_error: LastError,
}

ffi::impl_handle!(SqClient, Client);

/// Creates a client from the options JSON object in `options_json`:
/// `endpoint` ("sandbox", "live" or a URL; plain http only to loopback),
/// `merchant`, `username`, `password`, and optionally `connect_timeout` and
/// `timeout` (seconds), `ca_file`, `user_agent`, `contract` and
/// `allow_unknown_keys`. Unknown keys are refused. Nothing is sent.
///
/// `options_json` is borrowed for the call. On SQ_OK, `*out_client`
/// receives the handle, owned by the caller: release it with
/// sq_client_free. On failure `*out_client` is untouched and, when
/// `out_error` is not NULL, `*out_error` receives the message, owned by the
/// caller (free it with sq_string_free): there is no handle yet to hold it.
///
/// Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT (`options_json` or `out_client`
/// NULL, not UTF-8, not JSON); SQ_ERR_CONFIG (a missing, unknown or bad
/// option, an unreadable `ca_file`); SQ_ERR_INTERNAL.
#[no_mangle]
pub extern "C" fn sq_client_new(
    options_json: *const c_char,
    out_client: *mut *mut SqClient,
    out_error: *mut *mut c_char,
) -> SqStatus {
    ffi::create(options_json, out_client, out_error, |options| {
        Ok(Client::from_json(options)?)
    })
}

/// Releases a client made by sq_client_new, and the strings
/// sq_client_last_error and sq_client_last_error_json lent. NULL is allowed
/// and ignored. Freeing a handle twice is undefined behaviour.
#[no_mangle]
pub extern "C" fn sq_client_free(client: *mut SqClient) {
    ffi::free(client)
}

/// The message of the last failed call on `client`, or "" when the last
/// call succeeded. Borrowed from the handle: valid until the next call on
/// it or sq_client_free; do not free it. Never holds a password or key.
/// A NULL `client` gives a static message (a call with a NULL client
/// returns SQ_ERR_INVALID_ARGUMENT and has no handle to record it in).
#[no_mangle]
pub extern "C" fn sq_client_last_error(client: *const SqClient) -> *const c_char {
    ffi::last_error(client)
}

/// The last error of `client` as a JSON object: `kind` (e.g. "conflict",
/// "invalid_argument", "internal"), `message`, `may_have_acted` (false: the
/// request certainly had no effect and can be corrected and sent again),
/// and where they apply `status` (HTTP), `errors` (the server's list),
/// `problems` (of the payload, each with `path` and `message`) and
/// `retry_after` (seconds). "{}" when the last call succeeded, and for a
/// NULL `client`. Borrowed like sq_client_last_error; do not free it.
#[no_mangle]
pub extern "C" fn sq_client_last_error_json(client: *const SqClient) -> *const c_char {
    ffi::last_error_json(client)
}

/// Starts a solicitation (`POST /orders`) for the seQura order object in
/// `order_json` (borrowed for the call). The order is checked first; one
/// with problems is refused and nothing is sent. On SQ_OK, `*out_uri`
/// receives the new order's URI, owned by the caller (free it with
/// sq_string_free); on failure it is untouched.
///
/// Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT (a NULL pointer, not UTF-8, not
/// JSON); SQ_ERR_INVALID_INPUT (the order's `problems`, nothing sent);
/// SQ_ERR_AUTHENTICATION, SQ_ERR_FORBIDDEN, SQ_ERR_CONFLICT,
/// SQ_ERR_UNPROCESSABLE, SQ_ERR_RATE_LIMITED, SQ_ERR_SERVER (the server's
/// answer); SQ_ERR_TRANSPORT; SQ_ERR_UNEXPECTED_RESPONSE; SQ_ERR_INTERNAL.
/// Details via sq_client_last_error and sq_client_last_error_json.
#[no_mangle]
pub extern "C" fn sq_orders_start(
    client: *mut SqClient,
    order_json: *const c_char,
    out_uri: *mut *mut c_char,
) -> SqStatus {
    boundary(client, |c| {
        let out = out_arg(out_uri, "out_uri")?;
        let order = json_arg(order_json, "order_json")?;
        let uri = c.orders().start(&order)?;
        write_string(out, "out_uri", uri.as_str())
    })
}

/// Fetches the identification form (`GET {order}/form_v2`) of the order at
/// `order_uri` (the URI sq_orders_start gave, or the bare uuid). On SQ_OK,
/// `*out_html` receives the HTML to show the shopper, owned by the caller
/// (free it with sq_string_free); on failure it is untouched.
/// `options_json` may be NULL, or an object with `product` (default "i1"),
/// `campaign` (default null) and `ajax` (default false); any other key is
/// refused. Both strings are borrowed for the call.
///
/// Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT (a NULL pointer, not UTF-8, not
/// JSON, an unknown or mistyped option); SQ_ERR_INVALID_INPUT (`order_uri`
/// is no order URI of the configured endpoint); SQ_ERR_NOT_FOUND (no such
/// order); SQ_ERR_AUTHENTICATION, SQ_ERR_FORBIDDEN, SQ_ERR_RATE_LIMITED,
/// SQ_ERR_SERVER; SQ_ERR_TRANSPORT; SQ_ERR_UNEXPECTED_RESPONSE;
/// SQ_ERR_INTERNAL. Details via sq_client_last_error.
#[no_mangle]
pub extern "C" fn sq_orders_form(
    client: *mut SqClient,
    order_uri: *const c_char,
    options_json: *const c_char,
    out_html: *mut *mut c_char,
) -> SqStatus {
    boundary(client, |c| {
        let out = out_arg(out_html, "out_html")?;
        let uri = str_arg(order_uri, "order_uri")?;
        let options = match optional_json_arg(options_json, "options_json")? {
            Some(value) => FormOptions::from_json(&value)
                .map_err(|e| ffi::argument_error("options_json", e))?,
            None => FormOptions::default(),
        };
        let html = c.orders().form(uri, &options)?;
        write_string(out, "out_html", &html)
    })
}

/// Confirms the approved order at `order_uri` (`PUT {order}` with the full
/// order in `order_json` and `state` "confirmed"); both strings are
/// borrowed for the call. The order is checked first, as by
/// sq_orders_start. SQ_ERR_CONFLICT means seQura refused (the cart changed,
/// the reference is taken, the order is not approved): do not complete the
/// order; the server's reasons are in the last error's JSON under `errors`.
///
/// Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT; SQ_ERR_INVALID_INPUT;
/// SQ_ERR_CONFLICT; SQ_ERR_NOT_FOUND; SQ_ERR_AUTHENTICATION,
/// SQ_ERR_FORBIDDEN, SQ_ERR_UNPROCESSABLE, SQ_ERR_RATE_LIMITED,
/// SQ_ERR_SERVER; SQ_ERR_TRANSPORT; SQ_ERR_UNEXPECTED_RESPONSE;
/// SQ_ERR_INTERNAL. Details via sq_client_last_error.
#[no_mangle]
pub extern "C" fn sq_orders_confirm(
    client: *mut SqClient,
    order_uri: *const c_char,
    order_json: *const c_char,
) -> SqStatus {
    boundary(client, |c| {
        let uri = str_arg(order_uri, "order_uri")?;
        let order = json_arg(order_json, "order_json")?;
        c.orders().confirm(uri, &order)?;
        Ok(())
    })
}

/// Checks the order in `order_json` (borrowed for the call) as
/// sq_orders_start and sq_orders_confirm do, with the client's `contract`
/// options; nothing is sent. On SQ_OK, `*out_problems_json` receives a JSON
/// array of `{"path": "cart.items[2].price_with_tax", "message": "..."}`,
/// `[]` when the order is valid, owned by the caller (free it with
/// sq_string_free).
///
/// Returns SQ_OK whenever the order could be read, valid or not;
/// SQ_ERR_INVALID_ARGUMENT (a NULL pointer, not UTF-8, not JSON);
/// SQ_ERR_INTERNAL.
#[no_mangle]
pub extern "C" fn sq_orders_validate(
    client: *mut SqClient,
    order_json: *const c_char,
    out_problems_json: *mut *mut c_char,
) -> SqStatus {
    boundary(client, |c| {
        let out = out_arg(out_problems_json, "out_problems_json")?;
        let order = json_arg(order_json, "order_json")?;
        let problems = c.orders().validate(&order);
        // Serialised from the structs, so that `path` comes before `message`.
        ffi::write_json(out, "out_problems_json", &problems)
    })
}

/// Releases a string the library handed out through an `out_` parameter.
/// NULL is allowed and ignored. Never pass it a borrowed or static string
/// (sq_client_last_error, sq_version, sq_status_name), nor free twice.
#[no_mangle]
pub extern "C" fn sq_string_free(s: *mut c_char) {
    if !s.is_null() {
        // SAFETY: every string the library hands out comes from
        // CString::into_raw and is freed once, as documented.
        drop(unsafe { CString::from_raw(s) });
    }
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
    };
    name.as_ptr()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;
    use std::ptr;

    fn text<'a>(s: *const c_char) -> &'a str {
        // SAFETY: the library's strings are NUL-terminated UTF-8.
        unsafe { CStr::from_ptr(s) }.to_str().unwrap()
    }

    /// A handle on a loopback port where nothing listens: no test here
    /// means to send anything, and a request that went out would fail.
    fn client() -> *mut SqClient {
        let options = c"{\"endpoint\":\"http://127.0.0.1:9\",\"merchant\":\"demo\",\"username\":\"demo\",\"password\":\"pw\",\"timeout\":1}";
        let mut client = ptr::null_mut();
        assert_eq!(
            sq_client_new(options.as_ptr(), &mut client, ptr::null_mut()),
            SqStatus::SqOk
        );
        client
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
        assert_eq!(
            text(sq_status_name(SqStatus::ALL.len() as u32)),
            "SQ_UNKNOWN"
        );
        assert_eq!(text(sq_status_name(u32::MAX)), "SQ_UNKNOWN");
    }

    #[test]
    fn version_is_the_core_version() {
        assert_eq!(text(sq_version()), sequra::VERSION);
    }

    #[test]
    fn bad_options_json_is_reported_through_out_error() {
        let mut client = ptr::null_mut();
        let mut error = ptr::null_mut();
        let status = sq_client_new(c"{\"endpoint\": }".as_ptr(), &mut client, &mut error);
        assert_eq!(status, SqStatus::SqErrInvalidArgument);
        assert!(client.is_null());
        assert_eq!(
            text(error),
            "options_json is not valid JSON: expected value at line 1 column 14"
        );
        sq_string_free(error);

        let mut error = ptr::null_mut();
        let status = sq_client_new(
            c"{\"endpoint\":\"sandbox\"}".as_ptr(),
            &mut client,
            &mut error,
        );
        assert_eq!(status, SqStatus::SqErrConfig);
        assert!(client.is_null());
        assert!(text(error).contains("merchant"), "{}", text(error));
        sq_string_free(error);

        assert_eq!(
            sq_client_new(c"{}".as_ptr(), ptr::null_mut(), ptr::null_mut()),
            SqStatus::SqErrInvalidArgument
        );
    }

    #[test]
    fn a_panic_is_recorded_and_a_success_clears_it() {
        let client = client();
        assert_eq!(text(sq_client_last_error(client)), "");
        assert_eq!(text(sq_client_last_error_json(client)), "{}");

        let status = boundary(client, |_| panic!("an invariant broke"));
        assert_eq!(status, SqStatus::SqErrInternal);
        assert_eq!(
            text(sq_client_last_error(client)),
            "internal error: an invariant broke; please report it"
        );
        let details: serde_json::Value =
            serde_json::from_str(text(sq_client_last_error_json(client))).unwrap();
        assert_eq!(details["kind"], "internal");

        let mut problems = ptr::null_mut();
        let status = sq_orders_validate(client, c"{}".as_ptr(), &mut problems);
        assert_eq!(status, SqStatus::SqOk);
        assert!(
            text(problems).starts_with("[{\"path\":"),
            "{}",
            text(problems)
        );
        assert_eq!(text(sq_client_last_error(client)), "");
        assert_eq!(text(sq_client_last_error_json(client)), "{}");
        sq_string_free(problems);
        sq_client_free(client);
    }

    #[test]
    fn an_unknown_form_option_is_a_bad_argument_and_nothing_is_sent() {
        let client = client();
        let mut html = ptr::null_mut();
        let status = sq_orders_form(
            client,
            c"3f2a-99".as_ptr(),
            c"{\"prodcut\":\"i1\"}".as_ptr(),
            &mut html,
        );
        assert_eq!(status, SqStatus::SqErrInvalidArgument);
        assert!(html.is_null());
        let message = text(sq_client_last_error(client));
        assert!(
            message.starts_with("options_json is not usable: options.prodcut: is not an option"),
            "{message}"
        );
        let status = sq_orders_form(client, c"3f2a-99".as_ptr(), c"[]".as_ptr(), &mut html);
        assert_eq!(status, SqStatus::SqErrInvalidArgument);
        sq_client_free(client);
    }

    #[test]
    fn null_pointers_are_refused_everywhere() {
        let mut out = ptr::null_mut();
        let order = c"{}".as_ptr();
        let null = ptr::null_mut();
        assert_eq!(
            sq_orders_start(null, order, &mut out),
            SqStatus::SqErrInvalidArgument
        );
        assert_eq!(
            sq_orders_form(null, order, ptr::null(), &mut out),
            SqStatus::SqErrInvalidArgument
        );
        assert_eq!(
            sq_orders_confirm(null, order, order),
            SqStatus::SqErrInvalidArgument
        );
        assert_eq!(
            sq_orders_validate(null, order, &mut out),
            SqStatus::SqErrInvalidArgument
        );
        assert!(out.is_null());
        assert_eq!(text(sq_client_last_error(null)), "client is NULL");
        assert_eq!(text(sq_client_last_error_json(null)), "{}");

        let client = client();
        let nowhere = ptr::null_mut();
        let refused = |status: SqStatus, name: &str| {
            assert_eq!(status, SqStatus::SqErrInvalidArgument, "{name}");
            assert_eq!(
                text(sq_client_last_error(client)),
                format!("{name} is NULL")
            );
        };
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
