//! Limits that outside input is checked against *before* a parser or evaluator sees it.
//!
//! The RDF parsers and the SPARQL parser we use are correct but not built for hostile input:
//! deep nesting recurses (a 10 KB SPARQL query of nested parentheses overflows a thread's
//! stack, which aborts the whole process), RDF/XML expands internal entities without bound
//! (a 1 KB "billion laughs" document grows to gigabytes), and deep RDF/XML costs quadratic
//! time. A stack overflow cannot be caught in Rust, so these checks run first, in linear time
//! and constant stack, over the raw bytes: they know just enough of each syntax (strings,
//! IRIs, comments) to count brackets and elements where the parser would.

use oxrdfio::RdfFormat;
use std::collections::HashMap;

/// The limits a document or query is held to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Deepest nesting of brackets (Turtle, TriG, JSON-LD, SPARQL: `(`, `[`, `{`) or elements
    /// (RDF/XML). Real metadata nests a handful of levels; parsers recurse per level.
    pub max_depth: usize,
    /// Total bytes that RDF/XML internal entity references may expand to in one document.
    pub max_entity_bytes: usize,
    /// Most triples one record's description may have (a catalogue listing 18,000 datasets
    /// has about as many; a dataset a few dozen).
    pub max_record_triples: usize,
    /// Largest literal in a record, in bytes (a description is a few kilobytes).
    pub max_literal_bytes: usize,
    /// Most operators one SPARQL query may chain (`+ - * / | || && = < >`, `UNION`,
    /// `OPTIONAL`, `MINUS`, groups): each adds a level to the syntax tree the parser and
    /// evaluator recurse over, even without brackets.
    pub max_query_operators: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: DEFAULT_MAX_DEPTH,
            max_entity_bytes: DEFAULT_MAX_ENTITY_BYTES,
            max_record_triples: DEFAULT_MAX_RECORD_TRIPLES,
            max_literal_bytes: DEFAULT_MAX_LITERAL_BYTES,
            max_query_operators: DEFAULT_MAX_QUERY_OPERATORS,
        }
    }
}

static CONFIGURED: std::sync::OnceLock<Limits> = std::sync::OnceLock::new();

/// Sets the process's limits (from the command line), once, before any input is read.
pub fn configure(limits: Limits) {
    let _ = CONFIGURED.set(limits);
}

/// The process's limits: as configured, else the defaults.
pub fn limits() -> Limits {
    CONFIGURED.get().copied().unwrap_or_default()
}

/// Default for [`Limits::max_depth`].
pub const DEFAULT_MAX_DEPTH: usize = 64;
/// Default for [`Limits::max_entity_bytes`] (1 MiB).
pub const DEFAULT_MAX_ENTITY_BYTES: usize = 1024 * 1024;
/// Default for [`Limits::max_record_triples`].
pub const DEFAULT_MAX_RECORD_TRIPLES: usize = 250_000;
/// Default for [`Limits::max_query_operators`].
pub const DEFAULT_MAX_QUERY_OPERATORS: usize = 2_000;
/// Default for [`Limits::max_literal_bytes`] (1 MiB).
pub const DEFAULT_MAX_LITERAL_BYTES: usize = 1024 * 1024;

/// Which limit was exceeded, or that the input is malformed in a way the check noticed first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitKind {
    /// Nesting deeper than [`Limits::max_depth`].
    Depth,
    /// Entity expansion beyond [`Limits::max_entity_bytes`], or an entity defined by others.
    Entities,
    /// Not well-formed (RDF/XML: unclosed or mismatched elements).
    Malformed,
}

/// Why input was refused before parsing.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
#[error("{message}")]
pub struct LimitError {
    /// What was exceeded.
    pub kind: LimitKind,
    /// One line, naming the limit and where it was hit.
    pub message: String,
    /// (line, column) from 1, where the limit was hit.
    pub position: Option<(u64, u64)>,
}

