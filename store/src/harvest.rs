//! The harvest tables: sources, jobs, original payloads, and the "seen by job" mark on records
//! that deletion detection reads. Plain SQL through the same pool as the change log.

use crate::StoreError;
use crate::log::{Log, now_micros};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

/// A registered source.
#[derive(Debug, Clone)]
pub struct SourceRow {
    /// Identifier.
    pub id: String,
    /// Name shown to people.
    pub name: String,
    /// `dcat`, `ckan` or `sheet`.
    pub kind: String,
    /// Where it is read from (empty for a sheet that is uploaded on each run).
    pub url: String,
    /// The owning agency: its records belong to it.
    pub agency: String,
    /// `manual`, an interval (`6h`, `1d`, `PT30M`) or a cron expression.
    pub schedule: String,
    /// Kind-specific settings.
    pub config: serde_json::Value,
    /// What the last complete run left for the next (an LDES position).
    pub state: Option<serde_json::Value>,
    /// Next scheduled run (microseconds), if scheduled.
    pub next_run_at: Option<i64>,
    /// Created (microseconds).
    pub created_at: i64,
    /// Last changed (microseconds).
    pub updated_at: i64,
}

/// One failed record of a job.
#[derive(Debug, Clone, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Failure {
    /// Its identifier at the source (or its row or position).
    pub identifier: String,
    /// Why it failed.
    pub reason: String,
}

/// A harvest job.
#[derive(Debug, Clone, Default)]
pub struct JobRow {
    /// Identifier.
    pub id: String,
    /// The source.
    pub source_id: String,
    /// `queued`, `running`, `succeeded`, `failed`, `cancelled`.
    pub status: String,
    /// `manual`, `schedule`, `cli`.
    pub trigger: String,
    /// Who started it.
    pub author: String,
    /// Times, microseconds.
    pub created_at: i64,
    /// Started.
    pub started_at: Option<i64>,
    /// Finished.
    pub finished_at: Option<i64>,
    /// Pages read.
    pub pages: i64,
    /// Records the source announced.
    pub total: Option<i64>,
    /// Records handled so far.
    pub processed: i64,
    /// Counts.
    pub created: i64,
    /// Counts.
    pub updated: i64,
    /// Counts.
    pub unchanged: i64,
    /// Counts.
    pub withdrawn: i64,
    /// Counts.
    pub failed: i64,
    /// Whether the whole source was read.
    pub complete: bool,
    /// Whether withdrawals were held for review.
    pub review: bool,
    /// How many withdrawals were held.
    pub held_withdrawals: i64,
    /// Whether cancellation was asked for.
    pub cancel_requested: bool,
    /// Why it failed, or a note.
    pub message: Option<String>,
    /// Problems that did not stop it.
    pub warnings: Vec<String>,
    /// Failed records (the first thousand).
    pub failures: Vec<Failure>,
}

/// Most failures kept per job; the count goes on.
pub const MAX_FAILURES: usize = 1000;

const SOURCE_COLS: &str =
    "id, name, kind, url, agency, schedule, config, state, next_run_at, created_at, updated_at";
const JOB_COLS: &str = "id, source_id, status, trigger_kind, author, created_at, started_at, finished_at, pages, total, processed, created, updated, unchanged, withdrawn, failed, complete, review, held_withdrawals, cancel_requested, message, warnings, failures";

fn source_row(r: &AnyRow) -> Result<SourceRow, sqlx::Error> {
    let config: String = r.try_get(6)?;
    let state: Option<String> = r.try_get(7)?;
    Ok(SourceRow {
        id: r.try_get(0)?,
        name: r.try_get(1)?,
        kind: r.try_get(2)?,
        url: r.try_get(3)?,
        agency: r.try_get(4)?,
        schedule: r.try_get(5)?,
        config: serde_json::from_str(&config).unwrap_or(serde_json::Value::Null),
        state: state.and_then(|s| serde_json::from_str(&s).ok()),
        next_run_at: r.try_get(8)?,
        created_at: r.try_get(9)?,
        updated_at: r.try_get(10)?,
    })
}

