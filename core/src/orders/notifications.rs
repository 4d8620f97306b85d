//! What seQura sends the shop: the IPN to `merchant.notify_url` and the
//! events to `merchant.events_webhook.url`, as form posts; the signature a
//! shop puts in its notification parameters to recognise them; and the
//! HTTP status the shop answers with.

use super::checkout::{is_uuid, product_code_problem};
use crate::error::{Error, Result};
use crate::form;
use crate::redact::PathKey;
use crate::redact::{quote, Secret};
use crate::strict;
use crate::validate::{text, Problems};
use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::Sha256;
use std::collections::BTreeMap;

/// What seQura says of an order in an IPN (`sq_state`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IpnState {
    /// The shopper was approved: confirm the order.
    Approved,
    /// seQura is still reviewing: hold the order, another IPN follows.
    NeedsReview,
    /// seQura will not finance it: cancel the order.
    Cancelled,
}

impl IpnState {
    pub fn as_str(self) -> &'static str {
        match self {
            IpnState::Approved => "approved",
            IpnState::NeedsReview => "needs_review",
            IpnState::Cancelled => "cancelled",
        }
    }

    fn parse(text: &str) -> Option<IpnState> {
        match text {
            "approved" => Some(IpnState::Approved),
            "needs_review" => Some(IpnState::NeedsReview),
            "cancelled" => Some(IpnState::Cancelled),
            _ => None,
        }
    }
}

/// An IPN: seQura's word that an order changed state. It serialises as
/// the skins hand it out: `order_ref`, `product_code`, `sq_state`,
/// `order_ref_1`, `approved_since`, `parameters`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ipn {
    /// seQura's order uuid (the last segment of the order URI).
    pub order_ref: String,
    pub product_code: String,
    #[serde(rename = "sq_state")]
    pub state: IpnState,
    /// The shop's reference, if the order had one.
    pub order_ref_1: String,
    /// When the order was approved, as seQura wrote it (may be empty).
    pub approved_since: String,
    /// The order's `merchant.notification_parameters`, echoed back.
    pub parameters: BTreeMap<String, String>,
}

impl Ipn {
    /// Reads the raw `application/x-www-form-urlencoded` body of the IPN.
    /// A repeated parameter is refused, and so is a field the signature
    /// does not cover that is malformed (see `check_fields`).
    pub fn from_form(body: &[u8]) -> Result<Ipn> {
        Ipn::from_pairs(form_pairs(body)?)
    }

    /// Reads the IPN from already decoded fields (PHP's `$_POST`).
    pub fn from_pairs(pairs: impl IntoIterator<Item = (String, String)>) -> Result<Ipn> {
        let pairs = strict::refuse_repeated(pairs.into_iter().collect())?;
        // sq_state is checked against its three values below.
        let mut problems = check_fields(&pairs, &["sq_state"]);
        let mut fields: BTreeMap<String, String> = pairs.into_iter().collect();
        let product_code_given = fields.contains_key("product_code");
        let mut take = |name: &str, required: bool| {
            // What is taken out of the parameters is what `IPN_FIELDS`
            // names (no field seQura sets is an identity parameter).
            debug_assert!(IPN_FIELDS.contains(&name), "{name} joins IPN_FIELDS");
            match fields.remove(name) {
                Some(value) if !value.is_empty() => value,
                given => {
                    if required {
                        problems.push(name, missing(given.is_some()));
                    }
                    String::new()
                }
            }
        };
        let order_ref = take("order_ref", true);
        // Only an order the shopper completed has a product: seQura
        // cancels one they never did with the product_code empty.
        let product_code = take("product_code", false);
        let state_text = take("sq_state", true);
        let order_ref_1 = take("order_ref_1", false);
        let approved_since = take("approved_since", false);
        let state = IpnState::parse(&state_text);
        if state.is_none() && !state_text.is_empty() {
            problems.push(
                "sq_state",
                format!(
                    "is {}; seQura sends approved, needs_review or cancelled",
                    quote(&state_text)
                ),
            );
        }
        if product_code.is_empty()
            && matches!(state, Some(IpnState::Approved | IpnState::NeedsReview))
        {
            problems.push(
                "product_code",
                format!(
                    "{}: seQura names the product of an order the shopper completed",
                    missing(product_code_given)
                ),
            );
        }
        match state {
            Some(state) if problems.is_empty() => Ok(Ipn {
                order_ref,
                product_code,
                state,
                order_ref_1,
                approved_since,
                parameters: fields,
            }),
            _ => Err(Error::InvalidInput(problems.finish("body"))),
        }
    }
}

