//! A list written while it is still arriving: the core hands each entity on as
//! soon as it is decoded (`Users::list_each`) and a writer thread formats and
//! writes it meanwhile, so decoding and writing overlap instead of following
//! each other, and no list is ever held (docs/performance.md, "CLI: piped
//! lists").

use std::future::Future;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};

use crate::failure::{CliResult, Failure};

/// Entities per channel message: one hand-off per batch, not per entity.
const BATCH: usize = 256;
/// Batches in flight: the decoder waits when the writer is this far behind,
/// which bounds the memory between them.
const DEPTH: usize = 8;

enum Msg<T> {
    Batch(Vec<T>),
    /// The producer finished without error: the output may be closed.
    Done,
}

/// The producer's half: [`Feed::push`] each entity in order.
pub struct Feed<T> {
    tx: SyncSender<Msg<T>>,
    batch: Vec<T>,
}

impl<T> Feed<T> {
    /// Queues one entity; `false` once the writer has stopped (the producer
    /// should stop too).
    pub fn push(&mut self, item: T) -> bool {
        self.batch.push(item);
        if self.batch.len() < BATCH {
            return true;
        }
        let full = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
        self.tx.send(Msg::Batch(full)).is_ok()
    }
}

impl<T> Drop for Feed<T> {
    /// The last, partial batch goes when the producer lets go of its feed.
    fn drop(&mut self) {
        if !self.batch.is_empty() {
            let _ = self.tx.send(Msg::Batch(std::mem::take(&mut self.batch)));
        }
    }
}

/// The writer's half: the entities in order, then an error instead of the end
/// when the producer failed (so the writer does not close the output as if it
/// were complete).
pub struct Received<T> {
    rx: Receiver<Msg<T>>,
    batch: std::vec::IntoIter<T>,
}

impl<T> Iterator for Received<T> {
    type Item = CliResult<T>;

    fn next(&mut self) -> Option<CliResult<T>> {
        loop {
            if let Some(item) = self.batch.next() {
                return Some(Ok(item));
            }
            match self.rx.recv() {
                Ok(Msg::Batch(batch)) => self.batch = batch.into_iter(),
                Ok(Msg::Done) => return None,
                Err(_) => return Some(Err(Failure::usage("the list stopped before its end"))),
            }
        }
    }
}

/// Runs `write` on its own thread over what `produce` pushes into its [`Feed`].
/// The producer's error wins (the writer then stops where it is); otherwise
/// the writer's result is the outcome.
pub async fn piped<T, P, W>(produce: impl FnOnce(Feed<T>) -> P, write: W) -> CliResult
where
    T: Send + 'static,
    P: Future<Output = CliResult>,
    W: FnOnce(Received<T>) -> CliResult + Send + 'static,
{
    let (tx, rx) = sync_channel(DEPTH);
    let done = tx.clone();
    let writer = std::thread::spawn(move || write(Received { rx, batch: Vec::new().into_iter() }));
    let produced = produce(Feed { tx, batch: Vec::with_capacity(BATCH) }).await;
    if produced.is_ok() {
        let _ = done.send(Msg::Done);
    }
    drop(done);
    let written = writer.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    produced.and(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(received: Received<u32>) -> (Vec<u32>, bool) {
        let mut got = Vec::new();
        for item in received {
            match item {
                Ok(n) => got.push(n),
                Err(_) => return (got, false),
            }
        }
        (got, true)
    }

    #[tokio::test]
    async fn everything_arrives_in_order_then_the_end() {
        let (tx, rx) = std::sync::mpsc::channel();
        let out = piped(
            |mut feed| async move {
                for n in 0..1000 {
                    assert!(feed.push(n));
                }
                Ok(())
            },
            move |received| {
                tx.send(collect(received)).unwrap();
                Ok(())
            },
        )
        .await;
        assert!(out.is_ok());
        let (got, ended) = rx.recv().unwrap();
        assert_eq!(got, (0..1000).collect::<Vec<_>>());
        assert!(ended, "a finished producer ends the stream");
    }

    #[tokio::test]
    async fn a_failed_producer_is_no_end_and_its_error_wins() {
        let (tx, rx) = std::sync::mpsc::channel();
        let out = piped(
            |mut feed| async move {
                for n in 0..300 {
                    feed.push(n);
                }
                Err(Failure::usage("server went away"))
            },
            move |received| {
                tx.send(collect(received)).unwrap();
                Err(Failure::usage("the writer's own"))
            },
        )
        .await;
        assert_eq!(out.unwrap_err().message, "server went away");
        let (got, ended) = rx.recv().unwrap();
        assert_eq!(got.len(), 300, "what was produced before the failure is handed on");
        assert!(!ended, "the writer must not see an end it could close the output on");
    }

    #[tokio::test]
    async fn a_stopped_writer_stops_the_producer() {
        let out = piped(
            |mut feed| async move {
                let mut n = 0;
                while feed.push(n) {
                    n += 1;
                    assert!(n < 1_000_000, "the producer was never told to stop");
                }
                Ok(())
            },
            |mut received: Received<u32>| {
                received.next();
                Ok(())
            },
        )
        .await;
        assert!(out.is_ok());
    }
}
