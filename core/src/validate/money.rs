//! Amounts in integer cents (minor units): every amount within what the
//! API carries, every sum checked for overflow, and a line's total within
//! rounding of its quantity times its price.

/// What an amount in cents can be when the API does not say less: an
/// `i64`.
pub(crate) const MAX_CENTS: i64 = i64::MAX;

/// A sum of amounts that says when it overflowed instead of wrapping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sum {
    /// The sum so far.
    Of(i64),
    /// An amount was missing or not an integer (a problem of its own):
    /// the sum is not known, and nothing is said of it.
    Unknown,
    /// The amounts add up past what an `i64` holds.
    Overflow,
}

impl Sum {
    pub const ZERO: Sum = Sum::Of(0);

    /// Adds `amount` (`None`: an amount that is missing or not an
    /// integer). Returns `true` when this addition is the one that
    /// overflowed, so that the caller names the amount once.
    #[must_use]
    pub fn add(&mut self, amount: Option<i64>) -> bool {
        match (*self, amount) {
            (Sum::Of(sum), Some(amount)) => match sum.checked_add(amount) {
                Some(sum) => *self = Sum::Of(sum),
                None => {
                    *self = Sum::Overflow;
                    return true;
                }
            },
            (Sum::Of(_), None) => *self = Sum::Unknown,
            _ => {}
        }
        false
    }

    /// The sum, when every amount was known and it did not overflow.
    pub fn value(self) -> Option<i64> {
        match self {
            Sum::Of(sum) => Some(sum),
            _ => None,
        }
    }
}

/// The message for the amount at which a sum of `what` overflowed.
pub(crate) fn overflow_message(what: &str) -> String {
    format!(
        "brings the sum of {what} past {MAX_CENTS} cents, more than any payment; check the amounts"
    )
}

/// Whether `f` is a whole number JSON carries as a float only because it
/// is too large for an integer: 2^63 or more (1e19, 1e20).
pub(crate) fn is_whole_past_i64(f: f64) -> bool {
    const PAST_I64: f64 = -(i64::MIN as f64);
    f.fract() == 0.0 && f.abs() >= PAST_I64
}

/// What is wrong with a JSON number given as an amount in cents that is
/// not an integer (`as_i64` is `None`): past what an amount can be (an
/// integer past i64, or a whole float as large: 1e19), or a fraction.
pub(crate) fn not_cents_message(n: &serde_json::Number) -> String {
    match past_i64(n) {
        PastI64::Above | PastI64::Below => out_of_range_message(n, MAX_CENTS),
        PastI64::Fraction => {
            format!("is the decimal number {n}, not whole cents; {ROUND_TO_CENTS}")
        }
    }
}

/// What a JSON number that is not an i64 is, as an amount: whole and past
/// what an amount can be (an integer past i64, or a whole float as large:
/// 1e19), above or below, or a fraction.
pub(crate) enum PastI64 {
    Above,
    Below,
    Fraction,
}

/// Which of [`PastI64`] a number that is not an i64 is.
pub(crate) fn past_i64(n: &serde_json::Number) -> PastI64 {
    match n.as_f64() {
        _ if n.is_u64() => PastI64::Above,
        Some(f) if is_whole_past_i64(f) && f > 0.0 => PastI64::Above,
        Some(f) if is_whole_past_i64(f) => PastI64::Below,
        _ => PastI64::Fraction,
    }
}

/// What a message about an amount given as a decimal number adds: how to
/// make the integer the API takes, rounding (`(int) ($price * 100)` would
/// cut 19.99 to 1998). (PHP's whole floats, `1999.0`, are integers there;
/// JSON text from Rust and C says `1999`.)
pub(crate) const ROUND_TO_CENTS: &str =
    "round it to whole cents, e.g. (int) round($price * 100) in PHP";

/// The message for an integer beyond what an amount in cents can be.
pub(crate) fn out_of_range_message(value: impl std::fmt::Display, max: i64) -> String {
    format!("is {value}, beyond what an amount in cents can be (at most {max}); send the amount in cents")
}

/// Why a line's `total` does not go with its `quantity` and `price` (all
/// in cents): they may differ by rounding only, at most one cent per
/// unit. `None` when they go together.
pub(crate) fn line_problem(quantity: i64, price: i64, total: i64) -> Option<String> {
    // In i128 nothing here overflows: |q × p| < 2^126.
    let product = i128::from(quantity) * i128::from(price);
    if i64::try_from(product).is_err() {
        return Some(format!(
            "cannot be right: quantity × price_with_tax ({quantity} × {price}) is beyond what an amount in cents can be; check them"
        ));
    }
    let difference = (i128::from(total) - product).abs();
    let allowed = i128::from(quantity).abs();
    (difference > allowed).then(|| {
        format!(
            "is {total} but quantity × price_with_tax is {quantity} × {price} = {product}; they may differ by rounding only, at most one cent per unit ({allowed} here)"
        )
    })
}

/// Why a cart's `total` is not the sum of its items' totals, `sum`; `items`
/// is the items' path (`cart.items`). The total is what the shopper pays,
/// so the advice is to make the items agree with it, not the other way.
pub(crate) fn sum_problem(total: i64, sum: i64, items: &str) -> String {
    format!(
        "is {total} but {items}[].total_with_tax add up to {sum}: make the items add up to what the shopper pays (a rounding difference may go on an item's total_with_tax, which may differ from quantity × price_with_tax by a cent a unit)"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One message for a number that is not whole cents, in every
    /// document: past any amount, or a fraction to round.
    #[test]
    fn a_number_that_is_not_cents_says_why() {
        let number = |text: &str| serde_json::from_str::<serde_json::Number>(text).unwrap();
        for huge in ["9223372036854775808", "1e19", "-1e19"] {
            let message = not_cents_message(&number(huge));
            assert!(
                message.contains("beyond what an amount in cents can be"),
                "{huge}: {message}"
            );
        }
        assert_eq!(
            not_cents_message(&number("12.5")),
            "is the decimal number 12.5, not whole cents; round it to whole cents, e.g. (int) round($price * 100) in PHP"
        );
    }

    #[test]
    fn a_sum_says_where_it_overflowed() {
        let mut sum = Sum::ZERO;
        assert!(!sum.add(Some(i64::MAX)));
        assert!(sum.add(Some(1)));
        assert_eq!(sum, Sum::Overflow);
        assert!(!sum.add(Some(1)));
        assert_eq!(sum.value(), None);
        let mut sum = Sum::ZERO;
        assert!(!sum.add(Some(-5)) && !sum.add(Some(7)));
        assert_eq!(sum.value(), Some(2));
        assert!(!sum.add(None));
        assert_eq!(sum, Sum::Unknown);
    }

    #[test]
    fn a_line_total_is_its_quantity_times_its_price_within_a_cent_per_unit() {
        assert_eq!(line_problem(2, 3030, 6060), None);
        assert_eq!(line_problem(3, 333, 1000), None);
        assert_eq!(line_problem(3, 333, 998), None);
        let message = line_problem(2, 3030, 6063).unwrap();
        assert_eq!(message, "is 6063 but quantity × price_with_tax is 2 × 3030 = 6060; they may differ by rounding only, at most one cent per unit (2 here)");
        assert!(line_problem(1, 3030, 75020).is_some());
        assert!(line_problem(2, i64::MAX, 0).unwrap().contains("beyond"));
        assert!(line_problem(i64::MAX, i64::MIN, 0).is_some());
    }
}
