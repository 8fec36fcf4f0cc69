//! Terraform's `yamlencode`, byte for byte: go-cty-yaml drives libyaml's
//! emitter with block collections, keys in sorted order, every string
//! double-quoted (literal `|` when it holds a line break), and numbers,
//! booleans and null plain. A value the provider reads back from the
//! world (the agent's values on import) is written this way, so it equals
//! what a configuration that wrote the same values with `yamlencode` holds.
//!
//! Ported from go-cty-yaml v1.1.0 (`encode.go`, `emitterc.go`): the parts
//! of libyaml's emitter those events reach, with its widths (indent 2,
//! line 80) and its quirks (folding long double-quoted strings at spaces,
//! a key over 128 bytes or with a line break written as `? key`).

use serde_json::{Map, Value};

/// libyaml's indentation step.
const BEST_INDENT: i64 = 2;
/// The column past which libyaml folds a double-quoted string at a space.
const BEST_WIDTH: usize = 80;
/// The longest key libyaml writes as a simple `key: value`.
const SIMPLE_KEY_LENGTH: usize = 128;

/// `value` as Terraform's `yamlencode(value)` writes it.
pub fn yamlencode(value: &Value) -> String {
    let mut emitter = Emitter::default();
    emitter.node(value, Context::ROOT);
    // Document end (implicit), then stream end.
    emitter.write_indent();
    if emitter.open_ended {
        emitter.write_indicator("...", true, false, false);
        emitter.write_indent();
    }
    String::from_utf8(emitter.out).expect("whole UTF-8 characters are copied")
}

/// Where a node is written (libyaml's `*_context` flags).
#[derive(Clone, Copy)]
struct Context {
    root: bool,
    mapping: bool,
    simple_key: bool,
}

impl Context {
    const ROOT: Self = Self {
        root: true,
        mapping: false,
        simple_key: false,
    };
    const SEQUENCE_ITEM: Self = Self {
        root: false,
        ..Self::ROOT
    };
    const KEY: Self = Self {
        root: false,
        mapping: true,
        simple_key: true,
    };
    const VALUE: Self = Self {
        root: false,
        mapping: true,
        simple_key: false,
    };
}

/// How a scalar is written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain,
    DoubleQuoted,
    Literal,
}

/// libyaml's emitter state, as far as these events use it.
struct Emitter {
    out: Vec<u8>,
    /// Characters (not bytes) written on the current line.
    column: usize,
    /// The current indentation; -1 before the root node.
    indent: i64,
    indents: Vec<i64>,
    /// Whether the last character written was whitespace.
    whitespace: bool,
    /// Whether only indentation was written on this line.
    indention: bool,
    /// Whether the document needs `...` to end (after a `|+` scalar).
    open_ended: bool,
}

impl Default for Emitter {
    fn default() -> Self {
        Self {
            out: Vec::new(),
            column: 0,
            indent: -1,
            indents: Vec::new(),
            whitespace: true,
            indention: true,
            open_ended: false,
        }
    }
}

