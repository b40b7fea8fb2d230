//! Spreadsheets for agencies without their own system: one row per record, in a template
//! whose column headers are Vietnamese (English names are accepted too), covering the open-data
//! fields (R2) and the catalogue-of-databases fields (R1). CSV (UTF-8, comma or semicolon) and
//! XLSX (first sheet) are read; a row that cannot be read fails alone, with its row number.

use crate::terms::{self, Builder};
use crate::{
    Connector, Context, Event, HarvestError, Harvested, Payload, RecordKind, Summary, send,
};
use futures_util::future::BoxFuture;
use oxrdf::{Literal, NamedOrBlankNode};
use std::collections::HashMap;
use tokio::sync::mpsc::Sender;
use unicode_normalization::UnicodeNormalization;
use vocab::ns::{dcat, dcatvn, dct, vcard, xsd};

/// The sheet connector.
#[derive(Debug, Clone, Copy)]
pub struct Sheet;

impl Connector for Sheet {
    fn run<'a>(
        &'a self,
        ctx: &'a Context,
        out: &'a Sender<Event>,
    ) -> BoxFuture<'a, Result<Summary, HarvestError>> {
        Box::pin(run(ctx, out))
    }
}

/// The template's columns: (Vietnamese header, English alias, what it fills).
pub const COLUMNS: &[(&str, &str, &str)] = &[
    (
        "Mã định danh",
        "identifier",
        "identifier at the source, required, unique",
    ),
    (
        "Loại",
        "kind",
        "Tập dữ liệu | Cơ sở dữ liệu | Dịch vụ dữ liệu (dataset | database | service)",
    ),
    ("Tên tiếng Việt", "title_vi", "dct:title @vi, required"),
    ("Tên tiếng Anh", "title_en", "dct:title @en"),
    ("Mô tả", "description", "dct:description @vi"),
    ("Mô tả tiếng Anh", "description_en", "dct:description @en"),
    ("Từ khóa", "keywords", "dcat:keyword @vi, separated by ;"),
    ("Lĩnh vực", "theme", "dcat:theme (IRIs, separated by ;)"),
    (
        "Tần suất cập nhật",
        "frequency",
        "dct:accrualPeriodicity (hằng tháng, hằng quý… or EU code)",
    ),
    (
        "Ngày ban hành",
        "issued",
        "dct:issued (dd/mm/yyyy or yyyy-mm-dd)",
    ),
    (
        "Ngày cập nhật",
        "modified",
        "dct:modified (dd/mm/yyyy or yyyy-mm-dd)",
    ),
    (
        "Mức độ truy cập",
        "access_rights",
        "dct:accessRights (công khai | hạn chế | không công khai)",
    ),
    ("Ngôn ngữ", "language", "dct:language (vi; en)"),
    ("Trang thông tin", "landing_page", "dcat:landingPage"),
    (
        "Đường dẫn truy cập",
        "access_url",
        "distribution dcat:accessURL (or the service endpoint)",
    ),
    (
        "Đường dẫn tải về",
        "download_url",
        "distribution dcat:downloadURL",
    ),
    (
        "Định dạng",
        "format",
        "distribution dct:format (CSV, XLSX, JSON…)",
    ),
    (
        "Giấy phép",
        "license",
        "distribution dct:license (URL or cc-by, cc-zero…)",
    ),
    (
        "Mô tả trường dữ liệu",
        "schema",
        "dct:conformsTo (URL of the field description, or the description itself)",
    ),
    (
        "Đầu mối liên hệ",
        "contact_name",
        "dcat:contactPoint vcard:fn",
    ),
    (
        "Thư điện tử liên hệ",
        "contact_email",
        "dcat:contactPoint vcard:hasEmail",
    ),
    ("Phí, lệ phí", "fee", "dcatvn:fee"),
    (
        "Miễn phí",
        "free_of_charge",
        "dcatvn:freeOfCharge (có | không)",
    ),
    ("Mục tiêu", "objective", "dcatvn:objective (R1)"),
    ("Phạm vi", "scope", "dcatvn:scope (R1)"),
    ("Dữ liệu chủ", "master_data", "dcatvn:masterData (R1)"),
    (
        "Đối tượng sử dụng",
        "target_users",
        "dcatvn:targetUsers (R1)",
    ),
    ("Mục đích sử dụng", "purpose", "dcatvn:purpose (R1)"),
    (
        "Nguồn thông tin",
        "information_source",
        "dcatvn:informationSource (R1)",
    ),
    ("Kế hoạch cập nhật", "update_plan", "dcatvn:updatePlan (R1)"),
    (
        "Phương thức chia sẻ",
        "sharing_method",
        "dcatvn:sharingMethod (R1)",
    ),
    ("Căn cứ pháp lý", "legal_basis", "dcatvn:legalBasis"),
];

