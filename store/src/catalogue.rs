//! SQL behind the catalogue of databases (R1): requests to add, change or withdraw an entry,
//! their decisions, and the numbered issues each approval produces, with the current entries.

use crate::StoreError;
use crate::log::{Log, RecordRow, now_micros};
use record::shacl::Finding;
use serde::{Deserialize, Serialize};
use sqlx::Row;

/// What a request asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// A new entry.
    Add,
    /// A new description of an entry.
    Change,
    /// Remove an entry.
    Withdraw,
}

impl Action {
    /// The word stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Add => "add",
            Action::Change => "change",
            Action::Withdraw => "withdraw",
        }
    }

    /// From the stored word.
    pub fn parse(s: &str) -> Option<Action> {
        match s {
            "add" => Some(Action::Add),
            "change" => Some(Action::Change),
            "withdraw" => Some(Action::Withdraw),
            _ => None,
        }
    }
}

/// A request, as stored and served.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Request {
    /// Id (UUID v7).
    pub id: String,
    /// The requesting agency.
    pub agency: String,
    /// What it asks.
    pub action: Action,
    /// The entry (change, withdraw; and, once approved, add).
    pub record: Option<String>,
    /// The written justification.
    pub justification: String,
    /// The proposed description (add, change), N-Triples.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// DCAT-AP-VN and DCAT-AP findings on the proposed description, for the reviewer.
    pub findings: Vec<Finding>,
    /// `pending`, `approved` or `rejected`.
    pub status: String,
    /// Who submitted it.
    pub submitted_by: String,
    /// When (RFC 3339).
    pub submitted_at: String,
    /// Who decided.
    pub decided_by: Option<String>,
    /// When (RFC 3339).
    pub decided_at: Option<String>,
    /// The reviewer's reason (required to reject).
    pub reason: Option<String>,
    /// The catalogue issue the approval produced.
    pub issue: Option<i64>,
}

/// One entry of an issue: the record and the version the issue pins.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Entry {
    /// Record id.
    pub record: String,
    /// Record IRI.
    pub iri: String,
    /// Owning agency.
    pub agency: String,
    /// The pinned version.
    pub version: i64,
    /// Its content hash.
    pub content_hash: String,
    /// Title in Vietnamese.
    pub title_vi: Option<String>,
    /// Title in English.
    pub title_en: Option<String>,
    /// Visibility of the pinned version.
    pub visibility: String,
    /// Agencies a NON_PUBLIC entry is shared with (`|a|b|`).
    #[serde(default)]
    pub shared_with: String,
}

/// A numbered, dated state of the catalogue.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Issue {
    /// Number, from 1.
    pub number: i64,
    /// When (RFC 3339).
    pub issued_at: String,
    /// The same day, dd/mm/yyyy in the province.
    pub issued_vn: String,
    /// The approved request that produced it.
    pub request: String,
    /// The entries.
    pub entries: Vec<Entry>,
}

/// The entry an issue pins for a record in its current state.
pub fn entry(r: &RecordRow) -> Entry {
    Entry {
        record: r.id.clone(),
        iri: r.iri.clone(),
        agency: r.agency.clone(),
        version: r.version,
        content_hash: r.content_hash.clone(),
        title_vi: r.title_vi.clone(),
        title_en: r.title_en.clone(),
        visibility: r.visibility.clone(),
        shared_with: r.shared_with.clone(),
    }
}

/// A request as submitted, before it is stored.
#[derive(Debug, Clone)]
pub struct NewRequest<'a> {
    /// The requesting agency.
    pub agency: &'a str,
    /// What it asks.
    pub action: Action,
    /// The entry it names (change, withdraw).
    pub record: Option<&'a str>,
    /// The written justification.
    pub justification: &'a str,
    /// The proposed description, N-Triples (add, change).
    pub description: Option<&'a str>,
    /// The findings on it.
    pub findings: &'a [Finding],
    /// Who submits it.
    pub author: &'a str,
}

impl Log {
    /// Whether the record is an entry of the current catalogue of databases.
    pub async fn is_catalogue_entry(&self, record_id: &str) -> Result<bool, StoreError> {
        Ok(
            sqlx::query("SELECT 1 FROM catalogue_entries WHERE record_id = $1")
                .bind(record_id)
                .fetch_optional(&self.pool)
                .await?
                .is_some(),
        )
    }

    /// Stores a pending request; returns its id (UUID v7).
    pub async fn insert_request(&self, r: &NewRequest<'_>) -> Result<String, StoreError> {
        let id = uuid::Uuid::now_v7().to_string();
        sqlx::query("INSERT INTO catalogue_requests (id, agency, action, record_id, justification, media_type, description, findings, status, submitted_by, submitted_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9, $10)")
            .bind(&id)
            .bind(r.agency)
            .bind(r.action.as_str())
            .bind(r.record)
            .bind(r.justification)
            .bind(r.description.map(|_| "application/n-triples"))
            .bind(r.description)
            .bind(serde_json::to_string(r.findings).unwrap_or_else(|_| "[]".into()))
            .bind(r.author)
            .bind(now_micros())
            .execute(&self.pool)
            .await?;
        Ok(id)
    }

