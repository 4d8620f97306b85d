//! How every client connects, whatever the API (timeouts, trusted CAs, the
//! User-Agent suffix, a proxy, the per-process pool, where log records
//! go), and the options object every API's configuration is read from.

use crate::error::{Error, Result};
use crate::log::Sink;
use crate::redact::{excerpt, quote, Secret};
use crate::validate::text::line_problem;
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
    /// request); see [`pool_stats`]. A checkout.com OAuth token is then the
    /// process's too, shared by the clients of the same credentials. Off by
    /// default.
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
/// Shorter than any round trip; a smaller value (`1e-9`, a unit mistake
/// the other way) would fail every call.
const MIN_TIMEOUT: Duration = Duration::from_millis(1);
/// The range of a timeout, as messages give it: "from 0.001 to 600".
fn timeout_range() -> String {
    format!(
        "from {} to {}",
        MIN_TIMEOUT.as_secs_f64(),
        MAX_TIMEOUT.as_secs_f64()
    )
}

/// The longest id or user name an option may hold (a merchant id, a user
/// name, a MAC id, a client id): longer is a paste gone wrong, and would
/// go into every request.
pub(crate) const MAX_ID_OPTION: usize = 255;
/// The longest secret or free text an option may hold (a password, a
/// secret, the User-Agent suffix).
pub(crate) const MAX_TEXT_OPTION: usize = 1024;
/// The longest `proxy` URL.
const MAX_PROXY: usize = 2048;

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
    /// The option keys `Connection::from_options` reads; every API's
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
            if !(MIN_TIMEOUT..=MAX_TIMEOUT).contains(&value) {
                return Err(Error::Config(format!(
                    "{name} is {value:?}; use {} seconds",
                    timeout_range()
                )));
            }
        }
        if let Some(agent) = &self.user_agent {
            check_user_agent(agent)?;
        }
        if let Some(proxy) = &self.proxy {
            check_proxy(proxy.expose())?;
        }
        Ok(())
    }
}

/// The `user_agent` suffix, checked before any call: what RFC 9110 (10.1.5)
/// lets a User-Agent hold, products (`name/version`) and `(comments)`
/// separated by spaces, in ASCII. A server or proxy may refuse anything
/// else, or read it differently; it is refused here rather than mended.
fn check_user_agent(agent: &str) -> Result<()> {
    const EXAMPLE: &str = "e.g. \"woocommerce-sequra/3.1 PHP/8.2 (WordPress 6.5)\"";
    let refuse = |why: String| {
        Err(Error::Config(format!(
            "user_agent {} {why}; give the shop's products, {EXAMPLE}, or leave it out",
            quote(agent)
        )))
    };
    if agent.len() > MAX_TEXT_OPTION {
        return refuse(format!("is longer than {MAX_TEXT_OPTION} bytes"));
    }
    if agent.trim().is_empty() {
        return refuse("is empty".into());
    }
    if let Some((at, c)) = agent
        .char_indices()
        .find(|&(_, c)| !(c == ' ' || c.is_ascii_graphic()))
    {
        let what = if c.is_control() {
            "a control character"
        } else {
            "a character"
        };
        return refuse(format!("has {what} {c:?} at byte {at}: a header is ASCII"));
    }
    if agent.starts_with(' ') || agent.ends_with(' ') {
        return refuse("starts or ends with a space".into());
    }
    let is_tchar = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
    let bytes = agent.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b' ' => at += 1,
            b'(' => {
                // A comment: nested ones, and \-escaped bytes, allowed.
                let mut depth = 0;
                loop {
                    match bytes.get(at) {
                        None => return refuse("has a comment '(' that is not closed".into()),
                        Some(b'(') => depth += 1,
                        Some(b')') => depth -= 1,
                        Some(b'\\') => at += 1,
                        Some(_) => {}
                    }
                    at += 1;
                    if depth == 0 {
                        break;
                    }
                }
            }
            _ => {
                // A product: a token, then optionally "/" and a token.
                let start = at;
                while at < bytes.len() && is_tchar(bytes[at]) {
                    at += 1;
                }
                if at > start && bytes.get(at) == Some(&b'/') {
                    at += 1;
                    let version = at;
                    while at < bytes.len() && is_tchar(bytes[at]) {
                        at += 1;
                    }
                    if at == version {
                        return refuse(format!("has no version after the '/' at byte {}", at - 1));
                    }
                }
                if at == start || !matches!(bytes.get(at), None | Some(b' ')) {
                    let c = char::from(bytes[at]);
                    return refuse(format!(
                        "has {c:?} at byte {at}, where a product (name/version) or a (comment) goes"
                    ));
                }
            }
        }
    }
    Ok(())
}

