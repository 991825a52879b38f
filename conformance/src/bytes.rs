//! Bytes in cases: a Set-Cookie line or a cookie-string may hold any octet but most control
//! characters (§5.6 step 1, §5.8.3), so the case model keeps them as bytes. In YAML a value is a
//! string (UTF-8, YAML escapes for control characters) or `{ base64: "..." }` for octets that
//! are not UTF-8.

use std::borrow::Cow;
use std::fmt;

use base64::Engine as _;
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A byte string written in a case as a YAML string or as `{ base64: "..." }`.
#[derive(Clone, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Bytes(pub Vec<u8>);

impl Bytes {
    /// The octets.
    pub fn as_slice(&self) -> &[u8] {
        &self.0
    }
}

impl From<&str> for Bytes {
    fn from(s: &str) -> Self {
        Bytes(s.as_bytes().to_vec())
    }
}

impl From<Vec<u8>> for Bytes {
    fn from(v: Vec<u8>) -> Self {
        Bytes(v)
    }
}

impl fmt::Debug for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{}\"", escape(&self.0))
    }
}

/// Renders bytes for a human: UTF-8 text as is, except that control characters, backslashes
/// and quotes are escaped and octets that are not UTF-8 are written `\xNN`. The result can be
/// pasted into a double-quoted YAML string (YAML accepts `\xNN` for code points below 0x100,
/// so only invalid UTF-8 needs `{ base64 }` instead).
pub fn escape(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                '"' => out.push_str("\\\""),
                '\t' => out.push_str("\\t"),
                '\r' => out.push_str("\\r"),
                '\n' => out.push_str("\\n"),
                c if c.is_control() => {
                    let n = c as u32;
                    if n < 0x100 {
                        out.push_str(&format!("\\x{n:02x}"));
                    } else {
                        out.push_str(&format!("\\u{n:04x}"));
                    }
                }
                c => out.push(c),
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    out
}

/// Decodes the value of a `{ base64: ... }` map (standard alphabet, padding optional).
pub fn decode_base64(text: &str) -> Result<Vec<u8>, String> {
    let engine = base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
    );
    engine.decode(text.trim()).map_err(|e| format!("invalid base64 `{text}`: {e}"))
}

struct BytesVisitor;

impl<'de> Visitor<'de> for BytesVisitor {
    type Value = Bytes;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string or a map `{ base64: \"...\" }`")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Bytes, E> {
        Ok(Bytes(v.as_bytes().to_vec()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Bytes, E> {
        Ok(Bytes(v.into_bytes()))
    }

    // A plain scalar such as `42` or `true` is not a string in YAML 1.2; its text is lost by
    // the time it reaches us (`1.0` vs `1`), so ask the author to quote it instead of guessing.
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Bytes, E> {
        Err(E::custom(format!("expected a string, found the boolean `{v}`: quote it (\"{v}\")")))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Bytes, E> {
        Err(E::custom(format!("expected a string, found the number `{v}`: quote it (\"{v}\")")))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Bytes, E> {
        Err(E::custom(format!("expected a string, found the number `{v}`: quote it (\"{v}\")")))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Bytes, E> {
        Err(E::custom(format!("expected a string, found the number `{v}`: quote it")))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Bytes, A::Error> {
        let mut decoded = None;
        while let Some(key) = map.next_key::<String>()? {
            if key != "base64" {
                return Err(de::Error::custom(format!(
                    "unknown key `{key}` in a byte string: the only key is `base64`"
                )));
            }
            if decoded.is_some() {
                return Err(de::Error::duplicate_field("base64"));
            }
            let text: String = map.next_value()?;
            decoded = Some(decode_base64(&text).map_err(de::Error::custom)?);
        }
        decoded.map(Bytes).ok_or_else(|| de::Error::missing_field("base64"))
    }
}

impl<'de> Deserialize<'de> for Bytes {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(BytesVisitor)
    }
}

impl Serialize for Bytes {
    /// UTF-8 as a string, anything else as `{ "base64": ... }`: the same shapes the loader reads.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match std::str::from_utf8(&self.0) {
            Ok(text) => serializer.serialize_str(text),
            Err(_) => {
                use serde::ser::SerializeMap;
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry(
                    "base64",
                    &base64::engine::general_purpose::STANDARD.encode(&self.0),
                )?;
                map.end()
            }
        }
    }
}

impl JsonSchema for Bytes {
    fn schema_name() -> Cow<'static, str> {
        "Bytes".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "Octets: a string (UTF-8; YAML escapes such as \"\\t\" or \"\\x01\" for control characters) or { base64: \"...\" } for octets that are not UTF-8.",
            "oneOf": [
                { "type": "string" },
                {
                    "type": "object",
                    "properties": { "base64": { "type": "string", "contentEncoding": "base64" } },
                    "required": ["base64"],
                    "additionalProperties": false
                }
            ]
        })
    }
}

