//! In-store seQura: the part-payment (POS) orders API (`seeds/002`).
