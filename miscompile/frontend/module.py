"""Reading a module's top level: imports, shared memory, synchronisation objects, threads.

Everything the module assigns before its first ``start()`` is a declaration: the
initial memory, the locks and queues, the thread objects. Every other top-level
statement is code of the main thread, which ``lower`` compiles like a function
body. Nothing here runs the program: values are read off literals.
"""

from __future__ import annotations

import ast
import copy
from dataclasses import dataclass, field

from ..errors import SourceError
from ..evaluate import BINARY, MISSING, UNARY, Fault, PyList, checked
from ..ir import Array, Dict, Location, SyncObject
from ..sync import BY_CONSTRUCTOR

KNOWN_MODULES = ("threading", "queue", "ctypes", "time", "dataclasses", "concurrent", "concurrent.futures",
                 "miscompile.atomics", "miscompile.words", "miscompile", "__future__")
MODULES_HINT = ("the dialect knows threading, queue, ctypes, time, dataclasses, concurrent.futures, "
                "miscompile.atomics and miscompile.words")
POOL = "concurrent.futures.ThreadPoolExecutor"
WORD_FUNCTIONS = ("load_word", "store_word")
#: Methods that change a list: a list some code calls one of them on is a growable list.
LIST_METHODS = ("append", "pop", "extend", "insert", "remove", "clear")


@dataclass
class ThreadDecl:
    var: str  # the variable holding the Thread object (``threads[2]`` for a list's third)
    function: str
    args: tuple[object, ...]  # ints, bools, None and strings
    name: str | None
    line: int
    col: int
    kwargs: tuple[tuple[str, object], ...] = ()
    daemon: bool = False


@dataclass(frozen=True)
class ObjectRef:
    """A thread argument or parameter bound to a module-level object (``args=(counter,)``)."""

    name: str


@dataclass
class ClassInfo:
    """A plain class: its methods (``__init__`` included) by name.

    A ``threading.Thread`` subclass is one too: each instance is an object and a thread
    running its ``run`` method; ``thread_call`` is its ``__init__``'s ``super().__init__(...)``.
    """

    name: str
    methods: dict[str, ast.FunctionDef]
    is_thread: bool = False


@dataclass
class Module:
    """What the top level of a program declares."""

    path: str
    source: str
    aliases: dict[str, str] = field(default_factory=dict)  # local name -> qualified name
    functions: dict[str, ast.FunctionDef] = field(default_factory=dict)
    structs: dict[str, tuple[str, ...]] = field(default_factory=dict)  # class -> field names
    locations: list[Location] = field(default_factory=list)
    scalars: dict[str, int] = field(default_factory=dict)  # plain variable -> location
    atomics: dict[str, int] = field(default_factory=dict)
    #: Lists the program grows or shrinks (``results = []``, ``results.append(v)``): one location each,
    #: holding the whole list, changed only by atomic operations (as CPython's list methods are).
    lists: dict[str, int] = field(default_factory=dict)
    #: Dicts (``counts = {}``): laid out once every key the program can name is known.
    dicts: dict[str, Dict] = field(default_factory=dict)
    #: ThreadPoolExecutors: name -> number of workers; those made at module level (not in a
    #: ``with``) are started when main begins and shut down when it ends.
    pools: dict[str, int] = field(default_factory=dict)
    sites_made: dict[str, int] = field(default_factory=dict)  # "Config@12" -> objects laid out for it
    module_pools: list[str] = field(default_factory=list)
    #: Per pool, the functions its tasks run, in the order the code submits them: (function, arity).
    pool_sites: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    dict_literals: dict[str, tuple[list[tuple[object, object]], ast.stmt]] = field(default_factory=dict)
    grown: set[str] = field(default_factory=set)  # names some code calls a list-changing method on
    list_lines: dict[str, ast.stmt] = field(default_factory=dict)  # where each `name = []` is
    arrays: dict[str, Array] = field(default_factory=dict)
    instances: dict[str, dict[str, int]] = field(default_factory=dict)  # struct var -> field -> loc
    struct_classes: dict[str, str] = field(default_factory=dict)  # struct var -> its Structure class
    #: Struct instances the code reads or writes as a whole word (``load_word(flags)``): one
    #: location each, and ``instances`` maps every field to it.
    words: dict[str, int] = field(default_factory=dict)
    classes: dict[str, ClassInfo] = field(default_factory=dict)  # plain classes
    #: Instances of plain classes made at module level: name -> (class, attribute -> location).
    records: dict[str, tuple[str, dict[str, int]]] = field(default_factory=dict)
    word_accessed: set[str] = field(default_factory=set)
    objects: dict[str, SyncObject] = field(default_factory=dict)  # locks, events, queues, ... by name
    threads: list[ThreadDecl] = field(default_factory=list)
    #: Lists of threads (``threads = [Thread(...) for i in range(4)]``): name -> the threads' variables.
    thread_lists: dict[str, list[str]] = field(default_factory=dict)
    main_body: list[ast.stmt] = field(default_factory=list)
    #: Problems found so far: scanning and lowering go on past a bad statement to report them all.
    errors: list[SourceError] = field(default_factory=list)
    unavailable: set[str] = field(default_factory=set)  # names a rejected import would have bound

    # -------------------------------------------------------------- errors and names

    def error(self, node: ast.AST, message: str) -> SourceError:
        return SourceError(self.path, getattr(node, "lineno", 1), getattr(node, "col_offset", 0) + 1, message)

    def qualname(self, node: ast.expr) -> str | None:
        """``threading.Lock`` -> ``"threading.Lock"``, following the module's imports."""
        if isinstance(node, ast.Name):
            return self.aliases.get(node.id)
        if isinstance(node, ast.Attribute):
            base = self.qualname(node.value)
            if base is not None and base in KNOWN_MODULES:
                return f"{base}.{node.attr}"
        return None

    def thread_index(self, var: str) -> int | None:
        for i, decl in enumerate(self.threads):
            if decl.var == var:
                return i + 1  # thread 0 is main
        return None

    def lookup(self, name: str) -> tuple[str, object] | None:
        """What a module-level name holds, as (kind, value): ("scalar", location), ("lock", index), ...
        (a synchronisation object's kind is its ``miscompile.sync`` kind, its value its index)."""
        if name in self.objects:
            return self.objects[name].kind, list(self.objects).index(name)
        if name in self.records:
            return "object", name
        for kind, table in (("scalar", self.scalars), ("atomic", self.atomics), ("list", self.lists),
                            ("dict", self.dicts),
                            ("array", self.arrays),
                            ("struct", self.instances), ("function", self.functions)):
            if name in table:
                return kind, table[name]  # type: ignore[index]
        thread = self.thread_index(name)
        return ("thread", thread) if thread is not None else None

    def function(self, name: str) -> ast.FunctionDef | None:
        """A module-level function, or a method as ``Class.method``."""
        cls, dot, method = name.partition(".")
        if dot:
            return self.classes[cls].methods.get(method) if cls in self.classes else None
        return self.functions.get(name)

    def kind_of(self, name: str) -> str | None:
        found = self.lookup(name)
        return found[0] if found else None

    # -------------------------------------------------------------- declarations

    def add_location(self, name: str, initial: int | bool, node: ast.AST, *, atomic: bool = False,
                     fields: tuple[str, ...] = ()) -> int:
        index = len(self.locations)
        self.locations.append(Location(index, name, initial, atomic, getattr(node, "lineno", 0), fields))
        return index