/// What the proxy URL's text says, checked before any call: bounded, one
/// line, an http(s) URL (`validate::url`'s reading) with a host and a port
/// that is a port. Never quoted: it may hold a password.
fn check_proxy(proxy: &str) -> Result<()> {
    use crate::validate::url::{self, Why};
    let bad = |why: &str| {
        Error::Config(format!(
            "the proxy option {why} (not quoted here: it may hold a password)"
        ))
    };
    if proxy.len() > MAX_PROXY {
        return Err(bad(&format!("is longer than {MAX_PROXY} bytes")));
    }
    if proxy.chars().any(char::is_control) {
        return Err(bad("has a control character"));
    }
    match url::parse(proxy) {
        Ok(_) => Ok(()),
        Err(Why::NotAbsolute | Why::NotHttp) => Err(bad(
            "must be an http:// or https:// URL of an HTTP CONNECT proxy",
        )),
        Err(Why::NoHost) => Err(bad("is not a valid URL: it has no host")),
        Err(Why::BadPort) => Err(bad("has a port that is not a number from 1 to 65535")),
        Err(_) => Err(bad("is not a valid URL: write it percent-encoded")),
    }
}

/// An id or user name option (`name` names it): at most
/// [`MAX_ID_OPTION`] bytes, no control character, and no space at either
/// end (copied with it; the server would answer 401 or 403 for an id that
/// names no one, far from where it was set).
pub(crate) fn check_id_option(name: &str, value: &str) -> Result<()> {
    let why = line_problem(value, MAX_ID_OPTION).or_else(|| edge_space(value));
    match why {
        Some(why) => Err(Error::Config(format!("{name} {why}; copy it again"))),
        None => Ok(()),
    }
}

/// The problem of an id with a space (or any white space) at either end.
pub(crate) fn edge_space(value: &str) -> Option<String> {
    (value.trim() != value).then(|| "has a space at its start or end".to_string())
}

/// The user name of HTTP Basic authentication: at most [`MAX_ID_OPTION`]
/// bytes, no control character and no ':', which ends the user name on the
/// wire (the rest would be read as the password). Never quoted: a ':' or a
/// line end in it is usually `user:password` pasted whole, so its bytes may
/// be the password; the problem says where it is instead.
pub(crate) fn check_basic_username(name: &str, value: &str) -> Result<()> {
    check_credential_id(name, value, true)
}

/// An OAuth client id, checked as [`check_basic_username`] but for a ':',
/// which Basic carries form-encoded (RFC 6749, 2.3.1).
pub(crate) fn check_client_id(name: &str, value: &str) -> Result<()> {
    check_credential_id(name, value, false)
}

fn check_credential_id(name: &str, value: &str, no_colon: bool) -> Result<()> {
    let why = if value.len() > MAX_ID_OPTION {
        format!("is {} bytes, longer than {MAX_ID_OPTION}", value.len())
    } else {
        // The first ':' or control character: where the user name pasted
        // ends, so that its place tells nothing of what follows.
        match value.find(|c: char| (no_colon && c == ':') || c.is_control()) {
            Some(at) if value[at..].starts_with(':') => format!(
                "has a ':' at byte {at} (a password pasted with it?), which HTTP Basic authentication cannot carry in a user name"
            ),
            Some(at) => format!(
                "has a control character at byte {at} (a line end or a password pasted with it?)"
            ),
            None => match edge_space(value) {
                Some(why) => why,
                None => return Ok(()),
            },
        }
    };
    Err(Error::Config(format!(
        "{name} {why}; copy it again (not quoted here: it may hold a password)"
    )))
}

