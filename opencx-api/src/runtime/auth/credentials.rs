//! The credentials a client holds, one per security scheme, and which of them
//! each request carries: the operation's `security` requirement, as the
//! document gives it (`Client::security`), picks them.
//!
//! OpenAPI's Security Requirement semantics: an operation lists alternatives,
//! any one of which suffices; each alternative names schemes that must all be
//! sent. The first alternative whose every scheme has a credential is sent; an
//! alternative of no schemes (`{}`, or `security: []`) means the operation may
//! be called anonymously. An operation the document gives no requirement at
//! all (no `security` on it or at the top) carries the builder's
//! [`bearer_token`](crate::ClientBuilder::bearer_token), if any: what the
//! caller asked for, where the document is silent.

use base64::Engine as _;
use reqwest::header::{HeaderName, HeaderValue, AUTHORIZATION, COOKIE};

use super::credential::{Credential, Kind};
use super::scheme::{KeyLocation, Scheme, SchemeKind};
use super::token::BearerToken;
use crate::runtime::error::ConfigError;
use crate::Client;

/// The credentials of one client, checked against the document's schemes.
#[derive(Clone, Debug, Default)]
pub(crate) struct Credentials {
    /// By the index of the scheme in `Client::SECURITY_SCHEMES`.
    by_scheme: Vec<Option<Credential>>,
    /// The builder's `bearer_token`: serves every bearer-kind scheme without
    /// a credential of its own, and operations the document is silent on.
    bearer: Option<BearerToken>,
    /// Whether the caller gave their own `reqwest::Client`, where a mutual
    /// TLS certificate is configured.
    custom_http: bool,
}

impl Credentials {
    /// Checks each `(scheme name, credential)` against the document's schemes
    /// `schemes`: the scheme must exist, and the credential must be of its
    /// kind (a username and password for `http` `basic`, a secret or a token
    /// source for the rest) and sendable.
    pub(crate) fn new(
        schemes: &'static [Scheme],
        given: Vec<(String, Credential)>,
        bearer: Option<BearerToken>,
        custom_http: bool,
    ) -> Result<Self, ConfigError> {
        let mut by_scheme = vec![None; schemes.len()];
        for (name, credential) in given {
            let Some(index) = schemes.iter().position(|s| s.name == name) else {
                return Err(ConfigError::UnknownSecurityScheme {
                    scheme: name,
                    known: schemes.iter().map(|s| s.name).collect(),
                });
            };
            let scheme = &schemes[index];
            if scheme.kind == SchemeKind::MutualTls {
                return Err(ConfigError::CredentialKind {
                    scheme: scheme.name,
                    expected: "no credential: its certificate is configured on the \
                               `reqwest::Client` given to `ClientBuilder::http_client`",
                });
            }
            if credential.is_basic() != (scheme.kind == SchemeKind::Basic) {
                return Err(ConfigError::CredentialKind {
                    scheme: scheme.name,
                    expected: match scheme.kind {
                        SchemeKind::Basic => "a username and password (`Credential::basic`)",
                        _ => "a secret or a token source, not a username and password",
                    },
                });
            }
            check(scheme, &credential)?;
            by_scheme[index] = Some(credential);
        }
        Ok(Self {
            by_scheme,
            bearer,
            custom_http,
        })
    }

    /// Whether a credential travels in a header of the API's own naming (an
    /// API key in `X-API-Key`), which reqwest does not drop on a redirect to
    /// another host as it drops `Authorization` and `Cookie`.
    pub(crate) fn in_own_headers(&self) -> bool {
        Client::SECURITY_SCHEMES
            .iter()
            .zip(&self.by_scheme)
            .any(|(scheme, credential)| {
                credential.is_some()
                    && matches!(scheme.kind, SchemeKind::ApiKey(KeyLocation::Header, _))
            })
    }

    /// Whether scheme `index` of `schemes` can be sent (mutual TLS: when the
    /// caller gave the `reqwest::Client` that holds the certificate).
    fn has(&self, schemes: &[Scheme], index: usize) -> bool {
        (schemes[index].kind == SchemeKind::MutualTls && self.custom_http)
            || self.by_scheme.get(index).is_some_and(Option::is_some)
            || (self.bearer.is_some() && schemes[index].kind.takes_bearer_token())
    }

    /// Adds the credentials `operation` (a client method's name) needs to
    /// `request`; an error names the scheme whose token source failed.
    pub(crate) async fn apply(
        &self,
        request: &mut reqwest::Request,
        operation: &str,
    ) -> Result<(), String> {
        let schemes = Client::SECURITY_SCHEMES;
        let alternatives = Client::security(operation);
        if alternatives.is_empty() {
            if let Some(bearer) = &self.bearer {
                let value = bearer.header_value().clone();
                request.headers_mut().insert(AUTHORIZATION, value);
            }
            return Ok(());
        }
        let chosen = alternatives
            .iter()
            .find(|all| !all.is_empty() && all.iter().all(|&i| self.has(schemes, i)));
        for &index in chosen.copied().unwrap_or_default() {
            self.send(request, &schemes[index], index).await?;
        }
        Ok(())
    }

