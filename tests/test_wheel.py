"""The wheel installs under one package of its own: `sijill` (sijill.db, sijill.desktop, sijill.resources),
never top-level `db`, `desktop` or `resources`, which would clash with other software."""
from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_wheel_holds_one_top_level_package_with_its_data(tmp_path):
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                            "--quiet", "-w", str(tmp_path), str(ROOT)], capture_output=True, text=True,
                           timeout=300)
    assert built.returncode == 0, built.stderr
    wheel = next(tmp_path.glob("sijill-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    top = {n.split("/", 1)[0] for n in names}
    assert {t for t in top if not t.endswith(".dist-info")} == {"sijill"}
    assert "sijill/db/store/project.py" in names and "sijill/desktop/app.py" in names
    assert "sijill/resources/demo.json" in names
    assert "sijill/resources/map/naturalearth-boundaries.json.gz" in names
    assert any(n.startswith("sijill/resources/icons/") and n.endswith(".svg") for n in names)
    entry = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "sijill = sijill.desktop.app:main" in zipfile.ZipFile(wheel).read(entry).decode()
