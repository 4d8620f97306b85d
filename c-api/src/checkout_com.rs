//! The C functions of seQura through checkout.com: a client of one
//! checkout.com account (`SqCheckoutComClient`), its payment setups with
//! JSON strings in and out, and the webhook check, which needs no client.

use crate::ffi::{
    self, boundary, detached, json_arg, json_text, out_arg, received_arg, str_arg, Failure,
};
use crate::SqStatus;
use sequra::checkout_com::{self, Client, Verifier};
use std::ffi::{c_char, CString};

/// A client of one checkout.com account (a secret key or OAuth client
/// credentials). Opaque: create it with sq_checkout_com_client_new and
/// release it with sq_checkout_com_client_free. Any number of threads may
/// call functions with one handle at once.
pub struct SqCheckoutComClient {
    client: Client,
}

ffi::impl_handle!(SqCheckoutComClient, Client);

/// An optional C string argument: NULL is `None`.
fn optional_str_arg<'a>(value: *const c_char, name: &str) -> Result<Option<&'a str>, Failure> {
    if value.is_null() {
        Ok(None)
    } else {
        str_arg(value, name).map(Some)
    }
}

/// Refuses two outputs at one pointer, before anything is sent: one would
/// overwrite the other, whose string would be lost (and leaked).
fn distinct(outputs: &[(*mut *mut c_char, &str)]) -> Result<(), Failure> {
    for (i, (out, name)) in outputs.iter().enumerate() {
        let same = outputs[i + 1..]
            .iter()
            .find(|(other, _)| !out.is_null() && other == out);
        if let Some((_, other)) = same {
            return Err(Failure::Argument(format!(
                "{name} and {other} are the same pointer; give each output its own"
            )));
        }
    }
    Ok(())
}

/// Writes every `(out, name, value)` or none: all the strings are made
/// first, so that a value a C string cannot carry leaves every output
/// untouched. A NULL `out` (an optional output) is skipped; a `None` value
/// is written as NULL.
fn write_all(outputs: &[(*mut *mut c_char, &str, Option<&str>)]) -> Result<(), Failure> {
    let mut made = Vec::with_capacity(outputs.len());
    for (out, name, value) in outputs {
        let text = match value {
            Some(value) => Some(CString::new(*value).map_err(|e| {
                Failure::Output(format!(
                    "the answer holds a NUL byte at offset {}, which a C string cannot carry; \
                     nothing was written to {name}",
                    e.nul_position()
                ))
            })?),
            None => None,
        };
        made.push((*out, text));
    }
    for (out, text) in made {
        if !out.is_null() {
            // SAFETY: checked non-NULL; the caller frees it with sq_string_free.
            unsafe { *out = text.map_or(std::ptr::null_mut(), CString::into_raw) };
        }
    }
    Ok(())
}

/// Creates a client from the options JSON object in `options_json`:
/// `secret_key` (`sk_...` or `sk_sbox_...`; the environment follows from
/// it), or `client_id` and `client_secret` (OAuth; then `environment` is
/// required, and `scope` (default "gateway") and `access_url` are
/// optional: the token endpoint, by default the environment's
/// (https://access.sandbox.checkout.com/connect/token), not under
/// `endpoint`: with the bundled sandbox, its URL + "/connect/token"); `prefix` (the
/// account's eight-character prefix) or `endpoint` (a base URL that
/// replaces it, e.g. the bundled sandbox; plain http only to loopback);
/// and optionally `environment` ("sandbox" or "production"),
/// `processing_channel_id` (for setups that name none), and the connection
/// options (the top of sequra.h). Unknown keys are refused. Nothing is
/// sent.
///
/// `options_json` is borrowed for the call. On SQ_OK, `*out_client`
/// receives the handle, owned by the caller: release it with
/// sq_checkout_com_client_free. On failure `*out_client` is untouched.
///
/// Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT (`options_json` or `out_client`
/// NULL, not UTF-8, not JSON); SQ_ERR_CONFIG (a missing, unknown or bad
/// option, e.g. a malformed secret key); SQ_ERR_INTERNAL.
/// Details via sq_last_error().
///
/// An OAuth client learns whether the token endpoint takes its `scope`
/// only when a call first asks it for a token: then any of the calls
/// below may return SQ_ERR_CONFIG too (a 400 other than
/// `invalid_client`), and the call's own request was not sent.
#[no_mangle]
pub extern "C" fn sq_checkout_com_client_new(
    options_json: *const c_char,
    out_client: *mut *mut SqCheckoutComClient,
) -> SqStatus {
    ffi::create(options_json, out_client, |options| {
        Ok(Client::from_json(options)?)
    })
}

