//! The virtual clock of a case: a start time (`now`, RFC 3339) and durations (`advance: 90s`,
//! `lax_allowing_unsafe: 2m`). Time is an input: nothing here reads the wall clock.

use std::borrow::Cow;
use std::fmt;

use reference_jar::UnixTime;
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Where the virtual clock starts when a case does not say: 2026-01-01T00:00:00Z.
pub const DEFAULT_START: UnixTime = 1_767_225_600;

/// A length of time in whole seconds, written `90s`, `2m`, `2h`, `400d`, `1d 30s`, or as a bare
/// number of seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Duration(pub i64);

impl Duration {
    /// The number of seconds.
    pub fn seconds(self) -> i64 {
        self.0
    }
}

const UNITS: [(char, i64); 4] = [('d', 86_400), ('h', 3_600), ('m', 60), ('s', 1)];

/// Parses a duration: one or more `<digits><unit>` terms (units `s`, `m`, `h`, `d`), optionally
/// separated by spaces, e.g. `1d 30s`.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let bad = |why: &str| {
        format!(
            "invalid duration `{text}`: {why} (write terms like `90s`, `2m`, `2h`, `400d`, `1d 30s`)"
        )
    };
    let mut rest = text.trim();
    if rest.is_empty() {
        return Err(bad("it is empty"));
    }
    let mut total: i64 = 0;
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err(bad("expected a number"));
        }
        let (number, after) = rest.split_at(digits);
        let n: i64 = number.parse().map_err(|_| bad("number too large"))?;
        let mut chars = after.chars();
        let unit = chars.next().ok_or_else(|| bad("missing unit after the number"))?;
        let scale = UNITS
            .iter()
            .find(|(u, _)| *u == unit)
            .map(|(_, s)| *s)
            .ok_or_else(|| bad(&format!("unknown unit `{unit}`")))?;
        total = n
            .checked_mul(scale)
            .and_then(|s| total.checked_add(s))
            .ok_or_else(|| bad("too large"))?;
        rest = chars.as_str().trim_start();
    }
    Ok(Duration(total))
}

impl fmt::Display for Duration {
    /// The shortest spelling `parse_duration` reads back, e.g. `1d 30s`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 == 0 {
            return f.write_str("0s");
        }
        let mut left = self.0;
        let mut first = true;
        for (unit, scale) in UNITS {
            if left >= scale {
                if !first {
                    f.write_str(" ")?;
                }
                write!(f, "{}{unit}", left / scale)?;
                left %= scale;
                first = false;
            }
        }
        Ok(())
    }
}

struct DurationVisitor;

impl Visitor<'_> for DurationVisitor {
    type Value = Duration;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a duration such as `90s`, `2h`, `400d`, `1d 30s`, or a number of seconds")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Duration, E> {
        parse_duration(v).map_err(E::custom)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Duration, E> {
        i64::try_from(v).map(Duration).map_err(|_| E::custom(format!("duration {v} is too large")))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Duration, E> {
        if v < 0 {
            return Err(E::custom(format!("a duration cannot be negative ({v})")));
        }
        Ok(Duration(v))
    }
}

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DurationVisitor)
    }
}

impl Serialize for Duration {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl JsonSchema for Duration {
    fn schema_name() -> Cow<'static, str> {
        "Duration".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A duration: terms like 90s, 2m, 2h, 400d, \"1d 30s\" (units s, m, h, d), or a number of seconds.",
            "oneOf": [
                { "type": "integer", "minimum": 0 },
                { "type": "string", "pattern": "^\\s*[0-9]+[smhd](\\s*[0-9]+[smhd])*\\s*$" }
            ]
        })
    }
}

/// A point in time written in RFC 3339 (`2026-01-01T00:00:00Z`), in whole seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub UnixTime);

