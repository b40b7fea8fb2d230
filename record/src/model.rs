//! What a record is, and how any incoming description becomes one: the main resource is found
//! and given its registry IRI, blank nodes are skolemised to stable IRIs, text is put in
//! Unicode NFC, what the registry knows is completed (publisher, access rights), and the
//! result is given a canonical form and a content hash.

use oxigraph::model::{BlankNode, Literal, NamedNode, NamedOrBlankNode, Term, Triple};
use sha2::{Digest, Sha256};
use std::collections::{BTreeSet, HashMap, HashSet};
use unicode_normalization::UnicodeNormalization;
use vocab::ns::{access_right, dcat, dcatvn, dct, foaf, org, rdf, xsd};

/// What kind of resource a record describes.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// `dcat:Dataset` (open dataset or catalogue-of-databases entry).
    Dataset,
    /// `dcat:DataService`.
    DataService,
    /// `dcat:Catalog`.
    Catalog,
    /// An agency (`foaf:Agent`, `org:Organization`).
    Agency,
}

impl Kind {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Dataset => "dataset",
            Kind::DataService => "dataservice",
            Kind::Catalog => "catalog",
            Kind::Agency => "agency",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Kind> {
        [
            Kind::Dataset,
            Kind::DataService,
            Kind::Catalog,
            Kind::Agency,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }

    /// The path segment under `/api/v1` and under the base IRI.
    pub fn collection(self) -> &'static str {
        match self {
            Kind::Dataset => "datasets",
            Kind::DataService => "dataservices",
            Kind::Catalog => "catalogs",
            Kind::Agency => "agencies",
        }
    }

    /// The kind served under a path segment.
    pub fn from_collection(s: &str) -> Option<Kind> {
        [
            Kind::Dataset,
            Kind::DataService,
            Kind::Catalog,
            Kind::Agency,
        ]
        .into_iter()
        .find(|k| k.collection() == s)
    }

    /// The class a main resource of this kind carries.
    pub fn class(self) -> NamedNode {
        match self {
            Kind::Dataset => dcat::DATASET.into_owned(),
            Kind::DataService => dcat::DATA_SERVICE.into_owned(),
            Kind::Catalog => dcat::CATALOG.into_owned(),
            Kind::Agency => foaf::AGENT.into_owned(),
        }
    }

    fn accepts_class(self, class: &str) -> bool {
        match self {
            Kind::Dataset => {
                class == dcat::DATASET.as_str() || class == dcatvn::DATABASE_ENTRY.as_str()
            }
            Kind::DataService => class == dcat::DATA_SERVICE.as_str(),
            Kind::Catalog => class == dcat::CATALOG.as_str(),
            Kind::Agency => {
                class == foaf::AGENT.as_str()
                    || class == foaf::ORGANIZATION.as_str()
                    || class == org::ORGANIZATION.as_str()
            }
        }
    }
}

/// Publication status.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Visible to its agency and admins only.
    Draft,
    /// Visible according to its access rights.
    Published,
    /// Kept in history, gone from reads.
    Withdrawn,
}

impl Status {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Published => "published",
            Status::Withdrawn => "withdrawn",
        }
    }
    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Status> {
        [Status::Draft, Status::Published, Status::Withdrawn]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// Who may read a record, from its `dct:accessRights`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Visibility {
    /// Everyone.
    Public,
    /// Any authenticated state agency.
    Restricted,
    /// Owner, admins and the agencies the record names.
    NonPublic,
}

