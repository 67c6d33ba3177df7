-- bench/assistant/rotate.lua — wrk script: each request asks the next question of a fixed list.
-- run.sh writes the list (URL-encoded paths, one a line) to the file named by the environment variable
-- ASK_PATHS; every wrk thread starts at a different place in it, so the connections do not ask in lockstep.
-- With ASK_DISTINCT=1 every request appends a number no other request uses ("… 1000000042"), so no two
-- questions are the same text and none is answered from the engine's memory of answers: numbers carry no topic,
-- so the decisions stay those of the question as listed, but every ask is ranked afresh.
-- With ASK_PACE_MS=N every connection waits N milliseconds before each request (an offered load below what the
-- server can take, so a latency is the request's own time rather than its place in a queue).
local paths = {}
local next_start = 0
local next_thread = 0

function setup(thread)
  thread:set("start_at", next_start)  -- globals of the thread's own Lua state
  thread:set("thread_number", next_thread)
  next_start = next_start + 7
  next_thread = next_thread + 1
end

function init(args)
  local file = assert(io.open(os.getenv("ASK_PATHS"), "r"))
  for line in file:lines() do
    if line ~= "" then paths[#paths + 1] = line end
  end
  file:close()
  assert(#paths > 0, "no questions in " .. os.getenv("ASK_PATHS"))
  counter = start_at or 0
  distinct = os.getenv("ASK_DISTINCT") == "1"
  first_number = (1 + (thread_number or 0)) * 1000000000
  math.randomseed(12345 + (thread_number or 0))
end

-- Defined only when pacing: wrk schedules a timer for every request of a script that has delay(). The wait is drawn
-- evenly from 0.5–1.5 times the pace (the same mean), so the connections drift apart as independent users would;
-- with one fixed wait, all 64 started together and stayed in step, and every request queued behind a burst of 63
-- others.
local pace = tonumber(os.getenv("ASK_PACE_MS") or "")
if pace then
  function delay()
    return math.floor(pace * (0.5 + math.random()) + 0.5)
  end
end

function request()
  counter = counter + 1
  local path = paths[(counter % #paths) + 1]
  if distinct then path = path .. "%20" .. string.format("%d", first_number + counter) end
  return wrk.format("GET", path)
end
