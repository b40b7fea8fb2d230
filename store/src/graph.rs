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
use oxigraph::model::{GraphName, NamedNode, NamedNodeRef, Quad, Triple};
use oxigraph::store::Store;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};

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
///
/// A store whose audience has so far been given exactly what the public one holds (no
/// RESTRICTED record for the government store, no RESTRICTED or NON_PUBLIC one for the
/// all-records store: an open-data catalogue) *shares* the public store: reads go to the
/// public store and nothing is written twice. The first version that would make it differ
/// first copies the public store into it, then it stands alone for good. Sharing never lets
/// anything reach a reader that the public store would not show an anonymous one.
pub struct Projections {
    /// PUBLIC published records.
    public: Store,
    /// PUBLIC and RESTRICTED published records.
    government: Store,
    /// All published records.
    all: Store,
    /// Whether the government and the all-records stores still share the public one; each
    /// is marked by a file beside the stores while it does.
    shared: [AtomicBool; 2],
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
        // New stores start sharing the public one; stores made before sharing existed, or
        // that stand alone already, have no marker and stay as they are.
        let fresh = !dir.join("public").exists();
        std::fs::create_dir_all(&dir)
            .map_err(|e| StoreError::Config(format!("cannot create {}: {e}", dir.display())))?;
        let shared = [Tier::Government, Tier::All].map(|t| {
            let marker = share_marker(&dir, t);
            if fresh {
                std::fs::write(&marker, "reads use the public store\n").map_err(|e| {
                    StoreError::Config(format!("cannot write {}: {e}", marker.display()))
                })?;
            }
            Ok::<_, StoreError>(AtomicBool::new(marker.exists()))
        });
        let [g, a] = shared;
        let shared = [g?, a?];
        let p = Projections {
            public: open("public")?,
            government: open("government")?,
            all: open("all")?,
            shared,
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
        if self.shares_public(tier) {
            return &self.public;
        }
        self.own_store(tier)
    }

    /// Whether an audience's reads go to the public store because its own would hold
    /// exactly the same.
    pub fn shares_public(&self, tier: Tier) -> bool {
        match tier {
            Tier::Public => false,
            Tier::Government => self.shared[0].load(Ordering::SeqCst),
            Tier::All => self.shared[1].load(Ordering::SeqCst),
        }
    }

    fn own_store(&self, tier: Tier) -> &Store {
        match tier {
            Tier::Public => &self.public,
            Tier::Government => &self.government,
            Tier::All => &self.all,
        }
    }