impl Emitter {
    fn node(&mut self, value: &Value, context: Context) {
        match value {
            Value::Null => self.scalar(b"null", Style::Plain, context),
            Value::Bool(flag) => {
                let text = if *flag { "true" } else { "false" };
                self.scalar(text.as_bytes(), Style::Plain, context);
            }
            Value::Number(number) => {
                // cty's `Text('f', -1)`: the shortest decimal, never an
                // exponent.
                let text = match number.as_f64() {
                    Some(float) if !number.is_i64() && !number.is_u64() => float.to_string(),
                    _ => number.to_string(),
                };
                self.scalar(text.as_bytes(), Style::Plain, context);
            }
            Value::String(text) => {
                let style = if text.contains('\n') {
                    Style::Literal
                } else {
                    Style::DoubleQuoted
                };
                self.scalar(text.as_bytes(), style, context);
            }
            Value::Array(items) if items.is_empty() => self.empty_flow("[", "]"),
            Value::Array(items) => self.block_sequence(items, context),
            Value::Object(entries) if entries.is_empty() => self.empty_flow("{", "}"),
            Value::Object(entries) => self.block_mapping(entries),
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

    fn restore_indent(&mut self) {
        self.indent = self.indents.pop().unwrap_or(-1);
    }

    fn empty_flow(&mut self, open: &str, close: &str) {
        self.write_indicator(open, true, true, false);
        self.increase_indent(true, false);
        self.restore_indent();
        self.write_indicator(close, false, false, false);
    }

    fn block_sequence(&mut self, items: &[Value], context: Context) {
        self.increase_indent(false, context.mapping && !self.indention);
        for item in items {
            self.write_indent();
            self.write_indicator("-", true, false, true);
            self.node(item, Context::SEQUENCE_ITEM);
        }
        self.restore_indent();
    }

    fn block_mapping(&mut self, entries: &Map<String, Value>) {
        self.increase_indent(false, false);
        for (key, value) in entries {
            self.write_indent();
            let key_value = Value::String(key.clone());
            if !is_multiline(key.as_bytes()) && key.len() <= SIMPLE_KEY_LENGTH {
                self.node(&key_value, Context::KEY);
                self.write_indicator(":", false, false, false);
            } else {
                self.write_indicator("?", true, false, true);
                self.node(&key_value, Context::VALUE);
                self.write_indent();
                self.write_indicator(":", true, false, true);
            }
            self.node(value, Context::VALUE);
        }
        self.restore_indent();
    }

    fn scalar(&mut self, value: &[u8], asked: Style, context: Context) {
        let analysis = Analysis::of(value);
        let mut style = asked;
        if context.simple_key && analysis.multiline {
            style = Style::DoubleQuoted;
        }
        if style == Style::Literal && (!analysis.block_allowed || context.simple_key) {
            style = Style::DoubleQuoted;
        }
        self.increase_indent(true, false);
        match style {
            Style::Plain => self.write_plain(value, context.root),
            Style::DoubleQuoted => self.write_double_quoted(value, !context.simple_key),
            Style::Literal => self.write_literal(value),
        }
        self.restore_indent();
    }

    fn put(&mut self, byte: u8) {
        self.out.push(byte);
        self.column += 1;
    }

    fn put_break(&mut self) {
        self.out.push(b'\n');
        self.column = 0;
    }

    /// Copies the character at `*at`, moving past it.
    fn write(&mut self, value: &[u8], at: &mut usize) {
        let width = width(value[*at]);
        self.out.extend_from_slice(&value[*at..*at + width]);
        self.column += 1;
        *at += width;
    }

    /// Copies the line break at `*at`, moving past it.
    fn write_break(&mut self, value: &[u8], at: &mut usize) {
        if value[*at] == b'\n' {
            self.put_break();
            *at += 1;
        } else {
            self.write(value, at);
            self.column = 0;
        }
    }

    fn write_indent(&mut self) {
        let indent = usize::try_from(self.indent.max(0)).unwrap_or(0);
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(b' ');
        }
        self.whitespace = true;
        self.indention = true;
    }

    fn write_indicator(
        &mut self,
        indicator: &str,
        need_whitespace: bool,
        is_whitespace: bool,
        is_indention: bool,
    ) {
        if need_whitespace && !self.whitespace {
            self.put(b' ');
        }
        let bytes = indicator.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            self.write(bytes, &mut at);
        }
        self.whitespace = is_whitespace;
        self.indention = self.indention && is_indention;
        self.open_ended = false;
    }

    /// Plain scalars here are null, booleans and numbers: no spaces or
    /// breaks to fold. A document that is one ends open (`...`).
    fn write_plain(&mut self, value: &[u8], root: bool) {
        if !self.whitespace {
            self.put(b' ');
        }
        let mut at = 0;
        while at < value.len() {
            self.write(value, &mut at);
        }
        self.whitespace = false;
        self.indention = false;
        self.open_ended |= root;
    }

