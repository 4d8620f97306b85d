//! How every client connects, whatever the API (timeouts, trusted CAs, the
//! User-Agent suffix, a proxy, the per-process pool, where log records
//! go), and the options object every API's configuration is read from.

use crate::error::{Error, Result};
use crate::log::Sink;
use crate::redact::{excerpt, Secret};
use serde_json::Value;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

pub use crate::http::pool::PoolStats;

/// How every client connects, whatever the API. Each API's configuration
/// embeds one.
///
/// Nothing here is read from the environment: `HTTP_PROXY`, `HTTPS_PROXY`,
/// `ALL_PROXY`, `NO_PROXY`, `SSL_CERT_FILE` and the like change nothing
/// (under CGI, `HTTP_PROXY` is whatever a client sent as `Proxy:`).
#[derive(Clone)]
pub struct Connection {
    /// Time allowed to open the connection (TCP and TLS); each try gets at
    /// most what is left of [`Connection::timeout`].
    pub connect_timeout: Duration,
    /// Time allowed for a whole call, retries included.
    pub timeout: Duration,
    /// A PEM file of CA certificates to trust instead of the built-in roots.
    pub ca_file: Option<PathBuf>,
    /// Appended to the `User-Agent`, e.g. `"woocommerce-sequra/3.1 PHP/8.2"`.
    pub user_agent: Option<String>,
    /// An HTTP CONNECT proxy, `http://[user:password@]host:port` (or
    /// `https://`), for https endpoints only. Never echoed in a message.
    pub proxy: Option<Secret>,
    /// Takes the connections from the process-wide pool, so that they
    /// outlive the client (as PDO's persistent connections outlive a PHP
    /// request); see [`pool_stats`]. Off by default.
    pub persistent: bool,
    /// Where this client's log records go; without one they go to the
    /// process-wide sink ([`crate::log::set_global_sink`]). Records always
    /// go to the `log` crate too, target `"sequra"`.
    pub logger: Option<Arc<dyn Sink>>,
    /// Adds the JSON bodies to the debug records, the customer's personal
    /// fields and every credential masked. Off by default.
    pub log_bodies: bool,
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
            proxy: None,
            persistent: false,
            logger: None,
            log_bodies: false,
        }
    }
}

impl fmt::Debug for Connection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connection")
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("ca_file", &self.ca_file)
            .field("user_agent", &self.user_agent)
            .field("proxy", &self.proxy)
            .field("persistent", &self.persistent)
            .field("logger", &self.logger.as_ref().map(|_| "Sink"))
            .field("log_bodies", &self.log_bodies)
            .finish()
    }
}

impl Connection {
    /// The option keys [`Connection::from_options`] reads; every API's
    /// options object accepts them.
    pub const KEYS: [&'static str; 7] = [
        "connect_timeout",
        "timeout",
        "ca_file",
        "user_agent",
        "proxy",
        "persistent",
        "log_bodies",
    ];

    /// Reads `connect_timeout` and `timeout` (seconds, may be fractional),
    /// `ca_file`, `user_agent`, `proxy`, `persistent` and `log_bodies`,
    /// each optional. The logger is not an option: the skins set it.
    pub(crate) fn from_options(options: &Options<'_>) -> Result<Connection> {
        Ok(Connection {
            connect_timeout: options.seconds("connect_timeout", DEFAULT_CONNECT_TIMEOUT)?,
            timeout: options.seconds("timeout", DEFAULT_TIMEOUT)?,
            ca_file: options.text("ca_file")?.map(PathBuf::from),
            user_agent: options.text("user_agent")?,
            proxy: options.secret("proxy")?,
            persistent: options.flag("persistent")?,
            logger: None,
            log_bodies: options.flag("log_bodies")?,
        })
    }

    /// Checks what can be checked before any call (the proxy is checked
    /// with the endpoint it would carry).
    pub(crate) fn check(&self) -> Result<()> {
        for (name, value) in [
            ("connect_timeout", self.connect_timeout),
            ("timeout", self.timeout),
        ] {
            if value.is_zero() || value > MAX_TIMEOUT {
                return Err(Error::Config(format!(
                    "{name} is {value:?}; use more than 0 and at most {} seconds",
                    MAX_TIMEOUT.as_secs()
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

/// What the process-wide pool holds now, for `phpinfo()` and monitoring:
/// see [`Connection::persistent`].
pub fn pool_stats() -> PoolStats {
    crate::http::pool::stats()
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
                "unknown option {}; the options are {}",
                crate::redact::quote(unknown),
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

    /// `true` or `false`; absent means false.
    pub fn flag(&self, key: &str) -> Result<bool> {
        match self.get(key) {
            None => Ok(false),
            Some(Value::Bool(b)) => Ok(*b),
            Some(_) => Err(Error::Config(format!("option {key} must be true or false"))),
        }
    }

    /// A number of seconds, may be fractional: more than 0 and at most
    /// [`MAX_TIMEOUT`]. The number is checked before it becomes a
    /// `Duration`, which cannot hold `1e300`.
    pub fn seconds(&self, key: &str, default: Duration) -> Result<Duration> {
        let Some(value) = self.get(key) else {
            return Ok(default);
        };
        value
            .as_f64()
            .filter(|s| s.is_finite() && *s > 0.0 && *s <= MAX_TIMEOUT.as_secs_f64())
            .and_then(|s| Duration::try_from_secs_f64(s).ok())
            .filter(|d| !d.is_zero())
            .ok_or_else(|| {
                Error::Config(format!(
                    "option {key} is {}; use a number of seconds more than 0 and at most {}",
                    excerpt(value.to_string().as_bytes()),
                    MAX_TIMEOUT.as_secs()
                ))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn seconds(value: Value) -> Result<Duration> {
        let options = json!({ "timeout": value });
        Options::new(&options, &["timeout"])?.seconds("timeout", DEFAULT_TIMEOUT)
    }

    #[test]
    fn timeouts_out_of_range_are_config_errors_naming_the_option() {
        for bad in [
            json!(1e300),
            json!(18446744073709551615u64),
            json!(601),
            json!(0),
            json!(-1),
            json!(1e-12),
            json!("5"),
        ] {
            let err = seconds(bad.clone()).unwrap_err();
            assert_eq!(err.kind(), crate::ErrorKind::Config, "{bad}");
            let text = err.to_string();
            assert!(
                text.contains("option timeout") && text.contains("at most 600"),
                "{text}"
            );
        }
        assert_eq!(seconds(json!(0.25)).unwrap(), Duration::from_millis(250));
        assert_eq!(seconds(json!(600)).unwrap(), MAX_TIMEOUT);
    }

    #[test]
    fn flags_are_booleans() {
        let options = json!({"persistent": true, "log_bodies": "yes"});
        let options = Options::new(&options, &Connection::KEYS).unwrap();
        assert!(options.flag("persistent").unwrap());
        assert!(!options.flag("proxy").unwrap());
        let err = options.flag("log_bodies").unwrap_err();
        assert!(err.to_string().contains("log_bodies"), "{err}");
    }

    #[test]
    fn the_proxy_is_never_in_debug_output() {
        let connection = Connection {
            proxy: Some(Secret::new("http://u:hunter2@proxy:3128")),
            ..Connection::default()
        };
        assert!(!format!("{connection:?}").contains("hunter2"));
    }
}
