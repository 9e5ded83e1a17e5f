-- bench/load.sh's wrk script. It prints one RESULT line at the end with
-- the percentiles wrk's --latency leaves out (p99.9), in microseconds.
-- WRK_MIX=notes makes every other request add a note to task WRK_TASK and
-- the others read that task's notes (the 50/50 read/write row); otherwise
-- wrk sends the command line's request unchanged.
if os.getenv("WRK_MIX") == "notes" then
  local path = "/v1/tasks/" .. (os.getenv("WRK_TASK") or "100") .. "/notes"
  local body = '{"subject":"load","body":"a note from bench/load.sh"}'
  local reqs, n = nil, 0
  request = function()
    if not reqs then
      -- Separate header tables: wrk.format adds Content-Length to the
      -- table it is given, which a GET must not carry.
      local get, post = {}, {}
      for k, v in pairs(wrk.headers) do get[k] = v; post[k] = v end
      post["Content-Type"] = "application/json"
      reqs = { wrk.format("GET", path, get), wrk.format("POST", path, post, body) }
    end
    n = n + 1
    return reqs[n % 2 + 1]
  end
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT requests=%d non2xx=%d socket_errors=%d p50=%d p99=%d p999=%d\n",
    summary.requests, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99), latency:percentile(99.9)))
end
