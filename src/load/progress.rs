//! Progress on standard error for long reads: `reading files 1,234/20,000`, redrawn in place at
//! most ten times a second and erased when the work is done. Only when standard error is a
//! terminal and the work is large (see [`Progress::worth_showing`]); never in pipes, CI logs or
//! machine output (standard output is never touched). `MESHCTL_NO_PROGRESS=1` turns it off.

use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// From this many files, reading shows progress.
pub const MIN_FILES: usize = 500;
const REDRAW: Duration = Duration::from_millis(100);

/// A counter of done items that redraws one status line.
pub struct Progress {
    what: &'static str,
    total: usize,
    done: AtomicUsize,
    last: Mutex<Option<Instant>>,
    active: bool,
}

impl Progress {
    /// Whether `total` items are worth a progress line, given whether standard error is a
    /// terminal and whether the user turned progress off.
    pub fn worth_showing(total: usize, stderr_is_terminal: bool, disabled: bool) -> bool {
        stderr_is_terminal && !disabled && total >= MIN_FILES
    }

    /// A progress line for `total` items of `what` ("reading files"), shown only when
    /// [`Progress::worth_showing`] says so for this process.
    pub fn start(what: &'static str, total: usize) -> Progress {
        let disabled = std::env::var_os("MESHCTL_NO_PROGRESS").is_some_and(|v| v != "0");
        Progress {
            what,
            total,
            done: AtomicUsize::new(0),
            last: Mutex::new(None),
            active: Progress::worth_showing(total, std::io::stderr().is_terminal(), disabled),
        }
    }

    /// One more item done; redraws when the last redraw is old enough.
    pub fn tick(&self) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if !self.active {
            return;
        }
        let Ok(mut last) = self.last.try_lock() else {
            return;
        };
        let now = Instant::now();
        if last.is_some_and(|t| now.duration_since(t) < REDRAW) && done < self.total {
            return;
        }
        *last = Some(now);
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r{}\x1b[K", line(self.what, done, self.total));
        let _ = err.flush();
    }

    /// Erases the line (when one was drawn).
    pub fn finish(&self) {
        if !self.active {
            return;
        }
        if let Ok(mut last) = self.last.lock()
            && last.take().is_some()
        {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[K");
            let _ = err.flush();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

/// `reading files 1,234/20,000 (6%)`.
pub fn line(what: &str, done: usize, total: usize) -> String {
    let pct = (done * 100).checked_div(total).unwrap_or(100);
    format!("{what} {}/{} ({pct}%)", thousands(done), thousands(total))
}

fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_large_work_on_a_terminal_shows_progress() {
        assert!(Progress::worth_showing(MIN_FILES, true, false));
        assert!(!Progress::worth_showing(MIN_FILES - 1, true, false));
        assert!(
            !Progress::worth_showing(100_000, false, false),
            "not in pipes"
        );
        assert!(
            !Progress::worth_showing(100_000, true, true),
            "not when turned off"
        );
    }

    #[test]
    fn the_line_counts_with_separators() {
        assert_eq!(
            line("reading files", 1234, 20000),
            "reading files 1,234/20,000 (6%)"
        );
        assert_eq!(line("x", 0, 0), "x 0/0 (100%)");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }

    #[test]
    fn an_inactive_progress_counts_silently() {
        let p = Progress {
            what: "reading files",
            total: 3,
            done: AtomicUsize::new(0),
            last: Mutex::new(None),
            active: false,
        };
        p.tick();
        p.tick();
        assert_eq!(p.done.load(Ordering::Relaxed), 2);
        assert!(p.last.lock().is_ok_and(|l| l.is_none()));
    }
}
