//! Delta debugging of a scenario while a property holds (in the fuzzer: while its bucket
//! signature stays the same). Passes, coarse to fine, repeated until nothing changes or the
//! budget of property checks is spent: drop steps, drop lines, drop attributes, drop tokens,
//! drop bytes (and shorten runs), then simplify places, contexts, clock advances and tokens.
//! Each pass removes chunks of halving size (ddmin), then single elements.

use super::scenario::{Ctx, Place, Scenario, Scheme, Step, Tok};

/// How many property checks a minimization may spend.
pub const DEFAULT_BUDGET: usize = 4000;

/// Minimizes `scenario` while `keep` holds, spending at most `budget` checks. `keep` must hold
/// for `scenario` itself; the result is the smallest scenario found for which it holds.
pub fn minimize(scenario: &Scenario, budget: usize, mut keep: impl FnMut(&Scenario) -> bool) -> Scenario {
    let mut m = Minimizer { best: scenario.clone(), budget, keep: &mut keep };
    loop {
        let before = m.best.clone();
        m.drop_steps();
        m.drop_lines();
        m.drop_attributes();
        m.drop_tokens();
        m.drop_bytes();
        m.simplify();
        if m.best == before || m.budget == 0 {
            break;
        }
    }
    m.best
}

struct Minimizer<'a> {
    best: Scenario,
    budget: usize,
    keep: &'a mut dyn FnMut(&Scenario) -> bool,
}

/// A path to one token list of the scenario: (step, line, list) with list 0 the head.
type ListAt = (usize, usize, usize);

