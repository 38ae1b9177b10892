//! Names the generators give twice, made unique (syn rewrites, before the
//! others read the code).
//!
//! - A parameter named like a builder's own method (`new`, `send`, `body`)
//!   gets a setter of that name beside it: the setter becomes `send_`, the
//!   way progenitor already writes `type_` for a keyword. The same for the
//!   mocks' `When` helpers (`new`, `into_inner`).
//! - A parameter named `header_map` is shadowed in `send()` by progenitor's
//!   own local of that name, whose `HeaderMap` is then sent as the query
//!   value (progenitor renames its other locals, `url`, `request`... with
//!   `unique_ident_from`, but not this one; no upstream report yet): the
//!   local is renamed.
//! - Two fields of one struct with one Rust name (`fooBar` and `foo_bar`,
//!   oxidecomputer/typify#384; a property `extra` beside the map typify
//!   flattens under that name, typify#1059): every later one is renamed,
//!   with the same position in typify's builder for the struct, and keeps
//!   its JSON name through `#[serde(rename)]`, which typify writes already.

use std::collections::{BTreeMap, BTreeSet};

use syn::visit_mut::VisitMut;
use syn::{parse_quote, Expr, Fields, ImplItem, Item, Pat};

/// Renames duplicate methods in every inherent impl of `module`'s items,
/// keeping the first of each name (the generator's own) and renaming later
/// ones that take a value (`fn x<V>(self, value: V)`). Returns how many.
pub fn setters(items: &mut [Item]) -> usize {
    let mut renamed = 0;
    for item in items.iter_mut() {
        let Item::Impl(imp) = item else { continue };
        if imp.trait_.is_some() {
            continue;
        }
        let names = method_names(imp);
        let mut taken: BTreeSet<String> = names.iter().cloned().collect();
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for name in &names {
            *counts.entry(name.clone()).or_default() += 1;
        }
        for impl_item in imp.items.iter_mut() {
            let ImplItem::Fn(f) = impl_item else { continue };
            let name = f.sig.ident.to_string();
            if counts.get(&name).copied().unwrap_or(0) < 2 || !takes_value(f) {
                continue;
            }
            let mut new = format!("{name}_");
            while taken.contains(&new) {
                new.push('_');
            }
            taken.insert(new.clone());
            *counts.get_mut(&name).expect("counted") -= 1;
            f.sig.ident = syn::Ident::new(&new, f.sig.ident.span());
            renamed += 1;
        }
    }
    renamed
}

/// Whether `f` is a setter: `self` and one more input.
fn takes_value(f: &syn::ImplItemFn) -> bool {
    f.sig.inputs.len() == 2 && matches!(f.sig.inputs.first(), Some(syn::FnArg::Receiver(_)))
}

/// Renames progenitor's `header_map` local in every `send()` of the builders
/// whose operation has a parameter of that name. Returns how many.
pub fn header_map_locals(items: &mut [Item]) -> usize {
    let mut renamed = 0;
    for item in items.iter_mut() {
        let Item::Impl(imp) = item else { continue };
        for impl_item in imp.items.iter_mut() {
            let ImplItem::Fn(f) = impl_item else { continue };
            if f.sig.ident != "send" || !binds(&f.block, "header_map") {
                continue;
            }
            let mut local = "_header_map".to_string();
            while binds(&f.block, &local) {
                local.insert(0, '_');
            }
            let mut rename = Local(syn::Ident::new(&local, proc_macro2::Span::call_site()));
            rename.visit_block_mut(&mut f.block);
            renamed += 1;
        }
    }
    renamed
}

/// Whether `block` destructures `self` into a binding named `name`.
fn binds(block: &syn::Block, name: &str) -> bool {
    block.stmts.iter().any(|stmt| {
        let syn::Stmt::Local(local) = stmt else {
            return false;
        };
        let Pat::Struct(pattern) = &local.pat else {
            return false;
        };
        pattern.fields.iter().any(|f| match &f.member {
            syn::Member::Named(ident) => ident == name,
            _ => false,
        })
    })
}

