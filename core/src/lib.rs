//! Blocking client for the seQura Orders API and its partner flows.
//!
//! Every rule and every HTTP call lives in this crate; the C ABI
//! (`sequra-capi`) and the PHP extension (`sequra-php`) are thin skins over it.
//!
//! Each remote API is a module with the same shape: a `Config` (with
//! `from_json`, the options object of the skins), a `Client` built from it,
//! and the client's resources, named as the API names them, with one
//! function per endpoint. Documents go out as the API's own JSON
//! (`serde_json::Value`), checked before they are sent; answers come back
//! as typed structs that serialise to the same JSON.
//!
//! - [`orders`]: the seQura Orders API (the online checkout, its order
//!   payload, post-sale updates, notifications);
//! - [`pos`]: seQura's in-store part-payment orders;
//! - [`checkout_com`]: checkout.com payment setups with the `sequra` method;
//! - [`paysera`]: Paysera Checkout payment requests.
//!
//! ```no_run
//! use sequra::orders::{Client, Config, Endpoint, FormOptions};
//! # fn main() -> Result<(), sequra::Error> {
//! let config = Config::new(Endpoint::Sandbox, "my-merchant", "user", "secret");
//! let client = Client::new(config)?;
//! let order: serde_json::Value = serde_json::from_str("{}").unwrap();
//! let uri = client.orders().start(&order)?;
//! let html = client.orders().form(uri.as_str(), &FormOptions::default())?;
//! # Ok(()) }
//! ```
//!
//! # Connections
//!
//! Every API's configuration embeds a [`Connection`]: timeouts, a CA file,
//! a User-Agent suffix, a proxy, and two switches. Nothing is read from the
//! environment (`HTTP_PROXY` and the like, `SSL_CERT_FILE`): TLS is always
//! verified, against the built-in roots or the CA file.
//!
//! - `persistent`: the client takes its connections from a per-process
//!   pool keyed by endpoint, credentials (hashed), CA file, proxy,
//!   timeouts and user agent, so that they outlive the client, as PDO's
//!   persistent connections outlive a PHP request. Idle ones close after
//!   30 s; a forked child never uses its parent's; a connection the server
//!   closed while idle is replaced without the caller seeing it, and a
//!   request that may have reached the server is only repeated when that
//!   is safe. [`connection::pool_stats`] says what the pool holds (for
//!   `phpinfo()`).
//! - `log_bodies`: see below.
//!
//! Host names are resolved without a thread per call (an IP literal or
//! `localhost` needs no lookup; a name is cached for 30 s, and a name not
//! in the cache is looked up by a thread of its own: one a name every 30 s
//! at most).
//!
//! # Logging
//!
//! Every record goes to the `log` crate, target `"sequra"`, so a Rust
//! program gets them with any logger; and to a [`log::Sink`]: the client's
//! ([`Connection::logger`]) or else the process-wide one
//! ([`log::set_global_sink`]). Each HTTP exchange is one debug record
//! (method, path, status, milliseconds, attempt, the server's request id),
//! each retry a warning with why, each failed call an error with its kind
//! and `may_have_acted`. No record holds a credential, a token, a
//! signature, an `Authorization` header, a host's userinfo or a query
//! string; bodies only with [`Connection::log_bodies`], as JSON with the
//! customer's personal fields masked ([`log::PERSONAL_KEYS`]).
//!
//! For the skins: the C API's `sq_set_log_callback` wraps its callback in
//! a `Sink` and calls [`log::set_global_sink`]; the PHP extension's logger
//! bridge wraps a PSR-3 logger in a `Sink` and sets it as the client's
//! `connection.logger` (the level names are PSR-3's: [`log::Level::as_str`];
//! the context maps to PSR-3's context array). A sink runs inside the
//! call, on the caller's thread, with no lock held: it must be quick, and
//! may call the library. A sink that panics loses that record
//! ([`log::dropped_records`]), never the payment call: a bridge into PHP
//! must still not throw across the boundary.

pub mod checkout_com;
pub mod connection;
pub mod error;
pub mod form;
pub(crate) mod http;
pub(crate) mod lenient;
pub use http::log;
pub mod orders;
pub mod paysera;
pub mod pos;
pub mod redact;
pub mod strict;
pub(crate) mod validate;

/// What the skins' own process-wide state needs across a fork (the C API's
/// log callback): a lock a forked child never waits on forever, and the
/// fork generation. Not part of the API.
#[doc(hidden)]
pub mod fork {
    pub use crate::http::fork::{generation, ForkLock};
}

/// Hooks for the fuzz targets (`fuzz/`), built only by `cargo fuzz`, which
/// sets `--cfg fuzzing`: not part of the API.
#[cfg(fuzzing)]
#[doc(hidden)]
pub mod fuzz_hooks {
    /// What a call makes of an answer of `status` with `body` (and `header`
    /// as its `Retry-After` and request id), read with seQura's error format
    /// (`api` 0), Paysera's (1) or checkout.com's (2); `secret` is a
    /// credential the request carried: its error, and the body as JSON.
    pub fn answer(
        api: u8,
        status: u16,
        header: &[u8],
        body: &[u8],
        secret: &str,
    ) -> (crate::Error, crate::error::Result<serde_json::Value>) {
        let errors = match api % 3 {
            0 => crate::http::ErrorFormat::SEQURA,
            1 => crate::paysera::ERRORS,
            _ => crate::checkout_com::CHECKOUT_COM,
        };
        crate::http::fuzz_answer(errors, status, header, body, secret)
    }
}

pub use connection::Connection;
pub use error::{Credentials, Error, ErrorKind, Problem, Remote};
pub use redact::Secret;

/// The library's version, as sent in the `User-Agent` header.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
