//! The generated client has no two enums with the same variants, and no two
//! structs with the same fields: one Rust type per concept.

use std::collections::BTreeMap;

fn generated_items() -> Vec<syn::Item> {
    let source = opencx_api::__generated_source::CLIENT;
    let file = syn::parse_file(source).expect("the generated client parses");
    file.items
        .into_iter()
        .find_map(|item| match item {
            syn::Item::Mod(m) if m.ident == "types" => m.content.map(|(_, items)| items),
            _ => None,
        })
        .expect("a `types` module")
}

#[test]
fn no_two_enums_share_their_variants() {
    let mut seen: BTreeMap<Vec<String>, String> = BTreeMap::new();
    for item in generated_items() {
        if let syn::Item::Enum(e) = item {
            let mut variants: Vec<String> =
                e.variants.iter().map(|v| v.ident.to_string()).collect();
            variants.sort();
            if let Some(other) = seen.insert(variants.clone(), e.ident.to_string()) {
                panic!("{} and {} are the same enum ({variants:?}): name it once in specs/overlay.yaml", other, e.ident);
            }
        }
    }
    assert!(seen.len() >= 10, "found only {} enums", seen.len());
}

#[test]
fn no_two_structs_share_their_fields() {
    let mut seen: BTreeMap<Vec<String>, String> = BTreeMap::new();
    for item in generated_items() {
        if let syn::Item::Struct(s) = item {
            let mut fields: Vec<String> = s
                .fields
                .iter()
                .map(|f| {
                    let ty = &f.ty;
                    format!(
                        "{}: {}",
                        f.ident.as_ref().map(|i| i.to_string()).unwrap_or_default(),
                        quote::quote!(#ty)
                    )
                })
                .collect();
            fields.sort();
            if let Some(other) = seen.insert(fields.clone(), s.ident.to_string()) {
                panic!(
                    "{} and {} are the same struct: name it once in specs/overlay.yaml",
                    other, s.ident
                );
            }
        }
    }
}
