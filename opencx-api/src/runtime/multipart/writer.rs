//! The serializer that writes a generated multipart body as a form: each
//! field a part, as [`super::form`] describes.

use reqwest::multipart::{Form, Part};
use serde::ser::{self, Impossible, Serialize, SerializeStruct, Serializer};

use super::{Repr, FILE};

/// An error writing a form: what went wrong, naming the field.
#[derive(Debug)]
pub(super) struct FormError(pub(super) String);

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
pub(super) struct FormWriter;

/// The fields written so far.
pub(super) struct Fields(Form);

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
