//! `/`: what the registry holds (counts anonymous visitors may see), the newest public
//! datasets, and the door to every channel (API, SPARQL, feeds, CKAN API).

use super::Localised;
use crate::error::ApiResult;
use crate::i18n::Lang;
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
use store::graph::Tier;

/// A dataset in the "newest" list.
pub struct Newest {
    /// Its IRI (dereferenceable).
    pub iri: String,
    /// Its title in the page's language, else any.
    pub title: String,
    /// dd/mm/yyyy of `dct:modified` or `dct:issued`, when given.
    pub date: String,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    lang: Lang,
    province: String,
    datasets: u64,
    services: u64,
    agencies: u64,
    newest: Vec<Newest>,
}

impl Localised for HomePage {
    fn lang(&self) -> Lang {
        self.lang
    }
}

const COUNTS: &str =
    "PREFIX dcat: <http://www.w3.org/ns/dcat#> PREFIX foaf: <http://xmlns.com/foaf/0.1/>
SELECT (COUNT(DISTINCT ?d) AS ?n) ?k WHERE {
  VALUES ?k { dcat:Dataset dcat:DataService foaf:Organization }
  ?d a ?k } GROUP BY ?k";

const NEWEST: &str =
    "PREFIX dcat: <http://www.w3.org/ns/dcat#> PREFIX dct: <http://purl.org/dc/terms/>
SELECT ?d (SAMPLE(?t) AS ?title) (SAMPLE(?tl) AS ?local) (MAX(?m) AS ?when) WHERE {
  ?d a dcat:Dataset ; dct:title ?t .
  OPTIONAL { ?d dct:title ?tl FILTER(LANGMATCHES(LANG(?tl), ?lang)) }
  OPTIONAL { { ?d dct:modified ?m } UNION { ?d dct:issued ?m } }
} GROUP BY ?d ORDER BY DESC(?when) ?d LIMIT 8";

/// What anonymous visitors may see, read from the public projection only.
fn read(state: &AppState, lang: Lang) -> Result<(u64, u64, u64, Vec<Newest>), String> {
    let Some(graphs) = state.registry.graphs.clone() else {
        return Ok((0, 0, 0, Vec::new()));
    };
    let store = graphs.store(Tier::Public);
    let run = |q: &str| -> Result<Vec<oxigraph::sparql::QuerySolution>, String> {
        let mut prepared = SparqlEvaluator::new()
            .parse_query(q)
            .map_err(|e| e.to_string())?;
        prepared.dataset_mut().set_default_graph_as_union();
        match prepared
            .on_store(store)
            .execute()
            .map_err(|e| e.to_string())?
        {
            QueryResults::Solutions(s) => s.collect::<Result<_, _>>().map_err(|e| e.to_string()),
            _ => Ok(Vec::new()),
        }
    };
    let (mut datasets, mut services, mut agencies) = (0, 0, 0);
    for s in run(COUNTS)? {
        let n = match s.get("n") {
            Some(oxigraph::model::Term::Literal(l)) => l.value().parse().unwrap_or(0),
            _ => 0,
        };
        match s.get("k").map(|k| k.to_string()).as_deref() {
            Some("<http://www.w3.org/ns/dcat#Dataset>") => datasets = n,
            Some("<http://www.w3.org/ns/dcat#DataService>") => services = n,
            _ => agencies = n,
        }
    }
    let tag = super::lang_tag(lang);
    let newest = run(&NEWEST.replace("?lang", &format!("\"{tag}\"")))?
        .iter()
        .filter_map(|s| {
            let iri = match s.get("d")? {
                oxigraph::model::Term::NamedNode(n) => n.as_str().to_owned(),
                _ => return None,
            };
            let lit = |v: &str| match s.get(v) {
                Some(oxigraph::model::Term::Literal(l)) => Some(l.value().to_owned()),
                _ => None,
            };
            let title = lit("local").or_else(|| lit("title"))?;
            let date = lit("when")
                .and_then(|w| {
                    let day = w.get(..10)?;
                    let (y, rest) = day.split_once('-')?;
                    let (m, d) = rest.split_once('-')?;
                    Some(format!("{d}/{m}/{y}"))
                })
                .unwrap_or_default();
            Some(Newest { iri, title, date })
        })
        .collect();
    Ok((datasets, services, agencies, newest))
}

/// The home page.
pub async fn home(state: web::Data<AppState>, req: HttpRequest) -> ApiResult<HttpResponse> {
    let (lang, remember) = super::page_lang(&req);
    let st = state.clone();
    let (datasets, services, agencies, newest) =
        tokio::task::spawn_blocking(move || read(&st, lang))
            .await
            .map_err(crate::error::ApiError::internal)?
            .map_err(crate::error::ApiError::internal)?;
    let page = HomePage {
        lang,
        province: state.profile.province.clone(),
        datasets,
        services,
        agencies,
        newest,
    };
    let body = page.render().map_err(crate::error::ApiError::internal)?;
    Ok(super::html(body, lang, remember))
}
