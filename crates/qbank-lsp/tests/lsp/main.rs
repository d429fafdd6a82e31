//! Protocol-level tests of the qbank language server: every capability driven through the real
//! `Backend` and transport by [`client::TestClient`].

mod client;
mod diagnostics;
mod duplicates;
mod editing;
mod features;
mod links;
mod robustness;
mod workspace;

/// A bank with two findings on question 3: numbering skips (QB016, safe fix) and no TL;DR
/// (QB012).
pub const OPS: &str = "---
id: ops
---

# Operations

## Deployments

### 1. How do you roll out a change safely?
<!-- id: safe-rollout; difficulty: medium; tags: deployments, k8s -->

**Answer:**

Use canary releases and watch the error rate.

**TL;DR:** Canary first, then widen.

### 3. What is a rollback?
<!-- id: rollback -->

**Answer:**

Going back to the previous version.
";

/// Another bank: its first question repeats OPS's first one (other case and spacing).
pub const OTHER: &str = "---
id: other
---

# Other

## Release engineering

### 1. How do you roll out  a change SAFELY?
<!-- id: other-rollout; tags: releases -->

**Answer:**

Feature flags and canaries.

**TL;DR:** Flags and canaries.
";

pub const README: &str = "# Project\n\nNotes about this repository, not a question bank.\n";

/// The seed files, warts included.
pub fn seeds() -> Vec<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/seeds");
    let mut seeds: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(&p).unwrap()))
        .collect();
    seeds.sort();
    assert_eq!(seeds.len(), 5);
    seeds
}

/// `(code, range)` of LSP diagnostics, sorted, for comparisons.
pub fn codes_and_ranges(diagnostics: &serde_json::Value) -> Vec<(String, serde_json::Value)> {
    let mut out: Vec<(String, serde_json::Value)> = diagnostics
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["code"].as_str().unwrap().to_string(), d["range"].clone()))
        .collect();
    out.sort_by_key(|a| (a.0.clone(), a.1.to_string()));
    out
}

pub fn codes(diagnostics: &serde_json::Value) -> Vec<String> {
    diagnostics.as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap().to_string()).collect()
}

/// A bank whose question 1 `BETA`'s question 1 nearly repeats (two typos).
pub const ALPHA: &str = "---
id: alpha
---

# Alpha

## Scaling

### 1. How do you configure Kubernetes autoscaling?
<!-- id: k8s-autoscaling; difficulty: medium -->

**Answer:**

Set resource requests and a HorizontalPodAutoscaler with a CPU target.

**TL;DR:** Requests plus an HPA.

### 2. What is a readiness probe?
<!-- id: readiness-probe -->

**Answer:**

A check that decides when a pod receives traffic.

**TL;DR:** Traffic only when ready.
";

/// See [`ALPHA`].
pub const BETA: &str = "---
id: beta
---

# Beta

## Clusters

### 1. How do you configure Kubernates autoscalling?
<!-- id: k8s-autoscale -->

**Answer:**

Set resource requests and a HorizontalPodAutoscaler with a CPU target.

**TL;DR:** Requests plus an HPA.
";
