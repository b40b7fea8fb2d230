//! Running harvests: a job per run, fed by a connector of the `harvest` crate through a
//! bounded channel, written in batches through the same write path as every other change.
//!
//! What a run changes: new and changed records get versions (unchanged ones do not — the
//! canonical hash decides, and a payload fingerprint skips even normalising when the source
//! sent exactly what it sent last time); records the source no longer lists are withdrawn after
//! a complete run, unless there are more of them than the source's share allows, in which case
//! the job is held for review; an incomplete, failed or cancelled run withdraws nothing.

pub mod schedule;
pub mod settings;
pub mod sources;

use harvest::{Event, Harvested, Payload, RecordKind, Summary};
use record::{Kind, skolemise};
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;
use store::harvest::{Failure, JobRow, MAX_FAILURES, PayloadRow, SourceRow};
use store::log::now_micros;
use tokio::sync::Semaphore;
use {
    crate::records::{Outcome, Provenance, Registry, WriteRecord},
    store::StoreError,
};

pub use schedule::Schedule;

/// Records written per transaction.
const BATCH: usize = 200;

/// The harvest service: settings plus the registry it writes to.
#[derive(Debug)]
pub struct Harvester {
    /// Where records go.
    pub registry: Arc<Registry>,
    /// Limits for every request.
    pub policy: harvest::Policy,
    /// Largest share of a source's records one run may withdraw without review.
    pub max_withdraw_share: f64,
    permits: Arc<Semaphore>,
    /// The runtime runs execute on: the one the harvester was made on (the process's
    /// multi-threaded runtime), never an HTTP worker's. A run started by a request would
    /// otherwise be spawned onto that worker's own single-threaded runtime, and its parsing and
    /// normalising would stop the worker answering (job status timed out during a large run).
    runtime: tokio::runtime::Handle,
}

/// Progress callback (the CLI's bar).
pub type OnProgress<'a> = &'a (dyn Fn(&JobRow) + Send + Sync);

/// The registry kind of a harvested record.
pub fn kind_of(k: RecordKind) -> Kind {
    match k {
        RecordKind::Dataset => Kind::Dataset,
        RecordKind::DataService => Kind::DataService,
        RecordKind::Catalog => Kind::Catalog,
    }
}

/// A hash of what a payload produced that does not depend on blank-node labels.
fn fingerprint(h: &Harvested) -> String {
    let mut lines: Vec<String> = skolemise(h.triples.clone(), "urn:danhmuc:fingerprint")
        .iter()
        .map(|t| format!("{t} .\n"))
        .collect();
    lines.sort();
    let mut d = Sha256::new();
    d.update(format!("{:?}\n", h.kind).as_bytes());
    for l in lines {
        d.update(l.as_bytes());
    }
    hex::encode(d.finalize())
}

/// The provenance source string of a harvest source's records.
pub fn source_tag(source_id: &str) -> String {
    format!("harvest:{source_id}")
}

impl Harvester {
    /// A harvester allowing `concurrency` runs at once, on the runtime it is made on (call it
    /// from the process's runtime, not from a request handler).
    pub fn new(
        registry: Arc<Registry>,
        policy: harvest::Policy,
        max_withdraw_share: f64,
        concurrency: usize,
    ) -> Harvester {
        Harvester {
            registry,
            policy,
            max_withdraw_share,
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            runtime: tokio::runtime::Handle::current(),
        }
    }

    /// A harvester from the command line's settings; context files are read and registered
    /// with the JSON-LD processor now (for harvested documents and REST bodies alike), so a
    /// missing or broken file is reported at start.
    pub fn from_settings(
        registry: Arc<Registry>,
        s: &settings::HarvestSettings,
    ) -> Result<Harvester, String> {
        for spec in &s.jsonld_context {
            harvest::jsonld::register_file(spec)?;
        }
        if !(0.0..=1.0).contains(&s.harvest_max_withdraw_share) {
            return Err("--harvest-max-withdraw-share must be between 0 and 1".into());
        }
        let policy = harvest::Policy {
            allow_private: s.allow_private_harvest,
            max_bytes: s.harvest_max_bytes,
            timeout: Duration::from_secs_f64(s.harvest_timeout.max(0.1)),
            retries: s.harvest_retries,
            ..harvest::Policy::default()
        };
        Ok(Harvester::new(
            registry,
            policy,
            s.harvest_max_withdraw_share,
            2,
        ))
    }

