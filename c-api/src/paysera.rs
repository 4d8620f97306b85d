//! The C functions of Paysera Checkout: payment requests and the
//! notifications their callbacks name. Payloads go in and come out as the
//! JSON Paysera's API documents (the Paysera document, docs/apis.md).

use crate::ffi::{self, boundary, json_arg, out_arg, received_arg, str_arg, write_json};
use crate::SqStatus;
use sequra::paysera::{Callback, Client};
use std::ffi::c_char;

/// A client of one Paysera project (Paysera Checkout). Opaque: create it
/// with sq_paysera_client_new and release it with sq_paysera_client_free.
/// Any number of threads may call functions with one handle at once.
pub struct SqPayseraClient {
    client: Client,
}

ffi::impl_handle!(SqPayseraClient, Client);

/// Creates a Paysera client from the options JSON object in
/// `options_json`: `mac_id` and `mac_secret` (required), `endpoint`
/// (default "https://checkout-eu-a.paysera.com", or a URL such as the
/// sandbox's; plain http only to loopback), `notification_endpoint`
/// (default: the endpoint, as for Paysera and the bundled sandbox), and
/// the connection options (the top of sequra.h). Unknown keys are refused.
/// Nothing is sent.
///
/// `options_json` is borrowed for the call. On SQ_OK, `*out_client`
/// receives the handle, owned by the caller: release it with
/// sq_paysera_client_free. On failure `*out_client` is untouched.
///
/// Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT (`options_json` or `out_client`
/// NULL, not UTF-8, not JSON); SQ_ERR_CONFIG (a missing, unknown or bad
/// option); SQ_ERR_INTERNAL. Details via sq_last_error().
#[no_mangle]
pub extern "C" fn sq_paysera_client_new(
    options_json: *const c_char,
    out_client: *mut *mut SqPayseraClient,
) -> SqStatus {
    ffi::create(options_json, out_client, |options| {
        Ok(Client::from_json(options)?)
    })
}

/// Releases a client made by sq_paysera_client_new. NULL is allowed and
/// ignored. Call it once, when no other call with the handle is running
/// or will follow: freeing a handle twice, or while another thread uses
/// it, is a bug the library catches only when it can (see the top of
/// sequra.h): do not rely on it.
#[no_mangle]
pub extern "C" fn sq_paysera_client_free(client: *mut SqPayseraClient) {
    ffi::free(client)
}

/// Checks the payment request in `request_json` (borrowed for the call) as
/// sq_paysera_payment_request_create does; nothing is sent. On SQ_OK,
/// `*out_problems_json` receives a JSON array of `{"path": "price.amount",
/// "message": "..."}`, `[]` when the request is valid, owned by the caller
/// (free it with sq_string_free).
///
/// Returns SQ_OK whenever the request could be read, valid or not;
/// SQ_ERR_INVALID_ARGUMENT (a NULL pointer, not UTF-8, not JSON);
/// SQ_ERR_INTERNAL. Details via sq_last_error().
#[no_mangle]
pub extern "C" fn sq_paysera_payment_request_validate(
    client: *const SqPayseraClient,
    request_json: *const c_char,
    out_problems_json: *mut *mut c_char,
) -> SqStatus {
    boundary(client, |_| {
        let out = out_arg(out_problems_json, "out_problems_json")?;
        let request = json_arg(request_json, "request_json")?;
        let problems = sequra::paysera::validate::payment_request(&request);
        write_json(out, "out_problems_json", &problems)
    })
}

