//! `/payments/setups`: create a payment setup, read it, update it, and
//! confirm it with seQura, which answers the URL to send the customer to.

use super::idempotency::{self, retry_hint};
use super::validate::{self, Purpose};
use super::Client;
use crate::error::{Error, Problem, Result};
use crate::http::{Method, Request, Response};
use crate::redact::quote;
use crate::validate::echo::{self, Echo};
use crate::validate::{id, url};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The payment method this flow confirms with.
const SEQURA: &str = "sequra";

/// A payment setup as the API answers it. The fields this flow reads are
/// typed; every other field the server sent is kept in `other`, so that
/// nothing is lost when the setup is handed on (e.g. as JSON to C or PHP).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PaymentSetup {
    /// `set_...`
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub processing_channel_id: Option<String>,
    /// In minor units (cents); a server may write it `20000.0` (the
    /// document's type is "number").
    #[serde(
        default,
        deserialize_with = "crate::lenient::optional_cents",
        skip_serializing_if = "Option::is_none"
    )]
    pub amount: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Each payment method enabled on the account, by name, and whether
    /// it can be confirmed yet.
    #[serde(
        default,
        deserialize_with = "crate::lenient::entries_or_default",
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub payment_methods: BTreeMap<String, PaymentMethodStatus>,
    #[serde(
        default,
        deserialize_with = "crate::lenient::or_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub available_payment_methods: Vec<String>,
    /// Everything else the server sent (`billing`, `settings`, ...).
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

impl PaymentSetup {
    /// `payment_methods.sequra.status`: `"ready"` once every field seQura
    /// needs is given.
    pub fn sequra_status(&self) -> Option<&str> {
        self.payment_methods
            .get(SEQURA)
            .and_then(|method| method.status.as_deref())
    }

    /// Whether the setup can be confirmed with seQura now.
    pub fn is_ready_for_sequra(&self) -> bool {
        self.sequra_status() == Some("ready")
    }
}

/// One payment method's state in a payment setup.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PaymentMethodStatus {
    /// e.g. `"ready"`, `"pending"`. Optional here, as the document shows
    /// only `sequra`'s: another method the account has, answered without
    /// one, must not make a created setup unreadable (the `sequra` method
    /// without one is refused by the flow, which needs it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// What the method still lacks or warns about.
    #[serde(default, deserialize_with = "crate::lenient::or_default")]
    pub flags: Vec<String>,
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// The payment a confirmation starts (`pay_...`), `Pending` until the
/// customer finishes at seQura.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Payment {
    /// `pay_...`
    pub id: String,
    /// `"Pending"` after a confirmation.
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub processing: Option<Processing>,
    /// `self`, and `redirect`: where to send the customer.
    #[serde(
        rename = "_links",
        default,
        deserialize_with = "crate::lenient::entries_or_default",
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub links: BTreeMap<String, Link>,
    /// Everything else the server sent (`customer`, ...).
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

impl Payment {
    /// `_links.redirect.href`: the seQura page to send the customer to.
    /// [`PaymentSetups::confirm`] returns a payment only when it is https
    /// (plain http only to loopback, for tests).
    pub fn redirect_url(&self) -> Option<&str> {
        self.links
            .get("redirect")
            .and_then(|link| link.href.as_deref())
    }
}

/// `processing` of a payment: seQura's own identity of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Processing {
    /// seQura's order id for this payment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partner_payment_id: Option<String>,
    /// The seQura product, e.g. `"pay_later"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_type: Option<String>,
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// A link of `_links`. Only the redirect's is read; a link without `href`
/// is kept as it came.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Link {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// The answer to a POST, with what a retry or a support request needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Posted<T> {
    pub value: T,
    /// The `Cko-Idempotency-Key` the request carried: the caller's, or the
    /// one generated for it. Send it again to retry the same request.
    pub idempotency_key: String,
    /// `Cko-Request-Id`, for checkout.com's support.
    pub request_id: Option<String>,
}

/// The payment setups of a [`Client`].
pub struct PaymentSetups<'a> {
    client: &'a Client,
}

