// The `reel` command: a thin shell over libreel (DESIGN.md). All work lives in cli/ and below.
#include "cli/cli.hpp"

int main(int argc, char** argv) { return reel::cli::run(argc, argv); }
