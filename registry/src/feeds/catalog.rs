//! `/catalog` and `/catalog/{agency}`: the PUBLIC published datasets and data services as one
//! DCAT-AP catalogue, paged with Hydra (`hydra:PartialCollectionView` with first, next,
//! previous, last; `hydra:totalItems` on the collection). Pages are cut by record id (a cursor,
//! not an offset), so records created or withdrawn meanwhile never shift a harvester's walk;
//! links are built from the configured base IRI. Turtle, N-Triples, RDF/XML and JSON-LD by
//! `Accept` or suffix; an ETag that changes with the log, and `If-None-Match`.

use crate::error::{ApiError, ApiResult, Code};
use crate::state::AppState;
use actix_web::http::header::ETAG;
use actix_web::{HttpRequest, HttpResponse, web};
use oxigraph::model::{Literal, NamedNode, Triple};
use record::parse_canonical;
use serde::Deserialize;
use sha2::Digest;
use store::feeds::{Cursor, FeedRow};
use vocab::ns::{dcat, dct, foaf, hydra, rdf, xsd};

/// Query parameters.
#[derive(Debug, Deserialize)]
pub struct CatalogQuery {
    /// Records per page, 1-1000 (default 100).
    pub limit: Option<i64>,
    /// Alias of `limit`.
    #[serde(rename = "pageSize")]
    pub page_size: Option<i64>,
    /// `a:ID` (after), `b:ID` (before) or `last`; absent: the first page.
    pub cursor: Option<String>,
    /// Only records changed at or after this time (RFC 3339 or a date).
    pub modified_since: Option<String>,
}

