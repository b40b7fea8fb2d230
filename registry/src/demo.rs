//! The demo province, written for this project: Tây Ninh after the 2025 merger, its
//! coordinating department and twelve agencies, their open datasets (with distributions),
//! data-sharing services and catalogue-of-databases entries with the R1 fields. Loaded on
//! first start with `serve --demo`, through the same write path as every other write.

use crate::auth::{Role, create_token};
use crate::demo_openapi::{DESCRIPTIONS, DESCRIPTIONS_PATH};
use oxigraph::io::RdfFormat;
use record::{Kind, Status};
use {
    crate::records::{Provenance, Registry, WriteRecord},
    store::StoreError,
};

/// (code, Vietnamese name, English name)
const AGENCIES: &[(&str, &str, &str)] = &[
    (
        "so-khcn",
        "Sở Khoa học và Công nghệ tỉnh Tây Ninh",
        "Department of Science and Technology of Tay Ninh",
    ),
    (
        "vp-ubnd",
        "Văn phòng Ủy ban nhân dân tỉnh Tây Ninh",
        "Office of the Tay Ninh Provincial People's Committee",
    ),
    ("so-tc", "Sở Tài chính", "Department of Finance"),
    ("so-nv", "Sở Nội vụ", "Department of Home Affairs"),
    ("so-tp", "Sở Tư pháp", "Department of Justice"),
    (
        "so-ct",
        "Sở Công Thương",
        "Department of Industry and Trade",
    ),
    (
        "so-nnmt",
        "Sở Nông nghiệp và Môi trường",
        "Department of Agriculture and Environment",
    ),
    ("so-xd", "Sở Xây dựng", "Department of Construction"),
    (
        "so-gddt",
        "Sở Giáo dục và Đào tạo",
        "Department of Education and Training",
    ),
    ("so-yt", "Sở Y tế", "Department of Health"),
    (
        "so-vhttdl",
        "Sở Văn hóa, Thể thao và Du lịch",
        "Department of Culture, Sports and Tourism",
    ),
    (
        "so-dtt",
        "Sở Dân tộc và Tôn giáo",
        "Department of Ethnic and Religious Affairs",
    ),
    (
        "ubnd-tan-ninh",
        "Ủy ban nhân dân phường Tân Ninh",
        "People's Committee of Tan Ninh ward",
    ),
];

/// (agency, vi title, en title, vi description, keywords, theme, frequency, formats)
type DatasetRow = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static str,
    &'static str,
    &'static [&'static str],
);

