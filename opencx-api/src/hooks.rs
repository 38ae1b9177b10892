//! The client's request hooks: where auth, rate limiting, retries and error
//! bodies apply to every generated operation.

use std::time::SystemTime;

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::header::AUTHORIZATION;

use crate::retry::RetryPolicy;
use crate::{error_body, Client, ClientState};

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
        let mut request = request;
        let mut retry = 0;
        loop {
            if let Some(limiter) = &state.rate_limiter {
                limiter.acquire().await;
            }
            // A body that cannot be cloned (a stream) cannot be sent twice.
            let spare = if retry < policy.retries() {
                request.try_clone()
            } else {
                None
            };
            let result = self.client().execute(request).await;
            let retryable = match &result {
                Ok(response) => RetryPolicy::is_retryable_status(response.status()),
                Err(error) => RetryPolicy::is_retryable_error(error),
            };
            match spare {
                Some(next) if retryable => {
                    let headers = result.as_ref().ok().map(|r| r.headers());
                    let delay = policy.delay(retry, headers, SystemTime::now());
                    match &result {
                        Ok(response) => tracing::warn!(
                            operation = info.operation_id,
                            retry = retry + 1,
                            of = policy.retries(),
                            status = response.status().as_u16(),
                            delay_ms = delay.as_millis() as u64,
                            "OpenCX answered with a transient error; retrying"
                        ),
                        Err(error) => tracing::warn!(
                            operation = info.operation_id,
                            retry = retry + 1,
                            of = policy.retries(),
                            error = %error,
                            delay_ms = delay.as_millis() as u64,
                            "OpenCX request failed; retrying"
                        ),
                    }
                    drop(result);
                    tokio::time::sleep(delay).await;
                    request = next;
                    retry += 1;
                }
                _ => return error_body::normalize(result).await,
            }
        }
    }
}
