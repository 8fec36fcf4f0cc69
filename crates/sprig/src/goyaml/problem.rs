//! go-yaml v2's words for a YAML document it refuses, derived from our
//! parser's error (its kind and position).
//!
//! go-yaml (libyaml's port) reports `yaml: line N: PROBLEM`, where N is
//! taken from its problem mark (0-based): a scanner error adds one, a
//! parser error does not, and a mark on the first line (0) prints no line
//! at all (the context mark, its fallback, never lies after it). Errors
//! found while building nodes (an unknown anchor) carry no line.
//!
//! Our parser (granit, under serde-saphyr) descends from libyaml too, so
//! most kinds map one to one and are found where libyaml finds them. It
//! differs where a collection or a quoted scalar is left open: it points
//! at the opening, while go-yaml fails at the end of the stream (its
//! stream-end token sits on a line of its own) and words the problem by
//! the last token it read. What is not mapped keeps our parser's words
//! under go-yaml's line rule.
//!
//! go-yaml also refuses a tab where its scanner wants a token in block
//! context (the start of a line, after `-`, `?` or `:`), which our parser
//! accepts before a top-level key: [`tab_problem`] applies go-yaml's rule.

use std::fmt;

use serde_saphyr::granit_parser::{ErrorKind, ScalarStyle, Scanner, StrInput, TokenType};

/// A YAML syntax error as go-yaml reports it: `yaml: [line N: ]PROBLEM`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// go-yaml's words for the problem.
    message: String,
    /// The line go-yaml names, if it names one.
    line: Option<usize>,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "yaml: line {line}: {}", self.message),
            None => write!(f, "yaml: {}", self.message),
        }
    }
}

/// Which part of go-yaml finds the problem: its line rule depends on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// The scanner: the line printed is the 0-based mark plus one.
    Scanner,
    /// The parser: the 0-based mark's line is printed as it is.
    Parser,
    /// Node building (`unknown anchor`): no line.
    Composer,
}

/// Where go-yaml's problem mark lies.
#[derive(Debug, Clone, Copy)]
enum Mark {
    /// On this 0-based line.
    Line(usize),
    /// Where the text ends.
    EndOfInput,
    /// At the stream-end token: a line of its own after text that does not
    /// end with a line break.
    StreamEnd,
}

impl Problem {
    fn new(message: impl Into<String>, stage: Stage, mark: Mark, text: &str) -> Self {
        let line0 = match mark {
            Mark::Line(line) => line,
            Mark::EndOfInput => line_breaks(text),
            Mark::StreamEnd => line_breaks(text) + usize::from(!ends_with_break(text)),
        };
        Problem {
            message: message.into(),
            line: go_yaml_line(stage, line0),
        }
    }
}

/// go-yaml's `parser.fail`: the line it names for a 0-based problem line.
fn go_yaml_line(stage: Stage, line0: usize) -> Option<usize> {
    match stage {
        Stage::Composer => None,
        _ if line0 == 0 => None,
        Stage::Scanner => Some(line0 + 1),
        Stage::Parser => Some(line0),
    }
}

/// Line breaks as libyaml counts them (`\r\n` is one).
fn line_breaks(text: &str) -> usize {
    text.matches('\n').count() + text.matches('\r').count() - text.matches("\r\n").count()
}

fn ends_with_break(text: &str) -> bool {
    text.is_empty() || text.ends_with(['\n', '\r'])
}

/// go-yaml's report of the error serde-saphyr gave for `text`, the first
/// document go-yaml reads (`cut`: a document marker followed it). `None`
/// when the error is not a YAML syntax error.
pub fn from_error(text: &str, cut: bool, error: &serde_saphyr::Error) -> Option<Problem> {
    match error.without_snippet() {
        serde_saphyr::Error::ExternalMessage { source, .. } => match source.as_ref() {
            serde_saphyr::localizer::ExternalMessageSource::Parser(scan) => {
                // The mark's line is 1-based.
                let line0 = scan.marker().line().saturating_sub(1);
                Some(from_kind(text, cut, scan.kind(), line0))
            }
            _ => None,
        },
        serde_saphyr::Error::UnknownAnchor { location } => Some(Problem::new(
            format!("unknown anchor '{}' referenced", alias_name(text, location)),
            Stage::Composer,
            Mark::Line(0),
            text,
        )),
        _ => None,
    }
}

