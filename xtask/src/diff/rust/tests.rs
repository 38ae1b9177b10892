use super::*;

fn diff(old: &str, new: &str) -> Vec<(String, bool)> {
    changes(&Api::parse(old).unwrap(), &Api::parse(new).unwrap())
        .into_iter()
        .map(|c| (c.description, c.breaking))
        .collect()
}

#[test]
fn a_field_type_change_is_breaking() {
    let found = diff(
        "pub mod types { pub struct S { pub a: i64 } }",
        "pub mod types { pub struct S { pub a: Option<i64> } }",
    );
    assert_eq!(found.len(), 1);
    assert!(
        found[0]
            .0
            .contains("`types::S::a` changed from `i64` to `Option<i64>`"),
        "{found:?}"
    );
    assert!(found[0].1);
}

#[test]
fn new_members_break_only_exhaustive_types() {
    let old = "pub struct S { pub a: i64 } pub enum E { A } #[non_exhaustive] pub struct N { pub a: i64 } #[non_exhaustive] pub enum F { A }";
    let new = "pub struct S { pub a: i64, pub b: i64 } pub enum E { A, B } #[non_exhaustive] pub struct N { pub a: i64, pub b: i64 } #[non_exhaustive] pub enum F { A, B }";
    let found = diff(old, new);
    let breaking: Vec<_> = found.iter().filter(|c| c.1).map(|c| c.0.as_str()).collect();
    assert_eq!(breaking, ["new variant `E::B`", "new field `S::b`"]);
    assert_eq!(found.len(), 4);
}

#[test]
fn method_signatures_private_fields_and_removals() {
    let old = "pub struct B { x: i32 } impl B { pub fn p<V>(self, v: V) -> Self where V: TryInto<u8> { self } pub fn gone(&self) {} fn private(&self) {} }";
    let new = "pub struct B { y: i32 } impl B { pub fn p<V>(self, v: V) -> Self where V: TryInto<u16> { self } }";
    let found = diff(old, new);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found.iter().all(|c| c.1));
    assert_eq!(found[0].0, "setter `B::p` now takes `u16` (was `u8`)");
    assert_eq!(found[1].0, "method `B::gone` removed");
    // Other signatures as people write them.
    let old = "pub struct C; impl C { pub async fn send(self) -> Result<ResponseValue<::std::vec::Vec<types::Tag>>, crate::Error> { todo!() } }";
    let new = "pub struct C; impl C { pub async fn send(self) -> Result<ResponseValue<types::TagList>, crate::Error> { todo!() } }";
    assert_eq!(
        diff(old, new)[0].0,
        "method `C::send` changed from `async fn send(self) -> Result<ResponseValue<Vec<Tag>>, Error>` \
         to `async fn send(self) -> Result<ResponseValue<TagList>, Error>`"
    );
}

#[test]
fn a_bound_added_to_a_setter_says_what_it_asks() {
    let old = "pub struct B; impl B { pub fn s<V>(mut self, value: V) -> Self where V: std::convert::TryInto<types::SessionId> { self } }";
    let new = "pub struct B; impl B { pub fn s<V>(mut self, value: V) -> Self where V: std::convert::TryInto<types::SessionId>, <V as std::convert::TryInto<types::SessionId>>::Error: ::std::fmt::Display { self } }";
    assert_eq!(
        diff(old, new)[0].0,
        "`B::s`: a value's conversion error must now implement `Display` (the error message keeps it)"
    );
    let api = Api::parse(new).unwrap();
    let (_, signature) = &api.items["B"].members["s"];
    assert!(
        signature
            .ends_with("where V: TryInto<SessionId>, <V as TryInto<SessionId>>::Error: Display"),
        "{signature}"
    );
}

#[test]
fn a_type_that_becomes_an_alias_of_its_shape_keeps_its_members() {
    let old = "pub mod types { pub struct A { pub x: i64 } impl A { pub fn builder() {} } \
               pub struct B { pub x: i64 } impl B { pub fn builder() {} } }";
    let new = "pub mod types { pub struct A { pub x: i64 } impl A { pub fn builder() {} } \
               pub type B = A; }";
    let found = diff(old, new);
    assert_eq!(
        found,
        [(
            "`types::B` is now the same type as `types::A`: the document repeats its shape"
                .to_string(),
            false
        )]
    );
    // And back: a type of its own again, still with every member.
    let found = diff(new, old);
    assert_eq!(
        found,
        [("`types::B` is a type of its own again".to_string(), false)]
    );
    // An alias whose type lost a field: the alias lost it too.
    let newer = "pub mod types { pub struct A { } pub type B = A; }";
    let found = diff(new, newer);
    assert!(
        found
            .iter()
            .any(|c| c.0 == "field `types::B::x` removed" && c.1),
        "{found:?}"
    );
}

#[test]
fn a_deprecation_is_a_compatible_change_beside_any_other() {
    let old = "pub mod types { pub struct S { pub a: i64, pub b: i64 } } pub struct Client; impl Client { pub fn get(&self) {} pub fn old(&self) {} }";
    let new = "pub mod types { pub struct S { #[deprecated(note = \"x\")] pub a: i64, #[deprecated] pub b: u8 } } pub struct Client; impl Client { #[deprecated] pub fn get(&self) {} pub fn old(&self) {} }";
    let found = diff(old, new);
    assert_eq!(
        found,
        [
            ("`Client::get` is now #[deprecated]".to_string(), false),
            ("`types::S::a` is now #[deprecated]".to_string(), false),
            (
                "field `types::S::b` changed from `i64` to `u8`".to_string(),
                true
            ),
            ("`types::S::b` is now #[deprecated]".to_string(), false),
        ]
    );
    let back = diff(new, old);
    assert!(
        back.contains(&(
            "`Client::get` is no longer #[deprecated]".to_string(),
            false
        )),
        "{back:?}"
    );
}

#[test]
fn methods_generated_on_a_type_defined_elsewhere_are_new_methods_not_a_new_type() {
    // The runtime's `ClientBuilder` gains a setter per security scheme.
    let old = "pub struct Client;";
    let new = "pub struct Client; impl crate::runtime::ClientBuilder { pub fn api_key(self, k: String) -> Self { self } }";
    assert_eq!(
        diff(old, new),
        [("new method `ClientBuilder::api_key`".to_string(), false)]
    );
    assert_eq!(
        diff(new, old),
        [("method `ClientBuilder::api_key` removed".to_string(), true)]
    );
}