/// Why a required field is not there: absent, or sent empty.
fn missing(given: bool) -> &'static str {
    if given {
        "is empty in the notification"
    } else {
        "is missing from the notification"
    }
}

/// An event seQura posts to `merchant.events_webhook.url` after the order
/// was confirmed (`cancelled`, `risk_assessment`, ...). It serialises as
/// `event`, `order_ref`, `order_ref_1`, `parameters` (without `m_`) and
/// any other `fields`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    /// The event's name, e.g. `cancelled`.
    pub event: String,
    pub order_ref: String,
    pub order_ref_1: String,
    /// The webhook's `parameters`, without their `m_` prefix.
    pub parameters: BTreeMap<String, String>,
    /// Any other field seQura sent with the event.
    pub fields: BTreeMap<String, String>,
}

impl Event {
    /// Reads the raw form body of an events-webhook request.
    pub fn from_form(body: &[u8]) -> Result<Event> {
        Event::from_pairs(form_pairs(body)?)
    }

    /// Reads the event from already decoded fields (PHP's `$_POST`).
    pub fn from_pairs(pairs: impl IntoIterator<Item = (String, String)>) -> Result<Event> {
        let pairs = strict::refuse_repeated(pairs.into_iter().collect())?;
        let mut problems = check_fields(&pairs, &[]);
        let mut fields = BTreeMap::new();
        let mut parameters = BTreeMap::new();
        for (key, value) in pairs {
            match key.strip_prefix("m_") {
                Some(name) => parameters.insert(name.to_string(), value),
                None => fields.insert(key, value),
            };
        }
        let mut take = |name: &str| {
            let value = fields.remove(name).unwrap_or_default();
            if value.is_empty() {
                problems.push(name, "is missing from the event");
            }
            value
        };
        let event = take("event");
        let order_ref = take("order_ref");
        let order_ref_1 = fields.remove("order_ref_1").unwrap_or_default();
        if !problems.is_empty() {
            return Err(Error::InvalidInput(problems.finish("body")));
        }
        Ok(Event {
            event,
            order_ref,
            order_ref_1,
            parameters,
            fields,
        })
    }
}

/// Checks every field a notification returns, as the shop will act on it
/// or log it: the signature covers only the identity parameter, so the
/// rest comes from whoever posted the form (a replayed body is enough).
/// `order_ref` is an order's uuid as it ends the order URI, `product_code`
/// a product code; every other name and value (but those in `skip`, which
/// the caller checks itself) has no control character and at most
/// [`strict::MAX_FIELD`] bytes. An empty value is left to the check of
/// required fields.
fn check_fields(pairs: &[(String, String)], skip: &[&str]) -> Problems {
    let mut problems = Problems::new();
    for (name, value) in pairs {
        if let Some(why) = strict::text_problem(name) {
            problems.push("body", format!("has a parameter whose name {why}"));
            continue;
        }
        // (Only a raw body can hold one: $_POST has renamed it already.)
        if strict::php_renames(name.as_bytes()) {
            problems.push(
                "body",
                format!(
                    "has the parameter {}, which PHP's $_POST files under another name (a space or '.' becomes '_', a '[' starts an array): this reader and a shop reading $_POST would act on different fields",
                    quote(name)
                ),
            );
            continue;
        }
        let path = PathKey(name.as_bytes());
        let why = match name.as_str() {
            _ if value.is_empty() || skip.contains(&name.as_str()) => None,
            "order_ref" if !is_uuid(value) => Some(format!(
                "{} is not an order uuid as it ends the order URI (letters, digits and '-', at most 64)",
                quote(value)
            )),
            "product_code" => product_code_problem(value),
            _ => strict::text_problem(value),
        };
        if let Some(why) = why {
            problems.push(path, why);
        }
    }
    problems
}

