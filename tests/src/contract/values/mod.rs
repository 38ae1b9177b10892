//! Schema-valid request inputs, drawn with a seeded generator: enums, bounds,
//! formats (`formats.rs`), patterns (`patterns.rs`), optional properties
//! present or not, `null` where nullable, lists of varied length, `allOf`
//! parts merged.

mod formats;
mod patterns;

use serde_json::{json, Map, Value};

/// A small deterministic generator (SplitMix64): the same seed draws the same
/// inputs on every machine.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..=hi`.
    pub fn between(&mut self, lo: i128, hi: i128) -> i128 {
        let span = (hi - lo) as u128 + 1;
        let draw = ((self.next_u64() as u128) << 64 | self.next_u64() as u128) % span.max(1);
        lo + draw as i128
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.between(0, items.len() as i128 - 1) as usize]
    }
}

/// The largest integer every JSON reader holds exactly, 2^53 - 1.
const MAX_SAFE: i128 = 9_007_199_254_740_991;

/// Characters that take a path or query encoder's every branch.
const SPECIAL: &[char] = &[
    ' ', '-', '_', '.', '~', '/', '?', '#', '%', '&', '+', '=', ':', '@', '!', '$', '\'', '(', ')',
    '*', ',', ';', '[', ']', '"', '\\', 'é', '日', '🙂',
];
/// Those of them a header or cookie value can carry.
const HEADER_SPECIAL: &[char] = &[
    '-', '_', '.', '~', '/', '?', '#', '%', '&', '+', '=', ':', '@', '!', '$', '\'', '(', ')', '*',
    '[', ']', '"', '\\',
];
const PLAIN: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/// Where a drawn string goes, which narrows the characters it may hold
/// beyond what its schema says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Text {
    /// A body or a path segment: any text (the client encodes it).
    Any,
    /// A query parameter: not empty, which OpenAPI forbids unless the
    /// parameter says `allowEmptyValue` (Prism reads `?a=` as no `a`).
    Query,
    /// A header: visible ASCII, not empty, no space at either end (RFC
    /// 9110 field values: a parser trims the ends, and other characters
    /// cannot be sent).
    Header,
    /// A cookie: as a header, and without `;` or `,`, which split cookies.
    Cookie,
}

impl Text {
    /// The mode of an operation's parameter, by its `in` and `allowEmptyValue`.
    pub fn of_parameter(parameter: &Value) -> Self {
        match parameter["in"].as_str() {
            Some("header") => Text::Header,
            Some("cookie") => Text::Cookie,
            Some("query") if parameter["allowEmptyValue"] != Value::Bool(true) => Text::Query,
            _ => Text::Any,
        }
    }
}

/// Draws values from the schemas of one document.
pub struct Draw<'d> {
    doc: &'d Value,
    rng: Rng,
    text: Text,
    /// How many schemas deep the value being drawn is.
    depth: usize,
    /// Whether the value is a request body, which leaves `readOnly`
    /// properties out (OpenAPI: they are never sent).
    request: bool,
}

/// The discriminator's property and the tag that names `branch` (a `$ref`)
/// in `union`: its `mapping` entry, else its component's name.
fn discriminator_tag(union: &Value, branch: &Value) -> Option<(String, String)> {
    let discriminator = union.get("discriminator")?;
    let property = discriminator.get("propertyName")?.as_str()?.to_string();
    let target = branch.get("$ref")?.as_str()?;
    let mapped = discriminator
        .get("mapping")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .find(|(_, t)| t.as_str().map(mapping_target) == Some(target.to_string()))
        .map(|(tag, _)| tag.clone());
    let tag = mapped.unwrap_or_else(|| target.rsplit('/').next().unwrap_or_default().to_string());
    Some((property, tag))
}

/// A discriminator `mapping` value as a `$ref`: a bare schema name
/// (`Http`) names `#/components/schemas/Http`.
pub(crate) fn mapping_target(value: &str) -> String {
    match value.contains('#') || value.contains('/') {
        true => value.to_string(),
        false => format!("#/components/schemas/{value}"),
    }
}

/// Keywords that describe a schema without constraining its values.
const ANNOTATIONS: &[&str] = &[
    "description",
    "title",
    "example",
    "examples",
    "deprecated",
    "externalDocs",
    "xml",
    "$comment",
    "discriminator",
];

