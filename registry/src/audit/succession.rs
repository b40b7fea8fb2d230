//! Agencies over time (the 2025 reorganisation): merges and splits. Each is an `org:ChangeEvent`
//! in the agencies' own records (`org:changedBy` / `org:resultedFrom`, `dct:isReplacedBy` /
//! `dct:replaces`); the predecessors' records move to a successor as new versions, so their
//! history stays whole and reports for past quarters still show the agency they had then.
//! A predecessor takes no new records afterwards.

use chrono::NaiveDate;
use oxigraph::model::{Literal, NamedNode, Term, Triple};
use record::{Kind, NormaliseContext, Status, normalise, parse_canonical};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use store::log::{NewVersion, now_micros};
use store::successions::SuccessionRow;
use vocab::ns::{dct, org, rdf};
use {
    crate::records::{Provenance, Registry},
    store::StoreError,
};

/// A merge or split as requested.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct SuccessionInput {
    /// Agencies that cease (codes).
    pub predecessors: Vec<String>,
    /// Agencies that take over (codes; they must exist).
    pub successors: Vec<String>,
    /// Date the change took effect (YYYY-MM-DD).
    pub date: String,
    /// Legal basis, e.g. the decision's number.
    pub basis: String,
    /// For a split: which successor takes which record (record id → agency code); records
    /// not named go to the first successor.
    #[serde(default)]
    pub records: HashMap<String, String>,
}

/// A recorded merge or split.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Succession {
    /// Id; the change event's IRI ends with it.
    pub id: String,
    /// `merge`, `split` or `replacement` (one agency replaced by one).
    pub kind: String,
    /// The change event's IRI.
    pub event: String,
    /// Date it took effect.
    pub date: String,
    /// Legal basis.
    pub basis: String,
    /// Predecessor codes.
    pub predecessors: Vec<String>,
    /// Successor codes.
    pub successors: Vec<String>,
    /// Records that moved to a successor.
    pub records_moved: i64,
}

/// Records a merge or split and moves the predecessors' records to their successors.
pub async fn succeed(
    reg: &Registry,
    input: &SuccessionInput,
    prov: &Provenance,
) -> Result<Succession, StoreError> {
    let date = NaiveDate::parse_from_str(input.date.trim(), "%Y-%m-%d")
        .map_err(|_| StoreError::Invalid(format!("date '{}' is not YYYY-MM-DD", input.date)))?;
    let basis = input.basis.trim();
    if basis.is_empty() {
        return Err(StoreError::Invalid(
            "state the legal basis of the change (basis)".into(),
        ));
    }
    let (preds, succs) = (&input.predecessors, &input.successors);
    if preds.is_empty() || succs.is_empty() {
        return Err(StoreError::Invalid(
            "name at least one predecessor and one successor".into(),
        ));
    }
    if preds.len() > 1 && succs.len() > 1 {
        return Err(StoreError::Invalid(
            "a change is a merge (several into one) or a split (one into several); record several changes for more".into(),
        ));
    }
    if preds.iter().any(|p| succs.contains(p)) {
        return Err(StoreError::Invalid(
            "an agency cannot succeed itself".into(),
        ));
    }
    for code in preds.iter().chain(succs) {
        if reg.log.agency(code).await?.is_none() {
            return Err(StoreError::UnknownAgency(code.clone()));
        }
    }
    for p in preds {
        if let Some(s) = successors_of(reg, p).await?.first() {
            return Err(StoreError::Conflict(format!(
                "agency '{p}' was already succeeded by '{s}'"
            )));
        }
    }
    for (rec, to) in &input.records {
        if !succs.contains(to) {
            return Err(StoreError::Invalid(format!(
                "record {rec} is assigned to '{to}', which is not a successor"
            )));
        }
    }
    let kind = match (preds.len(), succs.len()) {
        (1, 1) => "replacement",
        (_, 1) => "merge",
        _ => "split",
    };
    let id = uuid::Uuid::now_v7().to_string();
    let event = format!("{}/agencies/changes/{id}", reg.base);
    let ev = NamedNode::new_unchecked(&event);
    let date_lit = Literal::new_typed_literal(date.to_string(), vocab::ns::xsd::DATE);

    let _guard = reg.write_lock.lock().await;
    let now = now_micros();
    let mut items: Vec<NewVersion> = Vec::new();
    // The agencies' own records: the event lives in each predecessor's description.
    for p in preds {
        let a = reg.log.agency(p).await?.expect("checked");
        let s = NamedNode::new_unchecked(&a.iri);
        let mut extra = vec![
            Triple::new(s.clone(), org::CHANGED_BY, ev.clone()),
            Triple::new(ev.clone(), rdf::TYPE, org::CHANGE_EVENT),
            Triple::new(ev.clone(), dct::DATE, date_lit.clone()),
            Triple::new(
                ev.clone(),
                dct::DESCRIPTION,
                Literal::new_language_tagged_literal_unchecked(basis, "vi"),
            ),
        ];
        for q in preds {
            extra.push(Triple::new(
                ev.clone(),
                org::ORIGINAL_ORGANIZATION,
                NamedNode::new_unchecked(reg.agency_iri(q)),
            ));
        }
        for q in succs {
            let succ = NamedNode::new_unchecked(reg.agency_iri(q));
            extra.push(Triple::new(
                ev.clone(),
                org::RESULTING_ORGANIZATION,
                succ.clone(),
            ));
            extra.push(Triple::new(s.clone(), dct::IS_REPLACED_BY, succ));
        }
        items.push(amend_agency(reg, p, extra, prov, now).await?);
    }
    for q in succs {
        let a = reg.log.agency(q).await?.expect("checked");
        let s = NamedNode::new_unchecked(&a.iri);
        let mut extra = vec![Triple::new(s.clone(), org::RESULTED_FROM, ev.clone())];
        for p in preds {
            extra.push(Triple::new(
                s.clone(),
                dct::REPLACES,
                NamedNode::new_unchecked(reg.agency_iri(p)),
            ));
        }
        items.push(amend_agency(reg, q, extra, prov, now).await?);
    }
    // The records follow.
    let mut moved = 0i64;
    for p in preds {
        let ids = reg.log.record_ids_of(p).await?;
        for rid in ids {
            let to = input.records.get(&rid).unwrap_or(&succs[0]);
            items.push(transfer(reg, &rid, p, to, prov, now).await?);
            moved += 1;
        }
    }
    let row = SuccessionRow {
        id: id.clone(),
        kind: kind.into(),
        date: date.to_string(),
        basis: basis.into(),
        predecessors: preds.clone(),
        successors: succs.clone(),
        records_moved: moved,
        created_by: prov.author.clone(),
        created_at: now,
    };
    reg.commit(_guard, items, Some(&row), true).await?;
    Ok(Succession {
        id,
        kind: kind.into(),
        event,
        date: date.to_string(),
        basis: basis.into(),
        predecessors: preds.clone(),
        successors: succs.clone(),
        records_moved: moved,
    })
}