/// Creates a payment request (`POST /checkout/rest/v1/payment-requests`)
/// from the JSON object in `request_json` (borrowed for the call):
/// `business_id`, `order_id`, `price` (`{"amount": 999, "currency":
/// "EUR"}`, the amount in the currency's minor unit, an integer or a string
/// of digits, sent as given), `description`, `payer` (`{"email"}`),
/// `accept_url`, `cancel_url`, `callback_url` (https), and optionally
/// `method_key`, `locale`, `token_strategy` ("required" for a token for
/// recurring payments) and any other field Paysera takes. The request is checked first; one with
/// problems is refused and nothing is sent. Not sent again once it may
/// have reached Paysera (a second request would be a second payment).
///
/// On SQ_OK, `*out_payment_request_json` receives the new payment request
/// as Paysera answered it (`id`, `status` "new", `authorization_url`, ...),
/// owned by the caller (free it with sq_string_free); on failure it is
/// untouched.
///
/// Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT (a NULL pointer, not UTF-8, not
/// JSON); SQ_ERR_INVALID_INPUT (the request's `problems`, nothing sent);
/// SQ_ERR_UNPROCESSABLE (Paysera refused fields, answering 400 or 422: the
/// last error's `errors` name them); SQ_ERR_CONFLICT (the `order_id` is
/// taken); SQ_ERR_AUTHENTICATION (the MAC was refused); SQ_ERR_FORBIDDEN,
/// SQ_ERR_RATE_LIMITED, SQ_ERR_SERVER; SQ_ERR_TRANSPORT;
/// SQ_ERR_UNEXPECTED_RESPONSE; SQ_ERR_INTERNAL. Details via sq_last_error().
#[no_mangle]
pub extern "C" fn sq_paysera_payment_request_create(
    client: *const SqPayseraClient,
    request_json: *const c_char,
    out_payment_request_json: *mut *mut c_char,
) -> SqStatus {
    boundary(client, |c| {
        let out = out_arg(out_payment_request_json, "out_payment_request_json")?;
        let request = json_arg(request_json, "request_json")?;
        let created = c.payment_requests().create(&request)?;
        write_json(out, "out_payment_request_json", &created)
    })
}

/// Reads the payment request `id` (`GET
/// /checkout/rest/v1/payment-requests/{id}`). On SQ_OK,
/// `*out_payment_request_json` receives it as JSON (its `status`, and its
/// `issued_token` once a `token_strategy: required` request was paid: store
/// that token), owned by the caller (free it with sq_string_free).
///
/// Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT; SQ_ERR_INVALID_INPUT (`id` is
/// not a Paysera id); SQ_ERR_NOT_FOUND; SQ_ERR_AUTHENTICATION,
/// SQ_ERR_FORBIDDEN, SQ_ERR_RATE_LIMITED, SQ_ERR_SERVER; SQ_ERR_TRANSPORT;
/// SQ_ERR_UNEXPECTED_RESPONSE; SQ_ERR_INTERNAL. Details via sq_last_error().
#[no_mangle]
pub extern "C" fn sq_paysera_payment_request_get(
    client: *const SqPayseraClient,
    id: *const c_char,
    out_payment_request_json: *mut *mut c_char,
) -> SqStatus {
    boundary(client, |c| {
        let out = out_arg(out_payment_request_json, "out_payment_request_json")?;
        let request = c.payment_requests().get(str_arg(id, "id")?)?;
        write_json(out, "out_payment_request_json", &request)
    })
}

/// Authorizes the `new` payment request `id` with `token`, the
/// `issued_token` of the same shopper's first payment (`PUT
/// /checkout/rest/v1/payment-requests/{id}/authorize`). On SQ_OK,
/// `*out_payment_request_json` receives the request, `authorized` (or
/// `captured`, where Paysera captures at once: nothing is left to capture),
/// owned by the caller (free it with sq_string_free).
///
/// Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT; SQ_ERR_INVALID_INPUT (a bad id;
/// a token that is empty, over 1024 bytes or has a control character,
/// named but never quoted: it is a secret); SQ_ERR_CONFLICT (the request is not `new`);
/// SQ_ERR_UNPROCESSABLE (Paysera cannot use the token; `errors` says why);
/// SQ_ERR_NOT_FOUND; SQ_ERR_AUTHENTICATION, SQ_ERR_FORBIDDEN,
/// SQ_ERR_RATE_LIMITED, SQ_ERR_SERVER; SQ_ERR_TRANSPORT;
/// SQ_ERR_UNEXPECTED_RESPONSE; SQ_ERR_INTERNAL. Details via sq_last_error().
#[no_mangle]
pub extern "C" fn sq_paysera_payment_request_authorize(
    client: *const SqPayseraClient,
    id: *const c_char,
    token: *const c_char,
    out_payment_request_json: *mut *mut c_char,
) -> SqStatus {
    boundary(client, |c| {
        let out = out_arg(out_payment_request_json, "out_payment_request_json")?;
        let id = str_arg(id, "id")?;
        let token = str_arg(token, "token")?;
        let request = c.payment_requests().authorize(id, token)?;
        write_json(out, "out_payment_request_json", &request)
    })
}

