//! Walks an order against the field tables of `schema.rs`, collecting a
//! problem for every missing field, wrong type, bad value and unknown key.

use super::json_text::{self, FieldKey};
use super::node::{Key, Name, Node, Shape, Visit};
use super::rules::{Item, ItemRules};
use super::schema::{self, Echo, Field, Fields, Kind, Need, Slot, ITEM_SLOTS, SLOTS};
use super::{Contract, Limits, ValidateOptions};
use crate::orders::notifications::IPN_FIELDS;
use crate::validate::size::{Budget, Exceeded};
use crate::validate::text::{
    describe, describe_personal, integer_keys_problem, is_blank_bytes, is_email,
    not_a_list_problem, suggestion,
};
use crate::validate::{codes, date, id, ip::is_ip, money, url, Problems};

/// The key of a tagged element's type.
const TYPE: Name = Name::of_field("type");
static TYPE_KEY: FieldKey = FieldKey::new("type");

/// How far a walk went: `Err` when the order passed the bound on its size,
/// where the walk stopped.
pub(crate) type Walked = Result<(), Exceeded>;

/// The `state` a call sets (`checkout.rs`): the one the order is checked
/// with, and the JSON sent in its place.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SetState {
    pub checked_as: &'static str,
    pub sent_as: &'static [u8],
}

pub(crate) struct Walker<'a, 'v, N, V> {
    pub problems: Problems,
    pub allow_unknown_keys: bool,
    /// The values of the fields the rules read (see `schema::Slot`).
    pub noted: [Option<N>; SLOTS],
    /// Told every value as it is checked.
    pub visit: &'v mut V,
    /// The rules on the items of the cart, run as each is walked.
    pub items: ItemRules<'a>,
    contract: Contract,
    /// Set for the walk of `cart.items`, which collects `items`.
    cart_items: bool,
    /// Set while a cart item is walked: its members are noted.
    in_item: bool,
    /// How many objects were walked field by field.
    objects: usize,
    /// The size of the order so far, against its bound.
    budget: Budget,
    /// How deep the walk is (the order itself is 0).
    depth: usize,
    /// The state the walk sets in the order, for the calls that set it.
    set_state: Option<SetState>,
}

/// Where a value sits in the order, built on the stack as the walker
/// descends and written out only when there is a problem to report.
#[derive(Clone, Copy)]
pub(crate) enum Path<'a> {
    Root,
    Field(&'a Path<'a>, &'a str),
    /// A field of the document, named only when the path is written out
    /// (the name is not read for every member: see `Field`'s layout).
    Member(&'a Path<'a>, &'static Field),
    /// A member that is not a field of the document.
    Key(&'a Path<'a>, Key<'a>),
    Item(&'a Path<'a>, Label<'a>),
}

impl std::fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Path::Root => Ok(()),
            Path::Field(Path::Root, name) => f.write_str(name),
            Path::Field(parent, name) => write!(f, "{parent}.{name}"),
            Path::Member(parent, field) => Path::Field(parent, field.name()).fmt(f),
            Path::Key(Path::Root, key) => write!(f, "{key}"),
            Path::Key(parent, key) => write!(f, "{parent}.{key}"),
            Path::Item(parent, label) => write!(f, "{parent}{label}"),
        }
    }
}

impl Path<'_> {
    /// The name of the field this path ends at, if it ends at one.
    fn field_name(&self) -> Option<&str> {
        match self {
            Path::Field(_, name) => Some(name),
            Path::Member(_, field) => Some(field.name()),
            Path::Root | Path::Key(..) | Path::Item(..) => None,
        }
    }

    /// Whether this is a field the document lets an order leave out.
    fn is_optional_field(&self) -> bool {
        matches!(self, Path::Member(_, field) if field.need == Need::Optional)
    }
}

/// An element's place in a list: its index, or the key of a PHP array
/// with gaps (see [`elements`]).
#[derive(Clone, Copy)]
pub(crate) enum Label<'a> {
    Index(usize),
    Key(Key<'a>),
}

impl std::fmt::Display for Label<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Label::Index(i) => write!(f, "[{i}]"),
            Label::Key(k) => write!(f, "[{k}]"),
        }
    }
}

/// `parent.name` as text, for the rules that name a field of an element.
pub(crate) fn join(parent: &str, name: &str) -> String {
    if parent.is_empty() {
        name.to_string()
    } else {
        format!("{parent}.{name}")
    }
}

/// The elements of something that should be a list, each with its label.
pub(crate) enum Elements<'a, N: Node<'a>> {
    List(std::iter::Enumerate<N::Elements>),
    Gaps(N::Members),
    None,
}