const DATASETS: &[DatasetRow] = &[
    (
        "so-khcn",
        "Danh sách tổ chức khoa học và công nghệ",
        "Science and technology organisations",
        "Các tổ chức khoa học và công nghệ đã đăng ký hoạt động trên địa bàn tỉnh.",
        &["khoa học", "công nghệ", "tổ chức"],
        "TECH",
        "QUARTERLY",
        &["CSV", "JSON"],
    ),
    (
        "so-khcn",
        "Nhiệm vụ khoa học cấp tỉnh",
        "Provincial research projects",
        "Danh mục nhiệm vụ khoa học và công nghệ cấp tỉnh, kinh phí và tiến độ.",
        &["đề tài", "nghiên cứu"],
        "TECH",
        "ANNUAL",
        &["XLSX"],
    ),
    (
        "so-khcn",
        "Trạm phát sóng thông tin di động",
        "Mobile base stations",
        "Vị trí các trạm thu phát sóng thông tin di động.",
        &["viễn thông", "trạm BTS"],
        "TECH",
        "QUARTERLY",
        &["GEOJSON", "CSV"],
    ),
    (
        "so-khcn",
        "Điểm truy cập Internet công cộng",
        "Public Internet access points",
        "Các điểm cung cấp Internet miễn phí tại nơi công cộng.",
        &["Internet", "wifi"],
        "TECH",
        "ANNUAL",
        &["CSV"],
    ),
    (
        "vp-ubnd",
        "Thủ tục hành chính cấp tỉnh",
        "Provincial administrative procedures",
        "Danh mục thủ tục hành chính thuộc thẩm quyền giải quyết của cấp tỉnh.",
        &["thủ tục hành chính", "dịch vụ công"],
        "GOVE",
        "MONTHLY",
        &["JSON", "CSV"],
    ),
    (
        "vp-ubnd",
        "Kết quả giải quyết hồ sơ hành chính",
        "Processing of administrative files",
        "Số hồ sơ tiếp nhận, giải quyết đúng hạn và quá hạn theo tháng.",
        &["hồ sơ", "một cửa"],
        "GOVE",
        "MONTHLY",
        &["CSV"],
    ),
    (
        "vp-ubnd",
        "Văn bản chỉ đạo điều hành",
        "Executive directives",
        "Văn bản chỉ đạo, điều hành của Ủy ban nhân dân tỉnh.",
        &["văn bản", "chỉ đạo"],
        "GOVE",
        "DAILY",
        &["PDF", "JSON"],
    ),
    (
        "vp-ubnd",
        "Lịch tiếp công dân",
        "Citizen reception schedule",
        "Lịch tiếp công dân định kỳ của lãnh đạo tỉnh.",
        &["tiếp công dân"],
        "GOVE",
        "MONTHLY",
        &["HTML"],
    ),
    (
        "so-tc",
        "Dự toán ngân sách địa phương",
        "Local budget estimates",
        "Dự toán thu, chi ngân sách địa phương được Hội đồng nhân dân tỉnh thông qua.",
        &["ngân sách", "dự toán"],
        "ECON",
        "ANNUAL",
        &["XLSX", "PDF"],
    ),
    (
        "so-tc",
        "Quyết toán ngân sách địa phương",
        "Local budget outturn",
        "Số liệu quyết toán thu, chi ngân sách địa phương.",
        &["ngân sách", "quyết toán"],
        "ECON",
        "ANNUAL",
        &["XLSX"],
    ),
    (
        "so-tc",
        "Giá đất và giá tài sản công",
        "Land and public asset prices",
        "Bảng giá đất và giá trị tài sản công được công bố.",
        &["giá đất", "tài sản công"],
        "ECON",
        "ANNUAL",
        &["CSV", "PDF"],
    ),
    (
        "so-tc",
        "Doanh nghiệp đăng ký thành lập mới",
        "Newly registered enterprises",
        "Doanh nghiệp thành lập mới theo tháng, ngành nghề và địa bàn.",
        &["doanh nghiệp", "đăng ký kinh doanh"],
        "ECON",
        "MONTHLY",
        &["CSV", "JSON"],
    ),
    (
        "so-nv",
        "Đơn vị hành chính cấp xã",
        "Commune-level administrative units",
        "Danh sách xã, phường sau sắp xếp đơn vị hành chính năm 2025.",
        &["đơn vị hành chính", "xã", "phường"],
        "REGI",
        "IRREG",
        &["CSV", "JSON"],
    ),
    (
        "so-nv",
        "Biên chế công chức, viên chức",
        "Civil service staffing",
        "Số lượng biên chế được giao theo cơ quan, đơn vị.",
        &["biên chế", "công chức"],
        "GOVE",
        "ANNUAL",
        &["XLSX"],
    ),
    (
        "so-nv",
        "Thi đua, khen thưởng",
        "Awards and commendations",
        "Các quyết định khen thưởng của tỉnh.",
        &["khen thưởng"],
        "GOVE",
        "QUARTERLY",
        &["CSV"],
    ),
    (
        "so-tp",
        "Tổ chức hành nghề công chứng",
        "Notary offices",
        "Danh sách văn phòng công chứng, phòng công chứng và công chứng viên.",
        &["công chứng", "bổ trợ tư pháp"],
        "JUST",
        "QUARTERLY",
        &["CSV"],
    ),
    (
        "so-tp",
        "Tổ chức hành nghề luật sư",
        "Law firms",
        "Danh sách tổ chức hành nghề luật sư đăng ký tại tỉnh.",
        &["luật sư"],
        "JUST",
        "QUARTERLY",
        &["CSV", "JSON"],
    ),
    (
        "so-tp",
        "Văn bản quy phạm pháp luật của tỉnh",
        "Provincial legal documents",
        "Cơ sở dữ liệu văn bản quy phạm pháp luật do tỉnh ban hành.",
        &["văn bản pháp luật"],
        "JUST",
        "MONTHLY",
        &["JSON", "PDF"],
    ),
    (
        "so-tp",
        "Tổ chức đấu giá tài sản",
        "Auction organisations",
        "Danh sách tổ chức đấu giá tài sản.",
        &["đấu giá"],
        "JUST",
        "ANNUAL",
        &["CSV"],
    ),
    (
        "so-ct",
        "Chợ và trung tâm thương mại",
        "Markets and shopping centres",
        "Vị trí, quy mô các chợ, siêu thị và trung tâm thương mại.",
        &["chợ", "siêu thị", "thương mại"],
        "ECON",
        "ANNUAL",
        &["CSV", "GEOJSON"],
    ),
    (
        "so-ct",
        "Cửa hàng xăng dầu",
        "Petrol stations",
        "Danh sách cửa hàng bán lẻ xăng dầu được cấp phép.",
        &["xăng dầu"],
        "ENER",
        "QUARTERLY",
        &["CSV"],
    ),
    (
        "so-ct",
        "Cụm công nghiệp",
        "Industrial clusters",
        "Diện tích, tỷ lệ lấp đầy và doanh nghiệp trong các cụm công nghiệp.",
        &["cụm công nghiệp", "đầu tư"],
        "ECON",
        "QUARTERLY",
        &["XLSX", "GEOJSON"],
    ),
    (
        "so-ct",
        "Kim ngạch xuất khẩu",
        "Export turnover",
        "Kim ngạch xuất khẩu theo nhóm hàng và thị trường.",
        &["xuất khẩu", "thương mại"],
        "ECON",
        "MONTHLY",
        &["CSV"],
    ),
    (
        "so-nnmt",
        "Quan trắc chất lượng không khí",
        "Air quality monitoring",
        "Kết quả quan trắc tự động chất lượng không khí tại các trạm.",
        &["môi trường", "không khí", "quan trắc"],
        "ENVI",
        "DAILY",
        &["CSV", "JSON"],
    ),
    (
        "so-nnmt",
        "Quan trắc chất lượng nước mặt",
        "Surface water quality",
        "Kết quả quan trắc nước mặt trên sông Vàm Cỏ Đông và hồ Dầu Tiếng.",
        &["môi trường", "nước mặt", "quan trắc"],
        "ENVI",
        "MONTHLY",
        &["CSV"],
    ),
    (
        "so-nnmt",
        "Diện tích gieo trồng cây hằng năm",
        "Annual crop area",
        "Diện tích gieo trồng lúa, mía, mì theo mùa vụ.",
        &["nông nghiệp", "cây trồng", "lúa"],
        "AGRI",
        "QUARTERLY",
        &["XLSX"],
    ),
    (
        "so-nnmt",
        "Bản đồ hiện trạng sử dụng đất",
        "Land use map",
        "Bản đồ hiện trạng sử dụng đất cấp tỉnh.",
        &["đất đai", "bản đồ"],
        "REGI",
        "ANNUAL",
        &["SHP", "GEOJSON"],
    ),
    (
        "so-nnmt",
        "Cơ sở sản xuất giống cây trồng",
        "Seed producers",
        "Cơ sở sản xuất, kinh doanh giống cây trồng được công nhận.",
        &["giống cây trồng"],
        "AGRI",
        "ANNUAL",
        &["CSV"],
    ),
    (
        "so-nnmt",
        "Mực nước hồ Dầu Tiếng",
        "Dau Tieng reservoir water level",
        "Mực nước và dung tích hồ Dầu Tiếng theo ngày.",
        &["thủy lợi", "hồ chứa"],
        "ENVI",
        "DAILY",
        &["CSV", "JSON"],
    ),
    (
        "so-xd",
        "Giấy phép xây dựng",
        "Building permits",
        "Giấy phép xây dựng đã cấp theo tháng.",
        &["xây dựng", "giấy phép"],
        "GOVE",
        "MONTHLY",
        &["CSV"],
    ),
    (
        "so-xd",
        "Quy hoạch đô thị",
        "Urban plans",
        "Đồ án quy hoạch chung và quy hoạch phân khu đã phê duyệt.",
        &["quy hoạch", "đô thị"],
        "REGI",
        "IRREG",
        &["PDF", "SHP"],
    ),
    (
        "so-xd",
        "Tuyến xe buýt",
        "Bus routes",
        "Lộ trình, giờ chạy và điểm dừng các tuyến xe buýt.",
        &["giao thông", "xe buýt"],
        "TRAN",
        "QUARTERLY",
        &["JSON", "CSV"],
    ),
    (
        "so-xd",
        "Giá vật liệu xây dựng",
        "Building material prices",
        "Công bố giá vật liệu xây dựng hằng tháng.",
        &["giá", "vật liệu"],
        "ECON",
        "MONTHLY",
        &["XLSX", "PDF"],
    ),
    (
        "so-gddt",
        "Danh sách trường học",
        "Schools",
        "Trường mầm non, tiểu học, trung học cơ sở và trung học phổ thông.",
        &["giáo dục", "trường học"],
        "EDUC",
        "ANNUAL",
        &["CSV", "JSON"],
    ),
    (
        "so-gddt",
        "Kết quả thi tốt nghiệp trung học phổ thông",
        "Upper-secondary graduation results",
        "Tỷ lệ tốt nghiệp và điểm trung bình theo trường (không có dữ liệu cá nhân).",
        &["thi tốt nghiệp", "giáo dục"],
        "EDUC",
        "ANNUAL",
        &["XLSX"],
    ),
    (
        "so-gddt",
        "Cơ sở giáo dục nghề nghiệp",
        "Vocational schools",
        "Trường cao đẳng, trung cấp và trung tâm giáo dục nghề nghiệp.",
        &["giáo dục nghề nghiệp"],
        "EDUC",
        "ANNUAL",
        &["CSV"],
    ),
    (
        "so-gddt",
        "Số lượng học sinh theo cấp học",
        "Pupils by level",
        "Số học sinh theo cấp học và địa bàn.",
        &["học sinh", "thống kê"],
        "EDUC",
        "ANNUAL",
        &["CSV"],
    ),
    (
        "so-yt",
        "Cơ sở khám bệnh, chữa bệnh",
        "Health facilities",
        "Bệnh viện, trạm y tế, phòng khám được cấp phép hoạt động.",
        &["y tế", "bệnh viện"],
        "HEAL",
        "QUARTERLY",
        &["CSV", "GEOJSON"],
    ),
    (
        "so-yt",
        "Nhà thuốc đạt chuẩn",
        "Certified pharmacies",
        "Nhà thuốc, quầy thuốc đạt chuẩn thực hành tốt.",
        &["dược", "nhà thuốc"],
        "HEAL",
        "QUARTERLY",
        &["CSV"],
    ),
    (
        "so-yt",
        "Tiêm chủng mở rộng",
        "Expanded immunisation",
        "Tỷ lệ tiêm chủng theo vắc xin và địa bàn.",
        &["tiêm chủng", "vắc xin"],
        "HEAL",
        "MONTHLY",
        &["CSV"],
    ),
    (
        "so-yt",
        "Cơ sở an toàn thực phẩm",
        "Food safety certificates",
        "Cơ sở được cấp giấy chứng nhận đủ điều kiện an toàn thực phẩm.",
        &["an toàn thực phẩm"],
        "HEAL",
        "MONTHLY",
        &["CSV"],
    ),
    (
        "so-vhttdl",
        "Di tích lịch sử văn hóa",
        "Historic and cultural sites",
        "Di tích cấp quốc gia và cấp tỉnh, trong đó có Tòa Thánh Tây Ninh và núi Bà Đen.",
        &["di tích", "văn hóa", "du lịch"],
        "EDUC",
        "ANNUAL",
        &["CSV", "GEOJSON"],
    ),
    (
        "so-vhttdl",
        "Cơ sở lưu trú du lịch",
        "Tourist accommodation",
        "Khách sạn, nhà nghỉ, homestay được xếp hạng.",
        &["du lịch", "khách sạn"],
        "ECON",
        "QUARTERLY",
        &["CSV", "JSON"],
    ),
    (
        "so-vhttdl",
        "Lượt khách du lịch",
        "Tourist arrivals",
        "Lượt khách du lịch nội địa và quốc tế theo tháng.",
        &["du lịch", "thống kê"],
        "ECON",
        "MONTHLY",
        &["CSV"],
    ),
    (
        "so-vhttdl",
        "Lễ hội truyền thống",
        "Traditional festivals",
        "Lịch lễ hội truyền thống trong năm.",
        &["lễ hội"],
        "EDUC",
        "ANNUAL",
        &["HTML", "JSON"],
    ),
    (
        "so-dtt",
        "Cơ sở tín ngưỡng, tôn giáo",
        "Places of worship",
        "Cơ sở tín ngưỡng, tôn giáo được công nhận.",
        &["tôn giáo"],
        "SOCI",
        "ANNUAL",
        &["CSV"],
    ),
    (
        "so-dtt",
        "Dân số dân tộc thiểu số",
        "Ethnic minority population",
        "Dân số các dân tộc thiểu số theo xã, phường.",
        &["dân tộc", "dân số"],
        "SOCI",
        "ANNUAL",
        &["XLSX"],
    ),
    (
        "ubnd-tan-ninh",
        "Hộ kinh doanh cá thể phường Tân Ninh",
        "Household businesses in Tan Ninh",
        "Hộ kinh doanh đăng ký trên địa bàn phường.",
        &["hộ kinh doanh"],
        "ECON",
        "QUARTERLY",
        &["CSV"],
    ),
    (
        "ubnd-tan-ninh",
        "Điểm thu gom rác thải",
        "Waste collection points",
        "Vị trí và lịch thu gom rác thải sinh hoạt.",
        &["rác thải", "môi trường"],
        "ENVI",
        "MONTHLY",
        &["GEOJSON"],
    ),
    (
        "ubnd-tan-ninh",
        "Nhà văn hóa khu phố",
        "Neighbourhood community houses",
        "Nhà văn hóa và khu sinh hoạt cộng đồng.",
        &["văn hóa", "cộng đồng"],
        "SOCI",
        "ANNUAL",
        &["CSV"],
    ),
    (
        "so-nv",
        "Cán bộ đầu mối dữ liệu các cơ quan",
        "Data focal officers",
        "Cán bộ đầu mối về dữ liệu của từng cơ quan, đơn vị.",
        &["đầu mối", "dữ liệu"],
        "GOVE",
        "QUARTERLY",
        &["CSV"],
    ),
    (
        "so-khcn",
        "Chỉ số chuyển đổi số cấp xã",
        "Commune digital transformation index",
        "Kết quả đánh giá chuyển đổi số của các xã, phường.",
        &["chuyển đổi số", "đánh giá"],
        "TECH",
        "ANNUAL",
        &["XLSX", "CSV"],
    ),
];

