//! Go's escaping builtins `html`, `js` and `urlquery`. Like Go, each takes
//! its one string argument as is, or else `fmt.Sprint` of all arguments,
//! nil ones printed as `<no value>`.

use super::format::sprint;
use super::value::Value;

fn text(args: &[Value]) -> String {
    match args {
        [Value::String(s)] => s.clone(),
        _ => {
            let printable: Vec<Value> = args
                .iter()
                .map(|arg| match arg {
                    Value::Nil => Value::from("<no value>"),
                    other => other.clone(),
                })
                .collect();
            sprint(&printable)
        }
    }
}

/// The text of `args` with each character `escape` names replaced.
fn replace_chars(args: &[Value], escape: impl Fn(char) -> Option<String>) -> Value {
    let mut out = String::new();
    for c in text(args).chars() {
        match escape(c) {
            Some(replacement) => out.push_str(&replacement),
            None => out.push(c),
        }
    }
    Value::String(out)
}

/// `html`: Go's `template.HTMLEscapeString`.
pub(super) fn html(args: &[Value]) -> Value {
    replace_chars(args, |c| {
        let entity = match c {
            '\0' => "\u{fffd}",
            '"' => "&#34;",
            '\'' => "&#39;",
            '&' => "&amp;",
            '<' => "&lt;",
            '>' => "&gt;",
            _ => return None,
        };
        Some(entity.to_owned())
    })
}

/// `js`: Go's `template.JSEscapeString`.
pub(super) fn js(args: &[Value]) -> Value {
    replace_chars(args, |c| match c {
        '\\' => Some("\\\\".to_owned()),
        '\'' => Some("\\'".to_owned()),
        '"' => Some("\\\"".to_owned()),
        // Go escapes what `unicode.IsPrint` rejects (controls, and spaces
        // other than ' ', such as U+2028 and U+2029), and HTML specials.
        c if matches!(c, '<' | '>' | '&' | '=')
            || c.is_control()
            || (c.is_whitespace() && c != ' ') =>
        {
            Some(format!("\\u{:04X}", u32::from(c)))
        }
        _ => None,
    })
}

/// `urlquery`: Go's `url.QueryEscape`.
pub(super) fn urlquery(args: &[Value]) -> Value {
    let mut out = String::new();
    for b in text(args).bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(b));
            }
            b' ' => out.push('+'),
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    Value::String(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_go() {
        assert_eq!(
            html(&["<a href='x'>&</a>".into()]).as_str(),
            Some("&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;")
        );
        assert_eq!(
            js(&["a'b<c\n".into()]).as_str(),
            Some("a\\'b\\u003Cc\\u000A")
        );
        assert_eq!(
            urlquery(&["a b&c/é".into()]).as_str(),
            Some("a+b%26c%2F%C3%A9")
        );
        assert_eq!(
            urlquery(&[Value::Int(1), Value::Int(2)]).as_str(),
            Some("1+2")
        );
    }
}
