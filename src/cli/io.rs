//! Standard output and standard error, the same way for every subcommand.
//!
//! - Everything a command prints on standard output goes through [`print`]
//!   or [`Stdout`], which remember the first failure; [`finish`] then
//!   decides the exit: a reader that went away (`kaohe eval … | head`,
//!   EPIPE) ends the command quietly with the status it had; any other
//!   failure (standard output closed, a full disk) is reported as K0912
//!   and the command exits 2, never 0 and never with a panic.
//! - Standard error is written with [`say`], which ignores failures: when
//!   there is no one to tell, kaohe does not abort for it.

use crate::diagnostic::{Code, Diagnostic, Lang};
use crate::t;
use std::io::{self, Write};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU8, Ordering};

/// The first failure to write standard output.
static FAILED: Mutex<Option<(io::ErrorKind, String)>> = Mutex::new(None);

/// The language the command speaks in, for the panic message (0 English, 1 Chinese).
static LANG: AtomicU8 = AtomicU8::new(0);

pub(crate) fn set_lang(lang: Lang) {
    LANG.store(u8::from(lang == Lang::Zh), Ordering::Relaxed);
}

pub(crate) fn lang() -> Lang {
    if LANG.load(Ordering::Relaxed) == 1 {
        Lang::Zh
    } else {
        Lang::En
    }
}

fn record(e: &io::Error) {
    if let Ok(mut f) = FAILED.lock()
        && f.is_none()
    {
        *f = Some((e.kind(), e.to_string()));
    }
}

/// Whether standard output was closed when kaohe started. The Rust
/// runtime then opens /dev/null in its place (read-write, which no shell
/// redirection does), so that everything written would vanish without an
/// error; kaohe tells that file apart on Linux by /proc.
fn closed_at_start() -> bool {
    static CLOSED: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *CLOSED.get_or_init(|| {
        let Ok(link) = std::fs::read_link("/proc/self/fd/1") else {
            return false;
        };
        if link != std::path::Path::new("/dev/null") {
            return false;
        }
        let Ok(info) = std::fs::read_to_string("/proc/self/fdinfo/1") else {
            return false;
        };
        info.lines()
            .find_map(|l| l.strip_prefix("flags:"))
            .and_then(|f| u32::from_str_radix(f.trim(), 8).ok())
            // O_ACCMODE == O_RDWR
            .is_some_and(|flags| flags & 0o3 == 0o2)
    })
}

/// Standard output as a writer that remembers its first failure.
pub(crate) struct Stdout;

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if closed_at_start() {
            let e = io::Error::from_raw_os_error(9); // EBADF
            record(&e);
            return Err(e);
        }
        io::stdout().lock().write(buf).inspect_err(record)
    }

    fn flush(&mut self) -> io::Result<()> {
        io::stdout().lock().flush().inspect_err(record)
    }
}

/// Print on standard output; a failure is remembered for [`finish`].
pub(crate) fn print(s: &str) -> io::Result<()> {
    Stdout.write_all(s.as_bytes())
}

/// Write on standard error, ignoring failure.
pub(crate) fn say(s: &str) {
    let mut e = io::stderr().lock();
    let _ = e.write_all(s.as_bytes());
    let _ = e.flush();
}

/// Whether standard output failed otherwise than by its reader going away.
pub(crate) fn broken() -> Option<(io::ErrorKind, String)> {
    FAILED.lock().ok().and_then(|f| f.clone())
}

/// The status a command ends with, once standard output is flushed: see
/// the module's rules.
pub(crate) fn finish(status: super::Status, render: impl Fn(&Diagnostic)) -> super::Status {
    let _ = Stdout.flush();
    match broken() {
        None => status,
        Some((io::ErrorKind::BrokenPipe, _)) => status,
        Some((kind, message)) => {
            let why = crate::output::file::io_reason(&io::Error::new(kind, message));
            let why = if closed_at_start() {
                t!("it is closed", "标准输出已关闭")
            } else {
                why
            };
            let d = Diagnostic::new(
                Code::StdoutFailed,
                t!(
                    "cannot write the output to standard output: {}",
                    "无法将结果写入标准输出：{}",
                    why
                ),
            )
            .with_help(t!(
                "the output is incomplete or missing: do not use it; write it to a file with -o FILE (where the command has it) or redirect standard output to a file on a disk with free space",
                "输出不完整或缺失，请勿使用；请用 -o FILE 写入文件（如该命令支持），或将标准输出重定向到有剩余空间的磁盘上的文件"
            ));
            render(&d);
            status.max(super::Status::Usage)
        }
    }
}
