//! The seQura order payload as data: every field the order document
//! (seQura's Orders API, docs/apis.md) names, with its type and whether it is required.
//!
//! The validator walks an order against these tables; rules that involve
//! more than one field (totals, contract options, ...) live in `rules.rs`.

use super::json_text::FieldKey;
use super::node::Name;

/// What a field holds.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Kind {
    Str,
    /// A string or an integer (references, ids).
    StrOrInt,
    /// A string or null.
    StrOrNull,
    Bool,
    /// `true`, `false` or `"unknown"` (`customer.logged_in`).
    BoolOrUnknown,
    /// An integer amount in cents, any sign.
    Amount,
    /// An integer greater than zero: a count (a quantity), not an amount.
    PositiveInt,
    /// An integer of zero or more: a count or a period the document types
    /// only `(int)` (a subscription's months and discounts).
    NonNegativeInt,
    /// An amount in cents below zero (discounts and other payments).
    NegativeAmount,
    /// An amount in cents of zero or more (the order's total).
    NonNegativeAmount,
    /// An integer in an inclusive range (a count or a code, not an amount).
    IntIn(i64, i64),
    /// One of these strings.
    OneOf(&'static [&'static str]),
    /// An absolute http(s) URL.
    Url,
    /// An https URL, where the document says so (http only to loopback, for tests).
    HttpsUrl,
    /// `YYYY-MM-DD`.
    Date,
    /// `YYYY-MM-DDThh:mm[:ss[.frac]]` and its offset, `Z`, `±hh:mm`, `±hhmm`
    /// or `±hh` (`validate::date`).
    DateTime,
    /// A date or a date-time (previous orders may have either).
    DateOrDateTime,
    /// An ISO 8601 duration such as `P3M15D`.
    Period,
    /// An active ISO 4217 code.
    Currency,
    /// An assigned ISO 3166 alpha-2 or alpha-3 code.
    Country,
    /// A plausible e-mail address (`validate::text::is_email`): seQura
    /// identifies the shopper by it and writes to it.
    Email,
    /// An IPv4 or IPv6 address (`customer.ip_number`).
    Ip,
    /// A merchant's order reference: an integer, or a string the calls
    /// that put it in a URL's path take (`validate::id::path_segment`), so
    /// that an order confirmed with it can be updated with it.
    OrderRef,
    /// A cart item's reference: an integer or a string that is not blank,
    /// as post-sale updates know the item by it (`post_sale.rs`).
    ItemRef,
    /// An object of string values that seQura posts back to the shop
    /// (notification parameters), as `Echo` says.
    StrMap(Echo),
    /// Free details: any JSON object, or text (a subscription item's
    /// `extra`, untyped, whose example is the text `"{}"`).
    ObjectOrText,
    /// An object with these fields.
    Object(&'static Fields),
    /// A list of objects with these fields.
    List(&'static Fields),
    /// A list of objects whose fields depend on their `type`; the first
    /// variant applies when `type` is missing, if `default_first`.
    Tagged {
        variants: &'static [(&'static str, &'static Fields)],
        default_first: bool,
    },
}

/// How seQura posts an object of parameters back to the shop, which the
/// notification readers (`orders::notifications`) read again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Echo {
    /// Each parameter as it is, beside the IPN's own fields.
    Ipn,
    /// Each parameter's name prefixed `m_`, in an event.
    Event,
}

impl Kind {
    /// The integers it takes, if it takes any, whether they are an amount
    /// in cents (whose problems say how to send one) and whether it takes
    /// text too (a reference): every check of an integer reads it here
    /// (`walk::passes_integer`, `Walker::wrong`).
    #[inline(always)]
    pub(crate) fn integers(self) -> Option<Integers> {
        use Kind::*;
        let (low, high, amount, or_text) = match self {
            Amount => (i64::MIN, i64::MAX, true, false),
            StrOrInt | OrderRef | ItemRef => (i64::MIN, i64::MAX, false, true),
            PositiveInt => (1, i64::MAX, false, false),
            NonNegativeInt => (0, i64::MAX, false, false),
            NonNegativeAmount => (0, i64::MAX, true, false),
            NegativeAmount => (i64::MIN, -1, true, false),
            IntIn(low, high) => (low, high, false, false),
            Str
            | StrOrNull
            | Bool
            | BoolOrUnknown
            | OneOf(_)
            | Url
            | HttpsUrl
            | Date
            | DateTime
            | DateOrDateTime
            | Period
            | Currency
            | Country
            | Email
            | Ip
            | StrMap(_)
            | ObjectOrText
            | Object(_)
            | List(_)
            | Tagged { .. } => return None,
        };
        Some(Integers {
            low,
            high,
            amount,
            or_text,
        })
    }

