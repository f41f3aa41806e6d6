// fuzz_server: the server's request path, bytes in and replies out, with no socket.
//
// The input is what a client sends on one connection. A stream of our own stands in for
// the socket: it hands the server the input in chunks (sizes taken from the input) and
// collects what the server writes. The connection runs corothrift's real reader, dispatch,
// workers, handlers and writer on an io_context until the input ends. Requirements:
//   - nothing crashes, leaks, hangs (the io_context runs out of work) or over-allocates;
//   - what the server wrote is a sequence of well-formed messages of the chosen transport,
//     each a REPLY or an EXCEPTION (TApplicationException) that decodes;
//   - a reply never carries a seqid that no request carried (or 0, for errors the server
//     cannot address), and the server answers at most once per seqid of a call it read.
// Input layout: byte 0 = mode (bit 0: buffered instead of framed, bit 1: ordered, bit 2:
// tiny reader limits), byte 1 = chunking seed, then the client's bytes.
#include "fuzzshapes_rpc.hpp"

#include <corothrift/rpc.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <set>
#include <span>
#include <vector>

namespace {

[[noreturn]] void check_failed(const char* what) {
  std::fprintf(stderr, "fuzz check failed: %s\n", what);
  std::abort();
}

/// The socket stand-in: reads come from `input` in chunks, writes go to `output`.
class MemoryStream {
 public:
  using executor_type = asio::any_io_executor;
  MemoryStream(const executor_type& ex, std::span<const std::byte> input, std::uint8_t seed)
      : ex_(ex), input_(input), seed_(seed) {}

  executor_type get_executor() const noexcept { return ex_; }

  template <class Buffers, class Token>
  auto async_read_some(const Buffers& buffers, Token&& token) {
    return asio::async_initiate<Token, void(std::error_code, std::size_t)>(
        [this](auto handler, const Buffers& b) {
          std::error_code ec;
          std::size_t n = 0;
          if (closed_ || read_shut_) {
            ec = asio::error::eof;
          } else if (at_ == input_.size()) {
            ec = asio::error::eof;
          } else {
            // chunk sizes 1..64, from a little generator seeded by the input
            seed_ = static_cast<std::uint8_t>(seed_ * 73 + 41);
            std::size_t want = 1 + (seed_ % 64);
            n = asio::buffer_copy(b, asio::buffer(input_.data() + at_, std::min(want, input_.size() - at_)));
            at_ += n;
          }
          asio::post(ex_, [h = std::move(handler), ec, n]() mutable { std::move(h)(ec, n); });
        },
        token, buffers);
  }

  template <class Buffers, class Token>
  auto async_write_some(const Buffers& buffers, Token&& token) {
    return asio::async_initiate<Token, void(std::error_code, std::size_t)>(
        [this](auto handler, const Buffers& b) {
          std::error_code ec;
          std::size_t n = 0;
          if (closed_) {
            ec = asio::error::broken_pipe;
          } else {
            n = asio::buffer_size(b);
            std::size_t old = output.size();
            output.resize(old + n);
            asio::buffer_copy(asio::buffer(output.data() + old, n), b);
          }
          asio::post(ex_, [h = std::move(handler), ec, n]() mutable { std::move(h)(ec, n); });
        },
        token, buffers);
  }

  void shutdown(asio::socket_base::shutdown_type what, std::error_code& ec) {
    ec = {};
    if (what != asio::socket_base::shutdown_send) read_shut_ = true;
  }
  void close(std::error_code& ec) {
    ec = {};
    closed_ = true;
  }

  std::vector<std::byte> output;

 private:
  executor_type ex_;
  std::span<const std::byte> input_;
  std::size_t at_ = 0;
  std::uint8_t seed_;
  bool closed_ = false;
  bool read_shut_ = false;
};

/// The stream, shared by the connection (which owns a copy of its handle) and the check.
class StreamHandle {
 public:
  using executor_type = asio::any_io_executor;
  explicit StreamHandle(std::shared_ptr<MemoryStream> s) : s_(std::move(s)) {}
  executor_type get_executor() const noexcept { return s_->get_executor(); }
  template <class B, class T>
  auto async_read_some(const B& b, T&& t) { return s_->async_read_some(b, std::forward<T>(t)); }
  template <class B, class T>
  auto async_write_some(const B& b, T&& t) { return s_->async_write_some(b, std::forward<T>(t)); }
  void shutdown(asio::socket_base::shutdown_type what, std::error_code& ec) { s_->shutdown(what, ec); }
  void close(std::error_code& ec) { s_->close(ec); }

