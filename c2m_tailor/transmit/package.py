"""Order packages (`<order-id>.c2m`): a zip of the job directory with a verifiable manifest.

Layout: `job.json`, every artifact the job lists, and `manifest.json`::

    {"format": "c2m-tailor/package", "format_version": 1, "tool_version": ..., "schema_version": ...,
     "order_id": ..., "members": {path: {"sha256": hex, "size": n}},
     "signature": {"algorithm": "HMAC-SHA256", "value": hex} | null}

The signature is an HMAC-SHA256, under a shared key file, of the manifest's canonical JSON without
its `signature` field; since the manifest holds every member's hash, it covers every byte.

The zip is deterministic (sorted members, fixed timestamps and permissions), so the same job makes
the same package. `receive` trusts nothing: it checks names (no absolute paths, `..`, backslashes
or links), sizes and compression ratios (zip bombs) before it reads, hashes every member while it
reads with a hard size limit, and unpacks into a temporary folder it renames into place only when
everything checked out.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import shutil
import stat
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from c2m_tailor import __version__
from c2m_tailor.errors import BadInput
from c2m_tailor.fileio import atomic_writer, sha256_bytes
from c2m_tailor.job import JOB_FILE, SCHEMA_VERSION, Job, job_lock, validate_document

PACKAGE_FORMAT = "c2m-tailor/package"
PACKAGE_FORMAT_VERSION = 1
MANIFEST = "manifest.json"
PACKAGE_SUFFIX = ".c2m"
ZIP_TIMESTAMP = (2020, 1, 1, 0, 0, 0)

# Limits a receiving factory can rely on (a scan is the largest member a real order carries).
MAX_PACKAGE_BYTES = 2 * 1024**3
MAX_MEMBER_BYTES = 1024**3
MAX_TOTAL_BYTES = 2 * 1024**3
MAX_MEMBERS = 10_000
MAX_COMPRESSION_RATIO = 200  # uncompressed / compressed, checked for members over 1 MiB
RATIO_CHECK_FROM_BYTES = 1024**2
MIN_KEY_BYTES = 16


@dataclass
class TransmitResult:
    package: Path
    order_id: str
    members: dict[str, dict]
    signed: bool
    size: int


@dataclass
class ReceiveResult:
    job_dir: Path
    order_id: str
    members: dict[str, dict]
    signed: bool
    verified_signature: bool
    warnings: list[str] = field(default_factory=list)


def read_key(path: str | os.PathLike) -> bytes:
    """The shared secret: the key file's bytes without trailing line breaks."""
    path = Path(path)
    if not path.is_file():
        raise BadInput(f"key file {path} does not exist")
    key = path.read_bytes().rstrip(b"\r\n")
    if len(key) < MIN_KEY_BYTES:
        raise BadInput(f"key file {path} holds {len(key)} bytes; a signing key needs at least {MIN_KEY_BYTES}")
    return key


