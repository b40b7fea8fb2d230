//! A record's score after data.europa.eu's Metadata Quality Assessment (MQA): five
//! dimensions — Findability 100, Accessibility 100, Interoperability 110, Reusability 75,
//! Contextuality 20 (405 points). Checks on distributions earn their weight in proportion to
//! the distributions that pass, rounded to whole points, as the MQA does per catalogue.

use oxigraph::model::{NamedNodeRef, Term, Triple};
use std::collections::HashMap;
use vocab::ns::{dcat, dct};

/// One check and what it earned.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Check {
    /// Check name, e.g. `keyword`, `access_url_status`.
    pub check: String,
    /// Points earned.
    pub points: i64,
    /// Points possible.
    pub max_points: i64,
    /// Passed by the record (or by every distribution).
    pub passed: bool,
}

/// One MQA dimension.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Dimension {
    /// `findability`, `accessibility`, `interoperability`, `reusability`, `contextuality`.
    pub dimension: String,
    /// Points earned.
    pub points: i64,
    /// Points possible.
    pub max_points: i64,
    /// The checks.
    pub checks: Vec<Check>,
}

/// The highest possible score.
pub const MAX_SCORE: i64 = 405;

/// What the link checker last saw for a URL: `Some(true)` answered 2xx/3xx, `Some(false)`
/// failed, `None` not checked yet.
pub type LinkStatus<'a> = &'a dyn Fn(&str) -> Option<bool>;

/// Scores a record: `subject` is the record's IRI, `triples` its description; `dcat_ap_ok`
/// says whether DCAT-AP validation found no violation.
pub fn score(
    subject: &str,
    triples: &[Triple],
    dcat_ap_ok: bool,
    links: LinkStatus<'_>,
) -> (Vec<Dimension>, i64) {
    let by_subject = index(triples);
    let props = |s: &str, p: NamedNodeRef<'_>| -> Vec<&Term> {
        by_subject
            .get(s)
            .map(|v| {
                v.iter()
                    .filter(|(pp, _)| *pp == p.as_str())
                    .map(|(_, o)| *o)
                    .collect()
            })
            .unwrap_or_default()
    };
    let has = |p: NamedNodeRef<'_>| !props(subject, p).is_empty();
    let dists: Vec<String> = props(subject, dcat::DISTRIBUTION_PROP)
        .into_iter()
        .filter_map(node_key)
        .collect();
    // Share of distributions passing `f`, as points out of `w`.
    let share = |w: i64, f: &dyn Fn(&str) -> bool| -> (i64, bool) {
        if dists.is_empty() {
            return (0, false);
        }
        let n = dists.iter().filter(|d| f(d)).count() as i64;
        let total = dists.len() as i64;
        ((w * n + total / 2) / total, n == total)
    };
    let iri_values = |s: &str, p: NamedNodeRef<'_>| -> Vec<String> {
        props(s, p)
            .into_iter()
            .filter_map(|t| match t {
                Term::NamedNode(n) => Some(n.as_str().to_owned()),
                Term::Literal(l) => Some(l.value().to_owned()),
                _ => None,
            })
            .collect()
    };
    let url_ok =
        |d: &str, p: NamedNodeRef<'_>| iri_values(d, p).iter().any(|u| links(u) == Some(true));
    let formats = |d: &str| iri_values(d, dct::FORMAT);
    let check = |name: &str, w: i64, ok: bool| Check {
        check: name.into(),
        points: if ok { w } else { 0 },
        max_points: w,
        passed: ok,
    };
    let dist_check = |name: &str, w: i64, f: &dyn Fn(&str) -> bool| {
        let (points, passed) = share(w, f);
        Check {
            check: name.into(),
            points,
            max_points: w,
            passed,
        }
    };
    let dims = vec![
        dimension(
            "findability",
            vec![
                check("keyword", 30, has(dcat::KEYWORD)),
                check("theme", 30, has(dcat::THEME)),
                check("spatial", 20, has(dct::SPATIAL)),
                check("temporal", 20, has(dct::TEMPORAL)),
            ],
        ),
        dimension(
            "accessibility",
            vec![
                dist_check("access_url_status", 50, &|d| url_ok(d, dcat::ACCESS_URL)),
                dist_check("download_url", 20, &|d| {
                    !props(d, dcat::DOWNLOAD_URL).is_empty()
                }),
                dist_check("download_url_status", 30, &|d| {
                    url_ok(d, dcat::DOWNLOAD_URL)
                }),
            ],
        ),
        dimension(
            "interoperability",
            vec![
                dist_check("format", 20, &|d| !formats(d).is_empty()),
                dist_check("media_type", 10, &|d| {
                    !props(d, dcat::MEDIA_TYPE).is_empty()
                }),
                dist_check("format_media_type_vocabulary", 10, &|d| {
                    formats(d)
                        .iter()
                        .chain(iri_values(d, dcat::MEDIA_TYPE).iter())
                        .any(|f| f.starts_with(FILE_TYPE) || f.starts_with(IANA))
                }),
                dist_check("non_proprietary", 20, &|d| {
                    formats(d).iter().any(|f| in_table(f, NON_PROPRIETARY))
                }),
                dist_check("machine_readable", 20, &|d| {
                    formats(d).iter().any(|f| in_table(f, MACHINE_READABLE))
                }),
                check("dcat_ap_compliance", 30, dcat_ap_ok),
            ],
        ),
        dimension(
            "reusability",
            vec![
                dist_check("license", 20, &|d| !props(d, dct::LICENSE).is_empty()),
                dist_check("license_vocabulary", 10, &|d| {
                    iri_values(d, dct::LICENSE)
                        .iter()
                        .any(|l| LICENCE_VOCABULARIES.iter().any(|v| l.starts_with(v)))
                }),
                check("access_rights", 10, has(dct::ACCESS_RIGHTS)),
                check(
                    "access_rights_vocabulary",
                    5,
                    iri_values(subject, dct::ACCESS_RIGHTS)
                        .iter()
                        .any(|a| a.starts_with(ACCESS_RIGHT)),
                ),
                check("contact_point", 20, has(dcat::CONTACT_POINT)),
                check("publisher", 10, has(dct::PUBLISHER)),
            ],
        ),
        dimension(
            "contextuality",
            vec![
                dist_check("rights", 5, &|d| !props(d, dct::RIGHTS).is_empty()),
                dist_check("byte_size", 5, &|d| !props(d, dcat::BYTE_SIZE).is_empty()),
                check("issued", 5, has(dct::ISSUED)),
                check("modified", 5, has(dct::MODIFIED)),
            ],
        ),
    ];
    let total = dims.iter().map(|d| d.points).sum();
    (dims, total)
}

