"""passpredict: when can a satellite be seen or contacted from a place on Earth."""

__version__ = "0.1.0"
