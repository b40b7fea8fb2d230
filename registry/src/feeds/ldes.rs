//! `/feed`: the change log as a Linked Data Event Stream in the shape of SEMIC's DCAT-AP Feeds.
//! Every version of a dataset or data service becomes an activity: `as:Create` when the record
//! becomes public, `as:Update` while it stays public, `as:Delete` when it is withdrawn or stops
//! being PUBLIC — with no content, so nothing restricted is ever in the feed. A public
//! activity's payload (the version's canonical form as the log holds it, enriched on the write
//! path) is in a named graph named after the activity.
//!
//! Pages are fixed windows of the log (`--feed-page-size` entries): a window the log has grown
//! past never changes and is served `immutable`; the latest is served with an ETag. The entry
//! `/feed` is the stream and its view, with a `tree:GreaterThanOrEqualToRelation` and a
//! `tree:LessThanRelation` on `as:published` to every page, so an incremental harvester skips
//! pages older than what it has read. TriG (default), N-Quads or JSON-LD.

use crate::error::{ApiError, ApiResult, Code};
use crate::state::AppState;
use actix_web::http::header::{CACHE_CONTROL, ETAG};
use actix_web::{HttpRequest, HttpResponse, web};
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{GraphName, Literal, NamedNode, Quad, Triple};
use record::parse_canonical;
use vocab::ns::{activity, dct, ldes, rdf, sh, tree, xsd};

fn time(micros: i64) -> Literal {
    let t = chrono::DateTime::from_timestamp_micros(micros)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    Literal::new_typed_literal(t, xsd::DATE_TIME)
}

const OFFERED: &[&str] = &[
    "application/trig",
    "application/n-quads",
    "application/ld+json",
];

fn negotiate(req: &HttpRequest, suffix: Option<&str>) -> ApiResult<&'static str> {
    let forced = match suffix {
        Some("trig") => Some("application/trig"),
        Some("nq") => Some("application/n-quads"),
        Some("jsonld") => Some("application/ld+json"),
        Some(other) => {
            return Err(ApiError::new(
                Code::NotFound,
                format!("no feed syntax '.{other}': use .trig, .nq or .jsonld"),
            ));
        }
        None => None,
    };
    let accept = forced.or_else(|| crate::http::header(req, "accept"));
    record::rdf::negotiate(accept, OFFERED).ok_or_else(|| {
        ApiError::new(
            Code::NotAcceptable,
            format!("available: {}", OFFERED.join(", ")),
        )
    })
}

fn serialize(quads: &[Quad], media: &str) -> ApiResult<Vec<u8>> {
    let format = match media {
        "application/n-quads" => RdfFormat::NQuads,
        "application/ld+json" => RdfFormat::JsonLd {
            profile: Default::default(),
        },
        _ => RdfFormat::TriG,
    };
    let mut ser = RdfSerializer::from_format(format);
    if format == RdfFormat::TriG {
        for (p, ns) in vocab::PREFIXES {
            ser = ser.with_prefix(*p, *ns).map_err(ApiError::internal)?;
        }
    }
    let mut w = ser.for_writer(Vec::new());
    for q in quads {
        w.serialize_quad(q).map_err(ApiError::internal)?;
    }
    w.finish().map_err(ApiError::internal)
}

fn split_suffix(s: &str) -> (&str, Option<&str>) {
    match s.rsplit_once('.') {
        Some((a, b)) => (a, Some(b)),
        None => (s, None),
    }
}

fn conditional(req: &HttpRequest, etag: &str) -> bool {
    crate::http::header(req, "if-none-match")
        .is_some_and(|h| h.split(',').any(|t| t.trim() == etag))
}

fn triple(t: Triple) -> Quad {
    Quad::new(t.subject, t.predicate, t.object, GraphName::DefaultGraph)
}

/// The stream's own description, on the entry and on every page (DCAT-AP Feeds): activities
/// ordered by `as:published`, each a version of the entity its `as:object` names (so a client
/// asked for the latest versions keeps one per record), and the shape every member has.
fn stream_description(base: &str) -> Vec<Quad> {
    let stream = NamedNode::new_unchecked(format!("{base}/feed#stream"));
    let shape = NamedNode::new_unchecked(format!("{base}/feed#shape"));
    let mut q = vec![
        triple(Triple::new(stream.clone(), rdf::TYPE, ldes::EVENT_STREAM)),
        triple(Triple::new(
            stream.clone(),
            ldes::TIMESTAMP_PATH,
            activity::PUBLISHED,
        )),
        triple(Triple::new(
            stream.clone(),
            ldes::VERSION_OF_PATH,
            activity::OBJECT,
        )),
        triple(Triple::new(stream, tree::SHAPE, shape.clone())),
        triple(Triple::new(shape.clone(), rdf::TYPE, sh::NODE_SHAPE)),
    ];
    let one = || Literal::new_typed_literal("1", xsd::INTEGER);
    for (n, path, constraint) in [
        (1, activity::OBJECT, (sh::NODE_KIND, sh::IRI)),
        (2, activity::PUBLISHED, (sh::DATATYPE, xsd::DATE_TIME)),
    ] {
        let property = NamedNode::new_unchecked(format!("{base}/feed#shape-{n}"));
        q.push(triple(Triple::new(
            shape.clone(),
            sh::PROPERTY,
            property.clone(),
        )));
        q.push(triple(Triple::new(property.clone(), sh::PATH, path)));
        q.push(triple(Triple::new(property.clone(), sh::MIN_COUNT, one())));
        q.push(triple(Triple::new(property.clone(), sh::MAX_COUNT, one())));
        q.push(triple(Triple::new(property, constraint.0, constraint.1)));
    }
    q
}

