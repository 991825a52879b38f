//! Choosing which (case, profile) pairs to run: by name substring, tag and profile.

use reference_jar::Profile;

use crate::case::Case;
use crate::load::Corpus;

/// A selection of the corpus. The default selects everything.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// Keep cases whose full name (`area::name`) contains this.
    pub filter: Option<String>,
    /// Keep cases with at least one of these tags (all cases when empty).
    pub tags: Vec<String>,
    /// Keep only these profiles (every profile of each case when empty).
    pub profiles: Vec<Profile>,
}

impl Selection {
    /// The selected (case, profile) pairs, in corpus order, each case's profiles in its order.
    pub fn pairs<'c>(&self, corpus: &'c Corpus) -> Vec<(&'c Case, Profile)> {
        let mut out = Vec::new();
        for case in corpus.cases() {
            if let Some(f) = &self.filter {
                if !case.full_name().contains(f.as_str()) {
                    continue;
                }
            }
            if !self.tags.is_empty() && !case.tags.iter().any(|t| self.tags.contains(t)) {
                continue;
            }
            for &p in &case.profiles {
                if self.profiles.is_empty() || self.profiles.contains(&p) {
                    out.push((case, p));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::SourceFile;

    #[test]
    fn filters_by_name_tag_and_profile() {
        let text = "- name: one\n  spec: [a]\n  tags: [seed]\n  steps:\n    - expect: { stored: [] }\n- name: two\n  spec: [a]\n  profiles: [rfc6265]\n  steps:\n    - expect: { stored: [] }\n";
        let corpus = Corpus::from_sources([SourceFile { display: "d/x.yaml".into(), area: "d".into(), bytes: text.as_bytes().into() }]).unwrap();
        let names = |s: Selection| s.pairs(&corpus).iter().map(|(c, p)| format!("{} {p}", c.name)).collect::<Vec<_>>();
        assert_eq!(names(Selection::default()), ["one rfc6265bis", "one layered-cookies", "two rfc6265"]);
        assert_eq!(names(Selection { filter: Some("d::tw".into()), ..Default::default() }), ["two rfc6265"]);
        assert_eq!(names(Selection { tags: vec!["seed".into()], ..Default::default() }).len(), 2);
        assert_eq!(
            names(Selection { profiles: vec![Profile::LayeredCookies], ..Default::default() }),
            ["one layered-cookies"]
        );
    }
}
