//! Sentence embeddings for semantic mode: all-MiniLM-L6-v2 read from a local directory and run
//! with candle, mean-pooled and L2-normalised as sentence-transformers does, cached by content
//! hash in memory and optionally in a cache file.
//!
//! Weights are never downloaded: a missing or broken directory is a [`DedupError`] that names
//! the directory and the missing files.

use std::collections::HashMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};
use tokenizers::{PaddingParams, Tokenizer, TruncationParams};
use xxhash_rust::xxh3::xxh3_64;

use crate::error::DedupError;
use crate::prepare::HashKeyed;

/// The files a model directory must hold.
pub const MODEL_FILES: [&str; 3] = ["model.safetensors", "tokenizer.json", "config.json"];

/// all-MiniLM-L6-v2 was trained on inputs of at most 256 word pieces (its
/// `sentence_bert_config.json`); longer questions are truncated, as sentence-transformers does.
const MAX_TOKENS: usize = 256;
/// Sentences per forward pass: large enough to keep the matrix kernels busy, small enough that
/// padding to the longest sentence wastes little (batches are formed from length-sorted input).
const BATCH: usize = 32;

const CACHE_MAGIC: &[u8; 8] = b"QBEMBED1";

/// A loaded embedding model with its cache. Embeds with `&self`; safe to share.
pub struct Embedder {
    model: BertModel,
    tokenizer: Tokenizer,
    dim: usize,
    fingerprint: u64,
    cache: Mutex<Cache>,
}

impl std::fmt::Debug for Embedder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Embedder")
            .field("dim", &self.dim)
            .field("fingerprint", &self.fingerprint)
            .field("cached", &self.lock_cache().vectors.len())
            .finish_non_exhaustive()
    }
}

#[derive(Default)]
struct Cache {
    vectors: HashKeyed<Arc<[f32]>>,
    dirty: bool,
}

impl Embedder {
    /// Loads the model from `model_dir` (see [`MODEL_FILES`]).
    pub fn load(model_dir: &Path) -> Result<Embedder, DedupError> {
        if !model_dir.is_dir() {
            return Err(DedupError::ModelDirMissing { dir: model_dir.to_owned() });
        }
        let missing: Vec<&'static str> =
            MODEL_FILES.into_iter().filter(|file| !model_dir.join(file).is_file()).collect();
        if !missing.is_empty() {
            return Err(DedupError::ModelFilesMissing { dir: model_dir.to_owned(), missing });
        }
        let [weights_path, tokenizer_path, config_path] = MODEL_FILES.map(|f| model_dir.join(f));
        let invalid = |path: &PathBuf| {
            let path = path.clone();
            move |reason: String| DedupError::ModelInvalid { path, reason }
        };

        let config_bytes = fs::read(&config_path).map_err(|e| invalid(&config_path)(e.to_string()))?;
        let config: Config = serde_json::from_slice(&config_bytes).map_err(|e| invalid(&config_path)(e.to_string()))?;

        let mut tokenizer =
            Tokenizer::from_file(&tokenizer_path).map_err(|e| invalid(&tokenizer_path)(e.to_string()))?;
        tokenizer
            .with_truncation(Some(TruncationParams { max_length: MAX_TOKENS, ..TruncationParams::default() }))
            .map_err(|e| invalid(&tokenizer_path)(e.to_string()))?;
        // The file pads every input to 128 tokens; padding to the batch's longest is equivalent
        // under the attention mask and much cheaper for short questions.
        tokenizer.with_padding(Some(PaddingParams::default()));

        let device = Device::Cpu;
        let tensors = candle_core::safetensors::load(&weights_path, &device)
            .map_err(|e| invalid(&weights_path)(e.to_string()))?;
        let weights_size = fs::metadata(&weights_path).map_or(0, |m| m.len());
        let vars = VarBuilder::from_tensors(tensors, DType::F32, &device);
        let model = BertModel::load(vars, &config).map_err(|e| invalid(&weights_path)(e.to_string()))?;

        let mut identity = config_bytes;
        identity.extend_from_slice(&weights_size.to_le_bytes());
        identity.extend_from_slice(&fs::metadata(&tokenizer_path).map_or(0, |m| m.len()).to_le_bytes());
        let embedder = Embedder {
            model,
            tokenizer,
            dim: config.hidden_size,
            fingerprint: xxh3_64(&identity),
            cache: Mutex::new(Cache::default()),
        };
        // One real forward pass: a directory with mismatched files fails here, not mid-run.
        embedder
            .forward(&["ready"])
            .map_err(|reason| DedupError::ModelInvalid { path: model_dir.to_owned(), reason })?;
        Ok(embedder)
    }

