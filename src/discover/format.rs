//! The file formats runlens reads, recognised from content: discovery uses it
//! to pick activity files out of a folder or archive whatever their names,
//! and the parse stage to dispatch to the right parser.

use std::fmt;

/// A FIT file starts with a 12- or 14-byte header that says ".FIT".
pub fn has_fit_header(bytes: &[u8]) -> bool {
    bytes.len() >= 12 && matches!(bytes[0], 12 | 14) && &bytes[8..12] == b".FIT"
}

/// The file formats runlens reads, detected from content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub enum Format {
    Fit,
    Tcx,
    Gpx,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Fit => "fit",
            Format::Tcx => "tcx",
            Format::Gpx => "gpx",
        }
    }

    /// Richer formats first: FIT carries sessions, laps and events; TCX laps;
    /// GPX only points. Used to pick which duplicate recording to keep.
    pub fn richness_rank(self) -> u8 {
        match self {
            Format::Fit => 0,
            Format::Tcx => 1,
            Format::Gpx => 2,
        }
    }

    /// Guess from a file name (after any `.gz`), for discovery only: the parse
    /// stage always decides by content.
    pub fn from_extension(name: &str) -> Option<Format> {
        let lower = name.to_ascii_lowercase();
        let stem = lower.strip_suffix(".gz").unwrap_or(&lower);
        match stem.rsplit_once('.')?.1 {
            "fit" => Some(Format::Fit),
            "gpx" => Some(Format::Gpx),
            "tcx" => Some(Format::Tcx),
            _ => None,
        }
    }

    /// Identify a format from the first bytes of a (decompressed) file.
    pub fn sniff(bytes: &[u8]) -> Option<Format> {
        if has_fit_header(bytes) {
            return Some(Format::Fit);
        }
        match crate::xml::root_element(bytes)?.as_str() {
            "gpx" => Some(Format::Gpx),
            "TrainingCenterDatabase" => Some(Format::Tcx),
            _ => None,
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
