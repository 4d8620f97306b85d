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

mod ffi;

use ffi::{
    boundary, guard, json_arg, optional_json_arg, out_arg, str_arg, write_string, LastError,
};
use sequra::sequra::{Client, FormOptions};
use std::ffi::{c_char, CString};

/// The outcome of a call. The numbers are fixed forever: new statuses are
/// added at the end, none is ever renumbered.
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
    /// HTTP 422: the server could not process the request.
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

/// Creates a client from an options JSON object: `endpoint` ("sandbox",
/// "live" or a URL), `merchant`, `username`, `password`, and optionally
/// `connect_timeout` and `timeout` (seconds), `ca_file` and `user_agent`.
/// Nothing is sent.
///
/// On SQ_OK, `*out_client` receives the handle, to release with
/// sq_client_free. On failure, `*out_client` is untouched and, when
/// `out_error` is not NULL, `*out_error` receives the message (free it with
/// sq_string_free): there is no handle yet to hold it.
/// Returns SQ_OK, SQ_ERR_INVALID_ARGUMENT or SQ_ERR_CONFIG.
#[no_mangle]
pub extern "C" fn sq_client_new(
    options_json: *const c_char,
    out_client: *mut *mut SqClient,
    out_error: *mut *mut c_char,
) -> SqStatus {
    let outcome = guard(|| {
        let out = out_arg(out_client, "out_client")?;
        let options = json_arg(options_json, "options_json")?;
        let config = sequra::Config::from_json(&options)?;
        let client = Client::new(config)?;
        let handle = Box::new(SqClient {
            client,
            last_error: LastError::none(),
        });
        // SAFETY: out_arg checked that `out` is not NULL.
        unsafe { *out = Box::into_raw(handle) };
        Ok(())
    });
    match outcome {
        Ok(()) => SqStatus::SqOk,
        Err(failure) => {
            if !out_error.is_null() {
                // SAFETY: checked non-NULL; the caller frees it with sq_string_free.
                unsafe { *out_error = ffi::c_string_lossy(&failure.message()).into_raw() };
            }
            failure.status()
        }
    }
}

/// Releases a client made by sq_client_new. NULL is allowed and ignored.
#[no_mangle]
pub extern "C" fn sq_client_free(client: *mut SqClient) {
    if !client.is_null() {
        // SAFETY: the pointer came from Box::into_raw in sq_client_new and
        // is freed once, as documented.
        let _ = guard(|| {
            drop(unsafe { Box::from_raw(client) });
            Ok(())
        });
    }
}

/// The message of the last failed call on `client`, or "" when the last
/// call succeeded. Borrowed: valid until the next call on the handle; do
/// not free it. Never contains a password or key.
#[no_mangle]
pub extern "C" fn sq_client_last_error(client: *const SqClient) -> *const c_char {
    // SAFETY: a non-NULL handle comes from sq_client_new.
    match unsafe { client.as_ref() } {
        Some(handle) => handle.last_error.message.as_ptr(),
        None => c"client is NULL".as_ptr(),
    }
}

/// The last error of `client` as a JSON object: `kind`, `message`,
/// `may_have_acted`, and where they apply `status` (HTTP), `errors` (the
/// server's), `problems` (of the payload, each with `path` and `message`)
/// and `retry_after` (seconds). "{}" when the last call succeeded.
/// Borrowed: valid until the next call on the handle; do not free it.
#[no_mangle]
pub extern "C" fn sq_client_last_error_json(client: *const SqClient) -> *const c_char {
    // SAFETY: a non-NULL handle comes from sq_client_new.
    match unsafe { client.as_ref() } {
        Some(handle) => handle.last_error.json.as_ptr(),
        None => c"{}".as_ptr(),
    }
}

/// Starts a solicitation (`POST /orders`) for the order in `order_json`,
/// the seQura order object, and writes the new order's URI to `*out_uri`
/// (free it with sq_string_free).
/// Returns SQ_OK, or an error status; details via sq_client_last_error.
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
        write_string(out, uri.as_str())
    })
}

/// Fetches the identification form (`GET {order}/form_v2`) of the order at
/// `order_uri` (the URI sq_orders_start gave, or the bare uuid) and writes
/// its HTML to `*out_html` (free it with sq_string_free). `options_json` may
/// be NULL, or an object with `product` (default "i1"), `campaign` and
/// `ajax` (default false).
/// Returns SQ_OK, or an error status; details via sq_client_last_error.
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
            Some(value) => FormOptions::from_json(&value)?,
            None => FormOptions::default(),
        };
        let html = c.orders().form(uri, &options)?;
        write_string(out, &html)
    })
}

/// Confirms the approved order at `order_uri` (`PUT {order}` with the full
/// order in `order_json` and `state` "confirmed"). SQ_ERR_CONFLICT means
/// seQura refused (the cart changed, the reference is taken, the order is
/// not approved): do not complete the order; the reasons are in the last
/// error's JSON under `errors`.
/// Returns SQ_OK, or an error status; details via sq_client_last_error.
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

/// Checks the order in `order_json` as sq_orders_start and
/// sq_orders_confirm do (with the client's `contract` options) and writes
/// its problems to `*out_problems_json` (free it with sq_string_free): a JSON
/// array of `{"path": "cart.items[2].price_with_tax", "message": "..."}`,
/// `[]` when the order is valid. Nothing is sent.
/// Returns SQ_OK whenever the order could be read, valid or not; an error
/// status for bad arguments.
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
        write_string(out, &serde_json::json!(problems).to_string())
    })
}

/// Releases a string the library handed out. NULL is allowed and ignored.
#[no_mangle]
pub extern "C" fn sq_string_free(s: *mut c_char) {
    if !s.is_null() {
        // SAFETY: every string the library hands out comes from
        // CString::into_raw and is freed once, as documented.
        drop(unsafe { CString::from_raw(s) });
    }
}

/// The library's version, e.g. "0.1.0". Static: do not free it.
#[no_mangle]
pub extern "C" fn sq_version() -> *const c_char {
    static VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");
    VERSION.as_ptr().cast()
}

/// The name of a status, e.g. "SQ_ERR_CONFLICT", or "SQ_UNKNOWN" for a
/// number that is no status. Static: do not free it.
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
