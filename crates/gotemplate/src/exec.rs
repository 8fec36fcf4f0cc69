//! Execution: walks a [`Tree`] with a dot and variables, as Go's
//! `text/template/exec.go` does: pipelines, field chains, function calls,
//! `if`/`with`/`range` (maps in key order, ints, `break`/`continue`),
//! `template` calls, and Go's error wording and locations.

use std::fmt::Display;

use super::ast::{Arg, Command, Control, ControlKind, Node, Number, Pipe, Tree};
use super::format::{print_action, sprint};
use super::funcs::{Arity, Body, Call, FuncError, Registered, Special};
use super::value::Value;
use super::{MissingKey, TemplateError, TemplateSet};

/// How deeply templates may call each other (`template`, `include`).
/// Go allows 100000 `template` levels; we stop at Helm's limit for
/// `include`, which [`STACK_SIZE`] has room for.
pub(super) const MAX_DEPTH: usize = 1000;

/// The stack a top-level execution runs on: each level of template calls
/// takes a few KiB (more in debug builds), and `MAX_DEPTH` levels must fit.
pub(super) const STACK_SIZE: usize = 64 << 20;

/// Executes the template `name` of `set` with `data` as dot.
pub(super) fn execute(
    set: &TemplateSet,
    name: &str,
    data: &Value,
    depth: usize,
) -> std::result::Result<String, TemplateError> {
    let tree = set.tree(name).ok_or_else(|| TemplateError::NotDefined {
        name: name.to_owned(),
    })?;
    if depth > MAX_DEPTH {
        return Err(TemplateError::TooDeep {
            name: name.to_owned(),
            limit: MAX_DEPTH,
        });
    }
    let mut state = State {
        set,
        tree,
        vars: vec![("$".to_owned(), data.clone())],
        depth,
        out: String::new(),
    };
    state.walk_list(&Dot::plain(data.clone()), &tree.root)?;
    Ok(state.out)
}

type Result<T> = std::result::Result<T, TemplateError>;

/// Dot, remembering whether it came out of an `interface{}` slot (a map
/// entry or list element): Go then names its type `interface {}` in
/// errors, and a nil there is a nil pointer rather than "no value".
#[derive(Clone)]
struct Dot {
    value: Value,
    from_interface: bool,
}

impl Dot {
    fn plain(value: Value) -> Dot {
        Dot {
            value,
            from_interface: false,
        }
    }

    fn element(value: Value) -> Dot {
        Dot {
            value,
            from_interface: true,
        }
    }

    fn type_name(&self) -> &'static str {
        if self.from_interface {
            "interface {}"
        } else {
            self.value.type_name()
        }
    }
}

/// What a walk asks its enclosing `range` to do.
enum Flow {
    Normal,
    Break,
    Continue,
}

struct State<'a> {
    set: &'a TemplateSet,
    tree: &'a Tree,
    vars: Vec<(String, Value)>,
    depth: usize,
    out: String,
}

/// The node an error is reported at: where it starts and how it prints.
#[derive(Clone, Copy)]
struct At<'n> {
    pos: usize,
    node: &'n dyn Display,
}

impl<'n> At<'n> {
    fn arg(arg: &'n Arg) -> At<'n> {
        At {
            pos: arg.pos(),
            node: arg,
        }
    }
}

impl<'a> State<'a> {
    fn error(&self, at: At<'_>, message: impl Into<String>) -> TemplateError {
        TemplateError::Exec {
            location: self.tree.location(at.pos),
            template: self.tree.name.clone(),
            context: at.node.to_string(),
            message: message.into(),
        }
    }

