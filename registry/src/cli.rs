//! The `danhmuc` command line: serve, tokens, agencies, import, export, rebuild. Every flag's
//! doc comment is its `--help`; every flag has a `DANHMUC_*` environment variable.

use crate::config::DefaultAccess;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// danhmuc — sổ đăng ký siêu dữ liệu dữ liệu mở cấp tỉnh / a DCAT metadata registry for
/// Vietnam's provincial open data.
#[derive(Debug, Parser)]
#[command(name = "danhmuc", version, about, long_about = None)]
pub struct Cli {
    /// Optional TOML configuration file; flags and DANHMUC_* variables override it.
    #[arg(long, global = true, env = "DANHMUC_CONFIG")]
    pub config: Option<PathBuf>,
    /// Deepest nesting accepted in RDF bodies, harvested documents, imported files and SPARQL
    /// queries (brackets, collections, blank nodes, groups, XML elements).
    #[arg(long, global = true, env = "DANHMUC_MAX_DEPTH", default_value_t = harvest::guard::DEFAULT_MAX_DEPTH)]
    pub max_depth: usize,
    /// Bytes that RDF/XML internal entity references may expand to in one document.
    #[arg(long, global = true, env = "DANHMUC_MAX_ENTITY_BYTES", default_value_t = harvest::guard::DEFAULT_MAX_ENTITY_BYTES)]
    pub max_entity_bytes: usize,
    /// Most operators, groups and UNION/OPTIONAL/MINUS one SPARQL query may chain.
    #[arg(long, global = true, env = "DANHMUC_MAX_QUERY_OPERATORS", default_value_t = harvest::guard::DEFAULT_MAX_QUERY_OPERATORS)]
    pub max_query_operators: usize,
    /// Most triples one record's description may have.
    #[arg(long, global = true, env = "DANHMUC_MAX_RECORD_TRIPLES", default_value_t = harvest::guard::DEFAULT_MAX_RECORD_TRIPLES)]
    pub max_record_triples: usize,
    /// Largest literal (title, description, …) in a record, in bytes.
    #[arg(long, global = true, env = "DANHMUC_MAX_LITERAL_BYTES", default_value_t = harvest::guard::DEFAULT_MAX_LITERAL_BYTES)]
    pub max_literal_bytes: usize,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Where the registry keeps its data.
#[derive(Debug, Clone, Args)]
pub struct StoreArgs {
    /// Data directory: the SQLite change log (unless --database-url) and the Oxigraph stores.
    #[arg(long = "data", env = "DANHMUC_DATA", default_value = "./data")]
    pub data: PathBuf,
    /// Keep the change log in PostgreSQL instead of SQLite, e.g. postgres://user@127.0.0.1/danhmuc.
    #[arg(long, env = "DANHMUC_DATABASE_URL")]
    pub database_url: Option<String>,
    /// Public base IRI under which record IRIs are minted and served (default: remembered from
    /// the first run, else http://<bind>).
    #[arg(long, env = "DANHMUC_BASE_IRI")]
    pub base_iri: Option<String>,
}

/// Commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP server (REST API, SPARQL, dereferencing, API docs).
    Serve(ServeArgs),
    /// Create, list or revoke API tokens (works while the server runs).
    Token {
        /// What to do with tokens.
        #[command(subcommand)]
        action: TokenAction,
    },
    /// Create or list accounts for people, who sign in on the portal (works while the
    /// server runs).
    User {
        /// What to do with accounts.
        #[command(subcommand)]
        action: UserAction,
    },
    /// Create or list agencies.
    Agency {
        /// What to do with agencies.
        #[command(subcommand)]
        action: AgencyAction,
    },
    /// Import RDF files (Turtle, N-Triples, RDF/XML, JSON-LD, TriG): every dcat:Dataset,
    /// dcat:DataService and dcat:Catalog in them becomes a record of the agency.
    Import(ImportArgs),
    /// Write records as RDF to stdout (or --output), streamed.
    Export(ExportArgs),
    /// Recreate the graph projections from the change log (stop the server first).
    Rebuild(RebuildArgs),
    /// Audit tools: verify the tamper-evident change log.
    Audit {
        /// What to do.
        #[command(subcommand)]
        action: AuditAction,
    },
    /// Reports for the coordinating department.
    Report {
        /// What to do.
        #[command(subcommand)]
        action: ReportAction,
    },
    /// Harvest sources: templates, sources, runs.
    Harvest {
        /// What to do.
        #[command(subcommand)]
        action: HarvestAction,
    },
}

