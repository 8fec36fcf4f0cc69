//! Loading a chart, as Helm's `chart/loader` does, from a pulled or local
//! `.tgz` or from a directory (honouring `.helmignore`): `Chart.yaml`,
//! `values.yaml`, `values.schema.json`, `templates/**`, subcharts under
//! `charts/` (directories and `.tgz`, names starting `_` or `.` skipped) and
//! every other file (for `.Files`). Loading checks the metadata but does not
//! process dependency conditions, tags or `import-values`.

mod archive;
mod ignore;
mod metadata;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use archive::{MAX_CHART_SIZE, MAX_FILE_SIZE};
pub use metadata::{Dependency, Maintainer, Metadata};

use crate::helm::values::{self, Values, ValuesError};
use ignore::IgnoreRules;

/// A file of a chart, named relative to the chart (`templates/x.yaml`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct File {
    /// Chart-relative name with `/` separators.
    pub name: String,
    /// Contents (a leading UTF-8 BOM removed, as Helm does).
    pub data: Vec<u8>,
}

/// A loaded chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Chart {
    /// `Chart.yaml`.
    pub metadata: Metadata,
    /// `Chart.lock` (or a v1 chart's `requirements.lock`), as written.
    pub lock: Option<Vec<u8>>,
    /// `values.yaml`: the chart's defaults (numbers as float64, see
    /// [`values`](crate::helm::values)).
    pub values: Values,
    /// `values.schema.json`, if present.
    pub schema: Option<Vec<u8>>,
    /// Every file under `templates/`, in load order.
    pub templates: Vec<File>,
    /// Every other file (`.Files`), in load order.
    pub files: Vec<File>,
    /// Subcharts found under `charts/`.
    pub subcharts: Vec<Chart>,
}

/// A chart could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// A file or directory could not be read.
    #[error("cannot read chart at {path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The IO error.
        #[source]
        source: std::io::Error,
    },
    /// The archive is not a readable gzip'd tar.
    #[error("chart archive {detail}; is it a chart .tgz made by helm package?")]
    Archive {
        /// What failed.
        detail: String,
    },
    /// An archive entry tries to escape the chart or is not a plain file.
    #[error("chart archive entry {entry:?} {problem}; refusing to load it")]
    UnsafeArchive {
        /// The entry's name in the archive.
        entry: String,
        /// Why it is refused.
        problem: String,
    },
    /// The chart exceeds Helm's size caps.
    #[error("chart too large: {detail}")]
    TooLarge {
        /// Which cap.
        detail: String,
    },
    /// `Chart.yaml` is missing or invalid.
    #[error("Chart.yaml: {detail}")]
    Metadata {
        /// What is wrong.
        detail: String,
    },
    /// `values.yaml` does not parse.
    #[error("values.yaml of chart {chart}: {source}")]
    Values {
        /// The chart's name.
        chart: String,
        /// The parse error.
        #[source]
        source: ValuesError,
    },
    /// A `.helmignore` rule is invalid.
    #[error(".helmignore rule {rule:?} {problem}")]
    Ignore {
        /// The rule.
        rule: String,
        /// Why it is invalid.
        problem: String,
    },
    /// A subchart under `charts/` failed to load.
    #[error("subchart {name} of {chart}: {source}")]
    Subchart {
        /// The entry under `charts/`.
        name: String,
        /// The parent chart.
        chart: String,
        /// Why it failed.
        #[source]
        source: Box<ChartError>,
    },
}

impl Chart {
    /// Loads a chart from a directory or a `.tgz` file.
    pub fn load(path: &Path) -> Result<Self, ChartError> {
        let io_error = |source| ChartError::Io {
            path: path.to_path_buf(),
            source,
        };
        if std::fs::metadata(path).map_err(io_error)?.is_dir() {
            Self::from_files(read_dir(path)?)
        } else {
            Self::from_archive(&std::fs::read(path).map_err(io_error)?)
        }
    }

    /// Loads a chart from the bytes of a `.tgz`.
    pub fn from_archive(gzipped: &[u8]) -> Result<Self, ChartError> {
        Self::from_files(archive::read_archive(gzipped)?)
    }