/// The agencies that took over from `code` (empty: it is current).
pub async fn successors_of(reg: &Registry, code: &str) -> Result<Vec<String>, StoreError> {
    reg.log.successors_of(code).await
}

/// The agencies `code` took over from.
pub async fn predecessors_of(reg: &Registry, code: &str) -> Result<Vec<String>, StoreError> {
    reg.log.predecessors_of(code).await
}

/// Changes involving an agency, oldest first.
pub async fn successions(reg: &Registry, code: &str) -> Result<Vec<Succession>, StoreError> {
    Ok(reg
        .log
        .successions()
        .await?
        .into_iter()
        .filter(|s| {
            s.predecessors
                .iter()
                .chain(&s.successors)
                .any(|c| c == code)
        })
        .map(|s| Succession {
            event: format!("{}/agencies/changes/{}", reg.base, s.id),
            id: s.id,
            kind: s.kind,
            date: s.date,
            basis: s.basis,
            predecessors: s.predecessors,
            successors: s.successors,
            records_moved: s.records_moved,
        })
        .collect())
}

/// A new version of an agency's record with `extra` triples added.
async fn amend_agency(
    reg: &Registry,
    code: &str,
    extra: Vec<Triple>,
    prov: &Provenance,
    now: i64,
) -> Result<NewVersion, StoreError> {
    let cur = reg
        .log
        .record(code)
        .await?
        .filter(|r| r.kind == "agency")
        .ok_or_else(|| StoreError::NotFound(format!("agency {code}")))?;
    let v = reg.log.current_version(&cur).await?;
    let mut triples = parse_canonical(&v.canonical);
    for t in extra {
        if !triples.contains(&t) {
            triples.push(t);
        }
    }
    let n = normalise(
        triples,
        Kind::Agency,
        &NormaliseContext {
            record_iri: &cur.iri,
            agency_iri: &cur.iri,
            default_access: record::Visibility::Public,
            lenient_access: false,
        },
    )?;
    Ok(reg.new_version(
        code,
        Kind::Agency,
        &cur.iri,
        code,
        Status::Published,
        &n,
        "",
        cur.version + 1,
        Some(&cur),
        cur.source_id.clone(),
        prov,
        now,
        None,
    ))
}