/// Parses an RFC 3339 date-time into Unix seconds. Fractions of a second are refused: the
/// cookie model (§5.1.1) counts whole seconds.
pub fn parse_timestamp(text: &str) -> Result<Timestamp, String> {
    let t = time::OffsetDateTime::parse(text.trim(), &time::format_description::well_known::Rfc3339)
        .map_err(|e| format!("invalid RFC 3339 timestamp `{text}`: {e} (write e.g. 2026-01-01T00:00:00Z)"))?;
    if t.nanosecond() != 0 {
        return Err(format!("timestamp `{text}` has a fraction of a second; cookies count whole seconds"));
    }
    Ok(Timestamp(t.unix_timestamp()))
}

/// Renders Unix seconds as RFC 3339 (UTC), or the raw number when out of range.
pub fn format_timestamp(t: UnixTime) -> String {
    time::OffsetDateTime::from_unix_timestamp(t)
        .ok()
        .and_then(|d| d.format(&time::format_description::well_known::Rfc3339).ok())
        .unwrap_or_else(|| format!("@{t}"))
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_timestamp(self.0))
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        parse_timestamp(&text).map_err(de::Error::custom)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl JsonSchema for Timestamp {
    fn schema_name() -> Cow<'static, str> {
        "Timestamp".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "An RFC 3339 date-time in whole seconds, e.g. 2026-01-01T00:00:00Z.",
            "type": "string",
            "format": "date-time"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("90s"), Ok(Duration(90)));
        assert_eq!(parse_duration("2m"), Ok(Duration(120)));
        assert_eq!(parse_duration("2h"), Ok(Duration(7_200)));
        assert_eq!(parse_duration("400d"), Ok(Duration(34_560_000)));
        assert_eq!(parse_duration("1d 30s"), Ok(Duration(86_430)));
        assert_eq!(parse_duration("1d30s"), Ok(Duration(86_430)));
        assert_eq!(parse_duration(" 0s "), Ok(Duration(0)));
    }

    #[test]
    fn bad_durations() {
        for bad in ["", "90", "s", "5q", "1.5h", "-1s", "1d x", "99999999999999999999s", "9223372036854775807d"] {
            let err = parse_duration(bad).unwrap_err();
            assert!(err.contains("invalid duration"), "{bad}: {err}");
        }
    }

    #[test]
    fn duration_display_round_trips() {
        for d in [0, 1, 59, 60, 86_430, 34_560_000, 90_061] {
            let text = Duration(d).to_string();
            assert_eq!(parse_duration(&text), Ok(Duration(d)), "{text}");
        }
        assert_eq!(Duration(86_430).to_string(), "1d 30s");
    }

    #[test]
    fn duration_from_yaml() {
        #[derive(Deserialize)]
        struct Doc {
            d: Duration,
        }
        let d: Doc = serde_saphyr::from_str("d: 1d 30s").unwrap();
        assert_eq!(d.d, Duration(86_430));
        let d: Doc = serde_saphyr::from_str("d: 120").unwrap();
        assert_eq!(d.d, Duration(120));
        let err = serde_saphyr::from_str::<Doc>("d: -5").err().unwrap().to_string();
        assert!(err.contains("negative"), "{err}");
    }

    #[test]
    fn timestamps() {
        assert_eq!(parse_timestamp("2026-01-01T00:00:00Z"), Ok(Timestamp(DEFAULT_START)));
        assert_eq!(parse_timestamp("1970-01-01T01:00:00+01:00"), Ok(Timestamp(0)));
        assert_eq!(parse_timestamp("1969-12-31T23:59:59Z"), Ok(Timestamp(-1)));
        assert!(parse_timestamp("2026-01-01").is_err());
        assert!(parse_timestamp("2026-01-01T00:00:00.5Z").unwrap_err().contains("fraction"));
        assert_eq!(format_timestamp(DEFAULT_START), "2026-01-01T00:00:00Z");
        assert_eq!(format_timestamp(i64::MAX), format!("@{}", i64::MAX));
    }
}
