<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
<context>
    <name>AlarmVoice</name>
    <message>
        <location filename="../../widgets/incidents/alarm_sound.py" line="166"/>
        <source>IOC Console: new alarm</source>
        <translation>IOC Console: báo động mới</translation>
    </message>
    <message>
        <location filename="../../widgets/incidents/alarm_sound.py" line="178"/>
        <source> (+{n} more)</source>
        <translation> (và {n} sự cố khác)</translation>
    </message>
    <message>
        <location filename="../../widgets/incidents/alarm_sound.py" line="179"/>
        <source>IOC Console: alarm not acknowledged</source>
        <translation>IOC Console: báo động chưa được xác nhận</translation>
    </message>
</context>
<context>
    <name>ArchiveDialog</name>
    <message>
        <location filename="../../widgets/incidents/archive_search.py" line="78"/>
        <source>Archive: “{text}”</source>
        <translation>Lưu trữ: “{text}”</translation>
    </message>
</context>
<context>
    <name>ArchiveFinder</name>
    <message>
        <location filename="../../widgets/incidents/archive_search.py" line="65"/>
        <source>{n}{more} in the archive…</source>
        <translation>{n}{more} trong lưu trữ…</translation>
    </message>
</context>
<context>
    <name>BriefingMenu</name>
    <message>
        <location filename="../../widgets/briefing/menu.py" line="29"/>
        <source>Present “{name}”</source>
        <translation>Trình bày “{name}”</translation>
    </message>
    <message>
        <location filename="../../widgets/briefing/menu.py" line="33"/>
        <source>&amp;Briefing</source>
        <translation>&amp;Giao ban</translation>
    </message>
</context>
<context>
    <name>BriefingMinutes</name>
    <message>
        <location filename="../../widgets/briefing/pdf.py" line="109"/>
        <source>data as of {time}</source>
        <translation>số liệu lúc {time}</translation>
    </message>
    <message>
        <location filename="../../widgets/briefing/pdf.py" line="117"/>
        <source>Slide {n} of {total}</source>
        <translation>Trang {n}/{total}</translation>
    </message>
</context>
<context>
    <name>CameraListPanel</name>
    <message>
        <location filename="../../widgets/video/camera_list.py" line="70"/>
        <source>Search cameras by name or district…</source>
        <translation>Tìm camera theo tên hoặc địa bàn…</translation>
    </message>
    <message>
        <location filename="../../widgets/video/camera_list.py" line="91"/>
        <source>Cameras</source>
        <translation>Camera</translation>
    </message>
    <message>
        <location filename="../../widgets/video/camera_list.py" line="105"/>
        <source>Offline</source>
        <translation>Mất kết nối</translation>
    </message>
    <message>
        <location filename="../../widgets/video/camera_list.py" line="105"/>
        <source>Online</source>
        <translation>Trực tuyến</translation>
    </message>
</context>
<context>
    <name>CameraPanel</name>
    <message>
        <location filename="../../widgets/video/camera_panel.py" line="154"/>
        <source>Camera</source>
        <translation>Camera</translation>
    </message>
    <message>
        <location filename="../../widgets/video/camera_panel.py" line="182"/>
        <source>No picture to save yet.</source>
        <translation>Chưa có hình để lưu.</translation>
    </message>
    <message>
        <location filename="../../widgets/video/camera_panel.py" line="190"/>
        <source>The snapshot could not be saved: %s</source>
        <translation>Không lưu được ảnh chụp: %s</translation>
    </message>
    <message>
        <location filename="../../widgets/video/camera_panel.py" line="193"/>
        <source>Snapshot saved: %s</source>
        <translation>Đã lưu ảnh chụp: %s</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile_words.py" line="20"/>
        <source>CONNECTING</source>
        <translation>ĐANG KẾT NỐI</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile_words.py" line="21"/>
        <source>LIVE</source>
        <translation>TRỰC TIẾP</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile_words.py" line="22"/>
        <source>STALLED</source>
        <translation>ĐỨNG HÌNH</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile_words.py" line="23"/>
        <source>OFFLINE</source>
        <translation>MẤT TÍN HIỆU</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile_words.py" line="24"/>
        <source>ERROR</source>
        <translation>LỖI</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile_words.py" line="41"/>
        <source>The backend gives no video stream for this camera.</source>
        <translation>Hệ thống không cung cấp luồng video cho camera này.</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile_words.py" line="68"/>
        <source>SUB</source>
        <translation>LUỒNG PHỤ</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile_words.py" line="66"/>
        <source>LOW FPS</source>
        <translation>GIẢM KHUNG HÌNH</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile_words.py" line="64"/>
        <source>STILL</source>
        <translation>ẢNH TĨNH</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile_words.py" line="69"/>
        <source>Reduced to stay within the wall&apos;s video decoding budget.</source>
        <translation>Đã giảm chất lượng để nằm trong ngân sách giải mã video của màn hình ghép.</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile_words.py" line="73"/>
        <source>ALARM · TOUR PAUSED</source>
        <translation>BÁO ĐỘNG · TẠM DỪNG TUẦN TRA</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile_words.py" line="75"/>
        <source>TOUR PAUSED</source>
        <translation>TẠM DỪNG TUẦN TRA</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile_words.py" line="34"/>
        <source>Camera “%s” is not in the camera list.</source>
        <translation>Camera “%s” không có trong danh sách camera.</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile_words.py" line="32"/>
        <source>Waiting for the camera list…</source>
        <translation>Đang chờ danh sách camera…</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile_words.py" line="39"/>
        <source>The camera is offline.</source>
        <translation>Camera đang mất kết nối.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../widgets/video/camera_panel.py" line="254"/>
        <source>Retrying in %n s…</source>
        <translation>
            <numerusform>Thử lại sau %n giây…</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile_words.py" line="45"/>
        <source>No video arrived from the camera.</source>
        <translation>Không nhận được hình ảnh từ camera.</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile_words.py" line="51"/>
        <source>The stream ended.</source>
        <translation>Luồng video đã kết thúc.</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile_words.py" line="53"/>
        <source>The camera&apos;s stream could not be opened.</source>
        <translation>Không mở được luồng video của camera.</translation>
    </message>
    <message>
        <location filename="../../widgets/video/camera_panel.py" line="262"/>
        <source>Engine: %s</source>
        <translation>Trình phát: %s</translation>
    </message>
    <message>
        <location filename="../../widgets/video/camera_panel.py" line="263"/>
        <source>Decoder: %s</source>
        <translation>Bộ giải mã: %s</translation>
    </message>
    <message>
        <location filename="../../widgets/video/camera_panel.py" line="264"/>
        <source>Stream: %s</source>
        <translation>Luồng: %s</translation>
    </message>
    <message>
        <location filename="../../widgets/video/camera_panel.py" line="296"/>
        <source>Back to the wall</source>
        <translation>Trở lại màn hình ghép</translation>
    </message>
    <message>
        <location filename="../../widgets/video/camera_panel.py" line="296"/>
        <source>Enlarge</source>
        <translation>Phóng to</translation>
    </message>
    <message>
        <location filename="../../widgets/video/camera_panel.py" line="298"/>
        <source>Save snapshot</source>
        <translation>Lưu ảnh chụp</translation>
    </message>
    <message>
        <location filename="../../widgets/video/camera_panel.py" line="301"/>
        <source>Resume tour</source>
        <translation>Tiếp tục tuần tra</translation>
    </message>
    <message>
        <location filename="../../widgets/video/camera_panel.py" line="301"/>
        <source>Pause tour</source>
        <translation>Tạm dừng tuần tra</translation>
    </message>
    <message>
        <location filename="../../widgets/video/tile_words.py" line="47"/>
        <source>The stream could not be opened. This player may not support RTSP.</source>
        <translation>Không mở được luồng video. Trình phát này có thể không hỗ trợ RTSP.</translation>
    </message>
