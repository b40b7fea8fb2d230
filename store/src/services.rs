//! Endpoint descriptions of data services (F18), as last fetched: the table the service
//! description refresher writes and the search projection reads.

use crate::StoreError;
use crate::log::{Log, VERSION_COLS, VersionRow, version_row_at};
use sqlx::Row;
use std::collections::HashMap;

/// What was last seen at an endpoint description URL.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ServiceDescription {
    /// The URL.
    pub url: String,
    /// Last fetch attempt, µs since the epoch.
    pub fetched_at: i64,
    /// HTTP status of the last attempt (none on a transport failure).
    pub status: Option<i64>,
    /// Why the last attempt failed, if it did.
    pub error: Option<String>,
    /// Media type of the kept description.
    pub media_type: Option<String>,
    /// The kept description (the last one that could be read).
    pub body: Option<String>,
    /// Searchable text per operation of the kept description.
    pub operations: Vec<String>,
    /// When the kept description was fetched, µs since the epoch.
    pub described_at: Option<i64>,
}

impl Log {
    /// Current versions of the published records of a kind.
    pub async fn published_versions(&self, kind: &str) -> Result<Vec<VersionRow>, StoreError> {
        let cols: String = VERSION_COLS
            .split(", ")
            .map(|c| format!("v.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let rows = sqlx::query(&format!(
            "SELECT {cols} FROM records r JOIN versions v ON v.seq = r.seq WHERE r.kind = $1 AND r.status = 'published' ORDER BY r.seq"
        ))
        .bind(kind)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(version_row_at).collect::<Result<_, _>>()?)
    }

    /// The stored description at a URL.
    pub async fn service_description(
        &self,
        url: &str,
    ) -> Result<Option<ServiceDescription>, StoreError> {
        let row = sqlx::query(
            "SELECT url, fetched_at, status, error, media_type, body, operations, described_at FROM service_descriptions WHERE url = $1",
        )
        .bind(url)
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else { return Ok(None) };
        let ops: String = r.try_get(6)?;
        Ok(Some(ServiceDescription {
            url: r.try_get(0)?,
            fetched_at: r.try_get(1)?,
            status: r.try_get(2)?,
            error: r.try_get(3)?,
            media_type: r.try_get(4)?,
            body: r.try_get(5)?,
            operations: serde_json::from_str(&ops).unwrap_or_default(),
            described_at: r.try_get(7)?,
        }))
    }

    /// When each URL was last fetched (absent: never).
    pub async fn service_fetch_times(
        &self,
        urls: &[String],
    ) -> Result<HashMap<String, i64>, StoreError> {
        let mut out = HashMap::new();
        for u in urls {
            if let Some(r) =
                sqlx::query("SELECT fetched_at FROM service_descriptions WHERE url = $1")
                    .bind(u)
                    .fetch_optional(&self.pool)
                    .await?
            {
                out.insert(u.clone(), r.try_get(0)?);
            }
        }
        Ok(out)
    }

    /// The operation texts of the kept descriptions at these URLs, in the URLs' order.
    pub async fn service_operations(&self, urls: &[String]) -> Result<Vec<String>, StoreError> {
        let mut out = Vec::new();
        for u in urls {
            if let Some(r) =
                sqlx::query("SELECT operations FROM service_descriptions WHERE url = $1")
                    .bind(u)
                    .fetch_optional(&self.pool)
                    .await?
            {
                let ops: String = r.try_get(0)?;
                out.extend(serde_json::from_str::<Vec<String>>(&ops).unwrap_or_default());
            }
        }
        Ok(out)
    }

    /// Records a successful fetch: the description and its operations replace the kept ones.
    /// Returns whether the operations changed (the search index must then re-read the
    /// services naming the URL).
    pub async fn put_service_description(
        &self,
        url: &str,
        at: i64,
        status: i64,
        media_type: Option<&str>,
        body: &str,
        operations: &[String],
    ) -> Result<bool, StoreError> {
        let ops = serde_json::to_string(operations).unwrap_or_else(|_| "[]".into());
        let mut tx = self.begin_write().await?;
        let before: Option<String> =
            sqlx::query("SELECT operations FROM service_descriptions WHERE url = $1")
                .bind(url)
                .fetch_optional(&mut *tx)
                .await?
                .map(|r| r.try_get(0))
                .transpose()?;
        sqlx::query(
            "INSERT INTO service_descriptions (url, fetched_at, status, error, media_type, body, operations, described_at) VALUES ($1, $2, $3, NULL, $4, $5, $6, $2) \
             ON CONFLICT (url) DO UPDATE SET fetched_at = excluded.fetched_at, status = excluded.status, error = NULL, media_type = excluded.media_type, \
             body = excluded.body, operations = excluded.operations, described_at = excluded.described_at",
        )
        .bind(url)
        .bind(at)
        .bind(status)
        .bind(media_type)
        .bind(body)
        .bind(&ops)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(before.as_deref() != Some(ops.as_str()))
    }

    /// Records a failed fetch; a description kept from an earlier fetch stays (and stays
    /// searchable), with the failure noted beside it.
    pub async fn put_service_failure(
        &self,
        url: &str,
        at: i64,
        status: Option<i64>,
        error: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO service_descriptions (url, fetched_at, status, error) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (url) DO UPDATE SET fetched_at = excluded.fetched_at, status = excluded.status, error = excluded.error",
        )
        .bind(url)
        .bind(at)
        .bind(status)
        .bind(error)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
