//! Reading a record's description for a page: its texts in the page's language, its IRIs with
//! labels from the shipped code lists, and the nodes it links to (distributions, contact
//! points) — over the triples the registry serves, never parsing anything itself.

use crate::i18n::Lang;
use oxigraph::model::{NamedNodeRef, NamedOrBlankNode, Term, Triple};

/// A record's triples, read around one subject at a time.
pub struct View<'a> {
    triples: &'a [Triple],
    lang: &'static str,
}

fn subject_is(t: &Triple, s: &NamedOrBlankNode) -> bool {
    &t.subject == s
}

/// A linked value: an IRI with its label, or a plain text.
pub struct Linked {
    /// Label in the page's language (the IRI's last segment when none is known).
    pub label: String,
    /// The IRI, when the value is one.
    pub iri: Option<String>,
}

impl<'a> View<'a> {
    /// A view over `triples`, picking texts in `lang`.
    pub fn new(triples: &'a [Triple], lang: Lang) -> View<'a> {
        View {
            triples,
            lang: super::lang_tag(lang),
        }
    }

    fn objects<'b>(
        &'b self,
        s: &'b NamedOrBlankNode,
        p: NamedNodeRef<'b>,
    ) -> impl Iterator<Item = &'a Term> + 'b {
        self.triples
            .iter()
            .filter(move |t| subject_is(t, s) && t.predicate.as_ref() == p)
            .map(|t| &t.object)
    }

    /// Every (language, text) of `p` on `s`.
    pub fn texts(&self, s: &NamedOrBlankNode, p: NamedNodeRef<'_>) -> Vec<(String, String)> {
        self.objects(s, p)
            .filter_map(|o| match o {
                Term::Literal(l) => {
                    Some((l.language().unwrap_or("").to_owned(), l.value().to_owned()))
                }
                _ => None,
            })
            .collect()
    }

    /// The text of `p` in the page's language, else Vietnamese, else any.
    pub fn text(&self, s: &NamedOrBlankNode, p: NamedNodeRef<'_>) -> Option<String> {
        record::search::pick(&self.texts(s, p), self.lang).map(str::to_owned)
    }

    /// The texts of `p` in the page's language (all of them when none is in it): keywords.
    pub fn texts_in_lang(&self, s: &NamedOrBlankNode, p: NamedNodeRef<'_>) -> Vec<String> {
        let all = self.texts(s, p);
        let mine: Vec<String> = all
            .iter()
            .filter(|(l, _)| l == self.lang)
            .map(|(_, v)| v.clone())
            .collect();
        if mine.is_empty() {
            all.into_iter().map(|(_, v)| v).collect()
        } else {
            mine
        }
    }

    /// A label for an IRI: the code lists shipped with the registry, else a label the
    /// description itself gives it (`skos:prefLabel`, `foaf:name`, `rdfs:label`), else its
    /// last segment.
    pub fn label_of(&self, iri: &str) -> String {
        if let Some(l) = record::search::label(iri, self.lang) {
            return l.to_owned();
        }
        if let Ok(n) = oxigraph::model::NamedNode::new(iri) {
            let s = NamedOrBlankNode::NamedNode(n);
            for p in [
                vocab::ns::skos::PREF_LABEL,
                vocab::ns::foaf::NAME,
                vocab::ns::rdfs::LABEL,
                vocab::ns::vcard::FN,
            ] {
                if let Some(t) = self.text(&s, p) {
                    return t;
                }
            }
        }
        record::search::short_label(iri)
    }

    /// The values of `p` on `s`, IRIs labelled, texts as written.
    pub fn linked(&self, s: &NamedOrBlankNode, p: NamedNodeRef<'_>) -> Vec<Linked> {
        let mut out: Vec<Linked> = Vec::new();
        for o in self.objects(s, p) {
            let item = match o {
                Term::NamedNode(n) => Linked {
                    label: self.label_of(n.as_str()),
                    iri: Some(n.as_str().to_owned()),
                },
                Term::Literal(l) => Linked {
                    label: l.value().to_owned(),
                    iri: None,
                },
                _ => continue,
            };
            if !out
                .iter()
                .any(|x| x.label == item.label && x.iri == item.iri)
            {
                out.push(item);
            }
        }
        out
    }

    /// The IRIs of `p` on `s`.
    pub fn iris(&self, s: &NamedOrBlankNode, p: NamedNodeRef<'_>) -> Vec<String> {
        self.objects(s, p)
            .filter_map(|o| match o {
                Term::NamedNode(n) => Some(n.as_str().to_owned()),
                _ => None,
            })
            .collect()
    }

