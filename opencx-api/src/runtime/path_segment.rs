//! Path parameters as OpenAPI's default `simple` style sends them: every
//! character outside RFC 3986's unreserved set percent-encoded.
//!
//! progenitor-client's `encode_path` leaves `\` and the sub-delimiters
//! (`, ; = ! ' ( ) * + & $ :`) as they are. URL parsing turns a `\` into `/` in
//! http paths, so an id holding one would address another endpoint, and a `,`
//! reads as a list separator to a server that follows the spec. The generated
//! code calls [`checked`] instead (a rewrite in `codegen/`), which also
//! refuses a segment that would address another endpoint.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Everything but `A-Z a-z 0-9 - . _ ~`.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// One path segment, percent-encoded (`a\\b,c d` is `a%5Cb%2Cc%20d`); the
/// typed mocks match the path a request sends with it.
pub fn encode_path_segment(segment: &str) -> String {
    utf8_percent_encode(segment, SEGMENT).to_string()
}

/// `segment` of path parameter `name`, encoded, or the reason it cannot be
/// sent: an empty segment or `.`/`..` addresses another endpoint (URL parsing
/// resolves the dots away, even percent-encoded), so the request is refused
/// before it is built. (progenitor's error type is what the generated code
/// propagates here; it is built once per refused request.)
#[allow(clippy::result_large_err)]
pub fn checked(segment: &str, name: &str) -> Result<String, progenitor_client::Error<()>> {
    match segment {
        "" => Err(progenitor_client::Error::InvalidRequest(format!(
            "path parameter `{name}` is empty, which would address another endpoint"
        ))),
        "." | ".." => Err(progenitor_client::Error::InvalidRequest(format!(
            "path parameter `{name}` is `{segment}`, which the URL would resolve to another endpoint"
        ))),
        _ => Ok(encode_path_segment(segment)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_that_address_another_endpoint_are_refused() {
        for bad in ["", ".", ".."] {
            let error = checked(bad, "id").unwrap_err().to_string();
            assert!(error.contains("path parameter `id`"), "{error}");
        }
        assert_eq!(checked("a/b", "id").unwrap(), "a%2Fb");
        assert_eq!(checked("...", "id").unwrap(), "...");
    }

    #[test]
    fn everything_outside_the_unreserved_set_is_encoded() {
        assert_eq!(encode_path_segment("a\\b,c d"), "a%5Cb%2Cc%20d");
        assert_eq!(encode_path_segment("A-z.0_9~"), "A-z.0_9~");
    }
}
