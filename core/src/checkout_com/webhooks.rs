//! What checkout.com POSTs to the merchant's webhook URL when a payment
//! changes: a JSON event signed in `Cko-Signature`, the hex HMAC-SHA256 of
//! the raw body keyed with the webhook's secret.
//!
//! Verify before reading: [`Verifier::verify_and_parse`] refuses a body
//! whose signature does not match (it was not sent by checkout.com, or was
//! changed on the way), then reads the payment event of this flow.

use crate::error::{Error, Problem, Result};
use crate::redact::Secret;
use crate::strict::{self, JsonRefusal};
use crate::validate::text::describe;
use hmac::{Hmac, Mac};
use serde::Serialize;
use serde_json::{Map, Value};
use sha2::Sha256;

/// The header that carries the signature.
pub const SIGNATURE_HEADER: &str = "Cko-Signature";

/// The payment events a merchant receives for a seQura payment, and what
/// each asks of the shop. Other events (`dispute_...`, `card_...`) are kept
/// as [`EventType::Other`], for the shop to acknowledge and ignore.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventType {
    /// `payment_pending`: the customer is at seQura; wait.
    PaymentPending,
    /// `payment_approved`: seQura approved the customer: fulfil the order.
    PaymentApproved,
    /// `payment_declined`: seQura declined: cancel the order.
    PaymentDeclined,
    /// `payment_captured`: the money is captured.
    PaymentCaptured,
    /// `payment_capture_declined`: a capture failed.
    PaymentCaptureDeclined,
    /// `payment_canceled`: the customer gave up at seQura: cancel the order.
    PaymentCanceled,
    /// `payment_expired`: the customer never finished: cancel the order.
    PaymentExpired,
    /// `payment_voided`: the authorization was released.
    PaymentVoided,
    /// `payment_refunded`: money went back to the customer.
    PaymentRefunded,
    /// Any other event, by its name.
    Other(String),
}

impl EventType {
    pub fn parse(name: &str) -> EventType {
        match name {
            "payment_pending" => EventType::PaymentPending,
            "payment_approved" => EventType::PaymentApproved,
            "payment_declined" => EventType::PaymentDeclined,
            "payment_captured" => EventType::PaymentCaptured,
            "payment_capture_declined" => EventType::PaymentCaptureDeclined,
            "payment_canceled" => EventType::PaymentCanceled,
            "payment_expired" => EventType::PaymentExpired,
            "payment_voided" => EventType::PaymentVoided,
            "payment_refunded" => EventType::PaymentRefunded,
            other => EventType::Other(other.to_string()),
        }
    }

    /// The event's name as checkout.com writes it.
    pub fn as_str(&self) -> &str {
        match self {
            EventType::PaymentPending => "payment_pending",
            EventType::PaymentApproved => "payment_approved",
            EventType::PaymentDeclined => "payment_declined",
            EventType::PaymentCaptured => "payment_captured",
            EventType::PaymentCaptureDeclined => "payment_capture_declined",
            EventType::PaymentCanceled => "payment_canceled",
            EventType::PaymentExpired => "payment_expired",
            EventType::PaymentVoided => "payment_voided",
            EventType::PaymentRefunded => "payment_refunded",
            EventType::Other(name) => name,
        }
    }

    /// Whether the event is about a payment (`payment_...`).
    pub fn is_payment_event(&self) -> bool {
        self.as_str().starts_with("payment_")
    }
}

impl Serialize for EventType {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// One webhook event. For payment events, `payment_id`, `reference`,
/// `amount` and `currency` are read from `data`; `data` keeps everything.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    /// The event's id (`evt_...`): the same event may arrive twice, so a
    /// shop acts once per id.
    pub id: String,
    #[serde(rename = "type")]
    pub event_type: EventType,
    /// When it happened, as checkout.com wrote it (ISO 8601).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_on: Option<String>,
    /// The payment (`pay_...`) the event is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payment_id: Option<String>,
    /// The payment setup's reference, e.g. the shop's order number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// The event's whole `data` object.
    pub data: Map<String, Value>,
}

