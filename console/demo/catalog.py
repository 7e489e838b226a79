"""Vietnamese texts and fixed fixtures of the simulated province.

Kept as plain data, apart from the logic, so the demo reads like a real Bình Phước
feed: street and place names, incident wording, the units incidents go to, cameras.
"""

from __future__ import annotations

from dataclasses import dataclass

from console.domain.records import Category, Priority, Source

STREETS: dict[str, tuple[str, ...]] = {
    "dong-xoai": (
        "đường Phú Riềng Đỏ",
        "đường Hùng Vương",
        "đường Trần Hưng Đạo",
        "đường Lê Duẩn",
        "đường Nguyễn Huệ",
        "đường Tôn Đức Thắng",
        "Quốc lộ 14",
    ),
    "binh-long": ("Quốc lộ 13", "đường Nguyễn Huệ", "đường Trần Hưng Đạo"),
    "phuoc-long": ("ĐT741", "đường Lê Quý Đôn", "đường Nguyễn Tất Thành"),
    "chon-thanh": ("Quốc lộ 13", "Quốc lộ 14", "đường Hùng Vương"),
    "dong-phu": ("Quốc lộ 14", "ĐT741", "đường Nguyễn Văn Linh"),
    "hon-quan": ("Quốc lộ 13", "ĐT757", "đường Tân Khai"),
    "loc-ninh": ("Quốc lộ 13", "đường Lê Lợi", "ĐT756"),
    "bu-dang": ("Quốc lộ 14", "ĐT760", "đường Hai Bà Trưng"),
    "bu-dop": ("ĐT759B", "đường Thanh Bình", "đường Tân Tiến"),
    "bu-gia-map": ("ĐT741", "đường Phú Nghĩa", "ĐT759"),
    "phu-rieng": ("ĐT741", "đường Bù Nho", "đường Long Hưng"),
}

PLACES: tuple[str, ...] = (
    "chợ {town}",
    "trường THPT {town}",
    "bến xe {town}",
    "khu dân cư trung tâm {town}",
    "UBND {kind} {town}",
    "công viên {town}",
)

TITLES: dict[Category, tuple[str, ...]] = {
    Category.TRAFFIC: (
        "Ùn tắc giao thông trên {street}",
        "Va chạm giao thông gần {place}",
        "Xe tải đậu sai quy định trên {street}",
        "Đèn tín hiệu giao thông không hoạt động trên {street}",
    ),
    Category.SECURITY: (
        "Tụ tập gây mất trật tự gần {place}",
        "Phát hiện đối tượng khả nghi gần {place}",
        "Trộm cắp tài sản tại {place}",
    ),
    Category.ENVIRONMENT: (
        "Rác thải tồn đọng trên {street}",
        "Khói bụi từ cơ sở sản xuất gần {place}",
        "Nước thải chảy tràn ra {street}",
        "Đốt rác gây ô nhiễm gần {place}",
    ),
    Category.PUBLIC_SERVICES: (
        "Chậm trả kết quả hồ sơ đất đai tại {office}",
        "Phản ánh thái độ phục vụ tại {office}",
        "Không nộp được hồ sơ trực tuyến trên Cổng dịch vụ công",
        "Hỏi thủ tục cấp giấy phép xây dựng tại {office}",
    ),
    Category.INFRASTRUCTURE: (
        "Ổ gà lớn trên {street}",
        "Mất nắp cống trên {street}",
        "Cây xanh ngã đổ trên {street}",
        "Ngập nước sau mưa trên {street}",
    ),
    Category.LIGHTING: (
        "Đèn đường hỏng trên {street}",
        "Đèn đường sáng ban ngày trên {street}",
        "Cột đèn nghiêng nguy hiểm trên {street}",
    ),
}

INTROS: dict[Source, str] = {
    Source.CITIZEN: "Người dân phản ánh qua ứng dụng Bình Phước Online.",
    Source.CAMERA: "Camera giám sát phát hiện và gửi cảnh báo tự động.",
    Source.SENSOR: "Cảm biến của hệ thống gửi cảnh báo tự động.",
}

DETAILS: tuple[str, ...] = (
    "Đề nghị cơ quan chức năng kiểm tra, xử lý sớm.",
    "Tình trạng kéo dài nhiều ngày, ảnh hưởng đến sinh hoạt của người dân.",
    "Có hình ảnh kèm theo.",
    "Người phản ánh đề nghị được thông báo kết quả xử lý.",
)

