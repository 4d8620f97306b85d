//! Hostile input through every C function that takes a JSON string or a
//! byte buffer. Each API's valid document is mutated at random
//! (keys deleted, types changed, huge numbers, deep nesting, long strings,
//! invalid UTF-8, NUL bytes), or replaced by random JSON or noise, and
//! passed as C passes it, to clients of a loopback port where nothing
//! listens: a document that passes its checks is sent and fails at once.
//!
//! Whatever comes in, every call returns a status that is not
//! SQ_ERR_INTERNAL (a caught panic), writes its outputs only on SQ_OK, and
//! leaves a last error that is bounded UTF-8 and whose JSON parses. Case
//! counts are small so that `cargo test -p sequra-capi` stays quick.

use crate::checkout_com::*;
use crate::notifications::*;
use crate::orders::*;
use crate::paysera::*;
use crate::pos::*;
use crate::*;
use proptest::prelude::*;
use proptest::test_runner::Config as Cases;
use serde_json::{json, Value};
use std::ffi::{c_char, c_void, CStr, CString};
use std::ptr;
use std::sync::OnceLock;

/// The longest sq_last_error() may be.
const MAX_LAST_ERROR: usize = 16 * 1024;

/// Nothing listens there; a timeout too short for a retry's pause (200 ms)
/// makes a sent document fail after one refused connection.
const NOWHERE: &str = "http://127.0.0.1:9";
const TIMEOUT: f64 = 0.2;

const ORDER_URI: &CStr = c"http://127.0.0.1:9/orders/00000000-0000-4000-8000-000000000000";
const SETUP_ID: &CStr = c"set_rcmepwrchqab2wsergcafvijfy";
const SECRET: &str = "a-long-random-shop-secret";
const WEBHOOK_SECRET: &str = "whsec-hostile";

fn cases() -> Cases {
    Cases {
        cases: 24,
        failure_persistence: None,
        ..Cases::default()
    }
}

// ---------------------------------------------------------------------------
// Inputs

/// Bytes as a case passes them: whole to a byte buffer, and up to their
/// first NUL to a C string, as C would.
#[derive(Debug, Clone)]
struct Input(Vec<u8>);

impl Input {
    fn c_string(&self) -> CString {
        let end = self.0.iter().position(|b| *b == 0).unwrap_or(self.0.len());
        CString::new(&self.0[..end]).expect("cut at the first NUL")
    }

    /// The start of the input and its length, for a failure's message.
    fn excerpt(&self) -> String {
        let head = String::from_utf8_lossy(&self.0[..self.0.len().min(300)]);
        format!("{head:?} ({} bytes)", self.0.len())
    }
}

/// A value that no document holds, replaced by raw text once the
/// document is written: JSON that `serde_json::Value` cannot hold.
const RAW: &str = "@@hostile-raw@@";

/// Text a mutation writes where a value was.
#[derive(Debug, Clone)]
enum Raw {
    /// Numbers out of every range: beyond u64, i64, f64.
    Number(&'static str),
    /// `depth` arrays or objects inside each other.
    Nested { depth: usize, objects: bool },
    /// A string of `length` copies of `unit` (which may be an escape).
    Long { unit: &'static str, length: usize },
    /// An array of `length` copies of the value at hand.
    Wide { length: usize },
}

const HUGE_NUMBERS: &[&str] = &[
    "18446744073709551616",
    "-9223372036854775809",
    "1e400",
    "-1e400",
    "1e-400",
    "123456789012345678901234567890.5",
    "-0",
    "0.1e999999999999999999",
];

impl Raw {
    fn text(&self, value: &Value) -> String {
        match self {
            Raw::Number(text) => text.to_string(),
            Raw::Nested { depth, objects } => {
                let (open, close) = if *objects {
                    ("{\"a\":", "}")
                } else {
                    ("[", "]")
                };
                format!("{}1{}", open.repeat(*depth), close.repeat(*depth))
            }
            Raw::Long { unit, length } => format!("\"{}\"", unit.repeat(*length)),
            Raw::Wide { length } => {
                let one = value.to_string();
                format!("[{}]", vec![one.as_str(); *length].join(","))
            }
        }
    }
}

fn raw() -> impl Strategy<Value = Raw> {
    prop_oneof![
        prop::sample::select(HUGE_NUMBERS).prop_map(Raw::Number),
        (1usize..400, any::<bool>()).prop_map(|(depth, objects)| Raw::Nested { depth, objects }),
        (
            prop::sample::select(&["x", "é", "😀", "\\u0000", "\\ud800", "\\\"", "%", "&="][..]),
            0usize..100_000
        )
            .prop_map(|(unit, length)| Raw::Long { unit, length }),
        (0usize..3_000).prop_map(|length| Raw::Wide { length }),
    ]
}

/// One change to a document, at its `at`-th value in a walk (modulo their
/// number).
#[derive(Debug, Clone)]
enum Change {
    /// A member of an object (or an element of an array) goes.
    Delete { at: usize, which: usize },
    /// The value becomes another, most likely of another type.
    Replace { at: usize, with: Value },
    /// The value becomes raw text.
    Raw { at: usize, raw: Raw },
    /// An object gains a member, maybe with a long or odd key.
    Insert { at: usize, key: String, with: Value },
}

/// One change to the written bytes.
#[derive(Debug, Clone)]
enum Splice {
    Truncate(usize),
    Insert(usize, &'static [u8]),
}

/// Bytes no valid text has, or that cut a C string short.
const BAD_BYTES: &[&[u8]] = &[
    b"\xff",
    b"\xfe\xff",
    b"\xc3",
    b"\xed\xa0\x80",
    b"\xc0\x80",
    b"\x00",
    b"\x00}",
    b"\"",
    b"\\",
    b"{",
];

#[derive(Debug, Clone)]
enum Recipe {
    Mutated {
        changes: Vec<Change>,
        splices: Vec<Splice>,
    },
    Random(Value),
    Noise(Vec<u8>),
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(
            &[
                "",
                "EUR",
                "1",
                "https://shop.example/x",
                "é\u{0}\"\\",
                "sandbox"
            ][..]
        )
        .prop_map(str::to_string),
        ".{0,16}",
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(text(), inner, 0..4)
                .prop_map(|members| Value::Object(members.into_iter().collect())),
        ]
    })
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        2 => (any::<usize>(), any::<usize>()).prop_map(|(at, which)| Change::Delete { at, which }),
        2 => (any::<usize>(), json_value()).prop_map(|(at, with)| Change::Replace { at, with }),
        1 => (any::<usize>(), raw()).prop_map(|(at, raw)| Change::Raw { at, raw }),
        1 => (any::<usize>(), key(), json_value())
            .prop_map(|(at, key, with)| Change::Insert { at, key, with }),
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        text(),
        (1usize..50_000).prop_map(|length| "k".repeat(length)),
    ]
}

