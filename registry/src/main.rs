//! The `danhmuc` binary.

use anyhow::{Context as _, Result, anyhow};
use clap::Parser;
use danhmuc::cli::{
    AgencyAction, Cli, Command, ExportAudience, ExportFormat, StoreArgs, TokenAction,
};
use danhmuc::config::{
    Config, FileConfig, HttpConfig, RecordConfig, StorageConfig, normalise_base,
};
use danhmuc::i18n;
use danhmuc::records::{Provenance, Registry, WriteRecord};
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::Triple;
use record::{Status, Visibility};
use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use store::log::{Audience, ExportItem};

fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("DANHMUC_LOG")
                .unwrap_or_else(|_| "info,actix_server=warn,sqlx::postgres::notice=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("danhmuc: cannot start the runtime: {e}");
            std::process::exit(1);
        }
    };
    if let Err(e) = rt.block_on(run(cli)) {
        eprintln!("danhmuc: {e:#}");
        std::process::exit(1);
    }
}

/// The base IRI: the flag, else the one remembered in the data directory, else http://<bind>.
fn resolve_base(store: &StoreArgs, file: &FileConfig, bind: &str) -> Result<String> {
    let remembered = store.data.join("base-iri");
    let chosen = store
        .base_iri
        .clone()
        .or_else(|| file.base_iri.clone())
        .or_else(|| {
            std::fs::read_to_string(&remembered)
                .ok()
                .map(|s| s.trim().to_owned())
        })
        .unwrap_or_else(|| format!("http://{bind}"));
    let base = normalise_base(&chosen);
    oxigraph::model::NamedNode::new(format!("{base}/"))
        .map_err(|e| anyhow!("--base-iri '{chosen}' is not an absolute IRI: {e}"))?;
    std::fs::create_dir_all(&store.data)
        .with_context(|| format!("cannot create {}", store.data.display()))?;
    if !remembered.exists() {
        std::fs::write(&remembered, &base)
            .with_context(|| format!("cannot write {}", remembered.display()))?;
    }
    Ok(base)
}

async fn open(store: &StoreArgs, file: &FileConfig, with_graphs: bool) -> Result<Registry> {
    let base = resolve_base(store, file, "127.0.0.1:8080")?;
    let db = store
        .database_url
        .clone()
        .or_else(|| file.database_url.clone());
    Ok(Registry::open(
        &store.data,
        db.as_deref(),
        &base,
        Visibility::Public,
        with_graphs,
    )
    .await?)
}

