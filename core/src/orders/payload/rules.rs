//! The rules of the order document that involve more than one field:
//! totals, item types, addresses, contract options, subscriptions.

use super::node::{Key, Node, Shape};
use super::schema::{Slot, SLOTS};
use super::walk::{elements, join, Elements, Label, Path};
use super::{Contract, Flow, ValidateOptions};
use crate::redact::quote;
use crate::validate::id::other_merchant_problem;
use crate::validate::money::{self, Sum};
use crate::validate::text::{describe, is_blank};
use crate::validate::{url, Problems};

/// The rules across fields, after the walker noted the fields they read
/// and ran the rules on each cart item (`items`).
pub(crate) fn check<'a, N: Node<'a>>(
    noted: &[Option<N>; SLOTS],
    items: &mut ItemRules<'a>,
    options: &ValidateOptions,
    problems: &mut Problems,
) {
    let mut rules = Rules {
        noted,
        contract: &options.contract,
        problems,
    };
    if let Some(merchant) = &options.merchant {
        rules.merchant(merchant);
    }
    let trackings = rules.at(Slot::Trackings);
    let references = tracking_references(trackings);
    items.check_tracking_references(&references, present(trackings));
    rules.state();
    rules.problems.append(&mut items.amounts);
    rules.totals(items.sum);
    rules.problems.append(&mut items.services);
    rules.problems.append(&mut items.prices);
    rules.addresses();
    rules.stores(options.flow == Flow::PosLegacy);
    rules.garage();
    rules.trackings(&references);
    rules.problems.append(&mut items.tracking);
    rules.problems.append(&mut items.reused);
    rules.previous_orders();
    rules.subscription(items.subscription_prices, items.subscription_items);
    if options.flow == Flow::PosLegacy {
        rules.no_urls_in_pos_legacy();
    } else if options.endpoint_is_public {
        rules.reachable_from_sequra();
    }
}

struct Rules<'p, N> {
    /// The fields the walker noted.
    noted: &'p [Option<N>; SLOTS],
    contract: &'p Contract,
    problems: &'p mut Problems,
}

/// A few values, kept on the stack up to eight: the rules allocate nothing
/// for an order that has no more.
pub(crate) struct Few<T> {
    first: [Option<T>; 8],
    len: usize,
    more: Vec<T>,
}

impl<T: Copy> Few<T> {
    pub(crate) fn new() -> Self {
        Few {
            first: [None; 8],
            len: 0,
            more: Vec::new(),
        }
    }

    fn push(&mut self, value: T) {
        match self.first.get_mut(self.len) {
            Some(slot) => *slot = Some(value),
            None => self.more.push(value),
        }
        self.len += 1;
    }

    fn len(&self) -> usize {
        self.len
    }

    fn iter(&self) -> impl Iterator<Item = T> + '_ {
        self.first
            .iter()
            .map_while(|value| *value)
            .chain(self.more.iter().copied())
    }
}

/// The `reference` of each tracking that has one, in order, with the
/// tracking's place in the list.
fn tracking_references<'a, N: Node<'a>>(trackings: Option<N>) -> Few<(usize, &'a str)> {
    let mut references = Few::new();
    for (i, (_, tracking)) in list(trackings, "trackings").enumerate() {
        if let Some(reference) = str_of(tracking.get("reference")) {
            references.push((i, reference));
        }
    }
    references
}

/// What the rules on the items of the cart found, item by item as the
/// walker walks them.
pub(crate) struct ItemRules<'a> {
    /// The sum of the items' `total_with_tax`.
    sum: Sum,
    /// Each item's total against its quantity and price, and the sum.
    amounts: Problems,
    /// Services, and their `ends_on` or `ends_in`.
    services: Problems,
    /// Subscription prices and VAT rates.
    prices: Problems,
    /// References to trackings.
    tracking: Problems,
    /// Handling items' and discounts' references used twice.
    reused: Problems,
    /// Each type and reference of the handling items and discounts so far
    /// ("a unique code"), with the first item that has it: scanned while
    /// few, indexed once many (so that the rule stays linear).
    unique: Few<(Unique<'a>, Label<'a>)>,
    unique_index: Option<std::collections::HashMap<Unique<'a>, Label<'a>>>,
    /// The items' tracking references, in order, checked once the
    /// trackings are known (`None`: a product without one, which the
    /// shipment_ref contract option requires).
    references: Few<(Label<'a>, Option<&'a str>)>,
    /// The sum of the items' `subscription_price`: `None` when none has one.
    subscription_prices: Option<Sum>,
    /// Whether an item is a subscription in the cart: a `subscriber_fee`,
    /// or an item with a `subscription_period`, `subscription_price` or
    /// `subscription_price_per_item`.
    subscription_items: bool,
}

