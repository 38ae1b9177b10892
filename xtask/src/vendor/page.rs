//! Upstream reference pages: Markdown with the OpenAPI document in one ```yaml
//! fence.

use anyhow::{bail, Result};

/// A fenced block found in a page.
#[derive(Debug)]
pub(super) struct Fence<'a> {
    /// The info string after the opening backticks (`yaml get /a`).
    pub info: &'a str,
    /// The lines between the fences, exactly as written.
    pub body: &'a str,
    /// 1-based line of the opening fence.
    pub line: usize,
    /// 1-based line of the closing fence; `None` when the page ends inside
    /// the block (which Markdown reads as running to the end).
    pub end: Option<usize>,
}

impl Fence<'_> {
    /// Whether 1-based `line` is part of this block (fences included).
    pub fn covers(&self, line: usize) -> bool {
        line >= self.line && self.end.is_none_or(|end| line <= end)
    }
}

/// Every fenced code block of a Markdown page (backtick fences of 3 or more),
/// with its info string and its body exactly as written.
pub(super) fn fences(page: &str) -> Vec<Fence<'_>> {
    let mut found = Vec::new();
    let mut offset = 0;
    let mut open: Option<(usize, &str, usize, usize)> = None; // (ticks, info, body start, line)
    for (index, line) in page.split_inclusive('\n').enumerate() {
        let trimmed = line.trim_end_matches(['\n', '\r']);
        let ticks = trimmed.chars().take_while(|c| *c == '`').count();
        match open {
            None if ticks >= 3 => {
                open = Some((
                    ticks,
                    trimmed[ticks..].trim(),
                    offset + line.len(),
                    index + 1,
                ));
            }
            Some((want, info, start, line_no))
                if ticks >= want && trimmed[ticks..].trim().is_empty() =>
            {
                found.push(Fence {
                    info,
                    body: &page[start..offset],
                    line: line_no,
                    end: Some(index + 1),
                });
                open = None;
            }
            _ => {}
        }
        offset += line.len();
    }
    if let Some((_, info, start, line)) = open {
        found.push(Fence {
            info,
            body: &page[start.min(page.len())..],
            line,
            end: None,
        });
    }
    found
}

/// The single closed ```yaml fence holding an OpenAPI document (a top-level
/// `openapi:` key). `name` is used in error messages.
pub(super) fn openapi_fence<'a>(page: &'a str, name: &str) -> Result<Fence<'a>> {
    let mut candidates: Vec<Fence> = fences(page)
        .into_iter()
        .filter(|f| f.end.is_some())
        .filter(|f| f.info.split_whitespace().next() == Some("yaml"))
        .filter(|f| f.body.lines().any(|l| l.starts_with("openapi:")))
        .collect();
    match candidates.len() {
        1 => Ok(candidates.remove(0)),
        0 => bail!(
            "{name}: no ```yaml fence holding an OpenAPI document (a top-level `openapi:` key), \
             and not a bare OpenAPI document either"
        ),
        many => bail!(
            "{name}: {many} ```yaml fences hold an OpenAPI document (at lines {}); expected exactly one",
            candidates
                .iter()
                .map(|f| f.line.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// The page's title: its first `# ` heading, or empty.
pub(super) fn title(page: &str) -> String {
    page.lines()
        .find_map(|l| l.strip_prefix("# "))
        .unwrap_or("")
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n";

    #[test]
    fn a_four_backtick_fence_is_found_verbatim() {
        let page = format!("# Get A\n\ntext\n\n````yaml get /a\n{DOC}\n````\n");
        let fence = openapi_fence(&page, "page").unwrap();
        assert_eq!(fence.body, format!("{DOC}\n"));
        assert_eq!((fence.line, fence.end), (5, Some(9)));
        assert_eq!(title(&page), "Get A");
    }

    #[test]
    fn a_page_without_a_fence_is_an_error() {
        let err = openapi_fence("# nothing here\n```json\n{}\n```\n", "p.txt")
            .unwrap_err()
            .to_string();
        assert!(err.contains("p.txt: no ```yaml fence"), "{err}");
    }

    #[test]
    fn a_page_with_two_fences_is_an_error_naming_their_lines() {
        let page = format!("```yaml\n{DOC}```\n\n```yaml\n{DOC}```\n");
        let err = openapi_fence(&page, "p.txt").unwrap_err().to_string();
        assert!(err.contains("2 ```yaml fences"), "{err}");
        assert!(err.contains("lines 1, 6"), "{err}");
    }

    #[test]
    fn an_unclosed_fence_runs_to_the_end_and_is_no_candidate() {
        let page = format!("# T\n```yaml\n{DOC}");
        let found = fences(&page);
        assert_eq!(found.len(), 1);
        assert!(found[0].covers(3) && found[0].covers(99) && !found[0].covers(1));
        assert!(openapi_fence(&page, "p").is_err());
    }
}
