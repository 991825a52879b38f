//! What a case needs from a target, and why a target that lacks it skips the case.

use reference_jar::Profile;

use crate::case::{ApiName, Case, ConfigKey, Step, ThirdParty};
use crate::target::Capabilities;

/// The capabilities one (case, profile) pair needs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Needs {
    /// `now`, an `Expires` date at or after the clock's start (on a real clock, which is later
    /// than the start, such a date may already have passed), or a `stored` expiry-time.
    pub virtual_clock: bool,
    /// The seconds the case's `advance` steps add up to: a virtual clock, or a real-clock target
    /// that sleeps that long ([`Capabilities::sleeps_through_advance`]).
    pub advance: u64,
    /// A context with `api: script`.
    pub script_api: bool,
    /// A context with `site`, `top_level`, `navigation: true` or a method other than GET.
    pub same_site_contexts: bool,
    /// A `stored` assertion.
    pub storage_dump: bool,
    /// `chips: true`.
    pub partitioned: bool,
    /// `third_party:` other than `allow`.
    pub third_party: Option<ThirdParty>,
    /// Other options set to something other than the profile's default.
    pub options: Vec<ConfigKey>,
}

/// Whether a Set-Cookie line has an Expires attribute whose date is at or after `start`. Dates
/// before the start are in the past on any clock a target can have, so they need no virtual
/// clock; later ones are relative to "now", which only a virtual clock pins down.
fn expires_after(line: &[u8], start: reference_jar::UnixTime) -> bool {
    use reference_jar::set_cookie::{parse, Attribute};
    // RFC 6265 parsing keeps the most attributes (no length limits); nameless lines only parse
    // under 6265bis.
    parse(line, Profile::Rfc6265).or_else(|_| parse(line, Profile::Rfc6265bis)).is_ok_and(|c| {
        c.attributes.iter().any(|a| matches!(a, Attribute::Expires(date) if *date >= start))
    })
}

impl Needs {
    /// What `case` needs to run under `profile`.
    pub fn of(case: &Case, profile: Profile) -> Needs {
        let mut needs = Needs { virtual_clock: case.now.is_some(), ..Needs::default() };
        for step in &case.steps {
            let ctx = match step {
                Step::Advance(by) => {
                    needs.advance = needs.advance.saturating_add(u64::try_from(by.seconds()).unwrap_or(0));
                    continue;
                }
                Step::Set(s) => {
                    needs.virtual_clock |= s.cookies.iter().any(|line| expires_after(line, case.start()));
                    &s.context
                }
                Step::Expect(e) => {
                    needs.storage_dump |= e.stored.is_some();
                    // An expiry-time in `stored` is a point on the case's clock (the start plus a
                    // Max-Age): only a virtual clock can store that very time.
                    needs.virtual_clock |= e.stored.iter().flatten().any(|s| s.expires.is_some());
                    &e.context
                }
            };
            needs.script_api |= ctx.api == ApiName::Script;
            needs.same_site_contexts |= ctx.needs_same_site();
        }
        for key in case.config.non_default_keys(profile) {
            match key {
                ConfigKey::Chips => needs.partitioned = true,
                ConfigKey::ThirdParty => needs.third_party = case.config.third_party,
                other => needs.options.push(other),
            }
        }
        needs
    }

