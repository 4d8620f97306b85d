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
use crate::http::{Method, Request, Response, Transport};
use crate::redact::{quote, Secret};
use crate::validate::echo::{self, Echo};
use crate::validate::url;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

const PATH: &str = "/checkout/rest/v1/payment-requests";

/// An amount in the currency's minor unit: `999` or `"999"` is 9.99 EUR.
/// A request sends it as the shop wrote it (the Paysera document's example
/// writes a number, Paysera's Checkout reference a string of digits);
/// Paysera answers with a number. Either is kept as it came, so that
/// nothing is converted silently; but for a whole number a server wrote
/// as a float (`999.0`, the same JSON number), which is read as `999`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Amount {
    Number(u64),
    Text(String),
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        // Read as every amount of an answer is (`lenient::integer_of`):
        // text of digits alone ("9.99", "-5" or "" would be read as some
        // other sum by a shop that casts it), never negative, within i64
        // (past it, PHP would read a float, another sum).
        let units = crate::lenient::integer_of(&value).and_then(|n| u64::try_from(n).ok());
        match (&value, units) {
            (Value::Number(_), Some(units)) => Some(Amount::Number(units)),
            (Value::String(text), Some(_)) => Some(Amount::Text(text.clone())),
            _ => None,
        }
        .ok_or_else(|| {
            serde::de::Error::custom(format_args!(
                "expected an amount in minor units (999 or \"999\"), found {}",
                crate::validate::text::describe(&value)
            ))
        })
    }
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
            // (The British spelling, which a server may write.)
            "canceled" | "cancelled" => Status::Canceled,
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
    #[serde(
        default,
        deserialize_with = "crate::lenient::or_default",
        skip_serializing_if = "Option::is_none"
    )]
    pub payer: Option<Payer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_strategy: Option<String>,
    /// The token for recurring payments of a `token_strategy: required`
    /// request, once the shopper paid: store it with the shopper and pass
    /// it to [`PaymentRequests::authorize`] for later payments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued_token: Option<IssuedToken>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A recurring-payment token Paysera issued: it charges the shopper again,
/// so `Debug` prints `***` (a shop logs what it debugs); serialised as
/// the string it is, for the shop to store.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct IssuedToken(String);

impl IssuedToken {
    /// The token, to store with the shopper and pass to
    /// [`PaymentRequests::authorize`].
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for IssuedToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("IssuedToken(***)")
    }
}

/// The payment requests resource of a [`super::Client`].
pub struct PaymentRequests<'a> {
    transport: &'a Transport,
}

impl<'a> PaymentRequests<'a> {
    pub(crate) fn new(transport: &'a Transport) -> Self {
        PaymentRequests { transport }
    }

    /// Every problem of the payment request `request` as
    /// [`PaymentRequests::create`] checks it; empty when it can be sent.
    /// Nothing is sent. Against a Paysera on the internet (the endpoint a
    /// public host), the `callback_url` must be one it can reach
    /// ([`validate::unreachable_callback`]).
    pub fn validate(&self, request: &Value) -> Vec<crate::Problem> {
        let mut problems = validate::payment_request(request);
        if self.transport.is_public() {
            problems.extend(validate::unreachable_callback(request));
        }
        problems
    }

    /// Creates a payment request: `POST /checkout/rest/v1/payment-requests`
    /// with `request`: `business_id`, `order_id` (the shop's reference,
    /// taken once), `price` (`amount` in minor units, a positive integer or a
    /// string of digits, sent as given; `currency`), `description`, `payer` (`email`, ...), `accept_url`,
    /// `cancel_url`, `callback_url`, and optionally `method_key`, `locale`,
    /// `token_strategy` and the other fields Paysera documents.
    ///
    /// The request is checked first ([`validate::payment_request`]); one
    /// with problems is refused with all of them and nothing is sent.
    /// 200 or 201 → the new request, `new`, with its `authorization_url`.
    /// 400/422 → [`Error::Unprocessable`] naming the fields Paysera
    /// refused; 409 → [`Error::Conflict`] (e.g. the `order_id` is taken);
    /// 401 → [`Error::Authentication`]. Not sent again once it may have
    /// reached Paysera: a creation is not idempotent.
    pub fn create(&self, request: &Value) -> Result<PaymentRequest> {
        let problems = self.validate(request);
        if !problems.is_empty() {
            return Err(Error::InvalidInput(problems));
        }
        let post = Request::new(Method::Post, self.transport.url(PATH)).json(request);
        created(&self.answer(post, &[200, 201])?, request)
    }

