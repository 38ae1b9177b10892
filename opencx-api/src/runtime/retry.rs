//! Retries with exponential backoff, applied to every request in the client's
//! `exec` hook.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};

/// When and how often a failed request is sent again.
///
/// By default: up to 2 retries of 408, 409, 429 and 5xx answers, connection
/// errors, timeouts, and bodies cut short (never of other 4xx). The wait
/// honours `Retry-After` (seconds or an HTTP date) and `retry-after-ms`, up to
/// 60 s; otherwise it starts at 0.5 s and doubles up to 8 s, with jitter. A
/// retry reads the whole answer again, so a page is never half-delivered.
///
/// # Idempotency
///
/// A request may be sent again once it may have reached the server when its
/// method is idempotent (`GET`, `PUT`, `DELETE`...) or its operation is one
/// the API's document marks `x-idempotent: true` (for OpenCX,
/// `filter_chat_sessions`, a `POST` that carries its filters in the body and
/// only reads; the mark is set in `specs/overlay.yaml`, with its reason, and
/// the generated client lists such operations). Any other request (a `POST`
/// or `PATCH` that creates or changes something) is not retried when the
/// first try may have reached the server (a 5xx, a timeout, a connection lost
/// mid-way): it is retried only when it never left (no connection could be
/// made) or after a 429, which says the server did not act on it.
/// [`retry_non_idempotent`](Self::retry_non_idempotent) lifts that for
/// callers who know better.
///
/// ```
/// use std::time::Duration;
/// use opencx_api::config::RetryPolicy;
///
/// let patient = RetryPolicy::default().max_retries(5).max_backoff(Duration::from_secs(30));
/// let client = opencx_api::Client::builder().bearer_token("sk-test").retry(patient).build().unwrap();
/// let never = RetryPolicy::disabled();
/// assert_eq!(never.retries(), 0);
/// # let _ = client;
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
    jitter: bool,
    non_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 2,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
            jitter: true,
            non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn disabled() -> Self {
        Self {
            max_retries: 0,
            ..Self::default()
        }
    }

    /// How many times a request may be sent again after the first try.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// The first backoff (default 0.5 s); each later one doubles.
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The longest backoff (default 8 s).
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// The longest wait a server's `Retry-After` may ask for (default 60 s).
    pub fn max_retry_after(mut self, wait: Duration) -> Self {
        self.max_retry_after = wait;
        self
    }

    /// Whether backoffs are randomized (default on), so that many clients
    /// retrying at once do not stay in step.
    pub fn jitter(mut self, jitter: bool) -> Self {
        self.jitter = jitter;
        self
    }

    /// Whether a non-idempotent request is retried like any other, even when
    /// the first try may have reached the server (default off; see
    /// [Idempotency](Self#idempotency)).
    ///
    /// ```
    /// let brave = opencx_api::config::RetryPolicy::default().retry_non_idempotent(true);
    /// # let _ = brave;
    /// ```
    pub fn retry_non_idempotent(mut self, retry: bool) -> Self {
        self.non_idempotent = retry;
        self
    }

    /// Whether this policy may send a request again after a try that may
    /// have reached the server: its `method` is idempotent, its operation is
    /// marked `x-idempotent` in the document (`declared`), or the policy
    /// retries every request.
    pub(crate) fn may_repeat(&self, method: &Method, declared: bool) -> bool {
        self.non_idempotent || declared || method.is_idempotent()
    }

    /// Whether an answer with `status` is retried, for a request that may
    /// (`repeatable`) or may not be repeated once it reached the server.
    pub(crate) fn retries_answer(status: StatusCode, repeatable: bool) -> bool {
        // A 429 says the server did not act on the request.
        Self::is_retryable_status(status) && (repeatable || status == StatusCode::TOO_MANY_REQUESTS)
    }

    /// Whether a failure to get a whole answer is retried: any that is worth
    /// it for a repeatable request, only a failure to connect otherwise.
    pub(crate) fn retries_failure(
        error: &reqwest::Error,
        cut_short: bool,
        repeatable: bool,
    ) -> bool {
        if repeatable {
            cut_short || Self::is_retryable_error(error)
        } else {
            error.is_connect()
        }
    }

    /// The configured number of retries.
    pub fn retries(&self) -> u32 {
        self.max_retries
    }

    /// Whether an answer with `status` is worth sending again.
    ///
    /// ```
    /// use opencx_api::config::RetryPolicy;
    /// use reqwest::StatusCode;
    ///
    /// assert!(RetryPolicy::is_retryable_status(StatusCode::TOO_MANY_REQUESTS));
    /// assert!(RetryPolicy::is_retryable_status(StatusCode::BAD_GATEWAY));
    /// assert!(!RetryPolicy::is_retryable_status(StatusCode::NOT_FOUND));
    /// ```
    pub fn is_retryable_status(status: StatusCode) -> bool {
        matches!(status.as_u16(), 408 | 409 | 429 | 500..=599)
    }

    /// Whether a failure to get any answer is worth retrying: the connection
    /// failed, timed out, or broke while sending.
    pub(crate) fn is_retryable_error(error: &reqwest::Error) -> bool {
        error.is_connect() || error.is_timeout() || error.is_request()
    }

    /// The wait before retry number `retry` (0 for the first retry), given the
    /// headers of the answer that failed, if any.
    pub(crate) fn delay(
        &self,
        retry: u32,
        headers: Option<&HeaderMap>,
        now: SystemTime,
    ) -> Duration {
        if let Some(asked) = headers.and_then(|h| retry_after(h, now)) {
            return asked.min(self.max_retry_after);
        }
        let doubled = self
            .initial_backoff
            .saturating_mul(2u32.saturating_pow(retry));
        let backoff = doubled.min(self.max_backoff);
        if self.jitter {
            // "Equal jitter": at least half the backoff, at most all of it.
            let half = backoff / 2;
            half + half.mul_f64(fastrand::f64())
        } else {
            backoff
        }
    }
}

