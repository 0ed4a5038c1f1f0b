"""A picture a tailor checks at a glance: where every landmark and tape line was placed."""

from __future__ import annotations

import io
import os
import textwrap

import numpy as np

from c2m_tailor.fileio import write_bytes_atomic

QA_FLOOR_HIDDEN = 0.005  # of stature: a floor left in the scan (and the soles on it) is not drawn below this
_LINE_COLOURS = {
    "chest_girth": "#2ca02c", "underbust_girth": "#17becf", "waist_girth": "#1f77b4",
    "hip_girth": "#d62728", "thigh_girth": "#9467bd", "knee_girth": "#e377c2",
    "calf_girth": "#ff7f0e", "ankle_girth": "#8c564b", "neck_girth": "#008080",
    "neck_base_girth": "#006060", "head_girth": "#7f7f7f", "upper_arm_girth": "#ff9900",
    "elbow_girth": "#bcbd22", "wrist_girth": "#d4a017", "armscye_girth": "#aa00aa",
    "shoulder_width": "#000080", "arm_length": "#b22222", "crotch_length": "#228b22",
    "back_neck_to_waist": "#4b0082", "front_neck_to_waist": "#dc143c",
    "across_back_width": "#4682b4", "across_front_width": "#20b2aa",
    "shoulder_length": "#000000", "neck_to_bust_point": "#ff1493",
    "bust_point_distance": "#ff1493", "outside_leg_length": "#696969",
    "inside_leg_length": "#696969", "stature": "#a9a9a9",
}


def _silhouette(points2d: np.ndarray, cell: float) -> np.ndarray:
    """Occupancy image of projected surface points (a filled-looking silhouette)."""
    from scipy import ndimage

    lo = points2d.min(axis=0)
    idx = np.floor((points2d - lo) / cell).astype(int)
    grid = np.zeros(idx.max(axis=0) + 1, dtype=bool)
    grid[idx[:, 0], idx[:, 1]] = True
    grid = ndimage.binary_closing(grid, iterations=2)
    grid = ndimage.binary_fill_holes(grid)
    return grid, lo


def render_qa_image(result, path_png: str | os.PathLike) -> None:
    """Front (x-z) and side (y-z) views with landmarks, tape lines and the values, as a PNG."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    body = result.body
    if body is None:
        raise ValueError("the ScanResult carries no body to draw")
    from c2m_tailor.scan.measuring import _surface_samples

    v = _surface_samples(body, 150_000)
    H = float(v[:, 2].max())
    if body.floor:  # (drawn, a floor two metres wide leaves the body small in its corner)
        v = v[v[:, 2] > QA_FLOOR_HIDDEN * H]
    cell = max(H / 500.0, 1.0)
    fig = Figure(figsize=(13, 9), dpi=100)  # no pyplot: no global backend switch, no GUI
    FigureCanvasAgg(fig)
    grid = fig.add_gridspec(1, 3, width_ratios=[1.25, 0.75, 0.9])
    views = (("front (x, z)", 0, fig.add_subplot(grid[0])), ("side (y, z), front to the right", 1,
                                                               fig.add_subplot(grid[1])))
    for title, axis, ax in views:
        sil, lo = _silhouette(v[:, [axis, 2]], cell)
        extent = (lo[0], lo[0] + sil.shape[0] * cell, lo[1], lo[1] + sil.shape[1] * cell)
        ax.imshow(sil.T[::-1], extent=extent, cmap="Greys", vmin=0, vmax=3.5, interpolation="nearest")
        for name, polylines in sorted(result.lines.items()):
            colour = _LINE_COLOURS.get(name, "#333333")
            for poly in polylines:
                p = np.asarray(poly)
                if len(p) >= 2:
                    ax.plot(p[:, axis], p[:, 2], "-", color=colour, lw=1.4)
        for name, point in sorted(result.landmarks.items()):
            ax.plot(point[axis], point[2], "o", ms=3.5, color="red", mec="black", mew=0.4)
        if axis == 0:
            for name, point in sorted(result.landmarks.items()):
                if name.endswith("_left") or name in ("vertex",):
                    continue
                ax.annotate(name.replace("_right", " R"), (point[0], point[2]), fontsize=5.5,
                            xytext=(4, 2), textcoords="offset points", color="darkred")
        ax.set_title(title, fontsize=10)
        ax.set_aspect("equal")
        ax.tick_params(labelsize=7)
        ax.set_xlabel("mm", fontsize=7)
    text_ax = fig.add_subplot(grid[2])
    text_ax.axis("off")
    lines = [f"{body.source.split('/')[-1]}",
             f"unit {result.detected_unit}, up {result.detected_up_axis}, facing {result.detected_facing}", ""]
    for name, value in result.measurements_mm.items():
        conf = result.confidence.get(name, 0.0)
        lines.append(f"{name:<22s}{value:8.1f} mm  ({conf:.2f})")
    if result.warnings:
        lines.append("")
        # (whole, wrapped: a warning cut short hides what to check)
        for warning in result.warnings[:6]:
            lines.extend(textwrap.wrap(warning, 60, initial_indent="! ", subsequent_indent="  "))
    text_ax.text(0.0, 1.0, "\n".join(lines), family="monospace", fontsize=7.5, va="top")
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    write_bytes_atomic(path_png, buffer.getvalue())
