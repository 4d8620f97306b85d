//! `Sequra\Notifications`: what a shop's notification endpoint needs, as
//! static methods (no client is needed to receive a notification): sign
//! the notification parameters, read and verify an IPN or an event from
//! the raw body or `$_POST`, and the status to answer.

#![allow(non_snake_case)]

use crate::args::{SecretKey, Text};
use crate::convert::zval::{Key, Kind, PhpValue, Table};
use crate::convert::{key_not_utf8, within_bound, NOT_UTF8};
use crate::errors::boundary;
use crate::to_php::answer;
use ext_php_rs::boxed::ZBox;
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendHashTable, Zval};
use sequra::orders::notifications::{
    check_event_identity_parameter, check_ipn_identity_parameter, Event, Ipn, Outcome, Signer,
};
use sequra::{Error, Problem};

/// Static helpers for seQura's notifications.
#[php_class]
#[php(name = "Sequra\\Notifications", flags = ext_php_rs::flags::ClassFlags::Final)]
pub struct Notifications;

#[php_impl]
impl Notifications {
    /// The signature of the shop's own identity of an order (its cart id),
    /// keyed with the shop's secret (at least 16 bytes).
    pub fn sign(secret: SecretKey, identity: Text) -> PhpResult<String> {
        boundary(|| Signer::new(&*secret)?.sign(&identity))
    }

    /// Reads an IPN from the raw body (`file_get_contents('php://input')`)
    /// or `$_POST`, and checks its signature.
    pub fn read_ipn(
        body: &Zval,
        secret: SecretKey,
        identityParameter: Text,
    ) -> PhpResult<ZBox<ZendHashTable>> {
        let ipn = boundary(|| {
            let signer = Signer::new(&*secret)?;
            check_ipn_identity_parameter(&identityParameter)?;
            let ipn = match form_fields(body)? {
                Fields::Raw(bytes) => Ipn::from_form(&bytes)?,
                Fields::Pairs(pairs) => Ipn::from_pairs(pairs)?,
            };
            signer.verify_ipn(&ipn, &identityParameter)?;
            Ok(ipn)
        })?;
        answer(&ipn)
    }

    /// Reads an events-webhook request the same way.
    pub fn read_event(
        body: &Zval,
        secret: SecretKey,
        identityParameter: Text,
    ) -> PhpResult<ZBox<ZendHashTable>> {
        let event = boundary(|| {
            let signer = Signer::new(&*secret)?;
            check_event_identity_parameter(&identityParameter)?;
            let event = match form_fields(body)? {
                Fields::Raw(bytes) => Event::from_form(&bytes)?,
                Fields::Pairs(pairs) => Event::from_pairs(pairs)?,
            };
            signer.verify_event(&event, &identityParameter)?;
            Ok(event)
        })?;
        answer(&event)
    }

    /// The HTTP status to answer: "taken" 200, "unknown_order" 404,
    /// "try_later" 409, "never" 410.
    pub fn answer_status(outcome: Text) -> PhpResult<i64> {
        boundary(|| Ok(i64::from(Outcome::parse(&outcome)?.http_status())))
    }
}

/// A notification's body as PHP gives it.
enum Fields {
    /// The raw form body.
    Raw(Vec<u8>),
    /// `$_POST`: decoded names and values.
    Pairs(Vec<(String, String)>),
}

fn form_fields(body: &Zval) -> Result<Fields, Error> {
    match PhpValue::of(body).kind() {
        Kind::String(bytes) => Ok(Fields::Raw(bytes.as_bytes().to_vec())),
        Kind::Array(fields) => {
            // Bounded before a field is copied: any array may come here.
            within_bound(fields, "body")?;
            pairs(fields).map(Fields::Pairs)
        }
        _ => Err(Error::invalid(
            "body",
            "must be the raw body (a string) or $_POST (an array)",
        )),
    }
}

/// The fields of `$_POST`: every name and value must be UTF-8 text, as
/// seQura posts them; anyone can post anything else, which is refused.
fn pairs(fields: Table<'_>) -> Result<Vec<(String, String)>, Error> {
    let mut pairs = Vec::with_capacity(fields.len());
    let mut problems = Vec::new();
    for (key, value) in fields.entries() {
        let name = match key {
            Key::Index(i) => i.to_string(),
            Key::Name(name) => match std::str::from_utf8(name) {
                Ok(name) => name.to_owned(),
                Err(_) => {
                    problems.push(Problem::new("body", key_not_utf8(name)));
                    continue;
                }
            },
        };
        match value.string() {
            Some(text) => match std::str::from_utf8(text.as_bytes()) {
                Ok(text) => pairs.push((name, text.to_owned())),
                Err(_) => problems.push(Problem::new(format!("body.{name}"), NOT_UTF8)),
            },
            None => problems.push(Problem::new(
                format!("body.{name}"),
                "must be a string, as seQura posts every field",
            )),
        }
    }
    if problems.is_empty() {
        Ok(pairs)
    } else {
        Err(Error::InvalidInput(problems))
    }
}
