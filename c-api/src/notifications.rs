//! The C functions of what seQura sends the shop: signing the shop's
//! notification parameters, reading and verifying an IPN or an event, and
//! the status to answer. They need no handle: a notification endpoint may
//! run where no client is configured. A failure is the thread's last error,
//! as for every call (`ffi::detached`).

use crate::ffi::{bytes_arg, detached, out_arg, str_arg, write_json, write_string, Failure};
use crate::SqStatus;
use sequra::orders::notifications::{
    check_event_identity_parameter, check_ipn_identity_parameter, Event, Ipn, Outcome, Signer,
};
use std::ffi::c_char;

fn signer(secret: *const c_char) -> Result<Signer, Failure> {
    Ok(Signer::new(str_arg(secret, "secret")?)?)
}

/// The signature of `identity` (e.g. the shop's cart id) keyed with the
/// shop's `secret` (16 to 1024 bytes of UTF-8 text without a control
/// character, e.g. 64 random hex digits): put both in the order's
/// `merchant.notification_parameters` (the signature under "signature")
/// when the solicitation starts. On SQ_OK `*out_signature` receives it,
/// owned by the caller (free it with sq_string_free).
///
/// Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT; SQ_ERR_INVALID_INPUT (an
/// `identity` that is empty or blank, has a control character or is longer
/// than 255 bytes: no notification could vouch for an order with it);
/// SQ_ERR_CONFIG (the secret is too short or has a control character);
/// SQ_ERR_INTERNAL. Details via sq_last_error().
#[no_mangle]
pub extern "C" fn sq_notification_sign(
    secret: *const c_char,
    identity: *const c_char,
    out_signature: *mut *mut c_char,
) -> SqStatus {
    detached(|| {
        let out = out_arg(out_signature, "out_signature")?;
        let identity = str_arg(identity, "identity")?;
        write_string(out, "out_signature", &signer(secret)?.sign(identity)?)
    })
}

/// Reads the raw `application/x-www-form-urlencoded` body (`body`,
/// `body_length` bytes) of an IPN seQura POSTed to the shop's notify_url,
/// and checks the signature it echoes: the identity in the parameter
/// `identity_parameter` (e.g. "cart") signed with `secret`, as
/// sq_notification_sign made it. On SQ_OK `*out_json` receives
/// `{"order_ref", "product_code", "sq_state", "order_ref_1",
/// "approved_since", "parameters"}`, owned by the caller: `sq_state` is
/// "approved" (confirm the order), "needs_review" (wait: another IPN
/// follows) or "cancelled"; `approved_since` is the post's text (seconds
/// since the epoch); a field seQura left out is ""; `parameters` holds the
/// shop's notification parameters.
///
/// The signature covers the identity only: it proves the IPN is about an
/// order this shop started, not what it says of it (a signed IPN of the
/// same order posted again with another `sq_state` verifies too). Match
/// `order_ref` with the order stored under the identity, and let seQura
/// confirm the state where it can (sq_orders_confirm refuses an order it
/// does not hold as approved). The fields the signature does not cover are
/// checked: `order_ref` is an order uuid (letters, digits and '-'),
/// `product_code` a product code, every other name and value has no
/// control character and at most 255 bytes; a repeated parameter is
/// refused (which one is meant would be ambiguous), and so is a name PHP's
/// `$_POST` would file under another (with a space, '.' or '['), which a
/// PHP part of the shop would read otherwise.
///
/// Returns SQ_OK; SQ_ERR_INVALID_INPUT (an empty body, a missing,
/// repeated or malformed field, an unknown sq_state; answer 404);
/// SQ_ERR_BAD_SIGNATURE (forged or unsigned, also when the identity
/// parameter the signature signs is missing; answer 404 and do not act);
/// SQ_ERR_CONFIG (the secret is shorter than 16 bytes, longer than 1024
/// or has a control character; or `identity_parameter` is empty, is
/// "signature", has a control character, a space, '.' or '[', or is a
/// field seQura sets, such as `order_ref`: checked before the body);
/// SQ_ERR_INVALID_ARGUMENT; SQ_ERR_INTERNAL. Details via sq_last_error().
#[no_mangle]
pub extern "C" fn sq_ipn_read(
    body: *const u8,
    body_length: usize,
    secret: *const c_char,
    identity_parameter: *const c_char,
    out_json: *mut *mut c_char,
) -> SqStatus {
    let read = |body: &[u8], signer: &Signer, identity: &str| {
        check_ipn_identity_parameter(identity)?;
        let ipn = Ipn::from_form(body)?;
        signer.verify_ipn(&ipn, identity)?;
        Ok(ipn)
    };
    let arguments = (body, body_length, secret, identity_parameter);
    read_notification(arguments, out_json, read)
}

