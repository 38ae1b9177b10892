//! Authentication as the API's document says: the security schemes of
//! `components/securitySchemes` (`scheme.rs`, listed by the generated client),
//! the credentials a caller gives for them (`credential.rs`), and which of
//! them each request carries, by its operation's `security` requirement
//! (`credentials.rs`). The builder's plain bearer token is `token.rs`.

mod credential;
mod credentials;
mod scheme;
mod token;

pub use credential::{Credential, TokenError, TokenSource};
pub(crate) use credentials::{redacted, Credentials};
pub use scheme::{KeyLocation, Scheme, SchemeKind};
pub use token::BearerToken;