</context>
<context>
    <name>EvidenceDialog</name>
    <message>
        <location filename="../../widgets/video/evidence_dialog.py" line="80"/>
        <source>Export evidence</source>
        <translation>Xuất chứng cứ</translation>
    </message>
    <message>
        <location filename="../../widgets/video/evidence_dialog.py" line="91"/>
        <source>Folder…</source>
        <translation>Thư mục…</translation>
    </message>
    <message>
        <location filename="../../widgets/video/evidence_dialog.py" line="91"/>
        <source>Zip…</source>
        <translation>Tệp zip…</translation>
    </message>
    <message>
        <location filename="../../widgets/video/evidence_dialog.py" line="98"/>
        <source>Cameras</source>
        <translation>Camera</translation>
    </message>
    <message>
        <location filename="../../widgets/video/evidence_dialog.py" line="99"/>
        <source>From</source>
        <translation>Từ</translation>
    </message>
    <message>
        <location filename="../../widgets/video/evidence_dialog.py" line="100"/>
        <source>To</source>
        <translation>Đến</translation>
    </message>
    <message>
        <location filename="../../widgets/video/evidence_dialog.py" line="101"/>
        <source>Save to</source>
        <translation>Lưu vào</translation>
    </message>
    <message>
        <location filename="../../widgets/video/evidence_dialog.py" line="110"/>
        <source>Export</source>
        <translation>Xuất</translation>
    </message>
    <message>
        <location filename="../../widgets/video/evidence_dialog.py" line="132"/>
        <source>Export evidence into</source>
        <translation>Xuất chứng cứ vào</translation>
    </message>
    <message>
        <location filename="../../widgets/video/evidence_dialog.py" line="140"/>
        <source>Export evidence as</source>
        <translation>Xuất chứng cứ thành</translation>
    </message>
    <message>
        <location filename="../../widgets/video/evidence_dialog.py" line="140"/>
        <source>Zip archive (*.zip)</source>
        <translation>Tệp nén zip (*.zip)</translation>
    </message>
    <message>
        <location filename="../../widgets/video/evidence_dialog.py" line="150"/>
        <source>Choose at least one camera.</source>
        <translation>Hãy chọn ít nhất một camera.</translation>
    </message>
    <message>
        <location filename="../../widgets/video/evidence_dialog.py" line="152"/>
        <source>Choose where to save the evidence.</source>
        <translation>Hãy chọn nơi lưu chứng cứ.</translation>
    </message>
    <message>
        <location filename="../../widgets/video/evidence_dialog.py" line="154"/>
        <source>Choose cameras of one system at a time.</source>
        <translation>Mỗi lần chỉ chọn camera của một hệ thống.</translation>
    </message>
    <message>
        <location filename="../../widgets/video/evidence_dialog.py" line="156"/>
        <source>This system keeps no recordings.</source>
        <translation>Hệ thống này không lưu bản ghi.</translation>
    </message>
    <message>
        <location filename="../../widgets/video/evidence_dialog.py" line="167"/>
        <source>Exporting…</source>
        <translation>Đang xuất…</translation>
    </message>
    <message>
        <location filename="../../widgets/video/evidence_dialog.py" line="185"/>
        <source>Nothing was saved: %s</source>
        <translation>Không lưu gì cả: %s</translation>
    </message>
    <message>
        <location filename="../../widgets/video/evidence_dialog.py" line="192"/>
        <source>Saved to %s. Manifest SHA-256 (kept in the audit log):</source>
        <translation>Đã lưu vào %s. SHA-256 của bản kê (được ghi vào nhật ký kiểm tra):</translation>
    </message>
    <message>
        <location filename="../../widgets/video/evidence_dialog.py" line="195"/>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <location filename="../../widgets/video/evidence_dialog.py" line="205"/>
        <source>%s · %.1f MB</source>
        <translation>%s · %.1f MB</translation>
    </message>
</context>
<context>
    <name>FeedbackStatsPanel</name>
    <message>
        <location filename="../../widgets/kpi/feedback.py" line="111"/>
        <source>Feedback statistics</source>
        <translation>Thống kê phản ánh</translation>
    </message>
    <message>
        <location filename="../../widgets/kpi/feedback.py" line="208"/>
        <source>received</source>
        <translation>tiếp nhận</translation>
    </message>
    <message>
        <location filename="../../widgets/kpi/feedback.py" line="211"/>
        <source>{share} of received</source>
        <translation>{share} số tiếp nhận</translation>
    </message>
    <message>
        <location filename="../../widgets/kpi/feedback.py" line="212"/>
        <source>settled</source>
        <translation>đã giải quyết</translation>
    </message>
    <message>
        <location filename="../../widgets/kpi/feedback.py" line="214"/>
        <source>{count} of {total}</source>
        <translation>{count}/{total}</translation>
    </message>
    <message>
        <location filename="../../widgets/kpi/feedback.py" line="218"/>
        <source>settled on time</source>
        <translation>giải quyết đúng hạn</translation>
    </message>
    <message>
        <location filename="../../widgets/kpi/feedback.py" line="220"/>
        <source>{count} of {total} ratings</source>
        <translation>{count}/{total} đánh giá</translation>
    </message>
    <message>
        <location filename="../../widgets/kpi/feedback.py" line="223"/>
        <source>satisfied</source>
        <translation>hài lòng</translation>
    </message>
    <message>
        <location filename="../../widgets/kpi/feedback.py" line="225"/>
        <source>to acknowledge (median)</source>
        <translation>thời gian xác nhận (trung vị)</translation>
    </message>
    <message>
        <location filename="../../widgets/kpi/feedback.py" line="226"/>
        <source>to resolve (median)</source>
        <translation>thời gian giải quyết (trung vị)</translation>
    </message>
    <message>
        <location filename="../../widgets/kpi/feedback.py" line="234"/>
        <source>&lt; 1 min</source>
        <translation>&lt; 1 phút</translation>
    </message>
    <message>
        <location filename="../../widgets/kpi/feedback.py" line="236"/>
        <source>{minutes} min</source>
        <translation>{minutes} phút</translation>
    </message>
    <message>
        <location filename="../../widgets/kpi/feedback.py" line="238"/>
        <source>{hours} h {minutes} min</source>
        <translation>{hours} giờ {minutes} phút</translation>
    </message>
    <message>
        <location filename="../../widgets/kpi/feedback.py" line="241"/>
        <source>{days} days</source>
        <translation>{days} ngày</translation>
    </message>
</context>
<context>
    <name>FrameTools</name>
    <message>
        <location filename="../../widgets/editor/tools.py" line="78"/>
        <source>Split: a new panel on the right</source>
        <translation>Tách: thêm khung bên phải</translation>
    </message>
    <message>
        <location filename="../../widgets/editor/tools.py" line="84"/>
        <source>Split: a new panel below</source>
        <translation>Tách: thêm khung bên dưới</translation>
    </message>
    <message>
        <location filename="../../widgets/editor/tools.py" line="90"/>
        <source>Merge with the panel on the right (it is removed)</source>
        <translation>Gộp với khung bên phải (khung đó bị bỏ)</translation>
    </message>
    <message>
        <location filename="../../widgets/editor/tools.py" line="96"/>
        <source>Merge with the panel below (it is removed)</source>
        <translation>Gộp với khung bên dưới (khung đó bị bỏ)</translation>
    </message>
    <message>
        <location filename="../../widgets/editor/tools.py" line="99"/>
        <source>Change the kind of panel</source>
        <translation>Đổi loại khung</translation>
    </message>
    <message>
        <location filename="../../widgets/editor/tools.py" line="103"/>
        <source>Settings of this panel…</source>
        <translation>Cài đặt của khung này…</translation>
    </message>
    <message>
        <location filename="../../widgets/editor/tools.py" line="106"/>
        <source>Edit this panel</source>
        <translation>Sửa khung này</translation>
    </message>
    <message>
        <location filename="../../widgets/editor/tools.py" line="134"/>
        <source>Drag onto another panel to swap the two</source>
        <translation>Kéo sang khung khác để đổi chỗ hai khung</translation>
    </message>
</context>
<context>
    <name>HandoverDialog</name>
    <message>
        <location filename="../../widgets/incidents/handover.py" line="118"/>
        <source>End shift</source>
        <translation>Kết thúc ca trực</translation>
    </message>
    <message>
        <location filename="../../widgets/incidents/handover.py" line="122"/>
        <source>Name of the operator taking over</source>
        <translation>Tên người nhận ca</translation>
    </message>
    <message>
        <location filename="../../widgets/incidents/handover.py" line="124"/>
        <source>Your notes for the next shift</source>
        <translation>Ghi chú của bạn cho ca sau</translation>
    </message>
    <message>
        <location filename="../../widgets/incidents/handover.py" line="131"/>
        <source>Hand over and save the report</source>
        <translation>Bàn giao và lưu biên bản</translation>
    </message>
    <message>
        <location filename="../../widgets/incidents/handover.py" line="136"/>
        <source>Outgoing operator</source>
        <translation>Người giao ca</translation>
    </message>
    <message>
        <location filename="../../widgets/incidents/handover.py" line="137"/>
        <source>Notes</source>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <location filename="../../widgets/incidents/handover.py" line="138"/>
        <source>Incoming operator</source>
        <translation>Người nhận ca</translation>
    </message>
    <message>
        <location filename="../../widgets/incidents/handover.py" line="157"/>
        <source>Both operators&apos; names are needed for the handover.</source>
        <translation>Cần tên của cả người giao và người nhận ca.</translation>
    </message>
    <message>
        <location filename="../../widgets/incidents/handover.py" line="162"/>
        <source>Could not save the report: {error}</source>
        <translation>Không lưu được biên bản: {error}</translation>
    </message>
