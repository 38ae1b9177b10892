use super::*;

fn types(source: &str) -> Vec<Item> {
    syn::parse_file(source).expect("parses").items
}

fn names(items: &[Item]) -> Vec<String> {
    items
        .iter()
        .map(|item| match item {
            Item::Struct(s) => format!("struct {}", s.ident),
            Item::Enum(e) => format!("enum {}", e.ident),
            Item::Type(t) => format!("type {} = {}", t.ident, t.ty.to_token_stream()),
            Item::Impl(i) => format!("impl {}", i.self_ty.to_token_stream()),
            Item::Mod(m) => format!("mod {}", m.ident),
            _ => "other".into(),
        })
        .collect()
}

#[test]
fn repeats_of_an_inline_shape_become_aliases_to_a_fixed_point() {
    let mut items = types(
        "/// Sort by.
         pub enum ListASortBy { Name, Date }
         impl ::std::fmt::Display for ListASortBy { fn fmt(&self) { match *self { Self::Name => 1, Self::Date => 2 } } }
         /// Other docs.
         pub enum ListBSortBy { Name, Date }
         impl ::std::fmt::Display for ListBSortBy { fn fmt(&self) { match *self { Self::Name => 1, Self::Date => 2 } } }
         pub struct ListAQuery { pub sort: ListASortBy }
         pub struct ListBQuery { pub sort: ListBSortBy }
         pub enum Other { Name, Size }
         pub mod builder {
             pub struct ListAQuery { sort: Result<super::ListASortBy, String> }
             impl ::std::convert::TryFrom<ListAQuery> for super::ListAQuery { }
             pub struct ListBQuery { sort: Result<super::ListBSortBy, String> }
             impl ::std::convert::TryFrom<ListBQuery> for super::ListBQuery { }
         }",
    );
    let aliases = apply(&mut items, &BTreeSet::new());
    assert_eq!(
        aliases,
        Aliases::from([
            ("ListBQuery".into(), "ListAQuery".into()),
            ("ListBSortBy".into(), "ListASortBy".into()),
        ])
    );
    assert_eq!(
        names(&items),
        [
            "enum ListASortBy",
            "impl ListASortBy",
            "type ListBSortBy = ListASortBy",
            "struct ListAQuery",
            "type ListBQuery = ListAQuery",
            "enum Other",
            "mod builder",
        ]
    );
    let Item::Mod(builder) = &items[6] else {
        panic!()
    };
    assert_eq!(
        names(&builder.content.as_ref().unwrap().1),
        [
            "struct ListAQuery",
            "impl super :: ListAQuery",
            "type ListBQuery = ListAQuery"
        ]
    );
    // The alias keeps its own docs and says what it is.
    let Item::Type(alias) = &items[2] else {
        panic!()
    };
    let docs = alias
        .attrs
        .iter()
        .map(|a| a.to_token_stream().to_string())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(docs.contains("Other docs."), "{docs}");
    assert!(docs.contains("The same shape as [`ListASortBy`]"), "{docs}");
}

#[test]
fn components_stay_types_of_their_own_and_are_preferred() {
    let mut items = types(
        "pub struct Team { pub id: String }
         pub struct Squad { pub id: String }
         pub struct GetTeamResponse { pub id: String }",
    );
    let components = BTreeSet::from(["Team".to_string(), "Squad".to_string()]);
    let aliases = apply(&mut items, &components);
    // Of the components, the shortest name: the inline shape is `Team`.
    assert_eq!(
        aliases,
        Aliases::from([("GetTeamResponse".into(), "Team".into())])
    );
    assert_eq!(
        names(&items),
        ["struct Team", "struct Squad", "type GetTeamResponse = Team"]
    );
}

#[test]
fn a_variant_name_is_not_read_as_a_type() {
    // `A::Name` and `B::Other` differ even if `Name` and `Other` are
    // types that repeat each other.
    let mut items = types(
        "pub struct Name { pub x: i64 }
         pub struct Other { pub x: i64 }
         pub enum A { Name }
         impl A { fn f() { Self::Name; } }
         pub enum B { Other }
         impl B { fn f() { Self::Other; } }",
    );
    let aliases = apply(&mut items, &BTreeSet::new());
    assert_eq!(aliases, Aliases::from([("Other".into(), "Name".into())]));
}

#[test]
fn impls_the_aliases_made_twice_are_dropped() {
    let mut items = types(
        "pub struct Ab { pub x: i64 }
         pub struct Cd { pub x: i64 }
         pub enum Either { A(Ab), C(Cd) }
         impl ::std::convert::From<Ab> for Either { fn from(value: Ab) -> Self { Self::A(value) } }
         impl ::std::convert::From<Cd> for Either { fn from(value: Cd) -> Self { Self::C(value) } }
         impl ::std::convert::From<i64> for Either { fn from(value: i64) -> Self { todo!() } }",
    );
    apply(&mut items, &BTreeSet::new());
    assert_eq!(
        names(&items),
        ["struct Ab", "type Cd = Ab", "enum Either", "impl Either"]
    );
}

#[test]
fn an_alias_called_as_a_constructor_calls_the_type_it_stands_for() {
    // SendGrid's API: a constrained string with a default, repeated inline;
    // typify's `defaults` module calls the newtype by name.
    let mut items = types(
        "pub struct DesignInputPlainContent(::std::string::String);
         pub struct DesignOutputPlainContent(::std::string::String);
         pub enum Kind { Text(DesignOutputPlainContent) }
         pub mod defaults {
             pub(super) fn design_output_plain_content() -> super::DesignOutputPlainContent {
                 super::DesignOutputPlainContent(\"<generated>\".to_string())
             }
             pub(super) fn text() -> super::Kind {
                 super::Kind::Text(DesignOutputPlainContent(String::new()))
             }
             pub(super) fn inner(v: super::DesignOutputPlainContent) -> String {
                 let super::DesignOutputPlainContent(s) = v;
                 s
             }
         }",
    );
    let aliases = apply(&mut items, &BTreeSet::new());
    assert_eq!(
        aliases,
        Aliases::from([(
            "DesignOutputPlainContent".into(),
            "DesignInputPlainContent".into()
        )])
    );
    let Item::Mod(defaults) = &items[3] else {
        panic!("the defaults module stays: {:?}", names(&items))
    };
    let text: String = defaults
        .to_token_stream()
        .to_string()
        .split_whitespace()
        .collect();
    for expected in [
        // Signatures name the alias, which is fine for a type.
        "->super::DesignOutputPlainContent{super::DesignInputPlainContent(\"<generated>\"",
        "super::Kind::Text(DesignInputPlainContent(String::new()))",
        "letsuper::DesignInputPlainContent(s)=v;",
    ] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
}
