//! Every call of every API as one table ([`CALLS`]): the request it makes
//! (method and path), whether it may be sent again once it may have
//! reached the server, what its success answer carries, and how to make,
//! in a sandbox, what it acts on. The fault and TLS tests run each row.

use crate::common::documents::{payment_setup, pos_order};
use crate::common::{self, approve, control_agent, order};
use sequra::error::Result;
use sequra::{checkout_com, orders, paysera, pos, Connection};
use sequra_sandbox::{
    Sandbox, CHECKOUT_COM_PROCESSING_CHANNEL_ID, CHECKOUT_COM_SECRET_KEY, DEFAULT_MERCHANT,
    DEFAULT_PASSWORD, DEFAULT_USERNAME, PAYSERA_MAC_ID, PAYSERA_MAC_SECRET,
};
use serde_json::{json, Value};

/// A client of each API, all connecting alike.
pub struct Clients {
    pub orders: orders::Client,
    pub pos: pos::Client,
    pub checkout_com: checkout_com::Client,
    pub paysera: paysera::Client,
}

impl Clients {
    /// Clients of `sandbox` that connect with `connection`.
    pub fn new(sandbox: &Sandbox, connection: Connection) -> Clients {
        let endpoint = || orders::Endpoint::Url(sandbox.url().to_string());
        let mut sequra = orders::Config::new(
            endpoint(),
            DEFAULT_MERCHANT,
            DEFAULT_USERNAME,
            DEFAULT_PASSWORD,
        );
        sequra.connection = connection.clone();
        let mut in_store = pos::Config::new(
            endpoint(),
            DEFAULT_MERCHANT,
            DEFAULT_USERNAME,
            DEFAULT_PASSWORD,
        );
        in_store.connection = connection.clone();
        let mut checkout =
            checkout_com::Config::with_secret_key(CHECKOUT_COM_SECRET_KEY, "sandboxx");
        checkout.endpoint = Some(sandbox.url().to_string());
        checkout.processing_channel_id = Some(CHECKOUT_COM_PROCESSING_CHANNEL_ID.into());
        checkout.connection = connection.clone();
        let mut mac = paysera::Config::new(PAYSERA_MAC_ID, PAYSERA_MAC_SECRET);
        mac.endpoint = sandbox.url().to_string();
        mac.connection = connection;
        Clients {
            orders: orders::Client::new(sequra).expect("a valid config"),
            pos: pos::Client::new(in_store).expect("a valid config"),
            checkout_com: checkout_com::Client::new(checkout).expect("a valid config"),
            paysera: paysera::Client::new(mac).expect("a valid config"),
        }
    }

    /// Clients of `sandbox` as every test connects (its CA trusted).
    pub fn of(sandbox: &Sandbox) -> Clients {
        Clients::new(sandbox, common::connection(sandbox.url()))
    }
}

/// The four remote APIs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Api {
    Orders,
    Pos,
    CheckoutCom,
    Paysera,
}

/// Whether a call is sent again once it may have reached the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repeat {
    /// Never: a second try could act twice (POST, PATCH).
    Never,
    /// With the same idempotency key: the server answers the first
    /// result again (checkout.com's POSTs).
    SameKey,
    /// Yes: the method is idempotent (GET, PUT).
    Safe,
}

/// What a call's success answer carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// A JSON document the call reads.
    Json,
    /// 204 and the new order's Location: all in the headers; a 200 is not
    /// this call's answer.
    Location,
    /// 204, or a 200 whose body is not read.
    Nothing,
    /// A body the call does not read as JSON (`{}` it ignores): any 200
    /// will do.
    Unread,
    /// HTML to show the shopper: a 200 with an empty body or JSON is not
    /// this call's answer.
    Html,
}

