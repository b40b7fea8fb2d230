//! JSON-LD documents, read by a full JSON-LD 1.1 processor (sophia_jsonld, on the `json-ld`
//! crate) rather than a streaming one: DCAT-AP 3's own examples give a node several types
//! (`["Dataset", "DatasetMemberOfADatasetSeries"]`), each with a type-scoped context, and only a
//! full processor applies them all (a streaming parser keeps the last one and loses the titles).
//!
//! Remote contexts are never fetched: the document loader answers from the contexts this process
//! knows — danhmuc's own (`…/api/v1/context.jsonld`) and those the operator registered at start
//! (`--jsonld-context IRI=FILE`) — and refuses every other IRI, naming it.

use futures_util::future::BoxFuture;
use oxrdf::{BlankNode, GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term};
use sophia_api::term::TermKind;
use sophia_jsonld::loader::ClosureLoader;
use sophia_jsonld::vocabulary::ArcIri;
use sophia_jsonld::{JsonLdOptions, JsonLdParser, JsonLdQuadSource};
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, RwLock};

/// The path under which danhmuc serves its own context; any registry's copy is known.
pub const OWN_CONTEXT_PATH: &str = "/api/v1/context.jsonld";

static KNOWN: LazyLock<RwLock<HashMap<String, Arc<str>>>> =
    LazyLock::new(|| RwLock::new(HashMap::new()));

/// Makes a context known by IRI for every later parse in this process (the operator's
/// `--jsonld-context IRI=FILE`). Refuses a body that is not UTF-8 JSON, so a wrong file is
/// reported at start rather than at the first document that names it.
pub fn register(iri: &str, body: &[u8]) -> Result<(), String> {
    let text = std::str::from_utf8(body).map_err(|e| format!("context <{iri}>: not UTF-8: {e}"))?;
    serde_json::from_str::<serde_json::Value>(text)
        .map_err(|e| format!("context <{iri}>: not JSON: {e}"))?;
    KNOWN
        .write()
        .unwrap_or_else(|p| p.into_inner())
        .insert(iri.trim().to_owned(), Arc::from(text));
    Ok(())
}

/// Registers an operator's `IRI=FILE` (the `--jsonld-context` flag), reading the file now.
pub fn register_file(spec: &str) -> Result<(), String> {
    let (iri, file) = spec
        .split_once('=')
        .ok_or_else(|| format!("--jsonld-context {spec}: expected IRI=FILE"))?;
    let body = std::fs::read(file.trim())
        .map_err(|e| format!("--jsonld-context {iri}: cannot read {file}: {e}"))?;
    register(iri, &body).map_err(|e| format!("--jsonld-context {e}"))
}

/// The body of a context this process knows, or why it will not be loaded.
pub fn known_context(iri: &str) -> Result<Arc<str>, String> {
    if let Some(c) = KNOWN
        .read()
        .unwrap_or_else(|p| p.into_inner())
        .get(iri)
        .cloned()
    {
        return Ok(c);
    }
    if iri.ends_with(OWN_CONTEXT_PATH) {
        return Ok(Arc::from(vocab::CONTEXT_JSONLD));
    }
    Err(format!(
        "remote JSON-LD context <{iri}> is not in the local cache of known contexts; it is never fetched (add it with --jsonld-context IRI=FILE)"
    ))
}

/// Largest document the full processor reads. It holds the whole document as a tree several
/// times over (measured: a 6 MB document of 10,000 datasets peaks at 290 MB, against 26 MB
/// streaming); larger documents go to oxigraph's streaming parser, which gives the same graph
/// except where a node has several types that each scope a context (docs/LIMITS.md).
pub const FULL_PROCESSOR_MAX_BYTES: usize = 8 * 1024 * 1024;

