"""Execution graphs: memory models as axioms over the events of an execution (herd7, GenMC).

The operational machines (``machine.py`` with ``models/``) step store buffers;
this engine builds each execution's graph and asks a model's axioms whether it
is consistent. For sc, tso and pso both exist, and the tests check that they
agree; models that are not machines (RC11, ARMv8) need this one.
"""

from .system import GraphSystem, explore_graphs

__all__ = ["GraphSystem", "explore_graphs"]
