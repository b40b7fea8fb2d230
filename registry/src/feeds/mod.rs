//! Feeds for harvesters (R11): the paged DCAT-AP catalogue at `/catalog`, the change stream at
//! `/feed` (LDES, DCAT-AP Feeds), and schema.org renderings of datasets for search engines. Only PUBLIC published records appear.

pub mod catalog;
pub mod ckan;
pub mod ldes;
pub mod schema_org;

use crate::quality::shacl::authority_types;
use crate::record::{Kind, Normalised, canonicalise, parse_canonical};
use crate::store::{Registry, StoreError};
use oxigraph::model::{Literal, NamedNode, NamedOrBlankNode, Term, Triple};
use std::collections::{HashMap, HashSet};
use vocab::ns::{dcat, dct, foaf, rdf, skos};

const DATA_THEME: &str = "http://publications.europa.eu/resource/authority/data-theme/";

/// The EU data themes (DCAT-AP's vocabulary for `dcat:theme`) with their labels.
const DATA_THEMES: &[(&str, &str, &str)] = &[
    (
        "AGRI",
        "Nông nghiệp, thủy sản, lâm nghiệp và thực phẩm",
        "Agriculture, fisheries, forestry and food",
    ),
    ("ECON", "Kinh tế và tài chính", "Economy and finance"),
    (
        "EDUC",
        "Giáo dục, văn hóa và thể thao",
        "Education, culture and sport",
    ),
    ("ENER", "Năng lượng", "Energy"),
    ("ENVI", "Môi trường", "Environment"),
    (
        "GOVE",
        "Chính phủ và khu vực công",
        "Government and public sector",
    ),
    ("HEAL", "Y tế", "Health"),
    ("INTR", "Các vấn đề quốc tế", "International issues"),
    (
        "JUST",
        "Tư pháp, hệ thống pháp luật và an toàn công cộng",
        "Justice, legal system and public safety",
    ),
    ("REGI", "Vùng và đô thị", "Regions and cities"),
    ("SOCI", "Dân số và xã hội", "Population and society"),
    ("TECH", "Khoa học và công nghệ", "Science and technology"),
    ("TRAN", "Giao thông vận tải", "Transport"),
];

impl Registry {
    /// What a description carries beside its own statements, where the registry knows the
    /// answer: the classes of EU authority and dcat-vn terms, the labels of EU data themes, the
    /// kinds of catalogue members that are records here, and its agencies named as publisher
    /// or creator (a `foaf:Agent` with its names and code, never its links to other agencies,
    /// so that a record cut out of a feed by following links holds exactly this).
    pub async fn enrichment(&self, records: &[Triple]) -> Result<Vec<Triple>, StoreError> {
        self.enrichment_cached(records, &mut HashMap::new()).await
    }

    /// What the registry knows of the terms a description uses, without reading the store:
    /// the classes of EU authority, IANA and dcat-vn terms, the labels of EU data themes, the
    /// kinds of catalogue members that are records here. Part of [`Registry::enrichment`]; the
    /// JSON view leaves it out (it shows what the record says, not what the registry adds).
    pub fn known_terms(&self, records: &[Triple]) -> Vec<Triple> {
        let mut out = authority_types(records);
        for t in records {
            if t.predicate == dcat::THEME
                && let Term::NamedNode(n) = &t.object
                && let Some(code) = n.as_str().strip_prefix(DATA_THEME)
                && let Some((_, vi, en)) = DATA_THEMES.iter().find(|(c, ..)| *c == code)
            {
                for (label, lang) in [(vi, "vi"), (en, "en")] {
                    out.push(Triple::new(
                        n.clone(),
                        skos::PREF_LABEL,
                        Literal::new_language_tagged_literal_unchecked(*label, lang),
                    ));
                }
            }
        }
        // Members of a catalogue that are records of this registry: their kind is known.
        for t in records {
            if (t.predicate == dcat::DATASET_PROP
                || t.predicate == dcat::SERVICE
                || t.predicate == dcat::CATALOG_PROP)
                && let Term::NamedNode(n) = &t.object
            {
                let rest = n.as_str().strip_prefix(&self.base).unwrap_or("");
                let class = if rest.starts_with("/datasets/") {
                    Some(dcat::DATASET)
                } else if rest.starts_with("/dataservices/") {
                    Some(dcat::DATA_SERVICE)
                } else if rest.starts_with("/catalogs/") {
                    Some(dcat::CATALOG)
                } else {
                    None
                };
                if let Some(c) = class {
                    out.push(Triple::new(n.clone(), rdf::TYPE, c));
                }
            }
        }
        crate::rdf::dedup_triples(&mut out);
        out
    }