/// Releases a client made by sq_checkout_com_client_new. NULL is allowed and
/// ignored. Call it once, when no other call with the handle is running
/// or will follow: freeing a handle twice, or while another thread uses
/// it, is a bug the library catches only when it can (see the top of
/// sequra.h): do not rely on it.
#[no_mangle]
pub extern "C" fn sq_checkout_com_client_free(client: *mut SqCheckoutComClient) {
    ffi::free(client)
}

/// Writes a new idempotency key (a random UUID) to `*out_key`, owned by the
/// caller (free it with sq_string_free). Make one before a create or
/// confirm whose retry may come from another process, and store it with
/// the order: sending the same key again is what makes the retry safe.
///
/// Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT (`out_key` NULL);
/// SQ_ERR_CONFIG (the system's random source failed); SQ_ERR_INTERNAL.
/// Details via sq_last_error().
#[no_mangle]
pub extern "C" fn sq_checkout_com_new_idempotency_key(out_key: *mut *mut c_char) -> SqStatus {
    detached(|| {
        let out = out_arg(out_key, "out_key")?;
        let key = checkout_com::new_idempotency_key()?;
        ffi::write_string(out, "out_key", &key)
    })
}

/// Checks the payment setup in `setup_json` (borrowed for the call) as
/// sq_checkout_com_setup_create does; nothing is sent. On SQ_OK,
/// `*out_problems_json` receives a JSON array of `{"path", "message"}`,
/// `[]` when the setup is valid, owned by the caller (free it with
/// sq_string_free).
///
/// Returns SQ_OK whenever the setup could be read, valid or not;
/// SQ_ERR_INVALID_ARGUMENT (a NULL pointer, not UTF-8, not JSON);
/// SQ_ERR_INTERNAL. Details via sq_last_error().
#[no_mangle]
pub extern "C" fn sq_checkout_com_setup_validate(
    client: *const SqCheckoutComClient,
    setup_json: *const c_char,
    out_problems_json: *mut *mut c_char,
) -> SqStatus {
    boundary(client, |c| {
        let out = out_arg(out_problems_json, "out_problems_json")?;
        let setup = json_arg(setup_json, "setup_json")?;
        ffi::write_json(
            out,
            "out_problems_json",
            &c.payment_setups().validate(&setup),
        )
    })
}

