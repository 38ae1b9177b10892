//! The security schemes of the API's document, as the generated client lists
//! them (`Client::SECURITY_SCHEMES`, written by `codegen/security.rs` from
//! `components/securitySchemes`): how each sends its credential.

/// One entry of the document's `components/securitySchemes`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Scheme {
    /// Its name in the document (`bearerAuth`), which `security`
    /// requirements and [`ClientBuilder::credential`](crate::ClientBuilder::credential) use.
    pub name: &'static str,
    /// The environment variable
    /// [`ClientBuilder::credentials_from_env`](crate::ClientBuilder::credentials_from_env)
    /// reads its credential from; for `http` `basic`, `<env>_USERNAME` and
    /// `<env>_PASSWORD`.
    pub env: &'static str,
    /// How the credential is sent.
    pub kind: SchemeKind,
}

/// How a scheme's credential is sent, after OpenAPI's Security Scheme Object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SchemeKind {
    /// `type: http, scheme: bearer`: `Authorization: Bearer <token>`.
    Bearer,
    /// `type: http, scheme: basic`: `Authorization: Basic <base64(user:password)>`.
    Basic,
    /// Another `type: http` scheme (`digest`, `hoba`, a vendor's own):
    /// `Authorization: <scheme> <credential>`, the credential as given.
    Http(&'static str),
    /// `type: apiKey`: the key under `name`, in a header, the query or a cookie.
    ApiKey(KeyLocation, &'static str),
    /// `type: oauth2`: an access token, as a bearer token (RFC 6750).
    OAuth2,
    /// `type: openIdConnect`: an access token, as a bearer token.
    OpenIdConnect,
    /// `type: mutualTLS`: a client certificate, configured on the
    /// `reqwest::Client` given to
    /// [`ClientBuilder::http_client`](crate::ClientBuilder::http_client);
    /// nothing is added to a request.
    MutualTls,
}

/// Where an `apiKey` scheme's key goes (its `in`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyLocation {
    /// A request header of the scheme's `name`.
    Header,
    /// A query parameter of the scheme's `name`.
    Query,
    /// A cookie of the scheme's `name`.
    Cookie,
}

impl SchemeKind {
    /// Whether a bearer token is what this scheme sends, so the builder's
    /// [`bearer_token`](crate::ClientBuilder::bearer_token) serves it when
    /// the scheme has no credential of its own.
    pub(crate) fn takes_bearer_token(self) -> bool {
        matches!(
            self,
            SchemeKind::Bearer | SchemeKind::OAuth2 | SchemeKind::OpenIdConnect
        )
    }
}
