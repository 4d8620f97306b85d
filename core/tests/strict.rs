//! Strict reading: a key or parameter twice is refused, never resolved;
//! the fields a notification returns outside its signature are
//! format-checked; a signed webhook's malformed amount is
//! refused, never dropped. Messages stay short and name the field.

use sequra::checkout_com::{Event as WebhookEvent, Verifier};
use sequra::orders::notifications::{Event, Ipn, Signer};
use sequra::paysera::Callback;
use sequra::strict::{parse_json, JsonRefusal};
use sequra::{Error, ErrorKind};
use serde_json::{json, Value};

/// The one problem of an InvalidInput error, as (path, message).
fn only_problem(error: &Error) -> (String, String) {
    assert_eq!(error.kind(), ErrorKind::InvalidInput, "{error}");
    let problems = error.problems();
    assert_eq!(problems.len(), 1, "{error}");
    (problems[0].path.clone(), problems[0].message.clone())
}

fn refused(text: &str, root: &str) -> (String, String) {
    match parse_json(text.as_bytes(), root) {
        Err(JsonRefusal::Refused(error)) => only_problem(&error),
        other => panic!("{text}: {other:?}"),
    }
}

// ---- the strict JSON parser -------------------------------------------

#[test]
fn json_with_a_key_twice_at_the_top_is_refused_naming_the_document_and_key() {
    let (path, message) = refused(
        r#"{"order_total_with_tax":1,"order_total_with_tax":3272}"#,
        "order_json",
    );
    assert_eq!(path, "order_json");
    assert!(
        message.contains(r#"has the key "order_total_with_tax" twice"#),
        "{message}"
    );
}

#[test]
fn json_with_a_key_twice_deep_inside_is_refused_naming_its_path() {
    let (path, message) = refused(
        r#"{"cart":{"items":[{"name":"a"},{"name":"b","price":1,"price":2}]}}"#,
        "order_json",
    );
    assert_eq!(path, "cart.items[1]");
    assert!(message.contains(r#""price""#), "{message}");
    let (path, _) = refused(r#"[[{"a":{"b":1,"b":1}}]]"#, "body");
    assert_eq!(path, "[0][0].a");
}

#[test]
fn the_same_value_twice_is_still_a_duplicate() {
    let (_, message) = refused(r#"{"password":"x","password":"x"}"#, "options_json");
    assert!(message.contains(r#""password""#), "{message}");
}

#[test]
fn json_without_duplicates_reads_as_serde_json_reads_it() {
    let text = r#"{"a":[1,-2,3.5,18446744073709551615,"s",null,true,{}],"b":{"a":1},"": 0}"#;
    let strict = parse_json(text.as_bytes(), "x").unwrap();
    let loose: Value = serde_json::from_str(text).unwrap();
    assert_eq!(strict, loose);
    // The same key in different objects is no duplicate.
    assert_eq!(
        parse_json(br#"[{"a":1},{"a":2}]"#, "x").unwrap(),
        json!([{"a": 1}, {"a": 2}])
    );
}

#[test]
fn a_number_is_read_as_the_nearest_double_and_written_back_as_it_was() {
    // A caller's float in a free field goes out as the same number: read to
    // the nearest double (serde_json's float_roundtrip; by default it may be
    // one unit off, and 2.2e50 was sent as 2.1999999999999998e+50).
    for text in [
        "220000000000000000000000000000000000000000000000000",
        "2.2e50",
        "0.1",
        "1.7976931348623157e308",
        "5e-324",
    ] {
        let read = parse_json(format!("[{text}]").as_bytes(), "x").unwrap();
        let nearest: f64 = text.parse().unwrap();
        assert_eq!(
            read[0].as_f64().map(f64::to_bits),
            Some(nearest.to_bits()),
            "{text}"
        );
        let written = serde_json::to_string(&read).unwrap();
        assert_eq!(parse_json(written.as_bytes(), "x").unwrap(), read, "{text}");
    }
}

#[test]
fn syntax_errors_keep_serde_json_text_and_its_recursion_limit() {
    for text in [
        "{\"a\": }",
        "{\"a\":1} x",
        "",
        "1e400",
        "[1,]",
        "{\"a\":\"\\ud800\"}",
    ] {
        let expected = serde_json::from_str::<Value>(text).unwrap_err().to_string();
        match parse_json(text.as_bytes(), "x") {
            Err(JsonRefusal::Syntax(e)) => assert_eq!(e.to_string(), expected, "{text}"),
            other => panic!("{text}: {other:?}"),
        }
    }
    let deep = "[".repeat(100_000);
    match parse_json(deep.as_bytes(), "x") {
        Err(JsonRefusal::Syntax(e)) => assert!(e.to_string().contains("recursion limit"), "{e}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn json_larger_than_an_order_may_be_is_refused_as_it_is_read() {
    // An order's bound is 100 000 values: a list and 99 999 elements.
    let within = format!("[{}0]", "0,".repeat(99_998));
    assert!(parse_json(within.as_bytes(), "x").is_ok());
    let over = format!("[{}0]", "0,".repeat(99_999));
    let (path, message) = refused(&over, "order_json");
    assert_eq!(path, "order_json");
    assert!(message.contains("more than 100000 values"), "{message}");
    // A million values, or 5 MB of text however it is split, get the same
    // one short problem; the parse stops where the bound is passed.
    let million = format!("[{}0]", "[],".repeat(1_000_000));
    assert!(refused(&million, "x").1.contains("more than 100000 values"));
    for text in [
        format!(r#"["{}"]"#, "a".repeat(5 << 20)),
        format!(
            r#"{{"{}":1,"b":"{}"}}"#,
            "k".repeat(3 << 20),
            "v".repeat(2 << 20)
        ),
    ] {
        let (path, message) = refused(&text, "body");
        assert_eq!(path, "body");
        assert!(message.contains("bytes of text"), "{message}");
        assert!(message.len() < 300, "{message}");
    }
}

#[test]
fn a_duplicate_message_is_bounded_whatever_the_keys_and_depth() {
    // (Two keys of a megabyte each: within an order's bound of text.)
    let long = "k".repeat(1 << 20);
    let text = format!(r#"{{"{long}":1,"{long}":2}}"#);
    let (path, message) = refused(&text, "body");
    assert_eq!(path, "body");
    assert!(message.contains("twice"), "{message}");
    assert!(message.len() < 300, "{} bytes", message.len());
    // 120 levels of 60-byte keys: the path keeps its innermost end.
    let key = "x".repeat(60);
    let mut text = String::new();
    for _ in 0..120 {
        text.push_str(&format!(r#"{{"{key}":"#));
    }
    text.push_str(r#"{"dup":1,"dup":2}"#);
    text.push_str(&"}".repeat(120));
    let (path, message) = refused(&text, "body");
    assert!(path.len() < 300, "{} bytes", path.len());
    assert!(path.starts_with('…') && path.ends_with(&key), "{path}");
    assert!(message.contains(r#""dup""#));
}

#[test]
fn a_control_character_in_a_duplicated_key_is_escaped_in_the_message() {
    let (_, message) = refused("{\"a\\n\\u001b[2J\":1,\"a\\n\\u001b[2J\":2}", "body");
    assert!(!message.chars().any(char::is_control), "{message:?}");
}

// ---- the checkout.com webhook ----------------------------------------

const WEBHOOK_SECRET: &str = "whsec-for-strict-tests";

fn verified(body: &str) -> Result<WebhookEvent, Error> {
    let verifier = Verifier::new(WEBHOOK_SECRET).unwrap();
    let signature = verifier.sign(body.as_bytes());
    verifier.verify_and_parse(body.as_bytes(), Some(&signature))
}

fn webhook(amount: &str) -> String {
    format!(
        r#"{{"id":"evt_1","type":"payment_approved","data":{{"id":"pay_1","amount":{amount},"currency":"EUR"}}}}"#
    )
}

#[test]
fn a_signed_webhook_with_a_type_twice_is_refused_not_read_as_the_last() {
    let body = r#"{"id":"evt_1","type":"payment_declined","type":"payment_approved","data":{"id":"pay_1"}}"#;
    let (path, message) = only_problem(&verified(body).unwrap_err());
    assert_eq!(path, "body");
    assert!(message.contains(r#""type""#), "{message}");
}

#[test]
fn a_signed_webhook_with_an_amount_twice_is_refused() {
    let body = r#"{"id":"evt_1","type":"payment_approved","data":{"id":"pay_1","amount":1,"amount":20000}}"#;
    let (path, message) = only_problem(&verified(body).unwrap_err());
    assert_eq!(path, "data");
    assert!(message.contains(r#""amount""#), "{message}");
}

#[test]
fn a_forged_webhook_with_duplicates_is_still_a_bad_signature() {
    let body = r#"{"id":"evt_1","type":"a","type":"b"}"#;
    let err = Verifier::new(WEBHOOK_SECRET)
        .unwrap()
        .verify_and_parse(body.as_bytes(), Some("00"))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BadSignature);
}

#[test]
fn a_signed_webhook_with_a_malformed_amount_is_refused_naming_data_amount() {
    for amount in [
        "18446744073709551616",
        "9223372036854775808",
        "200.5",
        "-1.0",
        "\"20000\"",
        "-1",
        "true",
        "[1]",
        "1e30",
    ] {
        let err = verified(&webhook(amount)).unwrap_err();
        let (path, message) = only_problem(&err);
        assert_eq!(path, "data.amount", "{amount}");
        assert!(err.to_string().len() < 200, "{err}");
        assert!(!message.is_empty());
    }
}

#[test]
fn a_signed_webhook_with_a_good_amount_or_none_reads() {
    assert_eq!(verified(&webhook("20000")).unwrap().amount, Some(20000));
    assert_eq!(verified(&webhook("0")).unwrap().amount, Some(0));
    assert_eq!(
        verified(&webhook("9223372036854775807")).unwrap().amount,
        Some(i64::MAX)
    );
    assert_eq!(verified(&webhook("null")).unwrap().amount, None);
    // A whole number written as a decimal is that number.
    assert_eq!(verified(&webhook("3030.0")).unwrap().amount, Some(3030));
    let body = r#"{"id":"evt_1","type":"payment_pending","data":{"id":"pay_1"}}"#;
    assert_eq!(verified(body).unwrap().amount, None);
}

#[test]
fn control_characters_in_id_type_and_data_id_are_refused() {
    for (body, field) in [
        (
            r#"{"id":"evt_\u0000\n","type":"payment_approved","data":{"id":"pay_1"}}"#,
            "id",
        ),
        (
            r#"{"id":"evt_1","type":"payment_approved\u0000","data":{"id":"pay_1"}}"#,
            "type",
        ),
        (
            r#"{"id":"evt_1","type":"payment_approved","data":{"id":"pay_1\r\n"}}"#,
            "data.id",
        ),
        (
            r#"{"id":"evt_1","type":"dispute_received","data":{"id":"dsp\u001b[2J"}}"#,
            "data.id",
        ),
        (
            r#"{"id":"evt_1","type":"payment_approved","data":{"id":"pay_1","reference":"C\u0000\r\n1"}}"#,
            "data.reference",
        ),
    ] {
        let err = verified(body).unwrap_err();
        let (path, message) = only_problem(&err);
        assert_eq!(path, field, "{body}");
        assert!(message.contains("control character"), "{message}");
        assert!(!err.to_string().chars().any(char::is_control), "{err:?}");
    }
}

#[test]
fn an_overlong_event_id_is_refused_briefly() {
    let body = format!(
        r#"{{"id":"evt_{}","type":"payment_approved","data":{{"id":"pay_1"}}}}"#,
        "x".repeat(1 << 20)
    );
    let err = verified(&body).unwrap_err();
    assert_eq!(only_problem(&err).0, "id");
    assert!(
        err.to_string().len() < 200,
        "{} bytes",
        err.to_string().len()
    );
}

#[test]
fn a_returned_field_of_the_wrong_type_is_refused_not_dropped() {
    let body = r#"{"id":"evt_1","type":"payment_approved","created_on":5,"data":{"id":"pay_1","currency":7}}"#;
    let err = verified(body).unwrap_err();
    let paths: Vec<&str> = err.problems().iter().map(|p| p.path.as_str()).collect();
    assert_eq!(paths, ["created_on", "data.currency"]);
}

// ---- the IPN and events readers --------------------------------------

const SHOP_SECRET: &str = "a-long-random-shop-secret";
const UUID: &str = "3f2a0c9e-1111-4000-8000-000000000001";

/// A correctly signed IPN form with `extra` pairs added.
fn signed_ipn(extra: &[(&str, &str)]) -> String {
    let signature = Signer::new(SHOP_SECRET).unwrap().sign("C-9").unwrap();
    let mut pairs = vec![
        ("order_ref", UUID),
        ("product_code", "i1"),
        ("sq_state", "approved"),
        ("order_ref_1", "R-1"),
        ("cart", "C-9"),
        ("signature", signature.as_str()),
    ];
    pairs.retain(|(k, _)| !extra.iter().any(|(e, _)| e == k));
    pairs.extend_from_slice(extra);
    sequra::form::encode_pairs(pairs)
}

#[test]
fn a_signed_ipn_still_reads() {
    let ipn = Ipn::from_form(signed_ipn(&[("approved_since", "1700000000")]).as_bytes()).unwrap();
    Signer::new(SHOP_SECRET)
        .unwrap()
        .verify_ipn(&ipn, "cart")
        .unwrap();
    assert_eq!(ipn.order_ref, UUID);
}

#[test]
fn an_ipn_with_a_parameter_twice_is_refused_naming_it() {
    for (name, body) in [
        (
            "sq_state",
            format!("{}&sq_state=cancelled", signed_ipn(&[])),
        ),
        ("cart", format!("{}&cart=C-1", signed_ipn(&[]))),
        ("signature", format!("{}&signature=AAAA", signed_ipn(&[]))),
    ] {
        let (path, message) = only_problem(&Ipn::from_form(body.as_bytes()).unwrap_err());
        assert_eq!(path, "body");
        assert!(message.contains(&format!("\"{name}\" twice")), "{message}");
    }
}

#[test]
fn an_event_with_a_parameter_twice_is_refused_naming_it() {
    let body = format!("event=cancelled&order_ref={UUID}&m_cart=9&m_signature=s&m_cart=8");
    let (path, message) = only_problem(&Event::from_form(body.as_bytes()).unwrap_err());
    assert_eq!(path, "body");
    assert!(message.contains("\"m_cart\" twice"), "{message}");
}

#[test]
fn a_repeated_pair_from_php_is_refused_too() {
    let pairs = [("event", "cancelled"), ("order_ref", "u1"), ("event", "x")]
        .map(|(k, v)| (k.to_string(), v.to_string()));
    assert_eq!(
        only_problem(&Event::from_pairs(pairs).unwrap_err()).0,
        "body"
    );
}

#[test]
fn control_characters_in_the_unsigned_ipn_fields_are_refused_naming_them() {
    for (field, value) in [
        ("order_ref", "u\u{0}1"),
        ("order_ref", "u-1\n\u{1b}[31m"),
        ("product_code", "i1\r"),
        ("order_ref_1", "R-1\n"),
        ("approved_since", "1700000000\u{0}"),
        ("other", "x\u{7f}"),
        ("note", "a\u{85}b"),
    ] {
        let body = signed_ipn(&[(field, value)]);
        let err = Ipn::from_form(body.as_bytes()).unwrap_err();
        let (path, _) = only_problem(&err);
        assert_eq!(path, field, "{value:?}");
        assert!(!err.to_string().chars().any(char::is_control), "{err:?}");
    }
}

#[test]
fn an_ipn_order_ref_must_be_an_order_uuid_and_product_code_a_code() {
    for (field, value) in [
        ("order_ref", "../admin"),
        ("order_ref", "a b"),
        ("order_ref", &"a".repeat(65)),
        ("product_code", "PP3"),
        ("product_code", "pp3&x=1"),
    ] {
        let body = signed_ipn(&[(field, value)]);
        let (path, _) = only_problem(&Ipn::from_form(body.as_bytes()).unwrap_err());
        assert_eq!(path, field, "{value:?}");
    }
}

#[test]
fn overlong_unsigned_fields_are_refused_briefly() {
    // Within a form body's bound (64 KiB), each field is named...
    let long = "x".repeat(60 << 10);
    for field in ["order_ref_1", "approved_since", "other"] {
        let body = signed_ipn(&[(field, long.as_str())]);
        let err = Ipn::from_form(body.as_bytes()).unwrap_err();
        assert_eq!(only_problem(&err).0, field);
        assert!(
            err.to_string().len() < 200,
            "{} bytes",
            err.to_string().len()
        );
    }
    let ok = "x".repeat(255);
    assert!(Ipn::from_form(signed_ipn(&[("order_ref_1", ok.as_str())]).as_bytes()).is_ok());
    // ... past it, the body is refused by its length, unread.
    let huge = "x".repeat(10 << 20);
    let err = Ipn::from_form(signed_ipn(&[("other", huge.as_str())]).as_bytes()).unwrap_err();
    assert_eq!(only_problem(&err).0, "body");
    assert!(
        err.to_string().contains("more than any notification"),
        "{err}"
    );
}

#[test]
fn a_parameter_name_with_a_control_character_is_refused_without_echoing_it() {
    let body = format!("{}&a%0Ab=1", signed_ipn(&[]));
    let err = Ipn::from_form(body.as_bytes()).unwrap_err();
    assert_eq!(only_problem(&err).0, "body");
    assert!(!err.to_string().chars().any(char::is_control), "{err:?}");
}

#[test]
fn a_flood_of_bad_fields_gives_a_bounded_list() {
    let mut body = signed_ipn(&[]);
    for i in 0..100_000 {
        body.push_str(&format!("&f{i}=%00"));
    }
    let err = Ipn::from_form(body.as_bytes()).unwrap_err();
    assert!(err.problems().len() <= 101, "{}", err.problems().len());
    assert!(err.to_string().len() < 16 << 10);
}

#[test]
fn control_characters_in_event_fields_are_refused_naming_them() {
    for (field, value) in [
        ("event", "cancelled\n"),
        ("order_ref", "u1\u{0}"),
        ("order_ref_1", "R\r"),
        ("m_cart", "9\u{1b}"),
        ("reason", "x\ny"),
    ] {
        let mut pairs = vec![
            ("event", "cancelled"),
            ("order_ref", "u1"),
            ("m_signature", "s"),
        ];
        pairs.retain(|(k, _)| *k != field);
        pairs.push((field, value));
        let body = sequra::form::encode_pairs(pairs);
        let (path, _) = only_problem(&Event::from_form(body.as_bytes()).unwrap_err());
        assert_eq!(path, field, "{value:?}");
    }
}

// ---- the Paysera callback ---------------------------------------------

#[test]
fn a_paysera_callback_with_two_ids_is_refused() {
    let (path, message) =
        only_problem(&Callback::from_form(b"notification_id=abc&notification_id=def").unwrap_err());
    assert_eq!(path, "body");
    assert!(message.contains("\"notification_id\" twice"), "{message}");
    assert_eq!(
        Callback::from_form(b"notification_id=abc&x=1")
            .unwrap()
            .notification_id,
        "abc"
    );
}