async fn run(cli: Cli) -> Result<()> {
    harvest::guard::configure(harvest::guard::Limits {
        max_depth: cli.max_depth.max(1),
        max_entity_bytes: cli.max_entity_bytes,
        max_record_triples: cli.max_record_triples.max(1),
        max_literal_bytes: cli.max_literal_bytes.max(1),
        max_query_operators: cli.max_query_operators.max(1),
    });
    let file = match &cli.config {
        Some(p) => FileConfig::load(p)?,
        None => FileConfig::default(),
    };
    match cli.command {
        Command::Serve(args) => serve(args, file).await,
        Command::Token { action } => token(action, &file).await,
        Command::Agency { action } => agency(action, &file).await,
        Command::User { action } => user(action, &file).await,
        Command::Import(args) => import(args, &file).await,
        Command::Export(args) => export(args, &file).await,
        Command::Audit {
            action: danhmuc::cli::AuditAction::Verify { store },
        } => {
            let reg = open(&store, &file, false).await?;
            let v = reg.log.verify_chain().await?;
            match v.broken {
                None => {
                    println!(
                        "{}: {} {}",
                        i18n::both("cli_chain_intact"),
                        v.entries,
                        v.head.map(|h| format!("(head {h})")).unwrap_or_default()
                    );
                    Ok(())
                }
                Some(b) => Err(anyhow!(
                    "{}: entry {} (record {}): {}",
                    i18n::both("cli_chain_broken"),
                    b.seq,
                    b.record_id,
                    b.reason
                )),
            }
        }
        Command::Audit {
            action:
                danhmuc::cli::AuditAction::Export {
                    store,
                    agency,
                    from,
                    to,
                    output,
                },
        } => {
            use record::dates::parse_time;
            let from = from
                .as_deref()
                .map(|s| parse_time(s, false))
                .transpose()
                .map_err(|e| anyhow!("--from: {e}"))?;
            let to = to
                .as_deref()
                .map(|s| parse_time(s, true))
                .transpose()
                .map_err(|e| anyhow!("--to: {e}"))?;
            let reg = open(&store, &file, false).await?;
            let mut out: Box<dyn Write> = match &output {
                Some(p) => Box::new(std::io::BufWriter::new(
                    std::fs::File::create(p)
                        .with_context(|| format!("cannot write {}", p.display()))?,
                )),
                None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
            };
            let mut after = 0;
            loop {
                let page = reg
                    .log
                    .trail_page(after, agency.as_deref(), from, to, 5_000)
                    .await?;
                let Some(last) = page.last() else { break };
                after = last.seq;
                for e in &page {
                    serde_json::to_writer(&mut out, e)?;
                    out.write_all(b"\n")?;
                }
            }
            out.flush()?;
            Ok(())
        }
        Command::Report {
            action:
                danhmuc::cli::ReportAction::Quarterly {
                    store,
                    quarter,
                    agency,
                    format,
                    profile,
                    output,
                },
        } => {
            use danhmuc::audit::report;
            let quarter =
                report::Quarter::parse(&quarter).map_err(|e| anyhow!("--quarter: {e}"))?;
            let profile = danhmuc::audit::Profile::builtin(&profile).map_err(|e| anyhow!(e))?;
            let reg = open(&store, &file, false).await?;
            danhmuc::quality::assess_missing(&reg).await?;
            let r = report::quarterly(&reg.log, &profile, quarter, agency.as_deref()).await?;
            let bytes = match format {
                danhmuc::cli::ReportFormat::Json => serde_json::to_vec_pretty(&r)?,
                danhmuc::cli::ReportFormat::Csv => report::to_csv(&r),
                danhmuc::cli::ReportFormat::Html => report::to_html(&r).into_bytes(),
            };
            match output {
                Some(p) => std::fs::write(&p, bytes)
                    .with_context(|| format!("cannot write {}", p.display()))?,
                None => std::io::stdout().write_all(&bytes)?,
            }
            Ok(())
        }
        Command::Harvest { action } => {
            let reg = match action.store() {
                Some(store) => Some(Arc::new(open(store, &file, false).await?)),
                None => None,
            };
            danhmuc::cli_harvest::run(action, reg).await
        }
        Command::Rebuild(args) => {
            // Fails, touching nothing, while a server holds the stores.
            drop(store::graph::Projections::open(&args.store.data)?);
            store::graph::Projections::destroy(&args.store.data)?;
            let reg = open(&args.store, &file, true).await?;
            let (_, pos, _) = reg.ready().await?;
            if let Some(g) = &reg.graphs {
                g.flush()?;
            }
            println!("{} (log position {pos})", i18n::both("cli_rebuilt"));
            Ok(())
        }
    }
}