/// The same for an event POSTed to `merchant.events_webhook.url`: its
/// webhook parameters (sent back prefixed `m_`) carry the identity and the
/// signature. On SQ_OK `*out_json` receives `{"event", "order_ref",
/// "order_ref_1", "parameters", "fields"}`, owned by the caller: `event` is
/// the event's name as seQura sent it (e.g. "cancelled": seQura cancelled
/// the confirmed order; an event the shop does not know is still read, for
/// it to answer 200 and ignore), `parameters` the shop's webhook
/// parameters without their `m_`, `fields` the post's other fields. The
/// bundled sandbox sends "cancelled" (POST /sandbox/orders/{uuid}/cancel
/// on a confirmed order). Answer as for an IPN.
///
/// Returns as sq_ipn_read. Details via sq_last_error().
#[no_mangle]
pub extern "C" fn sq_event_read(
    body: *const u8,
    body_length: usize,
    secret: *const c_char,
    identity_parameter: *const c_char,
    out_json: *mut *mut c_char,
) -> SqStatus {
    let read = |body: &[u8], signer: &Signer, identity: &str| {
        check_event_identity_parameter(identity)?;
        let event = Event::from_form(body)?;
        signer.verify_event(&event, identity)?;
        Ok(event)
    };
    let arguments = (body, body_length, secret, identity_parameter);
    read_notification(arguments, out_json, read)
}

/// The body, the secret and the name of the identity parameter.
type NotificationArguments = (*const u8, usize, *const c_char, *const c_char);

/// The shape of sq_ipn_read and sq_event_read: read the arguments, `read`
/// and verify the notification, write it as JSON.
fn read_notification<T: serde::Serialize>(
    (body, body_length, secret, identity_parameter): NotificationArguments,
    out_json: *mut *mut c_char,
    read: impl FnOnce(&[u8], &Signer, &str) -> sequra::error::Result<T>,
) -> SqStatus {
    detached(|| {
        let out = out_arg(out_json, "out_json")?;
        let body = bytes_arg(body, body_length, "body")?;
        let identity = str_arg(identity_parameter, "identity_parameter")?;
        let notification = read(body, &signer(secret)?, identity)?;
        write_json(out, "out_json", &notification)
    })
}