/// The empty template as CSV (UTF-8 with a byte-order mark, so spreadsheet software shows the
/// Vietnamese headers correctly).
pub fn template_csv() -> Vec<u8> {
    let mut w = csv::Writer::from_writer(b"\xef\xbb\xbf".to_vec());
    // Writing to memory cannot fail.
    let _ = w.write_record(COLUMNS.iter().map(|c| c.0));
    w.into_inner().unwrap_or_default()
}

fn key(h: &str) -> String {
    let h: String = h
        .nfc()
        .collect::<String>()
        .trim()
        .trim_start_matches('\u{feff}')
        .to_lowercase();
    let h = h.split(" (").next().unwrap_or("").trim().to_owned();
    COLUMNS
        .iter()
        .find(|(vi, en, _)| vi.to_lowercase() == h || *en == h)
        .map(|(_, en, _)| (*en).to_owned())
        .unwrap_or(h)
}

/// The header row as template keys, or why the sheet does not follow the template.
fn header_of(first: &[String]) -> Result<Vec<String>, String> {
    let header: Vec<String> = first.iter().map(|h| key(h)).collect();
    if !header.iter().any(|h| h == "identifier") || !header.iter().any(|h| h == "title_vi") {
        return Err(
            "the sheet does not follow the template: columns “Mã định danh” and “Tên tiếng Việt” are required (danhmuc harvest template writes it)".into(),
        );
    }
    Ok(header)
}

/// Whether an uploaded file reads as a spreadsheet that follows the template, checked when
/// it is uploaded so that the person uploading it is told at once, before a job is queued.
pub fn check_upload(bytes: &[u8], media: &str) -> Result<(), String> {
    let rows = read_rows(bytes, "", media)?;
    header_of(rows.first().map(Vec::as_slice).unwrap_or_default()).map(|_| ())
}

async fn run(ctx: &Context, out: &Sender<Event>) -> Result<Summary, HarvestError> {
    let (bytes, name, media) = match &ctx.upload {
        Some(p) => (p.body.clone(), String::new(), p.media_type.clone()),
        None => {
            let u = crate::page::source_url(&ctx.url)?;
            let f = ctx.fetcher.get(&u, "text/csv, application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;q=0.9, */*;q=0.1").await?;
            (
                f.body.to_vec(),
                u.path().to_owned(),
                f.content_type.unwrap_or_default(),
            )
        }
    };
    let rows = read_rows(&bytes, &name, &media).map_err(HarvestError::Source)?;
    let mut it = rows.into_iter();
    let header = header_of(&it.next().unwrap_or_default()).map_err(HarvestError::Source)?;
    let body: Vec<Vec<String>> = it.collect();
    send(
        out,
        Event::Total(
            body.iter()
                .filter(|r| r.iter().any(|c| !c.trim().is_empty()))
                .count() as u64,
        ),
    )
    .await?;
    for (i, row) in body.into_iter().enumerate() {
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let line = i + 2;
        let cells: HashMap<String, String> = header
            .iter()
            .cloned()
            .zip(
                row.into_iter()
                    .map(|c| c.nfc().collect::<String>().trim().to_owned()),
            )
            .filter(|(_, v)| !v.is_empty())
            .collect();
        match map_row(&cells) {
            Ok(h) => send(out, Event::Record(Box::new(h))).await?,
            Err(reason) => {
                let id = cells
                    .get("identifier")
                    .cloned()
                    .unwrap_or_else(|| format!("dòng {line}"));
                send(
                    out,
                    Event::Failed {
                        source_id: id,
                        reason: format!("dòng {line} (row {line}): {reason}"),
                    },
                )
                .await?;
            }
        }
    }
    Ok(Summary {
        complete: true,
        listing: true,
        ..Summary::default()
    })
}

