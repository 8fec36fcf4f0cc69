//! The functions Helm's engine defines itself, over the template set being
//! rendered (pkg/engine/engine.go `initFunMap`): `include`, `tpl`,
//! `required` and `fail` (their messages marked so that errors name the
//! failing template as Helm's do), and `lookup`.

use std::sync::Arc;

use super::lookup::Lookup;
use super::objects::to_value;
use gotemplate::{Arity, FuncError, TemplateSet, Value};

/// Marks around a `required`/`fail` message (Helm's `warnWrap`), found
/// again when the error is reported.
pub(super) const WARN_START: &str = "HELM_ERR_START";
/// See [`WARN_START`].
pub(super) const WARN_END: &str = "HELM_ERR_END";

/// The name `tpl` parses its text under: Helm parses it as a new
/// template named after the root of the set, `gotpl`.
const TPL_NAME: &str = "gotpl";

/// Registers Helm's own functions on `set`, replacing any of the same name.
pub(super) fn register(set: &mut TemplateSet, lookup: Arc<dyn Lookup>) {
    set.func("include", Arity::Exact(2), |call, args| {
        let name = FuncError::string_arg(args, 0)?;
        if !call.set().has_template(name) {
            return Err(FuncError::message(format!(
                "template: no template {name:?} associated with template {TPL_NAME:?}"
            )));
        }
        Ok(Value::String(call.execute(name, &args[1])?))
    });
    set.func("tpl", Arity::Exact(2), |call, args| {
        let text = FuncError::string_arg(args, 0)?;
        let mut clone = call.set().clone();
        clone.parse_body(TPL_NAME, text).map_err(|error| {
            FuncError::message(format!("cannot parse template {text:?}: {error}"))
        })?;
        let out = call
            .execute_in(&clone, TPL_NAME, &args[1])
            .map_err(|error| {
                FuncError::message(format!(
                    "error during tpl function execution for {text:?}: {error}"
                ))
            })?;
        Ok(Value::String(out.replace("<no value>", "")))
    });
    set.func("required", Arity::Exact(2), |_, args| {
        let message = FuncError::string_arg(args, 0)?;
        match &args[1] {
            Value::Nil => Err(warning(message)),
            Value::String(text) if text.is_empty() => Err(warning(message)),
            value => Ok(value.clone()),
        }
    });
    set.func("fail", Arity::Exact(1), |_, args| {
        Err(warning(FuncError::string_arg(args, 0)?))
    });
    set.func("lookup", Arity::Exact(4), move |_, args| {
        let [api_version, kind, namespace, name] =
            [0, 1, 2, 3].map(|index| FuncError::string_arg(args, index));
        let found = lookup
            .lookup(api_version?, kind?, namespace?, name?)
            .map_err(|error| FuncError::message(error.to_string()))?;
        Ok(Value::map(
            found
                .iter()
                .map(|(key, value)| (key.clone(), to_value(value)))
                .collect(),
        ))
    });
}

fn warning(message: &str) -> FuncError {
    FuncError::message(format!("{WARN_START}{message}{WARN_END}"))
}
