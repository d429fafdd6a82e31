//! Near-duplicate detection for questions: normalisation, candidates, scoring, clustering, explanations.
