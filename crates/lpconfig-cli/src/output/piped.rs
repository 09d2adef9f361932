//! A list written while it is still arriving: the core hands each entity on as
//! soon as it is decoded (`Users::list_each`) and a writer thread formats and
//! writes it meanwhile, so decoding and writing overlap instead of following
//! each other, and no list is ever held (docs/performance.md, "CLI: piped
//! lists").

use std::future::Future;
use std::ops::Deref;
use std::sync::mpsc::{channel, sync_channel, Receiver, Sender, SyncSender};
use std::sync::{Arc, Mutex};

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
    /// Entities the writer is done with, sent back to be dropped here: the thread
    /// that allocated them frees them, which glibc's allocator does far faster
    /// than a free from another thread (docs/performance.md, "CLI: piped lists").
    written: Receiver<Vec<T>>,
}

impl<T> Feed<T> {
    /// Queues one entity; `false` once the writer has stopped (the producer
    /// should stop too).
    pub fn push(&mut self, item: T) -> bool {
        self.batch.push(item);
        if self.batch.len() < BATCH {
            return true;
        }
        while let Ok(done) = self.written.try_recv() {
            drop(done);
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
    written: Arc<Mutex<Written<T>>>,
}

/// The entities written so far, on their way back to the producer.
struct Written<T> {
    items: Vec<T>,
    back: Sender<Vec<T>>,
}

/// One received entity; when the writer drops it, it goes back to the producer.
pub struct Lent<T> {
    item: Option<T>,
    written: Arc<Mutex<Written<T>>>,
}

impl<T> Deref for Lent<T> {
    type Target = T;

    fn deref(&self) -> &T {
        self.item.as_ref().expect("present until dropped")
    }
}

impl<T> std::borrow::Borrow<T> for Lent<T> {
    fn borrow(&self) -> &T {
        self
    }
}

impl<T> Drop for Lent<T> {
    fn drop(&mut self) {
        let Some(item) = self.item.take() else { return };
        let mut written = self.written.lock().unwrap_or_else(|e| e.into_inner());
        written.items.push(item);
        if written.items.len() >= BATCH {
            let full = std::mem::replace(&mut written.items, Vec::with_capacity(BATCH));
            // A producer that has finished no longer takes them: they are dropped here.
            let _ = written.back.send(full);
        }
    }
}

impl<T> Iterator for Received<T> {
    type Item = CliResult<Lent<T>>;

    fn next(&mut self) -> Option<CliResult<Lent<T>>> {
        loop {
            if let Some(item) = self.batch.next() {
                return Some(Ok(Lent { item: Some(item), written: Arc::clone(&self.written) }));
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
    let (back, written) = channel();
    let done = tx.clone();
    let writer = std::thread::spawn(move || {
        let written = Arc::new(Mutex::new(Written { items: Vec::with_capacity(BATCH), back }));
        write(Received { rx, batch: Vec::new().into_iter(), written })
    });
    let produced = produce(Feed { tx, batch: Vec::with_capacity(BATCH), written }).await;
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
                Ok(n) => got.push(*n),
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
    async fn every_entity_is_dropped_once_wherever_it_ends() {
        // Written entities travel back to the producer to be dropped: none may be
        // lost on the way or dropped twice, whether the writer finishes or stops early.
        struct Counted(Arc<std::sync::atomic::AtomicUsize>);
        impl Drop for Counted {
            fn drop(&mut self) {
                self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            }
        }
        for stop_after in [usize::MAX, 700] {
            let drops = Arc::new(std::sync::atomic::AtomicUsize::new(0));
            let made = Arc::new(std::sync::atomic::AtomicUsize::new(0));
            let (d, m) = (Arc::clone(&drops), Arc::clone(&made));
            let out = piped(
                |mut feed| async move {
                    for _ in 0..3000 {
                        m.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        if !feed.push(Counted(Arc::clone(&d))) {
                            break;
                        }
                    }
                    Ok(())
                },
                move |received| {
                    for item in received.take(stop_after) {
                        drop(item);
                    }
                    Ok(())
                },
            )
            .await;
            assert!(out.is_ok());
            let made = made.load(std::sync::atomic::Ordering::SeqCst);
            assert_eq!(drops.load(std::sync::atomic::Ordering::SeqCst), made, "stop after {stop_after}");
        }
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
