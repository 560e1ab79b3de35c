-- wrk script for bench/safety_check.py: every request POSTs an answer to the next
-- personal link (tokens read from the file given after `--`), and each thread counts
-- its 2xx and other responses, printed at the end for the bench to check.

local threads = {}
local counter = 1

function setup(thread)
  thread:set("id", counter)
  table.insert(threads, thread)
  counter = counter + 1
end

function init(args)
  tokens = {}
  for line in io.lines(args[1]) do
    if #line > 0 then tokens[#tokens + 1] = line end
  end
  stride = tonumber(args[2]) or 1
  n, ok, non2xx = 0, 0, 0
end

function request()
  -- Threads take interleaved tokens (id, id + threads, ...), so no two threads post to
  -- one link at once. wrk's threads do not run at one pace (a run logged 1,809 requests
  -- on one thread and 342 on another), so a fast thread comes round to its first links
  -- again: a second answer from the same person, which the server keeps in the history.
  local index = ((n * stride) + id - 1) % #tokens + 1
  n = n + 1
  local body = (n % 10 == 0)
    and '{"status":"NEED_HELP","note":"bench","location":"Kagoshima"}'
    or '{"status":"SAFE","note":"bench","location":"Kagoshima"}'
  return wrk.format("POST", wrk.path .. tokens[index] .. "/",
    {["Content-Type"] = "application/json"}, body)
end

function response(status, headers, body)
  if status >= 200 and status < 300 then ok = ok + 1 else non2xx = non2xx + 1 end
end

function done(summary, latency, requests)
  local total_ok, total_bad = 0, 0
  for _, thread in ipairs(threads) do
    total_ok = total_ok + thread:get("ok")
    total_bad = total_bad + thread:get("non2xx")
  end
  io.write(string.format("ok=%d\nnon2xx=%d\nrequests=%d\n", total_ok, total_bad, summary.requests))
end