</context>
<context>
    <name>Incident</name>
    <message>
        <location filename="../../console/stores/incidents.py" line="46"/>
        <source>low</source>
        <translation>thấp</translation>
    </message>
    <message>
        <location filename="../../console/stores/incidents.py" line="47"/>
        <source>medium</source>
        <translation>trung bình</translation>
    </message>
    <message>
        <location filename="../../console/stores/incidents.py" line="48"/>
        <source>high</source>
        <translation>cao</translation>
    </message>
    <message>
        <location filename="../../console/stores/incidents.py" line="49"/>
        <source>critical</source>
        <translation>khẩn cấp</translation>
    </message>
    <message>
        <location filename="../../console/stores/incidents.py" line="50"/>
        <source>traffic</source>
        <translation>giao thông</translation>
    </message>
    <message>
        <location filename="../../console/stores/incidents.py" line="51"/>
        <source>security</source>
        <translation>an ninh</translation>
    </message>
    <message>
        <location filename="../../console/stores/incidents.py" line="52"/>
        <source>environment</source>
        <translation>môi trường</translation>
    </message>
    <message>
        <location filename="../../console/stores/incidents.py" line="53"/>
        <source>public services</source>
        <translation>dịch vụ công</translation>
    </message>
    <message>
        <location filename="../../console/stores/incidents.py" line="54"/>
        <source>infrastructure</source>
        <translation>hạ tầng</translation>
    </message>
    <message>
        <location filename="../../console/stores/incidents.py" line="55"/>
        <source>lighting</source>
        <translation>chiếu sáng</translation>
    </message>
    <message>
        <location filename="../../console/stores/incidents.py" line="56"/>
        <source>received</source>
        <translation>mới tiếp nhận</translation>
    </message>
    <message>
        <location filename="../../console/stores/incidents.py" line="57"/>
        <source>acknowledged</source>
        <translation>đã xác nhận</translation>
    </message>
    <message>
        <location filename="../../console/stores/incidents.py" line="58"/>
        <source>assigned</source>
        <translation>đã giao xử lý</translation>
    </message>
    <message>
        <location filename="../../console/stores/incidents.py" line="59"/>
        <source>resolved</source>
        <translation>đã giải quyết</translation>
    </message>
    <message>
        <location filename="../../console/stores/incidents.py" line="60"/>
        <source>citizen</source>
        <translation>người dân</translation>
    </message>
    <message>
        <location filename="../../console/stores/incidents.py" line="61"/>
        <source>camera</source>
        <translation>camera</translation>
    </message>
    <message>
        <location filename="../../console/stores/incidents.py" line="62"/>
        <source>sensor</source>
        <translation>cảm biến</translation>
    </message>
    <message>
        <location filename="../../console/stores/incidents.py" line="63"/>
        <source>acknowledge</source>
        <translation>xác nhận</translation>
    </message>
    <message>
        <location filename="../../console/stores/incidents.py" line="64"/>
        <source>assign</source>
        <translation>giao xử lý</translation>
    </message>
    <message>
        <location filename="../../console/stores/incidents.py" line="65"/>
        <source>note</source>
        <translation>ghi chú</translation>
    </message>
    <message>
        <location filename="../../console/stores/incidents.py" line="66"/>
        <source>resolve</source>
        <translation>giải quyết</translation>
    </message>
    <message>
        <location filename="../../console/stores/incidents.py" line="67"/>
        <source>reopen</source>
        <translation>mở lại</translation>
    </message>
</context>
<context>
    <name>IncidentActionBar</name>
    <message>
        <location filename="../../widgets/incidents/actions.py" line="60"/>
        <source>Acknowledge</source>
        <translation>Xác nhận</translation>
    </message>
    <message>
        <location filename="../../widgets/incidents/actions.py" line="61"/>
        <source>Assign…</source>
        <translation>Giao xử lý…</translation>
    </message>
    <message>
        <location filename="../../widgets/incidents/actions.py" line="62"/>
        <source>Note…</source>
        <translation>Ghi chú…</translation>
    </message>
    <message>
        <location filename="../../widgets/incidents/actions.py" line="63"/>
        <source>Resolve</source>
        <translation>Giải quyết</translation>
    </message>
    <message>
        <location filename="../../widgets/incidents/actions.py" line="64"/>
        <source>Reopen</source>
        <translation>Mở lại</translation>
    </message>
    <message>
        <location filename="../../widgets/incidents/actions.py" line="107"/>
        <source>Kept on this console only: {reason}</source>
        <translation>Chỉ lưu trên máy này: {reason}</translation>
    </message>
    <message>
        <location filename="../../widgets/incidents/actions.py" line="134"/>
        <source>Unit:</source>
        <translation>Đơn vị:</translation>
    </message>
    <message>
        <location filename="../../widgets/incidents/actions.py" line="136"/>
        <source>Note:</source>
        <translation>Ghi chú:</translation>
    </message>
    <message>
        <location filename="../../widgets/incidents/actions.py" line="141"/>
        <source>Mandatory steps {steps} are not done. Why resolve now?</source>
        <translation>Các bước bắt buộc {steps} chưa làm. Vì sao giải quyết ngay?</translation>
    </message>
</context>
<context>
    <name>IncidentAlarmBanner</name>
    <message>
        <location filename="../../widgets/incidents/alarm_banner.py" line="40"/>
        <source>Show</source>
        <translation>Xem</translation>
    </message>
    <message>
        <location filename="../../widgets/incidents/alarm_banner.py" line="41"/>
        <source>Pin (P)</source>
        <translation>Ghim (P)</translation>
    </message>
    <message>
        <location filename="../../widgets/incidents/alarm_banner.py" line="43"/>
        <source>Dismiss (D)</source>
        <translation>Bỏ qua (D)</translation>
    </message>
    <message>
        <location filename="../../widgets/incidents/alarm_banner.py" line="65"/>
        <source>ALARM · {priority} · {category}: {title} — {district}</source>
        <translation>BÁO ĐỘNG · {priority} · {category}: {title} — {district}</translation>
    </message>
    <message>
        <location filename="../../widgets/incidents/alarm_banner.py" line="72"/>
        <location filename="../../widgets/incidents/alarm_banner.py" line="77"/>
        <source>(+{n} more in this burst)</source>
        <translation>(+{n} sự cố nữa trong đợt này)</translation>
    </message>
    <message>
        <location filename="../../widgets/incidents/alarm_banner.py" line="80"/>
        <source>{n} waiting</source>
        <translation>{n} đang chờ</translation>
    </message>
</context>
<context>
    <name>IncidentBookmarks</name>
    <message>
        <location filename="../../widgets/incidents/bookmark_list.py" line="72"/>
        <source>Bookmarks</source>
        <translation>Đánh dấu</translation>
    </message>
</context>
<context>
    <name>IncidentDetail</name>
    <message>
        <location filename="../../widgets/incidents/detail.py" line="42"/>
        <source>Id</source>
        <translation>Mã</translation>
    </message>
    <message>
        <location filename="../../widgets/incidents/detail.py" line="43"/>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <location filename="../../widgets/incidents/detail.py" line="44"/>
        <source>Due</source>
        <translation>Hạn xử lý</translation>
    </message>
    <message>
        <location filename="../../widgets/incidents/detail.py" line="45"/>
        <source>Unit</source>
        <translation>Đơn vị</translation>
    </message>
    <message>
        <location filename="../../widgets/incidents/detail.py" line="46"/>
        <source>Location</source>
        <translation>Vị trí</translation>
    </message>
    <message>
        <location filename="../../widgets/incidents/detail.py" line="47"/>
        <source>Reported</source>
        <translation>Thời điểm tiếp nhận</translation>
    </message>
    <message>
        <location filename="../../widgets/incidents/detail.py" line="62"/>
        <source>Export evidence…</source>
        <translation>Xuất chứng cứ…</translation>
    </message>
    <message>
        <location filename="../../widgets/incidents/detail.py" line="74"/>
        <source>Select an incident to see its details.</source>
        <translation>Chọn một sự cố để xem chi tiết.</translation>
    </message>
    <message>
        <location filename="../../widgets/incidents/detail.py" line="86"/>
        <source>sending {actions}…</source>
        <translation>đang gửi {actions}…</translation>
    </message>
    <message>
        <location filename="../../widgets/incidents/detail.py" line="92"/>
        <source>not assigned</source>
        <translation>chưa giao</translation>
    </message>
    <message>
        <location filename="../../widgets/incidents/detail.py" line="94"/>
        <source>unknown</source>
        <translation>không rõ</translation>
    </message>
    <message>
        <location filename="../../widgets/incidents/detail.py" line="101"/>
        <source>(kept on this console)</source>
        <translation>(chỉ lưu trên máy này)</translation>
    </message>
    <message>
        <location filename="../../widgets/incidents/detail.py" line="105"/>
        <source>No notes yet.</source>
        <translation>Chưa có ghi chú.</translation>
    </message>
