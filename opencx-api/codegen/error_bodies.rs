//! Typed error bodies: the body of a documented error answer, decoded as the
//! document's type for the operation and status, from the one
//! [`crate::Error`] every `send()` returns.
//!
//! progenitor's own `Error<E>` types one error body an operation, and our
//! `send()` returns the runtime's one `Error`, whose body was raw bytes: a
//! caller had to read the document and name the type
//! (`e.response()?.json::<ValidationError>()`). Now the client has
//! `types::ErrorBody` (a variant for each type an error answer of the API
//! has) and `Error::documented()`, which picks the type from the operation
//! the error names and its status, as the document gives them: exact codes
//! first, then `4XX`/`5XX`, then `default` (OpenAPI 3.0, Responses Object).
//! A body that does not decode gives `None`; the raw answer stays on the
//! error. Beside it, an accessor a type (`Error::validation_error()`), unless
//! its name is one of `Error`'s own methods; OpenCX's `api_error()` is one.
//!
//! Which type each answer has is read from progenitor's mocks: each
//! operation's `Then` has a method an answer, whose `value` is the body's
//! type and whose `.status(..)` (or range assertion, or `default_response`)
//! is the status.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{TokenStream, TokenTree};
use quote::{format_ident, quote, ToTokens};
use syn::visit_mut::VisitMut;
use syn::{FnArg, ImplItem, Item, Type};

use super::names::{progenitor_name, unique, Case};
use super::responses::Plan;

/// An error status as the document writes it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Status {
    /// `422`.
    Code(u16),
    /// `4XX`: the first digit.
    Range(u16),
    /// `default`.
    Default,
}

/// One documented error answer with a typed body.
struct Answer {
    /// The client's method, as `Error::operation()` names it.
    method: String,
    status: Status,
    ty: Type,
}

/// Methods of the runtime's `Error` a generated accessor must not shadow.
const ERROR_METHODS: &[&str] = &[
    "attempts",
    "borrow",
    "cause",
    "clone",
    "description",
    "eq",
    "from",
    "documented",
    "fmt",
    "headers",
    "into",
    "invalid_request",
    "is_retryable",
    "is_timeout",
    "may_have_reached_server",
    "not_retried",
    "operation",
    "request_id",
    "response",
    "source",
    "status",
    "to_string",
    "tries",
    "try_from",
    "try_into",
    "type_id",
];

fn literal_u16(tokens: TokenStream) -> Option<u16> {
    tokens.into_iter().find_map(|t| match t {
        TokenTree::Literal(l) => l.to_string().strip_suffix("u16")?.parse().ok(),
        _ => None,
    })
}

/// The status a `Then` method answers with, from its body.
fn status(name: &str, body: TokenStream) -> Option<Status> {
    if name == "default_response" {
        return Some(Status::Default);
    }
    let tokens: Vec<TokenTree> = body.into_iter().collect();
    let mut found = None;
    for (i, token) in tokens.iter().enumerate() {
        match token {
            // `assert_eq!(status / 100u16, 4u16)`.
            TokenTree::Ident(id) if id == "assert_eq" => {
                if let Some(TokenTree::Group(g)) = tokens.get(i + 2) {
                    let inner: Vec<TokenTree> = g.stream().into_iter().collect();
                    let after_comma = inner
                        .iter()
                        .position(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == ','))?;
                    return literal_u16(inner[after_comma + 1..].iter().cloned().collect())
                        .map(Status::Range);
                }
            }
            // `.status(422u16)`.
            TokenTree::Ident(id) if id == "status" => {
                if let Some(TokenTree::Group(g)) = tokens.get(i + 1) {
                    found = found.or(literal_u16(g.stream()).map(Status::Code));
                }
            }
            TokenTree::Group(g) => {
                if let Some(s) = status(name, g.stream()) {
                    return Some(s);
                }
            }
            _ => {}
        }
    }
    found
}

