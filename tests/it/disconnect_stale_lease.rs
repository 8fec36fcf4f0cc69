//! A disconnect killed after it removed everything but its Lease leaves the
//! Lease behind; the next disconnect, finding the connection gone, removes
//! it once its claim has run out — and leaves a live claim to its holder.

use k8s_openapi::api::coordination::v1::{Lease, LeaseSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::MicroTime;
use k8s_openapi::jiff::{SignedDuration, Timestamp};
use kube::Api;
use kube::api::{ObjectMeta, PostParams};
use upbound_connect::engine::{DisconnectOptions, Silent};

use testkit::world::World;

/// The Lease of the world's connections (`upbound-connect-<Secret name>`).
const LEASE: &str = "upbound-connect-connect-token";

/// Writes the connection's Lease for `holder`, renewed `renewed_ago`
/// before now, with a claim of `duration_seconds`.
async fn leave_lease(leases: &Api<Lease>, holder: &str, renewed_ago: i64, duration_seconds: i32) {
    let renewed = Timestamp::now() - SignedDuration::from_secs(renewed_ago);
    let lease = Lease {
        metadata: ObjectMeta {
            name: Some(LEASE.to_owned()),
            ..ObjectMeta::default()
        },
        spec: Some(LeaseSpec {
            holder_identity: Some(holder.to_owned()),
            lease_duration_seconds: Some(duration_seconds),
            acquire_time: Some(MicroTime(renewed)),
            renew_time: Some(MicroTime(renewed)),
            ..LeaseSpec::default()
        }),
    };
    leases.create(&PostParams::default(), &lease).await.unwrap();
}

#[tokio::test]
async fn a_dead_runs_lease_is_removed_and_a_live_one_kept() {
    let world = World::new().await;
    let spec = world.spec("stale");
    let leases: Api<Lease> = Api::namespaced(world.kube.clone(), &world.namespace);
    let disconnect = async || {
        world
            .engine()
            .await
            .disconnect(&spec, DisconnectOptions::default(), &Silent)
            .await
            .expect("disconnect of a connection already gone")
    };

    leave_lease(&leases, "dead-run", 300, 30).await;
    let outcome = disconnect().await;
    assert!(!outcome.changed, "the connection was gone already");
    assert!(
        leases.get_opt(LEASE).await.unwrap().is_none(),
        "the dead run's Lease is removed"
    );

    leave_lease(&leases, "live-run", 0, 300).await;
    disconnect().await;
    let kept = leases.get_opt(LEASE).await.unwrap().expect("kept");
    assert_eq!(
        kept.spec.unwrap().holder_identity.as_deref(),
        Some("live-run"),
        "a live claim is its holder's"
    );
}