/// Creates a payment setup (`POST /payments/setups`) from the setup object
/// in `setup_json`, the API's own JSON (`amount` in cents, `currency`
/// "EUR", `reference`, `billing.address`, `settings.success_url` and
/// `failure_url`, ...); it gets the client's `processing_channel_id` when
/// it names none. Other keys the API has are sent as given; a typo of a
/// key the check knows (`refrence`) and a key no field of the API can be
/// (not lower-case letters, digits and '_') are problems, as the API would
/// drop them. It is checked first; one with problems is refused and
/// nothing is sent. A setup may be created before it has all seQura needs
/// and completed with sq_checkout_com_setup_update: its
/// `payment_methods.sequra.status` is "ready" once it has them (the
/// billing address's `address_line1`, `city`, `state`, `zip` and
/// `country` among them), and confirming one that is not is refused
/// with checkout.com's codes of what is missing.
///
/// `idempotency_key` is the Cko-Idempotency-Key to send, or NULL for a new
/// one; the request is retried with it on connection failures, 429 and
/// 502-504, and sending the same key again later answers the same setup
/// instead of creating another. All strings are borrowed for the call.
///
/// On SQ_OK, `*out_setup_json` receives the setup as JSON (its `id` is
/// `set_...`; `payment_methods.sequra.status` is "ready" once seQura can be
/// confirmed) and, when `out_idempotency_key` is not NULL,
/// `*out_idempotency_key` the key sent; both owned by the caller (free them
/// with sq_string_free). On failure nothing is written.
///
/// Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT (a NULL pointer, two outputs at
/// one pointer, not UTF-8, not JSON); SQ_ERR_INVALID_INPUT (the setup's or
/// key's `problems`, nothing sent); SQ_ERR_AUTHENTICATION, SQ_ERR_FORBIDDEN, SQ_ERR_UNPROCESSABLE
/// (checkout.com's `errors`, e.g. the key reused for another body),
/// SQ_ERR_RATE_LIMITED (a request with this key is still in flight),
/// SQ_ERR_SERVER; SQ_ERR_TRANSPORT; SQ_ERR_UNEXPECTED_RESPONSE;
/// SQ_ERR_INTERNAL. Details via sq_last_error(). After any failure whose
/// `may_have_acted` is true, sq_last_error_json()'s `idempotency_key` is
/// the key sent (also one made for the call): retry with it.
#[no_mangle]
pub extern "C" fn sq_checkout_com_setup_create(
    client: *const SqCheckoutComClient,
    setup_json: *const c_char,
    idempotency_key: *const c_char,
    out_setup_json: *mut *mut c_char,
    out_idempotency_key: *mut *mut c_char,
) -> SqStatus {
    boundary(client, |c| {
        let out = out_arg(out_setup_json, "out_setup_json")?;
        distinct(&[
            (out, "out_setup_json"),
            (out_idempotency_key, "out_idempotency_key"),
        ])?;
        let setup = json_arg(setup_json, "setup_json")?;
        let key = optional_str_arg(idempotency_key, "idempotency_key")?;
        let posted = c.payment_setups().create(&setup, key)?;
        let setup = json_text(&posted.value, "the answer")?;
        write_all(&[
            (out, "out_setup_json", Some(&setup)),
            (
                out_idempotency_key,
                "out_idempotency_key",
                Some(&posted.idempotency_key),
            ),
        ])
    })
}

/// Reads the payment setup `setup_id` (`GET /payments/setups/{id}`). On
/// SQ_OK, `*out_setup_json` receives it as JSON, owned by the caller (free
/// it with sq_string_free). `setup_id` is borrowed for the call.
///
/// Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT; SQ_ERR_INVALID_INPUT (not a
/// `set_...` id, nothing sent); SQ_ERR_NOT_FOUND; SQ_ERR_AUTHENTICATION,
/// SQ_ERR_FORBIDDEN, SQ_ERR_RATE_LIMITED, SQ_ERR_SERVER; SQ_ERR_TRANSPORT;
/// SQ_ERR_UNEXPECTED_RESPONSE; SQ_ERR_INTERNAL. Details via sq_last_error().
#[no_mangle]
pub extern "C" fn sq_checkout_com_setup_get(
    client: *const SqCheckoutComClient,
    setup_id: *const c_char,
    out_setup_json: *mut *mut c_char,
) -> SqStatus {
    boundary(client, |c| {
        let out = out_arg(out_setup_json, "out_setup_json")?;
        let id = str_arg(setup_id, "setup_id")?;
        let setup = c.payment_setups().get(id)?;
        ffi::write_json(out, "out_setup_json", &setup)
    })
}

