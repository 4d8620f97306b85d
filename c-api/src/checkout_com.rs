//! The C functions of checkout_com.
