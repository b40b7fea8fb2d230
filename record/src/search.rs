//! What a record offers to full-text search, read from its stored description alone: its
//! titles and descriptions in every language, keywords, the codes it may be filtered by
//! (themes, formats, licences, frequencies, places) and every other text a person could look
//! it up by (publisher and agency names, labels of its codes, distribution titles, the R1
//! fields of a database entry). Pure: the index that keeps these lives in the store.

use crate::enrich::DATA_THEMES;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{NamedOrBlankNode, Term, Triple};
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;
use unicode_normalization::UnicodeNormalization;
use vocab::ns::{dcat, dcatvn, dct, foaf, rdf, skos, vcard};

/// One record as search sees it. Texts are NFC.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchDoc {
    /// Titles as `(language tag, text)`; an untagged title has tag `""`.
    pub titles: Vec<(String, String)>,
    /// Descriptions as `(language tag, text)`.
    pub descriptions: Vec<(String, String)>,
    /// Keywords, every language.
    pub keywords: Vec<String>,
    /// Theme IRIs.
    pub themes: Vec<String>,
    /// Formats and media types (IRIs or the literal the source gave).
    pub formats: Vec<String>,
    /// Licence IRIs.
    pub licenses: Vec<String>,
    /// Update frequency IRIs.
    pub frequencies: Vec<String>,
    /// Spatial coverage IRIs (province codes of the code list, or any place).
    pub spatial: Vec<String>,
    /// Every other text the record can be found by (names, labels, R1 fields).
    pub other: Vec<String>,
    /// `dct:modified`, µs since the epoch.
    pub modified: Option<i64>,
    /// `dct:issued`, µs since the epoch.
    pub issued: Option<i64>,
    /// Whether it is an entry of the catalogue of databases (`dcatvn:DatabaseEntry`).
    pub database_entry: bool,
}

impl SearchDoc {
    /// The first title in `lang`, else the first in Vietnamese, else any.
    pub fn title(&self, lang: &str) -> Option<&str> {
        pick(&self.titles, lang)
    }

    /// The first description in `lang`, else Vietnamese, else any.
    pub fn description(&self, lang: &str) -> Option<&str> {
        pick(&self.descriptions, lang)
    }
}

/// The first text in `lang`, else Vietnamese, else untagged, else any.
pub fn pick<'a>(texts: &'a [(String, String)], lang: &str) -> Option<&'a str> {
    let by = |l: &str| {
        texts
            .iter()
            .find(|(t, _)| t.eq_ignore_ascii_case(l) || t.starts_with(&format!("{l}-")))
    };
    by(lang)
        .or_else(|| by("vi"))
        .or_else(|| texts.iter().find(|(t, _)| t.is_empty()))
        .or(texts.first())
        .map(|(_, s)| s.as_str())
}