    /// A request.
    pub async fn request(&self, id: &str) -> Result<Option<Request>, StoreError> {
        let row = sqlx::query(&format!("{REQUEST_SELECT} WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| request_row(&r)).transpose()
    }

    /// Requests, newest first, filtered by agency and status (empty: any).
    pub async fn requests(&self, agency: &str, status: &str) -> Result<Vec<Request>, StoreError> {
        let rows = sqlx::query(&format!(
            "{REQUEST_SELECT} WHERE ($1 = '' OR agency = $1) AND ($2 = '' OR status = $2) ORDER BY submitted_at DESC, id DESC"
        ))
        .bind(agency)
        .bind(status)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(request_row).collect()
    }

    /// Decides a pending request without issuing anything (a rejection); false when it was
    /// not pending (or does not exist).
    pub async fn decide_request(
        &self,
        id: &str,
        status: &str,
        by: &str,
        reason: Option<&str>,
    ) -> Result<bool, StoreError> {
        let n = sqlx::query("UPDATE catalogue_requests SET status = $1, decided_by = $2, decided_at = $3, reason = $4 WHERE id = $5 AND status = 'pending'")
            .bind(status)
            .bind(by)
            .bind(now_micros())
            .bind(reason)
            .bind(id)
            .execute(&self.pool)
            .await?
            .rows_affected();
        Ok(n == 1)
    }

    /// Approves a pending request and issues the next state of the catalogue with `entries`,
    /// in one transaction: the issue (its number taken by the insert), the current entries,
    /// and the request's decision. `None` when the request was decided meanwhile (nothing is
    /// written); else the issue's number.
    pub async fn issue_catalogue(
        &self,
        request_id: &str,
        by: &str,
        reason: Option<&str>,
        record: &str,
        entries: &[Entry],
    ) -> Result<Option<i64>, StoreError> {
        let at = now_micros();
        let mut tx = self.begin_write().await?;
        let next: i64 = sqlx::query(
            "INSERT INTO catalogue_issues (number, issued_at, request_id, entries) \
             SELECT COALESCE(MAX(number), 0) + 1, $1, $2, $3 FROM catalogue_issues RETURNING number",
        )
        .bind(at)
        .bind(request_id)
        .bind(serde_json::to_string(entries).unwrap_or_else(|_| "[]".into()))
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        sqlx::query("DELETE FROM catalogue_entries")
            .execute(&mut *tx)
            .await?;
        for e in entries {
            sqlx::query("INSERT INTO catalogue_entries (record_id) VALUES ($1)")
                .bind(&e.record)
                .execute(&mut *tx)
                .await?;
        }
        let done = sqlx::query("UPDATE catalogue_requests SET status = 'approved', decided_by = $1, decided_at = $2, reason = $3, result_record = $4, issue = $5 WHERE id = $6 AND status = 'pending'")
            .bind(by)
            .bind(at)
            .bind(reason)
            .bind(record)
            .bind(next)
            .bind(request_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if done != 1 {
            return Ok(None);
        }
        tx.commit().await?;
        Ok(Some(next))
    }

    /// The latest issue, if any.
    pub async fn latest_issue(&self) -> Result<Option<Issue>, StoreError> {
        self.issue_where("ORDER BY number DESC LIMIT 1", None).await
    }

    /// An issue by number.
    pub async fn issue(&self, number: i64) -> Result<Option<Issue>, StoreError> {
        self.issue_where("WHERE number = $1", Some(number)).await
    }

    /// Every issue, oldest first (entries included).
    pub async fn issues(&self) -> Result<Vec<Issue>, StoreError> {
        let rows = sqlx::query(
            "SELECT number, issued_at, request_id, entries FROM catalogue_issues ORDER BY number",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(issue_row).collect()
    }

    async fn issue_where(&self, tail: &str, n: Option<i64>) -> Result<Option<Issue>, StoreError> {
        let sql =
            format!("SELECT number, issued_at, request_id, entries FROM catalogue_issues {tail}");
        let mut q = sqlx::query(&sql);
        if let Some(n) = n {
            q = q.bind(n);
        }
        let row = q.fetch_optional(&self.pool).await?;
        row.as_ref().map(issue_row).transpose()
    }
}

const REQUEST_SELECT: &str = "SELECT id, agency, action, record_id, justification, description, findings, status, submitted_by, submitted_at, decided_by, decided_at, reason, result_record, issue FROM catalogue_requests";

fn request_row(r: &sqlx::any::AnyRow) -> Result<Request, StoreError> {
    let action: String = r.try_get(2)?;
    let record: Option<String> = r.try_get(3)?;
    let result: Option<String> = r.try_get(13)?;
    Ok(Request {
        id: r.try_get(0)?,
        agency: r.try_get(1)?,
        action: Action::parse(&action).unwrap_or(Action::Change),
        record: record.or(result),
        justification: r.try_get(4)?,
        description: r.try_get(5)?,
        findings: serde_json::from_str(&r.try_get::<String, _>(6)?).unwrap_or_default(),
        status: r.try_get(7)?,
        submitted_by: r.try_get(8)?,
        submitted_at: record::dates::rfc3339(r.try_get(9)?),
        decided_by: r.try_get(10)?,
        decided_at: r.try_get::<Option<i64>, _>(11)?.map(record::dates::rfc3339),
        reason: r.try_get(12)?,
        issue: r.try_get(14)?,
    })
}

fn issue_row(r: &sqlx::any::AnyRow) -> Result<Issue, StoreError> {
    let at: i64 = r.try_get(1)?;
    let day = chrono::DateTime::from_timestamp_micros(at)
        .map(|d| {
            d.with_timezone(
                &chrono::FixedOffset::east_opt(record::dates::VIETNAM_UTC_OFFSET_SECS)
                    .expect("UTC+7"),
            )
        })
        .map(|d| record::dates::vn_date(d.date_naive()))
        .unwrap_or_default();
    Ok(Issue {
        number: r.try_get(0)?,
        issued_at: record::dates::rfc3339(at),
        issued_vn: day,
        request: r.try_get(2)?,
        entries: serde_json::from_str(&r.try_get::<String, _>(3)?).unwrap_or_default(),
    })
}
