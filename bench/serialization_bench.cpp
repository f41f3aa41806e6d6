// Serialization benchmark: corothrift vs Apache Thrift 0.17 C++ TBinaryProtocol, in one
// binary, on the same values. Apache runs in its usual set-up (generated code calling a
// std::shared_ptr<TProtocol> = TBinaryProtocol over TMemoryBuffer: a virtual call per value)
// and its fastest one (`--gen cpp:templates` code on TBinaryProtocolT<TMemoryBuffer>).
// A memcpy row of each case's size gives the bandwidth ceiling.
//
// Both sides reuse their buffers and decode into a reused object, as a server loop would.
// Before timing, the binary checks that both sides produce the same bytes.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include <corothrift/protocol.hpp>

#include "bench_shapes.hpp"
#include "shapes_thrift.hpp"

#if COROTHRIFT_BENCH_APACHE
#include <thrift/protocol/TBinaryProtocol.h>
#include <thrift/transport/TBufferTransports.h>

#include "interop/apache_convert.hpp"
#include "interop_tmpl_types.h"
#include "interop_usual_types.h"
#endif

namespace {

// ---- the data ------------------------------------------------------------------------------
using bench_shapes::make_blob;
using bench_shapes::make_nested;
using bench_shapes::make_numbers;
using bench_shapes::make_small;

/// Zero-copy variant of Blob: the binary is a view into the input buffer.
struct BlobView {
  std::string_view data;
};

std::vector<std::byte> ours_bytes(const auto& v) {
  corothrift::BinaryWriter w;
  if (corothrift::encode(w, v)) std::abort();
  return {w.view().begin(), w.view().end()};
}
std::vector<std::byte> ours_message(const shapes::Small& s) {
  corothrift::BinaryWriter w;
  w.write_message_begin("getSmall", corothrift::MessageType::Call, 1);
  if (corothrift::encode(w, s)) std::abort();
  return {w.view().begin(), w.view().end()};
}

// ---- corothrift ----------------------------------------------------------------------------
template <class T>
void ours_encode(benchmark::State& st, const T& v) {
  corothrift::BinaryWriter w;
  for (auto _ : st) {
    w.clear();
    corothrift::encode(w, v);
    benchmark::DoNotOptimize(w.data());
    benchmark::ClobberMemory();
  }
  st.SetBytesProcessed(static_cast<std::int64_t>(st.iterations() * w.size()));
}

template <class T>
void ours_decode(benchmark::State& st, const std::vector<std::byte>& in) {
  T v{};
  for (auto _ : st) {
    corothrift::Error e = corothrift::decode_into(in, v);
    benchmark::DoNotOptimize(e);
    benchmark::DoNotOptimize(v);
  }
  st.SetBytesProcessed(static_cast<std::int64_t>(st.iterations() * in.size()));
}

/// Decode into a fresh object each time (allocation and copy of every string included).
template <class T>
void ours_decode_fresh(benchmark::State& st, const std::vector<std::byte>& in) {
  for (auto _ : st) {
    T v{};
    corothrift::Error e = corothrift::decode_into(in, v);
    benchmark::DoNotOptimize(e);
    benchmark::DoNotOptimize(v);
  }
  st.SetBytesProcessed(static_cast<std::int64_t>(st.iterations() * in.size()));
}

/// The 64 KiB binary decoded into a reused object whose string storage sits 16 bytes past
/// the source bytes modulo 4 KiB: the case where memcpy can hit 4K aliasing on some x86
/// CPUs. The memcpy row of the same placement shows what a plain copy does there.
void aliased_decode(benchmark::State& st, const std::vector<std::byte>& in, bool plain_memcpy) {
  shapes::Blob v;
  v.data.resize(in.size());
  static std::vector<std::byte> arena;
  arena.assign(in.size() + 3 * 4096, std::byte{0});
  auto dst = reinterpret_cast<std::uintptr_t>(v.data.data());
  auto base = reinterpret_cast<std::uintptr_t>(arena.data());
  // payload starts 7 bytes into the encoding (field header, length); put it at dst - 16 mod 4096
  std::uintptr_t want = (dst - 16 - 7) & 4095u;
  std::size_t off = (want - base) & 4095u;
  std::byte* at = arena.data() + off;
  std::memcpy(at, in.data(), in.size());
  std::span<const std::byte> input(at, in.size());
  for (auto _ : st) {
    if (plain_memcpy) {
      std::memcpy(v.data.data(), at + 7, in.size() - 8);
    } else {
      corothrift::Error e = corothrift::decode_into(input, v);
      benchmark::DoNotOptimize(e);
    }
    benchmark::DoNotOptimize(v);
    benchmark::ClobberMemory();
  }
  st.SetBytesProcessed(static_cast<std::int64_t>(st.iterations() * in.size()));
}

void ours_message_encode(benchmark::State& st, const shapes::Small& s) {
  corothrift::BinaryWriter w;
  for (auto _ : st) {
    w.clear();
    w.write_message_begin("getSmall", corothrift::MessageType::Call, 1);
    corothrift::encode(w, s);
    benchmark::DoNotOptimize(w.data());
    benchmark::ClobberMemory();
  }
  st.SetBytesProcessed(static_cast<std::int64_t>(st.iterations() * w.size()));
}

void ours_message_decode(benchmark::State& st, const std::vector<std::byte>& in) {
  shapes::Small s;
  for (auto _ : st) {
    corothrift::BinaryReader r(in);
    corothrift::MessageHeader h = r.read_message_begin();
    corothrift::Codec<shapes::Small>::read(r, s);
    benchmark::DoNotOptimize(h);
    benchmark::DoNotOptimize(s);
    if (!r.ok()) std::abort();
  }
  st.SetBytesProcessed(static_cast<std::int64_t>(st.iterations() * in.size()));
}

void memcpy_row(benchmark::State& st, std::size_t n) {
  std::vector<char> src(n, 'x'), dst(n);
  for (auto _ : st) {
    std::memcpy(dst.data(), src.data(), n);
    benchmark::DoNotOptimize(dst.data());
    benchmark::ClobberMemory();
  }
  st.SetBytesProcessed(static_cast<std::int64_t>(st.iterations() * n));
}

#if COROTHRIFT_BENCH_APACHE
// ---- Apache ---------------------------------------------------------------------------------
using apache::thrift::protocol::TBinaryProtocol;
using apache::thrift::protocol::TBinaryProtocolT;
using apache::thrift::protocol::TProtocol;
using apache::thrift::transport::TMemoryBuffer;

/// TMemoryBuffer whose per-message byte budget can be reset between messages, as Apache's
/// servers do for each message (the call is protected in 0.17).
struct BenchMemoryBuffer : TMemoryBuffer {
  using TMemoryBuffer::TMemoryBuffer;
  void resetConsumedMessageSize() { TMemoryBuffer::resetConsumedMessageSize(); }
};

/// Apache's usual set-up: generated code calling virtual TProtocol methods.
struct ApacheUsual {
  std::shared_ptr<BenchMemoryBuffer> buf = std::make_shared<BenchMemoryBuffer>(1 << 17);
  std::shared_ptr<TProtocol> proto = std::make_shared<TBinaryProtocol>(buf);
  TProtocol* p() { return proto.get(); }
};
/// Apache's fastest set-up: templated generated code on a concrete protocol and transport.
struct ApacheTmpl {
  std::shared_ptr<BenchMemoryBuffer> buf = std::make_shared<BenchMemoryBuffer>(1 << 17);
  TBinaryProtocolT<TMemoryBuffer> proto{std::static_pointer_cast<TMemoryBuffer>(buf)};
  TBinaryProtocolT<TMemoryBuffer>* p() { return &proto; }
};

std::vector<std::byte> buffer_bytes(TMemoryBuffer& b) {
  std::uint8_t* p;
  std::uint32_t n;
  b.getBuffer(&p, &n);
  return {reinterpret_cast<std::byte*>(p), reinterpret_cast<std::byte*>(p) + n};
}

template <class Setup, class A>
void apache_encode(benchmark::State& st, const A& v) {
  Setup s;
  for (auto _ : st) {
    s.buf->resetBuffer();
    v.write(s.p());
    benchmark::ClobberMemory();
  }
  st.SetBytesProcessed(static_cast<std::int64_t>(st.iterations() * s.buf->available_read()));
}

template <class Setup, class A>
void apache_decode(benchmark::State& st, const std::vector<std::byte>& in) {
  Setup s;
  A v;
  auto* data = reinterpret_cast<std::uint8_t*>(const_cast<std::byte*>(in.data()));
  for (auto _ : st) {
    s.buf->resetBuffer(data, static_cast<std::uint32_t>(in.size()), TMemoryBuffer::OBSERVE);
    s.buf->resetConsumedMessageSize();
    v.read(s.p());
    benchmark::DoNotOptimize(v);
  }
  st.SetBytesProcessed(static_cast<std::int64_t>(st.iterations() * in.size()));
}

template <class Setup, class A>
void apache_decode_fresh(benchmark::State& st, const std::vector<std::byte>& in) {
  Setup s;
  auto* data = reinterpret_cast<std::uint8_t*>(const_cast<std::byte*>(in.data()));
  for (auto _ : st) {
    A v;
    s.buf->resetBuffer(data, static_cast<std::uint32_t>(in.size()), TMemoryBuffer::OBSERVE);
    s.buf->resetConsumedMessageSize();
    v.read(s.p());
    benchmark::DoNotOptimize(v);
  }
  st.SetBytesProcessed(static_cast<std::int64_t>(st.iterations() * in.size()));
}

template <class Setup, class A>
void apache_message_encode(benchmark::State& st, const A& v) {
  Setup s;
  for (auto _ : st) {
    s.buf->resetBuffer();
    s.p()->writeMessageBegin("getSmall", apache::thrift::protocol::T_CALL, 1);
    v.write(s.p());
    s.p()->writeMessageEnd();
    benchmark::ClobberMemory();
  }
  st.SetBytesProcessed(static_cast<std::int64_t>(st.iterations() * s.buf->available_read()));
}

template <class Setup, class A>
void apache_message_decode(benchmark::State& st, const std::vector<std::byte>& in) {
  Setup s;
  A v;
  std::string name;
  apache::thrift::protocol::TMessageType type;
  std::int32_t seqid;
  auto* data = reinterpret_cast<std::uint8_t*>(const_cast<std::byte*>(in.data()));
  for (auto _ : st) {
    s.buf->resetBuffer(data, static_cast<std::uint32_t>(in.size()), TMemoryBuffer::OBSERVE);
    s.buf->resetConsumedMessageSize();
    s.p()->readMessageBegin(name, type, seqid);
    v.read(s.p());
    s.p()->readMessageEnd();
    benchmark::DoNotOptimize(v);
  }
  st.SetBytesProcessed(static_cast<std::int64_t>(st.iterations() * in.size()));
}

/// Refuse to time anything unless Apache and corothrift agree on the bytes.
template <class Setup, class A>
void require_same_bytes(const char* what, const A& a, const std::vector<std::byte>& ours) {
  Setup s;
  a.write(s.p());
  if (buffer_bytes(*s.buf) != ours) {
    std::fprintf(stderr, "bench: %s: Apache and corothrift bytes differ\n", what);
    std::exit(1);
  }
}
#endif

template <class F>
void add(const std::string& name, F f) {
  benchmark::RegisterBenchmark(name.c_str(), f);
}

}  // namespace