impl<'a> PaymentSetups<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        PaymentSetups { client }
    }

    /// Every problem of `setup` as [`PaymentSetups::create`] checks it;
    /// nothing is sent.
    pub fn validate(&self, setup: &Value) -> Vec<Problem> {
        validate::problems(
            setup,
            Purpose::Create,
            self.client.processing_channel_id.as_deref(),
        )
    }

    /// Every problem of `changes` as [`PaymentSetups::update`] checks
    /// them; nothing is sent.
    pub fn validate_update(&self, changes: &Value) -> Vec<Problem> {
        validate::problems(changes, Purpose::Update, None)
    }

    /// Creates a payment setup: `POST /payments/setups` with `setup` (the
    /// API's own JSON: `amount` in minor units, `currency` `"EUR"`,
    /// `reference`, `billing.address`, `settings.success_url` and
    /// `failure_url`, ...). It gets the client's `processing_channel_id`
    /// when it names none.
    ///
    /// Checked first ([`PaymentSetups::validate`]): one with problems is
    /// refused with all of them and nothing is sent. The request carries
    /// `idempotency_key`, or a new one, and is retried on connection
    /// failures, 429 and 502-504 with that same key. 201 (or 200, 202) → the
    /// setup, whose `payment_methods.sequra.status` is `"ready"` once every
    /// field seQura needs is there. 401, 403, 422 (the server's
    /// `error_codes`; also a key reused for another body), 429 (a request
    /// with this key is still in flight) → their error kinds. An error
    /// after which checkout.com may have acted is [`Error::Keyed`]: it
    /// holds the key to send again (`Error::idempotency_key`).
    pub fn create(
        &self,
        setup: &Value,
        idempotency_key: Option<&str>,
    ) -> Result<Posted<PaymentSetup>> {
        let mut problems = self.validate(setup);
        let key = match idempotency::key_or_new(idempotency_key) {
            Ok(key) => key,
            Err(Error::InvalidInput(more)) => {
                problems.extend(more);
                String::new()
            }
            Err(other) => return Err(other),
        };
        if !problems.is_empty() {
            return Err(Error::InvalidInput(problems));
        }
        let mut body = setup.clone();
        if let (Some(channel), Some(object)) =
            (&self.client.processing_channel_id, body.as_object_mut())
        {
            object
                .entry("processing_channel_id")
                .and_modify(|v| {
                    if v.is_null() {
                        *v = Value::String(channel.clone())
                    }
                })
                .or_insert_with(|| Value::String(channel.clone()));
        }
        let url = self.client.transport.url("/payments/setups");
        self.client
            .send(|| {
                Request::new(Method::Post, url.clone())
                    .json(&body)
                    .header(idempotency::HEADER, key.clone())
                    .retry_safe()
            })
            .and_then(|response| created(response, key.clone(), &body))
            .map_err(|e| retry_hint(e, &key))
    }

    /// Reads a payment setup: `GET /payments/setups/{id}` → 200 and the
    /// setup. 404 → [`Error::NotFound`].
    pub fn get(&self, id: &str) -> Result<PaymentSetup> {
        let url = self.setup_url(id, "")?;
        let response = self
            .client
            .send(|| Request::new(Method::Get, url.clone()))?;
        if response.status != 200 {
            return Err(response.into_error());
        }
        let setup = response.json()?;
        check_setup(
            &response,
            &setup,
            "the answer is not the documented setup",
            "",
        )?;
        same_setup(&response, &setup, id, "")?;
        Ok(setup)
    }

    /// Updates a payment setup: `PUT /payments/setups/{id}` with the fields
    /// that change (e.g. a new `amount` when the basket changed, or the
    /// `billing` address once the customer gave it), checked first like
    /// [`PaymentSetups::create`] except that nothing is required. 200 → the
    /// setup as it is now. 404, 409 (it is already confirmed), 422 → their
    /// error kinds.
    pub fn update(&self, id: &str, changes: &Value) -> Result<PaymentSetup> {
        let url = self.setup_url(id, "")?;
        let problems = self.validate_update(changes);
        if !problems.is_empty() {
            return Err(Error::InvalidInput(problems));
        }
        let response = self
            .client
            .send(|| Request::new(Method::Put, url.clone()).json(changes))?;
        if response.status != 200 {
            return Err(response.into_error());
        }
        let setup = response.json()?;
        check_setup(
            &response,
            &setup,
            "the payment setup was updated, but the answer is not the documented setup",
            "",
        )?;
        same_setup(&response, &setup, id, "the payment setup was updated, but ")?;
        as_sent(
            &response,
            &setup,
            changes,
            "the payment setup was updated, but ",
            "; read it before changing it again",
        )?;
        Ok(setup)
    }

    /// Confirms a payment setup with seQura:
    /// `POST /payments/setups/{id}/confirm/sequra`, with `idempotency_key`
    /// or a new one, retried like [`PaymentSetups::create`].
    ///
    /// 202 (or 200, 201) → the payment (`pay_...`, status `Pending`) and, in
    /// [`Payment::redirect_url`], the seQura page to send the customer to;
    /// they come back to the setup's `success_url` or `failure_url`. A
    /// payment of another status (`Declined`), or `Pending` without a
    /// redirect URL, is an unexpected response (the payment exists).
    /// 404 (no such setup), 409 (already confirmed), 422 (seQura is not
    /// ready: the `error_codes` say what is missing), 429 → their kinds.
    pub fn confirm(&self, id: &str, idempotency_key: Option<&str>) -> Result<Posted<Payment>> {
        let url = self.setup_url(id, &format!("/confirm/{SEQURA}"))?;
        let key = idempotency::key_or_new(idempotency_key)?;
        self.client
            .send(|| {
                Request::new(Method::Post, url.clone())
                    .header(idempotency::HEADER, key.clone())
                    .retry_safe()
            })
            .and_then(|response| confirmed(response, key.clone()))
            .map_err(|e| retry_hint(e, &key))
    }

    /// `{base}/payments/setups/{id}{rest}`, for a well-formed id only: it
    /// goes into the path.
    fn setup_url(&self, id: &str, rest: &str) -> Result<String> {
        let segment = id::path_segment("id", id)?;
        if !is_id("set", id) {
            return Err(Error::invalid(
                "id",
                format!(
                    "{} is not a payment setup id: set_ followed by letters and digits",
                    quote(id)
                ),
            ));
        }
        Ok(self
            .client
            .transport
            .url(&format!("/payments/setups/{segment}{rest}")))
    }
}

