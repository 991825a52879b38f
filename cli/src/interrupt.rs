//! Ctrl-C for long commands (`run`, `report`, `fuzz`): the first one asks the work to stop
//! after what is under way, so that targets are dropped in order (adapter sessions deleted,
//! adapters shut down, live clients' browsers closed) and what was found is kept; a second one
//! exits at once.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;

static REQUESTED: AtomicBool = AtomicBool::new(false);

/// Installs the handler (once per process); `message` is printed at the first Ctrl-C.
pub fn install(message: &'static str) {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        let _ = ctrlc::set_handler(move || {
            if REQUESTED.swap(true, Ordering::SeqCst) {
                std::process::exit(130);
            }
            eprintln!("\ninterrupted: {message} (Ctrl-C again to quit now)");
        });
    });
}

/// Whether Ctrl-C was pressed (or [`request`] called) since the last [`clear`].
pub fn requested() -> bool {
    REQUESTED.load(Ordering::Relaxed)
}

/// Asks the work to stop, as Ctrl-C does (for tests and embedding).
pub fn request() {
    REQUESTED.store(true, Ordering::SeqCst);
}

/// Forgets an earlier request (at the start of a new piece of work).
pub fn clear() {
    REQUESTED.store(false, Ordering::SeqCst);
}
