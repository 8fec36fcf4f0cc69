//! The parser: tokens → [`Tree`]s, following Go's `text/template/parse`
//! (its grammar, variable scoping, function checks and error wording).

use std::sync::Arc;

use super::ast::{Arg, Command, Control, ControlKind, Node, Number, Pipe, Tree};
use super::format::quote;
use super::lexer::{Tok, Token, lex};
use super::number::parse_number;

/// A parse error: the line it was found on and Go's message.
#[derive(Debug)]
pub(super) struct ParseError {
    pub line: usize,
    pub message: String,
}

type Result<T> = std::result::Result<T, ParseError>;

/// Parses `text` (named `name`) into its top-level tree followed by the
/// trees it `define`s. `is_func` says whether a function name exists.
pub(super) fn parse(name: &str, text: &str, is_func: &dyn Fn(&str) -> bool) -> Result<Vec<Tree>> {
    let text: Arc<str> = Arc::from(text);
    let mut parser = Parser {
        tokens: lex(&text),
        next: 0,
        parse_name: Arc::from(name),
        text: text.clone(),
        vars: vec!["$".to_owned()],
        range_depth: 0,
        action_start: None,
        is_func,
        trees: Vec::new(),
    };
    let root = parser.top_level()?;
    let main = parser.tree(name.to_owned(), root);
    parser.add(main)?;
    let main = parser.trees.pop().expect("just added");
    parser.trees.insert(0, main);
    Ok(parser.trees)
}

const KEYWORDS: &[&str] = &[
    "block", "break", "continue", "define", "else", "end", "if", "range", "nil", "template", "with",
];

struct Parser<'a> {
    tokens: Vec<Token>,
    next: usize,
    parse_name: Arc<str>,
    text: Arc<str>,
    vars: Vec<String>,
    range_depth: usize,
    /// Where the action being parsed began, for lexing errors.
    action_start: Option<usize>,
    is_func: &'a dyn Fn(&str) -> bool,
    trees: Vec<Tree>,
}

/// How an item list ended.
enum ListEnd {
    End,
    Else,
}

fn describe(tok: &Tok) -> String {
    let text = match tok {
        Tok::Eof => return "EOF".to_owned(),
        Tok::Error(message) => return message.clone(),
        Tok::Identifier(word) if KEYWORDS.contains(&word.as_str()) => return format!("<{word}>"),
        Tok::Text(text) => text.clone(),
        Tok::LeftDelim => "{{".to_owned(),
        Tok::RightDelim => "}}".to_owned(),
        Tok::Space => " ".to_owned(),
        Tok::Declare => ":=".to_owned(),
        Tok::Assign => "=".to_owned(),
        Tok::Pipe => "|".to_owned(),
        Tok::LeftParen => "(".to_owned(),
        Tok::RightParen => ")".to_owned(),
        Tok::Punct(c) => c.to_string(),
        Tok::Field(name) => format!(".{name}"),
        Tok::Dot => ".".to_owned(),
        Tok::Variable(word)
        | Tok::Identifier(word)
        | Tok::Number(word)
        | Tok::CharConstant(word) => word.clone(),
        Tok::String(quoted, _) => quoted.clone(),
    };
    if text.chars().count() > 10 {
        format!("{}...", quote(&text.chars().take(10).collect::<String>()))
    } else {
        quote(&text)
    }
}

