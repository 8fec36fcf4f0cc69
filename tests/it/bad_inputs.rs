//! Bad input fails with an error naming the input to fix, before anything is
//! created: no robot or token in Upbound, no Secret in the cluster.

use std::path::PathBuf;
use std::time::Duration;

use k8s_openapi::api::authorization::v1::ResourceAttributes;
use k8s_openapi::api::core::v1::Namespace;
use k8s_openapi::api::rbac::v1::{ClusterRole, PolicyRule, Role, RoleBinding, RoleRef, Subject};
use kube::Api;
use kube::api::{ObjectMeta, PostParams};
use upbound_api_double::{Config, Double, NewUser};
use upbound_connect::Secret;
use upbound_connect::cluster::{Cluster, ClusterAccess, ExplicitAccess};
use upbound_connect::engine::{Engine, EngineError, Outcome, Silent};
use upbound_connect::spec::{ConnectionInput, Field, UpboundInput};
use upbound_connect::upbound::UpboundClient;

use testkit::access::{Identity, await_permission};
use testkit::bad_input::unsigned_jwt;
use testkit::world::{FAST_RETRY, World};
use testkit::{harness_env, unique_name};

/// One bad input and the field its error must name.
struct Case {
    name: &'static str,
    field: Field,
    input: ConnectionInput,
    upbound: UpboundInput,
    access: ClusterAccess,
}

async fn try_connect(case: &Case) -> Result<Outcome, EngineError> {
    let spec = case.input.clone().validate()?;
    let upbound = UpboundClient::with_retry(case.upbound.clone().validate()?, FAST_RETRY);
    let cluster = Cluster::connect(
        &case.access,
        &spec.namespace,
        Duration::from_secs(3),
        FAST_RETRY,
    )
    .await?;
    Engine::new(upbound, cluster, "bad-inputs")
        .connect(&spec, &Silent)
        .await
}

/// Lets the harness's `restricted` user read what pre-flight reads and take
/// Leases in `namespace`, but not write Secrets.
async fn grant_all_but_secret_writes(world: &World) {
    let rule = |groups: &str, resources: &str, verbs: &[&str]| PolicyRule {
        api_groups: Some(vec![groups.to_owned()]),
        resources: Some(vec![resources.to_owned()]),
        verbs: verbs.iter().map(|verb| (*verb).to_owned()).collect(),
        ..PolicyRule::default()
    };
    let name = unique_name("read-namespaces");
    let metadata = |name: &str| ObjectMeta {
        name: Some(name.to_owned()),
        ..ObjectMeta::default()
    };
    let subject = Subject {
        kind: "User".to_owned(),
        name: "restricted".to_owned(),
        ..Subject::default()
    };
    let cluster_roles: Api<ClusterRole> = Api::all(world.kube.clone());
    cluster_roles
        .create(
            &PostParams::default(),
            &ClusterRole {
                metadata: metadata(&name),
                rules: Some(vec![rule("", "namespaces", &["get"])]),
                ..ClusterRole::default()
            },
        )
        .await
        .unwrap();
    let cluster_bindings: Api<k8s_openapi::api::rbac::v1::ClusterRoleBinding> =
        Api::all(world.kube.clone());
    cluster_bindings
        .create(
            &PostParams::default(),
            &k8s_openapi::api::rbac::v1::ClusterRoleBinding {
                metadata: metadata(&name),
                role_ref: RoleRef {
                    api_group: Some("rbac.authorization.k8s.io".to_owned()),
                    kind: "ClusterRole".to_owned(),
                    name: name.clone(),
                },
                subjects: Some(vec![subject.clone()]),
            },
        )
        .await
        .unwrap();
    let roles: Api<Role> = Api::namespaced(world.kube.clone(), &world.namespace);
    roles
        .create(
            &PostParams::default(),
            &Role {
                metadata: metadata("connect-but-no-secrets"),
                rules: Some(vec![
                    rule("", "configmaps", &["get"]),
                    rule("", "secrets", &["get"]),
                    rule(
                        "coordination.k8s.io",
                        "leases",
                        &["get", "create", "update", "delete"],
                    ),
                ]),
            },
        )
        .await
        .unwrap();
    let bindings: Api<RoleBinding> = Api::namespaced(world.kube.clone(), &world.namespace);
    bindings
        .create(
            &PostParams::default(),
            &RoleBinding {
                metadata: metadata("connect-but-no-secrets"),
                role_ref: RoleRef {
                    api_group: Some("rbac.authorization.k8s.io".to_owned()),
                    kind: "Role".to_owned(),
                    name: "connect-but-no-secrets".to_owned(),
                },
                subjects: Some(vec![subject]),
            },
        )
        .await
        .unwrap();
    // The authorizer follows RBAC writes a moment behind: wait until it
    // sees both the cluster-wide and the namespaced grant.
    let restricted = Identity::user("restricted");
    for (resource, verb, namespace) in [
        ("namespaces", "get", None),
        ("leases", "create", Some(world.namespace.clone())),
    ] {
        let group = (resource == "leases").then(|| "coordination.k8s.io".to_owned());
        let attributes = ResourceAttributes {
            group,
            resource: Some(resource.to_owned()),
            verb: Some(verb.to_owned()),
            namespace,
            ..ResourceAttributes::default()
        };
        await_permission(&world.kube, &restricted, attributes).await;
    }
}

