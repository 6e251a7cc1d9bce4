//! The same run recorded twice (the watch's FIT and a GPX exported from an
//! app, or a file in two exports) is kept once: the richest recording, with
//! the others named in its `duplicate_of`. A file that is byte for byte
//! another file (a copy in Downloads and in the export) is dropped whole
//! first, whatever it holds.

use std::collections::HashMap;

use crate::discover::Skipped;
use crate::features::{Analyzed, Fingerprint, Parsed};
use crate::parse::Sport;

/// Two recordings starting further apart than this are different activities.
const START_TOLERANCE_MS: i64 = 60_000;
/// Durations may differ by this share (one device paused, the other not).
const DURATION_TOLERANCE: f64 = 0.10;

/// Keep one recording per activity. Input in any order; output sorted by
/// start time (then source) with the dropped recordings as skipped entries.
///
/// Recordings with a known sport are clustered first, so a sport-less GPX
/// joins the activity it best matches (closest start) rather than whichever
/// recording happened to sort next to it.
pub fn dedupe(mut items: Vec<Analyzed>) -> (Vec<Analyzed>, Vec<Skipped>) {
    items.sort_by(|a, b| {
        (a.activity.meta.start_ms, &a.activity.meta.source).cmp(&(b.activity.meta.start_ms, &b.activity.meta.source))
    });
    // Each cluster lists indices into `items`, kept sorted by first start.
    let mut clusters: Vec<Vec<usize>> = Vec::new();
    let (known, unknown): (Vec<usize>, Vec<usize>) =
        (0..items.len()).partition(|&i| items[i].activity.meta.sport != Sport::Other);
    for i in known.into_iter().chain(unknown) {
        let start = items[i].activity.meta.start_ms;
        let first_start = |c: &Vec<usize>| items[c[0]].activity.meta.start_ms;
        let lo = clusters.partition_point(|c| first_start(c) < start - START_TOLERANCE_MS);
        let hi = clusters.partition_point(|c| first_start(c) <= start + START_TOLERANCE_MS);
        let home = (lo..hi)
            .filter(|&c| clusters[c].iter().all(|&j| same_activity(&items[i], &items[j])))
            .min_by_key(|&c| (first_start(&clusters[c]) - start).abs());
        if let Some(c) = home {
            clusters[c].push(i);
        } else {
            let at = clusters.partition_point(|c| first_start(c) <= start);
            clusters.insert(at, vec![i]);
        }
    }
    resolve(items, &clusters)
}

/// Drop every file whose bytes are an earlier file's (`files` in source
/// order, so the first label in sort order stays): its activities go, the
/// kept file's name the copy in `duplicate_of`, and the copy is a skipped
/// entry saying so. `same_bytes` confirms a shared fingerprint.
pub fn identical_files(
    items: Vec<Analyzed>,
    files: &[Parsed],
    same_bytes: impl Fn(&Parsed, &Parsed) -> bool,
) -> (Vec<Analyzed>, Vec<Skipped>) {
    let mut original: Vec<Option<usize>> = vec![None; files.len()];
    let mut firsts: HashMap<Fingerprint, Vec<usize>> = HashMap::new();
    for (j, file) in files.iter().enumerate() {
        let seen = firsts.entry(file.fingerprint).or_default();
        match seen.iter().copied().find(|&i| same_bytes(&files[i], file)) {
            Some(i) => original[j] = Some(i),
            None => seen.push(j),
        }
    }
    let mut starts = Vec::with_capacity(files.len());
    let mut at = 0;
    for file in files {
        starts.push(at);
        at += file.activities;
    }
    let mut items: Vec<Option<Analyzed>> = items.into_iter().map(Some).collect();
    let mut skipped = Vec::new();
    for (j, i) in original.iter().enumerate().filter_map(|(j, i)| Some((j, (*i)?))) {
        for a in items[starts[i]..starts[i] + files[i].activities].iter_mut().flatten() {
            a.duplicates.push(files[j].label.clone());
        }
        for slot in &mut items[starts[j]..starts[j] + files[j].activities] {
            *slot = None;
        }
        skipped.push(Skipped::new(
            files[j].label.clone(),
            format!("the same bytes as {} (a copy of that file): counted once", files[i].label),
        ));
    }
    (items.into_iter().flatten().collect(), skipped)
}