    /// Makes a sharing store stand alone: emptied (a copy cut short by a crash leaves
    /// nothing behind), given a copy of the public store, flushed, and only then unmarked.
    /// Called under the apply lock, so the public store does not change meanwhile.
    fn stand_alone(&self, tier: Tier) -> Result<(), StoreError> {
        let own = self.own_store(tier);
        own.clear().map_err(graph_err)?;
        let mut loader = own.bulk_loader();
        loader
            .load_ok_quads::<_, oxigraph::store::StorageError>(self.public.iter())
            .map_err(graph_err)?;
        loader.commit().map_err(graph_err)?;
        own.flush().map_err(graph_err)?;
        let dir = self.position_file.parent().unwrap_or(Path::new("."));
        std::fs::remove_file(share_marker(dir, tier))
            .map_err(|e| StoreError::Graph(format!("cannot unmark a shared store: {e}")))?;
        let i = if tier == Tier::Government { 0 } else { 1 };
        self.shared[i].store(false, Ordering::SeqCst);
        tracing::info!(store = ?tier, "a graph store now holds its own copy");
        Ok(())
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
        for tier in [Tier::Public, Tier::Government, Tier::All] {
            if self.shares_public(tier) {
                continue;
            }
            let store = self.own_store(tier);
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

    /// Applies versions (in log order), each with the triples its graph holds, to every
    /// store, then records the position. Versions at or before the current position are
    /// skipped. The caller parses each version once, for every projection.
    pub fn apply(&self, versions: &[(VersionRow, Vec<Triple>)]) -> Result<(), StoreError> {
        let _guard = self
            .apply_lock
            .lock()
            .map_err(|_| StoreError::Graph("apply lock poisoned".into()))?;
        let from = self.graph_position();
        let todo: Vec<&(VersionRow, Vec<Triple>)> =
            versions.iter().filter(|(v, _)| v.seq > from).collect();
        let Some(last) = todo.last().map(|(v, _)| v.seq) else {
            return Ok(());
        };
        // First versions of records (a large import, a rebuild) go through Oxigraph's bulk
        // loader: there is no earlier graph to replace, and re-inserting the same quads after a
        // crash is harmless. Later versions replace their graph in a transaction, after them,
        // so a record's last version always wins.
        let (fresh, later): (Vec<_>, Vec<_>) = if todo.len() >= BULK_THRESHOLD {
            todo.iter().partition(|(v, _)| v.version == 1)
        } else {
            (Vec::new(), todo.clone())
        };
        let quads = |v: &VersionRow, triples: &[Triple]| {
            let g = GraphName::NamedNode(NamedNodeRef::new_unchecked(&v.iri).into_owned());
            triples
                .iter()
                .map(move |t| t.clone().in_graph(g.clone()))
                .collect::<Vec<Quad>>()
        };
        for tier in [Tier::Government, Tier::All] {
            if self.shares_public(tier)
                && todo
                    .iter()
                    .any(|(v, _)| included(tier, v) != included(Tier::Public, v))
            {
                self.stand_alone(tier)?;
            }
        }
        for tier in [Tier::Public, Tier::Government, Tier::All] {
            if self.shares_public(tier) {
                continue;
            }
            let store = self.own_store(tier);
            let mine: Vec<_> = fresh.iter().filter(|(v, _)| included(tier, v)).collect();
            if !mine.is_empty() {
                let mut loader = store.bulk_loader();
                loader
                    .load_quads(mine.iter().flat_map(|(v, t)| quads(v, t)))
                    .map_err(graph_err)?;
                loader.commit().map_err(graph_err)?;
            }
            if later.is_empty() {
                continue;
            }
            let mut tx = store.start_transaction().map_err(graph_err)?;
            for (v, triples) in &later {
                let g = NamedNodeRef::new_unchecked(&v.iri);
                tx.remove_named_graph(g).map_err(graph_err)?;
                if included(tier, v) {
                    tx.insert_named_graph(g);
                    for q in quads(v, triples) {
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

/// The file that marks a store sharing the public one.
fn share_marker(dir: &Path, tier: Tier) -> PathBuf {
    dir.join(match tier {
        Tier::Government => "government.shares-public",
        _ => "all.shares-public",
    })
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

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{Literal, NamedNode};

    fn version(seq: i64, id: &str, version: i64, visibility: &str) -> (VersionRow, Vec<Triple>) {
        let iri = format!("https://r.example/datasets/{id}");
        let t = Triple::new(
            NamedNode::new_unchecked(&iri),
            NamedNode::new_unchecked("http://purl.org/dc/terms/title"),
            Literal::new_language_tagged_literal_unchecked(format!("Tiếng Việt {id}"), "vi"),
        );
        let v = VersionRow {
            seq,
            record_id: id.into(),
            version,
            kind: "dataset".into(),
            iri,
            agency: "so-tc".into(),
            status: "published".into(),
            visibility: visibility.into(),
            shared_with: String::new(),
            content_hash: String::new(),
            canonical: String::new(),
            author: "t".into(),
            source: "t".into(),
            at: seq,
        };
        (v, vec![t])
    }

    fn graphs(p: &Projections, tier: Tier) -> Vec<String> {
        let mut g: Vec<String> = p
            .store(tier)
            .named_graphs()
            .map(|g| g.unwrap().to_string())
            .filter(|g| !g.contains("w3id.org/dcat-vn/graph/"))
            .collect();
        g.sort();
        g
    }

    #[test]
    fn stores_share_the_public_one_until_a_restricted_record_arrives_and_never_leak() {
        let dir = tempfile::tempdir().unwrap();
        let p = Projections::open(dir.path()).unwrap();
        assert!(p.shares_public(Tier::Government) && p.shares_public(Tier::All));
        // Public records only (a bulk batch and a small one): nothing is written twice.
        let bulk: Vec<_> = (1..=70)
            .map(|i| version(i, &format!("p{i}"), 1, "PUBLIC"))
            .collect();
        p.apply(&bulk).unwrap();
        p.apply(&[version(71, "p1", 2, "PUBLIC")]).unwrap();
        assert!(p.shares_public(Tier::Government) && p.shares_public(Tier::All));
        assert_eq!(p.own_store(Tier::Government).len().unwrap(), 0);
        assert_eq!(graphs(&p, Tier::Government).len(), 70);
        // A RESTRICTED record: the government and all-records stores take a copy first;
        // the public store never sees it.
        p.apply(&[version(72, "r", 1, "RESTRICTED")]).unwrap();
        assert!(!p.shares_public(Tier::Government) && !p.shares_public(Tier::All));
        let r = "<https://r.example/datasets/r>".to_string();
        assert!(!graphs(&p, Tier::Public).contains(&r));
        assert!(graphs(&p, Tier::Government).contains(&r));
        assert!(graphs(&p, Tier::All).contains(&r));
        assert_eq!(graphs(&p, Tier::Government).len(), 71);
        // Later public writes reach every store on their own now.
        p.apply(&[version(73, "p2", 2, "PUBLIC")]).unwrap();
        let title = |tier| {
            p.store(tier)
                .quads_for_pattern(
                    Some(
                        NamedNode::new_unchecked("https://r.example/datasets/p2")
                            .as_ref()
                            .into(),
                    ),
                    None,
                    None,
                    None,
                )
                .count()
        };
        assert_eq!((title(Tier::Public), title(Tier::Government)), (1, 1));
        drop(p);
        // The state survives a reopen.
        let p = Projections::open(dir.path()).unwrap();
        assert!(!p.shares_public(Tier::Government));
        assert_eq!(graphs(&p, Tier::Government).len(), 71);
        assert_eq!(graphs(&p, Tier::Public).len(), 70);
    }

    #[test]
    fn a_non_public_record_parts_only_the_all_records_store() {
        let dir = tempfile::tempdir().unwrap();
        let p = Projections::open(dir.path()).unwrap();
        p.apply(&[version(1, "n", 1, "NON_PUBLIC")]).unwrap();
        assert!(p.shares_public(Tier::Government));
        assert!(!p.shares_public(Tier::All));
        assert_eq!(graphs(&p, Tier::Government), Vec::<String>::new());
        assert_eq!(
            graphs(&p, Tier::All),
            vec!["<https://r.example/datasets/n>".to_string()]
        );
    }
}
