//! The `kaohe` command. Its allocator is mimalloc: reading a dataset makes
//! hundreds of small boxes and texts a unit, and glibc's malloc and free
//! were about a quarter of the instructions (docs/performance.md, round 16).
//! Only the binary chooses it; the library leaves the choice to its users.

use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    kaohe::run_cli()
}
