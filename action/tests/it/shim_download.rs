//! The node24 shim without UPBOUND_CONNECT_BINARY downloads the release
//! asset for this runner from `download-base-url`, checks it against the
//! SHA-256 in release.json, caches it in the tool cache and runs it; a
//! download whose sum does not match is refused with a clear `::error`.
//! Each runner (Linux, macOS and Windows, by RUNNER_OS and RUNNER_ARCH)
//! gets its own asset; other runners are refused by name.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Output};

use sha2::Digest;
use tempfile::TempDir;

const BINARY: &str = env!("CARGO_BIN_EXE_upbound-connect");

/// Each runner the release has a binary for: `RUNNER_OS`, `RUNNER_ARCH`, the
/// Rust target (release.json's key) and the executable suffix.
const RUNNERS: [(&str, &str, &str, &str); 5] = [
    ("Linux", "X64", "x86_64-unknown-linux-musl", ""),
    ("Linux", "ARM64", "aarch64-unknown-linux-musl", ""),
    ("macOS", "X64", "x86_64-apple-darwin", ""),
    ("macOS", "ARM64", "aarch64-apple-darwin", ""),
    ("Windows", "X64", "x86_64-pc-windows-msvc", ".exe"),
];

/// The Linux X64 runner, whose asset the tests below serve.
const LINUX_X64: (&str, &str) = ("Linux", "X64");
const LINUX_X64_ASSET: &str = "upbound-connect-x86_64-unknown-linux-musl";

/// Serves `body` at `/releases/v9.9.9/<asset>` on a loopback port (404 for
/// any other path); returns the base URL.
fn serve(asset: &str, body: Vec<u8>) -> String {
    let wanted = format!("GET /releases/v9.9.9/{asset} ");
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("address");
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(&stream);
            let mut request_line = String::new();
            let _ = reader.read_line(&mut request_line);
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|read| read > 2) {
                line.clear();
            }
            let (status, body) = if request_line.starts_with(&wanted) {
                ("200 OK", &body[..])
            } else {
                ("404 Not Found", &b"no such asset"[..])
            };
            let mut stream = &stream;
            let header = format!(
                "HTTP/1.1 {status}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(header.as_bytes());
            let _ = stream.write_all(body);
        }
    });
    format!("http://{address}/releases")
}

/// A copy of the action (shim and a release.json with `sha256` for every
/// target) in a temp dir.
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
    let sums: serde_json::Map<_, _> = RUNNERS
        .iter()
        .map(|(_, _, target, _)| ((*target).to_owned(), sha256.into()))
        .collect();
    let release = serde_json::json!({"version": "9.9.9", "sha256": sums});
    std::fs::write(copy.path().join("release.json"), release.to_string()).expect("release.json");
    copy
}

/// Runs the shim's main step on `runner` (`RUNNER_OS`, `RUNNER_ARCH`) with
/// no inputs but the download base.
fn shim(action: &Path, runner: (&str, &str), base: &str, cache: &Path) -> Output {
    Command::new("node")
        .arg(action.join("action/shim/main.js"))
        .env_remove("UPBOUND_CONNECT_BINARY")
        .env("RUNNER_OS", runner.0)
        .env("RUNNER_ARCH", runner.1)
        .env("RUNNER_TOOL_CACHE", cache)
        .env("INPUT_DOWNLOAD-BASE-URL", base)
        .output()
        .expect("node runs")
}

/// The test binary and its SHA-256.
fn binary() -> (Vec<u8>, String) {
    let bytes = std::fs::read(BINARY).expect("binary");
    let sum = sha2::Sha256::digest(&bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    (bytes, sum)
}

#[test]
fn downloads_checks_caches_and_runs_the_binary() {
    let (bytes, sum) = binary();
    let action = action_copy(&sum);
    let cache = TempDir::new().expect("cache");
    let output = shim(
        action.path(),
        LINUX_X64,
        &serve(LINUX_X64_ASSET, bytes),
        cache.path(),
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    // No inputs: the downloaded binary ran and refused them by name.
    assert_eq!(output.status.code(), Some(2), "{stdout}");
    assert!(stdout.contains("Invalid input `space`"), "{stdout}");
    let cached = cache
        .path()
        .join("upbound-connect/9.9.9/x86_64-unknown-linux-musl/upbound-connect");
    assert!(cached.exists(), "cached in the tool cache");

    let offline = shim(
        action.path(),
        LINUX_X64,
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
        LINUX_X64,
        &serve(LINUX_X64_ASSET, b"not the binary".to_vec()),
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

/// The Linux test binary stands in for every runner's asset: served only
/// under the name the runner's asset has, it runs only if the shim chose
/// that name (and checked it against that target's sum).
#[test]
fn each_runner_gets_its_own_asset() {
    let (bytes, sum) = binary();
    let action = action_copy(&sum);
    for (runner_os, arch, target, suffix) in RUNNERS {
        let cache = TempDir::new().expect("cache");
        let asset = format!("upbound-connect-{target}{suffix}");
        let base = serve(&asset, bytes.clone());
        let output = shim(action.path(), (runner_os, arch), &base, cache.path());
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{runner_os}/{arch} downloads and runs {asset}: {stdout}"
        );
        let cached = format!("upbound-connect/9.9.9/{target}/upbound-connect{suffix}");
        assert!(
            cache.path().join(&cached).exists(),
            "{runner_os}/{arch} caches {cached}"
        );
    }
}

#[test]
fn a_runner_without_a_release_is_refused() {
    let (_, sum) = binary();
    let action = action_copy(&sum);
    let cache = TempDir::new().expect("cache");
    let output = shim(
        action.path(),
        ("Windows", "ARM64"),
        "http://127.0.0.1:9/unreachable",
        cache.path(),
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains(
            "::error title=upbound-connect::no upbound-connect release for Windows/ARM64: use a Linux (X64, ARM64), macOS (X64, ARM64) or Windows X64 runner"
        ),
        "{stdout}"
    );
}