/// Serves `/catalog`, `/catalog.{ext}`, `/catalog/{agency}` and `/catalog/{agency}.{ext}`.
pub async fn catalog(
    state: web::Data<AppState>,
    req: HttpRequest,
    q: web::Query<CatalogQuery>,
) -> ApiResult<HttpResponse> {
    let tail = req.match_info().get("tail").unwrap_or("").to_owned();
    let (name, suffix) = match tail.rsplit_once('.') {
        Some((n, ext)) if record::rdf::SERVED.iter().any(|(_, _, s)| *s == ext) => {
            (n.to_owned(), Some(ext.to_owned()))
        }
        _ => (tail.clone(), None),
    };
    let agency = name.trim_start_matches('/').to_owned();
    if !agency.is_empty() && state.registry.log.agency(&agency).await?.is_none() {
        return Err(ApiError::new(
            Code::NotFound,
            format!("no agency with code '{agency}'"),
        ));
    }
    let limit = q.limit.or(q.page_size).unwrap_or(100);
    if !(1..=1000).contains(&limit) {
        return Err(ApiError::new(
            Code::BadRequest,
            "limit (page size) must be between 1 and 1000",
        ));
    }
    let cursor =
        Cursor::parse(q.cursor.as_deref()).map_err(|e| ApiError::new(Code::BadRequest, e))?;
    let since = match q.modified_since.as_deref() {
        Some(s) => record::dates::parse_time(s, false)
            .map_err(|e| ApiError::new(Code::BadRequest, format!("modified_since: {e}")))?,
        None => i64::MIN,
    };
    let offered: Vec<&str> = record::rdf::SERVED.iter().map(|(_, m, _)| *m).collect();
    let forced = suffix.as_deref().and_then(|ext| {
        record::rdf::SERVED
            .iter()
            .find(|(_, _, s)| *s == ext)
            .map(|(_, m, _)| *m)
    });
    let accept = forced.or_else(|| crate::http::header(&req, "accept"));
    let chosen = record::rdf::negotiate(accept, &offered).ok_or_else(|| {
        ApiError::new(
            Code::NotAcceptable,
            format!("available: {}", offered.join(", ")),
        )
    })?;
    // The ETag follows the log: any write may change what a page holds.
    let position = state.registry.log.max_seq().await?;
    let etag = format!(
        "W/\"{position}-{}\"",
        &hex::encode(sha2::Sha256::digest(
            format!("{}?{}|{chosen}", req.path(), req.query_string()).as_bytes()
        ))[..16]
    );
    if crate::http::header(&req, "if-none-match")
        .is_some_and(|h| h.split(',').any(|t| t.trim() == etag))
    {
        return Ok(HttpResponse::NotModified()
            .insert_header((ETAG, etag))
            .finish());
    }
    let log = &state.registry.log;
    let total = log.feed_count(&agency, since).await?;
    let (rows, has_prev, has_next) = log.feed_page(&agency, since, &cursor, limit).await?;

    let base = &state.registry.base;
    let collection = if agency.is_empty() {
        format!("{base}/catalog")
    } else {
        format!("{base}/catalog/{agency}")
    };
    let path = match &suffix {
        Some(ext) => format!("{collection}.{ext}"),
        None => collection.clone(),
    };
    let link = |c: Option<String>| -> String {
        let mut params = vec![format!("limit={limit}")];
        if let Some(s) = &q.modified_since {
            params.push(format!("modified_since={}", urlencoding::encode(s)));
        }
        if let Some(c) = c {
            params.push(format!("cursor={}", urlencoding::encode(&c)));
        }
        format!("{path}?{}", params.join("&"))
    };
    let this = link(match &cursor {
        Cursor::First => None,
        Cursor::After(id) => Some(format!("a:{id}")),
        Cursor::Before(id) => Some(format!("b:{id}")),
        Cursor::Last => Some("last".into()),
    });

    let cat = NamedNode::new_unchecked(&collection);
    let view = NamedNode::new_unchecked(&this);
    let mut t: Vec<Triple> = Vec::new();
    let province = &state.profile.province;
    let publisher = NamedNode::new_unchecked(format!("{base}/catalog#publisher"));
    t.push(Triple::new(cat.clone(), rdf::TYPE, dcat::CATALOG));
    t.push(Triple::new(cat.clone(), rdf::TYPE, hydra::COLLECTION));
    if agency.is_empty() {
        t.push(Triple::new(
            cat.clone(),
            dct::TITLE,
            Literal::new_language_tagged_literal_unchecked(
                format!("Danh mục dữ liệu mở tỉnh {province}"),
                "vi",
            ),
        ));
        t.push(Triple::new(
            cat.clone(),
            dct::TITLE,
            Literal::new_language_tagged_literal_unchecked(
                format!("Open data catalogue of {province} province"),
                "en",
            ),
        ));
        t.push(Triple::new(
            cat.clone(),
            dct::DESCRIPTION,
            Literal::new_language_tagged_literal_unchecked(
                format!("Bộ dữ liệu và dịch vụ dữ liệu công khai của các cơ quan tỉnh {province}"),
                "vi",
            ),
        ));
        t.push(Triple::new(cat.clone(), dct::PUBLISHER, publisher.clone()));
        t.push(Triple::new(publisher.clone(), rdf::TYPE, foaf::AGENT));
        t.push(Triple::new(
            publisher.clone(),
            foaf::NAME,
            Literal::new_language_tagged_literal_unchecked(
                format!("Ủy ban nhân dân tỉnh {province}"),
                "vi",
            ),
        ));
    } else {
        let a = log.agency(&agency).await?.ok_or_else(|| {
            ApiError::new(Code::NotFound, format!("no agency with code '{agency}'"))
        })?;
        let agent = NamedNode::new_unchecked(&a.iri);
        t.push(Triple::new(
            cat.clone(),
            dct::TITLE,
            Literal::new_language_tagged_literal_unchecked(
                format!("Danh mục dữ liệu mở — {}", a.name_vi),
                "vi",
            ),
        ));
        t.push(Triple::new(
            cat.clone(),
            dct::DESCRIPTION,
            Literal::new_language_tagged_literal_unchecked(
                format!("Bộ dữ liệu và dịch vụ dữ liệu công khai của {}", a.name_vi),
                "vi",
            ),
        ));
        t.push(Triple::new(cat.clone(), dct::PUBLISHER, agent));
    }
    t.push(Triple::new(
        cat.clone(),
        hydra::TOTAL_ITEMS,
        Literal::new_typed_literal(total.to_string(), xsd::NON_NEGATIVE_INTEGER),
    ));
    t.push(Triple::new(cat.clone(), hydra::VIEW, view.clone()));
    t.push(Triple::new(
        view.clone(),
        rdf::TYPE,
        hydra::PARTIAL_COLLECTION_VIEW,
    ));
    t.push(Triple::new(
        view.clone(),
        hydra::FIRST,
        NamedNode::new_unchecked(link(None)),
    ));
    t.push(Triple::new(
        view.clone(),
        hydra::LAST,
        NamedNode::new_unchecked(link(Some("last".into()))),
    ));
    if has_next && let Some(last) = rows.last() {
        t.push(Triple::new(
            view.clone(),
            hydra::NEXT,
            NamedNode::new_unchecked(link(Some(format!("a:{}", last.id)))),
        ));
    }
    if has_prev && let Some(first) = rows.first() {
        t.push(Triple::new(
            view.clone(),
            hydra::PREVIOUS,
            NamedNode::new_unchecked(link(Some(format!("b:{}", first.id)))),
        ));
    }
    for r in &rows {
        let member = NamedNode::new_unchecked(&r.iri);
        let p = if r.kind == "dataservice" {
            dcat::SERVICE
        } else {
            dcat::DATASET_PROP
        };
        t.push(Triple::new(cat.clone(), p, member));
    }
    let format = record::rdf::format_from_media_type(chosen)
        .ok_or_else(|| ApiError::internal("negotiated format unknown"))?;
    // Records are kept enriched (Registry::enrich): their canonical forms are published as
    // they are. JSON-LD pages copy each record's prepared fragment after the page's own nodes.
    let body = if matches!(format, oxigraph::io::RdfFormat::JsonLd { .. }) {
        jsonld_page(&t, &rows).map_err(ApiError::internal)?
    } else {
        for r in &rows {
            t.extend(parse_canonical(&r.canonical));
        }
        // What several records share (an agency's description) appears once.
        record::rdf::dedup_triples(&mut t);
        record::rdf::serialize_triples(t.iter().map(Into::into), format)
            .map_err(ApiError::internal)?
    };
    Ok(HttpResponse::Ok()
        .insert_header((ETAG, etag))
        .insert_header(("Vary", "Accept"))
        .insert_header(("Cache-Control", "public, max-age=60"))
        .content_type(format!("{chosen}; charset=utf-8"))
        .body(body))
}

