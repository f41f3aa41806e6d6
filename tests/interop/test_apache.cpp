// Interop with Apache Thrift 0.17's C++ TBinaryProtocol: the same values serialized by
// Apache's generated code and by corothrift must be the same bytes, and each side must
// decode the other's bytes.
#include <doctest/doctest.h>

#include <cstdio>
#include <memory>

#include <thrift/config.h>
#include <thrift/protocol/TBinaryProtocol.h>
#include <thrift/transport/TBufferTransports.h>

#include <corothrift/protocol.hpp>
#include <corothrift/transport.hpp>

#include "Calculator.h"
#include "interop_usual_types.h"
#include "shapes_thrift.hpp"
#include "test_util.hpp"

using apache::thrift::protocol::TBinaryProtocol;
using apache::thrift::transport::TMemoryBuffer;
using testutil::hex;
using testutil::Rng;

namespace {

struct ApacheSide {
  std::shared_ptr<TMemoryBuffer> buf = std::make_shared<TMemoryBuffer>();
  std::shared_ptr<TBinaryProtocol> proto;
  explicit ApacheSide(bool strict_write = true) : proto(std::make_shared<TBinaryProtocol>(buf)) {
    proto->setStrict(false, strict_write);
  }
  std::vector<std::byte> bytes() {
    std::uint8_t* p;
    std::uint32_t n;
    buf->getBuffer(&p, &n);
    auto* b = reinterpret_cast<std::byte*>(p);
    return {b, b + n};
  }
  void load(std::span<const std::byte> in) {
    buf->resetBuffer();
    buf->write(reinterpret_cast<const std::uint8_t*>(in.data()), static_cast<std::uint32_t>(in.size()));
  }
};

// ---- corothrift value -> the same value in Apache's generated types ------------------------
apache_usual::Inner to_apache(const shapes::Inner& v) {
  apache_usual::Inner a;
  a.__set_x(v.x);
  a.__set_label(v.label);
  return a;
}
apache_usual::Small to_apache(const shapes::Small& v) {
  apache_usual::Small a;
  a.__set_id(v.id);
  a.__set_timestamp(v.timestamp);
  a.__set_score(v.score);
  a.__set_active(v.active);
  a.__set_name(v.name);
  a.__set_flags(v.flags);
  return a;
}
apache_usual::Numbers to_apache(const shapes::Numbers& v) {
  apache_usual::Numbers a;
  a.__set_values(v.values);
  return a;
}
apache_usual::Blob to_apache(const shapes::Blob& v) {
  apache_usual::Blob a;
  a.__set_data(v.data);
  return a;
}
apache_usual::Nested to_apache(const shapes::Nested& v) {
  apache_usual::Nested a;
  a.__set_name(v.name);
  a.__set_counts(v.counts);
  a.__set_inner(to_apache(v.inner));
  std::vector<apache_usual::Inner> items;
  for (const auto& i : v.items) items.push_back(to_apache(i));
  a.__set_items(items);
  return a;
}
apache_usual::Everything to_apache(const shapes::Everything& v) {
  apache_usual::Everything a;
  a.__set_flag(v.flag);
  a.__set_tiny(v.tiny);
  a.__set_small(v.small);
  a.__set_medium(v.medium);
  a.__set_large(v.large);
  a.__set_real(v.real);
  a.__set_text(v.text);
  a.__set_raw(v.raw);
  a.__set_ints(v.ints);
  a.__set_tags(v.tags);
  a.__set_names(v.names);
  a.__set_series(v.series);
  a.__set_deep(v.deep);
  a.__set_color(static_cast<apache_usual::Color::type>(v.color));
  if (v.maybe_int) a.__set_maybe_int(*v.maybe_int);
  if (v.maybe_text) a.__set_maybe_text(*v.maybe_text);
  a.__set_inner(to_apache(v.inner));
  std::vector<apache_usual::Inner> inners;
  for (const auto& i : v.inners) inners.push_back(to_apache(i));
  a.__set_inners(inners);
  a.__set_must(v.must);
  a.__set_bits(v.bits);
  std::set<apache_usual::Color::type> colors;
  for (auto c : v.colors) colors.insert(static_cast<apache_usual::Color::type>(c));
  a.__set_colors(colors);
  a.__set_reals(v.reals);
  return a;
}

/// The core check: same bytes both ways, and each side decodes the other's bytes.
template <class Ours>
void check_interop(const Ours& ours) {
  auto theirs = to_apache(ours);
  ApacheSide apache;
  theirs.write(apache.proto.get());
  std::vector<std::byte> apache_bytes = apache.bytes();

  corothrift::BinaryWriter w;
  REQUIRE(!corothrift::encode(w, ours));
  std::vector<std::byte> our_bytes(w.view().begin(), w.view().end());
  REQUIRE(hex(our_bytes) == hex(apache_bytes));

  // Apache's bytes -> corothrift
  auto back = corothrift::decode<Ours>(apache_bytes);
  REQUIRE(back);
  CHECK(*back == ours);
  // corothrift's bytes -> Apache
  ApacheSide reader;
  reader.load(our_bytes);
  decltype(theirs) decoded;
  decoded.read(reader.proto.get());
  CHECK(decoded == theirs);
  // and corothrift's generic skip walks Apache's bytes exactly
  corothrift::BinaryReader r(apache_bytes);
  r.skip(corothrift::TType::Struct);
  CHECK(r.ok());
  CHECK(r.remaining() == 0);
}

shapes::Everything rich(Rng& g) {
  shapes::Everything e;
  e.flag = g.below(2);
  e.tiny = static_cast<std::int8_t>(g.next());
  e.small = static_cast<std::int16_t>(g.next());
  e.medium = static_cast<std::int32_t>(g.next());
  e.large = static_cast<std::int64_t>(g.next());
  e.real = static_cast<double>(static_cast<std::int64_t>(g.next())) / 3.0;
  e.text = g.str(30);
  e.raw = g.str(200);
  for (std::size_t i = g.below(20); i > 0; --i) e.ints.push_back(static_cast<std::int32_t>(g.next()));
  for (std::size_t i = g.below(6); i > 0; --i) e.tags.insert(g.str(5));
  for (std::size_t i = g.below(6); i > 0; --i) e.names[static_cast<std::int32_t>(g.next())] = g.str(4);
  for (std::size_t i = g.below(4); i > 0; --i) {
    auto& s = e.series[g.str(3)];
    for (std::size_t j = g.below(6); j > 0; --j) s.push_back(static_cast<std::int64_t>(g.next()));
  }
  for (std::size_t i = g.below(3); i > 0; --i) {
    std::map<std::string, std::set<std::int16_t>> m;
    for (std::size_t j = g.below(3); j > 0; --j) m[g.str(2)].insert(static_cast<std::int16_t>(g.next()));
    e.deep.push_back(m);
  }
  e.color = g.below(2) ? shapes::Color::BLUE : shapes::Color::GREEN;
  if (g.below(2)) e.maybe_int = static_cast<std::int32_t>(g.next());
  if (g.below(2)) e.maybe_text = g.str(8);
  e.inner = {static_cast<std::int32_t>(g.next()), g.str(6)};
  for (std::size_t i = g.below(4); i > 0; --i) e.inners.push_back({static_cast<std::int32_t>(g.next()), g.str(4)});
  e.must = static_cast<std::int64_t>(g.next());
  for (std::size_t i = g.below(12); i > 0; --i) e.bits.push_back(g.below(2));
  for (std::size_t i = g.below(3); i > 0; --i) e.colors.insert(g.below(2) ? shapes::Color::RED : shapes::Color::BLUE);
  for (std::size_t i = g.below(5); i > 0; --i) e.reals.push_back(static_cast<double>(g.next() >> 12) * 1e-3);
  return e;
}

}  // namespace

