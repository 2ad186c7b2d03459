"""Anything outside the dialect is reported as path:line:col with exit status 2, never a traceback."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from miscompile.errors import SourceError
from miscompile.frontend import parse_program

T = "import threading\n"

# (source, line, col, a phrase the message must contain)
CASES = [
    ("x = (\n", 1, 5, "invalid Python syntax"),
    ("import os\n", 1, 1, "import of os is not supported"),
    ("from socket import socket\n", 1, 1, "import from socket is not supported"),
    ("from threading import *\n", 1, 1, "import *"),
    (T + "b = threading.Timer(2, None)\n", 2, 5, "threading.Timer is not supported here (the dialect has Thread, Lock"),
    (T + "b = threading.Barrier(0)\n", 2, 23, "a barrier needs at least one party"),
    (T + "def f():\n    global y\n    y = 1\n", 3, 5, "y is declared global in f but is not shared memory"),
    (T + "def f():\n    print(z)\nt = threading.Thread(target=f)\nt.start()\n", 3, 11, "unknown name z"),
    (T + "def f():\n    try:\n        pass\n    except OSError:\n        pass\n"
         "t = threading.Thread(target=f)\nt.start()\n", 5, 12, "catching OSError is not supported here (except clauses"),
    (T + "x = 0\ndef f():\n    global x\n    x = 1.5\nt = threading.Thread(target=f)\nt.start()\n", 5, 9,
     "a float value is not supported here"),
    (T + "x = 0\ndef f():\n    global x\n    x = x / 2\nt = threading.Thread(target=f)\nt.start()\n", 5, 9,
     "use // for integer division"),
    (T + "def f():\n    f()\nt = threading.Thread(target=f)\nt.start()\n", 3, 5, "recursive call of f"),
    (T + "t = threading.Thread(target=g)\nt.start()\n", 2, 5, "the thread target g is not a module-level function"),
    (T + "def f(a):\n    pass\nt = threading.Thread(target=f)\nt.start()\n", 4, 5,
     "the thread calls f without its argument a"),
    (T + "def f():\n    pass\nt = threading.Thread(f)\n", 4, 5, "positional arguments to Thread"),
    ("from miscompile.atomics import Atomic\na = Atomic(0)\na += 1\n", 3, 1,
     "augmented assignment to atomic a is not supported here (use a.fetch_add(...))"),
    ("from miscompile.atomics import Atomic\na = Atomic(0)\nr = a + 1\n", 3, 5, "read it with a.load()"),
    ("from miscompile.atomics import fence\nfence(\"full\")\n", 2, 7,
     "unknown fence kind 'full' (use one of relaxed, acquire, release, acq_rel, seq_cst, write, read)"),
    ("from miscompile.atomics import fence\nk = \"read\"\nfence(k)\n", 3, 7, "a computed fence kind"),
    ("from miscompile.atomics import Atomic\na = Atomic(0)\na.store(1, order=\"acquire\")\n", 3, 18,
     "memory order 'acquire' is not valid for store()"),
    ("from miscompile.atomics import Atomic\na = Atomic(0)\na.load(order=\"fast\")\n", 3, 14,
     "unknown memory order 'fast'"),
    ("class C:\n    x = 1\n", 2, 5, "this class body is not supported here"),
    ("import ctypes\nclass S(ctypes.Structure):\n    _fields_ = [(\"a\", ctypes.c_int)]\n", 3, 17,
     "this field is not supported here"),
    ("import ctypes\nclass S(ctypes.Structure):\n    _fields_ = [(\"a\", ctypes.c_uint8)]\ns = S()\ns.b = 1\n", 5, 1,
     "s has no field b"),
    ("x = [1, 2]\nx[0:1] = 0\n", 2, 1, "slicing is not supported here"),
    (T + "lock = threading.Lock()\nwith lock as l:\n    pass\n", 3, 6, "this with statement is not supported"),
    ("x = 0\nwhile x:\n    pass\nelse:\n    pass\n", 5, 5, "else on a loop"),
    ("x = 0\nfor i in x, *x:\n    pass\n", 2, 13, "*unpacking is not supported here"),
    ("async def f():\n    pass\n", 1, 1, "async code is not supported"),
    ("x = lambda: 1\n", 1, 5, "lambda is not supported here"),
    ("r = 0\nr = open(\"f\")\n", 2, 5, "open(...) is not supported here"),
    ("from concurrent.futures import as_completed\nr = 0\nr = as_completed(r)\n", 3, 5,
     "calling concurrent.futures.as_completed is not supported here (loop over the futures in the order"),
    ("import time\nr = 0\nr = time.time()\n", 3, 5, "outcomes cannot depend on the clock"),
    (T + "class A:\n    def __init__(self):\n        self.v = 0\n    def m(self):\n        pass\n"
         "a = A()\ndef f():\n    g = a.m\nt = threading.Thread(target=f)\nt.start()\n", 9, 9,
     "the bound method a.m as a value is not supported here (call it, or pass it straight to a thread"),
    (T + "def f(n):\n    pass\nt = threading.Thread(target=f, args=(1 // 0,))\n", 4, 38,
     "computing this thread argument fails: ZeroDivisionError"),
    (T + "def f():\n    pass\nt = threading.Thread(target=f, name=\"a\")\nu = threading.Thread(target=f, name=\"a\")\n",
     5, 5, "two threads are named a"),
    ("def f():\n    return 1\nreturn 2\n", 3, 1, "return outside a function"),
]


@pytest.mark.parametrize("source,line,col,phrase", CASES, ids=[c[3][:40] for c in CASES])
def test_error_names_the_place_and_the_problem(source: str, line: int, col: int, phrase: str):
    with pytest.raises(SourceError) as caught:
        parse_program(source, "prog.py")
    error = caught.value
    assert phrase in error.message
    assert (error.line, error.col) == (line, col), str(error)
    assert str(error).startswith(f"prog.py:{line}:{col}: ")


def run_cli(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "miscompile", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=120)


@pytest.mark.parametrize("content", [b"\x00\x01\x02garbage", b"\xff\xfe\xfa not utf-8", b"def (:\n",
                                     b"import os\nos.system('echo pwned')\n"])
def test_cli_rejects_bad_files_with_status_2_and_one_line(tmp_path, content: bytes):
    path = tmp_path / "bad.py"
    path.write_bytes(content)
    for command in ("explore", "races"):
        done = run_cli(command, str(path))
        assert done.returncode == 2
        assert done.stderr.startswith(f"{path}:"), done.stderr
        assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
        assert "pwned" not in done.stdout


def test_cli_reports_a_missing_file(tmp_path):
    done = run_cli("explore", str(tmp_path / "nope.py"))
    assert done.returncode == 2
    assert done.stderr.startswith(f"{tmp_path / 'nope.py'}:1:1: cannot read the file")


def test_the_program_is_never_run(tmp_path):
    """A program whose top level would create a file when run: exploring it must not create it."""
    marker = tmp_path / "ran"
    path = tmp_path / "p.py"
    path.write_text(textwrap.dedent(f"""
        x = 0
        print(open({str(marker)!r}, "w"))
    """))
    done = run_cli("explore", str(path))
    assert done.returncode == 2 and not marker.exists()


def test_every_problem_of_a_file_is_reported_in_one_run(tmp_path):
    path = tmp_path / "many.py"
    path.write_text(textwrap.dedent("""\
        import threading
        import os

        x = 0


        def worker():
            global x
            with open("f") as f:
                pass
            x = {1, 2}
            y = lambda: 1
            x += 1


        t = threading.Thread(target=worker)
        t.start()
        t.join()
        """))
    done = run_cli("explore", str(path))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    places = [line.split(": ", 1)[0].removeprefix(f"{path}:") for line in done.stderr.strip().splitlines()]
    assert places == ["2:1", "9:10", "11:9", "12:9"]  # the import, the with, the set, the lambda
    assert "unknown name os" not in done.stderr  # a consequence of the import, not a problem of its own


@pytest.mark.parametrize("code", ["x = {i for i in range(2)}", "x = {i: i for i in range(2)}", "raise ValueError(1)",
                                  "x = (i for i in range(2))", "match x:\n    case 1:\n        pass"])
def test_hints_speak_python_not_the_ast(code):
    """No message names an ast class; each says what to write instead."""
    with pytest.raises(SourceError) as caught:
        parse_program("x = 0\ndef f():\n    global x\n" + "".join(f"    {line}\n" for line in code.splitlines())
                      + "f()\n")
    message = caught.value.message
    assert "is not supported here (" in message
    for ast_name in ("SetComp", "DictComp", "Raise", "GeneratorExp", "Match", "Expr", "Call"):
        assert ast_name not in message, message
