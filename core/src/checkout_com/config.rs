//! Where a checkout.com client talks to and as whom: a secret key or OAuth
//! client credentials, the account's base URL, the processing channel.

use crate::connection::{Connection, Options};
use crate::error::{Error, Result};
use crate::redact::{quote, Secret};
use crate::validate::url::DebugUrl;
use serde_json::Value;

/// checkout.com's two environments. Keys, base URLs and access tokens of one
/// never work in the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    /// `https://{prefix}.api.sandbox.checkout.com`, test payments.
    Sandbox,
    /// `https://{prefix}.api.checkout.com`, real payments.
    Production,
}

impl Environment {
    /// `"sandbox"` or `"production"`.
    pub fn parse(text: &str) -> Result<Environment> {
        match text {
            "sandbox" => Ok(Environment::Sandbox),
            "production" => Ok(Environment::Production),
            other => Err(Error::Config(format!(
                "environment {} is not \"sandbox\" or \"production\"",
                quote(other)
            ))),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Environment::Sandbox => "sandbox",
            Environment::Production => "production",
        }
    }

    /// The account's API base URL in this environment.
    pub fn base_url(self, prefix: &str) -> String {
        match self {
            Environment::Sandbox => format!("https://{prefix}.api.sandbox.checkout.com"),
            Environment::Production => format!("https://{prefix}.api.checkout.com"),
        }
    }

    /// The OAuth token endpoint of this environment.
    pub fn access_url(self) -> &'static str {
        match self {
            Environment::Sandbox => "https://access.sandbox.checkout.com/connect/token",
            Environment::Production => "https://access.checkout.com/connect/token",
        }
    }
}

/// How the client proves who it is. `Debug` never shows a secret.
#[derive(Debug, Clone)]
pub enum Credentials {
    /// A secret API key, sent as `Authorization: Bearer sk_...`.
    SecretKey(Secret),
    /// An access key (OAuth 2.0 client credentials), exchanged at the token
    /// endpoint for an access token the client caches until it expires.
    OAuth {
        /// The access key id (`ack_...`).
        client_id: String,
        client_secret: Secret,
        /// The scopes to ask for, space-separated.
        scope: String,
    },
}

/// The OAuth scope asked for when the options name none: the payment
/// gateway, which holds the Payment Setup API.
pub const DEFAULT_SCOPE: &str = "gateway";

/// A checkout.com account, as the client uses it. `Debug` never shows the
/// key or the client secret, nor a URL's password.
#[derive(Clone)]
pub struct Config {
    pub credentials: Credentials,
    /// `None`: the environment of the secret key (`sk_sbox_...` is the
    /// sandbox, `sk_...` production). Required with OAuth credentials.
    pub environment: Option<Environment>,
    /// The account's prefix, the first eight characters of its client id
    /// without `cli_` (`vkuhvk4v` for `https://vkuhvk4v.api.checkout.com`).
    pub prefix: Option<String>,
    /// A base URL that replaces the prefix's (e.g. the bundled sandbox on
    /// loopback).
    pub endpoint: Option<String>,
    /// A token endpoint that replaces the environment's (OAuth only).
    pub access_url: Option<String>,
    /// The processing channel (`pc_...`) a payment setup gets when it names
    /// none itself.
    pub processing_channel_id: Option<String>,
    /// The options every API shares: timeouts, CA file, User-Agent
    /// suffix, proxy, pool, body logging ([`Connection::KEYS`]).
    pub connection: Connection,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Every field named, so that a new one is shown only as chosen.
        let Config {
            credentials,
            environment,
            prefix,
            endpoint,
            access_url,
            processing_channel_id,
            connection,
        } = self;
        f.debug_struct("Config")
            .field("credentials", credentials)
            .field("environment", environment)
            .field("prefix", prefix)
            .field("endpoint", &endpoint.as_deref().map(DebugUrl))
            .field("access_url", &access_url.as_deref().map(DebugUrl))
            .field("processing_channel_id", processing_channel_id)
            .field("connection", connection)
            .finish()
    }
}

/// The keys [`Config::from_json`] reads, before [`Connection::KEYS`].
const KEYS: [&str; 9] = [
    "secret_key",
    "client_id",
    "client_secret",
    "scope",
    "environment",
    "prefix",
    "endpoint",
    "access_url",
    "processing_channel_id",
];

