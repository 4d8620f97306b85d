//! Walks an order against the field tables of `schema.rs`, collecting a
//! problem for every missing field, wrong type, bad value and unknown key.

use super::node::{same, Key, Node, Shape, Visit};
use super::rules::{Item, ItemRules};
use super::schema::{Field, Kind, Need, Slot, ITEM_SLOTS, SLOTS};
use super::{Contract, ValidateOptions};
use crate::validate::text::{describe, PathKey};
use crate::validate::{codes, date, money, url, Problems};

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
}

/// Where a value sits in the order, built on the stack as the walker
/// descends and written out only when there is a problem to report.
#[derive(Clone, Copy)]
pub(crate) enum Path<'a> {
    Root,
    Field(&'a Path<'a>, &'a str),
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
            Path::Key(Path::Root, key) => write!(f, "{}", KeyText(*key)),
            Path::Key(parent, key) => write!(f, "{parent}.{}", KeyText(*key)),
            Path::Item(parent, label) => write!(f, "{parent}{label}"),
        }
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
            Label::Key(k) => write!(f, "[{}]", KeyText(*k)),
        }
    }
}

/// A key as a path writes it (see [`PathKey`]).
#[derive(Clone, Copy)]
pub(crate) struct KeyText<'a>(pub Key<'a>);

impl std::fmt::Display for KeyText<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Key::Name(name) => write!(f, "{}", PathKey(name)),
            Key::Index(i) => write!(f, "{i}"),
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
    if let Some(members) = value.members() {
        if value
            .members()
            .into_iter()
            .flatten()
            .all(|(k, _)| k.is_index())
        {
            // The first few keys say enough.
            const SHOWN: usize = 20;
            let mut keys: Vec<String> = value
                .members()
                .into_iter()
                .flatten()
                .take(SHOWN)
                .map(|(k, _)| KeyText(k).to_string())
                .collect();
            if value.len() > SHOWN {
                keys.push(format!("... ({} keys)", value.len()));
            }
            problems.push(
                path,
                format!(
                    "must be a list with keys 0, 1, 2, ... in order, but has keys {}; in PHP, pass it through array_values()",
                    keys.join(", ")
                ),
            );
            return Elements::Gaps(members);
        }
    }
    problems.push(path, format!("must be a list, not {}", describe(value)));
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

    #[inline]
    fn next(&mut self) -> Option<I::Item> {
        self.0.as_mut()?.next()
    }
}

impl<'a, 'v, N: Copy, V> Walker<'a, 'v, N, V> {
    pub fn new(options: &ValidateOptions, visit: &'v mut V) -> Self {
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
        }
    }
}

