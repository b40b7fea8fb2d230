//! The link checker: checks the access and download URLs of published records with bounded
//! concurrency (HEAD, then GET when HEAD is refused), through the harvester's guarded HTTP
//! client (no private addresses unless allowed, timeouts, redirect limits), records what it
//! saw, and re-scores the records whose URLs changed verdict. Each run also refreshes the data
//! services' endpoint descriptions (crate::quality::services).

use futures_util::StreamExt;
use std::time::Duration;
use store::log::now_micros;
use {crate::records::Registry, store::StoreError};

/// Link checker settings.
#[derive(Debug, Clone)]
pub struct LinkSettings {
    /// Requests in flight at once.
    pub concurrency: usize,
    /// A URL is re-checked when its last check is older than this.
    pub max_age: Duration,
    /// How often the periodic checker wakes up (`None`: only on demand).
    pub every: Option<Duration>,
}

impl Default for LinkSettings {
    fn default() -> Self {
        LinkSettings {
            concurrency: 8,
            max_age: Duration::from_secs(24 * 3600),
            every: Some(Duration::from_secs(3600)),
        }
    }
}

/// What one run did.
#[derive(Debug, Clone, Default, serde::Serialize, utoipa::ToSchema)]
pub struct LinkRun {
    /// URLs checked.
    pub checked: usize,
    /// Of which answered 2xx/3xx.
    pub ok: usize,
    /// Of which failed.
    pub failed: usize,
    /// Records re-scored because a URL changed verdict.
    pub rescored: usize,
    /// The data services' endpoint descriptions refreshed in the same run
    /// (crate::quality::services).
    pub services: super::services::ServiceRun,
}

/// Checks every due URL (never checked, or older than `max_age`); `force` checks all.
pub async fn check(
    reg: &Registry,
    fetcher: &harvest::fetch::Fetcher,
    settings: &LinkSettings,
    force: bool,
) -> Result<LinkRun, StoreError> {
    let before = if force {
        i64::MAX
    } else {
        now_micros() - settings.max_age.as_micros() as i64
    };
    let mut run = LinkRun::default();
    let mut changed_records = std::collections::BTreeSet::new();
    let mut checked = std::collections::HashSet::new();
    loop {
        let due: Vec<String> = reg
            .log
            .links_due(before, 500)
            .await?
            .into_iter()
            .filter(|u| !checked.contains(u))
            .collect();
        if due.is_empty() {
            break;
        }
        let results: Vec<(String, Result<u16, String>)> =
            futures_util::stream::iter(due.into_iter().map(|u| async move {
                let r = match url::Url::parse(&u) {
                    Ok(parsed) => fetcher.probe(&parsed).await.map_err(|e| e.to_string()),
                    Err(e) => Err(format!("not a URL: {e}")),
                };
                (u, r)
            }))
            .buffer_unordered(settings.concurrency.max(1))
            .collect()
            .await;
        for (u, r) in results {
            let at = now_micros();
            let (ok, status, error) = match &r {
                Ok(s) => ((200..400).contains(s), Some(*s as i64), None),
                // Any HTTP answer is Ok (its status decides); errors are transport failures.
                Err(e) => (false, None, Some(e.as_str())),
            };
            run.checked += 1;
            if ok {
                run.ok += 1;
            } else {
                run.failed += 1;
            }
            if reg.log.put_link_check(&u, ok, status, error, at).await? {
                changed_records.extend(reg.log.records_linking(&u).await?);
            }
            checked.insert(u);
        }
    }
    let ids: Vec<String> = changed_records.into_iter().collect();
    run.rescored = ids.len();
    crate::quality::assess_all(reg, &ids).await;
    run.services = super::services::refresh(reg, fetcher, settings.max_age, force).await?;
    Ok(run)
}

/// Runs [`check`] periodically in the background.
pub fn spawn(
    reg: std::sync::Arc<Registry>,
    fetcher: harvest::fetch::Fetcher,
    settings: LinkSettings,
) {
    let Some(every) = settings.every else {
        return;
    };
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(every).await;
            match check(&reg, &fetcher, &settings, false).await {
                Ok(run) if run.checked > 0 => {
                    tracing::info!(checked = run.checked, failed = run.failed, "link check")
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "link check failed"),
            }
        }
    });
}
