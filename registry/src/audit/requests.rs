//! The catalogue of databases (R1; Tây Ninh Art. 5.2b, Hà Nam Art. 5.2): an agency asks to add,
//! change or withdraw an entry with a written justification; the coordinating department
//! approves or rejects with a reason; only an approved request changes the catalogue, and each
//! approval issues a new numbered, dated state of it that pins every entry's version.

use oxigraph::model::{Triple, TripleRef};
use record::shacl;
use record::{Kind, main_subject, parse_canonical};
pub use store::catalogue::{Action, Entry, Issue, Request};
use store::catalogue::{NewRequest, entry};
use {
    crate::records::{Provenance, Registry, WriteRecord},
    store::StoreError,
};

use vocab::ns::{dcat, dcatvn, rdf};

/// The least length of a justification, in characters.
pub const MIN_JUSTIFICATION: usize = 10;

/// Records a request after checking it: the justification, the entry it names, and for
/// add/change a description that becomes a valid dataset with every R1 field.
pub async fn submit_request(
    reg: &Registry,
    agency: &str,
    action: Action,
    record: Option<&str>,
    justification: &str,
    description: Option<Vec<Triple>>,
    author: &str,
) -> Result<Request, StoreError> {
    if reg.log.agency(agency).await?.is_none() {
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
            let r = reg
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
            if !reg.log.is_catalogue_entry(id).await? {
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
                .unwrap_or_else(|| reg.iri(Kind::Dataset, "request-preview"));
            let n = record::normalise(
                triples.clone(),
                Kind::Dataset,
                &record::NormaliseContext {
                    record_iri: &iri,
                    agency_iri: &reg.agency_iri(agency),
                    default_access: reg.default_access,
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
            let body = record::rdf::serialize_triples(
                triples.iter().map(Triple::as_ref),
                oxigraph::io::RdfFormat::NTriples,
            )
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
            (Some(String::from_utf8_lossy(&body).into_owned()), findings)
        }
    };
    let id = reg
        .log
        .insert_request(&NewRequest {
            agency,
            action,
            record,
            justification,
            description: nt.as_deref(),
            findings: &findings,
            author,
        })
        .await?;
    request(reg, &id)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("request {id}")))
}

/// A request.
pub async fn request(reg: &Registry, id: &str) -> Result<Option<Request>, StoreError> {
    reg.log.request(id).await
}

/// Requests, newest first, filtered by agency and status.
pub async fn requests(
    reg: &Registry,
    agency: Option<&str>,
    status: Option<&str>,
) -> Result<Vec<Request>, StoreError> {
    reg.log
        .requests(agency.unwrap_or(""), status.unwrap_or(""))
        .await
}

/// Rejects a pending request; the reason is required.
pub async fn reject_request(
    reg: &Registry,
    id: &str,
    by: &str,
    reason: &str,
) -> Result<Request, StoreError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(StoreError::Invalid("a rejection states its reason".into()));
    }
    decide(reg, id, "rejected", by, Some(reason)).await?;
    request(reg, id)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("request {id}")))
}

/// Approves a pending request: applies it to the record (as `request:ID`) and issues the
/// next state of the catalogue.
pub async fn approve_request(
    reg: &Registry,
    id: &str,
    by: &str,
    reason: Option<&str>,
) -> Result<Request, StoreError> {
    let _one = reg.catalogue_lock.lock().await;
    let req = request(reg, id)
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
            reg.withdraw(Kind::Dataset, &rid, None, &prov).await?;
            rid
        }
        Action::Add | Action::Change => {
            let triples = parse_canonical(req.description.as_deref().unwrap_or(""));
            let out = reg
                .write(
                    vec![WriteRecord {
                        kind: Kind::Dataset,
                        id: req.record.clone(),
                        triples,
                        agency: req.agency.clone(),
                        status: Some(record::Status::Published),
                        if_match: None,
                        source_id: None,
                    }],
                    &prov,
                )
                .await?;
            out[0].1.id.clone()
        }
    };
    let mut entries = latest_issue(reg)
        .await?
        .map(|i| i.entries)
        .unwrap_or_default();
    entries.retain(|e| e.record != record);
    if req.action != Action::Withdraw {
        let row = reg
            .log
            .record(&record)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("dataset {record}")))?;
        entries.push(entry(&row));
    }
    entries.sort_by(|a, b| (&a.agency, &a.record).cmp(&(&b.agency, &b.record)));
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    if reg
        .log
        .issue_catalogue(id, by, reason, &record, &entries)
        .await?
        .is_none()
    {
        return Err(StoreError::Conflict(format!(
            "request {id} was decided meanwhile"
        )));
    }
    request(reg, id)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("request {id}")))
}

async fn decide(
    reg: &Registry,
    id: &str,
    status: &str,
    by: &str,
    reason: Option<&str>,
) -> Result<(), StoreError> {
    if reg.log.decide_request(id, status, by, reason).await? {
        return Ok(());
    }
    match request(reg, id).await? {
        None => Err(StoreError::NotFound(format!("request {id}"))),
        Some(r) => Err(StoreError::Conflict(format!(
            "request {id} was already {}",
            r.status
        ))),
    }
}

/// The latest issue, if any.
pub async fn latest_issue(reg: &Registry) -> Result<Option<Issue>, StoreError> {
    reg.log.latest_issue().await
}

/// An issue by number.
pub async fn issue(reg: &Registry, number: i64) -> Result<Option<Issue>, StoreError> {
    reg.log.issue(number).await
}

/// Every issue, oldest first (entries included).
pub async fn issues(reg: &Registry) -> Result<Vec<Issue>, StoreError> {
    reg.log.issues().await
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