    /// Whether only an integer is one of it (its range aside): not a
    /// string either.
    pub(crate) fn is_integer(self) -> bool {
        self.integers().is_some_and(|integers| !integers.or_text)
    }

    /// Whether it is an amount in cents.
    pub(crate) fn is_amount(self) -> bool {
        self.integers().is_some_and(|integers| integers.amount)
    }
}

/// The integers a [`Kind`] takes: `low` to `high`, both taken; `amount`
/// when they are cents, `or_text` when the kind takes a string too.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Integers {
    pub low: i64,
    pub high: i64,
    pub amount: bool,
    pub or_text: bool,
}

/// Whether a field must be there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Need {
    Required,
    Optional,
    /// Required or allowed depending on the contract; checked in `rules.rs`.
    Contract,
}

/// A field of the document. What the walker reads of every member sits in
/// the field's first cache line (`repr(C, align(64))`): its words, slot,
/// need and kind (the kind's tag and the first word of what it holds);
/// the key it writes in the second. (A field of the order is read once a
/// call, from wherever the processor's caches left it: on seQura's example
/// order, encode took 2.7% less time than with a field over three lines.)
#[derive(Debug)]
#[repr(C, align(64))]
pub(crate) struct Field {
    /// The name as words, to compare keys with.
    pub words: Name,
    /// Where the walker notes the value for the rules across fields.
    pub slot: Option<Slot>,
    pub need: Need,
    pub kind: Kind,
    /// The name as a key of JSON, to write.
    pub key: FieldKey,
}

// The walker's part of a field, within its first line of 64 bytes.
const _: () = assert!(std::mem::offset_of!(Field, kind) + 16 <= 64);

impl Field {
    pub fn name(&self) -> &'static str {
        self.key.name()
    }
}

/// The fields of an object, and where each name is: a perfect hash of a
/// key's words (see [`Name`]), built when the crate is compiled, finds a
/// key's field with one comparison, whatever the order of the keys.
pub(crate) struct Fields {
    pub list: &'static [Field],
    /// How many of them are required.
    pub required: usize,
    /// `index[hash(name)]` is the place of `name` in `list` ([`NOWHERE`]
    /// for no field).
    index: [u8; INDEX_SIZE],
    /// The multiplier that makes the hash perfect for these names.
    seed: u64,
}

impl std::fmt::Debug for Fields {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.list.iter().map(Field::name))
            .finish()
    }
}

const INDEX_BITS: u32 = 6;
const INDEX_SIZE: usize = 1 << INDEX_BITS;
const NOWHERE: u8 = u8::MAX;

impl Fields {
    /// The table of `list`, with a seed that gives each name a place of its
    /// own (a build error if none does in a few thousand tries).
    pub const fn new(list: &'static [Field]) -> Fields {
        assert!(list.len() < NOWHERE as usize, "too many fields");
        let mut required = 0;
        let mut at = 0;
        while at < list.len() {
            if matches!(list[at].need, Need::Required) {
                required += 1;
            }
            at += 1;
        }
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut tries = 0;
        while tries < 4096 {
            if let Some(index) = Fields::index(list, seed) {
                return Fields {
                    list,
                    required,
                    index,
                    seed,
                };
            }
            seed = seed.wrapping_add(0x6a09_e667_f3bc_c908);
            tries += 1;
        }
        panic!("no perfect hash for these field names");
    }

    /// Every name's place under `seed`, if no two share one.
    const fn index(list: &[Field], seed: u64) -> Option<[u8; INDEX_SIZE]> {
        let mut index = [NOWHERE; INDEX_SIZE];
        let mut at = 0;
        while at < list.len() {
            let slot = list[at].words.hash(seed, INDEX_BITS);
            if index[slot] != NOWHERE {
                return None;
            }
            index[slot] = at as u8;
            at += 1;
        }
        Some(index)
    }