#[tokio::test]
async fn bad_inputs_fail_clearly_and_change_nothing() {
    let world = World::new().await;
    let member = world
        .double
        .add_user(NewUser::new("member").member_of(world.organization.clone()))
        .unwrap();
    let stranger_double = Double::start(Config::default()).await.unwrap();
    stranger_double.add_organization("elsewhere").unwrap();
    let stranger = stranger_double
        .add_user(NewUser::new("stranger").owner_of("elsewhere"))
        .unwrap();
    let no_spaces = unique_name("no-spaces");
    Api::<Namespace>::all(world.kube.clone())
        .create(
            &PostParams::default(),
            &Namespace {
                metadata: ObjectMeta {
                    name: Some(no_spaces.clone()),
                    ..ObjectMeta::default()
                },
                ..Namespace::default()
            },
        )
        .await
        .unwrap();
    grant_all_but_secret_writes(&world).await;

    let good_upbound = UpboundInput {
        endpoint: Some(world.double.url()),
        token: Some(world.token.clone()),
        request_timeout: Some(Duration::from_secs(3)),
    };
    let admin = ClusterAccess::Kubeconfig {
        paths: vec![harness_env("KUBECONFIG").into()],
        context: None,
    };
    let input = |change: &dyn Fn(&mut ConnectionInput)| {
        let mut input = world.input("delta");
        change(&mut input);
        input
    };
    let token = |token: &str| UpboundInput {
        token: Some(Secret::new(token)),
        ..good_upbound.clone()
    };
    let endpoint = |endpoint: &str| UpboundInput {
        endpoint: Some(endpoint.to_owned()),
        ..good_upbound.clone()
    };
    let license = |json: &str| {
        let json = json.to_owned();
        input(&move |input| input.license_json = Some(Secret::new(json.clone())))
    };
    let spec_case = |name, field, input| Case {
        name,
        field,
        input,
        upbound: good_upbound.clone(),
        access: admin.clone(),
    };
    let upbound_case = |name, field, upbound| Case {
        name,
        field,
        input: world.input("delta"),
        upbound,
        access: admin.clone(),
    };
    let cluster_case = |name, field, access| Case {
        name,
        field,
        input: world.input("delta"),
        upbound: good_upbound.clone(),
        access,
    };
    let cases = vec![
        spec_case(
            "empty space",
            Field::Space,
            input(&|input| input.space = String::new()),
        ),
        spec_case(
            "space with capitals",
            Field::Space,
            input(&|input| input.space = "My_Space".into()),
        ),
        spec_case(
            "space starting with '-'",
            Field::Space,
            input(&|input| input.space = "-space".into()),
        ),
        spec_case(
            "space too long",
            Field::Space,
            input(&|input| input.space = "s".repeat(64)),
        ),
        spec_case(
            "empty organization",
            Field::Organization,
            input(&|input| input.organization = String::new()),
        ),
        spec_case(
            "e-mail as organization",
            Field::Organization,
            input(&|input| input.organization = "me@example.com".into()),
        ),
        spec_case(
            "organization with spaces",
            Field::Organization,
            input(&|input| input.organization = "Acme Corp".into()),
        ),
        spec_case(
            "namespace with spaces",
            Field::Namespace,
            input(&|input| input.namespace = Some("upbound system".into())),
        ),
        spec_case(
            "namespace too long",
            Field::Namespace,
            input(&|input| input.namespace = Some("n".repeat(64))),
        ),
        spec_case(
            "secret name with '/'",
            Field::TokenSecretName,
            input(&|input| input.token_secret_name = Some("connect/token".into())),
        ),
        spec_case(
            "robot name with a newline",
            Field::RobotName,
            input(&|input| input.robot_name = Some("robot\nname".into())),
        ),
        spec_case(
            "robot name too long",
            Field::RobotName,
            input(&|input| input.robot_name = Some("r".repeat(101))),
        ),
        spec_case("licence not JSON", Field::License, license("not json")),
        spec_case(
            "licence without token",
            Field::License,
            license(r#"{"accessId":"abc"}"#),
        ),
        spec_case(
            "licence with empty accessId",
            Field::License,
            license(r#"{"accessId":"","token":"t"}"#),
        ),
        upbound_case(
            "endpoint not a URL",
            Field::Endpoint,
            endpoint("api upbound io"),
        ),
        upbound_case(
            "plain http to a remote host",
            Field::Endpoint,
            endpoint("http://api.upbound.io"),
        ),
        upbound_case(
            "endpoint not http",
            Field::Endpoint,
            endpoint("ftp://api.upbound.io"),
        ),
        upbound_case(
            "token missing",
            Field::Token,
            UpboundInput {
                token: None,
                ..good_upbound.clone()
            },
        ),
        upbound_case("token not a JWT", Field::Token, token("not-a-token")),
        upbound_case(
            "token without jti",
            Field::Token,
            token(&unsigned_jwt(r#"{"sub":"user|1"}"#)),
        ),
        upbound_case(
            "token unknown to Upbound (401)",
            Field::Token,
            token(stranger.token.jwt.expose()),
        ),
        upbound_case(
            "token of a member, not an owner (403)",
            Field::Token,
            token(member.token.jwt.expose()),
        ),
        spec_case(
            "organization that does not exist",
            Field::Organization,
            input(&|input| input.organization = "no-such-org".into()),
        ),
        spec_case(
            "organization that is a user",
            Field::Organization,
            input(&|input| input.organization = "owner".into()),
        ),
        spec_case(
            "namespace that does not exist",
            Field::Namespace,
            input(&|input| input.namespace = Some("no-such-namespace".into())),
        ),
        spec_case(
            "namespace without Spaces",
            Field::SkipSpaceCheck,
            input(&|input| input.namespace = Some(no_spaces.clone())),
        ),
        cluster_case(
            "kubeconfig that does not exist",
            Field::Kubeconfig,
            ClusterAccess::Kubeconfig {
                paths: vec![PathBuf::from("/nonexistent/kubeconfig")],
                context: None,
            },
        ),
        cluster_case(
            "unknown kube context",
            Field::KubeContext,
            ClusterAccess::Kubeconfig {
                paths: vec![harness_env("KUBECONFIG").into()],
                context: Some("no-such-context".into()),
            },
        ),
        cluster_case(
            "unreachable cluster",
            Field::ClusterHost,
            ClusterAccess::Explicit(ExplicitAccess {
                host: "https://127.0.0.1:1".into(),
                insecure: true,
                ..ExplicitAccess::default()
            }),
        ),
        cluster_case(
            "credentials without Secret write rights",
            Field::Kubeconfig,
            ClusterAccess::Kubeconfig {
                paths: vec![harness_env("RESTRICTED_KUBECONFIG").into()],
                context: None,
            },
        ),
    ];
    assert!(cases.len() >= 25);

    let secrets = [
        world.token.expose(),
        member.token.jwt.expose(),
        stranger.token.jwt.expose(),
    ];
    let mut failures = Vec::new();
    for case in &cases {
        let error = match try_connect(case).await {
            Ok(_) => {
                failures.push(format!("{}: connected", case.name));
                continue;
            }
            Err(error) => error,
        };
        let message = error.to_string();
        if error.field() != Some(case.field) {
            failures.push(format!(
                "{}: field {:?}, want {:?} ({message})",
                case.name,
                error.field(),
                case.field
            ));
        }
        if secrets
            .iter()
            .any(|secret| message.contains(secret) || format!("{error:?}").contains(secret))
        {
            failures.push(format!("{}: a token leaked into the error", case.name));
        }
        if world
            .double
            .robots()
            .iter()
            .any(|robot| robot.name == "delta")
        {
            failures.push(format!("{}: a robot was created", case.name));
        }
        let secret = world.secrets().get_opt("connect-token").await.unwrap();
        if secret.is_some() {
            failures.push(format!("{}: the Secret was written", case.name));
        }
        println!("{:<45} {:<18} {message}", case.name, case.field);
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
