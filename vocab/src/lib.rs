#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

pub mod context;
pub mod ns;
pub mod text;

/// The `dcatvn:` vocabulary in Turtle.
pub const DCATVN_TTL: &str = include_str!("../dcatvn.ttl");
/// The JSON-LD context the REST JSON follows (served at `/api/v1/context.jsonld`).
pub const CONTEXT_JSONLD: &str = include_str!("../context.jsonld");

/// The SKOS code lists shipped with danhmuc, as `(file name, Turtle)`.
pub const CODELISTS: &[(&str, &str)] = &[
    ("provinces.ttl", include_str!("../codelists/provinces.ttl")),
    (
        "access-right.ttl",
        include_str!("../codelists/access-right.ttl"),
    ),
    ("frequency.ttl", include_str!("../codelists/frequency.ttl")),
    ("file-type.ttl", include_str!("../codelists/file-type.ttl")),
    ("licences.ttl", include_str!("../codelists/licences.ttl")),
    ("languages.ttl", include_str!("../codelists/languages.ttl")),
];

/// Prefixes used when serialising Turtle and RDF/XML for people to read.
pub const PREFIXES: &[(&str, &str)] = &[
    (ns::dcat::PREFIX, ns::dcat::NS),
    (ns::dct::PREFIX, ns::dct::NS),
    (ns::foaf::PREFIX, ns::foaf::NS),
    (ns::vcard::PREFIX, ns::vcard::NS),
    (ns::adms::PREFIX, ns::adms::NS),
    (ns::skos::PREFIX, ns::skos::NS),
    (ns::prov::PREFIX, ns::prov::NS),
    (ns::org::PREFIX, ns::org::NS),
    (ns::dcatap::PREFIX, ns::dcatap::NS),
    (ns::dcatvn::PREFIX, ns::dcatvn::NS),
    (ns::xsd::PREFIX, ns::xsd::NS),
    (ns::hydra::PREFIX, ns::hydra::NS),
];

#[cfg(test)]
mod tests {
    use oxigraph::io::RdfFormat;
    use oxigraph::io::RdfParser;
    use oxigraph::model::Graph;

    fn parse(ttl: &str) -> Graph {
        RdfParser::from_format(RdfFormat::Turtle)
            .for_slice(ttl.as_bytes())
            .collect::<Result<Vec<oxrdf::Quad>, _>>()
            .expect("valid Turtle")
            .into_iter()
            .map(|q| oxrdf::Triple::new(q.subject, q.predicate, q.object))
            .collect()
    }

    #[test]
    fn dcatvn_parses_and_labels_every_property_in_vi_and_en() {
        let g = parse(super::DCATVN_TTL);
        let label = super::ns::rdfs::LABEL;
        let props: Vec<_> = g
            .subjects_for_predicate_object(
                super::ns::rdf::TYPE,
                oxrdf::NamedNodeRef::new_unchecked(
                    "http://www.w3.org/1999/02/22-rdf-syntax-ns#Property",
                ),
            )
            .collect();
        assert!(props.len() >= 12, "dcatvn declares the R1/R2/R3 properties");
        for p in props {
            let langs: Vec<String> = g
                .objects_for_subject_predicate(p, label)
                .filter_map(|o| match o {
                    oxrdf::TermRef::Literal(l) => l.language().map(str::to_owned),
                    _ => None,
                })
                .collect();
            assert!(
                langs.contains(&"vi".into()) && langs.contains(&"en".into()),
                "{p} lacks vi/en labels"
            );
        }
        // the six R1 fields are declared
        for t in [
            super::ns::dcatvn::OBJECTIVE,
            super::ns::dcatvn::SCOPE,
            super::ns::dcatvn::MASTER_DATA,
            super::ns::dcatvn::TARGET_USERS,
            super::ns::dcatvn::INFORMATION_SOURCE,
            super::ns::dcatvn::SHARING_METHOD,
        ] {
            assert!(
                g.triples_for_subject(t).next().is_some(),
                "{t} missing from dcatvn.ttl"
            );
        }
    }

    #[test]
    fn codelists_parse() {
        for (name, ttl) in super::CODELISTS {
            let g = parse(ttl);
            assert!(g.len() > 5, "{name} is too small");
        }
    }

    #[test]
    fn provinces_match_fixture() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(
            "../../shared/fixtures/vietnam/vietnam-provinces-2025.10.1-nested-divisions.json",
        );
        let Ok(text) = std::fs::read_to_string(&path) else {
            assert!(
                std::env::var("CI").is_err(),
                "fixture missing under CI: {}",
                path.display()
            );
            return;
        };
        let data: serde_json::Value = serde_json::from_str(&text).expect("fixture is JSON");
        let g = parse(super::CODELISTS[0].1);
        let provinces = data.as_array().expect("a list");
        assert_eq!(provinces.len(), 34);
        for p in provinces {
            let code = format!("{:02}", p["code"].as_u64().expect("code"));
            let iri = format!("https://w3id.org/dcat-vn/codelist/province/{code}");
            let name = p["name"].as_str().expect("name");
            let node = oxrdf::NamedNodeRef::new_unchecked(&iri);
            let label = oxrdf::LiteralRef::new_language_tagged_literal_unchecked(name, "vi");
            assert!(
                g.contains(oxrdf::TripleRef::new(
                    node,
                    super::ns::skos::PREF_LABEL,
                    label
                )),
                "{iri} {name}"
            );
        }
    }
}