/// Checks an RDF document in `format` against `limits`.
pub fn check_rdf(body: &[u8], format: RdfFormat, limits: &Limits) -> Result<(), LimitError> {
    match format {
        RdfFormat::RdfXml => check_xml(body, limits),
        RdfFormat::JsonLd { .. } => check_brackets(body, Syntax::Json, limits.max_depth),
        _ => check_brackets(body, Syntax::Turtle, limits.max_depth),
    }
}

/// Checks a SPARQL query's nesting and operator chains against `limits`.
pub fn check_sparql(query: &str, limits: &Limits) -> Result<(), LimitError> {
    check_brackets(query.as_bytes(), Syntax::Sparql, limits.max_depth)?;
    let n = count_operators(query.as_bytes());
    if n > limits.max_query_operators {
        return Err(LimitError {
            kind: LimitKind::Depth,
            message: format!(
                "the query chains {n} operators, groups and UNION/OPTIONAL/MINUS, over the limit of {}",
                limits.max_query_operators
            ),
            position: None,
        });
    }
    Ok(())
}

/// How many operators, groups and UNION/OPTIONAL/MINUS a query chains: a measure of its
/// syntax tree's size, for callers that treat large trees differently (the SPARQL endpoint
/// skips the query optimiser above a threshold: its planning time grows with the cube of
/// a path or OPTIONAL chain, and planning cannot be cancelled).
pub fn sparql_operators(query: &str) -> usize {
    count_operators(query.as_bytes())
}