/// Past this depth a value holds only what its schema requires (optional
/// properties left out, lists as short as allowed, `null` where allowed), so
/// a recursive schema (a tree, a commit and its parents) draws a finite value.
const DEEP: usize = 6;
/// A value this deep means required properties recurse without end.
const TOO_DEEP: usize = 64;

impl<'d> Draw<'d> {
    /// Draws from `doc`'s schemas with a generator seeded by `seed`.
    pub fn new(doc: &'d Value, seed: u64) -> Self {
        Self {
            doc,
            rng: Rng::new(seed),
            text: Text::Any,
            depth: 0,
            request: false,
        }
    }

    /// A request body of `schema`: no `readOnly` property.
    pub fn request(&mut self, schema: &Value, at: &str) -> Value {
        self.request = true;
        let value = self.value(schema, at);
        self.request = false;
        value
    }

    /// A value of a parameter `schema`, whose strings keep to `text`.
    pub fn parameter(&mut self, schema: &Value, at: &str, text: Text) -> Value {
        self.text = text;
        let value = self.value(schema, at);
        self.text = Text::Any;
        value
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.rng.chance(percent)
    }

    /// A value `schema` accepts. `at` names the schema in a panic when no rule
    /// here covers it: a new construct needs a rule, not a silent guess.
    pub fn value(&mut self, schema: &Value, at: &str) -> Value {
        if self.depth > TOO_DEEP {
            panic!("{at}: required properties recurse without end ({TOO_DEEP} schemas deep)");
        }
        self.depth += 1;
        let value = self.value_here(schema, at);
        self.depth -= 1;
        value
    }