fn resolve(items: Vec<Analyzed>, clusters: &[Vec<usize>]) -> (Vec<Analyzed>, Vec<Skipped>) {
    let mut slots: Vec<Option<Analyzed>> = items.into_iter().map(Some).collect();
    let mut kept = Vec::with_capacity(clusters.len());
    let mut skipped = Vec::new();
    for cluster in clusters {
        let mut members: Vec<Analyzed> = cluster.iter().filter_map(|&i| slots[i].take()).collect();
        members.sort_by(|a, b| {
            richness(b).cmp(&richness(a)).then_with(|| a.activity.meta.source.cmp(&b.activity.meta.source))
        });
        let mut best = members.remove(0);
        for other in members {
            skipped.push(Skipped::new(
                other.activity.meta.source.clone(),
                format!(
                    "the same activity as {} (kept that {} recording)",
                    best.activity.meta.source,
                    if other.activity.meta.integrity.is_some() && best.activity.meta.integrity.is_none() {
                        "intact"
                    } else {
                        "richer"
                    }
                ),
            ));
            best.duplicates.push(other.activity.meta.source);
        }
        kept.push(best);
    }
    kept.sort_by(|a, b| {
        (a.activity.meta.start_ms, &a.activity.meta.source).cmp(&(b.activity.meta.start_ms, &b.activity.meta.source))
    });
    (kept, skipped)
}

/// A file without a sport (most GPX, a FIT cut before its session) matches
/// any sport; a partial recording (salvaged from a cut file) matches a
/// longer one that starts with it.
fn same_activity(a: &Analyzed, b: &Analyzed) -> bool {
    let (ma, mb) = (&a.activity.meta, &b.activity.meta);
    let sport_ok = ma.sport == mb.sport || ma.sport == Sport::Other || mb.sport == Sport::Other;
    let (da, db) = (a.summary.duration_s, b.summary.duration_s);
    let partial = |x: &Analyzed, shorter: bool| {
        shorter && x.activity.meta.integrity.as_deref().is_some_and(|n| n.starts_with("partial"))
    };
    let duration_ok = (da - db).abs() <= DURATION_TOLERANCE * da.max(db) || partial(a, da < db) || partial(b, db < da);
    ma.source != mb.source && sport_ok && duration_ok && (ma.start_ms - mb.start_ms).abs() <= START_TOLERANCE_MS
}

