"""herd7 litmus tests in and out.

Every X86 test under examples/litmus/herd/ gives herd7's published Observation under tso
(examples/litmus/herd/expected.toml cites where each comes from), and the reasoned one under
sc and pso. Every AArch64 test under examples/litmus/aarch64/ gives herd7's aarch64.cat
verdict under arm (and Never under sc). Every Python litmus program exported as an X86 test
and read back reaches the same final states under tso as the program itself, and the same
holds for AArch64 under arm.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib

import pytest

from miscompile.analysis import run_model
from miscompile.frontend import load_program, parse_program
from miscompile.litmus import export, judge, read_litmus, translate

from conftest import EXAMPLES

HERD = EXAMPLES / "litmus" / "herd"
EXPECTED = tomllib.loads((HERD / "expected.toml").read_text())
TESTS = sorted(HERD.glob("*.litmus"))


def verdict(path, model):
    test = read_litmus(str(path), path.read_text())
    run = run_model(parse_program(translate(test), str(path)), model)
    return judge(test, run.outcomes, run.search.complete)


def test_every_herd_file_has_an_expectation():
    names = {read_litmus(str(p), p.read_text()).name for p in TESTS}
    assert names == set(EXPECTED) and len(TESTS) >= 15


@pytest.mark.parametrize("path", TESTS, ids=lambda p: p.stem)
def test_each_x86_test_gets_herds_observation_under_each_model(path):
    test = read_litmus(str(path), path.read_text())
    for model in ("sc", "tso", "pso"):
        found = verdict(path, model)
        assert found.complete
        assert found.observation == EXPECTED[test.name][model], model


def test_the_herd_report_for_sb_under_tso():
    """SB's four final states of (0:EAX, 1:EAX), one of which satisfies the condition."""
    found = verdict(HERD / "SB.litmus", "tso")
    assert found.states == tuple(((("0:EAX", a), ("1:EAX", b)) for a in (0, 1) for b in (0, 1)))
    assert (found.positive, found.negative, found.validated, found.kind) == (1, 3, True, "Allowed")


