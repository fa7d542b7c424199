#!/usr/bin/env python3
"""Measure shipready against the real-repository corpus.

For each repository in corpus/manifest.toml: find its snapshot (a bare git dir brought by the `fetch` tool
under $SHIPREADY_MIRROR, default /work/.mirror, in a folder named `owner+name`), extract the pinned commit
into a cache outside the repository ($SHIPREADY_CORPUS_CACHE, default ~/.cache/shipready-corpus/<name>), run
`shipready check <dir> --format json`, and compare the reported findings with corpus/expected/<name>.toml:

  found       an expected finding that was reported (same code, and same file when the entry names one)
  missed      an expected finding (not optional) that was not reported
  unexpected  a reported finding that matches no expected entry

Python 3.11 standard library only. Exit status 0 unless --strict and something is missed or unexpected.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

CORPUS = Path(__file__).resolve().parent
REPO_ROOT = CORPUS.parent


def mirror_root() -> Path:
    return Path(os.environ.get("SHIPREADY_MIRROR", "/work/.mirror"))


def cache_root() -> Path:
    env = os.environ.get("SHIPREADY_CORPUS_CACHE")
    if env:
        return Path(env)
    return Path.home() / ".cache" / "shipready-corpus"


def find_binary() -> Path | None:
    env = os.environ.get("SHIPREADY_BIN")
    if env:
        p = Path(env)
        return p if p.is_file() else None
    for rel in ("target/release/shipready", "target/debug/shipready"):
        p = REPO_ROOT / rel
        if p.is_file():
            return p
    return None


def is_git_dir(p: Path) -> bool:
    return (p / "HEAD").is_file() and (p / "objects").is_dir()


def find_git_dir(repo: str) -> Path | None:
    """The bare git dir of a snapshot of `owner/name`, or None."""
    base = mirror_root() / repo.replace("/", "+")
    if not base.is_dir():
        return None
    for cand in (base, base / "repo", base / "repo" / ".git", base / ".git"):
        if is_git_dir(cand):
            return cand
    # any nested git dir (a snapshot layout we do not know yet)
    for head in sorted(base.rglob("HEAD")):
        if is_git_dir(head.parent) and (head.parent / "refs").exists():
            return head.parent
    return None


def has_commit(git_dir: Path, commit: str) -> bool:
    r = subprocess.run(
        ["git", f"--git-dir={git_dir}", "cat-file", "-e", f"{commit}^{{commit}}"],
        capture_output=True,
    )
    return r.returncode == 0


def extract(git_dir: Path, commit: str, name: str) -> Path:
    """Extract `commit` into the cache (once); return the folder.

    Snapshots lack files of 4 MiB and more, so `git archive` can fail on a missing blob; then the tree is
    written file by file and missing blobs are left out.
    """
    dest = cache_root() / name
    # The stamp sits beside the tree, not in it, so shipready never sees it.
    stamp = cache_root() / f"{name}.commit"
    if stamp.is_file() and stamp.read_text().strip() == commit:
        return dest
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    archive = subprocess.Popen(
        ["git", f"--git-dir={git_dir}", "archive", "--format=tar", commit],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    tar = subprocess.run(["tar", "-x", "-C", str(dest)], stdin=archive.stdout, capture_output=True)
    archive.stdout.close()
    if archive.wait() != 0 or tar.returncode != 0:
        shutil.rmtree(dest, ignore_errors=True)
        dest.mkdir(parents=True)
        extract_blobs(git_dir, commit, dest)
    stamp.write_text(commit + "\n")
    return dest


def extract_blobs(git_dir: Path, commit: str, dest: Path) -> None:
    """Write every regular file of `commit` under `dest`, skipping blobs the snapshot does not hold."""
    ls = subprocess.run(
        ["git", f"--git-dir={git_dir}", "ls-tree", "-r", "-z", "--full-tree", commit],
        capture_output=True,
        check=True,
    )
    entries = []
    for rec in ls.stdout.split(b"\0"):
        if not rec:
            continue
        meta, path = rec.split(b"\t", 1)
        mode, kind, sha = meta.split()
        if kind == b"blob" and mode in (b"100644", b"100755"):
            entries.append((sha.decode(), path.decode("utf-8", "surrogateescape")))
    batch = subprocess.Popen(
        ["git", f"--git-dir={git_dir}", "cat-file", "--batch"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    root = dest.resolve()
    for sha, path in entries:
        batch.stdin.write(sha.encode() + b"\n")
        batch.stdin.flush()
        header = batch.stdout.readline().split()
        if len(header) < 3 or header[1] == b"missing":
            continue
        data = batch.stdout.read(int(header[2]))
        batch.stdout.read(1)  # the newline after the contents
        target = (dest / path).resolve()
        if root not in target.parents:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    batch.stdin.close()
    batch.wait()


def run_shipready(binary: Path, workdir: Path) -> dict:
    r = subprocess.run(
        [str(binary), "check", str(workdir), "--format", "json"],
        capture_output=True,
        text=True,
    )
    # check exits non-zero for a low score only with --min-score; 2 is a usage error.
    if r.returncode == 2 or not r.stdout.strip():
        raise RuntimeError(f"shipready failed (exit {r.returncode}): {r.stderr.strip()[:500]}")
    return json.loads(r.stdout)


def reported_findings(report: dict) -> list[tuple[str, str | None]]:
    """(code, file) pairs, deduplicated, in report order."""
    raw = report.get("findings")
    if not raw:
        raw = []
        for unit in report.get("units") or []:
            raw.extend(unit.get("findings") or [])
    seen: set[tuple[str, str | None]] = set()
    out: list[tuple[str, str | None]] = []
    for f in raw:
        key = (f.get("code"), f.get("file"))
        if key not in seen:
            seen.add(key)
            out.append(key)
    return out


def load_expected(name: str) -> dict:
    path = CORPUS / "expected" / f"{name}.toml"
    if not path.is_file():
        return {"finding": []}
    with path.open("rb") as fh:
        return tomllib.load(fh)


def entry_matches(entry: dict, code: str, file: str | None) -> bool:
    if entry.get("code") != code:
        return False
    want = entry.get("file")
    return want is None or want == file


def compare(expected: list[dict], reported: list[tuple[str, str | None]]) -> dict:
    found, missed, optional_absent = [], [], []
    for e in expected:
        if any(entry_matches(e, c, f) for c, f in reported):
            found.append(e)
        elif e.get("optional"):
            optional_absent.append(e)
        else:
            missed.append(e)
    unexpected = [
        {"code": c, "file": f} for c, f in reported if not any(entry_matches(e, c, f) for e in expected)
    ]
    return {
        "found": found,
        "missed": missed,
        "unexpected": unexpected,
        "optional_absent": optional_absent,
    }


def fmt_entry(e: dict) -> str:
    where = e.get("file") or "(any file)"
    why = e.get("why")
    return f"{e['code']} {where}" + (f"  -- {why}" if why else "")


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-v", "--verbose", action="store_true", help="list each missed and unexpected finding")
    ap.add_argument("--only", metavar="NAME", action="append", help="run only this repository (repeatable)")
    ap.add_argument("--json", action="store_true", help="print a machine-readable summary")
    ap.add_argument("--strict", action="store_true", help="exit 1 when anything is missed or unexpected")
    args = ap.parse_args(argv)

    with (CORPUS / "manifest.toml").open("rb") as fh:
        manifest = tomllib.load(fh)
    repos = manifest.get("repo", [])
    if args.only:
        unknown = set(args.only) - {r["name"] for r in repos}
        if unknown:
            print(f"unknown repository name(s): {', '.join(sorted(unknown))}", file=sys.stderr)
            return 2
        repos = [r for r in repos if r["name"] in args.only]

    binary = find_binary()
    results = []
    log = sys.stderr if args.json else sys.stdout
    for r in repos:
        name, repo, commit = r["name"], r["repo"], r["commit"]
        git_dir = find_git_dir(repo)
        if git_dir is None:
            print(f"skip {name}: no snapshot (fetch {repo})", file=log)
            continue
        if not has_commit(git_dir, commit):
            print(f"skip {name}: snapshot of {repo} lacks commit {commit[:12]} (fetch {repo} again)", file=log)
            continue
        if binary is None:
            print("no shipready binary: build it (cargo build --release) or set SHIPREADY_BIN", file=sys.stderr)
            return 0 if not args.strict else 1
        try:
            workdir = extract(git_dir, commit, name)
            report = run_shipready(binary, workdir)
        except (RuntimeError, json.JSONDecodeError) as exc:
            print(f"error {name}: {exc}", file=log)
            results.append({"name": name, "error": str(exc)})
            continue
        expected = load_expected(name).get("finding", [])
        res = compare(expected, reported_findings(report))
        res.update(name=name, shape=r.get("shape", ""), score=report.get("overall"))
        results.append(res)

    ok = [x for x in results if "error" not in x]
    tot = {k: sum(len(x[k]) for x in ok) for k in ("found", "missed", "unexpected")}

    if args.json:
        summary = {
            "binary": str(binary) if binary else None,
            "repos": [
                {
                    "name": x["name"],
                    "error": x["error"],
                }
                if "error" in x
                else {
                    "name": x["name"],
                    "shape": x["shape"],
                    "score": x["score"],
                    "found": len(x["found"]),
                    "missed": len(x["missed"]),
                    "unexpected": len(x["unexpected"]),
                    "missed_items": [{"code": e["code"], "file": e.get("file")} for e in x["missed"]],
                    "unexpected_items": x["unexpected"],
                }
                for x in results
            ],
            "total": tot,
        }
        print(json.dumps(summary, indent=2))
    else:
        if results:
            w = max(len(x["name"]) for x in results)
            w = max(w, len("repository"))
            print(f"{'repository':<{w}}  {'score':>6}  {'found':>5}  {'missed':>6}  {'unexpected':>10}")
            for x in results:
                if "error" in x:
                    print(f"{x['name']:<{w}}  error: {x['error'][:80]}")
                    continue
                score = "-" if x["score"] is None else f"{x['score']:.2f}"
                print(
                    f"{x['name']:<{w}}  {score:>6}  {len(x['found']):>5}  {len(x['missed']):>6}  "
                    f"{len(x['unexpected']):>10}"
                )
            print(f"{'TOTAL':<{w}}  {'':>6}  {tot['found']:>5}  {tot['missed']:>6}  {tot['unexpected']:>10}")
        else:
            print("no snapshot present: nothing measured")
        if args.verbose:
            for x in ok:
                if not (x["missed"] or x["unexpected"]):
                    continue
                print(f"\n## {x['name']}")
                for e in x["missed"]:
                    print(f"  missed      {fmt_entry(e)}")
                for u in x["unexpected"]:
                    print(f"  unexpected  {u['code']} {u['file'] or '(no file)'}")

    if args.strict and (tot["missed"] or tot["unexpected"] or any("error" in x for x in results)):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
