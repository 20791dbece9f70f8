#!/bin/sh
# run.sh SECONDS SRCDIR PROG...: what `make fuzz` does. Runs each libFuzzer
# harness for SECONDS on a scratch copy of its seed corpus and regression
# inputs (the source tree is never written), prints one line per harness
# (execs, exec/s, coverage at start -> end, corpus size), and fails if any
# harness crashed, hung or reported a sanitizer error; its scratch directory,
# with the input that did it, is kept and named.
secs=$1
srcdir=$2
shift 2
failed=0
for prog in "$@"; do
	name=${prog##*/fuzz_}
	work=$(mktemp -d "${TMPDIR:-/tmp}/whytop-fuzz-$name.XXXXXX") || exit 1
	mkdir "$work/corpus"
	for d in "$srcdir/tests/fuzz/corpus/$name" "$srcdir/tests/fuzz/regress/$name"; do
		[ -d "$d" ] && cp "$d"/* "$work/corpus/" 2>/dev/null
	done
	"$prog" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$work/" "$work/corpus" >"$work/log" 2>&1
	rc=$?
	line=$(awk -v name="$name" '
		/^stat::number_of_executed_units:/ { execs = $2 }
		/^stat::average_exec_per_sec:/ { rate = $2 }
		/^#[0-9]+\t/ {
			for (i = 1; i < NF; i++) {
				if ($i == "cov:") cov = $(i + 1)
				if ($i == "ft:") ft = $(i + 1)
				if ($i == "corp:") { corp = $(i + 1); sub(/\/.*/, "", corp) }
			}
			if ($2 == "INITED") { cov0 = cov; ft0 = ft; corp0 = corp }
		}
		END {
			printf "%s: %s execs (%s/s), cov %s -> %s, ft %s -> %s, corpus %s -> %s\n",
			    name, execs, rate, cov0, cov, ft0, ft, corp0, corp
		}' "$work/log")
	if [ "$rc" -ne 0 ]; then
		echo "$line: FAILED (exit $rc); log and input in $work"
		grep -m 3 -E 'ERROR|runtime error|Test unit written' "$work/log" | sed 's/^/    /'
		failed=1
	else
		echo "$line"
		rm -rf "$work"
	fi
done
exit $failed