impl Visibility {
    /// Stored name (the EU code).
    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Public => "PUBLIC",
            Visibility::Restricted => "RESTRICTED",
            Visibility::NonPublic => "NON_PUBLIC",
        }
    }
    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Visibility> {
        [
            Visibility::Public,
            Visibility::Restricted,
            Visibility::NonPublic,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
    /// The EU access-right IRI.
    pub fn iri(self) -> NamedNode {
        match self {
            Visibility::Public => access_right::PUBLIC.into_owned(),
            Visibility::Restricted => access_right::RESTRICTED.into_owned(),
            Visibility::NonPublic => access_right::NON_PUBLIC.into_owned(),
        }
    }
}

/// Why a description cannot become a record.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RecordError {
    /// No resource of the expected class in the body.
    #[error("the body describes no {0}; add a resource typed {1}")]
    NoMainResource(&'static str, String),
    /// More than one resource of the expected class.
    #[error("the body describes {0} resources typed {1}; send one record per request")]
    SeveralMainResources(usize, String),
    /// A required property is missing.
    #[error("{0}")]
    Missing(String),
    /// `dct:accessRights` is not one of the EU access-right IRIs.
    #[error(
        "dct:accessRights must be one of the EU access-right IRIs (PUBLIC, RESTRICTED, NON_PUBLIC), found {0}"
    )]
    BadAccessRights(String),
    /// The body is empty.
    #[error("the body holds no triples")]
    Empty,
    /// The description exceeds a limit (triples per record, literal size).
    #[error("{0}")]
    TooLarge(String),
    /// A term RDF does not allow, let through by the lenient parsing of harvested and
    /// imported documents (an IRI with a raw space, a malformed language tag).
    #[error("{0}")]
    BadTerm(String),
}

/// The first term of `triples` that RDF does not allow, described. Harvested and imported
/// documents are parsed leniently so that one such term fails its own record, not the page it
/// sits on; this is where it is caught.
pub fn bad_term(triples: &[Triple]) -> Option<String> {
    let iri = |n: &NamedNode| {
        NamedNode::new(n.as_str())
            .err()
            .map(|e| format!("<{}> is not an IRI: {e}", n.as_str()))
    };
    triples.iter().find_map(|t| {
        let s = match &t.subject {
            NamedOrBlankNode::NamedNode(n) => iri(n),
            _ => None,
        };
        s.or_else(|| iri(&t.predicate)).or_else(|| match &t.object {
            Term::NamedNode(n) => iri(n),
            Term::Literal(l) => match l.language() {
                Some(tag) => Literal::new_language_tagged_literal(l.value(), tag)
                    .err()
                    .map(|e| format!("language tag {tag:?} of {}: {e}", t.predicate)),
                None => iri(&l.datatype().into_owned()),
            },
            _ => None,
        })
    })
}

/// What normalisation needs to know about the write.
pub struct NormaliseContext<'a> {
    /// The record's IRI (already minted or existing).
    pub record_iri: &'a str,
    /// The owning agency's IRI (publisher when none is given).
    pub agency_iri: &'a str,
    /// Visibility for a description without `dct:accessRights`.
    pub default_access: Visibility,
    /// Harvested records: access rights that are not an EU access-right IRI (a
    /// `dct:RightsStatement`, a local code) are kept as published and the record gets the
    /// default visibility, instead of being refused as a direct write is.
    pub lenient_access: bool,
}

/// A record graph ready for the log.
#[derive(Debug, Clone)]
pub struct Normalised {
    /// Sorted, unique, blank-node-free triples.
    pub triples: Vec<Triple>,
    /// Canonical N-Triples (one triple per line, sorted), the hashed form.
    pub canonical: String,
    /// SHA-256 of `canonical`, hex.
    pub hash: String,
    /// Visibility from `dct:accessRights`.
    pub visibility: Visibility,
    /// Whether the visibility came from the configured default.
    pub access_defaulted: bool,
    /// Agencies (IRIs) a NON_PUBLIC record is shared with.
    pub shared_with: Vec<String>,
    /// `dct:title` in Vietnamese (or untagged), for listings.
    pub title_vi: Option<String>,
    /// `dct:title` in English, for listings.
    pub title_en: Option<String>,
}

/// Completes what DCAT-AP 3 requires where the answer is known from the description itself:
/// a distribution with a `dcat:downloadURL` and no `dcat:accessURL` gets the download URL as
/// its access URL (DCAT's own advice), and a `dcat:byteSize` written as a plain number is typed
/// `xsd:nonNegativeInteger`. Applied to descriptions created in the registry.
pub fn complete_dcat_ap(mut triples: Vec<Triple>) -> Vec<Triple> {
    let mut extra = Vec::new();
    for t in &triples {
        if t.predicate == dcat::DOWNLOAD_URL
            && !triples
                .iter()
                .any(|u| u.subject == t.subject && u.predicate == dcat::ACCESS_URL)
        {
            let access = Triple::new(t.subject.clone(), dcat::ACCESS_URL, t.object.clone());
            if !extra.contains(&access) {
                extra.push(access);
            }
        }
    }
    for t in &mut triples {
        if t.predicate == dcat::BYTE_SIZE
            && let Term::Literal(l) = &t.object
            && l.datatype() != xsd::NON_NEGATIVE_INTEGER
            && let Ok(n) = l.value().trim().parse::<u64>()
        {
            t.object = Literal::new_typed_literal(n.to_string(), xsd::NON_NEGATIVE_INTEGER).into();
        }
    }
    triples.extend(extra);
    triples
}

