// fuzz_generated: decode raw bytes as one of the generated structs (fuzz_types.hpp).
//
// Input: [selector byte][payload]. The selector picks the type and the limits (see
// fuzz::select). Checks, besides "no crash, no leak, bounded memory":
//  - decode<T>() and decode_into() on a fresh object agree (error, or equal values);
//  - an error is an error: a kind, an offset inside the input;
//  - decoding into a reused object gives what a fresh decode gives, whatever the object
//    held before: a full value of another input, a value left half-filled by a failed
//    decode, or the same value (README: "Decoding into a reused object ... gives exactly
//    what a fresh decode gives"). The other input is the first half of the payload.
#include <cstddef>
#include <cstdint>
#include <span>

#include "fuzz_types.hpp"

namespace {

using corothrift::Error;
using corothrift::ReaderOptions;

void check_error(const Error& e, std::size_t input_size) {
  if (!e) return;
  if (e.kind == corothrift::ErrorKind::ok) fuzz::fail("error without a kind");
  if (e.offset > input_size) fuzz::fail("error offset past the end of the input");
  if (e.what == nullptr) fuzz::fail("error without text");
}

template <class T>
void check(std::span<const std::byte> x, std::span<const std::byte> y, const ReaderOptions& options) {
  T a{};
  Error ea = corothrift::decode_into(x, a, options);
  check_error(ea, x.size());
  T b{};
  Error eb = corothrift::decode_into(y, b, options);
  check_error(eb, y.size());

  corothrift::Result<T> ra = corothrift::decode<T>(x, options);
  if (ra.has_value() == static_cast<bool>(ea)) fuzz::fail("decode and decode_into disagree on success");
  if (!ra && !fuzz::same_error(ra.error(), ea)) fuzz::fail("decode and decode_into report different errors");
  if (ra && !fuzz::same_value(*ra, a)) fuzz::fail("decode and decode_into give different values");

  // Reuse: whatever `o` holds (y's value, or what a failed decode of y left), decoding x
  // into it gives x's fresh result; and the other way round.
  T o = b;
  if (!fuzz::same_error(corothrift::decode_into(x, o, options), ea)) fuzz::fail("reused object: different error (y then x)");
  if (!ea && !fuzz::same_value(o, a)) fuzz::fail("reused object: different value (y then x)");

  T p = a;
  if (!fuzz::same_error(corothrift::decode_into(y, p, options), eb)) fuzz::fail("reused object: different error (x then y)");
  if (!eb && !fuzz::same_value(p, b)) fuzz::fail("reused object: different value (x then y)");

  if (!ea) {
    T q = a;
    if (corothrift::decode_into(x, q, options)) fuzz::fail("decoding the same input again failed");
    if (!fuzz::same_value(q, a)) fuzz::fail("decoding the same input again gave another value");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  fuzz::Selection sel = fuzz::select(data[0]);
  std::span<const std::byte> x(reinterpret_cast<const std::byte*>(data + 1), size - 1);
  std::span<const std::byte> y = x.first(x.size() / 2);
  fuzz::with_type(fuzz::AllTypes{}, sel.type_index, [&]<class T>() { check<T>(x, y, sel.options); });
  return 0;
}
