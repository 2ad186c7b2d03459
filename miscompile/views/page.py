"""``miscompile inspect --html OUT``: the memory inspector as one self-contained web page.

The page holds the program, the explored states as JSON (schema below) and its own
CSS and JavaScript: it needs no network when it is opened, so a teacher can put it on
a course site or open it from a USB stick. Like the Textual app it is a view of
``miscompile.app.inspector.Inspector``; the script only walks the states the JSON holds.

Up to ``GRAPH_LIMIT`` states the page holds the whole state graph: every enabled choice
can be taken and "reachable" is exact. Past it, it holds the shortest witness of every
outcome (their union, sharing common prefixes): the choices offered are the steps of
some witness, and "reachable" names the outcomes whose witness goes on from here.
The page says which it holds.

The JSON (``<script type="application/json" id="inspector-data">``), schema
``miscompile-inspect/1``:

- ``schema``, ``program``, ``model``, ``passes``, ``baseline`` (what ``added`` is
  measured against), ``complete`` (false: a bound cut the search), ``mode``
  (``"graph"`` or ``"witnesses"``), ``explored`` (states the search found);
- ``source``: the explored program's lines; ``written``: lines a pass wrote;
- ``threads``: ``[{"name", "first", "last"}]`` (where each thread's code is);
- ``outcomes``: ``[{"number", "status", "text", "added"}]`` in the tool's order;
- ``states``: by id (0 is the initial state), each
  ``{"threads": [{"where", "line", "registers", "buffer", "output"}], "memory": [str],
  "objects": [str], "choices": [{"label", "to"}], "reach": [outcome index],
  "end": outcome index or null}``.
"""

from __future__ import annotations

import html
import json
from typing import Any

from ..app.inspector import Inspector
from .explore_view import output_text, result_text

SCHEMA = "miscompile-inspect/1"
#: Past this many states the page holds the outcomes' witnesses instead of the whole graph.
GRAPH_LIMIT = 3_000


def page_data(inspector: Inspector, *, graph_limit: int = GRAPH_LIMIT) -> dict[str, Any]:
    space = inspector.space
    whole = len(space.states) <= graph_limit
    if whole:
        kept = list(range(len(space.states)))
        allowed = None
        reach = {state: space.reachable(state) for state in kept}
    else:
        kept, allowed, reach = _witness_subgraph(inspector)
    renumber = {state: new for new, state in enumerate(kept)}
    states = []
    for state in kept:
        here = inspector.standing_at(state)
        threads = [{"where": t.where, "line": t.line, "registers": [f"{n}={v}" for n, v in t.registers],
                    "buffer": [text for _, text in t.buffer], "output": list(t.output)} for t in here.threads()]
        choices = [{"label": step.label, "to": renumber[step.target]} for step in here.steps()
                   if allowed is None or (state, step.target) in allowed]
        end = space.ends.get(state)
        states.append({"threads": threads, "memory": [text for _, text in here.memory()],
                       "objects": [f"{name} ({kind}): {holds}" for name, kind, holds in here.objects()],
                       "choices": choices, "reach": reach[state], "end": end})
    return {
        "schema": SCHEMA, "program": inspector.subject.path, "model": inspector.model,
        "passes": inspector.subject.passes, "baseline": inspector.baseline, "complete": inspector.complete,
        "mode": "graph" if whole else "witnesses", "explored": len(space.states),
        "source": inspector.source_lines(), "written": sorted(inspector.written),
        "threads": [{"name": t.name, "first": t.lines[0], "last": t.lines[1]} for t in inspector.threads()],
        "outcomes": [{"number": row.number, "status": row.outcome.status, "added": row.added,
                      "text": outcome_text(row.outcome)} for row in inspector.outcomes()],
        "states": states,
    }


def outcome_text(outcome: Any) -> str:
    """One line: the final memory (or stuck threads, failures), then what each thread printed."""
    parts = [result_text(outcome).replace("\n", "; "), output_text(outcome).replace("\n", "; ")]
    return " · ".join(part for part in parts if part)


