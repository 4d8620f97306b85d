//! Property tests: random documents, and valid ones mutated at random,
//! fed to every validator and reader of caller input. Whatever they are
//! given they never panic and answer only typed errors or problems, each
//! with a path and a bounded message. Case counts are kept small so that
//! `cargo test` stays fast.

use crate::checkout_com::validate::{problems as setup_problems, Purpose};
use crate::error::{Error, Problem};
use crate::orders::notifications::{Event, Ipn};
use crate::orders::payload::{validate, Contract, Flow, ValidateOptions};
use crate::orders::FormOptions;
use crate::validate::MAX_PROBLEMS;
use proptest::prelude::*;
use proptest::test_runner::Config as Cases;
use serde_json::{json, Map, Value};

/// The longest message a problem may have: a sentence with excerpts.
const MAX_MESSAGE: usize = 1_000;

fn cases() -> Cases {
    Cases {
        cases: 48,
        failure_persistence: None,
        ..Cases::default()
    }
}

/// Names the documents use, so that random objects hit real fields.
const NAMES: &[&str] = &[
    "state",
    "merchant",
    "id",
    "cart",
    "items",
    "type",
    "total_with_tax",
    "price_with_tax",
    "quantity",
    "order_total_with_tax",
    "currency",
    "customer",
    "email",
    "notify_url",
    "delivery_address",
    "country_code",
    "trackings",
    "reference",
    "tracking_reference",
    "subscription",
    "discounts",
    "amount",
    "price",
    "payer",
    "settings",
    "success_url",
    "billing",
    "address",
    "country",
    "cart_items",
    "mobile_phone",
    "nin",
    "date_of_birth",
    "shipped_cart",
    "unshipped_cart",
    "order_ref_1",
    "contract",
    "flow",
    "allow_unknown_keys",
    "product",
    "campaign",
    "ajax",
    "endpoint",
    "merchant_id",
    "password",
    "timeout",
    "0",
    "1",
    "9",
];

/// Texts that are, or are close to, what fields hold.
const TEXTS: &[&str] = &[
    "",
    " ",
    ".",
    "..",
    "EUR",
    "eur",
    "ES",
    "ESP",
    "XX",
    "2017-06-30",
    "2017-02-30",
    "2017-06-30T13:50:00+02:00",
    "P3M15D",
    "https://shop.example/a?b#c",
    "http://shop.example/x",
    "http://127.0.0.1:1/x",
    "https://u:p@h.example/",
    "https://h.example:99999/",
    "HTTPS://H.EXAMPLE",
    "ftp://x",
    "confirmed",
    "product",
    "service",
    "discount",
    "+34666123456",
    "12345678Z",
    "maria@example.com",
    "999",
    "9.99",
    "pc_wzjki6hw5puepb5fnvqlizj2e4",
    "set_rcmepwrchqab2wsergcafvijfy",
    "sandbox",
    "live",
    "é\u{0}\n\"\\",
    "😀",
];

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(TEXTS).prop_map(str::to_string),
        prop::sample::select(NAMES).prop_map(str::to_string),
        ".{0,12}",
        (0usize..3000).prop_map(|n| "x".repeat(n)),
    ]
}

fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (-3i64..5).prop_map(Value::from),
        Just(json!(i64::MAX)),
        Just(json!(i64::MIN)),
        Just(json!(u64::MAX)),
        (-1e20f64..1e20).prop_map(Value::from),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        number(),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![prop::sample::select(NAMES).prop_map(str::to_string), text()],
                    inner
                ),
                0..6
            )
            .prop_map(|members| Value::Object(members.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// One change to a document: at the `at`-th of its values (in a walk of
/// it), replace it, remove it from its object, or add a member to it.
#[derive(Debug, Clone)]
struct Mutation {
    at: usize,
    op: u8,
    key: String,
    value: Value,
}

fn mutations() -> impl Strategy<Value = Vec<Mutation>> {
    prop::collection::vec(
        (
            any::<usize>(),
            0u8..3,
            prop::sample::select(NAMES),
            json_value(),
        )
            .prop_map(|(at, op, key, value)| Mutation {
                at,
                op,
                key: key.to_string(),
                value,
            }),
        1..5,
    )
}

/// The paths (JSON pointers) of every value of `value`.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, member) in map {
                pointers(
                    member,
                    format!("{at}/{}", key.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(list) => {
            for (i, element) in list.iter().enumerate() {
                pointers(element, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

fn mutate(mut document: Value, changes: &[Mutation]) -> Value {
    for change in changes {
        let mut all = Vec::new();
        pointers(&document, String::new(), &mut all);
        let pointer = all[change.at % all.len()].clone();
        let (parent, last) = pointer.rsplit_once('/').unwrap_or(("", ""));
        match change.op {
            0 => match document.pointer_mut(&pointer) {
                Some(target) => *target = change.value.clone(),
                None => document = change.value.clone(),
            },
            1 => {
                if let Some(Value::Object(map)) = document.pointer_mut(parent) {
                    map.remove(&last.replace("~1", "/").replace("~0", "~"));
                }
            }
            _ => {
                if let Some(Value::Object(map)) = document.pointer_mut(&pointer) {
                    map.insert(change.key.clone(), change.value.clone());
                }
            }
        }
    }
    document
}

fn assert_bounded(problems: &[Problem]) -> Result<(), TestCaseError> {
    prop_assert!(
        problems.len() <= MAX_PROBLEMS + 1,
        "{} problems",
        problems.len()
    );
    for problem in problems {
        prop_assert!(!problem.path.is_empty(), "{problem:?}");
        prop_assert!(!problem.message.is_empty(), "{problem:?}");
        prop_assert!(problem.message.len() <= MAX_MESSAGE, "{problem:?}");
        prop_assert!(problem.path.len() <= MAX_MESSAGE, "{problem:?}");
    }
    Ok(())
}

fn assert_typed<T>(result: Result<T, Error>) -> Result<(), TestCaseError> {
    if let Err(error) = result {
        assert_bounded(error.problems())?;
        prop_assert!(error.to_string().len() <= (MAX_PROBLEMS + 1) * 2 * MAX_MESSAGE);
    }
    Ok(())
}

fn options() -> impl Strategy<Value = ValidateOptions> {
    (any::<[bool; 5]>(), any::<bool>(), any::<bool>()).prop_map(|(c, legacy, allow)| {
        ValidateOptions {
            contract: Contract {
                services: c[0],
                multistore: c[1],
                garage: c[2],
                shipment_ref: c[3],
                instore: c[4],
            },
            flow: if legacy {
                Flow::PosLegacy
            } else {
                Flow::Online
            },
            allow_unknown_keys: allow,
            merchant: None,
            endpoint_is_public: false,
        }
    })
}

fn seed_order() -> Value {
    let mut order: Value =
        serde_json::from_str(include_str!("../../../tests/fixtures/seed_order.json")).unwrap();
    let items: Vec<Value> = order["cart"]["items"]
        .as_object()
        .unwrap()
        .values()
        .cloned()
        .collect();
    order["cart"]["items"] = Value::Array(items);
    order
}

fn pos_order() -> Value {
    json!({
        "merchant": {"id": "m", "store_ref": "s"}, "operator_ref": "o", "reference": "r",
        "mobile_phone": "+34666123456", "given_names": "María", "surnames": "García",
        "date_of_birth": "1990-01-01", "nin": "12345678Z", "address": "Calle Mayor 1",
        "postal_code": "08001", "city": "Barcelona",
        "cart_items": [{"reference": "F", "name": "Frame", "price_with_tax": 25000, "quantity": 1}]
    })
}

fn setup() -> Value {
    json!({
        "amount": 20000, "currency": "EUR", "reference": "ORD-1",
        "billing": {"address": {"address_line1": "C/ Aragó 383", "city": "Barcelona", "country": "ES"}},
        "settings": {"success_url": "https://shop.example/ok", "failure_url": "https://shop.example/ko"}
    })
}

fn payment_request() -> Value {
    json!({
        "business_id": "b", "order_id": "o", "price": {"amount": "999", "currency": "EUR"},
        "description": "d", "payer": {"email": "a@example.com"},
        "accept_url": "https://shop.example/a", "cancel_url": "https://shop.example/c",
        "callback_url": "https://shop.example/cb", "locale": "en"
    })
}

fn update() -> Value {
    let item =
        json!({"reference": "a", "quantity": 2, "price_with_tax": 3030, "total_with_tax": 6060});
    json!({
        "shipped_cart": {"currency": "EUR", "order_total_with_tax": 6060, "items": [item]},
        "unshipped_cart": {"currency": "EUR", "order_total_with_tax": 0, "items": []}
    })
}

proptest! {
    #![proptest_config(cases())]

    #[test]
    fn orders_random_or_mutated_get_only_bounded_problems(
        changes in mutations(), random in json_value(), options in options()
    ) {
        assert_bounded(&validate(&mutate(seed_order(), &changes), &options))?;
        assert_bounded(&validate(&random, &options))?;
        assert_typed(crate::orders::payload::check(&random, &options))?;
    }

    #[test]
    fn the_walk_finds_an_order_too_large_where_the_separate_count_does(
        changes in mutations(), random in json_value(), values in 1usize..400, text in 1usize..8000, depth in 8usize..70
    ) {
        // (Deeper than any field of the document, as the order's bound is:
        // what the walker checks field by field is never that deep.)
        let limits = crate::validate::size::Limits { values, text_bytes: text, depth };
        for order in [mutate(seed_order(), &changes), random] {
            let counted = crate::validate::size::check(&order, &limits, "order").is_err();
            prop_assert_eq!(super::tests::too_large_within(&order, &limits), counted, "{}", order);
        }
    }

    #[test]
    fn post_sale_updates_get_only_bounded_problems(changes in mutations(), random in json_value()) {
        assert_typed(crate::orders::post_sale::tests::checked(&mutate(update(), &changes)))?;
        assert_typed(crate::orders::post_sale::tests::checked(&random))?;
    }

    #[test]
    fn pos_orders_get_only_bounded_problems(changes in mutations(), random in json_value(), allow in any::<bool>()) {
        assert_bounded(&crate::pos::validate::validate(&mutate(pos_order(), &changes), allow, None))?;
        assert_bounded(&crate::pos::validate::validate(&random, allow, None))?;
    }

    #[test]
    fn payment_setups_get_only_bounded_problems(changes in mutations(), random in json_value()) {
        for purpose in [Purpose::Create, Purpose::Update] {
            assert_bounded(&setup_problems(&mutate(setup(), &changes), purpose, None))?;
            assert_bounded(&setup_problems(&random, purpose, Some("pc_wzjki6hw5puepb5fnvqlizj2e4")))?;
        }
    }

    #[test]
    fn payment_requests_get_only_bounded_problems(changes in mutations(), random in json_value()) {
        assert_bounded(&crate::paysera::validate::payment_request(&mutate(payment_request(), &changes)))?;
        assert_bounded(&crate::paysera::validate::payment_request(&random))?;
    }

    #[test]
    fn options_objects_are_read_or_refused_with_a_typed_error(random in json_value()) {
        assert_typed(ValidateOptions::from_json(&random))?;
        assert_typed(FormOptions::from_json(&random))?;
        assert_typed(crate::orders::Config::from_json(&random))?;
        assert_typed(crate::checkout_com::Config::from_json(&random))?;
        assert_typed(crate::paysera::Config::from_json(&random))?;
        assert_typed(crate::orders::checkout::check_references(&random))?;
    }

    #[test]
    fn notifications_are_read_or_refused_with_a_typed_error(
        body in prop::collection::vec(any::<u8>(), 0..200),
        text in "[a-z_=&%0-9A-F+.]{0,80}",
        pairs in prop::collection::vec((prop::sample::select(NAMES), text()), 0..8),
    ) {
        let pairs: Vec<(String, String)> = pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        for body in [body.as_slice(), text.as_bytes()] {
            assert_typed(Ipn::from_form(body))?;
            assert_typed(Event::from_form(body))?;
            assert_typed(crate::paysera::Callback::from_form(body))?;
        }
        assert_typed(Ipn::from_pairs(pairs.clone()))?;
        assert_typed(Event::from_pairs(pairs.clone()))?;
        assert_typed(crate::paysera::Callback::from_pairs(pairs))?;
    }

    #[test]
    fn ids_and_uris_are_taken_or_refused_with_a_typed_error(text in text(), base in prop::sample::select(TEXTS)) {
        assert_typed(crate::validate::id::path_segment("id", &text))?;
        assert_typed(crate::paysera::path_id("id", &text))?;
        assert_typed(crate::orders::checkout::OrderUri::parse("https://sandbox.sequrapi.com", &text))?;
        assert_typed(crate::orders::checkout::OrderUri::parse(base, &text))?;
        let _ = crate::validate::url::endpoint(&text);
    }
}
