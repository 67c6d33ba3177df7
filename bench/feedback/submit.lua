-- bench/feedback/submit.lua — wrk script: every request files a different, valid feedback item
-- (POST /api/v1/feedback, JSON) and counts the answers that acknowledged it (201 with a tracking code).
-- The kinds, subjects and texts vary with a per-thread counter, so no two bodies are the same.
local kinds = { "question", "complaint", "suggestion", "report" }
local subjects = { "procedure", "conduct", "technical", "other" }
local phrases = {
  "Trang nộp hồ sơ báo lỗi khi tải tệp đính kèm dung lượng lớn",
  "Hồ sơ đăng ký khai sinh đã quá hạn hẹn trả mà chưa có kết quả",
  "Đề nghị bổ sung hướng dẫn thanh toán lệ phí trực tuyến bằng ví điện tử",
  "Cán bộ bộ phận một cửa hướng dẫn chưa rõ thành phần hồ sơ cần nộp",
  "Không nhận được mã OTP khi đăng nhập bằng tài khoản định danh điện tử",
}
local threads = {}

function setup(thread)
  thread:set("thread_number", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  counter = 0
  created = 0
  other = 0
end

function request()
  counter = counter + 1
  local phrase = phrases[(counter % #phrases) + 1]
  local body = string.format(
    '{"kind":"%s","subject":"%s","title":"%s (%d-%d)","body":"%s. Lần gửi thử số %d của luồng %d.","consent_publish":%s}',
    kinds[(counter % #kinds) + 1], subjects[(counter % #subjects) + 1], phrase, thread_number, counter,
    phrase, counter, thread_number, (counter % 2 == 0) and "true" or "false")
  return wrk.format("POST", "/api/v1/feedback", { ["Content-Type"] = "application/json" }, body)
end

function response(status, headers, body)
  if status == 201 and string.find(body, '"tracking_code":"', 1, true) then
    created = created + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local total_created, total_other = 0, 0
  for _, thread in ipairs(threads) do
    total_created = total_created + thread:get("created")
    total_other = total_other + thread:get("other")
  end
  io.write(string.format("acknowledged %d other %d\n", total_created, total_other))
end
