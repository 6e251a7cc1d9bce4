//! Build script: a fingerprint of the code that produces what the per-file
//! cache (src/cache) stores, so a cache entry written by other code is never
//! read back. No version number to remember to bump: any change to a source
//! file, to a dependency's version (Cargo.lock), to the crate version or to
//! the target or profile gives another fingerprint.

use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=Cargo.lock");
    println!("cargo:rerun-if-changed=build.rs");
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let mut files = Vec::new();
    walk(&root.join("src"), &mut files);
    files.push(root.join("Cargo.lock"));
    files.sort();
    let mut hash = Fnv::default();
    for var in ["CARGO_PKG_VERSION", "TARGET", "PROFILE"] {
        hash.write(std::env::var(var).unwrap_or_default().as_bytes());
        hash.write(&[0]);
    }
    for file in &files {
        // A missing Cargo.lock (a library build elsewhere) hashes as empty.
        let bytes = fs::read(file).unwrap_or_default();
        let name = file.strip_prefix(&root).unwrap_or(file).to_string_lossy().replace('\\', "/");
        hash.write(name.as_bytes());
        hash.write(&(bytes.len() as u64).to_le_bytes());
        hash.write(&bytes);
    }
    println!("cargo:rustc-env=RUNLENS_BUILD_ID={:016x}{:016x}", hash.a, hash.b);
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// Two FNV-1a 64-bit hashes with different offset bases: 128 bits, enough
/// that two builds never share a fingerprint by chance.
struct Fnv {
    a: u64,
    b: u64,
}

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv { a: 0xcbf2_9ce4_8422_2325, b: 0x6c62_272e_07bb_0142 }
    }
}

impl Fnv {
    const PRIME: u64 = 0x0000_0100_0000_01b3;

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.a = (self.a ^ u64::from(byte)).wrapping_mul(Fnv::PRIME);
            self.b = (self.b ^ u64::from(byte.rotate_left(3))).wrapping_mul(Fnv::PRIME);
        }
    }
}
