"""Writes the seed corpora (corpus/<target>/): seed_order.json is read
from core/tests/fixtures/; the other documents (from
core/tests/common/documents.rs) and notification bodies (from the tests)
are copies written out below, so they do not follow a change there: a
seed only starts the fuzzer, which mutates it anyway."""
import json, os, copy, hashlib, hmac

ROOT = os.path.dirname(os.path.abspath(__file__))
order = json.load(open(os.path.join(ROOT, "../core/tests/fixtures/seed_order.json")))


def made_valid(order):
    # As core/tests/fixtures/seed.rs's seed_order_made_valid.
    o = copy.deepcopy(order)
    o["cart"]["items"] = list(o["cart"]["items"].values())
    o["cart"]["items"][5]["price_with_tax"] = 75020
    o["cart"]["order_total_with_tax"] = 86177
    o["cart"]["subscription_total_price"] = 2000
    o["subscription"]["discounts"][0]["type"] = "amount"
    o["merchant"]["store_ref"] = "maquinista"
    o["merchant"]["operator_ref"] = "123-009"
    return o


valid = made_valid(order)
pos_order = {"merchant": {"id": "m", "store_ref": "store_1"}, "operator_ref": "operator@example.com",
             "reference": "pos_1234", "mobile_phone": "+34666123456", "given_names": "María",
             "surnames": "García López", "date_of_birth": "1990-01-01", "nin": "12345678Z",
             "address": "Calle Mayor 1", "postal_code": "08001", "city": "Barcelona",
             "cart_items": [{"reference": "FRAME-001", "name": "Designer Frame",
                             "price_with_tax": 25000, "quantity": 1}]}
setup = {"amount": 20000, "currency": "EUR", "reference": "ORD-5023-4E89", "description": "seQura payment",
         "billing": {"address": {"address_line1": "C/ Aragó 383", "city": "Barcelona", "state": "Barcelona",
                                 "zip": "08013", "country": "ES"}},
         "settings": {"success_url": "https://shop.example/payments/success",
                      "failure_url": "https://shop.example/payments/failure"}}
payment_request = {"business_id": "b", "order_id": "o", "price": {"amount": "999", "currency": "EUR"},
                   "description": "Monthly subscription - First payment", "method_key": "card",
                   "payer": {"email": "customer@example.com"}, "locale": "en",
                   "accept_url": "https://yoursite.com/payment/success",
                   "cancel_url": "https://yoursite.com/payment/cancel",
                   "callback_url": "https://shop.example/cb", "token_strategy": "required"}
event = {"id": "evt_az5sblvku4ge3dwpztvyizgcau", "type": "payment_approved",
         "created_on": "2026-04-30T10:00:00Z",
         "data": {"id": "pay_bgmwsoadqdvetnljwg23hetl7q", "amount": 20000, "currency": "EUR",
                  "reference": "ORD-5023-4E89", "response_summary": "Approved"}}
notification = {"id": "xyz789notification", "status": "read", "event": "payment_request.captured",
                "data": {"payment_request": {"id": "abc123payment", "status": "captured", "order_id": "SUB_12345",
                                             "price_paid": {"amount": 999, "currency": "EUR"},
                                             "token_strategy": "required",
                                             "issued_token": "vLUGdTtnDjQs7Yv0fjYQyYfG60m"}},
                "created_at": 1734258645}
j = lambda v: json.dumps(v, ensure_ascii=False, separators=(",", ":")).encode()

seeds = {
    "strict_json": [b"\0" + j(order), b"\0" + j(valid), b"\0" + j(setup), b"\0" + j(event),
                    b"\0" + b'{"a":1,"a":2}', b"\0" + b'{"x":{"y":[{"k":1,"k":2}]}}',
                    b"\1" + (60000).to_bytes(2, "little") + b"0",
                    b"\1" + (3000).to_bytes(2, "little") + b'"' + b"x" * 40 + b'"'],
    "order": [bytes([0, 0]) + j(order), bytes([1 | 4 | 16, 0]) + j(valid),
              bytes([1 | 4 | 16, 1]) + j(valid), bytes([1 | 4 | 16, 2]) + j(valid),
              bytes([1 | 4 | 16 | 64, 3]) + j(valid), bytes([32, 0]) + j(valid)],
    "documents": [b"\0" + j(pos_order), b"\4" + j(pos_order), b"\1" + j(setup), b"\2" + j(setup),
                  b"\3" + j(payment_request)],
    "notify": [b"\0order_ref=3f2a0c9e-1111-4000-8000-000000000001&product_code=i1&sq_state=approved"
               b"&order_ref_1=ORDER-1&approved_since=1700000000&cart=1234&signature=x",
               b"\0event=cancelled&order_ref=u1&order_ref_1=R1&m_signature=s&m_cart=9",
               b"\0notification_id=xyz789notification",
               b"\1order_ref\0" + b"3f2a0c9e-1111-4000-8000-000000000001\1sq_state\0cancelled\1cart\0001",
               b"\1event\0cancelled\1order_ref\0u1\1m_cart\0009\1m_signature\0abc"],
    "webhook": [b"\0\x10\1" + j(event), b"\0\x20\1" + j({"id": "evt_1", "type": "dispute_received", "data": {}}),
                b"\1\2\3POST\nhttps://wallet.paysera.com/wallet/oauth/v1/\nnQnNaSNyubfPErjRO55yaaEYo9YZfKHN\n"
                b"grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA"],
    "answer": [],
}
for api, status, body in [(0, 409, b'{"errors":["x",{"code":1}]}'), (0, 401, b"HTTP Basic: Access denied."),
                          (0, 200, j({"payment_options": []})),
                          (1, 400, j({"error": "invalid_parameters", "error_description": "d",
                                      "errors": [{"code": "c", "message": "m", "field": "price.amount"}]})),
                          (1, 200, j(payment_request)), (2, 200, j(notification)),
                          (2, 422, j({"request_id": "0HL80RJLS76I7", "error_type": "request_invalid",
                                      "error_codes": ["amount_required"]})),
                          (3, 200, j({"id": "set_rcmepwrchqab2wsergcafvijfy", "amount": 20000})),
                          (3, 200, j({"id": "set_rcmepwrchqab2wsergcafvijfy", "payment_methods":
                                      {"sequra": {"status": "ready"}, "klarna": None}})),
                          (0, 200, j({"id": 4567, "status": "pending", "total_with_tax": "250.00",
                                      "currency": "EUR", "can_resend_sms": True,
                                      "cart_items": [{"reference": "F-1", "price_with_tax": 25000,
                                                      "quantity": 1, "total_with_tax": 250.5}]})),
                          (0, 500, b"bad password S3cr3t pass-word"),
                          (1, 429, b'{"errors":["S3cr3t pass-word is taken"]}')]:
    header = b"Wed, 21 Oct 2026 07:28:00 GMT" if status == 429 else b"req-1"
    seeds["answer"].append(bytes([api]) + (status - 100).to_bytes(2, "big") + bytes([len(header)]) + header + body)

for target, inputs in seeds.items():
    d = os.path.join(ROOT, "corpus", target)
    os.makedirs(d, exist_ok=True)
    for data in inputs:
        open(os.path.join(d, "seed-" + hashlib.sha1(data).hexdigest()[:16]), "wb").write(data)
    print(target, len(inputs))
