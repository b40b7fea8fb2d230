//! What data services offer (F18): the endpoint description (OpenAPI, Swagger) each published
//! data service points at with `dcat:endpointDescription` is fetched through the harvester's
//! guarded client (private addresses refused unless allowed, size and time limits), kept in
//! the store with the text of its operations, refreshed when the link checker's age is
//! reached, and read by the search index with the service, so a service is found by what
//! its API does. A description that cannot be fetched or read keeps the last good one. The
//! demo's own descriptions, which the registry serves under its base, are read in-process.

use crate::records::Registry;
use oxigraph::model::Triple;
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;
use store::StoreError;
use store::log::{VersionRow, now_micros};

/// What one refresh did.
#[derive(Debug, Clone, Default, serde::Serialize, utoipa::ToSchema)]
pub struct ServiceRun {
    /// Descriptions fetched and read.
    pub described: usize,
    /// Descriptions that could not be fetched or read (the reason is kept per URL).
    pub failed: usize,
    /// Data services the search index re-read because what they offer changed.
    pub reindexed: usize,
}

/// A fetched description (media type, body), or why not (HTTP status, reason).
type Fetch = Result<(Option<String>, Vec<u8>), (Option<i64>, String)>;

const ACCEPT: &str = "application/vnd.oai.openapi+json, application/json;q=0.9, application/vnd.oai.openapi;q=0.8, application/yaml;q=0.8, text/yaml;q=0.7, */*;q=0.1";

/// Fetches every due description (never fetched, or fetched before `max_age`; `force`: all)
/// that a published data service names, keeps what it offers, and re-indexes the services
/// whose offer changed.
pub async fn refresh(
    reg: &Registry,
    fetcher: &harvest::fetch::Fetcher,
    max_age: Duration,
    force: bool,
) -> Result<ServiceRun, StoreError> {
    let mut by_url: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for v in reg.log.published_versions("dataservice").await? {
        for u in record::services::endpoint_descriptions(&record::parse_canonical(&v.canonical)) {
            by_url.entry(u).or_default().push(v.record_id.clone());
        }
    }
    let urls: Vec<String> = by_url.keys().cloned().collect();
    let fetched = reg.log.service_fetch_times(&urls).await?;
    let before = now_micros() - max_age.as_micros() as i64;
    let due: Vec<String> = urls
        .into_iter()
        .filter(|u| force || fetched.get(u).is_none_or(|at| *at < before))
        .collect();
    let mut run = ServiceRun::default();
    let mut changed = BTreeSet::new();
    use futures_util::StreamExt;
    let results: Vec<(String, Fetch)> =
        futures_util::stream::iter(due.into_iter().map(|u| async move {
            if let Some((media, body)) = crate::demo_openapi::endpoint_description(&reg.base, &u) {
                return (u, Ok((Some(media.to_owned()), body.as_bytes().to_vec())));
            }
            let r = match url::Url::parse(&u) {
                Err(e) => Err((None, format!("not a URL: {e}"))),
                Ok(parsed) => match fetcher.get(&parsed, ACCEPT).await {
                    Ok(f) => Ok((f.content_type, f.body.to_vec())),
                    Err(harvest::fetch::FetchError::Status { status, .. }) => Err((
                        Some(status as i64),
                        format!("the server answered HTTP {status}"),
                    )),
                    Err(e) => Err((None, e.to_string())),
                },
            };
            (u, r)
        }))
        .buffer_unordered(4)
        .collect()
        .await;
    for (u, r) in results {
        let at = now_micros();
        let read = r.and_then(|(media, body)| {
            let ops =
                record::services::operations(&body).map_err(|e| (Some(200), e.to_string()))?;
            Ok((media, String::from_utf8_lossy(&body).into_owned(), ops))
        });
        match read {
            Ok((media, body, ops)) => {
                run.described += 1;
                if reg
                    .log
                    .put_service_description(&u, at, 200, media.as_deref(), &body, &ops)
                    .await?
                {
                    changed.extend(by_url[&u].iter().cloned());
                }
            }
            Err((status, why)) => {
                run.failed += 1;
                tracing::info!(url = %u, error = %why, "endpoint description not read");
                reg.log.put_service_failure(&u, at, status, &why).await?;
            }
        }
    }
    run.reindexed = reindex(reg, &changed.into_iter().collect::<Vec<_>>()).await?;
    Ok(run)
}

/// Has the search index re-read these records (their offer changed). Returns how many.
async fn reindex(reg: &Registry, ids: &[String]) -> Result<usize, StoreError> {
    let Some(graphs) = reg.graphs.clone() else {
        // Another process holds the index; it re-reads them when it next rebuilds or
        // refreshes. Nothing is lost: the offer is in the store.
        return Ok(0);
    };
    let mut items: Vec<(VersionRow, Vec<Triple>)> = Vec::new();
    for id in ids {
        if let Some(row) = reg.log.record(id).await? {
            let v = reg.log.current_version(&row).await?;
            let t = record::parse_canonical(&v.canonical);
            items.push((v, t));
        }
    }
    let offers = reg.offers(&items).await?;
    let n = items.len();
    tokio::task::spawn_blocking(move || graphs.search.reindex(&items, &offers))
        .await
        .map_err(|e| StoreError::Search(e.to_string()))??;
    Ok(n)
}

/// Runs [`refresh`] in the background: once at start, whenever a data service is written
/// (crate::records::Registry::commit wakes it), and every `every` for descriptions past
/// `max_age`.
pub fn spawn(
    reg: std::sync::Arc<Registry>,
    fetcher: harvest::fetch::Fetcher,
    max_age: Duration,
    every: Option<Duration>,
) {
    tokio::spawn(async move {
        loop {
            match refresh(&reg, &fetcher, max_age, false).await {
                Ok(run) if run.described + run.failed > 0 => tracing::info!(
                    described = run.described,
                    failed = run.failed,
                    reindexed = run.reindexed,
                    "endpoint descriptions"
                ),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "endpoint descriptions"),
            }
            let wait = every.unwrap_or(Duration::from_secs(3600));
            tokio::select! {
                _ = reg.quality.offers_wake.notified() => {}
                _ = tokio::time::sleep(wait) => {}
            }
        }
    });
}