/// An intact file over one salvaged from damage, then more channels, then
/// FIT over TCX over GPX, then more samples.
fn richness(a: &Analyzed) -> (bool, usize, u8, usize) {
    let format_rank = a.activity.meta.format.map_or(0, |f| 3 - f.richness_rank());
    (a.activity.meta.integrity.is_none(), a.channels, format_rank, a.summary.samples)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::kernel::RunKernel;
    use crate::parse::{Activity, Format, Point, Summary};

    fn rec(source: &str, format: Format, start_s: i64, duration_s: f64, sport: Sport, with_hr: bool) -> Analyzed {
        let mut activity = Activity::default();
        activity.meta.source = source.into();
        activity.meta.format = Some(format);
        activity.meta.start_ms = start_s * 1000;
        activity.meta.sport = sport;
        activity.samples.push(&Point { time_ms: start_s * 1000, hr_bpm: with_hr.then_some(140.0), ..Point::default() });
        let summary = Summary { duration_s, samples: 1, ..Summary::default() };
        let channels = activity.samples.channels().len();
        Analyzed {
            activity,
            summary,
            hr_seconds: crate::features::hr_seconds::HrSeconds::default(),
            quality: crate::clean::Quality::default(),
            kernel: RunKernel::default(),
            load: crate::features::load::LoadInputs::default(),
            recovery: None,
            route: None,
            counts_as_run: true,
            channels,
            duplicates: Vec::new(),
        }
    }

    #[test]
    fn keeps_the_richest_and_names_the_merged() {
        let items = vec![
            rec("b.gpx", Format::Gpx, 1_000, 3_600.0, Sport::Other, true),
            rec("a.fit", Format::Fit, 1_030, 3_500.0, Sport::Running, true),
            rec("c.tcx", Format::Tcx, 1_010, 3_550.0, Sport::Running, false),
            // Same start, other sport: a different activity.
            rec("ride.fit", Format::Fit, 1_000, 5_400.0, Sport::Cycling, true),
            // Same sport, start 2 min later: a different activity.
            rec("later.fit", Format::Fit, 1_130, 3_600.0, Sport::Running, true),
        ];
        let (kept, skipped) = dedupe(items);
        let sources: Vec<&str> = kept.iter().map(|a| a.activity.meta.source.as_str()).collect();
        assert_eq!(sources, ["ride.fit", "a.fit", "later.fit"]);
        assert_eq!(kept[1].duplicates, ["b.gpx", "c.tcx"]);
        assert_eq!(skipped.len(), 2);
        assert!(skipped[0].reason.contains("a.fit"));
    }

    #[test]
    fn a_sport_less_recording_joins_the_closest_matching_activity() {
        let items = vec![
            rec("run.fit", Format::Fit, 1_000, 3_600.0, Sport::Running, true),
            rec("ride.fit", Format::Fit, 1_050, 3_600.0, Sport::Cycling, true),
            rec("track.gpx", Format::Gpx, 1_040, 3_600.0, Sport::Other, false),
        ];
        let (kept, _) = dedupe(items);
        let ride = kept.iter().find(|a| a.activity.meta.source == "ride.fit").unwrap();
        assert_eq!(ride.duplicates, ["track.gpx"]);
    }

    fn parsed(source: usize, label: &str, crc64: u64, activities: usize) -> Parsed {
        Parsed { source, label: label.into(), fingerprint: Fingerprint { len: 10, crc64 }, activities }
    }

    #[test]
    fn identical_bytes_under_two_names_are_counted_once() {
        let items = vec![
            rec("a/run.fit", Format::Fit, 1_000, 3_600.0, Sport::Running, true),
            rec("b/copy.fit", Format::Fit, 1_000, 3_600.0, Sport::Running, true),
            rec("c/other.fit", Format::Fit, 9_000, 3_600.0, Sport::Running, true),
        ];
        // c shares the fingerprint but not the bytes: kept.
        let files = [parsed(0, "a/run.fit", 7, 1), parsed(1, "b/copy.fit", 7, 1), parsed(2, "c/other.fit", 7, 1)];
        let (kept, skipped) =
            identical_files(items, &files, |x, y| x.source.min(y.source) == 0 && x.source.max(y.source) == 1);
        let sources: Vec<&str> = kept.iter().map(|a| a.activity.meta.source.as_str()).collect();
        assert_eq!(sources, ["a/run.fit", "c/other.fit"]);
        assert_eq!(kept[0].duplicates, ["b/copy.fit"]);
        assert_eq!(
            skipped,
            [Skipped::new("b/copy.fit", "the same bytes as a/run.fit (a copy of that file): counted once")]
        );
    }

    #[test]
    fn very_different_durations_are_not_duplicates() {
        let items = vec![
            rec("a.fit", Format::Fit, 0, 3_600.0, Sport::Running, true),
            rec("b.fit", Format::Fit, 10, 1_800.0, Sport::Running, true),
        ];
        assert_eq!(dedupe(items).0.len(), 2);
    }
}