template <>
struct corothrift::Codec<BlobView> {
  static constexpr TType type = TType::Struct;
  static std::size_t size(const BlobView& v) { return field_size(v.data) + 1; }
  static std::byte* put(std::byte* __restrict p, const BlobView& v) {
    p = put_field(p, 1, v.data);
    return raw::put_stop(p);
  }
  static void read(BinaryReader& r, BlobView& v) {
    if (!r.enter()) return;
    FieldMask<1> seen;
    seen.mark(0, read_field_if(r, 1, v.data));
    if (!r.try_stop())
      read_remaining_fields(r, [&](FieldHeader f) { return f.id == 1 && seen.mark(0, read_field_as(r, f, v.data)); });
    if (!seen.all()) v.data = {};
    r.leave();
  }
};

int main(int argc, char** argv) {
  static const shapes::Small small = make_small();
  static const shapes::Numbers numbers = make_numbers();
  static const shapes::Blob blob = make_blob();
  static const shapes::Nested nested = make_nested();
  static const std::vector<std::byte> small_b = ours_bytes(small), numbers_b = ours_bytes(numbers),
                                      blob_b = ours_bytes(blob), nested_b = ours_bytes(nested),
                                      message_b = ours_message(small);

  // Rows are named case/direction/implementation; bench/report.py pairs them up.
  add("small/encode/corothrift", [](benchmark::State& s) { ours_encode(s, small); });
  add("small/decode/corothrift", [](benchmark::State& s) { ours_decode<shapes::Small>(s, small_b); });
  add("list_i64_1000/encode/corothrift", [](benchmark::State& s) { ours_encode(s, numbers); });
  add("list_i64_1000/decode/corothrift", [](benchmark::State& s) { ours_decode<shapes::Numbers>(s, numbers_b); });
  add("binary_64k/encode/corothrift", [](benchmark::State& s) { ours_encode(s, blob); });
  add("binary_64k/decode/corothrift", [](benchmark::State& s) { ours_decode<shapes::Blob>(s, blob_b); });
  add("binary_64k/decode_fresh/corothrift", [](benchmark::State& s) { ours_decode_fresh<shapes::Blob>(s, blob_b); });
  add("binary_64k/decode_4k_aliased/corothrift", [](benchmark::State& s) { aliased_decode(s, blob_b, false); });
  add("binary_64k/decode_4k_aliased/memcpy_same_placement", [](benchmark::State& s) { aliased_decode(s, blob_b, true); });
  add("binary_64k/decode/corothrift_view", [](benchmark::State& s) { ours_decode<BlobView>(s, blob_b); });
  add("nested_map_100/encode/corothrift", [](benchmark::State& s) { ours_encode(s, nested); });
  add("nested_map_100/decode/corothrift", [](benchmark::State& s) { ours_decode<shapes::Nested>(s, nested_b); });
  add("message_small/encode/corothrift", [](benchmark::State& s) { ours_message_encode(s, small); });
  add("message_small/decode/corothrift", [](benchmark::State& s) { ours_message_decode(s, message_b); });

  for (auto [name, size] : {std::pair{"small", small_b.size()}, {"list_i64_1000", numbers_b.size()},
                            {"binary_64k", blob_b.size()}, {"nested_map_100", nested_b.size()},
                            {"message_small", message_b.size()}}) {
    std::size_t n = size;
    add(std::string(name) + "/copy/memcpy", [n](benchmark::State& s) { memcpy_row(s, n); });
  }

#if COROTHRIFT_BENCH_APACHE
  namespace U = apache_usual;
  namespace T = apache_tmpl;
  static const auto u_small = apache_convert::apache_small<U::Small>(small);
  static const auto t_small = apache_convert::apache_small<T::Small>(small);
  static const auto u_numbers = apache_convert::apache_numbers<U::Numbers>(numbers);
  static const auto t_numbers = apache_convert::apache_numbers<T::Numbers>(numbers);
  static const auto u_blob = apache_convert::apache_blob<U::Blob>(blob);
  static const auto t_blob = apache_convert::apache_blob<T::Blob>(blob);
  static const auto u_nested = apache_convert::apache_nested<U::Nested, U::Inner>(nested);
  static const auto t_nested = apache_convert::apache_nested<T::Nested, T::Inner>(nested);

  require_same_bytes<ApacheUsual>("small", u_small, small_b);
  require_same_bytes<ApacheTmpl>("small", t_small, small_b);
  require_same_bytes<ApacheUsual>("list", u_numbers, numbers_b);
  require_same_bytes<ApacheTmpl>("list", t_numbers, numbers_b);
  require_same_bytes<ApacheUsual>("binary", u_blob, blob_b);
  require_same_bytes<ApacheTmpl>("binary", t_blob, blob_b);
  require_same_bytes<ApacheUsual>("nested", u_nested, nested_b);
  require_same_bytes<ApacheTmpl>("nested", t_nested, nested_b);

  add("small/encode/apache_usual", [](benchmark::State& s) { apache_encode<ApacheUsual>(s, u_small); });
  add("small/encode/apache_templates", [](benchmark::State& s) { apache_encode<ApacheTmpl>(s, t_small); });
  add("small/decode/apache_usual", [](benchmark::State& s) { apache_decode<ApacheUsual, U::Small>(s, small_b); });
  add("small/decode/apache_templates", [](benchmark::State& s) { apache_decode<ApacheTmpl, T::Small>(s, small_b); });
  add("list_i64_1000/encode/apache_usual", [](benchmark::State& s) { apache_encode<ApacheUsual>(s, u_numbers); });
  add("list_i64_1000/encode/apache_templates", [](benchmark::State& s) { apache_encode<ApacheTmpl>(s, t_numbers); });
  add("list_i64_1000/decode/apache_usual", [](benchmark::State& s) { apache_decode<ApacheUsual, U::Numbers>(s, numbers_b); });
  add("list_i64_1000/decode/apache_templates", [](benchmark::State& s) { apache_decode<ApacheTmpl, T::Numbers>(s, numbers_b); });
  add("binary_64k/encode/apache_usual", [](benchmark::State& s) { apache_encode<ApacheUsual>(s, u_blob); });
  add("binary_64k/encode/apache_templates", [](benchmark::State& s) { apache_encode<ApacheTmpl>(s, t_blob); });
  add("binary_64k/decode/apache_usual", [](benchmark::State& s) { apache_decode<ApacheUsual, U::Blob>(s, blob_b); });
  add("binary_64k/decode/apache_templates", [](benchmark::State& s) { apache_decode<ApacheTmpl, T::Blob>(s, blob_b); });
  add("binary_64k/decode_fresh/apache_usual", [](benchmark::State& s) { apache_decode_fresh<ApacheUsual, U::Blob>(s, blob_b); });
  add("binary_64k/decode_fresh/apache_templates", [](benchmark::State& s) { apache_decode_fresh<ApacheTmpl, T::Blob>(s, blob_b); });
  add("nested_map_100/encode/apache_usual", [](benchmark::State& s) { apache_encode<ApacheUsual>(s, u_nested); });
  add("nested_map_100/encode/apache_templates", [](benchmark::State& s) { apache_encode<ApacheTmpl>(s, t_nested); });
  add("nested_map_100/decode/apache_usual", [](benchmark::State& s) { apache_decode<ApacheUsual, U::Nested>(s, nested_b); });
  add("nested_map_100/decode/apache_templates", [](benchmark::State& s) { apache_decode<ApacheTmpl, T::Nested>(s, nested_b); });
  add("message_small/encode/apache_usual", [](benchmark::State& s) { apache_message_encode<ApacheUsual>(s, u_small); });
  add("message_small/encode/apache_templates", [](benchmark::State& s) { apache_message_encode<ApacheTmpl>(s, t_small); });
  add("message_small/decode/apache_usual", [](benchmark::State& s) { apache_message_decode<ApacheUsual, U::Small>(s, message_b); });
  add("message_small/decode/apache_templates", [](benchmark::State& s) { apache_message_decode<ApacheTmpl, T::Small>(s, message_b); });
#endif

  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
