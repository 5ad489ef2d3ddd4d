"""Sijill: an offline timeline and evidence register for conflict analysts.

One package, so that an installed Sijill sits beside any other software: `sijill.db` is the Qt-free core
(the only code that touches SQLite), `sijill.desktop` the PySide6 application, `sijill.resources` the demo
project, icons and style (data, no code).
"""
