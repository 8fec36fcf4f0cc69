//! # gotemplate
//!
//! Go's `text/template` (as of Go 1.26), faithful to Go's behaviour because
//! Helm charts are written against it: pipelines, variables and `$`,
//! `if`/`with`/`range` (with `else`, `else if`, `else with`, `break`,
//! `continue`; maps in key order, ints), `define`/`template`/`block`, trim
//! markers and comments, lazy `and`/`or`, Go's truth, comparison rules,
//! `fmt`-exact printing (`map[a:1]`, `1.2345678e+07`, `<nil>`, `<no
//! value>`) and Go's error messages with `NAME:LINE:COL`. Standard library
//! only. `tests/parity/` checks it against real Go.
//!
//! Why not an existing crate: `gtmpl` (last release 2021) has no
//! `break`/`continue`, evaluates `and`/`or` eagerly and gets
//! multi-argument `eq` wrong; `gotpl` wraps Go itself through FFI;
//! `gotmpl` 0.6 is the closest, but cannot call methods (`.Files.Get
//! "x"`), prints floats in Rust's way, treats `missingkey=zero` like the
//! default (no "nil pointer evaluating" error), drops error locations from
//! runtime errors, and is a months-old one-author project. A Helm renderer
//! needs all of those exact.
//!
//! ## Map
//! A template goes `lexer` → `parse` → `exec`:
//! - `lexer`: text → tokens (delimiters, trim markers, comments).
//! - `parse`: tokens → trees (`ast`), Go's grammar, scoping and wording.
//! - `ast`: the parse tree; prints nodes as Go's `String()` does.
//! - `number`: number literals, typed `int` or `float64` as Go types them.
//! - `exec`: runs a tree over a dot, with Go's error locations.
//! - `value`: [`Value`], the dynamic data ([`Dict`], [`List`], [`Methods`]
//!   of Go named types).
//! - `funcs`: the function registry ([`Function`], [`Arity`], [`Call`],
//!   [`FuncError`]) and Go's builtins.
//! - `compare`: `eq` … `ge` with Go's rules.
//! - `format`: Go's `fmt` ([`sprint`], [`quote`], `Sprintf`'s verbs).
//! - `escape`: `html`, `js`, `urlquery`.
//! - `error`: [`TemplateError`], worded as Go's.
//!
//! ```
//! use std::collections::BTreeMap;
//!
//! use gotemplate::{TemplateSet, Value};
//!
//! let mut set = TemplateSet::new();
//! set.parse("t", r#"{{range $k, $v := .}}{{$k}}={{$v}} {{end}}"#).unwrap();
//! let data = Value::map(BTreeMap::from([
//!     ("b".to_owned(), Value::Int(2)),
//!     ("a".to_owned(), Value::Float(1.5)),
//! ]));
//! assert_eq!(set.execute("t", &data).unwrap(), "a=1.5 b=2 ");
//! ```
//!
//! ## What it does not do
//! Go's `html/template` contextual escaping, complex numbers, range over Go
//! iterator functions, Go structs and pointers (data is [`Value`]s: maps,
//! lists and scalars as decoded JSON/YAML gives them, plus [`Methods`]),
//! and JSON/YAML decoding itself (sprig's `from_json` gives a [`Value`]).

mod ast;
mod compare;
mod error;
mod escape;
mod exec;
mod format;
mod funcs;
mod lexer;
mod number;
mod parse;
mod value;

use std::collections::BTreeMap;
use std::sync::Arc;

pub use error::TemplateError;
pub use funcs::{Arity, Call, FuncError, Function};
pub use value::{Dict, Field, List, Methods, Value};
// Go's `fmt`, for function libraries that print as Go does (sprig's
// `toString`, `quote`, `cat`, …).
pub use format::{quote, sprint, sprintf};

use ast::Tree;
use funcs::{Body, Registered};

/// What a field lookup of a missing map key gives (Go's `missingkey`
/// option).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MissingKey {
    /// "no value": prints `<no value>`, and fields of it are no value too.
    #[default]
    Default,
    /// The zero value of the map's element type (`interface{}`: nil);
    /// fields of it fail with "nil pointer evaluating" (Helm's choice).
    Zero,
    /// An error.
    Error,
}

