// Framed transport: frame writing, the incremental FrameDecoder and its errors.
#include <doctest/doctest.h>

#include <corothrift/protocol.hpp>
#include <corothrift/transport.hpp>

#include "shapes_thrift.hpp"
#include "test_util.hpp"

using namespace corothrift;
using testutil::bytes;
using testutil::canon;
using testutil::hex;

TEST_CASE("a frame is a 4-byte big-endian length, then the message") {
  BinaryWriter w;
  std::size_t mark = begin_frame(w);
  w.write_message_begin("ping", MessageType::Call, 1);
  w.write_field_stop();
  REQUIRE(!end_frame(w, mark));
  CHECK(hex(w.view()) == canon("00 00 00 11  80 01 00 01 00 00 00 04 70 69 6e 67 00 00 00 01 00"));
}

TEST_CASE("end_frame refuses a payload over the maximum frame size") {
  BinaryWriter w;
  std::size_t mark = begin_frame(w);
  w.write_string("0123456789");  // 14 bytes
  CHECK(!end_frame(w, mark, FrameLimits{14}));
  w.clear();
  mark = begin_frame(w);
  w.write_string("0123456789");
  Error e = end_frame(w, mark, FrameLimits{13});
  CHECK(e.kind == ErrorKind::frame_too_large);
  CHECK(e.value == 14);
}

TEST_CASE("end_frame never writes a negative length, whatever the configured limit") {
  BinaryWriter w;
  std::size_t mark = begin_frame(w);
  w.prepare(std::size_t{1} << 31);  // 2 GiB of payload (never touched, so never paged in)
  w.commit(std::size_t{1} << 31);
  Error e = end_frame(w, mark, FrameLimits{0xffffffffu});
  CHECK(e.kind == ErrorKind::frame_too_large);
}

TEST_CASE("FrameDecoder: byte by byte, several frames, need-more counts") {
  auto stream = bytes("00 00 00 02 aa bb  00 00 00 00  00 00 00 01 cc");
  FrameDecoder d;
  std::vector<std::string> frames;
  std::vector<std::size_t> needs;
  for (std::byte b : stream) {
    d.feed(std::span(&b, 1));
    for (;;) {
      FrameEvent ev = d.next();
      if (ev.status == FrameEvent::Status::frame) {
        frames.push_back(hex(ev.payload));
        continue;
      }
      REQUIRE(ev.status == FrameEvent::Status::need_more);
      needs.push_back(ev.needed);
      break;
    }
  }
  CHECK(frames == std::vector<std::string>{"aa bb", "", "cc"});
  // after each of the first 6 bytes: 3,2,1 bytes of header missing, then 2,1 payload bytes, then a new header
  CHECK(std::vector<std::size_t>(needs.begin(), needs.begin() + 6) == std::vector<std::size_t>{3, 2, 1, 2, 1, 4});
  CHECK(d.buffered() == 0);
}

TEST_CASE("FrameDecoder: all frames of one big chunk") {
  BinaryWriter w;
  for (int i = 0; i < 100; ++i) {
    std::size_t m = begin_frame(w);
    encode(w, shapes::Inner{i, std::string(static_cast<std::size_t>(i), 'x')});
    REQUIRE(!end_frame(w, m));
  }
  FrameDecoder d;
  d.feed(w.view());
  int n = 0;
  for (FrameEvent ev = d.next(); ev.status == FrameEvent::Status::frame; ev = d.next()) {
    auto v = decode<shapes::Inner>(ev.payload);
    REQUIRE(v);
    CHECK(v->x == n);
    CHECK(v->label.size() == static_cast<std::size_t>(n));
    ++n;
  }
  CHECK(n == 100);
}

TEST_CASE("FrameDecoder: negative and oversized lengths fail once the 4 bytes are in") {
  {
    FrameDecoder d;
    d.feed(bytes("00 00 00 01 aa  ff ff ff ff"));
    CHECK(d.next().status == FrameEvent::Status::frame);
    FrameEvent ev = d.next();
    REQUIRE(ev.status == FrameEvent::Status::error);
    CHECK(ev.error.kind == ErrorKind::negative_size);
    CHECK(ev.error.offset == 5);
    d.feed(bytes("00"));  // sticky
    CHECK(d.next().status == FrameEvent::Status::error);
  }
  {
    FrameDecoder d;  // default 16,384,000
    d.feed(bytes("7f ff ff ff"));
    FrameEvent ev = d.next();
    REQUIRE(ev.status == FrameEvent::Status::error);
    CHECK(ev.error.kind == ErrorKind::frame_too_large);
    CHECK(ev.error.value == 0x7fffffff);
    CHECK(d.buffered() == 4);  // nothing was reserved for the announced size
  }
  {
    FrameDecoder at(FrameLimits{3});
    at.feed(bytes("00 00 00 03 01 02 03"));
    CHECK(at.next().status == FrameEvent::Status::frame);
    FrameDecoder past(FrameLimits{2});
    past.feed(bytes("00 00 00 03 01 02 03"));
    CHECK(past.next().error.kind == ErrorKind::frame_too_large);
    past.reset();
    past.feed(bytes("00 00 00 02 01 02"));
    CHECK(past.next().status == FrameEvent::Status::frame);
  }
  CHECK(FrameLimits{}.max_frame_size == 16'384'000u);
}

TEST_CASE("parse_frame is stateless and reports what is missing") {
  auto in = bytes("00 00 01 00 aa");
  FrameEvent ev = parse_frame(in);
  CHECK(ev.status == FrameEvent::Status::need_more);
  CHECK(ev.needed == 255);
  CHECK(parse_frame(std::span(in).first(2)).needed == 2);
}
