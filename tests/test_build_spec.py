"""build.spec (the offline bundle) stays in step with the code without building it (`make dist-test`
builds it and runs the self-test inside; CI does): the Qt modules it leaves out are imported nowhere,
and what it reads from pyproject.toml is there."""
from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "build.spec"


def spec_constant(name: str):
    tree = ast.parse(SPEC.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            return ast.literal_eval(node.value)
    raise AssertionError(f"build.spec has no {name}")


def test_the_qt_modules_the_bundle_leaves_out_are_not_imported():
    left_out = set(spec_constant("UNUSED_QT"))
    used = set()
    for folder in ("db", "desktop"):
        for path in (ROOT / "sijill" / folder).rglob("*.py"):
            used |= set(re.findall(r"PySide6\.(Qt\w+)", path.read_text(encoding="utf-8")))
            used |= {m for line in re.findall(r"from PySide6 import ([^\n]+)", path.read_text(encoding="utf-8"))
                     for m in re.findall(r"Qt\w+", line)}
    assert used, "no Qt module found: the scan is broken"
    assert not used & left_out, f"imported but left out of the bundle by build.spec: {sorted(used & left_out)}"


def test_the_spec_finds_name_version_and_entry_point_in_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["scripts"][project["name"]] == "sijill.desktop.app:main"
    assert re.fullmatch(r"\d+\.\d+\.\d+\S*", project["version"])
    assert any(d.startswith("pyinstaller==") for d in project["optional-dependencies"]["dist"])


def test_the_bundle_carries_every_format_module_the_registry_loads():
    text = SPEC.read_text(encoding="utf-8")
    assert "IMPORTS.values()" in text and "EXPORTS.values()" in text  # hiddenimports from the registry
    from sijill.db.formats.registry import EXPORTS, IMPORTS

    for fmt in (*IMPORTS.values(), *EXPORTS.values()):
        assert fmt.module.split(".")[:2] in (["sijill", "db"], ["sijill", "desktop"]), fmt.module  # collected with collect_submodules