/// What a call acts on: the path it requests and its arguments.
pub struct Target {
    /// The path of the request, as the sandbox counts it.
    pub path: String,
    /// The id or URI the call names.
    pub id: String,
    /// A second argument (a token, a reference).
    pub arg: String,
    /// The document the call sends, when it sends one.
    pub body: Value,
}

impl Target {
    fn new(path: impl Into<String>, id: impl Into<String>) -> Target {
        Target {
            path: path.into(),
            id: id.into(),
            arg: String::new(),
            body: Value::Null,
        }
    }

    fn arg(self, arg: impl Into<String>) -> Target {
        Target {
            arg: arg.into(),
            ..self
        }
    }

    fn body(self, body: Value) -> Target {
        Target { body, ..self }
    }
}

/// One call of one API.
pub struct Call {
    /// The remote API.
    pub api: Api,
    /// `resource.call`, e.g. `orders.start`.
    pub name: &'static str,
    pub method: &'static str,
    pub repeat: Repeat,
    pub answer: Answer,
    /// Makes what the call acts on, with clients that meet no fault.
    prepare: fn(&Sandbox, &Clients) -> Target,
    run: fn(&Clients, &Target) -> Result<()>,
}

impl Call {
    pub fn prepare(&self, sandbox: &Sandbox, clients: &Clients) -> Target {
        (self.prepare)(sandbox, clients)
    }

    pub fn run(&self, clients: &Clients, target: &Target) -> Result<()> {
        (self.run)(clients, target)
    }
}

impl std::fmt::Debug for Call {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.name, self.method)
    }
}