</context>
<context>
    <name>IncidentFilterBar</name>
    <message>
        <location filename="../../widgets/incidents/filters.py" line="29"/>
        <source>Search: words, district, id (accents optional)</source>
        <translation>Tìm: từ khóa, địa bàn, mã (có hoặc không dấu)</translation>
    </message>
    <message>
        <location filename="../../widgets/incidents/filters.py" line="50"/>
        <source>Any priority</source>
        <translation>Mọi mức độ</translation>
    </message>
    <message>
        <location filename="../../widgets/incidents/filters.py" line="52"/>
        <source>≥ {priority}</source>
        <translation>≥ {priority}</translation>
    </message>
    <message>
        <location filename="../../widgets/incidents/filters.py" line="58"/>
        <source>Any category</source>
        <translation>Mọi lĩnh vực</translation>
    </message>
    <message>
        <location filename="../../widgets/incidents/filters.py" line="61"/>
        <source>Any source</source>
        <translation>Mọi nguồn</translation>
    </message>
    <message>
        <location filename="../../widgets/incidents/filters.py" line="63"/>
        <source>Any district</source>
        <translation>Mọi địa bàn</translation>
    </message>
    <message>
        <location filename="../../widgets/incidents/filters.py" line="85"/>
        <source>Overdue {count}</source>
        <translation>Quá hạn {count}</translation>
    </message>
    <message>
        <location filename="../../widgets/incidents/filters.py" line="104"/>
        <source>New</source>
        <translation>Mới</translation>
    </message>
    <message>
        <location filename="../../widgets/incidents/filters.py" line="105"/>
        <source>Acknowledged</source>
        <translation>Đã xác nhận</translation>
    </message>
    <message>
        <location filename="../../widgets/incidents/filters.py" line="106"/>
        <source>Assigned</source>
        <translation>Đã giao</translation>
    </message>
    <message>
        <location filename="../../widgets/incidents/filters.py" line="107"/>
        <source>Resolved</source>
        <translation>Đã giải quyết</translation>
    </message>
</context>
<context>
    <name>IncidentTableModel</name>
    <message>
        <location filename="../../console/domain/queue.py" line="53"/>
        <source>Time</source>
        <translation>Thời gian</translation>
    </message>
    <message>
        <location filename="../../console/domain/queue.py" line="54"/>
        <source>Priority</source>
        <translation>Mức độ</translation>
    </message>
    <message>
        <location filename="../../console/domain/queue.py" line="55"/>
        <source>Category</source>
        <translation>Lĩnh vực</translation>
    </message>
    <message>
        <location filename="../../console/domain/queue.py" line="56"/>
        <source>Title</source>
        <translation>Nội dung</translation>
    </message>
    <message>
        <location filename="../../console/domain/queue.py" line="57"/>
        <source>District</source>
        <translation>Địa bàn</translation>
    </message>
    <message>
        <location filename="../../console/domain/queue.py" line="58"/>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <location filename="../../console/domain/queue.py" line="59"/>
        <source>Source</source>
        <translation>Nguồn</translation>
    </message>
    <message>
        <location filename="../../console/domain/queue.py" line="60"/>
        <source>Due</source>
        <translation>Hạn xử lý</translation>
    </message>
    <message>
        <location filename="../../console/domain/queue.py" line="61"/>
        <source>Assignee</source>
        <translation>Đơn vị xử lý</translation>
    </message>
    <message>
        <location filename="../../console/domain/queue.py" line="62"/>
        <source>System</source>
        <translation>Hệ thống</translation>
    </message>
    <message>
        <location filename="../../console/stores/incidents.py" line="222"/>
        <source>{status} · sending {actions}…</source>
        <translation>{status} · đang gửi {actions}…</translation>
    </message>
    <message>
        <location filename="../../widgets/incidents/columns.py" line="42"/>
        <source>overdue {span}</source>
        <translation>quá hạn {span}</translation>
    </message>
</context>
<context>
    <name>IncidentsPanel</name>
    <message>
        <location filename="../../widgets/incidents/panel.py" line="98"/>
        <source>Cameras at its time (V)</source>
        <translation>Camera vào thời điểm đó (V)</translation>
    </message>
    <message>
        <location filename="../../widgets/incidents/panel.py" line="173"/>
        <source>Incidents and citizen feedback</source>
        <translation>Sự cố và phản ánh của người dân</translation>
    </message>
    <message>
        <location filename="../../widgets/incidents/panel.py" line="308"/>
        <source>Escalated to the duty leader: not acknowledged after {n} min</source>
        <translation>Đã báo lãnh đạo trực: chưa được xác nhận sau {n} phút</translation>
    </message>
    <message>
        <location filename="../../widgets/incidents/panel.py" line="329"/>
        <source>Could not {action} incident {id}: {reason}</source>
        <translation>Không thể {action} sự cố {id}: {reason}</translation>
    </message>
    <message>
        <location filename="../../widgets/incidents/panel.py" line="342"/>
        <source>{open} open · {shown} shown</source>
        <translation>{open} đang mở · {shown} đang hiển thị</translation>
    </message>
</context>
<context>
    <name>KpiBarsPanel</name>
    <message>
        <location filename="../../widgets/kpi/bars.py" line="113"/>
        <source>{name} by unit</source>
        <translation>{name} theo đơn vị</translation>
    </message>
    <message>
        <location filename="../../widgets/kpi/bars.py" line="144"/>
        <source>target {value}</source>
        <translation>mục tiêu {value}</translation>
    </message>
</context>
<context>
    <name>KpiChartPanel</name>
    <message>
        <location filename="../../widgets/kpi/chart.py" line="139"/>
        <source>target {value}</source>
        <translation>mục tiêu {value}</translation>
    </message>
</context>
<context>
    <name>KpiGaugePanel</name>
    <message>
        <location filename="../../widgets/kpi/gauge.py" line="121"/>
        <source>target {value}</source>
        <translation>mục tiêu {value}</translation>
    </message>
</context>
<context>
    <name>KpiPanel</name>
    <message>
        <location filename="../../widgets/kpi/common.py" line="56"/>
        <source>Live</source>
        <translation>Trực tiếp</translation>
    </message>
    <message>
        <location filename="../../widgets/kpi/common.py" line="57"/>
        <source>Day</source>
        <translation>Ngày</translation>
    </message>
    <message>
        <location filename="../../widgets/kpi/common.py" line="58"/>
        <source>Week</source>
        <translation>Tuần</translation>
    </message>
    <message>
        <location filename="../../widgets/kpi/common.py" line="59"/>
        <source>Month</source>
        <translation>Tháng</translation>
    </message>
    <message>
        <location filename="../../widgets/kpi/common.py" line="60"/>
        <source>Quarter</source>
        <translation>Quý</translation>
    </message>
    <message>
        <location filename="../../widgets/kpi/common.py" line="61"/>
        <source>Year</source>
        <translation>Năm</translation>
    </message>
    <message>
        <location filename="../../widgets/kpi/common.py" line="67"/>
        <source>very good</source>
        <translation>rất tốt</translation>
    </message>
    <message>
        <location filename="../../widgets/kpi/common.py" line="68"/>
        <source>good</source>
        <translation>tốt</translation>
    </message>
    <message>
        <location filename="../../widgets/kpi/common.py" line="69"/>
        <source>fair</source>
        <translation>trung bình</translation>
    </message>
    <message>
        <location filename="../../widgets/kpi/common.py" line="70"/>
        <source>bad</source>
        <translation>kém</translation>
    </message>
    <message>
        <location filename="../../widgets/kpi/common.py" line="71"/>
        <source>very bad</source>
        <translation>rất kém</translation>
    </message>
    <message>
        <location filename="../../widgets/kpi/common.py" line="212"/>
        <source>Indicators</source>
        <translation>Chỉ số</translation>
    </message>
    <message>
        <location filename="../../widgets/kpi/common.py" line="250"/>
        <source>as of {time}</source>
        <translation>số liệu lúc {time}</translation>
    </message>
    <message>
        <location filename="../../widgets/kpi/common.py" line="256"/>
        <source>Export as PNG…</source>
        <translation>Xuất ảnh PNG…</translation>
    </message>
    <message>
        <location filename="../../widgets/kpi/common.py" line="257"/>
        <source>Export as CSV…</source>
        <translation>Xuất tệp CSV…</translation>
    </message>
    <message>
        <location filename="../../widgets/kpi/common.py" line="267"/>
        <source>Export</source>
        <translation>Xuất dữ liệu</translation>
    </message>
    <message>
        <location filename="../../widgets/kpi/common.py" line="282"/>
        <location filename="../../widgets/kpi/common.py" line="290"/>
        <source>Could not write {path}</source>
        <translation>Không ghi được {path}</translation>
    </message>
</context>
<context>
    <name>KpiTablePanel</name>
    <message>
        <location filename="../../widgets/kpi/table.py" line="52"/>
        <source>Indicators by {period}</source>
        <translation>Chỉ số theo {period}</translation>
    </message>
</context>
<context>
    <name>KpiTilePanel</name>
    <message>
        <location filename="../../widgets/kpi/tile.py" line="37"/>
        <source>vs last hour</source>
        <translation>so với giờ trước</translation>
    </message>
    <message>
        <location filename="../../widgets/kpi/tile.py" line="38"/>
        <source>vs yesterday</source>
        <translation>so với hôm qua</translation>
    </message>
    <message>
        <location filename="../../widgets/kpi/tile.py" line="39"/>
        <source>vs last week</source>
        <translation>so với tuần trước</translation>
    </message>
    <message>
        <location filename="../../widgets/kpi/tile.py" line="40"/>
        <source>vs last month</source>
        <translation>so với tháng trước</translation>
    </message>
    <message>
        <location filename="../../widgets/kpi/tile.py" line="41"/>
        <source>vs last quarter</source>
        <translation>so với quý trước</translation>
    </message>
    <message>
        <location filename="../../widgets/kpi/tile.py" line="42"/>
        <source>vs last year</source>
        <translation>so với năm trước</translation>
    </message>
    <message>
        <location filename="../../widgets/kpi/tile.py" line="126"/>
        <source>target {value}</source>
        <translation>mục tiêu {value}</translation>
    </message>
