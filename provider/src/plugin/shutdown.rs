//! One shutdown signal for the whole plugin: set by `Shutdown`,
//! `StopProvider`, SIGTERM or SIGINT; awaited by the server (which then
//! finishes the calls in flight and stops) and by open streams.

use std::sync::Arc;

use tokio::sync::watch;

/// A shared, one-way shutdown flag.
#[derive(Clone)]
pub struct Shutdown(Arc<watch::Sender<bool>>);

impl Default for Shutdown {
    fn default() -> Self {
        Self(Arc::new(watch::channel(false).0))
    }
}

impl Shutdown {
    /// Asks everything to stop.
    pub fn trigger(&self) {
        self.0.send_replace(true);
    }

    /// Returns once a shutdown was asked for.
    pub async fn wait(&self) {
        let mut receiver = self.0.subscribe();
        // The sender lives in `self`, so the channel never closes first.
        let _ = receiver.wait_for(|stopping| *stopping).await;
    }

    /// Triggers on SIGTERM or SIGINT.
    pub fn on_signals(&self) -> std::io::Result<()> {
        use tokio::signal::unix::{SignalKind, signal};
        let mut terminate = signal(SignalKind::terminate())?;
        let mut interrupt = signal(SignalKind::interrupt())?;
        let shutdown = self.clone();
        tokio::spawn(async move {
            tokio::select! {
                _ = terminate.recv() => {}
                _ = interrupt.recv() => {}
            }
            super::log::log(super::log::Level::Info, "signal received: shutting down");
            shutdown.trigger();
        });
        Ok(())
    }
}
