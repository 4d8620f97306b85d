//! Notifications the sandbox POSTs to the shop, as the real services do
//! (seQura's IPN to `notify_url`, a partner's webhook). Only loopback hosts
//! are ever contacted: a test order that names a real shop must never
//! reach it.

use crate::codec::encode_form;
use serde_json::{json, Value};
use std::net::IpAddr;
use std::sync::mpsc;
use std::time::Duration;

/// How long the sandbox waits for the shop to answer a notification.
const SHOP_TIMEOUT: Duration = Duration::from_secs(5);

/// A POST to the shop: a form (seQura) or a JSON document (webhooks),
/// with any headers the service adds (e.g. a signature).
pub(crate) struct Notification {
    pub url: String,
    pub body: String,
    content_type: &'static str,
    headers: Vec<(&'static str, String)>,
}

/// What came of one attempt: the shop's HTTP status, or why there is none.
pub(crate) struct Delivery {
    pub status: Option<u16>,
    pub error: Option<String>,
}

impl Delivery {
    /// `{"status": ..., "error": ...}`
    pub fn to_json(&self) -> Value {
        json!({"status": self.status, "error": self.error})
    }
}

impl Notification {
    pub fn form(url: &str, fields: &[(String, String)]) -> Notification {
        Notification {
            url: url.to_string(),
            body: encode_form(fields),
            content_type: "application/x-www-form-urlencoded",
            headers: Vec::new(),
        }
    }

    /// A JSON document, sent as its exact text (a signature covers it).
    #[allow(dead_code)] // until every flow is in
    pub fn json(url: &str, body: String) -> Notification {
        Notification {
            url: url.to_string(),
            body,
            content_type: "application/json",
            headers: Vec::new(),
        }
    }

    #[allow(dead_code)] // until every flow is in
    pub fn with_header(mut self, name: &'static str, value: String) -> Notification {
        self.headers.push((name, value));
        self
    }

    /// Sends it now, on this thread; never call this holding a lock.
    pub fn send(&self) -> Delivery {
        if !is_loopback_url(&self.url) {
            return Delivery {
                status: None,
                error: Some("skipped: notify_url is not a loopback address".into()),
            };
        }
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(SHOP_TIMEOUT))
            .build()
            .into();
        let mut request = agent
            .post(&self.url)
            .header("Content-Type", self.content_type);
        for (name, value) in &self.headers {
            request = request.header(*name, value);
        }
        let result = request.send(self.body.as_bytes());
        match result {
            Ok(response) => Delivery {
                status: Some(response.status().as_u16()),
                error: None,
            },
            Err(e) => Delivery {
                status: None,
                error: Some(e.to_string()),
            },
        }
    }

    /// Sends it on a thread of its own, so no request waits on the shop;
    /// `record` runs there with the outcome, then the outcome goes to the
    /// returned channel for whoever wants to wait for it.
    pub fn send_in_background(
        self,
        record: impl FnOnce(&Notification, &Delivery) + Send + 'static,
    ) -> mpsc::Receiver<Delivery> {
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            let delivery = self.send();
            record(&self, &delivery);
            // Nobody may be waiting any more; that is fine.
            let _ = sender.send(delivery);
        });
        receiver
    }
}

/// `http(s)://` to 127.0.0.0/8, localhost or [::1], and nothing else.
fn is_loopback_url(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    let Some(rest) = lower
        .strip_prefix("http://")
        .or_else(|| lower.strip_prefix("https://"))
    else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    // `http://127.0.0.1@shop.tld/` goes to shop.tld.
    if authority.contains('@') {
        return false;
    }
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => authority.split(':').next().unwrap_or_default(),
    };
    host == "localhost" || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_hosts_are_notified() {
        assert!(is_loopback_url("http://127.0.0.1:8080/ipn"));
        assert!(is_loopback_url("http://127.9.9.9/ipn"));
        assert!(is_loopback_url("HTTP://LocalHost/ipn"));
        assert!(is_loopback_url("https://[::1]:9/ipn"));
        assert!(is_loopback_url("http://localhost?x=1"));
        assert!(!is_loopback_url("https://my.shop.tld/ipn"));
        assert!(!is_loopback_url("http://127.0.0.1@evil.example/ipn"));
        assert!(!is_loopback_url("http://localhost.evil.example/ipn"));
        assert!(!is_loopback_url("http://10.0.0.1/ipn"));
        assert!(!is_loopback_url("ftp://127.0.0.1/ipn"));
        assert!(!is_loopback_url("127.0.0.1/ipn"));
    }

    #[test]
    fn a_remote_shop_is_never_contacted() {
        let delivery = Notification::form("https://shop.example/ipn", &[]).send();
        assert_eq!(delivery.status, None);
        assert_eq!(
            delivery.error.as_deref(),
            Some("skipped: notify_url is not a loopback address")
        );
    }
}