</context>
<context>
    <name>LayerSources</name>
    <message>
        <location filename="../../console/sources/layers.py" line="103"/>
        <source>start</source>
        <translation>khởi động</translation>
    </message>
    <message>
        <location filename="../../console/sources/layers.py" line="104"/>
        <source>{name} (not updated since {time}: {error})</source>
        <translation>{name} (chưa cập nhật từ {time}: {error})</translation>
    </message>
</context>
<context>
    <name>LayoutEditor</name>
    <message>
        <location filename="../../widgets/editor/editor.py" line="57"/>
        <source>Edit layout…</source>
        <translation>Sửa bố cục…</translation>
    </message>
    <message>
        <location filename="../../widgets/editor/editor.py" line="59"/>
        <source>Undo</source>
        <translation>Hoàn tác</translation>
    </message>
    <message>
        <location filename="../../widgets/editor/editor.py" line="60"/>
        <source>Redo</source>
        <translation>Làm lại</translation>
    </message>
    <message>
        <location filename="../../widgets/editor/editor.py" line="62"/>
        <source>Save as new preset…</source>
        <translation>Lưu thành bố cục mới…</translation>
    </message>
    <message>
        <location filename="../../widgets/editor/editor.py" line="65"/>
        <source>&amp;Layout</source>
        <translation>&amp;Bố cục</translation>
    </message>
    <message>
        <location filename="../../widgets/editor/editor.py" line="108"/>
        <source>Editing the layout: drag a title bar onto another panel to swap · Ctrl+Z undo · Ctrl+Shift+S save as a preset · Ctrl+E done</source>
        <translation>Đang sửa bố cục: kéo thanh tiêu đề sang khung khác để đổi chỗ · Ctrl+Z hoàn tác · Ctrl+Shift+S lưu thành bố cục · Ctrl+E xong</translation>
    </message>
    <message>
        <location filename="../../widgets/editor/editor.py" line="156"/>
        <source>That panel is no longer on the wall: nothing was changed</source>
        <translation>Khung đó không còn trên màn hình: không thay đổi gì</translation>
    </message>
    <message>
        <location filename="../../widgets/editor/editor.py" line="227"/>
        <source>Save as new preset</source>
        <translation>Lưu thành bố cục mới</translation>
    </message>
    <message>
        <location filename="../../widgets/editor/editor.py" line="228"/>
        <source>Name of the new preset:</source>
        <translation>Tên bố cục mới:</translation>
    </message>
    <message>
        <location filename="../../widgets/editor/editor.py" line="247"/>
        <source>A preset named “{name}” exists already: choose another name</source>
        <translation>Đã có bố cục tên “{name}”: hãy chọn tên khác</translation>
    </message>
    <message>
        <location filename="../../widgets/editor/editor.py" line="259"/>
        <source>Could not save {path}: {error}</source>
        <translation>Không lưu được {path}: {error}</translation>
    </message>
    <message>
        <location filename="../../widgets/editor/editor.py" line="270"/>
        <source>Saved as preset “{title}” ({path})</source>
        <translation>Đã lưu thành bố cục “{title}” ({path})</translation>
    </message>
</context>
<context>
    <name>MapPanel</name>
    <message>
        <location filename="../../widgets/map/data.py" line="44"/>
        <source>online</source>
        <translation>trực tuyến</translation>
    </message>
    <message>
        <location filename="../../widgets/map/data.py" line="44"/>
        <source>offline</source>
        <translation>mất kết nối</translation>
    </message>
    <message>
        <location filename="../../widgets/map/data.py" line="46"/>
        <source>on</source>
        <translation>bật</translation>
    </message>
    <message>
        <location filename="../../widgets/map/data.py" line="47"/>
        <source>off</source>
        <translation>tắt</translation>
    </message>
    <message>
        <location filename="../../widgets/map/data.py" line="48"/>
        <source>working</source>
        <translation>hoạt động</translation>
    </message>
    <message>
        <location filename="../../widgets/map/data.py" line="49"/>
        <location filename="../../widgets/map/data.py" line="50"/>
        <source>fault</source>
        <translation>hỏng</translation>
    </message>
    <message>
        <location filename="../../widgets/map/data.py" line="53"/>
        <source>District boundaries</source>
        <translation>Ranh giới huyện, thị</translation>
    </message>
    <message>
        <location filename="../../widgets/map/data.py" line="54"/>
        <source>Cameras</source>
        <translation>Camera</translation>
    </message>
    <message>
        <location filename="../../widgets/map/data.py" line="55"/>
        <source>Incidents</source>
        <translation>Sự cố</translation>
    </message>
    <message>
        <location filename="../../widgets/map/data.py" line="56"/>
        <source>Street lights</source>
        <translation>Đèn đường</translation>
    </message>
    <message>
        <location filename="../../widgets/map/panel.py" line="108"/>
        <source>Map</source>
        <translation>Bản đồ</translation>
    </message>
</context>
<context>
    <name>MeetingFollower</name>
    <message>
        <location filename="../../widgets/briefing/follower.py" line="76"/>
        <source>Meeting “{name}”</source>
        <translation>Cuộc họp “{name}”</translation>
    </message>
    <message>
        <location filename="../../widgets/briefing/follower.py" line="82"/>
        <source>Connecting to the meeting “{name}” at {url}…</source>
        <translation>Đang kết nối cuộc họp “{name}” tại {url}…</translation>
    </message>
    <message>
        <location filename="../../widgets/briefing/follower.py" line="123"/>
        <source>The meeting&apos;s deck cannot be shown here: {error}</source>
        <translation>Không thể hiển thị bộ trình chiếu của cuộc họp tại đây: {error}</translation>
    </message>
    <message>
        <location filename="../../widgets/briefing/follower.py" line="130"/>
        <source>{title} — meeting “{name}”</source>
        <translation>{title} — cuộc họp “{name}”</translation>
    </message>
    <message>
        <location filename="../../widgets/briefing/follower.py" line="137"/>
        <source>Waiting for the presenter…</source>
        <translation>Đang chờ người trình bày…</translation>
    </message>
    <message>
        <location filename="../../widgets/briefing/follower.py" line="213"/>
        <source>Waiting for the presenter&apos;s deck…</source>
        <translation>Đang chờ bộ trình chiếu của người trình bày…</translation>
    </message>
    <message>
        <location filename="../../widgets/briefing/follower.py" line="264"/>
        <source>Meeting connection lost — showing the last slide</source>
        <translation>Mất kết nối cuộc họp — đang hiển thị trang cuối cùng</translation>
    </message>
    <message>
        <location filename="../../widgets/briefing/follower.py" line="267"/>
        <source>Private view — slide {n} of {total} · Home: return to presenter</source>
        <translation>Xem riêng — trang {n}/{total} · Home: quay về người trình bày</translation>
    </message>
</context>
<context>
    <name>MeetingPublisher</name>
    <message>
        <location filename="../../widgets/briefing/meeting.py" line="128"/>
        <source>Meeting “{name}”: the seats follow this presentation</source>
        <translation>Cuộc họp “{name}”: các chỗ ngồi theo dõi bài trình bày này</translation>
    </message>
    <message>
        <location filename="../../widgets/briefing/meeting.py" line="131"/>
        <source>Meeting “{name}”: broker away ({detail}), reconnecting; seats keep the last slide</source>
        <translation>Cuộc họp “{name}”: mất máy chủ tin nhắn ({detail}), đang kết nối lại; các chỗ ngồi giữ trang cuối</translation>
    </message>