/// Renames the `HeaderMap` local: its `let`, the receiver of
/// `.append(..)`, and the argument of `.headers(..)`.
struct Local(syn::Ident);

impl VisitMut for Local {
    fn visit_local_mut(&mut self, local: &mut syn::Local) {
        let is_header_map = local.init.as_ref().is_some_and(|init| {
            let init = &init.expr;
            quote::quote!(#init)
                .to_string()
                .contains("HeaderMap :: with_capacity")
        });
        if is_header_map {
            if let Pat::Ident(binding) = &mut local.pat {
                binding.ident = self.0.clone();
            }
        }
        syn::visit_mut::visit_local_mut(self, local);
    }

    fn visit_expr_method_call_mut(&mut self, call: &mut syn::ExprMethodCall) {
        let is_local = |e: &Expr| matches!(e, Expr::Path(p) if p.path.is_ident("header_map"));
        if call.method == "append" && is_local(&call.receiver) {
            let local = &self.0;
            *call.receiver = parse_quote!(#local);
        }
        if call.method == "headers" && call.args.len() == 1 && is_local(&call.args[0]) {
            let local = &self.0;
            call.args[0] = parse_quote!(#local);
        }
        syn::visit_mut::visit_expr_method_call_mut(self, call);
    }
}

/// Renames the later of two fields with one name in every struct of the
/// `types` module, and the same positions in typify's `builder` module.
/// Returns the structs it changed.
pub fn fields(types: &mut [Item]) -> Vec<String> {
    let mut changed = Vec::new();
    let mut renames: BTreeMap<String, Plan> = BTreeMap::new();
    for item in types.iter_mut() {
        let Item::Struct(s) = item else { continue };
        let Fields::Named(named) = &mut s.fields else {
            continue;
        };
        let plan = unique_fields(named.named.iter().filter_map(|f| f.ident.clone()).collect());
        if plan.iter().all(|(_, new)| new.is_none()) {
            continue;
        }
        for (field, (original, new)) in named.named.iter_mut().zip(&plan) {
            let Some(new) = new else { continue };
            field.ident = Some(new.clone());
            // typify writes `rename` only where the Rust name differs from
            // the JSON one; now it does. A flattened map has no JSON name.
            let named_on_wire = field.attrs.iter().any(|a| {
                let text = quote::quote!(#a).to_string();
                text.contains("rename") || text.contains("flatten")
            });
            if !named_on_wire {
                field.attrs.push(parse_quote!(#[serde(rename = #original)]));
            }
        }
        changed.push(s.ident.to_string());
        renames.insert(s.ident.to_string(), plan);
    }
    if renames.is_empty() {
        return changed;
    }
    for item in types.iter_mut() {
        if let Item::Mod(m) = item {
            if m.ident == "builder" {
                if let Some((_, items)) = m.content.as_mut() {
                    builder_fields(items, &renames);
                }
            }
        }
    }
    changed
}

/// Each field of a struct in order: its name and, for a later duplicate,
/// its new name.
type Plan = Vec<(String, Option<syn::Ident>)>;

/// For a list of field names, the new name of each later duplicate.
fn unique_fields(names: Vec<syn::Ident>) -> Plan {
    let mut taken: BTreeSet<String> = names.iter().map(|n| n.to_string()).collect();
    let mut seen = BTreeSet::new();
    names
        .iter()
        .map(|name| {
            let text = name.to_string();
            if seen.insert(text.clone()) {
                return (text, None);
            }
            let mut n = 2;
            let mut new = format!("{text}_{n}");
            while taken.contains(&new) {
                n += 1;
                new = format!("{text}_{n}");
            }
            taken.insert(new.clone());
            (text, Some(syn::Ident::new(&new, name.span())))
        })
        .collect()
}

/// Applies the field renames to typify's builder for each struct: its
/// fields, its `Default`, its setters and both conversions, each of which
/// lists the fields in the struct's order.
fn builder_fields(items: &mut [Item], renames: &BTreeMap<String, Plan>) {
    for item in items.iter_mut() {
        match item {
            Item::Struct(s) => {
                if let (Some(plan), Fields::Named(named)) =
                    (renames.get(&s.ident.to_string()), &mut s.fields)
                {
                    for (field, (_, new)) in named.named.iter_mut().zip(plan) {
                        if let Some(new) = new {
                            field.ident = Some(new.clone());
                        }
                    }
                }
            }
            Item::Impl(imp) => {
                let ty = &imp.self_ty;
                let self_name = quote::quote!(#ty).to_string();
                let target = self_name
                    .rsplit("::")
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_string();
                // `impl TryFrom<Foo> for super::Foo` and `impl From<super::Foo> for Foo`.
                let Some(plan) = renames.get(&target) else {
                    continue;
                };
                let mut positions = Positions {
                    plan,
                    seen: BTreeMap::new(),
                };
                positions.visit_item_impl_mut(imp);
            }
            _ => {}
        }
    }
}

/// Renames, in order of appearance, the n-th use of a duplicated field name
/// in struct expressions, field accesses and setter names.
struct Positions<'a> {
    plan: &'a [(String, Option<syn::Ident>)],
    seen: BTreeMap<String, usize>,
}

impl Positions<'_> {
    /// The new name of occurrence `k` (0 is the first) of field `name`.
    fn renamed(&self, name: &str, k: usize) -> Option<syn::Ident> {
        self.plan
            .iter()
            .filter(|(original, _)| original == name)
            .nth(k)
            .and_then(|(_, new)| new.clone())
    }
}

impl VisitMut for Positions<'_> {
    fn visit_expr_struct_mut(&mut self, expr: &mut syn::ExprStruct) {
        let mut local: BTreeMap<String, usize> = BTreeMap::new();
        for field in expr.fields.iter_mut() {
            if let syn::Member::Named(ident) = &mut field.member {
                let name = ident.to_string();
                let k = *local.get(&name).unwrap_or(&0);
                local.insert(name.clone(), k + 1);
                if k > 0 {
                    if let Some(new) = self.renamed(&name, k) {
                        *ident = new.clone();
                        // `value.foo_bar?` / `Ok(value.foo_bar)` name the same field.
                        let mut access = Access {
                            from: name,
                            to: new,
                        };
                        access.visit_expr_mut(&mut field.expr);
                    }
                }
            }
        }
        syn::visit_mut::visit_expr_struct_mut(self, expr);
    }

    fn visit_impl_item_fn_mut(&mut self, f: &mut syn::ImplItemFn) {
        let name = f.sig.ident.to_string();
        let k = *self.seen.get(&name).unwrap_or(&0);
        self.seen.insert(name.clone(), k + 1);
        if k > 0 {
            if let Some(new) = self.renamed(&name, k) {
                f.sig.ident = new.clone();
                let mut access = Access {
                    from: name,
                    to: new,
                };
                access.visit_block_mut(&mut f.block);
            }
        }
        syn::visit_mut::visit_impl_item_fn_mut(self, f);
    }
}

/// `self.from` / `value.from` field accesses become `.to`.
struct Access {
    from: String,
    to: syn::Ident,
}

impl VisitMut for Access {
    fn visit_expr_field_mut(&mut self, field: &mut syn::ExprField) {
        if let syn::Member::Named(ident) = &mut field.member {
            if *ident == self.from {
                *ident = self.to.clone();
            }
        }
        syn::visit_mut::visit_expr_field_mut(self, field);
    }
}

/// The names of the methods an `impl` block defines, in order.
pub(super) fn method_names(imp: &syn::ItemImpl) -> Vec<String> {
    imp.items
        .iter()
        .filter_map(|i| match i {
            ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
            _ => None,
        })
        .collect()
}
