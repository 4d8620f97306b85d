//! Paysera's MAC authentication (the Paysera MAC vector, docs/apis.md): every request
//! carries `Authorization: MAC id, ts, nonce, mac[, ext]`, where `mac` is
//! the HMAC-SHA256 of a normalized string naming the timestamp, the nonce,
//! the method, the request URI, the host, the port and the body's hash.
//!
//! The server refuses a wrong MAC, a nonce it has seen, a timestamp outside
//! its window and a body whose hash is not the one signed, so a fresh
//! nonce and timestamp are made for every try (`SignRequest`).

use crate::error::{Error, Result};
use crate::form;
use crate::http::SignRequest;
use crate::redact::Secret;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::time::{SystemTime, UNIX_EPOCH};
use ureq::http::Uri;

/// How many characters a nonce has.
pub const NONCE_LENGTH: usize = 32;

/// The characters a nonce is drawn from: letters and digits, as Paysera's
/// own examples write one. The MAC scheme allows any printable character
/// but `"` and `\`, but a `,`, `=` or `%` breaks a server that splits the
/// header naively; 32 of 62 characters are still 190 random bits.
const NONCE_ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// Signs requests with one MAC id and secret. `Debug` never shows the
/// secret.
#[derive(Clone)]
pub struct MacSigner {
    mac_id: String,
    secret: Secret,
}

impl std::fmt::Debug for MacSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MacSigner")
            .field("mac_id", &self.mac_id)
            .field("secret", &self.secret)
            .finish()
    }
}

/// The parts of one signed request, for the header and for tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// `body_hash=...` (URL-encoded base64), empty for an empty body.
    pub ext: String,
    /// Base64 of the HMAC-SHA256 of the normalized string.
    pub mac: String,
    /// The whole `Authorization` value.
    pub header: String,
}

impl MacSigner {
    /// A signer for `mac_id` and `secret`. The id goes into a quoted header
    /// value, so it must be printable ASCII without `"` or `\`.
    pub fn new(mac_id: impl Into<String>, secret: impl Into<Secret>) -> Result<MacSigner> {
        let mac_id = mac_id.into();
        let secret = secret.into();
        if mac_id.is_empty() {
            return Err(Error::Config("mac_id is empty".into()));
        }
        // Checked before its characters, so that a long one is quoted short.
        crate::connection::check_id_option("mac_id", &mac_id)?;
        if !mac_id
            .bytes()
            .all(|b| b.is_ascii_graphic() && b != b'"' && b != b'\\')
        {
            return Err(Error::Config(
                "mac_id must be printable ASCII without spaces, '\"' or '\\'; copy it again from Paysera".into(),
            ));
        }
        if secret.is_empty() {
            return Err(Error::Config("mac_secret is empty".into()));
        }
        crate::connection::check_secret_option("mac_secret", &secret)?;
        Ok(MacSigner { mac_id, secret })
    }

    pub fn mac_id(&self) -> &str {
        &self.mac_id
    }

    /// Signs a request at time `ts` with `nonce`: deterministic, so the
    /// official test vector can check it. `url` must be absolute.
    pub fn sign(
        &self,
        method: &str,
        url: &Uri,
        body: &[u8],
        ts: u64,
        nonce: &str,
    ) -> Result<Signature> {
        // Paysera signs the host lower-cased, whatever the URL's spelling.
        let host = url
            .host()
            .ok_or_else(|| Error::invalid("url", "has no host to sign"))?
            .to_ascii_lowercase();
        let port = match (url.port_u16(), url.scheme_str()) {
            (Some(port), _) => port,
            (None, Some("https")) => 443,
            (None, Some("http")) => 80,
            _ => {
                return Err(Error::invalid(
                    "url",
                    "is not http(s), so it has no port to sign",
                ))
            }
        };
        let request_uri = match url.path_and_query() {
            Some(pq) if !pq.as_str().is_empty() => pq.as_str().to_string(),
            _ => "/".to_string(),
        };
        let ext = body_ext(body);
        let normalized = format!(
            "{ts}\n{nonce}\n{}\n{request_uri}\n{host}\n{port}\n{ext}\n",
            method.to_ascii_uppercase()
        );
        // HMAC takes a key of any length, so this cannot fail.
        let mut hmac = Hmac::<Sha256>::new_from_slice(self.secret.expose().as_bytes())
            .expect("HMAC accepts any key length");
        hmac.update(normalized.as_bytes());
        let mac = base64::engine::general_purpose::STANDARD.encode(hmac.finalize().into_bytes());
        let mut header = format!(
            "MAC id=\"{}\", ts=\"{ts}\", nonce=\"{nonce}\", mac=\"{mac}\"",
            self.mac_id
        );
        if !ext.is_empty() {
            header.push_str(&format!(", ext=\"{ext}\""));
        }
        Ok(Signature { ext, mac, header })
    }
}

impl SignRequest for MacSigner {
    /// A fresh timestamp and nonce for every try: the server refuses a
    /// nonce it has seen.
    fn authorization(&self, method: &str, url: &Uri, body: &[u8]) -> Result<Secret> {
        let ts = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_err(|_| {
                Error::Config(
                    "the system clock is before 1970; Paysera refuses such timestamps".into(),
                )
            })?
            .as_secs();
        let signature = self.sign(method, url, body, ts, &nonce()?)?;
        Ok(Secret::new(signature.header))
    }

    /// The MAC id and secret tell one Paysera project from another in the
    /// per-process pool.
    fn identify(&self, key: &mut Sha256) -> bool {
        crate::http::feed(key, self.mac_id.as_bytes());
        crate::http::feed(key, self.secret.expose().as_bytes());
        true
    }

