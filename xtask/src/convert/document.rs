//! The document around the schemas: info, paths, operations, parameters,
//! bodies, responses and components.

use serde_json::{json, Map, Value};

use super::event_streams::{event_stream_media, inline_event_envelopes};
use super::{fail, mapping, references, Converter, Dialect, Result, TARGET_VERSION};
use crate::codegen::responses::essence;
use crate::pointer::join;
use crate::report::Report;

/// The JSON Schema dialects whose meaning the converter knows: 2020-12, and
/// OpenAPI 3.1's base vocabulary on top of it.
const KNOWN_DIALECTS: [&str; 2] = [
    "https://spec.openapis.org/oas/3.1/dialect/base",
    "https://json-schema.org/draft/2020-12/schema",
];

pub(super) fn is_known_dialect(uri: &str) -> bool {
    KNOWN_DIALECTS
        .iter()
        .any(|known| uri.trim_end_matches('#') == *known)
        || uri.contains("json-schema.org/draft/2020-12")
}

/// Converts a whole document. `dialect_of` says, for the pointer of an
/// operation or a component, which version that part was written in (a merged
/// document can hold parts of both); 3.0 parts are validated and kept.
pub fn convert_document(
    doc: &Value,
    dialect_of: &dyn Fn(&str) -> Dialect,
) -> Result<(Value, Report)> {
    let mut doc = doc.clone();
    let (moved, unresolved) = references::resolve(&mut doc)?;
    inline_event_envelopes(&mut doc);
    let converter = Converter::new(dialect_of);
    // A refusal inside a schema moved to `components/schemas` (a `$defs`
    // entry) points where upstream has it, which the caller can leave out.
    let upstream = |mut error: super::ConvertError| {
        for m in &moved {
            let new = join("/components/schemas", &m.name);
            if let Some(rest) = error.pointer.strip_prefix(&new) {
                if rest.is_empty() || rest.starts_with('/') {
                    error.pointer = format!("{}{rest}", m.from);
                    break;
                }
            }
        }
        error
    };
    converter
        .report
        .borrow_mut()
        .moved
        .extend(moved.iter().cloned());
    converter.report.borrow_mut().unresolved.extend(unresolved);
    let out = converter.document(&doc).map_err(upstream)?;
    Ok((out, converter.into_report()))
}

