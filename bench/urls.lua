-- wrk script: cycle through a fixed list of request paths, report percentiles as JSON.
--
--   wrk -t1 -c8 -d20s -s bench/urls.lua http://127.0.0.1:8031 -- bench/out/urls-api-list.txt
--
-- The list (one path a line) is made by bench/run_registry.py from a seeded random
-- generator, so every run sends the same requests. Each wrk thread starts at its
-- own offset, so threads do not send the same path at the same time.

local paths = {}
local position = 0
local threads = {}

function setup(thread)
   thread:set("thread_number", #threads)
   table.insert(threads, thread)
end

function init(args)
   local file = args[1]
   if file == nil then
      error("give the file of request paths after --")
   end
   for line in io.lines(file) do
      if line ~= "" then
         paths[#paths + 1] = line
      end
   end
   if #paths == 0 then
      error("no request paths in " .. file)
   end
   position = (thread_number or 0) * 7919 % #paths
end

function request()
   position = position % #paths + 1
   return wrk.format("GET", paths[position])
end

function done(summary, latency, requests)
   local seconds = summary.duration / 1e6
   local errors = summary.errors
   io.write(string.format(
      'WRK_RESULT {"requests": %d, "seconds": %.3f, "rps": %.1f, "bytes": %d, ' ..
      '"p50_ms": %.2f, "p90_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, ' ..
      '"mean_ms": %.2f, "max_ms": %.2f, "errors_connect": %d, "errors_read": %d, ' ..
      '"errors_write": %d, "errors_status": %d, "errors_timeout": %d}\n',
      summary.requests, seconds, summary.requests / seconds, summary.bytes,
      latency:percentile(50) / 1000, latency:percentile(90) / 1000,
      latency:percentile(95) / 1000, latency:percentile(99) / 1000,
      latency.mean / 1000, latency.max / 1000,
      errors.connect, errors.read, errors.write, errors.status, errors.timeout))
end
