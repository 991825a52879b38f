//! Executing a case's steps on a target: the virtual clock, the calls in order, each answer
//! compared as it arrives, target errors and panics caught. What happened is an [`Execution`],
//! which [`crate::run`] classifies into an outcome and [`crate::trace`] renders for a human.

use std::cell::{Cell, RefCell};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Once;
use std::time::Instant;

use reference_jar::{Profile, UnixTime};

use crate::case::{ApiName, Case, Step};
use crate::compare::{check_stored, compare, Verdict};
use crate::target::{Setup, StoredCookie, Target, TargetError};

/// How a case's execution ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum End {
    /// Every step ran.
    Completed,
    /// The target returned [`TargetError::Failed`] or panicked, at the last recorded step.
    Errored(String),
    /// The target returned [`TargetError::Unsupported`].
    Unsupported(String),
}

/// What happened at one step.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct StepRecord {
    /// The virtual time after the step.
    pub now: UnixTime,
    /// For `expect` with a URL: the target's answer.
    pub header: Option<Option<Vec<u8>>>,
    /// For `expect` with a URL: how it compares.
    pub verdict: Option<Verdict>,
    /// For `expect` with `stored`: the target's dump.
    pub dump: Option<Vec<StoredCookie>>,
    /// For `expect` with `stored`: what did not match.
    pub stored_mismatch: Option<String>,
}

impl StepRecord {
    pub(crate) fn failed(&self) -> bool {
        self.verdict.is_some_and(|v| v != Verdict::Match) || self.stored_mismatch.is_some()
    }

    /// Failed, and only because of the order of the cookie-pairs.
    pub(crate) fn failed_on_order_only(&self) -> bool {
        self.verdict == Some(Verdict::OrderOnly) && self.stored_mismatch.is_none()
    }
}

/// The record of a case's execution on a target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Execution {
    /// One record per step that ran (the last one errored if `end` is `Errored`).
    pub records: Vec<StepRecord>,
    pub end: End,
    /// Microseconds spent running the steps.
    pub duration_us: u64,
}

impl Execution {
    pub(crate) fn first_failure(&self) -> Option<usize> {
        self.records.iter().position(StepRecord::failed)
    }
}

/// Runs the steps of `case` on `target`; never panics (target panics are caught).
pub(crate) fn execute(target: &mut dyn Target, case: &Case, profile: Profile) -> Execution {
    let started = Instant::now();
    let mut records = Vec::with_capacity(case.steps.len());
    let mut now = case.start();
    let setup = Setup {
        profile,
        config: case.config.jar_config(profile),
        options: case.config.clone(),
        start: now,
        case: case.full_name(),
    };
    let mut end = match guarded(|| target.reset(&setup)) {
        Ok(()) => End::Completed,
        Err(e) => e,
    };
    if end == End::Completed {
        for step in &case.steps {
            let mut record = StepRecord { now, ..StepRecord::default() };
            let result = run_step(target, step, &mut now, &mut record);
            record.now = now;
            records.push(record);
            if let Err(e) = result {
                end = e;
                break;
            }
        }
    }
    Execution { records, end, duration_us: started.elapsed().as_micros().try_into().unwrap_or(u64::MAX) }
}

fn run_step(target: &mut dyn Target, step: &Step, now: &mut UnixTime, record: &mut StepRecord) -> Result<(), End> {
    match step {
        Step::Advance(d) => *now = now.saturating_add(d.seconds()),
        Step::Set(set) => {
            let ctx = set.context.to_reference();
            guarded(|| target.set_cookies(&set.url, &set.cookies, &ctx, *now))?;
        }
        Step::Expect(expect) => {
            if let (Some(url), Some(expected)) = (&expect.url, &expect.cookie) {
                let ctx = expect.context.to_reference();
                let actual = guarded(|| target.cookie_header(url, &ctx, *now))?;
                let script = expect.context.api == ApiName::Script;
                record.verdict = Some(compare(expected, actual.as_deref(), script));
                record.header = Some(actual);
            }
            if let Some(stored) = &expect.stored {
                let dump = guarded(|| target.dump(*now))?.ok_or_else(|| {
                    End::Unsupported("the target cannot dump its storage (`stored`)".to_owned())
                })?;
                record.stored_mismatch = check_stored(stored, &dump).err();
                record.dump = Some(dump);
            }
        }
    }
    Ok(())
}

thread_local! {
    /// Set while a target call runs, so the panic hook stays quiet and records the message.
    static IN_TARGET: Cell<bool> = const { Cell::new(false) };
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Installs (once) a panic hook that, during target calls only, records the message and
/// location instead of printing them; other panics go to the previous hook.
fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if IN_TARGET.with(Cell::get) {
                let location = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
                let message = payload_text(info.payload());
                LAST_PANIC.with(|p| *p.borrow_mut() = Some(format!("{message}{location}")));
            } else {
                previous(info);
            }
        }));
    });
}

fn payload_text(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "(non-string panic payload)".to_owned()
    }
}

/// Calls the target, turning its errors and panics into an [`End`].
fn guarded<T>(call: impl FnOnce() -> Result<T, TargetError>) -> Result<T, End> {
    install_panic_hook();
    IN_TARGET.with(|f| f.set(true));
    let result = catch_unwind(AssertUnwindSafe(call));
    IN_TARGET.with(|f| f.set(false));
    match result {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(TargetError::Unsupported(why))) => Err(End::Unsupported(why)),
        Ok(Err(TargetError::Failed(msg))) => Err(End::Errored(format!("the target failed: {msg}"))),
        Err(payload) => {
            let msg = LAST_PANIC.with(|p| p.borrow_mut().take()).unwrap_or_else(|| payload_text(&*payload));
            Err(End::Errored(format!("the target panicked: {msg}")))
        }
    }
}

