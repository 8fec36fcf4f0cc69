//! YAML: Helm's `toYaml`, `toYamlPretty`, `fromYaml` and `fromYamlArray`
//! (Helm v3.21 has no `mustToYaml`).
//!
//! `toYaml` is `sigs.k8s.io/yaml`: the value goes through JSON, is read
//! back by go-yaml v2 (so JSON numbers become YAML ints or floats) and is
//! written by go-yaml v2's emitter. This module is that emitter, rule for
//! rule (`emitterc.go`): keys in go-yaml's order, two-space indent,
//! sequences not indented under their key, a string quoted exactly when
//! go-yaml v2 would read it back as something else or when its characters
//! need it, `|`/`|-`/`|+` blocks for multi-line strings, and plain and
//! quoted scalars folded past column 80.
//!
//! `toYamlPretty` is go-yaml v3's encoder with an indent of 2: it writes
//! the value directly (no JSON step), indents sequences and never folds
//! long lines; its quoting matches v2's.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use super::dates::as_time;
use super::encoding::base64_encode;
use super::json;
use super::{Table, Value, fail, str_arg};
use gotemplate::{Arity, FuncError};

pub(super) fn register(table: &mut Table<'_>) {
    use Arity::Exact;
    table.add(&["toYaml"], Exact(1), |a| {
        Ok(to_yaml(&a[0]).unwrap_or_default().into())
    });
    table.add(&["toYamlPretty"], Exact(1), |a| {
        Ok(to_yaml_pretty(&a[0]).unwrap_or_default().into())
    });
    table.add(&["fromYaml"], Exact(1), |a| {
        // The values reader types keys as Helm does (`n:` is `"false"`).
        Ok(match crate::goyaml::read_map(str_arg(a, 0)?.as_bytes()) {
            Ok(map) => json::from_json(&serde_json::Value::Object(map)),
            Err(error) => error_map(&error.to_string()),
        })
    });
    table.add(&["fromYamlArray"], Exact(1), |a| {
        Ok(match from_yaml(str_arg(a, 0)?) {
            Ok(value @ Value::List(_)) => value,
            Ok(Value::Nil) => Value::list(Vec::new()),
            Ok(other) => Value::list(vec![
                format!(
                    "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type []interface {{}}",
                    json_kind(&other)
                )
                .into(),
            ]),
            Err(error) => Value::list(vec![error.into()]),
        })
    });
}

fn error_map(message: &str) -> Value {
    Value::map(BTreeMap::from([("Error".to_owned(), message.into())]))
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Bool(_) => "bool",
        Value::Int(_) | Value::Float(_) => "number",
        Value::String(_) => "string",
        Value::List(_) => "array",
        _ => "object",
    }
}

/// YAML text → a value as `sigs.k8s.io/yaml` decodes it (through JSON, so
/// numbers are float64; go-yaml v2 underneath reads the first document and
/// lets a repeated key replace the earlier one).
fn from_yaml(text: &str) -> Result<Value, String> {
    let json: serde_json::Value = crate::goyaml::from_str(text).map_err(|error| match error {
        crate::goyaml::YamlError::Invalid { detail } => {
            format!("error converting YAML to JSON: yaml: {detail}")
        }
        other => other.to_string(),
    })?;
    Ok(json::from_json(&json))
}

/// `toYaml`: go-yaml v2's output, without its final newline.
fn to_yaml(value: &Value) -> Result<String, FuncError> {
    // The JSON step fails where Go's does (NaN, infinities, functions);
    // go-yaml then refuses control characters JSON leaves unescaped.
    let text = json::encode(value, json::Style::Compact)?;
    if let Some(c) = text.chars().find(|&c| !readable(c)) {
        return Err(fail(format!(
            "error converting JSON to YAML: yaml: control characters are not allowed (U+{:04X})",
            u32::from(c)
        )));
    }
    let node = Node::from_json_model(value);
    let mut emitter = Emitter::new(Flavor::V2);
    emitter.document(&node);
    let out = emitter.finish();
    Ok(out.strip_suffix('\n').unwrap_or(&out).to_owned())
}

/// `toYamlPretty`: go-yaml v3 with an indent of 2.
fn to_yaml_pretty(value: &Value) -> Result<String, FuncError> {
    let node = Node::from_value(value)?;
    let mut emitter = Emitter::new(Flavor::V3);
    emitter.document(&node);
    let out = emitter.finish();
    Ok(out.strip_suffix('\n').unwrap_or(&out).to_owned())
}

