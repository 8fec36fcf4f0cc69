//! Running the `upbound-api-double` binary as a test's child process.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus};
use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::{Value, json};

/// A double process and what it wrote at start.
pub struct DoubleProcess {
    child: Child,
    /// The base URL from `--addr-file`.
    pub url: String,
    /// The personal access token from `--token-file`.
    pub token: String,
}

/// Where a double started in `dir` writes its token.
pub fn token_file(dir: &Path) -> PathBuf {
    dir.join("token")
}

impl DoubleProcess {
    /// Starts the binary with `--addr-file`, `--organization acme`,
    /// `--user alice`, `--token-file` (all in `dir`) and `extra` arguments,
    /// and waits until it has written its address.
    pub fn start(dir: &Path, extra: &[&str]) -> Self {
        let addr_file = dir.join("addr");
        let token_file = token_file(dir);
        // A file left by an earlier process in `dir` must not be mistaken
        // for this one's.
        let _ = std::fs::remove_file(&addr_file);
        let child = Command::new(env!("CARGO_BIN_EXE_upbound-api-double"))
            .arg("--addr-file")
            .arg(&addr_file)
            .args(["--organization", "acme", "--user", "alice", "--token-file"])
            .arg(&token_file)
            .args(extra)
            .spawn()
            .expect("the double binary starts");
        let deadline = Instant::now() + Duration::from_secs(20);
        let url = loop {
            if let Ok(url) = std::fs::read_to_string(&addr_file) {
                break url;
            }
            assert!(
                Instant::now() < deadline,
                "the double wrote no address file"
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        let token = std::fs::read_to_string(&token_file).expect("the token file exists");
        Self { child, url, token }
    }

    /// Sends SIGTERM and waits for the process to exit.
    pub fn terminate(mut self) -> ExitStatus {
        let killed = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(killed.success());
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().expect("the child can be waited for") {
                return status;
            }
            assert!(Instant::now() < deadline, "the double ignored SIGTERM");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// A client logged in with the personal access token.
    pub async fn logged_in_client(&self) -> reqwest::Client {
        #[derive(Deserialize)]
        struct Claims {
            jti: String,
        }
        let claims: Claims = jsonwebtoken::dangerous::insecure_decode_claims(&self.token)
            .expect("the token is a JWT with a jti");
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .expect("a reqwest client");
        let login = client
            .post(format!("{}/v1/login", self.url))
            .json(&json!({"id": claims.jti, "password": self.token, "remember": true}))
            .send()
            .await
            .expect("login answers");
        assert_eq!(login.status(), 200, "login with the token file's JWT");
        client
    }
}

/// Sends `request` and returns the answer's JSON body.
pub async fn answer_json(request: reqwest::RequestBuilder) -> Value {
    let answer = request.send().await.expect("the double answers");
    answer.json().await.expect("a JSON body")
}

impl Drop for DoubleProcess {
    /// A failed assertion must not leave the process behind.
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
