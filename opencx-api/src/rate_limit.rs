//! Client-side rate limiting: a token bucket shared by a client and its clones,
//! so a long export paces itself instead of collecting 429s.
//!
//! Written here rather than taken from a crate because it is a few lines on
//! tokio's clock (which tests can pause), and a mutex held while waiting keeps
//! waiters in arrival order.
#![deny(missing_docs)]

use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

/// How many requests a client may send per period, and how many at once.
///
/// The default matches OpenCX's documented limit for standard endpoints:
/// 100 requests per minute, with a burst of 100.
///
/// ```
/// use std::time::Duration;
/// use opencx_api::RateLimit;
///
/// assert_eq!(RateLimit::default(), RateLimit::per_minute(100));
/// let gentle = RateLimit::new(10, Duration::from_secs(1)).burst(2);
/// let client = opencx_api::Client::builder().bearer_token("sk-test").rate_limit(gentle).build().unwrap();
/// let unlimited = opencx_api::Client::builder().bearer_token("sk-test").no_rate_limit().build().unwrap();
/// # let _ = (client, unlimited);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RateLimit {
    requests: u32,
    period: Duration,
    burst: u32,
}

impl RateLimit {
    /// `requests` per `period`, with a burst of `requests`.
    ///
    /// # Panics
    /// If `requests` is zero or `period` is zero: such a limit allows nothing.
    pub fn new(requests: u32, period: Duration) -> Self {
        assert!(
            requests > 0 && !period.is_zero(),
            "a rate limit must allow some requests"
        );
        Self {
            requests,
            period,
            burst: requests,
        }
    }

    /// `requests` per minute, with a burst of `requests`.
    pub fn per_minute(requests: u32) -> Self {
        Self::new(requests, Duration::from_secs(60))
    }

    /// How many requests may go out at once after a quiet spell (at least 1).
    pub fn burst(mut self, burst: u32) -> Self {
        self.burst = burst.max(1);
        self
    }

    /// Requests allowed per [`period`](Self::period).
    pub fn requests(&self) -> u32 {
        self.requests
    }

    /// The period [`requests`](Self::requests) are counted over.
    pub fn period(&self) -> Duration {
        self.period
    }

    /// How many requests may go out at once ([`burst`](Self::burst) sets it).
    pub fn burst_size(&self) -> u32 {
        self.burst
    }

    /// The most requests this limit lets through in `elapsed`: a full burst,
    /// then the steady rate. The yardstick for "how close to the limit did a
    /// job run": dividing by `requests / period * elapsed` alone would credit
    /// a short job with more than 100 % for its opening burst.
    ///
    /// ```
    /// use std::time::Duration;
    /// let limit = opencx_api::RateLimit::new(20, Duration::from_millis(200));
    /// assert_eq!(limit.allowed_in(Duration::from_secs(1)), 120.0);
    /// ```
    pub fn allowed_in(&self, elapsed: Duration) -> f64 {
        f64::from(self.burst) + self.per_second() * elapsed.as_secs_f64()
    }

    fn per_second(&self) -> f64 {
        f64::from(self.requests) / self.period.as_secs_f64()
    }
}

impl Default for RateLimit {
    fn default() -> Self {
        Self::per_minute(100)
    }
}

#[derive(Debug)]
struct Bucket {
    tokens: f64,
    updated: Instant,
}

/// The shared bucket behind a [`RateLimit`].
#[derive(Debug)]
pub(crate) struct TokenBucket {
    limit: RateLimit,
    bucket: Mutex<Bucket>,
}

impl TokenBucket {
    pub(crate) fn new(limit: RateLimit) -> Self {
        let bucket = Bucket {
            tokens: f64::from(limit.burst),
            updated: Instant::now(),
        };
        Self {
            limit,
            bucket: Mutex::new(bucket),
        }
    }

    pub(crate) fn limit(&self) -> RateLimit {
        self.limit
    }

    /// Waits until a request may be sent, and takes its token.
    pub(crate) async fn acquire(&self) {
        let mut bucket = self.bucket.lock().await;
        loop {
            let now = Instant::now();
            let refill = now.duration_since(bucket.updated).as_secs_f64() * self.limit.per_second();
            bucket.tokens = (bucket.tokens + refill).min(f64::from(self.limit.burst));
            bucket.updated = now;
            if bucket.tokens >= 1.0 {
                bucket.tokens -= 1.0;
                return;
            }
            let wait = (1.0 - bucket.tokens) / self.limit.per_second();
            tokio::time::sleep(Duration::from_secs_f64(wait)).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_full_burst_goes_at_once_then_requests_are_paced() {
        let bucket = TokenBucket::new(RateLimit::per_minute(100));
        let start = Instant::now();
        for _ in 0..100 {
            bucket.acquire().await;
        }
        assert_eq!(start.elapsed(), Duration::ZERO);
        bucket.acquire().await;
        // One token every 0.6 s.
        assert_eq!(start.elapsed().as_millis(), 600);
        bucket.acquire().await;
        assert_eq!(start.elapsed().as_millis(), 1200);
    }

    #[tokio::test(start_paused = true)]
    async fn tokens_refill_while_idle_up_to_the_burst() {
        let bucket = TokenBucket::new(RateLimit::new(10, Duration::from_secs(1)).burst(2));
        bucket.acquire().await;
        bucket.acquire().await;
        tokio::time::sleep(Duration::from_secs(60)).await;
        let start = Instant::now();
        bucket.acquire().await;
        bucket.acquire().await;
        assert_eq!(start.elapsed(), Duration::ZERO);
        bucket.acquire().await;
        assert_eq!(start.elapsed().as_millis(), 100);
    }
}
