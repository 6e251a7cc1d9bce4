//! The FIT checksum (CRC-16/ARC: polynomial 0x8005 reflected, initial 0),
//! sixteen bytes at a time from tables built at compile time ("slicing by
//! 16"): byte at a time, checking a file cost 40 % of decoding it.

const SLICES: usize = 16;
const TABLES: [[u16; 256]; SLICES] = tables();

const fn tables() -> [[u16; 256]; SLICES] {
    let mut t = [[0u16; 256]; SLICES];
    let mut i = 0;
    while i < 256 {
        #[allow(clippy::cast_possible_truncation)] // i < 256
        let mut crc = i as u16;
        let mut bit = 0;
        while bit < 8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xA001 } else { crc >> 1 };
            bit += 1;
        }
        t[0][i] = crc;
        i += 1;
    }
    let mut k = 1;
    while k < SLICES {
        let mut i = 0;
        while i < 256 {
            let prev = t[k - 1][i];
            t[k][i] = (prev >> 8) ^ t[0][(prev & 0xFF) as usize];
            i += 1;
        }
        k += 1;
    }
    t
}

fn byte(crc: u16, b: u8) -> u16 {
    (crc >> 8) ^ TABLES[0][usize::from((crc ^ u16::from(b)) & 0xFF)]
}

pub fn crc16(bytes: &[u8]) -> u16 {
    let t = &TABLES;
    let mut chunks = bytes.chunks_exact(SLICES);
    let mut crc = 0u16;
    for c in &mut chunks {
        let x = crc ^ u16::from_le_bytes([c[0], c[1]]);
        // Byte k of the chunk still has SLICES - 1 - k bytes to pass through.
        let mut acc = t[SLICES - 1][usize::from(x & 0xFF)] ^ t[SLICES - 2][usize::from(x >> 8)];
        for (k, &b) in c.iter().enumerate().skip(2) {
            acc ^= t[SLICES - 1 - k][usize::from(b)];
        }
        crc = acc;
    }
    chunks.remainder().iter().fold(crc, |crc, &b| byte(crc, b))
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
        let data: Vec<u8> = (0..1000u32).map(|i| (i * 7 + 3).to_le_bytes()[0]).collect();
        for len in [0, 1, 7, 8, 9, 15, 16, 17, 999, 1000] {
            assert_eq!(crc16(&data[..len]), sdk(&data[..len]), "{len} bytes");
        }
    }
}
