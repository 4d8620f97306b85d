//! Every call of every API under every fault the sandbox can queue, over
//! HTTPS: nothing is lost, nothing is done twice.
//!
//! Two tables: the calls ([`flows::CALLS`]: method, path, whether a call
//! may be repeated, what its answer carries) and the faults ([`Case`]:
//! what each does, the error a call gets from it, whether the server may
//! have acted, whether a call that is safe to repeat tries again). Each
//! test queues one fault and runs every call against it, each call in a
//! sandbox of its own, all at once; it then checks the outcome, how many
//! requests reached the API (a POST that may have acted: exactly one),
//! and that the caller waited no longer than its deadline.
//!
//! `transport.rs` proves the transport's rules against raw loopback
//! servers; this file proves each flow keeps them.

#[allow(dead_code)]
mod common;
#[allow(dead_code)]
#[path = "common/flows.rs"]
mod flows;

use flows::{Answer, Api, Call, Clients, Repeat, CALLS};
use sequra::{Connection, Error, ErrorKind};
use sequra_sandbox::{Fault, FaultKind, Sandbox, When};
use std::time::{Duration, Instant};

/// The deadline of every faulted call.
const TIMEOUT: Duration = Duration::from_secs(2);
/// How long a stalled answer is held: past the deadline.
const HOLD_MS: u64 = 2_500;
/// A correctness bound on the caller's wait, not a speed test.
const SLACK: Duration = Duration::from_millis(1_500);
/// What the transport makes of a Retry-After it believes no further.
const MAX_RETRY_AFTER: u64 = 24 * 60 * 60;

/// One fault, and what it does to a call.
struct Case {
    kind: FaultKind,
    when: When,
    /// How many answers in a row it takes.
    times: u32,
    /// The error of a call it fails.
    error: ErrorKind,
    /// What that error says of the server.
    may_have_acted: bool,
    /// Whether a call that is safe to repeat tries again after it (and
    /// succeeds once the fault clears).
    retried: bool,
    /// The calls it does not fail at all, by what they answer.
    harmless_for: &'static [Answer],
    /// Words the error's message holds.
    says: &'static str,
    /// Words it holds for a call of each API.
    says_for: fn(Api) -> &'static str,
    /// The `retry_after` a rate-limited error reports.
    retry_after: Option<u64>,
}

impl Case {
    fn new(kind: FaultKind, when: When, error: ErrorKind) -> Case {
        Case {
            kind,
            when,
            times: 1,
            error,
            may_have_acted: when == When::After,
            retried: false,
            harmless_for: &[],
            says: "",
            says_for: |_| "",
            retry_after: None,
        }
    }

    /// The server acted, then the answer was lost.
    fn after(kind: FaultKind, error: ErrorKind) -> Case {
        Case::new(kind, When::After, error)
    }

    /// The server never saw the request.
    fn before(kind: FaultKind, error: ErrorKind) -> Case {
        Case::new(kind, When::Before, error)
    }

    fn retried(self) -> Case {
        Case {
            retried: true,
            ..self
        }
    }

    fn times(self, times: u32) -> Case {
        Case { times, ..self }
    }

    fn harmless_for(self, answers: &'static [Answer]) -> Case {
        Case {
            harmless_for: answers,
            ..self
        }
    }

    fn says(self, says: &'static str) -> Case {
        Case { says, ..self }
    }

    fn says_for(self, says_for: fn(Api) -> &'static str) -> Case {
        Case { says_for, ..self }
    }

    /// The client cannot tell that the server never saw the request (a
    /// redirect from a balancer in front of the API, say).
    fn may_have_acted_for_all_the_client_knows(self) -> Case {
        Case {
            may_have_acted: true,
            ..self
        }
    }

    fn retry_after(self, seconds: u64) -> Case {
        Case {
            retry_after: Some(seconds),
            ..self
        }
    }
}

fn status(status: u16) -> FaultKind {
    FaultKind::Status { status, body: None }
}

fn rate_limited(retry_after: &str) -> FaultKind {
    FaultKind::RateLimited {
        retry_after: Some(retry_after.to_string()),
    }
}

/// What a call should make of a case.
#[derive(Debug, PartialEq)]
struct Expected {
    /// `None`: success; else the error's kind and `may_have_acted`.
    error: Option<(ErrorKind, bool)>,
    /// Requests that reached the API (a `before` fault takes its own).
    reached: u64,
    /// Faulted answers still queued: every try met the fault until it
    /// cleared, and no other request took it.
    left: u32,
}