impl<'a> ItemRules<'a> {
    /// The items were not read (`cart.items` is not a list, a problem of
    /// its own): no sum to compare the order's total with.
    pub(crate) fn not_read(&mut self) {
        let _ = self.sum.add(None);
        if let Some(sum) = &mut self.subscription_prices {
            let _ = sum.add(None);
        }
    }

    pub(crate) fn new() -> Self {
        ItemRules {
            sum: Sum::ZERO,
            amounts: Problems::new(),
            services: Problems::new(),
            prices: Problems::new(),
            tracking: Problems::new(),
            reused: Problems::new(),
            unique: Few::new(),
            unique_index: None,
            references: Few::new(),
            subscription_prices: None,
            subscription_items: false,
        }
    }

    /// `listed`: whether the order lists its trackings; before it does, an
    /// item may name the tracking it will be handed in (the document's
    /// words), so only a list that lacks the name is a problem.
    fn check_tracking_references(&mut self, references: &Few<(usize, &'a str)>, listed: bool) {
        // A scan of a few; a set of many, so that the rule stays linear.
        let many: Option<std::collections::HashSet<&str>> =
            (references.len() > 8).then(|| references.iter().map(|(_, r)| r).collect());
        let known = |reference: &str| match &many {
            Some(set) => set.contains(reference),
            None => references.iter().any(|(_, r)| r == reference),
        };
        for (label, reference) in self.references.iter() {
            let path = Element {
                base: "cart.items",
                label,
            };
            match reference {
                Some(reference) if listed && !known(reference) => {
                    self.tracking.push(
                        path.field("tracking_reference"),
                        format!("{} is not the reference of any of trackings[]", quote(reference)),
                    )
                }
                Some(_) => {}
                None => self.tracking.push(
                    path.field("tracking_reference"),
                    "is required with the shipment_ref contract option: name the tracking this item ships in",
                ),
            }
        }
    }

    /// The item that first had `key`, else notes it as `label`'s.
    fn first_with(&mut self, key: Unique<'a>, label: Label<'a>) -> Option<Label<'a>> {
        if let Some(index) = &mut self.unique_index {
            return match index.entry(key) {
                std::collections::hash_map::Entry::Occupied(first) => Some(*first.get()),
                std::collections::hash_map::Entry::Vacant(new) => {
                    new.insert(label);
                    None
                }
            };
        }
        if let Some((_, first)) = self.unique.iter().find(|(seen, _)| *seen == key) {
            return Some(first);
        }
        self.unique.push((key, label));
        if self.unique.len() > 8 {
            self.unique_index = Some(self.unique.iter().collect());
        }
        None
    }

