//! The records service: every change to the log goes through it. Every write
//! — REST, import, demo — goes through [`Registry::write`], which normalises, hashes, appends to
//! the log in one transaction, then brings the projections up to date.

use oxigraph::model::{Literal, NamedNode, Triple};
use record::enrich::{Agencies, Enricher, agent_description};
use record::{self, Kind, NormaliseContext, Normalised, Status, Visibility};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
pub use store::StoreError;
use store::graph::Projections;
use store::log::{AgencyRow, Log, NewVersion, RecordRow, VersionRow, now_micros};
use store::successions::SuccessionRow;
use vocab::ns::{dcatvn, dct, foaf, org, rdf};

/// Whether a write creates the description in the registry (REST, the portal's forms,
/// approved requests), as opposed to bringing one from elsewhere (harvest, import), which is
/// kept as faithfully as possible.
fn created_here(prov: &Provenance) -> bool {
    prov.source == "api" || prov.source == "portal" || prov.source.starts_with("request:")
}

/// What a write did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// A new record.
    Created,
    /// A new version.
    Updated,
    /// Same content hash and status: no version written.
    Unchanged,
}

/// Who writes, from where.
#[derive(Debug, Clone)]
pub struct Provenance {
    /// Token id, `cli`, `demo`…
    pub author: String,
    /// `api`, `import:FILE`, `demo`…
    pub source: String,
}

/// One record to create or replace.
#[derive(Debug, Clone)]
pub struct WriteRecord {
    /// Kind.
    pub kind: Kind,
    /// Existing record id to replace; `None` creates (or, with `source_id`, upserts).
    pub id: Option<String>,
    /// The description.
    pub triples: Vec<Triple>,
    /// Owning agency code (ignored on replace: ownership does not move).
    pub agency: String,
    /// Requested status; `None` keeps the current one (published for new records).
    pub status: Option<Status>,
    /// ETag the caller last saw (replace only).
    pub if_match: Option<String>,
    /// Identifier at the source, making re-imports idempotent.
    pub source_id: Option<String>,
}

/// A prepared write: outcome, the current row (unchanged) or the index of the pending version,
/// and whether access rights were defaulted.
/// The owning agencies a batch writes for, with their successors, read once per batch (the
/// write lock is held: neither changes meanwhile).
type Owners = HashMap<String, (AgencyRow, Vec<String>)>;

/// A batch's records as the log knows them already: by source id, and which of their
/// source IRIs another record holds.
#[derive(Default)]
struct Known {
    by_source: HashMap<String, RecordRow>,
    taken: std::collections::HashSet<String>,
}

/// Versions one catch-up pass projects: large enough for the bulk loader to pay off, small
/// enough that a pass (the parsed versions, their graphs, documents and fragments, all at once)
/// stays within a few hundred megabytes.
const CATCH_UP_BATCH: i64 = 2_500;

type Prepared = (Outcome, Result<RecordRow, usize>, bool);

/// The registry's storage: log, projections and the settings writes need.
pub struct Registry {
    /// The change log.
    pub log: Log,
    /// The graph projections (absent when another process holds them, e.g. CLI import
    /// while the server runs: the server then catches up from the log).
    pub graphs: Option<Arc<Projections>>,
    /// Base IRI (no trailing slash).
    pub base: String,
    /// What the registry adds to a description under that base (record::enrich).
    pub enricher: Enricher,
    /// Visibility for records without `dct:accessRights`.
    pub default_access: Visibility,
    /// Data directory.
    pub data_dir: PathBuf,
    pub(crate) write_lock: tokio::sync::Mutex<()>,
    /// One catalogue approval at a time (issue numbers and membership).
    pub(crate) catalogue_lock: tokio::sync::Mutex<()>,
    /// Quality assessment following the log (crate::quality::QualityFollower).
    pub(crate) quality: QualityFollower,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registry")
            .field("base", &self.base)
            .finish()
    }
}

impl Registry {
    /// [`Enricher::enrichment`] of a description, reading the agencies it names from the log.
    pub async fn enrichment(&self, records: &[Triple]) -> Result<Vec<Triple>, StoreError> {
        let mut agencies = Agencies::new();
        self.read_agencies(records, &mut agencies).await?;
        Ok(self.enricher.enrichment(records, &agencies))
    }

    /// Reads into `agencies` the current description of each agency `records` names that
    /// is not there yet (a caller may put one in beforehand: an agency being renamed).
    async fn read_agencies(
        &self,
        records: &[Triple],
        agencies: &mut Agencies,
    ) -> Result<(), StoreError> {
        for n in self.enricher.agencies_named(records) {
            if agencies.contains_key(n.as_str()) {
                continue;
            }
            let description = match self.log.record_by_iri(n.as_str()).await? {
                Some(a) if a.status == "published" => {
                    let v = self.log.current_version(&a).await?;
                    Some(agent_description(n, &record::parse_canonical(&v.canonical)))
                }
                _ => None,
            };
            agencies.insert(n.as_str().to_owned(), description);
        }
        Ok(())
    }

