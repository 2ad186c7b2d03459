"""The frontend: the only place that turns source text into the IR.

It parses with the standard library's ``ast`` (which never runs the program),
reads the module's declarations, then lowers each thread's code. Anything
outside the dialect raises ``SourceError`` naming ``path:line:col``.
"""

from __future__ import annotations

import ast
import warnings
from pathlib import Path

from ..errors import SourceError, SourceErrors
from ..ir import ObjectInfo, Program, ThreadCode
from .lower import Lowerer
from .module import Module, scan_module

__all__ = ["load_program", "parse_program", "read_source"]


def load_program(path: str | Path) -> Program:
    """Read and compile a program file; every problem is a ``SourceError``."""
    return parse_program(read_source(path), str(path))


def read_source(path: str | Path) -> str:
    """A program file's text; unreadable or non-UTF-8 files are a ``SourceError``."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(str(path), 1, 1, f"cannot read the file: {exc.strerror or exc}") from None
    try:
        source = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(str(path), line, 1, "the file is not UTF-8 text (is it a Python program?)") from None
    return source


def _check_globals(module) -> None:
    """Every ``global`` name must be shared memory, even in functions no thread calls."""
    for func in module.functions.values():
        for node in ast.walk(func):
            if isinstance(node, ast.Global):
                for name in node.names:
                    if module.kind_of(name) is None:
                        raise module.error(node, f"{name} is declared global in {func.name} but is not shared "
                                                 f"memory: give it a literal value at module level before the "
                                                 f"first start() (e.g. {name} = 0)")


def parse_program(source: str, path: str = "<string>") -> Program:
    try:
        with warnings.catch_warnings():  # CPython's SyntaxWarnings are not the dialect's messages
            warnings.simplefilter("ignore")
            tree = ast.parse(source, filename=path)
    except SyntaxError as exc:
        raise SourceError(path, exc.lineno or 1, exc.offset or 1, f"invalid Python syntax: {exc.msg}") from None
    except ValueError as exc:  # e.g. null bytes
        raise SourceError(path, 1, 1, f"cannot parse the file: {exc}") from None
    except (MemoryError, RecursionError):  # CPython's parser gives up on very deep nesting
        line = _most_nested_line(source)
        raise SourceError(path, line, 1, "this line is nested too deeply for Python's parser (split the "
                                         "expression into several statements)") from None
    module = scan_module(tree, path, source)
    try:
        program = _lower(module, path, source)
    except RecursionError:
        module.errors.append(SourceError(path, 1, 1, "the program is nested too deeply to analyse (split deep "
                                                     "expressions into several statements)"))
    except SourceError as error:
        module.errors.append(error)
    except Exception:  # a consequence of an earlier problem, which is what the user needs to see
        if not module.errors:
            raise
    if module.errors:  # (at least the rejected import itself is left after the filtering)
        consequences = {f"unknown name {name}" for name in module.unavailable}  # of a rejected import
        unique = {(e.line, e.col, e.message): e for e in module.errors if e.message not in consequences}
        errors = [unique[key] for key in sorted(unique)]
        raise errors[0] if len(errors) == 1 else SourceErrors(errors)
    return program


def _most_nested_line(source: str) -> int:
    """The line with the most operators and brackets: where a too-deep nesting most likely is."""
    lines = source.splitlines() or [""]
    scores = [sum(line.count(c) for c in "([{-+~*/%&|^<>=notand") for line in lines]
    return scores.index(max(scores)) + 1


def _lower(module: Module, path: str, source: str) -> Program:
    """The IR of every thread; problems in statements are collected in ``module.errors``."""
    _check_globals(module)

    shared = {name for table in (module.scalars, module.atomics, module.arrays, module.instances, module.objects,
                                 module.records, module.lists, module.dicts) for name in table}
    main = Lowerer(module, "main")
    main.lower_main(module.main_body, shared)
    code, unwind = main.finish(main.code[-1].line)
    threads = [ThreadCode("main", None, code, tuple(main.register_names), 1, unwind)]

    seen: dict[str, int] = {}
    workers = [d for d in module.threads if d.function.startswith("<pool ")]
    others = [d for d in module.threads if not d.function.startswith("<pool ")]
    by_decl: dict[int, ThreadCode] = {}
    for decl in others + workers:  # workers last: they run every function the code submits
        if decl.function.startswith("<pool "):
            pool = decl.function[len("<pool "):-1]
            lowerer = Lowerer(module, decl.name or pool, module.threads.index(decl) + 1)
            try:
                lowerer.lower_pool_worker(pool)
            except SourceError as error:
                module.errors.append(error)
                continue
            code, unwind = lowerer.finish(decl.line)
            by_decl[id(decl)] = ThreadCode(decl.name or pool, decl.function, code, tuple(lowerer.register_names),
                                           decl.line, unwind)
            continue
        func = module.function(decl.function)
        where = ast.Constant(None, lineno=decl.line, col_offset=decl.col - 1)
        if func is None:
            raise module.error(where, f"the thread target {decl.function} is not a module-level function")
        seen[decl.function] = seen.get(decl.function, 0) + 1
        cls, _, short = decl.function.rpartition(".")  # a bound method is named by its method, as CPython does
        if cls in module.classes and module.classes[cls].is_thread and short == "run":
            short = cls  # an instance of a thread class: by its class
        default = short if seen[decl.function] == 1 else f"{short}#{seen[decl.function]}"
        lowerer = Lowerer(module, decl.name or default, module.threads.index(decl) + 1)
        try:
            lowerer.lower_thread(func, decl.args, where, dict(decl.kwargs))
        except SourceError as error:  # the thread's own problem (its arguments, its code's size)
            module.errors.append(error)
            continue
        code, unwind = lowerer.finish(func.end_lineno or func.lineno)
        by_decl[id(decl)] = ThreadCode(decl.name or default, decl.function, code, tuple(lowerer.register_names),
                                       decl.line, unwind, decl.daemon)
    threads += [by_decl[id(d)] for d in module.threads if id(d) in by_decl]

    names = [t.name for t in threads]
    for i, name in enumerate(names):
        if name in names[:i]:
            decl = module.threads[i - 1]
            raise SourceError(path, decl.line, decl.col, f"two threads are named {name} (give each a unique name=)")

    return Program(
        path=path,
        source=source,
        locations=tuple(module.locations),
        arrays=tuple(module.arrays.values()),
        objects=tuple(module.objects.values()),
        threads=tuple(threads),
        dicts=tuple(module.dicts.values()),
        instances=tuple(ObjectInfo(name, cls, tuple(attrs.items())) for name, (cls, attrs) in module.records.items()),
    )
