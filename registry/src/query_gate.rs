//! Slots for expensive reads (SPARQL evaluation, and search when it exists): a bounded number
//! run at once, anonymous callers hold at most their share, a bounded queue waits a bounded
//! time, and everything past that is answered 503 with `Retry-After` instead of piling up.
//! A slot is held until the evaluation has really stopped, not until the caller was answered,
//! so cancelled work cannot accumulate behind the caller's back.

use crate::config::QueryLimits;
use crate::error::{ApiError, Code};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Which share of the slots a caller draws on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallerClass {
    /// No credentials: limited to the anonymous share.
    Anonymous,
    /// A token (agency or admin).
    Authenticated,
}

/// The gate every query passes.
#[derive(Debug)]
pub struct QueryGate {
    all: Arc<Semaphore>,
    anonymous: Arc<Semaphore>,
    waiting: AtomicUsize,
    running: Arc<AtomicUsize>,
    limits: QueryLimits,
}

/// Held while a query evaluates; dropping it frees the slot.
#[derive(Debug)]
pub struct Slot {
    _all: OwnedSemaphorePermit,
    _anonymous: Option<OwnedSemaphorePermit>,
    running: Arc<AtomicUsize>,
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.running.fetch_sub(1, Ordering::SeqCst);
    }
}

struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl QueryGate {
    /// A gate with these limits.
    pub fn new(limits: QueryLimits) -> QueryGate {
        QueryGate {
            all: Arc::new(Semaphore::new(limits.slots)),
            anonymous: Arc::new(Semaphore::new(limits.anonymous_slots)),
            waiting: AtomicUsize::new(0),
            running: Arc::new(AtomicUsize::new(0)),
            limits,
        }
    }

    /// The limits in force.
    pub fn limits(&self) -> &QueryLimits {
        &self.limits
    }

    /// Queries evaluating now (slots held).
    pub fn running(&self) -> usize {
        self.running.load(Ordering::SeqCst)
    }

    fn overloaded(&self, why: &str) -> ApiError {
        // A slot frees when a query ends, at the latest after the query timeout.
        ApiError::new(Code::Overloaded, why.to_owned())
            .retry_after(self.limits.queue_wait.as_secs().clamp(1, 30))
    }

    /// Waits for a slot (at most the configured wait, in a queue of bounded length).
    pub async fn enter(&self, class: CallerClass) -> Result<Slot, ApiError> {
        let queued = self.waiting.fetch_add(1, Ordering::SeqCst);
        let _waiting = Waiting(&self.waiting);
        let free_now = self.all.available_permits() > 0
            && (class == CallerClass::Authenticated || self.anonymous.available_permits() > 0);
        if !free_now && queued >= self.limits.queue {
            return Err(self.overloaded(&format!(
                "all {} query slots are busy and {} queries are already waiting; retry later",
                self.limits.slots, self.limits.queue
            )));
        }
        let acquire = async {
            let anonymous = match class {
                CallerClass::Anonymous => Some(
                    self.anonymous
                        .clone()
                        .acquire_owned()
                        .await
                        .map_err(ApiError::internal)?,
                ),
                CallerClass::Authenticated => None,
            };
            let all = self
                .all
                .clone()
                .acquire_owned()
                .await
                .map_err(ApiError::internal)?;
            Ok::<_, ApiError>((all, anonymous))
        };
        match tokio::time::timeout(self.limits.queue_wait, acquire).await {
            Ok(Ok((all, anonymous))) => {
                self.running.fetch_add(1, Ordering::SeqCst);
                Ok(Slot {
                    _all: all,
                    _anonymous: anonymous,
                    running: self.running.clone(),
                })
            }
            Ok(Err(e)) => Err(e),
            Err(_) => Err(self.overloaded(&match class {
                CallerClass::Anonymous => format!(
                    "the {} query slots for anonymous callers stayed busy for {} s; retry later, or use a token",
                    self.limits.anonymous_slots,
                    self.limits.queue_wait.as_secs_f32()
                ),
                CallerClass::Authenticated => format!(
                    "all {} query slots stayed busy for {} s; retry later",
                    self.limits.slots,
                    self.limits.queue_wait.as_secs_f32()
                ),
            })),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn gate(slots: usize, anonymous: usize, queue: usize) -> QueryGate {
        QueryGate::new(QueryLimits {
            slots,
            anonymous_slots: anonymous,
            queue,
            queue_wait: Duration::from_millis(50),
            max_query_bytes: 1,
            max_result_bytes: 1,
        })
    }

    #[tokio::test]
    async fn anonymous_callers_hold_only_their_share() {
        let g = gate(3, 1, 8);
        let a = g
            .enter(CallerClass::Anonymous)
            .await
            .expect("first anonymous");
        let e = g
            .enter(CallerClass::Anonymous)
            .await
            .expect_err("second anonymous waits, then 503");
        assert_eq!(e.code, Code::Overloaded);
        assert!(e.retry_after.is_some());
        // Authenticated callers still get in.
        let b = g.enter(CallerClass::Authenticated).await.expect("token");
        assert_eq!(g.running(), 2);
        drop(a);
        let _c = g
            .enter(CallerClass::Anonymous)
            .await
            .expect("after release");
        drop(b);
        assert_eq!(g.running(), 1);
    }

    #[tokio::test]
    async fn a_full_queue_answers_at_once() {
        let g = Arc::new(gate(1, 1, 0));
        let _held = g.enter(CallerClass::Authenticated).await.expect("slot");
        let e = g
            .enter(CallerClass::Authenticated)
            .await
            .expect_err("no queue");
        assert_eq!(e.code, Code::Overloaded);
        // Refused for the queue, not after waiting.
        assert!(e.detail.contains("already waiting"), "{}", e.detail);
    }
}