    /// Queues a run of `source` and starts it in the background. Refused while another run of
    /// the same source is queued or running.
    pub async fn start(
        self: &Arc<Self>,
        source: SourceRow,
        trigger: &str,
        author: &str,
        upload: Option<Payload>,
    ) -> Result<JobRow, StoreError> {
        let job = self.create_job(&source, trigger, author).await?;
        let me = self.clone();
        let j = job.clone();
        self.runtime.spawn(async move {
            let permit = me.permits.clone().acquire_owned().await;
            let out = me.run(j, source, upload, None).await;
            drop(permit);
            if let Err(e) = out {
                tracing::error!(error = %e, "harvest job could not record its outcome");
            }
        });
        Ok(job)
    }

    /// Creates a queued job.
    pub async fn create_job(
        &self,
        source: &SourceRow,
        trigger: &str,
        author: &str,
    ) -> Result<JobRow, StoreError> {
        if let Some(active) = self.registry.log.active_job(&source.id).await? {
            return Err(StoreError::Conflict(format!(
                "source {} already has job {active} queued or running",
                source.id
            )));
        }
        let job = JobRow {
            id: uuid::Uuid::now_v7().to_string(),
            source_id: source.id.clone(),
            status: "queued".into(),
            trigger: trigger.into(),
            author: author.into(),
            created_at: now_micros(),
            ..JobRow::default()
        };
        self.registry.log.insert_job(&job).await?;
        Ok(job)
    }

    /// Runs a job to its end and records the outcome. Errors are only storage failures that
    /// prevented recording it.
    pub async fn run(
        &self,
        mut job: JobRow,
        source: SourceRow,
        upload: Option<Payload>,
        progress: Option<OnProgress<'_>>,
    ) -> Result<JobRow, StoreError> {
        let log = &self.registry.log;
        if log.cancel_requested(&job.id).await? {
            job.status = "cancelled".into();
            job.finished_at = Some(now_micros());
            log.save_job(&job).await?;
            return Ok(job);
        }
        job.status = "running".into();
        job.started_at = Some(now_micros());
        log.save_job(&job).await?;
        let outcome = self.drive(&mut job, &source, upload, progress).await;
        job.finished_at = Some(now_micros());
        match outcome {
            Ok(Some(summary)) => {
                job.complete = summary.complete;
                job.warnings.extend(summary.warnings.iter().cloned());
                if let Some(state) = &summary.state {
                    log.set_source_state(&source.id, state).await?;
                }
                if summary.listing {
                    self.withdraw_missing(&mut job, &source, summary.complete)
                        .await?;
                }
                job.status = "succeeded".into();
            }
            Ok(None) => {
                job.status = "cancelled".into();
                job.message = Some("cancelled; nothing was withdrawn".into());
            }
            Err(message) => {
                job.status = "failed".into();
                job.message = Some(format!("{message}; nothing was withdrawn"));
            }
        }
        // Project before announcing the outcome: once a job says it finished, its records are
        // what SPARQL and the feeds answer.
        if self.registry.graphs.is_some()
            && let Err(e) = self.registry.catch_up().await
        {
            tracing::warn!(error = %e, "projections will catch up later");
        }
        log.save_job(&job).await?;
        if let Some(p) = progress {
            p(&job);
        }
        Ok(job)
    }

