//! Reading a chart `.tgz` safely, as Helm's archive loader does: the one top
//! directory is stripped; absolute paths, `..` and links are refused; at most
//! 100 MiB in all and 5 MiB per file once decompressed.

use std::io::Read;

use super::{ChartError, File};

/// The most a chart may hold once decompressed (Helm's `MaxDecompressedChartSize`).
pub const MAX_CHART_SIZE: u64 = 100 * 1024 * 1024;
/// The largest single file (Helm's `MaxDecompressedFileSize`).
pub const MAX_FILE_SIZE: u64 = 5 * 1024 * 1024;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// The files of a gzip'd chart archive, named relative to the chart.
pub(super) fn read_archive(gzipped: &[u8]) -> Result<Vec<File>, ChartError> {
    let archive_error = |detail: String| ChartError::Archive { detail };
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(gzipped));
    let entries = archive
        .entries()
        .map_err(|error| archive_error(format!("not a gzip'd tar: {error}")))?;
    let mut remaining = MAX_CHART_SIZE;
    let mut files = Vec::new();
    for entry in entries {
        let mut entry = entry.map_err(|error| archive_error(format!("unreadable: {error}")))?;
        let kind = entry.header().entry_type();
        if kind.is_dir() || kind.is_pax_global_extensions() || kind.is_pax_local_extensions() {
            continue;
        }
        let raw = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        if !kind.is_file() {
            return Err(unsafe_entry(&raw, "is a link or special file"));
        }
        let name = chart_relative(&raw)?;
        let size = entry.size();
        if size > MAX_FILE_SIZE {
            return Err(ChartError::TooLarge {
                detail: format!("file {raw:?} is larger than {MAX_FILE_SIZE} bytes"),
            });
        }
        if size > remaining {
            return Err(too_large_chart());
        }
        let mut data = Vec::with_capacity(usize::try_from(size).unwrap_or_default());
        let read = (&mut entry)
            .take(remaining)
            .read_to_end(&mut data)
            .map_err(|error| archive_error(format!("cannot read {raw:?}: {error}")))?;
        remaining -= read as u64;
        if (read as u64) < size || remaining == 0 {
            return Err(too_large_chart());
        }
        files.push(File {
            name,
            data: without_bom(data),
        });
    }
    Ok(files)
}

/// The data without a leading UTF-8 byte-order mark, as Helm loads files.
pub(super) fn without_bom(mut data: Vec<u8>) -> Vec<u8> {
    if data.starts_with(UTF8_BOM) {
        data.drain(..UTF8_BOM.len());
    }
    data
}

/// The entry's name without its top directory, refusing escapes.
fn chart_relative(raw: &str) -> Result<String, ChartError> {
    let delimiter = if raw.contains('\\') { '\\' } else { '/' };
    let mut parts = raw.split(delimiter);
    let top = parts.next().unwrap_or_default();
    if top == "Chart.yaml" {
        return Err(unsafe_entry(raw, "is not inside the chart's top directory"));
    }
    let rest: Vec<&str> = parts.collect();
    if rest.first().is_some_and(|first| first.is_empty()) {
        return Err(unsafe_entry(raw, "is an absolute path"));
    }
    let mut clean: Vec<&str> = Vec::new();
    for part in rest {
        match part {
            "" | "." => {}
            ".." => {
                if clean.pop().is_none() {
                    return Err(unsafe_entry(raw, "points outside the chart (..)"));
                }
            }
            part => clean.push(part),
        }
    }
    let name = clean.join("/");
    if name.is_empty() {
        return Err(unsafe_entry(raw, "is outside the chart's top directory"));
    }
    if name.as_bytes().get(1) == Some(&b':') && name.as_bytes()[0].is_ascii_alphabetic() {
        return Err(unsafe_entry(raw, "is a drive path"));
    }
    Ok(name)
}

fn unsafe_entry(entry: &str, problem: &str) -> ChartError {
    ChartError::UnsafeArchive {
        entry: entry.to_owned(),
        problem: problem.to_owned(),
    }
}

fn too_large_chart() -> ChartError {
    ChartError::TooLarge {
        detail: format!("the decompressed chart is larger than {MAX_CHART_SIZE} bytes"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_the_top_directory_and_refuses_escapes() {
        assert_eq!(
            chart_relative("agent/templates/a.yaml").unwrap(),
            "templates/a.yaml"
        );
        assert_eq!(
            chart_relative("agent/./x/../values.yaml").unwrap(),
            "values.yaml"
        );
        for bad in [
            "agent/../../etc/passwd",
            "agent//etc/passwd",
            "Chart.yaml",
            "agent/",
            "agent/c:/x",
        ] {
            assert!(chart_relative(bad).is_err(), "{bad}");
        }
    }
}
