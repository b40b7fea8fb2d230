//! Registering sources: one validation for REST and CLI alike.

use super::Schedule;
use store::harvest::SourceRow;
use store::log::now_micros;
use {crate::records::Registry, store::StoreError};

/// What a caller gives to create or replace a source.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceInput {
    /// Name shown to people.
    pub name: String,
    /// `dcat`, `ckan` or `sheet`.
    pub kind: String,
    /// Where to read: a DCAT document or paged endpoint or LDES feed, a CKAN portal or API
    /// URL, a CSV/XLSX file URL. May be empty for a sheet uploaded on each run.
    #[serde(default)]
    pub url: String,
    /// Owning agency code: its records belong to it.
    pub agency: String,
    /// `manual` (default), an interval (`6h`, `1d`, `PT6H`) or a cron expression.
    #[serde(default)]
    pub schedule: Option<String>,
    /// Kind-specific settings: `organizations` (CKAN), `page_size`, `fq`, `max_withdraw_share`,
    /// `timeout_seconds`, `max_bytes`.
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub config: Option<serde_json::Value>,
}

fn invalid(m: impl Into<String>) -> StoreError {
    StoreError::Invalid(m.into())
}

async fn validate(
    reg: &Registry,
    input: &SourceInput,
    allow_private: bool,
) -> Result<(String, serde_json::Value, Option<i64>), StoreError> {
    if input.name.trim().is_empty() {
        return Err(invalid("a source needs a name"));
    }
    if !harvest::KINDS.contains(&input.kind.as_str()) {
        return Err(invalid(format!(
            "unknown source kind '{}': use one of {}",
            input.kind,
            harvest::KINDS.join(", ")
        )));
    }
    let url = input.url.trim();
    if url.is_empty() {
        if input.kind != "sheet" {
            return Err(invalid(format!("a {} source needs a url", input.kind)));
        }
    } else {
        // The URL standard reads `http:///x` as `http://x/`; a source URL must name its host.
        let authority = url.split_once("://").map(|(_, rest)| rest);
        if authority.is_none_or(|a| a.is_empty() || a.starts_with(['/', '?', '#'])) {
            return Err(invalid(format!(
                "url '{url}' has no host: write it as scheme://host/path"
            )));
        }
        let u =
            url::Url::parse(url).map_err(|e| invalid(format!("url '{url}' is not a URL: {e}")))?;
        harvest::fetch::check_url(&u, allow_private).map_err(|e| invalid(e.to_string()))?;
    }
    if reg.log.agency(&input.agency).await?.is_none() {
        return Err(StoreError::UnknownAgency(input.agency.clone()));
    }
    let schedule = input.schedule.clone().unwrap_or_else(|| "manual".into());
    let parsed = Schedule::parse(&schedule).map_err(invalid)?;
    let config = input
        .config
        .clone()
        .unwrap_or_else(|| serde_json::json!({}));
    if !config.is_object() {
        return Err(invalid("config must be a JSON object"));
    }
    if let Some(share) = config.get("max_withdraw_share")
        && !share.as_f64().is_some_and(|s| (0.0..=1.0).contains(&s))
    {
        return Err(invalid(
            "config.max_withdraw_share must be a number between 0 and 1",
        ));
    }
    let next = parsed
        .next_after(chrono::Utc::now())
        .map(|t| t.timestamp_micros());
    Ok((schedule, config, next))
}

/// Registers a source.
pub async fn create(
    reg: &Registry,
    input: SourceInput,
    allow_private: bool,
) -> Result<SourceRow, StoreError> {
    let (schedule, config, next_run_at) = validate(reg, &input, allow_private).await?;
    let now = now_micros();
    let row = SourceRow {
        id: uuid::Uuid::now_v7().to_string(),
        name: input.name.trim().to_owned(),
        kind: input.kind,
        url: input.url.trim().to_owned(),
        agency: input.agency,
        schedule,
        config,
        state: None,
        next_run_at,
        created_at: now,
        updated_at: now,
    };
    reg.log.insert_source(&row).await?;
    Ok(row)
}

/// Replaces a source's settings. Changing its URL or kind forgets the incremental state.
pub async fn update(
    reg: &Registry,
    id: &str,
    input: SourceInput,
    allow_private: bool,
) -> Result<SourceRow, StoreError> {
    let cur = find(reg, id).await?;
    let (schedule, config, next_run_at) = validate(reg, &input, allow_private).await?;
    let moved = cur.url != input.url.trim() || cur.kind != input.kind;
    let row = SourceRow {
        name: input.name.trim().to_owned(),
        kind: input.kind,
        url: input.url.trim().to_owned(),
        agency: input.agency,
        schedule,
        config,
        state: if moved { None } else { cur.state.clone() },
        next_run_at,
        updated_at: now_micros(),
        ..cur
    };
    reg.log.update_source(&row).await?;
    if moved {
        reg.log
            .set_source_state(&row.id, &serde_json::Value::Null)
            .await?;
    }
    Ok(row)
}

/// A source by id, or by its exact name when no id matches.
pub async fn find(reg: &Registry, id_or_name: &str) -> Result<SourceRow, StoreError> {
    if let Some(s) = reg.log.source(id_or_name).await? {
        return Ok(s);
    }
    reg.log
        .sources(None)
        .await?
        .into_iter()
        .find(|s| s.name == id_or_name)
        .ok_or_else(|| StoreError::NotFound(format!("harvest source {id_or_name}")))
}