    /// [`Enricher::enrich`], reading the agencies the description names first.
    pub async fn enrich(
        &self,
        n: Normalised,
        kind: Kind,
        agencies: &mut Agencies,
    ) -> Result<Normalised, StoreError> {
        if kind != Kind::Agency {
            self.read_agencies(&n.triples, agencies).await?;
        }
        Ok(self.enricher.enrich(n, kind, agencies))
    }

    /// Opens the log and, when `with_graphs`, the projections (caught up from the log).
    pub async fn open(
        data_dir: &Path,
        database_url: Option<&str>,
        base: &str,
        default_access: Visibility,
        with_graphs: bool,
    ) -> Result<Registry, StoreError> {
        let log = Log::open(data_dir, database_url).await?;
        let graphs = if with_graphs {
            let dir = data_dir.to_owned();
            Some(Arc::new(
                tokio::task::spawn_blocking(move || Projections::open(&dir))
                    .await
                    .map_err(|e| StoreError::Graph(e.to_string()))??,
            ))
        } else {
            None
        };
        let reg = Registry {
            log,
            graphs,
            base: crate::config::normalise_base(base),
            enricher: Enricher::new(crate::config::normalise_base(base)),
            default_access,
            data_dir: data_dir.to_owned(),
            write_lock: tokio::sync::Mutex::new(()),
            quality: Default::default(),
            catalogue_lock: tokio::sync::Mutex::new(()),
        };
        reg.catch_up().await?;
        Ok(reg)
    }

    /// Applies every log entry the projections have not seen yet. Returns the position.
    pub async fn catch_up(&self) -> Result<i64, StoreError> {
        let Some(graphs) = self.graphs.clone() else {
            return self.log.max_seq().await;
        };
        loop {
            let batch = self
                .log
                .versions_after(graphs.position(), CATCH_UP_BATCH)
                .await?;
            if batch.is_empty() {
                return Ok(graphs.position());
            }
            let started = std::time::Instant::now();
            let n = batch.len();
            // Each version is parsed once, for every projection; the search index, the graph
            // stores and the JSON-LD fragments are made side by side, on the cores the writer
            // leaves free. Search reads a record with what the registry added (agency names,
            // theme labels), so a record is found by its publisher's name.
            let batch: Vec<(VersionRow, Vec<Triple>)> = batch
                .into_iter()
                .map(|v| {
                    let t = record::parse_canonical(&v.canonical);
                    (v, t)
                })
                .collect();
            let fragments = self.fragments_to_make(&batch).await?;
            let offers = self.offers(&batch).await?;
            let batch = Arc::new(batch);
            let (g, b) = (graphs.clone(), batch.clone());
            let search = tokio::task::spawn_blocking(move || g.search.apply(&b, &offers));
            let (g, b, enricher) = (graphs.clone(), batch.clone(), self.enricher.clone());
            let graph = tokio::task::spawn_blocking(move || {
                // SPARQL sees what each record says; the agencies' names and the vocabularies'
                // labels are in their own graphs once, not copied into every record's graph.
                let said: Vec<(VersionRow, Vec<Triple>)> = b
                    .iter()
                    .map(|(v, t)| {
                        let t = if v.kind != Kind::Agency.as_str() && v.status != "withdrawn" {
                            enricher.as_said(t.clone())
                        } else {
                            t.clone()
                        };
                        // The graph stores need the row, not its text again.
                        (v.header(), t)
                    })
                    .collect();
                g.apply(&said)
            });
            let b = batch.clone();
            let made = tokio::task::spawn_blocking(move || make_fragments(&b, &fragments));
            let (search, graph, made) = tokio::join!(search, graph, made);
            search.map_err(|e| StoreError::Search(e.to_string()))??;
            graph.map_err(|e| StoreError::Graph(e.to_string()))??;
            let made = made.map_err(|e| StoreError::Graph(e.to_string()))?;
            self.log.put_fragments(&made).await?;
            tracing::debug!(
                versions = n,
                ms = started.elapsed().as_millis() as u64,
                "projected"
            );
        }
    }

    /// The versions among `versions` whose JSON-LD fragment (what exports copy,
    /// record::rdf::jsonld_fragment) is not made yet, by index:
    /// derived data, made beside the projections rather than inside the write's transaction.
    async fn fragments_to_make(
        &self,
        versions: &[(VersionRow, Vec<Triple>)],
    ) -> Result<Vec<usize>, StoreError> {
        let mut seen = std::collections::HashSet::new();
        let wanted: Vec<usize> = (0..versions.len())
            .filter(|&i| {
                let v = &versions[i].0;
                v.status != "withdrawn" && seen.insert(v.content_hash.as_str())
            })
            .collect();
        let hashes: Vec<&str> = wanted
            .iter()
            .map(|&i| versions[i].0.content_hash.as_str())
            .collect();
        let known = self.log.fragments_known(&hashes).await?;
        Ok(wanted
            .into_iter()
            .filter(|&i| !known.contains(&versions[i].0.content_hash))
            .collect())
    }

