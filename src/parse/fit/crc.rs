//! The FIT checksum: CRC-16/ARC (polynomial 0x8005 reflected, initial 0).
//! `crc-fast` computes it with carry-less multiplication where the CPU has
//! it (tables elsewhere); the test holds it to the FIT SDK's algorithm.

use crc_fast::{CrcAlgorithm, checksum};

pub fn crc16(bytes: &[u8]) -> u16 {
    #[allow(clippy::cast_possible_truncation)] // a CRC-16 is 16 bits wide
    let crc = checksum(CrcAlgorithm::Crc16Arc, bytes) as u16;
    crc
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The FIT SDK computes the CRC a nibble at a time with this table.
    const NIBBLES: [u16; 16] = [
        0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401, 0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01,
        0x8801, 0x4400,
    ];

    #[test]
    fn matches_the_check_value_and_the_fit_sdk_nibble_algorithm() {
        // CRC-16/ARC of "123456789".
        assert_eq!(crc16(b"123456789"), 0xBB3D);
        let sdk = |bytes: &[u8]| {
            bytes.iter().fold(0u16, |mut crc, &b| {
                let mut tmp = NIBBLES[usize::from(crc & 0xF)];
                crc = (crc >> 4) & 0x0FFF;
                crc = crc ^ tmp ^ NIBBLES[usize::from(b & 0xF)];
                tmp = NIBBLES[usize::from(crc & 0xF)];
                crc = (crc >> 4) & 0x0FFF;
                crc ^ tmp ^ NIBBLES[usize::from((b >> 4) & 0xF)]
            })
        };
        // Short inputs take the table path, long ones the folding path;
        // odd starts and lengths exercise the edges of both.
        let data: Vec<u8> = (0..70_003u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13).to_le_bytes()[0]).collect();
        for start in [0, 1, 3] {
            for len in [0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 255, 256, 257, 999, 4096, 4099, 65_536, 70_000] {
                let bytes = &data[start..start + len];
                assert_eq!(crc16(bytes), sdk(bytes), "{len} bytes from {start}");
            }
        }
    }
}
