//! The differential engine: runs a scenario on the reference jar (the oracle) and on N targets
//! implementing [`Target`], compares every Cookie header step by step, classifies each
//! difference with the reference jar's explanations ([`super::classify`]), drops the ones a
//! target's quirk list declares, and names what is left by a [`Signature`]: the verdict grid
//! (which targets agree with which) and the classes. Set-Cookie parsers that are not jars are
//! compared line by line at the parse level ([`super::parse_level`]).
//!
//! Speed: the fast path runs the oracle without explanations and compares bytes; only a
//! scenario on which some target answers differently is replayed with explanations.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::fmt;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Once;

use reference_jar::{Config, Jar, Profile, UnixTime};

use super::classify::{classify, Class, Diff, Direction};
use super::oracle::OracleTrace;
use super::parse_level::{self, ParseAnswer, ParseTarget};
use super::quirks::{Quirks, Where};
use super::scenario::{Features, Line, Scenario, Step};
use cookie_conformance::case::CaseConfig;
use cookie_conformance::clock::DEFAULT_START;
use cookie_conformance::compare::show_header;
use cookie_conformance::target::{Capabilities, Setup, Target, TargetError};

/// A jar under comparison.
pub struct JarTarget {
    /// The registry key (`cookie_store`): quirk file name, signature prefix.
    pub key: String,
    /// The target's own name, for reports.
    pub name: String,
    /// The target.
    pub target: Box<dyn Target>,
    /// Its capabilities.
    pub caps: Capabilities,
    /// Its declared quirks.
    pub quirks: Quirks,
    /// How many differences each quirk suppressed (counted runs only).
    pub suppressed: Vec<u64>,
}

impl JarTarget {
    /// Wraps a target.
    pub fn new(key: &str, target: Box<dyn Target>, quirks: Quirks) -> JarTarget {
        let caps = target.capabilities();
        let name = target.name();
        let suppressed = vec![0; quirks.quirks.len()];
        JarTarget { key: key.to_owned(), name, target, caps, quirks, suppressed }
    }
}

/// A Set-Cookie parser under comparison.
pub struct ParserTarget {
    /// The parser.
    pub parser: Box<dyn ParseTarget>,
    /// Its declared quirks.
    pub quirks: Quirks,
    /// How many differences each quirk suppressed.
    pub suppressed: Vec<u64>,
}

impl ParserTarget {
    /// Wraps a parser.
    pub fn new(parser: Box<dyn ParseTarget>, quirks: Quirks) -> ParserTarget {
        let suppressed = vec![0; quirks.quirks.len()];
        ParserTarget { parser, quirks, suppressed }
    }
}

/// What a target answered at one `expect`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// A Cookie header (`None`: no header).
    Header(Option<Vec<u8>>),
    /// The target failed or panicked.
    Error(String),
    /// The target cannot model this scenario.
    Skipped(String),
}

impl fmt::Display for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Answer::Header(h) => f.write_str(&show_header(h.as_deref())),
            Answer::Error(e) => write!(f, "ERROR: {e}"),
            Answer::Skipped(why) => write!(f, "skipped: {why}"),
        }
    }
}

/// Jar-level (Cookie headers) or parse-level (one line's parse).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Level {
    /// Cookie headers of jars.
    Jar,
    /// Parses of Set-Cookie lines.
    Parse,
}

/// The key that groups equivalent disagreements: the level, the verdict grid, and the
/// classified differences of every disagreeing target.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Signature {
    /// Jar or parse level.
    pub level: Level,
    /// `reference=A cookie_store=B`: equal letters, equal answers.
    pub grid: String,
    /// `cookie_store:+domain(PublicSuffix)`, sorted, without duplicates.
    pub labels: Vec<String>,
}

impl fmt::Display for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.level {
            Level::Jar => "jar",
            Level::Parse => "parse",
        };
        write!(f, "{level} | {} | {}", self.grid, self.labels.join(" "))
    }
}

impl Signature {
    /// A short stable identifier (FNV-1a of the text), for file names.
    pub fn id(&self) -> String {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in self.to_string().bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        format!("{:08x}", h >> 32)
    }
}

/// A disagreement found in one scenario.
#[derive(Clone, Debug)]
pub struct Finding {
    /// Its bucket.
    pub signature: Signature,
    /// Jar level: the scenario step of the first disagreeing `expect`. Parse level: the step
    /// of the line.
    pub step: usize,
    /// Parse level: the line's index in its step.
    pub line: usize,
    /// The classified differences, per disagreeing target key.
    pub diffs: Vec<(String, Vec<Diff>)>,
    /// Every column's answer at that point: (name, answer), the reference first.
    pub answers: Vec<(String, String)>,
}

