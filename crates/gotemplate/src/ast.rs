//! The parse tree, shaped like Go's `text/template/parse` nodes. `Display`
//! prints a node as Go's `String()` does: error messages quote it.

use std::fmt;
use std::sync::Arc;

/// One parsed template: a file's top level or a `define`/`block` body.
#[derive(Debug)]
pub(super) struct Tree {
    /// The template's name.
    pub name: String,
    /// The name of the text it was parsed from (Go's `ParseName`).
    pub parse_name: Arc<str>,
    /// That text; node positions are byte offsets into it.
    pub text: Arc<str>,
    /// The top-level nodes.
    pub root: Vec<Node>,
}

impl Tree {
    /// Go's `parse.IsEmptyTree`: only whitespace text (and nothing else).
    pub fn is_empty(&self) -> bool {
        self.root.iter().all(|node| match node {
            Node::Text(text) => text.trim().is_empty(),
            _ => false,
        })
    }

    /// `line:column` of a byte offset, as Go's `ErrorContext` counts them
    /// (line from 1, column in bytes from the line start, from 0 on later
    /// lines and from 0 on the first).
    pub fn location(&self, pos: usize) -> String {
        let before = &self.text[..pos.min(self.text.len())];
        let line = 1 + before.matches('\n').count();
        let column = match before.rfind('\n') {
            Some(newline) => pos - newline - 1,
            None => pos,
        };
        format!("{}:{line}:{column}", self.parse_name)
    }
}

/// A statement-level node.
#[derive(Debug)]
pub(super) enum Node {
    /// Literal text.
    Text(String),
    /// `{{pipeline}}`.
    Action(Pipe),
    /// `{{if}}`, `{{with}}` or `{{range}}`.
    Control(Control),
    /// `{{template "name" pipeline}}`.
    Template {
        /// Where it starts.
        pos: usize,
        /// The called template.
        name: String,
        /// Its quoted name as written.
        quoted: String,
        /// The new dot, if given.
        pipe: Option<Pipe>,
    },
    /// `{{break}}`.
    Break,
    /// `{{continue}}`.
    Continue,
}

/// Which control structure.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum ControlKind {
    If,
    With,
    Range,
}

impl ControlKind {
    fn keyword(self) -> &'static str {
        match self {
            ControlKind::If => "if",
            ControlKind::With => "with",
            ControlKind::Range => "range",
        }
    }
}

/// `{{if|with|range pipe}}list{{else}}else_list{{end}}`.
#[derive(Debug)]
pub(super) struct Control {
    pub kind: ControlKind,
    pub pipe: Pipe,
    pub list: Vec<Node>,
    pub else_list: Option<Vec<Node>>,
}

/// A pipeline, optionally declaring or assigning variables.
#[derive(Debug)]
pub(super) struct Pipe {
    pub pos: usize,
    /// `$x = …` rather than `$x := …`.
    pub is_assign: bool,
    /// The declared variables, with their `$`.
    pub decl: Vec<String>,
    pub cmds: Vec<Command>,
}

/// One command of a pipeline: an operand and its arguments.
#[derive(Debug)]
pub(super) struct Command {
    pub args: Vec<Arg>,
}

/// An operand.
#[derive(Debug)]
pub(super) enum Arg {
    /// `.A.B`.
    Field { pos: usize, names: Vec<String> },
    /// `$x.A.B`: the variable (with `$`) and the fields.
    Variable {
        pos: usize,
        name: String,
        fields: Vec<String>,
    },
    /// `(pipeline).A.B` or `fn.A`.
    Chain {
        pos: usize,
        node: Box<Arg>,
        fields: Vec<String>,
    },
    /// A function name.
    Function { pos: usize, name: String },
    /// `.`.
    Dot(usize),
    /// `nil`.
    Nil(usize),
    /// `true` / `false`.
    Bool(usize, bool),
    /// A number literal.
    Number {
        pos: usize,
        text: String,
        value: Number,
    },
    /// A string literal: as written, and its value.
    String {
        pos: usize,
        quoted: String,
        value: String,
    },
    /// `(pipeline)`.
    Pipe(Box<Pipe>),
}