    async fn send(
        &self,
        request: &mut reqwest::Request,
        scheme: &Scheme,
        index: usize,
    ) -> Result<(), String> {
        let credential = match self.by_scheme.get(index).and_then(Option::as_ref) {
            Some(credential) => credential,
            None => {
                // A bearer-kind scheme served by the builder's bearer token
                // (mutual TLS sends nothing).
                if let Some(bearer) = self
                    .bearer
                    .as_ref()
                    .filter(|_| scheme.kind.takes_bearer_token())
                {
                    let value = bearer.header_value().clone();
                    request.headers_mut().insert(AUTHORIZATION, value);
                }
                return Ok(());
            }
        };
        let secret = match &credential.0 {
            Kind::Secret(secret) => secret.clone(),
            Kind::Basic { username, password } => {
                let encoded = base64::engine::general_purpose::STANDARD
                    .encode(format!("{username}:{password}"));
                let value = sensitive(&format!("Basic {encoded}")).ok_or_else(|| {
                    format!("the credentials of `{}` cannot be sent", scheme.name)
                })?;
                request.headers_mut().insert(AUTHORIZATION, value);
                return Ok(());
            }
            Kind::Source(source) => {
                let token = source.token().await.map_err(|e| {
                    format!(
                        "the token source of security scheme `{}` failed: {e}",
                        scheme.name
                    )
                })?;
                let token = token.trim().to_string();
                if token.is_empty() {
                    return Err(format!(
                        "the token source of security scheme `{}` gave an empty token",
                        scheme.name
                    ));
                }
                token
            }
        };
        let unsendable = || {
            format!(
                "the token of security scheme `{}` holds characters a header cannot carry",
                scheme.name
            )
        };
        match scheme.kind {
            SchemeKind::Bearer | SchemeKind::OAuth2 | SchemeKind::OpenIdConnect => {
                let value = sensitive(&format!("Bearer {secret}")).ok_or_else(unsendable)?;
                request.headers_mut().insert(AUTHORIZATION, value);
            }
            SchemeKind::Http(kind) => {
                let value =
                    sensitive(&format!("{} {secret}", http_scheme(kind))).ok_or_else(unsendable)?;
                request.headers_mut().insert(AUTHORIZATION, value);
            }
            SchemeKind::ApiKey(KeyLocation::Header, name) => {
                let name = HeaderName::from_bytes(name.as_bytes())
                    .map_err(|_| format!("`{name}` is not a header name"))?;
                let value = sensitive(&secret).ok_or_else(unsendable)?;
                request.headers_mut().insert(name, value);
            }
            SchemeKind::ApiKey(KeyLocation::Query, name) => {
                request
                    .url_mut()
                    .query_pairs_mut()
                    .append_pair(name, &secret);
            }
            SchemeKind::ApiKey(KeyLocation::Cookie, name) => {
                let pair = format!("{name}={secret}");
                let cookie = match request.headers().get(COOKIE).map(HeaderValue::to_str) {
                    Some(Ok(existing)) if !existing.is_empty() => format!("{existing}; {pair}"),
                    _ => pair,
                };
                let value = sensitive(&cookie).ok_or_else(unsendable)?;
                request.headers_mut().insert(COOKIE, value);
            }
            SchemeKind::Basic | SchemeKind::MutualTls => {}
        }
        Ok(())
    }
}

/// `url` with the value of every query parameter an `apiKey` scheme sends
/// its key in replaced by `<redacted>`, for errors and traces.
pub(crate) fn redacted(url: &reqwest::Url) -> reqwest::Url {
    let keys: Vec<&str> = Client::SECURITY_SCHEMES
        .iter()
        .filter_map(|s| match s.kind {
            SchemeKind::ApiKey(KeyLocation::Query, name) => Some(name),
            _ => None,
        })
        .collect();
    if keys.is_empty() || url.query().is_none() {
        return url.clone();
    }
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| {
            let v = if keys.contains(&k.as_ref()) {
                "<redacted>".to_string()
            } else {
                v.into_owned()
            };
            (k.into_owned(), v)
        })
        .collect();
    let mut url = url.clone();
    url.query_pairs_mut().clear().extend_pairs(pairs);
    url
}

/// A header value marked sensitive (kept out of logs by tooling that honours
/// the flag), or `None` for text a header cannot carry.
fn sensitive(text: &str) -> Option<HeaderValue> {
    let mut value = HeaderValue::from_str(text).ok()?;
    value.set_sensitive(true);
    Some(value)
}

/// An `http` scheme's name as the `Authorization` header writes it: RFC 9110
/// scheme names are case-insensitive; the registered ones are capitalized.
fn http_scheme(scheme: &str) -> String {
    let mut chars = scheme.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A secret must be something and sendable where it goes: in a header, as
/// a header carries it; in a cookie, without what splits cookies; a basic
/// username without `:` (RFC 7617 §2); an API key's header name a header
/// name.
fn check(scheme: &Scheme, credential: &Credential) -> Result<(), ConfigError> {
    let invalid = || ConfigError::InvalidCredential {
        scheme: scheme.name,
    };
    if let SchemeKind::ApiKey(KeyLocation::Header, name) = scheme.kind {
        HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid())?;
    }
    let text = match &credential.0 {
        Kind::Secret(secret) => secret.clone(),
        Kind::Basic { username, password } => {
            if username.contains(':') {
                return Err(invalid());
            }
            format!("{username}:{password}")
        }
        Kind::Source(_) => return Ok(()),
    };
    if text.trim().is_empty() || (credential.is_basic() && text == ":") {
        return Err(ConfigError::EmptyCredential {
            scheme: scheme.name,
        });
    }
    let in_header = !matches!(scheme.kind, SchemeKind::ApiKey(KeyLocation::Query, _));
    if in_header && !credential.is_basic() && HeaderValue::from_str(&text).is_err() {
        return Err(invalid());
    }
    if matches!(scheme.kind, SchemeKind::ApiKey(KeyLocation::Cookie, _))
        && text.contains([';', ',', ' '])
    {
        return Err(invalid());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_scheme_names_are_capitalized() {
        assert_eq!(http_scheme("digest"), "Digest");
        assert_eq!(http_scheme("HOBA"), "HOBA");
    }
}
