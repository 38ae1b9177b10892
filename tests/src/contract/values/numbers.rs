//! Integers and numbers within a schema's bounds (3.0's boolean and 3.1's
//! numeric `exclusiveMinimum`/`exclusiveMaximum`), at the extremes often.

use serde_json::{json, Value};

use super::Draw;

/// The largest integer every JSON reader holds exactly, 2^53 - 1.
const MAX_SAFE: i128 = 9_007_199_254_740_991;

impl Draw<'_> {
    pub(super) fn integer(&mut self, schema: &Value) -> Value {
        // 64-bit integers are drawn within ±(2^53 - 1), the range JSON numbers
        // keep exactly everywhere (I-JSON, RFC 7493) and the most a JavaScript
        // server (upstream's is one) can hold; the mock server checks `int64`
        // against it too. The Rust types allow more: see the README.
        let (mut lo, mut hi) = match schema.get("format").and_then(Value::as_str) {
            Some("int8") => (i8::MIN as i128, i8::MAX as i128),
            Some("uint8") => (0, u8::MAX as i128),
            Some("int16") => (i16::MIN as i128, i16::MAX as i128),
            Some("uint16") => (0, u16::MAX as i128),
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
    pub(super) fn number(&mut self, schema: &Value) -> Value {
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