/// go-yaml's words, stage and mark for a kind of error our parser found on
/// the 0-based line `line0`.
fn from_kind(text: &str, cut: bool, kind: &ErrorKind, line0: usize) -> Problem {
    use ErrorKind as K;
    use Stage::{Parser, Scanner};
    let at = Mark::Line(line0);
    let (message, stage, mark) = match kind {
        K::MappingValueNotAllowed => (
            "mapping values are not allowed in this context",
            Scanner,
            at,
        ),
        K::BlockSequenceEntryNotAllowed | K::BlockEntryInFlowCollection => (
            "block sequence entries are not allowed in this context",
            Scanner,
            at,
        ),
        K::UnexpectedCharacter { .. }
        | K::TabNotAllowed
        | K::TabInBlockIndentation
        | K::TabInIndentation => ("found character that cannot start any token", Scanner, at),
        // We point at the scalar, go-yaml at the tab on a line below it.
        K::TabInPlainScalar => (
            "found a tab character that violates indentation",
            Scanner,
            Mark::Line(leading_tab_line(text, line0)),
        ),
        // A marker after the first document ends it; go-yaml scans into it.
        K::UnclosedQuotedScalar if cut => (
            "found unexpected document indicator",
            Scanner,
            Mark::EndOfInput,
        ),
        K::UnclosedQuotedScalar => ("found unexpected end of stream", Scanner, Mark::EndOfInput),
        K::DocumentIndicatorInQuotedScalar => ("found unexpected document indicator", Scanner, at),
        K::UnknownQuotedScalarEscape => ("found unknown escape character", Scanner, at),
        K::InvalidQuotedScalarHexEscape | K::InvalidLowSurrogateHexEscape => {
            ("did not find expected hexadecimal number", Scanner, at)
        }
        K::InvalidUnicodeEscape
        | K::InvalidLowSurrogate
        | K::MissingLowSurrogate
        | K::UnpairedLowSurrogate => ("found invalid Unicode character escape code", Scanner, at),
        K::SimpleKeyExpected => ("could not find expected ':'", Scanner, at),
        K::MissingAnchorOrAliasName => (
            "did not find expected alphabetic or numeric character",
            Scanner,
            at,
        ),
        K::InvalidBlockScalarHeader | K::InvalidDirectiveTerminator => {
            ("did not find expected comment or line break", Scanner, at)
        }
        K::ZeroBlockScalarIndent => ("found an indentation indicator equal to 0", Scanner, at),
        K::ExpectedTagBang | K::ExpectedTagDirectiveBang => {
            ("did not find expected '!'", Scanner, at)
        }
        K::MissingTagUri => ("did not find expected tag URI", Scanner, at),
        K::UnclosedVerbatimTag => ("did not find the expected '>'", Scanner, at),
        K::MissingDirectiveName => ("could not find expected directive name", Scanner, at),
        K::InvalidDirectiveName => ("found unexpected non-alphabetical character", Scanner, at),
        K::MissingYamlVersionSeparator => {
            ("did not find expected digit or '.' character", Scanner, at)
        }
        K::YamlVersionTooLong => ("found extremely long version number", Scanner, at),
        K::MissingYamlVersion => ("did not find expected version number", Scanner, at),
        K::ExpectedNodeContent => ("did not find expected node content", Parser, at),
        K::ExpectedBlockMappingKey => ("did not find expected key", Parser, at),
        K::ExpectedBlockSequenceEntry => ("did not find expected '-' indicator", Parser, at),
        K::ExpectedFlowMappingSeparator => ("did not find expected ',' or '}'", Parser, at),
        K::ExpectedFlowSequenceSeparator => ("did not find expected ',' or ']'", Parser, at),
        K::ExpectedDocumentStart => ("did not find expected <document start>", Parser, at),
        K::UndeclaredTagHandle => ("found undefined tag handle", Parser, at),
        K::DuplicateVersionDirective => ("found duplicate %YAML directive", Parser, at),
        K::UnsupportedYamlMajorVersion => ("found incompatible YAML document", Parser, at),
        K::DuplicateTagDirective => ("found duplicate %TAG directive", Parser, at),
        K::UnclosedFlowCollection { .. }
        | K::UnexpectedEofFlowSequence
        | K::UnexpectedEofFlowMapping
        | K::UnexpectedEofImplicitFlowMapping => (unclosed_flow(text), Parser, Mark::StreamEnd),
        other => return Problem::new(other.to_string(), Scanner, at, text),
    };
    Problem::new(message, stage, mark, text)
}

/// The 0-based line, after `line0`, of the first line whose indentation
/// holds a tab.
fn leading_tab_line(text: &str, line0: usize) -> usize {
    text.lines()
        .enumerate()
        .skip(line0 + 1)
        .find(|(_, line)| {
            line.chars()
                .take_while(|c| c.is_ascii_whitespace())
                .any(|c| c == '\t')
        })
        .map_or(line0, |(line, _)| line)
}

