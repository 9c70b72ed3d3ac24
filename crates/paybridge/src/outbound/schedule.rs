//! What to do after a delivery attempt: the retry schedule with jitter,
//! `Retry-After`, 410 and giving up. Pure, so every rule is table-tested.

use std::time::{Duration, SystemTime};

/// The production schedule (≈ 3 days in all), before jitter.
pub const DEFAULT_SCHEDULE: &str = "5s,5m,30m,2h,5h,10h,10h,14h,20h,24h";

/// Jitter applied to each scheduled delay: ±20 %.
pub const JITTER: f64 = 0.2;

/// Delays between attempts: after attempt `n` (1-based) wait `delays[n-1]`;
/// when they run out the delivery fails.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule(Vec<Duration>);

/// A schedule that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a comma-separated list of durations like 5s,5m,2h (units ms, s, m, h, d)")]
pub struct BadSchedule(pub String);

impl Schedule {
    /// Parses `5s,5m,30m,2h`.
    pub fn parse(s: &str) -> Result<Schedule, BadSchedule> {
        let bad = || BadSchedule(s.to_owned());
        let delays = s
            .split(',')
            .map(str::trim)
            .map(|p| parse_duration(p).ok_or_else(bad))
            .collect::<Result<Vec<_>, _>>()?;
        if delays.is_empty() || delays.iter().any(Duration::is_zero) {
            return Err(bad());
        }
        Ok(Schedule(delays))
    }

    /// The delays.
    pub fn delays(&self) -> &[Duration] {
        &self.0
    }
}

impl Default for Schedule {
    fn default() -> Self {
        Schedule::parse(DEFAULT_SCHEDULE).expect("default schedule parses")
    }
}

/// Parses `250ms`, `5s`, `5m`, `2h`, `1d`.
pub fn parse_duration(p: &str) -> Option<Duration> {
    let split = p.find(|c: char| !c.is_ascii_digit())?;
    let (n, unit) = p.split_at(split);
    let n: u64 = n.parse().ok()?;
    let ms = match unit {
        "ms" => 1,
        "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        _ => return None,
    };
    Some(Duration::from_millis(n.checked_mul(ms)?))
}

/// How an attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttemptResult {
    /// The receiver answered with this status.
    Status {
        /// HTTP status.
        code: u16,
        /// `Retry-After`, when sent and readable.
        retry_after: Option<Duration>,
    },
    /// No answer: refused, reset, timed out, refused by the SSRF guard.
    NoResponse,
}

/// What happens to the delivery next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next {
    /// 2xx: done.
    Delivered,
    /// Try again after this delay.
    Retry(Duration),
    /// The schedule is exhausted: the delivery is `failed`.
    GiveUp,
    /// 410 Gone: the endpoint is disabled and the delivery is `failed`.
    EndpointGone,
}

/// Decides after attempt number `attempt` (1-based). `jitter` is a sample in
/// [-1, 1] scaled to ±[`JITTER`]. `Retry-After` is honoured but clamped
/// between the scheduled delay and twice it.
pub fn next_step(schedule: &Schedule, attempt: u32, result: &AttemptResult, jitter: f64) -> Next {
    let retry_after = match result {
        AttemptResult::Status { code, .. } if (200..300).contains(code) => return Next::Delivered,
        AttemptResult::Status { code: 410, .. } => return Next::EndpointGone,
        AttemptResult::Status { retry_after, .. } => *retry_after,
        AttemptResult::NoResponse => None,
    };
    let Some(base) = schedule.delays().get(attempt.saturating_sub(1) as usize) else {
        return Next::GiveUp;
    };
    let scheduled = base.mul_f64(1.0 + JITTER * jitter.clamp(-1.0, 1.0));
    let delay = match retry_after {
        Some(ra) => ra.clamp(scheduled, scheduled * 2),
        None => scheduled,
    };
    Next::Retry(delay)
}

