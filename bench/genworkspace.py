#!/usr/bin/env python3
"""Deterministic benchmark workspace: a monorepo of deployable units (FastAPI and Flask services, Python CDK
apps, a compose project, guides) padded with filler code, as real repositories are (most Python files name no
framework and are never parsed). The same seed and size give the same tree, byte for byte.

    bench/genworkspace.py OUT_DIR FILES [--seed N]

Unit 0 also holds `svc0000/app/routers/big.py`, a 10,000-line FastAPI route file (2,000 routes) for the
keystroke benchmark; its last line is a comment the benchmark types into.
"""

import argparse
import os
import random
import shutil

FILES_PER_UNIT = 50


def write(root, rel, text, counter):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    counter[0] += 1


def dockerfile(rng, module, multi_stage):
    base = rng.choice(["python:3.12-slim", "python:3.11-slim-bookworm", "python:3.12"])
    if multi_stage:
        return f"""# syntax=docker/dockerfile:1.7
# Build stage: wheels are built once, the runtime stage only installs them.
FROM {base} AS builder
WORKDIR /build
COPY requirements.txt .
RUN --mount=type=cache,target=/root/.cache/pip pip wheel --wheel-dir /wheels -r requirements.txt
RUN <<EOF
set -eux
apt-get update
apt-get install -y --no-install-recommends build-essential
rm -rf /var/lib/apt/lists/*
EOF

FROM {base}
ARG APP_VERSION=
ENV PYTHONUNBUFFERED=1 APP_VERSION=${{APP_VERSION}}
WORKDIR /srv
COPY --from=builder /wheels /wheels
RUN pip install --no-cache-dir /wheels/*
COPY app/ app/
USER 10001
EXPOSE 8000
HEALTHCHECK --interval=30s CMD curl -fsS http://localhost:8000/health || exit 1
CMD ["uvicorn", "{module}:app", "--host", "0.0.0.0", "--port", "8000"]
# keystrokes land on this line
"""
    return f"""# The service image: one stage, dependencies installed in place.
FROM {base}
WORKDIR /srv
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
EXPOSE 5000
CMD ["gunicorn", "-b", "0.0.0.0:5000", "{module}:app"]
# keystrokes land on this line
"""


def fastapi_unit(rng, root, unit, counter):
    write(root, f"{unit}/Dockerfile", dockerfile(rng, "app.main", multi_stage=True), counter)
    write(root, f"{unit}/requirements.txt", "fastapi==0.115.0\nuvicorn[standard]==0.30.0\nsqlalchemy==2.0.30\nredis==5.0.0\n", counter)
    routers = [f"r{i}" for i in range(rng.randint(2, 5))]
    imports = "".join(f"from app.routers import {r}\n" for r in routers)
    includes = "".join(f'app.include_router({r}.router, prefix=settings.API_PREFIX + "/{r}")\n' for r in routers)
    health = '\n@app.get("/health")\ndef health():\n    return {"status": "ok"}\n' if rng.random() < 0.6 else ""
    write(root, f"{unit}/app/main.py", f'''"""Entry point of the {unit} API."""
from fastapi import FastAPI

from app.core.config import settings
{imports}
app = FastAPI(title="{unit}")
{includes}{health}''', counter)
    write(root, f"{unit}/app/core/config.py", '''from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    API_PREFIX: str = "/api/v1"
    DATABASE_URL: str = "postgresql://localhost/app"
    REDIS_URL: str = "redis://localhost:6379/0"


settings = Settings()
''', counter)
    write(root, f"{unit}/app/db.py", '''from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from app.core.config import settings

engine = create_engine(settings.DATABASE_URL, pool_pre_ping=True)
SessionLocal = sessionmaker(bind=engine)
''', counter)
    for r in routers:
        body = "".join(
            f'\n@router.{rng.choice(["get", "post", "put", "delete"])}("/items{i}/{{item_id}}")\n'
            f"async def handler_{i}(item_id: int):\n    return {{\"id\": item_id, \"n\": {i}}}\n"
            for i in range(rng.randint(3, 12))
        )
        write(root, f"{unit}/app/routers/{r}.py", f"from fastapi import APIRouter\n\nrouter = APIRouter()\n{body}", counter)
    write(root, f"{unit}/app/__init__.py", "", counter)
    write(root, f"{unit}/app/routers/__init__.py", "", counter)
    return "app"


def flask_unit(rng, root, unit, counter):
    write(root, f"{unit}/Dockerfile", dockerfile(rng, "wsgi", multi_stage=False), counter)
    write(root, f"{unit}/requirements.txt", "flask==3.0.3\ngunicorn==22.0.0\n", counter)
    write(root, f"{unit}/compose.yaml", f"""# The {unit} service and its database.
x-env: &env
  LOG_LEVEL: info
services:
  web:
    build: .
    ports:
      - "5000:5000"
    environment:
      <<: *env
      DATABASE_URL: postgres://db/app
    depends_on:
      - db
    restart: unless-stopped
  db:
    image: postgres:16
    restart: no
# keystrokes land on this line
""", counter)
    write(root, f"{unit}/wsgi.py", "from app import create_app\n\napp = create_app()\n", counter)
    bps = [f"bp{i}" for i in range(rng.randint(1, 4))]
    regs = "".join(f"    from app.{b} import {b}\n    app.register_blueprint({b}, url_prefix='/{b}')\n" for b in bps)
    write(root, f"{unit}/app/__init__.py", f"from flask import Flask\n\n\ndef create_app():\n    app = Flask(__name__)\n{regs}    return app\n", counter)
    for b in bps:
        routes = "".join(
            f"\n@{b}.route('/r{i}', methods=['GET'])\ndef view_{i}():\n    return {{'n': {i}}}\n"
            for i in range(rng.randint(2, 8))
        )
        write(root, f"{unit}/app/{b}.py", f"from flask import Blueprint\n\n{b} = Blueprint('{b}', __name__)\n{routes}", counter)
    return "app"


