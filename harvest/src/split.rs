//! Splitting RDF into records: every `dcat:Dataset`, `dcat:DataService` and `dcat:Catalog`
//! becomes one record, carrying the nodes it reaches that are not records themselves
//! (distributions, contact points, publishers described inline). Used by harvests and by the
//! registry's file import alike.
//!
//! A node only one description points to belongs to it and is carried whole (a distribution, a
//! contact point, every blank node). A named node several descriptions point to is shared (the
//! publisher, a licence, a service endpoint's description): each record carries only what names
//! it — its types and literal values — and never what it links to, so the size of a record is
//! its own, whatever hangs off the nodes it shares with eighteen thousand others, and the whole
//! cut grows linearly with the source.

use oxrdf::{NamedNodeRef, NamedOrBlankNode, Term, Triple};
use std::collections::{HashMap, HashSet};
use vocab::ns::{dcat, dcatvn, rdf};

/// The kinds of record a source can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordKind {
    /// `dcat:Dataset` (and `dcatvn:DatabaseEntry`).
    Dataset,
    /// `dcat:DataService`.
    DataService,
    /// `dcat:Catalog`.
    Catalog,
}

/// One record found in a graph.
#[derive(Debug)]
pub struct Extracted {
    /// Kind.
    pub kind: RecordKind,
    /// The resource's identifier in the source (its IRI, or a blank node label).
    pub source_id: String,
    /// Its description.
    pub triples: Vec<Triple>,
}

fn kind_of(class: NamedNodeRef<'_>) -> Option<RecordKind> {
    if class == dcat::DATASET || class == dcatvn::DATABASE_ENTRY {
        Some(RecordKind::Dataset)
    } else if class == dcat::DATA_SERVICE {
        Some(RecordKind::DataService)
    } else if class == dcat::CATALOG {
        Some(RecordKind::Catalog)
    } else {
        None
    }
}