/// Reads `Retry-After` in either of its forms (RFC 9110 §10.2.3): seconds,
/// or an HTTP date, which counts from `now` (a date already past is zero).
pub fn parse_retry_after(v: &str, now: SystemTime) -> Option<Duration> {
    let v = v.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(v).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(ms: u64) -> Duration {
        Duration::from_millis(ms)
    }

    fn status(code: u16, retry_after: Option<Duration>) -> AttemptResult {
        AttemptResult::Status { code, retry_after }
    }

    #[test]
    fn default_schedule_is_about_three_days() {
        let d = Schedule::default();
        assert_eq!(d.delays().len(), 10);
        assert_eq!(d.delays()[0], Duration::from_secs(5));
        let total: Duration = d.delays().iter().sum();
        assert_eq!(
            total.as_secs(),
            5 + 300 + 1800 + 3600 * (2 + 5 + 10 + 10 + 14 + 20 + 24)
        );
        assert!((3.0..3.7).contains(&(total.as_secs_f64() / 86_400.0)));
    }

    #[test]
    fn parsing() {
        assert_eq!(
            Schedule::parse("100ms, 2s,1m,1h,1d").unwrap().delays(),
            &[s(100), s(2000), s(60_000), s(3_600_000), s(86_400_000)]
        );
        for bad in ["", "5", "5x", "0s", "5s,,5s", "-5s", "s"] {
            assert!(Schedule::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn decisions() {
        let sch = Schedule::parse("100ms,1s,10s").unwrap();
        type Case = (u32, AttemptResult, f64, Next);
        let cases: Vec<Case> = vec![
            (1, status(200, None), 0.0, Next::Delivered),
            (3, status(204, None), 0.0, Next::Delivered),
            (1, status(500, None), 0.0, Next::Retry(s(100))),
            (1, AttemptResult::NoResponse, 0.0, Next::Retry(s(100))),
            (2, status(302, None), 0.0, Next::Retry(s(1000))),
            (2, status(500, None), 1.0, Next::Retry(s(1200))),
            (2, status(500, None), -1.0, Next::Retry(s(800))),
            (2, status(500, None), 7.0, Next::Retry(s(1200))),
            // Retry-After inside [scheduled, 2×scheduled] is taken as is…
            (2, status(429, Some(s(1500))), 0.0, Next::Retry(s(1500))),
            // …shorter is raised to the schedule, longer capped at twice it.
            (2, status(429, Some(s(10))), 0.0, Next::Retry(s(1000))),
            (2, status(429, Some(s(60_000))), 0.0, Next::Retry(s(2000))),
            (3, status(503, Some(s(1))), 0.0, Next::Retry(s(10_000))),
            (4, status(500, None), 0.0, Next::GiveUp),
            (4, AttemptResult::NoResponse, 0.0, Next::GiveUp),
            (1, status(410, None), 0.0, Next::EndpointGone),
            (4, status(410, None), 0.0, Next::EndpointGone),
        ];
        for (attempt, result, jitter, want) in cases {
            assert_eq!(
                next_step(&sch, attempt, &result, jitter),
                want,
                "attempt {attempt} {result:?} jitter {jitter}"
            );
        }
    }

    #[test]
    fn retry_after_forms() {
        let now = httpdate::parse_http_date("Wed, 21 Oct 2015 07:28:00 GMT").unwrap();
        let cases = [
            (" 120 ", Some(Duration::from_secs(120))),
            ("0", Some(Duration::ZERO)),
            (
                "Wed, 21 Oct 2015 07:30:30 GMT",
                Some(Duration::from_secs(150)),
            ),
            ("Wed, 21 Oct 2015 07:28:00 GMT", Some(Duration::ZERO)),
            ("Wed, 21 Oct 2015 07:00:00 GMT", Some(Duration::ZERO)),
            ("-1", None),
            ("soon", None),
            ("Wed, 21 Oct 2015 07:30:30", None),
        ];
        for (header, expected) in cases {
            assert_eq!(parse_retry_after(header, now), expected, "{header:?}");
        }
    }
}
