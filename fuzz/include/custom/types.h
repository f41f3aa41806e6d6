// Stand-in for the `cpp_include "custom/types.h"` of tests/idl/features.thrift, which
// fuzz_generated and fuzz_roundtrip compile: the header a user would write for the
// `cpp_type` containers that IDL names (std::deque, std::unordered_set, std::unordered_map).
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <unordered_map>
#include <unordered_set>
