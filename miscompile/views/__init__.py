"""Rich renderables for results. This package is the only one that imports rich."""