NOT_LITERAL = object()
#: Python's operators by their ast class, as the IR names them.
BINOPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.FloorDiv: "//", ast.Mod: "%", ast.Pow: "**",
          ast.LShift: "<<", ast.RShift: ">>", ast.BitAnd: "&", ast.BitOr: "|", ast.BitXor: "^"}
CMPOPS = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Is: "is",
          ast.IsNot: "is not", ast.In: "in", ast.NotIn: "not in"}
UNOPS = {ast.USub: "-", ast.UAdd: "+", ast.Invert: "~", ast.Not: "not"}


def default_value(node: ast.expr) -> object:
    """A parameter default the dialect takes: an int, bool, None or string literal (else NOT_LITERAL)."""
    if isinstance(node, ast.Constant) and (node.value is None or type(node.value) in (int, bool, str)):
        return node.value
    value = literal_int(node)
    return NOT_LITERAL if value is None else value


def literal_int(node: ast.expr) -> int | bool | None:
    """The value of an int/bool literal (``-1`` included), else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, bool)):
        return node.value
    if (isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd))
            and isinstance(node.operand, ast.Constant) and type(node.operand.value) is int):
        return -node.operand.value if isinstance(node.op, ast.USub) else node.operand.value
    return None


def _contains_start(stmt: ast.stmt) -> bool:
    return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "start"
               for n in ast.walk(stmt))


def _is_main_guard(stmt: ast.stmt) -> bool:
    test = getattr(stmt, "test", None)
    return (isinstance(stmt, ast.If) and isinstance(test, ast.Compare)
            and isinstance(test.left, ast.Name) and test.left.id == "__name__"
            and len(test.comparators) == 1 and isinstance(test.comparators[0], ast.Constant)
            and test.comparators[0].value == "__main__")


def _flatten(body: list[ast.stmt], module: Module, functions: dict[str, ast.FunctionDef] | None = None,
             thread_classes: set[str] | None = None) -> list[ast.stmt]:
    """Top-level statements, with ``if __name__ == "__main__":`` opened up and a ``main()`` that
    starts threads run in place (its code is the main thread's, as CPython runs it)."""
    if functions is None:
        functions = {s.name: s for s in body if isinstance(s, ast.FunctionDef)}
    if thread_classes is None:
        thread_classes = _thread_classes(body)
    out: list[ast.stmt] = []
    for stmt in body:
        if _is_main_guard(stmt):
            assert isinstance(stmt, ast.If)
            if stmt.orelse:
                raise module.error(stmt.orelse[0], "an else branch of the __main__ guard is not supported here "
                                                   "(put all main code inside the guard)")
            out.extend(_flatten(stmt.body, module, functions, thread_classes))
        elif (entry := _main_function(stmt, functions)) is not None:
            out.extend(_flatten([s for s in entry.body if not isinstance(s, ast.Global)], module, functions,
                                thread_classes))
        elif isinstance(stmt, ast.For) and _creates_threads(stmt, thread_classes):
            out.extend(_unroll(stmt, module))
        else:
            out.append(stmt)
    return out


def _creates_threads(loop: ast.For, thread_classes: set[str]) -> bool:
    return any(isinstance(n, ast.Call) and (isinstance(n.func, ast.Attribute) and n.func.attr == "Thread"
                                            or isinstance(n.func, ast.Name) and n.func.id in ("Thread", *thread_classes))
               for n in ast.walk(loop))


def _thread_classes(body: list[ast.stmt]) -> set[str]:
    """The names of the module's ``threading.Thread`` subclasses (known before the scan by their base)."""
    return {s.name for s in body if isinstance(s, ast.ClassDef) and len(s.bases) == 1
            and (isinstance(s.bases[0], ast.Attribute) and s.bases[0].attr == "Thread"
                 or isinstance(s.bases[0], ast.Name) and s.bases[0].id == "Thread")}


def _unroll(loop: ast.For, module: Module) -> list[ast.stmt]:
    """``for i in range(4): t = Thread(..., args=(i,)); threads.append(t); t.start()`` at module
    level: one copy of the body per value, the loop variable replaced by the value and each
    thread variable made unique to its copy (the threads exist before the program runs)."""
    if not isinstance(loop.target, ast.Name) or loop.orelse:
        raise module.error(loop, "this loop creating threads is not supported here (use for i in range(N):)")
    values = iteration_values(module, loop.iter)
    threads = {t.id for s in loop.body for t in getattr(s, "targets", [])
               if isinstance(t, ast.Name) and isinstance(s.value, ast.Call)}  # type: ignore[attr-defined]
    out: list[ast.stmt] = []
    for k, value in enumerate(values):
        for stmt in loop.body:
            out.append(Substitute(loop.target.id, value, {t: f"{t}·{k}" for t in threads}).visit(copy.deepcopy(stmt)))
    return out


class Substitute(ast.NodeTransformer):
    """Replace a loop variable by its value (or several names by theirs) and rename variables."""

    def __init__(self, variable: str, value: object, renames: dict[str, str],
                 values: dict[str, object] | None = None) -> None:
        self.values = {variable: value, **(values or {})}
        self.renames = renames

    def visit_Name(self, node: ast.Name) -> ast.expr:
        if node.id in self.values and isinstance(node.ctx, ast.Load):
            return ast.copy_location(ast.Constant(self.values[node.id]), node)
        if node.id in self.renames:
            node.id = self.renames[node.id]
        return node


def _main_function(stmt: ast.stmt, functions: dict[str, ast.FunctionDef]) -> ast.FunctionDef | None:
    """``main()`` as a statement, where ``main`` is a module-level function that starts threads."""
    if not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call) and isinstance(stmt.value.func, ast.Name)
            and not stmt.value.args and not stmt.value.keywords):
        return None
    func = functions.get(stmt.value.func.id)
    return func if func is not None and any(_contains_start(s) for s in func.body) else None