/// Finds the main resource of `kind` in `triples`.
pub fn main_subject(triples: &[Triple], kind: Kind) -> Result<NamedOrBlankNode, RecordError> {
    let mut typed: Vec<NamedOrBlankNode> = Vec::new();
    for t in triples {
        if t.predicate.as_ref() == rdf::TYPE
            && let Term::NamedNode(c) = &t.object
            && kind.accepts_class(c.as_str())
            && !typed.contains(&t.subject)
        {
            typed.push(t.subject.clone());
        }
    }
    match typed.len() {
        1 => Ok(typed.remove(0)),
        0 => {
            // A body without types (plain JSON often omits "type"): accept one root node.
            let objects: HashSet<Term> = triples.iter().map(|t| t.object.clone()).collect();
            let mut roots: Vec<NamedOrBlankNode> = Vec::new();
            for t in triples {
                let as_term: Term = t.subject.clone().into();
                if !objects.contains(&as_term) && !roots.contains(&t.subject) {
                    roots.push(t.subject.clone());
                }
            }
            if roots.len() == 1
                && !triples
                    .iter()
                    .any(|t| t.predicate.as_ref() == rdf::TYPE && t.subject == roots[0])
            {
                Ok(roots.remove(0))
            } else {
                Err(RecordError::NoMainResource(
                    kind.as_str(),
                    format!("<{}>", kind.class().as_str()),
                ))
            }
        }
        n => Err(RecordError::SeveralMainResources(
            n,
            format!("<{}>", kind.class().as_str()),
        )),
    }
}