fn splice() -> impl Strategy<Value = Splice> {
    prop_oneof![
        any::<usize>().prop_map(Splice::Truncate),
        (any::<usize>(), prop::sample::select(BAD_BYTES)).prop_map(|(at, b)| Splice::Insert(at, b)),
    ]
}

fn recipe() -> impl Strategy<Value = Recipe> {
    prop_oneof![
        6 => (
            prop::collection::vec(change(), 1..4),
            // Most documents stay JSON, to get past the parser.
            prop_oneof![3 => Just(vec![]), 1 => prop::collection::vec(splice(), 1..3)]
        )
            .prop_map(|(changes, splices)| Recipe::Mutated { changes, splices }),
        1 => json_value().prop_map(Recipe::Random),
        1 => prop::collection::vec(any::<u8>(), 0..64).prop_map(Recipe::Noise),
    ]
}

/// A string argument that is not a document: an id, a URI, a phone, a
/// key, a secret, a signature.
fn hostile_string() -> impl Strategy<Value = Input> {
    prop_oneof![
        text().prop_map(|t| Input(t.into_bytes())),
        (0usize..100_000).prop_map(|n| Input("x".repeat(n).into_bytes())),
        (0usize..20_000)
            .prop_map(|n| Input(format!("{NOWHERE}/orders/{}", "a".repeat(n)).into_bytes())),
        prop::sample::select(
            &[
                "00000000-0000-4000-8000-000000000000",
                "set_rcmepwrchqab2wsergcafvijfy",
                "https://user:hunter2@example.com/orders/1",
                "../../etc/passwd",
                "%00",
                "a/b?c#d",
                "+34666123456",
                "taken",
                "pp3",
            ][..]
        )
        .prop_map(|t| Input(t.as_bytes().to_vec())),
        prop::collection::vec(any::<u8>(), 0..64).prop_map(Input),
    ]
}

fn is_container(value: &Value) -> bool {
    value.is_object() || value.is_array()
}

/// How many values of `value` (itself included) `pick` takes.
fn count(value: &Value, pick: fn(&Value) -> bool) -> usize {
    let below = match value {
        Value::Array(items) => items.iter().map(|v| count(v, pick)).sum(),
        Value::Object(map) => map.values().map(|v| count(v, pick)).sum(),
        _ => 0,
    };
    below + usize::from(pick(value))
}

/// The `n`-th value `pick` takes in a pre-order walk of `value`.
fn nth<'a>(value: &'a mut Value, n: &mut usize, pick: fn(&Value) -> bool) -> Option<&'a mut Value> {
    if pick(value) {
        if *n == 0 {
            return Some(value);
        }
        *n -= 1;
    }
    match value {
        Value::Array(items) => items.iter_mut().find_map(|v| nth(v, n, pick)),
        Value::Object(map) => map.values_mut().find_map(|v| nth(v, n, pick)),
        _ => None,
    }
}

/// The value `at` (modulo their number) among those `pick` takes.
fn value_at(document: &mut Value, at: usize, pick: fn(&Value) -> bool) -> Option<&mut Value> {
    match count(document, pick) {
        0 => None,
        all => nth(document, &mut (at % all), pick),
    }
}