    fn secrets(&self) -> Vec<Secret> {
        vec![self.secret.clone()]
    }
}

/// `body_hash=` and the URL-encoded base64 of the body's SHA-256; empty for
/// an empty body, whose header has no `ext`.
pub fn body_ext(body: &[u8]) -> String {
    if body.is_empty() {
        return String::new();
    }
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(body));
    format!("body_hash={}", form::encode(&hash))
}

/// [`NONCE_LENGTH`] characters of `NONCE_ALPHABET` from the operating
/// system's cryptographic random source, each equally likely.
pub fn nonce() -> Result<String> {
    // The largest multiple of the alphabet's size that fits a byte: bytes
    // at or above it are drawn again, so no character is favoured.
    let limit = (256 / NONCE_ALPHABET.len() * NONCE_ALPHABET.len()) as u16;
    let mut nonce = String::with_capacity(NONCE_LENGTH);
    let mut buffer = [0u8; 64];
    while nonce.len() < NONCE_LENGTH {
        getrandom::fill(&mut buffer).map_err(|e| {
            Error::Config(format!(
                "the system's random source failed ({e}); no nonce, so nothing was sent"
            ))
        })?;
        for byte in buffer {
            if u16::from(byte) < limit && nonce.len() < NONCE_LENGTH {
                nonce.push(NONCE_ALPHABET[usize::from(byte) % NONCE_ALPHABET.len()] as char);
            }
        }
    }
    Ok(nonce)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// the Paysera MAC vector (docs/apis.md), the official test vector.
    #[test]
    fn the_official_vector_signs_as_documented() {
        let signer = MacSigner::new("wkVd93h2uS", "IrdTc8uQodU7PRpLzzLTW6wqZAO6tAMU").unwrap();
        let url: Uri = "https://wallet.paysera.com/wallet/oauth/v1/"
            .parse()
            .unwrap();
        let body = b"grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA&redirect_uri=http%3A%2F%2Flocalhost%2Fabc";
        let signature = signer
            .sign(
                "POST",
                &url,
                body,
                1343818800,
                "nQnNaSNyubfPErjRO55yaaEYo9YZfKHN",
            )
            .unwrap();
        assert_eq!(
            signature.ext,
            "body_hash=IftzxAtYliLQx46c2JAPidlHKqck0OXD7KmsHNnSptU%3D"
        );
        assert_eq!(
            signature.mac,
            "YEIWoGDeREjJNh+IplpTcCLRNASTAMgFqa540igFcaY="
        );
        assert_eq!(
            signature.header,
            "MAC id=\"wkVd93h2uS\", ts=\"1343818800\", nonce=\"nQnNaSNyubfPErjRO55yaaEYo9YZfKHN\", \
             mac=\"YEIWoGDeREjJNh+IplpTcCLRNASTAMgFqa540igFcaY=\", \
             ext=\"body_hash=IftzxAtYliLQx46c2JAPidlHKqck0OXD7KmsHNnSptU%3D\""
        );
    }

    #[test]
    fn an_empty_body_has_no_ext() {
        let signer = MacSigner::new("id", "secret").unwrap();
        let url: Uri = "https://checkout-eu-a.paysera.com/checkout/rest/v1/payment-requests/x"
            .parse()
            .unwrap();
        let signature = signer.sign("GET", &url, b"", 1, "n").unwrap();
        assert_eq!(signature.ext, "");
        assert!(!signature.header.contains("ext="), "{}", signature.header);
    }

    #[test]
    fn query_port_and_method_are_signed() {
        let signer = MacSigner::new("id", "secret").unwrap();
        let sign = |method: &str, url: &str| {
            let url: Uri = url.parse().unwrap();
            signer.sign(method, &url, b"", 1, "n").unwrap().mac
        };
        let base = sign("GET", "https://h.example/a");
        assert_eq!(base, sign("get", "https://h.example/a"));
        assert_eq!(base, sign("GET", "https://h.example:443/a"));
        assert_ne!(base, sign("GET", "https://h.example/a?x=1"));
        assert_ne!(base, sign("GET", "https://h.example:8443/a"));
        assert_ne!(base, sign("GET", "http://h.example/a"));
        assert_ne!(base, sign("PUT", "https://h.example/a"));
    }

    #[test]
    fn the_host_is_signed_lower_cased_as_paysera_reads_it() {
        let signer = MacSigner::new("wkVd93h2uS", "IrdTc8uQodU7PRpLzzLTW6wqZAO6tAMU").unwrap();
        let sign = |url: &str| {
            let url: Uri = url.parse().unwrap();
            signer
                .sign("POST", &url, b"x", 1343818800, "n")
                .unwrap()
                .mac
        };
        assert_eq!(
            sign("https://WALLET.Paysera.com/wallet/oauth/v1/"),
            sign("https://wallet.paysera.com/wallet/oauth/v1/")
        );
    }

    #[test]
    fn nonces_are_32_letters_and_digits() {
        let first = nonce().unwrap();
        assert_eq!(first.len(), NONCE_LENGTH);
        assert!(first.bytes().all(|b| b.is_ascii_alphanumeric()), "{first}");
        assert_ne!(first, nonce().unwrap());
        assert_eq!(NONCE_ALPHABET.len(), 62);
    }

    #[test]
    fn a_mac_id_that_breaks_the_header_is_refused_and_the_secret_never_printed() {
        assert!(MacSigner::new("a\"b", "s").is_err());
        assert!(MacSigner::new("", "s").is_err());
        assert!(MacSigner::new("id", "").is_err());
        let signer = MacSigner::new("id", "topsecret").unwrap();
        assert!(!format!("{signer:?}").contains("topsecret"));
    }
}
