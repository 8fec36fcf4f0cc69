//! Workflow commands on stdout (`::add-mask::`, `::group::`, `::error`),
//! escaped as the runner reads them (`src/Runner.Common/ActionCommand.cs`).

/// Escapes a command's data: `%`, CR and LF.
fn escape_data(value: &str) -> String {
    value
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a command property: the data escapes plus `:` and `,`.
fn escape_property(value: &str) -> String {
    escape_data(value).replace(':', "%3A").replace(',', "%2C")
}

/// Masks `value` (each of its lines too) in all later output.
pub fn mask(value: &str) {
    if !value.trim().is_empty() {
        println!("::add-mask::{}", escape_data(value));
    }
}

/// Opens a collapsible group of log lines.
pub fn group(title: &str) {
    println!("::group::{}", escape_data(title));
}

/// Closes the open group.
pub fn end_group() {
    println!("::endgroup::");
}

/// An error annotation with a title.
pub fn error(title: &str, message: &str) {
    println!(
        "::error title={}::{}",
        escape_property(title),
        escape_data(message)
    );
}

/// A warning annotation.
pub fn warning(message: &str) {
    println!("::warning::{}", escape_data(message));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_the_runner_unescapes() {
        assert_eq!(escape_data("50%\r\nb"), "50%25%0D%0Ab");
        assert_eq!(escape_property("a: b, c"), "a%3A b%2C c");
    }
}
