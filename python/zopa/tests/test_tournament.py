"""Tournaments from Python: run into SQLite as `zopa tournament run` does, read back as
pyarrow tables equal to `zopa tournament report --parquet`'s files."""

from __future__ import annotations

import pytest
import zopa


SMALL = {
    "seed": 1,
    "repetitions": 2,
    "rotate_roles": True,
    "self_play": False,
    "protocol": "sao",
    "rounds": 40,
    "scenarios": ["scenarios/examples/genius-job", "scenarios/examples/negmas-paint"],
    "strategies": ["boulware", "conceder:e=3", "micro"],
}


@pytest.fixture(scope="module")
def pyarrow():
    try:
        import pyarrow
    except ImportError:
        pytest.fail("pyarrow is missing: pip install pyarrow (zopa.results returns pyarrow tables)")
    return pyarrow


def test_a_tournament_file_runs_and_resumes(tmp_path, cli):
    db = tmp_path / "t.sqlite"
    seen = []
    summary = zopa.tournament("examples/tournament.toml", db=db, jobs=2,
                              progress=lambda done, total: seen.append((done, total)))
    assert summary["ran"] == summary["total"] > 0 and summary["skipped"] == 0
    assert seen and seen[-1] == (summary["total"], summary["total"])
    again = zopa.tournament("examples/tournament.toml", db=db)
    assert again["ran"] == 0 and again["skipped"] == summary["total"]
    # The CLI finds it complete: the same plan, the same rows.
    status, out, err = cli("tournament", "run", "examples/tournament.toml", "--db", str(db))
    assert status == 0, err
    assert f"{summary['total']} negotiations in {db}: 0 run now" in out


def test_results_equal_the_cli_parquet_export(tmp_path, cli, pyarrow):
    import pyarrow.parquet as pq

    db = tmp_path / "small.sqlite"
    zopa.tournament(SMALL, db=db, jobs=2)
    r = zopa.results(db)
    assert isinstance(r.negotiations, pyarrow.Table)
    assert r.negotiations.num_rows == r.info["total"] == r.info["stored"] == 2 * 2 * 6
    assert r.info["damaged"] == []
    assert {"boulware", "conceder:e=3", "micro"} <= set(r.leaderboard.column("strategy").to_pylist())
    status, _, err = cli("tournament", "report", str(db), "--parquet", str(tmp_path / "out"))
    assert status == 0, err
    negotiations, leaderboard, _ = zopa.results_parquet(db)
    assert negotiations == (tmp_path / "out" / "negotiations.parquet").read_bytes()
    assert leaderboard == (tmp_path / "out" / "leaderboard.parquet").read_bytes()
    assert r.leaderboard.equals(pq.read_table(tmp_path / "out" / "leaderboard.parquet"))


def test_tournament_errors_are_exceptions(tmp_path):
    with pytest.raises(zopa.ZopaError, match="protocol `mediated` is not supported"):
        zopa.tournament(dict(SMALL, protocol="mediated"), db=tmp_path / "x.sqlite")
    with pytest.raises(zopa.ZopaError, match="cannot read"):
        zopa.tournament("no-such-tournament.toml", db=tmp_path / "x.sqlite")
    with pytest.raises(zopa.ZopaError):
        zopa.results(tmp_path / "missing.sqlite")
