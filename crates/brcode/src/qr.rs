//! QR rendering for a payload: PNG and SVG.
//!
//! The `qrcode` crate encodes the modules; the PNG is written here with the
//! `png` crate as a 1-bit grayscale image (small files, and faster than
//! going through an RGBA `image` buffer). Error correction level M, as the
//! Pix manual recommends for BR Codes.

use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::{Color, EcLevel};
use std::fmt::Write as _;
use thiserror::Error;

/// Modules of white border the QR specification asks for around the code.
pub const QUIET_ZONE_MODULES: usize = 4;

/// Why a QR image could not be produced.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum QrError {
    /// More data than the largest QR version holds.
    #[error("payload is too long for a QR code")]
    DataTooLong,
    /// Any other encoder refusal.
    #[error("cannot encode payload as QR: {reason}")]
    Encode {
        /// The encoder's message.
        reason: String,
    },
    /// Fewer pixels than modules: the code would not be scannable.
    #[error("{size_px} px is too small: this code needs at least {min} px")]
    SizeTooSmall {
        /// What was asked.
        size_px: u32,
        /// One pixel per module (quiet zone included when asked).
        min: u32,
    },
    /// The PNG writer failed (in memory, so only on absurd sizes).
    #[error("PNG encoding failed: {reason}")]
    Png {
        /// The writer's message.
        reason: String,
    },
}

const MASKS: [MaskPattern; 8] = [
    MaskPattern::Checkerboard,
    MaskPattern::HorizontalLines,
    MaskPattern::VerticalLines,
    MaskPattern::DiagonalLines,
    MaskPattern::LargeCheckerboard,
    MaskPattern::Fields,
    MaskPattern::Diamonds,
    MaskPattern::Meadow,
];

fn encode_error(e: qrcode::types::QrError) -> QrError {
    match e {
        qrcode::types::QrError::DataTooLong => QrError::DataTooLong,
        other => QrError::Encode {
            reason: other.to_string(),
        },
    }
}

/// The module matrix of a payload, `true` = dark, row-major, and its width.
///
/// Same steps as `QrCode::new` (segmenting, error correction, drawing and
/// masking all come from `qrcode`), except that the eight candidate masks
/// are scored by [`penalty`] here: `qrcode` 0.14 allocates a boxed closure
/// per module while scoring, which made the whole encode take over 1 ms.
pub fn modules(payload: &str) -> Result<(Vec<bool>, usize), QrError> {
    let bits = qrcode::bits::encode_auto(payload.as_bytes(), EcLevel::M).map_err(encode_error)?;
    let version = bits.version();
    let data = bits.into_bytes();
    let (codewords, ec) =
        qrcode::ec::construct_codewords(&data, version, EcLevel::M).map_err(encode_error)?;
    let mut canvas = Canvas::new(version, EcLevel::M);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&codewords, &ec);
    let width = usize::try_from(version.width()).unwrap_or_default();
    let mut best: Option<(u32, Vec<bool>)> = None;
    for mask in MASKS {
        let mut candidate = canvas.clone();
        candidate.apply_mask(mask);
        let dark: Vec<bool> = candidate
            .into_colors()
            .into_iter()
            .map(|c| c == Color::Dark)
            .collect();
        let score = penalty(&dark, width);
        // First lowest wins, as in `qrcode`.
        if best.as_ref().is_none_or(|(s, _)| score < *s) {
            best = Some((score, dark));
        }
    }
    let (_, dark) = best.ok_or(QrError::DataTooLong)?;
    Ok((dark, width))
}

/// The mask penalty of ISO/IEC 18004 §7.8.3 as `qrcode` computes it: runs
/// of five or more, 2×2 blocks, finder-like patterns, dark/light balance.
pub(crate) fn penalty(dark: &[bool], w: usize) -> u32 {
    let at = |x: usize, y: usize, horizontal: bool| {
        if horizontal {
            dark[y * w + x]
        } else {
            dark[x * w + y]
        }
    };
    const FINDER: [bool; 7] = [true, false, true, true, true, false, true];
    let mut score = 0u32;
    for horizontal in [true, false] {
        for i in 0..w {
            // Runs of the same colour.
            let mut run = 1u32;
            for j in 1..=w {
                if j < w && at(j, i, horizontal) == at(j - 1, i, horizontal) {
                    run += 1;
                } else {
                    if run >= 5 {
                        score += run - 2;
                    }
                    run = 1;
                }
            }
            // 1:1:3:1:1 finder look-alikes without a light margin of 4.
            for j in 0..w.saturating_sub(6) {
                if (0..7).any(|k| at(j + k, i, horizontal) != FINDER[k]) {
                    continue;
                }
                let before = (j.saturating_sub(4)..j).any(|k| at(k, i, horizontal));
                let after = (j + 7..(j + 11).min(w)).any(|k| at(k, i, horizontal));
                if !before || !after {
                    score += 40;
                }
            }
        }
    }
    for y in 0..w.saturating_sub(1) {
        for x in 0..w - 1 {
            let c = dark[y * w + x];
            if dark[y * w + x + 1] == c
                && dark[(y + 1) * w + x] == c
                && dark[(y + 1) * w + x + 1] == c
            {
                score += 3;
            }
        }
    }
    let dark_count = dark.iter().filter(|&&d| d).count();
    let ratio = dark_count * 200 / dark.len().max(1);
    score + ratio.abs_diff(100) as u32
}

