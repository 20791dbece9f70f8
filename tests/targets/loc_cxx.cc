/*
 * loc_cxx: C++ for whytop locals and poke: a member function spinning on a
 * data member (this->limit), called from a lambda that captured the object
 * by reference. Poking c.limit=0 in the lambda's frame goes through the
 * reference and ends the loop; it prints "loc_cxx done" and exits 0.
 */
#pragma GCC optimize("O0")
#include <cstdio>
#include <unistd.h>

namespace loc
{
struct Counter {
	int limit;
	long turns;
	bool run(int step);
};

bool Counter::run(int step)
{
	while (limit > 0)
		turns += step;
	return turns > 0;
}
} // namespace loc

int main()
{
	loc::Counter c{1, 0};
	auto spin = [&c](int step) { return c.run(step); };

	std::printf("loc_cxx ready pid %d\n", (int)getpid());
	std::fflush(stdout);
	bool ok = spin(1);
	std::printf("loc_cxx done %d\n", ok ? 1 : 0);
	return 0;
}