/// Turns a parsed description into a record graph.
pub fn normalise(
    triples: Vec<Triple>,
    kind: Kind,
    ctx: &NormaliseContext<'_>,
) -> Result<Normalised, RecordError> {
    if triples.is_empty() {
        return Err(RecordError::Empty);
    }
    if let Some(why) = bad_term(&triples) {
        return Err(RecordError::BadTerm(why));
    }
    let limits = harvest::guard::limits();
    if triples.len() > limits.max_record_triples {
        return Err(RecordError::TooLarge(format!(
            "the description has {} triples, over the limit of {} per record (--max-record-triples)",
            triples.len(),
            limits.max_record_triples
        )));
    }
    if let Some(t) = triples.iter().find(
        |t| matches!(&t.object, Term::Literal(l) if l.value().len() > limits.max_literal_bytes),
    ) {
        return Err(RecordError::TooLarge(format!(
            "a literal of {} is over the limit of {} bytes (--max-literal-bytes)",
            t.predicate, limits.max_literal_bytes
        )));
    }
    let main = main_subject(&triples, kind)?;
    let record = NamedNode::new_unchecked(ctx.record_iri);
    let main_term: Term = main.clone().into();
    let original_iri = match &main {
        NamedOrBlankNode::NamedNode(n) if n.as_str() != ctx.record_iri => {
            Some(n.as_str().to_owned())
        }
        _ => None,
    };
    // 1. the main resource takes the record IRI
    let rename_s = |s: NamedOrBlankNode| {
        if s == main {
            NamedOrBlankNode::NamedNode(record.clone())
        } else {
            s
        }
    };
    let rename_o = |o: Term| {
        if o == main_term {
            Term::NamedNode(record.clone())
        } else {
            o
        }
    };
    let mut triples: Vec<Triple> = triples
        .into_iter()
        .map(|t| Triple::new(rename_s(t.subject), t.predicate, rename_o(t.object)))
        .collect();
    // 2. stable IRIs for blank nodes
    triples = skolemise(triples, ctx.record_iri);
    // 3. NFC text and typed dates
    triples = triples
        .into_iter()
        .map(|t| {
            Triple::new(
                t.subject,
                t.predicate.clone(),
                normalise_literal(&t.predicate, t.object),
            )
        })
        .collect();
    let rs = NamedOrBlankNode::NamedNode(record.clone());
    let has = |triples: &[Triple], p: &str| {
        triples
            .iter()
            .any(|t| t.subject == rs && t.predicate.as_str() == p)
    };
    // 4. completion: the class, the original identifier, the publisher, the access rights
    if !triples
        .iter()
        .any(|t| t.subject == rs && t.predicate.as_ref() == rdf::TYPE)
    {
        triples.push(Triple::new(record.clone(), rdf::TYPE, kind.class()));
    }
    if let Some(orig) = original_iri
        && !has(&triples, dct::IDENTIFIER.as_str())
    {
        triples.push(Triple::new(
            record.clone(),
            dct::IDENTIFIER,
            Literal::new_simple_literal(orig),
        ));
    }
    if kind != Kind::Agency && !has(&triples, dct::PUBLISHER.as_str()) {
        triples.push(Triple::new(
            record.clone(),
            dct::PUBLISHER,
            NamedNode::new_unchecked(ctx.agency_iri),
        ));
    }
    let rights: Vec<&Term> = triples
        .iter()
        .filter(|t| t.subject == rs && t.predicate.as_ref() == dct::ACCESS_RIGHTS)
        .map(|t| &t.object)
        .collect();
    let (visibility, access_defaulted) = match rights.as_slice() {
        [] => (ctx.default_access, true),
        [Term::NamedNode(n)] => match n
            .as_str()
            .strip_prefix(access_right::NS)
            .and_then(Visibility::parse)
        {
            Some(v) => (v, false),
            None if ctx.lenient_access => (ctx.default_access, false),
            None => return Err(RecordError::BadAccessRights(format!("<{}>", n.as_str()))),
        },
        [_] | [_, _, ..] if ctx.lenient_access => (ctx.default_access, false),
        [other] => return Err(RecordError::BadAccessRights(other.to_string())),
        many => {
            return Err(RecordError::BadAccessRights(format!(
                "{} values",
                many.len()
            )));
        }
    };
    if access_defaulted {
        triples.push(Triple::new(
            record.clone(),
            dct::ACCESS_RIGHTS,
            visibility.iri(),
        ));
    }
    // 5. required content
    if kind != Kind::Agency && !has(&triples, dct::TITLE.as_str()) {
        return Err(RecordError::Missing(format!(
            "the {} has no dct:title (\"title\" in JSON)",
            kind.as_str()
        )));
    }
    let bad_title = triples.iter().any(|t| {
        t.subject == rs
            && t.predicate.as_ref() == dct::TITLE
            && !matches!(&t.object, Term::Literal(l) if l.language().is_some() || l.datatype().as_str() == "http://www.w3.org/2001/XMLSchema#string")
    });
    if bad_title {
        return Err(RecordError::Missing("dct:title must be text (a string, or a language-tagged string such as {\"vi\": \"…\"})".into()));
    }
    if kind == Kind::Agency && !has(&triples, foaf::NAME.as_str()) {
        return Err(RecordError::Missing("the agency has no foaf:name".into()));
    }
    let shared_with = triples
        .iter()
        .filter(|t| t.subject == rs && t.predicate.as_ref() == dcatvn::SHARED_WITH)
        .filter_map(|t| match &t.object {
            Term::NamedNode(n) => Some(n.as_str().to_owned()),
            _ => None,
        })
        .collect();
    let (title_vi, title_en) = titles(&triples, &rs);
    let (triples, canonical, hash) = canonicalise(triples);
    Ok(Normalised {
        triples,
        canonical,
        hash,
        visibility,
        access_defaulted,
        shared_with,
        title_vi,
        title_en,
    })
}

fn titles(triples: &[Triple], rs: &NamedOrBlankNode) -> (Option<String>, Option<String>) {
    let label_p = [dct::TITLE.as_str(), foaf::NAME.as_str()];
    let mut vi = None;
    let mut en = None;
    let mut plain = None;
    for t in triples
        .iter()
        .filter(|t| &t.subject == rs && label_p.contains(&t.predicate.as_str()))
    {
        if let Term::Literal(l) = &t.object {
            match l.language() {
                Some(lang) if lang.starts_with("vi") => vi = vi.or(Some(l.value().to_owned())),
                Some(lang) if lang.starts_with("en") => en = en.or(Some(l.value().to_owned())),
                None => plain = plain.or(Some(l.value().to_owned())),
                _ => {}
            }
        }
    }
    (vi.or(plain), en)
}