/// The transport's limit on tries.
const MAX_TRIES: u32 = 3;

fn expected(case: &Case, call: &Call) -> Expected {
    if case.harmless_for.contains(&call.answer) {
        return Expected {
            error: None,
            reached: 1,
            left: case.times - 1,
        };
    }
    let repeats = case.retried && call.repeat != Repeat::Never;
    let tries = if repeats {
        (case.times + 1).min(MAX_TRIES)
    } else {
        1
    };
    let faulted = tries.min(case.times);
    let succeeds = tries > faulted;
    let reached = match case.when {
        When::Before => u64::from(succeeds),
        _ => u64::from(tries),
    };
    Expected {
        error: (!succeeds).then_some((case.error, case.may_have_acted)),
        reached,
        left: case.times - faulted,
    }
}

/// Queues `case` for every call, each in a sandbox of its own, all at
/// once; fails with every call that did not do as expected.
fn check(case: Case) {
    let label = format!("{:?} {:?}", case.kind, case.when);
    flows::each(CALLS.iter(), &label, |call| check_call(&case, call));
}

fn check_call(case: &Case, call: &Call) -> Result<(), String> {
    let sandbox = common::sandbox();
    let target = call.prepare(&sandbox, &Clients::of(&sandbox));
    let clients = Clients::new(&sandbox, impatient(&sandbox));
    let before = Counts::of(&sandbox, call, &target.path);
    sandbox
        .queue_fault(
            Fault::new(call.method, &target.path, case.kind.clone())
                .when(case.when)
                .times(case.times),
        )
        .map_err(|e| e.to_string())?;
    let started = Instant::now();
    let outcome = call.run(&clients, &target);
    let waited = started.elapsed();
    let after = Counts::of(&sandbox, call, &target.path);
    let want = expected(case, call);
    let got = Expected {
        error: outcome
            .as_ref()
            .err()
            .map(|e| (e.kind(), e.may_have_acted())),
        reached: after.reached - before.reached,
        left: sandbox.pending_faults().iter().map(|f| f.count).sum(),
    };
    let shown = match &outcome {
        Ok(()) => "Ok".to_string(),
        Err(e) => e.to_string(),
    };
    if got != want {
        return Err(format!("expected {want:?}, got {got:?}: {shown}"));
    }
    if waited >= TIMEOUT + SLACK {
        return Err(format!("the caller waited {waited:?}: {shown}"));
    }
    if let Err(error) = &outcome {
        check_error(case, call, error)?;
    }
    // An idempotency key makes one setup (or payment) of every try that
    // reached the API.
    if call.repeat == Repeat::SameKey {
        let made = (after.made.0 - before.made.0) + (after.made.1 - before.made.1);
        if made != want.reached.min(1) {
            return Err(format!("made {made} setups and payments: {shown}"));
        }
    }
    Ok(())
}

fn check_error(case: &Case, call: &Call, error: &Error) -> Result<(), String> {
    let text = error.to_string();
    for says in [case.says, (case.says_for)(call.api)] {
        if !text.contains(says) {
            return Err(format!("the message does not say {says:?}: {text}"));
        }
    }
    // ureq's own words for a timeout name none of the options.
    if text.contains("(timeout: ") {
        return Err(format!(
            "the message has ureq's words for a timeout: {text}"
        ));
    }
    if error.may_have_acted() && !(text.contains("may have") || text.contains("exists")) {
        return Err(format!(
            "the message does not say the server may have acted: {text}"
        ));
    }
    // A connection that failed once the answer's head came keeps its
    // status (a 200 cut short: the server acted); before it, there is none.
    let head_came = matches!(
        case.kind,
        FaultKind::TruncatedBody | FaultKind::HeadersThenStall { .. }
    );
    if error.kind() == ErrorKind::Transport && error.status().is_some() != head_came {
        return Err(format!("the status is {:?}: {text}", error.status()));
    }
    if error.kind() == ErrorKind::RateLimited && error.retry_after() != case.retry_after {
        return Err(format!(
            "retry_after is {:?}, not {:?}: {text}",
            error.retry_after(),
            case.retry_after
        ));
    }
    Ok(())
}

/// A connection with the short deadline of these tests.
fn impatient(sandbox: &Sandbox) -> Connection {
    Connection {
        timeout: TIMEOUT,
        ..common::connection(sandbox.url())
    }
}