    /// The nodes `p` links `s` to (named or blank), as subjects to read further.
    pub fn nodes(&self, s: &NamedOrBlankNode, p: NamedNodeRef<'_>) -> Vec<NamedOrBlankNode> {
        self.objects(s, p)
            .filter_map(|o| match o {
                Term::NamedNode(n) => Some(NamedOrBlankNode::NamedNode(n.clone())),
                Term::BlankNode(b) => Some(NamedOrBlankNode::BlankNode(b.clone())),
                _ => None,
            })
            .collect()
    }

    /// The first plain value of `p` on `s` (a date, a size).
    pub fn value(&self, s: &NamedOrBlankNode, p: NamedNodeRef<'_>) -> Option<String> {
        self.objects(s, p).find_map(|o| match o {
            Term::Literal(l) => Some(l.value().to_owned()),
            Term::NamedNode(n) => Some(n.as_str().to_owned()),
            _ => None,
        })
    }
}

/// The fields of a catalogue-of-databases entry (R1, DCAT-AP-VN), with their labels' keys in
/// the message catalogue, in the order the regulations list them.
pub const R1_FIELDS: &[(NamedNodeRef<'static>, &str)] = &[
    (vocab::ns::dcatvn::OBJECTIVE, "r1_objective"),
    (vocab::ns::dcatvn::SCOPE, "r1_scope"),
    (vocab::ns::dcatvn::MASTER_DATA, "r1_master_data"),
    (vocab::ns::dcatvn::TARGET_USERS, "r1_target_users"),
    (vocab::ns::dcatvn::PURPOSE, "r1_purpose"),
    (
        vocab::ns::dcatvn::INFORMATION_SOURCE,
        "r1_information_source",
    ),
    (vocab::ns::dcatvn::UPDATE_PLAN, "r1_update_plan"),
    (vocab::ns::dcatvn::SHARING_METHOD, "r1_sharing_method"),
    (vocab::ns::dcatvn::LEGAL_BASIS, "r1_legal_basis"),
];

/// A byte count for people: `1,2 MB` in Vietnamese, `1.2 MB` in English.
pub fn size(bytes: &str, lang: Lang) -> String {
    let Ok(n) = bytes.trim().parse::<f64>() else {
        return bytes.to_owned();
    };
    let units = ["B", "KB", "MB", "GB", "TB"];
    let mut v = n;
    let mut u = 0;
    while v >= 1000.0 && u < units.len() - 1 {
        v /= 1000.0;
        u += 1;
    }
    let text = if u == 0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    };
    let text = match lang {
        Lang::Vi => text.replace('.', ","),
        Lang::En => text,
    };
    format!("{text} {}", units[u])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(size("1234567", Lang::Vi), "1,2 MB");
        assert_eq!(size("1234567", Lang::En), "1.2 MB");
        assert_eq!(size("512", Lang::En), "512 B");
        assert_eq!(size("khoảng 2 MB", Lang::Vi), "khoảng 2 MB");
    }

    #[test]
    fn texts_come_in_the_pages_language_and_labels_from_the_code_lists() {
        let ttl = r#"@prefix dct: <http://purl.org/dc/terms/> . @prefix dcat: <http://www.w3.org/ns/dcat#> .
<http://x/d> dct:title "Trường học"@vi, "Schools"@en ; dcat:keyword "giáo dục"@vi, "education"@en ;
  dcat:theme <http://publications.europa.eu/resource/authority/data-theme/EDUC> ;
  dct:publisher <http://x/a> . <http://x/a> <http://xmlns.com/foaf/0.1/name> "Sở Giáo dục"@vi ."#;
        let triples = record::rdf::parse_triples(
            ttl.as_bytes(),
            oxigraph::io::RdfFormat::Turtle,
            "http://x/",
        )
        .expect("parses");
        let s =
            NamedOrBlankNode::NamedNode(oxigraph::model::NamedNode::new_unchecked("http://x/d"));
        let en = View::new(&triples, Lang::En);
        assert_eq!(
            en.text(&s, vocab::ns::dct::TITLE).as_deref(),
            Some("Schools")
        );
        assert_eq!(
            en.texts_in_lang(&s, vocab::ns::dcat::KEYWORD),
            vec!["education"]
        );
        let vi = View::new(&triples, Lang::Vi);
        assert_eq!(
            vi.text(&s, vocab::ns::dct::TITLE).as_deref(),
            Some("Trường học")
        );
        let themes = vi.linked(&s, vocab::ns::dcat::THEME);
        assert_eq!(themes.len(), 1);
        assert_ne!(
            themes[0].label, "EDUC",
            "a theme is labelled from the EU list"
        );
        assert_eq!(
            vi.linked(&s, vocab::ns::dct::PUBLISHER)[0].label,
            "Sở Giáo dục"
        );
    }
}
