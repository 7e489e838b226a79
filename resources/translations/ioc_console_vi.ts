<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="vi_VN">
<context>
    <name>CameraPanel</name>
    <message>
        <location filename="../../widgets/camera_panel.py" line="136" />
        <source>Camera</source>
        <translation>Camera</translation>
    </message>
    <message>
        <location filename="../../widgets/camera_panel.py" line="196" />
        <source>CONNECTING</source>
        <translation>ĐANG KẾT NỐI</translation>
    </message>
    <message>
        <location filename="../../widgets/camera_panel.py" line="197" />
        <source>LIVE</source>
        <translation>TRỰC TIẾP</translation>
    </message>
    <message>
        <location filename="../../widgets/camera_panel.py" line="198" />
        <source>STALLED</source>
        <translation>ĐỨNG HÌNH</translation>
    </message>
    <message>
        <location filename="../../widgets/camera_panel.py" line="199" />
        <source>OFFLINE</source>
        <translation>MẤT TÍN HIỆU</translation>
    </message>
    <message>
        <location filename="../../widgets/camera_panel.py" line="200" />
        <source>ERROR</source>
        <translation>LỖI</translation>
    </message>
    <message>
        <location filename="../../widgets/camera_panel.py" line="234" />
        <source>Camera “%s” is not in the camera list.</source>
        <translation>Camera “%s” không có trong danh sách camera.</translation>
    </message>
    <message>
        <location filename="../../widgets/camera_panel.py" line="237" />
        <source>Waiting for the camera list…</source>
        <translation>Đang chờ danh sách camera…</translation>
    </message>
    <message>
        <location filename="../../widgets/camera_panel.py" line="241" />
        <source>The camera is offline.</source>
        <translation>Camera đang mất kết nối.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../widgets/camera_panel.py" line="273" />
        <source>Retrying in %n s…</source>
        <translation>
            <numerusform>Thử lại sau %n giây…</numerusform></translation>
    </message>
    <message>
        <location filename="../../widgets/camera_panel.py" line="286" />
        <source>No video arrived from the camera.</source>
        <translation>Không nhận được hình ảnh từ camera.</translation>
    </message>
    <message>
        <location filename="../../widgets/camera_panel.py" line="292" />
        <source>The stream ended.</source>
        <translation>Luồng video đã kết thúc.</translation>
    </message>
    <message>
        <location filename="../../widgets/camera_panel.py" line="295" />
        <source>The stream could not be opened. This player may not support RTSP.</source>
        <translation>Không mở được luồng video. Trình phát này có thể không hỗ trợ RTSP.</translation>
    </message>
    <message>
        <location filename="../../widgets/camera_panel.py" line="297" />
        <source>The stream could not be opened.</source>
        <translation>Không mở được luồng video.</translation>
    </message>
</context>
<context>
    <name>Incident</name>
    <message>
        <location filename="../../console/stores/incidents.py" line="35" />
        <source>low</source>
        <translation>thấp</translation>
    </message>
    <message>
        <location filename="../../console/stores/incidents.py" line="36" />
        <source>medium</source>
        <translation>trung bình</translation>
    </message>
    <message>
        <location filename="../../console/stores/incidents.py" line="37" />
        <source>high</source>
        <translation>cao</translation>
    </message>
    <message>
        <location filename="../../console/stores/incidents.py" line="38" />
        <source>critical</source>
        <translation>khẩn cấp</translation>
    </message>
    <message>
        <location filename="../../console/stores/incidents.py" line="39" />
        <source>traffic</source>
        <translation>giao thông</translation>
    </message>
    <message>
        <location filename="../../console/stores/incidents.py" line="40" />
        <source>security</source>
        <translation>an ninh</translation>
    </message>
    <message>
        <location filename="../../console/stores/incidents.py" line="41" />
        <source>environment</source>
        <translation>môi trường</translation>
    </message>
    <message>
        <location filename="../../console/stores/incidents.py" line="42" />
        <source>public services</source>
        <translation>dịch vụ công</translation>
    </message>
    <message>
        <location filename="../../console/stores/incidents.py" line="43" />
        <source>infrastructure</source>
        <translation>hạ tầng</translation>
    </message>
    <message>
        <location filename="../../console/stores/incidents.py" line="44" />
        <source>lighting</source>
        <translation>chiếu sáng</translation>
    </message>
    <message>
        <location filename="../../console/stores/incidents.py" line="45" />
        <source>received</source>
        <translation>mới tiếp nhận</translation>
    </message>
    <message>
        <location filename="../../console/stores/incidents.py" line="46" />
        <source>acknowledged</source>
        <translation>đã xác nhận</translation>
    </message>
    <message>
        <location filename="../../console/stores/incidents.py" line="47" />
        <source>assigned</source>
        <translation>đã giao xử lý</translation>
    </message>
    <message>
        <location filename="../../console/stores/incidents.py" line="48" />
        <source>resolved</source>
        <translation>đã giải quyết</translation>
    </message>