TEST_CASE("the peer is Apache Thrift 0.17 C++") {
  std::printf("interop peer: Apache Thrift %s C++ TBinaryProtocol (libthrift), generated by thrift --gen cpp\n",
              PACKAGE_VERSION);
  CHECK(std::string(PACKAGE_VERSION).rfind("0.", 0) == 0);
}

TEST_CASE("benchmark shapes are byte-identical with Apache and decode both ways") {
  check_interop(shapes::Small{42, 1'700'000'000'123, 3.25, true, "corothrift", -7});
  shapes::Numbers n;
  for (int i = 0; i < 1000; ++i) n.values.push_back(static_cast<std::int64_t>(i) * 0x0101010101LL - 5000);
  check_interop(n);
  shapes::Blob b;
  b.data.resize(64 * 1024);
  for (std::size_t i = 0; i < b.data.size(); ++i) b.data[i] = static_cast<char>(i * 31);
  check_interop(b);
  shapes::Nested nested;
  nested.name = "nested";
  for (int i = 0; i < 100; ++i) nested.counts[std::string("key").append(std::to_string(i))] = i * i;
  nested.inner = {1, "inner"};
  nested.items = {{2, "a"}, {3, "b"}};
  check_interop(nested);
}

TEST_CASE("empty and default values, empty containers") {
  check_interop(shapes::Small{});
  check_interop(shapes::Numbers{});
  check_interop(shapes::Nested{});
  check_interop(shapes::Everything{});
}

TEST_CASE("randomized structs of every type: identical bytes, both directions") {
  Rng g(2024);
  for (int i = 0; i < 300; ++i) check_interop(rich(g));
}

