//! Any bytes as a harvested document in each RDF syntax: the guard, the parser behind it and
//! the record splitter must return, never crash or run away.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oxrdfio::RdfFormat;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let format = match selector % 5 {
        0 => RdfFormat::Turtle,
        1 => RdfFormat::TriG,
        2 => RdfFormat::NTriples,
        3 => RdfFormat::RdfXml,
        _ => RdfFormat::JsonLd {
            profile: Default::default(),
        },
    };
    if let Ok(quads) = harvest::format::parse(body, format, "http://fuzz.example/") {
        let triples = quads
            .into_iter()
            .map(|q| oxigraph::model::Triple::new(q.subject, q.predicate, q.object))
            .collect();
        let _ = harvest::split(triples);
    }
});