impl Config {
    /// A client of the account at `prefix` with a secret key; its
    /// environment follows from the key.
    pub fn with_secret_key(key: impl Into<Secret>, prefix: impl Into<String>) -> Config {
        Config::new(Credentials::SecretKey(key.into()), Some(prefix.into()))
    }

    /// A client of the account at `prefix` in `environment` with OAuth
    /// client credentials (an access key id and secret).
    pub fn with_oauth(
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
        environment: Environment,
        prefix: impl Into<String>,
    ) -> Config {
        let mut config = Config::new(
            Credentials::OAuth {
                client_id: client_id.into(),
                client_secret: client_secret.into(),
                scope: DEFAULT_SCOPE.into(),
            },
            Some(prefix.into()),
        );
        config.environment = Some(environment);
        config
    }

    fn new(credentials: Credentials, prefix: Option<String>) -> Config {
        Config {
            credentials,
            environment: None,
            prefix,
            endpoint: None,
            access_url: None,
            processing_channel_id: None,
            connection: Connection::default(),
        }
    }

    /// Reads the options object the C and PHP skins take: `secret_key`, or
    /// `client_id` and `client_secret` (and optionally `scope`, default
    /// `"gateway"`); `prefix` (or `endpoint`, a base URL that replaces it);
    /// and optionally `environment` (`"sandbox"` or `"production"`; by
    /// default the secret key's, required with OAuth), `access_url`,
    /// `processing_channel_id`, and the connection options every API takes
    /// ([`Connection::KEYS`]). Unknown keys are refused: they are usually
    /// typos. Everything is checked here; nothing is sent.
    pub fn from_json(options: &Value) -> Result<Config> {
        let keys: Vec<&str> = KEYS.iter().chain(&Connection::KEYS).copied().collect();
        let options = Options::new(options, &keys)?;
        let secret_key = options.secret("secret_key")?;
        let client_id = options.text("client_id")?;
        let client_secret = options.secret("client_secret")?;
        let scope = options.text("scope")?;
        let credentials = match (secret_key, client_id, client_secret) {
            (Some(_), Some(_), _) | (Some(_), _, Some(_)) => {
                return Err(Error::Config(
                    "give secret_key, or client_id and client_secret, not both".into(),
                ))
            }
            (Some(key), None, None) => {
                if scope.is_some() {
                    return Err(Error::Config(
                        "option scope is for OAuth (client_id and client_secret); a secret key has no scope".into(),
                    ));
                }
                Credentials::SecretKey(key)
            }
            (None, Some(client_id), Some(client_secret)) => Credentials::OAuth {
                client_id,
                client_secret,
                scope: scope.unwrap_or_else(|| DEFAULT_SCOPE.into()),
            },
            (None, Some(_), None) => {
                return Err(Error::Config(
                    "option client_secret is required with client_id".into(),
                ))
            }
            (None, None, Some(_)) => {
                return Err(Error::Config(
                    "option client_id is required with client_secret".into(),
                ))
            }
            (None, None, None) => {
                return Err(Error::Config(
                    "option secret_key is required (or client_id and client_secret for OAuth)"
                        .into(),
                ))
            }
        };
        let mut config = Config::new(credentials, options.text("prefix")?);
        config.environment = options
            .text("environment")?
            .map(|e| Environment::parse(&e))
            .transpose()?;
        config.endpoint = options.text("endpoint")?;
        config.access_url = options.text("access_url")?;
        config.processing_channel_id = options.text("processing_channel_id")?;
        config.connection = Connection::from_options(&options)?;
        config.check()?;
        Ok(config)
    }

    /// The environment: the one given, else the secret key's.
    pub fn environment(&self) -> Result<Environment> {
        if let Some(environment) = self.environment {
            return Ok(environment);
        }
        match &self.credentials {
            Credentials::SecretKey(key) => Ok(key_environment(key.expose())?),
            Credentials::OAuth { .. } => Err(Error::Config(
                "option environment is required with OAuth credentials: \"sandbox\" or \"production\""
                    .into(),
            )),
        }
    }