/// Sorted unique triples, their canonical N-Triples and its SHA-256. On a blank-node-free
/// graph RDFC-1.0 canonical N-Quads is exactly this: sorted canonical N-Triples lines.
pub fn canonicalise(triples: Vec<Triple>) -> (Vec<Triple>, String, String) {
    let mut lines: Vec<(String, Triple)> = triples
        .into_iter()
        .map(|t| (format!("{t} .\n"), t))
        .collect();
    lines.sort_by(|a, b| a.0.cmp(&b.0));
    lines.dedup_by(|a, b| a.0 == b.0);
    let canonical: String = lines.iter().map(|(l, _)| l.as_str()).collect();
    let hash = hex::encode(Sha256::digest(canonical.as_bytes()));
    (lines.into_iter().map(|(_, t)| t).collect(), canonical, hash)
}

fn normalise_literal(predicate: &NamedNode, object: Term) -> Term {
    let Term::Literal(l) = object else {
        return object;
    };
    let value: String = l.value().nfc().collect();
    if let Some(lang) = l.language() {
        return Literal::new_language_tagged_literal_unchecked(value, lang.to_ascii_lowercase())
            .into();
    }
    let dt = l.datatype();
    let is_date_prop = predicate.as_ref() == dct::ISSUED || predicate.as_ref() == dct::MODIFIED;
    if is_date_prop && dt.as_str() == "http://www.w3.org/2001/XMLSchema#string" {
        if chrono::NaiveDate::parse_from_str(&value, "%Y-%m-%d").is_ok() {
            return Literal::new_typed_literal(value, xsd::DATE).into();
        }
        if chrono::DateTime::parse_from_rfc3339(&value).is_ok()
            || chrono::NaiveDateTime::parse_from_str(&value, "%Y-%m-%dT%H:%M:%S").is_ok()
        {
            return Literal::new_typed_literal(value, xsd::DATE_TIME).into();
        }
    }
    Literal::new_typed_literal(value, dt).into()
}

