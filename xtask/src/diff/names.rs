//! Rust names as progenitor and typify derive them from API names, to tie a
//! spec change to the generated items it touches.

/// `ticketNumber`, `ticket-number` → `ticket_number`; keywords get a `_`.
pub fn snake(name: &str) -> String {
    let mut out = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            if c.is_ascii_uppercase() && previous_lower {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
            previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        } else {
            if !out.is_empty() && !out.ends_with('_') {
                out.push('_');
            }
            previous_lower = false;
        }
    }
    let out = out.trim_matches('_').to_string();
    match out.as_str() {
        "type" | "ref" | "self" | "match" | "move" | "fn" | "impl" | "mod" | "use" | "enum"
        | "struct" | "loop" | "where" | "async" | "await" | "dyn" | "static" => format!("{out}_"),
        _ => out,
    }
}

/// `human_agent`, `human-agent`, `humanAgent` → `HumanAgent`.
pub fn pascal(name: &str) -> String {
    snake(name)
        .trim_end_matches('_')
        .split('_')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_like_typify() {
        assert_eq!(snake("ticketNumber"), "ticket_number");
        assert_eq!(snake("type"), "type_");
        assert_eq!(snake("x-y"), "x_y");
        assert_eq!(pascal("human_agents"), "HumanAgents");
        assert_eq!(pascal("listChatSessions"), "ListChatSessions");
        assert_eq!(pascal("ai_closure"), "AiClosure");
    }
}