fn form_pairs(body: &[u8]) -> Result<Vec<(String, String)>> {
    let text = form::body_text(body).map_err(|why| Error::invalid("body", why))?;
    if text.trim().is_empty() {
        return Err(Error::invalid(
            "body",
            "is empty; a notification from seQura is a form post with order_ref, product_code and sq_state",
        ));
    }
    // Only a line end is taken off: a space or tab at either end belongs
    // to the first or last value, as $_POST keeps it.
    form::decode_pairs(text.trim_end_matches(['\r', '\n']))
        .map_err(|why| Error::invalid("body", why))
}

/// The shop's signature over its own identity of an order (its cart id or
/// order reference), to put in `merchant.notification_parameters` when the
/// solicitation starts and check when the IPN brings it back. Only the shop
/// knows the secret, so a notification that carries a good signature came
/// through the order the shop itself started.
pub struct Signer {
    secret: Secret,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Signer(***)")
    }
}

/// The parameter that carries the signature.
pub const SIGNATURE_PARAMETER: &str = "signature";
/// Keeps these signatures apart from any other use of the same secret.
const CONTEXT: &[u8] = b"sequra-notification-v1\0";

impl Signer {
    /// A signer keyed with the shop's secret: at least 16 bytes, random, and
    /// a secret's text (see `connection::secret_problem`).
    pub fn new(secret: impl Into<Secret>) -> Result<Signer> {
        let secret = secret.into();
        if secret.expose().len() < 16 {
            return Err(Error::Config(
                "the notification secret is shorter than 16 bytes; use a long random string".into(),
            ));
        }
        crate::connection::check_secret_option("the notification secret", &secret)?;
        Ok(Signer { secret })
    }

    fn mac(&self, identity: &str) -> Hmac<Sha256> {
        // HMAC takes a key of any length, so this cannot fail.
        let mut mac = Hmac::<Sha256>::new_from_slice(self.secret.expose().as_bytes())
            .expect("HMAC accepts any key length");
        mac.update(CONTEXT);
        mac.update(identity.as_bytes());
        mac
    }

    /// The signature of `identity`: base64 (URL-safe, unpadded) HMAC-SHA256.
    /// `Err` for an identity that names no order (empty, or blank: its
    /// signature would vouch for any notification that echoes it) or that
    /// the notification readers refuse (a control character, more than 255
    /// bytes).
    pub fn sign(&self, identity: &str) -> Result<String> {
        if identity.trim().is_empty() {
            return Err(Error::invalid(
                "identity",
                "is empty or only spaces: sign what tells the shop's orders apart (its cart id or order reference), or the signature vouches for every notification",
            ));
        }
        if let Some(why) = crate::strict::text_problem(identity) {
            return Err(Error::invalid(
                "identity",
                format!(
                    "{why}; seQura sends it back in its notifications, whose readers refuse it"
                ),
            ));
        }
        Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(self.mac(identity).finalize().into_bytes()))
    }

    /// Checks `signature` against `identity`, in constant time. An empty
    /// identity is refused whatever the signature: no order of the shop's
    /// has one ([`Signer::sign`] refuses it).
    pub fn verify(&self, identity: &str, signature: &str) -> Result<()> {
        let forged = || {
            Error::BadSignature(
                "the notification's signature does not match: it did not come through an order this shop started; answer 404 and do not act on it".into(),
            )
        };
        if identity.trim().is_empty() {
            return Err(Error::BadSignature(
                "the notification's identity is empty: it names no order this shop started; answer 404 and do not act on it".into(),
            ));
        }
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|_| forged())?;
        self.mac(identity)
            .verify_slice(&bytes)
            .map_err(|_| forged())
    }

    /// Checks the signature an IPN echoes back in its parameters against
    /// the identity it echoes in `identity_parameter` (e.g. `"cart"`).
    pub fn verify_ipn(&self, ipn: &Ipn, identity_parameter: &str) -> Result<()> {
        self.verify_parameters(&ipn.parameters, identity_parameter, "")
    }

    /// The same for an event, whose webhook `parameters` carry the
    /// signature (sent back prefixed `m_`).
    pub fn verify_event(&self, event: &Event, identity_parameter: &str) -> Result<()> {
        self.verify_parameters(&event.parameters, identity_parameter, "m_")
    }

    /// `prefix` is how the parameters were posted (`m_` for an event's),
    /// for the message about a missing one.
    fn verify_parameters(
        &self,
        parameters: &BTreeMap<String, String>,
        identity_parameter: &str,
        prefix: &str,
    ) -> Result<()> {
        let get = |name: &str| {
            parameters.get(name).ok_or_else(|| {
                Error::BadSignature(format!(
                    "the notification has no {} parameter; was the order started with the signed {}?",
                    crate::redact::quote(&format!("{prefix}{name}")),
                    if prefix.is_empty() {
                        "merchant.notification_parameters"
                    } else {
                        "merchant.events_webhook parameters"
                    }
                ))
            })
        };
        if prefix.is_empty() {
            check_ipn_identity_parameter(identity_parameter)?;
        } else {
            check_identity_name(identity_parameter)?;
        }
        self.verify(get(identity_parameter)?, get(SIGNATURE_PARAMETER)?)
    }
}

