//! Query parameters in a style progenitor does not write (`deepObject`,
//! `spaceDelimited`, `pipeDelimited`, `form` with `explode: false`) are sent
//! in their own style.
//!
//! progenitor sends every query parameter as exploded `form`: it refuses
//! the other styles ("unsupported style of query parameter") and ignores
//! `explode: false`, so `ids=1,2` went out as `ids=1&ids=2` (no upstream
//! report yet). Here such a parameter reaches progenitor as a plain one, and
//! the request (and the typed mock that matches it) passes its value through
//! `crate::runtime::query::Styled`, which spells the style.

use std::collections::BTreeMap;

use super::follow;
use serde_json::Value;
use syn::visit_mut::VisitMut;
use syn::{parse_quote, Expr, ImplItem, Item, Lit};

use super::names::{progenitor_name, Case};

/// A parameter's style, as `crate::runtime::query::Style` names it.
fn style_of(doc: &Value, param: &Value) -> Option<&'static str> {
    let explode = param.get("explode").and_then(Value::as_bool);
    match param.get("style").and_then(Value::as_str) {
        Some("deepObject") => Some("DeepObject"),
        Some("spaceDelimited") => Some("SpaceDelimited"),
        Some("pipeDelimited") => Some("PipeDelimited"),
        Some("form") | None if explode == Some(false) => {
            let schema = param.get("schema").map(|s| follow(doc, s));
            let composite = schema.is_some_and(|s| {
                matches!(
                    s.get("type").and_then(Value::as_str),
                    Some("array" | "object")
                ) || s.get("items").is_some()
                    || s.get("properties").is_some()
            });
            composite.then_some("FormJoined")
        }
        _ => None,
    }
}

/// Styled query parameters by operation: the client's method name → wire
/// name (the real one, not a stand-in) → style.
pub type Styles = BTreeMap<String, BTreeMap<String, &'static str>>;

/// Gives progenitor every styled query parameter of `doc` as a plain one,
/// and returns their styles.
pub fn prepare(doc: &mut Value) -> Styles {
    let original = doc.clone();
    let mut styles = Styles::new();
    for (_, item) in doc
        .get_mut("paths")
        .and_then(Value::as_object_mut)
        .into_iter()
        .flatten()
    {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        let shared = plain(&original, item.get_mut("parameters"));
        for (method, operation) in item.iter_mut() {
            if !super::METHODS.contains(&method.as_str()) {
                continue;
            }
            let Some(id) = operation.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            let name = progenitor_name(id, Case::Snake);
            let mut own = shared.clone();
            own.extend(plain(&original, operation.get_mut("parameters")));
            if !own.is_empty() {
                styles.insert(name, own);
            }
        }
    }
    styles
}

/// Makes each styled query parameter of `list` plain (a `$ref` becomes its
/// copy); returns their wire names and styles.
fn plain(doc: &Value, list: Option<&mut Value>) -> BTreeMap<String, &'static str> {
    let mut found = BTreeMap::new();
    for slot in list.and_then(Value::as_array_mut).into_iter().flatten() {
        let param = follow(doc, slot);
        if param["in"] != "query" {
            continue;
        }
        let Some(style) = style_of(doc, param) else {
            continue;
        };
        let mut copy = param.clone();
        if let Some(map) = copy.as_object_mut() {
            map.shift_remove("style");
            map.shift_remove("explode");
        }
        if let Some(name) = copy["name"].as_str() {
            found.insert(super::stand_ins::real(name), style);
        }
        *slot = copy;
    }
    found
}

