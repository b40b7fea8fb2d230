//! Dereferencing: a record's IRI answers with its description, by content negotiation
//! (Turtle, N-Triples, RDF/XML, JSON-LD) or by suffix (`.ttl .nt .rdf .jsonld`); datasets also
//! as schema.org JSON-LD (`.schema.jsonld`, or `Accept: application/ld+json;
//! profile="https://schema.org"`).

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, Code};
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, web};
use record::Kind;

async fn dereference(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> ApiResult<HttpResponse> {
    let (collection, raw) = path.into_inner();
    let kind = Kind::from_collection(&collection)
        .ok_or_else(|| ApiError::new(Code::NotFound, format!("no resource at {}", req.path())))?;
    let wants_schema = raw.ends_with(".schema.jsonld")
        || super::header(&req, "accept").is_some_and(|a| {
            a.contains("application/ld+json") && a.contains(crate::feeds::schema_org::PROFILE)
        });
    if wants_schema && kind == Kind::Dataset {
        let id = raw.trim_end_matches(".schema.jsonld");
        let rec = super::records::readable(&state, &caller, kind, id).await?;
        if rec.visibility != "PUBLIC" {
            return Err(ApiError::new(
                Code::NotFound,
                format!("no public dataset with id '{id}'"),
            ));
        }
        let v = state.registry.log.current_version(&rec).await?;
        let mut triples = record::parse_canonical(&v.canonical);
        triples.extend(state.registry.enrichment(&triples).await?);
        let province = &state.profile.province;
        let doc = crate::feeds::schema_org::dataset(
            &rec.iri,
            &triples,
            (
                &format!("{}/catalog", state.registry.base),
                &format!("Danh mục dữ liệu mở tỉnh {province}"),
            ),
        );
        return Ok(HttpResponse::Ok()
            .insert_header(("Vary", "Accept"))
            .content_type("application/ld+json; charset=utf-8")
            .json(doc));
    }
    let (id, suffix) = match raw.rsplit_once('.') {
        Some((id, ext)) if record::rdf::SERVED.iter().any(|(_, _, s)| *s == ext) => {
            (id.to_owned(), Some(ext.to_owned()))
        }
        _ => (raw.clone(), None),
    };
    let rec = super::records::readable(&state, &caller, kind, &id).await?;
    let forced = suffix.and_then(|ext| {
        record::rdf::SERVED
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
