//! The rules of [`super`] applied in one walk: each PHP value is told to a
//! [`Sink`] as what it becomes in JSON, or refused with a problem naming
//! its path. Every refusal and its message is here, and only here.
//!
//! The writer walks a value itself ([`Writer::root`]), or, for an order, is
//! told each value by the core's validator as it walks the order (the
//! `Visit` impl below): one pass validates and writes.

use super::json_buffer::VecText;
use super::node::{PhpNode, View};
use super::sink::{Json, Sink};
use super::zval::{Entries, Key, Kind, Known, Object, PhpValue, Table, Unread, Written};
use sequra::orders::payload::json_text::{self, FieldKey};
use sequra::orders::payload::node::Visit;
use sequra::orders::payload::{keys_not_in_order, Encode, Problems};
use sequra::Problem;
use std::fmt::{Display, Write as _};

/// Deeper than any order: an array nested deeper is refused. The bound on
/// a document's size reads as deep (its `depth`), so it counts all that
/// this writer may write.
pub const MAX_DEPTH: usize = sequra::orders::payload::ORDER_LIMITS.depth;

/// What to make of an array whose integer keys are not `0..n-1`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Gaps {
    /// A problem: `json_encode` would send an object where the API wants a
    /// list.
    Refuse,
    /// An object, as `json_encode` makes it (an order's methods, whose
    /// validator names such a list where the order wants one).
    AsObject,
}

/// Where a value sits, built on the stack as the writer descends and
/// written out only for a problem.
enum Place<'p> {
    Root,
    /// Where the validator is (see `Visit`), as it writes it.
    At(&'p dyn Display),
    Member(&'p Place<'p>, Key<'p>),
    Element(&'p Place<'p>, usize),
}

/// A place's path, written only when a problem is listed (see
/// [`Problems::push`]).
struct PathOf<'p>(&'p Place<'p>, &'p str);

impl Display for PathOf<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.path(self.1))
    }
}

impl Place<'_> {
    /// The path in a problem: `cart.items[3].name`; `root` for the whole
    /// value, and before an index at the top (`order[2]`). Each key is cut
    /// to an excerpt (`Key`'s `Display`).
    fn path(&self, root: &str) -> String {
        let mut path = String::new();
        self.write(root, &mut path);
        if path.is_empty() {
            root.to_owned()
        } else {
            path
        }
    }

    fn write(&self, root: &str, path: &mut String) {
        match self {
            Place::Root => {}
            Place::At(at) => {
                let _ = write!(path, "{at}");
            }
            Place::Member(parent, key) => {
                parent.write(root, path);
                if !path.is_empty() {
                    path.push('.');
                }
                let _ = write!(path, "{key}");
            }
            Place::Element(parent, index) => {
                parent.write(root, path);
                if path.is_empty() {
                    path.push_str(root);
                }
                let _ = write!(path, "[{index}]");
            }
        }
    }
}

pub struct Writer<'r, S: Sink> {
    root: &'r str,
    gaps: Gaps,
    pub out: S,
    /// At most [`sequra::orders::payload::MAX_PROBLEMS`], the rest counted.
    problems: Problems,
    /// The tables being written (their addresses), outermost first: one
    /// met again inside itself (through a reference) would never end.
    open: [usize; MAX_DEPTH + 1],
    depth: usize,
    /// While the validator is inside a container that is not written (it
    /// is recursive, too deep or refused), how deep: nothing inside it is.
    muted: usize,
    /// Whether the muted container was entered (is on `open`).
    muted_entered: bool,
    /// The value after a key that is not UTF-8 is skipped.
    skip_value: bool,
}

impl<'r, S: Sink> Writer<'r, S> {
    /// A writer whose problems about the whole value name it `root`
    /// (`order`, `options`).
    pub fn new(root: &'r str, gaps: Gaps, out: S) -> Self {
        Writer {
            root,
            gaps,
            out,
            problems: Problems::new(),
            open: [0; MAX_DEPTH + 1],
            depth: 0,
            muted: 0,
            muted_entered: false,
            skip_value: false,
        }
    }

    /// Writes a whole array, walking it alone.
    pub fn root(&mut self, table: Table<'_>) {
        self.array(table, &Place::Root);
    }

