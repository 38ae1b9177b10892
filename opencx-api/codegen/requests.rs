//! Every request body the document gives is sent, in its own media type.
//!
//! progenitor 0.15 sends exactly `application/json`,
//! `application/x-www-form-urlencoded`, `application/octet-stream` (a
//! `format: binary` string), `text/plain` and `text/x-markdown` (a plain
//! string), and fails the operation for anything else (`BodyContentType`'s
//! "unexpected content type"; multipart is oxidecomputer/progenitor#220 and
//! #1011). Here each body is first classified by its media type
//! ([`Kind`]), then given to progenitor in the form of that kind it can
//! generate, and after it the request it builds is rewritten to carry the
//! real media type:
//!
//! - JSON in any JSON media type (`application/vnd.api+json`, RFC 6839's
//!   `+json`) is the typed body, with its own `Content-Type`;
//! - `multipart/form-data` is a typed body too (a field per property, a
//!   [`File`](../../src/runtime/multipart.rs) for each `format: binary`
//!   property) sent as multipart parts by `crate::runtime::multipart::form`;
//! - text of any schema (`text/*`, XML, YAML) is the caller's text, sent with
//!   its media type;
//! - any other media type (`application/octet-stream`, `image/png`, `*/*`)
//!   is the caller's bytes, sent with its media type.
//!
//! The answer's `Accept` is the JSON media type the document answers in,
//! and an `OPTIONS` or `TRACE` request is made with `reqwest::Method`
//! (progenitor calls `client.trace(url)`, which reqwest does not have).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};
use syn::visit_mut::VisitMut;
use syn::{parse_quote, Expr, ImplItem, Item};

use super::names::{progenitor_name, Case};
use super::responses::{essence, is_json, is_range, Payload, Plan};

/// How one media type's body is sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    /// JSON (`application/json`, `+json`, `text/json`): the typed body.
    Json,
    /// `application/x-www-form-urlencoded`: the typed body, as a form.
    Form,
    /// `multipart/form-data`: the typed body, a part per property.
    Multipart,
    /// Text (`text/*`, XML, YAML): the caller's text.
    Text,
    /// Anything else: the caller's bytes.
    Binary,
}

impl Kind {
    /// The kind of a media type.
    ///
    /// ```
    /// # use xtask::codegen::requests::Kind;
    /// assert_eq!(Kind::of("application/vnd.example+json; charset=utf-8"), Kind::Json);
    /// assert_eq!(Kind::of("application/xml"), Kind::Text);
    /// assert_eq!(Kind::of("image/png"), Kind::Binary);
    /// ```
    pub fn of(media_type: &str) -> Kind {
        let essence = essence(media_type);
        if is_json(media_type) || essence == "text/json" {
            Kind::Json
        } else if essence == "application/x-www-form-urlencoded" {
            Kind::Form
        } else if essence == "multipart/form-data" {
            Kind::Multipart
        } else if essence.starts_with("text/")
            || essence.ends_with("/xml")
            || essence.ends_with("+xml")
            || essence.ends_with("/yaml")
            || essence.ends_with("/x-yaml")
        {
            Kind::Text
        } else {
            Kind::Binary
        }
    }

    /// Preference when a request accepts several media types: JSON first,
    /// then what is typed, then text, then bytes.
    pub fn rank(&self) -> u8 {
        match self {
            Kind::Json => 0,
            Kind::Form => 1,
            Kind::Multipart => 2,
            Kind::Text => 3,
            Kind::Binary => 4,
        }
    }
}

/// What the request of one operation needs beyond what progenitor writes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Request {
    /// The body's kind and media type as the document gives it.
    pub body: Option<(Kind, String)>,
    /// The JSON media type the answer is read in, when it is not
    /// `application/json`.
    pub accept: Option<String>,
}

/// The media type progenitor is given for a kind.
fn progenitor_media_type(kind: &Kind) -> &'static str {
    match kind {
        Kind::Json | Kind::Multipart => "application/json",
        Kind::Form => "application/x-www-form-urlencoded",
        Kind::Text => "text/plain",
        Kind::Binary => "application/octet-stream",
    }
}