impl Recipe {
    /// The document `seed` after this recipe, written by `write`.
    fn apply(&self, seed: &Value, write: fn(&Value) -> String) -> Input {
        let (changes, splices) = match self {
            Recipe::Random(value) => return Input(write(value).into_bytes()),
            Recipe::Noise(bytes) => return Input(bytes.clone()),
            Recipe::Mutated { changes, splices } => (changes, splices),
        };
        let mut document = seed.clone();
        let mut raws = Vec::new();
        for change in changes {
            match change {
                Change::Delete { at, which } => match value_at(&mut document, *at, is_container) {
                    Some(Value::Object(map)) if !map.is_empty() => {
                        let key = map.keys().nth(which % map.len()).cloned().unwrap();
                        map.remove(&key);
                    }
                    Some(Value::Array(items)) if !items.is_empty() => {
                        items.remove(which % items.len());
                    }
                    _ => {}
                },
                Change::Replace { at, with } => {
                    if let Some(value) = value_at(&mut document, *at, |_| true) {
                        *value = with.clone();
                    }
                }
                Change::Insert { at, key, with } => {
                    if let Some(Value::Object(map)) = value_at(&mut document, *at, Value::is_object)
                    {
                        map.insert(key.clone(), with.clone());
                    }
                }
                Change::Raw { at, raw } => {
                    if let Some(value) = value_at(&mut document, *at, |_| true) {
                        raws.push(raw.text(value));
                        *value = Value::String(RAW.into());
                    }
                }
            }
        }
        let mut text = write(&document);
        for raw in raws {
            for quoted in [format!("\"{RAW}\""), RAW.to_string()] {
                if let Some(at) = text.find(&quoted) {
                    text.replace_range(at..at + quoted.len(), &raw);
                    break;
                }
            }
        }
        let mut bytes = text.into_bytes();
        for splice in splices {
            match splice {
                Splice::Truncate(at) => bytes.truncate(at % (bytes.len() + 1)),
                Splice::Insert(at, inserted) => {
                    let at = at % (bytes.len() + 1);
                    bytes.splice(at..at, inserted.iter().copied());
                }
            }
        }
        Input(bytes)
    }
}

fn json_text(value: &Value) -> String {
    value.to_string()
}

/// A form body (`application/x-www-form-urlencoded`) of an object's
/// members, written as they are: a hostile value may hold `&` or `=`.
fn form_text(value: &Value) -> String {
    let Value::Object(map) = value else {
        return value.to_string();
    };
    let pair = |(key, value): (&String, &Value)| match value {
        Value::String(text) => format!("{key}={text}"),
        other => format!("{key}={other}"),
    };
    map.iter().map(pair).collect::<Vec<_>>().join("&")
}

// ---------------------------------------------------------------------------
// The valid documents

fn orders_options() -> Value {
    json!({"endpoint": NOWHERE, "merchant": "demo", "username": "demo", "password": "pw",
           "timeout": TIMEOUT})
}

fn checkout_com_options() -> Value {
    json!({"secret_key": "sk_sbox_sequrasandboxsecretkeyaaaaq", "endpoint": NOWHERE,
           "processing_channel_id": "pc_wzjki6hw5puepb5fnvqlizj2e4", "timeout": TIMEOUT})
}

fn paysera_options() -> Value {
    json!({"endpoint": NOWHERE, "mac_id": "id", "mac_secret": "secret", "timeout": TIMEOUT})
}

/// tests/c/testing.h's order, which the C tests prove valid.
fn order() -> Value {
    let address = json!({"given_names": "Ana", "surnames": "Ruiz", "company": "",
        "address_line_1": "C/ Mayor 1", "address_line_2": "", "postal_code": "08001",
        "city": "Barcelona", "country_code": "ES"});
    let mut delivery = address.clone();
    delivery["mobile_phone"] = json!("+34666555444");
    json!({
        "state": "",
        "merchant": {"id": "demo", "notify_url": "https://shop.example/ipn"},
        "merchant_reference": {"order_ref_1": "C-1"},
        "cart": {"currency": "EUR", "gift": false, "order_total_with_tax": 3272, "items": [
            {"reference": "12-123", "name": "Leather Case", "price_with_tax": 3030,
             "quantity": 1, "total_with_tax": 3030, "downloadable": false},
            {"type": "handling", "reference": "seur24", "name": "SEUR 24h", "total_with_tax": 242}]},
        "delivery_method": {"name": "SEUR24"},
        "delivery_address": delivery,
        "invoice_address": address,
        "customer": {"given_names": "Ana", "surnames": "Ruiz", "email": "ana@example.com",
            "logged_in": true, "language_code": "es-ES", "ip_number": "127.0.0.1", "user_agent": "c"},
        "gui": {"layout": "desktop"},
        "platform": {"name": "c-tests", "version": "1", "uname": "linux", "db_name": "none",
            "db_version": "0"}
    })
}

fn form_options() -> Value {
    json!({"product": "i1", "campaign": null, "ajax": false})
}

fn references() -> Value {
    json!({"order_ref_1": "R-1", "order_ref_2": "R-2"})
}

