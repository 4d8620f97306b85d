//! IP addresses, as an order names the shopper's.

/// Whether `text` is one IPv4 or IPv6 address, as `std::net::IpAddr`
/// parses it; the usual dotted quad in one pass over its bytes (every
/// order has one, `customer.ip_number`: std's parser costs some 300
/// instructions).
pub(crate) fn is_ip(text: &[u8]) -> bool {
    if text.contains(&b':') {
        return std::str::from_utf8(text)
            .is_ok_and(|text| text.parse::<std::net::Ipv6Addr>().is_ok());
    }
    let (mut dots, mut number, mut digits) = (0, 0u32, 0);
    for &c in text {
        match c {
            // No leading zero (std reads none), at most 255.
            b'0'..=b'9' if digits == 0 || number > 0 => {
                number = number * 10 + u32::from(c - b'0');
                digits += 1;
                if number > 255 {
                    return false;
                }
            }
            b'.' if digits > 0 => (dots, number, digits) = (dots + 1, 0, 0),
            _ => return false,
        }
    }
    dots == 3 && digits > 0
}

#[cfg(test)]
mod tests {
    use super::is_ip;

    #[test]
    fn an_ip_is_what_std_parses() {
        let std = |text: &str| text.parse::<std::net::IpAddr>().is_ok();
        let mut cases: Vec<String> = [
            "",
            ".",
            "1",
            "1.2.3",
            "1.2.3.4",
            "1.2.3.4.",
            ".1.2.3",
            "1..2.3",
            "0.0.0.0",
            "255.255.255.255",
            "256.1.1.1",
            "01.2.3.4",
            "1.2.3.04",
            "1.2.3.4 ",
            "1.2.3.4,5.6.7.8",
            "::",
            "::1",
            "2001:db8::1",
            "::ffff:1.2.3.4",
            "1:2",
            "fe80::1%eth0",
            "1.2.3.-4",
            "١.٢.٣.٤",
            "1.2.3.4\0",
        ]
        .map(String::from)
        .into();
        // Every string of up to nine bytes from these, the edges of a quad.
        let alphabet = ["0", "1", "9", "25", "255", "256", "00", "."];
        let mut layer = vec![String::new()];
        for _ in 0..5 {
            layer = layer
                .iter()
                .flat_map(|s| alphabet.iter().map(move |a| format!("{s}{a}")))
                .collect();
            cases.extend(layer.iter().cloned());
        }
        for case in &cases {
            assert_eq!(is_ip(case.as_bytes()), std(case), "{case:?}");
        }
    }
}
