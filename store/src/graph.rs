//! The graph projections: three Oxigraph stores on RocksDB, one per audience, each holding one
//! named graph per record. What the public queries is a store that never received anything
//! but PUBLIC published records, so no query, however clever, can reach a restricted triple.
//! Each projection remembers the last log position it applied; replaying a version is
//! idempotent (the record's graph is replaced), so a crash between the log commit and the
//! projection update loses nothing.

use crate::StoreError;
use crate::log::VersionRow;
use crate::search::SearchIndex;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{GraphName, NamedNode, NamedNodeRef};
use oxigraph::store::Store;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, Ordering};

/// Which audience a store serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tier {
    /// Anonymous callers: PUBLIC published records.
    Public,
    /// Authenticated agencies: PUBLIC and RESTRICTED published records.
    Government,
    /// Admins (and agencies with NON_PUBLIC grants, through a dataset restriction): all
    /// published records.
    All,
}

/// The three stores and the log position they reflect.
pub struct Projections {
    /// PUBLIC published records.
    pub public: Store,
    /// PUBLIC and RESTRICTED published records.
    pub government: Store,
    /// All published records.
    pub all: Store,
    /// The full-text index of every published record, each document marked with who may
    /// read it (crate::search).
    pub search: SearchIndex,
    position_file: PathBuf,
    position: AtomicI64,
    apply_lock: Mutex<()>,
}

impl std::fmt::Debug for Projections {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Projections(position={})", self.position())
    }
}

/// From this many versions in one batch on, first versions are bulk-loaded.
const BULK_THRESHOLD: usize = 64;

/// Named graphs of the vocabulary and code lists loaded into every store.
pub const VOCAB_GRAPH_PREFIX: &str = "https://w3id.org/dcat-vn/graph/";

impl Projections {
    /// Opens (creating) the stores under `DATA/graph/`.
    pub fn open(data_dir: &Path) -> Result<Projections, StoreError> {
        let dir = data_dir.join("graph");
        let open = |name: &str| {
            let p = dir.join(name);
            std::fs::create_dir_all(&p)
                .map_err(|e| StoreError::Config(format!("cannot create {}: {e}", p.display())))?;
            Store::open(&p).map_err(|e| {
                let msg = e.to_string();
                if msg.contains("lock") {
                    StoreError::Locked(format!("the graph store {} is in use by another danhmuc process (stop the server first)", p.display()))
                } else {
                    StoreError::Graph(msg)
                }
            })
        };
        let position_file = dir.join("position");
        let position = std::fs::read_to_string(&position_file)
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(0);
        let p = Projections {
            public: open("public")?,
            government: open("government")?,
            all: open("all")?,
            search: SearchIndex::open(data_dir)?,
            position_file,
            position: AtomicI64::new(position),
            apply_lock: Mutex::new(()),
        };
        p.load_vocabulary()?;
        Ok(p)
    }

    /// Deletes the stores so that they can be rebuilt from the log.
    pub fn destroy(data_dir: &Path) -> Result<(), StoreError> {
        SearchIndex::destroy(data_dir)?;
        let dir = data_dir.join("graph");
        if dir.exists() {
            std::fs::remove_dir_all(&dir)
                .map_err(|e| StoreError::Config(format!("cannot remove {}: {e}", dir.display())))?;
        }
        Ok(())
    }

    /// The store for an audience.
    pub fn store(&self, tier: Tier) -> &Store {
        match tier {
            Tier::Public => &self.public,
            Tier::Government => &self.government,
            Tier::All => &self.all,
        }
    }

    /// The last log position every projection (graph stores and search index) has applied.
    pub fn position(&self) -> i64 {
        self.graph_position().min(self.search.position())
    }

    /// The last log position the graph stores have applied.
    pub fn graph_position(&self) -> i64 {
        self.position.load(Ordering::SeqCst)
    }

