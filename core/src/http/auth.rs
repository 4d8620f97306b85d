//! How the transport proves who it is.

use crate::error::Result;
use crate::form;
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
    /// OAuth client credentials in HTTP Basic (RFC 6749, 2.3.1): the id
    /// and secret are form-encoded first, so that a token endpoint that
    /// decodes them, as the RFC says, reads a `+`, `%` or `:` in them as
    /// it was issued.
    ClientCredentials {
        id: String,
        secret: Secret,
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
            Auth::Basic { username, password } => basic(username, password.expose()),
            Auth::ClientCredentials { id, secret } => {
                basic(&form::encode(id), &form::encode(secret.expose()))
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
            // (Masks read through percent-encoding: the form-encoded
            // secret is masked too.)
            Auth::Basic {
                password: secret, ..
            }
            | Auth::ClientCredentials { secret, .. } => vec![secret.clone()],
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
            Auth::ClientCredentials { id, secret } => {
                feed(key, b"client credentials");
                feed(key, id.as_bytes());
                feed(key, secret.expose().as_bytes());
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

/// `Basic <base64 of user:password>` (RFC 7617).
fn basic(username: &str, password: &str) -> String {
    let token = base64::engine::general_purpose::STANDARD.encode(format!("{username}:{password}"));
    format!("Basic {token}")
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

#[cfg(test)]
mod tests {
    use super::*;

    fn header(auth: &Auth) -> String {
        auth.fixed_text().unwrap().expose().to_string()
    }

    #[test]
    fn oauth_client_credentials_are_form_encoded_before_basic() {
        // RFC 6749, 2.3.1; the pair of AppAuth's issue 337, worked there.
        let auth = Auth::ClientCredentials {
            id: "1PpG/Q 1".into(),
            secret: Secret::new("z/tZ9VwFZqApmIQ+ZH1I5pLk/uB4ud:X2/8bL+wfFTt1rFw="),
        };
        let basic = |text: &str| {
            format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(text)
            )
        };
        assert_eq!(
            header(&auth),
            basic("1PpG%2FQ%201:z%2FtZ9VwFZqApmIQ%2BZH1I5pLk%2FuB4ud%3AX2%2F8bL%2BwfFTt1rFw%3D")
        );
        // The secret is masked as given and as sent.
        let masks = auth.masks();
        for echoed in [
            "z/tZ9VwFZqApmIQ+ZH1I5pLk/uB4ud:X2/8bL+wfFTt1rFw=",
            "z%2FtZ9VwFZqApmIQ%2BZH1I5pLk%2FuB4ud%3AX2%2F8bL%2BwfFTt1rFw%3D",
        ] {
            let quoted = masks.mask(&format!("secret {echoed}")).unwrap();
            assert_eq!(quoted, "secret ***");
        }
        // Plain HTTP Basic (seQura's) sends its user and password as they are.
        let plain = Auth::Basic {
            username: "u/1".into(),
            password: Secret::new("p+w"),
        };
        assert_eq!(header(&plain), basic("u/1:p+w"));
    }
}
