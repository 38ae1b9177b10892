//! The bearer token of [`ClientBuilder::bearer_token`](crate::runtime::ClientBuilder::bearer_token).

use std::fmt;

use reqwest::header::HeaderValue;

use crate::runtime::error::ConfigError;

/// An API key, ready to be sent as `Authorization: Bearer <key>`.
///
/// Its `Debug` output is redacted, and the header value is marked sensitive so
/// HTTP tooling that honours the flag keeps it out of logs too.
///
/// ```
/// use opencx_api::config::BearerToken;
///
/// let token = BearerToken::new("sk-live-123").unwrap();
/// assert_eq!(format!("{token:?}"), "BearerToken(<redacted>)");
/// assert!(BearerToken::new("  ").is_err());
/// ```
#[derive(Clone)]
pub struct BearerToken(HeaderValue);

impl BearerToken {
    /// Validates `key`: not empty, and only characters a header can carry;
    /// otherwise [`ConfigError::EmptyApiKey`] or [`ConfigError::InvalidApiKey`].
    pub fn new(key: impl AsRef<str>) -> Result<Self, ConfigError> {
        let key = key.as_ref().trim();
        if key.is_empty() {
            return Err(ConfigError::EmptyApiKey);
        }
        let mut value = HeaderValue::from_str(&format!("Bearer {key}"))
            .map_err(|_| ConfigError::InvalidApiKey)?;
        value.set_sensitive(true);
        Ok(Self(value))
    }

    /// The `Authorization` header value.
    pub(crate) fn header_value(&self) -> &HeaderValue {
        &self.0
    }
}

impl fmt::Debug for BearerToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BearerToken(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_is_marked_sensitive_and_carries_the_scheme() {
        let token = BearerToken::new(" sk-1 ").unwrap();
        assert!(token.header_value().is_sensitive());
        assert_eq!(token.header_value().to_str().unwrap(), "Bearer sk-1");
        // HeaderValue's own Debug honours the flag too.
        assert_eq!(format!("{:?}", token.header_value()), "Sensitive");
    }
}
