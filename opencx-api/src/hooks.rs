//! The client's request hooks: where auth (and later retries and rate
//! limiting) apply to every generated operation.

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::header::AUTHORIZATION;

use crate::{Client, ClientState};

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
}