impl Parser<'_> {
    fn tree(&self, name: String, root: Vec<Node>) -> Tree {
        Tree {
            name,
            parse_name: self.parse_name.clone(),
            text: self.text.clone(),
            root,
        }
    }

    fn line(&self, pos: usize) -> usize {
        1 + self.text[..pos.min(self.text.len())].matches('\n').count()
    }

    fn error<T>(&self, message: impl Into<String>) -> Result<T> {
        let pos = self.tokens[self.next.saturating_sub(1)].pos;
        Err(ParseError {
            line: self.line(pos),
            message: message.into(),
        })
    }

    fn unexpected<T>(&self, token: &Token, context: &str) -> Result<T> {
        match &token.tok {
            Tok::Error(message) => {
                let started = self.action_start.map(|pos| self.line(pos));
                let extra = match started {
                    Some(line) if line != self.line(token.pos) => {
                        // Go avoids "action in action".
                        let what = if message.ends_with(" action") {
                            ""
                        } else {
                            " in action"
                        };
                        format!("{what} started at {}:{line}", self.parse_name)
                    }
                    _ => String::new(),
                };
                self.error(format!("{message}{extra}"))
            }
            tok => self.error(format!("unexpected {} in {context}", describe(tok))),
        }
    }

    fn peek(&self) -> &Token {
        &self.tokens[self.next.min(self.tokens.len() - 1)]
    }

    fn advance(&mut self) -> Token {
        let token = self.peek().clone();
        if self.next < self.tokens.len() {
            self.next += 1;
        }
        token
    }

    fn skip_space(&mut self) {
        while self.peek().tok == Tok::Space {
            self.next += 1;
        }
    }

    fn peek_non_space(&mut self) -> &Token {
        self.skip_space();
        self.peek()
    }

    fn next_non_space(&mut self) -> Token {
        self.skip_space();
        self.advance()
    }

    fn is_keyword(token: &Token, word: &str) -> bool {
        matches!(&token.tok, Tok::Identifier(w) if w == word)
    }

    fn expect_close(&mut self, context: &str) -> Result<Token> {
        let token = self.next_non_space();
        match token.tok {
            Tok::RightDelim => Ok(token),
            _ => self.unexpected(&token, context),
        }
    }

    /// Adds a finished tree, as Go's `Tree.add`: an empty tree never
    /// replaces a full one, two full ones in one text are an error.
    fn add(&mut self, tree: Tree) -> Result<()> {
        match self.trees.iter().position(|t| t.name == tree.name) {
            None => self.trees.push(tree),
            Some(i) if self.trees[i].is_empty() => self.trees[i] = tree,
            Some(_) if tree.is_empty() => {}
            Some(_) => {
                return self.error(format!(
                    "template: multiple definition of template {:?}",
                    tree.name
                ));
            }
        }
        Ok(())
    }

    fn top_level(&mut self) -> Result<Vec<Node>> {
        let mut root = Vec::new();
        while self.peek().tok != Tok::Eof {
            if self.peek().tok == Tok::LeftDelim {
                let save = self.next;
                self.advance();
                if Self::is_keyword(&self.next_non_space(), "define") {
                    self.definition()?;
                    continue;
                }
                self.next = save;
            }
            match self.text_or_action()? {
                Ok(node) => root.push(node),
                Err(ListEnd::End) => return self.error("unexpected {{end}}"),
                Err(ListEnd::Else) => return self.error("unexpected {{else}}"),
            }
        }
        Ok(root)
    }

    fn definition(&mut self) -> Result<()> {
        const CONTEXT: &str = "define clause";
        let token = self.next_non_space();
        let name = self.template_name(&token, CONTEXT)?;
        self.expect_close(CONTEXT)?;
        let (list, end) = self.body()?;
        if let ListEnd::Else = end {
            return self.error("unexpected {{else}}");
        }
        let tree = self.tree(name, list);
        self.add(tree)
    }

    /// The body of a `define` or `block`: a template of its own, with
    /// only `$` declared and outside any `range`.
    fn body(&mut self) -> Result<(Vec<Node>, ListEnd)> {
        let vars = std::mem::replace(&mut self.vars, vec!["$".to_owned()]);
        let range_depth = std::mem::replace(&mut self.range_depth, 0);
        let body = self.item_list();
        self.vars = vars;
        self.range_depth = range_depth;
        body
    }

    fn template_name(&self, token: &Token, context: &str) -> Result<String> {
        match &token.tok {
            Tok::String(_, value) => Ok(value.clone()),
            _ => self.unexpected(token, context),
        }
    }

    /// Nodes up to `{{end}}` or `{{else}}`.
    fn item_list(&mut self) -> Result<(Vec<Node>, ListEnd)> {
        let mut list = Vec::new();
        while self.peek_non_space().tok != Tok::Eof {
            match self.text_or_action()? {
                Ok(node) => list.push(node),
                Err(end) => return Ok((list, end)),
            }
        }
        self.advance();
        self.error("unexpected EOF")
    }

    fn text_or_action(&mut self) -> Result<std::result::Result<Node, ListEnd>> {
        let token = self.next_non_space();
        match token.tok {
            Tok::Text(text) => Ok(Ok(Node::Text(text))),
            Tok::LeftDelim => {
                self.action_start = Some(token.pos);
                let action = self.action();
                self.action_start = None;
                action
            }
            _ => self.unexpected(&token, "input"),
        }
    }

    fn action(&mut self) -> Result<std::result::Result<Node, ListEnd>> {
        let token = self.next_non_space();
        let keyword = match &token.tok {
            Tok::Identifier(word) if KEYWORDS.contains(&word.as_str()) => word.as_str(),
            _ => "",
        };
        let node = match keyword {
            "block" => self.block(token.pos)?,
            "break" | "continue" => self.loop_control(keyword)?,
            "else" => return self.else_control().map(Err),
            "end" => {
                self.expect_close("end")?;
                return Ok(Err(ListEnd::End));
            }
            "if" => self.control(ControlKind::If)?,
            "range" => self.control(ControlKind::Range)?,
            "with" => self.control(ControlKind::With)?,
            "template" => self.template_call()?,
            _ => {
                self.next -= 1;
                Node::Action(self.pipeline("command", &Tok::RightDelim)?)
            }
        };
        Ok(Ok(node))
    }

    fn loop_control(&mut self, keyword: &str) -> Result<Node> {
        if self.range_depth == 0 {
            return self.error(format!("{{{{{keyword}}}}} outside {{{{range}}}}"));
        }
        self.expect_close(keyword)?;
        Ok(if keyword == "break" {
            Node::Break
        } else {
            Node::Continue
        })
    }

    fn else_control(&mut self) -> Result<ListEnd> {
        let peek = self.peek_non_space();
        if Self::is_keyword(peek, "if") || Self::is_keyword(peek, "with") {
            return Ok(ListEnd::Else);
        }
        self.expect_close("else")?;
        Ok(ListEnd::Else)
    }

    fn control(&mut self, kind: ControlKind) -> Result<Node> {
        let vars = self.vars.len();
        let context = match kind {
            ControlKind::If => "if",
            ControlKind::With => "with",
            ControlKind::Range => "range",
        };
        let pipe = self.pipeline(context, &Tok::RightDelim)?;
        let in_range = usize::from(kind == ControlKind::Range);
        self.range_depth += in_range;
        let (list, end) = self.item_list()?;
        self.range_depth -= in_range;
        let else_list = match end {
            ListEnd::End => None,
            ListEnd::Else => {
                let chained = match kind {
                    ControlKind::If => "if",
                    ControlKind::With => "with",
                    ControlKind::Range => "",
                };
                if !chained.is_empty() && Self::is_keyword(self.peek_non_space(), chained) {
                    self.advance();
                    Some(vec![self.control(kind)?])
                } else {
                    let (else_list, end) = self.item_list()?;
                    if let ListEnd::Else = end {
                        return self.error("expected end; found {{else}}");
                    }
                    Some(else_list)
                }
            }
        };
        self.vars.truncate(vars);
        Ok(Node::Control(Control {
            kind,
            pipe,
            list,
            else_list,
        }))
    }

    fn template_call(&mut self) -> Result<Node> {
        const CONTEXT: &str = "template clause";
        let token = self.next_non_space();
        let name = self.template_name(&token, CONTEXT)?;
        let Tok::String(quoted, _) = token.tok else {
            unreachable!("template_name accepts strings only")
        };
        let pipe = if self.peek_non_space().tok == Tok::RightDelim {
            self.advance();
            None
        } else {
            Some(self.pipeline(CONTEXT, &Tok::RightDelim)?)
        };
        Ok(Node::Template {
            pos: token.pos,
            name,
            quoted,
            pipe,
        })
    }

    /// `{{block "name" pipe}}body{{end}}`: defines `name` and calls it.
    fn block(&mut self, pos: usize) -> Result<Node> {
        const CONTEXT: &str = "block clause";
        let token = self.next_non_space();
        let name = self.template_name(&token, CONTEXT)?;
        let Tok::String(quoted, _) = token.tok else {
            unreachable!("template_name accepts strings only")
        };
        let pipe = self.pipeline(CONTEXT, &Tok::RightDelim)?;
        let (list, end) = self.body()?;
        if let ListEnd::Else = end {
            return self.error("unexpected {{else}}");
        }
        let tree = self.tree(name.clone(), list);
        self.add(tree)?;
        Ok(Node::Template {
            pos,
            name,
            quoted,
            pipe: Some(pipe),
        })
    }

    fn pipeline(&mut self, context: &str, end: &Tok) -> Result<Pipe> {
        let pos = self.peek_non_space().pos;
        let mut pipe = Pipe {
            pos,
            is_assign: false,
            decl: Vec::new(),
            cmds: Vec::new(),
        };
        self.declarations(&mut pipe, context)?;
        loop {
            let token = self.next_non_space();
            if &token.tok == end {
                return self.check_pipeline(pipe, context);
            }
            match &token.tok {
                Tok::Identifier(word) if KEYWORDS.contains(&word.as_str()) && word != "nil" => {
                    return self.unexpected(&token, context);
                }
                Tok::Identifier(_)
                | Tok::CharConstant(_)
                | Tok::Dot
                | Tok::Field(_)
                | Tok::Number(_)
                | Tok::String(..)
                | Tok::Variable(_)
                | Tok::LeftParen => {
                    self.next -= 1;
                    let command = self.command()?;
                    pipe.cmds.push(command);
                }
                _ => return self.unexpected(&token, context),
            }
        }
    }

    /// `$x :=`, `$x =`, or (in range) `$i, $v :=`.
    fn declarations(&mut self, pipe: &mut Pipe, context: &str) -> Result<()> {
        loop {
            let start = self.next;
            let token = self.next_non_space();
            let Tok::Variable(name) = token.tok else {
                self.next = start;
                return Ok(());
            };
            match self.peek_non_space().tok {
                Tok::Assign | Tok::Declare => {
                    pipe.is_assign = self.advance().tok == Tok::Assign;
                    pipe.decl.push(name.clone());
                    self.vars.push(name);
                    return Ok(());
                }
                Tok::Punct(',') => {
                    self.advance();
                    pipe.decl.push(name.clone());
                    self.vars.push(name);
                    if context == "range" && pipe.decl.len() < 2 {
                        if matches!(
                            self.peek_non_space().tok,
                            Tok::Variable(_) | Tok::RightDelim | Tok::RightParen
                        ) {
                            continue;
                        }
                        return self.error("range can only initialize variables");
                    }
                    return self.error(format!("too many declarations in {context}"));
                }
                _ => {
                    self.next = start;
                    return Ok(());
                }
            }
        }
    }

    fn check_pipeline(&self, pipe: Pipe, context: &str) -> Result<Pipe> {
        if pipe.cmds.is_empty() {
            return self.error(format!("missing value for {context}"));
        }
        for (i, cmd) in pipe.cmds.iter().enumerate().skip(1) {
            if matches!(
                cmd.args[0],
                Arg::Bool(..) | Arg::Dot(_) | Arg::Nil(_) | Arg::Number { .. } | Arg::String { .. }
            ) {
                return self.error(format!(
                    "non executable command in pipeline stage {}",
                    i + 1
                ));
            }
        }
        Ok(pipe)
    }

    fn command(&mut self) -> Result<Command> {
        let mut args = Vec::new();
        loop {
            self.skip_space();
            if let Some(operand) = self.operand()? {
                args.push(operand);
            }
            let token = self.advance();
            match token.tok {
                Tok::Space => continue,
                Tok::RightDelim | Tok::RightParen => self.next -= 1,
                Tok::Pipe => {}
                _ => return self.unexpected(&token, "operand"),
            }
            break;
        }
        if args.is_empty() {
            return self.error("empty command");
        }
        Ok(Command { args })
    }

    fn operand(&mut self) -> Result<Option<Arg>> {
        let Some(term) = self.term()? else {
            return Ok(None);
        };
        let mut fields = Vec::new();
        let chain_pos = self.peek().pos;
        while let Tok::Field(name) = &self.peek().tok {
            fields.push(name.clone());
            self.advance();
        }
        if fields.is_empty() {
            return Ok(Some(term));
        }
        Ok(Some(match term {
            Arg::Field { mut names, .. } => {
                names.extend(fields);
                Arg::Field {
                    pos: chain_pos,
                    names,
                }
            }
            Arg::Variable {
                name,
                fields: mut own,
                ..
            } => {
                own.extend(fields);
                Arg::Variable {
                    pos: chain_pos,
                    name,
                    fields: own,
                }
            }
            Arg::Bool(..) | Arg::String { .. } | Arg::Number { .. } | Arg::Nil(_) | Arg::Dot(_) => {
                return self.error(format!("unexpected . after term {:?}", term.to_string()));
            }
            node => Arg::Chain {
                pos: chain_pos,
                node: Box::new(node),
                fields,
            },
        }))
    }

    fn term(&mut self) -> Result<Option<Arg>> {
        let token = self.next_non_space();
        let pos = token.pos;
        Ok(Some(match token.tok {
            Tok::Identifier(word) => match word.as_str() {
                "true" | "false" => Arg::Bool(pos, word == "true"),
                "nil" => Arg::Nil(pos),
                _ if KEYWORDS.contains(&word.as_str()) => {
                    self.next -= 1;
                    return Ok(None);
                }
                _ if !(self.is_func)(&word) => {
                    return self.error(format!("function {word:?} not defined"));
                }
                _ => Arg::Function { pos, name: word },
            },
            Tok::Dot => Arg::Dot(pos),
            Tok::Variable(name) => {
                if !self.vars.contains(&name) {
                    return self.error(format!("undefined variable {name:?}"));
                }
                Arg::Variable {
                    pos,
                    name,
                    fields: Vec::new(),
                }
            }
            Tok::Field(name) => Arg::Field {
                pos,
                names: vec![name],
            },
            Tok::Number(text) | Tok::CharConstant(text) => {
                let value = self.number(&text)?;
                Arg::Number { pos, text, value }
            }
            Tok::LeftParen => {
                let pipe = self.pipeline("parenthesized pipeline", &Tok::RightParen)?;
                Arg::Pipe(Box::new(pipe))
            }
            Tok::String(quoted, value) => Arg::String { pos, quoted, value },
            _ => {
                self.next -= 1;
                return Ok(None);
            }
        }))
    }

    fn number(&self, text: &str) -> Result<Number> {
        parse_number(text).or_else(|complaint| self.error(format!("{complaint}: {text:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(text: &str) -> Vec<Tree> {
        parse("t", text, &|name| name == "printf").unwrap()
    }

    fn parse_err(text: &str) -> String {
        parse("t", text, &|name| name == "printf")
            .unwrap_err()
            .message
    }

    #[test]
    fn prints_nodes_like_go() {
        let trees = parse_ok("{{$x := .a.b | printf \"%d\" 1}}{{if .x}}a{{else}}b{{end}}");
        let text: String = trees[0].root.iter().map(ToString::to_string).collect();
        assert_eq!(
            text,
            "{{$x := .a.b | printf \"%d\" 1}}{{if .x}}\"a\"{{else}}\"b\"{{end}}"
        );
    }

    #[test]
    fn defines_become_trees() {
        let trees = parse_ok("{{define \"a\"}}A{{end}}main");
        let names: Vec<_> = trees.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["t", "a"]);
    }

    #[test]
    fn reports_go_errors() {
        assert_eq!(parse_err("{{nope 1}}"), "function \"nope\" not defined");
        assert_eq!(parse_err("{{if .a}}"), "unexpected EOF");
        assert_eq!(parse_err("{{$x}}"), "undefined variable \"$x\"");
        assert_eq!(parse_err("{{break}}"), "{{break}} outside {{range}}");
        assert_eq!(parse_err("{{end}}"), "unexpected {{end}}");
    }
}
