//! Scoring a stream on all cores, with the results handed on in order.
//!
//! Three things happen at once: the calling thread reads the stream and
//! hands on results, and rayon's pool scores. The calling thread reads a
//! chunk, sends it to the pool, then takes the oldest chunk in flight back
//! (waiting for it if need be) and hands its results to the consumer, one
//! by one, in the order they were read. So reading, scoring and reporting
//! overlap, and neither the source nor the consumer has to be `Send`: the
//! readers of data files and the report writers stay on the calling thread.
//! `pipeline_weighed` hands each item back with its score, so the calling
//! thread frees them; `pipeline_made` moves each item into what the pool
//! makes of it (a report's text), so that items are freed on the pool and
//! the calling thread only reads and writes.
//!
//! At most [`IN_FLIGHT`] chunks are with the pool, and one more is being
//! read or handed on: memory is bounded by the chunk, whatever the length
//! of the stream. Many small chunks rather than two large ones keep the
//! pool fed while the calling thread reads and writes (see `IN_FLIGHT`).

use crate::pool::wait;
use rayon::prelude::*;
use std::collections::VecDeque;
use std::sync::mpsc;

/// Chunks with the pool at once, so that the pool never runs dry while the
/// calling thread reads or reports. With two, the pool held one chunk
/// while the calling thread handed on the one before and read the next,
/// and ran dry whenever that took longer than the pool's chunk: a
/// timeline of a CSV dataset on two cores had no unit being scored 13% of
/// the time. With six chunks of a quarter the size (`cli::score::CHUNK`),
/// 3%, and less memory in flight (7 quarter chunks instead of 3 whole).
const IN_FLIGHT: usize = 6;

/// Read `source` `chunk` items at a time, `score` each on all cores, and
/// call `consume` with every item and its score in the order of the
/// source. Stops at the first error `consume` returns (chunks already with
/// the pool are scored and dropped first).
pub fn pipeline<T, R, E>(
    source: impl Iterator<Item = T>,
    chunk: usize,
    score: impl Fn(&T) -> R + Sync,
    consume: impl FnMut(T, R) -> Result<(), E>,
) -> Result<(), E>
where
    T: Send,
    R: Send,
{
    pipeline_weighed(source, Chunk::count(chunk), |_| 0, score, consume)
}

// ------------------------------------------------------ chunks by weight

/// How much a chunk holds: at most `count` items, and no more items once
/// their weights add up to `budget` (a chunk always holds one at least).
/// Heavy items (a dense unit holds thousands of values) make short chunks,
/// so that the memory in flight is bounded by the weight, not only by the
/// count.
#[derive(Clone, Copy, Debug)]
pub struct Chunk {
    pub count: usize,
    pub budget: usize,
}

impl Chunk {
    /// Chunks of `count` items, whatever they weigh.
    pub fn count(count: usize) -> Chunk {
        Chunk {
            count,
            budget: usize::MAX,
        }
    }
}

/// [`pipeline`] with chunks cut by `weight` as well as by count (`Chunk`).
pub fn pipeline_weighed<T, R, E>(
    source: impl Iterator<Item = T>,
    chunk: Chunk,
    weight: impl Fn(&T) -> usize,
    score: impl Fn(&T) -> R + Sync,
    mut consume: impl FnMut(T, R) -> Result<(), E>,
) -> Result<(), E>
where
    T: Send,
    R: Send,
{
    let scored = |item: T| {
        let result = score(&item);
        (item, result)
    };
    pipeline_made(source, chunk, weight, scored, |(item, result)| {
        consume(item, result)
    })
}

// ------------------------------------------- items made into their results

/// [`pipeline_weighed`] with each item moved into `make` on the pool, and
/// dropped there: `consume` is given only what `make` made of each, in the
/// order of the source. A report made on the pool this way leaves the
/// calling thread only reading and writing, and the items (a unit and its
/// outcome) are freed on the thread that scored them.
pub fn pipeline_made<T, R, E>(
    source: impl Iterator<Item = T>,
    chunk: Chunk,
    weight: impl Fn(&T) -> usize,
    make: impl Fn(T) -> R + Sync,
    mut consume: impl FnMut(R) -> Result<(), E>,
) -> Result<(), E>
where
    T: Send,
    R: Send,
{
    let mut source = source.peekable();
    let count = chunk.count.max(1);
    let make = &make;
    rayon::in_place_scope(|scope| {
        let mut pending = VecDeque::with_capacity(IN_FLIGHT);
        loop {
            if source.peek().is_some() {
                let batch = take(&mut source, count, chunk.budget, &weight);
                let (send, receive) = mpsc::sync_channel(1);
                scope.spawn(move |_| {
                    let made: Vec<R> = batch.into_par_iter().map(make).collect();
                    // The receiver is gone only when the consumer stopped.
                    let _ = send.send(made);
                });
                pending.push_back(receive);
                if pending.len() < IN_FLIGHT && source.peek().is_some() {
                    continue;
                }
            }
            let Some(oldest) = pending.pop_front() else {
                return Ok(());
            };
            // A job that panicked dropped its sender; the scope carries
            // the panic on once it ends.
            let Some(made) = wait(&oldest) else {
                return Ok(());
            };
            for result in made {
                consume(result)?;
            }
        }
    })
}

