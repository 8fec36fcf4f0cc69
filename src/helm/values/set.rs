//! The `--set` grammar, ported from Helm's `pkg/strvals/parser.go` (v3.21)
//! quirks included: `a.b=c` nests maps, `a[0].b=c` and `a[0][1]=c` index
//! lists (gaps filled with null, index ≤ 65536), `a={x,y}` sets a list,
//! `\` escapes the next character, `a=` is `""`. `--set` types values
//! (`true`/`false`/`null` in any case, `0`, base-10 integers without a
//! leading zero as int64, anything else a string); `--set-string` keeps
//! strings; `--set-json` reads one JSON value (numbers as f64).

use serde_json::{Map, Number, Value};

use super::Values;

/// Helm's `MaxIndex`.
const MAX_INDEX: usize = 65536;
/// Helm's `MaxNestedNameLevel`.
const MAX_NESTED_NAME_LEVEL: usize = 30;

/// A `--set`-style expression that Helm would reject too.
#[derive(Debug, thiserror::Error)]
#[error("failed parsing --{flag} data: {detail}")]
pub struct SetError {
    /// `set`, `set-string` or `set-json`.
    pub flag: &'static str,
    /// What is wrong (names the key, never the value).
    pub detail: String,
}

/// How values are typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// `--set`: values are typed.
    Typed,
    /// `--set-string`: values stay strings.
    Strings,
    /// `--set-json`: values are JSON.
    Json,
}

impl Mode {
    fn flag(self) -> &'static str {
        match self {
            Self::Typed => "set",
            Self::Strings => "set-string",
            Self::Json => "set-json",
        }
    }
}

/// Parses `expression` (`a=1,b.c=2`) into `dest`, as `helm --set` does.
pub fn parse_into(expression: &str, dest: &mut Values, mode: Mode) -> Result<(), SetError> {
    let mut parser = Parser {
        chars: expression.chars().collect(),
        pos: 0,
        mode,
    };
    loop {
        match parser.key(dest, 0) {
            Ok(()) => {}
            Err(Stop::End) => return Ok(()),
            Err(Stop::Fail(detail)) => {
                return Err(SetError {
                    flag: mode.flag(),
                    detail,
                });
            }
        }
    }
}

/// Why a step stopped: the input ended (Go's `io.EOF`, often success), or
/// a parse error.
enum Stop {
    End,
    Fail(String),
}

/// Go's `ErrNotList`, or a real stop.
enum ListStop {
    NotList,
    Stop(Stop),
}

fn fail<T>(detail: impl Into<String>) -> Result<T, Stop> {
    Err(Stop::Fail(detail.into()))
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    mode: Mode,
}

impl Parser {
    fn read(&mut self) -> Option<char> {
        let c = self.chars.get(self.pos).copied();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }

    /// Characters up to one of `stop` (consumed, returned), `\` escaping;
    /// `None` when the input ended first.
    fn until(&mut self, stop: &[char]) -> (String, Option<char>) {
        let mut text = String::new();
        loop {
            match self.read() {
                None => return (text, None),
                Some(c) if stop.contains(&c) => return (text, Some(c)),
                Some('\\') => match self.read() {
                    Some(next) => text.push(next),
                    None => return (text, None),
                },
                Some(c) => text.push(c),
            }
        }
    }

    fn key(&mut self, data: &mut Values, level: usize) -> Result<(), Stop> {
        let (key, last) = self.until(&['=', '[', ',', '.']);
        match last {
            None if key.is_empty() => Err(Stop::End),
            None => fail(format!("key {key:?} has no value")),
            Some('[') => {
                let index = self.index()?;
                let list = match data.get(&key) {
                    None => Vec::new(),
                    Some(Value::Array(list)) => list.clone(),
                    Some(_) => return fail(format!("unable to parse key: {key:?} is not a list")),
                };
                match self.list_item(list.clone(), index, level) {
                    Ok(list) => {
                        set(data, &key, Value::Array(list));
                        Ok(())
                    }
                    Err(Stop::End) => {
                        set(data, &key, Value::Array(list));
                        Err(Stop::End)
                    }
                    Err(error) => Err(error),
                }
            }
            Some('=') => {
                let value = self.value()?;
                let ended = value.is_none();
                set(
                    data,
                    &key,
                    value.unwrap_or_else(|| Value::String(String::new())),
                );
                if ended { Err(Stop::End) } else { Ok(()) }
            }
            Some(',') => fail(format!("key {key:?} has no value (cannot end with ,)")),
            _ => {
                let level = level + 1;
                if level > MAX_NESTED_NAME_LEVEL {
                    return fail(format!(
                        "value name nested level is greater than maximum supported nested level of {MAX_NESTED_NAME_LEVEL}"
                    ));
                }
                let mut inner = match data.get(&key) {
                    None => Map::new(),
                    Some(Value::Object(inner)) => inner.clone(),
                    Some(_) => return fail(format!("unable to parse key: {key:?} is not a map")),
                };
                let result = self.key(&mut inner, level);
                if result.is_ok() && inner.is_empty() {
                    return fail(format!("key map {key:?} has no value"));
                }
                if !inner.is_empty() {
                    set(data, &key, Value::Object(inner));
                }
                result
            }
        }
    }

