//! The search projection: a tantivy index of every published record, following the change
//! log like the graph stores. Each document carries who may read it (`readers`), and every
//! query is filtered by its caller's audience before anything is scored, counted or
//! returned, so no title, snippet or facet count of a record reaches a caller who may not
//! read it. Its log position is the payload of its own commit: the index and the position it
//! reflects change together, and replaying a version is idempotent (the record's document is
//! replaced), so a crash between the log commit and the index update loses nothing.
//!
//! Vietnamese is searched twice over: every text field has an exact twin (NFC, lower case)
//! and a folded one (diacritics removed, `đ` → `d`), so `truong hoc` finds `trường học` while
//! a query typed with its accents ranks the records that have them first.

use crate::StoreError;
use crate::log::{Audience, VersionRow};
use oxigraph::model::Triple;
use std::collections::HashMap;
use std::ops::Bound;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, Ordering};
use tantivy::collector::{Collector, Count, SegmentCollector, TopDocs};
use tantivy::columnar::StrColumn;
use tantivy::directory::MmapDirectory;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, PhraseQuery, Query,
    RangeQuery, TermQuery, TermSetQuery,
};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TEXT, TantivyDocument, Value,
};
use tantivy::{DocAddress, DocId, Index, IndexReader, IndexWriter, Order, ReloadPolicy, Term};
use unicode_normalization::UnicodeNormalization;

/// Changed whenever the schema or what is indexed changes: an index of another version is
/// rebuilt from the log at start.
const SCHEMA_VERSION: &str = "2";

/// The `kind` facet value of catalogue-of-databases entries (R1), beside their `dataset`.
pub const DATABASE_ENTRY: &str = "database-entry";

/// The facets a search answers with, in the order of the REST response.
pub const FACETS: [&str; 7] = [
    "kind",
    "agency",
    "theme",
    "format",
    "license",
    "frequency",
    "spatial",
];

/// The reader terms a caller's documents carry (see [`readers`]); `None`: every document.
fn reader_terms(a: &Audience) -> Option<Vec<String>> {
    match a {
        Audience::Admin => None,
        Audience::Public => Some(vec!["public".into()]),
        Audience::Agency(code) => Some(vec![
            "public".into(),
            "government".into(),
            format!("agency:{code}"),
        ]),
    }
}

/// Who may read a published version: `public` (PUBLIC), `government` (RESTRICTED: every
/// agency), or `agency:CODE` for the owner and each agency a NON_PUBLIC record is shared
/// with; admins read everything. The same rules as SPARQL and REST.
fn readers(v: &VersionRow) -> Vec<String> {
    match v.visibility.as_str() {
        "PUBLIC" => vec!["public".into()],
        "RESTRICTED" => vec!["government".into()],
        _ => std::iter::once(v.agency.as_str())
            .chain(v.shared_with.split('|').filter(|s| !s.is_empty()))
            .map(|a| format!("agency:{a}"))
            .collect(),
    }
}

/// How results are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    /// Best match first (the most recently changed first when there is no text).
    Relevance,
    /// Most recently changed first.
    Modified,
    /// By title, folded, A to Z.
    Title,
}

/// A search request, already validated.
#[derive(Debug, Clone)]
pub struct SearchQuery {
    /// What the caller typed (may be empty: everything, by `sort`).
    pub q: String,
    /// Facet filters by facet name ([`FACETS`]): values of one facet are ORed, facets ANDed.
    pub filters: HashMap<String, Vec<String>>,
    /// Records changed at or after this time (µs since the epoch).
    pub modified_since: Option<i64>,
    /// Records whose `dct:issued` is at or after this time (µs since the epoch).
    pub issued_since: Option<i64>,
    /// Order.
    pub sort: Sort,
    /// Page size.
    pub limit: usize,
    /// Results to skip.
    pub offset: usize,
    /// Who asks.
    pub audience: Audience,
}

/// One hit, with what a result list shows.
#[derive(Debug, Clone)]
pub struct SearchHit {
    /// Record id.
    pub id: String,
    /// Record IRI.
    pub iri: String,
    /// Kind name.
    pub kind: String,
    /// Owning agency code.
    pub agency: String,
    /// Titles as `(language tag, text)`.
    pub titles: Vec<(String, String)>,
    /// Descriptions as `(language tag, text)`.
    pub descriptions: Vec<(String, String)>,
    /// Last change in the registry, µs since the epoch.
    pub modified: i64,
    /// `dct:issued` as the record states it, µs since the epoch.
    pub issued: Option<i64>,
    /// Relevance score (0 when sorted otherwise).
    pub score: f32,
}

