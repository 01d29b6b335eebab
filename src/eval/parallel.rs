//! Scoring a stream on all cores, with the results handed on in order.
//!
//! Three things happen at once: the calling thread reads the stream and
//! hands on results, and rayon's pool scores. The calling thread reads a
//! chunk, sends it to the pool, then takes the oldest chunk in flight back
//! (waiting for it if need be) and hands its results to the consumer, one
//! by one, in the order they were read. So reading, scoring and reporting
//! overlap, and neither the source nor the consumer has to be `Send`: the
//! readers of data files and the report writers stay on the calling thread,
//! which also frees what it read there (memory freed on the thread that
//! allocated it stays cheap).
//!
//! At most [`IN_FLIGHT`] chunks are with the pool, and one more is being
//! read or handed on: memory is bounded by the chunk, whatever the length
//! of the stream.

use rayon::prelude::*;
use std::collections::VecDeque;
use std::sync::mpsc;

/// Chunks with the pool at once: one being scored while the next waits, so
/// that the pool never runs dry while the calling thread reads or reports.
const IN_FLIGHT: usize = 2;

/// Read `source` `chunk` items at a time, `score` each on all cores, and
/// call `consume` with every item and its score in the order of the
/// source. Stops at the first error `consume` returns (chunks already with
/// the pool are scored and dropped first).
pub fn pipeline<T, R, E>(
    source: impl Iterator<Item = T>,
    chunk: usize,
    score: impl Fn(&T) -> R + Sync,
    mut consume: impl FnMut(T, R) -> Result<(), E>,
) -> Result<(), E>
where
    T: Send,
    R: Send,
{
    let mut source = source.peekable();
    let chunk = chunk.max(1);
    let score = &score;
    rayon::in_place_scope(|scope| {
        let mut pending = VecDeque::with_capacity(IN_FLIGHT);
        loop {
            if source.peek().is_some() {
                let batch: Vec<T> = source.by_ref().take(chunk).collect();
                let (send, receive) = mpsc::sync_channel(1);
                scope.spawn(move |_| {
                    let scored: Vec<(T, R)> = batch
                        .into_par_iter()
                        .map(|item| {
                            let result = score(&item);
                            (item, result)
                        })
                        .collect();
                    // The receiver is gone only when the consumer stopped.
                    let _ = send.send(scored);
                });
                pending.push_back(receive);
                if pending.len() < IN_FLIGHT && source.peek().is_some() {
                    continue;
                }
            }
            let Some(oldest) = pending.pop_front() else {
                return Ok(());
            };
            // A scoring job that panicked dropped its sender; the scope
            // carries the panic on once it ends.
            let Ok(scored) = oldest.recv() else {
                return Ok(());
            };
            for (item, result) in scored {
                consume(item, result)?;
            }
        }
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::pipeline;

    #[test]
    fn results_come_in_the_order_of_the_source() {
        for chunk in [1, 3, 7, 100] {
            let mut seen = Vec::new();
            let done: Result<(), ()> = pipeline(
                0..50u32,
                chunk,
                |n| n * n,
                |n, sq| {
                    seen.push((n, sq));
                    Ok(())
                },
            );
            assert_eq!(done, Ok(()));
            assert_eq!(seen, (0..50).map(|n| (n, n * n)).collect::<Vec<_>>());
        }
    }

    #[test]
    fn an_empty_source_consumes_nothing() {
        let done: Result<(), ()> = pipeline(std::iter::empty::<u8>(), 4, |_| 0, |_, _| Err(()));
        assert_eq!(done, Ok(()));
    }

    #[test]
    fn the_first_error_of_the_consumer_stops_the_stream() {
        let mut seen = 0;
        let done = pipeline(
            0..1000u32,
            10,
            |n| *n,
            |n, _| {
                seen += 1;
                if n == 25 { Err(n) } else { Ok(()) }
            },
        );
        assert_eq!(done, Err(25));
        assert_eq!(seen, 26);
    }
}