    /// Why a target with `caps` cannot run this under `profile`, or `None` when it can.
    pub fn unmet(&self, profile: Profile, caps: &Capabilities) -> Option<String> {
        let mut why = Vec::new();
        if !caps.profiles.contains(&profile) {
            why.push(format!("profile {profile}"));
        }
        if !caps.virtual_clock && (self.virtual_clock || self.advance > caps.sleeps_through_advance) {
            why.push(if self.virtual_clock || caps.sleeps_through_advance == 0 {
                "a virtual clock (`now`, `advance`, or an Expires date after the start)".to_owned()
            } else {
                format!(
                    "a virtual clock for `advance` steps of {} s in all (on the real clock it sleeps through at most {} s)",
                    self.advance, caps.sleeps_through_advance
                )
            });
        }
        if self.script_api && !caps.script_api {
            why.push("the script API (`api: script`)".to_owned());
        }
        if self.same_site_contexts && !caps.same_site_contexts {
            why.push("same-site request contexts (`site`/`top_level`/`navigation`/`method`)".to_owned());
        }
        if self.storage_dump && !caps.storage_dump {
            why.push("a storage dump (`stored`)".to_owned());
        }
        if self.partitioned && !caps.partitioned {
            why.push("CHIPS (`chips: true`)".to_owned());
        }
        if let Some(policy) = self.third_party {
            if !caps.third_party_policies.contains(&policy) {
                let name = serde_json::to_value(policy)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                why.push(format!("third-party policy `{name}`"));
            }
        }
        for key in &self.options {
            if !caps.configurable.contains(key) {
                why.push(format!("jar option `{}`", key.name()));
            }
        }
        (!why.is_empty()).then(|| format!("target lacks {}", why.join(", ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(yaml: &str) -> Case {
        serde_saphyr::from_str(yaml).unwrap()
    }

    const PLAIN: &str = "name: x\nspec: [a]\nsteps:\n  - set: { url: \"https://a/\", cookies: [a=b] }\n  - expect: { url: \"https://a/\", cookie: a=b }\n";

    #[test]
    fn a_plain_case_needs_nothing() {
        let n = Needs::of(&case(PLAIN), Profile::Rfc6265bis);
        assert_eq!(n, Needs::default());
        assert_eq!(n.unmet(Profile::Rfc6265bis, &Capabilities::default()), None);
    }

    #[test]
    fn profile_support_is_checked() {
        let n = Needs::default();
        let why = n.unmet(Profile::LayeredCookies, &Capabilities::default()).unwrap();
        assert_eq!(why, "target lacks profile layered-cookies");
    }

    #[test]
    fn clock_script_contexts_and_dump() {
        let c = case("name: x\nspec: [a]\nnow: 2026-01-01T00:00:00Z\nsteps:\n  - set: { url: \"https://a/\", cookies: [a=b], context: { api: script } }\n  - expect: { url: \"https://a/\", cookie: a=b, context: { method: POST } }\n  - expect: { stored: [] }\n");
        let n = Needs::of(&c, Profile::Rfc6265bis);
        assert!(n.virtual_clock && n.script_api && n.same_site_contexts && n.storage_dump);
        let why = n.unmet(Profile::Rfc6265bis, &Capabilities::default()).unwrap();
        assert!(why.contains("virtual clock") && why.contains("script API"), "{why}");
        assert!(why.contains("same-site") && why.contains("storage dump"), "{why}");
        assert_eq!(n.unmet(Profile::Rfc6265bis, &Capabilities::all()), None);
    }

    #[test]
    fn future_expires_dates_need_a_clock_and_past_ones_do_not() {
        let future = case("name: x\nspec: [a]\nsteps:\n  - set: { url: \"https://a/\", cookies: [\"a=b; Expires=Wed, 01 Jul 2026 00:00:00 GMT\"] }\n");
        assert!(Needs::of(&future, Profile::Rfc6265bis).virtual_clock);
        let past = case("name: x\nspec: [a]\nsteps:\n  - set: { url: \"https://a/\", cookies: [\"a=b; Expires=Thu, 01 Jan 1970 00:00:00 GMT\"] }\n");
        assert!(!Needs::of(&past, Profile::Rfc6265bis).virtual_clock);
    }

    #[test]
    fn a_stored_expiry_time_needs_a_clock_and_other_stored_fields_do_not() {
        let at = case("name: x\nspec: [a]\nsteps:\n  - set: { url: \"https://a/\", cookies: [\"a=b; Max-Age=60\"] }\n  - expect: { stored: [{ name: a, expires: 2026-01-01T00:01:00Z }] }\n");
        let n = Needs::of(&at, Profile::Rfc6265bis);
        assert!(n.virtual_clock && n.storage_dump);
        let flags = case("name: x\nspec: [a]\nsteps:\n  - set: { url: \"https://a/\", cookies: [\"a=b; Max-Age=60\"] }\n  - expect: { stored: [{ name: a, persistent: true }] }\n");
        assert!(!Needs::of(&flags, Profile::Rfc6265bis).virtual_clock);
    }

    #[test]
    fn advance_needs_a_clock_and_get_needs_no_context() {
        let c = case("name: x\nspec: [a]\nsteps:\n  - advance: 1d\n  - expect: { url: \"https://a/\", cookie: null, context: { method: GET } }\n");
        let n = Needs::of(&c, Profile::Rfc6265bis);
        assert_eq!((n.virtual_clock, n.advance), (false, 86_400));
        assert!(!n.same_site_contexts);
        assert!(n.unmet(Profile::Rfc6265bis, &Capabilities::default()).is_some_and(|w| w.contains("virtual clock")));
    }

    #[test]
    fn short_advances_run_on_targets_that_sleep_through_them() {
        let short = case("name: x\nspec: [a]\nsteps:\n  - advance: 2s\n  - advance: 2s\n  - expect: { url: \"https://a/\", cookie: null }\n");
        let n = Needs::of(&short, Profile::Rfc6265bis);
        assert_eq!(n.advance, 4);
        let sleeper = |s| Capabilities { sleeps_through_advance: s, ..Capabilities::default() };
        assert_eq!(n.unmet(Profile::Rfc6265bis, &sleeper(5)), None);
        let why = n.unmet(Profile::Rfc6265bis, &sleeper(3)).unwrap();
        assert!(why.contains("4 s in all") && why.contains("at most 3 s"), "{why}");
        // A pinned clock (`now`) is never slept to.
        let pinned = case("name: x\nspec: [a]\nnow: 2026-01-01T00:00:00Z\nsteps:\n  - advance: 1s\n");
        assert!(Needs::of(&pinned, Profile::Rfc6265bis).unmet(Profile::Rfc6265bis, &sleeper(5)).is_some());
    }

    #[test]
    fn options_only_when_not_default() {
        let c = case(&PLAIN.replace(
            "steps:",
            "config: { chips: true, third_party: partition, age_limit: 400d, trust_localhost: false }\nsteps:",
        ));
        let n = Needs::of(&c, Profile::Rfc6265bis);
        assert!(n.partitioned);
        assert_eq!(n.third_party, Some(ThirdParty::Partition));
        assert_eq!(n.options, vec![ConfigKey::TrustLocalhost]);
        let caps = Capabilities { third_party_policies: vec![ThirdParty::Block], ..Capabilities::default() };
        let why = n.unmet(Profile::Rfc6265bis, &caps).unwrap();
        assert_eq!(
            why,
            "target lacks CHIPS (`chips: true`), third-party policy `partition`, jar option `trust_localhost`"
        );
        let allow = case(&PLAIN.replace("steps:", "config: { third_party: allow, chips: false }\nsteps:"));
        assert_eq!(Needs::of(&allow, Profile::Rfc6265bis), Needs::default());
    }
}
