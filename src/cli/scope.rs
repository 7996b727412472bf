//! Flags that say what the input is, shared by the commands that read configuration offline.
//! `route-test`, `analyze` and `lint` flatten them.

use clap::Args;

use crate::config::ConfigSet;

/// What the files given with `-f` cover.
#[derive(Debug, Clone, Default, Args)]
pub struct InputScopeArgs {
    /// The input is complete: every object it refers to is in it. Without this flag an object
    /// the input says nothing about (a Service in a namespace with no Services in the input, a
    /// ServiceEntry, a DestinationRule, Istio's own gateway Services) is assumed to exist;
    /// with it, an object not in the input does not exist.
    #[arg(long)]
    pub complete: bool,
}

impl InputScopeArgs {
    /// Records the declaration in the config set.
    pub fn apply(&self, set: &mut ConfigSet) {
        set.complete_all |= self.complete;
    }
}