def _witness_subgraph(inspector: Inspector) -> tuple[list[int], set[tuple[int, int]], dict[int, list[int]]]:
    """The states and edges of every outcome's shortest witness, and per state the outcomes whose
    witness passes through it."""
    space = inspector.space
    kept, edges, reach = [0], set(), {0: []}
    for index, outcome in enumerate(space.outcomes):
        state = 0
        reach[0].append(index)
        for choice in space.result.outcomes[outcome]:
            successor = next(w for c, w in space.edges[state] if c == choice)
            edges.add((state, successor))
            if successor not in reach:
                kept.append(successor)
                reach[successor] = []
            if index not in reach[successor]:
                reach[successor].append(index)
            state = successor
    return kept, edges, reach


def inspector_page(inspector: Inspector, *, graph_limit: int = GRAPH_LIMIT) -> str:
    data = json.dumps(page_data(inspector, graph_limit=graph_limit), ensure_ascii=False, separators=(",", ":"))
    title = f"miscompile inspect {inspector.subject.path} under {inspector.model}"
    return (PAGE.replace("{{title}}", html.escape(title))
            .replace("{{data}}", data.replace("</", "<\\/"))
            .replace("{{style}}", STYLE).replace("{{script}}", SCRIPT))


PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{title}}</title>
<style>{{style}}</style>
</head>
<body>
<header>
  <h1>{{title}}</h1>
  <p id="mode"></p>
</header>
<nav aria-label="Controls">
  <button type="button" id="step">Step</button>
  <button type="button" id="play">Play</button>
  <button type="button" id="undo">Undo</button>
  <button type="button" id="reset">Reset</button>
  <span id="status" role="status" aria-live="polite"></span>
</nav>
<main>
  <div id="threads"></div>
  <div id="side">
    <section id="memory" role="region" aria-label="Memory"><h2>Memory</h2><ul id="memory-list"></ul>
      <h3 id="objects-title">Synchronisation</h3><ul id="objects-list"></ul></section>
    <section id="choices" role="region" aria-label="Choices"><h2>Choices</h2><ol id="choice-list"></ol></section>
    <section id="outcomes" role="region" aria-label="Outcomes"><h2>Outcomes</h2>
      <p class="hint">Click an outcome to follow it: Step then takes its next step, Play all of them.
      Keys: 1–9 take a choice, s steps, p plays, u undoes, r resets.</p>
      <ol id="outcome-list"></ol></section>
    <section id="log" role="region" aria-label="Steps taken"><h2>Steps taken</h2><ol id="log-list"></ol></section>
  </div>