/// Reads a JSON-LD document into quads. `base` resolves relative IRIs. Errors are one line
/// that names the problem (a JSON-LD error code such as `invalid context entry`, an unknown
/// remote context, an IRI or language tag RDF does not allow). The caller has already bounded
/// the body's size and nesting (`guard::check_rdf`).
pub fn parse(body: &str, base: Option<&str>) -> Result<Vec<Quad>, String> {
    if body.len() > FULL_PROCESSOR_MAX_BYTES {
        return parse_streaming(body, base);
    }
    let mut options = JsonLdOptions::new();
    if let Some(b) = base
        && let Ok(iri) = ArcIri::new(Arc::from(b))
    {
        options = options.with_base(iri);
    }
    let options = options.with_document_loader_closure(|| {
        ClosureLoader::new(|iri: sophia_iri::Iri<String>| {
            let found = known_context(iri.as_str()).map(|c| c.to_string());
            Box::pin(async move { found }) as BoxFuture<'static, Result<String, String>>
        })
    });
    let parser = JsonLdParser::new_with_options(options);
    // The processor is async only for its document loader, whose answers are ready at once:
    // no runtime is needed, so this works the same inside and outside tokio.
    let quads = match futures_executor::block_on(parser.async_parse_str(body)) {
        JsonLdQuadSource::Quads(q) => q,
        JsonLdQuadSource::Err(e) => {
            return Err(match e {
                Some(e) => format!("JSON-LD: {}", one_line(&e.to_string())),
                None => "JSON-LD: the document could not be read".to_owned(),
            });
        }
    };
    let mut blanks: HashMap<String, BlankNode> = HashMap::new();
    let mut out = Vec::with_capacity(quads.len());
    for ([s, p, o], g) in quads {
        let subject = match term(&s, &mut blanks)? {
            Term::NamedNode(n) => NamedOrBlankNode::NamedNode(n),
            Term::BlankNode(b) => NamedOrBlankNode::BlankNode(b),
            _ => return Err("JSON-LD: a literal as a subject".into()),
        };
        let predicate = match term(&p, &mut blanks)? {
            Term::NamedNode(n) => n,
            _ => return Err("JSON-LD: a predicate that is not an IRI".into()),
        };
        let object = term(&o, &mut blanks)?;
        let graph_name = match g {
            None => GraphName::DefaultGraph,
            Some(g) => match term(&g, &mut blanks)? {
                Term::NamedNode(n) => GraphName::NamedNode(n),
                Term::BlankNode(b) => GraphName::BlankNode(b),
                _ => return Err("JSON-LD: a literal as a graph name".into()),
            },
        };
        out.push(Quad {
            subject,
            predicate,
            object,
            graph_name,
        });
    }
    Ok(out)
}

/// The same document through oxigraph's streaming JSON-LD parser, with the same contexts.
fn parse_streaming(body: &str, base: Option<&str>) -> Result<Vec<Quad>, String> {
    let mut parser = oxrdfio::RdfParser::from_format(crate::syntax::JSONLD);
    if let Some(b) = base
        && let Ok(p) = parser.clone().with_base_iri(b)
    {
        parser = p;
    }
    let quads = parser
        .for_slice(body.as_bytes())
        .with_document_loader(|iri| {
            Ok(oxrdfio::LoadedDocument {
                url: iri.to_owned(),
                content: known_context(iri)?.as_bytes().to_vec(),
                format: crate::syntax::JSONLD,
            })
        });
    crate::syntax::collect(quads, "JSON-LD")
}