/// Whether a POST's status says it succeeded with what it made in the
/// body. The document names 201 for a create and 202 for a confirm;
/// whichever of 200, 201 and 202 a server writes for either, the body is
/// the same, and refusing it would turn a setup made or a payment started
/// into an error.
fn is_success_with_body(status: u16) -> bool {
    matches!(status, 200..=202)
}

/// What a create answered: the setup, checked, for what was sent.
fn created(response: Response, key: String, sent: &Value) -> Result<Posted<PaymentSetup>> {
    if !is_success_with_body(response.status) {
        return Err(response.into_error());
    }
    let posted: Posted<PaymentSetup> = posted(&response, key)?;
    check_setup(
        &response,
        &posted.value,
        "the payment setup was created, but the answer is not the documented setup",
        "; look it up before creating another",
    )?;
    as_sent(
        &response,
        &posted.value,
        sent,
        "the payment setup was created, but ",
        "; look it up before creating another",
    )?;
    Ok(posted)
}

/// What a confirm answered: the payment, checked.
fn confirmed(response: Response, key: String) -> Result<Posted<Payment>> {
    if !is_success_with_body(response.status) {
        return Err(response.into_error());
    }
    let posted: Posted<Payment> = posted(&response, key)?;
    let payment = &posted.value;
    if !is_id("pay", &payment.id) {
        return Err(response.unexpected(&format!(
            "a payment was created, but the answer's id {} is not a payment id (pay_ and letters and digits); look the payment up before confirming again",
            quote(&payment.id)
        )));
    }
    // Only a Pending payment is the documented success: the customer goes
    // to seQura's page. Any other (Declined, Canceled) has nowhere to go.
    if payment.status != "Pending" {
        return Err(response.unexpected(&format!(
            "payment {} is {}, not Pending: the customer cannot pay with seQura this time; do not redirect, and offer another payment method",
            quote(&payment.id),
            quote(&payment.status)
        )));
    }
    let Some(href) = payment.redirect_url() else {
        return Err(response.unexpected(&format!(
            "payment {} is Pending but _links.redirect.href is missing, so there is nowhere to send the customer; the payment exists: look it up before confirming again",
            quote(&payment.id)
        )));
    };
    // The shop sends the customer's browser there: never to a plain http
    // page, a user name in the URL or anything but http(s).
    if let Err(why) = url::check(href, url::Need::Https) {
        return Err(response.unexpected(&format!(
            "payment {} was created, but its _links.redirect.href is not a page to send a customer to: {}; do not redirect, and look the payment up before confirming again",
            quote(&payment.id),
            why.message(href)
        )));
    }
    Ok(posted)
}

/// Whether `id` is checkout.com's id of a `kind` (`set`, `pay`): `kind_`
/// and at most 64 letters, digits, `-` and `_`, which a path takes as
/// they are. (checkout.com's are 26 lower-case letters and digits; the
/// document states no format, and another server's ids may be longer or
/// in capitals.)
fn is_id(kind: &str, id: &str) -> bool {
    id.strip_prefix(kind)
        .and_then(|rest| rest.strip_prefix('_'))
        .is_some_and(|tail| {
            (1..=64).contains(&tail.len())
                && tail
                    .bytes()
                    .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
        })
}

