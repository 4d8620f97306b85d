//! The IPN seQura POSTs to the shop's `notify_url` when it approves an
//! order. Only loopback hosts are ever contacted.

use crate::http::encode;
use serde_json::Value;
use std::net::IpAddr;
use std::time::Duration;

/// How long the sandbox waits for the shop's answer to an IPN.
const SHOP_TIMEOUT: Duration = Duration::from_secs(5);

/// An IPN ready to send.
pub(crate) struct Ipn {
    pub url: String,
    body: String,
}

/// What the shop answered.
pub(crate) struct Delivery {
    pub status: Option<u16>,
    pub error: Option<String>,
}

impl Ipn {
    /// The IPN for an approved order, or `None` when it has no notify_url.
    /// A notify_url that is not on loopback gets an IPN that is never sent.
    pub fn for_order(uuid: &str, product: &str, since: &str, order: &Value) -> Option<Ipn> {
        let url = order.pointer("/merchant/notify_url")?.as_str()?.to_string();
        let reference = match order.pointer("/merchant_reference/order_ref_1") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => String::new(),
        };
        let mut fields = vec![
            ("order_ref".to_string(), uuid.to_string()),
            ("product_code".into(), product.to_string()),
            ("sq_state".into(), "approved".into()),
            ("order_ref_1".into(), reference),
            ("approved_since".into(), since.to_string()),
        ];
        if let Some(Value::Object(parameters)) = order.pointer("/merchant/notification_parameters")
        {
            for (key, value) in parameters {
                let text = match value {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                fields.push((key.clone(), text));
            }
        }
        let body = fields
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        Some(Ipn { url, body })
    }

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
        let result = agent
            .post(&self.url)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .send(self.body.as_bytes());
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
}

/// `http(s)://` to 127.0.0.0/8, localhost or [::1].
fn is_loopback_url(url: &str) -> bool {
    let Some(rest) = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))
    else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') {
        return false;
    }
    let host = if let Some(v6) = authority.strip_prefix('[') {
        v6.split(']').next().unwrap_or_default()
    } else {
        authority.split(':').next().unwrap_or_default()
    };
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_is_notified() {
        assert!(is_loopback_url("http://127.0.0.1:8080/ipn"));
        assert!(is_loopback_url("http://localhost/ipn"));
        assert!(is_loopback_url("https://[::1]:9/ipn"));
        assert!(!is_loopback_url("https://my.shop.tld/ipn"));
        assert!(!is_loopback_url("http://127.0.0.1@evil.example/ipn"));
        assert!(!is_loopback_url("http://10.0.0.1/ipn"));
    }
}
