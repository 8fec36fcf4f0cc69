//! The local chart cache: blobs stored under their digest
//! (`<dir>/blobs/sha256/<hex>`), so a version pulled once is never
//! downloaded again. Entries are re-hashed on every read — a chart is small,
//! and a damaged file is dropped and fetched again rather than trusted.

use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::PullError;
use crate::spec::InvalidChartReference;

/// A directory of blobs keyed by their `sha256:` digest.
#[derive(Clone, Debug)]
pub(super) struct BlobCache {
    dir: PathBuf,
}

impl BlobCache {
    pub(super) fn new(dir: &Path) -> Self {
        Self {
            dir: dir.to_path_buf(),
        }
    }

    /// The cached blob with this digest, if present and intact.
    pub(super) fn get(&self, digest: &str) -> Result<Option<PathBuf>, PullError> {
        let path = self.path(digest)?;
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(PullError::Cache { path, source }),
        };
        if sha256_digest(&bytes) == digest {
            return Ok(Some(path));
        }
        std::fs::remove_file(&path).map_err(|source| PullError::Cache {
            path: path.clone(),
            source,
        })?;
        Ok(None)
    }

    /// Stores a blob that was verified against `digest`; written to a
    /// temporary file first so a crash never leaves a partial entry.
    pub(super) fn put(&self, digest: &str, bytes: &[u8]) -> Result<PathBuf, PullError> {
        let path = self.path(digest)?;
        let dir = path.parent().unwrap_or(&self.dir);
        let cache_error = |source| PullError::Cache {
            path: dir.to_path_buf(),
            source,
        };
        std::fs::create_dir_all(dir).map_err(cache_error)?;
        let mut file = tempfile::NamedTempFile::new_in(dir).map_err(cache_error)?;
        file.write_all(bytes).map_err(cache_error)?;
        file.persist(&path)
            .map_err(|error| cache_error(error.error))?;
        Ok(path)
    }

    fn path(&self, digest: &str) -> Result<PathBuf, PullError> {
        match digest.strip_prefix("sha256:") {
            Some(hex) if hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()) => {
                Ok(self.dir.join("blobs").join("sha256").join(hex))
            }
            _ => Err(PullError::InvalidReference(InvalidChartReference {
                reference: digest.to_owned(),
                problem: "is not a sha256 digest".to_owned(),
            })),
        }
    }
}

/// `sha256:<hex>` of `bytes`.
fn sha256_digest(bytes: &[u8]) -> String {
    let hash = Sha256::digest(bytes);
    let hex: String = hash.iter().map(|byte| format!("{byte:02x}")).collect();
    format!("sha256:{hex}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_damaged_entry_is_dropped_not_trusted() {
        let dir = tempfile::tempdir().unwrap();
        let cache = BlobCache::new(dir.path());
        let digest = sha256_digest(b"chart");
        let path = cache.put(&digest, b"chart").unwrap();
        assert_eq!(cache.get(&digest).unwrap(), Some(path.clone()));
        std::fs::write(&path, b"tampered").unwrap();
        assert_eq!(cache.get(&digest).unwrap(), None);
        assert!(!path.exists());
    }
}