/// Captures the `authorized` payment request `id` (`PUT
/// /checkout/rest/v1/payment-requests/{id}/capture`). On SQ_OK,
/// `*out_payment_request_json` receives the request, `captured`, owned by
/// the caller (free it with sq_string_free).
///
/// Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT; SQ_ERR_INVALID_INPUT (a bad id);
/// SQ_ERR_CONFLICT (the request is not `authorized`); SQ_ERR_NOT_FOUND;
/// SQ_ERR_AUTHENTICATION, SQ_ERR_FORBIDDEN, SQ_ERR_RATE_LIMITED,
/// SQ_ERR_SERVER; SQ_ERR_TRANSPORT; SQ_ERR_UNEXPECTED_RESPONSE;
/// SQ_ERR_INTERNAL. Details via sq_last_error().
#[no_mangle]
pub extern "C" fn sq_paysera_payment_request_capture(
    client: *const SqPayseraClient,
    id: *const c_char,
    out_payment_request_json: *mut *mut c_char,
) -> SqStatus {
    boundary(client, |c| {
        let out = out_arg(out_payment_request_json, "out_payment_request_json")?;
        let request = c.payment_requests().capture(str_arg(id, "id")?)?;
        write_json(out, "out_payment_request_json", &request)
    })
}

/// Cancels the `new` or `authorized` payment request `id` (`PUT
/// /checkout/rest/v1/payment-requests/{id}/cancel`). On SQ_OK,
/// `*out_payment_request_json` receives the request, `canceled`, owned by
/// the caller (free it with sq_string_free).
///
/// Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT; SQ_ERR_INVALID_INPUT (a bad id);
/// SQ_ERR_CONFLICT (it is captured or already canceled); SQ_ERR_NOT_FOUND;
/// SQ_ERR_AUTHENTICATION, SQ_ERR_FORBIDDEN, SQ_ERR_RATE_LIMITED,
/// SQ_ERR_SERVER; SQ_ERR_TRANSPORT; SQ_ERR_UNEXPECTED_RESPONSE;
/// SQ_ERR_INTERNAL. Details via sq_last_error().
#[no_mangle]
pub extern "C" fn sq_paysera_payment_request_cancel(
    client: *const SqPayseraClient,
    id: *const c_char,
    out_payment_request_json: *mut *mut c_char,
) -> SqStatus {
    boundary(client, |c| {
        let out = out_arg(out_payment_request_json, "out_payment_request_json")?;
        let request = c.payment_requests().cancel(str_arg(id, "id")?)?;
        write_json(out, "out_payment_request_json", &request)
    })
}

/// Turns a callback into the notification it names: reads
/// `notification_id` from `callback_body` (the raw
/// `application/x-www-form-urlencoded` body Paysera posted to the
/// `callback_url`; nothing else in it is trusted) and fetches that
/// notification from Paysera (`GET
/// /notification/rest/v1/notifications/{id}`). Act on it, then call
/// sq_paysera_notification_mark_read so that Paysera stops calling back.
///
/// On SQ_OK, `*out_notification_json` receives the notification (`id`,
/// `event` such as "payment_request.captured", `data.payment_request`),
/// owned by the caller (free it with sq_string_free).
///
/// Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT (a NULL pointer);
/// SQ_ERR_INVALID_INPUT (the body names no usable notification_id, or is
/// not UTF-8: it is the sender's);
/// SQ_ERR_NOT_FOUND (Paysera does not know it: the callback is not
/// Paysera's; answer it 404 and do nothing); SQ_ERR_AUTHENTICATION,
/// SQ_ERR_FORBIDDEN, SQ_ERR_RATE_LIMITED, SQ_ERR_SERVER; SQ_ERR_TRANSPORT;
/// SQ_ERR_UNEXPECTED_RESPONSE; SQ_ERR_INTERNAL. Details via sq_last_error().
#[no_mangle]
pub extern "C" fn sq_paysera_callback_receive(
    client: *const SqPayseraClient,
    callback_body: *const c_char,
    out_notification_json: *mut *mut c_char,
) -> SqStatus {
    boundary(client, |c| {
        let out = out_arg(out_notification_json, "out_notification_json")?;
        let body = received_arg(callback_body, "callback_body")?;
        let callback = Callback::from_form(body)?;
        let notification = c.notifications().receive(&callback)?;
        write_json(out, "out_notification_json", &notification)
    })
}

/// Fetches the notification `notification_id` (`GET
/// /notification/rest/v1/notifications/{id}`). On SQ_OK,
/// `*out_notification_json` receives it, owned by the caller (free it with
/// sq_string_free).
///
/// Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT; SQ_ERR_INVALID_INPUT (a bad id);
/// SQ_ERR_NOT_FOUND; SQ_ERR_AUTHENTICATION, SQ_ERR_FORBIDDEN,
/// SQ_ERR_RATE_LIMITED, SQ_ERR_SERVER; SQ_ERR_TRANSPORT;
/// SQ_ERR_UNEXPECTED_RESPONSE; SQ_ERR_INTERNAL. Details via sq_last_error().
#[no_mangle]
pub extern "C" fn sq_paysera_notification_get(
    client: *const SqPayseraClient,
    notification_id: *const c_char,
    out_notification_json: *mut *mut c_char,
) -> SqStatus {
    boundary(client, |c| {
        let out = out_arg(out_notification_json, "out_notification_json")?;
        let notification = c
            .notifications()
            .get(str_arg(notification_id, "notification_id")?)?;
        write_json(out, "out_notification_json", &notification)
    })
}