/// Most rows a sheet may have (a province's records fit many times over).
pub const MAX_ROWS: usize = 100_000;
/// Most columns a sheet may use.
pub const MAX_COLUMNS: usize = 256;

/// Rows of the first worksheet, read cell by cell. calamine's `worksheet_range` would allocate
/// the whole rectangle the cells span first: one cell at A1 and one at XFD1048576 make a
/// 17-billion-cell range and abort the process, so cells are streamed and bounded instead.
fn read_xlsx(bytes: &[u8]) -> Result<Vec<Vec<String>>, String> {
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e| format!("not a readable XLSX workbook: {e}"))?;
    let first = wb
        .sheet_names()
        .first()
        .cloned()
        .ok_or("the workbook has no sheet")?;
    let mut cells = wb
        .worksheet_cells_reader(&first)
        .map_err(|e| format!("the first sheet cannot be read: {e}"))?;
    let mut rows: Vec<Vec<String>> = Vec::new();
    while let Some(cell) = cells
        .next_cell()
        .map_err(|e| format!("the first sheet cannot be read: {e}"))?
    {
        let (r, c) = cell.get_position();
        let (r, c) = (r as usize, c as usize);
        let text = cell_text(&calamine::Data::from(cell.get_value().clone()));
        if text.is_empty() {
            continue;
        }
        if r >= MAX_ROWS {
            return Err(format!(
                "the sheet has a value in row {}, past the limit of {MAX_ROWS} rows",
                r + 1
            ));
        }
        if c >= MAX_COLUMNS {
            return Err(format!(
                "the sheet has a value in column {}, past the limit of {MAX_COLUMNS} columns",
                c + 1
            ));
        }
        if rows.len() <= r {
            rows.resize_with(r + 1, Vec::new);
        }
        let row = &mut rows[r];
        if row.len() <= c {
            row.resize(c + 1, String::new());
        }
        row[c] = text;
    }
    // As calamine's ranges do, start at the first row and column that hold a value.
    let first_row = rows.iter().position(|r| !r.is_empty()).unwrap_or(0);
    let first_col = rows
        .iter()
        .filter_map(|r| r.iter().position(|v| !v.is_empty()))
        .min()
        .unwrap_or(0);
    Ok(rows
        .into_iter()
        .skip(first_row)
        .map(|r| r.into_iter().skip(first_col).collect())
        .collect())
}

/// Rows of the first sheet (XLSX) or of the CSV file.
pub fn read_rows(bytes: &[u8], name: &str, media: &str) -> Result<Vec<Vec<String>>, String> {
    let xlsx = bytes.starts_with(b"PK\x03\x04")
        || name.to_ascii_lowercase().ends_with(".xlsx")
        || media.contains("spreadsheetml");
    if xlsx {
        return read_xlsx(bytes);
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|e| format!("the CSV file is not UTF-8 ({e}); save it as “CSV UTF-8”"))?;
    let text = text.trim_start_matches('\u{feff}');
    let first = text.lines().next().unwrap_or("");
    let delimiter = if first.matches(';').count() > first.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (i, rec) in r.records().enumerate() {
        let rec = rec.map_err(|e| format!("CSV error at row {}: {e}", i + 1))?;
        if i >= MAX_ROWS {
            return Err(format!("the CSV file has more than {MAX_ROWS} rows"));
        }
        if rec.len() > MAX_COLUMNS {
            return Err(format!(
                "row {} has {} columns, over the limit of {MAX_COLUMNS}",
                i + 1,
                rec.len()
            ));
        }
        rows.push(rec.iter().map(str::to_owned).collect());
    }
    Ok(rows)
}