</context>
<context>
    <name>NodeCard</name>
    <message>
        <location filename="../../widgets/nodes/node_card.py" line="60"/>
        <location filename="../../widgets/nodes/node_card.py" line="216"/>
        <source>No picture yet</source>
        <translation>Chưa có hình</translation>
    </message>
    <message>
        <location filename="../../widgets/nodes/node_card.py" line="75"/>
        <source>Show</source>
        <translation>Hiển thị</translation>
    </message>
    <message>
        <location filename="../../widgets/nodes/node_card.py" line="76"/>
        <source>Send…</source>
        <translation>Gửi…</translation>
    </message>
    <message>
        <location filename="../../widgets/nodes/node_card.py" line="77"/>
        <source>Take back</source>
        <translation>Lấy lại</translation>
    </message>
    <message>
        <location filename="../../widgets/nodes/node_card.py" line="130"/>
        <source>Preset: {name}</source>
        <translation>Bố cục: {name}</translation>
    </message>
    <message>
        <location filename="../../widgets/nodes/node_card.py" line="151"/>
        <source>online</source>
        <translation>trực tuyến</translation>
    </message>
    <message>
        <location filename="../../widgets/nodes/node_card.py" line="154"/>
        <source>lost since {time}</source>
        <translation>mất kết nối từ {time}</translation>
    </message>
    <message>
        <location filename="../../widgets/nodes/node_card.py" line="156"/>
        <source>offline</source>
        <translation>ngoại tuyến</translation>
    </message>
    <message>
        <location filename="../../widgets/nodes/node_card.py" line="166"/>
        <source>No health report yet</source>
        <translation>Chưa có báo cáo tình trạng</translation>
    </message>
    <message>
        <location filename="../../widgets/nodes/node_card.py" line="167"/>
        <source>CPU {cpu} % · {mb} MB</source>
        <translation>CPU {cpu} % · {mb} MB</translation>
    </message>
    <message>
        <location filename="../../widgets/nodes/node_card.py" line="171"/>
        <source>No video · %s</source>
        <translation>Không có video · %s</translation>
    </message>
    <message>
        <location filename="../../widgets/nodes/node_card.py" line="172"/>
        <source>{live}/{tiles} tiles live · {fps} fps</source>
        <translation>{live}/{tiles} ô đang phát · {fps} khung/giây</translation>
    </message>
    <message>
        <location filename="../../widgets/nodes/node_card.py" line="180"/>
        <source>#{seq} sending…</source>
        <translation>#{seq} đang gửi…</translation>
    </message>
    <message>
        <location filename="../../widgets/nodes/node_card.py" line="182"/>
        <source>#{seq} queued: sent when the broker is back</source>
        <translation>#{seq} đang chờ: sẽ gửi khi máy chủ tin nhắn trở lại</translation>
    </message>
    <message>
        <location filename="../../widgets/nodes/node_card.py" line="185"/>
        <source>Waiting for #{seq}</source>
        <translation>Đang chờ #{seq}</translation>
    </message>
    <message>
        <location filename="../../widgets/nodes/node_card.py" line="187"/>
        <source>No command yet</source>
        <translation>Chưa có lệnh</translation>
    </message>
    <message>
        <location filename="../../widgets/nodes/node_card.py" line="190"/>
        <source>#{seq} by {by}, {ago}</source>
        <translation>#{seq} bởi {by}, {ago}</translation>
    </message>
    <message>
        <location filename="../../widgets/nodes/node_card.py" line="195"/>
        <source>not painted yet</source>
        <translation>chưa hiển thị</translation>
    </message>
    <message>
        <location filename="../../widgets/nodes/node_card.py" line="197"/>
        <source>{n} s ago</source>
        <translation>{n} giây trước</translation>
    </message>
    <message>
        <location filename="../../widgets/nodes/node_card.py" line="199"/>
        <source>{n} min ago</source>
        <translation>{n} phút trước</translation>
    </message>
    <message>
        <location filename="../../widgets/nodes/node_card.py" line="200"/>
        <source>at {time}</source>
        <translation>lúc {time}</translation>
    </message>
</context>
<context>
    <name>PanelFrame</name>
    <message>
        <location filename="../../widgets/wall/frame.py" line="65"/>
        <source>This panel could not start: {error}</source>
        <translation>Không khởi động được khung này: {error}</translation>
    </message>
    <message>
        <location filename="../../widgets/wall/frame.py" line="85"/>
        <source>This panel stopped after an error: {error}</source>
        <translation>Khung này đã dừng vì lỗi: {error}</translation>
    </message>
    <message>
        <location filename="../../widgets/wall/frame.py" line="94"/>
        <source>Reload panel</source>
        <translation>Tải lại khung</translation>
    </message>
    <message>
        <location filename="../../widgets/wall/frame.py" line="124"/>
        <source>no connection named {names} in this site</source>
        <translation>cấu hình không có kết nối tên {names}</translation>
    </message>
    <message>
        <location filename="../../widgets/wall/frame.py" line="135"/>
        <source>stale since {time}</source>
        <translation>dữ liệu cũ từ {time}</translation>
    </message>
    <message>
        <location filename="../../widgets/wall/frame.py" line="138"/>
        <source>{names} stale since {time}</source>
        <translation>{names}: dữ liệu cũ từ {time}</translation>
    </message>
</context>
<context>
    <name>PlaceholderPanel</name>
    <message>
        <location filename="../../widgets/editor/placeholder.py" line="23"/>
        <source>Empty cell. In edit mode (Ctrl+E), pick a panel kind on its title bar (▾ or ✎).</source>
        <translation>Ô trống. Trong chế độ sửa (Ctrl+E), chọn loại khung trên thanh tiêu đề (▾ hoặc ✎).</translation>
    </message>
    <message>
        <location filename="../../widgets/editor/placeholder.py" line="33"/>
        <source>Empty</source>
        <translation>Trống</translation>
    </message>
</context>
<context>
    <name>PlaybackMode</name>
    <message>
        <location filename="../../widgets/video/playback_mode.py" line="111"/>
        <source>Instant replay (30 s)</source>
        <translation>Xem lại ngay (30 giây)</translation>
    </message>
    <message>
        <location filename="../../widgets/video/playback_mode.py" line="112"/>
        <location filename="../../widgets/video/playback_mode.py" line="130"/>
        <source>Play back from…</source>
        <translation>Xem lại từ…</translation>
    </message>
    <message>
        <location filename="../../widgets/video/playback_mode.py" line="114"/>
        <source>Back to live</source>
        <translation>Trở về trực tiếp</translation>
    </message>
    <message>
        <location filename="../../widgets/video/playback_mode.py" line="118"/>
        <source>Export evidence…</source>
        <translation>Xuất chứng cứ…</translation>
    </message>
    <message>
        <location filename="../../widgets/video/playback_mode.py" line="138"/>
        <location filename="../../widgets/video/playback_mode.py" line="156"/>
        <source>No recordings for this camera</source>
        <translation>Camera này không có bản ghi</translation>
    </message>
    <message>
        <location filename="../../widgets/video/playback_mode.py" line="140"/>
        <source>Looking for recordings…</source>
        <translation>Đang tìm bản ghi…</translation>
    </message>
    <message>
        <location filename="../../widgets/video/playback_mode.py" line="151"/>
        <source>Recordings unavailable: %s</source>
        <translation>Không lấy được bản ghi: %s</translation>
    </message>
    <message>
        <location filename="../../widgets/video/playback_mode.py" line="264"/>
        <source> · PAUSED</source>
        <translation> · TẠM DỪNG</translation>
    </message>
    <message>
        <location filename="../../widgets/video/playback_mode.py" line="265"/>
        <source>PLAYBACK %s ×%s</source>
        <translation>XEM LẠI %s ×%s</translation>
    </message>
    <message>
        <location filename="../../widgets/video/playback_mode.py" line="310"/>
        <source>PLAYBACK</source>
        <translation>XEM LẠI</translation>
    </message>
</context>
<context>
    <name>PresenterSession</name>
    <message>
        <location filename="../../widgets/briefing/presenter.py" line="185"/>
        <source>Exporting minutes…</source>
        <translation>Đang xuất biên bản…</translation>
    </message>
    <message>
        <location filename="../../widgets/briefing/presenter.py" line="188"/>
        <source>Exporting minutes to {path}…</source>
        <translation>Đang xuất biên bản ra {path}…</translation>
    </message>
    <message>
        <location filename="../../widgets/briefing/presenter.py" line="196"/>
        <source>Could not write {path}: {error}</source>
        <translation>Không ghi được {path}: {error}</translation>
    </message>
    <message>
        <location filename="../../widgets/briefing/presenter.py" line="204"/>
        <source>Minutes written to {path} ({pages} pages, {time})</source>
        <translation>Đã ghi biên bản ra {path} ({pages} trang, {time})</translation>
    </message>
</context>
<context>
    <name>PresenterView</name>
    <message>
        <location filename="../../widgets/briefing/presenter_view.py" line="45"/>
        <source>Presenter — {title}</source>
        <translation>Người trình bày — {title}</translation>
    </message>
    <message>
        <location filename="../../widgets/briefing/presenter_view.py" line="64"/>
        <source>Pointer</source>
        <translation>Con trỏ</translation>
    </message>
    <message>
        <location filename="../../widgets/briefing/presenter_view.py" line="65"/>
        <source>Pen</source>
        <translation>Bút</translation>
    </message>
    <message>
        <location filename="../../widgets/briefing/presenter_view.py" line="66"/>
        <source>Highlighter</source>
        <translation>Bút dạ quang</translation>
    </message>
    <message>
        <location filename="../../widgets/briefing/presenter_view.py" line="76"/>
        <source>Undo</source>
        <translation>Hoàn tác</translation>
    </message>
    <message>
        <location filename="../../widgets/briefing/presenter_view.py" line="77"/>
        <source>Clear</source>
        <translation>Xóa hết</translation>
    </message>
    <message>
        <location filename="../../widgets/briefing/presenter_view.py" line="83"/>
        <source>Export minutes…</source>
        <translation>Xuất biên bản…</translation>
    </message>
    <message>
        <location filename="../../widgets/briefing/presenter_view.py" line="107"/>
        <source>{n}/{total}: {title}</source>
        <translation>{n}/{total}: {title}</translation>
    </message>
    <message>
        <location filename="../../widgets/briefing/presenter_view.py" line="111"/>
        <source>(end)</source>
        <translation>(hết)</translation>
    </message>
    <message>
        <location filename="../../widgets/briefing/presenter_view.py" line="112"/>
        <source>Next: {title}</source>
        <translation>Tiếp theo: {title}</translation>
    </message>
    <message>
        <location filename="../../widgets/briefing/presenter_view.py" line="119"/>
        <source>Audience screen blank (B)</source>
        <translation>Màn hình khán giả đang tắt (B)</translation>
    </message>
    <message>
        <location filename="../../widgets/briefing/presenter_view.py" line="122"/>
        <source>Frozen, data as of {time} (F)</source>
        <translation>Đang giữ hình, số liệu lúc {time} (F)</translation>
    </message>
    <message>
        <location filename="../../widgets/briefing/presenter_view.py" line="128"/>
        <source>Elapsed {m:02d}:{s:02d}</source>
        <translation>Đã trình bày {m:02d}:{s:02d}</translation>
    </message>
    <message>
        <location filename="../../widgets/briefing/presenter_view.py" line="135"/>
        <source>Export minutes</source>
        <translation>Xuất biên bản</translation>
    </message>
