"""Order packages: byte-identical round trip, signatures, and every way a package can be bad."""

import hashlib
import hmac
import json
import os
import stat
import zipfile

import pytest

from c2m_tailor.job import open_job
from helpers import SAMPLE_TAPE, cli, cli_json, tree

KEY = b"0123456789abcdef-shop-secret"


@pytest.fixture
def job_dir(tmp_path):
    job_dir = tmp_path / "ORD-1001"
    assert cli("measure", SAMPLE_TAPE, "--job", job_dir, "--sex", "m").exit_code == 0
    # an artifact in a subfolder, as later stages write them
    (job_dir / "cut").mkdir()
    (job_dir / "cut" / "ORD-1001.dxf").write_bytes(b"0\nSECTION\n" * 1000)
    with open_job(job_dir) as job:
        job.add_artifact("cut/ORD-1001.dxf", "cut")
    return job_dir


@pytest.fixture
def key_file(tmp_path):
    path = tmp_path / "shop.key"
    path.write_bytes(KEY + b"\n")
    return path


def _send(job_dir, inbox, *extra):
    result, out = cli_json("transmit", job_dir, "--to", inbox, *extra)
    assert result.exit_code == 0, result.stderr
    return out


def test_round_trip_is_byte_identical(tmp_path, job_dir, key_file):
    out = _send(job_dir, tmp_path / "inbox", "--key-file", key_file)
    package = tmp_path / "inbox" / "ORD-1001.c2m"
    assert out["package"] == str(package) and out["signed"] and out["order_id"] == "ORD-1001"
    assert tree(tmp_path / "inbox") == ["ORD-1001.c2m"]  # no temp file left in the hot folder
    result, received = cli_json("receive", package, "--into", tmp_path / "factory" / "ORD-1001", "--key-file", key_file)
    assert result.exit_code == 0, result.stderr
    assert received["signature_verified"] is True
    for rel in ("job.json", "cut/ORD-1001.dxf"):
        assert (tmp_path / "factory" / "ORD-1001" / rel).read_bytes() == (job_dir / rel).read_bytes()
    assert tree(tmp_path / "factory") == ["ORD-1001", "ORD-1001/cut", "ORD-1001/cut/ORD-1001.dxf", "ORD-1001/job.json"]
    # the received job is a job the next stage can use
    assert cli("transmit", tmp_path / "factory" / "ORD-1001", "--to", tmp_path / "again").exit_code == 0


def test_same_job_gives_the_same_package_bytes(tmp_path, job_dir, key_file):
    _send(job_dir, tmp_path / "a", "--key-file", key_file)
    _send(job_dir, tmp_path / "b", "--key-file", key_file)
    assert (tmp_path / "a" / "ORD-1001.c2m").read_bytes() == (tmp_path / "b" / "ORD-1001.c2m").read_bytes()