/// Gives progenitor every request body of `doc` in a form it generates, and
/// returns what each operation's request then needs, by the client's method
/// name. `file` names the component that stands for a multipart file part
/// (progenitor replaces it with `crate::runtime::multipart::File`).
pub fn prepare(doc: &mut Value, file: &str) -> BTreeMap<String, Request> {
    let mut requests = BTreeMap::new();
    let original = doc.clone();
    let mut uses_file = false;
    for (_, item) in doc
        .get_mut("paths")
        .and_then(Value::as_object_mut)
        .into_iter()
        .flatten()
    {
        for (method, operation) in item.as_object_mut().into_iter().flatten() {
            if !super::METHODS.contains(&method.as_str()) {
                continue;
            }
            let Some(id) = operation.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            let name = progenitor_name(id, Case::Snake);
            let Some(body) = operation.get_mut("requestBody") else {
                continue;
            };
            if body.get("$ref").is_some() {
                *body = follow(&original, body).clone();
            }
            let Some(content) = body.get_mut("content").and_then(Value::as_object_mut) else {
                continue;
            };
            // A concrete media type before a range of the same kind: a
            // range (`application/*+json`, which ASP.NET's Swashbuckle
            // lists first, `*/*`) says what the server accepts, and is no
            // `Content-Type` a request can carry (RFC 9110, 8.3).
            let Some((media_type, media)) = content
                .iter()
                .min_by_key(|(media_type, _)| (Kind::of(media_type).rank(), is_range(media_type)))
                .map(|(m, v)| (m.clone(), v.clone()))
            else {
                continue;
            };
            let kind = Kind::of(&media_type);
            let media_type = match is_range(&media_type) {
                true => progenitor_media_type(&kind).to_string(),
                false => media_type,
            };
            let schema = media.get("schema").cloned().unwrap_or_else(|| json!({}));
            let schema = match kind {
                Kind::Json | Kind::Form => schema,
                Kind::Text => json!({"type": "string"}),
                Kind::Binary => json!({"type": "string", "format": "binary"}),
                Kind::Multipart => {
                    let (parts, files) = multipart_schema(&original, &schema, &media, file);
                    uses_file |= files;
                    parts
                }
            };
            content.clear();
            content.insert(
                progenitor_media_type(&kind).to_string(),
                json!({ "schema": schema }),
            );
            let sent_as_is = media_type == progenitor_media_type(&kind)
                || !matches!(kind, Kind::Json | Kind::Text | Kind::Binary)
                || http::HeaderValue::from_str(&media_type).is_err();
            let body = match (kind, sent_as_is) {
                (Kind::Json, true) => None,
                (kind, _) => Some((kind, media_type)),
            };
            requests.insert(name, Request { body, accept: None });
        }
    }
    if uses_file {
        let schemas = doc
            .as_object_mut()
            .expect("a document is a mapping")
            .entry("components")
            .or_insert_with(|| json!({}))
            .as_object_mut()
            .expect("components is a mapping")
            .entry("schemas")
            .or_insert_with(|| json!({}));
        schemas[file] = json!({"type": "string", "format": "binary"});
    }
    requests
}

/// The name of the component standing for a file part: one no component of
/// `doc` has (as a type name).
pub fn file_component(doc: &Value) -> String {
    let taken: BTreeSet<String> = super::names::component_type_names(doc);
    (1..)
        .map(|n| match n {
            1 => "MultipartFile".to_string(),
            n => format!("MultipartFile{n}"),
        })
        .find(|name| !taken.contains(name))
        .expect("some name is free")
}

fn follow<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    let mut value = value;
    for _ in 0..16 {
        match value
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
            .and_then(|p| doc.pointer(p))
        {
            Some(target) => value = target,
            None => break,
        }
    }
    value
}