    /// Whether `schema` (its `$ref`s followed) is a scalar, or a list of
    /// scalars: what a parameter's field can spell.
    fn scalar(&self, schema: &Value) -> bool {
        let mut schema = schema;
        for _ in 0..64 {
            match schema
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| self.doc.pointer(r.strip_prefix('#').unwrap_or(r)))
            {
                Some(target) => schema = target,
                None => break,
            }
        }
        let structured = |s: &Value| {
            matches!(s["type"].as_str(), Some("object"))
                || [
                    "properties",
                    "additionalProperties",
                    "allOf",
                    "oneOf",
                    "anyOf",
                ]
                .iter()
                .any(|k| s.get(*k).is_some())
        };
        match schema["type"].as_str() {
            Some("array") => !structured(&schema["items"]) && schema["items"].get("$ref").is_none(),
            _ => !structured(schema),
        }
    }

    /// Whether the value being drawn is past [`DEEP`].
    fn deep(&self) -> bool {
        self.depth > DEEP
    }

    fn value_here(&mut self, schema: &Value, at: &str) -> Value {
        // JSON Schema's boolean schemas (3.1): `true` is any value.
        let schema = match schema {
            Value::Bool(true) => return json!(self.word(0, 8)),
            Value::Bool(false) => panic!("{at}: the schema `false` allows no value"),
            schema => schema,
        };
        if let Some(target) = schema.get("$ref").and_then(Value::as_str) {
            let pointer = target.strip_prefix('#').unwrap_or(target);
            let resolved = self
                .doc
                .pointer(pointer)
                .unwrap_or_else(|| panic!("{at}: no {target}"));
            // 3.1 keeps keywords beside a `$ref`: both apply.
            let siblings = schema.as_object().is_some_and(|m| {
                m.keys()
                    .any(|k| k != "$ref" && !ANNOTATIONS.contains(&k.as_str()))
            });
            if siblings {
                let mut rest = schema.clone();
                rest.as_object_mut().expect("an object").remove("$ref");
                return self.value(&json!({"allOf": [resolved.clone(), rest]}), target);
            }
            return self.value(resolved, target);
        }
        if let Some(constant) = schema.get("const") {
            return constant.clone();
        }
        if schema.get("nullable") == Some(&Value::Bool(true))
            && (self.deep() || self.rng.chance(15))
        {
            return Value::Null;
        }
        if let Some(values) = schema.get("enum").and_then(Value::as_array) {
            return self.rng.pick(values).clone();
        }
        // 3.1's type lists: one of the types, `null` now and then.
        if let Some(types) = schema.get("type").and_then(Value::as_array) {
            let others: Vec<Value> = types.iter().filter(|t| *t != "null").cloned().collect();
            let nullable = others.len() < types.len();
            if others.is_empty() || (nullable && (self.deep() || self.rng.chance(15))) {
                return Value::Null;
            }
            let mut one = schema.clone();
            one["type"] = self.rng.pick(&others).clone();
            return self.value(&one, at);
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(variants) = schema.get(key).and_then(Value::as_array) {
                let variant = self.rng.pick(variants).clone();
                // Keywords beside the branches apply to each: the branch and
                // the rest together.
                let mut rest = schema.clone();
                let map = rest.as_object_mut().expect("an object");
                map.remove(key);
                let siblings = map.keys().any(|k| !ANNOTATIONS.contains(&k.as_str()));
                let tag = discriminator_tag(schema, &variant);
                let chosen = match siblings {
                    true => json!({"allOf": [rest, variant]}),
                    false => variant,
                };
                let mut value = self.value(&chosen, &format!("{at}/{key}"));
                // A discriminated union's value carries the tag that names
                // its branch.
                if let (Some((property, tag)), Value::Object(map)) = (tag, &mut value) {
                    map.insert(property, Value::String(tag));
                }
                return value;
            }
        }
        if schema.get("allOf").is_some() {
            let merged = self.merged(schema);
            return self.value(&merged, &format!("{at}/allOf"));
        }
        let kind = schema.get("type").and_then(Value::as_str);
        match kind {
            Some("string") => self.string(schema, at),
            Some("integer") => self.integer(schema),
            Some("number") => self.number(schema),
            Some("boolean") => json!(self.rng.chance(50)),
            Some("array") => {
                // A parameter's empty list is no parameter at all on the
                // wire (`form` and `simple` styles write nothing for it).
                let floor = i128::from(self.text != Text::Any);
                let min = (schema.get("minItems").and_then(Value::as_u64).unwrap_or(0) as i128)
                    .max(floor);
                let max = match self.deep() {
                    true => min,
                    false => schema
                        .get("maxItems")
                        .and_then(Value::as_u64)
                        .map_or(min + 3, |m| m as i128),
                };
                let items = schema.get("items").cloned().unwrap_or(json!({}));
                let len = self.rng.between(min, max);
                (0..len)
                    .map(|i| self.value(&items, &format!("{at}/items/{i}")))
                    .collect()
            }
            Some("object") => self.object(schema, at),
            None if schema.get("properties").is_some()
                || schema.get("additionalProperties").is_some() =>
            {
                self.object(schema, at)
            }
            None => json!(self.word(0, 8)),
            Some(other) => panic!("{at}: no rule for type {other:?}"),
        }
    }

    fn object(&mut self, schema: &Value, at: &str) -> Value {
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let mut map = Map::new();
        let properties = schema.get("properties").and_then(Value::as_object);
        for (name, sub) in properties.into_iter().flatten() {
            // A request never carries a `readOnly` property.
            if self.request && sub.get("readOnly") == Some(&Value::Bool(true)) {
                continue;
            }
            // A parameter's object is spelled field by field (`form`,
            // `deepObject`): a field that is itself an object or a list of
            // them has no spelling, so an optional one is left out.
            if self.text != Text::Any && !required.contains(&name.as_str()) && !self.scalar(sub) {
                continue;
            }
            if required.contains(&name.as_str()) || (!self.deep() && self.rng.chance(50)) {
                map.insert(
                    name.clone(),
                    self.value(sub, &format!("{at}/properties/{name}")),
                );
            }
        }
        // A map type (`HashMap<String, _>`): a few entries with varied keys.
        if let (None, Some(values)) = (properties, schema.get("additionalProperties")) {
            let values = if values.is_object() {
                values.clone()
            } else {
                json!({})
            };
            for _ in 0..self.rng.between(0, if self.deep() { 0 } else { 3 }) {
                let key = self.word(1, 10);
                let value = self.value(&values, &format!("{at}/additionalProperties"));
                map.insert(key, value);
            }
        }
        Value::Object(map)
    }

    fn integer(&mut self, schema: &Value) -> Value {
        // 64-bit integers are drawn within ±(2^53 - 1), the range JSON numbers
        // keep exactly everywhere (I-JSON, RFC 7493) and the most a JavaScript
        // server (upstream's is one) can hold; the mock server checks `int64`
        // against it too. The Rust types allow more: see the README.
        let (mut lo, mut hi) = match schema.get("format").and_then(Value::as_str) {
            Some("int32") => (i32::MIN as i128, i32::MAX as i128),
            Some("uint32") => (0, u32::MAX as i128),
            Some("uint64") => (0, MAX_SAFE),
            _ => (-MAX_SAFE, MAX_SAFE),
        };
        let (lower, upper) = bounds(schema);
        if let Some((bound, exclusive)) = lower {
            lo = lo.max(bound.ceil() as i128 + i128::from(exclusive && bound.fract() == 0.0));
        }
        if let Some((bound, exclusive)) = upper {
            hi = hi.min(bound.floor() as i128 - i128::from(exclusive && bound.fract() == 0.0));
        }
        let n = match self.rng.between(0, 9) {
            // The extremes, where encodings and type widths break.
            0 => lo,
            1 => hi,
            2 => 0.clamp(lo, hi),
            _ => self
                .rng
                .between(lo.max(-1000), hi.min(1000).max(lo.max(-1000))),
        };
        if let Ok(small) = i64::try_from(n) {
            json!(small)
        } else {
            json!(n as u64)
        }
    }

    /// A number within the schema's bounds, in eighths (exact in binary, so
    /// the client sends what was drawn).
    fn number(&mut self, schema: &Value) -> Value {
        let (lower, upper) = bounds(schema);
        let lo = lower.map_or(-125_000.0, |(b, exclusive)| {
            b + if exclusive { 0.125 } else { 0.0 }
        });
        let hi = upper.map_or(125_000.0, |(b, exclusive)| {
            b - if exclusive { 0.125 } else { 0.0 }
        });
        let (lo8, hi8) = ((lo * 8.0).ceil() as i128, (hi * 8.0).floor() as i128);
        let eighths = match self.rng.between(0, 9) {
            0 => lo8,
            1 => hi8.max(lo8),
            _ => self.rng.between(
                lo8.max(-1_000_000),
                hi8.min(1_000_000).max(lo8.max(-1_000_000)),
            ),
        };
        json!(eighths as f64 / 8.0)
    }

    /// The schema `allOf` parts (and the schema's own keywords) describe
    /// together: properties and `required` joined (a property several parts
    /// define, all of its definitions), every other keyword as the first
    /// part that has it gives it (a part's own `allOf` merged first).
    fn merged(&self, schema: &Value) -> Value {
        self.merged_within(schema, 0)
    }

    /// [`merged`](Self::merged), `nesting` parts deep: a part whose `allOf`
    /// leads back to itself is taken as it is past [`DEEP`] levels.
    fn merged_within(&self, schema: &Value, nesting: usize) -> Value {
        let resolved = |value: &Value| -> Value {
            let mut value = value.clone();
            for _ in 0..64 {
                let Some(target) = value.get("$ref").and_then(Value::as_str) else {
                    break;
                };
                let pointer = target.strip_prefix('#').unwrap_or(target);
                match self.doc.pointer(pointer) {
                    Some(found) => value = found.clone(),
                    None => break,
                }
            }
            value
        };
        let mut own = schema.as_object().cloned().unwrap_or_default();
        let parts: Vec<Value> = own
            .remove("allOf")
            .and_then(|p| p.as_array().cloned())
            .unwrap_or_default();
        let mut out = Map::new();
        let mut properties = Map::new();
        let mut required: Vec<Value> = Vec::new();
        let all = std::iter::once(Value::Object(own)).chain(parts.iter().map(|part| {
            let part = resolved(part);
            match part.get("allOf") {
                Some(_) if nesting < DEEP => self.merged_within(&part, nesting + 1),
                _ => part,
            }
        }));
        for part in all {
            let Value::Object(part) = part else { continue };
            for (key, value) in part {
                match key.as_str() {
                    "properties" => {
                        // A property two parts define is both at once.
                        for (name, sub) in value.as_object().into_iter().flatten() {
                            let both = match properties.remove(name) {
                                Some(before) if before != *sub => json!({"allOf": [before, sub]}),
                                _ => sub.clone(),
                            };
                            properties.insert(name.clone(), both);
                        }
                    }
                    "required" => {
                        for name in value.as_array().into_iter().flatten() {
                            if !required.contains(name) {
                                required.push(name.clone());
                            }
                        }
                    }
                    _ => {
                        out.entry(key).or_insert(value);
                    }
                }
            }
        }
        if !properties.is_empty() {
            out.insert("properties".into(), Value::Object(properties));
            out.entry("type").or_insert_with(|| json!("object"));
        }
        if !required.is_empty() {
            out.insert("required".into(), Value::Array(required));
        }
        Value::Object(out)
    }

    fn string(&mut self, schema: &Value, at: &str) -> Value {
        let floor = match self.text {
            Text::Any => 0,
            Text::Query | Text::Header | Text::Cookie => 1,
        };
        let min =
            (schema.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize).max(floor);
        let limit = schema
            .get("maxLength")
            .and_then(Value::as_u64)
            .map(|m| m as usize);
        // Random text's length: within the bounds, a dozen past the least.
        let max = limit.unwrap_or(min + 12).max(min);
        let format = schema.get("format").and_then(Value::as_str);
        let source = schema.get("pattern").and_then(Value::as_str);
        let pattern = source
            .map(|p| regress::Regex::new(p).unwrap_or_else(|e| panic!("{at}: pattern {p:?}: {e}")));
        // A pattern's own language first (drawn from the regex, so a pattern
        // that random text almost never matches is still met), then text of
        // the format, else random text, each checked against all the schema
        // says.
        let generator = source.and_then(patterns::Generator::new);
        for attempt in 0..1000 {
            let candidate = match (&generator, attempt % 4) {
                (Some(generator), 0..=2) => match generator.draw(self.rng.next_u64()) {
                    Some(text) => text,
                    None => continue,
                },
                _ => match format.and_then(|f| formats::draw(f, &mut self.rng)) {
                    Some(text) => text,
                    None => self.text(min, max),
                },
            };
            let length = candidate.chars().count();
            let fits = length >= min && limit.is_none_or(|limit| length <= limit);
            if fits
                && self.fits_text(&candidate)
                && pattern
                    .as_ref()
                    .is_none_or(|p| p.find(&candidate).is_some())
            {
                return json!(candidate);
            }
        }
        panic!("{at}: drew no string for {schema} in 1000 tries; the generator needs a rule for it")
    }

    /// Whether `text` can go where this draw's strings go.
    fn fits_text(&self, text: &str) -> bool {
        match self.text {
            Text::Any => true,
            Text::Query => !text.is_empty(),
            Text::Header | Text::Cookie => {
                !text.is_empty()
                    && text.chars().all(|c| c.is_ascii_graphic() || c == ' ')
                    && !text.starts_with(' ')
                    && !text.ends_with(' ')
                    && (self.text == Text::Header || !text.contains([';', ',']))
            }
        }
    }

    /// Letters and digits.
    fn word(&mut self, min: usize, max: usize) -> String {
        let len = self.rng.between(min as i128, max as i128) as usize;
        (0..len).map(|_| *self.rng.pick(PLAIN) as char).collect()
    }

    /// Mostly letters and digits, with characters that need encoding (in
    /// a header, only those it can carry).
    fn text(&mut self, min: usize, max: usize) -> String {
        let len = self.rng.between(min as i128, max as i128) as usize;
        let header = matches!(self.text, Text::Header | Text::Cookie);
        (0..len)
            .map(|_| match self.rng.chance(25) {
                true if header => *self.rng.pick(HEADER_SPECIAL),
                true => *self.rng.pick(SPECIAL),
                false => *self.rng.pick(PLAIN) as char,
            })
            .collect()
    }
}

