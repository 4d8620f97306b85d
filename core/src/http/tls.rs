//! TLS: what a transport trusts, and the connection over rustls.
//!
//! Verification is always on: the built-in roots (compiled in; no
//! environment variable or system store changes them), or the CA file.
//! Each is one rustls configuration per process, so that
//! - a new client (every PHP request under PHP-FPM makes one) does not
//!   read, parse and hash its CA file again: a CA file is known by its
//!   path, size, modification time, device and inode, and read again only
//!   when one of them changes;
//! - every client of the process resumes the TLS sessions of the others,
//!   pooled or not: all configurations share one session store
//!   ([`super::sessions`], by server name; rustls resumes a session only
//!   under the configuration's own certificate verifier, so a session
//!   verified against one CA file is never resumed by a client trusting
//!   another).

use super::fork::ForkLock;
use super::sessions::Sessions;
use crate::error::{Error, Result};
use crate::redact::quote_bytes;
use rustls::client::Resumption;
use rustls::pki_types::ServerName;
use rustls::{ClientConfig, ClientConnection, RootCertStore, StreamOwned};
use sha2::{Digest, Sha256};
use std::fmt;
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::SystemTime;
use ureq::tls::PemItem;
use ureq::unversioned::transport::time::{Duration as Budget, Instant as Moment};
use ureq::unversioned::transport::{
    Buffers, ConnectionDetails, Connector, Either, LazyBuffers, NextTimeout, Transport,
    TransportAdapter,
};

/// CA files kept parsed; past this the cache starts again (a process uses
/// one or two).
const MAX_CA_FILES: usize = 16;
/// The longest `ca_file` path: the longest path Linux opens (`PATH_MAX`).
const MAX_PATH: usize = 4096;
/// The largest `ca_file`: the full Mozilla bundle is some 250 KB.
const MAX_CA_FILE_BYTES: u64 = 8 << 20;

/// What a transport trusts.
#[derive(Debug, Clone)]
pub(super) struct Trust {
    pub config: Arc<ClientConfig>,
    /// The CA file's SHA-256, for the pool key; `None` for the built-in
    /// roots.
    pub digest: Option<[u8; 32]>,
}

/// The trust of `ca_file`, or of the built-in roots.
pub(super) fn trust(ca_file: Option<&Path>) -> Result<Trust> {
    match ca_file {
        None => {
            static BUILT_IN: OnceLock<Trust> = OnceLock::new();
            if let Some(trust) = BUILT_IN.get() {
                return Ok(trust.clone());
            }
            let roots = RootCertStore {
                roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
            };
            let trust = Trust {
                config: client_config(roots)?,
                digest: None,
            };
            Ok(BUILT_IN.get_or_init(|| trust).clone())
        }
        Some(path) => ca_file_trust(path),
    }
}

/// A CA file as it is now on disk: a new version is a new key.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Version {
    path: PathBuf,
    size: u64,
    modified: Option<SystemTime>,
    /// Device and inode: another file put in its place is another version.
    file: (u64, u64),
}

impl Version {
    /// The version of the file `meta` describes, if it can be a CA file: a
    /// regular file, not empty, of at most [`MAX_CA_FILE_BYTES`].
    fn of(path: &Path, meta: &std::fs::Metadata) -> std::result::Result<Version, String> {
        if meta.is_dir() {
            return Err("is a directory; give the path of a PEM file of CA certificates".into());
        }
        if !meta.is_file() {
            return Err(
                "is not a regular file; give the path of a PEM file of CA certificates".into(),
            );
        }
        if meta.len() > MAX_CA_FILE_BYTES {
            return Err(format!(
                "is {} bytes, larger than any CA bundle (at most {MAX_CA_FILE_BYTES}); give the PEM file of CA certificates",
                meta.len()
            ));
        }
        if meta.len() == 0 {
            return Err("is empty: no PEM certificate in the file".into());
        }
        #[cfg(unix)]
        let file = {
            use std::os::unix::fs::MetadataExt;
            (meta.dev(), meta.ino())
        };
        #[cfg(not(unix))]
        let file = (0, 0);
        Ok(Version {
            path: path.to_path_buf(),
            size: meta.len(),
            modified: meta.modified().ok(),
            file,
        })
    }
}