    fn problem(&mut self, place: &Place<'_>, message: impl Into<String>) {
        self.problems.push(PathOf(place, self.root), message);
    }

    /// Refuses the value at `place`, writing null in its place: what was
    /// written keeps the document's shape (a list its indices), for a
    /// validator that reads it after the refusals (`to_document`).
    #[cold]
    fn refuse(&mut self, place: &Place<'_>, message: impl Into<String>) {
        self.problem(place, message);
        self.out.null();
    }

    /// What was written, or, if any value was refused, every problem.
    pub fn result(self) -> Result<S, Vec<Problem>> {
        match self.written() {
            (out, None) => Ok(out),
            (_, Some(refused)) => Err(refused),
        }
    }

    /// What was written (a refused value as null), and every problem if
    /// any value was refused.
    pub fn written(self) -> (S, Option<Vec<Problem>>) {
        let refused = (!self.problems.is_empty()).then(|| self.problems.finish(self.root));
        (self.out, refused)
    }

    fn value(&mut self, value: PhpValue<'_>, place: &Place<'_>) {
        match value.kind() {
            Kind::Null => self.out.null(),
            Kind::Bool(b) => self.out.boolean(b),
            Kind::Long(i) => self.out.integer(i),
            Kind::Double(f) => {
                if !self.out.float(f) {
                    self.refuse(
                        place,
                        format!("is {f}, which JSON cannot carry; send a finite number"),
                    );
                }
            }
            Kind::String(text) => {
                if !self.out.string(text.as_bytes()) {
                    self.refuse(place, super::NOT_UTF8);
                }
            }
            Kind::Array(table) => self.array(table, place),
            Kind::Object(object) => self.object(object, place),
            Kind::Resource => self.refuse(
                place,
                "is a resource; pass arrays, strings, numbers, booleans or null",
            ),
        }
    }

    fn array(&mut self, table: Table<'_>, place: &Place<'_>) {
        if !self.enter(table, place) {
            return self.out.null();
        }
        if table.is_list() {
            self.out.open(true);
            for (i, (_, value)) in table.entries().enumerate() {
                self.out.element(i == 0);
                self.value(value, &Place::Element(place, i));
            }
            self.out.close(true);
        } else if self.refused_gaps(table, place) {
            self.out.null();
        } else {
            self.members(table.entries(), place);
        }
        self.depth -= 1;
    }

    /// Whether to write `table`: not when it contains itself or is too
    /// deep. Once written, `depth` goes back down by one.
    #[inline(always)]
    fn enter(&mut self, table: Table<'_>, place: &Place<'_>) -> bool {
        let id = table.id();
        // (`depth` is at most MAX_DEPTH + 1: one past the last slot.)
        let open = self.open.get(..self.depth).unwrap_or(&self.open);
        // (`any` stays inline where `contains` is a call: 1.2k instructions
        // an encode, measured.)
        #[allow(clippy::manual_contains)]
        if self.depth > MAX_DEPTH || open.iter().any(|&o| o == id) {
            self.refuse_entry(id, place);
            return false;
        }
        self.open[self.depth] = id;
        self.depth += 1;
        true
    }

    /// Why a table is not entered: it contains itself, or is too deep.
    #[cold]
    fn refuse_entry(&mut self, id: usize, place: &Place<'_>) {
        if self.open[..self.depth.min(self.open.len())].contains(&id) {
            self.problem(
                place,
                "contains itself (through a reference); JSON cannot carry a recursive array",
            );
        } else {
            self.problem(
                place,
                format!("is nested more than {MAX_DEPTH} levels deep"),
            );
        }
    }

    /// Refuses an array (not a list) whose keys are all integers, unless
    /// it becomes an object: whether it did.
    #[inline(always)]
    fn refused_gaps(&mut self, table: Table<'_>, place: &Place<'_>) -> bool {
        let refused = self.gaps == Gaps::Refuse && table.has_only_integer_keys();
        if refused {
            self.refuse_gaps(table, place);
        }
        refused
    }

    #[cold]
    fn refuse_gaps(&mut self, table: Table<'_>, place: &Place<'_>) {
        self.problem(place, not_a_list(table));
    }

