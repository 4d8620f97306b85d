//! Ids that go into a URL path: an order reference, a merchant id, a
//! payment request's or setup's id.

use crate::error::{Error, Result};
use crate::redact::quote;

/// What a document's `merchant.id` that is not the client's (`described`,
/// as [`super::text::describe`] puts it) is told: the request names the
/// client's merchant (`Sequra-Merchant-Id`), and the server refuses a
/// document of another one.
pub(crate) fn other_merchant_problem(described: &str, merchant: &str) -> String {
    format!(
        "is {described} but the client is for merchant {}, which the request names; make them equal",
        quote(merchant)
    )
}

/// The longest id accepted in a path.
pub const MAX_PATH_ID: usize = 255;

/// `id` as one segment of a URL path, percent-encoded; `argument` names it
/// in the problem. Refused: an empty or blank id, `.` and `..` (a server
/// or proxy would resolve them into another path), control characters,
/// and more than [`MAX_PATH_ID`] bytes.
pub(crate) fn path_segment(argument: &str, id: &str) -> Result<String> {
    match segment_problem(id) {
        None => Ok(crate::form::encode(id)),
        Some(why) => Err(Error::invalid(argument, why)),
    }
}

/// Whether `id` (bytes, as a document may hold them) passes
/// [`path_segment`]: what an order's `order_ref_1` must be, as the calls
/// that put it in a path (`orders update`, `update_references`) take it.
#[inline(never)] // out of the order walker's loop, which it would crowd
pub(crate) fn is_path_segment(id: &[u8]) -> bool {
    std::str::from_utf8(id).is_ok_and(|id| segment_problem(id).is_none())
}

/// What is wrong with `id` as a path segment, or `None`.
pub(crate) fn segment_problem(id: &str) -> Option<String> {
    Some(if id.trim().is_empty() {
        "is empty".to_string()
    } else if id == "." || id == ".." {
        format!(
            "is {}, which a server reads as a step in the path, not an id; pass the id itself",
            quote(id)
        )
    } else {
        return super::text::line_problem(id, MAX_PATH_ID);
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_cannot_step_out_of_their_segment() {
        assert_eq!(path_segment("order_ref_1", "A-1").unwrap(), "A-1");
        assert_eq!(path_segment("order_ref_1", "a/b?c").unwrap(), "a%2Fb%3Fc");
        assert_eq!(path_segment("order_ref_1", "...").unwrap(), "...");
        for bad in ["", " ", ".", "..", "a\nb"] {
            let err = path_segment("order_ref_1", bad).unwrap_err();
            assert_eq!(err.problems()[0].path, "order_ref_1", "{bad:?}");
        }
        let long = "x".repeat(50 << 20);
        let err = path_segment("id", &long).unwrap_err();
        assert!(err.to_string().len() < 200);
    }
}