/// The file at `path` and its version, looked at again once it is open:
/// another file put in its place since (a FIFO, a larger file) is refused
/// or read as what it is, never past the bound.
fn read_version(path: &Path) -> std::result::Result<(Version, Vec<u8>), String> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Opening a FIFO put there meanwhile does not wait for a writer.
        options.custom_flags(libc::O_NONBLOCK);
    }
    let cannot_read = |e: std::io::Error| format!("cannot be read: {e}");
    let file = options.open(path).map_err(cannot_read)?;
    let now = Version::of(path, &file.metadata().map_err(cannot_read)?)?;
    let mut pem = Vec::with_capacity(now.size as usize);
    file.take(MAX_CA_FILE_BYTES + 1)
        .read_to_end(&mut pem)
        .map_err(cannot_read)?;
    if pem.len() as u64 > MAX_CA_FILE_BYTES {
        return Err(format!(
            "grew past {MAX_CA_FILE_BYTES} bytes while it was read; give the PEM file of CA certificates"
        ));
    }
    Ok((now, pem))
}

fn ca_file_trust(path: &Path) -> Result<Trust> {
    let bytes = path.as_os_str().as_encoded_bytes();
    // The path is quoted as any value the caller gave: bounded, one line.
    let bad = |why: String| Error::Config(format!("ca_file {} {why}", quote_bytes(bytes)));
    if bytes.is_empty() {
        return Err(Error::Config(
            "ca_file is empty; give the path of a PEM file of CA certificates".into(),
        ));
    }
    if bytes.len() > MAX_PATH {
        return Err(bad(format!(
            "is longer than {MAX_PATH} bytes, the longest path the system opens"
        )));
    }
    if path.to_string_lossy().chars().any(char::is_control) {
        return Err(bad("has a control character".into()));
    }
    // Looked at before it is opened: a FIFO or a device is never opened
    // (opening a FIFO waits for a writer; /dev/zero never ends).
    let meta = std::fs::metadata(path).map_err(|e| bad(format!("cannot be used: {e}")))?;
    let version = Version::of(path, &meta).map_err(bad)?;
    // A list, not a hash table: valgrind reports a static table's memory
    // as possibly lost at exit (see `super::sessions`).
    // A forked child whose parent's thread held it at the fork parses
    // the file again, and keeps nothing.
    static PARSED: ForkLock<Vec<(Version, Trust)>> = ForkLock::new_static(Vec::new());
    let known = |parsed: &[(Version, Trust)], version: &Version| {
        let found = parsed.iter().find(|(v, _)| v == version);
        found.map(|(_, trust)| trust.clone())
    };
    if let Some(trust) = PARSED.lock().and_then(|parsed| known(&parsed, &version)) {
        return Ok(trust);
    }
    // Read without the lock: another client may read it meanwhile, and
    // both get a working trust. Kept as the version read, which is the
    // one looked at unless the file changed in between.
    let (version, pem) = read_version(path).map_err(bad)?;
    let mut roots = RootCertStore::empty();
    let mut found = 0;
    for item in ureq::tls::parse_pem(&pem) {
        // (The parser's own error dumps the bytes it expected: not for a message.)
        let item = item.map_err(|_| {
            bad("is not a readable PEM file: a section is malformed or cut short (is the file complete?)".into())
        })?;
        if let PemItem::Certificate(cert) = item {
            found += 1;
            let (added, _) = roots.add_parsable_certificates([cert.der().into()]);
            if added == 0 {
                return Err(bad(format!(
                    "has a certificate (number {found}) that rustls cannot use as a CA"
                )));
            }
        }
    }
    if found == 0 {
        return Err(bad("has no PEM certificate".into()));
    }
    let trust = Trust {
        config: client_config(roots)?,
        digest: Some(Sha256::digest(&pem).into()),
    };
    let Some(mut parsed) = PARSED.lock() else {
        return Ok(trust);
    };
    // Read meanwhile by another client: theirs stays, so that both share
    // one configuration from now on.
    if let Some(theirs) = known(&parsed, &version) {
        return Ok(theirs);
    }
    if parsed.len() >= MAX_CA_FILES {
        parsed.clear();
    }
    parsed.push((version, trust.clone()));
    Ok(trust)
}