fn update() -> Value {
    let item =
        json!({"reference": "a", "quantity": 2, "price_with_tax": 3030, "total_with_tax": 6060});
    json!({
        "shipped_cart": {"currency": "EUR", "order_total_with_tax": 6060, "items": [item]},
        "unshipped_cart": {"currency": "EUR", "order_total_with_tax": 0, "items": []},
        "trackings": []
    })
}

fn pos_order() -> Value {
    json!({
        "merchant": {"id": "demo", "store_ref": "store_1"}, "operator_ref": "operator@example.com",
        "reference": "pos_c_1", "mobile_phone": "+34666123456", "given_names": "María",
        "surnames": "García López", "date_of_birth": "1990-01-01", "nin": "12345678Z",
        "address": "Calle Mayor 1", "postal_code": "08001", "city": "Barcelona",
        "cart_items": [{"reference": "FRAME-001", "name": "Designer Frame",
                        "price_with_tax": 25000, "quantity": 1}]
    })
}

fn setup() -> Value {
    json!({
        "amount": 20000, "currency": "EUR", "reference": "ORD-1",
        "billing": {"address": {"address_line1": "C/ Mayor 1", "city": "Barcelona",
                                "state": "Barcelona", "zip": "08001", "country": "ES"}},
        "settings": {"success_url": "https://shop.example/ok", "failure_url": "https://shop.example/ko"}
    })
}

fn setup_changes() -> Value {
    json!({"amount": 15000, "billing": {"address": {"country": "ES"}}})
}

fn payment_request() -> Value {
    json!({
        "business_id": "b", "order_id": "o-1", "price": {"amount": "999", "currency": "EUR"},
        "description": "Monthly subscription", "method_key": "card",
        "payer": {"email": "customer@example.com"}, "locale": "en",
        "accept_url": "https://shop.example/a", "cancel_url": "https://shop.example/c",
        "callback_url": "https://shop.example/cb", "token_strategy": "required"
    })
}

fn signature() -> String {
    sequra::orders::notifications::Signer::new(SECRET)
        .unwrap()
        .sign("C-9")
        .unwrap()
}

fn ipn() -> Value {
    json!({"order_ref": "u-1", "product_code": "i1", "sq_state": "approved",
           "order_ref_1": "R-1", "approved_since": "1", "cart": "C-9", "signature": signature()})
}

fn event() -> Value {
    json!({"event": "cancelled", "order_ref": "u-1", "order_ref_1": "R-1",
           "m_cart": "C-9", "m_signature": signature()})
}

fn webhook() -> Value {
    json!({"id": "evt_1", "type": "payment_approved", "created_on": "2024-01-01T00:00:00Z",
           "data": {"id": "pay_1", "amount": 20000, "currency": "EUR", "reference": "ORD-1"}})
}

fn callback() -> Value {
    json!({"notification_id": "n-1"})
}

// ---------------------------------------------------------------------------
// The calls and what every one of them must do

/// One handle of each kind, made once and shared by the tests' threads,
/// as the header allows.
#[derive(Clone, Copy)]
struct Clients {
    orders: *mut SqClient,
    pos: *mut SqPosClient,
    checkout_com: *mut SqCheckoutComClient,
    paysera: *mut SqPayseraClient,
}

// SAFETY: handles may be used from any thread at once (ffi::Handle's
// bound); these are never freed.
unsafe impl Send for Clients {}
unsafe impl Sync for Clients {}

fn clients() -> &'static Clients {
    static CLIENTS: OnceLock<Clients> = OnceLock::new();
    CLIENTS.get_or_init(|| {
        let options = |value: Value| CString::new(value.to_string()).unwrap();
        let mut clients = Clients {
            orders: ptr::null_mut(),
            pos: ptr::null_mut(),
            checkout_com: ptr::null_mut(),
            paysera: ptr::null_mut(),
        };
        let made = [
            sq_client_new(options(orders_options()).as_ptr(), &mut clients.orders),
            sq_pos_client_new(options(orders_options()).as_ptr(), &mut clients.pos),
            sq_checkout_com_client_new(
                options(checkout_com_options()).as_ptr(),
                &mut clients.checkout_com,
            ),
            sq_paysera_client_new(options(paysera_options()).as_ptr(), &mut clients.paysera),
        ];
        assert!(made.iter().all(|s| *s == SqStatus::SqOk), "{made:?}");
        clients
    })
}

/// sq_ipn_read and sq_event_read.
type Read =
    extern "C" fn(*const u8, usize, *const c_char, *const c_char, *mut *mut c_char) -> SqStatus;

/// What a call may have written.
enum Out {
    /// A string output, written on SQ_OK.
    Text(*mut c_char),
    /// The same, holding JSON.
    Json(*mut c_char),
    /// A handle, with its _free.
    Handle(*mut c_void, fn(*mut c_void)),
}

impl Out {
    fn pointer(&self) -> *const c_void {
        match self {
            Out::Text(p) | Out::Json(p) => p.cast(),
            Out::Handle(p, _) => p.cast(),
        }
    }