/// A page of results, the total and exact facet counts over the whole filtered result set.
#[derive(Debug, Clone)]
pub struct SearchResults {
    /// How many records match.
    pub total: usize,
    /// This page.
    pub hits: Vec<SearchHit>,
    /// Per facet (in [`FACETS`] order), `(value, count)`, most frequent first.
    pub facets: Vec<(&'static str, Vec<(String, u64)>)>,
}

#[derive(Debug, Clone, Copy)]
struct Fields {
    id: Field,
    iri: Field,
    kind: Field,
    agency: Field,
    readers: Field,
    theme: Field,
    format: Field,
    license: Field,
    frequency: Field,
    spatial: Field,
    title: Field,
    title_f: Field,
    keyword: Field,
    keyword_f: Field,
    desc: Field,
    desc_f: Field,
    other: Field,
    other_f: Field,
    modified: Field,
    issued: Field,
    sort_title: Field,
    shown: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let f = Fields {
        id: b.add_text_field("id", STRING | STORED),
        iri: b.add_text_field("iri", STORED),
        kind: b.add_text_field("kind", STRING | FAST | STORED),
        agency: b.add_text_field("agency", STRING | FAST | STORED),
        readers: b.add_text_field("readers", STRING),
        theme: b.add_text_field("theme", STRING | FAST),
        format: b.add_text_field("format", STRING | FAST),
        license: b.add_text_field("license", STRING | FAST),
        frequency: b.add_text_field("frequency", STRING | FAST),
        spatial: b.add_text_field("spatial", STRING | FAST),
        title: b.add_text_field("title", TEXT),
        title_f: b.add_text_field("title_f", TEXT),
        keyword: b.add_text_field("keyword", TEXT),
        keyword_f: b.add_text_field("keyword_f", TEXT),
        desc: b.add_text_field("desc", TEXT),
        desc_f: b.add_text_field("desc_f", TEXT),
        other: b.add_text_field("other", TEXT),
        other_f: b.add_text_field("other_f", TEXT),
        modified: b.add_i64_field("modified", INDEXED | FAST | STORED),
        issued: b.add_i64_field("issued", INDEXED | FAST | STORED),
        sort_title: b.add_text_field("sort_title", STRING | FAST),
        shown: b.add_text_field("shown", STORED),
    };
    (b.build(), f)
}

/// The index under `DATA/search/`.
pub struct SearchIndex {
    writer: Mutex<IndexWriter>,
    reader: IndexReader,
    f: Fields,
    position: AtomicI64,
    dir: PathBuf,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SearchIndex(position={})", self.position())
    }
}

/// Memory the index writer may buffer before it writes a segment.
const WRITER_BYTES: usize = 64 * 1024 * 1024;

/// Longest description kept for display.
const SHOWN_DESCRIPTION_CHARS: usize = 400;

impl SearchIndex {
    /// The index's directory under a data directory.
    pub fn dir(data_dir: &Path) -> PathBuf {
        data_dir.join("search")
    }

    /// Opens (creating, or recreating when its schema version changed) the index.
    pub fn open(data_dir: &Path) -> Result<SearchIndex, StoreError> {
        let dir = Self::dir(data_dir);
        let version_file = dir.join("schema-version");
        if dir.exists()
            && std::fs::read_to_string(&version_file)
                .map(|v| v.trim() != SCHEMA_VERSION)
                .unwrap_or(true)
        {
            Self::destroy(data_dir)?;
        }
        std::fs::create_dir_all(&dir)
            .map_err(|e| StoreError::Config(format!("cannot create {}: {e}", dir.display())))?;
        std::fs::write(&version_file, SCHEMA_VERSION).map_err(|e| {
            StoreError::Config(format!("cannot write {}: {e}", version_file.display()))
        })?;
        let (schema, f) = schema();
        let mmap = MmapDirectory::open(&dir).map_err(search_err)?;
        let index = Index::open_or_create(mmap, schema).map_err(search_err)?;
        let writer = index
            .writer_with_num_threads(1, WRITER_BYTES)
            .map_err(|e| {
                let msg = e.to_string();
                if msg.to_lowercase().contains("lock") {
                    StoreError::Locked(format!(
                        "the search index {} is in use by another danhmuc process (stop the server first)",
                        dir.display()
                    ))
                } else {
                    search_err(msg)
                }
            })?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(search_err)?;
        let position = index
            .load_metas()
            .map_err(search_err)?
            .payload
            .and_then(|p| p.parse().ok())
            .unwrap_or(0);
        Ok(SearchIndex {
            writer: Mutex::new(writer),
            reader,
            f,
            position: AtomicI64::new(position),
            dir,
        })
    }

