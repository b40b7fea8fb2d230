//! Feeds for harvesters (R11): the paged DCAT-AP catalogue at `/catalog`, the change stream at
//! `/feed` (LDES, DCAT-AP Feeds), and schema.org renderings of datasets for search engines. Only PUBLIC published records appear.

pub mod catalog;
pub mod ckan;
pub mod ldes;
pub mod schema_org;

use crate::quality::shacl::authority_types;
use crate::record::parse_canonical;
use crate::store::{Registry, StoreError};
use oxigraph::model::{Term, Triple};
use std::collections::HashSet;
use vocab::ns::{dct, foaf, rdf};

impl Registry {
    /// What a published description carries beside the records themselves, where the
    /// registry knows the answer: the classes of EU authority and dcat-vn terms, and the
    /// descriptions of its agencies named as publisher or creator (a `foaf:Agent` with a name).
    pub async fn enrichment(&self, records: &[Triple]) -> Result<Vec<Triple>, StoreError> {
        let mut out = authority_types(records);
        let prefix = format!("{}/agencies/", self.base);
        let mut seen = HashSet::new();
        for t in records {
            if (t.predicate == dct::PUBLISHER || t.predicate == dct::CREATOR)
                && let Term::NamedNode(n) = &t.object
                && n.as_str().starts_with(&prefix)
                && seen.insert(n.as_str().to_owned())
                && let Some(a) = self.log.record_by_iri(n.as_str()).await?
                && a.status == "published"
            {
                let v = self.log.current_version(&a).await?;
                out.extend(parse_canonical(&v.canonical));
                let agent = Triple::new(n.clone(), rdf::TYPE, foaf::AGENT);
                if !out.contains(&agent) {
                    out.push(agent);
                }
            }
        }
        Ok(out)
    }
}