/// What the sandbox counted.
struct Counts {
    /// Requests of the call's route that reached the API.
    reached: u64,
    /// checkout.com's setups and payments.
    made: (u64, u64),
}

impl Counts {
    fn of(sandbox: &Sandbox, call: &Call, path: &str) -> Counts {
        Counts {
            reached: sandbox.requests(call.method, path),
            made: if call.repeat == Repeat::SameKey {
                flows::setups_and_payments(sandbox)
            } else {
                (0, 0)
            },
        }
    }
}

// --- The server acted, then the answer was lost -------------------------

#[test]
fn a_reset_after_the_server_acted_is_retried_only_when_safe_and_a_post_is_sent_once() {
    check(
        Case::after(FaultKind::Reset, ErrorKind::Transport)
            .retried()
            .says("may have received the request"),
    );
}

#[test]
fn a_truncated_body_is_retried_only_when_safe_and_a_post_is_sent_once() {
    check(
        Case::after(FaultKind::TruncatedBody, ErrorKind::Transport)
            .retried()
            .says("reading the body failed"),
    );
}

#[test]
fn headers_then_silence_is_a_timeout_at_the_deadline_unless_the_answer_was_complete() {
    check(
        Case::after(
            FaultKind::HeadersThenStall { ms: HOLD_MS },
            ErrorKind::Transport,
        )
        // A 204's headers are the whole answer.
        .harmless_for(&[Answer::Location, Answer::Nothing])
        .says("the timeout option"),
    );
}

#[test]
fn no_answer_is_a_timeout_at_the_deadline_that_may_have_acted() {
    check(
        Case::after(FaultKind::Stall { ms: HOLD_MS }, ErrorKind::Transport)
            .says("the timeout option"),
    );
}

/// Valid credentials that may not make the call: what to check is what
/// the API's client has (a merchant id is seQura's alone).
#[test]
fn a_403_says_what_the_apis_client_should_check() {
    check(
        Case::before(status(403), ErrorKind::Forbidden).says_for(|api| match api {
            Api::Orders | Api::Pos => "check that the merchant id matches the credentials",
            Api::CheckoutCom => "the secret key, or the OAuth client's scope, allows this call",
            Api::Paysera => "belongs to the project of the MAC id",
        }),
    );
}

#[test]
fn a_500_is_a_server_error_never_retried() {
    check(Case::after(status(500), ErrorKind::Server).says("500"));
}

#[test]
fn a_502_is_retried_only_when_safe() {
    check(Case::after(status(502), ErrorKind::Server).retried());
}

#[test]
fn a_503_is_retried_only_when_safe() {
    check(Case::after(status(503), ErrorKind::Server).retried());
}

#[test]
fn a_504_is_retried_only_when_safe() {
    check(Case::after(status(504), ErrorKind::Server).retried());
}

#[test]
fn a_503_that_does_not_clear_is_a_server_error_after_three_tries_within_the_deadline() {
    check(
        Case::after(status(503), ErrorKind::Server)
            .retried()
            .times(MAX_TRIES),
    );
}

#[test]
fn invalid_json_is_an_unexpected_response_where_the_body_is_read() {
    check(
        Case::after(FaultKind::InvalidJson, ErrorKind::UnexpectedResponse)
            .harmless_for(&[Answer::Unread, Answer::Nothing]),
    );
}

#[test]
fn a_huge_body_is_an_unexpected_response_refused_unread() {
    check(
        Case::after(
            FaultKind::HugeBody { bytes: 50_000_000 },
            ErrorKind::UnexpectedResponse,
        )
        .says("it was not read"),
    );
}

// --- The server refused, or never saw the request ----------------------

#[test]
fn a_429_whose_retry_after_fits_is_waited_and_retried_only_when_safe() {
    check(
        Case::before(rate_limited("1"), ErrorKind::RateLimited)
            .retried()
            .retry_after(1),
    );
}

#[test]
fn a_429_whose_retry_after_is_past_any_deadline_comes_back_at_once_capped() {
    for retry_after in ["18446744073709551615", "Fri, 31 Dec 9999 23:59:59 GMT"] {
        check(
            Case::before(rate_limited(retry_after), ErrorKind::RateLimited)
                .retry_after(MAX_RETRY_AFTER),
        );
    }
}

