//! The docs site's `llms.txt` index: a Markdown list of `- [Title](URL): summary`
//! links, of which the API reference pages are the ones under `api-reference`.

use anyhow::{anyhow, bail, Result};
use reqwest::Url;

/// What marks an API reference page: its URL path contains this. The vendor's
/// reference pages live under `/api-reference/`; guides and other pages do not.
pub(super) const API_REFERENCE: &str = "api-reference";

/// An index larger than this is not the vendor's docs index (it has tens of
/// pages), and fetching every page of it would be a flood of requests.
pub(super) const MAX_PAGES: usize = 1000;

/// One link of the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Link {
    /// The link text.
    pub title: String,
    /// The page's URL, resolved against the index's.
    pub url: Url,
}

/// Where the index of the docs site at `docs_url` is: `<docs_url>/llms.txt`,
/// or `docs_url` itself when it already names a `.txt` file.
pub(super) fn index_url(docs_url: &str) -> Result<Url> {
    let url =
        Url::parse(docs_url).map_err(|e| anyhow!("--docs-url {docs_url:?} is not a URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") {
        bail!("--docs-url {docs_url}: expected an http or https URL");
    }
    if url.path().ends_with(".txt") {
        return Ok(url);
    }
    // Join against the site as a folder, so `https://host/docs` gives
    // `https://host/docs/llms.txt`, not `https://host/llms.txt`.
    let mut folder = url.clone();
    if !folder.path().ends_with('/') {
        folder.set_path(&format!("{}/", url.path()));
    }
    folder
        .join("llms.txt")
        .map_err(|e| anyhow!("--docs-url {docs_url}: {e}"))
}

/// The API reference pages the index at `index` lists, each once, in index
/// order. An index without links, or without API reference links, is an error
/// naming it: it is not the index we expect, and fetching nothing from it
/// would read as "no upstream changes".
pub(super) fn api_reference_pages(index: &Url, text: &str) -> Result<Vec<Link>> {
    let links = links(index, text);
    if links.is_empty() {
        bail!(
            "{index}: not a documentation index: it has no `- [Title](URL)` links (the llms.txt \
             convention)"
        );
    }
    let mut pages: Vec<Link> = Vec::new();
    for link in &links {
        let http = matches!(link.url.scheme(), "http" | "https");
        if http
            && link.url.path().contains(API_REFERENCE)
            && !pages.iter().any(|p| p.url == link.url)
        {
            pages.push(link.clone());
        }
    }
    if pages.is_empty() {
        bail!(
            "{index}: the index links {} pages but no API reference page (a link whose path \
             contains `{API_REFERENCE}`)",
            links.len()
        );
    }
    if pages.len() > MAX_PAGES {
        bail!(
            "{index}: the index links {} API reference pages, more than the {MAX_PAGES} this \
             command fetches; is it the vendor's docs index?",
            pages.len()
        );
    }
    Ok(pages)
}

/// Every list-item link of the index: lines such as `- [Title](URL): summary`
/// (`*` and `+` bullets too). Links inside prose are not pages of the index.
fn links(index: &Url, text: &str) -> Vec<Link> {
    text.lines()
        .filter_map(|line| {
            let item = line.trim_start();
            let item = (item.strip_prefix("- ").or_else(|| item.strip_prefix("* ")))
                .or_else(|| item.strip_prefix("+ "))?
                .trim_start()
                .strip_prefix('[')?;
            let (title, rest) = item.split_once("](")?;
            let (target, _) = rest.split_once(')')?;
            // A target may carry a title: `(URL "title")`.
            let target = target.split_whitespace().next()?;
            let url = index.join(target.trim_matches(['<', '>'])).ok()?;
            Some(Link {
                title: title.to_string(),
                url,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn the_index_is_llms_txt_under_the_docs_site() {
        let at = |s: &str| index_url(s).unwrap().to_string();
        assert_eq!(at("https://docs.example"), "https://docs.example/llms.txt");
        assert_eq!(at("https://docs.example/"), "https://docs.example/llms.txt");
        assert_eq!(at("http://h/docs"), "http://h/docs/llms.txt");
        assert_eq!(at("http://h/other.txt"), "http://h/other.txt");
        assert!(index_url("docs.example").is_err());
        assert!(index_url("ftp://docs.example").is_err());
    }

    #[test]
    fn api_reference_links_are_found_resolved_and_deduplicated() {
        let index = url("http://h/llms.txt");
        let text = "# Docs\n\n> About [this](http://h/about)\n\n## Guides\n\
                    - [Intro](http://h/intro.md): start here\n\
                    ## API\n\
                    - [List](http://h/api-reference/list.md): lists\n\
                    * [Get](/api-reference/get)\n\
                    - [List again](http://h/api-reference/list.md)\n\
                    - [Mail](mailto:x@api-reference.example)\n";
        let pages = api_reference_pages(&index, text).unwrap();
        let found: Vec<(&str, &str)> = pages
            .iter()
            .map(|l| (l.title.as_str(), l.url.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                ("List", "http://h/api-reference/list.md"),
                ("Get", "http://h/api-reference/get"),
            ]
        );
    }

    #[test]
    fn an_index_without_the_expected_links_is_an_error_naming_it() {
        let index = url("http://h/llms.txt");
        let e = api_reference_pages(&index, "<html>nope</html>")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("http://h/llms.txt: not a documentation index"),
            "{e}"
        );
        let e = api_reference_pages(&index, "- [Intro](http://h/intro.md)\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("links 1 pages but no API reference page"), "{e}");
    }
}
