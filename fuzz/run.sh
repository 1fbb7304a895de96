#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 60), one after the other, at the lowest
# priority. Not part of CI. Needs the nightly toolchain and cargo-fuzz:
#
#   rustup toolchain install nightly && cargo install cargo-fuzz --locked
#   fuzz/run.sh 600                      # every target, 10 minutes each
#   TARGETS="ktab_csv bdm_csv" fuzz/run.sh 120
#   FUZZ_ARGS="-fork=1 -ignore_crashes=1" fuzz/run.sh 600   # go on past the first crash
#   CORPUS_ONLY=1 fuzz/run.sh                                # only build fuzz/corpus/
#
# The corpus is built here, at run time, from ../shared/scenarios beside the repository
# (SHARED=/path/to/shared/scenarios to use another copy) plus fuzz/seeds and the repository's
# own scenarios; nothing of shared/ is committed. Crashing inputs go to
# fuzz/artifacts/<target>/ (crash-*, timeout-*, oom-*, slow-unit-*); see fuzz/README.md.
set -u

seconds="${1:-60}"
fuzz="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$fuzz")"
shared="${SHARED:-$root/../shared/scenarios}"
all="genius_domain genius_profile geniusweb_json negolog_json negmas_files native_toml convert_roundtrip ktab_csv ktab_xml bdm_csv tournament_toml"
targets="${TARGETS:-$all}"
# `none` is fastest: the crates forbid unsafe code, so AddressSanitizer has little to find.
sanitizer="${SANITIZER:-none}"
# Largest seed file copied into a corpus (huge ANAC 2014 files only slow the fuzzer down).
max_seed=65536
sep=$'\n%%FILE%%\n'

if [ ! -d "$shared" ]; then
  echo "no reference scenarios at $shared; set SHARED=…/shared/scenarios" >&2
  exit 2
fi

# Copies FILE into corpus folder DIR under a name made from its path.
seed() {
  local dir="$1" file="$2"
  [ -f "$file" ] || return 0
  [ "$(wc -c <"$file")" -le "$max_seed" ] || return 0
  local name
  name="$(printf '%s' "${file#"$shared"/}" | tr '/ ' '__')"
  cp "$file" "$dir/seed-$name"
}

# Joins FILE... into one input of corpus folder DIR, separated by `%%FILE%%` lines.
seed_joined() {
  local dir="$1" name="$2"
  shift 2
  local out="$dir/seed-$name" first=1 f
  : >"$out"
  for f in "$@"; do
    [ $first = 1 ] || printf '%s' "$sep" >>"$out"
    first=0
    cat "$f" >>"$out"
  done
  [ "$(wc -c <"$out")" -le $((max_seed * 4)) ] || rm -f "$out"
}

build_corpus() {
  local t="$1" dir="$fuzz/corpus/$1"
  mkdir -p "$dir"
  case "$t" in
    genius_domain)
      cp "$fuzz/companions/genius/domain.xml" "$dir/seed-companion-domain.xml"
      grep -rlZ --include='*.xml' '<negotiation_template' "$shared/NegotiatorGUI" "$shared/negmas-genius" |
        while IFS= read -r -d '' f; do seed "$dir" "$f"; done
      ;;
    genius_profile)
      cp "$fuzz/companions/genius/profile-b.xml" "$dir/seed-companion-profile-b.xml"
      grep -rLZ --include='*.xml' '<negotiation_template' "$shared/NegotiatorGUI" "$shared/negmas-genius" |
        while IFS= read -r -d '' f; do grep -q '<utility_space' "$f" && seed "$dir" "$f"; done
      ;;
    geniusweb_json)
      # A domain holds `issuesValues`; profiles embed their domain, so they hold it too.
      find "$shared" -name '*.json' -print0 | xargs -0 grep -l '"issuesValues"' |
        xargs grep -L 'LinearAdditiveUtilitySpace' | while read -r domain; do
        d="$(dirname "$domain")"
        mapfile -t profiles < <(grep -l 'LinearAdditiveUtilitySpace' "$d"/*.json)
        [ ${#profiles[@]} -ge 1 ] && seed_joined "$dir" "$(basename "$d")" "$domain" "${profiles[@]}"
      done
      ;;
    negolog_json)
      for d in "$shared"/NegoLog/domains/*/; do
        n="$(basename "$d")"
        seed_joined "$dir" "$n" "$d/profileA.json" "$d/profileB.json" "$d/specs.json"
        seed_joined "$dir" "$n-nospecs" "$d/profileA.json" "$d/profileB.json"
      done
      ;;
    negmas_files)
      # NegMAS writes its own files (`Scenario.dumpas`); without NegMAS the corpus stays empty.
      out="$(mktemp -d)"
      if python3 - "$shared" "$out" >/dev/null 2>&1 <<'PY'
import sys
from pathlib import Path
from negmas.inout import Scenario
from negmas.preferences import AffineUtilityFunction, LinearUtilityFunction
from negmas.preferences.generators import generate_multi_issue_ufuns
from negmas.outcomes import make_issue, make_os
shared, out = Path(sys.argv[1]), Path(sys.argv[2])
scenarios = []
for d in sorted(shared.glob("negmas-genius/anac/y201[0-3]/*"))[:8]:
    try:
        scenarios.append((d.name, Scenario.from_genius_folder(d)))
    except Exception:
        pass
