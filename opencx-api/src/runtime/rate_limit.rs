//! Client-side rate limiting: a token bucket and a window shared by a client
//! and its clones, so a long export paces itself instead of collecting 429s.
//!
//! Written here rather than taken from a crate because it is a few lines on
//! tokio's clock (which tests can pause), and a mutex held while waiting keeps
//! waiters in arrival order.

use std::collections::VecDeque;
use std::time::Duration;

use tokio::sync::{Mutex, Notify};
use tokio::time::Instant;

/// How many requests a client may send per period, and how many at once.
///
/// No `period` ever holds more than `requests` requests, counted from when
/// each was sent until `period` after its answer arrived, so a server that
/// counts over a sliding window, a fixed window or a token bucket never
/// answers 429. Within that, a token bucket of `burst` paces the requests.
///
/// A client has none unless its API's crate sets one (opencx-api sets
/// OpenCX's documented limit, `config::DEFAULT_RATE_LIMIT`) or the caller
/// does.
///
/// ```
/// use std::time::Duration;
/// use opencx_api::config::RateLimit;
///
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
    pub const fn new(requests: u32, period: Duration) -> Self {
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
    pub const fn per_minute(requests: u32) -> Self {
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

    /// The shortest time in which this limit lets `requests` through, from a
    /// client that starts with a full burst. Two bounds, the longer wins: no
    /// window of one period holds more than `R` (so `R` at once, then `R` more
    /// each time a period has passed), and the token bucket lets the burst go
    /// at once and then one request every `period / R`. With the default
    /// burst of `R` the window decides; with a smaller burst, the bucket. The
    /// yardstick for "how close to the limit did a job run" (see
    /// `export::Throughput::fraction_of_limit`).
    ///
    /// ```
    /// use std::time::Duration;
    /// let limit = opencx_api::config::RateLimit::new(20, Duration::from_millis(200));
    /// assert_eq!(limit.shortest_time_for(20), Duration::ZERO);
    /// assert_eq!(limit.shortest_time_for(115), Duration::from_secs(1));
    /// // 3000 a minute with a burst of 100: 100 at once, then 50 a second.
    /// let paced = opencx_api::config::RateLimit::per_minute(3000).burst(100);
    /// assert_eq!(paced.shortest_time_for(628), Duration::from_millis(10_560));
    /// ```
    pub fn shortest_time_for(&self, requests: u64) -> Duration {
        let per_window = u64::from(self.requests.max(1));
        let windows = requests.div_ceil(per_window).saturating_sub(1);
        let window = self.period * u32::try_from(windows).unwrap_or(u32::MAX);
        let after_burst = requests.saturating_sub(u64::from(self.burst));
        // Whole requests times the period, divided once: no rounding drift.
        let bucket = self
            .period
            .checked_mul(u32::try_from(after_burst).unwrap_or(u32::MAX))
            .map_or(Duration::MAX, |d| d / self.requests.max(1));
        window.max(bucket)
    }

    fn per_second(&self) -> f64 {
        f64::from(self.requests) / self.period.as_secs_f64()
    }
}

#[derive(Debug)]
struct State {
    tokens: f64,
    updated: Instant,
    /// Requests sent and not yet answered.
    in_flight: u32,
    /// When the requests of the last `period` were answered, oldest first.
    answered: VecDeque<Instant>,
}

/// The shared limiter behind a [`RateLimit`]: a token bucket for the pace and
/// the burst, and a window that never lets more than `requests` go out in one
/// `period`. The bucket alone would, with the default burst of `requests`:
/// a full burst and then the refill makes up to twice the limit in the first
/// period, which a server counting over a sliding or fixed window answers
/// with 429s. A request holds its place in the window from when it is sent
/// until `period` after its answer arrived, so however late the server
/// counts it, it never sees more than `requests` in any `period`.
#[derive(Debug)]
pub(crate) struct TokenBucket {
    limit: RateLimit,
    /// Held while waiting, so waiters go in arrival order.
    turn: Mutex<()>,
    state: std::sync::Mutex<State>,
    /// A request was answered: the window may have room once it expires.
    answered: Notify,
}

/// A place in the window, held while the request is out; dropping it
/// records when the answer arrived.
pub(crate) struct Permit<'a> {
    bucket: &'a TokenBucket,
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        let mut state = self.bucket.state();
        state.in_flight -= 1;
        state.answered.push_back(Instant::now());
        drop(state);
        self.bucket.answered.notify_one();
    }
}

