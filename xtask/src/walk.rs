//! Walking a document's objects without mistaking a name for a keyword: in a
//! schema's `properties` (and every other map of names: components,
//! responses by status, content by media type, headers...) the keys are
//! names a document chooses, so a property called `format`, `pattern` or
//! `default` is a schema to visit, never the keyword of that name (Telnyx's
//! `StartRecordingRequest` has a property `format`, which a walk reading the
//! map as a schema took for the keyword and dropped). Values that are data
//! (`enum`, `example`, `default`...) are not walked.

use serde_json::{Map, Value};

use crate::pointer::join;

/// Keys whose value maps names to objects, in a schema or elsewhere in a
/// document: the map itself is no schema.
const NAME_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "dependentSchemas",
    "definitions",
    "$defs",
    "schemas",
    "responses",
    "parameters",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
    "pathItems",
    "paths",
    "content",
    "encoding",
    "variables",
    "mapping",
];

/// Keys whose values are data, not schemas.
const DATA: &[&str] = &["enum", "example", "examples", "default", "const"];

/// Calls `visit` on each object or list below `map` (at pointer `at`) that a
/// walk looks into: a keyword's value, or each entry of a map of names; with
/// its pointer.
pub fn children_mut(
    map: &mut Map<String, Value>,
    at: &str,
    mut visit: impl FnMut(&mut Value, String),
) {
    for (key, child) in map.iter_mut() {
        if DATA.contains(&key.as_str()) {
            continue;
        }
        let here = join(at, key);
        match child {
            Value::Object(named) if NAME_MAPS.contains(&key.as_str()) => {
                for (name, value) in named.iter_mut() {
                    visit(value, join(&here, name));
                }
            }
            child => visit(child, here),
        }
    }
}

/// [`children_mut`], reading.
pub fn children(map: &Map<String, Value>, at: &str, mut visit: impl FnMut(&Value, String)) {
    for (key, child) in map {
        if DATA.contains(&key.as_str()) {
            continue;
        }
        let here = join(at, key);
        match child {
            Value::Object(named) if NAME_MAPS.contains(&key.as_str()) => {
                for (name, value) in named {
                    visit(value, join(&here, name));
                }
            }
            child => visit(child, here),
        }
    }
}