    /// The field named `name` (a key's words) and its place, if there is
    /// one. Keys mostly come in the document's order, which is the
    /// table's: the field at `next` is tried first, as it does not wait
    /// for the hash.
    #[inline(always)]
    pub fn find(&self, name: &Name, next: usize) -> Option<(usize, &'static Field)> {
        if let Some(field) = self.list.get(next).filter(|field| field.words == *name) {
            return Some((next, field));
        }
        let at = usize::from(self.index[name.hash(self.seed, INDEX_BITS)]);
        let field = self.list.get(at)?;
        (field.words == *name).then_some((at, field))
    }
}

/// The fields that the rules across fields (`rules.rs`) read, which the
/// walker notes as it meets them: the rules then look nothing up.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Slot {
    State,
    MerchantReference,
    Trackings,
    DeliveryAddress,
    InvoiceAddress,
    Instore,
    Subscription,
    AddressesMayBeMissing,
    StoreRef,
    OperatorRef,
    GarageChain,
    NotifyUrl,
    ReturnUrl,
    ApprovedUrl,
    EditUrl,
    AbortUrl,
    EventsWebhook,
    Timeout,
    SubscriptionRef1,
    OrderTotal,
    CartItems,
    SubscriptionPeriod,
    SubscriptionTotalPrice,
    NinControl,
    Vehicle,
    PreviousOrders,
    SubscriptionCartItems,
    SubscriptionDiscounts,
    MerchantId,
    // Of the cart item being walked (its `type` is noted by the walker).
    ItemType,
    ItemTotal,
    ItemPrice,
    ItemQuantity,
    ItemPricePerItem,
    ItemSubscriptionPrice,
    ItemVatRate,
    ItemSubscriptionPeriod,
    ItemTrackingReference,
    /// A handling item's or a discount's `reference` ("a unique code").
    ItemReference,
    ItemEndsOn,
    ItemEndsIn,
}

/// How many slots there are.
pub(crate) const SLOTS: usize = Slot::ItemEndsIn as usize + 1;

/// The slots of a cart item, from the first on.
pub(crate) const ITEM_SLOTS: std::ops::Range<usize> = Slot::ItemType as usize..SLOTS;

impl Slot {
    /// The slot of a cart item's member that is not a field of its type
    /// (let through, or reported): the rules read it all the same.
    pub(crate) fn of_item_member(name: &[u8]) -> Option<Slot> {
        Some(match name {
            b"total_with_tax" => Slot::ItemTotal,
            b"quantity" => Slot::ItemQuantity,
            b"subscription_price_per_item" => Slot::ItemPricePerItem,
            b"subscription_price" => Slot::ItemSubscriptionPrice,
            b"subscription_vat_rate" => Slot::ItemVatRate,
            b"subscription_period" => Slot::ItemSubscriptionPeriod,
            b"tracking_reference" => Slot::ItemTrackingReference,
            b"ends_on" => Slot::ItemEndsOn,
            b"ends_in" => Slot::ItemEndsIn,
            _ => return None,
        })
    }
}

const fn req(name: &'static str, kind: Kind) -> Field {
    Field {
        words: Name::of_field(name),
        key: FieldKey::new(name),
        need: Need::Required,
        kind,
        slot: None,
    }
}

const fn opt(name: &'static str, kind: Kind) -> Field {
    Field {
        words: Name::of_field(name),
        key: FieldKey::new(name),
        need: Need::Optional,
        kind,
        slot: None,
    }
}

const fn contract(name: &'static str, kind: Kind) -> Field {
    Field {
        words: Name::of_field(name),
        key: FieldKey::new(name),
        need: Need::Contract,
        kind,
        slot: None,
    }
}

impl Field {
    /// This field, noted in `slot` for the rules.
    const fn noted(self, slot: Slot) -> Field {
        Field {
            slot: Some(slot),
            ..self
        }
    }
}

use Kind::*;

