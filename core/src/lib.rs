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

pub mod checkout_com;
pub mod connection;
pub mod error;
pub mod form;
pub(crate) mod http;
pub mod orders;
pub mod paysera;
pub mod pos;
pub mod redact;
pub(crate) mod validate;

pub use connection::Connection;
pub use error::{Error, ErrorKind, Problem, Remote};
pub use redact::Secret;

/// The library's version, as sent in the `User-Agent` header.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