    /// [`Registry::enrichment`] reusing agency descriptions already read (by IRI) across calls;
    /// a caller may put a description in the map beforehand (an agency being renamed).
    pub async fn enrichment_cached(
        &self,
        records: &[Triple],
        agencies: &mut HashMap<String, Option<Vec<Triple>>>,
    ) -> Result<Vec<Triple>, StoreError> {
        let mut out = self.known_terms(records);
        let mut seen = HashSet::new();
        for t in records {
            if (t.predicate == dct::PUBLISHER || t.predicate == dct::CREATOR)
                && let Term::NamedNode(n) = &t.object
                && self.is_agency_iri(n.as_str())
                && seen.insert(n.as_str().to_owned())
            {
                if !agencies.contains_key(n.as_str()) {
                    let description = match self.log.record_by_iri(n.as_str()).await? {
                        Some(a) if a.status == "published" => {
                            let v = self.log.current_version(&a).await?;
                            Some(agent_description(n, &parse_canonical(&v.canonical)))
                        }
                        _ => None,
                    };
                    agencies.insert(n.as_str().to_owned(), description);
                }
                if let Some(Some(d)) = agencies.get(n.as_str()) {
                    out.extend(d.iter().cloned());
                }
            }
        }
        crate::rdf::dedup_triples(&mut out);
        Ok(out)
    }
}

/// What a record says about one of the registry's agencies: its classes and its literal
/// properties (names in each language, code), from the agency's own description.
pub fn agent_description(agency: &NamedNode, description: &[Triple]) -> Vec<Triple> {
    let subject = NamedOrBlankNode::NamedNode(agency.clone());
    let mut out: Vec<Triple> = description
        .iter()
        .filter(|t| {
            t.subject == subject
                && (t.predicate == rdf::TYPE || matches!(t.object, Term::Literal(_)))
        })
        .cloned()
        .collect();
    out.push(Triple::new(agency.clone(), rdf::TYPE, foaf::AGENT));
    crate::rdf::dedup_triples(&mut out);
    out
}

impl Registry {
    /// What a record (not an agency) says, without what [`Registry::enrich`] added to it:
    /// shown by the JSON view and projected for SPARQL, where agencies and vocabularies have
    /// their own graphs.
    pub fn as_said(&self, triples: Vec<Triple>) -> Vec<Triple> {
        let derived: HashSet<Triple> = self.known_terms(&triples).into_iter().collect();
        triples
            .into_iter()
            .filter(|t| {
                !derived.contains(t)
                    && !matches!(&t.subject, NamedOrBlankNode::NamedNode(s) if self.is_agency_iri(s.as_str()))
            })
            .collect()
    }

    /// The nodes a record describes itself (subjects of [`Registry::as_said`]): whose SHACL
    /// findings count in its quality report and its DCAT-AP check on the write path.
    pub fn own_nodes(&self, triples: &[Triple]) -> HashSet<String> {
        self.as_said(triples.to_vec())
            .into_iter()
            .filter_map(|t| match t.subject {
                NamedOrBlankNode::NamedNode(n) => Some(n.into_string()),
                NamedOrBlankNode::BlankNode(_) => None,
            })
            .collect()
    }

    /// Whether `iri` names one of this registry's agencies (`{base}/agencies/{code}`).
    pub fn is_agency_iri(&self, iri: &str) -> bool {
        let prefix = format!("{}/agencies/", self.base);
        iri.strip_prefix(&prefix)
            .is_some_and(|code| !code.is_empty() && !code.contains(['/', '#', '?']))
    }

    /// The form a record is kept and published in: what the description says, with what the
    /// registry says about its agencies replaced by the registry's own current word, and the
    /// [`Registry::enrichment`] added. Done on the write path, so the canonical form in the
    /// log is exactly what the feeds publish (a harvester of `/catalog` or `/feed` ends with
    /// the same canonical hash) and a feed page never changes after it is written. Agency
    /// records are their own description and are left as they are.
    pub async fn enrich(
        &self,
        n: Normalised,
        kind: Kind,
        agencies: &mut HashMap<String, Option<Vec<Triple>>>,
    ) -> Result<Normalised, StoreError> {
        if kind == Kind::Agency {
            return Ok(n);
        }
        let mut triples: Vec<Triple> = n
            .triples
            .into_iter()
            .filter(|t| match &t.subject {
                NamedOrBlankNode::NamedNode(s) => !self.is_agency_iri(s.as_str()),
                NamedOrBlankNode::BlankNode(_) => true,
            })
            .collect();
        let extra = self.enrichment_cached(&triples, agencies).await?;
        triples.extend(extra);
        let (triples, canonical, hash) = canonicalise(triples);
        Ok(Normalised {
            triples,
            canonical,
            hash,
            ..n
        })
    }
}
