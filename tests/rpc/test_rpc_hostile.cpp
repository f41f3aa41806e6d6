// Hostile peers against corothrift::Server over real loopback sockets: absurd frame
// lengths, declared sizes larger than the frame, 10,000-deep nesting, truncated and
// trickled requests, a flood of connections past max_connections, clients that vanish
// mid-request and clients that never read their replies. Every case ends with a
// well-behaved client getting correct answers from the same server, and reports the
// process's peak RSS (getrusage ru_maxrss, a process-wide high-water mark: each case reports
// how much it grew over the case, which is 0 when an earlier case had already set a higher
// mark).
#include "rpc_test_util.hpp"

#include <cstdio>

#include <sys/resource.h>

#include <malloc.h>

#if defined(__SANITIZE_ADDRESS__)
#define COROTHRIFT_HOSTILE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define COROTHRIFT_HOSTILE_ASAN 1
#endif
#endif
#if defined(COROTHRIFT_HOSTILE_ASAN)
// From <sanitizer/allocator_interface.h> (shipped with clang, not with GCC 12); the
// sanitizer runtimes of both define it.
extern "C" std::size_t __sanitizer_get_current_allocated_bytes(void);
#endif

using namespace rpctest;
using corothrift::ApplicationErrorType;
using corothrift::MessageType;
using corothrift::TType;

