//! The attack view: for every security class of the corpus (`cases/README.md`) and every
//! target, the trials of that class the target ran and the ones it fails (`fail` or `xfail`:
//! an expected failure is still a jar that fails). A class with a failing trial is one the jar
//! is open to, with those trials as the evidence; one with no trial run says nothing.

use std::collections::HashMap;

use serde::Serialize;

use cookie_conformance::security::AttackClass;

use super::results::{OutcomeName, ResultsDoc};

/// One cell of the attack table.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct AttackCell {
    /// Trials of the class the target ran.
    pub ran: usize,
    /// Of those, the ones it fails (trial ids, in corpus order).
    pub failing: Vec<String>,
}

impl AttackCell {
    /// The target fails at least one trial of the class.
    pub fn open(&self) -> bool {
        !self.failing.is_empty()
    }
}

/// One row: a class, its trials, and a cell per target (`None`: unavailable).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AttackRow {
    /// `prefix-bypass`, ...
    pub class: String,
    /// One line on the attack and the spec's defence.
    pub summary: String,
    /// Trials tagged with the class.
    pub trials: usize,
    /// Per target, in report order.
    pub targets: Vec<Option<AttackCell>>,
}

/// The table: every class of the vocabulary, in its order.
pub fn rows(doc: &ResultsDoc) -> Vec<AttackRow> {
    let classes_of: HashMap<&str, &[String]> = doc.trials.iter().map(|t| (t.id.as_str(), t.security.as_slice())).collect();
    let target_pos = doc.target_positions();
    let mut rows: Vec<AttackRow> = AttackClass::ALL
        .iter()
        .map(|c| AttackRow {
            class: c.name().to_owned(),
            summary: c.summary().to_owned(),
            trials: doc.trials.iter().filter(|t| t.security.iter().any(|s| s == c.name())).count(),
            targets: doc.targets.iter().map(|t| t.available.then(AttackCell::default)).collect(),
        })
        .collect();
    let row_of: HashMap<&str, usize> = AttackClass::ALL.iter().enumerate().map(|(i, c)| (c.name(), i)).collect();
    for r in &doc.results {
        let (Some(classes), Some(&j)) = (classes_of.get(r.trial.as_str()), target_pos.get(r.target.as_str())) else {
            continue;
        };
        for class in classes.iter() {
            let Some(&i) = row_of.get(class.as_str()) else { continue };
            let Some(Some(cell)) = rows[i].targets.get_mut(j) else { continue };
            if r.outcome != OutcomeName::Skip {
                cell.ran += 1;
            }
            if matches!(r.outcome, OutcomeName::Fail | OutcomeName::Xfail) {
                cell.failing.push(r.trial.clone());
            }
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reports::results::tests::sample;

    #[test]
    fn failing_and_expected_failing_trials_open_a_class() {
        let mut doc = sample();
        // Tag the first trial (a: pass, b: xfail) and the third (a: skip, b: error).
        doc.trials[0].security = vec!["prefix-bypass".into()];
        doc.trials[2].security = vec!["prefix-bypass".into(), "tossing".into()];
        let rows = rows(&doc);
        assert_eq!(rows.len(), AttackClass::ALL.len());
        let prefix = rows.iter().find(|r| r.class == "prefix-bypass").unwrap();
        assert_eq!(prefix.trials, 2);
        let (a, b) = (prefix.targets[0].as_ref().unwrap(), prefix.targets[1].as_ref().unwrap());
        assert_eq!((a.ran, a.open()), (1, false));
        assert_eq!((b.ran, b.failing.len()), (2, 1), "the xfail counts, the error does not");
        assert!(prefix.targets[2].is_none(), "unavailable");
        let tossing = rows.iter().find(|r| r.class == "tossing").unwrap();
        assert_eq!(tossing.targets[0].as_ref().unwrap().ran, 0, "skipped: nothing known");
    }
}
