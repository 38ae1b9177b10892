//! What the generated client offers, read from its source with syn: the
//! builder behind each operation, the type each builder method takes, which
//! builders the hand-written pagination extends, and which enums keep unknown
//! values.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Context, Result};
use quote::ToTokens;
use syn::{GenericParam, ImplItem, Item, ReturnType, Type, TypeParamBound, WherePredicate};

/// The client's surface, by the names the generated tests use.
#[derive(Debug, Default)]
pub struct ClientApi {
    /// `Client` method (snake case) → builder struct name.
    pub operations: BTreeMap<String, String>,
    /// Builder struct → its setters: method name → the type it converts to
    /// (as tokens, e.g. `types::SessionChannel`).
    pub setters: BTreeMap<String, BTreeMap<String, String>>,
    /// Builders that have `.stream()` from `opencx_api::pagination`.
    pub paginated: BTreeSet<String>,
    /// Enums in `types` that keep unknown values, with the variant that does
    /// (`Unknown`, or `UnknownValue` where the API has a value "unknown").
    pub open_enums: BTreeMap<String, String>,
    /// `Client` method → the exact error statuses whose body
    /// `Error::documented()` decodes as the document's type (codegen's
    /// `error_bodies`), read from that method's match arms.
    pub documented_errors: BTreeMap<String, BTreeSet<u16>>,
}

impl ClientApi {
    /// Reads the generated client (parsed) and the pagination module.
    pub fn read(client: &syn::File, pagination_rs: &str) -> Result<Self> {
        let mut api = Self::default();
        for item in &client.items {
            match item {
                Item::Impl(imp) if type_name(&imp.self_ty).as_deref() == Some("Client") => {
                    for f in imp.items.iter().filter_map(as_fn) {
                        if let ReturnType::Type(_, ty) = &f.sig.output {
                            if let Some(builder) = builder_path(ty) {
                                api.operations.insert(f.sig.ident.to_string(), builder);
                            }
                        }
                    }
                }
                Item::Impl(imp)
                    if imp.trait_.is_none()
                        && type_name(&imp.self_ty).as_deref() == Some("Error") =>
                {
                    if let Some(f) = imp
                        .items
                        .iter()
                        .filter_map(as_fn)
                        .find(|f| f.sig.ident == "documented")
                    {
                        let mut arms = DocumentedArms(&mut api.documented_errors);
                        syn::visit::Visit::visit_block(&mut arms, &f.block);
                    }
                }
                Item::Mod(m) if m.ident == "builder" => api.read_builders(m),
                Item::Mod(m) if m.ident == "types" => api.read_types(m),
                _ => {}
            }
        }
        let pagination =
            syn::parse_file(pagination_rs).context("parsing opencx-api/src/pagination.rs")?;
        for item in &pagination.items {
            match item {
                Item::Impl(imp) if imp.trait_.is_some() => {
                    api.paginated.extend(type_name(&imp.self_ty));
                }
                // `cursor_pagination!(Trait, Builder, Item)`
                Item::Macro(m) if m.mac.path.is_ident("cursor_pagination") => {
                    let args = m.mac.tokens.to_string();
                    let builder = args.split(',').nth(1).map(str::trim);
                    api.paginated.extend(builder.map(String::from));
                }
                _ => {}
            }
        }
        Ok(api)
    }

    fn read_builders(&mut self, module: &syn::ItemMod) {
        for item in module.content.iter().flat_map(|(_, items)| items) {
            let Item::Impl(imp) = item else { continue };
            let (None, Some(name)) = (&imp.trait_, type_name(&imp.self_ty)) else {
                continue;
            };
            let setters = self.setters.entry(name).or_default();
            for f in imp.items.iter().filter_map(as_fn) {
                if let Some(target) = try_into_target(&f.sig) {
                    setters.insert(f.sig.ident.to_string(), target);
                }
            }
        }
    }

    fn read_types(&mut self, module: &syn::ItemMod) {
        let items = || module.content.iter().flat_map(|(_, items)| items);
        for item in items() {
            if let Item::Enum(e) = item {
                if let Some(v) = e.variants.iter().find(|v| crate::codegen::is_catch_all(v)) {
                    self.open_enums
                        .insert(e.ident.to_string(), v.ident.to_string());
                }
            }
        }
        // A repeated shape's name is an alias of the one type (codegen's
        // `dedup`): it keeps unknown values as that type does.
        for item in items() {
            if let Item::Type(alias) = item {
                let variant = type_name(&alias.ty).and_then(|to| self.open_enums.get(&to).cloned());
                if let Some(variant) = variant {
                    self.open_enums.insert(alias.ident.to_string(), variant);
                }
            }
        }
    }
}

/// Collects the `("method", 422u16)` arms of `Error::documented()`; a range
/// (`400u16..=499u16`) or `default` (`_`) has no one status to ask for.
struct DocumentedArms<'a>(&'a mut BTreeMap<String, BTreeSet<u16>>);

impl<'ast> syn::visit::Visit<'ast> for DocumentedArms<'_> {
    fn visit_arm(&mut self, arm: &'ast syn::Arm) {
        if let syn::Pat::Tuple(tuple) = &arm.pat {
            let elems: Vec<&syn::Pat> = tuple.elems.iter().collect();
            if let [syn::Pat::Lit(method), syn::Pat::Lit(status)] = elems.as_slice() {
                if let (syn::Lit::Str(method), syn::Lit::Int(status)) = (&method.lit, &status.lit) {
                    if let Ok(status) = status.base10_parse::<u16>() {
                        self.0.entry(method.value()).or_default().insert(status);
                    }
                }
            }
        }
        syn::visit::visit_arm(self, arm);
    }
}

fn as_fn(item: &ImplItem) -> Option<&syn::ImplItemFn> {
    match item {
        ImplItem::Fn(f) => Some(f),
        _ => None,
    }
}

/// `Foo<'a>` → `Foo`.
fn type_name(ty: &Type) -> Option<String> {
    match ty {
        Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// `builder::Foo<'_>` → `Foo`.
fn builder_path(ty: &Type) -> Option<String> {
    let Type::Path(p) = ty else { return None };
    let segments: Vec<_> = p.path.segments.iter().collect();
    match segments.as_slice() {
        [module, name] if module.ident == "builder" => Some(name.ident.to_string()),
        _ => None,
    }
}

/// For `fn f<V>(self, value: V) where V: TryInto<T>`, the tokens of `T`.
fn try_into_target(sig: &syn::Signature) -> Option<String> {
    let generic = sig.generics.params.iter().find_map(|p| match p {
        GenericParam::Type(t) => Some(t.ident.clone()),
        _ => None,
    })?;
    let clause = sig.generics.where_clause.as_ref()?;
    clause.predicates.iter().find_map(|predicate| {
        let WherePredicate::Type(pt) = predicate else {
            return None;
        };
        if generic != type_name(&pt.bounded_ty)? {
            return None;
        }
        pt.bounds.iter().find_map(|bound| {
            let TypeParamBound::Trait(t) = bound else {
                return None;
            };
            let last = t.path.segments.last()?;
            if last.ident != "TryInto" {
                return None;
            }
            let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
                return None;
            };
            match args.args.first()? {
                syn::GenericArgument::Type(target) => Some(target.to_token_stream().to_string()),
                _ => None,
            }
        })
    })
}
