//! The C functions of the part-payment (POS) orders API: a handle of its
//! own, `SqPosClient`, made from the same options as `SqClient` (the API
//! answers on the same seQura hosts with the same credentials).

use crate::ffi::{self, boundary, json_arg, out_arg, str_arg, write_string};
use crate::SqStatus;
use sequra::pos::Client;
use std::ffi::c_char;

/// A client of one merchant's part-payment (in-store) orders. Opaque:
/// create it with sq_pos_client_new and release it with
/// sq_pos_client_free. Any number of threads may call functions with one
/// handle at once.
pub struct SqPosClient {
    client: Client,
}

ffi::impl_handle!(SqPosClient, Client);

/// Creates a part-payment client from the options JSON object in
/// `options_json`: the same options as sq_client_new (`endpoint`,
/// `merchant`, `username`, `password`, optionally `allow_unknown_keys`
/// for the part-payment order's keys, and the connection options; the
/// seQura client's `contract` and `flow` are taken, so that one options
/// object serves both clients, and not used by this API). Unknown keys are
/// refused. Nothing is sent.
///
/// `options_json` is borrowed for the call. On SQ_OK, `*out_client`
/// receives the handle, owned by the caller: release it with
/// sq_pos_client_free. On failure `*out_client` is untouched.
///
/// Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT (`options_json` or `out_client`
/// NULL, not UTF-8, not JSON); SQ_ERR_CONFIG (a missing, unknown or bad
/// option); SQ_ERR_INTERNAL. Details via sq_last_error().
#[no_mangle]
pub extern "C" fn sq_pos_client_new(
    options_json: *const c_char,
    out_client: *mut *mut SqPosClient,
) -> SqStatus {
    ffi::create(options_json, out_client, |options| {
        Ok(Client::from_json(options)?)
    })
}

/// Releases a client made by sq_pos_client_new. NULL is allowed and
/// ignored. Call it once, when no other call with the handle is running
/// or will follow: freeing a handle twice, or while another thread uses
/// it, is a bug the library catches only when it can (see the top of
/// sequra.h): do not rely on it.
#[no_mangle]
pub extern "C" fn sq_pos_client_free(client: *mut SqPosClient) {
    ffi::free(client)
}

/// Checks the part-payment order in `order_json` (borrowed for the call)
/// as sq_pos_orders_create does; nothing is sent. On SQ_OK,
/// `*out_problems_json` receives a JSON array of `{"path":
/// "cart_items[1].price_with_tax", "message": "..."}`, `[]` when the order
/// is valid, owned by the caller (free it with sq_string_free).
///
/// Returns SQ_OK whenever the order could be read, valid or not;
/// SQ_ERR_INVALID_ARGUMENT (a NULL pointer, not UTF-8, not JSON);
/// SQ_ERR_INTERNAL. Details via sq_last_error().
#[no_mangle]
pub extern "C" fn sq_pos_orders_validate(
    client: *const SqPosClient,
    order_json: *const c_char,
    out_problems_json: *mut *mut c_char,
) -> SqStatus {
    boundary(client, |c| {
        let out = out_arg(out_problems_json, "out_problems_json")?;
        let order = json_arg(order_json, "order_json")?;
        ffi::write_json(out, "out_problems_json", &c.orders().validate(&order))
    })
}

/// Creates a part-payment order (`POST /api/public/v1/orders`) from the
/// order object in `order_json` (borrowed for the call): `merchant` (`id`,
/// `store_ref`), `operator_ref`, `reference`, the customer's `mobile_phone`,
/// `given_names`, `surnames`, `date_of_birth`, `nin`, `address`,
/// `postal_code`, `city`, and `cart_items` (`reference`, `name`,
/// `price_with_tax` in integer cents, `quantity`). The order is checked
/// first (its `merchant.id` must be the client's); one with problems is
/// refused and nothing is sent. On SQ_OK,
/// `*out_cart_json` receives the cart object seQura answered (`id`,
/// `status`, `total_with_tax` as a string like "250.00", ...), owned by the
/// caller (free it with sq_string_free); on failure it is untouched.
///
/// Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT (a NULL pointer, not UTF-8, not
/// JSON); SQ_ERR_INVALID_INPUT (the order's `problems`, nothing sent);
/// SQ_ERR_AUTHENTICATION (401); SQ_ERR_UNPROCESSABLE (422: the server's
/// `errors`); SQ_ERR_RATE_LIMITED, SQ_ERR_SERVER; SQ_ERR_TRANSPORT;
/// SQ_ERR_UNEXPECTED_RESPONSE; SQ_ERR_INTERNAL.
/// Details via sq_last_error().
#[no_mangle]
pub extern "C" fn sq_pos_orders_create(
    client: *const SqPosClient,
    order_json: *const c_char,
    out_cart_json: *mut *mut c_char,
) -> SqStatus {
    boundary(client, |c| {
        let out = out_arg(out_cart_json, "out_cart_json")?;
        let order = json_arg(order_json, "order_json")?;
        let cart = c.orders().create(&order)?;
        ffi::write_json(out, "out_cart_json", &cart)
    })
}

