"""The pass search (being split into one module per step; all of it in `refine` for now)."""

from passpredict.engine.passes.refine import (
    HERMITE_SUBSTEPS,
    J2,
    MAX_STEP_S,
    MIN_STEP_S,
    NEAR_CIRCULAR_MAX_ECCENTRICITY,
    NEAR_CIRCULAR_STEP_FRACTION,
    STEP_FRACTION_OF_PERIOD,
    STEP_QUANTUM_S,
    TIME_TOLERANCE_S,
    PassTable,
    coarse_step_s,
    concatenate_tables,
    find_passes,
    pass_records,
    search_passes,
    sort_table,
)

__all__ = [
    "HERMITE_SUBSTEPS",
    "J2",
    "MAX_STEP_S",
    "MIN_STEP_S",
    "NEAR_CIRCULAR_MAX_ECCENTRICITY",
    "NEAR_CIRCULAR_STEP_FRACTION",
    "STEP_FRACTION_OF_PERIOD",
    "STEP_QUANTUM_S",
    "TIME_TOLERANCE_S",
    "PassTable",
    "coarse_step_s",
    "concatenate_tables",
    "find_passes",
    "pass_records",
    "search_passes",
    "sort_table",
]