    /// The rules on the item at `label` of the cart.
    pub(crate) fn check<N: Node<'a>>(
        &mut self,
        label: Label<'a>,
        item: &Item<N>,
        contract: &Contract,
    ) {
        let path = Element {
            base: "cart.items",
            label,
        };
        // A missing or mistyped amount is already a problem of its own.
        let total = i64_of(item.total_with_tax);
        if self.sum.add(total) {
            self.amounts.push(
                path.field("total_with_tax"),
                money::overflow_message("cart.items[].total_with_tax"),
            );
        }
        // (A quantity below 1 is a problem of its own.)
        if let (Some(quantity @ 1..), Some(price), Some(total)) =
            (i64_of(item.quantity), i64_of(item.price_with_tax), total)
        {
            if let Some(problem) = money::line_problem(quantity, price, total) {
                self.amounts.push(path.field("total_with_tax"), problem);
            }
        }
        let kind = str_of(item.kind).unwrap_or("product");
        if let Some(reference) = item.reference.and_then(Reference::of) {
            // Post-sale updates know these items by their reference.
            if let Some(first) = self.first_with((kind, reference), label) {
                self.reused.push(
                    path.field("reference"),
                    format!("{reference} is also the reference of cart.items{first}, of the same type; each needs its own, as post-sale updates know items by their reference"),
                );
            }
        }
        if kind == "service" {
            if !contract.services {
                self.services.push(
                    path,
                    "is a service, which needs the services contract option; ask seQura to enable it or sell it as a product",
                );
            }
            // The field table makes both mandatory, the contract text asks
            // for "ends_in or ends_on": one is needed, both are taken.
            if !item.ends_on && !item.ends_in {
                self.services.push(
                    path.field("ends_on"),
                    "or ends_in is required: a service says when it ends (a date, or a period such as P3M)",
                );
            }
        }
        // A subscription in the cart: a subscriber's fee, or an item with
        // a subscription period or price.
        self.subscription_items |= kind == "subscriber_fee"
            || present(item.subscription_period)
            || present(item.subscription_price_per_item)
            || present(item.subscription_price);
        let per_item = i64_of(item.subscription_price_per_item);
        let quantity = i64_of(item.quantity);
        let price = i64_of(item.subscription_price);
        if let (Some(per_item), Some(quantity), Some(price)) = (per_item, quantity, price) {
            let product = per_item.checked_mul(quantity);
            if product != Some(price) {
                let product =
                    product.map_or_else(|| i128::from(per_item) * i128::from(quantity), i128::from);
                self.prices.push(
                    path.field("subscription_price"),
                    format!("is {price} but subscription_price_per_item × quantity is {product}"),
                );
            }
        }
        if let Some(rate) = i64_of(item.subscription_vat_rate) {
            if rate > 10_000 {
                self.prices.push(
                    path.field("subscription_vat_rate"),
                    format!("is {rate}, over 100%; the rate is multiplied by 100 (2100 for 21%)"),
                );
            }
        }
        match str_of(item.tracking_reference) {
            Some(reference) => self.references.push((label, Some(reference))),
            None if kind == "product" && contract.shipment_ref => {
                self.references.push((label, None))
            }
            None => {}
        }
        // The item's monthly cost: its subscription_price, else what the
        // document defines it as, subscription_price_per_item × quantity.
        let (field, monthly) = match (item.subscription_price, per_item, quantity) {
            // Not an integer: a problem of its own already.
            (Some(price), _, _) => ("subscription_price", price.as_i64()),
            (None, Some(per_item), Some(quantity)) => {
                let product = per_item.checked_mul(quantity);
                if product.is_none() {
                    self.prices.push(
                        path.field("subscription_price_per_item"),
                        format!("× quantity ({per_item} × {quantity}) is beyond what an amount in cents can be; check them"),
                    );
                }
                ("subscription_price_per_item", product)
            }
            _ => return,
        };
        let sum = self.subscription_prices.get_or_insert(Sum::ZERO);
        if sum.add(monthly) {
            self.prices.push(
                path.field(field),
                money::overflow_message("the items' monthly subscription costs"),
            );
        }
    }
}

/// Whether `value` is there and not null.
fn present<'a, N: Node<'a>>(value: Option<N>) -> bool {
    value.is_some_and(|v| !v.is_null())
}

fn str_of<'a, N: Node<'a>>(value: Option<N>) -> Option<&'a str> {
    value.and_then(N::as_str)
}

fn i64_of<'a, N: Node<'a>>(value: Option<N>) -> Option<i64> {
    value.and_then(N::as_i64)
}