pub(crate) const ORDER: &Fields = &Fields::new(&[
    // A string or null; its values depend on the call (start or confirm).
    req("state", StrOrNull).noted(Slot::State),
    req("merchant", Object(MERCHANT)),
    opt("merchant_reference", Object(MERCHANT_REFERENCE)).noted(Slot::MerchantReference),
    req("cart", Object(CART)),
    opt("trackings", TRACKINGS).noted(Slot::Trackings),
    req("delivery_method", Object(DELIVERY_METHOD)),
    contract("delivery_address", Object(ADDRESS)).noted(Slot::DeliveryAddress),
    contract("invoice_address", Object(ADDRESS)).noted(Slot::InvoiceAddress),
    req("customer", Object(CUSTOMER)),
    contract("instore", Object(&Fields::new(&[req("code", Str)]))).noted(Slot::Instore),
    req("gui", GUI),
    req("platform", Object(PLATFORM)),
    opt("first_charge_date", Date),
    opt("subscription", Object(SUBSCRIPTION)).noted(Slot::Subscription),
]);

/// Where in the order a field named `name` is, as paths (`customer`,
/// `cart.items[]`), the order's own fields as `order`: for the message of a
/// key that is not a field of its object but is one of another's. At most
/// `most`, in the document's order.
pub(crate) fn objects_with(name: &str, most: usize) -> Vec<String> {
    fn has(fields: &Fields, name: &str) -> bool {
        fields.list.iter().any(|f| f.name() == name)
    }
    fn note(place: String, found: &mut Vec<String>) {
        if !found.contains(&place) {
            found.push(place);
        }
    }
    fn search(path: &str, fields: &Fields, name: &str, found: &mut Vec<String>) {
        if has(fields, name) {
            note(path.to_string(), found);
        }
        below(path, fields, name, found);
    }
    /// The objects below `fields` (at `path`) that have a field `name`.
    fn below(path: &str, fields: &Fields, name: &str, found: &mut Vec<String>) {
        for field in fields.list {
            let at = |list: &str| match path {
                "order" => format!("{}{list}", field.name()),
                _ => format!("{path}.{}{list}", field.name()),
            };
            match &field.kind {
                Kind::Object(inner) => search(&at(""), inner, name, found),
                Kind::List(inner) => search(&at("[]"), inner, name, found),
                Kind::Tagged { variants, .. } => {
                    let at = at("[]");
                    // Named with the types that have it, unless all do: a
                    // product's field on a handling item is in the list.
                    let types: Vec<&str> = variants
                        .iter()
                        .filter(|(_, inner)| has(inner, name))
                        .map(|(tag, _)| *tag)
                        .collect();
                    match types.split_last() {
                        None => {}
                        Some(_) if types.len() == variants.len() => note(at.clone(), found),
                        Some((last, [])) => note(format!("{at} of type {last}"), found),
                        Some((last, others)) => note(
                            format!("{at} of type {} or {last}", others.join(", ")),
                            found,
                        ),
                    }
                    for (_, inner) in variants.iter() {
                        below(&at, inner, name, found);
                    }
                }
                _ => {}
            }
        }
    }
    let mut found = Vec::new();
    search("order", ORDER, name, &mut found);
    found.truncate(most);
    found
}

pub(crate) const MERCHANT: &Fields = &Fields::new(&[
    req("id", StrOrInt).noted(Slot::MerchantId),
    opt("notify_url", HttpsUrl).noted(Slot::NotifyUrl),
    opt("notification_parameters", StrMap(Echo::Ipn)),
    opt("return_url", Str).noted(Slot::ReturnUrl),
    opt("approved_callback", Str),
    opt("edit_url", Str).noted(Slot::EditUrl),
    opt("abort_url", Str).noted(Slot::AbortUrl),
    opt("rejected_callback", Str),
    opt("partpayment_details_getter", Str),
    opt("approved_url", Str).noted(Slot::ApprovedUrl),
    contract("store_ref", Str).noted(Slot::StoreRef),
    contract("operator_ref", Str).noted(Slot::OperatorRef),
    // The document says nothing of who may send it: anyone may.
    opt("tag_ref", Str),
    contract("garage_chain", Str).noted(Slot::GarageChain),
    opt(
        "options",
        Object(&Fields::new(&[
            opt("has_jquery", Bool),
            opt("uses_shipped_cart", Bool),
            opt("addresses_may_be_missing", Bool).noted(Slot::AddressesMayBeMissing),
            opt("immutable_customer_data", Bool),
        ])),
    ),
    opt(
        "events_webhook",
        Object(&Fields::new(&[
            req("url", HttpsUrl),
            opt("parameters", StrMap(Echo::Event)),
        ])),
    )
    .noted(Slot::EventsWebhook),
    opt(
        "timeout",
        Object(&Fields::new(&[
            req("timeout_at", DateTime),
            req("timeout_url", Url),
        ])),
    )
    .noted(Slot::Timeout),
    contract("verification_id", Str),
]);

