-- wrk script: POST /check on bench/apc_app.py, one comment per request, the same texts
-- as wrk_comments.lua.
local texts = {
  "I think the council got this one right, the new bus lanes are working.",
  "You are an idiot and you know nothing about economics.",
  "Great reporting, thank you. Would love a follow-up on the school budget.",
  "Buy cheap followers now at www.cheap-likes.example, call 555-0100!",
  "This is the worst take I have read all week, honestly embarrassing.",
}
local counter = 0
local headers = { ["Content-Type"] = "application/json" }

function request()
  counter = counter + 1
  local body = string.format('{"text":"%s"}', texts[counter % #texts + 1])
  return wrk.format("POST", "/check", headers, body)
end

function response(status, headers, body)
  if status ~= 200 then
    io.stderr:write("unexpected status " .. status .. "\n")
  end
end
