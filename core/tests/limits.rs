//! Validation is linear in what an API could accept, and its answer is
//! bounded whatever it is given: a million unknown keys or a 50 MB string
//! get a short list of problems quoting at most an excerpt. Sizes are
//! asserted, never times.

use sequra::checkout_com::validate::{problems as setup_problems, Purpose};
use sequra::orders::notifications::Ipn;
use sequra::orders::payload::{validate, ValidateOptions, MAX_PROBLEMS};
use sequra::orders::{Client, Config, Endpoint, FormOptions};
use sequra::{Error, Problem};
use serde_json::{json, Map, Value};

#[path = "fixtures/seed.rs"]
mod seed;

/// The bytes of every path and message: what a caller is handed.
fn size(problems: &[Problem]) -> usize {
    problems
        .iter()
        .map(|p| p.path.len() + p.message.len())
        .sum()
}

fn many_keys(n: usize) -> Map<String, Value> {
    (0..n).map(|i| (format!("x{i}"), Value::Null)).collect()
}

fn fifty_megabytes() -> String {
    "é".repeat(25 << 20)
}

#[test]
fn a_million_unknown_keys_get_one_short_problem() {
    let (mut order, options) = seed::seed_order_made_valid();
    order["customer"] = Value::Object(many_keys(1_000_000));
    for allow_unknown_keys in [false, true] {
        let options = ValidateOptions {
            allow_unknown_keys,
            ..options.clone()
        };
        let problems = validate(&order, &options);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].path, "order");
        assert!(problems[0].message.contains("more than 100000 values"));
        assert!(size(&problems) < 300);
    }
}

#[test]
fn a_value_as_deep_as_the_bound_reads_is_counted_whole() {
    // An unknown key's list at depth 64 (the order is depth 0): the PHP
    // extension writes such a list, so the bound counts every element.
    // Deeper, a list is one value, and every walker refuses it.
    let (order, options) = seed::seed_order_made_valid();
    let options = ValidateOptions {
        allow_unknown_keys: true,
        ..options
    };
    let nested = |depth: usize| {
        let mut value = Value::Array(vec![json!(1); 100_001]);
        for _ in 1..depth {
            value = json!([value]);
        }
        let mut order = order.clone();
        order["extra"] = value;
        validate(&order, &options)
    };
    let problems = nested(64);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].message.contains("more than 100000 values"));
    assert_eq!(nested(65), []);
}

#[test]
fn a_fifty_megabyte_string_gets_one_short_problem() {
    let (mut order, options) = seed::seed_order_made_valid();
    order["customer"]["given_names"] = Value::String(fifty_megabytes());
    let problems = validate(&order, &options);
    assert_eq!(problems.len(), 1);
    assert!(problems[0].message.contains("bytes of text"));
    assert!(size(&problems) < 300);
}

#[test]
fn problems_past_the_cap_are_counted_not_listed() {
    let (mut order, options) = seed::seed_order_made_valid();
    let mut customer = order["customer"].as_object().unwrap().clone();
    customer.extend(many_keys(10_000));
    order["customer"] = Value::Object(customer);
    let problems = validate(&order, &options);
    assert_eq!(problems.len(), MAX_PROBLEMS + 1);
    assert_eq!(problems[MAX_PROBLEMS].path, "order");
    assert_eq!(
        problems[MAX_PROBLEMS].message,
        format!(
            "and {} more problems not listed; fix those above and validate again",
            10_000 - MAX_PROBLEMS
        )
    );
    assert!(size(&problems) < 20_000);
}

#[test]
fn a_long_value_or_key_is_quoted_by_an_excerpt_and_its_length() {
    let (mut order, options) = seed::seed_order_made_valid();
    let long = format!("http://shop.example/{}", "a".repeat(2 << 20));
    order["merchant"]["notify_url"] = json!(long);
    order["customer"]["k".repeat(1 << 19)] = json!(1);
    let items = order["cart"]["items"].as_array().unwrap().clone();
    let gaps: Map<String, Value> = (0..5000)
        .map(|i| (format!("{}", i * 2), items[i % 2].clone()))
        .collect();
    order["cart"]["items"] = Value::Object(gaps);
    let problems = validate(&order, &options);
    assert!(size(&problems) < 40_000, "{}", size(&problems));
    let notify = problems
        .iter()
        .find(|p| p.path == "merchant.notify_url")
        .unwrap();
    assert!(notify.message.contains(&format!("({} bytes)", long.len())));
    assert!(problems
        .iter()
        .any(|p| p.path.starts_with("customer.\"kkk") && p.path.len() < 100));
}