fn job_row(r: &AnyRow) -> Result<JobRow, sqlx::Error> {
    let warnings: String = r.try_get(21)?;
    let failures: String = r.try_get(22)?;
    Ok(JobRow {
        id: r.try_get(0)?,
        source_id: r.try_get(1)?,
        status: r.try_get(2)?,
        trigger: r.try_get(3)?,
        author: r.try_get(4)?,
        created_at: r.try_get(5)?,
        started_at: r.try_get(6)?,
        finished_at: r.try_get(7)?,
        pages: r.try_get(8)?,
        total: r.try_get(9)?,
        processed: r.try_get(10)?,
        created: r.try_get(11)?,
        updated: r.try_get(12)?,
        unchanged: r.try_get(13)?,
        withdrawn: r.try_get(14)?,
        failed: r.try_get(15)?,
        complete: r.try_get::<i64, _>(16)? != 0,
        review: r.try_get::<i64, _>(17)? != 0,
        held_withdrawals: r.try_get(18)?,
        cancel_requested: r.try_get::<i64, _>(19)? != 0,
        message: r.try_get(20)?,
        warnings: serde_json::from_str(&warnings).unwrap_or_default(),
        failures: serde_json::from_str(&failures).unwrap_or_default(),
    })
}

/// The original payload of a harvested record.
#[derive(Debug, Clone)]
pub struct PayloadRow {
    /// The record.
    pub record_id: String,
    /// The harvest source.
    pub source_id: String,
    /// The job that fetched it.
    pub job_id: String,
    /// Its media type.
    pub media_type: String,
    /// The bytes, as text.
    pub body: String,
    /// A blank-node-independent hash of what the payload produced (the unchanged shortcut).
    pub fingerprint: String,
    /// The record's content hash when this payload was last applied.
    pub content_hash: String,
    /// When it was fetched (microseconds).
    pub fetched_at: i64,
}

