//! Coverage, so that no number in a report reads as more than it is: per profile, how many of
//! the profile's trials a target ran and why it skipped the rest; per spec section, how many
//! of the section's trials ran. A rate over fewer than [`FLOOR`] of the trials it could have
//! covered is shown, but marked (italic in `SUMMARY.md`, grey in `index.html`), never as a
//! plain green figure.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::results::{OutcomeName, ResultsDoc, Summary};

/// Below this share of trials run, a rate is marked as weak evidence.
pub const FLOOR: f64 = 0.5;

/// The profile areas and sections are read under (the current draft).
pub const HEADLINE_PROFILE: &str = "rfc6265bis";

/// Profiles in headline order: the current draft first.
const PROFILE_ORDER: [&str; 3] = ["rfc6265bis", "rfc6265", "layered-cookies"];

/// How many skip causes a headline lists.
const TOP_SKIPS: usize = 3;

/// One target's tally over a set of trials.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    /// The outcomes.
    pub summary: Summary,
    /// Trials in the set (run or not).
    pub total: usize,
}

impl Tally {
    /// Trials run (not skipped).
    pub fn ran(&self) -> usize {
        self.summary.ran()
    }

    /// Trials run ÷ trials in the set (0 for an empty set).
    pub fn coverage(&self) -> f64 {
        if self.total == 0 { 0.0 } else { self.ran() as f64 / self.total as f64 }
    }

    /// Whether the rate stands on fewer than [`FLOOR`] of the set's trials.
    pub fn weak(&self) -> bool {
        self.coverage() < FLOOR
    }
}

/// A profile's headline for one target.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Headline {
    /// The target's id.
    pub target: String,
    /// Its tally over the profile's trials.
    pub tally: Tally,
    /// The most frequent missing capabilities among its skips, with counts.
    pub top_skips: Vec<(String, usize)>,
}

/// The headlines of one profile.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProfileHeadlines {
    /// `rfc6265bis`, ...
    pub profile: String,
    /// Trials of the profile.
    pub trials: usize,
    /// One per available target, in report order.
    pub targets: Vec<Headline>,
}

/// One row of the coverage table by spec section.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SectionRow {
    /// `§5.6.3`, `CHIPS`, ...
    pub key: String,
    /// `Domain attribute`, ...
    pub title: String,
    /// Trials citing it.
    pub trials: usize,
    /// One tally per target, in report order (`None`: the target is unavailable).
    pub targets: Vec<Option<Tally>>,
}

/// The rows of the section table: RFC 6265bis -22 §5 (user agent requirements), §6.1 and
/// §7.1, then the other drafts the corpus cites.
const SECTIONS: &[(&str, &str)] = &[
    ("5.1.1", "Dates"),
    ("5.1.2", "Canonicalized host names"),
    ("5.1.3", "Domain matching"),
    ("5.1.4", "Paths and path-match"),
    ("5.2", "Same-site and cross-site requests"),
    ("5.3", "Ignoring Set-Cookie header fields"),
    ("5.4", "Cookie name prefixes"),
    ("5.5", "Cookie lifetime limits"),
    ("5.6", "The Set-Cookie header field (parsing)"),
    ("5.6.1", "Expires attribute"),
    ("5.6.2", "Max-Age attribute"),
    ("5.6.3", "Domain attribute"),
    ("5.6.4", "Path attribute"),
    ("5.6.5", "Secure attribute"),
    ("5.6.6", "HttpOnly attribute"),
    ("5.6.7", "SameSite attribute"),
    ("5.7", "Storage model"),
    ("5.8.1", "The Cookie header field"),
    ("5.8.2", "Non-HTTP APIs"),
    ("5.8.3", "Retrieval algorithm"),
    ("6.1", "Limits"),
    ("7.1", "Third-party cookies"),
];

