//! Country and currency codes: assigned ISO 3166-1 and ISO 4217 codes,
//! looked up in the lists below, so that a typo is told from a code.
//!
//! The lists are turned into bit sets when the crate is compiled, one bit
//! per possible code of capital letters: a lookup is an index and a bit
//! test, on the code's bytes (anything but capital ASCII letters is no code).

/// An assigned ISO 3166-1 alpha-2 code, e.g. `ES`.
pub(crate) fn is_country_alpha2(code: &(impl AsRef<[u8]> + ?Sized)) -> bool {
    COUNTRIES_SET.contains(code.as_ref())
}

/// An assigned ISO 3166-1 alpha-2 or alpha-3 code, e.g. `ES` or `ESP`.
pub(crate) fn is_country(code: &(impl AsRef<[u8]> + ?Sized)) -> bool {
    let code = code.as_ref();
    COUNTRIES_SET.contains(code) || COUNTRIES_ALPHA3_SET.contains(code)
}

/// An active ISO 4217 alphabetic code, e.g. `EUR`.
pub(crate) fn is_currency(code: &(impl AsRef<[u8]> + ?Sized)) -> bool {
    CURRENCIES_SET.contains(code.as_ref())
}

/// The codes of one length, as a bit per possible code.
struct CodeSet<const LETTERS: usize, const WORDS: usize> {
    bits: [u64; WORDS],
}

impl<const LETTERS: usize, const WORDS: usize> CodeSet<LETTERS, WORDS> {
    /// The set of `codes`, each `LETTERS` capital letters (a build error
    /// otherwise).
    const fn of(codes: &[&str]) -> Self {
        let mut bits = [0u64; WORDS];
        let mut at = 0;
        while at < codes.len() {
            let Some(i) = Self::place(codes[at].as_bytes()) else {
                panic!("a code that is not capital letters of the set's length");
            };
            bits[i / 64] |= 1 << (i % 64);
            at += 1;
        }
        CodeSet { bits }
    }

    /// The bit of `code`, if it is `LETTERS` capital letters.
    #[inline(always)]
    const fn place(code: &[u8]) -> Option<usize> {
        if code.len() != LETTERS {
            return None;
        }
        let mut place = 0;
        let mut at = 0;
        while at < LETTERS {
            let letter = code[at].wrapping_sub(b'A');
            if letter >= 26 {
                return None;
            }
            place = place * 26 + letter as usize;
            at += 1;
        }
        Some(place)
    }

    #[inline(always)]
    fn contains(&self, code: &[u8]) -> bool {
        Self::place(code).is_some_and(|i| self.bits[i / 64] >> (i % 64) & 1 != 0)
    }
}

/// Words for a bit per code of two and of three letters.
const WORDS2: usize = (26 * 26_usize).div_ceil(64);
const WORDS3: usize = (26 * 26 * 26_usize).div_ceil(64);

static CURRENCIES_SET: CodeSet<3, WORDS3> = CodeSet::of(&CURRENCIES);
static COUNTRIES_SET: CodeSet<2, WORDS2> = CodeSet::of(&COUNTRIES);
static COUNTRIES_ALPHA3_SET: CodeSet<3, WORDS3> = CodeSet::of(&COUNTRIES_ALPHA3);

/// ISO 4217 alphabetic codes in use, sorted.
const CURRENCIES: [&str; 179] = [
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT",
    "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BOV", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD",
    "CAD", "CDF", "CHE", "CHF", "CHW", "CLF", "CLP", "CNY", "COP", "COU", "CRC", "CUP", "CVE",
    "CZK", "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL",
    "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR",
    "IQD", "IRR", "ISK", "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD",
    "KYD", "KZT", "LAK", "LBP", "LKR", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK",
    "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN", "MXV", "MYR", "MZN", "NAD", "NGN", "NIO",
    "NOK", "NPR", "NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON",
    "RSD", "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD",
    "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD",
    "TZS", "UAH", "UGX", "USD", "USN", "UYI", "UYU", "UYW", "UZS", "VED", "VES", "VND", "VUV",
    "WST", "XAF", "XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XCD", "XCG", "XDR", "XOF", "XPD",
    "XPF", "XPT", "XSU", "XTS", "XUA", "XXX", "YER", "ZAR", "ZMW", "ZWG",
];

/// ISO 3166-1 alpha-2 codes, sorted.
const COUNTRIES: [&str; 249] = [
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
];