impl Log {
    /// Registers a source.
    pub async fn insert_source(&self, s: &SourceRow) -> Result<(), StoreError> {
        sqlx::query(&format!(
            "INSERT INTO harvest_sources ({SOURCE_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
        ))
        .bind(&s.id)
        .bind(&s.name)
        .bind(&s.kind)
        .bind(&s.url)
        .bind(&s.agency)
        .bind(&s.schedule)
        .bind(s.config.to_string())
        .bind(s.state.as_ref().map(|v| v.to_string()))
        .bind(s.next_run_at)
        .bind(s.created_at)
        .bind(s.updated_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Replaces a source's settings (not its state).
    pub async fn update_source(&self, s: &SourceRow) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE harvest_sources SET name = $1, kind = $2, url = $3, agency = $4, schedule = $5, config = $6, next_run_at = $7, updated_at = $8 WHERE id = $9",
        )
        .bind(&s.name)
        .bind(&s.kind)
        .bind(&s.url)
        .bind(&s.agency)
        .bind(&s.schedule)
        .bind(s.config.to_string())
        .bind(s.next_run_at)
        .bind(s.updated_at)
        .bind(&s.id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Stores what a run hands to the next.
    pub async fn set_source_state(
        &self,
        id: &str,
        state: &serde_json::Value,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE harvest_sources SET state = $1 WHERE id = $2")
            .bind(state.to_string())
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Deletes a source and its job history. Its records stay (they belong to the agency).
    pub async fn delete_source(&self, id: &str) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM harvest_jobs WHERE source_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let n = sqlx::query("DELETE FROM harvest_sources WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        Ok(n == 1)
    }

    /// A source by id.
    pub async fn source(&self, id: &str) -> Result<Option<SourceRow>, StoreError> {
        let r = sqlx::query(&format!(
            "SELECT {SOURCE_COLS} FROM harvest_sources WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(r.as_ref().map(source_row).transpose()?)
    }

    /// All sources, optionally of one agency, by name.
    pub async fn sources(&self, agency: Option<&str>) -> Result<Vec<SourceRow>, StoreError> {
        let rows =
            match agency {
                Some(a) => sqlx::query(&format!(
                    "SELECT {SOURCE_COLS} FROM harvest_sources WHERE agency = $1 ORDER BY name, id"
                ))
                .bind(a)
                .fetch_all(&self.pool)
                .await?,
                None => {
                    sqlx::query(&format!(
                        "SELECT {SOURCE_COLS} FROM harvest_sources ORDER BY name, id"
                    ))
                    .fetch_all(&self.pool)
                    .await?
                }
            };
        Ok(rows.iter().map(source_row).collect::<Result<_, _>>()?)
    }

    /// Sources whose scheduled time has come.
    pub async fn due_sources(&self, now: i64) -> Result<Vec<SourceRow>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {SOURCE_COLS} FROM harvest_sources WHERE next_run_at IS NOT NULL AND next_run_at <= $1"
        ))
        .bind(now)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(source_row).collect::<Result<_, _>>()?)
    }

    /// Moves a source's next run from `old` to `new`; `false` when another scheduler did first.
    pub async fn claim_schedule(
        &self,
        id: &str,
        old: i64,
        new: Option<i64>,
    ) -> Result<bool, StoreError> {
        let n = sqlx::query(
            "UPDATE harvest_sources SET next_run_at = $1 WHERE id = $2 AND next_run_at = $3",
        )
        .bind(new)
        .bind(id)
        .bind(old)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(n == 1)
    }

    /// Creates a job (queued).
    pub async fn insert_job(&self, j: &JobRow) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO harvest_jobs (id, source_id, status, trigger_kind, author, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&j.id)
        .bind(&j.source_id)
        .bind(&j.status)
        .bind(&j.trigger)
        .bind(&j.author)
        .bind(j.created_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Writes a job's progress and outcome.
    pub async fn save_job(&self, j: &JobRow) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE harvest_jobs SET status = $1, started_at = $2, finished_at = $3, pages = $4, total = $5, processed = $6, created = $7, updated = $8, \
             unchanged = $9, withdrawn = $10, failed = $11, complete = $12, review = $13, held_withdrawals = $14, message = $15, warnings = $16, failures = $17 WHERE id = $18",
        )
        .bind(&j.status)
        .bind(j.started_at)
        .bind(j.finished_at)
        .bind(j.pages)
        .bind(j.total)
        .bind(j.processed)
        .bind(j.created)
        .bind(j.updated)
        .bind(j.unchanged)
        .bind(j.withdrawn)
        .bind(j.failed)
        .bind(j.complete as i64)
        .bind(j.review as i64)
        .bind(j.held_withdrawals)
        .bind(&j.message)
        .bind(serde_json::to_string(&j.warnings).unwrap_or_else(|_| "[]".into()))
        .bind(serde_json::to_string(&j.failures).unwrap_or_else(|_| "[]".into()))
        .bind(&j.id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Asks a job to stop; `false` when it is already finished.
    pub async fn request_cancel(&self, id: &str) -> Result<bool, StoreError> {
        let n = sqlx::query(
            "UPDATE harvest_jobs SET cancel_requested = 1 WHERE id = $1 AND status IN ('queued', 'running')",
        )
        .bind(id)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(n == 1)
    }

    /// Whether cancellation was asked for.
    pub async fn cancel_requested(&self, id: &str) -> Result<bool, StoreError> {
        let r = sqlx::query("SELECT cancel_requested FROM harvest_jobs WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(match r {
            Some(r) => r.try_get::<i64, _>(0)? != 0,
            None => true,
        })
    }

    /// A job by id.
    pub async fn job(&self, id: &str) -> Result<Option<JobRow>, StoreError> {
        let r = sqlx::query(&format!(
            "SELECT {JOB_COLS} FROM harvest_jobs WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(r.as_ref().map(job_row).transpose()?)
    }

    /// A source's jobs, newest first.
    pub async fn jobs(&self, source_id: &str, limit: i64) -> Result<Vec<JobRow>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {JOB_COLS} FROM harvest_jobs WHERE source_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2"
        ))
        .bind(source_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(job_row).collect::<Result<_, _>>()?)
    }

