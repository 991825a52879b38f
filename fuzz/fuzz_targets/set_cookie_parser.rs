//! The reference jar's Set-Cookie parser (§5.6) on any bytes, and on lines built from the
//! scenario model's token dictionaries: it must never panic, and under the 6265bis profiles
//! (rfc6265bis, layered-cookies) a parsed cookie never holds a control character other than
//! HTAB in its name or value (§5.6 step 1), never has a name plus value over 4096 octets (§5.6
//! step 5) and never keeps an attribute value over 1024 octets (§5.6 attribute step 6). Under
//! every profile, name and value carry no leading or trailing space or tab (§5.6 step 4).
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use cookie_conformance_fuzz::scenario::LineInput;
use libfuzzer_sys::fuzz_target;
use reference_jar::set_cookie::{self, Attribute, MAX_ATTRIBUTE_VALUE, MAX_NAME_VALUE};
use reference_jar::Profile;

fn is_forbidden_ctl(b: u8) -> bool {
    matches!(b, 0x00..=0x08 | 0x0A..=0x1F | 0x7F)
}

fn trimmed(s: &[u8]) -> bool {
    !matches!(s.first(), Some(b' ' | b'\t')) && !matches!(s.last(), Some(b' ' | b'\t'))
}

fn check(line: &[u8]) {
    for profile in Profile::ALL {
        let Ok(c) = set_cookie::parse(line, profile) else { continue };
        let shown = String::from_utf8_lossy(line);
        assert!(trimmed(c.name) && trimmed(c.value), "[{profile}] untrimmed name or value from {shown:?}");
        if !profile.is_bis() {
            continue;
        }
        assert!(
            !c.name.iter().chain(c.value).any(|&b| is_forbidden_ctl(b)),
            "[{profile}] a control character in the name or value of {shown:?}"
        );
        assert!(c.name.len() + c.value.len() <= MAX_NAME_VALUE, "[{profile}] name+value over 4096 octets");
        for a in &c.attributes {
            let value: &[u8] = match a {
                Attribute::Domain(v) | Attribute::Path(Some(v)) => v,
                Attribute::Unknown { value, .. } => value,
                _ => &[],
            };
            assert!(value.len() <= MAX_ATTRIBUTE_VALUE, "[{profile}] attribute value over 1024 octets: {a:?}");
        }
    }
}

fuzz_target!(|data: &[u8]| {
    check(data);
    if let Ok(LineInput(line)) = LineInput::arbitrary_take_rest(Unstructured::new(data)) {
        check(&line.bytes());
    }
});