impl Event {
    /// Reads an event from its raw JSON body. Does NOT verify it: use
    /// [`Verifier::verify_and_parse`] for anything that arrives over HTTP.
    /// Refused, each naming its path: a key twice in any object; `id`,
    /// `type`, `created_on`, `data.id`, `data.reference` or
    /// `data.currency` that is not a string, holds a control character or
    /// is longer than 255 bytes; a `data.amount` that is not a whole
    /// number from 0 to i64::MAX.
    pub fn parse(body: &[u8]) -> Result<Event> {
        if body.iter().all(u8::is_ascii_whitespace) {
            return Err(Error::invalid(
                "body",
                "is empty; a checkout.com webhook is a JSON event",
            ));
        }
        // Strict: a key twice (two `type`s, two `amount`s) is ambiguous,
        // and another reader of the same signed body may see the other.
        let value = strict::parse_json(body, "body").map_err(|refusal| match refusal {
            JsonRefusal::Syntax(e) => Error::invalid("body", format!("is not JSON ({e})")),
            JsonRefusal::Refused(error) => error,
        })?;
        if let Some(number) = strict::misread_number(body) {
            return Err(Error::invalid(
                "body",
                format!(
                    "holds the number {}, which is no whole number, but a double holds it as one (more digits than it keeps): an amount read from it would be another than written",
                    crate::redact::quote(&number)
                ),
            ));
        }
        let Value::Object(mut object) = value else {
            return Err(Error::invalid("body", "must be a JSON object (an event)"));
        };
        let mut problems = Vec::new();
        let id = required_text(&mut problems, "id", object.remove("id"));
        let kind = required_text(&mut problems, "type", object.remove("type"));
        let created_on = optional_text(&mut problems, "created_on", object.get("created_on"));
        let data = match object.remove("data") {
            Some(Value::Object(data)) => data,
            None | Some(Value::Null) => Map::new(),
            Some(_) => {
                problems.push(Problem::new("data", "must be an object"));
                Map::new()
            }
        };
        let event_type = EventType::parse(&kind);
        let data_id = optional_text(&mut problems, "data.id", data.get("id"));
        let no_payment_id = match data.get("id") {
            None | Some(Value::Null) => true,
            Some(Value::String(s)) => s.is_empty(),
            Some(_) => false,
        };
        if event_type.is_payment_event() && no_payment_id {
            problems.push(Problem::new(
                "data.id",
                "is missing: a payment event names its payment (pay_...)",
            ));
        }
        let reference = optional_text(&mut problems, "data.reference", data.get("reference"));
        let currency = optional_text(&mut problems, "data.currency", data.get("currency"));
        let amount = amount(&mut problems, data.get("amount"));
        if !problems.is_empty() {
            return Err(Error::InvalidInput(problems));
        }
        Ok(Event {
            id,
            created_on,
            payment_id: data_id.filter(|_| event_type.is_payment_event()),
            reference,
            amount,
            currency,
            event_type,
            data,
        })
    }
}

/// A required text field of the event: a non-empty string, without control
/// characters, at most [`strict::MAX_FIELD`] bytes.
fn required_text(problems: &mut Vec<Problem>, path: &str, value: Option<Value>) -> String {
    match value {
        Some(Value::Null) | None => {
            problems.push(Problem::new(path, "is missing from the event"));
            String::new()
        }
        Some(Value::String(s)) if !s.is_empty() => {
            if let Some(why) = strict::text_problem(&s) {
                problems.push(Problem::new(path, why));
            }
            s
        }
        Some(_) => {
            problems.push(Problem::new(path, "must be a non-empty string"));
            String::new()
        }
    }
}

/// A text field the reader returns, when present (null is absent): a
/// string, checked as [`required_text`] checks one; another type is a
/// problem, never dropped.
fn optional_text(problems: &mut Vec<Problem>, path: &str, value: Option<&Value>) -> Option<String> {
    match value {
        Some(Value::Null) | None => None,
        Some(Value::String(s)) => match strict::text_problem(s) {
            Some(why) => {
                problems.push(Problem::new(path, why));
                None
            }
            None => Some(s.clone()),
        },
        Some(other) => {
            problems.push(Problem::new(
                path,
                format!("must be a string, not {}", describe(other)),
            ));
            None
        }
    }
}

/// `data.amount`, when present (null is absent): whole minor units, from 0
/// to i64::MAX. A whole number written as a decimal (`100.0`, `1e2`, `-0`)
/// is that number, as the library takes a whole float for an amount
/// elsewhere. A fraction, a string, a negative or a larger number is a
/// problem, never dropped: money is integer cents.
fn amount(problems: &mut Vec<Problem>, value: Option<&Value>) -> Option<i64> {
    // 2^63, the first whole float past i64::MAX.
    const PAST_I64: f64 = 9_223_372_036_854_775_808.0;
    let why = match value {
        Some(Value::Null) | None => return None,
        Some(Value::Number(n)) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(cents), _, _) if cents >= 0 => return Some(cents),
            (Some(_), _, _) => format!("is {n}; an amount is never negative"),
            (None, Some(_), _) => format!("is {n}, more than the largest amount ({})", i64::MAX),
            (None, None, Some(f)) if f.fract() == 0.0 && f.abs() >= PAST_I64 => {
                format!("is {n}, beyond the range of an amount (0 to {})", i64::MAX)
            }
            // -0.0 is 0, not below it.
            (None, None, Some(f)) if f.fract() == 0.0 && f < 0.0 => {
                format!("is {n}; an amount is never negative")
            }
            // A whole float a double holds exactly (below 2^53) is that
            // amount; past it, the float may not be the number written
            // (9007199254740993.0 reads as ...992).
            (None, None, Some(f)) if f.fract() == 0.0 && f < 9_007_199_254_740_992.0 => {
                return Some(f as i64)
            }
            (None, None, Some(f)) if f.fract() == 0.0 => format!(
                "is {n}, a float too large to be read exactly; write the amount as an integer"
            ),
            // serde_json writes a decimal in at most 25 characters.
            _ => format!("is {n}; an amount is a whole number of minor units (cents)"),
        },
        Some(other) => format!(
            "must be a whole number of minor units (cents), not {}",
            describe(other)
        ),
    };
    problems.push(Problem::new("data.amount", why));
    None
}

