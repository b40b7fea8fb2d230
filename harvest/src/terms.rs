//! Building DCAT-AP triples from the loose values of non-RDF sources (CKAN packages,
//! spreadsheet cells): the words people type for formats, frequencies, languages, licences and
//! access rights become the EU authority-table IRIs DCAT-AP expects; anything unrecognised is
//! kept as text rather than guessed.

use oxrdf::{BlankNode, Literal, NamedNode, NamedOrBlankNode, Term, Triple};
use vocab::ns::{rdf, xsd};

/// Collects the triples of one record.
#[derive(Debug, Default)]
pub struct Builder {
    /// The triples so far.
    pub triples: Vec<Triple>,
}

/// A valid absolute http(s) IRI, or `None` (values with spaces or without a scheme are not
/// IRIs, whatever a source put in a URL field).
pub fn http_iri(v: &str) -> Option<NamedNode> {
    let v = v.trim();
    if !(v.starts_with("http://") || v.starts_with("https://")) {
        return None;
    }
    let u = url::Url::parse(v).ok()?;
    NamedNode::new(u.as_str()).ok()
}

/// An IRI of a known scheme (http, https, mailto, urn), or `None`.
pub fn any_iri(v: &str) -> Option<NamedNode> {
    let v = v.trim();
    if v.starts_with("mailto:") || v.starts_with("urn:") {
        return NamedNode::new(v).ok();
    }
    http_iri(v)
}

impl Builder {
    /// Adds a triple.
    pub fn add(&mut self, s: &NamedOrBlankNode, p: oxrdf::NamedNodeRef<'_>, o: impl Into<Term>) {
        self.triples
            .push(Triple::new(s.clone(), p.into_owned(), o.into()));
    }

    /// `s rdf:type class`.
    pub fn a(&mut self, s: &NamedOrBlankNode, class: oxrdf::NamedNodeRef<'_>) {
        self.add(s, rdf::TYPE, class.into_owned());
    }

    /// A plain (or language-tagged, when `lang` is given) text value; empty text adds nothing.
    pub fn text(
        &mut self,
        s: &NamedOrBlankNode,
        p: oxrdf::NamedNodeRef<'_>,
        v: &str,
        lang: Option<&str>,
    ) {
        let v = v.trim();
        if v.is_empty() {
            return;
        }
        let lit = match lang.and_then(|l| Literal::new_language_tagged_literal(v, l).ok()) {
            Some(l) => l,
            None => Literal::new_simple_literal(v),
        };
        self.add(s, p, lit);
    }

    /// An IRI value when `v` is one; otherwise nothing. Returns whether it was added.
    pub fn iri(&mut self, s: &NamedOrBlankNode, p: oxrdf::NamedNodeRef<'_>, v: &str) -> bool {
        match any_iri(v) {
            Some(n) => {
                self.add(s, p, n);
                true
            }
            None => false,
        }
    }

    /// A date or date-time, typed when it parses (`xsd:date` or `xsd:dateTime`), text otherwise.
    pub fn date(&mut self, s: &NamedOrBlankNode, p: oxrdf::NamedNodeRef<'_>, v: &str) {
        let v = v.trim();
        if v.is_empty() {
            return;
        }
        let lit = if chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d").is_ok() {
            Literal::new_typed_literal(v, xsd::DATE)
        } else if chrono::DateTime::parse_from_rfc3339(v).is_ok()
            || chrono::NaiveDateTime::parse_from_str(v, "%Y-%m-%dT%H:%M:%S%.f").is_ok()
        {
            Literal::new_typed_literal(v, xsd::DATE_TIME)
        } else if let Some(d) = vietnamese_date(v) {
            Literal::new_typed_literal(d, xsd::DATE)
        } else {
            Literal::new_simple_literal(v)
        };
        self.add(s, p, lit);
    }

    /// A fresh blank node.
    pub fn blank() -> NamedOrBlankNode {
        BlankNode::default().into()
    }
}

/// `dd/mm/yyyy` (how dates are written in Vietnam) as `yyyy-mm-dd`.
pub fn vietnamese_date(v: &str) -> Option<String> {
    chrono::NaiveDate::parse_from_str(v.trim(), "%d/%m/%Y")
        .ok()
        .map(|d| d.format("%Y-%m-%d").to_string())
}

