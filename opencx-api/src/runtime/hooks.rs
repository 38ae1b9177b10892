//! The client's request hooks: where auth, rate limiting, retries and error
//! bodies apply to every generated operation.
//!
//! `exec` sends the request and reads the whole answer, retrying under the
//! client's [`RetryPolicy`] until it has one worth handing on, then gives the
//! generated code the buffered answer or, when every try failed, the
//! [`Error`] that says what happened, relayed through `reqwest::Error`.

use std::time::SystemTime;

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};

use super::auth::redacted;
use super::buffered::{Buffered, CutShort};
use super::call::Tries;
use super::error::{Attempts, NotRetried};
use super::retry::RetryPolicy;
use super::state::{ClientState, Timeouts};
use super::transport::TransportKind;
use super::{error_relay, Error};
use crate::Client;

// progenitor's trait, implemented for the generated code to call: not part
// of the documented surface (its type parameter is the hidden `ClientState`).
#[doc(hidden)]
impl ClientHooks<ClientState> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        if let Some(resume) = super::events::streaming() {
            super::events::prepare(request, &resume);
        }
        self.inner()
            .credentials
            .apply(request, info.operation_id)
            .await
            .map_err(progenitor_client::Error::Custom)
    }

    async fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let state = self.inner();
        let policy = &state.retry;
        let method = request.method().clone();
        // `info.operation_id` is the client's method name; the list is the
        // generated client's, from the document's `x-idempotent` operations.
        let idempotent = Client::IDEMPOTENT_OPERATIONS.contains(&info.operation_id);
        let repeatable = policy.may_repeat(&method, idempotent);
        // Errors and traces show the URL without a key sent in the query.
        let url = redacted(request.url());
        let streaming = super::events::streaming().is_some();
        let mut request = request;
        let mut tries = 0;
        loop {
            let permit = match &state.rate_limiter {
                Some(limiter) => {
                    let asked = tokio::time::Instant::now();
                    let permit = limiter.acquire().await;
                    let waited = asked.elapsed();
                    if !waited.is_zero() {
                        tracing::debug!(
                            wait_ms = waited.as_millis() as u64,
                            "waited for the rate limiter"
                        );
                    }
                    Some(permit)
                }
                None => None,
            };
            // A body that cannot be cloned (a stream) cannot be sent twice.
            let spare = if tries < policy.retries() {
                request.try_clone()
            } else {
                None
            };
            tries += 1;
            state
                .sent
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let outcome = match self.client().execute(request).await {
                // An event stream's answer is read as it comes
                // (`events.rs`), not whole; an error answer still is.
                Ok(mut response) if streaming && response.status().is_success() => {
                    tracing::Span::current().record("attempts", tries);
                    response.extensions_mut().insert(Tries(tries));
                    return Ok(response);
                }
                Ok(response) => Buffered::read(response).await.map_err(|mut cut| {
                    cut.error = cut.error.with_url(url.clone());
                    Failure::Body(cut)
                }),
                Err(error) => Err(Failure::Send(error.with_url(url.clone()))),
            };
            // The answer is in (or never will be): the window counts from now.
            drop(permit);
            // Whether the outcome is one retries are for, were the request
            // repeatable, and whether this one is.
            let (worth, retry) = match &outcome {
                Ok(answer) => (
                    RetryPolicy::retries_answer(answer.status, true),
                    RetryPolicy::retries_answer(answer.status, repeatable),
                ),
                Err(failure) => {
                    let cut_short = matches!(failure, Failure::Body(_));
                    (
                        RetryPolicy::retries_failure(failure.error(), cut_short, true),
                        RetryPolicy::retries_failure(failure.error(), cut_short, repeatable),
                    )
                }
            };
            let next = spare.filter(|_| retry);
            let delay = next.as_ref().map(|_| {
                let headers = outcome.as_ref().ok().map(|answer| &answer.headers);
                policy.delay(tries - 1, headers, SystemTime::now())
            });
            let delay_ms = delay.map(|d| d.as_millis() as u64);
            match &outcome {
                Ok(answer) => tracing::debug!(
                    attempt = tries,
                    status = answer.status.as_u16(),
                    retry_in_ms = delay_ms,
                    "{} answered",
                    Client::API_NAME
                ),
                Err(failure) => tracing::debug!(
                    attempt = tries,
                    error = %failure.kind(state.timeouts),
                    retry_in_ms = delay_ms,
                    "{} request failed", Client::API_NAME
                ),
            }
            let (Some(next), Some(delay)) = (next, delay) else {
                tracing::Span::current().record("attempts", tries);
                // Worth a retry, allowed by the budget, refused for its method.
                let not_retried = (worth && !retry && tries <= policy.retries()).then(|| {
                    NotRetried::NonIdempotent {
                        method: method.clone(),
                    }
                });
                return match outcome {
                    Ok(answer) => {
                        let mut response = answer.into_response();
                        response.extensions_mut().insert(Tries(tries));
                        if let Some(not_retried) = not_retried {
                            response.extensions_mut().insert(not_retried);
                        }
                        Ok(response)
                    }
                    Err(failure) => {
                        let error = failure.into_error(
                            state.timeouts,
                            Attempts::new(info.operation_id, tries),
                            not_retried,
                        );
                        Err(error_relay::relay(error, url).await)
                    }
                };
            };
            match &outcome {
                Ok(answer) => tracing::warn!(
                    operation = info.operation_id,
                    retry = tries,
                    of = policy.retries(),
                    status = answer.status.as_u16(),
                    delay_ms = delay.as_millis() as u64,
                    "{} answered with a transient error; retrying",
                    Client::API_NAME
                ),
                Err(failure) => tracing::warn!(
                    operation = info.operation_id,
                    retry = tries,
                    of = policy.retries(),
                    error = %failure.kind(state.timeouts),
                    delay_ms = delay.as_millis() as u64,
                    "{} request failed; retrying",
                    Client::API_NAME
                ),
            }
            drop(outcome);
            tokio::time::sleep(delay).await;
            request = next;
        }
    }
}

/// A try that brought no whole answer.
enum Failure {
    /// No answer: the request could not be sent or went unanswered.
    Send(reqwest::Error),
    /// An answer whose body broke off.
    Body(CutShort),
}

impl Failure {
    fn error(&self) -> &reqwest::Error {
        match self {
            Failure::Send(error) => error,
            Failure::Body(cut) => &cut.error,
        }
    }

    fn kind(&self, timeouts: Option<Timeouts>) -> TransportKind {
        let error = self.error();
        let timeout = timeouts.map(|t| {
            if error.is_connect() {
                t.connect
            } else {
                t.request
            }
        });
        let cut_short = match self {
            Failure::Send(_) => None,
            Failure::Body(cut) => Some((cut.received, cut.expected)),
        };
        TransportKind::classify(error, cut_short, timeout)
    }

    fn into_error(
        self,
        timeouts: Option<Timeouts>,
        attempts: Attempts,
        not_retried: Option<NotRetried>,
    ) -> Error {
        let kind = self.kind(timeouts);
        let source = match self {
            Failure::Send(error) => error,
            Failure::Body(cut) => cut.error,
        };
        Error::Transport {
            kind,
            attempts: Some(attempts),
            not_retried,
            source,
        }
    }
}
