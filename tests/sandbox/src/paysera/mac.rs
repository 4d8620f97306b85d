//! The server's side of Paysera's MAC authentication
//! (the Paysera MAC vector, docs/apis.md), written from the document, not from the
//! client: every request to the Paysera API must carry
//! `Authorization: MAC id="..", ts="..", nonce="..", mac="..", ext=".."`.
//!
//! Refused with 401 and Paysera's error body, each with its own reason:
//! no or malformed header, an unknown MAC id, a timestamp more than
//! [`WINDOW_SECONDS`] away from the server's clock, a MAC that does not
//! match (wrong secret, or anything signed changed), a body whose SHA-256
//! is not the signed `body_hash`, and a nonce already used.

use super::{error, State, PAYSERA_MAC_ID, PAYSERA_MAC_SECRET};
use crate::codec::{base64_decode, base64_encode, decode_form, field};
use crate::server::{Incoming, Reply};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// How far (seconds, either way) a request's `ts` may be from the server's
/// clock: 5 minutes. A nonce is remembered for as long as a request with
/// it could still be accepted.
pub const WINDOW_SECONDS: u64 = 300;

/// The attributes of a MAC header.
struct Header {
    id: String,
    ts: String,
    nonce: String,
    mac: String,
    ext: String,
}

/// Checks the request's MAC; `Err` is the 401 to answer. A request that
/// passes has its nonce remembered, so the same one is refused next time.
pub(crate) fn verify(request: &Incoming, state: &State, now: u64) -> Result<(), Reply> {
    let refuse = |description: String| Err(error(401, "unauthorized", &description, Vec::new()));
    let Some(value) = request.header("authorization") else {
        return refuse("No authorization data found: send an Authorization: MAC header".into());
    };
    let header = match parse(value) {
        Ok(header) => header,
        Err(why) => {
            return refuse(format!(
                "The Authorization header is not a MAC header: {why}"
            ))
        }
    };
    if header.id != PAYSERA_MAC_ID {
        return refuse(format!("Unknown MAC id {:?}", header.id));
    }
    let Ok(ts) = header.ts.parse::<u64>() else {
        return refuse(format!("ts {:?} is not a Unix time in seconds", header.ts));
    };
    if ts.abs_diff(now) > WINDOW_SECONDS {
        return refuse(format!(
            "Timestamp {ts} is more than {WINDOW_SECONDS} seconds away from the server's time {now}: check the clock"
        ));
    }
    let default_port = if request.tls { 443 } else { 80 };
    let Some((host, port)) =
        host_and_port(request.header("host").unwrap_or_default(), default_port)
    else {
        return refuse("The request has no usable Host header to check the MAC against".into());
    };
    // The request URI exactly as sent: the client signed those bytes.
    let signed = Signed {
        ts: &header.ts,
        nonce: &header.nonce,
        method: &request.method,
        uri: &request.target,
        host: &host,
        port,
        ext: &header.ext,
    };
    let expected = signed.mac(PAYSERA_MAC_SECRET);
    let given = base64_decode(&header.mac).unwrap_or_default();
    // Constant time: the comparison does not tell how much matched.
    if expected.verify_slice(&given).is_err() {
        return refuse("MAC signature does not match: check the MAC secret and that the request is signed as sent".into());
    }
    let signed_hash = field(&decode_form(&header.ext), "body_hash").map(str::to_string);
    if !request.body.is_empty() || signed_hash.is_some() {
        let actual = base64_encode(&Sha256::digest(&request.body));
        match signed_hash {
            Some(signed) if signed == actual => {}
            Some(_) => {
                return refuse(
                    "body_hash does not match the request body: the body changed after signing"
                        .into(),
                )
            }
            None => {
                return refuse(
                    "The request has a body but its MAC has no ext=\"body_hash=...\"".into(),
                )
            }
        }
    }
    let mut inner = state.lock();
    inner
        .nonces
        .retain(|_, seen| seen.abs_diff(now) <= 2 * WINDOW_SECONDS);
    let key = format!("{}\n{}", header.id, header.nonce);
    if inner.nonces.contains_key(&key) {
        return refuse("Nonce was already used: every request needs a new nonce".into());
    }
    inner.nonces.insert(key, ts);
    Ok(())
}

/// What a MAC signs: the normalised string's parts.
struct Signed<'a> {
    ts: &'a str,
    nonce: &'a str,
    method: &'a str,
    uri: &'a str,
    host: &'a str,
    port: u16,
    ext: &'a str,
}

impl Signed<'_> {
    /// HMAC-SHA256 of the normalised string, keyed with `secret`, ready to
    /// be compared in constant time (`verify_slice`).
    fn mac(&self, secret: &str) -> Hmac<Sha256> {
        let Signed {
            ts,
            nonce,
            method,
            uri,
            host,
            port,
            ext,
        } = self;
        let mut mac =
            Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC accepts any key length");
        mac.update(format!("{ts}\n{nonce}\n{method}\n{uri}\n{host}\n{port}\n{ext}\n").as_bytes());
        mac
    }
}

