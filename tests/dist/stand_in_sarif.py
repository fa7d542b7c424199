#!/usr/bin/env python3
"""A stand-in for `shipready check --format sarif` until the SARIF format lands (issue 9, item 3): runs the real
binary ($SHIPREADY_REAL) with `--format json` and the same other arguments, and prints a minimal SARIF 2.1.0
log with the report's score and band in the run's properties, where the real format puts them. Its stderr and
exit status are the real binary's. tests/dist/integrations.py uses it to run action.yml's check and gate steps;
once `shipready check --help` lists `sarif`, the real binary runs instead and this file can go."""

import json
import os
import subprocess
import sys

argv = [a if a != "sarif" else "json" for a in sys.argv[1:]]
r = subprocess.run([os.environ["SHIPREADY_REAL"], *argv], capture_output=True, text=True)
sys.stderr.write(r.stderr)
if r.returncode in (0, 1):
    report = json.loads(r.stdout)
    log = {
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "shipready", "version": report["tool"]["version"]}},
            "results": [],
            "properties": {"score": report["overall"], "band": report["band"]},
        }],
    }
    json.dump(log, sys.stdout, indent=2)
    print()
sys.exit(r.returncode)
