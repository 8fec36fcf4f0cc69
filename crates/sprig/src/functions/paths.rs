//! Paths: `base`, `dir`, `clean`, `ext`, `isAbs` (Go's slash-separated
//! `path`) and their `os*` twins (`path/filepath`, the same on Linux).

use super::{Table, str_arg};
use gotemplate::Arity;

pub(super) fn register(table: &mut Table<'_>) {
    use Arity::Exact;
    table.add(&["base", "osBase"], Exact(1), |a| {
        Ok(base(str_arg(a, 0)?).into())
    });
    table.add(&["dir", "osDir"], Exact(1), |a| {
        Ok(dir(str_arg(a, 0)?).into())
    });
    table.add(&["clean", "osClean"], Exact(1), |a| {
        Ok(clean(str_arg(a, 0)?).into())
    });
    table.add(&["ext", "osExt"], Exact(1), |a| {
        Ok(ext(str_arg(a, 0)?).into())
    });
    table.add(&["isAbs", "osIsAbs"], Exact(1), |a| {
        Ok(str_arg(a, 0)?.starts_with('/').into())
    });
}

/// Go's `path.Clean`: `.` and `..` resolved, slashes collapsed.
fn clean(path: &str) -> String {
    if path.is_empty() {
        return ".".into();
    }
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".into(),
        (false, false) => joined,
    }
}

fn base(path: &str) -> String {
    if path.is_empty() {
        return ".".into();
    }
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return "/".into();
    }
    trimmed.rsplit('/').next().unwrap_or(trimmed).to_owned()
}

fn dir(path: &str) -> String {
    let cut = path.rfind('/').map_or(0, |i| i + 1);
    clean(&path[..cut])
}

fn ext(path: &str) -> String {
    for (i, c) in path.char_indices().rev() {
        match c {
            '/' => break,
            '.' => return path[i..].to_owned(),
            _ => {}
        }
    }
    String::new()
}
