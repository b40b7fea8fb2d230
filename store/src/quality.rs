//! SQL for quality reports, score history, record links and link checks.

use crate::StoreError;
use crate::log::Log;
use sqlx::Row;
use std::collections::HashMap;

/// A stored report row.
#[derive(Debug, Clone)]
pub struct StoredReport {
    /// Record id.
    pub record_id: String,
    /// Record kind.
    pub kind: String,
    /// Owning agency.
    pub agency: String,
    /// Content hash the report is about.
    pub content_hash: String,
    /// Score.
    pub score: i64,
    /// Maximum score.
    pub max_score: i64,
    /// SHACL violations.
    pub violations: i64,
    /// SHACL warnings.
    pub warnings: i64,
    /// The report, JSON.
    pub report: String,
}

/// A published record's current score and what deciding who may see it needs.
#[derive(Debug, Clone)]
pub struct ScoreRow {
    /// Record id.
    pub id: String,
    /// Kind.
    pub kind: String,
    /// Owning agency.
    pub agency: String,
    /// Score.
    pub score: i64,
    /// Maximum.
    pub max_score: i64,
    /// SHACL violations.
    pub violations: i64,
    /// Visibility.
    pub visibility: String,
    /// `|a|b|` agencies a NON_PUBLIC record is shared with.
    pub shared_with: String,
}

/// What the link checker last saw.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct LinkCheck {
    /// The URL.
    pub url: String,
    /// Answered 2xx or 3xx.
    pub ok: bool,
    /// HTTP status, when there was an answer.
    pub status: Option<i64>,
    /// Why it failed, when it did.
    pub error: Option<String>,
    /// When, RFC 3339.
    pub checked_at: String,
}

