//! Writing an output file (`-o FILE`, `kaohe fmt`, the template's files):
//! the one writer every subcommand that writes a file uses.
//!
//! - A regular file (or a new one) is written whole or not at all: the
//!   bytes go to an unnamed temporary file in the target's folder
//!   (Linux `O_TMPFILE`, so a `kill -9` leaves nothing behind; elsewhere,
//!   and during a commit's final sync, a hidden `.NAME.XXXXXX` file, which
//!   the next write of the target sweeps away) which replaces the target
//!   only on [`Target::commit`]. The target's permissions (and, where allowed, its
//!   owner) are kept; a new file gets the usual `0666` less the umask.
//!   This is the `atomic-write-file` crate's job.
//! - A symbolic link is followed, deliberately: the file it points to is
//!   written and the link stays.
//! - A FIFO, `/dev/null` or another device is written through (it cannot be
//!   replaced): its bytes are held until [`Target::commit`] and then
//!   written, so that a failed command writes nothing there either.
//! - A read-only file is refused ([`FileError::ReadOnly`], K0911), as is a
//!   folder.

use crate::diagnostic::{Code, Diagnostic};
use crate::t;
use atomic_write_file::AtomicWriteFile;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::thread;

/// Why a file could not be written.
#[derive(Debug)]
pub enum FileError {
    /// The file (or the file a link points to) may not be written.
    ReadOnly(PathBuf),
    /// The path names a folder.
    Folder,
    /// The system refused (no such folder, disk full, …).
    Io(io::Error),
}

impl FileError {
    /// The diagnostic of a file named `name` (as the user wrote it).
    pub fn to_diagnostic(&self, name: &str) -> Diagnostic {
        match self {
            FileError::ReadOnly(real) => {
                let real = real.display().to_string();
                Diagnostic::new(
                    Code::ReadOnlyOutput,
                    t!(
                        "{name} is read-only: kaohe does not replace it",
                        "{name} 是只读文件：kaohe 不会覆盖它"
                    ),
                )
                .in_file(name)
                .with_help(t!(
                    "write to another file with -o, or make {real} writable first (e.g. `chmod u+w {real}`)",
                    "请用 -o 写入另一个文件，或先将 {real} 改为可写（如 `chmod u+w {real}`）"
                ))
            }
            FileError::Folder => Diagnostic::new(
                Code::Io,
                t!(
                    "cannot write {name}: it is a folder",
                    "无法写入 {name}：这是一个文件夹"
                ),
            )
            .in_file(name)
            .with_help(t!(
                "name a file inside it with -o, e.g. `-o {name}/report.csv`",
                "请用 -o 指定其中的一个文件，如 `-o {name}/report.csv`"
            )),
            FileError::Io(e) => {
                let why = io_reason(e);
                Diagnostic::new(
                    Code::Io,
                    t!("cannot write {name}: {}", "无法写入 {name}：{}", why),
                )
                .in_file(name)
                .with_help(t!(
                    "nothing was written to {name}; free some space or choose another place with -o, then run the command again",
                    "{name} 未被写入；请腾出磁盘空间或用 -o 选择其他位置后重新运行"
                ))
            }
        }
    }
}

/// Why the system refused, in both languages for the commonest causes.
pub fn io_reason(e: &io::Error) -> crate::diagnostic::Text {
    use io::ErrorKind as K;
    match e.kind() {
        K::StorageFull => t!("the disk is full", "磁盘已满"),
        K::NotFound => t!("its folder does not exist", "所在文件夹不存在"),
        K::PermissionDenied => t!("permission denied", "没有写入权限"),
        K::ReadOnlyFilesystem => t!("the disk is read-only", "磁盘为只读"),
        K::QuotaExceeded => t!("the disk quota is used up", "磁盘配额已用完"),
        _ => {
            let e = e.to_string();
            t!("{e}", "{e}")
        }
    }
}

/// A file being written; nothing reaches the file before [`Target::commit`].
pub struct Target {
    kind: Kind,
}

enum Kind {
    Atomic(Box<AtomicWriteFile>, Syncer),
    /// A FIFO or device: its bytes, held until the commit.
    Through(std::fs::File, Vec<u8>),
}