/// The next chunk: up to `count` items, ended early once they weigh
/// `budget` or more (the item that reaches it is in the chunk).
fn take<T>(
    source: &mut impl Iterator<Item = T>,
    count: usize,
    budget: usize,
    weight: impl Fn(&T) -> usize,
) -> Vec<T> {
    let mut batch = Vec::new();
    let mut weighed = 0usize;
    for item in source.by_ref() {
        weighed = weighed.saturating_add(weight(&item));
        batch.push(item);
        if batch.len() >= count || weighed >= budget {
            break;
        }
    }
    batch
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::{Chunk, pipeline, pipeline_weighed};

    #[test]
    fn a_pool_of_one_thread_calling_it_does_not_wait_for_itself() {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let mut seen = Vec::new();
        pool.install(|| {
            pipeline(
                0..100u32,
                7,
                |n| n * 2,
                |n, r| {
                    seen.push((n, r));
                    Ok::<(), ()>(())
                },
            )
        })
        .unwrap();
        assert_eq!(seen, (0..100).map(|n| (n, n * 2)).collect::<Vec<_>>());
    }

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

    /// Chunks end at their count or once their weight reaches the budget,
    /// whichever comes first, and an item heavier than the budget still
    /// goes alone; every item is scored once, in order.
    #[test]
    fn chunks_are_cut_by_weight_as_well_as_by_count() {
        // Item n weighs n; the budget is 10, the count 4.
        let items = [1usize, 1, 1, 1, 1, 3, 8, 25, 2, 2];
        let mut source = items.into_iter();
        let mut cut = Vec::new();
        loop {
            let batch = super::take(&mut source, 4, 10, |n: &usize| *n);
            if batch.is_empty() {
                break;
            }
            cut.push(batch);
        }
        let expected = vec![vec![1, 1, 1, 1], vec![1, 3, 8], vec![25], vec![2, 2]];
        assert_eq!(cut, expected);
        let chunk = Chunk {
            count: 4,
            budget: 10,
        };
        let mut seen = Vec::new();
        let done: Result<(), ()> = pipeline_weighed(
            items.into_iter(),
            chunk,
            |n| *n,
            |n| n * 2,
            |n, twice| {
                seen.push((n, twice));
                Ok(())
            },
        );
        assert_eq!(done, Ok(()));
        assert_eq!(seen, items.map(|n| (n, n * 2)).to_vec());
    }

    /// However the chunks finish on the pool (here the early ones last,
    /// each item of the first chunks made slowly), what they made comes
    /// back in the order of the source, and no more than `IN_FLIGHT`
    /// chunks are taken ahead of the consumer; the consumer's first error
    /// stops the stream there.
    #[test]
    fn chunks_done_out_of_order_come_back_in_order() {
        use std::cell::Cell;
        let taken = Cell::new(0u32);
        let source = (0..400u32).inspect(|_| taken.set(taken.get() + 1));
        let mut seen = Vec::new();
        let done = super::pipeline_made(
            source,
            Chunk::count(5),
            |_| 1,
            |n: u32| {
                if n < 20 {
                    std::thread::sleep(std::time::Duration::from_millis(2));
                }
                n * 3
            },
            |m| {
                if seen.is_empty() {
                    // The chunks in flight, and the one item looked at to
                    // know that the source goes on.
                    let ahead = 5 * super::IN_FLIGHT + 1;
                    assert!(taken.get() as usize <= ahead, "{}", taken.get());
                }
                seen.push(m);
                if m == 3 * 301 { Err(m) } else { Ok(()) }
            },
        );
        assert_eq!(done, Err(903));
        assert_eq!(seen, (0..=301).map(|n| n * 3).collect::<Vec<_>>());
    }

    /// Each item is moved into `make` and what it made comes back in the
    /// order of the source, whatever the chunks; the first error of the
    /// consumer stops the stream.
    #[test]
    fn items_made_on_the_pool_come_back_in_order() {
        for count in [1, 3, 64] {
            let chunk = Chunk { count, budget: 5 };
            let mut seen = Vec::new();
            let done: Result<(), ()> = super::pipeline_made(
                (0..200u32).map(|n| vec![n; 3]),
                chunk,
                |v| v.len(),
                |v: Vec<u32>| v.iter().sum::<u32>(),
                |sum| {
                    seen.push(sum);
                    Ok(())
                },
            );
            assert_eq!(done, Ok(()));
            assert_eq!(seen, (0..200).map(|n| n * 3).collect::<Vec<_>>());
        }
        let mut seen = 0;
        let done = super::pipeline_made(
            0..1000u32,
            Chunk::count(10),
            |_| 1,
            |n| n,
            |n| {
                seen += 1;
                if n == 25 { Err(n) } else { Ok(()) }
            },
        );
        assert_eq!((done, seen), (Err(25), 26));
    }
}