/// A configuration verifying against `roots`, with the process's session
/// store.
fn client_config(roots: RootCertStore) -> Result<Arc<ClientConfig>> {
    static STORE: OnceLock<Arc<Sessions>> = OnceLock::new();
    let store = STORE.get_or_init(Arc::default);
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(rustls::ALL_VERSIONS)
        .map_err(|e| Error::Config(format!("TLS cannot be set up: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.resumption = Resumption::store(store.clone());
    Ok(Arc::new(config))
}

/// Wraps the connection to an https endpoint (or https proxy) in TLS with
/// the transport's trust.
pub(super) struct Tls {
    pub config: Arc<ClientConfig>,
}

impl fmt::Debug for Tls {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tls").finish_non_exhaustive()
    }
}

impl<In: Transport> Connector<In> for Tls {
    type Out = Either<In, TlsTransport>;

    fn connect(
        &self,
        details: &ConnectionDetails,
        chained: Option<In>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        let Some(transport) = chained else {
            return Ok(None);
        };
        if !details.needs_tls() || transport.is_tls() {
            return Ok(Some(Either::A(transport)));
        }
        let host = details
            .uri
            .authority()
            .map(|a| a.host().trim_start_matches('[').trim_end_matches(']'))
            .ok_or_else(|| ureq::Error::BadUri("the URL has no host".into()))?;
        let name = ServerName::try_from(host)
            .map_err(|_| ureq::Error::Tls("the host is not a valid TLS server name"))?
            .to_owned();
        let mut connection = ClientConnection::new(self.config.clone(), name)?;
        let mut socket = TransportAdapter::new(transport.boxed(), details.current_time.clone());
        socket.set_timeout(left(details.timeout, details.now, (details.current_time)()));
        connection.complete_io(&mut socket)?;
        Ok(Some(Either::B(TlsTransport {
            buffers: LazyBuffers::new(
                details.config.input_buffer_size(),
                details.config.output_buffer_size(),
            ),
            stream: StreamOwned::new(connection, socket),
        })))
    }
}

/// What is left at `now` of a timeout that started at `started`: the
/// handshake gets what the TCP connection left of the connect timeout,
/// not the whole again.
fn left(timeout: NextTimeout, started: Moment, now: Moment) -> NextTimeout {
    let mut left = timeout;
    if let (Budget::Exact(total), Moment::Exact(now), Moment::Exact(started)) =
        (timeout.after, now, started)
    {
        left.after = Budget::Exact(total.saturating_sub(now.saturating_duration_since(started)));
    }
    left
}

/// A TLS connection: the plaintext buffers ureq reads and writes, over
/// rustls, over the connection below.
pub(super) struct TlsTransport {
    buffers: LazyBuffers,
    stream: StreamOwned<ClientConnection, TransportAdapter>,
}

impl fmt::Debug for TlsTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TlsTransport")
            .field("below", &self.stream.sock.inner())
            .finish()
    }
}

impl Transport for TlsTransport {
    fn buffers(&mut self) -> &mut dyn Buffers {
        &mut self.buffers
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        self.stream.get_mut().set_timeout(timeout);
        self.stream.write_all(&self.buffers.output()[..amount])?;
        Ok(())
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        self.stream.get_mut().set_timeout(timeout);
        let read = self
            .stream
            .read(self.buffers.input_append_buf())
            .inspect_err(super::unclean_end::note)?;
        self.buffers.input_appended(read);
        Ok(read > 0)
    }

    fn is_open(&mut self) -> bool {
        // What came with the last answer is already read into rustls, where
        // the socket's peek cannot see it: a close_notify with TCP left
        // open (a POST on it would be lost, "may have acted"), or a late
        // second answer.
        let state = self.stream.conn.process_new_packets();
        let quiet = state
            .is_ok_and(|state| !state.peer_has_closed() && state.plaintext_bytes_to_read() == 0);
        quiet && self.stream.get_mut().get_mut().is_open()
    }

