//! Files replaced whole: a reader finds the old content or the new one,
//! never half of each, even after a crash or a power cut.

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Replaces `path` with `bytes`: written and synced beside it, then renamed
/// over it.
pub(crate) fn replace(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let aside = beside(path, ".tmp");
    let mut file = File::create(&aside)?;
    file.write_all(bytes)?;
    file.sync_data()?;
    std::fs::rename(&aside, path)
}

/// `path` with `suffix` appended to its file name.
pub(crate) fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}