    /// Deletes the index so that it can be rebuilt from the log.
    pub fn destroy(data_dir: &Path) -> Result<(), StoreError> {
        let dir = Self::dir(data_dir);
        if dir.exists() {
            std::fs::remove_dir_all(&dir)
                .map_err(|e| StoreError::Config(format!("cannot remove {}: {e}", dir.display())))?;
        }
        Ok(())
    }

    /// The last log position the index reflects.
    pub fn position(&self) -> i64 {
        self.position.load(Ordering::SeqCst)
    }

    /// Applies versions (in log order, each with its stored description, enrichment
    /// included), then commits them with their position. Versions at or before the current
    /// position are skipped.
    ///
    /// `offers` holds, by record id, the operation texts of the endpoint descriptions a data
    /// service points at (crate::services), searched with the record's own text.
    pub fn apply(
        &self,
        versions: &[(VersionRow, Vec<Triple>)],
        offers: &HashMap<String, Vec<String>>,
    ) -> Result<(), StoreError> {
        let mut w = self
            .writer
            .lock()
            .map_err(|_| StoreError::Search("index writer poisoned".into()))?;
        let from = self.position();
        let mut last = None;
        for (v, triples) in versions.iter().filter(|(v, _)| v.seq > from) {
            // Deletes apply to documents added before them: an older version in this same
            // batch is replaced too.
            w.delete_term(Term::from_field_text(self.f.id, &v.record_id));
            if v.status == "published" {
                let offered = offers.get(&v.record_id).map(Vec::as_slice).unwrap_or(&[]);
                w.add_document(self.document(v, triples, offered))
                    .map_err(search_err)?;
            }
            last = Some(v.seq);
        }
        let Some(last) = last else { return Ok(()) };
        let mut prepared = w.prepare_commit().map_err(search_err)?;
        prepared.set_payload(&last.to_string());
        prepared.commit().map_err(search_err)?;
        self.reader.reload().map_err(search_err)?;
        self.position.store(last, Ordering::SeqCst);
        Ok(())
    }

    /// Re-reads records whose endpoint descriptions changed: each given current version
    /// replaces its document (a withdrawn or unpublished one only goes). The log position
    /// stays: a version the index has not reached yet is applied again, in order, later.
    pub fn reindex(
        &self,
        versions: &[(VersionRow, Vec<Triple>)],
        offers: &HashMap<String, Vec<String>>,
    ) -> Result<(), StoreError> {
        if versions.is_empty() {
            return Ok(());
        }
        let mut w = self
            .writer
            .lock()
            .map_err(|_| StoreError::Search("index writer poisoned".into()))?;
        for (v, triples) in versions {
            w.delete_term(Term::from_field_text(self.f.id, &v.record_id));
            if v.status == "published" {
                let offered = offers.get(&v.record_id).map(Vec::as_slice).unwrap_or(&[]);
                w.add_document(self.document(v, triples, offered))
                    .map_err(search_err)?;
            }
        }
        let mut prepared = w.prepare_commit().map_err(search_err)?;
        prepared.set_payload(&self.position().to_string());
        prepared.commit().map_err(search_err)?;
        self.reader.reload().map_err(search_err)?;
        Ok(())
    }

