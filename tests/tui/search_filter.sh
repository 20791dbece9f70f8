#!/bin/sh
# search_filter.sh: incremental search (/ and F3) selects the first
# matching process (Enter then opens it: its pid is in the title); the
# filter (\ and F4) leaves only matching rows, Esc clears it.
. "$SRCDIR/tests/tui/tui_lib.sh"

tui_sleeper "wtfm$TAG" 300
a=$T_PID
t_start "$T_TMP/wtfm$TAG" 301
b=$T_PID
tui_sleeper "wtot$TAG" 302
other=$T_PID

rows() {
	tui_screen | sed -n '/ PID[v^]* *USER/,$p' | awk '$1 ~ /^[0-9]+$/' | wc -l
}
# The test's own grep for a name matches a filter on it while it runs:
# count until such passers-by have left the screen.
rows_are() {
	[ "$(rows)" = "$1" ]
}

# Sorted by command: "... 300" comes before "... 301", whatever their pids.
tui_start -- -d 5 -s command
tui_ready

# Search: type, the match is selected; Enter keeps it; Enter opens it.
tui_keys /
tui_wait "Search:"
tui_type "wtfm$TAG"
tui_wait "Search: wtfm"
tui_keys Enter
tui_wait_gone "Search:"
tui_keys Enter
tui_wait "PID $a "
tui_wait "Overview"
tui_keys Escape
tui_wait "Load average:"

# F3 finds the next match: the second wtfm$TAG.
tui_keys F3
tui_wait "Search:"
tui_type "wtfm$TAG"
tui_keys F3
tui_wait "F3: next"
tui_keys Enter Enter
tui_wait "PID $b "
tui_keys Escape
tui_wait "Load average:"

# A filter nothing matches: said so.
tui_keys '\'
tui_type "no-such-process-anywhere"
tui_wait "No process matches the filter"
tui_keys Escape
tui_wait_gone "No process matches"

# Nothing matches: said so.
tui_keys /
tui_type "no-such-process-anywhere"
tui_wait "not found"
tui_keys Escape
tui_wait_gone "Search:"

# Filter: only the two wtfm$TAG rows are left.
tui_keys '\'
tui_wait "Filter:"
tui_type "wtfm$TAG"
tui_wait "Filter: wtfm$TAG"
tui_keys Enter
tui_wait "[filter: wtfm$TAG]"
t_wait_for 5 rows_are 2 || { tui_screen >&2; t_fail "filter left $(rows) rows, want 2"; }
tui_has "wtot$TAG" && t_fail "the filter kept a process that does not match"
tui_has "$T_TMP/wtfm$TAG 300" || t_fail "first match missing"
tui_has "$T_TMP/wtfm$TAG 301" || t_fail "second match missing"

# Esc clears the filter: the other process is back.
tui_keys Escape
tui_wait_gone "[filter:"
tui_keys F4
tui_type "wtot$TAG"
tui_wait "Filter: wtot$TAG"
tui_wait "$T_TMP/wtot$TAG 302"
t_wait_for 5 rows_are 1 || t_fail "filter on wtot$TAG should leave one row"
tui_keys Escape
tui_wait_gone "Filter:"
[ "$(rows)" -gt 3 ] || t_fail "Esc did not clear the filter"
tui_quit
: "$other"
