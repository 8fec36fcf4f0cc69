//! libyaml's emitter in block style, rule for rule (`emitterc.go`), as
//! three Go encoders drive it: go-yaml v2 (Helm's `toYaml`, through
//! sigs.k8s.io/yaml), go-yaml v3 with an indent of 2 (`toYamlPretty`) and
//! go-cty-yaml (Terraform's `yamlencode`). The encoder decides each
//! scalar's style and the keys' order ([`Node`]); the emitter decides
//! layout: two-space indent, sequences not indented under their key
//! (v2 and cty), a requested style given up where the text does not allow
//! it, and plain and quoted scalars folded past column 80 (not in v3).

/// A YAML node as an encoder hands it to the emitter.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    /// A scalar and the style the encoder asks for.
    Scalar(String, Style),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping's entries in emitting order: key, the key's style, value.
    Map(Vec<(String, Style, Node)>),
}

/// Which encoder drives the emitter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavor {
    /// go-yaml v2 (`toYaml`): sequences in mappings not indented.
    GoYamlV2,
    /// go-yaml v3, indent 2 (`toYamlPretty`): sequences indented, no
    /// folding.
    GoYamlV3,
    /// go-cty-yaml (Terraform's `yamlencode`): go-yaml v2's layout, and a
    /// document that is one plain scalar ends with `...` (its encoder
    /// does not clear libyaml's open-ended mark as go-yaml's do).
    CtyYaml,
}

/// A scalar's style.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// As is.
    Plain,
    /// `'…'`.
    Single,
    /// `"…"` with escapes.
    Double,
    /// `|` block.
    Literal,
}

/// `node` as a YAML document, ending in a line break.
pub fn emit(node: &Node, flavor: Flavor) -> String {
    let mut emitter = Emitter::new(flavor);
    emitter.root = true;
    emitter.node(node, false, false);
    emitter.write_indent();
    if emitter.open_ended && flavor == Flavor::CtyYaml {
        emitter.indicator("...", true, false, false);
        emitter.write_indent();
    }
    emitter.out
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
    /// Whether the next node is the document's root.
    root: bool,
    /// Whether the document ends open (a plain scalar at its root).
    open_ended: bool,
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
            root: false,
            open_ended: false,
        }
    }

    /// Where go-yaml folds long scalars: column 80 in v2; v3 as Helm
    /// sets it up never folds.
    fn best_width(&self) -> usize {
        match self.flavor {
            Flavor::GoYamlV2 | Flavor::CtyYaml => 80,
            Flavor::GoYamlV3 => usize::MAX,
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
        self.open_ended = false;
        self.indention = self.indention && is_indention;
    }

    /// Emits a node; `mapping_value` and `simple_key` are go-yaml's
    /// mapping and simple-key contexts.
    fn node(&mut self, node: &Node, mapping_value: bool, simple_key: bool) {
        let root = std::mem::take(&mut self.root);
        match node {
            Node::Scalar(text, style) => {
                self.scalar(text, *style, simple_key);
                self.open_ended |= root && *style == Style::Plain;
            }
            Node::Seq(items) if items.is_empty() => self.indicator("[]", true, false, false),
            Node::Map(entries) if entries.is_empty() => self.indicator("{}", true, false, false),
            Node::Seq(items) => {
                let indentless =
                    self.flavor != Flavor::GoYamlV3 && mapping_value && !self.indention;
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
                for (key, key_style, value) in entries {
                    self.write_indent();
                    if key.chars().any(is_break) || key.len() > 128 {
                        // Not a simple key (multi-line, or longer than
                        // go-yaml allows one): `? KEY` then `: VALUE`.
                        self.indicator("?", true, false, true);
                        self.node(&Node::Scalar(key.clone(), *key_style), true, false);
                        self.write_indent();
                        self.indicator(":", true, false, true);
                    } else {
                        self.scalar(key, *key_style, true);
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
        if !self.whitespace && (self.flavor != Flavor::GoYamlV3 || !text.is_empty()) {
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
        // libyaml's `is_bom(value, i)` looks at the start of the text
        // whatever `i` is: after a leading BOM every character is escaped.
        let bom = text.starts_with('\u{feff}');
        let mut spaces = false;
        for (i, &c) in chars.iter().enumerate() {
            if !is_printable(c) || bom || is_break(c) || c == '"' || c == '\\' {
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
