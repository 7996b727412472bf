//! `meshctl manifest`: objects meshctl renders from its own model, without a cluster: the
//! Istio CRDs, and a whole installation.

use clap::{Args, Subcommand, ValueEnum};

use super::exit;
use crate::Error;
use crate::install::manifest::{self, Settings};
use crate::install::profile::Profile;
use crate::model::releases::Release;

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
    /// Write a JSON Schema for every kind meshctl models (Istio, Kubernetes, Gateway API) and
    /// every version it serves, generated from the same model `validate` checks against, in the
    /// layout kubeconform and yaml-language-server read: DIR/GROUP/KIND_VERSION.json (core
    /// kinds under DIR/v1/). See docs/editors.md.
    Schemas {
        /// The Istio release the schemas are for (fields and values it does not serve are
        /// left out): 1.28, 1.29, 1.30, 1.31 or 1.32 [default: 1.32, or `istioVersion` of
        /// .meshctl.yaml].
        #[arg(long = "istio-version", value_name = "X.Y", value_parser = super::parse_release)]
        istio_version: Option<crate::model::releases::Release>,

        /// The directory to write to (created if missing; existing schemas are overwritten).
        #[arg(short = 'o', long = "output-dir", value_name = "DIR", value_hint = clap::ValueHint::DirPath)]
        dir: std::path::PathBuf,
    },
    /// Print every object an installation of the profile consists of (what `meshctl install`
    /// applies), in install order, without a cluster.
    Generate {
        #[command(flatten)]
        settings: InstallSettingsArgs,

        /// Output format.
        #[arg(short = 'o', long = "output", value_enum, default_value_t = ManifestFormat::Yaml)]
        output: ManifestFormat,
    },
}

/// The installation settings `manifest generate` and `install` share.
#[derive(Debug, Clone, Args)]
pub struct InstallSettingsArgs {
    /// The installation profile [default: default; for verify, the profile recorded at
    /// installation]
    #[arg(long, value_enum)]
    pub profile: Option<Profile>,

    /// A setting, Istio's names: hub, tag, revision, meshConfig.FIELD,
    /// values.pilot.resources.requests.cpu, components.egressGateways[0].enabled, ...
    /// (repeatable; applied after -f).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,

    /// An IstioOperator overlay file (its spec: profile, hub, tag, revision, meshConfig,
    /// values, components); repeatable, applied in order.
    #[arg(short = 'f', long = "filename", value_name = "FILE")]
    pub files: Vec<String>,

    /// The Istio release whose images to use: a patch release (such as 1.30.8) of a release
    /// --istio-version accepts; default 1.28.3, the release tested against a real istiod. The
    /// same as --set tag=VERSION, which takes any tag.
    #[arg(long = "version", value_name = "VERSION", value_parser = install_version)]
    pub version: Option<String>,
}

/// `--version`: `MAJOR.MINOR.PATCH` (a `v` prefix and a suffix such as `-distroless` are kept in
/// the tag) of a release in `releases::SUPPORTED`. Images are tagged by patch release, so a
/// bare `1.30` names no image.
pub fn install_version(s: &str) -> Result<String, String> {
    let release = Release::supported(s)?;
    let core = s.trim().trim_start_matches('v');
    let core = core.split(['-', '+']).next().unwrap_or(core);
    if core.split('.').count() != 3 {
        return Err(format!(
            "{s:?} names no image: Istio's images are tagged by patch release; give a patch \
             release of Istio {release}, such as {release}.0"
        ));
    }
    Ok(s.trim().to_string())
}

impl InstallSettingsArgs {
    /// Whether any setting was given (`verify` uses the installation's record otherwise).
    pub fn given(&self) -> bool {
        self.profile.is_some()
            || !self.set.is_empty()
            || !self.files.is_empty()
            || self.version.is_some()
    }

