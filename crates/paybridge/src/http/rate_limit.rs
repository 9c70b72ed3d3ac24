//! Token buckets keyed by a small label (a provider, a client address): a
//! burst of `capacity`, refilled at `per_second`. In memory and per node:
//! they bound what one process spends on unauthenticated work, not a
//! business quota.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Most distinct keys remembered; beyond it the oldest-touched half is
/// forgotten, so hostile keys cannot grow memory without bound.
const MAX_KEYS: usize = 10_000;

/// A set of token buckets.
#[derive(Debug)]
pub struct RateLimit {
    capacity: f64,
    per_second: f64,
    buckets: Mutex<HashMap<String, (f64, Instant)>>,
}

impl RateLimit {
    /// `capacity` requests at once, refilled at `per_second`.
    pub fn new(capacity: u32, per_second: f64) -> RateLimit {
        RateLimit {
            capacity: f64::from(capacity),
            per_second,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token for `key`; `Err(wait)` when none is left, with how
    /// long until one is.
    pub fn take(&self, key: &str) -> Result<(), Duration> {
        self.take_at(key, Instant::now())
    }

    fn take_at(&self, key: &str, now: Instant) -> Result<(), Duration> {
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if buckets.len() >= MAX_KEYS && !buckets.contains_key(key) {
            let mut ages: Vec<Instant> = buckets.values().map(|(_, t)| *t).collect();
            ages.sort_unstable();
            let cutoff = ages[ages.len() / 2];
            buckets.retain(|_, (_, t)| *t > cutoff);
        }
        let (tokens, last) = buckets
            .entry(key.to_owned())
            .or_insert((self.capacity, now));
        let refilled =
            *tokens + now.saturating_duration_since(*last).as_secs_f64() * self.per_second;
        *tokens = refilled.min(self.capacity);
        *last = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - *tokens) / self.per_second))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_then_one_per_refill_and_keys_apart() {
        let rl = RateLimit::new(3, 1.0);
        let t0 = Instant::now();
        for _ in 0..3 {
            assert!(rl.take_at("a", t0).is_ok());
        }
        let wait = rl.take_at("a", t0).unwrap_err();
        assert!(
            wait > Duration::from_millis(900) && wait <= Duration::from_secs(1),
            "{wait:?}"
        );
        assert!(
            rl.take_at("b", t0).is_ok(),
            "another key has its own bucket"
        );
        assert!(rl.take_at("a", t0 + Duration::from_millis(1001)).is_ok());
        assert!(rl.take_at("a", t0 + Duration::from_millis(1002)).is_err());
    }

    #[test]
    fn hostile_keys_do_not_grow_memory_without_bound() {
        let rl = RateLimit::new(1, 1.0);
        let t0 = Instant::now();
        for i in 0..(3 * MAX_KEYS) {
            let _ = rl.take_at(&format!("k{i}"), t0 + Duration::from_micros(i as u64));
        }
        assert!(rl.buckets.lock().unwrap().len() <= MAX_KEYS);
    }
}
