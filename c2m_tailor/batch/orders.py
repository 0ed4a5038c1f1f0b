"""Reading a batch: an orders CSV (one row per order) or a hot folder of received packages.

Orders CSV columns: `order_id`, `style`, optional `options` (`collar=band;cuff=french`),
`monogram`, `unit` (default mm), `sex`, and either `scan` (a path, relative to the CSV) or
measurement columns under canonical or alias names.
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from c2m_tailor import __version__
from c2m_tailor.errors import BadInput
from c2m_tailor.fileio import sha256_file
from c2m_tailor.job import ORDER_ID_PATTERN
from c2m_tailor.transmit.package import PACKAGE_SUFFIX

CONTROL_COLUMNS = ("order_id", "style", "options", "monogram", "unit", "sex", "scan", "monogram_piece")


@dataclass
class OrderSpec:
    """One order of a batch: where its body comes from and what to make."""

    order_id: str
    where: str  # "orders.csv line 4" or the package path, for messages
    style: str | None = None
    options: dict[str, str] = field(default_factory=dict)
    monogram: str | None = None
    monogram_piece: str | None = None
    unit: str | None = None
    sex: str | None = None
    scan: str | None = None  # absolute path of a scan
    measurements: dict[str, str] = field(default_factory=dict)  # column name -> cell text
    package: str | None = None  # absolute path of a received .c2m
    source_name: str = ""
    error: str | None = None  # a row that cannot become an order fails alone, with this reason

    def fingerprint(self) -> str:
        """Hash of everything that decides the order's output (inputs' bytes, options, tool version)."""
        content: dict[str, Any] = {
            "tool": __version__, "style": self.style, "options": sorted(self.options.items()),
            "monogram": self.monogram, "monogram_piece": self.monogram_piece, "unit": self.unit, "sex": self.sex,
            "measurements": sorted(self.measurements.items()),
        }
        for key in ("scan", "package"):
            path = getattr(self, key)
            content[key] = sha256_file(path) if path and Path(path).is_file() else path
        return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def parse_options(text: str, where: str) -> dict[str, str]:
    """`collar=band;cuff=french` (also `,`-separated) into a dict."""
    options: dict[str, str] = {}
    for part in [p.strip() for p in text.replace(",", ";").split(";") if p.strip()]:
        if "=" not in part:
            raise BadInput(f"{where}: option {part!r} is not key=value")
        key, value = (x.strip() for x in part.split("=", 1))
        if not key or not value:
            raise BadInput(f"{where}: option {part!r} is not key=value")
        options[key] = value
    return options


def read_orders(source: str | Path) -> list[OrderSpec]:
    source = Path(source)
    if source.is_dir():
        return _hot_folder(source)
    if not source.is_file():
        raise BadInput(f"orders {source} do not exist: give an orders CSV or a folder of {PACKAGE_SUFFIX} packages")
    if source.suffix.lower() != ".csv":
        raise BadInput(f"orders {source.name}: expected a .csv file or a folder of {PACKAGE_SUFFIX} packages")
    return _orders_csv(source)


def _hot_folder(folder: Path) -> list[OrderSpec]:
    packages = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix == PACKAGE_SUFFIX)
    if not packages:
        raise BadInput(f"{folder} holds no {PACKAGE_SUFFIX} order packages")
    return [OrderSpec(order_id=p.stem, where=str(p), package=str(p.resolve()), source_name=p.name) for p in packages]


def _orders_csv(path: Path) -> list[OrderSpec]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        text = path.read_text(encoding="latin-1")
    reader = csv.DictReader(text.splitlines())
    if not reader.fieldnames or "order_id" not in [f.strip() for f in reader.fieldnames]:
        raise BadInput(f"{path.name}: the header needs an 'order_id' column")
    specs: list[OrderSpec] = []
    seen: set[str] = set()
    for line, row in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in row.items() if k is not None}
        where = f"{path.name} line {line}"
        order_id = row.get("order_id", "")
        spec = OrderSpec(order_id=order_id or f"line-{line}", where=where, source_name=path.name)
        try:
            if not ORDER_ID_PATTERN.match(order_id):
                raise BadInput(f"{where}: order id {order_id!r} is not valid (1-64 ASCII letters, digits, . _ -)")
            if order_id in seen:
                raise BadInput(f"{where}: order id {order_id!r} appears twice in the batch")
            seen.add(order_id)
            spec.style = row.get("style") or None
            spec.options = parse_options(row.get("options", ""), where)
            spec.monogram = row.get("monogram") or None
            spec.monogram_piece = row.get("monogram_piece") or None
            spec.unit = row.get("unit") or "mm"
            spec.sex = row.get("sex") or None
            if row.get("scan"):
                scan = Path(row["scan"])
                spec.scan = str((path.parent / scan).resolve() if not scan.is_absolute() else scan)
            spec.measurements = {k: v for k, v in row.items() if k not in CONTROL_COLUMNS and v != ""}
            if not spec.scan and not spec.measurements:
                raise BadInput(f"{where}: order {order_id} has neither a scan nor measurements")
        except BadInput as exc:
            spec.error = str(exc)
        specs.append(spec)
    if not specs:
        raise BadInput(f"{path.name} holds no orders")
    return specs