fn dimension(name: &str, checks: Vec<Check>) -> Dimension {
    Dimension {
        dimension: name.into(),
        points: checks.iter().map(|c| c.points).sum(),
        max_points: checks.iter().map(|c| c.max_points).sum(),
        checks,
    }
}

fn node_key(t: &Term) -> Option<String> {
    match t {
        Term::NamedNode(n) => Some(n.as_str().to_owned()),
        Term::BlankNode(b) => Some(format!("_:{}", b.as_str())),
        _ => None,
    }
}

fn index(triples: &[Triple]) -> HashMap<String, Vec<(&str, &Term)>> {
    let mut m: HashMap<String, Vec<(&str, &Term)>> = HashMap::new();
    for t in triples {
        let s = match &t.subject {
            oxigraph::model::NamedOrBlankNode::NamedNode(n) => n.as_str().to_owned(),
            oxigraph::model::NamedOrBlankNode::BlankNode(b) => format!("_:{}", b.as_str()),
        };
        m.entry(s)
            .or_default()
            .push((t.predicate.as_str(), &t.object));
    }
    m
}

/// The URLs a record's distributions point at (what the link checker checks).
pub fn urls(triples: &[Triple]) -> Vec<String> {
    let mut out: Vec<String> = triples
        .iter()
        .filter(|t| t.predicate == dcat::ACCESS_URL || t.predicate == dcat::DOWNLOAD_URL)
        .filter_map(|t| match &t.object {
            Term::NamedNode(n) => Some(n.as_str().to_owned()),
            _ => None,
        })
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
        .collect();
    out.sort();
    out.dedup();
    out
}

