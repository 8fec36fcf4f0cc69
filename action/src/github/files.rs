//! File commands: `GITHUB_OUTPUT` and `GITHUB_STATE` take `name<<DELIMITER`
//! blocks (a random delimiter per value, refused if the value holds it, as
//! the toolkit does), `GITHUB_STEP_SUMMARY` takes Markdown.

use std::fs::OpenOptions;
use std::io::Write;

use super::ActionError;

/// Where a file command writes.
#[derive(Clone, Copy, Debug)]
pub enum FileCommand {
    /// Step outputs.
    Output,
    /// Values the post step gets as `STATE_<name>`.
    State,
    /// The job summary.
    Summary,
}

impl FileCommand {
    /// The environment variable holding the file's path.
    fn variable(self) -> &'static str {
        match self {
            Self::Output => "GITHUB_OUTPUT",
            Self::State => "GITHUB_STATE",
            Self::Summary => "GITHUB_STEP_SUMMARY",
        }
    }

    /// Appends `name=value` (as a heredoc block) to the output or state file.
    pub fn set(self, name: &str, value: &str) -> Result<(), ActionError> {
        let delimiter = format!("ghadelimiter_{}", uuid::Uuid::new_v4());
        if name.contains(&delimiter) || value.contains(&delimiter) {
            return Err(ActionError::Delimiter {
                name: name.to_owned(),
            });
        }
        self.append(&format!("{name}<<{delimiter}\n{value}\n{delimiter}\n"))
    }

    /// Appends text to the file.
    pub fn append(self, text: &str) -> Result<(), ActionError> {
        let variable = self.variable();
        let path = std::env::var_os(variable).ok_or(ActionError::NoFile { variable })?;
        OpenOptions::new()
            .append(true)
            .create(true)
            .open(&path)
            .and_then(|mut file| file.write_all(text.as_bytes()))
            .map_err(|source| ActionError::Write { variable, source })
    }
}