/// Reads the part-payment order `order_id` (`GET
/// /api/public/v1/orders/:id`), e.g. to see whether the customer signed
/// (`status` "confirmed"). On SQ_OK, `*out_cart_json` receives the cart
/// object, owned by the caller (free it with sq_string_free); on failure it
/// is untouched.
///
/// Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT (a NULL pointer);
/// SQ_ERR_INVALID_INPUT (`order_id` 0: ids start at 1; nothing sent);
/// SQ_ERR_AUTHENTICATION (401: a wrong password, or an order of another API
/// account); SQ_ERR_NOT_FOUND (404: no such order); SQ_ERR_RATE_LIMITED,
/// SQ_ERR_SERVER; SQ_ERR_TRANSPORT; SQ_ERR_UNEXPECTED_RESPONSE;
/// SQ_ERR_INTERNAL. Details via sq_last_error().
#[no_mangle]
pub extern "C" fn sq_pos_orders_get(
    client: *const SqPosClient,
    order_id: u64,
    out_cart_json: *mut *mut c_char,
) -> SqStatus {
    boundary(client, |c| {
        let out = out_arg(out_cart_json, "out_cart_json")?;
        let cart = c.orders().get(order_id)?;
        ffi::write_json(out, "out_cart_json", &cart)
    })
}

/// Texts the customer the link to sign the part-payment order `order_id`
/// (`POST /api/public/v1/orders/:id/send_sms`): to `mobile_phone` when it
/// is not NULL (checked first, e.g. "+34666123456"), else to the order's
/// number. `mobile_phone` is borrowed for the call. On SQ_OK,
/// `*out_message` receives the server's message (e.g. "SMS sent
/// successfully"; "" when it gave none), owned by the caller (free it with
/// sq_string_free).
///
/// Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT (a NULL client or output, not
/// UTF-8); SQ_ERR_INVALID_INPUT (`order_id` 0, or `mobile_phone` is not a
/// mobile number; nothing sent); SQ_ERR_UNPROCESSABLE (422: the SMS may not be sent again,
/// see the cart's `can_resend_sms`); SQ_ERR_AUTHENTICATION (401);
/// SQ_ERR_NOT_FOUND (404); SQ_ERR_RATE_LIMITED, SQ_ERR_SERVER;
/// SQ_ERR_TRANSPORT; SQ_ERR_UNEXPECTED_RESPONSE; SQ_ERR_INTERNAL.
/// Details via sq_last_error().
#[no_mangle]
pub extern "C" fn sq_pos_orders_send_sms(
    client: *const SqPosClient,
    order_id: u64,
    mobile_phone: *const c_char,
    out_message: *mut *mut c_char,
) -> SqStatus {
    boundary(client, |c| {
        let out = out_arg(out_message, "out_message")?;
        let phone = if mobile_phone.is_null() {
            None
        } else {
            Some(str_arg(mobile_phone, "mobile_phone")?)
        };
        let sent = c.orders().send_sms(order_id, phone)?;
        write_string(out, "out_message", &sent.message)
    })
}

