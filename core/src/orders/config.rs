//! Where the seQura client talks to and as whom: endpoint, merchant,
//! credentials, connection and how orders are validated. The part-payment
//! (POS) API takes the same configuration.

use super::payload::ValidateOptions;
use crate::connection::{Connection, Options};
use crate::error::{Error, Result};
use crate::http::{Auth, Transport};
use crate::redact::Secret;
use crate::validate::url::DebugUrl;
use serde_json::Value;

/// The seQura environment to talk to. `Debug` masks a URL's password.
#[derive(Clone, PartialEq, Eq)]
pub enum Endpoint {
    /// `https://sandbox.sequrapi.com`, seQura's integration environment.
    Sandbox,
    /// `https://live.sequrapi.com`, real orders.
    Live,
    /// Any other base URL, such as the bundled sandbox on loopback.
    Url(String),
}

impl std::fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Endpoint::Sandbox => f.write_str("Sandbox"),
            Endpoint::Live => f.write_str("Live"),
            Endpoint::Url(url) => f.debug_tuple("Url").field(&DebugUrl(url)).finish(),
        }
    }
}

impl Endpoint {
    /// `sandbox`, `live`, or a base URL. Anything with a scheme is taken
    /// as a URL here, its scheme in any case (RFC 3986, 3.1), and checked
    /// where the transport is made, with the same rule and message as the
    /// other APIs' endpoints (`http::endpoint`).
    pub fn parse(text: &str) -> Result<Endpoint> {
        match text {
            "sandbox" => Ok(Endpoint::Sandbox),
            "live" => Ok(Endpoint::Live),
            url if url.contains("://") => Ok(Endpoint::Url(url.to_string())),
            other => Err(Error::Config(format!(
                "endpoint {} is not \"sandbox\", \"live\" or an http(s):// URL",
                crate::validate::url::quote_url(other)
            ))),
        }
    }

    /// The base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        match self {
            Endpoint::Sandbox => "https://sandbox.sequrapi.com",
            Endpoint::Live => "https://live.sequrapi.com",
            Endpoint::Url(url) => url.trim_end_matches('/'),
        }
    }
}

/// How to reach seQura and as whom. `Debug` never shows the password.
#[derive(Debug, Clone)]
pub struct Config {
    pub endpoint: Endpoint,
    /// The merchant id (`merchant.id` in orders), sent as `Sequra-Merchant-Id`.
    pub merchant: String,
    pub username: String,
    pub password: Secret,
    /// The options every API shares: timeouts, CA file, User-Agent
    /// suffix, proxy, pool, body logging ([`Connection::KEYS`]).
    pub connection: Connection,
    /// How orders are validated before they are sent: the merchant's
    /// contract options, and whether unknown keys may pass.
    pub validation: ValidateOptions,
}

/// The keys [`Config::from_json`] accepts before [`Connection::KEYS`], and
/// after them.
const KEYS: [&str; 4] = ["endpoint", "merchant", "username", "password"];
const VALIDATION_KEYS: [&str; 3] = ["contract", "flow", "allow_unknown_keys"];

impl Config {
    pub fn new(
        endpoint: Endpoint,
        merchant: impl Into<String>,
        username: impl Into<String>,
        password: impl Into<Secret>,
    ) -> Self {
        Config {
            endpoint,
            merchant: merchant.into(),
            username: username.into(),
            password: password.into(),
            connection: Connection::default(),
            validation: ValidateOptions::default(),
        }
    }

