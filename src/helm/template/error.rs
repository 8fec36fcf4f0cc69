//! [`TemplateError`]: what went wrong parsing or executing, worded as Go's
//! `text/template` words it (`template: NAME:LINE:COL: …`).

use super::format::quote;

/// A template failed to parse or to execute.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    /// The text does not parse (`template: NAME:LINE: MESSAGE`).
    #[error("template: {name}:{line}: {message}")]
    Parse {
        /// The name the text was parsed under.
        name: String,
        /// The line of the error, from 1.
        line: usize,
        /// Go's description.
        message: String,
    },
    /// Executing a node failed
    /// (`template: NAME:LINE:COL: executing "TEMPLATE" at <NODE>: MESSAGE`).
    #[error(
        "template: {location}: executing {} at <{context}>: {message}",
        quote(template)
    )]
    Exec {
        /// `NAME:LINE:COL` of the failing node.
        location: String,
        /// The template being executed.
        template: String,
        /// The failing node, as written.
        context: String,
        /// Go's description.
        message: String,
    },
    /// No template of that name is in the set.
    #[error("template: no template {} associated with template set", quote(name))]
    NotDefined {
        /// The requested name.
        name: String,
    },
    /// Templates called each other (through functions such as `include`)
    /// more deeply than the limit.
    #[error("template: {name}: exceeded maximum template depth ({limit})")]
    TooDeep {
        /// The template that would have gone one level too deep.
        name: String,
        /// The limit.
        limit: usize,
    },
}
