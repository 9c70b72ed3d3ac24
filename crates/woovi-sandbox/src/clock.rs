//! The sandbox's notion of "now": wall time plus an offset tests can push
//! forward (`POST /sandbox/clock/advance`), so expiry needs no real waiting.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// Wall clock shifted by an adjustable offset.
#[derive(Debug, Default)]
pub(crate) struct Clock {
    offset_ms: AtomicI64,
}

impl Clock {
    /// Current sandbox time.
    pub(crate) fn now(&self) -> OffsetDateTime {
        let offset = self.offset_ms.load(Ordering::Relaxed);
        OffsetDateTime::now_utc() + time::Duration::milliseconds(offset)
    }

    /// Moves the clock forward.
    pub(crate) fn advance(&self, by: Duration) {
        let ms = i64::try_from(by.as_millis()).unwrap_or(i64::MAX / 2);
        self.offset_ms.fetch_add(ms, Ordering::Relaxed);
    }

    /// Total shift applied so far.
    pub(crate) fn offset(&self) -> Duration {
        Duration::from_millis(self.offset_ms.load(Ordering::Relaxed).max(0) as u64)
    }
}

/// Woovi's timestamp format: RFC 3339, UTC, milliseconds (`2023-11-28T11:30:34.652Z`).
pub(crate) fn iso(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    let t = t
        .replace_nanosecond(t.millisecond() as u32 * 1_000_000)
        .unwrap_or(t);
    let s = t.format(&Rfc3339).unwrap_or_default();
    if t.millisecond() == 0 {
        // Rfc3339 drops a zero fraction; Woovi always prints three digits.
        s.trim_end_matches('Z').to_owned() + ".000Z"
    } else {
        s
    }
}

/// Parses an RFC 3339 query parameter (`start`, `end`).
pub(crate) fn parse_iso(s: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(s, &Rfc3339).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_always_has_millis() {
        let t = OffsetDateTime::from_unix_timestamp(1_700_000_000).unwrap();
        assert_eq!(iso(t), "2023-11-14T22:13:20.000Z");
        let t = t + time::Duration::milliseconds(652);
        assert_eq!(iso(t), "2023-11-14T22:13:20.652Z");
    }

    #[test]
    fn advance_moves_now() {
        let c = Clock::default();
        let before = c.now();
        c.advance(Duration::from_secs(3600));
        assert!(c.now() - before >= time::Duration::seconds(3600));
        assert_eq!(c.offset(), Duration::from_secs(3600));
    }
}
