//! Splitting RDF documents into records: every `dcat:Dataset`, `dcat:DataService` and
//! `dcat:Catalog` becomes one record, carrying the nodes it reaches that are not records
//! themselves (distributions, contact points, publishers described inline).

use crate::record::Kind;
use oxigraph::model::{NamedNodeRef, NamedOrBlankNode, Term, Triple};
use std::collections::{HashMap, HashSet};
use vocab::ns::{dcat, dcatvn, rdf};

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

fn kind_of(class: NamedNodeRef<'_>) -> Option<Kind> {
    if class == dcat::DATASET || class == dcatvn::DATABASE_ENTRY {
        Some(Kind::Dataset)
    } else if class == dcat::DATA_SERVICE {
        Some(Kind::DataService)
    } else if class == dcat::CATALOG {
        Some(Kind::Catalog)
    } else {
        None
    }
}

/// Splits triples into records.
pub fn split(triples: Vec<Triple>) -> Vec<Extracted> {
    let mut by_subject: HashMap<NamedOrBlankNode, Vec<usize>> = HashMap::new();
    let mut mains: Vec<(NamedOrBlankNode, Kind)> = Vec::new();
    let mut seen_main: HashSet<NamedOrBlankNode> = HashSet::new();
    for (i, t) in triples.iter().enumerate() {
        by_subject.entry(t.subject.clone()).or_default().push(i);
        if t.predicate.as_ref() == rdf::TYPE
            && let Term::NamedNode(c) = &t.object
            && let Some(k) = kind_of(c.as_ref())
            && seen_main.insert(t.subject.clone())
        {
            mains.push((t.subject.clone(), k));
        }
    }
    // A resource typed both Catalog and Dataset is a catalogue.
    let mut out = Vec::new();
    for (main, kind) in mains {
        let kind = if by_subject[&main].iter().any(|&i| {
            triples[i].predicate.as_ref() == rdf::TYPE
                && triples[i].object == Term::NamedNode(dcat::CATALOG.into_owned())
        }) {
            Kind::Catalog
        } else {
            kind
        };
        let mut picked: Vec<Triple> = Vec::new();
        let mut visited: HashSet<NamedOrBlankNode> = HashSet::new();
        let mut stack = vec![main.clone()];
        while let Some(s) = stack.pop() {
            if !visited.insert(s.clone()) {
                continue;
            }
            for &i in by_subject.get(&s).map(Vec::as_slice).unwrap_or(&[]) {
                let t = &triples[i];
                picked.push(t.clone());
                let next: Option<NamedOrBlankNode> = match &t.object {
                    Term::NamedNode(n) => Some(n.clone().into()),
                    Term::BlankNode(b) => Some(b.clone().into()),
                    _ => None,
                };
                if let Some(n) = next
                    && by_subject.contains_key(&n)
                    && !seen_main.contains(&n)
                    && t.predicate.as_ref() != rdf::TYPE
                {
                    stack.push(n);
                }
            }
        }
        let source_id = match &main {
            NamedOrBlankNode::NamedNode(n) => n.as_str().to_owned(),
            other => other.to_string(),
        };
        out.push(Extracted {
            kind,
            source_id,
            triples: picked,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::io::RdfFormat;

    #[test]
    fn a_catalogue_file_splits_into_records_with_their_distributions() {
        let ttl = r#"@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
            <http://x/cat> a dcat:Catalog ; dct:title "C" ; dcat:dataset <http://x/d1>, <http://x/d2> .
            <http://x/d1> a dcat:Dataset ; dct:title "D1" ; dcat:distribution <http://x/d1/csv> ; dct:publisher <http://x/org> .
            <http://x/d1/csv> a dcat:Distribution ; dcat:accessURL <http://x/f.csv> .
            <http://x/d2> a dcat:Dataset ; dct:title "D2" ; dct:publisher <http://x/org> .
            <http://x/org> a <http://xmlns.com/foaf/0.1/Agent> ; <http://xmlns.com/foaf/0.1/name> "Org" ."#;
        let t =
            crate::rdf::parse_triples(ttl.as_bytes(), RdfFormat::Turtle, "http://x", "http://x/c")
                .expect("ttl");
        let recs = split(t);
        assert_eq!(recs.len(), 3);
        let d1 = recs
            .iter()
            .find(|r| r.source_id == "http://x/d1")
            .expect("d1");
        assert_eq!(d1.kind, Kind::Dataset);
        assert!(
            d1.triples
                .iter()
                .any(|t| t.subject.to_string() == "<http://x/d1/csv>")
        );
        assert!(
            d1.triples
                .iter()
                .any(|t| t.subject.to_string() == "<http://x/org>")
        );
        let cat = recs
            .iter()
            .find(|r| r.source_id == "http://x/cat")
            .expect("cat");
        assert_eq!(cat.kind, Kind::Catalog);
        assert!(
            !cat.triples
                .iter()
                .any(|t| t.subject.to_string() == "<http://x/d1>"),
            "datasets are their own records"
        );
    }
}