/// A sophia term as an oxrdf one. Blank nodes get fresh identifiers, one per label of this
/// document, so two documents' blank nodes never meet.
fn term(
    t: &impl sophia_api::term::Term,
    blanks: &mut HashMap<String, BlankNode>,
) -> Result<Term, String> {
    match t.kind() {
        TermKind::Iri => {
            let iri = t.iri().map(|i| i.as_str().to_owned()).unwrap_or_default();
            NamedNode::new(iri.as_str())
                .map(Term::NamedNode)
                .map_err(|e| format!("JSON-LD: <{iri}> is not an IRI: {e}"))
        }
        TermKind::BlankNode => {
            let id = t
                .bnode_id()
                .map(|b| b.as_str().to_owned())
                .unwrap_or_default();
            Ok(Term::BlankNode(blanks.entry(id).or_default().clone()))
        }
        TermKind::Literal => {
            let lex = t.lexical_form().map(|l| l.to_string()).unwrap_or_default();
            if let Some(tag) = t.language_tag() {
                return Literal::new_language_tagged_literal(lex, tag.as_str())
                    .map(Term::Literal)
                    .map_err(|e| format!("JSON-LD: language tag {:?}: {e}", tag.as_str()));
            }
            let dt = t
                .datatype()
                .map(|d| d.as_str().to_owned())
                .unwrap_or_else(|| "http://www.w3.org/2001/XMLSchema#string".to_owned());
            let dt = NamedNode::new(dt.as_str())
                .map_err(|e| format!("JSON-LD: datatype <{dt}> is not an IRI: {e}"))?;
            Ok(Term::Literal(Literal::new_typed_literal(lex, dt)))
        }
        _ => Err("JSON-LD: a term RDF 1.1 does not have (a quoted triple or variable)".into()),
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has(quads: &[Quad], p: &str, o: &str) -> bool {
        quads
            .iter()
            .any(|q| q.predicate.as_str() == p && q.object.to_string() == o)
    }

    #[test]
    fn every_type_scoped_context_applies_when_a_node_has_several_types() {
        let doc = r#"{
          "@context": {
            "@version": 1.1,
            "A": {"@id": "http://x/A", "@context": {"title": "http://purl.org/dc/terms/title"}},
            "B": {"@id": "http://x/B", "@context": {"note": "http://x/note"}}
          },
          "@id": "http://x/d", "@type": ["A", "B"],
          "title": {"@value": "Tiếng Việt", "@language": "vi"}, "note": "n"
        }"#;
        let q = parse(doc, None).expect("parsed");
        assert!(
            has(&q, "http://purl.org/dc/terms/title", "\"Tiếng Việt\"@vi"),
            "{q:?}"
        );
        assert!(has(&q, "http://x/note", "\"n\""), "{q:?}");
        assert_eq!(q.len(), 4, "{q:?}");
    }

    #[test]
    fn own_and_registered_contexts_load_others_are_refused_not_fetched() {
        let doc = r#"{"@context": "https://example.org/ctx-jsonld-test.jsonld", "@id": "http://x/d", "title": "t"}"#;
        let err = parse(doc, None).expect_err("refused");
        assert!(
            err.contains("https://example.org/ctx-jsonld-test.jsonld")
                && err.contains("never fetched"),
            "{err}"
        );
        register(
            "https://example.org/ctx-jsonld-test.jsonld",
            br#"{"@context": {"title": "http://purl.org/dc/terms/title"}}"#,
        )
        .expect("registered");
        let q = parse(doc, None).expect("parsed");
        assert!(has(&q, "http://purl.org/dc/terms/title", "\"t\""), "{q:?}");
        let own = r#"{"@context": "https://any.example.vn/api/v1/context.jsonld", "@id": "http://x/d", "@type": "Dataset"}"#;
        let q = parse(own, None).expect("own context");
        assert!(
            q.iter()
                .any(|q| q.object.to_string() == "<http://www.w3.org/ns/dcat#Dataset>")
        );
        assert!(register("x", b"not json").is_err());
    }

    #[test]
    fn relative_iris_resolve_against_the_base_and_blank_nodes_keep_their_identity() {
        let doc = r#"{"@context": {"p": {"@id": "http://x/p", "@type": "@id"}},
          "@graph": [{"@id": "d1", "p": "_:a"}, {"@id": "_:a", "p": "d2"}]}"#;
        let q = parse(doc, Some("http://example.vn/base/")).expect("parsed");
        assert!(
            q.iter()
                .any(|q| q.subject.to_string() == "<http://example.vn/base/d1>")
        );
        let b1 = q
            .iter()
            .find(|q| q.subject.to_string().starts_with("<"))
            .map(|q| q.object.clone());
        let b2 = q
            .iter()
            .find(|q| q.subject.to_string().starts_with("_:"))
            .map(|q| Term::from(q.subject.clone()));
        assert_eq!(b1, b2, "{q:?}");
    }

    #[test]
    fn documents_over_the_processors_bound_are_streamed_with_the_same_contexts() {
        let mut nodes = Vec::new();
        let mut i = 0;
        let mut len = 0;
        while len <= FULL_PROCESSOR_MAX_BYTES {
            let n = format!(
                r#"{{"@id": "http://x/d{i}", "@type": "Dataset", "title": {{"vi": "Tập dữ liệu số {i}"}}}}"#
            );
            len += n.len() + 1;
            nodes.push(n);
            i += 1;
        }
        let doc = format!(
            r#"{{"@context": "https://reg.example.vn/api/v1/context.jsonld", "@graph": [{}]}}"#,
            nodes.join(",")
        );
        let q = parse(&doc, None).expect("streamed");
        assert_eq!(q.len(), 2 * i, "a type and a title per dataset");
        assert!(has(
            &q,
            "http://purl.org/dc/terms/title",
            "\"Tập dữ liệu số 7\"@vi"
        ));
        let unknown = doc.replace(
            "https://reg.example.vn/api/v1/context.jsonld",
            "https://example.org/unknown-big.jsonld",
        );
        let e = parse(&unknown, None).expect_err("unknown context");
        assert!(e.contains("never fetched"), "{e}");
    }

    #[test]
    fn errors_are_one_line_and_name_the_problem() {
        let e = parse(
            r#"{"@context": {"@version": 1.1, "x": {"@id": 5}}, "x": 1}"#,
            None,
        )
        .expect_err("invalid");
        assert!(e.starts_with("JSON-LD: ") && !e.contains('\n'), "{e}");
        let e = parse(
            r#"{"@id": "http://x/d", "http://x/p": {"@value": "v", "@language": "not a tag!"}}"#,
            None,
        );
        // json-ld drops or refuses an invalid tag; either way nothing invalid reaches oxrdf.
        if let Ok(q) = e {
            assert!(
                q.iter()
                    .all(|q| !q.object.to_string().contains("not a tag"))
            );
        }
    }

    /// An oxrdf term as a sophia one, for sophia's isomorphism check.
    fn sophia(t: &Term) -> sophia_api::term::SimpleTerm<'static> {
        use sophia_api::MownStr;
        use sophia_api::term::{BnodeId, IriRef, LanguageTag, SimpleTerm};
        let iri = |s: &str| IriRef::new_unchecked(MownStr::from(s.to_owned()));
        match t {
            Term::NamedNode(n) => SimpleTerm::Iri(iri(n.as_str())),
            Term::BlankNode(b) => {
                SimpleTerm::BlankNode(BnodeId::new_unchecked(MownStr::from(b.as_str().to_owned())))
            }
            Term::Literal(l) => match l.language() {
                Some(tag) => SimpleTerm::LiteralLanguage(
                    MownStr::from(l.value().to_owned()),
                    LanguageTag::new_unchecked(MownStr::from(tag.to_owned())),
                    None,
                ),
                None => SimpleTerm::LiteralDatatype(
                    MownStr::from(l.value().to_owned()),
                    iri(l.datatype().as_str()),
                ),
            },
            // Triple terms exist only when oxigraph's RDF 1.2 feature is on; none here.
            #[allow(unreachable_patterns)]
            other => panic!("no triple terms in these examples: {other}"),
        }
    }

    fn graph(quads: &[Quad]) -> Vec<[sophia_api::term::SimpleTerm<'static>; 3]> {
        quads
            .iter()
            .map(|q| {
                [
                    sophia(&Term::from(q.subject.clone())),
                    sophia(&Term::NamedNode(q.predicate.clone())),
                    sophia(&q.object),
                ]
            })
            .collect()
    }

    /// SEMIC's DCAT-AP 3.0.1 examples, each in JSON-LD and Turtle: the JSON-LD read here is the
    /// same graph as the Turtle read by oxigraph (where the Turtle parses), checked by sophia.
    #[test]
    fn semic_dcat_ap_3_examples_in_json_ld_are_the_graphs_of_their_turtle_twins() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../shared/fixtures/dcat-ap/releases/3.0.1/html/examples");
        let Ok(context) = std::fs::read(dir.join("context.jsonld")) else {
            eprintln!("fixtures not present; skipped");
            return;
        };
        // The examples name the context by the IRI SEMIC publishes it at; an operator registers
        // it with --jsonld-context IRI=FILE, as here.
        register(
            "https://semiceu.github.io/uri.semic.eu-generated/DCAT-AP/releases/3.0.0/html/examples/context.jsonld",
            &context,
        )
        .expect("SEMIC's context is JSON");
        let mut compared = Vec::new();
        let mut turtle_broken = Vec::new();
        let mut names: Vec<_> = std::fs::read_dir(&dir)
            .expect("dir")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".jsonld") && n != "context.jsonld")
            .collect();
        names.sort();
        for name in names {
            let json = std::fs::read(dir.join(&name)).expect("read");
            let ttl_name = name.replace(".jsonld", ".ttl");
            let Ok(ttl) = std::fs::read(dir.join(&ttl_name)) else {
                continue;
            };
            let base = "https://example.vn/";
            let from_json = parse(std::str::from_utf8(&json).expect("UTF-8"), Some(base))
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            let turtle = oxrdfio::RdfParser::from_format(oxrdfio::RdfFormat::Turtle)
                .with_base_iri(base)
                .expect("base IRI");
            let Ok(from_ttl) = crate::syntax::collect(turtle.for_slice(&ttl), "Turtle") else {
                turtle_broken.push(ttl_name);
                continue;
            };
            // SEMIC's context types dates as "xsd:date" without declaring the xsd prefix, so a
            // JSON-LD processor must read the absolute IRI <xsd:date> (JSON-LD 1.1, IRI
            // expansion); the Turtle says xsd:date with the prefix declared. That is the
            // context's defect, not a reading difference: undo it before comparing.
            let from_json: Vec<Quad> = from_json
                .into_iter()
                .map(|mut q| {
                    if let Term::Literal(l) = &q.object
                        && let Some(local) = l.datatype().as_str().strip_prefix("xsd:")
                    {
                        q.object = Term::Literal(Literal::new_typed_literal(
                            l.value(),
                            NamedNode::new_unchecked(format!(
                                "http://www.w3.org/2001/XMLSchema#{local}"
                            )),
                        ));
                    }
                    q
                })
                .collect();
            let same = sophia_isomorphism::isomorphic_graphs(&graph(&from_json), &graph(&from_ttl))
                .expect("comparable");
            assert!(
                same,
                "{name}: the JSON-LD ({} triples) is not the graph of {ttl_name} ({} triples)",
                from_json.len(),
                from_ttl.len()
            );
            compared.push(name);
        }
        eprintln!("compared {compared:?}; Turtle twins that do not parse: {turtle_broken:?}");
        assert!(compared.len() >= 10, "{compared:?} / {turtle_broken:?}");
        assert!(
            compared
                .iter()
                .any(|n| n == "example-bee-population-dataset-series.jsonld"),
            "the multi-typed example is among them"
        );
    }
}