/// Each operation's documented error answers with typed bodies, read from
/// progenitor's mocks (`mock`), for the operations of `plans`.
fn read(mock: &syn::File, plans: &BTreeMap<String, Plan>) -> Vec<Answer> {
    let by_then: BTreeMap<String, &str> = plans
        .keys()
        .map(|method| {
            (
                format!("{}Then", progenitor_name(method, Case::Pascal)),
                method.as_str(),
            )
        })
        .collect();
    let mut answers = Vec::new();
    let modules = mock.items.iter().filter_map(|item| match item {
        Item::Mod(m) => m.content.as_ref().map(|(_, items)| items),
        _ => None,
    });
    for item in modules.flatten() {
        let Item::Impl(imp) = item else { continue };
        let Type::Path(self_ty) = &*imp.self_ty else {
            continue;
        };
        let Some(then) = self_ty.path.segments.last().map(|s| s.ident.to_string()) else {
            continue;
        };
        let Some(method) = by_then.get(&then) else {
            continue;
        };
        for f in imp.items.iter().filter_map(|i| match i {
            ImplItem::Fn(f) => Some(f),
            _ => None,
        }) {
            let value = f.sig.inputs.iter().find_map(|input| match input {
                FnArg::Typed(t) if t.pat.to_token_stream().to_string() == "value" => match &*t.ty {
                    Type::Reference(r) => Some((*r.elem).clone()),
                    _ => None,
                },
                _ => None,
            });
            let Some(ty) = value else { continue };
            let name = f.sig.ident.to_string();
            let Some(status) = status(&name, f.block.to_token_stream()) else {
                continue;
            };
            let error = match status {
                Status::Code(code) => code >= 400,
                Status::Range(digit) => digit >= 4,
                Status::Default => true,
            };
            if error {
                answers.push(Answer {
                    method: method.to_string(),
                    status,
                    ty,
                });
            }
        }
    }
    answers.sort_by(|a, b| (&a.method, &a.status).cmp(&(&b.method, &b.status)));
    answers
}

/// `types::X` as the `types` module itself names it: `self::X`.
struct InTypes;

impl VisitMut for InTypes {
    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        if path.leading_colon.is_none()
            && path.segments.len() > 1
            && path.segments[0].ident == "types"
        {
            path.segments[0].ident = format_ident!("self");
        }
        syn::visit_mut::visit_path_mut(self, path);
    }
}

/// A type as a doc comment shows it: `Vec<BasicError>`.
fn shown(ty: &Type) -> String {
    ty.to_token_stream()
        .to_string()
        .replace(' ', "")
        .replace("::std::vec::", "")
        .replace("::std::string::", "")
        .replace("self::", "")
        .replace("types::", "")
}

/// The variant name of a body type: the type's own name, or its words.
fn variant_name(ty: &Type) -> String {
    let words: Vec<String> = ty
        .to_token_stream()
        .into_iter()
        .filter_map(|t| match t {
            TokenTree::Ident(id)
                if !["std", "types", "vec", "serde_json", "string"]
                    .contains(&id.to_string().as_str()) =>
            {
                Some(id.to_string())
            }
            _ => None,
        })
        .collect();
    match ty {
        Type::Path(p) if p.path.segments.len() <= 2 && words.len() == 1 => words[0].clone(),
        _ => progenitor_name(&words.join("_"), Case::Pascal),
    }
}

