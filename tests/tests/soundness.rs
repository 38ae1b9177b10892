//! Generated code that compiles but means something else, or does not
//! compile: one fixture document (`tests/fixtures/soundness/api.yaml`) holds
//! a construct after each public bug report against progenitor and typify.
//! It goes through `vendor` and `regen` in a scratch workspace; the client
//! compiles, and `tests/fixtures/soundness/meaning.rs`, compiled against it,
//! shows with serde round trips and a local server that each decodes and
//! sends what the document means. Where no sound type exists (`allOf`
//! branches no value satisfies), regen refuses it with the pointer; where
//! branches only redefine a property, they are merged and the property is
//! any value, with a warning.

use std::path::PathBuf;

use opencx_tests::generated_crate::Fixture;
use opencx_tests::workspace_root;

fn fixture(name: &str) -> PathBuf {
    workspace_root().join("tests/fixtures/soundness").join(name)
}

#[test]
fn the_soundness_fixture_regenerates_into_a_client_that_means_what_the_document_says() {
    let regenerated = Fixture::regenerate(&fixture("api.yaml"));
    let (root, err) = (regenerated.root(), &regenerated.regen_stderr);
    // 5. `allOf` branches that redefine `kind` with a disjoint enum (a
    // subclass's override): merged, `kind` any value, with a warning; and
    // branches no value satisfies at all (`string` and `integer`): no sound
    // type, so the schema and the operation using it are left out, with the
    // pointer.
    let warnings: Vec<&str> = err.lines().filter(|l| l.starts_with("warning: ")).collect();
    assert_eq!(warnings.len(), 3, "{err}");
    assert!(
        warnings[0].starts_with(
            "warning: specs/api.yaml#/components/schemas/WidgetEvent/allOf: its `allOf` \
             branches give property `kind` enums [\"created\",\"updated\"] and [\"deleted\"], \
             which no value satisfies (a redefinition, as in a subclass): the branches are \
             merged into one object and `kind` is read and sent as any JSON"
        ),
        "{err}"
    );
    assert!(
        warnings[1].starts_with(
            "warning: specs/api.yaml#/components/schemas/Reading/allOf: schema Reading is left \
         out of the generated client: its `allOf` branches allow no value in common (types \
         {\"string\"} and {\"integer\"})"
        ),
        "{err}"
    );
    assert!(
        warnings[2].starts_with(
            "warning: specs/api.yaml#/components/schemas/Reading/allOf: GET /readings \
         (listReadings) is left out of the generated client: it uses \
         `#/components/schemas/Reading`"
        ),
        "{err}"
    );
    let report = std::fs::read_to_string(root.join("opencx-api/CONVERSION.md")).unwrap();
    for line in [
        "| `Account` | `AccountInput` |",
        "| `GET /things/new` | `new_operation` | `new` is a method of `Client` itself |",
        "| `GET /things/b` | `get_thing_2` | `get_thing` is already the method of GET /things/a |",
        "| `specs/api.yaml#/components/schemas/Widget/properties/part` | `WidgetPart2` |",
        "| `Reading` | `specs/api.yaml#/components/schemas/Reading/allOf` |",
    ] {
        assert!(report.contains(line), "{line:?} missing from:\n{report}");
    }
    let output = regenerated
        .test(&[fixture("meaning.rs")])
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(output.contains("test result: ok. 9 passed"), "{output}");
}
