//! The dictionaries the scenario generator draws from: a small graph of hosts (registrable
//! domains, subdomains, public suffixes, IP literals, IDN, uppercase), paths, and the tokens of
//! Set-Cookie lines (names, values, separators, attribute names in odd cases, attribute values,
//! cookie-date fragments, and "spice": the bytes parsers disagree about).
//!
//! Each list is ordered simplest first: the minimizer replaces an entry by an earlier one.

/// A family of related hosts: the hosts a scenario's requests go to, and the Domain attribute
/// values that make sense for them (§5.1.3 domain-match, §5.7 steps 9-10).
pub struct Family {
    /// A label for reports.
    pub name: &'static str,
    /// Request hosts (as written in URLs), simplest first.
    pub hosts: &'static [&'static str],
    /// Domain attribute values for this family, simplest first.
    pub domains: &'static [&'static str],
}

/// The host graph. Family 0 is the simplest; the last family is the "other site" that
/// cross-site contexts come from.
pub static FAMILIES: &[Family] = &[
    Family {
        name: "example.com",
        hosts: &["example.com", "www.example.com", "a.b.example.com", "EXAMPLE.com", "com", "example.com.", "Www.Example.COM"],
        domains: &[
            "example.com", ".example.com", "www.example.com", "EXAMPLE.COM", "com", ".com", "example.com.",
            "..example.com", "b.example.com", "ample.com", "xample.com", ".www.example.com", "*.example.com",
            "example.com:443", "a.b.example.com", "example", "Example.Com",
        ],
    },
    Family {
        name: "co.uk (multi-label public suffix)",
        hosts: &["example.co.uk", "www.example.co.uk", "co.uk", "other.co.uk", "uk"],
        domains: &["example.co.uk", ".example.co.uk", "co.uk", ".co.uk", "uk", "www.example.co.uk", "CO.UK"],
    },
    Family {
        name: "github.io (private public suffix)",
        hosts: &["user.github.io", "www.user.github.io", "github.io", "other.github.io"],
        domains: &["user.github.io", "github.io", ".github.io", "io", "www.user.github.io", "GitHub.io"],
    },
    Family {
        name: "IPv4",
        hosts: &["1.2.3.4", "127.0.0.1", "01.2.3.4", "0x7f.1", "1.2.3.4."],
        domains: &["1.2.3.4", ".1.2.3.4", "2.3.4", "3.4", "127.0.0.1", "0.0.1", "01.2.3.4", "1.2.3.04"],
    },
    Family {
        name: "IPv6",
        hosts: &["[2001:db8::1]", "[::1]", "[2001:DB8:0::1]", "[::ffff:1.2.3.4]"],
        domains: &["[2001:db8::1]", "2001:db8::1", "[::1]", "::1", "db8::1", "[2001:db8:0:0:0:0:0:1]", "1.2.3.4"],
    },
    Family {
        name: "localhost",
        hosts: &["localhost", "a.localhost", "LOCALHOST"],
        domains: &["localhost", ".localhost", "a.localhost", "LocalHost"],
    },
    Family {
        name: "IDN",
        hosts: &["xn--bcher-kva.example", "bücher.example", "www.bücher.example", "BÜCHER.example", "www.xn--bcher-kva.example"],
        domains: &["xn--bcher-kva.example", "bücher.example", ".bücher.example", "BÜCHER.example", "example", "XN--BCHER-KVA.example"],
    },
    Family {
        name: "other.org (another site)",
        hosts: &["other.org", "www.other.org"],
        domains: &["other.org", ".other.org", "org"],
    },
];

/// The family cross-site contexts come from (the last one).
pub fn other_family() -> usize {
    FAMILIES.len() - 1
}

/// Request paths, as written in URLs (a query string is not part of the path).
pub static PATHS: &[&str] = &[
    "/", "/a", "/a/", "/a/b", "/ab", "/b", "/A", "/a/b/c", "", "/a?x=1", "/a%2Fb", "/%61", "/a//b", "/ü",
];

/// Cookie-names.
pub static NAMES: &[&[u8]] = &[
    b"a", b"b", b"SID", b"__Host-id", b"__Secure-id", b"__host-id", b"__HOST-id", b"__secure-id", b"__SeCuRe-id",
    b"__Http-id", b"__Host-Http-id", b"$Version", b"$Path", b"", b" a", b"a ", b"a b", b"\"a\"", b"a,b", b"Domain",
    b"Expires", b"secure", b"\xc3\xbc", b"a\tb", b"__Host-", b"__Secure-", b"_Host-id", b"__Host_id",
];

