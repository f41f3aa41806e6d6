// MessageStream: the receive buffer the client and server read sockets into, cut into whole
// messages (framed or unframed) whatever the chunking.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstring>

#include <corothrift/protocol.hpp>
#include <corothrift/transport.hpp>

#include "shapes_thrift.hpp"
#include "test_util.hpp"

using namespace corothrift;
using testutil::Rng;

namespace {

/// Three messages of different sizes, framed or not, back to back; `bodies` gets each
/// message's bytes (header + struct, without the frame length).
std::vector<std::byte> stream_of(Transport t, std::vector<std::vector<std::byte>>& bodies) {
  BinaryWriter w;
  for (int i = 0; i < 3; ++i) {
    shapes::Small s;
    s.id = i;
    s.name = std::string(static_cast<std::size_t>(i) * 3000, static_cast<char>('a' + i));
    std::size_t mark = t == Transport::framed ? begin_frame(w) : 0;
    std::size_t start = w.size();
    w.write_message_begin(std::string("m").append(std::to_string(i)), MessageType::Call, i);
    REQUIRE(!encode(w, s));
    bodies.emplace_back(w.view().begin() + static_cast<std::ptrdiff_t>(start), w.view().end());
    if (t == Transport::framed) REQUIRE(!end_frame(w, mark));
  }
  return {w.view().begin(), w.view().end()};
}

/// Feed `in` in chunks of random size (at most `max_chunk`) and collect the messages.
std::vector<std::vector<std::byte>> cut(MessageStream& s, std::span<const std::byte> in, Rng& rng, std::size_t max_chunk) {
  std::vector<std::vector<std::byte>> out;
  std::size_t pos = 0;
  while (pos < in.size()) {
    std::span<std::byte> room = s.prepare(1);
    std::size_t n = std::min({room.size(), in.size() - pos, 1 + static_cast<std::size_t>(rng.next() % max_chunk)});
    std::memcpy(room.data(), in.data() + pos, n);
    s.commit(n);
    pos += n;
    for (auto ev = s.next(); ev.status == StreamEvent::Status::message; ev = s.next())
      out.emplace_back(ev.message.begin(), ev.message.end());
  }
  return out;
}

}  // namespace

TEST_CASE("framed and unframed streams are cut into the same messages in any chunking") {
  for (Transport t : {Transport::framed, Transport::buffered}) {
    CAPTURE(to_string(t));
    std::vector<std::vector<std::byte>> bodies;
    auto bytes = stream_of(t, bodies);
    Rng rng(7);
    for (std::size_t max_chunk : {std::size_t{1}, std::size_t{3}, std::size_t{100}, std::size_t{100000}}) {
      MessageStream s(t);
      auto got = cut(s, bytes, rng, max_chunk);
      CHECK(got == bodies);
      CHECK(s.buffered() == 0);
      CHECK_FALSE(s.partial());
    }
  }
}

TEST_CASE("a partial message is reported as partial and completes later") {
  std::vector<std::vector<std::byte>> bodies;
  auto bytes = stream_of(Transport::framed, bodies);
  MessageStream s(Transport::framed);
  auto room = s.prepare(10);
  std::memcpy(room.data(), bytes.data(), 10);
  s.commit(10);
  CHECK(s.next().status == StreamEvent::Status::need_more);
  CHECK(s.partial());
  // The next prepare() makes room for the rest of the frame at once.
  std::size_t first_frame = 4 + bodies[0].size();
  room = s.prepare(1);
  CHECK(room.size() >= first_frame - 10);
}

