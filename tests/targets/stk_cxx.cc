// stk_cxx: a C++ target whose frames need demangling: a method of a class
// template in a namespace, called through a lambda. Prints "beat N".
// Frames are asserted exactly: keep -O0 whatever CXXFLAGS say.
#pragma GCC optimize("O0")
#include <cstdio>
#include <ctime>
#include <unistd.h>

namespace stk {
template <typename T> struct Worker {
	T count = 0;
	__attribute__((noinline)) void run(T limit)
	{
		for (unsigned long beat = 1;; beat++) {
			timespec ts = { 0, 100000000 };
			nanosleep(&ts, nullptr); // STK_RUN_LINE
			count += limit;
			std::printf("beat %lu\n", beat);
			std::fflush(stdout);
		}
	}
};
} // namespace stk

__attribute__((noinline)) static void stk_cxx_start(int limit)
{
	stk::Worker<int> w;
	auto go = [&w](int n) { w.run(n); }; // STK_LAMBDA_LINE
	go(limit);
}

int main()
{
	std::printf("ready %d\n", (int)getpid());
	std::fflush(stdout);
	stk_cxx_start(3);
}