impl Finding {
    /// The sections the differences are about, without duplicates.
    pub fn sections(&self) -> Vec<String> {
        let mut s: Vec<String> = self.diffs.iter().flat_map(|(_, d)| d.iter().map(|d| d.section.clone())).collect();
        s.sort();
        s.dedup();
        s
    }
}

/// The result of one scenario.
#[derive(Clone, Debug, Default)]
pub struct Outcome {
    /// The jar-level disagreements at the first request where some target disagrees (quirks
    /// aside): one finding per kind of difference.
    pub jar: Vec<Finding>,
    /// The parse-level disagreements on the first line some parser reads differently (quirks
    /// aside): one finding per kind of difference.
    pub parse: Vec<Finding>,
    /// The reference jar panicked (a bug in the oracle): the message.
    pub reference_panic: Option<String>,
    /// The reference jar's answer at every `expect`, in order.
    pub reference: Vec<Option<Vec<u8>>>,
    /// Whether some target answered differently somewhere (quirks included).
    pub raw_difference: bool,
}

impl Outcome {
    /// The findings of a level.
    pub fn at(&self, level: Level) -> &[Finding] {
        match level {
            Level::Jar => &self.jar,
            Level::Parse => &self.parse,
        }
    }

    /// The finding with this signature, if any.
    pub fn find(&self, signature: &Signature) -> Option<&Finding> {
        self.at(signature.level).iter().find(|f| f.signature == *signature)
    }
}

/// The differential engine.
pub struct Engine {
    /// Jars compared with the reference.
    pub jars: Vec<JarTarget>,
    /// Parsers compared with the reference parser.
    pub parsers: Vec<ParserTarget>,
    /// What every jar can model (scenarios are restricted to it).
    pub features: Features,
    config: Config,
    setup: Setup,
    oracle: Jar,
    answers: Vec<Vec<Answer>>,
    lines: Vec<Vec<u8>>,
    /// When set, where the time goes (for `fuzz --bench`).
    pub timing: Option<Timing>,
}

/// Time spent per phase of [`Engine::run`], in nanoseconds.
#[derive(Clone, Copy, Debug, Default)]
pub struct Timing {
    /// The reference jar's fast path.
    pub oracle: u128,
    /// Running the jars.
    pub jars: u128,
    /// Comparing and classifying jar answers.
    pub compare: u128,
    /// The parse-level comparison.
    pub parsers: u128,
}

impl Engine {
    /// An engine comparing `jars` and `parsers` with the reference jar (rfc6265bis profile,
    /// default configuration, clock starting at the case format's default).
    pub fn new(jars: Vec<JarTarget>, parsers: Vec<ParserTarget>) -> Engine {
        let features = jars.iter().fold(Features::ALL, |f, j| f.and(Features::of(&j.caps)));
        let profile = Profile::Rfc6265bis;
        let options = CaseConfig::default();
        let config = options.jar_config(profile);
        let setup = Setup { profile, config: config.clone(), options, start: DEFAULT_START, case: "fuzz".to_owned() };
        let n = jars.len();
        Engine {
            jars,
            parsers,
            features,
            oracle: Jar::new(config.clone()),
            config,
            setup,
            answers: vec![Vec::new(); n],
            lines: Vec::new(),
            timing: None,
        }
    }

    /// The reference jar alone.
    pub fn reference_only() -> Engine {
        Engine::new(Vec::new(), Vec::new())
    }

    /// The column names: the reference, then the jars, then the parsers.
    pub fn columns(&self) -> Vec<String> {
        let mut v = vec!["reference".to_owned()];
        v.extend(self.jars.iter().map(|j| j.key.clone()));
        v.extend(self.parsers.iter().map(|p| p.parser.key().to_owned()));
        v
    }