pub use crate::harvesting::settings::HarvestSettings;

/// The progress bar long commands (import, harvest runs) draw; hidden with `--quiet`.
pub fn progress_bar(quiet: bool) -> indicatif::ProgressBar {
    let bar = if quiet {
        indicatif::ProgressBar::hidden()
    } else {
        indicatif::ProgressBar::new(0)
    };
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {bar:40} {pos}/{len} ({per_sec}) {msg}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar
}

/// `danhmuc harvest …`
#[derive(Debug, Subcommand)]
pub enum HarvestAction {
    /// Write the empty spreadsheet template (CSV, UTF-8, Vietnamese headers).
    Template {
        /// File to write; standard output when absent.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Register, list or remove sources.
    Source {
        /// What to do.
        #[command(subcommand)]
        action: SourceAction,
    },
    /// Run a source now, with a progress bar; exits non-zero when the job fails.
    Run {
        /// Storage.
        #[command(flatten)]
        store: StoreArgs,
        /// Limits.
        #[command(flatten)]
        settings: HarvestSettings,
        /// Source id (or name).
        source: String,
        /// A spreadsheet to read instead of the source's URL (sheet sources).
        #[arg(long)]
        file: Option<PathBuf>,
        /// No progress bar.
        #[arg(long)]
        quiet: bool,
    },
    /// A source's job history.
    Jobs {
        /// Storage.
        #[command(flatten)]
        store: StoreArgs,
        /// Source id (or name).
        source: String,
    },
}

/// `danhmuc harvest source …`
#[derive(Debug, Subcommand)]
pub enum SourceAction {
    /// Register a source.
    Add {
        /// Storage.
        #[command(flatten)]
        store: StoreArgs,
        /// Name shown to people.
        #[arg(long)]
        name: String,
        /// dcat, ckan or sheet.
        #[arg(long)]
        kind: String,
        /// Where to read (empty for sheets uploaded on each run).
        #[arg(long, default_value = "")]
        url: String,
        /// Owning agency code.
        #[arg(long)]
        agency: String,
        /// manual, an interval (6h, 1d) or a cron expression.
        #[arg(long, default_value = "manual")]
        schedule: String,
        /// Kind-specific settings as JSON, e.g. '{"organizations": ["so-tnmt"]}'.
        #[arg(long = "options", default_value = "{}")]
        options: String,
    },
    /// List sources.
    List {
        /// Storage.
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Remove a source (its records stay).
    Remove {
        /// Storage.
        #[command(flatten)]
        store: StoreArgs,
        /// Source id (or name).
        source: String,
    },
}

/// `serve` flags.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Storage.
    #[command(flatten)]
    pub store: StoreArgs,
    /// Address and port to listen on.
    #[arg(long, env = "DANHMUC_BIND", default_value = "127.0.0.1:8080")]
    pub bind: String,
    /// On first start (empty registry), load the demo province: agencies, datasets, services,
    /// catalogue-of-databases entries, and print an admin token.
    #[arg(long, env = "DANHMUC_DEMO")]
    pub demo: bool,
    /// Largest accepted request body, in bytes.
    #[arg(long, env = "DANHMUC_BODY_LIMIT", default_value_t = 10 * 1024 * 1024)]
    pub body_limit: usize,
    /// SPARQL query timeout in seconds; longer queries are cancelled.
    #[arg(long, env = "DANHMUC_QUERY_TIMEOUT", default_value_t = 30.0)]
    pub query_timeout: f64,
    /// SPARQL limits: slots, queue, sizes.
    #[command(flatten)]
    pub queries: QueryArgs,
    /// Visibility of records without dct:accessRights.
    #[arg(
        long,
        env = "DANHMUC_DEFAULT_ACCESS",
        value_enum,
        default_value = "PUBLIC"
    )]
    pub default_access: DefaultAccess,
    /// Harvest limits.
    #[command(flatten)]
    pub harvest: HarvestSettings,
    /// The province rules in force: tay-ninh, bac-giang, ninh-thuan, hue or ha-nam
    /// (files under profiles/, each rule citing its legal basis).
    #[arg(long, env = "DANHMUC_PROFILE", default_value = "tay-ninh")]
    pub profile: String,
}

