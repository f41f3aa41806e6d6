// The README demo: a corothrift server and client in one process. The server serves the
// Phonebook service (examples/phonebook.thrift) on a loopback port; the client stores a few
// entries, looks one up, asks for a missing one (a declared exception), then keeps 64 calls
// in flight on its one connection for a moment and prints the throughput.
//
//   rpc_demo               the demo
//   rpc_demo --serve PORT  only the Phonebook server on 127.0.0.1:PORT, until SIGINT/SIGTERM
//                          (for the corothrift CLI: `corothrift call --idl examples/phonebook.thrift
//                          127.0.0.1:PORT Phonebook.find '{"name": "Bob"}'`)
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

#include "phonebook_rpc.hpp"

namespace {

using namespace std::chrono_literals;

// The handler: one coroutine per IDL method.
class Book final : public phonebook::PhonebookHandler {
 public:
  asio::awaitable<std::int32_t> add(phonebook::Entry entry) override {
    entries_[entry.name] = std::move(entry);
    co_return static_cast<std::int32_t>(entries_.size());
  }
  asio::awaitable<phonebook::Entry> find(std::string name) override {
    auto it = entries_.find(name);
    if (it == entries_.end()) {
      phonebook::NotFound nf;
      nf.name = name;
      throw nf;  // goes back to the client as the declared exception
    }
    co_return it->second;
  }
  asio::awaitable<void> note(std::string text) override {
    notes_ += 1;
    last_note_ = std::move(text);
    co_return;
  }
  int notes() const { return notes_; }
  const std::string& last_note() const { return last_note_; }

 private:
  std::map<std::string, phonebook::Entry> entries_;
  int notes_ = 0;
  std::string last_note_;
};

asio::awaitable<void> client_session(std::uint16_t port, corothrift::Server& server, Book& book) {
  auto ex = co_await asio::this_coro::executor;
  corothrift::ClientOptions options;  // framed transport, binary protocol, 30 s call timeout
  auto book_client = co_await corothrift::connect<phonebook::Phonebook>(ex, "127.0.0.1", port, options);

  for (auto [name, phone] : {std::pair{"Alice", "+1-555-0100"}, {"Bob", "+1-555-0199"}, {"Carol", "+44-20-7946-0000"}}) {
    phonebook::Entry e;
    e.name = name;
    e.phone = phone;
    std::int32_t n = co_await book_client.add(e);
    std::printf("add(%s) -> %d entries\n", name, n);
  }
  phonebook::Entry bob = co_await book_client.find("Bob");
  std::printf("find(Bob) -> %s, %s\n", bob.name.c_str(), bob.phone.c_str());
  try {
    co_await book_client.find("Mallory");
  } catch (const phonebook::NotFound& nf) {
    std::printf("find(Mallory) -> NotFound{name = %s}  (declared exception)\n", nf.name.c_str());
  }
  co_await book_client.note("demo was here");

  // Pipelining: 64 coroutines share the one connection; replies are matched by seqid.
  constexpr int kInFlight = 64;
  const auto start = std::chrono::steady_clock::now();
  const auto stop_at = start + 500ms;
  long calls = 0, wrong = 0;
  int running = kInFlight;
  asio::steady_timer all_done(ex, asio::steady_timer::time_point::max());
  for (int w = 0; w < kInFlight; ++w) {
    asio::co_spawn(ex, [&]() -> asio::awaitable<void> {
      while (std::chrono::steady_clock::now() < stop_at) {
        phonebook::Entry e = co_await book_client.find("Carol");
        if (e.phone != "+44-20-7946-0000") ++wrong;
        ++calls;
      }
    }, [&](std::exception_ptr) {
      if (--running == 0) all_done.cancel();
    });
  }
  std::error_code ignored;
  co_await all_done.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("pipelined: %ld find() calls with %d in flight on one connection in %.2f s = %.0f calls/s (%ld wrong)\n",
              calls, kInFlight, secs, calls / secs, wrong);
  std::printf("server saw %d note(s), the last: \"%s\"\n", book.notes(), book.last_note().c_str());
  server.stop();
}

}  // namespace

int main(int argc, char** argv) {
  asio::io_context io;  // one thread runs both the server and the client here
  Book book;
  corothrift::Server server(io.get_executor());
  server.add_service<phonebook::Phonebook>(book);
  if (argc == 3 && std::string(argv[1]) == "--serve") {
    char* end = nullptr;
    long port = std::strtol(argv[2], &end, 10);
    if (*end || port < 1 || port > 65535) {
      std::fprintf(stderr, "rpc_demo: --serve needs a port number (1-65535)\n");
      return 2;
    }
    server.listen("127.0.0.1", static_cast<std::uint16_t>(port));
    std::printf("Phonebook server listening on 127.0.0.1:%ld (framed, binary); Ctrl-C stops it\n", port);
    std::fflush(stdout);
    asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](std::error_code, int) { server.stop(); });
    io.run();
    return 0;
  }
  if (argc != 1) {
    std::fprintf(stderr, "usage: rpc_demo [--serve PORT]\n");
    return 2;
  }
  auto endpoint = server.listen("127.0.0.1", 0);  // any free port
  std::printf("server listening on 127.0.0.1:%u\n", static_cast<unsigned>(endpoint.port()));

  int status = 0;
  asio::co_spawn(io, client_session(endpoint.port(), server, book), [&](std::exception_ptr e) {
    if (!e) return;
    status = 1;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& x) {
      std::printf("error: %s\n", x.what());
    }
    server.stop();
  });
  io.run();
  return status;
}
