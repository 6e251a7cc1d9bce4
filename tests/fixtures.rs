//! The committed fixtures and demo export are exactly what the simulator
//! generates: nobody edits them by hand, and they never go stale.

mod support;

#[test]
fn committed_fixtures_match_the_generator() {
    for (name, bytes) in runlens_sim::fixtures::all() {
        let committed = std::fs::read(support::fixtures().join(name)).unwrap_or_default();
        assert!(committed == bytes, "fixtures/{name} is stale: run `cargo run -p runlens-sim -- fixtures fixtures`");
    }
}

#[test]
fn embedded_demo_export_matches_the_generator() {
    assert!(
        runlens::demo::BYTES == runlens_sim::demo_export().as_slice(),
        "the demo export is stale: run `cargo run -p runlens-sim -- demo fixtures/demo/demo-export.zip`"
    );
}
