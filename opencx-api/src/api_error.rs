//! The OpenCX error body, decoded from an [`Error::Api`] answer.

use crate::types::ApiError;
use crate::Error;

impl Error {
    /// The answer's body as OpenCX documents its error bodies (`ApiError`:
    /// `statusCode`, `error`, `message`), for an [`Error::Api`] whose body is
    /// that JSON; `None` for any other error or body (a proxy's HTML page).
    ///
    /// ```
    /// # async fn run(client: &opencx_api::Client) {
    /// if let Err(e) = client.get_chat_session().session_id("missing").send().await {
    ///     if let Some(body) = e.api_error() {
    ///         println!("{:?}: {:?}", body.status_code, body.message);
    ///     }
    /// }
    /// # }
    /// ```
    pub fn api_error(&self) -> Option<ApiError> {
        self.response()?.json().ok()
    }
}
