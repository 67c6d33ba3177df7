-- bench/assistant/rotate.lua — wrk script: each request asks the next question of a fixed list.
-- run.sh writes the list (URL-encoded paths, one a line) to the file named by the environment variable
-- ASK_PATHS; every wrk thread starts at a different place in it, so the connections do not ask in lockstep.
local paths = {}
local next_start = 0

function setup(thread)
  thread:set("start_at", next_start)  -- a global of the thread's own Lua state
  next_start = next_start + 7
end

function init(args)
  local file = assert(io.open(os.getenv("ASK_PATHS"), "r"))
  for line in file:lines() do
    if line ~= "" then paths[#paths + 1] = line end
  end
  file:close()
  assert(#paths > 0, "no questions in " .. os.getenv("ASK_PATHS"))
  counter = start_at or 0
end

function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end
