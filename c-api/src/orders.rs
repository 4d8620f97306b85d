//! The C functions of the seQura Orders API: the checkout (start, the
//! identification form, confirm, validate) and the order's life after it
//! (payment methods, the form by SMS, hold and cancel, references,
//! post-sale updates, the credentials check). Each has the shape of every
//! call on a handle (`ffi::boundary`).

use crate::ffi::{
    boundary, json_arg, optional_json_arg, out_arg, str_arg, write_json, write_string,
};
use crate::{SqClient, SqStatus};
use sequra::orders::FormOptions;
use std::ffi::c_char;

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
/// Details via sq_last_error().
#[no_mangle]
pub extern "C" fn sq_orders_start(
    client: *const SqClient,
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
/// JSON); SQ_ERR_INVALID_INPUT (an unknown or mistyped option, or a key
/// given twice, each a problem under `problems`, as a document's are;
/// `order_uri` is no order URI of the configured endpoint);
/// SQ_ERR_NOT_FOUND (no such order); SQ_ERR_AUTHENTICATION, SQ_ERR_FORBIDDEN, SQ_ERR_RATE_LIMITED,
/// SQ_ERR_SERVER; SQ_ERR_TRANSPORT; SQ_ERR_UNEXPECTED_RESPONSE;
/// SQ_ERR_INTERNAL. Details via sq_last_error().
#[no_mangle]
pub extern "C" fn sq_orders_form(
    client: *const SqClient,
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
/// SQ_ERR_INTERNAL. Details via sq_last_error().
#[no_mangle]
pub extern "C" fn sq_orders_confirm(
    client: *const SqClient,
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
/// options; nothing is sent. Its `state` is required (the document's
/// first field) and is the one field each call checks for itself:
/// sq_orders_start takes it empty ("" or null), sq_orders_confirm empty or
/// "confirmed", sq_orders_hold empty or "on_hold", sq_orders_cancel empty
/// or "cancelled". On SQ_OK, `*out_problems_json` receives a JSON
/// array of `{"path": "cart.items[2].price_with_tax", "message": "..."}`,
/// `[]` when the order is valid, owned by the caller (free it with
/// sq_string_free).
///
/// Returns SQ_OK whenever the order could be read, valid or not;
/// SQ_ERR_INVALID_ARGUMENT (a NULL pointer, not UTF-8, not JSON);
/// SQ_ERR_INTERNAL. Details via sq_last_error().
#[no_mangle]
pub extern "C" fn sq_orders_validate(
    client: *const SqClient,
    order_json: *const c_char,
    out_problems_json: *mut *mut c_char,
) -> SqStatus {
    boundary(client, |c| {
        let out = out_arg(out_problems_json, "out_problems_json")?;
        let order = json_arg(order_json, "order_json")?;
        let problems = c.orders().validate(&order);
        // Serialised from the structs, so that `path` comes before `message`.
        write_json(out, "out_problems_json", &problems)
    })
}
/// The payment methods seQura offers for the order at `order_uri` (the
/// URI sq_orders_start gave, or its uuid): `GET /orders/{uuid}/payment_methods`.
/// On SQ_OK, `*out_json` receives `{"payment_options": [{"title", "methods":
/// [{"product", "campaign", "title", "long_title", "cost": {...},
/// "min_amount", "max_amount", ...}]}]}`, owned by the caller (free it with
/// sq_string_free); on failure it is untouched.
///
/// Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT; SQ_ERR_INVALID_INPUT (not an
/// order URI of the endpoint); SQ_ERR_AUTHENTICATION; SQ_ERR_NOT_FOUND;
/// SQ_ERR_RATE_LIMITED; SQ_ERR_SERVER; SQ_ERR_TRANSPORT;
/// SQ_ERR_UNEXPECTED_RESPONSE; SQ_ERR_INTERNAL. Details via sq_last_error().
#[no_mangle]
pub extern "C" fn sq_orders_payment_methods(
    client: *const SqClient,
    order_uri: *const c_char,
    out_json: *mut *mut c_char,
) -> SqStatus {
    boundary(client, |c| {
        let out = out_arg(out_json, "out_json")?;
        let uri = str_arg(order_uri, "order_uri")?;
        let methods = c.orders().payment_methods(uri)?;
        write_json(out, "out_json", &methods)
    })
}

/// The merchant's catalogue: `GET /merchants/{merchant}/payment_methods`.
/// `*out_json` as for sq_orders_payment_methods.
///
/// Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT; SQ_ERR_AUTHENTICATION;
/// SQ_ERR_FORBIDDEN; SQ_ERR_NOT_FOUND; SQ_ERR_RATE_LIMITED; SQ_ERR_SERVER;
/// SQ_ERR_TRANSPORT; SQ_ERR_UNEXPECTED_RESPONSE; SQ_ERR_INTERNAL.
/// Details via sq_last_error().
#[no_mangle]
pub extern "C" fn sq_merchant_payment_methods(
    client: *const SqClient,
    out_json: *mut *mut c_char,
) -> SqStatus {
    boundary(client, |c| {
        let out = out_arg(out_json, "out_json")?;
        let methods = c.merchant().payment_methods()?;
        write_json(out, "out_json", &methods)
    })
}

/// Checks that the endpoint, merchant id and credentials work together,
/// for a settings page; nothing is created.
///
/// Returns SQ_OK when they do; SQ_ERR_AUTHENTICATION (wrong username or
/// password, or credentials of the other environment); SQ_ERR_FORBIDDEN or
/// SQ_ERR_NOT_FOUND (the merchant id); SQ_ERR_TRANSPORT (the endpoint is
/// unreachable); SQ_ERR_SERVER; SQ_ERR_UNEXPECTED_RESPONSE;
/// SQ_ERR_INVALID_ARGUMENT; SQ_ERR_INTERNAL. Details via sq_last_error().
#[no_mangle]
pub extern "C" fn sq_client_check_credentials(client: *const SqClient) -> SqStatus {
    boundary(client, |c| Ok(c.merchant().check_credentials()?))
}

/// Sends the identification form for product `product_code` (e.g. "pp3")
/// to the shopper's mobile phone by SMS: `POST {order URI}/form_deliveries`.
///
/// Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT; SQ_ERR_INVALID_INPUT (a bad
/// URI or product code; nothing sent); SQ_ERR_CONFLICT (the order is not
/// pending or has no mobile phone; `errors` say which); SQ_ERR_NOT_FOUND;
/// SQ_ERR_AUTHENTICATION; SQ_ERR_RATE_LIMITED; SQ_ERR_SERVER;
/// SQ_ERR_TRANSPORT; SQ_ERR_UNEXPECTED_RESPONSE; SQ_ERR_INTERNAL.
/// Details via sq_last_error().
#[no_mangle]
pub extern "C" fn sq_orders_send_form(
    client: *const SqClient,
    order_uri: *const c_char,
    product_code: *const c_char,
) -> SqStatus {
    boundary(client, |c| {
        let uri = str_arg(order_uri, "order_uri")?;
        let product = str_arg(product_code, "product_code")?;
        Ok(c.orders().send_form(uri, product)?)
    })
}

/// Puts an approved order on hold while the shop reviews it: `PUT {order
/// URI}` with the full order in `order_json` and `state` "on_hold". The
/// order is checked first, as for sq_orders_confirm.
///
/// Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT; SQ_ERR_INVALID_INPUT (nothing
/// sent); SQ_ERR_CONFLICT (not approved, or confirmed or cancelled);
/// SQ_ERR_NOT_FOUND; SQ_ERR_AUTHENTICATION; SQ_ERR_FORBIDDEN;
/// SQ_ERR_RATE_LIMITED; SQ_ERR_SERVER; SQ_ERR_TRANSPORT;
/// SQ_ERR_UNEXPECTED_RESPONSE; SQ_ERR_INTERNAL. Details via sq_last_error().
#[no_mangle]
pub extern "C" fn sq_orders_hold(
    client: *const SqClient,
    order_uri: *const c_char,
    order_json: *const c_char,
) -> SqStatus {
    boundary(client, |c| {
        let uri = str_arg(order_uri, "order_uri")?;
        let order = json_arg(order_json, "order_json")?;
        Ok(c.orders().hold(uri, &order)?)
    })
}

/// Cancels an order that is not confirmed: `PUT {order URI}` with the full
/// order and `state` "cancelled". A confirmed order is cancelled with
/// sq_orders_update and both carts empty instead (SQ_ERR_CONFLICT here).
///
/// Returns as sq_orders_hold. Details via sq_last_error().
#[no_mangle]
pub extern "C" fn sq_orders_cancel(
    client: *const SqClient,
    order_uri: *const c_char,
    order_json: *const c_char,
) -> SqStatus {
    boundary(client, |c| {
        let uri = str_arg(order_uri, "order_uri")?;
        let order = json_arg(order_json, "order_json")?;
        Ok(c.orders().cancel(uri, &order)?)
    })
}

/// Updates the shop's references of an order: `PATCH {order URI}` with the
/// `merchant_reference` object in `reference_json`
/// (`{"order_ref_1": "...", "order_ref_2": "..."}`). This is also the last
/// step of the legacy POS confirm.
///
/// Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT; SQ_ERR_INVALID_INPUT (no
/// `order_ref_1`, an unknown key; nothing sent); SQ_ERR_CONFLICT
/// (`order_ref_1` already taken by another order of the merchant, or the
/// order is cancelled); SQ_ERR_NOT_FOUND; SQ_ERR_AUTHENTICATION;
/// SQ_ERR_RATE_LIMITED; SQ_ERR_SERVER; SQ_ERR_TRANSPORT;
/// SQ_ERR_UNEXPECTED_RESPONSE; SQ_ERR_INTERNAL. Details via sq_last_error().
#[no_mangle]
pub extern "C" fn sq_orders_update_references(
    client: *const SqClient,
    order_uri: *const c_char,
    reference_json: *const c_char,
) -> SqStatus {
    boundary(client, |c| {
        let uri = str_arg(order_uri, "order_uri")?;
        let reference = json_arg(reference_json, "reference_json")?;
        Ok(c.orders().update_references(uri, &reference)?)
    })
}

/// Changes a confirmed order after the checkout: `PUT
/// /merchants/{merchant}/orders/{order_ref_1}` with `update_json`, an
/// object with `shipped_cart` and `unshipped_cart` (each `currency`,
/// `order_total_with_tax`, `items`) and optionally `trackings`. Both carts
/// together are the order as it now stands: ship, refund or cancel items;
/// both carts without items (`"items": []`, `order_total_with_tax` 0, the
/// currency still given) cancel the order. The update is checked first: the carts'
/// sums, the other sections as an order's (trackings, addresses), and a key
/// no document names (a typo such as `trakings`, unless the client's
/// `allow_unknown_keys`).
///
/// Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT; SQ_ERR_INVALID_INPUT (the
/// update's `problems`; nothing sent); SQ_ERR_NOT_FOUND (no confirmed order
/// has this reference); SQ_ERR_CONFLICT (an item added or moved back, the
/// order cancelled; `errors` say which); SQ_ERR_AUTHENTICATION;
/// SQ_ERR_FORBIDDEN; SQ_ERR_RATE_LIMITED; SQ_ERR_SERVER; SQ_ERR_TRANSPORT;
/// SQ_ERR_UNEXPECTED_RESPONSE; SQ_ERR_INTERNAL. Details via sq_last_error().
#[no_mangle]
pub extern "C" fn sq_orders_update(
    client: *const SqClient,
    order_ref_1: *const c_char,
    update_json: *const c_char,
) -> SqStatus {
    boundary(client, |c| {
        let reference = str_arg(order_ref_1, "order_ref_1")?;
        let update = json_arg(update_json, "update_json")?;
        Ok(c.merchant().update_order(reference, &update)?)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ptr;

    #[test]
    fn a_null_handle_is_an_argument_error_that_names_it() {
        assert_eq!(
            sq_client_check_credentials(ptr::null()),
            SqStatus::SqErrInvalidArgument
        );
        assert_eq!(crate::testing::last_error(), "client is NULL");
    }
}