    /// Reads the source and writes what it sends. `Ok(None)` when cancelled; `Err` with the
    /// message when the run failed as a whole.
    async fn drive(
        &self,
        job: &mut JobRow,
        source: &SourceRow,
        upload: Option<Payload>,
        progress: Option<OnProgress<'_>>,
    ) -> Result<Option<Summary>, String> {
        let mut policy = self.policy.clone();
        if let Some(t) = source
            .config
            .get("timeout_seconds")
            .and_then(|v| v.as_u64())
        {
            policy.timeout = Duration::from_secs(t.max(1));
        }
        if let Some(b) = source.config.get("max_bytes").and_then(|v| v.as_u64()) {
            // A source may lower the server's limit, never raise it.
            policy.max_bytes = b.min(self.policy.max_bytes);
        }
        let fetcher = harvest::Fetcher::new(policy).map_err(|e| e.to_string())?;
        let connector = harvest::connector(&source.kind)
            .ok_or_else(|| format!("unknown source kind '{}'", source.kind))?;
        let ctx = harvest::Context {
            url: source.url.clone(),
            config: source.config.clone(),
            state: source.state.clone(),
            upload,
            fetcher,
        };
        let (tx, mut rx) = tokio::sync::mpsc::channel::<Event>(64);
        let producer = tokio::spawn(async move { connector.run(&ctx, &tx).await });
        let prov = Provenance {
            author: job.author.clone(),
            source: source_tag(&source.id),
        };
        let mut batch: Vec<Harvested> = Vec::new();
        let mut in_batch: HashSet<String> = HashSet::new();
        let mut cancelled = false;
        let mut last_check = std::time::Instant::now();
        let storage = |e: StoreError| format!("storage error: {e}");
        while let Some(ev) = rx.recv().await {
            match ev {
                Event::Record(h) => {
                    if in_batch.contains(&h.source_id) {
                        self.flush(job, source, &prov, std::mem::take(&mut batch))
                            .await
                            .map_err(storage)?;
                        in_batch.clear();
                    }
                    in_batch.insert(h.source_id.clone());
                    batch.push(*h);
                    if batch.len() >= BATCH {
                        self.flush(job, source, &prov, std::mem::take(&mut batch))
                            .await
                            .map_err(storage)?;
                        in_batch.clear();
                    }
                }
                Event::Failed { source_id, reason } => {
                    job.processed += 1;
                    fail(job, source_id.clone(), reason);
                    // Still listed at the source: never withdrawn for failing to read.
                    if let Some(r) = self
                        .registry
                        .log
                        .record_by_source(&prov.source, &source_id)
                        .await
                        .map_err(storage)?
                    {
                        self.registry
                            .log
                            .mark_seen(&job.id, &[r.id])
                            .await
                            .map_err(storage)?;
                    }
                }
                Event::Deleted { source_id } => {
                    self.flush(job, source, &prov, std::mem::take(&mut batch))
                        .await
                        .map_err(storage)?;
                    in_batch.clear();
                    job.processed += 1;
                    if let Some(r) = self
                        .registry
                        .log
                        .record_by_source(&prov.source, &source_id)
                        .await
                        .map_err(storage)?
                    {
                        job.withdrawn += self
                            .registry
                            .withdraw_many(&[r.id], &prov)
                            .await
                            .map_err(storage)? as i64;
                    }
                }
                Event::Total(n) => job.total = Some(n as i64),
                Event::Page { .. } => {
                    // A page's records are written before the next page is read: progress is
                    // visible, and a crash loses at most the page in hand.
                    self.flush(job, source, &prov, std::mem::take(&mut batch))
                        .await
                        .map_err(storage)?;
                    in_batch.clear();
                    job.pages += 1;
                }
            }
            if last_check.elapsed() > Duration::from_millis(500) {
                last_check = std::time::Instant::now();
                self.registry.log.save_job(job).await.map_err(storage)?;
                if let Some(p) = progress {
                    p(job);
                }
                if self
                    .registry
                    .log
                    .cancel_requested(&job.id)
                    .await
                    .map_err(storage)?
                {
                    cancelled = true;
                    break;
                }
            }
        }
        if cancelled {
            drop(rx);
            producer.abort();
            // What was read before the cancellation is kept: each record is whole.
            self.flush(job, source, &prov, batch)
                .await
                .map_err(storage)?;
            return Ok(None);
        }
        self.flush(job, source, &prov, batch)
            .await
            .map_err(storage)?;
        match producer.await {
            Ok(Ok(summary)) => Ok(Some(summary)),
            Ok(Err(harvest::HarvestError::Cancelled)) => Ok(None),
            Ok(Err(e)) => Err(e.to_string()),
            Err(e) => Err(format!("the harvester stopped unexpectedly: {e}")),
        }
    }

