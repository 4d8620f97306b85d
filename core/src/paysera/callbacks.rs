//! Paysera's callbacks: for every event of a payment request Paysera POSTs
//! `notification_id=...` to its `callback_url`, and repeats it (for up to 7
//! days) until the notification is marked read.
//!
//! A callback's body is not authenticated: anyone can post one. So the
//! library never reads an event from it. It reads only the id, fetches
//! that notification from Paysera's Event Notification API (a signed
//! request over TLS, so the answer is Paysera's), and marks it read once
//! the shop has acted on it.

use super::path_id;
use super::payment_requests::PaymentRequest;
use crate::error::{Error, Result};
use crate::form;
use crate::http::{Method, Request, Transport};
use crate::redact::quote;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

const PATH: &str = "/notification/rest/v1/notifications";

/// A callback as Paysera posts it: only the id of a notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Callback {
    pub notification_id: String,
}

impl Callback {
    /// Reads the raw `application/x-www-form-urlencoded` body of the
    /// callback (`notification_id=...`).
    pub fn from_form(body: &[u8]) -> Result<Callback> {
        let text = form::body_text(body).map_err(|why| Error::invalid("body", why))?;
        if text.trim().is_empty() {
            return Err(Error::invalid(
                "body",
                "is empty; a callback from Paysera is a form post with notification_id",
            ));
        }
        // Only a line end is taken off, as for seQura's notifications.
        let pairs = form::decode_pairs(text.trim_end_matches(['\r', '\n']))
            .map_err(|why| Error::invalid("body", why))?;
        Callback::from_pairs(pairs)
    }

    /// Reads the callback from already decoded fields (PHP's `$_POST`).
    /// Other fields are ignored: nothing but the id is trusted. A repeated
    /// parameter is refused: two ids would leave which one to fetch to
    /// the order of the form.
    pub fn from_pairs(pairs: impl IntoIterator<Item = (String, String)>) -> Result<Callback> {
        let id = crate::strict::refuse_repeated(pairs.into_iter().collect())?
            .into_iter()
            .find(|(key, _)| key == "notification_id")
            .map(|(_, value)| value)
            .ok_or_else(|| {
                Error::invalid(
                    "notification_id",
                    "is missing from the callback; Paysera posts notification_id=...",
                )
            })?;
        Ok(Callback {
            notification_id: path_id("notification_id", &id)?,
        })
    }
}

/// A notification of Paysera's Event Notification API: which `event`
/// happened (`payment_request.captured`, ...) and the payment request as
/// it is after it. Fields it does not name are kept in `extra`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    pub id: String,
    /// `new` until marked read, then `read`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// E.g. `payment_request.authorized`, `payment_request.captured`,
    /// `payment_request.canceled`.
    pub event: String,
    #[serde(default)]
    pub data: NotificationData,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Notification {
    /// The payment request the event is about, as it is after the event.
    pub fn payment_request(&self) -> Option<&PaymentRequest> {
        self.data.payment_request.as_ref()
    }
}

/// `data` of a notification.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationData {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_request: Option<PaymentRequest>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The Event Notification API of a [`super::Client`].
pub struct Notifications<'a> {
    transport: &'a Transport,
}

impl<'a> Notifications<'a> {
    pub(crate) fn new(transport: &'a Transport) -> Self {
        Notifications { transport }
    }

    /// Fetches a notification: `GET /notification/rest/v1/notifications/{id}`.
    /// 200 → the notification; 404 → [`Error::NotFound`] (not one of this
    /// project's: the callback was not Paysera's).
    pub fn get(&self, notification_id: &str) -> Result<Notification> {
        let url = self.url(notification_id, "")?;
        self.answer(Request::new(Method::Get, url), notification_id)
    }

    /// Marks a notification read, so that Paysera stops repeating its
    /// callback: `PUT /notification/rest/v1/notifications/{id}/read`.
    /// 200 → the notification, `read` (also when it already was); 404.
    pub fn mark_read(&self, notification_id: &str) -> Result<Notification> {
        let url = self.url(notification_id, "/read")?;
        self.answer(Request::new(Method::Put, url), notification_id)
    }

