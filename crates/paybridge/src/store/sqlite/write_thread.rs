//! The busiest write transactions (webhook ingestion, the outbound
//! dispatcher's rounds) run on a thread of their own. Each statement is a
//! round trip to sqlx's SQLite thread, and the answer wakes the waiting task
//! from outside the runtime; on the shared runtime that task then queues
//! behind every HTTP request in flight (milliseconds under load), while it
//! holds the database's only write lock. On a dedicated current-thread
//! runtime it is the only thing waiting and resumes at once.

use std::future::Future;
use std::sync::Arc;
use tokio::runtime::Handle;
use tokio::sync::oneshot;

/// Handle to the write thread; the thread ends when the last clone is dropped.
#[derive(Debug, Clone)]
pub(crate) struct WriteThread {
    handle: Handle,
    _stop: Arc<oneshot::Sender<()>>,
}

impl WriteThread {
    /// Starts the thread and its runtime.
    pub(crate) fn start() -> std::io::Result<WriteThread> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let handle = runtime.handle().clone();
        let (stop, stopped) = oneshot::channel::<()>();
        std::thread::Builder::new()
            .name("paybridge-writer".into())
            .spawn(move || {
                // Runs spawned work until every handle is gone.
                let _ = runtime.block_on(stopped);
            })?;
        Ok(WriteThread {
            handle,
            _stop: Arc::new(stop),
        })
    }

    /// Runs `work` on the write thread and waits for its result. `None` if
    /// the work panicked or the thread is shutting down.
    pub(crate) async fn run<F>(&self, work: F) -> Option<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        self.handle.spawn(work).await.ok()
    }

    /// Starts a long-lived task on the write thread.
    pub(crate) fn spawn<F>(&self, task: F)
    where
        F: Future<Output = ()> + Send + 'static,
    {
        drop(self.handle.spawn(task));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn work_runs_on_the_write_thread_and_its_result_comes_back() {
        let wt = WriteThread::start().unwrap();
        let name = wt
            .run(async { std::thread::current().name().map(str::to_owned) })
            .await
            .unwrap();
        assert_eq!(name.as_deref(), Some("paybridge-writer"));
    }

    #[tokio::test]
    async fn a_panicking_job_is_reported_and_the_thread_keeps_serving() {
        let wt = WriteThread::start().unwrap();
        let empty: Vec<u8> = Vec::new();
        assert!(wt.run(async move { empty[1] }).await.is_none());
        assert_eq!(wt.run(async { 7 }).await, Some(7));
    }
}
