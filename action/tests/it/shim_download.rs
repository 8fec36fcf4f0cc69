//! The node24 shim without UPBOUND_CONNECT_BINARY downloads the release
//! asset for this runner from `download-base-url`, checks it against the
//! SHA-256 in release.json, caches it in the tool cache and runs it; a
//! download whose sum does not match is refused with a clear `::error`.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Output};

use sha2::Digest;
use tempfile::TempDir;

const BINARY: &str = env!("CARGO_BIN_EXE_upbound-connect");
const TARGET: &str = "x86_64-unknown-linux-musl";

/// Serves `body` for every request on a loopback port; returns the base URL.
fn serve(body: Vec<u8>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("address");
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(&stream);
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|read| read > 2) {
                line.clear();
            }
            let mut stream = &stream;
            let header = format!(
                "HTTP/1.1 200 OK\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(header.as_bytes());
            let _ = stream.write_all(&body);
        }
    });
    format!("http://{address}/releases")
}

/// A copy of the action (shim and a release.json with `sha256`) in a temp dir.
fn action_copy(sha256: &str) -> TempDir {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("repo");
    let copy = TempDir::new().expect("temp");
    let shim = copy.path().join("action/shim");
    std::fs::create_dir_all(&shim).expect("shim dir");
    for file in ["main.js", "post.js", "run.js"] {
        std::fs::copy(root.join("action/shim").join(file), shim.join(file)).expect("copy");
    }
    let release = serde_json::json!({"version": "9.9.9", "sha256": {TARGET: sha256}});
    std::fs::write(copy.path().join("release.json"), release.to_string()).expect("release.json");
    copy
}

/// Runs the shim's main step with no inputs but the download base.
fn shim(action: &Path, base: &str, cache: &Path) -> Output {
    Command::new("node")
        .arg(action.join("action/shim/main.js"))
        .env_remove("UPBOUND_CONNECT_BINARY")
        .env("RUNNER_OS", "Linux")
        .env("RUNNER_ARCH", "X64")
        .env("RUNNER_TOOL_CACHE", cache)
        .env("INPUT_DOWNLOAD-BASE-URL", base)
        .output()
        .expect("node runs")
}

#[test]
fn downloads_checks_caches_and_runs_the_binary() {
    let bytes = std::fs::read(BINARY).expect("binary");
    let sum: String = sha2::Sha256::digest(&bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    let action = action_copy(&sum);
    let cache = TempDir::new().expect("cache");
    let output = shim(action.path(), &serve(bytes), cache.path());
    let stdout = String::from_utf8_lossy(&output.stdout);
    // No inputs: the downloaded binary ran and refused them by name.
    assert_eq!(output.status.code(), Some(2), "{stdout}");
    assert!(stdout.contains("Invalid input `space`"), "{stdout}");
    let cached = cache
        .path()
        .join(format!("upbound-connect/9.9.9/{TARGET}/upbound-connect"));
    assert!(cached.exists(), "cached in the tool cache");

    let offline = shim(
        action.path(),
        "http://127.0.0.1:9/unreachable",
        cache.path(),
    );
    assert_eq!(
        offline.status.code(),
        Some(2),
        "the cached binary runs without a download"
    );
}

#[test]
fn a_checksum_mismatch_is_refused() {
    let action = action_copy(&"0".repeat(64));
    let cache = TempDir::new().expect("cache");
    let output = shim(
        action.path(),
        &serve(b"not the binary".to_vec()),
        cache.path(),
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("::error title=upbound-connect::checksum mismatch"),
        "{stdout}"
    );
    assert!(
        !cache.path().join("upbound-connect").exists(),
        "nothing cached"
    );
}
