//! `/checkout/rest/v1/payment-requests`: create a payment request, read
//! it, authorize it with an issued token, capture it, cancel it.
//!
//! A payment request starts `new`; the shopper paying on its
//! `authorization_url` (or [`PaymentRequests::authorize`] with a token of
//! an earlier payment) makes it `authorized`; [`PaymentRequests::capture`]
//! makes it `captured`, [`PaymentRequests::cancel`] `canceled`. Paysera
//! refuses any other move with 409.

use super::{path_id, validate};
use crate::error::{Error, Result};
use crate::http::{Method, Request, Transport};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

const PATH: &str = "/checkout/rest/v1/payment-requests";

/// An amount in the currency's minor unit: `"999"` is 9.99 EUR. Requests
/// send it as a string of digits; Paysera answers with a number. Either is
/// kept as it came, so that nothing is converted silently.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Amount {
    Number(u64),
    Text(String),
}

impl Amount {
    /// The amount in minor units, when it is a whole number.
    pub fn minor_units(&self) -> Option<u64> {
        match self {
            Amount::Number(n) => Some(*n),
            Amount::Text(text) => text.parse().ok(),
        }
    }
}

impl From<&str> for Amount {
    fn from(text: &str) -> Self {
        Amount::Text(text.to_string())
    }
}

/// `{"amount", "currency"}`: a price or the price paid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Money {
    pub amount: Amount,
    /// ISO 4217, e.g. `EUR`.
    pub currency: String,
}

/// Who pays: the shopper's `email`, and what Paysera adds (`name`,
/// `surname`, `account_number`, ...).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payer {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Every other field, kept as it came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The body of `POST /checkout/rest/v1/payment-requests`, field for field
/// as `seeds/003` names it. Fields it does not name (`valid_until`,
/// `parameters`, ...) are kept in `extra` and sent as given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewPaymentRequest {
    pub business_id: String,
    /// The shop's order reference; Paysera takes each one once.
    pub order_id: String,
    pub price: Money,
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method_key: Option<String>,
    pub payer: Payer,
    /// A language of the payment page, e.g. `en` ([`validate::LOCALES`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    pub accept_url: String,
    pub cancel_url: String,
    /// Where Paysera posts the `notification_id` of each event (https).
    pub callback_url: String,
    /// `required` to get a token for later recurring payments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_strategy: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl NewPaymentRequest {
    /// Reads a payment request from JSON after checking it: every problem
    /// at once ([`validate::payment_request`]), as [`Error::InvalidInput`].
    pub fn from_json(request: &Value) -> Result<NewPaymentRequest> {
        let problems = validate::payment_request(request);
        if !problems.is_empty() {
            return Err(Error::InvalidInput(problems));
        }
        serde_json::from_value(request.clone())
            .map_err(|e| Error::invalid("payment_request", format!("does not read: {e}")))
    }

    /// Every problem of this request; empty when it can be sent.
    pub fn problems(&self) -> Vec<crate::Problem> {
        match serde_json::to_value(self) {
            Ok(value) => validate::payment_request(&value),
            Err(e) => vec![crate::Problem::new(
                "payment_request",
                format!("does not serialise: {e}"),
            )],
        }
    }
}

/// What a payment request's `status` says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum Status {
    /// Created; the shopper has not paid.
    New,
    /// The money is reserved: capture or cancel it.
    Authorized,
    /// The money is taken.
    Captured,
    /// Canceled; nothing is or will be taken.
    Canceled,
    /// A status this library does not know yet, as Paysera wrote it.
    Other(String),
}

impl Status {
    pub fn as_str(&self) -> &str {
        match self {
            Status::New => "new",
            Status::Authorized => "authorized",
            Status::Captured => "captured",
            Status::Canceled => "canceled",
            Status::Other(text) => text,
        }
    }
}

impl From<String> for Status {
    fn from(text: String) -> Self {
        match text.as_str() {
            "new" => Status::New,
            "authorized" => Status::Authorized,
            "captured" => Status::Captured,
            "canceled" => Status::Canceled,
            _ => Status::Other(text),
        }
    }
}

impl From<Status> for String {
    fn from(status: Status) -> Self {
        status.as_str().to_string()
    }
}

/// A payment request as Paysera answers it. The fields a shop acts on are
/// typed; every other one is kept in `extra`, so that serialising it gives
/// back what Paysera sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentRequest {
    pub id: String,
    pub status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<Money>,
    /// What the shopper paid, once paid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_paid: Option<Money>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Where to send the shopper to pay (a `new` request).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payer: Option<Payer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_strategy: Option<String>,
    /// The token for recurring payments of a `token_strategy: required`
    /// request, once the shopper paid: store it with the shopper and pass
    /// it to [`PaymentRequests::authorize`] for later payments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued_token: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The payment requests resource of a [`super::Client`].
pub struct PaymentRequests<'a> {
    transport: &'a Transport,
}

impl<'a> PaymentRequests<'a> {
    pub(crate) fn new(transport: &'a Transport) -> Self {
        PaymentRequests { transport }
    }