/// Every call of every API.
pub const CALLS: &[Call] = &[
    // seQura Orders: /orders
    Call {
        api: Api::Orders,
        name: "orders.start",
        method: "POST",
        repeat: Repeat::Never,
        answer: Answer::Location,
        prepare: |_, _| Target::new("/orders", "").body(order()),
        run: |c, t| c.orders.orders().start(&t.body).map(drop),
    },
    Call {
        api: Api::Orders,
        name: "orders.form",
        method: "GET",
        repeat: Repeat::Safe,
        answer: Answer::Html,
        prepare: |_, c| started(c, "/form_v2"),
        run: |c, t| {
            let options = orders::FormOptions::default();
            c.orders.orders().form(&t.id, &options).map(drop)
        },
    },
    Call {
        api: Api::Orders,
        name: "orders.confirm",
        method: "PUT",
        repeat: Repeat::Safe,
        answer: Answer::Unread,
        prepare: |s, c| {
            let target = started(c, "");
            approve(s, uuid(&target));
            target
        },
        run: |c, t| c.orders.orders().confirm(&t.id, &t.body),
    },
    Call {
        api: Api::Orders,
        name: "orders.update_references",
        method: "PATCH",
        repeat: Repeat::Never,
        answer: Answer::Unread,
        prepare: |_, c| started(c, ""),
        run: |c, t| {
            let references = json!({"order_ref_1": "ORDER-1", "order_ref_2": "INVOICE-7"});
            c.orders.orders().update_references(&t.id, &references)
        },
    },
    Call {
        api: Api::Orders,
        name: "orders.send_form",
        method: "POST",
        repeat: Repeat::Never,
        answer: Answer::Nothing,
        prepare: |_, c| started(c, "/form_deliveries"),
        run: |c, t| c.orders.orders().send_form(&t.id, "pp3"),
    },
    Call {
        api: Api::Orders,
        name: "orders.payment_methods",
        method: "GET",
        repeat: Repeat::Safe,
        answer: Answer::Json,
        prepare: |_, c| started(c, "/payment_methods"),
        run: |c, t| c.orders.orders().payment_methods(&t.id).map(drop),
    },
    // seQura Orders: /merchants/{merchant}
    Call {
        api: Api::Orders,
        name: "merchant.payment_methods",
        method: "GET",
        repeat: Repeat::Safe,
        answer: Answer::Json,
        prepare: |_, _| Target::new(format!("/merchants/{DEFAULT_MERCHANT}/payment_methods"), ""),
        run: |c, _| c.orders.merchant().payment_methods().map(drop),
    },
    Call {
        api: Api::Orders,
        name: "merchant.update_order",
        method: "PUT",
        repeat: Repeat::Safe,
        answer: Answer::Unread,
        prepare: |s, c| {
            let target = started(c, "");
            approve(s, uuid(&target));
            c.orders
                .orders()
                .confirm(&target.id, &target.body)
                .expect("the order confirms");
            let everything_shipped = json!({
                "shipped_cart": order()["cart"],
                "unshipped_cart": {"currency": "EUR", "order_total_with_tax": 0, "items": []}
            });
            Target::new(
                format!("/merchants/{DEFAULT_MERCHANT}/orders/ORDER-1"),
                "ORDER-1",
            )
            .body(everything_shipped)
        },
        run: |c, t| c.orders.merchant().update_order(&t.id, &t.body),
    },
    // seQura POS: /api/public/v1/orders
    Call {
        api: Api::Pos,
        name: "pos.create",
        method: "POST",
        repeat: Repeat::Never,
        answer: Answer::Json,
        prepare: |_, _| Target::new(POS_ORDERS, "").body(pos_order()),
        run: |c, t| c.pos.orders().create(&t.body).map(drop),
    },
    Call {
        api: Api::Pos,
        name: "pos.get",
        method: "GET",
        repeat: Repeat::Safe,
        answer: Answer::Json,
        prepare: |_, c| pos_created(c, ""),
        run: |c, t| c.pos.orders().get(pos_id(t)).map(drop),
    },
    Call {
        api: Api::Pos,
        name: "pos.send_sms",
        method: "POST",
        repeat: Repeat::Never,
        answer: Answer::Json,
        prepare: |_, c| pos_created(c, "/send_sms"),
        run: |c, t| c.pos.orders().send_sms(pos_id(t), None).map(drop),
    },
    Call {
        api: Api::Pos,
        name: "pos.cancel",
        method: "POST",
        repeat: Repeat::Never,
        answer: Answer::Json,
        prepare: |_, c| pos_created(c, "/cancel"),
        run: |c, t| c.pos.orders().cancel(pos_id(t)).map(drop),
    },
    // checkout.com: /payments/setups
    Call {
        api: Api::CheckoutCom,
        name: "checkout_com.create",
        method: "POST",
        repeat: Repeat::SameKey,
        answer: Answer::Json,
        prepare: |_, _| Target::new("/payments/setups", "").body(payment_setup()),
        run: |c, t| {
            c.checkout_com
                .payment_setups()
                .create(&t.body, None)
                .map(drop)
        },
    },
    Call {
        api: Api::CheckoutCom,
        name: "checkout_com.get",
        method: "GET",
        repeat: Repeat::Safe,
        answer: Answer::Json,
        prepare: |_, c| setup_created(c, ""),
        run: |c, t| c.checkout_com.payment_setups().get(&t.id).map(drop),
    },
    Call {
        api: Api::CheckoutCom,
        name: "checkout_com.update",
        method: "PUT",
        repeat: Repeat::Safe,
        answer: Answer::Json,
        prepare: |_, c| setup_created(c, "").body(json!({"amount": 25000})),
        run: |c, t| {
            c.checkout_com
                .payment_setups()
                .update(&t.id, &t.body)
                .map(drop)
        },
    },
    Call {
        api: Api::CheckoutCom,
        name: "checkout_com.confirm",
        method: "POST",
        repeat: Repeat::SameKey,
        answer: Answer::Json,
        prepare: |_, c| setup_created(c, "/confirm/sequra"),
        run: |c, t| {
            c.checkout_com
                .payment_setups()
                .confirm(&t.id, None)
                .map(drop)
        },
    },
    // Paysera: /checkout/rest/v1/payment-requests
    Call {
        api: Api::Paysera,
        name: "paysera.create",
        method: "POST",
        repeat: Repeat::Never,
        answer: Answer::Json,
        prepare: |_, _| Target::new(PAYMENT_REQUESTS, "").body(payment_request("P-1")),
        run: |c, t| c.paysera.payment_requests().create(&t.body).map(drop),
    },
    Call {
        api: Api::Paysera,
        name: "paysera.get",
        method: "GET",
        repeat: Repeat::Safe,
        answer: Answer::Json,
        prepare: |_, c| requested(c, ""),
        run: |c, t| c.paysera.payment_requests().get(&t.id).map(drop),
    },
    Call {
        api: Api::Paysera,
        name: "paysera.authorize",
        method: "PUT",
        repeat: Repeat::Safe,
        answer: Answer::Json,
        prepare: |s, c| {
            // A first payment of the same payer issues the token.
            let first = requested(c, "");
            let paid = pay(s, &first.id);
            let token = paid["payment_request"]["issued_token"]
                .as_str()
                .expect("a token")
                .to_string();
            let second = c
                .paysera
                .payment_requests()
                .create(&payment_request("P-2"))
                .expect("the payment request is created");
            Target::new(
                format!("{PAYMENT_REQUESTS}/{}/authorize", second.id),
                second.id,
            )
            .arg(token)
        },
        run: |c, t| {
            c.paysera
                .payment_requests()
                .authorize(&t.id, &t.arg)
                .map(drop)
        },
    },
    Call {
        api: Api::Paysera,
        name: "paysera.capture",
        method: "PUT",
        repeat: Repeat::Safe,
        answer: Answer::Json,
        prepare: |s, c| {
            let target = requested(c, "/capture");
            pay(s, &target.id);
            target
        },
        run: |c, t| c.paysera.payment_requests().capture(&t.id).map(drop),
    },
    Call {
        api: Api::Paysera,
        name: "paysera.cancel",
        method: "PUT",
        repeat: Repeat::Safe,
        answer: Answer::Json,
        prepare: |_, c| requested(c, "/cancel"),
        run: |c, t| c.paysera.payment_requests().cancel(&t.id).map(drop),
    },
    // Paysera: /notification/rest/v1/notifications
    Call {
        api: Api::Paysera,
        name: "paysera.notification_get",
        method: "GET",
        repeat: Repeat::Safe,
        answer: Answer::Json,
        prepare: |s, c| notified(s, c, ""),
        run: |c, t| c.paysera.notifications().get(&t.id).map(drop),
    },
    Call {
        api: Api::Paysera,
        name: "paysera.notification_mark_read",
        method: "PUT",
        repeat: Repeat::Safe,
        answer: Answer::Json,
        prepare: |s, c| notified(s, c, "/read"),
        run: |c, t| c.paysera.notifications().mark_read(&t.id).map(drop),
    },
];

