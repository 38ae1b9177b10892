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
    ///
    /// Looks up `pointer` and each of its ancestors, longest first: the
    /// converter asks this for every schema it enters, so a scan of every
    /// record made regen quadratic in the document's size.
    fn find(&self, pointer: &str) -> Option<(&String, &Origin)> {
        std::iter::once(pointer.len())
            .chain(pointer.rmatch_indices('/').map(|(at, _)| at))
            .find_map(|end| self.0.get_key_value(&pointer[..end]))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_recorded_ancestor_names_the_file() {
        let mut origins = Origins::default();
        origins.record("".into(), "specs/all.json");
        origins.record("/paths/~1a".into(), "specs/a.json");
        origins.record("/paths/~1a/get".into(), "specs/a-get.json");
        origins.record_moved(
            "/components/schemas/Widget".into(),
            "specs/b.json",
            "/paths/~1b/get/responses/200",
        );
        assert_eq!(
            origins.locate("/paths/~1a/get/responses"),
            Some("specs/a-get.json")
        );
        assert_eq!(origins.locate("/paths/~1a"), Some("specs/a.json"));
        // `/paths/~1ab` is not inside `/paths/~1a`.
        assert_eq!(origins.locate("/paths/~1ab/get"), Some("specs/all.json"));
        assert_eq!(
            origins.describe("/components/schemas/Widget/properties/id"),
            "specs/b.json#/paths/~1b/get/responses/200/properties/id"
        );
        assert_eq!(
            Origins::default().describe("/info"),
            "merged document#/info"
        );
    }
}