/// The value of a number literal, as Go's `idealConstant` types it.
#[derive(Debug, Clone, Copy)]
pub(super) enum Number {
    Int(i64),
    Float(f64),
}

impl Pipe {
    /// The node Go evaluates last in this pipeline (the last argument of
    /// the last command, inside parentheses if need be): Go reports errors
    /// found after evaluating it at that node.
    pub fn last_evaluated(&self) -> Option<&Arg> {
        let last = self.cmds.last()?.args.last()?;
        Some(last.last_evaluated())
    }
}

impl Arg {
    /// The node Go evaluates last when evaluating this one.
    pub fn last_evaluated(&self) -> &Arg {
        match self {
            Arg::Pipe(pipe) => pipe.last_evaluated().unwrap_or(self),
            Arg::Chain { node, .. } => node.last_evaluated(),
            other => other,
        }
    }

    /// Where the operand starts.
    pub fn pos(&self) -> usize {
        match self {
            Arg::Field { pos, .. }
            | Arg::Variable { pos, .. }
            | Arg::Chain { pos, .. }
            | Arg::Function { pos, .. }
            | Arg::Number { pos, .. }
            | Arg::String { pos, .. }
            | Arg::Dot(pos)
            | Arg::Nil(pos)
            | Arg::Bool(pos, _) => *pos,
            Arg::Pipe(pipe) => pipe.pos,
        }
    }
}

fn write_fields(f: &mut fmt::Formatter<'_>, fields: &[String]) -> fmt::Result {
    fields.iter().try_for_each(|name| write!(f, ".{name}"))
}

impl fmt::Display for Arg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Arg::Field { names, .. } => write_fields(f, names),
            Arg::Variable { name, fields, .. } => {
                f.write_str(name)?;
                write_fields(f, fields)
            }
            Arg::Chain { node, fields, .. } => {
                match node.as_ref() {
                    Arg::Pipe(pipe) => write!(f, "({pipe})")?,
                    other => write!(f, "{other}")?,
                }
                write_fields(f, fields)
            }
            Arg::Function { name, .. } => f.write_str(name),
            Arg::Dot(_) => f.write_str("."),
            Arg::Nil(_) => f.write_str("nil"),
            Arg::Bool(_, b) => write!(f, "{b}"),
            Arg::Number { text, .. } => f.write_str(text),
            Arg::String { quoted, .. } => f.write_str(quoted),
            Arg::Pipe(pipe) => write!(f, "{pipe}"),
        }
    }
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, arg) in self.args.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            match arg {
                Arg::Pipe(pipe) => write!(f, "({pipe})")?,
                other => write!(f, "{other}")?,
            }
        }
        Ok(())
    }
}

impl fmt::Display for Pipe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.decl.is_empty() {
            let op = if self.is_assign { "=" } else { ":=" };
            write!(f, "{} {op} ", self.decl.join(", "))?;
        }
        for (i, cmd) in self.cmds.iter().enumerate() {
            if i > 0 {
                f.write_str(" | ")?;
            }
            write!(f, "{cmd}")?;
        }
        Ok(())
    }
}

fn write_list(f: &mut fmt::Formatter<'_>, list: &[Node]) -> fmt::Result {
    list.iter().try_for_each(|node| write!(f, "{node}"))
}

impl fmt::Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Node::Text(text) => write!(f, "{text:?}"),
            Node::Action(pipe) => write!(f, "{{{{{pipe}}}}}"),
            Node::Control(control) => {
                write!(f, "{{{{{} {}}}}}", control.kind.keyword(), control.pipe)?;
                write_list(f, &control.list)?;
                if let Some(else_list) = &control.else_list {
                    f.write_str("{{else}}")?;
                    write_list(f, else_list)?;
                }
                f.write_str("{{end}}")
            }
            Node::Template { quoted, pipe, .. } => match pipe {
                Some(pipe) => write!(f, "{{{{template {quoted} {pipe}}}}}"),
                None => write!(f, "{{{{template {quoted}}}}}"),
            },
            Node::Break => f.write_str("{{break}}"),
            Node::Continue => f.write_str("{{continue}}"),
        }
    }
}
