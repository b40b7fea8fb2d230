//! How to cite a record (R10: source, agency, title, IRI, version and the time of retrieval):
//! a Vietnamese style, APA 7 for data sets, BibTeX and RIS. Pure text from what the caller
//! read; the record page shows the first two and the citation API serves all four.

use chrono::{DateTime, FixedOffset, NaiveDate};

/// What a citation says.
#[derive(Debug, Clone)]
pub struct Citable {
    /// The record's title (in the language of the citation's reader).
    pub title: String,
    /// The publishing agency's name.
    pub agency: String,
    /// The year the description says it was issued, else the year it entered the registry.
    pub year: i32,
    /// The registry's version number of the record.
    pub version: i64,
    /// The record's IRI.
    pub iri: String,
    /// The catalogue it was found in ("Danh mục dữ liệu mở tỉnh Tây Ninh").
    pub source: String,
    /// `dataset` or `dataservice` (or another kind name).
    pub kind: String,
    /// When it was read, in Vietnam's time.
    pub retrieved: DateTime<FixedOffset>,
}

/// The citation styles.
pub const STYLES: [&str; 4] = ["vi", "apa", "bibtex", "ris"];

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn day(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

fn kind_vi(kind: &str) -> &'static str {
    match kind {
        "dataservice" => "Dịch vụ dữ liệu",
        "catalog" => "Danh mục dữ liệu",
        _ => "Bộ dữ liệu",
    }
}

fn kind_en(kind: &str) -> &'static str {
    match kind {
        "dataservice" => "Data service",
        "catalog" => "Data catalogue",
        _ => "Data set",
    }
}

/// BibTeX's special characters escaped (braces, backslash, percent, ampersand, hash, dollar,
/// underscore, tilde and caret); Vietnamese letters stay UTF-8, as biblatex reads them.
fn bib(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' | '}' | '%' | '&' | '#' | '$' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// RIS fields are one line each.
fn line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The citation of `c` in `style` (one of [`STYLES`]); `None` for an unknown style.
pub fn cite(c: &Citable, style: &str) -> Option<String> {
    let read = c.retrieved.date_naive();
    Some(match style {
        "vi" => format!(
            "{}. ({}). {} (phiên bản {}) [{}]. {}. {} (truy cập ngày {}).",
            c.agency,
            c.year,
            c.title,
            c.version,
            kind_vi(&c.kind),
            c.source,
            c.iri,
            day(read)
        ),
        "apa" => {
            use chrono::Datelike;
            format!(
                "{}. ({}). {} (Version {}) [{}]. {}. Retrieved {} {}, {}, from {}",
                c.agency,
                c.year,
                c.title,
                c.version,
                kind_en(&c.kind),
                c.source,
                MONTHS[read.month0() as usize],
                read.day(),
                read.year(),
                c.iri
            )
        }
        "bibtex" => {
            let key: String = c
                .iri
                .rsplit('/')
                .next()
                .unwrap_or("record")
                .chars()
                .filter(|ch| ch.is_ascii_alphanumeric() || *ch == '-')
                .collect();
            format!(
                "@misc{{danhmuc-{key},\n  author = {{{{{}}}}},\n  title = {{{}}},\n  year = {{{}}},\n  version = {{{}}},\n  howpublished = {{{}}},\n  publisher = {{{}}},\n  url = {{{}}},\n  urldate = {{{}}}\n}}\n",
                bib(&c.agency),
                bib(&c.title),
                c.year,
                c.version,
                kind_en(&c.kind),
                bib(&c.source),
                c.iri,
                read.format("%Y-%m-%d")
            )
        }
        "ris" => format!(
            "TY  - DATA\r\nAU  - {}\r\nTI  - {}\r\nPY  - {}\r\nET  - {}\r\nM3  - {}\r\nPB  - {}\r\nUR  - {}\r\nY2  - {}\r\nER  - \r\n",
            line(&c.agency),
            line(&c.title),
            c.year,
            c.version,
            kind_en(&c.kind),
            line(&c.source),
            c.iri,
            read.format("%Y/%m/%d")
        ),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Citable {
        Citable {
            title: "Danh sách trường học {THPT} & 100%".to_owned(),
            agency: "Sở Giáo dục và Đào tạo".to_owned(),
            year: 2025,
            version: 3,
            iri: "https://opendata.tayninh.gov.vn/datasets/0193-ab".to_owned(),
            source: "Danh mục dữ liệu mở tỉnh Tây Ninh".to_owned(),
            kind: "dataset".to_owned(),
            retrieved: DateTime::parse_from_rfc3339("2026-12-04T08:30:00+07:00").expect("time"),
        }
    }

    #[test]
    fn each_style_names_source_agency_title_iri_version_and_retrieval() {
        let c = sample();
        let vi = cite(&c, "vi").expect("vi");
        assert_eq!(
            vi,
            "Sở Giáo dục và Đào tạo. (2025). Danh sách trường học {THPT} & 100% (phiên bản 3) [Bộ dữ liệu]. Danh mục dữ liệu mở tỉnh Tây Ninh. https://opendata.tayninh.gov.vn/datasets/0193-ab (truy cập ngày 04/12/2026)."
        );
        let apa = cite(&c, "apa").expect("apa");
        assert!(
            apa.ends_with(
                "Retrieved December 4, 2026, from https://opendata.tayninh.gov.vn/datasets/0193-ab"
            ),
            "{apa}"
        );
        assert!(apa.contains("(Version 3) [Data set]"), "{apa}");
        let bib = cite(&c, "bibtex").expect("bibtex");
        assert!(bib.starts_with("@misc{danhmuc-0193-ab,"), "{bib}");
        assert!(bib.contains("author = {{Sở Giáo dục và Đào tạo}}"), "{bib}");
        assert!(
            bib.contains(r"title = {Danh sách trường học \{THPT\} \& 100\%}"),
            "{bib}"
        );
        assert!(bib.contains("urldate = {2026-12-04}"), "{bib}");
        let ris = cite(&c, "ris").expect("ris");
        assert!(
            ris.starts_with("TY  - DATA\r\n") && ris.ends_with("ER  - \r\n"),
            "{ris}"
        );
        assert!(
            ris.contains("Y2  - 2026/12/04\r\n") && ris.contains("ET  - 3\r\n"),
            "{ris}"
        );
        assert_eq!(cite(&c, "mla"), None);
    }

    #[test]
    fn a_new_line_in_a_title_cannot_add_a_ris_field() {
        let mut c = sample();
        c.title = "Tiêu đề\r\nER  - \r\nTY  - GEN".to_owned();
        let ris = cite(&c, "ris").expect("ris");
        assert_eq!(ris.matches("ER  - ").count(), 1, "{ris}");
    }
}
