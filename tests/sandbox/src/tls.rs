//! HTTPS: a certificate authority made at start (`rcgen`), a leaf it
//! signs for 127.0.0.1, ::1 and localhost, and the `rustls` server
//! configuration that serves it. Clients trust the CA's PEM; nothing is
//! read from or written to a system store.
//!
//! For tests of a client's TLS failures: a CA that signed nothing the
//! sandbox serves ([`unrelated_ca_pem`]), and a leaf whose names are not
//! the sandbox's ([`Tls::BadName`]).

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::ServerConfig;
use std::sync::{Arc, OnceLock};

/// How the sandbox speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tls {
    /// Plain HTTP (the default).
    #[default]
    Off,
    /// HTTPS with a leaf for 127.0.0.1, ::1 and localhost.
    On,
    /// HTTPS with a leaf, signed by the same CA, that names only
    /// `not-the-sandbox.invalid`: a client that checks names must refuse it.
    BadName,
}

/// The names on a good leaf: every way a test reaches the loopback.
const LOOPBACK_NAMES: [&str; 3] = ["127.0.0.1", "::1", "localhost"];
/// The one name on a "bad name" leaf.
const WRONG_NAME: &str = "not-the-sandbox.invalid";
/// How long the certificates are valid, from a day before now (a clock a
/// little behind still accepts them). Short, as some clients refuse long
/// lived leaves; a sandbox lives for a test run.
const VALID_DAYS: i64 = 90;

/// A CA and the server configuration of a leaf it signed.
pub(crate) struct Authority {
    pub ca_pem: String,
    pub config: Arc<ServerConfig>,
}

impl Authority {
    /// A new CA and a leaf for the loopback names, or for a wrong one.
    pub fn new(mode: Tls) -> Result<Authority, String> {
        let names: &[&str] = match mode {
            Tls::BadName => &[WRONG_NAME],
            _ => &LOOPBACK_NAMES,
        };
        // A name of its own: a client trusting the CAs of several sandboxes
        // at once would otherwise try each same-named CA against every
        // leaf (rustls stops at MaximumSignatureChecksExceeded).
        let name = format!("sequra-sandbox CA {}", crate::ids::new_uuid());
        let (ca_params, ca_key, ca_pem) =
            new_ca(&name).map_err(|e| format!("cannot make the CA: {e}"))?;
        let issuer = Issuer::new(ca_params, ca_key);
        let leaf_key = KeyPair::generate().map_err(|e| format!("cannot make a key: {e}"))?;
        let mut leaf =
            CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>())
                .map_err(|e| format!("cannot name the leaf: {e}"))?;
        leaf.distinguished_name.push(DnType::CommonName, names[0]);
        leaf.is_ca = IsCa::ExplicitNoCa;
        leaf.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        leaf.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        validity(&mut leaf);
        let leaf_cert = leaf
            .signed_by(&leaf_key, &issuer)
            .map_err(|e| format!("cannot sign the leaf: {e}"))?;
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der()));
        let chain: Vec<CertificateDer<'static>> = vec![leaf_cert.der().clone()];
        // One provider named here, the one ureq (and so the core) uses, so
        // no process-wide default has to be installed.
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("cannot configure TLS: {e}"))?
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .map_err(|e| format!("cannot use the leaf: {e}"))?;
        // The default session cache lets a client resume (TLS 1.2 ids,
        // TLS 1.3 tickets), which the handshake counters tell apart.
        Ok(Authority {
            ca_pem,
            config: Arc::new(config),
        })
    }
}

/// The PEM of a CA that signed nothing the sandbox serves (one per
/// process): a client that trusts only it must refuse the sandbox.
pub fn unrelated_ca_pem() -> &'static str {
    static PEM: OnceLock<String> = OnceLock::new();
    PEM.get_or_init(|| {
        new_ca("sequra-sandbox unrelated CA")
            .map(|(_, _, pem)| pem)
            .expect("rcgen makes a CA with ring's keys")
    })
}

/// A self-signed CA: its parameters and key (to sign with) and its PEM.
fn new_ca(name: &str) -> Result<(CertificateParams, KeyPair, String), rcgen::Error> {
    let key = KeyPair::generate()?;
    let mut params = CertificateParams::new(Vec::<String>::new())?;
    params.distinguished_name.push(DnType::CommonName, name);
    params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    validity(&mut params);
    let pem = params.self_signed(&key)?.pem();
    Ok((params, key, pem))
}

fn validity(params: &mut CertificateParams) {
    let now = time::OffsetDateTime::now_utc();
    params.not_before = now - time::Duration::days(1);
    params.not_after = now + time::Duration::days(VALID_DAYS);
}
