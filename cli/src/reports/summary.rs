//! `SUMMARY.md`: what a README embeds. First a headline per profile (rfc6265bis first): each
//! target's pass rate with its coverage (trials run ÷ trials of the profile) and the top
//! reasons it skipped the rest; then one row per spec area and one per spec section, each cell
//! the pass rate over the trials the target ran *of* the trials there are (skipped trials are
//! not counted in the rate; expected failures count as not passing). A rate standing on less
//! than [`coverage::FLOOR`] of its trials is in italics.

use std::fmt::Write as _;

use super::coverage::{self, Tally};
use super::results::{OutcomeName, ResultsDoc, Summary};

/// The pass rate cell: `97% 120/124`, or `–` when every trial was skipped. Passing is `pass`
/// or `xpass` (the jar behaves as the spec says, whatever its expected-failures file claims).
fn cell(s: &Summary) -> String {
    let ran = s.ran();
    if ran == 0 {
        return "–".to_owned();
    }
    let passed = s.passed + s.xpass;
    let pct = 100.0 * passed as f64 / ran as f64;
    // 99.6% must not round up to a 100% that hides a failure.
    let shown = if passed < ran && pct > 99.0 { format!("{:.1}%", pct.min(99.9)) } else { format!("{pct:.0}%") };
    format!("{shown} {passed}/{ran}")
}

/// A rate with what it stands on: `97% 120/124 of 150`, in italics when fewer than
/// [`coverage::FLOOR`] of the trials ran.
fn covered_cell(t: &Tally) -> String {
    if t.ran() == 0 {
        return format!("– 0 of {}", t.total);
    }
    let text = format!("{} of {}", cell(&t.summary), t.total);
    if t.weak() { format!("_{text}_") } else { text }
}

fn percent(part: usize, whole: usize) -> String {
    if whole == 0 { "–".to_owned() } else { format!("{:.0}%", 100.0 * part as f64 / whole as f64) }
}

/// Failing trials listed per class and target before "and N more".
const LISTED_FAILURES: usize = 12;

/// The attack table (attacks as rows, targets as columns) and, per target, the failing cases
/// behind each class it is open to.
fn render_attacks(doc: &ResultsDoc, out: &mut String) {
    let rows = super::attacks::rows(doc);
    let _ = writeln!(out, "## Attacks\n");
    let _ = writeln!(
        out,
        "Security classes of the corpus (`cases/README.md`) as rows, targets as columns. **open (k of n)**: the target \
         fails k of the n trials of the class it ran (expected failures included); `0 of n`: it ran n and failed none; \
         `–`: it ran none, so nothing is known.\n"
    );
    let header: Vec<String> = doc.targets.iter().map(|t| format!("`{}`", t.id)).collect();
    let _ = writeln!(out, "| attack | trials | {} |", header.join(" | "));
    let _ = writeln!(out, "|---|---:|{}", "---:|".repeat(doc.targets.len()));
    for row in &rows {
        let cells: Vec<String> = row
            .targets
            .iter()
            .map(|c| match c {
                None => "n/a".to_owned(),
                Some(c) if c.ran == 0 => "–".to_owned(),
                Some(c) if c.open() => format!("**open ({} of {})**", c.failing.len(), c.ran),
                Some(c) => format!("0 of {}", c.ran),
            })
            .collect();
        let _ = writeln!(out, "| `{}`: {} | {} | {} |", row.class, row.summary, row.trials, cells.join(" | "));
    }
    out.push('\n');
    for (j, t) in doc.targets.iter().enumerate() {
        let open: Vec<(&str, &Vec<String>)> = rows
            .iter()
            .filter_map(|r| r.targets.get(j).and_then(Option::as_ref).filter(|c| c.open()).map(|c| (r.class.as_str(), &c.failing)))
            .collect();
        if open.is_empty() {
            continue;
        }
        let names: Vec<&str> = open.iter().map(|(c, _)| *c).collect();
        let _ = writeln!(out, "<details><summary><code>{}</code> is open to: {}</summary>\n", t.id, names.join(", "));
        for (class, failing) in open {
            let shown: Vec<String> = failing.iter().take(LISTED_FAILURES).map(|id| format!("`{}`", id.replace('`', "'"))).collect();
            let more = failing.len().saturating_sub(LISTED_FAILURES);
            let more = if more > 0 { format!(", and {more} more (index.html)") } else { String::new() };
            let _ = writeln!(out, "- **{class}**: {}{more}", shown.join(", "));
        }
        out.push_str("\n</details>\n\n");
    }
}