def scan_module(tree: ast.Module, path: str, source: str) -> Module:
    module = Module(path, source)
    module.word_accessed = _word_accessed(tree)
    module.grown = {n.func.value.id for n in ast.walk(tree) if isinstance(n, ast.Call)
                    and isinstance(n.func, ast.Attribute) and n.func.attr in LIST_METHODS
                    and isinstance(n.func.value, ast.Name)}
    statements = _flatten(tree.body, module)
    first_start = next((i for i, s in enumerate(statements)
                        if _contains_start(s) and not isinstance(s, (ast.FunctionDef, ast.ClassDef))), len(statements))
    for i, stmt in enumerate(statements):
        if i == 0 and isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
            continue  # module docstring
        try:
            _scan_statement(module, stmt, before_start=i < first_start)
        except SourceError as error:
            module.errors.append(error)
            for target in getattr(stmt, "targets", [getattr(stmt, "target", None)]):
                if isinstance(target, ast.Name):
                    module.unavailable.add(target.id)  # its later uses are this error's consequences
    for name, (pairs, stmt) in module.dict_literals.items():
        try:
            _lay_out_dict(module, tree, name, pairs, stmt)
        except SourceError as error:
            module.errors.append(error)
    for name, threads in list(module.thread_lists.items()):
        if not threads:  # `results = []` that no thread was appended to: a list of values
            del module.thread_lists[name]
            module.lists[name] = module.add_location(name, PyList(), module.list_lines.pop(name, None), atomic=True)
    return module


#: The most keys a dict is laid out with (each is a memory location).
MAX_DICT_KEYS = 256


def _lay_out_dict(module: Module, tree: ast.Module, name: str, pairs: list[tuple[object, object]],
                  stmt: ast.stmt) -> None:
    """Give dict ``name`` a location per key the program can name: its literal keys, the literal
    keys the code uses with it, and, when some key is computed, every value the program could
    compute it from (its string constants, small ints and ranges, the threads' arguments)."""
    keys: dict[object, None] = {k: None for k, _ in pairs}
    computed = False
    for node in ast.walk(tree):
        key: ast.expr | None = None
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == name:
            key = node.slice
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args \
                and isinstance(node.func.value, ast.Name) and node.func.value.id == name:
            key = node.args[0]
        elif isinstance(node, ast.Compare) and len(node.ops) == 1 and isinstance(node.ops[0], (ast.In, ast.NotIn)) \
                and isinstance(node.comparators[0], ast.Name) and node.comparators[0].id == name:
            key = node.left
        if key is None:
            continue
        value = default_value(key)
        if value is NOT_LITERAL:
            computed = True
        else:
            keys.setdefault(value, None)
    if computed:
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and (type(node.value) is str and len(node.value) <= 40
                                                   or type(node.value) is int and -64 <= node.value <= 64):
                keys.setdefault(node.value, None)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "range":
                try:
                    for value in iteration_values(module, node):
                        keys.setdefault(value, None)
                except SourceError:
                    pass
        for decl in module.threads:
            for value in (*decl.args, *(v for _, v in decl.kwargs)):
                if type(value) in (int, str, bool) or value is None:
                    keys.setdefault(value, None)
    if len(keys) > MAX_DICT_KEYS:
        raise module.error(stmt, f"{name} could hold {len(keys)} different keys, more than the {MAX_DICT_KEYS} "
                                 "this explorer lays out (use fewer, literal keys)")
    initial = dict(pairs)
    order = module.add_location(name, tuple(initial), stmt, atomic=True)
    base = len(module.locations)
    for key in keys:
        module.add_location(f"{name}[{key!r}]", initial.get(key, MISSING), stmt)
    module.dicts[name] = Dict(name, tuple(keys), base, order)


def _word_accessed(tree: ast.Module) -> set[str]:
    """The structs some call of ``load_word``/``store_word`` names: they become one word location.

    This has to be known before the declarations are read, so it goes by the functions'
    names; the lowering checks later that the calls really are ``miscompile.words``'.
    """
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Name):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
            if name in WORD_FUNCTIONS:
                found.add(node.args[0].id)
    return found


def _scan_statement(module: Module, stmt: ast.stmt, *, before_start: bool) -> None:
    if isinstance(stmt, ast.Import):
        for alias in stmt.names:
            if alias.name not in KNOWN_MODULES:
                module.unavailable.add(alias.asname or alias.name.split(".")[0])
                raise module.error(stmt, f"import of {alias.name} is not supported here ({MODULES_HINT})")
            local = alias.asname or alias.name.split(".")[0]
            module.aliases[local] = alias.name if alias.asname else local
        return
    if isinstance(stmt, ast.ImportFrom):
        source = stmt.module or ""
        if source not in KNOWN_MODULES or stmt.level:
            module.unavailable.update(alias.asname or alias.name for alias in stmt.names)
            raise module.error(stmt, f"import from {source or '.'} is not supported here ({MODULES_HINT})")
        for alias in stmt.names:
            if alias.name == "*":
                raise module.error(stmt, "import * is not supported here (import the names you use)")
            module.aliases[alias.asname or alias.name] = f"{source}.{alias.name}"
        return
    if isinstance(stmt, ast.FunctionDef):
        check_function(module, stmt)
        module.functions[stmt.name] = stmt
        return
    if isinstance(stmt, ast.ClassDef):
        if len(stmt.bases) == 1 and module.qualname(stmt.bases[0]) == "threading.Thread":
            module.classes[stmt.name] = _plain_class(module, stmt, is_thread=True)
        elif stmt.bases and not (len(stmt.bases) == 1 and isinstance(stmt.bases[0], ast.Name)
                                 and stmt.bases[0].id == "object"):
            module.structs[stmt.name] = _struct_fields(module, stmt)
        else:
            module.classes[stmt.name] = _plain_class(module, stmt)
        return
    if isinstance(stmt, (ast.Assign, ast.AnnAssign)) and _scan_declaration(module, stmt, before_start):
        return
    if (started := _unnamed_thread(module, stmt)) is not None:
        module.main_body.append(started)
        return
    if _appended_thread(module, stmt):
        return
    if isinstance(stmt, ast.With):
        for item in stmt.items:  # with ThreadPoolExecutor(max_workers=2) as pool:
            if _constructor(module, item.context_expr) == POOL:
                if not isinstance(item.optional_vars, ast.Name):
                    raise module.error(item.context_expr, "name the pool: with ThreadPoolExecutor(max_workers=2) "
                                                          "as pool:")
                _declare_pool(module, item.optional_vars.id, item.context_expr)  # type: ignore[arg-type]
    if isinstance(stmt, (ast.AsyncFunctionDef, ast.AsyncFor, ast.AsyncWith)):
        raise module.error(stmt, "async code is not supported here (use threading.Thread)")
    module.main_body.append(stmt)