/// The wait a server asks for: `retry-after-ms` (milliseconds), else
/// `Retry-After` as seconds or as an HTTP date.
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let text = |name| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    if let Some(ms) = text("retry-after-ms").and_then(|v| v.parse::<f64>().ok()) {
        if ms.is_finite() && ms >= 0.0 {
            return Some(Duration::from_secs_f64(ms / 1000.0));
        }
    }
    let value = text(RETRY_AFTER.as_str())?;
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(k, v)| (k.parse().unwrap(), v.parse().unwrap()))
            .collect()
    }

    fn no_jitter() -> RetryPolicy {
        RetryPolicy::default().jitter(false)
    }

    #[test]
    fn backoff_starts_at_half_a_second_and_doubles_up_to_eight() {
        let now = SystemTime::now();
        let waits: Vec<u128> = (0..7)
            .map(|r| no_jitter().delay(r, None, now).as_millis())
            .collect();
        assert_eq!(waits, [500, 1000, 2000, 4000, 8000, 8000, 8000]);
        assert_eq!(
            no_jitter().delay(u32::MAX, None, now),
            Duration::from_secs(8)
        );
    }

    #[test]
    fn jitter_stays_between_half_and_all_of_the_backoff() {
        let now = SystemTime::now();
        for retry in 0..5 {
            let full = no_jitter().delay(retry, None, now);
            for _ in 0..50 {
                let jittered = RetryPolicy::default().delay(retry, None, now);
                assert!(
                    jittered >= full / 2 && jittered <= full,
                    "{jittered:?} vs {full:?}"
                );
            }
        }
    }

    #[test]
    fn retry_after_seconds_is_honoured_up_to_the_cap() {
        let now = SystemTime::now();
        let p = no_jitter();
        assert_eq!(
            p.delay(0, Some(&headers(&[("retry-after", "3")])), now),
            Duration::from_secs(3)
        );
        assert_eq!(
            p.delay(0, Some(&headers(&[("retry-after", "3600")])), now),
            Duration::from_secs(60)
        );
        let capped = p.clone().max_retry_after(Duration::from_secs(5));
        assert_eq!(
            capped.delay(0, Some(&headers(&[("retry-after", "30")])), now),
            Duration::from_secs(5)
        );
    }

    #[test]
    fn retry_after_as_an_http_date_counts_from_now() {
        let now = httpdate::parse_http_date("Wed, 21 Oct 2015 07:28:00 GMT").unwrap();
        let h = headers(&[("retry-after", "Wed, 21 Oct 2015 07:28:10 GMT")]);
        assert_eq!(no_jitter().delay(0, Some(&h), now), Duration::from_secs(10));
        let past = headers(&[("retry-after", "Wed, 21 Oct 2015 07:27:00 GMT")]);
        assert_eq!(no_jitter().delay(0, Some(&past), now), Duration::ZERO);
    }

    #[test]
    fn retry_after_ms_wins_over_retry_after() {
        let h = headers(&[("retry-after-ms", "250"), ("retry-after", "9")]);
        assert_eq!(
            no_jitter().delay(0, Some(&h), SystemTime::now()),
            Duration::from_millis(250)
        );
    }

    #[test]
    fn unreadable_retry_after_falls_back_to_backoff() {
        let h = headers(&[("retry-after", "soon"), ("retry-after-ms", "-4")]);
        assert_eq!(
            no_jitter().delay(1, Some(&h), SystemTime::now()),
            Duration::from_secs(1)
        );
    }

    #[test]
    fn an_answer_to_a_request_that_may_not_be_repeated_is_retried_only_after_a_429() {
        for code in [408, 409, 500, 502, 503, 504] {
            let status = StatusCode::from_u16(code).unwrap();
            assert!(RetryPolicy::retries_answer(status, true), "{code}");
            assert!(!RetryPolicy::retries_answer(status, false), "{code}");
        }
        assert!(RetryPolicy::retries_answer(
            StatusCode::TOO_MANY_REQUESTS,
            false
        ));
        assert!(!RetryPolicy::retries_answer(StatusCode::NOT_FOUND, true));
    }

    #[test]
    fn only_idempotent_requests_may_be_repeated_unless_the_policy_allows_more() {
        let post = Method::POST;
        assert!(RetryPolicy::default().may_repeat(&Method::GET, false));
        assert!(RetryPolicy::default().may_repeat(&Method::PUT, false));
        assert!(RetryPolicy::default().may_repeat(&post, true));
        assert!(!RetryPolicy::default().may_repeat(&post, false));
        assert!(!RetryPolicy::default().may_repeat(&Method::PATCH, false));
        let brave = RetryPolicy::default().retry_non_idempotent(true);
        assert!(brave.may_repeat(&post, false));
    }

    #[test]
    fn only_transient_statuses_are_retried() {
        for code in [408, 409, 429, 500, 502, 503, 504, 599] {
            assert!(
                RetryPolicy::is_retryable_status(StatusCode::from_u16(code).unwrap()),
                "{code}"
            );
        }
        for code in [200, 301, 400, 401, 403, 404, 410, 422] {
            assert!(
                !RetryPolicy::is_retryable_status(StatusCode::from_u16(code).unwrap()),
                "{code}"
            );
        }
    }
}
