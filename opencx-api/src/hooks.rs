//! The client's request hooks: where auth, rate limiting, retries and error
//! bodies apply to every generated operation.
//!
//! `exec` sends the request and reads the whole answer, retrying under the
//! client's [`RetryPolicy`] until it has one worth handing on, then gives the
//! generated code the buffered answer or, when every try failed, the
//! [`Error`] that says what happened, relayed through `reqwest::Error`.

use std::time::SystemTime;

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::header::AUTHORIZATION;

use crate::buffered::{Buffered, CutShort};
use crate::config::Timeouts;
use crate::error::Attempts;
use crate::retry::RetryPolicy;
use crate::transport::TransportKind;
use crate::{error_body, error_relay, Client, ClientState, Error};

impl ClientHooks<ClientState> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        _info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        if let Some(token) = &self.inner().token {
            request
                .headers_mut()
                .insert(AUTHORIZATION, token.header_value().clone());
        }
        Ok(())
    }

    async fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let state = self.inner();
        let policy = &state.retry;
        let repeatable = policy.may_repeat(request.method(), info.operation_id);
        let url = request.url().clone();
        let mut request = request;
        let mut tries = 0;
        loop {
            let permit = match &state.rate_limiter {
                Some(limiter) => Some(limiter.acquire().await),
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
                Ok(response) => Buffered::read(response).await.map_err(Failure::Body),
                Err(error) => Err(Failure::Send(error)),
            };
            // The answer is in (or never will be): the window counts from now.
            drop(permit);
            let retry = match &outcome {
                Ok(answer) => RetryPolicy::retries_answer(answer.status, repeatable),
                Err(failure) => RetryPolicy::retries_failure(
                    failure.error(),
                    matches!(failure, Failure::Body(_)),
                    repeatable,
                ),
            };
            let Some(next) = spare.filter(|_| retry) else {
                let attempts = Attempts::new(info.operation_id, tries);
                return match outcome {
                    Ok(mut answer) => {
                        error_body::normalize(&mut answer, &attempts);
                        Ok(answer.into_response())
                    }
                    Err(failure) => {
                        let error = failure.into_error(state.timeouts, attempts);
                        Err(error_relay::relay(error, url).await)
                    }
                };
            };
            let headers = outcome.as_ref().ok().map(|answer| &answer.headers);
            let delay = policy.delay(tries - 1, headers, SystemTime::now());
            match &outcome {
                Ok(answer) => tracing::warn!(
                    operation = info.operation_id,
                    retry = tries,
                    of = policy.retries(),
                    status = answer.status.as_u16(),
                    delay_ms = delay.as_millis() as u64,
                    "OpenCX answered with a transient error; retrying"
                ),
                Err(failure) => tracing::warn!(
                    operation = info.operation_id,
                    retry = tries,
                    of = policy.retries(),
                    error = %failure.kind(state.timeouts),
                    delay_ms = delay.as_millis() as u64,
                    "OpenCX request failed; retrying"
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

    fn into_error(self, timeouts: Option<Timeouts>, attempts: Attempts) -> Error {
        let kind = self.kind(timeouts);
        let source = match self {
            Failure::Send(error) => error,
            Failure::Body(cut) => cut.error,
        };
        Error::Transport {
            kind,
            attempts: Some(attempts),
            source,
        }
    }
}
