//! Security classes: the attacks a case's failure opens a jar to, so that a report can say which
//! divergences are security bugs. The vocabulary is settled from RFC 6265bis -22's Security
//! Considerations (§8) and the storage and retrieval rules that defend against each attack, and
//! follows the attack rows of the Cookie Crumbles study (USENIX Security 2023). A case lists its
//! classes under `security:`; the loader refuses any other word.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// An attack a failing case opens the jar to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum AttackClass {
    /// A related host (a sibling subdomain) sets a cookie for the shared parent domain, or for
    /// a broader path, that the victim host then receives beside or ahead of its own
    /// (§8.6; identity §5.7 step 23, order §5.8.3 step 4).
    Tossing,
    /// A host plants a cookie for a domain it does not domain-match, or a cross-site request
    /// plants one for the victim site (§8.4, §8.6; §5.7 step 10).
    Fixation,
    /// A cookie scoped to a public suffix (or to a host the origin is not part of) reaches
    /// every site under it (§5.7 step 9, §5.8.3 step 3).
    Supercookie,
    /// An insecure origin sets, overwrites, deletes or shadows a Secure cookie (§8.6; §5.7
    /// steps 13 and 16).
    SecureOverwrite,
    /// A Secure cookie is sent over an insecure channel (§8.3; §5.8.3 step 3).
    CleartextLeak,
    /// A cookie reaches a host it is not scoped to: a host-only cookie sent to a subdomain, a
    /// Domain cookie to another domain (§8.5; §5.8.3 step 3).
    ScopeLeak,
    /// A `__Secure-`, `__Host-` (or layered-cookies `__Http-`, `__Host-Http-`) cookie is stored
    /// without the guarantees its prefix promises (§4.1.3, §5.4; §5.7 steps 20 to 22).
    PrefixBypass,
    /// A nameless cookie serializes as another cookie: `=a=b` is sent as `a=b`, `=__Host-x=y`
    /// as a `__Host-` cookie (§5.7 step 22; §5.8.3 step 4).
    SerializationCollision,
    /// Script reads, sets or overwrites an HttpOnly cookie (§5.7 steps 15 and 23.2; §5.8.3
    /// step 3).
    HttponlyBypass,
    /// A SameSite restriction does not hold: the cookie is sent on a cross-site request, or
    /// set from one (§8.8; §5.7 steps 18 and 19; §5.8.3 step 3).
    SamesiteBypass,
    /// An attacker's cookies push the victim's out of the jar: per-domain or total overflow,
    /// the priority of Secure and expired cookies (§5.7 "remove excess cookies", §6.1).
    Eviction,
    /// The jar reads a Set-Cookie line otherwise than the spec (control characters, a comma
    /// taken for a separator, quotes), so that the server, browsers and this jar disagree on
    /// which cookies exist (§5.6).
    JarDesync,
}

impl AttackClass {
    /// Every class, in report order.
    pub const ALL: [AttackClass; 12] = [
        AttackClass::Tossing,
        AttackClass::Fixation,
        AttackClass::Supercookie,
        AttackClass::SecureOverwrite,
        AttackClass::CleartextLeak,
        AttackClass::ScopeLeak,
        AttackClass::PrefixBypass,
        AttackClass::SerializationCollision,
        AttackClass::HttponlyBypass,
        AttackClass::SamesiteBypass,
        AttackClass::Eviction,
        AttackClass::JarDesync,
    ];

    /// The word in case files and reports (`prefix-bypass`).
    pub fn name(self) -> &'static str {
        match self {
            AttackClass::Tossing => "tossing",
            AttackClass::Fixation => "fixation",
            AttackClass::Supercookie => "supercookie",
            AttackClass::SecureOverwrite => "secure-overwrite",
            AttackClass::CleartextLeak => "cleartext-leak",
            AttackClass::ScopeLeak => "scope-leak",
            AttackClass::PrefixBypass => "prefix-bypass",
            AttackClass::SerializationCollision => "serialization-collision",
            AttackClass::HttponlyBypass => "httponly-bypass",
            AttackClass::SamesiteBypass => "samesite-bypass",
            AttackClass::Eviction => "eviction",
            AttackClass::JarDesync => "jar-desync",
        }
    }

    /// One line for reports: what the attacker gets, and where the spec defends against it.
    pub fn summary(self) -> &'static str {
        match self {
            AttackClass::Tossing => "a sibling subdomain's cookie shadows or precedes the host's own (§8.6, §5.8.3 step 4)",
            AttackClass::Fixation => "a cookie planted for a domain the setter does not domain-match (§8.4, §5.7 step 10)",
            AttackClass::Supercookie => "a cookie scoped to a public suffix reaches every site under it (§5.7 step 9)",
            AttackClass::SecureOverwrite => "an insecure origin sets or replaces a Secure cookie (§8.6, §5.7 steps 13, 16)",
            AttackClass::CleartextLeak => "a Secure cookie sent over http (§8.3, §5.8.3 step 3)",
            AttackClass::ScopeLeak => "a cookie sent to a host outside its scope (§8.5, §5.8.3 step 3)",
            AttackClass::PrefixBypass => "a __Secure-/__Host- cookie stored without its guarantees (§5.4, §5.7 steps 20-22)",
            AttackClass::SerializationCollision => "a nameless cookie serialized as another one, e.g. =__Host-a=b (§5.7 step 22)",
            AttackClass::HttponlyBypass => "script reads or overwrites an HttpOnly cookie (§5.7 steps 15, 23.2)",
            AttackClass::SamesiteBypass => "a SameSite cookie sent on, or set from, a cross-site request (§8.8, §5.7 step 18)",
            AttackClass::Eviction => "an attacker's cookies evict the victim's (§5.7 'remove excess cookies', §6.1)",
            AttackClass::JarDesync => "the jar parses Set-Cookie otherwise than servers and browsers (§5.6)",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_through_yaml() {
        for class in AttackClass::ALL {
            let parsed: AttackClass = serde_saphyr::from_str(class.name()).unwrap();
            assert_eq!(parsed, class);
        }
        assert!(serde_saphyr::from_str::<AttackClass>("cookie-tossing").is_err(), "only the vocabulary");
    }
}
