//! The message catalogue: every text a person reads (problem titles, CLI lines) in Vietnamese
//! first, English beside, looked up by one key so the two languages cannot drift apart.

/// A language the registry speaks to people.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// Tiếng Việt (default).
    Vi,
    /// English.
    En,
}

impl Lang {
    /// Picks the language from an `Accept-Language` header: English only when it is preferred
    /// over Vietnamese, since Vietnamese is the registry's first language.
    pub fn from_accept_language(header: Option<&str>) -> Lang {
        let Some(h) = header else { return Lang::Vi };
        for part in h.split(',') {
            let tag = part
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            if tag.starts_with("vi") {
                return Lang::Vi;
            }
            if tag.starts_with("en") {
                return Lang::En;
            }
        }
        Lang::Vi
    }
}

/// `(key, Vietnamese, English)`.
const MESSAGES: &[(&str, &str, &str)] = &[
    ("bad_request", "Yêu cầu không hợp lệ", "Bad request"),
    ("invalid_json", "JSON không hợp lệ", "Malformed JSON"),
    ("invalid_rdf", "RDF không hợp lệ", "Malformed RDF"),
    (
        "invalid_source",
        "Nguồn thu thập không hợp lệ",
        "Invalid harvest source",
    ),
    ("invalid_record", "Bản ghi không hợp lệ", "Invalid record"),
    (
        "unsupported_media_type",
        "Kiểu nội dung không được hỗ trợ",
        "Unsupported media type",
    ),
    (
        "not_acceptable",
        "Không có định dạng phù hợp",
        "Not acceptable",
    ),
    (
        "payload_too_large",
        "Nội dung yêu cầu quá lớn",
        "Request body too large",
    ),
    ("unauthorized", "Cần xác thực", "Authentication required"),
    (
        "invalid_token",
        "Mã truy cập không hợp lệ hoặc đã bị thu hồi",
        "Invalid or revoked token",
    ),
    ("forbidden", "Không có quyền thực hiện", "Forbidden"),
    ("not_found", "Không tìm thấy", "Not found"),
    ("record_withdrawn", "Bản ghi đã bị rút", "Record withdrawn"),
    (
        "precondition_required",
        "Thiếu tiêu đề If-Match",
        "If-Match header required",
    ),
    (
        "precondition_failed",
        "Phiên bản đã thay đổi (ETag không khớp)",
        "Precondition failed (stale ETag)",
    ),
    ("conflict", "Xung đột dữ liệu", "Conflict"),
    ("unknown_agency", "Cơ quan không tồn tại", "Unknown agency"),
    (
        "request_required",
        "Cần có yêu cầu được phê duyệt",
        "An approved request is required",
    ),
    (
        "invalid_query",
        "Truy vấn SPARQL không hợp lệ",
        "Invalid SPARQL query",
    ),
    (
        "update_forbidden",
        "Điểm truy vấn SPARQL chỉ cho phép đọc",
        "The SPARQL endpoint is read-only",
    ),
    (
        "query_timeout",
        "Truy vấn vượt quá thời gian cho phép",
        "Query timed out",
    ),
    (
        "method_not_allowed",
        "Phương thức không được phép",
        "Method not allowed",
    ),
    ("not_ready", "Hệ thống chưa sẵn sàng", "Not ready"),
    (
        "limit_exceeded",
        "Vượt quá giới hạn cho phép",
        "A limit was exceeded",
    ),
    (
        "overloaded",
        "Hệ thống đang bận, vui lòng thử lại sau",
        "Busy: retry later",
    ),
    (
        "database_busy",
        "Cơ sở dữ liệu đang bận, vui lòng thử lại sau",
        "Database busy: retry later",
    ),
    (
        "headers_too_large",
        "Dòng yêu cầu và tiêu đề quá dài",
        "Request line and headers too large",
    ),
    (
        "request_timeout",
        "Yêu cầu đến quá chậm",
        "Request timed out",
    ),
    ("home_title", "Danh mục dữ liệu mở", "Open data catalogue"),
    (
        "home_lead",
        "Danh mục các tập dữ liệu, dịch vụ dữ liệu và cơ sở dữ liệu của các cơ quan nhà nước tỉnh",
        "Datasets, data services and databases published by the state agencies of",
    ),
    ("home_switch", "English", "Tiếng Việt"),
    ("home_datasets", "tập dữ liệu", "datasets"),
    ("home_services", "dịch vụ dữ liệu", "data services"),
    ("home_agencies", "cơ quan", "agencies"),
    ("home_newest", "Cập nhật gần đây", "Recently updated"),
    (
        "home_empty",
        "Chưa có tập dữ liệu công khai nào.",
        "No public datasets yet.",
    ),
    (
        "home_channels",
        "Truy cập cho máy và nhà phát triển",
        "For machines and developers",
    ),
    ("home_api", "API REST (OpenAPI)", "REST API (OpenAPI)"),
    (
        "home_api_what",
        "Đọc và cập nhật bản ghi; tài liệu tương tác, không cần Internet.",
        "Read and update records; interactive docs, offline.",
    ),
    ("home_catalog", "Danh mục DCAT-AP", "DCAT-AP catalogue"),
    (
        "home_catalog_what",
        "Cho cổng dữ liệu quốc gia và các trình thu thập DCAT (Turtle, RDF/XML, JSON-LD; phân trang Hydra).",
        "For the national portal and DCAT harvesters (Turtle, RDF/XML, JSON-LD; Hydra paging).",
    ),
    ("home_feed", "Luồng thay đổi LDES", "LDES change stream"),
    (
        "home_feed_what",
        "Mọi thay đổi theo thứ tự, theo DCAT-AP Feeds.",
        "Every change in order, as DCAT-AP Feeds.",
    ),
    ("home_ckan", "API tương thích CKAN", "CKAN-compatible API"),
    (
        "home_ckan_what",
        "Cho các công cụ và trình thu thập viết cho CKAN.",
        "For tools and harvesters written for CKAN.",
    ),
    (
        "home_sparql_what",
        "Truy vấn SPARQL 1.1 trên đồ thị công khai.",
        "SPARQL 1.1 queries over the public graph.",
    ),
    (
        "home_footer",
        "danhmuc — sổ đăng ký siêu dữ liệu dữ liệu mở",
        "danhmuc — an open-data metadata registry",
    ),
    ("internal", "Lỗi hệ thống", "Internal error"),
    (
        "cli_token_created",
        "Đã tạo mã truy cập (chỉ hiển thị một lần):",
        "Token created (shown only once):",
    ),
    (
        "cli_serving",
        "danhmuc đang chạy, mở tại:",
        "danhmuc is running, open:",
    ),
    ("cli_imported", "Đã nhập", "Imported"),
    (
        "cli_template_written",
        "Đã ghi mẫu bảng tính vào",
        "Spreadsheet template written to",
    ),
    (
        "cli_source_removed",
        "Đã xoá nguồn thu thập",
        "Harvest source removed",
    ),
    ("cli_harvest_failed", "Thu thập thất bại", "Harvest failed"),
    (
        "cli_chain_intact",
        "Chuỗi băm của nhật ký thay đổi nguyên vẹn, số mục",
        "Change-log hash chain intact, entries",
    ),
    (
        "cli_chain_broken",
        "Chuỗi băm của nhật ký thay đổi bị phá vỡ",
        "Change-log hash chain broken",
    ),
    (
        "cli_rebuilt",
        "Đã dựng lại các bản chiếu từ nhật ký thay đổi",
        "Rebuilt the projections from the change log",
    ),
    ("cli_revoked", "Đã thu hồi mã truy cập", "Token revoked"),
];

/// The message for `key` in `lang`; the key itself when unknown (a bug, but never a crash).
pub fn msg(key: &str, lang: Lang) -> &str {
    MESSAGES
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, vi, en)| if lang == Lang::Vi { *vi } else { *en })
        .unwrap_or(key)
}

/// Both languages, Vietnamese first, as the CLI prints them.
pub fn both(key: &str) -> String {
    format!("{} / {}", msg(key, Lang::Vi), msg(key, Lang::En))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_is_default_and_english_on_request() {
        assert_eq!(Lang::from_accept_language(None), Lang::Vi);
        assert_eq!(Lang::from_accept_language(Some("en-GB,en;q=0.9")), Lang::En);
        assert_eq!(Lang::from_accept_language(Some("vi,en;q=0.8")), Lang::Vi);
        assert_eq!(msg("not_found", Lang::Vi), "Không tìm thấy");
        assert_eq!(msg("not_found", Lang::En), "Not found");
    }

    #[test]
    fn every_key_is_unique() {
        let mut keys: Vec<_> = MESSAGES.iter().map(|m| m.0).collect();
        keys.sort_unstable();
        let n = keys.len();
        keys.dedup();
        assert_eq!(n, keys.len());
    }
}
