//! The API server going away during the readiness wait fails the install
//! within the retry budget of one read, naming the unreachable cluster —
//! not after the whole wait (minutes) with a "not ready" that hides why.

use std::time::{Duration, Instant};

use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};
use upbound_connect::Secret;
use upbound_connect::cluster::{ClusterAccess, ExplicitAccess};
use upbound_connect::helm::install::Installer;

use testkit::harness_env;
use testkit::install::AgentChart;
use testkit::world::World;

/// A TCP proxy to the harness API server; aborting it cuts the listener and
/// every connection through it, as a lost cluster would.
fn proxy(listener: TcpListener, upstream: String) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut connections = JoinSet::new();
        while let Ok((mut client, _)) = listener.accept().await {
            let upstream = upstream.clone();
            connections.spawn(async move {
                if let Ok(mut server) = TcpStream::connect(&upstream).await {
                    let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                }
            });
        }
    })
}

#[tokio::test]
async fn a_lost_api_server_ends_the_wait_at_once() {
    let world = World::new().await;
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let server = harness_env("KUBE_SERVER");
    let upstream = server.trim_start_matches("https://").to_owned();
    let cut = proxy(listener, upstream);
    let access = ClusterAccess::Explicit(ExplicitAccess {
        host: format!("https://{address}"),
        token: Some(Secret::new(
            std::fs::read_to_string(harness_env("KUBE_TOKEN_FILE"))
                .unwrap()
                .trim(),
        )),
        cluster_ca_certificate: Some(std::fs::read_to_string(harness_env("KUBE_CA_FILE")).unwrap()),
        ..ExplicitAccess::default()
    });
    let installer = Installer::new(world.cluster_as(&access).await);
    let chart = AgentChart::new(&world, "cut");

    let started = Instant::now();
    let install = async {
        // Nothing marks the Deployment ready: the install waits.
        installer
            .upgrade_install(&chart.rendered.request(true, Duration::from_secs(300)))
            .await
    };
    let cut_later = async {
        tokio::time::sleep(Duration::from_secs(3)).await;
        cut.abort();
    };
    let (result, ()) = tokio::join!(install, cut_later);

    let error = result.expect_err("the cluster went away");
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "failed after {:?}, not at once: {error}",
        started.elapsed()
    );
    let message = error.to_string();
    assert!(
        message.contains("cannot reach the Kubernetes API"),
        "the error says the cluster is gone: {message}"
    );
}