pub(crate) const MERCHANT_REFERENCE: &Fields = &Fields::new(&[
    req("order_ref_1", OrderRef),
    opt("order_ref_2", StrOrInt),
    opt("subscription_ref_1", StrOrInt).noted(Slot::SubscriptionRef1),
]);

const CART: &Fields = &Fields::new(&[
    req("currency", Currency),
    req("gift", Bool),
    // What the shopper pays: items may be negative (discounts), their sum
    // may not.
    req("order_total_with_tax", NonNegativeAmount).noted(Slot::OrderTotal),
    opt("cart_ref", StrOrInt),
    opt("subscription_period", PositiveInt).noted(Slot::SubscriptionPeriod),
    opt("subscription_total_price", PositiveInt).noted(Slot::SubscriptionTotalPrice),
    opt("created_at", DateOrDateTime),
    opt("updated_at", DateOrDateTime),
    req(
        "items",
        Tagged {
            variants: &[
                ("product", PRODUCT),
                ("handling", HANDLING),
                ("invoice_fee", INVOICE_FEE),
                ("discount", DISCOUNT),
                ("other_payment", OTHER_PAYMENT),
                ("service", SERVICE),
                ("subscriber_fee", SUBSCRIBER_FEE),
            ],
            default_first: true,
        },
    )
    .noted(Slot::CartItems),
]);

const PRODUCT: &Fields = &Fields::new(&[
    req("reference", ItemRef),
    req("name", Str),
    req("price_with_tax", Amount).noted(Slot::ItemPrice),
    req("quantity", PositiveInt).noted(Slot::ItemQuantity),
    opt("subscription_period", PositiveInt).noted(Slot::ItemSubscriptionPeriod),
    opt("subscription_price_per_item", PositiveInt).noted(Slot::ItemPricePerItem),
    opt("subscription_price", PositiveInt).noted(Slot::ItemSubscriptionPrice),
    opt("subscription_vat_rate", PositiveInt).noted(Slot::ItemVatRate),
    req("total_with_tax", Amount).noted(Slot::ItemTotal),
    req("downloadable", Bool),
    opt("perishable", Bool),
    opt("personalized", Bool),
    opt("restockable", Bool),
    opt("category", Str),
    opt("description", Str),
    opt("manufacturer", Str),
    opt("supplier", Str),
    opt("product_id", StrOrInt),
    opt("url", Str),
    opt("tracking_reference", Str).noted(Slot::ItemTrackingReference),
]);

const HANDLING: &Fields = &Fields::new(&[
    req("reference", ItemRef).noted(Slot::ItemReference),
    req("name", Str),
    req("total_with_tax", Amount).noted(Slot::ItemTotal),
]);

const INVOICE_FEE: &Fields = &Fields::new(&[req("total_with_tax", Amount).noted(Slot::ItemTotal)]);

const DISCOUNT: &Fields = &Fields::new(&[
    req("reference", ItemRef).noted(Slot::ItemReference),
    req("name", Str),
    req("total_with_tax", NegativeAmount).noted(Slot::ItemTotal),
]);

const OTHER_PAYMENT: &Fields = &Fields::new(&[
    req("reference", ItemRef),
    req("name", Str),
    req("total_with_tax", NegativeAmount).noted(Slot::ItemTotal),
]);

/// `ends_on` and `ends_in` are each optional here: exactly one of them is
/// required, which `rules.rs` checks.
const SERVICE: &Fields = &Fields::new(&[
    req("reference", ItemRef),
    req("name", Str),
    opt("ends_on", Date).noted(Slot::ItemEndsOn),
    opt("ends_in", Period).noted(Slot::ItemEndsIn),
    req("price_with_tax", Amount).noted(Slot::ItemPrice),
    req("quantity", PositiveInt).noted(Slot::ItemQuantity),
    req("total_with_tax", Amount).noted(Slot::ItemTotal),
    req("downloadable", Bool),
    opt("supplier", Str),
    opt("rendered", Bool),
]);

