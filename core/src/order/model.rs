//! The seQura order payload as typed Rust data.
//!
//! Every field of the order document has a place here. Optional fields are
//! `Option`s that stay absent when absent; keys the document does not name
//! are kept in `extra`, so an order read and written again is the same JSON.
//! Build an order, or read one with [`Order::from_json`], which validates
//! first so that a bad payload gets every problem with its path.

use super::{validate, ValidateOptions};
use crate::error::{Error, Result};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Keys the document does not name, kept as they came.
pub type Extra = Map<String, Value>;

/// A reference or id: the document allows a string or an integer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Ref {
    Int(i64),
    Str(String),
}

impl Default for Ref {
    fn default() -> Self {
        Ref::Str(String::new())
    }
}

impl From<&str> for Ref {
    fn from(value: &str) -> Self {
        Ref::Str(value.to_string())
    }
}

/// `customer.logged_in`: true, false or `"unknown"`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum LoggedIn {
    Known(bool),
    Unknown(String),
}

impl Default for LoggedIn {
    fn default() -> Self {
        LoggedIn::Unknown("unknown".into())
    }
}

/// A field that may be absent, null or a value, each kept as it came
/// (`state`, `customer.user_agent`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Nullable<T> {
    #[default]
    Absent,
    Null,
    Value(T),
}

