//! The request rate a job achieved, against the client's limit.

use std::time::Duration;

use crate::RateLimit;

/// Requests sent over a stretch of time, and the rate limit they ran under.
///
/// ```
/// use std::time::Duration;
/// use opencx_api::export::Throughput;
/// use opencx_api::RateLimit;
///
/// let run = Throughput { requests: 115, elapsed: Duration::from_secs(1), limit: Some(RateLimit::new(20, Duration::from_millis(200))) };
/// assert_eq!(run.per_minute(), 6900.0);
/// // The limit allows a burst of 20, then 100 a second: 120 in that second.
/// assert!((run.fraction_of_limit().unwrap() - 115.0 / 120.0).abs() < 1e-9);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Throughput {
    /// Requests sent, retries included.
    pub requests: u64,
    /// Over how long.
    pub elapsed: Duration,
    /// The client's rate limit, if it has one.
    pub limit: Option<RateLimit>,
}

impl Throughput {
    /// Requests per minute.
    pub fn per_minute(&self) -> f64 {
        let minutes = self.elapsed.as_secs_f64() / 60.0;
        if minutes > 0.0 {
            self.requests as f64 / minutes
        } else {
            0.0
        }
    }

    /// The requests sent as a share of what the limit allows in the same
    /// time ([`RateLimit::allowed_in`]): 1.0 is a job that kept the limiter
    /// busy from start to end. `None` without a limit.
    pub fn fraction_of_limit(&self) -> Option<f64> {
        self.limit
            .map(|limit| self.requests as f64 / limit.allowed_in(self.elapsed))
    }
}