/// Checks webhooks against the webhook's secret key (set when the webhook
/// was registered with checkout.com). `Debug` never shows the secret.
pub struct Verifier {
    secret: Secret,
}

impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Verifier(***)")
    }
}

impl Verifier {
    /// A verifier keyed with the webhook's secret; an empty one is refused,
    /// and one that is not a secret's text (a line end copied with it would
    /// make every genuine webhook look forged).
    pub fn new(secret: impl Into<Secret>) -> Result<Verifier> {
        let secret = secret.into();
        if secret.expose().trim().is_empty() {
            return Err(Error::Config(
                "the webhook secret is empty; use the secret key of the webhook as registered with checkout.com".into(),
            ));
        }
        crate::connection::check_secret_option("the webhook secret", &secret)?;
        Ok(Verifier { secret })
    }

    fn mac(&self) -> Hmac<Sha256> {
        // HMAC takes a key of any length, so this cannot fail.
        Hmac::<Sha256>::new_from_slice(self.secret.expose().as_bytes())
            .expect("HMAC accepts any key length")
    }

    /// The signature checkout.com sends for `body`: lower-case hex
    /// HMAC-SHA256. For tests and tools; a shop only verifies.
    pub fn sign(&self, body: &[u8]) -> String {
        let mut mac = self.mac();
        mac.update(body);
        mac.finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// Checks the `Cko-Signature` header value against the raw body, in
    /// constant time. `None` (no header) is refused like a wrong signature.
    pub fn verify(&self, body: &[u8], signature: Option<&str>) -> Result<()> {
        let Some(signature) = signature.map(str::trim).filter(|s| !s.is_empty()) else {
            return Err(Error::BadSignature(format!(
                "the webhook has no {SIGNATURE_HEADER} header, so it cannot be from checkout.com; answer 401 and do not act on it"
            )));
        };
        let forged = || {
            Error::BadSignature(format!(
                "the webhook's {SIGNATURE_HEADER} does not match its body: it was not sent by checkout.com with this webhook secret, or the body changed on the way (verify the raw body, before any decoding); answer 401 and do not act on it"
            ))
        };
        let bytes = decode_hex(signature).ok_or_else(forged)?;
        let mut mac = self.mac();
        mac.update(body);
        mac.verify_slice(&bytes).map_err(|_| forged())
    }

    /// Verifies the body, then reads the event.
    pub fn verify_and_parse(&self, body: &[u8], signature: Option<&str>) -> Result<Event> {
        self.verify(body, signature)?;
        Event::parse(body)
    }
}

/// Hex of either case; `None` for an odd length or another character.
fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    text.as_bytes()
        .chunks(2)
        .map(crate::form::hex_byte)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const SECRET: &str = "whsec-for-tests";

    fn body() -> Vec<u8> {
        json!({
            "id": "evt_az5sblvku4ge3dwpztvyizgcau", "type": "payment_approved",
            "created_on": "2026-04-30T10:00:00Z",
            "data": {"id": "pay_bgmwsoadqdvetnljwg23hetl7q", "amount": 20000, "currency": "EUR",
                "reference": "ORD-5023-4E89", "response_summary": "Approved"}
        })
        .to_string()
        .into_bytes()
    }

    #[test]
    fn a_signed_payment_event_is_verified_and_read() {
        let verifier = Verifier::new(SECRET).unwrap();
        let signature = verifier.sign(&body());
        let event = verifier
            .verify_and_parse(&body(), Some(&signature))
            .unwrap();
        assert_eq!(event.event_type, EventType::PaymentApproved);
        assert_eq!(
            event.payment_id.as_deref(),
            Some("pay_bgmwsoadqdvetnljwg23hetl7q")
        );
        assert_eq!(event.reference.as_deref(), Some("ORD-5023-4E89"));
        assert_eq!(event.amount, Some(20000));
        assert_eq!(event.data["response_summary"], "Approved");
        let upper = signature.to_ascii_uppercase();
        assert!(verifier.verify(&body(), Some(&upper)).is_ok());
    }

