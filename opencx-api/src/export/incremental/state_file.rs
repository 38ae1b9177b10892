//! `FILE.state.json`: the watermark an incremental export carries from one
//! completed run to the next, tagged so that no other file passes for it.

use std::io;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::Watermark;
use crate::export::atomic;

/// What the file holds, and the only shape it is read in.
const FORMAT: &str = "opencx-export-state/1";

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct State {
    /// [`FORMAT`]: a JSON file of anything else is refused, not taken for
    /// an empty state (which would export everything again).
    format: String,
    /// The export's criteria, as for its checkpoint.
    query: serde_json::Value,
    watermark: Watermark,
}

/// The watermark saved at `path` for the export of `query`; `None` when there
/// is no file.
///
/// # Errors
/// The file cannot be read, is not a state file of this format, or belongs
/// to an export of other criteria; each message names the file.
pub(crate) fn read(path: &Path, query: &serde_json::Value) -> io::Result<Option<Watermark>> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io::Error::new(e.kind(), format!("{}: {e}", path.display()))),
    };
    let invalid = |why: String| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{}: {why}", path.display()),
        )
    };
    // The tag first, so that another program's JSON is named as such.
    let tag = serde_json::from_slice::<serde_json::Value>(&bytes)
        .map_err(|e| invalid(format!("not an export state file (corrupt JSON: {e})")))?;
    if tag.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
        return Err(invalid(format!(
            "not an export state file (no \"format\": \"{FORMAT}\"); move it away or choose another output"
        )));
    }
    let state: State =
        serde_json::from_value(tag).map_err(|e| invalid(format!("a damaged export state: {e}")))?;
    if state.query != *query {
        return Err(invalid(format!(
            "the state of an export of {}; choose another output for {query}",
            state.query
        )));
    }
    Ok(Some(state.watermark))
}

/// Replaces the state at `path` with `watermark`, whole; nothing is written
/// when it already holds it.
pub(crate) fn write(
    path: &Path,
    query: &serde_json::Value,
    watermark: &Watermark,
) -> io::Result<()> {
    let state = State {
        format: FORMAT.to_string(),
        query: query.clone(),
        watermark: watermark.clone(),
    };
    let mut bytes = serde_json::to_vec_pretty(&state).map_err(io::Error::other)?;
    bytes.push(b'\n');
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(());
    }
    atomic::replace(path, &bytes)
        .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))
}