/// What go-yaml's parser says on meeting the end of the stream inside a
/// flow collection: a node was due after `[`, `{`, `,`, `?` or `:`; else a
/// separator or the innermost collection's closing bracket.
fn unclosed_flow(text: &str) -> &'static str {
    let mut open = Vec::new();
    let mut node_due = false;
    let mut end = 0;
    for token in Scanner::new(StrInput::new(text)).map_while(Result::ok) {
        let (span, kind) = token.into_parts();
        match kind {
            TokenType::FlowSequenceStart => open.push(']'),
            TokenType::FlowMappingStart => open.push('}'),
            TokenType::FlowSequenceEnd | TokenType::FlowMappingEnd => {
                open.pop();
            }
            _ => {}
        }
        node_due = matches!(
            kind,
            TokenType::FlowSequenceStart
                | TokenType::FlowMappingStart
                | TokenType::FlowEntry
                | TokenType::Key
                | TokenType::Value
        );
        end = span.end.index();
    }
    // A scalar our scanner still held back (a possible key) is a node read.
    let rest: String = text.chars().skip(end).collect();
    let pending = rest
        .lines()
        .any(|line| !line.trim().is_empty() && !line.trim_start().starts_with('#'));
    match (node_due && !pending, open.last()) {
        (true, _) => "did not find expected node content",
        (false, Some('}')) => "did not find expected ',' or '}'",
        (false, _) => "did not find expected ',' or ']'",
    }
}

