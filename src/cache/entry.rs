//! One cache entry on disk: what one file gave, behind its full key and a
//! checksum, so a truncated, corrupted, foreign or misplaced entry reads as
//! a miss, never as a result.
//!
//! Layout: `MAGIC`, the key's length (u32 LE), the key, the payload
//! (postcard), then the 128-bit xxh3 of everything before it.

use serde::{Deserialize, Serialize};

use crate::features::FileOutcome;

const MAGIC: &[u8; 8] = b"runlens\x01";
const CHECKSUM_BYTES: usize = 16;

/// What a file gave: its activities, or why it could not be parsed (read
/// errors are not stored: they can be passing, or the bytes were never seen).
#[derive(Debug, Deserialize)]
pub enum Stored {
    Outcome(FileOutcome),
    Failed { reason: String },
}

/// [`Stored`] by reference, to write an outcome without copying it. The
/// variants must stay in the same order as `Stored`'s.
#[derive(Debug, Serialize)]
pub enum StoredRef<'a> {
    Outcome(&'a FileOutcome),
    Failed { reason: String },
}

/// The entry's bytes.
pub fn encode(key: &[u8], stored: &StoredRef<'_>) -> Option<Vec<u8>> {
    let key_len = u32::try_from(key.len()).ok()?;
    let mut out = Vec::with_capacity(MAGIC.len() + 4 + key.len() + 4096);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&key_len.to_le_bytes());
    out.extend_from_slice(key);
    Some(seal(postcard::to_extend(stored, out).ok()?))
}

/// `body` followed by its 128-bit xxh3: every file the cache writes.
pub fn seal(mut body: Vec<u8>) -> Vec<u8> {
    let checksum = xxhash_rust::xxh3::xxh3_128(&body);
    body.extend_from_slice(&checksum.to_le_bytes());
    body
}

/// The body of sealed `bytes` when its checksum holds.
pub fn unseal(bytes: &[u8]) -> Option<&[u8]> {
    let (body, checksum) = bytes.split_at_checked(bytes.len().checked_sub(CHECKSUM_BYTES)?)?;
    (xxhash_rust::xxh3::xxh3_128(body).to_le_bytes() == checksum).then_some(body)
}

/// The stored value when `bytes` are a whole, intact entry for `key` whose
/// values are consistent; `None` otherwise.
pub fn decode(key: &[u8], bytes: &[u8]) -> Option<Stored> {
    let rest = unseal(bytes)?.strip_prefix(MAGIC)?;
    let (key_len, rest) = rest.split_at_checked(4)?;
    let key_len = usize::try_from(u32::from_le_bytes(key_len.try_into().ok()?)).ok()?;
    let (stored_key, payload) = rest.split_at_checked(key_len)?;
    if stored_key != key {
        return None;
    }
    let stored: Stored = postcard::from_bytes(payload).ok()?;
    consistent(&stored).then_some(stored)
}

/// What later stages assume of an outcome: a checksum proves the bytes are
/// the ones written, this that they describe something the code could have
/// produced (heart rates each once and in order, the checked start being
/// the activity's).
fn consistent(stored: &Stored) -> bool {
    let Stored::Outcome(outcome) = stored else { return true };
    outcome.activities.iter().all(|dated| {
        dated.analyzed.as_ref().is_none_or(|a| {
            a.activity.meta.start_ms == dated.start_ms && a.hr_seconds.is_consistent() && a.activity.samples.is_empty()
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::{Dated, Fingerprint};

    fn outcome() -> FileOutcome {
        FileOutcome {
            fingerprint: Fingerprint { len: 3, crc64: 7 },
            activities: vec![Dated { start_ms: 5, analyzed: None }],
        }
    }

    fn entry() -> Vec<u8> {
        encode(b"key", &StoredRef::Outcome(&outcome())).unwrap()
    }

    #[test]
    fn an_entry_reads_back_under_its_own_key_only() {
        let Some(Stored::Outcome(back)) = decode(b"key", &entry()) else { panic!("not read back") };
        assert_eq!(back.fingerprint, outcome().fingerprint);
        assert_eq!(back.activities[0].start_ms, 5);
        assert!(decode(b"kex", &entry()).is_none());
        let failed = encode(b"k", &StoredRef::Failed { reason: "bad".into() }).unwrap();
        assert!(matches!(decode(b"k", &failed), Some(Stored::Failed { reason }) if reason == "bad"));
    }

    #[test]
    fn truncated_or_flipped_entries_are_misses() {
        let bytes = entry();
        for cut in 0..bytes.len() {
            assert!(decode(b"key", &bytes[..cut]).is_none(), "cut at {cut}");
        }
        for i in 0..bytes.len() {
            let mut flipped = bytes.clone();
            flipped[i] ^= 0x10;
            assert!(decode(b"key", &flipped).is_none(), "byte {i} flipped");
        }
    }

    #[test]
    fn an_entry_with_a_valid_checksum_but_heart_rates_out_of_order_is_refused() {
        let mut analyzed =
            crate::features::analyze(crate::parse::Activity::default(), &crate::features::kernel::Settings::default());
        let at = |hr_bpm| crate::features::hr_seconds::AtHr { hr_bpm, seconds: 1, after_warmup_s: 0 };
        analyzed.hr_seconds.by_hr = vec![at(150.0), at(140.0)];
        let outcome = FileOutcome {
            fingerprint: Fingerprint::default(),
            activities: vec![Dated { start_ms: 0, analyzed: Some(analyzed) }],
        };
        let bytes = encode(b"k", &StoredRef::Outcome(&outcome)).unwrap();
        assert!(decode(b"k", &bytes).is_none());
    }
}