</main>
<script type="application/json" id="inspector-data">{{data}}</script>
<script>{{script}}</script>
</body>
</html>
"""

STYLE = """
:root { --fg: #1b1f24; --muted: #5b6470; --line: #d0d7de; --accent: #0969da; --added: #9a6700;
        --added-bg: #fff8c5; --now: #ddf4ff; font-family: system-ui, sans-serif; color: var(--fg); }
body { margin: 0 auto; max-width: 1400px; padding: 0.5rem 1rem 2rem; }
h1 { font-size: 1.1rem; margin: 0.3rem 0; overflow-wrap: anywhere; }
h2 { font-size: 1rem; margin: 0 0 0.3rem; }
h3 { font-size: 0.9rem; margin: 0.5rem 0 0.2rem; }
#mode, .hint { color: var(--muted); font-size: 0.85rem; margin: 0.2rem 0; }
nav { position: sticky; top: 0; background: white; padding: 0.4rem 0; display: flex; flex-wrap: wrap;
      gap: 0.4rem; align-items: center; border-bottom: 1px solid var(--line); z-index: 1; }
button { font: inherit; padding: 0.35rem 0.9rem; border: 1px solid var(--line); border-radius: 6px;
         background: #f6f8fa; cursor: pointer; }
button:hover:not(:disabled) { border-color: var(--accent); }
button:disabled { opacity: 0.45; cursor: default; }
#status { color: var(--muted); font-size: 0.9rem; }
main { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 0.8rem; margin-top: 0.6rem; }
#threads { display: grid; grid-template-columns: repeat(auto-fit, minmax(230px, 1fr)); gap: 0.6rem;
           align-content: start; }
section { border: 1px solid var(--line); border-radius: 8px; padding: 0.5rem 0.7rem; min-width: 0; }
#side { display: grid; gap: 0.6rem; align-content: start; }
pre { margin: 0.3rem 0; font-size: 0.85rem; overflow-x: auto; }
pre span { display: block; white-space: pre; }
pre .now { background: var(--now); font-weight: bold; }
pre .written::before { content: "+"; color: var(--added); }
.where { color: var(--muted); font-size: 0.85rem; }
.buffer { font-family: ui-monospace, monospace; font-size: 0.85rem; }
ul, ol { margin: 0; padding-left: 1.3rem; }
li { margin: 0.15rem 0; overflow-wrap: anywhere; }
#memory-list, #objects-list { font-family: ui-monospace, monospace; font-size: 0.9rem; list-style: none; padding: 0; }
.changed { background: var(--added-bg); }
#choice-list button, #outcome-list button { text-align: left; width: 100%; padding: 0.3rem 0.5rem; }
#outcome-list .added button { border-color: var(--added); }
#outcome-list .gone button { text-decoration: line-through; color: var(--muted); }
#outcome-list .target button { background: var(--now); border-color: var(--accent); font-weight: bold; }
.keeps { color: #1a7f37; font-size: 0.8rem; }
@media (max-width: 760px) {
  main { grid-template-columns: minmax(0, 1fr); }
  #threads { grid-template-columns: minmax(0, 1fr); }
}
"""

SCRIPT = r"""
"use strict";
const data = JSON.parse(document.getElementById("inspector-data").textContent);
let current = 0, history = [], target = null, message = "";
const $ = (id) => document.getElementById(id);
const el = (tag, attrs = {}, text = "") => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text) node.textContent = text;
  return node;
};

function reachable(state, outcome) { return data.states[state].reach.includes(outcome); }

function route(from, outcome) {
  // a shortest way to an end in `outcome`, through states that can still reach it
  const came = new Map([[from, null]]), queue = [from];
  while (queue.length) {
    const s = queue.shift();
    if (data.states[s].end === outcome) {
      const path = [];
      for (let at = s; came.get(at) !== null; at = came.get(at)[0]) path.unshift(came.get(at)[1]);
      return path;
    }
    data.states[s].choices.forEach((c, i) => {
      if (!came.has(c.to) && reachable(c.to, outcome)) { came.set(c.to, [s, i]); queue.push(c.to); }
    });
  }
  return null;
}

function take(index) {
  const choice = data.states[current].choices[index];
  history.push([current, choice.label]);
  current = choice.to;
  message = "took: " + choice.label;
  render();
}

function nextIndex() {
  if (target !== null) {
    const path = route(current, target);
    return path && path.length ? path[0] : null;
  }
  return data.states[current].choices.length ? 0 : null;
}

