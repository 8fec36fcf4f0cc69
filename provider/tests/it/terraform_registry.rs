//! The provider as users install it: `release/package-provider` packages
//! and signs the provider binary `tests/run` built, a provider registry
//! over HTTPS serves the release, and real Terraform (no mirror) installs it
//! from there, verifying the signed SHA256SUMS, records the zip's hash in
//! `.terraform.lock.hcl`, then applies and destroys the basic example.
//! Terraform refuses a zip that differs from SHA256SUMS, a signature over
//! other content, and a signature by a key the registry does not list.
//! OpenTofu does all of it too, with the same refusals (its verification
//! is Terraform's, word for word).

use std::path::Path;

use testkit::cli::Cli;
use testkit::harness_env;
use testkit::provider_registry::{Listing, ProviderRegistry, PublicKey};
use testkit::provider_release::{ProviderRelease, SigningKey, sha256_hex, this_platform};
use testkit::terraform::{BASIC_EXAMPLE, TerraformDir};
use testkit::test_each_cli;
use testkit::world::World;

/// The provider release of the binary in the harness mirror, signed by `key`.
async fn release(key: &SigningKey) -> ProviderRelease {
    ProviderRelease::package(
        &harness_env("PROVIDER_VERSION"),
        &this_platform(),
        Path::new(&harness_env("PROVIDER")),
        key,
    )
    .await
}

/// `release` for this platform as the registry lists it, with `key` advertised.
fn listing(release: &ProviderRelease, key: &SigningKey) -> Listing {
    Listing {
        namespace: "upbound-connect".to_owned(),
        provider_type: "upbound".to_owned(),
        version: release.version.clone(),
        platform: this_platform(),
        files: release.files.clone(),
        signing_key: PublicKey {
            key_id: key.key_id.clone(),
            ascii_armor: key.public_key.clone(),
        },
    }
}

/// The basic example with its provider from `registry`.
fn basic_example_from(registry: &ProviderRegistry) -> String {
    let source = "\"upbound-connect/upbound\"";
    assert!(
        BASIC_EXAMPLE.contains(source),
        "the basic example names {source}"
    );
    BASIC_EXAMPLE.replace(source, &format!("\"{}\"", registry.source()))
}

test_each_cli!(
    installs_the_signed_release_and_applies,
    refuses_a_release_that_does_not_verify,
);

async fn installs_the_signed_release_and_applies(cli: Cli) {
    let key = SigningKey::generate("Release").await;
    let release = release(&key).await;
    let registry = ProviderRegistry::start(listing(&release, &key)).await;
    let world = World::new().await;
    let terraform = TerraformDir::for_world(&world, &basic_example_from(&registry))
        .using(cli)
        .from_registry(&registry)
        .env("TF_VAR_space", "registry");

    let init = terraform.init().await;
    // Terraform ranks a key that is neither HashiCorp's nor a partner's as
    // self-signed; OpenTofu has no such ranks.
    let signed = match cli {
        Cli::Terraform => "self-signed",
        Cli::OpenTofu => "signed",
    };
    assert!(
        init.says(&format!(
            "Installed {} v{} ({signed}, key ID {})",
            registry.source(),
            release.version,
            key.key_id
        )),
        "init installs the release from the registry, signed by our key:\n{init}"
    );
    let lock = std::fs::read_to_string(terraform.path().join(".terraform.lock.hcl"))
        .expect("init writes the lock file");
    let zip_hash = sha256_hex(release.file(&release.zip_name(&this_platform())));
    assert!(
        lock.contains(&format!("provider \"{}\"", registry.source()))
            && lock.contains(&format!("\"zh:{zip_hash}\"")),
        "the lock file records the served zip's SHA-256 (zh:{zip_hash}):\n{lock}"
    );

    terraform.apply(&[]).await.success();
    world.assert_one_robot_one_token().await;
    terraform.destroy().await.success();
    world.assert_no_robot_no_token();
}

async fn refuses_a_release_that_does_not_verify(cli: Cli) {
    let key = SigningKey::generate("Release").await;
    let release = release(&key).await;
    let zip = release.zip_name(&this_platform());
    let signature = release.signature_name();

    let mut tampered = listing(&release, &key);
    let served = tampered.files.get_mut(&zip).expect("the zip");
    served.extend_from_slice(b"tampered");
    let refusal = format!(
        "archive has incorrect checksum zh:{} (expected zh:{})",
        sha256_hex(served),
        sha256_hex(release.file(&zip))
    );
    assert_init_refused(cli, tampered, &refusal).await;

    // A signature by the same key over another SHA256SUMS: that of another
    // binary, packaged twice to show packaging is reproducible.
    let other_binary = tempfile::NamedTempFile::new().expect("temporary file");
    std::fs::write(other_binary.path(), b"another binary").expect("write");
    let platform = this_platform();
    let package_other =
        || ProviderRelease::package(&release.version, &platform, other_binary.path(), &key);
    let (other, again) = (package_other().await, package_other().await);
    assert_eq!(
        other.file(&zip),
        again.file(&zip),
        "the same binary makes the same zip"
    );
    let mut bad_signature = listing(&release, &key);
    bad_signature
        .files
        .insert(signature.clone(), other.file(&signature).to_vec());
    assert_init_refused(
        cli,
        bad_signature,
        "error checking signature: openpgp: invalid signature: RSA verification failure",
    )
    .await;

    // Signed by our key, but the registry lists another.
    let stranger = SigningKey::generate("Stranger").await;
    assert_init_refused(
        cli,
        listing(&release, &stranger),
        "authentication signature from unknown issuer",
    )
    .await;
}

/// `init` by `cli` of the basic example from a registry serving `listing`
/// fails to install the provider, saying `message`.
async fn assert_init_refused(cli: Cli, listing: Listing, message: &str) {
    let registry = ProviderRegistry::start(listing).await;
    let terraform = TerraformDir::new(&basic_example_from(&registry))
        .using(cli)
        .from_registry(&registry);
    let init = terraform.run(&["init", "-input=false", "-no-color"]).await;
    assert_eq!(init.code, 1, "init fails:\n{init}");
    assert!(
        init.says("Error: Failed to install provider") && init.says(message),
        "{cli} says {message:?}:\n{init}"
    );
}