impl<'a, N: Node<'a>> Iterator for Elements<'a, N> {
    type Item = (Label<'a>, N);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Elements::List(list) => list.next().map(|(i, v)| (Label::Index(i), v)),
            Elements::Gaps(members) => members.next().map(|(k, v)| (Label::Key(k), v)),
            Elements::None => None,
        }
    }
}

/// The elements of something that should be a list. A JSON object whose
/// keys are all integers is what PHP's `json_encode` makes of an array with
/// gaps (`[0 => .., 1 => .., 9 => ..]`): it is reported, and its elements
/// are still checked under their own keys so every other problem shows too.
/// Anything else is reported and gives no elements.
pub(crate) fn elements<'a, N: Node<'a>>(
    value: N,
    path: &Path<'_>,
    problems: &mut Problems,
) -> Elements<'a, N> {
    if let Some(list) = value.elements() {
        return Elements::List(list.enumerate());
    }
    if let Some(members) = value.members().filter(|_| !value.is_empty()) {
        if value
            .members()
            .into_iter()
            .flatten()
            .all(|(k, _)| k.is_index())
        {
            let keys = value
                .members()
                .into_iter()
                .flatten()
                .map(|(k, _)| k.to_string());
            problems.push(path, integer_keys_problem(keys, value.len()));
            return Elements::Gaps(members);
        }
    }
    problems.push(path, not_a_list_problem(value));
    Elements::None
}

/// The members of an object, and of an empty list: PHP's `array()` cannot
/// tell them apart and `json_encode` writes `[]`.
pub(crate) fn as_object<'a, N: Node<'a>>(value: N) -> Option<Members<N::Members>> {
    match value.shape() {
        Shape::Object => Some(Members(value.members())),
        Shape::List if value.is_empty() => Some(Members(None)),
        _ => None,
    }
}

/// The members of an object (none for an empty list).
pub(crate) struct Members<I>(Option<I>);

impl<I: Iterator> Iterator for Members<I> {
    type Item = I::Item;

    #[inline(always)]
    fn next(&mut self) -> Option<I::Item> {
        self.0.as_mut()?.next()
    }
}

impl<'a, 'v, N: Copy, V> Walker<'a, 'v, N, V> {
    pub fn new(
        options: &ValidateOptions,
        limits: &Limits,
        visit: &'v mut V,
        set_state: Option<SetState>,
    ) -> Self {
        Walker {
            problems: Problems::new(),
            allow_unknown_keys: options.allow_unknown_keys,
            noted: [None; SLOTS],
            visit,
            items: ItemRules::new(),
            contract: options.contract.clone(),
            cart_items: false,
            in_item: false,
            objects: 0,
            budget: Budget::new(limits),
            depth: 0,
            set_state,
        }
    }
}

