//! SHACL validation of one record against DCAT-AP 3.0.1 and DCAT-AP-VN, with rudof's SHACL
//! engine. The shapes are compiled once per process; each record is validated with the
//! description of its publishing agency and the classes the registry knows for EU authority
//! table terms (a record says `dct:accrualPeriodicity freq:MONTHLY`; the table says that term
//! is a `dct:Frequency`), because DCAT-AP's range constraints look for those types in the data.

use oxigraph::model::{NamedNodeRef, Term, Triple, TripleRef};
use rudof_rdf::rdf_core::term::Object;
use rudof_rdf::rdf_impl::OxigraphInMemory;
use shacl::ir::IRSchema;
use shacl::rdf::ShaclParser;
use shacl::types::Severity;
use shacl::validator::processor::{GraphValidation, ShaclProcessor};
use shacl::validator::store::Graph;
use shacl::validator::{ShaclConfig, ShaclValidationMode};
use std::collections::HashMap;
use std::sync::OnceLock;
use vocab::ns::{dcat, dct, foaf, rdf, rdfs, skos};

/// SEMIC's DCAT-AP 3.0.1 shapes (vendored unchanged, see `vocab/shapes/README.md`).
pub const DCAT_AP_SHAPES: &str = include_str!("../../vocab/shapes/dcat-ap-3.0.1/dcat-ap-SHACL.ttl");
/// SEMIC's DCAT-AP 3.0.1 range shapes.
pub const DCAT_AP_RANGES: &str = include_str!("../../vocab/shapes/dcat-ap-3.0.1/ranges.ttl");
/// danhmuc's DCAT-AP-VN shapes.
pub const DCAT_AP_VN_SHAPES: &str = include_str!("../../vocab/shapes/dcat-ap-vn.ttl");

/// Which rule set a finding comes from.
pub const PROFILE_DCAT_AP: &str = "dcat-ap-3.0.1";
/// The project's own rule set.
pub const PROFILE_DCAT_AP_VN: &str = "dcat-ap-vn";

/// One SHACL validation result, flattened for JSON and for people.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Finding {
    /// `violation`, `warning` or `info`.
    pub severity: String,
    /// `dcat-ap-3.0.1` or `dcat-ap-vn`.
    pub profile: String,
    /// The node the result is about.
    pub focus: String,
    /// The property path, when the constraint is on a property.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The offending value, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The SHACL constraint component, e.g. `sh:MinCountConstraintComponent`.
    pub constraint: String,
    /// The shape that produced the result.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shape: Option<String>,
    /// Message in Vietnamese.
    pub message_vi: String,
    /// Message in English.
    pub message_en: String,
}

/// Validation failures (the shapes themselves; data problems are findings).
#[derive(Debug, thiserror::Error)]
pub enum ShaclError {
    /// The shapes could not be read or compiled.
    #[error("SHACL shapes: {0}")]
    Shapes(String),
    /// The engine failed.
    #[error("SHACL validation: {0}")]
    Engine(String),
}

/// Compiled shapes plus what a finding needs to be explained (names per shape).
pub struct Shapes {
    schema: IRSchema,
    names: HashMap<String, (Option<String>, Option<String>)>,
    messages: HashMap<String, (Option<String>, Option<String>)>,
}

impl std::fmt::Debug for Shapes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shapes")
            .field("named", &self.names.len())
            .finish()
    }
}

