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

use bytes::Bytes;
use reqwest::multipart::{Form, Part};
use serde::ser::{self, Impossible, Serialize, SerializeStruct, Serializer};

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

/// An error writing a form: what went wrong, naming the field.
#[derive(Debug)]
struct FormError(String);

impl std::fmt::Display for FormError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FormError {}

impl ser::Error for FormError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Self(msg.to_string())
    }
}

fn not_a_struct<T>(what: &str) -> Result<T, FormError> {
    Err(FormError(format!(
        "a multipart body is an object of fields, not {what}"
    )))
}

/// Writes the body: a struct, whose fields become parts.
struct FormWriter;

/// The fields written so far.
struct Fields(Form);

impl SerializeStruct for Fields {
    type Ok = Form;
    type Error = FormError;

    fn serialize_field<V: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &V,
    ) -> Result<(), FormError> {
        let parts = value
            .serialize(PartWriter)
            .map_err(|e| FormError(format!("field `{key}`: {e}")))?;
        let mut form = std::mem::take(&mut self.0);
        for part in parts {
            form = form.part(key, part);
        }
        self.0 = form;
        Ok(())
    }

    fn end(self) -> Result<Form, FormError> {
        Ok(self.0)
    }
}

macro_rules! refuse {
    ($($name:ident($($arg:ty),*) -> $ok:ty;)*) => {
        $(fn $name(self, $(_: $arg),*) -> Result<$ok, FormError> {
            not_a_struct(stringify!($name))
        })*
    };
}

impl Serializer for FormWriter {
    type Ok = Form;
    type Error = FormError;
    type SerializeSeq = Impossible<Form, FormError>;
    type SerializeTuple = Impossible<Form, FormError>;
    type SerializeTupleStruct = Impossible<Form, FormError>;
    type SerializeTupleVariant = Impossible<Form, FormError>;
    type SerializeMap = Impossible<Form, FormError>;
    type SerializeStruct = Fields;
    type SerializeStructVariant = Impossible<Form, FormError>;

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Fields, FormError> {
        Ok(Fields(Form::new()))
    }

    fn serialize_newtype_struct<V: ?Sized + Serialize>(
        self,
        _: &'static str,
        value: &V,
    ) -> Result<Form, FormError> {
        value.serialize(self)
    }

    fn serialize_some<V: ?Sized + Serialize>(self, value: &V) -> Result<Form, FormError> {
        value.serialize(self)
    }

    refuse! {
        serialize_bool(bool) -> Form;
        serialize_i8(i8) -> Form;
        serialize_i16(i16) -> Form;
        serialize_i32(i32) -> Form;
        serialize_i64(i64) -> Form;
        serialize_u8(u8) -> Form;
        serialize_u16(u16) -> Form;
        serialize_u32(u32) -> Form;
        serialize_u64(u64) -> Form;
        serialize_f32(f32) -> Form;
        serialize_f64(f64) -> Form;
        serialize_char(char) -> Form;
        serialize_str(&str) -> Form;
        serialize_bytes(&[u8]) -> Form;
        serialize_none() -> Form;
        serialize_unit() -> Form;
        serialize_unit_struct(&'static str) -> Form;
        serialize_unit_variant(&'static str, u32, &'static str) -> Form;
        serialize_seq(Option<usize>) -> Self::SerializeSeq;
        serialize_tuple(usize) -> Self::SerializeTuple;
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant;
        serialize_map(Option<usize>) -> Self::SerializeMap;
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant;
    }

    fn serialize_newtype_variant<V: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &V,
    ) -> Result<Form, FormError> {
        not_a_struct("an enum")
    }
}

/// Writes one field's value as its parts.
struct PartWriter;

/// A field's value as JSON: an object, or what only JSON can say.
fn json_part<V: ?Sized + Serialize>(value: &V) -> Result<Vec<Part>, FormError> {
    let text = serde_json::to_string(value).map_err(|e| FormError(e.to_string()))?;
    let part = Part::text(text)
        .mime_str("application/json")
        .map_err(|e| FormError(e.to_string()))?;
    Ok(vec![part])
}

fn text(value: impl ToString) -> Result<Vec<Part>, FormError> {
    Ok(vec![Part::text(value.to_string())])
}

/// A list: the parts of each item, in order.
struct Items(Vec<Part>);

impl ser::SerializeSeq for Items {
    type Ok = Vec<Part>;
    type Error = FormError;

    fn serialize_element<V: ?Sized + Serialize>(&mut self, value: &V) -> Result<(), FormError> {
        self.0.extend(value.serialize(PartWriter)?);
        Ok(())
    }

    fn end(self) -> Result<Vec<Part>, FormError> {
        Ok(self.0)
    }
}