 private:
  std::shared_ptr<MemoryStream> s_;
};

struct Handler : fuzzshapes::CalculatorHandler {
  asio::awaitable<std::int32_t> add(std::int32_t a, std::int32_t b) override {
    if (a == 13) throw std::runtime_error("unlucky");  // INTERNAL_ERROR path
    co_return static_cast<std::int32_t>(static_cast<std::uint32_t>(a) + static_cast<std::uint32_t>(b));
  }
  asio::awaitable<fuzzshapes::Inner> describe(fuzzshapes::Small s, fuzzshapes::Choice how) override {
    if (s.id < 0) {
      fuzzshapes::Oops oops;
      oops.code = s.id;
      oops.message = "negative";
      throw oops;
    }
    if (s.id == 7) {  // a handler that suspends: replies then go out of order
      co_await asio::post(co_await asio::this_coro::executor, asio::use_awaitable);
    }
    fuzzshapes::Inner in;
    in.x = s.id;
    in.label = s.name;
    if (how.text) in.label += *how.text;
    co_return in;
  }
  asio::awaitable<void> ping(std::string) override { co_return; }
};

/// The seqids of the calls in the input, as the server's own reader would cut them out.
std::multiset<std::int32_t> request_seqids(std::span<const std::byte> input, corothrift::Transport transport,
                                           const corothrift::ReaderOptions& reader) {
  std::multiset<std::int32_t> ids;
  corothrift::MessageStream in(transport, corothrift::FrameLimits{}, reader);
  std::span<std::byte> room = in.prepare();
  std::size_t at = 0;
  for (;;) {
    std::size_t n = std::min(room.size(), input.size() - at);
    if (n) std::memcpy(room.data(), input.data() + at, n);
    at += n;
    in.commit(n);
    for (corothrift::StreamEvent ev = in.next(); ev.status == corothrift::StreamEvent::Status::message; ev = in.next()) {
      corothrift::BinaryReader r(ev.message, reader);
      corothrift::MessageHeader h = r.read_message_begin();
      if (r.ok()) ids.insert(h.seqid);
    }
    if (at == input.size() || n == 0) break;  // (n == 0: the stream has failed for good)
    room = in.prepare();
  }
  return ids;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::uint8_t mode = data[0];
  const std::uint8_t seed = data[1];
  std::span<const std::byte> input(reinterpret_cast<const std::byte*>(data + 2), size - 2);

  corothrift::ServerOptions options;
  options.transport = (mode & 1) ? corothrift::Transport::buffered : corothrift::Transport::framed;
  options.ordered = (mode & 2) != 0;
  options.idle_timeout = std::chrono::milliseconds(0);  // the input ends in EOF: no timers needed
  options.read_timeout = std::chrono::milliseconds(0);
  options.frame.max_frame_size = 1 << 20;
  options.reader.limits.max_string_size = (mode & 4) ? 64 : 1 << 20;  // (also bounds what one input can make us allocate)
  options.reader.limits.max_container_size = (mode & 4) ? 16 : 1 << 16;
  options.reader.limits.max_depth = (mode & 4) ? 4 : 64;
  options.reader.limits.max_message_size = 1 << 20;
  options.reader.limits.max_decoded_size = 8 << 20;
  options.max_in_flight_per_connection = 8;
  options.max_pending_reply_bytes = 4 << 20;

  Handler handler;
  asio::io_context io;
  auto stream = std::make_shared<MemoryStream>(io.get_executor(), input, seed);
  {
    auto shared = std::make_shared<corothrift::ServerConnection::Shared>();
    shared->options = options;
    shared->services.push_back(corothrift::ServerConnection::Service{
        {}, &handler, [](corothrift::ServerConnection& c, std::string_view method, void* h) {
          return corothrift::ServiceTraits<fuzzshapes::Calculator>::dispatch(
              c, method, *static_cast<fuzzshapes::CalculatorHandler*>(h));
        }});
    shared->connections.fetch_add(1);
    auto conn = std::make_shared<corothrift::detail::SocketServerConnection<StreamHandle>>(StreamHandle(stream), shared);
    conn->start();
  }
  std::size_t rounds = io.run();
  if (!io.stopped()) check_failed("io_context still has work");
  (void)rounds;

  // What the server wrote: well-formed replies to seqids the client used.
  const std::multiset<std::int32_t> asked = request_seqids(input, options.transport, options.reader);
  std::multiset<std::int32_t> answered;
  corothrift::ReaderOptions out_reader;
  corothrift::MessageStream out(options.transport, corothrift::FrameLimits{}, out_reader);
  std::span<const std::byte> written(stream->output);
  std::size_t at = 0;
  for (;;) {
    std::span<std::byte> room = out.prepare();
    std::size_t n = std::min(room.size(), written.size() - at);
    if (n) std::memcpy(room.data(), written.data() + at, n);
    at += n;
    out.commit(n);
    for (corothrift::StreamEvent ev = out.next(); ev.status != corothrift::StreamEvent::Status::need_more; ev = out.next()) {
      if (ev.status == corothrift::StreamEvent::Status::error) check_failed("the server wrote a malformed stream");
      corothrift::BinaryReader r(ev.message, out_reader);
      corothrift::MessageHeader h = r.read_message_begin();
      if (!r.ok()) check_failed("a reply header does not decode");
      if (h.type == corothrift::MessageType::Exception) {
        corothrift::ApplicationError e;
        corothrift::Codec<corothrift::ApplicationError>::read(r, e);
        if (!r.ok() || r.remaining() != 0) check_failed("a TApplicationException does not decode");
      } else if (h.type != corothrift::MessageType::Reply) {
        check_failed("the server wrote something other than REPLY or EXCEPTION");
      }
      if (h.seqid != 0) {  // (seqid 0: errors about requests the server could not read)
        answered.insert(h.seqid);
        if (answered.count(h.seqid) > asked.count(h.seqid)) check_failed("more replies to a seqid than calls with it");
      }
    }
    if (at == written.size()) break;
    if (n == 0) check_failed("the server's output does not fit the reply stream's limits");
  }
  if (out.partial()) check_failed("the server's output ends inside a message");
  if (std::getenv("FUZZ_SERVER_VERBOSE"))  // (to look at what one input does)
    std::fprintf(stderr, "fuzz_server: %zu request(s) read, %zu reply(ies) with a nonzero seqid, %zu bytes written\n",
                 asked.size(), answered.size(), stream->output.size());
  return 0;
}
