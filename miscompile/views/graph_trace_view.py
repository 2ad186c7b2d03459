"""``miscompile trace --model arm|rc11``: one outcome as its execution graph.

In the terminal: one column per thread with its events in program order (named
``a``, ``b``, ... as herd7's diagrams name them, with the source line), then the
edges that decide the outcome: which write each read read (``rf``), the order of
each location's writes (``co``) and the writes a read came before (``fr``), and a
sequential order of every event when one exists (when none does, the execution
is one no interleaving can produce). As SVG: the same graph drawn, threads side
by side, ``po`` down each column and ``rf``, ``co``, ``fr`` as coloured arrows.
"""

from __future__ import annotations

from html import escape

from rich import box
from rich.console import Console, ConsoleOptions, RenderResult
from rich.table import Table
from rich.text import Text

from ..bounds import cut_message
from ..graphs.trace import GraphTrace
from .explore_view import PARTIAL_STYLE, STATUS_STYLES, output_text, result_text

EDGE_COLOURS = {"rf": "#c0392b", "co": "#2c6fbb", "fr": "#d68910"}


class GraphTraceView:
    def __init__(self, trace: GraphTrace) -> None:
        self.trace = trace

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        t = self.trace
        after = f" after {' + '.join(t.passes)}" if t.passes else ""
        yield Text.assemble(("Execution graph of ", "bold"), (t.path, "bold cyan"), (f" under {t.model}{after}", "bold"))
        outcome = t.outcome
        yield Text.assemble("outcome: ", (outcome.status, STATUS_STYLES[outcome.status]), " ",
                            result_text(outcome), "; printed ", output_text(outcome) or "nothing")
        if t.races:
            yield Text(f"undefined behaviour under rc11: data races on {', '.join(t.races)} (the outcome means "
                       "nothing; the graph shows one consistent execution)", "bold red")
        table = Table(box=box.SIMPLE_HEAD, show_edge=False)
        for name in t.threads:
            table.add_column(name, overflow="fold")
        for row in range(max((len(n) for n in t.nodes), default=0)):
            cells = []
            for thread in t.nodes:
                if row < len(thread):
                    node = thread[row]
                    written = node.line in t.changed_lines
                    cell = Text.assemble((f"{node.name} ", "bold"), (node.label, "bold magenta" if written else ""))
                    if node.line:
                        cell.append(f"  line {node.line}" + (" *" if written else ""), "dim")
                    cells.append(cell)
                else:
                    cells.append(Text())
            table.add_row(*cells)
        yield table
        yield Text("po: down each column", "dim")
        if t.rf:
            yield Text("rf: " + ", ".join(f"{write} → {read} ({loc})" for write, read, loc in t.rf),
                       EDGE_COLOURS["rf"])
        if t.co:
            yield Text("co: " + "; ".join(f"{loc}: {' → '.join(writes)}" for loc, writes in t.co), EDGE_COLOURS["co"])
        if t.fr:
            yield Text("fr: " + ", ".join(f"{read} → {write} ({loc})" for read, write, loc in t.fr),
                       EDGE_COLOURS["fr"])
        if t.sequential is not None:
            yield Text("A sequential order: " + " ".join(t.sequential), "green")
        else:
            yield Text("No sequential order: po, rf, co and fr make a cycle, so no interleaving of the threads "
                       "produces this execution (sc forbids it).", "bold yellow")
        if t.changed_lines:
            yield Text("* an event of a line the passes wrote", "magenta")
        if t.cut is not None:
            yield Text(f"partial: a search this trace chose from {cut_message(t.cut)}; the execution above is "
                       "real.", PARTIAL_STYLE)


def graph_svg(trace: GraphTrace) -> str:
    """The execution graph drawn: one column per thread, an arrow per po, rf, co and fr edge."""
    width, height, top, gap = 190, 46, 70, 26
    where: dict[str, tuple[float, float]] = {}
    for column, thread in enumerate(trace.nodes):
        for row, node in enumerate(thread):
            where[node.name] = (30 + column * (width + 60), top + row * (height + gap))
    rows = max((len(n) for n in trace.nodes), default=0)
    total_w = 30 + len(trace.nodes) * (width + 60)
    total_h = top + rows * (height + gap) + 80
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{total_w}" height="{total_h}" '
             f'font-family="monospace" font-size="13">',
             "<defs>" + "".join(f'<marker id="{kind}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
                                f'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="{colour}"/>'
                                f"</marker>" for kind, colour in {**EDGE_COLOURS, "po": "#555"}.items()) + "</defs>",
             f'<text x="30" y="24" font-weight="bold">{escape(trace.path)} under {escape(trace.model)}</text>']
    for column, name in enumerate(trace.threads):
        parts.append(f'<text x="{30 + column * (width + 60)}" y="52" font-weight="bold">{escape(name)}</text>')

    def arrow(a: str, b: str, kind: str, bend: int) -> None:
        if a not in where or b not in where:
            return
        (x1, y1), (x2, y2) = where[a], where[b]
        start = (x1 + width, y1 + height / 2) if x2 > x1 else (x1, y1 + height / 2)
        end = (x2, y2 + height / 2) if x2 > x1 else (x2 + width, y2 + height / 2)
        if x1 == x2:  # same column: curve out to the side
            start, end = (x1 + width, y1 + height / 2), (x2 + width, y2 + height / 2)
        mid = ((start[0] + end[0]) / 2 + bend, (start[1] + end[1]) / 2 - bend / 2)
        colour = EDGE_COLOURS[kind]
        parts.append(f'<path d="M{start[0]:.0f},{start[1]:.0f} Q{mid[0]:.0f},{mid[1]:.0f} {end[0]:.0f},{end[1]:.0f}" '
                     f'stroke="{colour}" fill="none" stroke-width="1.6" marker-end="url(#{kind})"/>')
        parts.append(f'<text x="{mid[0]:.0f}" y="{mid[1] - 4:.0f}" fill="{colour}">{kind}</text>')

    for thread in trace.nodes:
        for a, b in zip(thread, thread[1:]):
            (x, y1), (_, y2) = where[a.name], where[b.name]
            parts.append(f'<line x1="{x + width / 2:.0f}" y1="{y1 + height:.0f}" x2="{x + width / 2:.0f}" '
                         f'y2="{y2:.0f}" stroke="#555" marker-end="url(#po)"/>')
        for node in thread:
            x, y = where[node.name]
            parts.append(f'<rect x="{x}" y="{y}" width="{width}" height="{height}" rx="8" fill="#f7f7f7" '
                         f'stroke="#333"/>')
            parts.append(f'<text x="{x + 10}" y="{y + 20}"><tspan font-weight="bold">{node.name}</tspan> '
                         f'{escape(node.label)}</text>')
            if node.line:
                parts.append(f'<text x="{x + 10}" y="{y + 37}" fill="#777">line {node.line}</text>')
    for write, read, _ in trace.rf:
        arrow(write, read, "rf", 18)
    for _, writes in trace.co:
        for a, b in zip(writes, writes[1:]):
            arrow(a, b, "co", -18)
    for read, write, _ in trace.fr:
        arrow(read, write, "fr", 30)
    y = total_h - 30
    text = ("sequential order: " + " ".join(trace.sequential)) if trace.sequential is not None \
        else "no sequential order: sc forbids this execution"
    parts.append(f'<text x="30" y="{y}">{escape(text)}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
