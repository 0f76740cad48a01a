/*
 * cli/main.c - the program's entry point; everything else is in the library
 * so that tests can link it.
 */
#include "cli.h"

int main(int argc, char **argv)
{
	return mct_cli_main(argc, argv);
}
