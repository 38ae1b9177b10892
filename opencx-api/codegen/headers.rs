//! Header parameters of every schema are sent as OpenAPI's `style: simple`
//! spells them: a list as `a,b`, an object as `a,1,b,2` (`a=1,b=2` with
//! `explode: true`), a null value not at all.
//!
//! progenitor 0.15 writes `header_map.append("X-Name",
//! x_name.to_string().try_into()?)` (`to_string()` came with
//! oxidecomputer/progenitor#1067, for non-string scalars, #1063), so a
//! header whose type has no `Display` (a list, an object typify makes a
//! map, a nullable value's `Option<T>`) made a client that did not compile
//! (`error[E0599]: Vec<..> doesn't implement std::fmt::Display`), and a
//! timestamp went out as `Display` writes it, not as RFC 3339 (no upstream
//! report of these yet). Here
//! each such `append` asks `crate::runtime::header::simple` for the header
//! (a request error naming the parameter when the value cannot be a header
//! value, where `try_into()?` gave "failed to parse header value"), and the
//! typed mocks' helper matches the text it sends with
//! `crate::runtime::header::text`.

use std::collections::BTreeMap;

use super::follow;
use serde_json::Value;
use syn::visit_mut::VisitMut;
use syn::{parse_quote, Expr, ImplItem, Item, Lit, Stmt};

use super::names::{progenitor_name, Case};

/// Each operation's header parameters' `explode`, by the client's method
/// name, then the header's name as the document writes it. A header the
/// map lacks is not exploded (OpenAPI's default for `style: simple`).
pub type Explodes = BTreeMap<String, BTreeMap<String, bool>>;

/// The `explode` of every header parameter of `doc` that sets it (an
/// operation's own parameter overrides its path item's of the same name).
pub fn explodes(doc: &Value) -> Explodes {
    let mut all = Explodes::new();
    let own = |list: Option<&Value>| -> BTreeMap<String, bool> {
        list.and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|param| follow(doc, param))
            .filter(|param| param["in"] == "header")
            .filter_map(|param| {
                let name = param["name"].as_str()?;
                let explode = param.get("explode").and_then(Value::as_bool);
                Some((name.to_string(), explode.unwrap_or(false)))
            })
            .collect()
    };
    for (_, item) in doc
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let shared = own(item.get("parameters"));
        for (method, operation) in item.as_object().into_iter().flatten() {
            if !super::METHODS.contains(&method.as_str()) {
                continue;
            }
            let Some(id) = operation.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            let mut headers = shared.clone();
            headers.extend(own(operation.get("parameters")));
            headers.retain(|_, explode| *explode);
            if !headers.is_empty() {
                all.insert(progenitor_name(id, Case::Snake), headers);
            }
        }
    }
    all
}

/// The string literal `expr` is, if it is one.
fn literal(expr: &Expr) -> Option<&syn::LitStr> {
    match expr {
        Expr::Lit(syn::ExprLit {
            lit: Lit::Str(text),
            ..
        }) => Some(text),
        _ => None,
    }
}

/// `value` of `EXPR.to_string()`, if `expr` is that call.
fn to_string_of(expr: &Expr) -> Option<&Expr> {
    match expr {
        Expr::MethodCall(call) if call.method == "to_string" && call.args.is_empty() => {
            Some(&call.receiver)
        }
        _ => None,
    }
}

/// Rewrites every builder's `send()` (progenitor's) to append its header
/// parameters through `crate::runtime::header::simple`; returns how many.
pub fn apply(builders: &mut [Item], explodes: &Explodes) -> usize {
    let none = BTreeMap::new();
    let mut requests = Requests {
        explodes: &none,
        count: 0,
    };
    for item in builders.iter_mut() {
        let Item::Impl(imp) = item else { continue };
        for impl_item in imp.items.iter_mut() {
            let ImplItem::Fn(f) = impl_item else { continue };
            if f.sig.ident != "send" {
                continue;
            }
            requests.explodes = super::send::operation_id(f)
                .and_then(|id| explodes.get(&id))
                .unwrap_or(&none);
            requests.visit_block_mut(&mut f.block);
        }
    }
    requests.count
}

