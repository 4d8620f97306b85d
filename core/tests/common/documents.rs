//! The API documents (docs/apis.md), one per API besides seQura's order
//! ([`super::order`]), for whichever tests need them.

#![allow(dead_code)]

use sequra_sandbox::{DEFAULT_MERCHANT, PAYSERA_BUSINESS_ID};
use serde_json::{json, Value};

/// The in-store order of the POS document, with a DNI whose check letter is
/// right (the document's own `12345678A` is taken too).
pub fn pos_order() -> Value {
    json!({
        "merchant": {"id": DEFAULT_MERCHANT, "store_ref": "store_1"},
        "operator_ref": "operator@example.com",
        "reference": "pos_1234",
        "mobile_phone": "+34666123456",
        "given_names": "María",
        "surnames": "García López",
        "date_of_birth": "1990-01-01",
        "nin": "12345678Z",
        "address": "Calle Mayor 1",
        "postal_code": "08001",
        "city": "Barcelona",
        "cart_items": [{"reference": "FRAME-001", "name": "Designer Frame",
                        "price_with_tax": 25000, "quantity": 1}]
    })
}

/// The payment setup of the checkout.com document, for a shop in Spain.
pub fn payment_setup() -> Value {
    json!({
        "amount": 20000,
        "currency": "EUR",
        "reference": "ORD-5023-4E89",
        "description": "seQura payment",
        "billing": {"address": {"address_line1": "C/ Aragó 383", "city": "Barcelona",
            "state": "Barcelona", "zip": "08013", "country": "ES"}},
        "settings": {"success_url": "https://shop.example/payments/success",
            "failure_url": "https://shop.example/payments/failure"}
    })
}

/// The payment request of the Paysera document for `order_id`, with a string
/// amount, asking for a token.
pub fn payment_request(order_id: &str, callback_url: &str) -> Value {
    json!({
        "business_id": PAYSERA_BUSINESS_ID,
        "order_id": order_id,
        "price": {"amount": "999", "currency": "EUR"},
        "description": "Monthly subscription - First payment",
        "method_key": "card",
        "payer": {"email": "customer@example.com"},
        "locale": "en",
        "accept_url": "https://yoursite.com/payment/success",
        "cancel_url": "https://yoursite.com/payment/cancel",
        "callback_url": callback_url,
        "token_strategy": "required"
    })
}