/// A set of named templates that can call each other, with the functions
/// they may use. Cloning is cheap (trees are shared), as Helm's `tpl`
/// needs.
#[derive(Clone)]
pub struct TemplateSet {
    templates: BTreeMap<String, Arc<Tree>>,
    funcs: BTreeMap<String, Registered>,
    missing_key: MissingKey,
}

impl Default for TemplateSet {
    fn default() -> Self {
        TemplateSet::new()
    }
}

impl TemplateSet {
    /// An empty set with Go's builtin functions.
    pub fn new() -> TemplateSet {
        TemplateSet {
            templates: BTreeMap::new(),
            funcs: funcs::builtins(),
            missing_key: MissingKey::Default,
        }
    }

    /// Sets the `missingkey` option.
    pub fn missing_key(&mut self, missing_key: MissingKey) -> &mut Self {
        self.missing_key = missing_key;
        self
    }

    /// Registers a function (replacing a builtin of the same name, as a Go
    /// `FuncMap` does). Register before parsing: like Go, the parser
    /// rejects unknown function names.
    pub fn func(
        &mut self,
        name: &str,
        arity: Arity,
        function: impl Fn(&Call<'_>, &[Value]) -> Result<Value, FuncError> + Send + Sync + 'static,
    ) -> &mut Self {
        let registered = Registered {
            arity,
            body: Body::Func(Arc::new(function)),
            builtin: false,
        };
        self.funcs.insert(name.to_owned(), registered);
        self
    }

    /// Parses `text` as template `name`, adding it and the templates it
    /// `define`s to the set. A later definition replaces an earlier one,
    /// except that an empty body never replaces a non-empty one (Go's
    /// rule). On error the set is unchanged.
    pub fn parse(&mut self, name: &str, text: &str) -> Result<&mut Self, TemplateError> {
        self.parse_keeping(name, text, true)
    }

    /// Parses `text` as template `name` like [`parse`](Self::parse), except
    /// that `name` gets this text's own body even when it is empty (only
    /// spaces, comments and `define`s): what Go's `t.New(name).Parse(text)`
    /// returns and executes, whatever its set keeps under that name. Helm's
    /// `tpl` runs its text so, which a nested `tpl` of empty text relies on.
    pub fn parse_body(&mut self, name: &str, text: &str) -> Result<&mut Self, TemplateError> {
        self.parse_keeping(name, text, false)
    }

    /// `parse`, with Go's rule that an empty body does not replace a
    /// non-empty one applied to `name` itself only when `keep_name`.
    fn parse_keeping(
        &mut self,
        name: &str,
        text: &str,
        keep_name: bool,
    ) -> Result<&mut Self, TemplateError> {
        let funcs = &self.funcs;
        let trees = parse::parse(name, text, &|f| funcs.contains_key(f)).map_err(|e| {
            TemplateError::Parse {
                name: name.to_owned(),
                line: e.line,
                message: e.message,
            }
        })?;
        for tree in trees {
            let keep_old = tree.is_empty()
                && self.templates.contains_key(&tree.name)
                && (keep_name || tree.name != name);
            if !keep_old {
                self.templates.insert(tree.name.clone(), Arc::new(tree));
            }
        }
        Ok(self)
    }

    /// Whether a template of this name is in the set.
    pub fn has_template(&self, name: &str) -> bool {
        self.templates.contains_key(name)
    }

    /// The names of the templates in the set, sorted.
    pub fn template_names(&self) -> impl Iterator<Item = &str> {
        self.templates.keys().map(String::as_str)
    }

    /// Executes template `name` with `data` as dot (and `$`). It runs on
    /// a thread of its own with a large stack, so that templates nested
    /// to the depth limit cannot overflow the caller's stack.
    pub fn execute(&self, name: &str, data: &Value) -> Result<String, TemplateError> {
        let run = || exec::execute(self, name, data, 0);
        std::thread::scope(|scope| {
            let thread = std::thread::Builder::new()
                .name("template".to_owned())
                .stack_size(exec::STACK_SIZE)
                .spawn_scoped(scope, run);
            match thread {
                Ok(thread) => thread
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                // No thread to be had: run here, with the caller's stack.
                Err(_) => run(),
            }
        })
    }

    fn tree(&self, name: &str) -> Option<&Tree> {
        self.templates.get(name).map(AsRef::as_ref)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(text: &str, data: &Value) -> Result<String, TemplateError> {
        let mut set = TemplateSet::new();
        set.parse("t", text)?;
        set.execute("t", data)
    }

    #[test]
    fn renders_pipelines_and_control() {
        let list = Value::list(vec!["a".into(), "b".into()]);
        let out = render(
            "{{- range $i, $v := .l }}{{ if $i }},{{ end }}{{ $v | printf \"%q\" }}{{ end -}}",
            &Value::map(BTreeMap::from([("l".to_owned(), list)])),
        );
        assert_eq!(out.unwrap(), r#""a","b""#);
    }

    #[test]
    fn missing_keys_follow_the_option() {
        let empty = Value::map(BTreeMap::new());
        assert_eq!(render("{{.a.b}}", &empty).unwrap(), "<no value>");
        let mut set = TemplateSet::new();
        set.missing_key(MissingKey::Zero)
            .parse("t", "{{.a.b}}")
            .unwrap();
        let err = set.execute("t", &empty).unwrap_err();
        assert_eq!(
            err.to_string(),
            "template: t:1:4: executing \"t\" at <.a.b>: nil pointer evaluating interface {}.b"
        );
    }

    /// A set with Helm's `include`, as the Helm layer will register it.
    fn with_include() -> TemplateSet {
        let mut set = TemplateSet::new();
        set.func("include", Arity::Exact(2), |call, args| {
            let name = FuncError::string_arg(args, 0)?;
            Ok(call.execute(name, &args[1])?.into())
        });
        set
    }

    #[test]
    fn functions_can_fail_and_call_back_into_the_set() {
        let mut set = with_include();
        set.func("fail", Arity::Exact(1), |_, args| {
            Err(FuncError::message(FuncError::string_arg(args, 0)?))
        });
        set.parse(
            "t",
            r#"{{define "x"}}[{{.}}]{{end}}{{include "x" 1 | printf "%s!"}}"#,
        )
        .unwrap();
        assert_eq!(set.execute("t", &Value::Nil).unwrap(), "[1]!");
        set.parse("bad", r#"{{fail "no"}}"#).unwrap();
        let err = set.execute("bad", &Value::Nil).unwrap_err().to_string();
        assert_eq!(
            err,
            r#"template: bad:1:2: executing "bad" at <fail "no">: error calling fail: no"#
        );
    }

    #[test]
    fn recursion_stops_at_the_depth_limit() {
        let mut set = with_include();
        set.parse(
            "t",
            r#"{{define "r"}}{{template "r" .}}{{end}}{{template "r" .}}"#,
        )
        .unwrap();
        set.parse(
            "i",
            r#"{{define "ri"}}{{include "ri" .}}{{end}}{{include "ri" .}}"#,
        )
        .unwrap();
        let err = set.execute("t", &Value::Nil).unwrap_err().to_string();
        assert!(
            err.ends_with("exceeded maximum template depth (1000)"),
            "{err}"
        );
        let err = set.execute("i", &Value::Nil).unwrap_err().to_string();
        assert!(
            err.contains("exceeded maximum template depth (1000)"),
            "{err}"
        );
    }

    #[test]
    fn methods_come_before_entries_and_only_entries_are_ranged() {
        let mut set = TemplateSet::new();
        set.parse(
            "t",
            r#"{{.Files.Get "a"}}|{{range $k, $_ := .Files}}{{$k}},{{end}}|{{len .Files}}|{{index .Files "Get"}}|{{.Version}}|{{.Version.String}}|{{printf "%q" .Version}}|{{.Version.Major}}"#,
        )
        .unwrap();
        let get: Function =
            Arc::new(|_, args| Ok(format!("got {}", args[0].as_str().unwrap_or("")).into()));
        let entries = BTreeMap::from([
            ("Get".to_owned(), "entry".into()),
            ("a".to_owned(), "text".into()),
        ]);
        let files = Dict::with_methods(entries, Methods::new("engine.files").method("Get", get));
        let version = Dict::with_methods(
            BTreeMap::from([("Major".to_owned(), "1".into())]),
            Methods::of_struct("chartutil.KubeVersion").string("v1.2.3"),
        );
        let data = Value::map(BTreeMap::from([
            ("Files".to_owned(), Value::Map(files)),
            ("Version".to_owned(), Value::Map(version)),
        ]));
        assert_eq!(
            set.execute("t", &data).unwrap(),
            r#"got a|Get,a,|2|entry|v1.2.3|v1.2.3|"v1.2.3"|1"#
        );
    }
}