</context>
<context>
    <name>ProcedureChecklist</name>
    <message>
        <location filename="../../widgets/incidents/checklist.py" line="99"/>
        <source>Procedure: {name} — {done} of {total} steps done</source>
        <translation>Quy trình: {name} — đã làm {done}/{total} bước</translation>
    </message>
    <message>
        <location filename="../../widgets/incidents/checklist.py" line="129"/>
        <source>optional</source>
        <translation>không bắt buộc</translation>
    </message>
    <message>
        <location filename="../../widgets/incidents/checklist.py" line="133"/>
        <source>✓ {author} {time}</source>
        <translation>✓ {author} {time}</translation>
    </message>
    <message>
        <location filename="../../widgets/incidents/checklist.py" line="136"/>
        <source>sending…</source>
        <translation>đang gửi…</translation>
    </message>
    <message>
        <location filename="../../widgets/incidents/checklist.py" line="138"/>
        <source>skipped</source>
        <translation>bỏ qua</translation>
    </message>
    <message>
        <location filename="../../widgets/incidents/checklist.py" line="142"/>
        <source>due {time}</source>
        <translation>hạn {time}</translation>
    </message>
    <message>
        <location filename="../../widgets/incidents/checklist.py" line="147"/>
        <source>operator</source>
        <translation>trực ban</translation>
    </message>
    <message>
        <location filename="../../widgets/incidents/checklist.py" line="148"/>
        <source>unit</source>
        <translation>đơn vị</translation>
    </message>
    <message>
        <location filename="../../widgets/incidents/checklist.py" line="149"/>
        <source>leader</source>
        <translation>lãnh đạo</translation>
    </message>
</context>
<context>
    <name>PtzControl</name>
    <message>
        <location filename="../../widgets/video/ptz_control.py" line="158"/>
        <location filename="../../widgets/video/ptz_control.py" line="274"/>
        <location filename="../../widgets/video/ptz_control.py" line="276"/>
        <source>PTZ: %s</source>
        <translation>PTZ: %s</translation>
    </message>
    <message>
        <location filename="../../widgets/video/ptz_control.py" line="166"/>
        <source>Held by %s until %s</source>
        <translation>Đang được %s điều khiển đến %s</translation>
    </message>
    <message>
        <location filename="../../widgets/video/ptz_control.py" line="233"/>
        <source>PTZ presets</source>
        <translation>Vị trí đặt sẵn PTZ</translation>
    </message>
    <message>
        <location filename="../../widgets/video/ptz_control.py" line="237"/>
        <source>Save current position as…</source>
        <translation>Lưu vị trí hiện tại thành…</translation>
    </message>
    <message>
        <location filename="../../widgets/video/ptz_control.py" line="250"/>
        <source>Preset saved: %s</source>
        <translation>Đã lưu vị trí: %s</translation>
    </message>
    <message>
        <location filename="../../widgets/video/ptz_control.py" line="255"/>
        <source>Save preset</source>
        <translation>Lưu vị trí đặt sẵn</translation>
    </message>
    <message>
        <location filename="../../widgets/video/ptz_control.py" line="255"/>
        <source>Name:</source>
        <translation>Tên:</translation>
    </message>
</context>
<context>
    <name>SendDialog</name>
    <message>
        <location filename="../../widgets/nodes/send_dialog.py" line="53"/>
        <source>Send to {node}</source>
        <translation>Gửi tới {node}</translation>
    </message>
    <message>
        <location filename="../../widgets/nodes/send_dialog.py" line="58"/>
        <source>Screen {screen} · panel {panel} — {kind} {title}</source>
        <translation>Màn hình {screen} · ô {panel} — {kind} {title}</translation>
    </message>
    <message>
        <location filename="../../widgets/nodes/send_dialog.py" line="63"/>
        <location filename="../../widgets/nodes/send_dialog.py" line="95"/>
        <source>Camera</source>
        <translation>Camera</translation>
    </message>
    <message>
        <location filename="../../widgets/nodes/send_dialog.py" line="64"/>
        <source>Incident&apos;s cameras</source>
        <translation>Camera của sự cố</translation>
    </message>
    <message>
        <location filename="../../widgets/nodes/send_dialog.py" line="65"/>
        <source>Map view</source>
        <translation>Góc nhìn bản đồ</translation>
    </message>
    <message>
        <location filename="../../widgets/nodes/send_dialog.py" line="66"/>
        <source>KPI chart</source>
        <translation>Biểu đồ chỉ số</translation>
    </message>
    <message>
        <location filename="../../widgets/nodes/send_dialog.py" line="71"/>
        <source>Send</source>
        <translation>Gửi</translation>
    </message>
    <message>
        <location filename="../../widgets/nodes/send_dialog.py" line="76"/>
        <source>Cell</source>
        <translation>Ô</translation>
    </message>
    <message>
        <location filename="../../widgets/nodes/send_dialog.py" line="101"/>
        <source>The incident&apos;s id</source>
        <translation>Mã sự cố</translation>
    </message>
    <message>
        <location filename="../../widgets/nodes/send_dialog.py" line="109"/>
        <source>Incident</source>
        <translation>Sự cố</translation>
    </message>
    <message>
        <location filename="../../widgets/nodes/send_dialog.py" line="110"/>
        <source>Cameras</source>
        <translation>Camera</translation>
    </message>
    <message>
        <location filename="../../widgets/nodes/send_dialog.py" line="122"/>
        <source>The incident&apos;s place</source>
        <translation>Vị trí sự cố</translation>
    </message>
    <message>
        <location filename="../../widgets/nodes/send_dialog.py" line="127"/>
        <source>Latitude</source>
        <translation>Vĩ độ</translation>
    </message>
    <message>
        <location filename="../../widgets/nodes/send_dialog.py" line="128"/>
        <source>Longitude</source>
        <translation>Kinh độ</translation>
    </message>
    <message>
        <location filename="../../widgets/nodes/send_dialog.py" line="129"/>
        <source>Zoom</source>
        <translation>Mức thu phóng</translation>
    </message>
    <message>
        <location filename="../../widgets/nodes/send_dialog.py" line="143"/>
        <source>Indicators (up to {n})</source>
        <translation>Chỉ số (tối đa {n})</translation>
    </message>
    <message>
        <location filename="../../widgets/nodes/send_dialog.py" line="159"/>
        <source>Select an incident in the queue, or type its id.</source>
        <translation>Chọn một sự cố trong hàng đợi, hoặc nhập mã của nó.</translation>
    </message>
    <message>
        <location filename="../../widgets/nodes/send_dialog.py" line="164"/>
        <location filename="../../widgets/nodes/send_dialog.py" line="189"/>
        <source>No online camera near this incident.</source>
        <translation>Không có camera trực tuyến nào gần sự cố này.</translation>
    </message>
    <message>
        <location filename="../../widgets/nodes/send_dialog.py" line="177"/>
        <source>The node shows no cell to send to.</source>
        <translation>Máy trạm không có ô nào để gửi tới.</translation>
    </message>
    <message>
        <location filename="../../widgets/nodes/send_dialog.py" line="181"/>
        <source>Pick a camera.</source>
        <translation>Hãy chọn một camera.</translation>
    </message>
    <message>
        <location filename="../../widgets/nodes/send_dialog.py" line="186"/>
        <source>No incident with this id.</source>
        <translation>Không có sự cố với mã này.</translation>
    </message>
    <message>
        <location filename="../../widgets/nodes/send_dialog.py" line="201"/>
        <source>Tick one to {n} indicators.</source>
        <translation>Hãy chọn từ một đến {n} chỉ số.</translation>
    </message>
    <message>
        <location filename="../../widgets/nodes/send_dialog.py" line="208"/>
        <source>Cannot send: {why}</source>
        <translation>Không gửi được: {why}</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../widgets/editor/settings.py" line="33"/>
        <source>Settings of “{title}” ({kind})</source>
        <translation>Cài đặt của “{title}” ({kind})</translation>
    </message>
    <message>
        <location filename="../../widgets/editor/settings.py" line="51"/>
        <source>One setting per line, as in the layout file. Empty values use the default.</source>
        <translation>Mỗi dòng một cài đặt, như trong tệp bố cục. Để trống thì dùng giá trị mặc định.</translation>
    </message>