def check_function(module: Module, func: ast.FunctionDef) -> None:
    if func.decorator_list:
        raise module.error(func.decorator_list[0], "decorators are not supported here (use plain functions)")
    a = func.args
    if a.vararg or a.kwarg or a.kwonlyargs or a.posonlyargs:
        raise module.error(func, f"the parameters of {func.name} are not supported here "
                                 "(use plain positional parameters)")
    for default in a.defaults:
        if default_value(default) is NOT_LITERAL:
            raise module.error(default, "a default value is not supported here (use an int, bool, None or "
                                        "string literal)")


def _plain_class(module: Module, cls: ast.ClassDef, is_thread: bool = False) -> ClassInfo:
    """A class holding shared state: ``__init__`` sets ``self.attr = ...``; other methods are helpers.
    A thread class's ``run`` is what its threads run."""
    is_dataclass = len(cls.decorator_list) == 1 and module.qualname(cls.decorator_list[0]) == "dataclasses.dataclass"
    if (cls.decorator_list and not is_dataclass) or cls.keywords:
        raise module.error(cls, f"class {cls.name} is not supported here (write a plain class whose __init__ "
                                "sets self.attr = value, or a @dataclass with annotated fields)")
    methods: dict[str, ast.FunctionDef] = {}
    fields: list[ast.AnnAssign] = []
    for stmt in cls.body:
        if is_dataclass and isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            if stmt.value is not None and default_value(stmt.value) is NOT_LITERAL:
                raise module.error(stmt.value, "a field default is not supported here (use an int, bool, None or "
                                               "string literal)")
            if stmt.value is None and any(f.value is not None for f in fields):
                raise module.error(stmt, f"non-default field {stmt.target.id} follows a field with a default")
            fields.append(stmt)
        elif isinstance(stmt, ast.FunctionDef):
            check_function(module, stmt)
            if not stmt.args.args:
                raise module.error(stmt, f"method {stmt.name} needs self as its first parameter")
            methods[stmt.name] = stmt
        elif not (isinstance(stmt, (ast.Pass, ast.Expr)) and (isinstance(stmt, ast.Pass)
                                                                or isinstance(stmt.value, ast.Constant))):
            raise module.error(stmt, f"this class body is not supported here (give {cls.name} methods, and set "
                                     "attributes in __init__ with self.attr = value)")
    if is_dataclass:
        if "__init__" in methods:
            raise module.error(methods["__init__"], "a @dataclass with its own __init__ is not supported here "
                                                    "(drop the decorator, or the __init__)")
        methods["__init__"] = _dataclass_init(cls, fields)
    if is_thread and "run" not in methods:
        raise module.error(cls, f"thread class {cls.name} has no run() method (define run(self) with the "
                                "thread's code)")
    return ClassInfo(cls.name, methods, is_thread)


def _declare_pool(module: Module, name: str, call: ast.Call) -> None:
    """A ThreadPoolExecutor: its synchronisation object and its workers, threads of the program
    named as CPython names them (``ThreadPoolExecutor-0_0``)."""
    if name in module.pools:
        raise module.error(call, f"pool {name} is made twice (use one pool per name)")
    sync = BY_CONSTRUCTOR[POOL]
    workers = sync.create(call, module.error)
    number = len(module.pools)
    module.pools[name] = workers
    module.pool_sites[name] = []
    module.objects[name] = SyncObject(name, sync.name, sync.initial())
    for k in range(workers):
        module.threads.append(ThreadDecl(f"{name}·worker{k}", f"<pool {name}>", (), f"ThreadPoolExecutor-{number}_{k}",
                                         call.lineno, call.col_offset + 1))


def _dataclass_init(cls: ast.ClassDef, fields: list[ast.AnnAssign]) -> ast.FunctionDef:
    """The ``__init__`` a ``@dataclass`` gets: one parameter per field, in order, with its default."""
    where = {"lineno": cls.lineno, "col_offset": cls.col_offset}
    names = [f.target.id for f in fields]  # type: ignore[attr-defined]
    body: list[ast.stmt] = [ast.Assign([ast.Attribute(ast.Name("self", ast.Load(), **where), n, ast.Store(), **where)],
                                       ast.Name(n, ast.Load(), **where), **where) for n in names] or [ast.Pass(**where)]
    args = ast.arguments(posonlyargs=[], args=[ast.arg("self"), *(ast.arg(n) for n in names)], kwonlyargs=[],
                         kw_defaults=[], defaults=[f.value for f in fields if f.value is not None])
    return ast.FunctionDef("__init__", args, body, [], None, **where, end_lineno=cls.lineno)