TEST_CASE("message headers: strict and old forms, both directions") {
  for (bool strict : {true, false}) {
    CAPTURE(strict);
    for (auto type : {corothrift::MessageType::Call, corothrift::MessageType::Reply,
                      corothrift::MessageType::Exception, corothrift::MessageType::Oneway}) {
      ApacheSide apache(strict);
      apache.proto->writeMessageBegin("getSmall", static_cast<apache::thrift::protocol::TMessageType>(type), 1234);
      to_apache(shapes::Small{1, 2, 3.0, false, "n", 4}).write(apache.proto.get());
      apache.proto->writeMessageEnd();

      corothrift::BinaryWriter w(corothrift::WriterOptions{.strict_write = strict});
      w.write_message_begin("getSmall", type, 1234);
      REQUIRE(!corothrift::encode(w, shapes::Small{1, 2, 3.0, false, "n", 4}));
      auto apache_bytes = apache.bytes();
      REQUIRE(hex(w.view()) == hex(apache_bytes));

      corothrift::BinaryReader r(apache_bytes);
      corothrift::MessageHeader h = r.read_message_begin();
      CHECK(r.ok());
      CHECK(h.name == "getSmall");
      CHECK(h.type == type);
      CHECK(h.seqid == 1234);

      ApacheSide reader;
      reader.load(w.view());
      std::string name;
      apache::thrift::protocol::TMessageType t;
      std::int32_t seqid = 0;
      reader.proto->readMessageBegin(name, t, seqid);
      CHECK(name == "getSmall");
      CHECK(static_cast<int>(t) == static_cast<int>(type));
      CHECK(seqid == 1234);

      // the unframed scanner finds the end of Apache's message
      corothrift::MessageScanner scan;
      corothrift::ScanEvent ev = scan.feed(apache_bytes);
      CHECK(ev.status == corothrift::ScanEvent::Status::complete);
      CHECK(ev.message_size == apache_bytes.size());
    }
  }
}

TEST_CASE("framing matches Apache's TFramedTransport") {
  auto mem = std::make_shared<TMemoryBuffer>();
  auto framed = std::make_shared<apache::thrift::transport::TFramedTransport>(mem);
  TBinaryProtocol proto(framed);
  proto.writeMessageBegin("ping", apache::thrift::protocol::T_CALL, 9);
  to_apache(shapes::Inner{5, "x"}).write(&proto);
  proto.writeMessageEnd();
  framed->flush();
  std::uint8_t* p;
  std::uint32_t n;
  mem->getBuffer(&p, &n);
  std::vector<std::byte> apache_bytes(reinterpret_cast<std::byte*>(p), reinterpret_cast<std::byte*>(p) + n);

  corothrift::BinaryWriter w;
  std::size_t mark = corothrift::begin_frame(w);
  w.write_message_begin("ping", corothrift::MessageType::Call, 9);
  REQUIRE(!corothrift::encode(w, shapes::Inner{5, "x"}));
  REQUIRE(!corothrift::end_frame(w, mark));
  CHECK(hex(w.view()) == hex(apache_bytes));

  corothrift::FrameDecoder d;
  d.feed(apache_bytes);
  corothrift::FrameEvent ev = d.next();
  REQUIRE(ev.status == corothrift::FrameEvent::Status::frame);
  CHECK(ev.payload.size() + 4 == apache_bytes.size());
}

// ---- the generator's output against Apache's generated code, for the rest of the IDL ----

TEST_CASE("IDL default values give the same bytes as Apache's generated defaults") {
  apache_usual::Defaults theirs;  // Apache's constructor applies the IDL defaults
  ApacheSide apache;
  theirs.write(apache.proto.get());
  corothrift::BinaryWriter w;
  REQUIRE(!corothrift::encode(w, shapes::Defaults{}));
  CHECK(hex(w.view()) == hex(apache.bytes()));
  auto back = corothrift::decode<shapes::Defaults>(apache.bytes());
  REQUIRE(back);
  CHECK(*back == shapes::Defaults{});
}

TEST_CASE("unions, exceptions and service argument/result structs match Apache's") {
  auto same = [](const auto& ours, const auto& theirs) {
    ApacheSide apache;
    theirs.write(apache.proto.get());
    corothrift::BinaryWriter w;
    REQUIRE(!corothrift::encode(w, ours));
    CHECK(hex(w.view()) == hex(apache.bytes()));
    using Ours = std::decay_t<decltype(ours)>;
    auto back = corothrift::decode<Ours>(apache.bytes());
    REQUIRE(back);
    CHECK(*back == ours);
  };
  {
    shapes::Choice c;
    c.text = "pick";
    apache_usual::Choice a;
    a.__set_text("pick");
    same(c, a);
    shapes::Choice n;
    n.inner = shapes::Inner{4, "in"};
    apache_usual::Choice b;
    b.__set_inner(to_apache(shapes::Inner{4, "in"}));
    same(n, b);
  }
  {
    shapes::Oops o{7, "broken"};
    apache_usual::Oops a;
    a.__set_code(7);
    a.__set_message("broken");
    same(o, a);
  }
  {
    shapes::Calculator_add_args ours{3, -4};
    apache_usual::Calculator_add_args theirs;
    theirs.a = 3;
    theirs.b = -4;
    same(ours, theirs);
  }
  {
    // results: Apache writes its result structs through the processor's presult/result
    // classes; the plain result class writes the one field that is set.
    shapes::Calculator_add_result ours;
    ours.success = 12;
    apache_usual::Calculator_add_result theirs;
    theirs.success = 12;
    theirs.__isset.success = true;
    same(ours, theirs);
    shapes::Calculator_describe_result err;
    err.oops = shapes::Oops{1, "no"};
    apache_usual::Calculator_describe_result terr;
    terr.oops.__set_code(1);
    terr.oops.__set_message("no");
    terr.__isset.oops = true;
    same(err, terr);
  }
}