    /// The API's base URL: `endpoint` when given, else the prefix's in the
    /// environment.
    pub fn base_url(&self) -> Result<String> {
        if let Some(endpoint) = &self.endpoint {
            return Ok(endpoint.trim_end_matches('/').to_string());
        }
        let prefix = self.prefix.as_deref().ok_or_else(|| {
            Error::Config(
                "option prefix is required: the first eight characters of the account's client id without cli_ (or give endpoint)".into(),
            )
        })?;
        Ok(self.environment()?.base_url(prefix))
    }

    /// The OAuth token endpoint: `access_url` when given (checked as an
    /// endpoint is, and named in the error), else the environment's.
    pub fn access_url(&self) -> Result<String> {
        match &self.access_url {
            Some(url) => {
                crate::validate::url::endpoint(url)
                    .map_err(|why| Error::Config(format!("access_url {why}")))?;
                Ok(url.clone())
            }
            None => Ok(self.environment()?.access_url().to_string()),
        }
    }

    /// Checks what can be checked before any call.
    pub(crate) fn check(&self) -> Result<()> {
        match &self.credentials {
            Credentials::SecretKey(key) => {
                key_environment(key.expose())?;
                if self.access_url.is_some() {
                    return Err(Error::Config(
                        "option access_url is for OAuth (client_id and client_secret); a secret key needs no token endpoint".into(),
                    ));
                }
            }
            Credentials::OAuth {
                client_id,
                client_secret,
                scope,
            } => {
                if client_id.trim().is_empty() {
                    return Err(Error::Config("the client_id is empty".into()));
                }
                // Sent as the user name of HTTP Basic to the token endpoint,
                // form-encoded: a ':' goes as "%3A".
                crate::connection::check_client_id("client_id", client_id)?;
                if client_secret.is_empty() {
                    return Err(Error::Config("the client_secret is empty".into()));
                }
                crate::connection::check_secret_option("client_secret", client_secret)?;
                if scope.trim().is_empty()
                    || scope.chars().any(|c| c.is_control())
                    || scope.len() > crate::connection::MAX_TEXT_OPTION
                {
                    return Err(Error::Config(
                        "the scope must be one or more scope names separated by spaces, at most 1024 bytes".into(),
                    ));
                }
            }
        }
        if let Some(prefix) = &self.prefix {
            let well_formed = prefix.len() == 8
                && prefix
                    .bytes()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
            if !well_formed {
                return Err(Error::Config(format!(
                    "prefix {} is not eight lower-case letters and digits; it is the first eight characters of the account's client id without cli_ (see the base URL in the Dashboard)",
                    quote(prefix)
                )));
            }
        }
        if let Some(channel) = &self.processing_channel_id {
            if !is_processing_channel_id(channel) {
                return Err(Error::Config(format!(
                    "processing_channel_id {} is not pc_ followed by 26 letters and digits",
                    quote(channel)
                )));
            }
        }
        self.environment()?;
        self.base_url()?;
        self.connection.check()
    }
}

/// `pc_` and 26 word characters, as the API's schema says.
pub(crate) fn is_processing_channel_id(text: &str) -> bool {
    text.strip_prefix("pc_").is_some_and(|rest| {
        rest.len() == 26 && rest.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_')
    })
}