/// Per target and area, the tally over the trials of `profile`.
pub fn tallies(doc: &ResultsDoc, profile: &str) -> Vec<(String, Vec<Summary>)> {
    let areas = doc.areas();
    let area_of: std::collections::HashMap<&str, usize> = doc
        .trials
        .iter()
        .filter(|t| t.profile == profile)
        .map(|t| (t.id.as_str(), areas.iter().position(|a| *a == t.area).unwrap_or(0)))
        .collect();
    doc.targets
        .iter()
        .map(|t| {
            let mut per = vec![Summary::default(); areas.len()];
            for r in doc.results_of(&t.id) {
                if let Some(&i) = area_of.get(r.trial.as_str()) {
                    per[i].add(r.outcome);
                }
            }
            (t.id.clone(), per)
        })
        .collect()
}

/// The Markdown.
pub fn render(doc: &ResultsDoc) -> String {
    let areas = doc.areas();
    // Areas and sections are read under one profile, the current draft: counting every
    // profile would let the layered-cookies trials, which only the reference and the browsers
    // claim, halve every other jar's coverage.
    let profile = coverage::HEADLINE_PROFILE;
    let tallies = tallies(doc, profile);
    let mut out = String::new();
    let _ = writeln!(out, "# Conformance summary\n");
    let _ = writeln!(
        out,
        "RFC 6265bis cookie conformance: {} trials ({} cases × their profiles) in {} areas. Pass rate over the trials each \
         target ran (skips — cases needing a capability the target lacks — are not counted; expected failures count as \
         failing, unexpected passes as passing). Generated by `cookie-conformance report` at {}; details in `index.html`.\n",
        doc.trials.len(),
        doc.trials.iter().map(|t| t.case.as_str()).collect::<std::collections::HashSet<_>>().len(),
        areas.len(),
        doc.generated_at
    );
    let floor = (coverage::FLOOR * 100.0).round();
    let _ = writeln!(
        out,
        "Every rate reads \"passing/run of all\": a rate over less than {floor}% of the trials it could cover is in \
         _italics_, since it stands on less than half of what it claims to measure.\n"
    );
    let _ = writeln!(out, "## Headlines per profile\n");
    for p in coverage::profile_headlines(doc) {
        let _ = writeln!(out, "### {} ({} trial{})\n", p.profile, p.trials, if p.trials == 1 { "" } else { "s" });
        let _ = writeln!(out, "| target | pass rate | coverage | top skip reasons |");
        let _ = writeln!(out, "|---|---:|---:|---|");
        for h in &p.targets {
            let rate = match (h.tally.ran(), h.tally.weak()) {
                (0, _) => "–".to_owned(),
                (_, true) => format!("_{}_", cell(&h.tally.summary)),
                (_, false) => cell(&h.tally.summary),
            };
            let skips = if h.top_skips.is_empty() {
                "—".to_owned()
            } else {
                h.top_skips.iter().map(|(why, n)| format!("{} ({n})", why.replace('|', "\\|"))).collect::<Vec<_>>().join("; ")
            };
            let (ran, total) = (h.tally.ran(), h.tally.total);
            let _ = writeln!(out, "| `{}` | {rate} | {} {ran}/{total} | {skips} |", h.target, percent(ran, total));
        }
        out.push('\n');
    }
    render_attacks(doc, &mut out);
    out.push_str(&super::seeds::render(doc));
    let _ = writeln!(out, "## Pass rate by area ({profile})\n");
    let header: Vec<String> = doc.targets.iter().map(|t| format!("`{}`", t.id)).collect();
    let _ = writeln!(out, "| area | {} |", header.join(" | "));
    let _ = writeln!(out, "|---|{}", "---:|".repeat(doc.targets.len()));
    for (i, area) in areas.iter().enumerate() {
        let total = doc.trials.iter().filter(|tr| tr.area == *area && tr.profile == profile).count();
        let cells: Vec<String> = doc
            .targets
            .iter()
            .zip(&tallies)
            .map(|(t, (_, per))| {
                if t.available { covered_cell(&Tally { summary: per[i], total }) } else { "n/a".to_owned() }
            })
            .collect();
        let _ = writeln!(out, "| {area} | {} |", cells.join(" | "));
    }
    let row = |label: &str, f: &dyn Fn(&Summary) -> String| {
        let cells: Vec<String> =
            doc.targets.iter().map(|t| if t.available { f(&t.summary) } else { "n/a".to_owned() }).collect();
        format!("| {label} | {} |\n", cells.join(" | "))
    };
    out.push_str(&row("**all profiles**", &|s| format!("**{}**", cell(s))));
    out.push_str(&row("failed", &|s| s.failed.to_string()));
    out.push_str(&row("expected failures", &|s| s.xfail.to_string()));
    out.push_str(&row("errors", &|s| s.error.to_string()));
    out.push_str(&row("skipped", &|s| s.skipped.to_string()));
    let _ = writeln!(out, "\n## Coverage by spec section ({profile})\n");
    let _ = writeln!(
        out,
        "RFC 6265bis -22 sections (a case counts under every section its `spec` cites; subsections roll up to the \
         listed one), then CHIPS and the other drafts the cases cite.\n"
    );
    let _ = writeln!(out, "| section | trials | {} |", header.join(" | "));
    let _ = writeln!(out, "|---|---:|{}", "---:|".repeat(doc.targets.len()));
    for r in coverage::section_rows(doc, profile) {
        let cells: Vec<String> = r.targets.iter().map(|t| t.as_ref().map_or_else(|| "n/a".to_owned(), covered_cell)).collect();
        let _ = writeln!(out, "| {} {} | {} | {} |", r.key, r.title, r.trials, cells.join(" | "));
    }
    out.push_str(
        "\n## Targets\n\nThe library each target tests, the client path it is driven through, and its trials under \
         every profile (skip reasons: the headlines above).\n\n| target | library | client path | pass | xfail | fail | xpass | skip | error |\n\
         |---|---|---|---:|---:|---:|---:|---:|---:|\n",
    );
    for t in doc.targets.iter().filter(|t| t.available) {
        let version = t.version.as_deref().map(|v| format!(" {v}")).unwrap_or_default();
        let config = t.configuration.as_deref().map(|c| format!(" ({c})")).unwrap_or_default();
        let s = &t.summary;
        let _ = writeln!(
            out,
            "| `{}` | {}{version}{config} | {} | {} | {} | {} | {} | {} | {} |",
            t.id,
            t.library.replace('|', "\\|"),
            t.description.replace('|', "\\|"),
            s.passed,
            s.xfail,
            s.failed,
            s.xpass,
            s.skipped,
            s.error
        );
    }
    let down: Vec<_> = doc.targets.iter().filter(|t| !t.available).collect();
    if !down.is_empty() {
        out.push_str("\nUnavailable targets:\n\n");
        for t in down {
            let _ = writeln!(out, "- `{}`: {}", t.id, t.unavailable_reason.as_deref().unwrap_or("did not start"));
        }
    }
    let xpass: usize = doc.results.iter().filter(|r| r.outcome == OutcomeName::Xpass).count();
    if xpass > 0 {
        let _ = writeln!(out, "\n{xpass} expected failures now pass (stale expected-failures entries).");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reports::results::tests::sample;

    #[test]
    fn table_has_a_row_per_area_and_a_column_per_target() {
        let md = render(&sample());
        assert!(md.contains("| area | `a` | `b` | `down` |"), "{md}");
        assert!(md.contains("| `a` | a 1.2.3 | "), "{md}");
        // a: pass, fail, skip → 1 of 2 ran; b: xfail, xpass, error → 1 of 3.
        // Under rfc6265bis (trials one and two): a passed one and skipped two, b failed
        // both (an expected failure and an error).
        assert!(md.contains("| d | 100% 1/1 of 2 | 0% 0/2 of 2 | n/a |"), "{md}");
        // Every profile has its headline, with coverage.
        assert!(md.contains("| `a` | 100% 1/1 | 50% 1/2 |"), "{md}");
        assert!(md.contains("### layered-cookies (1 trial)"), "{md}");
        assert!(md.contains("### rfc6265bis"), "{md}");
        assert!(md.contains("## Coverage by spec section"), "{md}");
        assert!(md.contains("| `prefix-bypass`: "), "every class has its row: {md}");
        assert!(md.contains("- `down`: no such adapter"), "{md}");
    }

    #[test]
    fn open_attacks_list_their_failing_cases() {
        let mut doc = sample();
        doc.trials[1].security = vec!["tossing".into()];
        let md = render(&doc);
        // Trial 2 (d::one [layered-cookies]): a fails it, b passes it unexpectedly.
        assert!(md.contains("| `tossing`: ") && md.contains("**open (1 of 1)** | 0 of 1 | n/a |"), "{md}");
        assert!(md.contains("<code>a</code> is open to: tossing"), "{md}");
        assert!(md.contains("- **tossing**: `d::one [layered-cookies]`"), "{md}");
    }

    #[test]
    fn almost_all_is_not_rounded_to_all() {
        let s = Summary { passed: 999, failed: 1, ..Summary::default() };
        assert_eq!(cell(&s), "99.9% 999/1000");
        assert_eq!(cell(&Summary { skipped: 3, ..Summary::default() }), "–");
    }
}