/// That `identity_parameter` can name an IPN's signed identity: not a
/// field seQura sets (which is taken out of the parameters). The skins ask
/// before they read the body, so that the mistake shows whatever the body.
pub fn check_ipn_identity_parameter(identity_parameter: &str) -> Result<()> {
    check_identity_name(identity_parameter)?;
    if IPN_FIELDS.contains(&identity_parameter) {
        return Err(Error::Config(format!(
            "the identity parameter {} is a field seQura sets in every IPN, not one of the order's merchant.notification_parameters; name the parameter the order carries its signed identity in (e.g. \"cart\")",
            crate::redact::quote(identity_parameter)
        )));
    }
    Ok(())
}

/// That `identity_parameter` can name an event's signed identity. The
/// skins ask before they read the body, as for an IPN.
pub fn check_event_identity_parameter(identity_parameter: &str) -> Result<()> {
    check_identity_name(identity_parameter)
}

/// That `identity_parameter` can name a parameter at all: a setting that
/// is empty, or names the signature itself, is the shop's configuration,
/// not a forged notification (which every real one would then look like).
fn check_identity_name(identity_parameter: &str) -> Result<()> {
    let wrong = if text::is_blank(identity_parameter) {
        "is empty or only spaces"
    } else if identity_parameter == SIGNATURE_PARAMETER {
        "is the signature's own parameter"
    } else if text::has_control(identity_parameter) {
        "has a control character"
    } else if strict::php_renames(identity_parameter.as_bytes()) {
        "has a space, '.' or '[', which PHP's $_POST files under another name (no notification read there can carry it)"
    } else {
        return Ok(());
    };
    Err(Error::Config(format!(
        "the identity parameter {wrong}; name the parameter the order carries its signed identity in (e.g. \"cart\")"
    )))
}

/// The fields seQura sets in an IPN, apart from the order's parameters.
pub(crate) const IPN_FIELDS: &[&str] = &[
    "order_ref",
    "product_code",
    "sq_state",
    "order_ref_1",
    "approved_since",
];

/// What the shop did with a notification, and so what it answers seQura.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The shop took it (the order is confirmed, held or cancelled): 200.
    Taken,
    /// The shop has no such order: 404. seQura will not retry.
    UnknownOrder,
    /// The shop cannot take it now (locked, busy): 409. seQura asks again.
    TryLater,
    /// The shop will never take this order (e.g. out of stock): 410.
    /// seQura then cancels the order and refunds the shopper; use it only
    /// for that, never for an error of the shop's own.
    Never,
}