impl<'a, N: Node<'a>> Rules<'_, N> {
    fn problem(&mut self, path: impl std::fmt::Display, message: impl Into<String>) {
        self.problems.push(path, message);
    }

    /// The value of a noted field, if the order has it.
    fn at(&self, slot: Slot) -> Option<N> {
        self.noted[slot as usize]
    }

    /// The order's `merchant.id`, a string or an integer, names the
    /// merchant it is sent for (a missing or mistyped one is the walker's
    /// problem).
    fn merchant(&mut self, merchant: &str) {
        let Some(id) = self.at(Slot::MerchantId) else {
            return;
        };
        let same = match (id.as_bytes(), id.as_i64()) {
            (Some(text), _) => text == merchant.as_bytes(),
            (None, Some(number)) => number.to_string() == merchant,
            (None, None) => return,
        };
        if !same {
            self.problem(
                "merchant.id",
                other_merchant_problem(&describe(id), merchant),
            );
        }
    }

    fn state(&mut self) {
        if let Some(state) = str_of(self.at(Slot::State)) {
            if !["", "confirmed"].contains(&state) {
                self.problem(
                    "state",
                    format!(
                        "must be empty (\"\" or null) or \"confirmed\", not {}",
                        quote(state)
                    ),
                );
            }
        }
    }

    /// (An overflowing sum was named at the item where it overflowed.)
    fn totals(&mut self, sum: Sum) {
        let (Some(total), Some(sum)) = (i64_of(self.at(Slot::OrderTotal)), sum.value()) else {
            return;
        };
        // Without items to add up (a problem of its own), no sum to compare.
        let items = self.at(Slot::CartItems);
        if !items.is_some_and(|items| matches!(items.shape(), Shape::List | Shape::Object)) {
            return;
        }
        if sum != total {
            self.problem(
                "cart.order_total_with_tax",
                money::sum_problem(total, sum, "cart.items"),
            );
        }
    }

    fn addresses(&mut self) {
        let may_be_missing = self
            .at(Slot::AddressesMayBeMissing)
            .and_then(N::as_bool)
            .unwrap_or(false);
        for (slot, name) in [
            (Slot::DeliveryAddress, "delivery_address"),
            (Slot::InvoiceAddress, "invoice_address"),
        ] {
            if !may_be_missing && !present(self.at(slot)) {
                self.problem(
                    name,
                    "is required unless merchant.options.addresses_may_be_missing is true",
                );
            }
        }
    }

    /// Multistore merchants name the store, the operator and the customer's
    /// DNI control code; physical stores may; online shops may not. The
    /// legacy POS flow (`in_store`) sells at a counter: a physical store,
    /// whatever its contract options say.
    fn stores(&mut self, in_store: bool) {
        let multistore = self.contract.multistore || self.contract.garage;
        let physical = multistore || self.contract.instore || in_store;
        if multistore {
            for (slot, path) in [
                (Slot::StoreRef, "merchant.store_ref"),
                (Slot::OperatorRef, "merchant.operator_ref"),
                (Slot::NinControl, "customer.nin_control"),
            ] {
                self.required(slot, path, "for multistore merchants");
            }
        } else if self.contract.instore {
            self.required(
                Slot::NinControl,
                "customer.nin_control",
                "for physical stores",
            );
        }
        // Only the store is "not permitted for others" in the document; the
        // operator and the tag are not forbidden to anyone.
        if !physical && present(self.at(Slot::StoreRef)) {
            self.problem(
                "merchant.store_ref",
                "is only for multistore merchants and physical stores; remove it, or set the multistore or instore contract option",
            );
        }
        let instore = present(self.at(Slot::Instore));
        if instore && !self.contract.instore {
            self.problem(
                "instore",
                "is only for in-store integrations; remove it, or set the instore contract option",
            );
        }
        if self.contract.instore && !instore {
            self.problem("instore", "is required for in-store integrations");
        }
    }

    /// A field a contract option requires: present, and not blank (a
    /// store, an operator or a DNI's code that is "" names nothing).
    fn required(&mut self, slot: Slot, path: &str, who: &str) {
        let value = self.at(slot);
        if !present(value) {
            self.problem(path, format!("is required {who}"));
        } else if value.and_then(N::as_str).is_some_and(is_blank) {
            self.problem(path, format!("is empty, but it is required {who}"));
        }
    }

    fn garage(&mut self) {
        let vehicle = present(self.at(Slot::Vehicle));
        if self.contract.garage {
            if !vehicle {
                self.problem(
                    "customer.vehicle",
                    "is required for garages (at least its plaque)",
                );
            }
            return;
        }
        for (there, path) in [
            (vehicle, "customer.vehicle"),
            (present(self.at(Slot::GarageChain)), "merchant.garage_chain"),
        ] {
            if there {
                self.problem(
                    path,
                    "is only for garages; remove it, or set the garage contract option",
                );
            }
        }
    }

    /// Items name the tracking they ship in; with the shipment_ref option
    /// every product does.
    /// Each tracking has its own reference (items naming them are checked
    /// with the items).
    fn trackings(&mut self, references: &Few<(usize, &'a str)>) {
        // A scan of a few; a set of many, so that the rule stays linear.
        let mut seen = std::collections::HashSet::new();
        for (n, (i, reference)) in references.iter().enumerate() {
            let earlier = if references.len() > 8 {
                !seen.insert(reference)
            } else {
                references
                    .iter()
                    .take(n)
                    .any(|(_, earlier)| earlier == reference)
            };
            if earlier {
                self.problem(
                    format!("trackings[{i}].reference"),
                    format!(
                        "{} is used by an earlier tracking; each tracking needs its own reference",
                        quote(reference)
                    ),
                );
            }
        }
    }

    fn previous_orders(&mut self) {
        let orders = self.at(Slot::PreviousOrders);
        for (path, order) in list(orders, "customer.previous_orders") {
            if let Some(method) = str_of(order.get("payment_method")) {
                let known = ["CC", "PP", "TR", "COD", "SQ"].contains(&method)
                    || method
                        .strip_prefix("O/")
                        .is_some_and(|name| !name.is_empty());
                if !known {
                    self.problem(
                        path.field("payment_method"),
                        format!("is {}; use CC, PP, TR, COD, SQ, or O/ and a name such as \"O/postal_giro\"", quote(method)),
                    );
                }
            }
        }
    }

    /// `prices`: the sum of the items' `subscription_price`;
    /// `subscribing_items`: whether an item is a subscription (see
    /// `ItemRules`).
    fn subscription(&mut self, prices: Option<Sum>, subscribing_items: bool) {
        let discounts = self.at(Slot::SubscriptionDiscounts);
        for (path, discount) in list(discounts, "subscription.discounts") {
            let percent = str_of(discount.get("type")) == Some("percent");
            if let Some(amount) = i64_of(discount.get("amount")) {
                if percent && amount > 10_000 {
                    self.problem(
                        path.field("amount"),
                        format!("is {amount}, over 100%; a percent discount is in 1/100 of a percent (5000 for 50%)"),
                    );
                }
            }
        }
        let items = self.at(Slot::SubscriptionCartItems);
        for (path, item) in list(items, "subscription.cart.items") {
            let start = str_of(item.get("start_on"));
            let end = str_of(item.get("end_on"));
            if let (Some(start), Some(end)) = (start, end) {
                // ISO dates compare as text; their format is checked elsewhere.
                if end <= start {
                    self.problem(
                        path.field("end_on"),
                        format!("is {}, not after start_on {}", quote(end), quote(start)),
                    );
                }
            }
        }
        let subscribes = present(self.at(Slot::Subscription))
            || present(self.at(Slot::SubscriptionPeriod))
            || present(self.at(Slot::SubscriptionTotalPrice));
        if let (true, Some(total), Some(sum)) = (
            subscribes,
            i64_of(self.at(Slot::SubscriptionTotalPrice)),
            prices.and_then(Sum::value),
        ) {
            if sum != total {
                self.problem(
                    "cart.subscription_total_price",
                    format!("is {total} but the items' monthly subscription costs (subscription_price, or subscription_price_per_item × quantity) add up to {sum}"),
                );
            }
        }
        // A subscription is the `subscription` block, or one in the cart
        // (its period or total, or an item that subscribes).
        if present(self.at(Slot::SubscriptionRef1)) && !subscribes && !subscribing_items {
            self.problem(
                "merchant_reference.subscription_ref_1",
                "is set but the order has no subscription (neither the subscription block nor a subscription in the cart)",
            );
        }
    }

    /// seQura posts the IPN and later events from the internet: when the
    /// order goes to a seQura on the internet, a local URL
    /// (plain http to loopback, which the field's check lets through for
    /// the bundled sandbox; a private address; `*.local`) would never get
    /// them, and the order would wait for an IPN that does not come. A
    /// URL with a problem of its own has it from the walker.
    fn reachable_from_sequra(&mut self) {
        let events_url = self
            .at(Slot::EventsWebhook)
            .and_then(|hook| hook.get("url"));
        for (value, path) in [
            (self.at(Slot::NotifyUrl), "merchant.notify_url"),
            (events_url, "merchant.events_webhook.url"),
        ] {
            if let Some(why) = str_of(value).and_then(|text| url::unreachable_by(text, "seQura")) {
                self.problem(path, why);
            }
        }
    }

    /// The legacy POS flow confirms by hand, and its document says "don't
    /// include any URLs in the payload": seQura has nowhere to post or
    /// send the shopper. An empty string holds no URL (the order
    /// document's PHP example writes `edit_url = ""`), and passes.
    fn no_urls_in_pos_legacy(&mut self) {
        for (slot, name) in [
            (Slot::NotifyUrl, "notify_url"),
            (Slot::ReturnUrl, "return_url"),
            (Slot::ApprovedUrl, "approved_url"),
            (Slot::EditUrl, "edit_url"),
            (Slot::AbortUrl, "abort_url"),
            (Slot::EventsWebhook, "events_webhook"),
            (Slot::Timeout, "timeout"),
        ] {
            let value = self.at(slot);
            if present(value) && str_of(value) != Some("") {
                self.problem(
                    format!("merchant.{name}"),
                    "must be left out in the legacy POS flow, which confirms the order by hand: its order holds no URL",
                );
            }
        }
    }
}

