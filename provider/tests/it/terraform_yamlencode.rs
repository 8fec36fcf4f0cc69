//! The provider writes values read back from the world (an imported
//! agent's values) as Terraform's `yamlencode` does, byte for byte: every
//! case below is encoded by real Terraform and by `cty::yaml::yamlencode`.

use serde_json::{Value, json};
use terraform_provider_upbound::cty::yaml::yamlencode;
use testkit::terraform::TerraformDir;

/// Values that reach each branch of the emitter: scalars of every kind
/// (also as the whole document),
/// nesting both ways, empty collections, strings that fold, break, need
/// escapes or a literal block with each chomping, and keys too long or
/// multi-line for `key: value`.
fn cases() -> Value {
    let long = "word ".repeat(40);
    json!([
        {"billing": {"enabled": false}},
        {"a": "b", "c": "d", "n": null, "t": true},
        {"int": 3, "negative": -7, "float": 0.5, "small": 0.000001, "big": 12345678901234567890_u64, "whole": 2.0},
        {"list": [1, "two", [3, [4]], {"k": "v", "m": {"x": []}}], "empty": {}, "none": []},
        {"nested": {"deeper": {"deepest": ["a", {"b": {"c": "d"}}]}}},
        {"quotes": "say \"hi\" \\ back", "tab": "a\tb", "control": "bell\u{7}esc\u{1b}nul\u{0}", "unicode": "café ünï 日本 🚀", "nbsp": "a\u{a0}b", "nel": "a\u{85}b", "ls": "a\u{2028}b"},
        {"long": long.trim_end(), "long_double_space": format!("{}  tail", "x".repeat(85)), "in": {"side": {"long": long.trim_end()}}},
        {"literal": "line one\nline two", "clip": "ends\n", "keep": "ends\n\n", "lead": "  indented\nnext", "lead_break": "\nafter", "trailing_space": "a \nb", "only_break": "\n", "emoji_lines": "🚀\nx"},
        {"last_keep": "z\n\n"},
        {"": "empty key", "empty": "", "colon": "a: b", "hash": "# not a comment", "dash": "- x", "yes": "yes", "number_text": "0123"},
        {"k": ["- item", "multi\nline", {"deep": "x\ny\n"}]},
        {"this key is longer than one hundred and twenty-eight bytes, so libyaml writes it with a question mark and a colon on its own line.......": 1},
        {"multi\nline key": "v"},
        {"\u{feff}bom": "\u{feff}bom value"},
        1, 0.25, "text", "two\nlines", null, true, [], {}
    ])
}

#[tokio::test]
async fn values_are_written_as_terraform_yamlencode_writes_them() {
    let cases = cases();
    let dir = TerraformDir::new(
        r#"
locals {
  cases = jsondecode(file("${path.module}/cases.json"))
}

output "encoded" {
  value = [for value in local.cases : yamlencode(value)]
}
"#,
    );
    dir.write("cases.json", &cases.to_string());
    dir.init().await;
    dir.apply(&[]).await.success();
    let output = dir.run(&["output", "-json", "encoded"]).await.success();
    let terraform: Vec<String> = serde_json::from_str(&output.stdout).expect("output is JSON");

    let cases = cases.as_array().expect("a list of cases");
    assert_eq!(terraform.len(), cases.len());
    let differing: Vec<String> = cases
        .iter()
        .zip(&terraform)
        .filter(|(case, theirs)| yamlencode(case) != **theirs)
        .map(|(case, theirs)| {
            format!(
                "{case}\n--- terraform\n{theirs}--- ours\n{}",
                yamlencode(case)
            )
        })
        .collect();
    assert!(
        differing.is_empty(),
        "{} of {} cases differ:\n{}",
        differing.len(),
        cases.len(),
        differing.join("\n")
    );
}
