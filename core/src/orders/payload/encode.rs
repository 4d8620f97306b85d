//! An order sent as it is walked: the request body `{"order": ...}`
//! written by the walk that validates the order, so that a call encodes
//! the order once, from wherever it lives (a `serde_json::Value`, a PHP
//! array), and sends those bytes.
//!
//! [`EncodedOrder`] is the only body the order calls send
//! (`Orders::start_encoded`, `confirm_encoded`, ...), and only
//! `Orders::encode` makes one, with the validating walk: a body that was
//! not validated cannot be sent.

use super::json_text::{self, FieldKey};
use super::node::{Key, Node, Visit};
use super::walk::SetState;
use crate::error::{Error, Problem, Result};
use serde_json::Value;
use std::fmt::Display;

/// What writes the JSON of an order as the walk tells it (see [`Visit`]),
/// for the body of a request.
pub trait Encode<'a, N: Node<'a>>: Visit<'a, N> {
    /// The JSON written, or the problems of the values it could not write
    /// (JSON cannot carry them), which stop the call before anything else.
    fn finish(self) -> std::result::Result<Vec<u8>, Vec<Problem>>;
}

/// The calls that send a whole order, each with the `state` it sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderCall {
    /// `POST /orders`: the order as the shop gives it (its state empty).
    Start,
    /// `PUT {order URI}` with `state` "confirmed".
    Confirm,
    /// `PUT {order URI}` with `state` "on_hold".
    Hold,
    /// `PUT {order URI}` with `state` "cancelled".
    Cancel,
}

impl OrderCall {
    /// The state the call sends, for the calls that set one.
    pub(crate) fn state(self) -> Option<&'static str> {
        match self {
            OrderCall::Start => None,
            OrderCall::Confirm => Some("confirmed"),
            OrderCall::Hold => Some("on_hold"),
            OrderCall::Cancel => Some("cancelled"),
        }
    }

    /// How the walk sets the state: the order is checked as it would be
    /// confirmed (the validator knows only the states of the checkout:
    /// "confirmed" for a confirmation, else empty) and sent with the
    /// call's.
    pub(crate) fn set_state(self) -> Option<SetState> {
        let (checked_as, sent_as): (&str, &[u8]) = match self {
            OrderCall::Start => return None,
            OrderCall::Confirm => ("confirmed", br#""confirmed""#),
            OrderCall::Hold => ("", br#""on_hold""#),
            OrderCall::Cancel => ("", br#""cancelled""#),
        };
        Some(SetState {
            checked_as,
            sent_as,
        })
    }
}

/// An order's request body, `{"order": ...}`, for one call, written by the
/// walk that validated the order: the bytes, or why the order cannot be
/// sent (it is not an object, its state is not the call's, or its
/// problems), which the call reports in its turn (after its own
/// arguments).
#[derive(Debug)]
pub struct EncodedOrder {
    call: OrderCall,
    body: Result<Vec<u8>>,
}

impl EncodedOrder {
    pub(crate) fn new(call: OrderCall, body: Result<Vec<u8>>) -> Self {
        EncodedOrder { call, body }
    }

    /// The body for `call`, or why it cannot be sent. A body encoded for
    /// another call is refused (it carries another state).
    pub(crate) fn body_for(self, call: OrderCall) -> Result<Vec<u8>> {
        if self.call != call {
            return Err(Error::invalid(
                "order",
                format!(
                    "was encoded for {:?}, not for {call:?}; encode it for the call that sends it",
                    self.call
                ),
            ));
        }
        self.body
    }
}

/// Walks `order` once with `writer`, inside the request's envelope: the
/// order's problems, and what the writer wrote (or refused).
pub(crate) fn walk<'a, N: Node<'a>, W: Encode<'a, N>>(
    order: N,
    options: &super::ValidateOptions,
    call: OrderCall,
    mut writer: W,
) -> (Vec<Problem>, std::result::Result<Vec<u8>, Vec<Problem>>) {
    writer.raw(br#"{"order":"#);
    let problems = super::walk_order(order, options, call.set_state(), &mut writer);
    writer.raw(b"}");
    (problems, writer.finish())
}

/// Writes an order held as a `serde_json::Value` as the walk tells it:
/// the same JSON as `serde_json` writes (keys in the map's order).
#[derive(Debug, Default)]
pub struct JsonWriter {
    out: Vec<u8>,
    /// Whether each open container is a list.
    lists: Vec<bool>,
}

impl<'a> Visit<'a, &'a Value> for JsonWriter {
    fn value(&mut self, value: &'a Value, _: &dyn Display) {
        // A value serde_json holds always writes.
        let _ = serde_json::to_writer(&mut self.out, value);
    }

    fn string(&mut self, _: &'a Value, text: &'a [u8], _: &dyn Display) {
        // (A Value's strings are UTF-8.)
        json_text::string(&mut self.out, text);
    }

    fn integer(&mut self, _: &'a Value, number: i64, _: &dyn Display) {
        json_text::integer(&mut self.out, number);
    }

    fn open(&mut self, container: &'a Value, _: &dyn Display) {
        let list = container.is_array();
        self.out.push(if list { b'[' } else { b'{' });
        self.lists.push(list);
    }

    fn key(&mut self, key: Key<'a>, first: bool, _: &dyn Display, _: bool) {
        self.element(first);
        match key {
            Key::Name(name) => {
                json_text::string(&mut self.out, name);
            }
            Key::Index(i) => json_text::integer_key(&mut self.out, i),
        }
        self.out.push(b':');
    }

    fn field_key(&mut self, key: &'static FieldKey, first: bool, _: &dyn Display) {
        let (json, len) = key.json(first);
        self.out.extend_from_slice(&json[..len]);
    }

    fn element(&mut self, first: bool) {
        if !first {
            self.out.push(b',');
        }
    }

    fn close(&mut self, _: &'a Value) {
        let list = self.lists.pop().unwrap_or(false);
        self.out.push(if list { b']' } else { b'}' });
    }

    fn raw(&mut self, json: &[u8]) {
        self.out.extend_from_slice(json);
    }
}

impl<'a> Encode<'a, &'a Value> for JsonWriter {
    fn finish(self) -> std::result::Result<Vec<u8>, Vec<Problem>> {
        Ok(self.out)
    }
}
