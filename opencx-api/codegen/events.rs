//! `events()` beside `send()` for every operation that answers
//! `text/event-stream`: a typed stream of server-sent events
//! (`crate::runtime::events`), where progenitor reads the answer as one
//! text or byte body (it has no streaming answers: its `ResponseValue` of
//! `ByteStream` is bytes, oxidecomputer/progenitor#1019), and `send()` waits
//! for the stream to end.
//!
//! The events' `data` type comes from the document: the media type's
//! `itemSchema` (OpenAPI 3.2), else its `schema`. Where that schema
//! describes the whole event (an object with a `data` property beside
//! `event`, `id` or `retry`, as 3.2's examples do), the type is its `data`'s
//! (`contentSchema` where the data is JSON in a string). A string is text;
//! anything else is JSON, of the component it names or of a component
//! `{OperationId}Event` moved here so that typify generates it. The overlay
//! can give an operation its `itemSchema`.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::{json, Value};
use syn::Item;

use super::names::{progenitor_name, type_name, unique, Case};
use super::responses::{essence, Plan};

/// What one event's `data` is.
#[derive(Clone, Debug, PartialEq)]
pub enum Data {
    /// Text, as it is.
    Text,
    /// JSON of the type typify names after this component.
    Json(String),
}

/// The operations that answer `text/event-stream`, by `operationId`.
pub type Streams = BTreeMap<String, Data>;

fn is_string(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("string")
        && schema.get("contentSchema").is_none()
        && schema.get("format").and_then(Value::as_str) != Some("binary")
}

/// The schema of the events' data, from an event-stream media object.
fn data_schema(doc: &Value, media: &Value) -> Option<Value> {
    let item = media.get("itemSchema").or_else(|| media.get("schema"))?;
    let resolved = super::responses::follow(doc, item);
    let properties = resolved.get("properties").and_then(Value::as_object);
    let envelope = properties.is_some_and(|p| {
        p.contains_key("data") && ["event", "id", "retry"].iter().any(|k| p.contains_key(*k))
    });
    if !envelope {
        return Some(item.clone());
    }
    let data = &properties.expect("an envelope has properties")["data"];
    let data = super::responses::follow(doc, data);
    Some(data.get("contentSchema").unwrap_or(data).clone())
}

/// Finds the operations of `doc` that answer `text/event-stream` with a
/// success status, and moves each inline JSON data schema into
/// `components/schemas`, so that typify generates its type.
pub fn prepare(doc: &mut Value) -> Streams {
    let mut taken: BTreeSet<String> = super::names::component_type_names(doc);
    let mut streams = Streams::new();
    let mut hoisted = Vec::new();
    for item in doc["paths"]
        .as_object()
        .into_iter()
        .flat_map(|p| p.values())
    {
        for operation in item.as_object().into_iter().flat_map(|o| o.values()) {
            let Some(id) = operation.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            let responses = operation.get("responses").and_then(Value::as_object);
            let media = responses
                .into_iter()
                .flatten()
                .filter(|(status, _)| status.starts_with('2') || status.eq_ignore_ascii_case("2XX"))
                .filter_map(|(_, response)| {
                    super::responses::follow(doc, response)
                        .get("content")
                        .and_then(Value::as_object)
                })
                .flat_map(|content| content.iter())
                .find(|(media_type, _)| essence(media_type) == "text/event-stream")
                .map(|(_, media)| media);
            let Some(media) = media else { continue };
            let data = match data_schema(doc, media) {
                None => Data::Text,
                Some(schema) if is_string(super::responses::follow(doc, &schema)) => Data::Text,
                Some(schema) => match super::responses::component_name(&schema) {
                    Some(component) => Data::Json(type_name(component)),
                    None => {
                        let name = unique(
                            &format!("{}Event", progenitor_name(id, Case::Pascal)),
                            &mut taken,
                        );
                        hoisted.push((name.clone(), schema));
                        Data::Json(name)
                    }
                },
            };
            streams.insert(id.to_string(), data);
        }
    }
    if !hoisted.is_empty() {
        if !doc["components"].is_object() {
            doc["components"] = json!({});
        }
        if !doc["components"]["schemas"].is_object() {
            doc["components"]["schemas"] = json!({});
        }
        let schemas = doc["components"]["schemas"]
            .as_object_mut()
            .expect("made an object above");
        for (name, schema) in hoisted {
            schemas.insert(name, schema);
        }
    }
    streams
}

/// Adds `events()` to the builder of each operation of `streams`, in the
/// client's `builder` module.
pub fn apply(client: &mut syn::File, streams: &Streams, plans: &BTreeMap<String, Plan>) {
    if streams.is_empty() {
        return;
    }
    let builders: BTreeMap<String, String> =
        super::builders::builders_of(client, &|method| plans.contains_key(method))
            .into_iter()
            .map(|(builder, method)| (method, builder))
            .collect();
    let Some(items) = client.items.iter_mut().find_map(|item| match item {
        Item::Mod(m) if m.ident == "builder" => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    }) else {
        return;
    };
    let mut added = Vec::new();
    for (method, plan) in plans {
        let Some(data) = streams.get(&plan.operation_id) else {
            continue;
        };
        let Some(builder) = builders.get(method) else {
            continue;
        };
        let builder = format_ident!("{builder}");
        let Some(fields) = items.iter().find_map(|item| match item {
            Item::Struct(s) if s.ident == builder => Some(
                s.fields
                    .iter()
                    .filter_map(|f| f.ident.clone())
                    .filter(|f| f != "client")
                    .collect::<Vec<_>>(),
            ),
            _ => None,
        }) else {
            continue;
        };
        let (ty, decode): (TokenStream, TokenStream) = match data {
            Data::Text => (
                quote!(::std::string::String),
                quote!(crate::runtime::events::text),
            ),
            Data::Json(name) => {
                let name = format_ident!("{}", name);
                (
                    quote!(types::#name),
                    quote!(crate::runtime::events::json::<types::#name>),
                )
            }
        };
        let (name, id, http, path) = (method, &plan.operation_id, &plan.method, &plan.path);
        let documented: Vec<&str> = plan.successes.iter().map(|s| s.status.as_str()).collect();
        let doc = format!(
            " Streams the answer's server-sent events (`text/event-stream`), each `data` \
             decoded as `{}`; see [`EventStream`](crate::primitives::EventStream) for \
             resuming after a cut (`Last-Event-ID`) and errors. `send()` reads the same \
             answer whole.",
            match data {
                Data::Text => "String".to_string(),
                Data::Json(name) => format!("types::{name}"),
            }
        );
        added.push(syn::parse_quote! {
            impl<'a> #builder<'a> {
                #[doc = #doc]
                pub fn events(self) -> crate::primitives::EventStream<#ty> {
                    let Self { client, #(#fields),* } = self;
                    let client = client.clone();
                    crate::runtime::events::open(
                        &crate::runtime::call::Operation {
                            name: #name,
                            id: #id,
                            method: #http,
                            path: #path,
                            documented: &[#(#documented),*],
                        },
                        move || {
                            let client = client.clone();
                            #(let #fields = #fields.clone();)*
                            async move {
                                #builder { client: &client, #(#fields),* }.send_request().await
                            }
                        },
                        #decode,
                    )
                }
            }
        });
    }
    items.extend(added);
}