impl Minimizer<'_> {
    /// Tries a candidate; adopts it if the property holds.
    fn try_adopt(&mut self, candidate: Scenario) -> bool {
        if self.budget == 0 || candidate == self.best {
            return false;
        }
        self.budget -= 1;
        if (self.keep)(&candidate) {
            self.best = candidate;
            true
        } else {
            false
        }
    }

    /// ddmin over a sequence whose length is `len(best)` and whose chunk `[from, to)` is removed
    /// by `remove(best, from, to)`.
    fn ddmin(&mut self, len: impl Fn(&Scenario) -> usize, remove: impl Fn(&mut Scenario, usize, usize)) {
        let mut chunk = len(&self.best).max(1);
        loop {
            let mut start = 0;
            while start < len(&self.best) {
                let mut c = self.best.clone();
                let end = (start + chunk).min(len(&c));
                remove(&mut c, start, end);
                if !self.try_adopt(c) {
                    start += chunk;
                }
                if self.budget == 0 {
                    return;
                }
            }
            if chunk == 1 {
                break;
            }
            chunk = chunk.div_ceil(2);
        }
    }

    fn drop_steps(&mut self) {
        self.ddmin(|s| s.steps.len(), |s, a, b| {
            s.steps.drain(a..b);
        });
    }

    fn set_steps(&self) -> Vec<usize> {
        (0..self.best.steps.len()).filter(|&i| matches!(self.best.steps[i], Step::Set { .. })).collect()
    }

    fn drop_lines(&mut self) {
        for step in self.set_steps() {
            self.ddmin(
                |s| lines_len(s, step),
                |s, a, b| {
                    if let Some(Step::Set { lines, .. }) = s.steps.get_mut(step) {
                        lines.drain(a..b);
                    }
                },
            );
        }
    }

    fn line_ids(&self) -> Vec<(usize, usize)> {
        let mut v = Vec::new();
        for step in self.set_steps() {
            for line in 0..lines_len(&self.best, step) {
                v.push((step, line));
            }
        }
        v
    }

    fn drop_attributes(&mut self) {
        for (step, line) in self.line_ids() {
            self.ddmin(
                |s| line_of(s, step, line).map_or(0, |l| l.attrs.len()),
                |s, a, b| {
                    if let Some(l) = line_of_mut(s, step, line) {
                        l.attrs.drain(a..b);
                    }
                },
            );
        }
    }

    fn lists(&self) -> Vec<ListAt> {
        let mut v = Vec::new();
        for (step, line) in self.line_ids() {
            if let Some(l) = line_of(&self.best, step, line) {
                for list in 0..=l.attrs.len() {
                    v.push((step, line, list));
                }
            }
        }
        v
    }

    fn drop_tokens(&mut self) {
        for at in self.lists() {
            self.ddmin(
                |s| list_of(s, at).map_or(0, Vec::len),
                |s, a, b| {
                    if let Some(l) = list_of_mut(s, at) {
                        l.drain(a..b);
                    }
                },
            );
        }
    }

    fn drop_bytes(&mut self) {
        for at in self.lists() {
            let n = list_of(&self.best, at).map_or(0, Vec::len);
            for t in 0..n {
                match list_of(&self.best, at).and_then(|l| l.get(t)).cloned() {
                    Some(Tok::Run { byte, len }) => self.shorten_run(at, t, byte, len),
                    Some(tok) if tok.len() > 1 => {
                        // As bytes, so that chunks can go.
                        let mut c = self.best.clone();
                        if let Some(slot) = list_of_mut(&mut c, at).and_then(|l| l.get_mut(t)) {
                            *slot = Tok::B(tok.bytes());
                        }
                        // Adopt the representation change only together with a removal.
                        let saved = std::mem::replace(&mut self.best, c);
                        let before = self.best.clone();
                        self.ddmin(
                            |s| tok_of(s, at, t).map_or(0, Tok::len),
                            |s, a, b| {
                                if let Some(Tok::B(bytes)) = tok_of_mut(s, at, t) {
                                    bytes.drain(a..b);
                                }
                            },
                        );
                        if self.best == before {
                            self.best = saved;
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    /// Shortens a run: big steps first, so that a boundary such as 4097 is found quickly.
    fn shorten_run(&mut self, at: ListAt, t: usize, byte: u8, len: u16) {
        let mut len = len;
        let mut step = len / 2;
        while step > 0 && self.budget > 0 {
            let mut c = self.best.clone();
            if let Some(slot) = tok_of_mut(&mut c, at, t) {
                *slot = Tok::Run { byte, len: len - step };
            }
            if self.try_adopt(c) {
                len -= step;
                step = step.min(len);
            } else {
                step /= 2;
            }
        }
    }

    fn simplify(&mut self) {
        // Every occurrence of a place at once (a cookie is read where it was set): the
        // simplest host of its family, then of the first family, "/", https.
        let mut places: Vec<Place> = self.best.steps.iter().filter_map(place_of).collect();
        places.sort();
        places.dedup();
        for p in places {
            let simpler = [
                Place { host: 0, ..p },
                Place { family: 0, host: 0, ..p },
                Place { path: 0, ..p },
                Place { scheme: Scheme::Https, ..p },
            ];
            for q in simpler {
                if q != p {
                    let mut c = self.best.clone();
                    for step in &mut c.steps {
                        if let Step::Set { at, .. } | Step::Expect { at, .. } = step {
                            if *at == p {
                                *at = q;
                            }
                        }
                    }
                    if self.try_adopt(c) {
                        break;
                    }
                }
            }
        }
        // One step at a time: the simplest host of the family, the first family, "/", https.
        for i in 0..self.best.steps.len() {
            let edits: [fn(&mut Place); 4] = [
                |p| p.host = 0,
                |p| p.path = 0,
                |p| p.scheme = Scheme::Https,
                |p| *p = Place { family: 0, host: 0, ..*p },
            ];
            for edit in edits {
                let mut c = self.best.clone();
                if let Some(Step::Set { at, .. } | Step::Expect { at, .. }) = c.steps.get_mut(i) {
                    edit(at);
                    self.try_adopt(c);
                }
            }
            // Contexts: the default, else one field at a time.
            let ctx_edits: [fn(&mut Ctx); 5] = [
                |c| *c = Ctx::default(),
                |c| c.site = Default::default(),
                |c| c.navigation = false,
                |c| c.method = Default::default(),
                |c| c.script = false,
            ];
            for edit in ctx_edits {
                let mut c = self.best.clone();
                if let Some(Step::Set { ctx, .. } | Step::Expect { ctx, .. }) = c.steps.get_mut(i) {
                    edit(ctx);
                    self.try_adopt(c);
                }
            }
            // Advances: shorter.
            if let Some(Step::Advance(secs)) = self.best.steps.get(i) {
                let secs = *secs;
                for shorter in [1, 60, 3600, 86_400, secs / 2] {
                    if shorter < secs {
                        let mut c = self.best.clone();
                        c.steps[i] = Step::Advance(shorter);
                        if self.try_adopt(c) {
                            break;
                        }
                    }
                }
            }
        }
        // Tokens: a plain "a" or "1" instead of anything longer.
        for at in self.lists() {
            let n = list_of(&self.best, at).map_or(0, Vec::len);
            for t in 0..n {
                let Some(tok) = tok_of(&self.best, at, t).cloned() else { continue };
                for simple in [&b"a"[..], b"1"] {
                    if tok.len() > 1 || (tok.len() == 1 && !tok.bytes()[0].is_ascii_alphanumeric()) {
                        let mut c = self.best.clone();
                        if let Some(slot) = tok_of_mut(&mut c, at, t) {
                            *slot = Tok::S(simple);
                        }
                        if self.try_adopt(c) {
                            break;
                        }
                    }
                }
            }
        }
    }
}

fn place_of(s: &Step) -> Option<Place> {
    match s {
        Step::Set { at, .. } | Step::Expect { at, .. } => Some(*at),
        Step::Advance(_) => None,
    }
}

fn lines_len(s: &Scenario, step: usize) -> usize {
    match s.steps.get(step) {
        Some(Step::Set { lines, .. }) => lines.len(),
        _ => 0,
    }
}

fn line_of(s: &Scenario, step: usize, line: usize) -> Option<&super::scenario::Line> {
    match s.steps.get(step) {
        Some(Step::Set { lines, .. }) => lines.get(line),
        _ => None,
    }
}

fn line_of_mut(s: &mut Scenario, step: usize, line: usize) -> Option<&mut super::scenario::Line> {
    match s.steps.get_mut(step) {
        Some(Step::Set { lines, .. }) => lines.get_mut(line),
        _ => None,
    }
}

fn list_of(s: &Scenario, (step, line, list): ListAt) -> Option<&Vec<Tok>> {
    let l = line_of(s, step, line)?;
    if list == 0 {
        Some(&l.head)
    } else {
        l.attrs.get(list - 1)
    }
}

fn list_of_mut(s: &mut Scenario, (step, line, list): ListAt) -> Option<&mut Vec<Tok>> {
    let l = line_of_mut(s, step, line)?;
    if list == 0 {
        Some(&mut l.head)
    } else {
        l.attrs.get_mut(list - 1)
    }
}

fn tok_of(s: &Scenario, at: ListAt, t: usize) -> Option<&Tok> {
    list_of(s, at)?.get(t)
}

fn tok_of_mut(s: &mut Scenario, at: ListAt, t: usize) -> Option<&mut Tok> {
    list_of_mut(s, at)?.get_mut(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Line;

    fn bytes_of(s: &Scenario) -> Vec<Vec<u8>> {
        s.steps
            .iter()
            .flat_map(|st| match st {
                Step::Set { lines, .. } => lines.iter().map(Line::bytes).collect(),
                _ => Vec::new(),
            })
            .collect()
    }

    fn big() -> Scenario {
        let line = |head: Vec<Tok>, attrs: Vec<Vec<Tok>>| Line { head, attrs };
        let at = Place { scheme: Scheme::Http, family: 1, host: 2, path: 3 };
        Scenario {
            steps: vec![
                Step::Set {
                    at,
                    ctx: Ctx { navigation: true, ..Ctx::default() },
                    lines: vec![
                        line(vec![Tok::S(b"SID"), Tok::S(b"="), Tok::S(b"xyz")], vec![vec![Tok::S(b"; "), Tok::S(b"Secure")]]),
                        line(
                            vec![Tok::S(b"b"), Tok::S(b"="), Tok::Run { byte: b'v', len: 4000 }, Tok::S(b"\x01")],
                            vec![vec![Tok::S(b"; "), Tok::S(b"Path"), Tok::S(b"="), Tok::S(b"/a")], vec![Tok::S(b"; Max-Age=5")]],
                        ),
                    ],
                },
                Step::Advance(86_400),
                Step::Expect { at, ctx: Ctx::default() },
            ],
        }
    }

    #[test]
    fn keeps_only_what_the_property_needs() {
        // The property: some line holds a control character.
        let has_ctl = |s: &Scenario| bytes_of(s).iter().any(|l| l.contains(&1));
        let m = minimize(&big(), DEFAULT_BUDGET, has_ctl);
        assert_eq!(bytes_of(&m), vec![b"\x01".to_vec()]);
        assert_eq!(m.steps.len(), 1);
        let Step::Set { at, ctx, .. } = &m.steps[0] else { panic!() };
        assert_eq!(*at, Place::SIMPLEST);
        assert!(ctx.is_default());
    }

    #[test]
    fn finds_a_size_boundary() {
        // The property: some line is longer than 4000 bytes.
        let long = |s: &Scenario| bytes_of(s).iter().any(|l| l.len() > 4000);
        let m = minimize(&big(), DEFAULT_BUDGET, long);
        let lines = bytes_of(&m);
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].len(), 4001, "{:?}", String::from_utf8_lossy(&lines[0][..20]));
    }

    #[test]
    fn respects_the_budget() {
        let mut calls = 0;
        let m = minimize(&big(), 5, |_| {
            calls += 1;
            false
        });
        assert_eq!(calls, 5);
        assert_eq!(m, big());
    }
}
