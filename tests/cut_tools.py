"""External programs the cut tests use as independent readers (Debian: librecad, dime, poppler-utils)."""

import os
import shutil

import pytest


def require(binary: str) -> str:
    """Path of the binary; skipped when it is missing, except in CI (CI set), where that fails."""
    found = shutil.which(binary)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"{binary} is not installed (CI must install it: see the cut stage's Debian packages)")
        pytest.skip(f"{binary} is not installed")
    return found
