"""SVG and HTML exports: the same renderables, recorded at a fixed width for slides."""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console

EXPORT_WIDTH = 100


def export(renderable: Any, *, svg: str | None = None, html: str | None = None, title: str = "miscompile") -> None:
    """Render once into a recording console and save the requested files."""
    if not svg and not html:
        return
    console = Console(record=True, width=EXPORT_WIDTH, file=io.StringIO(), force_terminal=True,
                      color_system="truecolor")
    console.print(renderable)
    if svg:
        console.save_svg(svg, title=title, clear=False)
    if html:
        console.save_html(html, clear=False)