function render() {
  const state = data.states[current], before = history.length ? data.states[history[history.length - 1][0]] : null;
  const threads = $("threads");
  threads.textContent = "";
  data.threads.forEach((thread, t) => {
    const view = state.threads[t];
    const box = el("section", {role: "region", "aria-label": thread.name, class: "thread"});
    box.append(el("h2", {}, thread.name));
    box.append(el("div", {class: "where"}, view.where));
    const pre = el("pre");
    const centre = view.line || (view.where === "finished" ? thread.last : thread.first);
    const first = Math.max(thread.first, Math.min(centre - 2, thread.last - 4));
    for (let n = first; n <= Math.min(thread.last, first + 4); n++) {
      const cls = [n === view.line ? "now" : "", data.written.includes(n) ? "written" : ""].join(" ").trim();
      pre.append(el("span", cls ? {class: cls} : {}, String(n).padStart(3) + "  " + (data.source[n - 1] || "")));
    }
    box.append(pre);
    if (view.registers.length) box.append(el("div", {class: "buffer"}, "registers: " + view.registers.join(" ")));
    box.append(el("div", {class: "buffer"}, (data.model === "pso" ? "buffers: " : "buffer: ")
                                             + (view.buffer.length ? view.buffer.join(", ") : "empty")));
    if (view.output.length) box.append(el("div", {class: "buffer"}, "printed: " + view.output.join(" | ")));
    threads.append(box);
  });
  const memory = $("memory-list");
  memory.textContent = "";
  state.memory.forEach((text, i) => {
    memory.append(el("li", before && before.memory[i] !== text ? {class: "changed"} : {}, text));
  });
  $("objects-title").hidden = !state.objects.length;
  const objects = $("objects-list");
  objects.textContent = "";
  state.objects.forEach((text) => objects.append(el("li", {}, text)));
  const choices = $("choice-list");
  choices.textContent = "";
  state.choices.forEach((choice, i) => {
    const item = el("li"), button = el("button", {type: "button"}, choice.label);
    if (target !== null && reachable(choice.to, target)) button.append(el("span", {class: "keeps"}, "  keeps the outcome"));
    button.addEventListener("click", () => take(i));
    item.append(button);
    choices.append(item);
  });
  if (!state.choices.length) choices.append(el("li", {}, "no choice left: the execution has ended"));
  const outcomes = $("outcome-list");
  outcomes.textContent = "";
  data.outcomes.forEach((outcome, i) => {
    const classes = [outcome.added ? "added" : "", reachable(current, i) ? "" : "gone", target === i ? "target" : ""];
    const item = el("li", {class: classes.join(" ").trim()});
    const label = outcome.status + ": " + outcome.text + (outcome.added ? "  (added over " + data.baseline + ")" : "");
    const button = el("button", {type: "button", "aria-pressed": String(target === i)}, label);
    button.addEventListener("click", () => {
      target = target === i ? null : i;
      message = target === null ? "following no outcome" :
        reachable(current, i) ? "following outcome " + (i + 1) : "outcome " + (i + 1) + " can no longer happen from here: Undo or Reset";
      render();
    });
    item.append(button);
    outcomes.append(item);
  });
  const log = $("log-list");
  log.textContent = "";
  history.forEach(([, label]) => log.append(el("li", {}, label)));
  const ended = state.end !== null ? "ended: " + data.outcomes[state.end].text + ". " : "";
  $("status").textContent = ended + message;
  $("step").disabled = nextIndex() === null;
  $("play").disabled = target === null || !reachable(current, target) || state.end === target;
  $("undo").disabled = !history.length;
  $("reset").disabled = !history.length;
}

$("step").addEventListener("click", () => { const i = nextIndex(); if (i !== null) take(i); });
$("play").addEventListener("click", () => {
  const path = route(current, target);
  if (!path) return;
  for (const i of path) take(i);
  message = "played " + path.length + " step(s)";
  render();
});
$("undo").addEventListener("click", () => {
  const [state, label] = history.pop();
  current = state;
  message = "undid: " + label;
  render();
});
$("reset").addEventListener("click", () => { current = 0; history = []; message = "back at the start"; render(); });
document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const choice = Number(event.key);
  if (choice >= 1 && choice <= 9 && choice <= data.states[current].choices.length) take(choice - 1);
  else if (event.key === "s") $("step").click();
  else if (event.key === "p") $("play").click();
  else if (event.key === "u") $("undo").click();
  else if (event.key === "r") $("reset").click();
});
$("mode").textContent = (data.mode === "graph"
  ? "All " + data.states.length + " states are here: every choice can be taken."
  : "The search found " + data.explored + " states; this page holds the shortest witness of each outcome, so the " +
    "choices offered are the steps of a witness and 'reachable' names the outcomes whose witness goes on from here.")
  + (data.complete ? "" : " Partial: a bound cut the search, so more outcomes may exist.")
  + (data.passes.length ? " After the passes " + data.passes.join(", ") + " (lines marked + were written by them)." : "");
render();
"""
