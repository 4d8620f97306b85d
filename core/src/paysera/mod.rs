//! Paysera Checkout payment requests, authenticated with Paysera's MAC
//! header ([`mac`]), and their callbacks.
//!
//! ```no_run
//! use sequra::paysera::{Client, Config};
//! # fn main() -> Result<(), sequra::Error> {
//! let client = Client::new(Config::new("my-mac-id", "my-mac-secret"))?;
//! let request = serde_json::json!({
//!     "business_id": "my-business", "order_id": "ORDER-1",
//!     "price": {"amount": "999", "currency": "EUR"},
//!     "description": "Order 1", "payer": {"email": "shopper@example.com"},
//!     "accept_url": "https://shop.example/accept", "cancel_url": "https://shop.example/cancel",
//!     "callback_url": "https://shop.example/paysera-callback"
//! });
//! let created = client.payment_requests().create(&request)?;
//! println!("send the shopper to {}", created.authorization_url.unwrap_or_default());
//! # Ok(()) }
//! ```
//!
//! Layout: [`mac`] signs every request, [`payment_requests`] is the
//! Checkout API's one resource, [`callbacks`] turns Paysera's callback into
//! the notification it names, [`validate`] checks a payment request before
//! it is sent.

pub mod callbacks;
pub mod mac;
pub mod payment_requests;
pub mod validate;

pub use callbacks::{Callback, Handling, Notification, NotificationData, Notifications};
pub use mac::MacSigner;
pub use payment_requests::{
    Amount, IssuedToken, Money, Payer, PaymentRequest, PaymentRequests, Status,
};

use crate::connection::{Connection, Options};
use crate::error::{Error, Result};
use crate::http::{text_of, Auth, ErrorBody, ErrorFormat, Transport};
use crate::redact::{excerpt, Secret};
use crate::validate::url::DebugUrl;
use serde_json::Value;

/// Paysera's Checkout API host (the Paysera document, docs/apis.md): the Checkout API lives under
/// `/checkout/rest/v1` and the Event Notification API under
/// `/notification/rest/v1` of it.
pub const LIVE_ENDPOINT: &str = "https://checkout-eu-a.paysera.com";

/// How to reach Paysera and as whom. `Debug` never shows the secret, nor
/// a URL's password.
#[derive(Clone)]
pub struct Config {
    /// The Checkout API's base URL: [`LIVE_ENDPOINT`], or the bundled
    /// sandbox's URL (plain http only to loopback).
    pub endpoint: String,
    /// The Event Notification API's base URL, when it is not `endpoint`
    /// (Paysera and the bundled sandbox serve both on one host).
    pub notification_endpoint: Option<String>,
    /// The MAC id Paysera gave the project.
    pub mac_id: String,
    /// The MAC secret that goes with `mac_id`.
    pub mac_secret: Secret,
    /// The options every API shares: timeouts, CA file, User-Agent
    /// suffix, proxy, pool, body logging ([`Connection::KEYS`]).
    pub connection: Connection,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Every field named, so that a new one is shown only as chosen.
        let Config {
            endpoint,
            notification_endpoint,
            mac_id,
            mac_secret,
            connection,
        } = self;
        f.debug_struct("Config")
            .field("endpoint", &DebugUrl(endpoint))
            .field(
                "notification_endpoint",
                &notification_endpoint.as_deref().map(DebugUrl),
            )
            .field("mac_id", mac_id)
            .field("mac_secret", mac_secret)
            .field("connection", connection)
            .finish()
    }
}

/// The keys [`Config::from_json`] reads, before [`Connection::KEYS`].
const KEYS: [&str; 4] = ["endpoint", "notification_endpoint", "mac_id", "mac_secret"];

impl Config {
    /// Paysera's live endpoint with these credentials.
    pub fn new(mac_id: impl Into<String>, mac_secret: impl Into<Secret>) -> Config {
        Config {
            endpoint: LIVE_ENDPOINT.into(),
            notification_endpoint: None,
            mac_id: mac_id.into(),
            mac_secret: mac_secret.into(),
            connection: Connection::default(),
        }
    }

    /// Reads the options object the C and PHP skins take: `mac_id` and
    /// `mac_secret` (required), `endpoint` (default [`LIVE_ENDPOINT`], or a
    /// URL such as the sandbox's), `notification_endpoint` (default: the
    /// endpoint), and optionally the connection options every API takes
    /// ([`Connection::KEYS`]). Unknown keys are refused: they are usually
    /// typos.
    pub fn from_json(options: &Value) -> Result<Config> {
        let keys: Vec<&str> = KEYS.iter().chain(&Connection::KEYS).copied().collect();
        let options = Options::new(options, &keys)?;
        let mut config = Config::new(
            options.required("mac_id")?,
            Secret::new(options.required("mac_secret")?),
        );
        if let Some(endpoint) = options.text("endpoint")? {
            config.endpoint = endpoint;
        }
        config.notification_endpoint = options.text("notification_endpoint")?;
        config.connection = Connection::from_options(&options)?;
        Ok(config)
    }
}