impl<'a, N: Node<'a>, V: Visit<'a, N>> Walker<'a, '_, N, V> {
    fn problem(&mut self, path: &Path<'_>, message: impl Into<String>) {
        self.problems.push(path, message);
    }

    /// Checks `object` (the members of an object) against `fields`. `tag`
    /// is a key the caller already checked (an item's `type`).
    pub fn fields(
        &mut self,
        path: &Path<'_>,
        object: N,
        members: impl Iterator<Item = (Key<'a>, N)>,
        fields: &[Field],
        tag: bool,
    ) {
        self.visit.open(object, path);
        self.objects += 1;
        // Only the members of the item itself are the item's.
        let in_item = std::mem::take(&mut self.in_item);
        // One pass over the object's keys; a missing required field shows
        // as a count short of the table's, and only then is it looked for.
        let mut required_seen = 0;
        // Keys mostly come in the order of the document, which is the
        // order of the table: each search starts after the last field found.
        let mut next = 0;
        let mut first = true;
        for (key, value) in members {
            let field = match key {
                Key::Name(name) => find(fields, name, next).map(|at| {
                    next = at + 1;
                    &fields[at]
                }),
                Key::Index(_) => None,
            };
            let known = field.is_some() || (tag && key.is("type"));
            self.visit.key(key, first, path, known);
            first = false;
            match field {
                Some(field) => {
                    required_seen += usize::from(field.need == Need::Required);
                    if let Some(slot) = field.slot {
                        self.noted[slot as usize] = Some(value);
                    }
                    let cart_items = matches!(field.slot, Some(Slot::CartItems));
                    self.cart_items = cart_items;
                    self.value(&Path::Field(path, field.name), value, field.kind);
                    self.cart_items = false;
                }
                None if in_item || tag || self.allow_unknown_keys => {
                    if in_item {
                        self.note_item_member(key, value);
                    }
                    if tag && key.is("type") {
                        if in_item {
                            self.noted[Slot::ItemType as usize] = Some(value);
                        }
                    } else if !self.allow_unknown_keys {
                        self.unknown_key(path, key, fields);
                    }
                    self.visit.value(value, &Path::Key(path, key));
                }
                None => {
                    self.unknown_key(path, key, fields);
                    self.visit.value(value, &Path::Key(path, key));
                }
            }
        }
        self.visit.close(object);
        let required = fields.iter().filter(|f| f.need == Need::Required);
        if required_seen < required.clone().count() {
            for field in required.filter(|f| object.get(f.name).is_none()) {
                self.problem(&Path::Field(path, field.name), "is required");
            }
        }
    }

    /// Reports `key`, which is not a field of this object.
    fn unknown_key(&mut self, path: &Path<'_>, key: Key<'a>, fields: &[Field]) {
        if self.problems.is_full() {
            // Only counted: no message, no search.
            return self.problems.push(path, "");
        }
        let hint = match key {
            Key::Name(name) => suggestion(name, fields),
            Key::Index(_) => None,
        }
        .map(|s| format!(" (did you mean {s}?)"))
        .unwrap_or_default();
        self.problem(
            &Path::Key(path, key),
            format!("is not a field of this object{hint}; remove it, or allow unknown keys"),
        );
    }

    /// Checks a field's value. The kinds most fields have are checked here,
    /// inline, the others in [`Walker::other_value`].
    #[inline(always)]
    fn value(&mut self, path: &Path<'_>, value: N, kind: Kind) {
        let ok = match kind {
            Kind::Str => value.is_string(),
            Kind::StrOrInt => value.is_string() || value.is_integer(),
            Kind::Int => value.as_i64().is_some(),
            Kind::Bool => value.shape() == Shape::Bool,
            _ => return self.other_value(path, value, kind),
        };
        if !ok {
            self.wrong(path, value, kind);
        }
        self.visit.value(value, path);
    }

    #[cold]
    fn wrong(&mut self, path: &Path<'_>, value: N, kind: Kind) {
        let integer_kind = matches!(
            kind,
            Kind::Int | Kind::PositiveInt | Kind::NegativeInt | Kind::IntIn(..)
        );
        let message = if integer_kind && value.is_integer() && value.as_i64().is_none() {
            // An integer JSON carries but no amount or count can be.
            money::out_of_range_message(value.json_text(), money::MAX_CENTS)
        } else {
            format!("must be {}, not {}", expectation(kind), describe(value))
        };
        self.problem(path, message);
    }

    #[inline(never)]
    fn other_value(&mut self, path: &Path<'_>, value: N, kind: Kind) {
        use Kind::*;
        let ok = match kind {
            Str => value.is_string(),
            StrOrInt => value.is_string() || value.is_integer(),
            StrOrNull => value.is_string() || value.is_null(),
            Bool => value.shape() == Shape::Bool,
            BoolOrUnknown => value.shape() == Shape::Bool || value.as_str() == Some("unknown"),
            Int => value.as_i64().is_some(),
            PositiveInt => value.as_i64().is_some_and(|n| n > 0),
            NegativeInt => value.as_i64().is_some_and(|n| n < 0),
            IntIn(low, high) => value.as_i64().is_some_and(|n| (low..=high).contains(&n)),
            OneOf(allowed) => value.as_str().is_some_and(|s| allowed.contains(&s)),
            Url => value
                .as_str()
                .is_some_and(|s| url::check(s, url::Need::AnyHttp).is_ok()),
            HttpsUrl => value
                .as_str()
                .is_some_and(|s| url::check(s, url::Need::Https).is_ok()),
            Date => value.as_str().is_some_and(date::is_date),
            DateTime => value.as_str().is_some_and(date::is_date_time),
            DateOrDateTime => value
                .as_str()
                .is_some_and(|s| date::is_date(s) || date::is_date_time(s)),
            Period => value.as_str().is_some_and(date::is_period),
            Currency => value.as_str().is_some_and(codes::is_currency),
            Country => value.as_str().is_some_and(codes::is_country),
            StrMap => {
                self.str_map(path, value);
                true
            }
            AnyObject => as_object(value).is_some(),
            Object(fields) => match as_object(value) {
                Some(members) => return self.fields(path, value, members, fields, false),
                None => false,
            },
            List(fields) => {
                return self.list(path, value, |walker, at, element| {
                    walker.value(at, element, Object(fields))
                })
            }
            Tagged {
                variants,
                default_first,
            } => {
                return self.list(path, value, |walker, at, element| {
                    walker.tagged(at, element, variants, default_first)
                })
            }
        };
        if !ok {
            self.wrong(path, value, kind);
        }
        self.visit.value(value, path);
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

    fn str_map(&mut self, path: &Path<'_>, value: N) {
        let Some(members) = as_object(value) else {
            self.problem(
                path,
                format!("must be an object of strings, not {}", describe(value)),
            );
            return;
        };
        for (key, v) in members {
            if !v.is_string() {
                self.problem(
                    &Path::Key(path, key),
                    format!("must be a string, not {}", describe(v)),
                );
            }
        }
    }

    /// Checks each element of the list `value` with `check` (see [`elements`]).
    fn list(&mut self, path: &Path<'_>, value: N, mut check: impl FnMut(&mut Self, &Path<'_>, N)) {
        let elements = elements(value, path, &mut self.problems);
        if let Elements::None = elements {
            self.visit.value(value, path);
            return;
        }
        let cart_items = std::mem::take(&mut self.cart_items);
        self.visit.open(value, path);
        let mut first = true;
        for (label, element) in elements {
            match label {
                Label::Index(_) => self.visit.element(first),
                Label::Key(key) => self.visit.key(key, first, path, false),
            }
            first = false;
            if !cart_items {
                check(self, &Path::Item(path, label), element);
                continue;
            }
            // A cart item: what the rules read of it is noted as it is
            // walked, or read apart when it is not walked field by field.
            self.noted[ITEM_SLOTS].fill(None);
            let objects = self.objects;
            self.in_item = true;
            check(self, &Path::Item(path, label), element);
            self.in_item = false;
            let item = if self.objects > objects {
                Item::noted(&self.noted)
            } else {
                Item::of(element)
            };
            self.items.check(label, &item, &self.contract);
        }
        self.visit.close(value);
    }

    /// Checks an element of a list whose elements' fields depend on their
    /// `type`.
    fn tagged(
        &mut self,
        at: &Path<'_>,
        element: N,
        variants: &[(&str, &[Field])],
        default_first: bool,
    ) {
        let names = || {
            let quoted: Vec<String> = variants.iter().map(|(n, _)| format!("\"{n}\"")).collect();
            quoted.join(", ")
        };
        let Some(members) = as_object(element) else {
            self.problem(at, format!("must be an object, not {}", describe(element)));
            self.visit.value(element, at);
            return;
        };
        let fields = match element.get("type") {
            None if default_first => variants[0].1,
            None => {
                self.problem(
                    &Path::Field(at, "type"),
                    format!("is required: one of {}", names()),
                );
                self.visit.value(element, at);
                return;
            }
            Some(tag) => match variants.iter().find(|(n, _)| tag.as_str() == Some(n)) {
                Some((_, fields)) => fields,
                None => {
                    self.problem(
                        &Path::Field(at, "type"),
                        format!("must be one of {}, not {}", names(), describe(tag)),
                    );
                    self.visit.value(element, at);
                    return;
                }
            },
        };
        self.fields(at, element, members, fields, true);
    }
}