impl TokenBucket {
    pub(crate) fn new(limit: RateLimit) -> Self {
        let state = State {
            tokens: f64::from(limit.burst),
            updated: Instant::now(),
            in_flight: 0,
            answered: VecDeque::new(),
        };
        Self {
            limit,
            turn: Mutex::new(()),
            state: std::sync::Mutex::new(state),
            answered: Notify::new(),
        }
    }

    pub(crate) fn limit(&self) -> RateLimit {
        self.limit
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        // The state is a few numbers, consistent after every statement.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Waits until a request may be sent; the permit marks it as out until dropped.
    pub(crate) async fn acquire(&self) -> Permit<'_> {
        let _turn = self.turn.lock().await;
        loop {
            // `None`: every place in the window is taken by a request still out.
            let wait = {
                let mut state = self.state();
                let now = Instant::now();
                let refill =
                    now.duration_since(state.updated).as_secs_f64() * self.limit.per_second();
                state.tokens = (state.tokens + refill).min(f64::from(self.limit.burst));
                state.updated = now;
                let period = self.limit.period;
                while state
                    .answered
                    .front()
                    .is_some_and(|&at| now.duration_since(at) >= period)
                {
                    state.answered.pop_front();
                }
                let used = state.in_flight as usize + state.answered.len();
                let window = if used < self.limit.requests as usize {
                    Some(Duration::ZERO)
                } else {
                    state
                        .answered
                        .front()
                        .map(|&at| period - now.duration_since(at))
                };
                let bucket = Duration::from_secs_f64(
                    (1.0 - state.tokens).max(0.0) / self.limit.per_second(),
                );
                match window {
                    Some(window) if window.is_zero() && state.tokens >= 1.0 => {
                        state.tokens -= 1.0;
                        state.in_flight += 1;
                        return Permit { bucket: self };
                    }
                    window => window.map(|w| w.max(bucket)),
                }
            };
            match wait {
                // Whichever comes first: the wait, or an answer freeing a place.
                Some(wait) => {
                    let _ = tokio::time::timeout(wait, self.answered.notified()).await;
                }
                None => self.answered.notified().await,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_full_burst_goes_at_once_then_the_next_waits_for_the_window() {
        let bucket = TokenBucket::new(RateLimit::per_minute(100));
        let start = Instant::now();
        for _ in 0..100 {
            drop(bucket.acquire().await);
        }
        assert_eq!(start.elapsed(), Duration::ZERO);
        // The bucket alone would let one more go every 0.6 s: 101 in a minute.
        drop(bucket.acquire().await);
        assert_eq!(start.elapsed(), Duration::from_secs(60));
        drop(bucket.acquire().await);
        assert_eq!(start.elapsed(), Duration::from_secs(60));
    }

    #[tokio::test(start_paused = true)]
    async fn a_request_holds_its_place_until_a_period_after_its_answer() {
        let bucket = TokenBucket::new(RateLimit::new(2, Duration::from_secs(1)));
        let start = Instant::now();
        let slow = bucket.acquire().await;
        drop(bucket.acquire().await);
        // The place of the one answered at once frees a second later.
        let held = bucket.acquire().await;
        assert_eq!(start.elapsed(), Duration::from_secs(1));
        // Both places are out; the slow one's frees a second after its answer.
        tokio::time::sleep(Duration::from_secs(5)).await;
        drop(slow);
        let answered = Instant::now();
        drop(bucket.acquire().await);
        assert_eq!(answered.elapsed(), Duration::from_secs(1));
        drop(held);
    }

    #[tokio::test(start_paused = true)]
    async fn tokens_refill_while_idle_up_to_the_burst() {
        let bucket = TokenBucket::new(RateLimit::new(10, Duration::from_secs(1)).burst(2));
        drop(bucket.acquire().await);
        drop(bucket.acquire().await);
        tokio::time::sleep(Duration::from_secs(60)).await;
        let start = Instant::now();
        drop(bucket.acquire().await);
        drop(bucket.acquire().await);
        assert_eq!(start.elapsed(), Duration::ZERO);
        drop(bucket.acquire().await);
        assert_eq!(start.elapsed().as_millis(), 100);
    }
}
