// corothrift/rpc.hpp — the coroutine RPC layer on standalone Asio: Client<S>, connect<S>(),
// Server, and the errors calls end with. Generated <name>_rpc.hpp files include this.
#pragma once

#include "corothrift/client/client.hpp"
#include "corothrift/client/connection.hpp"
#include "corothrift/client/errors.hpp"
#include "corothrift/client/server.hpp"