/// The row a `spec` entry of a case belongs to: the longest listed section that is the entry's
/// number or an ancestor of it (`5.6.7.1` → §5.6.7, `5.7 step 18` → §5.7); CHIPS, the 2011
/// RFC and the layered-cookies draft each have their own row.
pub fn section_key(spec: &str) -> Option<(String, String)> {
    let spec = spec.trim().trim_start_matches('§');
    let lower = spec.to_ascii_lowercase();
    if lower.starts_with("chips") {
        return Some(("CHIPS".to_owned(), "Partitioned cookies (CHIPS draft)".to_owned()));
    }
    if lower.starts_with("rfc6265 ") || lower == "rfc6265" {
        return Some(("RFC 6265".to_owned(), "The 2011 rules (rfc6265 profile)".to_owned()));
    }
    if lower.starts_with("layered") {
        return Some(("layered-cookies".to_owned(), "The layered-cookies draft".to_owned()));
    }
    let number: String = spec.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
    let number = number.trim_end_matches('.');
    SECTIONS
        .iter()
        .filter(|(key, _)| number == *key || number.starts_with(&format!("{key}.")))
        .max_by_key(|(key, _)| key.len())
        .map(|(key, title)| (format!("§{key}"), (*title).to_owned()))
}

/// The capabilities a skip reason names: `target lacks A, B (x, y), C` → `[A, B (x, y), C]`
/// (commas inside parentheses belong to their item); any other reason is one cause.
pub fn skip_causes(reason: &str) -> Vec<String> {
    let Some(list) = reason.strip_prefix("target lacks ") else {
        return vec![reason.to_owned()];
    };
    let mut out = Vec::new();
    let (mut depth, mut item) = (0usize, String::new());
    for c in list.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                out.push(item.trim().to_owned());
                item.clear();
                continue;
            }
            _ => {}
        }
        item.push(c);
    }
    out.push(item.trim().to_owned());
    out.retain(|s| !s.is_empty());
    out
}

/// Per profile, every available target's headline (profiles in [`PROFILE_ORDER`], then any
/// other in order of appearance).
pub fn profile_headlines(doc: &ResultsDoc) -> Vec<ProfileHeadlines> {
    let mut profiles: Vec<&str> = PROFILE_ORDER.iter().copied().filter(|p| doc.trials.iter().any(|t| t.profile == *p)).collect();
    for t in &doc.trials {
        if !profiles.contains(&t.profile.as_str()) {
            profiles.push(&t.profile);
        }
    }
    let profile_of: HashMap<&str, &str> = doc.trials.iter().map(|t| (t.id.as_str(), t.profile.as_str())).collect();
    profiles
        .into_iter()
        .map(|profile| {
            let trials = doc.trials.iter().filter(|t| t.profile == profile).count();
            let targets = doc
                .targets
                .iter()
                .filter(|t| t.available)
                .map(|target| {
                    let mut tally = Tally { total: trials, ..Tally::default() };
                    let mut causes: BTreeMap<String, usize> = BTreeMap::new();
                    for r in doc.results_of(&target.id).filter(|r| profile_of.get(r.trial.as_str()) == Some(&profile)) {
                        tally.summary.add(r.outcome);
                        if r.outcome == OutcomeName::Skip {
                            for cause in skip_causes(r.reason.as_deref().unwrap_or("skipped")) {
                                *causes.entry(cause).or_default() += 1;
                            }
                        }
                    }
                    let mut top: Vec<(String, usize)> = causes.into_iter().collect();
                    top.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                    top.truncate(TOP_SKIPS);
                    Headline { target: target.id.clone(), tally, top_skips: top }
                })
                .collect();
            ProfileHeadlines { profile: profile.to_owned(), trials, targets }
        })
        .collect()
}