    /// Sorts chart-relative files into a chart, as Helm's `LoadFiles`.
    pub fn from_files(files: Vec<File>) -> Result<Self, ChartError> {
        let chart_yaml = files
            .iter()
            .find(|file| file.name == "Chart.yaml")
            .ok_or_else(|| ChartError::Metadata {
                detail: "missing: a chart needs a Chart.yaml at its root".to_owned(),
            })?;
        let mut chart = Self {
            metadata: Metadata::parse(&chart_yaml.data)?,
            lock: None,
            values: Values::new(),
            schema: None,
            templates: Vec::new(),
            files: Vec::new(),
            subcharts: Vec::new(),
        };
        let v1 = chart.metadata.api_version == "v1";
        let mut subcharts: BTreeMap<String, Vec<File>> = BTreeMap::new();
        for file in files {
            match file.name.as_str() {
                "Chart.yaml" => {}
                "Chart.lock" => chart.lock = Some(file.data),
                "values.yaml" => {
                    chart.values =
                        values::parse_yaml(&file.data).map_err(|source| ChartError::Values {
                            chart: chart.metadata.name.clone(),
                            source,
                        })?;
                }
                "values.schema.json" => chart.schema = Some(file.data),
                "requirements.yaml" | "requirements.lock" if v1 => {
                    if file.name == "requirements.yaml" {
                        chart.metadata.add_requirements(&file.data)?;
                    } else {
                        chart.lock = Some(file.data.clone());
                    }
                    chart.files.push(file);
                }
                name if name.starts_with("templates/") => chart.templates.push(file),
                name if name.starts_with("charts/") && !name.ends_with(".prov") => {
                    let inner = &name["charts/".len()..];
                    let subchart = inner.split('/').next().unwrap_or(inner).to_owned();
                    subcharts.entry(subchart).or_default().push(File {
                        name: inner.to_owned(),
                        data: file.data,
                    });
                }
                _ => chart.files.push(file),
            }
        }
        for (name, files) in subcharts {
            if name.starts_with(['_', '.']) {
                continue;
            }
            let loaded = load_subchart(&name, files).map_err(|source| ChartError::Subchart {
                name: name.clone(),
                chart: chart.metadata.name.clone(),
                source: Box::new(source),
            })?;
            chart.subcharts.push(loaded);
        }
        chart.metadata.validate()?;
        Ok(chart)
    }

    /// The chart's name.
    pub fn name(&self) -> &str {
        &self.metadata.name
    }

    /// The files of its `crds/` directory (YAML or JSON), then its
    /// subcharts', as Helm's `CRDObjects` lists them: what a first install
    /// creates before rendering anything, once disabled subcharts are gone
    /// ([`process_dependencies`](crate::helm::render::process_dependencies)).
    pub fn crd_files(&self) -> Vec<&File> {
        let mut files: Vec<&File> = self
            .files
            .iter()
            .filter(|file| file.name.starts_with("crds/") && has_manifest_extension(&file.name))
            .collect();
        for subchart in &self.subcharts {
            files.extend(subchart.crd_files());
        }
        files
    }
}

/// Whether `name` ends in `.yaml`, `.yml` or `.json`, any case.
fn has_manifest_extension(name: &str) -> bool {
    let extension = name.rsplit_once('.').map_or("", |(_, extension)| extension);
    ["yaml", "yml", "json"]
        .iter()
        .any(|known| extension.eq_ignore_ascii_case(known))
}

/// A subchart: `charts/<name>.tgz`, or the files of `charts/<name>/`.
fn load_subchart(name: &str, files: Vec<File>) -> Result<Chart, ChartError> {
    if name.ends_with(".tgz") {
        return match files.as_slice() {
            [file] if file.name == name => Chart::from_archive(&file.data),
            _ => Err(ChartError::Archive {
                detail: format!("charts/{name} is not a single archive"),
            }),
        };
    }
    let inner = files
        .into_iter()
        .filter_map(|file| {
            let (_, rest) = file.name.split_once('/')?;
            Some(File {
                name: rest.to_owned(),
                data: file.data,
            })
        })
        .collect();
    Chart::from_files(inner)
}

/// The files of a chart directory, in Go's walk order (lexical, depth
/// first), minus what `.helmignore` excludes.
fn read_dir(root: &Path) -> Result<Vec<File>, ChartError> {
    let ignore_file = root.join(".helmignore");
    let rules = match std::fs::read_to_string(&ignore_file) {
        Ok(text) => IgnoreRules::parse(&text)?,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => IgnoreRules::parse("")?,
        Err(source) => {
            return Err(ChartError::Io {
                path: ignore_file,
                source,
            });
        }
    };
    let mut files = Vec::new();
    walk(root, "", &rules, &mut files)?;
    Ok(files)
}

fn walk(
    dir: &Path,
    prefix: &str,
    rules: &IgnoreRules,
    files: &mut Vec<File>,
) -> Result<(), ChartError> {
    let io_error = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ChartError::Io { path, source }
    };
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(io_error(dir))?
        .collect::<Result<_, _>>()
        .map_err(io_error(dir))?;
    entries.sort_by_key(|entry| entry.file_name());
    for entry in entries {
        let path = entry.path();
        let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
        // Follows symlinks, as Helm's loader does.
        let metadata = std::fs::metadata(&path).map_err(io_error(&path))?;
        if rules.ignores(&name, metadata.is_dir()) {
            continue;
        }
        if metadata.is_dir() {
            walk(&path, &format!("{name}/"), rules, files)?;
            continue;
        }
        if !metadata.is_file() {
            return Err(ChartError::UnsafeArchive {
                entry: name,
                problem: "is not a regular file".to_owned(),
            });
        }
        if metadata.len() > MAX_FILE_SIZE {
            return Err(ChartError::TooLarge {
                detail: format!("file {name:?} is larger than {MAX_FILE_SIZE} bytes"),
            });
        }
        let data = std::fs::read(&path).map_err(io_error(&path))?;
        files.push(File {
            name,
            data: archive::without_bom(data),
        });
    }
    Ok(())
}
