//! `multipart/form-data` request bodies: the generated body type, sent as
//! one part per field.
//!
//! progenitor cannot send multipart bodies (oxidecomputer/progenitor#220),
//! so the codegen rewrites (`codegen/requests.rs`) give such an operation a
//! typed body, as for JSON, in which every `format: binary` property is a
//! [`File`], and send it with [`form`]. A part is what OpenAPI 3.0's
//! multipart defaults say: a string, number or boolean is a text part; a
//! [`File`] is a file part with its bytes (and the file name and media type
//! it was given); a list is one part per item, all with the field's name; an
//! object is a JSON part (`application/json`); a field that is `None` is
//! left out.

#[cfg(test)]
mod tests;
mod writer;

use bytes::Bytes;
use reqwest::multipart::Form;
use serde::ser::{Serialize, Serializer};

use writer::FormWriter;

/// The name [`File`] serializes under, which [`form`] recognizes (the way
/// `serde_json::value::RawValue` is recognized).
const FILE: &str = "$opencx_api::runtime::multipart::File";

/// A file part of a multipart request: its bytes, and the file name and
/// media type to send with them (neither by default; a server that needs a
/// file name says so in its documentation).
///
/// Built from anything that gives bytes:
///
/// ```
/// use opencx_api::primitives::File;
/// let logo = File::from(b"\x89PNG...".to_vec())
///     .file_name("logo.png")
///     .content_type("image/png");
/// assert_eq!(logo.bytes().len(), 7);
/// assert_eq!(logo.name(), Some("logo.png"));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct File {
    bytes: Bytes,
    file_name: Option<String>,
    content_type: Option<String>,
}

impl File {
    /// A file part holding `bytes`.
    pub fn new(bytes: impl Into<Bytes>) -> Self {
        Self {
            bytes: bytes.into(),
            ..Self::default()
        }
    }

    /// The file name sent in the part's `Content-Disposition`.
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// The part's `Content-Type` (else `application/octet-stream`).
    pub fn content_type(mut self, media_type: impl Into<String>) -> Self {
        self.content_type = Some(media_type.into());
        self
    }

    /// The bytes.
    pub fn bytes(&self) -> &Bytes {
        &self.bytes
    }

    /// The file name, if one was given.
    pub fn name(&self) -> Option<&str> {
        self.file_name.as_deref()
    }
}

impl From<Vec<u8>> for File {
    fn from(bytes: Vec<u8>) -> Self {
        Self::new(bytes)
    }
}

impl From<Bytes> for File {
    fn from(bytes: Bytes) -> Self {
        Self::new(bytes)
    }
}

impl From<&'static [u8]> for File {
    fn from(bytes: &'static [u8]) -> Self {
        Self::new(bytes)
    }
}

impl From<String> for File {
    fn from(text: String) -> Self {
        Self::new(text)
    }
}

impl From<&str> for File {
    fn from(text: &str) -> Self {
        Self::new(text.to_string())
    }
}

/// What a [`File`] is written as: a struct under [`FILE`], so [`form`] can
/// tell it from a string; as JSON (a mock's body, `Debug` output) it reads
/// `{"file_name": .., "content_type": .., "bytes": [..]}`.
#[derive(serde::Serialize, serde::Deserialize)]
struct Repr {
    file_name: Option<String>,
    content_type: Option<String>,
    #[serde(with = "serde_bytes_as_seq")]
    bytes: Vec<u8>,
}

mod serde_bytes_as_seq {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(bytes)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        Vec::<u8>::deserialize(d)
    }
}

impl Serialize for File {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_newtype_struct(
            FILE,
            &Repr {
                file_name: self.file_name.clone(),
                content_type: self.content_type.clone(),
                bytes: self.bytes.to_vec(),
            },
        )
    }
}

/// A file read from JSON: the object [`Repr`] writes, or the file's
/// content as a string or a list of bytes (what a JSON document or a mock
/// server gives for a `format: binary` value).
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum Wire {
    Text(String),
    Bytes(Vec<u8>),
    Repr(Repr),
}

impl<'de> serde::Deserialize<'de> for File {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match Wire::deserialize(deserializer)? {
            Wire::Text(text) => Self::from(text),
            Wire::Bytes(bytes) => Self::from(bytes),
            Wire::Repr(repr) => Self {
                bytes: repr.bytes.into(),
                file_name: repr.file_name,
                content_type: repr.content_type,
            },
        })
    }
}

/// The multipart form of a generated body: a part per field of `body`, in
/// the order of its fields.
///
/// # Errors
/// `body` is not a struct (a generated multipart body always is), or a
/// field cannot be written as a part; the message names the field.
// Called by the generated code of an API with multipart bodies only.
#[allow(dead_code)]
pub fn form<T: Serialize>(body: &T) -> Result<Form, String> {
    body.serialize(FormWriter).map_err(|e| e.0)
}