/// What the rules read of an item of the cart (each is `None` when the
/// item does not have it): noted by the walker as it walks the item.
pub(crate) struct Item<N> {
    kind: Option<N>,
    total_with_tax: Option<N>,
    price_with_tax: Option<N>,
    ends_on: bool,
    ends_in: bool,
    quantity: Option<N>,
    subscription_price_per_item: Option<N>,
    subscription_price: Option<N>,
    subscription_vat_rate: Option<N>,
    subscription_period: Option<N>,
    tracking_reference: Option<N>,
    reference: Option<N>,
}

/// An item's type and reference.
type Unique<'a> = (&'a str, Reference<'a>);

/// An item's `reference`, a string or an integer, as it compares.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Reference<'a> {
    Text(&'a str),
    Number(i64),
}

impl<'a> Reference<'a> {
    fn of<N: Node<'a>>(value: N) -> Option<Self> {
        match value.as_str() {
            Some(text) => Some(Reference::Text(text)),
            None => value.as_i64().map(Reference::Number),
        }
    }
}

impl std::fmt::Display for Reference<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Reference::Text(text) => write!(f, "{}", quote(text)),
            Reference::Number(n) => write!(f, "{n}"),
        }
    }
}

impl<'a, N: Node<'a>> Item<N> {
    /// The item the walker just walked, from its slots.
    pub(crate) fn noted(noted: &[Option<N>; SLOTS]) -> Self {
        let at = |slot: Slot| noted[slot as usize];
        Item {
            kind: at(Slot::ItemType),
            total_with_tax: at(Slot::ItemTotal),
            price_with_tax: at(Slot::ItemPrice),
            ends_on: at(Slot::ItemEndsOn).is_some(),
            ends_in: at(Slot::ItemEndsIn).is_some(),
            quantity: at(Slot::ItemQuantity),
            subscription_price_per_item: at(Slot::ItemPricePerItem),
            subscription_price: at(Slot::ItemSubscriptionPrice),
            subscription_vat_rate: at(Slot::ItemVatRate),
            subscription_period: at(Slot::ItemSubscriptionPeriod),
            tracking_reference: at(Slot::ItemTrackingReference),
            reference: at(Slot::ItemReference),
        }
    }