/// Updates the payment setup `setup_id` (`PUT /payments/setups/{id}`) with
/// the fields in `changes_json` (e.g. a new `amount`, the `billing`
/// address), checked first like a create except that nothing is required.
/// On SQ_OK, `*out_setup_json` receives the setup as it is now, owned by
/// the caller (free it with sq_string_free). Strings are borrowed.
///
/// Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT; SQ_ERR_INVALID_INPUT;
/// SQ_ERR_NOT_FOUND; SQ_ERR_CONFLICT (already confirmed);
/// SQ_ERR_UNPROCESSABLE; SQ_ERR_AUTHENTICATION, SQ_ERR_FORBIDDEN,
/// SQ_ERR_RATE_LIMITED, SQ_ERR_SERVER; SQ_ERR_TRANSPORT;
/// SQ_ERR_UNEXPECTED_RESPONSE; SQ_ERR_INTERNAL. Details via sq_last_error().
#[no_mangle]
pub extern "C" fn sq_checkout_com_setup_update(
    client: *const SqCheckoutComClient,
    setup_id: *const c_char,
    changes_json: *const c_char,
    out_setup_json: *mut *mut c_char,
) -> SqStatus {
    boundary(client, |c| {
        let out = out_arg(out_setup_json, "out_setup_json")?;
        let id = str_arg(setup_id, "setup_id")?;
        let changes = json_arg(changes_json, "changes_json")?;
        let setup = c.payment_setups().update(id, &changes)?;
        ffi::write_json(out, "out_setup_json", &setup)
    })
}

/// Confirms the payment setup `setup_id` with seQura
/// (`POST /payments/setups/{id}/confirm/sequra`), with `idempotency_key`
/// as for sq_checkout_com_setup_create (NULL for a new one).
///
/// On SQ_OK, `*out_payment_json` receives the payment as JSON (`id`
/// `pay_...`, `status` "Pending", `processing.partner_payment_id`, ...),
/// `*out_redirect_url` the seQura page to send the customer to, and, when
/// `out_idempotency_key` is not NULL, `*out_idempotency_key` the key sent;
/// each owned by the caller (free them with sq_string_free). On failure
/// nothing is written. Strings are borrowed for the call.
///
/// Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT (a NULL pointer, two outputs at
/// one pointer); SQ_ERR_INVALID_INPUT (not a `set_...` id, a bad key);
/// SQ_ERR_NOT_FOUND; SQ_ERR_CONFLICT (already
/// confirmed); SQ_ERR_UNPROCESSABLE (seQura is not ready: the `errors` say
/// what is missing); SQ_ERR_RATE_LIMITED; SQ_ERR_AUTHENTICATION,
/// SQ_ERR_FORBIDDEN, SQ_ERR_SERVER; SQ_ERR_TRANSPORT;
/// SQ_ERR_UNEXPECTED_RESPONSE (also a payment that is not Pending, e.g.
/// Declined: there is no page to send the customer to); SQ_ERR_INTERNAL.
/// Details via sq_last_error(); after a failure that may have acted, the
/// key to retry with is sq_last_error_json()'s `idempotency_key`, as for
/// sq_checkout_com_setup_create.
#[no_mangle]
pub extern "C" fn sq_checkout_com_setup_confirm(
    client: *const SqCheckoutComClient,
    setup_id: *const c_char,
    idempotency_key: *const c_char,
    out_payment_json: *mut *mut c_char,
    out_redirect_url: *mut *mut c_char,
    out_idempotency_key: *mut *mut c_char,
) -> SqStatus {
    boundary(client, |c| {
        let out_payment = out_arg(out_payment_json, "out_payment_json")?;
        let out_redirect = out_arg(out_redirect_url, "out_redirect_url")?;
        distinct(&[
            (out_payment, "out_payment_json"),
            (out_redirect, "out_redirect_url"),
            (out_idempotency_key, "out_idempotency_key"),
        ])?;
        let id = str_arg(setup_id, "setup_id")?;
        let key = optional_str_arg(idempotency_key, "idempotency_key")?;
        let posted = c.payment_setups().confirm(id, key)?;
        let payment = json_text(&posted.value, "the answer")?;
        write_all(&[
            (out_payment, "out_payment_json", Some(&payment)),
            (
                out_redirect,
                "out_redirect_url",
                posted.value.redirect_url(),
            ),
            (
                out_idempotency_key,
                "out_idempotency_key",
                Some(&posted.idempotency_key),
            ),
        ])
    })
}

