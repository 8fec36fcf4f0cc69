//! Provider releases as users download them: `release/package-provider`
//! (the script the release workflow runs) packages a provider binary and
//! signs it with a throwaway key that real `gpg` made, handed over as the
//! workflow hands over its key: an armored secret key and a passphrase.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Stdio;

use sha2::Digest;
use tempfile::TempDir;
use tokio::process::Command;

use crate::repo_path;

/// The passphrase of every [`SigningKey`], as a release key has one.
const PASSPHRASE: &str = "release-key-passphrase";

/// An OpenPGP release key, made by `gpg --quick-gen-key` in a home of its
/// own that is gone once the key is exported.
pub struct SigningKey {
    /// The long key ID (16 hex digits), as registries list it.
    pub key_id: String,
    /// The public key, ASCII-armored, as registries serve it.
    pub public_key: String,
    /// The secret key, ASCII-armored and protected by the passphrase: what
    /// the release workflow's `GPG_PRIVATE_KEY` secret holds.
    secret_key: String,
}

impl SigningKey {
    /// A new RSA signing key for `name` (e.g. `Release A`).
    pub async fn generate(name: &str) -> Self {
        let home = tempfile::Builder::new()
            .prefix("gnupg-")
            .tempdir()
            .expect("temporary GNUPGHOME");
        let user_id = format!("{name} <release@upbound-connect.invalid>");
        gpg(
            home.path(),
            &["--quick-gen-key", &user_id, "rsa2048", "sign", "never"],
        )
        .await;
        let listing = gpg(home.path(), &["--list-keys", "--with-colons"]).await;
        let key_id = listing
            .lines()
            .find_map(|line| line.strip_prefix("pub:"))
            .and_then(|fields| fields.split(':').nth(3))
            .expect("gpg lists the new key")
            .to_owned();
        let public_key = gpg(home.path(), &["--armor", "--export", &key_id]).await;
        let secret_key = gpg(home.path(), &["--armor", "--export-secret-keys", &key_id]).await;
        let _ = Command::new("gpgconf")
            .arg("--homedir")
            .arg(home.path())
            .args(["--kill", "all"])
            .status()
            .await;
        Self {
            key_id,
            public_key,
            secret_key,
        }
    }
}

/// Runs `gpg` in batch mode in `home` with the passphrase; returns stdout.
async fn gpg(home: &Path, args: &[&str]) -> String {
    let output = Command::new("gpg")
        .arg("--homedir")
        .arg(home)
        .args(["--batch", "--pinentry-mode", "loopback", "--passphrase"])
        .arg(PASSPHRASE)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .await
        .expect("run gpg (Debian: gnupg)");
    assert!(
        output.status.success(),
        "gpg {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("gpg prints text")
}

/// The files `release/package-provider` wrote, by name.
pub struct ProviderRelease {
    /// The release version.
    pub version: String,
    /// Every file of the release: zips, SHA256SUMS, its `.sig`, the manifest.
    pub files: BTreeMap<String, Vec<u8>>,
}

impl ProviderRelease {
    /// Runs `release/package-provider` for `binary` as `platform` (e.g.
    /// `linux_amd64`), signed with `key`.
    pub async fn package(version: &str, platform: &str, binary: &Path, key: &SigningKey) -> Self {
        let out = TempDir::new().expect("temporary output directory");
        let output = Command::new(repo_path("release/package-provider"))
            .args(["--version", version, "--out"])
            .arg(out.path())
            .arg(format!("{platform}={}", binary.display()))
            .env_remove("GNUPGHOME")
            .env_remove("GPG_KEY_ID")
            .env("GPG_PRIVATE_KEY", &key.secret_key)
            .env("GPG_PASSPHRASE", PASSPHRASE)
            .stdin(Stdio::null())
            .output()
            .await
            .expect("run release/package-provider");
        assert!(
            output.status.success(),
            "release/package-provider failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let files = std::fs::read_dir(out.path())
            .expect("read the release")
            .map(|entry| {
                let path = entry.expect("release entry").path();
                let name = path.file_name().expect("a name").to_string_lossy();
                (name.into_owned(), std::fs::read(&path).expect("read"))
            })
            .collect();
        Self {
            version: version.to_owned(),
            files,
        }
    }

    /// The name of `platform`'s zip.
    pub fn zip_name(&self, platform: &str) -> String {
        format!("terraform-provider-upbound_{}_{platform}.zip", self.version)
    }

    /// The name of the SHA256SUMS file.
    pub fn sums_name(&self) -> String {
        format!("terraform-provider-upbound_{}_SHA256SUMS", self.version)
    }

    /// The name of the SHA256SUMS file's detached signature.
    pub fn signature_name(&self) -> String {
        format!("{}.sig", self.sums_name())
    }

    /// The bytes of the file `name`.
    pub fn file(&self, name: &str) -> &[u8] {
        self.files
            .get(name)
            .unwrap_or_else(|| panic!("the release has {name}"))
    }
}

/// The lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// This machine's Terraform platform (`linux_amd64`, `linux_arm64`).
pub fn this_platform() -> String {
    let arch = match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        other => panic!("no Terraform platform name for {other}"),
    };
    format!("{}_{arch}", std::env::consts::OS)
}