    /// Reads the options object the C and PHP skins take:
    /// `endpoint` (`"sandbox"`, `"live"` or a URL), `merchant`, `username`,
    /// `password`, and optionally the connection options every API takes
    /// ([`Connection::KEYS`]: `connect_timeout` and `timeout` in seconds,
    /// may be fractional, `ca_file`, `user_agent`, `proxy`, `persistent`,
    /// `log_bodies`), `contract` (the
    /// merchant's contract options: a list of `"services"`, `"multistore"`,
    /// `"garage"`, `"shipment_ref"`, `"instore"`), `flow` (`"online"`, the
    /// default, or `"pos_legacy"` for in-store orders confirmed without
    /// IPN) and `allow_unknown_keys` (let order keys the API does not name
    /// through). Unknown keys are refused: they are usually typos.
    pub fn from_json(options: &Value) -> Result<Config> {
        let keys: Vec<&str> = KEYS
            .iter()
            .chain(&Connection::KEYS)
            .chain(&VALIDATION_KEYS)
            .copied()
            .collect();
        let options = Options::new(options, &keys)?;
        let mut config = Config::new(
            Endpoint::parse(&options.required("endpoint")?)?,
            options.required("merchant")?,
            options.required("username")?,
            Secret::new(options.required("password")?),
        );
        config.connection = Connection::from_options(&options)?;
        let mut validation = serde_json::Map::new();
        for key in VALIDATION_KEYS {
            if let Some(value) = options.get(key) {
                validation.insert(key.to_string(), value.clone());
            }
        }
        config.validation =
            ValidateOptions::from_json(&Value::Object(validation)).map_err(|e| {
                Error::Config(crate::error::problems_sentence_by(e.problems(), |p| {
                    format!("{}: {}", p.path.trim_start_matches("options."), p.message)
                }))
            })?;
        Ok(config)
    }

    /// Checks the merchant and the credentials before any call (the
    /// connection's options: [`Config::transport`]).
    fn check(&self) -> Result<()> {
        let missing = |what: &str| Error::Config(format!("{what} is empty"));
        if self.merchant.trim().is_empty() {
            return Err(missing("the merchant id"));
        }
        // It goes into the path of the merchant's calls.
        crate::validate::id::path_segment("merchant", &self.merchant)
            .map_err(|e| Error::Config(e.problems().iter().map(|p| p.to_string()).collect()))?;
        if let Some(why) = crate::connection::edge_space(&self.merchant) {
            return Err(Error::Config(format!("merchant {why}; copy it again")));
        }
        if self.username.trim().is_empty() {
            return Err(missing("the username"));
        }
        crate::connection::check_basic_username("username", &self.username)?;
        if self.password.is_empty() {
            return Err(missing("the password"));
        }
        // The connection's options are checked by the transport, as every
        // API's are (`Transport::new`), right after this.
        crate::connection::check_secret_option("password", &self.password)
    }

