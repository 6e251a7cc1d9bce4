//! One file reached twice (named on the command line and found in a folder
//! given beside it, two overlapping folders, a link to it, a zip matched
//! twice by a shell glob) must be read once, or every figure it feeds
//! (weekly distance, streaks, zone time) is counted twice.

use std::collections::HashMap;

use super::{Skipped, Source};

/// Keep one source per identity (what it is on disk), under the first label
/// in sort order whatever the order of the inputs. The same label twice is
/// one input named twice and disappears; another label for the same file is
/// a duplicate with the reason.
pub(super) fn one_per_file(mut sources: Vec<(Source, String)>) -> (Vec<Source>, Vec<Skipped>) {
    sources.sort_by(|a, b| a.0.label.cmp(&b.0.label));
    let mut first: HashMap<String, String> = HashMap::new();
    let mut kept = Vec::with_capacity(sources.len());
    let mut duplicates = Vec::new();
    let mut previous: Option<String> = None;
    for (source, identity) in sources {
        // Sorted: the same name again is the same input named twice.
        if previous.as_ref() == Some(&source.label) {
            continue;
        }
        previous = Some(source.label.clone());
        match first.get(&identity) {
            None => {
                first.insert(identity, source.label.clone());
                kept.push(source);
            }
            Some(label) => duplicates.push(Skipped::new(
                source.label,
                format!("the same file as {label} (reached again by another path or a link): read once"),
            )),
        }
    }
    (kept, duplicates)
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::super::archive::zip_bytes;
    use super::super::discover;

    const GPX: &[u8] =
        br#"<gpx><trk><trkseg><trkpt lat="1" lon="2"><time>2024-01-01T00:00:00Z</time></trkpt></trkseg></trk></gpx>"#;

    fn labels(found: &super::super::Discovered, root: &std::path::Path) -> Vec<String> {
        let root = root.display().to_string();
        found.sources.iter().map(|s| s.label.strip_prefix(&root).unwrap_or(&s.label).to_owned()).collect()
    }

    #[test]
    fn a_file_named_beside_its_folder_is_one_source() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.gpx"), GPX).unwrap();
        fs::write(dir.path().join("export.zip"), zip_bytes(&[("b.gpx", GPX)])).unwrap();
        let d = dir.path().to_path_buf();
        let found = discover(&[d.join("a.gpx"), d.clone(), d.join("export.zip"), d.join("export.zip"), d.clone()]);
        assert_eq!(labels(&found, &d), ["/a.gpx", "/export.zip!b.gpx"]);
        assert!(found.duplicates.is_empty(), "{:?}", found.duplicates);
    }

    #[test]
    fn the_first_name_in_sort_order_wins_whatever_the_input_order() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().to_path_buf();
        fs::create_dir(d.join("watch")).unwrap();
        fs::write(d.join("watch/run.gpx"), GPX).unwrap();
        let dotted = d.join("watch/./run.gpx");
        for inputs in [vec![d.join("watch"), dotted.clone()], vec![dotted.clone(), d.join("watch")]] {
            let found = discover(&inputs);
            assert_eq!(labels(&found, &d), ["/watch/./run.gpx"]);
            assert_eq!(found.duplicates.len(), 1);
            assert!(found.duplicates[0].source.ends_with("/watch/run.gpx"));
            assert!(found.duplicates[0].reason.contains("the same file as"), "{}", found.duplicates[0].reason);
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_link_to_a_file_is_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().to_path_buf();
        fs::create_dir(d.join("in")).unwrap();
        fs::write(d.join("in/b.gpx"), GPX).unwrap();
        std::os::unix::fs::symlink(d.join("in/b.gpx"), d.join("in/a-link.gpx")).unwrap();
        let found = discover(&[d.join("in"), d.join("in/b.gpx")]);
        assert_eq!(labels(&found, &d), ["/in/a-link.gpx"]);
        assert_eq!(found.duplicates.len(), 1);
        assert!(found.duplicates[0].source.ends_with("/in/b.gpx"));
    }
}
