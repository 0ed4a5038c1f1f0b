"""Pattern pieces: the model every pattern stage (grade, validate, cut, personalize) shares.

Public API (the CLI wires these):
    list_styles() -> list[StyleInfo]
    grade(measurements_mm, style, options, sex=None, size_chart=None) -> GradeResult
    read_size_chart(path) -> {size: {measurement: mm}}
    validate(pattern, measurements_mm) -> ValidationReport
"""

from __future__ import annotations

from typing import Any

__all__ = ["list_styles", "grade", "read_size_chart", "validate", "StyleInfo", "GradeResult",
           "ValidationReport", "Check"]


def __getattr__(name: str) -> Any:  # lazy: importing the model must stay light
    if name in ("list_styles", "grade", "read_size_chart", "StyleInfo", "GradeResult", "OptionInfo"):
        import importlib

        return getattr(importlib.import_module("c2m_tailor.pattern.grading"), name)
    if name in ("validate", "ValidationReport", "Check"):
        import importlib

        return getattr(importlib.import_module("c2m_tailor.pattern.validation"), name)
    raise AttributeError(name)
