//! One retry policy for every network call: transient failures (429, 5xx,
//! connection errors, Kubernetes conflicts) are retried with bounded
//! exponential backoff and jitter, honouring a server's `Retry-After`;
//! everything else fails at once.

use std::future::Future;
use std::time::Duration;

use backon::{ExponentialBuilder, Retryable};

/// What the retry loop needs to know about an error.
pub trait Transient {
    /// Whether trying again may succeed (429, 5xx, a reset connection, a
    /// timeout, a Kubernetes conflict).
    fn is_transient(&self) -> bool;

    /// How long the server asked us to wait (`Retry-After`), if it did.
    fn retry_after(&self) -> Option<Duration> {
        None
    }
}

/// How often and how patiently to retry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The first delay; each later one doubles, with jitter.
    pub min_delay: Duration,
    /// No single delay (including a server's `Retry-After`) is longer.
    pub max_delay: Duration,
    /// Retries after the first attempt.
    pub max_retries: usize,
}

impl Default for RetryPolicy {
    /// 250 ms doubling to at most 10 s, 6 retries: about 20 s of patience.
    fn default() -> Self {
        Self {
            min_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(10),
            max_retries: 6,
        }
    }
}

impl RetryPolicy {
    /// Runs `attempt` until it succeeds, fails permanently, or the retries
    /// are used up; the last error is returned.
    pub async fn run<T, E, F, Fut>(&self, attempt: F) -> Result<T, E>
    where
        E: Transient,
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        self.run_if(E::is_transient, attempt).await
    }

    /// Like [`run`](Self::run), but retries only the errors `retryable`
    /// accepts (a subset of the transient ones, e.g. only 429 for a call
    /// that is not safe to repeat).
    pub async fn run_if<T, E, F, Fut>(
        &self,
        retryable: impl FnMut(&E) -> bool,
        attempt: F,
    ) -> Result<T, E>
    where
        E: Transient,
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        let backoff = ExponentialBuilder::default()
            .with_min_delay(self.min_delay)
            .with_max_delay(self.max_delay)
            .with_max_times(self.max_retries)
            .with_jitter();
        let max_delay = self.max_delay;
        attempt
            .retry(backoff)
            .sleep(tokio::time::sleep)
            .when(retryable)
            .adjust(move |error: &E, delay| {
                delay.map(|delay| {
                    error
                        .retry_after()
                        .map_or(delay, |asked| asked.min(max_delay))
                })
            })
            .await
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    #[derive(Debug)]
    struct Failure {
        transient: bool,
    }

    impl Transient for Failure {
        fn is_transient(&self) -> bool {
            self.transient
        }
    }

    const FAST: RetryPolicy = RetryPolicy {
        min_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(2),
        max_retries: 3,
    };

    async fn attempts_until_done(transient: bool, succeed_on: usize) -> (usize, bool) {
        let attempts = AtomicUsize::new(0);
        let result = FAST
            .run(|| async {
                let attempt = attempts.fetch_add(1, Ordering::SeqCst) + 1;
                if attempt >= succeed_on {
                    Ok(())
                } else {
                    Err(Failure { transient })
                }
            })
            .await;
        (attempts.load(Ordering::SeqCst), result.is_ok())
    }

    #[tokio::test]
    async fn transient_errors_are_retried_until_success() {
        assert_eq!(attempts_until_done(true, 3).await, (3, true));
    }

    #[tokio::test]
    async fn retries_are_bounded() {
        assert_eq!(attempts_until_done(true, 100).await, (4, false));
    }

    #[tokio::test]
    async fn permanent_errors_fail_at_once() {
        assert_eq!(attempts_until_done(false, 3).await, (1, false));
    }
}
