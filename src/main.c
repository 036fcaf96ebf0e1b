/* sqlasync: argv goes to cli_run(); nothing else happens here. */
#include "cli/cli.h"

int main(int argc, char **argv)
{
    return cli_run(argc, argv);
}
