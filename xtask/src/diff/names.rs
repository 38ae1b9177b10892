//! The Rust names the generated client gives what the document names, to
//! tie a spec change to the items it touches: the names codegen itself
//! predicts (`codegen::names`, the recipe progenitor and typify follow, at
//! their pinned versions), never a second recipe.

use crate::codegen::names::{field_name, progenitor_name, type_name, Case};

/// The type of component schema `name`: `chat_session` → `ChatSession`.
pub fn type_of_schema(name: &str) -> String {
    type_name(name)
}

/// The struct that holds the fields of component schema `name` (`schema`):
/// its type, or `{Type}Inner` for a nullable one (typify makes the type an
/// `Option` of that); `None` where typify makes no struct of it (a list or
/// a scalar, whatever properties it lists).
pub fn fields_type_of_schema(name: &str, schema: &serde_json::Value) -> Option<String> {
    let kind = schema.get("type").and_then(serde_json::Value::as_str);
    if !matches!(kind, None | Some("object")) {
        return None;
    }
    let ty = type_of_schema(name);
    Some(
        match schema.get("nullable") == Some(&serde_json::Value::Bool(true)) {
            true => format!("{ty}Inner"),
            false => ty,
        },
    )
}

/// The field of property `name`: `ticketNumber` → `ticket_number`.
pub fn field_of_property(name: &str) -> String {
    field_name(name)
}

/// The `Client` method of operation `id`: `listChatSessions` →
/// `list_chat_sessions`.
pub fn method_of_operation(id: &str) -> String {
    progenitor_name(id, Case::Snake)
}

/// The builder struct of operation `id`: `listChatSessions` →
/// `ListChatSessions`.
pub fn builder_of_operation(id: &str) -> String {
    progenitor_name(id, Case::Pascal)
}

/// The type progenitor names after operation `id` and a suffix (`body`,
/// `response`): `createContact`, `body` → `CreateContactBody`.
pub fn operation_type(id: &str, suffix: &str) -> String {
    type_name(&progenitor_name(&format!("{id}-{suffix}"), Case::Pascal))
}

/// The variant of enum value `value`, as typify first names it:
/// `in-process` → `InProcess`.
pub fn variant_of_value(value: &str) -> String {
    type_name(value)
}

/// The builder setter of parameter `name`: `session_id` → `session_id`.
pub fn setter_of_parameter(name: &str) -> String {
    progenitor_name(name, Case::Snake)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_the_generators_own() {
        assert_eq!(field_of_property("ticketNumber"), "ticket_number");
        assert_eq!(field_of_property("type"), "type_");
        assert_eq!(field_of_property("x-y"), "x_y");
        assert_eq!(type_of_schema("human_agents"), "HumanAgents");
        assert_eq!(builder_of_operation("listChatSessions"), "ListChatSessions");
        assert_eq!(type_of_schema("ai_closure"), "AiClosure");
        assert_eq!(type_of_schema("2fa"), "X2fa");
        assert_eq!(operation_type("createContact", "body"), "CreateContactBody");
    }
}
