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
    // What each problem code means and what to do (the pages under /errors).
    (
        "bad_request_help",
        "Một tham số, tiêu đề hoặc dòng yêu cầu không hợp lệ; phần detail nêu rõ tham số nào. Sửa yêu cầu rồi gửi lại.",
        "A parameter, header or the request line is wrong; `detail` names which. Fix the request and send it again.",
    ),
    (
        "invalid_json_help",
        "Nội dung JSON không phân tích được; line và column chỉ vị trí lỗi.",
        "The JSON body does not parse; `line` and `column` say where.",
    ),
    (
        "invalid_rdf_help",
        "Nội dung RDF (Turtle, RDF/XML, JSON-LD, N-Triples) không phân tích được; line và column chỉ vị trí lỗi.",
        "The RDF body (Turtle, RDF/XML, JSON-LD, N-Triples) does not parse; `line` and `column` say where.",
    ),
    (
        "invalid_record_help",
        "Nội dung đọc được nhưng không mô tả đúng một bản ghi hợp lệ (thiếu trường bắt buộc, không đạt ràng buộc SHACL của hồ sơ áp dụng). Có thể lưu nháp bằng ?status=draft.",
        "The body parses but does not describe one acceptable record (a required field missing, a SHACL shape of the active profile not met). Save it with ?status=draft to finish it later.",
    ),
    (
        "invalid_source_help",
        "Nguồn thu thập không đăng ký được: loại, URL, lịch chạy hoặc cấu hình không hợp lệ.",
        "The harvest source cannot be registered: its kind, URL, schedule or configuration is wrong.",
    ),
    (
        "unsupported_media_type_help",
        "Content-Type của nội dung gửi lên không phải loại mà thao tác này đọc được.",
        "The body's Content-Type is not one this operation reads.",
    ),
    (
        "not_acceptable_help",
        "Không có biểu diễn nào khớp tiêu đề Accept; detail liệt kê các định dạng có sẵn.",
        "No representation matches `Accept`; `detail` lists those available.",
    ),
    (
        "payload_too_large_help",
        "Nội dung yêu cầu vượt quá giới hạn cấu hình (--body-limit hoặc --max-query-bytes).",
        "The body exceeds the configured limit (--body-limit or --max-query-bytes).",
    ),
    (
        "unauthorized_help",
        "Thao tác cần mã truy cập: gửi tiêu đề Authorization: Bearer <mã>.",
        "This needs a token: send `Authorization: Bearer <token>`.",
    ),
    (
        "invalid_token_help",
        "Mã truy cập không tồn tại, sai định dạng hoặc đã bị thu hồi.",
        "The bearer token is unknown, malformed or revoked.",
    ),
    (
        "forbidden_help",
        "Vai trò hoặc cơ quan của mã truy cập không được thực hiện thao tác này.",
        "The token's role or agency may not do this.",
    ),
    (
        "not_found_help",
        "Không có tài nguyên với định danh đó, hoặc người gọi không được biết nó tồn tại.",
        "Nothing with that id, or the caller may not know it exists.",
    ),
    (
        "record_withdrawn_help",
        "Bản ghi đã tồn tại và đã bị rút; lịch sử của nó vẫn được giữ.",
        "The record existed and was withdrawn; its history is kept.",
    ),
    (
        "precondition_required_help",
        "Lệnh PUT cần tiêu đề If-Match mang ETag của phiên bản đang thay thế.",
        "A PUT needs `If-Match` with the ETag of the version it replaces.",
    ),
    (
        "precondition_failed_help",
        "If-Match không khớp phiên bản hiện tại: ai đó đã sửa bản ghi. Đọc lại rồi thử lại.",
        "`If-Match` names an older version: someone changed the record. Read it again and retry.",
    ),
    (
        "conflict_help",
        "Thao tác xung đột với dữ liệu đã có (ví dụ mã cơ quan trùng).",
        "The write conflicts with existing data (a duplicate agency code, say).",
    ),
    (
        "unknown_agency_help",
        "Cơ quan được nêu không tồn tại trong sổ đăng ký.",
        "The agency named does not exist in the registry.",
    ),
    (
        "request_required_help",
        "Mục của danh mục cơ sở dữ liệu chỉ thay đổi qua một yêu cầu đã được phê duyệt.",
        "An entry of the catalogue of databases changes only through an approved request.",
    ),
    (
        "invalid_query_help",
        "Truy vấn SPARQL không phân tích được; detail chỉ vị trí lỗi.",
        "The SPARQL query does not parse; `detail` says where.",
    ),
    (
        "update_forbidden_help",
        "Điểm truy vấn SPARQL chỉ cho phép đọc: không nhận SPARQL Update.",
        "The SPARQL endpoint is read-only: SPARQL Update is refused.",
    ),
    (
        "query_timeout_help",
        "Truy vấn chạy quá thời gian cho phép (--query-timeout) và đã bị hủy.",
        "The query ran past --query-timeout and was cancelled.",
    ),
    (
        "method_not_allowed_help",
        "Đường dẫn không nhận phương thức này; tiêu đề Allow liệt kê các phương thức được nhận.",
        "The path does not take this method; `Allow` lists those it takes.",
    ),
    (
        "not_ready_help",
        "Các bản chiếu chưa bắt kịp nhật ký thay đổi (ví dụ ngay sau khi khởi động); thử lại sau.",
        "The projections have not caught up with the change log yet (right after start-up, say); retry shortly.",
    ),
    (
        "limit_exceeded_help",
        "Nội dung hoặc kết quả vượt một giới hạn trong docs/LIMITS.md (độ sâu lồng nhau, thực thể XML, số bộ ba mỗi bản ghi, kích thước kết quả); detail nêu giới hạn và tham số cấu hình.",
        "Input or a result exceeds a limit of docs/LIMITS.md (nesting depth, XML entities, triples per record, result size); `detail` names the limit and its setting.",
    ),
    (
        "overloaded_help",
        "Mọi vị trí truy vấn dành cho người gọi này đều bận và thời gian chờ đã hết; thử lại sau số giây trong Retry-After, hoặc dùng mã truy cập.",
        "Every query slot this caller may use is taken and the wait ran out; retry after `Retry-After` seconds, or use a token.",
    ),
    (
        "too_many_requests_help",
        "Địa chỉ này đã gửi quá nhiều yêu cầu loại này trong thời gian ngắn (ví dụ phản ánh không đăng nhập); thử lại sau số giây trong Retry-After.",
        "This address sent too many requests of this kind in a short while (anonymous feedback, for instance); retry after `Retry-After` seconds.",
    ),
    (
        "database_busy_help",
        "Cơ sở dữ liệu bận với các thao tác ghi khác quá thời gian chờ; không có gì bị thay đổi. Thử lại sau số giây trong Retry-After.",
        "The database stayed busy with other writes past the wait; nothing changed. Retry after `Retry-After` seconds.",
    ),
    (
        "headers_too_large_help",
        "Dòng yêu cầu và các tiêu đề vượt quá bộ đệm của máy chủ (thường do chuỗi truy vấn quá dài); gửi truy vấn dài bằng POST.",
        "The request line and headers exceed the server's buffer (most often a very long query string); send long queries by POST.",
    ),
    (
        "request_timeout_help",
        "Phần đầu của yêu cầu không đến kịp thời hạn; kết nối bị đóng.",
        "The request head did not arrive in time; the connection is closed.",
    ),
    (
        "internal_help",
        "Lỗi phía máy chủ; nội dung trả về không chứa chi tiết nội bộ, nguyên nhân được ghi vào nhật ký.",
        "A failure on the server's side; the answer holds nothing internal and the cause is logged.",
    ),
    ("bad_request", "Yêu cầu không hợp lệ", "Bad request"),
    ("errors_title", "Mã lỗi của API", "API error codes"),
    (
        "errors_lead",
        "Mỗi câu trả lời lỗi là application/problem+json (RFC 9457) với một mã ổn định; trường type trỏ tới trang của mã đó.",
        "Every error answer is application/problem+json (RFC 9457) with a stable code; its type points to the page of that code.",
    ),
    ("errors_code", "Mã", "Code"),
    ("errors_status", "Mã trạng thái HTTP", "HTTP status"),
    ("errors_meaning", "Ý nghĩa", "Meaning"),
    ("errors_all", "Tất cả mã lỗi", "All error codes"),
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
        "too_many_requests",
        "Gửi quá nhiều yêu cầu, vui lòng thử lại sau",
        "Too many requests: retry later",
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
        "cli_demo_accounts",
        "Tài khoản thử để đăng nhập cổng (/signin), mật khẩu chỉ in một lần:",
        "Demo accounts to sign in to the portal (/signin), passwords printed once:",
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
    ("cli_user_created", "Đã tạo tài khoản", "Account created"),
    // Pages: the frame every page shares.
    (
        "page_skip",
        "Bỏ qua, đến nội dung chính",
        "Skip to the main content",
    ),
    ("page_nav", "Điều hướng chính", "Main navigation"),
    ("nav_search", "Tìm kiếm", "Search"),
    ("nav_agencies", "Cơ quan", "Agencies"),
    ("nav_dbcat", "Danh mục CSDL", "Databases"),
    ("home_by_theme", "Theo lĩnh vực", "By theme"),
    ("home_by_agency", "Theo cơ quan", "By agency"),
    // The search page.
    ("search_title", "Tìm kiếm dữ liệu", "Search the data"),
    (
        "search_label",
        "Tìm bộ dữ liệu, dịch vụ, cơ quan (gõ có dấu hoặc không dấu)",
        "Find datasets, services, agencies (with or without Vietnamese accents)",
    ),
    ("search_sort", "Sắp xếp", "Sort"),
    ("search_sort_relevance", "Phù hợp nhất", "Best match"),
    ("search_sort_modified", "Mới cập nhật", "Recently changed"),
    ("search_sort_title", "Tên (A–Z)", "Title (A–Z)"),
    ("search_go", "Tìm", "Search"),
    ("search_total", "{n} kết quả", "{n} results"),
    ("search_active", "Bộ lọc đang áp dụng", "Filters in use"),
    ("search_remove", "Bỏ bộ lọc", "Remove filter"),
    ("search_none", "Không có kết quả nào.", "Nothing found."),
    ("search_try", "Thử tìm:", "Try:"),
    (
        "search_all_filters_off",
        "bỏ mọi bộ lọc",
        "without the filters",
    ),
    ("search_pages", "Trang kết quả", "Result pages"),
    ("search_prev", "Trang trước", "Previous"),
    ("search_next", "Trang sau", "Next"),
    ("search_facets", "Lọc kết quả", "Narrow the results"),
    (
        "search_bad",
        "Yêu cầu tìm kiếm không hợp lệ",
        "The search is not valid",
    ),
    ("facet_kind", "Loại", "Kind"),
    ("facet_agency", "Cơ quan", "Agency"),
    ("facet_theme", "Lĩnh vực", "Theme"),
    ("facet_format", "Định dạng", "Format"),
    ("facet_license", "Giấy phép", "Licence"),
    ("facet_frequency", "Tần suất cập nhật", "Update frequency"),
    ("facet_spatial", "Phạm vi không gian", "Spatial coverage"),
    // A record's page.
    ("rec_about", "Thông tin chung", "About"),
    ("rec_agency", "Cơ quan quản lý", "Agency"),
    ("rec_publisher", "Đơn vị công bố", "Publisher"),
    ("rec_keywords", "Từ khóa", "Keywords"),
    ("rec_language", "Ngôn ngữ", "Language"),
    ("rec_conforms_to", "Tuân theo chuẩn", "Conforms to"),
    ("rec_landing", "Trang giới thiệu", "Landing page"),
    ("rec_contact", "Đầu mối liên hệ", "Contact point"),
    ("rec_identifier", "Định danh (IRI)", "Identifier (IRI)"),
    ("rec_dates", "Thời gian", "Dates"),
    (
        "rec_data_updated",
        "Dữ liệu cập nhật lần cuối",
        "Data last updated",
    ),
    (
        "rec_data_updated_note",
        "theo mô tả của cơ quan (dct:modified)",
        "as the agency's description says (dct:modified)",
    ),
    ("rec_issued", "Ngày công bố", "Issued"),
    (
        "rec_described",
        "Mô tả thay đổi lần cuối",
        "Description last changed",
    ),
    (
        "rec_described_note",
        "khi danh mục ghi nhận phiên bản mới nhất của mô tả",
        "when the registry recorded the description's latest version",
    ),
    ("rec_registered", "Đưa vào danh mục", "Registered"),
    ("rec_next_due", "Hạn cập nhật tiếp theo", "Next update due"),
    ("deadline_on_time", "đúng hạn", "on time"),
    ("deadline_due_soon", "sắp đến hạn", "due soon"),
    ("deadline_overdue", "quá hạn", "overdue"),
    (
        "deadline_no_frequency",
        "chưa khai báo tần suất cập nhật",
        "no update frequency given",
    ),
    (
        "deadline_no_deadline",
        "không có hạn (cập nhật liên tục hoặc không định kỳ)",
        "no deadline (continuous or irregular updates)",
    ),
    (
        "rec_distributions",
        "Phân phối và tải về",
        "Distributions and downloads",
    ),
    ("rec_dist_title", "Tên", "Name"),
    ("rec_dist_format", "Định dạng", "Format"),
    ("rec_dist_size", "Dung lượng", "Size"),
    ("rec_dist_get", "Truy cập", "Get it"),
    ("rec_download", "Tải về", "Download"),
    ("rec_access", "Trang truy cập", "Access page"),
    ("rec_service", "Điểm truy cập dịch vụ", "Service endpoint"),
    ("rec_endpoint", "Địa chỉ dịch vụ", "Endpoint URL"),
    (
        "rec_endpoint_description",
        "Tài liệu mô tả API",
        "Endpoint description",
    ),
    ("rec_quality", "Chất lượng siêu dữ liệu", "Metadata quality"),
    ("rec_score", "Điểm MQA", "MQA score"),
    (
        "rec_conforms",
        "đạt các ràng buộc DCAT-AP",
        "meets the DCAT-AP shapes",
    ),
    (
        "rec_not_conforms",
        "chưa đạt một số ràng buộc DCAT-AP",
        "misses some DCAT-AP shapes",
    ),
    ("severity_violation", "Lỗi", "Violation"),
    ("severity_warning", "Cảnh báo", "Warning"),
    ("rec_cite", "Trích dẫn", "Cite this"),
    ("rec_cite_vi", "Kiểu Việt Nam", "Vietnamese style"),
    (
        "rec_cite_apa",
        "Kiểu APA (tiếng Anh)",
        "APA style (English)",
    ),
    (
        "rec_cite_note",
        "Thời điểm truy cập là lúc trang này được tạo; có thể chọn và sao chép.",
        "The retrieval time is when this page was made; select and copy.",
    ),
    (
        "rec_cite_source",
        "Danh mục dữ liệu mở tỉnh",
        "Open data catalogue of",
    ),
    ("rec_machine", "Cho máy đọc", "For machines"),
    ("rec_history_json", "Lịch sử (JSON)", "History (JSON)"),
    ("rec_history", "Lịch sử thay đổi", "History"),
    ("rec_version", "Phiên bản", "Version"),
    ("rec_changes", "Bộ ba thay đổi", "Triples changed"),
    ("status_draft", "Bản nháp", "Draft"),
    ("status_published", "Đã công bố", "Published"),
    ("status_withdrawn", "Đã rút", "Withdrawn"),
    ("access_PUBLIC", "Công khai", "Public"),
    (
        "access_RESTRICTED",
        "Hạn chế (cơ quan nhà nước)",
        "Restricted (government)",
    ),
    ("access_NON_PUBLIC", "Không công khai", "Non-public"),
    // The agencies' pages.
    ("agencies_title", "Cơ quan, đơn vị", "Agencies"),
    (
        "agencies_lead",
        "Các cơ quan công bố dữ liệu trong danh mục, với số bộ dữ liệu và dịch vụ bạn xem được.",
        "The agencies that publish in the catalogue, with the datasets and services you can see.",
    ),
    ("agencies_name", "Tên cơ quan", "Name"),
    ("agencies_code", "Mã", "Code"),
    ("agency_merged_into", "đã hợp nhất vào", "merged into"),
    ("agency_quality", "điểm MQA trung bình", "mean MQA score"),
    ("agency_changes", "Sắp xếp tổ chức", "Reorganisation"),
    ("agency_predecessors", "Tiếp nhận từ", "Took over from"),
    ("agency_successors", "Được tiếp nhận bởi", "Succeeded by"),
    ("agency_parent", "Cơ quan cấp trên", "Parent agency"),
    ("succession_merge", "hợp nhất", "merger"),
    ("succession_split", "chia tách", "split"),
    ("succession_replacement", "thay thế", "replacement"),
    ("agency_deadlines", "Thời hạn cập nhật", "Update deadlines"),
    (
        "agency_deadlines_lead",
        "Số bộ dữ liệu theo tình trạng thời hạn cập nhật, theo",
        "Datasets by update-deadline status, under",
    ),
    ("agency_records", "Dữ liệu đã công bố", "Published records"),
    (
        "agency_search_all",
        "Tìm trong toàn bộ dữ liệu của cơ quan",
        "Search everything this agency published",
    ),
    // The SPARQL page.
    ("sparql_title", "Truy vấn SPARQL", "SPARQL query"),
    (
        "sparql_lead",
        "Truy vấn đồ thị siêu dữ liệu bằng SPARQL 1.1. Bạn chỉ thấy những bản ghi được phép xem; truy vấn có giới hạn thời gian và kích thước.",
        "Query the metadata graph with SPARQL 1.1. You see only the records you may read; queries are limited in time and size.",
    ),
    ("sparql_query", "Câu truy vấn", "Query"),
    ("sparql_run", "Chạy truy vấn", "Run query"),
    ("sparql_examples", "Truy vấn mẫu", "Example queries"),
    ("sparql_download", "Tải kết quả", "Download the results"),
    (
        "sparql_ex_services",
        "Các dịch vụ dữ liệu và địa chỉ truy cập",
        "Data services and their endpoints",
    ),
    (
        "sparql_ex_theme",
        "Bộ dữ liệu thuộc lĩnh vực giáo dục",
        "Datasets on education",
    ),
    (
        "sparql_ex_agencies",
        "Số bộ dữ liệu theo cơ quan",
        "Datasets per agency",
    ),
    (
        "sparql_ex_formats",
        "Số bản phân phối theo định dạng",
        "Distributions per format",
    ),
    ("sparql_rows", "{n} dòng kết quả", "{n} result rows"),
    ("sparql_triples", "{n} bộ ba", "{n} triples"),
    (
        "sparql_first",
        "hiển thị {n} dòng đầu",
        "showing the first {n}",
    ),
    // The catalogue of databases page, and the R1 fields of an entry.
    (
        "dbcat_title",
        "Danh mục cơ sở dữ liệu",
        "Catalogue of databases",
    ),
    (
        "dbcat_lead",
        "Danh mục cơ sở dữ liệu do cơ quan đầu mối ban hành: mỗi lần ban hành ghim phiên bản của từng cơ sở dữ liệu.",
        "The catalogue of databases as the coordinating department issues it: each issue pins a version of every entry.",
    ),
    ("dbcat_issue", "Lần ban hành", "Issue"),
    ("dbcat_earlier", "bản trước", "earlier issue"),
    ("dbcat_entries", "cơ sở dữ liệu", "databases"),
    (
        "dbcat_none",
        "Danh mục cơ sở dữ liệu chưa được ban hành lần nào.",
        "The catalogue of databases has not been issued yet.",
    ),
    ("dbcat_all_issues", "Các lần ban hành", "All issues"),
    ("r1_objective", "Mục tiêu", "Objective"),
    ("r1_scope", "Phạm vi", "Scope"),
    ("r1_master_data", "Dữ liệu chủ", "Master data"),
    ("r1_target_users", "Đối tượng sử dụng", "Users"),
    ("r1_purpose", "Mục đích sử dụng", "Purpose"),
    (
        "r1_information_source",
        "Nguồn thông tin",
        "Information sources",
    ),
    ("r1_update_plan", "Kế hoạch cập nhật", "Update plan"),
    ("r1_sharing_method", "Phương thức chia sẻ", "Sharing method"),
    ("r1_legal_basis", "Căn cứ pháp lý", "Legal basis"),
    // Signing in.
    ("nav_signin", "Đăng nhập", "Sign in"),
    ("nav_signout", "Đăng xuất", "Sign out"),
    ("signin_title", "Đăng nhập", "Sign in"),
    (
        "signin_lead",
        "Dành cho cán bộ đầu mối của cơ quan và cơ quan đầu mối của tỉnh. Tài khoản do quản trị viên cấp.",
        "For agencies' data officers and the province's coordinating department. Accounts are issued by an administrator.",
    ),
    ("signin_email", "Thư điện tử", "E-mail"),
    ("signin_password", "Mật khẩu", "Password"),
    ("signin_go", "Đăng nhập", "Sign in"),
    (
        "signin_already",
        "Bạn đang đăng nhập với tài khoản",
        "You are signed in as",
    ),
    (
        "signin_wrong",
        "Thư điện tử hoặc mật khẩu không đúng, hoặc tài khoản đang tạm khóa.",
        "Wrong e-mail or password, or the account is locked for now.",
    ),
    (
        "signin_locked",
        "Thư điện tử hoặc mật khẩu không đúng, hoặc tài khoản đang tạm khóa.",
        "Wrong e-mail or password, or the account is locked for now.",
    ),
    (
        "signin_expired",
        "Biểu mẫu đã hết hạn; vui lòng đăng nhập lại.",
        "The form has expired; please sign in again.",
    ),
    (
        "signin_note",
        "Sau 5 lần nhập sai liên tiếp, tài khoản bị tạm khóa 15 phút. Phiên đăng nhập kéo dài 8 giờ.",
        "After 5 wrong attempts in a row the account is locked for 15 minutes. A session lasts 8 hours.",
    ),
    // An officer's pages.
    ("nav_manage", "Quản lý dữ liệu", "Manage records"),
    (
        "manage_title",
        "Dữ liệu của cơ quan",
        "Your agency's records",
    ),
    (
        "manage_all_agencies",
        "Mọi cơ quan (quản trị viên)",
        "Every agency (administrator)",
    ),
    ("manage_new", "Thêm bộ dữ liệu", "New dataset"),
    ("manage_edit", "Sửa", "Edit"),
    ("manage_withdraw", "Rút khỏi danh mục", "Withdraw"),
    ("manage_state", "Trạng thái", "Status"),
    ("manage_access", "Quyền truy cập", "Access"),
    ("manage_actions", "Thao tác", "Actions"),
    (
        "manage_done_created",
        "Đã thêm bộ dữ liệu.",
        "The dataset was created.",
    ),
    (
        "manage_done_saved",
        "Đã lưu thay đổi.",
        "The changes were saved.",
    ),
    (
        "manage_done_withdrawn",
        "Đã rút bộ dữ liệu; lịch sử vẫn được giữ.",
        "The dataset was withdrawn; its history remains.",
    ),
    (
        "form_fix",
        "Vui lòng sửa các mục dưới đây:",
        "Please correct the following:",
    ),
    ("form_save", "Lưu", "Save"),
    ("form_cancel", "Hủy", "Cancel"),
    ("form_choose", "— Chọn —", "— Choose —"),
    (
        "form_title_vi",
        "Tên bộ dữ liệu (tiếng Việt)",
        "Title (Vietnamese)",
    ),
    (
        "form_title_en",
        "Tên bộ dữ liệu (tiếng Anh)",
        "Title (English)",
    ),
    (
        "form_description_vi",
        "Mô tả (tiếng Việt)",
        "Description (Vietnamese)",
    ),
    ("form_keywords", "Từ khóa", "Keywords"),
    (
        "form_keywords_hint",
        "Cách nhau bằng dấu phẩy",
        "Separated by commas",
    ),
    ("form_theme", "Lĩnh vực", "Theme"),
    ("form_access", "Quyền truy cập", "Access rights"),
    ("form_frequency", "Tần suất cập nhật", "Update frequency"),
    ("form_license", "Giấy phép", "Licence"),
    ("form_download_url", "Địa chỉ tải dữ liệu", "Download URL"),
    (
        "form_download_url_hint",
        "Địa chỉ http(s) của tệp dữ liệu; chỉ dùng khi thêm mới (các bản phân phối đã có được giữ nguyên khi sửa)",
        "The data file's http(s) address; used when creating (existing distributions are kept when editing)",
    ),
    ("form_format", "Định dạng tệp", "File format"),
    ("form_status", "Trạng thái", "Status"),
    (
        "form_err_title",
        "Cần nhập tên bộ dữ liệu bằng tiếng Việt.",
        "A Vietnamese title is required.",
    ),
    (
        "form_err_description",
        "Cần nhập mô tả bằng tiếng Việt.",
        "A Vietnamese description is required.",
    ),
    (
        "form_err_theme",
        "Cần chọn một lĩnh vực.",
        "Choose a theme.",
    ),
    (
        "form_err_url",
        "Địa chỉ phải bắt đầu bằng http:// hoặc https://.",
        "The address must start with http:// or https://.",
    ),
    (
        "form_err_choice",
        "Giá trị này không có trong danh sách.",
        "That value is not one of the choices.",
    ),
    ("form_err_long", "Nội dung quá dài.", "Too long."),
    (
        "form_err_shapes",
        "Mô tả chưa đạt chuẩn DCAT-AP (có thể lưu dạng bản nháp để hoàn thiện sau).",
        "The description does not meet DCAT-AP yet (save it as a draft to finish it later).",
    ),
    (
        "form_err_stale",
        "Bộ dữ liệu vừa được người khác thay đổi; hãy mở lại trang sửa.",
        "Someone else changed the dataset meanwhile; open the edit page again.",
    ),
    // An error shown to a browser as a page.
    ("error_detail", "Chi tiết", "Details"),
    ("error_home", "Về trang chủ", "Go to the home page"),
    ("error_about_code", "Về mã lỗi này", "About this error code"),
    // Feedback on records (R9).
    ("fb_title", "Phản ánh, góp ý", "Feedback"),
    (
        "fb_none",
        "Chưa có phản ánh nào về bản ghi này.",
        "No feedback on this record yet.",
    ),
    (
        "fb_sent",
        "Đã gửi phản ánh; cơ quan chủ quản sẽ trả lời tại đây.",
        "Feedback sent; the owning agency will answer here.",
    ),
    ("fb_answer", "Trả lời của cơ quan", "The agency's answer"),
    (
        "fb_report",
        "Báo lỗi hoặc góp ý về dữ liệu này",
        "Report a problem with this data",
    ),
    ("fb_kind", "Loại phản ánh", "Kind of problem"),
    ("fb_message", "Nội dung", "What is wrong"),
    (
        "fb_contact",
        "Thông tin liên hệ (không bắt buộc)",
        "Contact (optional)",
    ),
    (
        "fb_contact_hint",
        "Thư điện tử hoặc số điện thoại; chỉ cơ quan chủ quản thấy, không công khai.",
        "E-mail or telephone; only the owning agency sees it, never shown publicly.",
    ),
    ("fb_send", "Gửi phản ánh", "Send"),
    ("fb_kind_error", "Sai sót", "Error"),
    ("fb_kind_outdated", "Chưa cập nhật", "Out of date"),
    ("fb_kind_broken_link", "Liên kết hỏng", "Broken link"),
    ("fb_kind_other", "Khác", "Other"),
    ("fb_state_open", "chưa trả lời", "open"),
    ("fb_state_answered", "đã trả lời", "answered"),
    ("fb_state_resolved", "đã xử lý", "resolved"),
    ("fb_state_rejected", "không tiếp nhận", "rejected"),
    // The data-service form's own fields.
    (
        "manage_new_service",
        "Thêm dịch vụ dữ liệu",
        "New data service",
    ),
    (
        "form_endpoint_url",
        "Địa chỉ truy cập dịch vụ (endpoint)",
        "Endpoint URL",
    ),
    (
        "form_endpoint_url_hint",
        "Địa chỉ mà ứng dụng gọi tới, ví dụ https://api.tayninh.gov.vn/…",
        "The address applications call, e.g. https://api.tayninh.gov.vn/…",
    ),
    (
        "form_endpoint_description",
        "Tài liệu mô tả dịch vụ (OpenAPI, WSDL…)",
        "Endpoint description (OpenAPI, WSDL…)",
    ),
    (
        "form_endpoint_description_hint",
        "Địa chỉ tài liệu mô tả cách gọi dịch vụ, nếu có.",
        "Where the description of how to call it is, if any.",
    ),
    (
        "form_err_endpoint",
        "Cần nhập địa chỉ truy cập của dịch vụ.",
        "Enter the service's endpoint URL.",
    ),
    // An officer's harvest sources and jobs (/manage/harvest).
    ("nav_harvest", "Thu thập dữ liệu", "Harvesting"),
    (
        "harv_title",
        "Nguồn thu thập của cơ quan",
        "The agency's harvest sources",
    ),
    (
        "harv_lead",
        "Tải bảng tính (CSV hoặc XLSX) lên nguồn dạng bảng tính, hoặc chạy thu thập ngay, rồi theo dõi kết quả.",
        "Upload a spreadsheet (CSV or XLSX) to a sheet source, or run a harvest now, then follow the job.",
    ),
    (
        "harv_none",
        "Cơ quan chưa có nguồn thu thập nào; Sở phụ trách đăng ký nguồn.",
        "The agency has no harvest source yet; the coordinating department registers them.",
    ),
    ("harv_kind", "Loại nguồn", "Kind"),
    ("harv_url", "Địa chỉ", "Address"),
    (
        "harv_no_url",
        "không có (tải tệp lên mỗi lần chạy)",
        "none (a file is uploaded on each run)",
    ),
    ("harv_schedule", "Lịch chạy", "Schedule"),
    ("harv_last", "Lần chạy gần nhất", "Latest run"),
    ("harv_never", "chưa chạy", "never run"),
    ("harv_file", "Tệp bảng tính", "Spreadsheet file"),
    (
        "harv_file_hint",
        "CSV (UTF-8) hoặc XLSX, mỗi dòng một bộ dữ liệu, theo mẫu của nguồn.",
        "CSV (UTF-8) or XLSX, one dataset per row, in the source's template.",
    ),
    (
        "harv_upload_run",
        "Tải lên và thu thập",
        "Upload and harvest",
    ),
    ("harv_run", "Chạy thu thập ngay", "Harvest now"),
    ("harv_job", "Lượt thu thập", "Harvest job"),
    (
        "harv_refreshing",
        "trang tự cập nhật sau mỗi 2 giây",
        "this page refreshes every 2 seconds",
    ),
    ("harv_queued", "Bắt đầu lúc", "Queued at"),
    ("harv_finished", "Kết thúc lúc", "Finished at"),
    ("harv_progress", "Đã xử lý", "Processed"),
    ("harv_message", "Thông báo", "Message"),
    (
        "harv_held",
        "Bản ghi chờ xác nhận thu hồi",
        "Withdrawals held for review",
    ),
    ("harv_counts", "Kết quả", "Outcome"),
    ("harv_warnings", "Cảnh báo", "Warnings"),
    (
        "harv_failures",
        "Các dòng không thu thập được",
        "Rows that failed",
    ),
    ("harv_row", "Dòng / mã", "Row / identifier"),
    ("harv_reason", "Lý do", "Reason"),
    ("job_queued", "Đang chờ", "Queued"),
    ("job_running", "Đang chạy", "Running"),
    ("job_succeeded", "Hoàn thành", "Succeeded"),
    ("job_failed", "Thất bại", "Failed"),
    ("job_cancelled", "Đã hủy", "Cancelled"),
    ("job_created", "Thêm mới", "Created"),
    ("job_updated", "Cập nhật", "Updated"),
    ("job_unchanged", "Không đổi", "Unchanged"),
    ("job_withdrawn", "Thu hồi", "Withdrawn"),
    ("job_failed_records", "Lỗi", "Failed"),
    // The coordinating department's dashboard (/dashboard).
    ("nav_dashboard", "Bảng điều khiển", "Dashboard"),
    (
        "dash_title",
        "Bảng điều khiển điều phối dữ liệu",
        "Data coordination dashboard",
    ),
    ("dash_today", "hôm nay", "today"),
    (
        "dash_sections",
        "Các phần của bảng điều khiển",
        "Dashboard sections",
    ),
    (
        "dash_quality",
        "Chất lượng siêu dữ liệu",
        "Metadata quality",
    ),
    ("dash_report", "Báo cáo quý", "Quarterly report"),
    (
        "dash_requests",
        "Đề nghị cập nhật danh mục cơ sở dữ liệu",
        "Requests to change the catalogue of databases",
    ),
    (
        "dash_duplicates",
        "Dữ liệu có thể trùng lặp",
        "Likely duplicates",
    ),
    (
        "dash_deadlines_by_agency",
        "Số bộ dữ liệu theo thời hạn cập nhật, theo cơ quan",
        "Datasets by update deadline, per agency",
    ),
    ("dash_agency", "Cơ quan", "Agency"),
    ("dash_total", "Tổng", "Total"),
    ("dash_due", "hạn", "due"),
    ("dash_late_by", "trễ", "late by"),
    ("dash_in", "còn", "in"),
    ("dash_days", "ngày", "days"),
    ("dash_and_more", "Và số bản ghi khác:", "And more records:"),
    (
        "dash_distribution",
        "Phân bố điểm chất lượng (phần trăm điểm tối đa)",
        "Distribution of quality scores (percent of the maximum)",
    ),
    ("dash_records", "bản ghi", "records"),
    (
        "dash_no_scores",
        "Chưa có bản ghi nào được chấm điểm.",
        "No record has been scored yet.",
    ),
    (
        "dash_per_agency",
        "Điểm chất lượng trung bình theo cơ quan (phần trăm điểm tối đa)",
        "Mean quality score per agency (percent of the maximum)",
    ),
    ("dash_band", "Khoảng điểm", "Score band"),
    ("dash_mean_score", "Điểm trung bình", "Mean score"),
    (
        "dash_mean_percent",
        "Tỷ lệ so với tối đa",
        "Percent of maximum",
    ),
    ("dash_conforming", "Đạt chuẩn DCAT-AP", "Meet DCAT-AP"),
    ("dash_violations", "Số lỗi", "Violations"),
    ("dash_quarter", "Quý", "Quarter"),
    ("dash_quarter_hint", "dạng 2026-Q3", "like 2026-Q3"),
    ("dash_show", "Xem báo cáo", "Show report"),
    ("dash_report_due", "hạn nộp báo cáo", "report due"),
    ("dash_download_csv", "Tải CSV", "Download CSV"),
    ("dash_download_html", "Bản in (HTML)", "Printable (HTML)"),
    ("dash_r_published", "Công bố mới", "Newly published"),
    ("dash_r_updated", "Cập nhật", "Updated"),
    ("dash_r_withdrawn", "Thu hồi", "Withdrawn"),
    ("dash_r_total", "Tổng đang công bố", "Published in all"),
    ("dash_r_overdue", "Quá hạn cập nhật", "Overdue"),
    (
        "dash_r_open",
        "Dữ liệu mở / kế hoạch",
        "Open datasets / plan",
    ),
    ("dash_r_quality", "Chất lượng TB", "Mean quality"),
    (
        "dash_demand",
        "Dữ liệu được đề nghị nhiều nhất",
        "Most requested data",
    ),
    (
        "dash_demand_none",
        "Chưa có đề nghị cung cấp dữ liệu nào đang chờ.",
        "No request for data is waiting.",
    ),
    (
        "dash_demand_title",
        "Dữ liệu được đề nghị",
        "Data asked for",
    ),
    ("dash_demand_supports", "Số người ủng hộ", "Supporters"),
    ("dash_demand_open", "chưa giao", "not assigned"),
    ("dash_demand_assigned", "đã giao cơ quan", "assigned"),
    ("dash_demand_planned", "đã có kế hoạch", "planned"),
    (
        "dash_r_feedback",
        "Phản ánh nhận / chưa xong",
        "Feedback received / open",
    ),
    (
        "dash_no_requests",
        "Không có đề nghị nào đang chờ duyệt.",
        "No request is waiting for a decision.",
    ),
    ("dash_submitted", "gửi ngày", "submitted"),
    ("dash_findings", "lưu ý DCAT-AP", "DCAT-AP findings"),
    (
        "dash_reason_optional",
        "Ý kiến (không bắt buộc)",
        "Note (optional)",
    ),
    (
        "dash_reason_required",
        "Lý do từ chối (bắt buộc)",
        "Reason for rejecting (required)",
    ),
    ("dash_approve", "Phê duyệt", "Approve"),
    ("dash_reject", "Từ chối", "Reject"),
    ("dash_action_add", "Bổ sung", "Add"),
    ("dash_action_change", "Điều chỉnh", "Change"),
    ("dash_action_withdraw", "Đưa ra khỏi danh mục", "Withdraw"),
    (
        "dash_done_approved",
        "Đã phê duyệt đề nghị; danh mục cơ sở dữ liệu có lần ban hành mới.",
        "Request approved; the catalogue of databases has a new issue.",
    ),
    (
        "dash_done_rejected",
        "Đã từ chối đề nghị; cơ quan sẽ thấy lý do.",
        "Request rejected; the agency will see the reason.",
    ),
    (
        "dash_duplicates_lead",
        "Các cặp bộ dữ liệu của hai cơ quan khác nhau có tên gần giống nhau (sau khi bỏ dấu), cần xem xét:",
        "Pairs of datasets of different agencies whose titles are alike once diacritics are folded, to review:",
    ),
    ("dash_shown", "hiển thị", "shown"),
    ("dash_similarity", "Mức giống", "Similarity"),
    ("dash_record_a", "Bản ghi thứ nhất", "First record"),
    ("dash_record_b", "Bản ghi thứ hai", "Second record"),
    // Kinds of record, as search facets name them.
    ("kind_dataset", "Bộ dữ liệu", "Dataset"),
    ("kind_dataservice", "Dịch vụ dữ liệu", "Data service"),
    ("kind_catalog", "Danh mục", "Catalogue"),
    ("kind_agency", "Cơ quan", "Agency"),
    (
        "kind_database-entry",
        "Cơ sở dữ liệu (danh mục cơ sở dữ liệu)",
        "Database (catalogue of databases)",
    ),
];

/// The message for `key` in `lang`; the key itself when unknown (a bug, but never a crash).
pub fn msg(key: &str, lang: Lang) -> &str {
    lookup(key, lang).unwrap_or(key)
}

/// The message for `key` in `lang`, or `None` when the catalogue lacks it.
pub fn lookup(key: &str, lang: Lang) -> Option<&'static str> {
    MESSAGES
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, vi, en)| if lang == Lang::Vi { *vi } else { *en })
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
