//! Query parameters in the styles progenitor does not write: OpenAPI's
//! `deepObject` (`filter[status]=open`), `spaceDelimited` and
//! `pipeDelimited` lists, and `form` with `explode: false`
//! (`ids=1,2,3`).
//!
//! progenitor sends every query parameter as `form` with `explode: true`
//! and refuses the other styles ("unsupported style of query parameter");
//! the codegen rewrites (`codegen/query.rs`) give it the parameter as a
//! plain one and make the request send it through [`Styled`] instead.
//!
//! Only clients of APIs with such parameters call it.
#![allow(dead_code)]

use serde::ser::{Serialize, SerializeSeq, Serializer};
use serde_json::Value;

/// How a query parameter's value is spelled, as its `style` and `explode`
/// say.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// `style: deepObject`: each field its own pair, `name[field]=value`
    /// (`name[a][b]=value` below).
    DeepObject,
    /// `style: form, explode: false`: one pair, a list's items (or an
    /// object's fields and values) joined by `,`.
    FormJoined,
    /// `style: spaceDelimited`: a list's items joined by a space.
    SpaceDelimited,
    /// `style: pipeDelimited`: a list's items joined by `|`.
    PipeDelimited,
}

/// A query parameter with its style, for `RequestBuilder::query` (it
/// serializes as the list of pairs the style spells: `filter` of
/// `{"owner": {"id": 7}}` as `filter[owner][id]=7`, `ids` of `[1, 2, 3]`
/// joined as `ids=1,2,3`).
pub struct Styled<'a, T: ?Sized> {
    name: &'a str,
    value: &'a T,
    style: Style,
}

impl<'a, T: Serialize + ?Sized> Styled<'a, T> {
    /// `value` of the parameter `name`, spelled in `style`.
    pub fn new(name: &'a str, value: &'a T, style: Style) -> Self {
        Self { name, value, style }
    }

    /// The `(name, value)` pairs the query gets, in order; none for an
    /// absent value (`None`).
    ///
    /// # Errors
    /// The value does not serialize (a map with keys that are not strings).
    pub fn pairs(&self) -> Result<Vec<(String, String)>, serde_json::Error> {
        let value = serde_json::to_value(self.value)?;
        let mut pairs = Vec::new();
        match self.style {
            Style::DeepObject => deep(self.name.to_string(), &value, &mut pairs),
            Style::FormJoined => joined(self.name, &value, ",", &mut pairs),
            Style::SpaceDelimited => joined(self.name, &value, " ", &mut pairs),
            Style::PipeDelimited => joined(self.name, &value, "|", &mut pairs),
        }
        Ok(pairs)
    }
}

/// A scalar's text as the query sends it; `None` for null.
fn text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

fn deep(name: String, value: &Value, pairs: &mut Vec<(String, String)>) {
    match value {
        Value::Object(fields) => {
            for (key, field) in fields {
                deep(format!("{name}[{key}]"), field, pairs);
            }
        }
        // A list inside a deep object: the pair once per item, as `form`
        // does (OpenAPI leaves it open).
        Value::Array(items) => {
            for item in items {
                deep(name.clone(), item, pairs);
            }
        }
        scalar => pairs.extend(text(scalar).map(|t| (name, t))),
    }
}

fn joined(name: &str, value: &Value, separator: &str, pairs: &mut Vec<(String, String)>) {
    let parts: Vec<String> = match value {
        Value::Null => return,
        Value::Array(items) => items.iter().filter_map(text).collect(),
        Value::Object(fields) => fields
            .iter()
            .filter_map(|(k, v)| text(v).map(|v| [k.clone(), v]))
            .flatten()
            .collect(),
        scalar => text(scalar).into_iter().collect(),
    };
    pairs.push((name.to_string(), parts.join(separator)));
}

impl<T: Serialize + ?Sized> Serialize for Styled<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let pairs = self.pairs().map_err(serde::ser::Error::custom)?;
        let mut seq = serializer.serialize_seq(Some(pairs.len()))?;
        for pair in &pairs {
            seq.serialize_element(pair)?;
        }
        seq.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query<T: Serialize + ?Sized>(name: &str, value: &T, style: Style) -> String {
        let url = reqwest::Client::new()
            .get("http://127.0.0.1/")
            .query(&Styled::new(name, value, style))
            .build()
            .unwrap()
            .url()
            .clone();
        url.query().unwrap_or_default().to_string()
    }

    #[test]
    fn pairs_are_named_as_the_style_says() {
        let filter = serde_json::json!({"owner": {"id": 7}, "status": "open"});
        let pairs = Styled::new("filter", &filter, Style::DeepObject)
            .pairs()
            .unwrap();
        let expected = [("filter[owner][id]", "7"), ("filter[status]", "open")];
        assert_eq!(pairs, expected.map(|(k, v)| (k.to_string(), v.to_string())));
    }

    #[test]
    fn each_style_sends_what_openapi_spells() {
        let filter = serde_json::json!({"status": "open", "tags": ["a", "b"], "none": null});
        assert_eq!(
            query("filter", &filter, Style::DeepObject),
            "filter%5Bstatus%5D=open&filter%5Btags%5D=a&filter%5Btags%5D=b"
        );
        assert_eq!(query("ids", &[1, 2], Style::FormJoined), "ids=1%2C2");
        assert_eq!(query("ids", &[1, 2], Style::SpaceDelimited), "ids=1+2");
        assert_eq!(query("ids", &[1, 2], Style::PipeDelimited), "ids=1%7C2");
        let point = serde_json::json!({"x": 1, "y": 2});
        assert_eq!(query("p", &point, Style::FormJoined), "p=x%2C1%2Cy%2C2");
        assert_eq!(query("p", &None::<Vec<i64>>, Style::FormJoined), "");
    }
}