const SUBSCRIBER_FEE: &Fields = &Fields::new(&[
    opt("reference", ItemRef),
    req("name", Str),
    opt("price_with_tax", Amount).noted(Slot::ItemPrice),
    opt("quantity", PositiveInt).noted(Slot::ItemQuantity),
    opt("subscription_period", PositiveInt).noted(Slot::ItemSubscriptionPeriod),
    opt("subscription_price_per_item", PositiveInt).noted(Slot::ItemPricePerItem),
    opt("subscription_price", PositiveInt).noted(Slot::ItemSubscriptionPrice),
    opt("subscription_vat_rate", PositiveInt).noted(Slot::ItemVatRate),
    req("total_with_tax", Amount).noted(Slot::ItemTotal),
]);

/// The page seQura's form is shown in.
const GUI: Kind = Object(&Fields::new(&[req(
    "layout",
    OneOf(&["desktop", "smartphone"]),
)]));

/// A post-sale update (`PUT /merchants/{merchant}/orders/{order_ref_1}`):
/// the sections of an order it may carry, checked as an order's (seQura's
/// own integration library sends the stored order's merchant, addresses,
/// customer and platform with the carts). Its
/// carts, `merchant` and `merchant_reference` are checked apart
/// (`post_sale.rs`: a post-sale cart's rules are not an order cart's, and
/// the call fills in the other two); they are named here so that a typo of
/// one is told as one.
pub(crate) const UPDATE: &Fields = &Fields::new(&[
    opt("merchant", ObjectOrText),
    opt("merchant_reference", ObjectOrText),
    opt("shipped_cart", ObjectOrText),
    opt("unshipped_cart", ObjectOrText),
    opt("trackings", TRACKINGS),
    opt("delivery_method", Object(DELIVERY_METHOD)),
    opt("delivery_address", Object(ADDRESS)),
    opt("invoice_address", Object(ADDRESS)),
    opt("customer", Object(CUSTOMER)),
    opt("gui", GUI),
    opt("platform", Object(PLATFORM)),
    // Sent by some integrations; the update sets no state of its own.
    opt("state", StrOrNull),
    opt("cancellation_reason", Str),
]);

/// The fields of a post-sale update's cart: an order cart's, none of them
/// required; its currency, total and items are checked apart
/// (`post_sale.rs`), the others here.
pub(crate) const UPDATE_CART: &Fields = &Fields::new(&[
    opt("currency", ObjectOrText),
    opt("gift", Bool),
    opt("order_total_with_tax", ObjectOrText),
    opt("cart_ref", StrOrInt),
    opt("subscription_period", PositiveInt),
    opt("subscription_total_price", PositiveInt),
    opt("created_at", DateOrDateTime),
    opt("updated_at", DateOrDateTime),
    opt("items", ObjectOrText),
]);

/// The members of an [`UPDATE`] checked apart.
pub(crate) const UPDATE_APART: [&str; 4] = [
    "merchant",
    "merchant_reference",
    "shipped_cart",
    "unshipped_cart",
];

/// The members of an [`UPDATE_CART`] checked apart.
pub(crate) const UPDATE_CART_APART: [&str; 3] = ["currency", "order_total_with_tax", "items"];

/// An order's (or an update's) trackings: each of the kind its `type` says.
const TRACKINGS: Kind = Tagged {
    variants: &[
        ("pickup_store", STORE_TRACKING),
        ("pickup_point", STORE_TRACKING),
        ("postal", POSTAL_TRACKING),
    ],
    default_first: false,
};

const STORE_TRACKING: &Fields = &Fields::new(&[
    req("reference", Str),
    opt("operator_ref", Str),
    opt("store_ref", Str),
    opt("tracking_number", Str),
    opt("available_at", DateTime),
    opt("delivered_at", DateTime),
    opt("address_line_1", Str),
    opt("address_line_2", Str),
    opt("postal_code", Str),
    opt("city", Str),
    opt("state", Str),
    opt("country_code", Country),
]);