/// A client of one Paysera project. It keeps one connection pool per API:
/// build it once and reuse it.
#[derive(Debug)]
pub struct Client {
    checkout: Transport,
    notifications: Transport,
}

impl Client {
    /// Checks the configuration and builds the client; nothing is sent.
    pub fn new(config: Config) -> Result<Client> {
        let signer = MacSigner::new(config.mac_id, config.mac_secret)?;
        let transport = |base: &str| {
            Transport::new(
                base,
                &config.connection,
                Auth::Signed(Box::new(signer.clone())),
                &[],
            )
            .map(|t| t.errors(ERRORS))
        };
        let checkout = transport(&config.endpoint)?;
        // Checked as an endpoint is, and named in the error.
        if let Some(url) = &config.notification_endpoint {
            crate::validate::url::endpoint(url)
                .map_err(|why| Error::Config(format!("notification_endpoint {why}")))?;
        }
        let notifications = transport(
            config
                .notification_endpoint
                .as_deref()
                .unwrap_or(&config.endpoint),
        )?;
        Ok(Client {
            checkout,
            notifications,
        })
    }

    /// Builds the client from the options object of the C and PHP skins
    /// ([`Config::from_json`]).
    pub fn from_json(options: &serde_json::Value) -> Result<Client> {
        Client::new(Config::from_json(options)?)
    }

    /// The Checkout API's base URL.
    pub fn base_url(&self) -> &str {
        self.checkout.base_url()
    }

    /// `/checkout/rest/v1/payment-requests`: create, get, authorize,
    /// capture, cancel.
    pub fn payment_requests(&self) -> PaymentRequests<'_> {
        PaymentRequests::new(&self.checkout)
    }

    /// `/notification/rest/v1/notifications`: what a callback names.
    pub fn notifications(&self) -> Notifications<'_> {
        Notifications::new(&self.notifications)
    }
}

/// Paysera's error body: `{"error", "error_description", "errors": [{"code",
/// "message", "field"}]}`, or, as Paysera's other REST APIs write the
/// fields' reasons, `"error_properties": {"field": ["message", ...]}`.
pub(crate) const ERRORS: ErrorFormat = ErrorFormat {
    parse: paysera_errors,
    request_id_header: None,
    credentials: crate::error::Credentials::Mac,
};

/// Each entry of `errors` as `field: message (code)`, each message of
/// `error_properties` as `field: message (error)`; without either, the
/// body's own `error_description (error)`, so that the reason is never lost.
fn paysera_errors(body: &Value) -> Option<ErrorBody> {
    let error = body.get("error")?.as_str()?;
    let mut errors: Vec<String> = body
        .get("errors")
        .and_then(Value::as_array)
        .map(|list| list.iter().map(field_error).collect())
        .unwrap_or_default();
    if let Some(properties) = body.get("error_properties").and_then(Value::as_object) {
        // The code and a field's name go into each of its messages:
        // excerpts, so that a long one repeated over many messages cannot
        // make the list many times the body's size.
        let error = excerpt(error.as_bytes());
        for (field, messages) in properties {
            let field = excerpt(field.as_bytes());
            let messages = match messages {
                Value::Array(list) => list.iter().collect(),
                one => vec![one],
            };
            for message in messages {
                errors.push(format!("{field}: {} ({error})", text_of(message)));
            }
        }
    }
    if errors.is_empty() {
        errors.push(
            match body.get("error_description").and_then(Value::as_str) {
                Some(description) if !description.is_empty() => format!("{description} ({error})"),
                _ => error.to_string(),
            },
        );
    }
    Some(ErrorBody {
        errors,
        request_id: None,
    })
}

/// One entry of `errors`: `price.amount: must be positive (invalid_parameter)`.
fn field_error(entry: &Value) -> String {
    let text = |key: &str| {
        entry
            .get(key)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    };
    let message = text("message").map_or_else(|| text_of(entry), str::to_string);
    let described = match text("code") {
        Some(code) => format!("{message} ({code})"),
        None => message,
    };
    match text("field") {
        Some(field) => format!("{field}: {described}"),
        None => described,
    }
}