CATEGORY_WEIGHTS: dict[Category, float] = {
    Category.TRAFFIC: 0.25,
    Category.SECURITY: 0.12,
    Category.ENVIRONMENT: 0.15,
    Category.PUBLIC_SERVICES: 0.2,
    Category.INFRASTRUCTURE: 0.13,
    Category.LIGHTING: 0.15,
}

PRIORITY_WEIGHTS: dict[Priority, float] = {
    Priority.LOW: 0.3,
    Priority.MEDIUM: 0.45,
    Priority.HIGH: 0.2,
    Priority.CRITICAL: 0.05,
}

SOURCES: dict[Category, tuple[Source, ...]] = {
    Category.TRAFFIC: (Source.CAMERA, Source.CITIZEN, Source.CAMERA),
    Category.SECURITY: (Source.CAMERA, Source.CITIZEN),
    Category.ENVIRONMENT: (Source.CITIZEN, Source.SENSOR),
    Category.PUBLIC_SERVICES: (Source.CITIZEN,),
    Category.INFRASTRUCTURE: (Source.CITIZEN,),
    Category.LIGHTING: (Source.SENSOR, Source.CITIZEN),
}

ASSIGNEES: dict[Category, tuple[str, ...]] = {
    Category.TRAFFIC: ("Phòng CSGT Công an tỉnh", "Đội CSGT Công an {town}"),
    Category.SECURITY: ("Công an {town}",),
    Category.ENVIRONMENT: ("Sở Tài nguyên và Môi trường", "Phòng TN&MT {town}"),
    Category.PUBLIC_SERVICES: ("Trung tâm Phục vụ hành chính công tỉnh", "Bộ phận một cửa {town}"),
    Category.INFRASTRUCTURE: ("Sở Giao thông vận tải", "Phòng Quản lý đô thị {town}"),
    Category.LIGHTING: ("Phòng Quản lý đô thị {town}", "Công ty Điện lực Bình Phước"),
}

BOT_OPERATOR = "Trực ban IOC"
BOT_NOTES: tuple[str, ...] = (
    "Đã liên hệ người phản ánh để xác minh.",
    "Lực lượng chức năng đang trên đường đến hiện trường.",
    "Đã chuyển thông tin cho đơn vị quản lý địa bàn.",
)


@dataclass(frozen=True)
class CameraSpec:
    id: str
    name: str
    district_id: str
    lat: float
    lon: float
    pattern: str  # ffmpeg lavfi source, so each camera's picture differs


CAMERAS: tuple[CameraSpec, ...] = (
    CameraSpec("CAM-01", "Ngã tư Đồng Xoài", "dong-xoai", 11.5349, 106.8826, "testsrc2"),
    CameraSpec("CAM-02", "Quảng trường tỉnh", "dong-xoai", 11.5405, 106.8990, "smptehdbars"),
    CameraSpec("CAM-03", "Chợ Đồng Xoài", "dong-xoai", 11.5290, 106.8870, "testsrc"),
    CameraSpec("CAM-04", "Vòng xoay Chơn Thành", "chon-thanh", 11.4300, 106.6560, "rgbtestsrc"),
    CameraSpec("CAM-05", "KCN Minh Hưng", "chon-thanh", 11.4520, 106.6330, "pal75bars"),
    CameraSpec("CAM-06", "Chợ Bình Long", "binh-long", 11.6520, 106.6050, "testsrc2"),
    CameraSpec("CAM-07", "Cửa khẩu Hoa Lư", "loc-ninh", 11.8820, 106.5880, "smptebars"),
    CameraSpec("CAM-08", "Núi Bà Rá", "phuoc-long", 11.8300, 107.0000, "yuvtestsrc"),
    CameraSpec("CAM-09", "QL14 – Đức Phong", "bu-dang", 11.7900, 107.2400, "pal100bars"),
    CameraSpec("CAM-10", "Ngã ba Tân Khai", "hon-quan", 11.5600, 106.7300, "colorspectrum"),
    CameraSpec("CAM-11", "QL14 – Tân Phú", "dong-phu", 11.4700, 107.0200, "smptehdbars"),
    CameraSpec("CAM-12", "ĐT741 – Phú Riềng", "phu-rieng", 11.7000, 106.9300, "testsrc2"),
)

# Offline when the backend starts, so an operator sees both states at once.
INITIALLY_OFFLINE: frozenset[str] = frozenset({"CAM-08"})
