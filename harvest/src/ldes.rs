//! Linked Data Event Streams in the shape of SEMIC's DCAT-AP Feeds: pages (`tree:Node`) linked
//! by TREE relations, members that are `as:Create`, `as:Update` or `as:Delete` activities with
//! `as:published`, each carrying its payload in a named graph named after the activity.
//!
//! Runs are incremental: the state remembers a time before which every member has been read,
//! so the next run skips those members and does not even fetch pages whose relations say they
//! hold only older members. Pages are visited oldest first, so that an update read in the same
//! run as its create is applied after it.

use crate::fetch::Visited;
use crate::split::{ntriples, split};
use crate::{Context, Event, HarvestError, Harvested, Payload, Summary, send};
use chrono::{DateTime, Duration, FixedOffset, Utc};
use oxrdf::{GraphName, NamedOrBlankNode, Quad, Term, Triple};
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, HashMap};
use tokio::sync::mpsc::Sender;
use url::Url;
use vocab::ns::{activity, ldes, rdf, tree};

/// Whether a document belongs to an event stream (declares one, or is one of its pages).
pub fn is_stream(quads: &[Quad]) -> bool {
    quads.iter().any(|q| {
        let p = q.predicate.as_ref();
        (p == rdf::TYPE
            && matches!(&q.object, Term::NamedNode(n) if n.as_ref() == ldes::EVENT_STREAM || n.as_ref() == tree::NODE))
            || p == tree::VIEW
            || p == tree::MEMBER
            || p == tree::RELATION
    })
}

fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::<FixedOffset>::parse_from_rfc3339(s.trim())
        .ok()
        .map(|d| d.with_timezone(&Utc))
        .or_else(|| {
            chrono::NaiveDateTime::parse_from_str(s.trim(), "%Y-%m-%dT%H:%M:%S%.f")
                .ok()
                .map(|n| n.and_utc())
        })
}

fn iri_of(t: &Term) -> Option<String> {
    match t {
        Term::NamedNode(n) => Some(n.as_str().to_owned()),
        _ => None,
    }
}

/// A relation's target node, type and value, as read.
type RelationParts = (Option<String>, Option<NamedOrBlankNode>, Option<String>);

/// A page to visit: its lower time bound (oldest first), discovery order, URL.
type Pending = (Option<DateTime<Utc>>, u64, String);

/// What a page's relations say about the pages they point to.
#[derive(Debug, Default, Clone)]
struct Bounds {
    lower: Option<DateTime<Utc>>,
    upper: Option<DateTime<Utc>>,
}

fn relations(quads: &[Quad]) -> HashMap<String, Bounds> {
    let mut by_rel: HashMap<NamedOrBlankNode, RelationParts> = HashMap::new();
    for q in quads {
        let p = q.predicate.as_ref();
        if p == tree::NODE_PROP {
            by_rel.entry(q.subject.clone()).or_default().0 = iri_of(&q.object);
        } else if p == rdf::TYPE
            && let Term::NamedNode(n) = &q.object
            && n.as_str().starts_with(tree::NS)
        {
            by_rel.entry(q.subject.clone()).or_default().1 = Some(n.clone().into());
        } else if p == tree::VALUE
            && let Term::Literal(l) = &q.object
        {
            by_rel.entry(q.subject.clone()).or_default().2 = Some(l.value().to_owned());
        }
    }
    let mut out: HashMap<String, Bounds> = HashMap::new();
    for (node, ty, value) in by_rel.into_values() {
        let Some(node) = node else { continue };
        let b = out.entry(node).or_default();
        let (Some(ty), Some(v)) = (ty, value.as_deref().and_then(parse_time)) else {
            continue;
        };
        let ty = ty.to_string();
        if ty.contains("GreaterThan") {
            b.lower = Some(b.lower.map_or(v, |l| l.max(v)));
        } else if ty.contains("LessThan") {
            b.upper = Some(b.upper.map_or(v, |u| u.min(v)));
        }
    }
    out
}