    fn load_vocabulary(&self) -> Result<(), StoreError> {
        let mut docs: Vec<(String, &str)> = vec![("dcatvn".into(), vocab::DCATVN_TTL)];
        for (name, ttl) in vocab::CODELISTS {
            docs.push((format!("codelist/{}", name.trim_end_matches(".ttl")), ttl));
        }
        for store in [&self.public, &self.government, &self.all] {
            for (name, ttl) in &docs {
                let g = NamedNode::new_unchecked(format!("{VOCAB_GRAPH_PREFIX}{name}"));
                if store.contains_named_graph(g.as_ref()).map_err(graph_err)? {
                    continue;
                }
                let parser = RdfParser::from_format(RdfFormat::Turtle)
                    .with_default_graph(GraphName::NamedNode(g.clone()));
                store
                    .load_from_slice(parser, ttl.as_bytes())
                    .map_err(|e| StoreError::Graph(e.to_string()))?;
            }
        }
        Ok(())
    }

    /// Applies versions (in log order) to every store, then records the position. Versions
    /// at or before the current position are skipped.
    pub fn apply(&self, versions: &[VersionRow]) -> Result<(), StoreError> {
        let _guard = self
            .apply_lock
            .lock()
            .map_err(|_| StoreError::Graph("apply lock poisoned".into()))?;
        let from = self.graph_position();
        let todo: Vec<&VersionRow> = versions.iter().filter(|v| v.seq > from).collect();
        let Some(last) = todo.last().map(|v| v.seq) else {
            return Ok(());
        };
        // First versions of records (a large import, a rebuild) go through Oxigraph's bulk
        // loader: there is no earlier graph to replace, and re-inserting the same quads after a
        // crash is harmless. Later versions replace their graph in a transaction, after them,
        // so a record's last version always wins.
        let (fresh, later): (Vec<&VersionRow>, Vec<&VersionRow>) = if todo.len() >= BULK_THRESHOLD {
            todo.iter().partition(|v| v.version == 1)
        } else {
            (Vec::new(), todo.clone())
        };
        for tier in [Tier::Public, Tier::Government, Tier::All] {
            let store = self.store(tier);
            if !fresh.is_empty() {
                let mut quads = Vec::new();
                for v in fresh.iter().filter(|v| included(tier, v)) {
                    let g = GraphName::NamedNode(NamedNodeRef::new_unchecked(&v.iri).into_owned());
                    for q in RdfParser::from_format(RdfFormat::NTriples)
                        .with_default_graph(g)
                        .for_slice(v.canonical.as_bytes())
                    {
                        quads.push(q.map_err(|e| {
                            StoreError::Graph(format!("log entry {} is not N-Triples: {e}", v.seq))
                        })?);
                    }
                }
                let mut loader = store.bulk_loader();
                loader.load_quads(quads).map_err(graph_err)?;
                loader.commit().map_err(graph_err)?;
            }
            let mut tx = store.start_transaction().map_err(graph_err)?;
            for v in &later {
                let g = NamedNodeRef::new_unchecked(&v.iri);
                tx.remove_named_graph(g).map_err(graph_err)?;
                if included(tier, v) {
                    tx.insert_named_graph(g);
                    for q in RdfParser::from_format(RdfFormat::NTriples)
                        .with_default_graph(GraphName::NamedNode(g.into_owned()))
                        .for_slice(v.canonical.as_bytes())
                    {
                        let q = q.map_err(|e| {
                            StoreError::Graph(format!("log entry {} is not N-Triples: {e}", v.seq))
                        })?;
                        tx.insert(&q);
                    }
                }
            }
            tx.commit().map_err(graph_err)?;
        }
        self.position.store(last, Ordering::SeqCst);
        // A lost position write only means replaying (idempotently) on the next start.
        let _ = std::fs::write(&self.position_file, last.to_string());
        Ok(())
    }

    /// Flushes the stores to disk.
    pub fn flush(&self) -> Result<(), StoreError> {
        for s in [&self.public, &self.government, &self.all] {
            s.flush().map_err(graph_err)?;
        }
        Ok(())
    }
}

/// Whether a version's graph belongs in a tier's store.
pub fn included(tier: Tier, v: &VersionRow) -> bool {
    if v.status != "published" {
        return false;
    }
    match tier {
        Tier::Public => v.visibility == "PUBLIC",
        Tier::Government => v.visibility == "PUBLIC" || v.visibility == "RESTRICTED",
        Tier::All => true,
    }
}

fn graph_err(e: impl std::fmt::Display) -> StoreError {
    StoreError::Graph(e.to_string())
}
