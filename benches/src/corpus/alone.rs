//! progenitor alone on a document: what a maintainer without this pipeline
//! gets (progenitor 0.15.1, the builder interface, default settings), in
//! this process and profile, so the times compare with the pipeline's.

use std::panic::{self, AssertUnwindSafe};
use std::time::Instant;

use progenitor::{GenerationSettings, Generator, InterfaceStyle};

/// What progenitor made of a document.
#[derive(Clone, Debug)]
pub enum Outcome {
    /// It wrote a client: its formatted source.
    Generated(String),
    /// It returned an error (or `openapiv3` could not read the document).
    Refused(String),
    /// It panicked, with this message.
    Panicked(String),
}

/// One document through progenitor alone, and how long it took (seconds).
pub fn generate(text: &str, is_json: bool) -> (Outcome, f64) {
    let started = Instant::now();
    let spec: Result<openapiv3::OpenAPI, String> = if is_json {
        serde_json::from_str(text).map_err(|e| e.to_string())
    } else {
        serde_yaml::from_str(text).map_err(|e| e.to_string())
    };
    let spec = match spec {
        Ok(spec) => spec,
        Err(e) => {
            return (
                Outcome::Refused(format!("openapiv3 cannot read it: {}", one_line(&e))),
                started.elapsed().as_secs_f64(),
            )
        }
    };
    // progenitor's panics are its answer here, not a failure of the bench.
    let previous = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    let result = panic::catch_unwind(AssertUnwindSafe(|| {
        let mut settings = GenerationSettings::new();
        settings.with_interface(InterfaceStyle::Builder);
        let tokens = Generator::new(&settings)
            .generate_tokens(&spec)
            .map_err(|e| e.to_string())?;
        let file: syn::File = syn::parse2(tokens).map_err(|e| e.to_string())?;
        Ok::<String, String>(prettyplease::unparse(&file))
    }));
    panic::set_hook(previous);
    let outcome = match result {
        Ok(Ok(code)) => Outcome::Generated(code),
        Ok(Err(e)) => Outcome::Refused(one_line(&e)),
        Err(payload) => Outcome::Panicked(one_line(
            &payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic without a message".into()),
        )),
    };
    (outcome, started.elapsed().as_secs_f64())
}

/// A message on one line, cut to a table cell's length.
pub fn one_line(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() > 90 {
        line.chars().take(90).collect::<String>() + "…"
    } else {
        line
    }
}

/// The manifest of a crate around progenitor's output: what its code
/// names, at the versions the workspace's lock file pins. `base64` and
/// `rand` are named by what progenitor writes for some documents (byte
/// strings, and the websocket key of Nexus's websocket operations), not by
/// every client.
pub fn manifest(name: &str) -> String {
    format!(
        "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\n\
         base64 = \"0.23\"\n\
         rand = \"0.10\"\n\
         bytes = \"1\"\n\
         chrono.workspace = true\n\
         futures.workspace = true\n\
         progenitor-client.workspace = true\n\
         regress.workspace = true\n\
         reqwest.workspace = true\n\
         serde.workspace = true\n\
         serde_json.workspace = true\n\
         uuid.workspace = true\n"
    )
}