fn cell_text(c: &calamine::Data) -> String {
    use calamine::Data;
    match c {
        Data::DateTime(d) => d
            .as_datetime()
            .map(|t| {
                if t.time() == chrono::NaiveTime::MIN {
                    t.date().format("%Y-%m-%d").to_string()
                } else {
                    t.format("%Y-%m-%dT%H:%M:%S").to_string()
                }
            })
            .unwrap_or_else(|| c.to_string()),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

fn list(v: &str) -> impl Iterator<Item = &str> {
    v.split([';', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// One row to one record.
pub fn map_row(c: &HashMap<String, String>) -> Result<Harvested, String> {
    let id = c
        .get("identifier")
        .ok_or("thiếu “Mã định danh” (identifier missing)")?;
    let title = c
        .get("title_vi")
        .ok_or("thiếu “Tên tiếng Việt” (Vietnamese title missing)")?;
    let kind_word = c.get("kind").map(|k| k.to_lowercase()).unwrap_or_default();
    let (kind, class) = if kind_word.contains("cơ sở dữ liệu") || kind_word.contains("database")
    {
        (RecordKind::Dataset, dcatvn::DATABASE_ENTRY)
    } else if kind_word.contains("dịch vụ") || kind_word.contains("service") {
        (RecordKind::DataService, dcat::DATA_SERVICE)
    } else if kind_word.is_empty()
        || kind_word.contains("tập dữ liệu")
        || kind_word.contains("dataset")
    {
        (RecordKind::Dataset, dcat::DATASET)
    } else {
        return Err(format!("“Loại” không hợp lệ: {kind_word} (unknown kind)"));
    };
    let main: NamedOrBlankNode = terms::http_iri(id)
        .map(Into::into)
        .unwrap_or_else(Builder::blank);
    let mut b = Builder::default();
    b.a(&main, class);
    if class == dcatvn::DATABASE_ENTRY {
        b.a(&main, dcat::DATASET);
    }
    b.text(&main, dct::IDENTIFIER, id, None);
    b.text(&main, dct::TITLE, title, Some("vi"));
    let get = |k: &str| c.get(k).map(String::as_str);
    if let Some(v) = get("title_en") {
        b.text(&main, dct::TITLE, v, Some("en"));
    }
    if let Some(v) = get("description") {
        b.text(&main, dct::DESCRIPTION, v, Some("vi"));
    }
    if let Some(v) = get("description_en") {
        b.text(&main, dct::DESCRIPTION, v, Some("en"));
    }
    for k in get("keywords").map(list).into_iter().flatten() {
        b.text(&main, dcat::KEYWORD, k, Some("vi"));
    }
    for t in get("theme").map(list).into_iter().flatten() {
        if !b.iri(&main, dcat::THEME, t) {
            return Err(format!(
                "“Lĩnh vực” phải là IRI: {t} (theme must be an IRI)"
            ));
        }
    }
    if let Some(v) = get("frequency") {
        let f = terms::frequency(v)
            .ok_or_else(|| format!("“Tần suất cập nhật” không rõ: {v} (unknown frequency)"))?;
        b.add(&main, dct::ACCRUAL_PERIODICITY, f);
    }
    for (k, p) in [("issued", dct::ISSUED), ("modified", dct::MODIFIED)] {
        if let Some(v) = get(k) {
            b.date(&main, p, v);
        }
    }
    if let Some(v) = get("access_rights") {
        let a = terms::access_right(v)
            .ok_or_else(|| format!("“Mức độ truy cập” không rõ: {v} (unknown access level)"))?;
        b.add(&main, dct::ACCESS_RIGHTS, a);
    }
    for l in get("language").map(list).into_iter().flatten() {
        if let Some(n) = terms::language(l) {
            b.add(&main, dct::LANGUAGE, n);
        }
    }
    if let Some(v) = get("landing_page") {
        b.iri(&main, dcat::LANDING_PAGE, v);
    }
    let access = get("access_url");
    if kind == RecordKind::DataService {
        if let Some(a) = access
            && !b.iri(&main, dcat::ENDPOINT_URL, a)
        {
            return Err(format!(
                "“Đường dẫn truy cập” không phải URL: {a} (not a URL)"
            ));
        }
    } else if access.is_some() || get("download_url").is_some() {
        let d = Builder::blank();
        b.add(&main, dcat::DISTRIBUTION_PROP, d.clone());
        b.a(&d, dcat::DISTRIBUTION);
        let url = access.or(get("download_url")).unwrap_or_default();
        if !b.iri(&d, dcat::ACCESS_URL, url) {
            return Err(format!(
                "“Đường dẫn truy cập” không phải URL: {url} (not a URL)"
            ));
        }
        if let Some(v) = get("download_url") {
            b.iri(&d, dcat::DOWNLOAD_URL, v);
        }
        if let Some(f) = get("format") {
            match terms::file_type(f) {
                Some(n) => b.add(&d, dct::FORMAT, n),
                None => b.text(&d, dct::FORMAT, f, None),
            }
        }
        if let Some(l) = get("license") {
            let n = terms::license(l)
                .ok_or_else(|| format!("“Giấy phép” không rõ: {l} (unknown licence)"))?;
            b.add(&d, dct::LICENSE, n);
        }
    }
    if let Some(s) = get("schema")
        && !b.iri(&main, dct::CONFORMS_TO, s)
    {
        let std = Builder::blank();
        b.add(&main, dct::CONFORMS_TO, std.clone());
        b.a(&std, dct::STANDARD);
        b.text(&std, dct::DESCRIPTION, s, Some("vi"));
    }
    if get("contact_name").is_some() || get("contact_email").is_some() {
        let cp = Builder::blank();
        b.add(&main, dcat::CONTACT_POINT, cp.clone());
        b.a(&cp, vcard::KIND);
        if let Some(n) = get("contact_name") {
            b.text(&cp, vcard::FN, n, None);
        }
        if let Some(e) = get("contact_email") {
            b.iri(
                &cp,
                vcard::HAS_EMAIL,
                &format!("mailto:{}", e.trim_start_matches("mailto:")),
            );
        }
    }
    if let Some(v) = get("fee") {
        b.text(&main, dcatvn::FEE, v, Some("vi"));
    }
    if let Some(v) = get("free_of_charge") {
        let yes = matches!(
            v.to_lowercase().as_str(),
            "có" | "co" | "yes" | "true" | "x" | "1"
        );
        b.add(
            &main,
            dcatvn::FREE_OF_CHARGE,
            Literal::new_typed_literal(yes.to_string(), xsd::BOOLEAN),
        );
    }
    for (k, p) in [
        ("objective", dcatvn::OBJECTIVE),
        ("scope", dcatvn::SCOPE),
        ("master_data", dcatvn::MASTER_DATA),
        ("target_users", dcatvn::TARGET_USERS),
        ("purpose", dcatvn::PURPOSE),
        ("information_source", dcatvn::INFORMATION_SOURCE),
        ("update_plan", dcatvn::UPDATE_PLAN),
        ("sharing_method", dcatvn::SHARING_METHOD),
    ] {
        if let Some(v) = get(k) {
            b.text(&main, p, v, Some("vi"));
        }
    }
    if let Some(v) = get("legal_basis")
        && !b.iri(&main, dcatvn::LEGAL_BASIS, v)
    {
        b.text(&main, dcatvn::LEGAL_BASIS, v, Some("vi"));
    }
    let mut sorted: Vec<(&String, &String)> = c.iter().collect();
    sorted.sort();
    let payload: serde_json::Map<String, serde_json::Value> = sorted
        .into_iter()
        .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
        .collect();
    Ok(Harvested {
        kind,
        source_id: id.clone(),
        triples: b.triples,
        payload: Payload {
            media_type: "application/json".into(),
            body: serde_json::to_vec(&payload).unwrap_or_default(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_headers_read_back_and_rows_map() {
        let mut csv = template_csv();
        csv.extend_from_slice(
            "\nTN-01,Cơ sở dữ liệu,Cơ sở dữ liệu đất đai,,,,đất đai; bản đồ,,Hằng quý,05/03/2026,,công khai,vi,,https://x/dat.csv,,CSV,cc-by,,,,,,Quản lý đất,Toàn tỉnh,Thửa đất,Cơ quan nhà nước,Tra cứu,Sở NN&MT,Hằng quý,Kết nối API,Luật Đất đai 2024\n,,,\n,,Thiếu mã\n"
                .as_bytes(),
        );
        let rows = read_rows(&csv, "x.csv", "text/csv").expect("rows");
        let header: Vec<String> = rows[0].iter().map(|h| key(h)).collect();
        assert_eq!(header[0], "identifier");
        assert_eq!(header[2], "title_vi");
        let cells: HashMap<String, String> = header
            .iter()
            .cloned()
            .zip(rows[1].iter().cloned())
            .filter(|(_, v)| !v.is_empty())
            .collect();
        let h = map_row(&cells).expect("row");
        let nt = String::from_utf8(crate::split::ntriples(&h.triples)).expect("utf8");
        assert!(nt.contains("https://w3id.org/dcat-vn#DatabaseEntry"));
        assert!(nt.contains("\"2026-03-05\"^^<http://www.w3.org/2001/XMLSchema#date>"));
        assert!(nt.contains("frequency/QUARTERLY"));
        assert!(nt.contains("\"Quản lý đất\"@vi"));
        assert!(nt.contains("\"Luật Đất đai 2024\"@vi"));
        assert_eq!(h.source_id, "TN-01");
        let bad: HashMap<String, String> = [("title_vi".to_owned(), "x".to_owned())].into();
        assert!(map_row(&bad).expect_err("no id").contains("Mã định danh"));
    }

    #[test]
    fn nfd_headers_match() {
        let nfd: String = "Tên tiếng Việt".nfd().collect();
        assert_eq!(key(&nfd), "title_vi");
    }

    /// A minimal XLSX workbook, written by hand (stored entries, inline strings).
    fn xlsx(rows: &[&[&str]]) -> Vec<u8> {
        use std::io::Write;
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let mut put = |name: &str, body: String| {
            z.start_file(name, opts).expect("entry");
            z.write_all(body.as_bytes()).expect("write");
        };
        put("[Content_Types].xml", r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.into());
        put("_rels/.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.into());
        put("xl/workbook.xml", r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Danh mục" sheetId="1" r:id="rId1"/></sheets></workbook>"#.into());
        put("xl/_rels/workbook.xml.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.into());
        let mut data = String::new();
        for (r, row) in rows.iter().enumerate() {
            data.push_str(&format!("<row r=\"{}\">", r + 1));
            for (c, v) in row.iter().enumerate() {
                let col = (b'A' + c as u8) as char;
                data.push_str(&format!(
                    "<c r=\"{col}{}\" t=\"inlineStr\"><is><t>{v}</t></is></c>",
                    r + 1
                ));
            }
            data.push_str("</row>");
        }
        put(
            "xl/worksheets/sheet1.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{data}</sheetData></worksheet>"#
            ),
        );
        z.finish().expect("zip").into_inner()
    }

    #[test]
    fn xlsx_rows_are_read_like_csv() {
        let bytes = xlsx(&[
            &["Mã định danh", "Tên tiếng Việt", "Tần suất cập nhật"],
            &["TN-09", "Danh sách chợ truyền thống", "Hằng năm"],
        ]);
        let rows = read_rows(&bytes, "", "").expect("xlsx");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1][1], "Danh sách chợ truyền thống");
        let header: Vec<String> = rows[0].iter().map(|h| key(h)).collect();
        let cells: HashMap<String, String> =
            header.into_iter().zip(rows[1].iter().cloned()).collect();
        let h = map_row(&cells).expect("row");
        assert_eq!(h.source_id, "TN-09");
        let nt = String::from_utf8(crate::split::ntriples(&h.triples)).expect("utf8");
        assert!(nt.contains("frequency/ANNUAL>"), "{nt}");
        assert!(
            read_rows(b"PK\x03\x04garbage", "", "")
                .expect_err("broken")
                .contains("XLSX")
        );
    }
}