    fn write_double_quoted(&mut self, value: &[u8], allow_breaks: bool) {
        let mut spaces = false;
        self.write_indicator("\"", true, false, false);
        let mut at = 0;
        while at < value.len() {
            if !is_printable(value, at)
                || starts_with_bom(value)
                || is_break(value, at)
                || value[at] == b'"'
                || value[at] == b'\\'
            {
                let width = width(value[at]);
                let character = std::str::from_utf8(&value[at..at + width])
                    .ok()
                    .and_then(|text| text.chars().next())
                    .map_or(0, u32::from);
                at += width;
                self.put(b'\\');
                match character {
                    0x00 => self.put(b'0'),
                    0x07 => self.put(b'a'),
                    0x08 => self.put(b'b'),
                    0x09 => self.put(b't'),
                    0x0A => self.put(b'n'),
                    0x0B => self.put(b'v'),
                    0x0C => self.put(b'f'),
                    0x0D => self.put(b'r'),
                    0x1B => self.put(b'e'),
                    0x22 => self.put(b'"'),
                    0x5C => self.put(b'\\'),
                    0x85 => self.put(b'N'),
                    0xA0 => self.put(b'_'),
                    0x2028 => self.put(b'L'),
                    0x2029 => self.put(b'P'),
                    _ => {
                        let (letter, digits) = match character {
                            0..=0xFF => (b'x', 2),
                            0x100..=0xFFFF => (b'u', 4),
                            _ => (b'U', 8),
                        };
                        self.put(letter);
                        for digit in (0..digits).rev() {
                            let nibble = (character >> (digit * 4)) & 0x0F;
                            self.put(b"0123456789ABCDEF"[nibble as usize]);
                        }
                    }
                }
                spaces = false;
            } else if value[at] == b' ' {
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && at > 0
                    && at < value.len() - 1
                {
                    self.write_indent();
                    if value[at + 1] == b' ' {
                        self.put(b'\\');
                    }
                    at += 1;
                } else {
                    self.write(value, &mut at);
                }
                spaces = true;
            } else {
                self.write(value, &mut at);
                spaces = false;
            }
        }
        self.write_indicator("\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_literal(&mut self, value: &[u8]) {
        self.write_indicator("|", true, false, false);
        self.write_block_scalar_hints(value);
        self.put_break();
        self.indention = true;
        self.whitespace = true;
        let mut breaks = true;
        let mut at = 0;
        while at < value.len() {
            if is_break(value, at) {
                self.write_break(value, &mut at);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.write(value, &mut at);
                self.indention = false;
                breaks = false;
            }
        }
    }

    fn write_block_scalar_hints(&mut self, value: &[u8]) {
        if value.first() == Some(&b' ') || is_break(value, 0) {
            let hint = char::from(b'0' + BEST_INDENT as u8).to_string();
            self.write_indicator(&hint, false, false, false);
        }
        // libyaml marks the document open-ended for a `+` hint, but
        // writing the hint clears the mark again: no `...` follows.
        let last = last_character(value, value.len());
        let chomp = match last {
            None => Some("-"),
            Some(last) if !is_break(value, last) => Some("-"),
            Some(0) => Some("+"),
            Some(last) => last_character(value, last)
                .filter(|before| is_break(value, *before))
                .map(|_| "+"),
        };
        if let Some(chomp) = chomp {
            self.write_indicator(chomp, false, false, false);
        }
    }
}

/// What libyaml's `analyze_scalar` finds that decides a string's style.
struct Analysis {
    multiline: bool,
    block_allowed: bool,
}

impl Analysis {
    fn of(value: &[u8]) -> Self {
        if value.is_empty() {
            return Self {
                multiline: false,
                block_allowed: false,
            };
        }
        let (mut line_breaks, mut special, mut trailing_space, mut space_break) =
            (false, false, false, false);
        let (mut previous_space, mut at) = (false, 0);
        while at < value.len() {
            let width = width(value[at]);
            if !is_printable(value, at) {
                special = true;
            }
            if value[at] == b' ' {
                trailing_space = at + width == value.len();
                previous_space = true;
            } else if is_break(value, at) {
                line_breaks = true;
                space_break |= previous_space;
                previous_space = false;
            } else {
                previous_space = false;
            }
            at += width;
        }
        Self {
            multiline: line_breaks,
            block_allowed: !(trailing_space || space_break || special),
        }
    }
}

/// Whether `value` holds a line break.
fn is_multiline(value: &[u8]) -> bool {
    let mut at = 0;
    while at < value.len() {
        if is_break(value, at) {
            return true;
        }
        at += width(value[at]);
    }
    false
}

/// The start of the character before `end`.
fn last_character(value: &[u8], end: usize) -> Option<usize> {
    let mut at = end.checked_sub(1)?;
    while value[at] & 0xC0 == 0x80 {
        at = at.checked_sub(1)?;
    }
    Some(at)
}

/// The byte length of the UTF-8 character starting with `lead`.
fn width(lead: u8) -> usize {
    match lead {
        byte if byte & 0x80 == 0x00 => 1,
        byte if byte & 0xE0 == 0xC0 => 2,
        byte if byte & 0xF0 == 0xE0 => 3,
        _ => 4,
    }
}

/// Byte `at + offset`, or 0 past the end (libyaml's buffers end in NULs).
fn byte(value: &[u8], at: usize, offset: usize) -> u8 {
    value.get(at + offset).copied().unwrap_or(0)
}

/// libyaml's `is_printable`: what it writes as is in a quoted string.
fn is_printable(value: &[u8], at: usize) -> bool {
    let (b0, b1, b2) = (byte(value, at, 0), byte(value, at, 1), byte(value, at, 2));
    b0 == 0x0A
        || (0x20..=0x7E).contains(&b0)
        || (b0 == 0xC2 && b1 >= 0xA0)
        || (b0 > 0xC2 && b0 < 0xED)
        || (b0 == 0xED && b1 < 0xA0)
        || b0 == 0xEE
        || (b0 == 0xEF
            && !(b1 == 0xBB && b2 == 0xBF)
            && !(b1 == 0xBF && (b2 == 0xBE || b2 == 0xBF)))
}

/// libyaml's `is_break`: CR, LF, NEL, LS or PS.
fn is_break(value: &[u8], at: usize) -> bool {
    let (b0, b1, b2) = (byte(value, at, 0), byte(value, at, 1), byte(value, at, 2));
    b0 == b'\r'
        || b0 == b'\n'
        || (b0 == 0xC2 && b1 == 0x85)
        || (b0 == 0xE2 && b1 == 0x80 && (b2 == 0xA8 || b2 == 0xA9))
}

/// libyaml's `is_bom` as go-yaml calls it: it looks at the start of the
/// string whatever the position, so a string that starts with a BOM has
/// every character escaped.
fn starts_with_bom(value: &[u8]) -> bool {
    value.starts_with(&[0xEF, 0xBB, 0xBF])
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_documented_examples() {
        // Terraform's documentation of yamlencode.
        assert_eq!(
            yamlencode(&json!({"a": "b", "c": "d"})),
            "\"a\": \"b\"\n\"c\": \"d\"\n"
        );
        assert_eq!(
            yamlencode(&json!({"foo": [1, 2, 3], "bar": "baz"})),
            "\"bar\": \"baz\"\n\"foo\":\n- 1\n- 2\n- 3\n"
        );
    }
}