impl Log {
    /// Stores a record's report; appends to its score history when the score changed.
    pub async fn put_quality(
        &self,
        r: &StoredReport,
        urls: &[String],
        at: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM quality_reports WHERE record_id = $1")
            .bind(&r.record_id)
            .execute(&mut *tx)
            .await?;
        let last: Option<i64> = sqlx::query(
            "SELECT score FROM quality_history WHERE record_id = $1 ORDER BY at DESC LIMIT 1",
        )
        .bind(&r.record_id)
        .fetch_optional(&mut *tx)
        .await?
        .map(|row| row.try_get(0))
        .transpose()?;
        sqlx::query("INSERT INTO quality_reports (record_id, kind, agency, content_hash, score, max_score, violations, warnings, report, computed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
            .bind(&r.record_id)
            .bind(&r.kind)
            .bind(&r.agency)
            .bind(&r.content_hash)
            .bind(r.score)
            .bind(r.max_score)
            .bind(r.violations)
            .bind(r.warnings)
            .bind(&r.report)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        if last != Some(r.score) {
            sqlx::query("DELETE FROM quality_history WHERE record_id = $1 AND at = $2")
                .bind(&r.record_id)
                .bind(at)
                .execute(&mut *tx)
                .await?;
            sqlx::query("INSERT INTO quality_history (record_id, at, score, max_score) VALUES ($1, $2, $3, $4)")
                .bind(&r.record_id)
                .bind(at)
                .bind(r.score)
                .bind(r.max_score)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("DELETE FROM record_links WHERE record_id = $1")
            .bind(&r.record_id)
            .execute(&mut *tx)
            .await?;
        for u in urls {
            sqlx::query("INSERT INTO record_links (record_id, url) VALUES ($1, $2)")
                .bind(&r.record_id)
                .bind(u)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// A record's stored report.
    pub async fn quality(&self, record_id: &str) -> Result<Option<StoredReport>, StoreError> {
        let row = sqlx::query("SELECT record_id, kind, agency, content_hash, score, max_score, violations, warnings, report FROM quality_reports WHERE record_id = $1")
            .bind(record_id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| {
            Ok(StoredReport {
                record_id: r.try_get(0)?,
                kind: r.try_get(1)?,
                agency: r.try_get(2)?,
                content_hash: r.try_get(3)?,
                score: r.try_get(4)?,
                max_score: r.try_get(5)?,
                violations: r.try_get(6)?,
                warnings: r.try_get(7)?,
                report: r.try_get(8)?,
            })
        })
        .transpose()
        .map_err(|e: sqlx::Error| e.into())
    }

    /// Current scores of published records.
    pub async fn quality_scores(&self) -> Result<Vec<ScoreRow>, StoreError> {
        let rows = sqlx::query("SELECT q.record_id, q.kind, r.agency, q.score, q.max_score, q.violations, r.visibility, r.shared_with FROM quality_reports q JOIN records r ON r.id = q.record_id AND r.content_hash = q.content_hash WHERE r.status = 'published' ORDER BY q.record_id")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(ScoreRow {
                    id: r.try_get(0)?,
                    kind: r.try_get(1)?,
                    agency: r.try_get(2)?,
                    score: r.try_get(3)?,
                    max_score: r.try_get(4)?,
                    violations: r.try_get(5)?,
                    visibility: r.try_get(6)?,
                    shared_with: r.try_get(7)?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }

    /// Each record's score as it was just before `at` (µs): the latest history entry before it.
    pub async fn scores_before(&self, at: i64) -> Result<HashMap<String, (i64, i64)>, StoreError> {
        let rows = sqlx::query(
            "SELECT record_id, at, score, max_score FROM quality_history WHERE at < $1 ORDER BY record_id, at",
        )
        .bind(at)
        .fetch_all(&self.pool)
        .await?;
        let mut out = HashMap::new();
        for r in &rows {
            out.insert(r.try_get::<String, _>(0)?, (r.try_get(2)?, r.try_get(3)?));
        }
        Ok(out)
    }

    /// Ids of records whose current content has no report yet (backfill).
    pub async fn unassessed(&self, limit: i64) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query(&format!("SELECT r.id FROM records r LEFT JOIN quality_reports q ON q.record_id = r.id AND q.content_hash = r.content_hash WHERE q.record_id IS NULL AND r.kind <> 'agency' AND r.status <> 'withdrawn' ORDER BY r.id LIMIT {}", limit.max(1)))
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| r.try_get(0))
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }

    /// What the link checker last saw for these URLs.
    pub async fn link_checks(&self, urls: &[String]) -> Result<Vec<LinkCheck>, StoreError> {
        let mut out = Vec::new();
        for u in urls {
            let row = sqlx::query(
                "SELECT url, ok, status, error, checked_at FROM link_checks WHERE url = $1",
            )
            .bind(u)
            .fetch_optional(&self.pool)
            .await?;
            if let Some(r) = row {
                out.push(LinkCheck {
                    url: r.try_get(0)?,
                    ok: r.try_get::<i64, _>(1)? != 0,
                    status: r.try_get(2)?,
                    error: r.try_get(3)?,
                    checked_at: record::dates::rfc3339(r.try_get(4)?),
                });
            }
        }
        Ok(out)
    }

    /// URLs due for a check: never checked, or last checked before `before` (µs).
    pub async fn links_due(&self, before: i64, limit: i64) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query(&format!("SELECT DISTINCT l.url FROM record_links l JOIN records r ON r.id = l.record_id AND r.status = 'published' LEFT JOIN link_checks c ON c.url = l.url WHERE c.url IS NULL OR c.checked_at < $1 ORDER BY l.url LIMIT {}", limit.max(1)))
            .bind(before)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| r.try_get(0))
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }

    /// Records a check; returns whether the URL's verdict changed.
    pub async fn put_link_check(
        &self,
        url: &str,
        ok: bool,
        status: Option<i64>,
        error: Option<&str>,
        at: i64,
    ) -> Result<bool, StoreError> {
        // Read before the transaction: in SQLite a transaction that reads and then writes
        // cannot wait for another writer (SQLITE_BUSY at once); one that only writes waits.
        let before: Option<i64> = sqlx::query("SELECT ok FROM link_checks WHERE url = $1")
            .bind(url)
            .fetch_optional(&self.pool)
            .await?
            .map(|r| r.try_get(0))
            .transpose()?;
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM link_checks WHERE url = $1")
            .bind(url)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO link_checks (url, ok, status, error, checked_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(url)
            .bind(ok as i64)
            .bind(status)
            .bind(error)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(before != Some(ok as i64))
    }

    /// Records pointing at a URL.
    pub async fn records_linking(&self, url: &str) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query("SELECT record_id FROM record_links WHERE url = $1")
            .bind(url)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| r.try_get(0))
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }
}

impl Log {
    /// Published records of `kind` with their titles (Vietnamese, English), by id: what the
    /// duplicate finder compares.
    #[allow(clippy::type_complexity)]
    pub async fn titles(
        &self,
        kind: &str,
    ) -> Result<Vec<(String, String, Option<String>, Option<String>)>, StoreError> {
        let rows = sqlx::query("SELECT id, agency, title_vi, title_en FROM records WHERE kind = $1 AND status = 'published' ORDER BY id")
            .bind(kind)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?)))
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }
}
