/*
 * tests/unit/test_score_format.c - the numbers of a reading's detail JSON
 * are written by a fast path of the scorer's own (score/score.c) instead of
 * printf; these tests pin that its text is always exactly printf's "%.10g":
 * over millions of values drawn across every magnitude a reading holds and
 * beyond, next to the powers of ten (where log10 is off by one), on the
 * halfway points of the tenth digit (where rounding must follow printf),
 * and for the values the fast path hands back to printf.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../../score/score_internal.h"

static void same_as_printf(double x)
{
	char want[64], got[32];
	snprintf(want, sizeof want, "%.10g", x);
	int n = mct_score_format_g10(x, got);
	if (strcmp(want, got) != 0 || n != (int)strlen(want)) {
		print_error("%.17g: printf writes \"%s\", the scorer wrote \"%s\" (%d)\n", x, want,
		            got, n);
		fail();
	}
}

/* xorshift64*: the same sequence on every run. */
static uint64_t next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

static double uniform(uint64_t *s)
{
	return (double)(next(s) >> 11) / 9007199254740992.0;
}

static void test_random_values_of_every_magnitude_print_as_printf_does(void **state)
{
	(void)state;
	uint64_t s = 0x9e3779b97f4a7c15ULL;
	for (int i = 0; i < 2000000; i++) {
		double x = pow(10.0, -7 + 18 * uniform(&s));
		same_as_printf(i & 1 ? -x : x);
	}
	/* every exponent printf writes, down to the smallest normal numbers */
	for (int i = 0; i < 1000000; i++) {
		double x = pow(10.0, -307 + 320 * uniform(&s));
		same_as_printf(i & 1 ? -x : x);
	}
}

static void test_values_next_to_powers_of_ten_print_as_printf_does(void **state)
{
	(void)state;
	for (int k = -307; k <= 11; k++) {
		double p = pow(10.0, k);
		double x = p;
		for (int i = 0; i < 64; i++) {
			same_as_printf(x);
			x = nextafter(x, 0);
		}
		x = p;
		for (int i = 0; i < 64; i++) {
			same_as_printf(x);
			x = nextafter(x, INFINITY);
		}
		/* just under the next power once rounded to ten digits */
		same_as_printf(p * 9.9999999995);
		same_as_printf(p * 9.99999999949);
		same_as_printf(p * 9.99999999951);
	}
}

static void test_halfway_tenth_digits_round_as_printf_does(void **state)
{
	(void)state;
	uint64_t s = 42;
	for (int i = 0; i < 200000; i++) {
		/* d.ddddddddd5 x 10^k, and its neighbours */
		double digits = 1e9 + (double)(next(&s) % 9000000000ULL);
		int k = i & 1 ? (int)(next(&s) % 14) - 13 : -(int)(next(&s) % 290) - 13;
		double x = (digits + 0.5) * pow(10.0, k);
		same_as_printf(x);
		same_as_printf(nextafter(x, 0));
		same_as_printf(nextafter(x, INFINITY));
	}
}

static void test_whole_and_short_numbers_drop_trailing_zeros_as_printf_does(void **state)
{
	(void)state;
	const double v[] = {1,     2,      5,       8,      0.75,   0.5,        0.25,
	                    0.001, 0.0001, 0.00012, 123456, 1e8,    999999999,  0.1,
	                    0.3,   2.5e-5, 1e-300,  1e300,  -0.375, 1.0 / 3.0,  2.0 / 3.0,
	                    100.0, 99.95,  1095,    63.2,   20.0,   19.9999999, 0.35};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		same_as_printf(v[i]);
	same_as_printf(NAN);
	same_as_printf(INFINITY);
	same_as_printf(-INFINITY);
	same_as_printf(-0.0);
	same_as_printf(4.9e-324);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_random_values_of_every_magnitude_print_as_printf_does),
	    cmocka_unit_test(test_values_next_to_powers_of_ten_print_as_printf_does),
	    cmocka_unit_test(test_halfway_tenth_digits_round_as_printf_does),
	    cmocka_unit_test(test_whole_and_short_numbers_drop_trailing_zeros_as_printf_does),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