/// Catalogue-of-databases entries: (agency, name, objective, scope, master data, users & purpose, sources & update plan, sharing method, access)
type DbRow = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

/// A database an agency has asked to add and the coordinating department has not decided on.
const PENDING_DATABASE: DbRow = (
    "so-tc",
    "Cơ sở dữ liệu hộ kinh doanh của tỉnh",
    "Quản lý thông tin đăng ký và tình trạng hoạt động của hộ kinh doanh.",
    "Hộ kinh doanh đăng ký tại Ủy ban nhân dân cấp xã trong tỉnh.",
    "Hộ kinh doanh, chủ hộ kinh doanh, ngành nghề kinh doanh.",
    "Các sở, ngành và Ủy ban nhân dân cấp xã; phục vụ quản lý thuế và thủ tục hành chính.",
    "Từ kết quả đăng ký hộ kinh doanh của cấp xã; cập nhật hằng tháng.",
    "Qua nền tảng tích hợp, chia sẻ dữ liệu cấp tỉnh (LGSP), chia sẻ mặc định.",
    "PUBLIC",
);

const DATABASES: &[DbRow] = &[
    (
        "so-nnmt",
        "Cơ sở dữ liệu đất đai tỉnh Tây Ninh",
        "Quản lý thống nhất thông tin thửa đất, chủ sử dụng và biến động đất đai.",
        "Toàn tỉnh; hồ sơ địa chính từ năm 2010 đến nay.",
        "Thửa đất, chủ sử dụng đất, quyền sử dụng đất.",
        "Cơ quan quản lý đất đai, thuế, tư pháp, ngân hàng; phục vụ giải quyết thủ tục hành chính.",
        "Hồ sơ địa chính, kết quả đo đạc; cập nhật khi có biến động và rà soát hằng quý.",
        "Qua nền tảng tích hợp, chia sẻ dữ liệu cấp tỉnh (LGSP).",
        "RESTRICTED",
    ),
    (
        "so-tc",
        "Cơ sở dữ liệu đăng ký doanh nghiệp của tỉnh",
        "Theo dõi tình trạng hoạt động của doanh nghiệp trên địa bàn.",
        "Doanh nghiệp có trụ sở tại tỉnh.",
        "Doanh nghiệp, người đại diện theo pháp luật.",
        "Các sở, ngành và Ủy ban nhân dân cấp xã; phục vụ quản lý nhà nước sau đăng ký.",
        "Đồng bộ từ Hệ thống thông tin quốc gia về đăng ký doanh nghiệp; cập nhật hằng ngày.",
        "Dịch vụ API qua LGSP, chia sẻ mặc định.",
        "PUBLIC",
    ),
    (
        "so-gddt",
        "Cơ sở dữ liệu ngành giáo dục",
        "Quản lý trường, lớp, giáo viên và học sinh.",
        "Các cơ sở giáo dục mầm non và phổ thông trong tỉnh.",
        "Trường học, giáo viên, học sinh.",
        "Ngành giáo dục, Sở Nội vụ, Sở Tài chính; phục vụ quy hoạch mạng lưới trường.",
        "Nhập từ các trường; cập nhật đầu và cuối năm học.",
        "Kết nối với cơ sở dữ liệu ngành giáo dục quốc gia; chia sẻ theo yêu cầu.",
        "RESTRICTED",
    ),
    (
        "so-yt",
        "Cơ sở dữ liệu hồ sơ sức khỏe điện tử",
        "Lưu trữ hồ sơ sức khỏe điện tử của người dân.",
        "Người dân cư trú trên địa bàn tỉnh.",
        "Hồ sơ sức khỏe cá nhân.",
        "Cơ sở khám bệnh, chữa bệnh; phục vụ khám chữa bệnh liên tục.",
        "Từ các cơ sở y tế; cập nhật sau mỗi lần khám.",
        "Chia sẻ theo yêu cầu đặc thù, có phê duyệt từng trường hợp.",
        "NON_PUBLIC",
    ),
    (
        "so-tp",
        "Cơ sở dữ liệu hộ tịch điện tử",
        "Quản lý đăng ký khai sinh, kết hôn, khai tử.",
        "Toàn tỉnh, dữ liệu số hóa từ sổ hộ tịch.",
        "Sự kiện hộ tịch của công dân.",
        "Cơ quan tư pháp, công an, y tế; phục vụ giải quyết thủ tục hành chính.",
        "Đăng ký tại cấp xã; cập nhật ngay khi đăng ký.",
        "Qua nền tảng chia sẻ quốc gia (NDXP).",
        "RESTRICTED",
    ),
    (
        "so-xd",
        "Cơ sở dữ liệu quy hoạch xây dựng",
        "Công khai quy hoạch và quản lý cấp phép xây dựng.",
        "Các đô thị và khu dân cư tập trung.",
        "Đồ án quy hoạch, ranh giới, chỉ tiêu sử dụng đất.",
        "Người dân, doanh nghiệp, cơ quan quản lý; tra cứu quy hoạch.",
        "Đồ án được phê duyệt; cập nhật khi điều chỉnh quy hoạch.",
        "Dịch vụ bản đồ (WMS) công khai.",
        "PUBLIC",
    ),
    (
        "so-nv",
        "Cơ sở dữ liệu cán bộ, công chức, viên chức",
        "Quản lý hồ sơ cán bộ, công chức, viên chức.",
        "Các cơ quan hành chính và đơn vị sự nghiệp của tỉnh.",
        "Hồ sơ cán bộ, công chức, viên chức.",
        "Sở Nội vụ và cơ quan sử dụng; phục vụ quản lý nhân sự.",
        "Từ các cơ quan; cập nhật khi có thay đổi, rà soát hằng năm.",
        "Chia sẻ theo yêu cầu đặc thù.",
        "NON_PUBLIC",
    ),
    (
        "so-vhttdl",
        "Cơ sở dữ liệu du lịch",
        "Quảng bá điểm đến và quản lý cơ sở kinh doanh du lịch.",
        "Điểm du lịch, cơ sở lưu trú, lữ hành trong tỉnh.",
        "Điểm du lịch, cơ sở lưu trú.",
        "Du khách, doanh nghiệp du lịch; phục vụ quảng bá và thống kê.",
        "Doanh nghiệp tự khai báo, Sở thẩm định; cập nhật hằng quý.",
        "API mở, chia sẻ mặc định.",
        "PUBLIC",
    ),
];

