//! The order validator and its one-walk writer, on any JSON: validate()
//! never panics and lists bounded problems (at most MAX_PROBLEMS + 1); a
//! valid order is written (JsonWriter) as serde_json writes it, and
//! Orders::encode sends it as {"order": ...} with the call's `state`.
//! Input: a byte of contract flags, a byte choosing the call, then JSON.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sequra::orders::payload::json_text::FieldKey;
use sequra::orders::payload::node::{Key, Visit};
use sequra::orders::payload::{
    validate, validate_visiting, Contract, Encode, Flow, JsonWriter, OrderCall, ValidateOptions,
};
use sequra::orders::{Client, Config, Endpoint};
use sequra_fuzz::{assert_bounded, assert_error, Clock};
use serde_json::Value;
use std::cell::RefCell;
use std::fmt::Display;
use std::rc::Rc;
use std::sync::OnceLock;

/// A JsonWriter that keeps what it wrote where the target can read it
/// (an EncodedOrder's bytes are the library's own).
struct Capture {
    inner: JsonWriter,
    out: Rc<RefCell<Option<Vec<u8>>>>,
}

impl<'a> Visit<'a, &'a Value> for Capture {
    fn value(&mut self, value: &'a Value, at: &dyn Display) {
        self.inner.value(value, at)
    }
    fn string(&mut self, value: &'a Value, text: &'a [u8], at: &dyn Display) {
        self.inner.string(value, text, at)
    }
    fn integer(&mut self, value: &'a Value, number: i64, at: &dyn Display) {
        self.inner.integer(value, number, at)
    }
    fn open(&mut self, container: &'a Value, at: &dyn Display) {
        self.inner.open(container, at)
    }
    fn key(&mut self, key: Key<'a>, first: bool, at: &dyn Display, known: bool) {
        self.inner.key(key, first, at, known)
    }
    fn field_key(&mut self, key: &'static FieldKey, first: bool, at: &dyn Display) {
        self.inner.field_key(key, first, at)
    }
    fn element(&mut self, first: bool) {
        self.inner.element(first)
    }
    fn close(&mut self, container: &'a Value) {
        self.inner.close(container)
    }
    fn raw(&mut self, json: &[u8]) {
        self.inner.raw(json)
    }
    fn abandon(&mut self) {
        <JsonWriter as Visit<'a, &'a Value>>::abandon(&mut self.inner)
    }
}

impl<'a> Encode<'a, &'a Value> for Capture {
    fn finish(self) -> Result<Vec<u8>, Vec<sequra::Problem>> {
        let written = <JsonWriter as Encode<'a, &'a Value>>::finish(self.inner)?;
        *self.out.borrow_mut() = Some(written.clone());
        Ok(written)
    }
}

fn options(flags: u8) -> ValidateOptions {
    ValidateOptions {
        contract: Contract {
            services: flags & 1 != 0,
            multistore: flags & 2 != 0,
            garage: flags & 4 != 0,
            shipment_ref: flags & 8 != 0,
            instore: flags & 16 != 0,
        },
        flow: if flags & 32 != 0 {
            Flow::PosLegacy
        } else {
            Flow::Online
        },
        allow_unknown_keys: flags & 64 != 0,
        // Checked on its own; a client sets its own (below).
        merchant: None,
        endpoint_is_public: false,
    }
}

/// A client per set of options (nothing is sent: encode only walks).
fn client(flags: u8) -> &'static Client {
    static CLIENTS: OnceLock<Vec<Client>> = OnceLock::new();
    let clients = CLIENTS.get_or_init(|| {
        (0..128u8)
            .map(|flags| {
                // The merchant the seed orders name (`merchant.id`), so that
                // they are sent as they are, not refused for naming another.
                let mut config = Config::new(Endpoint::Sandbox, "s1", "user", "password");
                config.validation = options(flags);
                Client::new(config).expect("a client of fixed options")
            })
            .collect()
    });
    &clients[usize::from(flags & 127)]
}

fuzz_target!(|data: &[u8]| {
    let _clock = Clock::start("order", data);
    let [flags, which, json @ ..] = data else {
        return;
    };
    let Ok(order) = serde_json::from_slice::<Value>(json) else {
        return;
    };
    let options = options(*flags);
    let problems = validate(&order, &options);
    assert_bounded(&problems);

    // The same walk, writing: the same problems; a valid order written
    // as serde_json writes it.
    let mut writer = JsonWriter::default();
    let walked = validate_visiting(&order, &options, &mut writer);
    assert_eq!(walked, problems, "validate and the writing walk disagree");
    if problems.is_empty() {
        let written = writer.finish().expect("a Value always writes");
        let back: Value = serde_json::from_slice(&written).unwrap_or_else(|e| {
            panic!(
                "written order is not JSON ({e}): {}",
                String::from_utf8_lossy(&written)
            )
        });
        assert_eq!(back, order, "written order reads back different");
        assert_eq!(
            written,
            serde_json::to_vec(&order).unwrap(),
            "JsonWriter writes other bytes than serde_json"
        );
    }

    // Through the client, for one of the four calls.
    let call = [
        OrderCall::Start,
        OrderCall::Confirm,
        OrderCall::Hold,
        OrderCall::Cancel,
    ][usize::from(which % 4)];
    let out = Rc::new(RefCell::new(None));
    let capture = Capture {
        inner: JsonWriter::default(),
        out: Rc::clone(&out),
    };
    let encoded = match client(*flags).orders().encode(call, &order, capture) {
        Ok(encoded) => encoded,
        Err(error) => {
            assert_error(&error, "password", json);
            return;
        }
    };
    let sendable = format!("{encoded:?}").contains("body: Ok(");
    if !sendable {
        return;
    }
    let written = out.borrow_mut().take().expect("the writer finished");
    let body: Value = serde_json::from_slice(&written).unwrap_or_else(|e| {
        panic!(
            "encoded body is not JSON ({e}): {}",
            String::from_utf8_lossy(&written)
        )
    });
    let mut expected = order.clone();
    let state = match call {
        OrderCall::Start => None,
        OrderCall::Confirm => Some("confirmed"),
        OrderCall::Hold => Some("on_hold"),
        OrderCall::Cancel => Some("cancelled"),
    };
    if let (Some(state), Some(object)) = (state, expected.as_object_mut()) {
        object.insert("state".into(), state.into());
    }
    assert_eq!(body, serde_json::json!({ "order": expected }), "{call:?}");
});