/// `#[serde(with = "crate::bytes::list")]` for a `Vec<Vec<u8>>` written as a list of [`Bytes`],
/// so that targets receive `&[Vec<u8>]` without a copy.
pub mod list {
    use super::Bytes;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// Deserializes a list of [`Bytes`].
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Vec<u8>>, D::Error> {
        Ok(Vec::<Bytes>::deserialize(d)?.into_iter().map(|b| b.0).collect())
    }

    /// Serializes a list of byte strings as [`Bytes`].
    pub fn serialize<S: Serializer>(v: &[Vec<u8>], s: S) -> Result<S::Ok, S::Error> {
        let list: Vec<Bytes> = v.iter().map(|b| Bytes(b.clone())).collect();
        list.serialize(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    struct Doc {
        v: Bytes,
    }

    fn load(yaml: &str) -> Result<Bytes, String> {
        serde_saphyr::from_str::<Doc>(yaml).map(|d| d.v).map_err(|e| e.to_string())
    }

    #[test]
    fn plain_and_quoted_strings() {
        assert_eq!(load("v: a=b").unwrap().0, b"a=b");
        assert_eq!(load("v: \"a=b\\x01c\\t\"").unwrap().0, b"a=b\x01c\t");
        assert_eq!(load("v: ''").unwrap().0, b"");
        // Trailing spaces survive inside quotes.
        assert_eq!(load("v: \"a=b \"").unwrap().0, b"a=b ");
        // UTF-8 is kept as its octets.
        assert_eq!(load("v: \"a=é\"").unwrap().0, "a=é".as_bytes());
    }

    #[test]
    fn base64_map() {
        assert_eq!(load("v: { base64: \"YT3/\" }").unwrap().0, b"a=\xff");
        // Padding is optional.
        assert_eq!(load("v: { base64: YT1i }").unwrap().0, b"a=b");
        assert_eq!(load("v: { base64: YQ }").unwrap().0, b"a");
    }

    #[test]
    fn bad_base64_is_an_error() {
        let err = load("v: { base64: \"not base64!\" }").unwrap_err();
        assert!(err.contains("invalid base64"), "{err}");
        assert!(err.contains("line 1"), "{err}");
        let err = load("v: { base65: YQ }").unwrap_err();
        assert!(err.contains("unknown key `base65`"), "{err}");
        let err = load("v: {}").unwrap_err();
        assert!(err.contains("base64"), "{err}");
    }

    #[test]
    fn non_strings_must_be_quoted() {
        let err = load("v: 42").unwrap_err();
        assert!(err.contains("quote it"), "{err}");
        let err = load("v: true").unwrap_err();
        assert!(err.contains("quote it"), "{err}");
    }

    #[test]
    fn escape_is_readable_and_lossless() {
        assert_eq!(escape(b"a=b"), "a=b");
        assert_eq!(escape(b"a=\x01\t\"\\"), "a=\\x01\\t\\\"\\\\");
        assert_eq!(escape(b"a=\xff"), "a=\\xff");
        assert_eq!(escape("é".as_bytes()), "é");
        assert_eq!(escape("\u{7f}".as_bytes()), "\\x7f");
    }

    #[test]
    fn serializes_back_to_the_same_shapes() {
        assert_eq!(serde_json::to_string(&Bytes::from("a=b")).unwrap(), "\"a=b\"");
        assert_eq!(
            serde_json::to_string(&Bytes(b"a=\xff".to_vec())).unwrap(),
            "{\"base64\":\"YT3/\"}"
        );
    }
}
