"""Every pass's own examples, run the same way for all passes (as Fixit runs its rules' cases)."""

from __future__ import annotations

import pytest

from miscompile.frontend import parse_program
from transforms.base import LEGALITIES, Keeps, Rewrite
from transforms.registry import BUILTIN, all_passes, get_pass

PASSES = all_passes()
CASES = [pytest.param(p, i, id=f"{p.NAME}-{i}") for p in PASSES for i in range(len(p.EXAMPLES))]


def test_the_issue_names_are_all_registered():
    assert list(BUILTIN) == ["hoist", "scratch-store", "widen", "speculate", "reorder", "hoist-load", "fuse",
                             "rematerialize", "promote"]
    for name in BUILTIN:
        assert get_pass(name).NAME == name


@pytest.mark.parametrize("pass_class", PASSES, ids=lambda p: p.NAME)
def test_pass_declares_itself(pass_class):
    assert pass_class.LEGALITY in LEGALITIES
    assert pass_class.SUMMARY and "\n" not in pass_class.SUMMARY
    assert pass_class.PRECONDITIONS
    kinds = {type(e) for e in pass_class.EXAMPLES}
    assert kinds == {Rewrite, Keeps}, "each pass shows a rewrite and a case it declines"
    assert any(isinstance(e, Keeps) and e.because for e in pass_class.EXAMPLES)


@pytest.mark.parametrize(("pass_class", "index"), CASES)
def test_pass_example(pass_class, index):
    example = pass_class.EXAMPLES[index]
    if isinstance(example, Rewrite):
        out, _ = pass_class.run(example.before, "example.py", example.options)
        assert out == example.after
        parse_program(out, "example.py")  # still in the dialect
        compile(out, "example.py", "exec")  # still Python
        again, declines = pass_class.run(out, "example.py", example.options)
        assert again == out, "the pass is idempotent"
    else:
        out, declines = pass_class.run(example.source, "example.py", example.options)
        assert out == example.source
        reasons = [d.reason for d in declines]
        if example.because:
            assert any(example.because in r for r in reasons), reasons
        else:
            assert reasons == []


def test_the_readme_table_of_passes_comes_from_the_declarations():
    from conftest import ROOT

    from transforms.registry import passes_markdown

    assert passes_markdown() in (ROOT / "README.md").read_text()


@pytest.mark.parametrize("pass_class", PASSES, ids=lambda p: p.NAME)
def test_every_pass_has_an_example_written_as_programs_usually_are(pass_class):
    """A list of threads or an object's attribute: the idioms everyday programs use."""
    sources = [e.before if isinstance(e, Rewrite) else e.source for e in pass_class.EXAMPLES]
    idiomatic = [s for s in sources if "for t in threads:" in s or "self." in s]
    assert idiomatic, f"{pass_class.NAME} has no example with a thread list or a class attribute"
    for source in idiomatic:
        program = parse_program(source, "example.py")
        assert len(program.threads) >= 3 or any("." in loc.name for loc in program.locations)