/// `GET /feed`: the stream, its view and the relations to every page.
async fn entry(
    state: web::Data<AppState>,
    req: HttpRequest,
    tail: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let (_, suffix) = split_suffix(&tail);
    let media = negotiate(&req, suffix)?;
    let log = &state.registry.log;
    let position = log.max_seq().await?;
    let etag = format!("W/\"feed-{position}-{}\"", media.len());
    if conditional(&req, &etag) {
        return Ok(HttpResponse::NotModified()
            .insert_header((ETAG, etag))
            .finish());
    }
    let base = &state.registry.base;
    let stream = NamedNode::new_unchecked(format!("{base}/feed#stream"));
    let view = NamedNode::new_unchecked(format!("{base}/feed"));
    let mut q = stream_description(base);
    q.extend([
        triple(Triple::new(stream.clone(), tree::VIEW, view.clone())),
        triple(Triple::new(view.clone(), rdf::TYPE, tree::NODE)),
        triple(Triple::new(view.clone(), dct::IS_PART_OF, stream.clone())),
    ]);
    for (w, first, last) in log.feed_windows(state.feed_page_size).await? {
        let page = NamedNode::new_unchecked(format!("{base}/feed/{w}"));
        for (class, value) in [
            (tree::GREATER_THAN_OR_EQUAL_TO_RELATION, time(first)),
            (tree::LESS_THAN_RELATION, time(last + 1)),
        ] {
            let rel = NamedNode::new_unchecked(format!(
                "{base}/feed#{}-{w}",
                if class == tree::LESS_THAN_RELATION {
                    "lt"
                } else {
                    "ge"
                }
            ));
            q.push(triple(Triple::new(
                view.clone(),
                tree::RELATION,
                rel.clone(),
            )));
            q.push(triple(Triple::new(rel.clone(), rdf::TYPE, class)));
            q.push(triple(Triple::new(
                rel.clone(),
                tree::NODE_PROP,
                page.clone(),
            )));
            q.push(triple(Triple::new(
                rel.clone(),
                tree::PATH,
                activity::PUBLISHED,
            )));
            q.push(triple(Triple::new(rel, tree::VALUE, value)));
        }
    }
    Ok(HttpResponse::Ok()
        .insert_header((ETAG, etag))
        .insert_header((CACHE_CONTROL, "public, max-age=30"))
        .insert_header(("Vary", "Accept"))
        .content_type(format!("{media}; charset=utf-8"))
        .body(serialize(&q, media)?))
}

/// `GET /feed/{n}`: one page of activities.
async fn page(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let (num, suffix) = split_suffix(&path);
    let media = negotiate(&req, suffix)?;
    let n: i64 = num
        .parse()
        .ok()
        .filter(|n| *n >= 0)
        .ok_or_else(|| ApiError::new(Code::NotFound, format!("no feed page '{num}'")))?;
    let size = state.feed_page_size;
    let log = &state.registry.log;
    let position = log.max_seq().await?;
    let (from, to) = (n * size, (n + 1) * size);
    if from >= position.max(0) && n > 0 {
        return Err(ApiError::new(
            Code::NotFound,
            format!("no feed page {n} yet"),
        ));
    }
    let frozen = position >= to;
    let etag = format!(
        "W/\"feed-{n}-{}-{}\"",
        if frozen { to } else { position },
        media.len()
    );
    if conditional(&req, &etag) {
        return Ok(HttpResponse::NotModified()
            .insert_header((ETAG, etag))
            .finish());
    }
    let base = &state.registry.base;
    let stream = NamedNode::new_unchecked(format!("{base}/feed#stream"));
    let node = NamedNode::new_unchecked(format!("{base}/feed/{n}"));
    let mut q = stream_description(base);
    q.extend([
        triple(Triple::new(node.clone(), rdf::TYPE, tree::NODE)),
        triple(Triple::new(node.clone(), dct::IS_PART_OF, stream.clone())),
    ]);
    let members = log.feed_members(from, to).await?;
    for m in &members {
        let act = NamedNode::new_unchecked(format!("{base}/feed/{n}#{}", m.seq));
        let class = match m.kind {
            "Create" => activity::CREATE,
            "Update" => activity::UPDATE,
            _ => activity::DELETE,
        };
        q.push(triple(Triple::new(
            stream.clone(),
            tree::MEMBER,
            act.clone(),
        )));
        q.push(triple(Triple::new(act.clone(), rdf::TYPE, class)));
        q.push(triple(Triple::new(
            act.clone(),
            activity::OBJECT,
            NamedNode::new_unchecked(&m.iri),
        )));
        q.push(triple(Triple::new(
            act.clone(),
            activity::PUBLISHED,
            time(m.at),
        )));
        if let Some(c) = &m.canonical {
            // The canonical form as the log holds it (kept enriched): a frozen page never
            // changes, and a harvester ends with the same canonical hash.
            for t in parse_canonical(c) {
                q.push(Quad::new(
                    t.subject,
                    t.predicate,
                    t.object,
                    GraphName::NamedNode(act.clone()),
                ));
            }
        }
    }
    let cache = if frozen {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=30"
    };
    Ok(HttpResponse::Ok()
        .insert_header((ETAG, etag))
        .insert_header((CACHE_CONTROL, cache))
        .insert_header(("Vary", "Accept"))
        .content_type(format!("{media}; charset=utf-8"))
        .body(serialize(&q, media)?))
}

/// Mounts `/feed`, `/feed.{ext}` and `/feed/{n}[.{ext}]`.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/feed{tail:(\\.[a-z]+)?}", web::get().to(entry))
        .route("/feed/{page}", web::get().to(page));
}