/// A YAML node as the encoder hands it to the emitter.
enum Node {
    /// A scalar that reads back as a non-string (numbers, bools, null):
    /// always plain.
    Plain(String),
    /// A string, quoted or not as the rules say.
    Str(String),
    Seq(Vec<Node>),
    /// Entries in emitting order.
    Map(Vec<(String, Node)>),
}

impl Node {
    /// The node go-yaml v2 builds from a value's JSON: integers that fit
    /// 64 bits are ints, other numbers floats; keys in go-yaml's order.
    fn from_json_model(value: &Value) -> Node {
        if let Some(bytes) = value.as_bytes() {
            return Node::Str(base64_encode(&bytes));
        }
        if let Some(time) = as_time(value) {
            return Node::Str(time.rfc3339_nano());
        }
        match value {
            Value::Nil | Value::Func(_) => Node::Plain("null".into()),
            Value::Bool(b) => Node::Plain(b.to_string()),
            Value::Int(i) => Node::Plain(i.to_string()),
            Value::Float(f) => {
                let text = json::float(*f).unwrap_or_default();
                if text.parse::<i64>().is_ok() || text.parse::<u64>().is_ok() {
                    // `-0` reads back as the int 0.
                    Node::Plain(if text == "-0" { "0".into() } else { text })
                } else {
                    Node::Plain(go_float(*f))
                }
            }
            Value::String(s) => Node::Str(s.clone()),
            Value::List(items) => Node::Seq(items.iter().map(Node::from_json_model).collect()),
            Value::Map(entries) => {
                let mut entries: Vec<(String, Value)> = json::struct_entries(value)
                    .unwrap_or_else(|| entries.entries().into_iter().collect());
                entries.sort_by(|(a, _), (b, _)| v2_key_order(a, b));
                Node::Map(
                    entries
                        .into_iter()
                        .map(|(k, v)| (k, Node::from_json_model(&v)))
                        .collect(),
                )
            }
        }
    }

    /// The node go-yaml v3 builds from a value directly.
    fn from_value(value: &Value) -> Result<Node, FuncError> {
        if let Some(time) = as_time(value) {
            return Ok(Node::Plain(time.rfc3339_nano()));
        }
        Ok(match value {
            Value::Nil => Node::Plain("null".into()),
            Value::Bool(b) => Node::Plain(b.to_string()),
            Value::Int(i) => Node::Plain(i.to_string()),
            Value::Float(f) => Node::Plain(match go_float(*f).as_str() {
                "+Inf" => ".inf".into(),
                "-Inf" => "-.inf".into(),
                "NaN" => ".nan".into(),
                other => other.to_owned(),
            }),
            Value::String(s) => Node::Str(s.clone()),
            Value::List(items) => Node::Seq(
                items
                    .iter()
                    .map(Node::from_value)
                    .collect::<Result<_, _>>()?,
            ),
            Value::Map(entries) => Node::Map(
                entries
                    .entries()
                    .into_iter()
                    .map(|(k, v)| Ok((k, Node::from_value(&v)?)))
                    .collect::<Result<_, FuncError>>()?,
            ),
            Value::Func(_) => return Err(fail("cannot marshal type: func")),
        })
    }
}

/// `strconv.FormatFloat(f, 'g', -1, 64)`.
fn go_float(f: f64) -> String {
    gotemplate::sprint(&[Value::Float(f)])
}

