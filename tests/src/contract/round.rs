//! One round of a contract test: the client pointed at Prism and the
//! inputs drawn for it, which the generated test reads as the builder's
//! types.

use std::sync::Mutex;

use opencx_api::Client;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Map, Value};

use super::Class;

/// One round: the client to call and the inputs drawn for it.
pub struct Round {
    pub(super) client: Client,
    pub(super) params: Map<String, Value>,
    pub(super) body: Option<Value>,
    /// See [`super::inputs::Drawn::ambiguous`].
    pub(super) ambiguous: bool,
    /// The body as the client's type holds it (drawn, read into the
    /// builder's type and written back): what is sent.
    pub(super) sent_body: std::sync::Arc<Mutex<Option<Value>>>,
    /// The success status asked of Prism, if any.
    pub(super) status: Option<u16>,
}

impl Round {
    /// The client, pointed at Prism.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The value drawn for parameter `name`, as the builder's type; `None`
    /// when this round leaves it out.
    pub fn param<T: DeserializeOwned>(&self, name: &str) -> Option<T> {
        let value = self.params.get(name)?;
        Some(typed(value, &format!("parameter `{name}`")))
    }

    /// The body drawn for this round, as the builder's type.
    pub fn body<T: DeserializeOwned + Serialize>(&self) -> Option<T> {
        let body: T = typed(self.body.as_ref()?, "the body");
        *self.sent_body.lock().unwrap() = serde_json::to_value(&body).ok();
        Some(body)
    }

    /// The body drawn for this round as the raw bytes a text or binary body
    /// sends (a string as its UTF-8, anything else as its JSON text).
    pub fn raw_body(&self) -> Option<Vec<u8>> {
        *self.sent_body.lock().unwrap() = self.body.clone();
        self.body.as_ref().map(|value| match value {
            Value::String(text) => text.clone().into_bytes(),
            other => other.to_string().into_bytes(),
        })
    }

    pub(super) fn describe(&self) -> String {
        json!({"parameters": self.params, "body": self.body, "status": self.status}).to_string()
    }
}

fn typed<T: DeserializeOwned>(value: &Value, what: &str) -> T {
    // Through `serde_path_to_error`, so a refusal says where.
    serde_path_to_error::deserialize(value.clone()).unwrap_or_else(|e| {
        panic!(
            "[{}] drew {value} for {what}, which `{}` refuses ({e}): the schema and the client's type disagree",
            Class::Client,
            std::any::type_name::<T>()
        )
    })
}