    /// Runs a scenario (already restricted to [`Engine::features`]). With `count`, quirk
    /// suppressions are counted for the report (the minimizer's replays pass false).
    pub fn run(&mut self, scenario: &Scenario, count: bool) -> Outcome {
        let mut outcome = Outcome::default();
        let mut clock = self.timing.map(|_| std::time::Instant::now());
        let mut lap = |slot: fn(&mut Timing) -> &mut u128, timing: &mut Option<Timing>| {
            if let (Some(t), Some(c)) = (timing.as_mut(), clock.as_mut()) {
                let now = std::time::Instant::now();
                *slot(t) += now.duration_since(*c).as_nanos();
                *c = now;
            }
        };
        // The oracle, fast path.
        let oracle = &mut self.oracle;
        let reference = quiet(|| {
            oracle.clear();
            let mut now = DEFAULT_START;
            let mut answers = Vec::with_capacity(scenario.steps.len());
            let mut buf = Vec::with_capacity(64);
            for step in &scenario.steps {
                match step {
                    Step::Advance(secs) => now = now.saturating_add(i64::from(*secs)),
                    // The request-uris are parsed once per place (a URL that does not parse
                    // sets nothing and reads nothing, as with `Jar::set_cookie`).
                    Step::Set { at, ctx, lines: set } => {
                        let Some(uri) = at.request_uri() else { continue };
                        let context = ctx.to_reference(*at);
                        for line in set {
                            buf.clear();
                            line.write(&mut buf);
                            oracle.set_cookie_at(uri, &buf, &context, now);
                        }
                    }
                    Step::Expect { at, ctx } => answers.push(
                        at.request_uri().and_then(|uri| oracle.cookie_header_at(uri, &ctx.to_reference(*at), now)),
                    ),
                }
            }
            answers
        });
        lap(|t| &mut t.oracle, &mut self.timing);
        match reference {
            Ok(a) => outcome.reference = a,
            Err(msg) => {
                outcome.reference_panic = Some(msg);
                return outcome;
            }
        }
        if !self.jars.is_empty() {
            self.run_jars(scenario);
            lap(|t| &mut t.jars, &mut self.timing);
            outcome.jar = self.compare_jars(scenario, &outcome.reference, count, &mut outcome.raw_difference);
            lap(|t| &mut t.compare, &mut self.timing);
        }
        if !self.parsers.is_empty() {
            outcome.parse = self.compare_parsers(scenario, count, &mut outcome.raw_difference);
            lap(|t| &mut t.parsers, &mut self.timing);
        }
        outcome
    }

    /// Runs every jar through the scenario, recording its answers.
    fn run_jars(&mut self, scenario: &Scenario) {
        for (i, j) in self.jars.iter_mut().enumerate() {
            let answers = &mut self.answers[i];
            answers.clear();
            let mut failure: Option<Answer> = match quiet(|| j.target.reset(&self.setup)) {
                Ok(Ok(())) => None,
                Ok(Err(e)) => Some(error_answer(e)),
                Err(panic) => Some(Answer::Error(format!("panicked: {panic}"))),
            };
            let mut now = DEFAULT_START;
            for step in &scenario.steps {
                match step {
                    Step::Advance(secs) => now = now.saturating_add(i64::from(*secs)),
                    Step::Set { at, ctx, lines } => {
                        if failure.is_some() {
                            continue;
                        }
                        self.lines.clear();
                        self.lines.extend(lines.iter().map(Line::bytes));
                        let context = ctx.to_reference(*at);
                        let lines = &self.lines;
                        match quiet(|| j.target.set_cookies(at.url(), lines, &context, now)) {
                            Ok(Ok(())) => {}
                            Ok(Err(e)) => failure = Some(error_answer(e)),
                            Err(panic) => failure = Some(Answer::Error(format!("panicked in set_cookies: {panic}"))),
                        }
                    }
                    Step::Expect { at, ctx } => {
                        if let Some(f) = &failure {
                            answers.push(f.clone());
                            continue;
                        }
                        let context = ctx.to_reference(*at);
                        let a = match quiet(|| j.target.cookie_header(at.url(), &context, now)) {
                            Ok(Ok(h)) => Answer::Header(h),
                            Ok(Err(e)) => {
                                let a = error_answer(e);
                                failure = Some(a.clone());
                                a
                            }
                            Err(panic) => {
                                let a = Answer::Error(format!("panicked in cookie_header: {panic}"));
                                failure = Some(a.clone());
                                a
                            }
                        };
                        answers.push(a);
                    }
                }
            }
        }
    }

    /// The target's storage just before scenario step `upto`, by replaying the steps before it.
    fn dump_before(&mut self, i: usize, scenario: &Scenario, upto: usize) -> Option<Vec<cookie_conformance::target::StoredCookie>> {
        let j = &mut self.jars[i];
        if !j.caps.storage_dump {
            return None;
        }
        let setup = &self.setup;
        quiet(|| -> Result<Option<Vec<cookie_conformance::target::StoredCookie>>, TargetError> {
            j.target.reset(setup)?;
            let mut now: UnixTime = DEFAULT_START;
            for step in &scenario.steps[..upto] {
                match step {
                    Step::Advance(secs) => now = now.saturating_add(i64::from(*secs)),
                    Step::Set { at, ctx, lines } => {
                        let lines: Vec<Vec<u8>> = lines.iter().map(Line::bytes).collect();
                        j.target.set_cookies(at.url(), &lines, &ctx.to_reference(*at), now)?;
                    }
                    Step::Expect { at, ctx } => {
                        j.target.cookie_header(at.url(), &ctx.to_reference(*at), now)?;
                    }
                }
            }
            j.target.dump(now)
        })
        .ok()
        .and_then(Result::ok)
        .flatten()
    }

