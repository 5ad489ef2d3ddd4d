"""PySide6 6.12.0 on Python 3.11 aborted the interpreter ("none_dealloc") after ~1000
QGraphicsItem.setPos() calls. Run the pattern in a child process, where an abort cannot take
the test session down with it."""
from __future__ import annotations

import os
import subprocess
import sys

import PySide6

SCRIPT = """
from PySide6.QtWidgets import QApplication, QGraphicsRectItem, QGraphicsScene
app = QApplication([])
scene = QGraphicsScene()
item = QGraphicsRectItem(0, 0, 10, 10)
scene.addItem(item)
for i in range(5000):
    item.setPos(i % 300, i % 200)
assert item.pos().x() == 4999 % 300
print("ok")
"""


def test_pyside_is_not_the_release_that_aborts_on_setpos():
    assert PySide6.__version__ != "6.12.0"


def test_five_thousand_setpos_calls_do_not_abort_the_interpreter():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().endswith("ok")