    /// By record id, what the data services among `versions` offer: the operations of the
    /// endpoint descriptions they point at, as last fetched (crate::quality::services).
    pub async fn offers(
        &self,
        versions: &[(VersionRow, Vec<Triple>)],
    ) -> Result<HashMap<String, Vec<String>>, StoreError> {
        let mut out = HashMap::new();
        for (v, triples) in versions {
            if v.kind != Kind::DataService.as_str() || v.status != "published" {
                continue;
            }
            let urls = record::services::endpoint_descriptions(triples);
            if urls.is_empty() {
                continue;
            }
            let ops = self.log.service_operations(&urls).await?;
            if !ops.is_empty() {
                out.insert(v.record_id.clone(), ops);
            }
        }
        Ok(out)
    }

    /// Whether the projections have applied the whole log.
    pub async fn ready(&self) -> Result<(bool, i64, i64), StoreError> {
        let log = self.log.max_seq().await?;
        let pos = self.graphs.as_ref().map(|g| g.position()).unwrap_or(log);
        Ok((pos >= log, pos, log))
    }

    /// The IRI of a record.
    pub fn iri(&self, kind: Kind, id: &str) -> String {
        format!("{}/{}/{}", self.base, kind.collection(), id)
    }

    /// The IRI of an agency.
    pub fn agency_iri(&self, code: &str) -> String {
        self.iri(Kind::Agency, code)
    }

    /// Creates or replaces records, all in one log transaction; then catches up.
    pub async fn write(
        &self,
        items: Vec<WriteRecord>,
        prov: &Provenance,
    ) -> Result<Vec<(Outcome, RecordRow, bool)>, StoreError> {
        let out = self.write_log(items, prov).await?;
        self.catch_up().await?;
        Ok(out)
    }

    /// Like [`Registry::write`] but leaves the projections to a later [`Registry::catch_up`]:
    /// bulk imports append many batches, then project them in large bulk-loaded runs. All or
    /// nothing: one invalid record fails the whole call.
    pub async fn write_log(
        &self,
        items: Vec<WriteRecord>,
        prov: &Provenance,
    ) -> Result<Vec<(Outcome, RecordRow, bool)>, StoreError> {
        self.write_inner(items, prov, true)
            .await?
            .into_iter()
            .collect()
    }

    /// Like [`Registry::write_log`], but an invalid record fails alone: the others are
    /// written, and each item gets its own result (harvests and imports).
    pub async fn write_log_each(
        &self,
        items: Vec<WriteRecord>,
        prov: &Provenance,
    ) -> Result<Vec<Result<(Outcome, RecordRow, bool), StoreError>>, StoreError> {
        self.write_inner(items, prov, false).await
    }

    async fn write_inner(
        &self,
        items: Vec<WriteRecord>,
        prov: &Provenance,
        all_or_nothing: bool,
    ) -> Result<Vec<Result<(Outcome, RecordRow, bool), StoreError>>, StoreError> {
        let _guard = self.write_lock.lock().await;
        let mut pending: Vec<NewVersion> = Vec::new();
        let mut results: Vec<Result<Prepared, StoreError>> = Vec::new();
        let now = now_micros();
        let mut agencies = HashMap::new();
        let mut owners = Owners::new();
        let known = self.known(&items, prov).await?;
        for item in items {
            match self
                .prepare(
                    item,
                    prov,
                    now,
                    &mut pending,
                    &mut agencies,
                    &mut owners,
                    &known,
                )
                .await
            {
                Ok(r) => results.push(Ok(r)),
                Err(e) if all_or_nothing => return Err(e),
                Err(e @ (StoreError::Sql(_) | StoreError::Graph(_) | StoreError::Migrate(_))) => {
                    return Err(e);
                }
                Err(e) => results.push(Err(e)),
            }
        }
        let pending = self.commit(_guard, pending, None, false).await?;
        Ok(results
            .into_iter()
            .map(|r| {
                r.map(|(o, row, d)| match row {
                    Ok(r) => (o, r, d),
                    Err(i) => (o, pending[i].record.clone(), d),
                })
            })
            .collect())
    }

