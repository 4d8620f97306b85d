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
/// At most this many tries of one notification. seQura tries again when
/// the shop answers 409 ("ask me later") or fails (no answer, 5xx), and
/// gives up after a bounded number of tries; the sandbox's pause is short
/// so tests see the whole series in well under a second.
pub(crate) const MAX_TRIES: usize = 4;
const RETRY_PAUSE: Duration = Duration::from_millis(150);

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

    /// Whether seQura asks again: the shop said "later" (409) or failed.
    /// 200 (taken), 404 (unknown order) and 410 (never) are final, and so
    /// is a skipped (non-loopback) address.
    fn worth_retrying(&self) -> bool {
        match self.status {
            Some(409) => true,
            Some(status) => status >= 500,
            None => !self
                .error
                .as_deref()
                .is_some_and(|e| e.starts_with("skipped")),
        }
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
    pub fn json(url: &str, body: String) -> Notification {
        Notification {
            url: url.to_string(),
            body,
            content_type: "application/json",
            headers: Vec::new(),
        }
    }

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

    /// Sends it on a thread of its own, so no request waits on the shop,
    /// trying again (up to [`MAX_TRIES`]) while the shop answers 409 or
    /// fails. `record` runs there after each try; the last outcome goes to
    /// the returned channel for whoever wants to wait for it.
    pub fn send_in_background(
        self,
        record: impl Fn(&Notification, &Delivery) + Send + 'static,
    ) -> mpsc::Receiver<Delivery> {
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            let mut tries = 1;
            let mut delivery = self.send();
            record(&self, &delivery);
            while delivery.worth_retrying() && tries < MAX_TRIES {
                std::thread::sleep(RETRY_PAUSE);
                tries += 1;
                delivery = self.send();
                record(&self, &delivery);
            }
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
    fn only_later_and_failures_are_tried_again() {
        let delivery = |status: Option<u16>, error: Option<&str>| Delivery {
            status,
            error: error.map(str::to_string),
        };
        assert!(delivery(Some(409), None).worth_retrying());
        assert!(delivery(Some(503), None).worth_retrying());
        assert!(delivery(None, Some("connection refused")).worth_retrying());
        for final_status in [200, 404, 410] {
            assert!(!delivery(Some(final_status), None).worth_retrying());
        }
        assert!(
            !delivery(None, Some("skipped: notify_url is not a loopback address")).worth_retrying()
        );
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