    /// Reads a payment request: `GET /checkout/rest/v1/payment-requests/{id}`.
    /// 200 → the request; 404 → [`Error::NotFound`].
    pub fn get(&self, id: &str) -> Result<PaymentRequest> {
        let url = self.url(id, "")?;
        of_id(&self.answer(Request::new(Method::Get, url), &[200])?, id)
    }

    /// Authorizes a `new` payment request with the `token` an earlier
    /// payment of the same shopper issued (recurring payments):
    /// `PUT /checkout/rest/v1/payment-requests/{id}/authorize` with
    /// `{"token": ...}`. 200 → the request, `authorized`, or `captured`
    /// where Paysera captures at once (its reference's answer); 409 →
    /// [`Error::Conflict`] (it is not `new`); 400/422 →
    /// [`Error::Unprocessable`] (the token is not usable); 404.
    /// Retried like every PUT: when a try's answer was lost and the retry
    /// is refused because that try already did it, the answer is the
    /// request as it now is.
    pub fn authorize(&self, id: &str, token: &str) -> Result<PaymentRequest> {
        let url = self.url(id, "/authorize")?;
        if token.trim().is_empty() {
            return Err(Error::invalid(
                "token",
                "is empty; pass the issued_token of the shopper's first payment",
            ));
        }
        // A secret: it lets the business charge the shopper again.
        if let Some(why) = crate::connection::secret_problem(token) {
            return Err(Error::invalid("token", why));
        }
        let request = Request::new(Method::Put, url)
            .json(&json!({ "token": token }))
            .secret(Secret::new(token.to_string()));
        // Paysera's reference answers an authorize with the request
        // captured at once; the two-step flow (authorized, then capture)
        // is taken too.
        self.act(id, request, &[Status::Authorized, Status::Captured])
    }

    /// Captures an `authorized` payment request: `PUT
    /// /checkout/rest/v1/payment-requests/{id}/capture`. 200 → the request,
    /// `captured`; 409 → [`Error::Conflict`] (it is not `authorized`); 404.
    /// Retried like every PUT: when a try's answer was lost and the retry
    /// is refused because that try already did it, the answer is the
    /// request as it now is.
    pub fn capture(&self, id: &str) -> Result<PaymentRequest> {
        let url = self.url(id, "/capture")?;
        self.act(id, Request::new(Method::Put, url), &[Status::Captured])
    }

    /// Cancels a `new` or `authorized` payment request: `PUT
    /// /checkout/rest/v1/payment-requests/{id}/cancel`. 200 → the request,
    /// `canceled`; 409 → [`Error::Conflict`] (it is captured or already
    /// canceled); 404.
    /// Retried like every PUT: when a try's answer was lost and the retry
    /// is refused because that try already did it, the answer is the
    /// request as it now is.
    pub fn cancel(&self, id: &str) -> Result<PaymentRequest> {
        let url = self.url(id, "/cancel")?;
        self.act(id, Request::new(Method::Put, url), &[Status::Canceled])
    }

    fn url(&self, id: &str, action: &str) -> Result<String> {
        let id = path_id("id", id)?;
        Ok(self.transport.url(&format!("{PATH}/{id}{action}")))
    }

    /// Sends the action `request` (authorize, capture, cancel), which moves
    /// the payment request `id` to one of `done`. When a try may have acted
    /// but its answer was lost, the retry is refused (409: the status no
    /// longer allows the move); the request is then read, and if it is
    /// `done` the lost try did it: that is the answer.
    /// The action and the read are one call, within the client's `timeout`.
    fn act(&self, id: &str, request: Request, done: &[Status]) -> Result<PaymentRequest> {
        self.transport.one_call(|| {
            let response = self.transport.send(request)?;
            if response.status == 200 {
                // What the call did, as the answer says: no exception
                // must mean the request now is `done` (captured, say).
                let now = of_id(&response, id)?;
                if !done.contains(&now.status) {
                    let done: Vec<&str> = done.iter().map(Status::as_str).collect();
                    return Err(response.unexpected(&format!(
                        "payment request {} is {} after the call, not {}",
                        quote(id),
                        quote(now.status.as_str()),
                        done.join(" or ")
                    )));
                }
                return Ok(now);
            }
            if response.status == 409 && response.after_a_try_that_may_have_acted() {
                if let Ok(now) = self.get(id) {
                    if done.contains(&now.status) {
                        return Ok(now);
                    }
                }
            }
            Err(response.into_error())
        })
    }

    /// Sends `request`; a status in `success` → the answer, any other →
    /// its error.
    fn answer(&self, request: Request, success: &[u16]) -> Result<Response> {
        let response = self.transport.send(request)?;
        if !success.contains(&response.status) {
            return Err(response.into_error());
        }
        Ok(response)
    }
}