/// Cancels the part-payment order `order_id` (`POST
/// /api/public/v1/orders/:id/cancel`). A pending order is cancelled at
/// once; for a confirmed one seQura asks the financing provider to cancel
/// it. On SQ_OK, `*out_result_json` receives `{"outcome": ..., "message":
/// ..., "status": ...}`, owned by the caller (free it with sq_string_free):
/// `outcome` is "cancelled" (done), "cancellation_requested" (the provider
/// decides; the order stays confirmed until then) or "unknown" (accepted,
/// but the order could not be read afterwards, or reads neither cancelled
/// nor confirmed: read it later with sq_pos_orders_get); `status` is the
/// order's status afterwards, or null.
///
/// Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT (a NULL pointer);
/// SQ_ERR_INVALID_INPUT (`order_id` 0; nothing sent);
/// SQ_ERR_UNPROCESSABLE (422: not in a cancellable status, or the order
/// belongs to a subscription; the server's message is in `errors`);
/// SQ_ERR_AUTHENTICATION (401: an order of another API account);
/// SQ_ERR_NOT_FOUND (404); SQ_ERR_RATE_LIMITED, SQ_ERR_SERVER;
/// SQ_ERR_TRANSPORT; SQ_ERR_UNEXPECTED_RESPONSE; SQ_ERR_INTERNAL.
/// Details via sq_last_error().
#[no_mangle]
pub extern "C" fn sq_pos_orders_cancel(
    client: *const SqPosClient,
    order_id: u64,
    out_result_json: *mut *mut c_char,
) -> SqStatus {
    boundary(client, |c| {
        let out = out_arg(out_result_json, "out_result_json")?;
        let cancellation = c.orders().cancel(order_id)?;
        ffi::write_json(out, "out_result_json", &cancellation)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{last_error, last_error_json, text};
    use std::ptr;

    /// A handle on a loopback port where nothing listens: nothing here is
    /// meant to be sent.
    fn client() -> *mut SqPosClient {
        let options = c"{\"endpoint\":\"http://127.0.0.1:9\",\"merchant\":\"demo\",\"username\":\"demo\",\"password\":\"pw\",\"timeout\":1}";
        let mut client = ptr::null_mut();
        assert_eq!(
            sq_pos_client_new(options.as_ptr(), &mut client),
            SqStatus::SqOk
        );
        client
    }

    #[test]
    fn null_pointers_are_refused_and_nothing_is_written() {
        let mut out = ptr::null_mut();
        let refused = |status: SqStatus, name: &str| {
            assert_eq!(status, SqStatus::SqErrInvalidArgument, "{name}");
            assert_eq!(last_error(), format!("{name} is NULL"));
        };
        let null = ptr::null();
        refused(
            sq_pos_orders_create(null, c"{}".as_ptr(), &mut out),
            "client",
        );
        refused(sq_pos_orders_cancel(null, 1, &mut out), "client");

        let client = client();
        refused(
            sq_pos_orders_create(client, ptr::null(), &mut out),
            "order_json",
        );
        refused(
            sq_pos_orders_create(client, c"{}".as_ptr(), ptr::null_mut()),
            "out_cart_json",
        );
        refused(
            sq_pos_orders_get(client, 1, ptr::null_mut()),
            "out_cart_json",
        );
        refused(
            sq_pos_orders_send_sms(client, 1, ptr::null(), ptr::null_mut()),
            "out_message",
        );
        refused(
            sq_pos_orders_cancel(client, 1, ptr::null_mut()),
            "out_result_json",
        );
        refused(
            sq_pos_orders_validate(client, c"{}".as_ptr(), ptr::null_mut()),
            "out_problems_json",
        );
        assert!(out.is_null());
        sq_pos_client_free(client);
        sq_pos_client_free(ptr::null_mut());
    }

    #[test]
    fn a_bad_phone_is_refused_before_sending() {
        let client = client();
        let mut out = ptr::null_mut();
        let status = sq_pos_orders_send_sms(client, 1, c"+34 666".as_ptr(), &mut out);
        assert_eq!(status, SqStatus::SqErrInvalidInput);
        assert!(out.is_null());
        let details = last_error_json();
        assert_eq!(details["problems"][0]["path"], "mobile_phone");
        assert_eq!(details["may_have_acted"], false);
        sq_pos_client_free(client);
    }

    #[test]
    fn validate_lists_problems_and_clears_the_last_error() {
        let client = client();
        let mut problems = ptr::null_mut();
        let status = sq_pos_orders_validate(client, c"{".as_ptr(), &mut problems);
        assert_eq!(status, SqStatus::SqErrInvalidArgument);
        let status =
            sq_pos_orders_validate(client, c"{\"nin\":\"12-345\"}".as_ptr(), &mut problems);
        assert_eq!(status, SqStatus::SqOk);
        assert!(
            text(problems).contains("\"path\":\"nin\""),
            "{}",
            text(problems)
        );
        assert_eq!(last_error(), "");
        assert_eq!(text(crate::sq_last_error_json()), "{}");
        crate::sq_string_free(problems);
        sq_pos_client_free(client);
    }

    #[test]
    fn bad_options_are_config_errors_read_through_sq_last_error() {
        let mut client = ptr::null_mut();
        let status = sq_pos_client_new(
            c"{\"endpoint\":\"sandbox\",\"pasword\":\"x\"}".as_ptr(),
            &mut client,
        );
        assert_eq!(status, SqStatus::SqErrConfig);
        assert!(client.is_null());
        assert!(last_error().contains("pasword"), "{}", last_error());
    }
}