/// The name of the alias at `location`, as go-yaml v2 reads one: letters,
/// digits, `_` and `-` after the `*`.
fn alias_name(text: &str, location: &serde_saphyr::Location) -> String {
    let line = text
        .lines()
        .nth(location.line().saturating_sub(1) as usize)
        .unwrap_or_default();
    line.chars()
        .skip(location.column().saturating_sub(1) as usize)
        .skip_while(|&c| c == '*')
        .take_while(|&c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        .collect()
}

/// go-yaml's refusal of a tab our parser reads as whitespace. Where its
/// scanner looks for the next token in block context while a simple key
/// may start (`scan_to_next_token`: at the start of a line or the stream,
/// after `-`, `?` or `:`), a tab is no whitespace and nothing starts with
/// it; in the blanks that follow a plain scalar, a tab on a new line left
/// of the scalar's block is refused as violating indentation. Only the
/// tokens our scanner reads before any error of its own are looked at.
pub fn tab_problem(text: &str) -> Option<Problem> {
    if !text.contains('\t') {
        return None;
    }
    let chars: Vec<char> = text.chars().collect();
    let mut gap = Gap {
        flow_level: 0,
        key_allowed: true,
        plain_indent: None,
        line0: 0,
        column: 0,
    };
    let mut blocks: Vec<usize> = Vec::new();
    let mut end = 0;
    for token in Scanner::new(StrInput::new(text)).map_while(Result::ok) {
        let (span, kind) = token.into_parts();
        let start = span.start.index();
        if start > end
            && let Some((line0, message)) = gap.refused_tab(&chars[end..start])
        {
            return Some(Problem::new(
                message,
                Stage::Scanner,
                Mark::Line(line0),
                text,
            ));
        }
        // Our scanner gives indicators no width; block starts and ends
        // and a simple key's `Key` take no text and leave go-yaml's state
        // alone.
        let indicator = |c: char| chars.get(start) == Some(&c);
        let (read, allowed) = match &kind {
            TokenType::BlockMappingStart | TokenType::BlockSequenceStart => {
                blocks.push(span.start.col());
                (false, gap.key_allowed)
            }
            TokenType::BlockEnd => {
                blocks.pop();
                (false, gap.key_allowed)
            }
            TokenType::Key if !indicator('?') => (false, gap.key_allowed),
            TokenType::Key | TokenType::Value | TokenType::BlockEntry => {
                (true, gap.flow_level == 0)
            }
            TokenType::FlowSequenceStart | TokenType::FlowMappingStart => {
                gap.flow_level += 1;
                (true, true)
            }
            TokenType::FlowEntry => (true, true),
            TokenType::FlowSequenceEnd | TokenType::FlowMappingEnd => {
                gap.flow_level = gap.flow_level.saturating_sub(1);
                (true, false)
            }
            TokenType::Scalar(ScalarStyle::Literal | ScalarStyle::Folded, _) => (true, true),
            TokenType::StreamStart => (false, true),
            _ => (true, false),
        };
        gap.key_allowed = allowed;
        gap.plain_indent = match kind {
            TokenType::Scalar(ScalarStyle::Plain, _) if gap.flow_level == 0 => {
                Some(blocks.last().map_or(0, |column| column + 1))
            }
            _ => None,
        };
        if read {
            let width = span.end.index().saturating_sub(start).max(1);
            end = end.max(start + width);
            gap.line0 = span.end.line().saturating_sub(1);
            gap.column = span.start.col() + width;
        }
    }
    None
}

/// go-yaml's scanner state between two tokens.
struct Gap {
    flow_level: usize,
    /// Whether a simple key may start (`simple_key_allowed`).
    key_allowed: bool,
    /// After a plain scalar in block context: the column its block's
    /// content starts at (libyaml's `indent + 1`).
    plain_indent: Option<usize>,
    /// The 0-based line and column where the gap starts.
    line0: usize,
    column: usize,
}

impl Gap {
    /// Walks the text between two tokens as go-yaml's scanner does; the
    /// 0-based line of a tab it refuses, with its words.
    fn refused_tab(&self, gap: &[char]) -> Option<(usize, &'static str)> {
        let (mut line0, mut column) = (self.line0, self.column);
        let mut key_allowed = self.key_allowed;
        // A plain scalar's scanner eats the blanks after it, up to a comment.
        let mut plain = self.plain_indent;
        let mut leading = false;
        let mut comment = false;
        for &c in gap {
            match c {
                '\n' => {
                    comment = false;
                    leading = true;
                    line0 += 1;
                    column = 0;
                    key_allowed |= self.flow_level == 0;
                    continue;
                }
                _ if comment => {}
                '#' => {
                    comment = true;
                    plain = None;
                }
                '\t' => match plain {
                    Some(indent) if leading && column < indent => {
                        return Some((line0, "found a tab character that violates indentation"));
                    }
                    Some(_) => {}
                    None if self.flow_level == 0 && key_allowed => {
                        return Some((line0, "found character that cannot start any token"));
                    }
                    None => {}
                },
                _ => {}
            }
            column += 1;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(text: &str) -> String {
        let error =
            serde_saphyr::from_str_with_options::<serde_json::Value>(text, super::super::options())
                .expect_err("refused");
        from_error(text, false, &error)
            .expect("a syntax error")
            .to_string()
    }

    #[test]
    fn scanner_errors_name_the_next_line_and_parser_errors_the_mark_line() {
        assert_eq!(
            problem("a: 1\n  b: 2\n"),
            "yaml: line 2: mapping values are not allowed in this context"
        );
        // The first line is never named.
        assert_eq!(
            problem("a: {b: c: d}\n"),
            "yaml: did not find expected ',' or '}'"
        );
        assert_eq!(go_yaml_line(Stage::Parser, 3), Some(3));
        assert_eq!(go_yaml_line(Stage::Scanner, 3), Some(4));
        assert_eq!(go_yaml_line(Stage::Scanner, 0), None);
    }

    #[test]
    fn what_is_left_open_fails_at_the_end_of_the_stream() {
        assert_eq!(
            problem("a: [\n"),
            "yaml: line 1: did not find expected node content"
        );
        assert_eq!(
            problem("a: [b"),
            "yaml: line 1: did not find expected ',' or ']'"
        );
        assert_eq!(
            problem("a:\n  b: {c: [d], e"),
            "yaml: line 2: did not find expected ',' or '}'"
        );
        assert_eq!(
            problem("a: \"x\n"),
            "yaml: line 2: found unexpected end of stream"
        );
        assert_eq!(problem("a: \"x"), "yaml: found unexpected end of stream");
    }

    #[test]
    fn an_unknown_alias_is_named_without_a_line() {
        assert_eq!(
            problem("a: 1\nb: *nowhere\n"),
            "yaml: unknown anchor 'nowhere' referenced"
        );
    }

    #[test]
    fn a_tab_where_go_yaml_wants_a_token_in_block_context_is_refused() {
        let refused = "yaml: found character that cannot start any token";
        assert_eq!(tab_problem("\t a: 1\n").unwrap().to_string(), refused);
        assert_eq!(
            problem("a:\n\tb: 2\n"),
            "yaml: line 2: found character that cannot start any token"
        );
        assert_eq!(
            problem("a: 1\n\tb: 2\n"),
            "yaml: line 2: found a tab character that violates indentation"
        );
        assert_eq!(tab_problem("a:\t1\n").unwrap().to_string(), refused);
        assert_eq!(tab_problem("a: [1,\t2]\nb: \"\tx\" # \t\n"), None);
        assert_eq!(tab_problem("a: |\n  \tx\n"), None);
    }
}