    /// A `stdClass` becomes a JSON object, a backed enum case its value;
    /// any other object is refused.
    fn object(&mut self, object: Object<'_>, place: &Place<'_>) {
        match object.written() {
            Ok(Written::Members(properties)) => {
                if self.enter(properties, place) {
                    self.members(properties.properties(), place);
                    self.depth -= 1;
                } else {
                    self.out.null();
                }
            }
            Ok(Written::Value(value)) => self.value(value, place),
            Err(unread) => self.refuse(place, refused_object(unread)),
        }
    }

    /// The entries of an array or object as the members of a JSON object.
    fn members(&mut self, entries: Entries<'_>, place: &Place<'_>) {
        self.out.open(false);
        let mut first = true;
        for (key, value) in entries {
            match key {
                Key::Index(i) => self.out.index_key(first, i),
                Key::Name(name) => {
                    if !self.out.key(first, name) {
                        self.problem(place, super::key_not_utf8(name));
                        continue;
                    }
                }
            }
            first = false;
            self.value(value, &Place::Member(place, key));
        }
        self.out.close(false);
    }

    /// `Visit::value` for all but a string or integer written as it is.
    #[inline(never)]
    fn other_value(&mut self, value: PhpNode<'_>, at: &dyn Display) {
        if self.muted > 0 {
            return;
        }
        if self.skip_value {
            self.skip_value = false;
            return;
        }
        let place = Place::At(at);
        match value.view() {
            View::Array(table, _) => self.array(table, &place),
            View::Object(properties) => {
                if self.enter(properties, &place) {
                    self.members(properties.properties(), &place);
                    self.depth -= 1;
                }
            }
            View::Scalar(value) => self.value(value, &place),
        }
    }

    /// Nothing is written until the validator closes the container it is
    /// opening.
    fn mute(&mut self, entered: bool) {
        (self.muted, self.muted_entered) = (1, entered);
    }
}

/// Writes the order as the validator walks it (see `Visit`): what it checks
/// member by member is written here member by member, and every other value
/// whole, with the same rules as [`Writer::value`].
impl<'a, S: Sink> Visit<'a, PhpNode<'a>> for Writer<'_, S> {
    /// Its sink reads every string's bytes anyway (`Sink::text`).
    const CHECKS_NUL: bool = true;

    #[inline(always)]
    fn value(&mut self, value: PhpNode<'a>, at: &dyn Display) {
        // Strings and integers, here where the validator is: most values
        // are; all else (and any problem) in `other_value`.
        if let (View::Scalar(value), 0, false) = (value.view(), self.muted, self.skip_value) {
            if let Some(text) = value.string() {
                if self.out.string(text.as_bytes()) {
                    return;
                }
            } else if let Some(i) = value.long() {
                return self.out.integer(i);
            }
        }
        self.other_value(value, at);
    }

    #[inline(always)]
    fn string(&mut self, value: PhpNode<'a>, text: &'a [u8], at: &dyn Display) {
        if self.muted == 0 && !self.skip_value {
            if self.out.text(text) {
                return;
            }
            if json_text::has_nul(text) {
                return self.refuse(&Place::At(at), json_text::HOLDS_NUL);
            }
        }
        self.other_value(value, at);
    }

    #[inline(always)]
    fn integer(&mut self, value: PhpNode<'a>, number: i64, at: &dyn Display) {
        if self.muted == 0 && !self.skip_value {
            return self.out.integer(number);
        }
        self.other_value(value, at);
    }

    #[inline(always)]
    fn open(&mut self, container: PhpNode<'a>, at: &dyn Display) {
        if self.muted > 0 {
            self.muted += 1;
            return;
        }
        if std::mem::take(&mut self.skip_value) {
            return self.mute(false);
        }
        let place = Place::At(at);
        let (table, list) = match container.view() {
            View::Array(table, list) => (table, list),
            View::Object(properties) => (properties, false),
            // The validator opens only objects and lists.
            View::Scalar(_) => return self.mute(false),
        };
        if !self.enter(table, &place) {
            return self.mute(false);
        }
        if matches!(container.view(), View::Array(_, false)) && self.refused_gaps(table, &place) {
            return self.mute(true);
        }
        self.out.open(list);
    }