/// (agency, vi title, en title, endpoint path, sharing mode, description)
const SERVICES: &[(&str, &str, &str, &str, &str, &str)] = &[
    (
        "so-tc",
        "Dịch vụ tra cứu thông tin doanh nghiệp",
        "Enterprise lookup service",
        "/lgsp/doanh-nghiep/v1",
        "DefaultSharing",
        "Tra cứu thông tin đăng ký và tình trạng hoạt động của doanh nghiệp.",
    ),
    (
        "so-nnmt",
        "Dịch vụ tra cứu thông tin thửa đất",
        "Land parcel lookup service",
        "/lgsp/dat-dai/v1",
        "SpecificRequestSharing",
        "Cung cấp thông tin thửa đất cho cơ quan có thẩm quyền theo đề nghị.",
    ),
    (
        "so-tp",
        "Dịch vụ chia sẻ dữ liệu hộ tịch",
        "Civil status data service",
        "/lgsp/ho-tich/v1",
        "SpecificRequestSharing",
        "Chia sẻ dữ liệu khai sinh, khai tử phục vụ liên thông thủ tục.",
    ),
    (
        "vp-ubnd",
        "Dịch vụ tra cứu hồ sơ thủ tục hành chính",
        "Administrative file status service",
        "/lgsp/ho-so/v1",
        "DefaultSharing",
        "Tra cứu tình trạng giải quyết hồ sơ của người dân, doanh nghiệp.",
    ),
    (
        "so-nnmt",
        "Dịch vụ dữ liệu quan trắc môi trường",
        "Environmental monitoring API",
        "/api/quan-trac/v1",
        "DefaultSharing",
        "Số liệu quan trắc không khí và nước theo thời gian thực.",
    ),
    (
        "so-xd",
        "Dịch vụ bản đồ quy hoạch (WMS)",
        "Planning map service (WMS)",
        "/wms/quy-hoach",
        "DefaultSharing",
        "Bản đồ quy hoạch xây dựng theo chuẩn WMS.",
    ),
    (
        "so-vhttdl",
        "Dịch vụ dữ liệu điểm du lịch",
        "Tourist attractions API",
        "/api/du-lich/v1",
        "DefaultSharing",
        "Thông tin điểm du lịch, cơ sở lưu trú, sự kiện.",
    ),
];