impl<'a, N: Node<'a>, V: Visit<'a, N>> Walker<'a, '_, N, V> {
    fn problem(&mut self, path: &Path<'_>, message: impl Into<String>) {
        self.problems.push(path, message);
    }

    /// Walks the whole order: whether it is an object (else its one
    /// problem says so); `Err` when it passed the bound on its size (the
    /// walk stopped there).
    pub fn order(&mut self, order: N) -> Result<bool, Exceeded> {
        self.budget.value();
        let is_object = match as_object(order) {
            Some(members) => {
                self.fields(&Path::Root, order, members, schema::ORDER, false)?;
                true
            }
            None => {
                self.problems.push("order", "must be an object");
                self.whole(order, &Path::Root)?;
                false
            }
        };
        self.budget.finish()?;
        Ok(is_object)
    }

    /// Tells `value` whole, measured first: its size is counted before the
    /// visitor reads any of it.
    fn whole(&mut self, value: N, at: &Path<'_>) -> Walked {
        match value.shape() {
            Shape::List | Shape::Object => self.budget.within(value, self.depth)?,
            Shape::String => self.budget.text(value.text_len())?,
            Shape::Null | Shape::Bool | Shape::Integer | Shape::Float => {}
        }
        self.visit.value(value, at);
        Ok(())
    }

    /// Checks `object` (the members of an object) against `fields`. `tag`
    /// is a key the caller already checked (an item's `type`).
    pub fn fields(
        &mut self,
        path: &Path<'_>,
        object: N,
        members: impl Iterator<Item = (Key<'a>, N)>,
        fields: &'static Fields,
        tag: bool,
    ) -> Walked {
        self.budget.container(object.len())?;
        self.visit.open(object, path);
        self.objects += 1;
        self.depth += 1;
        // Only the members of the item itself are the item's.
        let in_item = std::mem::take(&mut self.in_item);
        // Only the order itself has the state a call sets.
        let mut set_state = self.set_state.take();
        // One pass over the object's keys; a missing required field shows
        // as a count short of the table's, and only then is it looked for.
        let mut required_seen = 0;
        // Where the next key's field probably is (see `Fields::find`).
        let mut next = 0;
        let mut first = true;
        for (key, value) in members {
            self.budget.value();
            // The key as words, once: its field is looked up with them.
            let name = match key {
                Key::Name(name) => {
                    self.budget.text(name.len())?;
                    Name::of(name)
                }
                Key::Index(_) => None,
            };
            let Some((at, field)) = name.and_then(|name| fields.find(&name, next)) else {
                let is_type = tag && name == Some(TYPE);
                self.other_member(path, key, is_type, value, fields, in_item, first)?;
                first = false;
                continue;
            };
            next = at + 1;
            required_seen += usize::from(field.need == Need::Required);
            // Most fields have no slot: one test for them.
            if let Some(slot) = field.slot {
                if let (Slot::State, Some(set)) = (slot, &set_state) {
                    self.set_state(set, first, path, false)?;
                    set_state = None;
                    first = false;
                    continue;
                }
                self.noted[slot as usize] = Some(value);
                if let Slot::CartItems = slot {
                    self.cart_items = true;
                }
            }
            let at = Path::Member(path, field);
            // A string or an integer that passes its field's check is told
            // with its key in one call; all else (containers, and any value
            // refused) after the key, by `value`, which checks it again.
            if let Some(text) = value.as_bytes() {
                // (One with a NUL is refused by `string`.)
                if passes_text(&field.kind, text) && (V::CHECKS_NUL || !json_text::has_nul(text)) {
                    self.budget.text(text.len())?;
                    self.visit.field_string(&field.key, first, value, text, &at);
                    first = false;
                    continue;
                }
            } else if let Some(number) = value.as_i64() {
                if passes_integer(&field.kind, number) {
                    self.visit
                        .field_integer(&field.key, first, value, number, &at);
                    first = false;
                    continue;
                }
            }
            self.visit.field_key(&field.key, first, path);
            self.value(&at, value, &field.kind)?;
            self.cart_items = false;
            first = false;
        }
        if let Some(set) = &set_state {
            // The order has no state: the call's goes last.
            self.budget.value();
            self.set_state(set, first, path, true)?;
            required_seen += 1;
        }
        self.depth -= 1;
        self.visit.close(object);
        if required_seen < fields.required {
            let missing = fields.list.iter().filter(|f| f.need == Need::Required);
            for field in missing.filter(|f| object.get(f.name()).is_none()) {
                self.problem(&Path::Field(path, field.name()), "is required");
            }
        }
        Ok(())
    }

    /// A member that is not a field of its object: an item's `type` (`tag`),
    /// a member of a cart item the rules read all the same, or an unknown
    /// key, reported unless they are allowed.
    #[allow(clippy::too_many_arguments)]
    #[inline(never)]
    fn other_member(
        &mut self,
        path: &Path<'_>,
        key: Key<'a>,
        is_type: bool,
        value: N,
        fields: &'static Fields,
        in_item: bool,
        first: bool,
    ) -> Walked {
        if is_type {
            if in_item {
                self.noted[Slot::ItemType as usize] = Some(value);
            }
            // One of the variants' names (see `tagged`): a string, told
            // with its key in one call.
            if let Some(text) = value.as_bytes() {
                self.budget.text(text.len())?;
                let at = Path::Key(path, key);
                self.visit.field_string(&TYPE_KEY, first, value, text, &at);
                return Ok(());
            }
            self.visit.field_key(&TYPE_KEY, first, path);
        } else {
            self.visit.key(key, first, path, false);
            if in_item {
                self.note_item_member(key, value);
            }
            if in_item && (key.is("quantity") || key.is("price_with_tax")) {
                // Not merely unknown: the document forbids them by name in
                // the items that have neither (handling, invoice fees,
                // discounts, other payments), allowed unknown keys or not.
                self.problem(
                    &Path::Key(path, key),
                    "is not allowed in this type of item (only products, services and subscriber fees have it); its total_with_tax is the whole amount",
                );
            } else if !self.allow_unknown_keys {
                self.unknown_key(path, key, fields);
            }
        }
        self.whole(value, &Path::Key(path, key))
    }

    /// The order's `state` as the call sets it, in place of the caller's:
    /// it is what the call checks, so it is not checked again.
    fn set_state(&mut self, set: &SetState, first: bool, path: &Path<'_>, added: bool) -> Walked {
        const STATE: FieldKey = FieldKey::new("state");
        self.budget
            .text(set.checked_as.len() + if added { STATE.name().len() } else { 0 })?;
        self.visit.field_key(&STATE, first, path);
        self.visit.raw(set.sent_as);
        Ok(())
    }

    /// Reports each key of the object `value` that is not one of `fields`
    /// (unless unknown keys are allowed), without checking any value: an
    /// update's `merchant` and `merchant_reference`, whose values the call
    /// compares with its own.
    pub fn known_keys(&mut self, path: &Path<'_>, value: N, fields: &Fields) {
        if self.allow_unknown_keys {
            return;
        }
        for (key, _) in as_object(value).into_iter().flatten() {
            let known = match key {
                Key::Name(name) => {
                    Name::of(name).is_some_and(|name| fields.find(&name, 0).is_some())
                }
                Key::Index(_) => false,
            };
            if !known {
                self.unknown_key(path, key, fields);
            }
        }
    }

    /// Reports `key`, which is not a field of this object.
    fn unknown_key(&mut self, path: &Path<'_>, key: Key<'a>, fields: &Fields) {
        if self.problems.is_full() {
            // Only counted: no message, no search.
            return self.problems.push(path, "");
        }
        // A typo of one of its fields, else a field of other objects (a
        // phone given to the customer, which only the addresses have).
        let hint = match key {
            Key::Name(name) => suggestion(name, fields.list.iter().map(Field::name))
                .map(|s| format!(" (did you mean {s}?)"))
                .or_else(|| {
                    let places = schema::objects_with(std::str::from_utf8(name).ok()?, 3);
                    let of = match places.split_last()? {
                        (last, []) => last.clone(),
                        (last, others) => format!("{} and {last}", others.join(", ")),
                    };
                    Some(format!(" (it is a field of {of})"))
                }),
            Key::Index(_) => None,
        }
        .unwrap_or_default();
        self.problem(
            &Path::Key(path, key),
            format!("is not a field of this object{hint}; remove it, or allow unknown keys"),
        );
    }

    /// Checks a field's value. The kinds most fields have are checked here,
    /// inline, the others in [`Walker::other_value`].
    #[inline(always)]
    fn value(&mut self, path: &Path<'_>, value: N, kind: &'static Kind) -> Walked {
        match kind {
            Kind::Str => {
                if let Some(text) = value.as_bytes() {
                    return self.string(path, value, text);
                }
            }
            Kind::StrOrInt => {
                if let Some(text) = value.as_bytes() {
                    return self.string(path, value, text);
                }
                if let Some(number) = value.as_i64() {
                    self.visit.integer(value, number, path);
                    return Ok(());
                }
                if value.is_integer() {
                    // Beyond i64: taken as it is.
                    self.visit.value(value, path);
                    return Ok(());
                }
            }
            Kind::Amount => {
                if let Some(number) = value.as_i64() {
                    self.visit.integer(value, number, path);
                    return Ok(());
                }
            }
            Kind::Bool => {
                if value.shape() == Shape::Bool {
                    self.visit.value(value, path);
                    return Ok(());
                }
            }
            _ => return self.other_value(path, value, kind),
        }
        self.refuse(path, value, *kind)
    }

    /// Tells a string that passed its field's check; one holding a NUL is
    /// a problem all the same (docs/decisions.md).
    #[inline(always)]
    fn string(&mut self, path: &Path<'_>, value: N, text: &'a [u8]) -> Walked {
        self.budget.text(text.len())?;
        if !V::CHECKS_NUL && json_text::has_nul(text) {
            self.nul(path);
            return Ok(());
        }
        self.visit.string(value, text, path);
        Ok(())
    }

    #[cold]
    fn nul(&mut self, path: &Path<'_>) {
        self.problem(path, crate::validate::text::HOLDS_NUL);
    }

    #[cold]
    fn wrong(&mut self, path: &Path<'_>, value: N, kind: Kind) {
        if path.field_name().is_some_and(crate::log::is_personal) {
            let (shown, hint) = (describe_personal(value), hint(path, kind, value));
            let message = format!("must be {}, not {shown}{hint}", expectation(kind));
            return self.problem(path, message);
        }
        let integer_kind = kind.is_integer();
        // A whole number JSON carries as a float only because it is too
        // large for an integer (1e20, 100000000000000000000).
        let huge_whole = integer_kind
            && value.shape() == Shape::Float
            && value
                .json_text()
                .parse::<f64>()
                .is_ok_and(money::is_whole_past_i64);
        let message =
            if integer_kind && (huge_whole || value.is_integer() && value.as_i64().is_none()) {
                // An integer JSON carries but no amount or count can be.
                if kind.is_amount() {
                    money::out_of_range_message(value.json_text(), money::MAX_CENTS)
                } else {
                    format!(
                        "is {}, beyond any integer this field can be; must be {}",
                        value.json_text(),
                        expectation(kind)
                    )
                }
            } else if let (true, Some(number)) = (integer_kind, value.as_i64()) {
                // An integer, out of the kind's range: the number says it all.
                format!("must be {}, not {number}", expectation(kind))
            } else if let (Some(need), Some(text)) = (url_need(kind), value.as_str()) {
                // Why, in the URL's words, which never quote its user name,
                // password, query or fragment: they may hold a secret.
                let why = url::check(text, need).err().unwrap_or(url::Why::NotHttp);
                format!("must be {}: {}", expectation(kind), why.message(text))
            } else if kind.is_amount() && value.shape() == Shape::Float {
                format!(
                    "must be {}, not {}; {}",
                    expectation(kind),
                    describe(value),
                    money::ROUND_TO_CENTS
                )
            } else {
                format!(
                    "must be {}, not {}{}",
                    expectation(kind),
                    describe(value),
                    hint(path, kind, value)
                )
            };
        self.problem(path, message);
    }

    #[inline(never)]
    fn other_value(&mut self, path: &Path<'_>, value: N, kind: &'static Kind) -> Walked {
        use Kind::*;
        let kind = *kind;
        match kind {
            StrOrNull if value.is_null() => self.whole(value, path),
            BoolOrUnknown if value.shape() == Shape::Bool => self.whole(value, path),
            Url | HttpsUrl | Date | DateTime | DateOrDateTime | Period | Currency | Country
            | Email | Ip | OneOf(_) | StrOrNull | BoolOrUnknown => {
                self.text(path, value, kind, |t| passes_text(&kind, t))
            }
            PositiveInt | NonNegativeInt | NegativeAmount | NonNegativeAmount | IntIn(..) => {
                self.integer_in(path, value, kind)
            }
            OrderRef | ItemRef if value.as_i64().is_some() => self.integer_in(path, value, kind),
            OrderRef | ItemRef => self.text(path, value, kind, |t| passes_text(&kind, t)),
            ObjectOrText if as_object(value).is_some() => self.whole(value, path),
            ObjectOrText if value.as_bytes().is_some() => self.text(path, value, kind, |_| true),
            StrMap(echo) => self.str_map(path, value, echo),
            Object(fields) => match as_object(value) {
                Some(members) => self.fields(path, value, members, fields, false),
                None => self.refuse(path, value, kind),
            },
            List(fields) => self.list(path, value, |walker, at, element| {
                match as_object(element) {
                    Some(members) => walker.fields(at, element, members, fields, false),
                    None => walker.refuse(at, element, Object(fields)),
                }
            }),
            Tagged {
                variants,
                default_first,
            } => self.list(path, value, |walker, at, element| {
                walker.tagged(at, element, variants, default_first)
            }),
            // (The first four are checked by `value`.)
            Str | StrOrInt | Amount | Bool | ObjectOrText => self.refuse(path, value, kind),
        }
    }

    /// A string that passes `check`, else a problem.
    #[inline(always)]
    fn text(
        &mut self,
        path: &Path<'_>,
        value: N,
        kind: Kind,
        check: impl Fn(&[u8]) -> bool,
    ) -> Walked {
        match value.as_bytes().filter(|text| check(text)) {
            Some(text) => self.string(path, value, text),
            None => self.refuse(path, value, kind),
        }
    }

    /// An integer of an integer `kind`, else a problem.
    #[inline(always)]
    fn integer_in(&mut self, path: &Path<'_>, value: N, kind: Kind) -> Walked {
        match value.as_i64().filter(|n| passes_integer(&kind, *n)) {
            Some(number) => {
                self.visit.integer(value, number, path);
                Ok(())
            }
            None => self.refuse(path, value, kind),
        }
    }

    /// A value that is not of its field's kind: a problem, and the value
    /// told whole.
    fn refuse(&mut self, path: &Path<'_>, value: N, kind: Kind) -> Walked {
        self.wrong(path, value, kind);
        self.whole(value, path)
    }

    /// Notes a member of a cart item that is not a field of its type, as
    /// the rules read it all the same.
    fn note_item_member(&mut self, key: Key<'a>, value: N) {
        if let Some(slot) = match key {
            Key::Name(name) => Slot::of_item_member(name),
            Key::Index(_) => None,
        } {
            self.noted[slot as usize] = Some(value);
        }
    }

    /// An object of strings, told whole (measured before it is read).
    fn str_map(&mut self, path: &Path<'_>, value: N, echo: Echo) -> Walked {
        self.budget.within(value, self.depth)?;
        match as_object(value) {
            None => self.problem(
                path,
                format!("must be an object of strings, not {}", describe(value)),
            ),
            Some(members) => {
                for (key, v) in members {
                    if let Some(message) = parameter_problem(key, v, echo) {
                        self.problem(&Path::Key(path, key), message);
                    }
                }
            }
        }
        self.visit.value(value, path);
        Ok(())
    }

    /// Checks each element of the list `value` with `check` (see [`elements`]).
    fn list(
        &mut self,
        path: &Path<'_>,
        value: N,
        mut check: impl FnMut(&mut Self, &Path<'_>, N) -> Walked,
    ) -> Walked {
        // Measured before its keys are read (see `elements`).
        self.budget.container(value.len())?;
        let elements = elements(value, path, &mut self.problems);
        if let Elements::None = elements {
            if self.cart_items {
                self.items.not_read();
            }
            return self.whole(value, path);
        }
        let cart_items = std::mem::take(&mut self.cart_items);
        self.visit.open(value, path);
        self.depth += 1;
        let mut first = true;
        for (label, element) in elements {
            self.budget.value();
            match label {
                Label::Index(_) => self.visit.element(first),
                Label::Key(key) => {
                    if let Key::Name(name) = key {
                        self.budget.text(name.len())?;
                    }
                    self.visit.key(key, first, path, false)
                }
            }
            first = false;
            if !cart_items {
                check(self, &Path::Item(path, label), element)?;
                continue;
            }
            // A cart item: what the rules read of it is noted as it is
            // walked, or read apart when it is not walked field by field.
            self.noted[ITEM_SLOTS].fill(None);
            let objects = self.objects;
            self.in_item = true;
            check(self, &Path::Item(path, label), element)?;
            self.in_item = false;
            let item = if self.objects > objects {
                Item::noted(&self.noted)
            } else {
                Item::of(element)
            };
            self.items.check(label, &item, &self.contract);
        }
        self.depth -= 1;
        self.visit.close(value);
        Ok(())
    }

    /// Checks an element of a list whose elements' fields depend on their
    /// `type`.
    fn tagged(
        &mut self,
        at: &Path<'_>,
        element: N,
        variants: &[(&str, &'static Fields)],
        default_first: bool,
    ) -> Walked {
        let names = || {
            let quoted: Vec<String> = variants.iter().map(|(n, _)| format!("\"{n}\"")).collect();
            quoted.join(", ")
        };
        let Some(members) = as_object(element) else {
            self.problem(at, format!("must be an object, not {}", describe(element)));
            return self.whole(element, at);
        };
        let fields = match type_of(element) {
            None if default_first => variants[0].1,
            None => {
                self.problem(
                    &Path::Field(at, "type"),
                    format!("is required: one of {}", names()),
                );
                return self.whole(element, at);
            }
            Some(tag) => match tag
                .as_bytes()
                .and_then(|tag| variants.iter().find(|(n, _)| n.as_bytes() == tag))
            {
                Some((_, fields)) => fields,
                None => {
                    self.problem(
                        &Path::Field(at, "type"),
                        format!("must be one of {}, not {}", names(), describe(tag)),
                    );
                    return self.whole(element, at);
                }
            },
        };
        self.fields(at, element, members, fields, true)
    }
}

/// What is wrong with a member of an object of parameters, which seQura
/// posts back to the shop as `echo` says: the notification readers
/// (`orders::notifications`) refuse a name or value the shop's log should
/// not hold (`strict`), a name that an IPN's own field takes (it would
/// come twice) and a name too long once prefixed; and PHP's `$_POST`,
/// which the PHP readers take, renames a name with a space, `.` or `[`.
fn parameter_problem<'a, N: Node<'a>>(key: Key<'a>, value: N, echo: Echo) -> Option<String> {
    const BACK: &str = "seQura sends it back in its notifications, which this library's notification reader refuses";
    const MAX: usize = crate::strict::MAX_FIELD;
    let prefix = match echo {
        Echo::Ipn => "",
        Echo::Event => "m_",
    };
    // The usual parameter: a short name and value of printable ASCII.
    let plain = |text: &[u8], room: usize| {
        text.len() <= room && text.iter().all(|b| (0x20..0x7f).contains(b))
    };
    let name = match key {
        Key::Name(name) => Some(name),
        Key::Index(_) => None,
    };
    if let Some(name) = name {
        if echo == Echo::Ipn && IPN_FIELDS.iter().any(|field| field.as_bytes() == name) {
            return Some(format!(
                "is the name of a field seQura sets in every IPN ({}): the IPN would carry it twice, which this library's notification reader refuses; give the parameter another name",
                IPN_FIELDS.join(", ")
            ));
        }
        if crate::strict::php_renames(name) {
            return Some(format!(
                "its name {} has a space, '.' or '[': seQura posts it back in a form, and PHP's $_POST turns a space or '.' into '_' and a '[' into an array, so a shop reading it there would not find it; use letters, digits, '-' and '_'",
                crate::redact::quote_bytes(name)
            ));
        }
        if let (true, Some(text)) = (plain(name, MAX - prefix.len()), value.as_bytes()) {
            if plain(text, MAX) {
                return None;
            }
        }
    }
    let name = name.and_then(|name| std::str::from_utf8(name).ok());
    if let Some(why) = name.and_then(crate::strict::text_problem) {
        return Some(format!("its name {why}; {BACK}"));
    }
    if let Some(name) = name.filter(|name| name.len() + prefix.len() > MAX) {
        return Some(format!(
            "its name is {} bytes, and seQura sends it back prefixed {prefix:?}: at most {} bytes, as this library's notification reader takes {MAX}",
            name.len(),
            MAX - prefix.len()
        ));
    }
    match value.as_str() {
        Some(text) => crate::strict::text_problem(text).map(|why| format!("{why}; {BACK}")),
        None => Some(format!("must be a string, not {}", describe(value))),
    }
}

/// Whether `text` is a value of `kind`: what [`Walker::other_value`] and
/// [`Walker::value`] accept of a string, without a problem. The kinds
/// read as text but `Str`'s are ASCII, so their bytes are checked without
/// a UTF-8 check (text that is not ASCII fails them all).
#[inline(always)]
fn passes_text(kind: &Kind, text: &[u8]) -> bool {
    use Kind::*;
    match *kind {
        Str | StrOrInt | StrOrNull => true,
        Url | HttpsUrl => url_need(*kind).is_some_and(|need| url::is_shop_url(text, need)),
        Date => date::is_date(text),
        DateTime => date::is_date_time(text),
        DateOrDateTime => date::is_date(text) || date::is_date_time(text),
        Period => date::is_period(text),
        Currency => codes::is_currency(text),
        Country => codes::is_country(text),
        Email => std::str::from_utf8(text).is_ok_and(is_email),
        Ip => is_ip(text),
        OneOf(allowed) => allowed.iter().any(|a| a.as_bytes() == text),
        BoolOrUnknown => text == b"unknown",
        OrderRef => id::is_path_segment(text),
        ItemRef => !is_blank_bytes(text),
        Bool
        | Amount
        | PositiveInt
        | NonNegativeInt
        | NegativeAmount
        | NonNegativeAmount
        | IntIn(..)
        | StrMap(_)
        | ObjectOrText
        | Object(_)
        | List(_)
        | Tagged { .. } => false,
    }
}

/// What a URL of `kind` must be, if `kind` is a URL's.
#[inline(always)]
fn url_need(kind: Kind) -> Option<url::Need> {
    match kind {
        Kind::Url => Some(url::Need::AnyHttp),
        Kind::HttpsUrl => Some(url::Need::Https),
        _ => None,
    }
}

/// Whether `number` is a value of `kind`, as [`passes_text`] for a string.
#[inline(always)]
fn passes_integer(kind: &Kind, number: i64) -> bool {
    kind.integers()
        .is_some_and(|range| range.low <= number && number <= range.high)
}

/// The `type` of an element: its first member, usually, else looked up.
#[inline]
fn type_of<'a, N: Node<'a>>(element: N) -> Option<N> {
    match element.members()?.next() {
        Some((Key::Name(key), value)) if Name::of(key) == Some(TYPE) => Some(value),
        _ => element.get("type"),
    }
}

/// Whether `value`, for a date `kind`, is how a shop's data says "no
/// date": null, "", or MySQL's zero date (`0000-00-00`, with a time or not).
fn is_no_date<'a, N: Node<'a>>(kind: Kind, value: N) -> bool {
    matches!(kind, Kind::Date | Kind::DateTime | Kind::DateOrDateTime)
        && (value.is_null()
            || value
                .as_str()
                .is_some_and(|text| text.trim().is_empty() || text.starts_with("0000-00-00")))
}

/// What to send instead of `value` at `path`, where the usual slip of a
/// shop's code is plain: a number sent as text (`"30.30"`, `"2"`), a code
/// in lower case (`"es"`), null for text the shop has none of, "no date"
/// (PrestaShop's birthday is MySQL's zero date) for an optional date.
fn hint<'a, N: Node<'a>>(path: &Path<'_>, kind: Kind, value: N) -> String {
    if path.is_optional_field() && is_no_date(kind, value) {
        return "; leave the field out when there is none".into();
    }
    let text = value.as_str().map(str::trim);
    if let (true, Some(text)) = (kind.is_integer(), text) {
        if text.parse::<f64>().is_ok_and(f64::is_finite) {
            return if kind.is_amount() {
                format!("; send a number, not text: {}", money::ROUND_TO_CENTS)
            } else {
                "; send a number, not text: (int) $value in PHP".into()
            };
        }
    }
    let code = |is_code: fn(&str) -> bool| {
        let upper = text?.to_ascii_uppercase();
        is_code(&upper).then(|| format!(" (did you mean \"{upper}\"?)"))
    };
    let suggested = match kind {
        Kind::Country => code(codes::is_country),
        Kind::Currency => code(codes::is_currency),
        Kind::Str if value.is_null() => Some("; send \"\" when there is none".into()),
        // Only the spaces around it are wrong (`text` is trimmed).
        Kind::Email | Kind::Ip if text.is_some_and(|t| passes_text(&kind, t.as_bytes())) => {
            Some("; remove the spaces around it".into())
        }
        Kind::Ip if text.is_some_and(|t| t.split(',').all(|ip| is_ip(ip.trim().as_bytes()))) => {
            Some(
                "; send the shopper's own address, the first of a list such as X-Forwarded-For's"
                    .into(),
            )
        }
        _ => None,
    };
    suggested.unwrap_or_default()
}

fn expectation(kind: Kind) -> String {
    use Kind::*;
    match kind {
        Str => "a string".into(),
        StrOrInt => "a string or an integer".into(),
        OrderRef => "an order reference: an integer, or a string of at most 255 bytes \
                     without a control character, other than \".\" and \"..\" (the calls \
                     that put it in a URL take no other)"
            .into(),
        ItemRef => "the item's reference, an integer or a string that is not blank: \
                    post-sale updates find the item by it (use the product's id when it \
                    has no SKU)"
            .into(),
        StrOrNull => "a string or null".into(),
        Bool => "true or false".into(),
        BoolOrUnknown => "true, false or \"unknown\"".into(),
        Amount => "an integer amount in cents".into(),
        PositiveInt => "an integer greater than 0".into(),
        NonNegativeInt => "an integer of 0 or more".into(),
        NonNegativeAmount => "an integer amount in cents of 0 or more".into(),
        NegativeAmount => "a negative integer amount in cents".into(),
        IntIn(low, high) => format!("an integer from {low} to {high}"),
        OneOf(allowed) => {
            let quoted: Vec<String> = allowed.iter().map(|a| format!("\"{a}\"")).collect();
            format!("one of {}", quoted.join(", "))
        }
        Url => "an absolute http(s) URL without a user name or password".into(),
        HttpsUrl => {
            "an https URL (plain http only to a loopback host) without a user name or password"
                .into()
        }
        Date => "an ISO 8601 date such as \"2017-06-30\"".into(),
        DateTime => {
            "an ISO 8601 timestamp with its offset (Z, +02:00, +0200 or +02), such as \"2017-06-30T13:50:00+02:00\" (PHP's DATE_ATOM)".into()
        }
        DateOrDateTime => {
            "an ISO 8601 date or timestamp, such as \"2017-06-30\" or \"2017-06-30T13:50:00+02:00\" (PHP's DATE_ATOM)".into()
        }
        Period => "an ISO 8601 duration such as \"P3M15D\"".into(),
        Currency => "an ISO 4217 currency code such as \"EUR\"".into(),
        Country => "an ISO 3166 country code such as \"ES\" or \"ESP\"".into(),
        Email => "an e-mail address such as name@example.com (seQura identifies the shopper by it)"
            .into(),
        Ip => "the shopper's IP address, such as \"12.23.34.45\" or \"2001:db8::1\"".into(),
        StrMap(_) => "an object of strings".into(),
        ObjectOrText => "an object or a string".into(),
        Object(_) => "an object".into(),
        List(_) | Tagged { .. } => "a list".into(),
    }
}
