//! The state behind a lock, mirrored to the state file after every change.
//!
//! A change is saved while the lock is still held, so the file always holds
//! the state after the latest change, never an older one written late.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::error::Error;
use crate::state::State;

/// Locks `mutex`, carrying on if an earlier holder panicked: the double's
/// data stays usable for the assertions that follow a failed test step.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The shared state and where it is saved.
pub(crate) struct Store {
    state: Mutex<State>,
    file: Option<PathBuf>,
}

impl Store {
    /// The state from `file` if it exists, else a new empty state.
    pub(crate) fn open(file: Option<PathBuf>) -> Result<Self, Error> {
        let state = match &file {
            Some(path) if path.exists() => load(path)?,
            _ => State::new(),
        };
        Ok(Self {
            state: Mutex::new(state),
            file,
        })
    }

    /// Reads the state.
    pub(crate) fn read<R>(&self, read: impl FnOnce(&State) -> R) -> R {
        read(&lock(&self.state))
    }

    /// Changes the state; if `change` succeeds the new state is saved.
    /// `change` must leave the state as it was when it fails.
    pub(crate) fn write<R, E: From<Error>>(
        &self,
        change: impl FnOnce(&mut State) -> Result<R, E>,
    ) -> Result<R, E> {
        let mut state = lock(&self.state);
        let result = change(&mut state)?;
        if let Some(path) = &self.file {
            save(path, &state)?;
        }
        Ok(result)
    }
}

fn load(path: &Path) -> Result<State, Error> {
    let text = std::fs::read(path).map_err(|source| Error::ReadState {
        path: path.to_owned(),
        source,
    })?;
    serde_json::from_slice(&text).map_err(|source| Error::ParseState {
        path: path.to_owned(),
        source,
    })
}

/// Writes beside the file and renames over it, so a reader (or a double
/// killed mid-write) never sees half a state.
fn save(path: &Path, state: &State) -> Result<(), Error> {
    let text = serde_json::to_vec_pretty(state).expect("the state serializes to JSON");
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(".tmp");
    let temporary = PathBuf::from(temporary);
    std::fs::write(&temporary, text)
        .and_then(|()| std::fs::rename(&temporary, path))
        .map_err(|source| Error::WriteState {
            path: path.to_owned(),
            source,
        })
}

#[cfg(test)]
mod tests {
    use super::Store;
    use crate::error::Error;

    #[test]
    fn a_reopened_store_has_the_saved_state() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("state.json");
        let store = Store::open(Some(file.clone())).unwrap();
        store
            .write(|state| state.add_organization("acme", None))
            .unwrap();

        let reopened = Store::open(Some(file)).unwrap();

        assert!(reopened.read(|state| state.organization_named("acme").is_some()));
        assert_eq!(
            reopened.read(|state| state.signing_key().to_vec()),
            store.read(|state| state.signing_key().to_vec())
        );
    }

    #[test]
    fn a_failed_change_is_not_saved() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("state.json");
        let store = Store::open(Some(file.clone())).unwrap();
        let failed: Result<(), Error> =
            store.write(|_| Err(Error::UnknownOrganization("x".into())));
        assert!(failed.is_err());
        assert!(!file.exists());
    }
}
