//! An error with its causes, for messages whose reader sees only one line:
//! transport errors (kube's, reqwest's) say "client error (Connect)" and
//! keep the why ("Connection refused") in their `source()` chain.

use std::error::Error;

/// `error` followed by each cause it does not already print, joined by
/// `": "`.
pub(crate) fn describe(error: &(dyn Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(error) = cause {
        let said = error.to_string();
        if !text.contains(&said) {
            text.push_str(": ");
            text.push_str(&said);
        }
        cause = error.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("{text}")]
    struct Layer {
        text: &'static str,
        #[source]
        source: Option<Box<Layer>>,
    }

    fn layer(text: &'static str, source: Option<Layer>) -> Layer {
        Layer {
            text,
            source: source.map(Box::new),
        }
    }

    #[test]
    fn every_cause_is_said_once() {
        let refused = layer("Connection refused (os error 111)", None);
        let connect = layer("tcp connect error", Some(refused));
        let client = layer("client error (Connect)", Some(connect));
        assert_eq!(
            describe(&client),
            "client error (Connect): tcp connect error: Connection refused (os error 111)"
        );
        let repeats = layer(
            "request failed: tcp connect error",
            Some(layer("tcp connect error", None)),
        );
        assert_eq!(describe(&repeats), "request failed: tcp connect error");
    }
}
