"""Shared fixtures: where the team's shared data lives (../shared/data beside the checkout)."""

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]


def shared_data_dir() -> Path | None:
    candidates = []
    if os.environ.get("C2M_SHARED_DATA"):
        candidates.append(Path(os.environ["C2M_SHARED_DATA"]))
    candidates.append(REPO_ROOT.parent / "shared" / "data")
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return None


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """../shared/data; in CI it must exist, elsewhere tests that need it are skipped without it."""
    found = shared_data_dir()
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("../shared/data is missing beside the checkout (CI needs it)")
        pytest.skip("../shared/data not found beside the checkout")
    return found