    /// The settings, or a usage error naming the bad `--set` or file.
    pub fn settings(&self) -> Result<Settings, Error> {
        let sets = self
            .set
            .iter()
            .map(|kv| {
                kv.split_once('=')
                    .map(|(k, v)| (k.trim().to_string(), v.to_string()))
                    .filter(|(k, _)| !k.is_empty())
                    .ok_or_else(|| Error::Usage(format!("--set {kv:?}: expected KEY=VALUE")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut overlays = Vec::new();
        for f in &self.files {
            let text = std::fs::read_to_string(f).map_err(|e| Error::Read {
                path: f.clone(),
                source: e,
            })?;
            let source = crate::load::Source::new(f.as_str(), text.as_str());
            let mut problem = None;
            let before = overlays.len();
            crate::load::yaml::parse_stream(&text, 0, |doc| {
                if let Some(e) = doc.errors.first() {
                    let (line, col) = source.line_col(e.span.start as usize);
                    problem.get_or_insert(format!("{f}:{line}:{col}: {}", e.message));
                }
                // meshConfig as istioctl checks it, located in the file.
                if let Some(mesh) = doc
                    .root
                    .as_ref()
                    .and_then(|r| r.get("spec"))
                    .and_then(|s| s.get("meshConfig"))
                {
                    for (span, message) in
                        crate::install::operator::mesh_config_findings(mesh, &text)
                    {
                        let (line, col) = source.line_col(span.start as usize);
                        problem.get_or_insert(format!("{f}:{line}:{col}: {message}"));
                    }
                }
                // An empty document (a trailing `---`) is no overlay.
                if let Some(root) = doc.root {
                    overlays.push(root.to_json());
                }
            });
            if let Some(p) = problem {
                return Err(Error::Usage(p));
            }
            if overlays[before..].iter().filter(|o| !o.is_null()).count() > 1 {
                return Err(Error::Usage(format!(
                    "{f}: contains several documents; an overlay file holds one IstioOperator \
                     (as for istioctl)"
                )));
            }
        }
        let mut sets = sets;
        if let Some(v) = &self.version {
            sets.push(("tag".to_string(), v.clone()));
        }
        let settings = Settings::build(self.profile.unwrap_or(Profile::Default), &overlays, &sets)
            .map_err(Error::Usage)?;
        for w in &settings.warnings {
            eprintln!("warning: {w}");
        }
        Ok(settings)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ManifestFormat {
    /// A multi-document YAML stream.
    Yaml,
    /// A `v1` `List` object.
    Json,
}

pub fn run(args: &ManifestArgs) -> Result<u8, Error> {
    let (objects, output) = match &args.command {
        ManifestCommand::Crds { output } => (crate::model::crd::istio_crds(), *output),
        ManifestCommand::Schemas { istio_version, dir } => {
            // As validate chooses it: the flag, else `.meshctl.yaml`'s `istioVersion`.
            let cwd = std::env::current_dir().map_err(|e| Error::Read {
                path: ".".to_string(),
                source: e,
            })?;
            let config = crate::report::policy::RuleConfig::discover(None, &cwd)?;
            return write_schemas(dir, super::release(*istio_version, config.istio_version));
        }
        ManifestCommand::Generate { settings, output } => {
            let settings = settings.settings()?;
            let objects = manifest::render(&settings)
                .into_iter()
                .flat_map(|c| c.objects)
                .collect();
            (objects, *output)
        }
    };
    super::write_stdout(&render(&objects, output))?;
    Ok(exit::OK)
}

/// `manifest schemas`: one JSON Schema file per kind and version under `dir`.
fn write_schemas(
    dir: &std::path::Path,
    release: crate::model::releases::Release,
) -> Result<u8, Error> {
    let schemas = crate::model::crd::json_schemas(release);
    let write_error = |path: &std::path::Path, e: std::io::Error| {
        Error::Output(std::io::Error::new(
            e.kind(),
            format!("{}: {e}", path.display()),
        ))
    };
    for (relative, schema) in &schemas {
        let path = dir.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| write_error(parent, e))?;
        }
        let mut text = serde_json::to_string_pretty(schema).unwrap_or_default();
        text.push('\n');
        std::fs::write(&path, text).map_err(|e| write_error(&path, e))?;
    }
    eprintln!(
        "wrote {} JSON Schemas for Istio {release} to {}",
        schemas.len(),
        dir.display()
    );
    Ok(exit::OK)
}

/// Objects as a YAML stream or a JSON `List`.
fn render(objects: &[serde_json::Value], output: ManifestFormat) -> String {
    match output {
        ManifestFormat::Yaml => objects
            .iter()
            .map(crate::report::yaml::to_yaml)
            .collect::<Vec<_>>()
            .join("---\n"),
        ManifestFormat::Json => {
            let list = serde_json::json!({"apiVersion": "v1", "kind": "List", "items": objects});
            let mut s = serde_json::to_string_pretty(&list).unwrap_or_default();
            s.push('\n');
            s
        }
    }
}

#[cfg(test)]
mod tests {
    use super::install_version;

    #[test]
    fn install_version_takes_patch_releases_of_the_supported_releases() {
        for ok in ["1.28.3", "1.30.8", "v1.32.0", "1.29.1-distroless"] {
            assert_eq!(install_version(ok).as_deref(), Ok(ok), "{ok}");
        }
        let err = install_version("1.27.9").expect_err("not supported");
        assert!(
            err.contains("not a release meshctl knows; supported: 1.28, "),
            "{err}"
        );
        let err = install_version("1.30").expect_err("no patch");
        assert!(err.contains("tagged by patch release"), "{err}");
        assert!(install_version("latest").is_err());
    }
}
