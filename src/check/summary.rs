//! The counts of one run's findings (files, resources, errors, warnings, infos): computed by
//! the checks, printed by `report` as the summary line and the `summary` object.

use super::{Diagnostic, Severity};

/// Counts for the summary line and the `summary` object.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// What was read from a cluster, e.g. `cluster testbed, all namespaces` (`None` offline).
    pub cluster: Option<String>,
    pub files: usize,
    pub resources: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Summary {
    pub fn count(&mut self, diagnostics: &[Diagnostic]) {
        for d in diagnostics {
            match d.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Info => self.infos += 1,
            }
        }
    }
}
