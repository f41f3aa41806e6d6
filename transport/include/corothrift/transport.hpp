// corothrift/transport.hpp — everything in transport/: framing and unframed message
// boundaries over memory. Standard library only.
#pragma once

#include "corothrift/transport/frame.hpp"
#include "corothrift/transport/message_scanner.hpp"
#include "corothrift/transport/message_stream.hpp"
