//! The request log: one record per API call (control calls are not logged),
//! so tests can assert what a client did — and did not — call.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One API request as the double saw it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestRecord {
    /// The HTTP method, e.g. `POST`.
    pub method: String,
    /// The route template with its method, e.g. `POST /v2/robots` or
    /// `GET /v1/organizations/{orgID}/robots`. A path that matches no route
    /// is recorded as itself, e.g. `GET /v3/nothing`.
    pub route: String,
    /// The path as requested (no query string).
    pub path: String,
    /// The status answered; `None` if the connection was dropped.
    pub status: Option<u16>,
    /// Whether an injected fault fired on this request.
    pub fault: bool,
}

/// Records in arrival order.
#[derive(Debug, Default)]
pub(crate) struct RequestLog {
    records: Vec<RequestRecord>,
}

impl RequestLog {
    /// Appends a record.
    pub(crate) fn push(&mut self, record: RequestRecord) {
        self.records.push(record);
    }

    /// All records, oldest first.
    pub(crate) fn records(&self) -> Vec<RequestRecord> {
        self.records.clone()
    }

    /// How many requests each route template received.
    pub(crate) fn counts(&self) -> BTreeMap<String, usize> {
        let mut counts = BTreeMap::new();
        for record in &self.records {
            *counts.entry(record.route.clone()).or_insert(0) += 1;
        }
        counts
    }

    /// Forgets every record.
    pub(crate) fn clear(&mut self) {
        self.records.clear();
    }
}
