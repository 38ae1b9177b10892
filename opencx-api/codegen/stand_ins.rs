//! Stand-ins: names the codegen rewrites give progenitor in place of the
//! document's own, where those would make it write one Rust name twice (two
//! enum values, two parameters), and how the generated code gets the real
//! ones back.
//!
//! A stand-in is the real name, [`MARK`] and a number: `item_total` →
//! `item_total\u{1}2`. The generators turn the mark into a word break, so
//! the Rust name is the real one's with the number (`ItemTotal2`,
//! `max_results_2`); no real name holds the mark, so every string of the
//! generated code that holds one is a stand-in, and [`restore`] cuts the
//! mark and the number out of all of them (the wire names in
//! `serde(rename)`, `Display`, `FromStr`, query and header names, path
//! templates, and the JSON schema typify quotes in doc comments).

use proc_macro2::{Group, Literal, TokenStream, TokenTree};
use syn::visit_mut::VisitMut;

/// What a stand-in appends to the real name, before its number: a
/// character no name in a document holds, and that names turn into a break.
pub const MARK: char = '\u{1}';

/// A stand-in for `real`, numbered `n`.
pub fn stand_in(real: &str, n: usize) -> String {
    format!("{real}{MARK}{n}")
}

/// Gives every string in `file` that holds a stand-in the value it stands
/// for: string literals anywhere, those inside attributes (`serde(rename)`)
/// included, and the JSON schema typify quotes in doc comments.
pub fn restore(file: &mut syn::File) {
    Restore.visit_file_mut(file);
}

/// `text` with every stand-in's mark and number removed, raw or as JSON
/// writes the mark (`\u0001`).
pub fn real(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    loop {
        let raw = rest.find(MARK).map(|i| (i, MARK.len_utf8()));
        let escaped = rest.find("\\u0001").map(|i| (i, "\\u0001".len()));
        let next = match (raw, escaped) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let Some((at, mark)) = next else {
            out.push_str(rest);
            return out;
        };
        out.push_str(&rest[..at]);
        rest = rest[at + mark..].trim_start_matches(|c: char| c.is_ascii_digit());
    }
}

fn holds_stand_in(text: &str) -> bool {
    text.contains(MARK) || text.contains("\\u0001")
}

struct Restore;

impl VisitMut for Restore {
    fn visit_lit_str_mut(&mut self, lit: &mut syn::LitStr) {
        let value = lit.value();
        if holds_stand_in(&value) {
            *lit = syn::LitStr::new(&real(&value), lit.span());
        }
    }

    fn visit_meta_list_mut(&mut self, list: &mut syn::MetaList) {
        list.tokens = restore_tokens(std::mem::take(&mut list.tokens));
        syn::visit_mut::visit_meta_list_mut(self, list);
    }
}

fn restore_tokens(tokens: TokenStream) -> TokenStream {
    tokens
        .into_iter()
        .map(|token| match token {
            TokenTree::Group(group) => {
                let mut new = Group::new(group.delimiter(), restore_tokens(group.stream()));
                new.set_span(group.span());
                TokenTree::Group(new)
            }
            TokenTree::Literal(literal) => match syn::Lit::new(literal.clone()) {
                syn::Lit::Str(text) if holds_stand_in(&text.value()) => {
                    TokenTree::Literal(Literal::string(&real(&text.value())))
                }
                _ => TokenTree::Literal(literal),
            },
            other => other,
        })
        .collect()
}