    /// A cookie the target did not store: which part of its line makes the target refuse it?
    /// Replays the scenario on the target without each attribute of the line in turn, then
    /// with the line's host replaced by the simplest one; the first change after which the
    /// target stores the cookie names the class. (Targets that can dump their storage only.)
    fn refine_not_stored(&mut self, i: usize, scenario: &Scenario, upto: usize, trace: &OracleTrace, d: &Diff) -> Option<Class> {
        let (step, index) = d.origin?;
        let rec = trace.line((step, index))?;
        let (name, value) = rec.pair.clone()?;
        if std::str::from_utf8(&rec.bytes).is_err() {
            return None;
        }
        let Some(Step::Set { at, .. }) = scenario.steps.get(step) else { return None };
        let stores = |engine: &mut Engine, s: &Scenario| {
            engine.dump_before(i, s, upto).is_some_and(|dump| holds_pair(&dump, &name, &value))
        };
        // The attributes as §5.6 splits them: at every ";" after the first.
        let bytes = &rec.bytes;
        let cuts: Vec<usize> = bytes.iter().enumerate().filter(|(_, b)| **b == b';').map(|(i, _)| i).collect();
        for (n, &start) in cuts.iter().enumerate() {
            let end = cuts.get(n + 1).copied().unwrap_or(bytes.len());
            let mut without = bytes[..start].to_vec();
            without.extend_from_slice(&bytes[end..]);
            let mut s2 = scenario.clone();
            if let Some(Step::Set { lines, .. }) = s2.steps.get_mut(step) {
                lines[index] = Line::literal(&without);
            }
            if stores(self, &s2) {
                return Some(super::classify::attribute_class(&bytes[start..end]));
            }
        }
        // Several attributes at fault: without all of them? Then their common class, if any.
        if let Some(&first) = cuts.first() {
            let mut s2 = scenario.clone();
            if let Some(Step::Set { lines, .. }) = s2.steps.get_mut(step) {
                lines[index] = Line::literal(&bytes[..first]);
            }
            if stores(self, &s2) {
                let classes: Vec<Class> = cuts
                    .iter()
                    .enumerate()
                    .map(|(n, &start)| super::classify::attribute_class(&bytes[start..cuts.get(n + 1).copied().unwrap_or(bytes.len())]))
                    .collect();
                return Some(if classes.windows(2).all(|w| w[0] == w[1]) { classes[0] } else { Class::ParseAttribute });
            }
        }
        let (family, host) = (at.family, at.host);
        if family != 0 || host != 0 {
            let mut s2 = scenario.clone();
            for st in &mut s2.steps {
                if let Step::Set { at, .. } | Step::Expect { at, .. } = st {
                    if at.family == family && at.host == host {
                        at.family = 0;
                        at.host = 0;
                    }
                }
            }
            if stores(self, &s2) {
                return Some(Class::Domain);
            }
        }
        None
    }

