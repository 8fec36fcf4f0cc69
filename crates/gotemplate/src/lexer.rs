//! The lexer: template text → tokens, as Go's `text/template/parse/lex.go`
//! does it (delimiters `{{ }}`, trim markers `{{- ` / ` -}}`, comments).

/// What a token is.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    /// Plain text outside actions (already trimmed by trim markers).
    Text(String),
    /// `{{`.
    LeftDelim,
    /// `}}`.
    RightDelim,
    /// Spaces inside an action (they separate arguments).
    Space,
    /// `:=`.
    Declare,
    /// `=`.
    Assign,
    /// `|`.
    Pipe,
    /// `(`.
    LeftParen,
    /// `)`.
    RightParen,
    /// Any other printable ASCII character, such as the `,` between
    /// range variables (the parser decides whether it fits).
    Punct(char),
    /// `.Name`, without the dot.
    Field(String),
    /// `$name` or `$`, with the dollar sign.
    Variable(String),
    /// A bare word: a function name or a keyword.
    Identifier(String),
    /// `.` alone.
    Dot,
    /// A number literal, as written.
    Number(String),
    /// A character constant like `'a'`, as written.
    CharConstant(String),
    /// A quoted string: the text as written, and its value.
    String(String, String),
    /// A lexing error; it ends the tokens.
    Error(String),
    /// End of input.
    Eof,
}

/// A token and the byte offset where it starts.
#[derive(Debug, Clone)]
pub(super) struct Token {
    pub tok: Tok,
    pub pos: usize,
}

/// A lexing error: what went wrong and where.
#[derive(Debug)]
struct LexError {
    pos: usize,
    message: String,
}

const LEFT: &str = "{{";
const RIGHT: &str = "}}";

/// Splits `text` into tokens, ending with `Eof` or, at the first lexing
/// error, `Error` (the parser reports it when it gets there, as Go's does).
pub(super) fn lex(text: &str) -> Vec<Token> {
    let mut lexer = Lexer {
        text,
        pos: 0,
        tokens: Vec::new(),
        parens: 0,
    };
    if let Err(error) = lexer.run() {
        lexer.emit(Tok::Error(error.message), error.pos);
    }
    lexer.tokens
}

struct Lexer<'a> {
    text: &'a str,
    pos: usize,
    tokens: Vec<Token>,
    parens: usize,
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

