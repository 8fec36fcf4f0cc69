//! A chart loads the same from its directory (honouring `.helmignore`) and
//! from the `.tgz` real `helm package` makes of it, subchart included.

use std::path::Path;

use testkit::helm::helm;
use upbound_connect::helm::chart::Chart;

#[test]
fn a_directory_and_its_packaged_tgz_load_alike() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/charts/values-probe");
    let from_dir = Chart::load(&dir).unwrap();
    let names = |files: &[upbound_connect::helm::chart::File]| {
        files.iter().map(|f| f.name.clone()).collect::<Vec<_>>()
    };
    assert!(
        !names(&from_dir.files).contains(&"ignored.bak".to_owned()),
        ".helmignore excludes *.bak"
    );
    assert!(names(&from_dir.files).contains(&"data.txt".to_owned()));
    assert_eq!(names(&from_dir.templates), ["templates/values.json"]);
    assert_eq!(from_dir.subcharts.len(), 1);
    assert_eq!(from_dir.subcharts[0].name(), "sub");

    let out = tempfile::tempdir().unwrap();
    helm(
        out.path(),
        &[
            "package",
            dir.to_str().unwrap(),
            "--destination",
            out.path().to_str().unwrap(),
        ],
    );
    let from_tgz = Chart::load(&out.path().join("probe-0.1.0.tgz")).unwrap();
    assert_eq!(from_tgz.metadata, from_dir.metadata);
    assert_eq!(from_tgz.values, from_dir.values);
    assert_eq!(from_tgz.templates, from_dir.templates);
    assert_eq!(from_tgz.subcharts, from_dir.subcharts);
    let mut tgz_files = names(&from_tgz.files);
    let mut dir_files = names(&from_dir.files);
    tgz_files.sort();
    dir_files.sort();
    assert_eq!(tgz_files, dir_files);
}