/// A new version of a record owned by `to` instead of `from`, its `dct:publisher` (and
/// creator) pointing at the successor.
async fn transfer(
    reg: &Registry,
    id: &str,
    from: &str,
    to: &str,
    prov: &Provenance,
    now: i64,
) -> Result<NewVersion, StoreError> {
    let cur = reg
        .log
        .record(id)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("record {id}")))?;
    let kind = Kind::parse(&cur.kind)
        .ok_or_else(|| StoreError::Invalid(format!("record {id} has kind {}", cur.kind)))?;
    let v = reg.log.current_version(&cur).await?;
    let (old, new) = (reg.agency_iri(from), reg.agency_iri(to));
    let triples: Vec<Triple> = parse_canonical(&v.canonical)
        .into_iter()
        .map(|t| match &t.object {
            Term::NamedNode(o)
                if o.as_str() == old
                    && (t.predicate == dct::PUBLISHER || t.predicate == dct::CREATOR) =>
            {
                Triple::new(t.subject, t.predicate, NamedNode::new_unchecked(&new))
            }
            _ => t,
        })
        .collect();
    let n = normalise(
        triples,
        kind,
        &NormaliseContext {
            record_iri: &cur.iri,
            agency_iri: &new,
            default_access: reg.default_access,
            lenient_access: true,
        },
    )?;
    // The old agency's description leaves with it; the successor's comes in.
    let mut n = reg
        .enrich(n, kind, &mut std::collections::HashMap::new())
        .await?;
    n.access_defaulted = cur.access_defaulted;
    let status = Status::parse(&cur.status).unwrap_or(Status::Published);
    let shared = cur.shared_with.clone();
    Ok(reg.new_version(
        id,
        kind,
        &cur.iri,
        to,
        status,
        &n,
        &shared,
        cur.version + 1,
        Some(&cur),
        cur.source_id.clone(),
        prov,
        now,
        None,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::WriteRecord;
    use oxigraph::io::RdfFormat;
    use record::Visibility;

    fn prov() -> Provenance {
        Provenance {
            author: "test".into(),
            source: "test".into(),
        }
    }

    /// A completed succession has both the records moved and the predecessor succeeded (that
    /// the two commit together or not at all is the store's test,
    /// `store::successions::tests`).
    async fn scenario(data: &std::path::Path, db: Option<&str>) {
        let reg = Registry::open(data, db, "http://reg.example.vn", Visibility::Public, false)
            .await
            .expect("open");
        for (code, name) in [("so-a", "Sở Kế hoạch và Đầu tư"), ("so-b", "Sở Tài chính")]
        {
            reg.create_agency(code, name, None, None, &prov())
                .await
                .expect("agency");
        }
        let ttl = "<http://x/d> a <http://www.w3.org/ns/dcat#Dataset> ; \
                   <http://purl.org/dc/terms/title> \"Danh mục dự án đầu tư công\"@vi ; \
                   <http://purl.org/dc/terms/description> \"Dự án đầu tư công năm 2026\"@vi .";
        let triples =
            record::rdf::parse_triples(ttl.as_bytes(), RdfFormat::Turtle, "http://x").expect("ttl");
        let out = reg
            .write_log(
                vec![WriteRecord {
                    kind: Kind::Dataset,
                    id: None,
                    triples,
                    agency: "so-a".into(),
                    status: None,
                    if_match: None,
                    source_id: None,
                }],
                &prov(),
            )
            .await
            .expect("dataset");
        let rid = out[0].1.id.clone();
        let r = reg.log.record(&rid).await.expect("read").expect("record");
        assert_eq!((r.agency.as_str(), r.version), ("so-a", 1));
        assert!(successors_of(&reg, "so-a").await.expect("links").is_empty());

        let s = succeed(
            &reg,
            &SuccessionInput {
                predecessors: vec!["so-a".into()],
                successors: vec!["so-b".into()],
                date: "2026-07-01".into(),
                basis: "Nghị quyết số 1/NQ-HĐND".into(),
                records: HashMap::new(),
            },
            &prov(),
        )
        .await
        .expect("succeed");
        assert_eq!((s.kind.as_str(), s.records_moved), ("replacement", 1));
        let r = reg.log.record(&rid).await.expect("read").expect("record");
        assert_eq!((r.agency.as_str(), r.version), ("so-b", 2));
        assert_eq!(successors_of(&reg, "so-a").await.expect("links"), ["so-b"]);
    }

    #[test]
    fn a_succession_commits_with_its_records_or_not_at_all_sqlite() {
        let dir = tempfile::tempdir().expect("dir");
        tokio::runtime::Runtime::new()
            .expect("rt")
            .block_on(scenario(dir.path(), None));
    }

    #[test]
    fn a_succession_commits_with_its_records_or_not_at_all_postgres() {
        let db = danhmuc_e2e::PgDatabase::create();
        let dir = tempfile::tempdir().expect("dir");
        tokio::runtime::Runtime::new()
            .expect("rt")
            .block_on(scenario(dir.path(), Some(&db.url)));
    }
}
