//! Path parameters as OpenAPI's default `simple` style sends them: every
//! character outside RFC 3986's unreserved set percent-encoded.
//!
//! progenitor-client's `encode_path` leaves `\` and the sub-delimiters
//! (`, ; = ! ' ( ) * + & $ :`) as they are. URL parsing turns a `\` into `/` in
//! http paths, so an id holding one would address another endpoint, and a `,`
//! reads as a list separator to a server that follows the spec. The generated
//! code calls this function instead (a rewrite in `codegen/`).

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Everything but `A-Z a-z 0-9 - . _ ~`.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// One path segment, percent-encoded.
///
/// ```
/// assert_eq!(opencx_api::encode_path_segment("a\\b,c d"), "a%5Cb%2Cc%20d");
/// ```
pub fn encode_path_segment(segment: &str) -> String {
    utf8_percent_encode(segment, SEGMENT).to_string()
}
