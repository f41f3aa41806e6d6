// corothrift/protocol.hpp — everything in protocol/: the TBinaryProtocol writer, reader,
// skip, limits, errors and the Codec for standard types. Standard library only.
#pragma once

#include "corothrift/protocol/binary_reader.hpp"
#include "corothrift/protocol/binary_writer.hpp"
#include "corothrift/protocol/codec.hpp"
#include "corothrift/protocol/error.hpp"
#include "corothrift/protocol/fields.hpp"
#include "corothrift/protocol/limits.hpp"
#include "corothrift/protocol/result.hpp"
#include "corothrift/protocol/types.hpp"
#if defined(__cpp_exceptions)
#include "corothrift/protocol/throwing.hpp"
#endif