/// Renders a `size_px` × `size_px` PNG. Modules are scaled by a whole number
/// of pixels (so edges stay sharp) and centred; the remainder is white.
/// `quiet_zone` adds the 4-module border scanners expect; leave it off only
/// when the page around the image is already white.
pub fn png(payload: &str, size_px: u32, quiet_zone: bool) -> Result<Vec<u8>, QrError> {
    let (dark, width) = modules(payload)?;
    let border = if quiet_zone { QUIET_ZONE_MODULES } else { 0 };
    let total = width + 2 * border;
    let size = size_px as usize;
    if size < total {
        return Err(QrError::SizeTooSmall {
            size_px,
            min: total as u32,
        });
    }
    let scale = size / total;
    let offset = (size - scale * total) / 2 + border * scale;
    let row_bytes = size.div_ceil(8);

    // 1-bit grayscale: bit set = white. Build each module row once and
    // repeat it `scale` times.
    let mut data = vec![0xFFu8; row_bytes * size];
    let mut row = vec![0xFFu8; row_bytes];
    for y in 0..width {
        row.fill(0xFF);
        for x in 0..width {
            if dark[y * width + x] {
                let start = offset + x * scale;
                for px in start..start + scale {
                    row[px / 8] &= !(0x80 >> (px % 8));
                }
            }
        }
        let top = offset + y * scale;
        for py in top..top + scale {
            data[py * row_bytes..(py + 1) * row_bytes].copy_from_slice(&row);
        }
    }

    let mut out = Vec::with_capacity(4096);
    let mut encoder = png::Encoder::new(&mut out, size_px, size_px);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::One);
    encoder.set_compression(png::Compression::Fast);
    encoder.set_filter(png::FilterType::NoFilter);
    let png_err = |e: png::EncodingError| QrError::Png {
        reason: e.to_string(),
    };
    let mut writer = encoder.write_header().map_err(png_err)?;
    writer.write_image_data(&data).map_err(png_err)?;
    writer.finish().map_err(png_err)?;
    Ok(out)
}

/// Renders a square SVG of `size_px` with the quiet zone; one `<path>` of
/// horizontal runs keeps it small and scales without blur.
pub fn svg(payload: &str, size_px: u32) -> Result<String, QrError> {
    let (dark, width) = modules(payload)?;
    let total = width + 2 * QUIET_ZONE_MODULES;
    let mut path = String::with_capacity(width * width * 2);
    for y in 0..width {
        let mut x = 0;
        while x < width {
            if !dark[y * width + x] {
                x += 1;
                continue;
            }
            let start = x;
            while x < width && dark[y * width + x] {
                x += 1;
            }
            let _ = write!(
                path,
                "M{} {}h{}v1h-{}z",
                start + QUIET_ZONE_MODULES,
                y + QUIET_ZONE_MODULES,
                x - start,
                x - start
            );
        }
    }
    Ok(format!(
        concat!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{s}" height="{s}" viewBox="0 0 {t} {t}" shape-rendering="crispEdges">"#,
            r##"<rect width="{t}" height="{t}" fill="#fff"/><path fill="#000" d="{p}"/></svg>"##
        ),
        s = size_px,
        t = total,
        p = path
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAYLOAD: &str = "00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-4266554400005204000053039865802BR5913Fulano de Tal6008BRASILIA62070503***63041D3D";

    #[test]
    fn same_modules_as_qrcode_itself() {
        for payload in [
            PAYLOAD,
            "hello",
            &"0123456789".repeat(30),
            &PAYLOAD.repeat(3),
        ] {
            let reference =
                qrcode::QrCode::with_error_correction_level(payload, EcLevel::M).unwrap();
            let expected: Vec<bool> = reference
                .to_colors()
                .into_iter()
                .map(|c| c == Color::Dark)
                .collect();
            assert_eq!(
                modules(payload).unwrap(),
                (expected, reference.width()),
                "{payload}"
            );
        }
    }

    #[test]
    fn png_has_signature_and_size() {
        let bytes = png(PAYLOAD, 512, true).unwrap();
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
        let decoder = png::Decoder::new(bytes.as_slice());
        let reader = decoder.read_info().unwrap();
        assert_eq!((reader.info().width, reader.info().height), (512, 512));
    }

    #[test]
    fn png_pixels_match_modules() {
        let (dark, width) = modules(PAYLOAD).unwrap();
        let bytes = png(PAYLOAD, width as u32, false).unwrap();
        let mut reader = png::Decoder::new(bytes.as_slice()).read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).unwrap();
        for y in 0..width {
            for x in 0..width {
                let bit = buf[y * info.line_size + x / 8] & (0x80 >> (x % 8));
                assert_eq!(bit == 0, dark[y * width + x], "module {x},{y}");
            }
        }
    }

    #[test]
    fn too_small_is_an_error() {
        let (_, width) = modules(PAYLOAD).unwrap();
        let min = (width + 8) as u32;
        assert_eq!(
            png(PAYLOAD, min - 1, true),
            Err(QrError::SizeTooSmall {
                size_px: min - 1,
                min
            })
        );
        assert!(png(PAYLOAD, min, true).is_ok());
    }

    #[test]
    fn too_long_is_an_error() {
        assert_eq!(png(&"9".repeat(8000), 512, true), Err(QrError::DataTooLong));
    }

    #[test]
    fn svg_is_square_and_has_dark_modules() {
        let s = svg(PAYLOAD, 300).unwrap();
        assert!(s.starts_with("<svg "));
        assert!(s.contains(r#"width="300" height="300""#));
        assert!(s.contains("M4 4h7v1h-7z"), "finder pattern top row");
        assert!(s.ends_with("</svg>"));
    }
}