/// What this flow relies on in a setup the API answered (the fields'
/// types are already checked by reading it): a setup id, and the `sequra`
/// method's state, which says whether it can be confirmed. An answer
/// without them is not the documented setup: `what` says so (and what the
/// server did), `advice` what to do next.
fn check_setup(response: &Response, setup: &PaymentSetup, what: &str, advice: &str) -> Result<()> {
    let why = if !is_id("set", &setup.id) {
        format!(
            "its id {} is not a payment setup id (set_ and letters and digits)",
            quote(&setup.id)
        )
    } else if setup.sequra_status().is_none() {
        let missing = if setup.payment_methods.contains_key(SEQURA) {
            "status is"
        } else {
            "is"
        };
        format!(
            "payment_methods.{SEQURA} {missing} missing, so nothing says whether it can be confirmed with seQura (is seQura enabled on the account?)"
        )
    } else {
        return Ok(());
    };
    Err(response.unexpected(&format!("{what}: {why}{advice}")))
}

/// A setup whose amount, currency, reference, processing channel or
/// return pages are not what `sent` (a create's body, an update's
/// changes) gave is unexpected: the customer would be sent to pay a sum,
/// or for an order, nobody asked for, or come back somewhere else.
fn as_sent(
    response: &Response,
    setup: &PaymentSetup,
    sent: &Value,
    what: &str,
    advice: &str,
) -> Result<()> {
    let settings = |key: &str| {
        let page = setup.other.get("settings").and_then(|s| s.get(key));
        page.and_then(Value::as_str).map(str::to_string)
    };
    let Some(why) = echo::differs([
        Echo::units(
            "amount",
            setup.amount.map(|amount| amount.to_string()),
            sent,
        ),
        Echo::text("currency", setup.currency.clone(), sent),
        Echo::text("reference", setup.reference.clone(), sent),
        Echo::text(
            "processing_channel_id",
            setup.processing_channel_id.clone(),
            sent,
        ),
        // Where the customer comes back to.
        Echo::text("settings.success_url", settings("success_url"), sent),
        Echo::text("settings.failure_url", settings("failure_url"), sent),
    ]) else {
        return Ok(());
    };
    Err(response.unexpected(&format!("{what}{why}{advice}")))
}

/// An answer about another setup than the call's `id` (a proxy's mix-up,
/// or a stray answer left on the connection) is unexpected, never
/// returned as the setup asked for. `what` comes first (what the server
/// did).
fn same_setup(response: &Response, setup: &PaymentSetup, id: &str, what: &str) -> Result<()> {
    if setup.id == id {
        return Ok(());
    }
    Err(response.about_another(what, "payment setup", quote(&setup.id), quote(id)))
}