    /// Creates a payment request: `POST /checkout/rest/v1/payment-requests`.
    ///
    /// The request is checked first ([`validate::payment_request`]); one
    /// with problems is refused with all of them and nothing is sent.
    /// 200 or 201 → the new request, `new`, with its `authorization_url`.
    /// 400/422 → [`Error::Unprocessable`] naming the fields Paysera
    /// refused; 409 → [`Error::Conflict`] (e.g. the `order_id` is taken);
    /// 401 → [`Error::Authentication`]. Never retried: a creation is not
    /// idempotent.
    pub fn create(&self, request: &NewPaymentRequest) -> Result<PaymentRequest> {
        let body = serde_json::to_value(request)
            .map_err(|e| Error::invalid("payment_request", format!("does not serialise: {e}")))?;
        let problems = validate::payment_request(&body);
        if !problems.is_empty() {
            return Err(Error::InvalidInput(problems));
        }
        let request = Request::new(Method::Post, self.transport.url(PATH)).json(&body);
        self.answer(request, &[200, 201])
    }

    /// Reads a payment request: `GET /checkout/rest/v1/payment-requests/{id}`.
    /// 200 → the request; 404 → [`Error::NotFound`].
    pub fn get(&self, id: &str) -> Result<PaymentRequest> {
        let url = self.url(id, "")?;
        self.answer(Request::new(Method::Get, url), &[200])
    }

    /// Authorizes a `new` payment request with the `token` an earlier
    /// payment of the same shopper issued (recurring payments):
    /// `PUT /checkout/rest/v1/payment-requests/{id}/authorize` with
    /// `{"token": ...}`. 200 → the request, `authorized`; 409 →
    /// [`Error::Conflict`] (it is not `new`); 400/422 →
    /// [`Error::Unprocessable`] (the token is not usable); 404.
    pub fn authorize(&self, id: &str, token: &str) -> Result<PaymentRequest> {
        let url = self.url(id, "/authorize")?;
        if token.trim().is_empty() {
            return Err(Error::invalid(
                "token",
                "is empty; pass the issued_token of the shopper's first payment",
            ));
        }
        let request = Request::new(Method::Put, url).json(&json!({ "token": token }));
        self.answer(request, &[200])
    }

    /// Captures an `authorized` payment request: `PUT
    /// /checkout/rest/v1/payment-requests/{id}/capture`. 200 → the request,
    /// `captured`; 409 → [`Error::Conflict`] (it is not `authorized`); 404.
    pub fn capture(&self, id: &str) -> Result<PaymentRequest> {
        let url = self.url(id, "/capture")?;
        self.answer(Request::new(Method::Put, url), &[200])
    }

    /// Cancels a `new` or `authorized` payment request: `PUT
    /// /checkout/rest/v1/payment-requests/{id}/cancel`. 200 → the request,
    /// `canceled`; 409 → [`Error::Conflict`] (it is captured or already
    /// canceled); 404.
    pub fn cancel(&self, id: &str) -> Result<PaymentRequest> {
        let url = self.url(id, "/cancel")?;
        self.answer(Request::new(Method::Put, url), &[200])
    }

    fn url(&self, id: &str, action: &str) -> Result<String> {
        let id = path_id("id", id)?;
        Ok(self.transport.url(&format!("{PATH}/{id}{action}")))
    }

    /// Sends `request`; a status in `success` → the payment request in the
    /// body, any other → its error.
    fn answer(&self, request: Request, success: &[u16]) -> Result<PaymentRequest> {
        let response = self.transport.send(request)?;
        if !success.contains(&response.status) {
            return Err(response.into_error());
        }
        response.json()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_response_reads_and_keeps_what_it_does_not_name() {
        let body = json!({
            "id": "abc123payment",
            "status": "new",
            "authorization_url": "https://checkout-eu-a.paysera.com/pay/abc123payment",
            "order_id": "SUB_12345",
            "price": {"amount": 999, "currency": "EUR"},
            "description": "Monthly subscription",
            "created_at": "2025-12-15T10:30:00Z"
        });
        let request: PaymentRequest = serde_json::from_value(body.clone()).unwrap();
        assert_eq!(request.status, Status::New);
        assert_eq!(
            request.price.as_ref().unwrap().amount.minor_units(),
            Some(999)
        );
        assert_eq!(request.extra["created_at"], "2025-12-15T10:30:00Z");
        assert_eq!(serde_json::to_value(&request).unwrap(), body);
    }

    #[test]
    fn unknown_statuses_are_kept() {
        let request: PaymentRequest =
            serde_json::from_value(json!({"id": "x", "status": "refunded"})).unwrap();
        assert_eq!(request.status, Status::Other("refunded".into()));
        assert_eq!(
            serde_json::to_value(&request).unwrap()["status"],
            "refunded"
        );
    }

    #[test]
    fn a_new_request_reads_only_when_valid_and_round_trips() {
        let body = json!({
            "business_id": "b", "order_id": "o", "price": {"amount": "999", "currency": "EUR"},
            "description": "d", "payer": {"email": "a@b.example", "name": "Ana"},
            "accept_url": "https://s.example/a", "cancel_url": "https://s.example/c",
            "callback_url": "https://s.example/cb", "valid_until": 1900000000
        });
        let request = NewPaymentRequest::from_json(&body).unwrap();
        assert_eq!(request.extra["valid_until"], 1900000000);
        assert_eq!(request.payer.extra["name"], "Ana");
        assert_eq!(serde_json::to_value(&request).unwrap(), body);
        assert!(request.problems().is_empty());
        let mut bad = body;
        bad["price"]["amount"] = json!("-1");
        let err = NewPaymentRequest::from_json(&bad).unwrap_err();
        assert_eq!(err.problems()[0].path, "price.amount");
    }
}