def _instance(module: Module, name: str, call: ast.Call, stmt: ast.stmt) -> dict[str, int]:
    """``counter = Counter(5)`` before the threads start: run ``__init__``'s ``self.attr = value``
    statements on literal arguments; each attribute becomes the location ``counter.attr``."""
    info = module.classes[call.func.id]  # type: ignore[attr-defined]
    init = info.methods.get("__init__")
    attrs: dict[str, int] = {}
    if init is None:
        if call.args or call.keywords:
            raise module.error(call, f"{info.name}() takes no arguments")
        return attrs
    params = [a.arg for a in init.args.args]
    defaults = [default_value(d) for d in init.args.defaults]
    bound: dict[str, object] = dict(zip(params[len(params) - len(defaults):], defaults))
    if len(call.args) > len(params) - 1:
        raise module.error(call, f"{info.name}() takes {len(params) - 1} argument(s)")
    bound.update(zip(params[1:], (_argument(module, a, {}) for a in call.args)))
    for kw in call.keywords:
        if kw.arg not in params[1:]:
            raise module.error(kw, f"{info.name}() has no parameter {kw.arg}")
        bound[kw.arg] = _argument(module, kw.value, {})
    missing = [p for p in params[1:] if p not in bound]
    if missing:
        raise module.error(call, f"{info.name}() is missing the argument {missing[0]}")
    self_name = params[0]
    thread_options: dict[str, object] = {}
    for line in init.body:
        if info.is_thread and (options := _super_init(module, line, self_name, bound)) is not None:
            thread_options.update(options)
            continue
        target = line.targets[0] if isinstance(line, ast.Assign) and len(line.targets) == 1 else \
            line.target if isinstance(line, ast.AnnAssign) else None
        if isinstance(line, ast.Expr) and isinstance(line.value, ast.Constant):
            continue  # a docstring
        if not (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name)
                and target.value.id == self_name and line.value is not None):  # type: ignore[union-attr]
            raise module.error(line, f"__init__ of {info.name} may only set attributes here "
                                     f"({self_name}.attr = value, with a literal or a parameter)")
        if (sync := BY_CONSTRUCTOR.get(_constructor(module, line.value) or "")) is not None:
            qualified = f"{name}.{target.attr}"  # self._lock = threading.Lock(): the object's own lock
            if qualified in module.objects or target.attr in attrs:
                raise module.error(line, f"attribute {target.attr} is set twice; a {sync.name} one only once")
            known = {n: module.locations[loc].initial for n, loc in module.scalars.items()}
            known.update((k, v) for k, v in bound.items() if not isinstance(v, ObjectRef))
            call = Substitute("", None, {}, known).visit(copy.deepcopy(line.value))  # Semaphore(limit)
            module.objects[qualified] = SyncObject(qualified, sync.name, sync.create(call, module.error))
            continue
        atomic = _atomic_initial(module, line.value, bound)  # type: ignore[arg-type]
        if atomic is not NOT_LITERAL:  # self.value = Atomic(start)
            if target.attr in attrs:
                raise module.error(line, f"attribute {target.attr} is set twice; an atomic one only once")
            attrs[target.attr] = module.add_location(f"{name}.{target.attr}", atomic, stmt, atomic=True)
            continue
        value = _argument(module, line.value, bound)  # type: ignore[union-attr]
        if isinstance(value, ObjectRef):
            raise module.error(line, "an attribute holding another object is not supported here")
        attr = target.attr
        if attr in attrs:
            loc = attrs[attr]
            module.locations[loc] = Location(loc, f"{name}.{attr}", value, False, stmt.lineno)
        else:
            attrs[attr] = module.add_location(f"{name}.{attr}", value, stmt)  # type: ignore[arg-type]
    if info.is_thread:
        if module.thread_index(name) is not None:
            raise module.error(call, f"thread variable {name} is assigned twice (use one variable per thread)")
        module.threads.append(ThreadDecl(name, f"{info.name}.run", (ObjectRef(name),), thread_options.get("name"),
                                         call.lineno, call.col_offset + 1, (), bool(thread_options.get("daemon"))))
    return attrs


def _super_init(module: Module, line: ast.stmt, self_name: str, bound: dict[str, object]) -> dict | None:
    """``super().__init__(name=..., daemon=...)`` (or ``threading.Thread.__init__(self, ...)``) in a
    thread class's ``__init__``: the thread's options; None for any other statement."""
    call = line.value if isinstance(line, ast.Expr) else None
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "__init__"):
        return None
    base = call.func.value
    args = list(call.args)
    if isinstance(base, ast.Call) and isinstance(base.func, ast.Name) and base.func.id == "super" and not base.args:
        pass
    elif module.qualname(base) == "threading.Thread" and args and isinstance(args[0], ast.Name) \
            and args[0].id == self_name:
        args = args[1:]
    else:
        return None
    if args:
        raise module.error(call, "positional arguments to Thread.__init__ are not supported here (pass name= "
                                 "or daemon=)")
    options: dict[str, object] = {}
    for kw in call.keywords:
        if kw.arg not in ("name", "daemon"):
            raise module.error(kw.value if kw.arg else call, f"the argument {kw.arg or '**'} of Thread.__init__ "
                                                             "is not supported here (a thread class passes name= "
                                                             "or daemon=, and its code is run())")
        value = _argument(module, kw.value, bound)
        if kw.arg == "name" and not isinstance(value, str) or kw.arg == "daemon" and not isinstance(value, bool):
            raise module.error(kw.value, f"{kw.arg}= takes a {'string' if kw.arg == 'name' else 'bool'} here")
        options[kw.arg] = value
    return options


def _struct_fields(module: Module, cls: ast.ClassDef) -> tuple[str, ...]:
    hint = "declare byte fields as class Flags(ctypes.Structure): _fields_ = [(\"b1\", ctypes.c_uint8), ...]"
    if len(cls.bases) != 1 or module.qualname(cls.bases[0]) != "ctypes.Structure" or cls.keywords:
        raise module.error(cls, f"class {cls.name} is not supported here ({hint})")
    fields: tuple[str, ...] | None = None
    for stmt in cls.body:
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
            continue
        if (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)
                and stmt.targets[0].id == "_fields_" and isinstance(stmt.value, (ast.List, ast.Tuple))):
            names: list[str] = []
            for item in stmt.value.elts:
                if not (isinstance(item, ast.Tuple) and len(item.elts) == 2 and isinstance(item.elts[0], ast.Constant)
                        and isinstance(item.elts[0].value, str) and module.qualname(item.elts[1]) == "ctypes.c_uint8"):
                    raise module.error(item, f"this field is not supported here ({hint})")
                names.append(item.elts[0].value)
            fields = tuple(names)
            continue
        raise module.error(stmt, f"this statement in class {cls.name} is not supported here ({hint})")
    if not fields:
        raise module.error(cls, f"class {cls.name} has no _fields_ ({hint})")
    if len(fields) > 8:
        raise module.error(cls, f"class {cls.name} has {len(fields)} byte fields; at most 8 fit one word")
    return fields