/// Reads the stream from its first document (already fetched and parsed).
pub async fn run_from(
    ctx: &Context,
    out: &Sender<Event>,
    first_url: Url,
    first_quads: Vec<Quad>,
) -> Result<Summary, HarvestError> {
    let before: Option<DateTime<Utc>> = ctx
        .state
        .as_ref()
        .and_then(|s| s.get("before"))
        .and_then(|v| v.as_str())
        .and_then(parse_time);
    let mut summary = Summary {
        complete: true,
        listing: false,
        ..Summary::default()
    };
    let mut visited = Visited::default();
    visited.first_visit(&first_url);
    // Oldest pages first; pages without a known lower bound go first.
    let mut queue: BinaryHeap<Reverse<Pending>> = BinaryHeap::new();
    let mut order = 0u64;
    let mut max_seen: Option<DateTime<Utc>> = None;
    let mut failed_lower: Vec<Option<DateTime<Utc>>> = Vec::new();
    let mut doc = Some((first_url, first_quads));
    loop {
        let (page, quads) = match doc.take() {
            Some(d) => d,
            None => {
                let Some(Reverse((lower, _, next))) = queue.pop() else {
                    break;
                };
                let Ok(url) = Url::parse(&next) else { continue };
                if !visited.first_visit(&url) {
                    continue;
                }
                if visited.len() > ctx.fetcher.policy.max_pages {
                    summary.warnings.push(format!(
                        "stopped after {} pages (the page limit)",
                        ctx.fetcher.policy.max_pages
                    ));
                    failed_lower.push(None);
                    break;
                }
                match crate::page::fetch_rdf(ctx, &url).await {
                    Ok((u, q, _)) => (u, q),
                    Err(HarvestError::Cancelled) => return Err(HarvestError::Cancelled),
                    Err(e) => {
                        summary.warnings.push(format!("page not read: {e}"));
                        failed_lower.push(lower);
                        continue;
                    }
                }
            }
        };
        send(
            out,
            Event::Page {
                url: page.to_string(),
            },
        )
        .await?;
        // Views of the stream and relations to further pages.
        for q in &quads {
            if q.predicate.as_ref() == tree::VIEW
                && let Some(v) = iri_of(&q.object)
            {
                order += 1;
                queue.push(Reverse((None, order, v)));
            }
        }
        for (node, b) in relations(&quads) {
            if let (Some(cut), Some(upper)) = (before, b.upper)
                && upper <= cut
            {
                continue; // only members older than what earlier runs read
            }
            order += 1;
            queue.push(Reverse((b.lower, order, node)));
        }
        // Members, oldest first.
        let mut members: BTreeMap<(DateTime<Utc>, String), (String, String)> = BTreeMap::new();
        let member_ids: Vec<NamedOrBlankNode> = quads
            .iter()
            .filter(|q| q.predicate.as_ref() == tree::MEMBER && q.graph_name.is_default_graph())
            .filter_map(|q| match &q.object {
                Term::NamedNode(n) => Some(n.clone().into()),
                Term::BlankNode(b) => Some(b.clone().into()),
                _ => None,
            })
            .collect();
        for m in member_ids {
            let mut kind = None;
            let mut object = None;
            let mut published = None;
            for q in quads
                .iter()
                .filter(|q| q.subject == m && q.graph_name.is_default_graph())
            {
                let p = q.predicate.as_ref();
                if p == rdf::TYPE {
                    if let Term::NamedNode(n) = &q.object {
                        let n = n.as_ref();
                        if n == activity::DELETE || n == activity::REMOVE {
                            kind = Some("delete");
                        } else if n == activity::CREATE || n == activity::UPDATE {
                            kind = kind.or(Some("upsert"));
                        }
                    }
                } else if p == activity::OBJECT {
                    object = iri_of(&q.object);
                } else if p == activity::PUBLISHED
                    && let Term::Literal(l) = &q.object
                {
                    published = parse_time(l.value());
                }
            }
            let label = m.to_string();
            let (Some(kind), Some(object), Some(published)) = (kind, object.clone(), published)
            else {
                send(
                    out,
                    Event::Failed {
                        source_id: object.unwrap_or(label),
                        reason: "stream member is not an as:Create, as:Update or as:Delete with as:object and as:published".into(),
                    },
                )
                .await?;
                continue;
            };
            if before.is_some_and(|b| published < b) {
                continue;
            }
            max_seen = Some(max_seen.map_or(published, |s| s.max(published)));
            members.insert((published, label), (kind.to_owned(), object));
        }
        for ((_, label), (kind, object)) in members {
            if kind == "delete" {
                send(out, Event::Deleted { source_id: object }).await?;
                continue;
            }
            let triples: Vec<Triple> = quads
                .iter()
                .filter(|q| match &q.graph_name {
                    GraphName::NamedNode(n) => format!("<{}>", n.as_str()) == label,
                    GraphName::BlankNode(b) => b.to_string() == label,
                    GraphName::DefaultGraph => false,
                })
                .map(|q| Triple::new(q.subject.clone(), q.predicate.clone(), q.object.clone()))
                .collect();
            let payload = Payload {
                media_type: "application/n-triples".into(),
                body: ntriples(&triples),
            };
            let records = split(triples);
            let Some(rec) = records.into_iter().find(|r| r.source_id == object) else {
                send(
                    out,
                    Event::Failed {
                        source_id: object,
                        reason: "the member's payload does not describe its as:object as a dcat:Dataset, DataService or Catalog".into(),
                    },
                )
                .await?;
                continue;
            };
            send(
                out,
                Event::Record(Box::new(Harvested {
                    kind: rec.kind,
                    source_id: rec.source_id,
                    triples: rec.triples,
                    payload,
                })),
            )
            .await?;
        }
    }
    // Every member older than this has been read, whatever failed.
    let read_through = max_seen.map(|m| m + Duration::milliseconds(1));
    let new_before = if failed_lower.is_empty() {
        read_through.or(before)
    } else {
        summary.complete = false;
        if failed_lower.iter().all(Option::is_some) {
            let min_failed = failed_lower.iter().flatten().min().copied();
            match (read_through, min_failed) {
                (Some(r), Some(f)) => Some(r.min(f)).max(before),
                (None, f) => f.max(before),
                (r, None) => r.or(before),
            }
        } else {
            before
        }
    };
    summary.state = new_before.map(
        |b| serde_json::json!({ "before": b.to_rfc3339_opts(chrono::SecondsFormat::Millis, true) }),
    );
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxrdfio::{RdfFormat, RdfParser};

    #[test]
    fn relations_give_bounds_per_page() {
        let trig = r#"
            <http://x/p> <https://w3id.org/tree#relation> _:a, _:b .
            _:a a <https://w3id.org/tree#GreaterThanOrEqualToRelation> ; <https://w3id.org/tree#node> <http://x/q> ;
                <https://w3id.org/tree#value> "2025-01-01T00:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> .
            _:b a <https://w3id.org/tree#LessThanRelation> ; <https://w3id.org/tree#node> <http://x/q> ;
                <https://w3id.org/tree#value> "2025-04-01T00:00:00.000Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> ."#;
        let quads: Vec<Quad> = RdfParser::from_format(RdfFormat::TriG)
            .for_slice(trig.as_bytes())
            .collect::<Result<_, _>>()
            .expect("trig");
        assert!(is_stream(&quads));
        let r = relations(&quads);
        let b = &r["http://x/q"];
        assert_eq!(b.lower, parse_time("2025-01-01T00:00:00Z"));
        assert_eq!(b.upper, parse_time("2025-04-01T00:00:00Z"));
    }
}
