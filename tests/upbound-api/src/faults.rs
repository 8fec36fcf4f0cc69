//! Faults: what can go wrong on purpose, per route template, while a test
//! runs — an error status (429 with `Retry-After`, 5xx…), added latency, or
//! a connection closed without any answer.
//!
//! A route template is the method and the path pattern, e.g.
//! `POST /v2/robots` or `GET /v1/organizations/{orgID}/robots`; `*` matches
//! every API route (never the `/_double/` controls).
//!
//! Over HTTP a fault is flat JSON:
//! `{"route":"POST /v2/robots","status":503,"retryAfter":2,"latencyMs":0,
//! "drop":false,"rate":1.0,"times":null,"afterHandler":false}` — `route` and
//! one of `status`, `drop: true` or `latencyMs` are required.

use std::time::Duration;

use rand::RngExt;
use serde::{Deserialize, Serialize};

use crate::error::Error;

/// What a fault does to a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FaultEffect {
    /// Answer with this status and the Upbound error body (plus
    /// `Retry-After: <seconds>` when given).
    Status {
        /// The HTTP status, 200–599.
        status: u16,
        /// Seconds for the `Retry-After` header.
        retry_after: Option<u64>,
    },
    /// Close the connection without any response: the client sees a
    /// connection error, not a status.
    DropConnection,
    /// Only delay the request by the fault's latency; the route answers as usual.
    DelayOnly,
}

/// A fault on one route template (or `*` for all API routes).
///
/// ```
/// use std::time::Duration;
/// use upbound_api_double::Fault;
///
/// let throttled = Fault::status("POST /v2/robots", 429).retry_after(3).times(2);
/// let flaky = Fault::status("*", 503).rate(0.2);
/// let lost = Fault::drop_connection("POST /v1/tokens").after_handler();
/// let slow = Fault::latency("GET /v1/self", Duration::from_millis(500));
/// # let _ = (throttled, flaky, lost, slow);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "FaultSpec", into = "FaultSpec")]
pub struct Fault {
    /// `METHOD /template` or `*`.
    pub route: String,
    /// What happens when the fault fires.
    pub effect: FaultEffect,
    /// Delay before the effect (or before the route runs, for `DelayOnly`).
    pub latency: Duration,
    /// Probability that the fault fires on a matching request, 0..=1.
    pub rate: f64,
    /// Fire only this many more times, then disappear; `None`: forever.
    pub times: Option<u32>,
    /// Run the route first and replace its answer: the change happens but
    /// the client never learns of it (as when a response is lost).
    pub after_handler: bool,
}

impl Fault {
    fn new(route: impl Into<String>, effect: FaultEffect) -> Self {
        Self {
            route: route.into(),
            effect,
            latency: Duration::ZERO,
            rate: 1.0,
            times: None,
            after_handler: false,
        }
    }

    /// Answers requests on `route` with `status` and the error body.
    pub fn status(route: impl Into<String>, status: u16) -> Self {
        Self::new(
            route,
            FaultEffect::Status {
                status,
                retry_after: None,
            },
        )
    }

    /// Closes the connection of requests on `route` without a response.
    pub fn drop_connection(route: impl Into<String>) -> Self {
        Self::new(route, FaultEffect::DropConnection)
    }

    /// Delays requests on `route`; they are answered as usual.
    pub fn latency(route: impl Into<String>, latency: Duration) -> Self {
        Self::new(route, FaultEffect::DelayOnly).with_latency(latency)
    }

    /// Adds `Retry-After: <seconds>` to a status fault.
    pub fn retry_after(mut self, seconds: u64) -> Self {
        if let FaultEffect::Status { retry_after, .. } = &mut self.effect {
            *retry_after = Some(seconds);
        }
        self
    }

    /// Delays the fault's effect.
    pub fn with_latency(mut self, latency: Duration) -> Self {
        self.latency = latency;
        self
    }

    /// Fires with probability `rate` (0..=1) instead of always.
    pub fn rate(mut self, rate: f64) -> Self {
        self.rate = rate;
        self
    }

    /// Fires only the next `times` times, then the route recovers.
    pub fn times(mut self, times: u32) -> Self {
        self.times = Some(times);
        self
    }

    /// Lets the route do its work before the fault replaces its answer.
    pub fn after_handler(mut self) -> Self {
        self.after_handler = true;
        self
    }

    /// Checks the route, rate and status.
    pub(crate) fn validate(&self) -> Result<(), Error> {
        let route_is_valid = self.route == "*"
            || self.route.split_once(' ').is_some_and(|(method, path)| {
                !method.is_empty()
                    && method.bytes().all(|byte| byte.is_ascii_uppercase())
                    && path.starts_with('/')
            });
        if !route_is_valid {
            return Err(Error::InvalidFault(format!(
                "route {:?} is neither `*` nor `METHOD /path/{{param}}` (e.g. `POST /v2/robots`)",
                self.route
            )));
        }
        if !(0.0..=1.0).contains(&self.rate) {
            return Err(Error::InvalidFault(format!(
                "rate {} is outside 0..=1",
                self.rate
            )));
        }
        if let FaultEffect::Status { status, .. } = self.effect
            && !(200..=599).contains(&status)
        {
            return Err(Error::InvalidFault(format!(
                "status {status} is outside 200..=599"
            )));
        }
        Ok(())
    }

