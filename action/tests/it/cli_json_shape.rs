//! The `--output json` report keeps its shape: scripts rely on these keys
//! and types (IDs and timings vary, so they are replaced by their type).

use serde_json::{Value, json};

use crate::common::{cli, json as report};
use testkit::world::World;

/// The value with every string that varies between runs replaced.
fn shape(value: &Value, world: &World) -> Value {
    match value {
        Value::Object(fields) => fields
            .iter()
            .map(|(key, value)| (key.clone(), shape(value, world)))
            .collect(),
        Value::Array(items) => items.iter().map(|item| shape(item, world)).collect(),
        Value::String(text) if *text == world.organization => json!("<organization>"),
        Value::String(text) if *text == world.namespace => json!("<namespace>"),
        Value::String(text) if uuid_like(text) => json!("<id>"),
        Value::Number(_) => json!("<number>"),
        other => other.clone(),
    }
}

fn uuid_like(text: &str) -> bool {
    text.len() == 36 && text.chars().filter(|c| *c == '-').count() == 4
}

#[tokio::test]
async fn connect_json_has_the_documented_shape() {
    let world = World::new().await;
    let connected =
        report(&cli(&world, &["connect", "--space", "alpha", "--output", "json"]).await);
    assert_eq!(
        shape(&connected, &world),
        json!({
            "command": "connect",
            "organization": "<organization>",
            "space": "alpha",
            "namespace": "<namespace>",
            "secret": "connect-token",
            "robot_id": "<id>",
            "token_id": "<id>",
            "agent_version": "0.0.0-441.g68777b9",
            "release_revision": "<number>",
            "changed": true,
            "events": [
                {"change": "created", "object": "robot", "id": "<id>"},
                {"change": "created", "object": "token", "id": "<id>"},
                {"change": "written", "object": "token Secret", "id": null},
                {"change": "written", "object": "pull secret", "id": null},
                {
                    "change": "created",
                    "object": "agent release",
                    "id": "revision 1 (chart 0.0.0-441.g68777b9)"
                }
            ],
            "drift": [],
            "plan": [],
            "engine_seconds": "<number>"
        })
    );
}