/// `MAC id="a", ts="1", nonce="n", mac="m", ext="e"`. Values are quoted
/// and hold neither `"` nor `\`, so a value may hold commas and spaces.
fn parse(value: &str) -> Result<Header, String> {
    let value = value.trim();
    let rest = match value.split_once(' ') {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("MAC") => rest,
        _ => return Err("it does not start with \"MAC \"".into()),
    };
    let mut attributes: Vec<(String, String)> = Vec::new();
    let mut rest = rest.trim_start();
    while !rest.is_empty() {
        let (name, after) = rest
            .split_once('=')
            .ok_or_else(|| format!("no '=' after {rest:?}"))?;
        let after = after
            .strip_prefix('"')
            .ok_or_else(|| format!("the value of {} is not quoted", name.trim()))?;
        let (value, after) = after
            .split_once('"')
            .ok_or_else(|| format!("the value of {} is not closed", name.trim()))?;
        attributes.push((name.trim().to_string(), value.to_string()));
        rest = after.trim_start().trim_start_matches(',').trim_start();
    }
    let mut take = |name: &str, required: bool| {
        let found = attributes
            .iter()
            .position(|(n, _)| n == name)
            .map(|i| attributes.swap_remove(i).1);
        match found {
            Some(value) => Ok(value),
            None if required => Err(format!("it has no {name}")),
            None => Ok(String::new()),
        }
    };
    Ok(Header {
        id: take("id", true)?,
        ts: take("ts", true)?,
        nonce: take("nonce", true)?,
        mac: take("mac", true)?,
        ext: take("ext", false)?,
    })
}

/// `127.0.0.1:8080` → (`127.0.0.1`, 8080); without a port, the scheme's
/// (`default_port`). The host in lower case, as the MAC's normalised
/// string has it (a client may send `Host: LOCALHOST:8080`).
fn host_and_port(host: &str, default_port: u16) -> Option<(String, u16)> {
    let host = host.trim();
    if host.is_empty() {
        return None;
    }
    let (name, port) = match host.strip_prefix('[') {
        Some(v6) => {
            let (name, after) = v6.split_once(']')?;
            (format!("[{name}]"), after.strip_prefix(':'))
        }
        None => match host.rsplit_once(':') {
            Some((name, port)) => (name.to_string(), Some(port)),
            None => (host.to_string(), None),
        },
    };
    let port = match port {
        Some(port) => port.parse().ok()?,
        None => default_port,
    };
    Some((name.to_ascii_lowercase(), port))
}

/// `ext` for a body, as a client signs it: used by the sandbox's own tests.
#[cfg(test)]
fn body_ext(body: &[u8]) -> String {
    crate::codec::encode_form(&[(
        "body_hash".to_string(),
        base64_encode(&Sha256::digest(body)),
    )])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The official vector (the Paysera MAC vector, docs/apis.md): its
    /// body hash, and its MAC, which the server's check must accept.
    #[test]
    fn the_official_vector_is_computed() {
        let body = b"grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA&redirect_uri=http%3A%2F%2Flocalhost%2Fabc";
        let ext = body_ext(body);
        assert_eq!(
            ext,
            "body_hash=IftzxAtYliLQx46c2JAPidlHKqck0OXD7KmsHNnSptU%3D"
        );
        let signed = Signed {
            ts: "1343818800",
            nonce: "nQnNaSNyubfPErjRO55yaaEYo9YZfKHN",
            method: "POST",
            uri: "/wallet/oauth/v1/",
            host: "wallet.paysera.com",
            port: 443,
            ext: &ext,
        };
        let official = base64_decode("YEIWoGDeREjJNh+IplpTcCLRNASTAMgFqa540igFcaY=").unwrap();
        assert!(signed
            .mac("IrdTc8uQodU7PRpLzzLTW6wqZAO6tAMU")
            .verify_slice(&official)
            .is_ok());
        assert!(signed
            .mac("IrdTc8uQodU7PRpLzzLTW6wqZAO6tAMV")
            .verify_slice(&official)
            .is_err());
    }

    #[test]
    fn headers_parse_with_commas_and_spaces_inside_values() {
        let header = parse(
            r#"MAC id="wk", ts="1343818800", nonce="a, b=c", mac="x+/=", ext="body_hash=y%3D""#,
        )
        .unwrap();
        assert_eq!(header.nonce, "a, b=c");
        assert_eq!(header.ext, "body_hash=y%3D");
        assert!(parse(r#"MAC id="wk", ts="1", mac="m""#).is_err());
        assert!(parse(r#"Bearer abc"#).is_err());
        assert!(parse(r#"MAC id=wk"#).is_err());
        assert_eq!(
            parse(r#"mac id="i", ts="1", nonce="n", mac="m""#)
                .unwrap()
                .ext,
            ""
        );
    }

    #[test]
    fn host_headers_give_host_and_port() {
        assert_eq!(
            host_and_port("127.0.0.1:8080", 80),
            Some(("127.0.0.1".into(), 8080))
        );
        assert_eq!(
            host_and_port("localhost", 80),
            Some(("localhost".into(), 80))
        );
        assert_eq!(
            host_and_port("localhost", 443),
            Some(("localhost".into(), 443))
        );
        assert_eq!(host_and_port("[::1]:9", 80), Some(("[::1]".into(), 9)));
        assert_eq!(
            host_and_port("LocalHost:8443", 443),
            Some(("localhost".into(), 8443))
        );
        assert_eq!(host_and_port("", 80), None);
        assert_eq!(host_and_port("h:x", 80), None);
    }
}
