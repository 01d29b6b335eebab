//! Waiting for what a task sent to the rayon pool brings back, from any
//! thread: the JSON reading's batches (`data::json::prescan`) and the
//! scored chunks (`eval::parallel`) both wait this way.

use std::sync::mpsc;

/// What `receive` brings once its task is done; `None` when the task
/// panicked. On a thread of a rayon pool (an embedder calling from inside
/// one) the thread runs the pool's waiting tasks while it waits: blocking
/// would leave a pool of one thread waiting for itself.
pub(crate) fn wait<S>(receive: &mpsc::Receiver<S>) -> Option<S> {
    loop {
        match receive.try_recv() {
            Ok(done) => return Some(done),
            Err(mpsc::TryRecvError::Disconnected) => return None,
            Err(mpsc::TryRecvError::Empty) => {}
        }
        if rayon::yield_now() != Some(rayon::Yield::Executed) {
            return receive.recv().ok();
        }
    }
}
