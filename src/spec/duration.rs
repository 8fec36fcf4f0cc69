//! Durations, one grammar for every face: Go's `time.ParseDuration`, as
//! Helm's `--timeout` reads it (`300s`, `5m`, `1.5m`, `1h30m`).

use std::time::Duration;

use super::{Field, FieldError};

/// Reads `text` as Go and Helm read a duration; a negative one is refused,
/// and a bare number is refused with the spelling that was likely meant.
pub fn parse_duration(field: Field, text: &str) -> Result<Duration, FieldError> {
    const FIX: &str = "write a duration with its unit, as Go and Helm do: e.g. 300s, 5m or 1h30m";
    match sprig::duration::parse(text) {
        Ok(nanos) => u64::try_from(nanos)
            .map(Duration::from_nanos)
            .map_err(|_| FieldError::new(field, format!("{text:?} is negative"), FIX)),
        Err(_) if !text.is_empty() && text.bytes().all(|byte| byte.is_ascii_digit()) => {
            Err(FieldError::new(
                field,
                format!("{text:?} has no unit"),
                format!("write {text}s for seconds (or another unit: e.g. 5m, 1h30m)"),
            ))
        }
        Err(error) => Err(FieldError::new(
            field,
            format!("{text:?} is not a duration ({error})"),
            FIX,
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIELD: Field = Field::Agent(super::super::AgentField::Timeout);

    #[test]
    fn durations_read_as_go_and_helm_write_them() {
        for (text, seconds) in [("90s", 90.0), ("1.5m", 90.0), ("1h30m", 5400.0), ("0", 0.0)] {
            assert_eq!(
                parse_duration(FIELD, text).map(|duration| duration.as_secs_f64()),
                Ok(seconds),
                "{text:?}"
            );
        }
    }

    #[test]
    fn a_bare_number_is_refused_with_the_likely_spelling() {
        let error = parse_duration(FIELD, "300").unwrap_err();
        assert_eq!(error.field, FIELD);
        assert!(error.fix.contains("300s"), "{error}");
    }

    #[test]
    fn malformed_and_negative_durations_are_refused() {
        for bad in ["", "m", "5x", "5m3", "-5s", "five minutes"] {
            let error = parse_duration(FIELD, bad).unwrap_err();
            assert!(error.fix.contains("5m"), "{bad:?}: {error}");
        }
    }
}
