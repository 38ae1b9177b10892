//! Where each part of the merged document came from: the vendored file, and
//! for a part the overlay gave a name of ours, its pointer in that file, so
//! that every message names the file and the pointer a maintainer can open.

use std::collections::BTreeMap;

/// Which file each part of the merged document came from, so that a problem
/// found later (by the overlay or the converter) can name the file, and, for
/// a part the overlay moved (a named type), where it stands in that file.
#[derive(Debug, Default, Clone)]
pub struct Origins(BTreeMap<String, Origin>);

#[derive(Debug, Clone)]
struct Origin {
    file: String,
    /// The pointer in `file` of what now stands at the recorded pointer,
    /// when that differs.
    upstream: Option<String>,
}

impl Origins {
    pub fn record(&mut self, pointer: String, file: &str) {
        self.0.entry(pointer).or_insert_with(|| Origin {
            file: file.to_string(),
            upstream: None,
        });
    }

    /// Records that what stands at `pointer` came from `upstream` in `file`
    /// (the overlay gave a schema a name of ours).
    pub fn record_moved(&mut self, pointer: String, file: &str, upstream: &str) {
        self.0.insert(
            pointer,
            Origin {
                file: file.to_string(),
                upstream: Some(upstream.to_string()),
            },
        );
    }

    /// The longest recorded prefix of `pointer`, with its origin.
    fn find(&self, pointer: &str) -> Option<(&String, &Origin)> {
        self.0
            .iter()
            .filter(|(prefix, _)| {
                pointer == prefix.as_str() || pointer.starts_with(&format!("{prefix}/"))
            })
            .max_by_key(|(prefix, _)| prefix.len())
    }

    /// The file behind the longest recorded prefix of `pointer`.
    pub fn locate(&self, pointer: &str) -> Option<&str> {
        self.find(pointer).map(|(_, origin)| origin.file.as_str())
    }

    /// `file#pointer` for messages, the pointer as it stands in that file; or
    /// `merged document#pointer`.
    pub fn describe(&self, pointer: &str) -> String {
        match self.find(pointer) {
            Some((
                prefix,
                Origin {
                    file,
                    upstream: Some(upstream),
                },
            )) => format!("{file}#{upstream}{}", &pointer[prefix.len()..]),
            Some((_, origin)) => format!("{}#{pointer}", origin.file),
            None => format!("merged document#{pointer}"),
        }
    }
}
