//! A docs site on 127.0.0.1 as the vendor's is laid out: an `llms.txt`
//! index and reference pages (Markdown, one ```yaml OpenAPI fence) built
//! from a scratch workspace's vendored documents, which a test changes
//! between runs of `vendor --fetch` or `upstream`.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use xtask::vendor::ProvenanceFile;

use crate::ScratchWorkspace;

/// One fixed answer of the docs site.
#[derive(Clone)]
struct Answer {
    status: u16,
    content_type: &'static str,
    body: String,
}

/// A docs site on 127.0.0.1: fixed answers by path, 404 for the rest, and a
/// log of the paths asked for. Its thread lives as long as the test process.
pub struct DocsSite {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    answers: Arc<Mutex<HashMap<String, Answer>>>,
    asked: Arc<Mutex<Vec<String>>>,
}

impl DocsSite {
    /// Starts the site with no pages.
    pub fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let answers: Arc<Mutex<HashMap<String, Answer>>> = Arc::default();
        let asked: Arc<Mutex<Vec<String>>> = Arc::default();
        let (map, log) = (answers.clone(), asked.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut request_line = String::new();
                let _ = reader.read_line(&mut request_line);
                // The rest of the head; requests are GETs without bodies.
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                    line.clear();
                }
                let path = request_line.split(' ').nth(1).unwrap_or("").to_string();
                log.lock().unwrap().push(path.clone());
                let answer = map.lock().unwrap().get(&path).cloned();
                let answer = answer.unwrap_or(Answer {
                    status: 404,
                    content_type: "text/plain",
                    body: "not found".into(),
                });
                let _ = write!(
                    stream,
                    "HTTP/1.1 {} X\r\ncontent-type: {}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{}",
                    answer.status,
                    answer.content_type,
                    answer.body.len(),
                    answer.body
                );
            }
        });
        Self {
            base,
            answers,
            asked,
        }
    }

    /// Answers `path` with `status`, `content_type` and `body` from now on.
    pub fn serve(&self, path: &str, status: u16, content_type: &'static str, body: &str) {
        let answer = Answer {
            status,
            content_type,
            body: body.into(),
        };
        self.answers.lock().unwrap().insert(path.into(), answer);
    }

    /// The URL of `path` on the site.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The paths asked for so far, in order.
    pub fn asked(&self) -> Vec<String> {
        self.asked.lock().unwrap().clone()
    }
}

/// The vendored operations: (file under specs/, page path on the site). One is
/// linked without `.md`, as an index may do: its plain URL serves HTML.
pub const PAGES: [(&str, &str); 4] = [
    (
        "listChatSessions.yaml",
        "/api-reference/chat/list-chat-sessions.md",
    ),
    (
        "getChatSession.yaml",
        "/api-reference/chat/get-chat-session.md",
    ),
    (
        "listChatHistory.yaml",
        "/api-reference/chat/list-chat-history",
    ),
    (
        "filterChatSessions.yaml",
        "/api-reference/chat/filter-chat-sessions.md",
    ),
];

/// A reference page as the vendor publishes it, around `document`.
pub fn page(site: &DocsSite, title: &str, fence_info: &str, document: &str) -> String {
    format!(
        "> ## Documentation Index\n> Fetch the complete documentation index at: {}\n\
         > Use this file to discover all available pages before exploring further.\n\n\
         # {title}\n\n\n\n## OpenAPI\n\n````yaml {fence_info}\n{document}````\n",
        site.url("/llms.txt")
    )
}

/// A docs site serving the scratch workspace's vendored documents as pages,
/// an overview page and a guide, with the index listing them all.
pub fn upstream(scratch: &ScratchWorkspace) -> DocsSite {
    let site = DocsSite::start();
    let provenance = ProvenanceFile::load(&scratch.workspace()).unwrap();
    let mut index = String::from(
        "# OpenCX\n\n> Docs.\n\n## Docs\n\n- [Quickstart](/quickstart.md): start here\n\
         - [API introduction](/api-reference/introduction.md): authentication\n",
    );
    site.serve(
        "/api-reference/introduction.md",
        200,
        "text/markdown",
        "# API introduction\n\nUse a bearer token.\n",
    );
    for (file, path) in PAGES {
        let record = provenance
            .documents
            .iter()
            .find(|d| d.file == file)
            .unwrap();
        let operation = record.operation.as_deref().unwrap();
        let fence_info = operation.to_lowercase();
        let text = page(
            &site,
            &record.page_title,
            &fence_info,
            &scratch.read(&format!("specs/{file}")),
        );
        if path.ends_with(".md") {
            site.serve(path, 200, "text/markdown; charset=utf-8", &text);
        } else {
            site.serve(
                path,
                200,
                "text/html",
                "<!DOCTYPE html><html>the page</html>",
            );
            site.serve(&format!("{path}.md"), 200, "text/plain", &text);
        }
        index.push_str(&format!(
            "- [{}]({}): about it\n",
            record.page_title,
            site.url(path)
        ));
    }
    site.serve("/llms.txt", 200, "text/plain", &index);
    site
}

/// Changes the description of `GET /chat/sessions` on the site; returns the
/// document the changed page holds.
pub fn change_list_chat_sessions(scratch: &ScratchWorkspace, site: &DocsSite) -> String {
    let document = scratch.read("specs/listChatSessions.yaml").replacen(
        "summary: List chat sessions",
        "summary: List every chat session",
        1,
    );
    let text = page(site, "List chat sessions", "get /chat/sessions", &document);
    site.serve(PAGES[0].1, 200, "text/markdown", &text);
    document
}

/// The document of a new operation, `POST /contacts`.
pub const CREATE_CONTACT: &str =
    "openapi: 3.1.0\ninfo:\n  title: OpenCX API\n  version: 1.0-beta\n\
paths:\n  /contacts:\n    post:\n      operationId: createContact\n      responses:\n        \
'201':\n          description: Created\n";

/// Adds a page for a new operation, `POST /contacts`, to the site and its index.
pub fn add_create_contact(site: &DocsSite) -> String {
    add_page(
        site,
        "/api-reference/contacts/create-contact.md",
        "Create a contact",
        "post /contacts",
        CREATE_CONTACT,
    )
}

/// Serves a reference page around `document` at `path` and lists it in the
/// index; returns its URL.
pub fn add_page(
    site: &DocsSite,
    path: &str,
    title: &str,
    fence_info: &str,
    document: &str,
) -> String {
    let text = page(site, title, fence_info, document);
    site.serve(path, 200, "text/markdown", &text);
    let index = site.answers.lock().unwrap()["/llms.txt"].body.clone();
    let index = format!("{index}- [{title}]({}): new\n", site.url(path));
    site.serve("/llms.txt", 200, "text/plain", &index);
    site.url(path)
}
