//! The request rate a job achieved, against the client's limit, and how to
//! say it without seeming to break the limit.

use std::fmt;
use std::time::Duration;

use crate::config::RateLimit;

/// Requests sent over a stretch of time, and the rate limit they ran under.
///
/// A short job's average rate can be above the limit without breaking it:
/// the limit lets a burst go at once, and that burst counts toward the
/// average. So the figure to trust is [`fraction_of_limit`](Self::fraction_of_limit),
/// the share of what the limit allows in the time taken, which the
/// [`Display`](fmt::Display) form leads with; it gives the average rate only
/// with the reason when it is above the limit.
///
/// ```
/// use std::time::Duration;
/// use opencx_api::export::Throughput;
/// use opencx_api::config::RateLimit;
///
/// let limit = Some(RateLimit::new(20, Duration::from_millis(200)));
/// let run = Throughput { requests: 115, elapsed: Duration::from_millis(1250), limit };
/// assert_eq!(run.per_minute(), 5520.0);
/// // 20 at once, then 20 every 200 ms: the limit lets 115 through in 1 s at best.
/// assert!((run.fraction_of_limit().unwrap() - 0.8).abs() < 1e-9);
///
/// let limit = Some(RateLimit::per_minute(3000).burst(100));
/// let run = Throughput { requests: 628, elapsed: Duration::from_millis(10_600), limit };
/// assert_eq!(
///     run.to_string(),
///     "628 requests in 10.6 s, 99.6 % of what the limit of 3000/min allows in that time \
///      (3555/min on average: the limit let the first 100 go at once, then 3000/min)"
/// );
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
    /// Requests per minute, on average over the whole time (a burst
    /// included).
    pub fn per_minute(&self) -> f64 {
        let minutes = self.elapsed.as_secs_f64() / 60.0;
        if minutes > 0.0 {
            self.requests as f64 / minutes
        } else {
            0.0
        }
    }

    /// How close to the limit the job ran: the shortest time the limit allows
    /// for these requests ([`RateLimit::shortest_time_for`], burst included)
    /// ÷ the time taken. 1.0 is a job that kept the limiter busy from start
    /// to end; a job the limit never held back (no more than its burst) is
    /// 1.0 too. `None` without a limit.
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

    /// Whether the limit never held the job back: every request could go at
    /// once, within the burst (and one window). `false` without a limit.
    ///
    /// ```
    /// use std::time::Duration;
    /// use opencx_api::{config::RateLimit, export::Throughput};
    ///
    /// let limit = Some(RateLimit::per_minute(100));
    /// assert!(Throughput { requests: 40, elapsed: Duration::from_secs(2), limit }.within_burst());
    /// assert!(!Throughput { requests: 140, elapsed: Duration::from_secs(61), limit }.within_burst());
    /// ```
    pub fn within_burst(&self) -> bool {
        self.limit
            .is_some_and(|limit| limit.shortest_time_for(self.requests).is_zero())
    }
}

/// The limit's steady rate, per minute.
fn limit_per_minute(limit: &RateLimit) -> f64 {
    f64::from(limit.requests()) * 60.0 / limit.period().as_secs_f64()
}

/// `N requests in T s, S % of what the limit of L/min allows in that time`,
/// then the average rate and why, when it is above the limit; or that the
/// burst covered them all; or the rate, without a limit.
impl fmt::Display for Throughput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (requests, seconds) = (self.requests, self.elapsed.as_secs_f64());
        let plural = if requests == 1 { "" } else { "s" };
        write!(f, "{requests} request{plural} in {seconds:.1} s")?;
        let Some(limit) = self.limit else {
            return write!(f, " ({:.0}/min; no rate limit)", self.per_minute());
        };
        let steady = limit_per_minute(&limit);
        if self.within_burst() {
            return write!(
                f,
                ", within the burst of {} that the limit of {steady:.0}/min lets go at once",
                limit.burst_size().min(limit.requests())
            );
        }
        let share = 100.0 * self.fraction_of_limit().unwrap_or(0.0);
        write!(
            f,
            ", {share:.1} % of what the limit of {steady:.0}/min allows in that time"
        )?;
        let average = self.per_minute();
        if average > steady {
            write!(
                f,
                " ({average:.0}/min on average: the limit let the first {} go at once, then {steady:.0}/min)",
                limit.burst_size().min(limit.requests())
            )?;
        }
        Ok(())
    }
}