/// Marks the notification `notification_id` read once the shop has acted
/// on it, so that Paysera stops repeating its callback (`PUT
/// /notification/rest/v1/notifications/{id}/read`; again is fine). On
/// SQ_OK, `*out_notification_json` receives the notification, `status`
/// "read", owned by the caller (free it with sq_string_free).
///
/// Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT; SQ_ERR_INVALID_INPUT (a bad id);
/// SQ_ERR_NOT_FOUND; SQ_ERR_AUTHENTICATION, SQ_ERR_FORBIDDEN,
/// SQ_ERR_RATE_LIMITED, SQ_ERR_SERVER; SQ_ERR_TRANSPORT;
/// SQ_ERR_UNEXPECTED_RESPONSE; SQ_ERR_INTERNAL. Details via sq_last_error().
#[no_mangle]
pub extern "C" fn sq_paysera_notification_mark_read(
    client: *const SqPayseraClient,
    notification_id: *const c_char,
    out_notification_json: *mut *mut c_char,
) -> SqStatus {
    boundary(client, |c| {
        let out = out_arg(out_notification_json, "out_notification_json")?;
        let notification = c
            .notifications()
            .mark_read(str_arg(notification_id, "notification_id")?)?;
        write_json(out, "out_notification_json", &notification)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{last_error, last_error_json, text};
    use std::ptr;

    /// A handle on a loopback port where nothing listens: nothing here
    /// means to send anything.
    fn client() -> *mut SqPayseraClient {
        let options = c"{\"endpoint\":\"http://127.0.0.1:9\",\"mac_id\":\"id\",\"mac_secret\":\"secret\",\"timeout\":1}";
        let mut client = ptr::null_mut();
        assert_eq!(
            sq_paysera_client_new(options.as_ptr(), &mut client),
            SqStatus::SqOk
        );
        client
    }

    #[test]
    fn bad_options_are_read_through_sq_last_error() {
        let mut client = ptr::null_mut();
        let status = sq_paysera_client_new(c"{\"mac_id\":\"id\"}".as_ptr(), &mut client);
        assert_eq!(status, SqStatus::SqErrConfig);
        assert!(client.is_null());
        assert_eq!(last_error(), "configuration: option mac_secret is required");
    }

    #[test]
    fn an_invalid_request_is_refused_with_its_problems_and_no_output() {
        let client = client();
        let mut out = ptr::null_mut();
        let status = sq_paysera_payment_request_create(
            client,
            c"{\"price\":{\"amount\":\"9.99\",\"currency\":\"EUR\"}}".as_ptr(),
            &mut out,
        );
        assert_eq!(status, SqStatus::SqErrInvalidInput);
        assert!(out.is_null());
        let details = last_error_json();
        assert_eq!(details["kind"], "invalid_input");
        assert!(details["problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["path"] == "price.amount"));
        sq_paysera_client_free(client);
    }

    #[test]
    fn validate_lists_problems_and_null_arguments_are_refused() {
        let client = client();
        let mut out = ptr::null_mut();
        let status =
            sq_paysera_payment_request_validate(client, c"{\"order_id\":\"\"}".as_ptr(), &mut out);
        assert_eq!(status, SqStatus::SqOk);
        let problems: serde_json::Value = serde_json::from_str(&text(out)).unwrap();
        assert_eq!(problems[0]["path"], "business_id");
        crate::sq_string_free(out);
        let mut out = ptr::null_mut();
        assert_eq!(
            sq_paysera_payment_request_get(client, ptr::null(), &mut out),
            SqStatus::SqErrInvalidArgument
        );
        assert_eq!(last_error(), "id is NULL");
        assert_eq!(
            sq_paysera_callback_receive(client, c"notification_id=x".as_ptr(), ptr::null_mut()),
            SqStatus::SqErrInvalidArgument
        );
        assert_eq!(
            sq_paysera_callback_receive(client, c"event=forged".as_ptr(), &mut out),
            SqStatus::SqErrInvalidInput
        );
        assert!(out.is_null());
        sq_paysera_client_free(client);
    }
}