/// Verifies a webhook checkout.com sent: `signature` is its Cko-Signature
/// header (NULL when it had none), `body` the raw request body exactly as
/// received (before any decoding; JSON text, which holds no NUL byte),
/// `webhook_secret` the webhook's secret key. The signature is compared in
/// constant time. No client is needed.
///
/// On SQ_OK, `*out_event_json` receives the event as JSON: `id`
/// (`evt_...`: act once per id), `type` (e.g. "payment_approved",
/// "payment_declined"), `created_on`, and for payment events `payment_id`,
/// `reference`, `amount`, `currency`, with the whole `data`; owned by the
/// caller (free it with sq_string_free); on failure it is untouched. All
/// strings are borrowed for the call.
///
/// Returns SQ_OK; SQ_ERR_BAD_SIGNATURE (forged, changed or unsigned:
/// answer 401 and do not act on it); SQ_ERR_INVALID_INPUT (signed, but not
/// an event); SQ_ERR_CONFIG (an empty secret, or one with a control
/// character: a line end copied with it); SQ_ERR_INVALID_ARGUMENT
/// (a NULL pointer, a signature that is not UTF-8); SQ_ERR_INTERNAL.
/// Details via sq_last_error().
#[no_mangle]
pub extern "C" fn sq_checkout_com_webhook_verify(
    webhook_secret: *const c_char,
    body: *const c_char,
    signature: *const c_char,
    out_event_json: *mut *mut c_char,
) -> SqStatus {
    detached(|| {
        let out = out_arg(out_event_json, "out_event_json")?;
        let secret = str_arg(webhook_secret, "webhook_secret")?;
        let body = received_arg(body, "body")?;
        let signature = optional_str_arg(signature, "signature")?;
        let event = Verifier::new(secret)?.verify_and_parse(body, signature)?;
        ffi::write_string(out, "out_event_json", &json_text(&event, "the answer")?)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{last_error, text};
    use std::ptr;

    /// A handle on a loopback port where nothing listens: nothing here
    /// means to send anything.
    fn client() -> *mut SqCheckoutComClient {
        let options = c"{\"secret_key\":\"sk_sbox_sequrasandboxsecretkeyaaaaq\",\"endpoint\":\"http://127.0.0.1:9\",\"timeout\":1}";
        let mut client = ptr::null_mut();
        assert_eq!(
            sq_checkout_com_client_new(options.as_ptr(), &mut client),
            SqStatus::SqOk
        );
        client
    }

    #[test]
    fn a_malformed_secret_key_is_a_config_error_that_never_shows_the_key() {
        let mut client = ptr::null_mut();
        let status = sq_checkout_com_client_new(
            c"{\"secret_key\":\"sk_live_TOPSECRET\",\"prefix\":\"vkuhvk4v\"}".as_ptr(),
            &mut client,
        );
        assert_eq!(status, SqStatus::SqErrConfig);
        assert!(client.is_null());
        assert!(!last_error().contains("TOPSECRET"), "{}", last_error());
        let details = text(crate::sq_last_error_json());
        assert!(!details.contains("TOPSECRET"), "{details}");
    }

    #[test]
    fn two_outputs_at_one_pointer_are_refused_before_anything_is_sent() {
        // Sent, the setup would fail to connect (a transport error).
        let client = client();
        let setup = c"{}".as_ptr();
        let mut same = ptr::null_mut();
        let status = sq_checkout_com_setup_create(client, setup, ptr::null(), &mut same, &mut same);
        assert_eq!(status, SqStatus::SqErrInvalidArgument);
        assert_eq!(
            last_error(),
            "out_setup_json and out_idempotency_key are the same pointer; give each output its own"
        );
        let (mut payment, mut other) = (ptr::null_mut(), ptr::null_mut());
        let status = sq_checkout_com_setup_confirm(
            client,
            c"set_x".as_ptr(),
            ptr::null(),
            &mut payment,
            &mut other,
            &mut payment,
        );
        assert_eq!(status, SqStatus::SqErrInvalidArgument);
        assert!(last_error().starts_with("out_payment_json and out_idempotency_key"));
        assert!(same.is_null() && payment.is_null() && other.is_null());
        sq_checkout_com_client_free(client);
    }

    #[test]
    fn null_pointers_are_refused_before_anything_is_sent() {
        let client = client();
        let mut out = ptr::null_mut();
        let setup = c"{}".as_ptr();
        let refused = |status: SqStatus, name: &str| {
            assert_eq!(status, SqStatus::SqErrInvalidArgument, "{name}");
            assert_eq!(last_error(), format!("{name} is NULL"));
        };
        refused(
            sq_checkout_com_setup_create(client, setup, ptr::null(), ptr::null_mut(), &mut out),
            "out_setup_json",
        );
        let mut key = ptr::null_mut();
        refused(
            sq_checkout_com_setup_create(client, ptr::null(), ptr::null(), &mut out, &mut key),
            "setup_json",
        );
        refused(
            sq_checkout_com_setup_confirm(
                client,
                setup,
                ptr::null(),
                &mut out,
                ptr::null_mut(),
                ptr::null_mut(),
            ),
            "out_redirect_url",
        );
        refused(
            sq_checkout_com_setup_get(client, ptr::null(), &mut out),
            "setup_id",
        );
        refused(
            sq_checkout_com_setup_get(ptr::null(), setup, &mut out),
            "client",
        );
        assert!(out.is_null());
        sq_checkout_com_client_free(client);
        sq_checkout_com_client_free(ptr::null_mut());
    }

    #[test]
    fn validation_names_every_problem_and_sends_nothing() {
        let client = client();
        let mut problems = ptr::null_mut();
        let status = sq_checkout_com_setup_validate(
            client,
            c"{\"amount\": 0, \"currency\": \"USD\"}".as_ptr(),
            &mut problems,
        );
        assert_eq!(status, SqStatus::SqOk);
        let list: serde_json::Value = serde_json::from_str(&text(problems)).unwrap();
        let paths: Vec<&str> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["path"].as_str().unwrap())
            .collect();
        assert_eq!(paths, ["amount", "currency", "processing_channel_id"]);
        crate::sq_string_free(problems);
        sq_checkout_com_client_free(client);
    }

    #[test]
    fn a_signed_webhook_is_read_and_a_forged_one_refused() {
        let body = c"{\"id\":\"evt_1\",\"type\":\"payment_approved\",\"data\":{\"id\":\"pay_1\",\"amount\":20000}}";
        let signature = Verifier::new("whsec").unwrap().sign(body.to_bytes());
        let signature = CString::new(signature).unwrap();
        let mut event = ptr::null_mut();
        let status = sq_checkout_com_webhook_verify(
            c"whsec".as_ptr(),
            body.as_ptr(),
            signature.as_ptr(),
            &mut event,
        );
        assert_eq!(status, SqStatus::SqOk);
        let value: serde_json::Value = serde_json::from_str(&text(event)).unwrap();
        assert_eq!(value["type"], "payment_approved");
        assert_eq!(value["payment_id"], "pay_1");
        crate::sq_string_free(event);

        let mut event = ptr::null_mut();
        let status = sq_checkout_com_webhook_verify(
            c"another".as_ptr(),
            body.as_ptr(),
            signature.as_ptr(),
            &mut event,
        );
        assert_eq!(status, SqStatus::SqErrBadSignature);
        assert!(event.is_null());
        assert!(last_error().contains("does not match"), "{}", last_error());
    }

    #[test]
    fn new_idempotency_keys_are_uuids() {
        let mut key = ptr::null_mut();
        assert_eq!(
            sq_checkout_com_new_idempotency_key(&mut key),
            SqStatus::SqOk
        );
        assert_eq!(text(key).len(), 36);
        crate::sq_string_free(key);
        assert_eq!(
            sq_checkout_com_new_idempotency_key(ptr::null_mut()),
            SqStatus::SqErrInvalidArgument
        );
        assert_eq!(last_error(), "out_key is NULL");
    }
}