/// go-yaml v2's key order (`sorter.go`): letters after other characters,
/// runs of digits compared as numbers.
fn v2_key_order(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let (ar, br): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let less = |x: bool| if x { Ordering::Less } else { Ordering::Greater };
    for i in 0..ar.len().min(br.len()) {
        if ar[i] == br[i] {
            continue;
        }
        let (al, bl) = (ar[i].is_alphabetic(), br[i].is_alphabetic());
        if al && bl {
            return ar[i].cmp(&br[i]);
        }
        if al || bl {
            return less(bl);
        }
        let (mut an, mut bn) = (0i64, 0i64);
        if ar[i] == '0' || br[i] == '0' {
            let mut j = i;
            while j > 0 && ar[j - 1].is_ascii_digit() {
                j -= 1;
                if ar[j] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let mut ai = i;
        while ai < ar.len() && ar[ai].is_ascii_digit() {
            an = an
                .wrapping_mul(10)
                .wrapping_add(i64::from(ar[ai] as u8 - b'0'));
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && br[bi].is_ascii_digit() {
            bn = bn
                .wrapping_mul(10)
                .wrapping_add(i64::from(br[bi] as u8 - b'0'));
            bi += 1;
        }
        if an != bn {
            return less(an < bn);
        }
        if ai != bi {
            return less(ai < bi);
        }
        return less(ar[i] < br[i]);
    }
    ar.len().cmp(&br.len())
}

/// Which go-yaml writes.
#[derive(Clone, Copy, PartialEq)]
enum Flavor {
    /// go-yaml v2 (`toYaml`): sequences in mappings not indented.
    V2,
    /// go-yaml v3, indent 2 (`toYamlPretty`).
    V3,
}

#[derive(Clone, Copy, PartialEq)]
enum Style {
    Plain,
    Single,
    Double,
    Literal,
}

/// go-yaml's emitter state, as far as block-style output needs it.
struct Emitter {
    flavor: Flavor,
    out: String,
    column: usize,
    indent: i64,
    indents: Vec<i64>,
    whitespace: bool,
    indention: bool,
}

const BEST_INDENT: i64 = 2;

impl Emitter {
    fn new(flavor: Flavor) -> Emitter {
        Emitter {
            flavor,
            out: String::new(),
            column: 0,
            indent: -1,
            indents: Vec::new(),
            whitespace: true,
            indention: true,
        }
    }

    fn document(&mut self, node: &Node) {
        self.node(node, false, false);
        self.write_indent();
    }

    fn finish(self) -> String {
        self.out
    }

    /// Where go-yaml folds long scalars: column 80 in v2; v3 as Helm
    /// sets it up never folds.
    fn best_width(&self) -> usize {
        match self.flavor {
            Flavor::V2 => 80,
            Flavor::V3 => usize::MAX,
        }
    }

    fn increase_indent(&mut self, flow: bool, indentless: bool) {
        self.indents.push(self.indent);
        if self.indent < 0 {
            self.indent = if flow { BEST_INDENT } else { 0 };
        } else if !indentless {
            self.indent += BEST_INDENT;
        }
    }

    fn decrease_indent(&mut self) {
        self.indent = self.indents.pop().unwrap_or(-1);
    }

    fn put(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
    }

    fn write_indent(&mut self) {
        let indent = self.indent.max(0) as usize;
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(' ');
        }
        self.whitespace = true;
        self.indention = true;
    }

    fn indicator(
        &mut self,
        text: &str,
        need_whitespace: bool,
        is_whitespace: bool,
        is_indention: bool,
    ) {
        if need_whitespace && !self.whitespace {
            self.put(' ');
        }
        for c in text.chars() {
            self.put(c);
        }
        self.whitespace = is_whitespace;
        self.indention = self.indention && is_indention;
    }

    /// Emits a node; `mapping_value` and `simple_key` are go-yaml's
    /// mapping and simple-key contexts.
    fn node(&mut self, node: &Node, mapping_value: bool, simple_key: bool) {
        match node {
            Node::Plain(text) => self.scalar(text, Style::Plain, simple_key),
            Node::Str(text) => {
                let style = encoder_style(text);
                self.scalar(text, style, simple_key);
            }
            Node::Seq(items) if items.is_empty() => self.indicator("[]", true, false, false),
            Node::Map(entries) if entries.is_empty() => self.indicator("{}", true, false, false),
            Node::Seq(items) => {
                let indentless = self.flavor == Flavor::V2 && mapping_value && !self.indention;
                self.increase_indent(false, indentless);
                for item in items {
                    self.write_indent();
                    self.indicator("-", true, false, true);
                    self.node(item, false, false);
                }
                self.decrease_indent();
            }
            Node::Map(entries) => {
                self.increase_indent(false, false);
                for (key, value) in entries {
                    self.write_indent();
                    if key.chars().any(is_break) || key.len() > 128 {
                        // Not a simple key (multi-line, or longer than
                        // go-yaml allows one): `? KEY` then `: VALUE`.
                        self.indicator("?", true, false, true);
                        self.node(&Node::Str(key.clone()), true, false);
                        self.write_indent();
                        self.indicator(":", true, false, true);
                    } else {
                        let key_style = encoder_style(key);
                        self.scalar(key, key_style, true);
                        self.indicator(":", false, false, false);
                    }
                    self.node(value, true, false);
                }
                self.decrease_indent();
            }
        }
    }

    fn scalar(&mut self, text: &str, requested: Style, simple_key: bool) {
        let analysis = analyze(text);
        let mut style = requested;
        if simple_key && analysis.multiline {
            style = Style::Double;
        }
        if style == Style::Plain
            && (!analysis.block_plain_allowed || (text.is_empty() && simple_key))
        {
            style = Style::Single;
        }
        if style == Style::Single && !analysis.single_quoted_allowed {
            style = Style::Double;
        }
        if style == Style::Literal && (!analysis.block_allowed || simple_key) {
            style = Style::Double;
        }
        self.increase_indent(true, false);
        let breaks = !simple_key;
        match style {
            Style::Plain => self.plain(text, breaks),
            Style::Single => self.single_quoted(text, breaks),
            Style::Double => self.double_quoted(text, breaks),
            Style::Literal => self.literal(text),
        }
        self.decrease_indent();
    }

    fn plain(&mut self, text: &str, allow_breaks: bool) {
        if !self.whitespace && (self.flavor == Flavor::V2 || !text.is_empty()) {
            self.put(' ');
        }
        let chars: Vec<char> = text.chars().collect();
        let (mut spaces, mut breaks) = (false, false);
        for (i, &c) in chars.iter().enumerate() {
            if c == ' ' {
                let next_space = chars.get(i + 1) == Some(&' ');
                if allow_breaks && !spaces && self.column > self.best_width() && !next_space {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                spaces = true;
            } else if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.put(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        self.whitespace = false;
        self.indention = false;
    }

    fn write_break(&mut self, c: char) {
        if c == '\n' {
            self.put_break();
        } else {
            self.out.push(c);
            self.column = 0;
        }
    }

    fn single_quoted(&mut self, text: &str, allow_breaks: bool) {
        self.indicator("'", true, false, false);
        let chars: Vec<char> = text.chars().collect();
        let (mut spaces, mut breaks) = (false, false);
        for (i, &c) in chars.iter().enumerate() {
            if c == ' ' {
                let next_space = chars.get(i + 1) == Some(&' ');
                if allow_breaks
                    && !spaces
                    && self.column > self.best_width()
                    && i != 0
                    && i != chars.len() - 1
                    && !next_space
                {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                spaces = true;
            } else if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                if c == '\'' {
                    self.put('\'');
                }
                self.put(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        self.indicator("'", false, false, false);
    }

    fn double_quoted(&mut self, text: &str, allow_breaks: bool) {
        self.indicator("\"", true, false, false);
        let chars: Vec<char> = text.chars().collect();
        let mut spaces = false;
        for (i, &c) in chars.iter().enumerate() {
            if !is_printable(c) || c == '\u{feff}' || is_break(c) || c == '"' || c == '\\' {
                self.put('\\');
                let escape = match c {
                    '\0' => "0".to_owned(),
                    '\u{7}' => "a".to_owned(),
                    '\u{8}' => "b".to_owned(),
                    '\t' => "t".to_owned(),
                    '\n' => "n".to_owned(),
                    '\u{b}' => "v".to_owned(),
                    '\u{c}' => "f".to_owned(),
                    '\r' => "r".to_owned(),
                    '\u{1b}' => "e".to_owned(),
                    '"' => "\"".to_owned(),
                    '\\' => "\\".to_owned(),
                    '\u{85}' => "N".to_owned(),
                    '\u{a0}' => "_".to_owned(),
                    '\u{2028}' => "L".to_owned(),
                    '\u{2029}' => "P".to_owned(),
                    c if u32::from(c) <= 0xff => format!("x{:02X}", u32::from(c)),
                    c if u32::from(c) <= 0xffff => format!("u{:04X}", u32::from(c)),
                    c => format!("U{:08X}", u32::from(c)),
                };
                for e in escape.chars() {
                    self.put(e);
                }
                spaces = false;
            } else if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > self.best_width()
                    && i != 0
                    && i != chars.len() - 1
                {
                    self.write_indent();
                    if chars.get(i + 1) == Some(&' ') {
                        self.put('\\');
                    }
                } else {
                    self.put(c);
                }
                spaces = true;
            } else {
                self.put(c);
                spaces = false;
            }
        }
        self.indicator("\"", false, false, false);
    }

    fn literal(&mut self, text: &str) {
        self.indicator("|", true, false, false);
        let chars: Vec<char> = text.chars().collect();
        if chars.first().is_some_and(|&c| c == ' ' || is_break(c)) {
            self.indicator(&BEST_INDENT.to_string(), false, false, false);
        }
        let last_break = chars.last().is_some_and(|&c| is_break(c));
        let chomp = if !last_break {
            Some("-")
        } else if chars.len() == 1 || is_break(chars[chars.len() - 2]) {
            Some("+")
        } else {
            None
        };
        if let Some(chomp) = chomp {
            self.indicator(chomp, false, false, false);
        }
        self.put_break();
        self.indention = true;
        self.whitespace = true;
        let mut breaks = true;
        for &c in &chars {
            if is_break(c) {
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.put(c);
                self.indention = false;
                breaks = false;
            }
        }
    }
}

/// What go-yaml's reader accepts in its input.
fn readable(c: char) -> bool {
    let u = u32::from(c);
    matches!(u, 0x09 | 0x0a | 0x0d | 0x20..=0x7e | 0x85 | 0xa0..=0xd7ff | 0xe000..=0xfffd | 0x10000..)
}

fn is_break(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// libyaml's printable set: no tabs or other controls, nothing beyond
/// the Basic Multilingual Plane.
fn is_printable(c: char) -> bool {
    let u = u32::from(c);
    u == 0x0a
        || (0x20..=0x7e).contains(&u)
        || (0xa0..=0xd7ff).contains(&u)
        || ((0xe000..=0xfffd).contains(&u) && u != 0xfeff)
}

/// What `yaml_emitter_analyze_scalar` finds out about a scalar (the
/// block-context part of it).
struct Analysis {
    multiline: bool,
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
    block_allowed: bool,
}

fn analyze(text: &str) -> Analysis {
    if text.is_empty() {
        return Analysis {
            multiline: false,
            block_plain_allowed: true,
            single_quoted_allowed: true,
            block_allowed: false,
        };
    }
    let chars: Vec<char> = text.chars().collect();
    let mut block_indicators = text.starts_with("---") || text.starts_with("...");
    let (mut line_breaks, mut special) = (false, false);
    let (mut leading_space, mut leading_break, mut trailing_space, mut trailing_break) =
        (false, false, false, false);
    let (mut break_space, mut space_break) = (false, false);
    let (mut previous_space, mut previous_break) = (false, false);
    let mut preceded_by_whitespace = true;
    let last = chars.len() - 1;
    for (i, &c) in chars.iter().enumerate() {
        let followed_by_whitespace = chars
            .get(i + 1)
            .is_none_or(|&n| n == ' ' || n == '\t' || is_break(n));
        if i == 0 {
            match c {
                '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"'
                | '%' | '@' | '`' => {
                    block_indicators = true;
                }
                '?' | ':' | '-' if followed_by_whitespace => block_indicators = true,
                _ => {}
            }
        } else {
            match c {
                ':' if followed_by_whitespace => block_indicators = true,
                '#' if preceded_by_whitespace => block_indicators = true,
                _ => {}
            }
        }
        if !is_printable(c) {
            special = true;
        }
        if c == ' ' {
            leading_space |= i == 0;
            trailing_space |= i == last;
            break_space |= previous_break;
            previous_space = true;
            previous_break = false;
        } else if is_break(c) {
            line_breaks = true;
            leading_break |= i == 0;
            trailing_break |= i == last;
            space_break |= previous_space;
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_whitespace = c == ' ' || c == '\t' || is_break(c) || c == '\0';
    }
    let mut analysis = Analysis {
        multiline: line_breaks,
        block_plain_allowed: true,
        single_quoted_allowed: true,
        block_allowed: true,
    };
    if leading_space
        || leading_break
        || trailing_space
        || trailing_break
        || line_breaks
        || block_indicators
    {
        analysis.block_plain_allowed = false;
    }
    if trailing_space {
        analysis.block_allowed = false;
    }
    if break_space {
        analysis.single_quoted_allowed = false;
    }
    if space_break || special {
        analysis.block_plain_allowed = false;
        analysis.single_quoted_allowed = false;
        analysis.block_allowed = false;
    }
    analysis
}

/// The style the encoder asks for a string: a block for multi-line text,
/// plain when it reads back as the same string, else double quotes.
fn encoder_style(s: &str) -> Style {
    if s.contains('\n') {
        return Style::Literal;
    }
    if resolves_to_string_v2(s) && !is_base60_float(s) {
        Style::Plain
    } else {
        Style::Double
    }
}

static BASE60_FLOAT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$").expect("valid regex")
});
static YAML_FLOAT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$").expect("valid regex")
});
static TIMESTAMP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(\d{4})-(\d{1,2})-(\d{1,2})",
        r"(?:(?:[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?(?:Z|[-+]\d{2}:\d{2}))",
        r"|(?: (\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?))?$"
    ))
    .expect("valid regex")
});

fn is_base60_float(s: &str) -> bool {
    BASE60_FLOAT.is_match(s)
}

/// go-yaml v2's `resolve`: whether a plain scalar reads back as a string.
fn resolves_to_string_v2(s: &str) -> bool {
    const SPECIAL: &[&str] = &[
        "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", "n", "N", "no",
        "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF", "", "~", "null", "Null",
        "NULL", ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf",
        "-.Inf", "-.INF",
    ];
    if SPECIAL.contains(&s) {
        return false;
    }
    match s.as_bytes()[0] {
        b'.' => super::conversion::parse_go_float(s).is_none() || s.len() == 1,
        b'+' | b'-' | b'0'..=b'9' => {
            if is_timestamp(s) {
                return false;
            }
            let plain = s.replace('_', "");
            let is_int = super::conversion::parse_go_int(&plain).is_some()
                || parse_uint(&plain)
                || YAML_FLOAT.is_match(&plain)
                || binary(&plain);
            !is_int
        }
        _ => true,
    }
}

fn parse_uint(s: &str) -> bool {
    !s.starts_with(['-', '+'])
        && !s.is_empty()
        && s.bytes().all(|b| b.is_ascii_digit())
        && s.parse::<u64>().is_ok()
}

fn binary(s: &str) -> bool {
    let digits = s.strip_prefix("-").unwrap_or(s);
    digits
        .strip_prefix("0b")
        .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b == b'0' || b == b'1'))
}

