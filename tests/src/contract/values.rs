//! Schema-valid request inputs, drawn with a seeded generator: enums, bounds,
//! formats, patterns, optional properties present or not, `null` where
//! nullable, lists of varied length.

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

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
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
const PLAIN: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/// Draws values from the schemas of one document.
pub struct Draw<'d> {
    doc: &'d Value,
    rng: Rng,
}

impl<'d> Draw<'d> {
    /// Draws from `doc`'s schemas with a generator seeded by `seed`.
    pub fn new(doc: &'d Value, seed: u64) -> Self {
        Self {
            doc,
            rng: Rng::new(seed),
        }
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.rng.chance(percent)
    }

    /// A value `schema` accepts. `at` names the schema in a panic when no rule
    /// here covers it: a new construct needs a rule, not a silent guess.
    pub fn value(&mut self, schema: &Value, at: &str) -> Value {
        if let Some(target) = schema.get("$ref").and_then(Value::as_str) {
            let pointer = target.strip_prefix('#').unwrap_or(target);
            let resolved = self
                .doc
                .pointer(pointer)
                .unwrap_or_else(|| panic!("{at}: no {target}"));
            return self.value(resolved, target);
        }
        if schema.get("nullable") == Some(&Value::Bool(true)) && self.rng.chance(15) {
            return Value::Null;
        }
        if let Some(values) = schema.get("enum").and_then(Value::as_array) {
            return self.rng.pick(values).clone();
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(variants) = schema.get(key).and_then(Value::as_array) {
                let variant = self.rng.pick(variants).clone();
                return self.value(&variant, &format!("{at}/{key}"));
            }
        }
        if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
            match parts.as_slice() {
                [one] => return self.value(one, &format!("{at}/allOf/0")),
                _ => panic!("{at}: no rule for `allOf` with {} parts", parts.len()),
            }
        }
        let kind = schema.get("type").and_then(Value::as_str);
        match kind {
            Some("string") => self.string(schema, at),
            Some("integer") => self.integer(schema),
            Some("number") => self.number(schema),
            Some("boolean") => json!(self.rng.chance(50)),
            Some("array") => {
                let min = schema.get("minItems").and_then(Value::as_u64).unwrap_or(0) as i128;
                let max = schema
                    .get("maxItems")
                    .and_then(Value::as_u64)
                    .map_or(min + 3, |m| m as i128);
                let items = schema.get("items").cloned().unwrap_or(json!({}));
                let len = self.rng.between(min, max);
                (0..len)
                    .map(|i| self.value(&items, &format!("{at}/items/{i}")))
                    .collect()
            }
            Some("object") => self.object(schema, at),
            None if schema.get("properties").is_some() => self.object(schema, at),
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
            if required.contains(&name.as_str()) || self.rng.chance(50) {
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
            for _ in 0..self.rng.between(0, 3) {
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

    fn string(&mut self, schema: &Value, at: &str) -> Value {
        let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
        let max = schema
            .get("maxLength")
            .and_then(Value::as_u64)
            .map_or(min + 12, |m| m as usize);
        let format = schema.get("format").and_then(Value::as_str);
        let pattern = schema
            .get("pattern")
            .and_then(Value::as_str)
            .map(|p| regress::Regex::new(p).unwrap_or_else(|e| panic!("{at}: pattern {p:?}: {e}")));
        for _ in 0..1000 {
            let candidate = match format {
                Some("date-time") => self.date_time(),
                Some("uuid") => self.uuid(),
                Some("email") => {
                    format!("{}@{}.example", self.word(1, 8), self.word(1, 8)).to_lowercase()
                }
                _ => self.text(min, max),
            };
            let length = candidate.chars().count();
            let fits = format.is_some() || (min..=max).contains(&length);
            if fits
                && pattern
                    .as_ref()
                    .is_none_or(|p| p.find(&candidate).is_some())
            {
                return json!(candidate);
            }
        }
        panic!("{at}: drew no string for {schema} in 1000 tries; the generator needs a rule for it")
    }

    /// RFC 3339, sometimes with a fraction or an offset other than `Z`.
    fn date_time(&mut self) -> String {
        let days_from_epoch = self.rng.between(0, 47_000); // 1970 to about 2098
        let (y, m, d) = civil_from_days(days_from_epoch as i64);
        let seconds = self.rng.between(0, 86_399);
        let mut text = format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
            seconds / 3600,
            seconds / 60 % 60,
            seconds % 60
        );
        if self.rng.chance(30) {
            let digits = self.rng.between(1, 9) as usize;
            let fraction = self.rng.between(0, 999_999_999);
            text.push_str(&format!(".{fraction:09}")[..digits + 1]);
        }
        if self.rng.chance(30) {
            let minutes = self.rng.between(-14 * 60, 14 * 60);
            let sign = if minutes < 0 { '-' } else { '+' };
            text.push_str(&format!(
                "{sign}{:02}:{:02}",
                minutes.abs() / 60,
                minutes.abs() % 60
            ));
        } else {
            text.push('Z');
        }
        text
    }

    fn uuid(&mut self) -> String {
        let hex = format!("{:016x}{:016x}", self.rng.next_u64(), self.rng.next_u64());
        let variant = ["8", "9", "a", "b"][self.rng.between(0, 3) as usize];
        format!(
            "{}-{}-4{}-{variant}{}-{}",
            &hex[..8],
            &hex[8..12],
            &hex[13..16],
            &hex[17..20],
            &hex[20..32]
        )
    }

    /// Letters and digits.
    fn word(&mut self, min: usize, max: usize) -> String {
        let len = self.rng.between(min as i128, max as i128) as usize;
        (0..len).map(|_| *self.rng.pick(PLAIN) as char).collect()
    }

    /// Mostly letters and digits, with characters that need encoding.
    fn text(&mut self, min: usize, max: usize) -> String {
        let len = self.rng.between(min as i128, max as i128) as usize;
        (0..len)
            .map(|_| match self.rng.chance(25) {
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

/// Days since 1970-01-01 → (year, month, day), after Howard Hinnant's algorithm.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_valid_calendar_days() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(19_844), (2024, 5, 1));
    }

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
}