    #[allow(clippy::too_many_arguments)]
    async fn prepare(
        &self,
        item: WriteRecord,
        prov: &Provenance,
        now: i64,
        pending: &mut Vec<NewVersion>,
        agencies: &mut Agencies,
        owners: &mut Owners,
        known: &Known,
    ) -> Result<Prepared, StoreError> {
        let existing = match (&item.id, &item.source_id) {
            (Some(id), _) => Some(
                self.log
                    .record(id)
                    .await?
                    .filter(|r| r.kind == item.kind.as_str())
                    .ok_or_else(|| StoreError::NotFound(format!("{} {id}", item.kind.as_str())))?,
            ),
            (None, Some(sid)) => known.by_source.get(sid).cloned(),
            _ => None,
        };
        // The same record twice in one batch: the second fails (callers flush first).
        let twice = match &existing {
            Some(cur) => pending.iter().any(|p| p.record.id == cur.id),
            None => {
                item.source_id.is_some()
                    && pending.iter().any(|p| {
                        p.record.source == prov.source && p.record.source_id == item.source_id
                    })
            }
        };
        if twice {
            return Err(StoreError::Conflict(format!(
                "{} appears twice in one batch",
                item.source_id.as_deref().unwrap_or("a record")
            )));
        }
        if let Some(cur) = &existing {
            self.guard_catalogue(&cur.id, prov).await?;
        }
        if let (Some(cur), Some(m)) = (&existing, &item.if_match)
            && m.trim() != cur.etag()
            && m.trim() != "*"
        {
            return Err(StoreError::Stale {
                current: cur.etag(),
            });
        }
        let agency_code = existing
            .as_ref()
            .map(|r| r.agency.clone())
            .unwrap_or(item.agency.clone());
        if !owners.contains_key(&agency_code) {
            let row = self
                .log
                .agency(&agency_code)
                .await?
                .ok_or_else(|| StoreError::UnknownAgency(agency_code.clone()))?;
            let succ = self.log.successors_of(&agency_code).await?;
            owners.insert(agency_code.clone(), (row, succ));
        }
        let (agency, succ) = &owners[&agency_code];
        if existing.is_none() && !succ.is_empty() {
            return Err(StoreError::Conflict(format!(
                "agency '{agency_code}' was succeeded by {}: new records belong to its successor",
                succ.join(", ")
            )));
        }
        let id = existing
            .as_ref()
            .map(|r| r.id.clone())
            .unwrap_or_else(|| uuid::Uuid::now_v7().to_string());
        let iri = match &existing {
            Some(r) => r.iri.clone(),
            None => match self.adoptable_iri(&item, prov, pending, known) {
                Some(iri) => iri,
                None => self.iri(item.kind, &id),
            },
        };
        let triples = if created_here(prov) {
            record::complete_dcat_ap(item.triples)
        } else {
            item.triples
        };
        let n = record::normalise(
            triples,
            item.kind,
            &NormaliseContext {
                record_iri: &iri,
                agency_iri: &agency.iri,
                default_access: self.default_access,
                lenient_access: prov.source.starts_with("harvest:"),
            },
        )?;
        let n = self.enrich(n, item.kind, agencies).await?;
        let shared = self.shared_codes(&n).await?;
        let status = item.status.unwrap_or_else(|| {
            existing
                .as_ref()
                .and_then(|r| Status::parse(&r.status))
                .filter(|s| *s != Status::Withdrawn)
                .unwrap_or(Status::Published)
        });
        if status == Status::Published && created_here(prov) {
            self.require_dcat_ap(&n.triples, &iri).await?;
        }
        if let Some(cur) = &existing
            && cur.content_hash == n.hash
            && cur.status == status.as_str()
        {
            return Ok((Outcome::Unchanged, Ok(cur.clone()), n.access_defaulted));
        }
        let version = existing.as_ref().map(|r| r.version + 1).unwrap_or(1);
        let outcome = if existing.is_some() {
            Outcome::Updated
        } else {
            Outcome::Created
        };
        let at = pending.len();
        pending.push(self.new_version(
            &id,
            item.kind,
            &iri,
            &agency_code,
            status,
            &n,
            &shared,
            version,
            existing.as_ref(),
            item.source_id.clone(),
            prov,
            now,
            None,
        ));
        Ok((outcome, Err(at), n.access_defaulted))
    }

    /// Refuses to change or withdraw an entry of the catalogue of databases except through an
    /// approved request (provenance `request:…`).
    pub(crate) async fn guard_catalogue(
        &self,
        record_id: &str,
        prov: &Provenance,
    ) -> Result<(), StoreError> {
        if prov.source.starts_with("request:") {
            return Ok(());
        }
        if self.log.is_catalogue_entry(record_id).await? {
            return Err(StoreError::RequestRequired(format!(
                "record {record_id} is an entry of the catalogue of databases: submit a request to change or withdraw it (POST /api/v1/database-catalogue/requests)"
            )));
        }
        Ok(())
    }

    /// What a batch's records already are in the log, read in a few statements before any
    /// is prepared (the write lock is held: nothing changes meanwhile).
    async fn known(&self, items: &[WriteRecord], prov: &Provenance) -> Result<Known, StoreError> {
        let sids: Vec<&str> = items
            .iter()
            .filter(|i| i.id.is_none())
            .filter_map(|i| i.source_id.as_deref())
            .collect();
        if sids.is_empty() {
            return Ok(Known::default());
        }
        let iris: Vec<&str> = sids
            .iter()
            .copied()
            .filter(|s| s.starts_with("http://") || s.starts_with("https://"))
            .collect();
        Ok(Known {
            by_source: self.log.records_by_source(&prov.source, &sids).await?,
            taken: self.log.iris_taken(&iris).await?,
        })
    }