def _scan_declaration(module: Module, stmt: ast.Assign | ast.AnnAssign, before_start: bool) -> bool:
    """Record a module-level declaration; False when the statement is main-thread code instead."""
    targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
    value = stmt.value
    if value is None:
        return False
    if len(targets) == 1 and isinstance(targets[0], ast.Tuple) and isinstance(value, ast.Tuple) \
            and len(targets[0].elts) == len(value.elts) and before_start \
            and all(isinstance(t, ast.Name) for t in targets[0].elts) \
            and all(literal_int(v) is not None for v in value.elts):
        for target, item in zip(targets[0].elts, value.elts):  # x, y = 0, 0
            _scan_declaration(module, ast.Assign([target], item, lineno=stmt.lineno, col_offset=stmt.col_offset),
                              before_start)
        return True
    if len(targets) > 1 and before_start and literal_int(value) is not None \
            and all(isinstance(t, ast.Name) for t in targets):
        for target in targets:  # x = y = 0
            _scan_declaration(module, ast.Assign([target], value, lineno=stmt.lineno, col_offset=stmt.col_offset),
                              before_start)
        return True
    if len(targets) != 1 or not isinstance(targets[0], ast.Name):
        return False
    name = targets[0].id
    kind = _constructor(module, value)
    if kind == "threading.Thread":
        assert isinstance(value, ast.Call)
        _declare_thread(module, name, value)
        return True
    if (threads := _thread_list(module, name, value)) is not None:
        module.thread_lists[name] = threads
        return True
    if isinstance(value, ast.List) and not value.elts and before_start:
        module.thread_lists[name] = []  # threads = []: filled by threads.append(...) below, or a list of values
        module.list_lines[name] = stmt
        return True
    if isinstance(value, ast.Dict) and before_start:
        if None in value.keys or any(default_value(k) is NOT_LITERAL for k in value.keys) \
                or any(default_value(v) is NOT_LITERAL for v in value.values):
            raise module.error(value, "this dict is not supported here (start it empty or with literal keys and "
                                      "values, e.g. counts = {\"a\": 0})")
        if name in module.dict_literals:
            raise module.error(targets[0], f"dict {name} is declared twice")
        module.dict_literals[name] = ([(default_value(k), default_value(v)) for k, v in zip(value.keys, value.values)],
                                      stmt)
        return True
    if isinstance(value, ast.List) and before_start and name in module.grown \
            and all(default_value(e) is not NOT_LITERAL for e in value.elts):
        module.lists[name] = module.add_location(name, PyList(default_value(e) for e in value.elts), stmt,
                                                 atomic=True)
        return True
    if not before_start:
        if kind is not None and kind.startswith("class:"):
            return False  # an object made while the threads run: main code (see Lowerer.new_object)
        if kind is not None:
            raise module.error(value, f"creating a {kind.split('.')[-1]} after the first start() is not "
                                      "supported here (create it before starting threads)")
        return False  # an ordinary store (or main-thread register) after the threads start
    if module.kind_of(name) not in (None, "scalar", "array", "atomic"):
        raise module.error(targets[0], f"{name} is declared twice")
    if (initial := default_value(value)) is not NOT_LITERAL:  # an int, bool, None or string
        if name in module.scalars:  # a second assignment before start: the last one is the initial value
            loc = module.scalars[name]
            module.locations[loc] = Location(loc, name, initial, False, stmt.lineno)
        else:
            module.scalars[name] = module.add_location(name, initial, stmt)
        return True
    constants = {n: module.locations[loc].initial for n, loc in module.scalars.items()}
    if (atomics := _atomic_list(module, value, constants)) is not None:  # [Atomic(False), Atomic(False)]
        if name in module.arrays:
            raise module.error(targets[0], f"array {name} is declared twice")
        base = len(module.locations)
        for i, item in enumerate(atomics):
            module.add_location(f"{name}[{i}]", item, stmt, atomic=True)
        module.arrays[name] = Array(name, base, len(atomics), atomic=True)
        return True
    if (items := _literal_list(value, constants)) is not None:
        if name in module.arrays:
            raise module.error(targets[0], f"array {name} is declared twice")
        base = len(module.locations)
        for i, item in enumerate(items):
            module.add_location(f"{name}[{i}]", item, stmt)
        module.arrays[name] = Array(name, base, len(items))
        return True
    if kind is None:
        return False  # computed before the threads start: an ordinary step of the main thread
    assert isinstance(value, ast.Call)
    if kind == "miscompile.atomics.Atomic":
        initial = _atomic_initial(module, value)
        if initial is NOT_LITERAL:
            raise module.error(value, "Atomic(...) is not supported here with this argument "
                                      "(give one int, bool, None or string literal, e.g. Atomic(0))")
        module.atomics[name] = module.add_location(name, initial, stmt, atomic=True)
        return True
    if kind == POOL:
        _declare_pool(module, name, value)
        module.module_pools.append(name)
        return True
    if kind in BY_CONSTRUCTOR:
        sync = BY_CONSTRUCTOR[kind]
        constants = {n: module.locations[loc].initial for n, loc in module.scalars.items()}
        call = Substitute("", None, {}, constants).visit(copy.deepcopy(value))  # Barrier(N), N a constant
        module.objects[name] = SyncObject(name, sync.name, sync.create(call, module.error))
        return True
    if kind.startswith("class:"):
        module.records[name] = (kind.removeprefix("class:"), _instance(module, name, value, stmt))
        return True
    if value.args or value.keywords:
        raise module.error(value, f"arguments to {kind.split('.')[-1]}() are not supported here")
    fields = module.structs[kind.removeprefix("struct:")]
    module.struct_classes[name] = kind.removeprefix("struct:")
    if name in module.word_accessed:  # one location for the whole word
        word = module.words[name] = module.add_location(name, 0, stmt, fields=fields)
        module.instances[name] = {f: word for f in fields}
    else:  # one byte location per field
        module.instances[name] = {f: module.add_location(f"{name}.{f}", 0, stmt) for f in fields}
    return True


def _constructor(module: Module, value: ast.expr) -> str | None:
    """Which known constructor ``value`` calls: ``"threading.Lock"``, ``"struct:Flags"``, ..., or None."""
    if not isinstance(value, ast.Call):
        return None
    if isinstance(value.func, ast.Name) and value.func.id in module.structs:
        return f"struct:{value.func.id}"
    if isinstance(value.func, ast.Name) and value.func.id in module.classes:
        return f"class:{value.func.id}"
    qual = module.qualname(value.func)
    if qual in ("threading.Thread", "miscompile.atomics.Atomic") or qual in BY_CONSTRUCTOR:
        return qual
    if qual is not None and qual.startswith(("threading.", "queue.")):
        known = ", ".join(["Thread", *(c.rsplit(".", 1)[1] for c in BY_CONSTRUCTOR)])
        raise module.error(value, f"{qual} is not supported here (the dialect has {known})")
    return None


def _atomic_initial(module: Module, node: ast.expr, names: dict[str, object] | None = None) -> object:
    """The initial value of ``Atomic(v)`` (v a literal, a known name, or nothing: 0), else NOT_LITERAL."""
    if not (isinstance(node, ast.Call) and module.qualname(node.func) == "miscompile.atomics.Atomic"
            and not node.keywords and len(node.args) <= 1):
        return NOT_LITERAL
    if not node.args:
        return 0
    arg = node.args[0]
    if isinstance(arg, ast.Name) and names is not None and arg.id in names:
        return names[arg.id]
    return default_value(arg)


