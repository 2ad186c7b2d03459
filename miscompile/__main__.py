"""``python -m miscompile``."""

from .cli import main

main(prog_name="miscompile")
