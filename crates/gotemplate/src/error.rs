//! [`TemplateError`]: what went wrong parsing or executing, worded as Go's
//! `text/template` words it (`template: NAME:LINE:COL: …`).

use std::fmt;

use super::format::quote;

/// A template failed to parse or to execute.
#[derive(Debug)]
pub enum TemplateError {
    /// The text does not parse (`template: NAME:LINE: MESSAGE`).
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
    NotDefined {
        /// The requested name.
        name: String,
    },
    /// Templates called each other (through functions such as `include`)
    /// more deeply than the limit.
    TooDeep {
        /// The template that would have gone one level too deep.
        name: String,
        /// The limit.
        limit: usize,
    },
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TemplateError::Parse {
                name,
                line,
                message,
            } => write!(f, "template: {name}:{line}: {message}"),
            TemplateError::Exec {
                location,
                template,
                context,
                message,
            } => write!(
                f,
                "template: {location}: executing {} at <{context}>: {message}",
                quote(template)
            ),
            TemplateError::NotDefined { name } => write!(
                f,
                "template: no template {} associated with template set",
                quote(name)
            ),
            TemplateError::TooDeep { name, limit } => {
                write!(
                    f,
                    "template: {name}: exceeded maximum template depth ({limit})"
                )
            }
        }
    }
}

impl std::error::Error for TemplateError {}
