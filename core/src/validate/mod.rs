//! The validation toolkit every API's validator uses: one check per kind
//! of field (URLs, hosts, ...), each with one rule.

pub(crate) mod url;
