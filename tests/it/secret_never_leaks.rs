//! The robot token never appears in progress reports, outcomes,
//! observations, errors or their `Debug` output.

use std::sync::Mutex;

use upbound_api_double::Fault;
use upbound_connect::engine::{DisconnectOptions, Observer, Step};

use testkit::world::World;

/// Records every step as its `Debug` text.
#[derive(Default)]
struct Transcript(Mutex<Vec<String>>);

impl Observer for Transcript {
    fn step(&self, step: Step) {
        self.0.lock().unwrap().push(format!("{step:?}"));
    }
}

#[tokio::test]
async fn the_token_appears_in_no_output() {
    let world = World::new().await;
    let engine = world.engine().await;
    let spec = world.spec("quiet");
    let transcript = Transcript::default();
    let mut output = Vec::new();

    let outcome = engine.connect(&spec, &transcript).await.expect("connect");
    output.push(format!("{outcome:?}"));
    let (jwt, _) = world.stored_token().await;
    output.push(format!("{:?}", engine.read(&spec).await.unwrap()));
    output.push(format!(
        "{spec:?} {:?}",
        world.upbound().robots(1, std::time::Instant::now()).await
    ));

    world
        .secrets()
        .delete("connect-token", &Default::default())
        .await
        .unwrap();
    world
        .double
        .inject_fault(Fault::status("*", 400).after_handler())
        .unwrap();
    let error = engine
        .connect(&spec, &transcript)
        .await
        .expect_err("failing connect");
    output.push(format!("{error} {error:?}"));
    world.double.clear_faults();
    engine
        .connect(&spec, &transcript)
        .await
        .expect("connect again");
    let (second_jwt, _) = world.stored_token().await;
    engine
        .disconnect(&spec, DisconnectOptions::default(), &transcript)
        .await
        .expect("disconnect");
    output.extend(transcript.0.lock().unwrap().iter().cloned());

    let everything = output.join("\n");
    assert!(
        everything.contains("TokenMinted"),
        "the transcript was captured"
    );
    for secret in [jwt.as_str(), second_jwt.as_str(), world.token.expose()] {
        assert!(
            !everything.contains(secret),
            "a token leaked:\n{everything}"
        );
    }
}
