//! CRC16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final XOR),
//! the checksum of field 63.
//!
//! Slicing-by-8: eight 256-entry tables let the loop fold eight bytes per
//! step instead of one, which matters because the CRC is the single largest
//! cost of parsing a payload.

const POLY: u16 = 0x1021;
const INIT: u16 = 0xFFFF;

const fn byte_table() -> [u16; 256] {
    let mut table = [0u16; 256];
    let mut i = 0;
    while i < 256 {
        let mut crc = (i as u16) << 8;
        let mut bit = 0;
        while bit < 8 {
            crc = if crc & 0x8000 != 0 {
                (crc << 1) ^ POLY
            } else {
                crc << 1
            };
            bit += 1;
        }
        table[i] = crc;
        i += 1;
    }
    table
}

/// `TABLES[k][b]` is the CRC (from a zero register) of byte `b` followed by
/// `k` zero bytes.
const fn slice_tables() -> [[u16; 256]; 8] {
    let mut tables = [[0u16; 256]; 8];
    tables[0] = byte_table();
    let mut k = 1;
    while k < 8 {
        let mut b = 0;
        while b < 256 {
            let prev = tables[k - 1][b];
            tables[k][b] = (prev << 8) ^ tables[0][(prev >> 8) as usize];
            b += 1;
        }
        k += 1;
    }
    tables
}

static TABLES: [[u16; 256]; 8] = slice_tables();

/// Computes the CRC16/CCITT-FALSE of `data`, as field 63 of a BR Code needs.
pub fn crc16(data: &[u8]) -> u16 {
    update(INIT, data)
}

/// Continues a CRC over more bytes, so a builder can checksum a payload it
/// writes in pieces without copying it.
pub fn update(mut crc: u16, data: &[u8]) -> u16 {
    let t = &TABLES;
    let mut chunks = data.chunks_exact(8);
    for c in &mut chunks {
        let x0 = (c[0] ^ (crc >> 8) as u8) as usize;
        let x1 = (c[1] ^ crc as u8) as usize;
        crc = t[7][x0]
            ^ t[6][x1]
            ^ t[5][c[2] as usize]
            ^ t[4][c[3] as usize]
            ^ t[3][c[4] as usize]
            ^ t[2][c[5] as usize]
            ^ t[1][c[6] as usize]
            ^ t[0][c[7] as usize];
    }
    for &b in chunks.remainder() {
        crc = (crc << 8) ^ t[0][((crc >> 8) as u8 ^ b) as usize];
    }
    crc
}

/// Writes `crc` as the four upper-case hex digits field 63 carries.
pub fn to_hex(crc: u16) -> [u8; 4] {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    [
        HEX[(crc >> 12) as usize & 0xF],
        HEX[(crc >> 8) as usize & 0xF],
        HEX[(crc >> 4) as usize & 0xF],
        HEX[crc as usize & 0xF],
    ]
}

/// Reads four hex digits of either case; `None` if any is not hex.
pub fn from_hex(digits: &[u8]) -> Option<u16> {
    if digits.len() != 4 {
        return None;
    }
    let mut v: u16 = 0;
    for &d in digits {
        let n = match d {
            b'0'..=b'9' => d - b'0',
            b'A'..=b'F' => d - b'A' + 10,
            b'a'..=b'f' => d - b'a' + 10,
            _ => return None,
        };
        v = (v << 4) | u16::from(n);
    }
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bitwise(data: &[u8]) -> u16 {
        let mut crc = INIT;
        for &b in data {
            crc ^= u16::from(b) << 8;
            for _ in 0..8 {
                crc = if crc & 0x8000 != 0 {
                    (crc << 1) ^ POLY
                } else {
                    crc << 1
                };
            }
        }
        crc
    }

    #[test]
    fn check_value_of_the_standard_catalogue() {
        // CRC-16/CCITT-FALSE check value for "123456789".
        assert_eq!(crc16(b"123456789"), 0x29B1);
    }

    #[test]
    fn sliced_equals_bitwise_for_every_length_up_to_64() {
        let data: Vec<u8> = (0..64u32).map(|i| (i * 37 + 11) as u8).collect();
        for len in 0..=data.len() {
            assert_eq!(crc16(&data[..len]), bitwise(&data[..len]), "len {len}");
        }
    }

    #[test]
    fn update_in_pieces_equals_whole() {
        let data = b"00020126580014br.gov.bcb.pix0136123e4567";
        let (a, b) = data.split_at(13);
        assert_eq!(update(update(INIT, a), b), crc16(data));
    }

    #[test]
    fn hex_round_trip_and_case() {
        assert_eq!(&to_hex(0x1d3d), b"1D3D");
        assert_eq!(from_hex(b"1d3D"), Some(0x1D3D));
        assert_eq!(from_hex(b"1D3G"), None);
        assert_eq!(from_hex(b"1D3"), None);
    }
}
