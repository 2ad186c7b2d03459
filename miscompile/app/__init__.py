"""The use cases: what the commands ask for, combining passes with exploration.

The layers, each importing only those before it:

    core (frontend, IR, machine, models, explorer, races, graphs)
      <- transforms (the passes, fix: source-to-source rewrites)
      <- miscompile.app (compare, fix-and-check, check-pass, gallery, trace, inspect)
      <- miscompile.views (rich, Textual, the HTML page)
      <- miscompile.cli

The core never imports ``transforms``; ``tests/test_layers.py`` holds every module to this.
"""