    /// Where Go reports an error found after evaluating `pipe`.
    fn after<'p>(&self, pipe: &'p Pipe) -> At<'p> {
        match pipe.last_evaluated() {
            Some(word) => At::arg(word),
            None => At {
                pos: pipe.pos,
                node: pipe,
            },
        }
    }

    fn walk_list(&mut self, dot: &Dot, list: &[Node]) -> Result<Flow> {
        for node in list {
            match self.walk(dot, node)? {
                Flow::Normal => {}
                flow => return Ok(flow),
            }
        }
        Ok(Flow::Normal)
    }

    fn walk(&mut self, dot: &Dot, node: &Node) -> Result<Flow> {
        match node {
            Node::Text(text) => self.out.push_str(text),
            Node::Action(pipe) => {
                let value = self.eval_pipeline(dot, pipe)?;
                if pipe.decl.is_empty() {
                    self.print(node, pipe.pos, &value)?;
                }
            }
            Node::Control(control) if control.kind == ControlKind::Range => {
                return self.walk_range(dot, control);
            }
            Node::Control(control) => return self.walk_if_or_with(dot, control),
            Node::Template {
                pos, name, pipe, ..
            } => {
                self.walk_template(dot, At { pos: *pos, node }, name, pipe.as_ref())?;
            }
            Node::Break => return Ok(Flow::Break),
            Node::Continue => return Ok(Flow::Continue),
        }
        Ok(Flow::Normal)
    }

    fn print(&mut self, node: &Node, pos: usize, value: &Value) -> Result<()> {
        match value {
            Value::Nil => self.out.push_str("<no value>"),
            Value::Func(_) => {
                return Err(self.error(
                    At { pos, node },
                    format!("can't print {node} of type {}", value.type_name()),
                ));
            }
            other => self.out.push_str(&print_action(other)),
        }
        Ok(())
    }

    fn walk_if_or_with(&mut self, dot: &Dot, control: &Control) -> Result<Flow> {
        let mark = self.vars.len();
        let value = self.eval_pipeline(dot, &control.pipe)?;
        let flow = if value.is_true() {
            let inner = match control.kind {
                ControlKind::With => Dot::plain(value),
                _ => dot.clone(),
            };
            self.walk_list(&inner, &control.list)?
        } else if let Some(else_list) = &control.else_list {
            self.walk_list(dot, else_list)?
        } else {
            Flow::Normal
        };
        self.vars.truncate(mark);
        Ok(flow)
    }

    fn walk_range(&mut self, dot: &Dot, control: &Control) -> Result<Flow> {
        let outer = self.vars.len();
        let value = self.eval_pipeline(dot, &control.pipe)?;
        let mark = self.vars.len();
        let at = self.after(&control.pipe);
        let items: Vec<(Value, Dot)> = match &value {
            Value::List(items) => items
                .iter()
                .enumerate()
                .map(|(i, item)| (Value::Int(i as i64), Dot::element(item.clone())))
                .collect(),
            Value::Map(entries) => entries
                .entries()
                .into_iter()
                .map(|(key, item)| (Value::String(key), Dot::element(item)))
                .collect(),
            Value::Int(n) => {
                if control.pipe.decl.len() > 1 {
                    return Err(self.error(
                        at,
                        format!("can't use {n} to iterate over more than one variable"),
                    ));
                }
                (0..*n)
                    .map(|i| (Value::Int(i), Dot::plain(Value::Int(i))))
                    .collect()
            }
            Value::Nil => Vec::new(),
            other => {
                return Err(self.error(
                    at,
                    format!(
                        "range can't iterate over {}",
                        sprint(std::slice::from_ref(other))
                    ),
                ));
            }
        };
        for (index, element) in &items {
            self.set_range_vars(&control.pipe, index, &element.value);
            let step = self.walk_list(element, &control.list)?;
            self.vars.truncate(mark);
            if let Flow::Break = step {
                break;
            }
        }
        let mut flow = Flow::Normal;
        if items.is_empty()
            && let Some(else_list) = &control.else_list
        {
            // Go's range catches a `break` from its else branch too, while a
            // `continue` there reaches the enclosing range.
            if let Flow::Continue = self.walk_list(dot, else_list)? {
                flow = Flow::Continue;
            }
        }
        self.vars.truncate(outer);
        Ok(flow)
    }

    /// Gives the range variables this iteration's index and element.
    fn set_range_vars(&mut self, pipe: &Pipe, index: &Value, element: &Value) {
        let top = self.vars.len();
        match pipe.decl.len() {
            0 => {}
            1 => self.vars[top - 1].1 = element.clone(),
            _ => {
                self.vars[top - 1].1 = element.clone();
                self.vars[top - 2].1 = index.clone();
            }
        }
    }

    fn walk_template(
        &mut self,
        dot: &Dot,
        at: At<'_>,
        name: &str,
        pipe: Option<&Pipe>,
    ) -> Result<()> {
        let Some(tree) = self.set.tree(name) else {
            return Err(self.error(at, format!("template {name:?} not defined")));
        };
        if self.depth >= MAX_DEPTH {
            return Err(self.error(at, format!("exceeded maximum template depth ({MAX_DEPTH})")));
        }
        let value = match pipe {
            Some(pipe) => self.eval_pipeline(dot, pipe)?,
            None => Value::Nil,
        };
        let mut callee = State {
            set: self.set,
            tree,
            vars: vec![("$".to_owned(), value.clone())],
            depth: self.depth + 1,
            out: std::mem::take(&mut self.out),
        };
        let walked = callee.walk_list(&Dot::plain(value), &tree.root);
        self.out = callee.out;
        walked.map(|_| ())
    }

    fn eval_pipeline(&mut self, dot: &Dot, pipe: &Pipe) -> Result<Value> {
        let mut value = None;
        for cmd in &pipe.cmds {
            value = Some(self.eval_command(dot, cmd, value)?);
        }
        let value = value.unwrap_or_default();
        for name in &pipe.decl {
            if pipe.is_assign {
                self.assign(name, value.clone(), pipe)?;
            } else {
                self.vars.push((name.clone(), value.clone()));
            }
        }
        Ok(value)
    }

    fn assign(&mut self, name: &str, value: Value, pipe: &Pipe) -> Result<()> {
        match self.vars.iter_mut().rev().find(|(n, _)| n == name) {
            Some(slot) => {
                slot.1 = value;
                Ok(())
            }
            None => Err(self.error(self.after(pipe), format!("undefined variable: {name}"))),
        }
    }

    fn variable(&self, name: &str) -> Value {
        self.vars
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    fn eval_command(&mut self, dot: &Dot, cmd: &Command, last: Option<Value>) -> Result<Value> {
        let first = &cmd.args[0];
        let at = At::arg(first);
        match first {
            Arg::Field { names, .. } => {
                self.eval_fields(dot, dot.clone(), at, names, &cmd.args, last)
            }
            Arg::Variable { name, fields, .. } => {
                let value = Dot::plain(self.variable(name));
                if fields.is_empty() {
                    self.not_a_function(cmd, last.as_ref())?;
                    return Ok(value.value);
                }
                self.eval_fields(dot, value, at, fields, &cmd.args, last)
            }
            Arg::Chain { node, fields, .. } => {
                let value = Dot::plain(self.eval_arg(dot, node)?);
                let at = At::arg(first.last_evaluated());
                self.eval_fields(dot, value, at, fields, &cmd.args, last)
            }
            Arg::Function { name, .. } => {
                self.eval_function(dot, at, name, cmd, &cmd.args[1..], last)
            }
            Arg::Nil(_) => Err(self.error(at, "nil is not a command")),
            _ => {
                self.not_a_function(cmd, last.as_ref())?;
                self.eval_arg(dot, first)
            }
        }
    }

    fn not_a_function(&self, cmd: &Command, last: Option<&Value>) -> Result<()> {
        if cmd.args.len() > 1 || last.is_some() {
            let first = &cmd.args[0];
            return Err(self.error(
                At::arg(first),
                format!("can't give argument to non-function {first}"),
            ));
        }
        Ok(())
    }

    /// Evaluates an operand used as an argument.
    fn eval_arg(&mut self, dot: &Dot, arg: &Arg) -> Result<Value> {
        let at = At::arg(arg);
        match arg {
            Arg::Dot(_) => Ok(dot.value.clone()),
            Arg::Nil(_) => Ok(Value::Nil),
            Arg::Bool(_, b) => Ok(Value::Bool(*b)),
            Arg::Number { value, .. } => Ok(match value {
                Number::Int(i) => Value::Int(*i),
                Number::Float(f) => Value::Float(*f),
            }),
            Arg::String { value, .. } => Ok(Value::String(value.clone())),
            Arg::Pipe(pipe) => self.eval_pipeline(dot, pipe),
            Arg::Field { names, .. } => self.eval_fields(dot, dot.clone(), at, names, &[], None),
            Arg::Variable { name, fields, .. } => {
                let value = Dot::plain(self.variable(name));
                self.eval_fields(dot, value, at, fields, &[], None)
            }
            Arg::Chain { node, fields, .. } => {
                let value = Dot::plain(self.eval_arg(dot, node)?);
                let at = At::arg(arg.last_evaluated());
                self.eval_fields(dot, value, at, fields, &[], None)
            }
            Arg::Function { name, .. } => self.eval_function(dot, at, name, arg, &[], None),
        }
    }

    /// Walks `.A.B.C` from `receiver`; as in Go, a method of the
    /// receiver's type comes before a map entry of the same name, and is
    /// called (the last one with the command's arguments).
    fn eval_fields(
        &mut self,
        dot: &Dot,
        mut receiver: Dot,
        at: At<'_>,
        names: &[String],
        args: &[Arg],
        last: Option<Value>,
    ) -> Result<Value> {
        for (i, name) in names.iter().enumerate() {
            let is_last = i + 1 == names.len();
            let has_args = is_last && (args.len() > 1 || last.is_some());
            if let Some(method) = receiver.value.methods().and_then(|m| m.get(name)) {
                let (method_args, method_last) = if is_last {
                    (args.get(1..).unwrap_or_default(), last.clone())
                } else {
                    (&[][..], None)
                };
                let registered = Registered {
                    arity: Arity::AtLeast(0),
                    body: Body::Func(method.clone()),
                    builtin: false,
                };
                let value = self.call(dot, at, name, &registered, method_args, method_last)?;
                receiver = Dot::plain(value);
                continue;
            }
            receiver = match &receiver.value {
                Value::Nil if receiver.from_interface => {
                    return Err(
                        self.error(at, format!("nil pointer evaluating interface {{}}.{name}"))
                    );
                }
                Value::Nil => {
                    if self.set.missing_key == MissingKey::Error {
                        return Err(self.error(at, format!("nil data; no entry for key {name:?}")));
                    }
                    return Ok(Value::Nil);
                }
                Value::Map(entries) => match entries.get(name) {
                    _ if has_args => {
                        return Err(
                            self.error(at, format!("{name} is not a method but has arguments"))
                        );
                    }
                    Some(value) => Dot::element(value),
                    None => match self.set.missing_key {
                        MissingKey::Default => Dot::plain(Value::Nil),
                        MissingKey::Zero => Dot::element(Value::Nil),
                        MissingKey::Error => {
                            return Err(
                                self.error(at, format!("map has no entry for key {name:?}"))
                            );
                        }
                    },
                },
                _ => {
                    return Err(self.error(
                        at,
                        format!(
                            "can't evaluate field {name} in type {}",
                            receiver.type_name()
                        ),
                    ));
                }
            };
        }
        Ok(receiver.value)
    }

    fn eval_function(
        &mut self,
        dot: &Dot,
        at: At<'_>,
        name: &str,
        cmd: &dyn Display,
        args: &[Arg],
        last: Option<Value>,
    ) -> Result<Value> {
        let Some(registered) = self.set.funcs.get(name).cloned() else {
            return Err(self.error(at, format!("{name:?} is not a defined function")));
        };
        let given = args.len() + usize::from(last.is_some());
        match registered.arity {
            Arity::Exact(n) if given != n => {
                return Err(self.error(
                    at,
                    format!("wrong number of args for {name}: want {n} got {given}"),
                ));
            }
            Arity::AtLeast(n) if given < n => {
                return Err(self.error(
                    at,
                    format!(
                        "wrong number of args for {name}: want at least {n} got {}",
                        args.len()
                    ),
                ));
            }
            _ => {}
        }
        let at_cmd = At {
            pos: at.pos,
            node: cmd,
        };
        self.call(dot, at_cmd, name, &registered, args, last)
    }

    /// Evaluates the arguments and calls a function (`at` is the command,
    /// where Go reports "error calling").
    fn call(
        &mut self,
        dot: &Dot,
        at: At<'_>,
        name: &str,
        registered: &Registered,
        args: &[Arg],
        last: Option<Value>,
    ) -> Result<Value> {
        let function = match (&registered.body, registered.builtin) {
            (Body::Special(special @ (Special::And | Special::Or)), true) => {
                return self.and_or(dot, *special == Special::Or, args, last);
            }
            (Body::Special(Special::Call), _) => return self.call_value(dot, at, args, last),
            (Body::Func(function), _) => function,
            (Body::Special(_), false) => unreachable!("only builtins are special"),
        };
        let mut values = Vec::with_capacity(args.len() + 1);
        for arg in args {
            values.push(self.eval_arg(dot, arg)?);
        }
        values.extend(last);
        let call = Call {
            set: self.set,
            depth: self.depth,
        };
        function(&call, &values).map_err(|error| self.call_error(at, name, args, error))
    }

    /// Reports a function's failure as Go does: a wrong argument type at
    /// that argument, anything else as "error calling" at the command.
    fn call_error(&self, at: At<'_>, name: &str, args: &[Arg], error: FuncError) -> TemplateError {
        match &error {
            FuncError::WrongType {
                index, expected, ..
            } => match args.get(*index) {
                Some(arg @ (Arg::Number { .. } | Arg::Bool(..) | Arg::String { .. })) => {
                    let at_arg = At::arg(arg);
                    self.error(at_arg, format!("expected {expected}; found {arg}"))
                }
                Some(arg) => self.error(At::arg(arg), error.to_string()),
                None => self.error(at, error.to_string()),
            },
            FuncError::ArgCount { want, got } => self.error(
                at,
                format!("wrong number of args for {name}: want {want} got {got}"),
            ),
            _ => self.error(at, format!("error calling {name}: {error}")),
        }
    }

    /// `and`/`or`: evaluate arguments only until the answer is known.
    fn and_or(&mut self, dot: &Dot, or: bool, args: &[Arg], last: Option<Value>) -> Result<Value> {
        let mut value = Value::Nil;
        for arg in args {
            value = self.eval_arg(dot, arg)?;
            if value.is_true() == or {
                return Ok(value);
            }
        }
        Ok(last.unwrap_or(value))
    }

    /// `call FN ARGS...`.
    fn call_value(
        &mut self,
        dot: &Dot,
        at: At<'_>,
        args: &[Arg],
        last: Option<Value>,
    ) -> Result<Value> {
        let (callee, callee_name, args, last) = match args.split_first() {
            Some((callee, rest)) => (self.eval_arg(dot, callee)?, callee.to_string(), rest, last),
            None => (last.unwrap_or_default(), String::new(), &[][..], None),
        };
        let Value::Func(function) = callee else {
            let message = match callee {
                Value::Nil => "call of nil".to_owned(),
                other => format!("non-function {callee_name} of type {}", other.type_name()),
            };
            return Err(self.call_error(at, "call", args, FuncError::Message(message)));
        };
        let registered = Registered {
            arity: Arity::AtLeast(0),
            body: Body::Func(function),
            builtin: false,
        };
        self.call(dot, at, "call", &registered, args, last)
    }
}