/// A bound and whether it is exclusive.
type Bound = (f64, bool);

/// A schema's lower and upper bounds, each with whether it is exclusive:
/// OpenAPI 3.0's `minimum` with a boolean `exclusiveMinimum`, or 3.1's
/// numeric `exclusiveMinimum`; the tighter wins where both are given.
fn bounds(schema: &Value) -> (Option<Bound>, Option<Bound>) {
    let side = |inclusive: &str, exclusive: &str, tighter: fn(f64, f64) -> bool| {
        let plain = schema.get(inclusive).and_then(Value::as_f64);
        match schema.get(exclusive) {
            Some(Value::Bool(true)) => plain.map(|b| (b, true)),
            Some(Value::Number(n)) => {
                let e = n.as_f64().unwrap_or_default();
                match plain {
                    Some(p) if tighter(p, e) => Some((p, false)),
                    _ => Some((e, true)),
                }
            }
            _ => plain.map(|b| (b, false)),
        }
    };
    (
        side("minimum", "exclusiveMinimum", |p, e| p > e),
        side("maximum", "exclusiveMaximum", |p, e| p < e),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_keep_to_their_schema() {
        let doc = json!({});
        let mut draw = Draw::new(&doc, 7);
        for _ in 0..200 {
            let id = draw.value(
                &json!({"type": "string", "minLength": 1, "pattern": "^(?!\\.\\.?$)"}),
                "/id",
            );
            let id = id.as_str().unwrap();
            assert!(!id.is_empty() && id != "." && id != "..");
            let n = draw.value(
                &json!({"type": "integer", "minimum": 0, "maximum": 9}),
                "/n",
            );
            assert!((0..=9).contains(&n.as_i64().unwrap()));
            let e = draw.value(&json!({"type": "string", "enum": ["a", "b"]}), "/e");
            assert!(e == "a" || e == "b");
        }
    }

    #[test]
    fn json_schema_2020_12_keywords_are_drawn_as_they_say() {
        let doc = json!({"components": {"schemas": {
            "Node": {"type": "object", "required": ["child"], "properties": {
                "child": {"$ref": "#/components/schemas/Node", "nullable": true}
            }},
            "Base": {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string"}}}
        }}});
        let mut draw = Draw::new(&doc, 11);
        for _ in 0..100 {
            // A type list: one of its types, `null` among them.
            let v = draw.value(&json!({"type": ["integer", "null"], "minimum": 3}), "/t");
            assert!(v.is_null() || v.as_i64().is_some_and(|n| n >= 3), "{v}");
            assert_eq!(draw.value(&json!({"const": "fixed"}), "/c"), json!("fixed"));
            // Keywords beside a `$ref` apply with it.
            let v = draw.value(
                &json!({"$ref": "#/components/schemas/Base", "required": ["extra"],
                        "properties": {"extra": {"type": "boolean"}}}),
                "/r",
            );
            assert!(v["kind"].is_string() && v["extra"].is_boolean(), "{v}");
            // A property two `allOf` parts define is both: the later's enum holds.
            let v = draw.value(
                &json!({"allOf": [
                    {"type": "object", "required": ["type"], "properties": {"type": {"type": "string"}}},
                    {"properties": {"type": {"enum": ["branches", "tags"]}}}
                ]}),
                "/a",
            );
            assert!(v["type"] == "branches" || v["type"] == "tags", "{v}");
            // A map without `type` is still an object.
            let v = draw.value(&json!({"additionalProperties": {"type": "string"}}), "/m");
            assert!(v.is_object(), "{v}");
            // Keywords beside `oneOf` apply to the branch drawn.
            let v = draw.value(
                &json!({"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}},
                        "oneOf": [{"required": ["a"], "properties": {"a": {"type": "string"}}},
                                  {"required": ["b"], "properties": {"b": {"type": "string"}}}]}),
                "/o",
            );
            assert!(
                v["id"].is_i64() && (v["a"].is_string() || v["b"].is_string()),
                "{v}"
            );
            // A recursive schema whose recursion is required ends in `null`
            // where it may.
            let tree = draw.value(&json!({"$ref": "#/components/schemas/Node"}), "/n");
            assert!(tree.is_object(), "{tree}");
        }
    }

    #[test]
    fn a_request_body_never_carries_a_read_only_property() {
        let doc = json!({});
        let mut draw = Draw::new(&doc, 5);
        let schema = json!({"type": "object", "required": ["id", "name"], "properties": {
            "id": {"type": "string", "readOnly": true}, "name": {"type": "string"}
        }});
        for _ in 0..50 {
            let body = draw.request(&schema, "/b");
            assert!(
                body.get("id").is_none() && body["name"].is_string(),
                "{body}"
            );
        }
        assert!(draw.value(&schema, "/v").get("id").is_some());
    }

    #[test]
    fn parameters_are_never_empty_and_headers_are_visible_ascii() {
        let doc = json!({});
        let mut draw = Draw::new(&doc, 9);
        for _ in 0..200 {
            let q = draw.parameter(&json!({"type": "string"}), "/q", Text::Query);
            assert!(!q.as_str().unwrap().is_empty());
            let list = draw.parameter(
                &json!({"type": "array", "items": {"type": "string"}}),
                "/l",
                Text::Query,
            );
            assert!(!list.as_array().unwrap().is_empty());
            let h = draw.parameter(&json!({"type": "string"}), "/h", Text::Header);
            let h = h.as_str().unwrap();
            assert!(
                !h.is_empty() && h.chars().all(|c| c.is_ascii_graphic() || c == ' '),
                "{h:?}"
            );
            assert_eq!(h, h.trim());
            // A date header's comma is a header's to carry.
            let date = draw.parameter(
                &json!({"type": "string", "pattern": "^(Mon|Tue), \\d{2} (Jan|Feb) \\d{4}$"}),
                "/d",
                Text::Header,
            );
            assert!(date.as_str().unwrap().contains(", "), "{date}");
        }
    }
}
