"""3D body scan -> ISO 8559-1 measurements, landmarks and a QA picture.

Public API:
    load_body(path, unit=None) -> Body
    measure_body(body) -> ScanResult
    measure_scan(path, unit=None) -> ScanResult
    render_qa_image(result, path_png) -> None
"""

from c2m_tailor.scan.loading import Body, load_body
from c2m_tailor.scan.measuring import CANONICAL_NAMES, ScanResult, measure_body, measure_scan


def render_qa_image(result, path_png) -> None:
    """Front and side silhouettes with landmarks and measurement lines (see qa_image.py)."""
    from c2m_tailor.scan.qa_image import render_qa_image as _render

    _render(result, path_png)


__all__ = ["Body", "CANONICAL_NAMES", "ScanResult", "load_body", "measure_body", "measure_scan",
           "render_qa_image"]