fn is_timestamp(s: &str) -> bool {
    let Some(caps) = TIMESTAMP.captures(s) else {
        return false;
    };
    let number = |i: usize| caps.get(i).map(|m| m.as_str().parse::<u32>().unwrap_or(99));
    let (year, month, day) = (
        number(1).unwrap_or(0),
        number(2).unwrap_or(0),
        number(3).unwrap_or(0),
    );
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    if day == 0 || day > days {
        return false;
    }
    let time_ok = |h: Option<u32>, m: Option<u32>, s: Option<u32>| match (h, m, s) {
        (Some(h), Some(m), Some(s)) => h < 24 && m < 60 && s < 60,
        _ => true,
    };
    time_ok(number(4), number(5), number(6)) && time_ok(number(7), number(8), number(9))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(json: serde_json::Value) -> String {
        to_yaml(&json::from_json(&json)).unwrap()
    }

    #[test]
    fn block_style_like_go_yaml_v2() {
        assert_eq!(
            yaml(serde_json::json!({"b": [1, "x", {"c": null}], "a": {"d": [], "e": {}}})),
            "a:\n  d: []\n  e: {}\nb:\n- 1\n- x\n- c: null"
        );
        assert_eq!(
            yaml(serde_json::json!([
                "true", "", "1.5", "a: b", "- x", "x\ny"
            ])),
            "- \"true\"\n- \"\"\n- \"1.5\"\n- 'a: b'\n- '- x'\n- |-\n  x\n  y"
        );
    }

    #[test]
    fn keys_in_go_yaml_order() {
        let mut keys = vec!["a10", "a9", "B", "a", "_x", "1"];
        keys.sort_by(|a, b| v2_key_order(a, b));
        assert_eq!(keys, ["_x", "1", "B", "a", "a9", "a10"]);
    }
}