/// What a create answered: the new request, which the shop sends the
/// shopper to pay. It must be a request the later calls can name, `new`,
/// with a page to send the shopper to, for the order, amount and
/// currency sent.
fn created(response: &Response, sent: &Value) -> Result<PaymentRequest> {
    let made: PaymentRequest = response.json()?;
    let price = made.price.as_ref();
    let why = if path_id("id", &made.id).is_err() {
        format!(
            "its id {} is not a Paysera id (1 to 128 letters, digits, '-' or '_')",
            quote(&made.id)
        )
    } else if made.status != Status::New {
        format!("it is {}, not new", quote(made.status.as_str()))
    } else if let Some(why) = echo::differs([
        Echo::text("order_id", made.order_id.clone(), sent),
        Echo::text("business_id", made.business_id.clone(), sent),
        // "required" asks for the token of the next payments.
        Echo::text("token_strategy", made.token_strategy.clone(), sent),
        Echo::units(
            "price.amount",
            price
                .and_then(|p| p.amount.minor_units())
                .map(|u| u.to_string()),
            sent,
        ),
        Echo::text("price.currency", price.map(|p| p.currency.clone()), sent),
    ]) {
        why
    } else {
        match made.authorization_url.as_deref() {
            None => "it has no authorization_url to send the shopper to".into(),
            Some(page) => match url::check(page, url::Need::Https) {
                Ok(_) => return Ok(made),
                Err(why) => format!(
                    "its authorization_url is not a page to send a shopper to: {}",
                    why.message(page)
                ),
            },
        }
    };
    Err(response.unexpected(&format!(
        "a payment request was created, but {why}; do not send the shopper there, and check the order_id in Paysera before creating another"
    )))
}

/// The payment request an answer holds, which must be `id`'s.
fn of_id(response: &Response, id: &str) -> Result<PaymentRequest> {
    let request: PaymentRequest = response.json()?;
    if request.id != id {
        return Err(response.about_another("", "payment request", quote(&request.id), quote(id)));
    }
    Ok(request)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_payer_written_as_an_empty_list_is_none() {
        let request: PaymentRequest =
            serde_json::from_value(json!({"id": "abc", "status": "new", "payer": []})).unwrap();
        assert_eq!(request.payer, None);
    }

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
    fn an_amount_is_kept_as_it_came_a_whole_float_as_its_number_and_text_only_as_digits() {
        let amount = |value: Value| serde_json::from_value::<Amount>(value);
        assert_eq!(amount(json!(999)).unwrap(), Amount::Number(999));
        assert_eq!(amount(json!(999.0)).unwrap(), Amount::Number(999));
        assert_eq!(amount(json!("999")).unwrap(), Amount::Text("999".into()));
        for value in [
            json!("9.99"),
            json!("-5"),
            json!("+5"),
            json!("abc"),
            json!(""),
            json!(" 5"),
            json!("18446744073709551616"),
            json!("9223372036854775808"),
            json!(18446744073709551615u64),
            json!(9223372036854775809u64),
            json!(9.99),
            json!(-1),
            json!(-1.0),
            json!(1e300),
            json!(null),
            json!([]),
        ] {
            let err = amount(value.clone()).unwrap_err().to_string();
            assert!(
                err.contains("expected an amount in minor units"),
                "{value}: {err}"
            );
        }
        assert_eq!(
            serde_json::to_value(Amount::Number(999)).unwrap(),
            json!(999)
        );
    }

    #[test]
    fn an_authorize_token_is_bounded_and_refused_before_sending_never_quoted() {
        let mut config = super::super::Config::new("id", "secret");
        // A closed port: a token that got through would be a transport error.
        config.endpoint = "http://127.0.0.1:9".into();
        let client = super::super::Client::new(config).unwrap();
        let requests = client.payment_requests();
        for (token, why) in [
            (
                "MACSECRET".repeat(1 << 20),
                "is 9437184 bytes, longer than 1024",
            ),
            ("MACSECRET-token\n".into(), "has a control character"),
            ("MACSECRET\r\ntoken".into(), "has a control character"),
        ] {
            let err = requests.authorize("pr_1", &token).unwrap_err();
            assert_eq!(err.kind(), crate::ErrorKind::InvalidInput);
            assert_eq!(err.problems()[0].path, "token");
            let text = err.to_string();
            assert!(text.contains(why), "{text}");
            assert!(!text.contains("MAC"), "{text}");
            assert!(!err.problems()[0].message.contains("MAC"), "{text}");
        }
        let err = requests.authorize("pr_1", &"t".repeat(1024)).unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::Transport);
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
}