const FILE_TYPES: &[&str] = &[
    "CSV",
    "TSV",
    "JSON",
    "JSON_LD",
    "XML",
    "XLS",
    "XLSX",
    "ODS",
    "PDF",
    "DOC",
    "DOCX",
    "ODT",
    "HTML",
    "TXT",
    "ZIP",
    "GZIP",
    "TAR",
    "7Z",
    "RAR",
    "SHP",
    "GEOJSON",
    "KML",
    "KMZ",
    "GML",
    "GPKG",
    "RDF",
    "RDF_XML",
    "RDF_TURTLE",
    "RDF_N_TRIPLES",
    "RDF_N_QUADS",
    "RDF_TRIG",
    "N3",
    "SPARQLQ",
    "TIFF",
    "GEOTIFF",
    "JPEG",
    "PNG",
    "GIF",
    "SVG",
    "NETCDF",
    "HDF",
    "PARQUET",
    "SQL",
    "MDB",
    "DBF",
    "WMS_SRVC",
    "WFS_SRVC",
    "WCS_SRVC",
    "ATOM",
    "RSS",
    "ICS",
    "MAP_PRVW",
    "BIN",
    "EXE",
    "PPT",
    "PPTX",
    "ODP",
    "RTF",
    "XSD",
    "YAML",
    "MP3",
    "MP4",
    "WAV",
    "AVI",
    "EPUB",
];

/// The EU file-type IRI for a format name (`csv`, `XLSX`, `text/csv`, `.json`…), if known.
pub fn file_type(v: &str) -> Option<NamedNode> {
    let v = v.trim();
    if let Some(n) = http_iri(v) {
        return Some(n);
    }
    let code = match v.to_ascii_lowercase().trim_start_matches('.') {
        "text/csv" => "CSV".to_owned(),
        "application/json" => "JSON".to_owned(),
        "application/ld+json" | "json-ld" | "jsonld" => "JSON_LD".to_owned(),
        "application/xml" | "text/xml" => "XML".to_owned(),
        "application/pdf" => "PDF".to_owned(),
        "text/html" => "HTML".to_owned(),
        "application/zip" => "ZIP".to_owned(),
        "text/turtle" | "ttl" | "turtle" => "RDF_TURTLE".to_owned(),
        "application/rdf+xml" | "rdf/xml" => "RDF_XML".to_owned(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" | "excel" => {
            "XLSX".to_owned()
        }
        "application/vnd.ms-excel" => "XLS".to_owned(),
        "wms" => "WMS_SRVC".to_owned(),
        "wfs" => "WFS_SRVC".to_owned(),
        "shapefile" | "esri shapefile" => "SHP".to_owned(),
        "geotiff" | "tif" | "tiff" => "TIFF".to_owned(),
        "jpg" => "JPEG".to_owned(),
        other => other.to_ascii_uppercase().replace(['-', ' '], "_"),
    };
    FILE_TYPES.contains(&code.as_str()).then(|| {
        NamedNode::new_unchecked(format!(
            "http://publications.europa.eu/resource/authority/file-type/{code}"
        ))
    })
}

/// The EU frequency IRI for a frequency word (English, Vietnamese or the EU code), if known.
pub fn frequency(v: &str) -> Option<NamedNode> {
    let v = v.trim();
    if let Some(n) = http_iri(v) {
        return Some(n);
    }
    let lower = v.to_lowercase();
    let code = match lower.as_str() {
        "daily" | "hằng ngày" | "hàng ngày" | "ngày" => "DAILY",
        "weekly" | "hằng tuần" | "hàng tuần" | "tuần" => "WEEKLY",
        "monthly" | "hằng tháng" | "hàng tháng" | "tháng" => "MONTHLY",
        "quarterly" | "hằng quý" | "hàng quý" | "quý" => "QUARTERLY",
        "semiannual" | "biannual" | "annual_2" | "nửa năm" | "6 tháng" | "sáu tháng" => {
            "ANNUAL_2"
        }
        "annual" | "yearly" | "hằng năm" | "hàng năm" | "năm" => "ANNUAL",
        "irregular" | "irreg" | "không định kỳ" => "IRREG",
        "continuous" | "cont" | "liên tục" => "CONT",
        "never" | "không cập nhật" => "NEVER",
        "unknown" => "UNKNOWN",
        _ => {
            let up = v.to_ascii_uppercase();
            return matches!(
                up.as_str(),
                "DAILY"
                    | "WEEKLY"
                    | "MONTHLY"
                    | "QUARTERLY"
                    | "ANNUAL"
                    | "ANNUAL_2"
                    | "ANNUAL_3"
                    | "BIWEEKLY"
                    | "BIMONTHLY"
                    | "BIENNIAL"
                    | "TRIENNIAL"
                    | "IRREG"
                    | "CONT"
                    | "NEVER"
                    | "UNKNOWN"
                    | "UPDATE_CONT"
                    | "HOURLY"
                    | "OTHER"
            )
            .then(|| {
                NamedNode::new_unchecked(format!(
                    "http://publications.europa.eu/resource/authority/frequency/{up}"
                ))
            });
        }
    };
    Some(NamedNode::new_unchecked(format!(
        "http://publications.europa.eu/resource/authority/frequency/{code}"
    )))
}