impl Outcome {
    /// The outcomes by name, as the C and PHP skins take them.
    const NAMES: [(&'static str, Outcome); 4] = [
        ("taken", Outcome::Taken),
        ("unknown_order", Outcome::UnknownOrder),
        ("try_later", Outcome::TryLater),
        ("never", Outcome::Never),
    ];

    /// `taken`, `unknown_order`, `try_later` or `never`.
    pub fn parse(name: &str) -> Result<Outcome> {
        Outcome::NAMES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, outcome)| *outcome)
            .ok_or_else(|| {
                Error::invalid(
                    "outcome",
                    format!(
                        "{} is not an outcome; use taken, unknown_order, try_later or never",
                        quote(name)
                    ),
                )
            })
    }

    /// The HTTP status seQura expects for this outcome.
    pub fn http_status(self) -> u16 {
        match self {
            Outcome::Taken => 200,
            Outcome::UnknownOrder => 404,
            Outcome::TryLater => 409,
            Outcome::Never => 410,
        }
    }

    /// The outcome for a notification the shop could not read or verify:
    /// a bad signature or body is not an order of this shop, so 404, never
    /// 410 (which would cancel and refund a good order).
    pub fn for_error(error: &Error) -> Outcome {
        match error.kind() {
            crate::ErrorKind::BadSignature | crate::ErrorKind::InvalidInput => {
                Outcome::UnknownOrder
            }
            _ => Outcome::TryLater,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_are_named() {
        assert_eq!(Outcome::parse("never").unwrap().http_status(), 410);
        assert_eq!(Outcome::parse("try_later").unwrap().http_status(), 409);
        let err = Outcome::parse("refund").unwrap_err();
        assert_eq!(err.problems()[0].path, "outcome");
    }

    const SECRET: &str = "a-long-random-shop-secret";

    fn ipn_body(signature: &str) -> String {
        form::encode_pairs([
            ("order_ref", "3f2a0c9e-1111-4000-8000-000000000001"),
            ("product_code", "i1"),
            ("sq_state", "approved"),
            ("order_ref_1", "ORDER-1"),
            ("approved_since", "1700000000"),
            ("cart", "1234"),
            ("signature", signature),
        ])
    }

    #[test]
    fn an_ipn_signed_by_the_shop_is_read_and_verified() {
        let signer = Signer::new(SECRET).unwrap();
        let ipn = Ipn::from_form(ipn_body(&signer.sign("1234").unwrap()).as_bytes()).unwrap();
        assert_eq!(ipn.state, IpnState::Approved);
        assert_eq!(ipn.order_ref_1, "ORDER-1");
        assert_eq!(ipn.parameters["cart"], "1234");
        assert!(!ipn.parameters.contains_key("sq_state"));
        signer.verify_ipn(&ipn, "cart").unwrap();
    }

    #[test]
    fn an_identity_that_names_no_order_is_neither_signed_nor_taken() {
        // The signature of "" would vouch for every notification that
        // echoes an empty identity, whatever order it names.
        let signer = Signer::new(SECRET).unwrap();
        let long = "x".repeat(256);
        for (bad, why) in [
            ("", "is empty"),
            ("  ", "is empty"),
            ("a\nb", "control character"),
            (long.as_str(), "255 bytes"),
        ] {
            let err = signer.sign(bad).unwrap_err();
            assert_eq!(err.kind(), crate::ErrorKind::InvalidInput, "{bad:?}");
            assert_eq!(err.problems()[0].path, "identity");
            assert!(err.problems()[0].message.contains(why), "{bad:?}: {err}");
        }
        let empty = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(signer.mac("").finalize().into_bytes());
        let err = signer.verify("", &empty).unwrap_err();
        assert!(matches!(err, Error::BadSignature(_)), "{err:?}");
        assert!(err.to_string().contains("identity is empty"), "{err}");
        // An IPN that echoes an empty identity with that signature.
        let body = ipn_body(&empty).replace("cart=1234", "cart=");
        let ipn = Ipn::from_form(body.as_bytes()).unwrap();
        let err = signer.verify_ipn(&ipn, "cart").unwrap_err();
        assert!(err.to_string().contains("identity is empty"), "{err}");
    }

    #[test]
    fn a_secret_with_a_control_character_is_a_config_error_never_quoting_it() {
        for bad in [
            "a-long-random-S3CR3T\n",
            "a-long-random-S3CR3T\0",
            "a-long-\r\nrandom-S3CR3T",
        ] {
            let err = Signer::new(bad).unwrap_err();
            assert_eq!(err.kind(), crate::ErrorKind::Config, "{bad:?}");
            let text = err.to_string();
            assert!(
                text.contains("the notification secret has a control character"),
                "{text}"
            );
            assert!(!text.contains("S3CR3T"), "{text}");
        }
        let text = Signer::new("S3CR3T".repeat(1 << 20))
            .unwrap_err()
            .to_string();
        assert!(
            text.contains("longer than 1024") && !text.contains("S3CR3T"),
            "{text}"
        );
    }

    #[test]
    fn a_field_sequra_sets_is_no_identity_parameter() {
        let signer = Signer::new(SECRET).unwrap();
        let ipn = Ipn::from_form(ipn_body(&signer.sign("1234").unwrap()).as_bytes()).unwrap();
        let err = signer.verify_ipn(&ipn, "order_ref").unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::Config);
        assert!(
            err.to_string().contains(
                "the identity parameter \"order_ref\" is a field seQura sets in every IPN"
            ),
            "{err}"
        );
        // Missing for real: said so.
        let err = signer.verify_ipn(&ipn, "basket").unwrap_err();
        assert!(err.to_string().contains("no \"basket\" parameter"), "{err}");
        // A setting that can name no parameter is the shop's, for an IPN
        // and an event alike: not every real notification taken as forged.
        let event =
            Event::from_form(b"event=cancelled&order_ref=u1&order_ref_1=R1&m_signature=s&m_cart=9")
                .unwrap();
        for (name, says) in [
            ("", "is empty"),
            (" ", "is empty"),
            ("signature", "is the signature's own parameter"),
            ("ca\nrt", "has a control character"),
            ("my.cart", "which PHP's $_POST files under another name"),
            (" cart", "which PHP's $_POST files under another name"),
            ("cart[x]", "which PHP's $_POST files under another name"),
        ] {
            for err in [
                signer.verify_ipn(&ipn, name).unwrap_err(),
                signer.verify_event(&event, name).unwrap_err(),
                check_ipn_identity_parameter(name).unwrap_err(),
            ] {
                assert_eq!(err.kind(), crate::ErrorKind::Config, "{name:?}: {err}");
                assert!(err.to_string().contains(says), "{err}");
            }
        }
    }

    #[test]
    fn a_raw_body_is_read_as_phps_post_would_file_it_or_refused() {
        let signer = Signer::new(SECRET).unwrap();
        let body = ipn_body(&signer.sign("1234").unwrap());
        // A name $_POST would file under another one: refused, naming it.
        for renamed in ["sq.state", "sq+state", "sq%5Bstate", "+cart", "cart%5Bx%5D"] {
            let raw = format!("{body}&{renamed}=cancelled");
            let err = Ipn::from_form(raw.as_bytes()).unwrap_err();
            assert_eq!(err.kind(), crate::ErrorKind::InvalidInput, "{renamed}");
            assert!(
                err.problems()[0]
                    .message
                    .contains("PHP's $_POST files under another name"),
                "{renamed}: {err}"
            );
        }
        let event = Event::from_form(b"event=cancelled&order_ref=u1&m.cart=9&m_signature=s");
        assert!(event.is_err());
        // Blanks at the end belong to the last value (the signature), as
        // in $_POST: it is then not the signature. A line end after the
        // body is no value's.
        for blank in ["\u{3000}", "\u{a0}", " "] {
            let ipn = Ipn::from_form(format!("{body}{blank}").as_bytes()).unwrap();
            assert!(signer.verify_ipn(&ipn, "cart").is_err(), "{blank:?}");
        }
        assert!(Ipn::from_form(format!("{body}\t").as_bytes()).is_err());
        let ipn = Ipn::from_form(format!("{body}\r\n").as_bytes()).unwrap();
        signer.verify_ipn(&ipn, "cart").unwrap();
    }

    #[test]
    fn ipn_with_forged_signature_is_refused() {
        let signer = Signer::new(SECRET).unwrap();
        let other = Signer::new("another-shop-secret-value").unwrap();
        let ipn = Ipn::from_form(ipn_body(&other.sign("1234").unwrap()).as_bytes()).unwrap();
        let err = signer.verify_ipn(&ipn, "cart").unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::BadSignature);
        assert_eq!(Outcome::for_error(&err).http_status(), 404);
        let tampered = Ipn::from_form(ipn_body("not base64!").as_bytes()).unwrap();
        assert!(signer.verify_ipn(&tampered, "cart").is_err());
    }

    #[test]
    fn ipn_with_empty_body_is_a_clear_error() {
        let err = Ipn::from_form(b"").unwrap_err();
        assert_eq!(err.problems()[0].path, "body");
        assert_eq!(Outcome::for_error(&err), Outcome::UnknownOrder);
    }

    #[test]
    fn ipn_missing_fields_are_each_named() {
        let err = Ipn::from_form(b"product_code=i1&cart=1").unwrap_err();
        let paths: Vec<&str> = err.problems().iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["order_ref", "sq_state"]);
    }

    #[test]
    fn a_cancelled_order_the_shopper_never_completed_has_no_product_code() {
        let uuid = "3f2a0c9e-1111-4000-8000-000000000001";
        for product in ["&product_code=", ""] {
            let body = format!("order_ref={uuid}{product}&sq_state=cancelled&cart=1");
            let ipn = Ipn::from_form(body.as_bytes()).unwrap();
            assert_eq!(
                (ipn.state, ipn.product_code.as_str()),
                (IpnState::Cancelled, "")
            );
        }
        for (product, why) in [("&product_code=", "is empty"), ("", "is missing")] {
            for state in ["approved", "needs_review"] {
                let body = format!("order_ref={uuid}{product}&sq_state={state}");
                let err = Ipn::from_form(body.as_bytes()).unwrap_err();
                assert_eq!(err.problems()[0].path, "product_code", "{body}");
                assert!(err.problems()[0].message.starts_with(why), "{err}");
            }
        }
    }

    #[test]
    fn ipn_with_unknown_state_is_refused() {
        let err = Ipn::from_form(b"order_ref=a&product_code=i1&sq_state=paid").unwrap_err();
        assert_eq!(err.problems()[0].path, "sq_state");
        assert!(err.to_string().contains("\"paid\""));
    }

    #[test]
    fn events_strip_the_m_prefix_of_the_shop_parameters() {
        let event =
            Event::from_form(b"event=cancelled&order_ref=u1&order_ref_1=R1&m_signature=s&m_cart=9")
                .unwrap();
        assert_eq!(event.event, "cancelled");
        assert_eq!(event.parameters["cart"], "9");
        assert_eq!(event.parameters["signature"], "s");
        assert!(Event::from_form(b"order_ref=u1").is_err());
    }

    #[test]
    fn outcomes_map_to_the_statuses_sequra_expects() {
        let statuses: Vec<u16> = [
            Outcome::Taken,
            Outcome::UnknownOrder,
            Outcome::TryLater,
            Outcome::Never,
        ]
        .iter()
        .map(|o| o.http_status())
        .collect();
        assert_eq!(statuses, [200, 404, 409, 410]);
    }

    #[test]
    fn short_secrets_are_refused_and_never_printed() {
        assert!(Signer::new("short").is_err());
        let signer = Signer::new(SECRET).unwrap();
        assert!(!format!("{signer:?}").contains(SECRET));
    }
}