</context>
<context>
    <name>IncidentTableModel</name>
    <message>
        <location filename="../../console/stores/incidents.py" line="51" />
        <source>Time</source>
        <translation>Thời gian</translation>
    </message>
    <message>
        <location filename="../../console/stores/incidents.py" line="52" />
        <source>Priority</source>
        <translation>Mức độ</translation>
    </message>
    <message>
        <location filename="../../console/stores/incidents.py" line="53" />
        <source>Category</source>
        <translation>Lĩnh vực</translation>
    </message>
    <message>
        <location filename="../../console/stores/incidents.py" line="54" />
        <source>Title</source>
        <translation>Nội dung</translation>
    </message>
    <message>
        <location filename="../../console/stores/incidents.py" line="55" />
        <source>District</source>
        <translation>Địa bàn</translation>
    </message>
    <message>
        <location filename="../../console/stores/incidents.py" line="56" />
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
</context>
<context>
    <name>IncidentsPanel</name>
    <message>
        <location filename="../../widgets/incidents_panel.py" line="71" />
        <source>Incidents and citizen feedback</source>
        <translation>Sự cố và phản ánh của người dân</translation>
    </message>
    <message>
        <location filename="../../widgets/incidents_panel.py" line="77" />
        <source>{open} open · {received} new · {resolved} resolved</source>
        <translation>{open} đang mở · {received} mới · {resolved} đã giải quyết</translation>
    </message>
</context>
<context>
    <name>KpiChartPanel</name>
    <message>
        <location filename="../../widgets/kpi_chart.py" line="55" />
        <source>Indicators</source>
        <translation>Chỉ số</translation>
    </message>
    <message>
        <location filename="../../widgets/kpi_chart.py" line="78" />
        <source>target {value}</source>
        <translation>mục tiêu {value}</translation>
    </message>
</context>
<context>
    <name>MapPanel</name>
    <message>
        <location filename="../../widgets/map_panel.py" line="69" />
        <source>online</source>
        <translation>trực tuyến</translation>
    </message>
    <message>
        <location filename="../../widgets/map_panel.py" line="69" />
        <source>offline</source>
        <translation>mất kết nối</translation>
    </message>
    <message>
        <location filename="../../widgets/map_panel.py" line="228" />
        <source>Map</source>
        <translation>Bản đồ</translation>
    </message>
</context>
<context>
    <name>PanelFrame</name>
    <message>
        <location filename="../../widgets/wall.py" line="35" />
        <source>This panel could not start: {error}</source>
        <translation>Không khởi động được khung này: {error}</translation>
    </message>
</context>
<context>
    <name>WallWindow</name>
    <message>
        <location filename="../../widgets/wall.py" line="95" />
        <source>Connecting to the backend…</source>
        <translation>Đang kết nối máy chủ…</translation>
    </message>
    <message>
        <location filename="../../widgets/wall.py" line="96" />
        <source>Backend: live</source>
        <translation>Máy chủ: trực tuyến</translation>
    </message>
    <message>
        <location filename="../../widgets/wall.py" line="97" />
        <source>Backend: live updates interrupted, polling</source>
        <translation>Máy chủ: mất cập nhật tức thời, đang hỏi định kỳ</translation>
    </message>
    <message>
        <location filename="../../widgets/wall.py" line="98" />
        <source>Backend unreachable: showing last data</source>
        <translation>Không kết nối được máy chủ: đang hiện dữ liệu gần nhất</translation>
    </message>
</context>
</TS>