//! Per-address throttles on what anyone may send without an account (feedback on records):
//! a burst, then one request per interval (GCRA, by `governor`). Kept in memory; a restart
//! forgets them, which costs an abuser nothing it did not already have.

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

/// One throttle, keyed by the caller's address.
pub struct Throttle {
    limiter: DefaultKeyedRateLimiter<IpAddr>,
    clock: DefaultClock,
}

impl Throttle {
    /// `burst` requests at once, then one per `every`.
    pub fn new(burst: u32, every: Duration) -> Throttle {
        let quota = Quota::with_period(every)
            .expect("a non-zero period")
            .allow_burst(NonZeroU32::new(burst.max(1)).expect("non-zero"));
        Throttle {
            limiter: RateLimiter::keyed(quota),
            clock: DefaultClock::default(),
        }
    }

    /// Takes one request from `addr`'s allowance: `Err(seconds)` to wait when none is left.
    pub fn check(&self, addr: IpAddr) -> Result<(), u64> {
        // Forget addresses whose allowance is whole again, so the map stays small.
        if self.limiter.len() > 10_000 {
            self.limiter.retain_recent();
        }
        self.limiter
            .check_key(&addr)
            .map_err(|not_until| not_until.wait_time_from(self.clock.now()).as_secs() + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_then_a_wait_per_address_and_others_unaffected() {
        let t = Throttle::new(3, Duration::from_secs(600));
        let a: IpAddr = "203.0.113.7".parse().expect("ip");
        let b: IpAddr = "2001:db8::1".parse().expect("ip");
        for _ in 0..3 {
            assert_eq!(t.check(a), Ok(()));
        }
        let wait = t.check(a).expect_err("the fourth waits");
        assert!((590..=601).contains(&wait), "{wait}");
        assert_eq!(t.check(b), Ok(()), "another address has its own allowance");
    }
}