struct Requests<'a> {
    explodes: &'a BTreeMap<String, bool>,
    count: usize,
}

impl VisitMut for Requests<'_> {
    fn visit_stmt_mut(&mut self, stmt: &mut Stmt) {
        syn::visit_mut::visit_stmt_mut(self, stmt);
        // `header_map.append("X-Name", x_name.to_string().try_into()?);`
        let Stmt::Expr(Expr::MethodCall(call), Some(_)) = stmt else {
            return;
        };
        if call.method != "append" || call.args.len() != 2 {
            return;
        }
        let Some(name) = literal(&call.args[0]) else {
            return;
        };
        let Expr::Try(tried) = &call.args[1] else {
            return;
        };
        let value = match &*tried.expr {
            Expr::MethodCall(into) if into.method == "try_into" && into.args.is_empty() => {
                to_string_of(&into.receiver)
            }
            _ => None,
        };
        let Some(value) = value else { return };
        let explode = self
            .explodes
            .get(&super::stand_ins::real(&name.value()))
            .copied()
            .unwrap_or(false);
        let map = &call.receiver;
        // `header_map.append(..)` stays a call on the local, which
        // `collisions::header_map_locals` renames when a parameter takes
        // its name.
        *stmt = parse_quote! {
            if let Some((name, value)) = crate::runtime::header::simple(#name, &#value, #explode)? {
                #map.append(name, value);
            }
        };
        self.count += 1;
    }
}

/// Rewrites the typed mocks' header helpers to expect the text the client
/// sends (`header_missing` for a null value, which the client does not
/// send). `ids` maps the client's method names to their operationIds.
pub fn apply_mocks(file: &mut syn::File, explodes: &Explodes, ids: &BTreeMap<String, String>) {
    // The mocks' `When` of an operation is named after its operationId.
    let by_when: BTreeMap<String, &BTreeMap<String, bool>> = explodes
        .iter()
        .filter_map(|(method, own)| {
            let id = ids.get(method)?;
            Some((format!("{}When", progenitor_name(id, Case::Pascal)), own))
        })
        .collect();
    let Some(items) = file.items.iter_mut().find_map(|item| match item {
        Item::Mod(m) if m.ident == "operations" => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    }) else {
        return;
    };
    let none = BTreeMap::new();
    for item in items.iter_mut() {
        let Item::Impl(imp) = item else { continue };
        let syn::Type::Path(ty) = &*imp.self_ty else {
            continue;
        };
        let own = ty
            .path
            .segments
            .last()
            .and_then(|s| by_when.get(&s.ident.to_string()).copied())
            .unwrap_or(&none);
        Mocks(own).visit_item_impl_mut(imp);
    }
}

struct Mocks<'a>(&'a BTreeMap<String, bool>);

