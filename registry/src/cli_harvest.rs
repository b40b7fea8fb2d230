//! `danhmuc harvest …`: the template, sources, and runs with a progress bar.

use crate::cli::{HarvestAction, SourceAction};
use crate::harvesting::{Harvester, sources};
use crate::i18n;
use crate::records::Registry;
use anyhow::{Context as _, Result, anyhow};
use std::io::Write;
use std::sync::Arc;
use store::harvest::JobRow;

/// Runs a harvest subcommand; `reg` is open when the action needs storage.
pub async fn run(action: HarvestAction, reg: Option<Arc<Registry>>) -> Result<()> {
    let need = || reg.clone().ok_or_else(|| anyhow!("no storage"));
    match action {
        HarvestAction::Template { output } => {
            let csv = harvest::sheet::template_csv();
            match output {
                Some(p) => {
                    std::fs::write(&p, &csv)
                        .with_context(|| format!("cannot write {}", p.display()))?;
                    eprintln!("{} {}", i18n::both("cli_template_written"), p.display());
                }
                None => std::io::stdout().write_all(&csv)?,
            }
            Ok(())
        }
        HarvestAction::Source { action } => {
            let reg = need()?;
            match action {
                SourceAction::Add {
                    name,
                    kind,
                    url,
                    agency,
                    schedule,
                    options,
                    ..
                } => {
                    let config: serde_json::Value = serde_json::from_str(&options)
                        .map_err(|e| anyhow!("--options is not JSON: {e}"))?;
                    let row = sources::create(
                        &reg,
                        sources::SourceInput {
                            name,
                            kind,
                            url,
                            agency,
                            schedule: Some(schedule),
                            config: Some(config),
                        },
                        true,
                    )
                    .await?;
                    println!("{}", row.id);
                    Ok(())
                }
                SourceAction::List { .. } => {
                    for s in reg.log.sources(None).await? {
                        println!(
                            "{}\t{}\t{}\t{}\t{}\t{}",
                            s.id, s.kind, s.agency, s.schedule, s.name, s.url
                        );
                    }
                    Ok(())
                }
                SourceAction::Remove { source, .. } => {
                    let s = sources::find(&reg, &source).await?;
                    reg.log.delete_source(&s.id).await?;
                    println!("{} {}", i18n::both("cli_source_removed"), s.id);
                    Ok(())
                }
            }
        }
        HarvestAction::Jobs { source, .. } => {
            let reg = need()?;
            let s = sources::find(&reg, &source).await?;
            for j in reg.log.jobs(&s.id, 100).await? {
                println!("{}", summary_line(&j));
            }
            Ok(())
        }
        HarvestAction::Run {
            settings,
            source,
            file,
            quiet,
            ..
        } => {
            let reg = need()?;
            let s = sources::find(&reg, &source).await?;
            if file.is_some() && s.kind != "sheet" {
                return Err(anyhow!(
                    "--file is for sheet sources; {} is a {} source",
                    s.id,
                    s.kind
                ));
            }
            if file.is_none() && s.kind == "sheet" && s.url.is_empty() {
                return Err(anyhow!(
                    "{} has no URL: give the spreadsheet with --file",
                    s.id
                ));
            }
            let upload = match file {
                Some(p) => Some(harvest::Payload {
                    media_type: if p
                        .extension()
                        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
                    {
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".into()
                    } else {
                        "text/csv".into()
                    },
                    body: std::fs::read(&p)
                        .with_context(|| format!("cannot read {}", p.display()))?,
                }),
                None => None,
            };
            let h = Harvester::from_settings(reg.clone(), &settings).map_err(|e| anyhow!(e))?;
            let job = h.create_job(&s, "cli", "cli").await?;
            let bar = crate::cli::progress_bar(quiet);
            let b = bar.clone();
            let progress = move |j: &JobRow| {
                if let Some(t) = j.total {
                    b.set_length(t.max(j.processed) as u64);
                }
                b.set_position(j.processed as u64);
                b.set_message(format!("{} pages", j.pages));
            };
            let job = h.run(job, s, upload, Some(&progress)).await?;
            bar.finish_and_clear();
            println!("{}", summary_line(&job));
            for f in job.failures.iter().take(20) {
                eprintln!("  {}: {}", f.identifier, f.reason);
            }
            for w in &job.warnings {
                eprintln!("  ! {w}");
            }
            if let Some(m) = &job.message {
                eprintln!("  {m}");
            }
            if job.status == "failed" {
                return Err(anyhow!(
                    "{}: {}",
                    i18n::both("cli_harvest_failed"),
                    job.message.unwrap_or_default()
                ));
            }
            Ok(())
        }
    }
}

fn summary_line(j: &JobRow) -> String {
    format!(
        "{}\t{}\tcreated {}, updated {}, unchanged {}, withdrawn {}, failed {}{}",
        j.id,
        j.status,
        j.created,
        j.updated,
        j.unchanged,
        j.withdrawn,
        j.failed,
        if j.review {
            " (withdrawals held for review)"
        } else {
            ""
        }
    )
}
