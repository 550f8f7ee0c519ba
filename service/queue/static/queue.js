// The queue page's keyboard and partial updates. Plain JS, no build step.
// Talks to /api/v1/queue with the session cookie and the X-CSRFToken header.
// Comment text from the server is only ever put in the page with textContent.
"use strict";

(function () {
  const queue = document.getElementById("queue");
  if (!queue) return;
  const API = queue.dataset.api;
  const CSRF = document.querySelector('meta[name="csrf-token"]').content;
  const CATEGORIES = ["profanity", "vulgarity", "threat", "personal_attack", "abuse", "promotion"];
  const toast = document.getElementById("toast");
  const toastText = document.getElementById("toast-text");
  const bulkbar = document.getElementById("bulkbar");
  let current = null;
  let lastAction = null; // {decisions: [{id, commentId}], nodes: [{node, before}]}
  let toastTimer = null;

  async function call(method, path, body) {
    const options = {
      method: method,
      credentials: "same-origin",
      headers: { "X-CSRFToken": CSRF, Accept: "application/json" },
    };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    const response = await fetch(API + path, options);
    let data = null;
    if (response.status !== 204) {
      try { data = await response.json(); } catch (e) { data = null; }
    }
    if (!response.ok) {
      const message = data && data.error ? data.error.message : "Request failed (" + response.status + ")";
      const error = new Error(message);
      error.status = response.status;
      throw error;
    }
    return data;
  }

  function items() { return Array.from(queue.querySelectorAll("article.item")); }
  function picked() { return items().filter((el) => el.querySelector(".pick").checked); }

  function say(text, undoable) {
    toastText.textContent = text;
    document.getElementById("undo").hidden = !undoable;
    toast.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { toast.hidden = true; }, undoable ? 15000 : 6000);
  }

  function claim(el) {
    call("POST", "/" + el.dataset.id + "/claim").catch((error) => {
      if (error.status === 409 || error.status === 404) {
        say(error.message, false);
        removeItem(el);
      }
    });
  }

  function release(el) {
    if (el && el.isConnected && !el.querySelector(".pick").checked) {
      call("DELETE", "/" + el.dataset.id + "/claim").catch(() => {});
    }
  }

  function select(el, options) {
    if (!el) return;
    if (current && current !== el) {
      current.classList.remove("current");
      if (!(options && options.keepClaim)) release(current);
    }
    current = el;
    el.classList.add("current");
    el.scrollIntoView({ block: "nearest" });
    if (document.activeElement && document.activeElement.closest("article.item") !== el) {
      el.focus({ preventScroll: true });
    }
    claim(el);
  }

  function neighbour(el, step) {
    const all = items();
    const index = all.indexOf(el);
    return all[index + step] || all[index - step] || null;
  }

  function removeItem(el) {
    const next = el === current ? neighbour(el, 1) : current;
    const record = { node: el, before: el.nextElementSibling };
    el.remove();
    if (el === current) {
      current = null;
      if (next) select(next, { keepClaim: true });
    }
    updateBulkbar();
    document.getElementById("done").hidden = items().length > 0;
    return record;
  }

  function reasonOf(el) {
    const chosen = el.querySelector("select.reason").value;
    return chosen || null;
  }

  function noteOf(el) {
    const value = el.querySelector("input.note").value.trim();
    return value || null;
  }

  async function act(action) {
    const targets = picked().length ? picked() : current ? [current] : [];
    if (!targets.length) return;
    let reason = null;
    if (action === "reject") {
      reason = targets.length > 1 && current ? reasonOf(current) : reasonOf(targets[0]);
      if (!reason) {
        say("Choose a reason first (1–6).", false);
        return;
      }
    }
    const note = current ? noteOf(current) : null;
    const verb = action === "approve" ? "Approved" : "Rejected";
    if (targets.length === 1) {
      const el = targets[0];
      try {
        const result = await call("POST", "/" + el.dataset.id + "/decision", { action, reason, note });
        const record = removeItem(el);
        lastAction = { decisions: [{ id: result.decision.id }], nodes: [record] };
        say(verb + " comment " + el.dataset.id + (reason ? " (" + reason.replace("_", " ") + ")" : "") + ".", true);
      } catch (error) {
        say(error.message, false);
        if (error.status === 409) removeItem(el);
      }
      return;
    }
    const ids = targets.map((el) => Number(el.dataset.id));
    try {
      const result = await call("POST", "/bulk", { ids, action, reason, note });
      const decisions = [];
      const nodes = [];
      let refused = 0;
      result.results.forEach((r) => {
        const el = document.getElementById("item-" + r.id);
        if (r.ok) decisions.push({ id: r.decision.id });
        else refused += 1;
        if (el) nodes.push(removeItem(el));
      });
      lastAction = { decisions, nodes };
      say(verb + " " + decisions.length + " comments" + (refused ? "; " + refused + " were already taken" : "") + ".", true);
    } catch (error) {
      say(error.message, false);
    }
  }

  async function undo() {
    if (!lastAction) return;
    const action = lastAction;
    lastAction = null;
    let restored = 0;
    for (const d of action.decisions) {
      try { await call("POST", "/decisions/" + d.id + "/undo"); restored += 1; } catch (error) { say(error.message, false); return; }
    }
    action.nodes.reverse().forEach((r) => {
      r.node.classList.remove("current");
      r.node.querySelector(".pick").checked = false;
      if (r.before && r.before.isConnected) queue.insertBefore(r.node, r.before);
      else queue.insertBefore(r.node, document.getElementById("done"));
    });
    document.getElementById("done").hidden = true;
    updateBulkbar();
    if (action.nodes.length) select(action.nodes[action.nodes.length - 1].node, { keepClaim: true });
    say("Undone: " + restored + " comment" + (restored === 1 ? " is" : "s are") + " back in the queue.", false);
  }

  async function skip() {
    if (!current) return;
    const el = current;
    const next = neighbour(el, 1);
    el.classList.remove("current");
    current = null;
    el.remove();
    call("DELETE", "/" + el.dataset.id + "/claim").catch(() => {});
    if (next) select(next);
    document.getElementById("done").hidden = items().length > 0;
  }

  function pickReason(number) {
    if (!current) return;
    const category = CATEGORIES[number - 1];
    current.querySelector("select.reason").value = category;
    say("Reason: " + category.replace("_", " ") + ". Press r to reject.", false);
  }

  function togglePick() {
    if (!current) return;
    const box = current.querySelector(".pick");
    box.checked = !box.checked;
    updateBulkbar();
  }

  function updateBulkbar() {
    const count = picked().length;
    bulkbar.hidden = count === 0;
    document.getElementById("bulk-count").textContent = count + " selected";
    items().forEach((el) => el.classList.toggle("picked", el.querySelector(".pick").checked));
  }

  // Text with the evidence spans wrapped in <mark>; offsets are code points.
  function highlighted(text, spans) {
    const p = document.createElement("p");
    p.className = "text small";
    p.dir = "auto";
    const points = Array.from(text);
    let cursor = 0;
    (spans || []).slice().sort((x, y) => x.start - y.start).forEach((span) => {
      const start = Math.max(span.start, cursor);
      const end = Math.min(span.end, points.length);
      if (start >= end) return;
      if (start > cursor) p.appendChild(document.createTextNode(points.slice(cursor, start).join("")));
      const mark = document.createElement("mark");
      mark.className = "ev ev-" + span.category;
      mark.textContent = points.slice(start, end).join("");
      p.appendChild(mark);
      cursor = end;
    });
    if (cursor < points.length) p.appendChild(document.createTextNode(points.slice(cursor).join("")));
    return p;
  }

  function element(tag, className, text) {
    const el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined) el.textContent = text;
    return el;
  }

  function contextRow(c, currentId) {
    const li = element("li", "ctx" + (c.id === currentId ? " ctx-current" : ""));
    const meta = element("div", "meta");
    meta.appendChild(element("span", "status status-" + c.status, c.status));
    meta.appendChild(element("strong", "author", c.author.name || "anonymous"));
    meta.appendChild(element("span", "muted", new Date(c.created_at).toLocaleString()));
    li.appendChild(meta);
    li.appendChild(highlighted(c.text, c.evidence));
    if (c.id === currentId) return li;
    const row = element("div", "row");
    const reason = element("select", "reason");
    reason.setAttribute("aria-label", "Reason");
    CATEGORIES.forEach((cat) => {
      const option = element("option", "", cat.replace("_", " "));
      option.value = cat;
      if (cat === c.suggested_reason) option.selected = true;
      reason.appendChild(option);
    });
    const pending = c.status === "pending";
    const path = "/" + c.id + (pending ? "/decision" : "/overturn");
    const run = async (action) => {
      try {
        const result = await call("POST", path, { action, reason: action === "reject" ? reason.value : null, note: null });
        meta.firstChild.textContent = result.status;
        meta.firstChild.className = "status status-" + result.status;
        row.remove();
        say("Comment " + c.id + " is now " + result.status + ".", false);
        const inQueue = document.getElementById("item-" + c.id);
        if (inQueue) removeItem(inQueue);
      } catch (error) { say(error.message, false); }
    };
    if (c.status !== "approved") {
      const approve = element("button", "approve", pending ? "Approve" : "Overturn: approve");
      approve.type = "button";
      approve.addEventListener("click", () => run("approve"));
      row.appendChild(approve);
    }
    if (c.status !== "rejected") {
      row.appendChild(reason);
      const reject = element("button", "reject", pending ? "Reject" : "Overturn: reject");
      reject.type = "button";
      reject.addEventListener("click", () => run("reject"));
      row.appendChild(reject);
    }
    li.appendChild(row);
    return li;
  }

  async function toggleContext(el) {
    if (!el) return;
    const box = el.querySelector(".context");
    if (!box.hidden) { box.hidden = true; return; }
    box.replaceChildren(element("p", "muted", "Loading the conversation…"));
    box.hidden = false;
    try {
      const data = await call("GET", "/" + el.dataset.id + "/context");
      const list = element("ol", "ctx-list");
      data.comments.forEach((c) => list.appendChild(contextRow(c, Number(el.dataset.id))));
      box.replaceChildren(element("h3", "", "Conversation on " + (data.article.title || data.article.id)), list);
    } catch (error) {
      box.replaceChildren(element("p", "error", error.message));
    }
  }

  function typing(target) {
    return target && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName)) && !target.classList.contains("pick");
  }

  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && typing(event.target)) { event.target.blur(); return; }
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    const key = event.key;
    if (key === "j") select(current ? items()[items().indexOf(current) + 1] || current : items()[0]);
    else if (key === "k") select(current ? items()[items().indexOf(current) - 1] || current : items()[0]);
    else if (key === "a") act("approve");
    else if (key === "r") act("reject");
    else if (key >= "1" && key <= "6") pickReason(Number(key));
    else if (key === "x") togglePick();
    else if (key === "s") skip();
    else if (key === "c") toggleContext(current);
    else if (key === "u") undo();
    else if (key === "o" && current) window.location.href = current.querySelector("a.open").href;
    else return;
    event.preventDefault();
  });

  queue.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-act], button[data-bulk]");
    const item = event.target.closest("article.item");
    if (item && item !== current && !event.target.closest(".context")) select(item);
    if (!button) {
      if (event.target.classList.contains("pick")) updateBulkbar();
      return;
    }
    const act_ = button.dataset.act;
    if (act_ === "approve" || act_ === "reject") act(act_);
    else if (act_ === "skip") skip();
    else if (act_ === "context") toggleContext(item);
    const bulk = button.dataset.bulk;
    if (bulk === "clear") { picked().forEach((el) => { el.querySelector(".pick").checked = false; }); updateBulkbar(); }
    else if (bulk) act(bulk);
  });

  document.getElementById("undo").addEventListener("click", undo);
  const filterbox = document.getElementById("filterbox");
  if (filterbox && window.matchMedia("(max-width: 600px)").matches) filterbox.open = false;
  if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
  select(items()[0]);
  queue.dataset.ready = "true";
})();
