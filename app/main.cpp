#include "cli.h"

int main(int argc, char **argv)
{
    return padlab::runCli(argc, argv);
}