async fn serve(args: danhmuc::cli::ServeArgs, file: FileConfig) -> Result<()> {
    let mut store = args.store.clone();
    if let Some(d) = &file.data_dir
        && std::env::var_os("DANHMUC_DATA").is_none()
        && store.data == Path::new("./data")
    {
        store.data = d.clone();
    }
    let bind = if args.bind == "127.0.0.1:8080" {
        file.bind.clone().unwrap_or(args.bind.clone())
    } else {
        args.bind.clone()
    };
    let base = resolve_base(&store, &file, &bind)?;
    let database_url = store.database_url.clone().or(file.database_url.clone());
    let default_access = file
        .default_access
        .filter(|_| args.default_access == danhmuc::config::DefaultAccess::Public)
        .unwrap_or(args.default_access);
    let config = Config {
        storage: StorageConfig {
            data_dir: store.data.clone(),
            database_url: database_url.clone(),
        },
        http: HttpConfig {
            bind: bind.clone(),
            base_iri: base.clone(),
            body_limit: file
                .body_limit
                .filter(|_| args.body_limit == 10 * 1024 * 1024)
                .unwrap_or(args.body_limit),
            query_timeout: Duration::from_secs_f64(
                file.query_timeout_secs
                    .map(|s| s as f64)
                    .filter(|_| args.query_timeout == 30.0)
                    .unwrap_or(args.query_timeout)
                    .max(0.001),
            ),
            queries: args.queries.limits(),
        },
        records: RecordConfig { default_access },
    };
    let registry = Registry::open(
        &store.data,
        database_url.as_deref(),
        &base,
        default_access.visibility(),
        true,
    )
    .await?;
    let mut welcome = None;
    if args.demo
        && let Some(w) = danhmuc::demo::load_if_empty(&registry).await?
    {
        welcome = Some(w);
    }
    let profile = danhmuc::audit::Profile::builtin(&args.profile).map_err(|e| anyhow!(e))?;
    let registry = Arc::new(registry);
    let failed = registry
        .log
        .fail_interrupted_jobs(
            "interrupted: the server stopped during the run; nothing was withdrawn",
        )
        .await?;
    if failed > 0 {
        tracing::warn!(
            jobs = failed,
            "harvest jobs interrupted by a stop marked failed"
        );
    }
    let harvester = Arc::new(
        danhmuc::harvesting::Harvester::from_settings(registry.clone(), &args.harvest)
            .map_err(|e| anyhow!(e))?,
    );
    harvester
        .clone()
        .spawn_scheduler(Duration::from_secs_f64(args.harvest.harvest_tick.max(0.2)));
    let links = args.harvest.link_settings().map_err(|e| anyhow!(e))?;
    let link_fetcher = harvest::fetch::Fetcher::new(harvest::Policy {
        retries: 0,
        timeout: Duration::from_secs(15),
        // The only bodies it reads are endpoint descriptions.
        max_bytes: record::services::MAX_DESCRIPTION_BYTES as u64,
        ..harvester.policy.clone()
    })
    .map_err(|e| anyhow!(e.to_string()))?;
    danhmuc::quality::links::spawn(registry.clone(), link_fetcher.clone(), links.clone());
    // What data services offer: their endpoint descriptions, fetched at start and after writes.
    danhmuc::quality::services::spawn(
        registry.clone(),
        link_fetcher.clone(),
        links.max_age,
        links.every,
    );
    // Quality reports follow the log (they were validated in every write's path).
    danhmuc::quality::spawn_quality_follower(&registry);
    let queries = danhmuc::query_gate::QueryGate::new(config.http.queries.clone());
    let state = actix_web::web::Data::new(danhmuc::state::AppState {
        queries,
        registry,
        config,
        context: vocab::context::Context::builtin(),
        harvester,
        profile,
        feed_page_size: args.harvest.feed_page_size.clamp(1, 10_000),
        links,
        link_fetcher,
        // Feedback without an account: five at once, then one every six minutes per address.
        feedback_throttle: danhmuc::throttle::Throttle::new(5, std::time::Duration::from_secs(360)),
    });
    danhmuc::server::run(state, |addrs| {
        let shown = addrs.first().map(|a| a.to_string()).unwrap_or(bind.clone());
        println!("{}", i18n::both("cli_serving"));
        println!("  http://{shown}/               (portal: trang cổng dữ liệu / web pages)");
        println!("  http://{shown}/api/v1/docs/   (API)");
        println!("  http://{shown}/sparql         (SPARQL)");
        println!("  {base}/datasets/<id>     (IRIs)");
        if let Some(w) = &welcome {
            println!("{} {}", i18n::both("cli_token_created"), w.admin_token);
            println!("{}", i18n::both("cli_demo_accounts"));
            for (email, role, agency, password) in &w.accounts {
                println!("  {email}  {password}  ({role}, {agency})");
            }
        }
        let _ = std::io::stdout().flush();
    })
    .await
}