impl VisitMut for Mocks<'_> {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        syn::visit_mut::visit_expr_mut(self, expr);
        // `self.0.header("X-Name", value.to_string())`
        let Expr::MethodCall(call) = expr else { return };
        if call.method != "header" || call.args.len() != 2 {
            return;
        }
        let Some(name) = literal(&call.args[0]) else {
            return;
        };
        let Some(value) = to_string_of(&call.args[1]) else {
            return;
        };
        let explode = self
            .0
            .get(&super::stand_ins::real(&name.value()))
            .copied()
            .unwrap_or(false);
        let receiver = &call.receiver;
        *expr = parse_quote! {
            match crate::runtime::header::text(&#value, #explode)
                .expect("a header value the client could not send either")
            {
                Some(text) => #receiver.header(#name, text),
                None => #receiver.header_missing(#name),
            }
        };
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn explode_is_read_per_operation_with_its_own_parameters_first() {
        let doc = json!({"paths": {"/a": {
            "parameters": [
                {"name": "X-Shared", "in": "header", "explode": true, "schema": {"type": "object"}},
                {"name": "X-Over", "in": "header", "explode": true, "schema": {"type": "object"}}
            ],
            "get": {"operationId": "getA", "parameters": [
                {"$ref": "#/components/parameters/Point"},
                {"name": "X-Over", "in": "header", "schema": {"type": "object"}},
                {"name": "q", "in": "query", "explode": true, "schema": {"type": "object"}}
            ]},
            "put": {"operationId": "putA"}
        }}, "components": {"parameters": {"Point": {"name": "X-Point", "in": "header",
            "style": "simple", "explode": true, "schema": {"type": "object"}}}}});
        let explodes = explodes(&doc);
        assert_eq!(
            explodes["get_a"],
            BTreeMap::from([
                ("X-Point".to_string(), true),
                ("X-Shared".to_string(), true)
            ])
        );
        assert_eq!(
            explodes["put_a"],
            BTreeMap::from([("X-Over".to_string(), true), ("X-Shared".to_string(), true)])
        );
    }

    #[test]
    fn every_header_append_goes_through_the_runtime_with_its_explode() {
        let explodes = Explodes::from([(
            "get_a".to_string(),
            BTreeMap::from([("X-Point".to_string(), true)]),
        )]);
        let mut builders: syn::File = parse_quote! {
            impl<'a> GetA<'a> {
                pub async fn send(self) {
                    let info = OperationInfo { operation_id: "get_a" };
                    let mut header_map = ::reqwest::header::HeaderMap::with_capacity(3usize);
                    header_map.append(
                        ::reqwest::header::HeaderName::from_static("api-version"),
                        ::reqwest::header::HeaderValue::from_static(Client::api_version()),
                    );
                    header_map.append("X-Tags", x_tags.to_string().try_into()?);
                    if let Some(value) = x_point {
                        header_map.append("X-Point", value.to_string().try_into()?);
                    }
                }
            }
        };
        assert_eq!(apply(&mut builders.items, &explodes), 2);
        let text = quote::quote!(#builders).to_string();
        assert!(
            text.contains("if let Some ((name , value)) = crate :: runtime :: header :: simple (\"X-Tags\" , & x_tags , false) ? { header_map . append (name , value) ; }"),
            "{text}"
        );
        assert!(
            text.contains("crate :: runtime :: header :: simple (\"X-Point\" , & value , true) ?"),
            "{text}"
        );
        assert!(text.contains("from_static (\"api-version\")"), "{text}");
        assert!(!text.contains("to_string"), "{text}");
    }

    #[test]
    fn the_mocks_expect_the_text_the_client_sends() {
        let explodes = Explodes::from([(
            "get_a".to_string(),
            BTreeMap::from([("X-Point".to_string(), true)]),
        )]);
        let ids = BTreeMap::from([("get_a".to_string(), "getA".to_string())]);
        let mut mock: syn::File = parse_quote! {
            pub mod operations {
                impl GetAWhen {
                    pub fn x_point(self, value: &::serde_json::Value) -> Self {
                        Self(self.0.header("X-Point", value.to_string()))
                    }
                    pub fn x_tags<'a, T>(self, value: T) -> Self
                    where
                        T: Into<Option<&'a ::std::vec::Vec<types::Tag>>>,
                    {
                        if let Some(value) = value.into() {
                            Self(self.0.header("X-Tags", value.to_string()))
                        } else {
                            Self(self.0.header_missing("X-Tags"))
                        }
                    }
                }
            }
        };
        apply_mocks(&mut mock, &explodes, &ids);
        let text = quote::quote!(#mock).to_string();
        assert!(
            text.contains("crate :: runtime :: header :: text (& value , true)"),
            "{text}"
        );
        assert!(
            text.contains("crate :: runtime :: header :: text (& value , false)"),
            "{text}"
        );
        assert!(
            text.contains("None => self . 0 . header_missing (\"X-Point\")"),
            "{text}"
        );
        assert!(!text.contains("to_string"), "{text}");
    }
}
