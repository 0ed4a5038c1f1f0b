"""Dump what measure_scan reads off scans, to compare a change's output before and after.

Writes one JSON per scan: {"measurements_mm": ..., "landmarks": ...} at full float precision
(repr), so "bit-identical" can be checked with compare mode.
Run: /work/venv/bin/python bench/dump_scan.py OUT_DIR SCAN [SCAN ...]
     /work/venv/bin/python bench/dump_scan.py --compare DIR_A DIR_B
"""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def dump(out_dir: Path, paths: list[Path]) -> None:
    from c2m_tailor.scan import measure_scan

    out_dir.mkdir(parents=True, exist_ok=True)
    for path in paths:
        result = measure_scan(path)
        data = {"measurements_mm": {k: repr(float(v)) for k, v in sorted(result.measurements_mm.items())},
                "landmarks": {k: [repr(float(c)) for c in v] for k, v in sorted(result.landmarks.items())}}
        (out_dir / f"{path.stem}.json").write_text(json.dumps(data, indent=1))
        print(f"{path.name}: {len(result.measurements_mm)} measurements")


def compare(a: Path, b: Path) -> int:
    worst = 0.0
    differ = 0
    for file_a in sorted(a.glob("*.json")):
        file_b = b / file_a.name
        if not file_b.exists():
            print(f"{file_a.name}: missing in {b}")
            differ += 1
            continue
        da, db = json.loads(file_a.read_text()), json.loads(file_b.read_text())
        changes = []
        for group in ("measurements_mm", "landmarks"):
            for name in sorted(set(da[group]) | set(db[group])):
                va, vb = da[group].get(name), db[group].get(name)
                if va != vb:
                    if va is None or vb is None:
                        changes.append(f"{name}: {va} -> {vb}")
                        continue
                    fa = [float(x) for x in (va if isinstance(va, list) else [va])]
                    fb = [float(x) for x in (vb if isinstance(vb, list) else [vb])]
                    d = max(abs(x - y) for x, y in zip(fa, fb))
                    worst = max(worst, d)
                    changes.append(f"{name}: {d:.3g}")
        differ += bool(changes)
        print(f"{file_a.name}: {'identical' if not changes else '; '.join(changes)}")
    print(f"max change {worst:.3g}")
    return 1 if differ else 0


if __name__ == "__main__":
    if sys.argv[1] == "--compare":
        sys.exit(compare(Path(sys.argv[2]), Path(sys.argv[3])))
    dump(Path(sys.argv[1]), [Path(p) for p in sys.argv[2:]])
