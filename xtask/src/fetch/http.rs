//! Downloading the docs index and its pages: a blocking HTTP client with
//! timeouts, whose every error names the URL.

use std::io::Read;
use std::time::Duration;

use anyhow::{anyhow, bail, Context, Result};
use reqwest::blocking::Client;
use reqwest::header::CONTENT_TYPE;
use reqwest::Url;

/// How long to wait for a connection: a docs site that does not answer in
/// this time is down, and the scheduled check should say so rather than hang.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// How long one request may take in all, connection and body included.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The largest body read: the biggest reference page is well under 1 MiB, so
/// anything near this is not a page and is refused rather than held in memory.
const MAX_BODY: u64 = 16 * 1024 * 1024;

/// A text resource as served.
pub(super) struct Fetched {
    /// The URL that served it (the one asked for, or its `.md` sibling).
    pub url: Url,
    /// The body, as UTF-8.
    pub text: String,
}

/// The HTTP client `vendor --fetch` uses.
pub(super) struct Http {
    client: Client,
}

impl Http {
    /// A client for the docs site at `base`. A loopback site (the tests' local
    /// server) is reached directly: a proxy from the environment cannot reach
    /// this machine's loopback, so it would only turn the request into an error.
    pub fn new(base: &Url) -> Result<Self> {
        let mut builder = Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(REQUEST_TIMEOUT)
            .user_agent(concat!("opencx-rs-xtask/", env!("CARGO_PKG_VERSION")));
        if is_loopback(base) {
            builder = builder.no_proxy();
        }
        let client = builder.build().context("building the HTTP client")?;
        Ok(Self { client })
    }

    /// Fetches `url` as text; HTTP errors and network errors name the URL.
    /// Also says whether the body is HTML, which a Markdown page never is.
    pub fn get(&self, url: &Url) -> Result<(Fetched, bool)> {
        let response = self
            .client
            .get(url.clone())
            .send()
            .map_err(|e| request_error(url, e))?;
        let status = response.status();
        if !status.is_success() {
            bail!("{url}: HTTP {status}");
        }
        let content_type = (response.headers().get(CONTENT_TYPE))
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        let mut bytes = Vec::new();
        response
            .take(MAX_BODY + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| anyhow!("{url}: reading the body failed: {e}"))?;
        if bytes.len() as u64 > MAX_BODY {
            bail!("{url}: the body is larger than {MAX_BODY} bytes; not a documentation page");
        }
        let text =
            String::from_utf8(bytes).map_err(|e| anyhow!("{url}: the body is not UTF-8: {e}"))?;
        let html = content_type.contains("text/html") || looks_like_html(&text);
        Ok((
            Fetched {
                url: url.clone(),
                text,
            },
            html,
        ))
    }

    /// Fetches a page as Markdown, following the llms.txt convention: the URL
    /// as the index gives it, and when that serves HTML (the page for
    /// browsers), the same URL with `.md` appended.
    pub fn get_markdown(&self, url: &Url) -> Result<Fetched> {
        let (fetched, html) = self.get(url)?;
        if !html {
            return Ok(fetched);
        }
        let Some(markdown_url) = markdown_sibling(url) else {
            bail!("{url}: served HTML, not Markdown; the index should link the page's Markdown");
        };
        let (fetched, html) = self.get(&markdown_url)?;
        if html {
            bail!("{url}: served HTML, and so did {markdown_url}; expected the page as Markdown");
        }
        Ok(fetched)
    }
}

/// `url` with `.md` appended to its path, unless it already ends so.
fn markdown_sibling(url: &Url) -> Option<Url> {
    let path = url.path();
    if path.ends_with(".md") || path.ends_with('/') {
        return None;
    }
    let mut sibling = url.clone();
    sibling.set_path(&format!("{path}.md"));
    Some(sibling)
}

/// Whether `text` begins as an HTML document does, for servers that call
/// everything `text/plain`.
fn looks_like_html(text: &str) -> bool {
    let start: String = (text.trim_start().chars().take(15))
        .flat_map(char::to_lowercase)
        .collect();
    start.starts_with("<!doctype html") || start.starts_with("<html")
}

/// Whether `url` points at this machine.
fn is_loopback(url: &Url) -> bool {
    let host = url.host_str().unwrap_or("");
    let ip = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || ip
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// A failed request as one line: the URL, what went wrong, and the causes
/// (`Connection refused`), which reqwest keeps in its error's sources.
fn request_error(url: &Url, error: reqwest::Error) -> anyhow::Error {
    if error.is_timeout() {
        return anyhow!(
            "{url}: no answer within {} s (connection {} s)",
            REQUEST_TIMEOUT.as_secs(),
            CONNECT_TIMEOUT.as_secs()
        );
    }
    let error = error.without_url();
    let mut parts = vec![error.to_string()];
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        let text = cause.to_string();
        // Layers often repeat their cause's words; say each thing once.
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = cause.source();
    }
    anyhow!("{url}: {}", parts.join(": "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn the_markdown_of_a_page_is_its_url_with_md() {
        let sibling = |s: &str| markdown_sibling(&url(s)).map(|u| u.to_string());
        assert_eq!(
            sibling("https://d.example/api-reference/a?x=1").as_deref(),
            Some("https://d.example/api-reference/a.md?x=1")
        );
        assert_eq!(sibling("https://d.example/api-reference/a.md"), None);
        assert_eq!(sibling("https://d.example/"), None);
    }

    #[test]
    fn html_is_told_by_its_start() {
        assert!(looks_like_html("\n <!DOCTYPE html><html>"));
        assert!(looks_like_html("<HTML lang=en>"));
        assert!(!looks_like_html("# Title\n\n<html> in prose"));
    }

    #[test]
    fn only_this_machine_is_loopback() {
        for local in [
            "http://127.0.0.1:80/",
            "http://localhost/",
            "http://[::1]:8/",
        ] {
            assert!(is_loopback(&url(local)), "{local}");
        }
        assert!(!is_loopback(&url("https://docs.example/")));
        assert!(!is_loopback(&url("http://10.0.0.1/")));
    }
}