/// ISO 3166-1 alpha-3 codes, sorted.
const COUNTRIES_ALPHA3: [&str; 249] = [
    "ABW", "AFG", "AGO", "AIA", "ALA", "ALB", "AND", "ARE", "ARG", "ARM", "ASM", "ATA", "ATF",
    "ATG", "AUS", "AUT", "AZE", "BDI", "BEL", "BEN", "BES", "BFA", "BGD", "BGR", "BHR", "BHS",
    "BIH", "BLM", "BLR", "BLZ", "BMU", "BOL", "BRA", "BRB", "BRN", "BTN", "BVT", "BWA", "CAF",
    "CAN", "CCK", "CHE", "CHL", "CHN", "CIV", "CMR", "COD", "COG", "COK", "COL", "COM", "CPV",
    "CRI", "CUB", "CUW", "CXR", "CYM", "CYP", "CZE", "DEU", "DJI", "DMA", "DNK", "DOM", "DZA",
    "ECU", "EGY", "ERI", "ESH", "ESP", "EST", "ETH", "FIN", "FJI", "FLK", "FRA", "FRO", "FSM",
    "GAB", "GBR", "GEO", "GGY", "GHA", "GIB", "GIN", "GLP", "GMB", "GNB", "GNQ", "GRC", "GRD",
    "GRL", "GTM", "GUF", "GUM", "GUY", "HKG", "HMD", "HND", "HRV", "HTI", "HUN", "IDN", "IMN",
    "IND", "IOT", "IRL", "IRN", "IRQ", "ISL", "ISR", "ITA", "JAM", "JEY", "JOR", "JPN", "KAZ",
    "KEN", "KGZ", "KHM", "KIR", "KNA", "KOR", "KWT", "LAO", "LBN", "LBR", "LBY", "LCA", "LIE",
    "LKA", "LSO", "LTU", "LUX", "LVA", "MAC", "MAF", "MAR", "MCO", "MDA", "MDG", "MDV", "MEX",
    "MHL", "MKD", "MLI", "MLT", "MMR", "MNE", "MNG", "MNP", "MOZ", "MRT", "MSR", "MTQ", "MUS",
    "MWI", "MYS", "MYT", "NAM", "NCL", "NER", "NFK", "NGA", "NIC", "NIU", "NLD", "NOR", "NPL",
    "NRU", "NZL", "OMN", "PAK", "PAN", "PCN", "PER", "PHL", "PLW", "PNG", "POL", "PRI", "PRK",
    "PRT", "PRY", "PSE", "PYF", "QAT", "REU", "ROU", "RUS", "RWA", "SAU", "SDN", "SEN", "SGP",
    "SGS", "SHN", "SJM", "SLB", "SLE", "SLV", "SMR", "SOM", "SPM", "SRB", "SSD", "STP", "SUR",
    "SVK", "SVN", "SWE", "SWZ", "SXM", "SYC", "SYR", "TCA", "TCD", "TGO", "THA", "TJK", "TKL",
    "TKM", "TLS", "TON", "TTO", "TUN", "TUR", "TUV", "TWN", "TZA", "UGA", "UKR", "UMI", "URY",
    "USA", "UZB", "VAT", "VCT", "VEN", "VGB", "VIR", "VNM", "VUT", "WLF", "WSM", "YEM", "ZAF",
    "ZMB", "ZWE",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lists_are_sorted_so_that_lookups_work() {
        assert!(CURRENCIES.windows(2).all(|w| w[0] < w[1]));
        assert!(COUNTRIES.windows(2).all(|w| w[0] < w[1]));
        assert!(COUNTRIES_ALPHA3.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn the_sets_hold_the_lists_and_nothing_else() {
        // Every code of two and three capital letters, and some that are not.
        let letters = b'A'..=b'Z';
        for a in letters.clone() {
            for b in letters.clone() {
                let two = String::from_utf8(vec![a, b]).unwrap();
                assert_eq!(
                    is_country_alpha2(&two),
                    COUNTRIES.contains(&two.as_str()),
                    "{two}"
                );
                for c in letters.clone() {
                    let three = String::from_utf8(vec![a, b, c]).unwrap();
                    let code = three.as_str();
                    assert_eq!(is_currency(code), CURRENCIES.contains(&code), "{code}");
                    assert_eq!(is_country(code), COUNTRIES_ALPHA3.contains(&code), "{code}");
                }
            }
        }
        for bad in [
            &b"E\xc9"[..],
            b"@S",
            b"E[",
            b"ES\0",
            b"\xffES",
            b"EUR ",
            b"",
        ] {
            assert!(!is_country(bad) && !is_currency(bad), "{bad:?}");
        }
    }

    #[test]
    fn assigned_codes_only() {
        for ok in ["ES", "ESP", "FR", "FRA", "PT", "PRT"] {
            assert!(is_country(ok), "{ok}");
        }
        for bad in ["XX", "EU", "es", "ESPA", "", "E", "ZZZ"] {
            assert!(!is_country(bad), "{bad}");
        }
        assert!(is_country_alpha2("ES") && !is_country_alpha2("ESP"));
        assert!(is_currency("EUR") && !is_currency("EUX") && !is_currency("eur"));
    }
}