    fn document(&self, v: &VersionRow, triples: &[Triple], offered: &[String]) -> TantivyDocument {
        let f = &self.f;
        let s = record::search::search_doc(&v.iri, triples);
        let mut d = TantivyDocument::default();
        d.add_text(f.id, &v.record_id);
        d.add_text(f.iri, &v.iri);
        d.add_text(f.kind, &v.kind);
        if s.database_entry {
            d.add_text(f.kind, DATABASE_ENTRY);
        }
        d.add_text(f.agency, &v.agency);
        for r in readers(v) {
            d.add_text(f.readers, r);
        }
        let mut both = |exact: Field, folded: Field, text: &str| {
            d.add_text(exact, text);
            d.add_text(folded, vocab::text::fold(text));
        };
        for (_, t) in &s.titles {
            both(f.title, f.title_f, t);
        }
        for k in &s.keywords {
            both(f.keyword, f.keyword_f, k);
        }
        for (_, t) in &s.descriptions {
            both(f.desc, f.desc_f, t);
        }
        for o in s.other.iter().chain(offered) {
            both(f.other, f.other_f, o);
        }
        for (field, values) in [
            (f.theme, &s.themes),
            (f.format, &s.formats),
            (f.license, &s.licenses),
            (f.frequency, &s.frequencies),
            (f.spatial, &s.spatial),
        ] {
            for x in values {
                d.add_text(field, x);
            }
        }
        d.add_i64(f.modified, v.at);
        if let Some(issued) = s.issued {
            d.add_i64(f.issued, issued);
        }
        d.add_text(
            f.sort_title,
            vocab::text::fold(s.title("vi").unwrap_or_default()),
        );
        let cut = |t: &str| -> String {
            let mut out: String = t.chars().take(SHOWN_DESCRIPTION_CHARS).collect();
            if out.len() < t.len() {
                out.push('…');
            }
            out
        };
        let shown = serde_json::json!({
            "titles": s.titles,
            "descriptions": s.descriptions.iter().map(|(l, t)| (l, cut(t))).collect::<Vec<_>>(),
        });
        d.add_text(f.shown, shown.to_string());
        d
    }

    /// The query for what the caller typed: every word must be found (exactly, folded, as a
    /// prefix for the last word, or one letter off for longer words) in some field; phrases
    /// and exact diacritics rank higher; titles weigh most, then keywords, names and labels,
    /// then descriptions.
    fn text_query(&self, q: &str) -> Option<Box<dyn Query>> {
        let f = &self.f;
        let exact = words(&q.nfc().collect::<String>());
        let folded = words(&vocab::text::fold(q));
        if folded.is_empty() {
            return None;
        }
        let weights = [
            (f.title, f.title_f, 6.0, 3.0),
            (f.keyword, f.keyword_f, 3.0, 2.0),
            (f.other, f.other_f, 2.0, 1.2),
            (f.desc, f.desc_f, 1.0, 0.6),
        ];
        let term_q = |field: Field, w: &str, boost: f32| -> Box<dyn Query> {
            Box::new(BoostQuery::new(
                Box::new(TermQuery::new(
                    Term::from_field_text(field, w),
                    IndexRecordOption::WithFreqs,
                )),
                boost,
            ))
        };
        let mut must: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let n = folded.len();
        for (i, fw) in folded.iter().enumerate() {
            let mut any: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            let ew = exact.get(i).filter(|_| exact.len() == n);
            for (ef, ff, eb, fb) in weights {
                if let Some(ew) = ew {
                    any.push((Occur::Should, term_q(ef, ew, eb)));
                }
                any.push((Occur::Should, term_q(ff, fw, fb)));
                let last = i + 1 == n;
                if last {
                    any.push((
                        Occur::Should,
                        Box::new(BoostQuery::new(
                            Box::new(FuzzyTermQuery::new_prefix(
                                Term::from_field_text(ff, fw),
                                0,
                                false,
                            )),
                            fb * 0.5,
                        )),
                    ));
                }
                if fw.chars().count() >= 4 {
                    any.push((
                        Occur::Should,
                        Box::new(BoostQuery::new(
                            Box::new(FuzzyTermQuery::new(Term::from_field_text(ff, fw), 1, true)),
                            fb * 0.3,
                        )),
                    ));
                }
            }
            must.push((Occur::Must, Box::new(BooleanQuery::new(any))));
        }
        if n >= 2 {
            let phrase = |field: Field, ws: &[String], boost: f32| -> Box<dyn Query> {
                let terms = ws.iter().map(|w| Term::from_field_text(field, w)).collect();
                Box::new(BoostQuery::new(Box::new(PhraseQuery::new(terms)), boost))
            };
            if exact.len() == n {
                must.push((Occur::Should, phrase(f.title, &exact, 8.0)));
            }
            must.push((Occur::Should, phrase(f.title_f, &folded, 5.0)));
            must.push((Occur::Should, phrase(f.keyword_f, &folded, 2.0)));
            must.push((Occur::Should, phrase(f.other_f, &folded, 1.5)));
            must.push((Occur::Should, phrase(f.desc_f, &folded, 1.0)));
        }
        Some(Box::new(BooleanQuery::new(must)))
    }

