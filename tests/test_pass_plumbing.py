"""Plug-in passes, the word runtime behind `widen`, and transformed programs under CPython."""

from __future__ import annotations

import ctypes
import subprocess
import sys
import tomllib
from importlib.metadata import EntryPoint

import pytest
from conftest import EXAMPLES, ROOT, finals, program

from miscompile.errors import SourceError, UsageError
from miscompile.frontend import read_source
from miscompile.words import load_word, store_word
from transforms import registry
from transforms.base import Keeps, Pass, Rewrite
from transforms.pipeline import transform
from transforms.registry import all_passes


class Nothing(Pass):
    """A do-nothing third-party pass, for the plug-in test."""

    NAME = "nothing"
    SUMMARY = "change nothing"
    LEGALITY = "drf-safe"
    PRECONDITIONS = ("none",)
    EXAMPLES = (Rewrite("x = 0\n", "x = 0\n"), Keeps("x = 0\n"))


def test_a_plug_in_pass_is_found_through_its_entry_point(monkeypatch):
    plug_in = EntryPoint("nothing", f"{__name__}:Nothing", registry.ENTRY_POINT_GROUP)
    monkeypatch.setattr(registry, "entry_points",
                        lambda group: [plug_in] if group == registry.ENTRY_POINT_GROUP else [])
    assert registry.pass_names()[-1] == "nothing"
    assert registry.get_pass("nothing") is Nothing
    assert transform("x = 0\n", "p.py", ["nothing"]).after == "x = 0\n"


def test_a_broken_plug_in_is_a_usage_error(monkeypatch):
    plug_in = EntryPoint("broken", "no_such_module_anywhere:Pass", registry.ENTRY_POINT_GROUP)
    monkeypatch.setattr(registry, "entry_points", lambda group: [plug_in])
    with pytest.raises(UsageError, match="cannot be loaded"):
        registry.get_pass("broken")


def test_word_runtime_packs_fields_little_endian():
    class Flags(ctypes.Structure):
        _fields_ = [("b1", ctypes.c_uint8), ("b2", ctypes.c_uint8)]

    flags = Flags()
    flags.b2 = 1
    assert load_word(flags) == 0x0100
    store_word(flags, 0x0302)
    assert (flags.b1, flags.b2) == (2, 3)
    store_word(flags, -1)  # wraps to the word's size, as the explorer does
    assert (flags.b1, flags.b2) == (255, 255)


WIDE = """
import ctypes
import threading
from miscompile.words import load_word, store_word

class Flags(ctypes.Structure):
    _fields_ = [("b1", ctypes.c_uint8), ("b2", ctypes.c_uint8)]

flags = Flags()

def work():
    store_word(flags, 0x0201)
    {extra}

t = threading.Thread(target=work)
t.start()
t.join()
"""


def test_a_struct_accessed_by_word_is_one_location_reported_by_field():
    source = WIDE.format(extra="pass")
    assert [loc.name for loc in program(source).locations] == ["flags"]
    assert finals(source, "sc", "flags.b1", "flags.b2") == {(1, 2)}


def test_field_loads_of_a_word_read_their_byte():
    source = WIDE.format(extra="store_word(flags, flags.b2 + 0x0300)")
    assert finals(source, "sc", "flags.b1", "flags.b2") == {(2, 3)}


def test_a_field_store_to_a_word_struct_is_rejected():
    with pytest.raises(SourceError, match="storing one field of flags, which this program also stores as a whole"):
        program(WIDE.format(extra="flags.b1 = 5"))


def test_byte_field_stores_wrap_like_ctypes():
    source = WIDE.replace("store_word(flags, 0x0201)", "flags.b1 = 300").replace(
        "from miscompile.words import load_word, store_word\n", "").format(extra="pass")
    assert finals(source, "sc", "flags.b1") == {(300 & 0xFF,)}


EXPECTED = tomllib.loads((EXAMPLES / "expected.toml").read_text())
BROKEN = ("NameError", "ImportError", "SyntaxError", "TypeError", "AttributeError", "UnboundLocalError")


@pytest.mark.parametrize("pass_class", all_passes(), ids=lambda p: p.NAME)
def test_transformed_examples_still_run_under_cpython(pass_class, tmp_path):
    """A miscompiled program may fail its own asserts or spin; it must not stop being a program."""
    for name in sorted(EXPECTED):
        path = str(EXAMPLES / name)
        result = transform(read_source(path), path, [pass_class.NAME])
        if not result.changed:
            continue
        target = tmp_path / name.replace("/", "_")
        target.write_text(result.after)
        try:
            done = subprocess.run([sys.executable, str(target)], capture_output=True, text=True, timeout=10,
                                  cwd=ROOT, check=False)
        except subprocess.TimeoutExpired:
            continue  # e.g. a hoisted spin loop: it runs, forever
        assert not any(error in done.stderr for error in BROKEN), f"{name}:\n{done.stderr}"
