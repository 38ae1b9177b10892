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
/// let limit = Some(RateLimit::new(20, Duration::from_millis(200)));
/// let run = Throughput { requests: 115, elapsed: Duration::from_millis(1250), limit };
/// assert_eq!(run.per_minute(), 5520.0);
/// // 20 at once, then 20 every 200 ms: the limit lets 115 through in 1 s at best.
/// assert!((run.fraction_of_limit().unwrap() - 0.8).abs() < 1e-9);
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

    /// How close to the limit the job ran: the shortest time the limit allows
    /// for these requests ([`RateLimit::shortest_time_for`]) ÷ the time taken.
    /// 1.0 is a job that kept the limiter busy from start to end; a job the
    /// limit never held back (no more than one window's worth) is 1.0 too.
    /// `None` without a limit.
    pub fn fraction_of_limit(&self) -> Option<f64> {
        self.limit.map(|limit| {
            let best = limit.shortest_time_for(self.requests).as_secs_f64();
            let taken = self.elapsed.as_secs_f64();
            if best == 0.0 || taken == 0.0 {
                1.0
            } else {
                best / taken
            }
        })
    }
}