const POSTAL_TRACKING: &Fields = &Fields::new(&[
    req("reference", Str),
    req("carrier", Str),
    opt("tracking_number", Str),
    opt("tracking_url", HttpsUrl),
    opt("delivered_at", DateTime),
]);

const DELIVERY_METHOD: &Fields = &Fields::new(&[
    req("name", Str),
    opt("days", Str),
    opt("provider", Str),
    opt("home_delivery", Bool),
]);

const ADDRESS: &Fields = &Fields::new(&[
    req("given_names", Str),
    req("surnames", Str),
    req("company", Str),
    req("address_line_1", Str),
    req("address_line_2", Str),
    req("postal_code", Str),
    req("city", Str),
    req("country_code", Country),
    opt("phone", Str),
    opt("mobile_phone", Str),
    opt("state", Str),
    opt("extra", Str),
    opt("vat_number", Str),
]);

const CUSTOMER: &Fields = &Fields::new(&[
    req("given_names", Str),
    req("surnames", Str),
    opt("title", Str),
    req("email", Email),
    req("logged_in", BoolOrUnknown),
    req("language_code", Str),
    req("ip_number", Ip),
    req("user_agent", StrOrNull),
    opt("ref", StrOrInt),
    opt("date_of_birth", Date),
    opt("nin", Str),
    opt("company", Str),
    opt("vat_number", Str),
    opt("created_at", DateOrDateTime),
    opt("updated_at", DateOrDateTime),
    opt("rating", IntIn(0, 100)),
    contract("nin_control", Str).noted(Slot::NinControl),
    opt("previous_orders", List(PREVIOUS_ORDER)).noted(Slot::PreviousOrders),
    contract("vehicle", Object(VEHICLE)).noted(Slot::Vehicle),
]);

const PREVIOUS_ORDER: &Fields = &Fields::new(&[
    req("created_at", DateOrDateTime),
    req("amount", Amount),
    req("currency", Currency),
    opt("raw_status", Str),
    opt("status", OneOf(&["processing", "shipped", "cancelled"])),
    opt("payment_method_raw", Str),
    // CC, PP, TR, COD, SQ, or "O/" plus a name: checked in rules.rs.
    opt("payment_method", Str),
    opt("postal_code", Str),
    opt("country_code", Country),
]);

const VEHICLE: &Fields = &Fields::new(&[
    req("plaque", Str),
    opt("brand", Str),
    opt("model", Str),
    opt("frame", Str),
    opt("first_registration_date", Date),
]);

const PLATFORM: &Fields = &Fields::new(&[
    req("name", Str),
    req("version", Str),
    opt("plugin_version", Str),
    req("uname", Str),
    req("db_name", Str),
    req("db_version", Str),
    opt("php_version", Str),
]);

const SUBSCRIPTION: &Fields = &Fields::new(&[
    opt(
        "cart",
        Object(&Fields::new(&[
            req("currency", Currency),
            req(
                "items",
                Tagged {
                    variants: &[
                        ("product", SUBSCRIPTION_ITEM),
                        ("subscriber_fee", SUBSCRIPTION_ITEM),
                    ],
                    default_first: false,
                },
            )
            .noted(Slot::SubscriptionCartItems),
        ])),
    ),
    opt(
        "discounts",
        Tagged {
            variants: &[
                ("percent", SUBSCRIPTION_DISCOUNT),
                ("amount", SUBSCRIPTION_DISCOUNT),
            ],
            default_first: false,
        },
    )
    .noted(Slot::SubscriptionDiscounts),
]);

const SUBSCRIPTION_ITEM: &Fields = &Fields::new(&[
    req("unique_reference", Str),
    opt("catalogue_reference", Str),
    req("name", Str),
    req("monthly_price_with_tax", Amount),
    req("vat_rate", IntIn(0, 10_000)),
    req("minimum_period", NonNegativeInt),
    req("extension_period", NonNegativeInt),
    opt("start_on", Date),
    opt("end_on", Date),
    opt("extra", ObjectOrText),
]);

const SUBSCRIPTION_DISCOUNT: &Fields = &Fields::new(&[
    req("unique_reference", Str),
    opt("promotion_reference", Str),
    req("amount", NonNegativeInt),
    req("start_month", NonNegativeInt),
    req("period_in_months", NonNegativeInt),
]);
