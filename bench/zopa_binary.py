"""The zopa binary the bench scripts measure: the `dist` profile's (Cargo.toml: one codegen
unit, whole-program LTO), the build that is shipped. Built (or brought up to date; cargo does
nothing when it is) unless another binary is given with --zopa."""

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Where cargo puts it: CARGO_TARGET_DIR (relative to the repository, where cargo runs), or target/.
DEFAULT = ROOT / os.environ.get("CARGO_TARGET_DIR", "target") / "dist" / "zopa"


def add_argument(ap):
    """The scripts' --zopa option."""
    ap.add_argument("--zopa", default=None,
                    help="the zopa binary to measure (default: the dist build, built first)")


def resolve(given):
    """The binary to run: `given`, else the dist build, built now."""
    if given:
        return given
    subprocess.run(["cargo", "build", "--profile", "dist", "--locked", "-p", "zopa-cli"], cwd=ROOT, check=True)
    return str(DEFAULT)
