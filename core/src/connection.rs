//! How every client connects, whatever the API (timeouts, trusted CAs, the
//! User-Agent suffix), and the options object every API's configuration is
//! read from.

use crate::error::{Error, Result};
use crate::redact::Secret;
use serde_json::Value;
use std::path::PathBuf;
use std::time::Duration;

/// How every client connects, whatever the API: timeouts, trusted CAs and
/// the User-Agent suffix. Each API's configuration embeds one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connection {
    /// Time allowed to open the connection (TCP and TLS).
    pub connect_timeout: Duration,
    /// Time allowed for a whole call, retries included.
    pub timeout: Duration,
    /// A PEM file of CA certificates to trust instead of the built-in roots.
    pub ca_file: Option<PathBuf>,
    /// Appended to the `User-Agent`, e.g. `"woocommerce-sequra/3.1 PHP/8.2"`.
    pub user_agent: Option<String>,
}

pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Longer than any sane checkout call; a bigger value is a unit mistake.
const MAX_TIMEOUT: Duration = Duration::from_secs(600);

impl Default for Connection {
    fn default() -> Self {
        Connection {
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            ca_file: None,
            user_agent: None,
        }
    }
}

impl Connection {
    /// The option keys [`Connection::from_options`] reads; every API's
    /// options object accepts them.
    pub const KEYS: [&'static str; 4] = ["connect_timeout", "timeout", "ca_file", "user_agent"];

    /// Reads `connect_timeout` and `timeout` (seconds, may be fractional),
    /// `ca_file` and `user_agent`, each optional.
    pub(crate) fn from_options(options: &Options<'_>) -> Result<Connection> {
        Ok(Connection {
            connect_timeout: options.seconds("connect_timeout", DEFAULT_CONNECT_TIMEOUT)?,
            timeout: options.seconds("timeout", DEFAULT_TIMEOUT)?,
            ca_file: options.text("ca_file")?.map(PathBuf::from),
            user_agent: options.text("user_agent")?,
        })
    }

    /// Checks what can be checked before any call.
    pub(crate) fn check(&self) -> Result<()> {
        for (name, value) in [
            ("connect_timeout", self.connect_timeout),
            ("timeout", self.timeout),
        ] {
            if value.is_zero() || value > MAX_TIMEOUT {
                return Err(Error::Config(format!(
                    "{name} is {value:?}; use more than 0 and at most {MAX_TIMEOUT:?}"
                )));
            }
        }
        if let Some(agent) = &self.user_agent {
            if agent.chars().any(|c| c.is_control()) {
                return Err(Error::Config("user_agent has a control character".into()));
            }
        }
        Ok(())
    }
}

/// An options object as the C and PHP skins pass it: a JSON object whose
/// keys are checked against a list (unknown keys are usually typos) and
/// read with clear configuration errors. Every API's `from_json` uses it.
pub(crate) struct Options<'a> {
    object: &'a serde_json::Map<String, Value>,
}

impl<'a> Options<'a> {
    /// `value` must be an object whose keys are all in `keys`.
    pub fn new(value: &'a Value, keys: &[&str]) -> Result<Options<'a>> {
        let object = value
            .as_object()
            .ok_or_else(|| Error::Config("the options must be an object".into()))?;
        if let Some(unknown) = object.keys().find(|k| !keys.contains(&k.as_str())) {
            return Err(Error::Config(format!(
                "unknown option {unknown:?}; the options are {}",
                keys.join(", ")
            )));
        }
        Ok(Options { object })
    }

    /// The value at `key`, unless absent or null.
    pub fn get(&self, key: &str) -> Option<&'a Value> {
        self.object.get(key).filter(|v| !v.is_null())
    }

    pub fn text(&self, key: &str) -> Result<Option<String>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(Error::Config(format!("option {key} must be a string"))),
        }
    }

    pub fn required(&self, key: &str) -> Result<String> {
        self.text(key)?
            .ok_or_else(|| Error::Config(format!("option {key} is required")))
    }

    pub fn secret(&self, key: &str) -> Result<Option<Secret>> {
        Ok(self.text(key)?.map(Secret::new))
    }

    /// A positive number of seconds, may be fractional.
    pub fn seconds(&self, key: &str, default: Duration) -> Result<Duration> {
        match self.get(key) {
            None => Ok(default),
            Some(value) => value
                .as_f64()
                .filter(|s| s.is_finite() && *s > 0.0)
                .map(Duration::from_secs_f64)
                .ok_or_else(|| {
                    Error::Config(format!("option {key} must be a positive number of seconds"))
                }),
        }
    }
}