    fn release(self) {
        match self {
            Out::Text(p) | Out::Json(p) => sq_string_free(p),
            Out::Handle(p, free) => free(p),
        }
    }
}

/// The calling thread's last error, checked: bounded, UTF-8, and JSON
/// details that parse.
fn last_error_checked() -> Result<(String, Value), TestCaseError> {
    // SAFETY: the library lends NUL-terminated strings until the thread's
    // next call.
    let message = unsafe { CStr::from_ptr(sq_last_error()) }.to_bytes();
    prop_assert!(
        message.len() < MAX_LAST_ERROR,
        "sq_last_error() is {} bytes: {:?}...",
        message.len(),
        String::from_utf8_lossy(&message[..300])
    );
    let message = std::str::from_utf8(message)
        .map_err(|e| TestCaseError::fail(format!("sq_last_error() is not UTF-8: {e}")))?
        .to_owned();
    let details = unsafe { CStr::from_ptr(sq_last_error_json()) };
    let details: Value = serde_json::from_slice(details.to_bytes())
        .map_err(|e| TestCaseError::fail(format!("sq_last_error_json() does not parse: {e}")))?;
    prop_assert_eq!(
        sq_last_error_may_have_acted(),
        details["may_have_acted"] == true,
        "sq_last_error_may_have_acted() disagrees with {}",
        details
    );
    Ok((message, details))
}

/// Everything every call must do, whatever `input` was.
fn check(name: &str, input: &Input, status: SqStatus, outs: Vec<Out>) -> Result<(), TestCaseError> {
    let (message, details) = last_error_checked()?;
    prop_assert_ne!(
        status,
        SqStatus::SqErrInternal,
        "{} panicked: {} for {}",
        name,
        message,
        input.excerpt()
    );
    if status == SqStatus::SqOk {
        prop_assert_eq!(message.as_str(), "", "{}", name);
        prop_assert_eq!(&details, &json!({}), "{}", name);
        for out in &outs {
            match out {
                Out::Text(p) => prop_assert!(!p.is_null(), "{} wrote no output", name),
                Out::Json(p) => {
                    prop_assert!(!p.is_null(), "{} wrote no output", name);
                    let text = unsafe { CStr::from_ptr(*p) }.to_bytes();
                    let parsed = serde_json::from_slice::<Value>(text);
                    prop_assert!(parsed.is_ok(), "{} wrote JSON that does not parse", name);
                }
                Out::Handle(p, _) => prop_assert!(!p.is_null(), "{} wrote no handle", name),
            }
        }
    } else {
        prop_assert!(!message.is_empty(), "{} failed without a message", name);
        prop_assert_eq!(&details["message"], &json!(message), "{}", name);
        prop_assert!(details["kind"].is_string(), "{}: {}", name, details);
        prop_assert!(
            details["may_have_acted"].is_boolean(),
            "{}: {}",
            name,
            details
        );
        for out in &outs {
            prop_assert!(
                out.pointer().is_null(),
                "{} failed with {:?} but wrote an output",
                name,
                status
            );
        }
    }
    outs.into_iter().for_each(Out::release);
    Ok(())
}

/// A function taking one C string; `$call` gets it as `$input` and its
/// outputs, declared NULL, as `$out` (`&mut`).
macro_rules! c_string_call {
    ($input:expr, |$text:ident, $($out:ident: $kind:ident),*| $call:expr) => {{
        let $text = $input.c_string();
        let $text = $text.as_ptr();
        $(let mut $out = ptr::null_mut();)*
        let status = { $(let $out = &mut $out;)* $call };
        (status, vec![$(Out::$kind($out)),*])
    }};
}

/// Runs `$call` on every input and checks it.
fn each(
    name: &str,
    input: &Input,
    call: impl FnOnce(&Input) -> (SqStatus, Vec<Out>),
) -> Result<(), TestCaseError> {
    let (status, outs) = call(input);
    check(name, input, status, outs)
}

fn constructor<H>(
    input: &Input,
    new: extern "C" fn(*const c_char, *mut *mut H) -> SqStatus,
    free: fn(*mut c_void),
) -> (SqStatus, Vec<Out>) {
    let options = input.c_string();
    let mut handle = ptr::null_mut();
    let status = new(options.as_ptr(), &mut handle);
    (status, vec![Out::Handle(handle.cast(), free)])
}