    #[test]
    fn an_amount_is_read_as_the_number_it_is_and_refused_when_not_whole_cents() {
        let read = |amount: &str| {
            let text = String::from_utf8(body()).unwrap();
            let text = text.replace("\"amount\":20000", &format!("\"amount\":{amount}"));
            let mut problems = Vec::new();
            let value: Value = serde_json::from_str(&text).unwrap();
            let cents = super::amount(&mut problems, value["data"].get("amount"));
            (
                cents,
                problems
                    .iter()
                    .map(|p| p.message.clone())
                    .collect::<Vec<_>>(),
            )
        };
        for (amount, cents) in [
            ("100", 100),
            ("100.0", 100),
            ("1e2", 100),
            ("-0", 0),
            ("0", 0),
            ("9007199254740991.0", 9_007_199_254_740_991),
        ] {
            assert_eq!(read(amount), (Some(cents), vec![]), "{amount}");
        }
        for (amount, why) in [
            ("100.5", "is 100.5; an amount is a whole number of minor units (cents)"),
            ("-1", "is -1; an amount is never negative"),
            ("-1.0", "is -1.0; an amount is never negative"),
            ("9223372036854775808.0", "is 9.223372036854776e+18, beyond the range of an amount (0 to 9223372036854775807)"),
            ("9007199254740993.0", "is 9007199254740992.0, a float too large to be read exactly; write the amount as an integer"),
            ("1.2345678901234567e16", "is 1.2345678901234568e+16, a float too large to be read exactly; write the amount as an integer"),
            ("\"100\"", "must be a whole number of minor units (cents), not a string (\"100\")"),
        ] {
            assert_eq!(read(amount), (None, vec![why.to_string()]), "{amount}");
        }
    }

    #[test]
    fn an_amount_with_more_digits_than_a_double_keeps_is_refused_not_rounded() {
        let text = String::from_utf8(body()).unwrap();
        for amount in ["19999.99999999999999", "99.99999999999999999"] {
            let text = text.replace("\"amount\":20000", &format!("\"amount\":{amount}"));
            let err = Event::parse(text.as_bytes()).unwrap_err();
            assert_eq!(err.kind(), crate::ErrorKind::InvalidInput, "{amount}");
            assert!(
                err.to_string().contains(&format!(
                    "holds the number \"{amount}\", which is no whole number"
                )),
                "{amount}: {err}"
            );
        }
    }

    #[test]
    fn a_forged_webhook_is_refused() {
        let verifier = Verifier::new(SECRET).unwrap();
        let other = Verifier::new("another-secret").unwrap();
        for signature in [
            Some(other.sign(&body())),
            Some("zz".into()),
            Some("abc".into()),
            None,
        ] {
            let err = verifier
                .verify_and_parse(&body(), signature.as_deref())
                .unwrap_err();
            assert_eq!(err.kind(), crate::ErrorKind::BadSignature, "{signature:?}");
        }
        let mut tampered = body();
        tampered[10] ^= 1;
        let signature = verifier.sign(&body());
        assert!(verifier.verify(&tampered, Some(&signature)).is_err());
    }

    #[test]
    fn other_events_are_kept_by_name() {
        let event =
            Event::parse(br#"{"id": "evt_1", "type": "dispute_received", "data": {}}"#).unwrap();
        assert_eq!(
            event.event_type,
            EventType::Other("dispute_received".into())
        );
        assert_eq!(
            serde_json::to_value(&event).unwrap()["type"],
            "dispute_received"
        );
    }

    #[test]
    fn a_malformed_event_names_every_problem() {
        let err = Event::parse(br#"{"type": "payment_declined", "data": {}}"#).unwrap_err();
        let paths: Vec<&str> = err.problems().iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["id", "data.id"]);
        assert_eq!(Event::parse(b"").unwrap_err().problems()[0].path, "body");
        assert_eq!(Event::parse(b"[1]").unwrap_err().problems()[0].path, "body");
    }

    #[test]
    fn an_empty_secret_is_refused_and_a_secret_never_printed() {
        assert!(Verifier::new("").is_err());
        assert!(!format!("{:?}", Verifier::new(SECRET).unwrap()).contains(SECRET));
    }

    #[test]
    fn a_secret_copied_with_its_line_end_is_a_config_error_not_every_webhook_forged() {
        for bad in ["whsec-S3CR3T\n", "whsec-S3CR3T\r\n", "whsec\0S3CR3T"] {
            let err = Verifier::new(bad).unwrap_err();
            assert_eq!(err.kind(), crate::ErrorKind::Config, "{bad:?}");
            let text = err.to_string();
            assert!(
                text.contains(
                    "the webhook secret has a control character (a line end copied with it?)"
                ),
                "{text}"
            );
            assert!(!text.contains("S3CR3T"), "{text}");
        }
    }
}