fn is_alnum(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

impl<'a> Lexer<'a> {
    fn rest(&self) -> &'a str {
        &self.text[self.pos..]
    }

    fn emit(&mut self, tok: Tok, pos: usize) {
        self.tokens.push(Token { tok, pos });
    }

    fn error<T>(&self, pos: usize, message: impl Into<String>) -> Result<T, LexError> {
        Err(LexError {
            pos,
            message: message.into(),
        })
    }

    fn run(&mut self) -> Result<(), LexError> {
        loop {
            let Some(offset) = self.rest().find(LEFT) else {
                self.text_until(self.text.len(), false);
                self.emit(Tok::Eof, self.text.len());
                return Ok(());
            };
            let delim = self.pos + offset;
            let after = &self.text[delim + LEFT.len()..];
            let trim_left = after.starts_with('-') && after[1..].starts_with(is_space);
            self.text_until(delim, trim_left);
            self.pos = delim + LEFT.len() + if trim_left { 2 } else { 0 };
            if self.rest().starts_with("/*") {
                self.comment(delim)?;
            } else {
                self.emit(Tok::LeftDelim, delim);
                self.action()?;
            }
        }
    }

    /// Emits the text up to `end`, right-trimmed when a `{{-` follows.
    fn text_until(&mut self, end: usize, trim: bool) {
        let mut text = &self.text[self.pos..end];
        if trim {
            text = text.trim_end_matches(is_space);
        }
        if !text.is_empty() {
            self.emit(Tok::Text(text.to_owned()), self.pos);
        }
        self.pos = end;
    }

    /// After a right delimiter: ` -}}` trims the spaces that follow.
    fn after_right_delim(&mut self, trim: bool) {
        if trim {
            let rest = self.rest();
            self.pos += rest.len() - rest.trim_start_matches(is_space).len();
        }
    }

    fn comment(&mut self, delim: usize) -> Result<(), LexError> {
        let Some(end) = self.rest().find("*/") else {
            return self.error(delim, "unclosed comment");
        };
        self.pos += end + 2;
        let trim = self.rest().starts_with(" -}}");
        if !trim && !self.rest().starts_with(RIGHT) {
            return self.error(self.pos, "comment ends before closing delimiter");
        }
        self.pos += if trim { 4 } else { 2 };
        self.after_right_delim(trim);
        Ok(())
    }

    fn action(&mut self) -> Result<(), LexError> {
        loop {
            let start = self.pos;
            let rest = self.rest();
            let Some(c) = rest.chars().next() else {
                return self.error(start, "unclosed action");
            };
            if rest.starts_with(RIGHT) {
                if self.parens > 0 {
                    return self.error(start, "unclosed left paren");
                }
                self.pos += RIGHT.len();
                self.emit(Tok::RightDelim, start);
                return Ok(());
            }
            if is_space(c) {
                let spaces = rest.len() - rest.trim_start_matches(is_space).len();
                self.pos += spaces;
                if self.rest().starts_with("-}}") {
                    if self.parens > 0 {
                        return self.error(start, "unclosed left paren");
                    }
                    self.emit(Tok::RightDelim, self.pos + 1);
                    self.pos += 3;
                    self.after_right_delim(true);
                    return Ok(());
                }
                self.emit(Tok::Space, start);
                continue;
            }
            self.pos += c.len_utf8();
            match c {
                '=' => self.emit(Tok::Assign, start),
                ':' => {
                    if !self.rest().starts_with('=') {
                        return self.error(start, "expected :=");
                    }
                    self.pos += 1;
                    self.emit(Tok::Declare, start);
                }
                '|' => self.emit(Tok::Pipe, start),

                '(' => {
                    self.parens += 1;
                    self.emit(Tok::LeftParen, start);
                }
                ')' => {
                    if self.parens == 0 {
                        return self.error(start, "unexpected right paren");
                    }
                    self.parens -= 1;
                    self.emit(Tok::RightParen, start);
                }
                '"' => self.quote(start)?,
                '`' => self.raw_quote(start)?,
                '\'' => self.char_constant(start)?,
                '$' => {
                    let name = self.word()?;
                    self.emit(Tok::Variable(format!("${name}")), start);
                }
                '.' if self.rest().starts_with(|c: char| c.is_ascii_digit()) => {
                    self.pos = start;
                    self.number(start)?;
                }
                '.' => {
                    let name = self.word()?;
                    if name.is_empty() {
                        self.emit(Tok::Dot, start);
                    } else {
                        self.emit(Tok::Field(name), start);
                    }
                }
                '+' | '-' | '0'..='9' => {
                    self.pos = start;
                    self.number(start)?;
                }
                c if is_alnum(c) => {
                    self.pos = start;
                    let word = self.word()?;
                    self.emit(Tok::Identifier(word), start);
                }
                c if c.is_ascii_graphic() => self.emit(Tok::Punct(c), start),
                c => {
                    return self.error(
                        start,
                        format!(
                            "unrecognized character in action: U+{:04X} {c:?}",
                            u32::from(c)
                        ),
                    );
                }
            }
        }
    }

    /// A name after `.`, `$` or as an identifier; Go requires a
    /// terminator after it.
    fn word(&mut self) -> Result<String, LexError> {
        let rest = self.rest();
        let len = rest.len() - rest.trim_start_matches(is_alnum).len();
        self.pos += len;
        let after = self.rest();
        let terminated = after.is_empty()
            || after.starts_with(is_space)
            || after.starts_with(['.', ',', '|', ':', ')', '('])
            || after.starts_with(RIGHT);
        match after.chars().next() {
            Some(c) if !terminated => self.error(
                self.pos,
                format!("bad character U+{:04X} {c:?}", u32::from(c)),
            ),
            _ => Ok(rest[..len].to_owned()),
        }
    }

    /// Go's `scanNumber`: sign, base prefix, digits of that base, fraction,
    /// exponent; a letter right after is an error.
    fn number(&mut self, start: usize) -> Result<(), LexError> {
        let rest = self.rest();
        let bytes = rest.as_bytes();
        let mut len = 0;
        let accept = |len: &mut usize, set: &[u8]| {
            let ok = bytes.get(*len).is_some_and(|b| set.contains(b));
            *len += usize::from(ok);
            ok
        };
        let accept_run = |len: &mut usize, set: &[u8]| {
            while bytes.get(*len).is_some_and(|b| set.contains(b)) {
                *len += 1;
            }
        };
        const DECIMAL: &[u8] = b"0123456789_";
        const HEX: &[u8] = b"0123456789abcdefABCDEF_";
        accept(&mut len, b"+-");
        let mut digits = DECIMAL;
        if accept(&mut len, b"0") {
            if accept(&mut len, b"xX") {
                digits = HEX;
            } else if accept(&mut len, b"oO") {
                digits = b"01234567_";
            } else if accept(&mut len, b"bB") {
                digits = b"01_";
            }
        }
        accept_run(&mut len, digits);
        if accept(&mut len, b".") {
            accept_run(&mut len, digits);
        }
        if (digits == DECIMAL && accept(&mut len, b"eE"))
            || (digits == HEX && accept(&mut len, b"pP"))
        {
            accept(&mut len, b"+-");
            accept_run(&mut len, DECIMAL);
        }
        if rest[len..].starts_with(is_alnum) {
            let next = rest[len..].chars().next().map_or(0, char::len_utf8);
            return self.error(
                start,
                format!("bad number syntax: {:?}", &rest[..len + next]),
            );
        }
        self.pos += len;
        self.emit(Tok::Number(rest[..len].to_owned()), start);
        Ok(())
    }

    fn quote(&mut self, start: usize) -> Result<(), LexError> {
        let rest = self.rest();
        let mut escaped = false;
        for (i, c) in rest.char_indices() {
            match c {
                '\n' => break,
                '\\' if !escaped => escaped = true,
                '"' if !escaped => {
                    let quoted = &self.text[start..self.pos + i + 1];
                    self.pos += i + 1;
                    let value = unquote(quoted).ok_or(LexError {
                        pos: start,
                        message: format!("invalid syntax: {quoted}"),
                    })?;
                    self.emit(Tok::String(quoted.to_owned(), value), start);
                    return Ok(());
                }
                _ => escaped = false,
            }
        }
        self.error(start, "unterminated quoted string")
    }

    fn raw_quote(&mut self, start: usize) -> Result<(), LexError> {
        let Some(end) = self.rest().find('`') else {
            return self.error(start, "unterminated raw quoted string");
        };
        let value = self.rest()[..end].to_owned();
        self.pos += end + 1;
        let quoted = self.text[start..self.pos].to_owned();
        self.emit(Tok::String(quoted, value), start);
        Ok(())
    }

    fn char_constant(&mut self, start: usize) -> Result<(), LexError> {
        let mut escaped = false;
        for (i, c) in self.rest().char_indices() {
            match c {
                '\n' => break,
                '\\' if !escaped => escaped = true,
                '\'' if !escaped => {
                    self.pos += i + 1;
                    let literal = self.text[start..self.pos].to_owned();
                    self.emit(Tok::CharConstant(literal), start);
                    return Ok(());
                }
                _ => escaped = false,
            }
        }
        self.error(start, "unterminated character constant")
    }
}