    fn facet_field(&self, name: &str) -> Option<Field> {
        let f = &self.f;
        Some(match name {
            "kind" => f.kind,
            "agency" => f.agency,
            "theme" => f.theme,
            "format" => f.format,
            "license" => f.license,
            "frequency" => f.frequency,
            "spatial" => f.spatial,
            _ => return None,
        })
    }

    /// Runs a search.
    pub fn search(&self, sq: &SearchQuery) -> Result<SearchResults, StoreError> {
        let f = &self.f;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let text = self.text_query(&sq.q);
        let has_text = text.is_some();
        clauses.push((Occur::Must, text.unwrap_or_else(|| Box::new(AllQuery))));
        if let Some(r) = reader_terms(&sq.audience) {
            let terms = r.iter().map(|x| Term::from_field_text(f.readers, x));
            clauses.push(filter(TermSetQuery::new(terms)));
        }
        for (name, values) in &sq.filters {
            let Some(field) = self.facet_field(name) else {
                return Err(StoreError::Invalid(format!("unknown facet '{name}'")));
            };
            if values.is_empty() {
                continue;
            }
            let terms = values.iter().map(|x| Term::from_field_text(field, x));
            clauses.push(filter(TermSetQuery::new(terms)));
        }
        for (field, since) in [(f.modified, sq.modified_since), (f.issued, sq.issued_since)] {
            if let Some(since) = since {
                clauses.push(filter(RangeQuery::new(
                    Bound::Included(Term::from_field_i64(field, since)),
                    Bound::Unbounded,
                )));
            }
        }
        let query = BooleanQuery::new(clauses);
        let searcher = self.reader.searcher();
        let page = TopDocs::with_limit(sq.limit.max(1)).and_offset(sq.offset);
        let facets = FacetCounts(FACETS);
        let sort = match sq.sort {
            Sort::Relevance if !has_text => Sort::Modified,
            s => s,
        };
        let (hits, total, counts): (Vec<(f32, DocAddress)>, usize, FacetFruit) = match sort {
            Sort::Relevance => {
                let (h, c, fc) =
                    searcher.search(&query, &(page.order_by_score(), Count, facets))?;
                (h, c, fc)
            }
            Sort::Modified => {
                let (h, c, fc) = searcher.search(
                    &query,
                    &(
                        page.order_by_fast_field::<i64>("modified", Order::Desc),
                        Count,
                        facets,
                    ),
                )?;
                (h.into_iter().map(|(_, a)| (0.0, a)).collect(), c, fc)
            }
            Sort::Title => {
                let (h, c, fc) = searcher.search(
                    &query,
                    &(
                        page.order_by_string_fast_field("sort_title", Order::Asc),
                        Count,
                        facets,
                    ),
                )?;
                (h.into_iter().map(|(_, a)| (0.0, a)).collect(), c, fc)
            }
        };
        let mut out = Vec::with_capacity(hits.len());
        for (score, addr) in hits {
            let d: TantivyDocument = searcher.doc(addr)?;
            let text = |field: Field| {
                d.get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_owned()
            };
            let shown: serde_json::Value = serde_json::from_str(&text(f.shown)).unwrap_or_default();
            let pairs = |key: &str| -> Vec<(String, String)> {
                serde_json::from_value(shown[key].clone()).unwrap_or_default()
            };
            out.push(SearchHit {
                id: text(f.id),
                iri: text(f.iri),
                kind: text(f.kind),
                agency: text(f.agency),
                titles: pairs("titles"),
                descriptions: pairs("descriptions"),
                modified: d
                    .get_first(f.modified)
                    .and_then(|v| v.as_i64())
                    .unwrap_or(0),
                issued: d.get_first(f.issued).and_then(|v| v.as_i64()),
                score,
            });
        }
        let facets = FACETS
            .iter()
            .zip(counts)
            .map(|(name, c)| {
                let mut v: Vec<(String, u64)> = c.into_iter().collect();
                v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                (*name, v)
            })
            .collect();
        Ok(SearchResults {
            total,
            hits: out,
            facets,
        })
    }

    /// How many documents the index holds (every audience).
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Whether the index holds nothing.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes the index takes on disk.
    pub fn disk_bytes(&self) -> u64 {
        dir_bytes(&self.dir)
    }
}

