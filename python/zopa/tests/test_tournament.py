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


class Conceder(zopa.Negotiator):
    """Concedes linearly from its best outcome to its reservation value."""

    def target(self, state):
        best = state.utility(state.best())
        return best - (best - state.reservation) * state.time

    def propose(self, state):
        return state.near(self.target(state))

    def respond(self, state, offer):
        return "accept" if state.utility(offer) >= self.target(state) else "reject"


class Broken(zopa.Negotiator):
    def propose(self, state):
        raise RuntimeError("broken on purpose")

    def respond(self, state, offer):
        return "reject"


def test_python_negotiators_play_in_tournaments_and_a_broken_one_fails_alone(tmp_path, pyarrow):
    db = tmp_path / "py.sqlite"
    config = dict(SMALL, strategies=["boulware", "micro", Conceder, Broken])
    summary = zopa.tournament(config, db=db, jobs=2)
    assert summary["ran"] == summary["total"] == 2 * 2 * 12
    rows = zopa.results(db).negotiations.to_pylist()
    assert len(rows) == summary["total"]

    def plays(r, label):
        return label in (r["strategy_first"], r["strategy_second"])

    broken = [r for r in rows if plays(r, "python:Broken")]
    assert broken and all(r["end"] == "error" for r in broken)
    assert all("python:Broken" in r["error"] and "broken on purpose" in r["error"] for r in broken)
    others = [r for r in rows if not plays(r, "python:Broken")]
    assert others and all(r["end"] != "error" for r in others)
    assert any(r["end"] == "agreement" for r in others if plays(r, "python:Conceder"))
    # Resuming finds every negotiation stored, Python ones included.
    again = zopa.tournament(config, db=db)
    assert again["ran"] == 0


def test_the_rust_rows_of_a_mixed_tournament_equal_a_rust_only_one(tmp_path, pyarrow):
    # A negotiation's row depends only on the plan and its id: adding a Python negotiator
    # leaves the rows of the Rust pairings as they were.
    rust = zopa.tournament(SMALL, db=tmp_path / "rust.sqlite")
    zopa.tournament(dict(SMALL, strategies=SMALL["strategies"] + [Conceder]), db=tmp_path / "mixed.sqlite")
    key = lambda r: r["id"]  # noqa: E731
    only = sorted(zopa.results(tmp_path / "rust.sqlite").negotiations.to_pylist(), key=key)
    mixed = {r["id"]: r for r in zopa.results(tmp_path / "mixed.sqlite").negotiations.to_pylist()}
    assert rust["total"] == len(only)
    for r in only:
        m = dict(mixed[r["id"]])
        assert {k: v for k, v in m.items() if k not in ("job", "time")} == {
            k: v for k, v in r.items() if k not in ("job", "time")
        }


def test_progress_true_draws_a_bar_or_a_line(tmp_path, capsys):
    summary = zopa.tournament(SMALL, db=tmp_path / "bar.sqlite", progress=True)
    err = capsys.readouterr().err
    assert f"{summary['total']}/{summary['total']}" in err