    fn compare_jars(&mut self, scenario: &Scenario, reference: &[Option<Vec<u8>>], count: bool, raw: &mut bool) -> Vec<Finding> {
        let script_at: Vec<bool> = scenario
            .steps
            .iter()
            .filter_map(|s| if let Step::Expect { ctx, .. } = s { Some(ctx.script) } else { None })
            .collect();
        let differs = |a: &Answer, k: usize| match a {
            Answer::Header(h) => {
                let script = script_at[k];
                let a = h.as_deref().filter(|s| !(script && s.is_empty()));
                let r = reference[k].as_deref().filter(|s| !(script && s.is_empty()));
                a != r
            }
            Answer::Error(_) => true,
            Answer::Skipped(_) => false,
        };
        let any = (0..reference.len()).any(|k| self.answers.iter().any(|a| a.get(k).is_some_and(|x| differs(x, k))));
        if !any {
            return Vec::new();
        }
        *raw = true;
        let trace = OracleTrace::replay(scenario, &self.config);
        for (k, expect) in trace.expects.iter().enumerate() {
            let mut per_target: Vec<(usize, Vec<Diff>)> = Vec::new();
            for i in 0..self.jars.len() {
                let Some(answer) = self.answers[i].get(k).cloned() else { continue };
                if !differs(&answer, k) {
                    continue;
                }
                let mut diffs = match &answer {
                    Answer::Header(h) => {
                        let mut d = classify(&trace, expect, h, script_at[k], None);
                        if d.iter().any(|d| d.direction == Direction::Missing) {
                            if let Some(dump) = self.dump_before(i, scenario, expect.step) {
                                d = classify(&trace, expect, h, script_at[k], Some(&dump));
                                // A cookie the target does not hold at all: find what makes
                                // it refuse the line, which beats any guess.
                                for diff in d.iter_mut() {
                                    if diff.direction != Direction::Missing {
                                        continue;
                                    }
                                    let pair = diff.origin.and_then(|o| trace.line(o)).and_then(|l| l.pair.as_ref());
                                    let held = pair.is_none_or(|(n, v)| holds_pair(&dump, n, v));
                                    if !held {
                                        if let Some(class) = self.refine_not_stored(i, scenario, expect.step, &trace, diff) {
                                            diff.class = class;
                                            diff.reason = Some("NotStored".to_owned());
                                            diff.section = class.section().to_owned();
                                        }
                                    }
                                }
                            }
                        }
                        d
                    }
                    _ => vec![Diff {
                        direction: Direction::Neither,
                        class: Class::Error,
                        reason: None,
                        section: "5".to_owned(),
                        pair: Vec::new(),
                        line: None,
                        origin: None,
                    }],
                };
                let at = Where { host: expect.at.host(), non_utf8_line: non_utf8_before(&trace, expect.step) };
                let j = &mut self.jars[i];
                diffs.retain(|d| match j.quirks.find(d, &at) {
                    Some(q) => {
                        if count {
                            j.suppressed[q] += 1;
                        }
                        false
                    }
                    None => true,
                });
                if !diffs.is_empty() {
                    per_target.push((i, diffs));
                }
            }
            if per_target.is_empty() {
                continue;
            }
            let mut answers = vec![("reference".to_owned(), show_header(reference[k].as_deref()))];
            let mut columns = Vec::with_capacity(self.jars.len());
            for (i, j) in self.jars.iter().enumerate() {
                let a = self.answers[i].get(k).cloned().unwrap_or(Answer::Skipped("no answer".into()));
                answers.push((j.key.clone(), a.to_string()));
                let skipped = matches!(a, Answer::Skipped(_));
                let labels: Vec<String> = per_target
                    .iter()
                    .find(|(t, _)| *t == i)
                    .map(|(_, d)| d.iter().map(Diff::label).collect())
                    .unwrap_or_default();
                columns.push((j.key.clone(), skipped, labels, per_target.iter().find(|(t, _)| *t == i).map(|(_, d)| d.clone())));
            }
            let findings = findings_per_label(Level::Jar, &columns, expect.step, 0, &answers);
            return findings;
        }
        Vec::new()
    }

    fn compare_parsers(&mut self, scenario: &Scenario, count: bool, raw: &mut bool) -> Vec<Finding> {
        let mut buf = Vec::with_capacity(64);
        for (step, s) in scenario.steps.iter().enumerate() {
            let Step::Set { at, lines, .. } = s else { continue };
            for (index, line) in lines.iter().enumerate() {
                buf.clear();
                line.write(&mut buf);
                let reference = parse_level::reference(&buf);
                let mut per_parser: Vec<(usize, Vec<Diff>, ParseAnswer)> = Vec::new();
                for (i, p) in self.parsers.iter_mut().enumerate() {
                    let answer = match quiet(|| p.parser.parse(&buf)) {
                        Ok(a) => a,
                        Err(panic) => Err(format!("panicked: {panic}")),
                    };
                    let mut diffs = parse_level::compare(&buf, &reference, &answer);
                    if !diffs.is_empty() {
                        *raw = true;
                    }
                    let non_utf8_line = std::str::from_utf8(&buf).is_err();
                    diffs.retain(|d| match p.quirks.find(d, &Where { host: at.host(), non_utf8_line }) {
                        Some(q) => {
                            if count {
                                p.suppressed[q] += 1;
                            }
                            false
                        }
                        None => true,
                    });
                    if !diffs.is_empty() {
                        per_parser.push((i, diffs, answer));
                    }
                }
                if per_parser.is_empty() {
                    continue;
                }
                let mut answers = vec![("reference".to_owned(), show_parse(&reference))];
                let mut columns = Vec::with_capacity(self.parsers.len());
                for (i, p) in self.parsers.iter().enumerate() {
                    let found = per_parser.iter().find(|(x, _, _)| *x == i);
                    answers.push((
                        p.parser.key().to_owned(),
                        found.map_or_else(|| "(agrees)".to_owned(), |(_, _, a)| show_parse(a)),
                    ));
                    let labels = found.map(|(_, d, _)| d.iter().map(Diff::label).collect()).unwrap_or_default();
                    columns.push((p.parser.key().to_owned(), false, labels, found.map(|(_, d, _)| d.clone())));
                }
                return findings_per_label(Level::Parse, &columns, step, index, &answers);
            }
        }
        Vec::new()
    }