    fn is_tls(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ca_pem() -> String {
        let key = rcgen::KeyPair::generate().unwrap();
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        params.self_signed(&key).unwrap().pem()
    }

    #[test]
    fn the_handshake_gets_what_the_tcp_connection_left_of_the_connect_timeout() {
        let started = std::time::Instant::now();
        let connect = NextTimeout {
            after: Budget::from_secs(5),
            ..NextTimeout::default()
        };
        let at = |secs| Moment::Exact(started + std::time::Duration::from_secs(secs));
        let after = |t: NextTimeout| *t.after;
        assert_eq!(
            after(left(connect, at(0), at(3))),
            std::time::Duration::from_secs(2)
        );
        assert_eq!(
            after(left(connect, at(0), at(9))),
            std::time::Duration::ZERO
        );
        let never = NextTimeout::default();
        assert!(left(never, at(0), at(3)).after.is_not_happening());
    }

    #[test]
    fn a_ca_file_is_read_once_per_version_and_its_configuration_shared() {
        let path = std::env::temp_dir().join(format!(
            "sequra-tls-cache-{}-{:?}.pem",
            std::process::id(),
            std::thread::current().id()
        ));
        std::fs::write(&path, ca_pem()).unwrap();
        let first = trust(Some(&path)).unwrap();
        let again = trust(Some(&path)).unwrap();
        assert!(Arc::ptr_eq(&first.config, &again.config), "read once");
        assert_eq!(first.digest, again.digest);
        // A new CA in the same file is read again.
        std::fs::write(&path, format!("{}\n{}", ca_pem(), ca_pem())).unwrap();
        let changed = trust(Some(&path)).unwrap();
        assert!(!Arc::ptr_eq(&first.config, &changed.config));
        assert_ne!(first.digest, changed.digest);
        std::fs::write(&path, "not a certificate").unwrap();
        let err = trust(Some(&path)).unwrap_err().to_string();
        assert!(err.contains("has no PEM certificate"), "{err}");
        // One being replaced: half written.
        let pem = ca_pem();
        std::fs::write(&path, &pem[..pem.len() / 2]).unwrap();
        let err = trust(Some(&path)).unwrap_err().to_string();
        assert!(err.contains("cut short") && !err.contains('['), "{err}");
        std::fs::remove_file(&path).unwrap();
        let err = trust(Some(&path)).unwrap_err().to_string();
        assert!(err.contains("ca_file"), "{err}");
    }

    #[test]
    fn a_ca_file_that_cannot_be_used_is_quoted_short_whatever_its_path() {
        let dir = std::env::temp_dir().join(format!("sequra-ca-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let empty = dir.join("empty.pem");
        std::fs::write(&empty, b"").unwrap();
        let junk = dir.join("junk.pem");
        std::fs::write(&junk, b"not a certificate").unwrap();
        let fifo = dir.join("fifo.pem");
        let c_fifo = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: a NUL-terminated path; mkfifo reads nothing else.
        assert_eq!(unsafe { libc::mkfifo(c_fifo.as_ptr(), 0o600) }, 0);
        let long = format!("/{}", "x".repeat(10 << 20));
        let deep_missing = format!("/nonexistent/{}", "y".repeat(3000));
        for (path, says) in [
            (PathBuf::from(&long), "longer than 4096 bytes"),
            (PathBuf::from(&deep_missing), "cannot be used"),
            (dir.join("missing.pem"), "cannot be used"),
            (dir.clone(), "is a directory"),
            (empty.clone(), "is empty"),
            (junk.clone(), "has no PEM certificate"),
            (fifo.clone(), "is not a regular file"),
            (PathBuf::from("/dev/zero"), "is not a regular file"),
            (PathBuf::from("/tmp/ca\n.pem"), "control character"),
        ] {
            let started = std::time::Instant::now();
            let err = trust(Some(&path)).unwrap_err();
            assert!(started.elapsed() < std::time::Duration::from_secs(1));
            assert_eq!(err.kind(), crate::ErrorKind::Config);
            let text = err.to_string();
            assert!(text.contains(says), "{text}");
            assert!(text.starts_with("configuration: ca_file \""), "{text}");
            assert!(text.len() < 300, "{}", text.len());
            assert!(!text.contains('\n'), "{text}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn an_unreadable_ca_file_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let path = std::env::temp_dir().join(format!("sequra-ca-{}.pem", std::process::id()));
        std::fs::write(&path, ca_pem()).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
        // (root reads it anyway: then there is nothing to refuse.)
        let readable = std::fs::File::open(&path).is_ok();
        let result = trust(Some(&path));
        std::fs::remove_file(&path).unwrap();
        if !readable {
            let text = result.unwrap_err().to_string();
            assert!(text.contains("cannot be read"), "{text}");
        }
    }
}
