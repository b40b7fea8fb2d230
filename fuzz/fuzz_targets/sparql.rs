//! Any text as a SPARQL query at the endpoint's entry: the nesting guard, then Oxigraph's
//! parser and evaluator (on a small in-memory store, with the server's cancellation), on a
//! thread with the server's query stack.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oxigraph::sparql::{CancellationToken, QueryResults, SparqlEvaluator};
use oxigraph::store::Store;
use std::sync::OnceLock;

fn store() -> &'static Store {
    static STORE: OnceLock<Store> = OnceLock::new();
    STORE.get_or_init(|| {
        let s = Store::new().expect("memory store");
        s.load_from_reader(
            oxrdfio::RdfFormat::Turtle,
            r#"@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
            <http://ex/d1> a dcat:Dataset ; dct:title "Dữ liệu"@vi, "Data"@en ; dct:issued "2025-01-01"^^<http://www.w3.org/2001/XMLSchema#date> .
            <http://ex/d2> a dcat:Dataset ; dct:title "Trường học"@vi ; dcat:keyword "giáo dục" ."#
                .as_bytes(),
        )
        .expect("load");
        s
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(query) = std::str::from_utf8(data) else {
        return;
    };
    if harvest::guard::check_sparql(query, &harvest::guard::Limits::default()).is_err() {
        return;
    }
    let query = query.to_owned();
    let store = store();
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .stack_size(256 * 1024 * 1024)
            .spawn_scoped(scope, move || {
                let token = CancellationToken::new();
                let Ok(mut prepared) = SparqlEvaluator::new()
                    .with_cancellation_token(token)
                    .parse_query(&query)
                else {
                    return;
                };
                prepared.dataset_mut().set_default_graph_as_union();
                match prepared.on_store(store).execute() {
                    Ok(QueryResults::Solutions(s)) => s.take(1000).for_each(drop),
                    Ok(QueryResults::Graph(g)) => g.take(1000).for_each(drop),
                    _ => {}
                }
            })
            .expect("thread");
    });
});
