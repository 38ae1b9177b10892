//! An export written to NDJSON so that it can be killed at any moment and
//! resumed: each line whole or absent, the checkpoint never ahead of the file.
//!
//! Three files share the output's name: `FILE` (one [`SessionExport`] per
//! line), `FILE.failed.ndjson` (one [`FailedSession`] per line) and
//! `FILE.checkpoint.json`. Each record is appended with one write and synced
//! before the checkpoint, which also holds the length of both files, is
//! replaced (written aside, then renamed over the old one). Opening truncates
//! the files to those lengths, so a line cut short by a crash, or written
//! after the last checkpoint, is dropped and exported again.
//!
//! [`SessionExport`]: super::SessionExport
//! [`FailedSession`]: super::FailedSession

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{Checkpoint, Record};

/// What is saved beside the output.
#[derive(Serialize, Deserialize)]
struct Saved {
    /// The criteria the export was started with, so that a run with other
    /// criteria does not append to it.
    query: serde_json::Value,
    checkpoint: Checkpoint,
    out_bytes: u64,
    failed_bytes: u64,
}

/// An NDJSON export on disk, resumable. See the [module](self) for the files.
///
/// ```no_run
/// use futures::TryStreamExt;
/// use opencx_api::export::{ndjson::NdjsonFile, Exporter};
///
/// # async fn run(client: opencx_api::Client) -> Result<(), Box<dyn std::error::Error>> {
/// let request = opencx_api::types::SessionFilterRequest::default();
/// let mut file = NdjsonFile::open("sessions.ndjson", &request)?;
/// let mut export = Exporter::filter(&client, request).resume_from(file.checkpoint().clone()).stream();
/// while let Some(record) = export.try_next().await? {
///     file.write(&record, export.checkpoint())?;
/// }
/// file.save(export.checkpoint())?; // marks the export finished
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct NdjsonFile {
    out: File,
    failed: File,
    checkpoint_path: PathBuf,
    query: serde_json::Value,
    checkpoint: Checkpoint,
    out_bytes: u64,
    failed_bytes: u64,
}

impl NdjsonFile {
    /// Opens `path` to export the sessions `query` selects (any serializable
    /// description of the criteria: the filter request, command-line
    /// arguments). With a checkpoint beside it, the export resumes: the files
    /// are cut back to what the checkpoint covers. Without one, `path` must
    /// be absent or empty.
    ///
    /// # Errors
    /// The files cannot be read or written; the checkpoint is for another
    /// query; the output is shorter than its checkpoint says; or the output
    /// has content but no checkpoint.
    pub fn open(path: impl AsRef<Path>, query: &impl Serialize) -> io::Result<Self> {
        let path = path.as_ref();
        let query = serde_json::to_value(query).map_err(io::Error::other)?;
        let checkpoint_path = Self::checkpoint_path(path);
        let saved = match std::fs::read(&checkpoint_path) {
            Ok(bytes) => Some(serde_json::from_slice::<Saved>(&bytes).map_err(|e| {
                invalid(format!(
                    "{}: not a checkpoint: {e}",
                    checkpoint_path.display()
                ))
            })?),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(e),
        };
        let out = append(path)?;
        let failed = append(&Self::failed_path(path))?;
        let saved = match saved {
            Some(saved) if saved.query != query => {
                return Err(invalid(format!(
                    "{} holds an export of {}; choose another file for {query}",
                    path.display(),
                    saved.query
                )))
            }
            Some(saved) => saved,
            None if out.metadata()?.len() > 0 => {
                return Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    format!(
                        "{} has content but no checkpoint beside it; choose another file",
                        path.display()
                    ),
                ))
            }
            None => Saved {
                query: query.clone(),
                checkpoint: Checkpoint::default(),
                out_bytes: 0,
                failed_bytes: 0,
            },
        };
        for (file, bytes, name) in [
            (&out, saved.out_bytes, path.to_path_buf()),
            (&failed, saved.failed_bytes, Self::failed_path(path)),
        ] {
            let len = file.metadata()?.len();
            if len < bytes {
                return Err(invalid(format!(
                    "{} has {len} bytes, its checkpoint says {bytes}: it was changed since",
                    name.display()
                )));
            }
            // Drops a line cut short, or written after the checkpoint was saved.
            file.set_len(bytes)?;
        }
        Ok(Self {
            out,
            failed,
            checkpoint_path,
            query,
            checkpoint: saved.checkpoint,
            out_bytes: saved.out_bytes,
            failed_bytes: saved.failed_bytes,
        })
    }

    /// `FILE.checkpoint.json` beside `FILE`.
    ///
    /// ```
    /// use opencx_api::export::ndjson::NdjsonFile;
    /// assert_eq!(NdjsonFile::checkpoint_path("out/s.ndjson"), std::path::Path::new("out/s.ndjson.checkpoint.json"));
    /// ```
    pub fn checkpoint_path(path: impl AsRef<Path>) -> PathBuf {
        beside(path.as_ref(), ".checkpoint.json")
    }

    /// `FILE.failed.ndjson` beside `FILE`: the sessions that failed.
    ///
    /// ```
    /// use opencx_api::export::ndjson::NdjsonFile;
    /// assert_eq!(NdjsonFile::failed_path("s.ndjson"), std::path::Path::new("s.ndjson.failed.ndjson"));
    /// ```
    pub fn failed_path(path: impl AsRef<Path>) -> PathBuf {
        beside(path.as_ref(), ".failed.ndjson")
    }

    /// Where the files stand: resume an exporter from it.
    pub fn checkpoint(&self) -> &Checkpoint {
        &self.checkpoint
    }

    /// Appends `record` as one line (to the failures file if it failed), then
    /// saves `checkpoint`, the export's checkpoint after that record.
    pub fn write(&mut self, record: &Record, checkpoint: &Checkpoint) -> io::Result<()> {
        let (file, bytes) = match record {
            Record::Exported(export) => (&mut self.out, line(export)?),
            Record::Failed(failed) => (&mut self.failed, line(failed)?),
        };
        file.write_all(&bytes)?;
        // On disk before the checkpoint that counts it, even after a power cut.
        file.sync_data()?;
        match record {
            Record::Failed(_) => self.failed_bytes += bytes.len() as u64,
            _ => self.out_bytes += bytes.len() as u64,
        }
        self.save(checkpoint)
    }

    /// Saves `checkpoint` with the files as they are: after the stream ends
    /// (it is then finished), or stops with an error.
    pub fn save(&mut self, checkpoint: &Checkpoint) -> io::Result<()> {
        self.checkpoint = checkpoint.clone();
        let saved = Saved {
            query: self.query.clone(),
            checkpoint: self.checkpoint.clone(),
            out_bytes: self.out_bytes,
            failed_bytes: self.failed_bytes,
        };
        let aside = beside(&self.checkpoint_path, ".tmp");
        let mut file = File::create(&aside)?;
        file.write_all(&serde_json::to_vec(&saved).map_err(io::Error::other)?)?;
        file.sync_data()?;
        // A rename replaces the old checkpoint whole: never half of each.
        std::fs::rename(&aside, &self.checkpoint_path)
    }
}

fn line(value: &impl Serialize) -> io::Result<Vec<u8>> {
    let mut bytes = serde_json::to_vec(value).map_err(io::Error::other)?;
    bytes.push(b'\n');
    Ok(bytes)
}

fn append(path: &Path) -> io::Result<File> {
    OpenOptions::new().create(true).append(true).open(path)
}

fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message)
}