def _atomic_list(module: Module, value: ast.expr, constants: dict[str, object]) -> list[object] | None:
    """``[Atomic(False), Atomic(False)]`` or ``[Atomic(0) for _ in range(N)]`` -> the initial values."""
    if isinstance(value, ast.List) and value.elts:
        items = [_atomic_initial(module, e) for e in value.elts]
        return None if NOT_LITERAL in items else items
    if isinstance(value, ast.ListComp) and len(value.generators) == 1 and not value.generators[0].ifs:
        item = _atomic_initial(module, value.elt)
        if item is NOT_LITERAL:
            return None
        try:
            count = len(iteration_values(module, value.generators[0].iter))
        except SourceError:
            return None
        return [item] * count
    return None


def _literal_list(value: ast.expr, constants: dict[str, object] | None = None) -> list[object] | None:
    """``[0, 0, 1]``, ``[None] * 3`` or ``[0] * SIZE`` (a module-level int) -> the values (ints, bools,
    None, strings); None for anything else."""
    if isinstance(value, ast.List):
        items = [default_value(e) for e in value.elts]
        return None if any(i is NOT_LITERAL for i in items) or not items else items
    if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Mult):
        seq, count = value.left, value.right
        if isinstance(count, ast.List):
            seq, count = count, seq
        base = _literal_list(seq)
        times = literal_int(count)
        if times is None and isinstance(count, ast.Name) and constants is not None:
            times = constants.get(count.id)  # type: ignore[assignment]
        if base is not None and type(times) is int and 0 < times * len(base) <= 64:
            return base * times
    return None


THREAD_HINT = "use threading.Thread(target=f, args=(1,), name=\"T1\")"


def _argument(module: Module, node: ast.expr, names: dict[str, object]) -> object:
    """A thread argument known before the threads start: a literal (int, bool, None, string), a
    comprehension's variable, or a shared variable's initial value."""
    if isinstance(node, ast.Constant) and (node.value is None or type(node.value) in (int, bool, str)):
        return node.value
    if (value := literal_int(node)) is not None:
        return value
    if isinstance(node, ast.Name) and node.id in names:
        return names[node.id]
    if isinstance(node, ast.JoinedStr):  # name=f"worker-{i}": formatted from known values
        text = []
        for part in node.values:
            if isinstance(part, ast.Constant):
                text.append(str(part.value))
            elif isinstance(part, ast.FormattedValue) and part.format_spec is None and part.conversion == -1:
                text.append(str(_argument(module, part.value, names)))
            else:
                raise module.error(part, "this f-string is not supported here as a thread argument (use plain "
                                         "{name} fields, e.g. f\"worker-{i}\")")
        return "".join(text)
    if isinstance(node, ast.Name) and node.id in module.records:
        return ObjectRef(node.id)
    if isinstance(node, ast.Name) and node.id in module.scalars:
        return module.locations[module.scalars[node.id]].initial
    if isinstance(node, (ast.BinOp, ast.UnaryOp, ast.Compare, ast.BoolOp, ast.IfExp)):
        return _fold(module, node, names)  # args=(i * 10,), kwargs={"first": i == 0}
    raise module.error(node, f"this thread argument is not supported here (pass ints, bools, None or strings; "
                             f"{THREAD_HINT})")


def _fold(module: Module, node: ast.expr, names: dict[str, object]) -> object:
    """An operator expression over known thread arguments, computed with CPython's own
    operators (the program's operations, never ``eval``): ``i * 10``, ``i == 0``, ``-i``."""
    known = (int, bool, str, type(None))
    try:
        if isinstance(node, ast.BinOp) and type(node.op) in BINOPS:
            value = checked(BINARY[BINOPS[type(node.op)]])(_argument(module, node.left, names),
                                                        _argument(module, node.right, names))
        elif isinstance(node, ast.UnaryOp):
            value = checked(UNARY[UNOPS[type(node.op)]])(_argument(module, node.operand, names))
        elif isinstance(node, ast.Compare) and all(type(op) in CMPOPS for op in node.ops):
            left, value = _argument(module, node.left, names), True
            for op, right_node in zip(node.ops, node.comparators):
                right = _argument(module, right_node, names)
                value = checked(BINARY[CMPOPS[type(op)]])(left, right)
                if not value:
                    break
                left = right
        elif isinstance(node, ast.BoolOp):
            value = _argument(module, node.values[0], names)
            for operand in node.values[1:]:
                if bool(value) == isinstance(node.op, ast.Or):
                    break
                value = _argument(module, operand, names)
        elif isinstance(node, ast.IfExp):
            chosen = node.body if _argument(module, node.test, names) else node.orelse
            value = _argument(module, chosen, names)
        else:
            value = NOT_LITERAL
    except Fault as fault:
        raise module.error(node, f"computing this thread argument fails: {fault}") from None
    if type(value) not in known or type(value) is str and len(value) > 1000:
        raise module.error(node, f"this thread argument is not supported here (pass ints, bools, None or "
                                 f"strings; {THREAD_HINT})")
    return value


def _declare_thread(module: Module, var: str, call: ast.Call, names: dict[str, object] | None = None) -> None:
    """Record ``var = threading.Thread(...)``; ``names`` binds a comprehension's variable."""
    names = names or {}
    if call.args:
        raise module.error(call, f"positional arguments to Thread are not supported here ({THREAD_HINT})")
    target: str | None = None
    args: tuple[object, ...] = ()
    kwargs: tuple[tuple[str, object], ...] = ()
    name: str | None = None
    daemon = False
    bound: str | None = None
    for kw in call.keywords:
        if kw.arg == "target" and isinstance(kw.value, ast.Name):
            target = kw.value.id
        elif kw.arg == "target" and isinstance(kw.value, ast.Attribute) and isinstance(kw.value.value, ast.Name) \
                and kw.value.value.id in module.records:  # a bound method: target=counter.increment
            bound = kw.value.value.id
            target = f"{module.records[bound][0]}.{kw.value.attr}"
        elif kw.arg == "args" and isinstance(kw.value, (ast.Tuple, ast.List)):
            args = tuple(_argument(module, e, names) for e in kw.value.elts)
        elif kw.arg == "kwargs" and isinstance(kw.value, ast.Dict) and None not in kw.value.keys:
            keys = [k.value if isinstance(k, ast.Constant) and isinstance(k.value, str) else None
                    for k in kw.value.keys]
            if None in keys:
                raise module.error(kw.value, f"kwargs keys must be parameter names as strings ({THREAD_HINT})")
            kwargs = tuple(zip(keys, (_argument(module, v, names) for v in kw.value.values)))  # type: ignore[arg-type]
        elif kw.arg == "name":
            value = _argument(module, kw.value, names)
            if not isinstance(value, str):
                raise module.error(kw.value, f"a thread name is a string ({THREAD_HINT})")
            name = value
        elif kw.arg == "daemon" and isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, bool):
            daemon = kw.value.value
        else:
            raise module.error(kw.value if kw.arg else call, f"Thread argument {kw.arg or '**'} is not supported "
                                                            f"here ({THREAD_HINT})")
    if target is None:
        raise module.error(call, f"a Thread needs target= naming a module-level function ({THREAD_HINT})")
    if module.thread_index(var) is not None:
        raise module.error(call, f"thread variable {var} is assigned twice (use one variable per thread)")
    if bound is not None:
        args = (ObjectRef(bound), *args)
    module.threads.append(ThreadDecl(var, target, args, name, call.lineno, call.col_offset + 1, kwargs, daemon))


