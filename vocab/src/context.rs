//! The term table of `context.jsonld`, so that the registry's JSON output and the context it
//! publishes can never disagree: the file is the one source, this module only reads it.

use std::collections::HashMap;

/// How a term's values appear in the compact JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermKind {
    /// `@container: @language`: an object keyed by language tag.
    LanguageMap,
    /// `@type: @id`: IRIs as plain strings.
    Id,
    /// `@type: @vocab`: IRIs that may be shortened to a term of the context (e.g. `PUBLIC`).
    Vocab,
    /// A literal with a fixed datatype (`@type: xsd:…`).
    Typed,
    /// A plain literal (string, or date written as a string).
    Plain,
}

/// One term of the context.
#[derive(Debug, Clone)]
pub struct Term {
    /// The JSON key.
    pub name: String,
    /// The full property IRI.
    pub iri: String,
    /// How values are written.
    pub kind: TermKind,
    /// The datatype IRI for [`TermKind::Typed`].
    pub datatype: Option<String>,
    /// Whether the value is always an array (`@container: @set`).
    pub set: bool,
}

/// The parsed context: property terms, and the short names of IRIs (classes and code values).
#[derive(Debug, Clone)]
pub struct Context {
    by_name: HashMap<String, Term>,
    by_iri: HashMap<String, String>,
    short: HashMap<String, String>,
    short_rev: HashMap<String, String>,
}

impl Context {
    /// The context shipped in `vocab/context.jsonld`.
    pub fn builtin() -> Self {
        // The file is part of this crate and checked by its tests; failing here is a build bug.
        #[allow(clippy::expect_used)]
        Self::parse(crate::CONTEXT_JSONLD).expect("vocab/context.jsonld is valid")
    }

    /// Reads a context document of the shape danhmuc uses.
    pub fn parse(text: &str) -> Result<Self, String> {
        let doc: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let ctx = doc
            .get("@context")
            .and_then(|c| c.as_object())
            .ok_or("no @context object")?;
        let mut prefixes = HashMap::new();
        for (k, v) in ctx {
            if let Some(s) = v.as_str()
                && (s.ends_with('#') || s.ends_with('/'))
            {
                prefixes.insert(k.clone(), s.to_owned());
            }
        }
        let expand = |s: &str| -> String {
            if let Some((p, local)) = s.split_once(':')
                && let Some(ns) = prefixes.get(p)
            {
                return format!("{ns}{local}");
            }
            s.to_owned()
        };
        let mut out = Context {
            by_name: HashMap::new(),
            by_iri: HashMap::new(),
            short: HashMap::new(),
            short_rev: HashMap::new(),
        };
        for (k, v) in ctx {
            if k.starts_with('@') || prefixes.contains_key(k) {
                continue;
            }
            match v {
                serde_json::Value::String(s) if !s.starts_with('@') => {
                    let iri = expand(s);
                    out.short.insert(iri.clone(), k.clone());
                    out.short_rev.insert(k.clone(), iri);
                }
                serde_json::Value::Object(def) => {
                    let iri = expand(
                        def.get("@id")
                            .and_then(|i| i.as_str())
                            .ok_or(format!("term {k} has no @id"))?,
                    );
                    let container = def.get("@container").and_then(|c| c.as_str());
                    let ty = def.get("@type").and_then(|c| c.as_str());
                    let (kind, datatype) = match (container, ty) {
                        (Some("@language"), _) => (TermKind::LanguageMap, None),
                        (_, Some("@id")) => (TermKind::Id, None),
                        (_, Some("@vocab")) => (TermKind::Vocab, None),
                        (_, Some(t)) => (TermKind::Typed, Some(expand(t))),
                        _ => (TermKind::Plain, None),
                    };
                    let term = Term {
                        name: k.clone(),
                        iri: iri.clone(),
                        kind,
                        datatype,
                        set: container == Some("@set"),
                    };
                    out.by_iri.insert(iri, k.clone());
                    out.by_name.insert(k.clone(), term);
                }
                _ => {}
            }
        }
        Ok(out)
    }

    /// The term whose property IRI is `iri`.
    pub fn term_for_iri(&self, iri: &str) -> Option<&Term> {
        self.by_iri.get(iri).and_then(|n| self.by_name.get(n))
    }

    /// The term named `name`.
    pub fn term(&self, name: &str) -> Option<&Term> {
        self.by_name.get(name)
    }

    /// The short name of an IRI (a class or a code value), if the context gives one.
    pub fn shorten(&self, iri: &str) -> Option<&str> {
        self.short.get(iri).map(String::as_str)
    }

    /// The IRI a short name stands for.
    pub fn expand_short(&self, name: &str) -> Option<&str> {
        self.short_rev.get(name).map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_context_maps_terms_both_ways() {
        let c = Context::builtin();
        let t = c.term("title").expect("title");
        assert_eq!(t.iri, "http://purl.org/dc/terms/title");
        assert_eq!(t.kind, TermKind::LanguageMap);
        assert_eq!(
            c.term_for_iri("http://www.w3.org/ns/dcat#distribution")
                .map(|t| t.set),
            Some(true)
        );
        assert_eq!(
            c.shorten("http://publications.europa.eu/resource/authority/access-right/PUBLIC"),
            Some("PUBLIC")
        );
        assert_eq!(
            c.expand_short("Dataset"),
            Some("http://www.w3.org/ns/dcat#Dataset")
        );
        assert_eq!(
            c.term("accessRights").map(|t| t.kind),
            Some(TermKind::Vocab)
        );
        assert_eq!(
            c.term("freeOfCharge")
                .and_then(|t| t.datatype.clone())
                .as_deref(),
            Some("http://www.w3.org/2001/XMLSchema#boolean")
        );
    }

    #[test]
    fn every_dcatvn_term_in_the_context_is_declared_in_the_vocabulary() {
        let c = Context::builtin();
        for t in c.by_name.values() {
            if let Some(local) = t.iri.strip_prefix(crate::ns::dcatvn::NS) {
                assert!(
                    crate::DCATVN_TTL.contains(&format!("dcatvn:{local} ")),
                    "dcatvn:{local} not declared"
                );
            }
        }
    }
}
