#!/usr/bin/env python3
"""Validates Jupyter notebooks against nbformat's JSON schema (the version each declares).

Usage: validate-notebooks.py NOTEBOOK.ipynb...   exit 0 when every one is valid, 1 otherwise.
Needs nbformat (`pip install nbformat`; scripts/install-deps installs it).
"""
import copy
import json
import sys

import nbformat
from nbformat.validator import ValidationError, validate


def main(paths):
    if not paths:
        print("no notebooks given", file=sys.stderr)
        return 1
    failed = 0
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            notebook = json.load(handle)
        checked = copy.deepcopy(notebook)
        try:
            validate(checked, version=notebook.get("nbformat"), version_minor=notebook.get("nbformat_minor"))
        except ValidationError as error:
            failed += 1
            print(f"{path}: invalid: {error.message}", file=sys.stderr)
            continue
        if checked != notebook:
            # Some nbformat versions repair what they validate (duplicate cell ids): that is a fault too.
            failed += 1
            print(f"{path}: invalid: nbformat had to repair it", file=sys.stderr)
            continue
        print(f"{path}: valid nbformat {notebook['nbformat']}.{notebook['nbformat_minor']} (nbformat {nbformat.__version__})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
