//! Blocking client for the seQura Orders API and its partner flows.
//!
//! Every rule and every HTTP call lives in this crate; the C ABI
//! (`sequra-capi`) and the PHP extension (`sequra-php`) are thin skins over it.
//!
//! ```no_run
//! use sequra::{Config, Endpoint, sequra::{Client, FormOptions}};
//! # fn main() -> Result<(), sequra::Error> {
//! let config = Config::new(Endpoint::Sandbox, "my-merchant", "user", "secret");
//! let client = Client::new(config)?;
//! let order: serde_json::Value = serde_json::from_str("{}").unwrap();
//! let uri = client.orders().start(&order)?;
//! let html = client.orders().form(uri.as_str(), &FormOptions::default())?;
//! # Ok(()) }
//! ```

pub mod checkout_com;
pub mod config;
pub mod error;
pub mod form;
pub(crate) mod http;
pub mod order;
pub mod paysera;
pub mod pos;
pub mod redact;
pub mod sequra;

pub use config::{Config, Connection, Endpoint};
pub use error::{Error, ErrorKind, Problem, Remote};
pub use redact::Secret;

/// The library's version, as sent in the `User-Agent` header.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
