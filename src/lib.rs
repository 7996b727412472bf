//! meshctl: fast, offline validation, analysis and routing simulation for Istio configuration.
//!
//! The crate is a library with a thin binary on top. Data flows one way:
//! `load` (files → spanned YAML documents) → `model` (the typed Istio and Kubernetes API, with
//! its schema and Istio's semantics: hosts, visibility, string matches) → `store` (objects with
//! their identity, the one dispatch on kind, typed views with indexes) → `check` (validation
//! producing [`check::Diagnostic`]s) → `config` (inputs read and validated into a
//! [`config::ConfigSet`]) → `analyze`, `route`, `diff` → `report` (human, JSON, YAML, SARIF,
//! JUnit, GitHub annotations). The `cli` module wires these for each subcommand.

pub mod analyze;
pub mod check;
pub mod cli;
pub mod cluster;
pub mod config;
pub mod diff;
pub mod error;
pub mod install;
pub mod load;
pub mod lsp;
pub mod model;
pub mod report;
pub mod route;
pub mod store;

pub use error::Error;