/// The HTTP status the shop answers a notification with, for what it did:
/// `outcome` "taken" → 200, "unknown_order" → 404, "try_later" → 409
/// (seQura asks again), "never" → 410 (seQura cancels the order and refunds
/// the shopper: only for an order the shop will never fulfil, never for an
/// error of its own). On SQ_OK `*out_status` receives it.
///
/// Returns SQ_OK; SQ_ERR_INVALID_INPUT (another outcome);
/// SQ_ERR_INVALID_ARGUMENT; SQ_ERR_INTERNAL. Details via sq_last_error().
#[no_mangle]
pub extern "C" fn sq_notification_answer_status(
    outcome: *const c_char,
    out_status: *mut u16,
) -> SqStatus {
    detached(|| {
        if out_status.is_null() {
            return Err(Failure::Argument("out_status is NULL".into()));
        }
        let status = Outcome::parse(str_arg(outcome, "outcome")?)?.http_status();
        // SAFETY: checked non-NULL above.
        unsafe { *out_status = status };
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{last_error, last_error_json};
    use std::ffi::{CStr, CString};
    use std::ptr;

    const SECRET: &CStr = c"a-long-random-shop-secret";

    fn take(s: *mut c_char) -> String {
        // SAFETY: a string the library handed out, freed here once.
        unsafe { CString::from_raw(s) }.into_string().unwrap()
    }

    fn signed_ipn(signature: &str) -> String {
        format!(
            "order_ref=u-1&product_code=i1&sq_state=approved&order_ref_1=R-1&approved_since=1&cart=C-9&signature={signature}"
        )
    }

    #[test]
    fn a_signed_ipn_is_read_and_a_forged_one_refused() {
        let mut signature = ptr::null_mut();
        let status = sq_notification_sign(SECRET.as_ptr(), c"C-9".as_ptr(), &mut signature);
        assert_eq!(status, SqStatus::SqOk);
        let signature = take(signature);

        let body = signed_ipn(&signature);
        let mut json = ptr::null_mut();
        let status = sq_ipn_read(
            body.as_ptr(),
            body.len(),
            SECRET.as_ptr(),
            c"cart".as_ptr(),
            &mut json,
        );
        assert_eq!(status, SqStatus::SqOk);
        let ipn: serde_json::Value = serde_json::from_str(&take(json)).unwrap();
        assert_eq!(ipn["sq_state"], "approved");
        assert_eq!(ipn["parameters"]["cart"], "C-9");

        let forged = signed_ipn("AAAA");
        let mut json = ptr::null_mut();
        let status = sq_ipn_read(
            forged.as_ptr(),
            forged.len(),
            SECRET.as_ptr(),
            c"cart".as_ptr(),
            &mut json,
        );
        assert_eq!(status, SqStatus::SqErrBadSignature);
        assert!(json.is_null());
        assert!(last_error().contains("does not match"), "{}", last_error());
        assert_eq!(last_error_json()["kind"], "bad_signature");
    }

    #[test]
    fn a_missing_identity_parameter_is_named_in_a_short_quote() {
        let body = signed_ipn("AAAA");
        let name = CString::new("p".repeat(100_000)).unwrap();
        let mut json = ptr::null_mut();
        let status = sq_ipn_read(
            body.as_ptr(),
            body.len(),
            SECRET.as_ptr(),
            name.as_ptr(),
            &mut json,
        );
        assert_eq!(status, SqStatus::SqErrBadSignature);
        assert!(last_error().contains("\"pppp"), "{}", last_error());
        assert!(last_error().contains("(100000 bytes)"), "{}", last_error());
        assert!(last_error().len() < 300, "{} bytes", last_error().len());
    }

    /// A setup mistake shows whatever the body: not hidden behind the
    /// body's own problems (which a handler answers 404 to).
    #[test]
    fn a_field_sequra_sets_as_the_identity_parameter_is_a_config_error_first() {
        let body = b"order_ref=x";
        let mut json = ptr::null_mut();
        let status = sq_ipn_read(
            body.as_ptr(),
            body.len(),
            SECRET.as_ptr(),
            c"order_ref".as_ptr(),
            &mut json,
        );
        assert_eq!(status, SqStatus::SqErrConfig, "{}", last_error());
        assert!(
            last_error().contains("a field seQura sets"),
            "{}",
            last_error()
        );
        // An event's identity parameter too, whatever its body.
        for identity in [c"", c"signature", c"a\nb"] {
            let status = sq_event_read(
                body.as_ptr(),
                body.len(),
                SECRET.as_ptr(),
                identity.as_ptr(),
                &mut json,
            );
            assert_eq!(
                status,
                SqStatus::SqErrConfig,
                "{identity:?}: {}",
                last_error()
            );
        }
    }

    #[test]
    fn an_empty_body_is_invalid_input_and_null_with_length_an_argument_error() {
        let mut json = ptr::null_mut();
        let status = sq_ipn_read(ptr::null(), 0, SECRET.as_ptr(), c"cart".as_ptr(), &mut json);
        assert_eq!(status, SqStatus::SqErrInvalidInput);
        let status = sq_ipn_read(ptr::null(), 3, SECRET.as_ptr(), c"cart".as_ptr(), &mut json);
        assert_eq!(status, SqStatus::SqErrInvalidArgument);
        assert_eq!(last_error(), "body is NULL");
    }

    #[test]
    fn a_length_no_buffer_can_have_is_an_argument_error_not_an_abort() {
        let body = b"order_ref=u-1";
        let read = |length: usize| {
            let mut json = ptr::null_mut();
            let status = sq_ipn_read(
                body.as_ptr(),
                length,
                SECRET.as_ptr(),
                c"cart".as_ptr(),
                &mut json,
            );
            assert!(json.is_null());
            status
        };
        for length in [usize::MAX, isize::MAX as usize + 1] {
            assert_eq!(read(length), SqStatus::SqErrInvalidArgument, "{length}");
            assert!(
                last_error().starts_with("body_length is "),
                "{}",
                last_error()
            );
        }
        // A body longer than any notification: refused by its length before
        // a byte of it is read (a wrong length reads nothing past the body).
        let too_long = isize::MAX as usize;
        assert_eq!(read(too_long), SqStatus::SqErrInvalidInput);
        let said = format!("{too_long} bytes, more than any notification");
        assert!(last_error().contains(&said), "{}", last_error());
    }

    #[test]
    fn outcomes_map_to_the_statuses_sequra_expects() {
        let mut status = 0u16;
        for (outcome, expected) in [
            (c"taken", 200),
            (c"unknown_order", 404),
            (c"try_later", 409),
            (c"never", 410),
        ] {
            let result = sq_notification_answer_status(outcome.as_ptr(), &mut status);
            assert_eq!(result, SqStatus::SqOk);
            assert_eq!(status, expected);
        }
        let result = sq_notification_answer_status(c"refund".as_ptr(), &mut status);
        assert_eq!(result, SqStatus::SqErrInvalidInput);
        assert!(
            last_error().contains("\"refund\" is not an outcome"),
            "{}",
            last_error()
        );
    }

    /// sq_ipn_read of `body` with the test secret and "cart": its status.
    fn ipn_read(body: &str) -> SqStatus {
        let mut json = ptr::null_mut();
        let status = sq_ipn_read(
            body.as_ptr(),
            body.len(),
            SECRET.as_ptr(),
            c"cart".as_ptr(),
            &mut json,
        );
        if !json.is_null() {
            take(json);
        }
        status
    }

    fn signature() -> String {
        let mut signature = ptr::null_mut();
        let status = sq_notification_sign(SECRET.as_ptr(), c"C-9".as_ptr(), &mut signature);
        assert_eq!(status, SqStatus::SqOk);
        take(signature)
    }

    #[test]
    fn a_signed_ipn_with_a_state_twice_is_invalid_input() {
        let body = format!("{}&sq_state=cancelled", signed_ipn(&signature()));
        assert_eq!(ipn_read(&body), SqStatus::SqErrInvalidInput);
        assert!(
            last_error().contains("\"sq_state\" twice"),
            "{}",
            last_error()
        );
        assert_eq!(last_error_json()["problems"][0]["path"], "body");
    }

    #[test]
    fn a_signed_ipn_with_control_characters_in_its_unsigned_fields_is_invalid_input() {
        let signature = signature();
        for (field, body) in [
            ("order_ref", signed_ipn(&signature).replace("u-1", "u%001")),
            (
                "order_ref",
                signed_ipn(&signature).replace("u-1", "u-1%0a%1b[31m"),
            ),
            (
                "product_code",
                signed_ipn(&signature).replace("i1", "i1%0d"),
            ),
        ] {
            assert_eq!(ipn_read(&body), SqStatus::SqErrInvalidInput, "{body}");
            assert_eq!(last_error_json()["problems"][0]["path"], field);
            assert!(
                !last_error().chars().any(char::is_control),
                "{:?}",
                last_error()
            );
        }
        assert_eq!(ipn_read(&signed_ipn(&signature)), SqStatus::SqOk);
    }

    /// sq_checkout_com_webhook_verify of a correctly signed `body`.
    fn webhook_verify(body: &str) -> SqStatus {
        let secret = c"whsec-for-c-tests";
        let signature = sequra::checkout_com::Verifier::new("whsec-for-c-tests")
            .unwrap()
            .sign(body.as_bytes());
        let body = CString::new(body).unwrap();
        let signature = CString::new(signature).unwrap();
        let mut json = ptr::null_mut();
        let status = crate::checkout_com::sq_checkout_com_webhook_verify(
            secret.as_ptr(),
            body.as_ptr(),
            signature.as_ptr(),
            &mut json,
        );
        if !json.is_null() {
            take(json);
        }
        status
    }

    #[test]
    fn a_signed_webhook_with_a_type_twice_or_a_bad_amount_is_invalid_input() {
        let body = r#"{"id":"evt_1","type":"payment_declined","type":"payment_approved","data":{"id":"pay_1"}}"#;
        assert_eq!(webhook_verify(body), SqStatus::SqErrInvalidInput);
        assert!(last_error().contains("\"type\" twice"), "{}", last_error());
        for amount in ["18446744073709551616", "200.5", "\"20000\"", "-1"] {
            let body = format!(
                r#"{{"id":"evt_1","type":"payment_approved","data":{{"id":"pay_1","amount":{amount}}}}}"#
            );
            assert_eq!(
                webhook_verify(&body),
                SqStatus::SqErrInvalidInput,
                "{amount}"
            );
            assert_eq!(last_error_json()["problems"][0]["path"], "data.amount");
        }
        let body =
            r#"{"id":"evt_1","type":"payment_approved","data":{"id":"pay_1","amount":20000}}"#;
        assert_eq!(webhook_verify(body), SqStatus::SqOk);
    }
}