fn esc(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

fn prefixes() -> &'static str {
    "@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> . @prefix vcard: <http://www.w3.org/2006/vcard/ns#> .\n\
     @prefix dcatvn: <https://w3id.org/dcat-vn#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n\
     @prefix at: <http://publications.europa.eu/resource/authority/access-right/> .\n\
     @prefix freq: <http://publications.europa.eu/resource/authority/frequency/> .\n\
     @prefix ft: <http://publications.europa.eu/resource/authority/file-type/> .\n\
     @prefix theme: <http://publications.europa.eu/resource/authority/data-theme/> .\n"
}

const MEDIA: &[(&str, &str)] = &[
    ("CSV", "text/csv"),
    ("JSON", "application/json"),
    (
        "XLSX",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ("PDF", "application/pdf"),
    ("GEOJSON", "application/geo+json"),
    ("SHP", "application/zip"),
    ("HTML", "text/html"),
];

fn dataset_ttl(i: usize, d: &DatasetRow) -> String {
    let (agency, vi, en, desc, kws, theme, freq, formats) = *d;
    let slug = format!("{agency}-{i:03}");
    let kw: Vec<String> = kws.iter().map(|k| format!("\"{}\"@vi", esc(k))).collect();
    let mut s = format!(
        "{}<urn:demo:{slug}> a dcat:Dataset ;\n dct:title \"{}\"@vi, \"{}\"@en ;\n dct:description \"{}\"@vi ;\n dcat:keyword {} ;\n dcat:theme theme:{theme} ;\n dct:accrualPeriodicity freq:{freq} ;\n dct:license <http://creativecommons.org/licenses/by/4.0/> ;\n dct:language <http://publications.europa.eu/resource/authority/language/VIE> ;\n dct:spatial <https://w3id.org/dcat-vn/codelist/province/80> ;\n dct:issued \"2024-{:02}-{:02}\"^^xsd:date ;\n dct:modified \"2026-{:02}-15\"^^xsd:date ;\n dcatvn:freeOfCharge true ;\n dcat:contactPoint [ a vcard:Kind ; vcard:fn \"Cán bộ đầu mối dữ liệu\"@vi ; vcard:hasEmail <mailto:dulieu.{agency}@tayninh.gov.vn> ] ",
        prefixes(),
        esc(vi),
        esc(en),
        esc(desc),
        kw.join(", "),
        1 + i % 12,
        1 + i % 28,
        1 + i % 10,
    );
    for f in formats.iter() {
        let media = MEDIA
            .iter()
            .find(|(k, _)| k == f)
            .map(|(_, m)| *m)
            .unwrap_or("application/octet-stream");
        s.push_str(&format!(
            ";\n dcat:distribution [ a dcat:Distribution ; dct:title \"{} ({f})\"@vi ; dcat:accessURL <https://opendata.tayninh.gov.vn/files/{slug}.{}> ; dcat:downloadURL <https://opendata.tayninh.gov.vn/files/{slug}.{}> ; dct:format ft:{f} ; dcat:mediaType <https://www.iana.org/assignments/media-types/{media}> ; dct:license <http://creativecommons.org/licenses/by/4.0/> ] ",
            esc(vi),
            f.to_ascii_lowercase(),
            f.to_ascii_lowercase(),
        ));
    }
    s.push_str(".\n");
    s
}

fn database_ttl(i: usize, d: &DbRow) -> String {
    let (agency, name, objective, scope, master, users, sources, sharing, access) = *d;
    let mode = if sharing.contains("yêu cầu") {
        "SpecificRequestSharing"
    } else {
        "DefaultSharing"
    };
    let shared = if access == "NON_PUBLIC" {
        " dcatvn:sharedWith <__BASE__/agencies/so-khcn> ;\n".to_owned()
    } else {
        String::new()
    };
    format!(
        "{}<urn:demo:db-{agency}-{i}> a dcat:Dataset, dcatvn:DatabaseEntry ;\n dct:title \"{}\"@vi ;\n dct:description \"{}\"@vi ;\n dcatvn:objective \"{}\"@vi ;\n dcatvn:scope \"{}\"@vi ;\n dcatvn:masterData \"{}\"@vi ;\n dcatvn:targetUsers \"{}\"@vi ;\n dcatvn:purpose \"{}\"@vi ;\n dcatvn:informationSource \"{}\"@vi ;\n dcatvn:updatePlan \"{}\"@vi ;\n dcatvn:sharingMethod \"{}\"@vi ;\n dcatvn:sharingMode dcatvn:{mode} ;\n dcatvn:legalBasis \"Nghị định 47/2020/NĐ-CP; Quyết định 32/2024/QĐ-UBND tỉnh Tây Ninh\"@vi ;\n dct:accessRights at:{access} ;\n{shared} dct:accrualPeriodicity freq:QUARTERLY .\n",
        prefixes(),
        esc(name),
        esc(objective),
        esc(objective),
        esc(scope),
        esc(master),
        esc(users),
        esc(users),
        esc(sources),
        esc(sources),
        esc(sharing),
    )
}

fn service_ttl(i: usize, s: &(&str, &str, &str, &str, &str, &str)) -> String {
    let (agency, vi, en, path, mode, desc) = *s;
    let described = DESCRIPTIONS
        .iter()
        .find(|d| d.0 == path)
        .map(|d| format!("__BASE__{DESCRIPTIONS_PATH}{}", d.1))
        .unwrap_or_else(|| {
            format!("https://lgsp.tayninh.gov.vn{path}?service=WMS&request=GetCapabilities")
        });
    let access = if mode == "SpecificRequestSharing" {
        "RESTRICTED"
    } else {
        "PUBLIC"
    };
    format!(
        "{}<urn:demo:svc-{i}> a dcat:DataService ;\n dct:title \"{}\"@vi, \"{}\"@en ;\n dct:description \"{}\"@vi ;\n dcat:endpointURL <https://lgsp.tayninh.gov.vn{path}> ;\n dcat:endpointDescription <{described}> ;\n dcatvn:sharingMode dcatvn:{mode} ;\n dct:accessRights at:{access} ;\n dct:license <http://creativecommons.org/licenses/by/4.0/> ;\n dcatvn:fee \"Miễn phí đối với cơ quan nhà nước\"@vi ;\n dcat:contactPoint [ a vcard:Kind ; vcard:fn \"Trung tâm dữ liệu tỉnh\"@vi ; vcard:hasEmail <mailto:lgsp@tayninh.gov.vn> ] .\n# agency {agency}\n",
        prefixes(),
        esc(vi),
        esc(en),
        esc(desc),
    )
}

fn parse(ttl: &str, base: &str) -> Result<Vec<oxigraph::model::Triple>, StoreError> {
    record::rdf::parse_triples(
        ttl.replace("__BASE__", base).as_bytes(),
        RdfFormat::Turtle,
        base,
    )
    .map_err(|e| StoreError::Invalid(format!("demo data: {}", e.message)))
}

/// What the demo made for the person who started it, printed once.
pub struct Welcome {
    /// An admin token for the API.
    pub admin_token: String,
    /// Accounts to sign in to the portal with: (e-mail, role, agency, password).
    pub accounts: Vec<(String, &'static str, &'static str, String)>,
}

/// The demo's portal accounts: the coordinating department and one agency's officer.
const ACCOUNTS: &[(&str, Role, &str)] = &[
    ("dieu.phoi@demo.tayninh.gov.vn", Role::Admin, "so-khcn"),
    ("can.bo.stc@demo.tayninh.gov.vn", Role::Editor, "so-tc"),
];

/// Loads the demo province when the registry holds no agency yet. Returns the admin token
/// and the portal accounts to print, or `None` when data was already there.
pub async fn load_if_empty(reg: &Registry) -> Result<Option<Welcome>, StoreError> {
    if !reg.log.agencies().await?.is_empty() {
        return Ok(None);
    }
    let prov = Provenance {
        author: "demo".into(),
        source: "demo".into(),
    };
    for (code, vi, en) in AGENCIES {
        let parent = if *code == "so-khcn" || *code == "vp-ubnd" {
            None
        } else {
            Some("vp-ubnd")
        };
        reg.create_agency(code, vi, Some(en), parent, &prov).await?;
    }
    let mut items = Vec::new();
    for (i, d) in DATASETS.iter().enumerate() {
        // One dataset is still a draft, one is for state agencies only.
        let status = if i == 7 { Some(Status::Draft) } else { None };
        let mut ttl = dataset_ttl(i, d);
        // Most records state their access rights; a few rely on the registry default.
        if i == 13 {
            ttl = ttl.replace(
                "dcatvn:freeOfCharge true",
                "dcatvn:freeOfCharge true ;\n dct:accessRights at:RESTRICTED",
            );
        } else if i % 5 != 4 {
            ttl = ttl.replace(
                "dcatvn:freeOfCharge true",
                "dcatvn:freeOfCharge true ;\n dct:accessRights at:PUBLIC",
            );
        }
        items.push(WriteRecord {
            kind: Kind::Dataset,
            id: None,
            triples: parse(&ttl, &reg.base)?,
            agency: d.0.into(),
            status,
            if_match: None,
            source_id: Some(format!("demo:ds:{i}")),
        });
    }
    for (i, s) in SERVICES.iter().enumerate() {
        items.push(WriteRecord {
            kind: Kind::DataService,
            id: None,
            triples: parse(&service_ttl(i, s), &reg.base)?,
            agency: s.0.into(),
            status: None,
            if_match: None,
            source_id: Some(format!("demo:svc:{i}")),
        });
    }
    let written = reg.write(items, &prov).await?;
    // The catalogue of databases the way a province builds it (R1): each agency asks for its
    // entry to be added, the coordinating department approves, and every approval is a new
    // numbered issue of the catalogue.
    for (i, d) in DATABASES.iter().enumerate() {
        let req = crate::audit::requests::submit_request(
            reg,
            d.0,
            crate::audit::requests::Action::Add,
            None,
            "Đề nghị bổ sung cơ sở dữ liệu vào Danh mục cơ sở dữ liệu của tỉnh theo Quyết định 32/2024/QĐ-UBND.",
            Some(parse(&database_ttl(i, d), &reg.base)?),
            "demo",
        )
        .await?;
        crate::audit::requests::approve_request(
            reg,
            &req.id,
            "demo",
            Some("Đủ sáu nội dung theo quy định; đồng ý bổ sung vào danh mục."),
        )
        .await?;
    }
    // One request still waits for the coordinating department: the dashboard's to decide.
    crate::audit::requests::submit_request(
        reg,
        PENDING_DATABASE.0,
        crate::audit::requests::Action::Add,
        None,
        "Đề nghị bổ sung cơ sở dữ liệu hộ kinh doanh để các sở, ngành dùng chung khi giải quyết thủ tục hành chính.",
        Some(parse(
            &database_ttl(DATABASES.len(), &PENDING_DATABASE),
            &reg.base,
        )?),
        "demo",
    )
    .await?;
    // A spreadsheet source an officer uploads to from the portal (/manage/harvest).
    crate::harvesting::sources::create(
        reg,
        crate::harvesting::sources::SourceInput {
            name: "Bảng tính dữ liệu mở Sở Tài chính".into(),
            kind: "sheet".into(),
            url: String::new(),
            agency: "so-tc".into(),
            schedule: None,
            config: None,
        },
        false,
    )
    .await?;
    let public_datasets: Vec<String> = written
        .iter()
        .filter(|(_, r, _)| {
            r.kind == "dataset" && r.visibility == "PUBLIC" && r.status == "published"
        })
        .map(|(_, r, _)| format!("<{}>", r.iri))
        .collect();
    let services: Vec<String> = written
        .iter()
        .filter(|(_, r, _)| r.kind == "dataservice" && r.visibility == "PUBLIC")
        .map(|(_, r, _)| format!("<{}>", r.iri))
        .collect();
    let catalog = format!(
        "{}<urn:demo:catalog> a dcat:Catalog ;\n dct:title \"Danh mục dữ liệu mở tỉnh Tây Ninh\"@vi, \"Open data catalogue of Tay Ninh province\"@en ;\n dct:description \"Danh mục dữ liệu mở do Chủ tịch Ủy ban nhân dân tỉnh ban hành.\"@vi ;\n dct:spatial <https://w3id.org/dcat-vn/codelist/province/80> ;\n dct:language <http://publications.europa.eu/resource/authority/language/VIE> ;\n dct:license <http://creativecommons.org/licenses/by/4.0/> ;\n dcat:dataset {} ;\n dcat:service {} .\n",
        prefixes(),
        public_datasets.join(", "),
        services.join(", "),
    );
    reg.write(
        vec![WriteRecord {
            kind: Kind::Catalog,
            id: None,
            triples: parse(&catalog, &reg.base)?,
            agency: "so-khcn".into(),
            status: None,
            if_match: None,
            source_id: Some("demo:catalog".into()),
        }],
        &prov,
    )
    .await?;
    let (_, secret) = create_token(&reg.log, Role::Admin, None, Some("demo admin")).await?;
    let mut accounts = Vec::new();
    for (email, role, agency) in ACCOUNTS {
        let password = crate::accounts::new_password();
        crate::accounts::create_user(&reg.log, email, Some(agency), *role, &password).await?;
        accounts.push((email.to_string(), role.as_str(), *agency, password));
    }
    Ok(Some(Welcome {
        admin_token: secret.0,
        accounts,
    }))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_demo_province_is_big_enough() {
        assert!(
            super::AGENCIES.len() >= 11,
            "a coordinating department and 10+ agencies"
        );
        assert!(super::DATASETS.len() + super::DATABASES.len() >= 50);
        assert!(super::SERVICES.len() >= 5);
        assert!(super::DATABASES.len() >= 5);
    }
}