/// Replaces blank nodes by IRIs under the record IRI that depend only on the node's own
/// description and on how named resources point to it, so an unchanged distribution keeps its
/// IRI across versions and diffs stay small whatever order the source wrote the triples in
/// (two nodes with no description of their own, e.g. references to other records, differ by
/// the property pointing to them). Nodes that are alike in every respect are numbered.
pub fn skolemise(triples: Vec<Triple>, record_iri: &str) -> Vec<Triple> {
    let mut out_edges: HashMap<BlankNode, Vec<usize>> = HashMap::new();
    let mut in_edges: HashMap<BlankNode, Vec<String>> = HashMap::new();
    for t in &triples {
        if let Term::BlankNode(b) = &t.object {
            // The record's own IRI is left out: the same description under another record
            // (another IRI) gets the same local names.
            let from = match &t.subject {
                NamedOrBlankNode::NamedNode(n) if n.as_str() == record_iri => "self".into(),
                NamedOrBlankNode::NamedNode(n) => n.to_string(),
                NamedOrBlankNode::BlankNode(_) => "_".into(),
            };
            in_edges
                .entry(b.clone())
                .or_default()
                .push(format!("^{} {from}", t.predicate));
        }
    }
    let mut bnodes: Vec<BlankNode> = Vec::new();
    let mut seen_b: HashSet<BlankNode> = HashSet::new();
    for (i, t) in triples.iter().enumerate() {
        if let NamedOrBlankNode::BlankNode(b) = &t.subject {
            out_edges.entry(b.clone()).or_default().push(i);
            if seen_b.insert(b.clone()) {
                bnodes.push(b.clone());
            }
        }
        if let Term::BlankNode(b) = &t.object
            && seen_b.insert(b.clone())
        {
            bnodes.push(b.clone());
        }
    }
    if bnodes.is_empty() {
        return triples;
    }
    fn digest(
        b: &BlankNode,
        triples: &[Triple],
        out_edges: &HashMap<BlankNode, Vec<usize>>,
        in_edges: &HashMap<BlankNode, Vec<String>>,
        memo: &mut HashMap<BlankNode, String>,
        visiting: &mut HashSet<BlankNode>,
    ) -> String {
        if let Some(h) = memo.get(b) {
            return h.clone();
        }
        if !visiting.insert(b.clone()) {
            return "cycle".into();
        }
        let mut lines: Vec<String> = out_edges
            .get(b)
            .map(|idx| {
                idx.iter()
                    .map(|&i| {
                        let t = &triples[i];
                        let o = match &t.object {
                            Term::BlankNode(o) => {
                                format!(
                                    "_:{}",
                                    digest(o, triples, out_edges, in_edges, memo, visiting)
                                )
                            }
                            other => other.to_string(),
                        };
                        format!("{} {o}", t.predicate)
                    })
                    .collect()
            })
            .unwrap_or_default();
        lines.extend(in_edges.get(b).cloned().unwrap_or_default());
        lines.sort();
        visiting.remove(b);
        let h = hex::encode(&Sha256::digest(lines.join("\n").as_bytes())[..8]);
        memo.insert(b.clone(), h.clone());
        h
    }
    // A record IRI with a fragment of its own (a harvested `…/catalog#ds1`) cannot take a
    // second one: its nodes are named `…#ds1-genid-…` instead.
    let sep = if record_iri.contains('#') { '-' } else { '#' };
    let mut memo = HashMap::new();
    let mut names: HashMap<BlankNode, NamedNode> = HashMap::new();
    let mut used: HashMap<String, usize> = HashMap::new();
    let mut ordered: Vec<(String, BlankNode)> = bnodes
        .iter()
        .map(|b| {
            (
                digest(
                    b,
                    &triples,
                    &out_edges,
                    &in_edges,
                    &mut memo,
                    &mut HashSet::new(),
                ),
                b.clone(),
            )
        })
        .collect();
    ordered.sort_by(|a, b| a.0.cmp(&b.0));
    for (h, b) in ordered {
        let n = used.entry(h.clone()).or_insert(0);
        *n += 1;
        let local = if *n == 1 { h } else { format!("{h}-{n}") };
        names.insert(
            b,
            NamedNode::new_unchecked(format!("{record_iri}{sep}genid-{local}")),
        );
    }
    triples
        .into_iter()
        .map(|t| {
            let s = match t.subject {
                NamedOrBlankNode::BlankNode(b) => NamedOrBlankNode::NamedNode(names[&b].clone()),
                s => s,
            };
            let o = match t.object {
                Term::BlankNode(b) => Term::NamedNode(names[&b].clone()),
                o => o,
            };
            Triple::new(s, t.predicate, o)
        })
        .collect()
}

/// Lines added and removed between two canonical forms.
pub fn diff(old: &str, new: &str) -> (Vec<String>, Vec<String>) {
    let o: BTreeSet<&str> = old.lines().filter(|l| !l.is_empty()).collect();
    let n: BTreeSet<&str> = new.lines().filter(|l| !l.is_empty()).collect();
    (
        n.difference(&o).map(|s| (*s).to_owned()).collect(),
        o.difference(&n).map(|s| (*s).to_owned()).collect(),
    )
}