fn expectation(kind: Kind) -> String {
    use Kind::*;
    match kind {
        Str => "a string".into(),
        StrOrInt => "a string or an integer".into(),
        StrOrNull => "a string or null".into(),
        Bool => "true or false".into(),
        BoolOrUnknown => "true, false or \"unknown\"".into(),
        Int => "an integer amount in cents".into(),
        PositiveInt => "an integer greater than 0".into(),
        NegativeInt => "a negative integer amount in cents".into(),
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
            "an ISO 8601 timestamp with its offset, such as \"2017-06-30T13:50:00+02:00\"".into()
        }
        DateOrDateTime => "an ISO 8601 date or timestamp".into(),
        Period => "an ISO 8601 duration such as \"P3M15D\"".into(),
        Currency => "an ISO 4217 currency code such as \"EUR\"".into(),
        Country => "an ISO 3166 country code such as \"ES\" or \"ESP\"".into(),
        StrMap => "an object of strings".into(),
        AnyObject | Object(_) => "an object".into(),
        List(_) | Tagged { .. } => "a list".into(),
    }
}

/// Where `name` is in `fields`, looking from `start` on and then from the top.
#[inline]
fn find(fields: &[Field], name: &[u8], start: usize) -> Option<usize> {
    let start = start.min(fields.len());
    let is = |at: &usize| same(fields[*at].name.as_bytes(), name);
    (start..fields.len()).chain(0..start).find(is)
}

/// A known field close to an unknown `key`: a typo is the usual cause.
/// Bounded: only names within two bytes of the key's length are compared
/// (two edits change the length by two at most), each in a fixed row.
fn suggestion(key: &[u8], fields: &[Field]) -> Option<&'static str> {
    fields
        .iter()
        .filter(|f| f.name.len().abs_diff(key.len()) <= 2)
        .filter_map(|f| edit_distance(key, f.name.as_bytes()).map(|d| (f.name, d)))
        .filter(|(_, d)| *d <= 2)
        .min_by_key(|(_, d)| *d)
        .map(|(name, _)| name)
}

/// The edit distance of two field-sized names (byte by byte: the field
/// names are ASCII); `None` for a name longer than any field's.
fn edit_distance(a: &[u8], b: &[u8]) -> Option<usize> {
    const MAX: usize = 64;
    if a.len() > MAX || b.len() > MAX {
        return None;
    }
    let mut row = [0usize; MAX + 1];
    for (j, cell) in row.iter_mut().enumerate().take(b.len() + 1) {
        *cell = j;
    }
    for (i, ca) in a.iter().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = (previous + usize::from(ca != cb))
                .min(row[j] + 1)
                .min(current + 1);
            previous = current;
        }
    }
    Some(row[b.len()])
}