def cdk_unit(rng, root, unit, counter):
    write(root, f"{unit}/cdk.json", '{\n  "app": "python3 app.py",\n  "context": {}\n}\n', counter)
    write(root, f"{unit}/requirements.txt", "aws-cdk-lib==2.150.0\nconstructs>=10.0.0\n", counter)
    stacks = [f"{name}Stack" for name in rng.sample(["Network", "Database", "Service", "Monitoring", "Pipeline", "Cache"], rng.randint(2, 5))]
    imports = "".join(f"from stacks.{s.lower()} import {s}\n" for s in stacks)
    inst = "".join(f'{s}(app, "{unit}-{s}")\n' for s in stacks)
    write(root, f"{unit}/app.py", f"import aws_cdk as cdk\n\n{imports}\napp = cdk.App()\n{inst}app.synth()\n", counter)
    for s in stacks:
        write(root, f"{unit}/stacks/{s.lower()}.py", f'''from aws_cdk import Stack, RemovalPolicy, aws_ec2 as ec2
from constructs import Construct


class {s}(Stack):
    def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.vpc = ec2.Vpc(self, "Vpc", max_azs=2)
''', counter)
    write(root, f"{unit}/stacks/__init__.py", "", counter)
    return "stacks"


def guide(rng, unit):
    sections = ["Prerequisites", "Environment Variables", "AWS Setup", "Deployment Steps", "Health Checks", "Rollback", "Troubleshooting"]
    keep = [s for s in sections if rng.random() < 0.8]
    body = "".join(
        f"\n## {s}\n\nRun the steps below for {unit}; the ECS service and RDS database are updated in place.\n\n```sh\nmake deploy SERVICE={unit}\n```\n"
        for s in keep
    )
    return f"# Deploying {unit}\n{body}\nKeystrokes land on this line.\n"


FILLER_KINDS = ["model", "util", "test", "js", "json", "txt"]


def filler(rng, i):
    kind = rng.choices(FILLER_KINDS, weights=[30, 30, 20, 8, 6, 6])[0]
    if kind in ("model", "util", "test"):
        funcs = "".join(
            f"\n\ndef {kind}_{i}_{j}(values, scale={j}):\n    \"\"\"Scale and sum the values ({j}).\"\"\"\n"
            f"    total = 0\n    for v in values:\n        total += v * scale\n    return total\n"
            for j in range(rng.randint(3, 20))
        )
        header = "import math\nfrom dataclasses import dataclass\n" if kind == "model" else "import itertools\n"
        cls = f"\n\n@dataclass\nclass Record{i}:\n    name: str\n    size: int = 0\n" if kind == "model" else ""
        name = f"tests/test_{i}.py" if kind == "test" else f"lib/{kind}_{i}.py"
        return name, f'"""{kind} module {i}."""\n{header}{cls}{funcs}'
    if kind == "js":
        return f"web/src/c{i}.js", f"export function c{i}(a, b) {{\n  return a + b * {i};\n}}\n"
    if kind == "json":
        return f"data/d{i}.json", '{"id": %d, "tags": ["a", "b"], "size": %d}\n' % (i, rng.randint(0, 999))
    return f"docs/notes/n{i}.txt", f"Note {i}: nothing to deploy here.\n"


def big_route_file(routes=2000):
    out = ['"""A large hand-written FastAPI service: 2,000 routes in one module."""',
           "from fastapi import APIRouter", "", "router = APIRouter()", ""]
    for i in range(routes):
        out += [f'@router.get("/things/{i}")', f"async def thing_{i}(q: str | None = None):", f'    return {{"id": {i}, "q": q}}', ""]
    while len(out) < 9_999:
        out.append("")
    out = out[:9_999] + ["# keystrokes land on this line"]
    return "\n".join(out) + "\n"


def generate(out, files, seed):
    rng = random.Random(seed)
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(out)
    counter = [0]
    units = max(1, files // FILES_PER_UNIT)
    makers = [fastapi_unit, fastapi_unit, flask_unit, cdk_unit]
    write(out, "README.md", f"# Monorepo\n\n{units} deployable units.\n", counter)
    for u in range(units):
        unit = f"svc{u:04d}"
        start = counter[0]
        code_dir = makers[u % len(makers)](rng, out, unit, counter)
        write(out, f"{unit}/DEPLOYMENT.md", guide(rng, unit), counter)
        if u == 0:
            write(out, f"{unit}/app/routers/big.py", big_route_file(), counter)
        i = 0
        while counter[0] - start < FILES_PER_UNIT:
            name, text = filler(rng, i)
            if name.startswith("lib/"):
                name = f"{code_dir}/{name}"
            write(out, f"{unit}/{name}", text, counter)
            i += 1
    return counter[0]


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out")
    p.add_argument("files", type=int)
    p.add_argument("--seed", type=int, default=10)
    a = p.parse_args()
    n = generate(a.out, a.files, a.seed)
    print(f"{a.out}: {n} files")


if __name__ == "__main__":
    main()