/// Go's `strconv.Unquote` for a double-quoted literal.
pub(super) fn unquote(quoted: &str) -> Option<String> {
    let body = quoted.strip_prefix('"')?.strip_suffix('"')?;
    unescape(body, '"')
}

/// Resolves Go escapes in the body of a quoted literal.
pub(super) fn unescape(body: &str, quote: char) -> Option<String> {
    let mut out = String::new();
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let escape = chars.next()?;
        let simple = match escape {
            'a' => Some('\u{7}'),
            'b' => Some('\u{8}'),
            'f' => Some('\u{c}'),
            'n' => Some('\n'),
            'r' => Some('\r'),
            't' => Some('\t'),
            'v' => Some('\u{b}'),
            '\\' => Some('\\'),
            c if c == quote => Some(c),
            _ => None,
        };
        if let Some(c) = simple {
            out.push(c);
            continue;
        }
        let digits = match escape {
            'x' => 2,
            'u' => 4,
            'U' => 8,
            '0'..='7' => {
                let rest: String = chars.by_ref().take(2).collect();
                let code = u32::from_str_radix(&format!("{escape}{rest}"), 8).ok()?;
                out.push(char::from_u32(code).filter(|_| code < 256)?);
                continue;
            }
            _ => return None,
        };
        let hex: String = chars.by_ref().take(digits).collect();
        if hex.len() != digits {
            return None;
        }
        out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<Tok> {
        lex(text).into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn trims_around_markers() {
        assert_eq!(
            toks("a  {{- .x -}}  b"),
            vec![
                Tok::Text("a".into()),
                Tok::LeftDelim,
                Tok::Field("x".into()),
                Tok::RightDelim,
                Tok::Text("b".into()),
                Tok::Eof
            ]
        );
    }

    #[test]
    fn negative_number_is_not_a_trim_marker() {
        assert_eq!(
            toks("{{-3}}"),
            vec![
                Tok::LeftDelim,
                Tok::Number("-3".into()),
                Tok::RightDelim,
                Tok::Eof
            ]
        );
    }

    #[test]
    fn comments_vanish() {
        assert_eq!(
            toks("a {{- /* c */ -}} b"),
            vec![Tok::Text("a".into()), Tok::Text("b".into()), Tok::Eof]
        );
    }

    #[test]
    fn strings_are_unquoted() {
        assert_eq!(unquote(r#""a\tb\x41\u00e9""#).unwrap(), "a\tbAé");
        assert!(matches!(
            lex("{{ \"abc }}").last().unwrap().tok,
            Tok::Error(_)
        ));
    }
}