/// The `crate::runtime::query::Styled` expression for `value`.
fn styled(name: &syn::LitStr, value: &Expr, style: &str) -> Expr {
    let style = syn::Ident::new(style, proc_macro2::Span::call_site());
    parse_quote!(crate::runtime::query::Styled::new(#name, #value, crate::runtime::query::Style::#style))
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

/// Rewrites the builders' `send()`s (progenitor's) to send each styled
/// parameter through `Styled`.
pub fn apply(builders: &mut [Item], styles: &Styles) {
    for item in builders.iter_mut() {
        let Item::Impl(imp) = item else { continue };
        for impl_item in imp.items.iter_mut() {
            let ImplItem::Fn(f) = impl_item else { continue };
            if f.sig.ident != "send" {
                continue;
            }
            let Some(own) = super::send::operation_id(f).and_then(|id| styles.get(&id)) else {
                continue;
            };
            Requests(own).visit_block_mut(&mut f.block);
        }
    }
}

struct Requests<'a>(&'a BTreeMap<String, &'static str>);

impl VisitMut for Requests<'_> {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        syn::visit_mut::visit_expr_mut(self, expr);
        // `progenitor_client::QueryParam::new("name", &value)`
        let Expr::Call(call) = expr else { return };
        let Expr::Path(function) = &*call.func else {
            return;
        };
        let is_query_param = function
            .path
            .segments
            .iter()
            .rev()
            .take(2)
            .map(|s| s.ident.to_string())
            .eq(["new", "QueryParam"]);
        if !is_query_param || call.args.len() != 2 {
            return;
        }
        let Some(name) = literal(&call.args[0]) else {
            return;
        };
        if let Some(style) = self.0.get(&super::stand_ins::real(&name.value())) {
            *expr = styled(name, &call.args[1], style);
        }
    }
}

/// Rewrites the typed mocks' query helpers of styled parameters (after
/// `typed_mocks.rs`) to expect the pairs the style spells.
pub fn apply_mocks(file: &mut syn::File, styles: &Styles, ids: &BTreeMap<String, String>) {
    // The mocks' `When` of an operation is named after its operationId.
    let by_when: BTreeMap<String, &BTreeMap<String, &'static str>> = styles
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
    for item in items.iter_mut() {
        let Item::Impl(imp) = item else { continue };
        let syn::Type::Path(ty) = &*imp.self_ty else {
            continue;
        };
        let Some(own) = ty
            .path
            .segments
            .last()
            .and_then(|s| by_when.get(&s.ident.to_string()))
        else {
            continue;
        };
        Mocks(own).visit_item_impl_mut(imp);
    }
}

struct Mocks<'a>(&'a BTreeMap<String, &'static str>);

impl VisitMut for Mocks<'_> {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        syn::visit_mut::visit_expr_mut(self, expr);
        // `self.0.query_param("name", query_value(&value))`
        let Expr::MethodCall(call) = expr else { return };
        if call.method != "query_param" || call.args.len() != 2 {
            return;
        }
        let Some(name) = literal(&call.args[0]) else {
            return;
        };
        let Some(style) = self.0.get(&super::stand_ins::real(&name.value())) else {
            return;
        };
        let receiver = &call.receiver;
        let value: Expr = parse_quote!(&value);
        let styled = styled(name, &value, style);
        *expr = parse_quote! {
            #styled
                .pairs()
                .expect("a query value the client could not send either")
                .into_iter()
                .fold(#receiver, |when, (name, value)| when.query_param(name, value))
        };
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn styled_parameters_reach_progenitor_plain_and_are_sent_styled() {
        let mut doc = json!({"paths": {"/a": {
            "parameters": [{"name": "ids", "in": "query", "style": "form", "explode": false,
                "schema": {"type": "array", "items": {"type": "integer"}}}],
            "get": {"operationId": "getA", "parameters": [
                {"$ref": "#/components/parameters/Filter"},
                {"name": "one", "in": "query", "explode": false, "schema": {"type": "string"}},
                {"name": "tags", "in": "query", "style": "pipeDelimited", "schema": {"type": "array"}}
            ]}
        }}, "components": {"parameters": {"Filter": {"name": "filter", "in": "query",
            "style": "deepObject", "schema": {"type": "object"}}}}});
        let styles = prepare(&mut doc);
        assert_eq!(
            styles["get_a"],
            BTreeMap::from([
                ("filter".to_string(), "DeepObject"),
                ("ids".to_string(), "FormJoined"),
                ("tags".to_string(), "PipeDelimited"),
            ])
        );
        let params = &doc["paths"]["/a"]["get"]["parameters"];
        assert_eq!(
            params[0],
            json!({"name": "filter", "in": "query", "schema": {"type": "object"}})
        );
        // A scalar with `explode: false` is spelled alike either way.
        assert_eq!(params[1]["explode"], json!(false));
        assert!(doc["paths"]["/a"]["parameters"][0].get("explode").is_none());
        let mut builders: syn::File = parse_quote! {
            impl<'a> GetA<'a> {
                pub async fn send(self) {
                    let info = OperationInfo { operation_id: "get_a" };
                    let r = client.get(url)
                        .query(&progenitor_client::QueryParam::new("filter", &filter))
                        .query(&progenitor_client::QueryParam::new("one", &one));
                }
            }
        };
        apply(&mut builders.items, &styles);
        let text = quote::quote!(#builders).to_string();
        assert!(text.contains("Styled :: new (\"filter\" , & filter , crate :: runtime :: query :: Style :: DeepObject)"), "{text}");
        assert!(text.contains("QueryParam :: new (\"one\""), "{text}");
    }
}
