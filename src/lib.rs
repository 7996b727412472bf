//! meshctl: fast, offline validation, analysis and routing simulation for Istio configuration.
//!
//! The crate is a library with a thin binary on top. Data flows one way:
//! `load` (files → spanned YAML documents) → `model` (the typed Istio and Kubernetes API, with
//! its schema) → `check` (validation producing [`check::Diagnostic`]s) → `analyze` (cross-resource analysis
//! and lint over a [`config::ConfigSet`]) → `report` (human, JSON,
//! YAML, SARIF, JUnit, GitHub annotations). The `cli` module wires these for each subcommand.

pub mod analyze;
pub mod check;
pub mod cli;
pub mod cluster;
pub mod config;
pub mod diff;
pub mod error;
pub mod install;
pub mod load;
pub mod model;
pub mod report;
pub mod route;
pub mod store;

pub use error::Error;
