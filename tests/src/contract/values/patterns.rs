//! Strings drawn from a `pattern`'s own language rather than found by
//! chance: the pattern (ECMA-262, as OpenAPI says) is read by `regex-syntax`
//! and sampled by proptest's regex strategy with a seeded generator. What
//! the Rust syntax reads differently is narrowed first (`\d` and `\w` are
//! ASCII in ECMA-262, Unicode in Rust), and anchors (`^`, `$`), which the
//! sampler does not take, become nothing (a whole string drawn matches them
//! at its ends); what it cannot read (look-arounds, back-references, word
//! boundaries) gives no generator, and the caller falls back to drawing text
//! until one matches. Every string drawn is checked against the
//! pattern with `regress` (an ECMA-262 engine) by the caller.

use proptest::strategy::{Strategy, ValueTree};
use proptest::string::RegexGeneratorStrategy;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use regex_syntax::hir::{Hir, HirKind, Look};

/// Draws strings of one pattern's language.
pub struct Generator(RegexGeneratorStrategy<String>);

impl Generator {
    /// A generator for `pattern`, or `None` where Rust's regex syntax cannot
    /// read it.
    pub fn new(pattern: &str) -> Option<Self> {
        let hir = regex_syntax::Parser::new()
            .parse(&ecma_to_rust(pattern))
            .ok()?;
        proptest::string::string_regex_parsed(&without_anchors(hir)?)
            .ok()
            .map(Self)
    }

    /// A string the pattern matches whole, from `seed`.
    pub fn draw(&self, seed: u64) -> Option<String> {
        let mut bytes = [0u8; 32];
        bytes[..8].copy_from_slice(&seed.to_le_bytes());
        let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &bytes);
        let mut runner = TestRunner::new_with_rng(Config::default(), rng);
        self.0.new_tree(&mut runner).ok().map(|tree| tree.current())
    }
}

/// `hir` with its line and text anchors as empty matches; `None` for any
/// other look-around (a word boundary).
fn without_anchors(hir: Hir) -> Option<Hir> {
    Some(match hir.into_kind() {
        HirKind::Look(
            Look::Start | Look::End | Look::StartLF | Look::EndLF | Look::StartCRLF | Look::EndCRLF,
        ) => Hir::empty(),
        HirKind::Look(_) => return None,
        HirKind::Empty => Hir::empty(),
        HirKind::Literal(literal) => Hir::literal(literal.0),
        HirKind::Class(class) => Hir::class(class),
        HirKind::Repetition(mut repetition) => {
            repetition.sub = Box::new(without_anchors(*repetition.sub)?);
            Hir::repetition(repetition)
        }
        HirKind::Capture(mut capture) => {
            capture.sub = Box::new(without_anchors(*capture.sub)?);
            Hir::capture(capture)
        }
        HirKind::Concat(parts) => Hir::concat(
            parts
                .into_iter()
                .map(without_anchors)
                .collect::<Option<_>>()?,
        ),
        HirKind::Alternation(parts) => Hir::alternation(
            parts
                .into_iter()
                .map(without_anchors)
                .collect::<Option<_>>()?,
        ),
    })
}

/// `pattern` with ECMA-262's ASCII classes spelled out for Rust's syntax.
fn ecma_to_rust(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('d') => out.push_str("[0-9]"),
            Some('w') => out.push_str("[A-Za-z0-9_]"),
            // ECMA-262's `\/` is a plain `/`.
            Some('/') => out.push('/'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pattern_random_text_never_meets_is_drawn_from_its_language() {
        for pattern in [
            r#"^"([0-9]+?)"$"#,
            r"^[A-Z]{2}\d{2}[A-Z0-9]{4}\d{7}$",
            r"^\/v1\/[a-z]+$",
        ] {
            let generator = Generator::new(pattern).unwrap_or_else(|| panic!("{pattern}"));
            let checker = regress::Regex::new(pattern).unwrap();
            for seed in 0..50 {
                let text = generator.draw(seed).unwrap();
                assert!(checker.find(&text).is_some(), "{pattern}: {text:?}");
            }
        }
    }

    #[test]
    fn the_same_seed_draws_the_same_string() {
        let generator = Generator::new("[a-z]{5,20}").unwrap();
        assert_eq!(generator.draw(7), generator.draw(7));
    }

    #[test]
    fn what_rust_cannot_read_gives_no_generator() {
        assert!(Generator::new(r"^(?!\.\.?$)").is_none());
        assert!(Generator::new(r"\bword\b").is_none());
    }
}