fn dir_bytes(p: &Path) -> u64 {
    std::fs::read_dir(p)
        .map(|it| {
            it.flatten()
                .filter_map(|e| e.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

/// A clause that must match and adds nothing to the score.
fn filter(q: impl Query + 'static) -> (Occur, Box<dyn Query>) {
    (
        Occur::Must,
        Box::new(ConstScoreQuery::new(Box::new(q), 0.0)),
    )
}

/// Words of a text as the default analyser cuts them (alphanumeric runs, lower case).
fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && w.len() < 40)
        .map(|w| w.to_lowercase())
        .collect()
}

/// Per facet, value → count.
type FacetFruit = Vec<HashMap<String, u64>>;

/// Exact counts of the values of each facet over every matching document.
struct FacetCounts([&'static str; 7]);

struct SegmentFacets {
    columns: Vec<Option<StrColumn>>,
    counts: Vec<Vec<u64>>,
}

impl Collector for FacetCounts {
    type Fruit = Vec<HashMap<String, u64>>;
    type Child = SegmentFacets;

    fn for_segment(
        &self,
        _: tantivy::SegmentOrdinal,
        reader: &tantivy::SegmentReader,
    ) -> tantivy::Result<SegmentFacets> {
        let mut columns = Vec::new();
        let mut counts = Vec::new();
        for name in self.0 {
            let c = reader.fast_fields().str(name)?;
            counts.push(vec![0; c.as_ref().map(|c| c.num_terms()).unwrap_or(0)]);
            columns.push(c);
        }
        Ok(SegmentFacets { columns, counts })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        let mut out: Vec<HashMap<String, u64>> = vec![HashMap::new(); self.0.len()];
        for fruit in fruits {
            for (i, m) in fruit.into_iter().enumerate() {
                for (k, n) in m {
                    *out[i].entry(k).or_default() += n;
                }
            }
        }
        Ok(out)
    }
}

impl SegmentCollector for SegmentFacets {
    type Fruit = Vec<HashMap<String, u64>>;

    fn collect(&mut self, doc: DocId, _: tantivy::Score) {
        for (c, counts) in self.columns.iter().zip(self.counts.iter_mut()) {
            if let Some(c) = c {
                for ord in c.term_ords(doc) {
                    if let Some(n) = counts.get_mut(ord as usize) {
                        *n += 1;
                    }
                }
            }
        }
    }

    fn harvest(self) -> Self::Fruit {
        self.columns
            .iter()
            .zip(self.counts)
            .map(|(c, counts)| {
                let mut m = HashMap::new();
                if let Some(c) = c {
                    for (ord, n) in counts.into_iter().enumerate().filter(|(_, n)| *n > 0) {
                        let mut s = String::new();
                        if c.ord_to_str(ord as u64, &mut s).unwrap_or(false) {
                            m.insert(s, n);
                        }
                    }
                }
                m
            })
            .collect()
    }
}

impl From<tantivy::TantivyError> for StoreError {
    fn from(e: tantivy::TantivyError) -> Self {
        StoreError::Search(e.to_string())
    }
}

fn search_err(e: impl std::fmt::Display) -> StoreError {
    StoreError::Search(e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(
        seq: i64,
        id: &str,
        visibility: &str,
        agency: &str,
        ttl_body: &str,
    ) -> (VersionRow, Vec<Triple>) {
        let iri = format!("https://r.example/datasets/{id}");
        let triples: Vec<oxigraph::model::Triple> =
            oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::Turtle)
                .for_slice(format!("<{iri}> {ttl_body} .").as_bytes())
                .map(|q| q.unwrap().into())
                .collect();
        let v = VersionRow {
            seq,
            record_id: id.into(),
            version: 1,
            kind: "dataset".into(),
            iri,
            agency: agency.into(),
            status: "published".into(),
            visibility: visibility.into(),
            shared_with: String::new(),
            content_hash: String::new(),
            canonical: triples.iter().map(|t| format!("{t} .\n")).collect(),
            author: "t".into(),
            source: "t".into(),
            at: 1_000_000 * seq,
        };
        (v, triples)
    }

    fn query(q: &str, audience: Audience) -> SearchQuery {
        SearchQuery {
            q: q.into(),
            filters: HashMap::new(),
            modified_since: None,
            issued_since: None,
            sort: Sort::Relevance,
            limit: 10,
            offset: 0,
            audience,
        }
    }

    const CSV: &str = "<http://purl.org/dc/terms/format> <http://publications.europa.eu/resource/authority/file-type/CSV>";

    #[test]
    fn folded_queries_find_diacritics_exact_ones_rank_first_and_restricted_records_stay_hidden() {
        let dir = tempfile::tempdir().unwrap();
        let idx = SearchIndex::open(dir.path()).unwrap();
        let t = "<http://purl.org/dc/terms/title>";
        idx.apply(
            &[
                version(
                    1,
                    "a",
                    "PUBLIC",
                    "so-gd",
                    &format!("{t} \"Danh sách trường học\"@vi"),
                ),
                version(
                    2,
                    "b",
                    "PUBLIC",
                    "so-gd",
                    &format!("{t} \"Danh sach truong hoc cu\"@vi"),
                ),
                version(
                    3,
                    "c",
                    "RESTRICTED",
                    "so-yt",
                    &format!("{t} \"Trường học bí mật\"@vi"),
                ),
                version(
                    4,
                    "d",
                    "NON_PUBLIC",
                    "so-yt",
                    &format!("{t} \"Trường học nội bộ\"@vi"),
                ),
                version(
                    5,
                    "e",
                    "PUBLIC",
                    "so-yt",
                    &format!(
                        "{t} \"Bệnh viện\"@vi ; <http://www.w3.org/ns/dcat#distribution> [ {CSV} ]"
                    ),
                ),
            ],
            &HashMap::new(),
        )
        .unwrap();
        assert_eq!(idx.position(), 5);
        let ids = |r: &SearchResults| r.hits.iter().map(|h| h.id.clone()).collect::<Vec<_>>();
        // Without accents both are found; with them, the accented title first.
        let r = idx.search(&query("truong hoc", Audience::Public)).unwrap();
        assert_eq!(r.total, 2, "{:?}", ids(&r));
        let r = idx.search(&query("trường học", Audience::Public)).unwrap();
        assert_eq!(ids(&r)[0], "a");
        // NFD input matches.
        let nfd: String = "trường học".nfd().collect();
        assert_eq!(
            idx.search(&query(&nfd, Audience::Public)).unwrap().hits[0].id,
            "a"
        );
        // Anonymous callers never see restricted or non-public records, nor count them.
        let r = idx.search(&query("", Audience::Public)).unwrap();
        assert_eq!(r.total, 3);
        let agency = r.facets.iter().find(|(n, _)| *n == "agency").unwrap();
        assert_eq!(
            agency.1,
            vec![("so-gd".to_owned(), 2), ("so-yt".to_owned(), 1)]
        );
        // Another agency sees RESTRICTED but not so-yt's NON_PUBLIC record; so-yt sees both.
        let r = idx
            .search(&query("trường", Audience::Agency("so-gd".into())))
            .unwrap();
        assert_eq!(r.total, 3, "{:?}", ids(&r));
        let r = idx
            .search(&query("trường", Audience::Agency("so-yt".into())))
            .unwrap();
        assert_eq!(r.total, 4);
        assert_eq!(idx.search(&query("", Audience::Admin)).unwrap().total, 5);
        // Typing: the last word as a prefix; one letter off.
        assert_eq!(
            idx.search(&query("benh vi", Audience::Public))
                .unwrap()
                .hits[0]
                .id,
            "e"
        );
        assert_eq!(
            idx.search(&query("bệnh viên", Audience::Public))
                .unwrap()
                .total,
            1
        );
        // Facet filter, and its count.
        let mut fq = query("", Audience::Public);
        fq.filters.insert(
            "format".into(),
            vec!["http://publications.europa.eu/resource/authority/file-type/CSV".into()],
        );
        let r = idx.search(&fq).unwrap();
        assert_eq!(ids(&r), vec!["e"]);
        // A later version replaces the record; withdrawal removes it.
        let mut w = version(6, "a", "PUBLIC", "so-gd", &format!("{t} \"Bản đồ\"@vi"));
        w.0.status = "withdrawn".into();
        idx.apply(&[w], &HashMap::new()).unwrap();
        assert_eq!(idx.search(&query("", Audience::Public)).unwrap().total, 2);
        drop(idx);
        // The position survives a reopen.
        assert_eq!(SearchIndex::open(dir.path()).unwrap().position(), 6);
    }
}
