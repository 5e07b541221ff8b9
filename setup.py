"""Packaging: the folders store/, tui/ and seeds/ install as hamish.store, hamish.tui, hamish.seeds.

The repository keeps the top-level folders the design fixes, while the installed distribution claims
one import name, ``hamish`` (a namespace package). setuptools finds every package below those
folders; nothing is listed by hand. Metadata lives in pyproject.toml.
"""

from setuptools import find_packages, setup

FOLDERS = ("store", "tui")
found = find_packages(include=[*FOLDERS, *(f"{name}.*" for name in FOLDERS)])

setup(
    # seeds/ holds only the bundled articles (data, no __init__.py): a namespace package.
    packages=[*(f"hamish.{name}" for name in found), "hamish.seeds"],
    package_dir={f"hamish.{name}": name for name in (*FOLDERS, "seeds")},
)
