//! Diagnostics, the rule catalogue, configuration and renderers for `qbank check`.
