-- wrk script: POST /api/v1/comments with a unique external_id per request.
-- KEY comes from the environment; every thread gets its own id prefix.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

local texts = {
  "I think the council got this one right, the new bus lanes are working.",
  "You are an idiot and you know nothing about economics.",
  "Great reporting, thank you. Would love a follow-up on the school budget.",
  "Buy cheap followers now at www.cheap-likes.example, call 555-0100!",
  "This is the worst take I have read all week, honestly embarrassing.",
}
local counter = 0
local headers = { ["Content-Type"] = "application/json",
                  ["Authorization"] = "Bearer " .. os.getenv("KEY") }

function request()
  counter = counter + 1
  local body = string.format(
    '{"external_id":"load-%s-%s-%d","article_id":"a-%d","author":{"id":"u-%d","name":"Reader"},"text":"%s"}',
    os.getenv("RUN_ID") or "0", tid, counter, counter % 50, counter % 500, texts[counter % #texts + 1])
  return wrk.format("POST", "/api/v1/comments", headers, body)
end

function response(status, headers, body)
  if status ~= 201 then
    io.stderr:write("unexpected status " .. status .. "\n")
  end
end
