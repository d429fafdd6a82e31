//! Diagnostics, the rule catalogue, configuration and renderers for `qbank check`.

pub mod baseline;
pub mod catalogue;
pub mod check;
pub mod config;
pub mod context;
pub mod corpus;
pub mod diagnostic;
pub mod fix;
pub mod links;
pub mod registry;
pub mod render;
pub mod rule;
pub mod rules;
pub mod suppress;

pub use baseline::{Baseline, BaselineError, BaselineRun};
pub use config::{Config, ConfigError, RuleSetting};
pub use diagnostic::{Applicability, Diagnostic, Edit, FileReport, Fix, Related, Severity, Suppressed, SuppressedBy};
pub use fix::{FixResult, apply_fixes, unified_diff};
pub use rule::{RuleMeta, docs_url};
pub use suppress::Suppressions;