/// Splits triples into records.
pub fn split(triples: Vec<Triple>) -> Vec<Extracted> {
    let mut by_subject: HashMap<NamedOrBlankNode, Vec<usize>> = HashMap::new();
    let mut mains: Vec<(NamedOrBlankNode, RecordKind)> = Vec::new();
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
    // For each node, the first description that points to it and whether another one does too.
    let mut pointed: HashMap<NamedOrBlankNode, (NamedOrBlankNode, bool)> = HashMap::new();
    for t in &triples {
        let o: NamedOrBlankNode = match &t.object {
            Term::NamedNode(n) => n.clone().into(),
            Term::BlankNode(b) => b.clone().into(),
            _ => continue,
        };
        if t.predicate.as_ref() == rdf::TYPE || !by_subject.contains_key(&o) {
            continue;
        }
        match pointed.get_mut(&o) {
            Some((first, shared)) => *shared |= *first != t.subject,
            None => {
                pointed.insert(o, (t.subject.clone(), false));
            }
        }
    }
    let shared = |n: &NamedOrBlankNode| {
        matches!(n, NamedOrBlankNode::NamedNode(_)) && pointed.get(n).is_some_and(|(_, s)| *s)
    };
    let mut out = Vec::new();
    for (main, kind) in mains {
        // A resource typed both Catalog and Dataset is a catalogue.
        let kind = if by_subject[&main].iter().any(|&i| {
            triples[i].predicate.as_ref() == rdf::TYPE
                && triples[i].object == Term::NamedNode(dcat::CATALOG.into_owned())
        }) {
            RecordKind::Catalog
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
            let whole = s == main || !shared(&s);
            for &i in by_subject.get(&s).map(Vec::as_slice).unwrap_or(&[]) {
                let t = &triples[i];
                if !whole
                    && t.predicate.as_ref() != rdf::TYPE
                    && !matches!(t.object, Term::Literal(_))
                {
                    continue;
                }
                picked.push(t.clone());
                if !whole {
                    continue;
                }
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
            NamedOrBlankNode::BlankNode(_) => blank_id(&main, &picked),
        };
        out.push(Extracted {
            kind,
            source_id,
            triples: picked,
        });
    }
    out
}

/// A stable identifier for a record whose resource is a blank node (its label changes on every
/// parse): its `dct:identifier` when it has one, else a hash of its description with blank
/// nodes anonymised, so that an unchanged description is found again on the next harvest.
fn blank_id(main: &NamedOrBlankNode, triples: &[Triple]) -> String {
    use sha2::{Digest, Sha256};
    if let Some(Term::Literal(l)) = triples
        .iter()
        .find(|t| &t.subject == main && t.predicate.as_ref() == vocab::ns::dct::IDENTIFIER)
        .map(|t| &t.object)
        && !l.value().trim().is_empty()
    {
        return l.value().trim().to_owned();
    }
    let anon = |s: String| -> String { if s.starts_with("_:") { "_:b".into() } else { s } };
    let mut lines: Vec<String> = triples
        .iter()
        .map(|t| {
            format!(
                "{} {} {} .",
                anon(t.subject.to_string()),
                t.predicate,
                anon(t.object.to_string())
            )
        })
        .collect();
    lines.sort();
    let mut d = Sha256::new();
    for l in lines {
        d.update(l.as_bytes());
        d.update(b"\n");
    }
    format!("urn:danhmuc:blank:{}", &hex::encode(d.finalize())[..32])
}

/// N-Triples of a record's triples, sorted: the payload kept for records cut out of a larger
/// document, stable whatever order the source used.
pub fn ntriples(triples: &[Triple]) -> Vec<u8> {
    let mut lines: Vec<String> = triples.iter().map(|t| format!("{t} .\n")).collect();
    lines.sort();
    lines.concat().into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxrdfio::{RdfFormat, RdfParser};

    /// A national catalogue's size: one catalogue node linking 18,000 datasets, each with a
    /// distribution and a shared publisher, passes every guard, parses, and splits into
    /// 18,001 records, none of which carries another record's description (the catalogue
    /// record keeps its links, not the datasets; the shared publisher is copied, not chained).
    #[test]
    fn a_national_catalogue_passes_the_guards_and_splits_record_by_record() {
        const N: usize = 18_000;
        let mut ttl = String::from(
            "@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .\n\
             <http://x/org> a <http://xmlns.com/foaf/0.1/Agent> ; <http://xmlns.com/foaf/0.1/name> \"Bộ Tài chính\"@vi .\n\
             <http://x/cat> a dcat:Catalog ; dct:title \"Cổng dữ liệu quốc gia\"@vi ; dct:publisher <http://x/org> ;\n  dcat:dataset ",
        );
        let links: Vec<String> = (0..N).map(|i| format!("<http://x/d{i}>")).collect();
        ttl.push_str(&links.join(", "));
        ttl.push_str(" .\n");
        for i in 0..N {
            ttl.push_str(&format!(
                "<http://x/d{i}> a dcat:Dataset ; dct:title \"Tập dữ liệu số {i}\"@vi ; \
                 dct:description \"Mô tả tập dữ liệu {i}, cập nhật hằng năm.\"@vi ; \
                 dct:publisher <http://x/org> ; dcat:keyword \"ngân sách\"@vi ; \
                 dcat:distribution [ a dcat:Distribution ; dcat:accessURL <http://x/f/{i}.csv> ; \
                 dct:format <http://publications.europa.eu/resource/authority/file-type/CSV> ] .\n"
            ));
        }
        let quads = crate::format::parse(ttl.as_bytes(), RdfFormat::Turtle, "http://x/")
            .expect("a national catalogue is within the limits");
        let triples: Vec<Triple> = quads.into_iter().map(Triple::from).collect();
        let records = split(triples);
        assert_eq!(records.len(), N + 1);
        let limits = crate::guard::limits();
        let catalogue = records
            .iter()
            .find(|r| r.kind == RecordKind::Catalog)
            .expect("the catalogue");
        assert!(
            catalogue.triples.len() < N + 10,
            "{}",
            catalogue.triples.len()
        );
        assert!(catalogue.triples.len() < limits.max_record_triples);
        let largest = records
            .iter()
            .filter(|r| r.kind == RecordKind::Dataset)
            .map(|r| r.triples.len())
            .max()
            .expect("datasets");
        assert!(largest < 20, "a dataset record holds {largest} triples");
    }

    /// What a record carries of a node it shares with others is what names that node, never
    /// what the node links to: a data service serving every dataset, described on each page, adds
    /// a few triples to each dataset, not its thousands of links; an untyped catalogue node each
    /// dataset points back to adds its title, not its membership list.
    #[test]
    fn shared_nodes_lend_their_names_not_their_links() {
        const N: usize = 2_000;
        let mut ttl = String::from(
            "@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .\n\
             <http://x/svc> dct:title \"Dịch vụ API\"@vi ; a <http://x/Endpoint> .\n\
             <http://x/cat> dct:title \"Cổng dữ liệu\"@vi ; dcat:dataset ",
        );
        let links: Vec<String> = (0..N).map(|i| format!("<http://x/d{i}>")).collect();
        ttl.push_str(&links.join(", "));
        ttl.push_str(" .\n<http://x/svc> <http://x/serves> ");
        ttl.push_str(&links.join(", "));
        ttl.push_str(" .\n");
        for i in 0..N {
            ttl.push_str(&format!(
                "<http://x/d{i}> a dcat:Dataset ; dct:title \"Tập dữ liệu {i}\"@vi ; dct:isPartOf <http://x/cat> ; \
                 dcat:distribution <http://x/d{i}/csv> .\n\
                 <http://x/d{i}/csv> a dcat:Distribution ; dcat:accessService <http://x/svc> ; \
                 dct:license <http://x/licence> .\n"
            ));
        }
        ttl.push_str(
            "<http://x/licence> dct:title \"CC BY 4.0\" ; dct:source <http://x/licence-text> .\n",
        );
        let quads =
            crate::format::parse(ttl.as_bytes(), RdfFormat::Turtle, "http://x/").expect("parsed");
        let records = split(quads.into_iter().map(Triple::from).collect());
        assert_eq!(records.len(), N);
        let d7 = records
            .iter()
            .find(|r| r.source_id == "http://x/d7")
            .expect("d7");
        let lines: Vec<String> = d7.triples.iter().map(|t| t.to_string()).collect();
        assert!(lines.len() < 16, "{lines:#?}");
        // its own distribution, whole; the shared nodes by name
        for want in [
            "<http://x/d7/csv> <http://www.w3.org/ns/dcat#accessService> <http://x/svc>",
            "<http://x/svc> <http://purl.org/dc/terms/title> \"Dịch vụ API\"@vi",
            "<http://x/svc> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://x/Endpoint>",
            "<http://x/cat> <http://purl.org/dc/terms/title> \"Cổng dữ liệu\"@vi",
            "<http://x/licence> <http://purl.org/dc/terms/title> \"CC BY 4.0\"",
        ] {
            assert!(lines.iter().any(|l| l == want), "{want} in {lines:#?}");
        }
        assert!(
            !lines
                .iter()
                .any(|l| l.contains("serves") || l.contains("licence-text"))
        );
        let total: usize = records.iter().map(|r| r.triples.len()).sum();
        assert!(total < 16 * N, "the cut grows linearly: {total}");
    }

    #[test]
    fn a_catalogue_file_splits_into_records_with_their_distributions() {
        let ttl = r#"@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
            <http://x/cat> a dcat:Catalog ; dct:title "C" ; dcat:dataset <http://x/d1>, <http://x/d2> .
            <http://x/d1> a dcat:Dataset ; dct:title "D1" ; dcat:distribution <http://x/d1/csv> ; dct:publisher <http://x/org> .
            <http://x/d1/csv> a dcat:Distribution ; dcat:accessURL <http://x/f.csv> .
            <http://x/d2> a dcat:Dataset ; dct:title "D2" ; dct:publisher <http://x/org> .
            <http://x/org> a <http://xmlns.com/foaf/0.1/Agent> ; <http://xmlns.com/foaf/0.1/name> "Org" ."#;
        let t: Vec<Triple> = RdfParser::from_format(RdfFormat::Turtle)
            .for_slice(ttl.as_bytes())
            .map(|q| q.expect("ttl").into())
            .collect();
        let recs = split(t);
        assert_eq!(recs.len(), 3);
        let d1 = recs
            .iter()
            .find(|r| r.source_id == "http://x/d1")
            .expect("d1");
        assert_eq!(d1.kind, RecordKind::Dataset);
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
        assert_eq!(cat.kind, RecordKind::Catalog);
        assert!(
            !cat.triples
                .iter()
                .any(|t| t.subject.to_string() == "<http://x/d1>"),
            "datasets are their own records"
        );
        let nt = String::from_utf8(ntriples(&d1.triples)).expect("utf8");
        assert!(nt.lines().count() == d1.triples.len() && nt.ends_with(" .\n"));
    }
}