/// Cookie-values.
pub static VALUES: &[&[u8]] = &[
    b"1", b"2", b"", b"\"v\"", b"\"", b"a b", b"x,y", b"a=b", b"\xc2\xa0v", b"v\xc2\xa0", b"\xe2\x80\x80", b"\xc3\xa9",
    b" ", b"\t1", b"__Host-x", b"__Secure-x", b"__host-x", b"%20", b"\\", b"{}", b"\"a b\"", b"v ", b"=", b"==v",
];

/// What separates attributes (the second algorithm of §5.6 splits at ";").
pub static SEPARATORS: &[&[u8]] = &[b"; ", b";", b" ; ", b";;", b"; ;", b";\t", b", ", b";  "];

/// Between an attribute-name and its value.
pub static EQUALS: &[&[u8]] = &[b"=", b" = ", b"", b"==", b"\t=\t"];

/// The attributes the generator knows, each with spellings in odd cases.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttrKind {
    /// §5.6.3.
    Domain,
    /// §5.6.4.
    Path,
    /// §5.6.5.
    Secure,
    /// §5.6.6.
    HttpOnly,
    /// §5.6.2.
    MaxAge,
    /// §5.6.1.
    Expires,
    /// §5.6.7.
    SameSite,
    /// CHIPS.
    Partitioned,
    /// Anything else (§5.6 step 7: ignored).
    Other,
}

/// (kind, spellings) for every attribute; the first spelling is the canonical one.
pub static ATTRIBUTES: &[(AttrKind, &[&[u8]])] = &[
    (AttrKind::Domain, &[b"Domain", b"domain", b"DOMAIN", b"dOmAiN", b" Domain", b"Domain ", b"Domains"]),
    (AttrKind::Path, &[b"Path", b"path", b"PATH", b"pAtH", b"Path ", b"Paths"]),
    (AttrKind::Secure, &[b"Secure", b"secure", b"SECURE", b"SeCuRe", b"Secure ", b"Secures"]),
    (AttrKind::HttpOnly, &[b"HttpOnly", b"httponly", b"HTTPONLY", b"Http-Only", b"HttpOnly "]),
    (AttrKind::MaxAge, &[b"Max-Age", b"max-age", b"MAX-AGE", b"Max-age", b"MaxAge", b"Max_Age"]),
    (AttrKind::Expires, &[b"Expires", b"expires", b"EXPIRES", b"Expire", b"eXpIrEs"]),
    (AttrKind::SameSite, &[b"SameSite", b"samesite", b"SAMESITE", b"Same-Site", b"SameSite "]),
    (AttrKind::Partitioned, &[b"Partitioned", b"partitioned", b"PARTITIONED"]),
    (AttrKind::Other, &[b"Version", b"Comment", b"Priority", b"", b"x", b"$Version", b"Port"]),
];

/// Path attribute values (§5.6.4); long ones near the 1024-octet limit come from runs.
pub static PATH_VALUES: &[&[u8]] = &[
    b"/", b"/a", b"/a/", b"/a/b", b"/ab", b"/A", b"", b"a", b"/a/b/c/", b"//", b"/a//b", b"/a/./b", b"/%61", b"/a?x",
    b"/\xc3\xbc", b"/a/b/c", b"/b", b" /a", b"/a ",
];

/// Max-Age values (§5.6.2).
pub static MAX_AGE_VALUES: &[&[u8]] = &[
    b"60", b"0", b"-1", b"1", b"86400", b"34560000", b"34560001", b"99999999999999999999", b"-0", b"+1", b"1.5",
    b"1e3", b" 1", b"007", b"", b"-", b"0x10", b"-99999999999999999999", b"\xd9\xa1", b"3600 ", b"9223372036854775807",
    b"9223372036854775808",
];

/// SameSite values (§5.6.7).
pub static SAMESITE_VALUES: &[&[u8]] = &[
    b"Lax", b"Strict", b"None", b"lax", b"STRICT", b"none", b"", b"Laxx", b"Default", b"no", b"\"Lax\"", b"Lax,Strict",
];

/// Values of attributes without a meaningful value (Secure=..., unknown attributes).
pub static OTHER_VALUES: &[&[u8]] = &[b"", b"1", b"false", b"true", b"x", b"/", b"=", b"\"\""];