/// The environment a secret key belongs to, from its form
/// `sk_[sbox_]` + 26 base32 characters + one check character. The error
/// says what the text looks like instead, never the text itself.
fn key_environment(key: &str) -> Result<Environment> {
    let (environment, rest) = match key.strip_prefix("sk_sbox_") {
        Some(rest) => (Environment::Sandbox, rest),
        None => (
            Environment::Production,
            key.strip_prefix("sk_").unwrap_or_default(),
        ),
    };
    let base32 = |c: u8| c.is_ascii_lowercase() || (b'2'..=b'7').contains(&c);
    let well_formed = rest.len() == 27
        && rest.bytes().take(26).all(base32)
        && rest
            .bytes()
            .last()
            .is_some_and(|c| base32(c) || b"*#$=".contains(&c));
    if well_formed {
        return Ok(environment);
    }
    // A line end pasted with a good key says so, not that the key is bad.
    if let Some(why) = crate::connection::secret_problem(key) {
        return Err(Error::Config(format!("the secret_key {why}")));
    }
    let why = if key.starts_with("pk_") {
        "is a public key (pk_...); the server needs the secret key (sk_... or sk_sbox_...)"
    } else if key.starts_with("sk_test_") || (key.starts_with("sk_") && key.contains('-')) {
        "looks like a key of a previous (ABC) account; the Payment Setup API needs a secret key of the current platform: sk_... or sk_sbox_..."
    } else if key.trim().is_empty() {
        "is empty"
    } else {
        "is not a checkout.com secret key: sk_ (production) or sk_sbox_ (sandbox) followed by 27 characters"
    };
    Err(Error::Config(format!("the secret_key {why}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const SANDBOX_KEY: &str = "sk_sbox_m73dzbpy7cf3gfd46xr4yj5xo4e";
    const LIVE_KEY: &str = "sk_m73dzbpy7cf3gfd46xr4yj5xo4e";

    #[test]
    fn the_environment_follows_from_the_key_unless_given() {
        let config =
            Config::from_json(&json!({"secret_key": SANDBOX_KEY, "prefix": "vkuhvk4v"})).unwrap();
        assert_eq!(config.environment().unwrap(), Environment::Sandbox);
        assert_eq!(
            config.base_url().unwrap(),
            "https://vkuhvk4v.api.sandbox.checkout.com"
        );
        let config =
            Config::from_json(&json!({"secret_key": LIVE_KEY, "prefix": "vkuhvk4v"})).unwrap();
        assert_eq!(
            config.base_url().unwrap(),
            "https://vkuhvk4v.api.checkout.com"
        );
        let config = Config::from_json(
            &json!({"secret_key": LIVE_KEY, "prefix": "vkuhvk4v", "environment": "sandbox"}),
        )
        .unwrap();
        assert_eq!(config.environment().unwrap(), Environment::Sandbox);
    }

    #[test]
    fn a_malformed_key_is_refused_without_printing_it() {
        for (key, says) in [
            (
                "sk_test_8d4a3b2c-1111-2222-3333-444455556666",
                "previous (ABC)",
            ),
            ("pk_sbox_m73dzbpy7cf3gfd46xr4yj5xo4e", "public key"),
            ("sk_sbox_short", "not a checkout.com secret key"),
            (
                "sk_sbox_M73DZBPY7CF3GFD46XR4YJ5XO4E",
                "not a checkout.com secret key",
            ),
            (
                "sk_sbox_m73dzbpy7cf3gfd46xr4yj5xo4e\n",
                "has a control character (a line end copied with it?)",
            ),
            ("sk_test_8d4a3b2c\r\n", "has a control character"),
            ("   ", "is only spaces"),
            ("", "is empty"),
        ] {
            let err = Config::from_json(&json!({"secret_key": key, "prefix": "vkuhvk4v"}))
                .unwrap_err()
                .to_string();
            assert!(err.contains(says), "{key}: {err}");
            assert!(key.trim().is_empty() || !err.contains(key), "{err}");
        }
    }

    #[test]
    fn oauth_needs_both_halves_and_an_environment() {
        let base = json!({"client_id": "ack_x", "client_secret": "s", "prefix": "vkuhvk4v"});
        let err = Config::from_json(&base).unwrap_err().to_string();
        assert!(err.contains("environment is required"), "{err}");
        let mut options = base.clone();
        options["environment"] = json!("production");
        let config = Config::from_json(&options).unwrap();
        assert_eq!(
            config.access_url().unwrap(),
            "https://access.checkout.com/connect/token"
        );
        options["environment"] = json!("sandbox");
        let config = Config::from_json(&options).unwrap();
        assert_eq!(
            config.access_url().unwrap(),
            "https://access.sandbox.checkout.com/connect/token"
        );
        let err = Config::from_json(&json!({"client_id": "ack_x", "prefix": "vkuhvk4v"}))
            .unwrap_err()
            .to_string();
        assert!(err.contains("client_secret is required"), "{err}");
        let err = Config::from_json(
            &json!({"client_id": "a", "client_secret": "b", "secret_key": SANDBOX_KEY}),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("not both"), "{err}");
    }

    #[test]
    fn prefix_and_channel_are_checked() {
        let err = Config::from_json(&json!({"secret_key": SANDBOX_KEY}))
            .unwrap_err()
            .to_string();
        assert!(err.contains("option prefix is required"), "{err}");
        let err = Config::from_json(&json!({"secret_key": SANDBOX_KEY, "prefix": "https://x"}))
            .unwrap_err()
            .to_string();
        assert!(err.contains("eight lower-case"), "{err}");
        let err = Config::from_json(&json!({"secret_key": SANDBOX_KEY, "prefix": "vkuhvk4v",
            "processing_channel_id": "pc_short"}))
        .unwrap_err()
        .to_string();
        assert!(err.contains("pc_short"), "{err}");
        let config = Config::from_json(&json!({"secret_key": SANDBOX_KEY,
            "endpoint": "http://127.0.0.1:9/", "processing_channel_id": "pc_wzjki6hw5puepb5fnvqlizj2e4"}))
        .unwrap();
        assert_eq!(config.base_url().unwrap(), "http://127.0.0.1:9");
    }

    #[test]
    fn unknown_options_and_misplaced_ones_are_refused() {
        let err = Config::from_json(
            &json!({"secret_key": SANDBOX_KEY, "prefix": "vkuhvk4v", "secretkey": 1}),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("unknown option \"secretkey\""), "{err}");
        let err = Config::from_json(&json!({"secret_key": SANDBOX_KEY, "prefix": "vkuhvk4v",
            "access_url": "https://access.checkout.com/connect/token"}))
        .unwrap_err()
        .to_string();
        assert!(err.contains("access_url is for OAuth"), "{err}");
        // A bad one is named as what it is, never quoted with its password.
        let err = Config::from_json(&json!({
            "client_id": "ack_x", "client_secret": "s3cr3t-s3cr3t", "environment": "sandbox", "prefix": "abcdefgh",
            "access_url": "https://user:hunter2@access.example/connect/token"}))
        .and_then(|config| config.access_url())
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("access_url") && !err.contains("endpoint"),
            "{err}"
        );
        assert!(!err.contains("hunter2"), "{err}");
    }

    #[test]
    fn oauth_credentials_that_cannot_be_right_are_refused() {
        let refused = |client_id: &str, client_secret: &str| {
            Config::from_json(
                &json!({"client_id": client_id, "client_secret": client_secret,
                "environment": "sandbox", "prefix": "vkuhvk4v"}),
            )
            .unwrap_err()
            .to_string()
        };
        let text = refused("ack_x\nS3CR3T", "s");
        assert!(
            text.contains("client_id has a control character at byte 5")
                && !text.contains("S3CR3T"),
            "{text}"
        );
        // A ':' is carried: Basic sends the client id form-encoded.
        let config = json!({"client_id": "ack:x", "client_secret": "s",
            "environment": "sandbox", "prefix": "vkuhvk4v"});
        assert!(Config::from_json(&config).is_ok());
        assert!(refused(&"a".repeat(10 << 20), "s").len() < 300);
        let text = refused("ack_x", &"S3CR3T".repeat(1000));
        assert!(
            text.contains("client_secret") && !text.contains("S3CR3T"),
            "{text}"
        );
        assert!(refused("ack_x", "S3CR3T\r\n").contains("control character"));
    }

    #[test]
    fn debug_hides_the_secrets() {
        let config =
            Config::from_json(&json!({"secret_key": SANDBOX_KEY, "prefix": "vkuhvk4v"})).unwrap();
        assert!(!format!("{config:?}").contains(SANDBOX_KEY));
        let mut config = Config::with_oauth("ack_x", "hush-hush", Environment::Sandbox, "vkuhvk4v");
        assert!(!format!("{config:?}").contains("hush-hush"));
        // Passwords in the URLs, before the client refuses them.
        config.endpoint = Some("https://u:hunter2@h.example".into());
        config.access_url = Some("https://u:hunter3@h.example/connect/token".into());
        let text = format!("{config:?}");
        assert!(
            !text.contains("hunter2") && !text.contains("hunter3"),
            "{text}"
        );
        assert!(
            text.contains("\"https://***@h.example/connect/token\""),
            "{text}"
        );
    }
}