#[test]
fn an_order_uri_of_fifty_megabytes_is_quoted_by_an_excerpt() {
    let client = Client::new(Config::new(Endpoint::Sandbox, "m", "u", "p")).unwrap();
    let uri = format!("https://sandbox.sequrapi.com/orders/{}", fifty_megabytes());
    let err = client
        .orders()
        .form(&uri, &FormOptions::default())
        .unwrap_err();
    assert!(err.to_string().len() < 400, "{}", err.to_string().len());
    let err = client
        .orders()
        .send_form(&fifty_megabytes(), "pp3")
        .unwrap_err();
    assert!(err.to_string().len() < 400);
}

#[test]
fn the_other_apis_bound_their_answers_too() {
    let huge = Value::Object(many_keys(1_000_000));
    let long = json!({"amount": 1, "currency": fifty_megabytes()});
    for document in [&huge, &long] {
        let answers = [
            sequra::pos::validate::validate(document, false, None),
            setup_problems(document, Purpose::Create, None),
            sequra::paysera::validate::payment_request(document),
        ];
        for problems in answers {
            assert_eq!(problems.len(), 1, "{problems:?}");
            assert!(size(&problems) < 300);
        }
    }
    // Within the bound, every value of a long string is quoted by an excerpt.
    let mut setup = json!({"amount": 1, "currency": "x".repeat(500_000)});
    setup["settings"] = json!({"success_url": format!("http://{}", "h".repeat(500_000))});
    let problems = setup_problems(&setup, Purpose::Create, None);
    assert!(size(&problems) < 2_000, "{problems:?}");
    let request = json!({"order_id": "o".repeat(500_000), "locale": "l".repeat(500_000)});
    assert!(size(&sequra::paysera::validate::payment_request(&request)) < 2_000);
}

#[test]
fn a_notification_with_a_long_bad_field_gets_a_short_error() {
    let body = format!(
        "order_ref=a&product_code=i1&sq_state={}",
        "z".repeat(50 << 20)
    );
    let err = Ipn::from_form(body.as_bytes()).unwrap_err();
    assert!(err.to_string().len() < 400);
    let body = format!("order_ref=%zz{}", "z".repeat(50 << 20));
    let err = Ipn::from_form(body.as_bytes()).unwrap_err();
    assert!(err.to_string().len() < 400);
}

#[test]
fn an_error_with_many_problems_lists_a_bounded_number_in_its_message() {
    let problems: Vec<Problem> = (0..10_000)
        .map(|i| Problem::new(format!("p{i}"), "is wrong"))
        .collect();
    let error = Error::InvalidInput(problems);
    let message = error.to_string();
    assert!(message.len() < 400, "{}", message.len());
    assert!(message.ends_with("; and 9990 more"), "{message}");
    assert_eq!(
        error.problems().len(),
        10_000,
        "every problem is still listed"
    );
}

#[test]
fn many_trackings_are_checked_in_one_pass() {
    let (mut order, mut options) = seed::seed_order_made_valid();
    options.contract.shipment_ref = true;
    let mut trackings: Vec<Value> = (0..20_000)
        .map(|i| json!({"type": "postal", "reference": format!("t{i}"), "carrier": "SEUR"}))
        .collect();
    trackings.push(json!({"type": "postal", "reference": "t7", "carrier": "SEUR"}));
    order["trackings"] = Value::Array(trackings);
    for item in order["cart"]["items"].as_array_mut().unwrap() {
        if item.get("type").is_none() {
            item["tracking_reference"] = json!("t19999");
        }
    }
    let problems: Vec<String> = validate(&order, &options)
        .iter()
        .map(Problem::to_string)
        .collect();
    assert_eq!(problems, [
        "trackings[20000].reference: \"t7\" is used by an earlier tracking; each tracking needs its own reference",
    ]);
}