def test_the_command_prints_herds_format_and_the_program_runs_under_cpython(tmp_path):
    done = subprocess.run([sys.executable, "-m", "miscompile", "litmus", str(HERD / "MP.litmus")],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "Test MP Allowed" and "No" in lines
    assert "Observation MP Never 0 3" in lines
    printed = subprocess.run([sys.executable, "-m", "miscompile", "litmus", "--print", str(HERD / "MP.litmus")],
                             capture_output=True, text=True)
    program = tmp_path / "mp.py"
    program.write_text(printed.stdout)
    ran = subprocess.run([sys.executable, str(program)], capture_output=True, text=True)
    assert ran.returncode == 0, ran.stderr


EXPORTABLE = sorted((EXAMPLES / "litmus").glob("*.py"))


@pytest.mark.parametrize("path", EXPORTABLE, ids=lambda p: p.stem)
def test_a_program_written_as_an_x86_test_and_read_back_reaches_the_same_final_states_under_tso(path):
    program = load_program(path)
    text = export(program, path.stem)
    test = read_litmus(f"{path.stem}.litmus", text)
    again = run_model(parse_program(translate(test), f"{path.stem}.litmus"), "tso")
    original = run_model(program, "tso")
    names = [loc.name for loc in program.locations]

    def finals(outcomes):
        return {tuple(int(o.values()[n]) for n in names) for o in outcomes if o.status == "ok"}

    assert finals(again.outcomes) == finals(original.outcomes)


@pytest.mark.parametrize("text, line, phrase", [
    ("", 1, "empty litmus file"),
    ("X86 T\n{ x=0; }\n P0 ;\n MOV [x],$1 ;\n", 4, "no final condition"),
    ("X86 T\n{ x=0; }\n P0 ;\n ADD [x],$1 ;\nexists (x=1)\n", 4, "the X86 instruction 'ADD [x],$1' is not supported"),
    ("X86 T\n{ x=0; }\n P0 | P1 ;\n MOV [x],$1 ;\nexists (x=1)\n", 4, "this row has 1 columns; the table has 2"),
    ("PPC T\n{ x=0; }\n P0 ;\n stw r0,0(r1) ;\nexists (x=1)\n", 1, "PPC litmus tests are not read"),
    ("AArch64 T\n{ x=0; }\n P0 ;\n STR W0,[X1] ;\nexists (x=1)\n", 4, "X1 holds no location's address"),
    ("AArch64 T\n{ 0:X1=x; }\n P0 ;\n ISB ;\nexists (x=1)\n", 4, "the AArch64 instruction 'ISB' is not supported"),
    ("AArch64 T\n{ 0:X1=x; }\n P0 ;\n CBNZ W0,L1 ;\nexists (x=1)\n", 4, "the label L1 must come later"),
    ("X86 T\n{ 0:EAX=x; }\n P0 ;\n MOV [x],$1 ;\nexists (x=1)\n", 1, "an X86 test's initial values are integers"),
])
def test_a_litmus_file_miscompile_cannot_read_is_reported_with_its_line(tmp_path, text, line, phrase):
    bad = tmp_path / "bad.litmus"
    bad.write_text(text)
    done = subprocess.run([sys.executable, "-m", "miscompile", "litmus", str(bad)], capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stderr.startswith(f"{bad}:{line}:") and phrase in done.stderr, done.stderr


# --------------------------------------------------------------------------- AArch64

ARM_DIR = EXAMPLES / "litmus" / "aarch64"
ARM_EXPECTED = tomllib.loads((ARM_DIR / "expected.toml").read_text())
ARM_TESTS = sorted(ARM_DIR.glob("*.litmus"))
OBSERVATION = {"Allowed": ("Sometimes",), "Forbidden": ("Never",)}


def test_every_aarch64_file_has_an_expectation_and_there_are_forty():
    assert {p.name for p in ARM_TESTS} == set(ARM_EXPECTED) and len(ARM_TESTS) >= 40


@pytest.mark.parametrize("path", ARM_TESTS, ids=lambda p: p.stem)
def test_each_aarch64_test_gets_herds_verdict_under_arm_and_never_under_sc(path):
    """herd7's aarch64.cat verdicts: MP, SB, LB, WRC, IRIW, ISA2, 2+2W, S and R with DMB SY/LD/ST,
    LDAR/STLR, and address, data and control dependencies."""
    expected = ARM_EXPECTED[path.name]
    for model in ("arm", "sc"):
        found = verdict(path, model)
        assert found.complete
        assert found.observation in OBSERVATION[expected[model]], model


def test_the_litmus_suite_runs_under_all_five_models_in_one_batch():
    """One process, every AArch64 test, sc, tso, pso, arm and rc11: a report per test and model;
    rc11 flags the plain accesses' races as undefined behaviour and skips the tests with
    hardware fences (DMB LD and ST are not C11 fences)."""
    done = subprocess.run([sys.executable, "-m", "miscompile", "litmus", *map(str, ARM_TESTS),
                           "--model", "sc,tso,pso,arm,rc11"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    blocks = done.stdout.split("\n\n")
    assert len(blocks) == 5 * len(ARM_TESTS)
    models = [block.splitlines()[-1] for block in blocks]
    assert models == ["Model sc", "Model tso", "Model pso", "Model arm", "Model rc11"] * len(ARM_TESTS)
    arm = {block.splitlines()[0].split()[1]: block for block in blocks if block.endswith("Model arm")}
    assert "Observation LB Sometimes" in arm["LB"] and "Observation LB+datas Never" in arm["LB+datas"]
    rc11 = [block for block in blocks if block.endswith("Model rc11")]
    skipped = [b for b in rc11 if "Skipped" in b.splitlines()[0]]
    assert skipped and all("hardware fence" in b for b in skipped)
    by_name = {b.splitlines()[0].split()[1]: b for b in rc11}
    assert "Flag undefined-behaviour (data race on x, y)" in by_name["MP"]  # plain accesses race
    # every access of IRIW+poaps is atomic (LDAR makes its locations Atomics): no race, and RC11
    # lets acquire readers disagree on the order of independent writes
    assert "Flag" not in by_name["IRIW+poaps"] and "Observation IRIW+poaps Sometimes" in by_name["IRIW+poaps"]


def test_an_aarch64_test_becomes_a_program_that_runs_under_cpython(tmp_path):
    printed = subprocess.run([sys.executable, "-m", "miscompile", "litmus", "--print",
                              str(ARM_DIR / "MP+dmb.sy+addr.litmus")], capture_output=True, text=True)
    assert printed.returncode == 0, printed.stderr
    assert "    X9 = X0 ^ X0\n    X2 = x[X9]\n" in printed.stdout  # EOR W9,W0,W0; LDR W2,[X10,W9,SXTW]
    program = tmp_path / "mp.py"
    program.write_text(printed.stdout)
    ran = subprocess.run([sys.executable, str(program)], capture_output=True, text=True)
    assert ran.returncode == 0, ran.stderr


ARM_EXPORTABLE = [p for p in EXPORTABLE if "xchg" not in p.stem and "lock_inc" not in p.stem]


@pytest.mark.parametrize("path", ARM_EXPORTABLE, ids=lambda p: p.stem)
def test_a_program_written_as_an_aarch64_test_and_read_back_reaches_the_same_final_states_under_arm(path):
    program = load_program(path)
    text = export(program, path.stem, "AArch64")
    assert text.startswith(f"AArch64 {path.stem}\n")
    test = read_litmus(f"{path.stem}.litmus", text)
    again = run_model(parse_program(translate(test), f"{path.stem}.litmus"), "arm")
    original = run_model(program, "arm")
    assert again.search.complete and original.search.complete
    names = [loc.name for loc in program.locations]

    def finals(outcomes):
        return {tuple(int(o.values()[n]) for n in names) for o in outcomes if o.status == "ok"}

    assert finals(again.outcomes) == finals(original.outcomes)


def test_an_exported_aarch64_test_keeps_an_address_dependency():
    """``x[a - a]`` is written as herd7 writes an address dependency: an offset register."""
    source = ("import threading\nx = [0]\ny = 0\nr = 0\ndef t0():\n    global y\n    x[0] = 1\n    y = 1\n"
              "def t1():\n    global r\n    a = y\n    r = x[a - a]\n"
              "h0 = threading.Thread(target=t0)\nh1 = threading.Thread(target=t1)\n"
              "h0.start()\nh1.start()\nh0.join()\nh1.join()\n")
    text = export(parse_program(source, "dep.py"), "dep", "AArch64")
    assert "SUB W" in text and ",SXTW]" in text
