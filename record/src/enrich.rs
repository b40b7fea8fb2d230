//! What the registry adds to a description, without reading anything: the classes of EU
//! authority, IANA and dcat-vn terms, the labels of EU data themes, the kinds of catalogue
//! members that are records here, and its agencies' own word about themselves (given, already
//! read, by the caller). The canonical form is taken once, after this.

use crate::shacl::authority_types;
use crate::{Kind, Normalised, canonicalise};
use oxigraph::model::{Literal, NamedNode, NamedOrBlankNode, Term, Triple};
use std::collections::{HashMap, HashSet};
use vocab::ns::{dcat, dct, foaf, rdf, skos};

/// The EU data-theme authority table's namespace.
pub const DATA_THEME: &str = "http://publications.europa.eu/resource/authority/data-theme/";

/// The EU data themes (DCAT-AP's vocabulary for `dcat:theme`) with their labels.
pub const DATA_THEMES: &[(&str, &str, &str)] = &[
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

/// Agency descriptions already read, by IRI (`None`: not a published agency here).
pub type Agencies = HashMap<String, Option<Vec<Triple>>>;

/// The registry's own terms under one base IRI. Cheap to clone; holds no store.
#[derive(Debug, Clone)]
pub struct Enricher {
    base: String,
}

impl Enricher {
    /// The enricher of a registry whose IRIs start with `base` (no trailing slash).
    pub fn new(base: impl Into<String>) -> Self {
        Enricher { base: base.into() }
    }

    /// The base IRI.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// What the registry knows of the terms a description uses, without reading the store:
    /// the classes of EU authority, IANA and dcat-vn terms, the labels of EU data themes, the
    /// kinds of catalogue members that are records here. Part of [`Enricher::enrichment`]; the
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

    /// The registry's agencies a description names as publisher or creator, each once, in
    /// the order named: the descriptions the caller must read before [`Enricher::enrichment`].
    pub fn agencies_named<'a>(&self, records: &'a [Triple]) -> Vec<&'a NamedNode> {
        let mut seen = HashSet::new();
        records
            .iter()
            .filter_map(|t| match &t.object {
                Term::NamedNode(n)
                    if (t.predicate == dct::PUBLISHER || t.predicate == dct::CREATOR)
                        && self.is_agency_iri(n.as_str())
                        && seen.insert(n.as_str()) =>
                {
                    Some(n)
                }
                _ => None,
            })
            .collect()
    }

    /// What a description carries beside its own statements, where the registry knows the
    /// answer: [`Enricher::known_terms`], and its agencies named as publisher or creator (a
    /// `foaf:Agent` with its names and code, never its links to other agencies, so that a
    /// record cut out of a feed by following links holds exactly this). An agency missing
    /// from `agencies` adds nothing.
    pub fn enrichment(&self, records: &[Triple], agencies: &Agencies) -> Vec<Triple> {
        let mut out = self.known_terms(records);
        for n in self.agencies_named(records) {
            if let Some(Some(d)) = agencies.get(n.as_str()) {
                out.extend(d.iter().cloned());
            }
        }
        crate::rdf::dedup_triples(&mut out);
        out
    }

    /// What a record (not an agency) says, without what [`Enricher::enrich`] added to it:
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

    /// The nodes a record describes itself (subjects of [`Enricher::as_said`]): whose SHACL
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
        iri.strip_prefix(&self.base)
            .and_then(|rest| rest.strip_prefix("/agencies/"))
            .is_some_and(|code| !code.is_empty() && !code.contains(['/', '#', '?']))
    }

    /// A description without the statements it makes about the registry's agencies, which
    /// are the registry's word to give, not the record's.
    pub fn without_agency_nodes(&self, triples: Vec<Triple>) -> Vec<Triple> {
        triples
            .into_iter()
            .filter(|t| match &t.subject {
                NamedOrBlankNode::NamedNode(s) => !self.is_agency_iri(s.as_str()),
                NamedOrBlankNode::BlankNode(_) => true,
            })
            .collect()
    }

    /// The form a record is kept and published in: what the description says, with what the
    /// registry says about its agencies replaced by the registry's own current word, and the
    /// [`Enricher::enrichment`] added, then canonicalised. Done on the write path, so the
    /// canonical form in the log is exactly what the feeds publish (a harvester of `/catalog`
    /// or `/feed` ends with the same canonical hash) and a feed page never changes after it
    /// is written. Agency records are their own description and are left as they are.
    pub fn enrich(&self, n: Normalised, kind: Kind, agencies: &Agencies) -> Normalised {
        if kind == Kind::Agency {
            return n;
        }
        let mut triples = self.without_agency_nodes(n.triples);
        let extra = self.enrichment(&triples, agencies);
        triples.extend(extra);
        let (triples, canonical, hash) = canonicalise(triples);
        Normalised {
            triples,
            canonical,
            hash,
            ..n
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn iri(s: &str) -> NamedNode {
        NamedNode::new(s).unwrap()
    }

    #[test]
    fn agency_iris_are_one_code_under_the_base() {
        let e = Enricher::new("https://dm.example");
        assert!(e.is_agency_iri("https://dm.example/agencies/stnmt"));
        assert!(!e.is_agency_iri("https://dm.example/agencies/"));
        assert!(!e.is_agency_iri("https://dm.example/agencies/a/b"));
        assert!(!e.is_agency_iri("https://dm.example/agencies/a#x"));
        assert!(!e.is_agency_iri("https://other.example/agencies/stnmt"));
    }

    #[test]
    fn enrichment_adds_the_agency_as_given_and_theme_labels() {
        let e = Enricher::new("https://dm.example");
        let ds = iri("https://dm.example/datasets/x");
        let agency = iri("https://dm.example/agencies/stnmt");
        let theme = iri(&format!("{DATA_THEME}ENVI"));
        let record = vec![
            Triple::new(ds.clone(), dct::PUBLISHER, agency.clone()),
            Triple::new(ds.clone(), dcat::THEME, theme.clone()),
            // What the record claims about the agency is not kept.
            Triple::new(
                agency.clone(),
                foaf::NAME,
                Literal::new_language_tagged_literal_unchecked("Giả mạo", "vi"),
            ),
        ];
        let name =
            Literal::new_language_tagged_literal_unchecked("Sở Tài nguyên và Môi trường", "vi");
        let own = vec![Triple::new(agency.clone(), foaf::NAME, name.clone())];
        let mut agencies = Agencies::new();
        agencies.insert(
            agency.as_str().to_owned(),
            Some(agent_description(&agency, &own)),
        );
        let n = crate::Normalised {
            triples: record,
            canonical: String::new(),
            hash: String::new(),
            visibility: crate::Visibility::Public,
            access_defaulted: false,
            shared_with: Vec::new(),
            title_vi: None,
            title_en: None,
        };
        let out = e.enrich(n, Kind::Dataset, &agencies);
        assert!(
            out.triples
                .contains(&Triple::new(agency.clone(), foaf::NAME, name))
        );
        assert!(
            out.triples
                .contains(&Triple::new(agency.clone(), rdf::TYPE, foaf::AGENT))
        );
        assert!(!out.triples.iter().any(|t| t.object
            == Term::Literal(Literal::new_language_tagged_literal_unchecked(
                "Giả mạo",
                "vi"
            ))));
        assert!(out.triples.contains(&Triple::new(
            theme,
            skos::PREF_LABEL,
            Literal::new_language_tagged_literal_unchecked("Môi trường", "vi")
        )));
        assert!(!out.hash.is_empty());
        // What the record said, without the additions.
        let said = e.as_said(out.triples);
        assert_eq!(said.len(), 2);
    }
}
