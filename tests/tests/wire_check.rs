//! The wire check in CI, on a fixed part of `../shared/real-world/` that
//! fits its time: each document vendored and regenerated as a maintainer
//! would, then the contract tests regen wrote run against Prism serving it
//! (`opencx_tests::wire`). Every operation must pass, or fail by Prism's
//! own fault with its log line as evidence; none may be the client's or the
//! contract runtime's. The part holds every way of authenticating the
//! sample has (HTTP basic, an API key header beside basic, bearer, OAuth 2.0,
//! none), operations that answer only with a redirection, AWS's path
//! templates with fragments, and Prism answering what the document forbids.
//! The whole sample is `opencx-bench corpus ../shared/real-world --wire`
//! (`CORPUS.md`).

use opencx_tests::contract::Class;
use opencx_tests::corpus::{regenerate, scratch, shared};
use opencx_tests::wire::{self, Outcome};

const PART: &[&str] = &[
    "03-twilio.com_twilio_lookups_v2.json",
    "07-up.com.au.json",
    "08-amazonaws.com_discovery.json",
    "13-httpbin.org.json",
    "20-adyen.com_CheckoutService.json",
    "23-adyen.com_AccountService.json",
];

#[test]
fn every_operation_passes_against_prism_or_fails_by_prisms_own_fault() {
    let Some(prism) = opencx_tests::contract::prism_or_skip("the wire check") else {
        return;
    };
    let dir = scratch("wire-check");
    let mut problems = Vec::new();
    let (mut passed, mut prisms, mut total) = (0, 0, 0);
    for name in PART {
        let regenerated = regenerate(&dir.path, &shared("real-world").join(name));
        let report = wire::check(&regenerated.root, &prism, wire::WIRE_ROUNDS);
        assert!(
            report.error.is_none(),
            "{name}: no test ran: {}",
            report.error.unwrap_or_default()
        );
        assert_eq!(
            report.operations.len(),
            regenerated.generated,
            "{name}: every generated operation has a contract test"
        );
        total += report.operations.len();
        passed += report.passed();
        for operation in &report.operations {
            match &operation.outcome {
                Outcome::Passed => {}
                Outcome::Failed {
                    class: Class::Prism,
                    evidence: Some(_),
                    ..
                } => prisms += 1,
                Outcome::Failed {
                    class,
                    why,
                    evidence,
                } => problems.push(format!(
                    "{name}: {} [{class}] {why} {}",
                    operation.name,
                    evidence.as_deref().unwrap_or("(no evidence)")
                )),
            }
        }
    }
    eprintln!("{passed} of {total} operations passed; {prisms} failed by Prism's own fault");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(passed > total / 2, "{passed} of {total} passed");
}