    #[inline(always)]
    fn key(&mut self, key: Key<'a>, first: bool, at: &dyn Display, known: bool) {
        if self.muted > 0 {
            return;
        }
        match key {
            Key::Index(i) => self.out.index_key(first, i),
            Key::Name(name) if known => self.out.plain_key(first, name),
            Key::Name(name) => {
                if !self.out.key(first, name) {
                    self.problem(&Place::At(at), super::key_not_utf8(name));
                    self.skip_value = true;
                }
            }
        }
    }

    #[inline(always)]
    fn field_key(&mut self, key: &'static FieldKey, first: bool, _at: &dyn Display) {
        if self.muted == 0 {
            self.out.field_key(first, key);
        }
    }

    #[inline(always)]
    fn field_string(
        &mut self,
        key: &'static FieldKey,
        first: bool,
        _value: PhpNode<'a>,
        text: &'a [u8],
        at: &dyn Display,
    ) {
        // (A field's key follows a value, never a key whose value is skipped.)
        if self.muted == 0 && !self.out.field_string(first, key, text) {
            let why = if json_text::has_nul(text) {
                json_text::HOLDS_NUL
            } else {
                super::NOT_UTF8
            };
            self.problem(&Place::At(at), why);
        }
    }

    #[inline(always)]
    fn field_integer(
        &mut self,
        key: &'static FieldKey,
        first: bool,
        _value: PhpNode<'a>,
        number: i64,
        _at: &dyn Display,
    ) {
        if self.muted == 0 {
            self.out.field_integer(first, key, number);
        }
    }

    #[inline(always)]
    fn element(&mut self, first: bool) {
        if self.muted == 0 {
            self.out.element(first);
        }
    }

    #[inline(always)]
    fn close(&mut self, container: PhpNode<'a>) {
        if self.muted > 0 {
            self.muted -= 1;
            if self.muted == 0 && self.muted_entered {
                self.depth -= 1;
            }
            return;
        }
        self.out.close(container.is_list());
        self.depth -= 1;
    }

    #[inline(always)]
    fn raw(&mut self, json: &[u8]) {
        if self.muted == 0 {
            self.out.raw(json);
        }
    }

    /// The order is too large: nothing of it counts, not even what this
    /// writer refused of it (the one problem is its size).
    fn abandon(&mut self) {
        self.problems = Problems::new();
        self.muted = usize::MAX / 2;
    }
}

/// The body of a request, written as the order is validated
/// (`Orders::encode`): the JSON, or what this writer refused.
impl<'a> Encode<'a, PhpNode<'a>> for Writer<'_, Json<VecText>> {
    fn finish(self) -> Result<Vec<u8>, Vec<Problem>> {
        self.result().map(Json::finish)
    }
}

/// The message for an array with integer keys that are not `0..n-1`.
fn not_a_list(table: Table<'_>) -> String {
    let keys = table.entries().map(|(key, _)| key.to_string());
    format!(
        "is not a list: {}, so json_encode would make it an object; pass array_values() of it \
         for a list, or (object) of it for a mapping",
        keys_not_in_order(keys, table.len()),
    )
}

/// The message for an object that is not written.
fn refused_object(unread: Unread<'_>) -> String {
    match unread {
        Unread::Class(name, known) => {
            let advice = match known {
                Known::Other => "; pass an array, or a stdClass for a JSON object",
                Known::Date => {
                    "; send the date as text: ->format(DATE_ATOM), \
                     or ->format('Y-m-d') for a date alone"
                }
                Known::JsonSerializable => {
                    ", whose jsonSerialize() is not called here; \
                     pass what it returns (->jsonSerialize())"
                }
                Known::Stringable => {
                    ", whose text is not taken for it (json_encode does not \
                     take it either); pass (string) of it for its text"
                }
            };
            format!("is an object of class {}{advice}", super::shown_bytes(name))
        }
        Unread::PureEnum(name) => format!(
            "is a case of the enum {}, which has no value to send (json_encode refuses it too); \
             pass a string, or give the enum values (enum {0}: string)",
            super::shown_bytes(name)
        ),
        Unread::Unreadable => "is an object whose properties cannot be read".into(),
    }
}
