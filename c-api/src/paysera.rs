//! The C functions of paysera.
