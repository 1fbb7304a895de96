"""Run a zopa tournament on a Dask cluster.

The tournament is split into N shards (`zopa tournament run FILE --shard I/N`); each shard is
one Dask task that runs the zopa binary on a worker and writes its own SQLite database; then
`zopa tournament merge` checks that the shards belong to one plan, refuses duplicates, reports
what is missing and writes the merged database. A `LocalCluster` is started when no scheduler
address is given.

    zopa-dask examples/tournament.toml --shards 8 --out results.sqlite [--scheduler tcp://host:8786]

Workers need the `zopa` binary (``--zopa PATH``, default: ``zopa`` on PATH) and the
tournament's scenario files at the same paths; shard databases go to ``--workdir`` (default:
next to the output), which must be shared storage on a real cluster.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

__all__ = ["run_shard", "run_tournament", "main"]


def run_shard(zopa: str, tournament: str, index: int, count: int, db: str, jobs: int = 1) -> str:
    """Runs shard `index` of `count` into `db` (resumable) and returns `db`."""
    cmd = [zopa, "tournament", "run", tournament, "--shard", f"{index}/{count}", "--db", db, "--jobs", str(jobs)]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"shard {index}/{count} failed: {done.stderr.strip()}")
    return db


def run_tournament(
    tournament: str | Path,
    out: str | Path,
    shards: int,
    *,
    zopa: str = "zopa",
    scheduler: str | None = None,
    workers: int = 2,
    workdir: str | Path | None = None,
    jobs_per_shard: int = 1,
) -> Path:
    """Runs every shard as a Dask task, then merges them into `out`. Returns `out`."""
    from dask.distributed import Client, LocalCluster

    tournament = str(Path(tournament).resolve())
    out = Path(out).resolve()
    workdir = Path(workdir).resolve() if workdir else out.parent / (out.stem + "-shards")
    workdir.mkdir(parents=True, exist_ok=True)
    cluster = None
    if scheduler is None:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    else:
        client = Client(scheduler)
    try:
        futures = [
            client.submit(run_shard, zopa, tournament, i, shards, str(workdir / f"shard-{i}.sqlite"), jobs_per_shard, pure=False)
            for i in range(shards)
        ]
        dbs = client.gather(futures)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    merged = subprocess.run([zopa, "tournament", "merge", str(out), *dbs], capture_output=True, text=True)
    if merged.returncode != 0:
        raise RuntimeError(f"merge failed: {merged.stderr.strip() or merged.stdout.strip()}")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="zopa-dask", description=__doc__.split("\n\n")[0])
    ap.add_argument("tournament")
    ap.add_argument("--out", required=True, help="merged SQLite database to create")
    ap.add_argument("--shards", type=int, default=4)
    ap.add_argument("--zopa", default="zopa", help="path of the zopa binary on the workers")
    ap.add_argument("--scheduler", default=None, help="Dask scheduler address; default: a LocalCluster")
    ap.add_argument("--workers", type=int, default=2, help="LocalCluster workers")
    ap.add_argument("--workdir", default=None, help="where shard databases go (shared storage on a cluster)")
    args = ap.parse_args(argv)
    try:
        out = run_tournament(args.tournament, args.out, args.shards, zopa=args.zopa, scheduler=args.scheduler,
                             workers=args.workers, workdir=args.workdir)
    except RuntimeError as e:
        # A shard or the merge failed: zopa's own message, without a traceback.
        print(f"zopa-dask: {e}", file=sys.stderr)
        return 2
    print(f"merged {args.shards} shards into {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