    /// Length of every embedding (384 for all-MiniLM-L6-v2).
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// Unit-length embeddings of `texts`, in order. Texts seen before (same content hash) come
    /// from the cache.
    pub fn embed(&self, texts: &[&str]) -> Result<Vec<Arc<[f32]>>, DedupError> {
        let keys: Vec<u64> = texts.iter().map(|t| content_key(t)).collect();
        let mut todo: Vec<(u64, &str)> = {
            let cache = self.lock_cache();
            let mut unique: HashMap<u64, &str> = HashMap::new();
            for (key, text) in keys.iter().zip(texts) {
                if !cache.vectors.contains_key(key) {
                    unique.insert(*key, text);
                }
            }
            unique.into_iter().collect()
        };
        // Similar lengths share a batch, so little of each batch is padding.
        todo.sort_unstable_by_key(|(key, text)| (text.len(), *key));
        for batch in todo.chunks(BATCH) {
            let batch_texts: Vec<&str> = batch.iter().map(|(_, t)| *t).collect();
            let vectors = self.forward(&batch_texts).map_err(|reason| DedupError::Embedding { reason })?;
            let mut cache = self.lock_cache();
            for ((key, _), vector) in batch.iter().zip(vectors) {
                cache.vectors.insert(*key, vector.into());
            }
            cache.dirty = true;
        }
        let cache = self.lock_cache();
        Ok(keys.iter().map(|key| cache.vectors[key].clone()).collect())
    }

