//! go-plugin's handshake: the magic cookie that proves Terraform started
//! us, and the one line on stdout that tells it where to connect.

use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD_NO_PAD;

/// The variable Terraform sets to its magic cookie (protocols 5 and 6).
pub const MAGIC_COOKIE_KEY: &str = "TF_PLUGIN_MAGIC_COOKIE";
/// Terraform's magic cookie value.
pub const MAGIC_COOKIE_VALUE: &str =
    "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";

/// The go-plugin core protocol version.
const CORE_PROTOCOL_VERSION: u32 = 1;
/// The Terraform plugin protocol version served.
pub const APP_PROTOCOL_VERSION: u32 = 6;

/// What a person who runs the binary by hand sees (go-plugin's words).
pub const NOT_A_COMMAND: &str = "This binary is a plugin. These are not meant to be executed directly.\n\
Please execute the program that consumes these plugins, which will\n\
load any plugins automatically";

/// Whether Terraform started this process.
pub fn started_by_terraform() -> bool {
    std::env::var(MAGIC_COOKIE_KEY).as_deref() == Ok(MAGIC_COOKIE_VALUE)
}

/// The handshake line for a Unix socket at `socket`, with the server
/// certificate (DER) when AutoMTLS is on: `1|6|unix|PATH|grpc|CERT`.
pub fn line(socket: &Path, certificate: Option<&[u8]>) -> String {
    let certificate = certificate
        .map(|der| STANDARD_NO_PAD.encode(der))
        .unwrap_or_default();
    format!(
        "{CORE_PROTOCOL_VERSION}|{APP_PROTOCOL_VERSION}|unix|{}|grpc|{certificate}",
        socket.display()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_carries_the_certificate_unpadded() {
        let line = line(Path::new("/tmp/plugin1/provider.sock"), Some(&[1, 2, 3, 4]));
        assert_eq!(line, "1|6|unix|/tmp/plugin1/provider.sock|grpc|AQIDBA");
    }

    #[test]
    fn line_without_tls_leaves_the_certificate_empty() {
        assert_eq!(line(Path::new("/s"), None), "1|6|unix|/s|grpc|");
    }
}