</context>
<context>
    <name>Shift</name>
    <message>
        <location filename="../../widgets/incidents/handover.py" line="58"/>
        <source>&amp;Shift</source>
        <translation>&amp;Ca trực</translation>
    </message>
</context>
<context>
    <name>SlideView</name>
    <message>
        <location filename="../../widgets/briefing/slide.py" line="101"/>
        <source>{title} — frozen, data as of {time}</source>
        <translation>{title} — giữ hình, số liệu lúc {time}</translation>
    </message>
</context>
<context>
    <name>TileBookmarks</name>
    <message>
        <location filename="../../widgets/video/bookmarks.py" line="81"/>
        <source>Bookmark: %s</source>
        <translation>Đánh dấu: %s</translation>
    </message>
    <message>
        <location filename="../../widgets/video/bookmarks.py" line="82"/>
        <source>Bookmark (sending): %s</source>
        <translation>Đánh dấu (đang gửi): %s</translation>
    </message>
    <message>
        <location filename="../../widgets/video/bookmarks.py" line="124"/>
        <location filename="../../widgets/video/bookmarks.py" line="141"/>
        <source>Bookmark this moment…</source>
        <translation>Đánh dấu thời điểm này…</translation>
    </message>
    <message>
        <location filename="../../widgets/video/bookmarks.py" line="128"/>
        <source>Export evidence of “%s”…</source>
        <translation>Xuất chứng cứ của “%s”…</translation>
    </message>
    <message>
        <location filename="../../widgets/video/bookmarks.py" line="147"/>
        <source>optional, e.g. INC-00012</source>
        <translation>không bắt buộc, ví dụ INC-00012</translation>
    </message>
    <message>
        <location filename="../../widgets/video/bookmarks.py" line="154"/>
        <source>Time</source>
        <translation>Thời điểm</translation>
    </message>
    <message>
        <location filename="../../widgets/video/bookmarks.py" line="158"/>
        <source> s</source>
        <translation> giây</translation>
    </message>
    <message>
        <location filename="../../widgets/video/bookmarks.py" line="159"/>
        <source>a moment</source>
        <translation>một thời điểm</translation>
    </message>
    <message>
        <location filename="../../widgets/video/bookmarks.py" line="160"/>
        <source>Lasting</source>
        <translation>Kéo dài</translation>
    </message>
    <message>
        <location filename="../../widgets/video/bookmarks.py" line="161"/>
        <source>Note</source>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <location filename="../../widgets/video/bookmarks.py" line="162"/>
        <source>Incident</source>
        <translation>Sự cố</translation>
    </message>
    <message>
        <location filename="../../widgets/video/bookmarks.py" line="191"/>
        <source>This camera&apos;s backend takes no bookmarks.</source>
        <translation>Hệ thống của camera này không nhận đánh dấu.</translation>
    </message>
</context>
<context>
    <name>Timeline</name>
    <message>
        <location filename="../../widgets/video/timeline.py" line="178"/>
        <source>−%d s</source>
        <translation>−%d giây</translation>
    </message>
    <message>
        <location filename="../../widgets/video/timeline.py" line="179"/>
        <location filename="../../widgets/video/timeline.py" line="209"/>
        <source>Pause</source>
        <translation>Tạm dừng</translation>
    </message>
    <message>
        <location filename="../../widgets/video/timeline.py" line="180"/>
        <source>+%d s</source>
        <translation>+%d giây</translation>
    </message>
    <message>
        <location filename="../../widgets/video/timeline.py" line="185"/>
        <source>Live</source>
        <translation>Trực tiếp</translation>
    </message>
    <message>
        <location filename="../../widgets/video/timeline.py" line="209"/>
        <source>Play</source>
        <translation>Phát</translation>
    </message>
</context>
<context>
    <name>WallController</name>
    <message>
        <location filename="../../widgets/nodes/controller.py" line="76"/>
        <source>Your role ({role}) may not command the wall</source>
        <translation>Vai trò của bạn ({role}) không được điều khiển tường màn hình</translation>
    </message>
    <message>
        <location filename="../../widgets/nodes/controller.py" line="164"/>
        <source>Wall nodes…</source>
        <translation>Các máy trạm tường màn hình…</translation>
    </message>
    <message>
        <location filename="../../widgets/nodes/controller.py" line="167"/>
        <source>&amp;Wall</source>
        <translation>&amp;Tường màn hình</translation>
    </message>
</context>
<context>
    <name>WallControls</name>
    <message>
        <location filename="../../widgets/wall/controls.py" line="86"/>
        <source>Quit</source>
        <translation>Thoát</translation>
    </message>
    <message>
        <location filename="../../widgets/wall/controls.py" line="89"/>
        <source>Reload layouts</source>
        <translation>Tải lại bố cục</translation>
    </message>
    <message>
        <location filename="../../widgets/wall/controls.py" line="91"/>
        <source>Next page</source>
        <translation>Trang tiếp</translation>
    </message>
    <message>
        <location filename="../../widgets/wall/controls.py" line="93"/>
        <source>Wall health</source>
        <translation>Tình trạng tường video</translation>
    </message>
    <message>
        <location filename="../../widgets/wall/controls.py" line="132"/>
        <source>&amp;Console</source>
        <translation>&amp;Bảng điều khiển</translation>
    </message>
    <message>
        <location filename="../../widgets/wall/controls.py" line="137"/>
        <source>&amp;Presets</source>
        <translation>&amp;Mẫu hiển thị</translation>
    </message>
</context>
<context>
    <name>WallManager</name>
    <message>
        <location filename="../../widgets/wall/manager.py" line="185"/>
        <source>Screen “{name}” is not connected: its panels are on the “{name}” tab here.</source>
        <translation>Màn hình “{name}” chưa được kết nối: các khung của nó ở thẻ “{name}” tại đây.</translation>
    </message>
</context>
<context>
    <name>WallNodesDialog</name>
    <message>
        <location filename="../../widgets/nodes/nodes_dialog.py" line="32"/>
        <source>Wall nodes</source>
        <translation>Các máy trạm tường màn hình</translation>
    </message>
    <message>
        <location filename="../../widgets/nodes/nodes_dialog.py" line="40"/>
        <source>No wall node has spoken on the broker yet.</source>
        <translation>Chưa có máy trạm nào lên tiếng trên máy chủ tin nhắn.</translation>
    </message>
    <message>
        <location filename="../../widgets/nodes/nodes_dialog.py" line="83"/>
        <source>Connecting to the wall broker…</source>
        <translation>Đang kết nối máy chủ tin nhắn của tường màn hình…</translation>
    </message>
    <message>
        <location filename="../../widgets/nodes/nodes_dialog.py" line="85"/>
        <source>no answer</source>
        <translation>không trả lời</translation>
    </message>
    <message>
        <location filename="../../widgets/nodes/nodes_dialog.py" line="86"/>
        <source>Wall broker unreachable: {reason} — retrying</source>
        <translation>Không kết nối được máy chủ tin nhắn của tường màn hình: {reason} — đang thử lại</translation>
    </message>
</context>
<context>
    <name>WallWindow</name>
    <message>
        <location filename="../../widgets/wall/window.py" line="273"/>
        <source>connecting…</source>
        <translation>đang kết nối…</translation>
    </message>
    <message>
        <location filename="../../widgets/wall/window.py" line="274"/>
        <source>live</source>
        <translation>trực tuyến</translation>
    </message>
    <message>
        <location filename="../../widgets/wall/window.py" line="275"/>
        <source>polling</source>
        <translation>đang hỏi định kỳ</translation>
    </message>
    <message>
        <location filename="../../widgets/wall/window.py" line="276"/>
        <source>unreachable</source>
        <translation>không kết nối được</translation>
    </message>
    <message>
        <location filename="../../widgets/wall/window.py" line="294"/>
        <source>Connecting to the backend…</source>
        <translation>Đang kết nối máy chủ…</translation>
    </message>
    <message>
        <location filename="../../widgets/wall/window.py" line="295"/>
        <source>Backend: live</source>
        <translation>Máy chủ: trực tuyến</translation>
    </message>
    <message>
        <location filename="../../widgets/wall/window.py" line="296"/>
        <source>Backend: live updates interrupted, polling</source>
        <translation>Máy chủ: mất cập nhật tức thời, đang hỏi định kỳ</translation>
    </message>
    <message>
        <location filename="../../widgets/wall/window.py" line="297"/>
        <source>Backend unreachable: showing last data</source>
        <translation>Không kết nối được máy chủ: đang hiện dữ liệu gần nhất</translation>
    </message>
</context>
<context>
    <name>shift</name>
    <message>
        <location filename="../../widgets/incidents/handover.py" line="169"/>
        <source>End shift…</source>
        <translation>Kết thúc ca trực…</translation>
    </message>
</context>
</TS>