/// A Paysera id (a payment request's, a notification's) as it goes into a
/// URL path ([`crate::validate::id::path_segment`]); Paysera's ids are
/// letters, digits, `-` and `_`, so anything else is refused as a typo.
pub(crate) fn path_id(name: &str, id: &str) -> Result<String> {
    let segment = crate::validate::id::path_segment(name, id)?;
    let paysera = id.len() <= 128
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if paysera {
        Ok(segment)
    } else {
        Err(Error::invalid(
            name,
            format!(
                "{} is not a Paysera id (1 to 128 letters, digits, '-' or '_')",
                crate::redact::quote(id)
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn options() -> Value {
        json!({"mac_id": "id", "mac_secret": "secret"})
    }

    #[test]
    fn options_default_to_the_live_endpoint() {
        let config = Config::from_json(&options()).unwrap();
        assert_eq!(config.endpoint, "https://checkout-eu-a.paysera.com");
        assert_eq!(config.notification_endpoint, None);
        assert!(Client::new(config).is_ok());
    }

    #[test]
    fn unknown_and_missing_options_are_named() {
        let mut o = options();
        o["mac_secert"] = json!("x");
        let err = Config::from_json(&o).unwrap_err().to_string();
        assert!(err.contains("unknown option \"mac_secert\""), "{err}");
        let err = Config::from_json(&json!({"mac_id": "id"}))
            .unwrap_err()
            .to_string();
        assert_eq!(err, "configuration: option mac_secret is required");
    }

    #[test]
    fn plain_http_to_a_remote_host_is_refused() {
        let mut o = options();
        o["endpoint"] = json!("http://checkout-eu-a.paysera.com");
        let err = Client::new(Config::from_json(&o).unwrap()).unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::Config);
    }

    /// Each endpoint option is named in its own error: a bad
    /// notification_endpoint was once reported as `endpoint`.
    #[test]
    fn a_bad_notification_endpoint_is_named_as_such() {
        for url in ["http://evil.example", "ftp://x", "not a url"] {
            let mut o = options();
            o["notification_endpoint"] = json!(url);
            let err = Client::new(Config::from_json(&o).unwrap()).unwrap_err();
            assert_eq!(err.kind(), crate::ErrorKind::Config);
            let message = err.to_string();
            assert!(
                message.starts_with("configuration: notification_endpoint "),
                "{message}"
            );
        }
    }

    #[test]
    fn a_mac_id_too_long_for_a_header_is_a_config_error_at_construction() {
        let mut o = options();
        o["mac_id"] = json!("i".repeat(10 << 20));
        let err = Client::from_json(&o).unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::Config);
        let text = err.to_string();
        assert!(text.starts_with("configuration: mac_id \"iii"), "{text}");
        assert!(text.len() < 300, "{}", text.len());
        let mut o = options();
        o["mac_secret"] = json!("S3CR3T\n");
        let text = Client::from_json(&o).unwrap_err().to_string();
        assert!(
            text.contains("mac_secret") && !text.contains("S3CR3T"),
            "{text}"
        );
    }

    #[test]
    fn debug_hides_the_secret() {
        let config =
            Config::from_json(&json!({"mac_id": "id", "mac_secret": "topsecret"})).unwrap();
        assert!(!format!("{config:?}").contains("topsecret"));
        let client = Client::new(config.clone()).unwrap();
        assert!(!format!("{client:?}").contains("topsecret"));
        // Passwords in the URLs, before the client refuses them.
        let mut config = config;
        config.endpoint = "https://u:hunter2@h.example".into();
        config.notification_endpoint = Some("https://u:hunter3@h.example".into());
        let text = format!("{config:?}");
        assert!(
            !text.contains("hunter2") && !text.contains("hunter3"),
            "{text}"
        );
    }

    #[test]
    fn error_bodies_name_each_field() {
        let body = json!({
            "error": "invalid_parameters",
            "error_description": "Some parameters are invalid",
            "errors": [
                {"code": "invalid_parameter", "message": "must be positive", "field": "price.amount"},
                {"code": "required", "message": "is required"}
            ]
        });
        assert_eq!(
            paysera_errors(&body).unwrap().errors,
            [
                "price.amount: must be positive (invalid_parameter)",
                "is required (required)"
            ]
        );
        let body = json!({"error": "unauthorized", "error_description": "Nonce was already used", "errors": []});
        assert_eq!(
            paysera_errors(&body).unwrap().errors,
            ["Nonce was already used (unauthorized)"]
        );
        let body = json!({"error": "invalid_parameters", "error_description": "Invalid parameters",
            "error_properties": {"business_id": ["Business not found"], "price.amount": "too small"}});
        assert_eq!(
            paysera_errors(&body).unwrap().errors,
            [
                "business_id: Business not found (invalid_parameters)",
                "price.amount: too small (invalid_parameters)"
            ]
        );
        // A long code or field name over many messages: each is an excerpt.
        let long = "e".repeat(10_000);
        let messages: Vec<Value> = (0..2_000).map(|_| json!("m")).collect();
        let body = json!({"error": long, "error_properties": {long.clone(): messages}});
        let errors = paysera_errors(&body).unwrap().errors;
        assert_eq!(errors.len(), 2_000);
        assert!(errors.iter().map(String::len).sum::<usize>() < 2_000 * 500);
        assert!(paysera_errors(&json!({"errors": ["x"]})).is_none());
    }

    #[test]
    fn ids_cannot_leave_their_path() {
        assert!(path_id("id", "PRAFY24n-UBgSkiRCL-h_CVAAvj4MEkj").is_ok());
        for bad in ["", ".", "..", "../notifications", "a/b", "a?b", "a b"] {
            let err = path_id("id", bad).unwrap_err();
            assert_eq!(err.problems()[0].path, "id");
        }
    }
}
