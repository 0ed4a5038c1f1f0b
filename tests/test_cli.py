"""The command-line contract: names, --help examples, exit codes, JSON on stdout, and start-up."""

import json
import os
import subprocess
import sys

import pytest

from helpers import REPO, SAMPLE_TAPE, cli

COMMANDS = ["measure", "transmit", "receive"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_help_shows_an_example(command):
    result = cli(command, "--help")
    assert result.exit_code == 0
    assert f"Example: c2m-tailor {command}" in result.stdout
    assert "--json" in result.stdout


def test_usage_error_exits_2():
    assert cli("measure").exit_code == 2  # missing INPUT and --job
    assert cli("no-such-command").exit_code == 2


def test_python_dash_m_and_version():
    env = dict(os.environ, PYTHONPATH=str(REPO))
    out = subprocess.run([sys.executable, "-m", "c2m_tailor", "--version"], capture_output=True, text=True, env=env, cwd=REPO)
    assert out.returncode == 0 and out.stdout.startswith("c2m-tailor ")


def test_json_on_stdout_and_human_text_on_stderr(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(REPO))
    run = subprocess.run([sys.executable, "-m", "c2m_tailor", "measure", str(SAMPLE_TAPE), "--job", str(tmp_path / "j"),
                          "--json"], capture_output=True, text=True, env=env)
    assert run.returncode == 0
    payload = json.loads(run.stdout)
    assert set(payload) >= {"job", "unit", "measurements", "warnings"}
    human = subprocess.run([sys.executable, "-m", "c2m_tailor", "measure", str(SAMPLE_TAPE), "--job", str(tmp_path / "k")],
                           capture_output=True, text=True, env=env)
    assert human.returncode == 0 and human.stdout == "" and "chest_girth" in human.stderr


def test_heavy_libraries_are_not_imported_for_help():
    code = ("import sys; from c2m_tailor.cli import app; "
            "heavy = [m for m in ('numpy', 'trimesh', 'ezdxf', 'shapely', 'scipy', 'matplotlib', 'pyembroidery', 'rich') "
            "if m in sys.modules]; print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(REPO)))
    assert out.returncode == 0 and out.stdout.strip() == "", out.stdout
