//! Splitting RDF documents into records. The splitter is the harvest crate's (imports and
//! harvests cut documents the same way); this maps its kinds onto the registry's.

use oxigraph::model::Triple;
use record::Kind;

/// One record found in a document.
#[derive(Debug)]
pub struct Extracted {
    /// Kind.
    pub kind: Kind,
    /// The resource's identifier in the source (its IRI, or a blank node label).
    pub source_id: String,
    /// Its description.
    pub triples: Vec<Triple>,
}

/// Splits triples into records.
pub fn split(triples: Vec<Triple>) -> Vec<Extracted> {
    harvest::split(triples)
        .into_iter()
        .map(|e| Extracted {
            kind: crate::harvesting::kind_of(e.kind),
            source_id: e.source_id,
            triples: e.triples,
        })
        .collect()
}