    /// Writes a batch: unchanged payloads are recognised by fingerprint, the rest go through
    /// the normal write path, each record failing alone.
    async fn flush(
        &self,
        job: &mut JobRow,
        source: &SourceRow,
        prov: &Provenance,
        batch: Vec<Harvested>,
    ) -> Result<(), StoreError> {
        if batch.is_empty() {
            return Ok(());
        }
        let log = &self.registry.log;
        let mut seen: Vec<String> = Vec::new();
        let mut items: Vec<WriteRecord> = Vec::new();
        let mut metas: Vec<(String, String, Payload)> = Vec::new();
        for h in batch {
            job.processed += 1;
            let fp = fingerprint(&h);
            if let Some(p) = log.harvest_probe(&prov.source, &h.source_id).await?
                && p.status != "withdrawn"
                && p.fingerprint.as_deref() == Some(fp.as_str())
                && p.payload_content_hash.as_deref() == Some(p.content_hash.as_str())
            {
                job.unchanged += 1;
                seen.push(p.record_id);
                continue;
            }
            metas.push((h.source_id.clone(), fp, h.payload));
            items.push(WriteRecord {
                kind: kind_of(h.kind),
                id: None,
                triples: h.triples,
                agency: source.agency.clone(),
                status: None,
                if_match: None,
                source_id: Some(h.source_id),
            });
        }
        let results = self.registry.write_log_each(items, prov).await?;
        let now = now_micros();
        let mut payloads: Vec<PayloadRow> = Vec::new();
        for (res, (sid, fp, payload)) in results.into_iter().zip(metas) {
            match res {
                Ok((outcome, row, _)) => {
                    match outcome {
                        Outcome::Created => job.created += 1,
                        Outcome::Updated => job.updated += 1,
                        Outcome::Unchanged => job.unchanged += 1,
                    }
                    payloads.push(PayloadRow {
                        record_id: row.id.clone(),
                        source_id: source.id.clone(),
                        job_id: job.id.clone(),
                        media_type: payload.media_type,
                        body: String::from_utf8_lossy(&payload.body).into_owned(),
                        fingerprint: fp,
                        content_hash: row.content_hash.clone(),
                        fetched_at: now,
                    });
                    seen.push(row.id);
                }
                Err(e) => {
                    fail(job, sid.clone(), e.to_string());
                    if let Some(r) = log.record_by_source(&prov.source, &sid).await? {
                        seen.push(r.id);
                    }
                }
            }
        }
        log.put_payloads(&payloads).await?;
        log.mark_seen(&job.id, &seen).await?;
        Ok(())
    }