/// The registry's shapes: DCAT-AP 3.0.1 with its ranges, and DCAT-AP-VN.
pub fn shapes() -> Result<&'static Shapes, ShaclError> {
    static SHAPES: OnceLock<Result<Shapes, String>> = OnceLock::new();
    SHAPES
        .get_or_init(|| {
            Shapes::compile(&[DCAT_AP_SHAPES, DCAT_AP_RANGES, DCAT_AP_VN_SHAPES])
                .map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(|e| ShaclError::Shapes(e.clone()))
}

impl Shapes {
    /// Compiles Turtle shape documents into one shapes graph.
    pub fn compile(docs: &[&str]) -> Result<Shapes, ShaclError> {
        let mut graph = OxigraphInMemory::new();
        let mut names = HashMap::new();
        let mut messages = HashMap::new();
        for doc in docs {
            let g = turtle(doc).map_err(ShaclError::Shapes)?;
            for t in &g {
                let key = t.subject.to_string();
                let pick = |slot: &mut (Option<String>, Option<String>), o: &Term| {
                    if let Term::Literal(l) = o {
                        match l.language() {
                            Some("vi") => slot.0 = Some(l.value().to_owned()),
                            Some("en") | None => slot.1 = Some(l.value().to_owned()),
                            _ => {}
                        }
                    }
                };
                if t.predicate.as_str() == SH_NAME {
                    pick(names.entry(strip(&key)).or_default(), &t.object);
                } else if t.predicate.as_str() == SH_MESSAGE {
                    pick(messages.entry(strip(&key)).or_default(), &t.object);
                }
                graph
                    .add_triple_ref(t.subject.as_ref(), t.predicate.as_ref(), t.object.as_ref())
                    .map_err(|e| ShaclError::Shapes(e.to_string()))?;
            }
        }
        let ast = ShaclParser::new(graph)
            .parse()
            .map_err(|e| ShaclError::Shapes(e.to_string()))?;
        let schema = IRSchema::try_from(ast).map_err(|e| ShaclError::Shapes(e.to_string()))?;
        Ok(Shapes {
            schema,
            names,
            messages,
        })
    }

    /// Validates a data graph; returns its findings (empty: it conforms).
    pub fn validate(&self, data: &[Triple]) -> Result<Vec<Finding>, ShaclError> {
        let mut store = OxigraphInMemory::new();
        for t in data {
            store
                .add_triple_ref(t.subject.as_ref(), t.predicate.as_ref(), t.object.as_ref())
                .map_err(|e| ShaclError::Engine(e.to_string()))?;
        }
        let mut v = GraphValidation::new(Graph::from(store));
        let report = v
            .validate(
                &self.schema,
                &ShaclValidationMode::Native,
                &ShaclConfig::default(),
            )
            .map_err(|e| ShaclError::Engine(e.to_string()))?;
        let mut out: Vec<Finding> = report
            .results()
            .iter()
            .map(|r| {
                let shape = r.source().map(object_str);
                let path = r.path().map(|p| strip(&p.to_string()));
                let constraint = compact(&object_str(r.constraint_component()));
                let key = shape.clone().unwrap_or_default();
                let (name_vi, name_en) = self.names.get(&key).cloned().unwrap_or_default();
                let (msg_vi, msg_en) = self.messages.get(&key).cloned().unwrap_or_default();
                let what_en = name_en
                    .clone()
                    .or_else(|| path.clone())
                    .unwrap_or_else(|| "the resource".into());
                let what_vi = name_vi.clone().unwrap_or_else(|| what_en.clone());
                let explain = explain(&constraint);
                Finding {
                    severity: match r.severity() {
                        Severity::Violation => "violation",
                        Severity::Warning => "warning",
                        _ => "info",
                    }
                    .to_owned(),
                    profile: if key.starts_with("https://w3id.org/dcat-vn") {
                        PROFILE_DCAT_AP_VN
                    } else {
                        PROFILE_DCAT_AP
                    }
                    .to_owned(),
                    focus: object_str(r.focus_node()),
                    path,
                    value: r.value().map(object_str),
                    message_vi: msg_vi.unwrap_or_else(|| format!("{what_vi}: {}", explain.0)),
                    message_en: msg_en.unwrap_or_else(|| format!("{what_en}: {}", explain.1)),
                    constraint,
                    shape,
                }
            })
            .collect();
        out.sort_by(|a, b| {
            (&a.severity, &a.focus, &a.path, &a.constraint, &a.value).cmp(&(
                &b.severity,
                &b.focus,
                &b.path,
                &b.constraint,
                &b.value,
            ))
        });
        out.dedup();
        Ok(out)
    }
}

/// The findings about a record's own nodes: the subjects of what the record itself says (its
/// IRI, its distributions and contact points, named or skolemised — see
/// `Registry::own_nodes`). Findings on what it only refers to (its catalogue's members,
/// agencies, EU terms the registry typed) belong to those records' own reports, or to nobody.
pub fn own(findings: Vec<Finding>, nodes: &std::collections::HashSet<String>) -> Vec<Finding> {
    findings
        .into_iter()
        .filter(|f| nodes.contains(&f.focus))
        .collect()
}

/// Parses a Turtle document into triples (the shapes, and tests' data).
pub fn turtle(doc: &str) -> Result<Vec<Triple>, String> {
    oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::Turtle)
        .for_slice(doc.as_bytes())
        .map(|q| q.map(Triple::from).map_err(|e| e.to_string()))
        .collect()
}

