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
//! An [incremental](super::incremental) export
//! ([`NdjsonFile::open_incremental`]) appends each run's changes to the same
//! files and keeps a fourth, `FILE.state.json`: the [`Watermark`] the next
//! run starts from, replaced only when a run completes (after its finished
//! checkpoint, so a crash between the two is completed on the next open).
//! To hand the output to a loader between runs, move `FILE` away and delete
//! `FILE.checkpoint.json`: the state carries on into a new `FILE`.
//!
//! [`SessionExport`]: super::SessionExport
//! [`FailedSession`]: super::FailedSession
//! [`Watermark`]: super::Watermark

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::atomic::{self, beside};
use super::incremental::state_file;
use super::{Checkpoint, Record, Watermark};

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
    /// `FILE.state.json`, for an incremental export.
    state_path: Option<PathBuf>,
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
        let (file, _) = Self::open_files(path, query)?;
        if file.checkpoint.watermark().is_some() {
            return Err(invalid(format!(
                "{} holds an incremental export; open it with NdjsonFile::open_incremental",
                path.display()
            )));
        }
        Ok(file)
    }

    /// Opens `path` for an [incremental](super::incremental) export of the
    /// sessions `query` selects: the first run exports everything; each later
    /// one, what changed since the watermark in `FILE.state.json`, appended.
    /// [`checkpoint`](Self::checkpoint) is the run to give the exporter: a new
    /// one from the saved watermark, or the one a killed run left (which
    /// keeps its watermark until it completes). [`save`](Self::save) with a
    /// finished checkpoint replaces the state.
    ///
    /// ```no_run
    /// use opencx_api::export::{ndjson::NdjsonFile, Exporter};
    ///
    /// # fn run(client: opencx_api::Client) -> std::io::Result<()> {
    /// let file = NdjsonFile::open_incremental("sessions.ndjson", &"every session")?;
    /// match file.checkpoint().watermark().and_then(|w| w.after()) {
    ///     Some(after) => println!("exporting what changed since {after}"),
    ///     None => println!("first run: exporting everything"),
    /// }
    /// let exporter = Exporter::list(&client, |s| s).resume_from(file.checkpoint().clone());
    /// # let _ = exporter;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// As [`open`](Self::open), and: `FILE.state.json` is corrupt, not a state
    /// file, or for other criteria; it is missing, or holds another watermark,
    /// while the checkpoint says a run started from one; the output holds an
    /// export that is not incremental. Every message names the file.
    pub fn open_incremental(path: impl AsRef<Path>, query: &impl Serialize) -> io::Result<Self> {
        let path = path.as_ref();
        // Not the same criteria as a one-off export of `query`: neither
        // appends to the other.
        let query = serde_json::json!({ "incremental": query });
        let state_path = Self::state_path(path);
        let state = state_file::read(&state_path, &query)?;
        let (mut file, resumed) = Self::open_files(path, query)?;
        file.state_path = Some(state_path.clone());
        if !resumed {
            // A new output: the watermark carries on from the state, if any.
            file.checkpoint = Checkpoint::changes_since(state.unwrap_or_default());
            return Ok(file);
        }
        let Some(since) = file.checkpoint.watermark().cloned() else {
            return Err(invalid(format!(
                "{} holds an export that is not incremental; choose another file",
                path.display()
            )));
        };
        let next = file.checkpoint.next_watermark();
        let saved = state.clone().unwrap_or_default();
        if next.as_ref() == Some(&saved) {
            // The last run completed and its state was saved: a new run.
            file.checkpoint = Checkpoint::changes_since(saved);
        } else if saved == since {
            // (A missing state is the default: only a run from no watermark
            // may lack one.)
            if let Some(next) = next {
                // The last run completed but stopped before saving its state.
                state_file::write(&state_path, &file.query, &next)?;
                file.checkpoint = Checkpoint::changes_since(next);
            }
            // Otherwise a run was interrupted: it resumes from its checkpoint.
        } else {
            return Err(invalid(format!(
                "{} does not match {}: the state {} but the checkpoint's run started from {}; \
                 restore the state file or start a new output",
                state_path.display(),
                file.checkpoint_path.display(),
                match &state {
                    Some(state) => format!("holds {}", describe(state)),
                    None => "is missing".to_string(),
                },
                describe(&since),
            )));
        }
        Ok(file)
    }

    /// The files, cut back to what the checkpoint covers, and whether there
    /// was a checkpoint to resume from.
    fn open_files(path: &Path, query: serde_json::Value) -> io::Result<(Self, bool)> {
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
        let resumed = saved.is_some();
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
        let file = Self {
            out,
            failed,
            checkpoint_path,
            query,
            checkpoint: saved.checkpoint,
            out_bytes: saved.out_bytes,
            failed_bytes: saved.failed_bytes,
            state_path: None,
        };
        Ok((file, resumed))
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

    /// `FILE.state.json` beside `FILE`: an incremental export's watermark.
    ///
    /// ```
    /// use opencx_api::export::ndjson::NdjsonFile;
    /// assert_eq!(NdjsonFile::state_path("s.ndjson"), std::path::Path::new("s.ndjson.state.json"));
    /// ```
    pub fn state_path(path: impl AsRef<Path>) -> PathBuf {
        beside(path.as_ref(), ".state.json")
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
    /// (it is then finished), or stops with an error. For an incremental
    /// export, a finished checkpoint also replaces `FILE.state.json` with the
    /// next watermark, after the checkpoint itself.
    pub fn save(&mut self, checkpoint: &Checkpoint) -> io::Result<()> {
        self.checkpoint = checkpoint.clone();
        let saved = Saved {
            query: self.query.clone(),
            checkpoint: self.checkpoint.clone(),
            out_bytes: self.out_bytes,
            failed_bytes: self.failed_bytes,
        };
        // Replaced whole: never half of each.
        atomic::replace(
            &self.checkpoint_path,
            &serde_json::to_vec(&saved).map_err(io::Error::other)?,
        )?;
        if let (Some(state_path), Some(next)) = (&self.state_path, self.checkpoint.next_watermark())
        {
            state_file::write(state_path, &self.query, &next)?;
        }
        Ok(())
    }
}

/// A watermark as a person reads it.
fn describe(watermark: &Watermark) -> String {
    match watermark.after() {
        Some(after) => format!(
            "the watermark {}",
            after.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
        ),
        None => "no watermark (a full export)".to_string(),
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

fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message)
}
