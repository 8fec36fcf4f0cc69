//! Bad inputs every face's input-error table feeds: tokens that are no
//! valid Upbound token, and kubeconfigs that are broken or point nowhere.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// The token value a kubeconfig's bad line holds: no face may echo it.
pub const KUBECONFIG_SECRET: &str = "kubeconfig-secret-4711";

/// A JWT with these claims, unsigned (the double reads tokens without
/// checking signatures, as a client cannot either).
pub fn unsigned_jwt(claims: &str) -> String {
    let encode = |text: &str| URL_SAFE_NO_PAD.encode(text);
    format!("{}.{}.c2ln", encode(r#"{"alg":"HS256"}"#), encode(claims))
}

/// A kubeconfig that is not YAML, its offending line right after a user's
/// `token:` line holding [`KUBECONFIG_SECRET`].
pub fn kubeconfig_with_bad_line_after_token() -> String {
    format!("apiVersion: v1\nusers:\n- name: u\n  user:\n    token: {KUBECONFIG_SECRET}\n  - [\n")
}

/// A valid kubeconfig whose only cluster is a closed local port.
pub const UNREACHABLE_KUBECONFIG: &str = "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: 'https://127.0.0.1:1', insecure-skip-tls-verify: true}\nusers:\n- name: u\n  user: {token: x}\ncontexts:\n- name: c\n  context: {cluster: c, user: u}\ncurrent-context: c\n";
