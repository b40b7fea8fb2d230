//! Metadata quality (R8: "correct, complete, clean, alive"): every record is validated against
//! the DCAT-AP 3.0.1 and DCAT-AP-VN shapes when it is written, scored after data.europa.eu's
//! MQA, and the report is stored per record; a link checker keeps URL availability current;
//! likely duplicates across agencies are listed for review.

pub mod duplicates;
pub mod links;
pub mod services;

use record::parse_canonical;
use record::shacl::{self, Finding};
use std::collections::HashMap;
use std::sync::Arc;
use store::log::{RecordRow, now_micros};
use store::quality::{LinkCheck, StoredReport};
use {crate::records::Registry, store::StoreError};

/// A record's quality report, as served by `GET /api/v1/{kind}/{id}/quality`.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct QualityReport {
    /// Record id.
    pub record: String,
    /// Record kind.
    pub kind: String,
    /// Owning agency code.
    pub agency: String,
    /// Content hash of the version assessed.
    pub content_hash: String,
    /// When it was assessed (RFC 3339).
    pub validated_at: String,
    /// The rule sets applied.
    pub profiles: Vec<String>,
    /// No SHACL violation (warnings allowed).
    pub conforms: bool,
    /// Number of violations.
    pub violations: i64,
    /// Number of warnings.
    pub warnings: i64,
    /// The SHACL findings.
    pub findings: Vec<Finding>,
    /// MQA points per dimension.
    pub dimensions: Vec<record::mqa::Dimension>,
    /// MQA score.
    pub score: i64,
    /// Highest possible MQA score (405).
    pub max_score: i64,
    /// What the link checker last saw for the record's URLs (absent: not checked yet).
    #[serde(default)]
    pub links: Vec<LinkCheck>,
    /// URLs not checked yet.
    #[serde(default)]
    pub unchecked_urls: Vec<String>,
}

/// Starts the follower: a pass at once (records written before reports existed, or by a
/// process that stopped before assessing), then one whenever a write wakes it, and every
/// few seconds for what other processes (a CLI import beside the server) wrote.
pub fn spawn_quality_follower(reg: &Arc<Registry>) {
    reg.quality
        .running
        .store(true, std::sync::atomic::Ordering::Release);
    let me = reg.clone();
    tokio::spawn(async move {
        loop {
            match assess_missing(&me).await {
                Ok(n) if n > 0 => tracing::debug!(records = n, "quality reports computed"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "quality follower"),
            }
            tokio::select! {
                _ = me.quality.wake.notified() => {}
                _ = tokio::time::sleep(std::time::Duration::from_secs(5)) => {}
            }
        }
    });
}

/// Validates and scores a record's current version and stores the report. `None` for
/// agencies and unknown ids.
pub async fn assess(reg: &Registry, record_id: &str) -> Result<Option<QualityReport>, StoreError> {
    let Some(row) = reg.log.record(record_id).await? else {
        return Ok(None);
    };
    if row.kind == "agency" {
        return Ok(None);
    }
    let current = reg.log.current_version(&row).await?;
    let triples = parse_canonical(&current.canonical);
    let context = reg.enrichment(&triples).await?;
    let urls = record::mqa::urls(&triples);
    let checks = reg.log.link_checks(&urls).await?;
    let status: HashMap<String, bool> = checks.iter().map(|c| (c.url.clone(), c.ok)).collect();
    let iri = row.iri.clone();
    let nodes = reg.enricher.own_nodes(&triples);
    let (findings, dimensions, score) = tokio::task::spawn_blocking(move || {
        let mut data = triples.clone();
        data.extend(context);
        let findings = shacl::own(shacl::shapes()?.validate(&data)?, &nodes);
        let dcat_ap_ok = !findings
            .iter()
            .any(|f| f.severity == "violation" && f.profile == shacl::PROFILE_DCAT_AP);
        let (dims, score) =
            record::mqa::score(&iri, &triples, dcat_ap_ok, &|u| status.get(u).copied());
        Ok::<_, shacl::ShaclError>((findings, dims, score))
    })
    .await
    .map_err(|e| StoreError::Graph(e.to_string()))?
    .map_err(|e| StoreError::Graph(e.to_string()))?;
    let at = now_micros();
    let violations = findings
        .iter()
        .filter(|f| f.severity == "violation")
        .count() as i64;
    let warnings = findings.iter().filter(|f| f.severity == "warning").count() as i64;
    let unchecked_urls = urls
        .iter()
        .filter(|u| !checks.iter().any(|c| &c.url == *u))
        .cloned()
        .collect();
    let report = QualityReport {
        record: row.id.clone(),
        kind: row.kind.clone(),
        agency: row.agency.clone(),
        content_hash: row.content_hash.clone(),
        validated_at: record::dates::rfc3339(at),
        profiles: vec![
            shacl::PROFILE_DCAT_AP.to_owned(),
            shacl::PROFILE_DCAT_AP_VN.to_owned(),
        ],
        conforms: violations == 0,
        violations,
        warnings,
        findings,
        dimensions,
        score,
        max_score: record::mqa::MAX_SCORE,
        links: checks,
        unchecked_urls,
    };
    let stored = StoredReport {
        record_id: row.id.clone(),
        kind: row.kind.clone(),
        agency: row.agency.clone(),
        content_hash: row.content_hash.clone(),
        score,
        max_score: record::mqa::MAX_SCORE,
        violations,
        warnings,
        report: serde_json::to_string(&report).map_err(|e| StoreError::Graph(e.to_string()))?,
    };
    reg.log.put_quality(&stored, &urls, at).await?;
    Ok(Some(report))
}

/// The stored report of a record's current content, assessing it first when missing or
/// stale.
pub async fn quality_report(
    reg: &Registry,
    row: &RecordRow,
) -> Result<Option<QualityReport>, StoreError> {
    if let Some(s) = reg.log.quality(&row.id).await?
        && s.content_hash == row.content_hash
        && let Ok(r) = serde_json::from_str::<QualityReport>(&s.report)
    {
        return Ok(Some(r));
    }
    assess(reg, &row.id).await
}

/// Assesses records, logging (not failing on) errors: writes are committed already.
pub async fn assess_all(reg: &Registry, ids: &[String]) {
    for id in ids {
        if let Err(e) = assess(reg, id).await {
            tracing::warn!(record = %id, error = %e, "quality assessment failed");
        }
    }
}

/// Assesses records whose current content has no report (what the follower has not reached
/// yet, after an upgrade, or after a crash between a write and its assessment). Returns how
/// many. One pass at a time: a reader calling it waits for the follower's pass, then finds
/// little or nothing left.
pub async fn assess_missing(reg: &Registry) -> Result<usize, StoreError> {
    let _one = reg.quality.pass.lock().await;
    let mut n = 0;
    let mut failed = std::collections::HashSet::new();
    loop {
        let ids: Vec<String> = reg
            .log
            .unassessed(500 + failed.len() as i64)
            .await?
            .into_iter()
            .filter(|i| !failed.contains(i))
            .collect();
        if ids.is_empty() {
            return Ok(n);
        }
        for id in ids {
            match assess(reg, &id).await {
                Ok(_) => n += 1,
                // The database is busy with a write (a harvest's batch): wait, and take the
                // record again on the next round rather than giving up on it.
                Err(StoreError::Sql(e)) if store::is_busy(&e) => {
                    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
                }
                Err(e) => {
                    tracing::warn!(record = %id, error = %e, "quality assessment failed");
                    failed.insert(id);
                }
            }
        }
    }
}
