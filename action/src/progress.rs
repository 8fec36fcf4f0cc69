//! Progress for people, on stderr: a spinner on the current phase and a
//! tick per change on a terminal; plain lines when stderr is a pipe or a file
//! (CI logs). Never a token: the one step holding one prints its ID only.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use upbound_connect::engine::{Observer, Step};

use crate::report;

/// The frames of the spinner.
const FRAMES: [char; 10] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/// Prints progress on stderr; call [`Progress::finish`] when the run ends.
pub struct Progress {
    spinner: Option<Spinner>,
}

impl Progress {
    /// A spinner on a terminal, plain lines otherwise.
    pub fn new() -> Self {
        Self {
            spinner: std::io::stderr().is_terminal().then(Spinner::start),
        }
    }

    /// Stops the spinner and clears its line.
    pub fn finish(self) {
        if let Some(spinner) = self.spinner {
            spinner.stop();
        }
    }
}

impl Observer for Progress {
    fn step(&self, step: Step) {
        let (phase, events) = (report::phase(&step), report::events(&step));
        match &self.spinner {
            None => {
                for line in phase
                    .into_iter()
                    .chain(events.iter().map(ToString::to_string))
                {
                    eprintln!("upbound-connect: {line}");
                }
            }
            Some(spinner) => {
                if let Some(phase) = phase {
                    spinner.label(&phase);
                }
                for event in events {
                    spinner.line(&format!("✓ {event}"));
                }
            }
        }
    }
}

/// A thread redrawing the current phase with a turning frame.
struct Spinner {
    label: Arc<Mutex<String>>,
    stopped: Arc<AtomicBool>,
    thread: JoinHandle<()>,
}

impl Spinner {
    fn start() -> Self {
        let label = Arc::new(Mutex::new("starting".to_owned()));
        let stopped = Arc::new(AtomicBool::new(false));
        let thread = std::thread::spawn({
            let (label, stopped) = (label.clone(), stopped.clone());
            move || {
                for frame in FRAMES.iter().cycle() {
                    if stopped.load(Ordering::Relaxed) {
                        break;
                    }
                    if let Ok(label) = label.lock() {
                        eprint!("\r\x1b[K{frame} {label}");
                        let _ = std::io::stderr().flush();
                    }
                    std::thread::sleep(Duration::from_millis(80));
                }
            }
        });
        Self {
            label,
            stopped,
            thread,
        }
    }

    fn label(&self, text: &str) {
        if let Ok(mut label) = self.label.lock() {
            text.clone_into(&mut label);
        }
    }

    /// Prints a finished line above the spinner (holding the label's lock
    /// so the two never interleave).
    fn line(&self, text: &str) {
        if let Ok(_label) = self.label.lock() {
            eprintln!("\r\x1b[K{text}");
        }
    }

    fn stop(self) {
        self.stopped.store(true, Ordering::Relaxed);
        let _ = self.thread.join();
        eprint!("\r\x1b[K");
    }
}