/// The first call of each API, for tests that need one per API: each
/// creates, and needs nothing made first.
pub fn one_per_api() -> Vec<&'static Call> {
    let mut calls: Vec<&Call> = Vec::new();
    for call in CALLS {
        if !calls.iter().any(|c| c.api == call.api) {
            calls.push(call);
        }
    }
    calls
}

/// Runs `test` on each of `calls`, each on a thread of its own, all at
/// once; fails with every call it failed for, under `label`.
pub fn each<'a>(
    calls: impl Iterator<Item = &'a Call>,
    label: &str,
    test: impl Fn(&Call) -> Result<(), String> + Sync,
) {
    let test = &test;
    let failures: Vec<String> = std::thread::scope(|scope| {
        let runs: Vec<_> = calls
            .map(|call| (call, scope.spawn(move || test(call))))
            .collect();
        runs.into_iter()
            .filter_map(|(call, run)| match run.join() {
                Ok(Ok(())) => None,
                Ok(Err(why)) => Some(format!("{call:?}: {why}")),
                Err(_) => Some(format!("{call:?}: panicked (see above)")),
            })
            .collect()
    });
    assert!(failures.is_empty(), "{label}:\n{}", failures.join("\n"));
}

/// The seed's payment request for `order_id`, its callback nowhere.
fn payment_request(order_id: &str) -> Value {
    common::documents::payment_request(order_id, "https://yoursite.com/payment/callback")
}