proptest! {
    #![proptest_config(cases())]

    #[test]
    fn every_constructor_takes_hostile_options(recipe in recipe()) {
        let orders = recipe.apply(&orders_options(), json_text);
        each("sq_client_new", &orders, |i| {
            constructor(i, sq_client_new, |p| sq_client_free(p.cast()))
        })?;
        each("sq_pos_client_new", &orders, |i| {
            constructor(i, sq_pos_client_new, |p| sq_pos_client_free(p.cast()))
        })?;
        let input = recipe.apply(&checkout_com_options(), json_text);
        each("sq_checkout_com_client_new", &input, |i| {
            constructor(i, sq_checkout_com_client_new, |p| sq_checkout_com_client_free(p.cast()))
        })?;
        let input = recipe.apply(&paysera_options(), json_text);
        each("sq_paysera_client_new", &input, |i| {
            constructor(i, sq_paysera_client_new, |p| sq_paysera_client_free(p.cast()))
        })?;
    }

    #[test]
    fn every_order_function_takes_a_hostile_order(recipe in recipe()) {
        let c = clients().orders;
        let input = recipe.apply(&order(), json_text);
        each("sq_orders_validate", &input, |i| {
            c_string_call!(i, |order, out: Json| sq_orders_validate(c, order, out))
        })?;
        each("sq_orders_start", &input, |i| {
            c_string_call!(i, |order, out: Text| sq_orders_start(c, order, out))
        })?;
        each("sq_orders_confirm", &input, |i| {
            c_string_call!(i, |order,| sq_orders_confirm(c, ORDER_URI.as_ptr(), order))
        })?;
        each("sq_orders_hold", &input, |i| {
            c_string_call!(i, |order,| sq_orders_hold(c, ORDER_URI.as_ptr(), order))
        })?;
        each("sq_orders_cancel", &input, |i| {
            c_string_call!(i, |order,| sq_orders_cancel(c, ORDER_URI.as_ptr(), order))
        })?;
    }

    #[test]
    fn form_options_references_and_updates_may_be_hostile(recipe in recipe()) {
        let c = clients().orders;
        let input = recipe.apply(&form_options(), json_text);
        each("sq_orders_form", &input, |i| {
            c_string_call!(i, |options, out: Text| sq_orders_form(c, ORDER_URI.as_ptr(), options, out))
        })?;
        let input = recipe.apply(&references(), json_text);
        each("sq_orders_update_references", &input, |i| {
            c_string_call!(i, |reference,| sq_orders_update_references(c, ORDER_URI.as_ptr(), reference))
        })?;
        let input = recipe.apply(&update(), json_text);
        each("sq_orders_update", &input, |i| {
            c_string_call!(i, |update,| sq_orders_update(c, c"R-1".as_ptr(), update))
        })?;
    }

    #[test]
    fn part_payment_orders_may_be_hostile(recipe in recipe()) {
        let c = clients().pos;
        let input = recipe.apply(&pos_order(), json_text);
        each("sq_pos_orders_validate", &input, |i| {
            c_string_call!(i, |order, out: Json| sq_pos_orders_validate(c, order, out))
        })?;
        each("sq_pos_orders_create", &input, |i| {
            c_string_call!(i, |order, out: Json| sq_pos_orders_create(c, order, out))
        })?;
    }

    #[test]
    fn payment_setups_may_be_hostile(recipe in recipe()) {
        let c = clients().checkout_com;
        let input = recipe.apply(&setup(), json_text);
        each("sq_checkout_com_setup_validate", &input, |i| {
            c_string_call!(i, |setup, out: Json| sq_checkout_com_setup_validate(c, setup, out))
        })?;
        each("sq_checkout_com_setup_create", &input, |i| {
            c_string_call!(i, |setup, out: Json, key: Text| {
                sq_checkout_com_setup_create(c, setup, ptr::null(), out, key)
            })
        })?;
        let input = recipe.apply(&setup_changes(), json_text);
        each("sq_checkout_com_setup_update", &input, |i| {
            c_string_call!(i, |changes, out: Json| {
                sq_checkout_com_setup_update(c, SETUP_ID.as_ptr(), changes, out)
            })
        })?;
    }

    #[test]
    fn payment_requests_and_callbacks_may_be_hostile(recipe in recipe()) {
        let c = clients().paysera;
        let input = recipe.apply(&payment_request(), json_text);
        each("sq_paysera_payment_request_validate", &input, |i| {
            c_string_call!(i, |request, out: Json| sq_paysera_payment_request_validate(c, request, out))
        })?;
        each("sq_paysera_payment_request_create", &input, |i| {
            c_string_call!(i, |request, out: Json| sq_paysera_payment_request_create(c, request, out))
        })?;
        let input = recipe.apply(&callback(), form_text);
        each("sq_paysera_callback_receive", &input, |i| {
            c_string_call!(i, |body, out: Json| sq_paysera_callback_receive(c, body, out))
        })?;
    }

    #[test]
    fn notification_bodies_may_be_hostile_bytes(recipe in recipe()) {
        let secret = CString::new(SECRET).unwrap();
        let reads: [(&str, Value, Read); 2] =
            [("sq_ipn_read", ipn(), sq_ipn_read), ("sq_event_read", event(), sq_event_read)];
        for (name, seed, read) in reads {
            let input = recipe.apply(&seed, form_text);
            each(name, &input, |i| {
                let mut out = ptr::null_mut();
                let status = read(i.0.as_ptr(), i.0.len(), secret.as_ptr(), c"cart".as_ptr(), &mut out);
                (status, vec![Out::Json(out)])
            })?;
        }
    }

    #[test]
    fn webhook_bodies_may_be_hostile(recipe in recipe(), signed in any::<bool>()) {
        let secret = CString::new(WEBHOOK_SECRET).unwrap();
        let verifier = sequra::checkout_com::Verifier::new(WEBHOOK_SECRET).unwrap();
        let input = recipe.apply(&webhook(), json_text);
        // Signed, the body reaches the parser; unsigned, the check.
        let body = input.c_string();
        let signature = CString::new(if signed {
            verifier.sign(body.as_bytes())
        } else {
            verifier.sign(webhook().to_string().as_bytes())
        })
        .unwrap();
        each("sq_checkout_com_webhook_verify", &input, |_| {
            let mut out = ptr::null_mut();
            let status = sq_checkout_com_webhook_verify(
                secret.as_ptr(), body.as_ptr(), signature.as_ptr(), &mut out,
            );
            (status, vec![Out::Json(out)])
        })?;
    }
}

