//! Paysera Checkout payment requests, authenticated with a MAC header
//! (`seeds/003`, `vectors/paysera-mac.md`), and their callbacks.
