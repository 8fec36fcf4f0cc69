//! Chart versions resolved once per process: the engines a face makes
//! (one per namespace) share one [`ResolvedCharts`], so fifty connections
//! installing the same agent version ask the registry for its manifest
//! once, not fifty times (each ask costs the registry a credential check).
//! Concurrent asks for the same version wait for the one in flight; a
//! failed pull is not kept, so the next ask tries again. A tag moved while
//! the process runs is seen by the next process, as a `helm` command
//! resolves a version once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::OnceCell;

use crate::helm::oci::{ChartPuller, ChartReference, PullError, PullOptions, PulledChart};

/// A chart version as asked for: the reference and the credentials'
/// access ID (another licence may see another registry's answer).
type Asked = (String, Option<String>);

/// The chart versions pulled so far, by reference and credentials.
#[derive(Debug, Default)]
pub struct ResolvedCharts(Mutex<HashMap<Asked, Arc<OnceCell<PulledChart>>>>);

impl ResolvedCharts {
    /// The chart `reference` resolves to, pulled with `options` unless this
    /// process pulled it already.
    pub(super) async fn pull(
        &self,
        reference: &ChartReference,
        options: PullOptions,
    ) -> Result<PulledChart, PullError> {
        let asked = (
            reference.to_string(),
            options
                .license
                .as_ref()
                .map(|license| license.access_id.clone()),
        );
        let cell = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .entry(asked)
            .or_default()
            .clone();
        cell.get_or_try_init(|| async { ChartPuller::new(options).pull(reference).await })
            .await
            .cloned()
    }
}