/// What is wrong with a secret (a password, a MAC or webhook secret, a
/// payment token), `None` when nothing: more than [`MAX_TEXT_OPTION`]
/// bytes, a control character (a line end copied with it is the usual
/// one), or only spaces (a blank field of a settings page, which the
/// server would answer with a 401 far from here). The one check of every
/// secret's text; it never quotes the secret. Empty is the caller's to
/// name.
pub(crate) fn secret_problem(value: &str) -> Option<String> {
    let why = if value.len() > MAX_TEXT_OPTION {
        format!("is {} bytes, longer than {MAX_TEXT_OPTION}", value.len())
    } else if value.chars().any(char::is_control) {
        "has a control character (a line end copied with it?)".to_string()
    } else if !value.is_empty() && value.trim().is_empty() {
        "is only spaces".to_string()
    } else {
        return None;
    };
    Some(format!(
        "{why}; copy it again (not quoted here: it is a secret)"
    ))
}

/// A secret option (`name` names it): [`secret_problem`]'s check, as a
/// configuration error.
pub(crate) fn check_secret_option(name: &str, value: &Secret) -> Result<()> {
    match secret_problem(value.expose()) {
        Some(why) => Err(Error::Config(format!("{name} {why}"))),
        None => Ok(()),
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

    /// A number of seconds, may be fractional: from [`MIN_TIMEOUT`] to
    /// [`MAX_TIMEOUT`]. The number is checked before it becomes a
    /// `Duration`, which cannot hold `1e300`.
    pub fn seconds(&self, key: &str, default: Duration) -> Result<Duration> {
        let Some(value) = self.get(key) else {
            return Ok(default);
        };
        value
            .as_f64()
            .filter(|s| s.is_finite())
            .and_then(|s| Duration::try_from_secs_f64(s).ok())
            .filter(|d| (MIN_TIMEOUT..=MAX_TIMEOUT).contains(d))
            .ok_or_else(|| {
                Error::Config(format!(
                    "option {key} is {}; use a number of seconds {}",
                    excerpt(value.to_string().as_bytes()),
                    timeout_range(),
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
            json!(1e-300),
            json!(0.0009),
            json!("5"),
        ] {
            let err = seconds(bad.clone()).unwrap_err();
            assert_eq!(err.kind(), crate::ErrorKind::Config, "{bad}");
            let text = err.to_string();
            assert!(
                text.contains("option timeout") && text.contains("from 0.001 to 600"),
                "{text}"
            );
        }
        assert_eq!(seconds(json!(0.25)).unwrap(), Duration::from_millis(250));
        assert_eq!(seconds(json!(0.001)).unwrap(), MIN_TIMEOUT);
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
    fn a_user_agent_is_products_and_comments_in_ascii() {
        let check = |agent: &str| {
            Connection {
                user_agent: Some(agent.into()),
                ..Connection::default()
            }
            .check()
        };
        for fine in [
            "woocommerce-sequra/3.1 PHP/8.2",
            "PrestaShop/8.1.2 (Linux; PHP 8.3) sequra-module/2.0",
            "shop (a (nested) comment with \\) escaped)",
            "x",
            "a/b  c",
        ] {
            assert!(check(fine).is_ok(), "{fine}: {:?}", check(fine));
        }
        for (bad, says) in [
            ("", "is empty"),
            ("   ", "is empty"),
            ("tienda-españa/1.0", "'ñ' at byte 11: a header is ASCII"),
            ("shop\ttab", "a control character '\\t' at byte 4"),
            ("shop (unclosed", "'(' that is not closed"),
            ("shop) x", "')' at byte 4, where a product"),
            ("shop/", "no version after the '/' at byte 4"),
            ("WooCommerce/8.0; PHP/8.2", "';' at byte 15"),
            ("a/b/c", "'/' at byte 3"),
            (" shop/1", "starts or ends with a space"),
            ("shop/1 ", "starts or ends with a space"),
        ] {
            let err = check(bad).unwrap_err();
            let text = err.to_string();
            assert_eq!(err.kind(), crate::ErrorKind::Config, "{text}");
            assert!(
                text.starts_with("configuration: user_agent ") && text.contains(says),
                "{bad:?}: {text}"
            );
        }
    }

    #[test]
    fn a_long_user_agent_is_refused_and_quoted_short() {
        let connection = Connection {
            user_agent: Some("a".repeat(10 << 20)),
            ..Connection::default()
        };
        let text = connection.check().unwrap_err().to_string();
        assert!(
            text.contains("user_agent") && text.contains("1024"),
            "{text}"
        );
        assert!(text.len() < 300, "{}", text.len());
        let fine = Connection {
            user_agent: Some("woocommerce-sequra/3.1 PHP/8.2".into()),
            ..Connection::default()
        };
        assert!(fine.check().is_ok());
    }

    #[test]
    fn a_proxy_port_out_of_range_is_a_config_error_naming_proxy_not_its_password() {
        let check = |url: &str| {
            Connection {
                proxy: Some(Secret::new(url)),
                ..Connection::default()
            }
            .check()
        };
        for bad in [
            "http://u:S3CR3T@127.0.0.1:99999",
            "http://u:S3CR3T@127.0.0.1:0",
            "http://u:S3CR3T@127.0.0.1:-1",
            "http://u:S3CR3T@127.0.0.1:x",
            "http://u:S3CR3T@[::1]:70000",
            "http://u:S3CR3T@/",
            "u:S3CR3T@proxy:3128",
            "ftp://u:S3CR3T@proxy:3128",
            "http://u:S3CR3T@pro xy:3128",
        ] {
            let err = check(bad).unwrap_err();
            assert_eq!(err.kind(), crate::ErrorKind::Config, "{bad}");
            let text = err.to_string();
            assert!(text.contains("proxy"), "{bad}: {text}");
            assert!(!text.contains("S3CR3T"), "{bad}: {text}");
        }
        assert!(check(&format!("http://{}", "p".repeat(10 << 20)))
            .unwrap_err()
            .to_string()
            .contains("longer than 2048"));
        for good in [
            "http://u:pw@127.0.0.1:3128",
            "https://proxy.example",
            "http://[::1]:8080/",
            "http://u:p:w@proxy:65535",
        ] {
            assert!(check(good).is_ok(), "{good}");
        }
    }

    #[test]
    fn credential_options_are_bounded_and_a_secret_never_quoted() {
        let long = "i".repeat(10 << 20);
        let text = check_id_option("mac_id", &long).unwrap_err().to_string();
        assert!(text.starts_with("configuration: mac_id \"iii"), "{text}");
        assert!(text.len() < 300, "{}", text.len());
        assert!(check_id_option("mac_id", &"i".repeat(255)).is_ok());
        for bad in ["pw\n", "p\rw", "p\0w", &"S3CR3T".repeat(200_000)] {
            let err = check_secret_option("password", &Secret::new(bad)).unwrap_err();
            let text = err.to_string();
            assert!(text.contains("password"), "{text}");
            assert!(!text.contains("S3CR3T") && !text.contains("pw"), "{text}");
        }
        assert!(check_secret_option("password", &Secret::new("p a:s$s")).is_ok());
        assert!(check_secret_option("password", &Secret::new(" pw ")).is_ok());
        for blank in [" ", "   ", "\u{3000}"] {
            let err = check_secret_option("mac_secret", &Secret::new(blank)).unwrap_err();
            assert_eq!(
                err.to_string(),
                "configuration: mac_secret is only spaces; copy it again (not quoted here: it is a secret)"
            );
        }
    }

    #[test]
    fn a_username_problem_names_where_it_is_never_its_bytes() {
        for (bad, why) in [
            ("shop:S3CR3T", "has a ':' at byte 4"),
            ("shop:S3CR3T\n", "has a ':' at byte 4"),
            ("shop\nS3:CR3T", "has a control character at byte 4"),
            ("shop\nS3CR3T", "has a control character at byte 4"),
            ("s\0S3CR3T", "has a control character at byte 1"),
            ("shop\u{85}S3CR3T", "has a control character at byte 4"),
        ] {
            let err = check_basic_username("username", bad).unwrap_err();
            assert_eq!(err.kind(), crate::ErrorKind::Config, "{bad:?}");
            let text = err.to_string();
            assert!(text.starts_with("configuration: username "), "{text}");
            assert!(text.contains(why), "{bad:?}: {text}");
            assert!(!text.contains("S3CR3T") && !text.contains("shop"), "{text}");
        }
        let long = format!("shop:{}", "S3CR3T".repeat(1 << 20));
        let text = check_basic_username("username", &long)
            .unwrap_err()
            .to_string();
        assert!(
            text.contains("longer than 255") && !text.contains("S3CR3T"),
            "{text}"
        );
        assert!(check_basic_username("username", &"u".repeat(255)).is_ok());
        assert!(check_basic_username("username", "shop-user_1@example.com").is_ok());
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
