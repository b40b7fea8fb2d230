//! Dereferencing: a record's IRI answers with its description, by content negotiation
//! (Turtle, N-Triples, RDF/XML, JSON-LD) or by suffix (`.ttl .nt .rdf .jsonld`).

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, Code};
use crate::record::Kind;
use crate::server::AppState;
use actix_web::{HttpRequest, HttpResponse, web};

async fn dereference(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> ApiResult<HttpResponse> {
    let (collection, raw) = path.into_inner();
    let kind = Kind::from_collection(&collection)
        .ok_or_else(|| ApiError::new(Code::NotFound, format!("no resource at {}", req.path())))?;
    let (id, suffix) = match raw.rsplit_once('.') {
        Some((id, ext)) if crate::rdf::SERVED.iter().any(|(_, _, s)| *s == ext) => {
            (id.to_owned(), Some(ext.to_owned()))
        }
        _ => (raw.clone(), None),
    };
    let rec = super::records::readable(&state, &caller, kind, &id).await?;
    match suffix {
        Some(ext) => {
            let media = crate::rdf::SERVED
                .iter()
                .find(|(_, _, s)| *s == ext)
                .map(|(_, m, _)| *m)
                .unwrap_or("text/turtle");
            represent_as(&state, &req, &rec, media).await
        }
        None => super::records::represent(&state, &req, &rec, false).await,
    }
}

async fn represent_as(
    state: &AppState,
    req: &HttpRequest,
    rec: &crate::store::log::RecordRow,
    media: &str,
) -> ApiResult<HttpResponse> {
    let v = state.registry.log.current_version(rec).await?;
    let triples = crate::record::parse_canonical(&v.canonical);
    let etag = rec.etag();
    if super::header(req, "if-none-match").is_some_and(|h| h.split(',').any(|t| t.trim() == etag)) {
        return Ok(HttpResponse::NotModified()
            .insert_header(("ETag", etag))
            .finish());
    }
    if media == "application/ld+json" {
        let json =
            crate::jsonview::to_json(&state.context, &triples, &rec.iri, &state.context_url());
        return Ok(HttpResponse::Ok()
            .insert_header(("ETag", etag))
            .content_type(media)
            .json(json));
    }
    let format = crate::rdf::format_from_media_type(media)
        .ok_or_else(|| ApiError::internal("suffix format unknown"))?;
    let bytes = crate::rdf::serialize_triples(triples.iter().map(Into::into), format)
        .map_err(ApiError::internal)?;
    Ok(HttpResponse::Ok()
        .insert_header(("ETag", etag))
        .content_type(format!("{media}; charset=utf-8"))
        .body(bytes))
}

/// Mounts the dereferencing routes (not part of the OpenAPI document: they are IRIs).
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/{collection}/{id}", web::get().to(dereference));
}