/// Reads a record's search document from its triples. `iri` is the record's own subject.
pub fn search_doc(iri: &str, triples: &[Triple]) -> SearchDoc {
    let subject =
        |s: &NamedOrBlankNode| matches!(s, NamedOrBlankNode::NamedNode(n) if n.as_str() == iri);
    let mut doc = SearchDoc::default();
    let mut used: HashSet<(String, String)> = HashSet::new();
    let mut distributions: HashSet<NamedOrBlankNode> = HashSet::new();
    let mut agents: HashSet<NamedOrBlankNode> = HashSet::new();
    let labels = labels();
    let nfc = |s: &str| s.nfc().collect::<String>();
    for t in triples.iter().filter(|t| subject(&t.subject)) {
        let p = t.predicate.as_ref();
        match &t.object {
            Term::Literal(l) => {
                let text = nfc(l.value());
                let lang = l.language().unwrap_or("").to_ascii_lowercase();
                if p == dct::TITLE || p == foaf::NAME || p == skos::PREF_LABEL {
                    used.insert((iri.to_owned(), text.clone()));
                    if !doc.titles.iter().any(|(_, x)| *x == text) {
                        doc.titles.push((lang, text));
                    }
                } else if p == dct::DESCRIPTION {
                    used.insert((iri.to_owned(), text.clone()));
                    doc.descriptions.push((lang, text));
                } else if p == dcat::KEYWORD {
                    used.insert((iri.to_owned(), text.clone()));
                    doc.keywords.push(text);
                } else if p == dct::MODIFIED {
                    doc.modified = crate::dates::parse_time(l.value(), false).ok();
                } else if p == dct::ISSUED {
                    doc.issued = crate::dates::parse_time(l.value(), false).ok();
                }
            }
            Term::NamedNode(n) => {
                let v = n.as_str().to_owned();
                if p == rdf::TYPE && n.as_ref() == dcatvn::DATABASE_ENTRY {
                    doc.database_entry = true;
                } else if p == dcat::THEME {
                    doc.themes.push(v);
                } else if p == dct::LICENSE {
                    doc.licenses.push(v);
                } else if p == dct::ACCRUAL_PERIODICITY {
                    doc.frequencies.push(v);
                } else if p == dct::SPATIAL {
                    doc.spatial.push(v);
                } else if p == dcat::DISTRIBUTION_PROP {
                    distributions.insert(NamedOrBlankNode::NamedNode(n.clone()));
                } else if p == dct::PUBLISHER || p == dct::CREATOR || p == dcat::CONTACT_POINT {
                    agents.insert(NamedOrBlankNode::NamedNode(n.clone()));
                }
            }
            Term::BlankNode(b) => {
                let node = NamedOrBlankNode::BlankNode(b.clone());
                if p == dcat::DISTRIBUTION_PROP {
                    distributions.insert(node);
                } else if p == dct::PUBLISHER || p == dct::CREATOR || p == dcat::CONTACT_POINT {
                    agents.insert(node);
                }
            }
            _ => {}
        }
    }
    // Distributions lend their formats and licences to the record.
    for t in triples
        .iter()
        .filter(|t| distributions.contains(&t.subject))
    {
        let p = t.predicate.as_ref();
        let value = match &t.object {
            Term::NamedNode(n) => Some(n.as_str().to_owned()),
            Term::Literal(l) if p == dct::FORMAT || p == dcat::MEDIA_TYPE => Some(nfc(l.value())),
            _ => None,
        };
        if let Some(v) = value {
            if p == dct::FORMAT || p == dcat::MEDIA_TYPE {
                if !doc.formats.contains(&v) {
                    doc.formats.push(v);
                }
            } else if p == dct::LICENSE && !doc.licenses.contains(&v) {
                doc.licenses.push(v);
            }
        }
    }
    // Names of publishers and contacts come first among the other texts.
    for t in triples.iter().filter(|t| agents.contains(&t.subject)) {
        if let Term::Literal(l) = &t.object
            && (t.predicate == foaf::NAME
                || t.predicate == vcard::FN
                || t.predicate == skos::PREF_LABEL)
        {
            doc.other.push(nfc(l.value()));
        }
    }
    // Labels of the codes it uses: its own word first, the code lists' otherwise.
    let mut coded: Vec<&String> = Vec::new();
    coded.extend(&doc.themes);
    coded.extend(&doc.formats);
    coded.extend(&doc.licenses);
    coded.extend(&doc.frequencies);
    coded.extend(&doc.spatial);
    let mut labelled: HashSet<&str> = HashSet::new();
    for t in triples {
        if let (NamedOrBlankNode::NamedNode(n), Term::Literal(_)) = (&t.subject, &t.object)
            && (t.predicate == skos::PREF_LABEL || t.predicate == foaf::NAME)
            && coded.iter().any(|c| c.as_str() == n.as_str())
        {
            labelled.insert(n.as_str());
        }
    }
    for c in &coded {
        if !labelled.contains(c.as_str())
            && let Some(ls) = labels.get(c.as_str())
        {
            doc.other.extend(ls.iter().map(|(_, s)| s.clone()));
        } else if let Some(code) = c.rsplit(['/', '#']).next()
            && !code.is_empty()
            && c.contains("://")
        {
            doc.other.push(code.to_owned());
        }
    }
    // Every other plain or language-tagged text anywhere in the description.
    for t in triples {
        if t.predicate == rdf::TYPE {
            continue;
        }
        if let Term::Literal(l) = &t.object {
            let dt = l.datatype();
            if l.language().is_none() && dt != oxigraph::model::vocab::xsd::STRING {
                continue;
            }
            let s = nfc(l.value());
            let key = (subject_key(&t.subject), s.clone());
            if used.contains(&key) || s.starts_with("http://") || s.starts_with("https://") {
                continue;
            }
            used.insert(key);
            if !doc.other.contains(&s) {
                doc.other.push(s);
            }
        }
    }
    doc
}

