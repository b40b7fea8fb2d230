//! The catalogue of databases (R1; Tây Ninh Art. 5.2b, Hà Nam Art. 5.2): an agency asks to add,
//! change or withdraw an entry with a written justification; the coordinating department
//! approves or rejects with a reason; only an approved request changes the catalogue, and each
//! approval issues a new numbered, dated state of it that pins every entry's version.

use crate::quality::shacl::{self, Finding};
use crate::record::{Kind, main_subject, parse_canonical};
use crate::store::log::{RecordRow, now_micros};
use crate::store::{Provenance, Registry, StoreError, WriteRecord};
use oxigraph::model::{Triple, TripleRef};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use vocab::ns::{dcat, dcatvn, rdf};

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
    fn as_str(self) -> &'static str {
        match self {
            Action::Add => "add",
            Action::Change => "change",
            Action::Withdraw => "withdraw",
        }
    }

    fn parse(s: &str) -> Option<Action> {
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

fn entry(r: &RecordRow) -> Entry {
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

/// The least length of a justification, in characters.
pub const MIN_JUSTIFICATION: usize = 10;

impl Registry {
    /// Refuses to change or withdraw an entry of the catalogue except through an approved
    /// request (provenance `request:…`).
    pub(crate) async fn guard_catalogue(
        &self,
        record_id: &str,
        prov: &Provenance,
    ) -> Result<(), StoreError> {
        if prov.source.starts_with("request:") {
            return Ok(());
        }
        let hit = sqlx::query("SELECT 1 FROM catalogue_entries WHERE record_id = $1")
            .bind(record_id)
            .fetch_optional(&self.log.pool)
            .await?;
        if hit.is_some() {
            return Err(StoreError::RequestRequired(format!(
                "record {record_id} is an entry of the catalogue of databases: submit a request to change or withdraw it (POST /api/v1/database-catalogue/requests)"
            )));
        }
        Ok(())
    }

    /// Records a request after checking it: the justification, the entry it names, and for
    /// add/change a description that becomes a valid dataset with every R1 field.
    pub async fn submit_request(
        &self,
        agency: &str,
        action: Action,
        record: Option<&str>,
        justification: &str,
        description: Option<Vec<Triple>>,
        author: &str,
    ) -> Result<Request, StoreError> {
        if self.log.agency(agency).await?.is_none() {
            return Err(StoreError::UnknownAgency(agency.to_owned()));
        }
        let justification = justification.trim();
        if justification.chars().count() < MIN_JUSTIFICATION {
            return Err(StoreError::Invalid(format!(
                "a request needs a written justification of at least {MIN_JUSTIFICATION} characters"
            )));
        }
        let target = match (action, record) {
            (Action::Add, Some(_)) => {
                return Err(StoreError::Invalid(
                    "an add request names no record; it carries a description".into(),
                ));
            }
            (Action::Add, None) => None,
            (_, None) => {
                return Err(StoreError::Invalid(format!(
                    "a {} request names the entry (record)",
                    action.as_str()
                )));
            }
            (_, Some(id)) => {
                let r = self
                    .log
                    .record(id)
                    .await?
                    .filter(|r| r.kind == "dataset" && r.status != "withdrawn")
                    .ok_or_else(|| StoreError::NotFound(format!("dataset {id}")))?;
                if r.agency != agency {
                    return Err(StoreError::Invalid(format!(
                        "dataset {id} belongs to agency '{}', not '{agency}'",
                        r.agency
                    )));
                }
                let member = sqlx::query("SELECT 1 FROM catalogue_entries WHERE record_id = $1")
                    .bind(id)
                    .fetch_optional(&self.log.pool)
                    .await?
                    .is_some();
                if !member {
                    return Err(StoreError::Invalid(format!(
                        "dataset {id} is not an entry of the catalogue of databases"
                    )));
                }
                Some(r)
            }
        };
        let (nt, findings) = match (action, description) {
            (Action::Withdraw, Some(_)) => {
                return Err(StoreError::Invalid(
                    "a withdraw request carries no description".into(),
                ));
            }
            (Action::Withdraw, None) => (None, Vec::new()),
            (_, None) => {
                return Err(StoreError::Invalid(format!(
                    "a {} request carries the proposed description",
                    action.as_str()
                )));
            }
            (_, Some(triples)) => {
                let triples = as_entry(triples)?;
                // Normalise as the write will, so that a request that cannot be applied is
                // refused now rather than at approval.
                let iri = target
                    .as_ref()
                    .map(|r| r.iri.clone())
                    .unwrap_or_else(|| self.iri(Kind::Dataset, "request-preview"));
                let n = crate::record::normalise(
                    triples.clone(),
                    Kind::Dataset,
                    &crate::record::NormaliseContext {
                        record_iri: &iri,
                        agency_iri: &self.agency_iri(agency),
                        default_access: self.default_access,
                        lenient_access: false,
                    },
                )?;
                let mut data = n.triples.clone();
                data.extend(shacl::authority_types(&data));
                let findings = tokio::task::spawn_blocking(move || {
                    shacl::shapes().and_then(|s| s.validate(&data))
                })
                .await
                .map_err(|e| StoreError::Graph(e.to_string()))?
                .map_err(|e| StoreError::Graph(e.to_string()))?;
                let missing: Vec<&str> = findings
                    .iter()
                    .filter(|f| f.profile == shacl::PROFILE_DCAT_AP_VN && f.severity == "violation")
                    .map(|f| f.message_en.as_str())
                    .collect();
                if !missing.is_empty() {
                    return Err(StoreError::Invalid(format!(
                        "the entry does not state every field of the catalogue of databases: {}",
                        missing.join("; ")
                    )));
                }
                let body = crate::rdf::serialize_triples(
                    triples.iter().map(Triple::as_ref),
                    oxigraph::io::RdfFormat::NTriples,
                )
                .map_err(|e| StoreError::Invalid(e.to_string()))?;
                (Some(String::from_utf8_lossy(&body).into_owned()), findings)
            }
        };
        let id = uuid::Uuid::now_v7().to_string();
        sqlx::query("INSERT INTO catalogue_requests (id, agency, action, record_id, justification, media_type, description, findings, status, submitted_by, submitted_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9, $10)")
            .bind(&id)
            .bind(agency)
            .bind(action.as_str())
            .bind(record)
            .bind(justification)
            .bind(nt.as_ref().map(|_| "application/n-triples"))
            .bind(nt.as_deref())
            .bind(serde_json::to_string(&findings).unwrap_or_else(|_| "[]".into()))
            .bind(author)
            .bind(now_micros())
            .execute(&self.log.pool)
            .await?;
        self.request(&id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("request {id}")))
    }

    /// A request.
    pub async fn request(&self, id: &str) -> Result<Option<Request>, StoreError> {
        let row = sqlx::query(&format!("{REQUEST_SELECT} WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.log.pool)
            .await?;
        row.map(|r| request_row(&r)).transpose()
    }

    /// Requests, newest first, filtered by agency and status.
    pub async fn requests(
        &self,
        agency: Option<&str>,
        status: Option<&str>,
    ) -> Result<Vec<Request>, StoreError> {
        let rows = sqlx::query(&format!(
            "{REQUEST_SELECT} WHERE ($1 = '' OR agency = $1) AND ($2 = '' OR status = $2) ORDER BY submitted_at DESC, id DESC"
        ))
        .bind(agency.unwrap_or(""))
        .bind(status.unwrap_or(""))
        .fetch_all(&self.log.pool)
        .await?;
        rows.iter().map(request_row).collect()
    }

    /// Rejects a pending request; the reason is required.
    pub async fn reject_request(
        &self,
        id: &str,
        by: &str,
        reason: &str,
    ) -> Result<Request, StoreError> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(StoreError::Invalid("a rejection states its reason".into()));
        }
        self.decide(id, "rejected", by, Some(reason)).await?;
        self.request(id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("request {id}")))
    }

    /// Approves a pending request: applies it to the record (as `request:ID`) and issues the
    /// next state of the catalogue.
    pub async fn approve_request(
        &self,
        id: &str,
        by: &str,
        reason: Option<&str>,
    ) -> Result<Request, StoreError> {
        let _one = self.catalogue_lock.lock().await;
        let req = self
            .request(id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("request {id}")))?;
        if req.status != "pending" {
            return Err(StoreError::Conflict(format!(
                "request {id} was already {}",
                req.status
            )));
        }
        let prov = Provenance {
            author: by.to_owned(),
            source: format!("request:{id}"),
        };
        let record = match req.action {
            Action::Withdraw => {
                let rid = req.record.clone().unwrap_or_default();
                self.withdraw(Kind::Dataset, &rid, None, &prov).await?;
                rid
            }
            Action::Add | Action::Change => {
                let triples = parse_canonical(req.description.as_deref().unwrap_or(""));
                let out = self
                    .write(
                        vec![WriteRecord {
                            kind: Kind::Dataset,
                            id: req.record.clone(),
                            triples,
                            agency: req.agency.clone(),
                            status: Some(crate::record::Status::Published),
                            if_match: None,
                            source_id: None,
                        }],
                        &prov,
                    )
                    .await?;
                out[0].1.id.clone()
            }
        };
        let mut entries = self
            .latest_issue()
            .await?
            .map(|i| i.entries)
            .unwrap_or_default();
        entries.retain(|e| e.record != record);
        if req.action != Action::Withdraw {
            let row = self
                .log
                .record(&record)
                .await?
                .ok_or_else(|| StoreError::NotFound(format!("dataset {record}")))?;
            entries.push(entry(&row));
        }
        entries.sort_by(|a, b| (&a.agency, &a.record).cmp(&(&b.agency, &b.record)));
        let at = now_micros();
        let mut tx = self.log.begin_write().await?;
        // The next number is taken by the insert itself.
        let next: i64 = sqlx::query(
            "INSERT INTO catalogue_issues (number, issued_at, request_id, entries) \
             SELECT COALESCE(MAX(number), 0) + 1, $1, $2, $3 FROM catalogue_issues RETURNING number",
        )
        .bind(at)
        .bind(id)
        .bind(serde_json::to_string(&entries).unwrap_or_else(|_| "[]".into()))
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        sqlx::query("DELETE FROM catalogue_entries")
            .execute(&mut *tx)
            .await?;
        for e in &entries {
            sqlx::query("INSERT INTO catalogue_entries (record_id) VALUES ($1)")
                .bind(&e.record)
                .execute(&mut *tx)
                .await?;
        }
        let done = sqlx::query("UPDATE catalogue_requests SET status = 'approved', decided_by = $1, decided_at = $2, reason = $3, result_record = $4, issue = $5 WHERE id = $6 AND status = 'pending'")
            .bind(by)
            .bind(at)
            .bind(reason.map(str::trim).filter(|r| !r.is_empty()))
            .bind(&record)
            .bind(next)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if done != 1 {
            return Err(StoreError::Conflict(format!(
                "request {id} was decided meanwhile"
            )));
        }
        tx.commit().await?;
        self.request(id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("request {id}")))
    }

    async fn decide(
        &self,
        id: &str,
        status: &str,
        by: &str,
        reason: Option<&str>,
    ) -> Result<(), StoreError> {
        let n = sqlx::query("UPDATE catalogue_requests SET status = $1, decided_by = $2, decided_at = $3, reason = $4 WHERE id = $5 AND status = 'pending'")
            .bind(status)
            .bind(by)
            .bind(now_micros())
            .bind(reason)
            .bind(id)
            .execute(&self.log.pool)
            .await?
            .rows_affected();
        if n == 1 {
            return Ok(());
        }
        match self.request(id).await? {
            None => Err(StoreError::NotFound(format!("request {id}"))),
            Some(r) => Err(StoreError::Conflict(format!(
                "request {id} was already {}",
                r.status
            ))),
        }
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
        .fetch_all(&self.log.pool)
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
        let row = q.fetch_optional(&self.log.pool).await?;
        row.as_ref().map(issue_row).transpose()
    }
}