impl ser::SerializeTuple for Items {
    type Ok = Vec<Part>;
    type Error = FormError;

    fn serialize_element<V: ?Sized + Serialize>(&mut self, value: &V) -> Result<(), FormError> {
        ser::SerializeSeq::serialize_element(self, value)
    }

    fn end(self) -> Result<Vec<Part>, FormError> {
        Ok(self.0)
    }
}

/// An object: collected as JSON, sent as one JSON part.
struct Object(<serde_json::value::Serializer as Serializer>::SerializeMap);

impl ser::SerializeMap for Object {
    type Ok = Vec<Part>;
    type Error = FormError;

    fn serialize_key<K: ?Sized + Serialize>(&mut self, key: &K) -> Result<(), FormError> {
        self.0
            .serialize_key(key)
            .map_err(|e| FormError(e.to_string()))
    }

    fn serialize_value<V: ?Sized + Serialize>(&mut self, value: &V) -> Result<(), FormError> {
        self.0
            .serialize_value(value)
            .map_err(|e| FormError(e.to_string()))
    }

    fn end(self) -> Result<Vec<Part>, FormError> {
        let value = ser::SerializeMap::end(self.0).map_err(|e| FormError(e.to_string()))?;
        json_part(&value)
    }
}

impl SerializeStruct for Object {
    type Ok = Vec<Part>;
    type Error = FormError;

    fn serialize_field<V: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &V,
    ) -> Result<(), FormError> {
        ser::SerializeMap::serialize_entry(self, key, value)
    }

    fn end(self) -> Result<Vec<Part>, FormError> {
        ser::SerializeMap::end(self)
    }
}

impl Serializer for PartWriter {
    type Ok = Vec<Part>;
    type Error = FormError;
    type SerializeSeq = Items;
    type SerializeTuple = Items;
    type SerializeTupleStruct = Impossible<Vec<Part>, FormError>;
    type SerializeTupleVariant = Impossible<Vec<Part>, FormError>;
    type SerializeMap = Object;
    type SerializeStruct = Object;
    type SerializeStructVariant = Impossible<Vec<Part>, FormError>;