    fn matches(&self, route: &str) -> bool {
        self.route == "*" || self.route == route
    }
}

/// The faults in force, in the order they were injected.
#[derive(Debug, Default)]
pub(crate) struct FaultSet {
    faults: Vec<Fault>,
}

impl FaultSet {
    /// Adds a validated fault.
    pub(crate) fn add(&mut self, fault: Fault) {
        self.faults.push(fault);
    }

    /// The faults in force.
    pub(crate) fn list(&self) -> Vec<Fault> {
        self.faults.clone()
    }

    /// Removes every fault.
    pub(crate) fn clear(&mut self) {
        self.faults.clear();
    }

    /// The fault that fires for a request on `route`, if any: the first
    /// matching fault whose dice roll says so. A fault limited to N times
    /// counts only the times it fires, and goes away after the last.
    pub(crate) fn fire(&mut self, route: &str) -> Option<Fault> {
        let mut rng = rand::rng();
        let index = self
            .faults
            .iter()
            .position(|fault| fault.matches(route) && rng.random_bool(fault.rate))?;
        let fault = &mut self.faults[index];
        let fired = fault.clone();
        match &mut fault.times {
            Some(1) => {
                self.faults.remove(index);
            }
            Some(left) => *left -= 1,
            None => {}
        }
        Some(fired)
    }
}

/// A fault as flat JSON, for the control surface and scripts.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct FaultSpec {
    route: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    status: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    retry_after: Option<u64>,
    #[serde(default)]
    drop: bool,
    #[serde(default)]
    latency_ms: u64,
    #[serde(default = "always")]
    rate: f64,
    #[serde(default)]
    times: Option<u32>,
    #[serde(default)]
    after_handler: bool,
}

fn always() -> f64 {
    1.0
}

impl TryFrom<FaultSpec> for Fault {
    type Error = Error;

    fn try_from(spec: FaultSpec) -> Result<Self, Error> {
        let effect = match (spec.status, spec.drop) {
            (Some(_), true) => {
                return Err(Error::InvalidFault(
                    "a fault answers with `status` or `drop`s the connection, not both".into(),
                ));
            }
            (Some(status), false) => FaultEffect::Status {
                status,
                retry_after: spec.retry_after,
            },
            (None, true) => FaultEffect::DropConnection,
            (None, false) if spec.latency_ms > 0 => FaultEffect::DelayOnly,
            (None, false) => {
                return Err(Error::InvalidFault(
                    "a fault needs `status`, `drop: true` or `latencyMs`".into(),
                ));
            }
        };
        let fault = Self {
            route: spec.route,
            effect,
            latency: Duration::from_millis(spec.latency_ms),
            rate: spec.rate,
            times: spec.times,
            after_handler: spec.after_handler,
        };
        fault.validate()?;
        Ok(fault)
    }
}

impl From<Fault> for FaultSpec {
    fn from(fault: Fault) -> Self {
        let (status, retry_after, drop) = match fault.effect {
            FaultEffect::Status {
                status,
                retry_after,
            } => (Some(status), retry_after, false),
            FaultEffect::DropConnection => (None, None, true),
            FaultEffect::DelayOnly => (None, None, false),
        };
        Self {
            route: fault.route,
            status,
            retry_after,
            drop,
            latency_ms: u64::try_from(fault.latency.as_millis()).unwrap_or(u64::MAX),
            rate: fault.rate,
            times: fault.times,
            after_handler: fault.after_handler,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Fault, FaultEffect, FaultSet};

    #[test]
    fn a_limited_fault_fires_n_times_then_goes_away() {
        let mut faults = FaultSet::default();
        faults.add(Fault::status("POST /v2/robots", 503).times(2));
        assert!(faults.fire("POST /v2/robots").is_some());
        assert!(faults.fire("POST /v2/robots").is_some());
        assert!(faults.fire("POST /v2/robots").is_none());
        assert!(faults.list().is_empty());
    }

    #[test]
    fn a_fault_fires_only_on_its_route() {
        let mut faults = FaultSet::default();
        faults.add(Fault::status("POST /v2/robots", 503));
        assert!(faults.fire("GET /v2/robots/{robotID}").is_none());
    }

    #[test]
    fn a_fault_with_rate_zero_never_fires() {
        let mut faults = FaultSet::default();
        faults.add(Fault::drop_connection("*").rate(0.0));
        assert!((0..100).all(|_| faults.fire("GET /v1/self").is_none()));
    }

    #[test]
    fn parses_flat_json() {
        let fault: Fault = serde_json::from_str(
            r#"{"route":"POST /v2/robots","status":429,"retryAfter":3,"times":1}"#,
        )
        .unwrap();
        assert_eq!(
            fault.effect,
            FaultEffect::Status {
                status: 429,
                retry_after: Some(3)
            }
        );
        assert_eq!(fault.times, Some(1));
        assert_eq!(fault.rate, 1.0);
    }

    #[test]
    fn rejects_a_route_without_a_method() {
        assert!(serde_json::from_str::<Fault>(r#"{"route":"/v2/robots","status":500}"#).is_err());
    }

    #[test]
    fn round_trips_through_json() {
        let fault = Fault::drop_connection("*")
            .rate(0.5)
            .times(3)
            .after_handler();
        let text = serde_json::to_string(&fault).unwrap();
        assert_eq!(serde_json::from_str::<Fault>(&text).unwrap(), fault);
    }
}