async fn user(action: danhmuc::cli::UserAction, file: &FileConfig) -> Result<()> {
    use danhmuc::cli::UserAction;
    match action {
        UserAction::Create {
            store,
            email,
            agency,
            role,
            password_stdin,
        } => {
            let password = if password_stdin {
                let mut line = String::new();
                std::io::stdin().read_line(&mut line)?;
                line.trim_end_matches(['\r', '\n']).to_owned()
            } else {
                danhmuc::accounts::new_password()
            };
            let reg = open(&store, file, false).await?;
            let row = danhmuc::accounts::create_user(
                &reg.log,
                &email,
                agency.as_deref(),
                role,
                &password,
            )
            .await?;
            eprintln!(
                "{} ({} {} {})",
                i18n::both("cli_user_created"),
                row.id,
                row.email,
                row.role
            );
            if !password_stdin {
                println!("{password}");
            }
            Ok(())
        }
        UserAction::List { store } => {
            let reg = open(&store, file, false).await?;
            for u in reg.log.users().await? {
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    u.id,
                    u.email,
                    u.role,
                    u.agency.unwrap_or_else(|| "-".into()),
                    u.last_login_at
                        .map(record::dates::rfc3339)
                        .unwrap_or_else(|| "-".into())
                );
            }
            Ok(())
        }
    }
}

async fn token(action: TokenAction, file: &FileConfig) -> Result<()> {
    match action {
        TokenAction::Create {
            store,
            role,
            agency,
            label,
        } => {
            let reg = open(&store, file, false).await?;
            let (row, secret) =
                danhmuc::auth::create_token(&reg.log, role, agency.as_deref(), label.as_deref())
                    .await?;
            eprintln!(
                "{} ({} {})",
                i18n::both("cli_token_created"),
                row.id,
                row.role
            );
            println!("{}", secret.0);
            Ok(())
        }
        TokenAction::List { store } => {
            let reg = open(&store, file, false).await?;
            for t in reg.log.tokens().await? {
                println!(
                    "{}\t{}…\t{}\t{}\t{}{}",
                    t.id,
                    t.prefix,
                    t.role,
                    t.agency.unwrap_or_else(|| "-".into()),
                    record::dates::rfc3339(t.created_at),
                    t.revoked_at
                        .map(|r| format!("\trevoked {}", record::dates::rfc3339(r)))
                        .unwrap_or_default()
                );
            }
            Ok(())
        }
        TokenAction::Revoke { store, id } => {
            let reg = open(&store, file, false).await?;
            reg.log.revoke_token(&id).await?;
            println!("{}: {id}", i18n::both("cli_revoked"));
            Ok(())
        }
    }
}

async fn agency(action: AgencyAction, file: &FileConfig) -> Result<()> {
    match action {
        AgencyAction::Create {
            store,
            code,
            name_vi,
            name_en,
            parent,
        } => {
            let reg = open(&store, file, false).await?;
            let prov = Provenance {
                author: "cli".into(),
                source: "cli".into(),
            };
            let r = reg
                .create_agency(
                    &code,
                    &name_vi,
                    name_en.as_deref(),
                    parent.as_deref(),
                    &prov,
                )
                .await?;
            println!("{}\t{}", code, r.iri);
            Ok(())
        }
        AgencyAction::List { store } => {
            let reg = open(&store, file, false).await?;
            for a in reg.log.agencies().await? {
                println!("{}\t{}\t{}", a.code, a.name_vi, a.iri);
            }
            Ok(())
        }
    }
}

fn read_rdf(path: &Path) -> Result<Vec<Triple>> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let format = match ext.as_str() {
        "xml" | "owl" => RdfFormat::RdfXml,
        "json" => RdfFormat::JsonLd {
            profile: Default::default(),
        },
        e => record::rdf::format_from_suffix(e).ok_or_else(|| {
            anyhow!(
                "{}: unknown RDF syntax '.{e}' (use .ttl .nt .rdf .jsonld .trig .nq)",
                path.display()
            )
        })?,
    };
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let base = format!(
        "file://{}",
        path.canonicalize().unwrap_or(path.to_owned()).display()
    );
    let quads = harvest::format::parse(&bytes, format, &base)
        .map_err(|e| anyhow!("{}: {e}", path.display()))?;
    Ok(quads
        .into_iter()
        .map(|q| Triple::new(q.subject, q.predicate, q.object))
        .collect())
}