    /// Every jar's answers at each `expect` of the last scenario run: (key, answers).
    pub fn last_answers(&self) -> Vec<(String, Vec<Answer>)> {
        self.jars.iter().zip(&self.answers).map(|(j, a)| (j.key.clone(), a.clone())).collect()
    }

    /// Per-target quirk tallies for the report: (target key, quirk id, note, count).
    pub fn quirk_tallies(&self) -> Vec<(String, String, String, u64)> {
        let mut v = Vec::new();
        for j in &self.jars {
            for (q, n) in j.quirks.quirks.iter().zip(&j.suppressed) {
                v.push((j.key.clone(), q.id.clone(), q.note.clone(), *n));
            }
        }
        for p in &self.parsers {
            for (q, n) in p.quirks.quirks.iter().zip(&p.suppressed) {
                v.push((p.parser.key().to_owned(), q.id.clone(), q.note.clone(), *n));
            }
        }
        v
    }

    /// Display names of every column, keyed by column key.
    pub fn names(&self) -> BTreeMap<String, String> {
        let mut m = BTreeMap::new();
        m.insert("reference".to_owned(), format!("reference-jar {}", env!("CARGO_PKG_VERSION")));
        for j in &self.jars {
            m.insert(j.key.clone(), j.name.clone());
        }
        for p in &self.parsers {
            m.insert(p.parser.key().to_owned(), p.parser.name());
        }
        m
    }
}

/// Whether a target's storage dump holds a cookie with this name and value.
fn holds_pair(dump: &[cookie_conformance::target::StoredCookie], name: &[u8], value: &[u8]) -> bool {
    dump.iter().any(|c| c.name == name && c.value == value)
}

/// A column at a disagreement: key, whether it skipped the scenario, its difference labels,
/// its classified differences.
type Column = (String, bool, Vec<String>, Option<Vec<Diff>>);

/// One finding per distinct difference label at a disagreement: its grid marks the columns
/// that show the difference `B` (the reference and the others `A`; `-` for a column that could
/// not run the scenario), so that a bucket is one kind of difference on a set of targets.
fn findings_per_label(
    level: Level,
    columns: &[Column],
    step: usize,
    line: usize,
    answers: &[(String, String)],
) -> Vec<Finding> {
    let mut labels: Vec<&String> = columns.iter().flat_map(|(_, _, l, _)| l.iter()).collect();
    labels.sort();
    labels.dedup();
    labels
        .into_iter()
        .map(|label| {
            let mut grid = vec!["reference=A".to_owned()];
            let mut diffs = Vec::new();
            for (key, skipped, ls, ds) in columns {
                let shows = ls.contains(label);
                grid.push(format!("{key}={}", if *skipped { '-' } else if shows { 'B' } else { 'A' }));
                if shows {
                    let mine: Vec<Diff> = ds.iter().flatten().filter(|d| d.label() == *label).cloned().collect();
                    diffs.push((key.clone(), mine));
                }
            }
            Finding {
                signature: Signature { level, grid: grid.join(" "), labels: vec![label.clone()] },
                step,
                line,
                diffs,
                answers: answers.to_vec(),
            }
        })
        .collect()
}

/// Whether a Set-Cookie line before scenario step `step` is not UTF-8.
fn non_utf8_before(trace: &OracleTrace, step: usize) -> bool {
    trace.lines.iter().any(|l| l.step < step && std::str::from_utf8(&l.bytes).is_err())
}

fn error_answer(e: TargetError) -> Answer {
    match e {
        TargetError::Unsupported(why) => Answer::Skipped(why),
        TargetError::Failed(msg) => Answer::Error(msg),
    }
}