    /// Whether a source has a job queued or running.
    pub async fn active_job(&self, source_id: &str) -> Result<Option<String>, StoreError> {
        let r = sqlx::query(
            "SELECT id FROM harvest_jobs WHERE source_id = $1 AND status IN ('queued', 'running') LIMIT 1",
        )
        .bind(source_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(r.map(|r| r.try_get::<String, _>(0)).transpose()?)
    }

    /// Marks jobs left queued or running by a stopped process as failed. Returns how many.
    pub async fn fail_interrupted_jobs(&self, message: &str) -> Result<u64, StoreError> {
        Ok(sqlx::query(
            "UPDATE harvest_jobs SET status = 'failed', message = $1, finished_at = $2 WHERE status IN ('queued', 'running')",
        )
        .bind(message)
        .bind(now_micros())
        .execute(&self.pool)
        .await?
        .rows_affected())
    }

    /// Marks records as seen by a job.
    pub async fn mark_seen(&self, job_id: &str, record_ids: &[String]) -> Result<(), StoreError> {
        for chunk in record_ids.chunks(500) {
            let placeholders: Vec<String> =
                (0..chunk.len()).map(|i| format!("${}", i + 2)).collect();
            let sql = format!(
                "UPDATE records SET seen_job = $1 WHERE id IN ({})",
                placeholders.join(", ")
            );
            let mut q = sqlx::query(&sql).bind(job_id);
            for id in chunk {
                q = q.bind(id);
            }
            q.execute(&self.pool).await?;
        }
        Ok(())
    }

    /// Records of a source that are not withdrawn: (total, not seen by `job_id`).
    pub async fn unseen_records(
        &self,
        source: &str,
        job_id: &str,
    ) -> Result<(i64, Vec<(String, String)>), StoreError> {
        let total: i64 =
            sqlx::query("SELECT COUNT(*) FROM records WHERE source = $1 AND status <> 'withdrawn'")
                .bind(source)
                .fetch_one(&self.pool)
                .await?
                .try_get(0)?;
        let rows = sqlx::query(
            "SELECT id, kind FROM records WHERE source = $1 AND status <> 'withdrawn' AND (seen_job IS NULL OR seen_job <> $2) ORDER BY id",
        )
        .bind(source)
        .bind(job_id)
        .fetch_all(&self.pool)
        .await?;
        let missing = rows
            .iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect::<Result<_, sqlx::Error>>()?;
        Ok((total, missing))
    }

    /// Stores (or replaces) records' original payloads, in one transaction.
    pub async fn put_payloads(&self, rows: &[PayloadRow]) -> Result<(), StoreError> {
        if rows.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin_write().await?;
        for p in rows {
            Self::payload_query(p).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    fn payload_query(
        p: &PayloadRow,
    ) -> sqlx::query::Query<'_, sqlx::Any, sqlx::any::AnyArguments<'_>> {
        sqlx::query(
            "INSERT INTO harvest_payloads (record_id, source_id, job_id, media_type, body, fingerprint, content_hash, fetched_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (record_id) DO UPDATE SET source_id = excluded.source_id, job_id = excluded.job_id, media_type = excluded.media_type, body = excluded.body, \
             fingerprint = excluded.fingerprint, content_hash = excluded.content_hash, fetched_at = excluded.fetched_at",
        )
        .bind(&p.record_id)
        .bind(&p.source_id)
        .bind(&p.job_id)
        .bind(&p.media_type)
        .bind(&p.body)
        .bind(&p.fingerprint)
        .bind(&p.content_hash)
        .bind(p.fetched_at)
    }

    /// A record's original payload.
    pub async fn payload(&self, record_id: &str) -> Result<Option<PayloadRow>, StoreError> {
        let r = sqlx::query(
            "SELECT record_id, source_id, job_id, media_type, body, fingerprint, content_hash, fetched_at FROM harvest_payloads WHERE record_id = $1",
        )
        .bind(record_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(r.map(|r| -> Result<PayloadRow, sqlx::Error> {
            Ok(PayloadRow {
                record_id: r.try_get(0)?,
                source_id: r.try_get(1)?,
                job_id: r.try_get(2)?,
                media_type: r.try_get(3)?,
                body: r.try_get(4)?,
                fingerprint: r.try_get(5)?,
                content_hash: r.try_get(6)?,
                fetched_at: r.try_get(7)?,
            })
        })
        .transpose()?)
    }

    /// What a harvest needs to know about a source record in one query: its id, status,
    /// content hash, and the fingerprint and content hash of its last applied payload.
    pub async fn harvest_probe(
        &self,
        source: &str,
        source_id: &str,
    ) -> Result<Option<Probe>, StoreError> {
        let r = sqlx::query(
            "SELECT r.id, r.status, r.content_hash, p.fingerprint, p.content_hash FROM records r \
             LEFT JOIN harvest_payloads p ON p.record_id = r.id WHERE r.source = $1 AND r.source_id = $2",
        )
        .bind(source)
        .bind(source_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(r.map(|r| -> Result<Probe, sqlx::Error> {
            Ok(Probe {
                record_id: r.try_get(0)?,
                status: r.try_get(1)?,
                content_hash: r.try_get(2)?,
                fingerprint: r.try_get(3)?,
                payload_content_hash: r.try_get(4)?,
            })
        })
        .transpose()?)
    }
}

/// See [`Log::harvest_probe`].
#[derive(Debug, Clone)]
pub struct Probe {
    /// Record id.
    pub record_id: String,
    /// Its status.
    pub status: String,
    /// Its content hash.
    pub content_hash: String,
    /// Fingerprint of its last applied payload.
    pub fingerprint: Option<String>,
    /// Its content hash when that payload was applied.
    pub payload_content_hash: Option<String>,
}
