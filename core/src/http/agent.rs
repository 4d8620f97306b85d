//! A transport's agent from its [`Connection`]: the proxy, TLS trust
//! ([`tls`]), the pool key.

use super::auth::{feed, Auth};
use super::pool::{Agents, PoolKey, MAX_IDLE_AGE, MAX_IDLE_CONNECTIONS};
use super::tls;
use crate::connection::Connection;
use crate::error::{Error, Result};
use sha2::{Digest, Sha256};
use std::sync::OnceLock;
use ureq::http::Uri;

/// The buffers of a connection, each allocated at its first use and kept
/// while it is pooled: one pair for the socket and, over TLS, another for
/// the plaintext. ureq's 128 KiB each held over half a megabyte per idle
/// connection, which a marketplace's worker, pooling the connections of
/// dozens of merchants, paid for each. The documents sent and read are a
/// few kilobytes; a larger one goes through in more reads and writes.
const INPUT_BUFFER: usize = 32 * 1024;
const OUTPUT_BUFFER: usize = 16 * 1024;
/// An answer's status line and headers, at most: within the input buffer,
/// which must hold them whole.
const MAX_RESPONSE_HEAD: usize = 24 * 1024;
const _: () = assert!(MAX_RESPONSE_HEAD <= INPUT_BUFFER);

/// The agents of a transport to `base` (already checked) with the
/// connection's options. With `persistent`, the agent comes from the
/// per-process registry, unless the credentials cannot be told apart.
pub(super) fn agents(
    base: &Uri,
    connection: &Connection,
    auth: &Auth,
    user_agent: &str,
) -> Result<Agents> {
    let proxy = proxy(base, connection)?;
    let trust = tls::trust(connection.ca_file.as_deref())?;
    let key = if connection.persistent {
        pool_key(base, connection, auth, trust.digest.as_ref(), user_agent)
    } else {
        None
    };
    let proxied = proxy.is_some();
    let config = ureq::Agent::config_builder()
        // Set, never taken from HTTP_PROXY and the like.
        .proxy(proxy)
        .http_status_as_error(false)
        .max_redirects(0)
        .max_redirects_will_error(false)
        .user_agent(user_agent)
        .accept_encoding("identity")
        // A host name's lookup is part of connecting (see resolve.rs).
        .timeout_resolve(Some(connection.connect_timeout))
        .timeout_connect(Some(connection.connect_timeout))
        .timeout_global(Some(connection.timeout))
        .max_idle_age(MAX_IDLE_AGE)
        .max_idle_connections(MAX_IDLE_CONNECTIONS)
        .max_idle_connections_per_host(MAX_IDLE_CONNECTIONS)
        .input_buffer_size(INPUT_BUFFER)
        .output_buffer_size(OUTPUT_BUFFER)
        .max_response_header_size(MAX_RESPONSE_HEAD)
        .build();
    Ok(Agents::new(config, proxied, trust.config, key))
}

/// The User-Agent: the library's, then the connection's suffix.
pub(super) fn user_agent(connection: &Connection) -> String {
    let ours = format!("sequra/{} (Rust; ureq)", crate::VERSION);
    match &connection.user_agent {
        Some(extra) => format!("{ours} {extra}"),
        None => ours,
    }
}

/// The proxy option: an HTTP CONNECT proxy, for https endpoints only (a
/// proxy would read a plain http request and its credentials). Its URL is
/// never quoted: it may hold a password.
fn proxy(base: &Uri, connection: &Connection) -> Result<Option<ureq::Proxy>> {
    let Some(url) = &connection.proxy else {
        return Ok(None);
    };
    if base.scheme_str() != Some("https") {
        return Err(Error::Config(
            "the proxy option is for https endpoints only: through a proxy, a plain http request and its credentials are readable"
                .into(),
        ));
    }
    // Its text was checked with the rest of the connection
    // (`Connection::check`): an http(s) URL with a host and a port.
    ureq::Proxy::new(url.expose()).map(Some).map_err(|_| {
        Error::Config(
            "the proxy option is not a valid URL (not quoted here: it may hold a password)".into(),
        )
    })
}