def _is_thread_call(module: Module, node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and module.qualname(node.func) == "threading.Thread"


def _declare_thread_item(module: Module, var: str, call: ast.Call) -> None:
    """A list's thread: ``threading.Thread(...)`` or an instance of a thread class."""
    if _is_thread_object(module, call):
        module.records[var] = (call.func.id, _instance(module, var, call, call))  # type: ignore[attr-defined]
    else:
        _declare_thread(module, var, call)


def _is_thread_object(module: Module, node: ast.expr) -> bool:
    """``Worker(...)``, where ``Worker`` subclasses ``threading.Thread``."""
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in module.classes \
        and module.classes[node.func.id].is_thread


def _thread_list(module: Module, name: str, value: ast.expr) -> list[str] | None:
    """``[Thread(...) for i in range(N)]``, ``[Thread(...), Thread(...)]`` or ``[t1, t2]``: the
    threads' variables (``name[0]``, ...), each thread declared; None for anything else."""
    if isinstance(value, ast.ListComp) and _is_thread_object(module, value.elt):
        (gen,) = value.generators if len(value.generators) == 1 else (None,)
        if gen is None or gen.ifs or not isinstance(gen.target, ast.Name):
            raise module.error(value, f"this list of threads is not supported here (use [{value.elt.func.id}(...) "
                                      "for i in range(N)])")
        variables = [f"{name}[{k}]" for k in range(len(iteration_values(module, gen.iter)))]
        for var, v in zip(variables, iteration_values(module, gen.iter)):
            call = Substitute(gen.target.id, v, {}).visit(copy.deepcopy(value.elt))
            module.records[var] = (call.func.id, _instance(module, var, call, value))
        return variables
    if isinstance(value, ast.ListComp) and _is_thread_call(module, value.elt):
        (gen,) = value.generators if len(value.generators) == 1 else (None,)
        if gen is None or gen.ifs or not isinstance(gen.target, ast.Name):
            raise module.error(value, "this list of threads is not supported here (use [threading.Thread(...) "
                                      "for i in range(N)])")
        values = iteration_values(module, gen.iter)
        variables = [f"{name}[{k}]" for k in range(len(values))]
        for var, v in zip(variables, values):
            _declare_thread(module, var, value.elt, {gen.target.id: v})  # type: ignore[arg-type]
        return variables
    if isinstance(value, (ast.List, ast.Tuple)) and value.elts:
        if all(_is_thread_call(module, e) or _is_thread_object(module, e) for e in value.elts):
            variables = [f"{name}[{k}]" for k in range(len(value.elts))]
            for var, call in zip(variables, value.elts):
                _declare_thread_item(module, var, call)  # type: ignore[arg-type]
            return variables
        if all(isinstance(e, ast.Name) and module.thread_index(e.id) is not None for e in value.elts):
            return [e.id for e in value.elts]  # type: ignore[attr-defined]
    return None


def iteration_values(module: Module, node: ast.expr) -> list[object]:
    """What ``for i in <node>`` goes through, when it is known before the threads start."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "range" \
            and not node.keywords and 1 <= len(node.args) <= 3:
        bounds = [_argument(module, a, {}) for a in node.args]
        if all(type(b) is int for b in bounds) and len(range(*bounds)) <= 64:  # type: ignore[arg-type]
            return list(range(*bounds))  # type: ignore[arg-type]
    if isinstance(node, (ast.List, ast.Tuple)):
        return [_argument(module, e, {}) for e in node.elts]
    raise module.error(node, "this is not supported here as the threads' range (use range(N) with N a literal "
                             "or a module-level constant, at most 64, or a literal list)")


def _appended_thread(module: Module, stmt: ast.stmt) -> bool:
    """``threads.append(t)`` or ``threads.append(threading.Thread(...))`` on a list of threads."""
    if not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call)
            and isinstance(stmt.value.func, ast.Attribute) and stmt.value.func.attr == "append"
            and isinstance(stmt.value.func.value, ast.Name) and stmt.value.func.value.id in module.thread_lists):
        return False
    listed = module.thread_lists[stmt.value.func.value.id]
    (item,) = stmt.value.args if len(stmt.value.args) == 1 else (None,)
    if isinstance(item, ast.Name) and module.thread_index(item.id) is not None:
        listed.append(item.id)
    elif item is not None and (_is_thread_call(module, item) or _is_thread_object(module, item)):
        var = f"{stmt.value.func.value.id}[{len(listed)}]"
        _declare_thread_item(module, var, item)  # type: ignore[arg-type]
        listed.append(var)
    elif not listed:
        return False  # a list of values: main code appending to it
    else:
        raise module.error(stmt, "this append is not supported here (append threads to a list of threads)")
    return True


def _unnamed_thread(module: Module, stmt: ast.stmt) -> ast.stmt | None:
    """``threading.Thread(target=f).start()``: declare the thread under a made-up variable and
    return the statement that starts it."""
    if not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call)
            and isinstance(stmt.value.func, ast.Attribute) and stmt.value.func.attr == "start"
            and _is_thread_call(module, stmt.value.func.value)):
        return None
    var = f"Thread-{len(module.threads) + 1}"  # not a Python name: it cannot clash with one
    _declare_thread(module, var, stmt.value.func.value)  # type: ignore[arg-type]
    where = {"lineno": stmt.lineno, "col_offset": stmt.col_offset}
    call = ast.Call(ast.Attribute(ast.Name(var, ast.Load(), **where), "start", ast.Load(), **where), [], [], **where)
    return ast.Expr(call, **where)