/// A JSON-LD page: the page's own statements (catalogue, Hydra view) serialised, then every
/// record's prepared fragment (made on the spot for a record written before fragments).
fn jsonld_page(own: &[Triple], rows: &[FeedRow]) -> std::io::Result<Vec<u8>> {
    let mut nodes = record::rdf::jsonld_fragment(&record::rdf::ntriples(own))?;
    for r in rows {
        let made;
        let f = match &r.fragment {
            Some(f) => f.as_str(),
            None => {
                made = record::rdf::jsonld_fragment(&r.canonical)?;
                made.as_str()
            }
        };
        if !f.is_empty() {
            if !nodes.is_empty() {
                nodes.push(',');
            }
            nodes.push_str(f);
        }
    }
    Ok(format!(
        "{{\"@context\":{},\"@graph\":[{nodes}]}}",
        record::rdf::jsonld_context()
    )
    .into_bytes())
}

/// Mounts the catalogue routes (outside the OpenAPI document, like the record IRIs).
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/catalog{tail:(\\.[a-z]+)?}", web::get().to(catalog))
        .route(
            "/catalog{tail:/[A-Za-z0-9_-]+(\\.[a-z]+)?}",
            web::get().to(catalog),
        );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_parse_and_refuse_what_the_feed_never_gives_out() {
        assert_eq!(Cursor::parse(None), Ok(Cursor::First));
        assert_eq!(Cursor::parse(Some("last")), Ok(Cursor::Last));
        assert_eq!(
            Cursor::parse(Some("a:0190-ab")),
            Ok(Cursor::After("0190-ab".into()))
        );
        assert!(Cursor::parse(Some("a:x' OR 1=1")).is_err());
        assert!(Cursor::parse(Some("z:1")).is_err());
    }
}
