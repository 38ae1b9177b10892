//! Authentication as the document says (progenitor 0.15 reads no
//! `securitySchemes` and no `security`: oxidecomputer/progenitor#271; its
//! clients take a caller's pre-configured `reqwest::Client` instead). From
//! `components/securitySchemes` and the `security` requirements this adds:
//!
//! - `Client::SECURITY_SCHEMES`: every scheme, how it sends its credential
//!   and the environment variable it is read from (`x-env` on the scheme, an
//!   extension of ours the overlay sets, else `<API>_<SCHEME>`);
//! - `Client::security(method)`: each operation's alternatives, as indices
//!   into that list (the operation's own `security`, else the document's);
//! - one `ClientBuilder` setter per scheme, named after it (`api_key`,
//!   `basic_auth(username, password)`), never one of the builder's own;
//! - `Client::API_NAME`: the API's name for messages (`x-api-name` in `info`,
//!   an extension of ours, else `info.title` without a last word "API"), so
//!   no client of another document speaks of OpenCX.
//!
//! The runtime (`src/runtime/auth/`) reads them to send each operation the
//! credentials its requirement names.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToShoutySnakeCase;
use quote::{format_ident, quote};
use serde_json::Value;
use syn::parse_quote;

use super::names::{progenitor_name, unique, Case};
use super::responses::{follow, Plan};

/// The extension on `info` naming the API for messages.
pub const API_NAME_EXTENSION: &str = "x-api-name";
/// The extension on a security scheme naming its environment variable.
pub const ENV_EXTENSION: &str = "x-env";

/// The public methods of the runtime's `ClientBuilder`
/// (`src/runtime/builder.rs`), which no scheme's setter may take; a test
/// checks the list against the file.
pub const BUILDER_METHODS: &[&str] = &[
    "base_url",
    "bearer_token",
    "build",
    "connect_timeout",
    "credential",
    "credentials_from_env",
    "http_client",
    "new",
    "no_rate_limit",
    "no_retries",
    "rate_limit",
    "retry",
    "timeout",
    "user_agent",
];

/// The API's name for messages: `info.x-api-name`, else `info.title` without
/// a last word "API" (`OpenCX API` → `OpenCX`, so a message does not say
/// "API" twice), else "the API".
pub fn api_name(doc: &Value) -> String {
    let info = &doc["info"];
    if let Some(name) = info[API_NAME_EXTENSION]
        .as_str()
        .map(words)
        .filter(|n| !n.is_empty())
    {
        return name;
    }
    let title = info["title"].as_str().map(words).unwrap_or_default();
    match title.strip_suffix(" API") {
        Some(short) if !short.trim().is_empty() => short.to_string(),
        _ if !title.is_empty() => title,
        _ => "the API".to_string(),
    }
}

/// `text` on one line, its runs of white space single spaces.
fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One scheme of the document, as the generated code describes it.
struct Scheme {
    name: String,
    env: String,
    /// The runtime's `SchemeKind` expression.
    kind: proc_macro2::TokenStream,
    /// What the setter's doc says the scheme is.
    what: String,
    basic: bool,
    mutual_tls: bool,
    description: Option<String>,
}