    /// The IRI a harvested or imported record keeps: its own, when it is an absolute http(s)
    /// IRI outside this registry's base that no other record holds (as ckanext-dcat keeps a
    /// harvested dataset's URI). A second registry harvesting this one's feeds then holds the
    /// same records under the same IRIs, with the same canonical hashes. Anything else (a
    /// blank node, an IRI under our base, one already taken) gets a minted IRI, and the
    /// source's identifier is kept as `dct:identifier`.
    fn adoptable_iri(
        &self,
        item: &WriteRecord,
        prov: &Provenance,
        pending: &[NewVersion],
        known: &Known,
    ) -> Option<String> {
        if created_here(prov) {
            return None;
        }
        let sid = item.source_id.as_deref()?;
        let own = sid == self.base || sid.starts_with(&format!("{}/", self.base));
        let well_formed = sid.len() <= 2000
            && (sid.starts_with("https://") || sid.starts_with("http://"))
            && NamedNode::new(sid).is_ok();
        if own || !well_formed {
            return None;
        }
        let main = match record::main_subject(&item.triples, item.kind) {
            Ok(oxigraph::model::NamedOrBlankNode::NamedNode(n)) => n,
            _ => return None,
        };
        if main.as_str() != sid
            || pending.iter().any(|p| p.record.iri == sid)
            || known.taken.contains(sid)
        {
            return None;
        }
        Some(sid.to_owned())
    }

    /// Refuses a description that, enriched as it will be kept and published (agency,
    /// classes of EU terms), would not conform to DCAT-AP 3.0.1: what is missing is named.
    async fn require_dcat_ap(&self, triples: &[Triple], iri: &str) -> Result<(), StoreError> {
        // The triples are enriched already (Registry::enrich).
        let data = triples.to_vec();
        let mut nodes = self.enricher.own_nodes(triples);
        nodes.insert(iri.to_owned());
        let findings = tokio::task::spawn_blocking(move || {
            record::shacl::shapes()
                .and_then(|s| s.validate(&data))
                .map(|f| record::shacl::own(f, &nodes))
        })
        .await
        .map_err(|e| StoreError::Graph(e.to_string()))?
        .map_err(|e| StoreError::Graph(e.to_string()))?;
        let violations: Vec<record::shacl::Finding> = findings
            .into_iter()
            .filter(|f| f.severity == "violation" && f.profile == record::shacl::PROFILE_DCAT_AP)
            .collect();
        let problems: Vec<String> = violations
            .iter()
            .map(|f| {
                format!(
                    "{} ({}{})",
                    f.message_en,
                    f.path.as_deref().unwrap_or("?"),
                    f.value
                        .as_deref()
                        .map(|v| format!(" = {v}"))
                        .unwrap_or_default()
                )
            })
            .collect();
        if problems.is_empty() {
            return Ok(());
        }
        Err(StoreError::Shapes {
            message: format!(
                "the description does not meet DCAT-AP 3.0.1: {} (save it with ?status=draft to finish it later)",
                problems.join("; ")
            ),
            findings: violations,
        })
    }

    /// The one way a change reaches the log, whatever made it (REST, import, harvest,
    /// approved requests, successions, agency renames, withdrawals): the versions (and, for a
    /// succession, its row) commit in one transaction while the caller's write lock is held;
    /// the lock is then released, the projections brought up to date when asked (bulk
    /// writers project later, in large runs), and the quality follower told which records to
    /// assess (agencies and withdrawn records have no report).
    pub(crate) async fn commit(
        &self,
        guard: tokio::sync::MutexGuard<'_, ()>,
        mut items: Vec<NewVersion>,
        succession: Option<&SuccessionRow>,
        project: bool,
    ) -> Result<Vec<NewVersion>, StoreError> {
        match succession {
            Some(s) => self.log.append_succession(&mut items, s).await?,
            None => self.log.append(&mut items).await?,
        }
        drop(guard);
        if project {
            self.catch_up().await?;
        }
        let assess: Vec<String> = items
            .iter()
            .filter(|i| i.record.kind != "agency" && i.record.status != "withdrawn")
            .map(|i| i.record.id.clone())
            .collect();
        assess_after_write(self, &assess).await;
        if items
            .iter()
            .any(|i| i.record.kind == Kind::DataService.as_str() && i.record.status == "published")
        {
            self.quality.offers_wake.notify_one();
        }
        Ok(items)
    }