/// The body of a successful POST, with its key and request id.
fn posted<T: serde::de::DeserializeOwned>(response: &Response, key: String) -> Result<Posted<T>> {
    Ok(Posted {
        value: response.json()?,
        idempotency_key: key,
        // As an error shows it: one line, bounded, masked.
        request_id: response.request_id(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_id_is_its_kind_and_what_a_path_takes_as_it_is() {
        for id in [
            "set_rcmepwrchqab2wsergcafvijfy",
            "set_ABC123",
            "set_0123456789abcdef0123456789abcdef",
        ] {
            assert!(is_id("set", id), "{id}");
        }
        for id in [
            "set_",
            "pay_rcmepwrchqab2wsergcafvijfy",
            "set_a/b",
            "set_a b",
            &format!("set_{}", "a".repeat(65)),
        ] {
            assert!(!is_id("set", id), "{id}");
        }
    }

    #[test]
    fn null_and_an_empty_list_for_an_empty_object_are_none() {
        let setup: PaymentSetup = serde_json::from_value(json!({
            "id": "set_rcmepwrchqab2wsergcafvijfy",
            "payment_methods": {"sequra": {"status": "pending", "flags": null}},
            "available_payment_methods": null
        }))
        .unwrap();
        assert!(setup.payment_methods["sequra"].flags.is_empty());
        let setup: PaymentSetup = serde_json::from_value(
            json!({"id": "set_rcmepwrchqab2wsergcafvijfy", "payment_methods": []}),
        )
        .unwrap();
        assert!(setup.payment_methods.is_empty());
        // Another method, or a link, written as null is one with nothing
        // in it: the setup was created, the payment started.
        let setup: PaymentSetup = serde_json::from_value(json!({
            "id": "set_rcmepwrchqab2wsergcafvijfy",
            "payment_methods": {"sequra": {"status": "ready"}, "klarna": null}
        }))
        .unwrap();
        assert!(setup.is_ready_for_sequra());
        assert_eq!(setup.payment_methods["klarna"].status, None);
        let payment: Payment = serde_json::from_value(json!({
            "id": "pay_bgmwsoadqdvetnljwg23hetl7q", "status": "Pending",
            "_links": {"self": null, "redirect": {"href": "https://x.example/c"}}
        }))
        .unwrap();
        assert_eq!(payment.redirect_url(), Some("https://x.example/c"));
        let payment: Payment = serde_json::from_value(json!({
            "id": "pay_bgmwsoadqdvetnljwg23hetl7q", "status": "Pending", "_links": null
        }))
        .unwrap();
        assert_eq!(payment.redirect_url(), None);
        // Any other shape of an entry is still refused, naming it.
        let err = serde_json::from_value::<PaymentSetup>(json!({
            "id": "set_rcmepwrchqab2wsergcafvijfy", "payment_methods": {"klarna": "on"}
        }))
        .unwrap_err();
        assert!(err.to_string().starts_with("klarna: "), "{err}");
    }

    #[test]
    fn the_seed_answers_are_read_and_unknown_fields_kept() {
        let setup: PaymentSetup = serde_json::from_value(json!({
            "id": "set_rcmepwrchqab2wsergcafvijfy", "processing_channel_id": "pc_wzjki6hw5puepb5fnvqlizj2e4",
            "amount": 20000, "currency": "EUR", "payment_type": "Regular", "reference": "ORD-5023-4E89",
            "description": "seQura payment",
            "payment_methods": {"sequra": {"status": "ready", "flags": []}},
            "available_payment_methods": ["sequra"],
            "settings": {"success_url": "https://example.com/payments/success"}
        }))
        .unwrap();
        assert!(setup.is_ready_for_sequra());
        assert_eq!(
            setup.other["settings"]["success_url"],
            "https://example.com/payments/success"
        );
        let again = serde_json::to_value(&setup).unwrap();
        assert_eq!(
            again["settings"]["success_url"],
            "https://example.com/payments/success"
        );
        assert_eq!(again["payment_methods"]["sequra"]["status"], "ready");

        let payment: Payment = serde_json::from_value(json!({
            "id": "pay_bgmwsoadqdvetnljwg23hetl7q", "status": "Pending", "reference": "ORD-5023-4E89",
            "customer": {"id": "cus_ujs5uvwcshhujllodxegkknwou", "name": "Ali Farid"},
            "processing": {"partner_payment_id": "a62d7832-543b-48c3-92c9-959160c09f5b", "product_type": "pay_later"},
            "_links": {"self": {"href": "https://x.api.sandbox.checkout.com/payments/pay_bgmwsoadqdvetnljwg23hetl7q"},
                "redirect": {"href": "https://partner-integration-middleware-sandbox.sequra.com/checkout/a62d7832"}}
        }))
        .unwrap();
        assert_eq!(
            payment.redirect_url(),
            Some("https://partner-integration-middleware-sandbox.sequra.com/checkout/a62d7832")
        );
        assert_eq!(payment.other["customer"]["name"], "Ali Farid");
        let again = serde_json::to_value(&payment).unwrap();
        assert_eq!(
            again["_links"]["redirect"]["href"],
            payment.redirect_url().unwrap()
        );
    }

    #[test]
    fn display_fields_may_be_missing_from_an_answer() {
        let payment: Payment = serde_json::from_value(json!({
            "id": "pay_bgmwsoadqdvetnljwg23hetl7q", "status": "Pending",
            "_links": {"self": {"title": "no href"}, "redirect": {"href": "https://x.example/c"}}
        }))
        .unwrap();
        assert_eq!(payment.redirect_url(), Some("https://x.example/c"));
        let again = serde_json::to_value(&payment).unwrap();
        assert_eq!(again["_links"]["self"], json!({"title": "no href"}));
        assert!(again.get("reference").is_none());
        let setup: PaymentSetup =
            serde_json::from_value(json!({"id": "set_rcmepwrchqab2wsergcafvijfy"})).unwrap();
        assert_eq!(
            serde_json::to_value(&setup).unwrap(),
            json!({"id": "set_rcmepwrchqab2wsergcafvijfy"})
        );
        assert!(serde_json::from_value::<Payment>(json!({"status": "Pending"})).is_err());
    }
}