/// How much of the machine SPARQL may take (docs/LIMITS.md).
#[derive(Debug, Clone, Args)]
pub struct QueryArgs {
    /// SPARQL queries evaluated at once, all callers together (default: twice the cores).
    #[arg(long, env = "DANHMUC_QUERY_SLOTS")]
    pub query_slots: Option<usize>,
    /// Of those, how many anonymous callers may hold at once (default: half, at least one).
    #[arg(long, env = "DANHMUC_ANONYMOUS_QUERY_SLOTS")]
    pub anonymous_query_slots: Option<usize>,
    /// Queries waiting for a slot at most; past it a query is answered 503 with Retry-After.
    #[arg(long, env = "DANHMUC_QUERY_QUEUE", default_value_t = 32)]
    pub query_queue: usize,
    /// Seconds a query waits for a slot before it is answered 503 with Retry-After.
    #[arg(long, env = "DANHMUC_QUERY_QUEUE_WAIT", default_value_t = 10.0)]
    pub query_queue_wait: f64,
    /// Largest SPARQL query text, in bytes.
    #[arg(long, env = "DANHMUC_MAX_QUERY_BYTES", default_value_t = 64 * 1024)]
    pub max_query_bytes: usize,
    /// Largest SPARQL result, in bytes as serialised; larger results are refused (422) and
    /// the evaluation stopped.
    #[arg(long, env = "DANHMUC_MAX_RESULT_BYTES", default_value_t = 32 * 1024 * 1024)]
    pub max_result_bytes: usize,
}

impl QueryArgs {
    /// The limits these flags set, with defaults that follow the machine's cores.
    pub fn limits(&self) -> crate::config::QueryLimits {
        let a = self;
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let slots = a.query_slots.unwrap_or(2 * cores).max(1);
        crate::config::QueryLimits {
            slots,
            anonymous_slots: a.anonymous_query_slots.unwrap_or(slots / 2).clamp(1, slots),
            queue: a.query_queue,
            queue_wait: std::time::Duration::from_secs_f64(a.query_queue_wait.max(0.0)),
            max_query_bytes: a.max_query_bytes.max(1),
            max_result_bytes: a.max_result_bytes.max(1),
        }
    }
}

/// `token` subcommands.
#[derive(Debug, Subcommand)]
pub enum TokenAction {
    /// Create a token and print it once (only its hash is stored).
    Create {
        /// Storage.
        #[command(flatten)]
        store: StoreArgs,
        /// Role: admin (everything), editor (its agency's records), viewer (reads as a state agency).
        #[arg(long, value_enum)]
        role: crate::auth::Role,
        /// Agency code (required for editor and viewer).
        #[arg(long)]
        agency: Option<String>,
        /// A label to recognise the token by.
        #[arg(long)]
        label: Option<String>,
    },
    /// List tokens (never their secrets).
    List {
        /// Storage.
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Revoke a token by id.
    Revoke {
        /// Storage.
        #[command(flatten)]
        store: StoreArgs,
        /// Token id (tok_…).
        id: String,
    },
}

/// `user` subcommands.
#[derive(Debug, Subcommand)]
pub enum UserAction {
    /// Create an account. The password is read from standard input with --password-stdin;
    /// otherwise one is made and printed once. Only its Argon2id hash is stored.
    Create {
        /// Storage.
        #[command(flatten)]
        store: StoreArgs,
        /// E-mail address: how the person signs in.
        #[arg(long)]
        email: String,
        /// Agency code (required for editor and viewer).
        #[arg(long)]
        agency: Option<String>,
        /// Role: admin (the coordinating department), editor (their agency's records), viewer.
        #[arg(long, value_enum)]
        role: crate::auth::Role,
        /// Read the password from standard input (one line).
        #[arg(long)]
        password_stdin: bool,
    },
    /// List accounts (never their passwords).
    List {
        /// Storage.
        #[command(flatten)]
        store: StoreArgs,
    },
}

/// `agency` subcommands.
#[derive(Debug, Subcommand)]
pub enum AgencyAction {
    /// Create an agency.
    Create {
        /// Storage.
        #[command(flatten)]
        store: StoreArgs,
        /// Short code: ASCII letters, digits, '-' or '_'.
        code: String,
        /// Name in Vietnamese.
        #[arg(long)]
        name_vi: String,
        /// Name in English.
        #[arg(long)]
        name_en: Option<String>,
        /// Parent agency code.
        #[arg(long)]
        parent: Option<String>,
    },
    /// List agencies.
    List {
        /// Storage.
        #[command(flatten)]
        store: StoreArgs,
    },
}

/// `import` flags.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Storage.
    #[command(flatten)]
    pub store: StoreArgs,
    /// Owning agency code of the imported records.
    #[arg(long)]
    pub agency: String,
    /// Import as drafts instead of publishing.
    #[arg(long)]
    pub draft: bool,
    /// Records per log transaction.
    #[arg(long, default_value_t = 500)]
    pub batch: usize,
    /// Hide the progress bar.
    #[arg(long)]
    pub quiet: bool,
    /// A JSON-LD context the files name, known locally as IRI=FILE (repeatable; never fetched).
    #[arg(
        long = "jsonld-context",
        env = "DANHMUC_JSONLD_CONTEXTS",
        value_delimiter = ','
    )]
    pub jsonld_context: Vec<String>,
    /// RDF files; the syntax comes from the extension (.ttl .nt .rdf .xml .jsonld .trig .nq).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

