//! Writing the scalars of generated case files: strings as YAML double-quoted scalars (every
//! octet survives a round trip through the loader), and bytes that are not UTF-8 as
//! `{ base64: "..." }` (the form `cases/README.md` gives for them).
//!
//! Importers write YAML text themselves rather than through a serializer, so that generated
//! files look like hand-written ones (flow maps for short steps, one cookie a line).

use base64::Engine as _;

/// `text` as a YAML double-quoted scalar. Printable characters are kept as they are (so
/// non-ASCII text stays readable); control characters, the C1 range, the byte order mark, the
/// Unicode line and paragraph separators and the non-characters U+FFFE/U+FFFF are escaped, as
/// are `"` and `\`.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            ' '..='~' => out.push(c),
            c if (c as u32) < 0x20 || ('\u{7f}'..='\u{9f}').contains(&c) => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Bytes as a YAML value: a double-quoted string when they are UTF-8, else
/// `{ base64: "..." }` (standard alphabet, padded).
pub fn bytes(b: &[u8]) -> String {
    match std::str::from_utf8(b) {
        Ok(text) => quote(text),
        Err(_) => format!("{{ base64: \"{}\" }}", base64::engine::general_purpose::STANDARD.encode(b)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cookie_conformance::bytes::Bytes;

    /// What the case loader reads back from a generated scalar.
    fn read_back(yaml: &str) -> Vec<u8> {
        let v: Bytes = serde_saphyr::from_str(yaml).unwrap_or_else(|e| panic!("{yaml}: {e}"));
        v.0
    }

    #[test]
    fn every_character_class_round_trips() {
        let samples = [
            "plain=value; Path=/",
            "quote\" backslash\\ tab\t cr\r lf\n nul\0 bel\x07 esc\x1b del\x7f",
            "c1 \u{85} \u{9f} nbsp\u{a0} bom\u{feff} ls\u{2028} ps\u{2029} nonchar\u{fffe}\u{ffff}",
            "日本語=値; émoji=🍪",
            "# not a comment: not a key - [not] {a} map, &anchor *alias !tag %dir @ `",
            "",
            "   leading and trailing spaces   ",
        ];
        for s in samples {
            assert_eq!(read_back(&quote(s)), s.as_bytes(), "{s:?} -> {}", quote(s));
        }
    }

    #[test]
    fn non_utf8_becomes_base64() {
        let raw = b"a=caf\xe9\xff";
        let yaml = bytes(raw);
        assert_eq!(yaml, "{ base64: \"YT1jYWbp/w==\" }");
        assert_eq!(read_back(&yaml), raw);
        assert_eq!(bytes(b"a=b"), "\"a=b\"");
    }
}