/// The EU language IRI for an ISO 639-1 or 639-2 code or an English/Vietnamese name, if known.
pub fn language(v: &str) -> Option<NamedNode> {
    let v = v.trim();
    if let Some(n) = http_iri(v) {
        return Some(n);
    }
    let primary = v.split(['-', '_']).next().unwrap_or("").to_lowercase();
    let code = match primary.as_str() {
        "vi" | "vie" | "vietnamese" | "tiếng việt" => "VIE",
        "en" | "eng" | "english" | "tiếng anh" => "ENG",
        "fr" | "fra" | "fre" | "french" => "FRA",
        "de" | "deu" | "ger" | "german" => "DEU",
        "it" | "ita" | "italian" => "ITA",
        "nl" | "nld" | "dut" | "dutch" => "NLD",
        "es" | "spa" | "spanish" => "SPA",
        "sv" | "swe" | "swedish" => "SWE",
        "zh" | "zho" | "chi" | "chinese" => "ZHO",
        "ja" | "jpn" | "japanese" => "JPN",
        "ko" | "kor" | "korean" => "KOR",
        "km" | "khm" => "KHM",
        "lo" | "lao" => "LAO",
        "rm" | "roh" => "ROH",
        _ => return None,
    };
    Some(NamedNode::new_unchecked(format!(
        "http://publications.europa.eu/resource/authority/language/{code}"
    )))
}

/// The EU access-right IRI for a word (`public`, `công khai`, `restricted`, `hạn chế`…).
pub fn access_right(v: &str) -> Option<NamedNode> {
    let v = v.trim();
    if let Some(n) = http_iri(v) {
        return Some(n);
    }
    let code = match v.to_lowercase().as_str() {
        "public" | "open" | "công khai" | "mở" | "dữ liệu mở" => "PUBLIC",
        "restricted" | "hạn chế" | "chia sẻ có điều kiện" | "nội bộ" => {
            "RESTRICTED"
        }
        "non_public" | "non-public" | "private" | "không công khai" | "mật" => "NON_PUBLIC",
        _ => return None,
    };
    Some(NamedNode::new_unchecked(format!(
        "http://publications.europa.eu/resource/authority/access-right/{code}"
    )))
}

/// A licence IRI for a URL or a common CKAN licence id.
pub fn license(v: &str) -> Option<NamedNode> {
    let v = v.trim();
    if let Some(n) = http_iri(v) {
        return Some(n);
    }
    let iri = match v.to_ascii_lowercase().as_str() {
        "cc-by" | "cc-by-4.0" | "cc_by_4_0" => "http://creativecommons.org/licenses/by/4.0/",
        "cc-by-sa" | "cc-by-sa-4.0" => "http://creativecommons.org/licenses/by-sa/4.0/",
        "cc-zero" | "cc0" | "cc0-1.0" => "http://creativecommons.org/publicdomain/zero/1.0/",
        "cc-nc" | "cc-by-nc" | "cc-by-nc-4.0" => "http://creativecommons.org/licenses/by-nc/4.0/",
        "odc-by" => "http://opendatacommons.org/licenses/by/1.0/",
        "odc-odbl" | "odbl" => "http://opendatacommons.org/licenses/odbl/1.0/",
        "odc-pddl" | "pddl" => "http://opendatacommons.org/licenses/pddl/1.0/",
        "gfdl" => "http://www.gnu.org/copyleft/fdl.html",
        "uk-ogl" | "ogl" => "http://reference.data.gov.uk/id/open-government-licence",
        _ => return None,
    };
    Some(NamedNode::new_unchecked(iri))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loose_words_become_authority_iris() {
        assert!(
            file_type("csv")
                .expect("csv")
                .as_str()
                .ends_with("/file-type/CSV")
        );
        assert!(
            file_type("text/csv")
                .expect("csv")
                .as_str()
                .ends_with("/CSV")
        );
        assert!(file_type("Something odd").is_none());
        assert!(
            frequency("Hằng tháng")
                .expect("m")
                .as_str()
                .ends_with("/MONTHLY")
        );
        assert!(
            frequency("quarterly")
                .expect("q")
                .as_str()
                .ends_with("/QUARTERLY")
        );
        assert!(language("vi").expect("vi").as_str().ends_with("/VIE"));
        assert!(
            access_right("Công khai")
                .expect("p")
                .as_str()
                .ends_with("/PUBLIC")
        );
        assert!(license("cc-by").is_some() && license("not-a-licence").is_none());
        assert_eq!(vietnamese_date("05/03/2026").as_deref(), Some("2026-03-05"));
        assert!(http_iri("http://x/has space").is_none_or(|n| !n.as_str().contains(' ')));
        assert!(http_iri("www.example.org").is_none());
    }
}