num = [make_issue(5, "price"), make_issue((3, 6), "quantity"), make_issue((0.0, 1.0), "share")]
os_ = make_os(num, name="linear")
scenarios.append(("affine", Scenario(outcome_space=os_, ufuns=(
    AffineUtilityFunction(weights=[0.1, -0.05, 0.2], bias=0.5, outcome_space=os_, name="a", reserved_value=0.4),
    LinearUtilityFunction(weights=[-0.08, 0.1, 0.3], outcome_space=os_, name="b")))))
ufuns = generate_multi_issue_ufuns(3, sizes=(4, 3, 5), n_ufuns=3, numeric_prob=0.5, os_name="generated")
scenarios.append(("generated", Scenario(outcome_space=ufuns[0].outcome_space, ufuns=tuple(ufuns))))
for name, s in scenarios:
    if s is None:
        continue
    s.dumpas(out / name / "yml", type="yml")
    s.dumpas(out / name / "json", type="json")
PY
      then
        for d in "$out"/*/*/; do
          mapfile -t parts < <(find "$d" -type f \( -name '*.yml' -o -name '*.json' \) ! -name '_*' | sort)
          # Every JSON file starts with `{`: the target names the parts .json.
          [ ${#parts[@]} -ge 1 ] && seed_joined "$dir" "negmas-$(basename "$(dirname "$d")")-$(basename "$d")" "${parts[@]}"
        done
      fi
      rm -rf "$out"
      ;;
    native_toml | convert_roundtrip)
      cp "$fuzz"/seeds/native/*.toml "$dir/"
      find "$root/scenarios" "$root/examples" -name '*.toml' ! -name 'tournament*' -print0 2>/dev/null |
        while IFS= read -r -d '' f; do cp "$f" "$dir/seed-$(printf '%s' "${f#"$root"/}" | tr '/' '_')"; done
      # Shared scenarios converted to TOML by the zopa binary, when one is built.
      zopa="${ZOPA:-}"
      for c in "$root/target/release/zopa" "$root/target/debug/zopa"; do
        [ -z "$zopa" ] && [ -x "$c" ] && zopa="$c"
      done
      if [ -n "$zopa" ]; then
        for d in "$shared"/NegotiatorGUI/etc/templates/laptopdomain "$shared"/NegotiatorGUI/etc/templates/testIntDomain \
          "$shared"/NegoLog/domains/domain1 "$shared"/NegoLog/domains/domainBalancedHighOpp \
          "$shared"/negmas-genius/geniusweb/* "$shared"/negmas-genius/anac/y2010/* "$shared"/negmas-genius/anac/y2014/*; do
          [ -d "$d" ] || continue
          "$zopa" convert "$d" "$dir/seed-converted-$(basename "$d").toml" >/dev/null 2>&1 || true
        done
        find "$dir" -name 'seed-converted-*' -size +"$max_seed"c -delete
      fi
      ;;
    ktab_csv)
      find "$shared/ktab" -name '*.csv' -print0 | while IFS= read -r -d '' f; do
        third="$(head -n1 "$f" | tr -d '\r\357\273\277' | cut -d, -f3 | tr -d ' ')"
        [[ "$third" =~ ^[0-9]+$ ]] && seed "$dir" "$f"
      done
      ;;
    ktab_xml)
      find "$shared/ktab" -name '*.xml' -print0 | while IFS= read -r -d '' f; do seed "$dir" "$f"; done
      ;;
    bdm_csv)
      find "$shared/bdm" -name '*.csv' -print0 | while IFS= read -r -d '' f; do seed "$dir" "$f"; done
      ;;
    tournament_toml)
      cp "$fuzz"/seeds/tournament/*.toml "$dir/"
      [ -f "$root/examples/tournament.toml" ] && cp "$root/examples/tournament.toml" "$dir/seed-examples-tournament.toml"
      ;;
  esac
  echo "$t: $(find "$dir" -type f | wc -l) inputs in the corpus"
}

cd "$root" || exit 2
summary=()
for t in $targets; do
  build_corpus "$t"
  [ -n "${CORPUS_ONLY:-}" ] && continue
  log="$fuzz/artifacts/$t.log"
  mkdir -p "$fuzz/artifacts/$t"
  echo "== $t for ${seconds}s (log: $log)"
  # -a: debug assertions, so integer overflow panics; -timeout: one input may take 10 s;
  # -rss_limit_mb / -malloc_limit_mb: a single huge allocation is reported as an OOM.
  nice -n 19 cargo +nightly fuzz run --fuzz-dir "$fuzz" -s "$sanitizer" -a "$t" "$fuzz/corpus/$t" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -malloc_limit_mb=2048 \
    -print_final_stats=1 ${FUZZ_ARGS:-} >"$log" 2>&1
  rc=$?
  execs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -n1 | grep -o '[0-9]*$')"
  # -fork mode prints no final stats: take the last `#N:` status line.
  [ -n "$execs" ] || execs="$(grep -oE '^#[0-9]+' "$log" | tail -n1 | tr -d '#')"
  found="$(grep -oE '(crash|timeout|oom|slow-unit|leak)-[0-9a-f]+' "$log" | sort -u | tr '\n' ' ')"
  summary+=("$t: exit $rc, ${execs:-?} executions ${found:+— artifacts: $found}")
done

[ -n "${CORPUS_ONLY:-}" ] && exit 0
echo
echo "summary (${seconds}s per target):"
printf '  %s\n' "${summary[@]}"
echo "crashing inputs: $fuzz/artifacts/<target>/; reproduce with"
echo "  cargo +nightly fuzz run --fuzz-dir fuzz -s none -a <target> fuzz/artifacts/<target>/<file>"
