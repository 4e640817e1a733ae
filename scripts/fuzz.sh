#!/usr/bin/env bash
# Runs every Go fuzz target of the module for FUZZTIME each (default 30s).
# A target fails only when the fuzzer saved a new failing input under
# testdata/fuzz/<target> (a crash); other fuzzer errors, such as the
# "context deadline exceeded" it can report on an overloaded machine, are
# listed but do not fail the run. Prints executions per target.
set -u
GO=${GO:-go}
FUZZTIME=${FUZZTIME:-30s}
crashes=0
summary=()
for pkg in $($GO list ./...); do
  dir=$($GO list -f '{{.Dir}}' "$pkg")
  for t in $($GO test -list '^Fuzz' "$pkg" 2>/dev/null | grep '^Fuzz' || true); do
    before=$(ls "$dir/testdata/fuzz/$t" 2>/dev/null | wc -l)
    echo "== $pkg $t ($FUZZTIME)"
    log=$(mktemp)
    $GO test "$pkg" -run '^$' -fuzz "^$t\$" -fuzztime "$FUZZTIME" 2>&1 | tee "$log" | tail -3
    after=$(ls "$dir/testdata/fuzz/$t" 2>/dev/null | wc -l)
    execs=$(grep -o 'execs: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo "?")
    status=ok
    if [ "$after" -gt "$before" ]; then
      status="CRASH (new input in $dir/testdata/fuzz/$t)"
      crashes=$((crashes + 1))
    elif ! grep -q '^PASS\|^ok' "$log"; then
      status="fuzzer error (no new failing input)"
    fi
    summary+=("$(printf '%-45s %-28s %10s execs  %s' "${pkg#github.com/iom-dtm/dtm/}" "$t" "$execs" "$status")")
    rm -f "$log"
  done
done
echo
echo "fuzz summary (FUZZTIME=$FUZZTIME):"
printf '%s\n' "${summary[@]}"
[ "$crashes" -eq 0 ]
