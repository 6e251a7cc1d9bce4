//! What a cached result depends on, written out as the key it is found by:
//! the file's content, the code that analyzed it and the settings that
//! shaped it. Leaving one out would let the cache serve a stale result.

use serde::{Deserialize, Serialize};

use crate::discover::{Source, StravaMeta};
use crate::features::kernel::Settings as KernelSettings;

/// Raise when the entry layout itself (src/cache/entry.rs) changes; every
/// other change of code is caught by [`BUILD_ID`].
pub const ENTRY_FORMAT: u8 = 1;

/// A fingerprint of this build's sources, dependencies, target and profile
/// (see build.rs): entries of other code are never read back.
pub const BUILD_ID: &str = env!("RUNLENS_BUILD_ID");

/// A source's content, known cheaply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Content {
    /// A loose file (gzipped or not): its length and the 128-bit xxh3 of
    /// its bytes as stored.
    Bytes { len: u64, xxh3: u128 },
    /// An archive member: the CRC-32 and unpacked size the zip's central
    /// directory lists, so the archive is not inflated to check it.
    Member { crc32: u32, len: u64 },
}

impl Content {
    pub fn of_bytes(raw: &[u8]) -> Content {
        Content::Bytes { len: raw.len() as u64, xxh3: xxhash_rust::xxh3::xxh3_128(raw) }
    }
}

/// Everything a file's outcome depends on besides the code.
#[derive(Debug, Serialize)]
struct Material<'a> {
    entry_format: u8,
    build: &'a str,
    content: Content,
    /// The file's own name (no folders): parsing only uses its extension, in
    /// messages about unreadable content, but the whole name costs nothing
    /// and survives an export re-downloaded under another archive name.
    name: &'a str,
    /// Strava's name and type for the activity, which win over the file's.
    strava: Option<&'a StravaMeta>,
    /// Steady-window and decoupling settings the run kernel applies.
    pace: &'a KernelSettings,
}

/// The key bytes of `source` with `content`: compared in full with the key
/// stored in an entry, so a shared file name (a hash collision) or an entry
/// copied elsewhere can never pass for another file's.
pub fn key_bytes(content: Content, source: &Source, pace: &KernelSettings) -> Vec<u8> {
    let material = Material {
        entry_format: ENTRY_FORMAT,
        build: BUILD_ID,
        content,
        name: base_name(&source.label),
        strava: source.strava.as_ref(),
        pace,
    };
    // Serializing plain data into a Vec cannot fail; an empty key would
    // only ever miss.
    postcard::to_stdvec(&material).unwrap_or_default()
}

/// The entry's file name: the 128-bit xxh3 of the key, in hex.
pub fn file_name(key: &[u8]) -> String {
    format!("{:032x}.entry", xxhash_rust::xxh3::xxh3_128(key))
}

/// `export.zip!activities/123.fit.gz` -> `123.fit.gz`.
fn base_name(label: &str) -> &str {
    label.rsplit(['/', '\\', '!']).next().unwrap_or(label)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::Origin;

    fn source(label: &str) -> Source {
        Source { label: label.into(), origin: Origin::File(label.into()), strava: None }
    }

    #[test]
    fn the_key_follows_content_name_strava_and_pace_but_not_folders() {
        let pace = KernelSettings::default();
        let content = Content::of_bytes(b"abc");
        let key = |s: &Source, p: &KernelSettings| key_bytes(content, s, p);
        let base = key(&source("a/run.fit"), &pace);
        assert_eq!(base, key(&source("b/c/run.fit"), &pace), "moving the folder keeps the key");
        assert_eq!(base, key(&source("x.zip!run.fit"), &pace));
        assert_ne!(base, key(&source("a/run.gpx"), &pace));
        assert_ne!(base, key_bytes(Content::of_bytes(b"abd"), &source("a/run.fit"), &pace));
        let strava = StravaMeta { name: Some("Morning".into()), activity_type: Some("Run".into()) };
        let with_strava = Source { strava: Some(strava), ..source("a/run.fit") };
        assert_ne!(base, key(&with_strava, &pace));
        let longer = KernelSettings { window_s: pace.window_s + 60, ..pace };
        assert_ne!(base, key(&source("a/run.fit"), &longer));
        assert_eq!(file_name(&base).len(), 32 + ".entry".len());
    }
}
