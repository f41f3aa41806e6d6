// corothrift-gen: Thrift IDL -> C++20 headers for corothrift.
#include "gen_cli.hpp"

int main(int argc, char** argv) { return corothrift::gen::run_cli(argc, argv, "corothrift-gen"); }
