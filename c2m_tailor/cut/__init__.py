"""Cut stage: cutting-room files from a pattern.

AAMA / ASTM D6673 DXF (write_dxf, read_dxf), grade rules (write_rul, read_rul), HPGL for plotters
and cutters (write_plt), and previews at 1:1 (write_svg, write_pdf) plus a quick look (write_png).
ezdxf and matplotlib are imported only inside the functions that need them.
"""

from c2m_tailor.cut.dxf_read import read_dxf
from c2m_tailor.cut.dxf_write import dxf_text, write_dxf
from c2m_tailor.cut.plt import plt_text, write_plt
from c2m_tailor.cut.preview import pdf_bytes, png_bytes, svg_text, write_pdf, write_png, write_svg
from c2m_tailor.cut.rul import RuleTable, parse_rul, read_rul, rul_text, write_rul

__all__ = ["read_dxf", "write_dxf", "dxf_text", "write_plt", "plt_text", "write_svg", "svg_text", "write_pdf",
           "pdf_bytes", "write_png", "png_bytes", "write_rul", "rul_text", "read_rul", "parse_rul", "RuleTable"]
