//! Running trials on several target instances at once (one thread each), for targets whose
//! instances are independent: the sessions of an HTTP adapter, or several in-process jars.
//! Results come back in the order of the trials, as a sequential run would give them.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use reference_jar::Profile;

use cookie_conformance::case::Case;
use cookie_conformance::outcome::CaseResult;
use cookie_conformance::target::{Capabilities, Target};

/// How one trial is run on one worker (usually [`cookie_conformance::run_case`] or
/// [`cookie_conformance::run::run_case_with`] with the caller's capabilities and expected failures).
pub type RunOne<'a, T> = &'a (dyn Fn(&mut T, &Case, Profile) -> CaseResult + Sync);

/// [`cookie_conformance::run_case`] with `caps`, no expected failures and no forcing, as a [`RunOne`].
pub fn plain<T: Target>(caps: &Capabilities) -> impl Fn(&mut T, &Case, Profile) -> CaseResult + Sync + '_ {
    move |t: &mut T, c: &Case, p: Profile| cookie_conformance::run_case(t, caps, c, p, None, false)
}

/// Runs every `(case, profile)` of `pairs` on the first free worker of `targets` with
/// `run_one`; `on_result` sees each result as it comes (from any thread). After Ctrl-C
/// ([`crate::interrupt`]) it returns the results of the trials that ran.
pub fn run_parallel<T: Target + Send>(
    targets: &mut [T],
    pairs: &[(&Case, Profile)],
    run_one: RunOne<'_, T>,
    on_result: &(dyn Fn(&CaseResult) + Sync),
) -> Vec<CaseResult> {
    let next = AtomicUsize::new(0);
    let done: Mutex<Vec<(usize, CaseResult)>> = Mutex::new(Vec::with_capacity(pairs.len()));
    std::thread::scope(|scope| {
        for target in targets.iter_mut() {
            let (next, done) = (&next, &done);
            scope.spawn(move || {
                let mut mine = Vec::new();
                // After Ctrl-C, no new trial starts (crate::interrupt).
                while !crate::interrupt::requested() {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(&(case, profile)) = pairs.get(i) else { break };
                    let r = run_one(target, case, profile);
                    on_result(&r);
                    mine.push((i, r));
                }
                done.lock().unwrap_or_else(std::sync::PoisonError::into_inner).extend(mine);
            });
        }
    });
    let mut all = done.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
    all.sort_by_key(|(i, _)| *i);
    all.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::targets::ReferenceTarget;
    use cookie_conformance::Corpus;

    #[test]
    fn parallel_results_equal_sequential_ones() {
        let corpus = Corpus::embedded().unwrap();
        let pairs: Vec<(&Case, Profile)> = corpus.cases().iter().take(60).map(|c| (c, Profile::Rfc6265bis)).collect();
        let caps = Capabilities::all();
        let mut one = ReferenceTarget::new();
        let sequential: Vec<CaseResult> =
            pairs.iter().map(|&(c, p)| cookie_conformance::run_case(&mut one, &caps, c, p, None, false)).collect();
        let mut workers = vec![ReferenceTarget::new(), ReferenceTarget::new(), ReferenceTarget::new()];
        let seen = AtomicUsize::new(0);
        let parallel = run_parallel(&mut workers, &pairs, &plain(&caps), &|_| {
            seen.fetch_add(1, Ordering::Relaxed);
        });
        assert_eq!(seen.into_inner(), pairs.len());
        let strip = |v: &[CaseResult]| v.iter().map(|r| (r.case.clone(), r.profile.clone(), r.outcome)).collect::<Vec<_>>();
        assert_eq!(strip(&parallel), strip(&sequential));
    }
}