/// Makes sure the description declares its dataset a `dcatvn:DatabaseEntry`.
fn as_entry(mut triples: Vec<Triple>) -> Result<Vec<Triple>, StoreError> {
    let subject = main_subject(&triples, Kind::Dataset)?;
    let typed = TripleRef::new(&subject, rdf::TYPE, dcatvn::DATABASE_ENTRY).into_owned();
    if !triples.contains(&typed) {
        triples.push(typed);
    }
    let ds = TripleRef::new(&subject, rdf::TYPE, dcat::DATASET).into_owned();
    if !triples.contains(&ds) {
        triples.push(ds);
    }
    Ok(triples)
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
        submitted_at: crate::dates::rfc3339(r.try_get(9)?),
        decided_by: r.try_get(10)?,
        decided_at: r.try_get::<Option<i64>, _>(11)?.map(crate::dates::rfc3339),
        reason: r.try_get(12)?,
        issue: r.try_get(14)?,
    })
}

fn issue_row(r: &sqlx::any::AnyRow) -> Result<Issue, StoreError> {
    let at: i64 = r.try_get(1)?;
    let day = chrono::DateTime::from_timestamp_micros(at)
        .map(|d| {
            d.with_timezone(
                &chrono::FixedOffset::east_opt(crate::dates::VIETNAM_UTC_OFFSET_SECS)
                    .expect("UTC+7"),
            )
        })
        .map(|d| crate::audit::profile::vn_date(d.date_naive()))
        .unwrap_or_default();
    Ok(Issue {
        number: r.try_get(0)?,
        issued_at: crate::dates::rfc3339(at),
        issued_vn: day,
        request: r.try_get(2)?,
        entries: serde_json::from_str(&r.try_get::<String, _>(3)?).unwrap_or_default(),
    })
}