const FILE_TYPE: &str = "http://publications.europa.eu/resource/authority/file-type/";
const IANA: &str = "http://www.iana.org/assignments/media-types/";
const ACCESS_RIGHT: &str = "http://publications.europa.eu/resource/authority/access-right/";
const LICENCE_VOCABULARIES: &[&str] = &[
    "http://publications.europa.eu/resource/authority/licence/",
    "https://creativecommons.org/",
    "http://creativecommons.org/",
    "https://opendatacommons.org/",
    "http://opendatacommons.org/",
    "https://spdx.org/licenses/",
    "http://spdx.org/licenses/",
];
/// EU file types in data.europa.eu's non-proprietary list.
const NON_PROPRIETARY: &[&str] = &[
    "CSV",
    "TSV",
    "JSON",
    "JSON_LD",
    "GEOJSON",
    "XML",
    "RDF",
    "RDF_XML",
    "RDF_TURTLE",
    "RDF_N_TRIPLES",
    "RDF_N_QUADS",
    "RDF_TRIG",
    "N3",
    "ODS",
    "ODT",
    "ODF",
    "TXT",
    "HTML",
    "XHTML",
    "GML",
    "KML",
    "GPKG",
    "NETCDF",
    "PNG",
    "SVG",
    "ATOM",
    "RSS",
    "PARQUET",
    "ZIP",
    "GZIP",
    "TAR",
    "SPARQLQ",
    "WMS_SRVC",
    "WFS_SRVC",
];
/// EU file types in data.europa.eu's machine-readable list.
const MACHINE_READABLE: &[&str] = &[
    "CSV",
    "TSV",
    "JSON",
    "JSON_LD",
    "GEOJSON",
    "XML",
    "RDF",
    "RDF_XML",
    "RDF_TURTLE",
    "RDF_N_TRIPLES",
    "RDF_N_QUADS",
    "RDF_TRIG",
    "N3",
    "ODS",
    "XLS",
    "XLSX",
    "GML",
    "KML",
    "GPKG",
    "NETCDF",
    "SHP",
    "DBF",
    "PARQUET",
    "ATOM",
    "RSS",
    "SPARQLQ",
    "WMS_SRVC",
    "WFS_SRVC",
    "MDB",
    "XSLX",
];

fn in_table(format: &str, table: &[&str]) -> bool {
    let code = format
        .strip_prefix(FILE_TYPE)
        .map(str::to_owned)
        .unwrap_or_else(|| format.trim().to_ascii_uppercase());
    table.contains(&code.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(ttl: &str) -> Vec<Triple> {
        crate::shacl::turtle(ttl).unwrap()
    }

    const FULL: &str = r#"
        @prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
        @prefix ft: <http://publications.europa.eu/resource/authority/file-type/> .
        <http://x/d> a dcat:Dataset ; dcat:keyword "giáo dục"@vi ; dcat:theme <http://t/EDUC> ;
          dct:spatial <http://s/1> ; dct:temporal [ a dct:PeriodOfTime ] ;
          dct:accessRights <http://publications.europa.eu/resource/authority/access-right/PUBLIC> ;
          dcat:contactPoint [ a <http://www.w3.org/2006/vcard/ns#Kind> ] ; dct:publisher <http://x/a> ;
          dct:issued "2026-01-01" ; dct:modified "2026-02-01" ;
          dcat:distribution <http://x/d1>, <http://x/d2> .
        <http://x/d1> dcat:accessURL <http://ok/1> ; dcat:downloadURL <http://ok/1.csv> ; dct:format ft:CSV ;
          dcat:mediaType <http://www.iana.org/assignments/media-types/text/csv> ;
          dct:license <http://publications.europa.eu/resource/authority/licence/CC_BY_4_0> ;
          dct:rights [ a dct:RightsStatement ] ; dcat:byteSize 10 .
        <http://x/d2> dcat:accessURL <http://bad/2> ; dct:format ft:PDF .
    "#;

    #[test]
    fn every_dimension_adds_up_to_the_mqa_weights() {
        let (dims, total) = score("http://x/d", &[], false, &|_| None);
        let max: Vec<i64> = dims.iter().map(|d| d.max_points).collect();
        assert_eq!(max, vec![100, 100, 110, 75, 20]);
        assert_eq!(max.iter().sum::<i64>(), MAX_SCORE);
        assert_eq!(total, 0);
    }

    #[test]
    fn distribution_checks_earn_their_share_and_links_count_only_when_checked() {
        let t = parse(FULL);
        let unchecked = score("http://x/d", &t, true, &|_| None).1;
        let checked = score("http://x/d", &t, true, &|u| {
            Some(u.starts_with("http://ok/"))
        });
        let acc = &checked.0[1];
        // One of two distributions has a working access URL: 25 of 50.
        assert_eq!(acc.checks[0].points, 25);
        assert!(!acc.checks[0].passed);
        assert_eq!(checked.1 - unchecked, 25 + 15);
        let find = &checked.0[0];
        assert_eq!(find.points, 100);
        let interop = &checked.0[2];
        let by = |n: &str| interop.checks.iter().find(|c| c.check == n).unwrap().points;
        assert_eq!(by("format"), 20);
        assert_eq!(by("machine_readable"), 10, "PDF is not machine-readable");
        assert_eq!(by("dcat_ap_compliance"), 30);
    }
}
