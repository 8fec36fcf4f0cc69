//! # sprig
//!
//! Helm's template function library for [`gotemplate`]: sprig v3's
//! `TxtFuncMap` (every name of its `genericMap` except `env` and
//! `expandenv`, certificates, keys and AES included) and Helm v3's own
//! pure functions (`toYaml`, `fromYaml`, `toJson`, `toToml`, `required`,
//! …), registered on a
//! [`TemplateSet`](gotemplate::TemplateSet) by [`register`], with the
//! pieces Helm builds them from: Masterminds/semver ([`semver`]) and
//! reading YAML as `sigs.k8s.io/yaml` does ([`goyaml`]).
//! `tests/parity/` checks the functions against real helm.
//!
//! ## Map
//! - [`register`]: puts every function on a template set.
//! - [`from_json`]: a JSON value as a template value, as Go decodes JSON.
//! - [`semver`]: versions and constraints as Masterminds/semver v3 parses
//!   and checks them (`semverCompare`, chart `kubeVersion`, dependencies).
//! - [`goyaml`]: reading YAML as Helm does, the one parser configuration
//!   for chart input (values files, `Chart.yaml`, `fromYaml`, manifests):
//!   the first document only, no parser budgets go-yaml lacks.
//! - [`goregexp`]: Go's `regexp` (RE2 syntax as Go parses it, its ASCII
//!   `\d`/`\w`/`\b`, `Expand`'s `$1`/`${name}`), translated for the
//!   `regex` crate.
//! - `functions`: the functions, one module per family: `strings`,
//!   `conversion`, `lists`, `dicts`, `math`, `defaults`, `encoding`,
//!   `hashes`, `regex`, `semver`, `json`, `yaml` (go-yaml v2/v3 emitting),
//!   `toml`, `paths`, `passwords` (with `derivePassword`), `keys`,
//!   `certificates`, `encryption` (AES), `pem` (Go's PEM and DER writing),
//!   `reflection`, `urls`, `random`, `dates`, and `unsupported`
//!   (`getHostByName`, which answers `""`).
//!
//! ```
//! use gotemplate::{TemplateSet, Value};
//!
//! let mut set = TemplateSet::new();
//! sprig::register(&mut set);
//! set.parse("t", r#"{{ dict "b" (list 1 "yes") | toYaml }}"#).unwrap();
//! assert_eq!(set.execute("t", &Value::Nil).unwrap(), "b:\n- 1\n- \"yes\"");
//! ```
//!
//! ## What it does not do
//! - `include`, `tpl` and `lookup` need a chart and a cluster: the Helm
//!   renderer registers them.
//! - `env` and `expandenv` (Helm leaves them out too).
//! - `getHostByName` answers `""`, as Helm does without `--enable-dns`.
//! - Go's P-224 and X25519 keys in the `*WithKey` certificate functions.
//! - The machine's own time zone: `Local` is taken as UTC; `now` prints
//!   without Go's monotonic clock reading.
//! - Typed Go slices: `toStrings` and friends give `[]interface {}`, so
//!   `typeOf` names that, not `[]string`.

pub mod duration;
pub mod emitter;
mod functions;
pub mod goregexp;
pub mod goyaml;
pub mod semver;

pub use functions::{from_json, register};
