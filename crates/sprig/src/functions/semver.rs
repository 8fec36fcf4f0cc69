//! `semver VERSION` (a version whose `.Major`, `.Minor`, `.Patch`,
//! `.Prerelease`, `.Metadata`, `.Original` and `.String` work as the Go
//! methods do) and `semverCompare CONSTRAINT VERSION`, over
//! [`crate::semver`] (Masterminds/semver v3, as sprig uses it).

use std::collections::BTreeMap;
use std::sync::Arc;

use super::{Table, Value, fail, str_arg};
use crate::semver::{Constraints, Version};
use gotemplate::{Arity, Dict, FuncError, Function, Methods};

pub(super) fn register(table: &mut Table<'_>) {
    table.add(&["semver"], Arity::Exact(1), |a| {
        let text = str_arg(a, 0)?;
        let version = Version::parse(text).map_err(|error| fail(error.to_string()))?;
        Ok(version_object(text, &version))
    });
    table.add(&["semverCompare"], Arity::Exact(2), |a| {
        let constraints =
            Constraints::parse(str_arg(a, 0)?).map_err(|error| fail(error.to_string()))?;
        let version = Version::parse(str_arg(a, 1)?).map_err(|error| fail(error.to_string()))?;
        Ok(constraints.check(&version).into())
    });
}

/// `semver`'s result: a `*semver.Version`, no entries and the methods it
/// offers a template (printed by its `String`).
fn version_object(original: &str, v: &Version) -> Value {
    let method = |value: Value| -> Function {
        Arc::new(move |_, args| {
            FuncError::expect_args(args, 0)?;
            Ok(value.clone())
        })
    };
    let int = |n: u64| Value::Int(i64::try_from(n).unwrap_or(i64::MAX));
    let methods = Methods::of_struct("*semver.Version")
        .method("Major", method(int(v.major)))
        .method("Minor", method(int(v.minor)))
        .method("Patch", method(int(v.patch)))
        .method("Prerelease", method(v.prerelease.clone().into()))
        .method("Metadata", method(v.metadata.clone().into()))
        .method("Original", method(original.into()))
        .string(v.to_string());
    Value::Map(Dict::with_methods(BTreeMap::new(), methods))
}
