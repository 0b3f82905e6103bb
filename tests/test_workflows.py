"""GitHub workflows: pinned actions, least privilege per job, no templated untrusted text, and zizmor clean."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import ROOT

WORKFLOW_DIR = ROOT / ".github" / "workflows"
WORKFLOWS = sorted(WORKFLOW_DIR.glob("*.yml"))
ZIZMOR = Path(sys.executable).with_name("zizmor")
PINNED = re.compile(
    r"^\s*(?:-\s+)?uses:\s+(?P<action>[\w.-]+/[\w./-]+)@(?P<sha>[0-9a-f]{40})\s+#\s+"
    r"(?P<version>v\d+\.\d+\.\d+)\s*$"
)
SEVERITIES = ("Unknown", "Informational", "Low", "Medium", "High")


def load_workflow(path: Path) -> dict[str, Any]:
    data: dict[Any, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return list(job.get("steps", []))


def zizmor(folder: Path, *extra: str) -> list[dict[str, Any]]:
    """zizmor's findings (JSON) on a folder of workflows, offline and without any config that could mute it."""
    result = subprocess.run(
        [str(ZIZMOR), "--offline", "--no-config", "--format", "json", *extra, str(folder)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode in (0, 10, 11, 12, 13, 14), result.stderr  # 1x: findings up to that severity
    for path in folder.glob("*.yml"):
        assert f"completed {path}" in result.stderr, f"zizmor did not audit {path.name}"
    findings: list[dict[str, Any]] = json.loads(result.stdout)
    return findings


def serious(findings: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    return [
        (f["ident"], f["determinations"]["severity"], f["locations"][0]["concrete"]["feature"])
        for f in findings
        if SEVERITIES.index(f["determinations"]["severity"]) >= SEVERITIES.index("Medium")
    ]


# --- zizmor ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["regular", "auditor"])
def test_zizmor_finds_nothing_of_medium_or_higher_severity(persona: str) -> None:
    assert ZIZMOR.is_file(), "zizmor mangler: kør bash scripts/setup"
    assert serious(zizmor(WORKFLOW_DIR, "--persona", persona)) == []


def test_no_workflow_mutes_zizmor() -> None:
    for path in WORKFLOWS:
        assert "zizmor:" not in path.read_text(encoding="utf-8"), path.name
    assert not (ROOT / "zizmor.yml").exists() and not (ROOT / ".github" / "zizmor.yml").exists()


def test_zizmor_would_catch_the_old_mistakes(tmp_path: Path) -> None:
    """The harness itself: an unpinned action, a persisted token and `${{ }}` in `run:` are reported."""
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    (folder / "slem.yml").write_text(
        "name: Slem\non:\n  issues:\n    types: [opened]\npermissions:\n  contents: write\njobs:\n  x:\n"
        "    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n"
        '      - run: echo "${{ github.event.issue.title }}"\n',
        encoding="utf-8",
    )
    found = {ident for ident, _, _ in serious(zizmor(folder, "--persona", "auditor"))}
    assert {"unpinned-uses", "artipacked", "template-injection"} <= found


# --- pinning, timeouts, permissions ------------------------------------------------------------------------------


def test_every_action_is_pinned_to_a_full_commit_with_its_version() -> None:
    seen = 0
    for path in WORKFLOWS:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.match(r"^\s*(-\s+)?uses:", line):
                assert PINNED.match(line), f"{path.name}:{number}: pin to a 40-hex commit + '# vX.Y.Z': {line}"
                seen += 1
    assert seen >= 12


def test_the_same_action_is_pinned_to_the_same_commit_everywhere() -> None:
    pins: dict[str, set[tuple[str, str]]] = {}
    for path in WORKFLOWS:
        for line in path.read_text(encoding="utf-8").splitlines():
            match = PINNED.match(line)
            if match:
                pins.setdefault(match["action"], set()).add((match["sha"], match["version"]))
    assert pins and all(len(versions) == 1 for versions in pins.values()), pins


def test_every_job_has_a_timeout_and_its_own_permissions() -> None:
    for path in WORKFLOWS:
        data = load_workflow(path)
        assert data["permissions"] == {}, f"{path.name}: nothing at the top; each job asks for what it needs"
        for name, job in data["jobs"].items():
            assert isinstance(job.get("timeout-minutes"), int) and 0 < job["timeout-minutes"] <= 60, (path.name, name)
            assert isinstance(job.get("permissions"), dict) and job["permissions"], (path.name, name)
            assert set(job["permissions"].values()) <= {"read", "write"}, (path.name, name)


def test_only_jobs_that_push_keep_no_token_and_jobs_that_install_only_read() -> None:
    """Every checkout drops the token; a job that runs our code or installs packages has no write right."""
    for path in WORKFLOWS:
        for name, job in load_workflow(path)["jobs"].items():
            writes = {scope for scope, level in job["permissions"].items() if level == "write"}
            runs = " ".join(s.get("run", "") for s in steps(job))
            for step in steps(job):
                if step.get("uses", "").startswith("actions/checkout@"):
                    assert step.get("with", {}).get("persist-credentials") is False, (path.name, name)
            installs = any(word in runs for word in ("scripts/setup", "pip ", ".venv/", "scripts/test", "mkdocs"))
            if installs:
                assert writes == set(), f"{path.name}: {name} runs installed code and may write {writes}"
            if writes & {"contents", "pull-requests"}:
                assert not installs and "python" not in runs, (path.name, name)
                uses = {s["uses"].split("@")[0] for s in steps(job) if "uses" in s}
                assert uses <= {"actions/checkout", "actions/download-artifact"}, (path.name, name, uses)


def test_untrusted_text_never_reaches_a_shell_through_an_expression() -> None:
    for path in WORKFLOWS:
        raw = path.read_text(encoding="utf-8")
        assert "pull_request_target" not in raw and "workflow_run" not in raw, path.name
        assert "write-all" not in raw and "read-all" not in raw
        for job in load_workflow(path)["jobs"].values():
            for step in steps(job):
                assert "${{" not in step.get("run", ""), f"{path.name}: {step.get('name')}: use env:, not ${{{{ }}}}"


# --- the three workflows --------------------------------------------------------------------------------------


def test_pull_request_check_is_read_only_and_uploads_the_site() -> None:
    data = load_workflow(WORKFLOW_DIR / "tjek.yml")
    assert list(data["on"]) == ["pull_request"]
    job = data["jobs"]["tjek"]
    assert job["permissions"] == {"contents": "read"}
    assert any("frisaettelse tjek --format github" in s.get("run", "") for s in steps(job))
    upload = next(s for s in steps(job) if s.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["with"]["path"] == "site" and "steps.byg.outcome == 'success'" in upload["if"]


def test_issue_workflow_converts_read_only_and_a_small_job_opens_the_pull_request() -> None:
    data = load_workflow(WORKFLOW_DIR / "ny-historie.yml")
    assert data["on"] == {"issues": {"types": ["labeled"]}}
    convert_job, pr_job = data["jobs"]["lav-historie"], data["jobs"]["aabn-pull-request"]
    assert convert_job["if"] == "github.event.label.name == 'ny-historie'"
    assert convert_job["permissions"] == {"contents": "read", "issues": "read"}
    assert pr_job["permissions"] == {"contents": "write", "pull-requests": "write"}
    assert pr_job["needs"] == "lav-historie"

    convert = next(s for s in steps(convert_job) if "fra-issue" in s.get("run", ""))
    assert convert["env"]["BODY"] == "${{ github.event.issue.body }}"
    assert "printf '%s' \"$BODY\" | .venv/bin/python -m frisaettelse fra-issue" in convert["run"]
    upload = next(s for s in steps(convert_job) if s.get("uses", "").startswith("actions/upload-artifact@"))
    download = next(s for s in steps(pr_job) if s.get("uses", "").startswith("actions/download-artifact@"))
    assert upload["with"]["name"] == download["with"]["name"] == "historie"

    publish = next(s for s in steps(pr_job) if "gh pr create" in s.get("run", ""))
    assert publish["env"]["FILE"] == "${{ needs.lav-historie.outputs.fil }}"
    assert convert_job["outputs"]["fil"] == "${{ steps.historie.outputs.fil }}"
    assert r"^cases/[a-z0-9][a-z0-9-]*\.md$" in publish["run"]  # the path is checked before it is used
    assert "GIT_CONFIG_VALUE_0" in publish["run"] and "git push --force origin" in publish["run"]


def test_the_file_name_check_in_the_issue_workflow_refuses_paths_outside_cases(tmp_path: Path) -> None:
    run = next(
        s
        for s in steps(load_workflow(WORKFLOW_DIR / "ny-historie.yml")["jobs"]["aabn-pull-request"])
        if "gh pr create" in s.get("run", "")
    )["run"]
    guard = run.split("cp --")[0]
    for name, ok in [
        ("cases/fri-fra-skemaet.md", True),
        ("cases/../.github/workflows/x.md", False),
        (".github/workflows/x.yml", False),
        ("cases/x.md\n", False),
        ("cases/-x.md", False),
        ("cases/x.md; rm -rf /", False),
        ("cases/sub/x.md", False),
    ]:
        result = subprocess.run(
            ["bash", "-c", guard],
            env={"FILE": name, "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
        assert (result.returncode == 0) is ok, name


def test_publishing_builds_read_only_and_only_the_record_job_pushes() -> None:
    data = load_workflow(WORKFLOW_DIR / "udgiv.yml")
    jobs = data["jobs"]
    assert jobs["byg"]["permissions"] == {"contents": "read", "pages": "read"}
    assert jobs["udgiv"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert jobs["registrer"]["permissions"] == {"contents": "write"}
    assert "git push origin" in " ".join(s.get("run", "") for s in steps(jobs["registrer"]))
    build = next(s for s in steps(jobs["byg"]) if "mkdocs build" in s.get("run", ""))
    assert build["env"]["REPO_URL"] == "${{ github.server_url }}/${{ github.repository }}"  # this repository
    assert build["env"]["SITE_URL"] == "${{ steps.pages.outputs.base_url }}/"


def test_pull_request_template_is_a_danish_checklist() -> None:
    text = (ROOT / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    assert text.count("- [ ]") >= 5
    assert "ingen navne" in text and "CPR-numre" in text and "samtykke" in text


# --- the privacy loop: an issue refused for personal data is labelled and its author told -------------------------

ISSUE_TEXT = ("github.event.issue.body", "github.event.issue.title", "github.event.comment", "github.event.issue.user")


def test_a_refusal_for_personal_data_reaches_a_small_job_that_only_writes_to_issues() -> None:
    data = load_workflow(WORKFLOW_DIR / "ny-historie.yml")
    convert_job = data["jobs"]["lav-historie"]
    assert convert_job["outputs"]["personoplysninger"] == "${{ steps.historie.outputs.personoplysninger }}"
    labelled = [n for n, j in data["jobs"].items() if j["permissions"].get("issues") == "write"]
    assert labelled == ["personoplysninger"], labelled
    job = data["jobs"]["personoplysninger"]
    assert job["permissions"] == {"issues": "write"}
    assert job["needs"] == "lav-historie"
    assert "needs.lav-historie.outputs.personoplysninger == 'ja'" in job["if"] and "always()" in job["if"]
    for step in steps(job):
        assert "uses" not in step, "no checkout and no action: nothing runs but gh with fixed text"
        assert not any(part in str(step) for part in ISSUE_TEXT), step.get("name")
        values = " ".join(str(v) for v in step.get("env", {}).values())
        assert set(re.findall(r"\$\{\{\s*([^}]+?)\s*\}\}", values)) <= {
            "github.token",
            "github.repository",
            "github.event.issue.number",
        }
        assert "python" not in step["run"] and ".venv" not in step["run"] and "scripts/" not in step["run"]
    runs = " ".join(s["run"] for s in steps(job))
    assert "gh issue comment" in runs and "--add-label personoplysninger" in runs


@pytest.mark.parametrize(("exit_code", "flagged"), [(3, True), (1, False), (0, False)])
def test_the_convert_step_flags_only_a_refusal_for_personal_data(tmp_path: Path, exit_code: int, flagged: bool) -> None:
    """The step's own shell, with a stand-in converter that exits as `fra-issue` does."""
    step = next(
        s
        for s in steps(load_workflow(WORKFLOW_DIR / "ny-historie.yml")["jobs"]["lav-historie"])
        if "fra-issue" in s.get("run", "")
    )
    python = tmp_path / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text(f"#!/bin/sh\ncat > /dev/null\necho cases/x.md\nexit {exit_code}\n", encoding="utf-8")
    python.chmod(0o755)
    output, summary = tmp_path / "output", tmp_path / "summary"
    result = subprocess.run(
        ["bash", "-e", "-c", step["run"]],
        cwd=tmp_path,
        env={
            "PATH": "/usr/bin:/bin",
            "BODY": "### Titel\n\nx",
            "ISSUE": "7",
            "GITHUB_OUTPUT": str(output),
            "GITHUB_STEP_SUMMARY": str(summary),
        },
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    )
    assert (result.returncode == 0) is (exit_code == 0), result.stderr
    written = output.read_text(encoding="utf-8") if output.exists() else ""
    assert ("personoplysninger=ja" in written.splitlines()) is flagged