/// Operators and keywords that chain into deeper syntax trees, outside strings, IRIs and
/// comments. Over-counts a little (a `-` inside a prefixed name after a digit), never under.
fn count_operators(text: &[u8]) -> usize {
    let mut n = 0usize;
    let mut i = 0usize;
    while i < text.len() {
        let c = text[i];
        match c {
            b'"' | b'\'' => {
                i = string_end(text, i, c, true);
                continue;
            }
            b'#' => {
                while i < text.len() && text[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'<' => {
                if let Some(end) = iri_end(text, i) {
                    i = end + 1;
                    continue;
                }
                n += 1;
            }
            b'+' | b'*' | b'/' | b'|' | b'&' | b'=' | b'>' | b'^' | b'{' => n += 1,
            b'-' => {
                let prev = i.checked_sub(1).map(|p| text[p]);
                if !prev.is_some_and(|p| p.is_ascii_alphabetic() || p == b'_' || p == b':') {
                    n += 1;
                }
            }
            c if c.is_ascii_alphabetic() => {
                let start = i;
                while i < text.len() && (text[i].is_ascii_alphanumeric() || text[i] == b'_') {
                    i += 1;
                }
                let word = &text[start..i];
                // Keywords only as whole words (not inside prefixed names or variables).
                let before = start.checked_sub(1).map(|p| text[p]);
                let after = text.get(i).copied();
                let standalone =
                    !before.is_some_and(|b| matches!(b, b':' | b'?' | b'$')) && after != Some(b':');
                if standalone
                    && ["UNION", "OPTIONAL", "MINUS"]
                        .iter()
                        .any(|k| word.eq_ignore_ascii_case(k.as_bytes()))
                {
                    n += 1;
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    n
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Syntax {
    /// Turtle, TriG, N-Triples, N-Quads: `#` comments, `<…>` IRIs, `<<`/`>>` quoted triples,
    /// single and triple quotes.
    Turtle,
    /// SPARQL: as Turtle, but `<` is also an operator.
    Sparql,
    /// JSON: double-quoted strings only.
    Json,
}

/// Line and column (from 1) of byte offset `at`.
fn line_col(text: &[u8], at: usize) -> (u64, u64) {
    let before = &text[..at.min(text.len())];
    let line = before.iter().filter(|b| **b == b'\n').count() as u64 + 1;
    let col_start = before
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |p| p + 1);
    // Columns count characters, not bytes (Vietnamese text is mostly multi-byte).
    let col = String::from_utf8_lossy(&before[col_start..])
        .chars()
        .count() as u64
        + 1;
    (line, col)
}

fn too_deep(text: &[u8], at: usize, max: usize, what: &str) -> LimitError {
    let position = line_col(text, at);
    LimitError {
        kind: LimitKind::Depth,
        message: format!(
            "{what} nest deeper than the limit of {max} levels at line {}, column {}",
            position.0, position.1
        ),
        position: Some(position),
    }
}

/// Whether an IRI reference `<…>` starts at `i` (SPARQL also uses `<` for "less than").
fn iri_end(text: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    while j < text.len() {
        match text[j] {
            b'>' => return Some(j),
            b'<' | b'"' | b'{' | b'}' | b'|' | b'^' | b'`' | b'\\' => return None,
            c if c <= b' ' => return None,
            _ => j += 1,
        }
    }
    None
}

/// The index just past a string literal opening at `i` (quote `q`, maybe tripled).
fn string_end(text: &[u8], i: usize, q: u8, triple_quotes: bool) -> usize {
    let long = triple_quotes && text.get(i..i + 3) == Some(&[q, q, q][..]);
    let mut j = if long { i + 3 } else { i + 1 };
    while j < text.len() {
        match text[j] {
            b'\\' => j += 2,
            c if c == q => {
                if !long {
                    return j + 1;
                }
                if text.get(j..j + 3) == Some(&[q, q, q][..]) {
                    return j + 3;
                }
                j += 1;
            }
            // A short string ends at the line (the parser reports the error).
            b'\n' | b'\r' if !long => return j,
            _ => j += 1,
        }
    }
    text.len()
}

fn check_brackets(text: &[u8], syntax: Syntax, max: usize) -> Result<(), LimitError> {
    let what = match syntax {
        Syntax::Json => "JSON arrays and objects",
        Syntax::Sparql => "the query's brackets, groups and sub-queries",
        Syntax::Turtle => "collections, blank nodes and graphs",
    };
    let mut depth = 0usize;
    let mut i = 0usize;
    while i < text.len() {
        let c = text[i];
        match c {
            b'"' => {
                i = string_end(text, i, b'"', syntax != Syntax::Json);
                continue;
            }
            b'\'' if syntax != Syntax::Json => {
                i = string_end(text, i, b'\'', true);
                continue;
            }
            b'#' if syntax != Syntax::Json => {
                while i < text.len() && text[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'<' if syntax != Syntax::Json => {
                if text.get(i + 1) == Some(&b'<') {
                    // `<<` opens a quoted triple (RDF-star); in SPARQL it may also be two
                    // "less than"s, which cannot nest, so counting it is harmless.
                    depth += 1;
                    if depth > max {
                        return Err(too_deep(text, i, max, what));
                    }
                    i += 2;
                    continue;
                }
                if let Some(end) = iri_end(text, i) {
                    i = end + 1;
                    continue;
                }
            }
            b'>' if syntax != Syntax::Json && text.get(i + 1) == Some(&b'>') => {
                depth = depth.saturating_sub(1);
                i += 2;
                continue;
            }
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return Err(too_deep(text, i, max, what));
                }
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    Ok(())
}

/// RDF/XML: element depth, internal entities (each one's expansion and every reference's,
/// summed), and elements left open at the end (which the parser reports only as "no triples").
fn check_xml(body: &[u8], limits: &Limits) -> Result<(), LimitError> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(body);
    reader.config_mut().check_end_names = true;
    let mut depth = 0usize;
    // Expanded length of each internal entity, as oxrdfxml expands them (definitions resolve
    // earlier entities when declared).
    let mut entities: HashMap<String, usize> = HashMap::new();
    let mut doctype_end = 0usize;
    let mut open_at: Vec<usize> = Vec::new();
    loop {
        let before = reader.buffer_position() as usize;
        match reader.read_event() {
            Ok(Event::Start(_)) => {
                depth += 1;
                if depth > limits.max_depth {
                    return Err(too_deep(body, before, limits.max_depth, "XML elements"));
                }
                if open_at.len() < limits.max_depth {
                    open_at.push(before);
                }
            }
            Ok(Event::End(_)) => {
                depth = depth.saturating_sub(1);
                open_at.pop();
            }
            Ok(Event::DocType(dt)) => {
                let text = String::from_utf8_lossy(dt.as_ref()).into_owned();
                entities = entity_lengths(&text, limits).map_err(|message| LimitError {
                    kind: LimitKind::Entities,
                    position: Some(line_col(body, before)),
                    message,
                })?;
                doctype_end = reader.buffer_position() as usize;
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => {
                let at = reader.error_position() as usize;
                let (line, col) = line_col(body, at);
                return Err(LimitError {
                    kind: LimitKind::Malformed,
                    message: format!(
                        "RDF/XML is not well-formed at line {line}, column {col}: {e}"
                    ),
                    position: Some((line, col)),
                });
            }
        }
    }
    if depth > 0 {
        let at = open_at.last().copied().unwrap_or(0);
        let (line, col) = line_col(body, at);
        return Err(LimitError {
            kind: LimitKind::Malformed,
            message: format!(
                "RDF/XML ends with {depth} element(s) still open; the innermost opens at line {line}, column {col}"
            ),
            position: Some((line, col)),
        });
    }
    if !entities.is_empty() {
        let total = references_expand_to(&body[doctype_end..], &entities);
        if total > limits.max_entity_bytes {
            return Err(LimitError {
                kind: LimitKind::Entities,
                message: format!(
                    "RDF/XML entity references expand to {total} bytes, over the limit of {} bytes",
                    limits.max_entity_bytes
                ),
                position: None,
            });
        }
    }
    Ok(())
}

/// The expanded length of each `<!ENTITY name "value">` in a DOCTYPE, read as oxrdfxml reads
/// them. Fails as soon as one grows past the limit (nested definitions multiply).
fn entity_lengths(doctype: &str, limits: &Limits) -> Result<HashMap<String, usize>, String> {
    let mut out: HashMap<String, usize> = HashMap::new();
    for part in doctype.split('<').skip(1) {
        let Some(rest) = part.strip_prefix("!ENTITY") else {
            continue;
        };
        let rest = rest.trim_start().strip_prefix('%').unwrap_or(rest);
        let Some((name, rest)) = rest
            .trim_start()
            .split_once(|c: char| c.is_ascii_whitespace())
        else {
            continue;
        };
        let Some(value) = rest
            .trim_start()
            .strip_prefix('"')
            .and_then(|v| v.split_once('"'))
            .map(|(v, _)| v)
        else {
            continue;
        };
        let len = expanded_len(value.as_bytes(), &out);
        if len > limits.max_entity_bytes {
            return Err(format!(
                "RDF/XML entity '{name}' expands to {len} bytes, over the limit of {} bytes",
                limits.max_entity_bytes
            ));
        }
        out.insert(name.to_owned(), len);
    }
    Ok(out)
}

/// Length of `text` with known entity references replaced by their expansion (saturating).
fn expanded_len(text: &[u8], entities: &HashMap<String, usize>) -> usize {
    let mut len = 0usize;
    let mut i = 0usize;
    while i < text.len() {
        if text[i] == b'&'
            && let Some(semi) = text[i + 1..].iter().take(256).position(|b| *b == b';')
        {
            let name = &text[i + 1..i + 1 + semi];
            if let Some(n) = std::str::from_utf8(name).ok().and_then(|n| entities.get(n)) {
                len = len.saturating_add(*n);
                i += semi + 2;
                continue;
            }
        }
        len = len.saturating_add(1);
        i += 1;
    }
    len
}

/// What the references to custom entities in `text` add when expanded.
fn references_expand_to(text: &[u8], entities: &HashMap<String, usize>) -> usize {
    let mut total = 0usize;
    let mut i = 0usize;
    while i < text.len() {
        if text[i] == b'&'
            && let Some(semi) = text[i + 1..].iter().take(256).position(|b| *b == b';')
        {
            let name = &text[i + 1..i + 1 + semi];
            if let Some(n) = std::str::from_utf8(name).ok().and_then(|n| entities.get(n)) {
                total = total.saturating_add(*n);
                i += semi + 2;
                continue;
            }
        }
        i += 1;
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> Limits {
        Limits::default()
    }

    #[test]
    fn deep_turtle_collections_are_refused_with_their_position() {
        let deep = format!(
            "@prefix ex: <http://ex/> .\nex:s ex:p {}1{} .",
            "( ".repeat(10_000),
            " )".repeat(10_000)
        );
        let e = check_rdf(deep.as_bytes(), RdfFormat::Turtle, &limits()).expect_err("too deep");
        assert_eq!(e.kind, LimitKind::Depth);
        assert_eq!(e.position, Some((2, 11 + 2 * 64)));
        let fine = format!("ex:s ex:p {}1{} .", "( ".repeat(64), " )".repeat(64));
        check_rdf(fine.as_bytes(), RdfFormat::Turtle, &limits()).expect("64 levels pass");
    }

    #[test]
    fn brackets_inside_strings_iris_and_comments_do_not_count() {
        let text = format!(
            "<http://ex/s((((> <http://ex/p> \"{}\" , '''{}''' . # {}\n",
            "(".repeat(500),
            "[\n".repeat(500),
            "{".repeat(500)
        );
        check_rdf(text.as_bytes(), RdfFormat::Turtle, &limits()).expect("not nesting");
        let json = format!("{{\"a\": \"{}\"}}", "[".repeat(500));
        check_rdf(
            json.as_bytes(),
            RdfFormat::JsonLd {
                profile: Default::default(),
            },
            &limits(),
        )
        .expect("json string");
        let deep_json = format!("{}{}", "[".repeat(65), "]".repeat(65));
        assert_eq!(
            check_rdf(
                deep_json.as_bytes(),
                RdfFormat::JsonLd {
                    profile: Default::default()
                },
                &limits()
            )
            .expect_err("deep")
            .kind,
            LimitKind::Depth
        );
    }

    #[test]
    fn sparql_nesting_is_counted_but_less_than_is_not_an_iri() {
        let q = format!(
            "SELECT * WHERE {{ ?s ?p ?o FILTER({}?o{}) }}",
            "(".repeat(5_000),
            ")".repeat(5_000)
        );
        assert_eq!(
            check_sparql(&q, &limits()).expect_err("deep").kind,
            LimitKind::Depth
        );
        let q = "SELECT * WHERE { ?s <http://ex/p> ?o FILTER(?o < 3 && ?o > 1) } # ((((";
        check_sparql(q, &limits()).expect("ordinary query");
        let groups = format!("SELECT * {}{}", "{ ".repeat(65), "}".repeat(65));
        assert!(check_sparql(&groups, &limits()).is_err());
        let paths = format!(
            "SELECT * {{ ?s {}<p>{} ?o }}",
            "(".repeat(20_000),
            ")".repeat(20_000)
        );
        assert!(check_sparql(&paths, &limits()).is_err());
        // Chains without brackets are deep trees too.
        for chain in [
            format!("SELECT ((1{}) AS ?n) {{}}", "+1".repeat(2_001)),
            format!("SELECT * {{ ?s <p>{} ?o }}", "/<p>".repeat(2_001)),
            format!(
                "SELECT * {{ {{?s ?p ?o}}{} }}",
                " union {?s ?p ?o}".repeat(1_001)
            ),
            format!(
                "SELECT * {{ ?s ?p ?o{} }}",
                " OPTIONAL {?s ?p ?o}".repeat(1_001)
            ),
        ] {
            let e = check_sparql(&chain, &limits()).expect_err("chain");
            assert!(e.message.contains("operators"), "{e}");
        }
        // Ordinary queries are far below: prefixed names with hyphens, variables named like
        // keywords, operators inside strings and IRIs do not count.
        let q = "PREFIX dcat-ap: <http://data.europa.eu/r5r/> SELECT ?union ?minus WHERE { ?union dcat-ap:a-b ?minus . FILTER(?minus = \"a+b|c/d\" || ?union > 3) OPTIONAL { ?union <http://ex/a/b+c> ?x } }";
        assert!(
            count_operators(q.as_bytes()) < 12,
            "{}",
            count_operators(q.as_bytes())
        );
        check_sparql(q, &limits()).expect("ordinary");
    }

    #[test]
    fn rdfxml_entity_bombs_are_refused() {
        let mut doctype = String::from("<!DOCTYPE rdf:RDF [\n<!ENTITY a \"aaaaaaaaaa\">\n");
        let mut prev = "a".to_owned();
        for n in 0..9 {
            let name = format!("e{n}");
            doctype.push_str(&format!(
                "<!ENTITY {name} \"{}\">\n",
                format!("&{prev};").repeat(10)
            ));
            prev = name;
        }
        doctype.push_str("]>\n");
        let doc = format!(
            "<?xml version=\"1.0\"?>\n{doctype}<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns:dct=\"http://purl.org/dc/terms/\"><rdf:Description rdf:about=\"http://ex/d\"><dct:title>&{prev};</dct:title></rdf:Description></rdf:RDF>"
        );
        let e = check_rdf(doc.as_bytes(), RdfFormat::RdfXml, &limits()).expect_err("bomb");
        assert_eq!(e.kind, LimitKind::Entities, "{e}");
        // Many references to one modest entity add up too.
        let doc = format!(
            "<!DOCTYPE rdf:RDF [<!ENTITY x \"{}\">]><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><rdf:Description rdf:about=\"http://ex/d\"><rdf:value>{}</rdf:value></rdf:Description></rdf:RDF>",
            "x".repeat(1000),
            "&x;".repeat(2000)
        );
        assert_eq!(
            check_rdf(doc.as_bytes(), RdfFormat::RdfXml, &limits())
                .expect_err("sum")
                .kind,
            LimitKind::Entities
        );
        // Namespace abbreviations, as OWL files use them, pass.
        let doc = "<!DOCTYPE rdf:RDF [<!ENTITY dct \"http://purl.org/dc/terms/\">]><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><rdf:Description rdf:about=\"&dct;x\"/></rdf:RDF>";
        check_rdf(doc.as_bytes(), RdfFormat::RdfXml, &limits()).expect("abbreviations");
    }

    #[test]
    fn rdfxml_depth_and_unclosed_elements() {
        let deep = format!(
            "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">{}{}</rdf:RDF>",
            "<a>".repeat(100_000),
            "</a>".repeat(100_000)
        );
        assert_eq!(
            check_rdf(deep.as_bytes(), RdfFormat::RdfXml, &limits())
                .expect_err("deep")
                .kind,
            LimitKind::Depth
        );
        let unclosed = "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n  <rdf:Description rdf:about=\"http://ex/d\">";
        let e = check_rdf(unclosed.as_bytes(), RdfFormat::RdfXml, &limits()).expect_err("open");
        assert_eq!(e.kind, LimitKind::Malformed);
        assert_eq!(e.position, Some((2, 3)), "{e}");
    }

    #[test]
    fn positions_count_characters() {
        let text = "\"Tiếng Việt\" ((";
        assert_eq!(line_col(text.as_bytes(), text.len() - 1), (1, 15));
    }
}