/// A parse answer for a human.
pub fn show_parse(a: &ParseAnswer) -> String {
    use cookie_conformance::bytes::escape;
    match a {
        Err(why) => format!("rejected ({why})"),
        Ok(v) => {
            let mut s = format!("name=\"{}\" value=\"{}\"", escape(&v.name), escape(&v.value));
            if let Some(d) = &v.domain {
                s.push_str(&format!(" domain=\"{}\"", escape(d)));
            }
            if let Some(p) = &v.path {
                s.push_str(&format!(" path=\"{}\"", escape(p)));
            }
            if v.secure {
                s.push_str(" secure");
            }
            if v.http_only {
                s.push_str(" httponly");
            }
            if let Some(ss) = v.same_site {
                s.push_str(&format!(" samesite={}", ss.name()));
            }
            if let Some(m) = v.max_age {
                s.push_str(&format!(" max-age={m}"));
            }
            if let Some(e) = v.expires {
                s.push_str(&format!(" expires={}", cookie_conformance::clock::format_timestamp(e)));
            }
            if v.partitioned {
                s.push_str(" partitioned");
            }
            s
        }
    }
}

thread_local! {
    static QUIET: Cell<bool> = const { Cell::new(false) };
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Runs `f`, catching a panic as its message; the panic hook stays quiet meanwhile.
pub fn quiet<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if QUIET.with(Cell::get) {
                let at = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
                let msg = if let Some(s) = info.payload().downcast_ref::<&str>() {
                    (*s).to_owned()
                } else if let Some(s) = info.payload().downcast_ref::<String>() {
                    s.clone()
                } else {
                    "(non-string panic payload)".to_owned()
                };
                LAST_PANIC.with(|p| *p.borrow_mut() = Some(format!("{msg}{at}")));
            } else {
                previous(info);
            }
        }));
    });
    let was = QUIET.with(|q| q.replace(true));
    let r = catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(was));
    r.map_err(|_| LAST_PANIC.with(|p| p.borrow_mut().take()).unwrap_or_else(|| "panic".to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Ctx, Place};
    use cookie_conformance::ReferenceTarget;
    use reference_jar::Context;

    /// The reference jar with a bug: it forgets Domain attributes' scope (always host-only) and
    /// reverses the order.
    struct Buggy(ReferenceTarget, bool);
    impl Target for Buggy {
        fn name(&self) -> String {
            "buggy".into()
        }
        fn capabilities(&self) -> Capabilities {
            Capabilities::all()
        }
        fn reset(&mut self, s: &Setup) -> Result<(), TargetError> {
            self.0.reset(s)
        }
        fn set_cookies(&mut self, u: &str, l: &[Vec<u8>], c: &Context, n: UnixTime) -> Result<(), TargetError> {
            let l: Vec<Vec<u8>> = l
                .iter()
                .map(|x| String::from_utf8_lossy(x).replace("Domain=", "Ignored=").into_bytes())
                .collect();
            self.0.set_cookies(u, &l, c, n)
        }
        fn cookie_header(&mut self, u: &str, c: &Context, n: UnixTime) -> Result<Option<Vec<u8>>, TargetError> {
            let h = self.0.cookie_header(u, c, n)?;
            if self.1 {
                return Ok(h.map(|h| {
                    let mut p = cookie_conformance::compare::pairs(&h);
                    p.reverse();
                    p.join(&b"; "[..])
                }));
            }
            Ok(h)
        }
    }

    fn scenario(lines: &[&[u8]], read: Place) -> Scenario {
        Scenario {
            steps: vec![
                Step::Set { at: Place { host: 1, ..Place::SIMPLEST }, ctx: Ctx::default(), lines: lines.iter().map(|l| Line::literal(l)).collect() },
                Step::Expect { at: read, ctx: Ctx::default() },
            ],
        }
    }

    #[test]
    fn agreement_has_no_finding() {
        let mut e = Engine::new(vec![JarTarget::new("ref2", Box::new(ReferenceTarget::new()), Quirks::default())], Vec::new());
        let o = e.run(&scenario(&[b"a=1; Domain=example.com"], Place::SIMPLEST), true);
        assert!(o.jar.is_empty() && !o.raw_difference);
        assert_eq!(o.reference, vec![Some(b"a=1".to_vec())]);
    }

    #[test]
    fn a_disagreement_gets_a_signature_and_quirks_suppress_it() {
        let buggy = || Box::new(Buggy(ReferenceTarget::new(), false));
        let mut e = Engine::new(vec![JarTarget::new("buggy", buggy(), Quirks::default())], Vec::new());
        let o = e.run(&scenario(&[b"a=1; Domain=example.com"], Place::SIMPLEST), true);
        let f = &o.jar[0];
        assert_eq!(o.jar.len(), 1);
        assert_eq!(f.signature.grid, "reference=A buggy=B");
        assert_eq!(f.signature.labels, ["-domain"]);
        assert_eq!(f.step, 1);
        assert_eq!(f.answers[1].1, "(no Cookie header)");

        let q = Quirks::parse("quirks:\n  - id: d\n    class: domain\n    note: known\n", "q").unwrap();
        let mut e = Engine::new(vec![JarTarget::new("buggy", buggy(), q)], Vec::new());
        let o = e.run(&scenario(&[b"a=1; Domain=example.com"], Place::SIMPLEST), true);
        assert!(o.jar.is_empty() && o.raw_difference);
        assert_eq!(e.quirk_tallies()[0].3, 1);
    }

    #[test]
    fn order_only() {
        let mut e = Engine::new(vec![JarTarget::new("rev", Box::new(Buggy(ReferenceTarget::new(), true)), Quirks::default())], Vec::new());
        let s = scenario(&[b"a=1", b"b=2"], Place { host: 1, ..Place::SIMPLEST });
        let o = e.run(&s, true);
        assert_eq!(o.jar[0].signature.labels, ["order"]);
    }

    #[test]
    fn parse_level_with_the_cookie_crate() {
        let mut e = Engine::new(Vec::new(), vec![ParserTarget::new(Box::new(parse_level::CookieCrate), Quirks::default())]);
        let o = e.run(&scenario(&[b"a=1", b"nameless"], Place::SIMPLEST), true);
        let f = &o.parse[0];
        assert_eq!(f.signature.labels, ["-parse:name(MissingPair)"]);
        assert_eq!((f.step, f.line), (0, 1));
        assert_eq!(f.signature.grid, "reference=A cookie=B");
    }

    /// The reference jar refusing every line with a Max-Age attribute; it can list its store.
    struct NoMaxAge(ReferenceTarget);
    impl Target for NoMaxAge {
        fn name(&self) -> String {
            "no-max-age".into()
        }
        fn capabilities(&self) -> Capabilities {
            Capabilities::all()
        }
        fn reset(&mut self, s: &Setup) -> Result<(), TargetError> {
            self.0.reset(s)
        }
        fn set_cookies(&mut self, u: &str, l: &[Vec<u8>], c: &Context, n: UnixTime) -> Result<(), TargetError> {
            let kept: Vec<Vec<u8>> = l.iter().filter(|x| !String::from_utf8_lossy(x).contains("Max-Age")).cloned().collect();
            self.0.set_cookies(u, &kept, c, n)
        }
        fn cookie_header(&mut self, u: &str, c: &Context, n: UnixTime) -> Result<Option<Vec<u8>>, TargetError> {
            self.0.cookie_header(u, c, n)
        }
        fn dump(&mut self, now: UnixTime) -> Result<Option<Vec<cookie_conformance::target::StoredCookie>>, TargetError> {
            self.0.dump(now)
        }
    }

    #[test]
    fn a_refused_cookie_is_classified_by_the_attribute_whose_removal_lets_it_in() {
        let mut e = Engine::new(vec![JarTarget::new("t", Box::new(NoMaxAge(ReferenceTarget::new())), Quirks::default())], Vec::new());
        // The name is unusual and the line has a Path: only removing Max-Age helps.
        let o = e.run(&scenario(&[b"a b=1; Path=/; Max-Age=60"], Place { host: 1, ..Place::SIMPLEST }), true);
        assert_eq!(o.jar[0].signature.labels, ["-expiry(NotStored)"]);
    }

    #[test]
    fn target_panics_are_errors() {
        struct Boom;
        impl Target for Boom {
            fn name(&self) -> String {
                "boom".into()
            }
            fn capabilities(&self) -> Capabilities {
                Capabilities::all()
            }
            fn reset(&mut self, _: &Setup) -> Result<(), TargetError> {
                Ok(())
            }
            fn set_cookies(&mut self, _: &str, _: &[Vec<u8>], _: &Context, _: UnixTime) -> Result<(), TargetError> {
                panic!("boom")
            }
            fn cookie_header(&mut self, _: &str, _: &Context, _: UnixTime) -> Result<Option<Vec<u8>>, TargetError> {
                Ok(None)
            }
        }
        let mut e = Engine::new(vec![JarTarget::new("boom", Box::new(Boom), Quirks::default())], Vec::new());
        let o = e.run(&scenario(&[b"a=1"], Place::SIMPLEST), true);
        let f = &o.jar[0];
        assert_eq!(f.signature.labels, ["error"]);
        assert!(f.answers[1].1.contains("panicked in set_cookies: boom"), "{:?}", f.answers);
    }
}