async fn import(args: danhmuc::cli::ImportArgs, file: &FileConfig) -> Result<()> {
    // Open the projections when no server holds them; otherwise the server catches up.
    let reg = match open(&args.store, file, true).await {
        Ok(r) => r,
        Err(e) if e.to_string().contains("in use by another danhmuc process") => {
            open(&args.store, file, false).await?
        }
        Err(e) => return Err(e),
    };
    if reg.log.agency(&args.agency).await?.is_none() {
        return Err(anyhow!(
            "agency '{}' does not exist (create it with `danhmuc agency create`)",
            args.agency
        ));
    }
    for spec in &args.jsonld_context {
        harvest::jsonld::register_file(spec).map_err(|e| anyhow!(e))?;
    }
    // Every file must parse before anything is written: a broken file changes nothing.
    for f in &args.files {
        drop(read_rdf(f)?);
    }
    let bar = danhmuc::cli::progress_bar(args.quiet);
    let prov = Provenance {
        author: "cli".into(),
        source: "import".into(),
    };
    // The projections follow the import on another core, in runs of a few thousand versions,
    // instead of all after it.
    let reg = std::sync::Arc::new(reg);
    let importing = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let projector = reg.graphs.clone().map(|graphs| {
        let (reg, importing) = (reg.clone(), importing.clone());
        tokio::spawn(async move {
            while importing.load(std::sync::atomic::Ordering::Acquire) {
                if reg.log.max_seq().await? - graphs.position() >= PROJECT_EVERY {
                    reg.catch_up().await?;
                } else {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
            Ok::<_, store::StoreError>(())
        })
    });
    let mut counts = [0usize; 3];
    let mut failed = 0usize;
    let status = if args.draft {
        Some(Status::Draft)
    } else {
        None
    };
    // One file in memory at a time; one bad record fails alone with its reason.
    for f in &args.files {
        let fname = f.display().to_string();
        let records = danhmuc::import::split(read_rdf(f)?);
        bar.inc_length(records.len() as u64);
        let mut records = records.into_iter().peekable();
        while records.peek().is_some() {
            let batch: Vec<WriteRecord> = records
                .by_ref()
                .take(args.batch.max(1))
                .map(|r| WriteRecord {
                    kind: r.kind,
                    id: None,
                    triples: r.triples,
                    agency: args.agency.clone(),
                    status,
                    if_match: None,
                    source_id: Some(r.source_id),
                })
                .collect();
            let ids: Vec<String> = batch
                .iter()
                .map(|w| w.source_id.clone().unwrap_or_default())
                .collect();
            let n = batch.len() as u64;
            for (res, sid) in reg.write_log_each(batch, &prov).await?.into_iter().zip(ids) {
                match res {
                    Ok(r) => tally(std::slice::from_ref(&r), &mut counts),
                    Err(e) => {
                        failed += 1;
                        bar.println(format!("{fname}: {sid}: {e}"));
                    }
                }
            }
            bar.inc(n);
        }
    }
    bar.finish_and_clear();
    let [created, updated, unchanged] = counts;
    importing.store(false, std::sync::atomic::Ordering::Release);
    if let Some(p) = projector {
        p.await.map_err(|e| anyhow!(e))??;
    }
    // Project what the follower has not reached yet.
    reg.catch_up().await?;
    if let Some(g) = &reg.graphs {
        g.flush()?;
    }
    println!(
        "{}: created {created}, updated {updated}, unchanged {unchanged}, failed {failed}",
        i18n::both("cli_imported")
    );
    if failed > 0 && created + updated + unchanged == 0 {
        return Err(anyhow!("no record could be imported"));
    }
    Ok(())
}

/// Versions an import lets the projections fall behind before they catch up (each run is one
/// bulk load per store).
const PROJECT_EVERY: i64 = 2_000;

/// Counts outcomes as [created, updated, unchanged].
fn tally(
    outcomes: &[(danhmuc::records::Outcome, store::log::RecordRow, bool)],
    counts: &mut [usize; 3],
) {
    for (o, _, _) in outcomes {
        counts[match o {
            danhmuc::records::Outcome::Created => 0,
            danhmuc::records::Outcome::Updated => 1,
            danhmuc::records::Outcome::Unchanged => 2,
        }] += 1;
    }
}

/// JSON-LD exports copy each record's prepared fragment (made when its version was written)
/// into one `@graph`: embedded logs read straight from SQLite, PostgreSQL in chunks the
/// database concatenates; a record without one (written before fragments existed) is
/// serialised on the spot.
async fn export_jsonld(
    reg: &danhmuc::records::Registry,
    audience: &Audience,
    out: Box<dyn Write>,
) -> Result<()> {
    let mut w = std::io::BufWriter::with_capacity(1 << 20, out);
    write!(
        w,
        "{{\"@context\":{},\"@graph\":[",
        record::rdf::jsonld_context()
    )?;
    let mut first = true;
    let mut put = |w: &mut std::io::BufWriter<Box<dyn Write>>, f: &str| -> std::io::Result<()> {
        if !f.is_empty() {
            if !first {
                w.write_all(b",")?;
            }
            w.write_all(f.as_bytes())?;
            first = false;
        }
        Ok(())
    };
    // Embedded: stepped straight out of SQLite on this thread.
    if let Some(done) = reg.log.export_jsonld_sqlite(audience, |item| match item {
        ExportItem::Fragment(f) => put(&mut w, f),
        ExportItem::Canonical(c) => put(&mut w, &record::rdf::jsonld_fragment(c)?),
    }) {
        done?;
    } else {
        let mut after = String::new();
        // 200 records per chunk: fewer hand-offs from the database than one row per record,
        // and a chunk of about 0.8 MB keeps memory flat.
        while let Some((last, joined, lacking)) =
            reg.log.export_chunk_jsonld(audience, &after, 200).await?
        {
            let made = lacking
                .iter()
                .map(|c| record::rdf::jsonld_fragment(c))
                .collect::<std::io::Result<Vec<String>>>()?;
            for f in std::iter::once(&joined).chain(&made) {
                put(&mut w, f)?;
            }
            after = last;
        }
    }
    w.write_all(b"]}\n")?;
    w.flush()?;
    Ok(())
}

async fn export(args: danhmuc::cli::ExportArgs, file: &FileConfig) -> Result<()> {
    let reg = open(&args.store, file, false).await?;
    let format = match args.format {
        ExportFormat::Ttl => RdfFormat::Turtle,
        ExportFormat::Nt => RdfFormat::NTriples,
        ExportFormat::Rdf => RdfFormat::RdfXml,
        ExportFormat::Jsonld => RdfFormat::JsonLd {
            profile: Default::default(),
        },
    };
    let audience = match args.audience {
        ExportAudience::Public => Audience::Public,
        ExportAudience::Government => Audience::Agency(String::new()),
        ExportAudience::All => Audience::Admin,
    };
    let out: Box<dyn Write> = match &args.output {
        Some(p) => Box::new(
            std::fs::File::create(p).with_context(|| format!("cannot create {}", p.display()))?,
        ),
        None => Box::new(std::io::stdout().lock()),
    };
    if matches!(format, RdfFormat::JsonLd { .. }) {
        return export_jsonld(&reg, &audience, out).await;
    }
    let mut ser = RdfSerializer::from_format(format);
    if !matches!(format, RdfFormat::NTriples) {
        for (p, ns) in vocab::PREFIXES {
            ser = ser.with_prefix(*p, *ns)?;
        }
    }
    let mut w = ser.for_writer(std::io::BufWriter::new(out));
    let mut after = String::new();
    loop {
        let page = reg.log.export_page(&audience, &after, 500).await?;
        let Some(last) = page.last().map(|(id, _)| id.clone()) else {
            break;
        };
        for (_, canonical) in &page {
            for t in record::parse_canonical(canonical) {
                w.serialize_triple(&t)?;
            }
        }
        after = last;
    }
    w.finish()?.flush()?;
    Ok(())
}
