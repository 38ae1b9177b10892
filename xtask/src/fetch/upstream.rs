//! What upstream publishes now: the index's API reference pages, downloaded,
//! each with the one operation its OpenAPI fence describes.

use std::io::Write;

use anyhow::{anyhow, bail, Result};
use reqwest::Url;

use super::http::Http;
use super::index::{api_reference_pages, index_url};
use crate::vendor::{extract, Operation, SourceFormat};

/// One API reference page as upstream serves it.
#[derive(Debug, Clone)]
pub struct UpstreamPage {
    /// The URL that served the page as Markdown; recorded as its `source_page`.
    pub url: String,
    /// The operation its document describes (operationId derived if missing).
    pub operation: Operation,
    /// The page as served, which `vendor` reads again when it vendors it.
    pub text: String,
    /// The page's OpenAPI fence: what would be vendored.
    pub body: String,
}

impl UpstreamPage {
    /// `METHOD /path (operationId) from URL`, as the command's output says it.
    pub fn describe(&self) -> String {
        format!(
            "{} ({}) from {}",
            self.operation.operation, self.operation.operation_id, self.url
        )
    }
}

/// The API reference pages upstream publishes, and the URLs of pages under
/// `api-reference` that hold no OpenAPI document (overviews, such as an
/// introduction), which are passed over.
#[derive(Debug, Default)]
pub struct Upstream {
    /// The index's URL.
    pub index: String,
    /// One page per operation, in index order.
    pub pages: Vec<UpstreamPage>,
    /// Pages under `api-reference` without any OpenAPI document.
    pub overviews: Vec<String>,
}

/// Reads the docs index at `docs_url` and downloads every API reference page
/// it lists, one request at a time, saying each on `progress`. Any error (the
/// network, an HTTP status, a page whose OpenAPI fence is missing, doubled or
/// malformed, two pages for one operation) names the URL and ends the run.
pub fn read(docs_url: &str, progress: &mut dyn Write) -> Result<Upstream> {
    let index = index_url(docs_url)?;
    let http = Http::new(&index)?;
    let _ = writeln!(progress, "fetching {index}");
    let (fetched, html) = http.get(&index)?;
    if html {
        bail!("{index}: served HTML, not an llms.txt index (a Markdown list of links)");
    }
    let links = api_reference_pages(&index, &fetched.text)?;
    let mut upstream = Upstream {
        index: index.to_string(),
        ..Upstream::default()
    };
    for (n, link) in links.iter().enumerate() {
        let _ = writeln!(
            progress,
            "fetching {} ({}/{}): {}",
            link.url,
            n + 1,
            links.len(),
            link.title
        );
        let page = http.get_markdown(&link.url)?;
        match operation_page(&page.url, page.text)? {
            None => upstream.overviews.push(page.url.to_string()),
            Some(page) => {
                let op = &page.operation.operation;
                if let Some(earlier) = upstream.pages.iter().find(|p| &p.operation.operation == op)
                {
                    bail!(
                        "{}: describes {op}, as {} already does; which one to vendor is unclear",
                        page.url,
                        earlier.url
                    );
                }
                upstream.pages.push(page);
            }
        }
    }
    if upstream.pages.is_empty() {
        bail!(
            "{index}: none of its {} API reference pages holds an OpenAPI document",
            links.len()
        );
    }
    Ok(upstream)
}

/// The operation page served at `url`, or `None` for an overview page: one
/// with neither an `## OpenAPI` section nor an `openapi:` line. A page that
/// has either must hold exactly one OpenAPI fence describing one operation.
fn operation_page(url: &Url, text: String) -> Result<Option<UpstreamPage>> {
    let claims_openapi = text
        .lines()
        .any(|l| l.starts_with("openapi:") || l.trim_end() == "## OpenAPI");
    if !claims_openapi {
        return Ok(None);
    }
    let extracted = extract(&text, url.as_str())?;
    if extracted.format != SourceFormat::Page {
        bail!("{url}: served a bare OpenAPI document, not a reference page (Markdown with its ```yaml fence)");
    }
    let operation = match <[Operation; 1]>::try_from(extracted.operations) {
        Ok([one]) => one,
        Err(many) => {
            return Err(anyhow!(
                "{url}: the page's OpenAPI document describes {} operations; a reference page \
                 describes one",
                many.len()
            ))
        }
    };
    Ok(Some(UpstreamPage {
        url: url.to_string(),
        operation,
        text,
        body: extracted.body,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: {}\n";

    fn page(text: &str) -> Result<Option<UpstreamPage>> {
        operation_page(
            &Url::parse("http://h/api-reference/a.md").unwrap(),
            text.into(),
        )
    }

    #[test]
    fn an_operation_page_gives_its_operation_and_fence() {
        let found = page(&format!(
            "# A\n\n## OpenAPI\n\n````yaml get /a\n{DOC}````\n"
        ))
        .unwrap()
        .unwrap();
        assert_eq!(found.operation.operation, "GET /a");
        assert_eq!(found.operation.operation_id, "get_a");
        assert!(found.operation.operation_id_derived);
        assert_eq!(found.body, DOC);
        assert_eq!(
            found.describe(),
            "GET /a (get_a) from http://h/api-reference/a.md"
        );
    }

    #[test]
    fn an_overview_page_is_passed_over() {
        assert!(page("# Introduction\n\nUse a bearer token.\n")
            .unwrap()
            .is_none());
    }

    #[test]
    fn a_page_that_claims_an_openapi_document_must_hold_one() {
        let e = page("# A\n\n## OpenAPI\n\nsoon\n").unwrap_err().to_string();
        assert!(
            e.starts_with("http://h/api-reference/a.md: no ```yaml fence"),
            "{e}"
        );
        let two = format!("# A\n\n```yaml\n{DOC}```\n\n```yaml\n{DOC}```\n");
        let e = page(&two).unwrap_err().to_string();
        assert!(e.contains("2 ```yaml fences"), "{e}");
        let e = page(DOC).unwrap_err().to_string();
        assert!(e.contains("served a bare OpenAPI document"), "{e}");
    }
}
