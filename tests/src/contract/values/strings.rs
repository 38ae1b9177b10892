//! Strings: of the schema's pattern (drawn from the regex), of its format,
//! or random text with characters that need encoding, within its lengths
//! and what the place it goes (query, header, cookie) can carry.

use serde_json::{json, Value};

use super::{formats, patterns, Draw, Text};

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

impl Draw<'_> {
    pub(super) fn string(&mut self, schema: &Value, at: &str) -> Value {
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
        let pattern = source.map(|p| PatternCheck::new(p, at));
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
                && pattern.as_ref().is_none_or(|p| p.matches(&candidate))
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
    pub(super) fn word(&mut self, min: usize, max: usize) -> String {
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

/// Backtracking steps a pattern's check may take on one string before the
/// string counts as not matching.
const BACKTRACK_LIMIT: usize = 100_000;

/// Whether a string matches a `pattern` (ECMA-262, unanchored), in bounded
/// time. A backtracking engine alone (`regress`) takes exponential time on
/// a nested quantifier and a string that almost matches: drawing for
/// `^(\-?\d+(\.\d+)?),\s*(\-?\d+(\.\d+)?)+(...){0,256}$` (an elevation
/// API's coordinates) never ended. The jsonschema crate's engine (its
/// ECMA-262 translation to fancy-regex, which hands a pattern without
/// look-arounds or back-references to the linear `regex` crate) checks it
/// in linear time, and gives up on the rest after [`BACKTRACK_LIMIT`]
/// steps; `regress` is left for a pattern it cannot translate.
enum PatternCheck {
    Bounded(jsonschema::Validator),
    Ecma(regress::Regex),
}

impl PatternCheck {
    fn new(pattern: &str, at: &str) -> Self {
        let bounded = jsonschema::options()
            .with_pattern_options(
                jsonschema::PatternOptions::fancy_regex().backtrack_limit(BACKTRACK_LIMIT),
            )
            .build(&json!({"type": "string", "pattern": pattern}));
        match bounded {
            Ok(validator) => PatternCheck::Bounded(validator),
            Err(_) => PatternCheck::Ecma(
                regress::Regex::new(pattern)
                    .unwrap_or_else(|e| panic!("{at}: pattern {pattern:?}: {e}")),
            ),
        }
    }

    fn matches(&self, text: &str) -> bool {
        match self {
            PatternCheck::Bounded(validator) => validator.is_valid(&json!(text)),
            PatternCheck::Ecma(regex) => regex.find(text).is_some(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nested_quantifier_is_checked_in_bounded_time() {
        let pattern = r"^(\-?\d+(\.\d+)?),\s*(\-?\d+(\.\d+)?)+((\|\-?\d+(\.\d+)?),\s*(\-?\d+(\.\d+)?)){0,256}$";
        let check = PatternCheck::new(pattern, "#/elevation");
        assert!(matches!(check, PatternCheck::Bounded(_)));
        assert!(check.matches("67.85572,20.22513|27.85572,20.22513"));
        // `regress` backtracks for ever on this one.
        assert!(!check.matches("1,11111111111111111111111111111111111111111111x"));
        // A look-ahead the linear engine cannot take is still checked.
        let ahead = PatternCheck::new(r"^(?!admin$)[a-z]+$", "#/user");
        assert!(ahead.matches("alice") && !ahead.matches("admin"));
    }
}