/// The coverage table by spec section over the trials of `profile`: a row per section any of
/// them cites, in the order of [`SECTIONS`] then the other drafts; a trial counts in every row
/// its `spec` entries reach.
pub fn section_rows(doc: &ResultsDoc, profile: &str) -> Vec<SectionRow> {
    let mut rows: Vec<SectionRow> = Vec::new();
    let mut row_of: HashMap<String, usize> = HashMap::new();
    let order = |key: &str| SECTIONS.iter().position(|(k, _)| format!("§{k}") == key).unwrap_or(SECTIONS.len());
    let mut keys_of_trial: HashMap<&str, Vec<usize>> = HashMap::new();
    for t in doc.trials.iter().filter(|t| t.profile == profile) {
        let mut mine = Vec::new();
        for (key, title) in t.spec.iter().filter_map(|s| section_key(s)) {
            let i = *row_of.entry(key.clone()).or_insert_with(|| {
                rows.push(SectionRow { key, title, trials: 0, targets: Vec::new() });
                rows.len() - 1
            });
            if !mine.contains(&i) {
                mine.push(i);
                rows[i].trials += 1;
            }
        }
        keys_of_trial.insert(&t.id, mine);
    }
    for row in &mut rows {
        row.targets = doc
            .targets
            .iter()
            .map(|t| t.available.then(|| Tally { total: row.trials, ..Tally::default() }))
            .collect();
    }
    let target_pos = doc.target_positions();
    for r in &doc.results {
        let (Some(rows_hit), Some(&j)) = (keys_of_trial.get(r.trial.as_str()), target_pos.get(r.target.as_str())) else {
            continue;
        };
        for &i in rows_hit {
            if let Some(Some(tally)) = rows[i].targets.get_mut(j) {
                tally.summary.add(r.outcome);
            }
        }
    }
    rows.sort_by_key(|r| (order(&r.key), r.key.clone()));
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reports::results::tests::sample;

    #[test]
    fn spec_entries_fall_into_their_section() {
        let key = |s: &str| section_key(s).map(|(k, _)| k);
        assert_eq!(key("5.6.7.1").as_deref(), Some("§5.6.7"));
        assert_eq!(key("5.7 step 18.3").as_deref(), Some("§5.7"));
        assert_eq!(key("§5.1.1 step 2").as_deref(), Some("§5.1.1"));
        assert_eq!(key("5.2.1").as_deref(), Some("§5.2"));
        assert_eq!(key("5.6").as_deref(), Some("§5.6"));
        assert_eq!(key("5.60").as_deref(), None, "5.60 is no child of 5.6");
        assert_eq!(key("chips").as_deref(), Some("CHIPS"));
        assert_eq!(key("rfc6265 5.3 step 11").as_deref(), Some("RFC 6265"));
        assert_eq!(key("layered Parse a Cookie").as_deref(), Some("layered-cookies"));
        assert_eq!(key("4.1.2"), None);
    }

    #[test]
    fn skip_reasons_split_into_capabilities() {
        assert_eq!(
            skip_causes("target lacks a virtual clock (`now`, `advance`, or an Expires date after the start), a storage dump (`stored`)"),
            ["a virtual clock (`now`, `advance`, or an Expires date after the start)", "a storage dump (`stored`)"]
        );
        assert_eq!(skip_causes("unsupported by the target: no CHIPS"), ["unsupported by the target: no CHIPS"]);
    }

    #[test]
    fn headlines_count_every_trial_of_the_profile() {
        let doc = sample();
        let h = profile_headlines(&doc);
        assert_eq!(h[0].profile, "rfc6265bis", "the current draft first");
        let total: usize = h.iter().map(|p| p.trials).sum();
        assert_eq!(total, doc.trials.len());
        // Unavailable targets have no headline; every available one covers every trial.
        assert!(h.iter().all(|p| p.targets.len() == 2 && p.targets.iter().all(|t| t.tally.summary.total() == p.trials)));
        let a = &h.iter().flat_map(|p| &p.targets).filter(|t| t.target == "a").map(|t| t.tally.summary.skipped).sum::<usize>();
        assert_eq!(*a, 1);
    }

    #[test]
    fn weak_coverage_is_flagged() {
        let t = Tally { summary: Summary { passed: 1, skipped: 3, ..Summary::default() }, total: 4 };
        assert!(t.weak());
        let t = Tally { summary: Summary { passed: 2, skipped: 2, ..Summary::default() }, total: 4 };
        assert!(!t.weak(), "exactly the floor is enough");
    }

    #[test]
    fn section_rows_tally_per_target() {
        let doc = sample();
        let rows = section_rows(&doc, HEADLINE_PROFILE);
        assert!(!rows.is_empty());
        for row in &rows {
            assert_eq!(row.targets.len(), doc.targets.len());
            assert!(row.targets[2].is_none(), "the unavailable target");
            for tally in row.targets.iter().flatten() {
                assert_eq!(tally.summary.total(), row.trials);
            }
        }
    }
}