/// Export syntaxes.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    /// Turtle.
    Ttl,
    /// N-Triples.
    Nt,
    /// RDF/XML.
    Rdf,
    /// JSON-LD.
    Jsonld,
}

/// Who an export is for.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportAudience {
    /// PUBLIC published records (what anyone may see).
    Public,
    /// PUBLIC and RESTRICTED published records (what state agencies may see).
    Government,
    /// All published records, NON_PUBLIC included (operators only).
    All,
}

/// `export` flags.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Storage.
    #[command(flatten)]
    pub store: StoreArgs,
    /// Output syntax.
    #[arg(long, value_enum, default_value = "ttl")]
    pub format: ExportFormat,
    /// Which records: public (default), government or all.
    #[arg(long, value_enum, default_value = "public")]
    pub audience: ExportAudience,
    /// Write to this file instead of stdout.
    #[arg(long)]
    pub output: Option<PathBuf>,
}

/// `rebuild` flags.
#[derive(Debug, Args)]
pub struct RebuildArgs {
    /// Storage.
    #[command(flatten)]
    pub store: StoreArgs,
}

impl HarvestAction {
    /// The storage the action works on (none for the template).
    pub fn store(&self) -> Option<&StoreArgs> {
        match self {
            HarvestAction::Template { .. } => None,
            HarvestAction::Run { store, .. } | HarvestAction::Jobs { store, .. } => Some(store),
            HarvestAction::Source { action } => match action {
                SourceAction::Add { store, .. }
                | SourceAction::List { store }
                | SourceAction::Remove { store, .. } => Some(store),
            },
        }
    }
}

/// `danhmuc audit …`
#[derive(Debug, Subcommand)]
pub enum AuditAction {
    /// Check the change log's hash chain; names the first broken entry and exits non-zero
    /// when the chain is broken. Read-only: works while a server runs.
    Verify {
        /// Storage.
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Export the audit trail as JSON lines (one change-log entry per line, with its chain
    /// hashes), optionally for one agency and a period.
    Export {
        /// Storage.
        #[command(flatten)]
        store: StoreArgs,
        /// Only this agency's records.
        #[arg(long)]
        agency: Option<String>,
        /// From this day (YYYY-MM-DD or dd/mm/yyyy, Vietnam time) or RFC 3339 time.
        #[arg(long)]
        from: Option<String>,
        /// Up to and including this day, or before this RFC 3339 time.
        #[arg(long)]
        to: Option<String>,
        /// File to write; standard output when absent.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
}

/// Report output formats.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ReportFormat {
    /// JSON.
    Json,
    /// CSV, UTF-8 with a byte-order mark.
    Csv,
    /// A printable HTML page in Vietnamese.
    Html,
}

/// `danhmuc report …`
#[derive(Debug, Subcommand)]
pub enum ReportAction {
    /// The quarterly report, computed from the change log as of the quarter's end.
    Quarterly {
        /// Storage.
        #[command(flatten)]
        store: StoreArgs,
        /// The quarter, e.g. 2026-Q3.
        #[arg(long)]
        quarter: String,
        /// Only this agency.
        #[arg(long)]
        agency: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value = "json")]
        format: ReportFormat,
        /// The province rules in force.
        #[arg(long, env = "DANHMUC_PROFILE", default_value = "tay-ninh")]
        profile: String,
        /// File to write; standard output when absent.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
}
