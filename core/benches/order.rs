//! What checking an order costs next to encoding it: validates and
//! serialises seQura's example order, against a baseline measured in the
//! same run (serde_json writing the same order), and prints the ratios.
//!
//! `cargo bench -p sequra --bench order`

#[path = "../tests/fixtures/seed.rs"]
mod seed;
#[path = "common/timing.rs"]
mod timing;

use sequra::orders::payload::{validate, validate_visiting, Encode, JsonWriter};
use std::hint::black_box;

/// Nanoseconds per call of `f`.
fn per_call(f: impl FnMut()) -> f64 {
    timing::per_call(2_000, f).as_nanos() as f64
}

fn main() {
    let (order, options) = seed::seed_order_made_valid();
    assert!(validate(&order, &options).is_empty());
    // `ORDER_BENCH_PROFILE=validate` (or `serde_json`, the baseline, or
    // `one-walk`, validate and write) runs only that, a fixed number of times, for `valgrind --tool=callgrind`: instruction counts
    // are steady where timings on a shared machine are not.
    if let Ok(what) = std::env::var("ORDER_BENCH_PROFILE") {
        for _ in 0..1_000 {
            match what.as_str() {
                "serde_json" => drop(black_box(serde_json::to_string(black_box(&order)))),
                "validate" => drop(black_box(validate(black_box(&order), &options))),
                "one-walk" => {
                    let mut writer = JsonWriter::default();
                    validate_visiting(black_box(&order), &options, &mut writer);
                    drop(black_box(writer.finish()));
                }
                _ => {} // the setup alone, to subtract
            }
        }
        return;
    }
    let baseline = per_call(|| {
        black_box(serde_json::to_string(black_box(&order)).unwrap());
    });
    let validate_only = per_call(|| {
        black_box(validate(black_box(&order), &options));
    });
    let validate_and_encode = per_call(|| {
        assert!(validate(black_box(&order), &options).is_empty());
        black_box(serde_json::to_string(&order).unwrap());
    });
    // What the order calls send: the JSON written by the walk that validates.
    let one_walk = per_call(|| {
        let mut writer = JsonWriter::default();
        assert!(validate_visiting(black_box(&order), &options, &mut writer).is_empty());
        black_box(writer.finish().unwrap());
    });
    println!(
        "seQura example order ({} bytes of JSON)",
        serde_json::to_string(&order).unwrap().len()
    );
    println!(
        "{:<38} {:>9.0} ns  1.00x",
        "baseline: serde_json encode", baseline
    );
    for (name, ns) in [
        ("validate", validate_only),
        ("validate + encode", validate_and_encode),
        ("validate + encode, one walk", one_walk),
    ] {
        println!("{name:<38} {ns:>9.0} ns  {:.2}x", ns / baseline);
    }
    // Bad orders cost what their size costs: 10 000 unknown keys are all
    // walked (100 problems listed, the rest counted); a million are
    // refused by the size bound after reading 100 000 values at most.
    for keys in [10_000, 1_000_000] {
        let mut bad = order.clone();
        let extra: serde_json::Map<String, serde_json::Value> = (0..keys)
            .map(|i| (format!("x{i}"), serde_json::Value::Null))
            .collect();
        bad["customer"] = serde_json::Value::Object(extra);
        let encode = per_call_few(|| {
            black_box(serde_json::to_string(black_box(&bad)).unwrap());
        });
        let check = per_call_few(|| {
            black_box(validate(black_box(&bad), &options));
        });
        println!(
            "{:<38} {check:>9.0} ns  {:.2}x its encode",
            format!("validate, {keys} unknown keys"),
            check / encode
        );
    }
}

/// [`per_call`] for calls that take milliseconds: the best of a few single calls.
fn per_call_few(f: impl FnMut()) -> f64 {
    timing::per_call(1, f).as_nanos() as f64
}