#[test]
fn a_429_whose_retry_after_is_garbage_is_retried_after_the_backoff_only_when_safe() {
    check(Case::before(rate_limited("soon"), ErrorKind::RateLimited).retried());
}

#[test]
fn a_redirect_is_an_unexpected_response_never_followed() {
    check(
        Case::before(
            // To the same URL: a client that followed it would reach the API.
            FaultKind::Redirect { location: None },
            ErrorKind::UnexpectedResponse,
        )
        // A 302 says nothing of what the API behind it did.
        .may_have_acted_for_all_the_client_knows()
        .says("302"),
    );
}

// --- Several faults in a row ---------------------------------------------

#[test]
fn a_refusal_after_a_try_that_may_have_acted_still_says_the_server_may_have_acted() {
    // A PUT meets a 503 after the server acted, then a 429 it cannot wait
    // for: the 429 says nothing was done, but the first try may have.
    let acts = CALLS
        .iter()
        .filter(|call| call.repeat == Repeat::Safe && call.method != "GET");
    flows::each(acts, "503 after, then 429", |call| {
        let sandbox = common::sandbox();
        let target = call.prepare(&sandbox, &Clients::of(&sandbox));
        let clients = Clients::new(&sandbox, impatient(&sandbox));
        for fault in [
            Fault::new(call.method, &target.path, status(503)).after(),
            Fault::new(call.method, &target.path, rate_limited("3600")),
        ] {
            sandbox.queue_fault(fault).map_err(|e| e.to_string())?;
        }
        let err = call.run(&clients, &target).err().ok_or("it succeeded")?;
        if err.kind() != ErrorKind::Server || !err.may_have_acted() {
            return Err(format!("{:?}: {err}", err.kind()));
        }
        Ok(())
    });
}

// --- A server that echoes the credentials --------------------------------

/// A server, or a gateway in front of it, that echoes what it was sent in an
/// answer the call refuses (as the body, inside the API's error list, as a
/// value where the call wants another type, as plain text): whatever the
/// call's error shows, in its message, details or Debug, holds none of the
/// credentials, in any of the ways a server writes them.
#[test]
fn credentials_a_server_echoes_never_reach_an_error() {
    use base64::Engine;
    use sequra_sandbox::{
        CHECKOUT_COM_SECRET_KEY, DEFAULT_PASSWORD, DEFAULT_USERNAME, PAYSERA_MAC_SECRET,
    };
    let basic = base64::engine::general_purpose::STANDARD
        .encode(format!("{DEFAULT_USERNAME}:{DEFAULT_PASSWORD}"));
    // Each client masks what it was given, and echoed are all of them.
    let secrets_of = |api: Api| match api {
        Api::Orders | Api::Pos => vec![DEFAULT_PASSWORD, basic.as_str()],
        Api::CheckoutCom => vec![CHECKOUT_COM_SECRET_KEY],
        Api::Paysera => vec![PAYSERA_MAC_SECRET],
    };
    let all = [
        DEFAULT_PASSWORD,
        &basic,
        CHECKOUT_COM_SECRET_KEY,
        PAYSERA_MAC_SECRET,
    ];
    let echoed = format!("you sent {}", all.join(" and "));
    let json = serde_json::to_string(&echoed).unwrap();
    let answers = [
        // A JSON string where every call wants an object: serde's message
        // quotes it.
        (200, json.clone()),
        (
            200,
            format!(r#"{{"success": false, "message": {json}, "errors": {json}}}"#),
        ),
        (
            409,
            format!(r#"{{"errors": [{json}], "error_type": {json}}}"#),
        ),
        (500, echoed.clone()),
    ];
    flows::each(CALLS.iter(), "credentials echoed", |call| {
        let sandbox = common::sandbox();
        let target = call.prepare(&sandbox, &Clients::of(&sandbox));
        let clients = Clients::new(&sandbox, impatient(&sandbox));
        for (status, body) in &answers {
            let fault = FaultKind::Status {
                status: *status,
                body: Some(body.clone()),
            };
            sandbox
                .queue_fault(Fault::new(call.method, &target.path, fault))
                .map_err(|e| e.to_string())?;
            let Err(error) = call.run(&clients, &target) else {
                continue;
            };
            let shown = format!("{error} {} {error:?}", error.details());
            if let Some(secret) = secrets_of(call.api).iter().find(|s| shown.contains(**s)) {
                return Err(format!("{status} {body}: shows {secret}: {shown}"));
            }
        }
        Ok(())
    });
}