    /// Withdraws a record: a new version with status withdrawn, content kept in history.
    pub async fn withdraw(
        &self,
        kind: Kind,
        id: &str,
        if_match: Option<&str>,
        prov: &Provenance,
    ) -> Result<RecordRow, StoreError> {
        let _guard = self.write_lock.lock().await;
        let cur = self
            .log
            .record(id)
            .await?
            .filter(|r| r.kind == kind.as_str())
            .ok_or_else(|| StoreError::NotFound(format!("{} {id}", kind.as_str())))?;
        if cur.status == "withdrawn" {
            return Err(StoreError::Withdrawn(format!("{} {id}", kind.as_str())));
        }
        self.guard_catalogue(&cur.id, prov).await?;
        if let Some(m) = if_match
            && m.trim() != cur.etag()
            && m.trim() != "*"
        {
            return Err(StoreError::Stale {
                current: cur.etag(),
            });
        }
        let items = vec![self.withdrawal(&cur, prov, now_micros()).await?];
        let mut items = self.commit(_guard, items, None, true).await?;
        Ok(items.remove(0).record)
    }

    /// The version that withdraws `cur`: its content kept, status `withdrawn`.
    async fn withdrawal(
        &self,
        cur: &RecordRow,
        prov: &Provenance,
        at: i64,
    ) -> Result<NewVersion, StoreError> {
        let v = self.log.current_version(cur).await?;
        let version = VersionRow {
            seq: 0,
            record_id: cur.id.clone(),
            version: cur.version + 1,
            status: "withdrawn".into(),
            author: prov.author.clone(),
            source: prov.source.clone(),
            at,
            ..v
        };
        let mut record = cur.clone();
        record.version += 1;
        record.status = "withdrawn".into();
        record.modified_at = at;
        Ok(NewVersion {
            version,
            record,
            agency: None,
        })
    }

    /// Withdraws several records in one transaction (a harvest's deletions): all or none.
    /// Records already withdrawn are skipped. Returns how many were withdrawn.
    pub async fn withdraw_many(
        &self,
        ids: &[String],
        prov: &Provenance,
    ) -> Result<usize, StoreError> {
        let _guard = self.write_lock.lock().await;
        let now = now_micros();
        let mut items = Vec::new();
        for id in ids {
            let Some(cur) = self.log.record(id).await? else {
                continue;
            };
            if cur.status == "withdrawn" {
                continue;
            }
            // Entries of the catalogue of databases leave it only by an approved request.
            if self.guard_catalogue(&cur.id, prov).await.is_err() {
                continue;
            }
            items.push(self.withdrawal(&cur, prov, now).await?);
        }
        let items = self.commit(_guard, items, None, false).await?;
        Ok(items.len())
    }

    /// Creates an agency (a record of kind agency, owned by itself).
    pub async fn create_agency(
        &self,
        code: &str,
        name_vi: &str,
        name_en: Option<&str>,
        parent: Option<&str>,
        prov: &Provenance,
    ) -> Result<RecordRow, StoreError> {
        let valid = !code.is_empty()
            && code.len() <= 64
            && code
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !valid {
            return Err(StoreError::Invalid(format!(
                "agency code '{code}' must be 1-64 ASCII letters, digits, '-' or '_'"
            )));
        }
        if name_vi.trim().is_empty() {
            return Err(StoreError::Invalid(
                "the agency needs a Vietnamese name (name.vi)".into(),
            ));
        }
        let _guard = self.write_lock.lock().await;
        if self.log.agency(code).await?.is_some() {
            return Err(StoreError::Conflict(format!(
                "agency '{code}' already exists"
            )));
        }
        let parent_row = match parent {
            Some(p) => Some(
                self.log
                    .agency(p)
                    .await?
                    .ok_or_else(|| StoreError::UnknownAgency(p.to_owned()))?,
            ),
            None => None,
        };
        let iri = self.agency_iri(code);
        let triples = agency_triples(
            &iri,
            code,
            name_vi,
            name_en,
            parent_row.as_ref().map(|p| p.iri.as_str()),
        );
        let n = record::normalise(
            triples,
            Kind::Agency,
            &NormaliseContext {
                record_iri: &iri,
                agency_iri: &iri,
                default_access: Visibility::Public,
                lenient_access: false,
            },
        )?;
        let now = now_micros();
        let agency = AgencyRow {
            code: code.to_owned(),
            iri: iri.clone(),
            name_vi: name_vi.trim().to_owned(),
            name_en: name_en.map(|s| s.trim().to_owned()),
            parent: parent.map(str::to_owned),
            created_at: now,
        };
        let items = vec![self.new_version(
            code,
            Kind::Agency,
            &iri,
            code,
            Status::Published,
            &n,
            "",
            1,
            None,
            None,
            prov,
            now,
            Some(agency),
        )];
        let mut items = self.commit(_guard, items, None, true).await?;
        Ok(items.remove(0).record)
    }