fn schemes(doc: &Value) -> Vec<Scheme> {
    let prefix = env_words(&api_name(doc));
    let defined = doc["components"]["securitySchemes"].as_object();
    let mut found = Vec::new();
    for (name, scheme) in defined.into_iter().flatten() {
        let scheme = follow(doc, scheme);
        let kind_of = |key: &str| scheme[key].as_str().unwrap_or_default().to_string();
        let (kind, what) = match kind_of("type").as_str() {
            "http" => match kind_of("scheme").to_ascii_lowercase().as_str() {
                "basic" => (
                    quote!(Basic),
                    "HTTP basic (`Authorization: Basic`)".to_string(),
                ),
                "bearer" | "" => (
                    quote!(Bearer),
                    "HTTP bearer (`Authorization: Bearer <token>`)".to_string(),
                ),
                other => {
                    let scheme = other.to_string();
                    (
                        quote!(Http(#scheme)),
                        format!("HTTP `{other}` (`Authorization: {other} <credential>`)"),
                    )
                }
            },
            "apiKey" => {
                let key = kind_of("name");
                let (location, place) = match kind_of("in").as_str() {
                    "query" => (quote!(Query), "query parameter"),
                    "cookie" => (quote!(Cookie), "cookie"),
                    _ => (quote!(Header), "header"),
                };
                (
                    quote!(ApiKey(crate::runtime::KeyLocation::#location, #key)),
                    format!("an API key in the {place} `{key}`"),
                )
            }
            "oauth2" => (
                quote!(OAuth2),
                "OAuth 2.0 (an access token, sent as `Authorization: Bearer <token>`)".to_string(),
            ),
            "openIdConnect" => (
                quote!(OpenIdConnect),
                "OpenID Connect (an access token, sent as `Authorization: Bearer <token>`)"
                    .to_string(),
            ),
            "mutualTLS" => (quote!(MutualTls), "mutual TLS".to_string()),
            // Not a scheme OpenAPI defines: nothing can be sent for it.
            _ => continue,
        };
        let env = scheme[ENV_EXTENSION]
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| format!("{prefix}_{}", env_words(name)));
        found.push(Scheme {
            name: name.clone(),
            env,
            basic: kind.to_string() == "Basic",
            mutual_tls: kind.to_string() == "MutualTls",
            kind,
            what,
            description: scheme["description"].as_str().map(str::to_string),
        });
    }
    found
}

/// `Twilio - Lookups` → `TWILIO_LOOKUPS`.
fn env_words(text: &str) -> String {
    let words: String = text
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    let shouty = words.to_shouty_snake_case();
    if shouty.is_empty() {
        "API".to_string()
    } else {
        shouty
    }
}

/// A requirement list as indices into `schemes`; an alternative naming a
/// scheme the document does not define can never be met and is dropped.
fn alternatives(requirement: &Value, schemes: &[Scheme]) -> Option<Vec<Vec<usize>>> {
    let list = requirement.as_array()?;
    let kept: Vec<Vec<usize>> = list
        .iter()
        .filter_map(|alternative| {
            alternative
                .as_object()?
                .keys()
                .map(|name| schemes.iter().position(|s| &s.name == name))
                .collect::<Option<Vec<usize>>>()
        })
        .collect();
    // Declared, but none can be met: as if the document were silent.
    (list.is_empty() || !kept.is_empty()).then(|| match list.is_empty() {
        true => vec![Vec::new()],
        false => kept,
    })
}

/// Adds the API's name, its schemes, each operation's requirement and the
/// builder's setters to the client.
pub fn apply(file: &mut syn::File, doc: &Value, plans: &BTreeMap<String, Plan>) {
    let name = api_name(doc);
    let schemes = schemes(doc);
    let methods: BTreeMap<&str, &str> = plans
        .values()
        .map(|plan| (plan.operation_id.as_str(), plan.method_name.as_str()))
        .collect();
    let top = alternatives(&doc["security"], &schemes);
    // Requirement → the methods that have it.
    let mut by_requirement: BTreeMap<Vec<Vec<usize>>, Vec<&str>> = BTreeMap::new();
    for item in doc["paths"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(_, i)| i)
    {
        for op in item.as_object().into_iter().flatten().map(|(_, o)| o) {
            let Some(method) = op["operationId"].as_str().and_then(|id| methods.get(id)) else {
                continue;
            };
            let requirement = op
                .get("security")
                .and_then(|s| alternatives(s, &schemes))
                .or_else(|| top.clone());
            if let Some(requirement) = requirement {
                by_requirement.entry(requirement).or_default().push(method);
            }
        }
    }
    let arms = by_requirement.iter().map(|(requirement, methods)| {
        let alternatives = requirement.iter().map(|all| {
            let all = all
                .iter()
                .map(|i| proc_macro2::Literal::usize_unsuffixed(*i));
            quote!(&[#(#all),*])
        });
        quote!(#(#methods)|* => &[#(#alternatives),*],)
    });
    let entries = schemes.iter().map(|s| {
        let (scheme, env, kind) = (&s.name, &s.env, &s.kind);
        quote!(crate::runtime::Scheme {
            name: #scheme,
            env: #env,
            kind: crate::runtime::SchemeKind::#kind,
        })
    });
    let name_doc = format!(
        " The API's name, which errors and traces use: `info.{API_NAME_EXTENSION}`, else `info.title`."
    );
    file.items.push(parse_quote! {
        impl Client {
            #[doc = #name_doc]
            pub(crate) const API_NAME: &'static str = #name;
            #[doc = " The document's security schemes (`components/securitySchemes`): how each sends its credential."]
            pub(crate) const SECURITY_SCHEMES: &'static [crate::runtime::Scheme] = &[#(#entries),*];
            #[doc = " The security requirement of the operation `method` (a client method's name): its"]
            #[doc = " alternatives, any one of which suffices, each the `SECURITY_SCHEMES` it sends;"]
            #[doc = " none where the document gives no requirement."]
            pub(crate) fn security(method: &str) -> &'static [&'static [usize]] {
                match method {
                    #(#arms)*
                    _ => &[],
                }
            }
        }
    });
    let mut taken: BTreeSet<String> = BUILDER_METHODS.iter().map(|m| m.to_string()).collect();
    let setters = schemes.iter().filter(|s| !s.mutual_tls).map(|s| {
        let wanted = progenitor_name(&s.name, Case::Snake);
        let wanted = match taken.contains(&wanted) {
            true => format!("{wanted}_auth"),
            false => wanted,
        };
        let setter = format_ident!("{}", unique(&wanted, &mut taken));
        let scheme = &s.name;
        let mut doc = format!(
            " The credential for the security scheme `{scheme}`: {}. Sent on the operations whose \
             `security` requirement names it; read from `{}` by [`credentials_from_env`](Self::credentials_from_env).",
            s.what,
            match s.basic {
                true => format!("{0}_USERNAME` and `{0}_PASSWORD", s.env),
                false => s.env.clone(),
            }
        );
        if let Some(description) = &s.description {
            doc.push_str(&format!("\n\n Upstream: {}", description.replace('\n', "\n ")));
        }
        if s.basic {
            quote! {
                #[doc = #doc]
                pub fn #setter(self, username: impl Into<String>, password: impl Into<String>) -> Self {
                    self.credential(#scheme, crate::runtime::Credential::basic(username, password))
                }
            }
        } else {
            quote! {
                #[doc = #doc]
                #[doc = ""]
                #[doc = " A `String` or `&str`, or a `Credential::refreshing` token source."]
                pub fn #setter(self, credential: impl Into<crate::runtime::Credential>) -> Self {
                    self.credential(#scheme, credential)
                }
            }
        }
    });
    file.items.push(parse_quote! {
        impl crate::runtime::ClientBuilder {
            #(#setters)*
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::responses::prepare;
    use super::*;

    fn doc() -> Value {
        let answer = serde_json::json!({"200": {"description": "ok"}});
        serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "Twilio - Lookups", "version": "1"},
            "security": [{"basic": []}],
            "components": {"securitySchemes": {
                "basic": {"type": "http", "scheme": "basic"},
                "api_key": {"type": "apiKey", "in": "query", "name": "key", "x-env": "MY_KEY"},
                "bearerToken": {"type": "http", "scheme": "bearer"},
            }},
            "paths": {
                "/a": {"get": {"operationId": "getA", "responses": answer}},
                "/b": {"get": {"operationId": "getB", "security": [{"api_key": []}, {}], "responses": answer}},
                "/c": {"get": {"operationId": "getC", "security": [], "responses": answer}},
                "/d": {"get": {"operationId": "getD", "security": [{"nowhere": []}], "responses": answer}},
            }
        })
    }

    fn generated(doc: &Value) -> String {
        let mut file: syn::File = syn::parse_quote!();
        apply(&mut file, doc, &prepare(doc).plans);
        prettyplease::unparse(&file)
    }

    #[test]
    fn requirements_schemes_and_setters_come_from_the_document() {
        let text = generated(&doc());
        assert!(
            text.contains(r#"const API_NAME: &'static str = "Twilio - Lookups";"#),
            "{text}"
        );
        assert!(text.contains(r#"env: "TWILIO_LOOKUPS_BASIC""#), "{text}");
        assert!(text.contains(r#"env: "MY_KEY""#), "{text}");
        // The operation's own requirement, the document's, and `security: []`.
        assert!(text.contains(r#""get_b" => &[&[1], &[]],"#), "{text}");
        assert!(text.contains(r#""get_c" => &[&[]],"#), "{text}");
        // A requirement naming only an undefined scheme is as if the
        // operation gave none: the document's applies.
        assert!(text.contains(r#""get_a" | "get_d" => &[&[0]],"#), "{text}");
        assert!(text.contains("pub fn basic("), "{text}");
        assert!(text.contains("pub fn api_key(self, credential"), "{text}");
        // `bearer_token` is the builder's own: the scheme's setter is named apart.
        assert!(text.contains("pub fn bearer_token_auth("), "{text}");
    }

    #[test]
    fn the_name_is_the_extension_else_the_title() {
        let mut named = doc();
        named["info"][API_NAME_EXTENSION] = "Twilio".into();
        assert_eq!(api_name(&named), "Twilio");
        assert_eq!(api_name(&doc()), "Twilio - Lookups");
        assert_eq!(
            api_name(&serde_json::json!({"info": {"title": " "}})),
            "the API"
        );
    }

    #[test]
    fn no_setter_takes_a_name_of_the_runtime_builder() {
        let builder = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../opencx-api/src/runtime/builder.rs"),
        )
        .expect("the runtime's builder");
        let file: syn::File = syn::parse_str(&builder).expect("it parses");
        let mut public = Vec::new();
        for item in &file.items {
            let syn::Item::Impl(block) = item else {
                continue;
            };
            for item in &block.items {
                if let syn::ImplItem::Fn(f) = item {
                    if !matches!(f.vis, syn::Visibility::Inherited) {
                        public.push(f.sig.ident.to_string());
                    }
                }
            }
        }
        for method in &public {
            assert!(
                BUILDER_METHODS.contains(&method.as_str()),
                "ClientBuilder::{method} is not in BUILDER_METHODS"
            );
        }
    }
}