    /// The value after `=`; `None` when the input ended right there (the
    /// caller stores `""`, and the parse ends).
    fn value(&mut self) -> Result<Option<Value>, Stop> {
        if self.mode == Mode::Json {
            return self.json_value().map(Some);
        }
        match self.list() {
            Ok(list) => Ok(Some(Value::Array(list))),
            Err(ListStop::Stop(Stop::End)) => Ok(None),
            Err(ListStop::Stop(error)) => Err(error),
            Err(ListStop::NotList) => {
                let (text, _) = self.until(&[',']);
                Ok(Some(self.typed(text)))
            }
        }
    }

    fn list_item(
        &mut self,
        mut list: Vec<Value>,
        index: usize,
        level: usize,
    ) -> Result<Vec<Value>, Stop> {
        let (rest, last) = self.until(&['[', '.', '=']);
        if !rest.is_empty() {
            return fail(format!("unexpected data at end of array index: {rest:?}"));
        }
        match last {
            None => Err(Stop::End),
            Some('=') => {
                let value = self
                    .value()?
                    .unwrap_or_else(|| Value::String(String::new()));
                set_index(list, index, value)
            }
            Some('[') => {
                let next = self.index()?;
                let current = match list.get(index) {
                    None | Some(Value::Null) => Vec::new(),
                    Some(Value::Array(current)) => current.clone(),
                    Some(_) => return fail(format!("error processing index {index}: not a list")),
                };
                let nested = self.list_item(current, next, level)?;
                set_index(list, index, Value::Array(nested))
            }
            _ => {
                let mut inner = match list.get(index) {
                    Some(Value::Object(inner)) => inner.clone(),
                    _ => Map::new(),
                };
                let result = self.key(&mut inner, level);
                if let Err(stop) = result {
                    // Go mutates an existing element in place even when
                    // the key stops early.
                    if let Some(slot) = list.get_mut(index) {
                        *slot = Value::Object(inner);
                    }
                    return Err(stop);
                }
                set_index(list, index, Value::Object(inner))
            }
        }
    }

    fn index(&mut self) -> Result<usize, Stop> {
        let (text, last) = self.until(&[']']);
        if last.is_none() {
            return fail("error parsing index: EOF");
        }
        let index: i64 = text
            .parse()
            .map_err(|_| Stop::Fail(format!("error parsing index: {text:?} is not an integer")))?;
        usize::try_from(index)
            .map_err(|_| Stop::Fail(format!("negative {index} index not allowed")))
    }

    /// `{a,b}`; `NotList` (nothing consumed) when the value does not start with `{`.
    fn list(&mut self) -> Result<Vec<Value>, ListStop> {
        match self.read() {
            None => return Err(ListStop::Stop(Stop::End)),
            Some('{') => {}
            Some(_) => {
                self.pos -= 1;
                return Err(ListStop::NotList);
            }
        }
        let mut list = Vec::new();
        loop {
            let (text, last) = self.until(&[',', '}']);
            match last {
                None => {
                    return Err(ListStop::Stop(Stop::Fail(
                        "list must terminate with '}'".to_owned(),
                    )));
                }
                Some('}') => {
                    if self.read().is_some_and(|c| c != ',') {
                        self.pos -= 1;
                    }
                    list.push(self.typed(text));
                    return Ok(list);
                }
                _ => list.push(self.typed(text)),
            }
        }
    }