def _canonical(manifest: dict) -> bytes:
    unsigned = {k: v for k, v in manifest.items() if k != "signature"}
    return json.dumps(unsigned, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def _sign(manifest: dict, key: bytes) -> str:
    return hmac.new(key, _canonical(manifest), hashlib.sha256).hexdigest()


def _zipinfo(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIMESTAMP)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = (stat.S_IFREG | 0o644) << 16
    info.create_system = 3  # unix, so the permission bits above mean what they say
    return info


def transmit(job_dir: str | os.PathLike, inbox: str | os.PathLike, key: bytes | None = None) -> TransmitResult:
    """Pack JOB_DIR into INBOX/<order-id>.c2m, atomically (a hot folder never sees half a file)."""
    job_dir = Path(job_dir)
    inbox = Path(inbox)
    if inbox.exists() and not inbox.is_dir():
        raise BadInput(f"inbox {inbox} is not a folder")
    with job_lock(job_dir):
        job = Job.load(job_dir)
        members: dict[str, bytes] = {JOB_FILE: (job_dir / JOB_FILE).read_bytes()}
        for rel, meta in sorted(job.data["artifacts"].items()):
            path = job_dir / rel
            if not path.is_file():
                raise BadInput(f"job artifact {rel} is missing from {job_dir}: run its stage ({meta.get('stage')}) again")
            if path.is_symlink():
                raise BadInput(f"job artifact {rel} is a symbolic link; packages carry real files only")
            data = path.read_bytes()
            if sha256_bytes(data) != meta.get("sha256"):
                raise BadInput(f"job artifact {rel} changed after the {meta.get('stage')} stage wrote it: run that stage again")
            members[rel] = data
    manifest = {
        "format": PACKAGE_FORMAT,
        "format_version": PACKAGE_FORMAT_VERSION,
        "tool_version": __version__,
        "schema_version": job.data["schema_version"],
        "order_id": job.order_id,
        "members": {name: {"sha256": sha256_bytes(data), "size": len(data)} for name, data in sorted(members.items())},
        "signature": None,
    }
    if key is not None:
        manifest["signature"] = {"algorithm": "HMAC-SHA256", "value": _sign(manifest, key)}
    manifest_bytes = (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode("utf-8")
    target = inbox / f"{job.order_id}{PACKAGE_SUFFIX}"
    with atomic_writer(target, "wb") as handle:
        with zipfile.ZipFile(handle, "w") as archive:
            archive.writestr(_zipinfo(MANIFEST), manifest_bytes)
            for name in sorted(members):
                archive.writestr(_zipinfo(name), members[name])
    return TransmitResult(target, job.order_id, manifest["members"], key is not None, target.stat().st_size)


def _check_member_name(name: str, where: str) -> None:
    if not name or name.endswith("/"):
        raise BadInput(f"{where}: member {name!r} is a folder entry; packages carry files only")
    if "\\" in name or "\x00" in name or name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        raise BadInput(f"{where}: member {name!r} has an absolute or non-portable path (refused)")
    parts = PurePosixPath(name).parts
    if any(part in ("..", ".", "") for part in parts):
        raise BadInput(f"{where}: member {name!r} climbs out of the job folder with '..' (zip-slip, refused)")


def receive(package: str | os.PathLike, into: str | os.PathLike, key: bytes | None = None) -> ReceiveResult:
    """Verify PACKAGE completely, then unpack it as the job directory INTO (which must not hold files)."""
    package = Path(package)
    into = Path(into)
    where = package.name
    if not package.is_file():
        raise BadInput(f"package {package} does not exist")
    size = package.stat().st_size
    if size > MAX_PACKAGE_BYTES:
        raise BadInput(f"{where} is {size} bytes, over the {MAX_PACKAGE_BYTES} byte package limit")
    if into.exists() and (not into.is_dir() or any(into.iterdir())):
        raise BadInput(f"{into} already exists and is not an empty folder: receive into a new folder")
    try:
        archive = zipfile.ZipFile(package)
    except zipfile.BadZipFile:
        raise BadInput(f"{where} is not a complete order package (not a zip, or truncated)") from None
    except OSError as exc:
        raise BadInput(f"{where} cannot be read: {exc.strerror or exc}") from None
    warnings: list[str] = []
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            raise BadInput(f"{where} has {len(infos)} members, over the limit of {MAX_MEMBERS}")
        seen = set()
        total = 0
        for info in infos:
            _check_member_name(info.filename, where)
            if info.filename in seen:
                raise BadInput(f"{where}: member {info.filename!r} appears twice")
            seen.add(info.filename)
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise BadInput(f"{where}: member {info.filename!r} is a symbolic link (refused)")
            if info.flag_bits & 0x1:
                raise BadInput(f"{where}: member {info.filename!r} is encrypted; packages are signed, not encrypted")
            if info.file_size > MAX_MEMBER_BYTES:
                raise BadInput(f"{where}: member {info.filename!r} unpacks to {info.file_size} bytes, over the "
                               f"{MAX_MEMBER_BYTES} byte limit")
            if info.file_size > RATIO_CHECK_FROM_BYTES and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1):
                raise BadInput(f"{where}: member {info.filename!r} expands {info.file_size // max(info.compress_size, 1)}x "
                               f"(over {MAX_COMPRESSION_RATIO}x): refused as a zip bomb")
            total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise BadInput(f"{where} unpacks to {total} bytes, over the {MAX_TOTAL_BYTES} byte limit")
        if MANIFEST not in seen:
            raise BadInput(f"{where} has no {MANIFEST}: not an order package")
        manifest_bytes = _read_limited(archive, archive.getinfo(MANIFEST), where, 16 * 1024**2)
        try:
            manifest = json.loads(manifest_bytes.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise BadInput(f"{where}: {MANIFEST} is not valid JSON") from None
        members = _check_manifest(manifest, where)
        signature = manifest.get("signature")
        verified = False
        if key is not None:
            if not signature:
                raise BadInput(f"{where} is not signed, but a key was given: refused")
            if not isinstance(signature, dict) or signature.get("algorithm") != "HMAC-SHA256" or not isinstance(signature.get("value"), str):
                raise BadInput(f"{where}: the manifest's signature is malformed")
            if not hmac.compare_digest(signature["value"], _sign(manifest, key)):
                raise BadInput(f"{where}: the signature does not match this key (wrong key, or the package was changed)")
            verified = True
        elif signature:
            warnings.append(f"{where} is signed but no --key-file was given: the signature was not checked")
        listed = set(members)
        present = seen - {MANIFEST}
        if listed - present:
            raise BadInput(f"{where}: member {sorted(listed - present)[0]!r} is listed in the manifest but missing")
        if present - listed:
            raise BadInput(f"{where}: member {sorted(present - listed)[0]!r} is not listed in the manifest (extra file)")
        if JOB_FILE not in listed:
            raise BadInput(f"{where} carries no {JOB_FILE}")
        contents: dict[str, bytes] = {}
        for name in sorted(listed):
            expected = members[name]
            data = _read_limited(archive, archive.getinfo(name), where, expected["size"])
            if len(data) != expected["size"] or sha256_bytes(data) != expected["sha256"]:
                raise BadInput(f"{where}: member {name!r} does not match its manifest hash (changed or damaged)")
            contents[name] = data
    try:
        document = json.loads(contents[JOB_FILE].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BadInput(f"{where}: {JOB_FILE} is not valid JSON") from None
    validate_document(document, where=f"{where}:{JOB_FILE}")
    if document["order_id"] != manifest["order_id"]:
        raise BadInput(f"{where}: the manifest names order {manifest['order_id']!r} but the job is {document['order_id']!r}")
    artifacts = set(document["artifacts"])
    if artifacts != listed - {JOB_FILE}:
        missing = sorted(artifacts - listed)
        raise BadInput(f"{where}: the job lists artifacts the package does not carry: {', '.join(missing) or 'none'}; "
                       f"or carries files the job does not list")
    _unpack(contents, into)
    return ReceiveResult(into, document["order_id"], members, bool(signature), verified, warnings)


def _read_limited(archive: zipfile.ZipFile, info: zipfile.ZipInfo, where: str, limit: int) -> bytes:
    """Read a member, never more than LIMIT bytes whatever its header claims."""
    try:
        with archive.open(info) as handle:
            data = handle.read(limit + 1)
    except (zipfile.BadZipFile, EOFError, OSError, zlib.error) as exc:
        raise BadInput(f"{where}: member {info.filename!r} is damaged or truncated ({type(exc).__name__})") from None
    if len(data) > limit:
        raise BadInput(f"{where}: member {info.filename!r} is larger than its manifest says")
    return data


def _check_manifest(manifest, where: str) -> dict[str, dict]:
    if not isinstance(manifest, dict) or manifest.get("format") != PACKAGE_FORMAT:
        raise BadInput(f"{where}: {MANIFEST} is not a c2m-tailor package manifest")
    version = manifest.get("format_version")
    if not isinstance(version, int) or version > PACKAGE_FORMAT_VERSION or version < 1:
        raise BadInput(f"{where}: package format version {version!r} is not one this c2m-tailor {__version__} reads")
    schema = manifest.get("schema_version")
    if not isinstance(schema, int) or schema > SCHEMA_VERSION:
        raise BadInput(f"{where}: the job inside uses schema version {schema!r}, newer than {SCHEMA_VERSION}: upgrade c2m-tailor")
    members = manifest.get("members")
    if not isinstance(members, dict) or not members:
        raise BadInput(f"{where}: {MANIFEST} lists no members")
    for name, meta in members.items():
        _check_member_name(name, where)
        if (not isinstance(meta, dict) or not isinstance(meta.get("sha256"), str) or len(meta["sha256"]) != 64
                or not isinstance(meta.get("size"), int) or meta["size"] < 0 or meta["size"] > MAX_MEMBER_BYTES):
            raise BadInput(f"{where}: {MANIFEST} entry for {name!r} is malformed")
    if not isinstance(manifest.get("order_id"), str):
        raise BadInput(f"{where}: {MANIFEST} has no order id")
    return members


def _unpack(contents: dict[str, bytes], into: Path) -> None:
    into = into.absolute()
    into.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{into.name}.", suffix=".receiving", dir=into.parent))
    try:
        for name, data in contents.items():
            target = staging.joinpath(*PurePosixPath(name).parts)
            if not target.resolve().is_relative_to(staging.resolve()):  # defence in depth
                raise BadInput(f"member {name!r} would land outside the job folder")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        if into.exists():
            into.rmdir()  # empty, checked above
        os.replace(staging, into)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