const SH_NAME: &str = "http://www.w3.org/ns/shacl#name";
const SH_MESSAGE: &str = "http://www.w3.org/ns/shacl#message";

fn strip(s: &str) -> String {
    s.trim_start_matches('<').trim_end_matches('>').to_owned()
}

fn object_str(o: &Object) -> String {
    match o {
        Object::Iri(i) => i.as_str().to_owned(),
        other => other.to_string(),
    }
}

fn compact(iri: &str) -> String {
    match iri.strip_prefix("http://www.w3.org/ns/shacl#") {
        Some(local) => format!("sh:{local}"),
        None => iri.to_owned(),
    }
}

/// A short explanation of a constraint component, in Vietnamese and English.
fn explain(constraint: &str) -> (&'static str, &'static str) {
    match constraint {
        "sh:MinCountConstraintComponent" => {
            ("thiếu giá trị bắt buộc", "a required value is missing")
        }
        "sh:MaxCountConstraintComponent" => (
            "có nhiều giá trị hơn mức cho phép",
            "more values than allowed",
        ),
        "sh:ClassConstraintComponent" => (
            "giá trị không thuộc lớp yêu cầu",
            "the value is not of the required class",
        ),
        "sh:DatatypeConstraintComponent" => (
            "kiểu dữ liệu không đúng",
            "the value has the wrong datatype",
        ),
        "sh:NodeKindConstraintComponent" => (
            "loại nút không đúng (IRI/literal)",
            "the value is the wrong kind of node (IRI/literal)",
        ),
        "sh:InConstraintComponent" => (
            "giá trị không nằm trong danh sách cho phép",
            "the value is not one of those allowed",
        ),
        "sh:NodeConstraintComponent" => (
            "giá trị không thỏa hình dạng yêu cầu",
            "the value does not match the required shape",
        ),
        "sh:OrConstraintComponent" => (
            "giá trị không thỏa lựa chọn nào",
            "the value matches none of the alternatives",
        ),
        "sh:QualifiedMinCountConstraintComponent" => (
            "thiếu giá trị đạt yêu cầu",
            "too few values of the required form",
        ),
        _ => ("không thỏa ràng buộc", "a constraint is not met"),
    }
}