proptest! {
    #![proptest_config(cases())]

    #[test]
    fn every_string_argument_may_be_hostile(input in hostile_string()) {
        let Clients { orders: o, pos, checkout_com: cko, paysera } = *clients();
        let valid = CString::new(order().to_string()).unwrap();
        let order = valid.as_ptr();
        let uri = ORDER_URI.as_ptr();
        let secret = CString::new(SECRET).unwrap();
        let secret = secret.as_ptr();
        macro_rules! each_string {
            ($($name:literal => |$s:ident, $($out:ident: $kind:ident),*| $call:expr;)*) => {
                $(each($name, &input, |i| c_string_call!(i, |$s, $($out: $kind),*| $call))?;)*
            };
        }
        each_string! {
            "sq_orders_form" => |s, out: Text| sq_orders_form(o, s, ptr::null(), out);
            "sq_orders_confirm" => |s,| sq_orders_confirm(o, s, order);
            "sq_orders_hold" => |s,| sq_orders_hold(o, s, order);
            "sq_orders_cancel" => |s,| sq_orders_cancel(o, s, order);
            "sq_orders_payment_methods" => |s, out: Json| sq_orders_payment_methods(o, s, out);
            "sq_orders_send_form (order_uri)" => |s,| sq_orders_send_form(o, s, c"pp3".as_ptr());
            "sq_orders_send_form (product_code)" => |s,| sq_orders_send_form(o, uri, s);
            "sq_orders_update_references" => |s,| {
                sq_orders_update_references(o, s, c"{\"order_ref_1\":\"R\"}".as_ptr())
            };
            "sq_orders_update" => |s,| sq_orders_update(o, s, valid.as_ptr());
            "sq_pos_orders_send_sms" => |s, out: Text| sq_pos_orders_send_sms(pos, 1, s, out);
            "sq_checkout_com_setup_get" => |s, out: Json| sq_checkout_com_setup_get(cko, s, out);
            "sq_checkout_com_setup_update" => |s, out: Json| {
                sq_checkout_com_setup_update(cko, s, c"{}".as_ptr(), out)
            };
            "sq_checkout_com_setup_create (idempotency_key)" => |s, out: Json, key: Text| {
                let setup = CString::new(setup().to_string()).unwrap();
                sq_checkout_com_setup_create(cko, setup.as_ptr(), s, out, key)
            };
            "sq_checkout_com_setup_confirm (setup_id)" => |s, out: Json, url: Text| {
                sq_checkout_com_setup_confirm(cko, s, ptr::null(), out, url, ptr::null_mut())
            };
            "sq_checkout_com_setup_confirm (idempotency_key)" => |s, out: Json, url: Text| {
                sq_checkout_com_setup_confirm(cko, SETUP_ID.as_ptr(), s, out, url, ptr::null_mut())
            };
            "sq_checkout_com_webhook_verify (secret)" => |s, out: Json| {
                sq_checkout_com_webhook_verify(s, c"{}".as_ptr(), c"sig".as_ptr(), out)
            };
            "sq_checkout_com_webhook_verify (signature)" => |s, out: Json| {
                sq_checkout_com_webhook_verify(c"whsec".as_ptr(), c"{}".as_ptr(), s, out)
            };
            "sq_paysera_payment_request_get" => |s, out: Json| sq_paysera_payment_request_get(paysera, s, out);
            "sq_paysera_payment_request_authorize (id)" => |s, out: Json| {
                sq_paysera_payment_request_authorize(paysera, s, c"token".as_ptr(), out)
            };
            "sq_paysera_payment_request_authorize (token)" => |s, out: Json| {
                sq_paysera_payment_request_authorize(paysera, c"pr-1".as_ptr(), s, out)
            };
            "sq_paysera_payment_request_capture" => |s, out: Json| sq_paysera_payment_request_capture(paysera, s, out);
            "sq_paysera_payment_request_cancel" => |s, out: Json| sq_paysera_payment_request_cancel(paysera, s, out);
            "sq_paysera_notification_get" => |s, out: Json| sq_paysera_notification_get(paysera, s, out);
            "sq_paysera_notification_mark_read" => |s, out: Json| sq_paysera_notification_mark_read(paysera, s, out);
            "sq_notification_sign (secret)" => |s, out: Text| sq_notification_sign(s, c"C-9".as_ptr(), out);
            "sq_notification_sign (identity)" => |s, out: Text| sq_notification_sign(secret, s, out);
            "sq_ipn_read (identity_parameter)" => |s, out: Json| {
                let body = form_text(&ipn());
                sq_ipn_read(body.as_ptr(), body.len(), secret, s, out)
            };
            "sq_ipn_read (secret)" => |s, out: Json| {
                let body = form_text(&ipn());
                sq_ipn_read(body.as_ptr(), body.len(), s, c"cart".as_ptr(), out)
            };
        }
        let mut status = 0u16;
        let outcome = input.c_string();
        let result = sq_notification_answer_status(outcome.as_ptr(), &mut status);
        check("sq_notification_answer_status", &input, result, vec![])?;
    }
}