/// The key of a shared agent: everything that must never be shared,
/// hashed with a secret of this process (so the key of a weak password
/// cannot be looked up). `None` when the credentials cannot be told apart.
fn pool_key(
    base: &Uri,
    connection: &Connection,
    auth: &Auth,
    ca_digest: Option<&[u8; 32]>,
    user_agent: &str,
) -> Option<PoolKey> {
    static SALT: OnceLock<[u8; 32]> = OnceLock::new();
    let salt = SALT.get_or_init(|| {
        let mut salt = [0u8; 32];
        // Without randomness the key is still a one-way hash.
        let _ = getrandom::fill(&mut salt);
        salt
    });
    let mut key = Sha256::new();
    feed(&mut key, salt);
    feed(&mut key, base.scheme_str().unwrap_or_default().as_bytes());
    let authority = base.authority().map(|a| a.as_str()).unwrap_or_default();
    feed(&mut key, authority.to_ascii_lowercase().as_bytes());
    if !auth.identify(&mut key) {
        return None;
    }
    let path = connection
        .ca_file
        .as_ref()
        .map(|p| p.as_os_str().as_encoded_bytes());
    feed(&mut key, path.unwrap_or_default());
    feed(
        &mut key,
        ca_digest.map(|d| d.as_slice()).unwrap_or_default(),
    );
    let proxy = connection.proxy.as_ref().map(|p| p.expose().as_bytes());
    feed(&mut key, proxy.unwrap_or_default());
    feed(
        &mut key,
        &connection.connect_timeout.as_nanos().to_le_bytes(),
    );
    feed(&mut key, &connection.timeout.as_nanos().to_le_bytes());
    feed(&mut key, user_agent.as_bytes());
    Some(key.finalize().into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::redact::Secret;

    struct Anonymous;

    impl super::super::SignRequest for Anonymous {
        fn authorization(&self, _: &str, _: &Uri, _: &[u8]) -> Result<Secret> {
            Ok(Secret::new("x"))
        }
    }

    #[test]
    fn the_pool_key_tells_credentials_apart_and_never_guesses() {
        let base: Uri = "https://example.com".parse().unwrap();
        let connection = Connection::default();
        let key = |auth: &Auth| pool_key(&base, &connection, auth, None, "ua");
        let basic = |password: &str| Auth::Basic {
            username: "u".into(),
            password: Secret::new(password),
        };
        assert_eq!(key(&basic("a")), key(&basic("a")));
        assert_ne!(key(&basic("a")), key(&basic("b")));
        assert_ne!(key(&basic("a")), key(&Auth::Bearer(Secret::new("a"))));
        assert_eq!(key(&Auth::Signed(Box::new(Anonymous))), None);
        let other: Uri = "https://example.com:8443".parse().unwrap();
        assert_ne!(
            key(&basic("a")),
            pool_key(&other, &connection, &basic("a"), None, "ua")
        );
    }

    /// A connection verified against one CA, opened through one proxy or
    /// with other timeouts is never lent to a client that asked for others.
    #[test]
    fn the_pool_key_tells_apart_everything_a_connection_is_made_with() {
        let base: Uri = "https://example.com".parse().unwrap();
        let auth = Auth::Bearer(Secret::new("t"));
        let key = |connection: &Connection, digest: Option<&[u8; 32]>, agent: &str| {
            pool_key(&base, connection, &auth, digest, agent).expect("a key")
        };
        let plain = Connection::default();
        let with = |change: fn(&mut Connection)| {
            let mut connection = Connection::default();
            change(&mut connection);
            connection
        };
        let reference = key(&plain, None, "ua");
        let others = [
            key(&with(|c| c.ca_file = Some("/etc/a.pem".into())), None, "ua"),
            key(&with(|c| c.ca_file = Some("/etc/b.pem".into())), None, "ua"),
            key(&plain, Some(&[1; 32]), "ua"),
            key(&plain, Some(&[2; 32]), "ua"),
            key(
                &with(|c| c.proxy = Some(Secret::new("http://p1:8080"))),
                None,
                "ua",
            ),
            key(
                &with(|c| c.proxy = Some(Secret::new("http://p2:8080"))),
                None,
                "ua",
            ),
            key(&with(|c| c.connect_timeout *= 2), None, "ua"),
            key(&with(|c| c.timeout *= 2), None, "ua"),
            key(&plain, None, "other ua"),
        ];
        for (i, other) in others.iter().enumerate() {
            assert_ne!(*other, reference, "change {i}");
            for (j, another) in others.iter().enumerate().skip(i + 1) {
                assert_ne!(other, another, "changes {i} and {j}");
            }
        }
        assert_eq!(key(&plain, None, "ua"), reference);
    }
}