    /// One JSON value (an empty one is null), then an optional `,`.
    fn json_value(&mut self) -> Result<Value, Stop> {
        if self.empty_value() {
            return Ok(Value::Null);
        }
        let rest: String = self.chars[self.pos..].iter().collect();
        let mut stream = serde_json::Deserializer::from_str(&rest).into_iter::<Value>();
        let value = match stream.next() {
            Some(Ok(value)) => value,
            Some(Err(error)) => return fail(format!("invalid JSON value: {error}")),
            None => return fail("missing JSON value"),
        };
        self.pos += rest[..stream.byte_offset()].chars().count();
        self.empty_value();
        Ok(floats(value))
    }

    /// Skips white space; true at the end or after a `,`.
    fn empty_value(&mut self) -> bool {
        loop {
            match self.read() {
                None | Some(',') => return true,
                Some(c) if c.is_whitespace() => {}
                Some(_) => {
                    self.pos -= 1;
                    return false;
                }
            }
        }
    }

    fn typed(&self, text: String) -> Value {
        if self.mode == Mode::Strings {
            return Value::String(text);
        }
        if text.eq_ignore_ascii_case("true") {
            return Value::Bool(true);
        }
        if text.eq_ignore_ascii_case("false") {
            return Value::Bool(false);
        }
        if text.eq_ignore_ascii_case("null") {
            return Value::Null;
        }
        if text == "0" {
            return Value::from(0_i64);
        }
        if !text.starts_with('0')
            && let Some(int) = go_parse_int(&text)
        {
            return Value::from(int);
        }
        Value::String(text)
    }
}

/// The value with every number made an f64, as Go's JSON decoding does.
fn floats(value: Value) -> Value {
    match value {
        Value::Number(number) => number
            .as_f64()
            .and_then(Number::from_f64)
            .map_or(Value::Number(number), Value::Number),
        Value::Array(items) => Value::Array(items.into_iter().map(floats).collect()),
        Value::Object(map) => Value::Object(map.into_iter().map(|(k, v)| (k, floats(v))).collect()),
        other => other,
    }
}

/// Go's `strconv.ParseInt(s, 10, 64)`: optional sign, ASCII digits only.
fn go_parse_int(text: &str) -> Option<i64> {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn set(data: &mut Values, key: &str, value: Value) {
    if !key.is_empty() {
        data.insert(key.to_owned(), value);
    }
}

fn set_index(mut list: Vec<Value>, index: usize, value: Value) -> Result<Vec<Value>, Stop> {
    if index > MAX_INDEX {
        return fail(format!(
            "index of {index} is greater than maximum supported index of {MAX_INDEX}"
        ));
    }
    if list.len() <= index {
        list.resize(index + 1, Value::Null);
    }
    list[index] = value;
    Ok(list)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn parse(expression: &str, mode: Mode) -> Value {
        let mut values = Values::new();
        parse_into(expression, &mut values, mode).unwrap();
        Value::Object(values)
    }

    #[test]
    fn types_values_as_helm_does() {
        let values = parse("a=0,b=0123,c=TRUE,d=1.5,e=null,f=-7,g=,h=+3", Mode::Typed);
        assert_eq!(
            values,
            json!({"a": 0, "b": "0123", "c": true, "d": "1.5", "e": null, "f": -7, "g": "", "h": 3})
        );
        assert!(values["a"].is_i64());
    }

    #[test]
    fn nests_indexes_lists_and_escapes() {
        assert_eq!(
            parse(r"x[1].y=z,l={a,1},k\.dot=v\,w,m.n.o=p", Mode::Typed),
            json!({"x": [null, {"y": "z"}], "l": ["a", 1], "k.dot": "v,w", "m": {"n": {"o": "p"}}})
        );
        assert_eq!(parse("a[0][1]=x", Mode::Typed), json!({"a": [[null, "x"]]}));
    }

    #[test]
    fn strings_and_json_modes() {
        assert_eq!(
            parse("a=1,b=true", Mode::Strings),
            json!({"a": "1", "b": "true"})
        );
        assert_eq!(
            parse(r#"a={"b":[1,2]},c=null"#, Mode::Json),
            json!({"a": {"b": [1.0, 2.0]}, "c": null})
        );
    }

    #[test]
    fn rejects_what_helm_rejects() {
        for bad in ["a", "a,b=1", "a[x]=1", "a[-1]=1", "a[70000]=1", "a={x"] {
            let mut values = Values::new();
            assert!(parse_into(bad, &mut values, Mode::Typed).is_err(), "{bad}");
        }
    }
}