impl Converter<'_> {
    fn document(&self, doc: &Value) -> Result<Value> {
        self.enter("");
        let mut out = Map::new();
        for (key, value) in mapping(doc, "")? {
            let at = join("", key);
            let converted = match key.as_str() {
                "openapi" => json!(TARGET_VERSION),
                "info" => self.info(value, &at)?,
                "servers" | "security" | "tags" | "externalDocs" => value.clone(),
                "paths" => self.map(value, &at, &|c, v, at| c.path_item(v, at))?,
                "components" => self.components(value, &at)?,
                k if k.starts_with("x-") => value.clone(),
                "webhooks" => {
                    self.only_31(&at, "`webhooks`")?;
                    self.dropped(
                        &at,
                        "webhooks are requests the vendor sends to us; the client never makes them",
                    );
                    continue;
                }
                "jsonSchemaDialect" => {
                    self.only_31(&at, "`jsonSchemaDialect`")?;
                    if !value.as_str().is_some_and(is_known_dialect) {
                        return fail(
                            &at,
                            format!("schemas in dialect {value} may mean something else than JSON Schema 2020-12"),
                        );
                    }
                    // The default dialect, said explicitly: nothing to keep.
                    continue;
                }
                _ => return fail(&at, format!("unknown top-level keyword `{key}`")),
            };
            out.insert(key.clone(), converted);
        }
        Ok(Value::Object(out))
    }

    fn info(&self, info: &Value, at: &str) -> Result<Value> {
        let mut out = mapping(info, at)?.clone();
        for key in out.keys() {
            match key.as_str() {
                "title" | "description" | "termsOfService" | "contact" | "version" | "license"
                | "summary" => {}
                k if k.starts_with("x-") => {}
                _ => return fail(&join(at, key), format!("unsupported info keyword `{key}`")),
            }
        }
        // 3.0 has no summary: it leads the description, where readers see it.
        if let Some(summary) = out.shift_remove("summary") {
            self.only_31(&join(at, "summary"), "`info.summary`")?;
            let summary = summary.as_str().unwrap_or_default();
            let description = match out.get("description").and_then(Value::as_str) {
                Some(d) => format!("{summary}\n\n{d}"),
                None => summary.to_string(),
            };
            out.insert("description".into(), json!(description));
        }
        if let Some(license) = out.get_mut("license").and_then(Value::as_object_mut) {
            // An SPDX identifier is what the SPDX page's URL names.
            if let Some(id) = license.shift_remove("identifier") {
                self.only_31(
                    &join(&join(at, "license"), "identifier"),
                    "`license.identifier`",
                )?;
                if !license.contains_key("url") {
                    let id = id.as_str().unwrap_or_default();
                    license.insert(
                        "url".into(),
                        json!(format!("https://spdx.org/licenses/{id}.html")),
                    );
                }
            }
        }
        Ok(Value::Object(out))
    }

    fn components(&self, components: &Value, at: &str) -> Result<Value> {
        let mut out = Map::new();
        for (section, entries) in mapping(components, at)? {
            let here = join(at, section);
            let each: &dyn Fn(&Self, &Value, &str) -> Result<Value> = match section.as_str() {
                "schemas" => &|c, v, at| {
                    c.enter(at);
                    c.schema(v, at)
                },
                "parameters" => &|c, v, at| {
                    c.enter(at);
                    c.parameter(v, at)
                },
                "responses" => &|c, v, at| {
                    c.enter(at);
                    c.response(v, at)
                },
                "requestBodies" => &|c, v, at| {
                    c.enter(at);
                    c.request_body(v, at)
                },
                "headers" => &|c, v, at| {
                    c.enter(at);
                    c.header(v, at)
                },
                "callbacks" => &|c, v, at| {
                    c.enter(at);
                    c.callback(v, at)
                },
                "securitySchemes" => &|c, v, at| c.security_scheme(v, at),
                "examples" | "links" => &|_, v, _| Ok(v.clone()),
                k if k.starts_with("x-") => &|_, v, _| Ok(v.clone()),
                _ => return fail(&here, format!("unsupported components section `{section}`")),
            };
            out.insert(section.clone(), self.map(entries, &here, each)?);
        }
        Ok(Value::Object(out))
    }

    fn security_scheme(&self, scheme: &Value, at: &str) -> Result<Value> {
        if scheme.get("type").and_then(Value::as_str) == Some("mutualTLS") {
            return fail(
                &join(at, "type"),
                "security scheme type `mutualTLS` is OpenAPI 3.1 only and the client has no client certificates",
            );
        }
        Ok(scheme.clone())
    }

    fn path_item(&self, item: &Value, at: &str) -> Result<Value> {
        let mut out = Map::new();
        for (key, value) in mapping(item, at)? {
            let here = join(at, key);
            let converted = match key.as_str() {
                "summary" | "description" | "servers" | "$ref" => value.clone(),
                "parameters" => {
                    self.enter(at);
                    self.list(value, &here, &|c, v, at| c.parameter(v, at))?
                }
                "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace" => {
                    self.enter(&here);
                    self.operation(value, &here)?
                }
                k if k.starts_with("x-") => value.clone(),
                _ => return fail(&here, format!("unsupported path item keyword `{key}`")),
            };
            out.insert(key.clone(), converted);
        }
        Ok(Value::Object(out))
    }

    fn callback(&self, callback: &Value, at: &str) -> Result<Value> {
        if callback.get("$ref").is_some() {
            return Ok(only_ref(callback));
        }
        self.map(callback, at, &|c, v, at| c.path_item(v, at))
    }

    fn operation(&self, operation: &Value, at: &str) -> Result<Value> {
        let mut out = Map::new();
        for (key, value) in mapping(operation, at)? {
            let here = join(at, key);
            let converted = match key.as_str() {
                "summary" | "description" | "operationId" | "tags" | "security" | "deprecated"
                | "servers" | "externalDocs" => value.clone(),
                "parameters" => self.list(value, &here, &|c, v, at| c.parameter(v, at))?,
                "requestBody" => self.request_body(value, &here)?,
                "responses" => self.map(value, &here, &|c, v, at| c.response(v, at))?,
                "callbacks" => self.map(value, &here, &|c, v, at| c.callback(v, at))?,
                k if k.starts_with("x-") => value.clone(),
                _ => return fail(&here, format!("unsupported operation keyword `{key}`")),
            };
            out.insert(key.clone(), converted);
        }
        Ok(Value::Object(out))
    }

    fn parameter(&self, parameter: &Value, at: &str) -> Result<Value> {
        self.fields(
            parameter,
            at,
            &[
                "name",
                "in",
                "description",
                "required",
                "deprecated",
                "allowEmptyValue",
                "style",
                "explode",
                "allowReserved",
                "example",
                "examples",
            ],
        )
    }

    fn header(&self, header: &Value, at: &str) -> Result<Value> {
        self.fields(
            header,
            at,
            &[
                "description",
                "required",
                "deprecated",
                "style",
                "explode",
                "example",
                "examples",
            ],
        )
    }

    fn request_body(&self, body: &Value, at: &str) -> Result<Value> {
        self.fields(body, at, &["description", "required"])
    }

    fn response(&self, response: &Value, at: &str) -> Result<Value> {
        self.fields(response, at, &["description", "links"])
    }

    /// Converts an object whose `schema`, `content` and `headers` hold schemas
    /// and whose other `allowed` fields mean the same in 3.0.
    fn fields(&self, value: &Value, at: &str, allowed: &[&str]) -> Result<Value> {
        // A reference object: 3.1 lets `summary` and `description` beside it
        // override the target's; they are documentation only, and 3.0 ignores
        // anything beside `$ref`, so the reference alone means the same.
        if value.get("$ref").is_some() {
            for key in mapping(value, at)?.keys() {
                if !matches!(key.as_str(), "$ref" | "summary" | "description") {
                    return fail(&join(at, key), format!("`{key}` beside `$ref`"));
                }
            }
            return Ok(only_ref(value));
        }
        let mut out = Map::new();
        for (key, field) in mapping(value, at)? {
            let here = join(at, key);
            let converted = match key.as_str() {
                "schema" => self.schema(field, &here)?,
                "content" => self.map(field, &here, &|c, v, at| c.media_type(v, at))?,
                "headers" => self.map(field, &here, &|c, v, at| c.header(v, at))?,
                k if allowed.contains(&k) || k.starts_with("x-") => field.clone(),
                _ => return fail(&here, format!("unsupported keyword `{key}`")),
            };
            out.insert(key.clone(), converted);
        }
        Ok(Value::Object(out))
    }

    fn media_type(&self, media: &Value, at: &str) -> Result<Value> {
        let content_type = crate::pointer::tokens(at)
            .last()
            .cloned()
            .unwrap_or_default();
        let allowed = ["example", "examples", "encoding"];
        if media.get("itemSchema").is_some() || essence(&content_type) == "text/event-stream" {
            let media = event_stream_media(mapping(media, at)?);
            return self.fields(&Value::Object(media), at, &allowed);
        }
        if !self.is_30() && essence(&content_type).starts_with("multipart/") {
            // Each part is its own body: a file part is raw bytes, as a
            // binary body is.
            let mut media = mapping(media, at)?.clone();
            if let Some(parts) = media
                .get_mut("schema")
                .and_then(|s| s.get_mut("properties"))
                .and_then(Value::as_object_mut)
            {
                for part in parts.values_mut() {
                    let is_file = part.get("contentMediaType").is_some();
                    if let Some(binary) = binary_body(part).filter(|_| is_file) {
                        *part = binary;
                    }
                }
            }
            return self.fields(&Value::Object(media), at, &allowed);
        }
        if !self.is_30() && is_binary(&content_type) {
            let mut media = mapping(media, at)?.clone();
            let schema = media.get("schema").cloned().unwrap_or(json!({}));
            if let Some(binary) = binary_body(&schema) {
                media.insert("schema".into(), binary);
            }
            return self.fields(&Value::Object(media), at, &allowed);
        }
        self.fields(media, at, &allowed)
    }
}

/// Content that is raw bytes on the wire rather than a JSON, text or form
/// document.
fn is_binary(content_type: &str) -> bool {
    let essence = essence(content_type);
    !(essence.contains("json")
        || essence.starts_with("text/")
        || essence.starts_with("multipart/")
        || essence == "application/x-www-form-urlencoded"
        || essence.ends_with("+xml")
        || essence == "application/xml")
}

/// In 3.1, raw bytes are a body without a schema, an empty schema, or a string
/// whose `contentMediaType` names the content; 3.0 says `format: binary`.
fn binary_body(schema: &Value) -> Option<Value> {
    let map = schema.as_object()?;
    let is_raw = map.is_empty()
        || (map.get("type") == Some(&json!("string"))
            && !map.contains_key("contentEncoding")
            && map.keys().all(|k| {
                matches!(
                    k.as_str(),
                    "type" | "contentMediaType" | "description" | "format"
                )
            }));
    is_raw.then(|| {
        let mut out = json!({"type": "string", "format": "binary"});
        if let Some(description) = map.get("description") {
            out["description"] = description.clone();
        }
        out
    })
}

fn only_ref(value: &Value) -> Value {
    json!({"$ref": value["$ref"]})
}
