//! A real request, impersonating an Upbound identity, is authorized by the
//! grants: listing control planes succeeds for a granted user in its scope
//! and is refused (403) outside it and for anyone not granted.

use upbound_connect::engine::Silent;
use upbound_connect::spec::{ConnectionInput, GrantInput};

use testkit::access::{Identity, assert_listing, install_control_plane_crd, new_group};
use testkit::unique_name;
use testkit::world::World;

#[tokio::test]
async fn impersonated_requests_follow_the_grants() {
    let world = World::new().await;
    install_control_plane_crd(&world.kube).await;
    let (group, other_group) = (new_group(&world.kube).await, new_group(&world.kube).await);
    let alice = format!("upbound:user:{}", unique_name("alice"));
    let robot = format!("upbound:robot:{}", unique_name("ci"));
    let spec = ConnectionInput {
        access: Some(vec![
            GrantInput::new(&alice, "view", None),
            GrantInput::new(&robot, "edit", Some(&group)),
            GrantInput::new("upbound:org-role:member", "view", Some(&group)),
        ]),
        ..world.input("impersonated")
    }
    .validate()
    .expect("valid grants");
    world
        .engine()
        .await
        .connect(&spec, &Silent)
        .await
        .expect("connect");

    let alice = Identity::user(&alice);
    let robot = Identity::user(&robot);
    let member = Identity::member_of(&["upbound:org-role:member"]);
    let stranger = Identity::user(&format!("upbound:user:{}", unique_name("eve")));
    assert_listing(&alice, &group, Ok(())).await;
    assert_listing(&alice, &other_group, Ok(())).await;
    assert_listing(&robot, &group, Ok(())).await;
    assert_listing(&robot, &other_group, Err(403)).await;
    assert_listing(&member, &group, Ok(())).await;
    assert_listing(&member, &other_group, Err(403)).await;
    assert_listing(&stranger, &group, Err(403)).await;
}
