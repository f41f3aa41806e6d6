// The code generator's command line, shared by corothrift-gen and `corothrift gen`.
#pragma once

#include <string>

namespace corothrift::gen {
/// Run the generator with arguments argv[1..argc-1] (argv[0] is ignored); `prog` names the
/// program in messages. Returns the exit status (0 ok, 1 IDL errors, 2 usage, 3 write error).
int run_cli(int argc, char** argv, const std::string& prog);
}  // namespace corothrift::gen
