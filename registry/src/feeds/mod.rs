//! Feeds for harvesters (R11): the paged DCAT-AP catalogue at `/catalog`, the change stream at
//! `/feed` (LDES, DCAT-AP Feeds), and schema.org renderings of datasets for search engines. Only PUBLIC published records appear.

pub mod catalog;
pub mod ckan;
pub mod ldes;
pub mod schema_org;

use crate::quality::shacl::authority_types;
use crate::record::parse_canonical;
use crate::store::{Registry, StoreError};
use oxigraph::model::{Literal, Term, Triple};
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
    /// What a published description carries beside the records themselves, where the
    /// registry knows the answer: the classes of EU authority and dcat-vn terms, and the
    /// descriptions of its agencies named as publisher or creator (a `foaf:Agent` with a name).
    pub async fn enrichment(&self, records: &[Triple]) -> Result<Vec<Triple>, StoreError> {
        self.enrichment_cached(records, &mut HashMap::new()).await
    }

    /// [`Registry::enrichment`] reusing agency descriptions already read (by IRI) across calls.
    pub async fn enrichment_cached(
        &self,
        records: &[Triple],
        agencies: &mut HashMap<String, Option<Vec<Triple>>>,
    ) -> Result<Vec<Triple>, StoreError> {
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
        let prefix = format!("{}/agencies/", self.base);
        let mut seen = HashSet::new();
        for t in records {
            if (t.predicate == dct::PUBLISHER || t.predicate == dct::CREATOR)
                && let Term::NamedNode(n) = &t.object
                && n.as_str().starts_with(&prefix)
                && seen.insert(n.as_str().to_owned())
            {
                if !agencies.contains_key(n.as_str()) {
                    let description = match self.log.record_by_iri(n.as_str()).await? {
                        Some(a) if a.status == "published" => {
                            let v = self.log.current_version(&a).await?;
                            let mut d = parse_canonical(&v.canonical);
                            d.push(Triple::new(n.clone(), rdf::TYPE, foaf::AGENT));
                            Some(d)
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