    /// Renames an agency: a new version of its record (the old name stays in history, so
    /// reports for past periods show the name it had then) and its current row.
    pub async fn rename_agency(
        &self,
        code: &str,
        name_vi: &str,
        name_en: Option<&str>,
        prov: &Provenance,
    ) -> Result<RecordRow, StoreError> {
        if name_vi.trim().is_empty() {
            return Err(StoreError::Invalid(
                "the agency needs a Vietnamese name (name.vi)".into(),
            ));
        }
        let _guard = self.write_lock.lock().await;
        let row = self
            .log
            .agency(code)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("agency {code}")))?;
        let cur = self
            .log
            .record(code)
            .await?
            .filter(|r| r.kind == Kind::Agency.as_str())
            .ok_or_else(|| StoreError::NotFound(format!("agency {code}")))?;
        let parent_iri = match &row.parent {
            Some(p) => self.log.agency(p).await?.map(|a| a.iri),
            None => None,
        };
        let mut triples = agency_triples(&row.iri, code, name_vi, name_en, parent_iri.as_deref());
        // What a rename does not touch: succession links and the change events they name.
        let kept = [
            org::CHANGED_BY,
            org::RESULTED_FROM,
            dct::REPLACES,
            dct::IS_REPLACED_BY,
        ];
        let current = self.log.current_version(&cur).await?;
        for t in record::parse_canonical(&current.canonical) {
            let own = matches!(&t.subject, oxigraph::model::NamedOrBlankNode::NamedNode(n) if n.as_str() == row.iri);
            if !own || kept.contains(&t.predicate.as_ref()) {
                triples.push(t);
            }
        }
        let n = record::normalise(
            triples,
            Kind::Agency,
            &NormaliseContext {
                record_iri: &row.iri,
                agency_iri: &row.iri,
                default_access: Visibility::Public,
                lenient_access: false,
            },
        )?;
        if n.hash == cur.content_hash {
            return Ok(cur);
        }
        let now = now_micros();
        let agency = AgencyRow {
            name_vi: name_vi.trim().to_owned(),
            name_en: name_en.map(|s| s.trim().to_owned()),
            ..row
        };
        let agency_iri = agency.iri.clone();
        let mut items = vec![self.new_version(
            code,
            Kind::Agency,
            &agency_iri,
            code,
            Status::Published,
            &n,
            "",
            cur.version + 1,
            Some(&cur),
            None,
            prov,
            now,
            Some(agency),
        )];
        // Records carry their agency's description (Registry::enrich): those naming it get a
        // new version with the new name, in the same transaction, so that feeds announce the
        // change and no published record keeps the old name.
        let mut cache = HashMap::new();
        let subject = NamedNode::new_unchecked(&agency_iri);
        cache.insert(
            agency_iri.clone(),
            Some(agent_description(&subject, &n.triples)),
        );
        for (rec, canonical) in self.log.records_naming(&agency_iri).await? {
            if let Some(v) = self
                .refreshed(&rec, &canonical, &mut cache, prov, now)
                .await?
            {
                items.push(v);
            }
        }
        let mut items = self.commit(_guard, items, None, true).await?;
        Ok(items.remove(0).record)
    }

    /// A new version of `rec` (current form `canonical`) enriched anew, or `None` when the
    /// enrichment changes nothing.
    async fn refreshed(
        &self,
        rec: &RecordRow,
        canonical: &str,
        agencies: &mut Agencies,
        prov: &Provenance,
        now: i64,
    ) -> Result<Option<NewVersion>, StoreError> {
        let kind = Kind::parse(&rec.kind).ok_or_else(|| {
            StoreError::Invalid(format!("record {} has kind {}", rec.id, rec.kind))
        })?;
        let n = record::normalise(
            record::parse_canonical(canonical),
            kind,
            &NormaliseContext {
                record_iri: &rec.iri,
                agency_iri: &self.agency_iri(&rec.agency),
                default_access: self.default_access,
                lenient_access: true,
            },
        )?;
        let mut n = self.enrich(n, kind, agencies).await?;
        // The canonical form states its access rights; whether they were defaulted is the
        // record's own fact.
        n.access_defaulted = rec.access_defaulted;
        if n.hash == rec.content_hash {
            return Ok(None);
        }
        let status = Status::parse(&rec.status).unwrap_or(Status::Published);
        Ok(Some(self.new_version(
            &rec.id,
            kind,
            &rec.iri,
            &rec.agency,
            status,
            &n,
            &rec.shared_with,
            rec.version + 1,
            Some(rec),
            rec.source_id.clone(),
            prov,
            now,
            None,
        )))
    }

    async fn shared_codes(&self, n: &Normalised) -> Result<String, StoreError> {
        let mut codes = Vec::new();
        for iri in &n.shared_with {
            match self.log.agency_by_iri(iri).await? {
                Some(a) => codes.push(a.code),
                None => {
                    return Err(StoreError::Invalid(format!(
                        "dcatvn:sharedWith <{iri}> is not an agency of this registry"
                    )));
                }
            }
        }
        codes.sort();
        codes.dedup();
        Ok(if codes.is_empty() {
            String::new()
        } else {
            format!("|{}|", codes.join("|"))
        })
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new_version(
        &self,
        id: &str,
        kind: Kind,
        iri: &str,
        agency: &str,
        status: Status,
        n: &Normalised,
        shared: &str,
        version: i64,
        existing: Option<&RecordRow>,
        source_id: Option<String>,
        prov: &Provenance,
        now: i64,
        new_agency: Option<AgencyRow>,
    ) -> NewVersion {
        NewVersion {
            version: VersionRow {
                seq: 0,
                record_id: id.to_owned(),
                version,
                kind: kind.as_str().into(),
                iri: iri.to_owned(),
                agency: agency.to_owned(),
                status: status.as_str().into(),
                visibility: n.visibility.as_str().into(),
                shared_with: shared.to_owned(),
                content_hash: n.hash.clone(),
                canonical: n.canonical.clone(),
                author: prov.author.clone(),
                source: prov.source.clone(),
                at: now,
            },
            record: RecordRow {
                id: id.to_owned(),
                kind: kind.as_str().into(),
                iri: iri.to_owned(),
                agency: agency.to_owned(),
                status: status.as_str().into(),
                visibility: n.visibility.as_str().into(),
                access_defaulted: n.access_defaulted,
                shared_with: shared.to_owned(),
                version,
                content_hash: n.hash.clone(),
                title_vi: n.title_vi.clone(),
                title_en: n.title_en.clone(),
                created_at: existing.map(|e| e.created_at).unwrap_or(now),
                modified_at: now,
                source: existing
                    .map(|e| e.source.clone())
                    .unwrap_or(prov.source.clone()),
                source_id: existing.and_then(|e| e.source_id.clone()).or(source_id),
                seq: 0,
            },
            agency: new_agency,
        }
    }
}