/// Cookie-date fragments (§5.1.1): weekdays.
pub static WEEKDAYS: &[&[u8]] = &[b"Thu, ", b"Wednesday, ", b"Thu ", b"", b"Xyz, ", b"Mon,", b"Sunday "];
/// Day-of-month.
pub static DAYS: &[&[u8]] = &[b"01", b"1", b"31", b"32", b"0", b"001", b"29", b"30", b"15"];
/// Months.
pub static MONTHS: &[&[u8]] = &[b"Jan", b"jan", b"JAN", b"January", b"Feb", b"Dec", b"Foo", b"Ja", b"Janu", b"Sep"];
/// Years far from both the virtual clock's start (2026-01-01) and today's wall clock, so that
/// targets without a virtual clock agree with the reference on past and future.
pub static FAR_YEARS: &[&[u8]] = &[
    b"1970", b"1969", b"1601", b"1600", b"2037", b"2038", b"9999", b"10000", b"70", b"69", b"99", b"00", b"0",
    b"2100", b"1999", b"2070", b"1900", b"123", b"2040",
];
/// Years near the virtual clock's start: only with a virtual clock.
pub static NEAR_YEARS: &[&[u8]] = &[b"2026", b"26", b"2027", b"2025"];
/// Times of day.
pub static TIMES: &[&[u8]] = &[
    b"00:00:00", b"23:59:59", b"24:00:00", b"00:60:00", b"00:00:60", b"1:2:3", b"07:28", b"7:28:00:00", b"",
    b"00:00:00.5", b"12:00:00",
];
/// Zones (§5.1.1 ignores them; other parsers may not).
pub static ZONES: &[&[u8]] = &[b" GMT", b"", b" UTC", b" +0100", b" PST", b" Z", b"GMT"];
/// Delimiters inside dates (§5.1.1 delimiter set and a few non-delimiters).
pub static DATE_DELIMITERS: &[&[u8]] = &[b" ", b"-", b"/", b", ", b"  ", b"\t", b".", b"_"];

/// Bytes parsers disagree about, inserted anywhere: CTLs (§5.6 step 1), NBSP and U+2000 (not
/// WSP), non-UTF-8, quotes, commas, backslashes.
pub static SPICE: &[&[u8]] = &[
    b"\t", b" ", b"\x00", b"\x01", b"\x0b", b"\r", b"\n", b"\x7f", b"\x1f", b"\xc2\xa0", b"\xe2\x80\x80", b"\xff",
    b"\x80", b"\xc3", b",", b"\"", b"=", b";", b"\\", b"%00", b"\xef\xbb\xbf", b"\xe2\x80\xa8",
];

/// Lengths of generated runs of one byte: around the 1024-octet attribute-value limit and the
/// 4096-octet name+value limit (§5.6 steps 5 and attribute step 6, §6.1).
pub static RUN_LENGTHS: &[u16] = &[
    1, 2, 8, 1000, 1021, 1022, 1023, 1024, 1025, 2048, 4000, 4090, 4092, 4093, 4094, 4095, 4096, 4097, 5000,
];

/// Clock advances, in seconds: around Max-Age values and the 400-day cap (§5.5).
pub static ADVANCES: &[u32] = &[
    1, 59, 60, 61, 3599, 3600, 86_400, 86_401, 34_560_000, 34_560_001, 34_646_400, 400_000_000,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_are_non_empty_and_the_other_site_is_last() {
        for f in FAMILIES {
            assert!(!f.hosts.is_empty() && !f.domains.is_empty(), "{}", f.name);
        }
        assert_eq!(FAMILIES[other_family()].hosts[0], "other.org");
    }

    #[test]
    fn every_request_host_makes_a_url() {
        for f in FAMILIES {
            for h in f.hosts {
                for p in PATHS {
                    let u = format!("https://{h}{p}");
                    assert!(url::Url::parse(&u).is_ok(), "{u}");
                }
            }
        }
    }

    #[test]
    fn far_years_avoid_the_clock_window() {
        for y in FAR_YEARS {
            let text = std::str::from_utf8(y).unwrap();
            let n: u32 = text.parse().unwrap();
            // Two-digit years map to 1970-2069 (§5.1.1 step 3).
            let year = match (text.len(), n) {
                (1 | 2, 70..=99) => 1900 + n,
                (1 | 2, _) => 2000 + n,
                _ => n,
            };
            assert!(!(2024..=2029).contains(&year), "{text}");
        }
    }
}