/// A multipart body's schema as progenitor is given it: the object inline,
/// with each file property (a `format: binary` string, or one whose
/// `encoding` gives a media type that is not text or JSON), and lists of
/// them, referring to the file component. Returns whether it has one.
fn multipart_schema(doc: &Value, schema: &Value, media: &Value, file: &str) -> (Value, bool) {
    let mut schema = follow(doc, schema).clone();
    let encoded = |property: &str| {
        media
            .pointer(&format!("/encoding/{property}/contentType"))
            .and_then(Value::as_str)
            .map(|content_type| {
                let first = content_type.split(',').next().unwrap_or("");
                !matches!(Kind::of(first), Kind::Json | Kind::Text | Kind::Form)
            })
    };
    let is_file = |s: &Value| {
        let s = follow(doc, s);
        s.get("type") == Some(&json!("string")) && s.get("format") == Some(&json!("binary"))
    };
    let reference = json!({"$ref": format!("#/components/schemas/{file}")});
    let mut any = false;
    if let Some(properties) = schema.get_mut("properties").and_then(Value::as_object_mut) {
        for (name, property) in properties.iter_mut() {
            let resolved = follow(doc, property).clone();
            let list_of_files = resolved.get("type") == Some(&json!("array"))
                && resolved.get("items").is_some_and(is_file);
            if is_file(&resolved) || (encoded(name) == Some(true) && !list_of_files) {
                *property = reference.clone();
                any = true;
            } else if list_of_files {
                let mut list = resolved.clone();
                list["items"] = reference.clone();
                *property = list;
                any = true;
            }
        }
    }
    (schema, any)
}

/// What each operation's answer is read in, from the response plans: the
/// JSON media type of its first JSON success, where that is not
/// `application/json`.
pub fn accept(requests: &mut BTreeMap<String, Request>, plans: &BTreeMap<String, Plan>) {
    for (name, plan) in plans {
        let json = plan
            .successes
            .iter()
            .find(|s| matches!(s.payload, Payload::Json(_)))
            .and_then(|s| s.media_type.clone());
        // A range read as JSON (`*/*` over an object) keeps progenitor's
        // `application/json`: the type the answer is decoded from.
        if let Some(media_type) = json.filter(|m| {
            essence(m) != "application/json"
                && !is_range(m)
                && http::HeaderValue::from_str(m).is_ok()
        }) {
            requests.entry(name.clone()).or_default().accept = Some(media_type);
        }
    }
}

/// Rewrites each builder's `send()` in `builders` (progenitor's, before
/// `send.rs` renames it) to send its body in its own media type.
pub fn apply(builders: &mut [Item], requests: &BTreeMap<String, Request>) {
    for item in builders.iter_mut() {
        let Item::Impl(imp) = item else { continue };
        for impl_item in imp.items.iter_mut() {
            let ImplItem::Fn(f) = impl_item else { continue };
            if f.sig.ident != "send" {
                continue;
            }
            let none = Request::default();
            let request = super::send::operation_id(f)
                .and_then(|id| requests.get(&id))
                .unwrap_or(&none);
            Rewrite(request).visit_block_mut(&mut f.block);
        }
    }
}

struct Rewrite<'a>(&'a Request);

/// Whether `expr` is the path `::reqwest::header::NAME`.
fn is_header(expr: &Expr, name: &str) -> bool {
    matches!(expr, Expr::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == name))
}

