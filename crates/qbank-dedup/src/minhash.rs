//! MinHash signatures and their LSH band keys: answers that are near copies (same word
//! 3-shingles) land in a shared bucket.
//!
//! With [`ROWS`] rows per band and 16 bands, two answers whose shingle sets have Jaccard
//! similarity J share a band with probability 1 - (1 - J^3)^16: 0.98 at J = 0.6, 0.88 at 0.5,
//! 0.35 at 0.3, 0.02 at 0.1.

use xxhash_rust::xxh3::xxh3_64_with_seed;

pub(crate) const SIGNATURE_LEN: usize = 48;
pub(crate) const ROWS: usize = 3;

/// Multiply-shift hash functions `(a * x + b) >> 32`, one per signature row, drawn from a
/// fixed SplitMix64 stream so signatures are stable across runs and machines.
const COEFFICIENTS: [(u64, u64); SIGNATURE_LEN] = coefficients();

const fn coefficients() -> [(u64, u64); SIGNATURE_LEN] {
    let mut out = [(0u64, 0u64); SIGNATURE_LEN];
    let mut state: u64 = 0x0DDB_1A5E_5BAD_5EED;
    let mut i = 0;
    while i < SIGNATURE_LEN {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let a = splitmix(state) | 1;
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let b = splitmix(state);
        out[i] = (a, b);
        i += 1;
    }
    out
}

const fn splitmix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The MinHash signature of a set given as (possibly repeated) element hashes.
pub(crate) fn signature(elements: impl Iterator<Item = u64>) -> Vec<u32> {
    let mut minima = [u32::MAX; SIGNATURE_LEN];
    for element in elements {
        for (min, (a, b)) in minima.iter_mut().zip(COEFFICIENTS) {
            let value = (a.wrapping_mul(element).wrapping_add(b) >> 32) as u32;
            *min = (*min).min(value);
        }
    }
    minima.to_vec()
}

/// One key per band; two signatures that agree on every row of a band share that band's key.
pub(crate) fn band_keys(signature: &[u32]) -> impl Iterator<Item = u64> + '_ {
    signature.chunks_exact(ROWS).enumerate().map(|(band, values)| {
        let mut bytes = [0u8; 4 * ROWS];
        for (chunk, value) in bytes.chunks_exact_mut(4).zip(values) {
            chunk.copy_from_slice(&value.to_le_bytes());
        }
        xxh3_64_with_seed(&bytes, band as u64)
    })
}

/// The fraction of rows on which two signatures agree: an estimate of Jaccard similarity.
#[cfg(test)]
pub(crate) fn estimate(a: &[u32], b: &[u32]) -> f64 {
    let same = a.iter().zip(b).filter(|(x, y)| x == y).count();
    same as f64 / a.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn estimates_jaccard() {
        // {0..100} vs {50..150}: Jaccard 1/3.
        let a = signature((0u64..100).map(|x| splitmix(x + 1)));
        let b = signature((50u64..150).map(|x| splitmix(x + 1)));
        let estimate = estimate(&a, &b);
        assert!((0.15..0.55).contains(&estimate), "{estimate}");
        assert_eq!(signature((0u64..100).map(|x| splitmix(x + 1))), a);
    }

    #[test]
    fn identical_sets_share_every_band() {
        let a = signature([1u64, 2, 3].into_iter());
        let b = signature([3u64, 2, 1, 1].into_iter());
        assert!(band_keys(&a).eq(band_keys(&b)));
        assert_eq!(band_keys(&a).count(), 16);
    }
}