// The quality follower is declared here, beside the commit path that wakes it, so that the
// records name no service above them; crate::quality runs it.

/// Quality assessment as a follower of the change log, as the graph projections are: in the
/// server, a write wakes it instead of validating in line, so SHACL and MQA (about 2.4 ms a
/// record) stay out of every write's path. Readers of stored reports catch it up first
/// (crate::quality::assess_missing), so no aggregate is ever computed from stale reports.
#[derive(Debug, Default)]
pub struct QualityFollower {
    pub(crate) wake: tokio::sync::Notify,
    /// Wakes the endpoint-description refresher (crate::quality::services::spawn) after a data service
    /// is written.
    pub(crate) offers_wake: tokio::sync::Notify,
    pub(crate) running: std::sync::atomic::AtomicBool,
    pub(crate) pass: tokio::sync::Mutex<()>,
}

/// After a committed write: wakes the follower. A process without one (a CLI import or
/// harvest) leaves the reports to whoever reads them next: every reader of stored reports
/// catches up first (crate::quality::assess_missing) and a server's follower starts with a pass, so a
/// command-line write never pays for SHACL and MQA in line.
pub async fn assess_after_write(reg: &Registry, ids: &[String]) {
    if ids.is_empty() {
        return;
    }
    if reg
        .quality
        .running
        .load(std::sync::atomic::Ordering::Acquire)
    {
        reg.quality.wake.notify_one();
    }
}

/// JSON-LD fragments, by content hash, of the versions at `todo` in `versions`.
fn make_fragments(versions: &[(VersionRow, Vec<Triple>)], todo: &[usize]) -> Vec<(String, String)> {
    todo.iter()
        .filter_map(|&i| {
            let (v, triples) = &versions[i];
            match record::rdf::jsonld_fragment_of(triples) {
                Ok(f) => Some((v.content_hash.clone(), f)),
                Err(e) => {
                    tracing::warn!(record = %v.record_id, "no JSON-LD fragment: {e}");
                    None
                }
            }
        })
        .collect()
}

/// An agency's description: types, names, code, parent.
fn agency_triples(
    iri: &str,
    code: &str,
    name_vi: &str,
    name_en: Option<&str>,
    parent_iri: Option<&str>,
) -> Vec<Triple> {
    let s = NamedNode::new_unchecked(iri);
    let mut triples = vec![
        Triple::new(s.clone(), rdf::TYPE, foaf::AGENT),
        Triple::new(s.clone(), rdf::TYPE, org::ORGANIZATION),
        Triple::new(
            s.clone(),
            foaf::NAME,
            Literal::new_language_tagged_literal_unchecked(name_vi.trim(), "vi"),
        ),
        Triple::new(
            s.clone(),
            dct::IDENTIFIER,
            Literal::new_simple_literal(code),
        ),
        Triple::new(
            s.clone(),
            dcatvn::AGENCY_CODE,
            Literal::new_simple_literal(code),
        ),
    ];
    if let Some(en) = name_en.filter(|e| !e.trim().is_empty()) {
        triples.push(Triple::new(
            s.clone(),
            foaf::NAME,
            Literal::new_language_tagged_literal_unchecked(en.trim(), "en"),
        ));
    }
    if let Some(p) = parent_iri {
        triples.push(Triple::new(
            s,
            org::SUB_ORGANIZATION_OF,
            NamedNode::new_unchecked(p),
        ));
    }
    triples
}