impl<T> Nullable<T> {
    pub fn is_absent(&self) -> bool {
        matches!(self, Nullable::Absent)
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            Nullable::Value(value) => value.serialize(serializer),
            _ => serializer.serialize_none(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        // Called only when the key is present; `default` covers absence.
        Ok(match Option::<T>::deserialize(deserializer)? {
            Some(value) => Nullable::Value(value),
            None => Nullable::Null,
        })
    }
}

/// Declares a payload object: its required fields, its optional fields
/// (`Option`s that stay absent when absent) and `extra` for unknown keys.
macro_rules! payload {
    ($(#[$meta:meta])* $name:ident {
        required { $($(#[$rmeta:meta])* $req:ident : $rty:ty),* $(,)? }
        optional { $($(#[$ometa:meta])* $opt:ident : $oty:ty),* $(,)? }
    }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
        pub struct $name {
            $($(#[$rmeta])* pub $req: $rty,)*
            $(
                $(#[$ometa])*
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub $opt: Option<$oty>,
            )*
            /// Keys the document does not name, kept as they came.
            #[serde(flatten)]
            pub other: Extra,
        }
    };
}

payload!(
    /// The whole order.
    Order {
        required {
            /// `""`, null or `"confirmed"`; absent stays absent.
            #[serde(default, skip_serializing_if = "Nullable::is_absent")]
            state: Nullable<String>,
            merchant: Merchant,
            cart: Cart,
            delivery_method: DeliveryMethod,
            customer: Customer,
            gui: Gui,
            platform: Platform,
        }
        optional {
            merchant_reference: MerchantReference,
            trackings: Vec<Tracking>,
            delivery_address: Address,
            invoice_address: Address,
            instore: Instore,
            first_charge_date: String,
            subscription: Subscription,
        }
    }
);

payload!(
    /// Who sells, and how seQura reaches the shop.
    Merchant {
        required { id: Ref }
        optional {
            notify_url: String,
            notification_parameters: BTreeMap<String, String>,
            return_url: String,
            approved_callback: String,
            edit_url: String,
            abort_url: String,
            rejected_callback: String,
            partpayment_details_getter: String,
            approved_url: String,
            store_ref: String,
            operator_ref: String,
            tag_ref: String,
            garage_chain: String,
            options: MerchantOptions,
            events_webhook: EventsWebhook,
            timeout: Timeout,
            verification_id: String,
        }
    }
);

payload!(
    MerchantOptions {
        required {}
        optional {
            has_jquery: bool,
            uses_shipped_cart: bool,
            addresses_may_be_missing: bool,
            immutable_customer_data: bool,
        }
    }
);

payload!(
    EventsWebhook {
        required { url: String }
        optional { parameters: BTreeMap<String, String> }
    }
);

payload!(
    Timeout {
        required { timeout_at: String, timeout_url: String }
        optional {}
    }
);

payload!(
    MerchantReference {
        required { order_ref_1: Ref }
        optional { order_ref_2: Ref, subscription_ref_1: Ref }
    }
);

payload!(
    Cart {
        required {
            currency: String,
            gift: bool,
            /// Cents; the sum of the items' `total_with_tax`.
            order_total_with_tax: i64,
            items: Vec<CartItem>,
        }
        optional {
            cart_ref: Ref,
            subscription_period: i64,
            subscription_total_price: i64,
            created_at: String,
            updated_at: String,
        }
    }
);

/// One line of the cart; its fields depend on its `type`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum CartItem {
    /// Any item with a `type`.
    Typed(TypedItem),
    /// A product written without `type`, which the document allows.
    Product(Product),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TypedItem {
    Product(Product),
    Handling(Handling),
    InvoiceFee(InvoiceFee),
    Discount(Discount),
    OtherPayment(OtherPayment),
    Service(Service),
    SubscriberFee(SubscriberFee),
}

impl CartItem {
    /// The item's `total_with_tax`, in cents.
    pub fn total_with_tax(&self) -> i64 {
        match self {
            CartItem::Product(p) | CartItem::Typed(TypedItem::Product(p)) => p.total_with_tax,
            CartItem::Typed(TypedItem::Handling(i)) => i.total_with_tax,
            CartItem::Typed(TypedItem::InvoiceFee(i)) => i.total_with_tax,
            CartItem::Typed(TypedItem::Discount(i)) => i.total_with_tax,
            CartItem::Typed(TypedItem::OtherPayment(i)) => i.total_with_tax,
            CartItem::Typed(TypedItem::Service(i)) => i.total_with_tax,
            CartItem::Typed(TypedItem::SubscriberFee(i)) => i.total_with_tax,
        }
    }
}

payload!(
    Product {
        required {
            reference: Ref,
            name: String,
            price_with_tax: i64,
            quantity: i64,
            total_with_tax: i64,
            downloadable: bool,
        }
        optional {
            subscription_period: i64,
            subscription_price_per_item: i64,
            subscription_price: i64,
            subscription_vat_rate: i64,
            perishable: bool,
            personalized: bool,
            restockable: bool,
            category: String,
            description: String,
            manufacturer: String,
            supplier: String,
            product_id: Ref,
            url: String,
            tracking_reference: String,
        }
    }
);

payload!(
    /// A line that is only a named amount: handling, a discount (negative)
    /// or a payment made by other means (negative).
    Charge {
        required { reference: Ref, name: String, total_with_tax: i64 }
        optional {}
    }
);

pub type Handling = Charge;
pub type Discount = Charge;
pub type OtherPayment = Charge;

payload!(
    InvoiceFee {
        required { total_with_tax: i64 }
        optional {}
    }
);

payload!(
    Service {
        required {
            reference: Ref,
            name: String,
            price_with_tax: i64,
            quantity: i64,
            total_with_tax: i64,
            downloadable: bool,
        }
        optional {
            /// Exactly one of `ends_on` (a date) and `ends_in` (a duration).
            ends_on: String,
            ends_in: String,
            supplier: String,
            rendered: bool,
        }
    }
);

payload!(
    SubscriberFee {
        required { name: String, total_with_tax: i64 }
        optional {
            reference: Ref,
            price_with_tax: i64,
            quantity: i64,
            subscription_period: i64,
            subscription_price_per_item: i64,
            subscription_price: i64,
            subscription_vat_rate: i64,
        }
    }
);

/// How part of the order travels; items name it by `tracking_reference`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Tracking {
    PickupStore(StoreTracking),
    PickupPoint(StoreTracking),
    Postal(PostalTracking),
}

payload!(
    StoreTracking {
        required { reference: String }
        optional {
            operator_ref: String,
            store_ref: String,
            tracking_number: String,
            available_at: String,
            delivered_at: String,
            address_line_1: String,
            address_line_2: String,
            postal_code: String,
            city: String,
            state: String,
            country_code: String,
        }
    }
);

payload!(
    PostalTracking {
        required { reference: String, carrier: String }
        optional { tracking_number: String, tracking_url: String, delivered_at: String }
    }
);

payload!(
    DeliveryMethod {
        required { name: String }
        optional { days: String, provider: String, home_delivery: bool }
    }
);

payload!(
    Address {
        required {
            given_names: String,
            surnames: String,
            company: String,
            address_line_1: String,
            address_line_2: String,
            postal_code: String,
            city: String,
            country_code: String,
        }
        optional {
            phone: String,
            mobile_phone: String,
            state: String,
            extra: String,
            vat_number: String,
        }
    }
);

payload!(
    Customer {
        required {
            given_names: String,
            surnames: String,
            email: String,
            logged_in: LoggedIn,
            language_code: String,
            ip_number: String,
            /// A string or null; absent stays absent.
            #[serde(default, skip_serializing_if = "Nullable::is_absent")]
            user_agent: Nullable<String>,
        }
        optional {
            title: String,
            #[serde(rename = "ref")]
            reference: Ref,
            date_of_birth: String,
            nin: String,
            company: String,
            vat_number: String,
            created_at: String,
            updated_at: String,
            rating: i64,
            nin_control: String,
            previous_orders: Vec<PreviousOrder>,
            vehicle: Vehicle,
        }
    }
);

payload!(
    PreviousOrder {
        required { created_at: String, amount: i64, currency: String }
        optional {
            raw_status: String,
            status: String,
            payment_method_raw: String,
            payment_method: String,
            postal_code: String,
            country_code: String,
        }
    }
);

payload!(
    Vehicle {
        required { plaque: String }
        optional { brand: String, model: String, frame: String, first_registration_date: String }
    }
);

payload!(
    Instore {
        required { code: String }
        optional {}
    }
);

payload!(
    Gui {
        required { layout: String }
        optional {}
    }
);

payload!(
    Platform {
        required { name: String, version: String, uname: String, db_name: String, db_version: String }
        optional { plugin_version: String, php_version: String }
    }
);

payload!(
    Subscription {
        required {}
        optional { cart: SubscriptionCart, discounts: Vec<SubscriptionDiscount> }
    }
);

payload!(
    SubscriptionCart {
        required { currency: String, items: Vec<SubscriptionItem> }
        optional {}
    }
);

payload!(
    /// A `product` or `subscriber_fee` of the subscription (`type`).
    SubscriptionItem {
        required {
            #[serde(rename = "type")]
            kind: String,
            unique_reference: String,
            name: String,
            monthly_price_with_tax: i64,
            vat_rate: i64,
            minimum_period: i64,
            extension_period: i64,
        }
        optional { catalogue_reference: String, start_on: String, end_on: String, extra: Value }
    }
);

payload!(
    /// A `percent` or `amount` discount (`type`).
    SubscriptionDiscount {
        required {
            #[serde(rename = "type")]
            kind: String,
            unique_reference: String,
            amount: i64,
            start_month: i64,
            period_in_months: i64,
        }
        optional { promotion_reference: String }
    }
);

impl Order {
    /// Reads an order after validating it: a payload with problems is
    /// refused with all of them, each with its path.
    pub fn from_json(order: &Value, options: &ValidateOptions) -> Result<Order> {
        let problems = validate(order, options);
        if !problems.is_empty() {
            return Err(Error::InvalidInput(problems));
        }
        // What validates has the model's shape; a failure here is a gap
        // between the two, reported rather than hidden.
        serde_json::from_value(order.clone())
            .map_err(|e| Error::invalid("order", format!("does not fit the order model: {e}")))
    }

    /// The order as the JSON the API takes.
    pub fn to_json(&self) -> Value {
        // Serialising these types cannot fail: every map key is a string.
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}