    /// Turns a callback into the notification it names: fetched from
    /// Paysera, never read from the callback. Act on it, then
    /// [`Notifications::mark_read`].
    pub fn receive(&self, callback: &Callback) -> Result<Notification> {
        self.get(&callback.notification_id)
    }

    /// The whole callback: reads the raw form `body`, fetches the
    /// notification it names, runs `act` on it and, once `act` succeeded,
    /// marks it read and returns it as read. When `act` fails the
    /// notification stays unread, so Paysera calls back again later.
    pub fn handle<E>(
        &self,
        body: &[u8],
        act: impl FnOnce(&Notification) -> std::result::Result<(), E>,
    ) -> std::result::Result<Notification, Handling<E>> {
        let callback = Callback::from_form(body).map_err(Handling::Paysera)?;
        let notification = self.receive(&callback).map_err(Handling::Paysera)?;
        act(&notification).map_err(Handling::Shop)?;
        self.mark_read(&notification.id).map_err(Handling::Paysera)
    }

    fn url(&self, notification_id: &str, action: &str) -> Result<String> {
        let id = path_id("notification_id", notification_id)?;
        Ok(self.transport.url(&format!("{PATH}/{id}{action}")))
    }

    /// The notification `request` answers; one of another id than
    /// `notification_id` (a proxy's mix-up, or a stray answer left on the
    /// connection) is unexpected: the shop would act on, or mark read,
    /// another notification than the callback named.
    fn answer(&self, request: Request, notification_id: &str) -> Result<Notification> {
        let response = self.transport.send(request)?;
        if response.status != 200 {
            return Err(response.into_error());
        }
        let notification: Notification = response.json()?;
        if notification.id != notification_id {
            let (got, asked) = (quote(&notification.id), quote(notification_id));
            return Err(response.about_another("", "notification", got, asked));
        }
        Ok(notification)
    }
}

/// Why [`Notifications::handle`] did not finish: the callback or Paysera
/// (reading, fetching, marking read), or the shop's own action.
#[derive(Debug)]
pub enum Handling<E> {
    Paysera(Error),
    Shop(E),
}

impl<E: std::fmt::Display> std::fmt::Display for Handling<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Handling::Paysera(error) => write!(f, "{error}"),
            Handling::Shop(error) => write!(f, "the shop did not take the notification: {error}"),
        }
    }
}

impl<E: std::fmt::Debug + std::fmt::Display> std::error::Error for Handling<E> {}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_callback_names_its_notification() {
        let callback = Callback::from_form(b"notification_id=xyz789notification").unwrap();
        assert_eq!(callback.notification_id, "xyz789notification");
        let callback = Callback::from_pairs([
            ("event".to_string(), "payment_request.captured".to_string()),
            ("notification_id".to_string(), "12345".to_string()),
        ])
        .unwrap();
        assert_eq!(callback.notification_id, "12345");
    }

    #[test]
    fn a_callback_without_a_usable_id_is_refused() {
        assert_eq!(
            Callback::from_form(b"").unwrap_err().problems()[0].path,
            "body"
        );
        assert_eq!(
            Callback::from_form(b"id=1").unwrap_err().problems()[0].path,
            "notification_id"
        );
        let err = Callback::from_form(b"notification_id=..%2Fpayment-requests").unwrap_err();
        assert_eq!(err.problems()[0].path, "notification_id");
    }

    #[test]
    fn the_documented_notification_reads() {
        let body = json!({
            "id": "xyz789notification",
            "status": "read",
            "event": "payment_request.captured",
            "data": {
                "payment_request": {
                    "id": "abc123payment", "status": "captured", "order_id": "SUB_12345",
                    "price_paid": {"amount": 999, "currency": "EUR"},
                    "token_strategy": "required", "issued_token": "vLUGdTtnDjQs7Yv0fjYQyYfG60m"
                }
            },
            "created_at": 1734258645
        });
        let notification: Notification = serde_json::from_value(body.clone()).unwrap();
        let request = notification.payment_request().unwrap();
        let token = request.issued_token.as_ref().unwrap();
        assert_eq!(token.expose(), "vLUGdTtnDjQs7Yv0fjYQyYfG60m");
        assert!(!format!("{notification:?}").contains(token.expose()));
        assert_eq!(serde_json::to_value(&notification).unwrap(), body);
    }
}