    /// An item the walker did not walk field by field (it is not an object,
    /// or its type is not one), read member by member.
    pub(crate) fn of(item: N) -> Self {
        let mut noted = [None; SLOTS];
        for (key, value) in item.members().into_iter().flatten() {
            let Key::Name(name) = key else {
                continue;
            };
            let slot = match name {
                b"type" => Some(Slot::ItemType),
                _ => Slot::of_item_member(name),
            };
            if let Some(slot) = slot {
                noted[slot as usize].get_or_insert(value);
            }
        }
        Item::noted(&noted)
    }
}

/// The elements of a list of the order, each with its path (built only
/// when a problem names it). A list that is not one was already reported
/// by the walker.
fn list<'a, N: Node<'a>>(value: Option<N>, base: &'static str) -> List<'a, N> {
    let elements = match value {
        // Problems are the walker's to report; these are dropped (and
        // there is no allocation unless there is one).
        Some(value) => elements(value, &Path::Root, &mut Problems::new()),
        None => Elements::None,
    };
    List { base, elements }
}

/// The elements of a list in the order, with their places.
struct List<'a, N: Node<'a>> {
    base: &'static str,
    elements: Elements<'a, N>,
}

impl<'a, N: Node<'a>> Iterator for List<'a, N> {
    type Item = (Element<'a>, N);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        let base = self.base;
        self.elements
            .next()
            .map(|(label, v)| (Element { base, label }, v))
    }
}

/// An element of a list in the order, named only when a problem needs it:
/// `base` is the list's path.
#[derive(Clone, Copy)]
struct Element<'a> {
    base: &'static str,
    label: Label<'a>,
}

impl Element<'_> {
    /// The path of `name` inside this element, e.g. `cart.items[3].ends_on`.
    fn field(&self, name: &str) -> String {
        join(&self.to_string(), name)
    }
}

impl std::fmt::Display for Element<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}{}", self.base, self.label)
    }
}
