//! `--grant` through to the cluster's RBAC authorizer: grants apply as
//! written (a user's `view` everywhere, members' `edit` in one group); a
//! connect without `--grant` leaves them alone; `--no-grants` removes them
//! all; `disconnect` keeps them unless given `--no-grants`. Malformed and
//! invalid grants exit 2 naming the flag, changing nothing.

use crate::common::{cli, describe, json};
use testkit::access::{Identity, assert_allowed, level, new_group, ours};
use testkit::unique_name;
use testkit::world::World;

#[tokio::test]
async fn grants_are_applied_kept_and_removed() {
    let world = World::new().await;
    let kube = &world.kube;
    let group = new_group(kube).await;
    let viewer = format!("upbound:user:{}", unique_name("viewer"));

    for (grant, named) in [
        ("alice", "SUBJECT=LEVEL[@GROUP]"),
        ("upbound:team:platform=view", "`--grant #1 (subject)`"),
    ] {
        let refused = cli(&world, &["connect", "--space", "alpha", "--grant", grant]).await;
        let stderr = String::from_utf8_lossy(&refused.stderr);
        assert_eq!(refused.status.code(), Some(2), "{}", describe(&refused));
        assert!(
            stderr.contains("--grant") && stderr.contains(named),
            "{stderr}"
        );
    }
    assert!(world.double.robots().is_empty(), "nothing was created");

    let member_grant = format!("upbound:org-role:member=edit@{group}");
    let connected = json(
        &cli(
            &world,
            &[
                "connect",
                "--space",
                "alpha",
                "--grant",
                &format!("{viewer}=view"),
                "--grant",
                &member_grant,
                "--output",
                "json",
            ],
        )
        .await,
    );
    assert!(
        connected.to_string().contains("Hub RBAC"),
        "the grants are reported: {connected}"
    );
    let viewer = Identity::user(&viewer);
    let member = Identity::member_of(&["upbound:org-role:member"]);
    assert_allowed(kube, &viewer, None, level(Some("view")), "").await;
    assert_allowed(kube, &member, Some(&group), level(Some("edit")), "").await;
    assert_allowed(kube, &member, None, level(None), "").await;

    let untouched = json(&cli(&world, &["connect", "--space", "alpha", "--output", "json"]).await);
    assert_eq!(untouched["changed"], false, "{untouched}");
    assert_allowed(kube, &viewer, None, level(Some("view")), "").await;

    let removed = json(
        &cli(
            &world,
            &[
                "connect",
                "--space",
                "alpha",
                "--no-grants",
                "--output",
                "json",
            ],
        )
        .await,
    );
    assert_eq!(removed["changed"], true, "{removed}");
    assert_allowed(kube, &viewer, None, level(None), "").await;
    assert_allowed(kube, &member, Some(&group), level(None), "").await;
    assert_eq!(ours(kube, &world.namespace).await, Default::default());

    let granted = format!("{}=view", viewer.user);
    json(
        &cli(
            &world,
            &[
                "connect", "--space", "alpha", "--grant", &granted, "--output", "json",
            ],
        )
        .await,
    );
    json(
        &cli(
            &world,
            &["disconnect", "--space", "alpha", "--output", "json"],
        )
        .await,
    );
    assert!(world.double.robots().is_empty(), "disconnected");
    assert_allowed(
        kube,
        &viewer,
        None,
        level(Some("view")),
        "disconnect without --no-grants keeps the grants",
    )
    .await;
    json(
        &cli(
            &world,
            &[
                "disconnect",
                "--space",
                "alpha",
                "--no-grants",
                "--output",
                "json",
            ],
        )
        .await,
    );
    assert_allowed(kube, &viewer, None, level(None), "").await;
    assert_eq!(ours(kube, &world.namespace).await, Default::default());
}
