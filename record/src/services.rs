//! What a data service offers, read from its endpoint description (F18): the OpenAPI 3 or
//! Swagger 2 document its `dcat:endpointDescription` points at becomes one searchable text per
//! operation (method, path, summary, description, operation id, tags, parameter names), so
//! "tra cứu mã số thuế" finds the service whose API has that operation. Pure: the fetching and
//! keeping are the services' and the store's.

use oxigraph::model::{Term, Triple};
use serde_json::Value;
use unicode_normalization::UnicodeNormalization;
use vocab::ns::dcat;

/// Largest description read: an API with thousands of operations stays well under it.
pub const MAX_DESCRIPTION_BYTES: usize = 4 * 1024 * 1024;

/// Most operations kept from one description.
pub const MAX_OPERATIONS: usize = 5_000;

/// Longest text kept per operation, in characters.
const MAX_OPERATION_CHARS: usize = 2_000;

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "patch", "head", "options", "trace",
];

/// The http(s) endpoint descriptions a record's triples name, in order, without repeats.
pub fn endpoint_descriptions(triples: &[Triple]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in triples {
        if t.predicate == dcat::ENDPOINT_DESCRIPTION
            && let Term::NamedNode(n) = &t.object
        {
            let u = n.as_str();
            if (u.starts_with("https://") || u.starts_with("http://"))
                && !out.iter().any(|o| o == u)
            {
                out.push(u.to_owned());
            }
        }
    }
    out
}

/// Why a description could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DescriptionError {
    /// Over [`MAX_DESCRIPTION_BYTES`].
    #[error("the endpoint description is larger than {MAX_DESCRIPTION_BYTES} bytes")]
    TooLarge,
    /// Neither JSON nor YAML.
    #[error("the endpoint description is not JSON or YAML: {0}")]
    Syntax(String),
    /// Read, but no OpenAPI or Swagger document.
    #[error(
        "the endpoint description is not an OpenAPI or Swagger document (no 'openapi' or 'swagger' field with 'paths')"
    )]
    NotOpenApi,
}

/// One text per operation of an OpenAPI 3.x or Swagger 2.0 document (JSON or YAML), the API's
/// own title and description first. Texts are NFC.
pub fn operations(body: &[u8]) -> Result<Vec<String>, DescriptionError> {
    if body.len() > MAX_DESCRIPTION_BYTES {
        return Err(DescriptionError::TooLarge);
    }
    let doc: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(json) => {
            let text = std::str::from_utf8(body)
                .map_err(|_| DescriptionError::Syntax(json.to_string()))?;
            yaml(text).map_err(|e| DescriptionError::Syntax(format!("{json}; as YAML: {e}")))?
        }
    };
    let is_api = doc.get("openapi").is_some() || doc.get("swagger").is_some();
    let Some(paths) = doc
        .get("paths")
        .and_then(Value::as_object)
        .filter(|_| is_api)
    else {
        return Err(DescriptionError::NotOpenApi);
    };
    let mut out = Vec::new();
    let info = &doc["info"];
    let head = join(&[str_of(&info["title"]), str_of(&info["description"])]);
    if !head.is_empty() {
        out.push(head);
    }
    for (path, item) in paths {
        let shared = params(&item["parameters"]);
        for m in METHODS {
            let Some(op) = item.get(m).filter(|o| o.is_object()) else {
                continue;
            };
            if out.len() >= MAX_OPERATIONS {
                return Ok(out);
            }
            let tags: Vec<&str> = op["tags"]
                .as_array()
                .map(|t| t.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let mut names = shared.clone();
            names.extend(params(&op["parameters"]));
            let request = op["requestBody"]["description"].as_str().unwrap_or("");
            out.push(join(&[
                &format!("{} {path}", m.to_uppercase()),
                str_of(&op["summary"]),
                str_of(&op["description"]),
                str_of(&op["operationId"]),
                &tags.join(", "),
                &names.join(", "),
                request,
            ]));
        }
    }
    Ok(out)
}

/// YAML read into JSON values, bounded: the document's size is already bounded, nesting is
/// checked on the parser's events before anything is built (a deep document cannot exhaust
/// the stack), and alias expansion stays within the loader's node budget (a "billion laughs"
/// document fails instead of filling memory).
fn yaml(text: &str) -> Result<Value, String> {
    use saphyr::{LoadableYamlNode, Yaml};
    use saphyr_parser::{Event, Parser};
    let mut depth = 0usize;
    for event in Parser::new_from_str(text) {
        match event.map_err(|e| e.to_string())?.0 {
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(format!("nested deeper than {MAX_DEPTH} levels"));
                }
            }
            Event::SequenceEnd | Event::MappingEnd => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    let docs = Yaml::load_from_str(text).map_err(|e| e.to_string())?;
    let first = docs.into_iter().next().ok_or("an empty document")?;
    to_json(&first, 0)
}

/// Deepest nesting read from a YAML description (JSON has serde_json's own bound).
const MAX_DEPTH: usize = 64;

