//! Percentiles of a sample (nearest rank) and their text and JSON forms.

use serde_json::{Value, json};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    pub count: usize,
    pub p50: f64,
    pub p90: f64,
    pub p99: f64,
    pub max: f64,
    pub mean: f64,
}

impl Summary {
    pub fn of(samples: &[f64]) -> Summary {
        let mut sorted = samples.to_vec();
        sorted.sort_by(f64::total_cmp);
        let rank = |p: f64| -> f64 {
            if sorted.is_empty() {
                return f64::NAN;
            }
            let index = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len()) - 1;
            sorted[index]
        };
        let mean = if sorted.is_empty() { f64::NAN } else { sorted.iter().sum::<f64>() / sorted.len() as f64 };
        Summary {
            count: sorted.len(),
            p50: rank(0.50),
            p90: rank(0.90),
            p99: rank(0.99),
            max: sorted.last().copied().unwrap_or(f64::NAN),
            mean,
        }
    }

    pub fn line(&self, unit: &str) -> String {
        format!(
            "p50 {:.1} {unit}, p90 {:.1} {unit}, p99 {:.1} {unit}, max {:.1} {unit}, mean {:.1} {unit} (n = {})",
            self.p50, self.p90, self.p99, self.max, self.mean, self.count
        )
    }

    pub fn json(&self) -> Value {
        json!({ "count": self.count, "p50": self.p50, "p90": self.p90, "p99": self.p99, "max": self.max, "mean": self.mean })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let samples: Vec<f64> = (1..=100).map(f64::from).collect();
        let s = Summary::of(&samples);
        assert_eq!((s.p50, s.p90, s.p99, s.max, s.count), (50.0, 90.0, 99.0, 100.0, 100));
        assert_eq!(Summary::of(&[7.0]).p90, 7.0);
    }
}