    fn forward(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, String> {
        let encodings = self.tokenizer.encode_batch(texts.to_vec(), true).map_err(|e| e.to_string())?;
        let rows = encodings.len();
        let width = encodings.first().map_or(0, |e| e.get_ids().len());
        let mut ids = Vec::with_capacity(rows * width);
        let mut mask = Vec::with_capacity(rows * width);
        for encoding in &encodings {
            ids.extend_from_slice(encoding.get_ids());
            mask.extend_from_slice(encoding.get_attention_mask());
        }
        let run = || -> candle_core::Result<Vec<Vec<f32>>> {
            let device = &self.model.device;
            let ids = Tensor::from_vec(ids, (rows, width), device)?;
            let mask = Tensor::from_vec(mask, (rows, width), device)?;
            let hidden = self.model.forward(&ids, &ids.zeros_like()?, Some(&mask))?;
            // Mean over real tokens only, then unit length (sentence-transformers' Pooling and
            // Normalize modules).
            let weights = mask.to_dtype(DType::F32)?.unsqueeze(2)?;
            let summed = hidden.broadcast_mul(&weights)?.sum(1)?;
            let counts = weights.sum(1)?.clamp(1e-9f32, f32::MAX)?;
            let mean = summed.broadcast_div(&counts)?;
            let norms = mean.sqr()?.sum_keepdim(1)?.sqrt()?.clamp(1e-12f32, f32::MAX)?;
            mean.broadcast_div(&norms)?.to_vec2::<f32>()
        };
        run().map_err(|e| e.to_string())
    }

    /// Number of cached embeddings.
    pub fn cached(&self) -> usize {
        self.lock_cache().vectors.len()
    }

    /// Whether embeddings were computed since the cache was last read or written.
    pub fn cache_is_dirty(&self) -> bool {
        self.lock_cache().dirty
    }

    /// Adds the embeddings stored in `path` to the cache and returns how many were read.
    ///
    /// A missing file reads as empty. So does a file written for another model or dimension,
    /// or a damaged one: the cache is only an accelerator, and it will be rewritten.
    pub fn read_cache(&self, path: &Path) -> usize {
        let Ok(bytes) = fs::read(path) else {
            return 0;
        };
        let Some(entries) = decode_cache(&bytes, self.dim, self.fingerprint) else {
            return 0;
        };
        let count = entries.len();
        self.lock_cache().vectors.extend(entries);
        count
    }

    /// Writes every cached embedding to `path` (atomically: a temporary file renamed over it).
    pub fn write_cache(&self, path: &Path) -> Result<(), DedupError> {
        let bytes = {
            let cache = self.lock_cache();
            encode_cache(&cache.vectors, self.dim, self.fingerprint)
        };
        let mut temporary = path.as_os_str().to_owned();
        temporary.push(format!(".{}.tmp", std::process::id()));
        let temporary = PathBuf::from(temporary);
        let result = fs::File::create(&temporary)
            .and_then(|mut file| file.write_all(&bytes).and_then(|()| file.sync_all()))
            .and_then(|()| fs::rename(&temporary, path));
        if let Err(source) = result {
            let _ = fs::remove_file(&temporary);
            return Err(DedupError::CacheWrite { path: path.to_owned(), source });
        }
        self.lock_cache().dirty = false;
        Ok(())
    }

    fn lock_cache(&self) -> MutexGuard<'_, Cache> {
        // A panic while holding the lock cannot leave the map half-updated in a way that
        // matters (inserts are whole vectors), so a poisoned lock is still usable.
        self.cache.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The cache key of a text: its content hash.
pub(crate) fn content_key(text: &str) -> u64 {
    xxh3_64(text.as_bytes())
}

/// Layout: magic, dim (u32), model fingerprint (u64), count (u64), then per entry the key
/// (u64) and `dim` f32 values; little-endian, entries sorted by key so equal caches are equal
/// files.
fn encode_cache(vectors: &HashKeyed<Arc<[f32]>>, dim: usize, fingerprint: u64) -> Vec<u8> {
    let mut entries: Vec<(&u64, &Arc<[f32]>)> = vectors.iter().collect();
    entries.sort_unstable_by_key(|(key, _)| **key);
    let mut out = Vec::with_capacity(28 + entries.len() * (8 + 4 * dim));
    out.extend_from_slice(CACHE_MAGIC);
    out.extend_from_slice(&(dim as u32).to_le_bytes());
    out.extend_from_slice(&fingerprint.to_le_bytes());
    out.extend_from_slice(&(entries.len() as u64).to_le_bytes());
    for (key, vector) in entries {
        out.extend_from_slice(&key.to_le_bytes());
        for value in vector.iter() {
            out.extend_from_slice(&value.to_le_bytes());
        }
    }
    out
}

fn decode_cache(bytes: &[u8], dim: usize, fingerprint: u64) -> Option<Vec<(u64, Arc<[f32]>)>> {
    let header = bytes.get(..28)?;
    if &header[..8] != CACHE_MAGIC
        || u32::from_le_bytes(header[8..12].try_into().ok()?) as usize != dim
        || u64::from_le_bytes(header[12..20].try_into().ok()?) != fingerprint
    {
        return None;
    }
    let count = u64::from_le_bytes(header[20..28].try_into().ok()?) as usize;
    let entry_len = 8 + 4 * dim;
    let body = &bytes[28..];
    if body.len() != count.checked_mul(entry_len)? {
        return None;
    }
    let entries = body
        .chunks_exact(entry_len)
        .map(|entry| {
            let key = u64::from_le_bytes(entry[..8].try_into().expect("8 bytes"));
            let vector: Arc<[f32]> =
                entry[8..].chunks_exact(4).map(|v| f32::from_le_bytes(v.try_into().expect("4 bytes"))).collect();
            (key, vector)
        })
        .collect();
    Some(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_round_trips_and_rejects_foreign_files() {
        let mut vectors = HashKeyed::default();
        vectors.insert(7u64, Arc::from(vec![0.5f32, -0.25]));
        vectors.insert(3u64, Arc::from(vec![1.0f32, 0.0]));
        let bytes = encode_cache(&vectors, 2, 42);
        let decoded: HashKeyed<Arc<[f32]>> = decode_cache(&bytes, 2, 42).unwrap().into_iter().collect();
        assert_eq!(decoded, vectors);
        assert!(decode_cache(&bytes, 2, 43).is_none(), "other model");
        assert!(decode_cache(&bytes, 3, 42).is_none(), "other dimension");
        assert!(decode_cache(&bytes[..bytes.len() - 1], 2, 42).is_none(), "truncated");
        assert!(decode_cache(b"junk", 2, 42).is_none());
    }

    #[test]
    fn missing_directory_and_files_are_named() {
        let dir = std::env::temp_dir().join(format!("qbank-dedup-no-model-{}", std::process::id()));
        let error = Embedder::load(&dir).unwrap_err().to_string();
        assert!(error.contains(&dir.display().to_string()), "{error}");
        assert!(error.contains("does not exist"), "{error}");
        assert!(error.contains("scripts/setup-model.sh"), "{error}");

        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("config.json"), "{}").unwrap();
        let error = Embedder::load(&dir).unwrap_err().to_string();
        assert!(error.contains("missing model.safetensors, tokenizer.json"), "{error}");
        assert!(!error.contains("config.json"), "{error}");

        fs::write(dir.join("model.safetensors"), "not safetensors").unwrap();
        fs::write(dir.join("tokenizer.json"), "{}").unwrap();
        let error = Embedder::load(&dir).unwrap_err().to_string();
        assert!(error.contains("cannot load embedding model file"), "{error}");
        assert!(error.contains("config.json"), "{error}");
        fs::remove_dir_all(&dir).unwrap();
    }
}