fn to_json(y: &saphyr::Yaml, depth: usize) -> Result<Value, String> {
    use saphyr::{Scalar, Yaml};
    if depth > MAX_DEPTH {
        return Err(format!("nested deeper than {MAX_DEPTH} levels"));
    }
    Ok(match y {
        Yaml::Value(Scalar::String(s)) => Value::String(s.to_string()),
        Yaml::Value(Scalar::Integer(i)) => Value::from(*i),
        Yaml::Value(Scalar::FloatingPoint(f)) => Value::from(f.into_inner()),
        Yaml::Value(Scalar::Boolean(b)) => Value::Bool(*b),
        Yaml::Value(Scalar::Null) => Value::Null,
        Yaml::Sequence(items) => Value::Array(
            items
                .iter()
                .map(|i| to_json(i, depth + 1))
                .collect::<Result<_, _>>()?,
        ),
        Yaml::Mapping(map) => {
            let mut out = serde_json::Map::new();
            for (k, v) in map {
                let key = match k {
                    Yaml::Value(Scalar::String(s)) => s.to_string(),
                    Yaml::Value(Scalar::Integer(i)) => i.to_string(),
                    Yaml::Value(Scalar::Boolean(b)) => b.to_string(),
                    _ => continue,
                };
                out.insert(key, to_json(v, depth + 1)?);
            }
            Value::Object(out)
        }
        Yaml::Alias(_) => return Err("YAML aliases are not accepted".into()),
        Yaml::Representation(s, _, _) => Value::String(s.to_string()),
        Yaml::Tagged(_, inner) => to_json(inner, depth + 1)?,
        Yaml::BadValue => Value::Null,
    })
}

fn params(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|ps| {
            ps.iter()
                .filter_map(|p| {
                    let name = p["name"].as_str()?;
                    Some(match p["description"].as_str() {
                        Some(d) if !d.trim().is_empty() => format!("{name} ({})", d.trim()),
                        _ => name.to_owned(),
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

fn str_of(v: &Value) -> &str {
    v.as_str().unwrap_or("")
}

fn join(parts: &[&str]) -> String {
    let text: String = parts
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" · ")
        .nfc()
        .collect();
    text.chars().take(MAX_OPERATION_CHARS).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const OPENAPI: &str = r#"{
      "openapi": "3.0.3",
      "info": {"title": "API thuế", "description": "Dịch vụ của Cục Thuế"},
      "paths": {
        "/doanh-nghiep/{mst}": {
          "parameters": [{"name": "mst", "in": "path", "description": "mã số thuế"}],
          "get": {"summary": "Tra cứu mã số thuế", "operationId": "traCuuMst", "tags": ["doanh nghiệp"]},
          "delete": {"summary": "Xoá"}
        },
        "/health": {"get": {}}
      }
    }"#;

    #[test]
    fn each_operation_reads_as_one_text() {
        let ops = operations(OPENAPI.as_bytes()).unwrap();
        assert_eq!(ops[0], "API thuế · Dịch vụ của Cục Thuế");
        assert_eq!(
            ops[1],
            "GET /doanh-nghiep/{mst} · Tra cứu mã số thuế · traCuuMst · doanh nghiệp · mst (mã số thuế)"
        );
        assert_eq!(
            ops[2],
            "DELETE /doanh-nghiep/{mst} · Xoá · mst (mã số thuế)"
        );
        assert_eq!(ops[3], "GET /health");
    }

    #[test]
    fn yaml_and_swagger_2_read_alike_and_nfd_becomes_nfc() {
        let nfd: String = "Tra cứu".nfd().collect();
        let y = format!(
            "swagger: '2.0'\ninfo:\n  title: Hộ tịch\npaths:\n  /khai-sinh:\n    post:\n      summary: {nfd} khai sinh\n      parameters:\n        - name: so\n"
        );
        let ops = operations(y.as_bytes()).unwrap();
        assert_eq!(
            ops,
            vec!["Hộ tịch", "POST /khai-sinh · Tra cứu khai sinh · so"]
        );
    }

    #[test]
    fn bombs_and_other_documents_are_refused_by_name() {
        // Ten levels of ten aliases: 10^10 nodes if expanded.
        let mut bomb = String::from("openapi: 3.0.0\nl0: &l0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let p = i - 1;
            bomb.push_str(&format!(
                "l{i}: &l{i} [{}]\n",
                vec![format!("*l{p}"); 10].join(", ")
            ));
        }
        bomb.push_str("paths: {}\n");
        assert!(matches!(
            operations(bomb.as_bytes()),
            Err(DescriptionError::Syntax(_))
        ));
        for deep in [
            format!("{}1{}", "[".repeat(500), "]".repeat(500)),
            "[".repeat(MAX_DESCRIPTION_BYTES / 2),
        ] {
            assert!(
                matches!(operations(deep.as_bytes()), Err(DescriptionError::Syntax(m)) if m.contains("nested deeper") || m.contains("recursion")),
                "deep nesting is refused by name"
            );
        }
        assert_eq!(
            operations(b"{\"hello\": 1}"),
            Err(DescriptionError::NotOpenApi)
        );
        assert_eq!(
            operations(b"hello: world"),
            Err(DescriptionError::NotOpenApi)
        );
        let big = vec![b' '; MAX_DESCRIPTION_BYTES + 1];
        assert_eq!(operations(&big), Err(DescriptionError::TooLarge));
    }

    #[test]
    fn only_http_descriptions_are_named() {
        let t = |o: &str| {
            Triple::new(
                oxigraph::model::NamedNode::new_unchecked("https://r.example/s"),
                dcat::ENDPOINT_DESCRIPTION,
                oxigraph::model::NamedNode::new_unchecked(o),
            )
        };
        let ts = vec![
            t("https://a.example/openapi.json"),
            t("urn:x"),
            t("https://a.example/openapi.json"),
        ];
        assert_eq!(
            endpoint_descriptions(&ts),
            vec!["https://a.example/openapi.json"]
        );
    }
}