const POS_ORDERS: &str = "/api/public/v1/orders";
const PAYMENT_REQUESTS: &str = "/checkout/rest/v1/payment-requests";

/// A started solicitation of [`order`] (with a mobile phone for the form
/// by SMS); the path is the order's own plus `rest`.
fn started(clients: &Clients, rest: &str) -> Target {
    let mut order = order();
    order["delivery_address"]["mobile_phone"] = json!("+34666555444");
    let uri = clients
        .orders
        .orders()
        .start(&order)
        .expect("the order starts");
    Target::new(format!("/orders/{}{rest}", uri.uuid()), uri.as_str()).body(order)
}

/// The uuid of a started solicitation's target.
fn uuid(target: &Target) -> &str {
    target.id.rsplit('/').next().unwrap_or_default()
}

fn pos_created(clients: &Clients, rest: &str) -> Target {
    let cart = clients
        .pos
        .orders()
        .create(&pos_order())
        .expect("the POS order is created");
    Target::new(
        format!("{POS_ORDERS}/{}{rest}", cart.id),
        cart.id.to_string(),
    )
}

fn pos_id(target: &Target) -> u64 {
    target.id.parse().expect("a POS order id")
}

fn setup_created(clients: &Clients, rest: &str) -> Target {
    let created = clients
        .checkout_com
        .payment_setups()
        .create(&payment_setup(), None)
        .expect("the setup is created");
    let id = created.value.id;
    Target::new(format!("/payments/setups/{id}{rest}"), id)
}

/// How many setups and payments the checkout.com sandbox holds.
pub fn setups_and_payments(sandbox: &Sandbox) -> (u64, u64) {
    let listed = control(sandbox, "GET", "/sandbox/checkout_com/setups");
    (
        listed["count"].as_u64().expect("a count"),
        listed["payments"].as_u64().expect("a count"),
    )
}

fn requested(clients: &Clients, rest: &str) -> Target {
    let created = clients
        .paysera
        .payment_requests()
        .create(&payment_request("P-1"))
        .expect("the payment request is created");
    Target::new(
        format!("{PAYMENT_REQUESTS}/{}{rest}", created.id),
        created.id,
    )
}

/// The shopper pays the payment request `id`: the sandbox's answer.
fn pay(sandbox: &Sandbox, id: &str) -> Value {
    control(
        sandbox,
        "POST",
        &format!("/sandbox/paysera/payment-requests/{id}/pay"),
    )
}

/// A paid payment request's notification.
fn notified(sandbox: &Sandbox, clients: &Clients, rest: &str) -> Target {
    let paid = pay(sandbox, &requested(clients, "").id);
    let id = paid["notification"]["notification_id"]
        .as_str()
        .expect("a notification")
        .to_string();
    Target::new(
        format!("/notification/rest/v1/notifications/{id}{rest}"),
        id,
    )
}

/// A sandbox control endpoint's JSON answer; it must answer 200.
fn control(sandbox: &Sandbox, method: &str, path: &str) -> Value {
    let url = format!("{}{path}", sandbox.url());
    let agent = control_agent(&url);
    let answer = match method {
        "POST" => agent.post(&url).send_empty(),
        _ => agent.get(&url).call(),
    };
    let mut response = answer.expect("the sandbox answers");
    let text = response.body_mut().read_to_string().expect("a body");
    assert_eq!(response.status(), 200, "{method} {path}: {text}");
    serde_json::from_str(&text).expect("JSON")
}