/// Adds `types::ErrorBody` (or a free name), `Error::documented()` and an
/// accessor a body type to `client`, from the error answers progenitor's
/// mocks (`mock`) give the operations of `plans`. Returns how many answers
/// are typed.
pub fn apply(
    client: &mut syn::File,
    mock: &syn::File,
    plans: &BTreeMap<String, Plan>,
) -> Result<usize, String> {
    let answers = read(mock, plans);
    if answers.is_empty() {
        return Ok(0);
    }
    let types = super::forward_compat::types_module(client)?;
    let mut taken: BTreeSet<String> = types
        .iter()
        .filter_map(|item| match item {
            Item::Struct(s) => Some(s.ident.to_string()),
            Item::Enum(e) => Some(e.ident.to_string()),
            Item::Type(t) => Some(t.ident.to_string()),
            _ => None,
        })
        .collect();
    let enum_name = format_ident!("{}", unique("ErrorBody", &mut taken));
    // One variant a body type, in the order first met.
    let mut variants: Vec<(String, Type)> = Vec::new();
    let mut variant_of: BTreeMap<String, String> = BTreeMap::new();
    let mut names: BTreeSet<String> = BTreeSet::new();
    for answer in &answers {
        let key = answer.ty.to_token_stream().to_string();
        if variant_of.contains_key(&key) {
            continue;
        }
        let name = unique(&variant_name(&answer.ty), &mut names);
        variant_of.insert(key, name.clone());
        variants.push((name, answer.ty.clone()));
    }
    let enum_variants = variants.iter().map(|(name, ty)| {
        let name = format_ident!("{name}");
        let mut ty = ty.clone();
        InTypes.visit_type_mut(&mut ty);
        let doc = format!("A body of `{}`.", shown(&ty));
        quote! { #[doc = #doc] #name(#ty) }
    });
    types.push(syn::parse_quote! {
        /// The body of an error answer an operation documents, decoded as the
        /// document's type: what [`crate::Error::documented`] gives, one variant a
        /// body type.
        #[derive(Clone, Debug)]
        #[non_exhaustive]
        pub enum #enum_name {
            #(#enum_variants,)*
        }
    });
    let arms = answers.iter().map(|answer| {
        let method = &answer.method;
        let status = match answer.status {
            Status::Code(code) => quote!(#code),
            Status::Range(digit) => {
                let (low, high) = (digit * 100, digit * 100 + 99);
                quote!(#low..=#high)
            }
            Status::Default => quote!(_),
        };
        let variant = format_ident!("{}", variant_of[&answer.ty.to_token_stream().to_string()]);
        let ty = &answer.ty;
        quote! {
            (#method, #status) => ::serde_json::from_slice::<#ty>(body)
                .ok()
                .map(types::#enum_name::#variant)
        }
    });
    // Two body types can give one method name (`ApiError`, `APIError`):
    // the first keeps it, as `Error`'s own methods keep theirs.
    let mut methods: BTreeSet<String> = ERROR_METHODS.iter().map(|m| m.to_string()).collect();
    let accessors = variants.iter().filter_map(|(name, ty)| {
        let method = progenitor_name(name, Case::Snake);
        if !methods.insert(method.clone()) {
            return None;
        }
        let method = format_ident!("{method}");
        let variant = format_ident!("{name}");
        let doc = format!(
            "The error's body as `{}`, where the document gives that type for the \
             operation and status ([`Self::documented`]); `None` for any other error or \
             body.",
            shown(ty)
        );
        Some(quote! {
            #[doc = #doc]
            pub fn #method(&self) -> ::std::option::Option<#ty> {
                match self.documented()? {
                    types::#enum_name::#variant(body) => ::std::option::Option::Some(body),
                    #[allow(unreachable_patterns)]
                    _ => ::std::option::Option::None,
                }
            }
        })
    });
    client.items.push(syn::parse_quote! {
        impl crate::Error {
            /// The body of this error's answer, decoded as the type the document
            /// gives the operation for its status (an exact code first, then
            /// `4XX`/`5XX`, then `default`); `None` where the error has no answer,
            /// the document gives no JSON type, or the body does not decode as it
            /// (the raw body stays at [`Self::response`]).
            pub fn documented(&self) -> ::std::option::Option<types::#enum_name> {
                let status = self.status()?.as_u16();
                let body: &[u8] = self.response()?.body();
                match (self.operation()?, status) {
                    #(#arms,)*
                    _ => ::std::option::Option::None,
                }
            }
            #(#accessors)*
        }
    });
    Ok(answers.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

    #[test]
    fn the_statuses_of_progenitors_then_methods_are_read() {
        let exact: syn::Block = parse_quote!({
            Self(
                self.0
                    .status(422u16)
                    .header("content-type", "application/json"),
            )
        });
        let range: syn::Block = parse_quote!({
            assert_eq!(status / 100u16, 4u16);
            Self(self.0.status(status))
        });
        assert_eq!(
            status("unprocessable_entity", exact.to_token_stream()),
            Some(Status::Code(422))
        );
        assert_eq!(
            status("client_error", range.to_token_stream()),
            Some(Status::Range(4))
        );
        assert_eq!(
            status("default_response", range.to_token_stream()),
            Some(Status::Default)
        );
    }

    #[test]
    fn body_types_name_their_variants() {
        let named: Type = parse_quote!(types::ValidationError);
        let list: Type = parse_quote!(::std::vec::Vec<types::BasicError>);
        assert_eq!(variant_name(&named), "ValidationError");
        assert_eq!(variant_name(&list), "VecBasicError");
    }
}
