"""miscompile: make racy-code miscompilation visible.

The pipeline: passes (source to source) -> frontend (source to IR) -> explorer
x memory model -> outcomes -> views. Import what you need from the submodules;
this package keeps its own import light so the command line starts fast.
"""

__version__ = "0.1.0"