impl VisitMut for Rewrite<'_> {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        syn::visit_mut::visit_expr_mut(self, expr);
        let Expr::MethodCall(call) = expr else {
            return;
        };
        let receiver = &call.receiver;
        // reqwest's `Client` has a shortcut for six methods; progenitor calls
        // one for every method (`client.trace(url)` does not compile).
        let is_client = matches!(&*call.receiver, Expr::Field(f)
            if matches!(&f.member, syn::Member::Named(m) if m == "client"));
        if is_client && matches!(call.method.to_string().as_str(), "options" | "trace") {
            let method =
                syn::Ident::new(&call.method.to_string().to_uppercase(), call.method.span());
            let url = &call.args;
            *expr = parse_quote!(#receiver.request(::reqwest::Method::#method, #url));
            return;
        }
        match (&self.0.body, call.method.to_string().as_str()) {
            (Some((Kind::Json, media_type)), "json") => {
                *expr = parse_quote! {
                    #receiver
                        .header(
                            ::reqwest::header::CONTENT_TYPE,
                            ::reqwest::header::HeaderValue::from_static(#media_type),
                        )
                        .json(&body)
                };
            }
            (Some((Kind::Multipart, _)), "json") => {
                *expr = parse_quote! {
                    #receiver.multipart(
                        crate::runtime::multipart::form(&body).map_err(Error::InvalidRequest)?,
                    )
                };
            }
            (Some((Kind::Text | Kind::Binary, media_type)), "header")
                if call
                    .args
                    .first()
                    .is_some_and(|a| is_header(a, "CONTENT_TYPE")) =>
            {
                call.args[1] =
                    parse_quote!(::reqwest::header::HeaderValue::from_static(#media_type));
            }
            (_, "header") if call.args.first().is_some_and(|a| is_header(a, "ACCEPT")) => {
                if let Some(accept) = &self.0.accept {
                    call.args[1] =
                        parse_quote!(::reqwest::header::HeaderValue::from_static(#accept));
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_body_reaches_progenitor_in_a_form_it_generates() {
        let mut doc = json!({"paths": {
            "/vnd": {"post": {"operationId": "vnd", "requestBody": {"content": {
                "application/vnd.example+json": {"schema": {"type": "object"}}}}}},
            "/xml": {"put": {"operationId": "xml", "requestBody": {"content": {
                "application/xml": {"schema": {"type": "object", "xml": {"name": "a"}}}}}}},
            "/png": {"put": {"operationId": "png", "requestBody": {"content": {
                "image/png": {}}}}},
            "/ranges": {"put": {"operationId": "ranges", "requestBody": {"content": {
                "application/*+json": {"schema": {"type": "object"}},
                "application/json-patch+json": {"schema": {"type": "object"}}}}}},
            "/any": {"put": {"operationId": "any", "requestBody": {"content": {
                "*/*": {}}}}},
            "/upload": {"post": {"operationId": "upload", "requestBody": {"content": {
                "multipart/form-data": {"schema": {"type": "object", "properties": {
                    "file": {"type": "string", "format": "binary"},
                    "more": {"type": "array", "items": {"type": "string", "format": "binary"}},
                    "meta": {"type": "string"},
                    "picture": {"type": "string"}}},
                    "encoding": {"picture": {"contentType": "image/jpeg"}}}}}}}
        }});
        let requests = prepare(&mut doc, "MultipartFile");
        let kinds: Vec<(&str, Option<&(Kind, String)>)> = requests
            .iter()
            .map(|(k, r)| (k.as_str(), r.body.as_ref()))
            .collect();
        assert_eq!(
            kinds,
            [
                (
                    "any",
                    Some(&(Kind::Binary, "application/octet-stream".to_string()))
                ),
                ("png", Some(&(Kind::Binary, "image/png".to_string()))),
                (
                    "ranges",
                    Some(&(Kind::Json, "application/json-patch+json".to_string()))
                ),
                (
                    "upload",
                    Some(&(Kind::Multipart, "multipart/form-data".to_string()))
                ),
                (
                    "vnd",
                    Some(&(Kind::Json, "application/vnd.example+json".to_string()))
                ),
                ("xml", Some(&(Kind::Text, "application/xml".to_string()))),
            ]
        );
        let content =
            |path: &str, method: &str| doc["paths"][path][method]["requestBody"]["content"].clone();
        assert_eq!(
            content("/xml", "put"),
            json!({"text/plain": {"schema": {"type": "string"}}})
        );
        assert!(content("/png", "put")["application/octet-stream"].is_object());
        let upload = &content("/upload", "post")["application/json"]["schema"]["properties"];
        let file = json!({"$ref": "#/components/schemas/MultipartFile"});
        assert_eq!(upload["file"], file);
        assert_eq!(upload["picture"], file);
        assert_eq!(upload["more"]["items"], file);
        assert_eq!(upload["meta"], json!({"type": "string"}));
        assert!(doc["components"]["schemas"]["MultipartFile"].is_object());
    }

    #[test]
    fn the_request_carries_its_own_media_types() {
        let mut builders: syn::File = parse_quote! {
            impl<'a> Vnd<'a> {
                pub async fn send(self) -> Result<ResponseValue<types::X>, Error<()>> {
                    let info = OperationInfo { operation_id: "vnd" };
                    let _request = client.post(url)
                        .header(::reqwest::header::ACCEPT, ::reqwest::header::HeaderValue::from_static("application/json"))
                        .json(&body)
                        .build()?;
                }
            }
        };
        let requests = BTreeMap::from([(
            "vnd".to_string(),
            Request {
                body: Some((Kind::Json, "application/vnd.example+json".into())),
                accept: Some("application/vnd.example+json".into()),
            },
        )]);
        apply(&mut builders.items, &requests);
        let text = quote::quote!(#builders).to_string();
        assert_eq!(
            text.matches("\"application/vnd.example+json\"").count(),
            2,
            "{text}"
        );
        assert!(text.contains("CONTENT_TYPE"), "{text}");
        assert!(!text.contains("\"application/json\""), "{text}");
    }
}