    /// Checks the configuration and opens the transport of the merchant's
    /// calls: its endpoint, Basic credentials and `Sequra-Merchant-Id`
    /// header. The Orders API and the part-payment API share it.
    pub(crate) fn transport(&self) -> Result<Transport> {
        self.check()?;
        let auth = Auth::Basic {
            username: self.username.clone(),
            password: self.password.clone(),
        };
        Transport::new(
            self.endpoint.base_url(),
            &self.connection,
            auth,
            &[("sequra-merchant-id", &self.merchant)],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connection::DEFAULT_TIMEOUT;
    use serde_json::json;
    use std::time::Duration;

    fn options() -> Value {
        json!({"endpoint": "sandbox", "merchant": "m", "username": "u", "password": "p"})
    }

    #[test]
    fn options_fill_defaults() {
        let config = Config::from_json(&options()).unwrap();
        assert_eq!(config.endpoint.base_url(), "https://sandbox.sequrapi.com");
        assert_eq!(config.connection.timeout, DEFAULT_TIMEOUT);
        assert_eq!(config.password.expose(), "p");
    }

    #[test]
    fn fractional_timeouts_are_seconds() {
        let mut o = options();
        o["timeout"] = json!(1.5);
        assert_eq!(
            Config::from_json(&o).unwrap().connection.timeout,
            Duration::from_millis(1500)
        );
    }

    #[test]
    fn unknown_option_is_refused_by_name() {
        let mut o = options();
        o["pasword"] = json!("x");
        let err = Config::from_json(&o).unwrap_err().to_string();
        assert!(err.contains("unknown option \"pasword\""), "{err}");
    }

    #[test]
    fn missing_password_is_named() {
        let mut o = options();
        o.as_object_mut().unwrap().remove("password");
        let err = Config::from_json(&o).unwrap_err().to_string();
        assert_eq!(err, "configuration: option password is required");
    }

    #[test]
    fn bad_endpoint_is_refused() {
        let mut o = options();
        o["endpoint"] = json!("production");
        assert!(Config::from_json(&o).is_err());
    }

    #[test]
    fn contract_options_configure_validation() {
        let mut o = options();
        o["contract"] = json!(["multistore"]);
        o["allow_unknown_keys"] = json!(true);
        let config = Config::from_json(&o).unwrap();
        assert!(config.validation.contract.multistore);
        assert!(config.validation.allow_unknown_keys);
        o["contract"] = json!(["gold"]);
        let err = Config::from_json(&o).unwrap_err().to_string();
        assert!(
            err.starts_with("configuration: contract: must be a list of"),
            "{err}"
        );
    }

    #[test]
    fn a_merchant_id_that_is_a_path_step_is_refused() {
        let mut o = options();
        o["merchant"] = json!("..");
        let config = Config::from_json(&o).unwrap();
        let err = config.check().unwrap_err().to_string();
        assert!(
            err.starts_with("configuration: merchant: is \"..\""),
            "{err}"
        );
    }

    #[test]
    fn an_id_copied_with_a_space_at_an_end_is_refused() {
        for (key, value) in [
            ("merchant", " demo "),
            ("merchant", "demo\u{a0}"),
            ("username", "u "),
        ] {
            let mut o = options();
            o[key] = json!(value);
            let err = crate::orders::Client::from_json(&o)
                .unwrap_err()
                .to_string();
            let said = format!("{key} has a space at its start or end; copy it again");
            assert!(err.contains(&said), "{value:?}: {err}");
        }
    }

    #[test]
    fn credentials_basic_auth_cannot_carry_are_refused_at_construction() {
        let refused = |key: &str, value: &str| {
            let mut o = options();
            o[key] = json!(value);
            let err = crate::orders::Client::from_json(&o).unwrap_err();
            assert_eq!(err.kind(), crate::ErrorKind::Config, "{key}");
            err.to_string()
        };
        for bad in ["user:S3CR3T", "user:S3CR3T\r\n"] {
            let text = refused("username", bad);
            assert!(
                text.starts_with("configuration: username has a ") && !text.contains("S3CR3T"),
                "{text}"
            );
        }
        assert!(refused("username", &"u".repeat(10 << 20)).len() < 300);
        for bad in ["S3CR3T\n", "S3\0CR3T", &"S3CR3T".repeat(2 << 20)] {
            let text = refused("password", bad);
            assert!(
                text.contains("password") && !text.contains("S3CR3T"),
                "{text}"
            );
        }
        let text = refused("user_agent", &"a".repeat(10 << 20));
        assert!(text.contains("user_agent") && text.len() < 300, "{text}");
    }

    #[test]
    fn debug_hides_the_password() {
        let config = Config::from_json(&options()).unwrap();
        let text = format!("{config:?}");
        assert!(!text.contains("\"p\""), "{text}");
        assert!(text.contains("Secret(***)"));
        // A password in the endpoint, before the client refuses it.
        let mut config = config;
        config.endpoint = Endpoint::Url("https://shop:Pa55/hunter2@h.example".into());
        let text = format!("{config:?}");
        assert!(text.contains("Url(\"https://***@h.example\")"), "{text}");
        assert!(
            !text.contains("hunter2") && !text.contains("Pa55"),
            "{text}"
        );
    }
}
