#!/bin/sh
# A C++ target: frames demangled (a class template method in a namespace,
# a lambda), with files and lines.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/cli/stack_lib.sh"
t_need_root

stk_start stk_cxx
run=$(stk_line stk_cxx.cc STK_RUN_LINE)
lam=$(stk_line stk_cxx.cc STK_LAMBDA_LINE)
w=$T_TMP/cxx.txt
stk_walk "$w" "$STK_PID"
stk_expect "$w" " stk::Worker<int>::run\(int\)\+0x[0-9a-f]+ \(stk_cxx\) at .*tests/targets/stk_cxx\.cc:$run$" \
	"the demangled method"
stk_expect "$w" " stk_cxx_start\(int\)::\{lambda\(int\)#1\}::operator\(\)\(int\) const\+0x[0-9a-f]+ \(stk_cxx\) at .*stk_cxx\.cc:$lam$" \
	"the demangled lambda"
stk_expect "$w" " stk_cxx_start\(int\)\+0x" "the function calling the lambda"
grep -q ' _Z' "$w" && t_fail "a mangled name was printed"
stk_walk "$w" "$STK_PID" --json
stk_expect "$w" "\"function\":\"stk::Worker<int>::run\(int\)\"" "the demangled name in JSON"
stk_runs_on "$STK_OUT"
exit 0