namespace {

// ---- memory ----------------------------------------------------------------------------

/// The process's peak resident set size so far, in KiB.
long peak_rss_kib() {
  struct rusage u {};
  ::getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

/// Heap bytes allocated now (malloc'ed and not freed, mmapped blocks included): untouched
/// pages of a large allocation count here, not in the RSS.
std::size_t allocated_bytes() {
#if defined(COROTHRIFT_HOSTILE_ASAN)
  return __sanitizer_get_current_allocated_bytes();
#elif defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
  const struct mallinfo2 mi = ::mallinfo2();
  return mi.uordblks + mi.hblkhd;
#else
  return 0;
#endif
}

constexpr long kRssBoundKib = 64 * 1024;  // 64 MiB

/// Peak RSS at the start of a case; report() prints it at the end, with the growth, and
/// (when asked) checks that the growth stayed under 64 MiB.
class MemoryMark {
 public:
  explicit MemoryMark(const char* what) : what_(what), start_kib_(peak_rss_kib()) {}
  void report(bool check_bound) const {
    const long now = peak_rss_kib();
    const long growth = now - start_kib_;
    MESSAGE("peak RSS after '" << std::string(what_) << "': " << now << " KiB (" << now / 1024 << " MiB); grew by " << growth
                               << " KiB over the case");
    if (check_bound) CHECK_MESSAGE(growth < kRssBoundKib, "peak RSS grew by " << growth << " KiB (bound " << kRssBoundKib << " KiB)");
  }

 private:
  const char* what_;
  long start_kib_;
};

// ---- raw wire bytes --------------------------------------------------------------------

/// Hand-written binary-protocol bytes, big-endian.
struct Wire {
  Bytes b;
  Wire& u8(std::uint8_t v) {
    b.push_back(std::byte{v});
    return *this;
  }
  Wire& i16(std::int16_t v) {
    const auto u = static_cast<std::uint16_t>(v);
    u8(static_cast<std::uint8_t>(u >> 8));
    return u8(static_cast<std::uint8_t>(u & 0xff));
  }
  Wire& u32(std::uint32_t u) {
    for (int shift = 24; shift >= 0; shift -= 8) u8(static_cast<std::uint8_t>((u >> shift) & 0xff));
    return *this;
  }
  Wire& i32(std::int32_t v) { return u32(static_cast<std::uint32_t>(v)); }
  Wire& type(TType t) { return u8(static_cast<std::uint8_t>(t)); }
  Wire& field(TType t, std::int16_t id) { return type(t).i16(id); }
  Wire& stop() { return u8(0); }
  Wire& chars(std::string_view s) {
    for (char c : s) u8(static_cast<std::uint8_t>(c));
    return *this;
  }
  Wire& list_header(TType elem, std::int32_t n) { return type(elem).i32(n); }
  Wire& map_header(TType key, TType value, std::int32_t n) { return type(key).type(value).i32(n); }
};

std::string hex32(std::uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

/// A bare 4-byte frame length.
Bytes frame_length(std::uint32_t len) { return Wire{}.u32(len).b; }

/// Field `id` holding a struct nested `depth` levels (the field's own struct included),
/// each level holding the next as field 1.
Bytes nested_structs(std::int16_t id, int depth) {
  Wire w;
  w.field(TType::Struct, id);
  for (int i = 1; i < depth; ++i) w.field(TType::Struct, 1);
  for (int i = 0; i < depth; ++i) w.stop();
  return w.b;
}
/// Field `id` holding list<list<...list<i32>>> nested `depth` levels, one element each.
Bytes nested_lists(std::int16_t id, int depth) {
  Wire w;
  w.field(TType::List, id);
  for (int i = 1; i < depth; ++i) w.list_header(TType::List, 1);
  w.list_header(TType::I32, 0);
  return w.b;
}
/// Field `id` holding map<i32, map<i32, ...map<i32, i32>>> nested `depth` levels, one pair each.
Bytes nested_maps(std::int16_t id, int depth) {
  Wire w;
  w.field(TType::Map, id);
  for (int i = 1; i < depth; ++i) w.map_header(TType::I32, TType::Map, 1).i32(i);
  w.map_header(TType::I32, TType::I32, 0);
  return w.b;
}

/// add()'s arguments a and b, then `extra` (further fields), then the stop byte.
Bytes add_body(std::int32_t a, std::int32_t b, const Bytes& extra) {
  Wire w;
  w.field(TType::I32, 1).i32(a).field(TType::I32, 2).i32(b);
  w.b.insert(w.b.end(), extra.begin(), extra.end());
  return w.stop().b;
}
/// describe()'s arguments: Small{id, then `small_extra`}, Choice{number = 5}.
Bytes describe_body(std::int32_t id, const Bytes& small_extra) {
  Wire w;
  w.field(TType::Struct, 1).field(TType::I32, 1).i32(id);
  w.b.insert(w.b.end(), small_extra.begin(), small_extra.end());
  w.stop();
  w.field(TType::Struct, 2).field(TType::I32, 1).i32(5).stop();
  return w.stop().b;
}

/// An unframed (buffered transport) message whose body is the raw bytes `body`.
Bytes raw_unframed(std::string_view name, MessageType type, std::int32_t seqid, const Bytes& body) {
  corothrift::BinaryWriter w;
  w.write_message_begin(name, type, seqid);
  w.write_raw(body.data(), body.size());
  return Bytes(w.view().begin(), w.view().end());
}

Bytes add_request(std::int32_t seqid, std::int32_t a, std::int32_t b) {
  return message("add", MessageType::Call, seqid, add_args(a, b));
}

// ---- peers -----------------------------------------------------------------------------

/// A fresh, well-behaved client: connect<Calc>, add() and describe() with checked answers.
asio::awaitable<void> check_well_behaved(std::uint16_t port, corothrift::Transport transport = corothrift::Transport::framed) {
  asio::any_io_executor ex = co_await asio::this_coro::executor;
  corothrift::ClientOptions options;
  options.transport = transport;
  options.call_timeout = 5s;
  auto calc = co_await corothrift::connect<Calc>(ex, "127.0.0.1", port, options);
  const std::int32_t sum = co_await calc.add(40, 2);
  CHECK(sum == 42);
  shapes::Small s;
  s.id = 21;
  s.name = "still served";
  shapes::Choice how;
  how.number = 7;
  const shapes::Inner in = co_await calc.describe(s, how);
  CHECK(in.x == 42);
  CHECK(in.label == "still served#7");
}

/// Read the next framed reply on `s` and check it is a TApplicationException PROTOCOL_ERROR
/// for `seqid` whose message mentions `kind`; returns its message.
asio::awaitable<std::string> expect_protocol_error(tcp::socket& s, std::int32_t seqid, std::string kind) {
  std::error_code ec;
  std::optional<Message> m = co_await read_message(s, &ec);
  REQUIRE_MESSAGE(m.has_value(), "no reply: " << ec.message());
  REQUIRE(m->header_ok);
  CHECK(m->type == MessageType::Exception);
  CHECK(m->seqid == seqid);
  const corothrift::ApplicationError err = m->decode<corothrift::ApplicationError>();
  CHECK(err.type == ApplicationErrorType::protocol_error);
  CHECK_MESSAGE(err.message.find(kind) != std::string::npos, "'" << err.message << "' does not mention " << kind);
  co_return err.message;
}

/// Send add(a, b) with `seqid` on a raw socket and check the reply.
asio::awaitable<void> expect_add_works(tcp::socket& s, std::int32_t seqid, std::int32_t a, std::int32_t b) {
  const Bytes req = add_request(seqid, a, b);
  co_await write_all(s, req);
  std::optional<Message> m = co_await read_message(s);
  REQUIRE(m.has_value());
  CHECK(m->type == MessageType::Reply);
  CHECK(m->seqid == seqid);
  CHECK(m->decode<Calc::add::result>().success == a + b);
}

/// Everything the peer sends until it closes the connection (or `limit` passes).
asio::awaitable<Bytes> read_until_closed(tcp::socket& s, ms limit = 3s) {
  using namespace asio::experimental::awaitable_operators;
  Bytes all;
  asio::steady_timer deadline(s.get_executor(), limit);
  auto reader = [&]() -> asio::awaitable<void> {
    std::byte buf[4096];
    for (;;) {
      std::error_code ec;
      const std::size_t n = co_await s.async_read_some(asio::buffer(buf), asio::redirect_error(asio::use_awaitable, ec));
      all.insert(all.end(), buf, buf + n);
      if (ec) co_return;
    }
  };
  co_await (reader() || deadline.async_wait(asio::use_awaitable));
  co_return all;
}

std::size_t total_handler_calls(const TestCalc& h) { return static_cast<std::size_t>(h.adds + h.describes) + h.pings.size(); }

}  // namespace

// ---- 1. absurd frame lengths -------------------------------------------------------------

TEST_CASE("rpc hostile: frame lengths 2^31-1, 0x80000000 and 0xffffffff get PROTOCOL_ERROR and the close") {
  const MemoryMark mem("frame lengths 2^31-1 / negative");
  TestCalc h;
  asio::io_context io;
  corothrift::Server server(io.get_executor());  // default limits: max_frame_size 16,384,000
  server.add_service<Calc>(h);
  const auto ep = server.listen("127.0.0.1", 0);
  run(io, [&]() -> asio::awaitable<void> {
    const std::uint32_t lengths[] = {0x7fffffffu, 0x80000000u, 0xffffffffu};
    const char* kinds[] = {"frame_too_large", "negative_size", "negative_size"};
    for (std::size_t i = 0; i < 3; ++i) {
      const std::string hex = hex32(lengths[i]);
      INFO("frame length " << hex);
      const std::size_t alloc_before = allocated_bytes();
      tcp::socket s = co_await raw_connect(ep.port());
      const Bytes header = frame_length(lengths[i]);
      co_await write_all(s, header);  // just the length: the server knows enough
      const std::string kind = kinds[i];
      const std::string what = co_await expect_protocol_error(s, 0, kind);
      MESSAGE("frame length " << hex << ": '" << what << "'");
      const bool closed = co_await closed_by_peer(s, 3s);
      CHECK(closed);
      // Nothing of the declared size was allocated (allocated_bytes also sees untouched pages).
      const std::size_t alloc_after = allocated_bytes();
      CHECK(alloc_after < alloc_before + 8 * 1024 * 1024);
    }
    const bool forgotten = co_await eventually([&] { return server.connection_count() == 0; });
    CHECK(forgotten);

    // A length the server accepts (exactly max_frame_size) followed by nothing: the server
    // waits for the rest of the frame, and its receive buffer grows with the bytes that
    // arrive, not with the announced length (1,024 such connections must not make it
    // reserve 16 GiB).
    {
      const std::size_t alloc_before = allocated_bytes();
      tcp::socket s = co_await raw_connect(ep.port());
      const Bytes header = frame_length(corothrift::FrameLimits{}.max_frame_size);
      co_await write_all(s, header);
      const bool reserved = co_await eventually([&] { return allocated_bytes() >= alloc_before + 16'000'000; }, 300ms);
      const std::size_t alloc_now = allocated_bytes();
      const long long delta = static_cast<long long>(alloc_now) - static_cast<long long>(alloc_before);
      MESSAGE("a 4-byte header announcing a frame of 16,384,000 bytes (max_frame_size): heap grew by " << delta
              << " bytes while the server waits for the rest");
      CHECK_FALSE(reserved);
      CHECK(delta < 1024 * 1024);
      s.close();
      const bool gone = co_await eventually([&] { return server.connection_count() == 0; });
      CHECK(gone);
    }

    CHECK(total_handler_calls(h) == 0);
    co_await check_well_behaved(ep.port());
    server.stop();
  });
  mem.report(true);
}

// ---- 2. declared sizes larger than the frame ---------------------------------------------

TEST_CASE("rpc hostile: string and container sizes larger than the frame get PROTOCOL_ERROR, the connection goes on") {
  const MemoryMark mem("sizes larger than the frame");
  TestCalc h;
  asio::io_context io;
  corothrift::Server server(io.get_executor());
  server.add_service<Calc>(h);
  const auto ep = server.listen("127.0.0.1", 0);
  run(io, [&]() -> asio::awaitable<void> {
    struct Case {
      const char* name;
      Bytes bytes;
      std::int32_t seqid;
      const char* kind;
    };
    std::vector<Case> cases;
    {
      // Small.name (field 5, string) declares 1,000,000 bytes; 8 follow, then the frame ends.
      Bytes small = Wire{}.field(TType::String, 5).i32(1'000'000).chars("abcdefgh").b;
      cases.push_back({"describe: Small.name declares 1,000,000 bytes", raw_message("describe", MessageType::Call, 21, describe_body(1, small)), 21,
                       "unexpected_end"});
    }
    {
      Bytes small = Wire{}.field(TType::String, 5).i32(0x7fffffff).chars("abcdefgh").b;
      cases.push_back({"describe: Small.name declares 2^31-1 bytes", raw_message("describe", MessageType::Call, 22, describe_body(1, small)), 22,
                       "size_limit"});
    }
    {
      // Choice.text declares exactly max_string_size (16 MiB): within the limit, past the frame.
      Wire w;
      w.field(TType::Struct, 1).field(TType::I32, 1).i32(1).stop();
      w.field(TType::Struct, 2).field(TType::String, 2).i32(16 * 1024 * 1024).chars("xyz").stop();
      w.stop();
      cases.push_back({"describe: Choice.text declares 16 MiB", raw_message("describe", MessageType::Call, 23, w.b), 23, "unexpected_end"});
    }
    {
      // An unknown field 3 of add(): list<i32> of 999,999 (under max_container_size).
      Bytes extra = Wire{}.field(TType::List, 3).list_header(TType::I32, 999'999).i32(1).i32(2).b;
      cases.push_back({"add: list<i32> of 999,999", raw_message("add", MessageType::Call, 24, add_body(1, 2, extra)), 24, "unexpected_end"});
    }
    {
      Bytes extra = Wire{}.field(TType::List, 3).list_header(TType::I32, 0x7fffffff).i32(1).b;
      cases.push_back({"add: list<i32> of 2^31-1", raw_message("add", MessageType::Call, 25, add_body(1, 2, extra)), 25, "size_limit"});
    }
    {
      Bytes extra = Wire{}.field(TType::List, 3).list_header(TType::Struct, 999'999).stop().b;
      cases.push_back({"add: list<struct> of 999,999", raw_message("add", MessageType::Call, 26, add_body(1, 2, extra)), 26, "unexpected_end"});
    }
    {
      Bytes extra = Wire{}.field(TType::Map, 3).map_header(TType::String, TType::I64, 999'999).i32(1).chars("k").b;
      cases.push_back({"add: map<string,i64> of 999,999", raw_message("add", MessageType::Call, 27, add_body(1, 2, extra)), 27, "unexpected_end"});
    }
    {
      Bytes extra = Wire{}.field(TType::Map, 3).map_header(TType::I32, TType::I32, 0x7fffffff).b;
      cases.push_back({"add: map<i32,i32> of 2^31-1", raw_message("add", MessageType::Call, 28, add_body(1, 2, extra)), 28, "size_limit"});
    }
    {
      // Inside describe's Small: an unknown set<string> of 500,000.
      Bytes small = Wire{}.field(TType::Set, 9).list_header(TType::String, 500'000).i32(1).chars("s").b;
      cases.push_back({"describe: set<string> of 500,000 in Small", raw_message("describe", MessageType::Call, 29, describe_body(1, small)), 29,
                       "unexpected_end"});
    }
    {
      // The method name itself declares 2^31-1 bytes (strict header).
      Bytes payload = Wire{}.u32(0x80010001u).i32(0x7fffffff).chars("add").i32(30).b;
      Bytes framed = frame_length(static_cast<std::uint32_t>(payload.size())) + payload;
      cases.push_back({"header: method name of 2^31-1 bytes", framed, 0, "size_limit"});
    }
    {
      // Old (non-strict) header form: the name length is the first word.
      Bytes payload = Wire{}.i32(1'000'000).chars("add").u8(1).i32(31).b;
      Bytes framed = frame_length(static_cast<std::uint32_t>(payload.size())) + payload;
      cases.push_back({"old header: method name of 1,000,000 bytes", framed, 0, "unexpected_end"});
    }

    tcp::socket s = co_await raw_connect(ep.port());
    for (std::size_t i = 0; i < cases.size(); ++i) {
      const std::string name = cases[i].name, kind = cases[i].kind;
      INFO(name);
      co_await write_all(s, cases[i].bytes);
      const std::string what = co_await expect_protocol_error(s, cases[i].seqid, kind);
      MESSAGE(name << ": '" << what << "'");
      // The request was well delimited: the same connection goes on.
      co_await expect_add_works(s, static_cast<std::int32_t>(200 + i), static_cast<std::int32_t>(i), 1);
    }
    CHECK(h.adds == static_cast<int>(cases.size()));  // only the good calls reached the handler
    CHECK(h.describes == 0);
    CHECK(server.connection_count() == 1);
    s.close();
    const bool gone = co_await eventually([&] { return server.connection_count() == 0; });
    CHECK(gone);
    co_await check_well_behaved(ep.port());
    server.stop();
  });
  mem.report(true);
}

// ---- 3. nesting 10,000 deep --------------------------------------------------------------

TEST_CASE("rpc hostile: structs, lists and maps nested 10,000 deep get a depth-limit PROTOCOL_ERROR") {
  const MemoryMark mem("nesting 10,000 deep");
  constexpr int deep = 10'000;
  TestCalc h;
  asio::io_context io;
  corothrift::Server server(io.get_executor());
  server.add_service<Calc>(h);
  const auto ep = server.listen("127.0.0.1", 0);
  corothrift::ServerOptions buffered_options;
  buffered_options.transport = corothrift::Transport::buffered;
  corothrift::Server buffered_server(io.get_executor(), buffered_options);
  buffered_server.add_service<Calc>(h);
  const auto buffered_ep = buffered_server.listen("127.0.0.1", 0);
  run(io, [&]() -> asio::awaitable<void> {
    tcp::socket s = co_await raw_connect(ep.port());

    // At the limit: the args struct (depth 1) holding 63 nested structs is depth 64, the
    // default max_depth: accepted. One more level is refused.
    {
      const Bytes req = raw_message("add", MessageType::Call, 40, add_body(3, 4, nested_structs(3, 63)));
      co_await write_all(s, req);
      std::optional<Message> m = co_await read_message(s);
      REQUIRE(m.has_value());
      CHECK(m->type == MessageType::Reply);
      CHECK(m->seqid == 40);
      CHECK(m->decode<Calc::add::result>().success == 7);
      const Bytes over = raw_message("add", MessageType::Call, 41, add_body(3, 4, nested_structs(3, 64)));
      co_await write_all(s, over);
      const std::string what = co_await expect_protocol_error(s, 41, "depth_limit");
      CHECK(what.find("65") != std::string::npos);
    }

    struct Case {
      const char* name;
      Bytes bytes;
      std::int32_t seqid;
    };
    std::vector<Case> cases;
    cases.push_back({"add: struct in struct, 10,000 deep", raw_message("add", MessageType::Call, 42, add_body(1, 2, nested_structs(3, deep))), 42});
    cases.push_back({"add: list<list<...>>, 10,000 deep", raw_message("add", MessageType::Call, 43, add_body(1, 2, nested_lists(3, deep))), 43});
    cases.push_back({"add: map<i32, map<...>>, 10,000 deep", raw_message("add", MessageType::Call, 44, add_body(1, 2, nested_maps(3, deep))), 44});
    cases.push_back({"describe: structs 10,000 deep inside Small", raw_message("describe", MessageType::Call, 45, describe_body(1, nested_structs(7, deep))), 45});
    cases.push_back({"describe: lists 10,000 deep inside Small", raw_message("describe", MessageType::Call, 46, describe_body(1, nested_lists(8, deep))), 46});
    for (std::size_t i = 0; i < cases.size(); ++i) {
      const std::string name = cases[i].name;
      INFO(name);
      co_await write_all(s, cases[i].bytes);
      const std::string what = co_await expect_protocol_error(s, cases[i].seqid, "depth_limit");
      MESSAGE(name << " (" << cases[i].bytes.size() << " bytes): '" << what << "'");
      co_await expect_add_works(s, static_cast<std::int32_t>(300 + i), 5, static_cast<std::int32_t>(i));
    }
    CHECK(h.describes == 0);
    CHECK(h.adds == 1 + static_cast<int>(cases.size()));
    s.close();

    // Buffered transport: the stream scanner must find where the message ends, so the
    // depth limit hits it first; an unframed stream cannot be resynchronised: the server
    // answers PROTOCOL_ERROR and closes.
    {
      tcp::socket b = co_await raw_connect(buffered_ep.port());
      const Bytes req = raw_unframed("add", MessageType::Call, 47, add_body(1, 2, nested_structs(3, deep)));
      co_await write_all(b, req);
      const Bytes reply = co_await read_until_closed(b, 3s);
      REQUIRE(!reply.empty());
      corothrift::BinaryReader r{std::span<const std::byte>(reply)};
      const corothrift::MessageHeader hdr = r.read_message_begin();
      REQUIRE(r.ok());
      CHECK(hdr.type == MessageType::Exception);
      corothrift::ApplicationError err;
      corothrift::Codec<corothrift::ApplicationError>::read(r, err);
      REQUIRE(r.ok());
      CHECK(err.type == ApplicationErrorType::protocol_error);
      CHECK_MESSAGE(err.message.find("depth_limit") != std::string::npos, err.message);
      MESSAGE("buffered transport, structs 10,000 deep: '" << err.message << "', then the close");
    }
    const bool gone = co_await eventually([&] { return server.connection_count() == 0 && buffered_server.connection_count() == 0; });
    CHECK(gone);
    co_await check_well_behaved(ep.port());
    co_await check_well_behaved(buffered_ep.port(), corothrift::Transport::buffered);
    server.stop();
    buffered_server.stop();
  });
  mem.report(true);
}

// ---- 4. truncated and trickled requests --------------------------------------------------

TEST_CASE("rpc hostile: a truncated request, then silence, is dropped after read_timeout") {
  const MemoryMark mem("truncated request then silence");
  TestCalc h;
  asio::io_context io;
  corothrift::ServerOptions so;
  so.read_timeout = 300ms;
  corothrift::Server server(io.get_executor(), so);
  server.add_service<Calc>(h);
  const auto ep = server.listen("127.0.0.1", 0);
  run(io, [&]() -> asio::awaitable<void> {
    // A well-behaved client connected first: idle (not mid-request), so not subject to the
    // read timeout.
    auto calc = co_await corothrift::connect<Calc>(io.get_executor(), "127.0.0.1", ep.port());
    std::int32_t v = co_await calc.add(1, 2);
    CHECK(v == 3);

    // The frame length and half the body of add(), then nothing.
    {
      tcp::socket s = co_await raw_connect(ep.port());
      const Bytes req = add_request(1, 20, 22);
      const std::size_t half = 4 + (req.size() - 4) / 2;
      const Bytes part(req.begin(), req.begin() + static_cast<std::ptrdiff_t>(half));
      const auto t0 = clock::now();
      co_await write_all(s, part);
      const bool closed = co_await closed_by_peer(s, 3s);
      const auto took = elapsed_ms(t0);
      CHECK(closed);
      CHECK(took >= 280);
      CHECK(took < 2000);
      MESSAGE("half a request (" << half << " of " << req.size() << " bytes), then silence: dropped after " << took << " ms");
    }

    // A whole request and part of the next in one write: the first is answered; the second
    // gets its own read deadline and is dropped at it.
    {
      tcp::socket s = co_await raw_connect(ep.port());
      const Bytes next = add_request(3, 5, 5);
      const Bytes both = add_request(2, 20, 22) + Bytes(next.begin(), next.begin() + 10);
      const auto t0 = clock::now();
      co_await write_all(s, both);
      std::optional<Message> m = co_await read_message(s);
      REQUIRE(m.has_value());
      CHECK(m->seqid == 2);
      CHECK(m->decode<Calc::add::result>().success == 42);
      const bool closed = co_await closed_by_peer(s, 3s);
      const auto took = elapsed_ms(t0);
      CHECK(closed);
      CHECK(took >= 280);
      CHECK(took < 2000);
      MESSAGE("one request and 10 bytes of the next: answered, then dropped after " << took << " ms");
    }
    const bool gone = co_await eventually([&] { return server.connection_count() == 1; });
    CHECK(gone);
    CHECK(h.adds == 2);  // calc's add(1, 2) and the whole request; never the partial ones

    // The client connected first is still served, and so is a new one.
    v = co_await calc.add(2, 3);
    CHECK(v == 5);
    CHECK(calc.is_open());
    co_await check_well_behaved(ep.port());
    server.stop();
  });
  mem.report(true);
}

TEST_CASE("rpc hostile: a client trickling one byte every 100 ms is dropped at read_timeout") {
  const MemoryMark mem("one byte every 100 ms");
  TestCalc h;
  asio::io_context io;
  corothrift::ServerOptions so;
  so.read_timeout = 500ms;
  corothrift::Server server(io.get_executor(), so);
  server.add_service<Calc>(h);
  const auto ep = server.listen("127.0.0.1", 0);
  run(io, [&]() -> asio::awaitable<void> {
    auto calc = co_await corothrift::connect<Calc>(io.get_executor(), "127.0.0.1", ep.port());

    // A describe() request of a few hundred bytes: trickled whole it would take ~30 s.
    Calc::describe::args args;
    args.s.id = 1;
    args.s.name = std::string(250, 't');
    args.how.number = 1;
    const Bytes req = message("describe", MessageType::Call, 1, args);
    tcp::socket s = co_await raw_connect(ep.port());
    s.set_option(asio::ip::tcp::no_delay(true));
    std::size_t sent = 0;
    bool stop = false;
    std::error_code write_error;
    Event trickler_done;
    clock::time_point t0 = clock::now();
    asio::co_spawn(io, [&]() -> asio::awaitable<void> {
      for (std::size_t i = 0; i < req.size() && !stop; ++i) {
        if (i == 0) t0 = clock::now();
        std::error_code ec;
        co_await asio::async_write(s, asio::buffer(&req[i], 1), asio::redirect_error(asio::use_awaitable, ec));
        if (ec) {
          write_error = ec;
          break;
        }
        ++sent;
        co_await sleep_for(100ms);  // the pace of the trickle (not a synchronisation)
      }
      trickler_done.set();
    }, asio::detached);

    // Meanwhile the well-behaved client is answered.
    for (std::int32_t i = 0; i < 5; ++i) {
      const std::int32_t v = co_await calc.add(i, 100);
      CHECK(v == i + 100);
    }
    const bool closed = co_await closed_by_peer(s, 5s);
    const auto took = elapsed_ms(t0);
    stop = true;
    const bool trickler_ended = co_await trickler_done.wait(3s);
    CHECK(trickler_ended);
    CHECK(closed);
    CHECK(took >= 450);   // read_timeout 500 ms from the first byte
    CHECK(took < 2000);   // not kept alive by the trickle
    CHECK(sent < req.size());
    CHECK(sent <= 20);
    MESSAGE("trickled " << sent << " of " << req.size() << " bytes, one per 100 ms: dropped after " << took << " ms");
    s.close();
    const bool gone = co_await eventually([&] { return server.connection_count() == 1; });
    CHECK(gone);
    CHECK(h.describes == 0);
    const std::int32_t v = co_await calc.add(7, 8);
    CHECK(v == 15);
    co_await check_well_behaved(ep.port());
    server.stop();
  });
  mem.report(true);
}

// ---- 5. a flood of connections past max_connections --------------------------------------

TEST_CASE("rpc hostile: 1,000 connections at once against max_connections = 100") {
  const MemoryMark mem("1,000 connections, max_connections 100");
  struct rlimit rl {};
  REQUIRE(::getrlimit(RLIMIT_NOFILE, &rl) == 0);
  const struct rlimit saved = rl;
  if (rl.rlim_cur != rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    CHECK(::setrlimit(RLIMIT_NOFILE, &rl) == 0);
    REQUIRE(::getrlimit(RLIMIT_NOFILE, &rl) == 0);
  }
  const std::size_t limit = 100;
  std::size_t count = 1000;
  // Both ends of each connection live in this process: ~2 descriptors each, plus some.
  const rlim_t wanted = 2 * count + 100;
  if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < wanted) {
    count = rl.rlim_cur > 100 ? static_cast<std::size_t>((rl.rlim_cur - 100) / 2) : 0;
    MESSAGE("RLIMIT_NOFILE hard limit " << rl.rlim_max << " is too low for " << wanted << " descriptors: " << count
                                        << " connections instead of 1,000");
  }
  REQUIRE(count > limit + 10);
  MESSAGE("RLIMIT_NOFILE soft limit " << rl.rlim_cur << " (hard " << rl.rlim_max << "); " << count << " connections");

  TestCalc h;
  asio::io_context io;
  corothrift::ServerOptions so;
  so.max_connections = limit;
  corothrift::Server server(io.get_executor(), so);
  server.add_service<Calc>(h);
  const auto ep = server.listen("127.0.0.1", 0);
  run(io, [&]() -> asio::awaitable<void> {
    auto calc = co_await corothrift::connect<Calc>(io.get_executor(), "127.0.0.1", ep.port());
    std::int32_t v = co_await calc.add(1, 1);
    CHECK(v == 2);
    REQUIRE(server.connection_count() == 1);

    std::size_t max_seen = server.connection_count();
    auto sample = [&] { max_seen = std::max(max_seen, server.connection_count()); };
    std::vector<std::unique_ptr<tcp::socket>> sockets;
    for (std::size_t i = 0; i < count; ++i) sockets.push_back(std::make_unique<tcp::socket>(io));
    std::size_t connected = 0, connect_failed = 0, closed_by_server = 0, readers_done = 0, bytes_received = 0;
    std::string first_connect_error;
    Event readers_finished;
    const tcp::endpoint server_ep(asio::ip::make_address("127.0.0.1"), ep.port());
    for (std::size_t i = 0; i < count; ++i) {
      asio::co_spawn(io, [&, i]() -> asio::awaitable<void> {
        tcp::socket& sock = *sockets[i];
        std::error_code ec;
        co_await sock.async_connect(server_ep, asio::redirect_error(asio::use_awaitable, ec));
        sample();
        if (ec) {
          if (connect_failed++ == 0) first_connect_error = ec.message();
        } else {
          ++connected;
          std::byte buf[64];
          for (;;) {  // wait for the server's close (or ours at the end)
            std::error_code rec;
            const std::size_t n = co_await sock.async_read_some(asio::buffer(buf), asio::redirect_error(asio::use_awaitable, rec));
            sample();
            bytes_received += n;
            if (rec) {
              if (rec == asio::error::eof || rec == asio::error::connection_reset) ++closed_by_server;
              break;
            }
          }
        }
        if (++readers_done == count) readers_finished.set();
      }, asio::detached);
    }

    // Meanwhile the client that connected first keeps calling, until every hostile
    // connection is either served (limit - 1 of them) or closed by the server.
    const std::size_t expected_closed = count - (limit - 1);
    int answers = 0, wrong = 0, failures = 0;
    std::string first_failure;
    const auto deadline = clock::now() + 10s;
    const auto t0 = clock::now();
    for (std::int32_t i = 0; clock::now() < deadline; ++i) {
      if (connected + connect_failed == count && closed_by_server >= expected_closed) break;
      bool failed = false;
      try {
        const std::int32_t r = co_await calc.add(i, 1);
        (r == i + 1 ? answers : wrong)++;
      } catch (const std::exception& e) {
        if (failures++ == 0) first_failure = e.what();
        failed = true;
      }
      if (failed) co_await sleep_for(2ms);
      sample();
    }
    const auto took = elapsed_ms(t0);
    sample();
    MESSAGE(count << " connections: " << connected << " connected, " << closed_by_server << " closed by the server, "
                  << server.connection_count() << " served; the first client got " << answers << " answers meanwhile; "
                  << took << " ms; highest connection_count() seen " << max_seen);
    CHECK_MESSAGE(connect_failed == 0, first_connect_error);
    CHECK(connected == count);
    CHECK(closed_by_server == expected_closed);
    CHECK(max_seen <= limit);
    CHECK(server.connection_count() == limit);
    CHECK(bytes_received == 0);
    CHECK(answers > 0);
    CHECK(wrong == 0);
    CHECK_MESSAGE(failures == 0, first_failure);
    CHECK(calc.is_open());
    v = co_await calc.add(20, 22);
    CHECK(v == 42);

    // The hostile clients leave: the server forgets them and serves new clients again.
    for (auto& sock : sockets) {
      std::error_code ignored;
      sock->close(ignored);
    }
    const bool readers = co_await readers_finished.wait(5s);
    CHECK(readers);
    const bool left = co_await eventually([&] { return server.connection_count() == 1; }, 5s);
    CHECK(left);
    CHECK(max_seen <= limit);
    co_await check_well_behaved(ep.port());
    v = co_await calc.add(3, 4);
    CHECK(v == 7);
    server.stop();
  }, 30s);
  mem.report(true);
  ::setrlimit(RLIMIT_NOFILE, &saved);
}

// ---- 6. a client that vanishes mid-request -----------------------------------------------

TEST_CASE("rpc hostile: a client that closes mid-request is forgotten, no handler runs") {
  const MemoryMark mem("close mid-request");
  TestCalc h;
  asio::io_context io;
  corothrift::Server server(io.get_executor());
  server.add_service<Calc>(h);
  const auto ep = server.listen("127.0.0.1", 0);
  run(io, [&]() -> asio::awaitable<void> {
    auto calc = co_await corothrift::connect<Calc>(io.get_executor(), "127.0.0.1", ep.port());
    std::int32_t v = co_await calc.add(1, 2);
    CHECK(v == 3);
    const std::size_t previous = server.connection_count();
    REQUIRE(previous == 1);
    const std::size_t calls_before = total_handler_calls(h);

    const Bytes add_req = add_request(1, 2, 3);
    Calc::describe::args dargs;
    dargs.s.id = 1;
    dargs.s.name = std::string(4000, 'd');
    const Bytes describe_req = message("describe", MessageType::Call, 2, dargs);
    const Bytes big_header = frame_length(16'000'000) + Bytes(1024, std::byte{0});
    struct Case {
      const char* name;
      Bytes bytes;
      bool reset;        // close with RST (SO_LINGER 0) instead of FIN
      std::size_t calls;  // handler calls expected (whole requests sent)
    };
    std::vector<Case> cases;
    cases.push_back({"two bytes of the frame length", Bytes(add_req.begin(), add_req.begin() + 2), false, 0});
    cases.push_back({"frame length and half the body", Bytes(add_req.begin(), add_req.begin() + 4 + (add_req.size() - 4) / 2), false, 0});
    cases.push_back({"a 4 KB describe() but its last byte", Bytes(describe_req.begin(), describe_req.end() - 1), false, 0});
    cases.push_back({"a frame of 16,000,000 announced, 1 KiB sent", big_header, false, 0});
    cases.push_back({"half a frame, then a reset", Bytes(add_req.begin(), add_req.begin() + 4 + (add_req.size() - 4) / 2), true, 0});
    cases.push_back({"a whole request and half of the next", add_request(3, 4, 5) + Bytes(add_req.begin(), add_req.begin() + 9), false, 1});
    for (const Case& c : cases) {
      const std::string name = c.name;
      INFO(name);
      const std::size_t calls0 = total_handler_calls(h);
      const std::size_t alloc0 = allocated_bytes();
      tcp::socket s = co_await raw_connect(ep.port());
      const bool accepted = co_await eventually([&] { return server.connection_count() == previous + 1; });
      REQUIRE(accepted);
      co_await write_all(s, c.bytes);
      if (c.reset) s.set_option(asio::socket_base::linger(true, 0));
      s.close();
      const bool forgotten = co_await eventually([&] { return server.connection_count() == previous; });
      CHECK(forgotten);
      CHECK(total_handler_calls(h) - calls0 == c.calls);
      // What the connection held (its receive buffer: 16 MB for the announced frame) is freed.
      const std::size_t alloc1 = allocated_bytes();
      CHECK_MESSAGE(alloc1 < alloc0 + 1024 * 1024, "heap grew by " << (alloc1 - alloc0) << " bytes");
    }
    CHECK(total_handler_calls(h) - calls_before == 1);  // only the one whole request
    v = co_await calc.add(20, 22);
    CHECK(v == 42);
    co_await check_well_behaved(ep.port());
    server.stop();
  });
  mem.report(true);
}

// ---- 7. a client that never reads its replies --------------------------------------------

TEST_CASE("rpc hostile: a client that never reads 128 MiB of replies is dropped at max_pending_reply_bytes, memory stays bounded") {
  const MemoryMark mem("never reads its replies");
  TestCalc h;
  asio::io_context io;
  corothrift::ServerOptions so;
  so.max_pending_reply_bytes = 1024 * 1024;
  corothrift::Server server(io.get_executor(), so);
  server.add_service<Calc>(h);
  const auto ep = server.listen("127.0.0.1", 0);
  run(io, [&]() -> asio::awaitable<void> {
    using namespace asio::experimental::awaitable_operators;
    auto calc = co_await corothrift::connect<Calc>(io.get_executor(), "127.0.0.1", ep.port());
    std::int32_t v = co_await calc.add(1, 2);
    CHECK(v == 3);
    const std::size_t previous = server.connection_count();

    // 512 describe() requests of 256 KiB, each answered with a 256 KiB reply: 128 MiB of
    // replies, none read. One request buffer, written again and again.
    Calc::describe::args args;
    args.s.id = 1;
    args.s.name = std::string(256 * 1024, 'r');
    const Bytes req = message("describe", MessageType::Call, 1, args);
    const int requests = 512;
    tcp::socket s(io);
    s.open(tcp::v4());
    s.set_option(asio::socket_base::receive_buffer_size(4096));
    co_await s.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), ep.port()), asio::use_awaitable);
    int written = 0;
    std::error_code write_error;
    auto writer = [&]() -> asio::awaitable<void> {
      for (; written < requests; ++written) {
        std::error_code ec;
        co_await asio::async_write(s, asio::buffer(req), asio::redirect_error(asio::use_awaitable, ec));
        if (ec) {
          write_error = ec;
          co_return;
        }
      }
    };
    asio::steady_timer deadline(io, 8s);
    const auto t0 = clock::now();
    co_await (writer() || deadline.async_wait(asio::use_awaitable));
    const auto took = elapsed_ms(t0);
    MESSAGE("wrote " << written << " requests of " << req.size() << " bytes in " << took << " ms; the write ended with '"
                     << write_error.message() << "'; " << h.describes << " handled");
    CHECK(write_error);           // the server hung up on it ...
    CHECK(written < requests);    // ... long before 128 MiB of replies were queued
    CHECK(h.describes < requests);
    const bool dropped = co_await eventually([&] { return server.connection_count() == previous; }, 5s);
    CHECK(dropped);
    s.close();

    v = co_await calc.add(20, 22);
    CHECK(v == 42);
    co_await check_well_behaved(ep.port());
    server.stop();
  }, 20s);
  mem.report(true);
}