fn subject_key(s: &NamedOrBlankNode) -> String {
    match s {
        NamedOrBlankNode::NamedNode(n) => n.as_str().to_owned(),
        NamedOrBlankNode::BlankNode(b) => format!("_:{}", b.as_str()),
    }
}

/// Labels, by IRI, of the code lists shipped with the registry and of the EU data themes,
/// as `(language tag, label)`.
pub fn labels() -> &'static HashMap<String, Vec<(String, String)>> {
    static LABELS: OnceLock<HashMap<String, Vec<(String, String)>>> = OnceLock::new();
    LABELS.get_or_init(|| {
        let mut map: HashMap<String, Vec<(String, String)>> = HashMap::new();
        for (_, ttl) in vocab::CODELISTS {
            for q in RdfParser::from_format(RdfFormat::Turtle).for_slice(ttl.as_bytes()) {
                let Ok(q) = q else { continue };
                if let (NamedOrBlankNode::NamedNode(s), Term::Literal(l)) = (&q.subject, &q.object)
                    && q.predicate == skos::PREF_LABEL
                {
                    map.entry(s.as_str().to_owned()).or_default().push((
                        l.language().unwrap_or("").to_owned(),
                        l.value().nfc().collect(),
                    ));
                }
            }
        }
        for (code, vi, en) in DATA_THEMES {
            map.insert(
                format!("{}{code}", crate::enrich::DATA_THEME),
                vec![("vi".into(), (*vi).into()), ("en".into(), (*en).into())],
            );
        }
        map
    })
}

/// What to call an IRI no code list labels: an IANA media type by its type (`text/csv`),
/// anything else by its last path segment.
pub fn short_label(iri: &str) -> String {
    if let Some((_, media)) = iri.split_once("/assignments/media-types/") {
        return media.trim_end_matches('/').to_owned();
    }
    iri.trim_end_matches('/')
        .rsplit(['/', '#'])
        .next()
        .filter(|s| !s.is_empty())
        .unwrap_or(iri)
        .to_owned()
}

/// The label of a code in `lang` (else Vietnamese, else any), if the registry knows it.
pub fn label(iri: &str, lang: &str) -> Option<&'static str> {
    labels().get(iri).and_then(|ls| pick(ls, lang))
}

/// Marks with `<em>` the words of `text` that a query finds — the same word once folded, or
/// the query's last word as a prefix (typing) — HTML-escaped, cut to about `window`
/// characters around the first match. `None` when no word matches.
pub fn highlight(text: &str, q: &str, window: usize) -> Option<String> {
    let wanted: Vec<String> = vocab::text::fold(q)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect();
    let last = wanted.last()?.clone();
    let text: String = text.nfc().collect();
    // Alternating runs of word and non-word characters, with whether each is a hit.
    let mut runs: Vec<(String, bool)> = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let flush = |cur: &mut String, in_word: bool, runs: &mut Vec<(String, bool)>| {
        if cur.is_empty() {
            return;
        }
        let hit = in_word && {
            let f = vocab::text::fold(cur);
            wanted.contains(&f) || f.starts_with(&last)
        };
        runs.push((std::mem::take(cur), hit));
    };
    for c in text.chars() {
        let w = c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c);
        if w != in_word {
            flush(&mut cur, in_word, &mut runs);
            in_word = w;
        }
        cur.push(c);
    }
    flush(&mut cur, in_word, &mut runs);
    let first = runs.iter().position(|(_, h)| *h)?;
    // Start a few runs before the first hit when the text is longer than the window.
    let total: usize = runs.iter().map(|(r, _)| r.chars().count()).sum();
    let mut start = 0;
    if total > window {
        let mut back = 0;
        start = first;
        while start > 0 && back < window / 4 {
            start -= 1;
            back += runs[start].0.chars().count();
        }
    }
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    let mut len = 0;
    for (r, hit) in &runs[start..] {
        if len > window {
            out.push('…');
            break;
        }
        len += r.chars().count();
        let esc = escape(r);
        if *hit {
            out.push_str("<em>");
            out.push_str(&esc);
            out.push_str("</em>");
        } else {
            out.push_str(&esc);
        }
    }
    Some(out)
}

fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '&' => o.push_str("&amp;"),
            '"' => o.push_str("&quot;"),
            c => o.push(c),
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    fn triples(ttl: &str) -> Vec<Triple> {
        RdfParser::from_format(RdfFormat::Turtle)
            .for_slice(ttl.as_bytes())
            .map(|q| Triple::from(q.unwrap()))
            .collect()
    }

    #[test]
    fn a_dataset_gives_its_texts_codes_and_the_labels_of_its_codes() {
        let t = triples(
            r#"@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
            @prefix foaf: <http://xmlns.com/foaf/0.1/> .
            <https://r.example/datasets/1> a dcat:Dataset ;
              dct:title "Danh sách trường học"@vi, "List of schools"@en ;
              dct:description "Các trường phổ thông trên địa bàn tỉnh."@vi ;
              dcat:keyword "giáo dục"@vi ;
              dcat:theme <http://publications.europa.eu/resource/authority/data-theme/EDUC> ;
              dct:accrualPeriodicity <http://publications.europa.eu/resource/authority/frequency/ANNUAL> ;
              dct:publisher <https://r.example/agencies/so-gd> ;
              dct:modified "2026-03-01"^^<http://www.w3.org/2001/XMLSchema#date> ;
              dcat:distribution [ dct:format <http://publications.europa.eu/resource/authority/file-type/CSV> ;
                                  dct:title "Tệp CSV"@vi ] .
            <https://r.example/agencies/so-gd> foaf:name "Sở Giáo dục và Đào tạo"@vi ."#,
        );
        let d = search_doc("https://r.example/datasets/1", &t);
        assert_eq!(d.title("en"), Some("List of schools"));
        assert_eq!(d.title("fr"), Some("Danh sách trường học"));
        assert_eq!(d.keywords, vec!["giáo dục"]);
        assert_eq!(
            d.formats,
            vec!["http://publications.europa.eu/resource/authority/file-type/CSV"]
        );
        assert!(
            d.other.iter().any(|s| s == "Sở Giáo dục và Đào tạo"),
            "{:?}",
            d.other
        );
        assert!(d.other.iter().any(|s| s == "Giáo dục, văn hóa và thể thao"));
        assert!(d.other.iter().any(|s| s == "Tệp CSV"));
        assert!(d.modified.is_some());
        // Its own title is not repeated among the other texts.
        assert!(!d.other.iter().any(|s| s == "List of schools"));
    }

    #[test]
    fn highlights_mark_folded_and_prefix_matches_and_escape_the_rest() {
        assert_eq!(
            highlight("Danh sách <Trường> học", "truong hoc", 200).as_deref(),
            Some("Danh sách &lt;<em>Trường</em>&gt; <em>học</em>")
        );
        assert_eq!(
            highlight("Giao thông vận tải", "giao th", 200).as_deref(),
            Some("<em>Giao</em> <em>thông</em> vận tải")
        );
        assert_eq!(highlight("Y tế", "giáo dục", 200), None);
        let long = format!("{} trường học {}", "a ".repeat(300), "b ".repeat(300));
        let h = highlight(&long, "trường", 80).unwrap();
        assert!(
            h.starts_with('…') && h.ends_with('…') && h.contains("<em>trường</em>"),
            "{h}"
        );
        assert!(h.chars().count() < 140, "{h}");
    }

    #[test]
    fn decomposed_input_is_kept_composed() {
        let nfd: String = "Trường học".nfd().collect();
        let t = triples(&format!(
            r#"<https://r.example/datasets/2> <http://purl.org/dc/terms/title> "{nfd}"@vi ."#
        ));
        let d = search_doc("https://r.example/datasets/2", &t);
        assert_eq!(d.title("vi"), Some("Trường học"));
    }

    #[test]
    fn codes_without_a_label_are_named_readably() {
        assert_eq!(
            short_label("https://www.iana.org/assignments/media-types/text/csv"),
            "text/csv"
        );
        assert_eq!(short_label("http://x/a#Thing"), "Thing");
        assert_eq!(short_label("http://x/licences/by/"), "by");
        assert_eq!(
            label("http://creativecommons.org/licenses/by/4.0/", "vi"),
            Some("Creative Commons Ghi công 4.0 (CC BY 4.0)")
        );
        assert_eq!(
            label("https://w3id.org/dcat-vn/codelist/province/80", "vi"),
            Some("Tây Ninh")
        );
    }
}
