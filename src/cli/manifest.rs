//! `meshctl manifest`: objects meshctl renders from its own model, without a cluster.

use clap::{Args, Subcommand, ValueEnum};

use super::exit;
use crate::Error;

#[derive(Debug, Args)]
pub struct ManifestArgs {
    #[command(subcommand)]
    pub command: ManifestCommand,
}

#[derive(Debug, Subcommand)]
pub enum ManifestCommand {
    /// Print the CustomResourceDefinitions of the Istio kinds, generated from meshctl's model
    /// (the same schema `validate` checks against), ready for `kubectl apply --server-side`.
    Crds {
        /// Output format.
        #[arg(short = 'o', long = "output", value_enum, default_value_t = ManifestFormat::Yaml)]
        output: ManifestFormat,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ManifestFormat {
    /// A multi-document YAML stream.
    Yaml,
    /// A `v1` `List` object.
    Json,
}

pub fn run(args: &ManifestArgs) -> Result<u8, Error> {
    match &args.command {
        ManifestCommand::Crds { output } => {
            let crds = crate::model::crd::istio_crds();
            let text = match output {
                ManifestFormat::Yaml => crds
                    .iter()
                    .map(crate::report::yaml::to_yaml)
                    .collect::<Vec<_>>()
                    .join("---\n"),
                ManifestFormat::Json => {
                    let list =
                        serde_json::json!({"apiVersion": "v1", "kind": "List", "items": crds});
                    let mut s = serde_json::to_string_pretty(&list).unwrap_or_default();
                    s.push('\n');
                    s
                }
            };
            super::write_stdout(&text)?;
            Ok(exit::OK)
        }
    }
}
