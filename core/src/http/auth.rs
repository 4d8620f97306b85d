//! How the transport proves who it is.

use crate::error::Result;
use crate::redact::{Masks, Secret};
use base64::Engine as _;
use sha2::{Digest, Sha256};
use ureq::http::{HeaderValue, Uri};

/// Signs one request, for schemes whose proof depends on the request itself
/// (Paysera's MAC covers the method, URL and body hash). Called for every
/// try, so each try gets a fresh nonce and timestamp.
pub(crate) trait SignRequest: Send + Sync {
    /// The `Authorization` value for this request.
    fn authorization(&self, method: &str, url: &Uri, body: &[u8]) -> Result<Secret>;

    /// Feeds what identifies these credentials (secrets included: the
    /// hash is all that is kept) into the key of the per-process pool,
    /// and says whether it did. A signer that does not is never pooled
    /// with other clients.
    fn identify(&self, _key: &mut Sha256) -> bool {
        false
    }

    /// The secrets it signs with, masked wherever a server's words are
    /// quoted, as a password is (a server knows them, and may echo them).
    fn secrets(&self) -> Vec<Secret> {
        Vec::new()
    }
}

/// How the transport proves who it is.
pub(crate) enum Auth {
    Basic {
        username: String,
        password: Secret,
    },
    /// `Authorization: Bearer <token>`.
    Bearer(Secret),
    /// A value computed for each request.
    Signed(Box<dyn SignRequest>),
}

impl Auth {
    /// The fixed header value, for the schemes that have one.
    pub(super) fn fixed_value(&self) -> Option<HeaderValue> {
        self.fixed_text().map(|text| sensitive(text.expose()))
    }

    /// The fixed header value as text, for the schemes that have one.
    fn fixed_text(&self) -> Option<Secret> {
        let text = match self {
            Auth::Signed(_) => return None,
            Auth::Basic { username, password } => {
                let token = base64::engine::general_purpose::STANDARD
                    .encode(format!("{username}:{}", password.expose()));
                format!("Basic {token}")
            }
            Auth::Bearer(token) => format!("Bearer {}", token.expose()),
        };
        Some(Secret::new(text))
    }

    /// What a server's words may echo of these credentials: the password,
    /// token or signing secret, and the fixed header's credential as it is
    /// sent (a Basic pair in base64). A signed request's is added for each
    /// request.
    pub(super) fn masks(&self) -> Masks {
        let secret = match self {
            Auth::Basic { password, .. } => vec![password.clone()],
            Auth::Bearer(token) => vec![token.clone()],
            Auth::Signed(signer) => signer.secrets(),
        };
        let masks = Masks::new(secret);
        match self.fixed_text() {
            Some(text) => masks.with_authorization(&text),
            None => masks,
        }
    }

    /// Feeds the credentials into the pool key; false when they cannot be
    /// told apart (a signer that does not identify itself).
    pub(super) fn identify(&self, key: &mut Sha256) -> bool {
        match self {
            Auth::Basic { username, password } => {
                feed(key, b"basic");
                feed(key, username.as_bytes());
                feed(key, password.expose().as_bytes());
                true
            }
            Auth::Bearer(token) => {
                feed(key, b"bearer");
                feed(key, token.expose().as_bytes());
                true
            }
            Auth::Signed(signer) => {
                feed(key, b"signed");
                signer.identify(key)
            }
        }
    }
}

/// Adds one field to a hash, length first, so that no two different lists
/// of fields hash the same bytes.
pub(crate) fn feed(key: &mut Sha256, field: &[u8]) {
    key.update((field.len() as u64).to_le_bytes());
    key.update(field);
}

/// A header value that never shows in Debug output. A value with bytes a
/// header cannot hold becomes empty, which the server refuses as missing.
pub(super) fn sensitive(text: &str) -> HeaderValue {
    let mut value = HeaderValue::from_str(text).unwrap_or_else(|_| HeaderValue::from_static(""));
    value.set_sensitive(true);
    value
}