    fn serialize_bool(self, v: bool) -> Result<Vec<Part>, FormError> {
        text(v)
    }
    fn serialize_i8(self, v: i8) -> Result<Vec<Part>, FormError> {
        text(v)
    }
    fn serialize_i16(self, v: i16) -> Result<Vec<Part>, FormError> {
        text(v)
    }
    fn serialize_i32(self, v: i32) -> Result<Vec<Part>, FormError> {
        text(v)
    }
    fn serialize_i64(self, v: i64) -> Result<Vec<Part>, FormError> {
        text(v)
    }
    fn serialize_u8(self, v: u8) -> Result<Vec<Part>, FormError> {
        text(v)
    }
    fn serialize_u16(self, v: u16) -> Result<Vec<Part>, FormError> {
        text(v)
    }
    fn serialize_u32(self, v: u32) -> Result<Vec<Part>, FormError> {
        text(v)
    }
    fn serialize_u64(self, v: u64) -> Result<Vec<Part>, FormError> {
        text(v)
    }
    fn serialize_f32(self, v: f32) -> Result<Vec<Part>, FormError> {
        text(v)
    }
    fn serialize_f64(self, v: f64) -> Result<Vec<Part>, FormError> {
        text(v)
    }
    fn serialize_char(self, v: char) -> Result<Vec<Part>, FormError> {
        text(v)
    }
    fn serialize_str(self, v: &str) -> Result<Vec<Part>, FormError> {
        text(v)
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Vec<Part>, FormError> {
        Ok(vec![Part::bytes(v.to_vec())])
    }
    fn serialize_none(self) -> Result<Vec<Part>, FormError> {
        Ok(Vec::new())
    }
    fn serialize_some<V: ?Sized + Serialize>(self, value: &V) -> Result<Vec<Part>, FormError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Vec<Part>, FormError> {
        Ok(Vec::new())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Vec<Part>, FormError> {
        Ok(Vec::new())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Vec<Part>, FormError> {
        text(variant)
    }
    fn serialize_newtype_struct<V: ?Sized + Serialize>(
        self,
        name: &'static str,
        value: &V,
    ) -> Result<Vec<Part>, FormError> {
        if name != FILE {
            return value.serialize(self);
        }
        let repr: Repr = serde_json::to_value(value)
            .and_then(serde_json::from_value)
            .map_err(|e| FormError(format!("a file part: {e}")))?;
        let mut part = Part::bytes(repr.bytes);
        if let Some(name) = repr.file_name {
            part = part.file_name(name);
        }
        let media_type = repr
            .content_type
            .unwrap_or_else(|| "application/octet-stream".into());
        let part = part
            .mime_str(&media_type)
            .map_err(|e| FormError(format!("a file part's media type {media_type:?}: {e}")))?;
        Ok(vec![part])
    }
    fn serialize_newtype_variant<V: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        value: &V,
    ) -> Result<Vec<Part>, FormError> {
        json_part(value)
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Items, FormError> {
        Ok(Items(Vec::with_capacity(len.unwrap_or(0))))
    }
    fn serialize_tuple(self, len: usize) -> Result<Items, FormError> {
        Ok(Items(Vec::with_capacity(len)))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, FormError> {
        Err(FormError("a tuple struct cannot be a part".into()))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, FormError> {
        Err(FormError("a tuple variant cannot be a part".into()))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Object, FormError> {
        let map = serde_json::value::Serializer
            .serialize_map(None)
            .map_err(|e| FormError(e.to_string()))?;
        Ok(Object(map))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Object, FormError> {
        self.serialize_map(None)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, FormError> {
        Err(FormError("a struct variant cannot be a part".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Serialize)]
    struct Upload {
        file: File,
        files: Vec<File>,
        title: Option<String>,
        count: i64,
        meta: std::collections::BTreeMap<String, i64>,
    }

    #[test]
    fn a_file_round_trips_as_json_for_mocks_and_logs() {
        let file = File::from("x").file_name("a.txt");
        let json = serde_json::to_value(&file).unwrap();
        assert_eq!(json["file_name"], "a.txt");
        assert_eq!(serde_json::from_value::<File>(json).unwrap(), file);
        // A file's content as JSON gives it.
        let text: File = serde_json::from_value(serde_json::json!("a,b")).unwrap();
        assert_eq!(text.bytes().as_ref(), b"a,b");
        let bytes: File = serde_json::from_value(serde_json::json!([0, 159])).unwrap();
        assert_eq!(bytes.bytes().as_ref(), [0, 159]);
    }

    #[test]
    fn a_field_that_is_not_a_part_is_named() {
        // Tuples are lists; a tuple struct is not.
        #[derive(serde::Serialize)]
        struct Bad {
            pair: (i64, (i64, i64)),
            nested: Vec<Vec<(i64,)>>,
        }
        #[derive(serde::Serialize)]
        struct Worse {
            inner: Inner,
        }
        #[derive(serde::Serialize)]
        struct Inner(i64, i64);
        let error = form(&Worse { inner: Inner(1, 2) }).unwrap_err();
        assert_eq!(error, "field `inner`: a tuple struct cannot be a part");
        assert!(form(&Bad {
            pair: (1, (2, 3)),
            nested: vec![vec![(1,)]]
        })
        .is_ok());
        assert!(form(&5).is_err());
    }

    #[tokio::test]
    async fn every_field_is_a_part_as_openapi_says() {
        let body = Upload {
            file: File::from(vec![0u8, 159, 146, 150])
                .file_name("blob.bin")
                .content_type("image/png"),
            files: vec![File::from("one"), File::from("two")],
            title: None,
            count: 3,
            meta: [("a".to_string(), 1)].into(),
        };
        let form = form(&body).unwrap();
        let boundary = form.boundary().to_string();
        // What goes on the wire, read by a server on loopback.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        let end = format!("--{boundary}--");
        let server = tokio::spawn(async move {
            use tokio::io::{AsyncReadExt, AsyncWriteExt};
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut bytes = Vec::new();
            let mut buffer = [0u8; 4096];
            while !String::from_utf8_lossy(&bytes).contains(&end) {
                let n = socket.read(&mut buffer).await.unwrap();
                assert!(n > 0, "the request ended early");
                bytes.extend_from_slice(&buffer[..n]);
            }
            socket
                .write_all(b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n")
                .await
                .unwrap();
            bytes
        });
        let answer = reqwest::Client::new()
            .post(url)
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 204);
        let bytes = server.await.unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            text.contains(&format!("multipart/form-data; boundary={boundary}")),
            "{text}"
        );
        assert!(
            text.contains(
                "name=\"file\"; filename=\"blob.bin\"\r\nContent-Type: image/png\r\n\r\n"
            ),
            "{text}"
        );
        assert_eq!(text.matches("name=\"files\"").count(), 2, "{text}");
        assert!(!text.contains("name=\"title\""), "{text}");
        assert!(text.contains("name=\"count\"\r\n\r\n3\r\n"), "{text}");
        assert!(
            text.contains("name=\"meta\"\r\nContent-Type: application/json\r\n\r\n{\"a\":1}\r\n"),
            "{text}"
        );
    }
}