def test_manifest_lists_hashes_sizes_and_versions(tmp_path, job_dir):
    _send(job_dir, tmp_path / "inbox")
    with zipfile.ZipFile(tmp_path / "inbox" / "ORD-1001.c2m") as archive:
        manifest = json.loads(archive.read("manifest.json"))
        assert sorted(archive.namelist()) == ["cut/ORD-1001.dxf", "job.json", "manifest.json"]
        for name, meta in manifest["members"].items():
            data = archive.read(name)
            assert meta == {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    assert manifest["tool_version"] and manifest["schema_version"] == 1 and manifest["signature"] is None


def _rewrite(src, dst, change=None, extra=None, drop=None, manifest_change=None, key=None):
    """Copy a package member by member, changing what a test asks (as an attacker or a bad disk would)."""
    with zipfile.ZipFile(src) as archive:
        members = {info.filename: archive.read(info.filename) for info in archive.infolist()}
    manifest = json.loads(members["manifest.json"])
    if manifest_change:
        manifest_change(manifest)
        if key is not None:
            unsigned = {k: v for k, v in manifest.items() if k != "signature"}
            body = json.dumps(unsigned, sort_keys=True, separators=(",", ":")).encode()
            manifest["signature"] = {"algorithm": "HMAC-SHA256", "value": hmac.new(key, body, hashlib.sha256).hexdigest()}
        members["manifest.json"] = json.dumps(manifest).encode()
    if change:
        name, data = change
        members[name] = data
    if drop:
        members.pop(drop)
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        for info, data in (extra or []):
            archive.writestr(info, data)


def _expect_refused(package, into, fragment, *extra):
    result, out = cli_json("receive", package, "--into", into, *extra)
    assert result.exit_code == 3, (result.stdout, result.stderr)
    assert fragment in out["error"], out["error"]
    assert "Traceback" not in result.stderr
    assert not into.exists()
    assert not [p for p in into.parent.iterdir() if p.name.startswith(f".{into.name}")]  # no staging left


@pytest.fixture
def package(tmp_path, job_dir):
    _send(job_dir, tmp_path / "inbox")
    return tmp_path / "inbox" / "ORD-1001.c2m"


def test_changed_byte_in_a_member_is_refused(tmp_path, package):
    with zipfile.ZipFile(package) as archive:
        dxf = bytearray(archive.read("cut/ORD-1001.dxf"))
    dxf[100] ^= 0x01
    bad = tmp_path / "bad.c2m"
    _rewrite(package, bad, change=("cut/ORD-1001.dxf", bytes(dxf)))
    _expect_refused(bad, tmp_path / "out", "'cut/ORD-1001.dxf' does not match its manifest hash")


def test_changed_byte_in_the_raw_file_is_refused(tmp_path, package):
    data = bytearray(package.read_bytes())
    data[len(data) // 3] ^= 0xFF
    bad = tmp_path / "flipped.c2m"
    bad.write_bytes(bytes(data))
    result, out = cli_json("receive", bad, "--into", tmp_path / "out")
    assert result.exit_code == 3 and not (tmp_path / "out").exists()


def test_missing_member_is_refused(tmp_path, package):
    bad = tmp_path / "bad.c2m"
    _rewrite(package, bad, drop="cut/ORD-1001.dxf")
    _expect_refused(bad, tmp_path / "out", "'cut/ORD-1001.dxf' is listed in the manifest but missing")


def test_extra_member_is_refused(tmp_path, package):
    bad = tmp_path / "bad.c2m"
    _rewrite(package, bad, extra=[("notes.txt", b"hello")])
    _expect_refused(bad, tmp_path / "out", "'notes.txt' is not listed in the manifest")


@pytest.mark.parametrize("name, fragment", [
    ("../evil.txt", "zip-slip"),
    ("cut/../../evil.txt", "zip-slip"),
    ("/etc/evil.txt", "absolute"),
    ("C:/evil.txt", "absolute"),
    ("cut\\evil.txt", "absolute or non-portable"),
])
def test_paths_leaving_the_job_are_refused(tmp_path, package, name, fragment):
    bad = tmp_path / "bad.c2m"
    _rewrite(package, bad, extra=[(name, b"pwned")])
    _expect_refused(bad, tmp_path / "out", fragment)
    assert not (tmp_path / "evil.txt").exists()


def test_symlink_member_is_refused(tmp_path, package):
    info = zipfile.ZipInfo("cut/link")
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    info.create_system = 3
    bad = tmp_path / "bad.c2m"
    _rewrite(package, bad, extra=[(info, b"/etc/passwd")])
    _expect_refused(bad, tmp_path / "out", "symbolic link")


def test_zip_bomb_is_refused_before_it_is_read(tmp_path, package):
    bad = tmp_path / "bomb.c2m"
    _rewrite(package, bad, extra=[("cut/zeros.bin", b"\0" * (40 * 1024 * 1024))])
    assert bad.stat().st_size < 200_000
    _expect_refused(bad, tmp_path / "out", "zip bomb")


def test_truncated_package_is_refused(tmp_path, package):
    data = package.read_bytes()
    for cut_at in (len(data) // 2, len(data) - 10, 30):
        bad = tmp_path / f"cut{cut_at}.c2m"
        bad.write_bytes(data[:cut_at])
        _expect_refused(bad, tmp_path / "out", "not a complete order package")


def test_not_a_package(tmp_path):
    bad = tmp_path / "x.c2m"
    with zipfile.ZipFile(bad, "w") as archive:
        archive.writestr("hello.txt", "hi")
    _expect_refused(bad, tmp_path / "out", "has no manifest.json")


def test_signature_required_and_checked(tmp_path, job_dir, key_file):
    _send(job_dir, tmp_path / "unsigned")
    _expect_refused(tmp_path / "unsigned" / "ORD-1001.c2m", tmp_path / "o1", "is not signed", "--key-file", key_file)
    _send(job_dir, tmp_path / "signed", "--key-file", key_file)
    wrong = tmp_path / "wrong.key"
    wrong.write_bytes(b"another-secret-of-the-shop")
    _expect_refused(tmp_path / "signed" / "ORD-1001.c2m", tmp_path / "o2", "signature does not match", "--key-file", wrong)


def test_resigned_manifest_with_a_forged_hash_fails_without_the_key(tmp_path, job_dir, key_file):
    _send(job_dir, tmp_path / "signed", "--key-file", key_file)
    bad = tmp_path / "forged.c2m"

    def forge(manifest):
        manifest["members"]["job.json"]["size"] += 0
        manifest["order_id"] = "ORD-9999"

    _rewrite(tmp_path / "signed" / "ORD-1001.c2m", bad, manifest_change=forge, key=b"attacker-guessed-key-0000")
    _expect_refused(bad, tmp_path / "out", "signature does not match", "--key-file", key_file)


def test_receive_refuses_a_folder_with_files(tmp_path, package):
    into = tmp_path / "busy"
    into.mkdir()
    (into / "keep.txt").write_text("mine")
    result, out = cli_json("receive", package, "--into", into)
    assert result.exit_code == 3 and "not an empty folder" in out["error"]
    assert (into / "keep.txt").read_text() == "mine"


def test_short_or_missing_key_file(tmp_path, job_dir):
    short = tmp_path / "short.key"
    short.write_bytes(b"abc")
    result, out = cli_json("transmit", job_dir, "--to", tmp_path / "inbox", "--key-file", short)
    assert result.exit_code == 3 and "at least 16" in out["error"]
    result, out = cli_json("transmit", job_dir, "--to", tmp_path / "inbox", "--key-file", tmp_path / "none.key")
    assert result.exit_code == 3 and "does not exist" in out["error"]
    assert tree(tmp_path / "inbox") == []


def test_artifact_changed_after_its_stage_is_not_sent(tmp_path, job_dir):
    (job_dir / "cut" / "ORD-1001.dxf").write_bytes(b"edited by hand")
    result, out = cli_json("transmit", job_dir, "--to", tmp_path / "inbox")
    assert result.exit_code == 3 and "changed after the cut stage wrote it" in out["error"]
    assert tree(tmp_path / "inbox") == []


def test_transmit_replaces_atomically_in_a_hot_folder(tmp_path, job_dir):
    inbox = tmp_path / "inbox"
    _send(job_dir, inbox)
    first = (inbox / "ORD-1001.c2m").stat().st_ino
    _send(job_dir, inbox)
    assert (inbox / "ORD-1001.c2m").stat().st_ino != first  # a new file renamed into place, never rewritten in place
    assert os.listdir(inbox) == ["ORD-1001.c2m"]
