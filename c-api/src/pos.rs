//! The C functions of pos.
