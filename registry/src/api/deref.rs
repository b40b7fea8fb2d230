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
    let forced = suffix.and_then(|ext| {
        crate::rdf::SERVED
            .iter()
            .find(|(_, _, s)| *s == ext)
            .map(|(_, m, _)| *m)
    });
    super::records::represent(&state, &req, &rec, false, forced).await
}

/// Mounts the dereferencing routes (not part of the OpenAPI document: they are IRIs).
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/{collection}/{id}", web::get().to(dereference));
}