/// Parses canonical N-Triples back into triples (the log's stored form).
pub fn parse_canonical(canonical: &str) -> Vec<Triple> {
    oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::NTriples)
        .for_slice(canonical.as_bytes())
        .filter_map(Result::ok)
        .map(|q| Triple::new(q.subject, q.predicate, q.object))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::io::RdfFormat;

    fn parse(ttl: &str) -> Vec<Triple> {
        crate::rdf::parse_triples(ttl.as_bytes(), RdfFormat::Turtle, "http://x").expect("turtle")
    }

    const DS: &str = r#"@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
        <http://agency.example/ds/1> a dcat:Dataset ; dct:title "Danh sách trường học"@vi ;
          dcat:distribution [ a dcat:Distribution ; dcat:accessURL <http://agency.example/f.csv> ] ,
                            [ a dcat:Distribution ; dcat:accessURL <http://agency.example/f.json> ] ."#;

    fn ctx() -> NormaliseContext<'static> {
        NormaliseContext {
            record_iri: "http://reg/datasets/1",
            agency_iri: "http://reg/agencies/sxd",
            default_access: Visibility::Public,
            lenient_access: false,
        }
    }

    #[test]
    fn normalising_twice_gives_the_same_hash_and_no_blank_nodes() {
        let a = normalise(parse(DS), Kind::Dataset, &ctx()).expect("ok");
        let b = normalise(parse(DS), Kind::Dataset, &ctx()).expect("ok");
        assert_eq!(a.hash, b.hash);
        assert!(!a.canonical.contains("_:"));
        assert!(a.canonical.contains(
            "<http://reg/datasets/1> <http://purl.org/dc/terms/publisher> <http://reg/agencies/sxd>"
        ));
        assert!(
            a.canonical.contains("\"http://agency.example/ds/1\""),
            "original IRI kept as identifier"
        );
        assert!(a.access_defaulted);
        assert_eq!(a.visibility, Visibility::Public);
    }

    #[test]
    fn nfd_and_nfc_text_hash_the_same() {
        let nfd: String = DS.nfd().collect();
        let a = normalise(parse(DS), Kind::Dataset, &ctx()).expect("ok");
        let b = normalise(parse(&nfd), Kind::Dataset, &ctx()).expect("ok");
        assert_ne!(DS, nfd);
        assert_eq!(a.hash, b.hash);
        assert_eq!(a.title_vi.as_deref(), Some("Danh sách trường học"));
    }

    #[test]
    fn a_record_iri_with_a_fragment_names_its_nodes_without_a_second_one() {
        let t = parse(
            "<http://x/cat#ds1> a <http://www.w3.org/ns/dcat#Dataset> ; <http://www.w3.org/ns/dcat#distribution> [ <http://www.w3.org/ns/dcat#accessURL> <http://x/f.csv> ] .",
        );
        let out = skolemise(t, "http://x/cat#ds1");
        let node = out
            .iter()
            .find(|t| t.predicate == dcat::DISTRIBUTION_PROP)
            .map(|t| t.object.to_string())
            .expect("distribution");
        let iri = node.trim_matches(|c| c == '<' || c == '>');
        assert!(iri.starts_with("http://x/cat#ds1-genid-"), "{iri}");
        assert!(NamedNode::new(iri).is_ok(), "a valid IRI: {iri}");
        let nt: String = out.iter().map(|t| format!("{t} .\n")).collect();
        assert_eq!(
            parse_canonical(&nt).len(),
            out.len(),
            "N-Triples parsers accept it"
        );
    }

    #[test]
    fn unchanged_distribution_keeps_its_skolem_iri() {
        let a = normalise(parse(DS), Kind::Dataset, &ctx()).expect("ok");
        let more = DS.replace(" .\"", "").replace(
            "f.json> ] .",
            "f.json> ], [ a dcat:Distribution ; dcat:accessURL <http://agency.example/f.xml> ] .",
        );
        let b = normalise(parse(&more), Kind::Dataset, &ctx()).expect("ok");
        let (added, removed) = diff(&a.canonical, &b.canonical);
        assert!(removed.is_empty(), "{removed:?}");
        assert_eq!(added.len(), 3, "{added:?}");
    }

    #[test]
    fn bad_access_rights_and_missing_title_are_refused() {
        let bad = DS.replace(
            "dct:title",
            "dct:accessRights <http://example.org/open> ; dct:title",
        );
        assert!(matches!(
            normalise(parse(&bad), Kind::Dataset, &ctx()),
            Err(RecordError::BadAccessRights(_))
        ));
        let untitled = DS.replace("dct:title \"Danh sách trường học\"@vi ;", "");
        assert!(matches!(
            normalise(parse(&untitled), Kind::Dataset, &ctx()),
            Err(RecordError::Missing(_))
        ));
        let two = format!("{DS} <http://b> a <http://www.w3.org/ns/dcat#Dataset> .");
        assert!(matches!(
            normalise(parse(&two), Kind::Dataset, &ctx()),
            Err(RecordError::SeveralMainResources(2, _))
        ));
    }

    #[test]
    fn explicit_restricted_rights_are_read() {
        let r = DS.replace("dct:title", "dct:accessRights <http://publications.europa.eu/resource/authority/access-right/RESTRICTED> ; dct:title");
        let n = normalise(parse(&r), Kind::Dataset, &ctx()).expect("ok");
        assert_eq!(n.visibility, Visibility::Restricted);
        assert!(!n.access_defaulted);
    }
}