/// The file a path names, its symbolic links followed (at most 40 of them,
/// as the system allows).
fn resolve(path: &Path) -> io::Result<PathBuf> {
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let to = std::fs::read_link(&p)?;
                p = if to.is_absolute() {
                    to
                } else {
                    p.parent().unwrap_or(Path::new("")).join(to)
                };
            }
            _ => return Ok(p),
        }
    }
    Err(io::Error::other(
        "too many levels of symbolic links / 符号链接层数过多",
    ))
}

/// Remove what a killed kaohe left beside `real`: the named temporary
/// file `.NAME.XXXXXX` that exists between the link and the rename of a
/// commit (a `kill -9` during its final sync leaves it), and the
/// `.NAME.tmp-PID` files of kaohe before 0.1's shared writer. Only files
/// untouched for a minute are taken, so that another kaohe writing the same
/// file at the same moment keeps its own.
fn sweep(real: &Path) {
    let (Some(dir), Some(name)) = (real.parent(), real.file_name()) else {
        return;
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let prefix = format!(".{}.", name.to_string_lossy());
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file = entry.file_name();
        let file = file.to_string_lossy();
        let Some(rest) = file.strip_prefix(&prefix) else {
            continue;
        };
        let ours = (rest.len() == 6 && rest.bytes().all(|b| b.is_ascii_alphanumeric()))
            || rest
                .strip_prefix("tmp-")
                .is_some_and(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()));
        let stale = entry.metadata().ok().is_some_and(|m| {
            m.is_file()
                && m.modified()
                    .ok()
                    .and_then(|t| t.elapsed().ok())
                    .is_some_and(|age| age.as_secs() >= 60)
        });
        if ours && stale {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

impl Target {
    /// Open `path` for writing, as the module's rules say.
    pub fn open(path: &Path) -> Result<Target, FileError> {
        let real = resolve(path).map_err(FileError::Io)?;
        match std::fs::metadata(&real) {
            Ok(m) if m.is_dir() => return Err(FileError::Folder),
            Ok(m) if !m.is_file() => {
                // A FIFO, device or socket: written through.
                let f = std::fs::OpenOptions::new()
                    .write(true)
                    .open(&real)
                    .map_err(|e| match e.kind() {
                        io::ErrorKind::PermissionDenied => FileError::ReadOnly(real.clone()),
                        _ => FileError::Io(e),
                    })?;
                return Ok(Target {
                    kind: Kind::Through(f, Vec::new()),
                });
            }
            Ok(m) => {
                // Refuse a read-only file rather than replace it: by its
                // mode (root may write anything), or because the system
                // will not open it for writing.
                let denied = m.permissions().readonly()
                    || matches!(
                        std::fs::OpenOptions::new().write(true).open(&real),
                        Err(e) if e.kind() == io::ErrorKind::PermissionDenied
                    );
                if denied {
                    return Err(FileError::ReadOnly(real));
                }
            }
            Err(_) => {}
        }
        sweep(&real);
        let file = AtomicWriteFile::options()
            .open(&real)
            .map_err(FileError::Io)?;
        Ok(Target {
            kind: Kind::Atomic(Box::new(file), Syncer::default()),
        })
    }

    /// Put the bytes written in place.
    pub fn commit(self) -> Result<(), FileError> {
        match self.kind {
            Kind::Atomic(f, syncer) => match syncer.finish() {
                Ok(()) => f.commit().map_err(FileError::Io),
                Err(e) => {
                    let _ = f.discard();
                    Err(FileError::Io(e))
                }
            },
            Kind::Through(mut f, bytes) => f
                .write_all(&bytes)
                .and_then(|()| f.flush())
                .map_err(FileError::Io),
        }
    }

    /// Leave the file as it was (also what dropping a target does).
    pub fn discard(self) {
        if let Kind::Atomic(f, _) = self.kind {
            let _ = f.discard();
        }
    }
}

impl Write for Target {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.kind {
            Kind::Atomic(f, syncer) => {
                let n = f.write(buf)?;
                syncer.wrote(n, f.as_file());
                Ok(n)
            }
            Kind::Through(_, held) => {
                held.extend_from_slice(buf);
                Ok(buf.len())
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.kind {
            Kind::Atomic(f, _) => f.flush(),
            Kind::Through(..) => Ok(()),
        }
    }
}

// ------------------------------------------------- syncing while writing

/// How many bytes are written between two background syncs.
const SYNC_EVERY: u64 = 8 << 20;

/// A long file made durable while it is being written. The commit syncs
/// the file before it puts it in place (the crate's `fsync`), and at the
/// end of a report of hundreds of megabytes that sync waited for all of it
/// to reach the disk (a quarter of a second for 300 MB, the cores idle).
/// So every [`SYNC_EVERY`] bytes a thread of its own syncs what has been
/// written so far, while the report goes on; the commit's sync then waits
/// only for the last part. A file under that size never starts the thread.
#[derive(Default)]
struct Syncer {
    /// Bytes written since the last sync was asked for.
    unsynced: u64,
    state: SyncState,
}

#[derive(Default)]
enum SyncState {
    #[default]
    Idle,
    /// The thread, and how to ask it for a sync.
    Running(mpsc::SyncSender<()>, thread::JoinHandle<io::Result<()>>),
    /// The thread could not be started: the commit's sync does it all, as
    /// before.
    Off,
}

impl Syncer {
    /// `n` more bytes were written to `file`.
    fn wrote(&mut self, n: usize, file: &std::fs::File) {
        let n = u64::try_from(n).unwrap_or(u64::MAX);
        self.unsynced = self.unsynced.saturating_add(n);
        if self.unsynced < SYNC_EVERY {
            return;
        }
        self.unsynced = 0;
        if matches!(self.state, SyncState::Idle) {
            self.state = start(file);
        }
        if let SyncState::Running(ask, _) = &self.state {
            // Full: a sync is still to come, which will take this part
            // too. Gone: a sync failed, and `finish` tells it.
            let _ = ask.try_send(());
        }
    }

    /// Wait for the sync under way; its failure is the file's. The thread's
    /// descriptor shares the file's, so an error of writing the data back
    /// that its sync was told of would not be told again to the commit's:
    /// it must not be lost here.
    fn finish(self) -> io::Result<()> {
        let SyncState::Running(ask, thread) = self.state else {
            return Ok(());
        };
        drop(ask);
        thread
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the sync of the file failed")))
    }
}

/// The thread that syncs `file` each time it is asked, until the asking
/// ends or a sync fails.
fn start(file: &std::fs::File) -> SyncState {
    let Ok(file) = file.try_clone() else {
        return SyncState::Off;
    };
    let (ask, asked) = mpsc::sync_channel::<()>(1);
    let spawned = thread::Builder::new()
        .name("kaohe-sync".into())
        .spawn(move || {
            for () in asked {
                file.sync_data()?;
            }
            Ok(())
        });
    match spawned {
        Ok(thread) => SyncState::Running(ask, thread),
        Err(_) => SyncState::Off,
    }
}

/// Write a whole file by [`Target`]'s rules.
pub fn write(path: &Path, bytes: &[u8]) -> Result<(), FileError> {
    let mut t = Target::open(path)?;
    match t.write_all(bytes) {
        Ok(()) => t.commit(),
        Err(e) => {
            t.discard();
            Err(FileError::Io(e))
        }
    }
}

/// Write a file whole or not at all, by the rules of [`write()`]
/// (links followed, devices written through, permissions kept, read-only
/// files refused).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write(path, bytes).map_err(|e| match e {
        FileError::Io(e) => e,
        other => std::io::Error::other(format!("{other:?}")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::{PermissionsExt, symlink};

    /// A test's own empty folder, removed when the test ends.
    struct Dir(PathBuf);

    impl std::ops::Deref for Dir {
        type Target = Path;
        fn deref(&self) -> &Path {
            &self.0
        }
    }

    impl AsRef<Path> for Dir {
        fn as_ref(&self) -> &Path {
            &self.0
        }
    }

    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn dir(name: &str) -> Dir {
        let d = std::env::temp_dir().join(format!("kaohe-file-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        Dir(d)
    }

    fn mode(p: &Path) -> u32 {
        std::fs::metadata(p).unwrap().permissions().mode() & 0o7777
    }

    #[test]
    fn a_link_is_followed_and_kept() {
        let d = dir("link");
        std::fs::write(d.join("real.csv"), "old").unwrap();
        symlink("real.csv", d.join("link.csv")).unwrap();
        write(&d.join("link.csv"), b"new").unwrap();
        assert!(
            std::fs::symlink_metadata(d.join("link.csv"))
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(d.join("real.csv")).unwrap(), "new");
        // A dangling link: the file it names is made.
        symlink("made.csv", d.join("dangling.csv")).unwrap();
        write(&d.join("dangling.csv"), b"x").unwrap();
        assert_eq!(std::fs::read_to_string(d.join("made.csv")).unwrap(), "x");
    }

    #[test]
    fn permissions_are_kept_and_read_only_files_refused() {
        let d = dir("perm");
        let p = d.join("secret.csv");
        std::fs::write(&p, "old").unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).unwrap();
        write(&p, b"new").unwrap();
        assert_eq!(mode(&p), 0o600);
        let ro = d.join("ro.csv");
        std::fs::write(&ro, "old").unwrap();
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o444)).unwrap();
        assert!(matches!(write(&ro, b"new"), Err(FileError::ReadOnly(_))));
        assert_eq!(std::fs::read_to_string(&ro).unwrap(), "old");
        assert!(matches!(write(&d, b"new"), Err(FileError::Folder)));
    }

    #[test]
    fn a_discarded_target_leaves_the_file_and_no_temporary_file() {
        let d = dir("discard");
        let p = d.join("r.csv");
        std::fs::write(&p, "old").unwrap();
        let mut t = Target::open(&p).unwrap();
        t.write_all(b"half").unwrap();
        t.discard();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "old");
        assert_eq!(std::fs::read_dir(&d).unwrap().count(), 1);
    }

    #[test]
    fn stale_temporary_files_are_swept_and_fresh_ones_kept() {
        let d = dir("sweep");
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        for name in [
            ".r.csv.AbC123",
            ".r.csv.tmp-4242",
            ".r.csv.fresh1",
            ".other.AbC123",
        ] {
            std::fs::write(d.join(name), "x").unwrap();
        }
        for name in [".r.csv.AbC123", ".r.csv.tmp-4242", ".other.AbC123"] {
            let f = std::fs::File::options()
                .write(true)
                .open(d.join(name))
                .unwrap();
            f.set_modified(old).unwrap();
        }
        write(&d.join("r.csv"), b"new").unwrap();
        let mut left: Vec<String> = std::fs::read_dir(&d)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, [".other.AbC123", ".r.csv.fresh1", "r.csv"]);
    }

    /// A file longer than `SYNC_EVERY` is synced on the way by the thread,
    /// and what the commit puts in place is every byte written, in order.
    #[test]
    fn a_long_file_synced_while_written_is_whole() {
        let d = dir("sync");
        let p = d.join("long.csv");
        let mut t = Target::open(&p).unwrap();
        let line: Vec<u8> = (0..=255u8).cycle().take(15_000).collect();
        let lines = usize::try_from(SYNC_EVERY).unwrap() * 3 / line.len();
        for _ in 0..lines {
            t.write_all(&line).unwrap();
        }
        let Kind::Atomic(_, syncer) = &t.kind else {
            panic!("a regular file is written atomically");
        };
        assert!(matches!(syncer.state, SyncState::Running(..)));
        t.commit().unwrap();
        let written = std::fs::read(&p).unwrap();
        assert_eq!(written.len(), lines * line.len());
        assert!(written.chunks(line.len()).all(|c| c == line.as_slice()));
    }

    /// A sync that fails on the way fails the commit: the thread's error
    /// is not lost (the commit's own sync might not be told it again).
    /// A device that cannot be synced stands for the failing disk.
    #[test]
    fn a_failed_sync_on_the_way_is_told() {
        let null = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/null")
            .unwrap();
        let mut syncer = Syncer::default();
        syncer.wrote(1, &null);
        assert!(matches!(syncer.state, SyncState::Idle));
        assert!(syncer.finish().is_ok());
        let mut syncer = Syncer::default();
        syncer.wrote(usize::try_from(SYNC_EVERY).unwrap(), &null);
        assert!(syncer.finish().is_err());
    }

    #[test]
    fn dev_null_stays_a_device() {
        write(Path::new("/dev/null"), b"x").unwrap();
        use std::os::unix::fs::FileTypeExt;
        assert!(
            std::fs::metadata("/dev/null")
                .unwrap()
                .file_type()
                .is_char_device()
        );
        let e = write(Path::new("/dev/full"), b"x").unwrap_err();
        assert!(matches!(e, FileError::Io(..)), "{e:?}");
    }
}