TEST_CASE("a frame length over the limit is an error before anything is allocated for it") {
  MessageStream s(Transport::framed, FrameLimits{1000});
  BinaryWriter w;
  w.write_i32(2'000'000'000);
  auto room = s.prepare(4);
  std::memcpy(room.data(), w.data(), 4);
  s.commit(4);
  auto ev = s.next();
  REQUIRE(ev.status == StreamEvent::Status::error);
  CHECK(ev.error.kind == ErrorKind::frame_too_large);
  CHECK(s.capacity() < 100'000);
  CHECK(s.next().status == StreamEvent::Status::error);  // sticky
}

TEST_CASE("a frame length within the limit reserves memory as bytes arrive, not all at once") {
  // A peer that announces a 16 MB frame and sends 4 bytes must not make us hold 16 MB.
  constexpr std::uint32_t size = 16'000'000;
  MessageStream s(Transport::framed, FrameLimits{16'384'000});
  std::vector<std::byte> frame(4 + size);
  for (std::size_t i = 4; i < frame.size(); ++i) frame[i] = static_cast<std::byte>(i * 7);
  frame[0] = std::byte{0x00};
  frame[1] = std::byte{0xf4};
  frame[2] = std::byte{0x24};
  frame[3] = std::byte{0x00};  // 16,000,000 big-endian
  std::size_t pos = 0;
  auto feed = [&](std::size_t n) {
    while (n > 0) {
      auto room = s.prepare();
      std::size_t k = std::min({room.size(), n, frame.size() - pos});
      std::memcpy(room.data(), frame.data() + pos, k);
      s.commit(k);
      pos += k;
      n -= k;
    }
  };
  feed(4);
  CHECK(s.next().status == StreamEvent::Status::need_more);
  CHECK(s.prepare().size() <= 128 * 1024);
  CHECK(s.capacity() <= 128 * 1024);
  feed(1'000'000);  // capacity follows what has arrived (at most about twice that)
  CHECK(s.next().status == StreamEvent::Status::need_more);
  s.prepare();
  CHECK(s.capacity() <= 2'300'000);
  feed(frame.size() - pos);
  auto ev = s.next();
  REQUIRE(ev.status == StreamEvent::Status::message);
  REQUIRE(ev.message.size() == size);
  CHECK(std::memcmp(ev.message.data(), frame.data() + 4, size) == 0);
}

TEST_CASE("an unframed message over max_message_size is an error; a malformed one too") {
  ReaderOptions ro;
  ro.limits.max_message_size = 64;
  MessageStream s(Transport::buffered, FrameLimits{}, ro);
  BinaryWriter w;
  w.write_message_begin("big", MessageType::Call, 1);
  w.write_field_begin(TType::String, 1);
  w.write_string(std::string(100, 'x'));
  w.write_field_stop();
  auto room = s.prepare(w.size());
  std::memcpy(room.data(), w.data(), w.size());
  s.commit(w.size());
  auto ev = s.next();
  REQUIRE(ev.status == StreamEvent::Status::error);
  CHECK(ev.error.kind == ErrorKind::message_too_large);

  MessageStream bad(Transport::buffered);
  BinaryWriter g;
  g.write_i32(static_cast<std::int32_t>(0x80020001u));  // wrong version
  room = bad.prepare(4);
  std::memcpy(room.data(), g.data(), 4);
  bad.commit(4);
  ev = bad.next();
  REQUIRE(ev.status == StreamEvent::Status::error);
  CHECK(ev.error.kind == ErrorKind::bad_version);
}

TEST_CASE("error offsets count from the start of the stream") {
  std::vector<std::vector<std::byte>> bodies;
  auto bytes = stream_of(Transport::framed, bodies);
  bytes.push_back(std::byte{0xff});  // a negative frame length after the three frames
  bytes.push_back(std::byte{0xff});
  bytes.push_back(std::byte{0xff});
  bytes.push_back(std::byte{0xff});
  MessageStream s(Transport::framed);
  Rng rng(1);
  auto got = cut(s, bytes, rng, 50);
  CHECK(got.size() == 3);
  auto ev = s.next();
  REQUIRE(ev.status == StreamEvent::Status::error);
  CHECK(ev.error.kind == ErrorKind::negative_size);
  CHECK(ev.error.offset == bytes.size() - 4);
}

TEST_CASE("steady state allocates nothing: the buffer keeps its capacity") {
  std::vector<std::vector<std::byte>> bodies;
  auto bytes = stream_of(Transport::framed, bodies);
  MessageStream s(Transport::framed);
  Rng rng(3);
  cut(s, bytes, rng, 4096);
  std::size_t cap = s.capacity();
  for (int i = 0; i < 20; ++i) cut(s, bytes, rng, 4096);
  CHECK(s.capacity() == cap);
}