#[test]
fn the_seeds_are_valid_so_that_mutations_start_deep() {
    let c = clients();
    let problems = |status: SqStatus, out: *mut c_char| {
        assert_eq!(status, SqStatus::SqOk);
        let text = crate::testing::text(out);
        sq_string_free(out);
        text
    };
    let order = CString::new(order().to_string()).unwrap();
    let mut out = ptr::null_mut();
    let status = sq_orders_validate(c.orders, order.as_ptr(), &mut out);
    assert_eq!(problems(status, out), "[]");
    let pos = CString::new(pos_order().to_string()).unwrap();
    let status = sq_pos_orders_validate(c.pos, pos.as_ptr(), &mut out);
    assert_eq!(problems(status, out), "[]");
    let setup = CString::new(setup().to_string()).unwrap();
    let status = sq_checkout_com_setup_validate(c.checkout_com, setup.as_ptr(), &mut out);
    assert_eq!(problems(status, out), "[]");
    let request = CString::new(payment_request().to_string()).unwrap();
    let status = sq_paysera_payment_request_validate(c.paysera, request.as_ptr(), &mut out);
    assert_eq!(problems(status, out), "[]");
    // A valid document is sent, and fails at once where nothing listens.
    let status = sq_orders_start(c.orders, order.as_ptr(), &mut out);
    assert_eq!(status, SqStatus::SqErrTransport);

    let secret = CString::new(SECRET).unwrap();
    for (seed, read) in [(ipn(), sq_ipn_read as Read), (event(), sq_event_read)] {
        let body = form_text(&seed);
        let status = read(
            body.as_ptr(),
            body.len(),
            secret.as_ptr(),
            c"cart".as_ptr(),
            &mut out,
        );
        assert_eq!(
            status,
            SqStatus::SqOk,
            "{body}: {}",
            crate::testing::last_error()
        );
        sq_string_free(out);
    }
}

#[test]
fn a_mutation_writes_raw_text_where_a_value_was() {
    let recipe = Recipe::Mutated {
        changes: vec![Change::Raw {
            at: 1,
            raw: Raw::Nested {
                depth: 3,
                objects: false,
            },
        }],
        splices: vec![Splice::Insert(0, b"\xff")],
    };
    let input = recipe.apply(&json!({"a": 1}), json_text);
    assert_eq!(input.0, b"\xff{\"a\":[[[1]]]}");
    let deleted = Recipe::Mutated {
        changes: vec![Change::Delete { at: 1, which: 0 }],
        splices: vec![],
    };
    let input = deleted.apply(&json!({"a": {"b": 1, "c": 2}}), json_text);
    assert_eq!(input.0, b"{\"a\":{\"c\":2}}");
    assert_eq!(Input(b"ab\0cd".to_vec()).c_string().as_bytes(), b"ab");
    assert_eq!(form_text(&json!({"a": "x&y", "b": 2})), "a=x&y&b=2");
}

/// Every function of the header that takes text or bytes from C is fed
/// hostile input above: a function added later without its `each` here
/// fails this test, naming it.
#[test]
fn every_function_that_takes_text_or_bytes_is_fed_hostile_input() {
    let header = include_str!("../../include/sequra.h");
    let this_file = include_str!("hostile.rs");
    let mut missing = Vec::new();
    let mut lines = header.lines();
    while let Some(line) = lines.next() {
        // A declaration starts a line with its type (comments start with
        // a space, `*` or `/`) and ends at its `;`.
        let starts = line.starts_with(|c: char| c.is_ascii_alphabetic());
        let Some(start) = line.find("sq_").filter(|_| starts && line.contains('(')) else {
            continue;
        };
        let mut declaration = line[start..].to_string();
        while !declaration.contains(';') {
            declaration.push_str(lines.next().expect("a declaration ends with ;"));
        }
        let (name, parameters) = declaration.split_once('(').unwrap();
        let takes_input =
            parameters.contains("const char *") || parameters.contains("const uint8_t *");
        if takes_input && !this_file.contains(&format!("\"{name}")) {
            missing.push(name.to_string());
        }
    }
    assert!(missing.is_empty(), "not fed hostile input: {missing:?}");
}