    /// After a listing run: withdraw what the source no longer lists, within the guard.
    async fn withdraw_missing(
        &self,
        job: &mut JobRow,
        source: &SourceRow,
        complete: bool,
    ) -> Result<(), StoreError> {
        if !complete {
            job.message =
                Some("the run did not read the whole source; nothing was withdrawn".into());
            return Ok(());
        }
        let tag = source_tag(&source.id);
        let (total, missing) = self.registry.log.unseen_records(&tag, &job.id).await?;
        if missing.is_empty() {
            return Ok(());
        }
        let share = source
            .config
            .get("max_withdraw_share")
            .and_then(|v| v.as_f64())
            .unwrap_or(self.max_withdraw_share)
            .clamp(0.0, 1.0);
        if missing.len() as f64 > share * total as f64 {
            job.review = true;
            job.held_withdrawals = missing.len() as i64;
            job.message = Some(format!(
                "{} of {} records are missing from the source, more than the allowed share of {:.0}%; nothing was withdrawn — review, then confirm with POST /api/v1/harvest/jobs/{}/withdrawals",
                missing.len(),
                total,
                share * 100.0,
                job.id
            ));
            return Ok(());
        }
        let ids: Vec<String> = missing.into_iter().map(|(id, _)| id).collect();
        job.withdrawn += self
            .registry
            .withdraw_many(
                &ids,
                &Provenance {
                    author: job.author.clone(),
                    source: tag,
                },
            )
            .await? as i64;
        Ok(())
    }

    /// Applies the withdrawals a job held for review (only for the source's latest job).
    pub async fn confirm_withdrawals(
        &self,
        job_id: &str,
        author: &str,
    ) -> Result<JobRow, StoreError> {
        let log = &self.registry.log;
        let mut job = log
            .job(job_id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("harvest job {job_id}")))?;
        if !job.review {
            return Err(StoreError::Conflict(format!(
                "job {job_id} holds no withdrawals for review"
            )));
        }
        let latest = log.jobs(&job.source_id, 1).await?;
        if latest.first().map(|j| j.id.as_str()) != Some(job_id) {
            return Err(StoreError::Conflict(format!(
                "job {job_id} is not the source's latest run; run the source again"
            )));
        }
        let tag = source_tag(&job.source_id);
        let (_, missing) = log.unseen_records(&tag, job_id).await?;
        let ids: Vec<String> = missing.into_iter().map(|(id, _)| id).collect();
        let n = self
            .registry
            .withdraw_many(
                &ids,
                &Provenance {
                    author: author.into(),
                    source: tag,
                },
            )
            .await?;
        job.withdrawn += n as i64;
        job.review = false;
        job.held_withdrawals = 0;
        job.message = Some(format!("{n} withdrawals confirmed after review"));
        if self.registry.graphs.is_some() {
            self.registry.catch_up().await?;
        }
        log.save_job(&job).await?;
        Ok(job)
    }

    /// Starts the scheduler: every few seconds, runs the sources whose time has come. Several
    /// processes may run it; claiming a run is a compare-and-set on the source's next time.
    pub fn spawn_scheduler(self: Arc<Self>, every: Duration) {
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            loop {
                tick.tick().await;
                if let Err(e) = self.schedule_due().await {
                    tracing::warn!(error = %e, "harvest scheduler");
                }
            }
        });
    }

    async fn schedule_due(self: &Arc<Self>) -> Result<(), StoreError> {
        let now = chrono::Utc::now();
        for s in self.registry.log.due_sources(now_micros()).await? {
            let Some(old) = s.next_run_at else { continue };
            let next = Schedule::parse(&s.schedule)
                .ok()
                .and_then(|sch| sch.next_after(now))
                .map(|t| t.timestamp_micros());
            if !self.registry.log.claim_schedule(&s.id, old, next).await? {
                continue;
            }
            if self.registry.log.active_job(&s.id).await?.is_some() {
                continue; // still running from last time: skip this turn
            }
            if s.kind == "sheet" && s.url.is_empty() {
                continue; // uploaded sheets run when uploaded
            }
            match self.start(s.clone(), "schedule", "scheduler", None).await {
                Ok(j) => tracing::info!(source = %s.id, job = %j.id, "scheduled harvest started"),
                Err(e) => {
                    tracing::warn!(source = %s.id, error = %e, "scheduled harvest not started")
                }
            }
        }
        Ok(())
    }
}

fn fail(job: &mut JobRow, identifier: String, reason: String) {
    job.failed += 1;
    if job.failures.len() < MAX_FAILURES {
        job.failures.push(Failure { identifier, reason });
    }
}
