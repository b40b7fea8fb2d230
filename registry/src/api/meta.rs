//! Health, readiness and the published JSON-LD context.

use crate::error::{ApiError, ApiResult, Code};
use crate::state::AppState;
use actix_web::{HttpResponse, get, web};
use serde::Serialize;

/// Readiness detail.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Readiness {
    /// Whether every projection has applied the whole log.
    pub ready: bool,
    /// Last log position applied by the graph projections.
    pub projection_position: i64,
    /// Last log position.
    pub log_position: i64,
}

/// Liveness: the process answers.
#[utoipa::path(tag = "meta", responses((status = 200, description = "alive")))]
#[get("/healthz")]
pub async fn get_healthz() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({"status": "ok"}))
}

/// Readiness: the projections have caught up with the change log.
#[utoipa::path(tag = "meta", responses(
    (status = 200, description = "caught up", body = Readiness),
    (status = 503, description = "still catching up", body = crate::error::Problem)))]
#[get("/readyz")]
pub async fn get_readyz(state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let (ready, pos, log) = state.registry.ready().await?;
    if !ready {
        return Err(ApiError::new(
            Code::NotReady,
            format!("projections at log position {pos} of {log}"),
        ));
    }
    Ok(HttpResponse::Ok().json(Readiness {
        ready,
        projection_position: pos,
        log_position: log,
    }))
}

/// The JSON-LD context the REST JSON follows.
#[utoipa::path(tag = "meta", responses((status = 200, description = "JSON-LD context", content_type = "application/ld+json")))]
#[get("/context.jsonld")]
pub async fn get_context() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/ld+json")
        .body(vocab::CONTEXT_JSONLD)
}

/// The `dcatvn:` vocabulary in Turtle.
#[utoipa::path(tag = "meta", responses((status = 200, description = "the dcatvn vocabulary", content_type = "text/turtle")))]
#[get("/vocab/dcatvn.ttl")]
pub async fn get_dcatvn() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/turtle; charset=utf-8")
        .body(vocab::DCATVN_TTL)
}

/// Routes outside `/api/v1`.
pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_healthz).service(get_readyz);
}

/// Routes under `/api/v1`.
pub fn api_routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_context).service(get_dcatvn);
}
