//! DCAT sources: one RDF document, or a paged endpoint that links its pages with Hydra
//! (`hydra:next`/`hydra:nextPage`, under both the current and the 2013 namespace). A document
//! that turns out to be a Linked Data Event Stream is read by [`crate::ldes`] instead.
//!
//! One page is in memory at a time. Catalogues are read once per run and without their
//! membership links (`dcat:dataset`, `dcat:service`, `dcat:record`, `dcat:catalog`): the members
//! are records of their own, paged endpoints repeat the catalogue on every page with only that
//! page's links, and a catalogue record that changed whenever a dataset came or went would
//! rewrite itself on every harvest.

use crate::fetch::Visited;
use crate::page::{fetch_rdf, source_url};
use crate::split::{RecordKind, ntriples, split};
use crate::{Connector, Context, Event, HarvestError, Harvested, Payload, Summary, send};
use futures_util::future::BoxFuture;
use oxrdf::{NamedNodeRef, Quad, Term, Triple};
use std::collections::HashSet;
use tokio::sync::mpsc::Sender;
use url::Url;
use vocab::ns::{dcat, hydra, hydra_legacy, rdf};

/// The DCAT connector.
#[derive(Debug, Clone, Copy)]
pub struct Dcat;

impl Connector for Dcat {
    fn run<'a>(
        &'a self,
        ctx: &'a Context,
        out: &'a Sender<Event>,
    ) -> BoxFuture<'a, Result<Summary, HarvestError>> {
        Box::pin(run(ctx, out))
    }
}

async fn run(ctx: &Context, out: &Sender<Event>) -> Result<Summary, HarvestError> {
    let start = source_url(&ctx.url)?;
    let mut summary = Summary {
        complete: true,
        listing: true,
        ..Summary::default()
    };
    let mut visited = Visited::default();
    let mut catalogues: HashSet<String> = HashSet::new();
    let mut next = Some(start);
    let mut first = true;
    while let Some(url) = next.take() {
        if !visited.first_visit(&url) {
            summary.warnings.push(format!(
                "paging loop: {url} was already read in this run; stopped there"
            ));
            summary.complete = false;
            break;
        }
        if visited.len() > ctx.fetcher.policy.max_pages {
            summary.warnings.push(format!(
                "stopped after {} pages (the page limit)",
                ctx.fetcher.policy.max_pages
            ));
            summary.complete = false;
            break;
        }
        let (page_url, quads, _) = match fetch_rdf(ctx, &url).await {
            Ok(p) => p,
            Err(e) if first => return Err(e),
            Err(HarvestError::Cancelled) => return Err(HarvestError::Cancelled),
            Err(e) => {
                summary
                    .warnings
                    .push(format!("page not read, run incomplete: {e}"));
                summary.complete = false;
                break;
            }
        };
        if first && crate::ldes::is_stream(&quads) {
            return crate::ldes::run_from(ctx, out, page_url, quads).await;
        }
        send(
            out,
            Event::Page {
                url: page_url.to_string(),
            },
        )
        .await?;
        let (next_url, total) = paging(&quads, &page_url);
        if first && let Some(t) = total {
            send(out, Event::Total(t)).await?;
        }
        let triples: Vec<Triple> = quads
            .into_iter()
            .map(Triple::from)
            .filter(|t| !is_paging(t))
            .collect();
        for rec in split(triples) {
            let mut triples = rec.triples;
            if rec.kind == RecordKind::Catalog {
                if !catalogues.insert(rec.source_id.clone()) {
                    continue;
                }
                triples.retain(|t| !is_membership(t, &rec.source_id));
            }
            let payload = Payload {
                media_type: "application/n-triples".into(),
                body: ntriples(&triples),
            };
            send(
                out,
                Event::Record(Box::new(Harvested {
                    kind: rec.kind,
                    source_id: rec.source_id,
                    triples,
                    payload,
                })),
            )
            .await?;
        }
        next = next_url;
        first = false;
    }
    Ok(summary)
}

/// Statements about the paging itself (Hydra), which belong to this page, not to any record.
fn is_paging(t: &Triple) -> bool {
    let hydra_term = |iri: &str| iri.starts_with(hydra::NS) || iri.starts_with(hydra_legacy::NS);
    hydra_term(t.predicate.as_str())
        || (t.predicate.as_ref() == rdf::TYPE
            && matches!(&t.object, Term::NamedNode(c) if hydra_term(c.as_str())))
}

fn is_membership(t: &Triple, catalogue: &str) -> bool {
    let p = t.predicate.as_ref();
    t.subject.to_string().trim_matches(|c| c == '<' || c == '>') == catalogue
        && (p == dcat::DATASET_PROP
            || p == dcat::SERVICE
            || p == dcat::RECORD_PROP
            || p == dcat::CATALOG_PROP)
}

/// The next page and the announced total, from Hydra terms of either vocabulary version. When
/// several `next` links exist, the one whose subject is the page itself wins.
pub fn paging(quads: &[Quad], page: &Url) -> (Option<Url>, Option<u64>) {
    let nexts: [NamedNodeRef<'_>; 4] = [
        hydra::NEXT,
        hydra::NEXT_PAGE,
        hydra_legacy::NEXT,
        hydra_legacy::NEXT_PAGE,
    ];
    let mut best: Option<(bool, Url)> = None;
    let mut total = None;
    for q in quads {
        let p = q.predicate.as_ref();
        if nexts.contains(&p) {
            let target = match &q.object {
                Term::NamedNode(n) => Url::parse(n.as_str()).ok(),
                Term::Literal(l) => page.join(l.value()).ok(),
                _ => None,
            };
            if let Some(t) = target {
                let own =
                    q.subject.to_string().trim_matches(|c| c == '<' || c == '>') == page.as_str();
                if best.as_ref().is_none_or(|(o, _)| !o && own) {
                    best = Some((own, t));
                }
            }
        } else if (p == hydra::TOTAL_ITEMS || p == hydra_legacy::TOTAL_ITEMS)
            && let Term::Literal(l) = &q.object
        {
            total = l.value().trim().parse().ok();
        }
    }
    (best.map(|(_, u)| u), total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxrdfio::{RdfFormat, RdfParser};

    #[test]
    fn both_hydra_vocabularies_page() {
        for ttl in [
            r#"<http://x/p1> <http://www.w3.org/ns/hydra/core#next> <http://x/p2> ; <http://www.w3.org/ns/hydra/core#totalItems> 12 ."#,
            r#"<http://x/c> <http://purl.org/hydra/core#nextPage> "http://x/p2" ; <http://purl.org/hydra/core#totalItems> "12" ."#,
        ] {
            let quads: Vec<Quad> = RdfParser::from_format(RdfFormat::Turtle)
                .for_slice(ttl.as_bytes())
                .collect::<Result<_, _>>()
                .expect("ttl");
            let (next, total) = paging(&quads, &Url::parse("http://x/p1").expect("url"));
            assert_eq!(next.expect("next").as_str(), "http://x/p2");
            assert_eq!(total, Some(12));
        }
    }
}