/// The class DCAT-AP expects for the object of a property, where the object is a term of an
/// EU authority table (`http://publications.europa.eu/resource/authority/…`): the registry
/// knows these terms' types even when a record does not say them.
pub fn authority_range(predicate: NamedNodeRef<'_>) -> Option<NamedNodeRef<'static>> {
    let p = predicate.as_str();
    Some(if p == dct::ACCRUAL_PERIODICITY.as_str() {
        dct::FREQUENCY
    } else if p == dct::FORMAT.as_str()
        || p == dcat::COMPRESS_FORMAT.as_str()
        || p == dcat::PACKAGE_FORMAT.as_str()
    {
        dct::MEDIA_TYPE_OR_EXTENT
    } else if p == dcat::MEDIA_TYPE.as_str() {
        dct::MEDIA_TYPE_CLASS
    } else if p == dct::LICENSE.as_str() {
        dct::LICENSE_DOCUMENT
    } else if p == dct::ACCESS_RIGHTS.as_str() || p == dct::RIGHTS.as_str() {
        dct::RIGHTS_STATEMENT
    } else if p == dct::LANGUAGE.as_str() {
        dct::LINGUISTIC_SYSTEM
    } else if p == dct::SPATIAL.as_str() {
        dct::LOCATION
    } else if p == dcat::THEME.as_str() || p == dct::TYPE.as_str() {
        skos::CONCEPT
    } else if p == dct::PUBLISHER.as_str() || p == dct::CREATOR.as_str() {
        foaf::AGENT
    } else {
        return None;
    })
}

/// Vocabularies whose terms the registry knows the classes of: EU authority tables, IANA media
/// types, danhmuc's own code lists.
const KNOWN_TABLES: &[&str] = &[
    "http://publications.europa.eu/resource/authority/",
    "http://www.iana.org/assignments/media-types/",
    "https://www.iana.org/assignments/media-types/",
    "https://w3id.org/dcat-vn/",
];

/// The typing triples [`authority_range`] adds for a record's EU authority terms and
/// danhmuc's own code lists (provinces, themes under `https://w3id.org/dcat-vn/`).
pub fn authority_types(record: &[Triple]) -> Vec<Triple> {
    let mut out = Vec::new();
    for t in record {
        if let Term::NamedNode(o) = &t.object
            && KNOWN_TABLES.iter().any(|ns| o.as_str().starts_with(ns))
            && let Some(class) = authority_range(t.predicate.as_ref())
        {
            out.push(TripleRef::new(o, rdf::TYPE, class).into_owned());
        }
        // Ranges the vocabularies themselves declare (RDFS), whatever the IRI: DCMI's
        // dct:license, dct:rights, dct:accessRights and dct:conformsTo, DCAT's dcat:mediaType;
        // and every IRI is an rdfs:Resource (DCAT-AP's range of an endpoint's URL).
        if let Term::NamedNode(o) = &t.object {
            let class = if t.predicate == dct::LICENSE {
                Some(dct::LICENSE_DOCUMENT)
            } else if t.predicate == dct::RIGHTS || t.predicate == dct::ACCESS_RIGHTS {
                Some(dct::RIGHTS_STATEMENT)
            } else if t.predicate == dct::CONFORMS_TO {
                Some(dct::STANDARD)
            } else if t.predicate == dcat::MEDIA_TYPE {
                Some(dct::MEDIA_TYPE_CLASS)
            } else if t.predicate == dcat::ENDPOINT_URL || t.predicate == dcat::ENDPOINT_DESCRIPTION
            {
                Some(rdfs::RESOURCE)
            } else {
                None
            };
            if let Some(class) = class {
                out.push(TripleRef::new(o, rdf::TYPE, class).into_owned());
            }
        }
    }
    crate::rdf::dedup_triples(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nt(path: &std::path::Path) -> Vec<Triple> {
        let body = std::fs::read(path).unwrap();
        oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::NTriples)
            .for_slice(&body)
            .map(|q| Triple::from(q.unwrap()))
            .collect()
    }

    #[test]
    fn the_vendored_dcat_ap_shapes_are_semics_release_unchanged() {
        let Some(f) = danhmuc_e2e::fixtures() else {
            return;
        };
        let dir = f.join("dcat-ap/releases/3.0.1/shacl");
        assert_eq!(
            std::fs::read_to_string(dir.join("dcat-ap-SHACL.ttl")).unwrap(),
            DCAT_AP_SHAPES
        );
        assert_eq!(
            std::fs::read_to_string(dir.join("ranges.ttl")).unwrap(),
            DCAT_AP_RANGES
        );
    }

    #[test]
    fn the_engine_agrees_with_semic_on_its_own_2_1_1_examples() {
        let Some(f) = danhmuc_e2e::fixtures() else {
            return;
        };
        let dir = f.join("dcat-ap/releases/2.1.1");
        let shapes = std::fs::read_to_string(dir.join("dcat-ap_2.1.1_shacl_shapes.ttl")).unwrap();
        let range = std::fs::read_to_string(dir.join("dcat-ap_2.1.1_shacl_range.ttl")).unwrap();
        let s = Shapes::compile(&[&shapes, &range]).unwrap();
        let ok = s.validate(&nt(&dir.join("examples/example1.nt"))).unwrap();
        assert!(
            ok.iter().all(|f| f.severity != "violation"),
            "example1.nt is compliant: {ok:#?}"
        );
        let bad = s.validate(&nt(&dir.join("examples/example2.nt"))).unwrap();
        assert!(
            bad.iter().any(|f| f.severity == "violation"),
            "example2.nt is not compliant"
        );
    }

    const ENTRY: &str = r#"
        @prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
        @prefix dcatvn: <https://w3id.org/dcat-vn#> .
        <http://x/db> a dcat:Dataset, dcatvn:DatabaseEntry ;
          dct:title "Cơ sở dữ liệu đất đai"@vi ; dct:description "Đất đai tỉnh Tây Ninh"@vi ;
          dct:publisher <http://x/a> ;
          dct:accrualPeriodicity <http://publications.europa.eu/resource/authority/frequency/MONTHLY> ;
          dcatvn:objective "Quản lý đất đai"@vi ; dcatvn:scope "Toàn tỉnh"@vi ;
          dcatvn:masterData "Thửa đất"@vi ; dcatvn:targetUsers "Cơ quan nhà nước"@vi ;
          dcatvn:informationSource "Văn phòng đăng ký đất đai"@vi ;
          dcatvn:sharingMode dcatvn:DefaultSharing .
        <http://x/a> a <http://xmlns.com/foaf/0.1/Agent> ; <http://xmlns.com/foaf/0.1/name> "Sở Tài nguyên và Môi trường"@vi .
    "#;

    #[test]
    fn a_complete_database_entry_passes_dcat_ap_vn_and_a_missing_field_is_named() {
        let s = shapes().unwrap();
        let mut data = turtle(ENTRY).unwrap();
        data.extend(authority_types(&data));
        let f = s.validate(&data).unwrap();
        assert!(
            !f.iter()
                .any(|f| f.profile == PROFILE_DCAT_AP_VN && f.severity == "violation"),
            "{f:#?}"
        );
        assert!(
            !f.iter().any(|f| f.severity == "violation"),
            "a complete entry conforms to DCAT-AP too: {f:#?}"
        );
        let without: Vec<Triple> = data
            .into_iter()
            .filter(|t| t.predicate.as_str() != "https://w3id.org/dcat-vn#masterData")
            .collect();
        let f = s.validate(&without).unwrap();
        let missing: Vec<&Finding> = f
            .iter()
            .filter(|f| f.profile == PROFILE_DCAT_AP_VN && f.severity == "violation")
            .collect();
        assert_eq!(missing.len(), 1, "{f:#?}");
        assert_eq!(missing[0].constraint, "sh:MinCountConstraintComponent");
        assert!(
            missing[0].message_vi.contains("dữ liệu chủ"),
            "{:?}",
            missing[0]
        );
        assert_eq!(missing[0].focus, "http://x/db");
    }

    #[test]
    fn dcat_ap_ranges_need_the_types_the_registry_adds_for_eu_authority_terms() {
        let s = shapes().unwrap();
        let data = turtle(ENTRY).unwrap();
        let untyped = s.validate(&data).unwrap();
        assert!(
            untyped
                .iter()
                .any(|f| f.constraint == "sh:ClassConstraintComponent"
                    && f.path.as_deref() == Some("http://purl.org/dc/terms/accrualPeriodicity")),
            "{untyped:#?}"
        );
    }
}
