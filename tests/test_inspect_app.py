"""The Textual inspector, driven by its own test pilot: keys in, panel text out."""

from __future__ import annotations

import asyncio
from conftest import EXAMPLES, render

from miscompile.app.inspector import inspect_program
from miscompile.app.subject import study
from miscompile.views.inspect_app import InspectorApp

SIZE = (120, 40)


def app_for(name: str, model: str) -> InspectorApp:
    """The app on an example, named by its path relative to the repository (the title shows it)."""
    source = (EXAMPLES / name).read_text()
    return InspectorApp(inspect_program(study(f"examples/{name}", source), model))


def text_of(app: InspectorApp, selector: str) -> str:
    return render(app.query_one(selector).content, width=200)


def choice_labels(app: InspectorApp) -> list[str]:
    options = app.query_one("#choices")
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


def drive(app: InspectorApp, keys: list[str], check) -> None:
    async def run() -> None:
        async with app.run_test(size=SIZE) as pilot:
            for key in keys:
                await pilot.press(key)
            await pilot.pause()
            check(app)
    asyncio.run(run())


def test_digits_take_choices_and_the_panels_follow():
    def check(app: InspectorApp) -> None:
        # main started both threads, the writer ran data = 42: buffered, not in memory
        assert "data=42" in text_of(app, "#thread-1") and "buffers: data=42" in text_of(app, "#thread-1")
        assert "data=0" in text_of(app, "#memory")
        assert "3. writer runs `data = 42`" in text_of(app, "#log")
        assert any("flush data=42 from writer's buffer to memory" in label for label in choice_labels(app))

    drive(app_for("broken_flag.py", "pso"), ["1", "1", "1"], check)


def test_enter_takes_the_highlighted_choice_and_u_undoes_it():
    def check(app: InspectorApp) -> None:
        assert app.inspector.log() == ["1. main runs `t2.start()`"]
        assert "undid: main runs `t1.start()`" in text_of(app, "#status")

    drive(app_for("broken_flag.py", "pso"), ["enter", "enter", "u"], check)


def test_o_aims_at_an_outcome_and_p_plays_it_to_the_end():
    def check(app: InspectorApp) -> None:
        status = text_of(app, "#status")
        assert "ended: ok" in status and "reader: 0" in status
        assert "data=42" in text_of(app, "#memory") and "ready=True" in text_of(app, "#memory")
        assert "printed: 0" in text_of(app, "#thread-2")

    # outcome 1 (the tool's order) is the one where the reader prints 0
    drive(app_for("broken_flag.py", "pso"), ["o", "enter", "p"], check)


def test_r_resets_and_a_bad_digit_says_why():
    def check(app: InspectorApp) -> None:
        assert app.inspector.log() == []
        assert "there is no choice 9 here" in text_of(app, "#status")

    drive(app_for("broken_flag.py", "pso"), ["1", "1", "r", "9"], check)


def test_the_outcome_table_marks_what_pso_adds():
    def check(app: InspectorApp) -> None:
        table = app.query_one("#outcomes")
        rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
        assert [row[1].strip() for row in rows] == ["!", ""]
        assert "reader: 0" in rows[0][2] and "reader: 42" in rows[1][2]

    drive(app_for("broken_flag.py", "pso"), [], check)


def test_snapshot_of_the_broken_flag_under_pso(snap_compare):
    """The whole screen after ready=True overtook data=42: the reader is about to print 0."""
    app = app_for("broken_flag.py", "pso")
    # t2.start, t1.start, data = 42, ready = True, then flush ready (the second flush choice)
    assert snap_compare(app, press=["1", "1", "1", "1", "3"], terminal_size=SIZE)
